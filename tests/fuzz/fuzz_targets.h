// Fuzz targets: one per log-format parser, plus the time parsers, the record
// codecs, the query readers, the sources file, the mail header reader and the
// input layer. Each takes arbitrary bytes and must neither crash, hang, leak
// nor read out of bounds, whatever they are.
//
// The same targets run two ways: under libFuzzer (tracekit-fuzz, built with
// clang and -DTRACEKIT_FUZZ=ON; the target is named by $TRACEKIT_FUZZ_TARGET)
// and replayed over the committed seed corpora by a plain driver
// (tracekit-fuzz-replay, built in every build and run by ctest).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tracekit::fuzz {

struct Target {
  std::string name;  // a format's name ("isc-dhcpd"), or "time", "rows", ...
  std::string what;  // one line for --list
  void (*run)(std::string_view name, std::string_view data);
};

// Every target: one per format of the registry, then the others.
const std::vector<Target>& targets();
const Target* find_target(std::string_view name);

}  // namespace tracekit::fuzz

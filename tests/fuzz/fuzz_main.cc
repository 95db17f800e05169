// libFuzzer entry for every target: $TRACEKIT_FUZZ_TARGET names the one this
// process fuzzes (tracekit-fuzz-replay --list shows them all); see
// scripts/fuzz.sh, which runs each in turn over its seed corpus.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "fuzz_targets.h"

namespace {
const tracekit::fuzz::Target* target = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* name = std::getenv("TRACEKIT_FUZZ_TARGET");
  target = name ? tracekit::fuzz::find_target(name) : nullptr;
  if (!target) {
    std::fprintf(stderr, "tracekit-fuzz: set TRACEKIT_FUZZ_TARGET to one of:");
    for (const auto& t : tracekit::fuzz::targets()) std::fprintf(stderr, " %s", t.name.c_str());
    std::fprintf(stderr, "\n");
    std::exit(2);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  target->run(target->name, std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

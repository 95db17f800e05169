// Test helpers: runs one format's DHCP parser over text given as a string
// literal and keeps every line's outcome with owned copies of its fields; reads
// sample files from the source tree and the public corpus.
#pragma once

#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tracekit/config.h"
#include "tracekit/format.h"
#include "tracekit/net.h"
#include "tracekit/time.h"

namespace tracekit::test {

struct DhcpOutcome {
  LineStatus status;
  std::string reason;
  uint64_t line = 0;  // line the outcome was returned on (for records: the record's first line)
  DhcpEvent event;    // string_views cleared; use the copies below
  std::string host, client_id, server, relay, raw;
  std::string ip() const { return to_string(event.ip); }
  std::string mac() const { return event.has_mac ? to_string(event.mac) : ""; }
  std::string time() const { return format_rfc3339(event.time, event.time_flags & kHasFraction); }
};

struct DhcpHarness {
  // `zone` for zone-less timestamps; `year` for year-less ones (0: infer from
  // `mtime`).
  explicit DhcpHarness(std::string_view format, std::string_view zone = "UTC", int year = 2026,
                       Instant mtime = kNoTime);
  // Feeds every line of `text` and then finish(); returns all outcomes.
  std::vector<DhcpOutcome> run(std::string_view text);
  // Only the records.
  std::vector<DhcpOutcome> records(std::string_view text);

  const FormatInfo* format = nullptr;
  InputFile file;
  LocalTimeConverter local;
  YearTracker years;
  ParseContext ctx;
};

// The same for any family: runs a format's parser of Event's family (NatEvent,
// LoginEvent, OwnerEvent) and keeps each outcome with the event's text fields
// re-pointed at copies the outcome owns.
template <class Event>
struct Outcome {
  LineStatus status;
  std::string reason;
  uint64_t line = 0;  // for records: the record's first line (or record number)
  Event event;        // string_views point into `store`
  std::string raw;
  std::deque<std::string> store;
  Outcome() = default;
  Outcome(const Outcome& o) = delete;  // `event` points into `store`
  Outcome(Outcome&&) = default;        // a deque's elements stay where they are
  std::string time() const { return format_rfc3339(event.time, event.time_flags & kHasFraction); }
};

// Re-points every string_view of `ev` at a copy in `store`.
void own_strings(NatEvent& ev, std::deque<std::string>& store);
void own_strings(LoginEvent& ev, std::deque<std::string>& store);
void own_strings(OwnerEvent& ev, std::deque<std::string>& store);
void own_strings(ProxyEvent& ev, std::deque<std::string>& store);
void own_strings(MailEvent& ev, std::deque<std::string>& store);

template <class Event>
struct Harness {
  // `zone` for zone-less timestamps; `year` for year-less ones (0: infer from
  // `mtime`). `source` gives per-source settings (host, column mappings).
  explicit Harness(std::string_view format, std::string_view zone = "UTC", int year = 2026,
                   Instant mtime = kNoTime, SourceSpec source = {});
  // Feeds every line of `text` (or, for binary formats, every record) and
  // then finish(); returns all outcomes.
  std::vector<Outcome<Event>> run(std::string_view text);
  std::vector<Outcome<Event>> records(std::string_view text);

  const FormatInfo* format = nullptr;
  InputFile file;
  SourceSpec source;
  LocalTimeConverter local;
  YearTracker years;
  ParseContext ctx;
};
extern template struct Harness<NatEvent>;
extern template struct Harness<LoginEvent>;
extern template struct Harness<OwnerEvent>;
extern template struct Harness<ProxyEvent>;
extern template struct Harness<MailEvent>;
using NatHarness = Harness<NatEvent>;
using LoginHarness = Harness<LoginEvent>;
using OwnerHarness = Harness<OwnerEvent>;
using ProxyHarness = Harness<ProxyEvent>;
using MailHarness = Harness<MailEvent>;

Instant utc(std::string_view rfc3339);

// The raw log line of a Sekoia sample in the corpus (a JSON document): its
// string .input.message, unescaped ("" when there is none).
std::string sekoia_message(const std::string& json);  // parse or throw, for expectations

// The whole file, bytes as they are ("" when it cannot be read).
std::string read_file(const std::filesystem::path& p);
// A file of the source tree (TRACEKIT_SOURCE_DIR), e.g. "testdata/dhcp/...".
std::string read_sample(std::string_view rel);

// A directory of this process's own for files a test writes, made if needed:
// "tracekit-NAME-PID" in the system's temporary directory, removed when the
// process ends. (ctest runs the suite twice at the same time, once with
// TRACEKIT_THREADS=1: a directory named alike by both would have one run read
// what the other wrote.)
std::filesystem::path scratch_dir(std::string_view name);
// A source over FILE in scratch_dir(dir) holding `text`: named FILE, of
// `format`, its one pattern that file's path (the caller sets the rest).
SourceSpec source_file(std::string_view dir, const std::string& file, std::string_view format,
                       std::string_view text);

// The public sample corpus (TRACEKIT_CORPUS_DIR; see tests/corpus_test.cc).
// [corpus] tests skip, with a warning, when the corpus is not there.
std::filesystem::path corpus_path(std::string_view rel = {});
// corpus_path(rel) when it exists; otherwise WARNs "corpus not found: PATH"
// and returns nullopt (the test then returns).
std::optional<std::filesystem::path> find_corpus(std::string_view rel = {});
// The text of corpus file `rel`, or nullopt (with find_corpus's warning).
std::optional<std::string> read_corpus(std::string_view rel);

}  // namespace tracekit::test

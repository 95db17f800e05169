// Reading a source's files through its format's parser: format choice
// (forced or sniffed), zone and year context, counting of what each line was,
// time coverage, and diagnostics. One ScanFile per input file read in a run;
// its index is the `file` of every EvidenceRef.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "tracekit/config.h"
#include "tracekit/diag.h"
#include "tracekit/format.h"
#include "tracekit/input.h"

namespace tracekit {

struct Span {
  Instant from = kNoTime, to = kNoTime;  // closed: a log line stood at both ends
};

struct ScanFile {
  InputFile info;
  uint32_t source = 0;  // index into the run's sources
  const FormatInfo* format = nullptr;
  std::string sniff_why;
  const date::time_zone* zone = nullptr;
  bool zone_assumed = false;  // no zone configured: the machine's zone was used
  bool year_inferred = false;
  int first_year = 0;  // year given to the first year-less date
  uint64_t lines = 0, records = 0, skipped = 0, foreign = 0, malformed = 0;
  Instant first_time = kNoTime, last_time = kNoTime;
  // Lines holding NUL bytes (binary data): how many, and the first one.
  uint64_t nul_lines = 0, first_nul_line = 0, first_nul_offset = 0;
  std::vector<Span> silences;  // quiet periods longer than the source's max_silence
  // Every line read the later way in a DST fold (kLocalLaterReading), a
  // record or not: what settles the fold readings of the events kept
  // (settle_fold_readings).
  std::vector<FoldMark> later_readings;
  std::string error;      // unreadable or damaged: what and where
  bool complete = false;  // read to its end without damage
};

// The later_readings of every file, for settle_fold_readings.
std::vector<FoldMark> later_readings(const std::vector<ScanFile>& files);

// Decides a path's format: the forced one, else sniffed within `family`.
// Returns null with `error` set when none fits.
const FormatInfo* choose_format(const SourceSpec& src, Family family, std::string_view head,
                                std::string& why, std::string& error);

// The family whose parsers give events of type Event.
template <class Event>
constexpr Family family_of() {
  if constexpr (std::is_same_v<Event, DhcpEvent>) return Family::dhcp;
  if constexpr (std::is_same_v<Event, NatEvent>) return Family::nat;
  if constexpr (std::is_same_v<Event, LoginEvent>) return Family::login;
  if constexpr (std::is_same_v<Event, OwnerEvent>) return Family::owner;
  if constexpr (std::is_same_v<Event, ProxyEvent>) return Family::proxy;
  if constexpr (std::is_same_v<Event, MailEvent>) return Family::smtp;
}

// What must follow a prefilter needle for the line to count: nothing asked
// (both empty), one of `literal`, or `sep` and a port whose bit is set in
// `ports` (65536 bits). No literal begins with `sep`'s first byte.
struct NeedleFollow {
  std::vector<std::string> literal;
  std::string sep;
  std::vector<uint64_t> ports;
  bool any() const { return !literal.empty() || !ports.empty(); }
};

struct ScanSettings {
  const date::time_zone* default_zone = nullptr;  // --tz, or null (machine zone, flagged)
  Micros max_silence{std::chrono::hours(1)};
  // Lines must contain one of these to be parsed fully (a cheap prefilter).
  // Lines without any are still timed for coverage. Empty: parse everything.
  std::vector<std::string> needles;
  // The address and port pairs asked about, when every query named a port
  // (their addresses are the needles). Files of a format that writes a port
  // right after its address (FormatInfo::addr_port_sep) are prefiltered for
  // "ADDR<sep>PORT", and for the address at a word's end (a line naming it
  // without a port), instead of the address alone. Needles added during the
  // scan are kept as they are.
  std::vector<std::pair<std::string, uint16_t>> addr_ports = {};
  // The family was not chosen (trace-cat found no log it knows): a file that
  // cannot be read is "not a log of any format", not "not a dhcp log".
  bool any_family = false;
};

// Receives every record: the event, its file and that file's index (the
// EvidenceRef file), and the line it was completed on.
template <class Event>
using EventSink =
    std::function<void(const Event& ev, const ScanFile& file, uint32_t file_id, const Line& line)>;
using DhcpSink = EventSink<DhcpEvent>;

// A multiset of 64-bit hashes, none of them 0 (the empty slot): open
// addressing with linear probing, at most half full, a count per hash. Exact
// on the hash (a collision of two session ids only parses a line that did
// not need it). Counted because two devices may use the same session id at
// once: one's teardown must not end the other's.
class SessionFilter {
 public:
  bool empty() const { return used_ == 0; }
  size_t size() const { return used_; }  // distinct hashes
  bool contains(uint64_t h) const {
    if (used_ == 0) return false;
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask; slots_[i]; i = (i + 1) & mask)
      if (slots_[i] == h) return true;
    return false;
  }
  void insert(uint64_t h);
  // One of h's insertions undone; gone at the last.
  void erase(uint64_t h);

 private:
  std::vector<uint64_t> slots_;  // a power of two of them, or none
  std::vector<uint32_t> counts_;
  size_t used_ = 0;
};

class Scanner {
 public:
  // With TRACEKIT_PREFILTER=0 in the environment the settings' needles and
  // address/port pairs are dropped: every line of every log is parsed whole
  // (a check that the prefilter never changes an answer).
  Scanner(Diagnostics& diag, ScanSettings settings);

  // Reads every file of `src` (index `source` in the run) with the parsers of
  // Event's family. Files that cannot be read are reported and skipped.
  // Returns false only when strict mode stops. Instantiated for DhcpEvent,
  // NatEvent, LoginEvent, OwnerEvent, ProxyEvent and MailEvent.
  template <class Event>
  bool scan(const SourceSpec& src, uint32_t source, const EventSink<Event>& sink);
  bool scan_dhcp(const SourceSpec& src, uint32_t source, const DhcpSink& sink) {
    return scan<DhcpEvent>(src, source, sink);
  }

  // From a sink, during a scan with a prefilter: lines holding `needle` are
  // parsed fully from here on too (a teardown that names only the inside
  // address of a translation already kept). Past kMaxNeedles the prefilter is
  // switched off for the rest of the file. False when there is no prefilter.
  bool add_needle(std::string_view needle);
  static constexpr size_t kMaxNeedles = 64;
  // Whether a prefilter for these needles costs less than parsing every
  // line: a few of them, or up to kMaxNeedles that share a prefix of four
  // bytes or more (searched for once, a hit then compared only with the
  // needles that have the byte after the prefix that it has).
  static bool prefilter_pays(const std::vector<std::string>& needles);
  // From a sink, during a scan with a prefilter: lines of this file's format
  // that name session `id` (FormatInfo::session_of) are parsed fully from
  // here on too; any number of them. False when the format names no
  // sessions that way (then add_needle is the way) or there is no prefilter.
  bool add_session(std::string_view id);
  // From a sink: a session added (add_session returned true) is over, its
  // teardown read: lines that name it are parsed for its sake no longer,
  // unless it was added as often as it is dropped.
  void drop_session(std::string_view id);

  const std::vector<ScanFile>& files() const { return files_; }
  std::vector<ScanFile>& files() { return files_; }
  // Files of a format that did not fit the family (auto sources of other tools).
  const std::vector<std::string>& passed_over() const { return passed_over_; }

 private:
  Diagnostics* diag_;
  ScanSettings settings_;
  std::vector<std::string> file_needles_;   // the current file's prefilter
  std::vector<NeedleFollow> file_follows_;  // per needle: what must follow
  std::string_view (*file_session_of_)(std::string_view) = nullptr;
  // The sessions added and not dropped. Every line naming a session is asked
  // about; while only the sessions still open are in it, it stays in L1.
  SessionFilter sessions_;
  std::vector<ScanFile> files_;
  std::vector<std::string> passed_over_;
  bool prefilter_off_ = false;
};

// The periods the files of a set of sources cover, with quiet periods cut out
// and short breaks between files (under max_silence) bridged.
struct Coverage {
  std::vector<Span> spans;  // sorted, disjoint
  Instant earliest() const { return spans.empty() ? kNoTime : spans.front().from; }
  Instant latest() const { return spans.empty() ? kNoTime : spans.back().to; }
  bool covers(Instant from, Instant to) const;
  // Between the first span's start and the last's end (in a silence, maybe).
  bool within(Instant t) const { return !spans.empty() && earliest() <= t && t <= latest(); }
  // After the last record: what happened then is not in the logs at all.
  bool past_end(Instant t) const { return !spans.empty() && t > latest(); }
  // Says why [from, to] is not covered, naming the nearest coverage.
  std::string explain_gap(Instant from, Instant to) const;
};
Coverage build_coverage(const std::vector<ScanFile>& files, const std::vector<uint32_t>& sources,
                        Micros bridge);

}  // namespace tracekit

// The interface between the library and the log-format parsers. The library
// knows formats only through the table that formats/registry.cc defines; a
// parser knows the library only through this header and the ones it includes.
//
// A parser is created per input file and fed that file's lines in order. The
// per-line path never throws and never allocates: it returns a LineResult whose
// reason is a static string.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "tracekit/input.h"
#include "tracekit/records.h"
#include "tracekit/time.h"

namespace tracekit {

enum class Family : uint8_t { dhcp, nat, login, proxy, smtp, owner };
std::string_view family_name(Family f);

enum class LineStatus : uint8_t {
  record,     // `out` holds a record
  skip,       // a line of this format that carries no record (noise, banner, header)
  foreign,    // not a line of this format (another program's line in a shared syslog)
  malformed,  // a line of this format that could not be read
  more,       // part of a record spanning several lines; nothing to emit yet
};

struct LineResult {
  LineStatus status;
  const char* reason = "";  // static; for skip, foreign and malformed
  static LineResult record() { return {LineStatus::record}; }
  static LineResult skip(const char* why) { return {LineStatus::skip, why}; }
  static LineResult foreign(const char* why) { return {LineStatus::foreign, why}; }
  static LineResult malformed(const char* why) { return {LineStatus::malformed, why}; }
  static LineResult more() { return {LineStatus::more}; }
};

// What a parser may use about the file it reads. Owned by the caller; outlives
// the parser.
struct ParseContext {
  const InputFile* file = nullptr;
  LocalTimeConverter* local = nullptr;  // zone for zone-less timestamps
  YearTracker* year = nullptr;          // for year-less syslog dates
  uint8_t zone_flags = 0;               // kZoneAssumed when no zone was configured
  // The last BSD syslog date read and what it gave: consecutive lines mostly
  // share their second, so most lines cost a 15-byte compare.
  struct BsdCache {
    char text[15];
    Instant time;
    uint8_t flags = 0;
    bool valid = false;
  };
  mutable BsdCache bsd_cache;
};

// Parsers set out.time for every line that has a timestamp, also when they
// return skip: the library uses it for the time coverage of the file (which
// tells "no lease" from "no log").
class DhcpParser {
 public:
  virtual ~DhcpParser() = default;
  virtual LineResult parse(const Line& line, DhcpEvent& out) = 0;
  // Only the line's time (out.time), for lines a query's prefilter rules out:
  // may skip the message itself, and may set out.time_key. The default parses
  // the whole line.
  virtual LineResult parse_time(const Line& line, DhcpEvent& out) { return parse(line, out); }
  // At the end of the file: a record still being assembled, if any.
  virtual LineResult finish(DhcpEvent& out) {
    (void)out;
    return LineResult::skip("");
  }
};

struct FormatInfo {
  std::string_view name;  // "isc-dhcpd", as users write it in --log FORMAT:PATH
  Family family;
  std::string_view summary;  // one line for --detect and the formats page
  // Confidence 0-100 that `head` (the first block of a file, decompressed)
  // is this format; `why` gets a static explanation.
  int (*sniff)(std::string_view head, const char** why);
  std::unique_ptr<DhcpParser> (*make_dhcp)(const ParseContext& ctx);
  // A lease database rather than a log: its records are the state as of the
  // file's last write, not events in time order. Its coverage runs from its
  // earliest record to its modification time, with no quiet periods.
  bool snapshot;
};

// The table, in formats/registry.cc.
std::span<const FormatInfo> format_table();
const FormatInfo* find_format(std::string_view name);

struct SniffResult {
  const FormatInfo* format = nullptr;  // null: no format recognised
  int score = 0;
  const char* why = "";
  const FormatInfo* runner_up = nullptr;
  int runner_up_score = 0;
};
// Best format of `family` (or of any family when `family` is null) for `head`.
SniffResult sniff_format(std::string_view head, const Family* family);

}  // namespace tracekit

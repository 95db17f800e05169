// The interface between the library and the log-format parsers. The library
// knows formats only through the table that formats/registry.cc defines; a
// parser knows the library only through this header and the ones it includes.
//
// A parser is created per input file and fed that file's lines (or records)
// in order. The per-line path never throws and never allocates: it returns a
// LineResult whose reason is a static string.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <type_traits>

#include "tracekit/config.h"
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
  const SourceSpec* source = nullptr;   // the source's settings (host, column mappings...)
  std::string_view head;                // the file's first block, decompressed
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
    uint64_t reads = 0;  // dates read anew: a parser's own cache of a header holding
                         // a date is good while this has not changed
  };
  mutable BsdCache bsd_cache;
};

// A format's reader of one file, for events of type Event (DhcpEvent,
// NatEvent, LoginEvent, OwnerEvent, ProxyEvent, MailEvent). Parsers set out.time for every line
// that has a timestamp, also when they return skip.
template <class Event>
class Parser {
 public:
  virtual ~Parser() = default;
  // One line (InputKind::lines) or one fixed-size record (InputKind::records:
  // line.text is the record's bytes, line.number its 1-based index,
  // line.offset its byte offset; a short last record comes with truncated set).
  virtual LineResult parse(const Line& line, Event& out) = 0;
  // Only the line's time (out.time), for lines a query's prefilter rules out:
  // may skip the message itself, and may set out.time_key. The default parses
  // the whole line.
  virtual LineResult parse_time(const Line& line, Event& out) { return parse(line, out); }
  // At the end of the file: a record still being assembled, if any.
  virtual LineResult finish(Event& out) {
    (void)out;
    return LineResult::skip("");
  }
  // InputKind::database: the next record, read by the parser itself from
  // ParseContext::file->path (the scanner feeds no lines). False at the end.
  // out.first_line numbers the record for evidence.
  virtual bool pull(Event& out, LineResult& result) {
    (void)out;
    (void)result;
    return false;
  }
};
using DhcpParser = Parser<DhcpEvent>;
using NatParser = Parser<NatEvent>;
using LoginParser = Parser<LoginEvent>;
using OwnerParser = Parser<OwnerEvent>;
using ProxyParser = Parser<ProxyEvent>;
using MailParser = Parser<MailEvent>;

enum class InputKind : uint8_t {
  lines,     // text, one line at a time (the default)
  records,   // binary fixed-size records (utmp/wtmp): see FormatInfo::record_size
  database,  // a file the parser opens itself (SQLite): see Parser::pull
};

// A format's entry in the table. Initialise with designated initialisers;
// a format sets the make_* of its family only.
struct FormatInfo {
  std::string_view name;  // "isc-dhcpd", as users write it in --log FORMAT:PATH
  Family family = Family::dhcp;
  std::string_view summary;  // one line for --detect and the formats page
  // Confidence 0-100 that `head` (the first block of a file, decompressed)
  // is this format; `why` gets a static explanation.
  int (*sniff)(std::string_view head, const char** why) = nullptr;
  std::unique_ptr<DhcpParser> (*make_dhcp)(const ParseContext& ctx) = nullptr;
  std::unique_ptr<NatParser> (*make_nat)(const ParseContext& ctx) = nullptr;
  std::unique_ptr<LoginParser> (*make_login)(const ParseContext& ctx) = nullptr;
  std::unique_ptr<OwnerParser> (*make_owner)(const ParseContext& ctx) = nullptr;
  std::unique_ptr<ProxyParser> (*make_proxy)(const ParseContext& ctx) = nullptr;
  std::unique_ptr<MailParser> (*make_mail)(const ParseContext& ctx) = nullptr;
  // A database rather than a log (dhcpd.leases, a directory export): its
  // records are the state as of the file's last write, not events in time
  // order. Its coverage runs from its earliest record to its modification
  // time, with no quiet periods.
  bool snapshot = false;
  InputKind input = InputKind::lines;
  // InputKind::records: the record size of a file starting with `head` (the
  // layout is detected by validating records); 0 when none fits.
  size_t (*record_size)(std::string_view head) = nullptr;
  // NAT formats whose lines write a port only right after its address, as
  // "ADDR<sep>PORT" (Cisco ASA: "203.0.113.9/40123"), and an address without a
  // port followed by a space or the line's end: a query with a port is then
  // prefiltered for that text. Empty: the address alone. Never a space or
  // a line's end (NeedleFollow).
  std::string_view addr_port_sep = {};
  // NAT formats whose connection records carry a session id that the
  // teardown repeats without the public address (Cisco ASA 302014): the id a
  // line names, found cheaply (no parse; a wrong guess is harmless), so that
  // a prefiltered scan can parse the teardowns of sessions it kept. Empty:
  // the line names none.
  std::string_view (*session_of)(std::string_view line) = nullptr;
};

// The format's parser for Event's family, or null when it has none.
template <class Event>
std::unique_ptr<Parser<Event>> make_parser(const FormatInfo& f, const ParseContext& ctx) {
  std::unique_ptr<Parser<Event>> (*make)(const ParseContext&) = nullptr;
  if constexpr (std::is_same_v<Event, DhcpEvent>) make = f.make_dhcp;
  if constexpr (std::is_same_v<Event, NatEvent>) make = f.make_nat;
  if constexpr (std::is_same_v<Event, LoginEvent>) make = f.make_login;
  if constexpr (std::is_same_v<Event, OwnerEvent>) make = f.make_owner;
  if constexpr (std::is_same_v<Event, ProxyEvent>) make = f.make_proxy;
  if constexpr (std::is_same_v<Event, MailEvent>) make = f.make_mail;
  return make ? make(ctx) : nullptr;
}

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

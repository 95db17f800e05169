// nfdump's text renderings of NetFlow/IPFIX records, with NAT (NEL, NSEL)
// and CGNAT port-block fields.
//
//   Flow Record:
//     first        =      1562833800235 [2019-07-11 10:30:00.235]
//     src addr     =     72.138.170.101
//     src xlt ip   =        44.55.66.77
//     nat event    =                  1: NAT translation create
//     pblock start =               1024
//
// Shapes read:
//  - `-o raw`: a "Flow Record:" line, then "  key = value" lines up to a blank
//    line. first/last/t event are epoch milliseconds (UTC) with the local time
//    in brackets; "src addr", "dst addr", "src port", "dst port", "proto"
//    (number and name), "src xlt ip"/"dst xlt ip"/"src xlt port"/"dst xlt
//    port", "nat event" ("N: text"), "fw event", "pblock start"/"end"/"size",
//    "ip exporter", "connect ID".
//  - `-o json` (objects of "key" : value lines inside "[{ ... }, { ... }]") and
//    `-o ndjson` (one object a line): t_first, t_last, t_event (local time
//    "2019-07-11T10:30:00.235"; old releases print the milliseconds without
//    zero padding, ".5" meaning 5 ms), proto, src4_addr/src6_addr,
//    dst4_addr/dst6_addr, src_port, dst_port, src4_xlt_ip/src6_xlt_ip,
//    dst4_xlt_ip, src_xlt_port, dst_xlt_port, nat_event or event (text),
//    pblock_start/pblock_end/pblock_size (numbers, sometimes quoted),
//    ip4_router/ip6_router, connect_id.
//  - `-o csv` and `-o csv:FORMAT`: a header line names the columns, in the
//    short names of nfdump 1.6/1.7 (ts,te,td,sa,da,sp,dp,pr,...,xsa,xda,xsp,
//    xdp,nevt,pbstart,pbend,pbstep,pbsize,ra) or the long ones of later
//    releases (firstSeen,lastSeen,srcAddr,dstAddr,srcPort,dstPort,proto,
//    srcXIP,dstXIP,srcXPort,dstXPort,event,eventTime,pbStart,pbEnd,pbSize,
//    routerIP,connectionID). Times are local "2019-07-11 10:30:00.235". The
//    "Summary" block older releases append is skipped.
//  - the column formats (-o line, -o nel, -o nsel, fmt:): rows "DATE TIME
//    [duration | event [xevent]] PROTO SRC:PORT -> DST:PORT [XSRC:PORT ->
//    XDST:PORT] [counters]" (nel: "%tevt %nevt %pr %sap -> %dap %nsap ->
//    %ndap"); IPv6 ports follow a '.', and nfdump shortens long IPv6
//    addresses with ".." unless told -6: such rows are malformed.
//
// Records: a NAT create event -> open, delete -> close, a create/delete that
// carries a port block (pblock end or size) and "Port block allocation"/
// "de-allocation" -> block_open/block_close (public_port = block start,
// block_end = block end, or start + size - 1); address/port exhaustion,
// quota and threshold events and firewall denials -> skip. A record without
// an event is a flow -> session (start = first seen, time = last seen); its
// public address is the translated source when the record has one, else the
// source itself. The inside host is the source, the far end the destination.
// When only the destination was translated (a static NAT or port forward),
// the inside host is the post-NAT destination and its public address the
// destination the initiator addressed; the initiator is the far end.
// Event times: open/block_open at the event time (else first seen),
// close/block_close at the event time (else last seen). The device is the
// exporter (router) address when the record names it.
#include <algorithm>
#include <charconv>
#include <string>

#include "format_list.h"
#include "tracekit/flat_json.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

enum class Ev : uint8_t { none, open, close, block_open, block_close, noise };

bool icontains(std::string_view s, std::string_view word) {
  if (word.size() > s.size()) return false;
  for (size_t i = 0; i + word.size() <= s.size(); ++i)
    if (iequals(s.substr(i, word.size()), word)) return true;
  return false;
}

// nfdump's own numbering of NAT events (output_raw.c, output_json.c).
Ev event_from_number(unsigned n) {
  switch (n) {
    case 0:
      return Ev::none;
    case 1:
    case 4:
    case 6:
    case 8:
    case 10:
    case 14:
      return Ev::open;
    case 2:
    case 5:
    case 7:
    case 9:
    case 11:
    case 15:
      return Ev::close;
    case 16:
      return Ev::block_open;
    case 17:
      return Ev::block_close;
    default:
      return Ev::noise;
  }
}

Ev event_from_text(std::string_view s) {
  s = trim(s);
  if (s.empty()) return Ev::none;
  unsigned n = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), n);
  if (r.ptr == s.data() + s.size() && r.ec == std::errc()) return event_from_number(n);
  if (r.ec == std::errc() && r.ptr < s.data() + s.size() && *r.ptr == ':') {
    std::string_view text = trim(s.substr(size_t(r.ptr - s.data()) + 1));
    if (text.empty()) return event_from_number(n);
    s = text;
  }
  if (icontains(s, "de-allocation") || icontains(s, "deallocation")) return Ev::block_close;
  if (icontains(s, "port block allocation")) return Ev::block_open;
  if (icontains(s, "exhausted") || icontains(s, "quota") || icontains(s, "threshold") ||
      icontains(s, "denied") || icontains(s, "alert") || icontains(s, "update") ||
      icontains(s, "reserved") || icontains(s, "ignore"))
    return Ev::noise;
  if (icontains(s, "create") || iequals(s, "add") || icontains(s, "add_")) return Ev::open;
  if (icontains(s, "delete")) return Ev::close;
  if (iequals(s, "invalid")) return Ev::noise;
  return Ev::noise;
}

uint8_t proto_from_text(std::string_view s, bool& ok) {
  s = trim(s);
  ok = true;
  unsigned n = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), n);
  if (r.ec == std::errc() && r.ptr != s.data() && n < 256) return uint8_t(n);  // "6 TCP" or "6"
  struct Name {
    std::string_view name;
    uint8_t num;
  };
  static constexpr Name kNames[] = {{"TCP", 6},    {"UDP", 17},       {"ICMP", 1},
                                    {"ICMP6", 58}, {"IPv6-ICMP", 58}, {"GRE", 47},
                                    {"ESP", 50},   {"AH", 51},        {"SCTP", 132}};
  for (const auto& nm : kNames)
    if (iequals(s, nm.name)) return nm.num;
  ok = false;
  return 0;
}

// One record as it is gathered, line by line (raw, json) or column by column.
struct Flow {
  Instant first = kNoTime, last = kNoTime, event_time = kNoTime;
  uint8_t first_flags = 0, last_flags = 0, event_flags = 0;
  IpAddr src, dst, xsrc, xdst;
  uint16_t sp = 0, dp = 0, xsp = 0, xdp = 0;
  bool has_src = false, has_dst = false, has_xsrc = false, has_xdst = false;
  uint8_t proto = 0;
  Ev ev = Ev::none;
  uint32_t pb_start = 0, pb_end = 0, pb_size = 0;
  bool has_pb = false;
  const char* bad = nullptr;  // first field that could not be read
  void fail(const char* why) {
    if (!bad) bad = why;
  }
};

// "2019-07-11 10:30:00.235" / "2019-07-11T10:30:00.5" (local), or epoch
// "1562833800.235".
bool read_time(std::string_view v, const ParseContext& ctx, Instant& t, uint8_t& flags) {
  v = trim(v);
  if (v.size() >= 19 && v[4] == '-') {
    size_t dot = v.find('.', 19);
    std::string_view whole = v.substr(0, dot == std::string_view::npos ? v.size() : dot);
    size_t used = 0;
    if (!parse_iso_timestamp(whole, ctx, t, flags, used) || used != whole.size()) return false;
    if (dot != std::string_view::npos) {
      std::string_view frac = v.substr(dot + 1);
      unsigned n = 0;
      if (frac.empty() || frac.size() > 6 || !parse_number(frac, n)) return false;
      // nfdump prints milliseconds, unpadded in old releases: ".5" is 5 ms.
      int64_t us = frac.size() <= 3 ? int64_t(n) * 1000
                                    : int64_t(n) * (frac.size() == 6   ? 1
                                                    : frac.size() == 5 ? 10
                                                                       : 100);
      t += Micros(us);
      flags |= kHasFraction;
    }
    return true;
  }
  return parse_epoch_timestamp(v, t, flags);
}

// The raw form's "1562833800235 [2019-07-11 10:30:00.235]": epoch ms, UTC.
bool read_epoch_ms(std::string_view v, Instant& t, uint8_t& flags) {
  v = trim(v);
  std::string_view num = v.substr(0, v.find(' '));
  int64_t ms = 0;
  if (!parse_number(num, ms) || ms < 0 || ms > int64_t(253402300799000)) return false;
  t = Instant(Micros(ms * 1000));
  flags = kHasFraction;
  return true;
}

template <class T>
bool read_uint(std::string_view v, T& out) {
  v = trim(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  std::string_view num = v.substr(0, v.find(' '));
  return parse_number(num, out);
}

bool read_addr(std::string_view v, IpAddr& ip) {
  v = trim(v);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  return parse_ip(v, ip);
}

enum class Col : uint8_t {
  ignore,
  first,
  last,
  event_time,
  src,
  dst,
  sp,
  dp,
  proto,
  xsrc,
  xdst,
  xsp,
  xdp,
  event,
  pb_start,
  pb_end,
  pb_size,
  router,
  conn
};

Col column_of(std::string_view name) {
  struct Entry {
    std::string_view name;
    Col col;
  };
  static constexpr Entry kCols[] = {
      {"ts", Col::first},
      {"firstSeen", Col::first},
      {"te", Col::last},
      {"lastSeen", Col::last},
      {"tevt", Col::event_time},
      {"eventTime", Col::event_time},
      {"sa", Col::src},
      {"srcAddr", Col::src},
      {"da", Col::dst},
      {"dstAddr", Col::dst},
      {"sp", Col::sp},
      {"srcPort", Col::sp},
      {"dp", Col::dp},
      {"dstPort", Col::dp},
      {"pr", Col::proto},
      {"proto", Col::proto},
      {"xsa", Col::xsrc},
      {"nsa", Col::xsrc},
      {"srcXIP", Col::xsrc},
      {"xda", Col::xdst},
      {"nda", Col::xdst},
      {"dstXIP", Col::xdst},
      {"xsp", Col::xsp},
      {"nsp", Col::xsp},
      {"srcXPort", Col::xsp},
      {"xdp", Col::xdp},
      {"ndp", Col::xdp},
      {"dstXPort", Col::xdp},
      {"nevt", Col::event},
      {"evt", Col::event},
      {"event", Col::event},
      {"pbstart", Col::pb_start},
      {"pbStart", Col::pb_start},
      {"pbend", Col::pb_end},
      {"pbEnd", Col::pb_end},
      {"pbsize", Col::pb_size},
      {"pbSize", Col::pb_size},
      {"ra", Col::router},
      {"routerIP", Col::router},
      {"nfc", Col::conn},
      {"connectionID", Col::conn},
  };
  for (const auto& e : kCols)
    if (e.name == name) return e.col;
  return Col::ignore;
}

class NfdumpParser final : public NatParser {
 public:
  explicit NfdumpParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, NatEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    std::string_view t = trim(text);

    if (mode_ == Mode::raw || mode_ == Mode::json) {
      bool ends =
          mode_ == Mode::raw ? t.empty() || t.starts_with("Flow Record:") : t.starts_with("}");
      if (!ends) {
        append_raw(text);
        if (mode_ == Mode::raw)
          read_raw_field(t);
        else
          read_json_member(t);
        return LineResult::more();
      }
      if (mode_ == Mode::json) append_raw(text);
      LineResult r = emit(out);
      mode_ = Mode::none;
      // A record that follows at once: "Flow Record:" after "Flow Record:",
      // "}, {" between json objects.
      if (t.starts_with("Flow Record:"))
        start_record(Mode::raw, line, text);
      else if (t.starts_with("}, {") || t.starts_with("},{"))
        start_record(Mode::json, line, "{");
      return r;
    }
    out.clear();
    if (t.empty()) return LineResult::skip("empty line");
    if (summary_) return LineResult::skip("nfdump summary");
    if (t.starts_with("Flow Record:")) {
      start_record(Mode::raw, line, text);
      return LineResult::more();
    }
    if (t == "[{" || t == "{" || t == "[") {
      if (t != "[") {
        start_record(Mode::json, line, text);
        return LineResult::more();
      }
      return LineResult::skip("start of a JSON array");
    }
    if (t == "]" || t == "}]") return LineResult::skip("end of a JSON array");
    if (t.front() == '{') return parse_ndjson(t, out);
    if (t == "Summary" || t.starts_with("Summary:")) {
      summary_ = true;
      return LineResult::skip("nfdump summary");
    }
    if (t.starts_with("Date ") && t.find("Src IP Addr") != std::string_view::npos)
      return LineResult::skip("column header");
    if (t.size() > 20 && t[4] == '-' && t[10] == ' ' && t.find(" -> ") != std::string_view::npos)
      return parse_text_row(t, out);
    if (t.find(',') != std::string_view::npos) {
      if (read_header(t)) return LineResult::skip("CSV header");
      if (ncols_ > 0) return parse_csv(t, out);
    }
    if (t.starts_with("Time window:") || t.starts_with("Total flows processed") ||
        t.starts_with("Sys:") || t.starts_with("No matching flows"))
      return LineResult::skip("nfdump statistics");
    return LineResult::malformed(
        "expected an nfdump record (Flow Record:, a JSON object or a CSV row after its header)");
  }

  LineResult finish(NatEvent& out) override {
    if (mode_ == Mode::raw) {
      mode_ = Mode::none;
      return emit(out);
    }
    if (mode_ == Mode::json) {
      mode_ = Mode::none;
      out.clear();
      set_origin(out);
      return LineResult::malformed("JSON object not closed at the end of the file");
    }
    return LineResult::skip("");
  }

 private:
  enum class Mode : uint8_t { none, raw, json };

  void start_record(Mode m, const Line& line, std::string_view text) {
    mode_ = m;
    flow_ = Flow{};
    device_len_ = conn_len_ = 0;
    first_line_ = line.number;
    first_offset_ = line.offset;
    raw_.clear();
    append_raw(text);
  }
  void append_raw(std::string_view text) {
    if (raw_.size() > (1u << 20)) return;  // a record never is this long: stop copying
    if (!raw_.empty()) raw_ += '\n';
    raw_.append(text);
  }
  void set_origin(NatEvent& out) {
    out.first_line = first_line_;
    out.first_offset = first_offset_;
    // The caller may start the next record in raw_ before this one is used.
    std::swap(raw_, done_raw_);
    out.raw = done_raw_;
  }
  void keep(char* buf, size_t& len, std::string_view v) {
    v = trim(v);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    len = std::min(v.size(), size_t(kKeep));
    std::copy(v.begin(), v.begin() + len, buf);
  }

  void read_raw_field(std::string_view t) {
    size_t eq = t.find('=');
    if (eq == std::string_view::npos) return;
    std::string_view key = trim(t.substr(0, eq)), v = trim(t.substr(eq + 1));
    Flow& f = flow_;
    if (key == "first") {
      if (!read_epoch_ms(v, f.first, f.first_flags)) f.fail("bad first time");
    } else if (key == "last") {
      if (!read_epoch_ms(v, f.last, f.last_flags)) f.fail("bad last time");
    } else if (key == "t event" || key == "msec event") {
      if (!read_epoch_ms(v, f.event_time, f.event_flags)) f.fail("bad event time");
    } else if (key == "src addr") {
      f.has_src = read_addr(v, f.src);
      if (!f.has_src) f.fail("bad src addr");
    } else if (key == "dst addr") {
      f.has_dst = read_addr(v, f.dst);
      if (!f.has_dst) f.fail("bad dst addr");
    } else if (key == "src port") {
      if (!read_uint(v, f.sp)) f.fail("bad src port");
    } else if (key == "dst port") {
      if (!read_uint(v, f.dp)) f.fail("bad dst port");
    } else if (key == "proto") {
      bool ok = false;
      f.proto = proto_from_text(v, ok);
      if (!ok) f.fail("bad proto");
    } else if (key == "src xlt ip") {
      f.has_xsrc = read_addr(v, f.xsrc);
      if (!f.has_xsrc) f.fail("bad src xlt ip");
    } else if (key == "dst xlt ip") {
      f.has_xdst = read_addr(v, f.xdst);
      if (!f.has_xdst) f.fail("bad dst xlt ip");
    } else if (key == "src xlt port") {
      if (!read_uint(v, f.xsp)) f.fail("bad src xlt port");
    } else if (key == "dst xlt port") {
      if (!read_uint(v, f.xdp)) f.fail("bad dst xlt port");
    } else if (key == "nat event" || key == "fw event") {
      f.ev = event_from_text(v);
    } else if (key == "pblock start") {
      f.has_pb |= read_uint(v, f.pb_start);
    } else if (key == "pblock end") {
      f.has_pb |= read_uint(v, f.pb_end);
    } else if (key == "pblock size") {
      f.has_pb |= read_uint(v, f.pb_size);
    } else if (key == "ip exporter") {
      keep(device_, device_len_, v);
    } else if (key == "connect ID" || key == "connection ID") {
      keep(conn_, conn_len_, v);
    }
  }

  // One member of a JSON object, as "key" : value[,] (-o json), or a field
  // of an ndjson object.
  void read_json_member(std::string_view t) {
    if (t.empty() || t.front() != '"') return;
    size_t kend = t.find('"', 1);
    if (kend == std::string_view::npos) return;
    std::string_view key = t.substr(1, kend - 1);
    std::string_view rest = trim(t.substr(kend + 1));
    if (rest.empty() || rest.front() != ':') return;
    rest = trim(rest.substr(1));
    if (!rest.empty() && rest.back() == ',') rest.remove_suffix(1);
    json_field(key, trim(rest));
  }

  void json_field(std::string_view key, std::string_view v) {
    Flow& f = flow_;
    std::string_view s = v;
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
    if (key == "t_first" || key == "first") {
      if (!read_time(s, ctx_, f.first, f.first_flags)) f.fail("bad t_first");
    } else if (key == "t_last" || key == "last") {
      if (!read_time(s, ctx_, f.last, f.last_flags)) f.fail("bad t_last");
    } else if (key == "t_event") {
      if (!read_time(s, ctx_, f.event_time, f.event_flags)) f.fail("bad t_event");
    } else if (key == "src4_addr" || key == "src6_addr") {
      f.has_src = parse_ip(s, f.src);
      if (!f.has_src) f.fail("bad src address");
    } else if (key == "dst4_addr" || key == "dst6_addr") {
      f.has_dst = parse_ip(s, f.dst);
      if (!f.has_dst) f.fail("bad dst address");
    } else if (key == "src_port") {
      if (!read_uint(s, f.sp)) f.fail("bad src_port");
    } else if (key == "dst_port") {
      if (!read_uint(s, f.dp)) f.fail("bad dst_port");
    } else if (key == "proto") {
      bool ok = false;
      f.proto = proto_from_text(s, ok);
      if (!ok) f.fail("bad proto");
    } else if (key == "src4_xlt_ip" || key == "src6_xlt_ip") {
      f.has_xsrc = parse_ip(s, f.xsrc);
      if (!f.has_xsrc) f.fail("bad src xlt address");
    } else if (key == "dst4_xlt_ip" || key == "dst6_xlt_ip") {
      f.has_xdst = parse_ip(s, f.xdst);
      if (!f.has_xdst) f.fail("bad dst xlt address");
    } else if (key == "src_xlt_port") {
      if (!read_uint(s, f.xsp)) f.fail("bad src_xlt_port");
    } else if (key == "dst_xlt_port") {
      if (!read_uint(s, f.xdp)) f.fail("bad dst_xlt_port");
    } else if (key == "nat_event" || key == "event") {
      Ev e = event_from_text(s);
      if (e != Ev::none || f.ev == Ev::none) f.ev = e;
    } else if (key == "pblock_start") {
      f.has_pb |= read_uint(s, f.pb_start);
    } else if (key == "pblock_end") {
      f.has_pb |= read_uint(s, f.pb_end);
    } else if (key == "pblock_size") {
      f.has_pb |= read_uint(s, f.pb_size);
    } else if (key == "ip4_router" || key == "ip6_router") {
      keep(device_, device_len_, s);
    } else if (key == "connect_id") {
      keep(conn_, conn_len_, s);
    }
  }

  LineResult parse_ndjson(std::string_view t, NatEvent& out) {
    flow_ = Flow{};
    device_len_ = conn_len_ = 0;
    const char* err =
        for_each_json_field(t, [&](const JsonField& f) { json_field(f.key, f.value); });
    if (err) return LineResult::malformed(err);
    return finish_flow(out);
  }

  // Splits a CSV row: the next cell of s (s advances past its comma); `more`
  // says whether a cell follows.
  static std::string_view next_cell(std::string_view& s, bool& more) {
    size_t comma = s.find(',');
    std::string_view v = trim(s.substr(0, comma));
    more = comma != std::string_view::npos;
    s = more ? s.substr(comma + 1) : std::string_view();
    return v;
  }

  bool read_header(std::string_view t) {
    size_t n = 0;
    bool has_src = false, has_time = false, more = true;
    Col cols[kMaxCols];
    std::string_view s = t;
    while (more) {
      std::string_view name = next_cell(s, more);
      if (name.empty() && !more) break;  // a trailing comma
      if (n == kMaxCols) return false;
      if (!name.empty() && name.front() >= '0' && name.front() <= '9') return false;  // data
      Col c = column_of(name);
      has_src |= c == Col::src;
      has_time |= c == Col::first || c == Col::last;
      cols[n++] = c;
    }
    if (!has_src || !has_time) return false;
    std::copy(cols, cols + n, cols_);
    ncols_ = n;
    return true;
  }

  LineResult parse_csv(std::string_view t, NatEvent& out) {
    flow_ = Flow{};
    device_len_ = conn_len_ = 0;
    Flow& f = flow_;
    std::string_view s = t;
    size_t i = 0;
    bool more = true;
    while (more && i < ncols_) {
      std::string_view v = next_cell(s, more);
      Col c = cols_[i++];
      if (v.empty() || c == Col::ignore) continue;
      switch (c) {
        case Col::first:
          if (!read_time(v, ctx_, f.first, f.first_flags)) f.fail("bad first-seen time");
          break;
        case Col::last:
          if (!read_time(v, ctx_, f.last, f.last_flags)) f.fail("bad last-seen time");
          break;
        case Col::event_time:
          if (!read_time(v, ctx_, f.event_time, f.event_flags)) f.fail("bad event time");
          break;
        case Col::src:
          f.has_src = parse_ip(v, f.src);
          if (!f.has_src) f.fail("bad source address");
          break;
        case Col::dst:
          f.has_dst = parse_ip(v, f.dst);
          if (!f.has_dst) f.fail("bad destination address");
          break;
        case Col::sp:
          if (!read_uint(v, f.sp)) f.fail("bad source port");
          break;
        case Col::dp:
          // ICMP flows print type.code here.
          if (!read_uint(v, f.dp) && v.find('.') == std::string_view::npos)
            f.fail("bad destination port");
          break;
        case Col::proto: {
          bool ok = false;
          f.proto = proto_from_text(v, ok);
          if (!ok) f.fail("bad protocol");
          break;
        }
        case Col::xsrc:
          f.has_xsrc = parse_ip(v, f.xsrc);
          if (!f.has_xsrc) f.fail("bad translated source address");
          break;
        case Col::xdst:
          f.has_xdst = parse_ip(v, f.xdst);
          if (!f.has_xdst) f.fail("bad translated destination address");
          break;
        case Col::xsp:
          if (!read_uint(v, f.xsp)) f.fail("bad translated source port");
          break;
        case Col::xdp:
          if (!read_uint(v, f.xdp)) f.fail("bad translated destination port");
          break;
        case Col::event:
          f.ev = event_from_text(v);
          break;
        case Col::pb_start:
          f.has_pb |= read_uint(v, f.pb_start);
          break;
        case Col::pb_end:
          f.has_pb |= read_uint(v, f.pb_end);
          break;
        case Col::pb_size:
          f.has_pb |= read_uint(v, f.pb_size);
          break;
        case Col::router:
          out.device = v;
          break;
        case Col::conn:
          out.session_id = v;
          break;
        case Col::ignore:
          break;
      }
    }
    if (i < ncols_) return LineResult::malformed("CSV row with fewer columns than its header");
    std::string_view device = out.device, conn = out.session_id;
    LineResult r = finish_flow(out);
    if (r.status == LineStatus::record) {
      out.device = device;
      out.session_id = conn;
    }
    return r;
  }

  // "10.0.0.5:51234", or nfdump's IPv6 form "2001:db8::5.51234"; ICMP
  // prints type.code as the destination "port".
  static bool read_addr_port(std::string_view v, IpAddr& ip, uint16_t& port, bool& abbreviated) {
    abbreviated = v.find("..") != std::string_view::npos;
    if (abbreviated) return false;
    size_t colon = v.rfind(':');
    size_t dot = v.rfind('.');
    bool v6 = v.find(':') != colon || (colon != std::string_view::npos && dot > colon);
    size_t sep = v6 ? dot : colon;
    if (sep == std::string_view::npos) return false;
    if (!parse_ip(v.substr(0, sep), ip)) {
      // ICMP "198.51.100.1:8.0": the colon separates.
      if (colon == std::string_view::npos || !parse_ip(v.substr(0, colon), ip)) return false;
      port = 0;
      return true;
    }
    if (!parse_number(v.substr(sep + 1), port)) port = 0;
    return true;
  }

  // -o line / nel / nsel and fmt: rows: "DATE TIME [duration|event [xevent]]
  // PROTO SRC:PORT -> DST:PORT [XSRC:PORT -> XDST:PORT] [counters]".
  LineResult parse_text_row(std::string_view t, NatEvent& out) {
    flow_ = Flow{};
    device_len_ = conn_len_ = 0;
    Flow& f = flow_;
    std::string_view tok[24];
    size_t n = 0;
    std::string_view s = t;
    while (!s.empty() && n < 24) {
      std::string_view w = next_token(s);
      if (!w.empty()) tok[n++] = w;
    }
    std::string_view stamp(tok[0].data(), size_t(tok[1].data() + tok[1].size() - tok[0].data()));
    if (!read_time(stamp, ctx_, f.first, f.first_flags))
      return LineResult::malformed("bad date in an nfdump row");
    size_t arrow = 0;
    while (arrow < n && tok[arrow] != "->") ++arrow;
    if (arrow < 4 || arrow + 1 >= n)
      return LineResult::malformed("expected SRC -> DST in an nfdump row");
    bool ok = false;
    f.proto = proto_from_text(tok[arrow - 2], ok);
    if (!ok) return LineResult::malformed("bad protocol in an nfdump row");
    if (arrow - 2 > 2) {
      std::string_view first = tok[2];
      bool duration = !first.empty() && first[0] >= '0' && first[0] <= '9';
      if (!duration) f.ev = event_from_text(first);
    }
    bool abbreviated = false;
    if (!read_addr_port(tok[arrow - 1], f.src, f.sp, abbreviated) ||
        !read_addr_port(tok[arrow + 1], f.dst, f.dp, abbreviated))
      return LineResult::malformed(abbreviated ? "IPv6 address shortened by nfdump (print with -6)"
                                               : "bad address in an nfdump row");
    f.has_src = f.has_dst = true;
    if (arrow + 4 < n && tok[arrow + 3] == "->") {
      if (!read_addr_port(tok[arrow + 2], f.xsrc, f.xsp, abbreviated) ||
          !read_addr_port(tok[arrow + 4], f.xdst, f.xdp, abbreviated))
        return LineResult::malformed(abbreviated
                                         ? "IPv6 address shortened by nfdump (print with -6)"
                                         : "bad translated address in an nfdump row");
      f.has_xsrc = f.has_xdst = true;
    }
    return finish_flow(out);
  }

  LineResult emit(NatEvent& out) {
    out.clear();
    set_origin(out);
    LineResult r = finish_flow(out);
    out.first_line = first_line_;
    out.first_offset = first_offset_;
    out.raw = done_raw_;
    return r;
  }

  // Turns flow_ into out (whose raw/first_line the caller keeps).
  LineResult finish_flow(NatEvent& out) {
    Flow& f = flow_;
    uint64_t fl = out.first_line, fo = out.first_offset;
    std::string_view raw = out.raw;
    out.clear();
    out.first_line = fl;
    out.first_offset = fo;
    out.raw = raw;
    // The line's time for coverage, whatever comes of it.
    Instant when = f.event_time != kNoTime ? f.event_time : f.first != kNoTime ? f.first : f.last;
    out.time = when;
    out.time_flags = f.event_time != kNoTime ? f.event_flags
                     : f.first != kNoTime    ? f.first_flags
                                             : f.last_flags;
    if (f.bad) return LineResult::malformed(f.bad);
    if (f.ev == Ev::noise) return LineResult::skip("NAT event without a translation");
    if (!f.has_src) return LineResult::skip("nfdump record without addresses");
    if (when == kNoTime) return LineResult::malformed("nfdump record without a time");
    out.proto = f.proto;
    auto set = [](const IpAddr& ip) { return !ip.is_unset() && !(ip == IpAddr::from_v4(0)); };
    bool translated = f.has_xsrc && set(f.xsrc);
    bool src_changed = translated && (f.xsrc != f.src || (f.xsp != 0 && f.xsp != f.sp));
    bool dst_changed = f.has_dst && f.has_xdst && set(f.xdst) &&
                       (f.xdst != f.dst || (f.xdp != 0 && f.xdp != f.dp));
    if (dst_changed && !src_changed) {
      // Only the destination was translated (a static NAT or port forward to
      // a server): the host behind the NAT is the post-NAT destination, its
      // public address the one the initiator addressed.
      out.inside_ip = f.xdst;
      out.inside_port = f.xdp != 0 ? f.xdp : f.dp;
      out.public_ip = f.dst;
      out.public_port = f.dp;
      out.dst_ip = f.src;
      out.dst_port = f.sp;
    } else {
      out.inside_ip = f.src;
      out.inside_port = f.sp;
      out.public_ip = translated ? f.xsrc : f.src;
      out.public_port = translated && f.xsp != 0 ? f.xsp : f.sp;
      if (f.has_dst) {
        out.dst_ip = f.dst;
        out.dst_port = f.dp;
      }
    }
    if (f.proto == 1 || f.proto == 58) out.inside_port = out.public_port = out.dst_port = 0;
    if (device_len_) out.device = std::string_view(device_, device_len_);
    if (conn_len_) out.session_id = std::string_view(conn_, conn_len_);
    Ev ev = f.ev;
    bool block = f.has_pb && (f.pb_end != 0 || f.pb_size != 0);
    if (block && ev == Ev::open) ev = Ev::block_open;
    if (block && ev == Ev::close) ev = Ev::block_close;
    switch (ev) {
      case Ev::none:
        out.action = NatAction::session;
        out.time = f.last != kNoTime ? f.last : f.first;
        out.time_flags = f.last != kNoTime ? f.last_flags : f.first_flags;
        if (f.first != kNoTime && f.last != kNoTime) out.start = f.first;
        break;
      case Ev::open:
      case Ev::block_open:
        out.action = ev == Ev::open ? NatAction::open : NatAction::block_open;
        break;
      case Ev::close:
      case Ev::block_close:
        out.action = ev == Ev::close ? NatAction::close : NatAction::block_close;
        if (f.event_time == kNoTime && f.last != kNoTime) {
          out.time = f.last;
          out.time_flags = f.last_flags;
        }
        if (f.first != kNoTime && f.last != kNoTime && f.last > f.first) out.start = f.first;
        break;
      case Ev::noise:
        break;
    }
    if (ev == Ev::block_open || ev == Ev::block_close) {
      if (!translated)
        return LineResult::malformed("port block event without a translated address");
      uint32_t end = f.pb_end != 0 ? f.pb_end : f.pb_start + f.pb_size - 1;
      if (f.pb_start == 0 || f.pb_start > 65535 || end < f.pb_start || end > 65535)
        return LineResult::malformed("bad port block range");
      out.public_port = uint16_t(f.pb_start);
      out.block_end = uint16_t(end);
      out.inside_port = 0;
      out.dst_ip = IpAddr{};
      out.dst_port = 0;
    }
    return LineResult::record();
  }

  static constexpr size_t kMaxCols = 160;
  static constexpr size_t kKeep = 64;
  const ParseContext& ctx_;
  Mode mode_ = Mode::none;
  bool summary_ = false;
  Flow flow_;
  uint64_t first_line_ = 0, first_offset_ = 0;
  std::string raw_, done_raw_;
  char device_[kKeep], conn_[kKeep];
  size_t device_len_ = 0, conn_len_ = 0;
  Col cols_[kMaxCols];
  size_t ncols_ = 0;
};

int sniff(std::string_view head, const char** why) {
  size_t raw = 0, json = 0, csv = 0;
  size_t lines = for_each_head_line(head, 200, [&](std::string_view line) {
    std::string_view t = trim(line);
    if (t.starts_with("Flow Record:") ||
        (t.starts_with("Date ") && t.find("Src IP Addr:Port") != std::string_view::npos))
      ++raw;
    if (t.starts_with("\"t_first\"") || t.find("\"src4_addr\"") != std::string_view::npos ||
        t.find("\"src6_addr\"") != std::string_view::npos)
      ++json;
    if ((t.starts_with("ts,te,td,sa,da,sp,dp,pr") || t.starts_with("firstSeen,")) ||
        (t.find(",sa,") != std::string_view::npos && t.find(",xsa") != std::string_view::npos) ||
        (t.find("srcAddr") != std::string_view::npos && t.find("srcXIP") != std::string_view::npos))
      ++csv;
  });
  (void)lines;
  if (raw) {
    *why = "nfdump -o raw \"Flow Record:\" blocks or a column header";
    return 90;
  }
  if (json) {
    *why = "nfdump JSON records (t_first, src4_addr, ...)";
    return 85;
  }
  if (csv) {
    *why = "nfdump CSV header";
    return 85;
  }
  *why = "no nfdump Flow Record blocks, JSON records or CSV header";
  return 0;
}

std::unique_ptr<NatParser> make(const ParseContext& ctx) {
  return std::make_unique<NfdumpParser>(ctx);
}

}  // namespace

const FormatInfo& nfdump_format() {
  static const FormatInfo info{
      .name = "nfdump",
      .family = Family::nat,
      .summary =
          "nfdump output with NAT/NEL/NSEL and port-block fields: -o raw, -o json, "
          "-o ndjson, -o csv (short and long column names)",
      .sniff = sniff,
      .make_nat = make};
  return info;
}

}  // namespace tracekit::formats

// CGNAT port-block allocation logs: Juniper JSERVICES_NAT_PORT_BLOCK_* and
// Cisco IOS XR CGN (CGv6) bulk-port-allocation syslog.
//
//   Apr 23 16:19:00 mx-cgn (FPC Slot 1, PIC Slot 0) 2026-04-23 16:19:00: {cgn-sset}[jservices-nat]:
//   JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.0.5 -> 203.0.113.9:2048-2175 0x69ea4674
//   <134>1 2026 Apr 23 16:19:00 192.0.2.1 - - NAT44 - [UserbasedA - 100.64.0.5 Broadband -
//   203.0.113.9 - 2048 3071 - -]
//
// (each one line). Juniper (MS-DPC/MS-MPC services PICs, "secured port block
// allocation"): JSERVICES_NAT_PORT_BLOCK_ALLOC when a block is given to a
// subscriber, _RELEASE when it is taken back, _ACTIVE when an active block is
// logged again (pba-interim-logging-interval); the message is
//   SUBSCRIBER -> PUBLIC:FIRST-LAST 0xHEX
// after a syslog header (BSD with the PIC's "(FPC Slot f, PIC Slot p)" and its
// own "YYYY-MM-DD HH:MM:SS:" stamp, "{service-set}[jservices-nat]:" or
// "[FWNAT]:" tags, or RFC 5424 with the text after the structured data). The
// hex word is read by neither time nor pairing (its meaning is not documented
// in what we found). Time: the PIC's own stamp when the line has one (the
// event's time on the device, local), else the syslog header's.
//
// Cisco IOS XR CGN (Cisco IOS XR Carrier Grade NAT Configuration Guide,
// "Syslog Message Format"): RFC 5424-like header whose timestamp is
// "YYYY Mon DD HH:MM:SS" (local to the device), APP-NAME NAT44 or DSLite, and
// one or more records, each
//   [EventName L4 OrigSrcIP InsideVRF OrigSrcIPv6 TranslatedSrcIP OrigPort
//    FirstPort LastPort DstIP DstPort]
// with '-' for what does not apply. UserbasedA -> block_open, UserbasedW ->
// block_close (bulk port allocation: the block FirstPort-LastPort);
// SessionbasedA/AD -> open, SessionbasedW/WD -> close (one port); Portblockrunout
// -> skip. A DS-Lite record's subscriber is its IPv6 (B4) address when the
// IPv4 one is '-'. The device packs several records into one line when they
// fall within a second; a line holds one record here, so such a line is
// reported malformed (counted, with its line number) rather than read in part.
//
// A port in [FIRST, LAST] of the public address during the allocation belongs
// to the subscriber: public_port = FIRST, block_end = LAST, inside = the
// subscriber's address.
#include <charconv>

#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "YYYY-MM-DD HH:MM:SS" (the PIC's stamp, zone-less).
bool read_pic_stamp(std::string_view s, const ParseContext& ctx, Instant& t, uint8_t& flags) {
  if (s.size() < 19 || s[4] != '-' || s[10] != ' ') return false;
  size_t used = 0;
  return parse_iso_timestamp(s.substr(0, 19), ctx, t, flags, used) && used == 19;
}

// "2026 Apr 23 16:19:00[.123]" (Cisco CGN, zone-less).
bool read_cgn_stamp(std::string_view& s, const ParseContext& ctx, Instant& t, uint8_t& flags) {
  std::string_view r = s;
  std::string_view y = next_token(r), mo = next_token(r), d = next_token(r), hms = next_token(r);
  int year = 0;
  unsigned day = 0, month = parse_month_abbrev(mo);
  if (y.size() != 4 || !parse_number(y, year) || month == 0 || !parse_number(d, day) ||
      hms.size() < 8 || hms[2] != ':' || hms[5] != ':' || !valid_date(year, month, day) ||
      !ctx.local)
    return false;
  int hh = 0, mi = 0, ss = 0;
  if (!parse_number(hms.substr(0, 2), hh) || !parse_number(hms.substr(3, 2), mi) ||
      !parse_number(hms.substr(6, 2), ss) || hh > 23 || mi > 59 || ss > 60)
    return false;
  int64_t us = 0;
  bool frac = false;
  if (hms.size() > 8) {
    std::string_view f = hms.substr(9);
    unsigned n = 0;
    if (hms[8] != '.' || f.empty() || f.size() > 6 || !parse_number(f, n)) return false;
    us = n;
    for (size_t i = f.size(); i < 6; ++i) us *= 10;
    frac = true;
  }
  uint8_t fl = 0;
  t = ctx.local->to_utc(days_from_civil(year, month, day),
                        (int64_t(hh) * 3600 + mi * 60 + std::min(ss, 59)) * 1000000 + us, fl);
  flags = fl | ctx.zone_flags | (frac ? kHasFraction : 0);
  s = r;
  return true;
}

bool read_port(std::string_view v, uint16_t& p) {
  return parse_number(v, p);
}

class CgnatPortBlockParser final : public NatParser {
 public:
  explicit CgnatPortBlockParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, NatEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (trim(text).empty()) return LineResult::skip("empty line");
    out.clear();
    size_t jt = text.find("JSERVICES_");
    if (jt != std::string_view::npos) return parse_juniper(text, jt, out);
    size_t cg = find_cgn(text);
    if (cg != std::string_view::npos) return parse_cisco(text, cg, out);
    SyslogHeader h;
    const char* why = "";
    if (!parse_syslog_header(text, ctx_, h, &why))
      return LineResult::malformed(
          "expected a JSERVICES_NAT_PORT_BLOCK message or a Cisco CGN NAT44/DSLite record");
    out.time = h.time;
    out.time_flags = h.time_flags;
    return LineResult::foreign("not a port-block allocation message");
  }

 private:
  static size_t find_cgn(std::string_view t) {
    for (std::string_view app : {std::string_view(" NAT44 - ["), std::string_view(" DSLite - [")}) {
      size_t at = t.find(app);
      if (at != std::string_view::npos) return at;
    }
    return std::string_view::npos;
  }

  LineResult parse_juniper(std::string_view text, size_t at, NatEvent& out) {
    SyslogHeader h;
    const char* why = "";
    if (parse_syslog_header(text, ctx_, h, &why)) {
      out.time = h.time;
      out.time_flags = h.time_flags;
      out.device = h.host;
    } else if (at != 0) {
      return LineResult::malformed(why);
    }
    // The PIC's own stamp: "(FPC Slot 1, PIC Slot 0) 2026-04-23 16:19:00: ".
    size_t pic = text.find("PIC Slot ");
    if (pic != std::string_view::npos && pic < at) {
      size_t close = text.find(") ", pic);
      if (close != std::string_view::npos && close < at) {
        std::string_view rest = text.substr(close + 2);
        if (rest.size() > 19 && is_digit(rest[0]) &&
            !read_pic_stamp(rest, ctx_, out.time, out.time_flags))
          return LineResult::malformed("bad services PIC timestamp");
      }
    }
    std::string_view msg = text.substr(at);
    std::string_view id = next_token(msg);
    if (!id.empty() && id.back() == ':') id.remove_suffix(1);
    if (id == "JSERVICES_NAT_PORT_BLOCK_ALLOC" || id == "JSERVICES_NAT_PORT_BLOCK_ACTIVE")
      out.action = NatAction::block_open;
    else if (id == "JSERVICES_NAT_PORT_BLOCK_RELEASE")
      out.action = NatAction::block_close;
    else
      return out.time == kNoTime ? LineResult::malformed("JSERVICES message without a time")
                                 : LineResult::skip("JSERVICES message that is not a port block");
    if (out.time == kNoTime) return LineResult::malformed("JSERVICES message without a time");
    // RFC 5424: the text follows the structured data.
    size_t arrow = msg.find(" -> ");
    if (arrow == std::string_view::npos)
      return LineResult::malformed("expected SUBSCRIBER -> PUBLIC:FIRST-LAST");
    std::string_view before = trim(msg.substr(0, arrow));
    size_t sp = before.rfind(' ');
    std::string_view sub = sp == std::string_view::npos ? before : before.substr(sp + 1);
    std::string_view rest = msg.substr(arrow + 4);
    std::string_view pub = next_token(rest);
    size_t colon = pub.rfind(':');
    size_t dash = pub.rfind('-');
    if (!parse_ip(sub, out.inside_ip)) return LineResult::malformed("bad subscriber address");
    if (colon == std::string_view::npos || dash == std::string_view::npos || dash < colon ||
        !parse_ip(pub.substr(0, colon), out.public_ip))
      return LineResult::malformed("bad public address or port range");
    uint16_t first = 0, last = 0;
    if (!read_port(pub.substr(colon + 1, dash - colon - 1), first) ||
        !read_port(pub.substr(dash + 1), last) || last < first)
      return LineResult::malformed("bad port range");
    out.public_port = first;
    out.block_end = last;
    return LineResult::record();
  }

  LineResult parse_cisco(std::string_view text, size_t at, NatEvent& out) {
    std::string_view head = text.substr(0, at);
    // "<134>1 2026 Apr 23 16:19:00 HOST - -", maybe behind a relay's syslog header.
    size_t v1 = head.find(">1 ");
    std::string_view s = v1 == std::string_view::npos ? head : head.substr(v1 + 3);
    bool timed = false;
    while (!s.empty()) {
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      if (s.size() >= 4 && is_digit(s[0]) && is_digit(s[3]) &&
          read_cgn_stamp(s, ctx_, out.time, out.time_flags)) {
        timed = true;
        while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
        std::string_view host = next_token(s);
        if (host != "-") out.device = host;
        break;
      }
      next_token(s);
    }
    if (!timed) return LineResult::malformed("no Cisco CGN timestamp (YYYY Mon DD HH:MM:SS)");
    std::string_view recs = text.substr(at);
    recs.remove_prefix(recs.find('['));
    size_t close = recs.find(']');
    if (close == std::string_view::npos) return LineResult::malformed("unterminated CGN record");
    std::string_view after = trim(recs.substr(close + 1));
    if (!after.empty())
      return LineResult::malformed(
          "several CGN records on one line (one record a line is read; none was used)");
    std::string_view r = recs.substr(1, close - 1);
    std::string_view f[11];
    size_t n = 0;
    while (!r.empty() && n < 11) {
      std::string_view tok = next_token(r);
      if (tok.empty()) continue;
      f[n++] = tok;
    }
    if (n != 11 || !trim(r).empty())
      return LineResult::malformed("expected 11 fields in a CGN record");
    std::string_view ev = f[0];
    bool block = false;
    if (ev == "UserbasedA") {
      out.action = NatAction::block_open;
      block = true;
    } else if (ev == "UserbasedW") {
      out.action = NatAction::block_close;
      block = true;
    } else if (ev == "SessionbasedA" || ev == "SessionbasedAD") {
      out.action = NatAction::open;
    } else if (ev == "SessionbasedW" || ev == "SessionbasedWD") {
      out.action = NatAction::close;
    } else if (ev == "Portblockrunout") {
      return LineResult::skip("CGN ports exhausted");
    } else {
      return LineResult::malformed("unknown CGN event name");
    }
    auto dash = [](std::string_view v) { return v == "-"; };
    if (!dash(f[1])) {
      unsigned p = 0;
      if (!parse_number(f[1], p) || p > 255) return LineResult::malformed("bad L4 protocol");
      out.proto = uint8_t(p);
    }
    bool inside = false;
    if (!dash(f[2])) {
      if (!parse_ip(f[2], out.inside_ip)) return LineResult::malformed("bad original source IP");
      inside = true;
    } else if (!dash(f[4])) {
      if (!parse_ip(f[4], out.inside_ip)) return LineResult::malformed("bad original source IPv6");
      inside = true;
    }
    if (!inside) return LineResult::malformed("CGN record without a subscriber address");
    if (!parse_ip(f[5], out.public_ip)) return LineResult::malformed("bad translated source IP");
    if (!dash(f[6]) && !read_port(f[6], out.inside_port))
      return LineResult::malformed("bad original port");
    uint16_t first = 0, last = 0;
    if (!read_port(f[7], first)) return LineResult::malformed("bad translated first port");
    if (!dash(f[8]) && !read_port(f[8], last))
      return LineResult::malformed("bad translated last port");
    out.public_port = first;
    if (block) {
      if (dash(f[8]) || last < first) return LineResult::malformed("bad port block range");
      out.block_end = last;
    }
    if (!dash(f[9]) && !parse_ip(f[9], out.dst_ip))
      return LineResult::malformed("bad destination IP");
    if (!dash(f[10]) && !read_port(f[10], out.dst_port))
      return LineResult::malformed("bad destination port");
    return LineResult::record();
  }

  const ParseContext& ctx_;
};

int sniff(std::string_view head, const char** why) {
  size_t hits = 0;
  size_t lines = for_each_head_line(head, 200, [&](std::string_view line) {
    if (line.find("JSERVICES_NAT_PORT_BLOCK_") != std::string_view::npos)
      ++hits;
    else if ((line.find(" NAT44 - [") != std::string_view::npos ||
              line.find(" DSLite - [") != std::string_view::npos) &&
             (line.find("[Userbased") != std::string_view::npos ||
              line.find("[Sessionbased") != std::string_view::npos))
      ++hits;
  });
  if (hits == 0) {
    *why = "no JSERVICES_NAT_PORT_BLOCK messages or Cisco CGN records";
    return 0;
  }
  *why = "CGNAT port-block messages (Juniper JSERVICES / Cisco CGN)";
  return hits * 2 >= lines ? 90 : 70;
}

std::unique_ptr<NatParser> make(const ParseContext& ctx) {
  return std::make_unique<CgnatPortBlockParser>(ctx);
}

}  // namespace

const FormatInfo& cgnat_port_block_format() {
  static const FormatInfo info{
      .name = "cgnat-port-block",
      .family = Family::nat,
      .summary =
          "CGNAT port-block allocation: Juniper JSERVICES_NAT_PORT_BLOCK_ALLOC/RELEASE/"
          "ACTIVE and Cisco IOS XR CGN syslog (UserbasedA/W, SessionbasedA/W)",
      .sniff = sniff,
      .make_nat = make};
  return info;
}

}  // namespace tracekit::formats

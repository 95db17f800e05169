// Cisco ASA / Firepower Threat Defense syslog: address translations and
// connections.
//
//   Apr 23 2026 16:19:00 fw01 : %ASA-6-302013: Built outbound TCP connection 4711 for
//     outside:198.51.100.1/443 (198.51.100.1/443) to inside:10.0.0.5/51234 (203.0.113.9/40123)
//
// The messages read (Cisco's syslog message guide):
//   305011 Built {dynamic|static} {TCP|UDP|ICMP} translation from IF:REAL/PORT to IF:MAPPED/PORT
//   305012 Teardown {dynamic|static} {TCP|UDP|ICMP} translation from ... duration H:MM:SS
//   305009/305010 the same without protocol and ports (NAT without PAT)
//   302013/302015 Built {inbound|outbound} {TCP|UDP} connection ID for IF:REAL/PORT
//     (MAPPED/PORT) [(user)] to IF:REAL/PORT (MAPPED/PORT) [(user)]
//   302014/302016 Teardown {TCP|UDP} connection ID for IF:REAL/PORT to IF:REAL/PORT
//     duration H:MM:SS bytes N [reason] [(user)]
//   302020/302021 Built {inbound|outbound} / Teardown ICMP connection for faddr F/ID
//     gaddr G/ID laddr L/ID [type T code C]
// Direction: the ASA writes the outside (lower-security) end of a connection
// first and the inside end second, whichever end initiated it. An outbound
// connection's "for" half is the server the inside host reached, its "to" half
// the inside host (and its mapped, public, address in parentheses); an inbound
// connection's "for" half is the outside initiator, its "to" half the inside
// server. So inside = second half, public = its mapped address, dst = the first
// half's mapped address (the far end as the inside host addressed it). In ICMP
// messages laddr is inside, gaddr public, faddr the far end.
// Teardowns of connections do not repeat the mapped addresses: the parser
// remembers them from the Built line by connection id (a fixed table), and
// leaves public unset when the Built line was not in this file (the id, in
// session_id, still pairs the two).
//
// Line headers: the ASA's own "logging timestamp" ("Apr 23 2026 16:19:00",
// optionally followed by a zone name, or RFC 5424 "2026-04-23T16:19:00Z") and
// "logging device-id" name end in " : " or ": " before %ASA-; a relaying syslog
// daemon may put its own BSD or ISO header in front, or be the only one to
// date the line. The device's own timestamp is preferred: it is when the ASA
// saw the event, the relay's is when the line arrived. A zone name after the
// device time is not resolved (EDT is no IANA zone): the time is read in the
// source's zone, and a line whose zone name is not that zone's abbreviation at
// that time is malformed (its time would be off). The device is the ASA's
// device-id when logged, else the syslog host. %FTD- and %PIX- tags are read
// like %ASA-. Lines without any timestamp (logging timestamp off, no relay)
// carry no time: translation lines among them are malformed. Other message ids
// and 305013 (asymmetric NAT rules, no translation) are skipped.
#include <array>
#include <bit>
#include <charconv>
#include <vector>

#include <date/tz.h>

#include "format_list.h"
#include "tracekit/search.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool read_digits(std::string_view s, size_t at, size_t n, int& v) {
  if (at + n > s.size()) return false;
  v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!is_digit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  return true;
}

// The tag position: "%ASA-", "%FTD-" or "%PIX-". Asked of nearly every line
// of a batch (its time and its session): the '%' signs 32 bytes at a time
// from a mask, each compared as one word, with no call into the library.
size_t find_tag(std::string_view s) {
  auto word = [](const char* q) {
    uint32_t w;
    std::memcpy(&w, q, 4);
    return w;
  };
  // The four bytes as word() reads them from memory.
  constexpr auto as_read = [](const char(&t)[5]) {
    uint32_t w = 0;
    for (int i = 0; i < 4; ++i)
      w |= uint32_t(uint8_t(t[i]))
           << (std::endian::native == std::endian::little ? 8 * i : 24 - 8 * i);
    return w;
  };
  constexpr uint32_t kAsa = as_read("ASA-"), kFtd = as_read("FTD-"), kPix = as_read("PIX-");
  const char* const begin = s.data();
  const char* const end = begin + s.size();
  for (const char* p = begin; p < end; p += 32) {
    for (uint32_t m = byte_mask32(p, end, '%'); m; m &= m - 1) {
      const char* at = p + __builtin_ctz(m);
      if (end - at < 5) return std::string_view::npos;
      uint32_t w = word(at + 1);
      if (w == kAsa || w == kFtd || w == kPix) return size_t(at - begin);
    }
  }
  return std::string_view::npos;
}

uint8_t proto_number(std::string_view p) {
  if (iequals(p, "TCP")) return 6;
  if (iequals(p, "UDP")) return 17;
  if (iequals(p, "ICMP")) return 1;
  if (iequals(p, "ICMPv6") || iequals(p, "ICMP6")) return 58;
  if (iequals(p, "SCTP")) return 132;
  if (iequals(p, "GRE")) return 47;
  return 0;
}

// "IP/PORT" (IPv4 or IPv6; the port after the last '/').
bool parse_ip_port(std::string_view s, IpAddr& ip, uint16_t& port) {
  size_t slash = s.rfind('/');
  if (slash == std::string_view::npos) return false;
  return parse_ip(s.substr(0, slash), ip) && parse_number(s.substr(slash + 1), port);
}

// "IF:IP/PORT" (the interface name holds no ':'; an IPv6 address does).
bool parse_endpoint(std::string_view s, IpAddr& ip, uint16_t& port) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  return parse_ip_port(s.substr(colon + 1), ip, port);
}

// "H:MM:SS" (hours may exceed 24), optionally "Nd" before it.
bool parse_duration_hms(std::string_view s, Micros& out) {
  int64_t days = 0;
  size_t d = s.find('d');
  if (d != std::string_view::npos) {
    if (!parse_number(s.substr(0, d), days)) return false;
    s.remove_prefix(d + 1);
  }
  size_t c1 = s.find(':');
  if (c1 == std::string_view::npos || c1 == 0 || s.size() != c1 + 6 || s[c1 + 3] != ':')
    return false;
  int64_t h = 0;
  int m, sec;
  if (!parse_number(s.substr(0, c1), h) || !read_digits(s, c1 + 1, 2, m) ||
      !read_digits(s, c1 + 4, 2, sec) || m > 59 || sec > 59)
    return false;
  out = Micros(((days * 24 + h) * 3600 + m * 60 + sec) * 1000000);
  return true;
}

// What Built/Teardown connection lines leave the teardown to look up.
struct Mapping {
  uint64_t id = 0;  // connection id + 1 (0: empty slot)
  IpAddr ip;
  uint16_t port = 0;
};
constexpr size_t kMappings = 1 << 14;

class CiscoAsaParser final : public NatParser {
 public:
  explicit CiscoAsaParser(const ParseContext& ctx) : ctx_(ctx), mappings_(kMappings) {}

  LineResult parse(const Line& line, NatEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return LineResult::skip("empty line");
    out.clear();
    size_t tag = find_tag(text);
    if (tag == std::string_view::npos) return LineResult::foreign("no %ASA-/%FTD- message tag");
    if (const char* why = header(text.substr(0, tag), out)) return LineResult::malformed(why);
    // "%ASA-6-305011: " / "%ASA-session-5-106100: " / "%ASA-6-302016 " (no colon)
    std::string_view rest = text.substr(tag + 1);
    size_t end = 0;
    while (end < rest.size() && rest[end] != ':' && rest[end] != ' ') ++end;
    std::string_view tag_text = rest.substr(0, end);
    std::string_view id = tag_text.substr(tag_text.rfind('-') + 1);
    rest.remove_prefix(end);
    if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    if (id.size() != 6 || !is_digit(id[0])) return LineResult::malformed("bad message id");
    bool timed = out.time != kNoTime;
    LineResult r = LineResult::skip("ASA message without a translation");
    if (id == "305011" || id == "305012" || id == "305009" || id == "305010")
      r = parse_translation(rest, id, out);
    else if (id == "302013" || id == "302014" || id == "302015" || id == "302016")
      r = parse_connection(rest, id, out);
    else if (id == "302020" || id == "302021")
      r = parse_icmp(rest, id, out);
    else if (id == "305013")
      r = LineResult::skip("305013: asymmetric NAT rules (no translation)");
    if (r.status == LineStatus::record && !timed)
      return LineResult::malformed("no timestamp (neither the ASA nor a syslog daemon dated it)");
    return r;
  }

  // Only the time, for lines the prefilter rules out: the header before the
  // tag, read as parse reads it, and nothing of the message (its id is not
  // checked). The key is everything up to and including the tag's "%ASA-":
  // a later line starting with the same bytes has the same header, so the
  // same time, whatever it holds (relay date, device date, zone name, host).
  LineResult parse_time(const Line& line, NatEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return LineResult::skip("empty line");
    out.clear();
    size_t tag = find_tag(text);
    if (tag == std::string_view::npos) return LineResult::foreign("no %ASA-/%FTD- message tag");
    if (const char* why = header(text.substr(0, tag), out)) return LineResult::malformed(why);
    if (out.time != kNoTime && tag + 5 <= 255) out.time_key = uint8_t(tag + 5);
    return LineResult::skip("not examined beyond its time");
  }

 private:
  // read_header; a header that cannot be read gives no time (a date read in
  // the wrong zone, say, must not count for the file's coverage).
  const char* header(std::string_view head, NatEvent& out) {
    const char* why = read_header(head, out);
    if (why) out.time = kNoTime;
    return why;
  }
  // read_prefix, or what it gave the last header read when this one is the
  // same bytes: a batch parses many lines of one second, whose headers are
  // read (dates, zone, host) once. A header that could not be read is read
  // again.
  const char* read_header(std::string_view head, NatEvent& out) {
    if (head.size() == last_.size && last_.size &&
        bytes_equal(head.data(), last_.bytes, head.size())) {
      out.time = last_.time;
      out.time_flags = last_.time_flags;
      out.device = head.substr(last_.device_at, last_.device_size);
      return nullptr;
    }
    last_.size = 0;
    const char* why = read_prefix(head, out);
    if (!why && head.size() <= sizeof last_.bytes) {
      std::memcpy(last_.bytes, head.data(), head.size());
      last_.size = head.size();
      last_.time = out.time;
      last_.time_flags = out.time_flags;
      // (The device is a word of the header, or none.)
      last_.device_at = out.device.empty() ? 0 : size_t(out.device.data() - head.data());
      last_.device_size = out.device.size();
    }
    return why;
  }
  struct LastHeader {
    char bytes[96];
    size_t size = 0;  // 0: none
    Instant time = kNoTime;
    uint8_t time_flags = 0;
    size_t device_at = 0, device_size = 0;
  } last_;

  // Everything before the tag: [<PRI>] [relay header: BSD or ISO date, host]
  // [device date [zone]] [device-id] [:]. Returns a reason when it cannot be read.
  const char* read_prefix(std::string_view s, NatEvent& out) {
    while (!s.empty() && (s.back() == ' ' || s.back() == ':')) s.remove_suffix(1);
    if (!s.empty() && s[0] == '<') {
      size_t close = s.find('>');
      if (close == std::string_view::npos || close > 4) return "bad syslog priority";
      s.remove_prefix(close + 1);
      if (s.size() > 2 && s[0] == '1' && s[1] == ' ' && is_digit(s[2])) s.remove_prefix(2);
    }
    while (!s.empty()) {
      while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
      if (s.empty()) break;
      if (s.size() >= 20 && parse_month_abbrev(s.substr(0, 3)) && s[3] == ' ' && s[6] == ' ' &&
          s[11] == ' ') {
        // The ASA's own "Apr 23 2026 16:19:00[.123]" (logging timestamp).
        size_t used = 0;
        if (!read_device_date(s, out, used)) return "bad ASA timestamp";
        s.remove_prefix(used);
        std::string_view t = s;
        std::string_view zone = next_token(t);
        if (zone.empty()) zone = next_token(t);
        if (is_zone_name(zone)) {
          if (zone == "UTC" || zone == "GMT") {
            out.time = utc_time_;
            out.time_flags &= kHasFraction;
          } else if (!zone_matches(zone, out.time)) {
            return "the ASA's zone name is not the source's zone at that time (set the "
                   "source's tz)";
          }
          s = t;
        }
        continue;
      }
      if (s.size() >= 15 && parse_month_abbrev(s.substr(0, 3)) && s[9] == ':') {
        if (!parse_bsd_timestamp(s, ctx_, out.time, out.time_flags)) return "bad syslog date";
        s.remove_prefix(15);
        skip_fraction(s, out);
        continue;
      }
      if (s.size() >= 19 && is_digit(s[0]) && s[4] == '-') {
        size_t used = 0;
        out.time_flags = 0;
        if (!parse_iso_timestamp(s, ctx_, out.time, out.time_flags, used))
          return "bad ISO timestamp";
        s.remove_prefix(used);
        continue;
      }
      std::string_view host = next_token(s);
      if (host != ":" && host != "-") out.device = host;  // RFC 5424 nil values
    }
    if (!out.device.empty() && out.device.back() == ':') out.device.remove_suffix(1);
    return nullptr;
  }

  // The zone names "logging timestamp" appends ("clock timezone" names are
  // free text; these are the common ones).
  static bool is_zone_name(std::string_view z) {
    if (z.size() < 3 || z.size() > 4 || z[0] < 'A' || z[0] > 'Z') return false;  // (a host's name)
    static constexpr std::string_view kZones[] = {
        "UTC",  "GMT",  "EST",  "EDT",  "CST",  "CDT",  "MST",  "MDT",  "PST", "PDT", "AKST",
        "AKDT", "HST",  "CET",  "CEST", "EET",  "EEST", "WET",  "WEST", "BST", "IST", "JST",
        "KST",  "AEST", "AEDT", "ACST", "AWST", "NZST", "NZDT", "MSK",  "SGT", "HKT"};
    for (auto k : kZones)
      if (z == k) return true;
    return false;
  }

  // The source's zone (ctx.local) read the time: it must be the zone the ASA
  // names, or the time is off by the difference.
  bool zone_matches(std::string_view name, Instant t) const {
    if (!ctx_.local || !ctx_.local->zone()) return false;
    auto info = ctx_.local->zone()->get_info(date::floor<std::chrono::seconds>(t));
    return info.abbrev == name;
  }

  void skip_fraction(std::string_view& s, NatEvent& out) {
    if (s.empty() || s[0] != '.') return;
    size_t i = 1;
    int64_t frac = 0, scale = 1000000;
    while (i < s.size() && is_digit(s[i])) {
      if (scale > 1) {
        scale /= 10;
        frac += (s[i] - '0') * scale;
      }
      ++i;
    }
    if (i == 1) return;
    out.time += Micros(frac);
    utc_time_ += Micros(frac);
    out.time_flags |= kHasFraction;
    s.remove_prefix(i);
  }

  // "Apr 23 2026 16:19:00[.fff]": local time in the source's zone.
  bool read_device_date(std::string_view s, NatEvent& out, size_t& used) {
    unsigned mo = parse_month_abbrev(s.substr(0, 3));
    int d, y, hh, mi, ss;
    if (s[4] == ' ') {
      if (!read_digits(s, 5, 1, d)) return false;
    } else if (!read_digits(s, 4, 2, d)) {
      return false;
    }
    if (!read_digits(s, 7, 4, y) || s[14] != ':' || s[17] != ':' || !read_digits(s, 12, 2, hh) ||
        !read_digits(s, 15, 2, mi) || !read_digits(s, 18, 2, ss) || hh > 23 || mi > 59 || ss > 60 ||
        !valid_date(y, mo, unsigned(d)) || !ctx_.local)
      return false;
    if (s.size() > 20 && s[20] != ' ' && s[20] != '.' && s[20] != ':') return false;
    int64_t day = days_from_civil(y, mo, unsigned(d));
    int64_t us = (int64_t(hh) * 3600 + mi * 60 + std::min(ss, 59)) * 1000000;
    uint8_t flags = 0;
    out.time = ctx_.local->to_utc(day, us, flags);
    out.time_flags = flags | ctx_.zone_flags;
    utc_time_ = Instant(Micros(day * 86400000000LL + us));
    std::string_view rest = s.substr(20);
    size_t before = rest.size();
    skip_fraction(rest, out);
    used = 20 + (before - rest.size());
    return true;
  }

  // 305009-305012.
  LineResult parse_translation(std::string_view m, std::string_view id, NatEvent& out) {
    bool built = id == "305011" || id == "305009";
    bool ported = id == "305011" || id == "305012";
    const char* bad = built ? "Built translation: expected \"from IF:IP/PORT to IF:IP/PORT\""
                            : "Teardown translation: expected \"from IF:IP/PORT to IF:IP/PORT\"";
    std::string_view verb = next_token(m);
    if (verb != (built ? "Built" : "Teardown")) return LineResult::malformed(bad);
    std::string_view kind = next_token(m);
    if (kind != "dynamic" && kind != "static") return LineResult::malformed(bad);
    out.is_static = kind == "static";
    if (ported) {
      std::string_view proto = next_token(m);
      out.proto = proto_number(proto);
      if (out.proto == 0 && !parse_number(proto, out.proto)) return LineResult::malformed(bad);
    }
    if (next_token(m) != "translation" || next_token(m) != "from")
      return LineResult::malformed(bad);
    std::string_view from = next_token(m);
    std::string_view to;
    while (!m.empty()) {
      std::string_view t = next_token(m);
      if (t == "to") {
        to = next_token(m);
        break;
      }
    }
    if (ported) {
      if (!parse_endpoint(strip_user(from), out.inside_ip, out.inside_port) ||
          !parse_endpoint(strip_user(to), out.public_ip, out.public_port))
        return LineResult::malformed(bad);
      if (out.proto == 1 && !out.inside_ip.is_v4()) out.proto = 58;
    } else {
      // "IF[(acl)]:IP" without ports.
      size_t paren = from.find(')');
      size_t c1 = from.find(':', paren == std::string_view::npos ? 0 : paren);
      size_t c2 = to.find(':');
      if (c1 == std::string_view::npos || c2 == std::string_view::npos ||
          !parse_ip(from.substr(c1 + 1), out.inside_ip) ||
          !parse_ip(to.substr(c2 + 1), out.public_ip))
        return LineResult::malformed(bad);
    }
    out.action = built ? NatAction::open : NatAction::close;
    if (!built) {
      if (!read_duration(m, out))
        return LineResult::malformed("Teardown translation: bad duration");
    }
    return LineResult::record();
  }

  // "inside:10.0.0.5/51234(LOCAL\user)" -> "inside:10.0.0.5/51234".
  static std::string_view strip_user(std::string_view s) {
    size_t p = s.find('(');
    return p == std::string_view::npos ? s : s.substr(0, p);
  }

  // "... duration H:MM:SS ..." anywhere in the rest: start = time - duration.
  bool read_duration(std::string_view m, NatEvent& out) {
    while (!m.empty()) {
      if (next_token(m) == "duration") {
        Micros d{0};
        if (!parse_duration_hms(next_token(m), d)) return false;
        if (out.time != kNoTime) out.start = out.time - d;
        return true;
      }
    }
    return true;  // no duration logged
  }

  // One half of a connection line: "IF:IP/PORT [(MIP/MPORT)] [(user)]...".
  // Returns false when the endpoint cannot be read.
  static bool read_half(std::string_view& m, IpAddr& ip, uint16_t& port, IpAddr& mip,
                        uint16_t& mport, bool& has_mapped, bool* named = nullptr) {
    std::string_view ep = next_token(m);
    has_mapped = false;
    // "IF:IP/PORT(user)" glued: the user is not needed.
    if (!parse_endpoint(strip_user(ep), ip, port)) {
      if (named) *named = is_named(strip_user(ep));
      return false;
    }
    if (!m.empty() && m[0] == '(') {
      size_t close = m.find(')');
      if (close != std::string_view::npos) {
        std::string_view inner = m.substr(1, close - 1);
        if (parse_ip_port(inner, mip, mport)) {
          has_mapped = true;
          m.remove_prefix(close + 1);
        }
      }
    }
    return true;
  }

  // "dmz:OCSP_Server/5678": the ASA prints a name from its "names" table
  // instead of the address.
  static bool is_named(std::string_view ep) {
    size_t colon = ep.find(':'), slash = ep.rfind('/');
    if (colon == std::string_view::npos || slash == std::string_view::npos || slash <= colon + 1)
      return false;
    for (char c : ep.substr(colon + 1, slash - colon - 1))
      if (!(hex_value(c) >= 0 || c == ':' || c == '.')) return true;
    return false;
  }
  static constexpr const char* kNamed =
      "connection endpoint is a host name from the ASA's names table, not an address";

  // 302013-302016.
  LineResult parse_connection(std::string_view m, std::string_view id, NatEvent& out) {
    bool built = id == "302013" || id == "302015";
    const char* bad = built ? "Built connection: expected \"for IF:IP/PORT (IP/PORT) to "
                              "IF:IP/PORT (IP/PORT)\""
                            : "Teardown connection: expected \"for IF:IP/PORT to IF:IP/PORT\"";
    std::string_view verb = next_token(m);
    if (verb != (built ? "Built" : "Teardown")) return LineResult::malformed(bad);
    if (built) {
      std::string_view dir = next_token(m);
      if (dir != "inbound" && dir != "outbound") return LineResult::malformed(bad);
    }
    std::string_view proto = next_token(m);
    out.proto = proto_number(proto);
    if (next_token(m) != "connection") return LineResult::malformed(bad);
    out.session_id = next_token(m);
    uint64_t conn = 0;
    if (!parse_number(out.session_id, conn)) return LineResult::malformed(bad);
    if (next_token(m) != "for") return LineResult::malformed(bad);
    IpAddr far_ip, far_mip, in_ip, in_mip;
    uint16_t far_port = 0, far_mport = 0, in_port = 0, in_mport = 0;
    bool far_mapped = false, in_mapped = false, named = false;
    if (!read_half(m, far_ip, far_port, far_mip, far_mport, far_mapped, &named))
      return LineResult::malformed(named ? kNamed : bad);
    // Up to " to " (user names may come between).
    for (;;) {
      while (!m.empty() && m[0] == ' ') m.remove_prefix(1);
      if (m.empty()) return LineResult::malformed(bad);
      if (next_token(m) == "to") break;
    }
    if (!read_half(m, in_ip, in_port, in_mip, in_mport, in_mapped, &named))
      return LineResult::malformed(named ? kNamed : bad);
    if (built && (!far_mapped || !in_mapped)) return LineResult::malformed(bad);
    out.connection = true;
    out.inside_ip = in_ip;
    out.inside_port = in_port;
    out.dst_ip = far_mapped ? far_mip : far_ip;
    out.dst_port = far_mapped ? far_mport : far_port;
    Mapping& slot = mappings_[conn % kMappings];
    if (built) {
      out.action = NatAction::open;
      out.public_ip = in_mip;
      out.public_port = in_mport;
      slot.id = conn + 1;
      slot.ip = in_mip;
      slot.port = in_mport;
      return LineResult::record();
    }
    out.action = NatAction::close;
    if (slot.id == conn + 1) {
      out.public_ip = slot.ip;
      out.public_port = slot.port;
      slot.id = 0;
    }
    if (!read_duration(m, out)) return LineResult::malformed("Teardown connection: bad duration");
    return LineResult::record();
  }

  static bool is_icmp(std::string_view p) {
    uint8_t n = proto_number(p);
    return n == 1 || n == 58;
  }

  // 302020/302021: "... ICMP connection [ID] for faddr F/ID gaddr G/ID laddr L/ID ...".
  LineResult parse_icmp(std::string_view m, std::string_view id, NatEvent& out) {
    bool built = id == "302020";
    const char* bad = built ? "Built ICMP connection: expected \"faddr IP/ID gaddr IP/ID laddr "
                              "IP/ID\""
                            : "Teardown ICMP connection: expected \"faddr IP/ID gaddr IP/ID "
                              "laddr IP/ID\"";
    size_t f = m.find("faddr ");
    if (f == std::string_view::npos) {
      // "Teardown ICMP connection 9 from outside:A (A) to inside:B (B)": the
      // connection shape, read as one.
      size_t from = m.find(" from ");
      if (from == std::string_view::npos) return LineResult::malformed(bad);
      std::string_view head = m.substr(0, from);
      std::string_view t = head;
      next_token(t);  // Built/Teardown
      if (built) next_token(t);
      if (!is_icmp(next_token(t)) || next_token(t) != "connection")
        return LineResult::malformed(bad);
      out.session_id = next_token(t);
      std::string_view r = m.substr(from + 6);
      IpAddr a, am, b, bm;
      uint16_t ap = 0, amp = 0, bp = 0, bmp = 0;
      bool ah = false, bh = false;
      if (!read_half(r, a, ap, am, amp, ah)) return LineResult::malformed(bad);
      while (!r.empty() && next_token(r) != "to") {
      }
      if (!read_half(r, b, bp, bm, bmp, bh)) return LineResult::malformed(bad);
      out.proto = b.is_v4() ? 1 : 58;
      out.connection = true;
      out.inside_ip = b;
      out.inside_port = bp;
      out.public_ip = bh ? bm : b;
      out.public_port = bh ? bmp : bp;
      out.dst_ip = ah ? am : a;
      out.dst_port = ah ? amp : ap;
      out.action = built ? NatAction::open : NatAction::close;
      return LineResult::record();
    }
    std::string_view head = m.substr(0, f);
    std::string_view t = head;
    next_token(t);
    if (built) next_token(t);
    if (!is_icmp(next_token(t)) || next_token(t) != "connection") return LineResult::malformed(bad);
    std::string_view maybe_id = next_token(t);
    if (maybe_id != "for") out.session_id = maybe_id;
    std::string_view r = m.substr(f);
    bool have_f = false, have_g = false, have_l = false;
    while (!r.empty()) {
      std::string_view key = next_token(r);
      if (key != "faddr" && key != "gaddr" && key != "laddr") continue;
      std::string_view v = strip_user(next_token(r));
      IpAddr ip;
      uint16_t port = 0;
      if (!parse_ip_port(v, ip, port)) return LineResult::malformed(bad);
      if (key == "faddr") {
        out.dst_ip = ip, out.dst_port = port, have_f = true;
      } else if (key == "gaddr") {
        out.public_ip = ip, out.public_port = port, have_g = true;
      } else {
        out.inside_ip = ip, out.inside_port = port, have_l = true;
      }
    }
    if (!have_f || !have_g || !have_l) return LineResult::malformed(bad);
    out.proto = out.inside_ip.is_v4() ? 1 : 58;
    out.connection = true;
    out.action = built ? NatAction::open : NatAction::close;
    return LineResult::record();
  }

  const ParseContext& ctx_;
  std::vector<Mapping> mappings_;
  Instant utc_time_ = kNoTime;  // the device date read as UTC, for a "UTC"/"GMT" zone name
};

int sniff(std::string_view head, const char** why) {
  size_t tagged = 0, lines = 0;
  for_each_head_line(head, 200, [&](std::string_view line) {
    if (line.empty()) return;
    ++lines;
    size_t tag = find_tag(line);
    if (tag == std::string_view::npos) return;
    // "%ASA-6-305011" / "%ASA-session-5-106100": a severity digit and a message id.
    std::string_view rest = line.substr(tag + 5);
    size_t end = rest.find_first_of(": ");
    std::string_view t = rest.substr(0, end);
    size_t dash = t.rfind('-');
    if (dash == std::string_view::npos || t.size() - dash - 1 != 6) return;
    ++tagged;
  });
  if (tagged == 0) {
    *why = "no %ASA-/%FTD- message tags in the first lines";
    return 0;
  }
  if (tagged * 2 >= lines) {
    *why = "Cisco ASA/FTD syslog message tags (%ASA-6-302013 ...)";
    return 90;
  }
  *why = "some Cisco ASA/FTD message tags among other lines";
  return 60;
}

std::unique_ptr<NatParser> make(const ParseContext& ctx) {
  return std::make_unique<CiscoAsaParser>(ctx);
}

// "... Teardown TCP connection 4711 for ...": the word after "connection ",
// where parse_connection and the ICMP reader take it (the third or fourth
// word of the message). Asked of every line the prefilter passes over once
// sessions are kept: the message id first, then where the first words end.
std::string_view session_of(std::string_view line) {
  size_t tag = find_tag(line);
  if (tag == std::string_view::npos) return {};
  const char* p = line.data() + tag + 1;
  const char* const end = line.data() + line.size();
  const char* id_end = p + 12;
  // Only connection messages (3020xx) name one. "ASA-6-302013:" is the
  // usual shape; "ASA-session-6-302013" is read a byte at a time.
  if (end - p > 12 && p[5] == '-' && (*id_end == ':' || *id_end == ' ')) {
    if (!bytes_equal(p + 6, "3020", 4)) return {};
  } else {
    id_end = p;
    while (id_end < end && *id_end != ':' && *id_end != ' ') ++id_end;
    std::string_view tag_text(p, size_t(id_end - p));
    if (!tag_text.substr(tag_text.rfind('-') + 1).starts_with("3020")) return {};
  }
  // The message: after the colon and the spaces that follow it.
  p = id_end;
  if (p < end && *p == ':') ++p;
  while (p < end && *p == ' ') ++p;
  constexpr std::string_view kWord = "connection ";
  auto id_after = [&](const char* space) -> std::string_view {
    if (size_t(end - space - 1) < kWord.size() ||
        !bytes_equal(space + 1, kWord.data(), kWord.size()))
      return {};
    const char* id = space + 1 + kWord.size();
    const char* stop = id;
    while (stop < end && *stop != ' ') ++stop;
    return {id, size_t(stop - id)};
  };
  // The spaces before words 2 and 3 (from 0): "Teardown TCP connection",
  // "Built outbound TCP connection".
  uint32_t spaces = byte_mask32(p, end, ' ');
  // Three spaces or more: two bits cleared leave one. (std::popcount is a
  // call into libgcc on CPUs the build cannot assume have POPCNT.)
  uint32_t third = spaces & (spaces - 1);
  if (third & (third - 1)) {
    spaces &= spaces - 1;  // the one before word 1
    for (int k = 0; k < 2; ++k, spaces &= spaces - 1)
      if (std::string_view id = id_after(p + std::countr_zero(spaces)); !id.empty()) return id;
    return {};
  }
  // Long first words (or a short line): one word at a time.
  for (int word = 0; p < end && word < 3; ++p)
    if (*p == ' ' && ++word >= 2)
      if (std::string_view id = id_after(p); !id.empty()) return id;
  return {};
}

}  // namespace

const FormatInfo& cisco_asa_format() {
  static const FormatInfo info{
      .name = "cisco-asa",
      .family = Family::nat,
      .summary =
          "Cisco ASA/FTD syslog: translations (305011/305012) and connections (302013-302021)",
      .sniff = sniff,
      .make_nat = make,
      // "outside:203.0.113.9/40123", "(203.0.113.9/40123)", "gaddr 203.0.113.9/7";
      // 305009/305010 name the address alone, at the line's end or before
      // " duration".
      .addr_port_sep = "/",
      .session_of = session_of};
  return info;
}

}  // namespace tracekit::formats

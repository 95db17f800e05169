// Palo Alto Networks (PAN-OS) traffic logs, in the syslog CSV form.
//
//   Apr 23 16:21:01 pa-edge 1,2026/04/23 16:21:01,013201000001,TRAFFIC,end,2561,
//     2026/04/23 16:21:00,10.0.0.5,198.51.100.1,203.0.113.9,198.51.100.1,campus-out,,,ssl,
//     vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd,2026/04/23 16:21:00,4711,1,51234,443,
//     40123,443,0x400053,tcp,allow,18204,2048,16156,26,2026/04/23 16:18:59,121,...,pa-edge,...
//
// Columns (PAN-OS syslog field descriptions, traffic log; 0-based): 1 Receive
// Time, 2 Serial, 3 Type (TRAFFIC), 4 Subtype (start, end, drop, deny), 6
// Generated Time, 7 Source address, 8 Destination address, 9 NAT Source IP, 10
// NAT Destination IP, 11 Rule, 12 Source User, 22 Session ID, 24 Source Port,
// 25 Destination Port, 26 NAT Source Port, 27 NAT Destination Port, 29 IP
// Protocol (a name: tcp, udp, icmp, ...), 30 Action, 35 Start Time, 36 Elapsed
// Time (seconds), 52 Device Name (PAN-OS 8.1 and later). Later releases append
// columns; fields may be double-quoted (with commas inside).
// start -> open; end -> session from Start Time (else Generated Time - Elapsed)
// to Generated Time; drop and deny -> skipped, as are other log types
// (THREAT, SYSTEM, CONFIG, ...). Times are the firewall's local time, without
// zone: read in the source's zone. Generated Time, when the dataplane wrote the
// log, is the event's time (Receive Time is when the management plane got it).
// NAT: a NAT Source IP other than 0.0.0.0 (or empty) that differs from the
// source -> public = NAT source IP/port; otherwise, a NAT Destination IP that
// differs from the destination (inbound to a destination-NAT'd server) -> the
// inside host is the NAT destination, its public address the destination, the
// far end the source; otherwise no NAT: public = source. Device: Device Name,
// else the serial number.
#include <array>

#include "format_list.h"
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

constexpr size_t kMaxFields = 64;
enum Col : size_t {
  kReceiveTime = 1,
  kSerial = 2,
  kType = 3,
  kSubtype = 4,
  kGenerated = 6,
  kSrc = 7,
  kDst = 8,
  kNatSrc = 9,
  kNatDst = 10,
  kSessionId = 22,
  kSport = 24,
  kDport = 25,
  kNatSport = 26,
  kNatDport = 27,
  kProto = 29,
  kStart = 35,
  kElapsed = 36,
  kDeviceName = 52,
};

uint8_t proto_number(std::string_view p) {
  if (p == "tcp") return 6;
  if (p == "udp") return 17;
  if (p == "icmp") return 1;
  if (p == "ipv6-icmp" || p == "icmp6") return 58;
  if (p == "sctp") return 132;
  if (p == "gre") return 47;
  if (p == "esp") return 50;
  uint8_t n = 0;
  return parse_number(p, n) ? n : 0;
}

// Splits CSV into fields (quotes removed; "" inside quotes left doubled).
// Returns the number of fields, or 0 for an unterminated quote.
size_t split_csv(std::string_view s, std::array<std::string_view, kMaxFields>& f) {
  size_t n = 0;
  size_t i = 0;
  while (n < kMaxFields) {
    if (i < s.size() && s[i] == '"') {
      size_t b = i + 1, e = b;
      for (;;) {
        while (e < s.size() && s[e] != '"') ++e;
        if (e >= s.size()) return 0;
        if (e + 1 < s.size() && s[e + 1] == '"') {
          e += 2;
          continue;
        }
        break;
      }
      f[n++] = s.substr(b, e - b);
      i = e + 1;
      while (i < s.size() && s[i] != ',') ++i;  // text after the closing quote: ignored
    } else {
      size_t e = i;
      while (e < s.size() && s[e] != ',') ++e;
      f[n++] = s.substr(i, e - i);
      i = e;
    }
    if (i >= s.size()) break;
    ++i;  // the comma
  }
  return n;
}

class PaloAltoParser final : public NatParser {
 public:
  explicit PaloAltoParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, NatEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return LineResult::skip("empty line");
    out.clear();
    size_t body = find_body(text);
    if (body == std::string_view::npos) {
      if (text.find(",TRAFFIC,") != std::string_view::npos)
        return LineResult::malformed("traffic log: Receive Time not in YYYY/MM/DD HH:MM:SS form");
      return LineResult::foreign("not a PAN-OS CSV log line");
    }
    std::array<std::string_view, kMaxFields> f;
    size_t n = split_csv(text.substr(body), f);
    if (n == 0) return LineResult::malformed("unterminated quoted field");
    if (n <= kGenerated || !read_time(f[kGenerated], out))
      return LineResult::malformed("bad Generated Time (expected YYYY/MM/DD HH:MM:SS)");
    out.device = n > kDeviceName && !f[kDeviceName].empty() ? f[kDeviceName] : f[kSerial];
    if (f[kType] != "TRAFFIC") return LineResult::skip("PAN-OS log that is not a traffic log");
    std::string_view sub = f[kSubtype];
    bool start = sub == "start";
    if (sub != "start" && sub != "end")
      return LineResult::skip("traffic log of a dropped or denied session");
    if (n <= kElapsed) return LineResult::malformed("traffic log with too few columns");
    IpAddr src, dst, nsrc, ndst;
    uint16_t sport = 0, dport = 0, nsport = 0, ndport = 0;
    if (!parse_ip(f[kSrc], src) || !parse_ip(f[kDst], dst))
      return LineResult::malformed("traffic log: bad Source or Destination address");
    if (!parse_number(f[kSport], sport) || !parse_number(f[kDport], dport))
      return LineResult::malformed("traffic log: bad Source or Destination Port");
    bool has_nsrc = !f[kNatSrc].empty() && f[kNatSrc] != "0.0.0.0";
    bool has_ndst = !f[kNatDst].empty() && f[kNatDst] != "0.0.0.0";
    if ((has_nsrc && !parse_ip(f[kNatSrc], nsrc)) || (has_ndst && !parse_ip(f[kNatDst], ndst)))
      return LineResult::malformed("traffic log: bad NAT Source or NAT Destination IP");
    if ((!f[kNatSport].empty() && !parse_number(f[kNatSport], nsport)) ||
        (!f[kNatDport].empty() && !parse_number(f[kNatDport], ndport)))
      return LineResult::malformed("traffic log: bad NAT Source or NAT Destination Port");
    if (has_nsrc && nsport == 0) nsport = sport;  // NAT without port translation
    if (has_ndst && ndport == 0) ndport = dport;
    bool snat = has_nsrc && (nsrc != src || nsport != sport);
    bool dnat = has_ndst && (ndst != dst || ndport != dport);
    if (!snat && dnat) {
      out.inside_ip = ndst;
      out.inside_port = ndport;
      out.public_ip = dst;
      out.public_port = dport;
      out.dst_ip = src;
      out.dst_port = sport;
    } else {
      out.inside_ip = src;
      out.inside_port = sport;
      out.public_ip = snat ? nsrc : src;
      out.public_port = snat ? nsport : sport;
      out.dst_ip = dst;
      out.dst_port = dport;
    }
    out.proto = proto_number(f[kProto]);
    out.session_id = f[kSessionId];
    if (start) {
      out.action = NatAction::open;
      return LineResult::record();
    }
    out.action = NatAction::session;
    NatEvent began;
    if (read_time(f[kStart], began)) {
      out.start = began.time;
      out.time_flags |= began.time_flags;
    } else {
      int64_t secs = 0;
      if (!parse_number(f[kElapsed], secs) || !log_seconds_ok(secs))
        return LineResult::malformed("traffic log: neither Start Time nor Elapsed Time readable");
      out.start = out.time - Micros(secs * 1000000);
    }
    return LineResult::record();
  }

  // The CSV starts with FUTURE_USE ("1" or empty) then the Receive Time:
  // "[header ]1,2026/04/23 16:21:01,SERIAL,TYPE,...".
  static size_t find_body(std::string_view s) {
    size_t pos = 0;
    while ((pos = s.find(',', pos)) != std::string_view::npos) {
      // ",YYYY/MM/DD HH:MM:SS," after the first field.
      std::string_view t = s.substr(pos + 1);
      if (t.size() >= 20 && t[4] == '/' && t[7] == '/' && t[10] == ' ' && t[13] == ':' &&
          is_digit(t[0]) && t[19] == ',') {
        size_t b = pos;
        while (b > 0 && s[b - 1] != ' ' && s[b - 1] != '>') --b;
        return b;
      }
      ++pos;
      if (pos > 200) break;  // the body starts near the front
    }
    return std::string_view::npos;
  }

 private:
  // "2026/04/23 16:21:00", local.
  bool read_time(std::string_view s, NatEvent& out) {
    int y, mo, d, hh, mi, ss;
    if (s.size() != 19 || !read_digits(s, 0, 4, y) || s[4] != '/' || !read_digits(s, 5, 2, mo) ||
        s[7] != '/' || !read_digits(s, 8, 2, d) || s[10] != ' ' || !read_digits(s, 11, 2, hh) ||
        s[13] != ':' || !read_digits(s, 14, 2, mi) || s[16] != ':' || !read_digits(s, 17, 2, ss) ||
        hh > 23 || mi > 59 || ss > 60 || !valid_date(y, unsigned(mo), unsigned(d)) || !ctx_.local)
      return false;
    uint8_t flags = 0;
    out.time =
        ctx_.local->to_utc(days_from_civil(y, unsigned(mo), unsigned(d)),
                           (int64_t(hh) * 3600 + mi * 60 + std::min(ss, 59)) * 1000000, flags);
    out.time_flags = flags | ctx_.zone_flags;
    return true;
  }

  const ParseContext& ctx_;
};

int sniff(std::string_view head, const char** why) {
  size_t traffic = 0, other = 0;
  for_each_head_line(head, 200, [&](std::string_view line) {
    size_t body = PaloAltoParser::find_body(line);
    if (body == std::string_view::npos) return;
    // "1,YYYY/MM/DD HH:MM:SS,SERIAL,TYPE,": TYPE is upper-case letters.
    std::string_view t = line.substr(body);
    for (int i = 0; i < 3; ++i) next_token(t, ',');
    std::string_view type = next_token(t, ',');
    if (type.empty()) return;
    for (char c : type)
      if (c < 'A' || c > 'Z') return;
    if (type == "TRAFFIC")
      ++traffic;
    else
      ++other;
  });
  if (traffic > 0) {
    *why = "PAN-OS CSV traffic logs (1,YYYY/MM/DD HH:MM:SS,SERIAL,TRAFFIC,...)";
    return 85;
  }
  if (other > 0) {
    *why = "PAN-OS CSV logs, no traffic log in the first lines";
    return 45;
  }
  *why = "no PAN-OS CSV log lines in the first lines";
  return 0;
}

std::unique_ptr<NatParser> make(const ParseContext& ctx) {
  return std::make_unique<PaloAltoParser>(ctx);
}

}  // namespace

const FormatInfo& paloalto_format() {
  static const FormatInfo info{.name = "paloalto",
                               .family = Family::nat,
                               .summary = "Palo Alto Networks PAN-OS traffic logs (syslog CSV)",
                               .sniff = sniff,
                               .make_nat = make};
  return info;
}

}  // namespace tracekit::formats

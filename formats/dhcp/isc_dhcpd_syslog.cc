// ISC dhcpd messages in syslog.
//
//   Apr 10 09:45:50 spb-proxy dhcpd[812]: DHCPACK on 10.51.8.52 to 64:31:50:44:1f:05 (spb-024) via
//   eth0
//
// After the syslog header (BSD with a year-less local date, RFC 5424, or an
// ISO timestamp; see timestamp.h) the message is one of:
//   DHCPDISCOVER from MAC [(host)] via IFACE|RELAY[: reason]
//   DHCPOFFER on IP to MAC [(host)] via X
//   DHCPREQUEST for IP [(server-id)] from MAC [(host)] via X[: reason]
//   DHCPACK on IP to MAC [(host)] via X           a lease granted or renewed
//   DHCPACK to IP (MAC) via X                     the answer to DHCPINFORM, no lease
//   DHCPNAK on IP to MAC via X
//   DHCPRELEASE of IP from MAC [(host)] via X (found|not found)
//   DHCPDECLINE of IP from MAC [(host)] via X[: reason]
//   DHCPINFORM from IP via X
//   DHCPEXPIRE on IP to MAC
//   BOOTREQUEST from MAC via X ; BOOTREPLY for IP to host (MAC) via X
//   Reply NA: address IP6 to client with duid DUID iaid = N valid for S seconds   (dhcpd -6)
// "uid XX:..." may stand before "via" in newer versions. Quirks: MAC octets are
// printed without leading zeros ("0:1b:2c:..."); hostnames may hold spaces, so
// the parenthesised host runs to the last ") " before "via"; everything after
// "via X" (": no free leases", ": wrong network") is a reason, not a field.
// Every other dhcpd message (banner, "Wrote N leases", failover chatter, pool
// statistics) is noise and skipped; other programs' lines are foreign.
#include <charconv>
#include <cstring>

#include "format_list.h"
#include "tracekit/search.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

// Lines are read left to right once: `Cursor` walks the message, and every
// step is a compare or a short scan (no searching from the end, no copies).
// It is passed by reference: a copy passed by value was stored as two words
// and reloaded as one, a store-forwarding stall on every line.
struct Cursor {
  std::string_view s;
  const char* line = nullptr;  // the start of the line s ends; null: s alone may be read
  bool eat(std::string_view lit) {
    if (!s.starts_with(lit)) return false;
    s.remove_prefix(lit.size());
    return true;
  }
  std::string_view token() { return next_token(s); }
};

bool read_seconds(std::string_view t, Micros& out) {
  int64_t v = 0;
  auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (r.ec != std::errc() || r.ptr != t.data() + t.size() || v <= 0 || v > (int64_t(1) << 32))
    return false;
  out = Micros(v * 1000000);
  return true;
}

// After the MAC: "[(host)] [uid X] via WHERE [vendor fields][: reason]".
// Vendor fields seen in dhcpd derivatives: "relay AGENT", "lease-duration N"
// and "offered-duration N" (Infoblox), "[N]" lease seconds (EfficientIP),
// "TransID X", "uid X", "(RENEW)", "(found)".
void read_tail(Cursor& c, DhcpEvent& out) {
  if (c.s.starts_with('(')) {
    // The host runs to ") via " (host names may hold spaces and parentheses).
    size_t end = c.s.find(") via ");
    if (end == std::string_view::npos) end = c.s.rfind(')');
    if (end != std::string_view::npos) {
      out.host = c.s.substr(1, end - 1);
      c.s.remove_prefix(end + 1);
      if (c.s.starts_with(' ')) c.s.remove_prefix(1);
    }
  }
  while (!c.s.empty() && !c.s.starts_with("via ")) {
    std::string_view t = c.token();
    if (t == "uid") out.client_id = c.token();
    if (t.empty() && c.s.empty()) return;
  }
  if (!c.eat("via ")) return;
  // (The usual relay ends the line and is shorter than a word: the line's
  // bytes before it make up the word.)
  size_t i = find_either_with_room(c.s, c.line ? size_t(c.s.data() - c.line) : 0, ' ', ':');
  out.relay = c.s.substr(0, i);
  c.s.remove_prefix(i);
  while (!c.s.empty()) {
    while (c.s.starts_with(' ')) c.s.remove_prefix(1);
    if (c.s.starts_with(':')) return;  // a reason follows ("eth0: no free leases")
    std::string_view t = c.token();
    if (t == "relay") {
      out.relay = c.token();
    } else if (t == "lease-duration") {
      read_seconds(c.token(), out.lease_time);
    } else if (t == "uid") {
      out.client_id = c.token();
    } else if (t.size() > 2 && t.front() == '[' && t.back() == ']') {
      read_seconds(t.substr(1, t.size() - 2), out.lease_time);
    } else if (t == "TransID" || t == "offered-duration") {
      c.token();
    }
    if (!t.empty() && t.back() == ':') return;  // a reason follows
  }
}

// IPv4 and MACs are read in place (the address ends at a space or the end);
// anything else is cut as a token and given to the general parsers.
[[gnu::always_inline]] inline bool read_ip(Cursor& c, DhcpEvent& out) {
  const char* e = c.s.data() + c.s.size();
  const char* end = parse_ipv4_prefix(c.s.data(), e, out.ip);
  if (end && (end == e || *end == ' ')) {
    c.s.remove_prefix(size_t(end - c.s.data()) + (end == e ? 0 : 1));
    return true;
  }
  return parse_ip(c.token(), out.ip);
}

[[gnu::always_inline]] inline bool read_mac(Cursor& c, DhcpEvent& out) {
  const char* e = c.s.data() + c.s.size();
  const char* end = parse_mac_prefix(c.s.data(), e, out.mac);
  if (end && (end == e || *end == ' ')) {
    c.s.remove_prefix(size_t(end - c.s.data()) + (end == e ? 0 : 1));
    out.has_mac = true;
    return true;
  }
  out.has_mac = parse_mac(c.token(), out.mac);
  return out.has_mac;
}

// "IP to MAC tail" (DHCPACK on, DHCPOFFER on, DHCPNAK on).
LineResult read_on_to(Cursor& c, DhcpEvent& out, const char* bad_ip, const char* no_to,
                      const char* bad_mac) {
  if (!read_ip(c, out)) return LineResult::malformed(bad_ip);
  if (!c.eat("to ")) return LineResult::malformed(no_to);
  if (!read_mac(c, out)) return LineResult::malformed(bad_mac);
  read_tail(c, out);
  return LineResult::record();
}

// "IP from MAC tail" (DHCPRELEASE of, DHCPDECLINE of), and DHCPREQUEST's
// "IP [(server-id)] from MAC tail".
LineResult read_of_from(Cursor& c, DhcpEvent& out, const char* bad_ip, const char* no_from,
                        const char* bad_mac) {
  if (!read_ip(c, out)) return LineResult::malformed(bad_ip);
  if (c.s.starts_with('(')) c.token();  // (server identifier)
  if (!c.eat("from ")) return LineResult::malformed(no_from);
  if (!read_mac(c, out)) return LineResult::malformed(bad_mac);
  read_tail(c, out);
  return LineResult::record();
}

LineResult parse_dhcp(Cursor& c, DhcpEvent& out) {
  // c is past "DHCP".
  switch (c.s.empty() ? '\0' : c.s[0]) {
    case 'A':
      if (c.eat("ACK on ")) {
        out.action = DhcpAction::ack;
        return read_on_to(c, out, "DHCPACK: bad IP address", "DHCPACK: expected 'to'",
                          "DHCPACK: bad MAC address");
      }
      if (c.eat("ACK to ")) {  // the answer to DHCPINFORM: no lease
        out.action = DhcpAction::inform;
        if (!read_ip(c, out)) return LineResult::malformed("DHCPACK to: bad IP address");
        std::string_view mac = c.token();
        if (mac.size() > 2 && mac.front() == '(' && mac.back() == ')')
          out.has_mac = parse_mac(mac.substr(1, mac.size() - 2), out.mac);
        read_tail(c, out);
        return LineResult::record();
      }
      break;
    case 'R':
      if (c.eat("REQUEST for ")) {
        out.action = DhcpAction::request;
        return read_of_from(c, out, "DHCPREQUEST: bad IP address", "DHCPREQUEST: expected 'from'",
                            "DHCPREQUEST: bad MAC address");
      }
      if (c.eat("RELEASE of ")) {
        out.action = DhcpAction::release;
        // A release of a lease the server did not know changes nothing.
        if (c.s.ends_with("(not found)"))
          return LineResult::skip("DHCPRELEASE of an unknown lease");
        return read_of_from(c, out, "DHCPRELEASE: bad IP address", "DHCPRELEASE: expected 'from'",
                            "DHCPRELEASE: bad MAC address");
      }
      break;
    case 'D':
      if (c.eat("DISCOVER from ")) {
        out.action = DhcpAction::discover;
        if (!read_mac(c, out)) return LineResult::malformed("DHCPDISCOVER: bad MAC address");
        read_tail(c, out);
        return LineResult::record();
      }
      if (c.eat("DECLINE of ")) {
        out.action = DhcpAction::decline;
        return read_of_from(c, out, "DHCPDECLINE: bad IP address", "DHCPDECLINE: expected 'from'",
                            "DHCPDECLINE: bad MAC address");
      }
      break;
    case 'O':
      if (c.eat("OFFER on ")) {
        out.action = DhcpAction::offer;
        return read_on_to(c, out, "DHCPOFFER: bad IP address", "DHCPOFFER: expected 'to'",
                          "DHCPOFFER: bad MAC address");
      }
      break;
    case 'N':
      // "DHCPNACK" is how some dhcpd derivatives (EfficientIP) spell it.
      if (c.eat("NAK on ") || c.eat("NACK on ")) {
        out.action = DhcpAction::nak;
        return read_on_to(c, out, "DHCPNAK: bad IP address", "DHCPNAK: expected 'to'",
                          "DHCPNAK: bad MAC address");
      }
      break;
    case 'I':
      if (c.eat("INFORM from ")) {
        out.action = DhcpAction::inform;
        if (!read_ip(c, out)) return LineResult::malformed("DHCPINFORM: bad IP address");
        read_tail(c, out);
        return LineResult::record();
      }
      break;
    case 'E':
      if (c.eat("EXPIRE on ")) {
        out.action = DhcpAction::expire;
        if (!read_ip(c, out)) return LineResult::malformed("DHCPEXPIRE: bad IP address");
        if (c.eat("to ")) read_mac(c, out);
        return LineResult::record();
      }
      break;
  }
  return LineResult::skip("DHCP message that changes no lease");
}

// m: the message, the end of a line that starts at `line`.
LineResult parse_message(std::string_view m, const char* line, DhcpEvent& out) {
  Cursor c{m, line};
  if (c.eat("DHCP")) return parse_dhcp(c, out);
  if (c.eat("BOOTREPLY for ")) {
    out.action = DhcpAction::ack;
    if (!read_ip(c, out)) return LineResult::malformed("BOOTREPLY: bad IP address");
    if (!c.eat("to ")) return LineResult::malformed("BOOTREPLY: expected 'to'");
    // "to HOST (MAC) via X": the host comes first here.
    size_t open = c.s.find(" (");
    if (open == std::string_view::npos) return LineResult::malformed("BOOTREPLY: no MAC address");
    out.host = c.s.substr(0, open);
    c.s.remove_prefix(open + 2);
    size_t close = c.s.find(')');
    if (close == std::string_view::npos || !parse_mac(c.s.substr(0, close), out.mac))
      return LineResult::malformed("BOOTREPLY: bad MAC address");
    out.has_mac = true;
    c.s.remove_prefix(close + 1);
    if (c.s.starts_with(' ')) c.s.remove_prefix(1);
    read_tail(c, out);
    return LineResult::record();
  }
  if (c.eat("BOOTREQUEST from ")) {
    out.action = DhcpAction::discover;
    if (!read_mac(c, out)) return LineResult::malformed("BOOTREQUEST: bad MAC address");
    read_tail(c, out);
    return LineResult::record();
  }
  if (c.eat("Reply NA: address ")) {
    out.action = DhcpAction::ack;
    if (!read_ip(c, out)) return LineResult::malformed("Reply NA: bad IPv6 address");
    size_t duid = c.s.find("duid ");
    if (duid != std::string_view::npos) {
      Cursor d{c.s.substr(duid + 5)};
      out.client_id = d.token();
      out.has_mac = mac_from_duid(out.client_id, out.mac);
    }
    size_t valid = c.s.find("valid for ");
    if (valid != std::string_view::npos) {
      Cursor v{c.s.substr(valid + 10)};
      read_seconds(v.token(), out.lease_time);
    }
    return LineResult::record();
  }
  if (m.starts_with("BOOTP")) return LineResult::skip("DHCP message that changes no lease");
  return LineResult::skip("dhcpd message that is not a DHCP event");
}

class IscDhcpdSyslogParser final : public DhcpParser {
 public:
  explicit IscDhcpdSyslogParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, DhcpEvent& out) override {
    std::string_view t = line.text;
    if (last_.size && t.size() > last_.size && last_.date_reads == ctx_.bsd_cache.reads &&
        bytes_equal(t.data(), last_.bytes, last_.size)) {
      // The same header bytes as the last line read this way (a busy server
      // logs many lines a second): the same time, host and tag. (Unless
      // another date was read since: the year of a date depends on the
      // dates read before it.)
      out.clear();
      out.time = last_.time;
      out.time_flags = last_.time_flags;
      out.server = t.substr(16, last_.host_size);
      return parse_message(t.substr(last_.size), t.data(), out);
    }
    return parse_header(t, out);
  }

  LineResult parse_time(const Line& line, DhcpEvent& out) override {
    // The common BSD form without the generic header parse: the date (mostly
    // a cache hit), the host, and whether the tag is dhcpd's.
    std::string_view t = line.text;
    if (t.size() > 22 && t[15] == ' ' && t[3] == ' ') {
      uint8_t flags = 0;
      if (!parse_bsd_timestamp(t, ctx_, out.time, flags))
        return LineResult::malformed("bad syslog date");
      size_t i = find_byte(t, ' ', 16);
      std::string_view tag = t.substr(std::min(i + 1, t.size()));
      if (!dhcpd_tag_length(tag)) {
        out.time = kNoTime;
        return LineResult::foreign("not a dhcpd line");
      }
      out.time_flags = flags;
      out.time_key = 15;  // "Apr 10 09:45:50"
      return LineResult::skip("not examined beyond its time");
    }
    SyslogHeader h;
    const char* why = "";
    if (!parse_syslog_header(line.text, ctx_, h, &why)) {
      if (line.text.empty()) return LineResult::skip("empty line");
      return LineResult::malformed(why);
    }
    if (!is_dhcpd(h.program)) return LineResult::foreign("not a dhcpd line");
    out.time = h.time;
    out.time_flags = h.time_flags;
    return LineResult::skip("not examined beyond its time");
  }

 private:
  // parse() for a line whose header is not the kept one (out of line: the
  // common case in parse() then needs no registers saved). First the usual
  // header without the generic parse: a BSD date, the host, dhcpd's tag;
  // anything else takes the general path, which gives the same result for
  // these lines (a test compares the two).
  [[gnu::noinline]] LineResult parse_header(std::string_view t, DhcpEvent& out) {
    if (t.size() > 22 && t[15] == ' ' && t[3] == ' ') {
      size_t i = find_byte(t, ' ', 16);
      size_t tag = dhcpd_tag_length(t.substr(std::min(i + 1, t.size())));
      if (tag) {
        out.clear();
        if (!parse_bsd_timestamp(t, ctx_, out.time, out.time_flags))
          return LineResult::malformed("bad syslog date");
        out.server = t.substr(16, i - 16);
        size_t size = i + 1 + tag;
        // Kept when the tag ends in ": " (a tag ending the line would also
        // be the start of a line with more after the ':').
        if (size <= sizeof last_.bytes && t[size - 1] == ' ') {
          std::memcpy(last_.bytes, t.data(), size);
          last_.size = size;
          last_.time = out.time;
          last_.time_flags = out.time_flags;
          last_.host_size = i - 16;
          last_.date_reads = ctx_.bsd_cache.reads;
        }
        return parse_message(t.substr(size), t.data(), out);
      }
    }
    SyslogHeader h;
    const char* why = "";
    if (!parse_syslog_header(t, ctx_, h, &why)) {
      if (t.empty()) return LineResult::skip("empty line");
      return LineResult::malformed(why);
    }
    if (!is_dhcpd(h.program)) return LineResult::foreign("not a dhcpd line");
    out.clear();
    out.time = h.time;
    out.time_flags = h.time_flags;
    out.server = h.host;
    return parse_message(h.message, t.data(), out);
  }

  // The length of dhcpd's tag at the start of `rest` with the ": " after it
  // ("dhcpd: ", "dhcpd[12]: ", "dhcpd6[12]: ", or ':' ending the line), 0 if
  // there is none: the same tags split_tag accepts for these programs.
  static size_t dhcpd_tag_length(std::string_view rest) {
    if (!rest.starts_with("dhcpd")) return 0;
    size_t i = 5;
    if (i < rest.size() && (rest[i] == '4' || rest[i] == '6')) ++i;
    if (i < rest.size() && rest[i] == '[') {
      size_t j = find_either(rest, ']', ' ', i + 1);
      if (j >= rest.size() || rest[j] != ']') return 0;
      i = j + 1;
    }
    if (i >= rest.size() || rest[i] != ':') return 0;
    if (i + 1 == rest.size()) return i + 1;
    return rest[i + 1] == ' ' ? i + 2 : 0;
  }
  static bool is_dhcpd(std::string_view program) {
    return program == "dhcpd" || program == "dhcpd6" || program == "dhcpd4";
  }
  const ParseContext& ctx_;
  // The bytes before the message of the last line read by parse's fast path
  // (BSD date, host, dhcpd's tag and the space after it), and what they
  // gave; size 0 when there is none.
  struct LastHeader {
    char bytes[64];
    size_t size = 0;
    Instant time = kNoTime;
    uint8_t time_flags = 0;
    size_t host_size = 0;
    uint64_t date_reads = 0;  // ctx_.bsd_cache.reads when it was kept
  } last_;
};

int sniff(std::string_view head, const char** why) {
  // A dhcpd tag followed by a DHCP message name, within the first lines.
  size_t hits = 0;
  size_t lines = for_each_head_line(head, 200, [&](std::string_view line) {
    size_t tag = line.find(" dhcpd");
    if (tag == std::string_view::npos) return;
    std::string_view rest = line.substr(tag + 6);
    if (rest.find(": DHCP") != std::string_view::npos ||
        rest.find(": BOOTREPLY") != std::string_view::npos ||
        rest.find(": Reply NA") != std::string_view::npos)
      ++hits;
  });
  if (hits == 0) {
    *why = "no dhcpd DHCP messages in the first lines";
    return 0;
  }
  *why = "syslog lines tagged dhcpd with DHCP messages";
  return hits * 2 >= lines ? 90 : 70;
}

std::unique_ptr<DhcpParser> make(const ParseContext& ctx) {
  return std::make_unique<IscDhcpdSyslogParser>(ctx);
}

}  // namespace

const FormatInfo& isc_dhcpd_syslog_format() {
  static const FormatInfo info{
      .name = "isc-dhcpd",
      .family = Family::dhcp,
      .summary = "ISC dhcpd messages in syslog (DHCPACK, DHCPRELEASE, ...)",
      .sniff = sniff,
      .make_dhcp = make,
      .snapshot = false};
  return info;
}

}  // namespace tracekit::formats

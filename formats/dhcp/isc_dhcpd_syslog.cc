// ISC dhcpd messages in syslog.
//
//   Apr 10 09:45:50 spb-proxy dhcpd[812]: DHCPACK on 10.51.8.52 to 64:31:50:44:1f:05 (spb-024) via eth0
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

#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

// Short names for the parse paths below; the helpers themselves are shared.
bool starts_with(std::string_view s, std::string_view p) {
  return s.starts_with(p);
}
std::string_view take_token(std::string_view& s) {
  return next_token(s);
}

// Reads "[(host)] [uid X] via WHERE[...]" after the MAC.
void read_tail(std::string_view s, DhcpEvent& out) {
  size_t via = s.rfind(" via ");
  if (starts_with(s, "via ")) via = std::string_view::npos, s = s.substr(4);
  std::string_view before = via == std::string_view::npos ? std::string_view() : s.substr(0, via);
  std::string_view after = via == std::string_view::npos ? s : s.substr(via + 5);
  if (!before.empty() && before.front() == '(') {
    size_t close = before.rfind(')');
    if (close != std::string_view::npos) out.host = before.substr(1, close - 1);
    before = close == std::string_view::npos ? std::string_view() : before.substr(close + 1);
  }
  size_t uid = before.find("uid ");
  if (uid != std::string_view::npos) {
    std::string_view rest = before.substr(uid + 4);
    out.client_id = take_token(rest);
  }
  // "eth0", "10.0.0.1", "eth0: network X: no free leases", "eth0 (found)"
  size_t end = after.find_first_of(" :");
  out.relay = after.substr(0, end);
}

bool read_ip(std::string_view& s, DhcpEvent& out) {
  return parse_ip(take_token(s), out.ip);
}

bool read_mac(std::string_view& s, DhcpEvent& out) {
  out.has_mac = parse_mac(take_token(s), out.mac);
  return out.has_mac;
}

LineResult parse_message(std::string_view m, DhcpEvent& out) {
  if (starts_with(m, "DHCPACK on ")) {
    m.remove_prefix(11);
    out.action = DhcpAction::ack;
    if (!read_ip(m, out)) return LineResult::malformed("DHCPACK: bad IP address");
    if (take_token(m) != "to") return LineResult::malformed("DHCPACK: expected 'to'");
    if (!read_mac(m, out)) return LineResult::malformed("DHCPACK: bad MAC address");
    read_tail(m, out);
    return LineResult::record();
  }
  if (starts_with(m, "DHCPACK to ")) {  // reply to DHCPINFORM
    m.remove_prefix(11);
    out.action = DhcpAction::inform;
    if (!read_ip(m, out)) return LineResult::malformed("DHCPACK to: bad IP address");
    std::string_view mac = take_token(m);
    if (mac.size() > 2 && mac.front() == '(' && mac.back() == ')')
      out.has_mac = parse_mac(mac.substr(1, mac.size() - 2), out.mac);
    read_tail(m, out);
    return LineResult::record();
  }
  if (starts_with(m, "DHCPREQUEST for ")) {
    m.remove_prefix(16);
    out.action = DhcpAction::request;
    if (!read_ip(m, out)) return LineResult::malformed("DHCPREQUEST: bad IP address");
    std::string_view tok = take_token(m);
    if (!tok.empty() && tok.front() == '(') tok = take_token(m);  // (server identifier)
    if (tok != "from") return LineResult::malformed("DHCPREQUEST: expected 'from'");
    if (!read_mac(m, out)) return LineResult::malformed("DHCPREQUEST: bad MAC address");
    read_tail(m, out);
    return LineResult::record();
  }
  if (starts_with(m, "DHCPDISCOVER from ")) {
    m.remove_prefix(18);
    out.action = DhcpAction::discover;
    if (!read_mac(m, out)) return LineResult::malformed("DHCPDISCOVER: bad MAC address");
    read_tail(m, out);
    return LineResult::record();
  }
  if (starts_with(m, "DHCPOFFER on ")) {
    m.remove_prefix(13);
    out.action = DhcpAction::offer;
    if (!read_ip(m, out)) return LineResult::malformed("DHCPOFFER: bad IP address");
    if (take_token(m) != "to") return LineResult::malformed("DHCPOFFER: expected 'to'");
    if (!read_mac(m, out)) return LineResult::malformed("DHCPOFFER: bad MAC address");
    read_tail(m, out);
    return LineResult::record();
  }
  if (starts_with(m, "DHCPNAK on ")) {
    m.remove_prefix(11);
    out.action = DhcpAction::nak;
    if (!read_ip(m, out)) return LineResult::malformed("DHCPNAK: bad IP address");
    if (take_token(m) != "to") return LineResult::malformed("DHCPNAK: expected 'to'");
    if (!read_mac(m, out)) return LineResult::malformed("DHCPNAK: bad MAC address");
    read_tail(m, out);
    return LineResult::record();
  }
  if (starts_with(m, "DHCPRELEASE of ") || starts_with(m, "DHCPDECLINE of ")) {
    bool release = m[4] == 'R';
    m.remove_prefix(15);
    out.action = release ? DhcpAction::release : DhcpAction::decline;
    if (!read_ip(m, out))
      return LineResult::malformed(release ? "DHCPRELEASE: bad IP address"
                                           : "DHCPDECLINE: bad IP address");
    if (take_token(m) != "from")
      return LineResult::malformed(release ? "DHCPRELEASE: expected 'from'"
                                           : "DHCPDECLINE: expected 'from'");
    if (!read_mac(m, out))
      return LineResult::malformed(release ? "DHCPRELEASE: bad MAC address"
                                           : "DHCPDECLINE: bad MAC address");
    // A release of a lease the server did not know changes nothing.
    if (release && m.size() >= 11 && m.substr(m.size() - 11) == "(not found)")
      return LineResult::skip("DHCPRELEASE of an unknown lease");
    read_tail(m, out);
    return LineResult::record();
  }
  if (starts_with(m, "DHCPINFORM from ")) {
    m.remove_prefix(16);
    out.action = DhcpAction::inform;
    if (!read_ip(m, out)) return LineResult::malformed("DHCPINFORM: bad IP address");
    read_tail(m, out);
    return LineResult::record();
  }
  if (starts_with(m, "DHCPEXPIRE on ")) {
    m.remove_prefix(14);
    out.action = DhcpAction::expire;
    if (!read_ip(m, out)) return LineResult::malformed("DHCPEXPIRE: bad IP address");
    if (take_token(m) == "to") read_mac(m, out);
    return LineResult::record();
  }
  if (starts_with(m, "BOOTREPLY for ")) {
    m.remove_prefix(14);
    out.action = DhcpAction::ack;
    if (!read_ip(m, out)) return LineResult::malformed("BOOTREPLY: bad IP address");
    if (take_token(m) != "to") return LineResult::malformed("BOOTREPLY: expected 'to'");
    // "to HOST (MAC) via X": the host comes first here.
    size_t open = m.find(" (");
    if (open == std::string_view::npos) return LineResult::malformed("BOOTREPLY: no MAC address");
    out.host = m.substr(0, open);
    m.remove_prefix(open + 2);
    size_t close = m.find(')');
    if (close == std::string_view::npos || !parse_mac(m.substr(0, close), out.mac))
      return LineResult::malformed("BOOTREPLY: bad MAC address");
    out.has_mac = true;
    m.remove_prefix(close + 1);
    if (!m.empty() && m[0] == ' ') m.remove_prefix(1);
    read_tail(m, out);
    return LineResult::record();
  }
  if (starts_with(m, "BOOTREQUEST from ")) {
    m.remove_prefix(17);
    out.action = DhcpAction::discover;
    if (!read_mac(m, out)) return LineResult::malformed("BOOTREQUEST: bad MAC address");
    read_tail(m, out);
    return LineResult::record();
  }
  if (starts_with(m, "Reply NA: address ")) {
    m.remove_prefix(18);
    out.action = DhcpAction::ack;
    if (!read_ip(m, out)) return LineResult::malformed("Reply NA: bad IPv6 address");
    size_t duid = m.find("duid ");
    if (duid != std::string_view::npos) {
      std::string_view rest = m.substr(duid + 5);
      out.client_id = take_token(rest);
      out.has_mac = mac_from_duid(out.client_id, out.mac);
    }
    size_t valid = m.find("valid for ");
    if (valid != std::string_view::npos) {
      std::string_view rest = m.substr(valid + 10);
      std::string_view secs = take_token(rest);
      int64_t v = 0;
      auto r = std::from_chars(secs.data(), secs.data() + secs.size(), v);
      if (r.ec == std::errc() && v > 0) out.lease_time = Micros(v * 1000000);
    }
    return LineResult::record();
  }
  if (starts_with(m, "DHCP") || starts_with(m, "BOOTP"))
    return LineResult::skip("DHCP message that changes no lease");
  return LineResult::skip("dhcpd message that is not a DHCP event");
}

class IscDhcpdSyslogParser final : public DhcpParser {
 public:
  explicit IscDhcpdSyslogParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, DhcpEvent& out) override {
    SyslogHeader h;
    const char* why = "";
    if (!parse_syslog_header(line.text, ctx_, h, &why)) {
      if (line.text.empty()) return LineResult::skip("empty line");
      return LineResult::malformed(why);
    }
    if (!is_dhcpd(h.program)) return LineResult::foreign("not a dhcpd line");
    out.clear();
    out.time = h.time;
    out.time_flags = h.time_flags;
    out.server = h.host;
    return parse_message(h.message, out);
  }

  LineResult parse_time(const Line& line, DhcpEvent& out) override {
    SyslogHeader h;
    const char* why = "";
    if (!parse_syslog_header(line.text, ctx_, h, &why)) {
      if (line.text.empty()) return LineResult::skip("empty line");
      return LineResult::malformed(why);
    }
    if (!is_dhcpd(h.program)) return LineResult::foreign("not a dhcpd line");
    out.time = h.time;
    return LineResult::skip("not examined beyond its time");
  }

 private:
  static bool is_dhcpd(std::string_view program) {
    return program == "dhcpd" || program == "dhcpd6" || program == "dhcpd4";
  }
  const ParseContext& ctx_;
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
  static const FormatInfo info{"isc-dhcpd", Family::dhcp,
                               "ISC dhcpd messages in syslog (DHCPACK, DHCPRELEASE, ...)", sniff,
                               make};
  return info;
}

}  // namespace tracekit::formats

// dnsmasq DHCP messages, in syslog or in dnsmasq's own log file.
//
//   Apr 23 16:19:00 gw dnsmasq-dhcp[1234]: DHCPACK(eth0) 10.0.0.5 00:11:22:33:44:55 laptop
//
// dnsmasq logs one line per DHCP packet it answers (rfc2131.c log_packet,
// rfc3315.c log6_packet):
//   [XID ]TYPE(IFACE) [IP ]ID [TEXT]
// XID (the transaction id) leads every line when --log-dhcp is on. TYPE is
// DHCPDISCOVER, DHCPOFFER, DHCPREQUEST, DHCPACK, DHCPNAK, DHCPRELEASE,
// DHCPDECLINE, DHCPINFORM or BOOTP for DHCPv4, and DHCPSOLICIT, DHCPADVERTISE,
// DHCPREQUEST, DHCPREPLY, DHCPRENEW, DHCPREBIND, DHCPCONFIRM, DHCPRELEASE,
// DHCPDECLINE, DHCPINFORMATION-REQUEST for DHCPv6. IP is optional (a
// DHCPDISCOVER shows the requested address if any; DHCPv6 client messages show
// none). ID is the hardware address as colon hex (longer than 6 bytes when it
// is a client id, "<null>" when there is none) or, for DHCPv6, the client's
// DUID (DUID-LL and DUID-LLT give the MAC). TEXT is the hostname (DHCPACK,
// DHCPREPLY, DHCPADVERTISE) or a reason ("wrong address", "unknown lease",
// "lease not found"). The line ends in a space when there is no TEXT.
//
// Actions: DHCPACK and BOOTP (without a reason) -> ack, except the DHCPACK that
// answers a DHCPINFORM (same IP and MAC on the packet line just before), which
// is inform; DHCPREPLY with an address -> ack, or nak when its text is "lease
// not found", "address invalid" or "confirm failed"; DHCPRELEASE IP -> release
// (skipped when dnsmasq says "unknown lease"); DHCPv6 DHCPRELEASE and
// DHCPDECLINE name no address and are skipped; DHCPSOLICIT -> discover;
// DHCPADVERTISE -> offer; DHCPRENEW, DHCPREBIND, DHCPCONFIRM -> request;
// DHCPINFORMATION-REQUEST -> inform. The lease length is not logged on the
// packet line, so lease_time stays 0.
//
// Line headers: syslog ("host dnsmasq-dhcp[pid]:", older versions tag DHCP
// lines "dnsmasq[pid]:"), dnsmasq's --log-facility file (a BSD date and the tag,
// no host), OpenWrt logread ("Thu Apr 23 16:19:00 2026 daemon.info
// dnsmasq-dhcp[pid]: ..."), and standard error (--no-daemon, --log-debug,
// --log-facility=- in the foreground: "dnsmasq-dhcp: ...", no timestamp; such
// DHCP packet lines are read but reported malformed, as they cannot be placed in
// time). Everything else from dnsmasq-dhcp (option dumps, "tags:", "DHCP, IP
// range ...", "not giving name ...") and the DNS, TFTP and script lines of
// dnsmasq are skipped; other programs' lines are foreign.
#include <charconv>

#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

enum class Kind : uint8_t {
  discover,
  offer,
  request,
  ack,
  nak,
  release,
  decline,
  inform,  // DHCPv4 (and shared names)
  solicit,
  advertise,
  reply,
  v6_request,
  v6_inform,  // DHCPv6 only
  bootp,
};

struct PacketType {
  std::string_view name;
  Kind kind;
  const char* bad_ip;
  const char* bad_id;
  const char* no_ip;  // null when the address is optional
};

constexpr PacketType kPacketTypes[] = {
    {"DHCPACK", Kind::ack, "DHCPACK: bad IP address", "DHCPACK: bad MAC address",
     "DHCPACK: no IP address"},
    {"DHCPREQUEST", Kind::request, "DHCPREQUEST: bad IP address", "DHCPREQUEST: bad MAC address",
     nullptr},
    {"DHCPDISCOVER", Kind::discover, "DHCPDISCOVER: bad IP address",
     "DHCPDISCOVER: bad MAC address", nullptr},
    {"DHCPOFFER", Kind::offer, "DHCPOFFER: bad IP address", "DHCPOFFER: bad MAC address",
     "DHCPOFFER: no IP address"},
    {"DHCPNAK", Kind::nak, "DHCPNAK: bad IP address", "DHCPNAK: bad MAC address",
     "DHCPNAK: no IP address"},
    {"DHCPRELEASE", Kind::release, "DHCPRELEASE: bad IP address", "DHCPRELEASE: bad MAC address",
     nullptr},
    {"DHCPDECLINE", Kind::decline, "DHCPDECLINE: bad IP address", "DHCPDECLINE: bad MAC address",
     nullptr},
    {"DHCPINFORM", Kind::inform, "DHCPINFORM: bad IP address", "DHCPINFORM: bad MAC address",
     "DHCPINFORM: no IP address"},
    {"BOOTP", Kind::bootp, "BOOTP: bad IP address", "BOOTP: bad MAC address", nullptr},
    {"DHCPSOLICIT", Kind::solicit, "DHCPSOLICIT: bad IP address", "DHCPSOLICIT: bad DUID", nullptr},
    {"DHCPADVERTISE", Kind::advertise, "DHCPADVERTISE: bad IP address", "DHCPADVERTISE: bad DUID",
     nullptr},
    {"DHCPREPLY", Kind::reply, "DHCPREPLY: bad IP address", "DHCPREPLY: bad DUID", nullptr},
    {"DHCPRENEW", Kind::v6_request, "DHCPRENEW: bad IP address", "DHCPRENEW: bad DUID", nullptr},
    {"DHCPREBIND", Kind::v6_request, "DHCPREBIND: bad IP address", "DHCPREBIND: bad DUID", nullptr},
    {"DHCPCONFIRM", Kind::v6_request, "DHCPCONFIRM: bad IP address", "DHCPCONFIRM: bad DUID",
     nullptr},
    {"DHCPINFORMATION-REQUEST", Kind::v6_inform, "DHCPINFORMATION-REQUEST: bad IP address",
     "DHCPINFORMATION-REQUEST: bad DUID", nullptr},
};

// "DHCPACK(eth0) ..." -> the type name, the interface and what follows.
bool split_packet(std::string_view m, std::string_view& type, std::string_view& iface,
                  std::string_view& rest) {
  size_t open = m.find('(');
  if (open == std::string_view::npos || open < 5) return false;
  type = m.substr(0, open);
  if (!type.starts_with("DHCP") && type != "BOOTP") return false;
  for (char c : type)
    if (!((c >= 'A' && c <= 'Z') || c == '-')) return false;
  size_t close = m.find(')', open);
  if (close == std::string_view::npos) return false;
  if (close + 1 < m.size() && m[close + 1] != ' ') return false;
  iface = m.substr(open + 1, close - open - 1);
  rest = close + 2 <= m.size() ? m.substr(close + 2) : std::string_view();
  return true;
}

bool is_weekday(std::string_view s) {
  static constexpr std::string_view kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (auto d : kDays)
    if (s == d) return true;
  return false;
}

// "prog[pid]: message" -> prog, message. False when there is no ": ".
bool split_tag(std::string_view s, std::string_view& program, std::string_view& message) {
  size_t colon = s.find(": ");
  size_t sp = s.find(' ');
  if (colon == std::string_view::npos || (sp != std::string_view::npos && sp < colon)) {
    if (s.empty() || s.back() != ':' || sp != std::string_view::npos) return false;
    colon = s.size() - 1;
  }
  std::string_view tag = s.substr(0, colon);
  message = colon + 2 <= s.size() ? s.substr(colon + 2) : std::string_view();
  program = tag.substr(0, tag.find('['));
  return true;
}

class DnsmasqDhcpParser final : public DhcpParser {
 public:
  explicit DnsmasqDhcpParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, DhcpEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return LineResult::skip("empty line");
    out.clear();
    std::string_view host, program, message;
    bool timed = true;
    if (text.starts_with("dnsmasq")) {
      // Standard error: "dnsmasq-dhcp: ..." or "dnsmasq-dhcp[pid]: ...".
      if (!split_tag(text, program, message)) return LineResult::malformed("no syslog header");
      timed = false;
    } else if (!read_logread(text, out, program, message)) {
      SyslogHeader h;
      const char* why = "";
      if (!parse_syslog_header(text, ctx_, h, &why)) return LineResult::malformed(why);
      out.time = h.time;
      out.time_flags = h.time_flags;
      if (h.host.starts_with("dnsmasq") && h.host.back() == ':') {
        // dnsmasq's own log file has no host: the "host" is the tag.
        program = h.host.substr(0, std::min(h.host.find('['), h.host.size() - 1));
        size_t start = size_t(h.host.data() - text.data()) + h.host.size() + 1;
        message = start <= text.size() ? text.substr(start) : std::string_view();
      } else {
        host = h.host;
        program = h.program;
        message = h.message;
      }
    }
    if (!program.starts_with("dnsmasq")) return LineResult::foreign("not a dnsmasq line");
    if (program == "dnsmasq" && message.starts_with("dnsmasq")) {
      // dnsmasq's standard error captured by a syslog daemon or journald.
      std::string_view inner;
      if (split_tag(message, inner, message)) program = inner;
    }
    if (program != "dnsmasq-dhcp" && program != "dnsmasq")
      return LineResult::skip("dnsmasq TFTP, script or debug message");
    // --log-dhcp prefixes the transaction id.
    if (!message.empty() && is_digit(message[0])) {
      size_t i = 0;
      while (i < message.size() && is_digit(message[i])) ++i;
      if (i < message.size() && message[i] == ' ') message.remove_prefix(i + 1);
    }
    std::string_view type, iface, rest;
    if (!split_packet(message, type, iface, rest))
      return LineResult::skip(program == "dnsmasq" ? "dnsmasq DNS message"
                                                   : "dnsmasq-dhcp message that is not a packet");
    out.server = host;
    out.relay = iface;
    LineResult r = parse_packet(type, rest, out);
    if (r.status == LineStatus::record && !timed) {
      out.time = kNoTime;
      return LineResult::malformed("no timestamp (dnsmasq standard error output)");
    }
    return r;
  }

 private:
  // OpenWrt logread: "Thu Apr 23 16:19:00 2026 daemon.info dnsmasq-dhcp[1234]: ...".
  bool read_logread(std::string_view s, DhcpEvent& out, std::string_view& program,
                    std::string_view& message) {
    if (s.size() < 26 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[13] != ':' ||
        s[16] != ':' || s[19] != ' ' || s[24] != ' ' || !is_weekday(s.substr(0, 3)))
      return false;
    unsigned mo = parse_month_abbrev(s.substr(4, 3));
    if (mo == 0 || !ctx_.local) return false;
    auto num = [&](size_t i, size_t n, int& v) {
      size_t b = i;
      while (b < i + n && s[b] == ' ') ++b;
      auto r = std::from_chars(s.data() + b, s.data() + i + n, v);
      return b < i + n && r.ec == std::errc() && r.ptr == s.data() + i + n;
    };
    int d, hh, mi, ss, y;
    if (!num(8, 2, d) || !num(11, 2, hh) || !num(14, 2, mi) || !num(17, 2, ss) || !num(20, 4, y) ||
        hh > 23 || mi > 59 || ss > 60 || !valid_date(y, mo, unsigned(d)))
      return false;
    std::string_view rest = s.substr(25);
    std::string_view facility = next_token(rest);
    if (facility.find('.') == std::string_view::npos || !split_tag(rest, program, message))
      return false;
    uint8_t flags = 0;
    out.time =
        ctx_.local->to_utc(days_from_civil(y, mo, unsigned(d)),
                           (int64_t(hh) * 3600 + mi * 60 + std::min(ss, 59)) * 1000000, flags);
    out.time_flags = flags | ctx_.zone_flags;
    return true;
  }

  LineResult parse_packet(std::string_view type_name, std::string_view rest, DhcpEvent& out) {
    const PacketType* type = nullptr;
    for (const auto& t : kPacketTypes)
      if (t.name == type_name) type = &t;
    if (!type) {
      inform_pending_ = false;
      return LineResult::skip("DHCP message that changes no lease");
    }
    bool was_inform = inform_pending_;
    inform_pending_ = false;

    std::string_view first = next_token(rest);
    std::string_view id = first;
    bool has_ip = parse_ip(first, out.ip);
    if (has_ip) id = next_token(rest);
    std::string_view text = trim(rest);
    if (!read_id(id, out)) {
      bool looked_like_ip = !has_ip && first.find('.') != std::string_view::npos;
      return LineResult::malformed(looked_like_ip ? type->bad_ip : type->bad_id);
    }
    if (!has_ip && type->no_ip) return LineResult::malformed(type->no_ip);

    switch (type->kind) {
      case Kind::ack:
        out.host = text;
        out.action = DhcpAction::ack;
        if (was_inform && out.ip == inform_ip_ && out.has_mac == inform_has_mac_ &&
            (!out.has_mac || out.mac == inform_mac_))
          out.action = DhcpAction::inform;  // the answer to DHCPINFORM grants nothing
        return LineResult::record();
      case Kind::inform:
        out.action = DhcpAction::inform;
        inform_pending_ = true;
        inform_ip_ = out.ip;
        inform_mac_ = out.mac;
        inform_has_mac_ = out.has_mac;
        return LineResult::record();
      case Kind::offer:
        out.action = DhcpAction::offer;
        return LineResult::record();
      case Kind::discover:
        out.action = DhcpAction::discover;
        return LineResult::record();
      case Kind::request:
        out.action = DhcpAction::request;
        return LineResult::record();
      case Kind::nak:
        out.action = DhcpAction::nak;
        return LineResult::record();
      case Kind::release:
        if (!has_ip) return LineResult::skip("DHCPv6 release: dnsmasq does not log the addresses");
        if (text == "unknown lease") return LineResult::skip("DHCPRELEASE of an unknown lease");
        out.action = DhcpAction::release;
        return LineResult::record();
      case Kind::decline:
        if (!has_ip) return LineResult::skip("DHCPv6 decline: dnsmasq does not log the addresses");
        out.action = DhcpAction::decline;
        return LineResult::record();
      case Kind::bootp:
        if (!has_ip || !text.empty()) return LineResult::skip("BOOTP request not answered");
        out.action = DhcpAction::ack;
        return LineResult::record();
      case Kind::solicit:
        out.action = DhcpAction::discover;
        return LineResult::record();
      case Kind::advertise:
        if (!has_ip) return LineResult::skip("DHCPv6 advertise without an address");
        out.action = DhcpAction::offer;
        if (text != "no addresses available") out.host = text;
        return LineResult::record();
      case Kind::reply:
        if (!has_ip) return LineResult::skip("DHCPv6 reply without an address");
        if (text == "lease not found" || text == "address invalid" || text == "confirm failed") {
          out.action = DhcpAction::nak;
          return LineResult::record();
        }
        out.action = DhcpAction::ack;
        if (text != "deprecated") out.host = text;
        return LineResult::record();
      case Kind::v6_request:
        out.action = DhcpAction::request;
        return LineResult::record();
      case Kind::v6_inform:
        out.action = DhcpAction::inform;
        if (text != "ignored") out.host = text;
        return LineResult::record();
    }
    return LineResult::skip("DHCP message that changes no lease");
  }

  // A MAC, a longer hardware address or client id, or a DUID.
  static bool read_id(std::string_view id, DhcpEvent& out) {
    if (id == "<null>") return true;
    uint8_t bytes[128];
    size_t n = parse_hex_bytes(id, bytes, sizeof bytes);
    if (n == 0) return false;
    if (n == 6) {
      std::copy(bytes, bytes + 6, out.mac.bytes.begin());
      out.has_mac = true;
      return true;
    }
    out.client_id = id;
    out.has_mac = mac_from_duid(bytes, n, out.mac);
    return true;
  }

  const ParseContext& ctx_;
  bool inform_pending_ = false;
  bool inform_has_mac_ = false;
  IpAddr inform_ip_;
  MacAddr inform_mac_;
};

int sniff(std::string_view head, const char** why) {
  size_t packets = 0, dhcp_noise = 0, dns = 0;
  for_each_head_line(head, 200, [&](std::string_view line) {
    size_t tag = line.find("dnsmasq");
    if (tag == std::string_view::npos) return;
    std::string_view rest = line.substr(tag);
    bool packet = false;
    for (std::string_view p : {"DHCPACK(", "DHCPDISCOVER(", "DHCPOFFER(", "DHCPREQUEST(",
                               "DHCPNAK(", "DHCPRELEASE(", "DHCPREPLY(", "DHCPSOLICIT("})
      if (rest.find(p) != std::string_view::npos) packet = true;
    if (packet)
      ++packets;
    else if (rest.starts_with("dnsmasq-dhcp"))
      ++dhcp_noise;
    else
      ++dns;
  });
  if (packets > 0) {
    *why = "dnsmasq lines with DHCP packets (DHCPACK(iface) ...)";
    return 85;
  }
  if (dhcp_noise > 0) {
    *why = "dnsmasq-dhcp lines, no DHCP packet in the first lines";
    return 60;
  }
  if (dns > 0) {
    *why = "dnsmasq lines, DNS only in the first lines";
    return 15;
  }
  *why = "no dnsmasq lines in the first lines";
  return 0;
}

std::unique_ptr<DhcpParser> make(const ParseContext& ctx) {
  return std::make_unique<DnsmasqDhcpParser>(ctx);
}

}  // namespace

const FormatInfo& dnsmasq_dhcp_format() {
  static const FormatInfo info{
      .name = "dnsmasq",
      .family = Family::dhcp,
      .summary = "dnsmasq DHCP/DHCPv6 packet lines (syslog, log file, OpenWrt logread)",
      .sniff = sniff,
      .make_dhcp = make,
      .snapshot = false};
  return info;
}

}  // namespace tracekit::formats

// Juniper SRX session logs (RT_FLOW), structured or text.
//
//   <14>1 2026-04-23T16:19:00.123+01:00 srx1 RT_FLOW - RT_FLOW_SESSION_CREATE
//     [junos@2636.1.1.1.2.129 source-address="10.0.0.5" source-port="51234"
//     destination-address="198.51.100.1" destination-port="443" ... nat-source-address=
//     "203.0.113.9" nat-source-port="40123" nat-destination-address="198.51.100.1" ...
//     protocol-id="6" ... session-id-32="4711" ...]
//   Apr 23 16:19:00 srx1 RT_FLOW: RT_FLOW_SESSION_CREATE: session created
//     10.0.0.5/51234->198.51.100.1/443 0x0 junos-https 203.0.113.9/40123->198.51.100.1/443 0x0
//     source rule r1 N/A N/A 6 p1 trust untrust 4711 N/A(N/A) ge-0/0/1.0 ...
//
// RT_FLOW_SESSION_CREATE -> open, RT_FLOW_SESSION_CLOSE -> close with start =
// time - elapsed-time (seconds). The _LS variants (logical systems) are read
// alike. Structured data (sd-syslog, RFC 5424 or after a BSD header) names
// every field; the text ("standard") form is positional: "session created
// SRC/P->DST/P [0xTAG] SERVICE NSRC/P->NDST/P [0xTAG] <NAT rule types and
// names, some types two words, "N/A" when none> PROTO POLICY FROM-ZONE TO-ZONE
// SESSION-ID [USER(ROLES) ...]", CLOSE adding "session closed REASON:" before
// and "PKTS(BYTES) PKTS(BYTES) ELAPSED" after the session id. The rule fields
// vary between Junos releases, so the protocol is found as the number that has
// a session id four tokens later, followed by the end, "X(Y)" or an interface.
// Direction: the session's source is its initiator. With source NAT
// (nat-source differs from source) the source is the inside host and the
// nat-source its public address; with destination NAT only (a static or
// destination rule for an inbound session) the inside host is the
// nat-destination and its public address the destination; without NAT,
// public = inside = source. "N/A" or a missing NAT field means "not
// translated". Time: the syslog header's, which the SRX writes itself. Device:
// the syslog host. RT_FLOW_SESSION_DENY, APPTRACK_* and other RT_FLOW messages
// are skipped; lines of other programs are foreign.
#include <array>

#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

bool is_na(std::string_view v) {
  return v.empty() || v == "N/A" || v == "None" || v == "NA";
}

// The value of key="..." in structured data ("" when absent). Values are
// quoted; `\"` inside a value is not expected in these fields.
std::string_view sd_value(std::string_view sd, std::string_view key) {
  size_t pos = 0;
  while ((pos = sd.find(key, pos)) != std::string_view::npos) {
    bool starts = pos > 0 && (sd[pos - 1] == ' ' || sd[pos - 1] == '[');
    size_t eq = pos + key.size();
    if (starts && eq + 1 < sd.size() && sd[eq] == '=' && sd[eq + 1] == '"') {
      size_t b = eq + 2;
      size_t e = sd.find('"', b);
      if (e == std::string_view::npos) return {};
      return sd.substr(b, e - b);
    }
    pos = eq;
  }
  return {};
}

// parse_ip() of an empty view without data (an absent field) answers true:
// absent means "no address" here.
bool read_ip(std::string_view s, IpAddr& ip) {
  return !s.empty() && parse_ip(s, ip);
}

// "IP/PORT->IP/PORT".
bool parse_pair(std::string_view s, IpAddr& a, uint16_t& ap, IpAddr& b, uint16_t& bp) {
  size_t arrow = s.find("->");
  if (arrow == std::string_view::npos) return false;
  auto one = [](std::string_view x, IpAddr& ip, uint16_t& port) {
    size_t slash = x.rfind('/');
    return slash != std::string_view::npos && parse_ip(x.substr(0, slash), ip) &&
           parse_number(x.substr(slash + 1), port);
  };
  return one(s.substr(0, arrow), a, ap) && one(s.substr(arrow + 2), b, bp);
}

struct Flow {
  IpAddr src, dst, nsrc, ndst;
  uint16_t sport = 0, dport = 0, nsport = 0, ndport = 0;
  bool has_nsrc = false, has_ndst = false;
};

// Fills inside/public/dst from the pre- and post-NAT tuples (see the header).
void assign(const Flow& f, NatEvent& out) {
  bool snat = f.has_nsrc && (f.nsrc != f.src || f.nsport != f.sport);
  bool dnat = f.has_ndst && (f.ndst != f.dst || f.ndport != f.dport);
  if (!snat && dnat) {
    out.inside_ip = f.ndst;
    out.inside_port = f.ndport;
    out.public_ip = f.dst;
    out.public_port = f.dport;
    out.dst_ip = f.src;
    out.dst_port = f.sport;
    return;
  }
  out.inside_ip = f.src;
  out.inside_port = f.sport;
  out.public_ip = snat ? f.nsrc : f.src;
  out.public_port = snat ? f.nsport : f.sport;
  out.dst_ip = f.dst;
  out.dst_port = f.dport;
}

class JuniperSrxParser final : public NatParser {
 public:
  explicit JuniperSrxParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, NatEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return LineResult::skip("empty line");
    out.clear();
    size_t at = text.find("RT_FLOW");
    size_t app = text.find("APPTRACK_");
    if (at == std::string_view::npos && app == std::string_view::npos)
      return LineResult::foreign("not an RT_FLOW line");
    SyslogHeader h;
    const char* why = "";
    bool timed = parse_syslog_header(text, ctx_, h, &why);
    if (timed) {
      out.time = h.time;
      out.time_flags = h.time_flags;
      out.device = h.host;
    }
    // The message name: the first RT_FLOW_SESSION_* token.
    size_t ev = text.find("RT_FLOW_SESSION_");
    if (ev == std::string_view::npos) return LineResult::skip("RT_FLOW message without a session");
    std::string_view rest = text.substr(ev);
    size_t end = 0;
    while (end < rest.size() && rest[end] != ' ' && rest[end] != ':' && rest[end] != '[') ++end;
    std::string_view name = rest.substr(0, end);
    rest.remove_prefix(end);
    bool create = name == "RT_FLOW_SESSION_CREATE" || name == "RT_FLOW_SESSION_CREATE_LS";
    bool close = name == "RT_FLOW_SESSION_CLOSE" || name == "RT_FLOW_SESSION_CLOSE_LS";
    if (!create && !close) return LineResult::skip("RT_FLOW session message without a translation");
    out.action = create ? NatAction::open : NatAction::close;
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    LineResult r = LineResult::record();
    if (!rest.empty() && rest[0] == '[')
      r = parse_structured(rest, create, out);
    else if (!rest.empty() && rest[0] == ':')
      r = parse_text(rest.substr(1), create, out);
    else if (timed && h.structured_data.starts_with("[junos@"))
      r = parse_structured(h.structured_data, create, out);
    else
      r = LineResult::malformed(create ? "RT_FLOW_SESSION_CREATE: no fields after the name"
                                       : "RT_FLOW_SESSION_CLOSE: no fields after the name");
    if (r.status == LineStatus::record && !timed)
      return LineResult::malformed("no syslog header (the line has no time)");
    return r;
  }

 private:
  LineResult parse_structured(std::string_view sd, bool create, NatEvent& out) {
    const char* bad_addr = create ? "RT_FLOW_SESSION_CREATE: bad source or destination address"
                                  : "RT_FLOW_SESSION_CLOSE: bad source or destination address";
    const char* bad_nat = create ? "RT_FLOW_SESSION_CREATE: bad NAT address"
                                 : "RT_FLOW_SESSION_CLOSE: bad NAT address";
    Flow f;
    if (!read_ip(sd_value(sd, "source-address"), f.src) ||
        !read_ip(sd_value(sd, "destination-address"), f.dst) ||
        !parse_number(sd_value(sd, "source-port"), f.sport) ||
        !parse_number(sd_value(sd, "destination-port"), f.dport))
      return LineResult::malformed(bad_addr);
    std::string_view ns = sd_value(sd, "nat-source-address");
    if (!is_na(ns)) {
      if (!read_ip(ns, f.nsrc)) return LineResult::malformed(bad_nat);
      f.has_nsrc = true;
      std::string_view p = sd_value(sd, "nat-source-port");
      if (is_na(p))
        f.nsport = f.sport;
      else if (!parse_number(p, f.nsport))
        return LineResult::malformed(bad_nat);
    }
    std::string_view nd = sd_value(sd, "nat-destination-address");
    if (!is_na(nd)) {
      if (!read_ip(nd, f.ndst)) return LineResult::malformed(bad_nat);
      f.has_ndst = true;
      std::string_view p = sd_value(sd, "nat-destination-port");
      if (is_na(p))
        f.ndport = f.dport;
      else if (!parse_number(p, f.ndport))
        return LineResult::malformed(bad_nat);
    }
    assign(f, out);
    std::string_view proto = sd_value(sd, "protocol-id");
    if (!proto.empty() && !parse_number(proto, out.proto))
      return LineResult::malformed(create ? "RT_FLOW_SESSION_CREATE: bad protocol-id"
                                          : "RT_FLOW_SESSION_CLOSE: bad protocol-id");
    out.session_id = sd_value(sd, "session-id");
    if (out.session_id.empty()) out.session_id = sd_value(sd, "session-id-32");
    bool stat = sd_value(sd, "src-nat-rule-type").starts_with("static") ||
                sd_value(sd, "dst-nat-rule-type").starts_with("static");
    out.is_static = stat;
    if (!create) {
      std::string_view el = sd_value(sd, "elapsed-time");
      if (!el.empty()) {
        int64_t secs = 0;
        if (!parse_number(el, secs) || !log_seconds_ok(secs))
          return LineResult::malformed("RT_FLOW_SESSION_CLOSE: bad elapsed-time");
        if (out.time != kNoTime) out.start = out.time - Micros(secs * 1000000);
      }
    }
    return LineResult::record();
  }

  LineResult parse_text(std::string_view m, bool create, NatEvent& out) {
    const char* bad = create ? "RT_FLOW_SESSION_CREATE: expected \"session created "
                               "SRC/PORT->DST/PORT SERVICE NAT-SRC/PORT->NAT-DST/PORT ... "
                               "PROTOCOL POLICY ZONE ZONE SESSION-ID\""
                             : "RT_FLOW_SESSION_CLOSE: expected \"session closed REASON: "
                               "SRC/PORT->DST/PORT SERVICE NAT-SRC/PORT->NAT-DST/PORT ... "
                               "PROTOCOL POLICY ZONE ZONE SESSION-ID ... ELAPSED\"";
    m = trim(m);
    // Logical-system variants may put "Lsys NAME: " in front.
    if (create) {
      size_t at = m.find("session created ");
      if (at == std::string_view::npos) return LineResult::malformed(bad);
      m.remove_prefix(at + 16);
    } else {
      size_t at = m.find("session closed ");
      if (at == std::string_view::npos) return LineResult::malformed(bad);
      size_t colon = m.find(": ", at);
      if (colon == std::string_view::npos) return LineResult::malformed(bad);
      m.remove_prefix(colon + 2);
    }
    // Tokens, up to a fixed number (the rest is not needed).
    std::array<std::string_view, 40> tok;
    size_t n = 0;
    while (!m.empty() && n < tok.size()) {
      std::string_view t = next_token(m);
      if (!t.empty()) tok[n++] = t;
    }
    Flow f;
    if (n < 3 || !parse_pair(tok[0], f.src, f.sport, f.dst, f.dport))
      return LineResult::malformed(bad);
    size_t i = 1;
    if (tok[i].starts_with("0x")) ++i;  // connection tag
    ++i;                                // service name
    if (i >= n || !parse_pair(tok[i], f.nsrc, f.nsport, f.ndst, f.ndport))
      return LineResult::malformed(bad);
    f.has_nsrc = f.has_ndst = true;
    ++i;
    if (i < n && tok[i].starts_with("0x")) ++i;
    size_t rules = i;
    // PROTO POLICY FROM TO SESSION-ID, then the end, "USER(ROLES)"/"PKTS(BYTES)" or more.
    size_t p = n;
    for (size_t k = i; k + 4 < n; ++k) {
      uint16_t proto = 0;
      uint64_t sid = 0;
      if (!parse_number(tok[k], proto) || proto > 255 || !parse_number(tok[k + 4], sid)) continue;
      if (k + 5 < n && tok[k + 5].find('(') == std::string_view::npos) continue;
      p = k;
      break;
    }
    if (p == n) return LineResult::malformed(bad);
    for (size_t k = rules; k < p; ++k)
      if (tok[k] == "static") out.is_static = true;
    assign(f, out);
    parse_number(tok[p], out.proto);
    out.session_id = tok[p + 4];
    if (!create) {
      // SESSION-ID PKTS(BYTES) PKTS(BYTES) ELAPSED
      int64_t secs = 0;
      if (p + 7 >= n || !parse_number(tok[p + 7], secs) || !log_seconds_ok(secs))
        return LineResult::malformed("RT_FLOW_SESSION_CLOSE: no elapsed time after the counters");
      if (out.time != kNoTime) out.start = out.time - Micros(secs * 1000000);
    }
    return LineResult::record();
  }

  const ParseContext& ctx_;
};

int sniff(std::string_view head, const char** why) {
  size_t sessions = 0, flow = 0;
  for_each_head_line(head, 200, [&](std::string_view line) {
    if (line.find("RT_FLOW_SESSION_") != std::string_view::npos)
      ++sessions;
    else if (line.find("RT_FLOW") != std::string_view::npos ||
             line.find("APPTRACK_SESSION") != std::string_view::npos)
      ++flow;
  });
  if (sessions > 0) {
    *why = "Juniper RT_FLOW_SESSION_* lines";
    return 90;
  }
  if (flow > 0) {
    *why = "Juniper RT_FLOW lines, no session line in the first lines";
    return 50;
  }
  *why = "no RT_FLOW lines in the first lines";
  return 0;
}

std::unique_ptr<NatParser> make(const ParseContext& ctx) {
  return std::make_unique<JuniperSrxParser>(ctx);
}

}  // namespace

const FormatInfo& juniper_srx_format() {
  static const FormatInfo info{
      .name = "juniper-srx",
      .family = Family::nat,
      .summary = "Juniper SRX RT_FLOW session logs (structured data or text)",
      .sniff = sniff,
      .make_nat = make};
  return info;
}

}  // namespace tracekit::formats

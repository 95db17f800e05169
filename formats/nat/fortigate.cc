// FortiGate traffic logs (key=value), in syslog or as FortiAnalyzer/disk exports.
//
//   <189>date=2026-04-23 time=16:21:00 devname="fgt-edge" devid="FG100F0000000001"
//     eventtime=1776957660123456789 tz="+0100" logid="0000000013" type="traffic"
//     subtype="forward" level="notice" vd="root" srcip=10.0.0.5 srcport=51234
//     srcintf="port1" dstip=198.51.100.1 dstport=443 dstintf="wan1" sessionid=4711 proto=6
//     action="close" policyid=3 service="HTTPS" trandisp="snat" transip=203.0.113.9
//     transport=40123 duration=121 sentbyte=2048 rcvdbyte=16156
//
// Values are bare or double-quoted (quoted ones may hold spaces and commas);
// pairs are separated by spaces, or by commas in the CSV export. A traffic log
// line is written when a session ends (the action says how: accept, close,
// timeout, client-rst, server-rst, ...), or every few minutes for a long-lived
// one (the same fields, with sentdelta=): each is read as a session [time -
// duration, time]. action=start (logtraffic-start) opens a session. Denied or
// failed traffic (deny, ip-conn, dns, blocked) and other log types (event, utm)
// are skipped.
// NAT (trandisp): snat -> public = transip/transport; dnat (inbound to a
// virtual IP) -> the inside host is tranip/tranport, its public address the
// dstip/dstport, the far end the srcip; snat+dnat -> as snat, with dst the
// pre-NAT dstip; noop or absent -> no NAT, public = srcip. ICMP sessions carry
// identifier= instead of ports: it fills the ports.
// Time: eventtime (epoch seconds, milli-, micro- or nanoseconds; FortiOS 6.2+)
// is preferred, being UTC and precise; else date= time= with tz= (an offset)
// when given, else in the source's zone; else the syslog header. Device:
// devname, else devid, else the syslog host.
#include <charconv>

#include "format_list.h"
#include "fortigate_kv.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

// parse_ip() of an empty view without data (an absent field) answers true:
// absent means "no address" here.
bool read_ip(std::string_view s, IpAddr& ip) {
  return !s.empty() && parse_ip(s, ip);
}

struct Fields {
  std::string_view date, time, tz, eventtime, devname, devid, logid, type, subtype, action,
      trandisp;
  std::string_view srcip, srcport, dstip, dstport, proto, transip, transport, tranip, tranport;
  std::string_view duration, sessionid, identifier;
};

class FortigateParser final : public NatParser {
 public:
  explicit FortigateParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, NatEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return LineResult::skip("empty line");
    out.clear();
    std::string_view s = text;
    if (!s.empty() && s[0] == '<') {
      size_t close = s.find('>');
      if (close != std::string_view::npos && close <= 4) s.remove_prefix(close + 1);
    }
    size_t body_at = fortigate::find_body(s);
    if (body_at == std::string_view::npos ||
        (s.find("type=") == std::string_view::npos && s.find("devid=") == std::string_view::npos))
      return LineResult::foreign("not a FortiGate key=value log line");
    std::string_view host;
    if (body_at > 0) {
      // A syslog header in front: its time is the fallback, its host the device's.
      SyslogHeader h;
      const char* why = "";
      if (parse_syslog_header(text, ctx_, h, &why)) {
        out.time = h.time;
        out.time_flags = h.time_flags;
        host = h.host;
      }
    }
    Fields f;
    const char* bad = read_fields(s.substr(body_at), f);
    if (bad) return LineResult::malformed(bad);
    // FortiWeb and other Fortinet products write device_id=/log_id= instead.
    if (f.devid.empty() && f.logid.empty())
      return LineResult::foreign("key=value line without devid= or logid= (not a FortiGate)");
    if (const char* why = read_time(f, out)) return LineResult::malformed(why);
    out.device = !f.devname.empty() ? f.devname : !f.devid.empty() ? f.devid : host;
    if (f.type != "traffic") return LineResult::skip("FortiGate log that is not a traffic log");
    // Fortinet: "deny" is blocked by policy, "start" a session-start log, and
    // all others were allowed, the action telling how the session ended.
    // ip-conn (failed connection attempt) and dns (DNS error) made no session.
    if (f.action.empty()) return LineResult::malformed("traffic log without action");
    bool start = f.action == "start";
    if (f.action == "deny" || f.action == "ip-conn" || f.action == "dns" || f.action == "blocked" ||
        f.action == "block" || f.action == "drop")
      return LineResult::skip("FortiGate traffic log of traffic not let through");
    if (out.time == kNoTime)
      return LineResult::malformed("traffic log without date, time or eventtime");
    IpAddr src, dst;
    uint16_t sport = 0, dport = 0;
    if (!read_ip(f.srcip, src)) return LineResult::malformed("traffic log: bad or missing srcip");
    if (!read_ip(f.dstip, dst)) return LineResult::malformed("traffic log: bad or missing dstip");
    if ((!f.srcport.empty() && !parse_number(f.srcport, sport)) ||
        (!f.dstport.empty() && !parse_number(f.dstport, dport)))
      return LineResult::malformed("traffic log: bad srcport or dstport");
    if (f.srcport.empty() && !f.identifier.empty() && !parse_number(f.identifier, sport))
      return LineResult::malformed("traffic log: bad identifier");
    if (!f.proto.empty() && !parse_number(f.proto, out.proto))
      return LineResult::malformed("traffic log: bad proto");
    out.session_id = f.sessionid;

    // transip=0.0.0.0 (sniffer-mode sessions): nothing was translated.
    bool snat = f.trandisp.starts_with("snat") && f.transip != "0.0.0.0";
    bool dnat = f.trandisp == "dnat";
    if (snat) {
      if (!read_ip(f.transip, out.public_ip))
        return LineResult::malformed("traffic log: trandisp=snat without a valid transip");
      out.public_port = sport;
      if (!f.transport.empty() && !parse_number(f.transport, out.public_port))
        return LineResult::malformed("traffic log: bad transport");
      out.inside_ip = src;
      out.inside_port = sport;
      out.dst_ip = dst;
      out.dst_port = dport;
    } else if (dnat) {
      if (!read_ip(f.tranip, out.inside_ip))
        return LineResult::malformed("traffic log: trandisp=dnat without a valid tranip");
      out.inside_port = dport;
      if (!f.tranport.empty() && !parse_number(f.tranport, out.inside_port))
        return LineResult::malformed("traffic log: bad tranport");
      out.public_ip = dst;
      out.public_port = dport;
      out.dst_ip = src;
      out.dst_port = sport;
    } else {
      out.inside_ip = out.public_ip = src;
      out.inside_port = out.public_port = sport;
      out.dst_ip = dst;
      out.dst_port = dport;
    }
    if (start) {
      out.action = NatAction::open;
      return LineResult::record();
    }
    out.action = NatAction::session;
    if (!f.duration.empty()) {
      int64_t secs = 0;
      if (!parse_number(f.duration, secs) || !log_seconds_ok(secs))
        return LineResult::malformed("traffic log: bad duration");
      out.start = out.time - Micros(secs * 1000000);
    }
    return LineResult::record();
  }

 private:
  // Walks key=value pairs; keeps the fields used. Returns a reason on error.
  static const char* read_fields(std::string_view s, Fields& f) {
    return fortigate::read_fields(s,
                                  [&](std::string_view k, std::string_view v) { assign(k, v, f); });
  }

  static void assign(std::string_view k, std::string_view v, Fields& f) {
    switch (k.size()) {
      case 2:
        if (k == "tz") f.tz = v;
        break;
      case 4:
        if (k == "date") f.date = v;
        if (k == "time") f.time = v;
        if (k == "type") f.type = v;
        break;
      case 5:
        if (k == "srcip") f.srcip = v;
        if (k == "dstip") f.dstip = v;
        if (k == "proto") f.proto = v;
        if (k == "devid") f.devid = v;
        if (k == "logid") f.logid = v;
        break;
      case 6:
        if (k == "action") f.action = v;
        if (k == "tranip") f.tranip = v;
        break;
      case 7:
        if (k == "srcport") f.srcport = v;
        if (k == "dstport") f.dstport = v;
        if (k == "devname") f.devname = v;
        if (k == "subtype") f.subtype = v;
        if (k == "transip") f.transip = v;
        break;
      case 8:
        if (k == "duration") f.duration = v;
        if (k == "trandisp") f.trandisp = v;
        if (k == "tranport") f.tranport = v;
        break;
      case 9:
        if (k == "eventtime") f.eventtime = v;
        if (k == "sessionid") f.sessionid = v;
        if (k == "transport") f.transport = v;
        break;
      case 10:
        if (k == "identifier") f.identifier = v;
        break;
      default:
        break;
    }
  }

  const char* read_time(const Fields& f, NatEvent& out) {
    return fortigate::read_time(f.eventtime, f.date, f.time, f.tz, ctx_, out);
  }

  const ParseContext& ctx_;
};

int sniff(std::string_view head, const char** why) {
  size_t fgt = 0, traffic = 0;
  for_each_head_line(head, 200, [&](std::string_view line) {
    if (line.find("devid=") == std::string_view::npos &&
        line.find("logid=") == std::string_view::npos)
      return;
    if (line.find("type=") == std::string_view::npos) return;
    ++fgt;
    if (line.find("type=\"traffic\"") != std::string_view::npos ||
        line.find("type=traffic") != std::string_view::npos)
      ++traffic;
  });
  if (traffic > 0) {
    *why = "FortiGate key=value traffic logs (devid=, logid=, type=\"traffic\")";
    return 85;
  }
  if (fgt > 0) {
    *why = "FortiGate key=value logs, no traffic log in the first lines";
    return 50;
  }
  *why = "no FortiGate key=value lines in the first lines";
  return 0;
}

std::unique_ptr<NatParser> make(const ParseContext& ctx) {
  return std::make_unique<FortigateParser>(ctx);
}

}  // namespace

const FormatInfo& fortigate_format() {
  static const FormatInfo info{.name = "fortigate",
                               .family = Family::nat,
                               .summary = "FortiGate traffic logs (key=value, syslog or export)",
                               .sniff = sniff,
                               .make_nat = make};
  return info;
}

}  // namespace tracekit::formats

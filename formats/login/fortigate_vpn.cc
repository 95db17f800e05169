// FortiGate SSL VPN and IPsec VPN event logs (key=value, type="event"
// subtype="vpn"), in syslog or as FortiAnalyzer/disk exports.
//
//   date=2026-04-23 time=16:14:05 devname="fgt-edge" devid="FG100F0000000001"
//     eventtime=1776957245000000000 tz="+0100" logid="0101039424" type="event"
//     subtype="vpn" level="information" vd="root" logdesc="SSL VPN tunnel up"
//     action="tunnel-up" tunneltype="ssl-tunnel" tunnelid=1780285441
//     remip=198.51.100.23 tunnelip=10.212.134.200 user="jdoe" group="vpn-users"
//     dst_host="N/A" reason="N/A" msg="SSL tunnel established"
//
// Values are bare or double-quoted; pairs are separated by spaces (or commas
// in the CSV export). The VPN events of the FortiOS log reference read here:
//   action="tunnel-up"       (39424 SSL, 23101 IPsec)         -> login
//   action="tunnel-down"     (39425, 39948 SSL; 23102 IPsec)  -> logout
//   action="tunnel-stats"    (39949 SSL, 37141 IPsec)         -> interim
//   action="ssl-login-fail"  (39426)                          -> failed
// tunnelip= is the address given to the client (assigned; IPsec dial-up may
// name it assignip=, from mode-config), remip= where it came from, user= the
// user ("N/A": none), tunnelid= the session key (unique per device only: the
// pairing is by host). duration= on a tunnel-down or a tunnel-stats says when
// the tunnel began: statistics every few minutes say it is still up, so a
// session whose tunnel-up is in an earlier file is known from them.
// Statistics without a tunnelid (site-to-site IPsec) and other VPN events
// (ssl-web logins without a tunnel, negotiate, phase2-up, certificates, ...)
// and other event logs are skipped; traffic logs are the NAT format
// `fortigate` and are foreign here. Time: eventtime (UTC, epoch seconds down
// to nanoseconds), else date= time= with tz= (an offset), else in the
// source's zone, else the syslog header. Host: devname, else devid, else the
// syslog host.
#include "format_list.h"
#include "fortigate_kv.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

struct Fields {
  std::string_view date, time, tz, eventtime, devname, devid, logid, type, subtype, action;
  std::string_view remip, tunnelip, assignip, tunnelid, tunneltype, user, duration;
};

// "N/A", "" and "0.0.0.0" say "none".
bool absent(std::string_view v) {
  return v.empty() || v == "N/A" || v == "n/a";
}

class FortigateVpnParser final : public LoginParser {
 public:
  explicit FortigateVpnParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, LoginEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    out.clear();
    if (trim(text).empty()) return LineResult::skip("empty line");
    std::string_view s = text;
    if (s[0] == '<') {
      size_t close = s.find('>');
      if (close != std::string_view::npos && close <= 4) s.remove_prefix(close + 1);
    }
    size_t body_at = fortigate::find_body(s);
    if (body_at == std::string_view::npos ||
        (s.find("type=") == std::string_view::npos && s.find("devid=") == std::string_view::npos))
      return LineResult::foreign("not a FortiGate key=value log line");
    std::string_view host;
    if (body_at > 0) {
      SyslogHeader h;
      const char* why = "";
      if (parse_syslog_header(text, ctx_, h, &why)) {
        out.time = h.time;
        out.time_flags = h.time_flags;
        host = h.host;
      }
    }
    Fields f;
    if (const char* bad = read_fields(s.substr(body_at), f)) return LineResult::malformed(bad);
    if (f.devid.empty() && f.logid.empty())
      return LineResult::foreign("key=value line without devid= or logid= (not a FortiGate)");
    if (const char* why = read_time(f, out)) return LineResult::malformed(why);
    if (f.type == "traffic") return LineResult::foreign("FortiGate traffic log (format fortigate)");
    if (f.type != "event" || f.subtype != "vpn")
      return LineResult::skip("FortiGate log that is not a VPN event");
    if (out.time == kNoTime)
      return LineResult::malformed("VPN event without date, time or eventtime");
    out.host = !f.devname.empty() ? f.devname : !f.devid.empty() ? f.devid : host;
    out.service =
        f.tunneltype.starts_with("ssl") ? std::string_view("sslvpn") : std::string_view("ipsec");
    out.method = f.tunneltype;
    out.place = LoginPlace::remote;
    if (!absent(f.user)) out.user = f.user;
    if (!absent(f.remip)) {
      if (!parse_ip(f.remip, out.from_ip)) return LineResult::malformed("VPN event: bad remip");
      out.has_from_ip = true;
      out.from = f.remip;
    }
    if (f.action == "ssl-login-fail") {
      if (out.user.empty() && !out.has_from_ip)
        return LineResult::skip("login failure naming no user or address");
      out.action = LoginAction::failed;
      return LineResult::record();
    }
    bool up = f.action == "tunnel-up";
    bool down = f.action == "tunnel-down";
    bool stats = f.action == "tunnel-stats";
    if (!up && !down && !stats) return LineResult::skip("VPN event that opens or closes no tunnel");
    if (absent(f.tunnelid) || f.tunnelid == "0") {
      if (stats) return LineResult::skip("tunnel statistics without a tunnel id");
      return LineResult::malformed(up ? "tunnel-up without tunnelid"
                                      : "tunnel-down without tunnelid");
    }
    out.session_key = f.tunnelid;
    std::string_view given = !absent(f.tunnelip) ? f.tunnelip : f.assignip;
    if (!absent(given) && given != "0.0.0.0") {
      if (!parse_ip(given, out.assigned_ip))
        return LineResult::malformed("VPN event: bad tunnelip");
      out.has_assigned_ip = true;
    }
    if (up) {
      out.action = LoginAction::login;
      return LineResult::record();
    }
    out.action = stats ? LoginAction::interim : LoginAction::logout;
    if (!f.duration.empty()) {
      int64_t secs = 0;
      if (!parse_number(f.duration, secs) || !log_seconds_ok(secs))
        return LineResult::malformed("VPN event: bad duration");
      out.start = out.time - Micros(secs * 1000000);
    }
    return LineResult::record();
  }

 private:
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
        if (k == "user") f.user = v;
        break;
      case 5:
        if (k == "devid") f.devid = v;
        if (k == "logid") f.logid = v;
        if (k == "remip") f.remip = v;
        break;
      case 6:
        if (k == "action") f.action = v;
        break;
      case 7:
        if (k == "devname") f.devname = v;
        if (k == "subtype") f.subtype = v;
        break;
      case 8:
        if (k == "duration") f.duration = v;
        if (k == "tunnelip") f.tunnelip = v;
        if (k == "tunnelid") f.tunnelid = v;
        if (k == "assignip") f.assignip = v;
        break;
      case 9:
        if (k == "eventtime") f.eventtime = v;
        break;
      case 10:
        if (k == "tunneltype") f.tunneltype = v;
        break;
      default:
        break;
    }
  }

  const char* read_time(const Fields& f, LoginEvent& out) {
    return fortigate::read_time(f.eventtime, f.date, f.time, f.tz, ctx_, out);
  }

  const ParseContext& ctx_;
};

bool is_vpn_event(std::string_view line) {
  return (line.find("subtype=\"vpn\"") != std::string_view::npos ||
          line.find("subtype=vpn") != std::string_view::npos) &&
         (line.find("type=\"event\"") != std::string_view::npos ||
          line.find("type=event") != std::string_view::npos);
}

int sniff(std::string_view head, const char** why) {
  size_t fgt = 0, vpn = 0, traffic = 0;
  for_each_head_line(head, 200, [&](std::string_view line) {
    if (line.find("devid=") == std::string_view::npos &&
        line.find("logid=") == std::string_view::npos)
      return;
    if (line.find("type=") == std::string_view::npos) return;
    ++fgt;
    if (is_vpn_event(line)) ++vpn;
    if (line.find("type=\"traffic\"") != std::string_view::npos ||
        line.find("type=traffic") != std::string_view::npos)
      ++traffic;
  });
  // A traffic log (format fortigate) scores 85 there; VPN events among traffic
  // logs leave it to that format.
  if (vpn > 0 && traffic == 0) {
    *why = "FortiGate VPN event logs (type=\"event\" subtype=\"vpn\")";
    return 88;
  }
  if (vpn > 0) {
    *why = "FortiGate VPN events among traffic logs";
    return 40;
  }
  *why = fgt > 0 ? "FortiGate logs without VPN events" : "no FortiGate key=value lines";
  return 0;
}

std::unique_ptr<LoginParser> make(const ParseContext& ctx) {
  return std::make_unique<FortigateVpnParser>(ctx);
}

}  // namespace

const FormatInfo& fortigate_vpn_format() {
  static const FormatInfo info{.name = "fortigate-vpn",
                               .family = Family::login,
                               .summary =
                                   "FortiGate SSL and IPsec VPN event logs "
                                   "(key=value): tunnel addresses and users",
                               .sniff = sniff,
                               .make_login = make};
  return info;
}

}  // namespace tracekit::formats

// ulogd2's connection-tracking (NFCT input) logs, as text or as JSON.
//
//   Apr 23 16:19:00 gw [NEW] ORIG: SRC=10.0.0.5 DST=198.51.100.1 PROTO=TCP SPT=51234 DPT=443
//   PKTS=0 BYTES=0 , REPLY: SRC=198.51.100.1 DST=203.0.113.9 PROTO=TCP SPT=443 DPT=40123
//   PKTS=0 BYTES=0
//   {"timestamp": "2026-04-23T17:19:00+0100", "dvc": "Netfilter", "orig.ip.protocol": 6,
//   "orig.l4.sport": 51234, ..., "orig.ip.saddr.str": "10.0.0.5", "reply.ip.daddr.str":
//   "203.0.113.9", "reply.l4.dport": 40123, "ct.event": 4, "flow.start.sec": 1776961140, ...}
//
// Text (one line each): the PRINTFLOW filter (util/printflow.c) writes
//   [EVENT] ORIG: SRC= DST= PROTO=TCP|UDP|ICMP|ESP|AH|N [SPT= DPT=] [TYPE= CODE=]
//   [PKTS= BYTES=] , REPLY: SRC= DST= PROTO=... [PKTS= BYTES=]
// and LOGEMU prefixes "%.15s %s " (ctime's "Apr 23 16:19:00", year-less, local;
// the time ulogd wrote the line) and the host name; the SYSLOG output gives an
// ordinary syslog line ("ulogd[pid]: [NEW] ORIG: ..."). EVENT is [NEW],
// [UPDATE] or [DESTROY]; printflow before ulogd 2.0.3 knew ct.event 3, not 4,
// for destroy, so older logs write no event for it (read as a destroy).
// PRINTFLOW prints ICMP's type and code swapped and no ICMP id: ICMP ports
// stay 0.
//
// JSON (the JSON output plugin, one object a line): every valid key of the
// stack by its ulogd name: orig./reply.ip.saddr.str and .daddr.str (after
// IP2STR; "orig.ip.saddr" when the address is already text), orig./reply.l4.sport
// and .dport, orig.ip.protocol, ct.event (1 new, 2 update, 4 destroy), ct.id,
// flow.start.sec/usec, flow.end.sec/usec (the kernel's or ulogd's flow times),
// "timestamp" (or "@timestamp" with eventv1) as local time with its offset,
// "dvc" (the configured device name).
//
// Time: the flow's own start (new) or end (destroy) when the line has it (the
// event's time, not when ulogd got round to writing it), else the line's
// timestamp. Events: new -> open, destroy -> close (start = flow.start), update
// -> skip (the translation is set when the connection is confirmed, so a
// [NEW] already carries it). The NAT reading of the two tuples is conntrack's:
// a reply destination that differs from the original source is a source NAT
// (inside = original source, public = reply destination); else a reply source
// that differs from the original destination is a port forward (inside =
// reply source, public = original destination); else no NAT.
#include <charconv>

#include "format_list.h"
#include "tracekit/flat_json.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

struct Tuple {
  IpAddr src, dst;
  uint16_t sport = 0, dport = 0;
  bool has_src = false, has_dst = false;
};

enum class Event : uint8_t { none, created, updated, destroyed };

void fill_nat(const Tuple& o, const Tuple& r, NatEvent& out) {
  bool snat = r.dst != o.src || r.dport != o.sport;
  bool dnat = r.src != o.dst || r.sport != o.dport;
  if (dnat && !snat) {
    out.inside_ip = r.src;
    out.inside_port = r.sport;
    out.public_ip = o.dst;
    out.public_port = o.dport;
    out.dst_ip = o.src;
    out.dst_port = o.sport;
  } else {
    out.inside_ip = o.src;
    out.inside_port = o.sport;
    out.public_ip = r.dst;
    out.public_port = r.dport;
    out.dst_ip = o.dst;
    out.dst_port = o.dport;
  }
}

uint8_t proto_number(std::string_view name) {
  if (name == "TCP") return 6;
  if (name == "UDP") return 17;
  if (name == "ICMP") return 1;
  if (name == "ESP") return 50;
  if (name == "AH") return 51;
  unsigned n = 0;
  return parse_number(name, n) && n < 256 ? uint8_t(n) : 0;
}

bool is_event_start(std::string_view s) {
  return s.starts_with("[NEW] ORIG: ") || s.starts_with("[UPDATE] ORIG: ") ||
         s.starts_with("[DESTROY] ORIG: ") || s.starts_with("ORIG: ");
}

class Ulogd2NfctParser final : public NatParser {
 public:
  explicit Ulogd2NfctParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, NatEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (trim(text).empty()) return LineResult::skip("empty line");
    out.clear();
    if (trim(text).front() == '{') return parse_json(text, out);
    return parse_text(text, out);
  }

 private:
  LineResult parse_text(std::string_view text, NatEvent& out) {
    std::string_view msg;
    // LOGEMU: "Apr 23 16:19:00 host [NEW] ORIG: ..." (no program tag).
    if (text.size() > 17 && text[15] == ' ' &&
        parse_bsd_timestamp(text.substr(0, 15), ctx_, out.time, out.time_flags)) {
      std::string_view rest = text.substr(16);
      std::string_view host = next_token(rest);
      if (is_event_start(rest)) {
        out.device = host;
        msg = rest;
      }
    }
    if (msg.empty()) {
      SyslogHeader h;
      const char* why = "";
      if (!parse_syslog_header(text, ctx_, h, &why))
        return LineResult::malformed("expected a LOGEMU or syslog line with an ORIG:/REPLY: flow");
      out.time = h.time;
      out.time_flags = h.time_flags;
      if (!is_event_start(h.message)) {
        if (h.program == "ulogd") return LineResult::skip("ulogd message that is not a flow");
        return LineResult::foreign("not a ulogd flow line");
      }
      out.device = h.host;
      msg = h.message;
    }
    Event ev = Event::destroyed;  // see the header: an untagged line is a destroy
    if (msg.starts_with("[NEW] "))
      ev = Event::created;
    else if (msg.starts_with("[UPDATE] "))
      ev = Event::updated;
    if (ev == Event::updated)
      return LineResult::skip("conntrack update: the translation was logged at [NEW]");
    size_t orig = msg.find("ORIG: ");
    size_t reply = msg.find(", REPLY: ");
    if (reply == std::string_view::npos) return LineResult::malformed("no \", REPLY:\" tuple");
    Tuple t[2];
    uint8_t proto = 0;
    std::string_view parts[2] = {msg.substr(orig + 6, reply - orig - 6), msg.substr(reply + 9)};
    for (int k = 0; k < 2; ++k) {
      std::string_view s = parts[k];
      while (!s.empty()) {
        std::string_view tok = next_token(s);
        if (tok.empty()) continue;
        size_t eq = tok.find('=');
        if (eq == std::string_view::npos) return LineResult::malformed("expected KEY=VALUE fields");
        std::string_view key = tok.substr(0, eq), val = tok.substr(eq + 1);
        if (key == "SRC") {
          if (!parse_ip(val, t[k].src)) return LineResult::malformed("bad SRC= address");
          t[k].has_src = true;
        } else if (key == "DST") {
          if (!parse_ip(val, t[k].dst)) return LineResult::malformed("bad DST= address");
          t[k].has_dst = true;
        } else if (key == "SPT") {
          if (!parse_number(val, t[k].sport)) return LineResult::malformed("bad SPT= port");
        } else if (key == "DPT") {
          if (!parse_number(val, t[k].dport)) return LineResult::malformed("bad DPT= port");
        } else if (key == "PROTO" && k == 0) {
          proto = proto_number(val);
        }
      }
      if (!t[k].has_src || !t[k].has_dst)
        return LineResult::malformed(k == 0 ? "ORIG: without SRC= and DST="
                                            : "REPLY: without SRC= and DST=");
    }
    out.proto = proto;
    out.action = ev == Event::created ? NatAction::open : NatAction::close;
    fill_nat(t[0], t[1], out);
    return LineResult::record();
  }

  LineResult parse_json(std::string_view text, NatEvent& out) {
    Tuple t[2];
    bool has_proto = false, has_event = false, bad_ip = false, bad_number = false;
    unsigned event = 0;
    int64_t start_sec = -1, start_usec = -1, end_sec = -1, end_usec = -1;
    std::string_view stamp;
    const char* err = for_each_json_field(text, [&](const JsonField& f) {
      std::string_view k = f.key;
      int dir = k.starts_with("orig.") ? 0 : k.starts_with("reply.") ? 1 : -1;
      if (dir >= 0) {
        k.remove_prefix(dir == 0 ? 5 : 6);
        if (k == "ip.saddr.str" || k == "ip.saddr") {
          bad_ip |= !f.is_string || !parse_ip(f.value, t[dir].src);
          t[dir].has_src = true;
        } else if (k == "ip.daddr.str" || k == "ip.daddr") {
          bad_ip |= !f.is_string || !parse_ip(f.value, t[dir].dst);
          t[dir].has_dst = true;
        } else if (k == "l4.sport") {
          bad_number |= !parse_number(f.value, t[dir].sport);
        } else if (k == "l4.dport") {
          bad_number |= !parse_number(f.value, t[dir].dport);
        } else if (k == "ip.protocol" && dir == 0) {
          unsigned p = 0;
          bad_number |= !parse_number(f.value, p) || p > 255;
          out.proto = uint8_t(p);
          has_proto = true;
        }
        return;
      }
      if (k == "ct.event") {
        has_event = parse_number(f.value, event);
        bad_number |= !has_event;
      } else if (k == "ct.id") {
        out.session_id = f.value;
      } else if (k == "flow.start.sec") {
        bad_number |= !parse_number(f.value, start_sec);
      } else if (k == "flow.start.usec") {
        bad_number |= !parse_number(f.value, start_usec);
      } else if (k == "flow.end.sec") {
        bad_number |= !parse_number(f.value, end_sec);
      } else if (k == "flow.end.usec") {
        bad_number |= !parse_number(f.value, end_usec);
      } else if ((k == "timestamp" || k == "@timestamp") && f.is_string) {
        stamp = f.value;
      } else if (k == "dvc" && f.is_string) {
        out.device = f.value;
      }
    });
    if (err) return LineResult::malformed(err);
    if (!stamp.empty()) {
      size_t used = 0;
      if (!parse_iso_timestamp(stamp, ctx_, out.time, out.time_flags, used) || used != stamp.size())
        return LineResult::malformed("bad \"timestamp\"");
    }
    auto flow_time = [](int64_t sec, int64_t usec, uint8_t& flags) {
      Instant t = from_epoch_seconds(sec);
      if (usec >= 0 && usec < 1000000) {
        t += Micros(usec);
        flags = kHasFraction;
      }
      return t;
    };
    if (!has_event && t[0].has_src) return LineResult::malformed("flow without \"ct.event\"");
    if (!t[0].has_src && !t[1].has_src) {
      return out.time == kNoTime ? LineResult::malformed("JSON object without a flow")
                                 : LineResult::skip("ulogd JSON record that is not a flow");
    }
    if (bad_ip) return LineResult::malformed("bad address in orig./reply. ip field");
    if (bad_number) return LineResult::malformed("bad number in a flow field");
    if (!t[0].has_src || !t[0].has_dst || !t[1].has_src || !t[1].has_dst)
      return LineResult::malformed("flow without both orig. and reply. addresses");
    if (!has_proto) out.proto = 0;
    if (event == 2) {
      return out.time == kNoTime
                 ? LineResult::malformed("update without a time")
                 : LineResult::skip("conntrack update: the translation was logged at [NEW]");
    }
    if (event != 1 && event != 4) return LineResult::malformed("unknown \"ct.event\" value");
    out.action = event == 1 ? NatAction::open : NatAction::close;
    if (!log_seconds_ok(start_sec) || !log_seconds_ok(end_sec))
      return LineResult::malformed("flow.start/end.sec out of range");
    uint8_t flags = 0;
    if (event == 1 && start_sec >= 0) {
      out.time = flow_time(start_sec, start_usec, flags);
      out.time_flags = flags;
    } else if (event == 4 && end_sec >= 0) {
      out.time = flow_time(end_sec, end_usec, flags);
      out.time_flags = flags;
    }
    if (event == 4 && start_sec >= 0) out.start = flow_time(start_sec, start_usec, flags);
    if (out.time == kNoTime) return LineResult::malformed("no timestamp and no flow.start/end.sec");
    fill_nat(t[0], t[1], out);
    return LineResult::record();
  }

  const ParseContext& ctx_;
};

int sniff(std::string_view head, const char** why) {
  size_t text = 0, json = 0;
  size_t lines = for_each_head_line(head, 100, [&](std::string_view line) {
    if (line.find("ORIG: SRC=") != std::string_view::npos &&
        line.find(", REPLY: SRC=") != std::string_view::npos)
      ++text;
    else if (line.starts_with("{") && line.find("\"orig.ip.") != std::string_view::npos &&
             line.find("\"reply.ip.") != std::string_view::npos)
      ++json;
  });
  size_t hits = text + json;
  if (hits == 0) {
    *why = "no ulogd ORIG:/REPLY: flows or orig./reply. JSON keys";
    return 0;
  }
  *why = text >= json ? "ulogd PRINTFLOW lines (ORIG: ... , REPLY: ...)"
                      : "ulogd JSON flows (orig.ip.*, reply.ip.* keys)";
  return hits * 2 >= lines ? 90 : 70;
}

std::unique_ptr<NatParser> make(const ParseContext& ctx) {
  return std::make_unique<Ulogd2NfctParser>(ctx);
}

}  // namespace

const FormatInfo& ulogd2_nfct_format() {
  static const FormatInfo info{
      .name = "ulogd2",
      .family = Family::nat,
      .summary =
          "ulogd2 NFCT connection events: LOGEMU/SYSLOG text (ORIG: ... , REPLY: ...) "
          "and JSON output (orig.ip.saddr.str, reply.l4.dport, ct.event, flow.*.sec)",
      .sniff = sniff,
      .make_nat = make};
  return info;
}

}  // namespace tracekit::formats

// Linux connection-tracking events as `conntrack -E` prints them.
//
//   [1776961140.123456]	    [NEW] tcp      6 120 SYN_SENT src=10.0.0.5 dst=198.51.100.1
//   sport=51234 dport=443 [UNREPLIED] src=198.51.100.1 dst=203.0.113.9 sport=443 dport=40123
//
// (one line). libnetfilter_conntrack's default output (snprintf_default.c) is
//   [TYPE] [L3NAME L3NUM] PROTO NUM [TIMEOUT] [STATE] src= dst= L4 [packets= bytes=]
//   [UNREPLIED] src= dst= L4 [packets= bytes=] [ASSURED|OFFLOAD] [mark=] [secmark=]
//   [zone=] [delta-time=N] [[start=CTIME] [stop=CTIME]] [helper=] [use=N] [id=N]
// TYPE is "[NEW]", "[UPDATE]" or "[DESTROY]" right-aligned in 9 columns; L3 is
// printed with -o extended ("ipv4     2"); L4 is "sport= dport=" (tcp, udp,
// udplite, sctp, dccp), "type= code= id=" (icmp, icmpv6) or "srckey= dstkey="
// (gre). -o timestamp prefixes "[SECONDS.MICROS]\t" (the event's time, from
// the kernel or conntrack's clock); -o ktimestamp adds the kernel's flow start
// and stop as "[start=Wed Apr 23 16:19:00 2026]" in the local zone of the host
// that ran conntrack (delta-time= is printed whenever the kernel keeps flow
// timestamps, sysctl net.netfilter.nf_conntrack_timestamp=1); -o id adds id=.
//
// The original tuple is what the initiator sent; the reply tuple what the
// answer carries. A source NAT shows as a reply destination that differs from
// the original source: the inside host is the original source, its public
// address the reply destination, the far end the original destination. A
// destination NAT alone (a port forward) shows as a reply source that differs
// from the original destination: the inside host is the reply source (the
// server behind the NAT), its public address the original destination, the far
// end the original source. Without NAT both are the original source.
//
// [NEW] -> open, [DESTROY] -> close (start from [start=], else from
// delta-time=), [UPDATE] -> skip: the kernel applies NAT before it confirms a
// connection, so the [NEW] event already carries the translated tuple and an
// update only changes state or counters.
//
// Time: the -o timestamp prefix; else, in syslog (conntrack -E piped into
// logger), the syslog header's; else the kernel's [start=] (NEW) or [stop=]
// (DESTROY). A line with none of these cannot be placed in time: it is read
// and reported malformed, so it is counted but never used as evidence.
// conntrack's closing "N flow events have been shown." is skipped; -o xml
// output is another format and not read (its lines are malformed here).
#include <charconv>

#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

struct Tuple {
  IpAddr src, dst;
  uint16_t sport = 0, dport = 0;
  bool has_src = false, has_dst = false;
};

enum class EventType : uint8_t { none, created, updated, destroyed };

// "[NEW]" etc. at the start of s (after its padding); advances s past it.
EventType read_event_type(std::string_view& s) {
  std::string_view t = s;
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  EventType e = EventType::none;
  size_t n = 0;
  if (t.starts_with("[NEW] ")) {
    e = EventType::created;
    n = 6;
  } else if (t.starts_with("[UPDATE] ")) {
    e = EventType::updated;
    n = 9;
  } else if (t.starts_with("[DESTROY] ")) {
    e = EventType::destroyed;
    n = 10;
  }
  if (e != EventType::none) s = t.substr(n);
  return e;
}

// "[1776961140.123456]" followed by a tab or spaces.
bool read_event_stamp(std::string_view& s, Instant& t, uint8_t& flags) {
  if (s.size() < 3 || s[0] != '[' || s[1] < '0' || s[1] > '9') return false;
  size_t close = s.find(']');
  if (close == std::string_view::npos || close > 24) return false;
  if (!parse_epoch_timestamp(s.substr(1, close - 1), t, flags)) return false;
  s.remove_prefix(close + 1);
  while (!s.empty() && (s.front() == '\t' || s.front() == ' ')) s.remove_prefix(1);
  return true;
}

// ctime(3): "Wed Apr 23 16:19:00 2026" (24 characters, day padded with a space).
bool read_ctime(std::string_view s, const ParseContext& ctx, Instant& out, uint8_t& flags) {
  if (s.size() != 24 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[13] != ':' ||
      s[16] != ':' || s[19] != ' ' || !ctx.local)
    return false;
  unsigned mo = parse_month_abbrev(s.substr(4, 3));
  auto num = [&](size_t i, size_t n, int& v) {
    size_t b = i;
    while (b < i + n && s[b] == ' ') ++b;
    auto r = std::from_chars(s.data() + b, s.data() + i + n, v);
    return b < i + n && r.ec == std::errc() && r.ptr == s.data() + i + n;
  };
  int d, hh, mi, ss, y;
  if (mo == 0 || !num(8, 2, d) || !num(11, 2, hh) || !num(14, 2, mi) || !num(17, 2, ss) ||
      !num(20, 4, y) || hh > 23 || mi > 59 || ss > 60 || !valid_date(y, mo, unsigned(d)))
    return false;
  uint8_t f = 0;
  out = ctx.local->to_utc(days_from_civil(y, mo, unsigned(d)),
                          (int64_t(hh) * 3600 + mi * 60 + std::min(ss, 59)) * 1000000, f);
  flags = f | ctx.zone_flags;
  return true;
}

bool is_upper_word(std::string_view t) {
  if (t.empty()) return false;
  for (char c : t)
    if (!((c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9'))) return false;
  return true;
}

class ConntrackParser final : public NatParser {
 public:
  explicit ConntrackParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, NatEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (trim(text).empty()) return LineResult::skip("empty line");
    out.clear();
    std::string_view body = text;
    bool timed = false;
    if (read_event_stamp(body, out.time, out.time_flags)) {
      timed = true;
    } else if (!starts_with_event(body)) {
      if (is_summary(body)) return LineResult::skip("conntrack summary line");
      SyslogHeader h;
      const char* why = "";
      if (!parse_syslog_header(text, ctx_, h, &why))
        return LineResult::malformed("expected a conntrack event ([NEW], [UPDATE], [DESTROY])");
      body = h.message;
      if (is_summary(body)) {
        out.time = h.time;
        out.time_flags = h.time_flags;
        return LineResult::skip("conntrack summary line");
      }
      // conntrack -E piped into logger: the tag is whatever logger was given,
      // so the message itself tells a conntrack line.
      uint8_t stamp_flags = 0;
      Instant stamp;
      if (read_event_stamp(body, stamp, stamp_flags)) {
        // The event's own time, not when logger passed it on.
        out.time = stamp;
        out.time_flags = stamp_flags;
      } else {
        out.time = h.time;
        out.time_flags = h.time_flags;
      }
      if (!starts_with_event(body)) return LineResult::foreign("not a conntrack event");
      timed = true;
      out.device = h.host;
    }
    EventType type = read_event_type(body);
    if (type == EventType::none)
      return LineResult::malformed("expected [NEW], [UPDATE] or [DESTROY] after the timestamp");
    if (type == EventType::updated)
      return LineResult::skip("conntrack update: the translation was logged at [NEW]");
    LineResult r = read_event(body, out);
    if (r.status != LineStatus::record) return r;
    out.action = type == EventType::created ? NatAction::open : NatAction::close;
    if (!timed) {
      // The kernel's flow timestamps (-o ktimestamp) are the only clock left.
      if (type == EventType::created && start_ != kNoTime) {
        out.time = start_;
        out.time_flags = start_flags_;
      } else if (type == EventType::destroyed && stop_ != kNoTime) {
        out.time = stop_;
        out.time_flags = stop_flags_;
      } else {
        out.time = kNoTime;
        return LineResult::malformed("no timestamp (conntrack -E without -o timestamp)");
      }
    }
    if (type == EventType::destroyed) {
      if (start_ != kNoTime)
        out.start = start_;
      else if (has_delta_ && out.time != kNoTime)
        out.start = out.time - Micros(int64_t(delta_) * 1000000);
    }
    return LineResult::record();
  }

  LineResult parse_time(const Line& line, NatEvent& out) override {
    // -o timestamp lines: the stamp alone, and lines that start with the same
    // stamp share its time.
    std::string_view body = line.text;
    out.clear();
    if (read_event_stamp(body, out.time, out.time_flags)) {
      size_t key = line.text.find(']') + 1;
      out.time_key = uint8_t(std::min<size_t>(key, 255));
      return LineResult::skip("not examined beyond its time");
    }
    return parse(line, out);
  }

 private:
  static bool starts_with_event(std::string_view s) {
    std::string_view t = s;
    return read_event_type(t) != EventType::none;
  }
  static bool is_summary(std::string_view s) {
    return s.starts_with("conntrack v") && s.find("have been shown") != std::string_view::npos;
  }

  LineResult read_event(std::string_view s, NatEvent& out) {
    start_ = stop_ = kNoTime;
    has_delta_ = false;
    std::string_view name = next_word(s), num = next_word(s);
    unsigned proto = 0;
    if (name == "ipv4" || name == "ipv6") {  // -o extended
      if (!parse_number(num, proto)) return LineResult::malformed("bad layer-3 protocol number");
      name = next_word(s);
      num = next_word(s);
    }
    if (name.empty() || !parse_number(num, proto) || proto > 255)
      return LineResult::malformed("expected a protocol name and number");
    out.proto = uint8_t(proto);
    Tuple t[2];
    int cur = -1;  // the tuple being read: 0 original, 1 reply
    bool want_icmp_id = false;
    while (true) {
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      if (s.empty()) break;
      if (s.starts_with("[start=") || s.starts_with("[stop=")) {
        bool is_start = s[3] == 'a';
        size_t at = is_start ? 7 : 6;
        if (s.size() < at + 25 || s[at + 24] != ']')
          return LineResult::malformed("bad [start=] or [stop=] time");
        Instant& when = is_start ? start_ : stop_;
        uint8_t& flags = is_start ? start_flags_ : stop_flags_;
        if (!read_ctime(s.substr(at, 24), ctx_, when, flags))
          return LineResult::malformed("bad [start=] or [stop=] time");
        s.remove_prefix(at + 25);
        continue;
      }
      std::string_view tok = next_word(s);
      size_t eq = tok.find('=');
      if (eq == std::string_view::npos) {
        if (cur < 0 && (tok.front() == '[' || is_upper_word(tok)))
          continue;                                         // timeout, TCP/SCTP/DCCP state
        if (tok.front() == '[') continue;                   // [UNREPLIED], [ASSURED], [OFFLOAD]
        if (cur < 0 && parse_number(tok, proto)) continue;  // timeout
        return LineResult::malformed("unexpected word in a conntrack event");
      }
      std::string_view key = tok.substr(0, eq), val = tok.substr(eq + 1);
      if (key == "src") {
        if (++cur > 1) return LineResult::malformed("more than two tuples");
        if (!parse_ip(val, t[cur].src)) return LineResult::malformed("bad src= address");
        t[cur].has_src = true;
        want_icmp_id = false;
        continue;
      }
      if (cur < 0) continue;  // nothing else comes before the first tuple
      if (key == "dst") {
        if (!parse_ip(val, t[cur].dst)) return LineResult::malformed("bad dst= address");
        t[cur].has_dst = true;
      } else if (key == "sport") {
        if (!parse_number(val, t[cur].sport)) return LineResult::malformed("bad sport= port");
      } else if (key == "dport") {
        if (!parse_number(val, t[cur].dport)) return LineResult::malformed("bad dport= port");
      } else if (key == "code") {
        want_icmp_id = true;
      } else if (key == "id") {
        if (want_icmp_id) {
          // The ICMP query id stands in for both ports.
          if (!parse_number(val, t[cur].sport)) return LineResult::malformed("bad ICMP id=");
          t[cur].dport = t[cur].sport;
          want_icmp_id = false;
        } else {
          out.session_id = val;  // -o id
        }
      } else if (key == "delta-time") {
        has_delta_ = parse_number(val, delta_);
      }
    }
    if (cur != 1) return LineResult::malformed("expected an original and a reply tuple");
    for (const Tuple& x : t)
      if (!x.has_src || !x.has_dst) return LineResult::malformed("tuple without src= or dst=");
    const Tuple& o = t[0];
    const Tuple& r = t[1];
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
    return LineResult::record();
  }

  static std::string_view next_word(std::string_view& s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return next_token(s);
  }

  const ParseContext& ctx_;
  Instant start_ = kNoTime, stop_ = kNoTime;
  uint8_t start_flags_ = 0, stop_flags_ = 0;
  bool has_delta_ = false;
  uint64_t delta_ = 0;
};

int sniff(std::string_view head, const char** why) {
  size_t hits = 0, stamped = 0;
  size_t lines = for_each_head_line(head, 100, [&](std::string_view line) {
    size_t at = line.find("[NEW] ");
    if (at == std::string_view::npos) at = line.find("[DESTROY] ");
    if (at == std::string_view::npos) at = line.find("[UPDATE] ");
    if (at == std::string_view::npos) return;
    std::string_view rest = line.substr(at);
    if (rest.find(" src=") == std::string_view::npos ||
        rest.find(" dst=") == std::string_view::npos)
      return;
    ++hits;
    if (line.starts_with("[") && at > 0) ++stamped;
  });
  if (hits == 0) {
    *why = "no conntrack [NEW]/[DESTROY] events with src= dst= tuples";
    return 0;
  }
  *why = "conntrack -E events ([NEW]/[DESTROY] with src= dst= tuples)";
  return hits * 2 >= lines ? 90 : 70;
}

std::unique_ptr<NatParser> make(const ParseContext& ctx) {
  return std::make_unique<ConntrackParser>(ctx);
}

}  // namespace

const FormatInfo& conntrack_format() {
  static const FormatInfo info{
      .name = "conntrack",
      .family = Family::nat,
      .summary =
          "Linux conntrack -E events ([NEW]/[DESTROY]; -o timestamp, extended, id, "
          "ktimestamp; also piped into syslog)",
      .sniff = sniff,
      .make_nat = make};
  return info;
}

}  // namespace tracekit::formats

// FreeRADIUS "detail" accounting files (raddb/mods-available/detail,
// radacct/<client>/detail-YYYYMMDD), and the server's radius.log.
//
//   Wed Apr 23 16:19:00 2026
//   	Acct-Status-Type = Start
//   	User-Name = "jdoe@example.org"
//   	NAS-IP-Address = 10.0.0.2
//   	Calling-Station-Id = "00-11-22-33-44-55"
//   	Framed-IP-Address = 10.20.3.44
//   	Acct-Session-Id = "5F2A0001"
//   	Event-Timestamp = "Apr 23 2026 16:19:00 CEST"
//   	Timestamp = 1776953940
//   <blank line>
//
// A record is a block: a ctime-style date line (the server's local time, no
// zone), tab-indented "Attribute = Value" lines (Livingston-style servers,
// e.g. Radiator, indent with spaces: read the same) (strings in double quotes,
// enumerations by name, addresses and numbers bare), and a blank line.
// Acct-Status-Type Start -> login, Interim-Update (Alive) -> interim, Stop ->
// logout, Accounting-On -> boot and Accounting-Off -> shutdown of the NAS (its
// sessions all ended); a block without Acct-Status-Type (a detail file of
// authentication requests) is skipped. The fields: User-Name (user, as
// written), NAS-IP-Address / NAS-IPv6-Address, else NAS-Identifier, else
// Packet-Src-IP-Address (host: the NAS), Framed-IP-Address and Framed-IPv6-Address
// (assigned_ip, and assigned_ip2 for the IPv6 one when both are there), Calling-Station-Id (the
// client's MAC in any usual notation; when not a MAC, e.g. a VPN client's public address or a phone
// number, it is kept as `from`; all decimal digits are taken for a phone number), Acct-Session-Id,
// else Acct-Unique-Session-Id (session_key; unique per NAS only, so it pairs together with host),
// NAS-Port-Id or NAS-Port (tty), NAS-Port-Type (method). Time: Event-Timestamp when present (the
// NAS's time of the event; written "Apr 23 2026 16:19:00 CEST" in the server's zone, whose
// abbreviation settles a DST fold, or as epoch seconds), else Timestamp (epoch seconds when the
// server wrote the record), else the date line (local: a DST fold or gap is
// flagged).
//
// The record is returned when its block ends (blank line, the next date
// line, or the end of the file) with first_line/first_offset/raw covering the
// whole block, held in the parser's own buffer.
//
// radius.log (the server's log, same date form followed by " : "):
//   Thu Apr 28 16:44:05 2026 : Auth: (12) Login OK: [jdoe] (from client ap-2f port 2004 cli
//   00-23-14-c8-4e-38)
//   ... Auth: Login incorrect: [jdoe/<via Auth-Type = MSCHAP>] (from client ...)   -> failed
//   ... Auth: Multiple logins (max 2) : [jdoe] (from client ...)                     -> failed
// "Login OK" is an authentication, not a session: the log never says when the
// client left. It is returned as a `session` of one second at its time (start
// = time, end_how "authentication only") with no session_key, place remote
// (the client came through a NAS), host the client (NAS) name, tty its port and
// the MAC from "cli": "authenticated at this time", never a session lasting to
// the end of the log. Other radius.log
// lines (Info, Error, rlm_* messages) are skipped.
#include <date/tz.h>

#include <string>

#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_weekday(std::string_view s) {
  static constexpr std::string_view kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (auto d : kDays)
    if (s == d) return true;
  return false;
}

// Up to two digits, space-padded on the left ("  3", " 3", "03").
bool read_padded(std::string_view s, int& v) {
  s = trim(s);
  return !s.empty() && s.size() <= 4 && parse_number(s, v);
}

struct LocalStamp {
  int y = 0, d = 0, hh = 0, mi = 0, ss = 0;
  unsigned mo = 0;
};

// "Wed Apr 23 16:19:00 2026" (ctime: day padded with a space). Length 24.
bool parse_ctime(std::string_view s, LocalStamp& t) {
  if (s.size() < 24 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[13] != ':' || s[16] != ':' ||
      s[19] != ' ' || !is_weekday(s.substr(0, 3)))
    return false;
  t.mo = parse_month_abbrev(s.substr(4, 3));
  if (t.mo == 0 || !read_padded(s.substr(8, 2), t.d) || !read_padded(s.substr(11, 2), t.hh) ||
      !read_padded(s.substr(14, 2), t.mi) || !read_padded(s.substr(17, 2), t.ss) ||
      !parse_number(s.substr(20, 4), t.y))
    return false;
  return valid_date(t.y, t.mo, unsigned(t.d)) && t.hh <= 23 && t.mi <= 59 && t.ss <= 60;
}

// "Apr 23 2026 16:19:00 CEST" / "Feb  1 2015 08:28:28 WIB": the zone text
// goes to `zone`.
bool parse_event_timestamp(std::string_view s, LocalStamp& t, std::string_view& zone) {
  if (s.size() < 20 || s[3] != ' ' || s[6] != ' ' || s[11] != ' ' || s[14] != ':' || s[17] != ':')
    return false;
  t.mo = parse_month_abbrev(s.substr(0, 3));
  if (t.mo == 0 || !read_padded(s.substr(4, 2), t.d) || !parse_number(s.substr(7, 4), t.y) ||
      !read_padded(s.substr(12, 2), t.hh) || !read_padded(s.substr(15, 2), t.mi) ||
      !read_padded(s.substr(18, 2), t.ss))
    return false;
  zone = s.size() > 21 ? trim(s.substr(20)) : std::string_view();
  return valid_date(t.y, t.mo, unsigned(t.d)) && t.hh <= 23 && t.mi <= 59 && t.ss <= 60;
}

int64_t micros_of_day(const LocalStamp& t) {
  return (int64_t(t.hh) * 3600 + t.mi * 60 + std::min(t.ss, 59)) * 1000000;
}

std::string_view unquote(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  if (v.size() >= 2 && v.front() == '\'' && v.back() == '\'') return v.substr(1, v.size() - 2);
  return v;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!digit(c)) return false;
  return true;
}

class FreeradiusDetailParser final : public LoginParser {
 public:
  explicit FreeradiusDetailParser(const ParseContext& ctx) : ctx_(ctx) {
    cur_.reserve(4096);
    done_.reserve(4096);
  }

  LineResult parse(const Line& line, LoginEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    LocalStamp t;
    bool date_line = parse_ctime(text, t);
    if (date_line && text.size() > 24) {
      // radius.log: "DATE : Level: message"
      if (text.substr(24).starts_with(" : ")) {
        if (open_) {
          // A block cut short by a log line: return it, and count this line as skipped.
          return end_block(out);
        }
        out.clear();
        return parse_log_line(t, text.substr(27), out);
      }
      date_line = false;
    }
    if (date_line) {
      LineResult r = LineResult::more();
      if (open_) r = end_block(out);
      start_block(line, text, t);
      return r;
    }
    if (trim(text).empty()) {
      if (open_) return end_block(out);
      out.clear();
      return LineResult::skip("empty line");
    }
    if (!open_) {
      out.clear();
      return LineResult::malformed("attribute line outside a record (expected a date line first)");
    }
    if (text[0] != '\t' && text[0] != ' ') {
      bad_ = "line in a record is not an indented 'Attribute = Value'";
    }
    cur_.push_back('\n');
    cur_.append(text);
    return LineResult::more();
  }

  LineResult finish(LoginEvent& out) override {
    if (!open_) return LineResult::skip("");
    return end_block(out);
  }

 private:
  void start_block(const Line& line, std::string_view text, const LocalStamp& t) {
    open_ = true;
    bad_ = nullptr;
    first_line_ = line.number;
    first_offset_ = line.offset;
    date_ = t;
    cur_.assign(text);
  }

  LineResult end_block(LoginEvent& out) {
    out.clear();
    open_ = false;
    std::swap(cur_, done_);
    cur_.clear();
    out.first_line = first_line_;
    out.first_offset = first_offset_;
    out.raw = done_;
    return read_block(out);
  }

  void set_local(LoginEvent& out, const LocalStamp& t) {
    if (!ctx_.local) {  // no zone at all: read as UTC, and say it was assumed
      out.time = from_epoch_seconds(days_from_civil(t.y, t.mo, unsigned(t.d)) * 86400) +
                 Micros(micros_of_day(t));
      out.time_flags = kZoneAssumed;
      return;
    }
    uint8_t flags = 0;
    out.time =
        ctx_.local->to_utc(days_from_civil(t.y, t.mo, unsigned(t.d)), micros_of_day(t), flags);
    out.time_flags = flags | ctx_.zone_flags;
  }

  // Event-Timestamp text in the server's zone; its abbreviation picks the
  // reading in a DST fold. False when the zone abbreviation is not the
  // configured zone's at that time (then the offset cannot be known).
  bool set_event_time(LoginEvent& out, const LocalStamp& t, std::string_view zone) {
    if (zone == "UTC" || zone == "GMT" || zone == "Z") {
      out.time = from_epoch_seconds(days_from_civil(t.y, t.mo, unsigned(t.d)) * 86400) +
                 Micros(micros_of_day(t));
      out.time_flags = 0;
      return true;
    }
    if (!ctx_.local) return false;
    const date::time_zone* z = ctx_.local->zone();
    date::local_seconds ls{std::chrono::seconds(days_from_civil(t.y, t.mo, unsigned(t.d)) * 86400 +
                                                micros_of_day(t) / 1000000)};
    date::local_info info = z->get_info(ls);
    auto pick = [&](const date::sys_info& si) {
      out.time = Instant(std::chrono::duration_cast<Micros>(ls.time_since_epoch() - si.offset));
      out.time_flags = 0;
    };
    if (zone.empty()) {
      set_local(out, t);
      return true;
    }
    if (info.result == date::local_info::unique && info.first.abbrev == zone) {
      pick(info.first);
      return true;
    }
    if (info.result == date::local_info::ambiguous) {
      if (info.first.abbrev == zone) {
        pick(info.first);
        return true;
      }
      if (info.second.abbrev == zone) {
        pick(info.second);
        return true;
      }
    }
    return false;
  }

  LineResult read_block(LoginEvent& out) {
    if (bad_) {
      set_local(out, date_);
      return LineResult::malformed(bad_);
    }
    std::string_view rest = done_;
    next_token(rest, '\n');  // the date line
    std::string_view status, user, nas_ip, nas_id, src_ip, framed, framed6, calling, session,
        unique, port_id, port, port_type, event_ts, stamp, session_time;
    while (!rest.empty()) {
      std::string_view l = trim(next_token(rest, '\n'));
      if (l.empty()) continue;
      size_t eq = l.find(" = ");
      if (eq == std::string_view::npos) {
        set_local(out, date_);
        return LineResult::malformed("line in a record is not 'Attribute = Value'");
      }
      std::string_view name = l.substr(0, eq);
      std::string_view value = unquote(trim(l.substr(eq + 3)));
      switch (name.size() > 0 ? name[0] : 0) {
        case 'A':
          if (name == "Acct-Status-Type")
            status = value;
          else if (name == "Acct-Session-Id")
            session = value;
          else if (name == "Acct-Unique-Session-Id")
            unique = value;
          else if (name == "Acct-Session-Time")
            session_time = value;
          break;
        case 'U':
          if (name == "User-Name") user = value;
          break;
        case 'N':
          if (name == "NAS-IP-Address" || name == "NAS-IPv6-Address") {
            if (nas_ip.empty()) nas_ip = value;
          } else if (name == "NAS-Identifier")
            nas_id = value;
          else if (name == "NAS-Port-Id")
            port_id = value;
          else if (name == "NAS-Port")
            port = value;
          else if (name == "NAS-Port-Type")
            port_type = value;
          break;
        case 'P':
          if (name == "Packet-Src-IP-Address" || name == "Packet-Src-IPv6-Address") src_ip = value;
          break;
        case 'F':
          if (name == "Framed-IP-Address")
            framed = value;
          else if (name == "Framed-IPv6-Address")
            framed6 = value;
          break;
        case 'C':
          if (name == "Calling-Station-Id")
            calling = value;
          else if (name == "Client-IP-Address" && src_ip.empty())
            src_ip = value;
          break;
        case 'E':
          if (name == "Event-Timestamp") event_ts = value;
          break;
        case 'T':
          if (name == "Timestamp") stamp = value;
          break;
        default:
          break;
      }
    }

    // Time first: a skipped block still has one.
    const char* time_problem = nullptr;
    if (!event_ts.empty()) {
      LocalStamp et;
      std::string_view zone;
      if (all_digits(event_ts)) {
        int64_t secs = 0;
        if (!parse_number(event_ts, secs) || !log_seconds_ok(secs))
          time_problem = "bad Event-Timestamp";
        else {
          out.time = from_epoch_seconds(secs);
          out.time_flags = 0;
        }
      } else if (!parse_event_timestamp(event_ts, et, zone)) {
        time_problem = "bad Event-Timestamp (expected 'Mon DD YYYY HH:MM:SS ZONE' or epoch)";
      } else if (!set_event_time(out, et, zone)) {
        time_problem = nullptr;
        event_ts = {};  // its zone is not the server's: fall back to the server's clock
      }
    }
    if (event_ts.empty() || time_problem) {
      int64_t secs = 0;
      if (!stamp.empty() && parse_number(stamp, secs) && log_seconds_ok(secs)) {
        out.time = from_epoch_seconds(secs);
        out.time_flags = 0;
      } else {
        set_local(out, date_);
      }
    }
    if (time_problem) return LineResult::malformed(time_problem);

    if (status.empty())
      return LineResult::skip("detail record without Acct-Status-Type (not accounting)");
    if (status == "Start" || status == "1")
      out.action = LoginAction::login;
    else if (status == "Stop" || status == "2")
      out.action = LoginAction::logout;
    else if (status == "Interim-Update" || status == "Alive" || status == "3")
      out.action = LoginAction::interim;
    else if (status == "Accounting-On" || status == "7")
      out.action = LoginAction::boot;
    else if (status == "Accounting-Off" || status == "8")
      out.action = LoginAction::shutdown;
    else
      return LineResult::skip("accounting record that is no session start, update or stop");

    // An update or stop says how long the session has lasted (RFC 2866,
    // Acct-Session-Time): it began then. Without it a session whose Start is
    // not read (in an earlier file, or passed over by a hop's key filter when
    // only a later record names the address asked) would seem to begin at the
    // start of its file, and meet times it never did.
    int64_t lasted = 0;
    if ((out.action == LoginAction::interim || out.action == LoginAction::logout) &&
        !session_time.empty() && parse_number(session_time, lasted) && lasted >= 0 &&
        log_seconds_ok(lasted) && out.time != kNoTime)
      out.start = out.time - std::chrono::seconds(lasted);

    out.service = "radius";
    out.place = LoginPlace::remote;
    out.user = user;
    out.host = !nas_ip.empty() ? nas_ip : !nas_id.empty() ? nas_id : src_ip;
    out.session_key = !session.empty() ? session : unique;
    out.tty = !port_id.empty() ? port_id : port;
    out.method = port_type;
    if (!framed.empty()) {
      if (!parse_ip(framed, out.assigned_ip)) return LineResult::malformed("bad Framed-IP-Address");
      out.has_assigned_ip = true;
    }
    if (!framed6.empty()) {
      // (A dual-stack session: the IPv6 address beside the IPv4 one.)
      IpAddr a;
      if (!parse_ip(framed6, a)) return LineResult::malformed("bad Framed-IPv6-Address");
      if (out.has_assigned_ip) {
        out.assigned_ip2 = a;
        out.has_assigned_ip2 = true;
      } else {
        out.assigned_ip = a;
        out.has_assigned_ip = true;
      }
    }
    if (!calling.empty()) {
      // Twelve decimal digits read as a bare MAC too, but there they are a
      // phone number (a mobile or dial-up client's MSISDN) far more often.
      if (!all_digits(calling) && parse_mac(calling, out.mac)) {
        out.has_mac = true;
      } else {
        out.from = calling;
        out.has_from_ip = parse_ip(calling, out.from_ip);
      }
    }
    if (out.host.empty() &&
        (out.action == LoginAction::boot || out.action == LoginAction::shutdown))
      return LineResult::malformed("Accounting-On/Off without a NAS address or identifier");
    return LineResult::record();
  }

  // "Auth: [(N) ]Login OK: [user] (from client NAME port N[ cli MAC])"
  LineResult parse_log_line(const LocalStamp& t, std::string_view msg, LoginEvent& out) {
    set_local(out, t);
    if (!msg.starts_with("Auth: ")) return LineResult::skip("radius.log message without a login");
    msg.remove_prefix(6);
    if (msg.starts_with("(")) {  // v3 request number
      size_t close = msg.find(") ");
      if (close != std::string_view::npos) msg.remove_prefix(close + 2);
    }
    bool ok = msg.starts_with("Login OK: [");
    bool bad = msg.starts_with("Login incorrect");
    bool multiple = msg.starts_with("Multiple logins");
    if (!ok && !bad && !multiple) return LineResult::skip("radius.log message without a login");
    size_t open = msg.find('[');
    size_t from = msg.rfind("] (from client ");
    if (open == std::string_view::npos || from == std::string_view::npos || from < open)
      return LineResult::malformed("Auth: expected '[user] (from client NAME port N ...)'");
    std::string_view user = msg.substr(open + 1, from - open - 1);
    // "user/<via Auth-Type = MSCHAP>", "user/password" (with log_auth_badpass)
    size_t via = user.find("/<");
    if (via != std::string_view::npos) user = user.substr(0, via);
    std::string_view rest = msg.substr(from + 15);
    if (!rest.empty() && rest.back() == ' ') rest = trim(rest);
    if (!rest.empty() && rest.back() == ')') rest.remove_suffix(1);
    // ") via TLS tunnel" etc. may follow in v3: cut at the first ')'.
    size_t close = rest.find(')');
    if (close != std::string_view::npos) rest = rest.substr(0, close);
    out.host = next_token(rest);
    while (!rest.empty()) {
      std::string_view key = next_token(rest);
      std::string_view value = next_token(rest);
      if (key == "port")
        out.tty = value;
      else if (key == "cli") {
        if (parse_mac(value, out.mac))
          out.has_mac = true;
        else {
          out.from = value;
          out.has_from_ip = parse_ip(value, out.from_ip);
        }
      }
    }
    out.user = user;
    out.service = "radius";
    out.place = LoginPlace::remote;
    out.action = ok ? LoginAction::session : LoginAction::failed;
    if (ok) {
      out.start = out.time;
      out.end_how = "authentication only: the log does not say when the client left";
    }
    return LineResult::record();
  }

  const ParseContext& ctx_;
  bool open_ = false;
  const char* bad_ = nullptr;
  uint64_t first_line_ = 0, first_offset_ = 0;
  LocalStamp date_;
  std::string cur_, done_;
};

int sniff(std::string_view head, const char** why) {
  size_t dates = 0, attrs = 0, status = 0, log_lines = 0, auth = 0, other = 0;
  for_each_head_line(head, 400, [&](std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return;
    LocalStamp t;
    if (parse_ctime(line, t)) {
      if (line.size() == 24)
        ++dates;
      else if (line.substr(24).starts_with(" : ")) {
        ++log_lines;
        if (line.find(" : Auth: ") != std::string_view::npos) ++auth;
      } else
        ++other;
      return;
    }
    if ((line[0] == '\t' || line[0] == ' ') && line.find(" = ") != std::string_view::npos) {
      ++attrs;
      if (line.find("Acct-Status-Type = ") != std::string_view::npos) ++status;
      return;
    }
    ++other;
  });
  if (dates > 0 && status > 0 && other == 0) {
    *why = "FreeRADIUS detail blocks (date line, tab-indented attributes, Acct-Status-Type)";
    return 90;
  }
  if (dates > 0 && attrs > 0 && other <= dates) {
    *why = "FreeRADIUS detail blocks without Acct-Status-Type in the first records";
    return 60;
  }
  if (auth > 0) {
    *why = "FreeRADIUS radius.log with Auth: lines";
    return 80;
  }
  if (log_lines > 0 && other == 0) {
    *why = "FreeRADIUS radius.log, no Auth: line in the first lines";
    return 50;
  }
  *why = "no FreeRADIUS detail block or radius.log line";
  return 0;
}

std::unique_ptr<LoginParser> make(const ParseContext& ctx) {
  return std::make_unique<FreeradiusDetailParser>(ctx);
}

}  // namespace

const FormatInfo& freeradius_detail_format() {
  static const FormatInfo info{
      .name = "freeradius-detail",
      .family = Family::login,
      .summary =
          "FreeRADIUS detail accounting records (Start/Interim/Stop, Accounting-On/Off) "
          "and radius.log Login OK/incorrect",
      .sniff = sniff,
      .make_login = make};
  return info;
}

}  // namespace tracekit::formats

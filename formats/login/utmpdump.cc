// utmpdump(1) text: utmp/wtmp/btmp records as util-linux's utmpdump prints
// them, one a line:
//
//   [7] [04859] [ts/0] [jdoe    ] [pts/0       ] [192.0.2.10          ] [192.0.2.10     ]
//   [2026-04-23T15:19:00,123456+00:00]
//
// Fields: [ut_type] [ut_pid] [ut_id] [ut_user] [ut_line] [ut_host] [ut_addr_v6]
// [ut_tv], padded with spaces to 4, 8, 12, 20 and 15 characters (longer values
// are not cut). Since util-linux 2.28 the time is ISO 8601 in UTC with
// microseconds after a comma; older versions wrote "[Wed Aug 28 03:00:00 2013
// GMT]" (strftime "%a %b %d %T %Y %Z" in the local zone of the machine that
// ran utmpdump: GMT/UTC are read as UTC, any other zone name as the source's
// zone) and a blank field for time 0.
//
// Mapping as for binary utmp (utmp.cc): USER_PROCESS -> login (session_key =
// ut_line), DEAD_PROCESS -> logout, BOOT_TIME and "reboot" entries -> boot,
// RUN_LVL "shutdown" -> shutdown, the other types are skipped with their time;
// a record of a session without a time (0) is malformed. A file whose name
// contains "btmp" holds failed logins (utmpdump /var/log/btmp). from_ip is
// the address field when it is not 0.0.0.0, else ut_host when it is an address.
// kHasFraction only when the microseconds are not 0.
#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

enum : int {
  kEmpty,
  kRunLvl,
  kBootTime,
  kNewTime,
  kOldTime,
  kInitProcess,
  kLoginProcess,
  kUserProcess,
  kDeadProcess,
  kAccounting
};

constexpr std::string_view kSep = "] [";

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

LoginPlace place_of(std::string_view line, std::string_view host) {
  if (!host.empty()) return host[0] == ':' ? LoginPlace::local : LoginPlace::remote;
  if (starts_with(line, "tty") || starts_with(line, ":") || line == "console" ||
      starts_with(line, "vc/"))
    return LoginPlace::local;
  return LoginPlace::unknown;
}

std::string_view service_of(std::string_view line) {
  if (starts_with(line, "ssh:")) return "sshd";
  if (starts_with(line, "ftp")) return "ftp";
  return {};
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "Wed Aug 28 03:00:00 2013 GMT" (day zero-padded or space-padded).
bool parse_old_time(std::string_view s, const ParseContext& ctx, Instant& out, uint8_t& flags) {
  if (s.size() < 26 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[13] != ':' || s[16] != ':' ||
      s[19] != ' ' || s[24] != ' ')
    return false;
  unsigned mo = parse_month_abbrev(s.substr(4, 3));
  if (mo == 0) return false;
  auto two = [&](size_t i, int& v) {
    if (s[i] == ' ' && is_digit(s[i + 1])) {
      v = s[i + 1] - '0';
      return true;
    }
    if (!is_digit(s[i]) || !is_digit(s[i + 1])) return false;
    v = (s[i] - '0') * 10 + (s[i + 1] - '0');
    return true;
  };
  int d, hh, mi, ss, y;
  if (!two(8, d) || !two(11, hh) || !two(14, mi) || !two(17, ss) ||
      !parse_number(s.substr(20, 4), y) || hh > 23 || mi > 59 || ss > 60 ||
      !valid_date(y, mo, unsigned(d)))
    return false;
  std::string_view zone = s.substr(25);
  int64_t day = days_from_civil(y, mo, unsigned(d));
  int64_t us = (int64_t(hh) * 3600 + mi * 60 + std::min(ss, 59)) * 1000000;
  if (zone == "GMT" || zone == "UTC" || zone == "UCT" || zone == "Z") {
    out = Instant(Micros(day * 86400000000LL + us));
    return true;
  }
  if (!ctx.local) return false;
  out = ctx.local->to_utc(day, us, flags);
  flags |= ctx.zone_flags;
  return true;
}

class UtmpdumpParser final : public LoginParser {
 public:
  explicit UtmpdumpParser(const ParseContext& ctx) : ctx_(ctx) {
    if (ctx.source) host_ = ctx.source->host;
    if (ctx.file) {
      std::string_view path = ctx.file->path;
      std::string_view name = path.substr(path.find_last_of('/') + 1);
      btmp_ = name.find("btmp") != std::string_view::npos;
    }
  }

  LineResult parse(const Line& line, LoginEvent& out) override {
    out.clear();
    std::string_view s = line.text;
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    if (s.empty()) return LineResult::skip("empty line");
    if (s.size() < 2 || s.front() != '[' || s.back() != ']')
      return LineResult::malformed(
          "not a utmpdump line ([type] [pid] [id] [user] [line] [host] [addr] [time])");
    s = s.substr(1, s.size() - 2);
    // type, pid and id from the left; time and address from the right; user,
    // line and host between them.
    std::string_view f[8];
    for (int i = 0; i < 3; ++i) {
      size_t k = s.find(kSep);
      if (k == std::string_view::npos)
        return LineResult::malformed("utmpdump line: too few fields");
      f[i] = s.substr(0, k);
      s.remove_prefix(k + kSep.size());
    }
    for (int i = 7; i >= 5; --i) {
      size_t k = s.rfind(kSep);
      if (k == std::string_view::npos)
        return LineResult::malformed("utmpdump line: too few fields");
      f[i] = s.substr(k + kSep.size());
      s = s.substr(0, k);
    }
    size_t k = s.find(kSep);
    if (k == std::string_view::npos || s.find(kSep, k + 1) != std::string_view::npos)
      return LineResult::malformed("utmpdump line: cannot tell user from line ('] [' in a field)");
    f[3] = s.substr(0, k);
    f[4] = s.substr(k + kSep.size());

    int type;
    int64_t pid;
    if (!parse_number(f[0], type) || type < kEmpty || type > kAccounting)
      return LineResult::malformed("utmpdump line: type is not 0-9");
    if (!parse_number(f[1], pid)) return LineResult::malformed("utmpdump line: bad pid");
    std::string_view user = trim_right(f[3]), tty = trim_right(f[4]), host = trim_right(f[5]),
                     addr = trim_right(f[6]), when = trim_right(f[7]);
    if (!read_time(when, out)) return LineResult::malformed("utmpdump line: bad time");

    out.host = host_;
    switch (type) {
      case kUserProcess:
      case kLoginProcess:
        if (btmp_) {
          if (user.empty()) return LineResult::malformed("btmp record without a user");
          if (out.time == kNoTime) return LineResult::malformed("record without a time (0)");
          out.action = LoginAction::failed;
          fill(user, tty, host, addr, out);
          out.session_key = {};
          return LineResult::record();
        }
        if (type == kLoginProcess)
          return LineResult::skip("LOGIN_PROCESS (a getty waiting for a login)");
        if (user.empty()) return LineResult::malformed("USER_PROCESS record without a user");
        if (out.time == kNoTime) return LineResult::malformed("record without a time (0)");
        out.action = LoginAction::login;
        fill(user, tty, host, addr, out);
        return LineResult::record();
      case kDeadProcess:
        if (btmp_) return LineResult::skip("DEAD_PROCESS in btmp");
        if (tty.empty()) return LineResult::skip("DEAD_PROCESS without a line (no session)");
        if (out.time == kNoTime) return LineResult::malformed("record without a time (0)");
        out.action = LoginAction::logout;
        fill(user, tty, host, addr, out);
        return LineResult::record();
      case kBootTime:
      case kRunLvl:
        if (type == kRunLvl && user != "shutdown" && user != "reboot")
          return LineResult::skip("run level change");
        if (out.time == kNoTime) return LineResult::malformed("record without a time (0)");
        out.action =
            type == kBootTime || user == "reboot" ? LoginAction::boot : LoginAction::shutdown;
        return LineResult::record();
      case kNewTime:
      case kOldTime:
        return LineResult::skip("system clock change (OLD_TIME/NEW_TIME)");
      case kInitProcess:
        return LineResult::skip("INIT_PROCESS");
      case kAccounting:
        return LineResult::skip("ACCOUNTING");
      default:
        return LineResult::skip("EMPTY record");
    }
  }

 private:
  // Leaves out.time at kNoTime for time 0 (a blank field in old versions).
  bool read_time(std::string_view s, LoginEvent& out) {
    if (s.empty()) return true;
    uint8_t flags = 0;
    Instant t;
    size_t used = 0;
    if (parse_iso_timestamp(s, ctx_, t, flags, used)) {
      if (used != s.size()) return false;
    } else if (!parse_old_time(s, ctx_, t, flags)) {
      return false;
    }
    if (t.time_since_epoch().count() % 1000000 == 0) flags &= uint8_t(~kHasFraction);
    if (t.time_since_epoch().count() == 0) return true;
    out.time = t;
    out.time_flags = flags;
    return true;
  }

  static void fill(std::string_view user, std::string_view tty, std::string_view host,
                   std::string_view addr, LoginEvent& out) {
    out.user = user;
    out.tty = tty;
    out.from = host;
    out.session_key = tty;
    out.service = service_of(tty);
    out.place = place_of(tty, host);
    IpAddr ip;
    if (parse_ip(addr, ip) && !ip.is_unset() && !(ip.is_v4() && ip.v4() == 0)) {
      out.from_ip = ip;
      out.has_from_ip = true;
    } else {
      out.has_from_ip = parse_ip(host, out.from_ip);
    }
  }

  const ParseContext& ctx_;
  std::string_view host_;
  bool btmp_ = false;
};

int sniff(std::string_view head, const char** why) {
  size_t good = 0, lines = 0;
  for_each_head_line(head, 50, [&](std::string_view line) {
    if (line.empty()) return;
    ++lines;
    // "[7] [04859] [" ...
    if (line.size() > 40 && line[0] == '[' && is_digit(line[1]) &&
        starts_with(line.substr(2), "] [")) {
      size_t i = 5;
      while (i < line.size() && is_digit(line[i])) ++i;
      if (i > 5 && starts_with(line.substr(i), "] [") && line.back() == ']') ++good;
    }
  });
  if (good == 0) {
    *why = "no utmpdump lines ([type] [pid] [id] ...) in the first lines";
    return 0;
  }
  *why = "utmpdump lines ([type] [pid] [id] [user] [line] [host] [addr] [time])";
  return good * 2 >= lines ? 90 : 60;
}

std::unique_ptr<LoginParser> make(const ParseContext& ctx) {
  return std::make_unique<UtmpdumpParser>(ctx);
}

}  // namespace

const FormatInfo& utmpdump_format() {
  static const FormatInfo info{.name = "utmpdump",
                               .family = Family::login,
                               .summary = "utmpdump text output of utmp/wtmp/btmp records",
                               .sniff = sniff,
                               .make_login = make};
  return info;
}

}  // namespace tracekit::formats

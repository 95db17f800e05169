// The output of last(1) (util-linux, and `wtmpdb last`), one line per
// session, newest first, with full times:
//
//   jdoe     pts/0        192.0.2.10       Thu Apr 23 16:19:00 2026 - Thu Apr 23 18:01:12 2026
//   (01:42) bob      pts/0        198.51.100.23    Fri Apr 24 09:05:00 2026 - crash (01:07) reboot
//   system boot  6.1.0-18-amd64   Fri Apr 24 10:12:00 2026   still running jdoe     pts/0
//   192.0.2.10       2026-04-23T16:19:00+01:00 - 2026-04-23T18:01:12+01:00  (01:42)
//
//   wtmp begins Thu Apr 23 08:00:01 2026
//
// Columns: user (8 wide, longer names cut: newer versions end a cut name with
// '*', older ones cut silently; -w prints them whole), tty (12), host (16; -a
// moves it to the end of the line, -R leaves it out), the start, then the end:
// "- TIME (duration)", "- crash" (the machine went down without a shutdown
// record: the next boot ended the session), "- down" (an orderly shutdown
// ended it), "still logged in", "still running" (boot entries), "gone - no
// logout" (no end was recorded). Times come from -F ("Thu Apr 23 16:19:00
// 2026", in the zone of the machine that ran last: the source's zone) or
// --time-format iso (with the offset). Plain `last` prints "Thu Apr 23 16:19"
// with neither year nor seconds: such lines are malformed (rerun with -F).
// -x adds "shutdown system down" and "runlevel (to lvl N)" lines.
//
// Mapping: a user line -> login at its start (session_key = tty); "reboot
// system boot" -> boot; "shutdown system down" -> shutdown; run level and
// clock-change lines, blank lines and the "... begins TIME" footer are skipped
// with their time. lastb output (failed logins: a file whose name contains
// "btmp" or "lastb", or whose first block has a "btmp begins" footer) gives
// failed attempts.
//
// One line holds a whole session: it is returned as action `session` with
// start (the login) and time (the end). "crash" and "down" give the end from
// the length in parentheses (to the minute) and say so in end_how; "still
// logged in" and "gone - no logout" leave the end open (open_end). A name cut
// with '*' is malformed (rerun with -w); a host that fills its column (16
// characters) may be cut, so it is kept as text but not read as an address.
#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

constexpr const char* kShortTime =
    "last without -F/--time-format iso has no year or seconds; rerun with -F";
constexpr const char* kNoTime =
    "no login time (expected the output of last -F or last --time-format iso)";
constexpr size_t kHostWidth = 16;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_weekday(std::string_view s) {
  static constexpr std::string_view kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (auto d : kDays)
    if (s == d) return true;
  return false;
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

enum class TimeForm : uint8_t { none, ctime, iso, short_ctime };

// Which time, if any, starts at s[0].
TimeForm time_form_at(std::string_view s) {
  if (s.size() >= 16 && is_weekday(s.substr(0, 3)) && s[3] == ' ' &&
      parse_month_abbrev(s.substr(4, 3)) && s[7] == ' ' && s[10] == ' ' && s[13] == ':')
    return s.size() >= 24 && s[16] == ':' && s[19] == ' ' ? TimeForm::ctime : TimeForm::short_ctime;
  if (s.size() >= 19 && is_digit(s[0]) && is_digit(s[3]) && s[4] == '-' && s[7] == '-' &&
      s[10] == 'T')
    return TimeForm::iso;
  return TimeForm::none;
}

// "Thu Apr 23 16:19:00 2026" (day zero- or space-padded), local time.
bool parse_ctime(std::string_view s, const ParseContext& ctx, Instant& out, uint8_t& flags) {
  if (s.size() < 24 || !ctx.local) return false;
  unsigned mo = parse_month_abbrev(s.substr(4, 3));
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
  if (mo == 0 || !two(8, d) || !two(11, hh) || s[13] != ':' || !two(14, mi) || s[16] != ':' ||
      !two(17, ss) || s[19] != ' ' || !parse_number(s.substr(20, 4), y) || hh > 23 || mi > 59 ||
      ss > 60 || !valid_date(y, mo, unsigned(d)))
    return false;
  int64_t us = (int64_t(hh) * 3600 + mi * 60 + std::min(ss, 59)) * 1000000;
  // last(1) lists newest first: its order says nothing of a fold's reading.
  ctx.local->reset_order();
  out = ctx.local->to_utc(days_from_civil(y, mo, unsigned(d)), us, flags);
  flags |= ctx.zone_flags;
  return true;
}

// A time of either full form at the start of s; `used` gets its length.
bool read_time(std::string_view s, const ParseContext& ctx, Instant& out, uint8_t& flags,
               size_t& used) {
  switch (time_form_at(s)) {
    case TimeForm::ctime:
      used = 24;
      return parse_ctime(s, ctx, out, flags);
    case TimeForm::iso:
      return parse_iso_timestamp(s, ctx, out, flags, used) && (used == s.size() || s[used] == ' ');
    default:
      return false;
  }
}

// Where the start time begins (after a space), and its form.
size_t find_start(std::string_view s, TimeForm& form) {
  for (size_t i = 1; i + 16 <= s.size(); ++i) {
    if (s[i - 1] != ' ') continue;
    form = time_form_at(s.substr(i));
    if (form != TimeForm::none) return i;
  }
  form = TimeForm::none;
  return std::string_view::npos;
}

LoginPlace place_of(std::string_view tty, std::string_view host) {
  if (!host.empty()) return host[0] == ':' ? LoginPlace::local : LoginPlace::remote;
  if (starts_with(tty, "tty") || starts_with(tty, ":") || tty == "console" ||
      starts_with(tty, "vc/"))
    return LoginPlace::local;
  return LoginPlace::unknown;
}

class LastParser final : public LoginParser {
 public:
  explicit LastParser(const ParseContext& ctx) : ctx_(ctx) {
    if (ctx.source) host_ = ctx.source->host;
    if (ctx.file) {
      std::string_view path = ctx.file->path;
      std::string_view name = path.substr(path.find_last_of('/') + 1);
      failed_ = name.find("btmp") != std::string_view::npos ||
                name.find("lastb") != std::string_view::npos;
    }
    failed_ |= starts_with(ctx.head, "btmp begins ") ||
               ctx.head.find("\nbtmp begins ") != std::string_view::npos;
  }

  LineResult parse(const Line& line, LoginEvent& out) override {
    out.clear();
    std::string_view s = line.text;
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
    if (trim(s).empty()) return LineResult::skip("empty line");

    // The footer: "wtmp begins Thu Apr 23 08:00:01 2026".
    size_t begins = s.find(" begins ");
    if (begins != std::string_view::npos && s.find(' ') == begins) {
      size_t used = 0;
      std::string_view t = s.substr(begins + 8);
      if (time_form_at(t) == TimeForm::short_ctime) return LineResult::malformed(kShortTime);
      if (!read_time(t, ctx_, out.time, out.time_flags, used) || used != t.size())
        return LineResult::malformed("unreadable time in the \"begins\" line");
      return LineResult::skip("the time of the file's first record (\"begins\" line)");
    }

    TimeForm form;
    size_t at = find_start(s, form);
    if (at == std::string_view::npos) return LineResult::malformed(kNoTime);
    if (form == TimeForm::short_ctime) return LineResult::malformed(kShortTime);
    size_t used = 0;
    std::string_view rest = s.substr(at);
    if (!read_time(rest, ctx_, out.time, out.time_flags, used))
      return LineResult::malformed("unreadable login time");
    rest.remove_prefix(used);

    // user, tty and host before the time.
    std::string_view before = trim(s.substr(0, at));
    std::string_view user = next_token(before);
    before = trim(before);
    std::string_view tty, host;
    if (starts_with(before, "system boot") || starts_with(before, "system down")) {
      tty = before.substr(0, 11);
      host = trim(before.substr(11));
    } else {
      tty = next_token(before);
      host = trim(before);
    }

    if (user == "runlevel") return LineResult::skip("run level change");

    // The end: a time, crash/down (the machine went down: the time in the
    // parentheses is the session's length), still logged in, or gone.
    Instant end = tracekit::kNoTime;
    uint8_t end_flags = 0;
    std::string_view end_how;
    bool still = false;
    rest = trim(rest);
    if (starts_with(rest, "- ")) {
      rest = trim(rest.substr(2));
      size_t end_used = 0;
      if (read_time(rest, ctx_, end, end_flags, end_used)) {
        rest.remove_prefix(end_used);
      } else if (starts_with(rest, "crash") || starts_with(rest, "down")) {
        end_how = rest.substr(0, rest[0] == 'c' ? 5 : 4);
        rest.remove_prefix(rest[0] == 'c' ? 5 : 4);
      } else if (starts_with(rest, "still logged in") || starts_with(rest, "still running")) {
        rest.remove_prefix(rest[6] == 'l' ? 15 : 13);
        still = true;
      } else {
        return LineResult::malformed("unreadable session end (expected a time, crash or down)");
      }
    } else if (starts_with(rest, "still logged in")) {
      rest.remove_prefix(15);
      still = true;
    } else if (starts_with(rest, "still running")) {
      rest.remove_prefix(13);
      still = true;
    } else if (starts_with(rest, "gone - no logout")) {
      rest.remove_prefix(16);
      end_how = "gone - no logout";
      still = true;
    } else if (!rest.empty() && rest[0] != '(') {
      return LineResult::malformed("unreadable session end (expected a time, crash or down)");
    }
    // crash/down: the length in parentheses ("(01:42)", "(1+02:03)") gives the end.
    Micros length{-1};
    if (std::string_view r = trim(rest); starts_with(r, "(")) {
      size_t close = r.find(')');
      if (close != std::string_view::npos) {
        std::string_view len = r.substr(1, close - 1);
        int64_t days = 0, hours = 0, minutes = 0;
        size_t plus = len.find('+');
        if (plus != std::string_view::npos) {
          if (!parse_number(len.substr(0, plus), days)) days = -1;
          len = len.substr(plus + 1);
        }
        size_t colon = len.find(':');
        // Each part bounded (a session longer than kMaxLogSeconds is a
        // corrupt field, and its microseconds would overflow).
        constexpr int64_t kMaxMinutes = kMaxLogSeconds / 60;
        if (days >= 0 && colon != std::string_view::npos &&
            parse_number(len.substr(0, colon), hours) &&
            parse_number(len.substr(colon + 1), minutes) && days <= kMaxMinutes / 1440 &&
            hours >= 0 && hours <= kMaxMinutes / 60 && minutes >= 0 && minutes <= kMaxMinutes &&
            (days * 24 + hours) * 60 + minutes <= kMaxMinutes)
          length = std::chrono::minutes((days * 24 + hours) * 60 + minutes);
      }
    }
    rest = trim(rest);
    if (starts_with(rest, "(")) {
      size_t close = rest.find(')');
      if (close == std::string_view::npos)
        return LineResult::malformed("unreadable session length");
      rest = trim(rest.substr(close + 1));
    }
    bool host_last = false;
    if (!rest.empty()) {
      if (!host.empty()) return LineResult::malformed("unexpected text after the session");
      host = rest;  // last -a
      host_last = true;
    }

    out.host = host_;
    if (user == "reboot") {
      out.action = LoginAction::boot;
      return LineResult::record();
    }
    if (user == "shutdown") {
      out.action = LoginAction::shutdown;
      return LineResult::record();
    }
    if (tty == "}" || tty == "|" || starts_with(tty, "old time") || starts_with(tty, "new time") ||
        (tty == "old" && starts_with(host, "time")) || (tty == "new" && starts_with(host, "time")))
      return LineResult::skip("system clock change");
    if (!user.empty() && user.back() == '*')
      return LineResult::malformed("user name cut short by last (ends in '*'); rerun with -w");
    if (out.time == from_epoch_seconds(0))
      return LineResult::malformed("login time is 0 (1970-01-01: no time recorded)");

    out.action = failed_ ? LoginAction::failed : LoginAction::login;
    if (!failed_) {
      // One line, one whole session: start, and its end when the line says.
      out.action = LoginAction::session;
      out.start = out.time;
      out.end_how = end_how;
      if (end != tracekit::kNoTime) {
        out.time = end;
        out.time_flags |= end_flags;
      } else if (!still && length.count() >= 0) {
        // crash/down: last printed the length to the minute; the end is
        // known to a minute, which the length says.
        out.time = out.start + length;
      } else {
        out.open_end = true;  // still logged in, gone, or no length to go by
      }
    }
    out.user = user;
    out.tty = tty;
    out.from = host;
    if (!failed_) out.session_key = tty;
    if (starts_with(tty, "ssh:")) out.service = "sshd";
    out.place = place_of(tty, host);
    bool maybe_cut =
        !host.empty() && (host.back() == '*' || (!host_last && host.size() == kHostWidth));
    out.has_from_ip = !maybe_cut && parse_ip(host, out.from_ip);
    return LineResult::record();
  }

 private:
  const ParseContext& ctx_;
  std::string_view host_;
  bool failed_ = false;
};

int sniff(std::string_view head, const char** why) {
  size_t full = 0, short_form = 0, lines = 0, footer = 0;
  for_each_head_line(head, 100, [&](std::string_view line) {
    if (trim(line).empty()) return;
    ++lines;
    size_t b = line.find(" begins ");
    if (b != std::string_view::npos && line.find(' ') == b &&
        time_form_at(line.substr(b + 8)) != TimeForm::none) {
      ++footer;
      return;
    }
    TimeForm form;
    size_t at = find_start(line, form);
    if (at == std::string_view::npos || at < 9) return;
    // The end follows the start directly.
    std::string_view rest = line.substr(at);
    size_t len = form == TimeForm::short_ctime ? 16 : form == TimeForm::ctime ? 24 : rest.find(' ');
    rest = trim(rest.substr(std::min(len, rest.size())));
    bool ends = starts_with(rest, "- ") || starts_with(rest, "still ") ||
                starts_with(rest, "gone - no logout");
    if (!ends) return;
    if (form == TimeForm::short_ctime)
      ++short_form;
    else
      ++full;
  });
  if (full > 0 && (full + short_form + footer) * 2 >= lines) {
    *why = "last output with full times (last -F or --time-format iso)";
    return 85;
  }
  if (full + short_form > 0) {
    *why = "last output without -F (no year or seconds: its lines cannot be read)";
    return full > 0 ? 60 : 50;
  }
  *why = "no last output lines (user tty host time - end) in the first lines";
  return 0;
}

std::unique_ptr<LoginParser> make(const ParseContext& ctx) {
  return std::make_unique<LastParser>(ctx);
}

}  // namespace

const FormatInfo& last_format() {
  static const FormatInfo info{.name = "last",
                               .family = Family::login,
                               .summary =
                                   "last/lastb output with full times (last -F or "
                                   "--time-format iso)",
                               .sniff = sniff,
                               .make_login = make,
                               // A report of wtmp as of when last ran (the
                               // file's modification time): "still logged
                               // in" is said of then.
                               .snapshot = true};
  return info;
}

}  // namespace tracekit::formats

#include "tracekit/timestamp.h"

#include "tracekit/text.h"

#include <charconv>
#include <cstring>

#include "digits.h"

namespace tracekit {

namespace {

using detail::is_digit;
using detail::read2;
using detail::read4;
using detail::read_fraction;

// "prog[pid]: message" or "prog: message"; a line with no tag keeps it all as
// the message. One pass: the tag ends at the first ':' (after an optional
// "[pid]"), and a space before that means there is no tag.
void split_tag(std::string_view rest, SyslogHeader& out) {
  const char* b = rest.data();
  const char* e = b + rest.size();
  const char* p = b;
  while (p != e && *p != ':' && *p != '[' && *p != ' ') ++p;
  const char* prog_end = p;
  const char* pid_b = nullptr;
  const char* pid_e = nullptr;
  if (p != e && *p == '[') {
    pid_b = ++p;
    while (p != e && *p != ']' && *p != ' ') ++p;
    if (p != e && *p == ']') {
      pid_e = p++;
    } else {
      p = e;  // no closing bracket: not a tag
    }
  }
  if (p != e && *p == ':' && (p + 1 == e || p[1] == ' ') && prog_end != b) {
    out.program = std::string_view(b, size_t(prog_end - b));
    out.pid = pid_e ? std::string_view(pid_b, size_t(pid_e - pid_b)) : std::string_view();
    const char* m = p + 1 == e ? e : p + 2;
    out.message = std::string_view(m, size_t(e - m));
    return;
  }
  out.program = {};
  out.pid = {};
  out.message = rest;
}

}  // namespace

bool parse_iso_timestamp(std::string_view s, const ParseContext& ctx, Instant& out, uint8_t& flags,
                         size_t& consumed) {
  int y, mo, d, hh, mi, ss;
  if (s.size() < 19 || !read4(s, 0, y) || s[4] != '-' || !read2(s, 5, mo) || s[7] != '-' ||
      !read2(s, 8, d) || (s[10] != 'T' && s[10] != ' ') || !read2(s, 11, hh) || s[13] != ':' ||
      !read2(s, 14, mi) || s[16] != ':' || !read2(s, 17, ss))
    return false;
  if (!valid_date(y, mo, d) || hh > 23 || mi > 59 || ss > 60) return false;
  if (ss == 60) ss = 59;
  size_t i = 19;
  int64_t frac = 0;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    if (!read_fraction(s, i, frac)) return false;
    flags |= kHasFraction;
  }
  int64_t day = days_from_civil(y, mo, d);
  int64_t us_of_day = (int64_t(hh) * 3600 + mi * 60 + ss) * 1000000 + frac;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    out = Instant(Micros(day * 86400000000LL + us_of_day));
    consumed = i + 1;
    return true;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om = 0;
    size_t j = i + 1;
    if (!read2(s, j, oh)) return false;
    j += 2;
    if (j < s.size() && s[j] == ':') ++j;
    if (read2(s, j, om))
      j += 2;
    else
      return false;
    int64_t off = (int64_t(oh) * 3600 + om * 60) * 1000000 * (s[i] == '-' ? -1 : 1);
    out = Instant(Micros(day * 86400000000LL + us_of_day - off));
    consumed = j;
    return true;
  }
  if (!ctx.local) return false;
  out = ctx.local->to_utc(day, us_of_day, flags);
  flags |= ctx.zone_flags;
  consumed = i;
  return true;
}

bool parse_bsd_timestamp(std::string_view s, const ParseContext& ctx, Instant& out,
                         uint8_t& flags) {
  if (s.size() < 15) return false;
  // A hit gives the time and flags kept, without asking the year tracker
  // again; every date read anew is written here and counted (reads): the
  // parsers' own header caches (isc-dhcpd) rely on both.
  auto& cache = ctx.bsd_cache;
  if (cache.valid && std::memcmp(s.data(), cache.text, 15) == 0) {
    out = cache.time;
    flags |= cache.flags;
    return true;
  }
  if (s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':') return false;
  unsigned mo = parse_month_abbrev(s.substr(0, 3));
  if (mo == 0) return false;
  int d;
  if (s[4] == ' ') {
    if (!is_digit(s[5])) return false;
    d = s[5] - '0';
  } else if (!read2(s, 4, d)) {
    return false;
  }
  int hh, mi, ss;
  if (!read2(s, 7, hh) || !read2(s, 10, mi) || !read2(s, 13, ss) || hh > 23 || mi > 59 || ss > 60)
    return false;
  if (ss == 60) ss = 59;
  if (!ctx.year || !ctx.local) return false;
  int y = ctx.year->year_for(mo, unsigned(d));
  if (!valid_date(y, mo, unsigned(d))) return false;  // Feb 29 in an inferred non-leap year
  int64_t day = days_from_civil(y, mo, unsigned(d));
  uint8_t f = ctx.zone_flags;
  if (ctx.year->inferred()) f |= kYearInferred;
  out = ctx.local->to_utc(day, (int64_t(hh) * 3600 + mi * 60 + ss) * 1000000, f);
  flags |= f;
  std::memcpy(cache.text, s.data(), 15);
  cache.time = out;
  cache.flags = f;
  cache.valid = true;
  ++cache.reads;
  return true;
}

bool parse_epoch_timestamp(std::string_view s, Instant& out, uint8_t& flags) {
  size_t dot = s.find('.');
  std::string_view ip = s.substr(0, dot);
  int64_t secs = 0;
  auto r = std::from_chars(ip.data(), ip.data() + ip.size(), secs);
  // Past 9999-12-31 is no log time (and would overflow the microseconds).
  if (ip.empty() || r.ec != std::errc() || r.ptr != ip.data() + ip.size() || secs < 0 ||
      secs > 253402300799)
    return false;
  int64_t micros = 0;
  if (dot != std::string_view::npos) {
    size_t i = dot;
    if (!read_fraction(s, i, micros) || i != s.size()) return false;
    flags |= kHasFraction;
  }
  out = Instant(Micros(secs * 1000000 + micros));
  return true;
}

bool parse_syslog_header(std::string_view line, const ParseContext& ctx, SyslogHeader& out,
                         const char** reason) {
  std::string_view s = line;
  out.time_flags = 0;
  out.structured_data = {};
  bool had_pri = false;
  if (!s.empty() && s[0] == '<') {
    size_t close = s.find('>');
    if (close == std::string_view::npos || close > 4 || close < 2) {
      *reason = "bad syslog priority";
      return false;
    }
    s.remove_prefix(close + 1);
    had_pri = true;
  }
  // RFC 5424: "1 2026-04-23T15:19:00Z host app procid msgid sd msg"
  if (had_pri && s.size() > 2 && s[0] == '1' && s[1] == ' ') {
    s.remove_prefix(2);
    size_t used = 0;
    if (!parse_iso_timestamp(s, ctx, out.time, out.time_flags, used) ||
        (used < s.size() && s[used] != ' ')) {
      *reason = "bad RFC 5424 timestamp";
      return false;
    }
    s.remove_prefix(std::min(used + 1, s.size()));
    out.host = next_token(s);
    out.program = next_token(s);
    out.pid = next_token(s);
    if (out.pid == "-") out.pid = {};
    next_token(s);  // msgid
    if (!s.empty() && s[0] == '[') {
      // Structured data: [id k="v" ...][...]; values may hold escaped ']'.
      size_t i = 0;
      while (i < s.size() && s[i] == '[') {
        bool in_quote = false;
        ++i;
        while (i < s.size()) {
          char c = s[i];
          if (c == '\\' && in_quote) {
            i += 2;
            continue;
          }
          if (c == '"') in_quote = !in_quote;
          if (c == ']' && !in_quote) break;
          ++i;
        }
        if (i >= s.size()) {
          *reason = "unterminated RFC 5424 structured data";
          return false;
        }
        ++i;
      }
      out.structured_data = s.substr(0, i);
      s.remove_prefix(i);
    } else {
      out.structured_data = next_token(s);
    }
    if (!s.empty() && s[0] == ' ') s.remove_prefix(1);
    if (s.size() >= 3 && uint8_t(s[0]) == 0xef && uint8_t(s[1]) == 0xbb && uint8_t(s[2]) == 0xbf)
      s.remove_prefix(3);  // BOM
    out.message = s;
    if (out.program == "-") out.program = {};
    return true;
  }
  if (s.size() >= 19 && is_digit(s[0]) && s[4] == '-') {
    size_t used = 0;
    if (!parse_iso_timestamp(s, ctx, out.time, out.time_flags, used) || used >= s.size() ||
        s[used] != ' ') {
      *reason = "bad ISO timestamp";
      return false;
    }
    s.remove_prefix(used + 1);
    out.host = next_token(s);
    split_tag(s, out);
    return true;
  }
  if (s.size() >= 15 && parse_month_abbrev(s.substr(0, 3)) != 0) {
    if (!parse_bsd_timestamp(s, ctx, out.time, out.time_flags)) {
      *reason = "bad syslog date";
      return false;
    }
    s.remove_prefix(15);
    if (!s.empty() && s[0] == '.') {  // some daemons add a fraction
      size_t i = 0;
      int64_t frac = 0;
      if (read_fraction(s, i, frac)) {
        out.time += Micros(frac);
        out.time_flags |= kHasFraction;
        s.remove_prefix(i);
      }
    }
    if (s.empty() || s[0] != ' ') {
      *reason = "no host after syslog date";
      return false;
    }
    s.remove_prefix(1);
    out.host = next_token(s);
    split_tag(s, out);
    return true;
  }
  // Archive-tagged lines: LABEL EPOCH YYYY.MM.DD NODE Mon D HH:MM:SS user@host prog: msg
  {
    std::string_view t = s;
    std::string_view label = next_token(t);
    std::string_view epoch = next_token(t);
    std::string_view date = next_token(t);
    std::string_view node = next_token(t);
    if (!label.empty() && !epoch.empty() && is_digit(epoch[0]) && date.size() == 10 &&
        date[4] == '.' && date[7] == '.' && !node.empty()) {
      uint8_t f = 0;
      if (parse_epoch_timestamp(epoch, out.time, f)) {
        // Skip the embedded "Mon D HH:MM:SS host" and read the tag.
        next_token(t);
        std::string_view day = next_token(t);
        if (day.empty()) day = next_token(t);  // "Nov  9" with two spaces
        next_token(t);                         // time
        next_token(t);                         // user@host
        out.time_flags = f;
        out.host = node;
        split_tag(t, out);
        return true;
      }
    }
  }
  *reason = "no syslog header";
  return false;
}

}  // namespace tracekit

// What FortiGate's traffic logs (nat/fortigate.cc) and its VPN event logs
// (login/fortigate_vpn.cc) share: the key=value body and its time.
//
// Values are bare or double-quoted (quoted ones may hold spaces and commas);
// pairs are separated by spaces, or by commas in the CSV export. Time:
// eventtime (epoch seconds, milli-, micro- or nanoseconds; FortiOS 6.2+) is
// preferred, being UTC and precise; else date= time= with tz= (an offset)
// when given, else in the source's zone; else the syslog header's.
#pragma once

#include <algorithm>
#include <string_view>

#include "tracekit/format.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats::fortigate {

inline bool read_digits(std::string_view s, size_t at, size_t n, int& v) {
  if (at + n > s.size()) return false;
  v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  return true;
}

// Where the key=value body starts: at the line's start when its first word is
// a key, else at one of the keys FortiOS writes first (after a syslog header);
// npos when neither.
inline size_t find_body(std::string_view s) {
  size_t eq = s.find('='), sp = s.find(' ');
  if (eq != std::string_view::npos && eq > 0 && (sp == std::string_view::npos || eq < sp)) return 0;
  static constexpr std::string_view kFirst[] = {
      "date=", "logver=", "timestamp=", "time=", "devname=", "devid=", "itime=", "eventtime="};
  size_t best = std::string_view::npos;
  for (auto k : kFirst) {
    size_t pos = 0;
    while ((pos = s.find(k, pos)) != std::string_view::npos) {
      if (pos > 0 && s[pos - 1] == ' ') {
        best = std::min(best, pos);
        break;
      }
      pos += k.size();
    }
  }
  return best;
}

// Calls assign(key, value) for each pair of the body; the reason when a
// quoted value does not end.
template <class Assign>
const char* read_fields(std::string_view s, Assign&& assign) {
  char sep = 0;  // ' ' or ',' once the first pair has shown which
  while (!s.empty()) {
    while (!s.empty() && (s[0] == ' ' || s[0] == ',')) s.remove_prefix(1);
    if (s.empty()) break;
    size_t eq = 0;
    while (eq < s.size() && s[eq] != '=' && s[eq] != ' ' && s[eq] != ',') ++eq;
    if (eq == s.size() || s[eq] != '=') {
      s.remove_prefix(eq);  // a stray word (some exports end in one)
      continue;
    }
    std::string_view key = s.substr(0, eq);
    s.remove_prefix(eq + 1);
    std::string_view value;
    if (!s.empty() && s[0] == '"') {
      size_t close = 1;
      while (close < s.size() && s[close] != '"') ++close;
      if (close >= s.size()) return "unterminated quoted value";
      value = s.substr(1, close - 1);
      s.remove_prefix(close + 1);
    } else {
      size_t e = 0;
      while (e < s.size() && s[e] != ' ' && (sep == ' ' || s[e] != ',')) ++e;
      value = s.substr(0, e);
      s.remove_prefix(e);
    }
    if (sep == 0 && !s.empty()) sep = s[0];
    assign(key, value);
  }
  return nullptr;
}

// The record's time from eventtime=, else date= time= [tz=]; `out` keeps the
// syslog header's time when there is neither. The reason when it cannot.
inline const char* read_time(std::string_view eventtime, std::string_view date,
                             std::string_view time, std::string_view tz, const ParseContext& ctx,
                             EventBase& out) {
  if (!eventtime.empty()) {
    uint64_t v = 0;
    if (!parse_number(eventtime, v)) return "bad eventtime";
    size_t digits = eventtime.size();
    if (digits > 20) return "bad eventtime";
    int64_t us = 0;
    if (digits >= 18)
      us = int64_t(v / 1000);
    else if (digits >= 15)
      us = int64_t(v);
    else if (digits >= 12)
      us = int64_t(v) * 1000;
    else
      us = int64_t(v) * 1000000;
    out.time = Instant(Micros(us));
    out.time_flags = digits >= 12 ? kHasFraction : 0;
    return nullptr;
  }
  if (date.empty() || time.empty()) return nullptr;  // the syslog header's, if any
  int y, mo, d, hh, mi, ss;
  if (date.size() != 10 || !read_digits(date, 0, 4, y) || date[4] != '-' ||
      !read_digits(date, 5, 2, mo) || date[7] != '-' || !read_digits(date, 8, 2, d) ||
      !valid_date(y, unsigned(mo), unsigned(d)))
    return "bad date";
  if (time.size() != 8 || !read_digits(time, 0, 2, hh) || time[2] != ':' ||
      !read_digits(time, 3, 2, mi) || time[5] != ':' || !read_digits(time, 6, 2, ss) || hh > 23 ||
      mi > 59 || ss > 60)
    return "bad time";
  int64_t day = days_from_civil(y, unsigned(mo), unsigned(d));
  int64_t us = (int64_t(hh) * 3600 + mi * 60 + std::min(ss, 59)) * 1000000;
  if (!tz.empty()) {
    // "+0100", "-05:00"
    int oh = 0, om = 0;
    if (tz.size() < 5 || (tz[0] != '+' && tz[0] != '-') || !read_digits(tz, 1, 2, oh))
      return "bad tz";
    size_t at = tz[3] == ':' ? 4 : 3;
    if (!read_digits(tz, at, 2, om) || tz.size() != at + 2) return "bad tz";
    int64_t off = (int64_t(oh) * 3600 + om * 60) * 1000000 * (tz[0] == '-' ? -1 : 1);
    out.time = Instant(Micros(day * 86400000000LL + us - off));
    out.time_flags = 0;
    return nullptr;
  }
  if (!ctx.local) return "no zone for a zone-less time";
  uint8_t flags = 0;
  out.time = ctx.local->to_utc(day, us, flags);
  out.time_flags = flags | ctx.zone_flags;
  return nullptr;
}

}  // namespace tracekit::formats::fortigate

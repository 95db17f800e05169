#include "tracekit/time.h"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>

#include "digits.h"

namespace tracekit {

namespace {

using detail::is_digit;
using detail::read_fixed;
using detail::read_fraction;
using std::chrono::seconds;

// Parses "+01:00", "-0500", "+01", "Z". Returns offset seconds east of UTC.
bool parse_offset(std::string_view s, int& offset_s) {
  if (s == "Z" || s == "z") {
    offset_s = 0;
    return true;
  }
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return false;
  size_t i = 1;
  int hh = 0, mm = 0;
  if (!read_fixed(s, i, 2, hh)) return false;
  if (i < s.size()) {
    if (s[i] == ':') ++i;
    if (!read_fixed(s, i, 2, mm)) return false;
  }
  if (i != s.size() || hh > 23 || mm > 59) return false;
  offset_s = (hh * 3600 + mm * 60) * (s[0] == '-' ? -1 : 1);
  return true;
}

std::string format_offset(seconds off) {
  int64_t s = off.count();
  char sign = s < 0 ? '-' : '+';
  if (s < 0) s = -s;
  return fmt::format("{}{:02}:{:02}", sign, s / 3600, s / 60 % 60);
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool valid_date(int y, unsigned m, unsigned d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned limit = kDays[m - 1];
  if (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) limit = 29;
  return d <= limit;
}

unsigned parse_month_abbrev(std::string_view s) {
  if (s.size() != 3) return 0;
  auto is = [&](char b, char c) { return s[1] == b && s[2] == c; };
  switch (s[0]) {
    case 'J':
      return is('a', 'n') ? 1 : is('u', 'n') ? 6 : is('u', 'l') ? 7 : 0;
    case 'F':
      return is('e', 'b') ? 2 : 0;
    case 'M':
      return is('a', 'r') ? 3 : is('a', 'y') ? 5 : 0;
    case 'A':
      return is('p', 'r') ? 4 : is('u', 'g') ? 8 : 0;
    case 'S':
      return is('e', 'p') ? 9 : 0;
    case 'O':
      return is('c', 't') ? 10 : 0;
    case 'N':
      return is('o', 'v') ? 11 : 0;
    case 'D':
      return is('e', 'c') ? 12 : 0;
  }
  return 0;
}

const date::time_zone* find_zone(std::string_view name) {
  if (name.empty()) return nullptr;
  if (name == "Z" || name == "UTC" || name == "utc" || name == "GMT") name = "Etc/UTC";
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

const date::time_zone* machine_zone() {
  static const date::time_zone* zone = [] {
    if (const char* tz = std::getenv("TZ"); tz && *tz) {
      std::string_view name = tz;
      if (name.front() == ':') name.remove_prefix(1);
      if (auto* z = find_zone(name)) return z;
    }
    try {
      return date::current_zone();
    } catch (const std::exception&) {
      return date::locate_zone("Etc/UTC");
    }
  }();
  return zone;
}

std::string_view zone_name(const date::time_zone* zone) {
  return zone ? std::string_view(zone->name()) : std::string_view("(none)");
}

std::string tzdb_version() {
  std::string v;
  try {
    v = date::get_tzdb().version;
  } catch (const std::exception&) {
  }
  if (!v.empty() && v != "unknown") return v;
  // Debian's tzdata has no +VERSION file, which is where the date library
  // looks; its tzdata.zi starts with "# version 2026f".
  const char* dir = std::getenv("TZDIR");
  std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/tzdata.zi";
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    char line[128] = {};
    bool ok = std::fgets(line, sizeof line, f) != nullptr;
    std::fclose(f);
    std::string_view l = ok ? std::string_view(line) : std::string_view();
    constexpr std::string_view kPrefix = "# version ";
    if (l.substr(0, kPrefix.size()) == kPrefix) {
      l.remove_prefix(kPrefix.size());
      while (!l.empty() && (l.back() == '\n' || l.back() == '\r' || l.back() == ' '))
        l.remove_suffix(1);
      if (!l.empty()) return std::string(l);
    }
  }
  return "unknown";
}

bool parse_query_time(std::string_view s, const date::time_zone* default_zone, Instant& out,
                      std::string& error, uint8_t* flags) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) {
    error = "empty time";
    return false;
  }
  if (s[0] == '@') {
    std::string_view num = s.substr(1);
    size_t dot = num.find('.');
    int64_t secs = 0, micros = 0;
    auto int_part = num.substr(0, dot);
    auto r = std::from_chars(int_part.data(), int_part.data() + int_part.size(), secs);
    bool ok = r.ec == std::errc() && r.ptr == int_part.data() + int_part.size() &&
              !int_part.empty() && log_seconds_ok(secs);
    if (ok && dot != std::string_view::npos) {
      size_t i = dot;
      ok = read_fraction(num, i, micros) && i == num.size();
      if (flags) *flags |= kHasFraction;
    }
    if (!ok) {
      error = fmt::format("'{}' is not an epoch time (expected @SECONDS[.FRACTION])", s);
      return false;
    }
    out = Instant(Micros(secs * 1000000 + micros));
    return true;
  }
  size_t i = 0;
  int y = 0, mo = 0, d = 0, hh = 0, mi = 0, ss = 0;
  int64_t frac = 0;
  auto bad = [&] {
    error = fmt::format(
        "'{}' is not a time: expected RFC 3339, 'YYYY-MM-DD HH:MM:SS[.frac] [+HH:MM|Z|ZONE]' or "
        "@EPOCH",
        s);
    return false;
  };
  if (!read_fixed(s, i, 4, y) || i >= s.size() || s[i++] != '-' || !read_fixed(s, i, 2, mo) ||
      i >= s.size() || s[i++] != '-' || !read_fixed(s, i, 2, d))
    return bad();
  if (i >= s.size() || (s[i] != 'T' && s[i] != 't' && s[i] != ' ')) return bad();
  ++i;
  if (!read_fixed(s, i, 2, hh) || i >= s.size() || s[i++] != ':' || !read_fixed(s, i, 2, mi))
    return bad();
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!read_fixed(s, i, 2, ss)) return bad();
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      if (!read_fraction(s, i, frac)) return bad();
      if (flags) *flags |= kHasFraction;
    }
  }
  if (!valid_date(y, mo, d) || hh > 23 || mi > 59 || ss > 60) {
    error = fmt::format("'{}' is not a valid calendar date and time", s);
    return false;
  }
  // A leap second: the clock showed :60, kept inside the minute. Only the
  // last second of 30 June or 31 December (UTC) ever was one.
  const bool leap = ss == 60;
  if (leap) ss = 59;
  auto leap_ok = [&](Instant at) {
    if (!leap) return true;
    auto day = std::chrono::floor<date::days>(at);
    date::year_month_day ymd{date::sys_days(day)};
    bool last_of_half = (ymd.month() == date::June && ymd.day() == date::day(30)) ||
                        (ymd.month() == date::December && ymd.day() == date::day(31));
    if (last_of_half && std::chrono::floor<seconds>(at - day) == seconds(86399)) return true;
    error = fmt::format(
        "'{}' is not a valid time: a leap second (:60) is only ever 23:59:60 UTC on 30 June or "
        "31 December",
        s);
    return false;
  };
  std::string_view zone_part = s.substr(i);
  while (!zone_part.empty() && zone_part.front() == ' ') zone_part.remove_prefix(1);
  int64_t local_us =
      (days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss) * 1000000 + frac;
  int offset = 0;
  if (!zone_part.empty() && parse_offset(zone_part, offset)) {
    out = Instant(Micros(local_us - int64_t(offset) * 1000000));
    return leap_ok(out);
  }
  const date::time_zone* zone = default_zone;
  if (!zone_part.empty()) {
    zone = find_zone(zone_part);
    if (!zone) {
      error = fmt::format("'{}': unknown zone or offset '{}' (use +HH:MM, Z or an IANA name)", s,
                          zone_part);
      return false;
    }
  }
  if (!zone) {
    error = fmt::format(
        "'{}' has no UTC offset or zone: add one (Z, +01:00, Europe/London) or give --tz", s);
    return false;
  }
  auto local = date::local_seconds(seconds(local_us / 1000000 - (local_us % 1000000 < 0)));
  auto info = zone->get_info(local);
  if (info.result == date::local_info::ambiguous) {
    error = fmt::format(
        "'{}' is ambiguous in {} (the clocks went back: it happened twice); give the offset, "
        "{} or {}",
        s, zone->name(), format_offset(info.first.offset), format_offset(info.second.offset));
    return false;
  }
  if (info.result == date::local_info::nonexistent) {
    error = fmt::format("'{}' never happened in {} (the clocks went forward); give an offset", s,
                        zone->name());
    return false;
  }
  out = Instant(Micros(local_us - std::chrono::duration_cast<Micros>(info.first.offset).count()));
  return leap_ok(out);
}

bool parse_duration(std::string_view s, Micros& out) {
  if (s.empty()) return false;
  int64_t total = 0;
  size_t i = 0;
  while (i < s.size()) {
    int64_t n = 0;
    size_t start = i;
    while (i < s.size() && is_digit(s[i])) {
      n = n * 10 + (s[i] - '0');
      if (n > (int64_t(1) << 40)) return false;
      ++i;
    }
    if (i == start) return false;
    int64_t unit = 1000000;
    if (i < s.size()) {
      if (s.substr(i, 2) == "ms") {
        unit = 1000;
        i += 2;
      } else if (s.substr(i, 2) == "us") {
        unit = 1;
        i += 2;
      } else {
        switch (s[i]) {
          case 's':
            unit = 1000000;
            break;
          case 'm':
            unit = 60 * int64_t(1000000);
            break;
          case 'h':
            unit = 3600 * int64_t(1000000);
            break;
          case 'd':
            unit = 86400 * int64_t(1000000);
            break;
          default:
            return false;
        }
        ++i;
      }
    } else if (start != 0) {
      return false;  // "1h30" is unclear
    }
    // No duration a log or a user means is longer than kMaxLogSeconds; past
    // it the microseconds would overflow.
    constexpr int64_t kMaxMicros = kMaxLogSeconds * 1000000;
    if (n > kMaxMicros / unit || total > kMaxMicros - n * unit) return false;
    total += n * unit;
  }
  out = Micros(total);
  return true;
}

std::string format_duration(Micros d) {
  int64_t us = d.count();
  if (us == 0) return "0s";
  std::string out;
  if (us < 0) {
    out += '-';
    us = -us;
  }
  int64_t s = us / 1000000;
  int64_t rest = us % 1000000;
  if (s >= 86400 && s % 86400 == 0 && rest == 0) return out + fmt::format("{}d", s / 86400);
  if (s >= 3600) out += fmt::format("{}h", s / 3600), s %= 3600;
  if (s >= 60) out += fmt::format("{}m", s / 60), s %= 60;
  if (s || rest || out.empty() || out == "-") {
    if (rest)
      out += fmt::format("{}.{:06}s", s, rest);
    else
      out += fmt::format("{}s", s);
  }
  return out;
}

void append_rfc3339(std::string& out, Instant t, bool fraction) {
  int64_t us = t.time_since_epoch().count();
  int64_t secs = us / 1000000;
  int64_t sub = us % 1000000;
  if (sub < 0) sub += 1000000, --secs;
  int64_t days = secs / 86400;
  int64_t sod = secs % 86400;
  if (sod < 0) sod += 86400, --days;
  // civil_from_days (H. Hinnant)
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[40];
  char* end;
  if (y >= 0 && y <= 9999) {
    // (Every time a log holds: digits written here, not by a format string
    // parsed for each one; a batch formats tens of thousands.)
    auto digits = [](char* p, unsigned v, int n) {
      for (int i = n - 1; i >= 0; --i, v /= 10) p[i] = char('0' + v % 10);
      return p + n;
    };
    end = digits(buf, unsigned(y), 4);
    *end++ = '-';
    end = digits(end, m, 2);
    *end++ = '-';
    end = digits(end, d, 2);
    *end++ = 'T';
    end = digits(end, unsigned(sod / 3600), 2);
    *end++ = ':';
    end = digits(end, unsigned(sod / 60 % 60), 2);
    *end++ = ':';
    end = digits(end, unsigned(sod % 60), 2);
    if (fraction) {
      *end++ = '.';
      end = sub % 1000 == 0 ? digits(end, unsigned(sub / 1000), 3) : digits(end, unsigned(sub), 6);
    }
  } else {
    end = fmt::format_to(buf, "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, sod / 3600,
                         sod / 60 % 60, sod % 60);
    if (fraction) {
      if (sub % 1000 == 0)
        end = fmt::format_to(end, ".{:03}", sub / 1000);
      else
        end = fmt::format_to(end, ".{:06}", sub);
    }
  }
  *end++ = 'Z';
  out.append(buf, end - buf);
}

std::string format_rfc3339(Instant t, bool fraction) {
  std::string s;
  append_rfc3339(s, t, fraction);
  return s;
}

std::string format_local(Instant t, const date::time_zone* zone) {
  if (!zone) return format_rfc3339(t);
  auto secs = std::chrono::floor<seconds>(t);
  auto zt = date::make_zoned(zone, secs);
  return date::format("%F %T %Ez (%Z)", zt);
}

// The length other_reading takes a fold to have (see there).
constexpr Micros kFoldLength = std::chrono::hours(1);

Instant other_reading(Instant t, uint8_t flags) {
  if (!(flags & kLocalAmbiguous) || (flags & (kLocalLaterReading | kLocalReadingSettled)) ||
      t == kNoTime || t == kForever)
    return kNoTime;
  return t + kFoldLength;
}

void settle_fold_readings(std::vector<FoldLine>& lines, std::span<const FoldMark> later) {
  // The lines read the later way, by file and line, with the earliest time
  // among each one and those after it in its file.
  struct Back {
    uint32_t file;
    uint64_t line;
    Instant min_after;
  };
  std::vector<Back> back;
  for (const auto& l : lines)
    if ((*l.flags & kLocalAmbiguous) && (*l.flags & kLocalLaterReading))
      back.push_back({l.file, l.line, l.time});
  for (const auto& m : later) back.push_back({m.file, m.line, m.time});
  if (back.empty()) return;
  std::sort(back.begin(), back.end(), [](const Back& a, const Back& b) {
    return a.file != b.file ? a.file < b.file : a.line < b.line;
  });
  for (size_t k = back.size() - 1; k-- > 0;)
    if (back[k].file == back[k + 1].file)
      back[k].min_after = std::min(back[k].min_after, back[k + 1].min_after);
  // (The tolerance a log's order allows: lines written out of order by
  // a few seconds, as syslog relays do.)
  constexpr Micros kSlack = std::chrono::minutes(5);
  for (auto& l : lines) {
    if (!(*l.flags & kLocalAmbiguous) || (*l.flags & kLocalLaterReading)) continue;
    // The first line read the later way after this one in its file.
    auto it =
        std::upper_bound(back.begin(), back.end(), std::make_pair(l.file, l.line),
                         [](const std::pair<uint32_t, uint64_t>& key, const Back& b) {
                           return key.first != b.file ? key.first < b.file : key.second < b.line;
                         });
    if (it == back.end() || it->file != l.file) continue;
    if (l.time + kFoldLength > it->min_after + kSlack) *l.flags |= kLocalReadingSettled;
  }
}

LocalTimeConverter::LocalTimeConverter(const date::time_zone* zone) : zone_(zone) {}

Instant LocalTimeConverter::to_utc(int64_t local_day, int64_t micros_of_day, uint8_t& flags) {
  int64_t local_us = local_day * 86400000000LL + micros_of_day;
  if (local_day == cached_day_) {
    Instant t(Micros(local_us - cached_offset_us_));
    last_ = t;
    return t;
  }
  auto day_start = date::local_seconds(seconds(local_day * 86400));
  auto day_last = day_start + seconds(86399);
  auto a = zone_->get_info(day_start);
  auto b = zone_->get_info(day_last);
  if (a.result == date::local_info::unique && b.result == date::local_info::unique &&
      a.first.offset == b.first.offset) {
    cached_day_ = local_day;
    cached_offset_us_ = std::chrono::duration_cast<Micros>(a.first.offset).count();
    Instant t(Micros(local_us - cached_offset_us_));
    last_ = t;
    return t;
  }
  // A transition day: decide this one time on its own.
  int64_t local_s = local_us / 1000000 - (local_us % 1000000 < 0);
  auto info = zone_->get_info(date::local_seconds(seconds(local_s)));
  auto off = [](const date::sys_info& i) {
    return std::chrono::duration_cast<Micros>(i.offset).count();
  };
  Instant t;
  switch (info.result) {
    case date::local_info::unique:
      t = Instant(Micros(local_us - off(info.first)));
      break;
    case date::local_info::nonexistent:
      flags |= kLocalNonexistent;
      t = Instant(Micros(local_us - off(info.first)));
      break;
    case date::local_info::ambiguous: {
      flags |= kLocalAmbiguous;
      Instant earlier(Micros(local_us - off(info.first)));
      Instant later(Micros(local_us - off(info.second)));
      if (last_ != kNoTime && earlier < last_ - std::chrono::minutes(5)) {
        t = later;
        flags |= kLocalLaterReading;
      } else {
        t = earlier;
      }
      break;
    }
  }
  last_ = t;
  return t;
}

void YearTracker::begin_file(int configured_year, Instant reference, const date::time_zone* zone) {
  configured_ = configured_year;
  year_ = 0;
  first_year_ = 0;
  last_month_ = 0;
  // The reference's date where the file's lines were written; in an unknown
  // zone (none given, the machine's assumed) the UTC date, a day's leeway
  // for a zone ahead of it.
  date::sys_days days;
  if (zone) {
    days = date::sys_days(
        std::chrono::floor<date::days>(zone->to_local(reference).time_since_epoch()));
    leeway_days_ = 0;
  } else {
    days = std::chrono::floor<date::days>(reference);
    leeway_days_ = 1;
  }
  date::year_month_day ymd{days};
  ref_year_ = int(ymd.year());
  ref_days_ = days.time_since_epoch().count();
}

int YearTracker::year_for(unsigned month, unsigned day) {
  if (year_ == 0) {
    if (configured_) {
      year_ = configured_;
    } else {
      // The latest year that puts the date at or before the file time's
      // date (a line is written before its file's last write), one that has
      // the date (29 February: a leap year).
      for (int y = ref_year_ + 1; y >= ref_year_ - 4 && year_ == 0; --y)
        if (valid_date(y, month, day) && days_from_civil(y, month, day) <= ref_days_ + leeway_days_)
          year_ = y;
      if (year_ == 0) year_ = ref_year_;  // (no such date: the caller refuses it)
    }
    first_year_ = year_;
    last_month_ = month;
  } else if (month + 6 <= last_month_) {
    // December -> January. A small step back (Feb 1 then Jan 31) is a late
    // line, not a new year.
    ++year_;
    last_month_ = month;
  } else if (month == 12 && last_month_ == 1 && year_ > first_year_) {
    return year_ - 1;  // a late December line just after New Year
  } else if (month > last_month_) {
    last_month_ = month;
  }
  return year_;
}

}  // namespace tracekit

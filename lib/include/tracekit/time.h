// Instants, query-time parsing, and the conversion of zone-less and year-less
// log timestamps to UTC. Every instant inside tracekit is UTC with microsecond
// resolution; local time exists only at the edges (input and reports).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}

namespace tracekit {

using Micros = std::chrono::microseconds;
using Instant = std::chrono::time_point<std::chrono::system_clock, Micros>;
using LocalTime =
    std::chrono::time_point<std::chrono::system_clock, Micros>;  // zone-less wall clock

inline constexpr Instant kNoTime = Instant::min();
inline constexpr Instant kForever = Instant::max();

// What a timestamp's conversion to UTC depended on. Carried on records and
// shown with any answer they support.
enum TimeFlag : uint8_t {
  kLocalAmbiguous = 1 << 0,       // local time fell in a DST fold (occurs twice)
  kLocalNonexistent = 1 << 1,     // local time fell in a DST gap (never occurred)
  kYearInferred = 1 << 2,         // year-less date, year inferred (mtime / rollover)
  kZoneAssumed = 1 << 3,          // zone-less time, no zone configured: machine zone used
  kHasFraction = 1 << 4,          // the source gave sub-second precision
  kTimeLowerBound = 1 << 5,       // it happened at this time or some unrecorded time after
  kLocalLaterReading = 1 << 6,    // with kLocalAmbiguous: the later of the two, by log order
  kLocalReadingSettled = 1 << 7,  // with kLocalAmbiguous: a later line rules the other out
};

// The other reading of a DST-ambiguous local time (kLocalAmbiguous), else
// kNoTime. The later reading is taken only when the log went back in time,
// which rules the earlier out (a log is written in order): then there is
// none. The earlier is taken when nothing before says otherwise; lines after
// may (kLocalReadingSettled, see settle_fold_readings), else the later stays
// possible.
// The fold is taken as one hour, as in every zone with a fold in use but
// Lord Howe's (30 minutes): there it errs wide, never narrow.
Instant other_reading(Instant t, uint8_t flags);
// A log's line placed at the later reading of a fold proves every line
// before it in its file happened no later: a line read the earlier way whose
// other reading would come after it is settled (kLocalReadingSettled). Reads
// and updates the flags of events, each with its time, file and line.
struct FoldLine {
  Instant time;
  uint32_t file;
  uint64_t line;
  uint8_t* flags;
};
// A line read the later way (kLocalLaterReading), by file, line and time,
// whether or not it became an event: the scanner notes every one it reads
// (ScanFile::later_readings), so that what settles a line does not depend
// on which other lines a query kept (or a prefilter read for their time
// only).
struct FoldMark {
  uint32_t file;
  uint64_t line;
  Instant time;
};
void settle_fold_readings(std::vector<FoldLine>& lines, std::span<const FoldMark> later = {});

// The earlier and the later of a time and its other reading (kNoTime: none).
inline Instant earliest_reading(Instant t, Instant alt) {
  return alt == kNoTime ? t : std::min(t, alt);
}
inline Instant latest_reading(Instant t, Instant alt) {
  return alt == kNoTime ? t : std::max(t, alt);
}
// Whether an interval [start, end) whose ends may have other readings
// (start_alt, end_alt; kNoTime: none) meets [lo, hi] in some reading of
// them, and in every one.
struct FoldedSpan {
  Instant start, start_alt, end, end_alt;
  bool meets_in_some(Instant lo, Instant hi) const {
    return earliest_reading(start, start_alt) <= hi && latest_reading(end, end_alt) > lo;
  }
  bool meets_in_every(Instant lo, Instant hi) const {
    return latest_reading(start, start_alt) <= hi && earliest_reading(end, end_alt) > lo;
  }
};

// Returns nullptr for an unknown zone name. "UTC" and "Z" are always known.
const date::time_zone* find_zone(std::string_view name);
// The machine's zone ($TZ, else /etc/localtime), never null.
const date::time_zone* machine_zone();
std::string_view zone_name(const date::time_zone* zone);
// Version string of the tz database in use ("2024a"), or "unknown".
std::string tzdb_version();

// Parses a time given by a user or a query record: RFC 3339, 'YYYY-MM-DD
// HH:MM:SS[.frac] [±HH:MM|±HHMM|Z|UTC|ZONE]' (also with 'T'), '@EPOCH[.frac]'.
// A time with no zone or offset is read in `default_zone`, and refused when it
// is null. On failure returns false and says why in `error`.
bool parse_query_time(std::string_view s, const date::time_zone* default_zone, Instant& out,
                      std::string& error, uint8_t* flags = nullptr);

// Parses "90", "90s", "500ms", "2m", "1h30m", "12h", "1d" (no sign).
bool parse_duration(std::string_view s, Micros& out);
std::string format_duration(Micros d);

// "2026-04-23T15:19:00Z"; the fraction (6 digits, trailing zeros trimmed to
// 3 or 6) only when `fraction` is true.
void append_rfc3339(std::string& out, Instant t, bool fraction = false);
std::string format_rfc3339(Instant t, bool fraction = false);
// "2026-04-23 16:19:00 +01:00 (BST)" in the given zone, for reports and notes.
std::string format_local(Instant t, const date::time_zone* zone);

// The seconds a log's time or duration can be: within 9999 years of the
// epoch (9999-12-31T23:59:59Z). A field beyond that is corrupt, and its
// microseconds would overflow: parsers refuse it with log_seconds_ok.
inline constexpr int64_t kMaxLogSeconds = 253402300799;
constexpr bool log_seconds_ok(int64_t secs) {
  return secs >= -kMaxLogSeconds && secs <= kMaxLogSeconds;
}
constexpr bool log_millis_ok(int64_t ms) {
  return ms >= -kMaxLogSeconds * 1000 && ms <= kMaxLogSeconds * 1000;
}

// Seconds since the epoch as an instant; callers check log_seconds_ok first
// (this does not).
constexpr Instant from_epoch_seconds(int64_t secs) {
  return Instant(Micros(secs * 1000000));
}

// Days since 1970-01-01 for a proleptic Gregorian date (no validation).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
bool valid_date(int y, unsigned m, unsigned d);
// Month number 1-12 from "Jan".."Dec" (exact case as syslog writes it, or any
// case when `any_case`); 0 if not a month.
unsigned parse_month_abbrev(std::string_view s);

// Converts zone-less local date-times of one zone to UTC. Caches the offset of
// the last local day when the whole day has one offset, so the common case is
// an addition. A local time in a DST fold is resolved by log order (the later
// reading if the earlier one would go back in time relative to the previous
// line) and flagged; one in a DST gap is read with the offset in force before
// the gap and flagged.
class LocalTimeConverter {
 public:
  explicit LocalTimeConverter(const date::time_zone* zone);
  Instant to_utc(int64_t local_day, int64_t micros_of_day, uint8_t& flags);
  const date::time_zone* zone() const { return zone_; }
  void reset_order() { last_ = kNoTime; }

 private:
  const date::time_zone* zone_;
  int64_t cached_day_ = INT64_MIN;
  int64_t cached_offset_us_ = 0;  // local - utc
  Instant last_ = kNoTime;
};

// Gives years to year-less (syslog) dates read in file order. Without a
// configured year the first date is placed in the year that keeps it at or
// before the file's modification time; later dates roll the year forward
// whenever the month goes backwards (December -> January).
class YearTracker {
 public:
  // configured_year: the source's `year` (0 = none). reference: the file's
  // modification time, or the time of the run for stdin. zone: the zone of
  // the file's dates, null when it is not known (then UTC and a day more).
  void begin_file(int configured_year, Instant reference, const date::time_zone* zone = nullptr);
  int year_for(unsigned month, unsigned day);
  bool inferred() const { return configured_ == 0; }
  int first_year() const { return first_year_; }

 private:
  int configured_ = 0;
  int ref_year_ = 1970;
  int64_t ref_days_ = 0;  // the reference's date (days since 1970-01-01)
  int64_t leeway_days_ = 1;
  int year_ = 0;  // 0 until the first date
  int first_year_ = 0;
  unsigned last_month_ = 0;
};

}  // namespace tracekit

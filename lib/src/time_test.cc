#include "tracekit/time.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <random>

#include <catch2/catch.hpp>

using namespace tracekit;

namespace {
std::string q(std::string_view s, const char* zone = nullptr) {
  Instant t;
  std::string err;
  if (!parse_query_time(s, zone ? find_zone(zone) : nullptr, t, err)) return "ERR: " + err;
  return format_rfc3339(t, t.time_since_epoch().count() % 1000000 != 0);
}
Instant local_utc(const char* zone, int y, unsigned m, unsigned d, int hh, int mm, uint8_t& flags,
                  LocalTimeConverter* conv = nullptr) {
  LocalTimeConverter own(find_zone(zone));
  LocalTimeConverter& c = conv ? *conv : own;
  return c.to_utc(days_from_civil(y, m, d), (int64_t(hh) * 3600 + mm * 60) * 1000000, flags);
}
Instant at_utc(std::string_view s) {
  Instant t;
  std::string err;
  if (!parse_query_time(s, nullptr, t, err)) throw std::runtime_error(err);
  return t;
}
}  // namespace

TEST_CASE("query times: the forms DESIGN.md lists", "[time]") {
  CHECK(q("2026-04-23T15:19:00Z") == "2026-04-23T15:19:00Z");
  CHECK(q("2026-04-23 16:19:00 +01:00") == "2026-04-23T15:19:00Z");
  CHECK(q("2026-04-23T16:19:00+0100") == "2026-04-23T15:19:00Z");
  CHECK(q("2026-04-23 10:19:00.25 -05:00") == "2026-04-23T15:19:00.250Z");
  CHECK(q("2026-04-23 16:19:00 Europe/London") == "2026-04-23T15:19:00Z");
  CHECK(q("2026-04-23 15:19:00 UTC") == "2026-04-23T15:19:00Z");
  CHECK(q("@1776957540") == "2026-04-23T15:19:00Z");
  CHECK(q("@1776957540.5") == "2026-04-23T15:19:00.500Z");
}

TEST_CASE("query times: no zone is refused unless one is given", "[time]") {
  CHECK(q("2026-04-23 16:19:00").rfind("ERR: '2026-04-23 16:19:00' has no UTC offset", 0) == 0);
  CHECK(q("2026-04-23 16:19:00", "Europe/London") == "2026-04-23T15:19:00Z");
  CHECK(q("2026-01-23 16:19:00", "Europe/London") == "2026-01-23T16:19:00Z");
}

TEST_CASE("query times: DST-ambiguous and nonexistent local times are refused", "[time][dst]") {
  // Europe/London: clocks back 2026-10-25 02:00 BST -> 01:00 GMT; forward 2026-03-29 01:00 GMT.
  auto fold = q("2026-10-25 01:30:00", "Europe/London");
  CHECK(fold.find("ambiguous in Europe/London") != std::string::npos);
  CHECK(fold.find("+01:00 or +00:00") != std::string::npos);
  CHECK(q("2026-03-29 01:30:00", "Europe/London").find("never happened") != std::string::npos);
  // America/New_York: back 2026-11-01 02:00 EDT, forward 2026-03-08 02:00 EST.
  CHECK(q("2026-11-01 01:30:00", "America/New_York").find("ambiguous") != std::string::npos);
  CHECK(q("2026-03-08 02:30:00", "America/New_York").find("never happened") != std::string::npos);
  // With an offset the same wall time is fine.
  CHECK(q("2026-10-25 01:30:00 +00:00") == "2026-10-25T01:30:00Z");
}

TEST_CASE("query times: malformed input says what was expected", "[time]") {
  CHECK(q("yesterday").find("expected RFC 3339") != std::string::npos);
  CHECK(q("2026-02-30 10:00:00Z").find("not a valid calendar date") != std::string::npos);
  CHECK(q("2026-04-23 16:19:00 Mars/Olympus").find("unknown zone") != std::string::npos);
  CHECK(q("@12x").find("not an epoch time") != std::string::npos);
}

TEST_CASE("query times: a leap second only where one can be", "[time]") {
  // 2016-12-31T23:59:60Z was one: kept inside its minute, in UTC or local.
  CHECK(q("2016-12-31T23:59:60Z") == "2016-12-31T23:59:59Z");
  CHECK(q("2016-12-31T23:59:60.5Z") == "2016-12-31T23:59:59.500Z");
  CHECK(q("2017-01-01 00:59:60 +01:00") == "2016-12-31T23:59:59Z");
  CHECK(q("2015-06-30 23:59:60 UTC") == "2015-06-30T23:59:59Z");
  // Any other :60 is a typing error, not a time to round.
  CHECK(q("2026-10-24 10:05:60Z").find("leap second") != std::string::npos);
  CHECK(q("2016-12-31 23:59:60 +01:00").find("leap second") != std::string::npos);
  CHECK(q("2016-12-30T23:59:60Z").find("leap second") != std::string::npos);
  CHECK(q("2016-12-31T23:58:60Z").find("leap second") != std::string::npos);
  CHECK(q("2016-12-31 23:59:61Z").find("not a valid calendar date") != std::string::npos);
}

TEST_CASE("durations", "[time]") {
  Micros d;
  REQUIRE(parse_duration("10s", d));
  CHECK(d == std::chrono::seconds(10));
  REQUIRE(parse_duration("1h30m", d));
  CHECK(d == std::chrono::minutes(90));
  REQUIRE(parse_duration("500ms", d));
  CHECK(d == std::chrono::milliseconds(500));
  REQUIRE(parse_duration("90", d));
  CHECK(d == std::chrono::seconds(90));
  CHECK_FALSE(parse_duration("1h30", d));
  CHECK_FALSE(parse_duration("ten", d));
  // Regression (fuzz: time/duration-days-overflow): a count whose
  // microseconds overflow is refused, not wrapped.
  CHECK_FALSE(parse_duration("177700000d", d));
  CHECK_FALSE(parse_duration("60000000h60000000h", d));
  REQUIRE(parse_duration("3650d", d));
  CHECK(d == std::chrono::hours(24 * 3650));
  Instant t;
  std::string error;
  CHECK_FALSE(parse_query_time("@17720266924100", nullptr, t, error));
  CHECK(format_duration(std::chrono::hours(12)) == "12h");
  CHECK(format_duration(std::chrono::seconds(90)) == "1m30s");
  CHECK(format_duration(std::chrono::hours(48)) == "2d");
}

TEST_CASE("local log times across DST in Europe/London", "[time][dst]") {
  uint8_t f = 0;
  CHECK(format_rfc3339(local_utc("Europe/London", 2026, 7, 1, 12, 0, f)) == "2026-07-01T11:00:00Z");
  CHECK(f == 0);
  // 01:30 on 2026-03-29 never happened: read with the offset before (GMT), flagged.
  f = 0;
  CHECK(format_rfc3339(local_utc("Europe/London", 2026, 3, 29, 1, 30, f)) ==
        "2026-03-29T01:30:00Z");
  CHECK(f == kLocalNonexistent);
}

TEST_CASE("local log times in a DST fold are placed by log order", "[time][dst]") {
  // America/New_York 2026-11-01: 01:00-02:00 happens twice (EDT then EST).
  LocalTimeConverter c(find_zone("America/New_York"));
  uint8_t f = 0;
  CHECK(format_rfc3339(local_utc("America/New_York", 2026, 11, 1, 0, 50, f, &c)) ==
        "2026-11-01T04:50:00Z");
  CHECK(f == 0);
  CHECK(format_rfc3339(local_utc("America/New_York", 2026, 11, 1, 1, 40, f, &c)) ==
        "2026-11-01T05:40:00Z");  // first pass, EDT
  CHECK(f == kLocalAmbiguous);
  f = 0;
  // The log goes back to 01:05: that is the second pass, EST.
  CHECK(format_rfc3339(local_utc("America/New_York", 2026, 11, 1, 1, 5, f, &c)) ==
        "2026-11-01T06:05:00Z");
  CHECK(f == (kLocalAmbiguous | kLocalLaterReading));
  // The other reading of the first is an hour later; the second has none:
  // the log's going back ruled the first pass out.
  CHECK(format_rfc3339(other_reading(at_utc("2026-11-01T05:40:00Z"), kLocalAmbiguous)) ==
        "2026-11-01T06:40:00Z");
  CHECK(other_reading(at_utc("2026-11-01T06:05:00Z"), f) == kNoTime);
  CHECK(other_reading(at_utc("2026-11-01T07:05:00Z"), 0) == kNoTime);
  f = 0;
  CHECK(format_rfc3339(local_utc("America/New_York", 2026, 11, 1, 2, 5, f, &c)) ==
        "2026-11-01T07:05:00Z");
  CHECK(f == 0);
}

TEST_CASE("a line read at the second pass of a fold settles the lines before it", "[time][dst]") {
  // Europe/London, 25 October 2026. A log's lines: 01:02 and 01:20 (read
  // the first way, 00:02Z and 00:20Z), then 01:05, read the second way
  // (01:05Z) because the log went back. 01:20 cannot have been 01:20Z: it
  // came before 01:05Z. 01:02 could have been 01:02Z.
  uint8_t a = kLocalAmbiguous, b = kLocalAmbiguous, back = kLocalAmbiguous | kLocalLaterReading,
          other_file = kLocalAmbiguous;
  std::vector<FoldLine> lines{{at_utc("2026-10-25T00:02:00Z"), 0, 1, &a},
                              {at_utc("2026-10-25T00:20:00Z"), 0, 2, &b},
                              {at_utc("2026-10-25T01:05:00Z"), 0, 3, &back},
                              {at_utc("2026-10-25T00:20:00Z"), 1, 1, &other_file}};
  settle_fold_readings(lines);
  CHECK(a == kLocalAmbiguous);
  CHECK(b == (kLocalAmbiguous | kLocalReadingSettled));
  CHECK(other_file == kLocalAmbiguous);
  CHECK(other_reading(at_utc("2026-10-25T00:02:00Z"), a) != kNoTime);
  CHECK(other_reading(at_utc("2026-10-25T00:20:00Z"), b) == kNoTime);
}

TEST_CASE("year inference from the file time, with New Year rollover", "[time][year]") {
  YearTracker y;
  Instant mtime;
  std::string err;
  REQUIRE(parse_query_time("2027-01-02T03:00:00Z", nullptr, mtime, err));
  y.begin_file(0, mtime);
  CHECK(y.year_for(12, 30) == 2026);  // December before a January mtime
  CHECK(y.year_for(12, 31) == 2026);
  CHECK(y.year_for(1, 1) == 2027);    // months went backwards: new year
  CHECK(y.year_for(12, 31) == 2026);  // a late December line right after New Year
  CHECK(y.year_for(1, 2) == 2027);
  CHECK(y.inferred());
  CHECK(y.first_year() == 2026);
}

TEST_CASE("year inference: a zone ahead of UTC is a day ahead of the file time", "[time][year]") {
  // A log in Tokyo (UTC+9) whose first line is of New Year's Day, written
  // at 08:35 local time: 23:35 UTC on 31 December.
  Instant mtime;
  std::string err;
  REQUIRE(parse_query_time("2025-12-31T23:35:00Z", nullptr, mtime, err));
  YearTracker y;
  y.begin_file(0, mtime);
  CHECK(y.year_for(1, 1) == 2026);
  CHECK(y.first_year() == 2026);
  // Two days ahead is not this year's: the file was written before.
  YearTracker later;
  later.begin_file(0, mtime);
  CHECK(later.year_for(1, 2) == 2025);
  // A month's end likewise: 1 May in Tokyo, written on 30 April (UTC).
  REQUIRE(parse_query_time("2026-04-30T20:00:00Z", nullptr, mtime, err));
  YearTracker may;
  may.begin_file(0, mtime);
  CHECK(may.year_for(5, 1) == 2026);
}

TEST_CASE("year inference: the file time's date in the file's zone", "[time][year]") {
  Instant mtime;
  std::string err;
  // A yearly file of New York, 1 January to 31 December 2025, last written
  // at 19:00 local time on 31 December: 00:00 UTC on 1 January 2026. Its
  // first line is of 1 January 2025, not 2026.
  REQUIRE(parse_query_time("2026-01-01T00:00:00Z", nullptr, mtime, err));
  YearTracker ny;
  ny.begin_file(0, mtime, find_zone("America/New_York"));
  CHECK(ny.year_for(1, 1) == 2025);
  // The same in Tokyo, where that instant is already 1 January 2026.
  YearTracker tokyo;
  tokyo.begin_file(0, mtime, find_zone("Asia/Tokyo"));
  CHECK(tokyo.year_for(1, 1) == 2026);
  // In an unknown zone the UTC date and a day's leeway, as before.
  YearTracker unknown;
  unknown.begin_file(0, mtime);
  CHECK(unknown.year_for(1, 2) == 2026);
}

TEST_CASE("year inference: 29 February is put in a leap year", "[time][year]") {
  Instant mtime;
  std::string err;
  REQUIRE(parse_query_time("2027-03-10T12:00:00Z", nullptr, mtime, err));
  YearTracker y;
  y.begin_file(0, mtime, find_zone("UTC"));
  CHECK(y.year_for(2, 29) == 2024);
  CHECK(y.first_year() == 2024);
  YearTracker leap;
  REQUIRE(parse_query_time("2028-03-01T12:00:00Z", nullptr, mtime, err));
  leap.begin_file(0, mtime, find_zone("UTC"));
  CHECK(leap.year_for(2, 29) == 2028);
}

TEST_CASE("year inference: small steps back are late lines, not a new year", "[time][year]") {
  YearTracker y;
  Instant mtime;
  std::string err;
  REQUIRE(parse_query_time("2026-03-01T00:00:00Z", nullptr, mtime, err));
  y.begin_file(0, mtime);
  CHECK(y.year_for(2, 1) == 2026);
  CHECK(y.year_for(1, 31) == 2026);
  CHECK(y.year_for(2, 2) == 2026);
}

TEST_CASE("year inference: a configured year is the first line's", "[time][year]") {
  YearTracker y;
  y.begin_file(2025, Instant{});
  CHECK(y.year_for(11, 5) == 2025);
  CHECK(y.year_for(1, 5) == 2026);
  CHECK_FALSE(y.inferred());
}

TEST_CASE("RFC 3339 output", "[time]") {
  CHECK(format_rfc3339(Instant(Micros(0))) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(Instant(Micros(1500000)), true) == "1970-01-01T00:00:01.500Z");
  CHECK(format_rfc3339(Instant(Micros(1000001)), true) == "1970-01-01T00:00:01.000001Z");
  CHECK(format_rfc3339(Instant(Micros(-1000000))) == "1969-12-31T23:59:59Z");
  // Every field's digits, against date's own formatting, over instants from
  // year 0 to 9999 (and either side of those, where the text has no four
  // digits of year), whole seconds, milliseconds and microseconds.
  const int64_t first = -62167219200LL * 1000000, last = 253402300799LL * 1000000 + 999999;
  std::mt19937_64 rng(7);
  std::vector<int64_t> us = {
      first, last, first - 1, last + 1, 951782400LL * 1000000 - 1, 4107542399LL * 1000000 + 999000};
  for (int i = 0; i < 3000; ++i) {
    int64_t v = first + int64_t(rng() % uint64_t(last - first + 1));
    us.push_back(i % 3 == 0 ? v - v % 1000000 : i % 3 == 1 ? v - v % 1000 : v);
  }
  for (int64_t v : us) {
    Instant t{Micros(v)};
    auto secs = std::chrono::floor<std::chrono::seconds>(t);
    int64_t sub = v - secs.time_since_epoch().count() * 1000000;
    std::string want = date::format("%FT%TZ", secs);
    if (v >= first && v <= last) {
      INFO(v);
      CHECK(format_rfc3339(t) == want);
      std::string frac =
          sub % 1000 == 0 ? fmt::format(".{:03}", sub / 1000) : fmt::format(".{:06}", sub);
      CHECK(format_rfc3339(t, true) == want.substr(0, want.size() - 1) + frac + "Z");
    } else {  // (the years' text by fmt: not four digits)
      CHECK(format_rfc3339(t) == (v < first ? "-001-12-31T23:59:59Z" : "10000-01-01T00:00:00Z"));
    }
  }
  CHECK(format_local(Instant(Micros(int64_t(1776957540) * 1000000)), find_zone("Europe/London")) ==
        "2026-04-23 16:19:00 +01:00 (BST)");
}

TEST_CASE("month abbreviations as syslog writes them", "[time]") {
  const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned m = 0; m < 12; ++m) CHECK(parse_month_abbrev(names[m]) == m + 1);
  for (const char* bad : {"jan", "JAN", "Ju", "June", "Jux", "Sap", ""})
    CHECK(parse_month_abbrev(bad) == 0);
}

// gen-directory-csv: a synthetic HR directory export (CSV with a header) for
// the trace-owner benchmark, deterministic from --seed.
//
//   login,name,email,employee_id,department,valid_from,valid_to
//   jdoe48213,"Doe, Jane",jane.doe48213@example.org,E0048213,Physics,2019-09-01,
//
// --rows people, one row each, most of them dated (valid_from, sometimes
// valid_to); about one name in eight written "Surname, Given" (so quoted), a
// few with a doubled quote ("O""Brien"); about 4% undated rows. About 5% of the
// logins are reused: the account's first holder left (valid_to), and a second
// person got the same login from that day on (the next row). Every login is
// the first initial, the surname and the row number, so the logins are unique
// apart from the reused ones.
//
// --plant LOGIN (at half of --rows): the login is reused, "Former Holder"
// from 2015-09-01 to 2024-09-01, then "Pat Planted" (employee id P0000001,
// department Security) from 2024-09-01 with no end; stderr says so. A query
// for LOGIN at any time from 2024-09-01 on answers exactly Pat Planted.
//
// --queries FILE (--query-count rows, 10000): `user time expect_id` rows
// (TSV with a header) for trace-owner's batch: the planted login first (at
// 2026-11-20T12:00:00Z), then rows spread over the file, each asked at a time
// inside its row's validity (for a reused login, inside the holder's own
// years), with the employee id that row has.
//
// Written through a 4 MiB buffer with memcpy; no allocation per row.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gen_common.h"

using namespace benchgen;

namespace {

constexpr std::string_view kTool = "gen-directory-csv";

[[noreturn]] void usage_error(std::string_view msg) {
  fmt::print(stderr, "{}: {}\n", kTool, msg);
  fmt::print(stderr,
             "usage: {} [--seed N] [--rows N] [--out FILE] [--plant LOGIN]\n"
             "       [--queries FILE] [--query-count N]\n",
             kTool);
  std::exit(2);
}

constexpr std::string_view kGiven[] = {
    "Jane",   "John",   "Alex",   "Chloe",  "Mohammed", "Priya",  "Wei",    "Sofia",  "Liam",
    "Olivia", "Noah",   "Emma",   "Lucas",  "Mia",      "Yusuf",  "Hannah", "Tomasz", "Aoife",
    "Kenji",  "Fatima", "Daniel", "Grace",  "Mateo",    "Leila",  "Oscar",  "Ingrid", "Ravi",
    "Zoe",    "Samuel", "Amara",  "Felix",  "Nadia",    "Hugo",   "Elif",   "Ben",    "Maya"};
constexpr std::string_view kSurname[] = {
    "Doe",    "Smith",    "Nguyen",  "Patel",  "Garcia",  "Chen",    "Jones",   "Wilson",
    "Brown",  "Lee",      "Kim",     "White",  "Martin",  "Kowalski", "Murphy", "Tanaka",
    "Haddad", "Rossi",    "Schmidt", "Dubois", "Larsen",  "Okafor",  "Silva",   "Novak",
    "Ahmed",  "Fischer",  "Moreau",  "Cohen",  "Walsh",   "Ivanova", "Singh",   "Berg",
    "Clarke", "Petrov",   "Yilmaz",  "Costa",  "Hughes",  "Ward",    "Lopez",   "Sato"};
constexpr std::string_view kDept[] = {
    "Physics",   "Computing", "History",  "Chemistry", "Mathematics", "Biology",
    "Economics", "Law",       "Medicine", "Library",   "Estates",     "IT Services",
    "Music",     "Geography", "Finance",  "Human Resources"};

template <size_t N>
constexpr uint32_t count(const std::string_view (&)[N]) {
  return uint32_t(N);
}

// Lower-case ASCII copy (the names above are ASCII).
void put_lower(Out& o, std::string_view s) {
  for (char c : s) o.put(char(c >= 'A' && c <= 'Z' ? c + 32 : c));
}

// A date as YYYY-MM-DD from days since 1970-01-01.
void put_date(Out& o, int64_t days) {
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  const unsigned v[] = {unsigned(y) / 1000 % 10, unsigned(y) / 100 % 10, unsigned(y) / 10 % 10,
                        unsigned(y) % 10, m / 10, m % 10, d / 10, d % 10};
  const char text[] = {char('0' + v[0]), char('0' + v[1]), char('0' + v[2]), char('0' + v[3]), '-',
                       char('0' + v[4]), char('0' + v[5]), '-', char('0' + v[6]), char('0' + v[7])};
  o.put(std::string_view(text, sizeof text));
}

struct Person {
  uint32_t given, surname, dept;
  bool comma_name;   // written "Surname, Given" (quoted)
  bool quote_name;   // O"Name: a doubled quote inside a quoted field
};

struct Query {
  uint64_t row;      // the row number, for the login
  Person login_of;   // whose initial and surname make the login
  int64_t at_days;   // the time asked (noon of that day)
  uint64_t id;       // the employee id expected
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = 42;
  uint64_t rows = 1000000;
  std::string out_path = "-";
  std::string plant;
  std::string queries_path;
  uint64_t query_count = 10000;
  for (int k = 1; k < argc; ++k) {
    std::string_view a = argv[k];
    auto value = [&]() -> std::string_view {
      if (k + 1 >= argc) usage_error(fmt::format("{} needs a value", a));
      return argv[++k];
    };
    auto number = [&](std::string_view v) {
      uint64_t n = 0;
      auto r = std::from_chars(v.data(), v.data() + v.size(), n);
      if (r.ec != std::errc() || r.ptr != v.data() + v.size())
        usage_error(fmt::format("{}: not a number: {}", a, v));
      return n;
    };
    if (a == "--seed")
      seed = number(value());
    else if (a == "--rows")
      rows = number(value());
    else if (a == "--out")
      out_path = value();
    else if (a == "--plant")
      plant = value();
    else if (a == "--queries")
      queries_path = value();
    else if (a == "--query-count")
      query_count = number(value());
    else
      usage_error(fmt::format("unknown option {}", a));
  }
  if (rows == 0) usage_error("--rows must be at least 1");
  if (plant.find_first_of(",\"\n\r ") != std::string::npos || plant.size() > 64)
    usage_error("--plant: a login without spaces, commas or quotes, up to 64 characters");

  FILE* out = create_output(kTool, out_path);
  if (!out) return 1;
  Rng rng(seed);
  constexpr size_t kBuf = 4 << 20;
  auto buf = std::make_unique<char[]>(kBuf + 4096);
  Out o{buf.get()};
  auto flush = [&] {
    std::fwrite(buf.get(), 1, size_t(o.p - buf.get()), out);
    o.p = buf.get();
  };
  uint64_t bytes = 0, written_rows = 0, reused = 0, undated = 0;
  auto end_row = [&] {
    o.put('\n');
    ++written_rows;
    if (size_t(o.p - buf.get()) >= kBuf) {
      bytes += uint64_t(o.p - buf.get());
      flush();
    }
  };

  // Queries are picked as the rows are written: every so many rows.
  std::vector<Query> queries;
  const uint64_t query_every = query_count ? std::max<uint64_t>(1, rows / query_count) : 0;
  if (!queries_path.empty()) queries.reserve(size_t(query_count) + 1);

  const int64_t day0 = days_from_civil(2005, 9, 1);  // the oldest valid_from
  const int64_t day_end = days_from_civil(2026, 11, 1);
  const uint64_t plant_row = rows / 2;
  std::string plant_line;

  o.put("login,name,email,employee_id,department,valid_from,valid_to\n");
  uint64_t next_id = 1;
  auto write_row = [&](uint64_t row, const Person& login_of, const Person& p, uint64_t id,
                       int64_t from, int64_t to) {
    // login: initial, surname, row number (lower case)
    put_lower(o, kGiven[login_of.given].substr(0, 1));
    put_lower(o, kSurname[login_of.surname]);
    o.num(row);
    o.put(',');
    std::string_view given = kGiven[p.given], sur = kSurname[p.surname];
    if (p.quote_name) {
      o.put("\"O\"\"");
      o.put(sur);
      o.put(", ");
      o.put(given);
      o.put('"');
    } else if (p.comma_name) {
      o.put('"');
      o.put(sur);
      o.put(", ");
      o.put(given);
      o.put('"');
    } else {
      o.put(given);
      o.put(' ');
      o.put(sur);
    }
    o.put(',');
    put_lower(o, given);
    o.put('.');
    put_lower(o, sur);
    o.num(id);
    o.put("@example.org,E");
    // Seven digits, zero-padded (ids stay below 10^7 up to ten million rows).
    for (uint64_t div = 1000000; div; div /= 10) o.put(char('0' + id / div % 10));
    o.put(',');
    o.put(kDept[p.dept]);
    o.put(',');
    if (from >= 0) put_date(o, from);
    o.put(',');
    if (to >= 0) put_date(o, to);
    end_row();
  };
  auto random_person = [&] {
    Person p{};
    p.given = rng.below(count(kGiven));
    p.surname = rng.below(count(kSurname));
    p.dept = rng.below(count(kDept));
    p.comma_name = rng.chance(0.125);
    p.quote_name = !p.comma_name && rng.chance(0.002);
    return p;
  };

  for (uint64_t row = 0; row < rows; ++row) {
    if (!plant.empty() && row == plant_row) {
      // The planted login, reused: its first holder, then Pat Planted.
      const int64_t from0 = days_from_civil(2015, 9, 1), handover = days_from_civil(2024, 9, 1);
      o.put(plant);
      o.put(",Former Holder,former.holder@example.org,F0000001,Estates,");
      put_date(o, from0);
      o.put(',');
      put_date(o, handover);
      end_row();
      o.put(plant);
      o.put(",Pat Planted,pat.planted@example.org,P0000001,Security,");
      put_date(o, handover);
      o.put(',');
      end_row();
      plant_line = fmt::format("planted login {}: Former Holder (F0000001) {} to {}, then Pat "
                               "Planted (P0000001) from {}",
                               plant, iso(from0 * 86400).substr(0, 10),
                               iso(handover * 86400).substr(0, 10),
                               iso(handover * 86400).substr(0, 10));
    }
    Person p = random_person();
    const uint64_t id = next_id++;
    const int64_t from = day0 + int64_t(rng.below(uint32_t(day_end - day0 - 400)));
    const bool dated = !rng.chance(0.04);
    const bool is_reused = dated && rng.chance(0.05);
    // Some leave: a valid_to a year to ten years after valid_from.
    int64_t to = -1;
    if (is_reused || rng.chance(0.2))
      to = std::min<int64_t>(from + 365 + int64_t(rng.below(3300)), day_end - 30);
    if (!dated) ++undated;
    write_row(row, p, p, id, dated ? from : -1, dated ? to : -1);
    const bool ask = query_every && queries.size() < query_count && row % query_every == 0;
    if (ask) {
      int64_t at = dated ? from + (to >= 0 ? (to - from) / 2 : 30) : day_end;
      queries.push_back({row, p, at, id});
    }
    if (is_reused) {
      // The same login for another person from the day the first one left.
      Person q = random_person();
      const uint64_t id2 = next_id++;
      ++reused;
      write_row(row, p, q, id2, to, -1);
      if (ask && rng.chance(0.5)) queries.back() = {row, p, to + 10, id2};
    }
  }
  bytes += uint64_t(o.p - buf.get());
  flush();
  if (out != stdout && std::fclose(out) != 0) {
    fmt::print(stderr, "{}: cannot write {}\n", kTool, out_path);
    return 1;
  }
  if (out == stdout) std::fflush(stdout);

  if (!queries_path.empty()) {
    FILE* q = create_output(kTool, queries_path);
    if (!q) return 1;
    std::string text = "user\ttime\texpect_id\n";
    if (!plant.empty()) text += fmt::format("{}\t2026-11-20T12:00:00Z\tP0000001\n", plant);
    for (const Query& x : queries) {
      std::string login;
      for (char c : kGiven[x.login_of.given].substr(0, 1)) login += char(c >= 'A' && c <= 'Z' ? c + 32 : c);
      for (char c : kSurname[x.login_of.surname]) login += char(c >= 'A' && c <= 'Z' ? c + 32 : c);
      text += fmt::format("{}{}\t{}T12:00:00Z\tE{:07}\n", login, x.row,
                          iso(x.at_days * 86400).substr(0, 10), x.id);
    }
    std::fwrite(text.data(), 1, text.size(), q);
    if (std::fclose(q) != 0) {
      fmt::print(stderr, "{}: cannot write {}\n", kTool, queries_path);
      return 1;
    }
  }
  fmt::print(stderr, "{}: seed {}: wrote {} rows, {} bytes\n", kTool, seed, written_rows, bytes);
  fmt::print(stderr, "{}: {} people, {} logins reused by a second person, {} undated rows\n",
             kTool, next_id - 1, reused, undated);
  if (!plant_line.empty()) fmt::print(stderr, "{}: {}\n", kTool, plant_line);
  if (!queries_path.empty())
    fmt::print(stderr, "{}: {} queries in {}\n", kTool, queries.size() + (plant.empty() ? 0 : 1),
               queries_path);
  return 0;
}

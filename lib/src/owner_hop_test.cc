#include "tracekit/owner_hop.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "parse_harness.h"

using namespace tracekit;

namespace {

Instant at(std::string_view s) {
  Instant t;
  std::string err;
  if (!parse_query_time(s, nullptr, t, err)) throw std::runtime_error(err);
  return t;
}

// A directory source over a file written with `text`.
SourceSpec directory(const std::string& file, const std::string& format, std::string_view text) {
  SourceSpec s = test::source_file("owner-hop-test", file, format, text);
  s.tz = "UTC";
  return s;
}

struct Fixture {
  ToolRun run{"trace-owner"};
  std::vector<SourceSpec> dirs;
  OwnerHopSettings settings;
  std::unique_ptr<OwnerHop> hop;
  std::vector<OwnerQuery> queries;

  Fixture() { run.diag = Diagnostics("trace-owner", false, nullptr); }
  void ask(std::string_view key, std::string_view time = "") {
    OwnerQuery q;
    std::string err;
    REQUIRE(owner_query_from_args(key, time.empty() ? kNoTime : at(time), q, err));
    queries.push_back(std::move(q));
  }
  std::vector<Row> answer(size_t k = 0) {
    if (!hop) {
      hop = std::make_unique<OwnerHop>(run, dirs, settings);
      REQUIRE(hop->load(queries));
    }
    return hop->answer(queries[k]);
  }
};

std::string f(const Row& r, std::string_view name) {
  return get_text(r, name);
}

constexpr std::string_view kPeople =
    "login,name,email,id,unit,valid_from,valid_to\n"
    "jdoe,\"Doe, Jane\",jane.doe@example.org,E1001,Physics,2020-09-01,2026-07-01\n"
    "jdoe,John Dale,john.dale@example.org,E2044,History,2026-07-01,\n"
    "asmith,Alex Smith,alex.smith@example.org,E1002,Computing,,\n"
    "pwong,Priya Wong,,E1004,Physics,2024-01-01,2025-01-01\n"
    "pwong,Paul Wong,,E1005,Chemistry,2024-06-01,\n";

}  // namespace

TEST_CASE("owner: login normalisation rules", "[owner][hop]") {
  DirectorySettings all;
  CHECK(normalise_login("CORP\\JDoe", all) == "jdoe");
  CHECK(normalise_login("JDoe@CORP.EXAMPLE.ORG", all) == "jdoe");
  CHECK(normalise_login("CORP\\jdoe@corp.example.org", all) == "jdoe");
  CHECK(normalise_login("jdoe", all) == "jdoe");
  CHECK(normalise_login("@jdoe", all) == "@jdoe");    // nothing before the '@'
  CHECK(normalise_login("Jürgen", all) == "jürgen");  // ASCII letters only
  DirectorySettings none;
  none.strip_domain = none.strip_realm = none.fold_case = false;
  CHECK(normalise_login("CORP\\JDoe@x", none) == "CORP\\JDoe@x");
  DirectorySettings realm_only = none;
  realm_only.strip_realm = true;
  CHECK(normalise_login("CORP\\JDoe@x", realm_only) == "CORP\\JDoe");
}

TEST_CASE("owner: query keys from rows", "[owner][hop]") {
  OwnerQuery q;
  std::string err;
  Row login = Row::parse(
      R"({"time":"2026-04-23T15:19:00Z","host":"ws1","login":{"match":"exact","user":"CORP\\jdoe"}})");
  REQUIRE(owner_query_from_row(login, "", nullptr, q, err));
  REQUIRE(q.keys.size() == 1);
  CHECK(q.keys[0].field == "login.user");
  CHECK(q.keys[0].login == "CORP\\jdoe");
  CHECK(q.time == at("2026-04-23T15:19:00Z"));

  Row lease = Row::parse(
      R"({"ip":"10.20.3.44","lease":{"match":"exact","ip":"10.20.3.44","mac":"52:54:00:12:34:05"}})");
  REQUIRE(owner_query_from_row(lease, "", nullptr, q, err));
  REQUIRE(q.keys.size() == 2);
  CHECK(q.keys[0].field == "lease.mac");
  CHECK(q.keys[0].kind == OwnerKeyKind::mac);
  CHECK(q.keys[1].field == "lease.ip");
  CHECK(q.time == kNoTime);

  Row failed = Row::parse(R"({"ip":"10.20.3.99","lease":{"match":"none","ip":""}})");
  REQUIRE(owner_query_from_row(failed, "", nullptr, q, err));
  CHECK(q.skipped);

  Row other = Row::parse(R"({"ticket":"CSIRT-1","account":"jdoe"})");
  CHECK_FALSE(owner_query_from_row(other, "", nullptr, q, err));
  CHECK(err ==
        "no login.user, user, lease.mac, lease.ip, mac or ip field to look up (name one with "
        "--key)");
  REQUIRE(owner_query_from_row(other, "account", nullptr, q, err));
  CHECK(q.keys[0].login == "jdoe");

  Row bad_time = Row::parse(R"({"user":"jdoe","time":"yesterday"})");
  CHECK_FALSE(owner_query_from_row(bad_time, "", nullptr, q, err));
  CHECK(err.rfind("field time: ", 0) == 0);
}

TEST_CASE("owner: a reused login answers with the owner valid at the time", "[owner][hop]") {
  Fixture fx;
  fx.dirs.push_back(directory("people.csv", "csv", kPeople));
  fx.ask("jdoe", "2026-04-23T15:19:00Z");
  fx.ask("JDOE", "2026-08-01T00:00:00Z");
  fx.ask("jdoe");
  fx.ask("jdoe", "2019-01-01T00:00:00Z");
  auto a = fx.answer(0);
  REQUIRE(a.size() == 1);
  CHECK(f(a[0], "owner.match") == "exact");
  CHECK(f(a[0], "owner.user") == "jdoe");
  CHECK(f(a[0], "owner.name") == "Doe, Jane");
  CHECK(f(a[0], "owner.id") == "E1001");
  CHECK(f(a[0], "owner.unit") == "Physics");
  CHECK_FALSE(a[0]["owner"].contains("email"));  // not asked for
  CHECK(f(a[0], "owner.evidence").find("people.csv:2") != std::string::npos);
  CHECK(f(a[0], "owner.note") == "valid 2020-09-01T00:00:00Z to 2026-07-01T00:00:00Z");

  auto b = fx.answer(1);
  REQUIRE(b.size() == 1);
  CHECK(f(b[0], "owner.name") == "John Dale");
  CHECK(f(b[0], "owner.note") == "normalised from JDOE; valid from 2026-07-01T00:00:00Z");

  auto c = fx.answer(2);  // no time: both owners
  REQUIRE(c.size() == 2);
  CHECK(f(c[0], "owner.match") == "ambiguous");
  CHECK(f(c[0], "owner.name") == "Doe, Jane");
  CHECK(f(c[1], "owner.name") == "John Dale");
  CHECK(
      f(c[0], "owner.note").rfind("2 owners over time and no time asked: give one to choose", 0) ==
      0);

  auto d = fx.answer(3);
  REQUIRE(d.size() == 1);
  CHECK(f(d[0], "owner.match") == "none");
  CHECK(f(d[0], "owner.note") ==
        "no entry valid at 2019-01-01T00:00:00Z: Doe, Jane valid 2020-09-01T00:00:00Z to "
        "2026-07-01T00:00:00Z, John Dale valid from 2026-07-01T00:00:00Z");
}

TEST_CASE("owner: overlapping validity is ambiguous", "[owner][hop]") {
  Fixture fx;
  fx.dirs.push_back(directory("people.csv", "csv", kPeople));
  fx.ask("pwong", "2024-07-01T00:00:00Z");
  fx.ask("pwong", "2025-02-01T00:00:00Z");
  auto a = fx.answer(0);
  REQUIRE(a.size() == 2);
  CHECK(f(a[0], "owner.match") == "ambiguous");
  CHECK(f(a[0], "owner.name") == "Priya Wong");
  CHECK(f(a[1], "owner.name") == "Paul Wong");
  CHECK(f(a[1], "owner.note") ==
        "2 entries disagree and are valid at the time asked; valid from 2024-06-01T00:00:00Z");
  auto b = fx.answer(1);
  REQUIRE(b.size() == 1);
  CHECK(f(b[0], "owner.match") == "exact");
  CHECK(f(b[0], "owner.name") == "Paul Wong");
}

TEST_CASE("owner: undated entries say so; agreeing sources merge, disagreeing ones do not",
          "[owner][hop]") {
  Fixture fx;
  fx.dirs.push_back(directory("people.csv", "csv", kPeople));
  fx.dirs.push_back(directory("passwd", "passwd",
                              "asmith:x:1002:1002:Alex Smith:/home/asmith:/bin/sh\n"
                              "jdoe:x:1001:1001:Jane Doe:/home/jdoe:/bin/sh\n"));
  fx.settings.fields = {"email", "shell"};
  fx.ask("CORP\\ASmith", "2026-04-23T15:19:00Z");
  fx.ask("jdoe", "2026-04-23T15:19:00Z");
  auto a = fx.answer(0);
  // The HR row and the passwd line agree (a uid is not compared with an HR id).
  REQUIRE(a.size() == 1);
  CHECK(f(a[0], "owner.match") == "exact");
  CHECK(f(a[0], "owner.id") == "E1002");
  CHECK(f(a[0], "owner.email") == "alex.smith@example.org");
  CHECK(f(a[0], "owner.shell") == "/bin/sh");
  CHECK(f(a[0], "owner.note") == "normalised from CORP\\ASmith; mapping undated");
  CHECK(a[0]["owner"]["evidence"].size() == 2);

  // "Doe, Jane" (HR, dated) and "Jane Doe" (passwd, undated) are one person.
  auto b = fx.answer(1);
  REQUIRE(b.size() == 1);
  CHECK(f(b[0], "owner.name") == "Doe, Jane");
  CHECK(f(b[0], "owner.note") ==
        "mapping undated; valid 2020-09-01T00:00:00Z to 2026-07-01T00:00:00Z");
}

TEST_CASE("owner: sources that name different people are ambiguous", "[owner][hop]") {
  Fixture fx;
  fx.dirs.push_back(directory("people.csv", "csv", kPeople));
  fx.dirs.push_back(
      directory("passwd2", "passwd", "jdoe:x:1001:1001:Jonas Dorn:/home/jdoe:/bin/sh\n"));
  fx.ask("jdoe", "2026-04-23T15:19:00Z");
  auto a = fx.answer(0);
  REQUIRE(a.size() == 2);
  CHECK(f(a[0], "owner.match") == "ambiguous");
  CHECK(f(a[0], "owner.name") == "Doe, Jane");
  CHECK(f(a[1], "owner.name") == "Jonas Dorn");
  CHECK(f(a[1], "owner.note") == "2 entries disagree; mapping undated");
}

TEST_CASE("owner: registers by address (longest prefix) and by MAC", "[owner][hop]") {
  Fixture fx;
  fx.dirs.push_back(directory("fixed.txt", "address-register",
                              "10.20.3.0/24 - lab1 Lab 1 Technicians unit=Labs\n"
                              "10.20.3.10 srv-print - Print Service\n"
                              "2001:db8:20::/48 - netops Network Operations\n"));
  fx.dirs.push_back(directory("devices.txt", "device-register",
                              "52:54:00:12:34:05 ws-lab2-01 CORP\\MKowalski Maria Kowalski\n"));
  fx.settings.fields = {"host"};
  fx.ask("10.20.3.10");
  fx.ask("10.20.3.44");
  fx.ask("2001:db8:20:1::5");
  fx.ask("52-54-00-12-34-05");
  fx.ask("10.20.4.1");
  auto a = fx.answer(0);
  REQUIRE(a.size() == 1);
  CHECK(f(a[0], "owner.match") == "exact");
  CHECK(f(a[0], "owner.name") == "Print Service");
  CHECK(f(a[0], "owner.host") == "srv-print");
  CHECK(f(a[0], "owner.note") == "address entry 10.20.3.10; mapping undated");
  auto b = fx.answer(1);
  CHECK(f(b[0], "owner.user") == "lab1");
  CHECK(f(b[0], "owner.note") == "prefix entry 10.20.3.0/24; mapping undated");
  auto c = fx.answer(2);
  CHECK(f(c[0], "owner.name") == "Network Operations");
  auto d = fx.answer(3);
  CHECK(f(d[0], "owner.user") == "mkowalski");
  CHECK(f(d[0], "owner.host") == "ws-lab2-01");
  auto e = fx.answer(4);
  CHECK(f(e[0], "owner.match") == "none");
  CHECK(f(e[0], "owner.note") == "no entry for ip 10.20.4.1");
}

TEST_CASE("owner: fallback from lease.mac to lease.ip, skipped rows, no directory read",
          "[owner][hop]") {
  Fixture fx;
  fx.dirs.push_back(directory("fixed.txt", "address-register", "10.20.3.0/24 - lab1 Lab 1\n"));
  OwnerQuery q;
  std::string err;
  REQUIRE(owner_query_from_row(
      Row::parse(R"({"lease":{"match":"exact","ip":"10.20.3.44","mac":"52:54:00:12:34:01"}})"), "",
      nullptr, q, err));
  fx.queries.push_back(q);
  REQUIRE(owner_query_from_row(Row::parse(R"({"login":{"match":"gap","user":""}})"), "", nullptr, q,
                               err));
  fx.queries.push_back(q);
  auto a = fx.answer(0);
  CHECK(f(a[0], "owner.match") == "exact");
  CHECK(f(a[0], "owner.note") ==
        "no entry for lease.mac 52:54:00:12:34:01; found by lease.ip; prefix entry 10.20.3.0/24; "
        "mapping undated");
  auto b = fx.answer(1);
  CHECK(f(b[0], "owner.match") == "skipped");

  Fixture empty;
  empty.dirs.push_back(directory("empty.csv", "csv", ""));
  empty.ask("jdoe");
  auto g = empty.answer(0);
  CHECK(f(g[0], "owner.match") == "gap");
  CHECK(f(g[0], "owner.note") == "no directory entry was read");
}

TEST_CASE("owner: a device entry not valid at the time falls back to the address", "[owner][hop]") {
  Fixture fx;
  fx.dirs.push_back(directory("devices.txt", "device-register",
                              "52:54:00:12:34:01 lt-old old Old Owner to=2026-01-01\n"));
  fx.dirs.push_back(directory("fixed.txt", "address-register", "10.20.3.0/24 - lab1 Lab 1\n"));
  Row lease = Row::parse(
      R"({"time":"2026-10-24T09:00:00Z","lease":{"match":"exact","ip":"10.20.3.44","mac":"52:54:00:12:34:01"}})");
  Row before = lease;
  before["time"] = "2025-10-24T09:00:00Z";
  for (const Row& r : {lease, before}) {
    OwnerQuery q;
    std::string err;
    REQUIRE(owner_query_from_row(r, "", nullptr, q, err));
    fx.queries.push_back(q);
  }
  auto a = fx.answer(0);
  REQUIRE(a.size() == 1);
  CHECK(f(a[0], "owner.user") == "lab1");
  CHECK(f(a[0], "owner.note") ==
        "no entry for lease.mac 52:54:00:12:34:01 valid at the time asked; found by lease.ip; "
        "prefix entry 10.20.3.0/24; mapping undated");
  auto b = fx.answer(1);  // the device entry was valid then: it wins
  REQUIRE(b.size() == 1);
  CHECK(f(b[0], "owner.user") == "old");
  CHECK(f(b[0], "owner.note") == "valid until 2026-01-01T00:00:00Z");

  Fixture only;
  only.dirs.push_back(directory("devices.txt", "device-register",
                                "52:54:00:12:34:01 lt-old old Old Owner to=2026-01-01\n"));
  only.ask("52:54:00:12:34:01", "2026-10-24T09:00:00Z");
  auto c = only.answer(0);
  CHECK(f(c[0], "owner.match") == "none");
  CHECK(f(c[0], "owner.note") ==
        "no entry valid at 2026-10-24T09:00:00Z: Old Owner valid until 2026-01-01T00:00:00Z");
}

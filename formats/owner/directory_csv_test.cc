#include <catch2/catch.hpp>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::OwnerHarness;
using tracekit::test::utc;

namespace {

std::string extra(const test::Outcome<OwnerEvent>& o, std::string_view key) {
  for (auto& [k, v] : o.event.extra)
    if (k == key) return std::string(v);
  return "<none>";
}

SourceSpec with_columns(std::vector<std::pair<std::string, std::string>> cols) {
  SourceSpec s;
  s.directory.columns = std::move(cols);
  return s;
}

}  // namespace

TEST_CASE("csv: header names mapped by default, quoted commas, extra columns", "[owner][csv]") {
  OwnerHarness h("csv");
  auto all = h.run(
      "login,name,email,employee_id,department,phone\n"
      "jdoe,\"Doe, Jane\",jane.doe@example.org,E1001,Physics,+44 20 7946 0017\n");
  REQUIRE(all.size() == 2);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "header line");
  const auto& r = all[1];
  REQUIRE(r.status == LineStatus::record);
  CHECK(r.event.kind == OwnerKeyKind::login);
  CHECK(r.event.login == "jdoe");
  CHECK(r.event.name == "Doe, Jane");
  CHECK(r.event.email == "jane.doe@example.org");
  CHECK(r.event.id == "E1001");
  CHECK(r.event.unit == "Physics");
  CHECK_FALSE(r.event.dated);
  REQUIRE(r.event.extra.size() == 1);
  CHECK(extra(r, "phone") == "+44 20 7946 0017");
  CHECK(r.line == 2);
}

TEST_CASE("csv: a quoted field with newlines and doubled quotes spans lines", "[owner][csv]") {
  OwnerHarness h("csv");
  auto all = h.run(
      "uid,cn,mail,note\n"
      "asmith,\"Smith, Alex \"\"Al\"\"\",alex.smith@example.org,\"first line\n"
      "second, with comma\n"
      "third\"\n"
      "bjones,Bo Jones,bo.jones@example.org,\n");
  REQUIRE(all.size() == 3);
  const auto& r = all[1];
  REQUIRE(r.status == LineStatus::record);
  CHECK(r.line == 2);
  CHECK(r.event.login == "asmith");
  CHECK(r.event.name == "Smith, Alex \"Al\"");
  CHECK(extra(r, "note") == "first line\nsecond, with comma\nthird");
  CHECK(r.raw ==
        "asmith,\"Smith, Alex \"\"Al\"\"\",alex.smith@example.org,\"first line\nsecond, with "
        "comma\nthird\"");
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].line == 5);
  CHECK(all[2].event.login == "bjones");
  CHECK(all[2].event.extra.empty());
}

TEST_CASE("csv: TSV, UTF-8 names, a byte order mark, CRLF", "[owner][csv]") {
  OwnerHarness h("csv");
  auto r = h.records(
      "\xEF\xBB\xBFusername\tdisplay_name\tstaff_id\tfaculty\r\n"
      "jmuller\tJürgen Müller\t4711\tInformatik\r\n"
      "zli\t李志\t4712\t物理\r\n");
  REQUIRE(r.size() == 2);
  CHECK(r[0].event.login == "jmuller");
  CHECK(r[0].event.name == "Jürgen Müller");
  CHECK(r[0].event.id == "4711");
  CHECK(r[0].event.unit == "Informatik");
  CHECK(r[1].event.name == "李志");
  CHECK(r[1].event.unit == "物理");
}

TEST_CASE("csv: semicolon-separated spreadsheets", "[owner][csv]") {
  OwnerHarness h("csv");
  auto r = h.records("Login;Name;E-Mail\nJDOE;Doe, Jane;jane.doe@example.org\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].event.login == "JDOE");
  CHECK(r[0].event.name == "Doe, Jane");
  CHECK(r[0].event.email == "jane.doe@example.org");
}

TEST_CASE("csv: validity as dates (source zone) and RFC 3339 times", "[owner][csv]") {
  OwnerHarness h("csv", "Europe/London");
  auto r = h.records(
      "login,name,valid_from,valid_to\n"
      "jdoe,Jane Doe,2024-09-01,2026-07-01\n"
      "jdoe,John Dale,2026-07-01T00:00:00+01:00,\n"
      "guest,Guest,,\n");
  REQUIRE(r.size() == 3);
  CHECK(r[0].event.dated);
  CHECK(r[0].event.valid_from == utc("2024-08-31T23:00:00Z"));  // BST midnight
  CHECK(r[0].event.valid_to == utc("2026-06-30T23:00:00Z"));
  CHECK(r[1].event.dated);
  CHECK(r[1].event.valid_from == utc("2026-06-30T23:00:00Z"));
  CHECK(r[1].event.valid_to == kForever);
  CHECK_FALSE(r[2].event.dated);
  CHECK(r[2].event.valid_from == kNoTime);
  CHECK(r[2].event.valid_to == kForever);
}

TEST_CASE("csv: the sources file's column mapping wins over the common names", "[owner][csv]") {
  OwnerHarness h("csv", "UTC", 2026, kNoTime,
                 with_columns({{"login", "account"}, {"name", "preferred"}, {"id", "matr"}}));
  auto r = h.records(
      "uid,account,name,preferred,matr\n"
      "10001,s1234567,Robert Tables,Bobby Tables,1234567\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].event.login == "s1234567");
  CHECK(r[0].event.name == "Bobby Tables");
  CHECK(r[0].event.id == "1234567");
  CHECK(extra(r[0], "uid") == "10001");
  CHECK(extra(r[0], "name") == "Robert Tables");

  auto bad = h.run("login,name\njdoe,Jane\n");
  REQUIRE(bad.size() == 2);
  CHECK(bad[0].status == LineStatus::malformed);
  CHECK(bad[0].reason == "header lacks a column that [directory.columns] names");
}

TEST_CASE("csv: ip and mac columns make a register", "[owner][csv]") {
  OwnerHarness h("csv");
  auto r = h.records(
      "ip,host,login,name\n"
      "10.20.5.17,ws-office-17,jdoe,Jane Doe\n"
      "10.20.6.0/24,,lab6,Lab 6\n"
      "2001:db8:20::/48,,net,Network team\n");
  REQUIRE(r.size() == 3);
  CHECK(r[0].event.kind == OwnerKeyKind::ip);
  CHECK(to_string(r[0].event.ip) == "10.20.5.17");
  CHECK(r[0].event.prefix_len == 128);
  CHECK(r[0].event.host == "ws-office-17");
  CHECK(r[1].event.prefix_len == 96 + 24);
  CHECK(r[2].event.prefix_len == 48);
  OwnerHarness d("csv");
  auto m = d.records("mac,login,name\n52-54-00-12-34-01,jdoe,Jane Doe\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].event.kind == OwnerKeyKind::mac);
  CHECK(to_string(m[0].event.mac) == "52:54:00:12:34:01");
}

TEST_CASE("csv: malformed rows say what was expected", "[owner][csv]") {
  OwnerHarness h("csv");
  auto all = h.run(
      "login,name,valid_from,valid_to\n"
      "jdoe,Jane Doe\n"
      ",Nobody,,\n"
      "jdoe,Jane Doe,1 Sep 2024,\n"
      "jdoe,Jane Doe,2026-01-01,2025-01-01\n"
      "login,name,valid_from,valid_to\n"
      "\n"
      "jdoe,\"Jane Doe,,\n");
  REQUIRE(all.size() == 8);
  CHECK(all[1].reason == "row has a different number of fields than the header");
  CHECK(all[2].reason == "row without a login");
  CHECK(all[3].reason == "valid_from is not a date or time (expected YYYY-MM-DD or RFC 3339)");
  CHECK(all[4].reason == "valid_to is not after valid_from");
  CHECK(all[5].status == LineStatus::skip);
  CHECK(all[5].reason == "repeated header line");
  CHECK(all[6].reason == "empty line");
  CHECK(all[7].status == LineStatus::malformed);
  CHECK(all[7].reason == "the file ends inside a quoted field");
  CHECK(all[7].line == 8);

  auto none = h.run("name,email\nJane,j@example.org\n");
  CHECK(none[0].status == LineStatus::malformed);
  CHECK(none[0].reason ==
        "header names no login, ip or mac column (name one in [directory.columns])");
  auto ip = OwnerHarness("csv").run("ip,login\n10.20.6.1/24,x\n10.20.6.300,y\n");
  CHECK(ip[1].reason == "ip column: prefix has bits set beyond its length");
  CHECK(ip[2].reason == "ip column: not an address");
}

TEST_CASE("csv: sniffing wants a login (or address) column and a person column", "[owner][csv]") {
  const char* why = "";
  auto sniff = formats::directory_csv_format().sniff;
  CHECK(sniff("login,name,email\njdoe,Jane,j@example.org\n", &why) == 55);
  CHECK(sniff("# export of 2026-01-01\nuid\tcn\njdoe\tJane\n", &why) == 55);
  CHECK(sniff("address,hwaddr,client_id,valid_lifetime,expire\n", &why) == 0);
  CHECK(sniff("Apr 10 09:45:50 host dhcpd: DHCPACK on 10.0.0.1\n", &why) == 0);
  CHECK(sniff("jdoe:x:1001:1001:Jane Doe:/home/jdoe:/bin/sh\n", &why) == 0);
  CHECK(sniff("ip,host,login\n10.20.5.17,ws-office-17,jdoe\n", &why) == 55);
  CHECK(sniff("uid;givenName;sn\njdoe;Jane;Doe\n", &why) == 55);
  // A log in CSV with a user column is no directory.
  CHECK(sniff("time,client,user,url\n2026-04-23T15:19:00Z,10.20.3.44,jdoe,http://x/\n", &why) == 0);
  CHECK(why == std::string("header names no login and name (or address and owner) columns"));
}

TEST_CASE("csv: a name put together from given name and surname columns", "[owner][csv]") {
  OwnerHarness h("csv");
  auto r = h.records(
      "username,first_name,last_name,email\n"
      "jdoe,Jane,Doe,jane.doe@example.org\n"
      "mono,,Madonna,\n");
  REQUIRE(r.size() == 2);
  CHECK(r[0].event.name == "Jane Doe");
  CHECK(r[1].event.name == "Madonna");
  OwnerHarness full("csv");
  auto f = full.records("login,name,first_name\njdoe,\"Doe, Jane\",Jane\n");
  REQUIRE(f.size() == 1);
  CHECK(f[0].event.name == "Doe, Jane");
}

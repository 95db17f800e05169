#include <catch2/catch.hpp>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::OwnerHarness;
using tracekit::test::utc;

TEST_CASE("address-register: addresses, prefixes, attributes", "[owner][register]") {
  OwnerHarness h("address-register", "Europe/London");
  auto all = h.run(
      "# fixed addresses, kept by the network team\n"
      "10.20.5.17      ws-office-17  jdoe    Jane Doe  unit=Physics id=E1001\n"
      "10.20.6.0/24    -             lab6    Lab 6 Technicians  unit=\"Chemistry Labs\"\n"
      "2001:db8:20::17 ws-office-17  jdoe    Jane Doe  from=2026-01-01 to=2027-01-01T00:00:00Z\n"
      "10.20.5.18\tsrv-print\t-\tPrint Service\troom=B12  # the print server\n"
      "\n");
  REQUIRE(all.size() == 6);
  CHECK(all[0].reason == "comment");
  const auto& a = all[1];
  REQUIRE(a.status == LineStatus::record);
  CHECK(a.event.kind == OwnerKeyKind::ip);
  CHECK(to_string(a.event.ip) == "10.20.5.17");
  CHECK(a.event.prefix_len == 128);
  CHECK(a.event.host == "ws-office-17");
  CHECK(a.event.login == "jdoe");
  CHECK(a.event.name == "Jane Doe");
  CHECK(a.event.unit == "Physics");
  CHECK(a.event.id == "E1001");
  CHECK_FALSE(a.event.dated);
  const auto& lab = all[2];
  CHECK(lab.event.prefix_len == 120);
  CHECK(lab.event.host.empty());
  CHECK(lab.event.name == "Lab 6 Technicians");
  CHECK(lab.event.unit == "Chemistry Labs");
  const auto& v6 = all[3];
  CHECK(to_string(v6.event.ip) == "2001:db8:20::17");
  CHECK(v6.event.prefix_len == 128);
  CHECK(v6.event.dated);
  CHECK(v6.event.valid_from == utc("2026-01-01T00:00:00Z"));
  CHECK(v6.event.valid_to == utc("2027-01-01T00:00:00Z"));
  const auto& pr = all[4];
  REQUIRE(pr.status == LineStatus::record);
  CHECK(pr.event.login.empty());
  CHECK(pr.event.name == "Print Service");
  REQUIRE(pr.event.extra.size() == 1);
  CHECK(pr.event.extra[0].first == "room");
  CHECK(pr.event.extra[0].second == "B12");
}

TEST_CASE("address-register: malformed lines", "[owner][register]") {
  OwnerHarness h("address-register");
  auto all = h.run(
      "10.20.5.300 ws jdoe Jane\n"
      "10.20.6.1/24 - lab6 Lab\n"
      "10.20.6.0/33 - lab6 Lab\n"
      "10.20.5.17 ws-office-17\n"
      "10.20.5.17 ws jdoe Jane unit=Physics Doe\n"
      "10.20.5.17 ws jdoe Jane from=yesterday\n"
      "10.20.5.17 ws -\n");
  REQUIRE(all.size() == 7);
  CHECK(all[0].reason == "not an IP address or prefix");
  CHECK(all[1].reason == "prefix has bits set beyond its length");
  CHECK(all[2].reason == "bad prefix length");
  CHECK(all[3].reason == "expected KEY HOST LOGIN [NAME] (\"-\" for none)");
  CHECK(all[4].reason == "a name word after key=value attributes");
  CHECK(all[5].reason == "from/to is not a date or time (expected YYYY-MM-DD or RFC 3339)");
  CHECK(all[6].reason == "entry names neither a login nor a person");
}

TEST_CASE("device-register: MAC keys in any common spelling", "[owner][register]") {
  OwnerHarness h("device-register");
  auto r = h.records(
      "52:54:00:12:34:01  lt-jdoe  jdoe  Jane Doe  email=jane.doe@example.org\n"
      "5254.0012.3402     -        CORP\\asmith  Alex Smith\n");
  REQUIRE(r.size() == 2);
  CHECK(r[0].event.kind == OwnerKeyKind::mac);
  CHECK(to_string(r[0].event.mac) == "52:54:00:12:34:01");
  CHECK(r[0].event.email == "jane.doe@example.org");
  CHECK(to_string(r[1].event.mac) == "52:54:00:12:34:02");
  CHECK(r[1].event.login == "CORP\\asmith");
  auto bad = OwnerHarness("device-register").run("10.20.5.17 ws jdoe Jane\n");
  CHECK(bad[0].reason == "not a MAC address");
}

TEST_CASE("registers: sniffing tells addresses from devices", "[owner][register]") {
  const char* why = "";
  auto addr = formats::address_register_format().sniff;
  auto dev = formats::device_register_format().sniff;
  std::string_view a = "# fixed\n10.20.5.17 ws jdoe Jane Doe\n10.20.6.0/24 - lab6 Lab\n";
  std::string_view d = "52:54:00:12:34:01 lt-jdoe jdoe Jane\n52:54:00:12:34:02 - x X\n";
  CHECK(addr(a, &why) == 60);
  CHECK(dev(a, &why) == 0);
  CHECK(dev(d, &why) == 60);
  CHECK(addr(d, &why) == 0);
  CHECK(addr("1714000000 52:54:00:12:34:01 10.20.3.44 host *\n", &why) == 0);
  // Web access logs start with an address too.
  CHECK(addr("10.0.0.2 - - [18/Nov/2018:21:34:30 +0000] \"GET / HTTP/1.1\" 200 17\n"
             "10.0.0.2 - jdoe [18/Nov/2018:21:34:31 +0000] \"GET /x HTTP/1.1\" 200 17\n",
             &why) == 0);
}

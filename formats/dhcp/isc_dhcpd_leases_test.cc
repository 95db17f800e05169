#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::DhcpHarness;
using tracekit::test::utc;

namespace {

struct Counts {
  size_t records = 0, skipped = 0, malformed = 0;
  std::string first_malformed;
};

Counts count(const std::vector<tracekit::test::DhcpOutcome>& all) {
  Counts c;
  for (const auto& o : all) {
    if (o.status == LineStatus::record) ++c.records;
    if (o.status == LineStatus::skip) ++c.skipped;
    if (o.status == LineStatus::malformed && c.malformed++ == 0)
      c.first_malformed = std::to_string(o.line) + ": " + o.reason;
  }
  return c;
}

std::string end_of(const tracekit::test::DhcpOutcome& o) {
  return o.event.lease_end == kNoTime ? "none" : format_rfc3339(o.event.lease_end);
}

}  // namespace

TEST_CASE("isc-dhcpd-leases: an active lease with every field", "[dhcp][isc-dhcpd-leases]") {
  DhcpHarness h("isc-dhcpd-leases");
  auto all = h.run(
      "# The format of this file is documented in the dhcpd.leases(5) manual page.\n"
      "# This lease file was written by isc-dhcp-4.4.3-P1\n"
      "\n"
      "# authoring-byte-order entry is generated, DO NOT DELETE\n"
      "authoring-byte-order little-endian;\n"
      "\n"
      "lease 10.20.3.44 {\n"
      "  starts 4 2026/04/23 15:19:00;\n"
      "  ends 4 2026/04/23 16:19:00;\n"
      "  cltt 4 2026/04/23 15:19:00;\n"
      "  binding state active;\n"
      "  next binding state free;\n"
      "  rewind binding state free;\n"
      "  hardware ethernet 00:1b:21:3a:4f:07;\n"
      "  uid \"\\001\\000\\033!:O\\007\";\n"
      "  set vendor-class-identifier = \"MSFT 5.0\";\n"
      "  client-hostname \"ws-lab1-07\";\n"
      "}\n");
  REQUIRE(all.size() == 7);  // 4 comment/empty lines, authoring-byte-order, empty, the lease
  for (size_t i = 0; i < 6; ++i) CHECK(all[i].status == LineStatus::skip);
  CHECK(all[4].reason == "authoring-byte-order");
  const auto& r = all[6];
  REQUIRE(r.status == LineStatus::record);
  CHECK(r.event.action == DhcpAction::lease);
  CHECK(r.ip() == "10.20.3.44");
  CHECK(r.mac() == "00:1b:21:3a:4f:07");
  CHECK(r.client_id == "01:00:1b:21:3a:4f:07");
  CHECK(r.host == "ws-lab1-07");
  CHECK(r.time() == "2026-04-23T15:19:00Z");
  CHECK(end_of(r) == "2026-04-23T16:19:00Z");
  CHECK_FALSE(r.event.ends_lease);
  CHECK(r.event.time_flags == 0);
  CHECK(r.line == 7);
  CHECK(r.event.first_offset == 222);
  CHECK(r.raw.substr(0, 19) == "lease 10.20.3.44 {\n");
  CHECK(r.raw.size() > 300);
  CHECK(r.raw.substr(r.raw.size() - 2) == "\n}");
}

TEST_CASE("isc-dhcpd-leases: renewal, release, expiry and an address changing hands",
          "[dhcp][isc-dhcpd-leases]") {
  // The file as dhcpd appends to it: the grant, the renewal (same address, new
  // starts), the release, then the address granted to another client, which
  // lets it lapse.
  DhcpHarness h("isc-dhcpd-leases");
  auto r = h.records(
      "lease 10.20.3.44 {\n"
      "  starts 4 2026/04/23 08:02:11;\n"
      "  ends 4 2026/04/23 09:02:11;\n"
      "  cltt 4 2026/04/23 08:02:11;\n"
      "  binding state active;\n"
      "  next binding state free;\n"
      "  hardware ethernet 00:1b:21:3a:4f:07;\n"
      "  client-hostname \"ws-lab1-07\";\n"
      "}\n"
      "lease 10.20.3.44 {\n"
      "  starts 4 2026/04/23 08:32:11;\n"
      "  ends 4 2026/04/23 09:32:11;\n"
      "  cltt 4 2026/04/23 08:32:11;\n"
      "  binding state active;\n"
      "  next binding state free;\n"
      "  hardware ethernet 00:1b:21:3a:4f:07;\n"
      "  client-hostname \"ws-lab1-07\";\n"
      "}\n"
      "lease 10.20.3.44 {\n"
      "  starts 4 2026/04/23 08:32:11;\n"
      "  ends 4 2026/04/23 09:05:40;\n"
      "  tstp 4 2026/04/23 09:05:40;\n"
      "  cltt 4 2026/04/23 09:05:40;\n"
      "  binding state released;\n"
      "  next binding state free;\n"
      "  hardware ethernet 00:1b:21:3a:4f:07;\n"
      "}\n"
      "lease 10.20.3.44 {\n"
      "  starts 4 2026/04/23 10:15:00;\n"
      "  ends 4 2026/04/23 11:15:00;\n"
      "  cltt 4 2026/04/23 10:15:00;\n"
      "  binding state active;\n"
      "  next binding state free;\n"
      "  hardware ethernet a4:5e:60:c1:22:9b;\n"
      "  client-hostname \"iPhone\";\n"
      "}\n"
      "lease 10.20.3.44 {\n"
      "  starts 4 2026/04/23 10:15:00;\n"
      "  ends 4 2026/04/23 11:15:00;\n"
      "  tstp 4 2026/04/23 11:15:00;\n"
      "  cltt 4 2026/04/23 10:15:00;\n"
      "  binding state free;\n"
      "  hardware ethernet a4:5e:60:c1:22:9b;\n"
      "}\n");
  REQUIRE(r.size() == 5);
  CHECK(r[0].time() == "2026-04-23T08:02:11Z");
  CHECK(end_of(r[0]) == "2026-04-23T09:02:11Z");
  CHECK(r[1].time() == "2026-04-23T08:32:11Z");  // the renewal
  CHECK(end_of(r[1]) == "2026-04-23T09:32:11Z");
  CHECK_FALSE(r[1].event.ends_lease);
  CHECK(r[2].event.ends_lease);  // released: ends is the release
  CHECK(end_of(r[2]) == "2026-04-23T09:05:40Z");
  CHECK(r[2].mac() == "00:1b:21:3a:4f:07");
  CHECK(r[2].host.empty());
  CHECK(r[3].mac() == "a4:5e:60:c1:22:9b");  // the next client
  CHECK(r[3].host == "iPhone");
  CHECK_FALSE(r[3].event.ends_lease);
  CHECK(r[4].event.ends_lease);  // free: expired at ends
  CHECK(end_of(r[4]) == "2026-04-23T11:15:00Z");
  CHECK(r[4].line == 37);
}

TEST_CASE("isc-dhcpd-leases: epoch dates, never, and binding states", "[dhcp][isc-dhcpd-leases]") {
  DhcpHarness h("isc-dhcpd-leases", "Europe/London");
  auto all = h.run(
      "lease 10.0.0.1 {\n"
      "  starts epoch 1776957540; # Thu Apr 23 16:19:00 2026\n"
      "  ends epoch 1776961140; # Thu Apr 23 17:19:00 2026\n"
      "  binding state active;\n"
      "  hardware ethernet 2a:b2:2a:b2:2a:b2;\n"
      "}\n"
      "lease 10.0.0.2 {\n"
      "  starts 4 2026/04/23 15:19:00;\n"
      "  ends never;\n"
      "  binding state bootp;\n"
      "  hardware ethernet 00:11:22:33:44:55;\n"
      "}\n"
      "lease 10.0.0.3 {\n"
      "  starts 2 2026/04/21 12:05:14;\n"
      "  tstp 2 2026/04/21 12:05:14;\n"
      "  binding state backup;\n"
      "}\n"
      "lease 10.0.0.4 {\n"
      "  starts 2 2026/04/21 13:07:04;\n"
      "  ends 2 2026/04/21 13:07:04;\n"
      "  binding state abandoned;\n"
      "  next binding state free;\n"
      "}\n"
      "lease 10.0.0.5 {\n"
      "  starts 2 2026/04/21 13:07:04;\n"
      "  binding state dormant;\n"
      "}\n");
  REQUIRE(all.size() == 5);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].time() == "2026-04-23T15:19:00Z");  // epoch seconds: no zone applies
  CHECK(end_of(all[0]) == "2026-04-23T16:19:00Z");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(end_of(all[1]) == "none");  // never
  CHECK_FALSE(all[1].event.ends_lease);
  CHECK(all[2].status == LineStatus::skip);  // a backup pool lease, never bound
  CHECK(all[2].reason == "pool lease never bound to a client");
  REQUIRE(all[3].status == LineStatus::record);
  CHECK(all[3].event.ends_lease);
  CHECK_FALSE(all[3].event.has_mac);
  CHECK(all[4].status == LineStatus::malformed);
  CHECK(all[4].reason == "binding state: unknown state");
  CHECK(all[4].line == 24);
}

TEST_CASE("isc-dhcpd-leases: escapes in uid and client-hostname", "[dhcp][isc-dhcpd-leases]") {
  DhcpHarness h("isc-dhcpd-leases");
  auto r = h.records(
      "lease 10.0.0.15 {\n"
      "  starts 4 2014/01/23 13:40:45;\n"
      "  ends 4 2014/01/23 13:50:45;\n"
      "  binding state free;\n"
      "  hardware ethernet bc:f5:ac:fe:d1:7d;\n"
      "  uid \"\\001\\274\\365\\254\\376\\321}\";\n"
      "  client-hostname \"Jo\\\"s \\\\ PC;{x}\\011\";\n"
      "}\n"
      "lease 10.0.0.16 {\n"
      "  starts 4 2014/01/23 13:40:45;\n"
      "  ends 4 2014/01/23 13:50:45;\n"
      "  hardware ethernet 0:1b:2c:3:4:5;\n"
      "  uid 1:0:1b:2c:3:4:5;\n"
      "}\n");
  REQUIRE(r.size() == 2);
  CHECK(r[0].client_id == "01:bc:f5:ac:fe:d1:7d");  // '}' inside the quotes is data
  CHECK(r[0].host == "Jo\"s \\ PC;{x}\t");
  CHECK(r[1].client_id == "01:00:1b:2c:03:04:05");
  CHECK(r[1].mac() == "00:1b:2c:03:04:05");
  CHECK_FALSE(r[1].event.ends_lease);  // no binding state (dhcpd 2.x): active
}

TEST_CASE("isc-dhcpd-leases: a block cut off at the end of the file", "[dhcp][isc-dhcpd-leases]") {
  DhcpHarness h("isc-dhcpd-leases");
  auto all = h.run(
      "lease 10.0.0.1 {\n"
      "  starts 4 2026/04/23 15:19:00;\n"
      "  ends 4 2026/04/23 16:19:00;\n"
      "}\n"
      "lease 10.0.0.2 {\n"
      "  starts 4 2026/04/23 15:20:00;\n"
      "  ends 4 2026/04/2");
  REQUIRE(all.size() == 2);
  CHECK(all[0].status == LineStatus::record);
  CHECK(all[1].status == LineStatus::malformed);
  CHECK(all[1].reason == "lease block not closed");
  CHECK(all[1].line == 5);
  CHECK(all[1].raw == "lease 10.0.0.2 {\n  starts 4 2026/04/23 15:20:00;\n  ends 4 2026/04/2");
}

TEST_CASE("isc-dhcpd-leases: a cut-off block followed by more leases", "[dhcp][isc-dhcpd-leases]") {
  // A crash in mid-write, then the server appending again.
  DhcpHarness h("isc-dhcpd-leases");
  auto all = h.run(
      "lease 10.0.0.1 {\n"
      "  starts 4 2026/04/23 15:19:00;\n"
      "  ends 4 20\n"
      "lease 10.0.0.2 {\n"
      "  starts 4 2026/04/23 15:20:00;\n"
      "  ends 4 2026/04/23 16:20:00;\n"
      "  hardware ethernet 00:11:22:33:44:55;\n"
      "}\n");
  REQUIRE(all.size() == 2);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason == "lease block not closed");
  CHECK(all[0].line == 1);
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].ip() == "10.0.0.2");
  CHECK(all[1].line == 4);
  CHECK(all[1].raw.substr(0, 16) == "lease 10.0.0.2 {");
}

TEST_CASE("isc-dhcpd-leases: malformed blocks say why", "[dhcp][isc-dhcpd-leases]") {
  DhcpHarness h("isc-dhcpd-leases");
  auto all = h.run(
      "lease 10.0.0.300 {\n"
      "  starts 4 2026/04/23 15:19:00;\n"
      "}\n"
      "lease 10.0.0.7 {\n"
      "  starts 4 2026/13/23 15:19:00;\n"
      "}\n"
      "lease 10.0.0.8 {\n"
      "  starts 4 2026/04/23 15:19:00;\n"
      "  hardware ethernet 00:11:22:33:44;\n"
      "}\n"
      "lease 10.0.0.9 {\n"
      "  starts 4 2026/04/23 15:19:00\n"
      "}\n"
      "starts 4 2026/04/23 15:19:00;\n"
      "}\n"
      "lease 10.0.0.10 {\n"
      "  starts epoch 99999999999999999;\n"
      "}\n"
      "lease 10.0.0.11 {\n"
      "  starts 4 2147483647/04/23 15:19:00;\n"
      "}\n");
  REQUIRE(all.size() == 8);
  CHECK(all[6].reason == "starts: bad date");
  CHECK(all[7].reason == "starts: bad date");
  CHECK(all[0].reason == "lease: bad IPv4 address");
  CHECK(all[1].reason == "starts: bad date");
  CHECK(all[1].line == 4);
  CHECK(all[2].reason == "hardware ethernet: bad MAC address");
  CHECK(all[3].reason == "statement not ended by ';'");
  CHECK(all[4].reason == "statement outside a lease block");
  CHECK(all[5].reason == "'}' outside a block");
  for (const auto& o : all) CHECK(o.status == LineStatus::malformed);
}

TEST_CASE("isc-dhcpd-leases: declarations that are not leases are skipped",
          "[dhcp][isc-dhcpd-leases]") {
  DhcpHarness h("isc-dhcpd-leases");
  auto all = h.run(
      "server-duid \"\\000\\001\\000\\001\\035f\\037-N\\316\\347\\374,\\226\";\n"
      "failover peer \"dhcp-failover\" state {\n"
      "  my state normal at 4 2026/04/23 06:00:01;\n"
      "  partner state normal at 4 2026/04/23 06:00:03;\n"
      "}\n"
      "host printer-3 {\n"
      "  dynamic;\n"
      "  hardware ethernet 00:11:22:33:44:57;\n"
      "  fixed-address 10.0.0.20;\n"
      "}\n"
      "subclass \"allowed\" 1:0:11:22:33:44:58;\n"
      "frobnicate {\n"
      "}\n");
  REQUIRE(all.size() == 5);
  CHECK(all[0].reason == "server-duid");
  CHECK(all[1].reason == "failover peer state");
  CHECK(all[2].reason == "host declaration");
  CHECK(all[3].reason == "class declaration");
  CHECK(all[4].status == LineStatus::malformed);
  CHECK(all[4].reason == "unknown declaration outside a lease block");
  for (size_t i = 0; i < 4; ++i) CHECK(all[i].status == LineStatus::skip);
}

TEST_CASE("isc-dhcpd-leases: DHCPv6 IA_NA with a DUID-LLT", "[dhcp][isc-dhcpd-leases]") {
  DhcpHarness h("isc-dhcpd-leases");
  auto all = h.run(
      "server-duid \"\\000\\001\\000\\001\\036\\031\\350\\241\\000\\014)\\345\\0202\";\n"
      "\n"
      "ia-na \"\\001\\000\\000\\000\\000\\001\\000\\001/\\216J\\020\\000\\033!:O\\007\" {\n"
      "  cltt 4 2026/04/23 15:19:00;\n"
      "  iaaddr 2001:db8:20::44 {\n"
      "    binding state active;\n"
      "    preferred-life 3600;\n"
      "    max-life 7200;\n"
      "    ends 4 2026/04/23 17:19:00;\n"
      "    set clientduid = \"000100012f8e4a10001b213a4f07\";\n"
      "    on expiry {\n"
      "      log (debug, \"===EXPIRY===\");\n"
      "    }\n"
      "  }\n"
      "  iaaddr 2001:db8:20::45 {\n"
      "    binding state expired;\n"
      "    preferred-life 3600;\n"
      "    max-life 7200;\n"
      "  }\n"
      "}\n");
  REQUIRE(all.size() == 5);
  CHECK(all[0].reason == "server-duid");
  REQUIRE(all[2].status == LineStatus::record);
  const auto& r = all[2];
  CHECK(r.ip() == "2001:db8:20::44");
  CHECK(r.client_id == "00:01:00:01:2f:8e:4a:10:00:1b:21:3a:4f:07");  // without the IAID
  CHECK(r.mac() == "00:1b:21:3a:4f:07");
  CHECK(r.time() == "2026-04-23T15:19:00Z");  // cltt
  CHECK(end_of(r) == "2026-04-23T17:19:00Z");
  CHECK_FALSE(r.event.ends_lease);
  CHECK(r.line == 3);
  CHECK(r.raw.substr(r.raw.size() - 4) == "\n  }");
  REQUIRE(all[3].status == LineStatus::record);  // the second address of the IA
  CHECK(all[3].ip() == "2001:db8:20::45");
  CHECK(all[3].event.ends_lease);
  CHECK(end_of(all[3]) == "none");
  CHECK(all[3].event.lease_time == std::chrono::hours(2));  // max-life, as there is no ends
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "end of an IA block");
}

TEST_CASE("isc-dhcpd-leases: DHCPv6 prefix delegation is skipped", "[dhcp][isc-dhcpd-leases]") {
  DhcpHarness h("isc-dhcpd-leases");
  auto all = h.run(
      "ia-pd \"\\000\\000\\000\\000\\000\\003\\000\\001\\000\\033!:O\\010\" {\n"
      "  cltt 4 2026/04/23 15:19:00;\n"
      "  iaprefix 2001:db8:ff00::/56 {\n"
      "    binding state active;\n"
      "    preferred-life 3600;\n"
      "    max-life 7200;\n"
      "    ends 4 2026/04/23 17:19:00;\n"
      "  }\n"
      "}\n"
      "ia-na 00:00:00:00:00:03:00:01:00:1b:21:3a:4f:08 {\n"
      "  cltt 4 2026/04/23 15:19:00;\n"
      "  iaaddr 2001:db8:20::46 {\n"
      "    binding state active;\n"
      "    ends 4 2026/04/23 17:19:00;\n"
      "  }\n"
      "}\n");
  REQUIRE(all.size() == 3);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "IA_PD: delegated prefixes are not looked up");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].mac() == "00:1b:21:3a:4f:08");  // DUID-LL in colon hex
  CHECK(all[1].client_id == "00:03:00:01:00:1b:21:3a:4f:08");
}

TEST_CASE("isc-dhcpd-leases: CRLF, tabs, no indentation, one-line blocks",
          "[dhcp][isc-dhcpd-leases]") {
  DhcpHarness h("isc-dhcpd-leases");
  auto r = h.records(
      "lease 192.168.2.27 {\r\n"
      "\tstarts 4 2019/06/27 06:40:21;\r\n"
      "\tends 4 2020/06/27 06:50:21;\r\n"
      "\tbinding state active;\r\n"
      "\thardware ethernet ac:1f:6b:35:ac:62;\r\n"
      "}\r\n"
      "lease 10.10.10.10 {\n"
      "starts 6 2016/02/27 07:11:41;\n"
      "ends 6 2016/02/27 09:11:41;\n"
      "option agent.circuit-id 0:1:3:e9;\n"
      "client-hostname \"KRONOS\";\n"
      "}\n"
      "lease 10.0.0.5 { starts 4 2026/04/23 15:19:00; ends 4 2026/04/23 16:19:00; binding state "
      "active; hardware ethernet 00:11:22:33:44:55; client-hostname \"ws-lab1-07\"; }\n");
  REQUIRE(r.size() == 3);
  CHECK(r[0].mac() == "ac:1f:6b:35:ac:62");
  CHECK(end_of(r[0]) == "2020-06-27T06:50:21Z");
  CHECK(r[0].raw.find('\r') == std::string::npos);
  CHECK(r[1].host == "KRONOS");
  CHECK(r[2].ip() == "10.0.0.5");
  CHECK(r[2].host == "ws-lab1-07");
  CHECK(r[2].time() == "2026-04-23T15:19:00Z");
}

TEST_CASE("isc-dhcpd-leases: sniffing", "[dhcp][isc-dhcpd-leases]") {
  const char* why = "";
  auto score = [&](std::string_view head) {
    return formats::isc_dhcpd_leases_format().sniff(head, &why);
  };
  CHECK(score("# The format of this file is documented in the dhcpd.leases(5) manual page.\n") ==
        95);
  CHECK(score("lease 10.0.0.1 {\n  starts 4 2017/10/05 15:22:29;\n}\n") == 90);
  CHECK(score("ia-na \"\\001\\000\" {\n  cltt 2 2015/08/18 16:55:37;\n  iaaddr 2001:db8::1 {\n") ==
        90);
  // dhclient's lease file, dhcpd's syslog, a Kea CSV: not ours.
  CHECK(score("lease {\n  interface \"eth0\";\n  fixed-address 10.0.0.9;\n}\n") == 0);
  CHECK(score("Apr 10 09:45:50 gw dhcpd[812]: DHCPACK on 10.0.0.5 to 00:11:22:33:44:55 via "
              "eth0\n") == 0);
  CHECK(score("address,hwaddr,client_id,valid_lifetime,expire,subnet_id\n") == 0);
}

TEST_CASE("isc-dhcpd-leases: the samples in testdata", "[dhcp][isc-dhcpd-leases]") {
  DhcpHarness h4("isc-dhcpd-leases");
  Counts v4 = count(h4.run(test::read_sample("testdata/dhcp/isc-dhcpd-leases/dhcpd.leases")));
  CHECK(v4.malformed == 0);
  CHECK(v4.first_malformed == "");
  CHECK(v4.records == 9);
  DhcpHarness h6("isc-dhcpd-leases");
  Counts v6 = count(h6.run(test::read_sample("testdata/dhcp/isc-dhcpd-leases/dhcpd6.leases")));
  CHECK(v6.malformed == 0);
  CHECK(v6.records == 4);
}

TEST_CASE("isc-dhcpd-leases: every block of the public corpus parses", "[corpus][dhcp]") {
  auto dir = test::find_corpus("dhcp-iscdhcpd-leases");
  if (!dir) return;
  // records / skipped per file (comments, empty lines, non-lease declarations).
  const std::vector<std::tuple<std::string, size_t, size_t>> expected = {
      {"backup.leases", 1, 2},  // + a backup pool lease never bound
      {"debian7.leases", 6, 3},          {"dhcpd.test.leases", 124, 6},
      {"dhcpd6-4.2.4.leases", 1, 7},  // + an ia-pd, server-duid, the IA's closing brace
      {"dhcpd6-4.3.3.leases", 2, 12},    {"epoch.leases", 1, 1},
      {"metal-bmc__dhcpd.leases", 2, 0}, {"options.leases", 1, 1},
      {"static.leases", 1, 0},
  };
  for (const auto& [name, records, skipped] : expected) {
    INFO(name);
    DhcpHarness h("isc-dhcpd-leases");
    std::string text = test::read_file(*dir / name);
    REQUIRE(!text.empty());
    const char* why = "";
    CHECK(formats::isc_dhcpd_leases_format().sniff(text, &why) >= 90);
    Counts c = count(h.run(text));
    CHECK(c.first_malformed == "");
    CHECK(c.records == records);
    CHECK(c.skipped == skipped);
  }
}

TEST_CASE("isc-dhcpd-leases: binary garbage and unbalanced braces", "[dhcp][isc-dhcpd-leases]") {
  DhcpHarness h("isc-dhcpd-leases");
  static const char kJunk[] = "lease 10.0.0.1 {\n  uid \"\\0\0\xff\";\n  starts \x01\x02;\n}}}\n";
  std::string junk(kJunk, sizeof kJunk - 1);
  junk += "ia-na \"\\";
  junk += std::string(70000, 'x');  // an IA header that never ends
  junk += "\n  cltt 4 2026/04/23 15:19:00;\n" + std::string(70000, '{') + "\n";
  for (int i = 0; i < 3; ++i) junk += "lease 10.0.0.2 {\n\"\n";
  auto all = h.run(junk);
  for (const auto& o : all) CHECK(o.status != LineStatus::record);
  CHECK(all.back().status == LineStatus::malformed);
  CHECK(all.back().reason == "lease block not closed");
}

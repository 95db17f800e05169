#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::NatHarness;

namespace {
std::string ip(const IpAddr& a) {
  return to_string(a);
}
}  // namespace

TEST_CASE("cgnat-port-block: Juniper allocation, interim and release", "[nat][cgnat-port-block]") {
  NatHarness h("cgnat-port-block", "Europe/London", 2026);
  auto all = h.run(test::read_sample("testdata/nat/cgnat-port-block/junos-pba.log"));
  REQUIRE(all.size() == 5);
  REQUIRE(all[0].status == LineStatus::record);
  const NatEvent& a = all[0].event;
  CHECK(a.action == NatAction::block_open);
  CHECK(ip(a.inside_ip) == "100.64.0.5");
  CHECK(ip(a.public_ip) == "203.0.113.9");
  CHECK(a.public_port == 2048);
  CHECK(a.block_end == 2175);
  CHECK(a.device == "mx-cgn");
  CHECK(all[0].time() == "2026-04-23T16:19:00Z");  // the PIC's stamp, BST
  CHECK(all[1].event.public_port == 2176);
  CHECK(all[1].event.block_end == 2303);
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.action == NatAction::block_open);  // _ACTIVE: still allocated
  REQUIRE(all[3].status == LineStatus::record);
  CHECK(all[3].event.action == NatAction::block_close);
  CHECK(all[3].time() == "2026-04-23T17:02:10Z");
  CHECK(all[4].status == LineStatus::foreign);
}

TEST_CASE("cgnat-port-block: Juniper header variants", "[nat][cgnat-port-block]") {
  NatHarness h("cgnat-port-block", "UTC", 2026);
  auto all = h.run(
      "Apr 23 16:19:00 mx-cgn {cgn-sset}[FWNAT]: JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.0.5 -> "
      "203.0.113.9:2048-2175 0x69ea4674\n"
      "<14>1 2026-04-23T16:20:00.250Z mx-cgn jservices-nat - JSERVICES_NAT_PORT_BLOCK_RELEASE "
      "[junos@2636.1.1.1.2.35] 100.64.0.5 -> 203.0.113.9:2048-2175 0x69ea4674\n"
      "Apr 23 16:21:00 mx-cgn (FPC Slot 1, PIC Slot 0) 2026-04-23 16:21:00: "
      "{cgn-sset}[jservices-nat]: JSERVICES_NAT_RULE_MATCH: proto 6 (TCP) application: any, "
      "ge-1/0/0.0:100.64.0.5:40000 -> 198.51.100.1:443, Match NAT rule-set: rs1, rule: r1, "
      "term: t1\n"
      "Apr 23 16:22:00 mx-cgn {cgn-sset}[FWNAT]: JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.0.5 -> "
      "203.0.113.9:2175-2048 0x69ea4674\n"
      "Apr 23 16:22:00 mx-cgn {cgn-sset}[FWNAT]: JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.0.500 -> "
      "203.0.113.9:2048-2175 0x69ea4674\n"
      "Apr 23 16:22:00 mx-cgn {cgn-sset}[FWNAT]: JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.0.5\n");
  REQUIRE(all.size() == 6);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].time() == "2026-04-23T16:19:00Z");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == NatAction::block_close);
  CHECK(ip(all[1].event.inside_ip) == "100.64.0.5");
  CHECK(all[1].event.block_end == 2175);
  CHECK(all[1].time() == "2026-04-23T16:20:00.250Z");
  CHECK(all[2].status == LineStatus::skip);
  CHECK(all[2].reason == "JSERVICES message that is not a port block");
  CHECK(all[3].reason == "bad port range");
  CHECK(all[4].reason == "bad subscriber address");
  CHECK(all[5].reason == "expected SUBSCRIBER -> PUBLIC:FIRST-LAST");
}

TEST_CASE("cgnat-port-block: Cisco IOS XR CGN records", "[nat][cgnat-port-block]") {
  NatHarness h("cgnat-port-block", "UTC", 2026);
  auto all = h.run(test::read_sample("testdata/nat/cgnat-port-block/iosxr-cgn.log"));
  REQUIRE(all.size() == 4);
  REQUIRE(all[0].status == LineStatus::record);
  const NatEvent& a = all[0].event;
  CHECK(a.action == NatAction::block_open);
  CHECK(ip(a.inside_ip) == "100.64.1.7");
  CHECK(ip(a.public_ip) == "203.0.113.20");
  CHECK(a.public_port == 4096);
  CHECK(a.block_end == 5119);
  CHECK(a.device == "192.0.2.1");
  CHECK(all[0].time() == "2026-04-23T16:19:00Z");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(ip(all[1].event.inside_ip) == "2001:db8:100::7");  // DS-Lite B4
  CHECK(all[1].event.public_port == 1024);
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.action == NatAction::block_close);
  CHECK(all[3].status == LineStatus::skip);
  CHECK(all[3].reason == "CGN ports exhausted");
}

TEST_CASE("cgnat-port-block: Cisco session records and malformed ones", "[nat][cgnat-port-block]") {
  NatHarness h("cgnat-port-block", "UTC", 2026);
  auto all = h.run(
      "Apr 23 16:19:01 relay <134>1 2026 Apr 23 16:19:00.120 192.0.2.1 - - NAT44 - "
      "[SessionbasedAD 6 100.64.1.7 Broadband - 203.0.113.20 40000 1055 - 198.51.100.1 443]\n"
      "<134>1 2026 Apr 23 16:19:00 192.0.2.1 - - NAT44 - [UserbasedA - 100.64.1.7 Broadband - "
      "203.0.113.20 - 4096 5119 - -][UserbasedA - 100.64.1.8 Broadband - 203.0.113.20 - 5120 "
      "6143 - -]\n"
      "<134>1 2026 Apr 23 16:19:00 192.0.2.1 - - NAT44 - [UserbasedA - 100.64.1.7 Broadband]\n"
      "<134>1 Apr 23 16:19:00 192.0.2.1 - - NAT44 - [UserbasedA - 100.64.1.7 Broadband - "
      "203.0.113.20 - 4096 5119 - -]\n"
      "<134>1 2026 Apr 23 16:19:00 192.0.2.1 - - NAT44 - [Userbased - 100.64.1.7 Broadband - "
      "203.0.113.20 - 4096 5119 - -]\n");
  REQUIRE(all.size() == 5);
  REQUIRE(all[0].status == LineStatus::record);
  const NatEvent& s = all[0].event;
  CHECK(s.action == NatAction::open);
  CHECK(s.proto == 6);
  CHECK(s.inside_port == 40000);
  CHECK(s.public_port == 1055);
  CHECK(s.block_end == 0);
  CHECK(ip(s.dst_ip) == "198.51.100.1");
  CHECK(s.dst_port == 443);
  CHECK(all[0].time() == "2026-04-23T16:19:00.120Z");
  CHECK(all[1].status == LineStatus::malformed);
  CHECK(all[1].reason ==
        "several CGN records on one line (one record a line is read; none was used)");
  CHECK(all[2].reason == "expected 11 fields in a CGN record");
  CHECK(all[3].reason == "no Cisco CGN timestamp (YYYY Mon DD HH:MM:SS)");
  CHECK(all[4].reason == "unknown CGN event name");
}

TEST_CASE("cgnat-port-block: sniff", "[nat][cgnat-port-block]") {
  const char* why = "";
  auto& f = formats::cgnat_port_block_format();
  CHECK(f.sniff(test::read_sample("testdata/nat/cgnat-port-block/junos-pba.log"), &why) >= 90);
  CHECK(f.sniff(test::read_sample("testdata/nat/cgnat-port-block/iosxr-cgn.log"), &why) >= 90);
  CHECK(f.sniff("Apr 23 16:19:00 gw dhcpd[1]: DHCPACK on 10.0.0.5 to 00:11:22:33:44:55 via eth0\n",
                &why) == 0);
}

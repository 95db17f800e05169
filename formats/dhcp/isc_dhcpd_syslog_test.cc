#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::DhcpHarness;
using tracekit::test::utc;

TEST_CASE("isc-dhcpd: DHCPACK with hostname and interface", "[dhcp][isc-dhcpd]") {
  DhcpHarness h("isc-dhcpd", "UTC", 2026);
  auto r = h.records(
      "Apr 10 09:45:50 spb-proxy dhcpd[812]: DHCPACK on 10.51.8.52 to 64:31:50:44:1f:05 (spb-024) "
      "via eth0");
  REQUIRE(r.size() == 1);
  CHECK(r[0].event.action == DhcpAction::ack);
  CHECK(r[0].ip() == "10.51.8.52");
  CHECK(r[0].mac() == "64:31:50:44:1f:05");
  CHECK(r[0].host == "spb-024");
  CHECK(r[0].server == "spb-proxy");
  CHECK(r[0].relay == "eth0");
  CHECK(r[0].time() == "2026-04-10T09:45:50Z");
}

TEST_CASE("isc-dhcpd: every message shape", "[dhcp][isc-dhcpd]") {
  DhcpHarness h("isc-dhcpd", "UTC", 2026);
  auto all = h.run(
      "Apr 10 09:46:40 gw dhcpd: DHCPINFORM from 10.51.8.65 via eth0\n"
      "Apr 10 09:46:40 gw dhcpd: DHCPACK to 10.51.8.65 (18:a9:05:17:3c:d1) via eth0\n"
      "Apr 10 09:46:44 gw dhcpd: DHCPREQUEST for 10.51.8.112 (10.51.8.1) from 64:ae:0c:f7:45:de "
      "(SEP64AE0CF745DE) via eth0\n"
      "Apr 10 09:46:45 gw dhcpd: DHCPDISCOVER from 0:1b:2c:3:4:5 via 10.100.100.4: network "
      "192.168.102.0/23: no free leases\n"
      "Apr 10 09:46:46 gw dhcpd: DHCPOFFER on 10.0.0.9 to 00:1b:2c:03:04:05 (my laptop) via eth1\n"
      "Apr 10 09:46:47 gw dhcpd: DHCPRELEASE of 10.17.81.182 from 00:08:5d:71:92:15 "
      "(6867i00085D719105) via enp4s0f0 (found)\n"
      "Apr 10 09:46:48 gw dhcpd: DHCPRELEASE of 10.17.81.183 from 00:08:5d:71:92:16 via eth0 (not "
      "found)\n"
      "Apr 10 09:46:49 gw dhcpd: DHCPNAK on 10.0.0.7 to 00:11:22:33:44:55 via eth0\n"
      "Apr 10 09:46:50 gw dhcpd: DHCPDECLINE of 10.0.0.8 from 00:11:22:33:44:56 via eth0: "
      "abandoned\n"
      "Apr 10 09:46:51 gw dhcpd: BOOTREPLY for 10.0.0.20 to printer-3 (00:11:22:33:44:57) via "
      "eth0\n"
      "Apr 10 09:46:52 gw dhcpd: Wrote 46 leases to leases file.\n"
      "Apr 10 09:46:53 gw sshd[99]: Accepted password for root from 10.0.0.1 port 22 ssh2\n"
      "Apr 10 09:46:54 gw dhcpd: DHCPACK on 10.0.0.300 to 00:11:22:33:44:55 via eth0\n"
      "garbage without a header\n");
  REQUIRE(all.size() == 14);
  CHECK(all[0].event.action == DhcpAction::inform);
  CHECK(all[1].event.action == DhcpAction::inform);
  CHECK(all[1].mac() == "18:a9:05:17:3c:d1");
  CHECK(all[2].event.action == DhcpAction::request);
  CHECK(all[2].ip() == "10.51.8.112");
  CHECK(all[2].host == "SEP64AE0CF745DE");
  CHECK(all[3].event.action == DhcpAction::discover);
  CHECK(all[3].mac() == "00:1b:2c:03:04:05");
  CHECK(all[3].relay == "10.100.100.4");
  CHECK(all[4].host == "my laptop");
  CHECK(all[5].event.action == DhcpAction::release);
  CHECK(all[5].ip() == "10.17.81.182");
  CHECK(all[6].status == LineStatus::skip);
  CHECK(all[7].event.action == DhcpAction::nak);
  CHECK(all[8].event.action == DhcpAction::decline);
  CHECK(all[9].event.action == DhcpAction::ack);
  CHECK(all[9].host == "printer-3");
  CHECK(all[9].mac() == "00:11:22:33:44:57");
  CHECK(all[10].status == LineStatus::skip);
  CHECK(all[11].status == LineStatus::foreign);
  CHECK(all[12].status == LineStatus::malformed);
  CHECK(all[12].reason == "DHCPACK: bad IP address");
  CHECK(all[13].status == LineStatus::malformed);
  CHECK(all[13].reason == "no syslog header");
}

TEST_CASE("isc-dhcpd: RFC 5424 and ISO prefixes", "[dhcp][isc-dhcpd]") {
  DhcpHarness h("isc-dhcpd", "Europe/London", 2026);
  auto r = h.records(
      "<30>1 2026-04-23T16:19:00.123+01:00 dhcp1 dhcpd 812 - - DHCPACK on 10.20.3.44 to "
      "aa:bb:cc:dd:ee:ff (ws-lab1-07) via 10.20.0.1\n"
      "2026-04-23T16:20:00+01:00 dhcp1 dhcpd[812]: DHCPACK on 10.20.3.45 to aa:bb:cc:dd:ee:fe via "
      "eth0\n"
      "2026-04-23 16:21:00 dhcp1 dhcpd[812]: DHCPACK on 10.20.3.46 to aa:bb:cc:dd:ee:fd via "
      "eth0\n");
  REQUIRE(r.size() == 3);
  CHECK(r[0].time() == "2026-04-23T15:19:00.123Z");
  CHECK(r[0].host == "ws-lab1-07");
  CHECK(r[0].relay == "10.20.0.1");
  CHECK(r[1].time() == "2026-04-23T15:20:00Z");
  CHECK(r[2].time() == "2026-04-23T15:21:00Z");  // zone-less ISO: read in Europe/London (BST)
}

TEST_CASE("isc-dhcpd: DHCPv6 Reply NA with DUID-LLT", "[dhcp][isc-dhcpd]") {
  DhcpHarness h("isc-dhcpd", "UTC", 2026);
  auto r = h.records(
      "Apr 23 15:00:00 dhcp6 dhcpd: Reply NA: address 2001:db8:1::5 to client with duid "
      "00:01:00:01:2a:bb:cc:dd:00:11:22:33:44:55 iaid = 3966213421 valid for 43200 seconds\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].ip() == "2001:db8:1::5");
  CHECK(r[0].mac() == "00:11:22:33:44:55");
  CHECK(r[0].event.lease_time == std::chrono::hours(12));
}

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

TEST_CASE("isc-dhcpd: fields that dhcpd derivatives add after 'via'", "[dhcp][isc-dhcpd]") {
  DhcpHarness h("isc-dhcpd", "UTC", 2026);
  auto r = h.records(
      // Infoblox
      "Apr 23 15:00:00 ib dhcpd[9]: DHCPACK on 192.168.1.138 to 08:71:90:8d:0b:5d (P70955) via "
      "eth2 relay 192.168.1.1 lease-duration 172800\n"
      "Apr 23 15:00:01 ib dhcpd[9]: DHCPREQUEST for 192.168.1.208 from 00:50:56:ae:17:c6 "
      "(VDPSCE080019) via eth2 TransID 823c1fa3 uid 01:00:50:56:ae:17:c6 (RENEW)\n"
      // EfficientIP SOLIDserver: lease seconds in brackets, and "DHCPNACK"
      "Apr 23 15:00:02 sds dhcpd: DHCPACK on 1.2.3.4 to 02:00:00:00:00:01 (example.com) via "
      "1.0.0.1 [14400]\n"
      "Apr 23 15:00:03 sds dhcpd: DHCPNACK on 1.2.3.5 to 02:00:00:00:00:02 via 1.0.0.1\n"
      "Apr 23 15:00:04 sds dhcpd: DHCPDISCOVER from 02:00:00:00:00:03 via 1.0.0.1: network "
      "1.0.0.0/24: no free leases\n");
  REQUIRE(r.size() == 5);
  CHECK(r[0].relay == "192.168.1.1");
  CHECK(r[0].host == "P70955");
  CHECK(r[0].event.lease_time == std::chrono::hours(48));
  CHECK(r[1].client_id == "01:00:50:56:ae:17:c6");
  CHECK(r[1].relay == "eth2");
  CHECK(r[1].host == "VDPSCE080019");
  CHECK(r[2].event.lease_time == std::chrono::hours(4));
  CHECK(r[2].host == "example.com");
  CHECK(r[3].event.action == DhcpAction::nak);
  CHECK(r[3].ip() == "1.2.3.5");
  CHECK(r[4].relay == "1.0.0.1");
  CHECK(r[4].event.lease_time.count() == 0);
}

TEST_CASE("isc-dhcpd: a short relay at the end of the line", "[dhcp][isc-dhcpd]") {
  // Relays shorter than a word are read from the word that ends the line;
  // the same relays with more after them are read the usual way.
  const std::pair<const char*, const char*> cases[] = {
      {"e", "e"},
      {"eth0", "eth0"},
      {"eth0123", "eth0123"},
      {"eth01234", "eth01234"},
      {"e:1", "e"},
      {"a b", "a"},
      {":", ""},
      {"eth0:", "eth0"},
      {"em1 x", "em1"},
      {"10.0.0.1", "10.0.0.1"},
      {"abcdef:", "abcdef"},
  };
  for (const auto& [tail, relay] : cases) {
    for (const char* host : {"", " (h)"}) {
      std::string line =
          std::string("Apr 10 09:45:50 gw dhcpd: DHCPACK on 10.0.0.9 to 0:1:2:3:4:5") + host +
          " via " + tail;
      INFO(line);
      DhcpHarness h("isc-dhcpd", "UTC", 2026);
      auto r = h.run(line);
      REQUIRE(r.size() == 1);
      REQUIRE(r[0].status == LineStatus::record);
      CHECK(r[0].relay == relay);
      // Behind a header the general path reads: the same relay.
      DhcpHarness g("isc-dhcpd", "UTC", 2026);
      auto s =
          g.run(std::string("2026-04-10T09:45:50Z gw dhcpd: DHCPACK on 10.0.0.9 to 0:1:2:3:4:5") +
                host + " via " + tail);
      REQUIRE(s.size() == 1);
      CHECK(s[0].relay == relay);
    }
  }
}

TEST_CASE("isc-dhcpd: a host name with spaces and parentheses", "[dhcp][isc-dhcpd]") {
  DhcpHarness h("isc-dhcpd", "UTC", 2026);
  auto r = h.records(
      "Apr 23 15:00:00 gw dhcpd: DHCPACK on 10.0.0.9 to 00:11:22:33:44:55 (Galaxy S9 (2)) via "
      "eth0\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].host == "Galaxy S9 (2)");
  CHECK(r[0].relay == "eth0");
}

TEST_CASE("isc-dhcpd: the time-only path agrees with the full parse", "[dhcp][isc-dhcpd]") {
  DhcpHarness h("isc-dhcpd", "Europe/London", 2026);
  auto parser = h.format->make_dhcp(h.ctx);
  const char* lines[] = {
      "Oct 25 01:30:00 gw dhcpd[1]: DHCPACK on 10.0.0.9 to 00:11:22:33:44:55 via eth0",
      "Oct 25 01:30:00 gw dhcpd[1]: Wrote 3 leases to leases file.",
      "Oct 25 01:31:00 gw sshd[1]: Accepted publickey for root",
      "Oct 25 garbage",
  };
  LineStatus expect[] = {LineStatus::skip, LineStatus::skip, LineStatus::foreign,
                         LineStatus::malformed};
  for (size_t k = 0; k < 4; ++k) {
    Line line;
    line.text = lines[k];
    line.number = k + 1;
    DhcpEvent ev;
    LineResult r = parser->parse_time(line, ev);
    CHECK(r.status == expect[k]);
    if (k < 2) CHECK(format_rfc3339(ev.time) == "2026-10-25T00:30:00Z");
  }
}

TEST_CASE("isc-dhcpd: the fast header path agrees with the general one", "[dhcp][isc-dhcpd]") {
  // The same messages behind a BSD header (fast path) and behind an ISO one
  // (general path) must give the same fields.
  const char* msgs[] = {
      "dhcpd[812]: DHCPACK on 10.0.0.9 to 0:1b:2c:3:4:5 (ws 1) via 10.20.0.1 relay 10.9.9.9",
      "dhcpd: DHCPRELEASE of 10.0.0.9 from 00:1b:2c:03:04:05 via eth0 (found)",
      "dhcpd6[1]: Reply NA: address 2001:db8::5 to client with duid 00:03:00:01:00:11:22:33:44:55 "
      "iaid = 1 valid for 600 seconds",
      "dhcpd:DHCPACK on 10.0.0.9 to 00:1b:2c:03:04:05 via eth0",
      "dhcpd[x DHCPACK on 10.0.0.9 to 00:1b:2c:03:04:05 via eth0",
      "dhcpd[7]: Wrote 3 leases to leases file.",
      "dhcpdx: DHCPACK on 10.0.0.9 to 00:1b:2c:03:04:05 via eth0",
  };
  for (const char* m : msgs) {
    INFO(m);
    DhcpHarness a("isc-dhcpd", "UTC", 2026), b("isc-dhcpd", "UTC", 2026);
    auto fast = a.run(std::string("Apr 23 15:00:00 gw ") + m);
    auto slow = b.run(std::string("2026-04-23T15:00:00Z gw ") + m);
    REQUIRE(fast.size() == 1);
    REQUIRE(slow.size() == 1);
    CHECK(fast[0].status == slow[0].status);
    CHECK(fast[0].reason == slow[0].reason);
    CHECK(fast[0].ip() == slow[0].ip());
    CHECK(fast[0].mac() == slow[0].mac());
    CHECK(fast[0].host == slow[0].host);
    CHECK(fast[0].relay == slow[0].relay);
    CHECK(fast[0].server == slow[0].server);
    CHECK(fast[0].time() == slow[0].time());
  }
}

TEST_CASE("isc-dhcpd: a header like the last one read gives what reading it anew gives",
          "[dhcp][isc-dhcpd]") {
  // One parser reads the lines in turn (it keeps the last header it read);
  // each line is also read by a parser of its own. Both must agree, and the
  // host must be a view of the line parsed, not of an earlier one.
  const std::string lines[] = {
      "Apr 23 15:00:00 gw dhcpd[812]: DHCPACK on 10.0.0.1 to 0:1b:2c:3:4:5 (a) via eth0",
      "Apr 23 15:00:00 gw dhcpd[812]: DHCPACK on 10.0.0.2 to 0:1b:2c:3:4:6 (b) via eth1",
      "Apr 23 15:00:00 gx dhcpd[812]: DHCPACK on 10.0.0.3 to 0:1b:2c:3:4:7 via eth0",
      "Apr 23 15:00:01 gx dhcpd[812]: DHCPACK on 10.0.0.4 to 0:1b:2c:3:4:8 via eth0",
      "Apr 23 15:00:01 gx dhcpd[813]: DHCPACK on 10.0.0.5 to 0:1b:2c:3:4:9 via eth0",
      "Apr 23 15:00:01 gxy dhcpd[813]: DHCPACK on 10.0.0.6 to 0:1b:2c:3:4:a via eth0",
      "Apr 23 15:00:01 gx dhcpd[813]: DHCPACK on 10.0.0.300 to 0:1b:2c:3:4:b via eth0",
      "Apr 23 15:00:01 gx dhcpd[813]: Wrote 3 leases to leases file.",
      "Apr 23 15:00:01 gx dhcpd[813]: D",
      "Apr 23 15:00:01 gx dhcpd[813]: ",
      "Apr 23 15:00:01 gx dhcpd[813]:",
      "Apr 23 15:00:01 gx dhcpd[813]:DHCPACK on 10.0.0.7 to 0:1b:2c:3:4:c via eth0",
      "Apr 23 15:00:01 gx sshd[813]: Accepted publickey for root",
      "Apr 23 15:00:01 gx dhcpd[813]: DHCPACK on 10.0.0.8 to 0:1b:2c:3:4:d via eth0",
      "Apr 23 15:00:0x gx dhcpd[813]: DHCPACK on 10.0.0.9 to 0:1b:2c:3:4:e via eth0",
      "Apr 23 15:00:01 gx dhcpd[813]: DHCPACK on 10.0.0.10 to 0:1b:2c:3:4:f via eth0",
      // Other header forms in between, and the kept one after them.
      "2026-04-23T15:00:01Z gx dhcpd[813]: DHCPACK on 10.0.0.11 to 0:1b:2c:3:5:0 via eth0",
      "Apr 23 15:00:01 gx dhcpd[813]: DHCPRELEASE of 10.0.0.12 from 0:1b:2c:3:5:1 via eth0",
      "<30>Apr 23 15:00:02 gx dhcpd[813]: DHCPACK on 10.0.0.13 to 0:1b:2c:3:5:2 via eth0",
      "Apr 23 15:00:01 gx dhcpd[813]: DHCPACK on 10.0.0.14 to 0:1b:2c:3:5:3 via eth0 uid "
      "01:00:1b:2c:03:05:03 lease-duration 600",
      "Apr 23 15:00:01.250 gx dhcpd[813]: DHCPACK on 10.0.0.15 to 0:1b:2c:3:5:4 via eth0",
      "Apr 23 15:00:01 gx dhcpd[813]: DHCPDISCOVER from 0:1b:2c:3:5:5 via eth0 [3600]\r",
      "Apr 23 15:00:01 gx dhcpd[813]: DHCPEXPIRE on 10.0.0.16 to 0:1b:2c:3:5:6",
      "Apr 23 15:00:01 gx dhcpd[813]: DHCPINFORM from 10.0.0.17 via eth0",
  };
  DhcpHarness h("isc-dhcpd", "Europe/London", 2026);
  auto parser = h.format->make_dhcp(h.ctx);
  size_t k = 0;
  for (const std::string& text : lines) {
    INFO(text);
    Line line;
    line.text = text;
    line.number = ++k;
    DhcpEvent ev;
    LineResult r = parser->parse(line, ev);
    DhcpHarness fresh_h("isc-dhcpd", "Europe/London", 2026);
    auto fresh = fresh_h.format->make_dhcp(fresh_h.ctx);
    DhcpEvent want;
    LineResult w = fresh->parse(line, want);
    REQUIRE(r.status == w.status);
    CHECK(std::string_view(r.reason) == std::string_view(w.reason));
    if (r.status != LineStatus::record) continue;
    CHECK(ev.time == want.time);
    CHECK(ev.time_flags == want.time_flags);
    CHECK(ev.action == want.action);
    CHECK(ev.ip == want.ip);
    CHECK(ev.has_mac == want.has_mac);
    CHECK(ev.mac == want.mac);
    CHECK(ev.host == want.host);
    CHECK(ev.client_id == want.client_id);
    CHECK(ev.lease_time == want.lease_time);
    CHECK(ev.relay == want.relay);
    CHECK(ev.server == want.server);
    CHECK(ev.server.data() >= text.data());
    CHECK(ev.server.data() + ev.server.size() <= text.data() + text.size());
    // A line read for its time only (the prefilter's path) reads its date
    // too: the next line with the kept header must still read as anew.
    if (k == 3) {
      Line other;
      other.text = "Apr 23 15:00:05 gx dhcpd[812]: DHCPACK on 10.0.0.1 to 0:1b:2c:3:4:5 via eth0";
      DhcpEvent t;
      CHECK(parser->parse_time(other, t).status == LineStatus::skip);
    }
  }
}

TEST_CASE("isc-dhcpd: a kept header is read anew once other dates were read", "[dhcp][isc-dhcpd]") {
  // The year of a year-less date follows the dates read before it: after
  // half a year of other programs' lines, "Dec 31" is read as the tracker
  // then says, whether or not its header is the last dhcpd one read.
  auto last_time = [](const char* pid) {
    DhcpHarness h("isc-dhcpd", "UTC", 0, utc("2027-01-01T06:00:00Z"));
    auto r = h.records(std::string("Dec 31 23:59:59 gw dhcpd[1]: DHCPACK on 10.0.0.9 to "
                                   "00:11:22:33:44:55 via eth0\n"
                                   "Jan  1 00:00:02 gw sshd[2]: Accepted publickey for root\n"
                                   "Apr  1 00:00:02 gw sshd[2]: Accepted publickey for root\n"
                                   "Jul  1 00:00:02 gw sshd[2]: Accepted publickey for root\n"
                                   "Dec 31 23:59:59 gw dhcpd[") +
                       pid + "]: DHCPACK on 10.0.0.8 to 00:11:22:33:44:56 via eth0\n");
    REQUIRE(r.size() == 2);
    return r[1].time();
  };
  CHECK(last_time("1") == last_time("7"));
}

TEST_CASE("isc-dhcpd: year rollover in a year-less log (dhcp_renew_across_new_year)",
          "[dhcp][isc-dhcpd]") {
  // No configured year: the file was last written on 2027-01-01, so the
  // December lines are 2026 and the year turns with the month.
  DhcpHarness h("isc-dhcpd", "Europe/London", 0, utc("2027-01-01T06:00:00Z"));
  auto r = h.records(
      "Dec 31 23:59:58 gw dhcpd[1]: DHCPACK on 10.0.0.9 to 00:11:22:33:44:55 via eth0\n"
      "Jan  1 00:00:02 gw dhcpd[1]: DHCPACK on 10.0.0.9 to 00:11:22:33:44:55 via eth0\n"
      "Dec 31 23:59:59 gw dhcpd[1]: DHCPACK on 10.0.0.8 to 00:11:22:33:44:56 via eth0\n"
      "Jan  1 05:00:00 gw dhcpd[1]: DHCPACK on 10.0.0.7 to 00:11:22:33:44:57 via eth0\n");
  REQUIRE(r.size() == 4);
  CHECK(r[0].time() == "2026-12-31T23:59:58Z");
  CHECK(r[1].time() == "2027-01-01T00:00:02Z");
  CHECK(r[2].time() == "2026-12-31T23:59:59Z");  // a late line from the old year
  CHECK(r[3].time() == "2027-01-01T05:00:00Z");
  for (const auto& o : r) CHECK((o.event.time_flags & kYearInferred) != 0);
}

TEST_CASE("isc-dhcpd: renewals across the DST change in New York", "[dhcp][isc-dhcpd][dst]") {
  // 2026-11-01: 01:00-02:00 EDT is followed by 01:00-02:00 EST.
  DhcpHarness h("isc-dhcpd", "America/New_York", 2026);
  auto r = h.records(
      "Nov  1 00:30:00 gw dhcpd[1]: DHCPACK on 10.0.0.9 to 00:11:22:33:44:55 via eth0\n"
      "Nov  1 01:30:00 gw dhcpd[1]: DHCPACK on 10.0.0.9 to 00:11:22:33:44:55 via eth0\n"
      "Nov  1 01:10:00 gw dhcpd[1]: DHCPACK on 10.0.0.9 to 00:11:22:33:44:55 via eth0\n"
      "Nov  1 02:30:00 gw dhcpd[1]: DHCPACK on 10.0.0.9 to 00:11:22:33:44:55 via eth0\n");
  REQUIRE(r.size() == 4);
  CHECK(r[0].time() == "2026-11-01T04:30:00Z");
  CHECK(r[1].time() == "2026-11-01T05:30:00Z");  // EDT, first pass
  CHECK(r[2].time() == "2026-11-01T06:10:00Z");  // EST, the hour again
  CHECK(r[3].time() == "2026-11-01T07:30:00Z");
  CHECK((r[1].event.time_flags & kLocalAmbiguous) != 0);
  CHECK((r[2].event.time_flags & kLocalAmbiguous) != 0);
  CHECK((r[3].event.time_flags & kLocalAmbiguous) == 0);
}

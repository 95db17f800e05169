#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::DhcpHarness;
using tracekit::test::utc;

TEST_CASE("dnsmasq: DHCPACK in syslog", "[dhcp][dnsmasq]") {
  DhcpHarness h("dnsmasq", "UTC", 2026);
  auto r = h.records(
      "Apr 23 16:19:00 gw dnsmasq-dhcp[1234]: DHCPACK(eth0) 10.0.0.5 00:11:22:33:44:55 laptop\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].event.action == DhcpAction::ack);
  CHECK(r[0].ip() == "10.0.0.5");
  CHECK(r[0].mac() == "00:11:22:33:44:55");
  CHECK(r[0].host == "laptop");
  CHECK(r[0].server == "gw");
  CHECK(r[0].relay == "eth0");
  CHECK(r[0].time() == "2026-04-23T16:19:00Z");
  CHECK(r[0].event.lease_time == Micros(0));  // not logged
}

TEST_CASE("dnsmasq: log-facility file with --log-dhcp transaction numbers", "[dhcp][dnsmasq]") {
  DhcpHarness h("dnsmasq", "Europe/London", 2026);
  auto all = h.run(
      "Apr 23 16:18:58 dnsmasq[811]: query[A] intranet.example from 192.168.50.29\n"
      "Apr 23 16:19:00 dnsmasq-dhcp[811]: 3164121857 available DHCP range: 192.168.50.10 -- "
      "192.168.50.50\n"
      "Apr 23 16:19:00 dnsmasq-dhcp[811]: 3164121857 client provides name: lab-pc-07\n"
      "Apr 23 16:19:00 dnsmasq-dhcp[811]: 3164121857 DHCPDISCOVER(eth1) 62:dc:06:5e:1e:d7 \n"
      "Apr 23 16:19:00 dnsmasq-dhcp[811]: 3164121857 tags: lan, eth1\n"
      "Apr 23 16:19:00 dnsmasq-dhcp[811]: 3164121857 DHCPOFFER(eth1) 192.168.50.29 "
      "62:dc:06:5e:1e:d7 \n"
      "Apr 23 16:19:00 dnsmasq-dhcp[811]: 3164121857 requested options: 1:netmask, 3:router, \n"
      "Apr 23 16:19:00 dnsmasq-dhcp[811]: 3164121857 sent size:  4 option: 51 lease-time  12h\n"
      "Apr 23 16:19:01 dnsmasq-dhcp[811]: 3164121857 DHCPREQUEST(eth1) 192.168.50.29 "
      "62:dc:06:5e:1e:d7 \n"
      "Apr 23 16:19:01 dnsmasq-dhcp[811]: 3164121857 DHCPACK(eth1) 192.168.50.29 "
      "62:dc:06:5e:1e:d7 lab-pc-07\n"
      "Apr 23 16:19:01 dnsmasq-dhcp[811]: 3164121857 broadcast response\n"
      "Apr 23 16:19:02 dnsmasq-tftp[811]: sent /srv/tftp/pxelinux.0 to 192.168.50.29\n"
      "Apr 23 16:19:03 dnsmasq-dhcp: DHCPACK(eth1) 192.168.50.30 62:dc:06:5e:1e:d8 \n");
  REQUIRE(all.size() == 13);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "dnsmasq DNS message");
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[1].reason == "dnsmasq-dhcp message that is not a packet");
  CHECK(all[3].event.action == DhcpAction::discover);
  CHECK(all[3].event.ip.is_unset());
  CHECK(all[3].mac() == "62:dc:06:5e:1e:d7");
  CHECK(all[3].server.empty());
  CHECK(all[5].event.action == DhcpAction::offer);
  CHECK(all[8].event.action == DhcpAction::request);
  CHECK(all[9].status == LineStatus::record);
  CHECK(all[9].event.action == DhcpAction::ack);
  CHECK(all[9].host == "lab-pc-07");
  CHECK(all[9].ip() == "192.168.50.29");
  CHECK(all[9].time() == "2026-04-23T15:19:01Z");  // BST
  CHECK(all[10].status == LineStatus::skip);
  CHECK(all[11].status == LineStatus::skip);
  CHECK(all[11].reason == "dnsmasq TFTP, script or debug message");
  CHECK(all[12].status == LineStatus::record);  // a tag without pid
  CHECK(all[12].ip() == "192.168.50.30");
}

TEST_CASE("dnsmasq: every DHCPv4 message shape", "[dhcp][dnsmasq]") {
  DhcpHarness h("dnsmasq", "UTC", 2026);
  auto all = h.run(
      "Apr 23 08:00:00 gw dnsmasq-dhcp[9]: DHCPDISCOVER(br0) 10.1.0.44 aa:bb:cc:00:11:22 \n"
      "Apr 23 08:00:00 gw dnsmasq-dhcp[9]: DHCPDISCOVER(br0) aa:bb:cc:00:11:23 no address "
      "available\n"
      "Apr 23 08:00:01 gw dnsmasq-dhcp[9]: DHCPNAK(br0) 172.20.10.9 aa:bb:cc:00:11:24 wrong "
      "address\n"
      "Apr 23 09:00:00 gw dnsmasq-dhcp[9]: DHCPRELEASE(br0) 10.1.0.44 aa:bb:cc:00:11:22 \n"
      "Apr 23 09:00:05 gw dnsmasq-dhcp[9]: DHCPRELEASE(br0) 10.1.0.99 aa:bb:cc:00:11:29 unknown "
      "lease\n"
      "Apr 23 09:01:00 gw dnsmasq-dhcp[9]: DHCPDECLINE(br0) 10.1.0.45 aa:bb:cc:00:11:25 \n"
      "Apr 23 09:02:00 gw dnsmasq-dhcp[9]: DHCPINFORM(br0) 10.1.0.7 aa:bb:cc:00:11:26 \n"
      "Apr 23 09:02:00 gw dnsmasq-dhcp[9]: tags: br0\n"
      "Apr 23 09:02:00 gw dnsmasq-dhcp[9]: DHCPACK(br0) 10.1.0.7 aa:bb:cc:00:11:26 printer\n"
      "Apr 23 09:03:00 gw dnsmasq-dhcp[9]: BOOTP(br0) 10.1.0.8 aa:bb:cc:00:11:27 \n"
      "Apr 23 09:03:01 gw dnsmasq-dhcp[9]: BOOTP(br0) aa:bb:cc:00:11:28 disabled\n"
      "Apr 23 09:04:00 gw dnsmasq-dhcp[9]: DHCPACK(br0) 10.1.0.9 "
      "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33 ib-node\n"
      "Apr 23 09:05:00 gw dnsmasq-dhcp[9]: DHCP packet received on br1 which has no address\n");
  REQUIRE(all.size() == 13);
  CHECK(all[0].event.action == DhcpAction::discover);
  CHECK(all[0].ip() == "10.1.0.44");  // the requested address
  CHECK(all[1].event.action == DhcpAction::discover);
  CHECK(all[1].host.empty());
  CHECK(all[2].event.action == DhcpAction::nak);
  CHECK(all[2].ip() == "172.20.10.9");
  CHECK(all[3].event.action == DhcpAction::release);
  CHECK(all[3].ip() == "10.1.0.44");
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "DHCPRELEASE of an unknown lease");
  CHECK(all[5].event.action == DhcpAction::decline);
  CHECK(all[6].event.action == DhcpAction::inform);
  CHECK(all[7].status == LineStatus::skip);
  CHECK(all[8].status == LineStatus::record);
  CHECK(all[8].event.action == DhcpAction::inform);  // answers the DHCPINFORM: no lease
  CHECK(all[8].host == "printer");
  CHECK(all[9].event.action == DhcpAction::ack);
  CHECK(all[9].ip() == "10.1.0.8");
  CHECK(all[10].status == LineStatus::skip);
  CHECK(all[10].reason == "BOOTP request not answered");
  CHECK(all[11].event.action == DhcpAction::ack);
  CHECK_FALSE(all[11].event.has_mac);
  CHECK(all[11].client_id == "00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33");
  CHECK(all[12].status == LineStatus::skip);
}

TEST_CASE("dnsmasq: renewal, release and re-grant of one address", "[dhcp][dnsmasq]") {
  DhcpHarness h("dnsmasq", "UTC", 2026);
  auto r = h.records(
      "Apr 23 08:00:00 gw dnsmasq-dhcp[9]: DHCPACK(br0) 10.1.0.44 aa:bb:cc:00:11:22 alice-pc\n"
      "Apr 23 14:00:00 gw dnsmasq-dhcp[9]: DHCPREQUEST(br0) 10.1.0.44 aa:bb:cc:00:11:22 \n"
      "Apr 23 14:00:00 gw dnsmasq-dhcp[9]: DHCPACK(br0) 10.1.0.44 aa:bb:cc:00:11:22 alice-pc\n"
      "Apr 23 17:30:00 gw dnsmasq-dhcp[9]: DHCPRELEASE(br0) 10.1.0.44 aa:bb:cc:00:11:22 \n"
      "Apr 23 17:45:00 gw dnsmasq-dhcp[9]: DHCPACK(br0) 10.1.0.44 de:ad:be:ef:00:01 bob-phone\n");
  REQUIRE(r.size() == 5);
  CHECK(r[2].event.action == DhcpAction::ack);
  CHECK(r[2].time() == "2026-04-23T14:00:00Z");
  CHECK(r[3].event.action == DhcpAction::release);
  CHECK(r[4].mac() == "de:ad:be:ef:00:01");
  CHECK(r[4].host == "bob-phone");
}

TEST_CASE("dnsmasq: DHCPv6 lines", "[dhcp][dnsmasq]") {
  DhcpHarness h("dnsmasq", "UTC", 2026);
  auto all = h.run(
      "Apr 23 10:00:00 gw dnsmasq-dhcp[9]: DHCPSOLICIT(eth0) "
      "00:01:00:01:2a:bb:cc:dd:00:11:22:33:44:55 \n"
      "Apr 23 10:00:00 gw dnsmasq-dhcp[9]: DHCPADVERTISE(eth0) 2001:db8:1::5 "
      "00:01:00:01:2a:bb:cc:dd:00:11:22:33:44:55 laptop\n"
      "Apr 23 10:00:01 gw dnsmasq-dhcp[9]: DHCPREQUEST(eth0) "
      "00:01:00:01:2a:bb:cc:dd:00:11:22:33:44:55 \n"
      "Apr 23 10:00:01 gw dnsmasq-dhcp[9]: DHCPREPLY(eth0) 2001:db8:1::5 "
      "00:01:00:01:2a:bb:cc:dd:00:11:22:33:44:55 laptop\n"
      "Apr 23 11:00:00 gw dnsmasq-dhcp[9]: DHCPRENEW(eth0) 00:03:00:01:66:77:88:99:aa:bb \n"
      "Apr 23 11:00:00 gw dnsmasq-dhcp[9]: DHCPREPLY(eth0) 2001:db8:1::9 "
      "00:03:00:01:66:77:88:99:aa:bb lease not found\n"
      "Apr 23 12:00:00 gw dnsmasq-dhcp[9]: DHCPRELEASE(eth0) "
      "00:01:00:01:2a:bb:cc:dd:00:11:22:33:44:55 \n"
      "Apr 23 12:00:01 gw dnsmasq-dhcp[9]: DHCPREPLY(eth0) "
      "00:02:00:00:ab:11:64:67:c5:94:07:32:3d:b6 no addresses available\n"
      "Apr 23 12:00:02 gw dnsmasq-dhcp[9]: DHCPINFORMATION-REQUEST(eth0) "
      "00:04:5a:8b:ec:01:aa:bb:cc:dd:ee:ff:00:11:22:33:44:55 tv\n");
  REQUIRE(all.size() == 9);
  CHECK(all[0].event.action == DhcpAction::discover);
  CHECK(all[0].client_id == "00:01:00:01:2a:bb:cc:dd:00:11:22:33:44:55");
  CHECK(all[0].mac() == "00:11:22:33:44:55");  // DUID-LLT
  CHECK(all[1].event.action == DhcpAction::offer);
  CHECK(all[1].ip() == "2001:db8:1::5");
  CHECK(all[2].event.action == DhcpAction::request);
  CHECK(all[3].status == LineStatus::record);
  CHECK(all[3].event.action == DhcpAction::ack);
  CHECK(all[3].ip() == "2001:db8:1::5");
  CHECK(all[3].host == "laptop");
  CHECK(all[3].mac() == "00:11:22:33:44:55");
  CHECK(all[4].event.action == DhcpAction::request);
  CHECK(all[4].mac() == "66:77:88:99:aa:bb");  // DUID-LL
  CHECK(all[5].event.action == DhcpAction::nak);
  CHECK(all[6].status == LineStatus::skip);
  CHECK(all[6].reason == "DHCPv6 release: dnsmasq does not log the addresses");
  CHECK(all[7].status == LineStatus::skip);
  CHECK(all[7].reason == "DHCPv6 reply without an address");
  CHECK(all[8].event.action == DhcpAction::inform);
  CHECK_FALSE(all[8].event.has_mac);  // DUID-UUID carries no MAC
}

TEST_CASE("dnsmasq: malformed lines and their reasons", "[dhcp][dnsmasq]") {
  DhcpHarness h("dnsmasq", "UTC", 2026);
  auto all = h.run(
      "Apr 23 08:00:00 gw dnsmasq-dhcp[9]: DHCPACK(br0) 10.1.0.300 aa:bb:cc:00:11:22 x\n"
      "Apr 23 08:00:00 gw dnsmasq-dhcp[9]: DHCPACK(br0) 10.1.0.3 zz:bb:cc:00:11:22 x\n"
      "Apr 23 08:00:00 gw dnsmasq-dhcp[9]: DHCPACK(br0) aa:bb:cc:00:11:22 x\n"
      "Apr 23 08:00:00 gw dnsmasq-dhcp[9]: DHCPOFFER(br0) \n"
      "not a log line at all\n"
      "Apr 23 08:00:01 gw sshd[99]: Accepted publickey for root from 10.0.0.1 port 22 ssh2\n"
      "Apr 23 08:00:02 gw dhcpd[5]: DHCPACK on 10.0.0.5 to 00:11:22:33:44:55 via eth0\n"
      "\n");
  REQUIRE(all.size() == 8);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason == "DHCPACK: bad IP address");
  CHECK(all[1].reason == "DHCPACK: bad MAC address");
  CHECK(all[2].reason == "DHCPACK: no IP address");
  CHECK(all[3].reason == "DHCPOFFER: bad MAC address");
  CHECK(all[4].status == LineStatus::malformed);
  CHECK(all[4].reason == "no syslog header");
  CHECK(all[5].status == LineStatus::foreign);
  CHECK(all[6].status == LineStatus::foreign);
  CHECK(all[7].status == LineStatus::skip);
}

TEST_CASE("dnsmasq: standard error output has no timestamp", "[dhcp][dnsmasq]") {
  DhcpHarness h("dnsmasq", "UTC", 2026);
  auto all = h.run(
      "dnsmasq: started, version 2.90 cachesize 150\n"
      "dnsmasq-dhcp: DHCP, IP range 192.168.50.10 -- 192.168.50.50, lease time 12h\n"
      "dnsmasq-dhcp: 1608555112 DHCPACK(wlan0) 192.168.50.29 62:dc:06:5e:1e:d7 iPhone\n"
      "dnsmasq-dhcp[811]: DHCPACK(wlan0) 192.168.50.30 62:dc:06:5e:1e:d8 \n");
  REQUIRE(all.size() == 4);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[2].status == LineStatus::malformed);
  CHECK(all[2].reason == "no timestamp (dnsmasq standard error output)");
  CHECK(all[2].ip() == "192.168.50.29");  // read, but not placed in time
  CHECK(all[2].host == "iPhone");
  CHECK(all[3].status == LineStatus::malformed);
}

TEST_CASE("dnsmasq: older tag, journald capture, OpenWrt logread, CRLF", "[dhcp][dnsmasq]") {
  DhcpHarness h("dnsmasq", "UTC", 2026);
  auto r = h.records(
      "Apr 23 08:00:00 gw dnsmasq[9]: DHCPACK(eth0) 10.0.0.5 00:11:22:33:44:55 old-tag\r\n"
      "Apr 23 08:00:01 gw dnsmasq[9]: dnsmasq-dhcp[9]: DHCPACK(eth0) 10.0.0.6 00:11:22:33:44:56 "
      "nested\n"
      "Thu Apr 23 08:00:02 2026 daemon.info dnsmasq-dhcp[1523]: DHCPACK(br-lan) 192.168.1.141 "
      "a4:5e:60:d1:22:3b MacBook-Air\n"
      "<30>1 2026-04-23T08:00:03.5Z gw dnsmasq-dhcp 9 - - DHCPACK(eth0) 10.0.0.7 "
      "00:11:22:33:44:57 \n");
  REQUIRE(r.size() == 4);
  CHECK(r[0].host == "old-tag");
  CHECK(r[1].host == "nested");
  CHECK(r[1].ip() == "10.0.0.6");
  CHECK(r[2].host == "MacBook-Air");
  CHECK(r[2].relay == "br-lan");
  CHECK(r[2].time() == "2026-04-23T08:00:02Z");
  CHECK((r[2].event.time_flags & kYearInferred) == 0);  // logread writes the year
  CHECK(r[3].time() == "2026-04-23T08:00:03.500Z");
  CHECK(r[3].host.empty());
}

TEST_CASE("dnsmasq: local times in a DST fold and a DST gap", "[dhcp][dnsmasq]") {
  DhcpHarness ny("dnsmasq", "America/New_York", 2026);
  auto a = ny.records(
      "Sun Nov  1 01:30:00 2026 daemon.info dnsmasq-dhcp[9]: DHCPACK(br-lan) 192.168.1.5 "
      "00:11:22:33:44:55 \n");
  REQUIRE(a.size() == 1);
  CHECK((a[0].event.time_flags & kLocalAmbiguous) != 0);

  DhcpHarness london("dnsmasq", "Europe/London", 2026);
  auto g = london.records(
      "Mar 29 01:30:00 gw dnsmasq-dhcp[9]: DHCPACK(eth0) 10.0.0.5 00:11:22:33:44:55 \n");
  REQUIRE(g.size() == 1);
  CHECK((g[0].event.time_flags & kLocalNonexistent) != 0);
}

TEST_CASE("dnsmasq: sniff", "[dhcp][dnsmasq]") {
  const char* why = "";
  auto& f = formats::dnsmasq_dhcp_format();
  CHECK(f.sniff("Apr 23 16:19:00 gw dnsmasq-dhcp[1234]: DHCPACK(eth0) 10.0.0.5 "
                "00:11:22:33:44:55 laptop\n",
                &why) >= 80);
  CHECK(f.sniff("Apr 23 16:19:00 gw dhcpd[812]: DHCPACK on 10.0.0.5 to 00:11:22:33:44:55 via "
                "eth0\n",
                &why) == 0);
  CHECK(f.sniff("#separator \\x09\n#path\tdhcp\n", &why) == 0);
  Family dhcp = Family::dhcp;
  auto s = sniff_format(
      "Apr 23 16:19:00 dnsmasq-dhcp[1234]: DHCPACK(eth0) 10.0.0.5 00:11:22:33:44:55 laptop\n",
      &dhcp);
  REQUIRE(s.format);
  CHECK(s.format->name == "dnsmasq");
}

TEST_CASE("dnsmasq: corpus", "[dhcp][dnsmasq][corpus]") {
  auto text = test::read_corpus("dhcp-dnsmasq/dnsmasq.log");
  if (!text) return;
  DhcpHarness h("dnsmasq", "UTC", 2026);
  auto all = h.run(*text);
  size_t records = 0, skipped = 0, malformed = 0, acks = 0;
  for (const auto& o : all) {
    if (o.status == LineStatus::record) ++records;
    if (o.status == LineStatus::skip) ++skipped;
    if (o.status == LineStatus::malformed) {
      ++malformed;
      CHECK_FALSE(o.reason.empty());
      // Written to standard error: every DHCP packet line is read but has no time.
      CHECK(o.reason == "no timestamp (dnsmasq standard error output)");
      if (o.event.action == DhcpAction::ack) {
        ++acks;
        CHECK(o.ip() == "192.168.50.29");
        CHECK(o.mac() == "62:dc:06:5e:1e:d7");
        CHECK(o.host == "iPhone");
      }
    }
  }
  CHECK(records == 0);
  CHECK(acks == 2);
  CHECK(malformed == 12);
  CHECK(records + skipped + malformed == all.size());
}

TEST_CASE("dnsmasq: the testdata samples", "[dhcp][dnsmasq]") {
  DhcpHarness h("dnsmasq", "Europe/London", 2026);
  auto all = h.run(test::read_sample("testdata/dhcp/dnsmasq/dnsmasq.log"));
  REQUIRE(all.size() == 55);
  std::vector<tracekit::test::DhcpOutcome> acks;
  for (auto& o : all) {
    CHECK(o.status != LineStatus::malformed);
    if (o.status == LineStatus::record && o.event.action == DhcpAction::ack) acks.push_back(o);
  }
  REQUIRE(acks.size() == 4);
  CHECK(acks[0].time() == "2026-04-23T07:02:42Z");
  CHECK(acks[1].ip() == "2001:db8:20:3::1a7");
  CHECK(acks[3].host == "jdoe-mbp");

  DhcpHarness s("dnsmasq", "Europe/London", 2026);
  auto sys = s.run(test::read_sample("testdata/dhcp/dnsmasq/syslog"));
  REQUIRE(sys.size() == 11);
  size_t records = 0, foreign = 0;
  for (auto& o : sys) {
    records += o.status == LineStatus::record;
    foreign += o.status == LineStatus::foreign;
  }
  CHECK(records == 9);
  CHECK(foreign == 2);
}

#include <filesystem>

#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::NatHarness;
using tracekit::test::sekoia_message;
using tracekit::test::utc;

namespace {
std::string ip(const IpAddr& a) {
  return a.is_unset() ? "" : to_string(a);
}

}  // namespace

TEST_CASE("fortigate: snat session with eventtime", "[nat][fortigate]") {
  NatHarness h("fortigate", "UTC", 2026);
  auto r = h.records(
      "<189>date=2026-04-23 time=16:21:00 devname=\"fgt-edge\" devid=\"FG100F0000000001\" "
      "eventtime=1776957660123456789 tz=\"+0100\" logid=\"0000000013\" type=\"traffic\" "
      "subtype=\"forward\" level=\"notice\" vd=\"root\" srcip=10.0.0.5 srcport=51234 "
      "srcintf=\"port1\" dstip=198.51.100.1 dstport=443 dstintf=\"wan1\" sessionid=4711 proto=6 "
      "action=\"close\" policyid=3 policyname=\"LAN to Internet\" service=\"HTTPS\" "
      "trandisp=\"snat\" transip=203.0.113.9 transport=40123 duration=121 sentbyte=2048\n");
  REQUIRE(r.size() == 1);
  const auto& e = r[0].event;
  CHECK(e.action == NatAction::session);
  CHECK(r[0].time() == "2026-04-23T15:21:00.123456Z");
  CHECK(e.start == utc("2026-04-23T15:18:59.123456Z"));
  CHECK(ip(e.inside_ip) == "10.0.0.5");
  CHECK(e.inside_port == 51234);
  CHECK(ip(e.public_ip) == "203.0.113.9");
  CHECK(e.public_port == 40123);
  CHECK(ip(e.dst_ip) == "198.51.100.1");
  CHECK(e.dst_port == 443);
  CHECK(e.proto == 6);
  CHECK(e.session_id == "4711");
  CHECK(e.device == "fgt-edge");
}

TEST_CASE("fortigate: date/time with and without tz, syslog prefix, noop", "[nat][fortigate]") {
  NatHarness h("fortigate", "Europe/London", 2026);
  auto r = h.records(
      "Apr 23 16:21:05 10.1.1.1 date=2026-04-23 time=16:21:00 devname=\"fgt-edge\" "
      "devid=\"FG100F0000000001\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" "
      "srcip=10.0.0.6 srcport=5353 dstip=198.51.100.53 dstport=53 sessionid=12 proto=17 "
      "action=\"accept\" trandisp=\"noop\" duration=180\n"
      "date=2026-04-23 time=16:21:00 devid=\"FG100F0000000001\" tz=\"-0500\" type=\"traffic\" "
      "subtype=\"forward\" srcip=10.0.0.7 srcport=1000 dstip=198.51.100.2 dstport=80 proto=6 "
      "action=\"timeout\" sessionid=13\n");
  REQUIRE(r.size() == 2);
  CHECK(r[0].time() == "2026-04-23T15:21:00Z");  // BST, the device's own date and time
  CHECK(r[0].event.start == utc("2026-04-23T15:18:00Z"));
  CHECK(ip(r[0].event.public_ip) == "10.0.0.6");  // no NAT: public = source
  CHECK(r[0].event.public_port == 5353);
  CHECK(r[0].event.proto == 17);
  CHECK(r[0].event.device == "fgt-edge");
  CHECK(r[1].time() == "2026-04-23T21:21:00Z");
  CHECK(r[1].event.start == kNoTime);  // no duration
  CHECK(r[1].event.device == "FG100F0000000001");
}

TEST_CASE("fortigate: dnat, snat+dnat, ICMP identifier, start, IPv6", "[nat][fortigate]") {
  NatHarness h("fortigate", "UTC", 2026);
  auto r = h.records(
      "date=2026-04-23 time=16:19:30 devname=\"fgt\" devid=\"FGT1\" eventtime=1776961170 "
      "type=\"traffic\" subtype=\"forward\" srcip=192.0.2.77 srcport=50110 dstip=203.0.113.20 "
      "dstport=443 sessionid=20 proto=6 action=\"client-rst\" trandisp=\"dnat\" "
      "tranip=192.168.7.20 tranport=8443 duration=20\n"
      "date=2026-04-23 time=16:19:31 devname=\"fgt\" devid=\"FGT1\" type=\"traffic\" "
      "subtype=\"forward\" srcip=10.0.0.5 srcport=1111 dstip=203.0.113.30 dstport=25 "
      "sessionid=21 proto=6 action=\"close\" trandisp=\"snat+dnat\" transip=203.0.113.9 "
      "transport=2222 tranip=192.168.7.25 tranport=25 duration=1\n"
      "date=2026-04-23 time=16:19:32 devname=\"fgt\" devid=\"FGT1\" type=\"traffic\" "
      "subtype=\"forward\" srcip=10.0.0.5 identifier=29027 dstip=198.51.100.8 sessionid=22 "
      "proto=1 action=\"accept\" service=\"PING\" trandisp=\"snat\" transip=203.0.113.9 "
      "transport=29027 duration=64\n"
      "date=2026-04-23 time=16:19:33 devname=\"fgt\" devid=\"FGT1\" type=\"traffic\" "
      "subtype=\"forward\" srcip=10.0.0.5 srcport=3333 dstip=198.51.100.9 dstport=443 "
      "sessionid=23 proto=6 action=\"start\" trandisp=\"snat\" transip=203.0.113.9 "
      "transport=4444\n"
      "date=2026-04-23 time=16:19:34 devname=\"fgt\" devid=\"FGT1\" type=\"traffic\" "
      "subtype=\"forward\" srcip=2001:db8:1::5 srcport=5555 dstip=2001:db8:ff::1 dstport=443 "
      "sessionid=24 proto=6 action=\"close\" trandisp=\"noop\" duration=2\n");
  REQUIRE(r.size() == 5);
  CHECK(r[0].time() == "2026-04-23T16:19:30Z");
  CHECK(ip(r[0].event.inside_ip) == "192.168.7.20");
  CHECK(r[0].event.inside_port == 8443);
  CHECK(ip(r[0].event.public_ip) == "203.0.113.20");
  CHECK(r[0].event.public_port == 443);
  CHECK(ip(r[0].event.dst_ip) == "192.0.2.77");
  CHECK(ip(r[1].event.inside_ip) == "10.0.0.5");
  CHECK(ip(r[1].event.public_ip) == "203.0.113.9");
  CHECK(r[1].event.public_port == 2222);
  CHECK(ip(r[1].event.dst_ip) == "203.0.113.30");
  CHECK(r[2].event.proto == 1);
  CHECK(r[2].event.inside_port == 29027);
  CHECK(r[2].event.public_port == 29027);
  CHECK(r[3].event.action == NatAction::open);
  CHECK(r[3].event.public_port == 4444);
  CHECK(ip(r[4].event.public_ip) == "2001:db8:1::5");
}

TEST_CASE("fortigate: CSV export", "[nat][fortigate]") {
  NatHarness h("fortigate", "UTC", 2026);
  auto r = h.records(
      "date=2026-04-23,time=16:51:36,devid=\"FGT1\",logid=\"0000000013\",type=\"traffic\","
      "subtype=\"forward\",srcip=10.0.0.5,srcport=10016,dstip=198.51.100.1,dstport=20,"
      "sessionid=10006,proto=6,action=\"accept\",policyname=\"a, b\",trandisp=\"snat\","
      "transip=203.0.113.9,transport=30016,duration=10\n");
  REQUIRE(r.size() == 1);
  CHECK(ip(r[0].event.public_ip) == "203.0.113.9");
  CHECK(r[0].event.public_port == 30016);
  CHECK(r[0].event.inside_port == 10016);
  CHECK(r[0].event.start == utc("2026-04-23T16:51:26Z"));
}

TEST_CASE("fortigate: skipped, foreign and malformed lines", "[nat][fortigate]") {
  NatHarness h("fortigate", "UTC", 2026);
  auto all = h.run(
      "date=2026-04-23 time=16:19:00 devid=\"FGT1\" type=\"traffic\" subtype=\"forward\" "
      "srcip=192.0.2.1 srcport=1 dstip=203.0.113.9 dstport=22 proto=6 action=\"deny\"\n"
      "date=2026-04-23 time=16:19:00 devid=\"FGT1\" type=\"event\" subtype=\"system\" "
      "msg=\"admin login\"\n"
      "Apr 23 16:19:00 gw sshd[99]: Accepted publickey for root from 10.0.0.1 port 22 ssh2\n"
      "date=2026-04-23 time=16:19:00 devid=\"FGT1\" type=\"traffic\" srcip=10.0.0.300 "
      "dstip=198.51.100.1 proto=6 action=\"close\"\n"
      "date=2026-04-23 time=16:19:00 devid=\"FGT1\" type=\"traffic\" srcip=10.0.0.3 "
      "dstip=198.51.100.1 proto=6 action=\"close\" trandisp=\"snat\"\n"
      "date=2026-04-23 time=16:19:00 devid=\"FGT1\" type=\"traffic\" policyname=\"open\n"
      "devid=\"FGT1\" type=\"traffic\" srcip=10.0.0.3 dstip=198.51.100.1 action=\"close\"\n"
      // An action this parser does not know: allowed traffic, read as a session.
      "date=2026-04-23 time=16:19:00 devid=\"FGT1\" type=\"traffic\" srcip=10.0.0.3 "
      "dstip=198.51.100.1 proto=6 action=\"some-new-end\" duration=2\n"
      "date=2026-04-23 time=16:19:00 devid=\"FGT1\" type=\"traffic\" srcip=10.0.0.3 "
      "dstip=198.51.100.1 proto=6\n"
      // FortiWeb: device_id=/log_id=, src=/dst=.
      "time=10:11:05 devname=waf1 device_id=FV0001 log_id=000000001 type=traffic "
      "subtype=slb_http src=\"192.0.2.4\" dst=\"203.0.113.8\"\n");
  REQUIRE(all.size() == 10);
  CHECK(all[7].status == LineStatus::record);
  CHECK(all[7].event.action == NatAction::session);
  CHECK(all[7].event.start == utc("2026-04-23T16:18:58Z"));
  CHECK(all[8].reason == "traffic log without action");
  CHECK(all[9].status == LineStatus::foreign);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "FortiGate traffic log of traffic not let through");
  CHECK(all[0].time() == "2026-04-23T16:19:00Z");
  CHECK(all[1].reason == "FortiGate log that is not a traffic log");
  CHECK(all[2].status == LineStatus::foreign);
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[3].reason == "traffic log: bad or missing srcip");
  CHECK(all[4].reason == "traffic log: trandisp=snat without a valid transip");
  CHECK(all[5].reason == "unterminated quoted value");
  CHECK(all[6].reason == "traffic log without date, time or eventtime");
}

TEST_CASE("fortigate: sniff", "[nat][fortigate]") {
  const char* why = "";
  auto& f = formats::fortigate_format();
  CHECK(f.sniff("date=2026-04-23 time=16:19:00 devid=\"FGT1\" logid=\"0000000013\" "
                "type=\"traffic\" subtype=\"forward\"\n",
                &why) >= 80);
  CHECK(f.sniff("Apr 23 16:19:00 gw dhcpd[5]: DHCPACK on 10.0.0.5\n", &why) == 0);
}

TEST_CASE("fortigate: the testdata sample", "[nat][fortigate]") {
  NatHarness h("fortigate", "Europe/London", 2026);
  auto all = h.run(test::read_sample("testdata/nat/fortigate/fortigate.log"));
  size_t records = 0, malformed = 0;
  for (const auto& o : all) {
    if (o.status == LineStatus::record) ++records;
    if (o.status == LineStatus::malformed) ++malformed;
  }
  CHECK(malformed == 0);
  CHECK(records == 5);
}

TEST_CASE("fortigate: corpus", "[nat][fortigate][corpus]") {
  auto text = test::read_corpus("nat-fortigate/traffic.log");
  if (!text) return;
  NatHarness h("fortigate", "UTC", 2026);
  auto all = h.run(*text);
  size_t records = 0, skipped = 0, malformed = 0, snat = 0;
  for (const auto& o : all) {
    if (o.status == LineStatus::record) {
      ++records;
      if (o.event.public_ip != o.event.inside_ip) ++snat;
    }
    if (o.status == LineStatus::skip) ++skipped;
    if (o.status == LineStatus::malformed) {
      INFO(o.raw << " -> " << o.reason);
      ++malformed;
    }
  }
  CHECK(malformed == 0);
  CHECK(records + skipped == all.size());
  // 13 lines: deny, dns and ip-conn skipped; accept/close/server-rst of
  // forward, local, multicast and sniffer traffic read; 6 through source NAT
  // (the sniffer line's transip=0.0.0.0 is no translation).
  CHECK(records == 10);
  CHECK(snat == 6);

  // Sekoia samples: one raw line each.
  auto dir = test::find_corpus("nat-fortigate/sekoia-fortigate");
  if (!dir) return;
  size_t traffic = 0, bad = 0;
  for (const auto& entry : std::filesystem::directory_iterator(*dir)) {
    std::string raw = sekoia_message(test::read_file(entry.path()));
    if (raw.empty()) continue;
    NatHarness hs("fortigate", "UTC", 2026);
    for (const auto& o : hs.run(raw + "\n")) {
      if (o.status == LineStatus::record) ++traffic;
      if (o.status == LineStatus::malformed) {
        INFO(raw << " -> " << o.reason);
        // icmp6.json: the sample's addresses were mangled by its anonymiser.
        CHECK(o.reason == "traffic log: bad or missing srcip");
        ++bad;
      }
    }
  }
  CHECK(bad == 1);
  CHECK(traffic == 13);
}

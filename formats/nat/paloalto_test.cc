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

// A traffic log line with the given columns changed (the rest as PAN-OS 10
// writes them). Columns: see paloalto.cc.
std::string pan_line(std::string subtype, std::string src, std::string dst, std::string nsrc,
                     std::string ndst, std::string sport, std::string dport, std::string nsport,
                     std::string ndport, std::string proto, std::string start,
                     std::string elapsed) {
  return "Apr 23 16:21:01 pa-edge 1,2026/04/23 16:21:01,013201000001,TRAFFIC," + subtype +
         ",2561,2026/04/23 16:21:00," + src + "," + dst + "," + nsrc + "," + ndst +
         ",campus-out,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,fwd,"
         "2026/04/23 16:21:00,4711,1," +
         sport + "," + dport + "," + nsport + "," + ndport + ",0x400053," + proto +
         ",allow,18204,2048,16156,26," + start + "," + elapsed +
         ",computer-and-internet-info,0,7312415129244589397,0x0,10.0.0.0-10.255.255.255,"
         "United States,0,12,14,tcp-fin,0,0,0,0,,pa-edge,from-policy,,,0,,0,,N/A,0,0,0,0\n";
}

}  // namespace

TEST_CASE("paloalto: end with source NAT", "[nat][paloalto]") {
  NatHarness h("paloalto", "Europe/London", 2026);
  auto r = h.records(pan_line("end", "10.0.0.5", "198.51.100.1", "203.0.113.9", "198.51.100.1",
                              "51234", "443", "40123", "443", "tcp", "2026/04/23 16:18:59", "121"));
  REQUIRE(r.size() == 1);
  const auto& e = r[0].event;
  CHECK(e.action == NatAction::session);
  CHECK(r[0].time() == "2026-04-23T15:21:00Z");  // Generated Time, BST
  CHECK(e.start == utc("2026-04-23T15:18:59Z"));
  CHECK(ip(e.inside_ip) == "10.0.0.5");
  CHECK(e.inside_port == 51234);
  CHECK(ip(e.public_ip) == "203.0.113.9");
  CHECK(e.public_port == 40123);
  CHECK(ip(e.dst_ip) == "198.51.100.1");
  CHECK(e.dst_port == 443);
  CHECK(e.proto == 6);
  CHECK(e.session_id == "4711");
  CHECK(e.device == "pa-edge");
}

TEST_CASE("paloalto: start, no NAT, destination NAT, ICMP, IPv6", "[nat][paloalto]") {
  NatHarness h("paloalto", "UTC", 2026);
  auto r = h.records(pan_line("start", "10.0.0.5", "198.51.100.1", "203.0.113.9", "198.51.100.1",
                              "51234", "443", "40123", "443", "tcp", "2026/04/23 16:21:00", "0") +
                     pan_line("end", "10.0.0.6", "10.1.0.1", "0.0.0.0", "0.0.0.0", "5353", "53",
                              "0", "0", "udp", "2026/04/23 16:20:00", "60") +
                     pan_line("end", "192.0.2.77", "203.0.113.20", "0.0.0.0", "192.168.7.20",
                              "49926", "443", "0", "8443", "tcp", "2026/04/23 16:20:40", "20") +
                     pan_line("end", "10.0.0.5", "198.51.100.8", "203.0.113.9", "198.51.100.8", "0",
                              "0", "0", "0", "icmp", "2026/04/23 16:20:55", "5") +
                     pan_line("end", "2001:db8:1::5", "2001:db8:ff::1", "", "", "51300", "443", "0",
                              "0", "tcp", "", "30"));
  REQUIRE(r.size() == 5);
  CHECK(r[0].event.action == NatAction::open);
  CHECK(r[0].event.public_port == 40123);
  CHECK(ip(r[1].event.public_ip) == "10.0.0.6");  // NAT Source IP 0.0.0.0: no NAT
  CHECK(r[1].event.public_port == 5353);
  CHECK(r[1].event.proto == 17);
  CHECK(ip(r[2].event.inside_ip) == "192.168.7.20");
  CHECK(r[2].event.inside_port == 8443);
  CHECK(ip(r[2].event.public_ip) == "203.0.113.20");
  CHECK(r[2].event.public_port == 443);
  CHECK(ip(r[2].event.dst_ip) == "192.0.2.77");
  CHECK(r[3].event.proto == 1);
  CHECK(ip(r[3].event.public_ip) == "203.0.113.9");  // address-only NAT
  CHECK(ip(r[4].event.public_ip) == "2001:db8:1::5");
  CHECK(r[4].event.start == utc("2026-04-23T16:20:30Z"));  // no Start Time: Generated - Elapsed
}

TEST_CASE("paloalto: quoted fields, skipped, foreign and malformed lines", "[nat][paloalto]") {
  NatHarness h("paloalto", "UTC", 2026);
  std::string quoted =
      "1,2026/04/23 16:21:01,013201000001,TRAFFIC,end,2561,2026/04/23 16:21:00,10.0.0.5,"
      "198.51.100.1,203.0.113.9,198.51.100.1,\"rule, with comma\",\"CAMPUS\\jdoe\",,ssl,vsys1,"
      "trust,untrust,ethernet1/2,ethernet1/1,fwd,2026/04/23 16:21:00,4712,1,51235,443,40124,443,"
      "0x400053,tcp,allow,18204,2048,16156,26,2026/04/23 16:18:59,121,any,0,1,0x0,a,b,0,12,14,"
      "tcp-fin\n";
  auto all = h.run(
      quoted +
      pan_line("drop", "192.0.2.1", "203.0.113.9", "0.0.0.0", "0.0.0.0", "1", "22", "0", "0", "tcp",
               "2026/04/23 16:21:00", "0") +
      "Apr 23 16:21:01 pa-edge 1,2026/04/23 16:21:01,013201000001,SYSTEM,general,2561,"
      "2026/04/23 16:21:00,,general,,0,0,general,informational,\"User admin logged in\",1,0x0\n"
      "Apr 23 16:19:00 gw sshd[99]: Accepted publickey for root from 10.0.0.1 port 22 ssh2\n" +
      pan_line("end", "10.0.0.300", "198.51.100.1", "0.0.0.0", "0.0.0.0", "1", "443", "0", "0",
               "tcp", "2026/04/23 16:21:00", "0") +
      "<14>Sep 16 10:00:02 PA-1 1,9/16/19 10:00,1801016000,TRAFFIC,start,2049,9/16/19 10:00,"
      "1.2.3.4\n"
      "1,2026/04/23 16:21:01,013201000001,TRAFFIC,end,2561,2026/04/23 16:21:00,\"10.0.0.5\n");
  REQUIRE(all.size() == 7);
  CHECK(all[0].status == LineStatus::record);
  CHECK(ip(all[0].event.public_ip) == "203.0.113.9");
  CHECK(all[0].event.public_port == 40124);
  CHECK(all[0].event.device == "013201000001");  // no Device Name column: the serial
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[1].reason == "traffic log of a dropped or denied session");
  CHECK(all[1].time() == "2026-04-23T16:21:00Z");
  CHECK(all[2].status == LineStatus::skip);
  CHECK(all[2].reason == "PAN-OS log that is not a traffic log");
  CHECK(all[3].status == LineStatus::foreign);
  CHECK(all[4].status == LineStatus::malformed);
  CHECK(all[4].reason == "traffic log: bad Source or Destination address");
  CHECK(all[5].reason == "traffic log: Receive Time not in YYYY/MM/DD HH:MM:SS form");
  CHECK(all[6].reason == "unterminated quoted field");
}

TEST_CASE("paloalto: sniff", "[nat][paloalto]") {
  const char* why = "";
  auto& f = formats::paloalto_format();
  CHECK(f.sniff(pan_line("end", "10.0.0.5", "198.51.100.1", "0.0.0.0", "0.0.0.0", "1", "443", "0",
                         "0", "tcp", "2026/04/23 16:21:00", "0"),
                &why) >= 80);
  CHECK(f.sniff("Apr 23 16:19:00 gw dhcpd[5]: DHCPACK on 10.0.0.5\n", &why) == 0);
}

TEST_CASE("paloalto: the testdata sample", "[nat][paloalto]") {
  NatHarness h("paloalto", "Europe/London", 2026);
  auto all = h.run(test::read_sample("testdata/nat/paloalto/pan-traffic.log"));
  size_t records = 0, malformed = 0;
  for (const auto& o : all) {
    if (o.status == LineStatus::record) ++records;
    if (o.status == LineStatus::malformed) ++malformed;
  }
  CHECK(malformed == 0);
  CHECK(records == 5);
}

TEST_CASE("paloalto: corpus", "[nat][paloalto][corpus]") {
  auto text = test::read_corpus("nat-paloalto-csv/traffic.log");
  if (!text) return;
  NatHarness h("paloalto", "UTC", 2026);
  auto all = h.run(*text);
  size_t records = 0, malformed = 0, snat = 0;
  for (const auto& o : all) {
    if (o.status == LineStatus::record) {
      ++records;
      if (o.event.action == NatAction::session) CHECK(o.event.start != kNoTime);
      CHECK(o.event.device == "PA-220");
      if (o.event.public_ip != o.event.inside_ip) ++snat;
    }
    if (o.status == LineStatus::malformed) {
      INFO(o.raw << " -> " << o.reason);
      ++malformed;
    }
  }
  CHECK(malformed == 0);
  // 34 lines: 1 start, 29 end; drop, deny, an empty and a "test" subtype skipped.
  CHECK(records == 30);
  CHECK(all.size() == 34);
  CHECK(snat == records);  // every session went out through 192.168.1.63

  auto threat = test::read_corpus("nat-paloalto-csv/palo-alto-threat.log");
  if (threat) {
    NatHarness ht("paloalto", "UTC", 2026);
    for (const auto& o : ht.run(*threat)) CHECK(o.status == LineStatus::skip);
  }

  // Sekoia samples: one raw line each (CSV, CEF, JSON and LEEF variants; only
  // the CSV ones are this format).
  auto dir = test::find_corpus("nat-paloalto-csv/sekoia-paloalto-ngfw");
  if (!dir) return;
  size_t traffic = 0;
  std::vector<std::string> bad;
  for (const auto& entry : std::filesystem::directory_iterator(*dir)) {
    std::string raw = sekoia_message(test::read_file(entry.path()));
    if (raw.empty()) continue;
    NatHarness hs("paloalto", "UTC", 2026);
    for (const auto& o : hs.run(raw + "\n")) {
      if (o.status == LineStatus::record) ++traffic;
      if (o.status == LineStatus::malformed) {
        INFO(raw);
        CHECK(o.reason == "traffic log: Receive Time not in YYYY/MM/DD HH:MM:SS form");
        bad.push_back(o.reason);
      }
    }
  }
  // Three samples write dates as "9/16/19 10:00" (edited by hand upstream).
  CHECK(bad.size() == 3);
  CHECK(traffic == 3);
}

// Regression (fuzz: paloalto/elapsed-time-overflow): an Elapsed Time whose
// microseconds overflow makes the line malformed, not a wrapped start.
TEST_CASE("paloalto: absurd elapsed time", "[nat][paloalto]") {
  NatHarness h("paloalto", "Europe/London", 2026);
  auto all = h.run(pan_line("end", "10.0.0.5", "198.51.100.1", "203.0.113.9", "198.51.100.1",
                            "51234", "443", "40123", "443", "tcp", "", "7312415129244580006"));
  REQUIRE(all.size() == 1);
  CHECK(all[0].status == LineStatus::malformed);
}

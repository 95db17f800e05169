#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::NatHarness;

namespace {
std::string ip(const IpAddr& a) {
  return to_string(a);
}
std::string rfc(Instant t, bool frac = true) {
  return format_rfc3339(t, frac);
}
struct Counts {
  size_t records = 0, skipped = 0, malformed = 0, sessions = 0, blocks = 0;
  std::string first_malformed;
};
Counts count(const std::vector<test::Outcome<NatEvent>>& all) {
  Counts c;
  for (const auto& o : all) {
    if (o.status == LineStatus::record) {
      ++c.records;
      if (o.event.action == NatAction::session) ++c.sessions;
      if (o.event.action == NatAction::block_open || o.event.action == NatAction::block_close)
        ++c.blocks;
    }
    if (o.status == LineStatus::skip) ++c.skipped;
    if (o.status == LineStatus::malformed) {
      if (c.malformed++ == 0) c.first_malformed = o.reason;
    }
  }
  return c;
}
}  // namespace

TEST_CASE("nfdump: -o raw records with NAT and port-block fields", "[nat][nfdump]") {
  NatHarness h("nfdump");
  auto all = h.run(
      "\n"
      "Flow Record: \n"
      "  RecordCount  =                  1\n"
      "  Flags        =               0x00 FLOW, Unsampled\n"
      "\n"
      "Flow Record: \n"
      "  first        =      1776961140235 [2026-04-23 16:19:00.235]\n"
      "  last         =      1776961260000 [2026-04-23 16:21:00.000]\n"
      "  proto        =                  6 TCP\n"
      "  src port     =              51234\n"
      "  dst port     =                443\n"
      "  src addr     =           10.0.0.5\n"
      "  dst addr     =      198.51.100.1\n"
      "  ip exporter  =          192.0.2.1\n"
      "  src xlt ip   =        203.0.113.9\n"
      "  dst xlt ip   =       198.51.100.1\n"
      "  src xlt port =              40123\n"
      "  dst xlt port =                443\n"
      "\n"
      "Flow Record: \n"
      "  first        =      1776961140000 [2026-04-23 16:19:00.000]\n"
      "  last         =      1776961140000 [2026-04-23 16:19:00.000]\n"
      "  proto        =                  6 TCP\n"
      "  src addr     =          10.0.0.77\n"
      "  dst addr     =            0.0.0.0\n"
      "  src xlt ip   =        203.0.113.9\n"
      "  nat event    =                  1: NAT translation create\n"
      "  pblock start =               2048\n"
      "  pblock end   =               2175\n"
      "  pblock step  =                  1\n"
      "  pblock size  =                128\n"
      "Flow Record: \n"
      "  first        =      1776961150000 [2026-04-23 16:19:10.000]\n"
      "  src addr     =          10.0.0.78\n"
      "  src xlt ip   =        203.0.113.9\n"
      "  nat event    =                 17: Port block de-allocation\n"
      "  pblock start =               4096\n"
      "  pblock size  =                512\n");
  Counts c = count(all);
  CHECK(c.malformed == 0);
  CHECK(c.records == 3);
  std::vector<const test::Outcome<NatEvent>*> recs;
  for (const auto& o : all)
    if (o.status == LineStatus::record) recs.push_back(&o);
  REQUIRE(recs.size() == 3);
  const NatEvent& s = recs[0]->event;
  CHECK(s.action == NatAction::session);
  CHECK(recs[0]->line == 6);
  CHECK(ip(s.inside_ip) == "10.0.0.5");
  CHECK(s.inside_port == 51234);
  CHECK(ip(s.public_ip) == "203.0.113.9");
  CHECK(s.public_port == 40123);
  CHECK(ip(s.dst_ip) == "198.51.100.1");
  CHECK(s.dst_port == 443);
  CHECK(s.proto == 6);
  CHECK(s.device == "192.0.2.1");
  CHECK(rfc(s.start) == "2026-04-23T16:19:00.235Z");
  CHECK(rfc(s.time) == "2026-04-23T16:21:00.000Z");
  CHECK(recs[0]->raw.starts_with("Flow Record: \n  first"));
  const NatEvent& b = recs[1]->event;
  CHECK(b.action == NatAction::block_open);
  CHECK(ip(b.inside_ip) == "10.0.0.77");
  CHECK(ip(b.public_ip) == "203.0.113.9");
  CHECK(b.public_port == 2048);
  CHECK(b.block_end == 2175);
  CHECK(rfc(b.time) == "2026-04-23T16:19:00.000Z");
  const NatEvent& r = recs[2]->event;
  CHECK(r.action == NatAction::block_close);  // closed by the next "Flow Record:" and finish()
  CHECK(r.public_port == 4096);
  CHECK(r.block_end == 4607);
}

TEST_CASE("nfdump: -o json objects across lines", "[nat][nfdump]") {
  NatHarness h("nfdump", "Europe/London");
  auto all = h.run(
      "[{\n"
      "\t\"type\" : \"EVENT\",\n"
      "\t\"t_first\" : \"2026-04-23T17:19:00.5\",\n"
      "\t\"t_last\" : \"2026-04-23T17:19:00.5\",\n"
      "\t\"proto\" : 17,\n"
      "\t\"src4_addr\" : \"10.0.0.8\",\n"
      "\t\"dst4_addr\" : \"198.51.100.53\",\n"
      "\t\"src_port\" : 41000,\n"
      "\t\"dst_port\" : 53,\n"
      "\t\"src4_xlt_ip\" : \"203.0.113.9\",\n"
      "\t\"src_xlt_port\" : \"1024\",\n"
      "\t\"nat_event\" : \"NAT44 session create\",\n"
      "\t\"ip4_router\" : \"192.0.2.1\"\n"
      "}, {\n"
      "\t\"type\" : \"EVENT\",\n"
      "\t\"t_first\" : \"2026-04-23T17:20:00.000\",\n"
      "\t\"src4_addr\" : \"10.0.0.8\",\n"
      "\t\"src4_xlt_ip\" : \"203.0.113.9\",\n"
      "\t\"nat_event\" : \"NAT ports exhausted\"\n"
      "}]\n");
  Counts c = count(all);
  CHECK(c.malformed == 0);
  REQUIRE(c.records == 1);
  const auto* o = &all[0];
  for (const auto& x : all)
    if (x.status == LineStatus::record) o = &x;
  CHECK(o->line == 1);
  CHECK(o->event.action == NatAction::open);
  CHECK(ip(o->event.public_ip) == "203.0.113.9");
  CHECK(o->event.public_port == 1024);
  CHECK(o->event.inside_port == 41000);
  CHECK(o->event.proto == 17);
  CHECK(rfc(o->event.time) == "2026-04-23T16:19:00.005Z");  // ".5" is 5 ms, BST
  CHECK(o->event.device == "192.0.2.1");
  CHECK(c.skipped >= 1);
}

TEST_CASE("nfdump: -o ndjson lines", "[nat][nfdump]") {
  NatHarness h("nfdump");
  auto all = h.run(
      "{\"type\":\"EVENT\",\"t_first\":\"2026-04-23T16:19:00.000\",\"t_last\":\"2026-04-23T16:19:"
      "00.000\",\"proto\":6,\"src4_addr\":\"10.0.0.5\",\"dst4_addr\":\"198.51.100.1\",\"src_port\":"
      "51234,\"dst_port\":443,\"src4_xlt_ip\":\"203.0.113.9\",\"src_xlt_port\":40123,\"nat_event\":"
      "\"NAT translation delete\"}\n"
      "{\"type\":\"EVENT\",\"t_first\":\"2026-04-23T16:19:00.000\",\"src6_addr\":\"2001:db8:10::"
      "5\","
      "\"src6_xlt_ip\":\"2001:db8:ff::9\",\"nat_event\":\"Port block allocation\",\"pblock_start\":"
      "\"10000\",\"pblock_end\":\"10999\"}\n"
      "{\"type\":\"FLOW\",\"t_first\":\"bad\",\"src4_addr\":\"10.0.0.5\"}\n");
  REQUIRE(all.size() == 3);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].event.action == NatAction::close);
  CHECK(all[0].event.public_port == 40123);
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == NatAction::block_open);
  CHECK(ip(all[1].event.public_ip) == "2001:db8:ff::9");
  CHECK(all[1].event.public_port == 10000);
  CHECK(all[1].event.block_end == 10999);
  CHECK(all[2].status == LineStatus::malformed);
  CHECK(all[2].reason == "bad t_first");
}

TEST_CASE("nfdump: CSV with short and long column names", "[nat][nfdump]") {
  NatHarness h("nfdump");
  auto all = h.run(
      "ts,te,td,sa,da,sp,dp,pr,xsa,xda,xsp,xdp,nevt,pbstart,pbend,pbstep,pbsize,ra\n"
      "2026-04-23 16:19:00.000,2026-04-23 16:19:00.000,0.000,10.0.0.5,198.51.100.1,51234,443,TCP,"
      "203.0.113.9,198.51.100.1,40123,443,ADD,0,0,0,0,192.0.2.1\n"
      "2026-04-23 16:19:00.000,2026-04-23 16:19:00.000,0.000,10.0.0.6,0.0.0.0,0,0,0,203.0.113.9,"
      "0.0.0.0,0,0,16,1024,1535,1,512,192.0.2.1\n"
      "2026-04-23 16:19:00.000,2026-04-23 16:19:00.000,0.000,10.0.0.6,198.51.100.1\n"
      "\n"
      "Summary\n"
      "flows,bytes,packets,avg_bps,avg_pps,avg_bpp\n"
      "2,0,0,0,0,0\n");
  Counts c = count(all);
  CHECK(c.records == 2);
  CHECK(c.malformed == 1);
  CHECK(c.first_malformed == "CSV row with fewer columns than its header");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == NatAction::open);
  CHECK(ip(all[1].event.public_ip) == "203.0.113.9");
  CHECK(all[1].event.public_port == 40123);
  CHECK(all[1].event.device == "192.0.2.1");
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.action == NatAction::block_open);
  CHECK(all[2].event.public_port == 1024);
  CHECK(all[2].event.block_end == 1535);
  CHECK(all[7].status == LineStatus::skip);

  NatHarness h2("nfdump", "Europe/London");
  auto r = h2.records(
      "firstSeen,lastSeen,duration,proto,srcAddr,dstAddr,srcPort,dstPort,srcXIP,srcXPort\n"
      "2026-04-23 17:19:00.123,2026-04-23 17:21:00.000,120.000,17,10.0.0.8,198.51.100.53,41000,53,"
      "203.0.113.9,1100\n"
      "2026-04-23 17:19:00.123,2026-04-23 17:21:00.000,120.000,6,10.0.0.9,198.51.100.53,41000,53,"
      "0.0.0.0,0\n");
  REQUIRE(r.size() == 2);
  CHECK(r[0].event.action == NatAction::session);
  CHECK(rfc(r[0].event.start) == "2026-04-23T16:19:00.123Z");
  CHECK(rfc(r[0].event.time) == "2026-04-23T16:21:00.000Z");
  CHECK(r[0].event.public_port == 1100);
  // No translation: the public address is the source itself.
  CHECK(ip(r[1].event.public_ip) == "10.0.0.9");
  CHECK(r[1].event.public_port == 41000);
}

TEST_CASE("nfdump: -o nel and -o line rows", "[nat][nfdump]") {
  NatHarness h("nfdump");
  auto all = h.run(
      "Date event               Event  Proto      Src IP Addr:Port          Dst IP Addr:Port     "
      "X-Src IP Addr:Port        X-Dst IP Addr:Port\n"
      "2026-04-23 16:19:00.120   ADD TCP         10.0.0.5:51234 ->     198.51.100.1:443     "
      "203.0.113.9:40123 ->     198.51.100.1:443\n"
      "2026-04-23 16:20:00.000 DELETE UDP  2001:db8:10::5.5353 ->  2001:db8:ff::53.53  "
      "2001:db8:ff::9.1024 ->  2001:db8:ff::53.53\n"
      "2026-04-23 16:21:00.000   ADD ICMP        10.0.0.9:0 ->     198.51.100.1:8.0       "
      "203.0.113.9:0 ->     198.51.100.1:8.0\n"
      "2026-04-23 16:22:00.000     0.500 TCP      10.0.0.7:40000 ->   198.51.100.80:80         "
      "4     1200     1\n"
      "2026-04-23 16:23:00.000   ADD TCP   2001:db8:10..55.40000 ->  2001:db8:ff::1.443  "
      "2001:db8:ff::9.1024 ->  2001:db8:ff::1.443\n"
      "Summary: total flows: 4, total bytes: 1200, total packets: 4, avg bps: 0, avg pps: 0, "
      "avg bpp: 0\n"
      "Time window: 2026-04-23 16:19:00 - 2026-04-23 16:22:00\n");
  REQUIRE(all.size() == 8);
  CHECK(all[0].status == LineStatus::skip);
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == NatAction::open);
  CHECK(ip(all[1].event.inside_ip) == "10.0.0.5");
  CHECK(ip(all[1].event.public_ip) == "203.0.113.9");
  CHECK(all[1].event.public_port == 40123);
  CHECK(all[1].event.dst_port == 443);
  CHECK(rfc(all[1].event.time) == "2026-04-23T16:19:00.120Z");
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.action == NatAction::close);
  CHECK(ip(all[2].event.inside_ip) == "2001:db8:10::5");
  CHECK(all[2].event.inside_port == 5353);
  CHECK(ip(all[2].event.public_ip) == "2001:db8:ff::9");
  CHECK(all[2].event.public_port == 1024);
  REQUIRE(all[3].status == LineStatus::record);
  CHECK(all[3].event.proto == 1);
  CHECK(ip(all[3].event.public_ip) == "203.0.113.9");
  REQUIRE(all[4].status == LineStatus::record);
  CHECK(all[4].event.action == NatAction::session);
  CHECK(ip(all[4].event.public_ip) == "10.0.0.7");
  CHECK(all[5].status == LineStatus::malformed);
  CHECK(all[5].reason == "IPv6 address shortened by nfdump (print with -6)");
  CHECK(all[6].status == LineStatus::skip);
  CHECK(all[7].status == LineStatus::skip);
}

TEST_CASE("nfdump: a destination-only translation names the server behind the NAT",
          "[nat][nfdump]") {
  NatHarness h("nfdump");
  auto r = h.records(
      "{\"type\":\"EVENT\",\"t_first\":\"2026-04-23T16:19:00.000\",\"proto\":6,"
      "\"src4_addr\":\"198.51.100.77\",\"dst4_addr\":\"203.0.113.9\",\"src_port\":55000,"
      "\"dst_port\":8443,\"src4_xlt_ip\":\"198.51.100.77\",\"dst4_xlt_ip\":\"192.168.1.20\","
      "\"src_xlt_port\":55000,\"dst_xlt_port\":443,\"nat_event\":\"NAT44 session create\"}\n");
  REQUIRE(r.size() == 1);
  const NatEvent& e = r[0].event;
  CHECK(ip(e.inside_ip) == "192.168.1.20");
  CHECK(e.inside_port == 443);
  CHECK(ip(e.public_ip) == "203.0.113.9");
  CHECK(e.public_port == 8443);
  CHECK(ip(e.dst_ip) == "198.51.100.77");
  CHECK(e.dst_port == 55000);
}

TEST_CASE("nfdump: malformed and foreign input", "[nat][nfdump]") {
  NatHarness h("nfdump");
  auto all = h.run(
      "Apr 23 16:19:00 gw sshd[1]: hello\n"
      "Flow Record: \n"
      "  first        =      abc\n"
      "  src addr     =           10.0.0.5\n"
      "\n"
      "[{\n"
      "\t\"t_first\" : \"2026-04-23T16:19:00.000\",\n");
  // Lines inside a record are "more" and not kept by the harness.
  REQUIRE(all.size() == 3);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason ==
        "expected an nfdump record (Flow Record:, a JSON object or a CSV row after its header)");
  CHECK(all[1].status == LineStatus::malformed);
  CHECK(all[1].reason == "bad first time");
  CHECK(all[1].line == 2);
  CHECK(all[2].status == LineStatus::malformed);
  CHECK(all[2].reason == "JSON object not closed at the end of the file");
}

TEST_CASE("nfdump: sniff", "[nat][nfdump]") {
  const char* why = "";
  auto& f = formats::nfdump_format();
  CHECK(f.sniff("\nFlow Record: \n  RecordCount  =  1\n", &why) >= 90);
  CHECK(f.sniff("ts,te,td,sa,da,sp,dp,pr,flg\n", &why) >= 80);
  CHECK(f.sniff("Date first seen          Event  Proto      Src IP Addr:Port          Dst IP "
                "Addr:Port\n",
                &why) >= 90);
  CHECK(f.sniff("Apr 23 16:19:00 gw sshd[1]: hello\n", &why) == 0);
}

TEST_CASE("nfdump: the testdata samples", "[nat][nfdump]") {
  NatHarness h("nfdump", "UTC");
  Counts csv = count(h.run(test::read_sample("testdata/nat/nfdump/nel.csv")));
  CHECK(csv.malformed == 0);
  CHECK(csv.records == 5);
  CHECK(csv.blocks == 2);
  NatHarness h2("nfdump", "UTC");
  Counts js = count(h2.run(test::read_sample("testdata/nat/nfdump/nel.ndjson")));
  CHECK(js.malformed == 0);
  CHECK(js.records == 3);
}

TEST_CASE("nfdump: the public corpus (-o raw)", "[nat][nfdump][corpus]") {
  for (const char* name : {"nat-nfdump-text/nftest.1.out", "nat-nfdump-text/nftest.2.out"}) {
    INFO(name);
    auto text = test::read_corpus(name);
    if (!text) return;
    const char* why = "";
    CHECK(formats::nfdump_format().sniff(*text, &why) >= 90);
    NatHarness h("nfdump");
    auto all = h.run(*text);
    Counts c = count(all);
    CHECK(c.first_malformed == "");
    CHECK(c.malformed == 0);
    // 32 records with addresses: nfgen's test flows (sessions) and two NAT
    // create events carrying a port block 1024-16534 of 44.55.66.77.
    CHECK(c.records == 32);
    CHECK(c.blocks == 2);
    CHECK(c.sessions == 30);
    for (const auto& o : all) {
      if (o.status != LineStatus::record || o.event.action != NatAction::block_open) continue;
      CHECK(ip(o.event.public_ip) == "44.55.66.77");
      CHECK(ip(o.event.inside_ip) == "72.138.170.101");
      CHECK(o.event.public_port == 1024);
      CHECK(o.event.block_end == 16534);
      CHECK(o.event.device == "127.0.0.1");
    }
  }
}

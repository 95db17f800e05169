#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::NatHarness;

namespace {
std::string ip(const IpAddr& a) {
  return to_string(a);
}
std::string rfc(Instant t, bool frac = false) {
  return format_rfc3339(t, frac);
}
}  // namespace

TEST_CASE("ulogd2: LOGEMU text lines", "[nat][ulogd2]") {
  NatHarness h("ulogd2", "Europe/London", 2026);
  auto all = h.run(
      "Apr 23 17:19:00 gw [NEW] ORIG: SRC=10.0.0.5 DST=198.51.100.1 PROTO=TCP SPT=51234 DPT=443 "
      "PKTS=0 BYTES=0 , REPLY: SRC=198.51.100.1 DST=203.0.113.9 PROTO=TCP SPT=443 DPT=40123 "
      "PKTS=0 BYTES=0\n"
      "Apr 23 17:19:05 gw [UPDATE] ORIG: SRC=10.0.0.5 DST=198.51.100.1 PROTO=TCP SPT=51234 "
      "DPT=443 , REPLY: SRC=198.51.100.1 DST=203.0.113.9 PROTO=TCP SPT=443 DPT=40123\n"
      "Apr 23 17:21:00 gw [DESTROY] ORIG: SRC=10.0.0.5 DST=198.51.100.1 PROTO=TCP SPT=51234 "
      "DPT=443 PKTS=12 BYTES=1880 , REPLY: SRC=198.51.100.1 DST=203.0.113.9 PROTO=TCP SPT=443 "
      "DPT=40123 PKTS=10 BYTES=9120\n"
      "Apr 23 17:22:00 gw ORIG: SRC=10.0.0.9 DST=198.51.100.1 PROTO=ICMP TYPE=0 CODE=8 , REPLY: "
      "SRC=198.51.100.1 DST=203.0.113.9 PROTO=ICMP TYPE=0 CODE=0\n");
  REQUIRE(all.size() == 4);
  REQUIRE(all[0].status == LineStatus::record);
  const NatEvent& e = all[0].event;
  CHECK(e.action == NatAction::open);
  CHECK(e.proto == 6);
  CHECK(ip(e.inside_ip) == "10.0.0.5");
  CHECK(e.inside_port == 51234);
  CHECK(ip(e.public_ip) == "203.0.113.9");
  CHECK(e.public_port == 40123);
  CHECK(ip(e.dst_ip) == "198.51.100.1");
  CHECK(e.dst_port == 443);
  CHECK(e.device == "gw");
  CHECK(all[0].time() == "2026-04-23T16:19:00Z");  // BST
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[1].time() == "2026-04-23T16:19:05Z");
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.action == NatAction::close);
  CHECK(all[2].event.start == kNoTime);
  // Older printflow wrote no event for a destroy.
  REQUIRE(all[3].status == LineStatus::record);
  CHECK(all[3].event.action == NatAction::close);
  CHECK(all[3].event.proto == 1);
  CHECK(all[3].event.inside_port == 0);
}

TEST_CASE("ulogd2: SYSLOG output plugin and foreign lines", "[nat][ulogd2]") {
  NatHarness h("ulogd2", "UTC", 2026);
  auto all = h.run(
      "Apr 23 16:19:00 gw ulogd[311]: [NEW] ORIG: SRC=2001:db8:10::5 DST=2001:db8:ff::1 "
      "PROTO=UDP SPT=5000 DPT=53 , REPLY: SRC=2001:db8:ff::1 DST=2001:db8:10::5 PROTO=UDP SPT=53 "
      "DPT=5000\n"
      "Apr 23 16:19:01 gw ulogd[311]: building new pluginstance stack: "
      "'ct1:NFCT,ip2str1:IP2STR,print1:PRINTFLOW,sys1:SYSLOG'\n"
      "Apr 23 16:19:02 gw kernel: [ 1.0] eth0: link up\n");
  REQUIRE(all.size() == 3);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].event.proto == 17);
  CHECK(ip(all[0].event.public_ip) == "2001:db8:10::5");
  CHECK(all[0].event.public_port == 5000);
  CHECK(all[0].event.device == "gw");
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[1].reason == "ulogd message that is not a flow");
  CHECK(all[2].status == LineStatus::foreign);
}

TEST_CASE("ulogd2: JSON destroy with flow times", "[nat][ulogd2]") {
  NatHarness h("ulogd2", "UTC", 2026);
  auto r = h.records(
      "{\"timestamp\": \"2026-04-23T17:21:00+0100\", \"dvc\": \"Netfilter\", "
      "\"orig.ip.protocol\": 6, \"orig.l4.sport\": 51234, \"orig.l4.dport\": 443, "
      "\"reply.ip.protocol\": 6, \"reply.l4.sport\": 443, \"reply.l4.dport\": 40123, \"ct.id\": "
      "3954879, \"ct.event\": 4, \"flow.start.sec\": 1776961140, \"flow.start.usec\": 123456, "
      "\"flow.end.sec\": 1776961260, \"flow.end.usec\": 4000, \"oob.family\": 2, "
      "\"orig.ip.saddr.str\": \"10.0.0.5\", \"orig.ip.daddr.str\": \"198.51.100.1\", "
      "\"reply.ip.saddr.str\": \"198.51.100.1\", \"reply.ip.daddr.str\": \"203.0.113.9\"}\n");
  REQUIRE(r.size() == 1);
  const NatEvent& e = r[0].event;
  CHECK(e.action == NatAction::close);
  CHECK(e.proto == 6);
  CHECK(ip(e.inside_ip) == "10.0.0.5");
  CHECK(ip(e.public_ip) == "203.0.113.9");
  CHECK(e.public_port == 40123);
  CHECK(e.session_id == "3954879");
  CHECK(e.device == "Netfilter");
  CHECK(rfc(e.time, true) == "2026-04-23T16:21:00.004Z");
  CHECK(rfc(e.start, true) == "2026-04-23T16:19:00.123456Z");
}

TEST_CASE("ulogd2: JSON new without flow times uses the timestamp", "[nat][ulogd2]") {
  NatHarness h("ulogd2", "UTC", 2026);
  auto all = h.run(
      "{\"timestamp\": \"2026-04-23T17:19:00+0100\", \"dvc\": \"fw1\", \"ct.event\": 1, "
      "\"orig.ip.protocol\": 17, \"orig.l4.sport\": 5060, \"orig.l4.dport\": 5060, "
      "\"reply.l4.sport\": 5060, \"reply.l4.dport\": 5060, \"orig.ip.saddr.str\": "
      "\"198.51.100.9\", \"orig.ip.daddr.str\": \"203.0.113.9\", \"reply.ip.saddr.str\": "
      "\"192.168.1.30\", \"reply.ip.daddr.str\": \"198.51.100.9\"}\n"
      "{\"timestamp\": \"2026-04-23T17:19:01+0100\", \"ct.event\": 2, \"orig.ip.saddr.str\": "
      "\"10.0.0.5\", \"orig.ip.daddr.str\": \"198.51.100.1\", \"reply.ip.saddr.str\": "
      "\"198.51.100.1\", \"reply.ip.daddr.str\": \"203.0.113.9\"}\n"
      "{\"timestamp\": \"2026-04-23T17:19:01+0100\", \"ct.event\": 1, \"orig.ip.saddr.str\": "
      "\"10.0.0.500\", \"orig.ip.daddr.str\": \"198.51.100.1\", \"reply.ip.saddr.str\": "
      "\"198.51.100.1\", \"reply.ip.daddr.str\": \"203.0.113.9\"}\n"
      "{\"timestamp\": \"2026-04-23T17:19:01+0100\", \"ct.event\": 1, \"orig.ip.saddr.str\": "
      "\"10.0.0.5\"\n"
      "{\"ct.event\": 4, \"orig.ip.saddr.str\": \"10.0.0.5\", \"orig.ip.daddr.str\": "
      "\"198.51.100.1\", \"reply.ip.saddr.str\": \"198.51.100.1\", \"reply.ip.daddr.str\": "
      "\"203.0.113.9\"}\n");
  REQUIRE(all.size() == 5);
  REQUIRE(all[0].status == LineStatus::record);
  const NatEvent& e = all[0].event;
  // A port forward: the inside host is the server the reply comes from.
  CHECK(e.action == NatAction::open);
  CHECK(ip(e.inside_ip) == "192.168.1.30");
  CHECK(ip(e.public_ip) == "203.0.113.9");
  CHECK(e.public_port == 5060);
  CHECK(ip(e.dst_ip) == "198.51.100.9");
  CHECK(all[0].time() == "2026-04-23T16:19:00Z");
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[2].status == LineStatus::malformed);
  CHECK(all[2].reason == "bad address in orig./reply. ip field");
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[3].reason == "JSON: expected ',' or '}'");
  CHECK(all[4].status == LineStatus::malformed);
  CHECK(all[4].reason == "no timestamp and no flow.start/end.sec");
}

TEST_CASE("ulogd2: sniff and samples", "[nat][ulogd2]") {
  const char* why = "";
  auto& f = formats::ulogd2_nfct_format();
  std::string text = test::read_sample("testdata/nat/ulogd2/ulogd-syslogemu.log");
  std::string json = test::read_sample("testdata/nat/ulogd2/ulogd.json");
  CHECK(f.sniff(text, &why) >= 90);
  CHECK(f.sniff(json, &why) >= 90);
  CHECK(f.sniff("Apr 23 16:19:00 gw sshd[1]: Accepted password for x from 192.0.2.1\n", &why) == 0);
  NatHarness h("ulogd2", "Europe/London", 2026);
  CHECK(h.records(text).size() == 4);
  auto js = h.records(json);
  REQUIRE(js.size() == 2);
  CHECK(ip(js[1].event.inside_ip) == "2001:db8:10::7");
  CHECK(ip(js[1].event.public_ip) == "2001:db8:10::7");
  CHECK(js[1].event.proto == 17);
}

TEST_CASE("ulogd2: netfilter LOG lines of the public corpus are not flows",
          "[nat][ulogd2][corpus]") {
  // No public ulogd NFCT log exists (see the corpus README); kernel
  // LOG-target lines share SRC=/DST= keys and must not be read as flows.
  for (const char* name : {"nat-iptables/iptables-logs.log", "nat-iptables/unifi-logs.log"}) {
    INFO(name);
    auto text = test::read_corpus(name);
    if (!text) return;
    NatHarness h("ulogd2", "UTC", 2026);
    size_t foreign = 0, other = 0;
    for (const auto& o : h.run(*text)) {
      if (o.status == LineStatus::foreign)
        ++foreign;
      else if (!(o.status == LineStatus::skip && o.reason == "empty line"))
        ++other;
    }
    CHECK(foreign > 0);
    CHECK(other == 0);
    const char* why = "";
    CHECK(formats::ulogd2_nfct_format().sniff(*text, &why) == 0);
  }
}

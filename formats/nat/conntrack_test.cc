#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::NatHarness;

namespace {
std::string ip(const IpAddr& a) {
  return to_string(a);
}
std::string rfc(Instant t) {
  return format_rfc3339(t);
}
}  // namespace

TEST_CASE("conntrack: source NAT with -o timestamp", "[nat][conntrack]") {
  NatHarness h("conntrack");
  auto r = h.records(
      "[1776961140.123456]\t    [NEW] tcp      6 120 SYN_SENT src=10.0.0.5 dst=198.51.100.1 "
      "sport=51234 dport=443 [UNREPLIED] src=198.51.100.1 dst=203.0.113.9 sport=443 "
      "dport=40123\n");
  REQUIRE(r.size() == 1);
  const NatEvent& e = r[0].event;
  CHECK(e.action == NatAction::open);
  CHECK(e.proto == 6);
  CHECK(ip(e.inside_ip) == "10.0.0.5");
  CHECK(e.inside_port == 51234);
  CHECK(ip(e.public_ip) == "203.0.113.9");
  CHECK(e.public_port == 40123);
  CHECK(ip(e.dst_ip) == "198.51.100.1");
  CHECK(e.dst_port == 443);
  CHECK(r[0].time() == "2026-04-23T16:19:00.123456Z");
  CHECK((e.time_flags & kHasFraction) != 0);
  CHECK(e.session_id.empty());
  CHECK(e.device.empty());
}

TEST_CASE("conntrack: destroy with counters, delta-time and id", "[nat][conntrack]") {
  NatHarness h("conntrack");
  auto all = h.run(
      "[1776961140.000100]\t    [NEW] udp      17 30 src=10.0.0.7 dst=198.51.100.53 sport=5353 "
      "dport=53 [UNREPLIED] src=198.51.100.53 dst=203.0.113.9 sport=53 dport=1024 id=3954879\n"
      "[1776961142.500000]\t [UPDATE] udp      17 180 src=10.0.0.7 dst=198.51.100.53 sport=5353 "
      "dport=53 src=198.51.100.53 dst=203.0.113.9 sport=53 dport=1024 [ASSURED] id=3954879\n"
      "[1776961260.000000]\t[DESTROY] udp      17 src=10.0.0.7 dst=198.51.100.53 sport=5353 "
      "dport=53 packets=2 bytes=120 src=198.51.100.53 dst=203.0.113.9 sport=53 dport=1024 "
      "packets=2 bytes=240 [ASSURED] mark=0 delta-time=120 use=1 id=3954879\n"
      "conntrack v1.4.8 (conntrack-tools): 3 flow events have been shown.\n");
  REQUIRE(all.size() == 4);
  CHECK(all[0].status == LineStatus::record);
  CHECK(all[0].event.session_id == "3954879");
  CHECK(all[0].event.proto == 17);
  CHECK(all[0].event.public_port == 1024);
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[1].reason == "conntrack update: the translation was logged at [NEW]");
  CHECK(all[1].time() == "2026-04-23T16:19:02.500Z");
  REQUIRE(all[2].status == LineStatus::record);
  const NatEvent& e = all[2].event;
  CHECK(e.action == NatAction::close);
  CHECK(ip(e.inside_ip) == "10.0.0.7");
  CHECK(e.inside_port == 5353);
  CHECK(ip(e.public_ip) == "203.0.113.9");
  CHECK(e.public_port == 1024);
  CHECK(e.session_id == "3954879");
  CHECK(rfc(e.time) == "2026-04-23T16:21:00Z");
  CHECK(rfc(e.start) == "2026-04-23T16:19:00Z");
  CHECK(all[3].status == LineStatus::skip);
  CHECK(all[3].reason == "conntrack summary line");
}

TEST_CASE("conntrack: -o extended, IPv6 and ICMP", "[nat][conntrack]") {
  NatHarness h("conntrack");
  auto all = h.run(
      "[1776961140.000001]\t    [NEW] ipv4     2 icmp     1 30 src=10.0.0.5 dst=198.51.100.1 "
      "type=8 code=0 id=4711 [UNREPLIED] src=198.51.100.1 dst=203.0.113.9 type=0 code=0 id=61001 "
      "id=12\n"
      "[1776961140.000002]\t    [NEW] ipv6     10 tcp      6 120 SYN_SENT src=2001:db8:10::5 "
      "dst=2001:db8:ff::1 sport=40000 dport=80 [UNREPLIED] src=2001:db8:ff::1 dst=2001:db8:10::5 "
      "sport=80 dport=40000\n"
      "[1776961140.000003]\t    [NEW] ipv6     10 icmpv6   58 30 src=2001:db8:10::5 "
      "dst=2001:db8:ff::1 type=128 code=0 id=77 [UNREPLIED] src=2001:db8:ff::1 "
      "dst=2001:db8:10::5 type=129 code=0 id=77\n");
  REQUIRE(all.size() == 3);
  for (const auto& o : all) REQUIRE(o.status == LineStatus::record);
  const NatEvent& icmp = all[0].event;
  CHECK(icmp.proto == 1);
  CHECK(icmp.inside_port == 4711);
  CHECK(icmp.public_port == 61001);  // the id the NAT gave the query
  CHECK(ip(icmp.public_ip) == "203.0.113.9");
  CHECK(icmp.session_id == "12");
  const NatEvent& v6 = all[1].event;
  CHECK(v6.proto == 6);
  CHECK(ip(v6.inside_ip) == "2001:db8:10::5");
  CHECK(ip(v6.public_ip) == "2001:db8:10::5");  // no NAT: public is the real address
  CHECK(v6.public_port == 40000);
  CHECK(ip(v6.dst_ip) == "2001:db8:ff::1");
  CHECK(all[2].event.proto == 58);
  CHECK(all[2].event.inside_port == 77);
}

TEST_CASE("conntrack: a port forward names the server behind the NAT", "[nat][conntrack]") {
  NatHarness h("conntrack");
  auto r = h.records(
      "[1776961140.000000]\t    [NEW] tcp      6 120 SYN_SENT src=198.51.100.77 dst=203.0.113.9 "
      "sport=55000 dport=8443 [UNREPLIED] src=192.168.1.20 dst=198.51.100.77 sport=443 "
      "dport=55000\n");
  REQUIRE(r.size() == 1);
  const NatEvent& e = r[0].event;
  CHECK(ip(e.inside_ip) == "192.168.1.20");
  CHECK(e.inside_port == 443);
  CHECK(ip(e.public_ip) == "203.0.113.9");
  CHECK(e.public_port == 8443);
  CHECK(ip(e.dst_ip) == "198.51.100.77");
  CHECK(e.dst_port == 55000);
}

TEST_CASE("conntrack: without -o timestamp", "[nat][conntrack]") {
  NatHarness h("conntrack", "Europe/London");
  auto all = h.run(
      "    [NEW] tcp      6 120 SYN_SENT src=10.0.0.5 dst=198.51.100.1 sport=51234 dport=443 "
      "[UNREPLIED] src=198.51.100.1 dst=203.0.113.9 sport=443 dport=40123\n"
      "[DESTROY] tcp      6 src=10.0.0.5 dst=198.51.100.1 sport=51234 dport=443 src=198.51.100.1 "
      "dst=203.0.113.9 sport=443 dport=40123 [ASSURED] delta-time=60 [start=Thu Apr 23 17:19:00 "
      "2026] [stop=Thu Apr 23 17:20:00 2026] use=1\n"
      "    [NEW] tcp      6 120 SYN_SENT src=10.0.0.5 dst=198.51.100.1 sport=51235 dport=443 "
      "[UNREPLIED] src=198.51.100.1 dst=203.0.113.9 sport=443 dport=40124 delta-time=0 "
      "[start=Thu Apr  2 17:19:00 2026] use=1\n");
  REQUIRE(all.size() == 3);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason == "no timestamp (conntrack -E without -o timestamp)");
  // -o ktimestamp: the kernel's flow start and stop, in the host's local time.
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == NatAction::close);
  CHECK(rfc(all[1].event.time) == "2026-04-23T16:20:00Z");
  CHECK(rfc(all[1].event.start) == "2026-04-23T16:19:00Z");
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(rfc(all[2].event.time) == "2026-04-02T16:19:00Z");
  CHECK(all[2].event.public_port == 40124);
}

TEST_CASE("conntrack: events piped into syslog", "[nat][conntrack]") {
  NatHarness h("conntrack", "UTC", 2026);
  auto all = h.run(
      "Apr 23 16:19:01 gw conntrack: [NEW] tcp      6 120 SYN_SENT src=10.0.0.5 "
      "dst=198.51.100.1 sport=51234 dport=443 [UNREPLIED] src=198.51.100.1 dst=203.0.113.9 "
      "sport=443 dport=40123\n"
      "Apr 23 16:19:02 gw ct: [1776961140.250000]     [NEW] tcp      6 120 SYN_SENT "
      "src=10.0.0.6 dst=198.51.100.1 sport=51234 dport=443 [UNREPLIED] src=198.51.100.1 "
      "dst=203.0.113.9 sport=443 dport=40124\n"
      "Apr 23 16:19:03 gw sshd[99]: Accepted publickey for root from 192.0.2.1 port 1 ssh2\n");
  REQUIRE(all.size() == 3);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].event.device == "gw");
  CHECK(all[0].time() == "2026-04-23T16:19:01Z");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].time() == "2026-04-23T16:19:00.250Z");  // the event's own time
  CHECK(ip(all[1].event.inside_ip) == "10.0.0.6");
  CHECK(all[2].status == LineStatus::foreign);
}

TEST_CASE("conntrack: malformed lines", "[nat][conntrack]") {
  NatHarness h("conntrack");
  auto all = h.run(
      "[1776961140.000000]\t    [NEW] tcp      6 120 SYN_SENT src=10.0.0.5 dst=198.51.100.1 "
      "sport=51234 dport=443 [UNREPLIED]\n"
      "[1776961140.000000]\t    [NEW] tcp      6 120 SYN_SENT src=10.0.0.500 dst=198.51.100.1 "
      "sport=1 dport=2 src=198.51.100.1 dst=203.0.113.9 sport=2 dport=3\n"
      "[1776961140.000000]\t    [NEW] tcp      6 src=10.0.0.5 dst=198.51.100.1 sport=99999 "
      "dport=2 src=198.51.100.1 dst=203.0.113.9 sport=2 dport=3\n"
      "[1776961140.000000]\t hello\n"
      "[1776961140.000000]\t    [NEW] src=10.0.0.5\n"
      "random text\n");
  REQUIRE(all.size() == 6);
  CHECK(all[0].reason == "expected an original and a reply tuple");
  CHECK(all[1].reason == "bad src= address");
  CHECK(all[2].reason == "bad sport= port");
  CHECK(all[3].reason == "expected [NEW], [UPDATE] or [DESTROY] after the timestamp");
  CHECK(all[4].reason == "expected a protocol name and number");
  CHECK(all[5].reason == "expected a conntrack event ([NEW], [UPDATE], [DESTROY])");
  for (const auto& o : all) CHECK(o.status == LineStatus::malformed);
}

TEST_CASE("conntrack: sniff", "[nat][conntrack]") {
  const char* why = "";
  auto& f = formats::conntrack_format();
  CHECK(f.sniff("[1776961140.123456]\t    [NEW] tcp      6 120 SYN_SENT src=10.0.0.5 "
                "dst=198.51.100.1 sport=51234 dport=443 [UNREPLIED] src=198.51.100.1 "
                "dst=203.0.113.9 sport=443 dport=40123\n",
                &why) >= 90);
  CHECK(f.sniff("Apr 23 16:19:00 gw dhcpd[1]: DHCPACK on 10.0.0.5 to 00:11:22:33:44:55 via eth0\n",
                &why) == 0);
}

TEST_CASE("conntrack: the testdata sample", "[nat][conntrack]") {
  NatHarness h("conntrack");
  auto all = h.run(test::read_sample("testdata/nat/conntrack/conntrack-events.log"));
  size_t records = 0, malformed = 0;
  for (const auto& o : all) {
    if (o.status == LineStatus::record) ++records;
    if (o.status == LineStatus::malformed) ++malformed;
  }
  CHECK(records == 6);
  CHECK(malformed == 0);
}

TEST_CASE("conntrack: netfilter LOG lines of the public corpus are not events",
          "[nat][conntrack][corpus]") {
  // No public conntrack -E capture exists (see the corpus README); the nearest
  // relatives, kernel LOG-target lines, must not be read as events.
  for (const char* name : {"nat-iptables/iptables-logs.log", "nat-iptables/unifi-logs.log"}) {
    INFO(name);
    auto text = test::read_corpus(name);
    if (!text) return;
    NatHarness h("conntrack", "UTC", 2026);
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
    CHECK(formats::conntrack_format().sniff(*text, &why) == 0);
  }
}

TEST_CASE("conntrack: parse_time reads the -o timestamp stamp alone", "[nat][conntrack]") {
  NatHarness h("conntrack");
  auto parser = make_parser<NatEvent>(*h.format, h.ctx);
  NatEvent ev;
  Line line{"[1776961140.123456]\t    [NEW] tcp      6 120 SYN_SENT src=10.0.0.5", 1, 0, false};
  LineResult r = parser->parse_time(line, ev);
  CHECK(r.status == LineStatus::skip);
  CHECK(format_rfc3339(ev.time, true) == "2026-04-23T16:19:00.123456Z");
  CHECK(ev.time_key == 19);
  Line bare{
      "    [NEW] tcp      6 120 SYN_SENT src=10.0.0.5 dst=198.51.100.1 sport=1 dport=2 "
      "src=198.51.100.1 dst=203.0.113.9 sport=2 dport=3",
      2, 0, false};
  r = parser->parse_time(bare, ev);
  CHECK(r.status == LineStatus::malformed);  // no clock at all
}

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

TEST_CASE("juniper-srx: structured CREATE and CLOSE with source NAT", "[nat][juniper-srx]") {
  NatHarness h("juniper-srx", "UTC", 2026);
  auto r = h.records(
      "<14>1 2026-04-23T16:19:00.123+01:00 srx1 RT_FLOW - RT_FLOW_SESSION_CREATE "
      "[junos@2636.1.1.1.2.129 source-address=\"10.0.0.5\" source-port=\"51234\" "
      "destination-address=\"198.51.100.1\" destination-port=\"443\" connection-tag=\"0\" "
      "service-name=\"junos-https\" nat-source-address=\"203.0.113.9\" "
      "nat-source-port=\"40123\" nat-destination-address=\"198.51.100.1\" "
      "nat-destination-port=\"443\" nat-connection-tag=\"0\" src-nat-rule-type=\"source rule\" "
      "src-nat-rule-name=\"r1\" dst-nat-rule-type=\"N/A\" dst-nat-rule-name=\"N/A\" "
      "protocol-id=\"6\" policy-name=\"p1\" source-zone-name=\"trust\" "
      "destination-zone-name=\"untrust\" session-id=\"4711\" session-id-32=\"4711\" "
      "username=\"N/A\" roles=\"N/A\" packet-incoming-interface=\"ge-0/0/1.0\"]\n"
      "<14>1 2026-04-23T16:29:00.123+01:00 srx1 RT_FLOW - RT_FLOW_SESSION_CLOSE "
      "[junos@2636.1.1.1.2.129 reason=\"TCP FIN\" source-address=\"10.0.0.5\" "
      "source-port=\"51234\" destination-address=\"198.51.100.1\" destination-port=\"443\" "
      "service-name=\"junos-https\" nat-source-address=\"203.0.113.9\" "
      "nat-source-port=\"40123\" nat-destination-address=\"198.51.100.1\" "
      "nat-destination-port=\"443\" protocol-id=\"6\" session-id-32=\"4711\" "
      "packets-from-client=\"17\" bytes-from-client=\"3676\" elapsed-time=\"600\"]\n");
  REQUIRE(r.size() == 2);
  const auto& o = r[0].event;
  CHECK(o.action == NatAction::open);
  CHECK(r[0].time() == "2026-04-23T15:19:00.123Z");
  CHECK(ip(o.inside_ip) == "10.0.0.5");
  CHECK(o.inside_port == 51234);
  CHECK(ip(o.public_ip) == "203.0.113.9");
  CHECK(o.public_port == 40123);
  CHECK(ip(o.dst_ip) == "198.51.100.1");
  CHECK(o.dst_port == 443);
  CHECK(o.proto == 6);
  CHECK(o.session_id == "4711");
  CHECK(o.device == "srx1");
  CHECK_FALSE(o.is_static);
  const auto& c = r[1].event;
  CHECK(c.action == NatAction::close);
  CHECK(c.session_id == "4711");  // session-id-32 when session-id is absent
  CHECK(c.start == utc("2026-04-23T15:19:00.123Z"));
  CHECK(ip(c.public_ip) == "203.0.113.9");
}

TEST_CASE("juniper-srx: text form CREATE and CLOSE", "[nat][juniper-srx]") {
  NatHarness h("juniper-srx", "UTC", 2026);
  auto r = h.records(
      "Apr 23 16:19:00 srx1 RT_FLOW: RT_FLOW_SESSION_CREATE: session created "
      "10.0.0.5/51234->198.51.100.1/443 0x0 junos-https 203.0.113.9/40123->198.51.100.1/443 0x0 "
      "source rule r1 N/A N/A 6 p1 trust untrust 4711 N/A(N/A) ge-0/0/1.0 UNKNOWN UNKNOWN "
      "UNKNOWN N/A N/A -1 N/A N/A N/A Off root N/A N/A N/A N/A\n"
      "Apr 23 16:29:00 srx1 RT_FLOW: RT_FLOW_SESSION_CLOSE: session closed TCP CLIENT RST: "
      "10.0.0.5/51234->198.51.100.1/443 0x0 junos-https 203.0.113.9/40123->198.51.100.1/443 0x0 "
      "source rule r1 N/A N/A 6 p1 trust untrust 4711 60(52906) 47(26103) 600 UNKNOWN UNKNOWN "
      "N/A(N/A) ge-0/0/1.0 UNKNOWN\n"
      // An older release: no connection tags, one rule name, nothing after the session id.
      "Apr 23 16:30:00 srx1 RT_FLOW: RT_FLOW_SESSION_CREATE: session created "
      "10.0.0.6/5353->198.51.100.53/53 junos-dns-udp 203.0.113.9/1024->198.51.100.53/53 r2 None "
      "17 p1 trust untrust 4712\n"
      // A logical system's line, its name in front.
      "Apr 23 16:31:00 srx1 RT_FLOW: RT_FLOW_SESSION_CREATE_LS: Lsys ls-campus: session created "
      "10.0.0.7/5000->198.51.100.9/80 0x0 junos-http 203.0.113.9/2000->198.51.100.9/80 0x0 "
      "source rule r1 N/A N/A 6 p1 trust untrust 4713 N/A(N/A) ge-0/0/1.0\n");
  REQUIRE(r.size() == 4);
  CHECK(r[3].event.session_id == "4713");
  CHECK(r[3].event.public_port == 2000);
  CHECK(r[0].event.action == NatAction::open);
  CHECK(ip(r[0].event.inside_ip) == "10.0.0.5");
  CHECK(r[0].event.inside_port == 51234);
  CHECK(ip(r[0].event.public_ip) == "203.0.113.9");
  CHECK(r[0].event.public_port == 40123);
  CHECK(ip(r[0].event.dst_ip) == "198.51.100.1");
  CHECK(r[0].event.proto == 6);
  CHECK(r[0].event.session_id == "4711");
  CHECK(r[0].time() == "2026-04-23T16:19:00Z");
  CHECK(r[1].event.action == NatAction::close);
  CHECK(r[1].event.start == utc("2026-04-23T16:19:00Z"));
  CHECK(r[1].event.session_id == "4711");
  CHECK(r[2].event.proto == 17);
  CHECK(r[2].event.public_port == 1024);
  CHECK(r[2].event.session_id == "4712");
}

TEST_CASE("juniper-srx: inbound destination NAT, no NAT, N/A and IPv6", "[nat][juniper-srx]") {
  NatHarness h("juniper-srx", "UTC", 2026);
  auto r = h.records(
      // Inbound to a static-NAT'd server: the inside host is the NAT destination.
      "<14>1 2026-04-23T16:19:00Z srx1 RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636.1.1.1.2.129 "
      "source-address=\"192.0.2.77\" source-port=\"49926\" destination-address=\"203.0.113.20\" "
      "destination-port=\"443\" nat-source-address=\"192.0.2.77\" nat-source-port=\"49926\" "
      "nat-destination-address=\"192.168.7.20\" nat-destination-port=\"443\" "
      "src-nat-rule-type=\"N/A\" dst-nat-rule-type=\"static rule\" protocol-id=\"6\" "
      "session-id-32=\"9\"]\n"
      // No NAT: public = source.
      "<14>1 2026-04-23T16:19:01Z srx1 RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636.1.1.1.2.129 "
      "source-address=\"10.0.0.5\" source-port=\"594\" destination-address=\"10.128.0.1\" "
      "destination-port=\"10400\" nat-source-address=\"N/A\" nat-source-port=\"N/A\" "
      "nat-destination-address=\"N/A\" nat-destination-port=\"N/A\" protocol-id=\"1\" "
      "session-id-32=\"10\"]\n"
      "<14>1 2026-04-23T16:19:02Z srx1 RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636.1.1.1.2.129 "
      "source-address=\"2001:db8:1::5\" source-port=\"51234\" "
      "destination-address=\"2001:db8:ff::1\" destination-port=\"443\" "
      "nat-source-address=\"2001:db8:1::5\" nat-source-port=\"51234\" "
      "nat-destination-address=\"2001:db8:ff::1\" nat-destination-port=\"443\" "
      "protocol-id=\"6\" session-id-32=\"11\"]\n");
  REQUIRE(r.size() == 3);
  CHECK(ip(r[0].event.inside_ip) == "192.168.7.20");
  CHECK(ip(r[0].event.public_ip) == "203.0.113.20");
  CHECK(r[0].event.public_port == 443);
  CHECK(ip(r[0].event.dst_ip) == "192.0.2.77");
  CHECK(r[0].event.dst_port == 49926);
  CHECK(r[0].event.is_static);
  CHECK(ip(r[1].event.inside_ip) == "10.0.0.5");
  CHECK(ip(r[1].event.public_ip) == "10.0.0.5");
  CHECK(r[1].event.public_port == 594);
  CHECK(r[1].event.proto == 1);
  CHECK(ip(r[2].event.public_ip) == "2001:db8:1::5");
}

TEST_CASE("juniper-srx: skipped, foreign and malformed lines", "[nat][juniper-srx]") {
  NatHarness h("juniper-srx", "UTC", 2026);
  auto all = h.run(
      "<14>1 2026-04-23T16:19:00Z srx1 RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.129 "
      "source-address=\"192.0.2.1\" source-port=\"1\" destination-address=\"10.0.0.1\" "
      "destination-port=\"22\" protocol-id=\"6\"]\n"
      "<14>1 2026-04-23T16:19:00Z srx1 RT_FLOW - APPTRACK_SESSION_CLOSE [junos@2636.1.1.1.2.129 "
      "source-address=\"10.0.0.5\"]\n"
      "Apr 23 16:19:00 srx1 sshd[99]: Accepted publickey for root from 10.0.0.1 port 22 ssh2\n"
      "RT_FLOW_SESSION_CREATE: session created 10.0.0.5/1->198.51.100.1/443 junos-https "
      "203.0.113.9/2->198.51.100.1/443 r1 None 6 p1 trust untrust 4711\n"
      "<14>1 2026-04-23T16:19:00Z srx1 RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636.1.1.1.2.129 "
      "source-address=\"10.0.0.500\" source-port=\"1\" destination-address=\"10.0.0.1\" "
      "destination-port=\"22\" protocol-id=\"6\"]\n"
      "Apr 23 16:29:00 srx1 RT_FLOW: RT_FLOW_SESSION_CLOSE: session closed idle Timeout: "
      "10.0.0.5/1->198.51.100.1/443 junos-https 203.0.113.9/2->198.51.100.1/443 r1 None 6 p1 "
      "trust untrust 4711\n"
      "Apr 23 16:29:00 srx1 RT_FLOW: RT_FLOW_SESSION_CREATE: session created garbage\n");
  REQUIRE(all.size() == 7);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "RT_FLOW session message without a translation");
  CHECK(all[0].time() == "2026-04-23T16:19:00Z");
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[1].reason == "RT_FLOW message without a session");
  CHECK(all[2].status == LineStatus::foreign);
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[3].reason == "no syslog header (the line has no time)");
  CHECK(all[4].reason == "RT_FLOW_SESSION_CREATE: bad source or destination address");
  CHECK(all[5].reason == "RT_FLOW_SESSION_CLOSE: no elapsed time after the counters");
  CHECK(all[6].status == LineStatus::malformed);
  CHECK(all[6].reason.starts_with("RT_FLOW_SESSION_CREATE: expected \"session created"));
}

TEST_CASE("juniper-srx: sniff", "[nat][juniper-srx]") {
  const char* why = "";
  auto& f = formats::juniper_srx_format();
  CHECK(f.sniff("<14>1 2026-04-23T16:19:00Z srx1 RT_FLOW - RT_FLOW_SESSION_CREATE [junos@2636]\n",
                &why) >= 80);
  CHECK(f.sniff("Apr 23 16:19:00 gw dhcpd[5]: DHCPACK on 10.0.0.5\n", &why) == 0);
}

TEST_CASE("juniper-srx: the testdata samples", "[nat][juniper-srx]") {
  for (const char* name :
       {"testdata/nat/juniper-srx/srx-structured.log", "testdata/nat/juniper-srx/srx-text.log"}) {
    NatHarness h("juniper-srx", "Europe/London", 2026);
    auto all = h.run(test::read_sample(name));
    size_t records = 0, malformed = 0;
    for (const auto& o : all) {
      if (o.status == LineStatus::record) ++records;
      if (o.status == LineStatus::malformed) ++malformed;
    }
    INFO(name);
    CHECK(malformed == 0);
    CHECK(records == 6);
  }
}

TEST_CASE("juniper-srx: corpus", "[nat][juniper-srx][corpus]") {
  auto text = test::read_corpus("nat-juniper-srx/flow.log");
  if (!text) return;
  NatHarness h("juniper-srx", "UTC", 2026);
  auto all = h.run(*text);
  size_t records = 0, malformed = 0, opens = 0, closes = 0;
  for (const auto& o : all) {
    if (o.status == LineStatus::record) {
      ++records;
      if (o.event.action == NatAction::open) ++opens;
      if (o.event.action == NatAction::close) {
        ++closes;
        CHECK(o.event.start != kNoTime);
      }
      CHECK(o.event.proto != 0);
      CHECK_FALSE(o.event.session_id.empty());
    }
    if (o.status == LineStatus::malformed) {
      INFO(o.raw << " -> " << o.reason);
      ++malformed;
    }
  }
  CHECK(malformed == 0);
  CHECK(opens == 5);
  CHECK(closes == 8);
  CHECK(records == 13);

  // Sekoia samples: one raw line each, without a syslog header: given one.
  auto dir = test::find_corpus("nat-juniper-srx/sekoia-juniper-ngfw");
  if (!dir) return;
  size_t sessions = 0;
  for (const auto& entry : std::filesystem::directory_iterator(*dir)) {
    std::string raw = sekoia_message(test::read_file(entry.path()));
    if (raw.empty()) continue;
    NatHarness hs("juniper-srx", "UTC", 2026);
    for (const auto& o : hs.run("Apr 23 16:19:00 srx1 RT_FLOW: " + raw + "\n")) {
      INFO(raw << " -> " << o.reason);
      CHECK(o.status != LineStatus::malformed);
      if (o.status == LineStatus::record) ++sessions;
    }
  }
  CHECK(sessions == 3);  // CREATE (text), CLOSE (text), CLOSE (structured)
}

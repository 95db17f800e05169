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

TEST_CASE("cisco-asa: 305011/305012 translations with the device timestamp", "[nat][cisco-asa]") {
  NatHarness h("cisco-asa", "Europe/London", 2026);
  auto r = h.records(
      "Apr 23 2026 16:19:00 fw01 : %ASA-6-305011: Built dynamic TCP translation from "
      "inside:10.0.0.5/51234 to outside:203.0.113.9/40123\n"
      "Apr 23 2026 16:21:30 fw01 : %ASA-6-305012: Teardown dynamic TCP translation from "
      "inside:10.0.0.5/51234 to outside:203.0.113.9/40123 duration 0:02:30\n"
      "Apr 23 2026 16:22:00 fw01 : %ASA-6-305011: Built static UDP translation from "
      "dmz:192.168.7.10/53 to outside:203.0.113.53/53\n"
      "Apr 23 2026 16:22:01 fw01 : %ASA-6-305011: Built dynamic ICMP translation from "
      "inside:10.0.0.6/1 to outside:203.0.113.9/21505\n");
  REQUIRE(r.size() == 4);
  CHECK(r[0].event.action == NatAction::open);
  CHECK(r[0].time() == "2026-04-23T15:19:00Z");  // BST
  CHECK(ip(r[0].event.inside_ip) == "10.0.0.5");
  CHECK(r[0].event.inside_port == 51234);
  CHECK(ip(r[0].event.public_ip) == "203.0.113.9");
  CHECK(r[0].event.public_port == 40123);
  CHECK(r[0].event.dst_ip.is_unset());
  CHECK(r[0].event.proto == 6);
  CHECK_FALSE(r[0].event.is_static);
  CHECK_FALSE(r[0].event.connection);
  CHECK(r[0].event.device == "fw01");
  CHECK(r[1].event.action == NatAction::close);
  CHECK(r[1].time() == "2026-04-23T15:21:30Z");
  CHECK(r[1].event.start == utc("2026-04-23T15:19:00Z"));
  CHECK(r[1].event.public_port == 40123);
  CHECK(r[2].event.is_static);
  CHECK(r[2].event.proto == 17);
  CHECK(ip(r[2].event.inside_ip) == "192.168.7.10");
  CHECK(r[3].event.proto == 1);
  CHECK(r[3].event.inside_port == 1);
  CHECK(r[3].event.public_port == 21505);
}

TEST_CASE("cisco-asa: outbound connection, inside host in the second half", "[nat][cisco-asa]") {
  NatHarness h("cisco-asa", "UTC", 2026);
  auto r = h.records(
      "Apr 23 16:19:00 10.9.9.1 %ASA-6-302013: Built outbound TCP connection 4711 for "
      "outside:198.51.100.1/443 (198.51.100.1/443) to inside:10.0.0.5/51234 "
      "(203.0.113.9/40123)\n"
      "Apr 23 16:29:05 10.9.9.1 %ASA-6-302014: Teardown TCP connection 4711 for "
      "outside:198.51.100.1/443 to inside:10.0.0.5/51234 duration 0:10:05 bytes 5120 TCP FINs\n"
      "Apr 23 16:30:00 10.9.9.1 %ASA-6-302016: Teardown UDP connection 99 for "
      "outside:198.51.100.53/53 to inside:10.0.0.7/5353 duration 0:00:01 bytes 120\n");
  REQUIRE(r.size() == 3);
  const auto& o = r[0].event;
  CHECK(o.action == NatAction::open);
  CHECK(o.connection);
  CHECK(o.proto == 6);
  CHECK(ip(o.inside_ip) == "10.0.0.5");
  CHECK(o.inside_port == 51234);
  CHECK(ip(o.public_ip) == "203.0.113.9");
  CHECK(o.public_port == 40123);
  CHECK(ip(o.dst_ip) == "198.51.100.1");
  CHECK(o.dst_port == 443);
  CHECK(o.session_id == "4711");
  CHECK(o.device == "10.9.9.1");
  CHECK(r[0].time() == "2026-04-23T16:19:00Z");
  const auto& c = r[1].event;
  CHECK(c.action == NatAction::close);
  CHECK(c.session_id == "4711");
  CHECK(ip(c.inside_ip) == "10.0.0.5");
  CHECK(ip(c.public_ip) == "203.0.113.9");  // remembered from the Built line
  CHECK(c.public_port == 40123);
  CHECK(c.start == utc("2026-04-23T16:19:00Z"));
  CHECK(r[1].time() == "2026-04-23T16:29:05Z");
  // A teardown whose Built line this file does not hold: no public address.
  CHECK(r[2].event.proto == 17);
  CHECK(ip(r[2].event.inside_ip) == "10.0.0.7");
  CHECK(r[2].event.public_ip.is_unset());
  CHECK(r[2].event.start == utc("2026-04-23T16:29:59Z"));
}

TEST_CASE("cisco-asa: inbound connection, outside initiator in the first half",
          "[nat][cisco-asa]") {
  NatHarness h("cisco-asa", "UTC", 2026);
  auto r = h.records(
      "2026-04-23T16:19:00Z fw02 : %ASA-6-302013: Built inbound TCP connection 27215708 for "
      "outside:192.0.2.77/49926 (192.0.2.77/49926)(LOCAL\\jdoe) to dmz:192.168.7.20/443 "
      "(203.0.113.20/443) (jdoe)\n"
      "2026-04-23T16:19:01Z fw02 : %ASA-6-302015: Built inbound UDP connection 27215709 for "
      "outside:192.0.2.77/5060 (192.0.2.77/5060) to dmz:192.168.7.21/5060 (203.0.113.21/5060)\n");
  REQUIRE(r.size() == 2);
  const auto& e = r[0].event;
  CHECK(ip(e.inside_ip) == "192.168.7.20");  // the inside server, not the initiator
  CHECK(e.inside_port == 443);
  CHECK(ip(e.public_ip) == "203.0.113.20");
  CHECK(e.public_port == 443);
  CHECK(ip(e.dst_ip) == "192.0.2.77");
  CHECK(e.dst_port == 49926);
  CHECK(e.device == "fw02");
  CHECK(r[0].time() == "2026-04-23T16:19:00Z");
  CHECK(r[1].event.proto == 17);
  CHECK(ip(r[1].event.public_ip) == "203.0.113.21");
}

TEST_CASE("cisco-asa: IPv6 and FTD tags", "[nat][cisco-asa]") {
  NatHarness h("cisco-asa", "UTC", 2026);
  auto r = h.records(
      "<166>Apr 23 2026 16:19:00 ftd1 : %FTD-6-302013: Built outbound TCP connection 5 for "
      "outside:2001:db8:ff::1/443 (2001:db8:ff::1/443) to inside:2001:db8:1::5/51234 "
      "(2001:db8:1::5/51234)\n"
      "<166>Apr 23 2026 16:19:02 ftd1 : %FTD-6-305011: Built dynamic TCP translation from "
      "inside:2001:db8:1::6/40000 to outside:2001:db8:2::1/1024\n"
      "<166>Apr 23 2026 16:19:03 ftd1 : %FTD-6-302020: Built outbound ICMP connection for "
      "faddr 2001:db8:ff::1/0 gaddr 2001:db8:2::1/17 laddr 2001:db8:1::6/17 type 128 code 0\n");
  REQUIRE(r.size() == 3);
  CHECK(ip(r[0].event.inside_ip) == "2001:db8:1::5");
  CHECK(ip(r[0].event.public_ip) == "2001:db8:1::5");  // not translated: public = real
  CHECK(ip(r[0].event.dst_ip) == "2001:db8:ff::1");
  CHECK(r[0].event.device == "ftd1");
  CHECK(ip(r[1].event.inside_ip) == "2001:db8:1::6");
  CHECK(r[1].event.public_port == 1024);
  CHECK(r[2].event.proto == 58);
  CHECK(ip(r[2].event.inside_ip) == "2001:db8:1::6");
  CHECK(ip(r[2].event.public_ip) == "2001:db8:2::1");
  CHECK(r[2].event.public_port == 17);
}

TEST_CASE("cisco-asa: ICMP faddr/gaddr/laddr", "[nat][cisco-asa]") {
  NatHarness h("cisco-asa", "UTC", 2026);
  auto r = h.records(
      "Apr 23 2026 16:19:00: %ASA-6-302020: Built outbound ICMP connection for faddr "
      "198.51.100.8/0 gaddr 203.0.113.9/31022 laddr 10.0.0.5/1 type 8 code 0\n"
      "Apr 23 2026 16:19:02: %ASA-6-302021: Teardown ICMP connection for faddr 198.51.100.8/0 "
      "gaddr 203.0.113.9/31022 laddr 10.0.0.5/1 type 8 code 0\n"
      // Inbound echo to a static-NAT'd server: laddr is still the inside host.
      "Apr 23 2026 16:19:03: %ASA-6-302020: Built inbound ICMP connection for faddr "
      "192.0.2.77/10800(LOCAL\\jdoe) gaddr 203.0.113.20/0 laddr 192.168.7.20/0 (jdoe) type 8 "
      "code 0\n"
      // NAT without PAT (305009/305010): no ports.
      "Apr 23 2026 16:19:04: %ASA-6-305009: Built dynamic translation from inside(acl-nat):"
      "10.0.0.8 to outside:203.0.113.40\n"
      "Apr 23 2026 16:29:04: %ASA-6-305010: Teardown dynamic translation from inside:10.0.0.8 to "
      "outside:203.0.113.40 duration 0:10:00\n");
  REQUIRE(r.size() == 5);
  CHECK(ip(r[2].event.inside_ip) == "192.168.7.20");
  CHECK(ip(r[2].event.public_ip) == "203.0.113.20");
  CHECK(ip(r[2].event.dst_ip) == "192.0.2.77");
  CHECK(r[2].event.dst_port == 10800);
  CHECK(ip(r[3].event.inside_ip) == "10.0.0.8");
  CHECK(ip(r[3].event.public_ip) == "203.0.113.40");
  CHECK(r[3].event.proto == 0);
  CHECK(r[3].event.public_port == 0);
  CHECK(r[4].event.action == NatAction::close);
  CHECK(r[4].event.start == utc("2026-04-23T16:19:04Z"));
  CHECK(r[0].event.action == NatAction::open);
  CHECK(r[0].event.proto == 1);
  CHECK(ip(r[0].event.inside_ip) == "10.0.0.5");
  CHECK(r[0].event.inside_port == 1);
  CHECK(ip(r[0].event.public_ip) == "203.0.113.9");
  CHECK(r[0].event.public_port == 31022);
  CHECK(ip(r[0].event.dst_ip) == "198.51.100.8");
  CHECK(r[0].event.device.empty());
  CHECK(r[1].event.action == NatAction::close);
  CHECK(r[1].time() == "2026-04-23T16:19:02Z");
}

TEST_CASE("cisco-asa: header shapes and time preference", "[nat][cisco-asa]") {
  NatHarness h("cisco-asa", "America/New_York", 2026);
  auto r = h.records(
      // A relay's BSD header in front of the ASA's own date: the ASA's wins.
      "Apr 23 16:19:09 relay1 Apr 23 2026 12:19:00 fw01 : %ASA-6-305011: Built dynamic UDP "
      "translation from inside:10.0.0.5/5000 to outside:203.0.113.9/6000\n"
      // Zone name after the device date: a UTC one is honoured.
      "Apr 23 2026 16:19:00 UTC: %ASA-6-305011: Built dynamic UDP translation from "
      "inside:10.0.0.5/5001 to outside:203.0.113.9/6001\n"
      // EDT: read in the source's zone.
      "Apr 23 2026 12:19:00 EDT: %ASA-session-6-305011: Built dynamic UDP translation from "
      "inside:10.0.0.5/5002 to outside:203.0.113.9/6002\n"
      // RFC 5424 header (logging timestamp rfc5424 through a relay).
      "<166>1 2026-04-23T16:19:00Z fw03 - - - %ASA-6-305011: Built dynamic UDP translation "
      "from inside:10.0.0.5/5003 to outside:203.0.113.9/6003\n"
      // No colon after the message id; fraction.
      "Apr 23 2026 12:19:00.250 fw01 : %ASA-6-305012 Teardown dynamic UDP translation from "
      "inside:10.0.0.5/5002 to outside:203.0.113.9/6002 duration 0:00:00\n");
  REQUIRE(r.size() == 5);
  CHECK(r[0].time() == "2026-04-23T16:19:00Z");
  CHECK(r[0].event.device == "fw01");
  CHECK(r[3].time() == "2026-04-23T16:19:00Z");
  CHECK(r[3].event.device == "fw03");
  CHECK(r[3].event.public_port == 6003);
  CHECK(r[1].time() == "2026-04-23T16:19:00Z");
  CHECK(r[2].time() == "2026-04-23T16:19:00Z");
  CHECK(r[2].event.public_port == 6002);
  CHECK(r[4].time() == "2026-04-23T16:19:00.250Z");
  CHECK(r[4].event.action == NatAction::close);
}

TEST_CASE("cisco-asa: skipped, foreign and malformed lines", "[nat][cisco-asa]") {
  NatHarness h("cisco-asa", "UTC", 2026);
  auto all = h.run(
      "Apr 23 2026 16:19:00 fw01 : %ASA-4-106023: Deny tcp src outside:192.0.2.1/1 dst "
      "inside:10.0.0.5/22 by access-group \"out\" [0x0, 0x0]\n"
      "Apr 23 2026 16:19:00 fw01 : %ASA-3-305013: Asymmetric NAT rules matched for forward and "
      "reverse flows; Connection for tcp src inside:10.0.0.5/1 dst outside:192.0.2.1/80 denied "
      "due to NAT reverse path failure\n"
      "Apr 23 16:19:00 gw sshd[99]: Accepted publickey for root from 10.0.0.1 port 22 ssh2\n"
      "%ASA-6-305011: Built dynamic TCP translation from inside:10.0.0.5/1 to "
      "outside:203.0.113.9/2\n"
      "Apr 23 2026 16:19:01 fw01 : %ASA-6-302013: Built outbound TCP connection 7 for "
      "dmz:OCSP_Server/80 (OCSP_Server/80) to inside:10.0.0.5/1 (10.0.0.5/1)\n"
      "Apr 23 2026 16:19:01 fw01 : %ASA-6-302013: Built outbound TCP connection 8 for "
      "outside:192.0.2.1/80 to inside:10.0.0.5/1\n"
      "Apr 23 2026 16:19:01 fw01 : %ASA-6-305012: Teardown dynamic TCP translation from "
      "inside:10.0.0.5/1 to outside:203.0.113.9/2 duration soon\n"
      "Apr 23 2026 16:19:01 fw01 : %ASA-6-305011: Built dynamic TCP translation from "
      "inside:10.0.0.300/1 to outside:203.0.113.9/2\n"
      // The ASA says EDT, the source's zone (UTC here) does not.
      "Apr 23 2026 12:19:00 EDT: %ASA-6-305011: Built dynamic UDP translation from "
      "inside:10.0.0.5/5002 to outside:203.0.113.9/6002\n");
  REQUIRE(all.size() == 9);
  CHECK(all[8].status == LineStatus::malformed);
  CHECK(all[8].reason ==
        "the ASA's zone name is not the source's zone at that time (set the source's tz)");
  // Its date, read in the wrong zone, gives no time (none for the coverage).
  CHECK(all[8].event.time == kNoTime);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "ASA message without a translation");
  CHECK(all[0].time() == "2026-04-23T16:19:00Z");
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[1].reason == "305013: asymmetric NAT rules (no translation)");
  CHECK(all[2].status == LineStatus::foreign);
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[3].reason == "no timestamp (neither the ASA nor a syslog daemon dated it)");
  CHECK(all[4].status == LineStatus::malformed);
  CHECK(all[4].reason ==
        "connection endpoint is a host name from the ASA's names table, not an address");
  CHECK(all[5].status == LineStatus::malformed);
  CHECK(all[5].reason ==
        "Built connection: expected \"for IF:IP/PORT (IP/PORT) to IF:IP/PORT (IP/PORT)\"");
  CHECK(all[6].reason == "Teardown translation: bad duration");
  CHECK(all[7].reason == "Built translation: expected \"from IF:IP/PORT to IF:IP/PORT\"");
}

TEST_CASE("cisco-asa: sniff", "[nat][cisco-asa]") {
  const char* why = "";
  auto& f = formats::cisco_asa_format();
  CHECK(f.sniff("Apr 23 2026 16:19:00 fw01 : %ASA-6-305011: Built dynamic TCP translation\n",
                &why) >= 80);
  CHECK(f.sniff("Apr 23 16:19:00 gw dhcpd[5]: DHCPACK on 10.0.0.5\n", &why) == 0);
}

TEST_CASE("cisco-asa: the testdata sample", "[nat][cisco-asa]") {
  NatHarness h("cisco-asa", "Europe/London", 2026);
  auto all = h.run(test::read_sample("testdata/nat/cisco-asa/asa.log"));
  size_t records = 0, malformed = 0;
  for (const auto& o : all) {
    if (o.status == LineStatus::record) ++records;
    if (o.status == LineStatus::malformed) ++malformed;
  }
  CHECK(malformed == 0);
  CHECK(records == 13);
}

// The raw lines of a corpus file (the .ini wrappers: "log N pass = LINE").
static std::string corpus_lines(const std::string& text) {
  if (text.find("pass = ") == std::string::npos) return text;
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    size_t p = line.find("pass = ");
    if (p != std::string::npos) out += line.substr(p + 7) + "\n";
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

TEST_CASE("cisco-asa: corpus", "[nat][cisco-asa][corpus]") {
  auto sample = test::read_corpus("nat-cisco-asa/sample.log");
  if (!sample) return;
  // Two lines carry "EDT" after the ASA's date: the source's zone must be one
  // that calls itself EDT then.
  NatHarness h("cisco-asa", "America/New_York", 2026);
  auto all = h.run(*sample);
  size_t records = 0, malformed = 0, named = 0, other = 0;
  for (const auto& o : all) {
    if (o.status == LineStatus::record) ++records;
    if (o.status == LineStatus::malformed) {
      ++malformed;
      if (o.reason ==
          "connection endpoint is a host name from the ASA's names table, not an address")
        ++named;
      else
        ++other;
    }
  }
  // 73 lines: 4 305011, 10 302013/302015 Built (2 of them with the name
  // OCSP_Server instead of an address), 8 teardowns (302014, 302016, 302021).
  CHECK(records == 20);
  CHECK(named == 2);
  CHECK(other == 0);
  CHECK(malformed == 2);

  // The Wazuh and OSSEC test lines carry no timestamp: translation lines are
  // malformed for that reason only, everything else is skipped.
  for (const char* name : {"nat-cisco-asa/cisco_asa.ini", "nat-cisco-asa/ossec-hids__pix.ini"}) {
    auto ini = test::read_corpus(name);
    if (!ini) continue;
    NatHarness hi("cisco-asa", "UTC", 2026);
    auto lines = hi.run(corpus_lines(*ini));
    size_t untimed = 0;
    for (const auto& o : lines) {
      CHECK(o.status != LineStatus::record);
      if (o.status == LineStatus::malformed) {
        INFO(o.raw);
        CHECK(o.reason == "no timestamp (neither the ASA nor a syslog daemon dated it)");
        ++untimed;
      }
    }
    if (std::string(name).find("cisco_asa") != std::string::npos) CHECK(untimed == 6);
  }

  // Sekoia samples: one raw line per JSON file (.input.message).
  auto dir = test::find_corpus("nat-cisco-asa/sekoia-cisco-secure-firewall");
  if (!dir) return;
  size_t files = 0, translations = 0, json_malformed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(*dir)) {
    std::string raw = sekoia_message(test::read_file(entry.path()));
    if (raw.empty()) continue;
    ++files;
    NatHarness hs("cisco-asa", "UTC", 2026);
    for (const auto& o : hs.run("Apr 23 2026 16:19:00 fw01 : " + raw + "\n")) {
      if (o.status == LineStatus::record) ++translations;
      if (o.status == LineStatus::malformed) {
        INFO(raw << " -> " << o.reason);
        ++json_malformed;
      }
    }
  }
  CHECK(files > 50);
  CHECK(json_malformed == 0);
  // 302013 x2, 302014, 302020 x3, 302021 x3, 305011, 305012.
  CHECK(translations == 11);
}

TEST_CASE("cisco-asa: the time-only path agrees with the full parse", "[nat][cisco-asa]") {
  // Each header shape: parse_time gives parse's time (and flags), and its key
  // is the line up to and including "%ASA-" (or "%FTD-"), the header whole.
  const char* msg =
      "6-305011: Built dynamic TCP translation from inside:10.0.0.5/51234 to "
      "outside:203.0.113.9/40123";
  const std::string lines[] = {
      // the ASA's own date and device-id (logging timestamp, logging device-id)
      std::string("Apr 23 2026 16:19:00 fw01 : %ASA-") + msg,
      // a one-digit day and no space before the colon
      std::string("Apr  3 2026 16:19:00 fw01: %ASA-") + msg,
      // milliseconds, behind a syslog priority
      std::string("<166>Apr 23 2026 16:19:00.250 fw01 : %ASA-") + msg,
      // the zone name the ASA appends (London's in April: BST)
      std::string("Apr 23 2026 16:19:00 BST fw01 : %ASA-") + msg,
      // UTC named: the device date is read as UTC, not in the source's zone
      std::string("Apr 23 2026 16:19:00 UTC fw01 : %ASA-") + msg,
      // a relay's BSD header only (ASA without logging timestamp)
      std::string("Apr 23 16:19:00 10.9.9.1 %ASA-") + msg,
      // a relay's BSD header in front of the device's date: the device's wins
      std::string("Apr 23 16:19:04 relay1 Apr 23 2026 16:19:00 fw01 : %ASA-") + msg,
      // ISO (RFC 5424), an FTD tag
      std::string("2026-04-23T16:19:00.5+01:00 fw01 : %FTD-") + msg,
      std::string("<166>1 2026-04-23T15:19:00Z fw01 - - - %ASA-") + msg,
  };
  const char* want[] = {
      "2026-04-23T15:19:00Z", "2026-04-03T15:19:00Z",     "2026-04-23T15:19:00.250Z",
      "2026-04-23T15:19:00Z", "2026-04-23T16:19:00Z",     "2026-04-23T15:19:00Z",
      "2026-04-23T15:19:00Z", "2026-04-23T15:19:00.500Z", "2026-04-23T15:19:00Z"};
  NatHarness h("cisco-asa", "Europe/London", 2026);
  auto full = h.format->make_nat(h.ctx);
  auto fast = h.format->make_nat(h.ctx);
  for (size_t k = 0; k < std::size(lines); ++k) {
    INFO(lines[k]);
    Line line;
    line.text = lines[k];
    line.number = k + 1;
    NatEvent a, b;
    LineResult ra = full->parse(line, a);
    REQUIRE(ra.status == LineStatus::record);
    CHECK(format_rfc3339(a.time, a.time_flags & kHasFraction) == want[k]);
    LineResult rb = fast->parse_time(line, b);
    CHECK(rb.status == LineStatus::skip);
    CHECK(b.time == a.time);
    CHECK(b.time_flags == a.time_flags);
    size_t tag = lines[k].find('%');
    CHECK(b.time_key == tag + 5);
    CHECK(lines[k].substr(b.time_key - 5, 5).find("-") == 4);
  }
  // The key holds the whole header: a line that shares it shares the time.
  std::string a =
      "Apr 23 2026 16:19:00 fw01 : %ASA-6-106023: Deny tcp src outside:1.2.3.4/5 dst "
      "inside:10.0.0.5/22 by access-group \"outside_in\"";
  Line line;
  line.text = a;
  NatEvent ev;
  CHECK(fast->parse_time(line, ev).status == LineStatus::skip);
  CHECK(ev.time == utc("2026-04-23T15:19:00Z"));
  CHECK(std::string_view(a).substr(0, ev.time_key) == "Apr 23 2026 16:19:00 fw01 : %ASA-");
}

TEST_CASE("cisco-asa: a header like the last one read gives its own time and device",
          "[nat][cisco-asa]") {
  // The parser reads a header once and reuses what it gave for the next
  // lines with the same bytes before the tag: a header that differs in one
  // byte (the second, the host) is read anew, the device is a view of the
  // line parsed (not of the one read first), and a header that could not be
  // read is not reused.
  NatHarness h("cisco-asa", "Europe/London", 2026);
  auto p = h.format->make_nat(h.ctx);
  const std::string msg =
      "%ASA-6-305011: Built dynamic TCP translation from inside:10.0.0.5/51234 to "
      "outside:203.0.113.9/40123";
  struct Step {
    std::string header;
    LineStatus status;
    const char* time;
    const char* device;
  };
  const Step steps[] = {
      {"Apr 23 2026 16:19:00 fw01 : ", LineStatus::record, "2026-04-23T15:19:00Z", "fw01"},
      {"Apr 23 2026 16:19:00 fw01 : ", LineStatus::record, "2026-04-23T15:19:00Z", "fw01"},
      {"Apr 23 2026 16:19:01 fw01 : ", LineStatus::record, "2026-04-23T15:19:01Z", "fw01"},
      {"Apr 23 2026 16:19:01 fw02 : ", LineStatus::record, "2026-04-23T15:19:01Z", "fw02"},
      {"Apr 23 2026 16:61:01 fw02 : ", LineStatus::malformed, "", ""},
      {"Apr 23 2026 16:61:01 fw02 : ", LineStatus::malformed, "", ""},
      {"Apr 23 2026 16:19:01 fw02 : ", LineStatus::record, "2026-04-23T15:19:01Z", "fw02"},
      {"Apr 23 2026 16:19:01 BST fw02 : ", LineStatus::record, "2026-04-23T15:19:01Z", "fw02"},
      {"Apr 23 2026 16:19:01 UTC fw02 : ", LineStatus::record, "2026-04-23T16:19:01Z", "fw02"},
      {"Apr 23 2026 16:19:01 UTC fw02 : ", LineStatus::record, "2026-04-23T16:19:01Z", "fw02"},
  };
  for (const Step& s : steps) {
    std::string text = s.header + msg;
    INFO(text);
    Line line;
    line.text = text;
    NatEvent ev;
    LineResult r = p->parse(line, ev);
    REQUIRE(r.status == s.status);
    if (s.status != LineStatus::record) continue;
    CHECK(format_rfc3339(ev.time) == s.time);
    CHECK(ev.device == s.device);
    CHECK(ev.device.data() >= line.text.data());
    CHECK(ev.device.data() + ev.device.size() <= line.text.data() + line.text.size());
    // parse_time agrees, whichever header it read last
    NatEvent t;
    CHECK(p->parse_time(line, t).status == LineStatus::skip);
    CHECK(t.time == ev.time);
    CHECK(t.time_flags == ev.time_flags);
  }
}

TEST_CASE("cisco-asa: the time-only path on lines without a time or a tag", "[nat][cisco-asa]") {
  NatHarness h("cisco-asa", "UTC", 2026);
  auto p = h.format->make_nat(h.ctx);
  Line line;
  NatEvent ev;
  // logging timestamp off, no relay: no time, no key
  line.text = "fw01 : %ASA-6-302013: Built outbound TCP connection 1 for outside:1.2.3.4/443";
  CHECK(p->parse_time(line, ev).status == LineStatus::skip);
  CHECK(ev.time == kNoTime);
  CHECK(ev.time_key == 0);
  // not an ASA line
  line.text = "Apr 23 16:19:00 gw sshd[1]: Accepted publickey for root";
  ev = NatEvent{};
  CHECK(p->parse_time(line, ev).status == LineStatus::foreign);
  CHECK(ev.time_key == 0);
  // a header that cannot be read is malformed, as in parse
  line.text = "Apr 23 2026 16:61:00 fw01 : %ASA-6-302013: Built";
  ev = NatEvent{};
  CHECK(p->parse_time(line, ev).status == LineStatus::malformed);
  line.text = "";
  CHECK(p->parse_time(line, ev).status == LineStatus::skip);
}

TEST_CASE("cisco-asa: session_of names the connection the parser reads", "[nat][cisco-asa]") {
  // The prefilter parses a line that names a kept session only when
  // session_of finds the id parse() would give it: a teardown it misses is a
  // translation left open. Every shape that carries an id, in the samples,
  // the corpus and the ICMP forms.
  const auto session_of = find_format("cisco-asa")->session_of;
  REQUIRE(session_of);
  std::string text = test::read_sample("testdata/nat/cisco-asa/asa.log");
  text +=
      "Apr 23 16:19:00 10.9.9.1 %ASA-6-302020: Built inbound ICMP connection 77 for faddr "
      "198.51.100.8/0 gaddr 203.0.113.9/1 laddr 10.0.0.9/1 type 8 code 0\n"
      "<166>Apr 23 2026 16:19:03 ftd1 : %FTD-6-302021: Teardown ICMP connection 78 for faddr "
      "198.51.100.8/0 gaddr 203.0.113.9/1 laddr 10.0.0.9/1 type 0 code 0\n"
      "Apr 23 2026 16:19:03 fw01 : %ASA-session-6-302016: Teardown UDP connection 79 for "
      "outside:198.51.100.53/53 to inside:10.0.0.5/53530 duration 0:00:00 bytes 80\n"
      "Apr 23 2026 16:19:03 fw01: %ASA-6-302014 Teardown TCP connection 80 for "
      "outside:198.51.100.1/443 to inside:10.0.0.5/51234 duration 0:00:01 bytes 1\n"
      // words longer than usual: "connection" past the message's 32nd byte
      "Apr 23 2026 16:19:04 fw01 : %ASA-6-302013: Built outbound ProtocolWithAVeryLongName "
      "connection 81 for outside:198.51.100.1/443 (198.51.100.1/443) to inside:10.0.0.5/51235 "
      "(203.0.113.9/40124)\n"
      "Apr 23 2026 16:19:05 fw01 : %ASA-6-302014: Teardown ProtocolWithAVeryLongName "
      "connection 81 for outside:198.51.100.1/443 to inside:10.0.0.5/51235 duration 0:00:01 "
      "bytes 1\n"
      // a '%' before the tag, in the first 32 bytes and after them
      "Apr 23 2026 16:19:06 fw%1 : %ASA-6-302014: Teardown TCP connection 83 for "
      "outside:198.51.100.1/443 to inside:10.0.0.5/51236 duration 0:00:01 bytes 1\n"
      "Apr 23 2026 16:19:07 firewall-with-a-long-name%1 : %ASA-6-302014: Teardown TCP "
      "connection 84 for outside:198.51.100.1/443 to inside:10.0.0.5/51237 duration 0:00:01 "
      "bytes 1\n";
  auto check = [&](const std::string& lines) {
    NatHarness h("cisco-asa", "America/New_York", 2026);
    size_t with_id = 0;
    for (const auto& o : h.run(lines)) {
      if (o.status != LineStatus::record || o.event.session_id.empty()) continue;
      INFO(o.raw);
      CHECK(session_of(o.raw) == o.event.session_id);
      ++with_id;
    }
    return with_id;
  };
  CHECK(check(text) == 15);  // 7 in asa.log, 8 above
  if (auto sample = test::read_corpus("nat-cisco-asa/sample.log")) CHECK(check(*sample) > 10);
  // Lines of other messages name none.
  CHECK(session_of("Apr 23 2026 16:19:05 fw01 : %ASA-4-106023: Deny tcp src "
                   "outside:203.0.113.66/4444 dst inside:10.20.3.44/445 connection 5") == "");
  CHECK(session_of("Apr 23 2026 16:19:05 fw01 : no tag, connection 5") == "");
}

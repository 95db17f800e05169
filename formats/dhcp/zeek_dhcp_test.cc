#include <filesystem>

#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::DhcpHarness;
using tracekit::test::utc;

namespace {

const char* const kTsvHeader =
    "#separator \\x09\n"
    "#set_separator\t,\n"
    "#empty_field\t(empty)\n"
    "#unset_field\t-\n"
    "#path\tdhcp\n"
    "#open\t2026-04-23-16-00-00\n"
    "#fields\tts\tuids\tclient_addr\tserver_addr\tmac\thost_name\tclient_fqdn\tdomain\t"
    "requested_addr\tassigned_addr\tlease_time\tclient_message\tserver_message\tmsg_types\t"
    "duration\n"
    "#types\ttime\tset[string]\taddr\taddr\tstring\tstring\tstring\tstring\taddr\taddr\t"
    "interval\tstring\tstring\tvector[string]\tinterval\n";

}  // namespace

TEST_CASE("zeek-dhcp: TSV transactions", "[dhcp][zeek]") {
  DhcpHarness h("zeek-dhcp", "UTC", 2026);
  std::string text = kTsvHeader;
  text +=
      // a new lease
      "1776961140.120000\tCHhAvVGS1DHFjwGM9,C4J4Th3PJpwUYZZ6gc\t-\t10.20.0.1\ta4:bb:6d:3c:2f:10\t"
      "ws-lab1-07\t-\tcorp.example\t10.20.3.44\t10.20.3.44\t43200.000000\t-\t-\t"
      "DISCOVER,OFFER,REQUEST,ACK\t0.031277\n"
      // its renewal
      "1776982740.500000\tCtPZjS20MLrsMUOJi2\t10.20.3.44\t10.20.0.1\ta4:bb:6d:3c:2f:10\t"
      "ws-lab1-07\t-\t-\t-\t10.20.3.44\t43200.000000\t-\t-\tREQUEST,ACK\t0.001012\n"
      // and its release
      "1776990000.000000\tCUM0KZ3MLUfNB0cl11\t10.20.3.44\t10.20.0.1\ta4:bb:6d:3c:2f:10\t"
      "ws-lab1-07\t-\t-\t-\t-\t-\t-\t-\tRELEASE\t0.000000\n"
      "1776990100.000000\tC3eiCBGOLw3VtHfOj\t10.20.3.9\t-\t90:b1:1c:99:49:29\t-\t-\t-\t-\t-\t-\t-"
      "\t-\tINFORM,ACK\t0.004327\n"
      "1776990200.000000\tC37jN32gN3y3AZzyf6\t-\t10.20.0.1\t90:b1:1c:99:49:30\t-\t-\t-\t"
      "10.20.7.7\t-\t-\t-\twrong network\tREQUEST,NAK\t0.000500\n"
      "1776990300.000000\tCmES5u32sYpV7JYN\t-\t-\t90:b1:1c:99:49:31\tbtest.is.cool\t-\t-\t"
      "10.20.3.80\t10.20.3.80\t900.000000\t-\t-\tDISCOVER,OFFER,REQUEST,ACK,DECLINE\t3.058797\n"
      "1776990400.000000\tCP5puj4I8PtEU4qzYg\t-\t-\t90:b1:1c:99:49:32\t-\t-\t-\t-\t-\t-\t-\t-\t"
      "DISCOVER\t0.000000\n"
      "#close\t2026-04-24-00-00-00\n";
  auto all = h.run(text);
  std::vector<tracekit::test::DhcpOutcome> r;
  for (auto& o : all) {
    CHECK(o.status != LineStatus::malformed);
    if (o.status == LineStatus::record) r.push_back(o);
  }
  REQUIRE(r.size() == 7);
  CHECK(r[0].event.action == DhcpAction::ack);
  CHECK(r[0].ip() == "10.20.3.44");
  CHECK(r[0].mac() == "a4:bb:6d:3c:2f:10");
  CHECK(r[0].host == "ws-lab1-07");
  CHECK(r[0].server == "10.20.0.1");
  CHECK(r[0].event.lease_time == std::chrono::hours(12));
  CHECK(r[0].time() == "2026-04-23T16:19:00.120Z");
  CHECK(r[1].event.action == DhcpAction::ack);  // renewal
  CHECK(r[1].time() == "2026-04-23T22:19:00.500Z");
  CHECK(r[2].event.action == DhcpAction::release);
  CHECK(r[2].ip() == "10.20.3.44");
  CHECK(r[2].event.lease_time == Micros(0));
  CHECK(r[3].event.action == DhcpAction::inform);
  CHECK(r[3].ip() == "10.20.3.9");
  CHECK(r[4].event.action == DhcpAction::nak);
  CHECK(r[4].ip() == "10.20.7.7");
  CHECK(r[5].event.action == DhcpAction::decline);  // DECLINE came after the ACK
  CHECK(r[5].ip() == "10.20.3.80");
  CHECK(r[6].event.action == DhcpAction::discover);
  CHECK(r[6].event.ip.is_unset());
}

TEST_CASE("zeek-dhcp: JSON lines", "[dhcp][zeek]") {
  DhcpHarness h("zeek-dhcp", "UTC", 2026);
  auto all = h.run(
      "{\"ts\":1332008692.04,\"uids\":[\"Ce1Qqc1mlwC1CEm1ba\",\"C4mlVZ12z34xG5G24\"],"
      "\"client_addr\":\"192.168.202.140\",\"server_addr\":\"192.168.202.1\",\"mac\":"
      "\"aa:00:04:00:0a:04\",\"requested_addr\":\"192.168.202.140\",\"assigned_addr\":"
      "\"192.168.202.140\",\"lease_time\":86400.0,\"msg_types\":[\"DISCOVER\",\"OFFER\","
      "\"REQUEST\",\"ACK\"],\"duration\":2.0199999809265138}\n"
      "{\"ts\":1332009260.87,\"uids\":[\"C3PXCg1AImKNDljgT2\"],\"client_addr\":"
      "\"192.168.202.138\",\"mac\":\"48:5d:60:71:38:f6\",\"host_name\":\"bt\",\"msg_types\":"
      "[\"RELEASE\"],\"duration\":0.0}\n"
      "{\"ts\": \"2026-04-23T15:19:00.250000Z\", \"uids\": [\"Cx\"], \"mac\": "
      "\"00:11:22:33:44:55\", \"host_name\": \"bob\\\"s \\u00e9 laptop\", \"assigned_addr\": "
      "\"10.0.0.5\", \"lease_time\": 3600.0, \"msg_types\": [\"REQUEST\", \"ACK\"], "
      "\"client_message\": null, \"extra\": {\"nested\": [1, 2]}}\n"
      "{\"ts\":1776957540250,\"uids\":[\"Cy\"],\"mac\":\"00:11:22:33:44:56\",\"assigned_addr\":"
      "\"10.0.0.6\",\"lease_time\":3600.0,\"msg_types\":[\"ACK\"]}\n"
      "{\"ts\":1332008627.78,\"uids\":[\"CNuYhr3qyCCpMY0Pw\"],\"client_addr\":\"192.168.202.76\","
      "\"mac\":\"00:26:9e:83:a2:30\",\"host_name\":\"minime\",\"msg_types\":[\"INFORM\",\"ACK\"],"
      "\"duration\":0.0}\n");
  REQUIRE(all.size() == 5);
  for (auto& o : all) CHECK(o.status == LineStatus::record);
  CHECK(all[0].event.action == DhcpAction::ack);
  CHECK(all[0].ip() == "192.168.202.140");
  CHECK(all[0].event.time == utc("@1332008692.04"));
  CHECK(all[0].event.lease_time == std::chrono::hours(24));
  CHECK(all[1].event.action == DhcpAction::release);
  CHECK(all[1].ip() == "192.168.202.138");
  CHECK(all[1].host == "bt");
  CHECK(all[2].host == "bob\"s \xC3\xA9 laptop");
  CHECK(all[2].time() == "2026-04-23T15:19:00.250Z");
  CHECK(all[2].event.action == DhcpAction::ack);
  CHECK(all[3].time() == "2026-04-23T15:19:00.250Z");  // TS_MILLIS
  CHECK(all[4].event.action == DhcpAction::inform);
  CHECK(all[4].ip() == "192.168.202.76");
}

TEST_CASE("zeek-dhcp: header variants", "[dhcp][zeek]") {
  SECTION("Bro before 2.6: ACKs only, assigned_ip") {
    DhcpHarness h("zeek-dhcp", "UTC", 2026);
    auto r = h.records(
        "#separator \\x09\n"
        "#set_separator\t,\n"
        "#empty_field\t(empty)\n"
        "#unset_field\t-\n"
        "#path\tdhcp\n"
        "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmac\tassigned_ip\t"
        "lease_time\ttrans_id\n"
        "#types\ttime\tstring\taddr\tport\taddr\tport\tstring\taddr\tinterval\tcount\n"
        "1102274184.387798\tCHhAvVGS1DHFjwGM9\t192.168.0.10\t68\t192.168.0.1\t67\t"
        "00:0a:28:00:fa:42\t192.168.0.10\t3600.000000\t15748\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].event.action == DhcpAction::ack);
    CHECK(r[0].ip() == "192.168.0.10");
    CHECK(r[0].server == "192.168.0.1");
    CHECK(r[0].event.lease_time == std::chrono::hours(1));
    CHECK(r[0].time() == "2004-12-05T19:16:24.387798Z");
  }
  SECTION("zeek-cut output with a bare header line") {
    DhcpHarness h("zeek-dhcp", "UTC", 2026);
    auto r = h.records(
        "ts\tmac\tassigned_addr\tlease_time\tmsg_types\n"
        "1776961140.000000\ta4:bb:6d:3c:2f:10\t10.20.3.44\t600.000000\tREQUEST,ACK\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].ip() == "10.20.3.44");
    CHECK(r[0].event.lease_time == std::chrono::minutes(10));
  }
  SECTION("no header: the Zeek 2.6+ column order") {
    DhcpHarness h("zeek-dhcp", "UTC", 2026);
    auto r = h.records(
        "1776961140.000000\tCx\t-\t10.20.0.1\ta4:bb:6d:3c:2f:10\tws\t-\t-\t-\t10.20.3.44\t"
        "600.000000\t-\t-\tACK\t0.0\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].ip() == "10.20.3.44");
    CHECK(r[0].host == "ws");
  }
  SECTION("extra site columns and an escaped host name") {
    DhcpHarness h("zeek-dhcp", "UTC", 2026);
    auto r = h.records(
        "#separator \\x09\n"
        "#path\tdhcp\n"
        "#fields\tts\tuids\tclient_addr\tserver_addr\tmac\thost_name\tclient_fqdn\tdomain\t"
        "requested_addr\tassigned_addr\tlease_time\tclient_message\tserver_message\tmsg_types\t"
        "duration\tcircuit_id\tagent_remote_id\tsubscriber_id\n"
        "1776961140.000000\tCx\t192.168.0.10\t10.10.0.1\t00:0a:28:00:fa:42\tmy\\x09pc\t-\t-\t-\t"
        "192.168.0.10\t3600.000000\t-\t-\tACK\t0.000000\tthis is only a test...\t\\x13\t-subID-\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].host == "my\tpc");
    CHECK(r[0].ip() == "192.168.0.10");
  }
  SECTION("a log of another path") {
    DhcpHarness h("zeek-dhcp", "UTC", 2026);
    auto all = h.run(
        "#separator \\x09\n"
        "#path\tconn\n"
        "#fields\tts\tuid\tid.orig_h\n"
        "1776961140.000000\tCx\t10.0.0.1\n");
    REQUIRE(all.size() == 4);
    CHECK(all[3].status == LineStatus::foreign);
    CHECK(all[3].reason == "not a Zeek dhcp log (#path)");
  }
}

TEST_CASE("zeek-dhcp: malformed rows and their reasons", "[dhcp][zeek]") {
  DhcpHarness h("zeek-dhcp", "UTC", 2026);
  std::string text = kTsvHeader;
  text +=
      "XXXXXXXXXX.XXXXXX\tCHhAvVGS1DHFjwGM9\t192.168.0.10\t10.10.0.1\t00:0a:28:00:fa:42\t-\t-\t-\t"
      "-\t192.168.0.10\t3600.000000\t-\t-\tACK\t0.000000\n"
      "1776961140.000000\tCx\t-\t-\t00:0a:28:00:fa\t-\t-\t-\t-\t192.168.0.10\t3600.0\t-\t-\tACK\t0"
      "\n"
      "1776961140.000000\tCx\t-\t-\t00:0a:28:00:fa:42\t-\t-\t-\t-\t192.168.0.300\t3600.0\t-\t-\t"
      "ACK\t0\n"
      "1776961140.000000\tCx\t-\t-\t00:0a:28:00:fa:42\t-\t-\t-\t-\t192.168.0.30\tlong\t-\t-\t"
      "ACK\t0\n"
      "{\"ts\":1332008625.4,\"host_name\":\"unterminated}\n"
      "{\"ts\":1332008625.4 \"mac\":\"00:0c:29:f5:b2:55\"}\n"
      "{\"ts\":\"yesterday\",\"mac\":\"00:0c:29:f5:b2:55\",\"msg_types\":[\"DISCOVER\"]}\n"
      "{\"mac\":\"00:0c:29:f5:b2:55\",\"msg_types\":[\"DISCOVER\"]}\n";
  auto all = h.run(text);
  std::vector<tracekit::test::DhcpOutcome> m;
  for (auto& o : all)
    if (o.status == LineStatus::malformed) m.push_back(o);
  REQUIRE(m.size() == 8);
  CHECK(m[0].reason == "timestamp not a number");
  CHECK(m[0].ip() == "192.168.0.10");  // the other fields are read
  CHECK(m[0].event.action == DhcpAction::ack);
  CHECK(m[1].reason == "bad mac");
  CHECK(m[2].reason == "bad assigned_addr");
  CHECK(m[3].reason == "bad lease_time");
  CHECK(m[4].reason == "JSON: unterminated string");
  CHECK(m[5].reason == "JSON: expected ',' or '}'");
  CHECK(m[6].reason == "bad ISO 8601 timestamp");
  CHECK(m[7].reason == "no timestamp");
}

TEST_CASE("zeek-dhcp: sniff", "[dhcp][zeek]") {
  const char* why = "";
  auto& f = formats::zeek_dhcp_format();
  CHECK(f.sniff(kTsvHeader, &why) >= 90);
  CHECK(f.sniff("{\"ts\":1332008625.4,\"uids\":[\"Cy\"],\"mac\":\"00:0c:29:f5:b2:55\","
                "\"msg_types\":[\"REQUEST\"],\"duration\":0.0}\n",
                &why) >= 80);
  CHECK(f.sniff("#separator \\x09\n#path\tconn\n#fields\tts\tuid\n", &why) == 0);
  CHECK(f.sniff("{\"ts\":1332008625.4,\"uid\":\"Cy\",\"id.orig_h\":\"10.0.0.1\"}\n", &why) == 0);
  Family dhcp = Family::dhcp;
  auto s = sniff_format(kTsvHeader, &dhcp);
  REQUIRE(s.format);
  CHECK(s.format->name == "zeek-dhcp");
}

TEST_CASE("zeek-dhcp: corpus", "[dhcp][zeek][corpus]") {
  auto dir = test::find_corpus("dhcp-zeek");
  if (!dir) return;
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(*dir)) {
    ++files;
    DhcpHarness h("zeek-dhcp", "UTC", 2026);
    auto all = h.run(test::read_file(entry.path()));
    std::string name = entry.path().filename().string();
    INFO(name);
    size_t records = 0, malformed = 0, acks = 0;
    bool canonified = name.rfind("zeek__", 0) == 0;  // btest baselines: ts is XXXXXXXXXX.XXXXXX
    for (const auto& o : all) {
      CHECK(o.status != LineStatus::foreign);
      if (o.status == LineStatus::record) ++records;
      if (o.status == LineStatus::malformed) {
        ++malformed;
        CHECK_FALSE(o.reason.empty());
        CHECK(o.reason == "timestamp not a number");
      }
      bool read = o.status == LineStatus::record || o.reason == "timestamp not a number";
      if (read && o.event.action == DhcpAction::ack) {
        ++acks;
        CHECK_FALSE(o.event.ip.is_unset());
        CHECK(o.event.has_mac);
        CHECK(o.event.lease_time > Micros(0));
      }
    }
    if (canonified) {
      CHECK(records == 0);
      CHECK(malformed > 0);
    } else {
      CHECK(malformed == 0);
      CHECK(records == 517);
      CHECK(acks == 57);  // two more rows with assigned_addr are DISCOVER,OFFER
    }
    if (name == "zeek__scripts.base.protocols.dhcp.dhcp-ack-msg-types__dhcp.log") {
      CHECK(acks == 1);
    }
  }
  CHECK(files == 8);
}

TEST_CASE("zeek-dhcp: the testdata samples, TSV and JSON alike", "[dhcp][zeek]") {
  DhcpHarness ht("zeek-dhcp", "UTC", 2026);
  DhcpHarness hj("zeek-dhcp", "UTC", 2026);
  auto tsv = ht.records(test::read_sample("testdata/dhcp/zeek/dhcp.log"));
  auto json = hj.records(test::read_sample("testdata/dhcp/zeek/dhcp.json.log"));
  REQUIRE(tsv.size() == 7);
  REQUIRE(json.size() == 7);
  for (size_t i = 0; i < tsv.size(); ++i) {
    INFO(i);
    CHECK(tsv[i].event.action == json[i].event.action);
    CHECK(tsv[i].ip() == json[i].ip());
    CHECK(tsv[i].mac() == json[i].mac());
    CHECK(tsv[i].host == json[i].host);
    CHECK(tsv[i].event.time == json[i].event.time);
    CHECK(tsv[i].event.lease_time == json[i].event.lease_time);
  }
  CHECK(tsv[0].time() == "2026-04-23T07:02:41.118327Z");
  CHECK(tsv[0].event.action == DhcpAction::ack);
}

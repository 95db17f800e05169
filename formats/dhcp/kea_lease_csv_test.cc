#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::DhcpHarness;
using tracekit::test::DhcpOutcome;

namespace {

constexpr const char* kHeader4 =
    "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,"
    "user_context,pool_id\n";
constexpr const char* kHeader6 =
    "address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,prefix_len,fqdn_"
    "fwd,fqdn_rev,hostname,hwaddr,state,user_context,hwtype,hwaddr_source,pool_id\n";

std::string end_of(const DhcpOutcome& o) {
  return o.event.lease_end == kNoTime ? "none" : format_rfc3339(o.event.lease_end);
}

size_t count(const std::vector<DhcpOutcome>& all, LineStatus s) {
  size_t n = 0;
  for (const auto& o : all) n += o.status == s;
  return n;
}

}  // namespace

TEST_CASE("kea-lease-csv: lease4 rows", "[dhcp][kea]") {
  DhcpHarness h("kea-lease-csv");
  auto all = h.run(std::string(kHeader4) +
                   "10.20.3.44,00:1b:21:3a:4f:07,01:00:1b:21:3a:4f:07,3600,1776961140,1,0,0,ws-"
                   "lab1-07,0,,0\n");
  REQUIRE(all.size() == 2);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "header line");
  const auto& r = all[1];
  REQUIRE(r.status == LineStatus::record);
  CHECK(r.event.action == DhcpAction::lease);
  CHECK(r.ip() == "10.20.3.44");
  CHECK(r.mac() == "00:1b:21:3a:4f:07");
  CHECK(r.client_id == "01:00:1b:21:3a:4f:07");
  CHECK(r.host == "ws-lab1-07");
  CHECK(r.time() == "2026-04-23T15:19:00Z");  // expire - valid_lifetime
  CHECK(end_of(r) == "2026-04-23T16:19:00Z");
  CHECK(r.event.lease_time == std::chrono::hours(1));
  CHECK_FALSE(r.event.ends_lease);
  CHECK(r.line == 2);
  CHECK(r.raw.substr(0, 11) == "10.20.3.44,");
}

TEST_CASE("kea-lease-csv: renewal, deletion, reclamation, decline, new client", "[dhcp][kea]") {
  DhcpHarness h("kea-lease-csv");
  auto r = h.records(
      std::string(kHeader4) +
      // grant, renewal
      "10.20.3.44,00:1b:21:3a:4f:07,01:00:1b:21:3a:4f:07,3600,1776959340,1,0,0,ws-lab1-07,0,,0\n"
      "10.20.3.44,00:1b:21:3a:4f:07,01:00:1b:21:3a:4f:07,3600,1776961140,1,0,0,ws-lab1-07,0,,0\n"
      // released: Kea writes the lease again with lifetime 0
      "10.20.3.44,00:1b:21:3a:4f:07,01:00:1b:21:3a:4f:07,0,1776957540,1,0,0,ws-lab1-07,0,,0\n"
      // the address goes to another client
      "10.20.3.44,a4:5e:60:c1:22:9b,,3600,1776966012,1,0,0,,0,,0\n"
      // that lease lapses and is reclaimed
      "10.20.3.44,a4:5e:60:c1:22:9b,,3600,1776966012,1,0,0,,2,,0\n"
      // an address declined: the client found it in use
      "10.20.3.60,,,86400,1777028427,1,0,0,,1,,0\n");
  REQUIRE(r.size() == 6);
  CHECK(r[0].time() == "2026-04-23T14:49:00Z");
  CHECK(r[1].time() == "2026-04-23T15:19:00Z");
  CHECK(end_of(r[1]) == "2026-04-23T16:19:00Z");
  CHECK(r[2].event.action == DhcpAction::remove);
  CHECK(r[2].time() == "2026-04-23T15:19:00Z");  // the lease's last transaction
  CHECK(end_of(r[2]) == "none");
  CHECK(r[2].mac() == "00:1b:21:3a:4f:07");
  CHECK(r[3].event.action == DhcpAction::lease);
  CHECK(r[3].mac() == "a4:5e:60:c1:22:9b");
  CHECK(r[3].client_id.empty());
  CHECK(r[3].time() == "2026-04-23T16:40:12Z");
  CHECK_FALSE(r[3].event.ends_lease);
  CHECK(r[4].event.action == DhcpAction::lease);  // expired-reclaimed
  CHECK(r[4].event.ends_lease);
  CHECK(end_of(r[4]) == "2026-04-23T17:40:12Z");
  CHECK(r[5].event.action == DhcpAction::decline);
  CHECK(r[5].time() == "2026-04-23T11:00:27Z");
  CHECK_FALSE(r[5].event.has_mac);
  CHECK(end_of(r[5]) == "none");
}

TEST_CASE("kea-lease-csv: escaped commas, infinite lifetime, odd hardware", "[dhcp][kea]") {
  DhcpHarness h("kea-lease-csv");
  auto r =
      h.records(std::string(kHeader4) +
                "0.0.0.12,32:32,,40,1643212345,50,1,1,three&#x2cexample&#x2ccom,0,{ \"a\": "
                "1&#x2c \"b\": \"c\" },0\n"
                "10.0.0.9,00:11:22:33:44:55,,4294967295,6071924835,1,0,0,server&#x26;1,0,,0\n");
  REQUIRE(r.size() == 2);
  CHECK(r[0].host == "three,example,com");
  CHECK_FALSE(r[0].event.has_mac);  // a 2-byte hardware address is no MAC-48
  CHECK(r[1].time() == "2026-04-23T15:19:00Z");
  CHECK(end_of(r[1]) == "none");  // infinite
  CHECK(r[1].event.lease_time == Micros(0));
  CHECK(r[1].host == "server&;1");
}

TEST_CASE("kea-lease-csv: columns are found by name in every header version", "[dhcp][kea]") {
  DhcpHarness h("kea-lease-csv");
  auto all = h.run(
      // Kea 1.0 lease4: no state
      "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname\n"
      "10.20.4.10,00:1b:21:3a:50:01,01:00:1b:21:3a:50:01,4000,1776959740,2,1,1,ws-lab2-01\n"
      // state added
      "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state\n"
      "10.20.4.11,00:1b:21:3a:50:02,,4000,1776960000,2,0,0,,2\n");
  REQUIRE(all.size() == 4);
  CHECK(all[0].reason == "header line");
  CHECK(all[2].reason == "header line");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].host == "ws-lab2-01");
  CHECK(all[1].time() == "2026-04-23T14:49:00Z");
  CHECK_FALSE(all[1].event.ends_lease);
  REQUIRE(all[3].status == LineStatus::record);
  CHECK(all[3].event.ends_lease);
}

TEST_CASE("kea-lease-csv: rows without a header", "[dhcp][kea]") {
  DhcpHarness h("kea-lease-csv");
  auto all = h.run(
      "10.20.4.11,00:1b:21:3a:50:02,,4000,1776960000,2,0,0,\n"
      "address,hwaddr,valid_lifetime,hostname\n");
  REQUIRE(all.size() == 2);
  CHECK(all[0].reason == "row before the header line");
  CHECK(all[1].reason == "header lacks a lease4 or lease6 column");
}

TEST_CASE("kea-lease-csv: reordered header", "[dhcp][kea]") {
  DhcpHarness h("kea-lease-csv");
  auto r = h.records(
      "address,expire,valid_lifetime,hwaddr,hostname\n"
      "10.20.4.12,1776960000,4000,00:1b:21:3a:50:03,ws-lab2-03\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].mac() == "00:1b:21:3a:50:03");
  CHECK(r[0].host == "ws-lab2-03");
  CHECK(end_of(r[0]) == "2026-04-23T16:00:00Z");
}

TEST_CASE("kea-lease-csv: malformed rows say why", "[dhcp][kea]") {
  DhcpHarness h("kea-lease-csv");
  auto all = h.run(std::string(kHeader4) +
                   "10.20.3.44,00:1b:21:3a:4f:07,,3600,1776961140,1,0,0,ws-lab1-07,0\n"
                   "10.20.3.444,00:1b:21:3a:4f:07,,3600,1776961140,1,0,0,ws-lab1-07,0,,0\n"
                   "2001:db8::1,00:1b:21:3a:4f:07,,3600,1776961140,1,0,0,ws-lab1-07,0,,0\n"
                   "10.20.3.44,00:1b:21:3a:4f:07,,-1,1776961140,1,0,0,ws-lab1-07,0,,0\n"
                   "10.20.3.44,00:1b:21:3a:4f:07,,3600,17769611x0,1,0,0,ws-lab1-07,0,,0\n"
                   "10.20.3.44,00:1b:21:3a:4f:07,,3600,1776961140,1,0,0,ws-lab1-07,7,,0\n"
                   "10.20.3.44,00:1b:21:3a:4f:zz,,3600,1776961140,1,0,0,ws-lab1-07,0,,0\n"
                   "10.20.3.44,00:1b:21:3a:4f:07,,3600,1200,1,0,0,ws-lab1-07,0,,0\n"
                   "10.20.3.44,00:1b:21:3a:4f:07,,3600,99999999999999999,1,0,0,,0,,0\n"
                   "10.20.3.44,00:1b:21:3a:4f:07,,36");  // cut off by a crash
  REQUIRE(all.size() == 11);
  CHECK(all[1].reason == "wrong number of fields for the header");
  CHECK(all[2].reason == "lease4: bad address");
  CHECK(all[3].reason == "lease4: bad address");
  CHECK(all[4].reason == "bad valid_lifetime");
  CHECK(all[5].reason == "bad expire");
  CHECK(all[6].reason == "unknown lease state");
  CHECK(all[7].reason == "bad hwaddr");
  CHECK(all[8].reason == "expire before valid_lifetime: no last transaction time");
  CHECK(all[9].reason == "bad expire");
  CHECK(all[10].reason == "wrong number of fields for the header");
  CHECK(all[10].line == 11);
  for (size_t i = 1; i < all.size(); ++i) CHECK(all[i].status == LineStatus::malformed);
}

TEST_CASE("kea-lease-csv: lease6 rows", "[dhcp][kea]") {
  DhcpHarness h("kea-lease-csv");
  auto all = h.run(
      std::string(kHeader6) +
      // DUID-LLT and hwaddr
      "2001:db8:20::44,00:01:00:01:2f:8e:4a:10:00:1b:21:3a:4f:07,7200,1776964740,2,3600,0,1,128,"
      "0,0,ws-lab1-07,00:1b:21:3a:4f:08,0,,1,4,0\n"
      // DUID-LL, no hwaddr: the MAC comes from the DUID
      "2001:db8:20::45,00:03:00:01:00:1b:21:3a:4f:09,7200,1776964740,2,3600,0,1,128,0,0,,,0,,,,0\n"
      // DUID-EN: no MAC anywhere
      "2001:db8:20::9c1,00:02:00:00:01:37:08:0a:2c:7d:91:e4:51:3b,7200,1776963947,2,3600,1,14,"
      "128,0,0,,,0,,,,0\n"
      // a delegated prefix
      "2001:db8:ff00::,00:03:00:01:00:1b:21:3a:4f:09,7200,1776964740,2,3600,2,1,56,0,0,,,0,,,,0\n"
      // deleted (released)
      "2001:db8:20::44,00:01:00:01:2f:8e:4a:10:00:1b:21:3a:4f:07,0,1776957540,2,0,0,1,128,0,0,ws-"
      "lab1-07,00:1b:21:3a:4f:08,0,,1,4,0\n"
      // an IPv4 address in a lease6 file
      "10.0.0.1,00:03:00:01:00:1b:21:3a:4f:09,7200,1776964740,2,3600,0,1,128,0,0,,,0,,,,0\n");
  REQUIRE(all.size() == 7);
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].ip() == "2001:db8:20::44");
  CHECK(all[1].mac() == "00:1b:21:3a:4f:08");  // the hwaddr column wins over the DUID
  CHECK(all[1].client_id == "00:01:00:01:2f:8e:4a:10:00:1b:21:3a:4f:07");
  CHECK(all[1].time() == "2026-04-23T15:19:00Z");
  CHECK(end_of(all[1]) == "2026-04-23T17:19:00Z");
  CHECK(all[1].event.lease_time == std::chrono::hours(2));
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].mac() == "00:1b:21:3a:4f:09");
  REQUIRE(all[3].status == LineStatus::record);  // IA_TA
  CHECK_FALSE(all[3].event.has_mac);
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "IA_PD: delegated prefixes are not looked up");
  REQUIRE(all[5].status == LineStatus::record);
  CHECK(all[5].event.action == DhcpAction::remove);
  CHECK(all[6].status == LineStatus::malformed);
  CHECK(all[6].reason == "lease6: bad address");
}

TEST_CASE("kea-lease-csv: lease6 in the first header version", "[dhcp][kea]") {
  DhcpHarness h("kea-lease-csv");
  auto r = h.records(
      "address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,prefix_len,fqdn_"
      "fwd,fqdn_rev,hostname\n"
      "2001:db8:21::10,00:03:00:01:00:1b:21:3a:50:01,4000,1776959740,3,3000,0,1,128,0,0,ws-lab2-"
      "01\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].mac() == "00:1b:21:3a:50:01");
  CHECK(r[0].host == "ws-lab2-01");
  CHECK(r[0].time() == "2026-04-23T14:49:00Z");
}

TEST_CASE("kea-lease-csv: CRLF line ends", "[dhcp][kea]") {
  DhcpHarness h("kea-lease-csv");
  std::string header = kHeader4;
  header.insert(header.size() - 1, "\r");
  auto all = h.run(header +
                   "10.20.3.44,00:1b:21:3a:4f:07,,3600,1776961140,1,0,0,ws-lab1-07,0,,0\r\n"
                   "\r\n");
  REQUIRE(all.size() == 3);
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].host == "ws-lab1-07");
  CHECK(all[1].raw.back() == '0');
  CHECK(all[2].reason == "empty line");
}

TEST_CASE("kea-lease-csv: sniffing", "[dhcp][kea]") {
  const char* why = "";
  auto score = [&](std::string_view head) {
    return formats::kea_lease_csv_format().sniff(head, &why);
  };
  CHECK(score(kHeader4) == 95);
  CHECK(std::string(why) == "Kea lease4 CSV header");
  CHECK(score(kHeader6) == 95);
  CHECK(score("address,hwaddr,client_id\n10.0.0.1,,\n") == 60);
  CHECK(score("lease 10.0.0.1 {\n  starts 4 2017/10/05 15:22:29;\n}\n") == 0);
  CHECK(score("address,port,user\n") == 0);
  CHECK(score("#fields\tts\tuid\tclient_addr\n") == 0);
}

TEST_CASE("kea-lease-csv: the samples in testdata", "[dhcp][kea]") {
  const std::vector<std::tuple<std::string, size_t, size_t>> expected = {
      {"kea-leases4.csv", 7, 1},
      {"kea-leases4-1.0.csv", 3, 1},
      {"kea-leases6.csv", 4, 2},
      {"kea-leases6-1.0.csv", 2, 1},
  };
  for (const auto& [name, records, skipped] : expected) {
    INFO(name);
    DhcpHarness h("kea-lease-csv");
    auto all = h.run(test::read_sample("testdata/dhcp/kea/" + name));
    CHECK(count(all, LineStatus::malformed) == 0);
    CHECK(count(all, LineStatus::record) == records);
    CHECK(count(all, LineStatus::skip) == skipped);
  }
}

TEST_CASE("kea-lease-csv: every row of the public corpus parses", "[corpus][dhcp]") {
  if (!test::find_corpus("dhcp-kea-lease4-csv")) return;
  // records / skipped (header, empty lines) per file
  const std::vector<std::tuple<std::string, size_t, size_t>> expected = {
      {"dhcp-kea-lease4-csv/lease4_dump_test.reference.csv", 3, 1},
      {"dhcp-kea-lease4-csv/small-leases4.csv", 3, 2},
      {"dhcp-kea-lease4-csv/small2-leases4.csv", 3, 1},
      {"dhcp-kea-lease6-csv/lease6_dump_test.reference.csv", 4, 1},
      {"dhcp-kea-lease6-csv/small-leases6.csv", 3, 1},
      {"dhcp-kea-lease6-csv/small2-leases6.csv", 3, 1},
  };
  for (const auto& [name, records, skipped] : expected) {
    INFO(name);
    std::string text = test::read_file(test::corpus_path(name));
    REQUIRE(!text.empty());
    const char* why = "";
    CHECK(formats::kea_lease_csv_format().sniff(text, &why) == 95);
    DhcpHarness h("kea-lease-csv");
    auto all = h.run(text);
    CHECK(count(all, LineStatus::malformed) == 0);
    CHECK(count(all, LineStatus::record) == records);
    CHECK(count(all, LineStatus::skip) == skipped);
  }
}

TEST_CASE("kea-lease-csv: binary garbage and very wide rows", "[dhcp][kea]") {
  DhcpHarness h("kea-lease-csv");
  std::string junk = std::string(kHeader6) + std::string("\0\xff,,\n", 5) + std::string(500, ',') +
                     "\n" + "address" + std::string(100, ',') + "\n" + "::1,,,,,,,,,,,,,,,,,\n";
  auto all = h.run(junk);
  REQUIRE(all.size() == 5);
  CHECK(all[1].reason == "wrong number of fields for the header");
  CHECK(all[2].reason == "wrong number of fields for the header");
  CHECK(all[3].reason == "header with too many columns");
  CHECK(all[4].reason == "row before the header line");
}

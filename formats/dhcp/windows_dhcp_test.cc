#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::DhcpHarness;
using tracekit::test::utc;

namespace {

// The start of a DhcpSrvLog file as Windows Server 2012 and later write it
// (CRLF line ends; the event table shortened).
const char* const kBanner =
    "\t\tMicrosoft DHCP Service Activity Log\r\n"
    "\r\n"
    "\r\n"
    "Event ID  Meaning\r\n"
    "00\tThe log was started.\r\n"
    "01\tThe log was stopped.\r\n"
    "10\tA new IP address was leased to a client.\r\n"
    "11\tA lease was renewed by a client.\r\n"
    "12\tA lease was released by a client.\r\n"
    "50+\tCodes above 50 are used for Rogue Server Detection information.\r\n"
    "\r\n"
    "QResult: 0: NoQuarantine, 1:Quarantine, 2:Drop Packet, 3:Probation,6:No Quarantine "
    "Information ProbationTime:Year-Month-Day Hour:Minute:Second:MilliSecond.\r\n"
    "\r\n"
    "ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name, TransactionID, "
    "QResult,Probationtime, CorrelationID,Dhcid,VendorClass(Hex),VendorClass(ASCII),"
    "UserClass(Hex),UserClass(ASCII),RelayAgentInformation,DnsRegError.\r\n";

}  // namespace

TEST_CASE("windows-dhcp: banner, header and a day of events", "[dhcp][windows-dhcp]") {
  DhcpHarness h("windows-dhcp", "Europe/London", 2026);
  std::string text = kBanner;
  text +=
      "00,04/23/26,00:00:01,Started,,,,,0,6,,,,,,,,,0\r\n"
      "24,04/23/26,00:00:05,Database Cleanup Begin,,,,,0,6,,,,,,,,,0\r\n"
      "10,04/23/26,16:19:00,Assign,10.20.3.44,ws-lab1-07.corp.example,A4BB6D3C2F10,,"
      "3096562285,0,,,,0x4D53465420352E30,MSFT 5.0,,,,0\r\n"
      "30,04/23/26,16:19:00,DNS Update Request,10.20.3.44,ws-lab1-07.corp.example,,,0,6,,,,,,,,,0"
      "\r\n"
      "32,04/23/26,16:19:01,DNS Update Successful,10.20.3.44,ws-lab1-07.corp.example,,,0,6,,,,,,,"
      ",,0\r\n"
      "11,04/23/26,20:19:00,Renew,10.20.3.44,ws-lab1-07.corp.example,A4BB6D3C2F10,,2203118851,0,,"
      ",,0x4D53465420352E30,MSFT 5.0,,,,0\r\n"
      "12,04/23/26,21:02:13,Release,10.20.3.44,ws-lab1-07.corp.example,A4BB6D3C2F10,,1180311234,"
      "0,,,,,,,,,0\r\n"
      "15,04/23/26,21:05:00,NACK,10.20.9.9,,A4BB6D3C2F11,,99887766,0,,,,,,,,,0\r\n"
      "13,04/23/26,21:06:00,Conflict,10.20.3.50,,,,0,6,,,,,,,,,0\r\n"
      "18,04/23/26,23:00:00,Expired,10.20.3.61,,,,0,6,,,,,,,,,0\r\n"
      "16,04/23/26,23:10:00,Delete,10.20.3.62,old-laptop.corp.example,001A2B3C4D5E,,0,6,,,,,,,,,0"
      "\r\n"
      "55,04/23/26,23:15:00,Authorized(servicing),,corp.example,,,0,6,,,,,,,,,0\r\n";
  auto all = h.run(text);
  std::vector<tracekit::test::DhcpOutcome> recs;
  size_t skipped = 0;
  for (auto& o : all) {
    if (o.status == LineStatus::record) recs.push_back(o);
    if (o.status == LineStatus::skip) ++skipped;
    CHECK(o.status != LineStatus::malformed);
  }
  REQUIRE(recs.size() == 6);
  CHECK(recs[0].event.action == DhcpAction::ack);
  CHECK(recs[0].ip() == "10.20.3.44");
  CHECK(recs[0].mac() == "a4:bb:6d:3c:2f:10");
  CHECK(recs[0].host == "ws-lab1-07.corp.example");
  CHECK(recs[0].time() == "2026-04-23T15:19:00Z");  // local time, BST
  CHECK(recs[1].event.action == DhcpAction::ack);   // renewal
  CHECK(recs[1].time() == "2026-04-23T19:19:00Z");
  CHECK(recs[2].event.action == DhcpAction::release);
  CHECK(recs[3].event.action == DhcpAction::nak);
  CHECK(recs[4].event.action == DhcpAction::expire);
  CHECK(recs[4].ip() == "10.20.3.61");
  CHECK_FALSE(recs[4].event.has_mac);
  CHECK(recs[5].event.action == DhcpAction::remove);
  CHECK(recs[5].mac() == "00:1a:2b:3c:4d:5e");
  CHECK(skipped == all.size() - 6);
}

TEST_CASE("windows-dhcp: skip reasons", "[dhcp][windows-dhcp]") {
  DhcpHarness h("windows-dhcp", "UTC", 2026);
  auto all = h.run(
      "\t\tMicrosoft DHCP Service Activity Log\r\n"
      "00\tThe log was started.\r\n"
      "01,04/19/20,13:11:13,Stopped,,,\r\n"
      "13,04/23/26,21:06:00,Conflict,10.20.3.50,,,,0,6,,,,,,,,,0\r\n"
      "14,04/23/26,21:06:00,Scope Full,,,,,0,6,,,,,,,,,0\r\n"
      "31,09/20/21,09:18:00,DNS Update Failed,172.28.43.159,pc.test.com,,,0,6,,,,,,,,,10054\r\n"
      "63,04/19/20,12:43:28,Restarting rogue detection,,,\r\n");
  REQUIRE(all.size() == 7);
  CHECK(all[0].reason == "banner line");
  CHECK(all[1].reason == "banner line");
  CHECK(all[2].reason == "audit log started, stopped or paused");
  CHECK(all[3].reason == "address found in use on the network (no lease)");
  CHECK(all[4].reason == "address pool exhausted (no lease)");
  CHECK(all[5].reason == "DNS update event");
  CHECK(all[6].reason == "rogue detection or authorisation event");
}

TEST_CASE("windows-dhcp: local time in a DST fold is flagged", "[dhcp][windows-dhcp]") {
  DhcpHarness h("windows-dhcp", "America/New_York", 2026);
  auto r = h.records(
      "10,11/01/26,01:30:00,Assign,10.0.0.5,ws1.corp.example,001122334455,,17739,0,,,\r\n"
      "11,11/01/26,01:40:00,Renew,10.0.0.5,ws1.corp.example,001122334455,,17740,0,,,\r\n");
  REQUIRE(r.size() == 2);
  CHECK((r[0].event.time_flags & kLocalAmbiguous) != 0);
  CHECK((r[0].event.time_flags & kLocalNonexistent) == 0);
  // 01:30 occurs at 05:30Z (EDT) and at 06:30Z (EST): either reading, flagged.
  CHECK((r[0].time() == "2026-11-01T05:30:00Z" || r[0].time() == "2026-11-01T06:30:00Z"));
  CHECK((r[1].event.time_flags & kLocalAmbiguous) != 0);
}

TEST_CASE("windows-dhcp: local time in a DST gap is flagged", "[dhcp][windows-dhcp]") {
  DhcpHarness h("windows-dhcp", "Europe/London", 2026);
  auto r = h.records(
      "10,03/29/26,01:30:00,Assign,10.0.0.5,ws1.corp.example,001122334455,,17739,0,,,\r\n"
      "10,03/29/26,03:30:00,Assign,10.0.0.6,ws2.corp.example,001122334456,,17741,0,,,\r\n");
  REQUIRE(r.size() == 2);
  CHECK((r[0].event.time_flags & kLocalNonexistent) != 0);
  CHECK((r[1].event.time_flags & (kLocalNonexistent | kLocalAmbiguous)) == 0);
  CHECK(r[1].time() == "2026-03-29T02:30:00Z");
}

TEST_CASE("windows-dhcp: header variants", "[dhcp][windows-dhcp]") {
  SECTION("Windows 2003/2008: seven columns") {
    DhcpHarness h("windows-dhcp", "UTC", 2026);
    auto r = h.records(
        "ID,Date,Time,Description,IP Address,Host Name,MAC Address\r\n"
        "10,04/23/08,09:00:00,Assign,192.168.1.20,PC20.corp.local,000C29AABBCC\r\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].time() == "2008-04-23T09:00:00Z");
    CHECK(r[0].mac() == "00:0c:29:aa:bb:cc");
  }
  SECTION("Windows 2008 R2: thirteen columns") {
    DhcpHarness h("windows-dhcp", "UTC", 2026);
    auto r = h.records(
        "ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name, TransactionID, "
        "QResult,Probationtime, CorrelationID,Dhcid.\r\n"
        "11,04/23/12,09:00:00,Renew,192.168.1.21,PC21.corp.local,000C29AABBCD,,2821,0,,,\r\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].event.action == DhcpAction::ack);
    CHECK(r[0].host == "PC21.corp.local");
  }
  SECTION("columns found by name, wherever they stand") {
    DhcpHarness h("windows-dhcp", "UTC", 2026);
    auto r = h.records(
        "ID,Date,Time,Description,MAC Address,IP Address,Host Name\r\n"
        "10,04/23/26,09:00:00,Assign,000C29AABBCE,192.168.1.22,PC22\r\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].ip() == "192.168.1.22");
    CHECK(r[0].mac() == "00:0c:29:aa:bb:ce");
    CHECK(r[0].host == "PC22");
  }
  SECTION("a localised header: the standard positions") {
    DhcpHarness h("windows-dhcp", "UTC", 2026);
    auto all = h.run(
        "Kimlik,Tarih,Saat,A\xC3\xA7\xC4\xB1klama,IP Adresi,Ana Bilgisayar Ad\xC4\xB1,MAC "
        "Adresi\r\n"
        "10,04/23/26,09:00:00,Atama,192.168.1.23,PC23,000C29AABBCF\r\n");
    REQUIRE(all.size() == 2);
    CHECK(all[0].status == LineStatus::skip);
    CHECK(all[1].status == LineStatus::record);
    CHECK(all[1].ip() == "192.168.1.23");
    CHECK(all[1].mac() == "00:0c:29:aa:bb:cf");
  }
  SECTION("no header at all, and a UTF-8 byte order mark") {
    DhcpHarness h("windows-dhcp", "UTC", 2026);
    auto r = h.records(
        "\xEF\xBB\xBF"
        "10,04/23/26,09:00:00,Assign,192.168.1.24,PC24,000C29AABBD0,,17739,0,,,\r\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].ip() == "192.168.1.24");
  }
}

TEST_CASE("windows-dhcp: MAC column forms", "[dhcp][windows-dhcp]") {
  DhcpHarness h("windows-dhcp", "UTC", 2026);
  auto r = h.records(
      "10,04/23/26,09:00:00,Assign,192.0.2.10,host.test.com,000000000000,,17739,0,,,\r\n"
      "10,04/23/26,09:00:01,Assign,192.0.2.11,host.test.com,01A4BB6D3C2F10,,17740,0,,,\r\n"
      "10,04/23/26,09:00:02,Assign,192.0.2.12,ras.test.com,5241532030303030303030,,17741,0,,,"
      "\r\n");
  REQUIRE(r.size() == 3);
  CHECK_FALSE(r[0].event.has_mac);  // all zeros: none given
  CHECK(r[0].client_id == "000000000000");
  CHECK(r[1].mac() == "a4:bb:6d:3c:2f:10");  // hardware type 1 + MAC
  CHECK_FALSE(r[2].event.has_mac);
  CHECK(r[2].client_id == "5241532030303030303030");
}

TEST_CASE("windows-dhcp: DHCPv6 audit log", "[dhcp][windows-dhcp]") {
  DhcpHarness h("windows-dhcp", "UTC", 2026);
  auto all = h.run(
      "\t\tMicrosoft DHCPv6 Service Activity Log\r\n"
      "\r\n"
      "Event ID  Meaning\r\n"
      "11000\tDHCPv6 Solicit\r\n"
      "\r\n"
      "ID,Date,Time,Description,IPv6 Address,Host Name,Error Code, Duid Length, Duid "
      "Bytes(Hex),User Name,Dhcid,Subnet Prefix.\r\n"
      "11010,04/23/26,08:00:00,DHCPV6 Started,,,,,,,,,\r\n"
      "11000,04/23/26,09:00:00,DHCPV6 Solicit,2001:db8:10::2a,ws6.corp.example,,14,"
      "000100012ABBCCDD001122334455,,,,\r\n"
      "11002,04/23/26,09:00:01,DHCPV6 Request,2001:db8:10::2a,ws6.corp.example,,14,"
      "000100012ABBCCDD001122334455,,,,\r\n"
      "11004,04/23/26,21:00:00,DHCPV6 Renew,2001:db8:10::2a,ws6.corp.example,,14,"
      "000100012ABBCCDD001122334455,,,,\r\n"
      "11007,04/23/26,22:00:00,DHCPV6 Release,2001:db8:10::2a,ws6.corp.example,,14,"
      "000100012ABBCCDD001122334455,,,,\r\n"
      "11002,04/23/26,22:30:00,DHCPV6 Request,2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6,test-host,,"
      "18,0004A34473BFC27FC55B25E86AF0E1761DAA,,,,,\r\n"
      "11018,04/24/26,10:30:00,DHCPV6 Expired,2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6,,,,,,,,\r\n"
      "11030,04/24/26,13:25:21,0 DHCPV6 Stateless client records purged,,,,,,,,,,\r\n");
  std::vector<tracekit::test::DhcpOutcome> r;
  for (auto& o : all) {
    CHECK(o.status != LineStatus::malformed);
    if (o.status == LineStatus::record) r.push_back(o);
  }
  REQUIRE(r.size() == 6);
  CHECK(r[0].event.action == DhcpAction::discover);
  CHECK(r[1].event.action == DhcpAction::ack);
  CHECK(r[1].ip() == "2001:db8:10::2a");
  CHECK(r[1].client_id == "000100012ABBCCDD001122334455");
  CHECK(r[1].mac() == "00:11:22:33:44:55");  // DUID-LLT
  CHECK(r[2].event.action == DhcpAction::ack);
  CHECK(r[3].event.action == DhcpAction::release);
  CHECK_FALSE(r[4].event.has_mac);  // DUID-UUID
  CHECK(r[5].event.action == DhcpAction::expire);
}

TEST_CASE("windows-dhcp: malformed rows and their reasons", "[dhcp][windows-dhcp]") {
  DhcpHarness h("windows-dhcp", "UTC", 2026);
  auto all = h.run(
      "10,13/45/26,16:19:00,Assign,10.0.0.5,ws1,001122334455,,1,0,,,\r\n"
      "10,04/23/26,25:19:00,Assign,10.0.0.5,ws1,001122334455,,1,0,,,\r\n"
      "10,04/23/26,16:19:00,Assign,10.0.0.256,ws1,001122334455,,1,0,,,\r\n"
      "12,04/23/26,16:19:00,Release,,ws1,001122334455,,1,0,,,\r\n"
      "10,04/23/26,16:19:00,Assign\r\n"
      "10,2026-04-23,16:19:00,Assign,10.0.0.5,ws1,001122334455,,1,0,,,\r\n");
  REQUIRE(all.size() == 6);
  for (auto& o : all) CHECK(o.status == LineStatus::malformed);
  CHECK(all[0].reason == "bad date (expected MM/DD/YY)");
  CHECK(all[1].reason == "bad time (expected HH:MM:SS)");
  CHECK(all[2].reason == "bad IP address");
  CHECK(all[3].reason == "lease event without an IP address");
  CHECK(all[4].reason == "too few columns");
  CHECK(all[5].reason == "bad date (expected MM/DD/YY)");
}

TEST_CASE("windows-dhcp: sniff", "[dhcp][windows-dhcp]") {
  const char* why = "";
  auto& f = formats::windows_dhcp_format();
  CHECK(f.sniff(kBanner, &why) >= 90);
  CHECK(f.sniff("ID,Date,Time,Description,IP Address,Host Name,MAC Address\r\n", &why) >= 90);
  CHECK(f.sniff("10,04/23/26,16:19:00,Assign,10.0.0.5,ws1,001122334455,,1,0,,,\r\n"
                "11,04/23/26,17:19:00,Renew,10.0.0.5,ws1,001122334455,,2,0,,,\r\n",
                &why) >= 50);
  CHECK(f.sniff("Apr 23 16:19:00 gw dnsmasq-dhcp[1234]: DHCPACK(eth0) 10.0.0.5 "
                "00:11:22:33:44:55 laptop\n",
                &why) == 0);
  CHECK(f.sniff("address,hwaddr,client_id,valid_lifetime,expire,subnet_id\n"
                "192.0.2.1,06:07:08:09:0a:bc,,200,200,8\n",
                &why) == 0);
  Family dhcp = Family::dhcp;
  auto s = sniff_format(kBanner, &dhcp);
  REQUIRE(s.format);
  CHECK(s.format->name == "windows-dhcp");
}

TEST_CASE("windows-dhcp: corpus", "[dhcp][windows-dhcp][corpus]") {
  auto text = test::read_corpus("dhcp-windows-dhcpsrvlog/test-log.log");
  if (!text) return;
  DhcpHarness h("windows-dhcp", "UTC", 2026);
  auto all = h.run(*text);
  std::vector<tracekit::test::DhcpOutcome> r;
  size_t skipped = 0;
  for (auto& o : all) {
    if (o.status == LineStatus::malformed) CHECK_FALSE(o.reason.empty());
    CHECK(o.status != LineStatus::malformed);
    if (o.status == LineStatus::skip) ++skipped;
    if (o.status == LineStatus::record) r.push_back(o);
  }
  REQUIRE(r.size() == 3);
  CHECK(r[0].event.action == DhcpAction::ack);
  CHECK(r[0].ip() == "192.0.2.10");
  CHECK(r[0].host == "host.test.com");
  CHECK(r[0].time() == "2001-01-01T01:01:01Z");
  CHECK(r[1].ip() == "192.0.2.20");
  CHECK(r[2].event.action == DhcpAction::expire);  // 17: expired, DNS record not deleted
  CHECK(r[2].ip() == "8.8.8.8");
  CHECK(skipped == 14);
}

TEST_CASE("windows-dhcp: the testdata samples", "[dhcp][windows-dhcp]") {
  for (const char* rel : {"testdata/dhcp/windows-dhcp/DhcpSrvLog-Thu.log",
                          "testdata/dhcp/windows-dhcp/DhcpV6SrvLog-Thu.log"}) {
    INFO(rel);
    std::string text = test::read_sample(rel);
    const char* why = "";
    CHECK(formats::windows_dhcp_format().sniff(text, &why) >= 90);
    DhcpHarness h("windows-dhcp", "Europe/London", 2026);
    size_t records = 0;
    for (auto& o : h.run(text)) {
      CHECK(o.status != LineStatus::malformed);
      records += o.status == LineStatus::record;
    }
    CHECK(records == (std::string_view(rel).find("V6") == std::string_view::npos ? 9 : 5));
  }
}

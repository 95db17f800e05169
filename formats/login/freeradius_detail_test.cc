#include <catch2/catch.hpp>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::LoginHarness;

namespace {

std::string mac(const test::Outcome<LoginEvent>& o) {
  return o.event.has_mac ? to_string(o.event.mac) : "";
}
std::string assigned(const test::Outcome<LoginEvent>& o) {
  return o.event.has_assigned_ip ? to_string(o.event.assigned_ip) : "";
}

}  // namespace

TEST_CASE("freeradius-detail: start, interim and stop of one session",
          "[login][freeradius-detail]") {
  LoginHarness h("freeradius-detail", "Europe/Berlin", 2026);
  auto all = h.run(
      "Thu Apr 23 16:19:00 2026\n"
      "\tAcct-Status-Type = Start\n"
      "\tUser-Name = \"jdoe@example.org\"\n"
      "\tNAS-IP-Address = 10.0.0.2\n"
      "\tNAS-Identifier = \"ap-lab1\"\n"
      "\tCalling-Station-Id = \"00-11-22-33-44-55\"\n"
      "\tFramed-IP-Address = 10.20.3.44\n"
      "\tAcct-Session-Id = \"5F2A0001\"\n"
      "\tNAS-Port-Type = Wireless-802.11\n"
      "\tEvent-Timestamp = \"Apr 23 2026 16:19:00 CEST\"\n"
      "\tTimestamp = 1776953945\n"
      "\n"
      "Thu Apr 23 16:29:00 2026\n"
      "\tAcct-Status-Type = Interim-Update\n"
      "\tUser-Name = \"jdoe@example.org\"\n"
      "\tNAS-IP-Address = 10.0.0.2\n"
      "\tCalling-Station-Id = \"0011.2233.4455\"\n"
      "\tAcct-Session-Id = \"5F2A0001\"\n"
      "\tTimestamp = 1776954540\n"
      "\n"
      "Thu Apr 23 17:02:11 2026\n"
      "\tAcct-Status-Type = Stop\n"
      "\tUser-Name = \"jdoe@example.org\"\n"
      "\tNAS-IP-Address = 10.0.0.2\n"
      "\tCalling-Station-Id = \"00:11:22:33:44:55\"\n"
      "\tAcct-Session-Id = \"5F2A0001\"\n"
      "\tEvent-Timestamp = 1776956531\n"
      "\n");
  REQUIRE(all.size() == 3);
  REQUIRE(all[0].status == LineStatus::record);
  const LoginEvent& s = all[0].event;
  CHECK(s.action == LoginAction::login);
  CHECK(s.user == "jdoe@example.org");
  CHECK(s.host == "10.0.0.2");
  CHECK(s.session_key == "5F2A0001");
  CHECK(s.service == "radius");
  CHECK(s.place == LoginPlace::remote);
  CHECK(s.method == "Wireless-802.11");
  CHECK(mac(all[0]) == "00:11:22:33:44:55");
  CHECK(assigned(all[0]) == "10.20.3.44");
  CHECK(all[0].time() == "2026-04-23T14:19:00Z");  // Event-Timestamp, not Timestamp
  CHECK(all[0].line == 1);
  CHECK(all[0].raw.starts_with("Thu Apr 23 16:19:00 2026\n\tAcct-Status-Type = Start\n"));
  CHECK(all[0].raw.ends_with("\tTimestamp = 1776953945"));
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == LoginAction::interim);
  CHECK(mac(all[1]) == "00:11:22:33:44:55");
  CHECK(all[1].time() == "2026-04-23T14:29:00Z");  // Timestamp
  CHECK(all[1].line == 13);
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.action == LoginAction::logout);
  CHECK(all[2].time() == "2026-04-23T15:02:11Z");
  CHECK(all[2].line == 21);
}

TEST_CASE("freeradius-detail: a dual-stack session's IPv4 and IPv6 addresses",
          "[login][freeradius-detail]") {
  LoginHarness h("freeradius-detail", "UTC", 2026);
  auto all = h.run(
      "Thu Apr 23 16:19:00 2026\n"
      "\tAcct-Status-Type = Interim-Update\n"
      "\tUser-Name = \"cust-0042\"\n"
      "\tNAS-IP-Address = 10.0.0.9\n"
      "\tFramed-IP-Address = 100.64.7.9\n"
      "\tFramed-IPv6-Address = 2001:db8:42::9\n"
      "\tAcct-Session-Id = \"0A00002\"\n"
      "\n"
      "Thu Apr 23 16:20:00 2026\n"
      "\tAcct-Status-Type = Interim-Update\n"
      "\tUser-Name = \"cust-0043\"\n"
      "\tNAS-IP-Address = 10.0.0.9\n"
      "\tFramed-IPv6-Address = 2001:db8:43::9\n"
      "\tAcct-Session-Id = \"0A00003\"\n"
      "\n");
  REQUIRE(all.size() == 2);
  CHECK(assigned(all[0]) == "100.64.7.9");
  REQUIRE(all[0].event.has_assigned_ip2);
  CHECK(to_string(all[0].event.assigned_ip2) == "2001:db8:42::9");
  CHECK(assigned(all[1]) == "2001:db8:43::9");  // the only one
  CHECK(!all[1].event.has_assigned_ip2);
}

TEST_CASE("freeradius-detail: Interim-Update without a Start", "[login][freeradius-detail]") {
  LoginHarness h("freeradius-detail", "UTC", 2026);
  auto r = h.records(
      "Thu Apr 23 09:00:00 2026\n"
      "\tAcct-Status-Type = Interim-Update\n"
      "\tUser-Name = \"asmith\"\n"
      "\tNAS-Identifier = \"vpn-gw\"\n"
      "\tCalling-Station-Id = \"198.51.100.23\"\n"
      "\tFramed-IP-Address = 10.99.0.17\n"
      "\tAcct-Session-Id = \"81200417\"\n"
      "\n"
      "Thu Apr 23 10:00:00 2026\n"
      "\tAcct-Status-Type = Stop\n"
      "\tUser-Name = \"asmith\"\n"
      "\tNAS-Identifier = \"vpn-gw\"\n"
      "\tCalling-Station-Id = \"198.51.100.23\"\n"
      "\tAcct-Session-Id = \"81200417\"\n"
      "\n"
      "Thu Apr 23 10:00:01 2026\n"
      "\tAcct-Status-Type = Start\n"
      "\tUser-Name = \"m1\"\n"
      "\tCalling-Station-Id = \"491701234567\"\n"
      "\tAcct-Session-Id = \"81200418\"\n"
      "\n"
      "Thu Apr 23 10:00:02 2026\n"
      "\tAcct-Status-Type = Start\n"
      "\tUser-Name = \"m2\"\n"
      "\tCalling-Station-Id = \"a45e60d1223b\"\n"
      "\tAcct-Session-Id = \"81200419\"\n");  // no blank line: ends at the end of the file
  REQUIRE(r.size() == 4);
  CHECK(r[2].event.from == "491701234567");  // a phone number, not a bare MAC
  CHECK_FALSE(r[2].event.has_mac);
  CHECK(mac(r[3]) == "a4:5e:60:d1:22:3b");
  CHECK(r[3].line == 22);
  CHECK(r[0].event.action == LoginAction::interim);
  CHECK(r[0].event.host == "vpn-gw");
  CHECK(r[0].event.from == "198.51.100.23");  // not a MAC: where the VPN client came from
  CHECK(r[0].event.has_from_ip);
  CHECK_FALSE(r[0].event.has_mac);
  CHECK(assigned(r[0]) == "10.99.0.17");
  CHECK(r[0].time() == "2026-04-23T09:00:00Z");
  CHECK(r[1].event.action == LoginAction::logout);
  CHECK(r[1].event.session_key == "81200417");
  CHECK(r[1].line == 9);
}

TEST_CASE("freeradius-detail: Acct-Session-Time gives an update's or stop's start",
          "[login][freeradius-detail]") {
  // The Start may not be read (an earlier file, or a hop that keeps only the
  // records naming the address asked, which only the update carries): the
  // session must still begin when it did, not at the start of the file.
  LoginHarness h("freeradius-detail", "UTC", 2026);
  auto r = h.records(
      "Thu Apr 23 09:00:00 2026\n"
      "\tAcct-Status-Type = Start\n"
      "\tUser-Name = \"ldietz@example.org\"\n"
      "\tNAS-IP-Address = 10.30.0.5\n"
      "\tCalling-Station-Id = \"52-54-00-30-08-05\"\n"
      "\tAcct-Session-Id = \"5B000001\"\n"
      "\tAcct-Session-Time = 77\n"  // meaningless in a Start: ignored
      "\n"
      "Thu Apr 23 10:00:00 2026\n"
      "\tAcct-Status-Type = Interim-Update\n"
      "\tUser-Name = \"ldietz@example.org\"\n"
      "\tNAS-IP-Address = 10.30.0.5\n"
      "\tCalling-Station-Id = \"52-54-00-30-08-05\"\n"
      "\tFramed-IP-Address = 10.30.8.10\n"
      "\tAcct-Session-Id = \"5B000001\"\n"
      "\tAcct-Session-Time = 3600\n"
      "\n"
      "Thu Apr 23 10:30:05 2026\n"
      "\tAcct-Status-Type = Stop\n"
      "\tUser-Name = \"ldietz@example.org\"\n"
      "\tNAS-IP-Address = 10.30.0.5\n"
      "\tAcct-Session-Id = \"5B000001\"\n"
      "\tAcct-Session-Time = 5405\n"
      "\n"
      "Thu Apr 23 10:31:00 2026\n"
      "\tAcct-Status-Type = Stop\n"
      "\tUser-Name = \"other\"\n"
      "\tNAS-IP-Address = 10.30.0.5\n"
      "\tAcct-Session-Id = \"5B000002\"\n"
      "\tAcct-Session-Time = soon\n"  // not a number: no start
      "\n");
  REQUIRE(r.size() == 4);
  CHECK(r[0].event.start == kNoTime);
  CHECK(r[1].event.action == LoginAction::interim);
  CHECK(format_rfc3339(r[1].event.start) == "2026-04-23T09:00:00Z");
  CHECK(r[2].event.action == LoginAction::logout);
  CHECK(format_rfc3339(r[2].event.start) == "2026-04-23T09:00:00Z");
  CHECK(r[3].event.start == kNoTime);
}

TEST_CASE("freeradius-detail: DST fold in the zone-less date line", "[login][freeradius-detail]") {
  LoginHarness h("freeradius-detail", "Europe/Berlin", 2026);
  auto r = h.records(
      "Sun Oct 25 02:30:00 2026\n"
      "\tAcct-Status-Type = Start\n"
      "\tUser-Name = \"night\"\n"
      "\tNAS-IP-Address = 10.0.0.2\n"
      "\tAcct-Session-Id = \"A1\"\n"
      "\n"
      "Sun Oct 25 02:40:00 2026\n"
      "\tAcct-Status-Type = Stop\n"
      "\tUser-Name = \"night\"\n"
      "\tNAS-IP-Address = 10.0.0.2\n"
      "\tAcct-Session-Id = \"A1\"\n"
      "\tEvent-Timestamp = \"Oct 25 2026 02:40:00 CET\"\n"
      "\n"
      "Sun Oct 25 02:45:00 2026\n"
      "\tAcct-Status-Type = Stop\n"
      "\tUser-Name = \"night\"\n"
      "\tNAS-IP-Address = 10.0.0.2\n"
      "\tAcct-Session-Id = \"A2\"\n"
      "\tEvent-Timestamp = \"Oct 25 2026 02:45:00 CEST\"\n"
      "\n");
  REQUIRE(r.size() == 3);
  CHECK((r[0].event.time_flags & kLocalAmbiguous) != 0);  // only the date line: flagged
  CHECK(r[1].time() == "2026-10-25T01:40:00Z");           // CET settles it
  CHECK((r[1].event.time_flags & kLocalAmbiguous) == 0);
  CHECK(r[2].time() == "2026-10-25T00:45:00Z");  // CEST: the earlier reading
}

TEST_CASE("freeradius-detail: Accounting-On/Off, skipped and malformed blocks",
          "[login][freeradius-detail]") {
  LoginHarness h("freeradius-detail", "UTC", 2026);
  auto all = h.run(
      "\tUser-Name = \"orphan\"\n"
      "Thu Apr 23 06:00:00 2026\n"
      "\tAcct-Status-Type = Accounting-On\n"
      "\tNAS-IP-Address = 2001:db8::2\n"
      "\tTimestamp = 1776924000\n"
      "\n"
      "Thu Apr 23 06:00:01 2026\n"
      "\tUser-Name = \"authonly\"\n"
      "\tNAS-IP-Address = 10.0.0.2\n"
      "\n"
      "Thu Apr 23 06:00:02 2026\n"
      "\tAcct-Status-Type = Start\n"
      "\tUser-Name = \"x\"\n"
      "\tFramed-IP-Address = 10.0.0.999\n"
      "\n"
      "Thu Apr 23 06:00:03 2026\n"
      "\tAcct-Status-Type = Start\n"
      "this is not an attribute\n"
      "\n"
      "Thu Apr 23 23:00:00 2026\n"
      "\tAcct-Status-Type = Accounting-Off\n"
      "\tNAS-Identifier = \"ap-lab1\"\n"
      "\n");
  REQUIRE(all.size() == 6);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason == "attribute line outside a record (expected a date line first)");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == LoginAction::boot);
  CHECK(all[1].event.host == "2001:db8::2");
  CHECK(all[2].status == LineStatus::skip);
  CHECK(all[2].reason == "detail record without Acct-Status-Type (not accounting)");
  CHECK(all[2].time() == "2026-04-23T06:00:01Z");
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[3].reason == "bad Framed-IP-Address");
  CHECK(all[4].status == LineStatus::malformed);
  CHECK(all[4].reason == "line in a record is not an indented 'Attribute = Value'");
  CHECK(all[4].line == 16);
  CHECK(all[5].event.action == LoginAction::shutdown);
  CHECK(all[5].event.host == "ap-lab1");
}

TEST_CASE("freeradius-detail: radius.log authentications", "[login][freeradius-detail]") {
  LoginHarness h("freeradius-detail", "UTC", 2026);
  auto all = h.run(
      "Thu Apr 28 16:44:05 2026 : Info: Ready to process requests.\n"
      "Fri Apr 29 10:23:21 2026 : Auth: Login OK: [ali] (from client test port 2004 cli "
      "7c-91-22-f3-ef-11)\n"
      "Fri Apr 29 18:13:29 2026 : Auth: Login incorrect: [ali/<via Auth-Type = MSCHAP>] (from "
      "client test port 2004 cli 00-23-14-c8-4e-38)\n"
      "Thu May  5 17:37:10 2026 : Auth: Multiple logins (max 2) : [faraz] (from client test port "
      "2160 cli 18-3d-a2-69-8c-3c)\n"
      "Thu May  7 09:00:00 2026 : Auth: (42) Login OK: [bob] (from client ap-2f port 0 via TLS "
      "tunnel)\n"
      "Thu May  7 09:00:01 2026 : Auth: Login OK: [carol] (from client test port 7)\n");
  REQUIRE(all.size() == 6);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].time() == "2026-04-28T16:44:05Z");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == LoginAction::session);  // an authentication: one instant
  CHECK(all[1].event.start == all[1].event.time);
  CHECK(all[1].event.user == "ali");
  CHECK(all[1].event.host == "test");
  CHECK(all[1].event.tty == "2004");
  CHECK(mac(all[1]) == "7c:91:22:f3:ef:11");
  CHECK(all[1].event.session_key.empty());
  CHECK(all[2].event.action == LoginAction::failed);
  CHECK(all[2].event.user == "ali");
  CHECK(mac(all[2]) == "00:23:14:c8:4e:38");
  CHECK(all[3].event.action == LoginAction::failed);
  CHECK(all[3].event.user == "faraz");
  CHECK(all[4].event.user == "bob");
  CHECK(all[4].event.host == "ap-2f");
  CHECK(all[5].event.user == "carol");
  CHECK_FALSE(all[5].event.has_mac);
}

TEST_CASE("freeradius-detail: space-indented (Livingston-style) records",
          "[login][freeradius-detail]") {
  LoginHarness h("freeradius-detail", "UTC", 2026);
  const char* text =
      "Fri May  1 10:58:42 2026\n"
      "    Acct-Status-Type = Start\n"
      "    User-Name = \"user1@isp1\"\n"
      "    NAS-Identifier = \"bras-1\"\n"
      "    Acct-Session-Id = \"erx fastEthernet 3/1::0000022073\"\n"
      "    NAS-Port-Id = \"fastEthernet 3/1:\"\n"
      "    Framed-IP-Address = 10.227.9.150\n"
      "\n";
  auto r = h.records(text);
  REQUIRE(r.size() == 1);
  CHECK(r[0].event.session_key == "erx fastEthernet 3/1::0000022073");
  CHECK(r[0].event.tty == "fastEthernet 3/1:");
  CHECK(r[0].event.host == "bras-1");
  CHECK(r[0].time() == "2026-05-01T10:58:42Z");
  const char* why = "";
  CHECK(formats::freeradius_detail_format().sniff(text, &why) >= 80);
}

TEST_CASE("freeradius-detail: sniff", "[login][freeradius-detail]") {
  const char* why = "";
  auto& f = formats::freeradius_detail_format();
  CHECK(f.sniff("Thu Apr 23 16:19:00 2026\n\tAcct-Status-Type = Start\n\tUser-Name = \"a\"\n\n",
                &why) >= 80);
  CHECK(f.sniff("Thu Apr 28 16:44:05 2026 : Auth: Login OK: [ali] (from client test port 2004)\n",
                &why) >= 70);
  CHECK(f.sniff("Apr 23 16:19:00 gw sshd[1]: Accepted password for root from 10.0.0.1 port 22 "
                "ssh2\n",
                &why) == 0);
}

TEST_CASE("freeradius-detail: corpus", "[login][freeradius-detail][corpus]") {
  {
    auto text = test::read_corpus("login-radius-detail/one.txt");
    if (!text) return;
    LoginHarness h("freeradius-detail", "UTC", 2011);
    auto r = h.records(*text);
    REQUIRE(r.size() == 1);
    CHECK(r[0].event.action == LoginAction::login);
    CHECK(r[0].event.user == "bob");
    CHECK(r[0].event.host == "10.10.0.179");
    CHECK(r[0].event.from == "0123456789");  // not a MAC
    CHECK(r[0].event.session_key == "ed8119f6919c6f6f");
    CHECK(r[0].time() == "2019-04-02T17:38:01Z");  // Timestamp, not the 2011 date line
  }
  {
    auto text = test::read_corpus("login-radius-log/radius.log");
    if (!text) return;
    LoginHarness h("freeradius-detail", "UTC", 2016);
    auto all = h.run(*text);
    size_t ok = 0, failed = 0, macs = 0, malformed = 0, skipped = 0;
    for (auto& o : all) {
      if (o.status == LineStatus::record) {
        ok += o.event.action == LoginAction::session;
        failed += o.event.action == LoginAction::failed;
        macs += o.event.has_mac;
      }
      malformed += o.status == LineStatus::malformed;
      skipped += o.status == LineStatus::skip;
    }
    CHECK(malformed == 0);
    CHECK(ok == 2114);
    CHECK(failed == 154 + 131);  // Login incorrect, Multiple logins
    CHECK(macs == 2399 - 37);    // 37 Auth: lines name no "cli"
    CHECK(ok + failed + skipped == all.size());
  }
}

TEST_CASE("freeradius-detail: the testdata sample", "[login][freeradius-detail]") {
  LoginHarness h("freeradius-detail", "Europe/Berlin", 2026);
  std::string sample = test::read_sample("testdata/login/freeradius-detail/detail-20260423");
  auto any = sniff_format(sample, nullptr);  // among the formats of every family
  REQUIRE(any.format);
  CHECK(any.format->name == "freeradius-detail");
  auto all = h.run(sample);
  size_t n[6] = {};
  for (auto& o : all) {
    CHECK(o.status == LineStatus::record);
    if (o.status == LineStatus::record) ++n[size_t(o.event.action)];
  }
  CHECK(n[size_t(LoginAction::login)] == 2);
  CHECK(n[size_t(LoginAction::interim)] == 2);
  CHECK(n[size_t(LoginAction::logout)] == 2);
  CHECK(n[size_t(LoginAction::boot)] == 1);

  LoginHarness l("freeradius-detail", "Europe/Berlin", 2026);
  auto log = l.run(test::read_sample("testdata/login/freeradius-detail/radius.log"));
  REQUIRE(log.size() == 6);
  CHECK(log[0].status == LineStatus::skip);
  CHECK(log[2].event.action == LoginAction::session);
  CHECK(log[2].event.user == "jdoe@example.org");
  CHECK(log[2].time() == "2026-04-23T06:01:39Z");
  CHECK(log[4].event.action == LoginAction::failed);
  CHECK(log[4].event.user == "jdoe");
  CHECK(mac(log[4]) == "3c:22:fb:01:02:03");
  CHECK(log[5].event.user == "guest");
}

// Regression (fuzz: freeradius-detail/epoch-timestamp-overflow): an epoch
// Event-Timestamp past year 9999 is not read (it overflowed): the record is
// malformed, timed by the server's Timestamp for the file's coverage.
TEST_CASE("freeradius-detail: absurd epoch Event-Timestamp", "[login][freeradius-detail]") {
  LoginHarness h("freeradius-detail", "Europe/Berlin", 2026);
  auto all = h.run(
      "Thu Apr 23 16:19:00 2026\n"
      "\tAcct-Status-Type = Start\n"
      "\tUser-Name = \"jdoe@example.org\"\n"
      "\tNAS-IP-Address = 10.0.0.2\n"
      "\tAcct-Session-Id = \"5F2A0001\"\n"
      "\tEvent-Timestamp = 17720266924100\n"
      "\tTimestamp = 1776953945\n"
      "\n");
  std::vector<const test::Outcome<LoginEvent>*> bad;
  for (const auto& o : all)
    if (o.status == LineStatus::malformed) bad.push_back(&o);
  REQUIRE(bad.size() == 1);
  CHECK(bad[0]->reason == "bad Event-Timestamp");
  CHECK(bad[0]->time() == "2026-04-23T14:19:05Z");
}

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::LoginHarness;

namespace {

std::string from_ip(const test::Outcome<LoginEvent>& o) {
  return o.event.has_from_ip ? to_string(o.event.from_ip) : "";
}
std::string assigned(const test::Outcome<LoginEvent>& o) {
  return o.event.has_assigned_ip ? to_string(o.event.assigned_ip) : "";
}

struct Counts {
  size_t logins = 0, assigned = 0, logouts = 0, failed = 0, boots = 0, shutdowns = 0, skipped = 0,
         foreign = 0, malformed = 0;
};
Counts count(const std::vector<test::Outcome<LoginEvent>>& all) {
  Counts c;
  for (const auto& o : all) {
    c.skipped += o.status == LineStatus::skip;
    c.foreign += o.status == LineStatus::foreign;
    c.malformed += o.status == LineStatus::malformed;
    if (o.status != LineStatus::record) continue;
    c.logins += o.event.action == LoginAction::login;
    c.assigned += o.event.action == LoginAction::login && o.event.has_assigned_ip;
    c.logouts += o.event.action == LoginAction::logout;
    c.failed += o.event.action == LoginAction::failed;
    c.boots += o.event.action == LoginAction::boot;
    c.shutdowns += o.event.action == LoginAction::shutdown;
  }
  return c;
}

}  // namespace

TEST_CASE("openvpn: address assignment, its own log file", "[login][openvpn]") {
  LoginHarness h("openvpn", "Europe/London", 2026);
  auto all = h.run(
      "2026-04-23 16:10:42 198.51.100.23:51234 [jdoe] Peer Connection Initiated with "
      "[AF_INET]198.51.100.23:51234\n"
      "2026-04-23 16:10:42 jdoe/198.51.100.23:51234 MULTI_sva: pool returned IPv4=10.8.0.6, "
      "IPv6=(Not enabled)\n"
      "2026-04-23 16:10:42 jdoe/198.51.100.23:51234 MULTI: Learn: 10.8.0.6 -> "
      "jdoe/198.51.100.23:51234\n"
      "2026-04-23 16:10:42 jdoe/198.51.100.23:51234 MULTI: primary virtual IP for "
      "jdoe/198.51.100.23:51234: 10.8.0.6\n"
      "2026-04-23 16:40:09 jdoe/198.51.100.23:51234 SIGTERM[soft,remote-exit] received, "
      "client-instance exiting\n");
  REQUIRE(all.size() == 5);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].event.action == LoginAction::login);
  CHECK(all[0].event.user == "jdoe");
  CHECK(from_ip(all[0]) == "198.51.100.23");
  CHECK(all[0].event.from == "198.51.100.23");
  CHECK(assigned(all[0]).empty());
  CHECK(all[0].event.session_key == "jdoe/198.51.100.23:51234");
  CHECK(all[0].event.service == "openvpn");
  CHECK(all[0].event.place == LoginPlace::remote);
  CHECK(all[0].time() == "2026-04-23T15:10:42Z");  // BST
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == LoginAction::login);
  CHECK(assigned(all[1]) == "10.8.0.6");
  CHECK(all[1].event.user == "jdoe");
  CHECK(from_ip(all[1]) == "198.51.100.23");
  CHECK(all[1].event.session_key == "jdoe/198.51.100.23:51234");
  // The same address named again: one record per address and session.
  CHECK(all[2].status == LineStatus::skip);
  CHECK(all[2].reason == "address already recorded for this session");
  CHECK(all[3].status == LineStatus::skip);
  REQUIRE(all[4].status == LineStatus::record);
  CHECK(all[4].event.action == LoginAction::logout);
  CHECK(all[4].event.session_key == "jdoe/198.51.100.23:51234");
  CHECK(all[4].event.user == "jdoe");
  CHECK(all[4].time() == "2026-04-23T15:40:09Z");
}

TEST_CASE("openvpn: primary virtual IP alone, and Learn as the fallback", "[login][openvpn]") {
  LoginHarness h("openvpn", "UTC", 2026);
  auto r = h.records(
      "2026-04-23 10:00:00 ann/192.0.2.5:40000 MULTI: primary virtual IP for "
      "ann/192.0.2.5:40000: 10.8.0.10\n"
      "2026-04-23 10:00:01 bob/192.0.2.6:40001 MULTI: Learn: 10.8.0.11 -> bob/192.0.2.6:40001\n"
      "2026-04-23 10:00:01 bob/192.0.2.6:40001 MULTI: Learn: 10.9.0.0/24 -> "
      "bob/192.0.2.6:40001\n"
      "2026-04-23 10:00:01 tap/192.0.2.7:40002 MULTI: Learn: 00:ff:12:34:56:78 -> "
      "tap/192.0.2.7:40002\n");
  REQUIRE(r.size() == 2);
  CHECK(assigned(r[0]) == "10.8.0.10");
  CHECK(r[0].event.user == "ann");
  CHECK(assigned(r[1]) == "10.8.0.11");
  CHECK(r[1].event.session_key == "bob/192.0.2.6:40001");
}

TEST_CASE("openvpn: IPv6 pool addresses and IPv6 clients", "[login][openvpn]") {
  LoginHarness h("openvpn", "UTC", 2026);
  auto all = h.run(
      "2026-04-23 10:00:00 2001:db8:77::5:40112 [asmith] Peer Connection Initiated with "
      "[AF_INET6]2001:db8:77::5:40112\n"
      "2026-04-23 10:00:00 asmith/2001:db8:77::5:40112 MULTI_sva: pool returned "
      "IPv4=10.8.0.7, IPv6=fd00:8::1005\n"
      "2026-04-23 10:00:00 asmith/2001:db8:77::5:40112 MULTI: primary virtual IP for "
      "asmith/2001:db8:77::5:40112: 10.8.0.7\n"
      "2026-04-23 10:00:00 asmith/2001:db8:77::5:40112 MULTI: primary virtual IPv6 for "
      "asmith/2001:db8:77::5:40112: fd00:8::1005\n"
      "2026-04-23 10:00:01 cn6/192.0.2.9:1194 MULTI_sva: pool returned IPv4=(Not enabled), "
      "IPv6=fd00:8::2000\n");
  REQUIRE(all.size() == 5);
  CHECK(all[0].event.session_key == "asmith/2001:db8:77::5:40112");  // composed from [CN]
  CHECK(from_ip(all[0]) == "2001:db8:77::5");
  // The pool's two addresses, one record; the lines repeating them are skipped.
  CHECK(assigned(all[1]) == "10.8.0.7");
  REQUIRE(all[1].event.has_assigned_ip2);
  CHECK(to_string(all[1].event.assigned_ip2) == "fd00:8::1005");
  CHECK(all[2].status == LineStatus::skip);
  CHECK(all[3].status == LineStatus::skip);
  CHECK(assigned(all[4]) == "fd00:8::2000");
  CHECK(!all[4].event.has_assigned_ip2);
}

TEST_CASE("openvpn: ctime prefix with microseconds, syslog with and without a host",
          "[login][openvpn]") {
  LoginHarness h("openvpn", "UTC", 2026);
  auto all = h.run(
      "Thu Apr 23 16:10:42 2026 us=121802 jdoe/198.51.100.23:51234 MULTI: primary virtual IP "
      "for jdoe/198.51.100.23:51234: 10.8.0.6\n"
      "Apr 23 16:11:00 vpn1 ovpn-server[901]: eve/192.0.2.8:5000 MULTI: primary virtual IP for "
      "eve/192.0.2.8:5000: 10.8.0.9\n"
      "Apr 23 16:12:00 ovpn-server[902]: 192.0.2.251:55329 VERIFY ERROR: depth=2, "
      "error=unable to get issuer certificate: CN=Root\n"
      "Apr 23 16:13:00 vpn1 openvpn[7]: 2026-04-23 16:12:59 fwd/192.0.2.3:6000 MULTI: primary "
      "virtual IP for fwd/192.0.2.3:6000: 10.8.0.12\n"
      "Apr 23 16:14:00 vpn1 CRON[3300]: (root) CMD (true)\n");
  REQUIRE(all.size() == 5);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].time() == "2026-04-23T16:10:42.121802Z");
  CHECK(assigned(all[0]) == "10.8.0.6");
  CHECK(all[0].event.host.empty());
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.host == "vpn1");
  CHECK(assigned(all[1]) == "10.8.0.9");
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.action == LoginAction::failed);
  CHECK(from_ip(all[2]) == "192.0.2.251");
  CHECK(all[2].event.user.empty());  // depth 2: the CA's name, not the client's
  CHECK(all[2].event.host.empty());
  REQUIRE(all[3].status == LineStatus::record);
  CHECK(all[3].time() == "2026-04-23T16:13:00Z");  // the syslog time is kept
  CHECK(assigned(all[3]) == "10.8.0.12");
  CHECK(all[4].status == LineStatus::foreign);
}

TEST_CASE("openvpn: year-less syslog dates are inferred and flagged", "[login][openvpn]") {
  LoginHarness h("openvpn", "UTC", 0, test::utc("2027-01-05T00:00:00Z"));
  auto r = h.records(
      "Dec 31 23:59:00 vpn1 ovpn-server[901]: eve/192.0.2.8:5000 MULTI: primary virtual IP for "
      "eve/192.0.2.8:5000: 10.8.0.9\n"
      "Jan  1 00:30:00 vpn1 ovpn-server[901]: eve/192.0.2.8:5000 SIGTERM[soft,remote-exit] "
      "received, client-instance exiting\n");
  REQUIRE(r.size() == 2);
  CHECK(r[0].time() == "2026-12-31T23:59:00Z");
  CHECK(r[1].time() == "2027-01-01T00:30:00Z");
  CHECK((r[0].event.time_flags & kYearInferred) != 0);
}

TEST_CASE("openvpn: session ends, each session once", "[login][openvpn]") {
  LoginHarness h("openvpn", "UTC", 2026);
  auto all = h.run(
      "2026-04-23 10:00:00 jdoe/192.0.2.1:1000 Connection reset, restarting [0]\n"
      "2026-04-23 10:00:00 jdoe/192.0.2.1:1000 SIGUSR1[soft,connection-reset] received, "
      "client-instance restarting\n"
      "2026-04-23 10:01:00 ann/192.0.2.2:1001 Inactivity timeout (--ping-restart), restarting\n"
      "2026-04-23 10:02:00 bob/192.0.2.3:1002 client-instance exiting\n"
      "2026-04-23 10:03:00 83.97.20.30:10107 Connection reset, restarting [0]\n"
      "2026-04-23 10:03:00 83.97.20.30:10107 SIGUSR1[soft,connection-reset] received, "
      "client-instance restarting\n");
  REQUIRE(all.size() == 6);
  CHECK(all[0].event.action == LoginAction::logout);  // its login was in an earlier file
  CHECK(all[0].event.session_key == "jdoe/192.0.2.1:1000");
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[1].reason == "end of a session already ended");
  CHECK(all[2].event.action == LoginAction::logout);
  CHECK(all[3].event.action == LoginAction::logout);
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "end of a connection that never authenticated");
  CHECK(all[5].status == LineStatus::skip);
}

TEST_CASE("openvpn: authentication failures", "[login][openvpn]") {
  LoginHarness h("openvpn", "UTC", 2026);
  auto all = h.run(
      "2026-04-23 10:00:00 192.0.2.254:64480 TLS Auth Error: Auth Username/Password "
      "verification failed for peer\n"
      "2026-04-23 10:00:01 192.0.2.33:54321 VERIFY ERROR: depth=0, error=certificate signature "
      "failure: CN=rogue-client\n"
      "2026-04-23 10:00:02 client1/192.0.2.13:54321 AUTH: Received control message: "
      "AUTH_FAILED\n"
      "2026-04-23 10:00:03 SENT CONTROL [bob]: 'AUTH_FAILED' (status=1)\n"
      "Apr 23 10:00:04 vpn openvpn: Incorrect password supplied for LDAP DN \"CN=Harry T. "
      "Hacker,OU=unit,DC=example,DC=com\"\n"
      "Apr 23 10:00:05 vpn openvpn: LDAP user \"ghost\" was not found.\n"
      "Apr 23 10:00:06 vpn openvpn: LDAP bind failed: Invalid credentials\n"
      "2026-04-23 10:00:07 TLS Error: cannot locate HMAC in incoming packet from "
      "[AF_INET]192.0.2.253:55340\n");
  REQUIRE(all.size() == 8);
  for (size_t i = 0; i < 6; ++i) {
    INFO(i);
    REQUIRE(all[i].status == LineStatus::record);
    CHECK(all[i].event.action == LoginAction::failed);
  }
  CHECK(from_ip(all[0]) == "192.0.2.254");
  CHECK(all[0].event.user.empty());
  CHECK(all[1].event.user == "rogue-client");
  CHECK(all[2].event.user == "client1");
  CHECK(from_ip(all[2]) == "192.0.2.13");
  CHECK(all[3].event.user == "bob");
  CHECK(all[4].event.user == "CN=Harry T. Hacker,OU=unit,DC=example,DC=com");
  CHECK(all[5].event.user == "ghost");
  CHECK(all[6].status == LineStatus::skip);  // names no user or client
  CHECK(all[7].status == LineStatus::skip);
}

TEST_CASE("openvpn: unauthenticated peers, noise, server restarts", "[login][openvpn]") {
  LoginHarness h("openvpn", "UTC", 2026);
  auto all = h.run(
      "2026-04-23 08:00:01 OpenVPN 2.6.12 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO]\n"
      "2026-04-23 08:00:01 Initialization Sequence Completed\n"
      "2026-04-23 10:00:00 192.0.2.44:1194 [UNDEF] Peer Connection Initiated with "
      "[AF_INET]192.0.2.44:1194\n"
      "2026-04-23 10:00:00 TCP connection established with [AF_INET]83.97.20.30:10107\n"
      "2026-04-23 10:00:00 165.225.204.88:62586 peer info: IV_VER=2.6.6\n"
      "2026-04-23 10:00:00 DOE John/192.0.2.11:54254 Control Channel: TLSv1.2, cipher "
      "TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384\n"
      "2026-04-23 10:00:00 client01,10.8.0.4,\n"
      "2026-04-23 11:00:00 SIGTERM[hard,] received, process exiting\n");
  REQUIRE(all.size() == 8);
  CHECK(all[0].status == LineStatus::skip);
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == LoginAction::boot);
  CHECK(all[2].status == LineStatus::skip);
  CHECK(all[2].reason == "peer connected, not yet authenticated");
  for (size_t i = 3; i < 7; ++i) {
    INFO(i);
    CHECK(all[i].status == LineStatus::skip);
  }
  REQUIRE(all[7].status == LineStatus::record);
  CHECK(all[7].event.action == LoginAction::shutdown);
}

TEST_CASE("openvpn: a CN with spaces, and ADDR:PORT/CN", "[login][openvpn]") {
  LoginHarness h("openvpn", "UTC", 2026);
  auto all = h.run(
      "2026-04-23 10:00:00 DOE Jane/192.0.2.11:54254 MULTI: primary virtual IP for DOE "
      "Jane/192.0.2.11:54254: 10.8.0.20\n"
      "2026-04-23 10:05:00 DOE Jane/192.0.2.11:54254 SIGTERM[soft,remote-exit] received, "
      "client-instance exiting\n"
      "2024-12-15 14:15:51 192.168.1.34:56312/client3 Peer Connection Initiated with "
      "[AF_INET]192.168.1.34:56312\n");
  REQUIRE(all.size() == 3);
  CHECK(all[0].event.user == "DOE Jane");
  CHECK(all[0].event.session_key == "DOE Jane/192.0.2.11:54254");
  CHECK(all[1].event.action == LoginAction::logout);
  CHECK(all[1].event.session_key == "DOE Jane/192.0.2.11:54254");
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.user == "client3");
  CHECK(all[2].event.session_key == "client3/192.168.1.34:56312");
}

TEST_CASE("openvpn: malformed lines", "[login][openvpn]") {
  LoginHarness h("openvpn", "UTC", 2026);
  auto all = h.run(
      "2026-04-31 10:00:00 jdoe/192.0.2.1:1000 client-instance exiting\n"
      "2026-04-23 10:00:00 jdoe/192.0.2.1:1000 MULTI: primary virtual IP for "
      "jdoe/192.0.2.1:1000: 10.8.0.999\n"
      "2026-04-23 10:00:00 MULTI: primary virtual IP for nobody: 10.8.0.6\n"
      "2026-04-23 10:00:00 MULTI_sva: pool returned IPv4=10.8.0.6, IPv6=(Not enabled)\n"
      "2026-04-23 10:00:00 jdoe/192.0.2.1:1000 MULTI_sva: pool returned IPv4=10.8.0, IPv6=\n"
      "Mon Xyz 15 14:10:00 2024 jdoe/192.0.2.1:1000 client-instance exiting\n"
      "just some text without a time\n"
      "\n");
  REQUIRE(all.size() == 8);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason == "timestamp out of range");
  CHECK(all[1].status == LineStatus::malformed);
  CHECK(all[1].reason == "primary virtual IP: bad address");
  CHECK(all[2].status == LineStatus::malformed);
  CHECK(all[2].reason == "primary virtual IP: bad client (expected CN/ADDR:PORT)");
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[4].status == LineStatus::malformed);
  CHECK(all[4].reason == "pool address: bad address");
  CHECK(all[5].status == LineStatus::malformed);
  CHECK(all[6].status == LineStatus::malformed);
  CHECK(all[7].status == LineStatus::skip);
}

TEST_CASE("openvpn: sniff", "[login][openvpn]") {
  const char* why = "";
  auto& f = formats::openvpn_format();
  CHECK(f.sniff("2026-04-23 16:10:42 198.51.100.23:51234 [jdoe] Peer Connection Initiated with "
                "[AF_INET]198.51.100.23:51234\n",
                &why) >= 80);
  CHECK(f.sniff("Apr 25 10:57:30 host ovpn-server[901]: 83.97.20.30:10107 Connection reset, "
                "restarting [0]\n",
                &why) >= 50);
  CHECK(f.sniff("Apr 23 16:19:00 gw sshd[1]: Accepted password for root from 10.0.0.1 port 22 "
                "ssh2\n",
                &why) == 0);
  auto s = sniff_format(test::read_sample("testdata/login/openvpn/openvpn.log"), nullptr);
  REQUIRE(s.format);
  CHECK(s.format->name == "openvpn");
  s = sniff_format(test::read_sample("testdata/login/openvpn/syslog"), nullptr);
  REQUIRE(s.format);
  CHECK(s.format->name == "openvpn");
  s = sniff_format(test::read_sample("testdata/login/openvpn/ctime.log"), nullptr);
  REQUIRE(s.format);
  CHECK(s.format->name == "openvpn");
}

TEST_CASE("openvpn: the testdata samples", "[login][openvpn]") {
  LoginHarness h("openvpn", "Europe/London", 2026);
  auto c = count(h.run(test::read_sample("testdata/login/openvpn/openvpn.log")));
  CHECK(c.logins == 8);
  CHECK(c.assigned == 4);
  CHECK(c.logouts == 2);
  CHECK(c.failed == 1);
  CHECK(c.boots == 1);
  CHECK(c.malformed == 0);
  LoginHarness s("openvpn", "Europe/London", 2026);
  c = count(s.run(test::read_sample("testdata/login/openvpn/syslog")));
  CHECK(c.logins == 2);
  CHECK(c.assigned == 1);
  CHECK(c.logouts == 1);
  CHECK(c.failed == 2);
  CHECK(c.shutdowns == 1);
  CHECK(c.foreign == 1);
  CHECK(c.malformed == 0);
}

TEST_CASE("openvpn: corpus", "[login][openvpn][corpus]") {
  // fail2ban's sample (with "# failJSON" comments) and crowdsec's: every
  // line is read; none is malformed.
  for (const char* file : {"login-vpn/openvpn", "login-vpn/openvpn.log"}) {
    auto text = test::read_corpus(file);
    if (!text) return;
    std::string lines;
    size_t pos = 0;
    while (pos < text->size()) {
      size_t nl = text->find('\n', pos);
      std::string_view l = std::string_view(*text).substr(
          pos, nl == std::string::npos ? std::string::npos : nl - pos);
      if (!l.starts_with("#")) {
        lines += l;
        lines += '\n';
      }
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
    LoginHarness h("openvpn", "UTC", 2005);
    auto all = h.run(lines);
    for (const auto& o : all) {
      INFO(file << ": " << o.raw);
      CHECK(o.status != LineStatus::malformed);
      CHECK(o.status != LineStatus::foreign);
    }
    auto c = count(all);
    INFO(file);
    bool crowdsec = std::string_view(file) == "login-vpn/openvpn.log";
    // fail2ban: VERIFY ERROR and TLS Auth Error; crowdsec: those and AUTH_FAILED.
    CHECK(c.failed == (crowdsec ? 3u : 2u));
    CHECK(c.logins == (crowdsec ? 1u : 0u));  // crowdsec's "ADDR:PORT/client3" peer
  }
  // wazuh's LDAP test lines.
  if (auto ini = test::read_corpus("login-vpn/openvpn_ldap.ini")) {
    LoginHarness h("openvpn", "UTC", 2026);
    std::string lines;
    size_t pos = 0;
    while ((pos = ini->find(" pass = ", pos)) != std::string::npos) {
      size_t nl = ini->find('\n', pos);
      lines += ini->substr(pos + 8, nl - pos - 8) + "\n";
      pos = nl;
    }
    auto c = count(h.run(lines));
    CHECK(c.failed == 1);  // the DN; "LDAP bind failed" names no user
    CHECK(c.skipped == 1);
    CHECK(c.malformed == 0);
  }
  // Sekoia's samples: one message each, some without OpenVPN's timestamp.
  auto dir = test::find_corpus("login-vpn/sekoia-openvpn");
  if (!dir) return;
  std::vector<std::filesystem::path> files;
  for (const auto& f : std::filesystem::directory_iterator(*dir)) files.push_back(f.path());
  std::sort(files.begin(), files.end());
  size_t assigned_n = 0, logins = 0, failed = 0;
  for (const auto& f : files) {
    std::string msg = test::sekoia_message(test::read_file(f));
    bool stamped = msg.size() > 20 && msg[4] == '-' && msg[10] == ' ';
    bool ctime = msg.size() > 25 && msg[3] == ' ' && msg[19] == ' ' && msg[24] == ' ';
    std::string line = stamped || ctime ? msg : "Jan  1 00:00:00 corpus openvpn: " + msg;
    LoginHarness h("openvpn", "UTC", 2026);
    auto out = h.run(line);
    INFO(f.filename().string() << ": " << line);
    REQUIRE(out.size() == 1);
    CHECK(out[0].status != LineStatus::malformed);
    CHECK(out[0].status != LineStatus::foreign);
    if (out[0].status == LineStatus::record) {
      logins += out[0].event.action == LoginAction::login;
      assigned_n += out[0].event.has_assigned_ip;
      failed += out[0].event.action == LoginAction::failed;
    }
  }
  CHECK(assigned_n == 2);  // Learn and primary virtual IP (read alone, each is the first)
  CHECK(logins == 3);      // and [client01] Peer Connection Initiated
  CHECK(failed == 2);      // the LDAP DN and the LDAP user not found
}

TEST_CASE("openvpn: thousands of sessions at once", "[login][openvpn]") {
  // More client instances than the parser remembers (4096): the oldest are
  // forgotten, and their ends are logouts all the same.
  std::string text;
  for (int i = 0; i < 5000; ++i)
    text += "2026-04-23 10:00:00 u" + std::to_string(i) +
            "/192.0.2.1:" + std::to_string(10000 + i) + " MULTI: primary virtual IP for u" +
            std::to_string(i) + "/192.0.2.1:" + std::to_string(10000 + i) + ": 10.8.0.6\n";
  for (int i : {0, 4999})
    for (int k = 0; k < 2; ++k)
      text += "2026-04-23 11:00:00 u" + std::to_string(i) +
              "/192.0.2.1:" + std::to_string(10000 + i) + " client-instance exiting\n";
  LoginHarness h("openvpn", "UTC", 2026);
  auto all = h.run(text);
  REQUIRE(all.size() == 5004);
  auto c = count(all);
  CHECK(c.assigned == 5000);
  CHECK(c.logouts == 2);
  CHECK(all[5000].event.session_key == "u0/192.0.2.1:10000");
  CHECK(all[5001].status == LineStatus::skip);
  CHECK(all[5002].event.session_key == "u4999/192.0.2.1:14999");
  CHECK(all[5003].status == LineStatus::skip);
}

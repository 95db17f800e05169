#include <catch2/catch.hpp>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::LoginHarness;

namespace {

std::string from_ip(const test::Outcome<LoginEvent>& o) {
  return o.event.has_from_ip ? to_string(o.event.from_ip) : "";
}

// Only the lines a fail2ban sample holds as log lines (its "# failJSON"
// annotations and blank lines removed).
std::string without_comments(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view l = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    if (!l.empty() && l[0] != '#') {
      out += l;
      out += '\n';
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("sshd: a session from login to logout", "[login][sshd]") {
  LoginHarness h("sshd", "Europe/London", 2026);
  auto all = h.run(
      "Apr 23 16:19:00 ws-lab1-07 sshd[4370]: Connection from 192.0.2.7 port 58303 on 10.20.3.44 "
      "port 22 rdomain \"\"\n"
      "Apr 23 16:19:00 ws-lab1-07 sshd[4370]: Accepted publickey for jdoe from 192.0.2.7 port "
      "58303 ssh2: ED25519 SHA256:AbpHGcgLb+kRsJGnwFEktk7uzpZOCcBY74+YBdrKVGs\n"
      "Apr 23 16:19:00 ws-lab1-07 sshd[4370]: pam_unix(sshd:session): session opened for user "
      "jdoe(uid=1000) by (uid=0)\n"
      "Apr 23 17:02:11 ws-lab1-07 sshd[4370]: Received disconnect from 192.0.2.7 port 58303:11: "
      "disconnected by user\n"
      "Apr 23 17:02:11 ws-lab1-07 sshd[4370]: Disconnected from user jdoe 192.0.2.7 port 58303\n"
      "Apr 23 17:02:11 ws-lab1-07 sshd[4370]: pam_unix(sshd:session): session closed for user "
      "jdoe\n");
  REQUIRE(all.size() == 6);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "sshd message without a login");
  CHECK(all[0].time() == "2026-04-23T15:19:00Z");
  REQUIRE(all[1].status == LineStatus::record);
  const LoginEvent& in = all[1].event;
  CHECK(in.action == LoginAction::login);
  CHECK(in.place == LoginPlace::remote);
  CHECK(in.user == "jdoe");
  CHECK(in.host == "ws-lab1-07");
  CHECK(in.from == "192.0.2.7");
  CHECK(from_ip(all[1]) == "192.0.2.7");
  CHECK(in.method == "publickey");
  CHECK(in.service == "sshd");
  CHECK(in.session_key == "4370");
  CHECK(all[1].time() == "2026-04-23T15:19:00Z");
  CHECK(all[2].status == LineStatus::skip);
  CHECK(all[2].reason == "PAM session of a login already recorded");
  REQUIRE(all[3].status == LineStatus::record);
  CHECK(all[3].event.action == LoginAction::logout);
  CHECK(all[3].event.session_key == "4370");
  CHECK(all[3].event.user == "jdoe");
  CHECK(all[3].time() == "2026-04-23T16:02:11Z");
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "end of a session already ended");
  CHECK(all[5].status == LineStatus::skip);
}

TEST_CASE("sshd: the PAM close ends the session when it is the only end", "[login][sshd]") {
  LoginHarness h("sshd", "UTC", 2026);
  auto r = h.records(
      "Oct 29 17:08:40 gw sshd[2201]: Accepted password for root from 192.168.130.40 port 58122 "
      "ssh2\n"
      "Oct 29 17:08:40 gw sshd[2201]: pam_unix(sshd:session): session opened for user root by "
      "(uid=0)\n"
      "Oct 29 17:38:41 gw sshd[2201]: pam_unix(sshd:session): session closed for user root\n");
  REQUIRE(r.size() == 2);
  CHECK(r[0].event.action == LoginAction::login);
  CHECK(r[0].event.method == "password");
  CHECK(r[1].event.action == LoginAction::logout);
  CHECK(r[1].event.session_key == "2201");
  CHECK(r[1].event.from == "192.168.130.40");  // carried from the login
  CHECK(r[1].time() == "2026-10-29T17:38:41Z");
}

TEST_CASE("sshd: failed attempts, invalid users, IPv6, repeated messages", "[login][sshd]") {
  LoginHarness h("sshd", "UTC", 2026);
  auto all = h.run(
      "Apr 23 10:00:00 gw sshd[10]: Invalid user oracle from 203.0.113.9 port 41000\n"
      "Apr 23 10:00:02 gw sshd[10]: Failed password for invalid user oracle from 203.0.113.9 port "
      "41000 ssh2\n"
      "Apr 23 10:00:03 gw sshd[11]: Failed password for root from 2001:db8::77 port 5022 ssh2\n"
      "Apr 23 10:00:04 gw sshd[11]: message repeated 2 times: [ Failed password for root from "
      "2001:db8::77 port 5022 ssh2]\n"
      "Apr 23 10:00:05 gw sshd[12]: Failed none for invalid user guest from 203.0.113.9 port 15806 "
      "ssh2\n"
      "Apr 23 10:00:06 gw sshd[13]: Accepted keyboard-interactive/pam for alice from "
      "2001:db8:0a0b:12f0:0000:0000:0000:0001 port 42532 ssh2\n"
      "Apr 23 10:00:07 gw sshd[14]: Connection closed by 203.0.113.9 port 51488 [preauth]\n"
      "Apr 23 10:00:08 gw sshd[14]: Disconnected from authenticating user backup 203.0.113.9 port "
      "49424 [preauth]\n"
      "Apr 23 10:00:09 gw sshd[15]: Accepted gssapi-with-mic for bob from 10.1.2.3 port 51826 "
      "ssh2\n");
  REQUIRE(all.size() == 9);
  CHECK(all[0].status == LineStatus::skip);
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == LoginAction::failed);
  CHECK(all[1].event.user == "oracle");
  CHECK(all[1].event.method == "password");
  CHECK(from_ip(all[1]) == "203.0.113.9");
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(from_ip(all[2]) == "2001:db8::77");
  CHECK(all[2].event.from == "2001:db8::77");
  REQUIRE(all[3].status == LineStatus::record);
  CHECK(all[3].event.action == LoginAction::failed);
  CHECK(all[3].event.user == "root");
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "'none' method probe, not an attempt");
  REQUIRE(all[5].status == LineStatus::record);
  CHECK(all[5].event.method == "keyboard-interactive/pam");
  CHECK(from_ip(all[5]) == "2001:db8:a0b:12f0::1");
  CHECK(all[6].status == LineStatus::skip);
  CHECK(all[6].reason == "sshd message before authentication");
  CHECK(all[7].status == LineStatus::skip);
  CHECK(all[8].event.method == "gssapi-with-mic");
  CHECK(all[8].event.user == "bob");
}

TEST_CASE("sshd: pid reuse gives two sessions with the same key", "[login][sshd]") {
  LoginHarness h("sshd", "UTC", 2026);
  auto r = h.records(
      "Apr 23 08:00:00 gw sshd[777]: Accepted password for alice from 10.0.0.5 port 40000 ssh2\n"
      "Apr 23 09:00:00 gw sshd[777]: pam_unix(sshd:session): session closed for user alice\n"
      "Apr 23 09:00:01 gw sshd[777]: Connection closed by 10.0.0.5 port 40000\n"
      "Apr 23 15:30:00 gw sshd[777]: Accepted publickey for bob from 10.0.0.9 port 50000 ssh2\n"
      "Apr 23 15:30:00 gw sshd[777]: pam_unix(sshd:session): session opened for user bob by "
      "(uid=0)\n"
      "Apr 23 16:00:00 gw sshd[777]: Received disconnect from 10.0.0.9 port 50000:11: bye\n"
      "Apr 23 16:00:00 gw sshd[777]: Disconnected from user bob 10.0.0.9 port 50000\n"
      "Apr 24 10:00:00 gw sshd[777]: pam_unix(sshd:session): session closed for user carol\n");
  REQUIRE(r.size() == 5);
  CHECK(r[4].event.action == LoginAction::logout);  // a third process with PID 777
  CHECK(r[4].event.user == "carol");
  CHECK(r[0].event.action == LoginAction::login);
  CHECK(r[0].event.user == "alice");
  CHECK(r[1].event.action == LoginAction::logout);
  CHECK(r[1].event.user == "alice");
  CHECK(r[1].time() == "2026-04-23T09:00:00Z");
  CHECK(r[2].event.action == LoginAction::login);
  CHECK(r[2].event.user == "bob");
  CHECK(r[3].event.action == LoginAction::logout);
  CHECK(r[3].event.user == "bob");
  CHECK(r[3].time() == "2026-04-23T16:00:00Z");
  for (auto& o : r) CHECK(o.event.session_key == "777");
}

TEST_CASE("sshd: the same PID on two hosts of one syslog file", "[login][sshd]") {
  LoginHarness h("sshd", "UTC", 2026);
  auto r = h.records(
      "Apr 23 08:00:00 a sshd[50]: Accepted password for alice from 10.0.0.5 port 40000 ssh2\n"
      "Apr 23 08:10:00 b sshd[50]: Connection closed by 10.0.0.6 port 1\n"
      "Apr 23 08:20:00 a sshd[50]: Connection closed by 10.0.0.5 port 40000\n");
  REQUIRE(r.size() == 2);
  CHECK(r[1].event.host == "a");
  CHECK(r[1].event.action == LoginAction::logout);
}

TEST_CASE("sshd: session in a privilege-separated child (old OpenSSH)", "[login][sshd]") {
  LoginHarness h("sshd", "UTC", 2026);
  auto all = h.run(
      "Aug 19 02:18:13 upload sshd[22508]: Accepted password for user7 from 192.168.0.3 port 4224 "
      "ssh2\n"
      "Aug 19 02:18:14 upload sshd[22508]: subsystem request for sftp\n"
      "Aug 19 02:18:14 upload sshd[22509]: (pam_unix) session opened for user user7 by (uid=0)\n"
      "Aug 19 02:38:27 upload sftp-server[22509]: session closed for local user user3 from "
      "[UNKNOWN]\n"
      "Aug 19 02:38:27 upload sshd[22509]: (pam_unix) session closed for user user7\n"
      "Aug 19 02:38:27 upload sshd[22508]: Connection closed by 192.168.0.3\n"
      "Aug 19 02:38:27 upload sshd[22508]: Closing connection to 192.168.0.3\n");
  REQUIRE(all.size() == 7);
  CHECK(all[0].event.action == LoginAction::login);
  CHECK(all[2].status == LineStatus::skip);
  CHECK(all[2].reason == "PAM session of a login already recorded (privilege-separated child)");
  CHECK(all[3].status == LineStatus::foreign);
  REQUIRE(all[4].status == LineStatus::record);
  CHECK(all[4].event.action == LoginAction::logout);
  CHECK(all[4].event.session_key == "22508");  // the parent's key
  CHECK(all[5].status == LineStatus::skip);
  CHECK(all[6].status == LineStatus::skip);

  // Without the child's PAM close, the parent's "Connection closed by" ends it.
  LoginHarness h2("sshd", "UTC", 2026);
  auto r = h2.records(
      "Aug 19 02:19:57 upload sshd[22529]: Accepted password for user2 from 192.168.0.5 port "
      "11228 ssh2\n"
      "Aug 19 02:19:58 upload sshd[22530]: (pam_unix) session opened for user user2 by (uid=0)\n"
      "Aug 19 02:24:44 upload sshd[22529]: Connection closed by 192.168.0.5\n"
      "Aug 19 02:24:44 upload sshd[22529]: Closing connection to 192.168.0.5\n");
  REQUIRE(r.size() == 2);
  CHECK(r[1].event.action == LoginAction::logout);
  CHECK(r[1].event.session_key == "22529");
  CHECK(from_ip(r[1]) == "192.168.0.5");

  // "User child is on pid N" names the child outright.
  LoginHarness h3("sshd", "UTC", 2026);
  auto c = h3.records(
      "Apr 23 10:00:00 gw sshd[60224]: Accepted publickey for star from 127.0.0.1 port 44690 "
      "ssh2\n"
      "Apr 23 10:00:00 gw sshd[60224]: User child is on pid 60225\n"
      "Apr 23 10:05:00 gw sshd[60225]: pam_unix(sshd:session): session closed for user star\n");
  REQUIRE(c.size() == 2);
  CHECK(c[1].event.session_key == "60224");
}

TEST_CASE("sshd: a PAM session with no Accepted line before it", "[login][sshd]") {
  LoginHarness h("sshd", "UTC", 2026);
  auto r = h.records(
      "Apr 23 10:00:00 gw sshd[900]: pam_unix(sshd:session): session opened for user "
      "jdoe(uid=10357) by (uid=0)\n"
      "Apr 23 11:00:00 gw sshd[901]: pam_unix(sshd:session): session closed for user carol\n"
      "Apr 23 11:00:01 gw sshd[902]: Disconnected from user jdoe@example.local 2001:db8::5 port "
      "33480\n");
  REQUIRE(r.size() == 3);
  CHECK(r[0].event.action == LoginAction::login);
  CHECK(r[0].event.user == "jdoe");
  CHECK(r[0].event.from.empty());
  CHECK(r[0].event.session_key == "900");
  CHECK(r[1].event.action == LoginAction::logout);  // its login was in an earlier file
  CHECK(r[1].event.user == "carol");
  CHECK(r[2].event.action == LoginAction::logout);
  CHECK(r[2].event.user == "jdoe@example.local");
  CHECK(from_ip(r[2]) == "2001:db8::5");
}

TEST_CASE("sshd: console login, gdm and lightdm sessions are local", "[login][sshd]") {
  LoginHarness h("sshd", "UTC", 2026);
  auto all = h.run(
      "Apr 23 07:00:00 ws1 login[812]: pam_unix(login:session): session opened for user root by "
      "LOGIN(uid=0)\n"
      "Apr 23 07:00:00 ws1 login[812]: ROOT LOGIN  on '/dev/tty1'\n"
      "Apr 23 07:05:00 ws1 login[812]: pam_unix(login:session): session closed for user root\n"
      "Apr 23 07:06:00 ws1 login[830]: FAILED LOGIN (1) on '/dev/tty2' FOR 'jdoe', Authentication "
      "failure\n"
      "Apr 23 08:00:00 ws1 gdm-launch-environment]: pam_unix(gdm-launch-environment:session): "
      "session opened for user gdm by (uid=0)\n"
      "Apr 23 08:01:00 ws1 gdm-password][2210]: pam_unix(gdm-password:session): session opened "
      "for user jdoe(uid=1000) by (uid=0)\n"
      "Apr 23 09:00:00 ws1 lightdm: pam_unix(lightdm-greeter:session): session opened for user "
      "lightdm by (uid=0)\n"
      "Apr 23 09:01:00 ws1 lightdm: pam_unix(lightdm:session): session opened for user alice by "
      "(uid=0)\n"
      "Apr 23 09:30:00 ws1 CRON[5]: pam_unix(cron:session): session opened for user root by "
      "(uid=0)\n");
  REQUIRE(all.size() == 9);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].event.action == LoginAction::login);
  CHECK(all[0].event.place == LoginPlace::local);
  CHECK(all[0].event.service == "login");
  CHECK(all[0].event.session_key == "812");
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[2].event.action == LoginAction::logout);
  CHECK(all[2].event.session_key == "812");
  CHECK(all[3].event.action == LoginAction::failed);
  CHECK(all[3].event.user == "jdoe");
  CHECK(all[3].event.tty == "tty2");
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "display manager greeter session");
  REQUIRE(all[5].status == LineStatus::record);
  CHECK(all[5].event.service == "gdm");
  CHECK(all[5].event.user == "jdoe");
  CHECK(all[5].event.place == LoginPlace::local);
  CHECK(all[5].event.session_key == "2210");
  CHECK(all[6].status == LineStatus::skip);
  REQUIRE(all[7].status == LineStatus::record);
  CHECK(all[7].event.service == "lightdm");
  CHECK(all[7].event.session_key == "alice");
  CHECK(all[8].status == LineStatus::foreign);
}

TEST_CASE("sshd: RFC 5424 and ISO headers, OpenSSH 9.8 sshd-session", "[login][sshd]") {
  LoginHarness h("sshd", "Europe/Berlin", 2026);
  auto r = h.records(
      "<38>1 2026-04-23T16:19:00.123456+02:00 ws-lab1-07 sshd 4370 - - Accepted password for "
      "jdoe from 198.51.100.20 port 50000 ssh2\n"
      "2026-04-23T16:20:00.5+02:00 ws-lab1-07 sshd-session[4371]: Accepted publickey for ann "
      "from 198.51.100.21 port 50001 ssh2: RSA SHA256:x\n"
      "2026-04-23T16:30:00+02:00 ws-lab1-07 sshd-session[4371]: Disconnected from user ann "
      "198.51.100.21 port 50001\n");
  REQUIRE(r.size() == 3);
  CHECK(r[0].time() == "2026-04-23T14:19:00.123456Z");
  CHECK(r[0].event.host == "ws-lab1-07");
  CHECK(r[0].event.session_key == "4370");
  CHECK(r[1].event.user == "ann");
  CHECK(r[1].time() == "2026-04-23T14:20:00.500Z");
  CHECK(r[2].event.action == LoginAction::logout);
  CHECK(r[2].event.session_key == "4371");
}

TEST_CASE("sshd: malformed and foreign lines", "[login][sshd]") {
  LoginHarness h("sshd", "UTC", 2026);
  auto all = h.run(
      "not a syslog line\n"
      "Apr 23 10:00:00 gw sshd: Accepted password for root from 10.0.0.1 port 22 ssh2\n"
      "Apr 23 10:00:00 gw sshd[5]: Accepted password for  from 10.0.0.1 port 22 ssh2\n"
      "Apr 23 10:00:01 gw dhcpd[5]: DHCPACK on 10.0.0.5 to 00:11:22:33:44:55 via eth0\n"
      "Apr 23 10:00:02 gw sshd[6]: Accepted google_authenticator for root\n"
      "\n");
  REQUIRE(all.size() == 6);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason == "no syslog header");
  CHECK(all[1].status == LineStatus::malformed);
  CHECK(all[1].reason == "Accepted: no sshd PID in the syslog tag");
  CHECK(all[2].status == LineStatus::malformed);
  CHECK(all[2].reason == "Accepted: no user name");
  CHECK(all[3].status == LineStatus::foreign);
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "authentication without an address (PAM module message)");
  CHECK(all[5].status == LineStatus::skip);
}

TEST_CASE("sshd: sniff", "[login][sshd]") {
  const char* why = "";
  auto& f = formats::sshd_format();
  CHECK(f.sniff("Apr 23 16:19:00 gw sshd[1]: Accepted password for root from 10.0.0.1 port 22 "
                "ssh2\n",
                &why) >= 80);
  CHECK(f.sniff("Apr 23 16:19:00 gw dhcpd[812]: DHCPACK on 10.0.0.5 to 00:11:22:33:44:55 via "
                "eth0\n",
                &why) == 0);
  Family login = Family::login;
  auto s = sniff_format(
      "Apr 23 16:19:00 gw CRON[2]: pam_unix(cron:session): session opened for user root by "
      "(uid=0)\nApr 23 16:19:00 gw sshd[1]: Failed password for root from 10.0.0.1 port 22 ssh2\n",
      &login);
  REQUIRE(s.format);
  CHECK(s.format->name == "sshd");
}

namespace {
struct Counts {
  size_t logins = 0, logouts = 0, failed = 0, skipped = 0, foreign = 0, malformed = 0;
};
Counts count(const std::vector<test::Outcome<LoginEvent>>& all) {
  Counts c;
  for (auto& o : all) {
    if (o.status == LineStatus::record) {
      c.logins += o.event.action == LoginAction::login;
      c.logouts += o.event.action == LoginAction::logout;
      c.failed += o.event.action == LoginAction::failed;
    }
    c.skipped += o.status == LineStatus::skip;
    c.foreign += o.status == LineStatus::foreign;
    c.malformed += o.status == LineStatus::malformed;
  }
  return c;
}
}  // namespace

TEST_CASE("sshd: corpus", "[login][sshd][corpus]") {
  {
    auto text = test::read_corpus("login-sshd-syslog/secure-20211101");
    if (!text) return;
    LoginHarness h("sshd", "UTC", 2021);
    auto all = h.run(*text);
    Counts c = count(all);
    CHECK(c.logins == 4);
    CHECK(c.logouts == 4);  // every session closes in the PID that logged Accepted
    CHECK(c.malformed == 0);
    for (auto& o : all)
      if (o.status == LineStatus::record && o.event.action == LoginAction::logout)
        CHECK((o.event.session_key == "2201" || o.event.session_key == "2199" ||
               o.event.session_key == "4370" || o.event.session_key == "6567"));
  }
  {
    auto text = test::read_corpus("login-sshd-syslog/sftp_chroot.log");
    if (!text) return;
    LoginHarness h("sshd", "UTC", 2006);
    auto all = h.run(*text);
    Counts c = count(all);
    CHECK(c.logins == 4);
    CHECK(c.logouts == 2);  // user2 and user7 (22508) close; two stay open at the end
    CHECK(c.malformed == 0);
  }
  {
    auto text = test::read_corpus("login-sshd-syslog/OpenSSH_2k.log");
    if (!text) return;
    LoginHarness h("sshd", "UTC", 2015);
    auto all = h.run(*text);
    Counts c = count(all);
    CHECK(c.logins == 1);  // fztu
    CHECK(c.logouts == 1);
    CHECK(c.malformed == 0);
    CHECK(c.failed > 400);
  }
  {
    auto text = test::read_corpus("login-sshd-syslog/auth.log.4");
    if (!text) return;
    LoginHarness h("sshd", "UTC", 2016);
    auto all = h.run(*text);
    Counts c = count(all);
    CHECK(c.malformed == 0);
    CHECK(c.foreign > 0);  // CRON
    CHECK(c.failed > 1000);
  }
  {
    auto text = test::read_corpus("login-sshd-syslog/syslog_ssh.log");
    if (!text) return;
    LoginHarness h("sshd", "UTC", 2016);
    auto all = h.run(*text);
    Counts c = count(all);
    CHECK(c.logins == 5);
    CHECK(c.failed == 2);  // the IPv6-looking "001:db8:..." one is kept as text
    CHECK(c.malformed == 0);
  }
  {
    auto text = test::read_corpus("login-sshd-syslog/sshd-success-logs.log");
    if (!text) return;
    LoginHarness h("sshd", "UTC", 2022);
    auto all = h.run(*text);
    Counts c = count(all);
    CHECK(c.logins == 4);
    REQUIRE(all.size() == 4);
    CHECK(all[3].event.method == "password");
    CHECK(all[3].event.user == "test");
    CHECK(all[3].event.session_key == "12032");
  }
  {
    auto text = test::read_corpus("login-sshd-syslog/sshd");
    if (!text) return;
    LoginHarness h("sshd", "UTC", 2016);
    auto all = h.run(without_comments(*text));
    Counts c = count(all);
    CHECK(c.failed == 26);
    for (auto& o : all)
      if (o.status == LineStatus::malformed)  // hand-edited samples: "Feb 7" without the pad
        CHECK(o.reason == "bad syslog date");
    CHECK(c.malformed == 6);
  }
}

TEST_CASE("sshd: the testdata sample", "[login][sshd]") {
  LoginHarness h("sshd", "Europe/London", 2026);
  std::string sample = test::read_sample("testdata/login/sshd/auth.log");
  auto any = sniff_format(sample, nullptr);  // among the formats of every family
  REQUIRE(any.format);
  CHECK(any.format->name == "sshd");
  auto all = h.run(sample);
  Counts c = count(all);
  CHECK(c.malformed == 0);
  CHECK(c.logins == 4);
  CHECK(c.logouts == 4);
  CHECK(c.failed == 2);
}

TEST_CASE("sshd: a client timeout ends its session; logind's reboot ends them all",
          "[login][sshd]") {
  LoginHarness h("sshd", "UTC", 2026);
  auto all = h.run(
      "Oct 20 10:20:00 srv sshd[2501]: Accepted password for carol from 10.9.9.7 port 50303 ssh2\n"
      "Oct 20 10:25:00 srv sshd[2501]: Timeout, client not responding from user carol 10.9.9.7 "
      "port 50303\n"
      "Oct 20 10:30:00 srv sshd[2600]: Timeout, client not responding from 10.9.9.8 port 50400\n"
      "Oct 20 10:41:00 srv systemd-logind[400]: System is rebooting.\n"
      "Oct 20 10:44:00 srv systemd-logind[400]: New seat seat0.\n"
      "Oct 20 10:45:00 srv systemd-logind[400]: System is powering down.\n");
  REQUIRE(all.size() == 6);
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == LoginAction::logout);
  CHECK(all[1].event.session_key == "2501");
  CHECK(all[1].event.user == "carol");
  // A timeout of a PID with no login: nothing ends.
  CHECK(all[2].status != LineStatus::record);
  REQUIRE(all[3].status == LineStatus::record);
  CHECK(all[3].event.action == LoginAction::shutdown);
  CHECK(all[3].event.host == "srv");
  CHECK(all[4].status == LineStatus::foreign);
  REQUIRE(all[5].status == LineStatus::record);
  CHECK(all[5].event.action == LoginAction::shutdown);
}

TEST_CASE("sshd: the end lines of sessions killed by a reboot are their tail, not logouts",
          "[login][sshd]") {
  LoginHarness h("sshd", "UTC", 2026);
  auto all = h.run(
      "Oct 20 09:00:00 srv sshd[2501]: Accepted password for carol from 10.9.9.7 port 50303 ssh2\n"
      "Oct 20 09:00:00 srv sshd[2501]: pam_unix(sshd:session): session opened for user carol by "
      "(uid=0)\n"
      "Oct 20 10:41:00 srv systemd-logind[400]: System is rebooting.\n"
      "Oct 20 10:41:01 srv sshd[2501]: Received disconnect from 10.9.9.7 port 50303:11: "
      "disconnected by user\n"
      "Oct 20 10:41:01 srv sshd[2501]: pam_unix(sshd:session): session closed for user carol\n"
      "Oct 20 10:43:30 srv sshd[2501]: Disconnected from user carol 10.9.9.7 port 50303\n"
      // Long after the reboot the PID is another process's (its login lost).
      "Oct 20 12:00:00 srv sshd[2501]: pam_unix(sshd:session): session closed for user dave\n");
  REQUIRE(all.size() == 7);
  REQUIRE(all[6].status == LineStatus::record);
  CHECK(all[6].event.action == LoginAction::logout);
  CHECK(all[0].event.action == LoginAction::login);
  CHECK(all[2].event.action == LoginAction::shutdown);
  for (size_t i = 3; i < 6; ++i) {
    INFO("line " << i + 1);
    CHECK(all[i].status == LineStatus::skip);
    CHECK(all[i].reason == std::string("end of a session its host's shutdown ended"));
  }
}

#include <catch2/catch.hpp>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::LoginHarness;

namespace {

std::string from_ip(const test::Outcome<LoginEvent>& o) {
  return o.event.has_from_ip ? to_string(o.event.from_ip) : "";
}

// The raw lines of a test-suite file: fail2ban samples without their
// "# failJSON" comments, or the "log N pass = LINE" entries of an .ini.
std::string raw_lines(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view l = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    size_t pass = l.find(" pass = ");
    if (l.starts_with("log ") && pass != std::string_view::npos) {
      out += l.substr(pass + 8);
      out += '\n';
    } else if (!l.empty() && l[0] != '#' && l[0] != '[' && !l.starts_with("log ") &&
               !l.starts_with("rule ") && !l.starts_with("alert ") && !l.starts_with("decoder ")) {
      out += l;
      out += '\n';
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("dovecot: 2.3 login and logout pair by session id", "[login][dovecot]") {
  LoginHarness h("dovecot", "Europe/London", 2026);
  auto all = h.run(
      "Apr 23 16:19:00 mail dovecot: imap-login: Login: user=<jdoe>, method=PLAIN, "
      "rip=192.0.2.7, lip=10.0.0.25, mpid=4102, TLS, session=<r4Xf2qgHqOrAAAAB>\n"
      "Apr 23 16:19:01 mail dovecot: imap(jdoe)<4102><r4Xf2qgHqOrAAAAB>: Debug: Effective "
      "uid=5000\n"
      "Apr 23 16:42:10 mail dovecot: imap(jdoe)<4102><r4Xf2qgHqOrAAAAB>: Logged out in=1571 "
      "out=4924 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 "
      "body_bytes=0\n");
  REQUIRE(all.size() == 3);
  REQUIRE(all[0].status == LineStatus::record);
  const LoginEvent& in = all[0].event;
  CHECK(in.action == LoginAction::login);
  CHECK(in.user == "jdoe");
  CHECK(in.host == "mail");
  CHECK(in.service == "imap");
  CHECK(in.method == "PLAIN");
  CHECK(in.place == LoginPlace::remote);
  CHECK(from_ip(all[0]) == "192.0.2.7");
  CHECK(in.session_key == "r4Xf2qgHqOrAAAAB");
  CHECK(all[0].time() == "2026-04-23T15:19:00Z");
  CHECK(all[1].status == LineStatus::skip);
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.action == LoginAction::logout);
  CHECK(all[2].event.user == "jdoe");
  CHECK(all[2].event.service == "imap");
  CHECK(all[2].event.session_key == "r4Xf2qgHqOrAAAAB");
  CHECK(all[2].time() == "2026-04-23T15:42:10Z");
}

TEST_CASE("dovecot: 2.2 logouts name only the user", "[login][dovecot]") {
  LoginHarness h("dovecot", "UTC", 2026);
  auto r = h.records(
      "Oct  7 09:38:38 mx dovecot: imap-login: Login: user=<ann@example.org>, method=PLAIN, "
      "rip=2001:db8::7, lip=2001:db8::1, mpid=17301, secured, session=<DA631X4hKgB/AAAB>\n"
      "Oct  7 09:38:39 mx dovecot: imap(ann@example.org): Disconnected: Logged out in=175 "
      "out=1335\n"
      "Oct  7 09:38:42 mx dovecot: pop3-login: Login: user=<bo>, method=PLAIN, rip=192.0.2.8, "
      "lip=192.0.2.1, mpid=17303, TLS, session=<Ann31X4hNAB/AAAB>\n"
      "Oct  7 09:38:42 mx dovecot: pop3-login: Login: user=<bo>, method=PLAIN, rip=192.0.2.9, "
      "lip=192.0.2.1, mpid=17304, TLS, session=<fI331X4hMwB/AAAB>\n"
      "Oct  7 09:38:43 mx dovecot: pop3(bo): Disconnected: Logged out top=0/0, retr=0/0, del=0/0, "
      "size=0\n");
  REQUIRE(r.size() == 5);
  CHECK(from_ip(r[0]) == "2001:db8::7");
  CHECK(r[1].event.action == LoginAction::logout);
  CHECK(r[1].event.session_key == "DA631X4hKgB/AAAB");  // the user's one open session
  CHECK(r[2].event.service == "pop3");
  CHECK(r[4].event.action == LoginAction::logout);
  CHECK(r[4].event.session_key.empty());  // two open: the line does not say which ended
  CHECK(r[4].event.user == "bo");
}

TEST_CASE("dovecot: failed logins", "[login][dovecot]") {
  LoginHarness h("dovecot", "UTC", 2026);
  auto all = h.run(
      "Dec 19 06:21:06 ny dovecot: imap-login: Disconnected (auth failed, 7 attempts in 111 "
      "secs): user=<thousands>, method=PLAIN, rip=198.51.100.201, lip=10.0.0.3, "
      "session=<+hgd5vxDBMZtycjJ>\n"
      "Dec 19 06:21:07 ny dovecot: pop3-login: Aborted login (auth failed, 1 attempts in 17 "
      "secs): user=<test>, method=PLAIN, rip=192.0.2.13, lip=203.0.113.17, "
      "session=<YADINsQCDs5BH8Pg>\n"
      "Dec 19 06:21:08 ny dovecot[241]: imap-login: Login aborted: Connection closed (auth "
      "failed, 3 attempts in 16 secs) (auth_failed): user=<test>, method=PLAIN, rip=192.0.2.241, "
      "lip=203.0.113.1, TLS, session=<ABCDEFGH>\n"
      "Dec 19 06:21:09 ny dovecot: pop3-login: Disconnected (no auth attempts): rip=192.0.2.254, "
      "lip=10.0.0.3, TLS: Disconnected\n"
      "Dec 19 06:21:10 ny dovecot: auth: passwd-file(username,192.0.2.4): unknown user\n"
      "Dec 19 06:21:11 ny dovecot: imap-login: Disconnected (auth failed, 1 attempts): "
      "method=PLAIN, rip=192.0.2.100, lip=10.0.0.3, TLS: Disconnected\n"
      "@4000000069ea38760a3a6880 imap-login: Info: Aborted login (auth failed, 1 attempts): "
      "user=<m>, method=CRAM-MD5, rip=192.0.2.33, lip=10.0.0.3, TLS\n");
  REQUIRE(all.size() == 7);
  CHECK(all[6].event.action == LoginAction::failed);
  CHECK(all[6].time() == "2026-04-23T15:19:08.171600Z");
  CHECK(all[0].event.action == LoginAction::failed);
  CHECK(all[0].event.user == "thousands");
  CHECK(from_ip(all[0]) == "198.51.100.201");
  CHECK(all[1].event.action == LoginAction::failed);
  CHECK(all[1].event.service == "pop3");
  CHECK(all[2].event.action == LoginAction::failed);
  CHECK(all[2].status == LineStatus::record);
  CHECK(all[3].status == LineStatus::skip);
  CHECK(all[3].reason == "login process gave up without a failed attempt");
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "Dovecot auth process detail");
  CHECK(all[5].event.action == LoginAction::failed);
  CHECK(all[5].event.user.empty());
}

TEST_CASE("dovecot: its own log file, 1.x lines, foreign and malformed", "[login][dovecot]") {
  LoginHarness h("dovecot", "UTC", 2026);
  auto all = h.run(
      "Nov 26 09:40:43 imap-login: Info: Login: user=<n.s@example.net>, method=PLAIN, rip=::1, "
      "lip=::1, mpid=13643, secured\n"
      "Nov 26 09:40:44 imap(n.s@example.net): Info: Disconnected: Logged out in=94 out=968\n"
      "dovecot: 2026-03-03 18:36:18 Info: imap-login: Login: user=<info@example.com>, "
      "method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, secured\n"
      "dovecot: 2026-03-03 18:36:19 Info: IMAP(info@example.com): Disconnected: Logged out "
      "bytes=28/647\n"
      "Apr 23 10:00:00 mx postfix/smtpd[5]: connect from unknown[192.0.2.1]\n"
      "Apr 23 10:00:01 mx dovecot: imap-login: Login: user=<x>, method=PLAIN, rip=nowhere, "
      "lip=10.0.0.1\n"
      "Apr 23 10:00:02 mx dovecot: imap-login: Login: method=PLAIN, rip=192.0.2.1\n");
  REQUIRE(all.size() == 7);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].event.host.empty());
  CHECK(from_ip(all[0]) == "::1");
  CHECK(all[0].event.session_key.empty());
  CHECK(all[1].event.action == LoginAction::logout);
  CHECK(all[1].event.user == "n.s@example.net");
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].time() == "2026-03-03T18:36:18Z");
  CHECK(all[3].event.action == LoginAction::logout);
  CHECK(all[3].event.service == "imap");
  CHECK(all[4].status == LineStatus::foreign);
  CHECK(all[5].status == LineStatus::malformed);
  CHECK(all[5].reason == "Login: bad rip= address");
  CHECK(all[6].status == LineStatus::malformed);
  CHECK(all[6].reason == "Login: no user=<...>");
}

TEST_CASE("dovecot: sniff", "[login][dovecot]") {
  const char* why = "";
  auto& f = formats::dovecot_format();
  CHECK(f.sniff("Apr 23 16:19:00 mail dovecot: imap-login: Login: user=<jdoe>, method=PLAIN, "
                "rip=192.0.2.7, lip=10.0.0.25\n",
                &why) >= 80);
  CHECK(f.sniff("Apr 23 16:19:00 gw sshd[1]: Accepted password for root from 10.0.0.1 port 22 "
                "ssh2\n",
                &why) == 0);
  Family login = Family::login;
  auto s = sniff_format(
      "Apr 23 16:19:00 mail dovecot: imap-login: Login: user=<jdoe>, method=PLAIN, "
      "rip=192.0.2.7, lip=10.0.0.25\n",
      &login);
  REQUIRE(s.format);
  CHECK(s.format->name == "dovecot");
}

TEST_CASE("dovecot: corpus", "[login][dovecot][corpus]") {
  for (const char* file : {"login-dovecot/dovecot", "login-dovecot/wazuh__dovecot.ini",
                           "login-dovecot/ossec-hids__dovecot.ini"}) {
    auto text = test::read_corpus(file);
    if (!text) return;
    LoginHarness h("dovecot", "UTC", 2020);
    auto all = h.run(raw_lines(*text));
    size_t logins = 0, failed = 0, malformed = 0;
    for (auto& o : all) {
      if (o.status == LineStatus::record) {
        logins += o.event.action == LoginAction::login;
        failed += o.event.action == LoginAction::failed;
      }
      if (o.status == LineStatus::malformed) {
        ++malformed;
        INFO(o.raw);
        INFO(o.raw);
        CHECK(o.reason == std::string("no syslog header"));
      }
    }
    INFO(file);
    CHECK(failed > 0);
    CHECK(malformed == 0);
    (void)logins;
  }
}

TEST_CASE("dovecot: the testdata sample", "[login][dovecot]") {
  LoginHarness h("dovecot", "Europe/London", 2026);
  std::string sample = test::read_sample("testdata/login/dovecot/mail.log");
  auto any = sniff_format(sample, nullptr);  // among the formats of every family
  REQUIRE(any.format);
  CHECK(any.format->name == "dovecot");
  auto all = h.run(sample);
  size_t logins = 0, logouts = 0, failed = 0, keyed = 0;
  for (auto& o : all) {
    CHECK(o.status != LineStatus::malformed);
    if (o.status != LineStatus::record) continue;
    logins += o.event.action == LoginAction::login;
    logouts += o.event.action == LoginAction::logout;
    failed += o.event.action == LoginAction::failed;
    keyed += !o.event.session_key.empty();
  }
  CHECK(logins == 3);
  CHECK(logouts == 3);
  CHECK(failed == 2);
  CHECK(keyed == 8);
}

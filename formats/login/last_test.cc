#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::LoginHarness;

namespace {

size_t count(const std::vector<test::Outcome<LoginEvent>>& all, LoginAction a) {
  size_t n = 0;
  for (const auto& o : all) n += o.status == LineStatus::record && o.event.action == a;
  return n;
}

size_t count(const std::vector<test::Outcome<LoginEvent>>& all, LineStatus s) {
  size_t n = 0;
  for (const auto& o : all) n += o.status == s;
  return n;
}

const char* kShort = "last without -F/--time-format iso has no year or seconds; rerun with -F";

}  // namespace

TEST_CASE("last: -F lines of every end", "[login][last]") {
  SourceSpec src;
  src.host = "ws-lab1-07";
  LoginHarness h("last", "Europe/London", 2026, kNoTime, src);
  auto all = h.run(
      "jdoe     pts/0        192.0.2.10       Thu Apr 23 16:19:00 2026 - Thu Apr 23 18:01:12 "
      "2026  (01:42)\n"
      "bob      pts/0        198.51.100.23    Fri Apr 24 09:05:00 2026 - crash                 "
      "    (01:07)\n"
      "jdoe     :0           :0               Thu Apr 23 17:02:10 2026 - down                  "
      "    (01:57)\n"
      "carol    pts/2        203.0.113.7      Thu Apr 23 17:05:00 2026   still logged in\n"
      "torvalds linux        hobby            Mon Aug 26 00:57:08 1991   gone - no logout\n"
      "reboot   system boot  6.1.0-18-amd64   Fri Apr 24 10:12:00 2026   still running\n"
      "shutdown system down  6.1.0-18-amd64   Thu Apr 23 19:00:00 2026 - Fri Apr 24 08:55:00 "
      "2026  (13:55)\n"
      "root     tty1                          Thu Apr  9 08:58:40 2026 - Thu Apr  9 09:10:00 "
      "2026  (00:11)\n"
      "\n"
      "wtmp begins Thu Apr  9 08:00:01 2026\n");
  REQUIRE(all.size() == 10);
  const LoginEvent& in = all[0].event;
  CHECK(all[0].status == LineStatus::record);
  CHECK(in.action == LoginAction::session);
  CHECK(in.user == "jdoe");
  CHECK(in.tty == "pts/0");
  CHECK(in.from == "192.0.2.10");
  CHECK(to_string(in.from_ip) == "192.0.2.10");
  CHECK(in.session_key == "pts/0");
  CHECK(in.place == LoginPlace::remote);
  CHECK(in.host == "ws-lab1-07");
  CHECK(format_rfc3339(in.start) == "2026-04-23T15:19:00Z");  // BST
  CHECK(all[0].time() == "2026-04-23T17:01:12Z");             // the end
  CHECK_FALSE(in.open_end);
  CHECK(all[1].event.action == LoginAction::session);  // ended by a crash
  CHECK(all[1].event.user == "bob");
  CHECK(format_rfc3339(all[1].event.start) == "2026-04-24T08:05:00Z");
  CHECK(all[1].time() == "2026-04-24T09:12:00Z");  // start + (01:07)
  CHECK(all[1].event.end_how == "crash");
  CHECK(all[2].event.place == LoginPlace::local);
  CHECK(all[2].event.end_how == "down");
  CHECK(all[3].event.user == "carol");
  CHECK(all[3].event.open_end);
  CHECK(format_rfc3339(all[4].event.start) == "1991-08-25T23:57:08Z");
  CHECK(all[4].event.open_end);
  CHECK(all[4].event.end_how == "gone - no logout");
  CHECK(all[5].event.action == LoginAction::boot);
  CHECK(all[5].time() == "2026-04-24T09:12:00Z");
  CHECK(all[6].event.action == LoginAction::shutdown);
  CHECK(all[6].time() == "2026-04-23T18:00:00Z");
  CHECK(all[7].event.place == LoginPlace::local);
  CHECK(all[7].event.from.empty());
  CHECK(format_rfc3339(all[7].event.start) == "2026-04-09T07:58:40Z");
  CHECK(all[7].time() == "2026-04-09T08:10:00Z");
  CHECK(all[8].status == LineStatus::skip);
  CHECK(all[9].status == LineStatus::skip);
  CHECK(all[9].time() == "2026-04-09T07:00:01Z");
}

TEST_CASE("last: --time-format iso, -x and wtmpdb last", "[login][last]") {
  LoginHarness h("last", "UTC", 2026);
  auto all = h.run(
      "date     old time                      2026-04-24T11:00:00+01:00\n"
      "jdoe     pts/0        2001:db8::7      2026-04-23T16:19:00+01:00 - "
      "2026-04-23T18:01:12+01:00  (01:42)\n"
      "runlevel (to lvl 5)   6.1.0-18-amd64   2026-04-23T08:00:05+01:00 - "
      "2026-04-23T19:00:00+01:00  (10:59)\n"
      "jdoe     pts/1        192.0.2.10       2026-04-23T16:19:00+0100 - still logged in \n"
      "bob      pts/2        192.0.2.11       Thu Apr 23 16:19:00 2026 - crash                 "
      "     \n");
  REQUIRE(all.size() == 5);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "system clock change");
  CHECK(all[0].time() == "2026-04-24T10:00:00Z");
  CHECK(all[1].event.action == LoginAction::session);
  CHECK(to_string(all[1].event.from_ip) == "2001:db8::7");
  CHECK(format_rfc3339(all[1].event.start) == "2026-04-23T15:19:00Z");
  CHECK(all[1].time() == "2026-04-23T17:01:12Z");
  CHECK(all[2].reason == "run level change");
  CHECK(all[3].event.action == LoginAction::session);  // wtmpdb: "+0100", "- still logged in"
  CHECK(all[3].time() == "2026-04-23T15:19:00Z");
  CHECK(all[3].event.open_end);
  CHECK(all[4].event.action == LoginAction::session);
  CHECK(all[4].time() == "2026-04-23T16:19:00Z");  // UTC source; a crash with no length
  CHECK(all[4].event.open_end);
  CHECK(all[4].event.end_how == "crash");
}

TEST_CASE("last: cut names and hosts, host last, lastb", "[login][last]") {
  LoginHarness h("last");
  auto all = h.run(
      "asmith   pts/1        2001:db8:20:3::1 Thu Apr 23 16:40:00 2026 - Thu Apr 23 18:30:00 "
      "2026  (01:50)\n"
      "user_pr* foo          seven            Wed Aug 28 05:00:00 2013 - Wed Aug 28 06:00:00 "
      "2013  (01:00)\n"
      "IPv4     root         a.root-servers.* Wed Aug 28 13:00:00 2013 - Wed Aug 28 14:00:00 "
      "2013  (01:00)\n"
      "asmith   pts/1        Thu Apr 23 16:40:00 2026 - Thu Apr 23 18:30:00 2026  (01:50)     "
      "2001:db8:20:3::1a7\n"
      "reboot   system boot  Fri Apr 24 10:12:00 2026   still running                         "
      "6.1.0-18-amd64\n");
  REQUIRE(all.size() == 5);
  CHECK(all[0].status == LineStatus::record);
  CHECK(all[0].event.from == "2001:db8:20:3::1");
  CHECK_FALSE(all[0].event.has_from_ip);  // fills its column: maybe cut
  CHECK(all[1].status == LineStatus::malformed);
  CHECK(all[1].reason == "user name cut short by last (ends in '*'); rerun with -w");
  CHECK(all[2].event.from == "a.root-servers.*");
  CHECK_FALSE(all[2].event.has_from_ip);
  CHECK(all[3].event.from == "2001:db8:20:3::1a7");  // -a: the host at the end
  CHECK(to_string(all[3].event.from_ip) == "2001:db8:20:3::1a7");
  CHECK(all[4].event.action == LoginAction::boot);

  LoginHarness b("last");
  b.file.path = "/cases/17/lastb.txt";
  auto failed = b.records(
      "admin    ssh:notty    203.0.113.66     Thu Apr 23 04:12:00 2026 - Thu Apr 23 04:12:00 "
      "2026  (00:00)\n");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].event.action == LoginAction::failed);
  CHECK(failed[0].event.service == "sshd");
  CHECK(failed[0].event.session_key.empty());
}

TEST_CASE("last: plain last and other lines are malformed with a reason", "[login][last]") {
  LoginHarness h("last");
  auto all = h.run(
      "jdoe     pts/0        192.0.2.10       Thu Apr 23 16:19 - 18:01  (01:42)\n"
      "reboot   system boot  5.4.0-1029-aws   Tue May 31 21:15   still running\n"
      "rick     long         never-gonna-log*   (24855+03:14)\n"
      "rick     long         never-gonna-logout 1970-01-01T00:00:00+00:00 - "
      "2038-01-19T03:14:07+00:00 (24855+03:14)\n"
      "jdoe     pts/0        192.0.2.10       Thu Apr 23 16:19:00 2026 - whenever\n"
      "ubuntu@Linux4n6:~$ sudo last -f /var/log/wtmp\n"
      "wtmp begins Sat Apr 16 20:10:29 2022\n");
  REQUIRE(all.size() == 7);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason == kShort);
  CHECK(all[1].reason == kShort);
  CHECK(all[2].reason ==
        "no login time (expected the output of last -F or last --time-format iso)");
  CHECK(all[3].reason == "login time is 0 (1970-01-01: no time recorded)");
  CHECK(all[4].reason == "unreadable session end (expected a time, crash or down)");
  CHECK(all[5].status == LineStatus::malformed);
  CHECK(all[6].status == LineStatus::skip);
  CHECK(all[6].time() == "2022-04-16T20:10:29Z");
}

TEST_CASE("last: sniff", "[login][last]") {
  const char* why = "";
  auto& f = formats::last_format();
  CHECK(f.sniff(test::read_sample("testdata/login/last/last-F.txt"), &why) >= 80);
  CHECK(f.sniff(test::read_sample("testdata/login/last/last-x-iso.txt"), &why) >= 80);
  CHECK(f.sniff(test::read_sample("testdata/login/last/last-short.txt"), &why) == 50);
  CHECK(std::string(why).find("without -F") != std::string::npos);
  CHECK(f.sniff("Thu Apr 23 16:19:00 2026 daemon.info dnsmasq-dhcp[1523]: DHCPACK(br-lan) "
                "192.168.1.141 a4:5e:60:d1:22:3b x\n",
                &why) == 0);
  CHECK(f.sniff("Apr 23 16:19:00 gw sshd[99]: Accepted publickey for root from 10.0.0.1\n", &why) ==
        0);
  CHECK(f.sniff("log 1 pass = 1 2019-05-15T16:25:50Z HOSTNAME CheckPoint 19710 - "
                "[action:\"Drop\"]\n",
                &why) == 0);
  Family login = Family::login;
  auto s = sniff_format(test::read_sample("testdata/login/last/last-F.txt"), &login);
  REQUIRE(s.format);
  CHECK(s.format->name == "last");
}

TEST_CASE("last: the testdata samples", "[login][last]") {
  LoginHarness f("last", "Europe/London", 2026);
  auto all = f.run(test::read_sample("testdata/login/last/last-F.txt"));
  REQUIRE(all.size() == 12);
  CHECK(count(all, LineStatus::malformed) == 0);
  CHECK(count(all, LoginAction::session) == 6);
  CHECK(count(all, LoginAction::boot) == 3);
  CHECK(all[0].reason == "system clock change");
  CHECK(all[1].event.from == "lab-gw.example.o");  // cut by last
  CHECK_FALSE(all[1].event.has_from_ip);
  CHECK(all[7].event.user == "jdoe");
  CHECK(format_rfc3339(all[7].event.start) == "2026-04-23T15:19:00Z");
  CHECK(to_string(all[7].event.from_ip) == "192.0.2.10");
  CHECK(all[11].time() == "2026-04-23T07:00:01Z");  // "wtmp begins"

  LoginHarness iso("last", "UTC", 2026);
  auto x = iso.run(test::read_sample("testdata/login/last/last-x-iso.txt"));
  REQUIRE(x.size() == 15);
  CHECK(count(x, LineStatus::malformed) == 0);
  CHECK(count(x, LoginAction::session) == 6);
  CHECK(count(x, LoginAction::boot) == 3);
  CHECK(count(x, LoginAction::shutdown) == 1);

  LoginHarness a("last", "Europe/London", 2026);
  auto hostlast = a.run(test::read_sample("testdata/login/last/last-Faxw.txt"));
  REQUIRE(hostlast.size() == 15);
  CHECK(count(hostlast, LineStatus::malformed) == 0);
  CHECK(hostlast[2].event.from == "lab-gw.example.org");
  CHECK(to_string(hostlast[8].event.from_ip) == "2001:db8:20:3::1a7");

  LoginHarness b("last", "Europe/London", 2026);
  b.file.path = "testdata/login/last/lastb-F.txt";
  auto failed = b.run(test::read_sample("testdata/login/last/lastb-F.txt"));
  CHECK(count(failed, LoginAction::failed) == 4);
  CHECK(count(failed, LineStatus::malformed) == 0);

  LoginHarness s("last", "Europe/London", 2026);
  auto plain = s.run(test::read_sample("testdata/login/last/last-short.txt"));
  CHECK(count(plain, LineStatus::malformed) == 10);
  CHECK(count(plain, LineStatus::record) == 0);
}

TEST_CASE("last: corpus", "[login][last][corpus]") {
  struct Expect {
    const char* file;
    size_t logins, boots, shutdowns, skipped, malformed;
  };
  const Expect expect[] = {
      {"last-dns", 0, 0, 0, 6, 6},
      {"last-ipv6-dns", 0, 0, 0, 6, 6},
      {"last-ipv6-nodns", 0, 0, 0, 4, 4},
      {"last-nodns", 26, 6, 0, 21, 71},
      {"wtmp", 0, 0, 0, 2, 9},
  };
  for (const auto& e : expect) {
    INFO(e.file);
    auto text = test::read_corpus(std::string("login-last-output/") + e.file);
    if (!text) return;
    const char* why = "";
    CHECK(formats::last_format().sniff(*text, &why) >= 50);
    LoginHarness h("last", "UTC", 2026);
    auto all = h.run(*text);
    // The util-linux expected outputs are mostly plain `last` (no year), with
    // section markers, a "no time" section, a name cut with '*' and an entry
    // at time 0; the TryHackMe capture is plain `last` with shell prompts.
    for (const auto& o : all)
      if (o.status == LineStatus::malformed)
        CHECK((o.reason == kShort ||
               o.reason ==
                   "no login time (expected the output of last -F or last --time-format iso)" ||
               o.reason == "user name cut short by last (ends in '*'); rerun with -w" ||
               o.reason == "login time is 0 (1970-01-01: no time recorded)"));
    CHECK(count(all, LoginAction::session) == e.logins);
    CHECK(count(all, LoginAction::boot) == e.boots);
    CHECK(count(all, LoginAction::shutdown) == e.shutdowns);
    CHECK(count(all, LineStatus::skip) == e.skipped);
    CHECK(count(all, LineStatus::malformed) == e.malformed);
  }
}

TEST_CASE("last: corpus, full times", "[login][last][corpus]") {
  auto text = test::read_corpus("login-last-output/last-nodns");
  if (!text) return;
  LoginHarness h("last", "UTC", 2026);
  auto r = h.records(*text);
  REQUIRE(r.size() == 32);
  CHECK(r[0].event.user == "torvalds");
  CHECK(r[0].event.tty == "linux");
  CHECK(r[0].event.from == "hobby");
  CHECK(r[0].time() == "1991-08-26T00:57:08Z");
  CHECK(r[1].event.action == LoginAction::boot);
  CHECK(r[1].time() == "2013-08-28T18:00:00Z");
}

// Regression (fuzz: last/session-length-overflow): a session length whose
// microseconds overflow is not read as a length; the crash then gives no
// end, as with no length at all.
TEST_CASE("last: absurd session length", "[login][last]") {
  SourceSpec src;
  src.host = "ws-lab1-07";
  LoginHarness h("last", "Europe/London", 2026, kNoTime, src);
  auto absurd = h.run(
      "bob      pts/0        198.51.100.23    Fri Apr 24 09:05:00 2026 - crash                 "
      "    (4422573096900:00)\n");
  auto none = h.run(
      "bob      pts/0        198.51.100.23    Fri Apr 24 09:05:00 2026 - crash                 "
      "    (xx:00)\n");
  REQUIRE(absurd.size() == 1);
  REQUIRE(none.size() == 1);
  CHECK(absurd[0].status == none[0].status);
  CHECK(absurd[0].time() == none[0].time());
  CHECK(absurd[0].event.open_end == none[0].event.open_end);
}

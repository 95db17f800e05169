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

}  // namespace

TEST_CASE("utmpdump: a session from login to logout", "[login][utmpdump]") {
  SourceSpec src;
  src.host = "ws-lab1-07";
  LoginHarness h("utmpdump", "UTC", 2026, kNoTime, src);
  auto all = h.run(
      "[2] [00000] [~~  ] [reboot  ] [~           ] [6.1.0-18-amd64      ] [0.0.0.0        ] "
      "[2026-04-23T07:00:01,250000+00:00]\n"
      "[7] [04859] [ts/0] [jdoe    ] [pts/0       ] [192.0.2.10          ] [192.0.2.10     ] "
      "[2026-04-23T15:19:00,123456+00:00]\n"
      "[8] [04859] [    ] [        ] [pts/0       ] [                    ] [0.0.0.0        ] "
      "[2026-04-23T17:01:12,000000+00:00]\n"
      "[1] [00000] [~~  ] [shutdown] [~           ] [6.1.0-18-amd64      ] [0.0.0.0        ] "
      "[2026-04-23T18:00:00,000000+00:00]\n");
  REQUIRE(all.size() == 4);
  CHECK(all[0].event.action == LoginAction::boot);
  CHECK(all[0].time() == "2026-04-23T07:00:01.250Z");
  const LoginEvent& in = all[1].event;
  CHECK(in.action == LoginAction::login);
  CHECK(in.user == "jdoe");
  CHECK(in.tty == "pts/0");
  CHECK(in.from == "192.0.2.10");
  CHECK(to_string(in.from_ip) == "192.0.2.10");
  CHECK(in.session_key == "pts/0");
  CHECK(in.place == LoginPlace::remote);
  CHECK(in.host == "ws-lab1-07");
  CHECK(all[1].time() == "2026-04-23T15:19:00.123456Z");
  CHECK(all[2].event.action == LoginAction::logout);
  CHECK(all[2].event.session_key == "pts/0");
  CHECK((all[2].event.time_flags & kHasFraction) == 0);  // ",000000"
  CHECK(all[2].time() == "2026-04-23T17:01:12Z");
  CHECK(all[3].event.action == LoginAction::shutdown);
}

TEST_CASE("utmpdump: IPv6, X displays, long fields", "[login][utmpdump]") {
  LoginHarness h("utmpdump");
  auto r = h.records(
      "[7] [04977] [ts/1] [asmith  ] [pts/1       ] [2001:db8:20:3::1a7  ] [2001:db8:20:3::1a7] "
      "[2026-04-23T15:40:00,654321+00:00]\n"
      "[7] [17058] [ts/1] [kerolasa] [pts/1       ] [:0.0                ] [0.0.0.0        ] "
      "[2026-04-23T23:44:09,000000+00:00]\n"
      "[7] [00013] [ts/1] [a.very.long.user.name] [pts/7       ] [laptop.example.org with "
      "spaces] [0.0.0.0        ] [2026-04-23T23:45:00,000000+00:00]\n");
  REQUIRE(r.size() == 3);
  CHECK(to_string(r[0].event.from_ip) == "2001:db8:20:3::1a7");
  CHECK(r[1].event.place == LoginPlace::local);
  CHECK_FALSE(r[1].event.has_from_ip);
  CHECK(r[2].event.user == "a.very.long.user.name");
  CHECK(r[2].event.from == "laptop.example.org with spaces");
  CHECK_FALSE(r[2].event.has_from_ip);
}

TEST_CASE("utmpdump: old time format and zones", "[login][utmpdump]") {
  LoginHarness h("utmpdump", "Europe/London", 2026);
  auto all = h.run(
      "[7] [00010] [ipv6] [IPv6    ] [root        ] [dns-server          ] [2001:503:ba3e::2:30] "
      "[Wed Aug 28 20:30:40 2013 GMT]\n"
      "[7] [00011] [ts/1] [jdoe    ] [pts/1       ] [192.0.2.10          ] [192.0.2.10     ] "
      "[Thu Apr 23 16:19:00 2026 BST]\n"
      "[7] [00014] [long] [rick    ] [long        ] [never-gonna-logout  ] [0.0.0.0        ] "
      "[                            ]\n");
  REQUIRE(all.size() == 3);
  CHECK(all[0].time() == "2013-08-28T20:30:40Z");
  CHECK(to_string(all[0].event.from_ip) == "2001:503:ba3e::2:30");
  CHECK(all[1].time() == "2026-04-23T15:19:00Z");  // local (BST) in the source's zone
  CHECK(all[2].status == LineStatus::malformed);
  CHECK(all[2].reason == "record without a time (0)");
}

TEST_CASE("utmpdump: btmp dump, skipped types and malformed lines", "[login][utmpdump]") {
  LoginHarness b("utmpdump");
  b.file.path = "/cases/17/btmp.txt";
  auto failed = b.records(
      "[6] [09001] [    ] [admin   ] [ssh:notty   ] [203.0.113.66        ] [203.0.113.66   ] "
      "[2026-04-23T03:12:00,000000+00:00]\n");
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].event.action == LoginAction::failed);
  CHECK(failed[0].event.service == "sshd");

  LoginHarness h("utmpdump");
  auto all = h.run(
      "[6] [00702] [tty1] [LOGIN   ] [tty1        ] [                    ] [0.0.0.0        ] "
      "[2026-04-23T07:00:06,118000+00:00]\n"
      "[4] [00000] [    ] [date    ] [|           ] [                    ] [0.0.0.0        ] "
      "[2026-04-24T10:00:00,000000+00:00]\n"
      "[1] [00053] [~~  ] [runlevel] [~           ] [6.1.0-18-amd64      ] [0.0.0.0        ] "
      "[2026-04-23T07:00:05,004211+00:00]\n"
      "[12] [00702] [tty1] [LOGIN   ] [tty1        ] [                    ] [0.0.0.0        ] "
      "[2026-04-23T07:00:06,118000+00:00]\n"
      "[7] [00702] [tty1] [root    ] [tty1        ] [                    ] [0.0.0.0        ] "
      "[2026-04-23 7:00]\n"
      "[7] [00702] [tty1]\n"
      "Apr 23 16:19:00 gw sshd[99]: Accepted publickey for root from 10.0.0.1 port 22 ssh2\n");
  REQUIRE(all.size() == 7);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].time() == "2026-04-23T07:00:06.118Z");
  CHECK(all[1].reason == "system clock change (OLD_TIME/NEW_TIME)");
  CHECK(all[2].reason == "run level change");
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[3].reason == "utmpdump line: type is not 0-9");
  CHECK(all[4].reason == "utmpdump line: bad time");
  CHECK(all[5].reason == "utmpdump line: too few fields");
  CHECK(all[6].status == LineStatus::malformed);
  CHECK(all[6].reason ==
        "not a utmpdump line ([type] [pid] [id] [user] [line] [host] [addr] [time])");
}

TEST_CASE("utmpdump: sniff", "[login][utmpdump]") {
  const char* why = "";
  auto& f = formats::utmpdump_format();
  CHECK(f.sniff("[7] [04859] [ts/0] [jdoe    ] [pts/0       ] [192.0.2.10          ] "
                "[192.0.2.10     ] [2026-04-23T15:19:00,123456+00:00]\n",
                &why) >= 90);
  CHECK(f.sniff("Apr 23 16:19:00 gw sshd[99]: Accepted publickey for root\n", &why) == 0);
  CHECK(f.sniff("jdoe     pts/0        192.0.2.10       Thu Apr 23 15:19:00 2026 - Thu Apr 23 "
                "17:01:12 2026  (01:42)\n",
                &why) == 0);
  Family login = Family::login;
  auto s = sniff_format(test::read_sample("testdata/login/utmpdump/wtmp.txt"), &login);
  REQUIRE(s.format);
  CHECK(s.format->name == "utmpdump");
}

TEST_CASE("utmpdump: the testdata samples", "[login][utmpdump]") {
  LoginHarness h("utmpdump");
  auto all = h.run(test::read_sample("testdata/login/utmpdump/wtmp.txt"));
  REQUIRE(all.size() == 18);
  CHECK(count(all, LineStatus::malformed) == 0);
  CHECK(count(all, LoginAction::login) == 6);
  CHECK(count(all, LoginAction::logout) == 4);
  CHECK(count(all, LoginAction::boot) == 3);
  CHECK(count(all, LoginAction::shutdown) == 1);
  CHECK(all[14].event.from == "lab-gw.example.org");
  CHECK(to_string(all[14].event.from_ip) == "203.0.113.5");
  LoginHarness b("utmpdump");
  b.file.path = "testdata/login/utmpdump/btmp.txt";
  auto failed = b.run(test::read_sample("testdata/login/utmpdump/btmp.txt"));
  REQUIRE(failed.size() == 4);
  CHECK(count(failed, LoginAction::failed) == 4);
}

TEST_CASE("utmpdump: corpus", "[login][utmpdump][corpus]") {
  struct Expect {
    const char* file;
    size_t lines, logins, logouts, boots, shutdowns, skipped, malformed;
  };
  const Expect expect[] = {
      {"txt-a", 19, 3, 3, 3, 2, 7, 1},       {"txt-a-old", 19, 3, 3, 3, 2, 7, 1},
      {"txt-b", 10, 6, 4, 0, 0, 0, 0},       {"txt-ipv6", 2, 1, 1, 0, 0, 0, 0},
      {"txt-ipv6-old", 2, 1, 1, 0, 0, 0, 0}, {"utmpdump-subsecond", 4, 1, 1, 0, 0, 1, 1},
  };
  for (const auto& e : expect) {
    INFO(e.file);
    auto text = test::read_corpus(std::string("login-utmpdump-text/") + e.file);
    if (!text) return;
    const char* why = "";
    CHECK(formats::utmpdump_format().sniff(*text, &why) >= 60);
    LoginHarness h("utmpdump");
    auto all = h.run(*text);
    CHECK(all.size() == e.lines);
    CHECK(count(all, LoginAction::login) == e.logins);
    CHECK(count(all, LoginAction::logout) == e.logouts);
    CHECK(count(all, LoginAction::boot) == e.boots);
    CHECK(count(all, LoginAction::shutdown) == e.shutdowns);
    CHECK(count(all, LineStatus::skip) == e.skipped);
    CHECK(count(all, LineStatus::malformed) == e.malformed);
    for (const auto& o : all)
      if (o.status == LineStatus::malformed)
        CHECK((o.reason == "record without a time (0)" ||
               o.reason ==
                   "not a utmpdump line ([type] [pid] [id] [user] [line] [host] [addr] [time])"));
  }
  auto sub = test::read_corpus("login-utmpdump-text/utmpdump-subsecond");
  if (!sub) return;
  LoginHarness h("utmpdump");
  auto r = h.records(*sub);
  REQUIRE(r.size() == 2);
  CHECK(r[0].time() == "2013-08-28T20:30:40.123456Z");
  CHECK(r[1].time() == "2013-08-28T20:40:50.999999Z");
  CHECK(to_string(r[0].event.from_ip) == "2001:503:ba3e::2:30");
}

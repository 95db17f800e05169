#include "tracekit/login.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using namespace std::chrono_literals;

namespace {

Instant at(std::string_view s) {
  Instant t;
  std::string err;
  if (!parse_query_time(s, nullptr, t, err)) throw std::runtime_error(err);
  return t;
}

struct Builder {
  LoginStore store;
  uint64_t line = 0;
  LoginEvent make(LoginAction a, const char* user, const char* key, const char* time,
                  const char* host = "ws-lab1-07") {
    LoginEvent e;
    e.action = a;
    e.user = user;
    e.session_key = key;
    e.time = at(time);
    e.host = host;
    e.service = "sshd";
    e.first_line = ++line;
    return e;
  }
  void add(const LoginEvent& e) { store.add(e, 0, 0, ""); }
  void ev(LoginAction a, const char* user, const char* key, const char* time) {
    add(make(a, user, key, time));
  }
  LoginAnswer ask_in(const char* from, const char* to, const char* key, const char* time,
                     Micros skew = 0s) {
    LoginKey k;
    std::string err;
    REQUIRE(parse_login_key(key, k, err));
    Coverage c;
    c.spans.push_back({at(from), at(to)});
    return match_logins(store.find(k), at(time), skew, c);
  }
  LoginAnswer ask(const char* key, const char* time, Micros skew = 0s,
                  const char* log_end = "2026-04-24T00:00:00Z") {
    return ask_in("2026-04-23T00:00:00Z", log_end, key, time, skew);
  }
};

}  // namespace

TEST_CASE("login: a login and its logout by session key make one session", "[login]") {
  Builder b;
  b.ev(LoginAction::login, "jdoe", "4242", "2026-04-23T15:00:00Z");
  b.ev(LoginAction::login, "jdoe", "4242", "2026-04-23T15:00:01Z");  // pam session opened
  b.ev(LoginAction::logout, "", "4242", "2026-04-23T16:00:00Z");
  b.store.build({kNoTime});
  REQUIRE(b.store.sessions().size() == 1);
  const auto& s = b.store.sessions()[0];
  CHECK(s.user == "jdoe");
  CHECK(s.events.size() == 3);
  CHECK(s.end == at("2026-04-23T16:00:00Z"));
  CHECK(s.end_kind == LoginSessionRec::EndKind::logout);
  auto a = b.ask("WS-LAB1-07.corp.example", "2026-04-23T15:30:00Z");
  REQUIRE(a.kind == MatchKind::exact);
  CHECK(a.candidates[0].front()->user == "jdoe");
  CHECK(b.ask("ws-lab1-07", "2026-04-23T16:00:00Z").kind == MatchKind::none);
}

TEST_CASE("login: a reboot ends every session open on the host", "[login]") {
  Builder b;
  b.ev(LoginAction::login, "jdoe", "pts/0", "2026-04-23T09:00:00Z");
  b.ev(LoginAction::login, "asmith", "tty1", "2026-04-23T10:00:00Z");
  b.add(b.make(LoginAction::boot, "reboot", "~", "2026-04-23T12:00:00Z"));
  b.add(b.make(LoginAction::login, "jdoe", "pts/0", "2026-04-23T12:05:00Z", "other-host"));
  b.store.build({kNoTime});
  auto ss = b.store.sessions();
  REQUIRE(ss.size() == 3);
  CHECK(ss[0].end == at("2026-04-23T12:00:00Z"));
  CHECK(ss[0].end_kind == LoginSessionRec::EndKind::boot);
  CHECK(ss[1].end_kind == LoginSessionRec::EndKind::boot);
  CHECK(ss[2].end_kind == LoginSessionRec::EndKind::open);  // another host's session
  CHECK(b.ask("ws-lab1-07", "2026-04-23T11:00:00Z").kind == MatchKind::ambiguous);
  CHECK(b.ask("ws-lab1-07", "2026-04-23T13:00:00Z").kind == MatchKind::none);
}

TEST_CASE("login: a reused pid without a logout ends the earlier session", "[login]") {
  Builder b;
  b.ev(LoginAction::login, "jdoe", "777", "2026-04-23T09:00:00Z");
  b.ev(LoginAction::login, "asmith", "777", "2026-04-23T11:00:00Z");
  b.ev(LoginAction::logout, "asmith", "777", "2026-04-23T11:30:00Z");
  b.store.build({kNoTime});
  auto ss = b.store.sessions();
  REQUIRE(ss.size() == 2);
  CHECK(ss[0].user == "jdoe");
  CHECK(ss[0].end == at("2026-04-23T11:00:00Z"));
  CHECK(ss[0].end_kind == LoginSessionRec::EndKind::reused);
  CHECK(ss[1].user == "asmith");
  CHECK(ss[1].end == at("2026-04-23T11:30:00Z"));
  auto a = b.ask("ws-lab1-07", "2026-04-23T11:15:00Z");
  REQUIRE(a.kind == MatchKind::exact);
  CHECK(a.candidates[0].front()->user == "asmith");
}

TEST_CASE("login: a login with no end is open-ended; a logout with no login starts at its file",
          "[login]") {
  Builder b;
  b.ev(LoginAction::logout, "jdoe", "pts/3", "2026-04-23T08:30:00Z");
  b.ev(LoginAction::login, "asmith", "pts/4", "2026-04-23T09:00:00Z");
  b.store.build({at("2026-04-23T08:00:00Z")});
  auto ss = b.store.sessions();
  REQUIRE(ss.size() == 2);
  CHECK(ss[0].start == at("2026-04-23T08:00:00Z"));
  CHECK(ss[0].start_from_file);
  CHECK(ss[1].end == kForever);
  CHECK(ss[1].end_kind == LoginSessionRec::EndKind::open);
  CHECK(b.ask("ws-lab1-07", "2026-04-23T20:00:00Z").kind == MatchKind::exact);
}

TEST_CASE("login: a logout in a DST fold leaves the hour between its readings in doubt",
          "[login][dst]") {
  // Europe/London, 25 October 2026: 01:30 happened at 00:30Z (BST) and at
  // 01:30Z (GMT). alice's logout at 01:30 was read the first way.
  Builder b;
  // Sessions far from the times asked are dropped as they close: not one
  // whose other reading comes near.
  b.store.set_windows({{at("2026-10-25T01:10:00Z"), at("2026-10-25T01:40:00Z")}});
  b.ev(LoginAction::login, "alice", "tty7", "2026-10-24T22:05:00Z");
  b.ev(LoginAction::login, "bob", "2301", "2026-10-24T23:55:00Z");
  LoginEvent out = b.make(LoginAction::logout, "alice", "tty7", "2026-10-25T00:30:00Z");
  out.time_flags = kLocalAmbiguous;
  b.add(out);
  b.ev(LoginAction::logout, "bob", "2301", "2026-10-25T03:00:00Z");
  b.store.build({kNoTime});
  auto ask = [&](const char* time) {
    return b.ask_in("2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", "ws-lab1-07", time);
  };
  // Before either reading alice was there for sure: two users, no doubt.
  auto a = ask("2026-10-25T00:10:00Z");
  CHECK(a.kind == MatchKind::ambiguous);
  CHECK(a.candidates.size() == 2);
  CHECK(a.caveat.empty());
  // Between the readings she may have been: not bob alone.
  a = ask("2026-10-25T01:10:00Z");
  CHECK(a.kind == MatchKind::ambiguous);
  REQUIRE(a.candidates.size() == 2);
  CHECK_THAT(a.caveat, Catch::StartsWith("alice's session has a start or end in a DST fold"));
  // After both readings: bob alone.
  a = ask("2026-10-25T01:40:00Z");
  CHECK(a.kind == MatchKind::exact);
  CHECK(a.caveat.empty());
  // A Stop record giving the session's length: its start moves with its time.
  Builder stop;
  LoginEvent st = stop.make(LoginAction::logout, "dave", "acct-1", "2026-10-25T00:30:00Z");
  st.start = at("2026-10-25T00:10:00Z");
  st.time_flags = kLocalAmbiguous;
  stop.add(st);
  stop.store.build({kNoTime});
  REQUIRE(stop.store.sessions().size() == 1);
  CHECK(stop.store.sessions()[0].start_alt == at("2026-10-25T01:10:00Z"));
  CHECK(stop.ask_in("2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", "ws-lab1-07",
                    "2026-10-25T00:15:00Z")
            .kind == MatchKind::ambiguous);
  // A line after the logout, read the second way (01:05 = 01:05Z, the log
  // went back), shows the logout came before 01:05Z: its reading is settled.
  Builder settled;
  settled.ev(LoginAction::login, "alice", "tty7", "2026-10-24T22:05:00Z");
  settled.ev(LoginAction::login, "bob", "2301", "2026-10-24T23:55:00Z");
  settled.add(out);
  LoginEvent back = settled.make(LoginAction::logout, "bob", "2301", "2026-10-25T01:05:00Z");
  back.time_flags = kLocalAmbiguous | kLocalLaterReading;
  back.first_line = out.first_line + 1;
  settled.add(back);
  settled.store.build({kNoTime});
  a = settled.ask_in("2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", "ws-lab1-07",
                     "2026-10-25T00:45:00Z");
  CHECK(a.kind == MatchKind::exact);
  CHECK(a.candidates[0][0]->user == "bob");
  CHECK(a.caveat.empty());
  // The same when that line is no event of the store's (another host's
  // line, or one read for its time only): the scan's mark of it settles.
  Builder marked;
  marked.ev(LoginAction::login, "alice", "tty7", "2026-10-24T22:05:00Z");
  marked.ev(LoginAction::login, "bob", "2301", "2026-10-24T23:55:00Z");
  marked.add(out);
  std::vector<FoldMark> marks{{0, out.first_line + 1, at("2026-10-25T01:05:00Z")}};
  marked.store.build({kNoTime}, marks);
  a = marked.ask_in("2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", "ws-lab1-07",
                    "2026-10-25T00:45:00Z");
  CHECK(a.kind == MatchKind::exact);
  CHECK(a.caveat.empty());
  // (A mark in another file settles nothing.)
  Builder other;
  other.ev(LoginAction::login, "alice", "tty7", "2026-10-24T22:05:00Z");
  other.ev(LoginAction::login, "bob", "2301", "2026-10-24T23:55:00Z");
  other.add(out);
  marks[0].file = 1;
  other.store.build({kNoTime}, marks);
  CHECK(other
            .ask_in("2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", "ws-lab1-07",
                    "2026-10-25T00:45:00Z")
            .kind == MatchKind::ambiguous);
  // Read the later way (the log went back), the earlier is ruled out: no doubt.
  Builder later;
  LoginEvent in = later.make(LoginAction::login, "carol", "tty2", "2026-10-25T01:20:00Z");
  in.time_flags = kLocalAmbiguous | kLocalLaterReading;
  later.add(in);
  later.store.build({kNoTime});
  REQUIRE(later.store.sessions().size() == 1);
  CHECK(later.store.sessions()[0].start_alt == kNoTime);
  CHECK(later
            .ask_in("2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", "ws-lab1-07",
                    "2026-10-25T01:50:00Z")
            .kind == MatchKind::exact);
}

TEST_CASE("login: RADIUS interim update without a start, keyed by MAC and assigned address",
          "[login]") {
  Builder b;
  LoginEvent e = b.make(LoginAction::interim, "jdoe@example.org", "abc-1", "2026-04-23T15:10:00Z",
                        "192.0.2.2");
  e.start = at("2026-04-23T14:10:00Z");
  e.has_mac = parse_mac("00:11:22:33:44:55", e.mac);
  e.has_assigned_ip = parse_ip("10.80.1.9", e.assigned_ip);
  b.add(e);
  LoginEvent stop = e;
  stop.action = LoginAction::logout;
  stop.time = at("2026-04-23T16:00:00Z");
  stop.first_line = ++b.line;
  b.add(stop);
  b.store.build({kNoTime});
  REQUIRE(b.store.sessions().size() == 1);
  CHECK(b.store.sessions()[0].start == at("2026-04-23T14:10:00Z"));
  CHECK(b.ask("00-11-22-33-44-55", "2026-04-23T15:30:00Z").kind == MatchKind::exact);
  CHECK(b.ask("10.80.1.9", "2026-04-23T14:30:00Z").kind == MatchKind::exact);
  CHECK(b.ask("10.80.1.9", "2026-04-23T16:30:00Z").kind == MatchKind::none);
}

TEST_CASE("login: a whole-session record (last) with a crash end", "[login]") {
  Builder b;
  LoginEvent e = b.make(LoginAction::session, "jdoe", "pts/0", "2026-04-23T17:00:00Z");
  e.start = at("2026-04-23T15:00:00Z");
  e.end_how = "crash";
  b.add(e);
  b.store.build({kNoTime});
  REQUIRE(b.store.sessions().size() == 1);
  CHECK(b.store.sessions()[0].end_how == "crash");
  CHECK(b.ask("ws-lab1-07", "2026-04-23T16:00:00Z").kind == MatchKind::exact);
}

TEST_CASE("login: an end record naming another service still ends the session", "[login]") {
  Builder b;
  LoginEvent in = b.make(LoginAction::login, "jdoe", "0x3e7a1", "2026-04-23T09:00:00Z");
  in.service = "rdp";
  b.add(in);
  LoginEvent out = b.make(LoginAction::logout, "jdoe", "0x3e7a1", "2026-04-23T10:00:00Z");
  out.service = "";
  b.add(out);
  b.store.build({kNoTime});
  REQUIRE(b.store.sessions().size() == 1);
  CHECK(b.store.sessions()[0].end_kind == LoginSessionRec::EndKind::logout);
  CHECK(b.ask("ws-lab1-07", "2026-04-23T11:00:00Z").kind == MatchKind::none);
}

TEST_CASE("login: with query windows, sessions far from every window are dropped as they close",
          "[login]") {
  Builder b;
  b.store.set_windows({{at("2026-04-23T12:00:00Z"), at("2026-04-23T12:00:00Z")}});
  b.ev(LoginAction::login, "early", "pts/1", "2026-04-23T08:00:00Z");
  b.ev(LoginAction::logout, "early", "pts/1", "2026-04-23T09:00:00Z");  // before: dropped
  b.ev(LoginAction::login, "long", "pts/2", "2026-04-23T07:00:00Z");
  b.ev(LoginAction::login, "late", "pts/3", "2026-04-23T13:00:00Z");
  b.ev(LoginAction::logout, "late", "pts/3", "2026-04-23T14:00:00Z");    // after: dropped
  b.ev(LoginAction::logout, "long", "pts/2", "2026-04-23T15:00:00Z");    // spans: kept
  b.ev(LoginAction::logout, "orphan", "pts/4", "2026-04-23T16:00:00Z");  // start unknown: kept
  b.store.build({at("2026-04-23T06:00:00Z")});
  CHECK(b.store.dropped_sessions() == 2);
  REQUIRE(b.store.sessions().size() == 2);
  CHECK(b.store.sessions()[0].user == "orphan");
  CHECK(b.store.sessions()[0].start == at("2026-04-23T06:00:00Z"));
  CHECK(b.store.sessions()[1].user == "long");
  CHECK(b.store.event_count() == 3);  // only the kept sessions' events are held
  auto a = b.ask("ws-lab1-07", "2026-04-23T12:00:00Z");
  CHECK(a.kind == MatchKind::ambiguous);
}

TEST_CASE("login: past the records' end a session with no logout is a gap, shown",
          "[login][match]") {
  Builder b;
  b.ev(LoginAction::login, "jdoe", "4242", "2026-04-23T15:00:00Z");
  b.ev(LoginAction::login, "asmith", "4343", "2026-04-23T09:00:00Z");
  b.ev(LoginAction::logout, "", "4343", "2026-04-23T20:00:00Z");
  b.store.build({kNoTime});
  // The records end at 21:00: jdoe's session is open-ended up to then.
  const char* end = "2026-04-23T21:00:00Z";
  auto a = b.ask("WS-LAB1-07.corp.example", "2026-04-23T17:00:00Z", 0s, end);
  CHECK(a.kind == MatchKind::ambiguous);
  a = b.ask("WS-LAB1-07.corp.example", "2026-04-23T20:30:00Z", 0s, end);
  CHECK(a.kind == MatchKind::exact);
  a = b.ask("WS-LAB1-07.corp.example", "2026-04-23T22:00:00Z", 0s, end);
  CHECK(a.kind == MatchKind::gap);
  REQUIRE(a.candidates.size() == 1);
  CHECK(a.candidates[0].front()->user == "jdoe");
  CHECK(a.why.rfind("the logs end at 2026-04-23T21:00:00Z: a session with no logout", 0) == 0);
  // Before the records begin, a login within the skew after the time asked
  // is no gap: no end of it is in question there.
  Builder early;
  early.ev(LoginAction::login, "jdoe", "4242", "2026-04-23T00:00:05Z");
  early.store.build({kNoTime});
  a = early.ask("ws-lab1-07", "2026-04-22T23:59:58Z", 10s, end);
  CHECK(a.kind == MatchKind::exact);
}

TEST_CASE("login: a logout with no login after its host went down began after that",
          "[login][reboot]") {
  // The file begins at 06:00; the host rebooted at 12:00 and shut down at
  // 15:00. jdoe's login is in no file read.
  auto build = [](Builder& b) {
    b.add(b.make(LoginAction::boot, "reboot", "~", "2026-04-23T12:00:00Z"));
    b.add(b.make(LoginAction::shutdown, "shutdown", "~~", "2026-04-23T15:00:00Z"));
  };
  auto from_file = [](Builder& b, const LoginEvent& e) {
    b.store.add(e, 0, 0, "", at("2026-04-23T06:00:00Z"));
  };
  Builder b;
  build(b);
  from_file(b, b.make(LoginAction::logout, "jdoe", "pts/0", "2026-04-23T14:00:00Z"));
  // Written as the 15:00 shutdown killed it: it began before the shutdown,
  // and after the boot before that.
  from_file(b, b.make(LoginAction::logout, "asmith", "pts/1", "2026-04-23T15:01:00Z"));
  // On another host, which did not go down: from the file's first line.
  from_file(b, b.make(LoginAction::logout, "bob", "pts/2", "2026-04-23T14:00:00Z", "ws-lab1-08"));
  b.store.build({at("2026-04-23T06:00:00Z")});
  auto find = [&](const char* user) -> const LoginSessionRec& {
    for (const auto& s : b.store.sessions())
      if (s.user == user) return s;
    FAIL("no session of " << user);
    throw;
  };
  const auto& jdoe = find("jdoe");
  CHECK(jdoe.start == at("2026-04-23T12:00:00Z"));
  CHECK_FALSE(jdoe.start_from_file);
  REQUIRE(jdoe.start_after_down != LoginSessionRec::kNoEvent);
  CHECK(b.store.event(jdoe.start_after_down).action == LoginAction::boot);
  CHECK(find("asmith").start == at("2026-04-23T12:00:00Z"));
  const auto& bob = find("bob");
  CHECK(bob.start == at("2026-04-23T06:00:00Z"));
  CHECK(bob.start_from_file);
  // Before the boot jdoe was not there.
  CHECK(b.ask("ws-lab1-07", "2026-04-23T11:00:00Z").kind == MatchKind::none);
  CHECK(b.ask("ws-lab1-07", "2026-04-23T13:00:00Z").kind == MatchKind::ambiguous);
  auto a = b.ask("ws-lab1-07", "2026-04-23T14:30:00Z");
  REQUIRE(a.kind == MatchKind::exact);
  CHECK(a.candidates[0].front()->user == "asmith");
}

#include "tracekit/nat.h"

#include <fmt/format.h>
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

IpAddr ip(const char* s) {
  IpAddr a;
  REQUIRE(parse_ip(s, a));
  return a;
}

struct Builder {
  NatStore store;
  uint64_t line = 0;
  NatEvent make(NatAction a, const char* inside, uint16_t iport, const char* pub, uint16_t pport,
                const char* time, uint8_t proto = 6) {
    NatEvent e;
    e.action = a;
    e.inside_ip = ip(inside);
    e.inside_port = iport;
    e.public_ip = ip(pub);
    e.public_port = pport;
    e.proto = proto;
    e.time = at(time);
    e.first_line = ++line;
    return e;
  }
  void add(const NatEvent& e) { store.add(e, 0, 0); }
  void open(const char* inside, uint16_t iport, const char* pub, uint16_t pport, const char* time,
            uint8_t proto = 6) {
    add(make(NatAction::open, inside, iport, pub, pport, time, proto));
  }
  void close(const char* inside, uint16_t iport, const char* pub, uint16_t pport, const char* time,
             const char* start = nullptr, uint8_t proto = 6) {
    NatEvent e = make(NatAction::close, inside, iport, pub, pport, time, proto);
    if (start) e.start = at(start);
    add(e);
  }
  void build(Instant file_start = kNoTime) { store.build({NatTimeoutValues{}}, {file_start}); }
  NatAnswer ask(const char* pub, uint16_t port, const char* time, Micros skew = 0s,
                uint8_t proto = 0) {
    NatQueryKey k;
    k.ip = ip(pub);
    k.port = port;
    k.proto = proto;
    Coverage c;
    c.spans.push_back({at("2026-04-23T00:00:00Z"), at("2026-04-24T00:00:00Z")});
    return match_nat(store.for_public(k.ip, k.port), k, at(time), skew, c, 1h, false);
  }
  // The same, with the logs covering `c` only.
  NatAnswer ask_in(const Coverage& c, const char* pub, uint16_t port, const char* time,
                   Micros skew = 0s) {
    NatQueryKey k;
    k.ip = ip(pub);
    k.port = port;
    return match_nat(store.for_public(k.ip, k.port), k, at(time), skew, c, 1h, false);
  }
};

std::string inside_of(const NatCandidate& c) {
  return to_string(c.best->inside_ip);
}

}  // namespace

TEST_CASE("nat: build and teardown make one translation, exact inside it", "[nat]") {
  Builder b;
  b.open("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:18:00Z");
  b.close("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:20:00Z");
  b.build();
  REQUIRE(b.store.translations().size() == 1);
  const auto& t = b.store.translations()[0];
  CHECK(t.start == at("2026-04-23T15:18:00Z"));
  CHECK(t.end == at("2026-04-23T15:20:00Z"));
  CHECK(t.end_kind == NatTranslation::EndKind::stated);
  auto a = b.ask("192.0.2.7", 40123, "2026-04-23T15:19:00Z");
  REQUIRE(a.kind == MatchKind::exact);
  CHECK(inside_of(a.candidates[0]) == "10.0.0.5");
  CHECK(b.ask("192.0.2.7", 40124, "2026-04-23T15:19:00Z").kind == MatchKind::none);
  CHECK(b.ask("192.0.2.7", 40123, "2026-04-23T15:19:00Z", 0s, 17).kind == MatchKind::none);
  // Half-open: the teardown second itself belongs to nobody.
  CHECK(b.ask("192.0.2.7", 40123, "2026-04-23T15:20:00Z").kind == MatchKind::none);
}

TEST_CASE("nat: a port reused at the boundary is exact without skew, ambiguous within it",
          "[nat]") {
  Builder b;
  b.open("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:18:00Z");
  b.close("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:19:00Z");
  b.open("10.0.0.9", 40000, "192.0.2.7", 40123, "2026-04-23T15:19:00Z");
  b.close("10.0.0.9", 40000, "192.0.2.7", 40123, "2026-04-23T15:25:00Z");
  b.build();
  auto exact = b.ask("192.0.2.7", 40123, "2026-04-23T15:19:00Z");
  REQUIRE(exact.kind == MatchKind::exact);
  CHECK(inside_of(exact.candidates[0]) == "10.0.0.9");
  auto before = b.ask("192.0.2.7", 40123, "2026-04-23T15:18:59Z");
  REQUIRE(before.kind == MatchKind::exact);
  CHECK(inside_of(before.candidates[0]) == "10.0.0.5");
  auto skewed = b.ask("192.0.2.7", 40123, "2026-04-23T15:19:00Z", 5s);
  REQUIRE(skewed.kind == MatchKind::ambiguous);
  REQUIRE(skewed.candidates.size() == 2);
  CHECK(inside_of(skewed.candidates[0]) == "10.0.0.5");
  CHECK(inside_of(skewed.candidates[1]) == "10.0.0.9");
}

TEST_CASE("nat: a missing teardown ends at the protocol's idle timeout, said so", "[nat]") {
  Builder b;
  b.open("10.0.0.5", 5353, "192.0.2.7", 40123, "2026-04-23T15:18:00Z", 17);
  b.build();
  REQUIRE(b.store.translations().size() == 1);
  const auto& t = b.store.translations()[0];
  CHECK(t.end_kind == NatTranslation::EndKind::assumed);
  CHECK(t.assumed_timeout == 2min);
  CHECK(t.end == at("2026-04-23T15:20:00Z"));
  CHECK(b.ask("192.0.2.7", 40123, "2026-04-23T15:19:59Z").kind == MatchKind::exact);
  CHECK(b.ask("192.0.2.7", 40123, "2026-04-23T15:20:01Z").kind == MatchKind::none);
}

TEST_CASE("nat: an idle-timeout end: a caveat in a silence, a gap past the log", "[nat]") {
  Builder b;
  b.open("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:18:00Z");  // tcp: 1h assumed
  b.build();
  Coverage c;
  c.spans.push_back({at("2026-04-23T00:00:00Z"), at("2026-04-23T15:30:00Z")});
  c.spans.push_back({at("2026-04-23T16:30:00Z"), at("2026-04-24T00:00:00Z")});
  auto ask = [&](const char* time, Micros skew) {
    return b.ask_in(c, "192.0.2.7", 40123, time, skew);
  };
  CHECK(ask("2026-04-23T15:20:00Z", 0s).kind == MatchKind::exact);
  // In the silence its teardown, and the port's next build, could be lost:
  // the answer says so.
  auto quiet = ask("2026-04-23T16:00:00Z", 0s);
  CHECK(quiet.kind == MatchKind::exact);
  CHECK_THAT(quiet.caveat, Catch::StartsWith("no log lines from 2026-04-23T15:30:00Z"));
  CHECK_THAT(quiet.caveat, Catch::Contains("assumed to last its idle timeout"));
  // Past the log's end: a gap, the candidate shown.
  c.spans.pop_back();
  auto after = ask("2026-04-23T16:00:00Z", 0s);
  CHECK(after.kind == MatchKind::gap);
  REQUIRE(after.candidates.size() == 1);
  CHECK(inside_of(after.candidates[0]) == "10.0.0.5");
  CHECK_THAT(after.why, Catch::StartsWith("the logs end at 2026-04-23T15:30:00Z"));
  // A window reaching into the silence, with the time asked in the log: exact.
  CHECK(ask("2026-04-23T15:29:55Z", 10s).kind == MatchKind::exact);
  // Before the log's first line, a build within the skew after the time
  // asked: exact, its assumed end not in question.
  Coverage late;
  late.spans.push_back({at("2026-04-23T15:18:00Z"), at("2026-04-24T00:00:00Z")});
  auto before = b.ask_in(late, "192.0.2.7", 40123, "2026-04-23T15:17:55Z", 10s);
  CHECK(before.kind == MatchKind::exact);
  CHECK(before.caveat.empty());
}

TEST_CASE("nat: the same mapping built again ends the first at the second build", "[nat]") {
  Builder b;
  b.open("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:18:00Z");
  b.open("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:18:30Z");
  b.close("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:19:30Z");
  b.build();
  REQUIRE(b.store.translations().size() == 2);
  CHECK(b.store.translations()[0].end == at("2026-04-23T15:18:30Z"));
  CHECK(b.store.translations()[0].end_kind == NatTranslation::EndKind::assumed);
  CHECK(b.store.translations()[1].end_kind == NatTranslation::EndKind::stated);
  // One host twice is one candidate.
  CHECK(b.ask("192.0.2.7", 40123, "2026-04-23T15:18:30Z", 10s).kind == MatchKind::exact);
}

TEST_CASE("nat: teardown logged before its build after a clock step back", "[nat]") {
  Builder b;
  b.open("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:18:05Z");
  b.close("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:18:02Z");
  b.build();
  REQUIRE(b.store.translations().size() == 1);
  const auto& t = b.store.translations()[0];
  CHECK(t.clock_backwards);
  CHECK(t.start == at("2026-04-23T15:18:02Z"));
  CHECK(t.end == at("2026-04-23T15:18:05Z"));
  CHECK(b.ask("192.0.2.7", 40123, "2026-04-23T15:18:03Z").kind == MatchKind::exact);
}

TEST_CASE("nat: a teardown whose build came before the log starts from its duration or file",
          "[nat]") {
  Builder b;
  b.close("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:20:00Z", "2026-04-23T15:10:00Z");
  b.close("10.0.0.6", 1000, "192.0.2.7", 40200, "2026-04-23T15:20:00Z");
  b.build(at("2026-04-23T15:00:00Z"));
  auto ts = b.store.translations();
  REQUIRE(ts.size() == 2);
  CHECK(ts[0].start == at("2026-04-23T15:00:00Z"));
  CHECK(ts[0].start_from_file);
  CHECK(ts[1].start == at("2026-04-23T15:10:00Z"));
  CHECK_FALSE(ts[1].start_from_file);
  CHECK(b.ask("192.0.2.7", 40123, "2026-04-23T15:09:00Z").kind == MatchKind::none);
  CHECK(b.ask("192.0.2.7", 40123, "2026-04-23T15:11:00Z").kind == MatchKind::exact);
}

TEST_CASE("nat: static and dynamic translations overlapping are both candidates", "[nat]") {
  Builder b;
  NatEvent st = b.make(NatAction::open, "10.0.0.20", 0, "192.0.2.7", 0, "2026-04-23T08:00:00Z", 0);
  st.is_static = true;
  b.add(st);
  b.open("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:18:00Z");
  b.close("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:20:00Z");
  b.build();
  auto a = b.ask("192.0.2.7", 40123, "2026-04-23T15:19:00Z");
  CHECK(a.kind == MatchKind::ambiguous);
  CHECK(a.candidates.size() == 2);
  // Another port: only the static one (which covers every port).
  auto other = b.ask("192.0.2.7", 443, "2026-04-23T15:19:00Z");
  REQUIRE(other.kind == MatchKind::exact);
  CHECK(inside_of(other.candidates[0]) == "10.0.0.20");
  CHECK(other.candidates[0].best->end_kind == NatTranslation::EndKind::open);
  // Past the log's end (the coverage ends at midnight): the static mapping
  // may have been removed since; shown, as a gap.
  NatQueryKey k;
  k.ip = ip("192.0.2.7");
  k.port = 443;
  Coverage c;
  c.spans.push_back({at("2026-04-23T00:00:00Z"), at("2026-04-24T00:00:00Z")});
  auto after =
      match_nat(b.store.for_public(k.ip, k.port), k, at("2026-04-24T03:00:00Z"), 0s, c, 1h, false);
  CHECK(after.kind == MatchKind::gap);
  CHECK(after.candidates.size() == 1);
  CHECK_THAT(after.why, Catch::Contains("static translation"));
}

TEST_CASE("nat: a port in a CGNAT port block belongs to its subscriber while allocated", "[nat]") {
  Builder b;
  NatEvent alloc =
      b.make(NatAction::block_open, "100.64.1.9", 0, "192.0.2.7", 2048, "2026-04-23T10:00:00Z", 0);
  alloc.block_end = 2175;
  b.add(alloc);
  NatEvent rel = alloc;
  rel.action = NatAction::block_close;
  rel.time = at("2026-04-23T18:00:00Z");
  rel.first_line = ++b.line;
  b.add(rel);
  b.build();
  REQUIRE(b.store.translations().size() == 1);
  CHECK(b.store.translations()[0].block);
  CHECK(b.ask("192.0.2.7", 2100, "2026-04-23T15:19:00Z").kind == MatchKind::exact);
  CHECK(b.ask("192.0.2.7", 2175, "2026-04-23T15:19:00Z").kind == MatchKind::exact);
  CHECK(b.ask("192.0.2.7", 2176, "2026-04-23T15:19:00Z").kind == MatchKind::none);
  CHECK(b.ask("192.0.2.7", 2100, "2026-04-23T18:00:00Z").kind == MatchKind::none);
}

TEST_CASE("nat: a port block never released is open only as far as the logs go", "[nat]") {
  Builder b;
  NatEvent alloc =
      b.make(NatAction::block_open, "100.64.1.9", 0, "192.0.2.7", 2048, "2026-04-23T10:00:00Z", 0);
  alloc.block_end = 2175;
  b.add(alloc);
  b.build();
  REQUIRE(b.store.translations().size() == 1);
  CHECK(b.store.translations()[0].end_kind == NatTranslation::EndKind::open);
  // Inside the logs' coverage (the whole day): its subscriber's.
  auto in = b.ask("192.0.2.7", 2100, "2026-04-23T15:19:00Z");
  CHECK(in.kind == MatchKind::exact);
  // After the logs end: it may have been released and reallocated since;
  // the subscriber is still shown, as a gap.
  auto after = b.ask("192.0.2.7", 2100, "2026-04-24T06:00:00Z");
  CHECK(after.kind == MatchKind::gap);
  REQUIRE(after.candidates.size() == 1);
  CHECK(inside_of(after.candidates[0]) == "100.64.1.9");
  CHECK(after.why.find("may have been released") != std::string::npos);
}

TEST_CASE("nat: without a port every inside host in the window, ambiguous unless one", "[nat]") {
  Builder b;
  b.open("10.0.0.5", 1, "192.0.2.7", 40123, "2026-04-23T15:18:00Z");
  b.close("10.0.0.5", 1, "192.0.2.7", 40123, "2026-04-23T15:20:00Z");
  b.open("10.0.0.5", 2, "192.0.2.7", 40124, "2026-04-23T15:18:30Z");
  b.close("10.0.0.5", 2, "192.0.2.7", 40124, "2026-04-23T15:20:00Z");
  b.build();
  CHECK(b.ask("192.0.2.7", 0, "2026-04-23T15:19:00Z").kind == MatchKind::exact);
  b.open("10.0.0.6", 3, "192.0.2.7", 40125, "2026-04-23T15:18:45Z");
  b.build();
  CHECK(b.ask("192.0.2.7", 0, "2026-04-23T15:19:00Z").kind == MatchKind::ambiguous);
}

TEST_CASE("nat: no candidate where the log does not reach is a gap", "[nat]") {
  Builder b;
  b.open("10.0.0.5", 1, "192.0.2.7", 40123, "2026-04-23T15:18:00Z");
  b.build();
  NatQueryKey k;
  k.ip = ip("192.0.2.7");
  k.port = 40123;
  Coverage c;
  c.spans.push_back({at("2026-04-23T15:00:00Z"), at("2026-04-23T16:00:00Z")});
  auto late = match_nat(b.store.for_public(k.ip), k, at("2026-04-23T17:00:00Z"), 0s, c, 1h, false);
  CHECK(late.kind == MatchKind::gap);
  CHECK(late.why.find("the logs end at") != std::string::npos);
  // Covered, but the logs start less than an idle timeout before the time.
  auto early = match_nat(b.store.for_public(k.ip), k, at("2026-04-23T15:10:00Z"), 0s, c, 1h, false);
  CHECK(early.kind == MatchKind::gap);
}

TEST_CASE("nat: reverse query finds the public address and port an inside host used", "[nat]") {
  Builder b;
  b.open("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:18:00Z");
  b.close("10.0.0.5", 51234, "192.0.2.7", 40123, "2026-04-23T15:20:00Z");
  b.build();
  NatQueryKey k;
  k.ip = ip("10.0.0.5");
  Coverage c;
  c.spans.push_back({at("2026-04-23T00:00:00Z"), at("2026-04-24T00:00:00Z")});
  auto a = match_nat(b.store.for_inside(k.ip), k, at("2026-04-23T15:19:00Z"), 0s, c, 1h, true);
  REQUIRE(a.kind == MatchKind::exact);
  CHECK(to_string(a.candidates[0].best->public_ip) == "192.0.2.7");
  CHECK(a.candidates[0].best->public_port == 40123);
}

TEST_CASE("nat: with the times asked set, far translations are dropped as they stream in",
          "[nat]") {
  // Two stores fed the same 90000 events (past the first compaction): one
  // keeps everything, one only what meets the windows. Every translation
  // that meets a window must come out of both the same, evidence included,
  // and the windowed store must hold far fewer events.
  auto feed = [](NatStore& s) {
    Instant t0 = at("2026-04-23T00:00:00Z");
    uint64_t line = 0;
    for (int k = 0; k < 50000; ++k) {
      for (int half = 0; half < 2; ++half) {
        NatEvent e;
        e.public_ip = ip("192.0.2.7");
        e.public_port = uint16_t(40000 + k % 7);
        e.inside_ip = IpAddr::from_v4(0x0a000000u + uint32_t(k % 50));
        e.inside_port = uint16_t(50000 + k % 13);
        e.proto = 6;
        e.first_line = ++line;
        // Every fifth translation has no teardown: the next build on its
        // port ends it, or its idle timeout does.
        if (half == 1 && k % 5 == 0) continue;
        e.action = half == 0 ? NatAction::open : NatAction::close;
        e.time = t0 + std::chrono::seconds(3 * k + (half ? 2 : 0));
        s.add(e, 0, 0);
      }
    }
  };
  NatStore all, windowed;
  feed(all);
  std::vector<NatStore::Window> windows = {
      {ip("192.0.2.7"), 40003, {at("2026-04-23T10:00:00Z"), at("2026-04-23T10:00:20Z")}},
      {ip("192.0.2.7"), 0, {at("2026-04-23T15:00:00Z"), at("2026-04-23T15:00:01Z")}},
      {ip("192.0.2.7"), 40005, {at("2026-04-23T20:00:00Z"), at("2026-04-23T20:00:05Z")}}};
  windowed.set_windows(windows, false, {NatTimeoutValues{}});
  feed(windowed);
  all.build({NatTimeoutValues{}}, {kNoTime});
  windowed.build({NatTimeoutValues{}}, {kNoTime});
  CHECK(windowed.event_count() < all.event_count() / 10);
  auto meeting = [&](const NatStore& s, const NatStore::Window& w) {
    std::vector<std::string> out;
    for (const NatTranslation* t : s.for_public(w.ip, w.port)) {
      if (!(t->start <= w.span.to && t->end > w.span.from)) continue;
      std::string open = t->open_event == NatTranslation::kNoEvent
                             ? "-"
                             : std::to_string(s.event(t->open_event).ref.line);
      std::string close = t->close_event == NatTranslation::kNoEvent
                              ? "-"
                              : std::to_string(s.event(t->close_event).ref.line);
      out.push_back(fmt::format("{} {} {} {} {} {}", to_string(t->inside_ip), t->public_port,
                                t->start.time_since_epoch().count(),
                                t->end.time_since_epoch().count(), open, close));
    }
    return out;
  };
  for (const auto& w : windows) {
    auto want = meeting(all, w);
    CHECK_FALSE(want.empty());
    CHECK(meeting(windowed, w) == want);
  }
}

TEST_CASE("nat: builds that end each other within the idle timeout are never dropped apart",
          "[nat]") {
  // One mapping built again every 10 s with no teardown: each build ends the
  // one before (before its idle timeout), so no event can go without
  // changing a neighbour's end. All are kept, and the answers are the same.
  auto feed = [](NatStore& s) {
    Instant t0 = at("2026-04-23T00:00:00Z");
    for (int k = 0; k < 70000; ++k) {
      NatEvent e;
      e.action = NatAction::open;
      e.public_ip = ip("192.0.2.7");
      e.public_port = 40000;
      e.inside_ip = ip("10.0.0.1");
      e.inside_port = 50000;
      e.proto = 6;
      e.first_line = uint64_t(k + 1);
      e.time = t0 + std::chrono::seconds(10 * k);
      s.add(e, 0, 0);
    }
  };
  NatStore all, windowed;
  feed(all);
  NatStore::Window w{
      ip("192.0.2.7"), 40000, {at("2026-04-24T12:00:05Z"), at("2026-04-24T12:00:05Z")}};
  windowed.set_windows({w}, false, {NatTimeoutValues{}});
  feed(windowed);
  all.build({NatTimeoutValues{}}, {kNoTime});
  windowed.build({NatTimeoutValues{}}, {kNoTime});
  CHECK(windowed.event_count() == all.event_count());
  auto found = [&](const NatStore& s) {
    std::vector<std::pair<int64_t, int64_t>> out;
    for (const NatTranslation* t : s.for_public(w.ip, w.port))
      if (t->start <= w.span.to && t->end > w.span.from)
        out.emplace_back(t->start.time_since_epoch().count(), t->end.time_since_epoch().count());
    return out;
  };
  CHECK(found(all).size() == 1);
  CHECK(found(windowed) == found(all));
}

TEST_CASE("nat: translations kept across compactions come out whole and in log order", "[nat]") {
  // A compaction sets kept translations that have ended aside; the others
  // wait for their end in later events. Here A is built first and torn down
  // only after two compactions; B, built in the same second but logged after
  // A, ends at once and is set aside first; C has no teardown, and the same
  // mapping built (and torn down) again after two compactions ends it.
  // Built, the windowed store must hold A with its teardown and C ending at
  // that build (not ends assumed at the idle timeout), and list A before B,
  // as the store that keeps everything does.
  auto feed = [](NatStore& s) {
    const Instant t0 = at("2026-04-23T00:00:00Z");
    const IpAddr public_ip = ip("192.0.2.7");
    uint64_t line = 0;
    auto add = [&](NatAction action, uint16_t port, uint32_t inside, int second) {
      NatEvent e;
      e.action = action;
      e.public_ip = public_ip;
      e.public_port = port;
      e.inside_ip = IpAddr::from_v4(0x0a000000u + inside);
      e.inside_port = 50000;
      e.proto = 6;
      e.first_line = ++line;
      e.time = t0 + std::chrono::seconds(second);
      s.add(e, 0, 0);
    };
    auto filler = [&](int count, int from) {  // far from the windows: dropped
      for (int k = 0; k < count; ++k) {
        add(NatAction::open, uint16_t(20000 + k % 1000), 100 + uint32_t(k % 50), from + k);
        add(NatAction::close, uint16_t(20000 + k % 1000), 100 + uint32_t(k % 50), from + k + 1);
      }
    };
    add(NatAction::open, 40001, 1, 100);  // A
    add(NatAction::open, 40002, 2, 100);  // B
    add(NatAction::close, 40002, 2, 101);
    add(NatAction::open, 40003, 3, 100);  // C
    filler(40000, 5000);
    filler(40000, 50000);
    add(NatAction::close, 40001, 1, 1000);  // A, before its idle timeout
    add(NatAction::open, 40003, 3, 1200);   // C's mapping again, before its timeout
    add(NatAction::close, 40003, 3, 1300);
    filler(40000, 100000);
  };
  const Instant when = at("2026-04-23T00:01:40.500Z");
  NatStore all, windowed;
  feed(all);
  std::vector<NatStore::Window> windows;
  for (uint16_t port : {40001, 40002, 40003})
    windows.push_back({ip("192.0.2.7"), port, {when, when}});
  windowed.set_windows(windows, false, {NatTimeoutValues{}});
  feed(windowed);
  all.build({NatTimeoutValues{}}, {kNoTime});
  windowed.build({NatTimeoutValues{}}, {kNoTime});
  CHECK(windowed.event_count() < all.event_count() / 10);
  auto listed = [&](const NatStore& s) {
    std::vector<std::string> out;
    for (const NatTranslation* t : s.for_public(ip("192.0.2.7")))
      if (t->public_port > 40000)
        out.push_back(fmt::format("{} {} {} {} {} {}", t->public_port, to_string(t->inside_ip),
                                  t->start.time_since_epoch().count(),
                                  t->end.time_since_epoch().count(), int(t->end_kind),
                                  t->close_event == NatTranslation::kNoEvent
                                      ? uint64_t(0)
                                      : s.event(t->close_event).ref.line));
    return out;
  };
  const auto want = listed(all);
  REQUIRE(want.size() == 4);  // (and C's second build)
  CHECK(want[0].rfind("40001 10.0.0.1 ", 0) == 0);
  CHECK(want[0].find(fmt::format(" {} ", int(NatTranslation::EndKind::stated))) !=
        std::string::npos);
  CHECK(want[2] == fmt::format("40003 10.0.0.3 {} {} {} 0",
                               at("2026-04-23T00:01:40Z").time_since_epoch().count(),
                               at("2026-04-23T00:20:00Z").time_since_epoch().count(),
                               int(NatTranslation::EndKind::assumed)));
  CHECK(listed(windowed) == want);
}

TEST_CASE("nat: events are grouped by their key, not by its hash; their text is the store's",
          "[nat]") {
  // Sessions of two devices, tuple-paired translations, port reuse, a port
  // block and a static mapping, past the first compaction. The store built
  // with every event's hash the same (or only the port's) must give the
  // same translations, evidence and all, as with the real hash. The events'
  // text is written into one buffer that is overwritten after each add: the
  // store must have kept its own copy.
  std::string line;
  int count = 40000;
  auto feed = [&line, &count](NatStore& s) {
    Instant t0 = at("2026-04-23T00:00:00Z");
    uint64_t n = 0;
    auto add = [&](NatEvent e, int second, std::string_view device, std::string_view session) {
      line = fmt::format("line {} {} {}", ++n, device, session);
      e.device = std::string_view(line).substr(line.find(' ', 5) + 1, device.size());
      e.session_id = session.empty() ? std::string_view{}
                                     : std::string_view(line).substr(line.size() - session.size());
      e.raw = line;
      e.first_line = n;
      e.time = t0 + std::chrono::seconds(second);
      s.add(e, 0, 0);
      line.assign(line.size(), '#');
    };
    for (int k = 0; k < count; ++k) {
      NatEvent e;
      e.public_ip = ip(k % 3 ? "192.0.2.7" : "192.0.2.8");
      e.public_port = uint16_t(40000 + k % 11);
      e.inside_ip = IpAddr::from_v4(0x0a000000u + uint32_t(k % 37));
      e.inside_port = uint16_t(50000 + k % 17);
      e.proto = k % 4 ? 6 : 17;
      std::string id = k % 2 ? std::to_string(1000 + k % 500) : "";
      std::string_view device = k % 5 ? "fw01" : "fw02";
      e.action = NatAction::open;
      add(e, 2 * k, device, id);
      if (k % 7 == 3) continue;  // no teardown
      e.action = NatAction::close;
      add(e, 2 * k + 1 + k % 3, device, id);
    }
    NatEvent b;
    b.action = NatAction::block_open;
    b.public_ip = ip("192.0.2.9");
    b.public_port = 1024;
    b.block_end = 1535;
    b.inside_ip = ip("100.64.0.5");
    add(b, 100, "cgn", "");
    NatEvent st;
    st.action = NatAction::open;
    st.is_static = true;
    st.public_ip = ip("192.0.2.10");
    st.inside_ip = ip("10.9.9.9");
    add(st, 50, "fw01", "");
  };
  auto translations = [](NatStore& s) {
    std::vector<std::string> out;
    for (const NatTranslation& t : s.translations()) {
      std::string ev;
      for (uint32_t id : {t.open_event, t.close_event})
        ev += id == NatTranslation::kNoEvent
                  ? std::string(" -")
                  : fmt::format(" [{} {}]", s.event(id).raw, s.event(id).device);
      out.push_back(fmt::format("{} {} {}-{} {} {} {} {}{}", to_string(t.public_ip), t.public_port,
                                t.block_end, to_string(t.inside_ip),
                                t.start.time_since_epoch().count(),
                                t.end.time_since_epoch().count(), int(t.end_kind), t.device, ev));
    }
    return out;
  };
  std::vector<NatStore::Window> windows;
  for (int k = 0; k < 40000; k += 997)
    windows.push_back({ip(k % 3 ? "192.0.2.7" : "192.0.2.8"),
                       uint16_t(40000 + k % 11),
                       {at("2026-04-23T00:00:00Z") + std::chrono::seconds(2 * k),
                        at("2026-04-23T00:00:00Z") + std::chrono::seconds(2 * k)}});
  auto run = [&](uint64_t (*hash)(const StoredNatEvent&), bool windowed) {
    NatStore::set_pairing_hash_for_tests(hash);
    NatStore s;
    if (windowed) s.set_windows(windows, false, {NatTimeoutValues{}});
    feed(s);
    s.build({NatTimeoutValues{}}, {kNoTime});
    NatStore::set_pairing_hash_for_tests(nullptr);
    return translations(s);
  };
  // Past the first compaction, hashes that collide often; a few thousand
  // events, all of them colliding (every group then a split of one bucket).
  for (int n : {40000, 3000})
    for (bool windowed : {false, true}) {
      INFO(n << " translations, windowed " << windowed);
      count = n;
      auto real = run(nullptr, windowed);
      REQUIRE(!real.empty());
      CHECK(real.size() > size_t(windowed ? 10 : n * 3 / 4));
      CHECK(real.front().find("line ") != std::string::npos);
      CHECK(real.back().find('#') == std::string::npos);
      if (n < 10000)
        CHECK(run([](const StoredNatEvent&) { return uint64_t(7); }, windowed) == real);
      else
        // (A hash must be the same for events of one key: a session's
        // events share their id, not their ports.)
        CHECK(run(
                  [](const StoredNatEvent& e) {
                    return e.session_id.empty() ? uint64_t(e.public_port) : e.session_id.size();
                  },
                  windowed) == real);
    }
}

TEST_CASE("nat: a store moved while it compacts, and the store moved from, still add and build",
          "[nat]") {
  // 60000 translations past the first hand-offs (a compaction may be running
  // on its thread when the store moves). The moved store must give what a
  // store never moved gives; the one moved from must be empty and usable.
  auto feed = [](NatStore& s, int from, int to) {
    Instant t0 = at("2026-04-23T00:00:00Z");
    for (int k = from; k < to; ++k) {
      NatEvent e;
      e.public_ip = ip("192.0.2.7");
      e.public_port = uint16_t(40000 + k % 9);
      e.inside_ip = IpAddr::from_v4(0x0a000000u + uint32_t(k % 41));
      e.proto = 6;
      e.first_line = uint64_t(2 * k + 1);
      e.action = NatAction::open;
      e.time = t0 + std::chrono::seconds(2 * k);
      s.add(e, 0, 0);
      e.first_line = uint64_t(2 * k + 2);
      e.action = NatAction::close;
      e.time = t0 + std::chrono::seconds(2 * k + 1);
      s.add(e, 0, 0);
    }
  };
  std::vector<NatStore::Window> windows;
  for (int k = 0; k < 60000; k += 1009)
    windows.push_back({ip("192.0.2.7"),
                       uint16_t(40000 + k % 9),
                       {at("2026-04-23T00:00:00Z") + std::chrono::seconds(2 * k),
                        at("2026-04-23T00:00:00Z") + std::chrono::seconds(2 * k)}});
  auto listing = [](const NatStore& s) {
    std::vector<std::string> out;
    for (const NatTranslation& t : s.translations())
      out.push_back(fmt::format("{} {} {} {}", to_string(t.inside_ip), t.public_port,
                                t.start.time_since_epoch().count(),
                                s.event(t.open_event).ref.line));
    return out;
  };
  NatStore still;
  still.set_windows(windows, false, {NatTimeoutValues{}});
  feed(still, 0, 60000);
  still.build({NatTimeoutValues{}}, {kNoTime});
  const auto want = listing(still);
  CHECK(want.size() >= windows.size());

  NatStore first;
  first.set_windows(windows, false, {NatTimeoutValues{}});
  feed(first, 0, 20000);  // 40000 events: a hand-off at 32768
  NatStore moved(std::move(first));
  feed(moved, 20000, 60000);
  moved.build({NatTimeoutValues{}}, {kNoTime});
  CHECK(listing(moved) == want);

  // NOLINTNEXTLINE(bugprone-use-after-move): a store moved from is empty
  CHECK(first.event_count() == 0);
  feed(first, 0, 3);
  first.build({NatTimeoutValues{}}, {kNoTime});
  CHECK(first.translations().size() == 3);

  NatStore assigned;
  assigned.set_windows(windows, false, {NatTimeoutValues{}});
  feed(assigned, 0, 1000);
  assigned = std::move(moved);  // over a store with events of its own
  CHECK(listing(assigned) == want);
}

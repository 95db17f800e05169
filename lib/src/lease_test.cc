#include "tracekit/lease.h"

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
  LeaseStore store;
  uint64_t line = 0;
  void ev(DhcpAction a, const char* ip, const char* mac, const char* time, const char* host = "",
          uint8_t flags = 0) {
    DhcpEvent e;
    e.time_flags = flags;
    e.action = a;
    parse_ip(ip, e.ip);
    if (*mac) e.has_mac = parse_mac(mac, e.mac);
    e.time = at(time);
    e.host = host;
    e.first_line = ++line;
    store.add(e, 0, 0);
  }
  void db(const char* ip, const char* mac, const char* start, const char* end, bool over) {
    DhcpEvent e;
    e.action = DhcpAction::lease;
    parse_ip(ip, e.ip);
    e.has_mac = parse_mac(mac, e.mac);
    e.time = at(start);
    e.lease_end = at(end);
    e.ends_lease = over;
    e.first_line = ++line;
    store.add(e, 0, 0);
  }
  void build(Micros lt = 12h) {
    std::vector<Micros> v{lt};
    store.build(v);
  }
  std::vector<const Lease*> ip(const char* s) {
    IpAddr a;
    parse_ip(s, a);
    return store.for_ip(a);
  }
};

Coverage covering(const char* from, const char* to) {
  Coverage c;
  c.spans.push_back({at(from), at(to)});
  return c;
}

}  // namespace

TEST_CASE("lease: renewals by the same client extend one lease", "[lease]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T08:00:00Z", "ws1");
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T14:00:00Z", "ws1");
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T20:00:00Z", "ws1");
  b.build();
  auto l = b.ip("10.0.0.5");
  REQUIRE(l.size() == 1);
  CHECK(format_rfc3339(l[0]->start) == "2026-04-23T08:00:00Z");
  CHECK(format_rfc3339(l[0]->end) == "2026-04-24T08:00:00Z");  // last grant + 12h
  CHECK(l[0]->end_kind == Lease::EndKind::assumed);
  CHECK(l[0]->events.size() == 3);
  CHECK(l[0]->host == "ws1");
}

TEST_CASE("lease: a grant after the lease ran out starts a new one", "[lease]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T08:00:00Z");
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-24T09:00:00Z");
  b.build(1h);
  auto l = b.ip("10.0.0.5");
  REQUIRE(l.size() == 2);
  CHECK(format_rfc3339(l[0]->end) == "2026-04-23T09:00:00Z");
  CHECK(format_rfc3339(l[1]->start) == "2026-04-24T09:00:00Z");
}

TEST_CASE("lease: release ends it; another client's release does not", "[lease]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T08:00:00Z");
  b.ev(DhcpAction::release, "10.0.0.5", "aa:aa:aa:aa:aa:aa", "2026-04-23T09:00:00Z");
  b.ev(DhcpAction::release, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T10:00:00Z");
  b.build();
  auto l = b.ip("10.0.0.5");
  REQUIRE(l.size() == 1);
  CHECK(format_rfc3339(l[0]->end) == "2026-04-23T10:00:00Z");
  CHECK(l[0]->end_kind == Lease::EndKind::released);
  CHECK(l[0]->end_event == 2);
}

TEST_CASE("lease: the address moving to another client ends the first lease", "[lease]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T08:00:00Z", "ws1");
  b.ev(DhcpAction::ack, "10.0.0.5", "66:77:88:99:aa:bb", "2026-04-23T09:30:00Z", "ws2");
  b.build();
  auto l = b.ip("10.0.0.5");
  REQUIRE(l.size() == 2);
  CHECK(l[0]->host == "ws1");
  CHECK(format_rfc3339(l[0]->end) == "2026-04-23T09:30:00Z");
  CHECK(l[0]->end_kind == Lease::EndKind::reassigned);
  CHECK(l[1]->host == "ws2");
  CHECK(format_rfc3339(l[1]->start) == "2026-04-23T09:30:00Z");
}

TEST_CASE("lease: expiry, NAK and decline by the holder end it", "[lease]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.1", "00:00:00:00:00:01", "2026-04-23T08:00:00Z");
  b.ev(DhcpAction::expire, "10.0.0.1", "", "2026-04-23T09:00:00Z");
  b.ev(DhcpAction::ack, "10.0.0.2", "00:00:00:00:00:02", "2026-04-23T08:00:00Z");
  b.ev(DhcpAction::nak, "10.0.0.2", "00:00:00:00:00:02", "2026-04-23T09:00:00Z");
  b.ev(DhcpAction::ack, "10.0.0.3", "00:00:00:00:00:03", "2026-04-23T08:00:00Z");
  b.ev(DhcpAction::decline, "10.0.0.3", "00:00:00:00:00:03", "2026-04-23T08:00:01Z");
  b.build();
  CHECK(b.ip("10.0.0.1")[0]->end_kind == Lease::EndKind::expired);
  CHECK(b.ip("10.0.0.2")[0]->end_kind == Lease::EndKind::nak);
  CHECK(b.ip("10.0.0.3")[0]->end_kind == Lease::EndKind::declined);
}

TEST_CASE("lease: stated expiries from a lease database", "[lease]") {
  Builder b;
  // Active entry, then a renewal entry, then the entry written at release.
  b.db("10.0.0.9", "00:11:22:33:44:55", "2026-04-23T10:00:00Z", "2026-04-23T11:00:00Z", false);
  b.db("10.0.0.9", "00:11:22:33:44:55", "2026-04-23T10:30:00Z", "2026-04-23T11:30:00Z", false);
  b.db("10.0.0.9", "00:11:22:33:44:55", "2026-04-23T10:30:00Z", "2026-04-23T10:45:00Z", true);
  b.build();
  auto l = b.ip("10.0.0.9");
  REQUIRE(l.size() == 1);
  CHECK(format_rfc3339(l[0]->start) == "2026-04-23T10:00:00Z");
  CHECK(format_rfc3339(l[0]->end) == "2026-04-23T10:45:00Z");
  CHECK(l[0]->end_kind == Lease::EndKind::stated);
}

TEST_CASE("lease: lease_time 0 leaves a lease open until an event ends it", "[lease]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T08:00:00Z");
  b.build(0s);
  auto l = b.ip("10.0.0.5");
  REQUIRE(l.size() == 1);
  CHECK(l[0]->end == kForever);
  CHECK(l[0]->end_kind == Lease::EndKind::open);
}

TEST_CASE("match: exact, ambiguous within the skew, none, gap", "[lease][match]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T08:00:00Z", "ws1");
  b.ev(DhcpAction::ack, "10.0.0.5", "66:77:88:99:aa:bb", "2026-04-23T09:30:00Z", "ws2");
  b.ev(DhcpAction::release, "10.0.0.5", "66:77:88:99:aa:bb", "2026-04-23T10:00:00Z");
  b.build();
  auto leases = b.ip("10.0.0.5");
  Coverage cov = covering("2026-04-22T00:00:00Z", "2026-04-24T00:00:00Z");

  auto a = match_leases(leases, at("2026-04-23T09:00:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::exact);
  REQUIRE(a.leases.size() == 1);
  CHECK(a.leases[0]->host == "ws1");

  // 10 s before the hand-over with 30 s of skew: either client could be meant.
  a = match_leases(leases, at("2026-04-23T09:29:50Z"), 30s, cov, 12h, true);
  CHECK(a.kind == MatchKind::ambiguous);
  CHECK(a.leases.size() == 2);

  // Half-open: at the hand-over instant itself only the new client holds it.
  a = match_leases(leases, at("2026-04-23T09:30:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::exact);
  CHECK(a.leases[0]->host == "ws2");

  a = match_leases(leases, at("2026-04-23T12:00:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::none);

  a = match_leases(leases, at("2026-04-25T12:00:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::gap);
  CHECK(a.why == "the logs end at 2026-04-24T00:00:00Z");
}

TEST_CASE("match: no lease soon after the logs start is a gap, not none", "[lease][match]") {
  Builder b;
  b.build();
  Coverage cov = covering("2026-04-23T00:00:00Z", "2026-04-24T00:00:00Z");
  auto a = match_leases({}, at("2026-04-23T06:00:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::gap);
  CHECK(a.why.find("less than the lease time (12h)") != std::string::npos);
  a = match_leases({}, at("2026-04-23T13:00:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::none);
}

TEST_CASE("match: a lease whose end is assumed: a caveat in a silence, a gap past the log",
          "[lease][match]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T08:00:00Z", "ws1");
  b.ev(DhcpAction::ack, "10.0.0.6", "00:11:22:33:44:66", "2026-04-23T08:00:00Z", "ws6");
  b.ev(DhcpAction::release, "10.0.0.6", "00:11:22:33:44:66", "2026-04-23T17:00:00Z");
  b.build(12h);
  Coverage cov;
  cov.spans.push_back({at("2026-04-23T00:00:00Z"), at("2026-04-23T10:00:00Z")});
  cov.spans.push_back({at("2026-04-23T14:00:00Z"), at("2026-04-23T18:00:00Z")});
  // Inside the log: the assumed end stands (and says so in the hop's note).
  auto a = match_leases(b.ip("10.0.0.5"), at("2026-04-23T09:00:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::exact);
  CHECK(a.caveat.empty());
  // In a silence the release, or another grant, could be what is missing:
  // the answer says it depends on the silence.
  a = match_leases(b.ip("10.0.0.5"), at("2026-04-23T12:00:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::exact);
  CHECK(a.caveat.rfind("no log lines from 2026-04-23T10:00:00Z to 2026-04-23T14:00:00Z: a lease",
                       0) == 0);
  // Past the log's end nothing is known: a gap, the candidate shown.
  a = match_leases(b.ip("10.0.0.5"), at("2026-04-23T19:00:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::gap);
  REQUIRE(a.leases.size() == 1);
  CHECK(a.leases[0]->host == "ws1");
  CHECK(a.why.rfind("the logs end at 2026-04-23T18:00:00Z: a lease", 0) == 0);
  // A lease whose release is logged after the silence spans it as stated.
  a = match_leases(b.ip("10.0.0.6"), at("2026-04-23T12:00:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::exact);
  CHECK(a.caveat.empty());
  // Before the log's first line, a lease granted within the skew after the
  // time asked: its end is not what is in question.
  Builder early;
  early.ev(DhcpAction::ack, "10.0.0.7", "00:11:22:33:44:77", "2026-04-23T00:00:05Z", "ws7");
  early.build(12h);
  a = match_leases(early.ip("10.0.0.7"), at("2026-04-22T23:59:58Z"), 10s, cov, 12h, true);
  CHECK(a.kind == MatchKind::exact);
  CHECK(a.caveat.empty());
}

TEST_CASE("match: past the logs' end a stated expiry is no answer either", "[lease][match]") {
  Builder b;
  b.db("10.0.0.9", "00:11:22:33:44:55", "2026-04-23T08:00:00Z", "2026-04-23T20:00:00Z", false);
  b.build(12h);
  Coverage cov = covering("2026-04-23T00:00:00Z", "2026-04-23T18:00:00Z");
  auto a = match_leases(b.ip("10.0.0.9"), at("2026-04-23T17:00:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::exact);
  CHECK(a.caveat.empty());
  // After the last line the client may have released it early.
  a = match_leases(b.ip("10.0.0.9"), at("2026-04-23T19:00:00Z"), 0s, cov, 12h, true);
  CHECK(a.kind == MatchKind::gap);
  REQUIRE(a.leases.size() == 1);
  CHECK_THAT(a.why, Catch::StartsWith("the logs end at 2026-04-23T18:00:00Z: the client may have "
                                      "released a lease before the expiry the log states"));
}

TEST_CASE("match: a release in a DST fold leaves the hour between its readings in doubt",
          "[lease][match][dst]") {
  // Europe/London, 25 October 2026: the release at 01:30 local was read as
  // 00:30Z (BST); it may have been 01:30Z (GMT). At 01:35Z another client
  // got the address.
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "52:54:00:00:00:01", "2026-10-24T22:00:00Z", "pc1");
  b.ev(DhcpAction::release, "10.0.0.5", "52:54:00:00:00:01", "2026-10-25T00:30:00Z", "pc1",
       kLocalAmbiguous);
  b.ev(DhcpAction::ack, "10.0.0.5", "52:54:00:00:00:02", "2026-10-25T01:35:00Z", "pc2");
  b.build(12h);
  Coverage cov = covering("2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z");
  auto ask = [&](const char* time) {
    return match_leases(b.ip("10.0.0.5"), at(time), 0s, cov, 12h, true);
  };
  auto a = ask("2026-10-25T00:20:00Z");  // before both readings: pc1's
  CHECK(a.kind == MatchKind::exact);
  CHECK(a.caveat.empty());
  a = ask("2026-10-25T01:10:00Z");  // between them: pc1's, or no one's
  CHECK(a.kind == MatchKind::ambiguous);
  REQUIRE(a.leases.size() == 1);
  CHECK(a.leases[0]->host == "pc1");
  CHECK_THAT(a.caveat, Catch::StartsWith("the lease of 10.0.0.5 to 52:54:00:00:00:01 has a start "
                                         "or end in a DST fold"));
  a = ask("2026-10-25T01:40:00Z");  // after both: pc2's alone
  CHECK(a.kind == MatchKind::exact);
  CHECK(a.leases[0]->host == "pc2");
}

TEST_CASE("match: a lease counted from a grant in a DST fold ends in either reading",
          "[lease][match][dst]") {
  // Europe/London, 25 October 2026: the ACK at 01:30 local was read as
  // 00:30Z (BST); it may have been 01:30Z (GMT). With a 20-minute lease its
  // end is 00:50Z or 01:50Z.
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "52:54:00:00:00:01", "2026-10-25T00:30:00Z", "pc1",
       kLocalAmbiguous);
  b.build(20min);
  Coverage cov = covering("2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z");
  auto ask = [&](const char* time) {
    return match_leases(b.ip("10.0.0.5"), at(time), 0s, cov, 20min, true);
  };
  auto a = ask("2026-10-25T01:40:00Z");  // within the later reading
  CHECK(a.kind == MatchKind::ambiguous);
  REQUIRE(a.leases.size() == 1);
  CHECK(a.leases[0]->host == "pc1");
  CHECK_THAT(a.caveat, Catch::Contains("DST fold"));
  CHECK(ask("2026-10-25T02:00:00Z").kind == MatchKind::none);  // past both
  // An expiry stated as a date of its own (a leases file, in UTC) does not
  // move with the grant's reading.
  Builder d;
  DhcpEvent e;
  e.action = DhcpAction::lease;
  parse_ip("10.0.0.6", e.ip);
  e.has_mac = parse_mac("52:54:00:00:00:02", e.mac);
  e.time = at("2026-10-25T00:30:00Z");
  e.time_flags = kLocalAmbiguous;
  e.lease_end = at("2026-10-25T00:50:00Z");
  e.first_line = 1;
  d.store.add(e, 0, 0);
  d.build(20min);
  auto l = d.ip("10.0.0.6");
  REQUIRE(l.size() == 1);
  CHECK(l[0]->end_alt == kNoTime);
}

TEST_CASE("match: a quiet period in the log is a gap", "[lease][match]") {
  Coverage cov;
  cov.spans.push_back({at("2026-04-23T00:00:00Z"), at("2026-04-23T10:00:00Z")});
  cov.spans.push_back({at("2026-04-23T14:00:00Z"), at("2026-04-24T00:00:00Z")});
  auto a = match_leases({}, at("2026-04-23T12:00:00Z"), 0s, cov, 1h, true);
  CHECK(a.kind == MatchKind::gap);
  CHECK(a.why == "no log lines from 2026-04-23T10:00:00Z to 2026-04-23T14:00:00Z");
}

TEST_CASE("match: no lease soon after a quiet period is a gap, not none", "[lease][match]") {
  // Found by the simulated site (tests/sim): dhcpd's lines of 11:00-14:00 were
  // lost, a lab machine renewed in them, and at 14:30 the answer was "none".
  // A grant in the lost lines could still hold a lease-time later.
  Coverage cov;
  cov.spans.push_back({at("2026-04-23T00:00:00Z"), at("2026-04-23T10:00:00Z")});
  cov.spans.push_back({at("2026-04-23T13:00:00Z"), at("2026-04-24T00:00:00Z")});
  auto a = match_leases({}, at("2026-04-23T13:30:00Z"), 1s, cov, 2h, true);
  CHECK(a.kind == MatchKind::gap);
  CHECK(a.why ==
        "no log lines from 2026-04-23T10:00:00Z to 2026-04-23T13:00:00Z, less than the lease "
        "time (2h) before the time asked: a lease granted earlier could still have been active");
  a = match_leases({}, at("2026-04-23T15:00:00Z"), 1s, cov, 2h, true);
  CHECK(a.kind == MatchKind::none);
}

TEST_CASE("match: two leases of one client count once", "[lease][match]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T08:00:00Z");
  b.ev(DhcpAction::release, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T09:00:00Z");
  b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T09:00:05Z");
  b.build();
  Coverage cov = covering("2026-04-22T00:00:00Z", "2026-04-24T00:00:00Z");
  auto a = match_leases(b.ip("10.0.0.5"), at("2026-04-23T09:00:02Z"), 10s, cov, 12h, true);
  CHECK(a.kind == MatchKind::exact);
}

TEST_CASE("lease evidence: start, around the time asked, end", "[lease]") {
  Builder b;
  const char* times[] = {"2026-04-23T08:00:00Z", "2026-04-23T10:00:00Z", "2026-04-23T12:00:00Z",
                         "2026-04-23T14:00:00Z", "2026-04-23T16:00:00Z"};
  for (const char* t : times) b.ev(DhcpAction::ack, "10.0.0.5", "00:11:22:33:44:55", t);
  b.ev(DhcpAction::release, "10.0.0.5", "00:11:22:33:44:55", "2026-04-23T17:00:00Z");
  b.build();
  auto l = b.ip("10.0.0.5");
  REQUIRE(l.size() == 1);
  auto ev = b.store.evidence_for(*l[0], at("2026-04-23T11:00:00Z"));
  // Lines 1 (start), 2 (last renewal before), 3 (first after), 6 (release).
  std::vector<uint64_t> lines;
  for (uint32_t id : ev) lines.push_back(b.store.event(id).ref.line);
  CHECK(lines == std::vector<uint64_t>{1, 2, 3, 6});
}

TEST_CASE("lease: a deletion known only to follow a time does not end the lease there", "[lease]") {
  Builder b;
  b.db("10.0.0.9", "00:11:22:33:44:55", "2026-04-23T15:19:00Z", "2026-04-23T16:19:00Z", false);
  DhcpEvent del;
  del.action = DhcpAction::remove;
  parse_ip("10.0.0.9", del.ip);
  del.has_mac = parse_mac("00:11:22:33:44:55", del.mac);
  del.time = at("2026-04-23T15:19:00Z");
  del.time_flags = kTimeLowerBound;
  del.first_line = 99;
  b.store.add(del, 0, 0);
  b.build();
  auto l = b.ip("10.0.0.9");
  REQUIRE(l.size() == 1);
  CHECK(format_rfc3339(l[0]->end) == "2026-04-23T16:19:00Z");
  CHECK(l[0]->end_kind == Lease::EndKind::stated);
  CHECK((l[0]->time_flags & kTimeLowerBound) != 0);
}

TEST_CASE("DhcpEvent::clear resets every field to its default", "[lease]") {
  DhcpEvent e;
  e.time = Instant(Micros(5));
  e.time_flags = 7;
  e.first_line = 3;
  e.first_offset = 9;
  e.raw = "raw";
  e.time_key = 15;
  e.lease_end = Instant(Micros(6));
  e.lease_time = Micros(60);
  e.action = DhcpAction::release;
  e.has_mac = e.ends_lease = true;
  REQUIRE(parse_ip("10.0.0.1", e.ip));
  REQUIRE(parse_mac("00:11:22:33:44:55", e.mac));
  e.host = "h";
  e.client_id = "c";
  e.server = "s";
  e.relay = "r";
  e.clear();
  const DhcpEvent blank{};
  CHECK(e.time == blank.time);
  CHECK(e.time_flags == blank.time_flags);
  CHECK(e.first_line == blank.first_line);
  CHECK(e.first_offset == blank.first_offset);
  CHECK(e.raw == blank.raw);
  CHECK(e.time_key == blank.time_key);
  CHECK(e.lease_end == blank.lease_end);
  CHECK(e.lease_time == blank.lease_time);
  CHECK(e.action == blank.action);
  CHECK(e.has_mac == blank.has_mac);
  CHECK(e.ends_lease == blank.ends_lease);
  CHECK(e.ip == blank.ip);
  CHECK(e.mac == blank.mac);
  CHECK(e.host == blank.host);
  CHECK(e.client_id == blank.client_id);
  CHECK(e.server == blank.server);
  CHECK(e.relay == blank.relay);
}

TEST_CASE("lease: informs are kept apart from leases, those with a MAC in time order", "[lease]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "52:54:00:00:00:01", "2026-05-12T08:00:00Z");
  // Read out of order (a second server's file), and one with no MAC (the
  // DHCPINFORM line itself, which names none).
  b.ev(DhcpAction::inform, "10.0.0.5", "00:1b:21:00:00:02", "2026-05-12T10:00:00Z");
  b.ev(DhcpAction::inform, "10.0.0.5", "", "2026-05-12T09:30:00Z");
  b.ev(DhcpAction::inform, "10.0.0.5", "52:54:00:00:00:01", "2026-05-12T09:00:00Z");
  b.build();
  IpAddr a, other;
  REQUIRE(parse_ip("10.0.0.5", a));
  REQUIRE(parse_ip("10.0.0.6", other));
  const auto& informs = b.store.informs_for(a);
  REQUIRE(informs.size() == 2);
  CHECK(to_string(b.store.event(informs[0]).mac) == "52:54:00:00:00:01");
  CHECK(to_string(b.store.event(informs[1]).mac) == "00:1b:21:00:00:02");
  CHECK(b.store.informs_for(other).empty());
  // An inform neither starts nor ends a lease.
  REQUIRE(b.ip("10.0.0.5").size() == 1);
  CHECK(b.ip("10.0.0.5")[0]->events.size() == 1);
}

TEST_CASE("lease: a client that renames itself within a lease", "[lease]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "02:00:00:00:00:88", "2026-05-12T09:00:00Z");
  b.ev(DhcpAction::ack, "10.0.0.5", "02:00:00:00:00:88", "2026-05-12T09:30:00Z", "ws-lab1-07");
  b.ev(DhcpAction::ack, "10.0.0.5", "02:00:00:00:00:88", "2026-05-12T09:40:00Z",
       "WS-LAB1-07.example.org");
  b.ev(DhcpAction::ack, "10.0.0.5", "02:00:00:00:00:88", "2026-05-12T09:50:00Z", "laptop-carol");
  b.ev(DhcpAction::ack, "10.0.0.6", "52:54:00:00:00:07", "2026-05-12T08:00:00Z", "ws-lab1-08");
  b.build(4h);
  auto ls = b.ip("10.0.0.5");
  REQUIRE(ls.size() == 1);
  const Lease& l = *ls[0];
  CHECK(l.host == "laptop-carol");
  // The same name in another case or with its domain is no new name.
  auto names = b.store.names_of(l);
  REQUIRE(names.size() == 2);
  CHECK(b.store.event(names[0]).host == "ws-lab1-07");
  CHECK(b.store.event(names[1]).host == "laptop-carol");
  // Before its first name: that one; then the last given at or before t (as
  // first written).
  CHECK(b.store.host_at(l, at("2026-05-12T09:10:00Z")) == "ws-lab1-07");
  CHECK(b.store.host_at(l, at("2026-05-12T09:45:00Z")) == "ws-lab1-07");
  CHECK(b.store.host_at(l, at("2026-05-12T11:00:00Z")) == "laptop-carol");
  // Found by any of its names; named so only over that name's span.
  REQUIRE(b.store.for_host("ws-lab1-07").size() == 1);
  REQUIRE(b.store.for_host("laptop-carol").size() == 1);
  CHECK(b.store.for_host("ws-lab1-08").size() == 1);
  CHECK(b.store.named_between(l, "ws-lab1-07", at("2026-05-12T09:10:00Z"),
                              at("2026-05-12T09:10:00Z")));
  CHECK_FALSE(b.store.named_between(l, "ws-lab1-07", at("2026-05-12T10:00:00Z"),
                                    at("2026-05-12T11:00:00Z")));
  CHECK(b.store.named_between(l, "laptop-carol", at("2026-05-12T10:00:00Z"),
                              at("2026-05-12T11:00:00Z")));
  CHECK_FALSE(b.store.named_between(l, "laptop-carol", at("2026-05-12T09:00:00Z"),
                                    at("2026-05-12T09:49:00Z")));
}

TEST_CASE("lease: a name's case, domain or trailing dot is no rename", "[lease]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.5", "02:00:00:00:00:88", "2026-05-12T09:00:00Z", "ws2.example.org");
  b.ev(DhcpAction::ack, "10.0.0.5", "02:00:00:00:00:88", "2026-05-12T09:10:00Z",
       "ws2.example.org.");
  b.ev(DhcpAction::ack, "10.0.0.5", "02:00:00:00:00:88", "2026-05-12T09:20:00Z", "WS2");
  b.ev(DhcpAction::ack, "10.0.0.5", "02:00:00:00:00:88", "2026-05-12T09:30:00Z",
       "ws2.corp.example.org");
  b.build(4h);
  auto ls = b.ip("10.0.0.5");
  REQUIRE(ls.size() == 1);
  CHECK(b.store.names_of(*ls[0]).size() == 1);
  CHECK(b.store.for_host("ws2.example.org").size() == 1);
  CHECK(b.store.for_host("ws2.example.org.").size() == 1);
  CHECK(b.store.for_host("ws2").size() == 1);
  CHECK(b.store.for_host("ws3").empty());
  CHECK(
      b.store.named_between(*ls[0], "ws2", at("2026-05-12T12:00:00Z"), at("2026-05-12T12:00:00Z")));
}

TEST_CASE("lease: when a client last went by a name", "[lease]") {
  Builder b;
  b.ev(DhcpAction::ack, "10.0.0.20", "52:54:00:00:00:20", "2026-05-12T07:00:00Z", "ws9");
  b.ev(DhcpAction::ack, "10.0.0.30", "02:00:00:00:00:30", "2026-05-12T09:00:00Z", "ws9");
  b.ev(DhcpAction::ack, "10.0.0.30", "02:00:00:00:00:30", "2026-05-12T09:05:00Z", "laptop");
  b.ev(DhcpAction::ack, "10.0.0.20", "52:54:00:00:00:20", "2026-05-12T10:00:00Z", "ws9");
  b.build(4h);
  const Lease& lab = *b.ip("10.0.0.20").at(0);
  const Lease& laptop = *b.ip("10.0.0.30").at(0);
  CHECK(b.store.named_until(lab, "ws9") == at("2026-05-12T14:00:00Z"));
  CHECK(b.store.named_until(laptop, "ws9") == at("2026-05-12T09:05:00Z"));
  CHECK(b.store.named_until(laptop, "laptop") == at("2026-05-12T13:05:00Z"));
  CHECK(b.store.named_until(laptop, "ws8") == kNoTime);
}

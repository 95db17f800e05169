#include "tracekit/chain.h"
#include "tracekit/hop.h"
#include "tracekit/login_hop.h"

#include <catch2/catch.hpp>

using tracekit::Row;

namespace {

Row verdict_of(const char* json) {
  Row row = Row::parse(json);
  tracekit::add_chain_verdict(row, "");
  return row["chain"];
}

}  // namespace

TEST_CASE("chain verdict: every hop exact", "[chain]") {
  Row c = verdict_of(R"({"nat":{"match":"exact"},"lease":{"match":"exact"},
                        "login":{"match":"exact"},"owner":{"match":"exact"}})");
  CHECK(c["match"] == "exact");
  CHECK(c["limited_by"] == "");
}

TEST_CASE("chain verdict: a piped-in proxy or mail hop counts", "[chain]") {
  // Found by the simulated site (tests/sim): trace-url | trace-ip gave
  // chain.match "exact" for a URL nobody fetched (every later hop skipped),
  // and "exact" on each row of a URL two clients fetched.
  Row c = verdict_of(R"({"url":{"match":"none"},"lease":{"match":"skipped"},
                        "login":{"match":"skipped"},"owner":{"match":"skipped"}})");
  CHECK(c["match"] == "none");
  CHECK(c["limited_by"] == "url");
  c = verdict_of(R"({"url":{"match":"gap","note":"the logs end at X"},
                    "lease":{"match":"skipped"}})");
  CHECK(c["match"] == "gap");
  CHECK(c["limited_by"] == "url");
  CHECK(c["note"] == "url: the proxy logs do not cover the time (the logs end at X)");
  c = verdict_of(R"({"url":{"match":"ambiguous"},"lease":{"match":"exact"},
                    "login":{"match":"exact"},"owner":{"match":"exact"}})");
  CHECK(c["match"] == "ambiguous");
  CHECK(c["limited_by"] == "url");
  c = verdict_of(R"({"mail":{"match":"exact"},"lease":{"match":"exact"},
                    "login":{"match":"gap"},"owner":{"match":"skipped"}})");
  CHECK(c["match"] == "gap");
  CHECK(c["limited_by"] == "login");
  c = verdict_of(R"({"mail":{"match":"ambiguous"},"lease":{"match":"exact"},
                    "login":{"match":"exact"},"owner":{"match":"exact"}})");
  CHECK(c["match"] == "ambiguous");
  CHECK(c["limited_by"] == "mail");
}

TEST_CASE("chain verdict: a VPN session answers for an address without a lease", "[chain]") {
  // The DHCP hop's none (or gap) followed by a login session that was given
  // the address: the login hop answered without it. Noted, not the limit.
  Row c = verdict_of(R"({"nat":{"match":"exact"},"lease":{"match":"none"},
                        "login":{"match":"exact"},"owner":{"match":"exact"}})");
  CHECK(c["match"] == "exact");
  CHECK(c["limited_by"] == "");
  CHECK(c["note"] ==
        "lease: none (no lease (nor register entry) where the DHCP logs cover the time); the "
        "login hop answered without it (a session that was assigned the address)");
  // Not past a gap: the missing DHCP logs could show a lease of the same
  // address to another client (found by the simulated site, tests/sim: a
  // wireless session with the address, the DHCP logs lost).
  c = verdict_of(R"({"lease":{"match":"gap"},"login":{"match":"ambiguous"},
                    "owner":{"match":"exact"}})");
  CHECK(c["match"] == "gap");
  CHECK(c["limited_by"] == "lease");
  CHECK(c["note"] ==
        "lease: the DHCP logs do not cover the time; the login hop found an answer without this "
        "one (shown), which cannot stand while the DHCP logs do not cover the time");
  // No session either: the DHCP hop's none stands.
  c = verdict_of(R"({"lease":{"match":"none"},"login":{"match":"skipped"},
                    "owner":{"match":"skipped"}})");
  CHECK(c["match"] == "none");
  CHECK(c["limited_by"] == "lease");
  // The owner hop finding nobody still limits the answer.
  c = verdict_of(R"({"lease":{"match":"none"},"login":{"match":"exact"},
                    "owner":{"match":"none"}})");
  CHECK(c["match"] == "none");
  CHECK(c["limited_by"] == "owner");
}

TEST_CASE("earlier_hop_failed: a later hop that answered clears a failure", "[chain]") {
  using tracekit::earlier_hop_failed;
  CHECK(earlier_hop_failed(Row::parse(R"({"lease":{"match":"none"}})"), "login"));
  CHECK(earlier_hop_failed(Row::parse(R"({"nat":{"match":"none"},"lease":{"match":"skipped"}})"),
                           "login"));
  CHECK_FALSE(earlier_hop_failed(
      Row::parse(R"({"lease":{"match":"none"},"login":{"match":"exact"}})"), "owner"));
  CHECK(earlier_hop_failed(Row::parse(R"({"lease":{"match":"none"},"login":{"match":"skipped"}})"),
                           "owner"));
  CHECK_FALSE(earlier_hop_failed(Row::parse(R"({"lease":{"match":"exact"}})"), "login"));
}

TEST_CASE("login query from a row: an address without a lease asks for its assigned session",
          "[chain]") {
  using namespace tracekit;
  LoginQuery q;
  std::string error;
  Row row = Row::parse(R"({"time":"2026-10-24T16:03:00Z","ip":"192.0.2.7",
      "nat":{"match":"exact","ip":"10.20.12.7"},"lease":{"match":"none","ip":""}})");
  REQUIRE(login_query_from_row(row, "", nullptr, q, error));
  CHECK_FALSE(q.skipped);
  CHECK(q.assigned_only);
  REQUIRE(q.keys.size() == 1);
  CHECK(q.keys[0].kind == LoginKey::Kind::ip);
  CHECK(to_string(q.keys[0].ip) == "10.20.12.7");
  // An inside address asked directly.
  row = Row::parse(R"({"time":"2026-10-24T16:03:00Z","ip":"10.20.12.7",
      "lease":{"match":"gap"}})");
  REQUIRE(login_query_from_row(row, "", nullptr, q, error));
  CHECK(q.assigned_only);
  // The NAT found nothing: no address to ask, the row passes through.
  row = Row::parse(R"({"time":"2026-10-24T16:03:00Z","ip":"192.0.2.7",
      "nat":{"match":"none"},"lease":{"match":"skipped"}})");
  REQUIRE(login_query_from_row(row, "", nullptr, q, error));
  CHECK(q.skipped);
  CHECK_FALSE(q.assigned_only);
  // --key names the field: no fallback.
  row = Row::parse(R"({"time":"2026-10-24T16:03:00Z","ip":"10.20.12.7",
      "lease":{"match":"none"}})");
  REQUIRE(login_query_from_row(row, "ip", nullptr, q, error));
  CHECK(q.skipped);
}

TEST_CASE("put_after: the same rows as answers that start from the query's row", "[chain]") {
  // A hop answering with fields_only gives its own fields; put_after must
  // make of them what the answers were when they started from a copy of the
  // row: the row's fields first, the hop's after, a hop field the row had
  // already (a row piped through the same hop twice) replaced where it was.
  Row query = Row::parse(R"({"ip":"192.0.2.7","nat":{"match":"old"},"time":"t"})");
  std::vector<Row> fields = {Row::parse(R"({"nat":{"match":"ambiguous","ip":"10.0.0.1"}})"),
                             Row::parse(R"({"nat":{"match":"ambiguous","ip":"10.0.0.2"}})")};
  std::vector<Row> expected;
  for (const Row& f : fields) {
    Row r = query;
    r["nat"] = f["nat"];
    expected.push_back(r);
  }
  std::vector<Row> got = tracekit::put_after(Row(query), fields);
  REQUIRE(got.size() == 2);
  CHECK(got[0].dump() == expected[0].dump());
  CHECK(got[1].dump() == expected[1].dump());
  CHECK(got[0].dump() ==
        R"({"ip":"192.0.2.7","nat":{"match":"ambiguous","ip":"10.0.0.1"},"time":"t"})");
  // No query row (a hop asked directly): the hop's fields alone.
  std::vector<Row> bare = tracekit::put_after(Row(), {fields[0]});
  REQUIRE(bare.size() == 1);
  CHECK(bare[0].dump() == fields[0].dump());
  CHECK(tracekit::put_after(Row(query), {}).empty());
}

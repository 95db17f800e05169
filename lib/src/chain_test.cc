#include "tracekit/chain.h"

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

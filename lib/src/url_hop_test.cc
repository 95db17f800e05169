#include "tracekit/url_hop.h"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "parse_harness.h"

using namespace tracekit;

namespace {

Instant at(std::string_view s) {
  Instant t;
  std::string err;
  if (!parse_query_time(s, nullptr, t, err)) throw std::runtime_error(err);
  return t;
}

// A Squid native line ending at `end` (RFC 3339) after `elapsed_ms`.
std::string squid(std::string_view end, int elapsed_ms, std::string_view client,
                  std::string_view result, std::string_view method, std::string_view url,
                  std::string_view user = "-", std::string_view hier = "HIER_DIRECT/198.51.100.7") {
  auto us = at(end).time_since_epoch().count();
  return fmt::format("{}.{:03d} {:6d} {} {} 1234 {} {} {} {} text/html\n", us / 1000000,
                     (us % 1000000) / 1000, elapsed_ms, client, result, method, url, user, hier);
}

// The proxy's log on 23 April 2026, 09:00-11:00 UTC.
std::string proxy_log() {
  std::string s;
  s += squid("2026-04-23T09:00:00Z", 10, "10.0.0.1", "TCP_MISS/200", "GET", "http://example.com/");
  s += squid("2026-04-23T09:59:50Z", 15, "10.0.0.2", "TCP_MISS/200", "GET",
             "http://example.com/a?b=1");
  // A slow download: 09:59:30.000-10:00:30.000.
  s += squid("2026-04-23T10:00:30Z", 60000, "10.0.0.3", "TCP_MISS/200", "GET",
             "http://files.example.net/big.iso");
  s += squid("2026-04-23T10:10:00Z", 300000, "2001:db8::5", "TCP_TUNNEL/200", "CONNECT",
             "files.example.net:443", "alice");
  s += squid("2026-04-23T10:20:00Z", 5, "10.0.0.4", "TCP_DENIED/403", "GET",
             "http://files.example.net/big.iso", "bob", "HIER_NONE/-");
  s += squid("2026-04-23T10:20:01Z", 5, "10.0.0.5", "TCP_MISS/200", "GET",
             "http://files.example.net/big.iso");
  for (int m = 25; m <= 59; m += 5)
    s += squid(fmt::format("2026-04-23T10:{:02d}:00Z", m), 5, "10.0.0.9", "TCP_MISS/200", "GET",
               "http://example.org/x");
  s += squid("2026-04-23T11:00:00Z", 5, "10.0.0.1", "TCP_MISS/200", "GET", "http://example.com/");
  return s;
}

SourceSpec source(std::string_view text, Micros skew = Micros{0}) {
  SourceSpec s = test::source_file("url-hop-test", "access.log", "squid", text);
  s.name = "proxy";
  s.skew = skew;
  return s;
}

struct Fixture {
  ToolRun run{"trace-url"};
  std::vector<UrlQuery> queries;
  std::unique_ptr<UrlHop> hop;
  bool show_content = false;

  explicit Fixture(Micros skew = Micros{0}) {
    run.diag = Diagnostics("trace-url", false, nullptr);
    run.sources.push_back(source(proxy_log(), skew));
  }
  void ask(UrlTarget::Kind kind, std::string_view target, std::string_view around,
           std::string_view from = "", std::string_view to = "") {
    UrlTarget t;
    std::string err;
    REQUIRE(parse_url_target(kind, target, t, err));
    queries.push_back(url_query_from_args(
        t, QueryWindow{around.empty() ? kNoTime : at(around), from.empty() ? kNoTime : at(from),
                       to.empty() ? kNoTime : at(to)}));
  }
  std::vector<Row> answer(size_t k = 0) {
    if (!hop) {
      hop = std::make_unique<UrlHop>(run, UrlHopSettings{show_content});
      REQUIRE(hop->load(queries));
    }
    return hop->answer(k);
  }
};

std::string f(const Row& r, std::string_view name) {
  return get_text(r, name);
}

}  // namespace

TEST_CASE("a request matches when its span meets the window", "[url][hop]") {
  Fixture fx;
  // 10:00:00 lies inside the download that ended at 10:00:30 after 60 s.
  fx.ask(UrlTarget::Kind::url, "http://files.example.net/big.iso", "2026-04-23T10:00:00Z");
  // 09:59:29 is a second before it began: nothing, and the log covers it.
  fx.ask(UrlTarget::Kind::url, "http://files.example.net/big.iso", "2026-04-23T09:59:29Z");
  auto a = fx.answer(0);
  REQUIRE(a.size() == 1);
  CHECK(f(a[0], "url.match") == "exact");
  CHECK(f(a[0], "url.client") == "10.0.0.3");
  CHECK(f(a[0], "url.start") == "2026-04-23T09:59:30.000Z");
  CHECK(f(a[0], "url.time") == "2026-04-23T10:00:30.000Z");
  CHECK(f(a[0], "url.url") == "http://files.example.net/");
  auto b = fx.answer(1);
  REQUIRE(b.size() == 1);
  CHECK(f(b[0], "url.match") == "none");
  CHECK(f(b[0], "url.client").empty());
}

TEST_CASE("the source's skew widens the window, and two clients are ambiguous", "[url][hop]") {
  Fixture fx(std::chrono::seconds(1));
  // 10:20:00 (denied, bob at 10.0.0.4) and 10:20:01 (10.0.0.5) within ±1 s.
  fx.ask(UrlTarget::Kind::url, "http://files.example.net/big.iso", "2026-04-23T10:20:00.500Z");
  auto a = fx.answer();
  REQUIRE(a.size() == 2);
  CHECK(f(a[0], "url.match") == "ambiguous");
  CHECK(f(a[0], "url.client") == "10.0.0.4");
  CHECK(f(a[0], "url.user") == "bob");
  CHECK(f(a[0], "url.result") == "TCP_DENIED");
  CHECK(f(a[0], "url.status") == "403");
  CHECK(f(a[1], "url.client") == "10.0.0.5");
  CHECK(f(a[1], "url.note").find("2 requests from 2 clients") != std::string::npos);
  CHECK(f(a[1], "url.note").find("within ±1s") != std::string::npos);

  Fixture strict;  // no skew: only the denied request, at 10:20:00 exactly
  strict.ask(UrlTarget::Kind::url, "http://files.example.net/big.iso", "2026-04-23T10:20:00Z");
  auto s = strict.answer();
  REQUIRE(s.size() == 1);
  CHECK(f(s[0], "url.match") == "exact");
  CHECK(f(s[0], "url.client") == "10.0.0.4");
}

TEST_CASE("an https URL finds the CONNECT tunnel to its host, noted", "[url][hop]") {
  Fixture fx;
  fx.ask(UrlTarget::Kind::url, "https://files.example.net/big.iso", "2026-04-23T10:07:00Z");
  fx.ask(UrlTarget::Kind::url, "http://files.example.net:443/big.iso", "2026-04-23T10:07:00Z");
  auto a = fx.answer(0);
  REQUIRE(a.size() == 1);
  CHECK(f(a[0], "url.match") == "exact");
  CHECK(f(a[0], "url.client") == "2001:db8::5");
  CHECK(f(a[0], "url.user") == "alice");
  CHECK(f(a[0], "url.url") == "files.example.net:443");
  CHECK(f(a[0], "url.note").find("CONNECT tunnel (HTTPS)") != std::string::npos);
  // Plain http to port 443 is a tunnel too (the port is all a CONNECT says).
  CHECK(f(fx.answer(1)[0], "url.match") == "exact");
}

TEST_CASE("what a client fetched: every request in the window, IPv6 too", "[url][hop]") {
  Fixture fx;
  fx.ask(UrlTarget::Kind::client, "10.0.0.9", "", "2026-04-23T10:30:00Z", "2026-04-23T10:45:00Z");
  fx.ask(UrlTarget::Kind::client, "2001:db8::5", "", "2026-04-23T10:09:00Z", "");
  auto a = fx.answer(0);
  // 10:30, 10:35, 10:40, and 10:45: logged at 10:45:00 after 5 ms, it began
  // inside [from, to).
  REQUIRE(a.size() == 4);
  for (const auto& r : a) CHECK(f(r, "url.match") == "exact");
  CHECK(f(a[3], "url.time") == "2026-04-23T10:45:00.000Z");
  CHECK(f(a[3], "url.start") == "2026-04-23T10:44:59.995Z");
  auto b = fx.answer(1);
  REQUIRE(b.size() == 1);
  CHECK(f(b[0], "url.method") == "CONNECT");
}

TEST_CASE("a time outside the logs is a gap", "[url][hop]") {
  Fixture fx;
  fx.ask(UrlTarget::Kind::host, "example.com", "2026-04-23T12:00:00Z");
  fx.ask(UrlTarget::Kind::host, "example.com", "", "2026-04-23T10:50:00Z", "2026-04-23T12:00:00Z");
  auto a = fx.answer(0);
  REQUIRE(a.size() == 1);
  CHECK(f(a[0], "url.match") == "gap");
  CHECK(f(a[0], "url.note").find("the logs end at") != std::string::npos);
  auto b = fx.answer(1);  // found at 11:00, but the window runs past the log's end
  REQUIRE(b.size() == 1);
  CHECK(f(b[0], "url.match") == "exact");
  CHECK(f(b[0], "url.note").find("requests may be missing") != std::string::npos);
}

TEST_CASE("paths and query strings are redacted unless asked for", "[url][hop]") {
  for (bool show : {false, true}) {
    Fixture fx;
    fx.show_content = show;
    fx.ask(UrlTarget::Kind::prefix, "http://example.com/a", "2026-04-23T09:59:50Z");
    auto a = fx.answer();
    REQUIRE(a.size() == 1);
    const auto& ev = a[0]["url"]["evidence"][0];
    std::string raw = ev["raw"];
    if (show) {
      CHECK(f(a[0], "url.url") == "http://example.com/a?b=1");
      CHECK(raw.find("http://example.com/a?b=1") != std::string::npos);
      CHECK_FALSE(ev.contains("redacted"));
    } else {
      CHECK(f(a[0], "url.url") == "http://example.com/");
      CHECK(raw.find("http://example.com/[redacted] ") != std::string::npos);
      CHECK(raw.find("a?b=1") == std::string::npos);
      CHECK(ev.contains("redacted"));
    }
  }
}

TEST_CASE("many url queries (no prefilter) answer as each alone", "[url][hop]") {
  // Over 16 needles turn the prefilter off: the answers must not change.
  Fixture many;
  for (int i = 0; i < 20; ++i)
    many.ask(UrlTarget::Kind::host, fmt::format("h{}.example.com", i), "2026-04-23T10:00:00Z");
  many.ask(UrlTarget::Kind::url, "http://files.example.net/big.iso", "2026-04-23T10:00:00Z");
  Fixture one;
  one.ask(UrlTarget::Kind::url, "http://files.example.net/big.iso", "2026-04-23T10:00:00Z");
  CHECK(many.answer(20) == one.answer(0));
  CHECK(f(many.answer(3)[0], "url.match") == "none");
}

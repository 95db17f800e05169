#include "tracekit/url.h"

#include <catch2/catch.hpp>

#include "tracekit/url_hop.h"

using namespace tracekit;

TEST_CASE("split_url reads the forms a request target takes", "[url]") {
  UrlParts a = split_url("http://Example.COM:8080/a/b?c=d#frag");
  CHECK(a.scheme == "http");
  CHECK(a.host == "Example.COM");
  CHECK(a.port == 8080);
  CHECK(a.path == "/a/b?c=d#frag");
  CHECK_FALSE(a.authority);
  CHECK(a.valid);

  UrlParts c = split_url("mail.example.org:443");  // CONNECT
  CHECK(c.authority);
  CHECK(c.host == "mail.example.org");
  CHECK(c.port == 443);
  CHECK(c.path.empty());

  UrlParts v6 = split_url("[2001:db8::1]:443");
  CHECK(v6.authority);
  CHECK(v6.host == "2001:db8::1");
  CHECK(v6.port == 443);

  UrlParts v6url = split_url("http://[2001:db8::1]/x");
  CHECK(v6url.host == "2001:db8::1");
  CHECK(v6url.port == 0);
  CHECK(v6url.path == "/x");

  UrlParts o = split_url("/index.html?q=1");
  CHECK(o.host.empty());
  CHECK(o.path == "/index.html?q=1");

  CHECK(split_url("http://user:pw@example.com/").host == "example.com");
  CHECK(split_url("http://example.com").path.empty());
  CHECK(split_url("http://example.com?x").path == "?x");
  CHECK_FALSE(split_url("http://example.com:http/").valid);
  CHECK_FALSE(split_url("http:///x").valid);
  CHECK_FALSE(split_url("example.com:99999").valid);
  CHECK(split_url("*").path == "*");
}

TEST_CASE("redacted_url keeps scheme, host and an unusual port", "[url]") {
  CHECK(redacted_url("HTTP", "WWW.Example.com", 80, false) == "http://www.example.com/");
  CHECK(redacted_url("https", "example.com", 8443, false) == "https://example.com:8443/");
  CHECK(redacted_url("https", "example.com", 443, false) == "https://example.com/");
  CHECK(redacted_url("http", "2001:db8::1", 80, false) == "http://[2001:db8::1]/");
  CHECK(redacted_url("", "example.com", 443, true) == "example.com:443");
  CHECK(redacted_url("http", "", 0, false) == "/");
}

TEST_CASE("url_content and redact hide paths and query strings only", "[url]") {
  std::string_view line = "1 GET http://example.com/a/b?c=1 - /x?y";
  ContentSpans spans;
  size_t u = line.find("http://");
  ContentRange c = url_content(line.substr(u, 26));
  CHECK(c.offset == 19);
  CHECK(c.length == 7);
  spans.push_back({u + c.offset, c.length});
  size_t p = line.rfind("/x?y");
  ContentRange c2 = url_content(line.substr(p));
  CHECK(c2.offset == 1);
  spans.push_back({p + c2.offset, c2.length});
  CHECK(redact(line, spans) == "1 GET http://example.com/[redacted] - /[redacted]");
  CHECK(url_content("http://example.com/").length == 0);
  CHECK(url_content("example.com:443").length == 0);
  CHECK(url_content("/").length == 0);
  // Ranges out of bounds or overlapping are ignored, not trusted.
  CHECK(redact("abc", {{2, 5}}) == "abc");
  CHECK(redact("abcdef", {{1, 3}, {2, 1}}) == "a[redacted]ef");
}

TEST_CASE("parse_url_target normalises what is asked", "[url]") {
  UrlTarget t;
  std::string error;
  REQUIRE(parse_url_target(UrlTarget::Kind::url, "HTTP://Files.Example.NET/leak/dump.zip#top", t,
                           error));
  CHECK(t.scheme == "http");
  CHECK(t.host == "files.example.net");
  CHECK(t.port == 80);
  CHECK(t.path == "/leak/dump.zip");

  REQUIRE(parse_url_target(UrlTarget::Kind::url, "example.com", t, error));
  CHECK(t.scheme == "http");
  CHECK(t.path == "/");
  REQUIRE(parse_url_target(UrlTarget::Kind::prefix, "https://example.com:8443/a", t, error));
  CHECK(t.port == 8443);
  CHECK(t.path == "/a");

  REQUIRE(parse_url_target(UrlTarget::Kind::host, ".Example.net.", t, error));
  CHECK(t.subdomains);
  CHECK(t.host == "example.net");
  CHECK_FALSE(parse_url_target(UrlTarget::Kind::host, "exa mple.net", t, error));
  CHECK_FALSE(parse_url_target(UrlTarget::Kind::url, "http:///x", t, error));
  CHECK_FALSE(parse_url_target(UrlTarget::Kind::client, "10.20.3.300", t, error));
  CHECK(error == "client_ip: '10.20.3.300' is not an IP address");
  REQUIRE(parse_url_target(UrlTarget::Kind::server, "2001:db8::80", t, error));
  CHECK_FALSE(t.ip.is_v4());
}

TEST_CASE("url_query_from_row takes one target and a time or a window", "[url]") {
  UrlQuery q;
  std::string error;
  Row row = {{"request_url", "http://example.com/x"}, {"time", "2026-04-23T15:19:00Z"}};
  REQUIRE(url_query_from_row(row, nullptr, q, error));
  CHECK(q.target.kind == UrlTarget::Kind::url);
  CHECK(q.window.time != kNoTime);
  Row two = {{"request_url", "http://example.com/x"}, {"client_ip", "10.0.0.1"}};
  CHECK_FALSE(url_query_from_row(two, nullptr, q, error));
  Row both = {{"client_ip", "10.0.0.1"},
              {"time", "2026-04-23T15:19:00Z"},
              {"from", "2026-04-23T15:00:00Z"}};
  CHECK_FALSE(url_query_from_row(both, nullptr, q, error));
  CHECK(error == "both a time and from/to: give one or the other");
  Row none = {{"ip", "10.0.0.1"}};
  CHECK_FALSE(url_query_from_row(none, nullptr, q, error));
  Row window = {{"client_ip", "10.0.0.1"}, {"from", "2026-04-23T15:00:00Z"}};
  REQUIRE(url_query_from_row(window, nullptr, q, error));
  CHECK(q.window.from != kNoTime);
  CHECK(q.window.to == kNoTime);
}

TEST_CASE("parse_url_target refuses what is no URL or host", "[url]") {
  UrlTarget t;
  std::string error;
  CHECK_FALSE(parse_url_target(UrlTarget::Kind::url, "not a url", t, error));
  CHECK(error == "'not a url' is not a URL (scheme://host/path)");
  CHECK_FALSE(parse_url_target(UrlTarget::Kind::url, "http://exa<mple.com/", t, error));
  CHECK_FALSE(parse_url_target(UrlTarget::Kind::host, "", t, error));
  CHECK_FALSE(parse_url_target(UrlTarget::Kind::host, "...", t, error));
}

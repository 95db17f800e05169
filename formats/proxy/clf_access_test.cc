#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::ProxyHarness;

namespace {

std::string ip(const IpAddr& a) {
  return to_string(a);
}

}  // namespace

TEST_CASE("clf: the Apache vhost_combined sample", "[proxy][clf]") {
  ProxyHarness h("clf");
  auto all = h.run(test::read_sample("testdata/proxy/apache-vhost-combined.log"));
  REQUIRE(all.size() == 6);
  for (const auto& o : all) {
    INFO(o.raw << " -> " << o.reason);
    CHECK(o.status == LineStatus::record);
  }
  const ProxyEvent& e = all[0].event;
  CHECK(all[0].time() == "2026-04-23T15:19:00Z");
  CHECK(e.start == e.time);
  CHECK(e.end == e.time);
  CHECK(e.time_flags == 0);
  CHECK(e.host == "www.example.org");
  CHECK(e.host_port == 443);
  CHECK(e.has_client);
  CHECK(ip(e.client) == "203.0.113.5");
  CHECK(e.client_text == "203.0.113.5");
  CHECK(e.user.empty());
  CHECK(e.method == "GET");
  CHECK(e.url == "/index.html");
  CHECK(e.status == 200);
  CHECK(e.has_bytes);
  CHECK(e.bytes == 5120);
  CHECK(e.referrer == "https://www.example.org/");
  CHECK(e.user_agent == "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0");
  CHECK(e.forwarded.empty());
  CHECK(e.result.empty());

  CHECK(ip(all[1].event.client) == "2001:db8:5::17");
  CHECK(all[1].event.user == "jdoe");
  CHECK(all[1].event.method == "POST");
  CHECK(all[1].event.status == 302);
  CHECK(all[1].event.bytes == 0);  // %b writes "-" for no body
  CHECK(all[1].time() == "2026-04-23T15:19:02Z");

  // An escaped quote inside the user agent does not end it.
  CHECK(all[2].event.host == "intranet.example.org");
  CHECK(all[2].event.host_port == 80);
  CHECK(all[2].event.url == "/search?q=%22quarterly+report%22");
  CHECK(all[2].event.referrer.empty());
  CHECK(all[2].event.user_agent == "curl/8.5.0 \\\"custom build\\\"");

  // TLS bytes on a plain port, and a connection that sent no request.
  CHECK(all[3].event.method.empty());
  CHECK(all[3].event.url.empty());
  CHECK(all[3].event.status == 400);
  CHECK(ip(all[3].event.client) == "198.51.100.77");
  CHECK(all[4].event.method.empty());
  CHECK(all[4].event.status == 408);

  // HostnameLookups: the client is a name.
  CHECK(!all[5].event.has_client);
  CHECK(all[5].event.client_text == "client-8.example.net");
  CHECK(all[5].event.host == "host-203-0-113-8.example.net");
  CHECK(all[5].event.method == "HEAD");
}

TEST_CASE("clf: the nginx combined sample with X-Forwarded-For", "[proxy][clf]") {
  ProxyHarness h("clf");
  auto r = h.records(test::read_sample("testdata/proxy/nginx-combined-xff.log"));
  REQUIRE(r.size() == 5);
  CHECK(r[0].time() == "2026-04-23T15:19:00Z");
  CHECK(r[0].event.forwarded == "203.0.113.9, 10.0.0.2");
  CHECK(ip(r[0].event.client) == "192.0.2.80");
  CHECK(r[0].event.host.empty());
  CHECK(r[0].event.url == "/articles/42");
  CHECK(r[1].event.forwarded.empty());  // "-"
  CHECK(r[1].event.status == 304);
  CHECK(r[1].event.referrer == "https://www.example.com/articles/42");
  CHECK(r[2].event.user == "alice");
  CHECK(r[2].event.method == "PUT");
  CHECK(r[2].event.forwarded == "2001:db8:77::4");
  CHECK(r[3].event.method == "CONNECT");
  CHECK(r[3].event.url == "www.example.net:443");
  CHECK(r[3].event.user_agent.empty());
  CHECK(r[4].event.url == "/search?q=a\\x22b");  // nginx's escape, as logged
  CHECK(r[4].event.forwarded == "198.51.100.23");
}

TEST_CASE("clf: common format, users, prefixes", "[proxy][clf]") {
  ProxyHarness h("clf", "UTC", 2026);
  auto all = h.run(
      // common: no referer or agent
      "192.0.2.10 - frank [23/Apr/2026:08:19:00 -0700] \"GET /a.gif HTTP/1.0\" 200 2326\n"
      // a user name with a space; Apache escapes quotes in it
      "192.0.2.11 - john doe [23/Apr/2026:16:19:00 +0100] \"GET / HTTP/1.1\" 200 10 \"-\" \"-\"\n"
      "192.0.2.12 - jo\\\"e [23/Apr/2026:16:19:00 +0100] \"GET / HTTP/1.1\" 401 10\n"
      // vhost without a port; vhost unknown ("-") before an IPv6 client
      "www.example.com 192.0.2.13 - - [23/Apr/2026:16:19:00 +0100] \"GET /x HTTP/1.1\" 200 1\n"
      "- 2001:db8::13 - - [23/Apr/2026:16:19:00 +0100] \"GET /y HTTP/1.1\" 404 1\n"
      // lighttpd: %h %V %u, then %I %O and a duration before referer and agent
      "192.0.2.14 www.example.net - [23/Apr/2026:16:19:00 +0100] \"GET /z HTTP/1.0\" 200 191 367 "
      "464 1 \"-\" \"nsscache\"\n"
      // through syslog
      "Apr 23 16:19:01 web1 nginx: 192.0.2.15 - - [23/Apr/2026:16:19:00 +0100] \"GET /s HTTP/1.1\" "
      "200 5 \"-\" \"curl/8.5.0\"\n"
      // Squid's logformat combined, a proxy's absolute URL
      "192.0.2.16 - jdoe [23/Apr/2026:16:19:00 +0100] \"GET http://example.com/p?q=1 HTTP/1.1\" "
      "200 5120 \"-\" \"Wget/1.21\" TCP_MISS:HIER_DIRECT\n"
      // Traefik: request count, router, backend, duration
      "192.0.2.17 - - [23/Apr/2026:15:19:00 +0000] \"GET /dash/ HTTP/2.0\" 401 17 \"-\" "
      "\"Mozilla/5.0\" "
      "72 \"auth@docker\" \"http://192.0.2.200:80\" 3ms\n"
      // a raw quote inside the request (servers before Apache 2.0.46)
      "192.0.2.18 - - [23/Apr/2026:16:19:00 +0100] \"GET /t?x=<b>\"y\"</b> HTTP/1.0\" 404 1164\n"
      // no response: status and bytes "-"
      "192.0.2.19 - - [23/Apr/2026:16:19:00 +0100] \"GET /u HTTP/1.1\" - - \"-\" \"Nikto\"\n"
      // a third quoted field that is not an address list
      "192.0.2.20 - - [23/Apr/2026:16:19:00 +0100] \"GET /v HTTP/1.1\" 200 1 \"-\" \"ua\" "
      "\"0.003\"\n"
      // Apache's escapes in the request: a quote, and a backslash before the closing quote
      "192.0.2.21 - - [23/Apr/2026:16:19:00 +0100] \"GET /w?a=\\\" 200 1 HTTP/1.1\" 404 7 \"-\" "
      "\"ua\"\n"
      "192.0.2.22 - - [23/Apr/2026:16:19:00 +0100] \"GET /w\\\\\" 400 7 \"-\" \"ua\"\n");
  REQUIRE(all.size() == 14);
  for (const auto& o : all) {
    INFO(o.raw << " -> " << o.reason);
    CHECK(o.status == LineStatus::record);
  }
  CHECK(all[0].time() == "2026-04-23T15:19:00Z");  // -0700
  CHECK(all[0].event.user == "frank");
  CHECK(all[0].event.referrer.empty());
  CHECK(all[0].event.user_agent.empty());
  CHECK(all[0].event.bytes == 2326);
  CHECK(all[1].event.user == "john doe");
  CHECK(ip(all[1].event.client) == "192.0.2.11");
  CHECK(all[1].event.host.empty());
  CHECK(all[2].event.user == "jo\\\"e");
  CHECK(all[3].event.host == "www.example.com");
  CHECK(all[3].event.host_port == 0);
  CHECK(ip(all[3].event.client) == "192.0.2.13");
  CHECK(all[4].event.host.empty());
  CHECK(ip(all[4].event.client) == "2001:db8::13");
  CHECK(all[5].event.host == "www.example.net");
  CHECK(all[5].event.user.empty());
  CHECK(all[5].event.bytes == 191);
  CHECK(all[5].event.user_agent == "nsscache");
  CHECK(all[6].event.device == "web1");
  CHECK(all[6].time() == "2026-04-23T15:19:00Z");  // the access log's time, not syslog's
  CHECK(all[7].event.url == "http://example.com/p?q=1");
  CHECK(all[7].event.user == "jdoe");
  CHECK(all[7].event.user_agent == "Wget/1.21");
  CHECK(all[8].event.user_agent == "Mozilla/5.0");
  CHECK(all[8].event.forwarded.empty());  // "auth@docker" follows a bare word, not the agent
  CHECK(all[8].event.start == all[8].event.time);  // 3ms is not read
  CHECK(all[9].event.method == "GET");
  CHECK(all[9].event.url == "/t?x=<b>\"y\"</b>");
  CHECK(all[9].event.status == 404);
  CHECK(all[10].event.status == 0);
  CHECK(all[10].event.bytes == 0);
  CHECK(all[10].event.user_agent == "Nikto");
  CHECK(all[11].event.forwarded.empty());
  CHECK(all[12].event.url == "/w?a=\\\" 200 1");  // an escaped quote does not end the request
  CHECK(all[12].event.status == 404);
  CHECK(all[12].event.bytes == 7);
  CHECK(all[13].event.method == "GET");
  CHECK(all[13].event.url == "/w\\\\");  // "\\" is an escaped backslash, then the closing quote
  CHECK(all[13].event.status == 400);
}

TEST_CASE("clf: long URLs are kept whole", "[proxy][clf]") {
  ProxyHarness h("clf");
  std::string url = "/q?" + std::string(10000, 'b');
  auto r = h.records("192.0.2.10 - - [23/Apr/2026:16:19:00 +0100] \"GET " + url +
                     " HTTP/1.1\" 414 0 \"-\" \"-\"\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].event.url == url);
  CHECK(r[0].event.status == 414);
}

TEST_CASE("clf: malformed and foreign lines say why", "[proxy][clf]") {
  ProxyHarness h("clf", "UTC", 2026);
  auto all = h.run(
      "192.0.2.10 - - [23/Apr/2026:16:19:00 +0100] \"GET /a HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0 "
      "(compatible; Googlebot/2.1\n"
      "192.0.2.10 - - [23/Apr/2026:16:19:00 +0100] \"GET /a HTTP/1.1\n"
      "192.0.2.10 - - [23/Apr/2026:16:19:00 +0100] \"GET /a HTTP/1.1\" 200\n"
      "192.0.2.10 - - [23/Apr/2026:25:19:00 +0100] \"GET /a HTTP/1.1\" 200 5\n"
      "192.0.2.10 - - [31/Apr/2026:16:19:00 +0100] \"GET /a HTTP/1.1\" 200 5\n"
      "192.0.2.10 - - [23/Apr/2026:16:19:00] \"GET /a HTTP/1.1\" 200 5\n"
      "192.0.2.10 - - [23/Apr/2026:16:19:00 +0100] GET /a HTTP/1.1 200 5\n"
      "192.0.2.10 - - [23/Apr/2026:16:19:00 +0100] \"GET /a HTTP/1.1\" 200 five\n"
      "[23/Apr/2026:16:19:00 +0100] \"GET /a HTTP/1.1\" 200 5\n"
      "192.0.2.10 - - [23/Apr/2026:16:19:00 +0100\n"
      "\n"
      "[Thu Apr 23 16:19:00.880562 2026] [auth_basic:error] [pid 10] [client 192.0.2.10:50229] "
      "AH01618: user sss not found: /\n"
      "2026/04/23 16:19:00 [error] 31#31: *46 open() failed, client: 192.0.2.10\n");
  REQUIRE(all.size() == 13);
  for (size_t i = 0; i < 10; ++i) {
    INFO(all[i].raw);
    CHECK(all[i].status == LineStatus::malformed);
  }
  CHECK(all[0].reason == "unterminated quoted field");
  CHECK(all[0].time() == "2026-04-23T15:19:00Z");
  CHECK(all[1].reason == "truncated line: no status after the request");
  CHECK(all[2].reason == "truncated line: no byte count");
  CHECK(all[3].reason == "bad time (expected dd/Mon/yyyy:HH:MM:SS +hhmm)");
  CHECK(all[3].event.time == kNoTime);
  CHECK(all[4].reason == "bad time (expected dd/Mon/yyyy:HH:MM:SS +hhmm)");
  CHECK(all[5].reason == "bad time (expected dd/Mon/yyyy:HH:MM:SS +hhmm)");
  CHECK(all[6].reason == "no quoted request after the time");
  CHECK(all[7].reason == "bad byte count");
  CHECK(all[8].reason == "too few fields before the time (expected host ident user)");
  CHECK(all[9].reason == "truncated line: time not closed");
  CHECK(all[10].status == LineStatus::skip);
  CHECK(all[11].status == LineStatus::foreign);
  CHECK(all[12].status == LineStatus::foreign);
}

TEST_CASE("clf: sniffing tells CLF from Squid's native log", "[proxy][clf]") {
  const FormatInfo& clf = formats::clf_access_format();
  const FormatInfo& squid = formats::squid_access_format();
  const char* why = "";
  std::string apache = test::read_sample("testdata/proxy/apache-vhost-combined.log");
  std::string nginx = test::read_sample("testdata/proxy/nginx-combined-xff.log");
  std::string native = test::read_sample("testdata/proxy/squid-access.log");
  CHECK(clf.sniff(apache, &why) == 90);
  CHECK(clf.sniff(nginx, &why) == 90);
  CHECK(clf.sniff(native, &why) == 0);
  CHECK(squid.sniff(apache, &why) == 0);
  CHECK(squid.sniff(nginx, &why) == 0);
  // HAProxy's httplog has a bracketed time without a zone: not CLF.
  CHECK(clf.sniff("Apr 23 16:19:00 lb haproxy[1]: 192.0.2.10:40123 [23/Apr/2026:16:19:00.123] "
                  "fe be/srv1 0/0/1/2/3 200 512 - - ---- 1/1/0/0/0 0/0 \"GET / HTTP/1.1\"\n",
                  &why) == 0);
}

TEST_CASE("clf: parse_time reads the time alone", "[proxy][clf]") {
  ProxyHarness h("clf", "UTC", 2026);
  auto parser = make_parser<ProxyEvent>(*h.format, h.ctx);
  Line line;
  line.text = "192.0.2.10 - - [23/Apr/2026:16:19:00 +0100] \"GET /a HTTP/1.1\" 200 5";
  ProxyEvent ev;
  CHECK(parser->parse_time(line, ev).status == LineStatus::skip);
  CHECK(format_rfc3339(ev.time) == "2026-04-23T15:19:00Z");
  CHECK(ev.url.empty());
  CHECK(ev.time_key == 0);
  // The same time again comes from the cache.
  line.text = "192.0.2.11 - - [23/Apr/2026:16:19:00 +0100] \"GET /b HTTP/1.1\" 200 5";
  CHECK(parser->parse_time(line, ev).status == LineStatus::skip);
  CHECK(format_rfc3339(ev.time) == "2026-04-23T15:19:00Z");
  line.text = "192.0.2.10 - - [23/Apr/2026:16:19:60 +0100] \"GET /a HTTP/1.1\" 200 5";
  CHECK(parser->parse_time(line, ev).status == LineStatus::skip);  // a leap second: :59
  CHECK(format_rfc3339(ev.time) == "2026-04-23T15:19:59Z");
  line.text = "192.0.2.10 - - [23/Apr/2026:16:19:00 +01] \"GET /a HTTP/1.1\" 200 5";
  CHECK(parser->parse_time(line, ev).status == LineStatus::malformed);
  CHECK(ev.time == kNoTime);
  line.text = "[Thu Apr 23 16:19:00.880562 2026] [core:error] [pid 1] AH00001: x";
  CHECK(parser->parse_time(line, ev).status == LineStatus::foreign);
  line.text =
      "Apr 23 16:19:01 web1 nginx: 192.0.2.15 - - [23/Apr/2026:16:19:00 +0100] \"GET /s "
      "HTTP/1.1\" 200 5";
  CHECK(parser->parse_time(line, ev).status == LineStatus::record);
  CHECK(ev.device == "web1");
}

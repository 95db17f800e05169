#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::ProxyHarness;
using tracekit::test::utc;

namespace {

std::string ip(const IpAddr& a) {
  return to_string(a);
}

std::string rfc3339(Instant t) {
  return format_rfc3339(t, true);
}

}  // namespace

TEST_CASE("squid: the sample access.log", "[proxy][squid]") {
  ProxyHarness h("squid");
  auto all = h.run(test::read_sample("testdata/proxy/squid-access.log"));
  REQUIRE(all.size() == 7);
  for (const auto& o : all) {
    INFO(o.raw << " -> " << o.reason);
    CHECK(o.status == LineStatus::record);
  }

  const ProxyEvent& get = all[0].event;
  CHECK(all[0].time() == "2026-04-23T15:19:00.123Z");
  CHECK(rfc3339(get.end) == "2026-04-23T15:19:00.123Z");
  CHECK(rfc3339(get.start) == "2026-04-23T15:18:59.278Z");  // 845 ms before
  CHECK(get.has_client);
  CHECK(ip(get.client) == "192.0.2.10");
  CHECK(get.client_text == "192.0.2.10");
  CHECK(get.result == "TCP_MISS");
  CHECK(get.status == 200);
  CHECK(get.has_bytes);
  CHECK(get.bytes == 5120);
  CHECK(get.method == "GET");
  CHECK(get.url == "http://example.com/index.html");
  CHECK(get.user.empty());
  CHECK(get.hierarchy == "HIER_DIRECT/198.51.100.7");
  CHECK(get.has_server_ip);
  CHECK(ip(get.server_ip) == "198.51.100.7");
  CHECK(get.content_type == "text/html");
  CHECK(get.device.empty());

  const ProxyEvent& connect = all[1].event;
  CHECK(connect.method == "CONNECT");
  CHECK(connect.url == "www.example.org:443");
  CHECK(connect.result == "TCP_TUNNEL");
  CHECK(rfc3339(connect.start) == "2026-04-23T15:18:00.995Z");  // a minute-long tunnel
  CHECK(all[1].time() == "2026-04-23T15:19:01.007Z");
  CHECK(connect.content_type.empty());

  CHECK(all[2].event.user == "jdoe");
  CHECK(all[2].event.start == all[2].event.end);  // 0 ms
  CHECK(!all[2].event.has_server_ip);
  CHECK(all[2].event.hierarchy == "HIER_NONE/-");

  CHECK(ip(all[3].event.client) == "2001:db8:10::25");
  CHECK(ip(all[3].event.server_ip) == "2001:db8:80::7");
  CHECK(all[3].event.status == 304);

  CHECK(all[4].event.status == 407);
  CHECK(all[4].event.result == "TCP_DENIED");

  // Squid URL-encodes the user name; it is kept as logged.
  CHECK(all[5].event.user == "john%20doe");
  CHECK(all[5].event.url == "http://example.org/login?next=%2Fhome");
  CHECK(all[5].event.hierarchy == "FIRSTUP_PARENT/198.51.100.53");
  CHECK(ip(all[5].event.server_ip) == "198.51.100.53");

  // No reply at all: status 000.
  CHECK(all[6].event.status == 0);
  CHECK(all[6].event.result == "NONE_NONE");
  CHECK(all[6].event.url == "error:transaction-end-before-headers");
  CHECK(all[6].event.bytes == 0);
}

TEST_CASE("squid: syslog prefix, host names, extra fields", "[proxy][squid]") {
  ProxyHarness h("squid", "UTC", 2026);
  auto all = h.run(
      "Apr 23 16:19:00 proxy1 squid[1234]: 1776957540.500    120 192.0.2.10 TCP_MISS/200 812 "
      "GET http://example.com/a - HIER_DIRECT/198.51.100.7 text/plain\n"
      "1776957541.000     17 ws-lab1-07.example.org TCP_HIT/200 99 GET http://example.com/b - "
      "HIER_NONE/- text/plain\n"
      "1776957542.000     17 192.0.2.11 TCP_MISS/200 99 GET http://example.com/c - "
      "HIER_DIRECT/www.example.com text/plain \"Mozilla/5.0 (X11)\" extra\n"
      "1776957543.000 " +
      std::string(4000, 'x') + "\n");
  REQUIRE(all.size() == 4);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].event.device == "proxy1");
  // The epoch field decides the time, not the year-less syslog date.
  CHECK(all[0].time() == "2026-04-23T15:19:00.500Z");
  CHECK(rfc3339(all[0].event.start) == "2026-04-23T15:19:00.380Z");
  CHECK(all[0].event.time_flags == kHasFraction);

  REQUIRE(all[1].status == LineStatus::record);
  CHECK(!all[1].event.has_client);
  CHECK(all[1].event.client_text == "ws-lab1-07.example.org");

  REQUIRE(all[2].status == LineStatus::record);
  CHECK(!all[2].event.has_server_ip);  // the peer logged by name
  CHECK(all[2].event.content_type == "text/plain");

  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[3].reason == "truncated line: fewer than 10 fields");
  CHECK(all[3].time() == "2026-04-23T15:19:03.000Z");
}

TEST_CASE("squid: long URLs are kept whole", "[proxy][squid]") {
  ProxyHarness h("squid");
  std::string url = "http://example.com/search?q=" + std::string(8000, 'a');
  auto r = h.records("1776957540.000      5 192.0.2.10 TCP_MISS/200 10 GET " + url +
                     " - HIER_DIRECT/198.51.100.7 text/html\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].event.url == url);
  CHECK(r[0].event.url.size() == 8028);
}

TEST_CASE("squid: malformed and foreign lines say why", "[proxy][squid]") {
  ProxyHarness h("squid", "UTC", 2026);
  auto all = h.run(
      "1776957540.123    845 192.0.2.10 TCP_MISS/200 5120 GET http://example.com/ -\n"
      "1776957540,123    845 192.0.2.10 TCP_MISS/200 5120 GET http://example.com/ - HIER_NONE/- -\n"
      "1776957540.123    abc 192.0.2.10 TCP_MISS/200 5120 GET http://example.com/ - HIER_NONE/- -\n"
      "1776957540.123    845 192.0.2.10 TCP_MISS 5120 GET http://example.com/ - HIER_NONE/- -\n"
      "1776957540.123    845 192.0.2.10 TCP_MISS/2x0 5120 GET http://example.com/ - HIER_NONE/- -\n"
      "1776957540.123    845 192.0.2.10 TCP_MISS/200 -1 GET http://example.com/ - HIER_NONE/- -\n"
      "1776957540.123     -5 192.0.2.10 TCP_MISS/200 5 GET http://example.com/ - HIER_NONE/- -\n"
      "\n"
      "# a comment\n"
      "Apr 23 16:19:00 proxy1 kernel: [123.456] eth0: link up\n"
      "2026/04/23 16:19:00 kid1| Starting Squid Cache version 6.1\n");
  REQUIRE(all.size() == 11);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason == "truncated line: fewer than 10 fields");
  CHECK(all[0].time() == "2026-04-23T15:19:00.123Z");
  CHECK(all[1].status == LineStatus::malformed);
  CHECK(all[1].reason == "bad time (expected epoch seconds[.milliseconds])");
  CHECK(all[1].event.time == kNoTime);
  CHECK(all[2].reason == "bad elapsed time");
  CHECK(all[3].reason == "bad result code/status");
  CHECK(all[4].reason == "bad HTTP status");
  CHECK(all[5].reason == "bad byte count");
  CHECK(all[6].reason == "bad elapsed time");
  for (size_t i = 0; i < 7; ++i) CHECK(all[i].status == LineStatus::malformed);
  CHECK(all[7].status == LineStatus::skip);
  CHECK(all[8].status == LineStatus::foreign);
  CHECK(all[9].status == LineStatus::foreign);
  CHECK(all[9].reason == "syslog line that is not a Squid access.log line");
  CHECK(all[9].time() == "2026-04-23T16:19:00Z");  // the syslog time, for coverage
  CHECK(all[10].status == LineStatus::foreign);
}

TEST_CASE("squid: sniffing", "[proxy][squid]") {
  const FormatInfo& f = formats::squid_access_format();
  const char* why = "";
  CHECK(f.sniff(test::read_sample("testdata/proxy/squid-access.log"), &why) == 95);
  CHECK(f.sniff("Apr 23 16:19:00 proxy1 squid[1234]: 1776957540.500    120 192.0.2.10 "
                "TCP_MISS/200 812 GET http://example.com/a - HIER_DIRECT/198.51.100.7 text/plain\n",
                &why) == 95);
  // Squid's "common" logformat is CLF, not this format.
  CHECK(f.sniff("192.0.2.10 - - [23/Apr/2026:16:19:00 +0100] \"GET http://example.com/ "
                "HTTP/1.1\" 200 5120 TCP_MISS:HIER_DIRECT\n",
                &why) == 0);
  CHECK(f.sniff("1776957540.123 192.0.2.10 40123 198.51.100.7 443\n", &why) == 0);
}

TEST_CASE("squid: parse_time reads the time alone", "[proxy][squid]") {
  ProxyHarness h("squid", "UTC", 2026);
  auto parser = make_parser<ProxyEvent>(*h.format, h.ctx);
  Line line;
  line.text =
      "1776957540.123    845 192.0.2.10 TCP_MISS/200 5120 GET http://example.com/ - HIER_NONE/- -";
  ProxyEvent ev;
  LineResult r = parser->parse_time(line, ev);
  CHECK(r.status == LineStatus::skip);
  CHECK(format_rfc3339(ev.time, true) == "2026-04-23T15:19:00.123Z");
  CHECK(ev.time_flags == kHasFraction);
  CHECK(ev.time_key == 15);  // the field and the space after it
  CHECK(ev.url.empty());
  line.text = "1776957540,123    845 192.0.2.10 TCP_MISS/200 5120 GET http://example.com/ - - -";
  CHECK(parser->parse_time(line, ev).status == LineStatus::malformed);
  line.text =
      "Apr 23 16:19:00 proxy1 squid[1]: 1776957540.500    120 192.0.2.10 TCP_MISS/200 812 GET "
      "http://example.com/a - HIER_DIRECT/198.51.100.7 text/plain";
  CHECK(parser->parse_time(line, ev).status == LineStatus::record);
  CHECK(format_rfc3339(ev.time, true) == "2026-04-23T15:19:00.500Z");
  CHECK(ev.time_key == 0);
}

#include "format_list.h"
#include "parse_harness.h"

#include <catch2/catch.hpp>

using namespace tracekit;
using tracekit::test::ProxyHarness;

namespace {

std::string ip(const IpAddr& a) {
  return to_string(a);
}

// The sample's records, TSV or JSON: the same four requests.
void check_sample_records(const std::vector<test::Outcome<ProxyEvent>>& r) {
  REQUIRE(r.size() == 4);
  const ProxyEvent& e = r[0].event;
  CHECK(r[0].time() == "2026-04-23T15:19:00.123456Z");
  CHECK(e.start == e.time);
  CHECK(e.end == e.time);
  CHECK(e.has_client);
  CHECK(ip(e.client) == "192.0.2.10");
  CHECK(e.client_text == "192.0.2.10");
  CHECK(e.client_port == 51234);
  CHECK(e.has_server_ip);
  CHECK(ip(e.server_ip) == "198.51.100.7");
  CHECK(e.server_port == 80);
  CHECK(e.method == "GET");
  CHECK(e.host == "www.example.com");
  CHECK(e.url == "/index.html");
  CHECK(e.referrer.empty());
  CHECK(e.user_agent == "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0");
  CHECK(e.status == 200);
  CHECK(e.has_bytes);
  CHECK(e.bytes == 5120);
  CHECK(e.content_type == "text/html");
  CHECK(e.user.empty());
  CHECK(e.forwarded.empty());

  CHECK(r[1].time() == "2026-04-23T15:19:01.500Z");
  CHECK(ip(r[1].event.client) == "2001:db8:10::25");
  CHECK(ip(r[1].event.server_ip) == "2001:db8:80::7");
  CHECK(r[1].event.server_port == 8080);
  CHECK(r[1].event.host == "api.example.org:8080");
  CHECK(r[1].event.user == "jdoe");
  CHECK(r[1].event.referrer == "http://www.example.org/form");
  CHECK(r[1].event.status == 201);
  CHECK(r[1].event.content_type == "application/json");

  CHECK(r[2].time() == "2026-04-23T15:19:02.000001Z");
  CHECK(r[2].event.method == "CONNECT");
  CHECK(r[2].event.url == "www.example.net:443");
  CHECK(r[2].event.host.empty());
  CHECK(r[2].event.content_type.empty());

  CHECK(r[3].time() == "2026-04-23T15:19:03.250Z");
  CHECK(r[3].event.status == 404);
  CHECK(r[3].event.bytes == 0);
}

}  // namespace

TEST_CASE("zeek-http: the TSV sample", "[proxy][zeek-http]") {
  ProxyHarness h("zeek-http");
  auto all = h.run(test::read_sample("testdata/proxy/zeek-http.log"));
  REQUIRE(all.size() == 13);
  for (size_t i = 0; i < 8; ++i) CHECK(all[i].status == LineStatus::skip);
  CHECK(all[12].status == LineStatus::skip);  // #close
  auto r = h.records(test::read_sample("testdata/proxy/zeek-http.log"));
  check_sample_records(r);
  CHECK(r[1].event.user_agent == "curl/8.5.0");
  CHECK(r[3].event.url == "/search?q=caf\\xc3\\xa9\\x09menu");  // as written
  CHECK(r[3].event.forwarded == "203.0.113.9");
}

TEST_CASE("zeek-http: the JSON sample", "[proxy][zeek-http]") {
  ProxyHarness h("zeek-http");
  auto all = h.run(test::read_sample("testdata/proxy/zeek-http.json"));
  for (const auto& o : all) {
    INFO(o.raw << " -> " << o.reason);
    CHECK(o.status == LineStatus::record);
  }
  auto r = h.records(test::read_sample("testdata/proxy/zeek-http.json"));
  check_sample_records(r);
  CHECK(r[1].event.user_agent == "curl/8.5.0 \\\"patched\\\"");  // JSON escapes as written
  CHECK(r[3].event.url == "/search?q=caf\\u00e9");
  CHECK(r[3].event.forwarded == "203.0.113.9, 10.0.0.2");
}

TEST_CASE("zeek-http: header variants", "[proxy][zeek-http]") {
  SECTION("zeek-cut output with a bare header line") {
    ProxyHarness h("zeek-http");
    auto all = h.run(
        "ts\tid.orig_h\tmethod\thost\turi\tstatus_code\n"
        "1776957540.000000\t192.0.2.10\tGET\twww.example.com\t/a\t200\n");
    REQUIRE(all.size() == 2);
    CHECK(all[0].status == LineStatus::skip);
    REQUIRE(all[1].status == LineStatus::record);
    CHECK(all[1].event.url == "/a");
    CHECK(all[1].event.host == "www.example.com");
    CHECK(all[1].event.status == 200);
    CHECK(!all[1].event.has_server_ip);
    CHECK(!all[1].event.has_bytes);
    CHECK(all[1].time() == "2026-04-23T15:19:00.000Z");
  }
  SECTION("no header: Zeek's default column order") {
    ProxyHarness h("zeek-http");
    auto r = h.records(
        "1776957540.000000\tCx\t192.0.2.10\t51234\t198.51.100.7\t80\t1\tGET\twww.example.com\t/b\t"
        "-\t1.1\tcurl\t-\t0\t42\t200\tOK\t-\t-\t(empty)\t-\t-\t-\t-\t-\t-\t-\t-\ttext/plain\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].event.url == "/b");
    CHECK(r[0].event.bytes == 42);
    CHECK(r[0].event.content_type == "text/plain");
  }
  SECTION("JSON keys without dots, a sensor's own keys") {
    ProxyHarness h("zeek-http");
    auto r = h.records(
        "{\"@stream\":\"http\",\"@system\":\"sensor1\",\"ts\":1776957540.5,\"uid\":\"Cx\","
        "\"id_orig_h\":\"192.0.2.10\",\"id_orig_p\":60757,\"id_resp_h\":\"198.51.100.7\","
        "\"id_resp_p\":80,\"method\":\"OPTIONS\",\"host\":\"198.51.100.7\",\"uri\":\"/\","
        "\"status_code\":403,\"tags\":[],\"resp_mime_types\":[\"text/html\"],"
        "\"client_header_names\":[\"HOST\"]}\n");
    REQUIRE(r.size() == 1);
    CHECK(ip(r[0].event.client) == "192.0.2.10");
    CHECK(r[0].event.client_port == 60757);
    CHECK(r[0].event.server_port == 80);
    CHECK(r[0].event.method == "OPTIONS");
    CHECK(r[0].event.status == 403);
    CHECK(r[0].time() == "2026-04-23T15:19:00.500Z");
  }
  SECTION("JSON null is unset, the string \"null\" is not") {
    ProxyHarness h("zeek-http");
    auto r = h.records(
        "{\"ts\":1776957540.0,\"id.orig_h\":\"192.0.2.10\",\"uri\":\"/d\",\"username\":null,"
        "\"host\":\"null\",\"status_code\":null}\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].event.user.empty());
    CHECK(r[0].event.host == "null");
    CHECK(r[0].event.status == 0);
  }
  SECTION("integer milliseconds") {
    ProxyHarness h("zeek-http");
    auto r = h.records("{\"ts\":1776957540250,\"id.orig_h\":\"192.0.2.10\",\"uri\":\"/c\"}\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].time() == "2026-04-23T15:19:00.250Z");
  }
  SECTION("logs of another path are foreign") {
    ProxyHarness h("zeek-http");
    auto all = h.run(
        "#separator \\x09\n"
        "#path\tconn\n"
        "#fields\tts\tuid\tid.orig_h\n"
        "1776957540.000000\tCx\t192.0.2.10\n"
        "{\"_path\":\"dns\",\"ts\":1776957540.0,\"id.orig_h\":\"192.0.2.10\"}\n");
    REQUIRE(all.size() == 5);
    CHECK(all[3].status == LineStatus::foreign);
    CHECK(all[3].reason == "not a Zeek http log (#path)");
    CHECK(all[4].status == LineStatus::foreign);
  }
}

TEST_CASE("zeek-http: malformed rows and their reasons", "[proxy][zeek-http]") {
  ProxyHarness h("zeek-http");
  auto all = h.run(
      "#separator \\x09\n"
      "#path\thttp\n"
      "#fields\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmethod\turi\tstatus_code\t"
      "response_body_len\n"
      "XXXXXXXXXX.XXXXXX\t192.0.2.10\t51234\t198.51.100.7\t80\tGET\t/\t200\t10\n"
      "1776957540.000000\t192.0.2.300\t51234\t198.51.100.7\t80\tGET\t/\t200\t10\n"
      "1776957540.000000\t192.0.2.10\t70000\t198.51.100.7\t80\tGET\t/\t200\t10\n"
      "1776957540.000000\t192.0.2.10\t51234\tnot-an-ip\t80\tGET\t/\t200\t10\n"
      "1776957540.000000\t192.0.2.10\t51234\t198.51.100.7\t80\tGET\t/\tOK\t10\n"
      "1776957540.000000\t-\t51234\t198.51.100.7\t80\tGET\t/\t200\t10\n"
      "1776957540.000000\t192.0.2.10\t51234\t198.51.100.7\t80\tGET\t/\t200\tmany\n"
      "garbage\n"
      "{\"ts\":1776957540.0,\"id.orig_h\":\"192.0.2.10\",\"uri\":\"/unterminated}\n"
      "{\"ts\":\"yesterday\",\"id.orig_h\":\"192.0.2.10\"}\n");
  REQUIRE(all.size() == 13);
  for (size_t i = 3; i < 13; ++i) {
    INFO(all[i].raw);
    CHECK(all[i].status == LineStatus::malformed);
  }
  CHECK(all[3].reason == "timestamp not a number");
  CHECK(all[3].event.time == kNoTime);
  CHECK(all[4].reason == "bad id.orig_h");
  CHECK(all[4].time() == "2026-04-23T15:19:00.000Z");  // still counts for coverage
  CHECK(all[5].reason == "bad id.orig_p");
  CHECK(all[6].reason == "bad id.resp_h");
  CHECK(all[7].reason == "bad status_code");
  CHECK(all[8].reason == "no id.orig_h");
  CHECK(all[9].reason == "bad response_body_len");
  CHECK(all[10].reason == "not a tab-separated row");
  CHECK(all[11].reason == "JSON: unterminated string");
  CHECK(all[12].reason == "bad ISO 8601 timestamp");
}

TEST_CASE("zeek-http: sniffing", "[proxy][zeek-http]") {
  const FormatInfo& f = formats::zeek_http_format();
  const char* why = "";
  CHECK(f.sniff(test::read_sample("testdata/proxy/zeek-http.log"), &why) == 95);
  CHECK(f.sniff(test::read_sample("testdata/proxy/zeek-http.json"), &why) == 90);
  CHECK(f.sniff("ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\t"
                "uri\n",
                &why) == 85);
  CHECK(f.sniff("#separator \\x09\n#path\tdhcp\n", &why) == 0);
  CHECK(f.sniff(test::read_sample("testdata/proxy/squid-access.log"), &why) == 0);
  CHECK(f.sniff(test::read_sample("testdata/proxy/nginx-combined-xff.log"), &why) == 0);
  // Other families' Zeek sniffers leave http.log alone.
  const char* w2 = "";
  CHECK(formats::zeek_dhcp_format().sniff(test::read_sample("testdata/proxy/zeek-http.log"), &w2) ==
        0);
}

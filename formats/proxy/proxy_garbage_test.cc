// Every proxy parser over bytes that are half its format: pieces of access
// log lines, Zeek headers and JSON shuffled with binary garbage, NUL bytes,
// unbalanced quotes and brackets, dangling backslashes. Nothing may crash or
// hang; every record has a time, every malformed line a reason.
#include <catch2/catch.hpp>
#include <random>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::ProxyHarness;

TEST_CASE("proxy parsers survive garbage", "[proxy][garbage]") {
  std::mt19937 rng(20260423);
  const std::string pieces[] = {"\"",
                                "\\",
                                "\\\"",
                                " ",
                                "  ",
                                "\t",
                                "\n",
                                "\r",
                                "[",
                                "]",
                                "[23/Apr/2026:16:19:00 +0100]",
                                "[31/Feb/2026:99:19:00 +9999]",
                                "\"GET / HTTP/1.1\"",
                                " 200 ",
                                " - ",
                                "192.0.2.10",
                                "2001:db8::1",
                                "www.example.org:443",
                                "1776957540.123",
                                "   845",
                                "TCP_MISS/200",
                                "HIER_DIRECT/198.51.100.7",
                                "Apr 23 16:19:00 proxy1 squid[1]: ",
                                "#separator \\x09\n",
                                "#path\thttp\n",
                                "#fields\tts\tid.orig_h\turi\tresp_mime_types\tproxied\n",
                                "ts\t",
                                "{",
                                "}",
                                "\"ts\":",
                                "\"id.orig_h\":",
                                "[\"",
                                "X-FORWARDED-FOR -> ",
                                ",",
                                ":",
                                "\xff\xfe",
                                std::string(1, '\0'),
                                std::string(300, 'x')};
  for (const char* name : {"squid", "clf", "zeek-http"}) {
    for (int round = 0; round < 300; ++round) {
      std::string text;
      size_t n = rng() % 120;
      for (size_t k = 0; k < n; ++k) text += pieces[rng() % std::size(pieces)];
      ProxyHarness h(name);
      INFO(name << " round " << round);
      for (const auto& o : h.run(text)) {
        if (o.status == LineStatus::malformed) CHECK_FALSE(o.reason.empty());
        if (o.status == LineStatus::record) CHECK(o.event.time != kNoTime);
      }
    }
  }
}

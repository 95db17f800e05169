// Every owner parser over bytes that are not its format: binary garbage, NUL
// bytes, unbalanced quotes, lone continuation lines, overlong fields. Nothing
// may crash or hang, and every line must get an outcome with a reason.
#include <catch2/catch.hpp>
#include <random>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::OwnerHarness;

TEST_CASE("owner parsers survive garbage", "[owner][garbage]") {
  std::mt19937 rng(20261122);
  std::string pieces[] = {"\"",   ",",
                          "\t",   "\n",
                          " ",    ":",
                          "::",   "=",
                          "dn: ", "uid: ",
                          "#",    "\r",
                          "/24",  "10.20.5.17",
                          "-",    "\xff",
                          "a",    "Zoë",
                          "\"\"", ";",
                          "\0",   "52:54:00:12:34:05"};
  for (const char* name : {"csv", "passwd", "ldif", "address-register", "device-register"}) {
    for (int round = 0; round < 200; ++round) {
      std::string text;
      size_t n = rng() % 200;
      for (size_t k = 0; k < n; ++k) {
        const std::string& p = pieces[rng() % std::size(pieces)];
        text += p.empty() ? std::string(1, '\0') : p;
      }
      OwnerHarness h(name);
      INFO(name << " round " << round);
      auto all = h.run(text);
      for (const auto& o : all)
        if (o.status == LineStatus::malformed) CHECK_FALSE(o.reason.empty());
    }
  }
}

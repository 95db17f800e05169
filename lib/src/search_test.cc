#include "tracekit/search.h"

#include <catch2/catch.hpp>
#include <string>

using namespace tracekit;

namespace {
long find(const std::string& hay, std::string_view needle) {
  const char* r = find_literal(hay.data(), hay.data() + hay.size(), needle);
  return r ? long(r - hay.data()) : -1;
}
}  // namespace

TEST_CASE("find_literal agrees with std::string::find everywhere", "[search]") {
  std::string hay;
  for (int i = 0; i < 300; ++i) hay += "DHCPACK on 10.51.8." + std::to_string(i % 97) + " x\n";
  for (std::string needle :
       {"10.51.8.52 ", "10.51.8.5", "1", "x\nD", "10.51.8.96 x\n", "nothere", "10.51.8.960"}) {
    INFO(needle);
    size_t expect = hay.find(needle);
    CHECK(find(hay, needle) == (expect == std::string::npos ? -1 : long(expect)));
  }
  // Every alignment, including matches at the very end (the SIMD tail).
  for (size_t len = 1; len < 40; ++len) {
    std::string s(len, 'a');
    s.replace(len - 1, 1, "b");
    CHECK(find(s, "ab") == (len >= 2 ? long(len - 2) : -1));
    CHECK(find(s, "b") == long(len - 1));
  }
  CHECK(find("", "a") == -1);
  CHECK(find("abc", "abcd") == -1);
}

TEST_CASE("count_newlines", "[search]") {
  std::string s;
  size_t expect = 0;
  for (int i = 0; i < 1000; ++i) {
    s += std::string(size_t(i % 37), 'x');
    if (i % 3 == 0) {
      s += '\n';
      ++expect;
    }
  }
  CHECK(count_newlines(s.data(), s.data() + s.size()) == expect);
  CHECK(count_newlines(s.data(), s.data()) == 0);
}

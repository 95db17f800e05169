#include "tracekit/search.h"

#include <sys/mman.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
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

TEST_CASE("bytes_equal tells every differing byte, whatever the length", "[search]") {
  // Each length from 0 to 70 (byte loop, 4-, 8- and 16-byte loads with an
  // overlapping last one), each position changed in turn, and the bytes
  // around the range changed (they must not count).
  std::string a, b;
  for (size_t i = 0; i < 80; ++i) a.push_back(char('0' + i % 43));
  for (size_t n = 0; n <= 70; ++n) {
    INFO("length " << n);
    b = a;
    b[n] ^= 0x20;  // the byte after the range
    CHECK(bytes_equal(a.data() + 1, b.data() + 1, n - (n > 0)));
    CHECK(bytes_equal(a.data(), b.data(), n));
    for (size_t k = 0; k < n; ++k) {
      b = a;
      b[k] ^= 0x01;
      if (bytes_equal(a.data(), b.data(), n)) FAIL_CHECK("byte " << k << " not compared");
      b[k] = char(0x80 | b[k]);  // (and a byte above 0x7f)
      if (bytes_equal(a.data(), b.data(), n)) FAIL_CHECK("byte " << k << " not compared");
    }
  }
}

TEST_CASE("bytes_equal reads nothing outside the bytes it compares", "[search]") {
  // Both ranges flush against an inaccessible page, after them and then
  // before them: a load past either end faults.
  const size_t page = size_t(::sysconf(_SC_PAGESIZE));
  char* m = static_cast<char*>(
      ::mmap(nullptr, 3 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  REQUIRE(m != MAP_FAILED);
  REQUIRE(::mprotect(m, page, PROT_NONE) == 0);
  REQUIRE(::mprotect(m + 2 * page, page, PROT_NONE) == 0);
  char* usable = m + page;  // one page, guarded on both sides
  for (size_t i = 0; i < page; ++i) usable[i] = char('a' + i % 7);
  for (size_t n = 0; n <= 100; ++n) {
    INFO("length " << n);
    const char* end_a = usable + page - n;  // ends at the guard after
    const char* end_b = end_a - 7;          // the same bytes (a period of 7), earlier
    const char* start = usable;             // begins at the guard before
    CHECK(bytes_equal(end_a, end_b, n));    // equal: every load is made
    CHECK(bytes_equal(start, start + 7, n));
    CHECK(bytes_equal(start, end_a, n) == (std::memcmp(start, end_a, n) == 0));
    CHECK(bytes_equal(end_a, start, n) == (std::memcmp(end_a, start, n) == 0));
  }
  ::munmap(m, 3 * page);
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

TEST_CASE("byte_mask32 marks the byte asked in the first 32", "[search]") {
  // Every length around the vector width, the byte at every place, and
  // bytes past the 32nd or past the end never marked.
  std::string s(80, 'x');
  for (size_t len = 0; len <= 40; ++len)
    for (size_t at = 0; at < 40; ++at) {
      s.assign(80, 'x');
      s[at] = ' ';
      s[at + 7] = ' ';
      uint32_t expect = 0;
      for (size_t i = 0; i < std::min<size_t>(len, 32); ++i)
        if (s[i] == ' ') expect |= uint32_t(1) << i;
      INFO("len " << len << " at " << at);
      CHECK(byte_mask32(s.data(), s.data() + len, ' ') == expect);
    }
  CHECK(byte_mask32(s.data(), s.data() + 32, 'y') == 0);
  std::string all(32, 'y');
  CHECK(byte_mask32(all.data(), all.data() + all.size(), 'y') == 0xffffffffu);
}

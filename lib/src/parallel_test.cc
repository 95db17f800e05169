#include "tracekit/parallel.h"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <vector>

using namespace tracekit;

TEST_CASE("split_in_two covers every index once, in two ranges from a batch's size", "[parallel]") {
  for (size_t n : {size_t(0), size_t(1), size_t(2), size_t(255), size_t(256), size_t(1001)}) {
    std::vector<int> seen(n, 0);
    std::vector<std::pair<size_t, size_t>> ranges(2, {0, 0});
    size_t calls = 0;
    split_in_two(n, 256, [&](size_t from, size_t to) {
      // (Each range writes only its own slots.)
      for (size_t k = from; k < to; ++k) ++seen[k];
      ranges[from == 0 ? 0 : 1] = {from, to};
      __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
    });
    for (int s : seen) REQUIRE(s == 1);
    if (n >= 256 && !one_thread()) {
      CHECK(calls == 2);
      CHECK(ranges[0] == std::pair{size_t(0), n / 2});
      CHECK(ranges[1] == std::pair{n / 2, n});
    } else {
      CHECK(calls == 1);
      CHECK(ranges[0] == std::pair{size_t(0), n});
    }
  }
}

TEST_CASE("split_in_two throws what either range threw, after both end", "[parallel]") {
  for (bool first : {true, false}) {
    if (!first && one_thread()) continue;  // (one range only: it is the first)
    std::vector<int> done(512, 0);
    auto work = [&](size_t from, size_t to) {
      for (size_t k = from; k < to; ++k) done[k] = 1;
      if ((from == 0) == first) throw std::runtime_error(first ? "first" : "second");
    };
    try {
      split_in_two(done.size(), 2, work);
      FAIL("nothing thrown");
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()) == (first ? "first" : "second"));
    }
    if (!one_thread())
      for (int d : done) CHECK(d == 1);  // the other range still ran whole
  }
}

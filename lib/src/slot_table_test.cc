#include "tracekit/slot_table.h"

#include <catch2/catch.hpp>
#include <deque>
#include <map>
#include <random>

using namespace tracekit;

TEST_CASE("slot table: finds what it took, gives the oldest slot away when full", "[slot_table]") {
  struct Slot {
    uint64_t value = 0;
  };
  SlotTable<Slot, 64> t;
  std::map<uint64_t, uint64_t> model;
  std::deque<uint64_t> order;  // keys in the order their slots were taken
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    // Few distinct keys, some colliding in their home bucket: every probe path.
    uint64_t key = (rng() % 200) * (i % 3 == 0 ? 1 : (uint64_t(1) << 40));
    if (rng() % 2) {
      Slot* s = t.find(key);
      auto it = model.find(key);
      REQUIRE((s != nullptr) == (it != model.end()));
      if (s) CHECK(s->value == it->second);
      continue;
    }
    bool had = model.count(key) > 0;
    Slot& s = t.take(key);
    if (!had) {
      CHECK(s.value == 0);
      order.push_back(key);
      if (order.size() > 64) {
        model.erase(order.front());
        order.pop_front();
      }
    }
    s.value = uint64_t(i) + 1;
    model[key] = s.value;
    REQUIRE(t.size() == std::min<size_t>(order.size(), 64));
  }
  for (const auto& [key, value] : model) {
    Slot* s = t.find(key);
    REQUIRE(s);
    CHECK(s->value == value);
  }
  t.clear();
  CHECK(t.size() == 0);
  CHECK(t.find(order.back()) == nullptr);
}

TEST_CASE("slot table: hash_text", "[slot_table]") {
  CHECK(hash_text("") == 1469598103934665603ull);
  CHECK(hash_text("a") != hash_text("b"));
}

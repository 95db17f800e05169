// A fixed-capacity table of per-session state for parsers that remember what
// earlier lines said (a VPN client instance, an IKE_SA), keyed by a 64-bit
// key (a hash of the session's text, or its number). Header-only; all memory
// is taken at construction, so the per-line path never allocates. When full,
// the slot taken longest ago is given to the new key (its state is lost: a
// session whose end was never logged). References stay valid until the next
// take() or clear().
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace tracekit {

// FNV-1a of the bytes of s (for slot keys).
inline uint64_t hash_text(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) h = (h ^ uint8_t(c)) * 1099511628211ull;
  return h;
}

template <class Slot, size_t kCapacity = 4096>
class SlotTable {
  static_assert(kCapacity > 0 && kCapacity < 65535, "slot indexes are 16-bit");
  static constexpr size_t kBuckets = [] {
    size_t b = 1;
    while (b < 2 * kCapacity) b <<= 1;
    return b;
  }();

 public:
  SlotTable() : keys_(kCapacity), slots_(kCapacity), index_(kBuckets, 0) {}

  // The slot of `key`, or null.
  Slot* find(uint64_t key) {
    for (size_t b = home(key);; b = (b + 1) & (kBuckets - 1)) {
      uint16_t v = index_[b];
      if (v == 0) return nullptr;
      if (keys_[v - 1] == key) return &slots_[v - 1];
    }
  }

  // The slot of `key`; a new one (value-initialised) when there is none.
  Slot& take(uint64_t key) {
    if (Slot* s = find(key)) return *s;
    uint16_t at;
    if (used_ < kCapacity) {
      at = uint16_t(used_++);
    } else {
      at = uint16_t(victim_);
      victim_ = (victim_ + 1) % kCapacity;
      erase_index(keys_[at]);
    }
    keys_[at] = key;
    slots_[at] = Slot{};
    size_t b = home(key);
    while (index_[b] != 0) b = (b + 1) & (kBuckets - 1);
    index_[b] = uint16_t(at + 1);
    return slots_[at];
  }

  // Forgets every slot (keeps the memory).
  void clear() {
    std::fill(index_.begin(), index_.end(), uint16_t(0));
    used_ = 0;
    victim_ = 0;
  }

  size_t size() const { return used_; }

 private:
  static size_t home(uint64_t key) {
    return size_t((key * 0x9E3779B97F4A7C15ull) >> 32) & (kBuckets - 1);
  }

  // Linear probing's deletion: entries after the hole move back when their
  // home does not lie between the hole and themselves.
  void erase_index(uint64_t key) {
    size_t i = home(key);
    while (index_[i] != 0 && keys_[index_[i] - 1] != key) i = (i + 1) & (kBuckets - 1);
    if (index_[i] == 0) return;
    index_[i] = 0;
    for (size_t j = (i + 1) & (kBuckets - 1); index_[j] != 0; j = (j + 1) & (kBuckets - 1)) {
      size_t h = home(keys_[index_[j] - 1]);
      bool stays = (i <= j) ? (i < h && h <= j) : (i < h || h <= j);
      if (stays) continue;
      index_[i] = index_[j];
      index_[j] = 0;
      i = j;
    }
  }

  std::vector<uint64_t> keys_;
  std::vector<Slot> slots_;
  std::vector<uint16_t> index_;  // slot + 1; 0: empty
  size_t used_ = 0, victim_ = 0;
};

}  // namespace tracekit

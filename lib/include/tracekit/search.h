// Literal search for prefilters: the first occurrence of a short needle in a
// block of text, without allocation. Uses SSE2 (first/last byte filter, then a
// compare) where available, memmem otherwise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace tracekit {

// Returns a pointer to the first occurrence of `needle` in [begin, end), or null.
const char* find_literal(const char* begin, const char* end, std::string_view needle);

// Whether the n bytes at a and b are equal: memcmp(a, b, n) == 0 for the few
// bytes a prefilter compares, inline (a call to the library's memcmp costs
// more than the compare when it runs for every line).
inline bool bytes_equal(const char* a, const char* b, size_t n) {
  // The shortest first (a separator, a byte or two of a needle), then whole
  // loads only, the last one overlapping the one before it (bytes compared
  // twice are equal, or the first compare failed).
  if (n < 4) {
    while (n--)
      if (*a++ != *b++) return false;
    return true;
  }
  if (n < 8) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, a, 4);
    std::memcpy(&y0, b, 4);
    std::memcpy(&x1, a + n - 4, 4);
    std::memcpy(&y1, b + n - 4, 4);
    return x0 == y0 && x1 == y1;
  }
  auto word = [](const char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
#if defined(__SSE2__)
  if (n >= 16) {
    auto equal16 = [](const char* x, const char* y) {
      __m128i u = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(y));
      return _mm_movemask_epi8(_mm_cmpeq_epi8(u, v)) == 0xffff;
    };
    for (size_t i = 0; i + 16 < n; i += 16)
      if (!equal16(a + i, b + i)) return false;
    return equal16(a + n - 16, b + n - 16);
  }
#endif
  for (size_t i = 0; i + 8 < n; i += 8)
    if (word(a + i) != word(b + i)) return false;
  return word(a + n - 8) == word(b + n - 8);
}

#if defined(__x86_64__) && defined(__GNUC__)
// Whether the CPU has AVX2 (checked once): find_avx2_each may be called.
extern const bool kHaveAvx2;

// The first place in [p, end) where `needle` (two bytes or more) starts and
// `take(place)` is true, 32 starting places at a time: first, middle and
// last bytes compared at once (in text dense with digits, an address in a
// log of addresses, two bytes alone let through many places), then the
// rest of each candidate. Null when there is none before fewer than 32
// places are left, with `p` where they start (for a plain loop to finish).
template <class Take>
__attribute__((target("avx2"))) const char* find_avx2_each(const char*& p, const char* end,
                                                           std::string_view needle, Take&& take) {
  const size_t n = needle.size(), mid = n / 2;
  const __m256i first = _mm256_set1_epi8(needle[0]);
  const __m256i middle = _mm256_set1_epi8(needle[mid]);
  const __m256i last = _mm256_set1_epi8(needle[n - 1]);
  while (end - p >= ptrdiff_t(n + 31)) {
    __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    __m256i m = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + mid));
    __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + n - 1));
    unsigned mask = unsigned(_mm256_movemask_epi8(_mm256_and_si256(
        _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(m, middle)),
        _mm256_cmpeq_epi8(b, last))));
    for (; mask; mask &= mask - 1) {
      const char* hit = p + __builtin_ctz(mask);
      if (bytes_equal(hit + 1, needle.data() + 1, n - 2) && take(hit)) return hit;
    }
    p += 32;
  }
  return nullptr;
}
#endif

// Bit i set where begin[i] == c, for the first 32 bytes of [begin, end)
// (fewer when the range is shorter): where the first words of a line end,
// without a loop over its bytes. Inline: it runs on every line.
inline uint32_t byte_mask32(const char* begin, const char* end, char c) {
#if defined(__SSE2__)
  if (end - begin >= 32) {
    const __m128i v = _mm_set1_epi8(c);
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(begin));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(begin + 16));
    return unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(a, v))) |
           unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(b, v))) << 16;
  }
#endif
  uint32_t mask = 0;
  for (int i = 0; i < 32 && begin + i < end; ++i) mask |= uint32_t(begin[i] == c) << i;
  return mask;
}

// Number of '\n' bytes in [begin, end).
size_t count_newlines(const char* begin, const char* end);

}  // namespace tracekit

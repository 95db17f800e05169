#include "tracekit/search.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tracekit {

#if defined(__x86_64__) && defined(__GNUC__)
const bool kHaveAvx2 = __builtin_cpu_supports("avx2");
#endif

const char* find_literal(const char* p, const char* end, std::string_view needle) {
  const size_t n = needle.size();
  if (n == 0) return p;
  if (end < p || size_t(end - p) < n) return nullptr;
  if (n == 1) return static_cast<const char*>(std::memchr(p, needle[0], size_t(end - p)));
#if defined(__x86_64__) && defined(__GNUC__)
  if (kHaveAvx2) {
    if (const char* hit = find_avx2_each(p, end, needle, [](const char*) { return true; }))
      return hit;
  }
#endif
#if defined(__SSE2__)
  // Candidates are positions whose first and last needle bytes both match;
  // 16 at a time (Muła's "generic SIMD" substring search).
  const __m128i first = _mm_set1_epi8(needle[0]);
  const __m128i last = _mm_set1_epi8(needle[n - 1]);
  const char* limit = end - n + 1;  // a match starts before limit
  while (limit - p >= 16) {
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 1));
    unsigned mask = unsigned(
        _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last))));
    while (mask) {
      unsigned bit = unsigned(__builtin_ctz(mask));
      if (bytes_equal(p + bit + 1, needle.data() + 1, n - 2)) return p + bit;
      mask &= mask - 1;
    }
    p += 16;
  }
#endif
  // The tail, fewer than 16 starting positions after the vector loops: a
  // plain loop (memmem's set-up costs more than that, once per line for the
  // short lines a prefilter asks about).
  if (end - p < 64) {
    for (const char* limit = end - n + 1; p < limit; ++p)
      if (*p == needle[0] && bytes_equal(p + 1, needle.data() + 1, n - 1)) return p;
    return nullptr;
  }
  return static_cast<const char*>(::memmem(p, size_t(end - p), needle.data(), n));
}

size_t count_newlines(const char* p, const char* end) {
  size_t count = 0;
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n');
  while (end - p >= 16) {
    __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    count += size_t(__builtin_popcount(unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(a, nl)))));
    p += 16;
  }
#endif
  for (; p < end; ++p) count += *p == '\n';
  return count;
}

}  // namespace tracekit

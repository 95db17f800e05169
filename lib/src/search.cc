#include "tracekit/search.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace tracekit {

namespace {

#if defined(__x86_64__) && defined(__GNUC__)
// The same filter 32 bytes at a time, on CPUs that have AVX2 (checked once).
// Returns the match, or null with `p` left where the unsearched tail starts.
__attribute__((target("avx2"))) const char* find_avx2(const char*& p, const char* end,
                                                      std::string_view needle) {
  const size_t n = needle.size();
  // First, middle and last bytes: in text dense with digits (an address in
  // a log of addresses) two bytes alone let through many places to compare.
  const size_t mid = n / 2;
  const __m256i first = _mm256_set1_epi8(needle[0]);
  const __m256i middle = _mm256_set1_epi8(needle[mid]);
  const __m256i last = _mm256_set1_epi8(needle[n - 1]);
  const char* limit = end - n + 1;
  while (limit - p >= 32) {
    __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
    __m256i m = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + mid));
    __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + n - 1));
    unsigned mask = unsigned(_mm256_movemask_epi8(_mm256_and_si256(
        _mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(m, middle)),
        _mm256_cmpeq_epi8(b, last))));
    while (mask) {
      unsigned bit = unsigned(__builtin_ctz(mask));
      if (bytes_equal(p + bit + 1, needle.data() + 1, n - 2)) return p + bit;
      mask &= mask - 1;
    }
    p += 32;
  }
  return nullptr;
}

const bool kHaveAvx2 = __builtin_cpu_supports("avx2");
#endif

}  // namespace

const char* find_literal(const char* p, const char* end, std::string_view needle) {
  const size_t n = needle.size();
  if (n == 0) return p;
  if (end < p || size_t(end - p) < n) return nullptr;
  if (n == 1) return static_cast<const char*>(std::memchr(p, needle[0], size_t(end - p)));
#if defined(__x86_64__) && defined(__GNUC__)
  if (kHaveAvx2) {
    if (const char* hit = find_avx2(p, end, needle)) return hit;
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

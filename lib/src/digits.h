// Internal (not installed): the digit readers behind the time parsers in
// time.cc and timestamp.cc. Inline, allocation-free: they run on every line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tracekit::detail {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads exactly `n` digits at s[i]; advances i. On failure neither i nor out
// changes.
inline bool read_fixed(std::string_view s, size_t& i, int n, int& out) {
  if (i + n > s.size()) return false;
  int v = 0;
  for (int k = 0; k < n; ++k) {
    char c = s[i + k];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  i += n;
  return true;
}

// Exactly two or four digits at the fixed position s[i] (fixed-column formats).
inline bool read2(std::string_view s, size_t i, int& v) {
  return read_fixed(s, i, 2, v);
}
inline bool read4(std::string_view s, size_t i, int& v) {
  return read_fixed(s, i, 4, v);
}

// Reads a fraction of a second, ".123456" or ",123456", at s[i] as
// microseconds: one or more digits, those past the sixth read and dropped
// (truncating). Advances i past the digits.
inline bool read_fraction(std::string_view s, size_t& i, int64_t& micros) {
  if (i >= s.size() || (s[i] != '.' && s[i] != ',')) return false;
  size_t j = i + 1;
  int64_t v = 0;
  int digits = 0;
  while (j < s.size() && is_digit(s[j])) {
    if (digits < 6) v = v * 10 + (s[j] - '0');
    ++digits;
    ++j;
  }
  if (digits == 0) return false;
  for (int k = digits; k < 6; ++k) v *= 10;
  micros = v;
  i = j;
  return true;
}

}  // namespace tracekit::detail

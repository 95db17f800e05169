// Small text helpers shared by the parsers. Header-only: every function is
// inline, allocates nothing, and treats text as ASCII bytes (no locale, no
// UTF-8 awareness). Every std::string_view they return points into the input it
// was cut from, so it is valid only as long as that input is; none of them
// copies text.
#pragma once

#include <bit>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace tracekit {

// The whole of `s` as a decimal number of type T (no sign for unsigned T, no
// spaces); false for anything else, including an empty string or overflow.
template <typename T>
inline bool parse_number(std::string_view s, T& v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty();
}

// The ASCII letters A-Z as a-z; other bytes as they are.
inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}
// The same for every byte of s, in place.
template <class String>
inline void ascii_lower_in_place(String& s) {
  for (char& c : s) c = ascii_lower(c);
}

// Equality ignoring the case of the ASCII letters A-Z; other bytes must match
// exactly.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

namespace detail {
// Bit 7 of each byte of w that is zero, and maybe of bytes after such a one
// (a borrow): the lowest bit set marks the first zero byte.
constexpr uint64_t zero_bytes(uint64_t w) {
  constexpr uint64_t ones = 0x0101010101010101ull;
  return (w - ones) & ~w & (ones << 7);
}
// Bit 7 of each byte of w that is zero, and of no other: slower, but no
// byte changes another's bit.
constexpr uint64_t zero_bytes_exact(uint64_t w) {
  constexpr uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
  return ~(((w & low7) + low7) | w | low7);
}
// Eight bytes from p. (GCC 12 warns of this read for a literal shorter than
// a word, whose loop it has not yet found never to run.)
inline uint64_t load_word(const char* p) {
  uint64_t w;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
  std::memcpy(&w, p, 8);
#pragma GCC diagnostic pop
  return w;
}
// In the word that ends s (its first bytes may lie before s), the first
// byte at or after s[i] equal to a (pa: a in every byte) or b, or s.size();
// i is at most 7 bytes before s's end. The bytes before i may match: hence
// the exact test.
inline size_t find_either_in_last_word(std::string_view s, size_t i, uint64_t pa, uint64_t pb) {
  const uint64_t w = load_word(s.data() + s.size() - 8);
  uint64_t t = (zero_bytes_exact(w ^ pa) | zero_bytes_exact(w ^ pb)) >> (8 * (i + 8 - s.size()));
  return t ? i + size_t(std::countr_zero(t) >> 3) : s.size();
}
// The index of the first byte of s[i, size) equal to a or b, or s.size():
// eight bytes at a time (fields of a log line are short, and a call to
// memchr costs more than it saves there), the bytes left over in the
// string's last word; strings shorter than a word one byte at a time.
inline size_t find_either(std::string_view s, size_t i, char a, char b) {
  if constexpr (std::endian::native == std::endian::little) {
    constexpr uint64_t ones = 0x0101010101010101ull;
    const uint64_t pa = ones * uint8_t(a), pb = ones * uint8_t(b);
    for (; i + 8 <= s.size(); i += 8) {
      const uint64_t w = load_word(s.data() + i);
      if (uint64_t t = zero_bytes(w ^ pa) | zero_bytes(w ^ pb))
        return i + size_t(std::countr_zero(t) >> 3);
    }
    if (i < s.size() && s.size() >= 8) return find_either_in_last_word(s, i, pa, pb);
  }
  while (i < s.size() && s[i] != a && s[i] != b) ++i;
  return i;
}
}  // namespace detail

// The index of the first `c` in s from `from`, or s.size() when there is none.
inline size_t find_byte(std::string_view s, char c, size_t from = 0) {
  return detail::find_either(s, from, c, c);
}
// The index of the first `a` or `b` in s from `from`, or s.size().
inline size_t find_either(std::string_view s, char a, char b, size_t from = 0) {
  return detail::find_either(s, from, a, b);
}

// find_either where the `before` bytes in front of s may be read too (s is
// the end of a longer text held in memory, as a field is of its line): a
// short s is then read in one word rather than byte by byte.
inline size_t find_either_with_room(std::string_view s, size_t before, char a, char b,
                                    size_t from = 0) {
  if constexpr (std::endian::native == std::endian::little) {
    if (from < s.size() && s.size() < 8 && s.size() + before >= 8) {
      constexpr uint64_t ones = 0x0101010101010101ull;
      return detail::find_either_in_last_word(s, from, ones * uint8_t(a), ones * uint8_t(b));
    }
  }
  return detail::find_either(s, from, a, b);
}

// The text of s up to the first `sep` (all of s when there is none); s is
// advanced past that separator, or left empty when there was none. Separators
// in a row give empty tokens.
inline std::string_view next_token(std::string_view& s, char sep = ' ') {
  size_t i = find_byte(s, sep);
  std::string_view tok = s.substr(0, i);
  s.remove_prefix(i < s.size() ? i + 1 : i);
  return tok;
}

// s without its leading and trailing spaces and tabs.
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The value of a hex digit (0-9, a-f, A-F), or -1 for any other byte.
constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// For format sniffers: calls f(std::string_view line) for each of the first
// max_lines lines of head (a block read from the start of a file), without the
// '\n' that ends it ('\r' is kept). The last line may lack its '\n' (the block
// may cut a line short); a '\n' at the very end does not start another line,
// and an empty head has none. Empty lines are passed too. When f returns bool,
// returning false stops the walk after that line. Returns the number of lines
// f was called with.
template <class F>
size_t for_each_head_line(std::string_view head, size_t max_lines, F&& f) {
  size_t lines = 0, pos = 0;
  while (pos < head.size() && lines < max_lines) {
    size_t nl = head.find('\n', pos);
    std::string_view line =
        head.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    ++lines;
    if constexpr (std::is_void_v<std::invoke_result_t<F&, std::string_view>>) {
      f(line);
    } else {
      if (!f(line)) break;
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return lines;
}

}  // namespace tracekit

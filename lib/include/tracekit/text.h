// Small text helpers shared by the parsers. Header-only: every function is
// inline, allocates nothing, and treats text as ASCII bytes (no locale, no
// UTF-8 awareness). Every std::string_view they return points into the input it
// was cut from, so it is valid only as long as that input is; none of them
// copies text.
#pragma once

#include <charconv>
#include <cstddef>
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

// The text of s up to the first `sep` (all of s when there is none); s is
// advanced past that separator, or left empty when there was none. Separators
// in a row give empty tokens.
inline std::string_view next_token(std::string_view& s, char sep = ' ') {
  // A loop, not find(): tokens are short and a library call costs more.
  size_t i = 0;
  while (i < s.size() && s[i] != sep) ++i;
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

// One JSON object of scalar fields, read in place: for log lines written by
// a JSON encoder (ulogd's JSON output, nfdump -o ndjson). Header-only, no
// allocation. Keys and values are views into the text, valid as long as it
// is; string values come without their quotes and with their escapes as
// written (callers that need the text decoded must decode it themselves).
#pragma once

#include <cstddef>
#include <string_view>

namespace tracekit {

struct JsonField {
  std::string_view key;
  std::string_view value;  // string: between the quotes; otherwise the literal
  bool is_string = false;
  bool has_escape = false;  // the string value holds a backslash escape
};

namespace flat_json_detail {
inline size_t skip_space(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  return i;
}
// s[i] is the opening quote; returns the index of the closing quote or npos.
inline size_t string_end(std::string_view s, size_t i, bool& escaped) {
  escaped = false;
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      escaped = true;
      ++i;
    } else if (s[i] == '"') {
      return i;
    }
  }
  return std::string_view::npos;
}
}  // namespace flat_json_detail

// Calls f(const JsonField&) for each member of the object in `s` (leading and
// trailing white space allowed). Nested objects and arrays are passed whole as
// non-string values. Returns null on success, else a static description of
// what was wrong ("JSON: ...").
template <class F>
const char* for_each_json_field(std::string_view s, F&& f) {
  using namespace flat_json_detail;
  size_t i = skip_space(s, 0);
  if (i >= s.size() || s[i] != '{') return "JSON: not an object";
  i = skip_space(s, i + 1);
  if (i < s.size() && s[i] == '}')
    return skip_space(s, i + 1) == s.size() ? nullptr : "JSON: text after the object";
  while (true) {
    if (i >= s.size() || s[i] != '"') return "JSON: expected a key";
    bool esc = false;
    size_t e = string_end(s, i, esc);
    if (e == std::string_view::npos) return "JSON: unterminated string";
    JsonField field;
    field.key = s.substr(i + 1, e - i - 1);
    i = skip_space(s, e + 1);
    if (i >= s.size() || s[i] != ':') return "JSON: expected ':'";
    i = skip_space(s, i + 1);
    if (i >= s.size()) return "JSON: truncated object";
    if (s[i] == '"') {
      e = string_end(s, i, esc);
      if (e == std::string_view::npos) return "JSON: unterminated string";
      field.value = s.substr(i + 1, e - i - 1);
      field.is_string = true;
      field.has_escape = esc;
      i = e + 1;
    } else if (s[i] == '{' || s[i] == '[') {
      size_t start = i;
      int depth = 0;
      for (; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {
          i = string_end(s, i, esc);
          if (i == std::string_view::npos) return "JSON: unterminated string";
        } else if (c == '{' || c == '[') {
          ++depth;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) break;
        }
      }
      if (i >= s.size()) return "JSON: unterminated object or array";
      ++i;
      field.value = s.substr(start, i - start);
    } else {
      size_t start = i;
      while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ' ' && s[i] != '\t' &&
             s[i] != '\r' && s[i] != '\n')
        ++i;
      field.value = s.substr(start, i - start);
      if (field.value.empty()) return "JSON: expected a value";
    }
    f(static_cast<const JsonField&>(field));
    i = skip_space(s, i);
    if (i < s.size() && s[i] == ',') {
      i = skip_space(s, i + 1);
      continue;
    }
    if (i < s.size() && s[i] == '}')
      return skip_space(s, i + 1) == s.size() ? nullptr : "JSON: text after the object";
    return "JSON: expected ',' or '}'";
  }
}

}  // namespace tracekit

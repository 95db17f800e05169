#include "tracekit/zeek_log.h"

#include "tracekit/text.h"

namespace tracekit {

ZeekHeaderLine ZeekLogHeader::read(std::string_view line, std::string_view& value) {
  value = {};
  if (line.starts_with("#separator ")) {
    std::string_view v = line.substr(11);
    if (v.size() == 4 && v[0] == '\\' && v[1] == 'x' && hex_value(v[2]) >= 0 &&
        hex_value(v[3]) >= 0)
      sep = char(hex_value(v[2]) * 16 + hex_value(v[3]));
    else if (v.size() == 1)
      sep = v[0];
    return ZeekHeaderLine::other;
  }
  size_t at = line.find(sep);
  std::string_view key = line.substr(0, at);
  std::string_view v = at == std::string_view::npos ? std::string_view() : line.substr(at + 1);
  if (key == "#path") {
    value = v;
    return ZeekHeaderLine::path;
  }
  if (key == "#fields") {
    value = v;
    return ZeekHeaderLine::fields;
  }
  if (key == "#unset_field")
    unset.assign(v);
  else if (key == "#empty_field")
    empty.assign(v);
  else if (key == "#set_separator" && v.size() == 1)
    set_sep = v[0];
  return ZeekHeaderLine::other;
}

}  // namespace tracekit

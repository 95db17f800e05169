// The header lines of a Zeek ASCII log, as the Zeek formats (dhcp.log,
// http.log, smtp.log) read them: the separators, the markers of unset and
// empty fields, the log's path and its column names.
//
//   #separator \x09
//   #set_separator	,
//   #empty_field	(empty)
//   #unset_field	-
//   #path	http
//   #fields	ts	uid	id.orig_h	...
#pragma once

#include <string>
#include <string_view>

namespace tracekit {

enum class ZeekHeaderLine : unsigned char { other, path, fields };

struct ZeekLogHeader {
  char sep = '\t';
  char set_sep = ',';
  std::string unset = "-";
  std::string empty = "(empty)";

  // Reads a line that starts with '#'. For #path and #fields, `value` gets
  // the log's path or the column names (separated by `sep`), a view into
  // `line`.
  ZeekHeaderLine read(std::string_view line, std::string_view& value);
  // Whether a field's text is the unset or the empty marker.
  bool blank(std::string_view v) const { return v == unset || v == empty; }
};

}  // namespace tracekit

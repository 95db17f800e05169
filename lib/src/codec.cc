#include "tracekit/codec.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <unordered_set>

#include "tracekit/net.h"
#include "tracekit/parallel.h"
#include "tracekit/text.h"
#include "tracekit/time.h"

namespace tracekit {

namespace {

using json = nlohmann::ordered_json;

// TSV rows are written out this many at a time, each chunk in two halves on
// two threads when it has kSplitRows or more (about two microseconds a row
// of trace-ip's, against some tens for a thread).
constexpr size_t kRowChunk = 2048;
constexpr size_t kSplitRows = 1024;

// Whether column `col` is field `key` of a row (`sub` null) or field `sub`
// of its object `key`.
bool column_is(const std::string& col, const std::string& key, const std::string* sub) {
  if (!sub) return col == key;
  return col.size() == key.size() + 1 + sub->size() && col.compare(0, key.size(), key) == 0 &&
         col[key.size()] == '.' && col.compare(key.size() + 1, std::string::npos, *sub) == 0;
}

// Whether `row`'s fields are columns cols[0], cols[1], ... in that order
// (the usual row: those of a tool have the same fields), so that
// add_columns has nothing to add for it.
bool columns_in_order(const Row& row, const std::vector<std::string>& cols) {
  size_t k = 0;
  for (auto it = row.begin(); it != row.end(); ++it) {
    if (it->is_object()) {
      for (auto jt = it->begin(); jt != it->end(); ++jt)
        if (k >= cols.size() || !column_is(cols[k++], it.key(), &jt.key())) return false;
    } else if (k >= cols.size() || !column_is(cols[k++], it.key(), nullptr)) {
      return false;
    }
  }
  return true;
}

// The column names already in `cols` (a set, so that a row's fields are
// looked up at once, not compared with every column), and a name being made.
struct ColumnSet {
  std::unordered_set<std::string> names;
  std::string name;
};

// Adds the columns `row` has that `cols` lacks; true when it had them all,
// in that order.
bool add_columns(const Row& row, std::vector<std::string>& cols, ColumnSet& known) {
  if (columns_in_order(row, cols)) return true;
  auto add = [&]() {
    if (known.names.insert(known.name).second) cols.push_back(known.name);
  };
  for (auto it = row.begin(); it != row.end(); ++it) {
    if (it->is_object()) {
      for (auto jt = it->begin(); jt != it->end(); ++jt) {
        known.name.assign(it.key());
        known.name += '.';
        known.name += jt.key();
        add();
      }
    } else {
      known.name.assign(it.key());
      add();
    }
  }
  return false;
}

// What each column shows of `row`: cells[k] is get_field(row, cols[k]),
// found in one walk over the row (a field is looked for from the column
// after the last one found, then before it) rather than a search per column.
void row_cells(const Row& row, const std::vector<std::string>& cols, bool hop_columns,
               std::vector<const json*>& cells) {
  cells.assign(cols.size(), nullptr);
  if (!row.is_object()) return;
  for (auto it = row.begin(); it != row.end(); ++it)
    if (it.key().find('.') != std::string::npos) {
      // (get_field splits a name at its first dot: such a field is not where
      // its name says. Asked column by column.)
      for (size_t k = 0; k < cols.size(); ++k) cells[k] = get_field(row, cols[k]);
      return;
    }
  size_t next = 0;
  auto place = [&](const std::string& key, const std::string* sub, const json& v) {
    auto is = [&](const std::string& col) { return column_is(col, key, sub); };
    // Columns are distinct: the one after the last placed, else one further
    // on (a field this row lacks was passed over), else one before.
    const size_t from = std::min(next, cols.size());
    size_t k = size_t(std::find_if(cols.begin() + ptrdiff_t(from), cols.end(), is) - cols.begin());
    if (k == cols.size()) {
      size_t before =
          size_t(std::find_if(cols.begin(), cols.begin() + ptrdiff_t(from), is) - cols.begin());
      if (before < from) k = before;
    }
    if (k == cols.size()) return;
    if (!v.is_null() && !(v.is_string() && v.get_ref<const std::string&>().empty())) cells[k] = &v;
    next = k + 1;
  };
  for (auto it = row.begin(); it != row.end(); ++it) {
    if (it->is_object()) {
      for (auto jt = it->begin(); jt != it->end(); ++jt) place(it.key(), &jt.key(), *jt);
      // (An object under a column of its own name, when another row had a
      // value there, shows as JSON, as get_field gives it. With fields, the
      // object's columns are there too: a hop-named column.)
      if ((it->empty() || hop_columns) &&
          std::find(cols.begin(), cols.end(), it.key()) != cols.end())
        place(it.key(), nullptr, *it);
    } else {
      place(it.key(), nullptr, *it);
    }
  }
}

// Whether row_cells_in_order gives what row_cells does for `row` when its
// fields are the columns in order: not when a field's name has a dot
// (row_cells asks get_field, which reads it as hop.field) or a field is an
// empty object (it may show under a column of its own name).
bool plain_fields(const Row& row) {
  for (auto it = row.begin(); it != row.end(); ++it)
    if (it.key().find('.') != std::string::npos || (it->is_object() && it->empty())) return false;
  return true;
}

// Whether some column is named like a hop whose fields are columns too
// ("nat" and "nat.ip"): row_cells shows such a hop under both.
bool hop_named_column(const std::vector<std::string>& cols) {
  for (const auto& c : cols)
    if (c.find('.') == std::string::npos)
      for (const auto& d : cols)
        if (d.size() > c.size() && d[c.size()] == '.' && d.compare(0, c.size(), c) == 0)
          return true;
  return false;
}

// row_cells for a row whose fields are the columns in order (add_columns
// said so, and neither of the above holds): cells[k] is its k-th field,
// found without comparing names.
void row_cells_in_order(const Row& row, std::vector<const json*>& cells) {
  // (A null or empty value is written as an absent one is: as nothing.)
  size_t k = 0;
  for (auto it = row.begin(); it != row.end(); ++it)
    if (it->is_object())
      for (auto jt = it->begin(); jt != it->end(); ++jt) cells[k++] = &*jt;
    else
      cells[k++] = &*it;
  std::fill(cells.begin() + k, cells.end(), nullptr);
}

// Appends a cell's text, TSV-escaped.
void append_cell(std::string& out, const json* v) {
  if (!v) return;
  if (v->is_string())
    append_tsv_escaped(out, v->get_ref<const std::string&>());
  else
    append_tsv_escaped(out, field_text(*v));
}

// Display width: code points, not bytes.
size_t width(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xc0) != 0x80) ++n;
  return n;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  for (;;) {
    size_t t = s.find(sep, pos);
    out.emplace_back(s.substr(pos, t == std::string_view::npos ? s.npos : t - pos));
    if (t == std::string_view::npos) break;
    pos = t + 1;
  }
  return out;
}

// ok_loose: text after a closing quote ("a"b), kept as part of the field.
enum class CsvSplit : uint8_t { ok, ok_loose, open_quote };

// RFC 4180 fields of one record (quotes doubled inside quoted fields; a quoted
// field may hold line breaks). Unquoted fields are trimmed of spaces and tabs;
// quoted ones are kept as they are. A quote may follow leading spaces.
CsvSplit split_csv(std::string_view s, std::vector<std::string>& out) {
  out.clear();
  std::string cur;
  bool quoted = false, was_quoted = false, loose = false;
  auto finish = [&] {
    out.push_back(was_quoted ? std::move(cur) : std::string(trim(cur)));
    cur.clear();
    was_quoted = false;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c != '"') {
        cur += c;
      } else if (i + 1 < s.size() && s[i + 1] == '"') {
        cur += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == ',') {
      finish();
    } else if (c == '"' && !was_quoted && trim(cur).empty()) {
      cur.clear();
      quoted = was_quoted = true;
    } else if (was_quoted && (c == ' ' || c == '\t')) {
      // spaces between a closing quote and the comma
    } else {
      loose |= was_quoted;
      cur += c;
    }
  }
  if (quoted) return CsvSplit::open_quote;
  finish();
  return loose ? CsvSplit::ok_loose : CsvSplit::ok;
}

std::string trim_copy(std::string_view s) {
  return std::string(trim(s));
}

bool has_value(const Row& row, const char* name) {
  return get_field(row, name) != nullptr;
}

// Shadowserver's column names for the query fields (their reports: scan_*
// have timestamp, ip, protocol, port; drone and sinkhole ones timestamp, ip or
// src_ip, src_port, dst_ip, dst_port, and protocol in the event4_* ones).
bool is_shadowserver_header(const std::vector<std::string>& cols) {
  auto has = [&](std::string_view n) {
    return std::find(cols.begin(), cols.end(), n) != cols.end();
  };
  return has("timestamp") && (has("ip") || has("src_ip")) && (has("port") || has("src_port"));
}

bool is_transport(std::string& proto) {
  ascii_lower_in_place(proto);
  return proto == "tcp" || proto == "udp" || proto == "icmp";
}

const date::time_zone* utc_zone() {
  static const date::time_zone* utc = find_zone("UTC");
  return utc;
}

// Adds time, ip, port and proto to a Shadowserver row; false (with `why`)
// when its timestamp is not a time.
bool normalise_shadowserver(Row& row, std::string& why) {
  if (!has_value(row, "time")) {
    if (std::string ts = get_text(row, "timestamp"); !ts.empty()) {
      Instant t;
      uint8_t flags = 0;
      std::string error;
      if (!parse_query_time(ts, utc_zone(), t, error, &flags)) {
        why = fmt::format("field timestamp: {}", error);
        return false;
      }
      row["time"] = format_rfc3339(t, (flags & kHasFraction) != 0);
    }
  }
  if (!has_value(row, "ip") && has_value(row, "src_ip")) row["ip"] = get_text(row, "src_ip");
  if (!has_value(row, "port") && has_value(row, "src_port"))
    row["port"] = get_text(row, "src_port");
  if (!has_value(row, "proto")) {
    if (std::string p = get_text(row, "protocol"); is_transport(p)) row["proto"] = p;
  }
  return true;
}

bool is_scalar(const json& v) {
  return !v.is_object() && !v.is_array();
}

bool all_scalars(const json& v) {
  return std::all_of(v.begin(), v.end(), [](const json& e) { return is_scalar(e); });
}

// X-ARF's query fields, by version: v4 has them at the top level, v3 inside
// its "Report" object.
struct XarfNames {
  const char *time, *ip, *port, *dst_ip, *dst_port, *proto;
};
constexpr XarfNames kXarf4{"timestamp",      "source_identifier", "source_port",
                           "destination_ip", "destination_port",  "protocol"};
constexpr XarfNames kXarf3{"Date",          "SourceIp",        "SourcePort",
                           "DestinationIp", "DestinationPort", "Protocol"};

// Rewrites an X-ARF report as a query row: top-level scalars and arrays of
// scalars kept, objects flattened one level (parent_child), arrays of objects
// (evidence, samples: content, and large) dropped, then the query fields
// added. A row that already has a time (one this reader, or a tool, wrote
// before) is left as it is. False (with `why`) when the timestamp is not a
// time.
bool normalise_xarf(Row& row, std::string& why) {
  const json* source = nullptr;
  const XarfNames* names = nullptr;
  if (row.contains("xarf_version") || row.contains("source_identifier")) {
    source = &row;
    names = &kXarf4;
  } else if (row.contains("Version") && row.contains("Report") && row["Report"].is_object()) {
    source = &row["Report"];
    names = &kXarf3;
  }
  if (!source || row.contains("time")) return true;
  Row out = Row::object();
  // What the report says itself wins over a name made by flattening or a
  // query field taken from another of its fields.
  auto add = [&](const std::string& name, const json& v) {
    if (!has_value(out, name.c_str())) out[name] = v;
  };
  for (auto it = row.begin(); it != row.end(); ++it) {
    const json& v = *it;
    if (is_scalar(v) || (v.is_array() && all_scalars(v))) {
      out[it.key()] = v;
    } else if (v.is_object()) {
      for (auto jt = v.begin(); jt != v.end(); ++jt)
        if (is_scalar(*jt) || (jt->is_array() && all_scalars(*jt)))
          add(it.key() + "_" + jt.key(), *jt);
    }
  }
  auto text = [&](const char* name) -> std::string {
    auto it = source->find(name);
    return it == source->end() ? std::string() : field_text(*it);
  };
  auto value = [&](const char* name) -> const json* {
    auto it = source->find(name);
    return it == source->end() || it->is_null() ? nullptr : &*it;
  };
  if (std::string ts = text(names->time); !ts.empty()) {
    Instant t;
    std::string error;
    // Zone-less times are left for the tool to refuse or read in --tz; only
    // the shape is checked here.
    if (!parse_query_time(ts, utc_zone(), t, error)) {
      why = fmt::format("field {}: {}", names->time, error);
      return false;
    }
    out["time"] = ts;
  }
  IpAddr ip;
  if (std::string s = text(names->ip); !s.empty() && parse_ip(s, ip)) add("ip", s);
  if (const json* p = value(names->port)) add("port", *p);
  if (const json* d = value(names->dst_ip)) add("dst_ip", *d);
  if (const json* d = value(names->dst_port)) add("dst_port", *d);
  if (std::string p = text(names->proto); is_transport(p)) add("proto", p);
  row = std::move(out);
  return true;
}

// The message of a JSON parse error without nlohmann's prefix and its
// position (the caller names the line).
std::string json_error_text(const std::exception& e) {
  std::string_view w = e.what();
  if (size_t col = w.find("column "); col != std::string_view::npos)
    if (size_t colon = w.find(": ", col); colon != std::string_view::npos)
      return std::string(w.substr(colon + 2));
  if (size_t b = w.find("] "); b != std::string_view::npos) return std::string(w.substr(b + 2));
  return std::string(w);
}

// Follows the brackets of JSON text fed line by line, to know where a value
// spread over several lines ends, and on which line each element of a
// top-level array starts.
class JsonExtent {
 public:
  void feed(std::string_view s, uint64_t line) {
    for (char c : s) {
      if (done_) {
        continue;  // what follows the value is the parser's to report
      }
      if (in_string_) {
        if (escape_)
          escape_ = false;
        else if (c == '\\')
          escape_ = true;
        else if (c == '"')
          in_string_ = false;
        continue;
      }
      if (c == ' ' || c == '\t') continue;
      if (depth_ == 1 && array_) {
        if (c == ',') {
          expect_element_ = true;
          continue;
        }
        if (expect_element_ && c != ']') {
          element_lines_.push_back(line);
          expect_element_ = false;
        }
      }
      if (c == '"') {
        in_string_ = true;
      } else if (c == '{' || c == '[') {
        if (depth_ == 0) {
          array_ = c == '[';
          expect_element_ = array_;
        }
        ++depth_;
      } else if (c == '}' || c == ']') {
        if (--depth_ <= 0) done_ = true;
      } else if (depth_ == 0) {
        done_ = true;  // a bare scalar: the line is the value
      }
    }
  }
  // The value ended, or cannot go on past this line (JSON strings hold no line
  // breaks).
  bool complete() const { return done_ || in_string_ || depth_ == 0; }
  const std::vector<uint64_t>& element_lines() const { return element_lines_; }

 private:
  int depth_ = 0;
  bool in_string_ = false, escape_ = false, done_ = false;
  bool array_ = false, expect_element_ = false;
  std::vector<uint64_t> element_lines_;
};

// A quoted CSV field, or JSON value, spread over more lines than this is taken
// to be a missing closing quote or bracket.
constexpr size_t kMaxRecordLines = 10000;

}  // namespace

bool parse_output_format(std::string_view s, OutputFormat& out) {
  if (s == "tsv")
    out = OutputFormat::tsv;
  else if (s == "jsonl" || s == "json")
    out = OutputFormat::jsonl;
  else if (s == "table")
    out = OutputFormat::table;
  else
    return false;
  return true;
}

OutputFormat default_output_format() {
  return ::isatty(1) ? OutputFormat::table : OutputFormat::tsv;
}

void append_tsv_escaped(std::string& out, std::string_view s) {
  // Runs of plain bytes are appended whole (a cell is usually one run),
  // passed over eight at a time: a word holds a byte to escape when one of
  // its bytes is below 0x0e ('\r' is 0x0d) or is a backslash.
  constexpr uint64_t kOnes = 0x0101010101010101, kHigh = 0x8080808080808080;
  auto may_escape = [](uint64_t w) {
    const uint64_t bs = w ^ (0x5c * kOnes);  // a backslash is now 0
    return (((w - 0x0e * kOnes) & ~w) | ((bs - kOnes) & ~bs)) & kHigh;
  };
  size_t plain = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (!may_escape(w)) {
        i += 7;
        continue;
      }
    }
    if (static_cast<unsigned char>(s[i]) > '\r' && s[i] != '\\') continue;  // (most bytes)
    const char* esc;
    switch (s[i]) {
      case '\t':
        esc = "\\t";
        break;
      case '\n':
        esc = "\\n";
        break;
      case '\r':
        esc = "\\r";
        break;
      case '\\':
        esc = "\\\\";
        break;
      case '\0':
        esc = "\\0";  // a NUL from a damaged log: text tools stop at it
        break;
      default:
        continue;
    }
    out.append(s.data() + plain, i - plain);
    out.append(esc, 2);
    plain = i + 1;
  }
  out.append(s.data() + plain, s.size() - plain);
}

std::string tsv_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_tsv_escaped(out, s);
  return out;
}

std::string tsv_unescape(std::string_view s) {
  // Most fields have no escape: copied whole (a byte at a time, this was
  // most of the cost of reading a batch of queries).
  size_t first = s.find('\\');
  if (first == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  out.append(s.substr(0, first));
  for (size_t i = first; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      switch (n) {
        case 't':
          out += '\t';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case '\\':
          out += '\\';
          break;
        case '0':
          out += '\0';
          break;
        default:
          out += '\\';
          out += n;
      }
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string field_text(const json& v) {
  if (v.is_null()) return {};
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) {
      if (!out.empty()) out += ',';
      auto file = e.is_object() ? e.find("file") : e.end();
      auto line = e.is_object() ? e.find("line") : e.end();
      if (file != e.end() && line != e.end()) {
        out += field_text(*file);
        out += ':';
        out += field_text(*line);
      } else
        out += field_text(e);
    }
    return out;
  }
  // A query record's value may hold bytes that are not UTF-8 (read as they
  // were written): shown with U+FFFD rather than thrown on.
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

// obj[key], added (null) when it is not there: found in place (field_of)
// without making a string of the key first, as json's operator[] would.
json& member(json& obj, std::string_view key) {
  if (json* v = field_of(obj, key)) return *v;
  append_field(obj, std::string(key), json());
  return obj.get_ref<json::object_t&>().back().second;
}

}  // namespace

void set_field(Row& row, std::string_view name, std::string value) {
  if (row.is_null()) row = json::object();
  size_t dot = name.find('.');
  if (dot == std::string_view::npos) {
    member(row, name) = std::move(value);
    return;
  }
  json& hop = member(row, name.substr(0, dot));
  if (!hop.is_object()) hop = json::object();
  member(hop, name.substr(dot + 1)) = std::move(value);
}

const json* get_field(const Row& row, std::string_view name) {
  size_t dot = name.find('.');
  const json* v =
      dot == std::string_view::npos ? field_of(row, name) : field_of(row, name.substr(0, dot));
  if (v && dot != std::string_view::npos) v = field_of(*v, name.substr(dot + 1));
  if (!v) return nullptr;
  if (v->is_null() || (v->is_string() && v->get_ref<const std::string&>().empty())) return nullptr;
  return v;
}

std::string get_text(const Row& row, std::string_view name) {
  const json* v = get_field(row, name);
  return v ? field_text(*v) : std::string();
}

RowWriter::RowWriter(OutputFormat format, FILE* out) : format_(format), out_(out) {}

RowWriter::~RowWriter() {
  finish();
}

void RowWriter::write(const Row& row) {
  if (format_ == OutputFormat::jsonl) {
    std::string s = row.dump(-1, ' ', false, json::error_handler_t::replace);
    s += '\n';
    std::fwrite(s.data(), 1, s.size(), out_);
    return;
  }
  pending_.push_back(row);
}

void RowWriter::write(Row&& row) {
  if (format_ == OutputFormat::jsonl) {
    write(static_cast<const Row&>(row));
    return;
  }
  pending_.push_back(std::move(row));
}

void RowWriter::finish() {
  if (finished_) return;
  finished_ = true;
  if (format_ == OutputFormat::jsonl) {
    std::fflush(out_);
    return;
  }
  std::vector<std::string> cols;
  // Which rows had every column so far in order (a row's fields are a
  // prefix of the columns then, and stay one as columns are added).
  std::vector<char> in_order(pending_.size());
  ColumnSet known;
  if (!pending_.empty()) in_order[0] = add_columns(pending_[0], cols, known);
  // The rows whose fields are the first row's columns (those of a batch,
  // nearly all) add none: found on two threads. The others add theirs in
  // row order, as they would one by one.
  const std::vector<std::string> first_cols = cols;
  split_in_two(pending_.size(), kSplitRows, [&](size_t from, size_t to) {
    for (size_t i = std::max<size_t>(from, 1); i < to; ++i)
      in_order[i] = columns_in_order(pending_[i], first_cols);
  });
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (i > 0 && !in_order[i]) in_order[i] = add_columns(pending_[i], cols, known);
    in_order[i] = in_order[i] && plain_fields(pending_[i]);
  }
  const bool hop_columns = hop_named_column(cols);
  if (hop_columns) std::fill(in_order.begin(), in_order.end(), 0);
  if (cols.empty()) {
    std::fflush(out_);
    return;
  }
  std::string buf;
  if (format_ == OutputFormat::tsv) {
    for (size_t k = 0; k < cols.size(); ++k) {
      if (k) buf += '\t';
      buf += cols[k];
    }
    buf += '\n';
    // The rows of a chunk are written out in two halves at once (a batch's
    // thousands, once its logs are read: the rows are read-only now), the
    // second into a text of its own; then both, in order.
    std::string second;
    auto format_rows = [&](size_t from, size_t to, std::string& text) {
      std::vector<const json*> cells(cols.size());
      for (size_t i = from; i < to; ++i) {
        const Row& r = pending_[i];
        if (in_order[i])
          row_cells_in_order(r, cells);
        else
          row_cells(r, cols, hop_columns, cells);
        for (size_t k = 0; k < cols.size(); ++k) {
          if (k) text += '\t';
          append_cell(text, cells[k]);
        }
        text += '\n';
      }
    };
    for (size_t at = 0; at < pending_.size(); at += kRowChunk) {
      const size_t end = std::min(pending_.size(), at + kRowChunk);
      split_in_two(end - at, kSplitRows, [&](size_t from, size_t to) {
        format_rows(at + from, at + to, from == 0 ? buf : second);
      });
      std::fwrite(buf.data(), 1, buf.size(), out_);
      std::fwrite(second.data(), 1, second.size(), out_);
      buf.clear();
      second.clear();
    }
  } else {
    std::vector<std::vector<std::string>> cells;
    std::vector<size_t> w(cols.size());
    for (size_t k = 0; k < cols.size(); ++k) w[k] = width(cols[k]);
    std::vector<const json*> at;
    for (const auto& r : pending_) {
      cells.emplace_back();
      row_cells(r, cols, hop_columns, at);
      for (size_t k = 0; k < cols.size(); ++k) {
        std::string t;
        append_cell(t, at[k]);
        w[k] = std::max(w[k], width(t));
        cells.back().push_back(std::move(t));
      }
    }
    auto emit = [&](const std::vector<std::string>& line) {
      for (size_t k = 0; k < line.size(); ++k) {
        buf += line[k];
        if (k + 1 < line.size()) buf.append(w[k] - width(line[k]) + 2, ' ');
      }
      buf += '\n';
    };
    emit(cols);
    for (const auto& c : cells) emit(c);
  }
  std::fwrite(buf.data(), 1, buf.size(), out_);
  std::fflush(out_);
}

RowReader::RowReader(FILE* in, std::string name) : in_(in), name_(std::move(name)) {}

RowReader::~RowReader() {
  std::free(getline_buf_);
}

bool RowReader::read_line(std::string& s) {
  if (!unread_.empty()) {
    s = std::move(unread_.back().text);
    line_ = unread_.back().number;
    unread_.pop_back();
    return true;
  }
  ssize_t n = ::getline(&getline_buf_, &getline_cap_, in_);
  if (n < 0) return false;
  s.assign(getline_buf_, size_t(n));
  if (!s.empty() && s.back() == '\n') s.pop_back();
  if (!s.empty() && s.back() == '\r') s.pop_back();
  // Excel and Windows tools start UTF-8 text with a byte order mark.
  if (physical_line_ == 0 && s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
  line_ = ++physical_line_;
  return true;
}

void RowReader::unread(std::vector<Line>& lines) {
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) unread_.push_back(std::move(*it));
  lines.clear();
}

void RowReader::read_header(std::string_view s) {
  kind_ = (s.find('\t') == std::string_view::npos && s.find(',') != std::string_view::npos)
              ? Kind::csv
              : Kind::tsv;
  std::vector<std::string> cols;
  if (kind_ == Kind::csv)
    split_csv(s, cols);
  else
    for (auto c : split(s, '\t')) cols.push_back(trim_copy(c));
  if (!cols.empty() && !cols[0].empty() && cols[0][0] == '#') cols[0].erase(0, 1);
  columns_ = std::move(cols);
  shadowserver_ = kind_ == Kind::csv && is_shadowserver_header(columns_);
}

bool RowReader::next(Row& row, std::string& error) {
  row = json::object();
  error.clear();
  if (!pending_.empty()) {
    row = std::move(pending_.back().row);
    error = std::move(pending_.back().error);
    record_line_ = pending_.back().line;
    pending_.pop_back();
    return true;
  }
  for (;;) {
    if (!read_line(buf_)) return false;
    std::string_view s = buf_;
    size_t first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;  // blank line
    record_line_ = line_;
    if (kind_ == Kind::unknown) {
      if (s[first] == '{' || s[first] == '[') {
        kind_ = Kind::json;
      } else {
        read_header(s);
        continue;
      }
    }
    if (kind_ == Kind::json) return next_json(row, error);
    return next_delimited(s, row, error);
  }
}

bool RowReader::next_json(Row& row, std::string& error) {
  uint64_t start = line_;
  JsonExtent extent;
  extent.feed(buf_, line_);
  std::string text = buf_;
  std::vector<Line> more;
  std::string next_text;
  while (!extent.complete()) {
    if (more.size() >= kMaxRecordLines || !read_line(next_text)) {
      // No end before the input's: the first line was broken, not the start
      // of a value spread over lines. Say what is wrong with it, and read the
      // lines after it again.
      unread(more);
      try {
        json probe = json::parse(buf_);
        error = fmt::format("{}:{}: not a JSON object", name_, start);
      } catch (const std::exception& e) {
        error = fmt::format("{}:{}: not a JSON object: {}", name_, start, json_error_text(e));
      }
      return true;
    }
    extent.feed(next_text, line_);
    text += '\n';
    text += next_text;
    more.push_back(Line{next_text, line_});
  }
  json value;
  try {
    value = json::parse(text);
  } catch (const json::parse_error& e) {
    uint64_t at = start;
    for (size_t k = 0; k + 1 < e.byte && k < text.size(); ++k) at += text[k] == '\n';
    error = fmt::format("{}:{}: not a JSON object: {}", name_, at, json_error_text(e));
    return true;
  } catch (const json::exception& e) {
    // A number too large for a double (1e999): out_of_range, not a
    // parse_error (found by fuzzing; it ended the tool).
    error = fmt::format("{}:{}: not a JSON object: {}", name_, start, json_error_text(e));
    return true;
  }
  auto to_row = [&](json& v, uint64_t at, Row& out, std::string& why) {
    if (!v.is_object()) {
      why = fmt::format("{}:{}: not a JSON object", name_, at);
      return;
    }
    out = std::move(v);
    std::string reason;
    if (!normalise_xarf(out, reason)) {
      why = fmt::format("{}:{}: {}", name_, at, reason);
      out = json::object();
    }
  };
  if (!value.is_array()) {
    to_row(value, start, row, error);
    return true;
  }
  const auto& lines = extent.element_lines();
  for (size_t k = value.size(); k-- > 0;) {
    Pending p{json::object(), {}, k < lines.size() ? lines[k] : start};
    to_row(value[k], p.line, p.row, p.error);
    pending_.push_back(std::move(p));
  }
  return next(row, error);  // the first element, or the record after an empty array
}

bool RowReader::next_delimited(std::string_view s, Row& row, std::string& error) {
  if (kind_ == Kind::tsv) {
    // Each field unescaped straight into the row (no list of copies first);
    // a record that does not fit the header leaves the row empty.
    size_t fields = size_t(std::count(s.begin(), s.end(), '\t')) + 1;
    if (fields != columns_.size()) {
      error = fmt::format("{}:{}: {} fields where the header has {}", name_, record_line_, fields,
                          columns_.size());
      return true;
    }
    row.get_ref<json::object_t&>().reserve(columns_.size());
    size_t pos = 0;
    for (size_t k = 0; k < fields; ++k) {
      size_t tab = k + 1 < fields ? s.find('\t', pos) : s.size();
      set_field(row, columns_[k], tsv_unescape(s.substr(pos, tab - pos)));
      pos = tab + 1;
    }
  } else {
    std::vector<std::string> vals;
    if (!next_csv(s, vals, row, error)) return true;
  }
  if (shadowserver_) {
    std::string why;
    if (!normalise_shadowserver(row, why)) {
      error = fmt::format("{}:{}: {}", name_, record_line_, why);
      row = json::object();
    }
  }
  return true;
}

// A CSV record (of one line or more) into `vals` and the row; false (with
// `error`) when it cannot be read.
bool RowReader::next_csv(std::string_view s, std::vector<std::string>& vals, Row& row,
                         std::string& error) {
  if (split_csv(s, vals) == CsvSplit::open_quote) {
    // A quoted field may go on over the next lines; if it does not end, ends
    // with text after its closing quote, or the record does not fit the
    // header, the quote was a mistake on this line alone.
    std::string record(s);
    std::vector<Line> more;
    std::string next_text;
    CsvSplit state = CsvSplit::open_quote;
    while (state == CsvSplit::open_quote && more.size() < kMaxRecordLines && read_line(next_text)) {
      record += '\n';
      record += next_text;
      more.push_back(Line{next_text, line_});
      state = split_csv(record, vals);
    }
    if (state != CsvSplit::ok || vals.size() != columns_.size()) {
      unread(more);
      error = fmt::format("{}:{}: unterminated quote", name_, record_line_);
      return false;
    }
  }
  if (vals.size() != columns_.size()) {
    error = fmt::format("{}:{}: {} fields where the header has {}", name_, record_line_,
                        vals.size(), columns_.size());
    return false;
  }
  for (size_t k = 0; k < vals.size(); ++k) set_field(row, columns_[k], std::move(vals[k]));
  return true;
}

}  // namespace tracekit

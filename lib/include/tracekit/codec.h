// Records between tools: TSV with a header line (hop fields as "hop.field")
// and JSON Lines (one object per hop), written and read by the same code, plus
// an aligned table for terminals. A row is a JSON object whose top-level
// scalars are the query fields and whose nested objects are hops.
//
// TSV escapes \t, \n, \r and \ as two-character sequences; evidence is
// "FILE:LINE" (several joined with ","). In JSON Lines evidence is an array of
// {file, line, offset, raw}.
#pragma once

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace tracekit {

using Row = nlohmann::ordered_json;

enum class OutputFormat : uint8_t { tsv, jsonl, table };
bool parse_output_format(std::string_view s, OutputFormat& out);
OutputFormat default_output_format();  // table on a terminal, tsv otherwise

// Writes rows. JSON Lines stream; TSV and table collect the rows to know the
// columns (the union of all rows' fields, in first-seen order).
class RowWriter {
 public:
  RowWriter(OutputFormat format, FILE* out);
  ~RowWriter();
  void write(const Row& row);
  void write(Row&& row);  // (the same, without a copy of a row held for a table or TSV)
  void finish();

 private:
  OutputFormat format_;
  FILE* out_;
  std::vector<Row> pending_;
  bool finished_ = false;
};

// The text of a field as TSV shows it (unescaped): scalars as text, evidence
// arrays as FILE:LINE,..., other arrays joined with ",".
std::string field_text(const nlohmann::ordered_json& v);
// TSV escaping: tab, newline, CR and backslash as \t \n \r \\.
void append_tsv_escaped(std::string& out, std::string_view s);
std::string tsv_escape(std::string_view s);
std::string tsv_unescape(std::string_view s);

// Reads query records from a stream. What the stream is, is decided once, by
// its first non-blank line (a UTF-8 byte order mark before it is skipped):
//  - '{' or '[': JSON. One object per line (JSON Lines), objects spread over
//    several lines (pretty-printed, one after another), or arrays of objects.
//    X-ARF reports among them (v4: "xarf_version" or "source_identifier" at the
//    top level; v3: "Version" and a "Report" object) are normalised, see below.
//  - a header with commas and no tabs: CSV (RFC 4180: quoted fields may hold
//    commas, doubled quotes and line breaks; unquoted fields are trimmed). A
//    header with "timestamp", "ip" or "src_ip", and "port" or "src_port" is a
//    Shadowserver report, normalised as below.
//  - anything else: TSV with a header, values unescaped as written.
// Lines may end in CRLF. Normalisation adds, at the end of a row and only when
// the row does not have the field already: time, ip, port, dst_ip, dst_port,
// proto. Every field the record had is kept as it was, except that X-ARF's
// nested objects are flattened one level ("reporter": {"org"} gives
// reporter_org) and arrays of objects (evidence, with its payloads) dropped.
//  - Shadowserver: time from timestamp (UTC by definition: written with a Z),
//    ip from src_ip, port from src_port, proto from protocol (tcp, udp, icmp).
//  - X-ARF v4: time from timestamp (as written, offset kept), ip from
//    source_identifier when it is an IP address, port from source_port, dst_ip
//    and dst_port from destination_ip and destination_port, proto from
//    protocol. X-ARF v3: the same from Report's Date, SourceIp, SourcePort,
//    DestinationIp and DestinationPort.
// A record that cannot be read (bad quoting, bad JSON, a report timestamp that
// is not a time) is an error naming its line; the records after it are read.
class RowReader {
 public:
  explicit RowReader(FILE* in, std::string name = "stdin");
  ~RowReader();
  // Next row; false at the end. A record that cannot be read sets `error`
  // ("NAME:LINE: why") and returns true with an empty row.
  bool next(Row& row, std::string& error);
  uint64_t line() const { return line_; }                // last line read
  uint64_t record_line() const { return record_line_; }  // first line of the last record
  const std::vector<std::string>& columns() const { return columns_; }

 private:
  struct Line {
    std::string text;
    uint64_t number;
  };
  struct Pending {
    Row row;
    std::string error;
    uint64_t line;
  };
  bool read_line(std::string& s);
  void unread(std::vector<Line>& lines);
  bool next_json(Row& row, std::string& error);
  bool next_delimited(std::string_view s, Row& row, std::string& error);
  bool next_csv(std::string_view s, std::vector<std::string>& vals, Row& row, std::string& error);
  void read_header(std::string_view s);
  FILE* in_;
  std::string name_;
  uint64_t line_ = 0;
  uint64_t record_line_ = 0;
  uint64_t physical_line_ = 0;
  enum class Kind { unknown, tsv, csv, json } kind_ = Kind::unknown;
  bool shadowserver_ = false;
  std::vector<std::string> columns_;
  std::string buf_;
  std::vector<Line> unread_;      // lines to read again, the next one last
  std::vector<Pending> pending_;  // elements of a JSON array, the next one last
  char* getline_buf_ = nullptr;
  size_t getline_cap_ = 0;
};

// Adds field `key` at the end of object `obj` without looking for it first,
// as operator[] does (a search, a null value, then the value assigned): for
// a record being built, whose code writes each field once.
template <class K, class V>
void append_field(Row& obj, K&& key, V&& value) {
  obj.get_ref<Row::object_t&>().emplace_back(std::forward<K>(key), std::forward<V>(value));
}

// Field `key` of object `obj` (null when `obj` is no object or has none):
// a walk over its fields, without the key string find() makes.
inline const Row* field_of(const Row& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  for (const auto& [k, v] : obj.get_ref<const Row::object_t&>())
    if (k == key) return &v;
  return nullptr;
}
inline Row* field_of(Row& obj, std::string_view key) {
  return const_cast<Row*>(field_of(static_cast<const Row&>(obj), key));
}

// An empty object with room for `fields` fields (appended without moving
// the ones before).
inline Row object_with_room(size_t fields) {
  Row obj = Row::object();
  obj.get_ref<Row::object_t&>().reserve(fields);
  return obj;
}

// Sets row[hop][field] for "hop.field" names and row[name] otherwise.
void set_field(Row& row, std::string_view name, std::string value);
// Finds "hop.field" / "name" in a row; null when absent or empty.
const nlohmann::ordered_json* get_field(const Row& row, std::string_view name);
std::string get_text(const Row& row, std::string_view name);

}  // namespace tracekit

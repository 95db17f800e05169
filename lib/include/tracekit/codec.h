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

// Reads query records from a stream: TSV with a header, or JSON Lines (a first
// non-blank character '{' decides). CSV with a header is read too when the
// header has commas and no tabs.
class RowReader {
 public:
  explicit RowReader(FILE* in, std::string name = "stdin");
  // Next row; false at the end. A line that cannot be read sets `error`
  // (with its line number in `line`) and returns true with an empty row.
  bool next(Row& row, std::string& error);
  uint64_t line() const { return line_; }
  const std::vector<std::string>& columns() const { return columns_; }

 private:
  bool read_line(std::string& s);
  FILE* in_;
  std::string name_;
  uint64_t line_ = 0;
  enum class Kind { unknown, tsv, csv, jsonl } kind_ = Kind::unknown;
  std::vector<std::string> columns_;
  std::string buf_;
};

// Sets row[hop][field] for "hop.field" names and row[name] otherwise.
void set_field(Row& row, std::string_view name, std::string value);
// Finds "hop.field" / "name" in a row; null when absent or empty.
const nlohmann::ordered_json* get_field(const Row& row, std::string_view name);
std::string get_text(const Row& row, std::string_view name);

}  // namespace tracekit

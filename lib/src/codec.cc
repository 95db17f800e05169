#include "tracekit/codec.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

namespace tracekit {

namespace {

using json = nlohmann::ordered_json;

void add_columns(const Row& row, std::vector<std::string>& cols) {
  auto add = [&](std::string name) {
    if (std::find(cols.begin(), cols.end(), name) == cols.end()) cols.push_back(std::move(name));
  };
  for (auto it = row.begin(); it != row.end(); ++it) {
    if (it->is_object()) {
      for (auto jt = it->begin(); jt != it->end(); ++jt) add(it.key() + "." + jt.key());
    } else {
      add(it.key());
    }
  }
}

std::string column_text(const Row& row, const std::string& col) {
  const json* v = get_field(row, col);
  return v ? field_text(*v) : std::string();
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

// RFC 4180 fields of one line (quotes doubled inside quoted fields).
bool split_csv(std::string_view s, std::vector<std::string>& out) {
  out.clear();
  std::string cur;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          cur += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"' && cur.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(cur));
      cur.clear();
      was_quoted = false;
    } else {
      cur += c;
    }
  }
  if (quoted) return false;
  out.push_back(std::move(cur));
  return true;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

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
  for (char c : s) {
    switch (c) {
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        out += c;
    }
  }
}

std::string tsv_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_tsv_escaped(out, s);
  return out;
}

std::string tsv_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
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
      if (e.is_object() && e.contains("file") && e.contains("line"))
        out += fmt::format("{}:{}", e["file"].get<std::string>(), field_text(e["line"]));
      else
        out += field_text(e);
    }
    return out;
  }
  if (v.is_object()) return v.dump();
  return v.dump();
}

void set_field(Row& row, std::string_view name, std::string value) {
  size_t dot = name.find('.');
  if (dot == std::string_view::npos) {
    row[std::string(name)] = std::move(value);
    return;
  }
  std::string hop(name.substr(0, dot));
  if (!row.contains(hop) || !row[hop].is_object()) row[hop] = json::object();
  row[hop][std::string(name.substr(dot + 1))] = std::move(value);
}

const json* get_field(const Row& row, std::string_view name) {
  if (!row.is_object()) return nullptr;
  size_t dot = name.find('.');
  const json* v = nullptr;
  if (dot == std::string_view::npos) {
    auto it = row.find(std::string(name));
    if (it == row.end()) return nullptr;
    v = &*it;
  } else {
    auto it = row.find(std::string(name.substr(0, dot)));
    if (it == row.end() || !it->is_object()) return nullptr;
    auto jt = it->find(std::string(name.substr(dot + 1)));
    if (jt == it->end()) return nullptr;
    v = &*jt;
  }
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

void RowWriter::finish() {
  if (finished_) return;
  finished_ = true;
  if (format_ == OutputFormat::jsonl) {
    std::fflush(out_);
    return;
  }
  std::vector<std::string> cols;
  for (const auto& r : pending_) add_columns(r, cols);
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
    for (const auto& r : pending_) {
      for (size_t k = 0; k < cols.size(); ++k) {
        if (k) buf += '\t';
        buf += tsv_escape(column_text(r, cols[k]));
      }
      buf += '\n';
      if (buf.size() > (1 << 16)) {
        std::fwrite(buf.data(), 1, buf.size(), out_);
        buf.clear();
      }
    }
  } else {
    std::vector<std::vector<std::string>> cells;
    std::vector<size_t> w(cols.size());
    for (size_t k = 0; k < cols.size(); ++k) w[k] = width(cols[k]);
    for (const auto& r : pending_) {
      cells.emplace_back();
      for (size_t k = 0; k < cols.size(); ++k) {
        std::string t = tsv_escape(column_text(r, cols[k]));
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

bool RowReader::read_line(std::string& s) {
  s.clear();
  int c;
  bool any = false;
  while ((c = std::fgetc(in_)) != EOF) {
    any = true;
    if (c == '\n') break;
    s += char(c);
  }
  if (!s.empty() && s.back() == '\r') s.pop_back();
  if (any) ++line_;
  return any;
}

bool RowReader::next(Row& row, std::string& error) {
  row = json::object();
  error.clear();
  for (;;) {
    if (!read_line(buf_)) return false;
    std::string_view s = buf_;
    size_t first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;  // blank line
    if (kind_ == Kind::unknown) {
      if (s[first] == '{') {
        kind_ = Kind::jsonl;
      } else {
        kind_ = (s.find('\t') == std::string_view::npos && s.find(',') != std::string_view::npos)
                    ? Kind::csv
                    : Kind::tsv;
        std::vector<std::string> cols;
        if (kind_ == Kind::csv) {
          split_csv(s, cols);
        } else {
          cols = split(s, '\t');
        }
        for (auto& c : cols) c = trim(c);
        if (!cols.empty() && !cols[0].empty() && cols[0][0] == '#') cols[0].erase(0, 1);
        columns_ = std::move(cols);
        continue;
      }
    }
    if (kind_ == Kind::jsonl) {
      try {
        row = json::parse(s);
      } catch (const std::exception& e) {
        error = fmt::format("{}:{}: not a JSON object: {}", name_, line_, e.what());
        row = json::object();
        return true;
      }
      if (!row.is_object()) {
        error = fmt::format("{}:{}: not a JSON object", name_, line_);
        row = json::object();
      }
      return true;
    }
    std::vector<std::string> vals;
    if (kind_ == Kind::csv) {
      if (!split_csv(s, vals)) {
        error = fmt::format("{}:{}: unterminated quote", name_, line_);
        return true;
      }
    } else {
      vals = split(s, '\t');
    }
    if (vals.size() != columns_.size()) {
      error = fmt::format("{}:{}: {} fields where the header has {}", name_, line_, vals.size(),
                          columns_.size());
      return true;
    }
    for (size_t k = 0; k < vals.size(); ++k)
      set_field(row, columns_[k], kind_ == Kind::tsv ? tsv_unescape(vals[k]) : trim(vals[k]));
    return true;
  }
}

}  // namespace tracekit

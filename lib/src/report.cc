#include "tracekit/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "tracekit/manifest.h"

namespace tracekit {

namespace {

using json = nlohmann::ordered_json;

// What each hop is called in the report.
const char* hop_title(std::string_view hop) {
  if (hop == "nat") return "NAT translation";
  if (hop == "lease") return "DHCP lease";
  if (hop == "login") return "Login session";
  if (hop == "owner") return "Owner (directory)";
  return "Chain";
}

bool is_time_field(std::string_view f) {
  return f == "start" || f == "end" || f == "time" || f == "valid_from" || f == "valid_to";
}

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Text and Markdown differ in headings, lists and quoted lines only.
class Writer {
 public:
  Writer(FILE* out, ReportStyle style) : out_(out), md_(style == ReportStyle::md) {}

  void title(std::string_view s) {
    if (md_)
      fmt::print(out_, "# {}\n\n", s);
    else
      fmt::print(out_, "{}\n{}\n\n", s, std::string(s.size(), '='));
  }
  void heading(std::string_view s) {
    if (md_)
      fmt::print(out_, "## {}\n\n", s);
    else
      fmt::print(out_, "{}\n{}\n\n", s, std::string(s.size(), '-'));
  }
  void subheading(std::string_view s) {
    if (md_)
      fmt::print(out_, "### {}\n\n", s);
    else
      fmt::print(out_, "{}\n\n", s);
  }
  // "key: value" lines, aligned in text, a list in Markdown.
  void fields(const std::vector<std::pair<std::string, std::string>>& kv) {
    size_t w = 0;
    for (const auto& [k, v] : kv) w = std::max(w, k.size());
    for (const auto& [k, v] : kv) {
      if (md_)
        fmt::print(out_, "- **{}**: {}\n", k, md_escape(one_line(v)));
      else
        fmt::print(out_, "  {:<{}}  {}\n", k + ":", w + 1, indent_continuation(v, w + 5));
    }
    fmt::print(out_, "\n");
  }
  void bullets(const std::vector<std::string>& items) {
    for (const auto& i : items) {
      if (md_)
        fmt::print(out_, "- {}\n", md_escape(i));
      else
        fmt::print(out_, "  - {}\n", i);
    }
    fmt::print(out_, "\n");
  }
  // Log lines quoted exactly, each after its FILE:LINE.
  void quoted(const std::vector<std::pair<std::string, std::string>>& lines) {
    if (lines.empty()) return;
    if (md_) fmt::print(out_, "```\n");
    for (const auto& [where, raw] : lines) {
      if (md_)
        fmt::print(out_, "{}\n    {}\n", where, printable(raw));
      else
        fmt::print(out_, "      {}\n        {}\n", where, printable(raw));
    }
    fmt::print(out_, "{}", md_ ? "```\n\n" : "\n");
  }
  void para(std::string_view s) { fmt::print(out_, "{}\n\n", md_ ? md_escape(s) : std::string(s)); }

 private:
  static std::string one_line(std::string_view v) {
    std::string s;
    for (char c : v) {
      if (c == '\n')
        s += "; ";
      else
        s += c;
    }
    return s;
  }
  static std::string indent_continuation(std::string_view v, size_t indent) {
    std::string s;
    for (char c : v) {
      s += c;
      if (c == '\n') s.append(indent, ' ');
    }
    return s;
  }
  static std::string md_escape(std::string_view s) {
    std::string o;
    for (char c : s) {
      if (c == '*' || c == '_' || c == '`' || c == '|' || c == '<' || c == '>') o += '\\';
      o += c;
    }
    return o;
  }
  // A raw line as it is, but with control characters shown as \xNN so that a
  // hostile log line cannot rewrite the report on a terminal.
  static std::string printable(std::string_view raw) {
    std::string o;
    for (unsigned char c : raw) {
      if (c < 0x20 || c == 0x7f)
        o += fmt::format("\\x{:02x}", c);
      else
        o += char(c);
    }
    return o;
  }

  FILE* out_;
  bool md_;
};

std::string time_both(const std::string& rfc3339, const date::time_zone* zone) {
  if (rfc3339.empty()) return "";
  Instant t;
  std::string error;
  if (!zone || !parse_query_time(rfc3339, nullptr, t, error)) return rfc3339;
  return fmt::format("{} = {}", rfc3339, format_local(t, zone));
}

// The one-line answer of a chain row: who, or why not.
std::string answer_line(const Row& row) {
  const json& chain = row.at("chain");
  std::string match = scalar_text(chain.value("match", json()));
  auto owner = row.find("owner");
  auto login = row.find("login");
  auto lease = row.find("lease");
  std::string who;
  if (owner != row.end() && owner->value("match", "") == "exact") {
    who = owner->value("name", "");
    std::vector<std::string> parts;
    for (const char* f : {"user", "id", "unit"})
      if (!owner->value(f, "").empty()) parts.push_back(owner->value(f, ""));
    if (!parts.empty()) who += fmt::format(" ({})", fmt::join(parts, ", "));
  } else if (login != row.end() && login->value("match", "") == "exact") {
    who = fmt::format("login {} on {}", login->value("user", ""), login->value("host", ""));
  } else if (lease != row.end() && lease->value("match", "") == "exact") {
    who = fmt::format("workstation {} ({})", lease->value("host", ""), lease->value("mac", ""));
  }
  if (match == "exact") return fmt::format("exact: {}", who);
  if (match == "ambiguous")
    return fmt::format(
        "ambiguous: one of several candidates, or one that cannot be vouched for (see the "
        "hops); this one: {}",
        who.empty() ? "(see the hops)" : who);
  return fmt::format("{}: cannot say who{}", match,
                     who.empty() ? std::string() : fmt::format("; established so far: {}", who));
}

void write_hop(Writer& w, const Row& row, const char* hop, const date::time_zone* zone) {
  auto h = row.find(hop);
  if (h == row.end() || !h->is_object()) return;
  std::string match = h->value("match", "");
  w.subheading(fmt::format("{}: {}", hop_title(hop), match));
  std::vector<std::pair<std::string, std::string>> kv;
  for (auto it = h->begin(); it != h->end(); ++it) {
    if (it.key() == "match" || it.key() == "evidence") continue;
    std::string v = scalar_text(*it);
    if (v.empty()) continue;
    kv.emplace_back(it.key(), is_time_field(it.key()) ? time_both(v, zone) : v);
  }
  if (!kv.empty()) w.fields(kv);
  std::vector<std::pair<std::string, std::string>> lines;
  auto ev = h->find("evidence");
  if (ev != h->end() && ev->is_array()) {
    for (const auto& e : *ev) {
      if (!e.is_object()) continue;
      // Rows piped in are the user's JSON: any member may be of any type.
      std::string where = fmt::format("{}:{} (byte {})", scalar_text(e.value("file", json(""))),
                                      scalar_text(e.value("line", json(0))),
                                      scalar_text(e.value("offset", json(0))));
      lines.emplace_back(where, scalar_text(e.value("raw", json(""))));
    }
  } else if (ev != h->end()) {
    lines.emplace_back(scalar_text(*ev), "");
  }
  w.quoted(lines);
}

void add_files(std::vector<const ScanFile*>& out, const Scanner& s) {
  for (const auto& f : s.files()) out.push_back(&f);
}

}  // namespace

bool parse_report_style(std::string_view s, ReportStyle& out) {
  if (s == "text" || s.empty()) {
    out = ReportStyle::text;
    return true;
  }
  if (s == "md" || s == "markdown") {
    out = ReportStyle::md;
    return true;
  }
  return false;
}

const date::time_zone* report_zone(const ToolRun& run, const std::vector<SourceSpec>& directories) {
  if (run.zone) return run.zone;
  std::set<std::string> zones;
  for (const auto& s : run.sources)
    if (!s.tz.empty()) zones.insert(s.tz);
  for (const auto& s : directories)
    if (!s.tz.empty()) zones.insert(s.tz);
  return zones.size() == 1 ? find_zone(*zones.begin()) : nullptr;
}

void write_report(FILE* out, ReportStyle style, const ToolRun& run, const ReportRun& how,
                  const Chain& chain, const std::vector<ChainQuery>& queries,
                  const std::vector<Row>& rows, const std::vector<size_t>& query_of) {
  Writer w(out, style);
  const date::time_zone* zone = how.site_zone;
  w.title("tracekit: who was behind the address");

  for (size_t qi = 0; qi < queries.size(); ++qi) {
    const ChainQuery& q = queries[qi];
    std::vector<const Row*> mine;
    for (size_t k = 0; k < rows.size(); ++k)
      if (query_of[k] == qi) mine.push_back(&rows[k]);
    w.heading(queries.size() == 1 ? std::string("The question")
                                  : fmt::format("Question {} of {}", qi + 1, queries.size()));
    std::vector<std::pair<std::string, std::string>> kv;
    kv.emplace_back("as received", q.asked);
    kv.emplace_back("from", q.origin == "query" ? "the command line" : q.origin);
    for (auto it = q.row.begin(); it != q.row.end(); ++it) {
      if (it->is_object()) continue;
      std::string v = scalar_text(*it);
      if (v.empty()) continue;
      kv.emplace_back("read as " + it.key(), it.key() == "time" ? time_both(v, zone) : v);
    }
    kv.emplace_back("clock skew allowed",
                    fmt::format("±{} asked, widened per hop by the sources' known clock "
                                "uncertainty (each hop's note says the window it used)",
                                format_duration(run.skew)));
    w.fields(kv);

    w.subheading("Answer");
    if (mine.empty()) {
      w.para("No answer: the query could not be read (see the messages of the run).");
      continue;
    }
    std::vector<std::string> answers;
    for (const Row* r : mine) answers.push_back(answer_line(*r));
    if (mine.size() > 1)
      answers.insert(
          answers.begin(),
          fmt::format("{} candidate chains: the logs do not single out one", mine.size()));
    w.bullets(answers);

    for (size_t c = 0; c < mine.size(); ++c) {
      const Row& r = *mine[c];
      if (mine.size() > 1)
        w.subheading(fmt::format("Candidate chain {} of {}", c + 1, mine.size()));
      for (const char* hop : kChainHops) write_hop(w, r, hop, zone);
    }

    std::vector<std::string> limits;
    for (const Row* r : mine) {
      const json& ch = r->at("chain");
      std::string note = scalar_text(ch.value("note", json("")));
      if (!note.empty() && std::find(limits.begin(), limits.end(), note) == limits.end())
        limits.push_back(note);
    }
    w.subheading("What could not be established, and why");
    if (limits.empty())
      w.para("Nothing: every hop found exactly one candidate.");
    else
      w.bullets(limits);
  }

  // What the answers rest on.
  w.heading("Times");
  std::vector<std::string> times;
  times.push_back(fmt::format(
      "Times are UTC (RFC 3339, Z){}.",
      zone ? fmt::format(", each followed by the time in {}", zone_name(zone)) : std::string()));
  for (const auto& s : run.sources) {
    // The chain reads no proxy or mail logs: their sources are not its evidence.
    const FormatInfo* f = find_format(s.format);
    if (f && (f->family == Family::proxy || f->family == Family::smtp)) continue;
    times.push_back(fmt::format(
        "source {}: timestamps without a zone read in {}; known clock "
        "uncertainty ±{}{}",
        s.name, s.tz.empty() ? "the zone of --tz or the machine" : s.tz, format_duration(s.skew),
        s.year ? fmt::format("; year-less dates in {}", s.year) : ""));
  }
  std::vector<const ScanFile*> files;
  for (const Scanner* s : {chain.nat() ? &chain.nat()->scanner() : nullptr,
                           chain.lease() ? &chain.lease()->scanner() : nullptr,
                           chain.login() ? &chain.login()->scanner() : nullptr,
                           chain.owner() ? &chain.owner()->scanner() : nullptr})
    if (s) add_files(files, *s);
  for (const ScanFile* f : files) {
    if (f->year_inferred)
      times.push_back(
          fmt::format("{}: the year of its dates ({} for the first) was inferred "
                      "from the file's modification time",
                      f->info.path, f->first_year));
    if (f->zone_assumed)
      times.push_back(
          fmt::format("{}: no zone configured; the machine's zone was assumed", f->info.path));
  }
  w.bullets(times);

  w.heading("Input files");
  w.para(
      "Each as it is on disk (compressed files as stored), hashed when this report was "
      "written; check with sha256sum.");
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const InputFileInfo& f : describe_inputs(run)) {
    if (f.is_stdin) {
      inputs.emplace_back("-", "standard input (the queries), not hashed");
      continue;
    }
    std::string what =
        fmt::format("{} bytes, modified {}\nsha256 {}", f.size, f.mtime.empty() ? "?" : f.mtime,
                    f.sha256.empty() ? "(not read)" : f.sha256);
    if (!f.error.empty()) what += "\n" + f.error;
    inputs.emplace_back(f.path, what);
  }
  w.fields(inputs);

  w.heading("This run");
  std::vector<std::string> argv;
  for (const auto& a : run.args) argv.push_back(shell_quote(a));
  w.fields({{"tool", fmt::format("trace-ip (tracekit) {}", tracekit_version())},
            {"command line", fmt::format("{}", fmt::join(argv, " "))},
            {"time of run", format_rfc3339(std::chrono::time_point_cast<Micros>(run.started))},
            {"tz database", tzdb_version()}});
}

}  // namespace tracekit

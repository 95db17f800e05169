#include "tracekit/cli.h"

#include "tracekit/hop.h"

#include <fmt/format.h>

#include "tracekit/manifest.h"

namespace tracekit {

std::string_view tracekit_version() {
  return TRACEKIT_VERSION;
}

bool setup_run(const CommonOptions& o, ToolRun& run) {
  run.diag.set_strict(o.strict);
  run.manifest_path = o.manifest;
  std::string tz = o.tz;
  if (tz.empty())
    if (const char* env = std::getenv("TRACEKIT_TZ"); env && *env) tz = env;
  if (!tz.empty()) {
    run.zone = find_zone(tz);
    if (!run.zone) {
      run.diag.usage_error(
          fmt::format("--tz: unknown time zone '{}' (expected an IANA name such "
                      "as Europe/London, or UTC)",
                      tz));
      return false;
    }
  }
  if (!o.skew.empty() && !parse_duration(o.skew, run.skew)) {
    run.diag.usage_error(
        fmt::format("--skew: '{}' is not a duration (expected e.g. 10s, 2m, 1h)", o.skew));
    return false;
  }
  if (!o.max_silence.empty() && !parse_duration(o.max_silence, run.max_silence)) {
    run.diag.usage_error(fmt::format(
        "--max-silence: '{}' is not a duration (expected e.g. 30m, 2h)", o.max_silence));
    return false;
  }
  run.output = default_output_format();
  if (!o.output.empty() && !parse_output_format(o.output, run.output)) {
    run.diag.usage_error(fmt::format(
        "--output: '{}' is not an output format (expected tsv, jsonl or table)", o.output));
    return false;
  }
  if (!o.logs.empty()) {
    for (const auto& l : o.logs) {
      SourceSpec s;
      std::string error;
      if (!source_from_log_arg(l, s, error)) {
        run.diag.usage_error(error);
        return false;
      }
      run.sources.push_back(std::move(s));
    }
    // With --log the sources file is not read: the files are read as given,
    // with --tz for their zone-less times.
    return check_manifest_path(run);
  }
  std::string path = find_config(o.config);
  if (path.empty()) {
    run.diag.usage_error("no logs to read: give --log PATH or a sources file (--config FILE)");
    return false;
  }
  SiteConfig cfg;
  std::string error;
  if (!load_config(path, cfg, error)) {
    run.diag.usage_error(error);
    return false;
  }
  run.config_path = path;
  run.sources = std::move(cfg.sources);
  run.directories = std::move(cfg.directories);
  if (run.sources.empty()) {
    run.diag.usage_error(fmt::format("{}: names no [[source]]", path));
    return false;
  }
  return check_manifest_path(run);
}

std::vector<QueryRow> read_query_rows(ToolRun& run) {
  std::vector<QueryRow> rows;
  note_input(run, "-");
  RowReader reader(stdin, "stdin");
  Row row;
  std::string error;
  while (reader.next(row, error)) {
    if (!error.empty()) {
      run.diag.error(error);
      continue;
    }
    rows.push_back(QueryRow{reader.record_line(), std::move(row)});
  }
  return rows;
}

int exit_status(const ToolRun& run, bool answered) {
  if (run.diag.had_error()) return 2;
  return answered ? 0 : 1;
}

bool parse_time_options(ToolRun& run, std::initializer_list<TimeOption> options) {
  for (const auto& o : options) {
    std::string error;
    if (!o.text->empty() && !parse_query_time(*o.text, run.zone, *o.out, error)) {
      run.diag.usage_error(fmt::format("{}: {}", o.name, error));
      return false;
    }
  }
  return true;
}

bool parse_window_options(ToolRun& run, const std::string& around, const std::string& from,
                          const std::string& to, QueryWindow& out) {
  out = QueryWindow{};
  if (!parse_time_options(
          run,
          {{&around, &out.time, "--around"}, {&from, &out.from, "--from"}, {&to, &out.to, "--to"}}))
    return false;
  if (out.time != kNoTime && (out.from != kNoTime || out.to != kNoTime)) {
    run.diag.usage_error("--around and --from/--to: give one or the other");
    return false;
  }
  if (out.from != kNoTime && out.to != kNoTime && out.to <= out.from) {
    run.diag.usage_error("--to must be later than --from");
    return false;
  }
  return true;
}

std::string join_time_args(const std::vector<std::string>& args, size_t first) {
  std::string out;
  for (size_t k = first; k < args.size(); ++k) {
    if (!out.empty()) out += ' ';
    out += args[k];
  }
  return out;
}

bool positional_query_time(ToolRun& run, const std::vector<std::string>& args,
                           std::string_view usage, Instant& when, std::string* text) {
  if (args.size() < 2) {
    run.diag.usage_error(usage);
    return false;
  }
  std::string time_text = join_time_args(args, 1);
  std::string error;
  if (!parse_query_time(time_text, run.zone, when, error)) {
    run.diag.usage_error(error);
    return false;
  }
  if (text) *text = std::move(time_text);
  return true;
}

}  // namespace tracekit

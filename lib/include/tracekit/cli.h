// What every tool shares on its command line (DESIGN.md "Executables and their
// arguments"), and the run they set up: diagnostics, zone, skew, output format
// and the log sources. Header-only so that the library itself does not link
// CLI11. A run ends with finish_run(), which writes the --manifest.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tracekit/codec.h"
#include "tracekit/config.h"
#include "tracekit/diag.h"
#include "tracekit/input.h"
#include "tracekit/time.h"

namespace tracekit {

std::string_view tracekit_version();

struct CommonOptions {
  std::vector<std::string> logs;
  std::string config;
  std::string tz;
  std::string skew;
  std::string output;
  std::string max_silence;
  std::string manifest;
  bool strict = false;
  bool version = false;
};

inline void add_common_options(CLI::App& app, CommonOptions& o) {
  app.add_option("--log", o.logs,
                 "a log to search (repeatable; globs; .gz/.zst read as they are; FORMAT:PATH "
                 "forces the format)")
      ->allow_extra_args(false);
  app.add_option("--config", o.config,
                 "sources file naming the site's logs (default: $TRACEKIT_CONFIG, "
                 "~/.config/tracekit/sources.toml, /etc/tracekit/sources.toml)");
  app.add_option("--tz", o.tz,
                 "IANA zone for query times and for log times with no zone (default: "
                 "$TRACEKIT_TZ)");
  app.add_option("--skew", o.skew, "clock uncertainty to allow around the time asked (e.g. 10s)");
  app.add_option("-o,--output", o.output,
                 "tsv | jsonl | table (default: table on a terminal, tsv otherwise)");
  app.add_option("--max-silence", o.max_silence,
                 "a log quiet for longer than this has a gap there (default 1h)");
  app.add_option("--manifest", o.manifest,
                 "write what this run read (files, sizes, times, SHA-256) and how it ran to FILE");
  app.add_flag("--strict", o.strict, "a malformed log line is an error");
  app.add_flag("--version", o.version, "print the version and exit");
}

class Scanner;
struct QueryWindow;

struct ToolRun {
  explicit ToolRun(std::string tool) : diag(tool), tool(std::move(tool)) {}
  // Records the command line for the manifest.
  ToolRun(std::string tool, int argc, char** argv) : ToolRun(std::move(tool)) {
    for (int k = 0; k < argc && argv[k]; ++k) args.emplace_back(argv[k]);
  }
  // A tool that ends without finish_run() has not written the manifest
  // asked for: that is said rather than left silent.
  ~ToolRun() {
    if (!manifest_path.empty() && !finished)
      std::fprintf(stderr, "%s: --manifest %s: not written (the run ended early)\n", tool.c_str(),
                   manifest_path.c_str());
  }
  Diagnostics diag;
  std::string tool;
  const date::time_zone* zone = nullptr;  // --tz / $TRACEKIT_TZ; null: none given
  Micros skew{0};
  Micros max_silence{std::chrono::hours(1)};
  OutputFormat output = OutputFormat::tsv;
  std::vector<SourceSpec> sources;
  // The sources file's [directory] tables, when setup_run read one (the
  // address registers serve the lease hop, the directories trace-ip).
  std::vector<SourceSpec> directories;
  std::string config_path;
  std::vector<std::string> args;  // the command line as given, argv[0] first
  std::chrono::system_clock::time_point started = std::chrono::system_clock::now();
  std::string manifest_path;  // --manifest; empty: none asked
  bool finished = false;      // finish_run() has run
  // Files opened as input, each once, first opened first; as opened (size
  // and mtime then) where known.
  std::vector<InputFile> inputs;
};

// Notes a file the run opened as input ("-": stdin) for the manifest; a path
// noted before is not added again. The sources file needs no noting.
void note_input(ToolRun& run, std::string_view path);
// The same with its size and mtime when opened: the manifest says if the
// file has changed since.
void note_input(ToolRun& run, const InputFile& file);
// Notes every file `scanner` opened: call it after a hop has loaded, before
// the next hop reads.
void note_inputs(ToolRun& run, const Scanner& scanner);

// The end of every tool: writes the manifest when --manifest was given (a
// failure to write it is an error: exit status 2), prints the diagnostics'
// summaries, and returns exit_status(run, answered).
int finish_run(ToolRun& run, bool answered);

// Ends the process with `status` (finish_run's), its output flushed, without
// freeing what it holds: a batch's stores, sets and rows take a tenth of a
// second to free, for nothing at exit. Sanitizer builds exit normally (their
// leak check runs then).
[[noreturn]] inline void exit_now(int status) {
#if defined(__SANITIZE_ADDRESS__)
  std::exit(status);
#else
  std::fflush(nullptr);
  std::_Exit(status);
#endif
}

// Checks the shared options and gathers the sources: --log arguments when
// given, else the sources file. Refuses a --manifest that is one of the
// inputs. Reports problems through run.diag and returns false (exit status 2).
bool setup_run(const CommonOptions& o, ToolRun& run);

// Reads query records from stdin: TSV or CSV with a header, JSON Lines or
// JSON documents, Shadowserver CSV reports and X-ARF reports (see RowReader).
// A record that cannot be read is reported with its line and left out.
struct QueryRow {
  uint64_t line;  // line of stdin the record starts on
  Row row;
};
std::vector<QueryRow> read_query_rows(ToolRun& run);

// --from/--to style options: each non-empty text read as a query time (in
// run.zone when it has none). A bad one is a usage error (false).
struct TimeOption {
  const std::string* text;
  Instant* out;
  const char* name;
};
bool parse_time_options(ToolRun& run, std::initializer_list<TimeOption> options);

// --around, --from and --to of the listing tools (trace-url, trace-mail),
// read in run.zone: a time or a window, not both, --to after --from. False
// after a usage error.
bool parse_window_options(ToolRun& run, const std::string& around, const std::string& from,
                          const std::string& to, QueryWindow& out);

// The time of a positional query: the arguments from `first` on, joined by
// spaces ('2026-04-23 16:19:00 +01:00' may come as three).
std::string join_time_args(const std::vector<std::string>& args, size_t first);

// The time of a positional query KEY TIME: the arguments after the key,
// joined, read in run.zone (`text`, when given, gets them as joined). A usage
// error (false) when there are fewer than two arguments (`usage` says what a
// query is) or the time cannot be read.
bool positional_query_time(ToolRun& run, const std::vector<std::string>& args,
                           std::string_view usage, Instant& when, std::string* text = nullptr);

// grep's convention: 2 after an error, else 0 when something was answered, 1
// when nothing was.
int exit_status(const ToolRun& run, bool answered);

// Parses argv with CLI11 and turns its errors into exit status 2 (help: 0).
// Returns -1 to go on.
inline int parse_args(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  return -1;
}

}  // namespace tracekit

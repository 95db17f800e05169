// trace-cat: what tracekit makes of a log. Every record as a normalised row
// (tsv, jsonl or table); --detect says which format each file was read as and
// why; --formats lists the formats; --stats counts what each line was.
#include <fmt/format.h>

#include <optional>

#include "tracekit/cli.h"
#include "tracekit/event_writer.h"
#include "tracekit/format.h"
#include "tracekit/scan.h"

using namespace tracekit;

int main(int argc, char** argv) {
  CLI::App app{
      "trace-cat: show what tracekit makes of a log, one normalised record per row.\n\n"
      "  trace-cat --log dhcpd.log.2.gz -o jsonl\n  trace-cat --detect --log 'dhcpd.log*'\n",
      "trace-cat"};
  CommonOptions o;
  add_common_options(app, o);
  bool detect = false, list_formats = false, stats = false;
  std::vector<std::string> paths;
  std::string family_opt;
  app.add_option("path", paths, "logs to read (the same as --log)");
  app.add_flag("--detect", detect, "print each file's format and why, read nothing else");
  app.add_flag("--formats", list_formats, "list the formats tracekit reads");
  app.add_option("--family", family_opt,
                 "read only the logs of this family (dhcp, nat, login, owner, proxy, smtp): for a "
                 "sources file "
                 "that names several");
  app.add_flag("--stats", stats, "per file: lines, records, skipped, foreign and malformed lines");
  if (int rc = parse_args(app, argc, argv); rc >= 0) return rc;
  if (o.version) {
    fmt::print("trace-cat (tracekit) {}\n", tracekit_version());
    return 0;
  }
  if (list_formats) {
    for (const auto& f : format_table())
      fmt::print("{}\t{}\t{}\n", f.name, family_name(f.family), f.summary);
    return 0;
  }
  for (auto& p : paths) o.logs.push_back(p);
  ToolRun run("trace-cat", argc, argv);
  if (!setup_run(o, run)) return 2;

  if (detect) {
    for (const auto& src : run.sources) {
      std::vector<std::string> files;
      std::string error;
      if (!expand_log_paths(src.patterns, files, error)) {
        run.diag.error(error);
        continue;
      }
      for (const auto& path : files) {
        auto bytes = open_input(path, error);
        if (!bytes) {
          run.diag.error(error);
          continue;
        }
        note_input(run, bytes->file());
        LineReader reader(*bytes);
        std::string_view head = reader.head();
        std::string_view comp = compression_name(bytes->file().compression);
        if (src.format != "auto") {
          fmt::print("{}\t{}\tforced ({})\t{}\n", path, src.format, src.origin, comp);
          continue;
        }
        SniffResult r = sniff_format(head, nullptr);
        if (!r.format) {
          fmt::print("{}\t-\tno format recognised\t{}\n", path, comp);
          continue;
        }
        std::string runner =
            r.runner_up ? fmt::format("; next: {} ({})", r.runner_up->name, r.runner_up_score) : "";
        fmt::print("{}\t{}\t{} (score {}{})\t{}\n", path, r.format->name, r.why, r.score, runner,
                   comp);
      }
    }
    return finish_run(run, true);
  }

  // One family per run: its columns make the rows. A forced format names it;
  // otherwise the first readable file of each source is sniffed.
  std::optional<Family> family;
  if (!family_opt.empty()) {
    for (Family f :
         {Family::dhcp, Family::nat, Family::login, Family::owner, Family::proxy, Family::smtp})
      if (family_name(f) == family_opt) family = f;
    if (!family) {
      run.diag.usage_error(fmt::format(
          "--family: '{}' is not one of dhcp, nat, login, owner, proxy, smtp", family_opt));
      return 2;
    }
  }
  for (const auto& src : run.sources) {
    if (!family_opt.empty()) break;
    std::optional<Family> f;
    if (src.format != "auto") {
      if (const FormatInfo* fi = find_format(src.format)) f = fi->family;
    } else {
      std::vector<std::string> files;
      std::string error;
      if (!expand_log_paths(src.patterns, files, error)) continue;
      for (const auto& path : files) {
        auto bytes = open_input(path, error);
        if (!bytes) continue;
        LineReader reader(*bytes);
        SniffResult r = sniff_format(reader.head(), nullptr);
        if (r.format) {
          f = r.format->family;
          break;
        }
      }
    }
    if (!f) continue;
    if (family && *family != *f) {
      run.diag.usage_error(fmt::format(
          "the logs are of two families ({} and {}): trace-cat reads one family per run (name "
          "it with --family)",
          family_name(*family), family_name(*f)));
      return 2;
    }
    family = f;
  }
  EventWriter writer(family.value_or(Family::dhcp), run.output, stdout);
  ScanSettings settings{run.zone, run.max_silence, {}};
  settings.any_family = !family.has_value();
  Scanner scanner(run.diag, settings);
  auto scan_all = [&]<class Event>(Event*) {
    EventSink<Event> sink = [&](const Event& ev, const ScanFile& f, uint32_t, const Line&) {
      writer.write(ev, f);
    };
    for (uint32_t s = 0; s < run.sources.size(); ++s)
      if (!scanner.scan<Event>(run.sources[s], s, sink)) break;
  };
  switch (family.value_or(Family::dhcp)) {
    case Family::nat:
      scan_all(static_cast<NatEvent*>(nullptr));
      break;
    case Family::login:
      scan_all(static_cast<LoginEvent*>(nullptr));
      break;
    case Family::owner:
      scan_all(static_cast<OwnerEvent*>(nullptr));
      break;
    case Family::proxy:
      scan_all(static_cast<ProxyEvent*>(nullptr));
      break;
    case Family::smtp:
      scan_all(static_cast<MailEvent*>(nullptr));
      break;
    default:
      scan_all(static_cast<DhcpEvent*>(nullptr));
  }
  writer.finish();
  note_inputs(run, scanner);
  if (stats) {
    for (const auto& f : scanner.files())
      fmt::print(stderr,
                 "trace-cat: {}: {} ({}): {} lines, {} records, {} skipped, {} foreign, {} "
                 "malformed{}\n",
                 f.info.path, f.format ? f.format->name : "-", compression_name(f.info.compression),
                 f.lines, f.records, f.skipped, f.foreign, f.malformed,
                 f.complete ? "" : " (not read to the end)");
  }
  return finish_run(run, writer.rows() > 0);
}

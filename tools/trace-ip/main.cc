// trace-ip: the whole chain from one site's sources file. An address (public,
// with a port, or inside) and a time -> NAT -> DHCP lease -> login session ->
// owner, one row per candidate chain, with the chain's verdict and the hop
// that limited it; --report writes the answer for a CSIRT or the police.
#include <unistd.h>

#include <fmt/format.h>

#include "tracekit/chain.h"
#include "tracekit/cli.h"
#include "tracekit/report.h"

using namespace tracekit;

int main(int argc, char** argv) {
  CLI::App app{
      "trace-ip: who was behind an address (and port) at a time, through the site's NAT, DHCP, "
      "login and directory logs.\n\n"
      "  trace-ip --config sources.toml 192.0.2.7:40123 '2026-04-23 16:19:00 +01:00'\n"
      "  trace-ip --config sources.toml --report 192.0.2.7:40123 2026-04-23T15:19:00Z\n"
      "  trace-ip --config sources.toml < shadowserver.csv\n",
      "trace-ip"};
  CommonOptions o;
  add_common_options(app, o);
  std::vector<std::string> args, directories;
  std::string proto, dst, report;
  app.add_option("query", args,
                 "ADDRESS[:PORT] TIME: the address (public or inside, and the port), and a time");
  app.add_option("--proto", proto, "only NAT translations of this protocol (tcp, udp, icmp)");
  app.add_option("--dst", dst, "only NAT translations to this destination ADDRESS[:PORT]");
  app.add_option("--directory", directories,
                 "a directory or register to read instead of the sources file's [directory] "
                 "(repeatable; FORMAT:PATH forces the format)")
      ->allow_extra_args(false);
  app.add_option("--report", report,
                 "write the evidence report instead of rows: text (the default) or md")
      ->expected(0, 1)
      ->default_str("text");
  if (int rc = parse_args(app, argc, argv); rc >= 0) return rc;
  if (o.version) {
    fmt::print("trace-ip (tracekit) {}\n", tracekit_version());
    return 0;
  }
  ToolRun run("trace-ip", argc, argv);
  if (!o.logs.empty()) {
    run.diag.usage_error(
        "the whole chain needs the site's sources file (--config FILE), which says what each "
        "log is; "
        "--log is for the single-hop tools (trace-nat, trace-lease, trace-login)");
    return 2;
  }
  if (!setup_run(o, run)) return 2;
  std::vector<SourceSpec> dirs;
  if (!directories.empty()) {
    // setup_owner_run keeps only the directories it is given: the logs stay
    // those of the sources file.
    std::vector<SourceSpec> logs = std::move(run.sources);
    if (!setup_owner_run(o, directories, run, dirs)) return 2;
    run.sources = std::move(logs);
  } else {
    dirs = run.directories;
    if (dirs.empty())
      run.diag.warning(fmt::format(
          "{}: names no [directory]: the chain stops at the login (give --directory PATH)",
          run.config_path));
  }
  bool want_report = app.count("--report") > 0;
  // --report takes its style only as --report=md: a word after a bare
  // --report is the query.
  if (want_report) {
    bool attached = false;
    for (int i = 1; i < argc; ++i)
      if (std::string_view(argv[i]).substr(0, 9) == "--report=") attached = true;
    if (!attached && !report.empty() && report != "text") {
      args.insert(args.begin(), report);
      report = "text";
    }
  }
  ReportStyle style = ReportStyle::text;
  if (want_report && !parse_report_style(report, style)) {
    run.diag.usage_error(fmt::format("--report: '{}' is not a report style (text or md)", report));
    return 2;
  }

  std::vector<ChainQuery> queries;
  if (!args.empty()) {
    Instant when;
    std::string time_text;
    if (!positional_query_time(run, args, "a query is ADDRESS[:PORT] TIME (an address, and a time)",
                               when, &time_text))
      return 2;
    NatQuery q;
    std::string error;
    if (!nat_query_from_args(args[0], when, proto, dst, q, error)) {
      run.diag.usage_error(error);
      return 2;
    }
    queries.push_back({"query", std::move(q.row), args[0] + " " + time_text});
  } else {
    if (!proto.empty() || !dst.empty()) {
      run.diag.usage_error("--proto and --dst go with a query on the command line");
      return 2;
    }
    if (::isatty(0)) {
      run.diag.usage_error("no query: give ADDRESS[:PORT] TIME, or query records on stdin");
      return 2;
    }
    for (auto& [line, row] : read_query_rows(run)) {
      std::string asked = want_report ? row.dump() : std::string();  // (the report's alone)
      queries.push_back({fmt::format("stdin:{}", line), std::move(row), std::move(asked)});
    }
  }

  ReportRun how;
  how.site_zone = report_zone(run, dirs);

  ChainSettings settings;
  if (want_report) settings.owner.fields = {"raw"};
  Chain chain(run, std::move(dirs), settings);
  std::vector<Row> rows;
  std::vector<size_t> query_of;
  bool ok = chain.answer(queries, rows, &query_of);
  std::vector<const Scanner*> read;
  if (chain.nat()) read.push_back(&chain.nat()->scanner());
  if (chain.lease()) read.push_back(&chain.lease()->scanner());
  if (chain.login()) read.push_back(&chain.login()->scanner());
  if (chain.owner()) read.push_back(&chain.owner()->scanner());
  if (chain.login())  // (read for the login hop's checks, after the hops' own files)
    for (const Scanner* checked : chain.login()->claims_scanners()) read.push_back(checked);
  for (const Scanner* hop : read) note_inputs(run, *hop);
  if (!ok) return finish_run(run, false);

  bool answered = false;
  for (const auto& r : rows) answered |= chain_answered(r);
  if (want_report) {
    write_report(stdout, style, run, how, chain, queries, rows, query_of);
    exit_now(finish_run(run, answered));
  }
  // (In this scope, not a block's: exit_now ends the run with the rows the
  // writer holds not freed, as the chain's stores are not.)
  RowWriter out(run.output, stdout);
  for (auto& r : rows) out.write(std::move(r));
  out.finish();
  exit_now(finish_run(run, answered));
}

// trace-lease: IP + time -> the DHCP lease that held it (MAC, host, start, end,
// server, evidence); MAC or host + time -> IP; --history and --last.
#include <unistd.h>

#include <fmt/format.h>

#include "tracekit/cli.h"
#include "tracekit/hop.h"
#include "tracekit/lease_hop.h"

using namespace tracekit;

int main(int argc, char** argv) {
  CLI::App app{
      "trace-lease: which DHCP lease held an address (or which address a MAC or host held) at "
      "a time.\n\n  trace-lease --log dhcpd.log 10.20.3.44 2026-04-23T15:19:00Z\n  trace-nat ... "
      "| trace-lease --log 'dhcpd.log*'\n",
      "trace-lease"};
  CommonOptions o;
  add_common_options(app, o);
  std::vector<std::string> args;
  std::string history, last, from, to, key, lease_time;
  app.add_option("query", args, "KEY TIME: an IP, MAC or host name, and a time");
  app.add_option("--history", history, "list every lease of this IP, MAC or host");
  app.add_option("--last", last, "the most recent lease of this MAC or host (or IP)");
  app.add_option("--from", from, "with --history: leases ending after this time");
  app.add_option("--to", to, "with --history: leases starting before this time");
  app.add_option("--key", key,
                 "field of stdin records to look up (default: nat.ip, ip, mac, host)");
  app.add_option("--lease-time", lease_time,
                 "lease length when the log states none (default: the source's lease_time, else "
                 "12h)");
  if (int rc = parse_args(app, argc, argv); rc >= 0) return rc;
  if (o.version) {
    fmt::print("trace-lease (tracekit) {}\n", tracekit_version());
    return 0;
  }
  ToolRun run("trace-lease", argc, argv);
  if (!setup_run(o, run)) return 2;

  LeaseHopSettings settings;
  if (!lease_time.empty()) {
    Micros d;
    if (!parse_duration(lease_time, d)) {
      run.diag.usage_error(
          fmt::format("--lease-time: '{}' is not a duration (e.g. 12h)", lease_time));
      return 2;
    }
    settings.lease_time = d;
  }
  Instant from_t = kNoTime, to_t = kNoTime;
  if (!parse_time_options(run, {{&from, &from_t, "--from"}, {&to, &to_t, "--to"}})) return 2;

  if ((!from.empty() || !to.empty()) && history.empty()) {
    run.diag.usage_error("--from and --to go with --history");
    return 2;
  }
  enum class Mode { at, history, last } mode = Mode::at;
  std::vector<LeaseQuery> queries;
  if (!history.empty() || !last.empty()) {
    if (!history.empty() && !last.empty()) {
      run.diag.usage_error("--history and --last go one at a time");
      return 2;
    }
    mode = history.empty() ? Mode::last : Mode::history;
    if (!args.empty()) {
      run.diag.usage_error("--history and --last take no positional query");
      return 2;
    }
    LeaseQuery q;
    std::string error;
    if (!lease_query_from_args(history.empty() ? last : history, kNoTime, q, error)) {
      run.diag.usage_error(error);
      return 2;
    }
    queries.push_back(std::move(q));
  } else if (!args.empty()) {
    Instant when;
    if (!positional_query_time(run, args,
                               "a query is KEY TIME (an IP, MAC or host name, and a time)", when))
      return 2;
    LeaseQuery q;
    std::string error;
    if (!lease_query_from_args(args[0], when, q, error)) {
      run.diag.usage_error(error);
      return 2;
    }
    queries.push_back(std::move(q));
  } else {
    if (::isatty(0)) {
      run.diag.usage_error("no query: give KEY TIME, --history, --last, or records on stdin");
      return 2;
    }
    for (auto& [line, row] : read_query_rows(run)) {
      LeaseQuery q;
      std::string error;
      if (!lease_query_from_row(std::move(row), key, run.zone, true, q, error)) {
        run.diag.error(fmt::format("stdin:{}: {}", line, error));
        continue;
      }
      queries.push_back(std::move(q));
    }
  }

  std::vector<LeaseKey> keys;
  for (const auto& q : queries)
    if (!q.skipped) keys.push_back(q.key);
  LeaseHop hop(run, settings);
  bool loaded = hop.load(keys);
  note_inputs(run, hop.scanner());
  if (!loaded) return finish_run(run, false);

  RowWriter out(run.output, stdout);
  bool answered = false;
  for (auto& q : queries) {
    q.fields_only = true;  // (the answers take the query's row, not a copy)
    std::vector<Row> rows =
        put_after(std::move(q.row), mode == Mode::at        ? hop.answer(q)
                                    : mode == Mode::history ? hop.history(q, from_t, to_t)
                                                            : hop.last(q));
    for (auto& r : rows) {
      std::string m = get_text(r, "lease.match");
      if (m == "exact" || m == "ambiguous") answered = true;
      out.write(std::move(r));
    }
  }
  out.finish();
  exit_now(finish_run(run, answered));
}

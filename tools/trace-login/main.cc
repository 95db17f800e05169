// trace-login: host, IP or MAC + time -> who was logged in (user, from where,
// local or remote, the session's start and end, evidence); --user lists an
// account's sessions; --failed lists failed attempts.
#include <unistd.h>

#include <fmt/format.h>

#include "tracekit/cli.h"
#include "tracekit/hop.h"
#include "tracekit/login_hop.h"

using namespace tracekit;

int main(int argc, char** argv) {
  CLI::App app{
      "trace-login: who was logged in on a host (or at an address, or with a MAC) at a time.\n\n"
      "  trace-login --log ws-lab1-07/wtmp --host ws-lab1-07 ws-lab1-07 2026-04-23T15:19:00Z\n"
      "  trace-lease ... | trace-login --config sources.toml\n",
      "trace-login"};
  CommonOptions o;
  add_common_options(app, o);
  std::vector<std::string> args;
  std::string user, from, to, key, host;
  bool failed = false;
  app.add_option("query", args, "KEY TIME: a host name, IP or MAC address, and a time");
  app.add_option("--user", user, "list every session of this login (with --from/--to)");
  app.add_flag("--failed", failed,
               "list failed login attempts of the key or --user (with --from/--to)");
  app.add_option("--from", from, "with --user or --failed: from this time");
  app.add_option("--to", to, "with --user or --failed: up to this time");
  app.add_option("--host", host,
                 "the host the --log files belong to (wtmp names none; default: the source's "
                 "host)");
  app.add_option("--key", key,
                 "field of stdin records to look up (default: lease.host, lease.mac, lease.ip, "
                 "else host, mac, ip)");
  if (int rc = parse_args(app, argc, argv); rc >= 0) return rc;
  if (o.version) {
    fmt::print("trace-login (tracekit) {}\n", tracekit_version());
    return 0;
  }
  ToolRun run("trace-login", argc, argv);
  if (!setup_run(o, run)) return 2;

  Instant from_t = kNoTime, to_t = kNoTime;
  if (!parse_time_options(run, {{&from, &from_t, "--from"}, {&to, &to_t, "--to"}})) return 2;
  bool listing = !user.empty() || failed;
  if ((!from.empty() || !to.empty()) && !listing) {
    run.diag.usage_error("--from and --to go with --user or --failed");
    return 2;
  }
  std::vector<LoginQuery> queries;
  std::string error;
  if (!user.empty()) {
    if (!args.empty()) {
      run.diag.usage_error("--user takes no positional query");
      return 2;
    }
    LoginQuery q;
    if (!login_query_from_args(user, true, kNoTime, q, error)) {
      run.diag.usage_error(error);
      return 2;
    }
    queries.push_back(std::move(q));
  } else if (failed) {
    if (args.size() != 1) {
      run.diag.usage_error("--failed takes one KEY (a host, IP or MAC), or --user");
      return 2;
    }
    LoginQuery q;
    if (!login_query_from_args(args[0], false, kNoTime, q, error)) {
      run.diag.usage_error(error);
      return 2;
    }
    queries.push_back(std::move(q));
  } else if (!args.empty()) {
    Instant when;
    if (!positional_query_time(
            run, args, "a query is KEY TIME (a host name, IP or MAC address, and a time)", when))
      return 2;
    LoginQuery q;
    if (!login_query_from_args(args[0], false, when, q, error)) {
      run.diag.usage_error(error);
      return 2;
    }
    queries.push_back(std::move(q));
  } else {
    if (::isatty(0)) {
      run.diag.usage_error("no query: give KEY TIME, --user, --failed, or records on stdin");
      return 2;
    }
    for (auto& [line, row] : read_query_rows(run)) {
      LoginQuery q;
      if (!login_query_from_row(std::move(row), key, run.zone, q, error)) {
        run.diag.error(fmt::format("stdin:{}: {}", line, error));
        continue;
      }
      queries.push_back(std::move(q));
    }
  }

  std::vector<LoginKey> keys;
  for (const auto& q : queries)
    if (!q.skipped) keys.insert(keys.end(), q.keys.begin(), q.keys.end());
  // The times asked: sessions far from all of them need not be kept.
  std::vector<Span> windows;
  if (listing) {
    if (from_t != kNoTime || to_t != kNoTime)
      windows.push_back({from_t, to_t == kNoTime ? kForever : to_t});
  } else {
    for (const auto& q : queries)
      if (!q.skipped) windows.push_back({q.time, q.time});
  }
  LoginHopSettings settings;
  settings.host = host;
  LoginHop hop(run, settings);
  bool loaded = hop.load(keys, windows);
  note_inputs(run, hop.scanner());
  for (const Scanner* checked : hop.claims_scanners()) note_inputs(run, *checked);
  if (!loaded) return finish_run(run, false);

  RowWriter out(run.output, stdout);
  bool answered = false;
  for (auto& q : queries) {
    q.fields_only = true;  // (the answers take the query's row, not a copy)
    std::vector<Row> rows =
        put_after(std::move(q.row), failed          ? hop.failures(q, from_t, to_t)
                                    : !user.empty() ? hop.sessions(q, from_t, to_t)
                                                    : hop.answer(q));
    for (auto& r : rows) {
      std::string m = get_text(r, "login.match");
      if (m == "exact" || m == "ambiguous" || m == "failed") answered = true;
      out.write(std::move(r));
    }
  }
  out.finish();
  exit_now(finish_run(run, answered));
}

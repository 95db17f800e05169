// trace-nat: public IP [+ port] + time -> the inside host behind the NAT (its
// address and port, the translation's start and end, the device, evidence);
// --inside: an inside host + time -> the public addresses and ports it used.
#include <unistd.h>

#include <fmt/format.h>

#include "tracekit/cli.h"
#include "tracekit/hop.h"
#include "tracekit/nat_hop.h"
#include "tracekit/parallel.h"

using namespace tracekit;

int main(int argc, char** argv) {
  CLI::App app{
      "trace-nat: which inside host was behind a public address (and port) at a time.\n\n"
      "  trace-nat --log asa.log 192.0.2.7:40123 '2026-04-23 16:19:00 +01:00'\n"
      "  trace-nat --log asa.log 192.0.2.7:40123 2026-04-23T15:19:00Z | trace-lease --log "
      "dhcpd.log\n",
      "trace-nat"};
  CommonOptions o;
  add_common_options(app, o);
  std::vector<std::string> args;
  std::string proto, dst, key, history, from, to;
  bool inside = false;
  app.add_option("query", args, "ADDRESS[:PORT] TIME: the public address (and port), and a time");
  app.add_option("--proto", proto, "only translations of this protocol (tcp, udp, icmp, number)");
  app.add_option("--dst", dst, "only connections to this destination ADDRESS[:PORT]");
  app.add_flag("--inside", inside,
               "the address is an inside host's: answer with the public addresses and ports it "
               "used");
  app.add_option("--history", history, "list every translation of this address[:port]");
  app.add_option("--from", from, "with --history: translations ending after this time");
  app.add_option("--to", to, "with --history: translations starting before this time");
  app.add_option("--key", key, "field of stdin records holding the address (default: ip)");
  if (int rc = parse_args(app, argc, argv); rc >= 0) return rc;
  if (o.version) {
    fmt::print("trace-nat (tracekit) {}\n", tracekit_version());
    return 0;
  }
  ToolRun run("trace-nat", argc, argv);
  if (!setup_run(o, run)) return 2;

  Instant from_t = kNoTime, to_t = kNoTime;
  if (!parse_time_options(run, {{&from, &from_t, "--from"}, {&to, &to_t, "--to"}})) return 2;
  if ((!from.empty() || !to.empty()) && history.empty()) {
    run.diag.usage_error("--from and --to go with --history");
    return 2;
  }
  std::vector<NatQuery> queries;
  if (!history.empty()) {
    if (!args.empty()) {
      run.diag.usage_error("--history takes no positional query");
      return 2;
    }
    NatQuery q;
    std::string error;
    if (!nat_query_from_args(history, kNoTime, proto, dst, q, error)) {
      run.diag.usage_error(error);
      return 2;
    }
    queries.push_back(std::move(q));
  } else if (!args.empty()) {
    Instant when;
    if (!positional_query_time(
            run, args, "a query is ADDRESS[:PORT] TIME (a public address, and a time)", when))
      return 2;
    NatQuery q;
    std::string error;
    if (!nat_query_from_args(args[0], when, proto, dst, q, error)) {
      run.diag.usage_error(error);
      return 2;
    }
    queries.push_back(std::move(q));
  } else {
    if (::isatty(0)) {
      run.diag.usage_error("no query: give ADDRESS[:PORT] TIME, --history, or records on stdin");
      return 2;
    }
    for (auto& [line, row] : read_query_rows(run)) {
      NatQuery q;
      std::string error;
      if (!nat_query_from_row(std::move(row), key, run.zone, q, error)) {
        run.diag.error(fmt::format("stdin:{}: {}", line, error));
        continue;
      }
      queries.push_back(std::move(q));
    }
  }

  std::vector<NatQueryKey> keys;
  // The times asked bound what is kept, unless a listing wants it all.
  std::vector<Instant> times;
  bool windowed = history.empty();
  for (const auto& q : queries) {
    if (q.skipped) continue;
    keys.push_back(q.key);
    if (q.time == kNoTime) windowed = false;
    times.push_back(q.time);
  }
  if (!windowed) times.clear();
  NatHop hop(run, inside);
  bool loaded = hop.load(keys, times);
  note_inputs(run, hop.scanner());
  if (!loaded) return finish_run(run, false);

  // A batch's answers on two threads (the hop is read-only now), written in
  // the order asked.
  std::vector<std::vector<Row>> answers(queries.size());
  split_in_two(queries.size(), kSplitAnswers, [&](size_t from, size_t to) {
    for (size_t k = from; k < to; ++k) {
      NatQuery& q = queries[k];
      q.fields_only = true;  // (the answers take the query's row, not a copy)
      answers[k] = put_after(std::move(q.row),
                             history.empty() ? hop.answer(q) : hop.history(q, from_t, to_t));
    }
  });
  RowWriter out(run.output, stdout);
  bool answered = false;
  for (auto& rows : answers) {
    for (auto& r : rows) {
      std::string m = get_text(r, "nat.match");
      if (m == "exact" || m == "ambiguous") answered = true;
      out.write(std::move(r));
    }
  }
  out.finish();
  exit_now(finish_run(run, answered));
}

// trace-owner: login name (or fixed IP, or registered MAC) [+ time] -> the
// person responsible, from the site's directories and registers.
#include <unistd.h>

#include <fmt/format.h>

#include "tracekit/cli.h"
#include "tracekit/hop.h"
#include "tracekit/owner_hop.h"

using namespace tracekit;

int main(int argc, char** argv) {
  CLI::App app{
      "trace-owner: who is responsible for a login name, a fixed address or a registered "
      "device.\n\n  trace-owner --directory people.csv jdoe\n  trace-owner --directory "
      "people.csv jdoe 2026-04-23T15:19:00Z\n  trace-login ... | trace-owner\n",
      "trace-owner"};
  CommonOptions o;
  add_common_options(app, o);
  std::vector<std::string> args, directories;
  std::string key, fields;
  app.add_option("query", args, "KEY [TIME]: a login name, IP or MAC, and optionally a time");
  app.add_option("--directory", directories,
                 "a directory or register to read (repeatable; globs; FORMAT:PATH forces the "
                 "format)")
      ->allow_extra_args(false);
  app.add_option("--key", key,
                 "field of stdin records to look up (default: login.user, user, lease.mac, "
                 "lease.ip, mac, ip)");
  app.add_option("--fields", fields,
                 "more owner fields to output: a comma list (email, host, valid_from, valid_to, "
                 "source, a column's name, raw: the entry's text in JSON evidence) or all "
                 "(default: only name, id and unit)");
  if (int rc = parse_args(app, argc, argv); rc >= 0) return rc;
  if (o.version) {
    fmt::print("trace-owner (tracekit) {}\n", tracekit_version());
    return 0;
  }
  ToolRun run("trace-owner", argc, argv);
  std::vector<SourceSpec> dirs;
  if (!setup_owner_run(o, directories, run, dirs)) return 2;

  OwnerHopSettings settings;
  for (std::string_view rest = fields; !rest.empty();) {
    size_t comma = rest.find(',');
    std::string_view f = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!f.empty() && f.front() == ' ') f.remove_prefix(1);
    while (!f.empty() && f.back() == ' ') f.remove_suffix(1);
    if (f.empty()) {
      run.diag.usage_error(fmt::format("--fields: '{}' has an empty field name", fields));
      return 2;
    }
    for (std::string_view fixed : {"match", "user", "name", "id", "unit", "evidence", "note"})
      if (f == fixed) {
        run.diag.usage_error(
            fmt::format("--fields: {} is always output (add email, host, valid_from, valid_to, "
                        "source, a column's name, or all)",
                        f));
        return 2;
      }
    settings.fields.emplace_back(f);
  }

  std::vector<OwnerQuery> queries;
  if (!args.empty()) {
    Instant when = kNoTime;
    std::string error;
    if (args.size() > 1) {
      std::string time_text = args[1];
      for (size_t k = 2; k < args.size(); ++k) time_text += " " + args[k];
      if (!parse_query_time(time_text, run.zone, when, error)) {
        run.diag.usage_error(error);
        return 2;
      }
    }
    OwnerQuery q;
    if (!owner_query_from_args(args[0], when, q, error)) {
      run.diag.usage_error(error);
      return 2;
    }
    queries.push_back(std::move(q));
  } else {
    if (::isatty(0)) {
      run.diag.usage_error("no query: give a login name, IP or MAC [TIME], or records on stdin");
      return 2;
    }
    for (auto& [line, row] : read_query_rows(run)) {
      OwnerQuery q;
      std::string error;
      if (!owner_query_from_row(std::move(row), key, run.zone, q, error)) {
        run.diag.error(fmt::format("stdin:{}: {}", line, error));
        continue;
      }
      queries.push_back(std::move(q));
    }
  }

  OwnerHop hop(run, std::move(dirs), settings);
  bool loaded = hop.load(queries);
  note_inputs(run, hop.scanner());
  if (!loaded) return finish_run(run, false);

  RowWriter out(run.output, stdout);
  bool answered = false;
  for (auto& q : queries) {
    q.fields_only = true;  // (the answers take the query's row, not a copy)
    for (auto& r : put_after(std::move(q.row), hop.answer(q))) {
      std::string m = get_text(r, "owner.match");
      if (m == "exact" || m == "ambiguous") answered = true;
      out.write(std::move(r));
    }
  }
  out.finish();
  exit_now(finish_run(run, answered));
}

// trace-url: a URL, host or server + time -> the requests and their clients
// in proxy and web server access logs; a client + time -> what it fetched.
#include <unistd.h>

#include <fmt/format.h>

#include "tracekit/cli.h"
#include "tracekit/url_hop.h"

using namespace tracekit;

int main(int argc, char** argv) {
  CLI::App app{
      "trace-url: who fetched a URL (or from a host or server) at a time, from proxy and web "
      "server logs; or what a client fetched.\n\n"
      "  trace-url --log access.log --url 'http://example.com/x' --around "
      "2026-04-23T15:19:00Z --skew 30s\n"
      "  trace-url --log access.log --client 10.1.2.3 --from 2026-04-23T15:00:00Z --to "
      "2026-04-23T16:00:00Z\n",
      "trace-url"};
  CommonOptions o;
  add_common_options(app, o);
  std::string url, prefix, host, server, client, around, from, to;
  bool show_content = false;
  app.add_option("--url", url, "requests of this URL (exact; https:// also finds CONNECTs)");
  app.add_option("--url-prefix", prefix, "requests of URLs starting with this one");
  app.add_option("--host", host,
                 "requests to this host (a leading dot: the host and its subdomains)");
  app.add_option("--server", server, "requests to this server address");
  app.add_option("--client", client, "requests of this client address (what it fetched)");
  app.add_option("--around", around, "the time of interest (matched within --skew)");
  app.add_option("--from", from, "from this time (with --to: a window)");
  app.add_option("--to", to, "up to this time");
  app.add_flag("--show-content", show_content,
               "show paths and query strings (default: scheme://host/ only, and redacted in "
               "evidence)");
  if (int rc = parse_args(app, argc, argv); rc >= 0) return rc;
  if (o.version) {
    fmt::print("trace-url (tracekit) {}\n", tracekit_version());
    return 0;
  }
  ToolRun run("trace-url", argc, argv);
  if (!setup_run(o, run)) return 2;

  QueryWindow window;
  if (!parse_window_options(run, around, from, to, window)) return 2;
  std::vector<std::pair<UrlTarget::Kind, const std::string*>> given;
  for (auto [k, s] :
       {std::pair{UrlTarget::Kind::url, &url}, std::pair{UrlTarget::Kind::prefix, &prefix},
        std::pair{UrlTarget::Kind::host, &host}, std::pair{UrlTarget::Kind::server, &server},
        std::pair{UrlTarget::Kind::client, &client}})
    if (!s->empty()) given.emplace_back(k, s);
  if (given.size() > 1) {
    run.diag.usage_error("one of --url, --url-prefix, --host, --server, --client");
    return 2;
  }

  std::vector<UrlQuery> queries;
  std::string error;
  if (!given.empty()) {
    UrlTarget t;
    if (!parse_url_target(given[0].first, *given[0].second, t, error)) {
      run.diag.usage_error(error);
      return 2;
    }
    queries.push_back(url_query_from_args(std::move(t), window));
  } else {
    if (::isatty(0)) {
      run.diag.usage_error(
          "no query: give --url, --url-prefix, --host, --server or --client (with --around or "
          "--from/--to), or records on stdin");
      return 2;
    }
    for (auto& [line, row] : read_query_rows(run)) {
      UrlQuery q;
      if (!url_query_from_row(row, run.zone, q, error)) {
        run.diag.error(fmt::format("stdin:{}: {}", line, error));
        continue;
      }
      // Times given on the command line apply to rows that have none.
      if (q.window.none()) q.window = window;
      queries.push_back(std::move(q));
    }
  }

  UrlHop hop(run, UrlHopSettings{show_content});
  bool loaded = hop.load(queries);
  note_inputs(run, hop.scanner());
  if (!loaded) return finish_run(run, false);

  RowWriter out(run.output, stdout);
  bool answered = false;
  for (size_t i = 0; i < queries.size(); ++i) {
    for (const auto& r : hop.answer(i)) {
      std::string m = get_text(r, "url.match");
      if (m == "exact" || m == "ambiguous") answered = true;
      out.write(r);
    }
  }
  out.finish();
  return finish_run(run, answered);
}

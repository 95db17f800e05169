// trace-mail: a Message-ID, queue ID, sender, recipient, client or user (+
// time) -> the message's path on our mail servers: how it arrived (client,
// authenticated user), each delivery and its status, with the evidence.
#include <unistd.h>

#include <fmt/format.h>

#include "tracekit/cli.h"
#include "tracekit/mail_headers.h"
#include "tracekit/mail_hop.h"

using namespace tracekit;

int main(int argc, char** argv) {
  CLI::App app{
      "trace-mail: who handed a message to our mail servers (client, authenticated user), and "
      "where it went.\n\n"
      "  trace-mail --log maillog --message-id '<abc@example.org>'\n"
      "  trace-mail --config sources.toml --sender alice@example.org --from 2026-04-23T00:00:00Z\n",
      "trace-mail"};
  CommonOptions o;
  add_common_options(app, o);
  std::string message_id, queue_id, sender, recipient, client, user, around, from, to;
  bool show_content = false;
  std::string headers;
  std::vector<std::string> our_hosts;
  app.add_option("--headers", headers,
                 "check a message's header (as pasted, '-' for stdin) against our logs: each "
                 "Received line that claims our servers is confirmed, contradicted, not found "
                 "or not checkable");
  app.add_option("--our-host", our_hosts,
                 "with --headers: a name of our mail servers (repeatable; a short name matches "
                 "its first label, '.example.org' a whole domain); the servers the logs and "
                 "sources name count too")
      ->allow_extra_args(false);
  app.add_option("--message-id", message_id, "the message with this Message-ID (<> optional)");
  app.add_option("--queue-id", queue_id, "the message with this queue ID");
  app.add_option("--sender", sender, "messages from this envelope sender");
  app.add_option("--recipient", recipient, "messages to this recipient");
  app.add_option("--client", client, "messages handed over by this client address");
  app.add_option("--user", user, "messages sent by this authenticated user");
  app.add_option("--around", around, "the time of interest (matched within --skew)");
  app.add_option("--from", from, "from this time (with --to: a window)");
  app.add_option("--to", to, "up to this time");
  app.add_flag("--show-content", show_content, "show subjects (default: redacted)");
  if (int rc = parse_args(app, argc, argv); rc >= 0) return rc;
  if (o.version) {
    fmt::print("trace-mail (tracekit) {}\n", tracekit_version());
    return 0;
  }
  ToolRun run("trace-mail", argc, argv);
  if (!setup_run(o, run)) return 2;

  QueryWindow window;
  if (!parse_window_options(run, around, from, to, window)) return 2;
  std::vector<std::pair<MailTarget::Kind, const std::string*>> given;
  for (auto [k, s] :
       {std::pair{MailTarget::Kind::message_id, &message_id},
        std::pair{MailTarget::Kind::queue_id, &queue_id},
        std::pair{MailTarget::Kind::sender, &sender},
        std::pair{MailTarget::Kind::recipient, &recipient},
        std::pair{MailTarget::Kind::client, &client}, std::pair{MailTarget::Kind::user, &user}})
    if (!s->empty()) given.emplace_back(k, s);
  if (given.size() > 1) {
    run.diag.usage_error(
        "one of --message-id, --queue-id, --sender, --recipient, --client, --user");
    return 2;
  }

  std::vector<MailQuery> queries;
  std::string error;
  MailHeader header;
  HeaderChecks plan;
  std::vector<std::string> ours = our_hosts;
  if (!headers.empty()) {
    if (!given.empty() || !window.none()) {
      run.diag.usage_error("--headers takes no other query and no time: the header gives them");
      return 2;
    }
    std::string text;
    if (!read_header_file(headers, text, error)) {
      run.diag.error(fmt::format("--headers {}: {}", headers, error));
      return finish_run(run, false);
    }
    note_input(run, headers);
    header = parse_mail_header(text);
    if (header.received.empty())
      run.diag.warning(fmt::format("--headers {}: no Received line: nothing to check", headers));
    for (const auto& s : run.sources)
      if (!s.host.empty()) ours.push_back(s.host);
    plan = plan_header_checks(header, run.skew, queries);
  } else if (!given.empty()) {
    MailTarget t;
    if (!parse_mail_target(given[0].first, *given[0].second, t, error)) {
      run.diag.usage_error(error);
      return 2;
    }
    queries.push_back(mail_query_from_args(std::move(t), window));
  } else {
    if (::isatty(0)) {
      run.diag.usage_error(
          "no query: give --message-id, --queue-id, --sender, --recipient, --client or --user, "
          "or records on stdin");
      return 2;
    }
    for (auto& [line, row] : read_query_rows(run)) {
      MailQuery q;
      if (!mail_query_from_row(row, run.zone, q, error)) {
        run.diag.error(fmt::format("stdin:{}: {}", line, error));
        continue;
      }
      if (q.window.none()) q.window = window;
      queries.push_back(std::move(q));
    }
  }

  MailHop hop(run, MailHopSettings{show_content});
  bool loaded = hop.load(queries);
  note_inputs(run, hop.scanner());
  if (!loaded) return finish_run(run, false);

  RowWriter out(run.output, stdout);
  bool answered = false;
  if (!headers.empty()) {
    for (const auto& r : check_header(header, plan, ours, hop)) {
      std::string c = get_text(r, "header.check");
      if (c == "confirmed" || c == "contradicted" || c == "not-found") answered = true;
      out.write(r);
    }
    out.finish();
    return finish_run(run, answered);
  }
  for (size_t i = 0; i < queries.size(); ++i) {
    for (const auto& r : hop.answer(i)) {
      std::string m = get_text(r, "mail.match");
      if (m == "exact" || m == "ambiguous") answered = true;
      out.write(r);
    }
  }
  out.finish();
  return finish_run(run, answered);
}

#include "tracekit/mail_hop.h"

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "parse_harness.h"

using namespace tracekit;

namespace {

// Postfix on mx1: a submission handed through a content filter, and a
// message whose arrival was rotated away.
constexpr std::string_view kMaillog =
    "Apr 23 10:00:00 mx1 postfix/submission/smtpd[10]: AAA111: client=ws1[10.0.0.5]:40000, "
    "sasl_method=PLAIN, sasl_username=alice\n"
    "Apr 23 10:00:00 mx1 postfix/cleanup[11]: AAA111: message-id=<m1@example.org>\n"
    "Apr 23 10:00:00 mx1 postfix/qmgr[12]: AAA111: from=<alice@example.org>, size=100, nrcpt=2 "
    "(queue active)\n"
    "Apr 23 10:00:01 mx1 postfix/smtpd[13]: BBB222: client=localhost[127.0.0.1]\n"
    "Apr 23 10:00:01 mx1 postfix/cleanup[11]: BBB222: message-id=<m1@example.org>\n"
    "Apr 23 10:00:01 mx1 postfix/smtp[14]: AAA111: to=<bob@example.net>, "
    "relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 "
    "Ok: queued as BBB222)\n"
    "Apr 23 10:00:01 mx1 postfix/smtp[14]: AAA111: to=<carol@example.net>, "
    "relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 "
    "Ok: queued as BBB222)\n"
    "Apr 23 10:00:01 mx1 postfix/qmgr[12]: AAA111: removed\n"
    "Apr 23 10:00:02 mx1 postfix/smtp[15]: BBB222: to=<bob@example.net>, "
    "relay=mx.example.net[198.51.100.25]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 "
    "ok)\n"
    "Apr 23 10:00:03 mx1 postfix/smtp[15]: BBB222: to=<carol@example.net>, "
    "relay=mx.example.net[198.51.100.25]:25, delay=2, delays=0/0/0/2, dsn=5.1.1, status=bounced "
    "(550 5.1.1 no such user)\n"
    "Apr 23 10:00:03 mx1 postfix/qmgr[12]: BBB222: removed\n"
    "Apr 23 11:00:00 mx1 postfix/smtp[16]: CCC333: to=<dave@example.net>, "
    "relay=mx.example.net[198.51.100.25]:25, delay=9, delays=0/0/0/9, dsn=2.0.0, status=sent (250 "
    "ok)\n"
    "Apr 23 11:00:00 mx1 postfix/qmgr[12]: CCC333: removed\n"
    "Apr 23 12:00:00 mx1 postfix/smtpd[17]: AAA111: client=other[192.0.2.9]\n"
    "Apr 23 12:00:00 mx1 postfix/cleanup[11]: AAA111: message-id=<m2@example.org>\n"
    "Apr 23 12:00:01 mx1 postfix/qmgr[12]: AAA111: removed\n";

SourceSpec source() {
  SourceSpec s = test::source_file("mail-hop-test", "maillog", "postfix", kMaillog);
  s.name = "mx1";
  s.tz = "UTC";
  s.year = 2026;
  return s;
}

struct Fixture {
  ToolRun run{"trace-mail"};
  std::vector<MailQuery> queries;
  std::unique_ptr<MailHop> hop;
  Fixture() {
    run.diag = Diagnostics("trace-mail", false, nullptr);
    run.sources.push_back(source());
  }
  void ask(MailTarget::Kind kind, std::string_view v) {
    MailTarget t;
    std::string err;
    REQUIRE(parse_mail_target(kind, v, t, err));
    queries.push_back(mail_query_from_args(t, QueryWindow{}));
  }
  std::vector<Row> answer(size_t k = 0) {
    if (!hop) {
      hop = std::make_unique<MailHop>(run, MailHopSettings{});
      REQUIRE(hop->load(queries));
    }
    return hop->answer(k);
  }
};

std::string f(const Row& r, std::string_view name) {
  return get_text(r, name);
}

}  // namespace

TEST_CASE("a message is followed through the content filter, from either ID", "[mail][hop]") {
  Fixture fx;
  fx.ask(MailTarget::Kind::queue_id, "BBB222");  // the second leg: found from its "queued as"
  fx.ask(MailTarget::Kind::message_id, "<m1@example.org>");
  for (size_t k : {0, 1}) {
    auto a = fx.answer(k);
    REQUIRE(a.size() == 1);
    CHECK(f(a[0], "mail.match") == "exact");
    CHECK(f(a[0], "mail.queue_id") == "AAA111");
    CHECK(f(a[0], "mail.path") == "AAA111 -> BBB222");
    CHECK(f(a[0], "mail.client") == "10.0.0.5");
    CHECK(f(a[0], "mail.port") == "40000");
    CHECK(f(a[0], "mail.user") == "alice");
    CHECK(f(a[0], "mail.from") == "alice@example.org");
    CHECK(f(a[0], "mail.to") == "bob@example.net,carol@example.net");
    CHECK(f(a[0], "mail.status") == "sent,bounced");
    CHECK(f(a[0], "mail.time") == "2026-04-23T10:00:00Z");
  }
  // The message the query names (BBB222, the filter's leg) came from the
  // filter, not from the path's first client: what --headers compares.
  CHECK(fx.hop->named_clients(0) == std::vector<std::string>{"127.0.0.1"});
}

TEST_CASE("a reused queue ID is two messages; a lost arrival is said", "[mail][hop]") {
  Fixture fx;
  fx.ask(MailTarget::Kind::queue_id, "AAA111");
  fx.ask(MailTarget::Kind::recipient, "DAVE@example.net");
  auto a = fx.answer(0);
  REQUIRE(a.size() == 2);
  CHECK(f(a[0], "mail.match") == "ambiguous");
  CHECK(f(a[0], "mail.client") == "10.0.0.5");
  CHECK(f(a[1], "mail.client") == "192.0.2.9");
  CHECK(f(a[1], "mail.message_id") == "<m2@example.org>");
  auto d = fx.answer(1);
  REQUIRE(d.size() == 1);
  CHECK(f(d[0], "mail.match") == "exact");
  CHECK(f(d[0], "mail.client").empty());
  CHECK(f(d[0], "mail.note").find("no arrival in the logs") != std::string::npos);
}

TEST_CASE("many mail queries (no prefilter) answer as each alone", "[mail][hop]") {
  Fixture many;
  for (int i = 0; i < 20; ++i)
    many.ask(MailTarget::Kind::sender, fmt::format("nobody{}@example.org", i));
  many.ask(MailTarget::Kind::message_id, "m1@example.org");
  Fixture one;
  one.ask(MailTarget::Kind::message_id, "m1@example.org");
  CHECK(many.answer(20) == one.answer(0));
  CHECK(f(many.answer(0)[0], "mail.match") == "none");
}

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>

#include "format_list.h"
#include "parse_harness.h"
#include "tracekit/input.h"

using namespace tracekit;
using tracekit::test::MailHarness;

namespace {

std::string client(const test::Outcome<MailEvent>& o) {
  return o.event.has_client ? to_string(o.event.client) : "";
}
std::string relay_ip(const test::Outcome<MailEvent>& o) {
  return o.event.has_relay_ip ? to_string(o.event.relay_ip) : "";
}

// Only the lines a fail2ban sample holds as log lines.
std::string without_comments(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view l = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    if (!l.empty() && l[0] != '#') {
      out += l;
      out += '\n';
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return out;
}

struct Counts {
  std::map<MailAction, size_t> actions;
  size_t records = 0, skipped = 0, foreign = 0, malformed = 0;
  std::map<std::string, size_t> malformed_reasons;
};
Counts count(const std::vector<test::Outcome<MailEvent>>& all) {
  Counts c;
  for (auto& o : all) {
    if (o.status == LineStatus::record) {
      ++c.records;
      ++c.actions[o.event.action];
    }
    c.skipped += o.status == LineStatus::skip;
    c.foreign += o.status == LineStatus::foreign;
    if (o.status == LineStatus::malformed) {
      ++c.malformed;
      ++c.malformed_reasons[o.reason];
    }
  }
  return c;
}

}  // namespace

TEST_CASE("sendmail: an authenticated message and its deliveries", "[smtp][sendmail]") {
  MailHarness h("sendmail", "Europe/London", 2026);
  auto all = h.run(
      "Apr 23 16:18:59 mx2 sm-mta[4321]: t3NFIxaB004321: AUTH=server, relay=mail.example.org "
      "[192.0.2.7], authid=jdoe, mech=PLAIN, bits=0\n"
      "Apr 23 16:19:00 mx2 sm-mta[4321]: t3NFIxaB004321: from=<jdoe@example.org>, size=1834, "
      "class=0, nrcpts=2, msgid=<20260423151900.ABC@example.org>, proto=ESMTPA, daemon=MTA, "
      "relay=mail.example.org [192.0.2.7]\n"
      "Apr 23 16:19:02 mx2 sm-mta[4325]: t3NFIxaB004321: to=<ann@example.net>, "
      "delay=00:00:02, xdelay=00:00:02, mailer=esmtp, pri=121834, relay=mx.example.net. "
      "[198.51.100.25], dsn=2.0.0, stat=Sent (t3NFJ2cD008811 Message accepted for delivery)\n"
      "Apr 23 16:19:03 mx2 sm-mta[4325]: t3NFIxaB004321: to=<nobody@example.net>, "
      "delay=00:00:03, xdelay=00:00:01, mailer=esmtp, pri=121834, relay=mx.example.net. "
      "[198.51.100.25], dsn=5.1.1, stat=User unknown\n"
      "Apr 23 16:19:03 mx2 sm-mta[4325]: t3NFIxaB004321: t3NFJ3aB004330: DSN: User unknown\n");
  REQUIRE(all.size() == 5);
  for (auto& o : all) REQUIRE(o.status == LineStatus::record);

  const MailEvent& auth = all[0].event;
  CHECK(auth.action == MailAction::received);
  CHECK(auth.queue_id == "t3NFIxaB004321");
  CHECK(auth.user == "jdoe");
  CHECK(auth.auth_method == "PLAIN");
  CHECK(client(all[0]) == "192.0.2.7");
  CHECK(auth.client_name == "mail.example.org");
  CHECK(auth.device == "mx2");
  CHECK(auth.service == "sm-mta");
  CHECK(all[0].time() == "2026-04-23T15:18:59Z");

  const MailEvent& rx = all[1].event;
  CHECK(rx.action == MailAction::received);
  CHECK(rx.from == "jdoe@example.org");
  CHECK(rx.has_size);
  CHECK(rx.size == 1834);
  CHECK(rx.nrcpt == 2);
  CHECK(rx.message_id == "<20260423151900.ABC@example.org>");
  CHECK(rx.protocol == "ESMTPA");
  CHECK(client(all[1]) == "192.0.2.7");
  CHECK(rx.client_name == "mail.example.org");
  CHECK(rx.user.empty());

  const MailEvent& d1 = all[2].event;
  CHECK(d1.action == MailAction::delivery);
  CHECK(d1.to == "ann@example.net");
  CHECK(d1.relay == "mx.example.net. [198.51.100.25]");
  CHECK(relay_ip(all[2]) == "198.51.100.25");
  CHECK(d1.status == "sent");
  CHECK(d1.detail == "t3NFJ2cD008811 Message accepted for delivery");
  CHECK(d1.next_id == "t3NFJ2cD008811");

  const MailEvent& d2 = all[3].event;
  CHECK(d2.status == "bounced");  // dsn 5.1.1
  CHECK(d2.detail == "User unknown");
  CHECK(d2.next_id.empty());

  const MailEvent& dsn = all[4].event;
  CHECK(dsn.action == MailAction::delivery);
  CHECK(dsn.status == "notification");
  CHECK(dsn.queue_id == "t3NFIxaB004321");
  CHECK(dsn.next_id == "t3NFJ3aB004330");
  CHECK(dsn.detail == "User unknown");
}

TEST_CASE("sendmail: local submission relayed to a local Postfix, deferrals", "[smtp][sendmail]") {
  MailHarness h("sendmail", "UTC", 2026);
  auto r = h.records(
      "Apr 23 10:00:00 mx2 sendmail[4400]: t3NAK0xY004400: from=jdoe, size=311, class=0, "
      "nrcpts=2, msgid=<202604231000.t3NAK0xY004400@mx2.example.org>, relay=jdoe@localhost\n"
      "Apr 23 10:00:00 mx2 sendmail[4400]: t3NAK0xY004400: to=<a@example.com>,<b@example.com>, "
      "ctladdr=jdoe (1000/1000), delay=00:00:00, xdelay=00:00:00, mailer=relay, pri=60311, "
      "relay=[127.0.0.1] [127.0.0.1], dsn=2.0.0, stat=Sent (Ok: queued as C05A07C2CA0)\n"
      "Apr 23 10:05:00 mx2 sm-mta[4500]: t3NAK0xZ004401: to=<c@example.net>, delay=00:05:00, "
      "xdelay=00:00:30, mailer=esmtp, pri=120311, relay=mx.example.net. [2001:db8:25::1], "
      "dsn=4.0.0, stat=Deferred: Connection refused by mx.example.net.\n"
      "Apr 23 10:05:01 mx2 sm-mta[4500]: t3NAK0xZ004402: to=<d@example.net>, delay=00:00:01, "
      "mailer=esmtp, pri=30311, relay=mx.example.net, stat=queued\n");
  REQUIRE(r.size() == 4);
  CHECK(r[0].event.action == MailAction::received);
  CHECK(r[0].event.user == "jdoe");  // the local user who submitted it
  CHECK(r[0].event.from == "jdoe");
  CHECK_FALSE(r[0].event.has_client);
  CHECK(r[0].event.service == "sendmail");
  CHECK(r[1].event.to == "<a@example.com>,<b@example.com>");  // one line, one event
  CHECK(r[1].event.next_id == "C05A07C2CA0");
  CHECK(relay_ip(r[1]) == "127.0.0.1");
  CHECK(r[2].event.status == "deferred");
  CHECK(r[2].event.detail == "Connection refused by mx.example.net.");
  CHECK(relay_ip(r[2]) == "2001:db8:25::1");
  CHECK(r[3].event.status == "queued");
  CHECK(r[3].event.detail.empty());
  CHECK_FALSE(r[3].event.has_relay_ip);
}

TEST_CASE("sendmail: rejects", "[smtp][sendmail]") {
  MailHarness h("sendmail", "UTC", 2026);
  auto all = h.run(
      "Apr 23 11:00:00 mx2 sm-mta[10]: t3NB00aa000010: ruleset=check_rcpt, "
      "arg1=<x@example.com>, relay=pc01.example.com [203.0.113.66] (may be forged), "
      "reject=550 5.7.1 <x@example.com>... Relaying denied\n"
      "Apr 23 11:00:01 mx2 sm-mta[11]: ruleset=check_relay, arg1=[2001:db8::66], "
      "arg2=2001:db8::66, relay=[IPv6:2001:db8::66], reject=421 4.3.2 Connection rate limit "
      "exceeded.\n"
      "Apr 23 11:00:02 mx2 sm-mta[12]: t3NB02aa000012: ruleset=check_mail, "
      "arg1=<spam@example.net>, relay=[203.0.113.9], reject=553 5.1.8 <spam@example.net>... "
      "Domain of sender address spam@example.net does not exist\n"
      "Apr 23 11:00:03 mx2 sm-mta[13]: t3NB03aa000013: <nobody@example.org>... User unknown\n"
      "Jun 17 14:37:39 <mail.notice> mx2 sm-mta[14]: t3NB04aa000014: ruleset=check_rcpt, "
      "arg1=<y@example.com>, relay=[198.51.100.4], reject=450 4.4.0 <y@example.com>... "
      "Relaying temporarily denied\n");
  REQUIRE(all.size() == 5);
  for (auto& o : all) REQUIRE(o.status == LineStatus::record);
  CHECK(all[0].event.action == MailAction::rejected);
  CHECK(all[0].event.queue_id == "t3NB00aa000010");
  CHECK(all[0].event.to == "x@example.com");
  CHECK(client(all[0]) == "203.0.113.66");
  CHECK(all[0].event.client_name == "pc01.example.com");
  CHECK(all[0].event.detail == "550 5.7.1 <x@example.com>... Relaying denied");
  CHECK(all[1].event.queue_id.empty());
  CHECK(client(all[1]) == "2001:db8::66");
  CHECK(all[1].event.to.empty());
  CHECK(all[2].event.from == "spam@example.net");
  CHECK(all[2].event.to.empty());
  CHECK(all[3].event.action == MailAction::rejected);
  CHECK(all[3].event.to == "nobody@example.org");
  CHECK(all[3].event.detail == "User unknown");
  CHECK_FALSE(all[3].event.has_client);
  CHECK(all[4].event.device == "mx2");  // "<mail.notice>" passed over
  CHECK(all[4].event.service == "sm-mta");
  CHECK(client(all[4]) == "198.51.100.4");
}

TEST_CASE("sendmail: noise, foreign and malformed lines", "[smtp][sendmail]") {
  MailHarness h("sendmail", "UTC", 2026);
  auto all = h.run(
      "Apr 23 12:00:00 mx2 sm-mta[20]: starting daemon (8.17.1): SMTP+queueing@00:30:00\n"
      "Apr 23 12:00:01 mx2 sm-mta[21]: t3NC01aa000021: example.com [192.0.2.3] did not issue "
      "MAIL/EXPN/VRFY/ETRN during connection to MTA\n"
      "Apr 23 12:00:02 mx2 postfix/smtpd[22]: connect from x[192.0.2.1]\n"
      "Apr 23 12:00:03 mx2 sm-mta[23]: t3NC03aa000023: to=<a@example.com>, delay=00:00:00, "
      "mailer=esmtp\n"
      "Apr 23 12:00:04 mx2 sm-mta[24]: t3NC04aa000024: from=<a@example.com>, size=x1, "
      "class=0\n"
      "Apr 31 12:00:05 mx2 sm-mta[25]: t3NC05aa000025: from=<a@example.com>, size=1\n"
      "Apr 23 12:00:06 mx2 sm-mta[26]: t3NC06aa000026: AUTH=server, relay=[192.0.2.1], "
      "mech=LOGIN, bits=0\n");
  REQUIRE(all.size() == 7);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "Sendmail message without a queue id");
  CHECK(all[0].time() == "2026-04-23T12:00:00Z");
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[1].reason == "Sendmail message without a record");
  CHECK(all[2].status == LineStatus::foreign);
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[3].reason == "to=: no stat=");
  CHECK(all[4].status == LineStatus::malformed);
  CHECK(all[4].reason == "from=: bad size");
  CHECK(all[5].status == LineStatus::malformed);
  CHECK(all[5].reason == "bad syslog date");
  CHECK(all[6].status == LineStatus::malformed);
  CHECK(all[6].reason == "AUTH=server: no authid");
}

TEST_CASE("sendmail: sniff", "[smtp][sendmail]") {
  const char* why = "";
  auto& f = formats::sendmail_format();
  CHECK(f.sniff("Apr 23 16:19:00 mx2 sm-mta[1]: t3NFIxaB004321: from=<a@example.org>, size=1, "
                "class=0, nrcpts=1, relay=[192.0.2.1]\n",
                &why) == 90);
  CHECK(f.sniff("Apr 23 16:19:00 mx1 postfix/smtpd[1]: connect from x[192.0.2.1]\n", &why) == 0);
}

TEST_CASE("sendmail: the testdata sample", "[smtp][sendmail]") {
  MailHarness h("sendmail", "Europe/London", 2026);
  std::string sample = test::read_sample("testdata/smtp/sendmail/maillog");
  auto any = sniff_format(sample, nullptr);
  REQUIRE(any.format);
  CHECK(any.format->name == "sendmail");
  Counts c = count(h.run(sample));
  CHECK(c.malformed == 0);
  CHECK(c.foreign == 1);
  CHECK(c.skipped == 1);
  CHECK(c.actions[MailAction::received] == 4);
  CHECK(c.actions[MailAction::delivery] == 4);
  CHECK(c.actions[MailAction::rejected] == 1);
}

TEST_CASE("sendmail: corpus", "[smtp][sendmail][corpus]") {
  Family smtp = Family::smtp;
  {
    // RHEL maillog: Sendmail (local submissions) relays to Postfix on
    // 127.0.0.1, whose lines are foreign here.
    auto text = test::read_corpus("smtp-sendmail/maillog");
    if (!text) return;
    auto s = sniff_format(*text, &smtp);
    REQUIRE(s.format);
    CHECK(s.format->name == "sendmail");
    MailHarness h("sendmail", "UTC", 2014);
    auto all = h.run(*text);
    Counts c = count(all);
    CHECK(c.records == 136);
    CHECK(c.actions[MailAction::received] == 68);
    CHECK(c.actions[MailAction::delivery] == 68);
    CHECK(c.foreign == 864);
    CHECK(c.malformed == 0);
    for (auto& o : all)
      if (o.status == LineStatus::record && o.event.action == MailAction::delivery) {
        CHECK(o.event.status == "sent");
        CHECK(o.event.next_id.size() == 11);  // the Postfix queue id it continues under
      } else if (o.status == LineStatus::record) {
        CHECK(o.event.user == "root");  // relay=root@localhost
      }
  }
  {
    // fail2ban's sample of reject lines (annotations removed).
    auto text = test::read_corpus("smtp-sendmail/sendmail-reject");
    if (!text) return;
    auto s = sniff_format(*text, &smtp);
    REQUIRE(s.format);
    CHECK(s.format->name == "sendmail");
    MailHarness h("sendmail", "UTC", 2014);
    auto all = h.run(without_comments(*text));
    Counts c = count(all);
    CHECK(c.records == 30);
    CHECK(c.actions[MailAction::rejected] == 27);  // 20 ruleset= rejects, 7 "<x>... User unknown"
    CHECK(c.actions[MailAction::received] == 3);   // from= of sessions with nrcpts=0
    // "did not issue MAIL", EXPN/VRFY refusals, pre-greeting, lost input channel
    CHECK(c.skipped == 15);
    size_t forged = 0;
    for (auto& o : all)
      if (o.status == LineStatus::record && o.event.action == MailAction::rejected &&
          o.event.detail.find("forged") != std::string_view::npos)
        ++forged;
    CHECK(forged == 1);  // "IP name possibly forged" in the reject text, not the relay's note
    CHECK(c.malformed == 0);
  }
}

TEST_CASE("sendmail: the sniffer claims no other corpus file", "[smtp][sendmail][corpus]") {
  auto root = test::find_corpus();
  if (!root) return;
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(*root)) {
    if (!entry.is_regular_file()) continue;
    std::string path = entry.path().string();
    if (path.ends_with(".md") || path.ends_with("SOURCES.tsv")) continue;
    std::string error;
    auto bytes = open_input(path, error);
    if (!bytes) continue;
    LineReader reader(*bytes);
    std::string_view head = reader.head();
    ++files;
    const char* why = "";
    int score = formats::sendmail_format().sniff(head, &why);
    std::string rel = std::filesystem::relative(entry.path(), *root).string();
    INFO(rel << ": " << why);
    if (rel.starts_with("smtp-sendmail/"))
      CHECK(score == 90);
    else
      CHECK(score == 0);
  }
  CHECK(files > 100);
}

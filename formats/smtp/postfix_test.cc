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

// Only the lines a fail2ban sample holds as log lines (its "# failJSON"
// annotations and blank lines removed).
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

TEST_CASE("postfix: a message from client to delivery and removal", "[smtp][postfix]") {
  MailHarness h("postfix", "Europe/London", 2026);
  auto all = h.run(
      "Apr 23 16:19:00 mx1 postfix/smtpd[1234]: connect from mail.example.org[192.0.2.7]\n"
      "Apr 23 16:19:01 mx1 postfix/smtpd[1234]: 4D1E21A0B3C: client=mail.example.org[192.0.2.7]:"
      "40123, sasl_method=PLAIN, sasl_username=jdoe@example.org\n"
      "Apr 23 16:19:01 mx1 postfix/cleanup[1236]: 4D1E21A0B3C: "
      "message-id=<20260423151901.ABC@example.org>\n"
      "Apr 23 16:19:01 mx1 postfix/qmgr[900]: 4D1E21A0B3C: from=<jdoe@example.org>, size=2048, "
      "nrcpt=2 (queue active)\n"
      "Apr 23 16:19:02 mx1 postfix/smtpd[1234]: disconnect from mail.example.org[192.0.2.7] "
      "ehlo=1 auth=1 mail=1 rcpt=2 data=1 quit=1 commands=7\n"
      "Apr 23 16:19:02 mx1 postfix/smtp[1240]: 4D1E21A0B3C: to=<ann@example.net>, "
      "relay=mx.example.net[198.51.100.25]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=2.0.0, "
      "status=sent (250 2.0.0 Ok: queued as 7A1B2C3D4E)\n"
      "Apr 23 16:19:03 mx1 postfix/local[1241]: 4D1E21A0B3C: to=<bob@example.org>, "
      "orig_to=<postmaster@example.org>, relay=local, delay=2, delays=0.1/0/0/1.9, dsn=2.0.0, "
      "status=sent (delivered to mailbox)\n"
      "Apr 23 16:19:03 mx1 postfix/qmgr[900]: 4D1E21A0B3C: removed\n");
  REQUIRE(all.size() == 8);
  for (auto& o : all) REQUIRE(o.status == LineStatus::record);

  const MailEvent& con = all[0].event;
  CHECK(con.action == MailAction::connect);
  CHECK(client(all[0]) == "192.0.2.7");
  CHECK(con.client_name == "mail.example.org");
  CHECK(con.device == "mx1");
  CHECK(con.service == "postfix/smtpd");
  CHECK(all[0].time() == "2026-04-23T15:19:00Z");

  const MailEvent& rx = all[1].event;
  CHECK(rx.action == MailAction::received);
  CHECK(rx.queue_id == "4D1E21A0B3C");
  CHECK(client(all[1]) == "192.0.2.7");
  CHECK(rx.client_port == 40123);
  CHECK(rx.client_name == "mail.example.org");
  CHECK(rx.auth_method == "PLAIN");
  CHECK(rx.user == "jdoe@example.org");

  CHECK(all[2].event.action == MailAction::header);
  CHECK(all[2].event.message_id == "<20260423151901.ABC@example.org>");
  CHECK(all[2].event.queue_id == "4D1E21A0B3C");

  const MailEvent& snd = all[3].event;
  CHECK(snd.action == MailAction::sender);
  CHECK(snd.from == "jdoe@example.org");
  CHECK(snd.has_size);
  CHECK(snd.size == 2048);
  CHECK(snd.nrcpt == 2);

  CHECK(all[4].event.action == MailAction::disconnect);
  CHECK(client(all[4]) == "192.0.2.7");

  const MailEvent& d1 = all[5].event;
  CHECK(d1.action == MailAction::delivery);
  CHECK(d1.to == "ann@example.net");
  CHECK(d1.relay == "mx.example.net[198.51.100.25]:25");
  CHECK(relay_ip(all[5]) == "198.51.100.25");
  CHECK(d1.relay_port == 25);
  CHECK(d1.status == "sent");
  CHECK(d1.detail == "250 2.0.0 Ok: queued as 7A1B2C3D4E");
  CHECK(d1.next_id == "7A1B2C3D4E");
  CHECK(d1.service == "postfix/smtp");

  const MailEvent& d2 = all[6].event;
  CHECK(d2.to == "bob@example.org");
  CHECK(d2.orig_to == "postmaster@example.org");
  CHECK(d2.relay == "local");
  CHECK_FALSE(d2.has_relay_ip);
  CHECK(d2.detail == "delivered to mailbox");
  CHECK(d2.next_id.empty());

  CHECK(all[7].event.action == MailAction::completed);
  CHECK(all[7].event.queue_id == "4D1E21A0B3C");
}

TEST_CASE("postfix: content filter hop, RFC 3339 dates, long queue ids, instances",
          "[smtp][postfix]") {
  MailHarness h("postfix", "UTC", 2026);
  auto r = h.records(
      "2026-04-23T16:19:00.123456+01:00 mx1 postfix/submission/smtpd[2001]: 4XkTZD3H6Gz9vNx: "
      "client=unknown[2001:db8::7]:51000, sasl_method=LOGIN, sasl_username=ann\n"
      "2026-04-23T16:19:01.000001+01:00 mx1 postfix/smtp[2005]: 4XkTZD3H6Gz9vNx: "
      "to=<carol@example.com>, relay=127.0.0.1[127.0.0.1]:10024, delay=0.5, "
      "delays=0.1/0/0/0.4, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): "
      "250 2.0.0 Ok: queued as 4XkTZF0aB1z7Qm)\n"
      "2026-04-23T16:19:01.2+01:00 mx1 postfix-out/smtpd[2010]: 4XkTZF0aB1z7Qm: "
      "client=localhost[127.0.0.1], orig_queue_id=4XkTZD3H6Gz9vNx, "
      "orig_client=unknown[2001:db8::7]\n"
      "2026-04-23T16:19:02+01:00 mx1 postfix-out/smtp[2012]: 4XkTZF0aB1z7Qm: "
      "to=<carol@example.com>, relay=mx.example.com[2001:db8:25::1]:25, delay=1, "
      "delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 OK)\n");
  REQUIRE(r.size() == 4);
  CHECK(r[0].time() == "2026-04-23T15:19:00.123456Z");
  CHECK(r[0].event.service == "postfix/submission/smtpd");
  CHECK(r[0].event.queue_id == "4XkTZD3H6Gz9vNx");
  CHECK(client(r[0]) == "2001:db8::7");
  CHECK(r[0].event.client_port == 51000);
  CHECK(r[0].event.client_name == "unknown");
  CHECK(r[0].event.user == "ann");
  CHECK(r[0].event.auth_method == "LOGIN");
  CHECK(r[1].event.next_id == "4XkTZF0aB1z7Qm");
  CHECK(relay_ip(r[1]) == "127.0.0.1");
  CHECK(r[1].event.relay_port == 10024);
  CHECK(r[2].event.queue_id == "4XkTZF0aB1z7Qm");
  CHECK(r[2].event.service == "postfix-out/smtpd");
  CHECK(client(r[2]) == "127.0.0.1");  // who handed it over; the hop follows next_id
  CHECK(r[2].event.user.empty());
  CHECK(relay_ip(r[3]) == "2001:db8:25::1");
  CHECK(r[3].event.relay_port == 25);
  CHECK(r[3].event.next_id.empty());
}

TEST_CASE("postfix: local pickup, deferral, bounce and expiry", "[smtp][postfix]") {
  MailHarness h("postfix", "UTC", 2026);
  auto all = h.run(
      "Apr 24 08:00:00 mx1 postfix/pickup[300]: 0EA5228A1: uid=1000 from=<jdoe>\n"
      "Apr 24 08:00:01 mx1 postfix/smtp[301]: 0EA5228A1: to=<x@example.net>, relay=none, "
      "delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to "
      "mx.example.net[198.51.100.9]:25: Connection timed out)\n"
      "Apr 24 08:00:02 mx1 postfix/smtp[301]: 0EA5228A1: to=<y@example.net>, "
      "relay=mx.example.net[198.51.100.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, "
      "status=bounced (host mx.example.net[198.51.100.9] said: 550 5.1.1 <y@example.net>: "
      "Recipient address rejected: User unknown (in reply to RCPT TO command))\n"
      "Apr 24 08:00:02 mx1 postfix/bounce[302]: 0EA5228A1: sender non-delivery notification: "
      "1F40D1E0AB\n"
      "Apr 29 08:00:03 mx1 postfix/qmgr[900]: 0EA5228A1: from=<jdoe@example.org>, "
      "status=expired, returned to sender\n"
      "Apr 29 08:00:04 mx1 postfix/postsuper[905]: 1F40D1E0AB: removed\n");
  REQUIRE(all.size() == 6);
  for (auto& o : all) REQUIRE(o.status == LineStatus::record);
  CHECK(all[0].event.action == MailAction::received);
  CHECK(all[0].event.user == "uid=1000");
  CHECK(all[0].event.from == "jdoe");
  CHECK_FALSE(all[0].event.has_client);
  CHECK(all[1].event.status == "deferred");
  CHECK(all[1].event.relay == "none");
  CHECK_FALSE(all[1].event.has_relay_ip);
  CHECK(all[1].event.detail == "connect to mx.example.net[198.51.100.9]:25: Connection timed out");
  CHECK(all[2].event.status == "bounced");
  CHECK(all[2].event.to == "y@example.net");
  CHECK(all[2].event.detail.ends_with("(in reply to RCPT TO command)"));
  CHECK(all[3].event.action == MailAction::delivery);
  CHECK(all[3].event.status == "notification");
  CHECK(all[3].event.detail == "sender non-delivery notification");
  CHECK(all[3].event.next_id == "1F40D1E0AB");
  CHECK(all[4].event.action == MailAction::delivery);
  CHECK(all[4].event.status == "expired");
  CHECK(all[4].event.from == "jdoe@example.org");
  CHECK(all[4].event.detail == "returned to sender");
  CHECK(all[4].event.to.empty());
  CHECK(all[5].event.action == MailAction::completed);
  CHECK(all[5].event.service == "postfix/postsuper");
}

TEST_CASE("postfix: rejects and SASL failures", "[smtp][postfix]") {
  MailHarness h("postfix", "UTC", 2026);
  auto all = h.run(
      "Apr 23 10:00:00 mx1 postfix/smtpd[40]: NOQUEUE: reject: RCPT from "
      "bad.example.com[203.0.113.9]: 554 5.7.1 <x@example.org>: Relay access denied; "
      "from=<spam@example.com> to=<x@example.org> proto=ESMTP helo=<bad.example.com>\n"
      "Apr 23 10:00:01 mx1 postfix/smtpd[40]: 5A1B2C3D4E: reject: RCPT from "
      "bad.example.com[203.0.113.9]: 550 5.1.1 <nobody@example.org>: Recipient address "
      "rejected: User unknown in local recipient table; from=<spam@example.com> "
      "to=<nobody@example.org> proto=ESMTP helo=<bad.example.com>\n"
      "Apr 23 10:00:02 mx1 postfix/smtpd[41]: NOQUEUE: reject: CONNECT from "
      "unknown[2001:db8::66]: 450 4.7.25 Client host rejected: cannot find your hostname, "
      "[2001:db8::66]; proto=SMTP\n"
      "Apr 23 10:00:03 mx1 postfix/postscreen[42]: NOQUEUE: reject: RCPT from "
      "[203.0.113.50]:60591: 550 5.7.1 Service unavailable; client [203.0.113.50] blocked "
      "using zen.example.net; from=<a@example.com>, to=<b@example.org>, proto=ESMTP, "
      "helo=<pc.example.com>\n"
      "Apr 23 10:00:04 mx1 postfix/cleanup[43]: 6B2C3D4E5F: reject: header Subject: cheap "
      "watches from bad.example.com[203.0.113.9]; from=<spam@example.com> "
      "to=<x@example.org> proto=ESMTP helo=<bad.example.com>: 5.7.1 message content rejected\n"
      "Apr 23 10:00:05 mx1 postfix/smtpd[44]: warning: unknown[203.0.113.77]: SASL LOGIN "
      "authentication failed: UGFzc3dvcmQ6\n"
      "Apr 23 10:00:06 mx1 postfix/submission/smtpd[45]: warning: unknown[2001:db8::77]:55729: "
      "SASL PLAIN authentication failed: (reason unavailable), sasl_username=admin\n"
      "Apr 23 10:00:07 mx1 postfix/smtpd[46]: NOQUEUE: reject_warning: RCPT from "
      "x.example.com[203.0.113.1]: 450 4.7.1 test; from=<a@example.com> to=<b@example.org> "
      "proto=ESMTP helo=<x>\n"
      "Apr 23 10:00:04 mx1 postfix/cleanup[43]: 7C3D4E5F6A: reject: body http://spam.example.com/ "
      "from local; from=<jdoe@example.org> proto=ESMTP helo=<mx1>: 5.7.1 no links\n");
  REQUIRE(all.size() == 9);
  const MailEvent& r0 = all[0].event;
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(r0.action == MailAction::rejected);
  CHECK(r0.queue_id.empty());
  CHECK(client(all[0]) == "203.0.113.9");
  CHECK(r0.client_name == "bad.example.com");
  CHECK(r0.from == "spam@example.com");
  CHECK(r0.to == "x@example.org");
  CHECK(r0.helo == "bad.example.com");
  CHECK(r0.protocol == "ESMTP");
  CHECK(r0.detail == "554 5.7.1 <x@example.org>: Relay access denied");

  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.queue_id == "5A1B2C3D4E");
  CHECK(all[1].event.to == "nobody@example.org");

  REQUIRE(all[2].status == LineStatus::record);
  CHECK(client(all[2]) == "2001:db8::66");
  CHECK(all[2].event.from.empty());
  CHECK(all[2].event.protocol == "SMTP");
  CHECK(all[2].event.detail ==
        "450 4.7.25 Client host rejected: cannot find your hostname, [2001:db8::66]");

  REQUIRE(all[3].status == LineStatus::record);
  CHECK(client(all[3]) == "203.0.113.50");
  CHECK(all[3].event.client_port == 60591);
  CHECK(all[3].event.client_name.empty());
  CHECK(all[3].event.from == "a@example.com");
  CHECK(all[3].event.to == "b@example.org");
  CHECK(all[3].event.helo == "pc.example.com");
  CHECK(all[3].event.service == "postfix/postscreen");

  REQUIRE(all[4].status == LineStatus::record);
  const MailEvent& hdr = all[4].event;
  CHECK(hdr.action == MailAction::rejected);
  CHECK(hdr.queue_id == "6B2C3D4E5F");
  CHECK(client(all[4]) == "203.0.113.9");
  CHECK(hdr.subject == "cheap watches");
  CHECK(hdr.detail == "5.7.1 message content rejected");  // no content in the detail
  CHECK(hdr.helo == "bad.example.com");
  CHECK(hdr.to == "x@example.org");

  REQUIRE(all[5].status == LineStatus::record);
  CHECK(all[5].event.action == MailAction::auth_failed);
  CHECK(client(all[5]) == "203.0.113.77");
  CHECK(all[5].event.auth_method == "LOGIN");
  CHECK(all[5].event.user.empty());
  CHECK(all[5].event.detail == "UGFzc3dvcmQ6");

  REQUIRE(all[6].status == LineStatus::record);
  CHECK(client(all[6]) == "2001:db8::77");
  CHECK(all[6].event.client_port == 55729);
  CHECK(all[6].event.user == "admin");
  CHECK(all[6].event.auth_method == "PLAIN");
  CHECK(all[6].event.detail == "(reason unavailable)");

  CHECK(all[7].status == LineStatus::skip);
  CHECK(all[7].reason == "reject_warning: logged, not enforced");

  REQUIRE(all[8].status == LineStatus::record);
  CHECK(all[8].event.action == MailAction::rejected);  // body check of a local submission
  CHECK_FALSE(all[8].event.has_client);
  CHECK(all[8].event.subject.empty());
  CHECK(all[8].event.from == "jdoe@example.org");
  CHECK(all[8].event.detail == "5.7.1 no links");
}

TEST_CASE("postfix: queue id reuse gives separate records per line", "[smtp][postfix]") {
  MailHarness h("postfix", "UTC", 2026);
  auto r = h.records(
      "Apr 23 10:00:00 mx1 postfix/smtpd[1]: 3A4B5C6D7E: client=a.example.com[192.0.2.1]\n"
      "Apr 23 10:00:01 mx1 postfix/qmgr[2]: 3A4B5C6D7E: removed\n"
      "Apr 23 18:00:00 mx1 postfix/smtpd[9]: 3A4B5C6D7E: client=b.example.com[192.0.2.2]\n"
      "Apr 23 18:00:01 mx1 postfix/qmgr[2]: 3A4B5C6D7E: removed\n");
  REQUIRE(r.size() == 4);
  CHECK(r[0].event.client_name == "a.example.com");
  CHECK(r[1].event.action == MailAction::completed);
  CHECK(r[2].event.client_name == "b.example.com");
  CHECK(r[2].event.queue_id == "3A4B5C6D7E");
  CHECK(r[2].time() == "2026-04-23T18:00:00Z");
}

TEST_CASE("postfix: noise, foreign and malformed lines", "[smtp][postfix]") {
  MailHarness h("postfix", "UTC", 2026);
  auto all = h.run(
      "Apr 23 10:00:00 mx1 postfix/anvil[5]: statistics: max connection rate 1/60s for "
      "(smtp:192.0.2.1) at Apr 23 09:59:00\n"
      "Apr 23 10:00:01 mx1 postfix/smtpd[6]: lost connection after AUTH from "
      "unknown[192.0.2.1]\n"
      "Apr 23 10:00:02 mx1 postfix/smtpd[6]: warning: hostname x.example.com does not resolve "
      "to address 192.0.2.1\n"
      "Apr 23 10:00:03 mx1 postfix/postscreen[7]: CONNECT from [192.0.2.1]:4000 to "
      "[198.51.100.1]:25\n"
      "Apr 23 10:00:04 mx1 postfix/qmgr[8]: 3A4B5C6D7E: skipped, still being delivered\n"
      "Apr 23 10:00:05 mx1 dovecot: imap-login: Login: user=<ann>\n"
      "Apr 23 10:00:06 mx1 postfix/master[1]: daemon started -- version 3.7.11\n"
      "Apr 32 10:00:07 mx1 postfix/smtpd[6]: connect from x[192.0.2.1]\n"
      "Apr 23 10:00:08 mx1 postfix/smtp[9]: 3A4B5C6D7E: to=<x@example.net>, relay=none, "
      "delay=1\n"
      "Apr 23 10:00:09 mx1 postfix/smtpd[6]: connect from x.example.com\n"
      "Apr 23 10:00:10 mx1 postfix/qmgr[8]: 3A4B5C6D7E: from=<a@example.org>, size=abc, "
      "nrcpt=1 (queue active)\n"
      "\n");
  REQUIRE(all.size() == 12);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "anvil statistics");
  CHECK(all[0].time() == "2026-04-23T10:00:00Z");
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[1].reason == "smtpd message without a record");
  CHECK(all[2].status == LineStatus::skip);
  CHECK(all[2].reason == "smtpd warning");
  CHECK(all[3].status == LineStatus::skip);
  CHECK(all[3].reason == "postscreen message");
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "Postfix message without a record");
  CHECK(all[5].status == LineStatus::foreign);
  CHECK(all[6].status == LineStatus::skip);
  CHECK(all[7].status == LineStatus::malformed);
  CHECK(all[7].reason == "bad syslog date");
  CHECK(all[8].status == LineStatus::malformed);
  CHECK(all[8].reason == "to=: no status");
  CHECK(all[8].time() == "2026-04-23T10:00:08Z");
  CHECK(all[9].status == LineStatus::malformed);
  CHECK(all[9].reason == "connect: no HOST[IP]");
  CHECK(all[10].status == LineStatus::malformed);
  CHECK(all[10].reason == "from=: bad size");
  CHECK(all[11].status == LineStatus::skip);
}

TEST_CASE("postfix: sniff", "[smtp][postfix]") {
  const char* why = "";
  auto& f = formats::postfix_format();
  CHECK(f.sniff("Apr 23 16:19:00 mx1 postfix/smtpd[1]: connect from x[192.0.2.1]\n", &why) == 85);
  CHECK(f.sniff("Apr 23 16:19:00 gw sshd[1]: Accepted password for root from 10.0.0.1 port 22 "
                "ssh2\n",
                &why) == 0);
  Family smtp = Family::smtp;
  auto s = sniff_format(
      "Apr 23 16:19:00 mx1 postfix/qmgr[9]: 4D1E21A0B3C: from=<a@example.org>, size=1, "
      "nrcpt=1 (queue active)\n",
      &smtp);
  REQUIRE(s.format);
  CHECK(s.format->name == "postfix");
}

TEST_CASE("postfix: the testdata sample", "[smtp][postfix]") {
  MailHarness h("postfix", "Europe/London", 2026);
  std::string sample = test::read_sample("testdata/smtp/postfix/maillog");
  auto any = sniff_format(sample, nullptr);
  REQUIRE(any.format);
  CHECK(any.format->name == "postfix");
  Counts c = count(h.run(sample));
  CHECK(c.malformed == 0);
  CHECK(c.foreign == 1);
  CHECK(c.actions[MailAction::received] == 3);
  CHECK(c.actions[MailAction::delivery] == 4);
  CHECK(c.actions[MailAction::completed] == 2);
  CHECK(c.actions[MailAction::rejected] == 1);
  CHECK(c.actions[MailAction::auth_failed] == 1);
}

namespace {
// One corpus file read through the parser, the fail2ban sample without its
// annotations. Year 2020 for every file: no line here depends on it.
Counts run_corpus(const std::string& text, bool fail2ban = false) {
  MailHarness h("postfix", "UTC", 2020);
  return count(h.run(fail2ban ? without_comments(text) : text));
}
}  // namespace

// The Sekoia JSON samples (smtp-postfix/sekoia-postfix/*.json) hold one line
// each inside a JSON document, and the OSSEC and Wazuh .ini files wrap each
// line as "log N pass = LINE": neither is a log, so neither is read here, and
// the sniffer must not claim them (checked below with every other file).
TEST_CASE("postfix: corpus", "[smtp][postfix][corpus]") {
  auto sniffs_postfix = [](const std::string& text) {
    Family smtp = Family::smtp;
    auto s = sniff_format(text, &smtp);
    return s.format && s.format->name == "postfix";
  };
  {
    // A real maillog concatenated with Roundcube's log ("[20-Oct-2020
    // 14:56:10 +0100]: <id> User ...", 1270 lines with no syslog header), Dovecot
    // and Sendmail lines (foreign), and a verbose-logging smtpd/qmgr (skipped).
    auto text = test::read_corpus("smtp-postfix/Postfix-Maillog-Dump__maillog");
    if (!text) return;
    CHECK(sniffs_postfix(*text));
    Counts c = run_corpus(*text);
    CHECK(c.records == 214);
    CHECK(c.foreign == 1967);
    CHECK(c.malformed == 1271);
    CHECK(c.malformed_reasons["no syslog header"] == 1270);
    CHECK(c.malformed_reasons["to=: no status"] == 1);  // line 13 cut after "to=<...>, "
    CHECK(c.actions[MailAction::received] == 17);
    CHECK(c.actions[MailAction::delivery] == 64);
    CHECK(c.actions[MailAction::rejected] == 22);
    CHECK(c.actions[MailAction::completed] == 25);
  }
  {
    auto text = test::read_corpus("smtp-postfix/Python-Dashboard-for-Postfix-Logs__maillog");
    if (!text) return;
    CHECK(sniffs_postfix(*text));
    Counts c = run_corpus(*text);
    CHECK(c.records == 28);
    CHECK(c.malformed == 0);
    CHECK(c.actions[MailAction::received] == 4);  // pickup uid=0
    CHECK(c.actions[MailAction::delivery] == 8);
    CHECK(c.actions[MailAction::completed] == 8);
  }
  {
    auto text = test::read_corpus("smtp-postfix/mail2.log");
    if (!text) return;
    CHECK(sniffs_postfix(*text));
    Counts c = run_corpus(*text);
    CHECK(c.records == 9095);
    CHECK(c.malformed == 0);
    CHECK(c.foreign == 2);  // dovecot
    CHECK(c.actions[MailAction::connect] == 1920);
    CHECK(c.actions[MailAction::disconnect] == 1920);
    CHECK(c.actions[MailAction::received] == 856);
    CHECK(c.actions[MailAction::header] == 857);
    CHECK(c.actions[MailAction::sender] == 990);
    CHECK(c.actions[MailAction::delivery] == 995);
    CHECK(c.actions[MailAction::completed] == 859);
    CHECK(c.actions[MailAction::rejected] == 698);
  }
  {
    auto text = test::read_corpus("smtp-postfix/pflgviewer__mail.log");
    if (!text) return;
    CHECK(sniffs_postfix(*text));
    MailHarness h("postfix", "UTC", 2014);
    auto all = h.run(*text);
    Counts c = count(all);
    CHECK(c.records == 11740);
    CHECK(c.malformed == 0);
    CHECK(c.actions[MailAction::auth_failed] == 1063);
    CHECK(c.actions[MailAction::delivery] == 3726);
    CHECK(c.actions[MailAction::completed] == 2831);
    CHECK(c.actions[MailAction::received] == 315);
    size_t notifications = 0, sasl_users = 0;
    for (auto& o : all) {
      if (o.status != LineStatus::record) continue;
      if (o.event.status == "notification") {
        ++notifications;
        CHECK(!o.event.next_id.empty());
      }
      if (o.event.action == MailAction::received && !o.event.user.empty()) ++sasl_users;
    }
    CHECK(notifications == 776);
    CHECK(sasl_users > 0);
  }
  {
    auto text = test::read_corpus("smtp-postfix/postfix_log_analysis__mail.log");
    if (!text) return;
    CHECK(sniffs_postfix(*text));
    Counts c = run_corpus(*text);
    CHECK(c.records == 5685);
    CHECK(c.malformed == 0);
    CHECK(c.actions[MailAction::rejected] == 606);
    CHECK(c.actions[MailAction::received] == 489);
    CHECK(c.actions[MailAction::delivery] == 604);
  }
  {
    // fail2ban's sample: hand-collected lines, three of them with an
    // unpadded day ("Mar 7", "Aug 3", "Aug 4"), which is no syslog date.
    auto text = test::read_corpus("smtp-postfix/postfix");
    if (!text) return;
    CHECK(sniffs_postfix(*text));
    MailHarness h("postfix", "UTC", 2020);
    auto all = h.run(without_comments(*text));
    Counts c = count(all);
    CHECK(c.records == 41);
    CHECK(c.malformed == 3);
    CHECK(c.malformed_reasons["bad syslog date"] == 3);
    CHECK(c.actions[MailAction::rejected] == 25);
    CHECK(c.actions[MailAction::auth_failed] == 12);
    CHECK(c.actions[MailAction::disconnect] == 4);
    bool long_id = false, sasl_user = false;
    for (auto& o : all) {
      if (o.status != LineStatus::record) continue;
      if (o.event.queue_id == "44JCRG5tYPzCqt2") {
        long_id = true;
        CHECK(o.event.action == MailAction::rejected);
        CHECK(o.event.service == "postfix-smo/submission/smtpd");
      }
      if (o.event.action == MailAction::auth_failed && o.event.user == "admin") sasl_user = true;
    }
    CHECK(long_id);
    CHECK(sasl_user);
  }
  {
    auto text = test::read_corpus("smtp-postfix/postfix-logs.log");
    if (!text) return;
    CHECK(sniffs_postfix(*text));
    Counts c = run_corpus(*text);  // BSD and RFC 3339 dates mixed
    CHECK(c.records == 5);
    CHECK(c.malformed == 0);
    CHECK(c.actions[MailAction::rejected] == 4);
    CHECK(c.actions[MailAction::auth_failed] == 1);
  }
  for (const char* rel : {"smtp-postfix/postfix-sasl-bf.log", "smtp-postfix/postfix-spam.log"}) {
    auto text = test::read_corpus(rel);
    if (!text) return;
    CHECK(sniffs_postfix(*text));
    Counts c = run_corpus(*text);
    CHECK(c.malformed == 0);
    CHECK(c.records == (std::string_view(rel).ends_with("bf.log") ? 3u : 2u));
  }
  {
    auto text = test::read_corpus("smtp-postfix/postscreen-logs.log");
    if (!text) return;
    CHECK(sniffs_postfix(*text));
    Counts c = run_corpus(*text);  // PREGREET: postscreen noise
    CHECK(c.records == 0);
    CHECK(c.skipped == 2);
  }
  {
    // Sendmail hands mail to Postfix on localhost: the file is the sendmail
    // format's, but its Postfix half reads cleanly here.
    auto text = test::read_corpus("smtp-sendmail/maillog");
    if (!text) return;
    const char* why = "";
    CHECK(formats::postfix_format().sniff(*text, &why) == 50);
    Counts c = run_corpus(*text);
    CHECK(c.records == 648);
    CHECK(c.foreign == 136);  // sendmail[...]
    CHECK(c.malformed == 0);
  }
}

TEST_CASE("postfix: the sniffer claims no other corpus file", "[smtp][postfix][corpus]") {
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
    int score = formats::postfix_format().sniff(head, &why);
    std::string rel = std::filesystem::relative(entry.path(), *root).string();
    bool postfix_log =
        rel.starts_with("smtp-postfix/") && !rel.ends_with(".json") && !rel.ends_with(".ini");
    INFO(rel << ": " << why);
    if (postfix_log)
      CHECK(score >= 60);
    else if (rel == "smtp-sendmail/maillog")
      CHECK(score == 50);
    else
      CHECK(score == 0);
  }
  CHECK(files > 100);
}

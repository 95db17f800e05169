#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <map>

#include "format_list.h"
#include "parse_harness.h"
#include "tracekit/input.h"

using namespace tracekit;
using tracekit::test::MailHarness;
namespace fs = std::filesystem;

namespace {

std::string ip(const IpAddr& a) {
  return to_string(a);
}

// The one outcome of a single line.
const test::Outcome<MailEvent>& one(std::vector<test::Outcome<MailEvent>>& all) {
  REQUIRE(all.size() == 1);
  return all[0];
}

}  // namespace

TEST_CASE("exim: the sample mainlog", "[smtp][exim]") {
  MailHarness h("exim", "Europe/Berlin");
  auto all = h.run(test::read_sample("testdata/smtp/exim/mainlog"));
  REQUIRE(all.size() == 18);

  const auto& conn = all[0];
  REQUIRE(conn.status == LineStatus::record);
  CHECK(conn.event.action == MailAction::connect);
  CHECK(conn.time() == "2026-04-23T14:18:58Z");  // CEST, two hours ahead
  CHECK(ip(conn.event.client) == "192.0.2.7");
  CHECK(conn.event.client_port == 50312);
  CHECK(conn.event.helo == "laptop.example.org");
  CHECK(conn.event.client_name.empty());

  const MailEvent& rcv = all[1].event;
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(rcv.action == MailAction::received);
  CHECK(rcv.queue_id == "1wAbCd-000123-Ef");
  CHECK(rcv.from == "jdoe@example.org");
  CHECK(rcv.has_client);
  CHECK(ip(rcv.client) == "192.0.2.7");
  CHECK(rcv.client_port == 50312);
  CHECK(rcv.helo == "laptop.example.org");
  CHECK(rcv.user == "jdoe");
  CHECK(rcv.auth_method == "plain");
  CHECK(rcv.protocol == "esmtpsa");
  CHECK(rcv.has_size);
  CHECK(rcv.size == 1234);
  CHECK(rcv.message_id == "<a1@example.org>");
  CHECK(rcv.subject == "Quarterly report");
  CHECK(rcv.to == "bob@example.net");
  CHECK(rcv.nrcpt == 2);
  CHECK(rcv.service == "exim");

  CHECK(all[2].event.action == MailAction::disconnect);
  CHECK(all[2].event.detail == "closed by QUIT");

  // Sent to a Postfix next hop: its queue id is the next id.
  const MailEvent& d1 = all[3].event;
  CHECK(d1.action == MailAction::delivery);
  CHECK(d1.to == "bob@example.net");
  CHECK(d1.status == "sent");
  CHECK(d1.relay == "mx1.example.net [203.0.113.25]:25");
  CHECK(ip(d1.relay_ip) == "203.0.113.25");
  CHECK(d1.relay_port == 25);
  CHECK(d1.detail == "250 2.0.0 Ok: queued as 4D1E21A0B3C");
  CHECK(d1.next_id == "4D1E21A0B3C");

  // Deferred over IPv6: the host after "defer (-44)".
  const MailEvent& d2 = all[4].event;
  CHECK(d2.status == "deferred");
  CHECK(d2.to == "carol@example.com");
  CHECK(ip(d2.relay_ip) == "2001:db8::25");
  CHECK(d2.relay == "mx.example.com [2001:db8::25]:25");
  CHECK(d2.detail ==
        "SMTP error from remote mail server after RCPT TO:<carol@example.com>: 451 4.7.1 "
        "Greylisted, try later");
  CHECK(d2.next_id.empty());

  // An Exim next hop answers with its message id.
  CHECK(all[5].event.status == "sent");
  CHECK(all[5].event.next_id == "1wAbZz-000777-Qq");
  CHECK(all[6].event.action == MailAction::completed);
  CHECK(all[6].event.queue_id == "1wAbCd-000123-Ef");

  // A bounce: empty sender, 23-character id (Exim 4.97+), milliseconds.
  const auto& bounce = all[7];
  CHECK(bounce.event.action == MailAction::received);
  CHECK(bounce.event.queue_id == "1wAcEf-00000000AbC-Xy12");
  CHECK(bounce.event.from == "<>");
  CHECK(bounce.time() == "2026-04-23T15:02:10.412Z");
  CHECK(bounce.event.user == "Debian-exim");  // U= of a local submission
  CHECK_FALSE(bounce.event.has_client);
  const MailEvent& local = all[8].event;
  CHECK(local.status == "delivered");
  CHECK(local.to == "jdoe");
  CHECK(local.orig_to == "jdoe@example.org");
  CHECK(local.relay == "mail_spool");  // the transport: no H=
  CHECK_FALSE(local.has_relay_ip);

  const MailEvent& fail1 = all[11].event;
  CHECK(fail1.status == "bounced");
  CHECK(fail1.to == "nobody@example.net");
  CHECK(ip(fail1.relay_ip) == "198.51.100.30");
  CHECK(fail1.detail ==
        "SMTP error from remote mail server after RCPT TO:<nobody@example.net>: 550 5.1.1 User "
        "unknown");
  CHECK(all[12].event.to == "ghost@example.org");
  CHECK(all[12].event.detail == "Unrouteable address");
  CHECK(all[12].event.relay.empty());

  const MailEvent& rej = all[14].event;
  CHECK(rej.action == MailAction::rejected);
  CHECK(rej.client_name == "bad.example.com");
  CHECK(rej.helo == "friendly");
  CHECK(ip(rej.client) == "203.0.113.66");
  CHECK(rej.client_port == 41000);
  CHECK(rej.from == "spam@example.com");
  CHECK(rej.to == "bob@example.org");
  CHECK(rej.detail == "rejected RCPT <bob@example.org>: relay not permitted");

  const MailEvent& af = all[15].event;
  CHECK(af.action == MailAction::auth_failed);
  CHECK(ip(af.client) == "2001:db8:bad::5");
  CHECK(af.client_port == 52000);
  CHECK(af.auth_method == "plain");
  CHECK(af.user == "admin@example.org");
  CHECK(af.detail == "535 Incorrect authentication data");

  CHECK(all[16].status == LineStatus::skip);
  CHECK(all[16].time() == "2026-04-23T15:10:06Z");  // skipped lines keep their time
  CHECK(all[17].status == LineStatus::skip);
}

TEST_CASE("exim: through syslog", "[smtp][exim]") {
  MailHarness h("exim", "UTC");
  auto all = h.run(test::read_sample("testdata/smtp/exim/syslog"));
  REQUIRE(all.size() == 4);
  CHECK(all[0].event.action == MailAction::received);
  CHECK(all[0].event.device == "mx2");
  CHECK(all[0].event.client_name == "mail.example.com");
  CHECK(all[0].event.client_port == 40404);
  CHECK(all[1].event.action == MailAction::delivery);
  CHECK(all[1].event.to == "alice2@example.org");
  CHECK(all[1].event.orig_to == "postmaster@example.org");
  CHECK(all[1].time() == "2026-04-23T18:00:01Z");
  CHECK(all[2].event.action == MailAction::completed);
  CHECK(all[3].status == LineStatus::foreign);

  // Exim's own date wins over the syslog one (it has a year and may have ms).
  auto ms =
      h.run("Apr 23 18:00:09 mx2 exim[1]: 2026-04-23 18:00:00.250 1wAdAa-000999-Zz Completed\n");
  CHECK(one(ms).time() == "2026-04-23T18:00:00.250Z");
  // A journal export: "HOST exim[pid]: DATE ...", and syslog-ng's "DATE HOST exim[pid]:".
  auto j = h.run(
      "mail.example.org exim[3751]: 2026-04-23 23:20:49 plain_server authenticator failed for "
      "([192.0.2.17]) [192.0.2.27]: 535 Incorrect authentication data\n");
  CHECK(one(j).event.action == MailAction::auth_failed);
  CHECK(j[0].event.device == "mail.example.org");
  CHECK(ip(j[0].event.client) == "192.0.2.27");
  CHECK(j[0].event.helo == "[192.0.2.17]");
  CHECK(j[0].event.user.empty());
  auto ng = h.run(
      "2026-04-01 11:08:00 info exim[8001]: [8001] no MAIL in SMTP connection from (User) "
      "[192.0.2.29]:20042 I=[192.0.2.1]:25 Ci=8001 D=0.349s C=EHLO,AUTH,QUIT\n");
  CHECK(one(ng).event.action == MailAction::disconnect);
  CHECK(ng[0].event.device == "info");
  CHECK(ng[0].event.detail == "no MAIL in SMTP connection");
  CHECK(ng[0].event.client_port == 20042);
  auto ng2 = h.run(
      "2026-04-01 11:08:00 info exim[8001]: 2026-04-01 11:07:59 1wAdAa-000999-Zz Completed\n");
  CHECK(one(ng2).event.action == MailAction::completed);
  CHECK(ng2[0].time() == "2026-04-01T11:07:59Z");
  auto bad = h.run("Apr 23 18:00:09 mx2 exim[1]: 2026-02-30 18:00:00 1wAdAa-000999-Zz Completed\n");
  CHECK(one(bad).status == LineStatus::malformed);
  CHECK(bad[0].reason == "bad timestamp");
  CHECK(bad[0].time() == "2026-04-23T18:00:09Z");  // the syslog time is kept
}

TEST_CASE("exim: time forms", "[smtp][exim]") {
  MailHarness h("exim", "Europe/Berlin");
  // log_timezone: the offset given wins over the source's zone.
  auto tz = h.run("2026-04-23 16:19:00 -0500 1wAbCd-000123-Ef Completed\n");
  CHECK(one(tz).time() == "2026-04-23T21:19:00Z");
  CHECK(tz[0].event.queue_id == "1wAbCd-000123-Ef");
  auto tzms = h.run("2026-04-23 16:19:00.007 +0000 [4711] 1wAbCd-000123-Ef Completed\n");
  CHECK(one(tzms).time() == "2026-04-23T16:19:00.007Z");
  CHECK(tzms[0].event.action == MailAction::completed);  // [pid] after the date
  auto bad = h.run("2026-04-31 16:19:00 1wAbCd-000123-Ef Completed\n");
  CHECK(one(bad).status == LineStatus::malformed);
  CHECK(bad[0].reason == "bad timestamp");
  auto none = h.run("just some text\n");
  CHECK(one(none).status == LineStatus::malformed);
  CHECK(none[0].reason == "no timestamp");
  auto cut = h.run("2026-04-23 16:19:00\n");
  CHECK(one(cut).status == LineStatus::malformed);
  CHECK(cut[0].reason == "no message after the date");
  auto cut2 = h.run("2026-04-23 16:19:00 1wAbCd-000123-Ef <= \n");
  CHECK(one(cut2).status == LineStatus::malformed);
  CHECK(cut2[0].reason == "arrival without a sender");
}

TEST_CASE("exim: arrivals", "[smtp][exim]") {
  MailHarness h("exim", "UTC");
  // A= with the authenticator only; U= is not the user of an SMTP arrival.
  auto a = h.run(
      "2026-04-23 10:00:00 1wAbCd-000123-Ef <= <alice@example.com> H=mail.example.com "
      "(helo.example.com) [198.51.100.40] U=ident P=esmtpa A=cram_md5 S=10 "
      "T=\"Re: \\\"quoted\\\" words\" id=<c3@example.com>\n");
  const MailEvent& e = one(a).event;
  CHECK(e.from == "alice@example.com");
  CHECK(e.client_name == "mail.example.com");
  CHECK(e.helo == "helo.example.com");
  CHECK(e.client_port == 0);
  CHECK(e.auth_method == "cram_md5");
  CHECK(e.user.empty());
  CHECK(e.subject == "Re: \\\"quoted\\\" words");
  CHECK(e.message_id == "<c3@example.com>");
  // The same queue id later in the file (ids are reused): a second arrival.
  auto reuse = h.run(
      "2026-04-23 10:00:00 1wAbCd-000123-Ef <= a@example.com H=[192.0.2.1] P=smtp S=1\n"
      "2026-04-23 10:00:01 1wAbCd-000123-Ef Completed\n"
      "2026-04-25 10:00:00 1wAbCd-000123-Ef <= b@example.com H=[192.0.2.2] P=smtp S=2\n");
  REQUIRE(reuse.size() == 3);
  CHECK(reuse[0].event.queue_id == reuse[2].event.queue_id);
  CHECK(reuse[2].event.from == "b@example.com");
  CHECK(ip(reuse[2].event.client) == "192.0.2.2");
  CHECK(reuse[2].event.client_name.empty());
  auto bad = h.run("2026-04-23 10:00:00 1wAbCd-000123-Ef <= a@example.com H= P=smtp\n");
  CHECK(one(bad).status == LineStatus::malformed);
  CHECK(bad[0].reason == "arrival with an unreadable H=");
}

TEST_CASE("exim: deliveries", "[smtp][exim]") {
  MailHarness h("exim", "UTC");
  auto all = h.run(
      "2026-04-23 10:00:00 1wAbCd-000123-Ef => |/usr/bin/filter (list@example.org) "
      "<owner@example.org> R=pipe T=address_pipe\n"
      "2026-04-23 10:00:00 1wAbCd-000123-Ef -> second@example.org <owner@example.org> R=r "
      "T=remote_smtp H=mx.example.org [192.0.2.50] C=\"250 ok\"\n"
      "2026-04-23 10:00:00 1wAbCd-000123-Ef *> third@example.org R=r T=remote_smtp H=mx "
      "[192.0.2.50]\n"
      "2026-04-23 10:00:00 1wAbCd-000123-Ef ** late@example.org R=r T=remote_smtp: retry "
      "timeout exceeded\n"
      "2026-04-23 10:00:00 1wAbCd-000123-Ef == wait@example.org R=r T=remote_smtp defer "
      "(-53): retry time not reached for any host\n"
      "2026-04-23 10:00:00 1wAbCd-000123-Ef => \n"
      "2026-04-23 10:00:00 1wAbCd-000123-Ef => k@example.net R=r T=t H=mx.example.net "
      "[192.0.2.5]:25 K C=\"250 2.0.0 OK id=1wAbZz-000777-Qq\" QT=1s DT=0s\n");
  REQUIRE(all.size() == 7);
  CHECK(all[6].event.detail == "250 2.0.0 OK id=1wAbZz-000777-Qq");
  CHECK(all[6].event.next_id == "1wAbZz-000777-Qq");
  CHECK(all[6].event.relay_port == 25);
  CHECK(all[0].event.to == "|/usr/bin/filter");
  CHECK(all[0].event.orig_to == "owner@example.org");
  CHECK(all[0].event.relay == "address_pipe");
  CHECK(all[0].event.status == "delivered");
  CHECK(all[1].event.status == "sent");
  CHECK(all[1].event.to == "second@example.org");
  CHECK(all[1].event.relay == "mx.example.org [192.0.2.50]");
  CHECK(all[1].event.relay_port == 0);
  CHECK(all[1].event.next_id.empty());
  CHECK(all[2].event.status == "suppressed");
  CHECK(all[3].event.status == "expired");
  CHECK(all[3].event.detail == "retry timeout exceeded");
  CHECK(all[4].event.status == "deferred");
  CHECK(all[4].event.detail == "defer (-53): retry time not reached for any host");
  CHECK(all[5].status == LineStatus::malformed);
  CHECK(all[5].reason == "delivery without a recipient");
}

TEST_CASE("exim: rejections and connections", "[smtp][exim]") {
  MailHarness h("exim", "UTC");
  auto all = h.run(
      "2026-04-23 10:00:00 H=(spam.example) [203.0.113.9]:4000 F=<> rejected after DATA: "
      "spam\n"
      "2026-04-23 10:00:01 1wAbCd-000123-Ef F=x@example.com H=(x.example) [203.0.113.9] "
      "P=smtp rejected by local_scan(): Rejected\n"
      "2026-04-23 10:00:02 SMTP protocol error in \"AUTH LOGIN\" H=(x) [203.0.113.9]\" "
      "H=(real) [203.0.113.10]:587 I=[198.51.100.2]:587 AUTH command used when not "
      "advertised\n"
      "2026-04-23 10:00:03 SMTP call from [2001:db8::9]:2525 dropped: too many syntax or "
      "protocol errors (last command was \"xyz\")\n"
      "2026-04-23 10:00:04 SMTP connection from [2001:db8::9]:2525 (TCP/IP connection count "
      "= 3)\n"
      "2026-04-23 10:00:05 SMTP connection from (x) [2001:db8::9]:2525 lost\n"
      "2026-04-23 10:00:06 H=(x) [203.0.113.9] sender verify fail for <a@example.com>: no\n"
      "2026-04-23 10:00:07 H=(x) [203.0.113.9] Warning: unknown recipient b@example.org\n"
      "2026-04-23 10:00:08 SMTP protocol synchronization error (input sent without waiting "
      "for greeting): rejected connection from H=[192.0.2.99]:5555 input=\"GET /\"\n");
  REQUIRE(all.size() == 9);
  CHECK(all[0].event.action == MailAction::rejected);
  CHECK(all[0].event.from == "<>");
  CHECK(all[0].event.to.empty());
  CHECK(all[0].event.detail == "rejected after DATA: spam");
  CHECK(all[1].event.action == MailAction::rejected);
  CHECK(all[1].event.queue_id == "1wAbCd-000123-Ef");
  CHECK(all[1].event.from == "x@example.com");
  CHECK(all[1].event.detail == "rejected by local_scan(): Rejected");
  CHECK(all[2].event.action == MailAction::rejected);
  CHECK(ip(all[2].event.client) == "203.0.113.10");  // not the H= inside the command
  CHECK(all[2].event.helo == "real");
  CHECK(all[2].event.detail == "AUTH command used when not advertised");
  CHECK(all[3].event.action == MailAction::rejected);
  CHECK(ip(all[3].event.client) == "2001:db8::9");
  CHECK(all[3].event.client_port == 2525);
  CHECK(all[4].event.action == MailAction::connect);
  CHECK(all[5].event.action == MailAction::disconnect);
  CHECK(all[5].event.detail == "lost");
  CHECK(all[6].status == LineStatus::skip);
  CHECK(all[7].status == LineStatus::skip);
  CHECK(all[8].event.action == MailAction::rejected);
  CHECK(ip(all[8].event.client) == "192.0.2.99");
  CHECK(all[8].event.detail ==
        "SMTP protocol synchronization error (input sent without waiting for greeting)");
}

TEST_CASE("exim: a message refused after it got its id", "[smtp][exim]") {
  MailHarness h("exim", "UTC");
  auto big = h.run(
      "2026-04-23 10:00:00 1wAbCd-000123-Ef rejected from <big@example.com> H=(x) "
      "[203.0.113.9]:4000: message too big: read=60000000 max=52428800\n");
  const MailEvent& e = one(big).event;
  CHECK(e.action == MailAction::rejected);
  CHECK(e.queue_id == "1wAbCd-000123-Ef");
  CHECK(e.from == "big@example.com");
  CHECK(ip(e.client) == "203.0.113.9");
  CHECK(e.client_port == 4000);
  CHECK(e.detail ==
        "rejected from <big@example.com> H=(x) [203.0.113.9]:4000: message too big: "
        "read=60000000 max=52428800");
}

TEST_CASE("exim: the sample rejectlog", "[smtp][exim]") {
  MailHarness h("exim", "Europe/Berlin");
  auto all = h.run(test::read_sample("testdata/smtp/exim/rejectlog"));
  REQUIRE(all.size() == 13);
  CHECK(all[0].event.action == MailAction::rejected);
  CHECK(all[0].event.queue_id == "1wAdXx-000321-Rr");
  CHECK(all[0].event.from == "promo@example.com");
  CHECK(all[0].event.helo == "client.example.com");
  CHECK(all[0].event.detail == "rejected after DATA: Your message scored 12.5 spam points");
  for (size_t i = 1; i < 12; ++i) {
    INFO(all[i].raw);
    CHECK(all[i].status == LineStatus::skip);
  }
  CHECK(all[12].event.action == MailAction::rejected);
  CHECK(all[12].event.to == "alice@example.org");
  CHECK(all[12].event.client_port == 51002);
  Family smtp = Family::smtp;
  auto s = sniff_format(test::read_sample("testdata/smtp/exim/rejectlog"), &smtp);
  REQUIRE(s.format != nullptr);
  CHECK(s.format->name == "exim");
  CHECK(s.score == 85);
}

TEST_CASE("exim: rejectlog headers and continuation lines", "[smtp][exim]") {
  MailHarness h("exim", "UTC");
  auto all = h.run(
      "2026-04-23 10:00:00 1wAbCd-000123-Ef H=(x) [203.0.113.9] F=<a@example.com> rejected "
      "after DATA: virus found\n"
      "Envelope-from: <a@example.com>\n"
      "Envelope-to: <b@example.org>\n"
      "P Received: from [203.0.113.9] (helo=x)\n"
      "\tby mx2.example.org with smtp (Exim 4.98)\n"
      "I Message-ID: <v1@example.com>\n"
      "  Subject: hello\n");
  REQUIRE(all.size() == 7);
  CHECK(all[0].event.action == MailAction::rejected);
  CHECK(all[0].event.queue_id == "1wAbCd-000123-Ef");
  CHECK(all[0].event.detail == "rejected after DATA: virus found");
  for (size_t i = 1; i < all.size(); ++i) {
    INFO(all[i].raw);
    CHECK(all[i].status == LineStatus::skip);
  }
  CHECK(all[1].reason == "rejectlog envelope line");
  CHECK(all[3].reason == "rejectlog header line");
  CHECK(all[4].reason == "continuation line");
}

TEST_CASE("exim: message ids", "[smtp][exim]") {
  MailHarness h("exim", "UTC");
  // Not an id: one character short, so the line is a notice.
  auto shortid = h.run("2026-04-23 10:00:00 1wAbCd-00012-Ef Completed\n");
  CHECK(one(shortid).status == LineStatus::skip);
  auto frozen = h.run("2026-04-23 10:00:00 1wAbCd-000123-Ef Message is frozen\n");
  CHECK(one(frozen).status == LineStatus::skip);
  CHECK(frozen[0].reason == "message status line");
  auto longid = h.run(
      "2026-04-23 10:00:00 1wAbCd-000123-Ef => a@example.net R=r T=t H=h [192.0.2.1]:25 "
      "C=\"250 OK id=1wAbZz-00000000xyZ-AB12\"\n");
  CHECK(one(longid).event.next_id == "1wAbZz-00000000xyZ-AB12");
}

TEST_CASE("exim: the time alone", "[smtp][exim]") {
  MailHarness h("exim", "UTC");
  auto parser = make_parser<MailEvent>(*h.format, h.ctx);
  MailEvent ev;
  Line line;
  line.text = "2026-04-23 16:19:00.250 1wAbCd-000123-Ef Completed";
  auto r = parser->parse_time(line, ev);
  CHECK(r.status == LineStatus::skip);
  CHECK(format_rfc3339(ev.time, true) == "2026-04-23T16:19:00.250Z");
  CHECK(ev.time_key == 23);
  line.text = "2026-04-23 16:19:00 mx2 exim[1]: 2026-04-23 16:18:59 1wAbCd-000123-Ef Completed";
  r = parser->parse_time(line, ev);
  CHECK(r.status == LineStatus::record);  // syslog-ng: the inner date, so a full parse
  CHECK(format_rfc3339(ev.time, false) == "2026-04-23T16:18:59Z");
  line.text = "2026-04-23 25:19:00 1wAbCd-000123-Ef Completed";
  CHECK(parser->parse_time(line, ev).status == LineStatus::malformed);
}

TEST_CASE("exim: every truncation of the sample lines", "[smtp][exim]") {
  // Cut anywhere, a line is read or refused, never read past its end.
  MailHarness h("exim", "UTC");
  auto parser = make_parser<MailEvent>(*h.format, h.ctx);
  std::string text = test::read_sample("testdata/smtp/exim/mainlog") +
                     test::read_sample("testdata/smtp/exim/syslog");
  size_t lines = 0, cut_dates = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    std::string whole = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++lines;
    for (size_t n = 1; n <= whole.size(); ++n) {
      std::string cut = whole.substr(0, n);  // owned, so a read past it is caught by ASan
      Line line;
      line.text = cut;
      MailEvent ev;
      LineResult r = parser->parse(line, ev);
      if (n < 19 && std::isdigit(static_cast<unsigned char>(whole[0]))) {
        ++cut_dates;
        INFO(cut);
        CHECK(r.status == LineStatus::malformed);
      }
    }
  }
  CHECK(lines == 22);
  CHECK(cut_dates == 18 * 18);
}

TEST_CASE("exim: sniff", "[smtp][exim]") {
  Family smtp = Family::smtp;
  auto s = sniff_format(test::read_sample("testdata/smtp/exim/mainlog"), &smtp);
  REQUIRE(s.format != nullptr);
  CHECK(s.format->name == "exim");
  CHECK(s.score == 85);
  auto sys = sniff_format(test::read_sample("testdata/smtp/exim/syslog"), &smtp);
  REQUIRE(sys.format != nullptr);
  CHECK(sys.format->name == "exim");
  const char* why = "";
  CHECK(formats::exim_format().sniff(
            "Apr 23 16:19:00 host sshd[1]: Accepted password for a from 192.0.2.1 port 2 ssh2\n",
            &why) == 0);
  CHECK(formats::exim_format().sniff("2026-04-23 16:19:00 something else\n", &why) == 0);
  // A shared syslog with a few Exim lines among many others.
  std::string mixed;
  for (int i = 0; i < 20; ++i) mixed += "Apr 23 16:19:00 mx2 CRON[1]: (root) CMD (true)\n";
  mixed += "Apr 23 16:19:01 mx2 exim[2]: 1wAbCd-000123-Ef Completed\n";
  CHECK(formats::exim_format().sniff(mixed, &why) == 0);  // one line is not enough
  mixed += "Apr 23 16:19:02 mx2 exim[2]: 1wAbCd-000124-Ef Completed\n";
  CHECK(formats::exim_format().sniff(mixed, &why) == 60);
  CHECK(std::string(why) == "exim[pid]: lines among other programs' syslog lines");
  CHECK(sys.score == 85);
}

TEST_CASE("exim: the public corpus", "[smtp][corpus]") {
  auto root = test::find_corpus();
  if (!root) return;
  struct Expect {
    size_t records, malformed;
    std::map<MailAction, size_t> actions;
  };
  // exim.ini is excluded: a Wazuh rule-test file whose sample lines are wrapped
  // as "log N pass = LINE" (it is read line by line below instead).
  const std::map<std::string, Expect> files = {
      // 3086 lines: 1157 rejected RCPT + 17 local_scan rejections, 43 arrivals,
      // 41 "=>" + 6 "**", 43 Completed, 11 "unexpected disconnection"; the
      // rest are SpamAssassin/DKIM notes, Warning:, queue runs, frozen.
      {"smtp-exim/mainlog",
       {1318,
        0,
        {{MailAction::rejected, 1174},
         {MailAction::received, 43},
         {MailAction::delivery, 47},
         {MailAction::completed, 43},
         {MailAction::disconnect, 11}}}},
      // fail2ban's test file: 62 lines are its "# failJSON" annotations (no
      // timestamp, malformed); the log lines are all read.
      {"smtp-exim/exim",
       {42,
        62,
        {{MailAction::auth_failed, 12}, {MailAction::rejected, 20}, {MailAction::disconnect, 10}}}},
      {"smtp-exim/hub__exim-syslog-logs__exim-logs.log",
       {10, 0, {{MailAction::auth_failed, 5}, {MailAction::rejected, 5}}}},
  };
  for (const auto& [rel, e] : files) {
    INFO(rel);
    auto text = test::read_corpus(rel);
    REQUIRE(text);
    Family smtp = Family::smtp;
    auto s = sniff_format(text->substr(0, 256 * 1024), &smtp);
    REQUIRE(s.format != nullptr);
    CHECK(s.format->name == "exim");
    MailHarness h("exim", "UTC");
    auto all = h.run(*text);
    size_t records = 0, malformed = 0;
    std::map<MailAction, size_t> actions;
    for (const auto& o : all) {
      if (o.status == LineStatus::record) {
        ++records;
        ++actions[o.event.action];
      }
      if (o.status == LineStatus::malformed) {
        ++malformed;
        INFO(o.raw);
        CHECK(o.reason == std::string("no timestamp (a comment line)"));
      }
    }
    CHECK(records == e.records);
    CHECK(malformed == e.malformed);
    CHECK(actions == e.actions);
  }

  // The Wazuh samples: every line is Exim's and none is malformed.
  auto ini = test::read_corpus("smtp-exim/exim.ini");
  REQUIRE(ini);
  std::string lines;
  size_t pos = 0, n = 0;
  while ((pos = ini->find(" pass = ", pos)) != std::string::npos) {
    size_t end = ini->find('\n', pos);
    lines += ini->substr(pos + 8, end - pos - 8) + "\n";
    pos = end;
    ++n;
  }
  CHECK(n == 7);
  MailHarness h("exim", "UTC");
  size_t records = 0;
  for (const auto& o : h.run(lines)) {
    INFO(o.raw << " -> " << o.reason);
    CHECK(o.status != LineStatus::malformed);
    if (o.status == LineStatus::record) ++records;
  }
  CHECK(records == 7);
}

TEST_CASE("exim claims no other corpus file", "[smtp][corpus]") {
  auto root = test::find_corpus();
  if (!root) return;
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(*root)) {
    if (!entry.is_regular_file()) continue;
    std::string path = entry.path().string();
    if (path.ends_with(".md") || path.ends_with("SOURCES.tsv")) continue;
    if (path.find("/smtp-exim/") != std::string::npos) continue;
    std::string error;
    auto bytes = open_input(path, error);
    if (!bytes) continue;
    LineReader reader(*bytes);
    const char* why = "";
    ++files;
    INFO(path << ": " << why);
    CHECK(formats::exim_format().sniff(reader.head(), &why) == 0);
  }
  CHECK(files > 100);
}

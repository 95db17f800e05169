#include <catch2/catch.hpp>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::MailHarness;

namespace {

std::string ip(const IpAddr& a) {
  return to_string(a);
}

constexpr std::string_view kHeader2010 =
    "#Software: Microsoft Exchange Server\n"
    "#Version: 14.03.0123.004\n"
    "#Log-type: Message Tracking Log\n"
    "#Date: 2026-04-23T10:00:00.000Z\n"
    "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
    "connector-id,source,event-id,internal-message-id,message-id,recipient-address,"
    "recipient-status,total-bytes,recipient-count,related-recipient-address,reference,"
    "message-subject,sender-address,return-path,message-info,directionality,tenant-id,"
    "original-client-ip,original-server-ip,custom-data\n";

}  // namespace

TEST_CASE("exchange-msgtrack: the sample MSGTRK log", "[smtp][exchange-msgtrack]") {
  MailHarness h("exchange-msgtrack");
  auto all = h.run(test::read_sample("testdata/smtp/exchange-msgtrack/MSGTRK2026042315-1.LOG"));
  REQUIRE(all.size() == 14);
  for (size_t i = 0; i < 5; ++i) {
    CHECK(all[i].status == LineStatus::skip);
    CHECK(all[i].reason == "header line");
  }

  // OWA submission: the user's address, not the mailbox server's.
  const auto& owa = all[5];
  REQUIRE(owa.status == LineStatus::record);
  const MailEvent& r = owa.event;
  CHECK(owa.time() == "2026-04-23T15:19:00.123Z");
  CHECK(r.action == MailAction::received);
  CHECK(r.queue_id == "72057594037927937");
  CHECK(r.message_id == "<a1@example.org>");
  CHECK(r.has_client);
  CHECK(ip(r.client) == "2001:db8::42");
  CHECK(r.client_name.empty());
  CHECK(r.client_port == 0);
  CHECK(r.from == "alice@example.org");
  CHECK(r.to == "bob@example.net;carol@example.net");
  CHECK(r.has_size);
  CHECK(r.size == 5120);
  CHECK(r.nrcpt == 2);
  CHECK(r.subject == "Budget, Q2 \"final\"");  // quoted, "" undone
  CHECK(r.protocol == "STOREDRIVER");
  CHECK(r.service == "exchange");
  CHECK(r.device == "MBX1");
  CHECK(r.user.empty());

  CHECK(all[6].status == LineStatus::skip);  // AGENTINFO
  CHECK(all[6].reason == "event records no hand-over, delivery or new id");
  CHECK(all[6].time() == "2026-04-23T15:19:00.200Z");

  const MailEvent& sent = all[7].event;
  REQUIRE(all[7].status == LineStatus::record);
  CHECK(sent.action == MailAction::delivery);
  CHECK(sent.status == "sent");
  CHECK(sent.queue_id == "72057594037927937");
  CHECK(sent.to == "bob@example.net");
  CHECK(sent.relay == "mx.example.net");
  CHECK(sent.has_relay_ip);
  CHECK(ip(sent.relay_ip) == "203.0.113.25");
  CHECK(sent.device == "MBX1");  // the sending side is the local server
  CHECK(sent.detail ==
        "250 2.6.0 <a1@example.org> [InternalId=9513821300000, Hostname=MX.example.net] 5120 "
        "bytes in 0.101, Queued mail for delivery");
  CHECK(sent.next_id == "9513821300000");
  CHECK(sent.subject == "Budget, Q2 \"final\"");

  const MailEvent& defer = all[8].event;
  CHECK(defer.action == MailAction::delivery);
  CHECK(defer.status == "deferred");
  CHECK(defer.to == "carol@example.net");
  CHECK(defer.detail == "451 4.4.0 DNS query failed");
  CHECK(defer.next_id.empty());

  const MailEvent& fail = all[9].event;
  CHECK(fail.status == "failed");
  CHECK(fail.detail == "550 4.4.7 QUEUE.Expired; message expired");
  CHECK(all[9].time() == "2026-04-24T15:19:02.000Z");

  const MailEvent& dsn = all[10].event;
  CHECK(dsn.action == MailAction::delivery);
  CHECK(dsn.status == "notification");
  CHECK(dsn.queue_id == "72057594037927950");
  CHECK(dsn.to == "alice@example.org");
  CHECK(dsn.from.empty());  // return-path <>: the null sender

  // From the Internet through the Front End proxy: the proxied client.
  const MailEvent& in = all[11].event;
  REQUIRE(all[11].status == LineStatus::record);
  CHECK(in.action == MailAction::received);
  CHECK(ip(in.client) == "203.0.113.77");
  CHECK(in.client_name == "mail.example.com");
  CHECK(in.from == "bounce+77@example.com");  // return-path, not sender-address
  CHECK(in.protocol == "SMTP");
  CHECK(in.nrcpt == 2);
  CHECK(in.size == 20480);

  const MailEvent& fork = all[12].event;
  REQUIRE(all[12].status == LineStatus::record);
  CHECK(fork.action == MailAction::delivery);
  CHECK(fork.status == "transferred");
  CHECK(fork.queue_id == "72057594037927990");
  CHECK(fork.next_id == "72057594037927991");
  CHECK(fork.to == "dave@example.org");

  const MailEvent& dlv = all[13].event;
  CHECK(dlv.action == MailAction::delivery);
  CHECK(dlv.status == "delivered");
  CHECK(dlv.to == "alice@example.org");
  CHECK(dlv.device == "MBX1");
  CHECK(dlv.detail == "250 2.1.5 Recipient OK");
}

TEST_CASE("exchange-msgtrack: Exchange 2010 columns, multi-recipient delivery",
          "[smtp][exchange-msgtrack]") {
  MailHarness h("exchange-msgtrack");
  std::string log(kHeader2010);
  log +=
      "2026-04-23T10:01:00.000Z,192.0.2.30,client.example.org,198.51.100.5,HUB1,"
      "08CD1234ABCD;2026-04-23T10:00:59.000Z;0,HUB1\\Default HUB1,SMTP,RECEIVE,1234,"
      "<c3@example.org>,bob@example.org;carol@example.org,,2048,2,,,Hello,"
      "eve@example.org,eve@example.org,,Incoming,,,,\n"
      "2026-04-23T10:01:02.000Z,198.51.100.5,HUB1,198.51.100.6,MBX2,,,STOREDRIVER,DELIVER,1234,"
      "<c3@example.org>,bob@example.org;carol@example.org,250 2.1.5 Recipient OK;"
      "250 2.1.5 Recipient OK,2048,2,,,Hello,eve@example.org,eve@example.org,,Incoming,,,,\n"
      "2026-04-23T10:01:03.000Z,198.51.100.5,HUB1,203.0.113.25,mx.example.net,08CD1234ABCE,"
      "Internet,SMTP,SEND,1234,<c3@example.org>,frank@example.net,250 2.1.5 Sender OK,2048,1,,,"
      "Hello,eve@example.org,eve@example.org,,Originating,,,,\n";
  auto recs = h.records(log);
  REQUIRE(recs.size() == 3);
  CHECK(recs[2].event.status == "sent");
  CHECK(recs[2].event.detail == "250 2.1.5 Sender OK");  // not the session id
  CHECK(recs[2].event.next_id.empty());
  CHECK(recs[2].event.device == "HUB1");
  CHECK(recs[2].event.relay == "mx.example.net");
  CHECK(recs[0].event.action == MailAction::received);
  CHECK(ip(recs[0].event.client) == "192.0.2.30");
  CHECK(recs[0].event.client_name == "client.example.org");
  CHECK(recs[0].event.queue_id == "1234");
  CHECK(recs[0].event.device == "HUB1");
  CHECK(recs[0].event.subject == "Hello");
  CHECK(recs[1].event.action == MailAction::delivery);
  CHECK(recs[1].event.status == "delivered");
  CHECK(recs[1].event.to == "bob@example.org;carol@example.org");
  CHECK(recs[1].event.detail == "250 2.1.5 Recipient OK;250 2.1.5 Recipient OK");
  CHECK(recs[1].event.device == "MBX2");
}

TEST_CASE("exchange-msgtrack: rows without a header, queue id reuse", "[smtp][exchange-msgtrack]") {
  MailHarness h("exchange-msgtrack");
  // 2013+ order assumed (30 columns); the same internal id on two days.
  std::string row1 =
      "2026-04-20T08:00:00.000Z,192.0.2.40,,198.51.100.5,MBX1,,,SMTP,RECEIVE,555,<d1@example.org>,"
      "11111111-2222-3333-4444-555555555555,x@example.org,,100,1,,,s1,a@example.org,a@example.org,,"
      "Incoming,,,,,Email,,15.02.0000.000\n";
  std::string row2 =
      "2026-04-27T08:00:00.000Z,192.0.2.41,,198.51.100.5,MBX1,,,SMTP,RECEIVE,555,<d2@example.org>,"
      "11111111-2222-3333-4444-666666666666,y@example.org,,200,1,,,s2,b@example.org,b@example.org,,"
      "Incoming,,,,,Email,,15.02.0000.000\n";
  auto recs = h.records(row1 + row2);
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].event.queue_id == "555");
  CHECK(recs[1].event.queue_id == "555");
  CHECK(recs[0].event.message_id == "<d1@example.org>");
  CHECK(recs[1].event.message_id == "<d2@example.org>");
  CHECK(ip(recs[1].event.client) == "192.0.2.41");
  CHECK(recs[1].event.to == "y@example.org");
  CHECK(recs[1].event.size == 200);
  CHECK(recs[1].time() == "2026-04-27T08:00:00.000Z");
}

TEST_CASE("exchange-msgtrack: malformed, skipped and foreign lines", "[smtp][exchange-msgtrack]") {
  MailHarness h("exchange-msgtrack");
  std::string log(kHeader2010);
  log +=
      "2026-13-23T10:01:00.000Z,192.0.2.30,,,HUB1,,,SMTP,RECEIVE,1,<x@example.org>,,,1,1,,,,,,,,,"
      ",,\n"                                                 // month 13
      "2026-04-23T10:01:00.000Z,192.0.2.30,,,HUB1,,,SMTP\n"  // truncated
      "2026-04-23T10:01:00.000Z,192.0.2.30,,,HUB1,\"unterminated\n"
      "2026-04-23T10:01:00.000Z,999.0.2.30,,,HUB1,,,SMTP,RECEIVE,1,<x@example.org>,,,1,1,,,,,,,,,,"
      "\n"
      "2026-04-23T10:01:00.000Z,,,,HUB1,,,SMTP,RECEIVE,1,<x@example.org>,,,many,1,,,,,,,,,,\n"
      "2026-04-23T10:01:00.000Z,,,,HUB1,,,SMTP,,1,<x@example.org>,,,1,1,,,,,,,,,,\n"
      "2026-04-23T10:02:00.000Z,,,,HUB1,,,STOREDRIVER,SUBMIT,1,<x@example.org>,,,1,1,,,,,,,,,,\n"
      "\n";
  auto all = h.run(log);
  REQUIRE(all.size() == 13);
  CHECK(all[5].status == LineStatus::malformed);
  CHECK(all[5].reason == "bad date-time");
  CHECK(all[6].status == LineStatus::malformed);
  CHECK(all[6].reason == "truncated row: no event-id column");
  CHECK(all[6].time() == "2026-04-23T10:01:00.000Z");
  CHECK(all[7].status == LineStatus::malformed);
  CHECK(all[7].reason == "unterminated quoted field");
  CHECK(all[8].status == LineStatus::malformed);
  CHECK(all[8].reason == "bad client-ip");
  CHECK(all[9].status == LineStatus::malformed);
  CHECK(all[9].reason == "bad total-bytes");
  CHECK(all[10].status == LineStatus::malformed);
  CHECK(all[10].reason == "empty event-id");
  CHECK(all[11].status == LineStatus::skip);
  CHECK(all[11].time() == "2026-04-23T10:02:00.000Z");
  CHECK(all[12].status == LineStatus::skip);
  CHECK(all[12].reason == "empty line");

  // The SMTP protocol log has the same header style: its rows are foreign.
  MailHarness p("exchange-msgtrack");
  auto proto = p.run(
      "#Software: Microsoft Exchange Server\n"
      "#Log-type: SMTP Receive Protocol Log\n"
      "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,"
      "event,data,context\n"
      "2026-04-23T10:00:00.000Z,HUB1\\Default HUB1,08CD,0,198.51.100.5:25,192.0.2.9:50000,+,,\n");
  REQUIRE(proto.size() == 4);
  CHECK(proto[3].status == LineStatus::foreign);
}

TEST_CASE("exchange-msgtrack: sniffing", "[smtp][exchange-msgtrack]") {
  const FormatInfo& f = formats::exchange_msgtrack_format();
  const char* why = "";
  CHECK(f.sniff(kHeader2010, &why) == 95);
  CHECK(f.sniff(test::read_sample("testdata/smtp/exchange-msgtrack/MSGTRK2026042315-1.LOG"),
                &why) == 95);
  CHECK(f.sniff("#Software: Microsoft Exchange Server\n#Log-type: SMTP Receive Protocol Log\n"
                "#Fields: date-time,connector-id,session-id\n"
                "2026-04-23T10:00:00.000Z,HUB1\\Default HUB1,08CD,0,198.51.100.5:25,"
                "192.0.2.9:50000,+,,\n",
                &why) == 0);
  CHECK(f.sniff("2026-04-23T10:01:00.000Z,192.0.2.30,c,198.51.100.5,HUB1,,,SMTP,RECEIVE,1,<x>\n",
                &why) == 80);
}

// The public corpus: the Elastic integration's message tracking rows (no
// header, Exchange 2016/2019 order). Two rows are HAREDIRECTFAIL and
// NOTIFYMAPI (skipped); RECEIVE x2, SEND and SENDEXTERNAL are records. The
// Exchange SMTP protocol log and the Wazuh .ini (HTTP proxy and ECP lines,
// each wrapped as "log N pass = ...") are other logs: not claimed.
TEST_CASE("exchange-msgtrack: the public corpus", "[smtp][corpus]") {
  auto text = test::read_corpus("smtp-exchange-msgtrack/test-messagetracking.log");
  if (!text) return;
  const char* why = "";
  CHECK(formats::exchange_msgtrack_format().sniff(*text, &why) == 80);
  auto best = sniff_format(*text, nullptr);
  REQUIRE(best.format);
  CHECK(best.format->name == "exchange-msgtrack");
  MailHarness h("exchange-msgtrack");
  auto all = h.run(*text);
  REQUIRE(all.size() == 6);
  size_t records = 0, skipped = 0;
  for (const auto& o : all) {
    INFO(o.raw << " -> " << o.reason);
    CHECK(o.status != LineStatus::malformed);
    records += o.status == LineStatus::record;
    skipped += o.status == LineStatus::skip;
  }
  CHECK(records == 4);
  CHECK(skipped == 2);
  // The proxied client of the Front End hop.
  CHECK(ip(all[1].event.client) == "10.11.12.13");
  CHECK(all[1].event.client_name == "host01.my.domain.com");
  CHECK(all[4].event.status == "sent");
  CHECK(all[4].event.next_id == "5450313518243");
  CHECK(all[4].event.from.empty());

  for (const char* rel : {"smtp-exchange/exchange-smtp-logs.log", "smtp-exchange/exchange.ini"}) {
    auto other = test::read_corpus(rel);
    if (!other) continue;
    INFO(rel);
    CHECK(formats::exchange_msgtrack_format().sniff(*other, &why) == 0);
  }
}

#include <catch2/catch.hpp>
#include <filesystem>

#include "format_list.h"
#include "parse_harness.h"
#include "tracekit/input.h"

using namespace tracekit;
using tracekit::test::MailHarness;

namespace {

std::string ip(const IpAddr& a) {
  return to_string(a);
}

}  // namespace

TEST_CASE("zeek-smtp: the sample smtp.log (TSV)", "[smtp][zeek-smtp]") {
  MailHarness h("zeek-smtp");
  auto all = h.run(test::read_sample("testdata/smtp/zeek-smtp/smtp.log"));
  REQUIRE(all.size() == 13);
  for (size_t i = 0; i < 8; ++i) CHECK(all[i].status == LineStatus::skip);
  CHECK(all[12].status == LineStatus::skip);  // #close

  const MailEvent& r = all[8].event;
  REQUIRE(all[8].status == LineStatus::record);
  CHECK(all[8].time() == "2026-04-23T15:19:00.123456Z");
  CHECK(r.action == MailAction::received);
  CHECK(r.has_client);
  CHECK(ip(r.client) == "192.0.2.10");
  CHECK(r.client_port == 49152);
  CHECK(r.has_relay_ip);
  CHECK(ip(r.relay_ip) == "198.51.100.25");
  CHECK(r.relay_port == 25);
  CHECK(r.helo == "ws1.example.org");
  CHECK(r.from == "alice@example.org");
  CHECK(r.to == "bob@example.net,carol@example.net");
  CHECK(r.message_id == "<a1@example.org>");
  CHECK(r.subject == "Budget, Q2");  // \x2c undone
  CHECK(r.detail == "250 2.0.0 Ok: queued as 4D1E21A0B3C");
  CHECK(r.queue_id == "4D1E21A0B3C");
  CHECK(r.service == "zeek");
  CHECK(r.device == "198.51.100.25");

  const MailEvent& v6 = all[9].event;
  REQUIRE(all[9].status == LineStatus::record);
  CHECK(ip(v6.client) == "2001:db8::10");
  CHECK(ip(v6.relay_ip) == "2001:db8::25");
  CHECK(v6.relay_port == 587);
  CHECK(v6.from == "dave@example.org");  // angle brackets dropped
  CHECK(v6.to == "erin@example.com");
  CHECK(v6.queue_id == "1uAbCd-000123-Xy");  // Exim's id=
  CHECK(v6.device == "2001:db8::25");

  const MailEvent& tls = all[10].event;
  REQUIRE(all[10].status == LineStatus::record);
  CHECK(tls.action == MailAction::connect);
  CHECK(ip(tls.client) == "203.0.113.5");
  CHECK(tls.helo == "mail.example.com");
  CHECK(tls.queue_id.empty());
  CHECK(tls.from.empty());

  const MailEvent& rej = all[11].event;
  REQUIRE(all[11].status == LineStatus::record);
  CHECK(rej.action == MailAction::rejected);
  CHECK(ip(rej.client) == "203.0.113.66");
  CHECK(rej.from == "x@example.com");
  CHECK(rej.to == "nobody@example.net");
  CHECK(rej.helo == "spam.example.com");
  CHECK(rej.detail == "554 5.7.1 <nobody@example.net>: Relay access denied");
  CHECK(rej.queue_id.empty());
}

TEST_CASE("zeek-smtp: the sample smtp.json (JSON lines)", "[smtp][zeek-smtp]") {
  MailHarness h("zeek-smtp");
  auto all = h.run(test::read_sample("testdata/smtp/zeek-smtp/smtp.json"));
  REQUIRE(all.size() == 3);
  for (const auto& o : all) {
    INFO(o.raw << " -> " << o.reason);
    REQUIRE(o.status == LineStatus::record);
  }
  const MailEvent& r = all[0].event;
  CHECK(all[0].time() == "2026-04-23T15:19:00.123456Z");  // ISO 8601 ts
  CHECK(r.action == MailAction::received);
  CHECK(r.to == "bob@example.net,carol@example.net");  // the array as a comma list
  CHECK(r.subject == "Caf\xc3\xa9 \"menu\"");
  CHECK(r.queue_id == "4D1E21A0B3C");
  CHECK(r.client_port == 49152);

  const MailEvent& sm = all[1].event;
  CHECK(all[1].time() == "2026-04-23T15:20:00.250Z");
  CHECK(ip(sm.client) == "2001:db8::10");
  CHECK(sm.queue_id == "u3NFK0a1012345");  // Sendmail's "Message accepted for delivery"
  CHECK(sm.to == "erin@example.com");

  CHECK(all[2].event.action == MailAction::connect);
}

TEST_CASE("zeek-smtp: zeek-cut output, unset and empty fields", "[smtp][zeek-smtp]") {
  MailHarness h("zeek-smtp");
  auto all = h.run(
      "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\thelo\tmailfrom\trcptto\t"
      "msg_id\tlast_reply\n"
      "1776957540.5\tC1\t192.0.2.20\t50001\t198.51.100.25\t25\t1\th.example.org\ta@example.org\t"
      "b@example.net\t-\t250 2.0.0 Ok: queued as 3F2A1B\n"
      "1776957541.5\tC1\t192.0.2.20\t50001\t198.51.100.25\t25\t2\th.example.org\ta@example.org\t"
      "(empty)\t-\t-\n");
  REQUIRE(all.size() == 3);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].reason == "column header");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.queue_id == "3F2A1B");
  CHECK(all[1].event.message_id.empty());
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.action == MailAction::received);  // mailfrom seen, no reply logged
  CHECK(all[2].event.to.empty());
  CHECK(all[2].event.detail.empty());
  CHECK(all[2].event.queue_id.empty());
}

TEST_CASE("zeek-smtp: malformed and foreign rows", "[smtp][zeek-smtp]") {
  MailHarness h("zeek-smtp");
  auto all = h.run(
      "#separator \\x09\n#path\tsmtp\n"
      "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\thelo\tmailfrom\n"
      "XXXXXXXXXX.XXXXXX\tC1\t192.0.2.1\t1470\t198.51.100.25\t25\th\ta@example.org\n"
      "1776957540.0\tC1\t192.0.2.999\t1470\t198.51.100.25\t25\th\ta@example.org\n"
      "1776957540.0\tC1\t192.0.2.1\t99999\t198.51.100.25\t25\th\ta@example.org\n"
      "1776957540.0\tC1\n"
      "{\"ts\":1776957540.0,\"id.orig_h\":\"192.0.2.1\"\n"
      "{\"_path\":\"http\",\"ts\":1776957540.0,\"id.orig_h\":\"192.0.2.1\"}\n");
  REQUIRE(all.size() == 9);
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[3].reason == "timestamp not a number");
  CHECK(all[4].status == LineStatus::malformed);
  CHECK(all[4].reason == "bad id.orig_h");
  CHECK(all[4].time() == "2026-04-23T15:19:00.000Z");
  CHECK(all[5].status == LineStatus::malformed);
  CHECK(all[5].reason == "bad id.orig_p");
  CHECK(all[6].status == LineStatus::malformed);
  CHECK(all[6].reason == "truncated row");
  CHECK(all[7].status == LineStatus::malformed);
  CHECK(all[7].reason == "JSON: expected ',' or '}'");
  CHECK(all[8].status == LineStatus::foreign);

  MailHarness other("zeek-smtp");
  auto conn = other.run("#separator \\x09\n#path\tconn\n#fields\tts\tuid\n1776957540.0\tC1\n");
  REQUIRE(conn.size() == 4);
  CHECK(conn[3].status == LineStatus::foreign);
}

TEST_CASE("zeek-smtp: sniffing", "[smtp][zeek-smtp]") {
  const FormatInfo& f = formats::zeek_smtp_format();
  const char* why = "";
  CHECK(f.sniff(test::read_sample("testdata/smtp/zeek-smtp/smtp.log"), &why) == 95);
  CHECK(f.sniff(test::read_sample("testdata/smtp/zeek-smtp/smtp.json"), &why) == 90);
  CHECK(f.sniff("#separator \\x09\n#path\thttp\n", &why) == 0);
  CHECK(
      f.sniff("ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\thelo\tmailfrom\n",
              &why) == 85);
  CHECK(f.sniff("{\"ts\":1.0,\"uid\":\"C1\",\"id.orig_h\":\"192.0.2.1\",\"method\":\"GET\"}\n",
                &why) == 0);
}

// The public corpus: Zeek's own test baselines (ts canonified to
// XXXXXXXXXX.XXXXXX, so every row is malformed "timestamp not a number"), the
// zed sample data (TSV with real times) and its JSON twin.
TEST_CASE("zeek-smtp: the public corpus", "[smtp][corpus]") {
  auto root = test::find_corpus("smtp-zeek");
  if (!root) return;
  struct Expect {
    const char* file;
    size_t records, malformed;
  };
  const Expect expects[] = {
      {"smtp.json", 1188, 0},
      {"zed-sample-data__smtp.log", 1188, 0},
      {"zeek__scripts.base.protocols.http.http-connect__smtp.log", 0, 1},
      {"zeek__scripts.base.protocols.smtp.attachment__smtp.log", 0, 2},
      {"zeek__scripts.base.protocols.smtp.basic__smtp.log", 0, 2},
      {"zeek__scripts.base.protocols.smtp.bdat-pipeline-8bitmime__smtp.log", 0, 2},
      {"zeek__scripts.base.protocols.smtp.mail-transactions-invalid__smtp.log", 0, 4},
      {"zeek__scripts.base.protocols.smtp.one-side__smtp.log", 0, 2},
      {"zeek__scripts.base.protocols.smtp.starttls__smtp.log", 0, 1},
  };
  for (const auto& e : expects) {
    INFO(e.file);
    auto text = test::read_corpus(std::string("smtp-zeek/") + e.file);
    REQUIRE(text);
    auto best = sniff_format(*text, nullptr);
    REQUIRE(best.format);
    CHECK(best.format->name == "zeek-smtp");
    MailHarness h("zeek-smtp");
    size_t records = 0, malformed = 0, connects = 0, rejects = 0, received = 0;
    for (const auto& o : h.run(*text)) {
      if (o.status == LineStatus::malformed) {
        ++malformed;
        CHECK(o.reason == "timestamp not a number");
      }
      if (o.status != LineStatus::record) continue;
      ++records;
      connects += o.event.action == MailAction::connect;
      rejects += o.event.action == MailAction::rejected;
      received += o.event.action == MailAction::received;
    }
    CHECK(records == e.records);
    CHECK(malformed == e.malformed);
    if (e.records == 1188) {
      // A scanner's sessions: STARTTLS (nothing seen), refusals, one message.
      CHECK(connects == 1176);
      CHECK(rejects == 11);
      CHECK(received == 1);
    }
  }

  // No other log of the corpus is taken for a Zeek smtp.log.
  auto all_root = test::find_corpus();
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(*all_root)) {
    if (!entry.is_regular_file()) continue;
    std::string path = entry.path().string();
    if (path.find("/smtp-zeek/") != std::string::npos ||
        path.find("/smtp-exchange-msgtrack/") != std::string::npos)
      continue;
    if (path.ends_with(".md") || path.ends_with("SOURCES.tsv")) continue;
    std::string error;
    auto bytes = open_input(path, error);
    if (!bytes) continue;
    LineReader reader(*bytes);
    std::string_view head = reader.head();
    const char* why = "";
    INFO(path);
    CHECK(formats::zeek_smtp_format().sniff(head, &why) == 0);
    CHECK(formats::exchange_msgtrack_format().sniff(head, &why) == 0);
    ++files;
  }
  CHECK(files > 100);
}

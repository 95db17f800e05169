#include "tracekit/mail_headers.h"

#include <catch2/catch.hpp>

using namespace tracekit;

namespace {
std::string utc(Instant t) {
  return format_rfc3339(t, false);
}
}  // namespace

TEST_CASE("RFC 5322 dates, with offsets and obsolete zone names", "[mail][headers]") {
  Instant t;
  REQUIRE(parse_rfc5322_date("Thu, 23 Apr 2026 16:19:00 +0100 (BST)", t));
  CHECK(utc(t) == "2026-04-23T15:19:00Z");
  REQUIRE(parse_rfc5322_date("23 Apr 2026 16:19 -0400", t));
  CHECK(utc(t) == "2026-04-23T20:19:00Z");
  REQUIRE(parse_rfc5322_date("Thu, 23 Apr 26 16:19:00 GMT", t));
  CHECK(utc(t) == "2026-04-23T16:19:00Z");
  REQUIRE(parse_rfc5322_date("Thu, 23 Apr 2026 11:19:00 EST", t));
  CHECK(utc(t) == "2026-04-23T16:19:00Z");
  CHECK_FALSE(parse_rfc5322_date("Thu, 23 Foo 2026 16:19:00 +0100", t));
  CHECK_FALSE(parse_rfc5322_date("Thu, 23 Apr 2026 16:19:00 XYZ", t));
  CHECK_FALSE(parse_rfc5322_date("yesterday", t));
  CHECK_FALSE(parse_rfc5322_date("Thu, 23 Apr 2026 25:19:00 +0100", t));
  // Regression (fuzz: time/rfc5322-year-overflow): a year whose seconds
  // overflow is no date.
  CHECK_FALSE(parse_rfc5322_date("Thu, 23 Apr 2147483 16:19:00 +0100", t));
  CHECK_FALSE(parse_rfc5322_date("Thu, 23 Apr 0000 16:19:00 +0100", t));
  // Regression (fuzz: mail-header/date-negative-hour-overflow): a signed
  // field is no date (its hours times 3600 overflowed an int).
  CHECK_FALSE(parse_rfc5322_date("Sat, 24 Oct 2 -7014800:00 +1100", t));
  CHECK_FALSE(parse_rfc5322_date("Sat, 24 Oct 2026 -1:00 +1100", t));
  CHECK_FALSE(parse_rfc5322_date("Sat, 24 Oct 2026 10:-5 +1100", t));
  CHECK_FALSE(parse_rfc5322_date("Sat, -24 Oct 2026 10:05 +1100", t));
}

TEST_CASE("a pasted header: folded Received lines read into their clauses", "[mail][headers]") {
  constexpr std::string_view kHeader =
      "Return-Path: <alice@example.org>\r\n"
      "Received: from mx.example.net (mx.example.net [198.51.100.25])\r\n"
      "\tby mail.example.com (Postfix) with ESMTPS id 4XkTZD3H6Gz9vNx\r\n"
      "\tfor <bob@example.com>; Thu, 23 Apr 2026 16:19:05 +0100 (BST)\r\n"
      "Received: from [IPv6:2001:db8::25] (unknown [IPv6:2001:db8::25])\r\n"
      "\t(Authenticated sender: alice)\r\n"
      "\tby mx1.example.org (Postfix) with ESMTPSA id 4D1E21A0B3C;\r\n"
      "\tThu, 23 Apr 2026 16:19:00 +0100 (BST)\r\n"
      "Message-ID: <20260423151900.GA1234@example.org>\r\n"
      "Date: Thu, 23 Apr 2026 16:18:58 +0100\r\n"
      "X-Originating-IP: [203.0.113.9]\r\n"
      "Subject: the body starts after the blank line\r\n"
      "\r\n"
      "Received: not a header: the body\r\n";
  MailHeader h = parse_mail_header(kHeader);
  REQUIRE(h.received.size() == 2);
  const ReceivedLine& top = h.received[0];
  CHECK(top.index == 1);
  CHECK(top.line == 2);
  CHECK(top.by == "mail.example.com");
  CHECK(top.with == "ESMTPS");
  CHECK(top.id == "4XkTZD3H6Gz9vNx");
  CHECK(top.for_addr == "<bob@example.com>");
  REQUIRE(top.has_from_ip);
  CHECK(to_string(top.from_ip) == "198.51.100.25");
  CHECK(utc(top.date) == "2026-04-23T15:19:05Z");
  const ReceivedLine& first = h.received[1];
  CHECK(first.by == "mx1.example.org");
  CHECK(first.id == "4D1E21A0B3C");
  CHECK(first.with == "ESMTPSA");
  REQUIRE(first.has_from_ip);
  CHECK(to_string(first.from_ip) == "2001:db8::25");
  CHECK(utc(first.date) == "2026-04-23T15:19:00Z");
  CHECK(h.message_id == "<20260423151900.GA1234@example.org>");
  CHECK(utc(h.date) == "2026-04-23T15:18:58Z");
  CHECK(h.x_originating_ip == "203.0.113.9");
}

TEST_CASE("a header with no Received line, or garbage, gives what it can", "[mail][headers]") {
  MailHeader h = parse_mail_header("\nFrom: x\nno colon here\nReceived: by localhost\n");
  REQUIRE(h.received.size() == 1);
  CHECK(h.received[0].by == "localhost");
  CHECK_FALSE(h.received[0].has_from_ip);
  CHECK(h.received[0].date == kNoTime);
  CHECK(parse_mail_header("").received.empty());
  CHECK(parse_mail_header(std::string(5000, '\n')).received.empty());
}

TEST_CASE("is_our_host: full names, short names, domains", "[mail][headers]") {
  std::vector<std::string> ours = {"mx1", "relay.example.org", ".campus.example.org"};
  CHECK(is_our_host("mx1.example.org", ours));
  CHECK(is_our_host("MX1", ours));
  CHECK(is_our_host("relay.example.org.", ours));
  CHECK(is_our_host("smtp.campus.example.org", ours));
  CHECK_FALSE(is_our_host("campus.example.org", ours));
  CHECK_FALSE(is_our_host("mx10.example.org", ours));
  CHECK_FALSE(is_our_host("relay.example.net", ours));
  CHECK_FALSE(is_our_host("", ours));
}

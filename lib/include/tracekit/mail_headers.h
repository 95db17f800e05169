// A message's header as a complainant pastes it, read for what our logs can
// check: the Received lines (which server says it took the message, from
// which address, under which queue ID, when), the Message-ID, the Date and
// X-Originating-IP. Headers are written by whoever sent the message, each
// Received line by the server that added it: only the lines that claim our
// own servers can be checked against our logs, and a forger can write those
// too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tracekit/net.h"
#include "tracekit/time.h"

namespace tracekit {

struct ReceivedLine {
  size_t index = 0;      // 1 = the top one (the last server to add one)
  uint64_t line = 0;     // the header line it starts on (1-based)
  std::string text;      // unfolded
  std::string from;      // the "from" clause as written (helo, rDNS, [address])
  std::string by;        // the server that added it
  std::string with;      // protocol (ESMTP, ESMTPSA, ...)
  std::string id;        // the server's queue ID
  std::string for_addr;  // "for <x>"
  bool has_from_ip = false;
  IpAddr from_ip;          // the sending address the server recorded
  Instant date = kNoTime;  // after the ';'
  std::string date_text;
};

struct MailHeader {
  std::vector<ReceivedLine> received;  // top first
  std::string message_id, date_text, x_originating_ip;
  Instant date = kNoTime;
  uint64_t lines = 0;
};

// Reads a pasted header from `path` ("-": stdin; gzip and zstd read as they
// are), at most 1 MiB (a header is a few KiB; the rest would be the body).
// False with `error` when it cannot be read.
bool read_header_file(const std::string& path, std::string& text, std::string& error);

// Reads a header (stopping at the first empty line: the body). Lines folded
// with leading white space are joined. Never fails: what cannot be read is
// left empty.
MailHeader parse_mail_header(std::string_view text);

// An RFC 5322 date ("Thu, 23 Apr 2026 16:19:00 +0100 (BST)"; the obsolete
// zone names UT, GMT, EST... too). False when it is none.
bool parse_rfc5322_date(std::string_view s, Instant& out);

// Whether `host` (a Received line's "by") is one of `ours`: the same name
// ignoring case, the same first label as a short name in `ours` ("mx1"
// names mx1.example.org), or under a domain given with a leading dot.
bool is_our_host(std::string_view host, const std::vector<std::string>& ours);

}  // namespace tracekit

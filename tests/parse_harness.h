// Test helper: runs one format's DHCP parser over text given as a string
// literal and keeps every line's outcome with owned copies of its fields.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tracekit/format.h"
#include "tracekit/net.h"
#include "tracekit/time.h"

namespace tracekit::test {

struct DhcpOutcome {
  LineStatus status;
  std::string reason;
  uint64_t line = 0;  // line the outcome was returned on (for records: the record's first line)
  DhcpEvent event;    // string_views cleared; use the copies below
  std::string host, client_id, server, relay, raw;
  std::string ip() const { return to_string(event.ip); }
  std::string mac() const { return event.has_mac ? to_string(event.mac) : ""; }
  std::string time() const { return format_rfc3339(event.time, event.time_flags & kHasFraction); }
};

struct DhcpHarness {
  // `zone` for zone-less timestamps; `year` for year-less ones (0: infer from
  // `mtime`).
  explicit DhcpHarness(std::string_view format, std::string_view zone = "UTC", int year = 2026,
                       Instant mtime = kNoTime);
  // Feeds every line of `text` and then finish(); returns all outcomes.
  std::vector<DhcpOutcome> run(std::string_view text);
  // Only the records.
  std::vector<DhcpOutcome> records(std::string_view text);

  const FormatInfo* format = nullptr;
  InputFile file;
  LocalTimeConverter local;
  YearTracker years;
  ParseContext ctx;
};

Instant utc(std::string_view rfc3339);  // parse or throw, for expectations

}  // namespace tracekit::test

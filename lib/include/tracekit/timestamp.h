// Fixed-position parsers for the timestamps logs write, shared by every format.
// None allocates; each returns false when the text is not exactly its form.
#pragma once

#include <cstdint>
#include <string_view>

#include "tracekit/format.h"
#include "tracekit/time.h"

namespace tracekit {

// "2026-04-23T16:19:00[.123456][Z|+01:00|+0100]" or with a space for 'T'. When
// the text carries no offset, the time is local to ctx.local. `consumed` gets
// the length read (the caller decides what may follow).
bool parse_iso_timestamp(std::string_view s, const ParseContext& ctx, Instant& out, uint8_t& flags,
                         size_t& consumed);

// "Apr 10 09:45:50" / "Apr  9 09:45:50" (15 characters, year-less, local).
bool parse_bsd_timestamp(std::string_view s, const ParseContext& ctx, Instant& out, uint8_t& flags);

// "1714000000" or "1714000000.123456" seconds since the epoch (UTC).
bool parse_epoch_timestamp(std::string_view s, Instant& out, uint8_t& flags);

// A syslog line's header, whatever the transport wrote: BSD (RFC 3164) with or
// without <PRI>, RFC 5424, ISO-timestamp (rsyslog's high-precision format), and
// the tagged lines of public log archives ("- 1131566501 2005.11.09 node Nov 9
// 12:01:41 src@node prog: ...").
struct SyslogHeader {
  Instant time = kNoTime;
  uint8_t time_flags = 0;
  std::string_view host;
  std::string_view program;  // "dhcpd" of "dhcpd[123]:"
  std::string_view pid;
  std::string_view message;          // after "prog[pid]: " (RFC 5424: after the structured data)
  std::string_view structured_data;  // RFC 5424 only, "-" when none
};

// Returns true when `line` has a syslog header; `reason` says why not.
bool parse_syslog_header(std::string_view line, const ParseContext& ctx, SyslogHeader& out,
                         const char** reason);

}  // namespace tracekit

// Dates and times as exports and registers write them in a column: a bare
// date ("2026-09-01", midnight in the source's zone) or a date-time (RFC 3339,
// or ISO 8601 with a space and no offset, local to the source's zone).
#pragma once

#include <string_view>

#include "tracekit/format.h"

namespace tracekit {

// The whole of `s` as a date or a date-time; false for anything else. Local
// times are converted with ctx.local and flagged in `flags` (DST fold or gap,
// ctx.zone_flags).
bool parse_date_or_time(std::string_view s, const ParseContext& ctx, Instant& out, uint8_t& flags);

}  // namespace tracekit

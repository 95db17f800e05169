#include "tracekit/date_field.h"

#include "tracekit/timestamp.h"

namespace tracekit {

namespace {

bool digits(std::string_view s, size_t at, size_t n, unsigned& v) {
  v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + unsigned(s[i] - '0');
  }
  return true;
}

}  // namespace

bool parse_date_or_time(std::string_view s, const ParseContext& ctx, Instant& out, uint8_t& flags) {
  flags = 0;
  if (s.size() == 10) {
    unsigned y, m, d;
    if (s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, m) ||
        !digits(s, 8, 2, d) || !valid_date(int(y), m, d) || !ctx.local)
      return false;
    out = ctx.local->to_utc(days_from_civil(y, m, d), 0, flags);
    flags |= ctx.zone_flags;
    return true;
  }
  size_t consumed = 0;
  if (!parse_iso_timestamp(s, ctx, out, flags, consumed) || consumed != s.size()) return false;
  return true;
}

}  // namespace tracekit

// The evidence report trace-ip writes with --report: what a reply to a CSIRT
// or the police needs, for each query: the question as received and as read,
// the answer, each hop with its evidence lines quoted raw with file and line,
// every time in UTC and in the site's zone, the clock-skew allowance and the
// inferences the answer rests on, what could not be established and why; then
// the input files (size, modification time, SHA-256) and how the run was made
// (tool version, command line, time of run, tz database).
//
// Plain text reads well in a mail or a case file; Markdown (--report=md)
// pastes into a ticket. Both carry the same content.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "tracekit/chain.h"

namespace tracekit {

enum class ReportStyle : uint8_t { text, md };
bool parse_report_style(std::string_view s, ReportStyle& out);  // "text" | "md"

struct ReportRun {
  // The zone a reader of the report thinks in: --tz, else the sources' zone
  // when they agree on one; null: UTC only.
  const date::time_zone* site_zone = nullptr;
};

// The zone to show beside UTC: --tz when given, else the zone every source
// and directory of the run names (null when they name none or several).
const date::time_zone* report_zone(const ToolRun& run, const std::vector<SourceSpec>& directories);

// Writes the report of `rows` (the chain's answer to `queries`; query_of[k]
// is the query of rows[k]) to `out`. The input files are those noted on
// `run`, hashed now; the command line and time of run are run's.
void write_report(FILE* out, ReportStyle style, const ToolRun& run, const ReportRun& how,
                  const Chain& chain, const std::vector<ChainQuery>& queries,
                  const std::vector<Row>& rows, const std::vector<size_t>& query_of);

}  // namespace tracekit

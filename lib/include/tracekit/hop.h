// What every hop (lease, nat, login, owner) does the same way when it answers
// a query row: pass rows whose earlier hop found nothing, quote evidence, and
// say what an answer's times depend on (DST, an inferred year, an assumed zone).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tracekit/codec.h"
#include "tracekit/records.h"
#include "tracekit/scan.h"

namespace tracekit {

// Whether a hop before `this_hop` in the row matched none, gap or skipped
// (DESIGN.md: such a row passes through unchanged, this hop: match=skipped),
// and no hop after it answered without it (a login session that assigned
// the address the DHCP hop found no lease for).
bool earlier_hop_failed(const Row& row, std::string_view this_hop);

// A hop's answer rows are the query's row with the hop's fields after it.
// A caller that has no more use for the query's row sets the query's
// fields_only: the answers then hold the hop's fields alone, and
// put_after(row, answers) gives the same rows as without it, the row moved
// into the last of them rather than copied into each (a batch's rows hold
// every hop before: copies are most of the chain's work).
template <class Query>
Row answer_base(const Query& q) {
  return q.fields_only ? Row::object() : q.row;
}
// (`row` is a reference, moved from only inside: a caller may pass
// std::move(q.row) and hop.answer(q) in the same call, in either order.)
std::vector<Row> put_after(Row&& row, std::vector<Row> answers);
// One answer row (moved: a braced list would copy it).
std::vector<Row> one_row(Row&& row);

// The row's time as an instant (a zone-less time read in `zone`): url.time
// or mail.time when a trace-url or trace-mail hop gave one (the request's or
// message's own time), else `time`.
// False with `error` ("no time field", "field time: ...") when it cannot.
bool row_time(const Row& row, const date::time_zone* zone, Instant& out, std::string& error);

// A listing tool's time of interest (trace-url, trace-mail): a time, matched
// within the skew, or a window [from, to) with either end open; all kNoTime:
// any time.
struct QueryWindow {
  Instant time = kNoTime, from = kNoTime, to = kNoTime;
  bool none() const { return time == kNoTime && from == kNoTime && to == kNoTime; }
};
// Writes the window into a query row: time, from and to (RFC 3339 UTC), those set.
void put_window(Row& row, const QueryWindow& w);
// Reads the fields time, from and to of a query record (zone-less times in
// `zone`). False with `error` when one cannot be read, or when both a time
// and from/to are given.
bool row_window(const Row& row, const date::time_zone* zone, QueryWindow& w, std::string& error);
// The verdict when nothing was found for window `w` (time within `skew`):
// none where the logs cover it, else gap with `why`; with no window, gap
// only when no line was read at all (`why`: "no LOGS log line was read").
MatchKind no_candidate_in(const Coverage& coverage, const QueryWindow& w, Micros skew,
                          std::string_view logs, std::string& why);
// For a window the logs cover only in part: what is missing, as a note
// ("the logs do not cover all of the window (...): WHAT may be missing"), or
// "" when they cover it (or when `w` is a time, not a window).
std::string partial_window_note(const Coverage& coverage, const QueryWindow& w,
                                std::string_view what);

// The verdict when no candidate was found in [t - skew, t + skew]: none where
// the logs cover the window (and reach back `lookback` before t, so that an
// interval begun earlier would have been seen), else gap with `why` saying
// which coverage is missing. `lookback_name` names the lookback ("the lease
// time"), `earlier` says what could have been missed ("a lease granted
// earlier could still have been active").
MatchKind no_candidate(const Coverage& coverage, Instant t, Micros skew, Micros lookback,
                       std::string_view lookback_name, std::string_view earlier, std::string& why);

// The caveat of an answer with a candidate (`whose`: "the lease of ...",
// "jdoe's session") that one reading of a DST-ambiguous start or end puts
// at the time asked and the other does not.
std::string fold_doubt(std::string_view whose);

// {file, line, offset, raw} for JSON Lines evidence (TSV shows FILE:LINE).
nlohmann::ordered_json evidence_item(const std::vector<ScanFile>& files, const EvidenceRef& ref,
                                     std::string_view raw);

// An event an answer rests on, for the notes about its time.
struct TimeNoteRef {
  EvidenceRef ref;
  uint8_t time_flags = 0;
};
// Appends to `notes` what the TimeFlag bits of the events say: a DST-ambiguous
// or nonexistent local time, a year inferred from a file's modification time,
// a time that is a lower bound, a zone assumed. Names the files and lines.
void add_time_notes(std::span<const TimeNoteRef> events, const std::vector<ScanFile>& files,
                    std::vector<std::string>& notes);

std::string join_notes(const std::vector<std::string>& notes);  // "a; b; c"

// The query's skew widened by the largest known clock uncertainty of `sources`.
Micros widen_skew(Micros skew, const std::vector<SourceSpec>& all,
                  const std::vector<uint32_t>& sources);

// The sources that gave at least one file to `files`.
std::vector<uint32_t> sources_read(const std::vector<ScanFile>& files);

}  // namespace tracekit

#include "tracekit/hop.h"

#include <fmt/format.h>

#include <algorithm>

namespace tracekit {

std::vector<Row> put_after(Row&& row, std::vector<Row> answers) {
  for (size_t k = 0; k < answers.size(); ++k) {
    Row full;
    if (k + 1 < answers.size())
      full = row;  // a copy for each answer but the last
    else
      full = std::move(row);
    // (A field the row has already, a hop's from an earlier pass, is
    // replaced where it is: as when the answer started from the row. Found
    // and appended in place: operator[] would copy each key and assign to a
    // null it made.)
    if (answers[k].is_object() && !answers[k].empty()) {
      if (full.is_null()) full = Row::object();
      for (auto& [key, value] : answers[k].get_ref<Row::object_t&>()) {
        if (Row* at = field_of(full, key))
          *at = std::move(value);
        else
          append_field(full, key, std::move(value));
      }
    }
    answers[k] = std::move(full);
  }
  return answers;
}

std::vector<Row> one_row(Row&& row) {
  std::vector<Row> rows;
  rows.push_back(std::move(row));
  return rows;
}

bool earlier_hop_failed(const Row& row, std::string_view this_hop) {
  // Hops stand in the row in chain order. A hop that found nothing fails the
  // rest, unless a later hop found the answer without it: a VPN or RADIUS
  // session that assigned the address the DHCP hop has no lease for.
  // (The fields walked as they are stored: every row of a batch, at each
  // hop.)
  bool failed = false;
  if (!row.is_object()) return false;
  for (const auto& [name, hop] : row.get_ref<const Row::object_t&>()) {
    if (!hop.is_object() || name == this_hop) continue;
    const Row* m = field_of(hop, "match");
    if (!m || !m->is_string()) continue;
    const std::string& v = m->get_ref<const std::string&>();
    if (v == "none" || v == "gap" || v == "skipped")
      failed = true;
    else if (v == "exact" || v == "ambiguous")
      failed = false;
  }
  return failed;
}

bool row_time(const Row& row, const date::time_zone* zone, Instant& out, std::string& error) {
  // A trace-url or trace-mail row: the request's or the message's own time,
  // as the server logged it (its query may give only a window, or a time
  // some seconds off).
  const char* field = !get_text(row, "url.time").empty()    ? "url.time"
                      : !get_text(row, "mail.time").empty() ? "mail.time"
                                                            : "time";
  std::string t = get_text(row, field);
  if (t.empty()) {
    error = "no time field";
    return false;
  }
  if (!parse_query_time(t, zone, out, error)) {
    error = fmt::format("field {}: {}", field, error);
    return false;
  }
  return true;
}

void put_window(Row& row, const QueryWindow& w) {
  auto text = [](Instant t) {
    return format_rfc3339(t, t.time_since_epoch().count() % 1000000 != 0);
  };
  if (w.time != kNoTime) row["time"] = text(w.time);
  if (w.from != kNoTime) row["from"] = text(w.from);
  if (w.to != kNoTime) row["to"] = text(w.to);
}

bool row_window(const Row& row, const date::time_zone* zone, QueryWindow& w, std::string& error) {
  for (auto [name, slot] :
       {std::pair{"time", &w.time}, std::pair{"from", &w.from}, std::pair{"to", &w.to}}) {
    std::string t = get_text(row, name);
    if (t.empty()) continue;
    if (!parse_query_time(t, zone, *slot, error)) {
      error = fmt::format("field {}: {}", name, error);
      return false;
    }
  }
  if (w.time != kNoTime && (w.from != kNoTime || w.to != kNoTime)) {
    error = "both a time and from/to: give one or the other";
    return false;
  }
  return true;
}

std::string fold_doubt(std::string_view whose) {
  return fmt::format(
      "{} has a start or end in a DST fold (the clocks went back: the local time happened twice, "
      "and the log does not say which): in one reading it covers the time asked, in the other "
      "it does not",
      whose);
}

MatchKind no_candidate_in(const Coverage& coverage, const QueryWindow& w, Micros skew,
                          std::string_view logs, std::string& why) {
  if (w.time != kNoTime) return no_candidate(coverage, w.time, skew, Micros{0}, "", "", why);
  if (coverage.spans.empty()) {
    why = fmt::format("no {} log line was read", logs);
    return MatchKind::gap;
  }
  Instant lo = w.from != kNoTime ? w.from : coverage.earliest();
  Instant hi = w.to != kNoTime ? w.to : coverage.latest();
  if (coverage.covers(lo, hi)) return MatchKind::none;
  why = coverage.explain_gap(lo, hi);
  return MatchKind::gap;
}

std::string partial_window_note(const Coverage& coverage, const QueryWindow& w,
                                std::string_view what) {
  if (w.time != kNoTime) return {};
  Instant lo = w.from != kNoTime ? w.from : coverage.earliest();
  Instant hi = w.to != kNoTime ? w.to : coverage.latest();
  if (lo == kNoTime || hi == kNoTime || coverage.covers(lo, hi)) return {};
  return fmt::format("the logs do not cover all of the window ({}): {} may be missing",
                     coverage.explain_gap(lo, hi), what);
}

MatchKind no_candidate(const Coverage& coverage, Instant t, Micros skew, Micros lookback,
                       std::string_view lookback_name, std::string_view earlier, std::string& why) {
  Instant lo = t - skew, hi = t + skew;
  if (!coverage.covers(lo, hi)) {
    why = coverage.explain_gap(lo, hi);
    return MatchKind::gap;
  }
  if (lookback.count() > 0 && coverage.earliest() > t - lookback) {
    why = fmt::format("the logs start at {}, less than {} ({}) before the time asked: {}",
                      format_rfc3339(coverage.earliest()), lookback_name, format_duration(lookback),
                      earlier);
    return MatchKind::gap;
  }
  // Not only the start of the logs: a missing or silent stretch within the
  // lookback before the time asked could have held the grant or build that
  // was still in force then, so nobody can say that nobody held it.
  if (lookback.count() > 0 && !coverage.covers(t - lookback, hi)) {
    why = fmt::format("{}, less than {} ({}) before the time asked: {}",
                      coverage.explain_gap(t - lookback, hi), lookback_name,
                      format_duration(lookback), earlier);
    return MatchKind::gap;
  }
  return MatchKind::none;
}

nlohmann::ordered_json evidence_item(const std::vector<ScanFile>& files, const EvidenceRef& ref,
                                     std::string_view raw) {
  // (Built field by field: an initializer list copies each value, and checks
  // each element for a pair, at every line of evidence of a batch.)
  Row item = object_with_room(4);
  append_field(item, "file", files[ref.file].info.path);
  append_field(item, "line", ref.line);
  append_field(item, "offset", ref.offset);
  append_field(item, "raw", std::string(raw));
  return item;
}

void add_time_notes(std::span<const TimeNoteRef> events, const std::vector<ScanFile>& files,
                    std::vector<std::string>& notes) {
  uint8_t flags = 0;
  for (const auto& e : events) flags |= e.time_flags;
  auto files_with = [&](uint8_t flag) {
    std::vector<std::string> out;
    for (const auto& e : events) {
      if (!(e.time_flags & flag)) continue;
      std::string where = fmt::format("{}:{}", files[e.ref.file].info.path, e.ref.line);
      if (std::find(out.begin(), out.end(), where) == out.end()) out.push_back(where);
    }
    return fmt::format("{}", fmt::join(out, ", "));
  };
  if (flags & kLocalAmbiguous)
    notes.push_back(fmt::format(
        "DST-ambiguous local time (it happened twice), placed by the order of the log: {}",
        files_with(kLocalAmbiguous)));
  if (flags & kLocalNonexistent)
    notes.push_back(fmt::format(
        "local time in a DST gap (it never happened), read with the offset before the change: {}",
        files_with(kLocalNonexistent)));
  if (flags & kYearInferred) {
    std::vector<std::string> said;
    for (const auto& e : events) {
      if (!(e.time_flags & kYearInferred)) continue;
      const ScanFile& f = files[e.ref.file];
      std::string n = f.info.is_stdin
                          ? fmt::format(
                                "year of year-less dates in {} assumed from the time of "
                                "this run",
                                f.info.path)
                          : fmt::format(
                                "year of year-less dates in {} inferred from its "
                                "modification time ({}): first line in {}",
                                f.info.path, format_rfc3339(f.info.mtime), f.first_year);
      if (std::find(said.begin(), said.end(), n) == said.end()) said.push_back(n);
    }
    for (auto& n : said) notes.push_back(std::move(n));
  }
  if (flags & kTimeLowerBound)
    notes.push_back(fmt::format(
        "a deletion was logged with the lease's last transaction time, not its own ({}): the "
        "lease ended then or later",
        files_with(kTimeLowerBound)));
  if (flags & kZoneAssumed) {
    for (const auto& e : events) {
      if (!(e.time_flags & kZoneAssumed)) continue;
      const ScanFile& f = files[e.ref.file];
      notes.push_back(fmt::format(
          "zone-less times read in {} (this machine's zone: no tz was configured for {})",
          zone_name(f.zone), f.info.path));
      break;
    }
  }
}

std::string join_notes(const std::vector<std::string>& notes) {
  return fmt::format("{}", fmt::join(notes, "; "));
}

Micros widen_skew(Micros skew, const std::vector<SourceSpec>& all,
                  const std::vector<uint32_t>& sources) {
  Micros extra{0};
  for (uint32_t s : sources)
    if (s < all.size()) extra = std::max(extra, all[s].skew);
  return skew + extra;
}

std::vector<uint32_t> sources_read(const std::vector<ScanFile>& files) {
  std::vector<uint32_t> out;
  for (const auto& f : files)
    if (std::find(out.begin(), out.end(), f.source) == out.end()) out.push_back(f.source);
  return out;
}

}  // namespace tracekit

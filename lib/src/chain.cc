#include "tracekit/chain.h"

#include <fmt/format.h>

#include <iterator>

#include "tracekit/hop.h"
#include "tracekit/parallel.h"

namespace tracekit {

namespace {

// One row on its way down the chain: the query it answers and what the chain
// has to say about it beyond the hops' own notes.
struct Pending {
  size_t query;
  Row row;
  std::string note;
};

// (A view into `row`: add_chain_verdict reads the hops before it writes.)
std::string_view hop_text(const Row& row, std::string_view hop, std::string_view field) {
  const Row* h = field_of(row, hop);
  const Row* f = h ? field_of(*h, field) : nullptr;
  return f && f->is_string() ? std::string_view(f->get_ref<const std::string&>())
                             : std::string_view();
}

// What each hop reads, and what it looks for, for the chain's note.
const char* hop_logs(std::string_view hop) {
  if (hop == "url") return "proxy";
  if (hop == "mail") return "mail";
  if (hop == "nat") return "NAT";
  if (hop == "lease") return "DHCP";
  if (hop == "login") return "login";
  return "directory";
}
const char* hop_finds(std::string_view hop) {
  if (hop == "url") return "request";
  if (hop == "mail") return "message";
  if (hop == "nat") return "translation";
  if (hop == "lease") return "lease (nor register entry)";
  if (hop == "login") return "session";
  return "entry";
}

}  // namespace

Chain::Chain(ToolRun& run, std::vector<SourceSpec> directories, ChainSettings settings)
    : run_(run), directories_(std::move(directories)), settings_(std::move(settings)) {}

bool Chain::answer(const std::vector<ChainQuery>& queries, std::vector<Row>& out,
                   std::vector<size_t>* query_of) {
  // NAT: every query whose address is one of the NAT's public addresses.
  std::vector<NatQuery> nat_queries(queries.size());
  std::vector<bool> readable(queries.size(), false);
  std::vector<NatQueryKey> nat_keys;
  std::vector<Instant> nat_times;
  bool windowed = true;
  for (size_t i = 0; i < queries.size(); ++i) {
    std::string error;
    if (!nat_query_from_row(queries[i].row, "", run_.zone, nat_queries[i], error)) {
      run_.diag.error(fmt::format("{}: {}", queries[i].origin, error));
      continue;
    }
    readable[i] = true;
    if (!nat_queries[i].skipped) {
      nat_keys.push_back(nat_queries[i].key);
      nat_times.push_back(nat_queries[i].time);
      if (nat_queries[i].time == kNoTime) windowed = false;
    }
  }
  if (!windowed) nat_times.clear();
  nat_ = std::make_unique<NatHop>(run_, false);
  if (!nat_->load(nat_keys, nat_times)) return false;
  bool have_nat = nat_->has_sources();

  // The NAT's answers on two threads (the hop is read-only now).
  std::vector<std::vector<Row>> nat_answers(queries.size());
  if (have_nat)
    split_in_two(queries.size(), kSplitAnswers, [&](size_t from, size_t to) {
      for (size_t i = from; i < to; ++i)
        if (readable[i] && !nat_queries[i].skipped) {
          nat_queries[i].fields_only = true;
          nat_answers[i] = nat_->answer(nat_queries[i]);
        }
    });
  std::vector<Pending> rows;
  for (size_t i = 0; i < queries.size(); ++i) {
    if (!readable[i]) continue;
    NatQuery& q = nat_queries[i];
    if (have_nat && !q.skipped) {
      std::vector<Row> answers = std::move(nat_answers[i]);
      bool found = !answers.empty() && (get_text(answers[0], "nat.match") == "exact" ||
                                        get_text(answers[0], "nat.match") == "ambiguous");
      if (found || nat_->is_public(q.key.ip)) {
        for (auto& r : put_after(std::move(q.row), std::move(answers)))
          rows.push_back({i, std::move(r), ""});
        continue;
      }
      rows.push_back({i, std::move(q.row),
                      fmt::format("{} is not a NAT public address (in no NAT source's `public`, "
                                  "and no NAT record shows it as one): looked up as an inside "
                                  "address",
                                  to_string(q.key.ip))});
      continue;
    }
    rows.push_back({i, std::move(q.row), ""});
  }

  // Reports a row a hop cannot read (it should not happen: every hop before
  // wrote what the next one reads) and drops it.
  auto unreadable = [&](const Pending& p, const std::string& error) {
    run_.diag.error(fmt::format("{}: {}", queries[p.query].origin, error));
  };
  // Each row's query for the next hop, read from it (the query takes the
  // row: one row in memory, not two), the rows split between two threads;
  // those that cannot be read reported in row order.
  auto read_queries = [&](auto& q, auto&& from_row) {
    std::vector<std::string> errors(rows.size());
    std::vector<char> ok(rows.size(), 0);
    split_in_two(rows.size(), kSplitAnswers, [&](size_t from, size_t to) {
      for (size_t k = from; k < to; ++k) {
        ok[k] = from_row(std::move(rows[k].row), q[k], errors[k]);
        q[k].fields_only = true;
      }
    });
    for (size_t k = 0; k < rows.size(); ++k)
      if (!ok[k]) unreadable(rows[k], errors[k]);
    return ok;
  };
  // Each row's answers from `hop`, put after it, split the same way; in
  // row order.
  auto answer_rows = [&](const auto& hop, auto& q, const std::vector<char>& ok) {
    std::vector<std::vector<Row>> answers(q.size());
    split_in_two(q.size(), kSplitAnswers, [&](size_t from, size_t to) {
      for (size_t k = from; k < to; ++k)
        if (ok[k]) answers[k] = put_after(std::move(q[k].row), hop.answer(q[k]));
    });
    return answers;
  };
  auto next_rows = [&](std::vector<std::vector<Row>>& answers) {
    std::vector<Pending> next;
    for (size_t k = 0; k < answers.size(); ++k)
      for (auto& r : answers[k]) next.push_back({rows[k].query, std::move(r), rows[k].note});
    rows = std::move(next);
  };

  // DHCP: the NAT's inside address, else the address asked.
  {
    std::vector<LeaseQuery> lq(rows.size());
    std::vector<char> ok = read_queries(lq, [&](Row&& row, LeaseQuery& q, std::string& error) {
      return lease_query_from_row(std::move(row), "", run_.zone, true, q, error);
    });
    std::vector<LeaseKey> keys;
    for (size_t k = 0; k < rows.size(); ++k)
      if (ok[k] && !lq[k].skipped) keys.push_back(lq[k].key);
    lease_ = std::make_unique<LeaseHop>(run_, LeaseHopSettings{});
    if (!lease_->load(keys)) return false;
    auto answers = answer_rows(*lease_, lq, ok);
    next_rows(answers);
  }

  // Logins: the lease's host, MAC and address (workstation records, RADIUS).
  {
    std::vector<LoginQuery> lq(rows.size());
    std::vector<char> ok = read_queries(lq, [&](Row&& row, LoginQuery& q, std::string& error) {
      return login_query_from_row(std::move(row), "", run_.zone, q, error);
    });
    std::vector<LoginKey> keys;
    std::vector<Span> windows;
    for (size_t k = 0; k < rows.size(); ++k) {
      if (!ok[k] || lq[k].skipped) continue;
      keys.insert(keys.end(), lq[k].keys.begin(), lq[k].keys.end());
      windows.push_back({lq[k].time, lq[k].time});
    }
    login_ = std::make_unique<LoginHop>(run_, LoginHopSettings{});
    if (!login_->load(keys, windows)) return false;
    auto answers = answer_rows(*login_, lq, ok);
    next_rows(answers);
  }

  // Owners: the login name.
  {
    std::vector<OwnerQuery> oq(rows.size());
    std::vector<char> ok = read_queries(oq, [&](Row&& row, OwnerQuery& q, std::string& error) {
      return owner_query_from_row(std::move(row), "", run_.zone, q, error);
    });
    for (size_t k = 0; k < oq.size(); ++k)
      if (!ok[k]) {  // (nothing to load for)
        oq[k] = OwnerQuery();
        oq[k].skipped = true;
      }
    owner_ = std::make_unique<OwnerHop>(run_, directories_, settings_.owner);
    if (!owner_->load(oq)) return false;
    auto answers = answer_rows(*owner_, oq, ok);
    split_in_two(answers.size(), kSplitAnswers, [&](size_t from, size_t to) {
      for (size_t k = from; k < to; ++k)
        for (auto& r : answers[k]) add_chain_verdict(r, rows[k].note);
    });
    for (size_t k = 0; k < answers.size(); ++k)
      for (auto& r : answers[k]) {
        out.push_back(std::move(r));
        if (query_of) query_of->push_back(rows[k].query);
      }
  }
  return true;
}

void add_chain_verdict(Row& row, const std::string& extra_note) {
  std::string match = "exact", limited_by, why;
  std::string first_ambiguous;
  // Rows from trace-url or trace-mail piped in carry that hop first: its
  // none, gap or ambiguity is the whole answer's (a request nobody made is
  // no chain, let alone an exact one; two clients are two candidates).
  static constexpr const char* kHops[] = {"url", "mail", "nat", "lease", "login", "owner"};
  std::string bypassed, caveat;
  for (size_t i = 0; i < std::size(kHops); ++i) {
    const char* hop = kHops[i];
    std::string_view m = hop_text(row, hop, "match");
    if (m.empty() || m == "skipped") continue;
    if (m == "none" || m == "gap") {
      // A later hop that answered without this one (a VPN or RADIUS session
      // holding the address the DHCP hop has no lease for): noted, not the
      // limit. Not past a gap: the logs missing there could show another
      // holder (a lease of the same address while a session's end was lost).
      const char* later = nullptr;
      for (size_t j = i + 1; j < std::size(kHops) && !later; ++j) {
        std::string_view lm = hop_text(row, kHops[j], "match");
        if (lm == "exact" || lm == "ambiguous") later = kHops[j];
      }
      if (later && m == "gap")
        caveat = fmt::format(
            "the {} hop found an answer without this one (shown), which cannot stand while the {} "
            "logs do not cover the time",
            later, hop_logs(hop));
      if (later && m == "none") {
        bypassed = fmt::format(
            "{}: none (no {} where the {} logs cover the time); the {} hop "
            "answered without it{}",
            hop, hop_finds(hop), hop_logs(hop), later,
            std::string_view(hop) == "lease" && std::string_view(later) == "login"
                ? " (a session that was assigned the address)"
                : "");
        continue;
      }
      match = m;
      limited_by = hop;
      std::string_view note = hop_text(row, hop, "note");
      why = m == "gap" ? fmt::format("{}: the {} logs do not cover the time", hop, hop_logs(hop))
                       : fmt::format("{}: no {} where the {} logs cover the time", hop,
                                     hop_finds(hop), hop_logs(hop));
      if (!note.empty()) fmt::format_to(std::back_inserter(why), " ({})", note);
      break;
    }
    if (m == "ambiguous" && first_ambiguous.empty()) first_ambiguous = hop;
  }
  if (limited_by.empty() && !first_ambiguous.empty()) {
    match = "ambiguous";
    limited_by = first_ambiguous;
    // (More than one candidate, or one whose hop cannot vouch for it: a
    // DST fold, a host name two clients claimed. The hop's note says which.)
    why = fmt::format("{}: no single sure candidate in the time window; one row per candidate",
                      first_ambiguous);
    std::string_view note = hop_text(row, first_ambiguous, "note");
    if (!note.empty()) fmt::format_to(std::back_inserter(why), " ({})", note);
  }
  if (!bypassed.empty()) why = why.empty() ? bypassed : bypassed + "; " + why;
  if (!caveat.empty()) why += "; " + caveat;
  if (!extra_note.empty()) why = why.empty() ? extra_note : extra_note + "; " + why;
  Row chain = object_with_room(3);
  append_field(chain, "match", std::move(match));
  append_field(chain, "limited_by", std::move(limited_by));
  append_field(chain, "note", std::move(why));
  row["chain"] = std::move(chain);
}

bool chain_answered(const Row& row) {
  std::string_view m = hop_text(row, "chain", "match");
  return m == "exact" || m == "ambiguous";
}

}  // namespace tracekit

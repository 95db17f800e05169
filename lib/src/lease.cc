#include "tracekit/lease.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "tracekit/hop.h"
#include "tracekit/text.h"

namespace tracekit {

namespace {

bool same_client(const Lease& l, const StoredDhcpEvent& e) {
  if (l.has_mac && e.has_mac) return l.mac == e.mac;
  if (l.has_mac != e.has_mac) return !e.has_mac && !e.host.empty() && e.host == l.host;
  return !l.host.empty() && l.host == e.host;
}

// A host name without the root's trailing dot ("ws1.example.org." as Kea
// writes it).
std::string_view undotted(std::string_view h) {
  while (!h.empty() && h.back() == '.') h.remove_suffix(1);
  return h;
}

// A host name's first label: what a rename is told by.
std::string_view first_label(std::string_view h) {
  h = undotted(h);
  return h.substr(0, h.find('.'));
}

// "ws-lab1-07" is "WS-LAB1-07" and "ws-lab1-07.example.org" (a short name
// matches any domain; two full names must be equal, a trailing dot aside).
bool same_host(std::string_view h, std::string_view host) {
  h = undotted(h);
  host = undotted(host);
  return iequals(h, host) || (iequals(first_label(h), first_label(host)) &&
                              (h.find('.') == h.npos || host.find('.') == host.npos));
}

// The index key of a name: its first label in lower case.
std::string label_key(std::string_view h) {
  std::string k(first_label(h));
  ascii_lower_in_place(k);
  return k;
}

bool ends_lease(DhcpAction a) {
  return a == DhcpAction::release || a == DhcpAction::expire || a == DhcpAction::remove ||
         a == DhcpAction::decline || a == DhcpAction::nak;
}

Lease::EndKind end_kind_for(DhcpAction a) {
  switch (a) {
    case DhcpAction::release:
      return Lease::EndKind::released;
    case DhcpAction::expire:
      return Lease::EndKind::expired;
    case DhcpAction::remove:
      return Lease::EndKind::removed;
    case DhcpAction::decline:
      return Lease::EndKind::declined;
    default:
      return Lease::EndKind::nak;
  }
}

}  // namespace

bool same_host_label(std::string_view a, std::string_view b) {
  return iequals(first_label(a), first_label(b));
}

std::string_view match_name(MatchKind k) {
  switch (k) {
    case MatchKind::exact:
      return "exact";
    case MatchKind::ambiguous:
      return "ambiguous";
    case MatchKind::none:
      return "none";
    case MatchKind::gap:
      return "gap";
    case MatchKind::skipped:
      return "skipped";
  }
  return "?";
}

uint32_t LeaseStore::add(const DhcpEvent& ev, uint32_t file_id, uint32_t source) {
  StoredDhcpEvent s;
  s.time = ev.time;
  s.lease_end = ev.lease_end;
  s.lease_time = ev.lease_time;
  s.action = ev.action;
  s.time_flags = ev.time_flags;
  s.has_mac = ev.has_mac;
  s.ends_lease = ev.ends_lease;
  s.ip = ev.ip;
  s.mac = ev.mac;
  s.host = ev.host;
  s.client_id = ev.client_id;
  s.server = ev.server;
  s.relay = ev.relay;
  s.raw = ev.raw;
  s.ref = EvidenceRef{file_id, ev.first_line, ev.first_offset};
  s.source = source;
  events_.push_back(std::move(s));
  return uint32_t(events_.size() - 1);
}

void LeaseStore::build(std::span<const Micros> lease_time, std::span<const FoldMark> later) {
  leases_.clear();
  by_ip_.clear();
  informs_.clear();
  std::vector<FoldLine> folded;
  for (auto& e : events_)
    if (e.time_flags & kLocalAmbiguous)
      folded.push_back({e.time, e.ref.file, e.ref.line, &e.time_flags});
  settle_fold_readings(folded, later);
  std::unordered_map<IpAddr, std::vector<uint32_t>, IpHash> events_by_ip;
  for (uint32_t id = 0; id < events_.size(); ++id) {
    const auto& e = events_[id];
    if (e.time == kNoTime || e.ip.is_unset()) continue;
    switch (e.action) {
      case DhcpAction::ack:
      case DhcpAction::lease:
      case DhcpAction::release:
      case DhcpAction::expire:
      case DhcpAction::remove:
      case DhcpAction::decline:
      case DhcpAction::nak:
        events_by_ip[e.ip].push_back(id);
        break;
      case DhcpAction::inform:
        if (e.has_mac) informs_[e.ip].push_back(id);
        break;
      default:
        break;  // discover, offer, request: no lease changes
    }
  }
  // Deterministic order whatever the hash map does.
  std::vector<IpAddr> ips;
  ips.reserve(events_by_ip.size());
  for (auto& [ip, ids] : events_by_ip) ips.push_back(ip);
  std::sort(ips.begin(), ips.end());
  for (const auto& ip : ips) build_ip(events_by_ip[ip], lease_time);
  for (auto& [ip, ids] : informs_)
    std::stable_sort(ids.begin(), ids.end(),
                     [&](uint32_t a, uint32_t b) { return events_[a].time < events_[b].time; });
  by_host_.clear();
  for (uint32_t k = 0; k < leases_.size(); ++k) {
    Lease& l = leases_[k];
    by_ip_[l.ip].push_back(k);
    // A client may rename itself within a lease: a name is new when its
    // first label is not the one before's (case, domain and trailing dot
    // aside).
    l.names.clear();
    for (uint32_t id : l.events) {
      std::string_view h = events_[id].host;
      if (first_label(h).empty()) continue;
      if (!l.names.empty() && same_host_label(events_[l.names.back()].host, h)) continue;
      l.names.push_back(id);
    }
    std::vector<std::string> keys;
    for (uint32_t id : l.names) keys.push_back(label_key(events_[id].host));
    if (!l.host.empty()) keys.push_back(label_key(l.host));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (auto& key : keys) by_host_[std::move(key)].push_back(k);
  }
}

const std::vector<uint32_t>& LeaseStore::informs_for(const IpAddr& ip) const {
  static const std::vector<uint32_t> none;
  auto it = informs_.find(ip);
  return it == informs_.end() ? none : it->second;
}

void LeaseStore::build_ip(std::vector<uint32_t>& ids, std::span<const Micros> lease_time) {
  // Time order; events of one instant keep the order they were read in.
  std::stable_sort(ids.begin(), ids.end(),
                   [&](uint32_t a, uint32_t b) { return events_[a].time < events_[b].time; });
  Lease cur;
  bool open = false;
  Instant stated_end = kNoTime;  // expiry the source gave for the current lease
  // The other reading of an end counted from the last grant (its lease time,
  // stated or assumed) when that grant was in a DST fold: the end moves with
  // it. An expiry stated as a date of its own has none.
  Micros end_shift{0};
  bool stated_as_date = false;
  auto assumed_length = [&](const Lease& l) {
    return l.source < lease_time.size() ? lease_time[l.source] : Micros(0);
  };
  // When the current lease runs out by itself (kForever: never by itself).
  auto natural_end = [&]() {
    if (stated_end != kNoTime) return stated_end;
    Micros lt = cur.assumed_lease_time;
    return lt.count() > 0 ? cur.last_ack + lt : kForever;
  };
  auto close_natural = [&]() {
    Instant end = natural_end();
    cur.end = end;
    if (end != kForever && end_shift.count() != 0 && !(stated_end != kNoTime && stated_as_date))
      cur.end_alt = end + end_shift;
    if (end == kForever)
      cur.end_kind = Lease::EndKind::open;
    else
      cur.end_kind = stated_end != kNoTime ? Lease::EndKind::stated : Lease::EndKind::assumed;
    leases_.push_back(std::move(cur));
    cur = Lease{};
    open = false;
    stated_end = kNoTime;
    end_shift = Micros(0);
  };
  for (uint32_t id : ids) {
    const auto& e = events_[id];
    if (open && e.time >= natural_end()) close_natural();
    bool grant = e.action == DhcpAction::ack || e.action == DhcpAction::lease;
    if (grant) {
      if (open && !same_client(cur, e)) {
        cur.end = e.time;
        cur.end_alt = other_reading(e.time, e.time_flags);
        cur.end_kind = Lease::EndKind::reassigned;
        cur.end_event = id;
        leases_.push_back(std::move(cur));
        cur = Lease{};
        open = false;
        stated_end = kNoTime;
      }
      if (!open) {
        open = true;
        cur.ip = e.ip;
        cur.start = e.time;
        cur.start_alt = other_reading(e.time, e.time_flags);
        cur.source = e.source;
        cur.has_mac = e.has_mac;
        cur.mac = e.mac;
        cur.server = e.server;
      }
      if (!cur.has_mac && e.has_mac) cur.has_mac = true, cur.mac = e.mac;
      if (!e.host.empty()) cur.host = e.host;
      cur.last_ack = e.time;
      cur.time_flags |= e.time_flags;
      cur.events.push_back(id);
      // Each grant restates the expiry: a renewal moves it, a database entry
      // for a released lease pulls it in.
      if (e.lease_end != kNoTime)
        stated_end = e.lease_end;
      else if (e.lease_time.count() > 0)
        stated_end = e.time + e.lease_time;
      else
        stated_end = kNoTime;
      stated_as_date = e.lease_end != kNoTime;
      Instant alt = other_reading(e.time, e.time_flags);
      end_shift = alt == kNoTime ? Micros(0) : alt - e.time;
      cur.assumed_lease_time = assumed_length(cur);
      if (e.action == DhcpAction::lease && e.ends_lease && e.lease_end != kNoTime) {
        // The database says this lease is over (free/expired/released).
        cur.end = std::max(e.lease_end, cur.start);
        cur.end_kind = Lease::EndKind::stated;
        leases_.push_back(std::move(cur));
        cur = Lease{};
        open = false;
        stated_end = kNoTime;
      }
      continue;
    }
    // An end whose time is only a lower bound (a Kea deletion row) cannot say
    // when the lease stopped: the lease keeps its stated or assumed end.
    if (ends_lease(e.action) && open && (e.time_flags & kTimeLowerBound)) {
      cur.events.push_back(id);
      cur.time_flags |= e.time_flags;
      continue;
    }
    if (ends_lease(e.action) && open) {
      bool mine = e.has_mac ? (cur.has_mac ? cur.mac == e.mac : true) : true;
      if (e.action == DhcpAction::nak && !e.has_mac) mine = false;
      if (!mine) continue;  // another client's release of this address changes nothing
      cur.end = e.time;
      cur.end_alt = other_reading(e.time, e.time_flags);
      cur.end_kind = end_kind_for(e.action);
      cur.end_event = id;
      cur.time_flags |= e.time_flags;
      leases_.push_back(std::move(cur));
      cur = Lease{};
      open = false;
      stated_end = kNoTime;
    }
  }
  if (open) close_natural();
}

std::vector<const Lease*> LeaseStore::for_ip(const IpAddr& ip) const {
  std::vector<const Lease*> out;
  auto it = by_ip_.find(ip);
  if (it != by_ip_.end())
    for (uint32_t k : it->second) out.push_back(&leases_[k]);
  return out;
}

std::vector<const Lease*> LeaseStore::for_mac(const MacAddr& mac) const {
  std::vector<const Lease*> out;
  for (const auto& l : leases_)
    if (l.has_mac && l.mac == mac) out.push_back(&l);
  std::stable_sort(out.begin(), out.end(),
                   [](const Lease* a, const Lease* b) { return a->start < b->start; });
  return out;
}

std::vector<const Lease*> LeaseStore::for_host(std::string_view host) const {
  std::vector<const Lease*> out;
  auto it = by_host_.find(label_key(host));
  if (it == by_host_.end()) return out;
  for (uint32_t k : it->second) {
    const Lease& l = leases_[k];
    // Any name the client went by in the lease (it may rename itself).
    bool named = !l.host.empty() && same_host(l.host, host);
    for (size_t n = 0; !named && n < l.names.size(); ++n)
      named = same_host(events_[l.names[n]].host, host);
    if (named) out.push_back(&l);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Lease* a, const Lease* b) { return a->start < b->start; });
  return out;
}

FoldedSpan LeaseStore::name_span(const Lease& l, size_t k) const {
  const std::vector<uint32_t>& names = l.names;
  bool first = k == 0, last = k + 1 >= names.size();
  return {first ? l.start : events_[names[k]].time, first ? l.start_alt : kNoTime,
          last ? l.end : events_[names[k + 1]].time, last ? l.end_alt : kNoTime};
}

bool LeaseStore::named_between(const Lease& l, std::string_view host, Instant lo,
                               Instant hi) const {
  if (l.names.size() <= 1) return true;  // (one name all along: for_host's)
  for (size_t k = 0; k < l.names.size(); ++k)
    if (same_host(events_[l.names[k]].host, host) && name_span(l, k).meets_in_some(lo, hi))
      return true;
  return false;
}

Instant LeaseStore::named_until(const Lease& l, std::string_view host) const {
  if (l.names.size() <= 1) return l.end;
  Instant until = kNoTime;
  for (size_t k = 0; k < l.names.size(); ++k)
    if (same_host(events_[l.names[k]].host, host)) until = name_span(l, k).end;
  return until;
}

std::string_view LeaseStore::host_at(const Lease& l, Instant t) const {
  const std::vector<uint32_t>& names = l.names;
  if (names.empty()) return l.host;
  std::string_view h = events_[names.front()].host;  // (before its first name: that one)
  for (uint32_t id : names)
    if (events_[id].time <= t) h = events_[id].host;
  return h;
}

std::vector<uint32_t> LeaseStore::evidence_for(const Lease& l, Instant t) const {
  std::vector<uint32_t> ids;
  if (l.events.empty()) return ids;
  ids.push_back(l.events.front());
  uint32_t before = Lease::kNoEvent, after = Lease::kNoEvent;
  for (uint32_t id : l.events) {
    if (events_[id].time <= t)
      before = id;
    else if (after == Lease::kNoEvent)
      after = id;
  }
  if (before != Lease::kNoEvent && before != ids.back()) ids.push_back(before);
  if (after != Lease::kNoEvent && after != ids.back()) ids.push_back(after);
  if (l.end_event != Lease::kNoEvent) ids.push_back(l.end_event);
  return ids;
}

LeaseAnswer match_leases(const std::vector<const Lease*>& leases, Instant t, Micros skew,
                         const Coverage& coverage, Micros lookback, bool by_ip) {
  LeaseAnswer a;
  Instant lo = t - skew, hi = t + skew;
  // A start or end in a DST fold could be either reading: a lease is a
  // candidate if one reading meets the window, and sure only if both do.
  std::vector<bool> sure;  // per candidate
  for (const Lease* l : leases) {
    FoldedSpan span{l->start, l->start_alt, l->end, l->end_alt};
    if (!span.meets_in_some(lo, hi)) continue;
    bool is_sure = span.meets_in_every(lo, hi);
    // The same client (by IP queries) or the same address (by MAC/host
    // queries) in two leases is one candidate: keep the lease nearest t.
    auto same = [&](const Lease* o) {
      if (by_ip) return o->has_mac == l->has_mac && o->mac == l->mac && o->host == l->host;
      return o->ip == l->ip;
    };
    auto dup = std::find_if(a.leases.begin(), a.leases.end(), same);
    if (dup == a.leases.end()) {
      a.leases.push_back(l);
      sure.push_back(is_sure);
    } else {
      if (l->start <= t && l->end > t) *dup = l;
      if (is_sure) sure[size_t(dup - a.leases.begin())] = true;
    }
  }
  // A lease whose end no line states (assumed from the lease time, or
  // open) holds across the time asked only if the logs go on there: in a
  // silence, or past their end, its release or expiry, and the address's
  // grant to another client, could be what is missing. The candidates stay
  // shown, as a gap.
  // Past the logs' end an expiry the source stated is no better: the client
  // may have released the address after the last line, and the server given
  // it to another.
  if (!a.leases.empty() && !coverage.covers(t, t))
    for (const Lease* l : a.leases)
      if (l->end_kind == Lease::EndKind::assumed || l->end_kind == Lease::EndKind::open ||
          (l->end_kind == Lease::EndKind::stated && coverage.past_end(t))) {
        std::string why =
            coverage.explain_gap(t, t) +
            (l->end_kind == Lease::EndKind::stated
                 ? ": the client may have released a lease before the expiry the log states, and "
                   "the address been given to another client, in that time"
                 : ": a lease with no expiry or release logged may have ended, and the "
                   "address been given to another client, in that time");
        if (coverage.past_end(t)) {
          a.kind = MatchKind::gap;
          a.why = std::move(why);
          return a;
        }
        // A silence within the log: said, not a gap. (Before the log's
        // first line the lease, begun after the time asked within the skew,
        // has no end in question.)
        if (coverage.within(t)) a.caveat = std::move(why);
        break;
      }
  // A candidate in doubt: no answer is exact, even one with it alone.
  bool doubt = false;
  for (size_t i = 0; i < a.leases.size(); ++i)
    if (!sure[i]) {
      doubt = true;
      const Lease& l = *a.leases[i];
      std::string who = l.has_mac ? to_string(l.mac) : l.host;
      if (!a.caveat.empty()) a.caveat += "; ";
      a.caveat += fold_doubt(
          fmt::format("the lease of {} to {}", to_string(l.ip), who.empty() ? "its client" : who));
    }
  if (a.leases.size() == 1 && !doubt) {
    a.kind = MatchKind::exact;
  } else if (!a.leases.empty()) {
    a.kind = MatchKind::ambiguous;
  } else {
    a.kind = no_candidate(coverage, t, skew, lookback, "the lease time",
                          "a lease granted earlier could still have been active", a.why);
  }
  return a;
}

}  // namespace tracekit

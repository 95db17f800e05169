#include "tracekit/nat.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "tracekit/hop.h"

namespace tracekit {

namespace {

constexpr uint8_t kTcp = 6, kUdp = 17, kIcmp = 1, kIcmp6 = 58;

// Events of one translation share this key: the device's session id when the
// log has one, else the whole tuple.
std::string pairing_key(const StoredNatEvent& e) {
  bool block = e.action == NatAction::block_open || e.action == NatAction::block_close;
  if (!e.session_id.empty())
    return fmt::format("{}|s|{}|{}|{}", e.source, e.device, e.connection, e.session_id);
  return fmt::format("{}|t|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", e.source, e.device, block, e.connection,
                     to_string(e.public_ip), e.public_port, e.block_end, e.proto,
                     to_string(e.inside_ip), e.inside_port,
                     e.dst_ip.is_unset() ? std::string() : to_string(e.dst_ip));
}

Micros distance(const NatTranslation& t, Instant at) {
  if (at < t.start) return t.start - at;
  if (at >= t.end) return at - t.end + Micros(1);
  return Micros(0);
}

}  // namespace

Micros NatTimeoutValues::for_proto(uint8_t proto) const {
  switch (proto) {
    case kTcp:
      return tcp;
    case kUdp:
      return udp;
    case kIcmp:
    case kIcmp6:
      return icmp;
    default:
      return other;
  }
}

Micros NatTimeoutValues::longest() const {
  return std::max({tcp, udp, icmp, other});
}

NatTimeoutValues nat_timeouts_for(const SourceSpec& src) {
  NatTimeoutValues v;
  if (src.nat_timeouts.tcp) v.tcp = *src.nat_timeouts.tcp;
  if (src.nat_timeouts.udp) v.udp = *src.nat_timeouts.udp;
  if (src.nat_timeouts.icmp) v.icmp = *src.nat_timeouts.icmp;
  if (src.nat_timeouts.other) v.other = *src.nat_timeouts.other;
  return v;
}

uint32_t NatStore::add(const NatEvent& ev, uint32_t file_id, uint32_t source) {
  StoredNatEvent s;
  s.action = ev.action;
  s.proto = ev.proto;
  s.time_flags = ev.time_flags;
  s.is_static = ev.is_static;
  s.connection = ev.connection;
  s.time = ev.time;
  s.start = ev.start;
  s.inside_ip = ev.inside_ip;
  s.public_ip = ev.public_ip;
  s.dst_ip = ev.dst_ip;
  s.inside_port = ev.inside_port;
  s.public_port = ev.public_port;
  s.dst_port = ev.dst_port;
  s.block_end = ev.block_end;
  s.device = ev.device;
  s.session_id = ev.session_id;
  s.raw = ev.raw;
  s.ref = EvidenceRef{file_id, ev.first_line, ev.first_offset};
  s.source = source;
  events_.push_back(std::move(s));
  return uint32_t(events_.size() - 1);
}

void NatStore::build(const std::vector<NatTimeoutValues>& timeouts,
                     const std::vector<Instant>& file_start) {
  translations_.clear();
  by_public_.clear();
  by_inside_.clear();
  // Groups in order of first appearance, events in log order (the order they
  // were added): log order survives a clock stepped backwards, time order not.
  std::map<std::string, uint32_t> group_of;
  std::vector<std::vector<uint32_t>> groups;
  for (uint32_t id = 0; id < events_.size(); ++id) {
    if (events_[id].time == kNoTime) continue;
    auto [it, fresh] = group_of.emplace(pairing_key(events_[id]), uint32_t(groups.size()));
    if (fresh) groups.emplace_back();
    groups[it->second].push_back(id);
  }
  auto timeout_of = [&](const StoredNatEvent& e) {
    return e.source < timeouts.size() ? timeouts[e.source].for_proto(e.proto)
                                      : NatTimeoutValues{}.for_proto(e.proto);
  };
  auto from_event = [&](uint32_t id) {
    const StoredNatEvent& e = events_[id];
    NatTranslation t;
    t.inside_ip = e.inside_ip;
    t.public_ip = e.public_ip;
    t.dst_ip = e.dst_ip;
    t.inside_port = e.inside_port;
    t.public_port = e.public_port;
    t.dst_port = e.dst_port;
    t.block_end = e.block_end;
    t.proto = e.proto;
    t.is_static = e.is_static;
    t.connection = e.connection;
    t.block = e.action == NatAction::block_open || e.action == NatAction::block_close;
    t.source = e.source;
    t.device = e.device;
    return t;
  };
  auto finish_open = [&](NatTranslation& t, Instant next_build) {
    const StoredNatEvent& o = events_[t.open_event];
    if (t.is_static || t.block) {
      t.end = next_build;
      t.end_kind = NatTranslation::EndKind::open;
      if (next_build != kForever) t.end_kind = NatTranslation::EndKind::assumed;
    } else {
      t.assumed_timeout = timeout_of(o);
      t.end = std::min(t.start + t.assumed_timeout, next_build);
      t.end_kind = NatTranslation::EndKind::assumed;
    }
    translations_.push_back(t);
  };
  auto start_for_orphan = [&](const StoredNatEvent& e, NatTranslation& t) {
    if (e.start != kNoTime) {
      t.start = e.start;
    } else {
      t.start = e.ref.file < file_start.size() ? file_start[e.ref.file] : e.time;
      if (t.start == kNoTime || t.start > e.time) t.start = e.time;
      t.start_from_file = true;
    }
  };
  for (const auto& g : groups) {
    bool pending = false;
    NatTranslation cur;
    for (uint32_t id : g) {
      const StoredNatEvent& e = events_[id];
      switch (e.action) {
        case NatAction::open:
        case NatAction::block_open:
          if (pending) finish_open(cur, e.time);
          cur = from_event(id);
          cur.start = e.time;
          cur.open_event = id;
          pending = true;
          break;
        case NatAction::close:
        case NatAction::block_close: {
          NatTranslation t = pending ? cur : from_event(id);
          t.close_event = id;
          t.end_kind = NatTranslation::EndKind::stated;
          if (pending) {
            Instant lo = std::min({cur.start, e.time, e.start == kNoTime ? e.time : e.start});
            Instant hi = std::max(cur.start, e.time);
            t.clock_backwards = e.time < cur.start;
            t.start = lo;
            t.end = hi;
          } else {
            start_for_orphan(e, t);
            t.end = e.time;
          }
          if (t.end <= t.start) t.end = t.start + std::chrono::seconds(1);
          translations_.push_back(t);
          pending = false;
          break;
        }
        case NatAction::session: {
          if (pending) {
            finish_open(cur, e.start != kNoTime ? e.start : e.time);
            pending = false;
          }
          NatTranslation t = from_event(id);
          t.open_event = id;
          t.end_kind = NatTranslation::EndKind::stated;
          start_for_orphan(e, t);
          t.end = e.time;
          if (t.end <= t.start) t.end = t.start + std::chrono::seconds(1);
          translations_.push_back(t);
          break;
        }
      }
    }
    if (pending) finish_open(cur, kForever);
  }
  // By start, then by the log order of their first line: the same order
  // whatever else the store holds (a prefiltered scan keeps fewer events
  // than a full one, and the answers must not differ).
  auto first_event = [](const NatTranslation& t) {
    return t.open_event != NatTranslation::kNoEvent ? t.open_event : t.close_event;
  };
  std::sort(translations_.begin(), translations_.end(),
            [&](const NatTranslation& a, const NatTranslation& b) {
              if (a.start != b.start) return a.start < b.start;
              return first_event(a) < first_event(b);
            });
  for (uint32_t k = 0; k < translations_.size(); ++k) {
    const NatTranslation& t = translations_[k];
    by_public_[t.public_ip].push_back(k);
    by_inside_[t.inside_ip].push_back(k);
    if (t.public_port && !t.block)
      by_public_port_[t.public_ip][t.public_port].push_back(k);
    else
      by_public_wide_[t.public_ip].push_back(k);
  }
}

std::vector<const NatTranslation*> NatStore::for_public(const IpAddr& ip, uint16_t port) const {
  if (port == 0) return for_public(ip);
  static const std::vector<uint32_t> kNone;
  const std::vector<uint32_t>* exact = &kNone;
  const std::vector<uint32_t>* wide = &kNone;
  if (auto it = by_public_port_.find(ip); it != by_public_port_.end())
    if (auto p = it->second.find(port); p != it->second.end()) exact = &p->second;
  if (auto it = by_public_wide_.find(ip); it != by_public_wide_.end()) wide = &it->second;
  // Both lists are in start order (by index): merge them.
  std::vector<const NatTranslation*> out;
  out.reserve(exact->size() + wide->size());
  size_t i = 0, j = 0;
  while (i < exact->size() || j < wide->size()) {
    bool take_exact = j == wide->size() || (i < exact->size() && (*exact)[i] < (*wide)[j]);
    out.push_back(&translations_[take_exact ? (*exact)[i++] : (*wide)[j++]]);
  }
  return out;
}

std::vector<const NatTranslation*> NatStore::for_public(const IpAddr& ip) const {
  std::vector<const NatTranslation*> out;
  if (auto it = by_public_.find(ip); it != by_public_.end())
    for (uint32_t k : it->second) out.push_back(&translations_[k]);
  return out;
}

std::vector<const NatTranslation*> NatStore::for_inside(const IpAddr& ip) const {
  std::vector<const NatTranslation*> out;
  if (auto it = by_inside_.find(ip); it != by_inside_.end())
    for (uint32_t k : it->second) out.push_back(&translations_[k]);
  return out;
}

bool nat_key_fits(const NatTranslation& t, const NatQueryKey& q, bool reverse) {
  if (reverse) {
    if (t.inside_ip != q.ip) return false;
    if (q.port && t.inside_port && t.inside_port != q.port) return false;
  } else {
    if (t.public_ip != q.ip) return false;
    if (q.port && t.public_port) {
      uint16_t last = t.block ? std::max(t.block_end, t.public_port) : t.public_port;
      if (q.port < t.public_port || q.port > last) return false;
    }
  }
  if (q.proto && t.proto && q.proto != t.proto) return false;
  if (!q.dst_ip.is_unset() && !t.dst_ip.is_unset() && q.dst_ip != t.dst_ip) return false;
  if (q.dst_port && t.dst_port && q.dst_port != t.dst_port) return false;
  return true;
}

NatAnswer match_nat(const std::vector<const NatTranslation*>& translations, const NatQueryKey& key,
                    Instant t, Micros skew, const Coverage& coverage, Micros lookback,
                    bool reverse) {
  NatAnswer a;
  Instant lo = t - skew, hi = t + skew;
  for (const NatTranslation* tr : translations) {
    if (!nat_key_fits(*tr, key, reverse)) continue;
    if (!(tr->start <= hi && tr->end > lo)) continue;
    auto same = [&](const NatCandidate& c) {
      const NatTranslation* o = c.translations.front();
      if (reverse) return o->public_ip == tr->public_ip && o->public_port == tr->public_port;
      return o->inside_ip == tr->inside_ip;
    };
    auto it = std::find_if(a.candidates.begin(), a.candidates.end(), same);
    if (it == a.candidates.end()) {
      a.candidates.push_back(NatCandidate{{tr}, tr});
    } else {
      it->translations.push_back(tr);
      if (distance(*tr, t) < distance(*it->best, t)) it->best = tr;
    }
  }
  // A port block with no release is open only as far as the log goes: past
  // its end, or in a silence, it may have been released and given to another
  // subscriber, and nothing says so. The candidate stays shown, as a gap.
  if (!a.candidates.empty() && !coverage.covers(lo, hi)) {
    for (const NatCandidate& c : a.candidates)
      for (const NatTranslation* tr : c.translations)
        if (tr->block && tr->end_kind == NatTranslation::EndKind::open) {
          a.kind = MatchKind::gap;
          a.why = coverage.explain_gap(lo, hi) +
                  ": a port block not released before then may have been released and given "
                  "to another subscriber since";
          return a;
        }
  }
  if (a.candidates.size() == 1) {
    a.kind = MatchKind::exact;
  } else if (a.candidates.size() > 1) {
    a.kind = MatchKind::ambiguous;
  } else {
    a.kind = no_candidate(coverage, t, skew, lookback, "the longest idle timeout",
                          "a translation built earlier could still have been in use", a.why);
  }
  return a;
}

}  // namespace tracekit

#include "tracekit/nat.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <iterator>
#include <map>
#include <system_error>
#include <utility>

#include "tracekit/hop.h"
#include "tracekit/input.h"

namespace tracekit {

namespace {

constexpr uint8_t kTcp = 6, kUdp = 17, kIcmp = 1, kIcmp6 = 58;

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xff51afd7ed558ccdULL;
  return h ^ (h >> 32);
}

// Room for `need` elements, grown by doubling: a vector reserved to fit at
// every hand-off would be made anew each time, its pages faulted in again.
template <class V>
void reserve_doubling(V& v, size_t need) {
  if (v.capacity() < need) v.reserve(std::max(need, 2 * v.capacity()));
}

bool is_block(const StoredNatEvent& e) {
  return e.action == NatAction::block_open || e.action == NatAction::block_close;
}

// Events of one translation share a key: the device's session id when the
// log has one, else the whole tuple. pairing_hash hashes it (made for every
// event kept: no allocation), same_pairing compares it.
uint64_t pairing_hash(const StoredNatEvent& e) {
  const std::hash<std::string_view> text;
  uint64_t h = mix(e.source, text(e.device));
  h = mix(h, e.connection);
  if (!e.session_id.empty()) return mix(mix(h, 's'), text(e.session_id));
  h = mix(h, is_block(e) ? 'b' : 't');
  const IpHash ip;
  h = mix(mix(mix(h, ip(e.public_ip)), ip(e.inside_ip)), ip(e.dst_ip));
  return mix(h, uint64_t(e.public_port) | uint64_t(e.block_end) << 16 |
                    uint64_t(e.inside_port) << 32 | uint64_t(e.proto) << 48);
}

uint64_t (*pairing_hash_override)(const StoredNatEvent&) = nullptr;  // tests only

bool same_pairing(const StoredNatEvent& a, const StoredNatEvent& b) {
  if (a.source != b.source || a.device != b.device || a.connection != b.connection ||
      a.session_id.empty() != b.session_id.empty())
    return false;
  if (!a.session_id.empty()) return a.session_id == b.session_id;
  return is_block(a) == is_block(b) && a.public_ip == b.public_ip &&
         a.public_port == b.public_port && a.block_end == b.block_end && a.proto == b.proto &&
         a.inside_ip == b.inside_ip && a.inside_port == b.inside_port && a.dst_ip == b.dst_ip;
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

void NatStore::add(const NatEvent& ev, uint32_t file_id, uint32_t source) {
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
  s.device = text_.add(ev.device);
  s.session_id = text_.add(ev.session_id);
  s.raw = text_.add(ev.raw);
  s.ref = EvidenceRef{file_id, ev.first_line, ev.first_offset};
  s.source = source;
  s.seq = added_++;
  s.pairing = pairing_hash_override ? pairing_hash_override(s) : pairing_hash(s);
  events_.push_back(std::move(s));
  // As many new events as the last compaction left open (and at least a
  // first batch): the events compacted again stay within a few times those
  // that must be.
  if (windows_ &&
      events_.size() >= std::max(kFirstCompaction, kept().kept.load(std::memory_order_relaxed)))
    hand_off();
}

size_t NatStore::event_count() const {
  compactor_.join();
  return (kept_ ? kept_->events.size() + kept_->settled.size() : 0) + events_.size();
}

NatStore::Chunk& NatStore::kept() {
  if (!kept_) kept_ = std::make_shared<Chunk>();  // a store moved from
  return *kept_;
}

void NatStore::append(Chunk& c, Events& from, Text& text) {
  // (Whatever throws, throws before an event has moved.)
  reserve_doubling(c.events, c.events.size() + from.size());
  c.text.absorb(std::move(text));
  text = Text();
  std::move(from.begin(), from.end(), std::back_inserter(c.events));
  from.clear();
}

void NatStore::merge_new() {
  finish_compaction();
  Chunk& c = kept();
  append(c, c.incoming, c.incoming_text);  // (empty once a compaction ran)
  append(c, events_, text_);
}

void NatStore::hand_off() {
  finish_compaction();
  // The new events go to the compaction, which adds them to those kept; the
  // vector they leave is the one the last compaction emptied, its capacity
  // kept: the thread parsing neither moves events nor faults pages in.
  Chunk& c = kept();
  c.incoming.swap(events_);
  c.incoming_text.absorb(std::move(text_));
  text_ = Text();
  auto run = [](Chunk& chunk, const Windows& windows) {
    append(chunk, chunk.incoming, chunk.incoming_text);
    compact(chunk, windows);
  };
  if (!one_thread()) {
    try {
      compactor_.thread = std::thread([chunk = kept_, windows = windows_, run] {
        try {
          run(*chunk, *windows);
        } catch (...) {
          chunk->error = std::current_exception();  // rethrown by finish_compaction
        }
      });
      return;
    } catch (const std::system_error&) {
      // No thread to be had: compacted here.
    }
  }
  run(c, *windows_);
}

void NatStore::finish_compaction() {
  compactor_.join();
  if (kept_ && kept_->error) std::rethrow_exception(std::exchange(kept_->error, nullptr));
}

void NatStore::set_pairing_hash_for_tests(uint64_t (*hash)(const StoredNatEvent&)) {
  pairing_hash_override = hash;
}

void NatStore::Text::absorb(Text&& other) {
  blocks_.reserve(blocks_.size() + other.blocks_.size());
  for (auto& b : other.blocks_) blocks_.push_back(std::move(b));
  used_ = other.used_;
  room_ = other.room_;
  other.blocks_.clear();
  other.used_ = other.room_ = 0;
}

std::string_view NatStore::Text::add(std::string_view s) {
  if (s.empty()) return {};
  if (s.size() > room_ || blocks_.empty()) {  // (empty: a Text moved from)
    size_t size = std::max(kBlock, s.size());
    blocks_.emplace_back(new char[size]);
    used_ = 0;
    room_ = size;
  }
  char* at = blocks_.back().get() + used_;
  std::memcpy(at, s.data(), s.size());
  used_ += s.size();
  room_ -= s.size();
  return {at, s.size()};
}

NatStore::Groups NatStore::groups(const Events& events) {
  // Events in log order (the order they were added) within a group: log
  // order survives a clock stepped backwards, time order not. By pairing
  // hash, then id; events of one hash with different keys (a collision) are
  // split into groups of equal keys, each still in log order.
  std::vector<std::pair<uint64_t, uint32_t>> keyed;
  keyed.reserve(events.size());
  for (uint32_t id = 0; id < events.size(); ++id)
    if (events[id].time != kNoTime) keyed.emplace_back(events[id].pairing, id);
  std::sort(keyed.begin(), keyed.end());
  Groups g;
  g.ids.reserve(keyed.size());
  g.starts.push_back(0);
  std::vector<uint32_t> rest, other;
  for (size_t i = 0; i < keyed.size();) {
    size_t j = i + 1;
    while (j < keyed.size() && keyed[j].first == keyed[i].first) ++j;
    const StoredNatEvent& first = events[keyed[i].second];
    bool one_key = true;
    for (size_t k = i + 1; k < j && one_key; ++k)
      one_key = same_pairing(first, events[keyed[k].second]);
    if (one_key) {
      for (size_t k = i; k < j; ++k) g.ids.push_back(keyed[k].second);
      g.starts.push_back(uint32_t(g.ids.size()));
    } else {
      rest.clear();
      for (size_t k = i; k < j; ++k) rest.push_back(keyed[k].second);
      while (!rest.empty()) {
        other.clear();
        const StoredNatEvent& key = events[rest.front()];
        for (uint32_t id : rest) (same_pairing(key, events[id]) ? g.ids : other).push_back(id);
        g.starts.push_back(uint32_t(g.ids.size()));
        rest.swap(other);
      }
    }
    i = j;
  }
  return g;
}

// The translations of one group's events, in log order; emit(t, pos) with
// pos the place in g of the event that completed t (g.size(): the log's end).
template <class Emit>
void NatStore::pair_group(const Events& events, std::span<const uint32_t> g,
                          const std::vector<NatTimeoutValues>& timeouts,
                          const std::vector<Instant>& file_start, Emit&& emit) {
  size_t pos = 0;
  auto timeout_of = [&](const StoredNatEvent& e) {
    return e.source < timeouts.size() ? timeouts[e.source].for_proto(e.proto)
                                      : NatTimeoutValues{}.for_proto(e.proto);
  };
  auto from_event = [&](uint32_t id) {
    const StoredNatEvent& e = events[id];
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
    const StoredNatEvent& o = events[t.open_event];
    if (t.is_static || t.block) {
      t.end = next_build;
      t.end_kind = NatTranslation::EndKind::open;
      if (next_build != kForever) t.end_kind = NatTranslation::EndKind::assumed;
    } else {
      t.assumed_timeout = timeout_of(o);
      t.end = std::min(t.start + t.assumed_timeout, next_build);
      t.end_kind = NatTranslation::EndKind::assumed;
    }
    emit(std::move(t), pos);
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
  bool pending = false;
  NatTranslation cur;
  for (pos = 0; pos < g.size(); ++pos) {
    uint32_t id = g[pos];
    const StoredNatEvent& e = events[id];
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
        emit(std::move(t), pos);
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
        emit(std::move(t), pos);
        break;
      }
    }
  }
  pos = g.size();
  if (pending) finish_open(cur, kForever);
}

namespace {

void sort_and_merge(std::vector<Span>& spans) {
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.from < b.from; });
  size_t out = 0;
  for (const auto& w : spans) {
    if (out && w.from <= spans[out - 1].to)
      spans[out - 1].to = std::max(spans[out - 1].to, w.to);
    else
      spans[out++] = w;
  }
  spans.resize(out);
}

// Whether [t.start, t.end) meets one of the closed spans (as match_nat asks:
// start <= to and end > from): the first span ending at or after the start
// is the only one that can.
bool meets(const std::vector<Span>& spans, const NatTranslation& t) {
  auto it = std::lower_bound(spans.begin(), spans.end(), t.start,
                             [](const Span& w, Instant at) { return w.to < at; });
  return it != spans.end() && it->from < t.end;
}

}  // namespace

void NatStore::set_windows(const std::vector<Window>& windows, bool reverse,
                           std::vector<NatTimeoutValues> timeouts) {
  finish_compaction();
  auto w = std::make_shared<Windows>();
  for (const auto& win : windows) {
    WindowSet& set = w->by_ip[win.ip];
    set.all.push_back(win.span);
    (win.port ? set.by_port[win.port] : set.any_port).push_back(win.span);
  }
  for (auto& [ip, set] : w->by_ip) {
    sort_and_merge(set.all);
    sort_and_merge(set.any_port);
    for (auto& [port, spans] : set.by_port) sort_and_merge(spans);
  }
  w->reverse = reverse;
  w->timeouts = std::move(timeouts);
  windows_ = std::move(w);
}

bool NatStore::Windows::meet(const NatTranslation& t) const {
  auto it = by_ip.find(reverse ? t.inside_ip : t.public_ip);
  if (it == by_ip.end()) return true;  // not a key asked about: not ours to drop
  const WindowSet& set = it->second;
  uint16_t port = reverse ? t.inside_port : t.public_port;
  if (port == 0 || t.block) return meets(set.all, t);
  if (meets(set.any_port, t)) return true;
  auto p = set.by_port.find(port);
  return p != set.by_port.end() && meets(p->second, t);
}

void NatStore::compact(Chunk& chunk, const Windows& windows) {
  // A group's events fall into runs whose translations later events cannot
  // change: a run ends with what closes a translation (a teardown, a release,
  // a session record), or before a build that finds the previous one already
  // past its idle timeout. A run none of whose translations meets a window
  // is dropped whole; what follows pairs as it would have with it there. A
  // group's last run may go on in events not yet in the chunk: never dropped.
  static const std::vector<Instant> kNoFileStart;
  Events& events = chunk.events;
  const std::vector<NatTimeoutValues>& timeouts = windows.timeouts;
  // A run that ends (with what closes it, or before a build past its
  // timeout) is final: later events cannot change its translations, nor
  // does it change how they pair. Kept, it is settled: moved aside, where
  // later compactions pass over it. Events without a time pair with none.
  enum Fate : char { keep_active, drop, settle };
  std::vector<char> fate(events.size(), keep_active);
  std::vector<char> needed;
  size_t dropped = 0, settled = 0;
  for (size_t id = 0; id < events.size(); ++id)
    if (events[id].time == kNoTime) {
      fate[id] = settle;
      ++settled;
    }
  const Groups all = groups(events);
  for (size_t gi = 0; gi < all.size(); ++gi) {
    const std::span<const uint32_t> g = all[gi];
    needed.assign(g.size(), 0);
    pair_group(events, g, timeouts, kNoFileStart, [&](NatTranslation&& t, size_t) {
      // Marked at the translation's first event, which its run holds. A
      // start taken from its file's first line is not known here: kept.
      if (!t.start_from_file && !windows.meet(t)) return;
      uint32_t first = t.open_event != NatTranslation::kNoEvent ? t.open_event : t.close_event;
      needed[size_t(std::lower_bound(g.begin(), g.end(), first) - g.begin())] = 1;
    });
    size_t run_begin = 0;
    bool keep = false, pending = false;
    Instant pending_until = kForever;
    auto end_run = [&](size_t end) {  // [run_begin, end)
      for (size_t k = run_begin; k < end; ++k) fate[g[k]] = keep ? settle : drop;
      (keep ? settled : dropped) += end - run_begin;
      run_begin = end;
      keep = false;
    };
    for (size_t pos = 0; pos < g.size(); ++pos) {
      const StoredNatEvent& e = events[g[pos]];
      bool opens = e.action == NatAction::open || e.action == NatAction::block_open;
      if (opens && pending && pending_until < e.time) end_run(pos);
      keep |= needed[pos] != 0;
      if (opens) {
        pending = true;
        bool lasting = e.is_static || e.action == NatAction::block_open;
        pending_until =
            lasting ? kForever
                    : e.time + (e.source < timeouts.size() ? timeouts[e.source].for_proto(e.proto)
                                                           : NatTimeoutValues{}.for_proto(e.proto));
      } else {
        pending = false;
        end_run(pos + 1);
      }
    }
  }
  if (dropped || settled) {
    auto copy_text = [](StoredNatEvent& e, Text& to) {
      e.device = to.add(e.device);
      e.session_id = to.add(e.session_id);
      e.raw = to.add(e.raw);
    };
    reserve_doubling(chunk.settled, chunk.settled.size() + settled);
    size_t out = 0;
    for (size_t id = 0; id < events.size(); ++id) {
      if (fate[id] == drop) continue;
      if (fate[id] == settle) {
        copy_text(events[id], chunk.settled_text);
        chunk.settled.push_back(std::move(events[id]));
        continue;
      }
      if (out != id) events[out] = std::move(events[id]);
      ++out;
    }
    events.resize(out);  // (its capacity kept for the events to come)
    // The text of the events still open, into blocks of its own; the old go.
    Text active;
    for (StoredNatEvent& e : events) copy_text(e, active);
    chunk.text = std::move(active);
  }
  chunk.kept.store(events.size(), std::memory_order_relaxed);
}

void NatStore::unsettle(Chunk& c) {
  if (c.settled.empty()) return;
  // Settled events are in log order within a translation's group, but not
  // overall: back in the order they were added, the store is as it would
  // be had they never been set aside (ids, and so the translations' order).
  Events all;
  all.reserve(c.settled.size() + c.events.size());
  std::vector<std::pair<uint64_t, uint32_t>> order;
  order.reserve(c.settled.size() + c.events.size());
  for (uint32_t k = 0; k < c.settled.size(); ++k) order.emplace_back(c.settled[k].seq, k);
  const auto n = uint32_t(c.settled.size());
  for (uint32_t k = 0; k < c.events.size(); ++k) order.emplace_back(c.events[k].seq, n + k);
  std::sort(order.begin(), order.end());
  for (const auto& [seq, k] : order)
    all.push_back(std::move(k < n ? c.settled[k] : c.events[k - n]));
  c.events.swap(all);
  c.settled.clear();
  c.text.absorb(std::move(c.settled_text));
  c.settled_text = Text();
}

void NatStore::build(const std::vector<NatTimeoutValues>& timeouts,
                     const std::vector<Instant>& file_start) {
  // Every event into kept_ (compacted once more when windows are set).
  merge_new();
  if (windows_) compact(kept(), *windows_);
  unsettle(kept());
  const Events& events = kept_->events;
  translations_.clear();
  by_public_.clear();
  by_inside_.clear();
  const Groups all = groups(events);
  for (size_t gi = 0; gi < all.size(); ++gi)
    pair_group(events, all[gi], timeouts, file_start,
               [&](NatTranslation&& t, size_t) { translations_.push_back(std::move(t)); });
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
  // A port block with no release, or a static translation with no teardown,
  // is open only as far as the log goes: past its end, or in a silence, it
  // may have been released (or the configuration changed) and the address
  // given to another, and nothing says so. The candidate stays shown, as a
  // gap. So is a dynamic translation whose end is assumed (its build and the
  // idle timeout) when the time asked is past the log's end; in a silence
  // within the log, the answer stands and says what it depends on. (Only
  // where the time asked itself lies outside the log: a build logged within
  // the skew window is evidence enough.)
  if (!a.candidates.empty() && !coverage.covers(lo, hi)) {
    const bool time_in_log = coverage.covers(t, t);
    for (const NatCandidate& c : a.candidates)
      for (const NatTranslation* tr : c.translations) {
        const char* why = nullptr;
        if ((tr->block || tr->is_static) && tr->end_kind == NatTranslation::EndKind::open)
          why = tr->block ? ": a port block not released before then may have been released "
                            "and given to another subscriber since"
                          : ": a static translation not torn down before then may have been "
                            "removed or changed since";
        else if (tr->end_kind == NatTranslation::EndKind::assumed && !time_in_log)
          why =
              ": a translation with no teardown logged, assumed to last its idle timeout, may "
              "have ended and the port been given to another host in that time";
        if (!why) continue;
        if (tr->end_kind == NatTranslation::EndKind::assumed && !coverage.past_end(t)) {
          // In a silence: said. Before the log's first line the build came
          // after the time asked (within the skew): its end is not in question.
          if (coverage.within(t) && a.caveat.empty()) a.caveat = coverage.explain_gap(t, t) + why;
          continue;
        }
        a.kind = MatchKind::gap;
        a.why = coverage.explain_gap(lo, hi) + why;
        a.caveat.clear();
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

#include "tracekit/nat_hop.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <unordered_set>

#include "tracekit/hop.h"
#include "tracekit/text.h"

namespace tracekit {

namespace {

using json = nlohmann::ordered_json;

struct ProtoName {
  const char* name;
  uint8_t number;
};
constexpr ProtoName kProtos[] = {{"icmp", 1},       {"igmp", 2},  {"tcp", 6}, {"udp", 17},
                                 {"gre", 47},       {"esp", 50},  {"ah", 51}, {"icmpv6", 58},
                                 {"ipv6-icmp", 58}, {"sctp", 132}};

// The sessions a batch keeps (hundreds of thousands of them): their keys end
// to end in one buffer, found through an open-addressing table of hashes.
// Adding or asking allocates nothing per key, and it is freed in one go. A
// session erased leaves its slot marked (its bytes stay) until the table
// grows.
class SessionSet {
 public:
  // Adds `key`: its flag (false at first), or null when it was there already.
  bool* insert(std::string_view key) {
    if ((slots_used_ + 1) * 2 > slots_.size()) grow();
    const uint64_t h = hash(key);
    size_t i = h & (slots_.size() - 1);
    for (; slots_[i].at != kEmpty; i = (i + 1) & (slots_.size() - 1))
      if (is(slots_[i], h, key)) return nullptr;
    slots_[i] = {h, bytes_.size(), false};
    const uint32_t len = uint32_t(key.size());
    bytes_.append(reinterpret_cast<const char*>(&len), sizeof len);
    bytes_.append(key);
    ++slots_used_;
    ++count_;
    return &slots_[i].flag;
  }
  bool contains(std::string_view key) const { return find(key) != nullptr; }
  // Removes `key`; its flag when it was there, else false.
  bool erase(std::string_view key) {
    Slot* s = const_cast<Slot*>(find(key));
    if (!s) return false;
    s->at = kErased;
    --count_;
    return s->flag;
  }
  bool empty() const { return count_ == 0; }

 private:
  static constexpr uint64_t kEmpty = UINT64_MAX, kErased = UINT64_MAX - 1;
  struct Slot {
    uint64_t hash = 0;
    uint64_t at = kEmpty;  // where in bytes_ the key's length and bytes are
    bool flag = false;
  };
  static uint64_t hash(std::string_view key) { return std::hash<std::string_view>{}(key); }
  std::string_view text(const Slot& s) const {
    uint32_t len;
    std::memcpy(&len, bytes_.data() + s.at, sizeof len);
    return {bytes_.data() + s.at + sizeof len, len};
  }
  bool is(const Slot& s, uint64_t h, std::string_view key) const {
    return s.at != kErased && s.hash == h && text(s) == key;
  }
  const Slot* find(std::string_view key) const {
    if (count_ == 0) return nullptr;
    const uint64_t h = hash(key);
    for (size_t i = h & (slots_.size() - 1); slots_[i].at != kEmpty;
         i = (i + 1) & (slots_.size() - 1))
      if (is(slots_[i], h, key)) return &slots_[i];
    return nullptr;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    // (Erased slots are left behind: room for twice the keys, a power of two.)
    slots_.assign(std::max<size_t>(1024, std::bit_ceil(count_ * 4)), Slot{});
    for (const Slot& s : old) {
      if (s.at == kEmpty || s.at == kErased) continue;
      size_t i = s.hash & (slots_.size() - 1);
      while (slots_[i].at != kEmpty) i = (i + 1) & (slots_.size() - 1);
      slots_[i] = s;
    }
    slots_used_ = count_;
  }
  std::vector<Slot> slots_;  // a power of two of them, at most half used
  std::string bytes_;
  size_t count_ = 0;       // keys in it
  size_t slots_used_ = 0;  // slots not empty (keys and erased ones)
};

std::string address_port(const IpAddr& ip, uint16_t port) {
  if (ip.is_unset()) return "";
  if (!port) return to_string(ip);
  return ip.is_v4() ? fmt::format("{}:{}", to_string(ip), port)
                    : fmt::format("[{}]:{}", to_string(ip), port);
}

}  // namespace

bool parse_proto(std::string_view s, uint8_t& out) {
  for (const auto& p : kProtos)
    if (iequals(s, p.name)) {
      out = p.number;
      return true;
    }
  unsigned n = 0;
  if (parse_number(s, n) && n <= 255) {
    out = uint8_t(n);
    return true;
  }
  return false;
}

std::string proto_name(uint8_t proto) {
  if (proto == 0) return "";
  for (const auto& p : kProtos)
    if (p.number == proto) return p.name;
  return std::to_string(proto);
}

bool parse_address_port(std::string_view text, IpAddr& ip, uint16_t& port, std::string& error) {
  port = 0;
  std::string_view addr = text, port_text;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      error = fmt::format("'{}': '[' without ']' (expected [IPv6]:PORT)", text);
      return false;
    }
    addr = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        error = fmt::format("'{}': expected ':PORT' after ']'", text);
        return false;
      }
      port_text = rest.substr(1);
      has_port = true;
    }
  } else if (text.find(':') == text.rfind(':') && text.find(':') != std::string_view::npos) {
    // One colon: IPv4:PORT (an IPv6 address has at least two).
    addr = text.substr(0, text.find(':'));
    port_text = text.substr(text.find(':') + 1);
    has_port = true;
  }
  if (!parse_ip(addr, ip)) {
    error = fmt::format("'{}' is not an IP address (expected ADDRESS, ADDRESS:PORT or [IPv6]:PORT)",
                        text);
    return false;
  }
  if (has_port) {
    unsigned p = 0;
    if (!parse_number(port_text, p) || p == 0 || p > 65535) {
      error = fmt::format("'{}': the port must be a number from 1 to 65535", text);
      return false;
    }
    port = uint16_t(p);
  }
  return true;
}

bool nat_query_from_args(std::string_view address, Instant time, std::string_view proto,
                         std::string_view dst, NatQuery& out, std::string& error) {
  out = NatQuery{};
  if (!parse_address_port(address, out.key.ip, out.key.port, error)) return false;
  if (!proto.empty() && !parse_proto(proto, out.key.proto)) {
    error = fmt::format("--proto: '{}' is not a protocol (tcp, udp, icmp or a number)", proto);
    return false;
  }
  if (!dst.empty() && !parse_address_port(dst, out.key.dst_ip, out.key.dst_port, error)) {
    error = "--dst: " + error;
    return false;
  }
  out.time = time;
  out.row = Row::object();
  if (time != kNoTime)
    out.row["time"] = format_rfc3339(time, time.time_since_epoch().count() % 1000000 != 0);
  out.row["ip"] = to_string(out.key.ip);
  if (out.key.port) out.row["port"] = std::to_string(out.key.port);
  if (out.key.proto) out.row["proto"] = proto_name(out.key.proto);
  if (!out.key.dst_ip.is_unset()) out.row["dst_ip"] = to_string(out.key.dst_ip);
  if (out.key.dst_port) out.row["dst_port"] = std::to_string(out.key.dst_port);
  return true;
}

bool nat_query_from_row(Row given, const std::string& key_field, const date::time_zone* zone,
                        NatQuery& out, std::string& error) {
  out = NatQuery{};
  out.row = std::move(given);
  const Row& row = out.row;
  out.skipped = earlier_hop_failed(row, "nat");
  if (out.skipped) return true;
  // A trace-url or trace-mail row: its client (DESIGN.md: the newest hop
  // that has one).
  std::string field = !key_field.empty()                      ? key_field
                      : get_field(row, "url.client")          ? "url.client"
                      : !get_text(row, "mail.client").empty() ? "mail.client"
                                                              : "ip";
  std::string text = get_text(row, field);
  if (text.empty()) {
    error = fmt::format("no {} field to look up{}", field,
                        key_field.empty() ? " (name one with --key)" : "");
    return false;
  }
  if (!parse_address_port(text, out.key.ip, out.key.port, error)) {
    error = fmt::format("field {}: {}", field, error);
    return false;
  }
  auto number = [&](const char* name, uint16_t& v) {
    std::string t = get_text(row, name);
    if (t.empty()) return true;
    unsigned n = 0;
    if (!parse_number(t, n) || n > 65535) {
      error = fmt::format("field {}: '{}' is not a port number", name, t);
      return false;
    }
    v = uint16_t(n);
    return true;
  };
  if (!out.key.port && !number("port", out.key.port)) return false;
  if (!number("dst_port", out.key.dst_port)) return false;
  if (std::string p = get_text(row, "proto"); !p.empty() && !parse_proto(p, out.key.proto)) {
    error = fmt::format("field proto: '{}' is not a protocol", p);
    return false;
  }
  if (std::string d = get_text(row, "dst_ip"); !d.empty() && !parse_ip(d, out.key.dst_ip)) {
    error = fmt::format("field dst_ip: '{}' is not an IP address", d);
    return false;
  }
  return row_time(row, zone, out.time, error);
}

NatHop::NatHop(ToolRun& run, bool reverse)
    : run_(run),
      reverse_(reverse),
      scanner_(run.diag, ScanSettings{run.zone, run.max_silence, {}}) {}

Micros NatHop::lookback() const {
  Micros l{0};
  for (uint32_t s : nat_sources_) l = std::max(l, nat_timeouts_for(run_.sources[s]).longest());
  return l;
}

bool NatHop::load(const std::vector<NatQueryKey>& keys, const std::vector<Instant>& times) {
  if (!times.empty() && times.size() == keys.size()) {
    std::vector<uint32_t> all(run_.sources.size());
    for (uint32_t s = 0; s < all.size(); ++s) all[s] = s;
    Micros skew = widen_skew(run_.skew, run_.sources, all);
    std::vector<NatStore::Window> windows;
    windows.reserve(keys.size());
    for (size_t k = 0; k < keys.size(); ++k)
      windows.push_back({keys[k].ip, keys[k].port, {times[k] - skew, times[k] + skew}});
    std::vector<NatTimeoutValues> timeouts;
    for (const auto& src : run_.sources) timeouts.push_back(nat_timeouts_for(src));
    store_.set_windows(windows, reverse_, std::move(timeouts));
  }
  std::unordered_set<IpAddr, IpHash> ips;
  std::vector<std::string> needles;
  bool all_v4 = true, all_ports = true;
  std::vector<uint16_t> ports;
  for (const auto& k : keys) {
    if (ips.insert(k.ip).second) {
      if (k.ip.is_v4())
        needles.push_back(to_string(k.ip));
      else
        all_v4 = false;
    }
    if (k.port)
      ports.push_back(k.port);
    else
      all_ports = false;
  }
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
  // A port block holds the port asked when the port lies in it; a line with
  // no port could be any.
  auto port_wanted = [&](const NatEvent& ev) {
    if (!all_ports) return true;
    uint16_t first = reverse_ ? ev.inside_port : ev.public_port;
    if (first == 0) return true;
    uint16_t last =
        (!reverse_ && (ev.action == NatAction::block_open || ev.action == NatAction::block_close))
            ? std::max(ev.block_end, first)
            : first;
    auto it = std::lower_bound(ports.begin(), ports.end(), first);
    return it != ports.end() && *it <= last;
  };
  std::vector<std::string> prefilter;
  if (all_v4 && Scanner::prefilter_pays(needles)) prefilter = needles;
  // With a port in every query (any number of them), formats that write
  // "ADDR/PORT" are prefiltered for that.
  std::vector<std::pair<std::string, uint16_t>> addr_ports;
  if (!prefilter.empty() && all_ports && !reverse_) {
    for (const auto& k : keys) addr_ports.emplace_back(to_string(k.ip), k.port);
    std::sort(addr_ports.begin(), addr_ports.end());
    addr_ports.erase(std::unique(addr_ports.begin(), addr_ports.end()), addr_ports.end());
  }
  scanner_ = Scanner(run_.diag, ScanSettings{run_.zone, run_.max_silence, prefilter, addr_ports});
  // A teardown may name the session but not the public address (ASA 302014
  // after its Built line): events of a session already kept are kept too,
  // and lines naming its inside address are parsed fully.
  SessionSet sessions;
  std::string session_key;
  auto key_of = [&](const NatEvent& ev, uint32_t source) {
    // Bytes: the source, the device's length and name, the session id.
    uint32_t head[2] = {source, uint32_t(ev.device.size())};
    session_key.assign(reinterpret_cast<const char*>(head), sizeof head);
    session_key += ev.device;
    session_key += ev.session_id;
  };
  EventSink<NatEvent> keep = [&](const NatEvent& ev, const ScanFile& f, uint32_t file_id,
                                 const Line&) {
    const IpAddr& ip = reverse_ ? ev.inside_ip : ev.public_ip;
    bool known = ips.count(ip) != 0;
    if (known && !reverse_) seen_public_.insert(ip);
    bool wanted = known && port_wanted(ev);
    if (!wanted && (ev.session_id.empty() || sessions.empty())) return;
    if (!ev.session_id.empty()) {
      key_of(ev, f.source);
      if (wanted) {
        // (The flag: the scanner parses the session's lines for it.)
        if (bool* filtered = sessions.insert(session_key); filtered && !reverse_) {
          *filtered = scanner_.add_session(ev.session_id);
          if (!*filtered && ev.inside_ip.is_v4()) scanner_.add_needle(to_string(ev.inside_ip));
        }
      } else if (!sessions.contains(session_key)) {
        return;
      }
    }
    store_.add(ev, file_id, f.source);
    // A session torn down: its id may come again (a device restarted), for
    // another session. Until then the scanner's set holds only the sessions
    // still open, and stays small.
    if (ev.action == NatAction::close && !ev.session_id.empty() && sessions.erase(session_key))
      scanner_.drop_session(ev.session_id);
  };
  for (uint32_t s = 0; s < run_.sources.size(); ++s)
    if (!scanner_.scan<NatEvent>(run_.sources[s], s, keep)) return false;
  std::vector<NatTimeoutValues> timeouts;
  for (const auto& src : run_.sources) timeouts.push_back(nat_timeouts_for(src));
  std::vector<Instant> file_start;
  for (const auto& f : scanner_.files()) file_start.push_back(f.first_time);
  store_.build(timeouts, file_start);
  nat_sources_ = sources_read(scanner_.files());
  coverage_ = build_coverage(scanner_.files(), nat_sources_, run_.max_silence);
  source_coverage_.assign(run_.sources.size(), Coverage{});
  for (uint32_t s : nat_sources_)
    source_coverage_[s] = build_coverage(scanner_.files(), {s}, run_.max_silence);
  return true;
}

const Coverage& NatHop::coverage_for(const IpAddr& public_ip, Coverage& scratch) const {
  std::vector<uint32_t> claim;
  for (uint32_t s : nat_sources_)
    for (const IpPrefix& p : run_.sources[s].nat_public)
      if (p.contains(public_ip)) {
        claim.push_back(s);
        break;
      }
  if (claim.empty()) return coverage_;
  if (claim.size() == 1) return source_coverage_[claim[0]];
  scratch = build_coverage(scanner_.files(), claim, run_.max_silence);
  return scratch;
}

bool NatHop::is_public(const IpAddr& ip) const {
  if (seen_public_.count(ip)) return true;
  for (const auto& src : run_.sources)
    for (const auto& p : src.nat_public)
      if (p.contains(ip)) return true;
  return false;
}

bool NatHop::has_sources() const {
  if (!nat_sources_.empty()) return true;
  for (const auto& s : run_.sources) {
    const FormatInfo* f = s.format == "auto" ? nullptr : find_format(s.format);
    if (!s.nat_public.empty() || (f && f->family == Family::nat)) return true;
  }
  return false;
}

Row NatHop::row_for(const NatQuery& q, MatchKind kind, const NatCandidate* c, Instant t,
                    const std::string& extra_note) const {
  Row row = answer_base(q);
  json hop = object_with_room(16);
  append_field(hop, "match", std::string(match_name(kind)));
  std::vector<std::string> notes;
  const NatTranslation* tr = c ? c->best : nullptr;
  if (!tr) {
    for (const char* f : {"ip", "port", "start", "end", "device", "evidence", "public_ip",
                          "public_port", "proto", "dst"})
      append_field(hop, f, "");
  } else {
    const auto& files = scanner_.files();
    append_field(hop, "ip", to_string(tr->inside_ip));
    append_field(hop, "port", tr->inside_port ? std::to_string(tr->inside_port) : "");
    bool frac = false;
    std::vector<TimeNoteRef> refs;
    json evidence = json::array();
    for (uint32_t id : {tr->open_event, tr->close_event}) {
      if (id == NatTranslation::kNoEvent) continue;
      const StoredNatEvent& e = store_.event(id);
      frac |= (e.time_flags & kHasFraction) != 0;
      refs.push_back({e.ref, e.time_flags});
      evidence.push_back(evidence_item(files, e.ref, e.raw));
    }
    append_field(hop, "start", format_rfc3339(tr->start, frac));
    append_field(hop, "end", tr->end == kForever ? "" : format_rfc3339(tr->end, frac));
    append_field(hop, "device", tr->device.empty() ? run_.sources[tr->source].name : tr->device);
    append_field(hop, "evidence", std::move(evidence));
    append_field(hop, "public_ip", to_string(tr->public_ip));
    append_field(hop, "public_port",
                 !tr->public_port ? ""
                 : tr->block      ? fmt::format("{}-{}", tr->public_port,
                                                std::max(tr->block_end, tr->public_port))
                                  : std::to_string(tr->public_port));
    append_field(hop, "proto", proto_name(tr->proto));
    append_field(hop, "dst", address_port(tr->dst_ip, tr->dst_port));
    if (tr->block)
      notes.push_back(fmt::format("port block {}-{} allocated to this subscriber", tr->public_port,
                                  std::max(tr->block_end, tr->public_port)));
    switch (tr->end_kind) {
      case NatTranslation::EndKind::assumed:
        if (tr->assumed_timeout.count() > 0)
          notes.push_back(fmt::format(
              "end assumed: no teardown logged, {} idle timeout {} after the build",
              tr->proto ? proto_name(tr->proto) : "default", format_duration(tr->assumed_timeout)));
        else
          notes.push_back("end assumed: no release logged before the same mapping was built again");
        break;
      case NatTranslation::EndKind::open:
        notes.push_back("open-ended: nothing in the logs ends this translation");
        break;
      case NatTranslation::EndKind::stated:
        break;
    }
    if (tr->start_from_file)
      notes.push_back(
          "built before its log begins: the start is the first line of the file that holds the "
          "teardown");
    if (tr->clock_backwards)
      notes.push_back("the teardown is logged before the build (the device's clock was set back?)");
    if (c->translations.size() > 1)
      notes.push_back(
          fmt::format("{} translations of this {} in the window; the one nearest the "
                      "time asked is shown",
                      c->translations.size(), reverse_ ? "address and port" : "host"));
    if (t != kNoTime && !(tr->start <= t && tr->end > t))
      notes.push_back("the translation meets the skew window but not the time asked itself");
    add_time_notes(refs, files, notes);
  }
  if (!extra_note.empty()) notes.push_back(extra_note);
  append_field(hop, "note", join_notes(notes));
  row["nat"] = std::move(hop);
  return row;
}

std::vector<Row> NatHop::answer(const NatQuery& q) const {
  if (q.skipped) {
    Row row = answer_base(q);
    row["nat"] = json{{"match", "skipped"}};
    return one_row(std::move(row));
  }
  auto translations =
      reverse_ ? store_.for_inside(q.key.ip) : store_.for_public(q.key.ip, q.key.port);
  Micros skew = widen_skew(run_.skew, run_.sources, nat_sources_);
  Coverage scratch;
  const Coverage& coverage = reverse_ ? coverage_ : coverage_for(q.key.ip, scratch);
  NatAnswer a = match_nat(translations, q.key, q.time, skew, coverage, lookback(), reverse_);
  std::string note;
  if (skew.count() > 0)
    note = fmt::format("matched within ±{} of the time asked", format_duration(skew));
  if (!q.key.port && !reverse_ && a.kind != MatchKind::gap)
    note = "no port given: every inside host that used the address in the window" +
           (note.empty() ? "" : "; " + note);
  if (a.kind == MatchKind::ambiguous)
    note = fmt::format("{} candidates within the window{}{}", a.candidates.size(),
                       note.empty() ? "" : "; ", note);
  if (a.kind == MatchKind::gap) note = a.why + (note.empty() ? "" : "; " + note);
  if (!a.caveat.empty()) note = a.caveat + (note.empty() ? "" : "; " + note);
  if (a.candidates.empty()) return one_row(row_for(q, a.kind, nullptr, q.time, note));
  std::vector<Row> rows;
  for (const auto& c : a.candidates) rows.push_back(row_for(q, a.kind, &c, q.time, note));
  return rows;
}

std::vector<Row> NatHop::history(const NatQuery& q, Instant from, Instant to) const {
  std::vector<Row> rows;
  auto translations = reverse_ ? store_.for_inside(q.key.ip) : store_.for_public(q.key.ip);
  for (const NatTranslation* tr : translations) {
    if (!nat_key_fits(*tr, q.key, reverse_)) continue;
    if (from != kNoTime && tr->end <= from) continue;
    if (to != kNoTime && tr->start >= to) continue;
    NatCandidate c{{tr}, tr};
    rows.push_back(row_for(q, MatchKind::exact, &c, kNoTime, ""));
  }
  if (rows.empty()) {
    bool nothing = coverage_.spans.empty();
    rows.push_back(row_for(q, nothing ? MatchKind::gap : MatchKind::none, nullptr, kNoTime,
                           nothing ? "no NAT log line was read" : ""));
  }
  return rows;
}

}  // namespace tracekit

#include "tracekit/lease_hop.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "tracekit/hop.h"
#include "tracekit/text.h"

namespace tracekit {

namespace {

using json = nlohmann::ordered_json;

std::string short_host(std::string_view h) {
  return std::string(h.substr(0, h.find('.')));
}

// Events grouped by what `same` says is one thing (a client, a name), in
// the order first seen: each with its first and last event and how many.
struct Uses {
  uint32_t first, last, count;
};
template <typename Same>
std::vector<Uses> group_uses(const std::vector<uint32_t>& ids, Same same) {
  std::vector<Uses> out;
  for (uint32_t id : ids) {
    auto u = std::find_if(out.begin(), out.end(), [&](const Uses& x) { return same(x.first, id); });
    if (u == out.end())
      out.push_back({id, id, 1});
    else
      u->last = id, ++u->count;
  }
  return out;
}

}  // namespace

bool parse_lease_key(std::string_view text, LeaseKey& out, std::string& error) {
  if (text.empty()) {
    error = "empty key (expected an IP address, a MAC address or a host name)";
    return false;
  }
  if (parse_ip(text, out.ip)) {
    out.kind = LeaseKey::Kind::ip;
    return true;
  }
  if (parse_mac(text, out.mac)) {
    out.kind = LeaseKey::Kind::mac;
    return true;
  }
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) {
      error = fmt::format("'{}' is neither an IP address, a MAC address nor a host name", text);
      return false;
    }
  }
  out.kind = LeaseKey::Kind::host;
  out.host = std::string(text);
  return true;
}

bool lease_query_from_args(std::string_view key, Instant time, LeaseQuery& out,
                           std::string& error) {
  if (!parse_lease_key(key, out.key, error)) return false;
  out.time = time;
  out.skipped = false;
  out.row = Row::object();
  if (time != kNoTime)
    out.row["time"] = format_rfc3339(time, time.time_since_epoch().count() % 1000000 != 0);
  const char* field = out.key.kind == LeaseKey::Kind::ip    ? "ip"
                      : out.key.kind == LeaseKey::Kind::mac ? "mac"
                                                            : "host";
  out.row[field] = std::string(key);
  return true;
}

bool lease_query_from_row(Row given, const std::string& key_field, const date::time_zone* zone,
                          bool need_time, LeaseQuery& out, std::string& error) {
  out.row = std::move(given);
  const Row& row = out.row;
  out.skipped = earlier_hop_failed(row, "lease");
  if (out.skipped) return true;
  std::string field = key_field;
  if (field.empty()) {
    for (const char* f : {"nat.ip", "url.client", "mail.client", "ip", "mac", "host"})
      if (get_field(row, f)) {
        field = f;
        break;
      }
  }
  if (field.empty()) {
    error = "no ip, mac or host field to look up (name one with --key)";
    return false;
  }
  std::string text = get_text(row, field);
  if (!parse_lease_key(text, out.key, error)) {
    error = fmt::format("field {}: {}", field, error);
    return false;
  }
  return !need_time || row_time(row, zone, out.time, error);
}

LeaseHop::LeaseHop(ToolRun& run, LeaseHopSettings settings)
    : run_(run),
      settings_(settings),
      scanner_(run.diag, ScanSettings{run.zone, run.max_silence, {}}) {}

Micros assumed_lease_time(const SourceSpec& source, std::optional<Micros> forced) {
  return forced ? *forced : source.lease_time.value_or(kDefaultLeaseTime);
}

Micros LeaseHop::lease_time_for(uint32_t source) const {
  if (source >= run_.sources.size()) return settings_.lease_time.value_or(kDefaultLeaseTime);
  return assumed_lease_time(run_.sources[source], settings_.lease_time);
}

bool LeaseHop::load(const std::vector<LeaseKey>& keys) {
  std::unordered_set<IpAddr, IpHash> ips;
  std::unordered_set<MacAddr, MacHash> macs;
  std::vector<std::string> hosts;
  std::vector<std::string> needles;
  bool all_v4 = true;
  for (const auto& k : keys) {
    switch (k.kind) {
      case LeaseKey::Kind::ip:
        ips.insert(k.ip);
        if (k.ip.is_v4())
          needles.push_back(to_string(k.ip));
        else
          all_v4 = false;
        break;
      case LeaseKey::Kind::mac:
        macs.insert(k.mac);
        break;
      case LeaseKey::Kind::host:
        hosts.push_back(short_host(k.host));
        break;
    }
  }
  bool by_client = !macs.empty() || !hosts.empty();
  auto host_wanted = [&](std::string_view h) {
    if (h.empty()) return false;
    std::string s = short_host(h);
    for (const auto& w : hosts)
      if (iequals(s, w)) return true;
    return false;
  };

  if (by_client) {
    // Pass 1: which addresses did these clients hold? It reports the input's
    // problems; pass 2 reads the same files again and stays quiet.
    Scanner first(run_.diag, ScanSettings{run_.zone, run_.max_silence, {}});
    DhcpSink note_ips = [&](const DhcpEvent& ev, const ScanFile&, uint32_t, const Line&) {
      if ((ev.has_mac && macs.count(ev.mac)) || host_wanted(ev.host)) ips.insert(ev.ip);
    };
    for (uint32_t s = 0; s < run_.sources.size(); ++s)
      if (!first.scan_dhcp(run_.sources[s], s, note_ips)) return false;
  }
  // The prefilter pays only for a few IPv4 keys; many keys are cheaper as a set
  // lookup, and pass 2 of a client query must see every line of its addresses.
  std::vector<std::string> prefilter;
  if (!by_client && all_v4 && !needles.empty() && needles.size() <= 8) prefilter = needles;
  quiet_ = std::make_unique<Diagnostics>(run_.tool, run_.diag.strict(), nullptr);
  scanner_ = Scanner(by_client ? *quiet_ : run_.diag,
                     ScanSettings{run_.zone, run_.max_silence, prefilter});
  DhcpSink keep = [&](const DhcpEvent& ev, const ScanFile& f, uint32_t file_id, const Line&) {
    if (ips.count(ev.ip)) store_.add(ev, file_id, f.source);
  };
  for (uint32_t s = 0; s < run_.sources.size(); ++s)
    if (!scanner_.scan_dhcp(run_.sources[s], s, keep)) return false;
  std::vector<Micros> lt(run_.sources.size());
  for (uint32_t s = 0; s < run_.sources.size(); ++s) lt[s] = lease_time_for(s);
  store_.build(lt, later_readings(scanner_.files()));
  dhcp_sources_ = sources_read(scanner_.files());
  coverage_ = build_coverage(scanner_.files(), dhcp_sources_, run_.max_silence);
  return load_registers(keys);
}

std::vector<const Lease*> LeaseHop::leases_for(const LeaseKey& key) const {
  switch (key.kind) {
    case LeaseKey::Kind::ip:
      return store_.for_ip(key.ip);
    case LeaseKey::Kind::mac:
      return store_.for_mac(key.mac);
    case LeaseKey::Kind::host:
      return store_.for_host(key.host);
  }
  return {};
}

void LeaseHop::add_time_notes(const std::vector<uint32_t>& events,
                              std::vector<std::string>& notes) const {
  std::vector<TimeNoteRef> refs;
  for (uint32_t id : events) refs.push_back({store_.event(id).ref, store_.event(id).time_flags});
  tracekit::add_time_notes(refs, scanner_.files(), notes);
}

Row LeaseHop::row_for(const LeaseQuery& q, MatchKind kind, const Lease* l, Instant t,
                      const std::string& extra_note) const {
  Row row = answer_base(q);
  json hop = object_with_room(16);
  append_field(hop, "match", std::string(match_name(kind)));
  std::vector<std::string> notes;
  if (!l) {
    for (const char* f : {"ip", "mac", "host", "start", "end", "server", "evidence"})
      append_field(hop, f, "");
  } else {
    append_field(hop, "ip", to_string(l->ip));
    append_field(hop, "mac", l->has_mac ? to_string(l->mac) : "");
    append_field(hop, "host", std::string(t != kNoTime ? store_.host_at(*l, t) : l->host));
    bool frac = l->time_flags & kHasFraction;
    append_field(hop, "start", format_rfc3339(l->start, frac));
    append_field(hop, "end", l->end == kForever ? "" : format_rfc3339(l->end, frac));
    append_field(hop, "server", l->server.empty() ? run_.sources[l->source].name : l->server);
    std::vector<uint32_t> ev = store_.evidence_for(*l, t);
    json evidence = json::array();
    for (uint32_t id : ev) {
      const auto& e = store_.event(id);
      evidence.push_back(evidence_item(scanner_.files(), e.ref, e.raw));
    }
    append_field(hop, "evidence", std::move(evidence));
    switch (l->end_kind) {
      case Lease::EndKind::assumed:
        notes.push_back(fmt::format(
            "end assumed: no expiry or release logged, lease_time {} after the last grant at {}",
            format_duration(l->assumed_lease_time), format_rfc3339(l->last_ack, frac)));
        break;
      case Lease::EndKind::open:
        notes.push_back("open-ended: nothing in the logs ends this lease");
        break;
      case Lease::EndKind::stated:
        break;
      default:
        notes.push_back(fmt::format("ended: {}", lease_end_kind_name(l->end_kind)));
    }
    // (Unless the other reading of a DST-ambiguous start or end meets it:
    // the answer's caveat says so.)
    if (t != kNoTime && !FoldedSpan{l->start, l->start_alt, l->end, l->end_alt}.meets_in_some(t, t))
      notes.push_back("the lease meets the skew window but not the time asked itself");
    add_time_notes(ev, notes);
    if (const std::vector<uint32_t>& names = store_.names_of(*l); names.size() > 1) {
      // Each name once, from its first use; one taken again (a client
      // switching back and forth) with how often and its last use.
      std::vector<Uses> uses = group_uses(names, [&](uint32_t a, uint32_t b) {
        return same_host_label(store_.event(a).host, store_.event(b).host);
      });
      auto from = [&](uint32_t id) {
        const auto& e = store_.event(id);
        return fmt::format("{} ({}:{})", format_rfc3339(e.time, frac),
                           scanner_.files()[e.ref.file].info.path, e.ref.line);
      };
      std::string list;
      for (const Uses& u : uses) {
        list += fmt::format("{}{} from {}", list.empty() ? "" : ", ", store_.event(u.first).host,
                            from(u.first));
        if (u.count > 1)
          list += fmt::format(" and again {}, the last from {}",
                              u.count == 2 ? "once" : fmt::format("{} times", u.count - 1),
                              from(u.last));
      }
      notes.push_back(
          fmt::format("the client went by more than one name in this lease: {}; "
                      "lease.host is the name {}",
                      list, t != kNoTime ? "at the time asked" : "it went by last"));
    }
  }
  if (!extra_note.empty()) notes.push_back(extra_note);
  append_field(hop, "note", join_notes(notes));
  row["lease"] = std::move(hop);
  return row;
}

std::vector<Row> LeaseHop::answer(const LeaseQuery& q) const {
  if (q.skipped) {
    Row row = answer_base(q);
    row["lease"] = json{{"match", "skipped"}};
    return one_row(std::move(row));
  }
  auto leases = leases_for(q.key);
  Micros lookback{0};
  for (uint32_t s : dhcp_sources_) lookback = std::max(lookback, lease_time_for(s));
  Micros skew = widen_skew(run_.skew, run_.sources, dhcp_sources_);
  // How far from the time asked a DHCPINFORM of the address still counts:
  // the longest lease time, and the skew.
  const Micros near = lookback + skew;
  // Asked by a host name: a lease whose client had another name at the time
  // (it renamed itself) is not that host's then.
  if (q.key.kind == LeaseKey::Kind::host && q.time != kNoTime)
    std::erase_if(leases, [&](const Lease* l) {
      return !store_.named_between(*l, q.key.host, q.time - skew, q.time + skew);
    });
  LeaseAnswer a =
      match_leases(leases, q.time, skew, coverage_, lookback, q.key.kind == LeaseKey::Kind::ip);
  std::string note;
  if (skew.count() > 0)
    note = fmt::format("matched within ±{} of the time asked", format_duration(skew));
  if (a.kind == MatchKind::ambiguous)
    note = fmt::format("{} candidates within the window{}{}", a.leases.size(),
                       note.empty() ? "" : "; ", note);
  if (a.kind == MatchKind::gap) note = a.why + (note.empty() ? "" : "; " + note);
  if (!a.caveat.empty()) note = a.caveat + (note.empty() ? "" : "; " + note);
  if (a.leases.empty()) {
    if (register_ && q.key.kind == LeaseKey::Kind::ip) {
      std::vector<Row> rows = from_register(q, a.kind, note);
      if (!rows.empty()) return rows;
    }
    if (a.kind == MatchKind::none && q.key.kind == LeaseKey::Kind::ip)
      if (std::string seen = informs_near(q.key.ip, q.time, near); !seen.empty())
        note = seen + (note.empty() ? "" : "; " + note);
    return one_row(row_for(q, a.kind, nullptr, q.time, note));
  }
  // Another client that informed for the address during a lease had it
  // too (set by hand): the lease does not say who used it alone.
  std::vector<std::string> informed;
  MatchKind kind = a.kind;
  for (const Lease* l : a.leases) {
    informed.push_back(q.key.kind == LeaseKey::Kind::ip ? others_informing(*l, q.time, near) : "");
    // Asked by a host name that the client went by only within the skew
    // (it renamed itself just before or after the time asked): not sure.
    if (q.key.kind == LeaseKey::Kind::host && q.time != kNoTime) {
      std::string_view then = store_.host_at(*l, q.time);
      if (!same_host_label(then, q.key.host))
        informed.back() = fmt::format(
            "the client went by {} only within the skew of the time asked: at the time asked "
            "it was {}",
            q.key.host, then);
    }
    if (kind == MatchKind::exact && !informed.back().empty()) kind = MatchKind::ambiguous;
  }
  std::vector<Row> rows;
  for (size_t i = 0; i < a.leases.size(); ++i)
    rows.push_back(row_for(q, kind, a.leases[i], q.time,
                           informed[i].empty() ? note
                           : note.empty()      ? informed[i]
                                               : informed[i] + "; " + note));
  return rows;
}

std::string LeaseHop::informs_between(const IpAddr& ip, Instant lo, Instant hi,
                                      const MacAddr* except) const {
  std::vector<uint32_t> ids;
  for (uint32_t id : store_.informs_for(ip)) {
    const StoredDhcpEvent& e = store_.event(id);
    if (e.time >= lo && e.time <= hi && !(except && e.mac == *except)) ids.push_back(id);
  }
  // One mention per client: how many times, the first and the last.
  std::vector<Uses> clients = group_uses(
      ids, [&](uint32_t a, uint32_t b) { return store_.event(a).mac == store_.event(b).mac; });
  std::string who;
  constexpr size_t kNamed = 5;
  for (size_t i = 0; i < clients.size() && i < kNamed; ++i) {
    const Uses& c = clients[i];
    auto at = [&](uint32_t id) {
      const StoredDhcpEvent& e = store_.event(id);
      return fmt::format("{} ({}:{})", format_rfc3339(e.time),
                         scanner_.files()[e.ref.file].info.path, e.ref.line);
    };
    if (c.count == 1)
      who += fmt::format("{}{} at {}", i ? ", " : "", to_string(store_.event(c.first).mac),
                         at(c.first));
    else
      who += fmt::format("{}{} {} times, from {} to {}", i ? ", " : "",
                         to_string(store_.event(c.first).mac), c.count, at(c.first), at(c.last));
  }
  if (clients.size() > kNamed)
    who += fmt::format(", and {} other clients", clients.size() - kNamed);
  return who;
}

std::string LeaseHop::informs_near(const IpAddr& ip, Instant t, Micros within) const {
  std::string who = informs_between(ip, t - within, t + within, nullptr);
  if (who.empty()) return {};
  return fmt::format(
      "no lease, but a DHCPINFORM for {} was logged within {} of the time asked: {}; a client "
      "informs for an address it already has (set by hand, or from elsewhere)",
      to_string(ip), format_duration(within), who);
}

std::string LeaseHop::others_informing(const Lease& l, Instant t, Micros within) const {
  if (!l.has_mac) return {};
  // Within the lease, and near the time asked: a renewed lease can last for
  // weeks, and one inform at its other end says little about the time asked.
  Instant lo = std::max(earliest_reading(l.start, l.start_alt), t - within);
  Instant hi = std::min(latest_reading(l.end, l.end_alt), t + within);
  std::string who = informs_between(l.ip, lo, hi, &l.mac);
  if (who.empty()) return {};
  return fmt::format(
      "a DHCPINFORM for {} from another client was logged during this lease, within {} of the "
      "time asked: {}; a client informs for an address it already has (set by hand, or from "
      "elsewhere), so {} may not have been the only one using it",
      to_string(l.ip), format_duration(within), who, to_string(l.mac));
}

bool LeaseHop::load_registers(const std::vector<LeaseKey>& keys) {
  std::vector<SourceSpec> registers;
  for (const auto& d : run_.directories)
    if (d.format == "address-register") registers.push_back(d);
  std::vector<OwnerQuery> queries;
  for (const auto& k : keys) {
    if (k.kind != LeaseKey::Kind::ip) continue;
    OwnerQuery q;
    q.keys.push_back(OwnerKey{OwnerKeyKind::ip, "", k.ip, {}, "ip"});
    queries.push_back(std::move(q));
  }
  if (registers.empty() || queries.empty()) return true;
  register_ = std::make_unique<OwnerHop>(
      run_, std::move(registers), OwnerHopSettings{{"host", "valid_from", "valid_to", "raw"}});
  return register_->load(queries);
}

std::vector<Row> LeaseHop::from_register(const LeaseQuery& q, MatchKind dhcp_kind,
                                         const std::string& dhcp_note) const {
  OwnerQuery oq;
  oq.keys.push_back(OwnerKey{OwnerKeyKind::ip, "", q.key.ip, {}, "ip"});
  oq.time = q.time;
  std::vector<Row> rows;
  for (const Row& r : register_->answer(oq)) {
    const json& o = r.at("owner");
    std::string m = o.value("match", "");
    if (m != "exact" && m != "ambiguous") return {};
    Row row = answer_base(q);
    json hop = object_with_room(16);
    append_field(hop, "match", m);
    append_field(hop, "ip", to_string(q.key.ip));
    append_field(hop, "mac", "");
    std::string host = o.value("host", "");
    append_field(hop, "host", host == "-" ? "" : host);
    append_field(hop, "start", o.value("valid_from", ""));
    append_field(hop, "end", o.value("valid_to", ""));
    auto ev = o.find("evidence");
    append_field(hop, "server", "register");
    append_field(hop, "evidence", ev != o.end() ? *ev : json::array());
    std::vector<std::string> notes;
    std::string who = o.value("name", "");
    std::string user = o.value("user", "");
    if (!user.empty()) who += who.empty() ? user : " (" + user + ")";
    if (dhcp_kind == MatchKind::gap)
      notes.push_back(fmt::format(
          "the DHCP logs do not cover the time ({}), but the address register has this fixed "
          "address and names {} as responsible",
          dhcp_note, who.empty() ? "nobody" : who));
    else
      notes.push_back(fmt::format(
          "no DHCP lease: a fixed address in the address register, which names {} as responsible",
          who.empty() ? "nobody" : who));
    if (std::string n = o.value("note", ""); !n.empty()) notes.push_back(n);
    append_field(hop, "note", join_notes(notes));
    row["lease"] = std::move(hop);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> LeaseHop::history(const LeaseQuery& q, Instant from, Instant to) const {
  std::vector<Row> rows;
  for (const Lease* l : leases_for(q.key)) {
    if (from != kNoTime && l->end <= from) continue;
    if (to != kNoTime && l->start >= to) continue;
    // By a host name: only if the client went by it within the range.
    if (q.key.kind == LeaseKey::Kind::host && (from != kNoTime || to != kNoTime) &&
        !store_.named_between(*l, q.key.host, from == kNoTime ? l->start : from,
                              to == kNoTime ? l->end : to - Micros(1)))
      continue;
    rows.push_back(row_for(q, MatchKind::exact, l, kNoTime, ""));
  }
  if (rows.empty()) {
    std::string why = coverage_.spans.empty() ? "no DHCP log line was read" : "";
    rows.push_back(row_for(q, coverage_.spans.empty() ? MatchKind::gap : MatchKind::none, nullptr,
                           kNoTime, why));
  }
  return rows;
}

std::vector<Row> LeaseHop::last(const LeaseQuery& q) const {
  // The lease that started last; by a host name, the one that went by it
  // last (a client that took the name and renamed itself is ranked by when
  // it gave the name up).
  const Lease* best = nullptr;
  Instant best_rank = kNoTime;
  for (const Lease* l : leases_for(q.key)) {
    Instant rank =
        q.key.kind == LeaseKey::Kind::host ? store_.named_until(*l, q.key.host) : l->start;
    if (!best || rank > best_rank || (rank == best_rank && l->start >= best->start))
      best = l, best_rank = rank;
  }
  if (!best) {
    bool nothing = coverage_.spans.empty();
    return one_row(row_for(q, nothing ? MatchKind::gap : MatchKind::none, nullptr, kNoTime,
                           nothing ? "no DHCP log line was read" : ""));
  }
  std::string note;
  if (coverage_.latest() != kNoTime)
    note = fmt::format("the logs end at {}", format_rfc3339(coverage_.latest()));
  return one_row(row_for(q, MatchKind::exact, best, kNoTime, note));
}

}  // namespace tracekit

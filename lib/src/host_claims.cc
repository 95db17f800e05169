#include "tracekit/host_claims.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "tracekit/hop.h"
#include "tracekit/lease_hop.h"
#include "tracekit/login.h"
#include "tracekit/text.h"

namespace tracekit {

HostClaims::HostClaims(ToolRun& run)
    : run_(run),
      quiet_(std::make_unique<Diagnostics>(run.tool, false, nullptr)),
      names_(*quiet_, ScanSettings{run.zone, run.max_silence, {}}),
      scanner_(*quiet_, ScanSettings{run.zone, run.max_silence, {}}),
      registers_(*quiet_, ScanSettings{run.zone, run.max_silence, {}}) {}

void HostClaims::load(const std::vector<std::string>& hosts) {
  std::unordered_set<std::string> wanted;
  for (const auto& h : hosts)
    if (std::string key = login_host_key(h); !key.empty()) wanted.insert(std::move(key));
  if (wanted.empty()) return;
  // The registers (small, read whole): the fixed addresses named so.
  for (uint32_t s = 0; s < run_.directories.size(); ++s) {
    const SourceSpec& d = run_.directories[s];
    if (d.format != "address-register") continue;
    std::string key;
    EventSink<OwnerEvent> note = [&](const OwnerEvent& ev, const ScanFile&, uint32_t file_id,
                                     const Line& line) {
      if (ev.kind != OwnerKeyKind::ip || ev.host.empty()) return;
      login_host_key(ev.host, key);
      if (!wanted.count(key)) return;
      fixed_.push_back(FixedClaim{
          ev.ip, ev.prefix_len, std::string(ev.host), key, ev.dated ? ev.valid_from : kNoTime,
          ev.dated ? ev.valid_to : kForever, file_id, ev.first_line ? ev.first_line : line.number});
    };
    registers_.scan<OwnerEvent>(d, s, note);
  }
  // Pass 1, every line (a name is compared case aside, which no byte
  // prefilter does, and the answer must not depend on how many names a
  // batch asks): the addresses leased under the names.
  std::unordered_set<IpAddr, IpHash> held;
  std::vector<std::string> needles;
  bool all_v4 = true;
  {
    Scanner& first = names_;
    std::string key;  // (one buffer for every line's name)
    DhcpSink note = [&](const DhcpEvent& ev, const ScanFile&, uint32_t, const Line&) {
      if (ev.ip.is_unset() || ev.host.empty()) return;
      login_host_key(ev.host, key);
      if (!wanted.count(key)) return;
      if (held.insert(ev.ip).second) {
        all_v4 &= ev.ip.is_v4();
        needles.push_back(to_string(ev.ip));
      }
    };
    for (uint32_t s = 0; s < run_.sources.size(); ++s)
      first.scan_dhcp(run_.sources[s], s, note);  // (not strict: never stops)
    read_any_ = !first.files().empty();
  }
  if (held.empty()) return;
  // Pass 2: every line of those addresses, in whatever source (a failover
  // peer's expiry read before the grant's file), to rebuild their leases.
  ScanSettings settings{run_.zone, run_.max_silence, {}};
  if (all_v4 && Scanner::prefilter_pays(needles)) settings.needles = std::move(needles);
  scanner_ = Scanner(*quiet_, std::move(settings));
  DhcpSink keep = [&](const DhcpEvent& ev, const ScanFile& f, uint32_t file_id, const Line&) {
    if (held.count(ev.ip)) store_.add(ev, file_id, f.source);
  };
  for (uint32_t s = 0; s < run_.sources.size(); ++s) scanner_.scan_dhcp(run_.sources[s], s, keep);
  std::vector<Micros> lt(run_.sources.size());
  for (uint32_t s = 0; s < run_.sources.size(); ++s) lt[s] = assumed_lease_time(run_.sources[s]);
  store_.build(lt, later_readings(scanner_.files()));
  // Each lease's names over time (LeaseStore::names_of: a client may rename
  // itself within a lease), by name: a query looks at its name's only.
  for (const auto& l : store_.leases()) {
    const std::vector<uint32_t>& names = store_.names_of(l);
    for (size_t k = 0; k < names.size(); ++k)
      spans_[login_host_key(store_.event(names[k]).host)].push_back({&l, store_.name_span(l, k)});
  }
}

Claimants HostClaims::others(std::string_view host, const MacAddr* mac, const IpAddr* ip,
                             Instant lo, Instant hi) const {
  Claimants out;
  std::string key = login_host_key(host);
  if (key.empty()) return out;
  // The register's entries for the name valid then; none counts when one
  // of them holds the address asked about (the name is that address's, the
  // others the same machine's other interfaces). Another family's address
  // may be the same machine's too, and is not counted.
  for (const auto& f : fixed_) {
    if (f.key != key) continue;
    if (f.valid_to <= lo || (f.valid_from != kNoTime && f.valid_from > hi)) continue;
    if (ip && prefix_contains(f.ip, f.prefix_len, *ip)) {
      out.fixed.clear();
      break;
    }
    if (!ip || ip->is_v4() == f.ip.is_v4()) out.fixed.push_back(&f);
  }
  auto it = spans_.find(key);
  if (it == spans_.end()) return out;
  for (const NameSpan& n : it->second) {
    const Lease& l = *n.lease;
    if (!n.span.meets_in_some(lo, hi)) continue;
    if (!out.leases.empty() && out.leases.back() == &l) continue;  // (two spans of one lease)
    // Another client: another MAC. With no MAC on one side (a DHCPv6 lease
    // names a DUID), another address of the same family; one of the other
    // family may be the same machine's, and is not counted.
    bool other;
    if (mac && l.has_mac)
      other = l.mac != *mac;
    else
      other = !mac && !l.has_mac && ip && l.ip.is_v4() == ip->is_v4() && l.ip != *ip;
    if (other) out.leases.push_back(&l);
  }
  return out;
}

std::string HostClaims::describe(std::string_view host, const Claimants& others) const {
  std::string who;
  std::vector<std::string> seen;  // one mention per client and address
  for (const Lease* l : others.leases) {
    std::string client = l->has_mac ? to_string(l->mac) : "a client with no MAC logged";
    std::string id = client + " " + to_string(l->ip);
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    if (!who.empty()) who += ", ";
    const auto& e = store_.event(l->events.front());
    bool assumed = l->end_kind == Lease::EndKind::assumed || l->end_kind == Lease::EndKind::open;
    who += fmt::format("{} (lease of {} from {}{}; {}:{})", client, to_string(l->ip),
                       format_rfc3339(l->start), assumed ? ", its end not logged" : "",
                       scanner_.files()[e.ref.file].info.path, e.ref.line);
  }
  std::string fixed;
  for (const FixedClaim* f : others.fixed) {
    bool whole = f->prefix_len == 128;  // (IPv4 too: stored mapped)
    fixed += fmt::format(
        "{}{} {} ({}:{})", fixed.empty() ? "" : ", ", whole ? "the fixed address" : "the addresses",
        prefix_to_string(f->ip, f->prefix_len), registers_.files()[f->file].info.path, f->line);
  }
  std::string what;
  if (!who.empty())
    what = fmt::format("the host name {} was also claimed over DHCP at the time asked by {}", host,
                       who);
  if (!fixed.empty())
    what += who.empty()
                ? fmt::format("the address register gives the host name {} to {}", host, fixed)
                : fmt::format(", and the address register gives it to {}", fixed);
  return fmt::format(
      "{}: a DHCP client names itself, so the login records of {} may be another machine's (or "
      "those of another network interface of the same machine)",
      what, host);
}

Micros HostClaims::skew() const {
  return widen_skew(Micros(0), run_.sources, sources_read(scanner_.files()));
}

}  // namespace tracekit

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
      scanner_(*quiet_, ScanSettings{run.zone, run.max_silence, {}}) {}

void HostClaims::load(const std::vector<std::string>& hosts) {
  std::unordered_set<std::string> wanted;
  std::vector<std::string> needles;
  auto add_needle = [&](std::string n) {
    if (!n.empty() && std::find(needles.begin(), needles.end(), n) == needles.end())
      needles.push_back(std::move(n));
  };
  for (const auto& h : hosts) {
    std::string key = login_host_key(h);  // short name, lower case
    if (key.empty() || !wanted.insert(key).second) continue;
    // The prefilter is exact on bytes: the name as the lease gave it, and in
    // lower and upper case (Windows clients send their NetBIOS name in
    // capitals). A claim in mixed case otherwise is parsed only when the
    // prefilter is off (many names).
    add_needle(std::string(h.substr(0, h.find('.'))));
    add_needle(key);
    std::string upper = key;
    for (char& c : upper) c = char(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    add_needle(std::move(upper));
  }
  if (wanted.empty()) return;
  ScanSettings settings{run_.zone, run_.max_silence, {}};
  if (Scanner::prefilter_pays(needles)) settings.needles = std::move(needles);
  scanner_ = Scanner(*quiet_, std::move(settings));
  std::unordered_set<IpAddr, IpHash> held;
  DhcpSink keep = [&](const DhcpEvent& ev, const ScanFile& f, uint32_t file_id, const Line&) {
    if (ev.ip.is_unset()) return;
    if (!ev.host.empty() && wanted.count(login_host_key(ev.host))) {
      store_.add(ev, file_id, f.source);
      // Its address's later lines: its release or expiry, another grant.
      if (held.insert(ev.ip).second) scanner_.add_needle(to_string(ev.ip));
    } else if (held.count(ev.ip)) {
      store_.add(ev, file_id, f.source);
    }
  };
  for (uint32_t s = 0; s < run_.sources.size(); ++s)
    scanner_.scan_dhcp(run_.sources[s], s, keep);  // (not strict: never stops)
  std::vector<Micros> lt(run_.sources.size());
  for (uint32_t s = 0; s < run_.sources.size(); ++s)
    lt[s] = run_.sources[s].lease_time.value_or(kDefaultLeaseTime);
  store_.build(lt);
}

std::vector<const Lease*> HostClaims::others(std::string_view host, const MacAddr* mac,
                                             const IpAddr* ip, Instant lo, Instant hi) const {
  std::vector<const Lease*> out;
  std::string key = login_host_key(host);
  if (key.empty()) return out;
  for (const auto& l : store_.leases()) {
    if (l.host.empty() || login_host_key(l.host) != key) continue;
    if (!FoldedSpan{l.start, l.start_alt, l.end, l.end_alt}.meets_in_some(lo, hi)) continue;
    bool same = mac && l.has_mac ? l.mac == *mac : ip && l.ip == *ip;
    if (!same) out.push_back(&l);
  }
  return out;
}

std::string HostClaims::describe(std::string_view host,
                                 const std::vector<const Lease*>& others) const {
  std::string who;
  for (const Lease* l : others) {
    if (!who.empty()) who += ", ";
    const auto& e = store_.event(l->events.front());
    who += fmt::format("{} (lease of {} from {}; {}:{})",
                       l->has_mac ? to_string(l->mac) : "a client with no MAC logged",
                       to_string(l->ip), format_rfc3339(l->start),
                       scanner_.files()[e.ref.file].info.path, e.ref.line);
  }
  return fmt::format(
      "the host name {} was also claimed over DHCP at the time asked by {}: a DHCP client "
      "names itself, so the login records of {} may be another machine's (or those of "
      "another network interface of the same machine)",
      host, who, host);
}

Micros HostClaims::skew() const {
  return widen_skew(Micros(0), run_.sources, sources_read(scanner_.files()));
}

}  // namespace tracekit

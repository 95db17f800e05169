// DHCP leases reconstructed from events, and the answer to "which lease held
// this address (or this MAC, or this host) at time T, give or take the skew".
//
// A lease is [start, end). An ACK starts or renews it (a renewal by the same
// client before the lease ran out extends it); a release, expiry, deletion,
// decline or NAK by its client ends it; an ACK of the address to another
// client ends it at that moment; otherwise it ends at the expiry the source
// states, or at the last grant + lease_time (assumed, and said so).
#pragma once

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "tracekit/records.h"
#include "tracekit/scan.h"

namespace tracekit {

// An event kept for the answer: owned copies of the fields and the raw line.
struct StoredDhcpEvent {
  Instant time = kNoTime, lease_end = kNoTime;
  Micros lease_time{0};
  DhcpAction action = DhcpAction::ack;
  uint8_t time_flags = 0;
  bool has_mac = false;
  bool ends_lease = false;
  IpAddr ip;
  MacAddr mac;
  std::string host, client_id, server, relay, raw;
  EvidenceRef ref;
  uint32_t source = 0;
};

// Whether two host names are one name for a rename: the same first label,
// case, domain and the root's trailing dot aside ("ws1", "WS1.example.org.").
bool same_host_label(std::string_view a, std::string_view b);

class LeaseStore {
 public:
  // Keeps a copy of `ev` (a parser's view of one line).
  uint32_t add(const DhcpEvent& ev, uint32_t file_id, uint32_t source);
  // Builds the leases; lease_time[source] is the length assumed when a source
  // states none (0: none assumed, the lease stays open until an event ends it).
  // `later`: the scan's lines read the later way in a DST fold (its files'
  // later_readings), which settle the events' fold readings.
  void build(std::span<const Micros> lease_time, std::span<const FoldMark> later = {});

  const std::vector<Lease>& leases() const { return leases_; }
  const StoredDhcpEvent& event(uint32_t id) const { return events_[id]; }
  size_t event_count() const { return events_.size(); }

  std::vector<const Lease*> for_ip(const IpAddr& ip) const;
  std::vector<const Lease*> for_mac(const MacAddr& mac) const;
  // Leases under any name their client went by (case aside; a short name
  // matches a full one).
  std::vector<const Lease*> for_host(std::string_view host) const;
  // A client may rename itself within a lease (a renewal under another
  // name): the events of l that give it a name other than the one before,
  // in time order (one: it kept its name; none: it gave none). Lease::names.
  const std::vector<uint32_t>& names_of(const Lease& l) const { return l.names; }
  // The name l's client went by at t: the last given at or before t, else
  // its first. (Lease::host is its last.)
  std::string_view host_at(const Lease& l, Instant t) const;
  // When l's client went by its k-th name (names_of(l)[k]): from the line
  // giving it (the first from the lease's start) to the next name's line
  // (the last to the lease's end), with the lease's other readings at its
  // own start and end.
  FoldedSpan name_span(const Lease& l, size_t k) const;
  // Whether l's client went by `host` (one of for_host's) at some time in
  // [lo, hi]: from the event naming it (the first name from the lease's
  // start) to the next naming another.
  bool named_between(const Lease& l, std::string_view host, Instant lo, Instant hi) const;
  // When l's client last stopped going by `host` (one of for_host's): the
  // next name's line, else the lease's end.
  Instant named_until(const Lease& l, std::string_view host) const;

  // The answers to DHCPINFORM ("DHCPACK to IP (MAC)": a client asking for
  // its settings for an address it already has) for `ip` that name a MAC,
  // in time order. Not leases: a client that informs may have set the
  // address by hand.
  const std::vector<uint32_t>& informs_for(const IpAddr& ip) const;

  // The events worth quoting for a lease asked about at `t`: its start, the
  // last renewal at or before t, the first one after t, and its end.
  std::vector<uint32_t> evidence_for(const Lease& l, Instant t) const;

 private:
  void build_ip(std::vector<uint32_t>& ids, std::span<const Micros> lease_time);
  std::vector<StoredDhcpEvent> events_;
  std::vector<Lease> leases_;
  std::unordered_map<IpAddr, std::vector<uint32_t>, IpHash> by_ip_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_host_;  // by first label, lower case
  std::unordered_map<IpAddr, std::vector<uint32_t>, IpHash> informs_;
};

struct LeaseAnswer {
  MatchKind kind = MatchKind::none;
  std::vector<const Lease*> leases;  // one per candidate (exact: one)
  std::string why;                   // for gap: what coverage is missing
  // Not a gap: what the answer depends on that the logs do not show (a
  // candidate whose end is assumed across a silence in the log).
  std::string caveat;
};

// Candidates are leases overlapping [t - skew, t + skew]; leases of the same
// client (same MAC, or same host when there is no MAC) count once. No
// candidate and no coverage (or coverage starting less than `lookback` before
// t, so that a lease granted earlier could still be active) is a gap.
// `same` says whether two leases are one candidate.
LeaseAnswer match_leases(const std::vector<const Lease*>& leases, Instant t, Micros skew,
                         const Coverage& coverage, Micros lookback, bool by_ip);

}  // namespace tracekit

// The DHCP hop as the tools use it (trace-lease now, trace-ip later): read the
// site's DHCP logs for the keys asked about, rebuild the leases, and answer
// query rows with the lease.* fields of DESIGN.md (plus lease.note, which says
// what an answer depends on: an assumed end, a DST or year inference, a gap).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tracekit/cli.h"
#include "tracekit/codec.h"
#include "tracekit/lease.h"
#include "tracekit/owner_hop.h"
#include "tracekit/scan.h"

namespace tracekit {

inline constexpr Micros kDefaultLeaseTime = std::chrono::hours(12);  // ISC dhcpd's default
// The lease length assumed for a source's leases whose end no line gives:
// `forced` (--lease-time), else the source's lease_time, else the default.
Micros assumed_lease_time(const SourceSpec& source, std::optional<Micros> forced = {});

struct LeaseKey {
  enum class Kind : uint8_t { ip, mac, host } kind = Kind::ip;
  IpAddr ip;
  MacAddr mac;
  std::string host;
};
// An IP address, else a MAC address, else a host name.
bool parse_lease_key(std::string_view text, LeaseKey& out, std::string& error);

struct LeaseQuery {
  Row row;                   // the query as given; answers append the lease hop to it
  bool fields_only = false;  // answers hold the hop's fields alone (put_after)
  LeaseKey key;
  Instant time = kNoTime;
  bool skipped = false;  // an earlier hop found nothing: pass through
};

// Makes a query of a key given on the command line: the row holds the time
// (RFC 3339 UTC, left out when `time` is kNoTime) and the key under its field
// name (ip, mac or host).
bool lease_query_from_args(std::string_view key, Instant time, LeaseQuery& out, std::string& error);

// Makes a query of a record read from stdin. The key is the --key field when
// given, else nat.ip, ip, mac, host (DESIGN.md "Each tool finds its input in
// the newest hop that has it"). Returns false with `error` when it cannot.
bool lease_query_from_row(Row row, const std::string& key_field, const date::time_zone* zone,
                          bool need_time, LeaseQuery& out, std::string& error);

struct LeaseHopSettings {
  std::optional<Micros> lease_time;  // --lease-time: overrides the sources'
};

class LeaseHop {
 public:
  LeaseHop(ToolRun& run, LeaseHopSettings settings);

  // Reads the DHCP sources, keeping the events the keys need. False when
  // --strict stopped the run.
  bool load(const std::vector<LeaseKey>& keys);

  // With no DHCP lease for an address, the sources file's address registers
  // ([[directory]] tables of format address-register) answer for a fixed
  // address: lease.server names the register, lease.note says so.
  std::vector<Row> answer(const LeaseQuery& q) const;
  // Every lease of the key overlapping [from, to) (kNoTime: unbounded).
  std::vector<Row> history(const LeaseQuery& q, Instant from, Instant to) const;
  // The key's most recent lease.
  std::vector<Row> last(const LeaseQuery& q) const;

  const Scanner& scanner() const { return scanner_; }
  const LeaseStore& store() const { return store_; }

 private:
  Micros lease_time_for(uint32_t source) const;
  std::vector<const Lease*> leases_for(const LeaseKey& key) const;
  Row row_for(const LeaseQuery& q, MatchKind kind, const Lease* l, Instant t,
              const std::string& extra_note) const;
  void add_time_notes(const std::vector<uint32_t>& events, std::vector<std::string>& notes) const;
  // A note naming the other clients (another MAC) whose DHCPINFORM for the
  // lease's address was logged during the lease within `within` of t ("":
  // none).
  std::string others_informing(const Lease& l, Instant t, Micros within) const;
  // With no lease: a note naming the DHCPINFORMs logged for `ip` within
  // `within` of t ("": none).
  std::string informs_near(const IpAddr& ip, Instant t, Micros within) const;
  // The clients (but `except`) whose DHCPINFORMs for `ip` in [lo, hi] were
  // logged, for a note: each with its first time and line, and how many more
  // to its last ("": none).
  std::string informs_between(const IpAddr& ip, Instant lo, Instant hi,
                              const MacAddr* except) const;
  bool load_registers(const std::vector<LeaseKey>& keys);
  std::vector<Row> from_register(const LeaseQuery& q, MatchKind dhcp_kind,
                                 const std::string& dhcp_note) const;

  ToolRun& run_;
  LeaseHopSettings settings_;
  std::unique_ptr<Diagnostics> quiet_;
  Scanner scanner_;
  LeaseStore store_;
  Coverage coverage_;
  std::vector<uint32_t> dhcp_sources_;
  std::unique_ptr<OwnerHop> register_;  // null: no address register
};

}  // namespace tracekit

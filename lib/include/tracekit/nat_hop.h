// The NAT hop as the tools use it (trace-nat now, trace-ip later): read the
// site's NAT logs for the public addresses asked about, rebuild the
// translations, and answer query rows with the nat.* fields of DESIGN.md:
// match, ip and port (the inside host), start, end, device, evidence, plus
// public_ip, public_port, proto, dst and note (what the answer depends on).
// Reverse queries (an inside address -> the public addresses and ports it
// used) answer with the same fields.
#pragma once

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "tracekit/cli.h"
#include "tracekit/codec.h"
#include "tracekit/nat.h"
#include "tracekit/scan.h"

namespace tracekit {

// "tcp", "udp", "icmp", "icmpv6", "sctp", "gre", "esp" or a number 0-255.
bool parse_proto(std::string_view s, uint8_t& out);
std::string proto_name(uint8_t proto);

struct NatQuery {
  Row row;                   // the query as given; answers append the nat hop to it
  bool fields_only = false;  // answers hold the hop's fields alone (put_after)
  NatQueryKey key;
  Instant time = kNoTime;
  bool skipped = false;  // an earlier hop found nothing: pass through
};

// "192.0.2.7", "192.0.2.7:40123", "[2001:db8::7]:40123" or "2001:db8::7".
bool parse_address_port(std::string_view text, IpAddr& ip, uint16_t& port, std::string& error);

// A query from the command line: ADDRESS[:PORT] and a time, with optional
// protocol and destination ("198.51.100.1:443").
bool nat_query_from_args(std::string_view address, Instant time, std::string_view proto,
                         std::string_view dst, NatQuery& out, std::string& error);

// A query from a record on stdin: ip (or --key), port, proto, dst_ip,
// dst_port, time.
bool nat_query_from_row(Row row, const std::string& key_field, const date::time_zone* zone,
                        NatQuery& out, std::string& error);

class NatHop {
 public:
  NatHop(ToolRun& run, bool reverse);

  // Reads the NAT sources, keeping the events the queries need. False when
  // --strict stopped the run.
  // With `times` (one per key, the times asked), translations meeting no
  // time asked of their key (widened by every source's skew) are dropped as
  // the scan goes: a batch's memory follows its answers. Empty: all kept
  // (listings).
  bool load(const std::vector<NatQueryKey>& keys, const std::vector<Instant>& times = {});

  std::vector<Row> answer(const NatQuery& q) const;
  // Every translation of the key overlapping [from, to) (kNoTime: unbounded).
  std::vector<Row> history(const NatQuery& q, Instant from, Instant to) const;

  // Whether `ip` is one of the NAT's public addresses: a NAT source's
  // `public` names it, or a record of the logs read shows it as the public
  // side of a translation. Forward hops only.
  bool is_public(const IpAddr& ip) const;
  // Whether any NAT source was given (a sources file can have none).
  bool has_sources() const;

  const Scanner& scanner() const { return scanner_; }
  const NatStore& store() const { return store_; }

 private:
  Row row_for(const NatQuery& q, MatchKind kind, const NatCandidate* c, Instant t,
              const std::string& extra_note) const;
  Micros lookback() const;
  // The coverage that says whether `public_ip`'s translations could be
  // missing: that of the NAT sources whose `public` holds it (another NAT's
  // log, complete at that time, says nothing about this one's), else of
  // every NAT source. `scratch` holds it when it has to be built.
  const Coverage& coverage_for(const IpAddr& public_ip, Coverage& scratch) const;

  ToolRun& run_;
  bool reverse_;
  Scanner scanner_;
  NatStore store_;
  Coverage coverage_;
  std::vector<Coverage> source_coverage_;  // per source (NAT sources only)
  std::vector<uint32_t> nat_sources_;
  std::unordered_set<IpAddr, IpHash> seen_public_;
};

}  // namespace tracekit

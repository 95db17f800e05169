// Which DHCP clients named themselves with a host name, and when. A DHCP host
// name is the client's own claim: a laptop can call itself "ws-lab1-07", and
// a trace that follows that name to the login records of the real
// ws-lab1-07 would blame whoever sat there. Before the login hop trusts a
// lease's host name it asks here whether another client held a lease under
// the same name at the time.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tracekit/cli.h"
#include "tracekit/lease.h"
#include "tracekit/scan.h"

namespace tracekit {

class HostClaims {
 public:
  explicit HostClaims(ToolRun& run);

  // Reads the run's DHCP sources for the addresses leased under these host
  // names (any form: compared by short name, case aside; every line), then
  // again for every line of those addresses, and rebuilds their leases (an
  // expiry or another client's grant of the address ends a claim).
  // Problems in the files are not reported here: the DHCP hop reports them.
  // Never stops for --strict.
  void load(const std::vector<std::string>& hosts);
  // Whether any DHCP file was read.
  bool read_any() const { return read_any_; }

  // The leases under `host`'s name that meet [lo, hi] in some reading and
  // are not the lease asked about: another MAC (when both have one), else
  // another address.
  std::vector<const Lease*> others(std::string_view host, const MacAddr* mac, const IpAddr* ip,
                                   Instant lo, Instant hi) const;
  // "the host name H was also claimed ..." for a note, naming the others.
  std::string describe(std::string_view host, const std::vector<const Lease*>& others) const;
  // The widest clock skew of the DHCP sources read.
  Micros skew() const;

  // The files read (for the manifest).
  const Scanner& scanner() const { return names_; }

 private:
  ToolRun& run_;
  std::unique_ptr<Diagnostics> quiet_;
  Scanner names_;    // pass 1: the addresses leased under the names
  Scanner scanner_;  // pass 2: those addresses' lines (the evidence's files)
  LeaseStore store_;
  bool read_any_ = false;
};

}  // namespace tracekit

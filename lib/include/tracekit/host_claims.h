// Which DHCP clients named themselves with a host name, and when. A DHCP host
// name is the client's own claim: a laptop can call itself "ws-lab1-07", and
// a trace that follows that name to the login records of the real
// ws-lab1-07 would blame whoever sat there. Before the login hop trusts a
// lease's host name it asks here whether another client held a lease under
// the same name at the time, or whether the address register (the site's
// fixed addresses) gives the name to another address: a machine with a fixed
// address never claims its name over DHCP, so only the register shows that
// a laptop calling itself by that name is not it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tracekit/cli.h"
#include "tracekit/lease.h"
#include "tracekit/scan.h"

namespace tracekit {

// An address register's entry that gives a host name to a fixed address.
struct FixedClaim {
  IpAddr ip;
  uint8_t prefix_len = 128;  // in IPv6 terms, as OwnerEvent's
  std::string host;
  std::string key;                                    // login_host_key(host)
  Instant valid_from = kNoTime, valid_to = kForever;  // undated: always
  uint32_t file = 0;                                  // index into register_files()
  uint64_t line = 0;
};

// The others that held a host name at a time (see HostClaims::others).
struct Claimants {
  std::vector<const Lease*> leases;      // other DHCP clients' leases under it
  std::vector<const FixedClaim*> fixed;  // register entries giving it another address
  bool empty() const { return leases.empty() && fixed.empty(); }
};

class HostClaims {
 public:
  explicit HostClaims(ToolRun& run);

  // Reads the run's address registers (the [[directory]] tables of format
  // address-register) for the entries naming these hosts, and the run's DHCP
  // sources for the addresses leased under them (any form: compared by short
  // name, case aside; every line), then again for every line of those
  // addresses, and rebuilds their leases (an expiry or another client's grant
  // of the address ends a claim). Problems in the files are not reported
  // here: the DHCP hop and the owner hop report them. Never stops for
  // --strict.
  void load(const std::vector<std::string>& hosts);
  // Whether any DHCP file was read.
  bool read_any() const { return read_any_; }

  // Who else held `host`'s name at some time in [lo, hi], besides the lease
  // asked about (its MAC and address, either may be null):
  // - leases under the name that meet [lo, hi] in some reading from another
  //   MAC (when both have one), else from another address of the same family;
  // - register entries valid then that give the name to an address (or
  //   prefix) of the same family not holding `ip`.
  Claimants others(std::string_view host, const MacAddr* mac, const IpAddr* ip, Instant lo,
                   Instant hi) const;
  // "the host name H was also claimed ..." for a note, naming the others.
  std::string describe(std::string_view host, const Claimants& others) const;
  // The widest clock skew of the DHCP sources read.
  Micros skew() const;

  // The files read (for the manifest): the DHCP logs, and the registers.
  const Scanner& scanner() const { return names_; }
  const Scanner& register_files() const { return registers_; }

 private:
  // A span of time in which a lease's client went by a name.
  struct NameSpan {
    const Lease* lease;
    FoldedSpan span;  // LeaseStore::name_span
  };

  ToolRun& run_;
  std::unique_ptr<Diagnostics> quiet_;
  Scanner names_;    // pass 1: the addresses leased under the names
  Scanner scanner_;  // pass 2: those addresses' lines (the evidence's files)
  Scanner registers_;
  LeaseStore store_;
  std::vector<FixedClaim> fixed_;
  std::unordered_map<std::string, std::vector<NameSpan>> spans_;  // by host key
  bool read_any_ = false;
};

}  // namespace tracekit

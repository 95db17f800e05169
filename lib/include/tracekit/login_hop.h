// The login hop as the tools use it (trace-login now, trace-ip later): read
// the site's login records for the hosts, addresses, MACs or users asked
// about, rebuild the sessions, and answer query rows with the login.* fields
// of DESIGN.md (match, user, host, from, service, start, end, evidence) plus
// place (local: at the machine; remote), tty and note.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tracekit/cli.h"
#include "tracekit/codec.h"
#include "tracekit/host_claims.h"
#include "tracekit/login.h"
#include "tracekit/scan.h"

namespace tracekit {

struct LoginQuery {
  Row row;                     // the query as given; answers append the login hop to it
  bool fields_only = false;    // answers hold the hop's fields alone (put_after)
  std::vector<LoginKey> keys;  // any of them (a lease row gives host, MAC and IP)
  Instant time = kNoTime;
  bool skipped = false;  // an earlier hop found nothing: pass through
  // The DHCP hop found no lease (none or gap) for the address asked: only a
  // session that was assigned that address (a VPN or RADIUS session's
  // Framed-IP-Address) can answer; without one the row passes through
  // (match=skipped) as for any failed hop. keys holds that one address.
  bool assigned_only = false;
};

// A query from the command line: a host, IP or MAC (or, with `user`, a login
// name) and a time (kNoTime for listings).
bool login_query_from_args(std::string_view key, bool user, Instant time, LoginQuery& out,
                           std::string& error);

// A query from a record on stdin: the --key field when given, else lease.host,
// lease.mac and lease.ip (all that are set), else host, mac, ip. A row whose
// DHCP hop found no lease asks for the session assigned its address
// (assigned_only), the address the DHCP hop looked up.
bool login_query_from_row(Row row, const std::string& key_field, const date::time_zone* zone,
                          LoginQuery& out, std::string& error);

struct LoginHopSettings {
  std::string host;  // --host: whose records the --log files are (wtmp)
};

class LoginHop {
 public:
  LoginHop(ToolRun& run, LoginHopSettings settings);

  // Reads the login sources, keeping the events the keys need (and the
  // logouts, reboots and shutdowns of their sessions). One pass. Sessions
  // that overlap none of `windows` (the times asked, widened by the skew
  // here) are dropped as they close; no windows: all are kept. False when
  // --strict stopped the run.
  bool load(const std::vector<LoginKey>& keys, std::vector<Span> windows = {});

  std::vector<Row> answer(const LoginQuery& q) const;
  // Every session of the keys overlapping [from, to) (kNoTime: unbounded).
  std::vector<Row> sessions(const LoginQuery& q, Instant from, Instant to) const;
  // Failed attempts of the keys in [from, to).
  std::vector<Row> failures(const LoginQuery& q, Instant from, Instant to) const;

  const Scanner& scanner() const { return scanner_; }
  const LoginStore& store() const { return store_; }
  // The DHCP logs and address registers read to check lease host names
  // (none: not checked).
  std::vector<const Scanner*> claims_scanners() const {
    if (!claims_) return {};
    return {&claims_->scanner(), &claims_->register_files()};
  }

 private:
  Row row_for(const LoginQuery& q, MatchKind kind, const std::vector<const LoginSessionRec*>* c,
              Instant t, const std::string& extra_note) const;
  std::vector<const LoginSessionRec*> find(const LoginQuery& q) const;
  // assigned_only: the sessions given the address, or match=skipped.
  std::vector<Row> answer_assigned(const LoginQuery& q) const;
  // Why the sessions found by a lease's host name may be another machine's
  // (another DHCP client claimed the name at the time: `doubt`), or that it
  // could not be checked (no DHCP source); else empty.
  std::string name_in_doubt(const LoginQuery& q, const LoginAnswer& a, bool& doubt) const;

  ToolRun& run_;
  LoginHopSettings settings_;
  Scanner scanner_;
  LoginStore store_;
  Coverage coverage_;
  std::vector<uint32_t> login_sources_;
  std::unique_ptr<HostClaims> claims_;  // null: no lease's host name to check
  // Coverage of a set of sources (a host's own, or the site-wide ones),
  // worked out when first asked for: answers run on two threads.
  mutable std::map<std::vector<uint32_t>, Coverage> coverage_by_sources_;
  mutable std::mutex coverage_mu_;
};

}  // namespace tracekit

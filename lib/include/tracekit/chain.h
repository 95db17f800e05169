// The whole chain as trace-ip runs it: a public or inside address + time ->
// NAT (when the address is one of the NAT's public addresses) -> DHCP lease
// -> login session (workstation records, RADIUS) -> owner, from one site's
// sources file. Each hop is the same code the single-hop tools run, so a row
// of trace-ip is the row `trace-nat | trace-lease | trace-login | trace-owner`
// gives for the same query, plus the chain's verdict:
//
//   chain.match       the answer as a whole: exact, ambiguous, none or gap
//   chain.limited_by  the hop that decided a verdict short of exact (the
//                     first that found nothing, else the first ambiguous one)
//   chain.note        why, in a sentence
//
// Every log is read once per run, whatever the number of queries.
#pragma once

#include <string>
#include <vector>

#include "tracekit/cli.h"
#include "tracekit/codec.h"
#include "tracekit/lease_hop.h"
#include "tracekit/login_hop.h"
#include "tracekit/nat_hop.h"
#include "tracekit/owner_hop.h"

namespace tracekit {

// The hops in chain order, as the row's objects are named.
inline constexpr const char* kChainHops[] = {"nat", "lease", "login", "owner"};

struct ChainQuery {
  std::string origin;  // "query" (the command line) or "stdin:LINE", for messages
  Row row;             // the query as read (time, ip, port, ...)
  std::string asked;   // the query as received, for the report
};

struct ChainSettings {
  OwnerHopSettings owner;
};

class Chain {
 public:
  Chain(ToolRun& run, std::vector<SourceSpec> directories, ChainSettings settings);

  // Answers every query, appending one row per candidate chain to `out`
  // (rows of one query stay together, in query order; `query_of`, when
  // given, gets each row's index into `queries`). A query that cannot be read
  // is reported with its origin and left out. False when --strict stopped the
  // run.
  bool answer(const std::vector<ChainQuery>& queries, std::vector<Row>& out,
              std::vector<size_t>* query_of = nullptr);

  // The hops, after answer(): what they read, for the report and manifest.
  // Null when the hop was not run (no query reached it).
  const NatHop* nat() const { return nat_.get(); }
  const LeaseHop* lease() const { return lease_.get(); }
  const LoginHop* login() const { return login_.get(); }
  const OwnerHop* owner() const { return owner_.get(); }

 private:
  ToolRun& run_;
  std::vector<SourceSpec> directories_;
  ChainSettings settings_;
  std::unique_ptr<NatHop> nat_;
  std::unique_ptr<LeaseHop> lease_;
  std::unique_ptr<LoginHop> login_;
  std::unique_ptr<OwnerHop> owner_;
};

// The chain's verdict on a row that has been through the hops: sets
// row["chain"] = {match, limited_by, note}. `extra_note` is prepended to the
// note (e.g. why the NAT hop did not apply).
void add_chain_verdict(Row& row, const std::string& extra_note);

// Whether a chain row counts as answered (grep's exit status): exact or
// ambiguous.
bool chain_answered(const Row& row);

}  // namespace tracekit

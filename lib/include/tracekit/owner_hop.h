// The directory hop as the tools use it (trace-owner now, trace-ip later):
// read the site's directories and registers ([directory] sources), and answer
// query rows with the owner.* fields of DESIGN.md (plus owner.note: an undated
// mapping, a normalised login, a prefix match, entries that disagree).
//
// Login names are compared after normalisation by the rules of each entry's
// source (DirectorySettings): strip a "DOMAIN\" prefix, strip an "@realm"
// suffix, fold ASCII case; each can be turned off per source. A dated entry
// answers for the times inside [valid_from, valid_to); an undated one for any
// time, and says so.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tracekit/cli.h"
#include "tracekit/codec.h"
#include "tracekit/lease.h"  // MatchKind
#include "tracekit/scan.h"

namespace tracekit {

struct OwnerKey {
  OwnerKeyKind kind = OwnerKeyKind::login;
  std::string login;  // as given (kind login)
  IpAddr ip;
  MacAddr mac;
  std::string field;  // the query field it came from ("login.user", "ip", ...)
};
// An IP address, else a MAC address, else a login name (any text without
// spaces or control characters).
bool parse_owner_key(std::string_view text, OwnerKey& out, std::string& error);

// `login` as the rules of `s` normalise it: the part after the last '\' (when
// strip_domain), before the last '@' (strip_realm), ASCII lower case
// (fold_case).
std::string normalise_login(std::string_view login, const DirectorySettings& s);

struct OwnerQuery {
  Row row;                   // the query as given; answers append the owner hop to it
  bool fields_only = false;  // answers hold the hop's fields alone (put_after)
  // Tried in order; the first that finds an entry answers.
  std::vector<OwnerKey> keys;
  Instant time = kNoTime;  // kNoTime: no time given (every entry counts)
  bool skipped = false;    // an earlier hop found nothing: pass through
};

// A query of a key given on the command line: the row holds the time (when
// given) and the key under its field name (user, ip or mac).
bool owner_query_from_args(std::string_view key, Instant time, OwnerQuery& out, std::string& error);

// A query of a record read from stdin. Keys: the --key field when given, else
// login.user, else user, else lease.mac then lease.ip, else mac then ip. The
// time is the record's time field, when it has one.
bool owner_query_from_row(Row row, const std::string& key_field, const date::time_zone* zone,
                          OwnerQuery& out, std::string& error);

// One directory or register entry, owned, with its evidence.
struct OwnerEntry {
  OwnerKeyKind kind = OwnerKeyKind::login;
  std::string login;  // as the source writes it
  std::string user;   // normalised by its source's rules
  IpAddr ip;
  uint8_t prefix_len = 128;
  MacAddr mac;
  std::string name, email, id, unit, host;
  Instant valid_from = kNoTime, valid_to = kForever;
  bool dated = false;
  uint8_t time_flags = 0;
  std::vector<std::pair<std::string, std::string>> extra;
  uint32_t source = 0;  // index into the hop's directory sources
  EvidenceRef ref;
  std::string raw;
};

struct OwnerHopSettings {
  // Output fields beyond match, user, name, id, unit, evidence and note:
  // "email", "host", "valid_from", "valid_to", "source", a carried-through
  // column's name, or "all".
  std::vector<std::string> fields;
};

class OwnerHop {
 public:
  OwnerHop(ToolRun& run, std::vector<SourceSpec> directories, OwnerHopSettings settings);

  // Reads the directory sources, keeping the entries the queries' keys need.
  // False when --strict stopped the run.
  bool load(const std::vector<OwnerQuery>& queries);

  std::vector<Row> answer(const OwnerQuery& q) const;

  const Scanner& scanner() const { return scanner_; }
  const std::vector<OwnerEntry>& entries() const { return entries_; }

 private:
  std::vector<const OwnerEntry*> candidates(const OwnerKey& key) const;
  Row row_for(const OwnerQuery& q, MatchKind kind, const std::vector<const OwnerEntry*>& group,
              const std::vector<std::string>& notes) const;
  bool wants(std::string_view field) const;

  ToolRun& run_;
  std::vector<SourceSpec> directories_;
  OwnerHopSettings settings_;
  Scanner scanner_;
  std::vector<OwnerEntry> entries_;
  uint64_t records_read_ = 0;
};

// trace-owner's run: the shared options as setup_run checks them, and the
// directory sources: --directory (and --log) arguments when given, else the
// sources file's [directory] tables (which need no [[source]]). Reports
// problems through run.diag and returns false (exit status 2).
bool setup_owner_run(const CommonOptions& o, const std::vector<std::string>& directory_args,
                     ToolRun& run, std::vector<SourceSpec>& directories);

}  // namespace tracekit

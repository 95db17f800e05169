// The sources file (TOML, DESIGN.md "Sources file") and the log sources a tool
// reads, whether named there or given with --log.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tracekit/net.h"
#include "tracekit/time.h"

namespace tracekit {

// NAT: how long a translation with no teardown in the log is assumed to live
// after it was built (the device's idle timeouts). Unset: the hop's defaults.
struct NatTimeouts {
  std::optional<Micros> tcp, udp, icmp, other;
};

// A directory or register source ([directory] / [[directory]], read by
// trace-owner): which column or attribute holds each field, and how login
// names are normalised before they are compared.
struct DirectorySettings {
  // Field ("login", "name", "email", "id", "unit", "valid_from", "valid_to",
  // "host", "ip", "mac") -> the CSV header or LDIF attribute that holds it,
  // as [directory.columns] gives it. Fields not named here: the format's
  // default names.
  std::vector<std::pair<std::string, std::string>> columns;
  bool strip_domain = true;  // "CORP\jdoe" -> "jdoe"
  bool strip_realm = true;   // "jdoe@CORP.EXAMPLE.ORG" -> "jdoe"
  bool fold_case = true;     // "JDoe" -> "jdoe" (ASCII letters only)
  // The column named for `field`, or null when the sources file names none.
  const std::string* column_for(std::string_view field) const;
};
// The fields [directory.columns] may name.
bool is_directory_field(std::string_view field);

struct SourceSpec {
  std::string name;                   // the source's name, or the path given with --log
  std::string format = "auto";        // a format name, or "auto" (sniffed per file)
  std::vector<std::string> patterns;  // paths or globs
  std::string tz;                     // zone of zone-less timestamps ("" = not set)
  Micros skew{0};                     // known clock uncertainty of the device
  int year = 0;                       // year of year-less dates (0 = infer)
  std::string host;                   // whose per-machine records these are (wtmp)
  std::optional<Micros> lease_time;   // DHCP: lease length when the log does not say
  std::optional<Micros> max_silence;  // a quiet period longer than this is a gap
  NatTimeouts nat_timeouts;           // NAT: idle timeouts (tcp_timeout, udp_timeout, ...)
  std::vector<IpPrefix> nat_public;   // NAT: its public addresses (`public`), for trace-ip
  DirectorySettings directory;        // directory sources only: columns, normalisation
  std::string origin;                 // "sources.toml:12" or "--log", for messages
};

struct SiteConfig {
  std::string path;
  std::vector<SourceSpec> sources;
  // The [directory] table, or each [[directory]] table, in file order.
  std::vector<SourceSpec> directories;
  std::vector<std::string> directory_files;  // every directory source's files
};

// Reads a sources file. Relative paths in `files` are relative to the file's
// own folder. Unknown keys are errors (a typo must not be ignored silently).
bool load_config(const std::string& path, SiteConfig& out, std::string& error);

// --config, else $TRACEKIT_CONFIG, else ~/.config/tracekit/sources.toml, else
// /etc/tracekit/sources.toml; "" when none is given and none exists.
std::string find_config(const std::string& explicit_path);

// "--log FORMAT:PATH" or "--log PATH". A prefix is a format only when it is a
// known format name, so paths with colons keep working; a prefix that looks
// like a format name but is none, before a path that exists, is an error.
bool source_from_log_arg(const std::string& arg, SourceSpec& out, std::string& error);

}  // namespace tracekit

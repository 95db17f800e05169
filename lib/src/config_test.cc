#include "tracekit/config.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "parse_harness.h"

using namespace tracekit;

namespace {
std::string load(const std::string& text, SiteConfig& cfg) {
  auto dir = test::scratch_dir("config-test");
  auto p = (dir / "sources.toml").string();
  std::ofstream(p) << text;
  std::string err;
  cfg = SiteConfig{};
  load_config(p, cfg, err);
  auto at = err.find("sources.toml:");
  return at == std::string::npos ? err : err.substr(at);
}
}  // namespace

TEST_CASE("config: a full source", "[config]") {
  SiteConfig cfg;
  REQUIRE(load(R"([[source]]
name = "dhcp1"
format = "isc-dhcpd"
files = ["dhcpd.log*", "/var/log/old/dhcpd.log*"]
tz = "Europe/London"
skew = "2s"
year = 2026
lease_time = "8h"
max_silence = 3600
[directory]
files = "people.csv"
)",
               cfg) == "");
  REQUIRE(cfg.sources.size() == 1);
  const auto& s = cfg.sources[0];
  CHECK(s.name == "dhcp1");
  CHECK(s.format == "isc-dhcpd");
  REQUIRE(s.patterns.size() == 2);
  CHECK(s.patterns[0] == (test::scratch_dir("config-test") / "dhcpd.log*").string());
  CHECK(s.patterns[1] == "/var/log/old/dhcpd.log*");
  CHECK(s.skew == std::chrono::seconds(2));
  CHECK(s.year == 2026);
  CHECK(*s.lease_time == std::chrono::hours(8));
  CHECK(*s.max_silence == std::chrono::hours(1));
  REQUIRE(cfg.directory_files.size() == 1);
}

TEST_CASE("config: mistakes are errors with their line", "[config]") {
  SiteConfig cfg;
  CHECK(load("[[source]]\nfiles = \"x\"\nformt = \"auto\"\n", cfg) ==
        "sources.toml:3: unknown key 'formt' in [[source]]");
  CHECK(load("[[source]]\nfiles = \"x\"\nyear = \"2026\"\n", cfg) ==
        "sources.toml:3: year must be a number such as 2026");
  CHECK(load("[[source]]\nfiles = \"x\"\ntz = \"Europe/Lodnon\"\n", cfg) ==
        "sources.toml:3: unknown time zone 'Europe/Lodnon'");
  CHECK(load("[[source]]\nfiles = \"x\"\nformat = \"cisco\"\n", cfg) ==
        "sources.toml:3: unknown format 'cisco' (trace-cat --formats lists them)");
  CHECK(load("[[source]]\nfiles = [\"x\", 3]\n", cfg) ==
        "sources.toml:2: files must be a string or an array of strings");
  CHECK(load("[[source]]\nname = \"a\"\n", cfg) == "sources.toml:1: [[source]] 'a' has no files");
  CHECK(load("[[source]]\nfiles = \"x\"\nskew = \"fast\"\n", cfg) ==
        "sources.toml:3: skew must be a duration such as \"10s\", \"2m\" or \"12h\"");
  CHECK(load("[directory]\nfile = \"p.csv\"\n", cfg) ==
        "sources.toml:2: unknown key 'file' in [directory]");
  CHECK(load("[sources]\n", cfg) == "sources.toml:1: unknown section 'sources'");
  CHECK(load("[[source]\n", cfg).rfind("sources.toml:1: ", 0) == 0);
}

TEST_CASE("config: --log FORMAT:PATH", "[config]") {
  SourceSpec s;
  std::string err;
  REQUIRE(source_from_log_arg("isc-dhcpd:/var/log/x.log", s, err));
  CHECK(s.format == "isc-dhcpd");
  CHECK(s.patterns[0] == "/var/log/x.log");
  REQUIRE(source_from_log_arg("/var/log/with:colon.log", s, err));
  CHECK(s.format == "auto");
  CHECK(s.patterns[0] == "/var/log/with:colon.log");
  CHECK_FALSE(source_from_log_arg("cisco:/var/log/x.log", s, err));
  CHECK(err.rfind("--log cisco:/var/log/x.log: unknown format 'cisco' (known: isc-dhcpd", 0) == 0);
}

TEST_CASE("config: one [directory] table with columns and normalisation", "[config][owner]") {
  SiteConfig cfg;
  REQUIRE(load(R"([directory]
name = "people"
files = "people.csv"
format = "csv"
tz = "Europe/London"
strip_domain = false
fold_case = false
[directory.columns]
login = "account"
name = "preferred_name"
valid_to = "leaves"
)",
               cfg) == "");
  REQUIRE(cfg.directories.size() == 1);
  const auto& d = cfg.directories[0];
  CHECK(d.name == "people");
  CHECK(d.format == "csv");
  CHECK(d.tz == "Europe/London");
  REQUIRE(d.patterns.size() == 1);
  CHECK(d.patterns[0] == (test::scratch_dir("config-test") / "people.csv").string());
  CHECK_FALSE(d.directory.strip_domain);
  CHECK(d.directory.strip_realm);
  CHECK_FALSE(d.directory.fold_case);
  REQUIRE(d.directory.column_for("login"));
  CHECK(*d.directory.column_for("login") == "account");
  CHECK(*d.directory.column_for("valid_to") == "leaves");
  CHECK(d.directory.column_for("email") == nullptr);
  CHECK(d.origin.ends_with("/sources.toml:1"));
  CHECK(cfg.directory_files == d.patterns);
}

TEST_CASE("config: [[directory]] arrays for directories and registers", "[config][owner]") {
  SiteConfig cfg;
  REQUIRE(load(R"([[directory]]
files = ["people.ldif", "/srv/old/people-*.ldif"]

[[directory]]
name = "fixed addresses"
format = "address-register"
files = "fixed-ip.txt"

[[directory]]
format = "device-register"
files = "devices.txt"
)",
               cfg) == "");
  REQUIRE(cfg.directories.size() == 3);
  CHECK(cfg.directories[0].format == "auto");
  CHECK(cfg.directories[0].name == cfg.directories[0].patterns[0]);
  CHECK(cfg.directories[0].patterns.size() == 2);
  CHECK(cfg.directories[1].name == "fixed addresses");
  CHECK(cfg.directories[2].format == "device-register");
  CHECK(cfg.directories[2].origin.ends_with("/sources.toml:9"));
  CHECK(cfg.directory_files.size() == 4);
  CHECK(cfg.sources.empty());
}

TEST_CASE("config: directory mistakes are errors with their line", "[config][owner]") {
  SiteConfig cfg;
  CHECK(load("[directory]\nfiles = \"p.csv\"\nfold_case = \"yes\"\n", cfg) ==
        "sources.toml:3: fold_case must be true or false");
  CHECK(load("[directory]\nfiles = \"p.csv\"\nformat = \"isc-dhcpd\"\n", cfg) ==
        "sources.toml:3: format 'isc-dhcpd' is a dhcp format, not a directory");
  CHECK(load("[directory]\nfiles = \"p.csv\"\nformat = \"cvs\"\n", cfg) ==
        "sources.toml:3: unknown format 'cvs' (trace-cat --formats lists them)");
  CHECK(load("[directory]\nfiles = \"p.csv\"\n[directory.columns]\nlogin = \"uid\"\nphone = "
             "\"tel\"\n",
             cfg) ==
        "sources.toml:5: unknown field 'phone' in [directory.columns] (expected login, name, "
        "email, id, unit, valid_from, valid_to, host, ip or mac)");
  CHECK(load("[directory]\nfiles = \"p.csv\"\n[directory.columns]\nlogin = 3\n", cfg) ==
        "sources.toml:4: columns.login must be a column name (a non-empty string)");
  CHECK(load("[directory]\nfiles = \"p.csv\"\ncolumns = \"uid\"\n", cfg) ==
        "sources.toml:3: columns must be a table ([directory.columns])");
  CHECK(load("[directory]\nname = \"x\"\n", cfg) == "sources.toml:1: [directory] has no files");
  CHECK(load("[[directory]]\nfiles = \"a\"\nskew = \"1s\"\n", cfg) ==
        "sources.toml:3: unknown key 'skew' in [directory]");
  CHECK(load("[directory]\nfiles = \"p.csv\"\ntz = \"Mars/Base\"\n", cfg) ==
        "sources.toml:3: unknown time zone 'Mars/Base'");
}

TEST_CASE("config: a NAT's public addresses", "[config]") {
  SiteConfig cfg;
  REQUIRE(load("[[source]]\nfiles = \"asa.log\"\npublic = [\"192.0.2.0/28\", \"2001:db8:7::1\"]\n",
               cfg) == "");
  const auto& pub = cfg.sources.at(0).nat_public;
  REQUIRE(pub.size() == 2);
  IpAddr a;
  REQUIRE(parse_ip("192.0.2.15", a));
  CHECK(pub[0].contains(a));
  REQUIRE(parse_ip("192.0.2.16", a));
  CHECK_FALSE(pub[0].contains(a));
  CHECK(load("[[source]]\nfiles = \"x\"\npublic = \"192.0.2.1/24\"\n", cfg) ==
        "sources.toml:3: public: '192.0.2.1/24' is not an address or prefix (e.g. 192.0.2.0/28)");
}

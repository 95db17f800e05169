#include "tracekit/config.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

using namespace tracekit;

namespace {
std::string load(const std::string& text, SiteConfig& cfg) {
  auto dir = std::filesystem::temp_directory_path() / "tracekit-config-test";
  std::filesystem::create_directories(dir);
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
  CHECK(s.patterns[0].find("tracekit-config-test/dhcpd.log*") != std::string::npos);
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
  CHECK(load("[directory]\nfile = \"p.csv\"\n", cfg) == "sources.toml:2: unknown key 'file' in [directory]");
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

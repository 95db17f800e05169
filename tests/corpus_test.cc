// Conformance over the public sample corpus in ../shared/corpus (see its
// README): every DHCP file is read as tracekit would read it, and what each
// line became is checked against the expectations below. A file the table does
// not know fails the test, so a corpus update is looked at, not ignored. The
// test returns early (with a warning) when the corpus is not there.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "parse_harness.h"
#include "tracekit/diag.h"
#include "tracekit/scan.h"

using namespace tracekit;
namespace fs = std::filesystem;

namespace {

struct Expect {
  const char* format;  // what sniffing must pick ("" = no DHCP format)
  uint64_t malformed;  // malformed lines allowed, each for the reason given
  const char* reason;  // why those lines are malformed
};

// Real logs and lease files, read whole. Per-format record counts are checked
// by the formats' own [corpus] tests; this table is about classification and
// malformed lines.
const std::map<std::string, Expect> kFiles = {
    {"dhcp-dnsmasq/dnsmasq.log",
     {"dnsmasq", 12,
      "dnsmasq's standard-error output: packet lines without a timestamp cannot be placed in "
      "time (their fields are still read)"}},
    {"dhcp-iscdhcpd-leases/backup.leases", {"isc-dhcpd-leases", 0, ""}},
    {"dhcp-iscdhcpd-leases/debian7.leases", {"isc-dhcpd-leases", 0, ""}},
    {"dhcp-iscdhcpd-leases/debian7.leases.gz", {"isc-dhcpd-leases", 0, ""}},
    {"dhcp-iscdhcpd-leases/dhcpd.test.leases", {"isc-dhcpd-leases", 0, ""}},
    {"dhcp-iscdhcpd-leases/dhcpd6-4.2.4.leases", {"isc-dhcpd-leases", 0, ""}},
    {"dhcp-iscdhcpd-leases/dhcpd6-4.3.3.leases", {"isc-dhcpd-leases", 0, ""}},
    {"dhcp-iscdhcpd-leases/epoch.leases", {"isc-dhcpd-leases", 0, ""}},
    {"dhcp-iscdhcpd-leases/metal-bmc__dhcpd.leases", {"isc-dhcpd-leases", 0, ""}},
    {"dhcp-iscdhcpd-leases/options.leases", {"isc-dhcpd-leases", 0, ""}},
    {"dhcp-iscdhcpd-leases/static.leases", {"isc-dhcpd-leases", 0, ""}},
    {"dhcp-iscdhcpd-syslog/Thunderbird_2k.log", {"isc-dhcpd", 0, ""}},
    {"dhcp-iscdhcpd-syslog/dhcp.lease__dhcpd.log", {"isc-dhcpd", 0, ""}},
    {"dhcp-kea-lease4-csv/lease4_dump_test.reference.csv", {"kea-lease-csv", 0, ""}},
    {"dhcp-kea-lease4-csv/small-leases4.csv", {"kea-lease-csv", 0, ""}},
    {"dhcp-kea-lease4-csv/small2-leases4.csv", {"kea-lease-csv", 0, ""}},
    {"dhcp-kea-lease6-csv/lease6_dump_test.reference.csv", {"kea-lease-csv", 0, ""}},
    {"dhcp-kea-lease6-csv/small-leases6.csv", {"kea-lease-csv", 0, ""}},
    {"dhcp-kea-lease6-csv/small2-leases6.csv", {"kea-lease-csv", 0, ""}},
    {"dhcp-windows-dhcpsrvlog/test-log.log", {"windows-dhcp", 0, ""}},
    {"dhcp-zeek/maccdc2012_00016-zeek__dhcp.log", {"zeek-dhcp", 0, ""}},
    {"dhcp-zeek/zeek__scripts.base.protocols.dhcp.dhcp-ack-msg-types__dhcp.log",
     {"zeek-dhcp", 1, "test baseline with ts canonified to XXXXXXXXXX.XXXXXX"}},
    {"dhcp-zeek/zeek__scripts.base.protocols.dhcp.dhcp-all-msg-types__dhcp.log",
     {"zeek-dhcp", 2, "test baseline with ts canonified to XXXXXXXXXX.XXXXXX"}},
    {"dhcp-zeek/zeek__scripts.base.protocols.dhcp.dhcp-discover-msg-types__dhcp.log",
     {"zeek-dhcp", 1, "test baseline with ts canonified to XXXXXXXXXX.XXXXXX"}},
    {"dhcp-zeek/zeek__scripts.base.protocols.dhcp.dhcp-max-tracked-transactions__dhcp.log",
     {"zeek-dhcp", 50, "test baseline with ts canonified to XXXXXXXXXX.XXXXXX"}},
    {"dhcp-zeek/zeek__scripts.base.protocols.dhcp.dhcp-prevent-large-uids__dhcp.log",
     {"zeek-dhcp", 63, "test baseline with ts canonified to XXXXXXXXXX.XXXXXX"}},
    {"dhcp-zeek/zeek__scripts.base.protocols.dhcp.dhcp-sub-opts__dhcp.log",
     {"zeek-dhcp", 1, "test baseline with ts canonified to XXXXXXXXXX.XXXXXX"}},
    {"dhcp-zeek/zeek__scripts.base.protocols.dhcp.inform__dhcp.log",
     {"zeek-dhcp", 1, "test baseline with ts canonified to XXXXXXXXXX.XXXXXX"}},
};

// Test-suite wrappers holding single messages (corpus README): their raw
// messages are read in the tests below, not the wrapper files.
bool is_wrapper(const std::string& rel) {
  return rel.find("/sekoia-") != std::string::npos || rel.ends_with(".ini");
}

}  // namespace

TEST_CASE("corpus: every DHCP file is recognised and read as expected", "[corpus]") {
  if (!test::find_corpus()) return;
  std::vector<std::string> rels;
  for (const auto& d : fs::directory_iterator(test::corpus_path())) {
    if (!d.is_directory() || d.path().filename().string().rfind("dhcp-", 0) != 0) continue;
    for (const auto& f : fs::recursive_directory_iterator(d.path()))
      if (f.is_regular_file()) rels.push_back(fs::relative(f.path(), test::corpus_path()).string());
  }
  std::sort(rels.begin(), rels.end());
  REQUIRE(!rels.empty());
  size_t read = 0;
  for (const auto& rel : rels) {
    if (is_wrapper(rel)) continue;
    INFO("corpus file " << rel);
    auto it = kFiles.find(rel);
    if (it == kFiles.end()) {
      FAIL("no expectation for " << rel << ": add it to kFiles in tests/corpus_test.cc");
      continue;
    }
    const Expect& e = it->second;
    Diagnostics diag("corpus", false, nullptr);
    ScanSettings settings;
    settings.default_zone = find_zone("UTC");
    Scanner scanner(diag, settings);
    SourceSpec src;
    src.patterns.push_back(test::corpus_path(rel).string());
    src.name = rel;
    src.origin = "corpus";
    src.year = 2026;
    uint64_t records = 0;
    scanner.scan_dhcp(src, 0,
                      [&](const DhcpEvent&, const ScanFile&, uint32_t, const Line&) { ++records; });
    REQUIRE(scanner.files().size() == 1);
    const ScanFile& f = scanner.files()[0];
    CHECK(f.format != nullptr);
    if (!f.format) continue;
    CHECK(std::string(f.format->name) == e.format);
    CHECK(f.malformed == e.malformed);
    CHECK(f.complete);
    CHECK(f.records == records);
    // Every line is accounted for; lease-database blocks span several lines.
    uint64_t counted = f.records + f.skipped + f.foreign + f.malformed;
    if (f.format->name == std::string_view("isc-dhcpd-leases"))
      CHECK(f.lines >= counted);
    else
      CHECK(f.lines == counted);
    std::printf(
        "corpus %-80s %-16s lines %6llu records %6llu skipped %5llu foreign %5llu "
        "malformed %3llu%s%s\n",
        rel.c_str(), f.format->name.data(), (unsigned long long)f.lines,
        (unsigned long long)f.records, (unsigned long long)f.skipped, (unsigned long long)f.foreign,
        (unsigned long long)f.malformed, e.malformed ? ": " : "", e.reason);
    ++read;
  }
  CHECK(read == kFiles.size());
}

TEST_CASE("corpus: every ISC dhcpd lease event line in the syslog files parses", "[corpus]") {
  if (!test::find_corpus()) return;
  // An independent oracle: the lines that grant or give back a lease.
  std::regex lease_line(R"(dhcpd(\[[0-9]+\])?: (DHCPACK on |DHCPRELEASE of .*\(found\)))");
  for (const char* rel :
       {"dhcp-iscdhcpd-syslog/dhcp.lease__dhcpd.log", "dhcp-iscdhcpd-syslog/Thunderbird_2k.log"}) {
    INFO(rel);
    std::string text = test::read_file(test::corpus_path(rel));
    size_t expected = 0;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
      if (std::regex_search(line, lease_line)) ++expected;
    test::DhcpHarness h("isc-dhcpd", "UTC", 2026);
    size_t got = 0, malformed = 0;
    for (const auto& o : h.run(text)) {
      if (o.status == LineStatus::malformed) ++malformed;
      if (o.status == LineStatus::record &&
          (o.event.action == DhcpAction::ack || o.event.action == DhcpAction::release) &&
          o.event.has_mac)
        ++got;
    }
    CHECK(expected > 0);
    CHECK(got == expected);
    CHECK(malformed == 0);
  }
}

TEST_CASE("corpus: dhcpd messages from vendor test suites parse", "[corpus]") {
  if (!test::find_corpus()) return;
  // Sekoia intake samples (ISC dhcpd, EfficientIP SOLIDserver, Infoblox: all
  // dhcpd-derived) hold one message each, without a syslog header; wazuh's
  // OpenBSD dhcpd test holds full lines.
  std::vector<std::pair<std::string, std::string>> lines;  // (origin, syslog line)
  for (const char* dir : {"dhcp-iscdhcpd-syslog/sekoia-dhcpd",
                          "dhcp-efficientip/sekoia-solidserver-ddi", "dhcp-infoblox/sekoia-ddi"}) {
    fs::path p = test::corpus_path(dir);
    if (!fs::is_directory(p)) continue;
    std::vector<fs::path> files;
    for (const auto& f : fs::directory_iterator(p)) files.push_back(f.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto j = nlohmann::json::parse(test::read_file(f));
      lines.emplace_back(f.filename().string(), "Jan  1 00:00:00 corpus dhcpd: " +
                                                    j["input"]["message"].get<std::string>());
    }
  }
  {
    std::istringstream in(
        test::read_file(test::corpus_path("dhcp-openbsd-dhcpd/openbsd-dhcpd.ini")));
    std::string line;
    while (std::getline(in, line)) {
      auto at = line.find(" pass = ");
      if (line.rfind("log ", 0) == 0 && at != std::string::npos)
        lines.emplace_back("openbsd-dhcpd.ini", line.substr(at + 8));
    }
  }
  REQUIRE(lines.size() > 20);
  std::regex event(
      R"(dhcpd(\[[0-9]+\])?: (DHCP(ACK on|RELEASE of|REQUEST for|DISCOVER from|OFFER on|NAC?K on|INFORM from)))");
  size_t events = 0;
  for (const auto& [origin, line] : lines) {
    INFO(origin << ": " << line);
    test::DhcpHarness h("isc-dhcpd", "UTC", 2026);
    auto out = h.run(line);
    REQUIRE(out.size() == 1);
    CHECK(out[0].status != LineStatus::malformed);
    if (std::regex_search(line, event)) {
      ++events;
      CHECK(out[0].status == LineStatus::record);
      // A lease length written by the vendor ("[14400]", "lease-duration N") is kept.
      std::smatch m;
      if (std::regex_search(
              line, m,
              std::regex(R"((DHCPACK|DHCPOFFER).*(\[([0-9]+)\]|lease-duration ([0-9]+)))"))) {
        long secs = std::stol(m[3].matched ? m[3].str() : m[4].str());
        CHECK(out[0].event.lease_time == std::chrono::seconds(secs));
      }
    }
  }
  CHECK(events >= 20);
}

namespace {

// The VPN servers' logs (login-vpn): what sniffing picks among the login
// formats ("" = none: a VPN tracekit does not read), and malformed lines.
const std::map<std::string, Expect> kVpnFiles = {
    {"login-vpn/charon-ipsec-logs.log", {"strongswan", 0, ""}},
    {"login-vpn/openvpn",
     {"openvpn", 8, "fail2ban's '# failJSON' annotation lines between the log lines"}},
    {"login-vpn/openvpn.log", {"openvpn", 0, ""}},
    {"login-vpn/fortinet-vpn-bf.log", {"fortigate-vpn", 0, ""}},
    {"login-vpn/softethervpn", {"", 0, "SoftEther VPN: no parser"}},
    {"login-vpn/wireguard-logs.log", {"", 0, "WireGuard kernel messages name no user"}},
};

}  // namespace

TEST_CASE("corpus: every VPN server log is recognised and read as expected", "[corpus]") {
  if (!test::find_corpus("login-vpn")) return;
  std::vector<std::string> rels;
  for (const auto& f : fs::recursive_directory_iterator(test::corpus_path("login-vpn")))
    if (f.is_regular_file()) rels.push_back(fs::relative(f.path(), test::corpus_path()).string());
  std::sort(rels.begin(), rels.end());
  size_t read = 0;
  const Family login = Family::login;
  for (const auto& rel : rels) {
    if (is_wrapper(rel)) continue;  // read by the formats' own [corpus] tests
    INFO("corpus file " << rel);
    auto it = kVpnFiles.find(rel);
    if (it == kVpnFiles.end()) {
      FAIL("no expectation for " << rel << ": add it to kVpnFiles in tests/corpus_test.cc");
      continue;
    }
    const Expect& e = it->second;
    ++read;
    std::string text = test::read_file(test::corpus_path(rel));
    SniffResult s = sniff_format(text, &login);
    if (std::string_view(e.format).empty()) {
      CHECK(s.format == nullptr);
      continue;
    }
    REQUIRE(s.format);
    CHECK(std::string(s.format->name) == e.format);
    Diagnostics diag("corpus", false, nullptr);
    ScanSettings settings;
    settings.default_zone = find_zone("UTC");
    Scanner scanner(diag, settings);
    SourceSpec src;
    src.patterns.push_back(test::corpus_path(rel).string());
    src.name = rel;
    src.origin = "corpus";
    src.year = 2024;
    uint64_t records = 0;
    scanner.scan<LoginEvent>(
        src, 0, [&](const LoginEvent&, const ScanFile&, uint32_t, const Line&) { ++records; });
    REQUIRE(scanner.files().size() == 1);
    const ScanFile& f = scanner.files()[0];
    REQUIRE(f.format != nullptr);
    CHECK(std::string(f.format->name) == e.format);
    CHECK(f.malformed == e.malformed);
    CHECK(f.foreign == 0);
    CHECK(f.complete);
    CHECK(f.records == records);
    CHECK(f.lines == f.records + f.skipped + f.foreign + f.malformed);
    std::printf(
        "corpus %-80s %-16s lines %6llu records %6llu skipped %5llu foreign %5llu "
        "malformed %3llu%s%s\n",
        rel.c_str(), f.format->name.data(), (unsigned long long)f.lines,
        (unsigned long long)f.records, (unsigned long long)f.skipped, (unsigned long long)f.foreign,
        (unsigned long long)f.malformed, e.malformed ? ": " : "", e.reason);
  }
  CHECK(read == kVpnFiles.size());
}

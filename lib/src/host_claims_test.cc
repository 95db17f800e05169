#include "tracekit/host_claims.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "parse_harness.h"

using namespace tracekit;
using namespace std::chrono_literals;

namespace {

Instant at(std::string_view s) {
  return test::utc(s);
}

SourceSpec dhcp_source(const std::string& file, const std::string& format, std::string_view text) {
  SourceSpec s = test::source_file("host-claims-test", file, format, text);
  s.tz = "UTC";
  s.year = 2026;
  s.lease_time = 4h;
  return s;
}

struct Fixture {
  ToolRun run{"trace-login"};
  std::unique_ptr<HostClaims> claims;
  explicit Fixture(std::vector<SourceSpec> sources) {
    run.diag = Diagnostics("trace-login", false, nullptr);
    run.sources = std::move(sources);
    claims = std::make_unique<HostClaims>(run);
  }
  // The MACs of the other clients holding `host` at `time`, besides `mac`.
  std::vector<std::string> others(const char* host, const char* mac, const char* ip,
                                  const char* time) {
    MacAddr m;
    IpAddr a;
    REQUIRE(parse_mac(mac, m));
    REQUIRE(parse_ip(ip, a));
    std::vector<std::string> out;
    for (const Lease* l : claims->others(host, &m, &a, at(time), at(time)).leases)
      out.push_back(to_string(l->mac));
    std::sort(out.begin(), out.end());
    return out;
  }
  // The register entries giving `host` to another address than `ip`.
  std::vector<std::string> fixed(const char* host, const char* ip, const char* time) {
    IpAddr a;
    REQUIRE(parse_ip(ip, a));
    std::vector<std::string> out;
    for (const FixedClaim* c : claims->others(host, nullptr, &a, at(time), at(time)).fixed)
      out.push_back(prefix_to_string(c->ip, c->prefix_len));
    return out;
  }
};

using Macs = std::vector<std::string>;

}  // namespace

TEST_CASE("host claims: another client under the same name, until its lease ends",
          "[host-claims]") {
  Fixture f({dhcp_source(
      "dhcpd.log", "isc-dhcpd",
      "May 12 08:00:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.44 to 52:54:00:aa:00:07 "
      "(ws-lab1-07) via 10.20.0.1\n"
      "May 12 09:00:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.45 to 52:54:00:aa:00:08 "
      "(ws-lab1-08) via 10.20.0.1\n"
      "May 12 09:10:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.90 to 02:11:22:33:44:55 "
      "(ws-lab1-07.example.org) via 10.20.0.1\n"
      "May 12 09:40:00 dhcp1 dhcpd[811]: DHCPRELEASE of 10.20.3.90 from 02:11:22:33:44:55 "
      "(ws-lab1-07) via eth0 (found)\n"
      "May 12 10:00:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.91 to 02:11:22:33:44:66 "
      "(Ws-Lab1-07) via 10.20.0.1\n"
      // The expiry names no host: only the address ends the claim.
      "May 12 10:30:00 dhcp1 dhcpd[811]: DHCPEXPIRE on 10.20.3.91 to 02:11:22:33:44:66\n"
      "May 12 11:00:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.45 to 52:54:00:aa:00:08 "
      "(ws-lab1-08) via 10.20.0.1\n")});
  f.claims->load({"ws-lab1-07"});
  const char* lab = "52:54:00:aa:00:07";
  CHECK(f.others("ws-lab1-07", lab, "10.20.3.44", "2026-05-12T08:30:00Z").empty());
  CHECK(f.others("ws-lab1-07", lab, "10.20.3.44", "2026-05-12T09:20:00Z") ==
        Macs{"02:11:22:33:44:55"});
  CHECK(f.others("ws-lab1-07", lab, "10.20.3.44", "2026-05-12T09:50:00Z").empty());
  // A name in other cases is the same name.
  CHECK(f.others("WS-LAB1-07", lab, "10.20.3.44", "2026-05-12T10:10:00Z") ==
        Macs{"02:11:22:33:44:66"});
  CHECK(f.others("ws-lab1-07", lab, "10.20.3.44", "2026-05-12T10:40:00Z").empty());
  // From the laptop's side, the lab machine is the other one.
  CHECK(f.others("ws-lab1-07", "02:11:22:33:44:55", "10.20.3.90", "2026-05-12T09:20:00Z") ==
        Macs{lab});
  // Another name is not asked about.
  CHECK(f.others("ws-lab1-08", "52:54:00:aa:00:08", "10.20.3.45", "2026-05-12T09:20:00Z").empty());
}

TEST_CASE("host claims: a client that renames itself within a lease", "[host-claims]") {
  // The lease's host is its last grant's: the claim follows each grant's name.
  Fixture f({dhcp_source(
      "dhcpd.log", "isc-dhcpd",
      "May 12 08:00:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.44 to 52:54:00:aa:00:07 "
      "(ws-lab1-07) via 10.20.0.1\n"
      // Named nothing at first, then the lab machine's name.
      "May 12 09:00:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.91 to 02:11:22:33:44:66 via "
      "10.20.0.1\n"
      "May 12 09:10:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.90 to 02:11:22:33:44:55 "
      "(ws-lab1-07) via 10.20.0.1\n"
      "May 12 09:40:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.90 to 02:11:22:33:44:55 "
      "(laptop-bob) via 10.20.0.1\n"
      "May 12 10:10:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.90 to 02:11:22:33:44:55 "
      "(WS-LAB1-07) via 10.20.0.1\n"
      "May 12 10:20:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.90 to 02:11:22:33:44:55 "
      "(laptop-bob) via 10.20.0.1\n"
      "May 12 11:00:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.91 to 02:11:22:33:44:66 "
      "(ws-lab1-07) via 10.20.0.1\n"
      "May 12 11:30:00 dhcp1 dhcpd[811]: DHCPEXPIRE on 10.20.3.91 to 02:11:22:33:44:66\n")});
  f.claims->load({"ws-lab1-07"});
  const char* lab = "52:54:00:aa:00:07";
  const char* ip = "10.20.3.44";
  CHECK(f.others("ws-lab1-07", lab, ip, "2026-05-12T08:30:00Z").empty());
  // 02:...:66's first grant named nothing: it may have gone by the name since.
  CHECK(f.others("ws-lab1-07", lab, ip, "2026-05-12T09:20:00Z") ==
        Macs{"02:11:22:33:44:55", "02:11:22:33:44:66"});
  CHECK(f.others("ws-lab1-07", lab, ip, "2026-05-12T09:50:00Z") == Macs{"02:11:22:33:44:66"});
  CHECK(f.others("ws-lab1-07", lab, ip, "2026-05-12T10:15:00Z") ==
        Macs{"02:11:22:33:44:55", "02:11:22:33:44:66"});
  CHECK(f.others("ws-lab1-07", lab, ip, "2026-05-12T10:30:00Z") == Macs{"02:11:22:33:44:66"});
  CHECK(f.others("ws-lab1-07", lab, ip, "2026-05-12T11:40:00Z").empty());
}

TEST_CASE("host claims: a lease database's block is found by the name inside it", "[host-claims]") {
  // The name is on a line of its own in the block, the address on the first:
  // the prefilter's hit is the name's line, and the parser has kept the
  // block's other lines.
  Fixture f({dhcp_source("dhcpd.leases", "isc-dhcpd-leases",
                         "lease 10.20.3.44 {\n"
                         "  starts 2 2026/05/12 08:00:00;\n"
                         "  ends 2 2026/05/12 12:00:00;\n"
                         "  binding state active;\n"
                         "  hardware ethernet 52:54:00:aa:00:07;\n"
                         "  client-hostname \"ws-lab1-07\";\n"
                         "}\n"
                         "lease 10.20.3.90 {\n"
                         "  starts 2 2026/05/12 09:10:00;\n"
                         "  ends 2 2026/05/12 13:10:00;\n"
                         "  binding state active;\n"
                         "  hardware ethernet 02:11:22:33:44:55;\n"
                         "  client-hostname \"ws-lab1-07\";\n"
                         "}\n")});
  f.claims->load({"ws-lab1-07"});
  CHECK(f.others("ws-lab1-07", "52:54:00:aa:00:07", "10.20.3.44", "2026-05-12T09:20:00Z") ==
        Macs{"02:11:22:33:44:55"});
  CHECK(f.others("ws-lab1-07", "52:54:00:aa:00:07", "10.20.3.44", "2026-05-12T08:30:00Z").empty());
}

TEST_CASE("host claims: an end logged by another source, read before the grant's",
          "[host-claims]") {
  // A failover pair: the expiry is in the first source's file, the grant
  // in the second's.
  Fixture f({dhcp_source("peer-a.log", "isc-dhcpd",
                         "May 12 08:00:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.44 to "
                         "52:54:00:aa:00:07 (ws-lab1-07) via 10.20.0.1\n"
                         "May 12 09:40:00 dhcp1 dhcpd[811]: DHCPEXPIRE on 10.20.3.90 to "
                         "02:11:22:33:44:55\n"),
             dhcp_source("peer-b.log", "isc-dhcpd",
                         "May 12 09:10:00 dhcp2 dhcpd[900]: DHCPACK on 10.20.3.90 to "
                         "02:11:22:33:44:55 (ws-lab1-07) via 10.20.0.1\n")});
  f.claims->load({"ws-lab1-07"});
  const char* lab = "52:54:00:aa:00:07";
  CHECK(f.others("ws-lab1-07", lab, "10.20.3.44", "2026-05-12T09:20:00Z") ==
        Macs{"02:11:22:33:44:55"});
  CHECK(f.others("ws-lab1-07", lab, "10.20.3.44", "2026-05-12T09:50:00Z").empty());
}

TEST_CASE("host claims: a client with no MAC is not told from one with a MAC", "[host-claims]") {
  Fixture f({dhcp_source(
      "dhcpd.leases", "isc-dhcpd-leases",
      "lease 10.20.3.44 {\n  starts 2 2026/05/12 08:00:00;\n  ends 2 2026/05/12 12:00:00;\n"
      "  binding state active;\n  hardware ethernet 52:54:00:aa:00:07;\n"
      "  client-hostname \"ws-lab1-07\";\n}\n")});
  f.claims->load({"ws-lab1-07"});
  IpAddr v6, v4;
  REQUIRE(parse_ip("2001:db8::44", v6));
  REQUIRE(parse_ip("10.20.3.99", v4));
  Instant t = at("2026-05-12T09:00:00Z");
  // Asked for a DHCPv6 lease (a DUID, no MAC) of the same name: the lab
  // machine's IPv4 lease may be the same machine's, and is not counted.
  CHECK(f.claims->others("ws-lab1-07", nullptr, &v6, t, t).empty());
  // Nor for an IPv4 lease with no MAC logged.
  CHECK(f.claims->others("ws-lab1-07", nullptr, &v4, t, t).empty());
  IpAddr same;
  REQUIRE(parse_ip("10.20.3.44", same));
  CHECK(f.claims->others("ws-lab1-07", nullptr, &same, t, t).empty());
}

TEST_CASE("host claims: the address register gives the name to a fixed address", "[host-claims]") {
  // A machine with a fixed address never asks DHCP for a lease: only the
  // register says that a laptop calling itself by its name is not it.
  Fixture f({dhcp_source("dhcpd.log", "isc-dhcpd",
                         "May 12 08:00:00 dhcp1 dhcpd[811]: DHCPACK on 10.20.3.93 to "
                         "02:11:22:33:44:77 (ws-office-21) via 10.20.0.1\n")});
  SourceSpec reg = dhcp_source(
      "fixed-ip.txt", "address-register",
      "# ADDRESS[/LEN]  HOST  LOGIN  FULL NAME  [key=value ...]\n"
      "10.20.5.21       ws-office-21  pmorgan  Priya Morgan  from=2026-01-01 to=2026-06-01\n"
      "2001:db8:20::21  ws-office-21  pmorgan  Priya Morgan\n"
      "10.20.5.22       WS-Office-22.example.org  -  Physics  from=2026-06-01\n"
      "10.20.6.0/24     ws-lab6  -  Lab 6 Technicians\n"
      "10.20.5.23       -  jdoe  Jane Doe\n"
      "10.20.3.94       ws-office-23  -  Two interfaces\n"
      "10.20.7.23       ws-office-23  -  Two interfaces\n");
  f.run.directories.push_back(reg);
  f.claims->load({"ws-office-21", "ws-office-22", "ws-lab6", "ws-office-23"});
  using Ips = std::vector<std::string>;
  const char* may = "2026-05-12T09:00:00Z";
  const char* july = "2026-07-01T09:00:00Z";
  // The laptop's address: the register gives the name to 10.20.5.21 (the
  // IPv6 entry may be the laptop's own other family, not counted).
  CHECK(f.fixed("ws-office-21", "10.20.3.93", may) == Ips{"10.20.5.21"});
  // The register's own address, and after its entry's end: no claim.
  CHECK(f.fixed("ws-office-21", "10.20.5.21", may).empty());
  CHECK(f.fixed("ws-office-21", "10.20.3.93", july).empty());
  // An IPv6 lease of the name: the IPv6 entry.
  CHECK(f.fixed("ws-office-21", "2001:db8::99", july) == Ips{"2001:db8:20::21"});
  // Before its entry is valid; then by short name, case aside.
  CHECK(f.fixed("ws-office-22", "10.20.3.93", may).empty());
  CHECK(f.fixed("ws-office-22", "10.20.3.93", july) == Ips{"10.20.5.22"});
  // A prefix: an address inside it is the name's; one outside is not.
  CHECK(f.fixed("ws-lab6", "10.20.6.9", may).empty());
  CHECK(f.fixed("ws-lab6", "10.20.3.93", may) == Ips{"10.20.6.0/24"});
  // The address asked about is one of the name's in the register: the
  // others are the same machine's; from another address, both count.
  CHECK(f.fixed("ws-office-23", "10.20.3.94", may).empty());
  CHECK(f.fixed("ws-office-23", "10.20.7.23", may).empty());
  CHECK(f.fixed("ws-office-23", "10.20.3.95", may) == Ips{"10.20.3.94", "10.20.7.23"});
  IpAddr outside;
  REQUIRE(parse_ip("10.20.3.93", outside));
  CHECK_THAT(f.claims->describe("ws-lab6",
                                f.claims->others("ws-lab6", nullptr, &outside, at(may), at(may))),
             Catch::Contains("to the addresses 10.20.6.0/24 ("));
  // The note names the entry's file and line.
  IpAddr laptop;
  REQUIRE(parse_ip("10.20.3.93", laptop));
  auto why = f.claims->describe(
      "ws-office-21", f.claims->others("ws-office-21", nullptr, &laptop, at(may), at(may)));
  CHECK_THAT(why, Catch::StartsWith("the address register gives the host name ws-office-21 to "
                                    "the fixed address 10.20.5.21 (") &&
                      Catch::Contains("fixed-ip.txt:2)"));
}

#include "tracekit/net.h"

#include <catch2/catch.hpp>

using namespace tracekit;

namespace {
std::string ip(std::string_view s) {
  IpAddr a;
  return parse_ip(s, a) ? to_string(a) : "BAD";
}
std::string mac(std::string_view s) {
  MacAddr m;
  return parse_mac(s, m) ? to_string(m) : "BAD";
}
}  // namespace

TEST_CASE("IPv4 parsing is strict", "[net]") {
  CHECK(ip("10.20.3.44") == "10.20.3.44");
  CHECK(ip("0.0.0.0") == "0.0.0.0");
  CHECK(ip("255.255.255.255") == "255.255.255.255");
  CHECK(ip("256.1.1.1") == "BAD");
  CHECK(ip("10.20.3") == "BAD");
  CHECK(ip("10.20.3.44.") == "BAD");
  CHECK(ip("010.20.3.44") == "BAD");
  CHECK(ip(" 10.20.3.44") == "BAD");
  CHECK(ip("10.20.3.44:80") == "BAD");
}

TEST_CASE("IPv6 parsing and RFC 5952 output", "[net]") {
  CHECK(ip("2001:db8::1") == "2001:db8::1");
  CHECK(ip("2001:0DB8:0000:0000:0000:0000:0000:0001") == "2001:db8::1");
  CHECK(ip("::") == "::");
  CHECK(ip("::1") == "::1");
  CHECK(ip("fe80::") == "fe80::");
  CHECK(ip("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");
  CHECK(ip("2001:db8:1:0:0:0:0:5") == "2001:db8:1::5");
  CHECK(ip("2001:db8:0:1:1:1:1:1") == "2001:db8:0:1:1:1:1:1");
  CHECK(ip("::ffff:10.1.2.3") == "10.1.2.3");  // mapped: one type for both families
  CHECK(ip("1:2:3:4:5:6:7:8:9") == "BAD");
  CHECK(ip("1::2::3") == "BAD");
  CHECK(ip("12345::") == "BAD");
  CHECK(ip("2001:db8:") == "BAD");
}

TEST_CASE("MAC forms seen in logs", "[net]") {
  CHECK(mac("00:1b:2c:03:04:05") == "00:1b:2c:03:04:05");
  CHECK(mac("0:1b:2c:3:4:5") == "00:1b:2c:03:04:05");  // ISC dhcpd drops leading zeros
  CHECK(mac("00-1B-2C-03-04-05") == "00:1b:2c:03:04:05");
  CHECK(mac("001b.2c03.0405") == "00:1b:2c:03:04:05");
  CHECK(mac("001B2C030405") == "00:1b:2c:03:04:05");
  CHECK(mac("00:1b:2c:03:04") == "BAD");
  CHECK(mac("00:1b-2c:03:04:05") == "BAD");
  CHECK(mac("00:1b:2c:03:04:05:06") == "BAD");
  CHECK(mac("host-name") == "BAD");
}

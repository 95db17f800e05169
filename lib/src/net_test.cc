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

namespace {
// The octets parse_hex_bytes reads, as "01 02 ...", or "NONE" when it returns 0.
std::string hex_bytes(std::string_view s, size_t cap = 32) {
  uint8_t b[32];
  size_t n = parse_hex_bytes(s, b, cap);
  if (n == 0) return "NONE";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    static const char kHex[] = "0123456789abcdef";
    if (i) out += ' ';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 15];
  }
  return out;
}
std::string duid_mac(std::string_view s) {
  MacAddr m;
  return mac_from_duid(s, m) ? to_string(m) : "NONE";
}
}  // namespace

TEST_CASE("parse_hex_bytes: colon groups of one or two digits, or a plain even run", "[net]") {
  CHECK(hex_bytes("00:1b:2c") == "00 1b 2c");
  CHECK(hex_bytes("0:1b:2C") == "00 1b 2c");  // dhcpd drops leading zeros
  CHECK(hex_bytes("a") == "0a");
  CHECK(hex_bytes("ab") == "ab");
  CHECK(hex_bytes("001B2c") == "00 1b 2c");
  CHECK(hex_bytes("") == "NONE");
  CHECK(hex_bytes("abc") == "NONE");        // odd run
  CHECK(hex_bytes("00:1b:") == "NONE");     // trailing separator
  CHECK(hex_bytes(":00:1b") == "NONE");     // leading separator
  CHECK(hex_bytes("00::1b") == "NONE");     // empty group
  CHECK(hex_bytes("001:1b") == "NONE");     // three digits in a group
  CHECK(hex_bytes("0003:0001") == "NONE");  // no mixing of the two forms
  CHECK(hex_bytes("00-1b-2c") == "NONE");   // only ':' separates
  CHECK(hex_bytes("0x001b") == "NONE");     // no prefix
  CHECK(hex_bytes("00:1g") == "NONE");
  CHECK(hex_bytes("001g") == "NONE");
  CHECK(hex_bytes(" 00:1b") == "NONE");
}

TEST_CASE("parse_hex_bytes: cap", "[net]") {
  CHECK(hex_bytes("00:01:02", 3) == "00 01 02");
  CHECK(hex_bytes("00:01:02", 2) == "NONE");
  CHECK(hex_bytes("000102", 3) == "00 01 02");
  CHECK(hex_bytes("000102", 2) == "NONE");
  CHECK(hex_bytes("ab", 0) == "NONE");
}

TEST_CASE("mac_from_duid: DUID-LLT and DUID-LL over Ethernet", "[net]") {
  CHECK(duid_mac("00:01:00:01:2a:bb:cc:dd:00:11:22:33:44:55") == "00:11:22:33:44:55");  // LLT
  CHECK(duid_mac("000100012abbccdd001122334455") == "00:11:22:33:44:55");
  CHECK(duid_mac("00:03:00:01:66:77:88:99:aa:bb") == "66:77:88:99:aa:bb");  // LL
  CHECK(duid_mac("0:3:0:1:66:77:88:99:aa:bb") == "66:77:88:99:aa:bb");
  CHECK(duid_mac("00030001667788 99aabb") == "NONE");
  CHECK(duid_mac("00:02:00:00:01:37:08:0a:2c:7d:91:e4:51:3b") == "NONE");              // DUID-EN
  CHECK(duid_mac("00:04:7f:8e:4a:10:00:1b:21:3a:4f:07:aa:bb:cc:dd:ee:ff") == "NONE");  // UUID
  CHECK(duid_mac("00:03:00:06:66:77:88:99:aa:bb") == "NONE");           // IEEE 802 hardware, not 1
  CHECK(duid_mac("00:03:00:01:66:77:88:99:aa:bb:cc") == "NONE");        // LL, wrong length
  CHECK(duid_mac("00:01:00:01:2a:bb:cc:dd:00:11:22:33:44") == "NONE");  // LLT, cut short
  CHECK(duid_mac("00:03:00:01:66:77:88:99:aa:") == "NONE");
  CHECK(duid_mac("") == "NONE");

  const uint8_t ll[] = {0, 3, 0, 1, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};
  MacAddr m;
  REQUIRE(mac_from_duid(ll, sizeof ll, m));
  CHECK(to_string(m) == "66:77:88:99:aa:bb");
  MacAddr kept;
  kept.bytes = {1, 2, 3, 4, 5, 6};
  CHECK_FALSE(mac_from_duid(ll, sizeof ll - 1, kept));
  CHECK_FALSE(mac_from_duid(ll, 0, kept));
  CHECK(to_string(kept) == "01:02:03:04:05:06");  // untouched on false
}

TEST_CASE("in-place IPv4 and MAC readers stop at the end of the address", "[net]") {
  auto ip_end = [](std::string_view s) {
    IpAddr a;
    const char* e = parse_ipv4_prefix(s.data(), s.data() + s.size(), a);
    return e ? long(e - s.data()) : -1L;
  };
  CHECK(ip_end("10.1.2.3 to x") == 8);
  CHECK(ip_end("10.1.2.3") == 8);
  CHECK(ip_end("10.1.2.3456") == -1);
  CHECK(ip_end("10.1.2") == -1);
  CHECK(ip_end("10.1.2.3:80") == 8);  // the caller decides what may follow
  auto mac_end = [](std::string_view s) {
    MacAddr m;
    const char* e = parse_mac_prefix(s.data(), s.data() + s.size(), m);
    return e ? long(e - s.data()) : -1L;
  };
  CHECK(mac_end("0:1b:2c:3:4:5 (host)") == 13);
  CHECK(mac_end("00:1b:2c:03:04:05") == 17);
  CHECK(mac_end("00:1b:2c:03:04:056") == -1);
  CHECK(mac_end("00:1b:2c:03:04") == -1);
  CHECK(mac_end("00-1B-2C-03-04-05 via") == 17);
  CHECK(mac_end("00:1b:2c:03:04:05:06") == 17);  // the caller decides what may follow
  CHECK(mac_end("00:1b:2c-03:04:05") == -1);
  CHECK(mac_end("00:1b:2c:03:04:0g") == 16);  // as before the fixed-place reading
}

namespace {

// A small random number generator (xorshift32): the same numbers on every run.
struct XorShift {
  uint32_t x;
  size_t operator()(size_t n) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return size_t(x % n);
  }
};

// Whether `parse` reads `text` (its end right after it) as it reads the same
// text with more bytes after it: the same end and the same value.
template <class Addr, class Parse>
bool same_both_ways(Parse parse, const std::string& text) {
  std::string longer = text + "                    ";
  Addr a, b;
  const char* ea = parse(text.data(), text.data() + text.size(), a);
  const char* eb = parse(longer.data(), longer.data() + longer.size(), b);
  if (bool(ea) != bool(eb)) return false;
  return !ea || (ea - text.data() == eb - longer.data() && a == b);
}

}  // namespace

TEST_CASE("in-place readers: the unchecked fast paths agree with the careful ones", "[net]") {
  // The readers skip end checks when the input has room for the longest
  // form and the byte after it. The same text followed by the same byte,
  // once at the end of the input (the careful path) and once with more after
  // it (the fast path), must read the same.
  XorShift rnd{2463534242u};
  const std::string ip_chars = "0123456789.....12", ip_after = " .:9a";
  const std::string mac_chars = "0123456789abcdefABCDEFg::::--", mac_after = " :-0g(";
  for (int round = 0; round < 200000; ++round) {
    bool ip = round % 2 == 0;
    const std::string& chars = ip ? ip_chars : mac_chars;
    const std::string& after = ip ? ip_after : mac_after;
    std::string text;
    size_t len = 1 + rnd(ip ? 15 : 16);
    for (size_t i = 0; i < len; ++i) text += chars[rnd(chars.size())];
    text += after[rnd(after.size())];
    INFO("text '" << text << "'");
    if (ip)
      REQUIRE(same_both_ways<IpAddr>(parse_ipv4_prefix, text));
    else
      REQUIRE(same_both_ways<MacAddr>(parse_mac_prefix, text));
  }
  // Forms the random strings rarely make.
  for (std::string t : {"10.200.3.4 ", "255.255.255.255 ", "0.0.0.0.", "1.2.3.04 ", "01.2.3.4 ",
                        "256.1.1.1 ", "0:1b:2c:3:4:5 ", "a-b-c-d-e-f ", "0:1b:2c:3:4:5:",
                        "0:1b-2c:3:4:5 ", "00:1b:2c:03:04:05 ", "0:1b:2c:3:4:5g"}) {
    INFO("text '" << t << "'");
    CHECK(same_both_ways<IpAddr>(parse_ipv4_prefix, t));
    CHECK(same_both_ways<MacAddr>(parse_mac_prefix, t));
  }
}

TEST_CASE("in-place readers: well-formed and nearly well-formed addresses read the same both ways",
          "[net]") {
  // Random characters seldom make an address. These are addresses (octets of
  // one to three digits, MAC octets of one or two hex digits of either case,
  // either separator), half of them with one byte changed, dropped or added,
  // each followed by one of the bytes that end or extend an address.
  XorShift rnd{88172645u};
  const std::string hex = "0123456789abcdefABCDEF", noise = "0123456789aG.:- /";
  const std::string after = " .:-9aFg(\n";
  size_t read_ip = 0, read_mac = 0;
  for (int round = 0; round < 100000; ++round) {
    bool ip = round % 2 == 0;
    std::string text;
    char sep = ip ? '.' : (rnd(2) ? ':' : '-');
    for (int k = 0; k < (ip ? 4 : 6); ++k) {
      if (k) text += sep;
      size_t n = 1 + rnd(ip ? 3 : 2);
      for (size_t i = 0; i < n; ++i)
        text += ip ? char('0' + rnd(i == 0 && n == 3 ? 3 : 10)) : hex[rnd(hex.size())];
    }
    switch (rnd(6)) {
      case 0:
        text[rnd(text.size())] = noise[rnd(noise.size())];
        break;
      case 1:
        text.erase(rnd(text.size()), 1);
        break;
      case 2:
        text.insert(rnd(text.size() + 1), 1, noise[rnd(noise.size())]);
        break;
      default:
        break;
    }
    text += after[rnd(after.size())];
    INFO("text '" << text << "'");
    if (ip) {
      REQUIRE(same_both_ways<IpAddr>(parse_ipv4_prefix, text));
      IpAddr a;
      read_ip += parse_ipv4_prefix(text.data(), text.data() + text.size(), a) != nullptr;
    } else {
      REQUIRE(same_both_ways<MacAddr>(parse_mac_prefix, text));
      MacAddr m;
      read_mac += parse_mac_prefix(text.data(), text.data() + text.size(), m) != nullptr;
    }
  }
  // Most of them are addresses: the fast paths were exercised on both
  // outcomes.
  CHECK(read_ip > 10000);
  CHECK(read_ip < 50000);
  CHECK(read_mac > 20000);
  CHECK(read_mac < 50000);
  // Values, not only ends.
  IpAddr a;
  std::string t = "10.200.3.45 and more text";
  REQUIRE(parse_ipv4_prefix(t.data(), t.data() + t.size(), a) == t.data() + 11);
  CHECK(to_string(a) == "10.200.3.45");
  MacAddr m;
  t = "0:1B:2c:3:e4:5 (host) via 10.1.1.1";
  REQUIRE(parse_mac_prefix(t.data(), t.data() + t.size(), m) == t.data() + 14);
  CHECK(to_string(m) == "00:1b:2c:03:e4:05");
  t = "aa-bb-cc-dd-ee-ff to somewhere";
  REQUIRE(parse_mac_prefix(t.data(), t.data() + t.size(), m) == t.data() + 17);
  CHECK(to_string(m) == "aa:bb:cc:dd:ee:ff");
}

TEST_CASE("net: an empty or default view is no address", "[net]") {
  IpAddr ip = IpAddr::from_v4(0x0a000001);
  CHECK_FALSE(parse_ipv4(std::string_view{}, ip));
  CHECK_FALSE(parse_ip(std::string_view{}, ip));
  CHECK_FALSE(parse_ip("", ip));
  CHECK_FALSE(parse_ipv4("1.2.3", ip));
  CHECK(to_string(ip) == "10.0.0.1");
}

TEST_CASE("address prefixes", "[net]") {
  IpPrefix p;
  IpAddr a;
  REQUIRE(parse_ip_prefix("10.20.0.0/16", p));
  CHECK(to_string(p) == "10.20.0.0/16");
  REQUIRE(parse_ip("10.20.255.1", a));
  CHECK(p.contains(a));
  REQUIRE(parse_ip("10.21.0.1", a));
  CHECK_FALSE(p.contains(a));
  REQUIRE(parse_ip("::ffff:10.20.0.1", a));  // the same address, written as IPv6
  CHECK(p.contains(a));
  REQUIRE(parse_ip("2001:db8::1", a));
  CHECK_FALSE(p.contains(a));
  REQUIRE(parse_ip_prefix("192.0.2.7", p));
  CHECK(to_string(p) == "192.0.2.7");
  REQUIRE(parse_ip("192.0.2.7", a));
  CHECK(p.contains(a));
  REQUIRE(parse_ip_prefix("2001:db8::/32", p));
  REQUIRE(parse_ip("2001:db8:ffff::1", a));
  CHECK(p.contains(a));
  REQUIRE(parse_ip_prefix("0.0.0.0/0", p));
  REQUIRE(parse_ip("2001:db8::1", a));
  CHECK_FALSE(p.contains(a));  // an IPv4 prefix never holds an IPv6 address
  for (const char* bad :
       {"10.20.0.1/16", "10.20.0.0/33", "10.20.0.0/", "10.20.0.0/1x", "x/8", "2001:db8::1/129"})
    CHECK_FALSE(parse_ip_prefix(bad, p));
}

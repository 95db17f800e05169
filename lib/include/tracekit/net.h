// Network addresses as values: IPv4/IPv6 in 16 bytes, MAC-48 in 6 bytes.
// Parsers take std::string_view, never allocate, and return false on anything
// that is not exactly one address (no surrounding spaces, no port).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tracekit {

// An IPv4 address is stored as its IPv4-mapped IPv6 form (::ffff:a.b.c.d), so
// that one type compares, hashes and sorts both families.
struct IpAddr {
  std::array<uint8_t, 16> bytes{};

  bool is_v4() const;
  bool is_unset() const;  // all zero bytes: "no address"
  uint32_t v4() const;    // host order; only when is_v4()
  static IpAddr from_v4(uint32_t host_order);

  friend bool operator==(const IpAddr&, const IpAddr&) = default;
  friend auto operator<=>(const IpAddr&, const IpAddr&) = default;
};

struct MacAddr {
  std::array<uint8_t, 6> bytes{};
  bool is_unset() const;
  friend bool operator==(const MacAddr&, const MacAddr&) = default;
  friend auto operator<=>(const MacAddr&, const MacAddr&) = default;
};

// Whether `ip` is in the prefix `net`/`len`, len in IPv6 terms (an IPv4
// prefix /n is 96 + n, as IpAddr stores IPv4 mapped).
bool prefix_contains(const IpAddr& net, uint8_t len, const IpAddr& ip);
// "10.20.6.0/24", or the address alone when the prefix is the whole address.
std::string prefix_to_string(const IpAddr& net, uint8_t len);

bool parse_ipv4(std::string_view s, IpAddr& out);
// Reads a dotted quad at the start of [p, e) and returns where it ends (null
// if there is none); the caller checks what follows. For parsers that walk a
// line once instead of cutting a token first.
const char* parse_ipv4_prefix(const char* p, const char* e, IpAddr& out);
// The same for a colon- or dash-separated MAC (one or two hex digits a group).
const char* parse_mac_prefix(const char* p, const char* e, MacAddr& out);
bool parse_ipv6(std::string_view s, IpAddr& out);
bool parse_ip(std::string_view s, IpAddr& out);  // either family
// MAC-48 as aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff (Cisco) or 12 hex
// digits; one-digit groups as ISC dhcpd prints them ("0:1b:2c:...") are accepted.
bool parse_mac(std::string_view s, MacAddr& out);

// Hex octets as logs write ids and DUIDs: colon-separated groups of one or two
// digits ("00:1b:2c", "0:1b:2c") or an even run of digits with no separator
// ("001b2c"). Writes the octets to `out` and returns their count; returns 0 when
// s is not such text (empty, another separator, a "0x" prefix, an empty group)
// or holds more than `cap` octets. `out` may have been written to even then.
size_t parse_hex_bytes(std::string_view s, uint8_t* out, size_t cap);

// The MAC a DHCPv6 DUID carries: DUID-LLT (type 1, 14 bytes) and DUID-LL (type
// 3, 10 bytes) with hardware type 1 (Ethernet) end with it. Any other DUID
// gives false and leaves `mac` as it was.
bool mac_from_duid(const uint8_t* duid, size_t n, MacAddr& mac);
// The same for a DUID written as hex (see parse_hex_bytes).
bool mac_from_duid(std::string_view duid_text, MacAddr& mac);

// An address prefix ("192.0.2.0/28", "2001:db8::/48"; a bare address is its
// own /32 or /128). The length counts IPv6 bits, so a v4 /28 is stored as /124.
struct IpPrefix {
  IpAddr ip;
  uint8_t len = 128;
  bool contains(const IpAddr& a) const;
};
// False when s is not an address or prefix, or has host bits set.
bool parse_ip_prefix(std::string_view s, IpPrefix& out);
std::string to_string(const IpPrefix& p);

// Canonical text: dotted quad, RFC 5952 IPv6, lower-case colon MAC.
std::string to_string(const IpAddr& ip);
std::string to_string(const MacAddr& mac);
// Appends without allocating beyond `out`'s growth; for hot output paths.
void append_ip(std::string& out, const IpAddr& ip);
void append_mac(std::string& out, const MacAddr& mac);

struct IpHash {
  size_t operator()(const IpAddr& ip) const noexcept;
};
struct MacHash {
  size_t operator()(const MacAddr& mac) const noexcept;
};

}  // namespace tracekit

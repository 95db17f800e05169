#include "tracekit/net.h"

#include <cstring>

#include "tracekit/text.h"

namespace tracekit {

namespace {

constexpr std::array<uint8_t, 12> kV4Prefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

bool IpAddr::is_v4() const {
  return std::memcmp(bytes.data(), kV4Prefix.data(), 12) == 0;
}

bool IpAddr::is_unset() const {
  for (uint8_t b : bytes)
    if (b) return false;
  return true;
}

uint32_t IpAddr::v4() const {
  return (uint32_t{bytes[12]} << 24) | (uint32_t{bytes[13]} << 16) | (uint32_t{bytes[14]} << 8) |
         bytes[15];
}

IpAddr IpAddr::from_v4(uint32_t v) {
  IpAddr ip;
  std::memcpy(ip.bytes.data(), kV4Prefix.data(), 12);
  ip.bytes[12] = uint8_t(v >> 24);
  ip.bytes[13] = uint8_t(v >> 16);
  ip.bytes[14] = uint8_t(v >> 8);
  ip.bytes[15] = uint8_t(v);
  return ip;
}

bool MacAddr::is_unset() const {
  for (uint8_t b : bytes)
    if (b) return false;
  return true;
}

const char* parse_ipv4_prefix(const char* p, const char* e, IpAddr& out) {
  auto digit = [](char c) { return unsigned(c - '0') <= 9; };
  uint32_t v = 0;
  if (e - p >= 16) {
    // Room for the longest address and the byte after it: no end checks.
    for (int part = 0; part < 4; ++part) {
      unsigned n = unsigned(p[0] - '0');
      if (n > 9) return nullptr;
      unsigned d1 = unsigned(p[1] - '0');
      if (d1 <= 9) {
        if (n == 0) return nullptr;  // no octal-looking octets
        n = n * 10 + d1;
        unsigned d2 = unsigned(p[2] - '0');
        if (d2 <= 9) {
          n = n * 10 + d2;
          if (n > 255) return nullptr;
          p += 3;
        } else {
          p += 2;
        }
      } else {
        p += 1;
      }
      v = (v << 8) | n;
      if (part < 3) {
        if (*p != '.') return nullptr;
        ++p;
      }
    }
    if (digit(*p)) return nullptr;  // a fourth digit: not an octet
    out = IpAddr::from_v4(v);
    return p;
  }
  for (int part = 0; part < 4; ++part) {
    if (p == e || !digit(*p)) return nullptr;
    unsigned n = unsigned(*p++ - '0');
    if (p != e && digit(*p)) {
      if (n == 0) return nullptr;  // no octal-looking octets
      n = n * 10 + unsigned(*p++ - '0');
      if (p != e && digit(*p)) {
        n = n * 10 + unsigned(*p++ - '0');
        if (n > 255) return nullptr;
      }
    }
    v = (v << 8) | n;
    if (part < 3) {
      if (p == e || *p != '.') return nullptr;
      ++p;
    }
  }
  if (p != e && digit(*p)) return nullptr;  // a fourth digit: not an octet
  out = IpAddr::from_v4(v);
  return p;
}

bool prefix_contains(const IpAddr& net, uint8_t len, const IpAddr& ip) {
  for (unsigned b = 0; b < len && b < 128; ++b) {
    uint8_t mask = uint8_t(0x80 >> (b % 8));
    if ((net.bytes[b / 8] & mask) != (ip.bytes[b / 8] & mask)) return false;
  }
  return true;
}

std::string prefix_to_string(const IpAddr& net, uint8_t len) {
  unsigned max = net.is_v4() ? 32 : 128;
  unsigned bits = net.is_v4() ? len - 96u : len;
  return bits == max ? to_string(net) : to_string(net) + "/" + std::to_string(bits);
}

bool parse_ipv4(std::string_view s, IpAddr& out) {
  // An empty view may have a null data(): the prefix parser's null "no
  // address" would then equal the end.
  if (s.size() < 7) return false;
  const char* e = s.data() + s.size();
  return parse_ipv4_prefix(s.data(), e, out) == e;
}

bool parse_ipv6(std::string_view s, IpAddr& out) {
  if (s.size() < 2 || s.size() > 45) return false;
  std::array<uint16_t, 8> groups{};
  int n = 0;        // groups written
  int gap_at = -1;  // index where "::" stands
  size_t i = 0;
  if (s[0] == ':') {
    if (s[1] != ':') return false;
    gap_at = 0;
    i = 2;
    if (i == s.size()) {
      out = IpAddr{};
      return true;
    }
  }
  while (i < s.size()) {
    if (n == 8) return false;
    // Embedded IPv4 tail (::ffff:1.2.3.4).
    size_t end = s.find(':', i);
    std::string_view tok = s.substr(i, end == std::string_view::npos ? s.npos : end - i);
    if (end == std::string_view::npos && tok.find('.') != std::string_view::npos) {
      IpAddr v4;
      if (n > 6 || !parse_ipv4(tok, v4)) return false;
      uint32_t v = v4.v4();
      groups[n++] = uint16_t(v >> 16);
      groups[n++] = uint16_t(v);
      i = s.size();
      break;
    }
    if (tok.empty() || tok.size() > 4) return false;
    unsigned g = 0;
    for (char c : tok) {
      int h = hex_value(c);
      if (h < 0) return false;
      g = g * 16 + h;
    }
    groups[n++] = uint16_t(g);
    i += tok.size();
    if (i == s.size()) break;
    ++i;  // the ':'
    if (i < s.size() && s[i] == ':') {
      if (gap_at >= 0) return false;
      gap_at = n;
      ++i;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  if (gap_at < 0 && n != 8) return false;
  if (gap_at >= 0 && n == 8) return false;
  std::array<uint16_t, 8> full{};
  if (gap_at < 0) {
    full = groups;
  } else {
    int tail = n - gap_at;
    for (int k = 0; k < gap_at; ++k) full[k] = groups[k];
    for (int k = 0; k < tail; ++k) full[8 - tail + k] = groups[gap_at + k];
  }
  for (int k = 0; k < 8; ++k) {
    out.bytes[2 * k] = uint8_t(full[k] >> 8);
    out.bytes[2 * k + 1] = uint8_t(full[k]);
  }
  return true;
}

bool parse_ip(std::string_view s, IpAddr& out) {
  if (s.find(':') != std::string_view::npos) return parse_ipv6(s, out);
  return parse_ipv4(s, out);
}

bool IpPrefix::contains(const IpAddr& a) const {
  unsigned full = len / 8, rest = len % 8;
  for (unsigned i = 0; i < full; ++i)
    if (a.bytes[i] != ip.bytes[i]) return false;
  if (rest == 0) return true;
  uint8_t mask = uint8_t(0xff00u >> rest);
  return (a.bytes[full] & mask) == (ip.bytes[full] & mask);
}

bool parse_ip_prefix(std::string_view s, IpPrefix& out) {
  size_t slash = s.find('/');
  if (!parse_ip(s.substr(0, slash), out.ip)) return false;
  unsigned max = out.ip.is_v4() ? 32 : 128, bits = max;
  if (slash != std::string_view::npos) {
    std::string_view n = s.substr(slash + 1);
    if (n.empty() || n.size() > 3) return false;
    bits = 0;
    for (char c : n) {
      if (c < '0' || c > '9') return false;
      bits = bits * 10 + unsigned(c - '0');
    }
    if (bits > max) return false;
  }
  out.len = uint8_t(bits + (128 - max));
  // No host bits: "10.0.0.1/24" is more likely a mistake than a prefix.
  IpPrefix probe = out;
  for (unsigned i = out.len; i < 128; ++i)
    if (probe.ip.bytes[i / 8] & (0x80u >> (i % 8))) return false;
  return true;
}

std::string to_string(const IpPrefix& p) {
  unsigned bits = p.ip.is_v4() ? p.len - 96u : p.len;
  std::string s = to_string(p.ip);
  if (bits != (p.ip.is_v4() ? 32u : 128u)) {
    s += '/';  // (not "/" + to_string(): GCC 12's -Wrestrict false alarm at -O3)
    s += std::to_string(bits);
  }
  return s;
}

// Hex digit values by byte, -1 for anything else.
constexpr auto kHex = [] {
  std::array<int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int c = 0; c < 10; ++c) t['0' + c] = int8_t(c);
  for (int c = 0; c < 6; ++c) t['a' + c] = t['A' + c] = int8_t(10 + c);
  return t;
}();

bool parse_mac(std::string_view s, MacAddr& out) {
  // The common case first: aa:bb:cc:dd:ee:ff (or with '-'), decoded by table.
  if (s.size() == 17) {
    const char sep = s[2];
    if ((sep == ':' || sep == '-') && s[5] == sep && s[8] == sep && s[11] == sep && s[14] == sep) {
      int bad = 0;
      for (int k = 0; k < 6; ++k) {
        int hi = kHex[uint8_t(s[3 * k])], lo = kHex[uint8_t(s[3 * k + 1])];
        bad |= hi | lo;
        out.bytes[k] = uint8_t(hi * 16 + lo);
      }
      return bad >= 0;
    }
  }
  // Cisco dotted form aabb.ccdd.eeff
  if (s.size() == 14 && s[4] == '.' && s[9] == '.') {
    int k = 0;
    for (size_t i = 0; i < s.size(); i += 5)
      for (size_t j = 0; j < 4; j += 2) {
        int hi = hex_value(s[i + j]), lo = hex_value(s[i + j + 1]);
        if (hi < 0 || lo < 0) return false;
        out.bytes[k++] = uint8_t(hi * 16 + lo);
      }
    return true;
  }
  if (s.size() == 12) {
    for (int k = 0; k < 6; ++k) {
      int hi = hex_value(s[2 * k]), lo = hex_value(s[2 * k + 1]);
      if (hi < 0 || lo < 0) return false;
      out.bytes[k] = uint8_t(hi * 16 + lo);
    }
    return true;
  }
  // One or two hex digits per group (ISC dhcpd prints "0:1b:2c:3:4:5").
  const char* e = s.data() + s.size();
  return parse_mac_prefix(s.data(), e, out) == e;
}

const char* parse_mac_prefix(const char* p, const char* e, MacAddr& out) {
  // The usual form first, "52:54:00:12:34:56" (or with dashes), at fixed places.
  if (e - p >= 17 && (p[2] == ':' || p[2] == '-') && p[5] == p[2] && p[8] == p[2] &&
      p[11] == p[2] && p[14] == p[2]) {
    const char sep = p[2];
    bool ok = true;
    for (int k = 0; k < 6 && ok; ++k) {
      const char* q = p + 3 * k;
      int hi = kHex[uint8_t(q[0])], lo = kHex[uint8_t(q[1])];
      ok = hi >= 0 && lo >= 0 && (k == 5 || q[2] == sep);
      out.bytes[k] = uint8_t(hi * 16 + lo);
    }
    if (ok) {
      const char* end = p + 17;
      if (end != e && kHex[uint8_t(*end)] >= 0) return nullptr;  // a third digit
      return end;
    }
  }
  if (e - p >= 18) {
    // One or two digits per octet ("0:1b:2c:3:4:5", how ISC dhcpd prints
    // them) with room for the longest form and the byte after it: no end
    // checks.
    char sep = 0;
    for (int k = 0; k < 6; ++k) {
      int hi = kHex[uint8_t(p[0])];
      if (hi < 0) return nullptr;
      int lo = kHex[uint8_t(p[1])];
      if (lo >= 0) {
        out.bytes[k] = uint8_t(hi * 16 + lo);
        p += 2;
      } else {
        out.bytes[k] = uint8_t(hi);
        p += 1;
      }
      if (k == 5) break;
      if (k == 0) {
        sep = *p;
        if (sep != ':' && sep != '-') return nullptr;
      } else if (*p != sep) {
        return nullptr;
      }
      ++p;
    }
    if (kHex[uint8_t(*p)] >= 0) return nullptr;  // a third digit
    return p;
  }
  char sep = 0;
  for (int k = 0; k < 6; ++k) {
    if (k > 0) {
      if (p == e) return nullptr;
      if (sep == 0 && (*p == ':' || *p == '-')) sep = *p;
      if (*p != sep) return nullptr;
      ++p;
    }
    if (p == e) return nullptr;
    int hi = kHex[uint8_t(*p++)];
    if (hi < 0) return nullptr;
    int v = hi;
    if (p != e) {
      int lo = kHex[uint8_t(*p)];
      if (lo >= 0) {
        v = hi * 16 + lo;
        ++p;
      }
    }
    out.bytes[k] = uint8_t(v);
  }
  if (p != e && kHex[uint8_t(*p)] >= 0) return nullptr;  // a third digit
  return p;
}

size_t parse_hex_bytes(std::string_view s, uint8_t* out, size_t cap) {
  if (s.size() > 2 && s.find(':') == std::string_view::npos) {
    // "001b2c": digits in pairs.
    if (s.size() % 2 != 0 || s.size() / 2 > cap) return 0;
    for (size_t i = 0; i < s.size(); i += 2) {
      int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
      if (hi < 0 || lo < 0) return 0;
      out[i / 2] = uint8_t(hi * 16 + lo);
    }
    return s.size() / 2;
  }
  // "00:1b:2c" or "0:1b:2c"; a lone group of one or two digits is one octet.
  size_t n = 0, i = 0;
  while (i < s.size()) {
    int v = 0, digits = 0;
    while (i < s.size() && digits < 2 && hex_value(s[i]) >= 0)
      v = v * 16 + hex_value(s[i++]), ++digits;
    if (digits == 0 || n == cap) return 0;
    out[n++] = uint8_t(v);
    if (i == s.size()) break;
    if (s[i++] != ':' || i == s.size()) return 0;
  }
  return n;
}

bool mac_from_duid(const uint8_t* d, size_t n, MacAddr& mac) {
  if (n == 14 && d[0] == 0 && d[1] == 1 && d[2] == 0 && d[3] == 1) {  // DUID-LLT: time, then MAC
    std::memcpy(mac.bytes.data(), d + 8, 6);
    return true;
  }
  if (n == 10 && d[0] == 0 && d[1] == 3 && d[2] == 0 && d[3] == 1) {  // DUID-LL: MAC
    std::memcpy(mac.bytes.data(), d + 4, 6);
    return true;
  }
  return false;
}

bool mac_from_duid(std::string_view duid_text, MacAddr& mac) {
  uint8_t d[14];  // a longer DUID carries no MAC
  return mac_from_duid(d, parse_hex_bytes(duid_text, d, sizeof d), mac);
}

void append_ip(std::string& out, const IpAddr& ip) {
  char buf[48];
  char* p = buf;
  auto put_dec = [&p](unsigned v) {
    if (v >= 100) *p++ = char('0' + v / 100);
    if (v >= 10) *p++ = char('0' + v / 10 % 10);
    *p++ = char('0' + v % 10);
  };
  if (ip.is_v4()) {
    for (int k = 12; k < 16; ++k) {
      if (k > 12) *p++ = '.';
      put_dec(ip.bytes[k]);
    }
    out.append(buf, p - buf);
    return;
  }
  uint16_t g[8];
  for (int k = 0; k < 8; ++k) g[k] = uint16_t(ip.bytes[2 * k] << 8 | ip.bytes[2 * k + 1]);
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first if tied.
  int best = -1, best_len = 1;
  for (int k = 0; k < 8;) {
    if (g[k] != 0) {
      ++k;
      continue;
    }
    int j = k;
    while (j < 8 && g[j] == 0) ++j;
    if (j - k > best_len) best = k, best_len = j - k;
    k = j;
  }
  static const char kHex[] = "0123456789abcdef";
  for (int k = 0; k < 8; ++k) {
    if (k == best) {
      *p++ = ':';
      *p++ = ':';
      k += best_len - 1;
      continue;
    }
    if (k > 0 && !(best >= 0 && k == best + best_len)) *p++ = ':';
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      unsigned d = (g[k] >> shift) & 0xf;
      if (d || started || shift == 0) *p++ = kHex[d], started = true;
    }
  }
  out.append(buf, p - buf);
}

void append_mac(std::string& out, const MacAddr& mac) {
  static const char kHex[] = "0123456789abcdef";
  char buf[17];
  for (int k = 0; k < 6; ++k) {
    buf[3 * k] = kHex[mac.bytes[k] >> 4];
    buf[3 * k + 1] = kHex[mac.bytes[k] & 0xf];
    if (k < 5) buf[3 * k + 2] = ':';
  }
  out.append(buf, 17);
}

std::string to_string(const IpAddr& ip) {
  std::string s;
  append_ip(s, ip);
  return s;
}

std::string to_string(const MacAddr& mac) {
  std::string s;
  append_mac(s, mac);
  return s;
}

size_t IpHash::operator()(const IpAddr& ip) const noexcept {
  uint64_t a, b;
  std::memcpy(&a, ip.bytes.data(), 8);
  std::memcpy(&b, ip.bytes.data() + 8, 8);
  return size_t(mix(a ^ mix(b)));
}

size_t MacHash::operator()(const MacAddr& mac) const noexcept {
  uint64_t a = 0;
  std::memcpy(&a, mac.bytes.data(), 6);
  return size_t(mix(a));
}

}  // namespace tracekit

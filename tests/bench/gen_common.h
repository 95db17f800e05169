// What the benchmark generators share: a seeded random generator that gives
// the same stream on every platform, inline text buffers for the hot write
// loop, dates without a time-zone library, and the parsing of --start and
// --size. Header-only and standard library plus fmt, so each generator still
// builds without the rest of tracekit.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

namespace benchgen {

// xoshiro256** seeded through splitmix64: fast, and the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (auto& s : s_) {
      seed += 0x9e3779b97f4a7c15ULL;
      uint64_t z = seed;
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      s = z ^ (z >> 31);
    }
  }
  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // [0, n) by multiply-high; the bias is far below anything a benchmark sees.
  uint32_t below(uint32_t n) { return uint32_t(((next() >> 32) * uint64_t(n)) >> 32); }
  double unit() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  bool chance(double p) { return unit() < p; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> s_{};
};

struct Text {  // a short string kept inline (IP, MAC, host)
  std::array<char, 32> buf{};
  uint8_t len = 0;
  std::string_view view() const { return {buf.data(), len}; }
  void set(std::string_view s) {
    len = uint8_t(std::min(s.size(), buf.size()));
    std::memcpy(buf.data(), s.data(), len);
  }
};

// Appends to a fixed buffer; the caller flushes before it can overflow.
struct Out {
  char* p;
  void put(std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  }
  void put(char c) { *p++ = c; }
  // Copies the whole inline buffer (a fixed-size move, no call) and keeps len:
  // the buffer's slack absorbs the overrun.
  void put(const Text& t) {
    std::memcpy(p, t.buf.data(), sizeof t.buf);
    p += t.len;
  }
  void num(uint64_t v) { p = std::to_chars(p, p + 20, v).ptr; }
};

inline Text ip_text(uint32_t ip) {
  Text t;
  Out o{t.buf.data()};
  for (int k = 3; k >= 0; --k) {
    o.num((ip >> (8 * k)) & 0xff);
    if (k) o.put('.');
  }
  t.len = uint8_t(o.p - t.buf.data());
  return t;
}

inline bool parse_ipv4(std::string_view s, uint32_t& out) {
  uint32_t v = 0;
  const char* p = s.data();
  const char* end = s.data() + s.size();
  for (int k = 0; k < 4; ++k) {
    unsigned octet = 0;
    auto r = std::from_chars(p, end, octet);
    if (r.ec != std::errc() || octet > 255) return false;
    v = (v << 8) | octet;
    p = r.ptr;
    if (k < 3) {
      if (p == end || *p != '.') return false;
      ++p;
    }
  }
  out = v;
  return p == end;
}

// Days since 1970-01-01 -> civil date (Howard Hinnant's algorithm).
inline void civil_from_days(int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = int(yoe + era * 400 + (m <= 2));
}

inline int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

// The output file ("-": stdout), created for writing; null after saying why.
inline FILE* create_output(std::string_view tool, const std::string& path) {
  if (path == "-") return stdout;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) fmt::print(stderr, "{}: cannot create {}: {}\n", tool, path, std::strerror(errno));
  return f;
}

inline bool parse_start(std::string_view s, int64_t& epoch) {
  // YYYY-MM-DDTHH:MM:SS, read as UTC (the file's local time).
  if (s.size() != 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':')
    return false;
  auto field = [&](size_t at, size_t n, unsigned& v) {
    auto r = std::from_chars(s.data() + at, s.data() + at + n, v);
    return r.ec == std::errc() && r.ptr == s.data() + at + n;
  };
  unsigned y, mo, d, h, mi, se;
  if (!field(0, 4, y) || !field(5, 2, mo) || !field(8, 2, d) || !field(11, 2, h) ||
      !field(14, 2, mi) || !field(17, 2, se) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
      mi > 59 || se > 59)
    return false;
  epoch = days_from_civil(int(y), mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return true;
}

inline std::string iso(int64_t epoch) {
  int y;
  unsigned m, d;
  int64_t days = epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400;
  int64_t sec = epoch - days * 86400;
  civil_from_days(days, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, sec / 3600, sec / 60 % 60,
                     sec % 60);
}

inline bool parse_size(std::string_view s, uint64_t& out) {
  uint64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr == s.data()) return false;
  std::string_view unit = s.substr(size_t(r.ptr - s.data()));
  uint64_t mult = 1;
  if (unit == "" || unit == "B")
    mult = 1;
  else if (unit == "K" || unit == "k" || unit == "KiB")
    mult = 1ULL << 10;
  else if (unit == "M" || unit == "MiB")
    mult = 1ULL << 20;
  else if (unit == "G" || unit == "GiB")
    mult = 1ULL << 30;
  else if (unit == "T" || unit == "TiB")
    mult = 1ULL << 40;
  else
    return false;
  out = v * mult;
  return true;
}

}  // namespace benchgen

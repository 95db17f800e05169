// gen-dhcpd-syslog: a synthetic ISC dhcpd syslog for benchmarks, deterministic
// from --seed (same seed and options: the same bytes; a smaller --size is a
// prefix of a larger one).
//
//   Dec 30 06:00:01 dhcp1 dhcpd[812]: DHCPACK on 10.1.23.7 to 0:16:3e:5a:b:c1 (ws-lab3-17) via eth0
//
// A simulated site: --clients workstations, phones and printers in
// 10.1.0.0/16, each with a fixed MAC, host name and segment (local eth0 or a
// relay 10.20.N.1). Renewals (DHCPREQUEST + DHCPACK) are most of the traffic;
// full DISCOVER/OFFER/REQUEST/ACK handshakes (sometimes to a new address),
// releases, DHCPINFORM, NAKs, dhcpd noise and other programs' lines (sshd,
// CRON) are mixed in. Time starts at --start and advances about --rate lines
// per second; dates are written year-less, so a run across December 31 has a
// New Year rollover inside the file. --plant IP gives one client that address
// for the whole file and renews it about every 30 minutes, so a single-IP
// query always has an answer.
//
// The output is built with memcpy into a large buffer and written with fwrite:
// the generator must not be what a benchmark waits for (>= 300 MB/s).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gen_common.h"

using namespace benchgen;

namespace {

constexpr std::string_view kTool = "gen-dhcpd-syslog";

[[noreturn]] void usage_error(std::string_view msg) {
  fmt::print(stderr, "{}: {}\n", kTool, msg);
  fmt::print(stderr,
             "usage: {} [--seed N] [--size BYTES] [--out FILE] [--plant IP]... [--clients N]\n"
             "       [--start YYYY-MM-DDTHH:MM:SS] [--rate LINES_PER_SECOND] [--server HOST]\n",
             kTool);
  std::exit(2);
}

// dhcpd prints MAC octets in hex without leading zeros ("0:16:3e:5:a:c1").
Text mac_text(uint64_t mac) {
  static constexpr char kHex[] = "0123456789abcdef";
  Text t;
  size_t n = 0;
  for (int k = 5; k >= 0; --k) {
    unsigned octet = (mac >> (8 * k)) & 0xff;
    if (octet >= 16) t.buf[n++] = kHex[octet >> 4];
    t.buf[n++] = kHex[octet & 15];
    if (k) t.buf[n++] = ':';
  }
  t.len = uint8_t(n);
  return t;
}

struct Client {
  uint64_t mac;
  uint32_t ip;  // 0: none held
  Text ip_str, mac_str;
  Text host;        // "(ws-lab3-17) " or empty (no host name sent)
  uint8_t segment;  // 0: eth0, else relay 10.20.segment.1
  bool bound;
};

constexpr uint32_t kNet = (10u << 24) | (1u << 16);  // 10.1.0.0/16
constexpr std::string_view kServerId = "10.0.0.2";

class Generator {
 public:
  Generator(uint64_t seed, uint32_t clients, int64_t start, double rate, std::string server,
            std::vector<uint32_t> planted)
      : rng_(seed), t_us_(start * 1000000), rate_(rate), server_(std::move(server)) {
    // Free addresses: 10.1.0.10 .. 10.1.255.254, without .0/.255 and the planted ones.
    for (uint32_t a = kNet + 10; a < kNet + 0xffff; ++a) {
      uint32_t low = a & 0xff;
      if (low == 0 || low == 255) continue;
      if (std::find(planted.begin(), planted.end(), a) != planted.end()) continue;
      free_.push_back(a);
    }
    if (clients > free_.size()) clients = uint32_t(free_.size());
    static constexpr std::string_view kLabs[] = {"lab1", "lab2", "lab3", "lab4", "lib",
                                                 "hr",   "acct", "eng",  "ops",  "sales"};
    static constexpr uint32_t kOui[] = {0x00163e, 0x3c5282, 0x001b21, 0xf4ce46, 0xacde48,
                                        0x64315f, 0x0050b6, 0x28d244, 0x98fa9b, 0x000c29};
    clients_.reserve(clients + planted.size());
    for (uint32_t i = 0; i < clients; ++i) {
      Client c{};
      c.mac = (uint64_t(kOui[rng_.below(10)]) << 24) | (rng_.next() & 0xffffff);
      c.mac_str = mac_text(c.mac);
      uint32_t kind = rng_.below(1000);
      std::string host;
      if (kind < 600) {
        host = fmt::format("ws-{}-{}", kLabs[rng_.below(10)], rng_.below(400) + 1);
      } else if (kind < 750) {
        host = fmt::format("LAPTOP-{:07X}", rng_.below(0xfffffff));
      } else if (kind < 850) {
        host = fmt::format("android-{:016x}", rng_.next());
      } else if (kind < 880) {
        host = fmt::format("prn-{}-{}", kLabs[rng_.below(10)], rng_.below(20) + 1);
      } else if (kind < 885) {
        host = fmt::format("Staff iPad {}", rng_.below(90) + 10);  // spaces happen
      }                                                            // else: no host name sent
      if (!host.empty()) c.host.set(fmt::format("({}) ", host));
      c.segment = rng_.chance(0.3) ? uint8_t(rng_.below(8) + 1) : 0;
      take_address(c);
      c.bound = true;
      clients_.push_back(c);
    }
    for (uint32_t ip : planted) {
      Client c{};
      c.mac = (0x00163eULL << 24) | 0xbe0000 | (planted_.size() & 0xffff);
      c.mac_str = mac_text(c.mac);
      c.host.set(fmt::format("(ws-planted-{}) ", planted_.size() + 1));
      c.ip = ip;
      c.ip_str = ip_text(ip);
      c.bound = true;
      planted_.push_back({uint32_t(clients_.size()), 0, 0});
      clients_.push_back(c);
    }
    n_regular_ = clients;
    for (auto& p : planted_) p.next_us = t_us_;  // from the first line on
    first_us_ = t_us_;
  }

  // Writes one transaction (one to four lines, plus a planted renewal when one
  // is due) at `o`.
  void transaction(Out& o) {
    uint64_t lines_before = lines_;
    for (auto& p : planted_) {
      if (t_us_ >= p.next_us) {
        renew(o, clients_[p.client], rng_.chance(0.5));
        ++p.acks;
        // About every 30 minutes, a little early or late.
        p.next_us += (1800 + int64_t(rng_.below(120)) - 60) * 1000000;
      }
    }
    uint32_t roll = rng_.below(10000);
    Client& c = clients_[rng_.below(n_regular_)];
    if (roll < 7200) {  // renewal of a bound lease
      if (c.bound)
        renew(o, c, rng_.chance(0.15));
      else
        handshake(o, c, false);
    } else if (roll < 8000) {  // a client (re)joining: full handshake
      handshake(o, c, rng_.chance(0.2));
    } else if (roll < 8300) {  // release
      if (c.bound) {
        header(o);
        o.put("DHCPRELEASE of ");
        o.put(c.ip_str);
        o.put(" from ");
        o.put(c.mac_str);
        o.put(' ');
        o.put(c.host);
        via(o, c);
        o.put(" (found)\n");
        ++lines_;
        c.bound = false;
      } else {
        handshake(o, c, false);
      }
    } else if (roll < 8320) {  // release of a lease the server no longer knew
      header(o);
      o.put("DHCPRELEASE of ");
      o.put(c.ip_str);
      o.put(" from ");
      o.put(c.mac_str);
      o.put(' ');
      via(o, c);
      o.put(" (not found)\n");
      ++lines_;
    } else if (roll < 8720) {  // DHCPINFORM and its DHCPACK (no lease)
      header(o);
      o.put("DHCPINFORM from ");
      o.put(c.ip_str);
      o.put(' ');
      via(o, c);
      o.put('\n');
      header(o);
      o.put("DHCPACK to ");
      o.put(c.ip_str);
      o.put(" (");
      o.put(c.mac_str);
      o.put(") ");
      via(o, c);
      o.put('\n');
      lines_ += 2;
    } else if (roll < 8770) {  // a request for the wrong network: NAK
      header(o);
      o.put("DHCPREQUEST for 192.168.");
      o.num(rng_.below(4));
      o.put('.');
      o.num(rng_.below(250) + 2);
      o.put(" (192.168.0.1) from ");
      o.put(c.mac_str);
      o.put(' ');
      o.put(c.host);
      via(o, c);
      o.put(": wrong network.\n");
      header(o);
      o.put("DHCPNAK on 192.168.0.");
      o.num(rng_.below(250) + 2);
      o.put(" to ");
      o.put(c.mac_str);
      o.put(' ');
      via(o, c);
      o.put('\n');
      lines_ += 2;
    } else if (roll < 8970) {  // an unknown device on a full pool
      Text mac = mac_text((0xda7a00ULL << 24) | (rng_.next() & 0xffffff));
      header(o);
      o.put("DHCPDISCOVER from ");
      o.put(mac);
      o.put(" via ");
      uint32_t seg = rng_.below(9);
      if (seg == 0) {
        o.put("eth0: network 10.1.0.0/16: no free leases\n");
      } else {
        o.put("10.20.");
        o.num(seg);
        o.put(".1: network 10.1.0.0/16: no free leases\n");
      }
      ++lines_;
    } else if (roll < 9070) {
      header(o);
      o.put("uid lease ");
      o.put(c.ip_str);
      o.put(" for client ");
      o.put(c.mac_str);
      o.put(" is duplicate on 10.1.0.0/16\n");
      ++lines_;
    } else if (roll < 9085) {  // the lease file rewrite
      header(o);
      o.put("Wrote 0 deleted host decls to leases file.\n");
      header(o);
      o.put("Wrote 0 new dynamic host decls to leases file.\n");
      header(o);
      o.put("Wrote ");
      o.num(n_regular_ - rng_.below(n_regular_ / 20 + 1));
      o.put(" leases to leases file.\n");
      lines_ += 3;
    } else if (roll < 9700) {
      foreign(o);
    } else {  // renewal through a relay even for local clients (roaming laptops)
      if (c.bound)
        renew(o, c, true);
      else
        handshake(o, c, true);
    }
    advance(lines_ - lines_before);
  }

  uint64_t lines() const { return uint64_t(lines_); }
  int64_t first_epoch() const { return first_us_ / 1000000; }
  int64_t last_epoch() const { return last_written_s_; }
  struct Planted {
    uint32_t client;
    int64_t next_us;
    uint64_t acks;
  };
  const std::vector<Planted>& planted() const { return planted_; }
  const Client& client(uint32_t i) const { return clients_[i]; }

 private:
  void advance(uint64_t lines) {
    // Exponential gaps with a mean of `lines` / rate seconds: bursts and lulls.
    double u = rng_.unit();
    double gap = -std::log1p(-u) * double(lines) / rate_;
    t_us_ += int64_t(gap * 1e6);
  }

  void header(Out& o) {
    stamp();
    o.put({header_.data(), header_len_});
  }

  void stamp() {
    int64_t s = t_us_ / 1000000;
    if (s != cached_s_) format_header(s);
  }

  void format_header(int64_t s) {
    static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t day = s / 86400;
    if (day != cached_day_) {
      int y;
      civil_from_days(day, y, month_, mday_);
      cached_day_ = day;
    }
    int64_t sec = s - day * 86400;
    char* p = header_.data();
    std::memcpy(p, kMonths[month_ - 1].data(), 3);
    p[3] = ' ';
    p[4] = mday_ < 10 ? ' ' : char('0' + mday_ / 10);
    p[5] = char('0' + mday_ % 10);
    p[6] = ' ';
    unsigned hh = unsigned(sec / 3600), mm = unsigned(sec / 60 % 60), ss = unsigned(sec % 60);
    p[7] = char('0' + hh / 10), p[8] = char('0' + hh % 10), p[9] = ':';
    p[10] = char('0' + mm / 10), p[11] = char('0' + mm % 10), p[12] = ':';
    p[13] = char('0' + ss / 10), p[14] = char('0' + ss % 10), p[15] = ' ';
    p += 16;
    std::memcpy(p, server_.data(), server_.size());
    p += server_.size();
    static constexpr std::string_view kTag = " dhcpd[812]: ";
    std::memcpy(p, kTag.data(), kTag.size());
    p += kTag.size();
    header_len_ = size_t(p - header_.data());
    cached_s_ = s;
    last_written_s_ = s;
  }

  void via(Out& o, const Client& c, bool relayed = false) {
    uint8_t seg = c.segment ? c.segment : relayed ? uint8_t(1 + (c.mac & 7)) : 0;
    if (seg == 0) {
      o.put("via eth0");
    } else {
      o.put("via 10.20.");
      o.num(seg);
      o.put(".1");
    }
  }

  void renew(Out& o, const Client& c, bool relayed) {
    header(o);
    o.put("DHCPREQUEST for ");
    o.put(c.ip_str);
    // Clients in RENEWING state send no server identifier; REBINDING and
    // INIT-REBOOT ones sometimes do.
    if (rng_.below(8) == 0) {
      o.put(" (");
      o.put(kServerId);
      o.put(')');
    }
    o.put(" from ");
    o.put(c.mac_str);
    o.put(' ');
    o.put(c.host);
    via(o, c, relayed);
    o.put('\n');
    ack(o, c, relayed);
    lines_ += 2;
  }

  void ack(Out& o, const Client& c, bool relayed) {
    header(o);
    o.put("DHCPACK on ");
    o.put(c.ip_str);
    o.put(" to ");
    o.put(c.mac_str);
    o.put(' ');
    o.put(c.host);
    via(o, c, relayed);
    o.put('\n');
  }

  void handshake(Out& o, Client& c, bool new_address) {
    if (new_address || c.ip == 0) {
      if (c.ip) free_.push_back(c.ip);
      take_address(c);
    }
    header(o);
    o.put("DHCPDISCOVER from ");
    o.put(c.mac_str);
    o.put(' ');
    o.put(c.host);
    via(o, c);
    o.put('\n');
    header(o);
    o.put("DHCPOFFER on ");
    o.put(c.ip_str);
    o.put(" to ");
    o.put(c.mac_str);
    o.put(' ');
    o.put(c.host);
    via(o, c);
    o.put('\n');
    header(o);
    o.put("DHCPREQUEST for ");
    o.put(c.ip_str);
    o.put(" (");
    o.put(kServerId);
    o.put(") from ");
    o.put(c.mac_str);
    o.put(' ');
    o.put(c.host);
    via(o, c);
    o.put('\n');
    ack(o, c, false);
    lines_ += 4;
    c.bound = true;
  }

  void take_address(Client& c) {
    uint32_t k = rng_.below(uint32_t(free_.size()));
    c.ip = free_[k];
    free_[k] = free_.back();
    free_.pop_back();
    c.ip_str = ip_text(c.ip);
  }

  void foreign(Out& o) {
    stamp();
    o.put({header_.data(), kStampLen});
    o.put(server_);
    uint32_t kind = rng_.below(10);
    if (kind < 4) {
      o.put(" CRON[");
      o.num(20000 + rng_.below(40000));
      o.put("]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)\n");
    } else if (kind < 7) {
      o.put(" sshd[");
      o.num(2000 + rng_.below(60000));
      o.put("]: Accepted publickey for ops from 10.20.");
      o.num(rng_.below(9));
      o.put('.');
      o.num(rng_.below(250) + 2);
      o.put(" port ");
      o.num(32768 + rng_.below(28000));
      o.put(" ssh2: ED25519 SHA256:Zk3nq0V1c4bT9mYl2oPq8rS7uVwXyZa1B2c3D4e5F6g\n");
    } else if (kind < 9) {
      o.put(" sshd[");
      o.num(2000 + rng_.below(60000));
      o.put("]: pam_unix(sshd:session): session opened for user ops(uid=1000) by (uid=0)\n");
    } else {
      o.put(" systemd[1]: Started session-");
      o.num(rng_.below(9000) + 100);
      o.put(".scope - Session of User ops.\n");
    }
    ++lines_;
  }

  Rng rng_;
  int64_t t_us_;
  double rate_;
  std::string server_;
  std::vector<uint32_t> free_;
  std::vector<Client> clients_;
  uint32_t n_regular_ = 0;
  std::vector<Planted> planted_;
  int64_t first_us_ = 0;
  int64_t last_written_s_ = 0;
  uint64_t lines_ = 0;
  std::array<char, 128> header_{};
  size_t header_len_ = 0;
  static constexpr size_t kStampLen = 16;  // "Mon DD HH:MM:SS ", before the host
  int64_t cached_s_ = -1, cached_day_ = INT64_MIN;
  unsigned month_ = 1, mday_ = 1;
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = 1, size = 1ULL << 30;
  uint32_t clients = 40000;
  double rate = 40;
  std::string out_path = "-", server = "dhcp1", start_text = "2025-12-30T06:00:00";
  std::vector<uint32_t> planted;
  std::vector<std::string> planted_text;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) usage_error(fmt::format("{} needs a value", a));
      return argv[++i];
    };
    if (a == "--seed") {
      std::string_view v = value();
      auto r = std::from_chars(v.data(), v.data() + v.size(), seed);
      if (r.ec != std::errc() || r.ptr != v.data() + v.size())
        usage_error(fmt::format("--seed: '{}' is not a number", v));
    } else if (a == "--size") {
      std::string_view v = value();
      if (!parse_size(v, size)) usage_error(fmt::format("--size: '{}' is not a size (e.g. 1G)", v));
    } else if (a == "--out" || a == "-o") {
      out_path = value();
    } else if (a == "--plant") {
      std::string_view v = value();
      uint32_t ip;
      if (!parse_ipv4(v, ip)) usage_error(fmt::format("--plant: '{}' is not an IPv4 address", v));
      planted.push_back(ip);
      planted_text.emplace_back(v);
    } else if (a == "--clients") {
      std::string_view v = value();
      auto r = std::from_chars(v.data(), v.data() + v.size(), clients);
      if (r.ec != std::errc() || clients == 0)
        usage_error(fmt::format("--clients: '{}' is not a positive number", v));
    } else if (a == "--rate") {
      rate = std::atof(std::string(value()).c_str());
      if (!(rate > 0)) usage_error("--rate: expected lines per second > 0");
    } else if (a == "--start") {
      start_text = value();
    } else if (a == "--server") {
      server = value();
      if (server.empty() || server.size() > 64 || server.find(' ') != std::string::npos)
        usage_error("--server: a host name without spaces, up to 64 characters");
    } else if (a == "-h" || a == "--help") {
      fmt::print(
          "usage: {} [--seed N] [--size BYTES] [--out FILE] [--plant IP]... [--clients N]\n"
          "       [--start YYYY-MM-DDTHH:MM:SS] [--rate LINES_PER_SECOND] [--server HOST]\n"
          "Writes --size bytes (K/M/G = KiB/MiB/GiB; default 1G) of synthetic ISC dhcpd syslog,\n"
          "the same for the same seed. Ends at the first line end at or past --size.\n",
          kTool);
      return 0;
    } else {
      usage_error(fmt::format("unknown argument '{}'", a));
    }
  }
  int64_t start = 0;
  if (!parse_start(start_text, start))
    usage_error(fmt::format("--start: '{}' is not YYYY-MM-DDTHH:MM:SS", start_text));

  FILE* out = create_output(kTool, out_path);
  if (!out) return 1;
  auto t0 = std::chrono::steady_clock::now();
  Generator gen(seed, clients, start, rate, server, planted);

  constexpr size_t kBuf = 4 << 20;
  constexpr size_t kSlack = 4096;  // more than any one transaction writes
  auto buf = std::make_unique<char[]>(kBuf + kSlack);
  uint64_t written = 0;
  Out o{buf.get()};
  auto flush = [&] {
    size_t used = size_t(o.p - buf.get());
    if (std::fwrite(buf.get(), 1, used, out) != used) {
      fmt::print(stderr, "{}: writing {}: {}\n", kTool, out_path, std::strerror(errno));
      std::exit(1);
    }
    written += used;
    o.p = buf.get();
  };
  // Whole transactions only: the file ends at the first one to reach --size.
  while (written + size_t(o.p - buf.get()) < size) {
    gen.transaction(o);
    if (size_t(o.p - buf.get()) >= kBuf) flush();
  }
  flush();
  if (std::fflush(out) != 0 || (out != stdout && std::fclose(out) != 0)) {
    fmt::print(stderr, "{}: writing {}: {}\n", kTool, out_path, std::strerror(errno));
    return 1;
  }
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print(stderr, "{}: seed {}\n", kTool, seed);
  fmt::print(stderr, "{}: wrote {} lines, {} bytes to {} in {:.2f} s ({:.0f} MB/s)\n", kTool,
             gen.lines(), written, out_path == "-" ? "stdout" : out_path, secs,
             double(written) / 1e6 / secs);
  // The year is not in the file; these times are what a reader that knows it sees.
  int64_t first = gen.first_epoch(), last = gen.last_epoch();
  fmt::print(stderr, "{}: time {} .. {} (local time, written year-less)\n", kTool, iso(first),
             iso(last));
  for (size_t k = 0; k < gen.planted().size(); ++k) {
    const auto& p = gen.planted()[k];
    const Client& c = gen.client(p.client);
    std::string_view host = c.host.view();
    fmt::print(stderr, "{}: planted {} mac {} host {}: {} DHCPACK lines\n", kTool, planted_text[k],
               c.mac_str.view(), host.substr(1, host.size() - 3), p.acks);
  }
  fmt::print(stderr, "{}: query time {}\n", kTool, iso(first + (last - first) / 2));
  return 0;
}

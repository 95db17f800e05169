// gen-asa-syslog: synthetic Cisco ASA syslog for benchmarks, deterministic
// from --seed (same seed and options: the same bytes).
//
//   Nov 20 2026 08:00:01 fw01 : %ASA-6-305011: Built dynamic TCP translation from
//     inside:10.2.3.7/51234 to outside:203.0.113.10/40123
//
// A simulated PAT firewall: --hosts inside hosts in 10.2.0.0/16 behind
// --publics public addresses (203.0.113.10, .20, ...). Each connection is a
// 305011 Built translation and a 302013 (TCP) or 302015 (UDP) Built
// connection; when it ends, a 302014/302016 Teardown connection and, the PAT
// timeout (30 s) later, the 305012 Teardown translation. Public ports are
// handed out round-robin per public address, skipping ports still held, so
// every port is reused many times over a large file (at different times).
// About a quarter of the lines are other messages (denies, some naming the
// public addresses, SSL handshakes, admin commands, interface and failover
// noise). Dates are the ASA's own (logging timestamp, with the year), in the
// file's zone; the device-id is --device.
//
// --plant IP:PORT: when the output reaches half of --size, one connection of
// the reserved inside host 10.2.254.77:51515 to 198.51.100.77:443 is given
// that public address and port for 95 seconds; a query for IP:PORT at its
// start + 30 s has exactly that answer. --queries FILE writes --query-count
// rows (ip, port, time, expect_ip, expect_port; time in UTC = the file's
// zone) for connections spread over the file, each at its start + 1 s, with
// the inside host that held the port then: a batch with known answers.
//
// Output goes through a 4 MiB buffer with memcpy and fwrite.
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
#include <queue>
#include <string>
#include <string_view>
#include <vector>

#include "gen_common.h"

using namespace benchgen;

namespace {

constexpr std::string_view kTool = "gen-asa-syslog";

[[noreturn]] void usage_error(std::string_view msg) {
  fmt::print(stderr, "{}: {}\n", kTool, msg);
  fmt::print(stderr,
             "usage: {} [--seed N] [--size BYTES] [--out FILE] [--plant IP:PORT] [--hosts N]\n"
             "       [--publics N] [--start YYYY-MM-DDTHH:MM:SS] [--rate LINES_PER_SECOND]\n"
             "       [--device NAME] [--queries FILE] [--query-count N]\n",
             kTool);
  std::exit(2);
}

constexpr uint32_t kInside = (10u << 24) | (2u << 16);            // 10.2.0.0/16
constexpr uint32_t kPlantedInside = kInside | (254u << 8) | 77u;  // 10.2.254.77
constexpr uint16_t kPlantedInsidePort = 51515;
constexpr uint32_t kPlantedDst = (198u << 24) | (51u << 16) | (100u << 8) | 77u;
constexpr uint32_t kPublicBase = (203u << 24) | (113u << 8);  // 203.0.113.0
constexpr int64_t kPatTimeoutUs = 30 * 1000000LL;
constexpr uint16_t kFirstPort = 1024;

struct Pending {  // a teardown still to write
  int64_t at_us;
  uint64_t conn_id;
  uint32_t inside, dst;
  uint16_t inside_port, public_port, dst_port;
  uint8_t pub;
  bool udp;
  bool xlate;  // 305012 (else 302014/302016)
  int64_t start_s;
  uint32_t bytes;
  bool operator>(const Pending& o) const {
    return at_us != o.at_us ? at_us > o.at_us : conn_id > o.conn_id;
  }
};

struct Query {
  uint8_t pub;
  uint16_t port;
  int64_t time_s;
  uint32_t inside;
  uint16_t inside_port;
};

class Generator {
 public:
  Generator(uint64_t seed, uint32_t hosts, uint32_t publics, int64_t start, double rate,
            std::string device)
      : rng_(seed),
        t_us_(start * 1000000),
        rate_(rate),
        device_(std::move(device)),
        hosts_(hosts),
        cursor_(publics, kFirstPort),
        busy_until_(size_t(publics) * 65536, 0) {
    for (uint32_t k = 0; k < publics; ++k) pub_str_.push_back(ip_text(kPublicBase + 10 * (k + 1)));
    // Servers the inside hosts reach: a few big ones often, many rarely.
    for (uint32_t k = 0; k < 4000; ++k) {
      uint32_t a;
      do {
        a = uint32_t(rng_.next() >> 32);
      } while ((a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) >= 224 || (a >> 24) == 127 ||
               (a >> 8) == (kPublicBase >> 8) || (a >> 16) == ((192u << 8) | 168u));
      servers_.push_back(a);
    }
    first_us_ = t_us_;
  }

  uint32_t public_ip(uint32_t k) const { return kPublicBase + 10 * (k + 1); }

  // One step: the teardowns due, then a new connection or another message.
  void step(Out& o, bool plant_now) {
    // Exponential gaps averaging `rate` lines a second (a connection is about
    // four lines in all).
    double u = rng_.unit();
    t_us_ += int64_t(-std::log(1.0 - u) * 1e6 / rate_ * 2.6);
    while (!pending_.empty() && pending_.top().at_us <= t_us_) {
      Pending p = pending_.top();
      pending_.pop();
      teardown(o, p);
    }
    if (plant_now && !planted_ && plant_pub_ >= 0) {
      uint16_t port = plant_port_;
      if (busy_until_[size_t(plant_pub_) * 65536 + port] < t_us_) {
        connect(o, uint8_t(plant_pub_), port, kPlantedInside, kPlantedInsidePort, kPlantedDst, 443,
                false, 95);
        planted_ = true;
        plant_start_s_ = t_us_ / 1000000;
        plant_end_s_ = plant_start_s_ + 95;
        return;
      }
    }
    uint32_t roll = rng_.below(1000);
    if (roll < 700) {
      uint32_t h = rng_.below(hosts_);
      uint32_t inside = kInside + ((h / 250) << 8) + (h % 250) + 2;
      uint16_t iport = uint16_t(49152 + rng_.below(16384));
      uint8_t pub = uint8_t(rng_.below(uint32_t(cursor_.size())));
      bool udp = rng_.below(100) < 22;
      uint32_t dst;
      uint16_t dport;
      int64_t dur;
      if (udp) {
        uint32_t k = rng_.below(10);
        dst = k < 6 ? (k < 3 ? 0x08080808u : 0x01010101u) : servers_[rng_.below(64)];
        dport = k < 6 ? 53 : (k < 8 ? 443 : 123);
        dur = 120 + rng_.below(k < 6 ? 2 : 60);  // idle timeout after the last packet
      } else {
        uint32_t k = rng_.below(100);
        dst = servers_[k < 60 ? rng_.below(40) : rng_.below(uint32_t(servers_.size()))];
        dport = k < 75 ? 443 : (k < 93 ? 80 : (k < 97 ? 993 : 22));
        double v = rng_.unit();
        dur = int64_t(-std::log(1.0 - v) * (rng_.below(20) == 0 ? 900 : 12));
      }
      connect(o, pub, alloc_port(pub), inside, iport, dst, dport, udp, dur);
    } else {
      noise(o, roll);
    }
  }

  // Every connection still open ends (the file ends after its last teardown).
  void drain(Out& o) {
    if (pending_.empty()) return;
    Pending p = pending_.top();
    pending_.pop();
    t_us_ = std::max(t_us_, p.at_us);
    teardown(o, p);
  }
  bool drained() const { return pending_.empty(); }

  bool set_plant(uint32_t ip, uint16_t port) {
    for (uint32_t k = 0; k < cursor_.size(); ++k)
      if (public_ip(k) == ip) {
        plant_pub_ = int(k);
        plant_port_ = port;
        return true;
      }
    return false;
  }

  void want_queries(uint64_t stride, uint64_t count) {
    query_stride_ = std::max<uint64_t>(stride, 1);
    query_count_ = count;
  }

  uint64_t lines() const { return lines_; }
  uint64_t connections() const { return conns_; }
  uint64_t reused() const { return reused_; }
  int64_t first_epoch() const { return first_us_ / 1000000; }
  int64_t last_epoch() const { return last_written_s_; }
  bool planted() const { return planted_; }
  int64_t plant_start() const { return plant_start_s_; }
  int64_t plant_end() const { return plant_end_s_; }
  const std::vector<Query>& queries() const { return queries_; }
  const Text& pub_str(uint8_t k) const { return pub_str_[k]; }

 private:
  uint16_t alloc_port(uint8_t pub) {
    uint16_t& c = cursor_[pub];
    for (;;) {
      uint16_t port = c;
      c = c == 65535 ? kFirstPort : uint16_t(c + 1);
      if (plant_pub_ == pub && port == plant_port_ && !planted_) continue;  // kept for the plant
      int64_t& b = busy_until_[size_t(pub) * 65536 + port];
      if (b >= t_us_) continue;
      if (b) ++reused_;
      return port;
    }
  }

  void connect(Out& o, uint8_t pub, uint16_t pport, uint32_t inside, uint16_t iport, uint32_t dst,
               uint16_t dport, bool udp, int64_t dur_s) {
    uint64_t id = next_conn_++;
    ++conns_;
    Text in = ip_text(inside), far = ip_text(dst);
    header(o, "6-305011: Built dynamic ");
    o.put(udp ? "UDP" : "TCP");
    o.put(" translation from inside:");
    o.put(in);
    o.put('/');
    o.num(iport);
    o.put(" to outside:");
    o.put(pub_str_[pub]);
    o.put('/');
    o.num(pport);
    o.put('\n');
    header(o, udp ? "6-302015: Built outbound UDP connection "
                  : "6-302013: Built outbound TCP connection ");
    o.num(id);
    o.put(" for outside:");
    o.put(far);
    o.put('/');
    o.num(dport);
    o.put(" (");
    o.put(far);
    o.put('/');
    o.num(dport);
    o.put(") to inside:");
    o.put(in);
    o.put('/');
    o.num(iport);
    o.put(" (");
    o.put(pub_str_[pub]);
    o.put('/');
    o.num(pport);
    o.put(")\n");
    lines_ += 2;
    int64_t end_us = t_us_ + dur_s * 1000000 + rng_.below(1000000);
    uint32_t bytes = udp ? 60 + rng_.below(2000) : uint32_t(rng_.unit() * rng_.unit() * 2e6);
    Pending p{end_us, id,  inside, dst,   iport,           pport,
              dport,  pub, udp,    false, t_us_ / 1000000, bytes};
    pending_.push(p);
    p.xlate = true;
    p.at_us = end_us + kPatTimeoutUs;
    pending_.push(p);
    busy_until_[size_t(pub) * 65536 + pport] = p.at_us;
    if (query_count_ && queries_.size() < query_count_ && conns_ % query_stride_ == 0)
      queries_.push_back({pub, pport, t_us_ / 1000000 + 1, inside, iport});
  }

  void teardown(Out& o, const Pending& p) {
    int64_t saved = t_us_;
    t_us_ = std::max(p.at_us, last_us_);
    Text in = ip_text(p.inside);
    int64_t dur = t_us_ / 1000000 - p.start_s;
    if (p.xlate) {
      header(o, "6-305012: Teardown dynamic ");
      o.put(p.udp ? "UDP" : "TCP");
      o.put(" translation from inside:");
      o.put(in);
      o.put('/');
      o.num(p.inside_port);
      o.put(" to outside:");
      o.put(pub_str_[p.pub]);
      o.put('/');
      o.num(p.public_port);
      o.put(" duration ");
    } else {
      Text far = ip_text(p.dst);
      header(o,
             p.udp ? "6-302016: Teardown UDP connection " : "6-302014: Teardown TCP connection ");
      o.num(p.conn_id);
      o.put(" for outside:");
      o.put(far);
      o.put('/');
      o.num(p.dst_port);
      o.put(" to inside:");
      o.put(in);
      o.put('/');
      o.num(p.inside_port);
      o.put(" duration ");
    }
    o.num(uint64_t(dur / 3600));
    o.put(':');
    two(o, dur / 60 % 60);
    o.put(':');
    two(o, dur % 60);
    if (!p.xlate) {
      o.put(" bytes ");
      o.num(p.bytes);
      if (!p.udp) {
        uint32_t k = p.conn_id % 10;
        o.put(k < 7 ? " TCP FINs" : k < 9 ? " TCP Reset-O" : " TCP Reset-I");
      }
    }
    o.put('\n');
    ++lines_;
    t_us_ = std::max(saved, t_us_);
  }

  void noise(Out& o, uint32_t roll) {
    if (roll < 800) {
      // Scans of the public addresses, denied by the outside ACL.
      header(o, "4-106023: Deny tcp src outside:");
      o.put(ip_text(servers_[rng_.below(uint32_t(servers_.size()))]));
      o.put('/');
      o.num(1024 + rng_.below(64000));
      o.put(" dst outside:");
      o.put(pub_str_[rng_.below(uint32_t(pub_str_.size()))]);
      o.put('/');
      static constexpr uint16_t kPorts[] = {22, 23, 445, 3389, 8080, 5060, 1433, 25};
      o.num(kPorts[rng_.below(8)]);
      o.put(" by access-group \"outside_access_in\" [0x");
      hex(o, uint32_t(rng_.next()));
      o.put(", 0x0]\n");
    } else if (roll < 870) {
      header(o, "6-302020: Built inbound ICMP connection for faddr ");
      o.put(ip_text(servers_[rng_.below(40)]));
      o.put("/0 gaddr ");
      o.put(ip_text(kInside + (rng_.below(40) << 8) + 2 + rng_.below(250)));
      o.put("/0 laddr ");
      o.put(ip_text(kInside + (rng_.below(40) << 8) + 2 + rng_.below(250)));
      o.put("/0 type 0 code 0\n");
    } else if (roll < 920) {
      header(o, "6-725001: Starting SSL handshake with client inside:");
      o.put(ip_text(kInside + (rng_.below(40) << 8) + 2 + rng_.below(250)));
      o.put('/');
      o.num(49152 + rng_.below(16384));
      o.put(" to 10.2.0.1/443 for TLSv1.2 session\n");
    } else if (roll < 950) {
      header(o, "4-733100: [ Scanning] drop rate-1 exceeded. Current burst rate is ");
      o.num(rng_.below(40));
      o.put(" per second, max configured rate is 10; Current average rate is ");
      o.num(rng_.below(12));
      o.put(" per second, max configured rate is 5; Cumulative total count is ");
      o.num(rng_.below(100000));
      o.put('\n');
    } else if (roll < 970) {
      header(o, "5-111008: User 'netadmin' executed the 'show conn count' command.\n");
    } else if (roll < 985) {
      header(o, "6-110003: Routing failed to locate next hop for icmp from inside:");
      o.put(ip_text(kInside + (rng_.below(40) << 8) + 2 + rng_.below(250)));
      o.put("/0 to outside:192.0.2.");
      o.num(rng_.below(250) + 1);
      o.put("/0\n");
    } else {
      header(o, "6-710005: UDP request discarded from ");
      o.put(ip_text(servers_[rng_.below(uint32_t(servers_.size()))]));
      o.put('/');
      o.num(1024 + rng_.below(64000));
      o.put(" to outside:");
      o.put(pub_str_[rng_.below(uint32_t(pub_str_.size()))]);
      o.put("/500\n");
    }
    ++lines_;
  }

  static void two(Out& o, int64_t v) {
    o.put(char('0' + v / 10));
    o.put(char('0' + v % 10));
  }
  static void hex(Out& o, uint32_t v) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (int k = 28; k >= 0; k -= 4) o.put(kHex[(v >> k) & 15]);
  }

  // "Nov 20 2026 08:00:01 fw01 : %ASA-" + rest (severity and message id);
  // the date is remade once a second.
  void header(Out& o, std::string_view rest) {
    int64_t s = t_us_ / 1000000;
    last_us_ = std::max(last_us_, t_us_);
    if (s != cached_s_) {
      static constexpr std::string_view kMon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
      int64_t day = s / 86400;
      int64_t sec = s - day * 86400;
      int y;
      unsigned m, d;
      civil_from_days(day, y, m, d);
      Out h{header_.data()};
      h.put(kMon[m - 1]);
      h.put(' ');
      two(h, d);
      h.put(' ');
      h.num(uint64_t(y));
      h.put(' ');
      two(h, sec / 3600);
      h.put(':');
      two(h, sec / 60 % 60);
      h.put(':');
      two(h, sec % 60);
      h.put(' ');
      h.put(device_);
      h.put(" : %ASA-");
      header_len_ = size_t(h.p - header_.data());
      cached_s_ = s;
    }
    last_written_s_ = s;
    o.put({header_.data(), header_len_});
    o.put(rest);
  }

  Rng rng_;
  int64_t t_us_, last_us_ = 0;
  double rate_;
  std::string device_;
  uint32_t hosts_;
  std::vector<uint16_t> cursor_;
  std::vector<int64_t> busy_until_;  // per public address and port: held until (µs)
  std::vector<Text> pub_str_;
  std::vector<uint32_t> servers_;
  std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> pending_;
  uint64_t next_conn_ = 184467001, conns_ = 0, reused_ = 0, lines_ = 0;
  int plant_pub_ = -1;
  uint16_t plant_port_ = 0;
  bool planted_ = false;
  int64_t plant_start_s_ = 0, plant_end_s_ = 0;
  uint64_t query_stride_ = 1, query_count_ = 0;
  std::vector<Query> queries_;
  int64_t first_us_ = 0, last_written_s_ = 0, cached_s_ = -1;
  std::array<char, 128> header_{};
  size_t header_len_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = 1, size = 1ULL << 30, query_count = 10000;
  uint32_t hosts = 6000, publics = 4;
  double rate = 400;
  std::string out_path = "-", device = "fw01", start_text = "2026-11-20T08:00:00", queries_path;
  std::string plant_text;
  uint32_t plant_ip = 0;
  uint16_t plant_port = 0;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) usage_error(fmt::format("{} needs a value", a));
      return argv[++i];
    };
    auto number = [&](auto& out) {
      std::string_view v = value();
      auto r = std::from_chars(v.data(), v.data() + v.size(), out);
      if (r.ec != std::errc() || r.ptr != v.data() + v.size())
        usage_error(fmt::format("{}: '{}' is not a number", a, v));
    };
    if (a == "--seed") {
      number(seed);
    } else if (a == "--size") {
      std::string_view v = value();
      if (!parse_size(v, size)) usage_error(fmt::format("--size: '{}' is not a size (e.g. 1G)", v));
    } else if (a == "--out" || a == "-o") {
      out_path = value();
    } else if (a == "--plant") {
      std::string_view v = value();
      size_t colon = v.find(':');
      unsigned port = 0;
      if (colon == std::string_view::npos || !parse_ipv4(v.substr(0, colon), plant_ip) ||
          std::from_chars(v.data() + colon + 1, v.data() + v.size(), port).ec != std::errc() ||
          port < kFirstPort || port > 65535)
        usage_error(fmt::format("--plant: '{}' is not IPv4:PORT (PORT 1024-65535)", v));
      plant_port = uint16_t(port);
      plant_text = v;
    } else if (a == "--hosts") {
      number(hosts);
      if (hosts == 0 || hosts > 250 * 250) usage_error("--hosts: 1 to 62500");
    } else if (a == "--publics") {
      number(publics);
      if (publics == 0 || publics > 25) usage_error("--publics: 1 to 25");
    } else if (a == "--rate") {
      rate = std::atof(std::string(value()).c_str());
      if (!(rate > 0)) usage_error("--rate: expected lines per second > 0");
    } else if (a == "--start") {
      start_text = value();
    } else if (a == "--device") {
      device = value();
      if (device.empty() || device.size() > 64 || device.find(' ') != std::string::npos)
        usage_error("--device: a name without spaces, up to 64 characters");
    } else if (a == "--queries") {
      queries_path = value();
    } else if (a == "--query-count") {
      number(query_count);
    } else if (a == "-h" || a == "--help") {
      fmt::print(
          "usage: {} [--seed N] [--size BYTES] [--out FILE] [--plant IP:PORT] [--hosts N]\n"
          "       [--publics N] [--start YYYY-MM-DDTHH:MM:SS] [--rate LINES_PER_SECOND]\n"
          "       [--device NAME] [--queries FILE] [--query-count N]\n"
          "Writes --size bytes (K/M/G = KiB/MiB/GiB; default 1G) of synthetic Cisco ASA syslog,\n"
          "the same for the same options. Public addresses are 203.0.113.10, .20, ...\n",
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
  Generator gen(seed, hosts, publics, start, rate, device);
  if (!plant_text.empty() && !gen.set_plant(plant_ip, plant_port))
    usage_error(
        fmt::format("--plant: {} is not one of the {} public addresses (203.0.113.10, "
                    ".20, ...)",
                    plant_text, publics));
  // About 680 bytes a connection with its share of other messages (and the
  // stride a little short: the file has the count asked for).
  if (!queries_path.empty())
    gen.want_queries(size / 720 / std::max<uint64_t>(query_count, 1), query_count);

  constexpr size_t kBuf = 4 << 20;
  constexpr size_t kSlack = 8192;  // more than any one step writes
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
  auto size_now = [&] { return written + size_t(o.p - buf.get()); };
  // New connections up to --size, then the teardowns of those still open (a
  // few thousand lines: every translation in the file is whole).
  while (size_now() < size) {
    gen.step(o, size_now() >= size / 2);
    if (size_t(o.p - buf.get()) >= kBuf) flush();
  }
  while (!gen.drained()) {
    gen.drain(o);
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
  fmt::print(stderr, "{}: time {} .. {} (the file's zone)\n", kTool, iso(gen.first_epoch()),
             iso(gen.last_epoch()));
  fmt::print(stderr, "{}: {} connections behind {} public addresses, {} public ports reused\n",
             kTool, gen.connections(), publics, gen.reused());
  if (!plant_text.empty()) {
    if (!gen.planted()) {
      fmt::print(stderr, "{}: planted {}: not placed (file too small)\n", kTool, plant_text);
      return 1;
    }
    fmt::print(stderr, "{}: planted {} inside {}.{}.{}.{}:{} tcp from {} to {}\n", kTool,
               plant_text, kPlantedInside >> 24, (kPlantedInside >> 16) & 255,
               (kPlantedInside >> 8) & 255, kPlantedInside & 255, kPlantedInsidePort,
               iso(gen.plant_start()), iso(gen.plant_end()));
    fmt::print(stderr, "{}: query time {}\n", kTool, iso(gen.plant_start() + 30));
  }
  if (!queries_path.empty()) {
    FILE* q = std::fopen(queries_path.c_str(), "wb");
    if (!q) {
      fmt::print(stderr, "{}: cannot create {}: {}\n", kTool, queries_path, std::strerror(errno));
      return 1;
    }
    fmt::print(q, "ip\tport\ttime\texpect_ip\texpect_port\n");
    for (const auto& r : gen.queries()) {
      Text in = ip_text(r.inside);
      fmt::print(q, "{}\t{}\t{}\t{}\t{}\n", gen.pub_str(r.pub).view(), r.port, iso(r.time_s),
                 in.view(), r.inside_port);
    }
    std::fclose(q);
    fmt::print(stderr, "{}: wrote {} queries to {}\n", kTool, gen.queries().size(), queries_path);
  }
  return 0;
}

// gen-squid-access: a synthetic Squid access.log (native format) for
// benchmarks, deterministic from --seed (same seed and options: the same
// bytes).
//
//   1792852268.412   2511 10.20.3.49 TCP_MISS/200 10485760 GET
//     http://files.example.net/leak/dump.zip - HIER_DIRECT/198.51.100.77 application/zip
//
// A campus proxy: --clients clients in 10.20.0.0/14 (about 5% IPv6, in
// 2001:db8:20::/48), a quarter of them authenticated (a user name on their
// lines), fetching from --hosts servers with a few popular and many rare.
// About a third of the lines are CONNECT tunnels to host:443 that ran for
// seconds to an hour; the rest are GET, POST and HEAD of URLs with paths,
// query strings (cache busters, searches, API calls with a request id, long
// tracking parameters), cache hits (HIER_NONE/-), revalidations, redirects,
// errors, TCP_DENIED/403 by the proxy's rules and TCP_DENIED/407 asking for
// authentication. Squid writes a line when the request ends, with its
// elapsed time; the times on the lines (epoch seconds with milliseconds, UTC)
// increase with exponential gaps averaging --rate lines a second.
//
// --plant URL: when the output reaches half of --size, --plant-client fetches
// URL (TCP_MISS/200, 2511 ms); stderr gives the line's time and a query time
// (that second). Two other clients fetch the same URL at a quarter and three
// quarters of --size (hours away), so a query must use the time. No other
// line contains URL.
//
// --queries FILE writes a batch with known answers: a TSV with header
// request_url, time, expect_client; the planted request first (when there is
// one), then --query-count - 1 requests spread over the file. Those are API
// calls whose request id (rid=, a counter through a bijection) no other line
// has, so each has exactly one answer: the client that made it, at the second
// of its line.
//
// Output goes through a 4 MiB buffer with memcpy and fwrite; URLs and
// numbers are written straight into it.
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

constexpr std::string_view kTool = "gen-squid-access";

[[noreturn]] void usage_error(std::string_view msg) {
  fmt::print(stderr, "{}: {}\n", kTool, msg);
  fmt::print(stderr,
             "usage: {} [--seed N] [--size BYTES] [--out FILE] [--plant URL]\n"
             "       [--plant-client IPV4] [--clients N] [--hosts N]\n"
             "       [--start YYYY-MM-DDTHH:MM:SS] [--rate LINES_PER_SECOND]\n"
             "       [--queries FILE] [--query-count N]\n",
             kTool);
  std::exit(2);
}

constexpr std::string_view kWords[] = {
    "news",    "sport",    "weather", "api",    "v1",      "v2",      "static",  "assets",
    "images",  "img",      "js",      "css",    "fonts",   "media",   "video",   "live",
    "search",  "account",  "login",   "user",   "profile", "cart",    "shop",    "product",
    "item",    "catalog",  "docs",    "help",   "support", "blog",    "post",    "article",
    "2026",    "10",       "24",      "latest", "archive", "feed",    "rss",     "update",
    "release", "download", "files",   "pub",    "mirror",  "debian",  "dists",   "bookworm",
    "main",    "binary",   "amd64",   "pool",   "ads",     "track",   "pixel",   "beacon",
    "config",  "settings", "home",    "index",  "library", "courses", "lecture", "timetable"};
constexpr uint32_t kWordCount = sizeof kWords / sizeof kWords[0];

constexpr std::string_view kNames[] = {
    "alpha",  "beacon", "bright", "cedar",   "cloud",  "delta",  "ember",  "falcon",
    "garnet", "harbor", "indigo", "juniper", "kite",   "lumen",  "maple",  "nimbus",
    "orbit",  "pixel",  "quartz", "river",   "summit", "tundra", "umber",  "vertex",
    "willow", "xenon",  "yonder", "zephyr",  "atlas",  "boreal", "cobalt", "dune"};
constexpr std::string_view kSubs[] = {"www",   "cdn",   "static",  "api",    "img", "media",
                                      "login", "files", "updates", "assets", "m",   "news"};
constexpr std::string_view kTlds[] = {".com", ".net", ".org", ".io", ".co.uk", ".de", ".edu"};
constexpr std::string_view kSurnames[] = {"obrien", "smith",  "jones",  "taylor",  "brown",
                                          "wilson", "evans",  "thomas", "roberts", "walker",
                                          "wright", "hughes", "green",  "hall",    "wood",
                                          "murphy", "kelly",  "patel",  "khan",    "novak"};

struct Ext {
  std::string_view ext, type;
};
constexpr Ext kExts[] = {{"", "text/html"},
                         {".html", "text/html"},
                         {".js", "application/javascript"},
                         {".css", "text/css"},
                         {".png", "image/png"},
                         {".jpg", "image/jpeg"},
                         {".json", "application/json"},
                         {".woff2", "font/woff2"},
                         {".svg", "image/svg+xml"},
                         {".gz", "application/gzip"}};

struct Client {
  Text addr;
  Text user;  // "-" when the client does not authenticate
};

struct Host {
  std::string name;
  Text server;  // the address Squid connected to
};

struct Query {
  std::string url;
  int64_t time_s;
  Text client;
};

// A 64-bit mix (splitmix64's finaliser): paths and tokens from a resource's
// number, so a popular URL is the same text every time it is fetched.
uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Generator {
 public:
  Generator(uint64_t seed, uint32_t clients, uint32_t hosts, int64_t start, double rate,
            uint32_t plant_client)
      : rng_(seed), t_ms_(start * 1000), rate_(rate), first_ms_(start * 1000) {
    for (uint32_t k = 0; k < clients; ++k) {
      Client c;
      uint32_t net = k / 250, h = k % 250 + 2;
      if (rng_.chance(0.05)) {
        c.addr.set(fmt::format("2001:db8:20:{:x}::{:x}", net + 1, 0x100 + h * 7));  // canonical
      } else {
        uint32_t ip = (10u << 24) | ((20u + net / 256) << 16) | ((net % 256) << 8) | h;
        if (ip == plant_client) ip ^= 1;
        c.addr = ip_text(ip);
      }
      if (rng_.chance(0.25)) {
        std::string u(1, char('a' + rng_.below(26)));
        u += kSurnames[rng_.below(std::size(kSurnames))];
        if (rng_.chance(0.3)) u += std::to_string(rng_.below(90) + 10);
        c.user.set(u);
      } else {
        c.user.set("-");
      }
      clients_.push_back(c);
    }
    for (uint32_t k = 0; k < hosts; ++k) {
      Host h;
      h.name = std::string(kSubs[rng_.below(std::size(kSubs))]) + "." +
               std::string(kNames[rng_.below(std::size(kNames))]) +
               std::string(kNames[rng_.below(std::size(kNames))]);
      if (rng_.chance(0.4)) h.name += std::to_string(rng_.below(100));
      h.name += kTlds[rng_.below(std::size(kTlds))];
      uint32_t a;
      do {
        a = uint32_t(rng_.next() >> 32);
      } while ((a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) >= 224 || (a >> 24) == 127 ||
               (a >> 16) == ((192u << 8) | 168u));
      h.server = ip_text(a);
      hosts_.push_back(std::move(h));
    }
  }

  // One line: a tunnel, a request, or a denial.
  void step(Out& o) {
    advance();
    const Client& c = clients_[skewed(uint32_t(clients_.size()))];
    uint32_t host = skewed(uint32_t(hosts_.size()));
    uint32_t roll = rng_.below(1000);
    if (roll < 330) {
      tunnel(o, c, host);
    } else if (roll < 360) {
      // 407: the browser tries without credentials first.
      bool connect = rng_.below(10) < 7;
      head(o, 1 + rng_.below(3), c.addr, "TCP_DENIED/407 ", 3950 + rng_.below(200),
           connect ? "CONNECT " : "GET ");
      if (connect) {
        o.put(hosts_[host].name);
        o.put(":443");
      } else {
        url(o, host, rng_.below(1000), 0);
      }
      o.put(" - HIER_NONE/- text/html\n");
    } else if (roll < 385) {
      // The proxy's rules deny some sites and files.
      head(o, 1 + rng_.below(5), c.addr, "TCP_DENIED/403 ", 3900 + rng_.below(150), "GET ");
      url(o, host, rng_.below(1000), 0);
      o.put(' ');
      o.put(c.user);
      o.put(" HIER_NONE/- text/html\n");
    } else {
      request(o, c, host, roll);
    }
    ++lines_;
  }

  // The planted request (a known client, URL and time) or a decoy (another
  // client, the same URL).
  void plant(Out& o, std::string_view u, const Text& client, bool decoy) {
    advance();
    int64_t elapsed = decoy ? 380 + rng_.below(4000) : 2511;
    head(o, elapsed, client, "TCP_MISS/200 ", 10485760, "GET ");
    o.put(u);
    o.put(" - HIER_DIRECT/198.51.100.77 application/zip\n");
    ++lines_;
    if (!decoy) plant_ms_ = t_ms_;
  }

  const Client& other_client() { return clients_[rng_.below(uint32_t(clients_.size()))]; }

  void want_queries(uint64_t every_bytes, uint64_t count) {
    query_every_ = std::max<uint64_t>(every_bytes, 1);
    query_next_ = query_every_ / 2;
    query_count_ = count;
  }
  void set_written(uint64_t n) { written_ = n; }

  uint64_t lines() const { return lines_; }
  uint64_t tunnels() const { return tunnels_; }
  uint64_t hits() const { return hits_; }
  uint64_t unique() const { return rid_; }
  int64_t first_epoch() const { return first_ms_ / 1000; }
  int64_t last_epoch() const { return t_ms_ / 1000; }
  int64_t plant_ms() const { return plant_ms_; }
  const std::vector<Query>& queries() const { return queries_; }
  size_t max_client_len() const {
    size_t n = 0;
    for (const auto& c : clients_) n = std::max<size_t>(n, c.addr.len);
    return n;
  }

 private:
  void advance() {
    double u = rng_.unit();
    t_ms_ += int64_t(-std::log(1.0 - u) * 1000.0 / rate_ + 0.5);
  }

  // [0, n), the low numbers far more often (a few big sites, a long tail).
  uint32_t skewed(uint32_t n) {
    uint32_t a = rng_.below(n);
    return rng_.chance(0.7) ? rng_.below(a + 1) : a;
  }

  // "TIME ELAPSED CLIENT RESULT BYTES METHOD " (Squid: %ts.%03tu %6tr %>a
  // %Ss/%03>Hs %<st %rm).
  void head(Out& o, int64_t elapsed, const Text& client, std::string_view result, uint64_t bytes,
            std::string_view method) {
    o.num(uint64_t(t_ms_ / 1000));
    o.put('.');
    uint32_t ms = uint32_t(t_ms_ % 1000);
    o.put(char('0' + ms / 100));
    o.put(char('0' + ms / 10 % 10));
    o.put(char('0' + ms % 10));
    o.put(' ');
    char num[24];
    char* e = std::to_chars(num, num + sizeof num, uint64_t(elapsed)).ptr;
    for (ptrdiff_t pad = 6 - (e - num); pad > 0; --pad) o.put(' ');
    o.put(std::string_view(num, size_t(e - num)));
    o.put(' ');
    o.put(client);
    o.put(' ');
    o.put(result);
    o.num(bytes);
    o.put(' ');
    o.put(method);
  }

  void tunnel(Out& o, const Client& c, uint32_t host) {
    // Seconds to an hour: long-lived HTTPS, WebSocket and push connections.
    double v = rng_.unit();
    int64_t elapsed = int64_t(-std::log(1.0 - v) * (rng_.chance(0.1) ? 900000 : 25000));
    uint64_t bytes = uint64_t(rng_.unit() * rng_.unit() * 4e6) + 3000;
    const Host& h = hosts_[host];
    if (rng_.chance(0.02)) {
      head(o, elapsed, c.addr, "TCP_TUNNEL/500 ", 0, "CONNECT ");
      o.put(h.name);
      o.put(":443 ");
      o.put(c.user);
      o.put(" HIER_NONE/- -\n");
    } else {
      head(o, elapsed, c.addr, "TCP_TUNNEL/200 ", bytes, "CONNECT ");
      o.put(h.name);
      o.put(":443 ");
      o.put(c.user);
      o.put(" HIER_DIRECT/");
      o.put(h.server);
      o.put(" -\n");
    }
    ++tunnels_;
  }

  // scheme://host/path[?query]; kind: 0 a resource, 1 a search, 2 an API
  // call with a unique request id, 3 long tracking parameters.
  const Ext& url(Out& o, uint32_t host, uint32_t resource, int kind) {
    o.put("http://");
    o.put(hosts_[host].name);
    uint64_t h = mix((uint64_t(host) << 20) ^ resource);
    uint32_t depth = 1 + uint32_t(h & 3);
    h >>= 2;
    for (uint32_t k = 0; k < depth; ++k) {
      o.put('/');
      o.put(kWords[h % kWordCount]);
      h /= kWordCount;
    }
    const Ext& ext = kExts[kind == 2 ? 6 : h % std::size(kExts)];
    h /= std::size(kExts);
    if (!ext.ext.empty() || (h & 1)) {
      o.put('/');
      o.put(kWords[(h >> 1) % kWordCount]);
      o.put('-');
      o.num(resource);
      o.put(ext.ext);
    }
    switch (kind) {
      case 0:
        if (resource % 3 == 0) {
          o.put("?v=");
          o.num(mix(resource) % 100000);
        }
        break;
      case 1:
        o.put("?q=");
        o.put(kWords[rng_.below(kWordCount)]);
        o.put('+');
        o.put(kWords[rng_.below(kWordCount)]);
        o.put("&hl=en&start=");
        o.num(rng_.below(5) * 10);
        break;
      case 2: {
        o.put("?rid=");
        hex(o, (++rid_) * 0x9e3779b97f4a7c15ULL);
        o.put("&session=");
        hex(o, mix(rng_.below(50000)));
        break;
      }
      default: {
        o.put("?utm_source=newsletter&utm_medium=email&utm_campaign=");
        o.put(kWords[rng_.below(kWordCount)]);
        o.put('-');
        o.num(rng_.below(1000));
        o.put("&fbclid=");
        // 60 to 480 characters of base64url-like token (long URLs).
        uint32_t n = 60 + rng_.below(rng_.chance(0.2) ? 420 : 60);
        static constexpr char kB64[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        uint64_t bits = 0;
        for (uint32_t k = 0; k < n; ++k) {
          if (k % 10 == 0) bits = rng_.next();
          o.put(kB64[bits & 63]);
          bits >>= 6;
        }
        break;
      }
    }
    return ext;
  }

  void request(Out& o, const Client& c, uint32_t host, uint32_t roll) {
    uint32_t kind_roll = rng_.below(100);
    int kind = kind_roll < 70 ? 0 : kind_roll < 80 ? 1 : kind_roll < 94 ? 2 : 3;
    uint32_t resource = kind == 0 ? skewed(2000) : rng_.below(1 << 20);
    std::string_view method = kind == 2 && rng_.chance(0.3)    ? "POST "
                              : kind == 0 && rng_.chance(0.01) ? "HEAD "
                                                               : "GET ";
    bool cacheable = kind == 0 && method[0] == 'G';
    uint32_t r = rng_.below(100);
    // Result and status; a hit is served from the cache (HIER_NONE/-).
    std::string_view result = "TCP_MISS/200 ";
    bool hit = false, small = false, aborted = false;
    if (cacheable && r < 18) {
      result = r < 8 ? "TCP_MEM_HIT/200 " : "TCP_HIT/200 ";
      hit = true;
    } else if (cacheable && r < 24) {
      result = r < 21 ? "TCP_REFRESH_UNMODIFIED/200 " : "TCP_MISS/304 ";
      small = r >= 21;
    } else if (r < 28) {
      result = "TCP_MISS/302 ";
      small = true;
    } else if (r < 31) {
      result = "TCP_MISS/404 ";
    } else if (r < 32) {
      aborted = !(roll & 1);
      result = aborted ? "TCP_MISS_ABORTED/000 " : "TCP_MISS/503 ";
    }
    int64_t elapsed = hit ? int64_t(rng_.below(40))
                          : int64_t(std::exp(3.5 + 1.6 * std::sqrt(-2 * std::log(1 - rng_.unit())) *
                                                       std::cos(6.2831853 * rng_.unit())));
    uint64_t bytes = small ? 250 + rng_.below(200)
                           : uint64_t(std::exp(7 + 2.5 * rng_.unit() + 2.5 * rng_.unit()));
    head(o, elapsed, c.addr, result, bytes, method);
    char* url_at = o.p;
    const Ext& ext = url(o, host, resource, kind);
    char* url_end = o.p;
    o.put(' ');
    o.put(c.user);
    if (hit) {
      o.put(" HIER_NONE/- ");
    } else if (rng_.chance(0.03)) {
      o.put(" FIRSTUP_PARENT/10.20.0.3 ");
    } else {
      o.put(" HIER_DIRECT/");
      o.put(hosts_[host].server);
      o.put(' ');
    }
    o.put(aborted ? std::string_view("-") : ext.type);
    o.put('\n');
    if (kind == 2) {
      if (queries_.size() < query_count_ && written_ + size_t(o.p - base_) >= query_next_) {
        query_next_ += query_every_;
        queries_.push_back({std::string(url_at, size_t(url_end - url_at)), t_ms_ / 1000, c.addr});
      }
    }
    if (hit) ++hits_;
  }

  static void hex(Out& o, uint64_t v) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (int k = 60; k >= 0; k -= 4) o.put(kHex[(v >> k) & 15]);
  }

 public:
  char* base_ = nullptr;  // the output buffer's start (with written_: the bytes so far)

 private:
  Rng rng_;
  int64_t t_ms_;
  double rate_;
  int64_t first_ms_;
  std::vector<Client> clients_;
  std::vector<Host> hosts_;
  uint64_t lines_ = 0, tunnels_ = 0, hits_ = 0, rid_ = 0;
  int64_t plant_ms_ = -1;
  uint64_t query_every_ = 1, query_next_ = 0, query_count_ = 0, written_ = 0;
  std::vector<Query> queries_;
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = 1, size = 1ULL << 30, query_count = 10000;
  uint32_t clients = 8000, hosts = 3000;
  double rate = 300;
  std::string out_path = "-", start_text = "2026-10-24T06:00:00", queries_path, plant_url;
  std::string plant_client_text = "10.20.254.77";
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
      plant_url = value();
      if (plant_url.empty() || plant_url.size() > 2000 ||
          plant_url.find_first_of(" \t\n") != std::string::npos)
        usage_error("--plant: a URL without spaces, up to 2000 characters");
    } else if (a == "--plant-client") {
      plant_client_text = value();
    } else if (a == "--clients") {
      number(clients);
      if (clients == 0 || clients > 250 * 1024) usage_error("--clients: 1 to 256000");
    } else if (a == "--hosts") {
      number(hosts);
      if (hosts == 0 || hosts > 1000000) usage_error("--hosts: 1 to 1000000");
    } else if (a == "--rate") {
      rate = std::atof(std::string(value()).c_str());
      if (!(rate > 0)) usage_error("--rate: expected lines per second > 0");
    } else if (a == "--start") {
      start_text = value();
    } else if (a == "--queries") {
      queries_path = value();
    } else if (a == "--query-count") {
      number(query_count);
    } else if (a == "-h" || a == "--help") {
      fmt::print(
          "usage: {} [--seed N] [--size BYTES] [--out FILE] [--plant URL]\n"
          "       [--plant-client IPV4] [--clients N] [--hosts N]\n"
          "       [--start YYYY-MM-DDTHH:MM:SS] [--rate LINES_PER_SECOND]\n"
          "       [--queries FILE] [--query-count N]\n"
          "Writes --size bytes (K/M/G = KiB/MiB/GiB; default 1G) of a synthetic Squid\n"
          "access.log (native format, epoch times in UTC), the same for the same options.\n",
          kTool);
      return 0;
    } else {
      usage_error(fmt::format("unknown argument '{}'", a));
    }
  }
  int64_t start = 0;
  if (!parse_start(start_text, start))
    usage_error(fmt::format("--start: '{}' is not YYYY-MM-DDTHH:MM:SS", start_text));
  uint32_t plant_ip = 0;
  if (!parse_ipv4(plant_client_text, plant_ip))
    usage_error(fmt::format("--plant-client: '{}' is not an IPv4 address", plant_client_text));
  Text plant_client = ip_text(plant_ip);

  FILE* out = create_output(kTool, out_path);
  if (!out) return 1;
  auto t0 = std::chrono::steady_clock::now();
  Generator gen(seed, clients, hosts, start, rate, plant_ip);
  uint64_t planted_queries = plant_url.empty() ? 0 : 1;
  if (!queries_path.empty() && query_count > planted_queries)
    gen.want_queries(size / (query_count - planted_queries), query_count - planted_queries);

  constexpr size_t kBuf = 4 << 20;
  constexpr size_t kSlack = 8192;  // more than any one line (plus a planted URL)
  auto buf = std::make_unique<char[]>(kBuf + kSlack);
  uint64_t written = 0;
  Out o{buf.get()};
  gen.base_ = buf.get();
  auto flush = [&] {
    size_t used = size_t(o.p - buf.get());
    if (std::fwrite(buf.get(), 1, used, out) != used) {
      fmt::print(stderr, "{}: writing {}: {}\n", kTool, out_path, std::strerror(errno));
      std::exit(1);
    }
    written += used;
    gen.set_written(written);
    o.p = buf.get();
  };
  auto size_now = [&] { return written + size_t(o.p - buf.get()); };
  // The planted request at half of --size; the decoys at a quarter and three
  // quarters.
  const uint64_t marks[3] = {size / 4, size / 2, size / 4 * 3};
  int placed = plant_url.empty() ? 3 : 0;
  Text decoys[2] = {gen.other_client().addr, gen.other_client().addr};
  while (size_now() < size) {
    if (placed < 3 && size_now() >= marks[placed]) {
      bool decoy = placed != 1;
      gen.plant(o, plant_url, decoy ? decoys[placed / 2] : plant_client, decoy);
      ++placed;
    } else {
      gen.step(o);
    }
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
  fmt::print(stderr, "{}: time {} .. {} (UTC)\n", kTool, iso(gen.first_epoch()),
             iso(gen.last_epoch()));
  fmt::print(stderr,
             "{}: {} clients, {} hosts; {} CONNECT tunnels, {} cache hits, {} unique API "
             "requests\n",
             kTool, clients, hosts, gen.tunnels(), gen.hits(), gen.unique());
  if (!plant_url.empty()) {
    if (placed < 3) {
      fmt::print(stderr, "{}: planted {}: not placed (file too small)\n", kTool, plant_url);
      return 1;
    }
    int64_t ms = gen.plant_ms();
    fmt::print(stderr, "{}: planted {} from {} at {}.{:03} ({}), decoys from {} and {}\n", kTool,
               plant_url, plant_client.view(), ms / 1000, ms % 1000, iso(ms / 1000),
               decoys[0].view(), decoys[1].view());
    fmt::print(stderr, "{}: query time {}\n", kTool, iso(ms / 1000));
  }
  if (!queries_path.empty()) {
    FILE* q = std::fopen(queries_path.c_str(), "wb");
    if (!q) {
      fmt::print(stderr, "{}: cannot create {}: {}\n", kTool, queries_path, std::strerror(errno));
      return 1;
    }
    fmt::print(q, "request_url\ttime\texpect_client\n");
    size_t n = gen.queries().size();
    if (!plant_url.empty()) {
      fmt::print(q, "{}\t{}\t{}\n", plant_url, iso(gen.plant_ms() / 1000), plant_client.view());
      ++n;
    }
    for (const auto& r : gen.queries())
      fmt::print(q, "{}\t{}\t{}\n", r.url, iso(r.time_s), r.client.view());
    if (std::fclose(q) != 0) {
      fmt::print(stderr, "{}: writing {}: {}\n", kTool, queries_path, std::strerror(errno));
      return 1;
    }
    fmt::print(stderr, "{}: wrote {} queries to {}\n", kTool, n, queries_path);
  }
  return 0;
}

// gen-wtmp: a synthetic binary wtmp (glibc's struct utmp, 384-byte records
// as on x86_64) of a busy login server, for benchmarks; deterministic from
// --seed.
//
// ssh sessions on pts/N (the lowest free one, as the kernel hands them out):
// a USER_PROCESS record (pid, line, id = the line's last 4 characters, user,
// the client's address as ut_host and in ut_addr_v6, time in seconds and
// microseconds) and, when it ends, a DEAD_PROCESS record for the same line
// and pid. Now and then the machine restarts: a RUN_LVL "shutdown" record, a BOOT_TIME "reboot"
// record and a RUN_LVL "runlevel" one (sessions still open then get no DEAD_PROCESS, as after a
// crash). --records is the number of records written.
//
// --plant: at half of --records, user "planted" logs in from 198.51.100.77
// for one hour; a query for the host at its start + 30 minutes finds it
// (among the other sessions open then).
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

constexpr std::string_view kTool = "gen-wtmp";

[[noreturn]] void usage_error(std::string_view msg) {
  fmt::print(stderr, "{}: {}\n", kTool, msg);
  fmt::print(stderr,
             "usage: {} [--seed N] [--records N] [--out FILE] [--plant] [--start "
             "YYYY-MM-DDTHH:MM:SS]\n",
             kTool);
  std::exit(2);
}

constexpr size_t kRecord = 384;
enum : int16_t { kRunLvl = 1, kBootTime = 2, kUserProcess = 7, kDeadProcess = 8 };

struct Open {
  int64_t end_us;
  uint32_t pid, pts;
  bool operator>(const Open& o) const {
    return end_us != o.end_us ? end_us > o.end_us : pid > o.pid;
  }
};

constexpr std::string_view kUsers[] = {
    "jdoe",    "asmith", "mchen",   "root",   "deploy",  "backup", "ops",  "kpatel", "lgarcia",
    "tnguyen", "rjones", "ewilson", "svc-ci", "ansible", "mbrown", "hlee", "dkim",   "pwhite"};
constexpr uint32_t kPlantedFrom = (198u << 24) | (51u << 16) | (100u << 8) | 77u;

class Writer {
 public:
  explicit Writer(FILE* f) : f_(f), buf_(std::make_unique<char[]>(kBuf)) {}
  // One record: every field little-endian, strings NUL-padded.
  void record(int16_t type, uint32_t pid, std::string_view line, std::string_view id,
              std::string_view user, std::string_view host, int64_t t_us, uint32_t addr) {
    if (used_ + kRecord > kBuf) flush();
    char* r = buf_.get() + used_;
    std::memset(r, 0, kRecord);
    put16(r, type);
    put32(r + 4, pid);
    std::memcpy(r + 8, line.data(), std::min<size_t>(line.size(), 32));
    std::memcpy(r + 40, id.data(), std::min<size_t>(id.size(), 4));
    std::memcpy(r + 44, user.data(), std::min<size_t>(user.size(), 32));
    std::memcpy(r + 76, host.data(), std::min<size_t>(host.size(), 256));
    put32(r + 336, type == kUserProcess ? pid : 0);  // ut_session
    put32(r + 340, uint32_t(t_us / 1000000));
    put32(r + 344, uint32_t(t_us % 1000000));
    // ut_addr_v6[0]: the IPv4 address in network order.
    r[348] = char(addr >> 24);
    r[349] = char(addr >> 16);
    r[350] = char(addr >> 8);
    r[351] = char(addr);
    used_ += kRecord;
    ++records_;
  }
  void flush() {
    if (used_ && std::fwrite(buf_.get(), 1, used_, f_) != used_) {
      fmt::print(stderr, "{}: write error: {}\n", kTool, std::strerror(errno));
      std::exit(1);
    }
    written_ += used_;
    used_ = 0;
  }
  uint64_t records() const { return records_; }
  uint64_t written() const { return written_; }

 private:
  static void put16(char* p, int16_t v) {
    p[0] = char(v & 0xff);
    p[1] = char((v >> 8) & 0xff);
  }
  static void put32(char* p, uint32_t v) {
    for (int k = 0; k < 4; ++k) p[k] = char((v >> (8 * k)) & 0xff);
  }
  static constexpr size_t kBuf = kRecord * 10922;  // about 4 MiB
  FILE* f_;
  std::unique_ptr<char[]> buf_;
  size_t used_ = 0;
  uint64_t records_ = 0, written_ = 0;
};

std::string ip4(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = 1, records = 10000000;
  bool plant = false;
  std::string out_path = "-", start_text = "2022-01-03T06:00:00";
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
    } else if (a == "--records") {
      number(records);
    } else if (a == "--out" || a == "-o") {
      out_path = value();
    } else if (a == "--plant") {
      plant = true;
    } else if (a == "--start") {
      start_text = value();
    } else if (a == "-h" || a == "--help") {
      fmt::print(
          "usage: {} [--seed N] [--records N] [--out FILE] [--plant] [--start T]\n"
          "Writes --records (default 10000000) glibc utmp records (384 bytes, x86_64) of a\n"
          "busy login server's wtmp, the same for the same options.\n",
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
  Rng rng(seed);
  Writer w(out);
  int64_t t_us = start * 1000000;
  const int64_t first_us = t_us;
  std::priority_queue<Open, std::vector<Open>, std::greater<Open>> open;
  std::vector<bool> pts_used;
  uint32_t next_pid = 1000;
  uint64_t sessions = 0, boots = 0;
  bool planted = false;
  int64_t plant_start = 0, plant_end = 0;
  char line[16];
  // ut_id: the line's last four characters, as sshd and login write it.
  auto tty = [&](uint32_t pts) {
    auto n = fmt::format_to_n(line, sizeof line - 1, "pts/{}", pts).size;
    std::string_view l(line, n);
    return std::pair{l, l.substr(l.size() - 4)};
  };
  auto end_one = [&](const Open& s) {
    auto [l, i] = tty(s.pts);
    w.record(kDeadProcess, s.pid, l, i, "", "", s.end_us, 0);
    pts_used[s.pts] = false;
  };
  w.record(kBootTime, 0, "~", "~~", "reboot", "6.1.0-18-amd64", t_us, 0);
  w.record(kRunLvl, 53, "~", "~~", "runlevel", "6.1.0-18-amd64", t_us + 2500000, 0);
  while (w.records() < records) {
    // A login about every 30 s; sessions of minutes, some of hours.
    t_us += int64_t(-std::log(1.0 - rng.unit()) * 30e6);
    while (!open.empty() && open.top().end_us <= t_us && w.records() < records) {
      end_one(open.top());
      open.pop();
    }
    if (w.records() >= records) break;
    if (rng.below(20000) == 0 && (!planted || t_us > plant_end * 1000000)) {
      // A restart: sessions still open end with it, unrecorded.
      w.record(kRunLvl, 0, "~~", "~~", "shutdown", "6.1.0-18-amd64", t_us, 0);
      while (!open.empty()) {
        pts_used[open.top().pts] = false;
        open.pop();
      }
      t_us += 40000000 + rng.below(60000000);
      w.record(kBootTime, 0, "~", "~~", "reboot", "6.1.0-18-amd64", t_us, 0);
      w.record(kRunLvl, 53, "~", "~~", "runlevel", "6.1.0-18-amd64", t_us + 2500000, 0);
      ++boots;
      continue;
    }
    uint32_t pts = 0;
    while (pts < pts_used.size() && pts_used[pts]) ++pts;
    if (pts == pts_used.size()) pts_used.push_back(false);
    pts_used[pts] = true;
    uint32_t pid = next_pid;
    next_pid = next_pid >= 4000000 ? 1000 : next_pid + 1 + rng.below(40);
    bool plant_now = plant && !planted && w.records() >= records / 2;
    std::string_view user = kUsers[rng.below(sizeof kUsers / sizeof kUsers[0])];
    uint32_t from = (10u << 24) | (3u << 16) | (rng.below(60) << 8) | (2 + rng.below(250));
    int64_t dur_us = int64_t(-std::log(1.0 - rng.unit()) * (rng.below(10) == 0 ? 7200e6 : 600e6));
    if (plant_now) {
      user = "planted";
      from = kPlantedFrom;
      dur_us = 3600000000LL;
      planted = true;
      plant_start = t_us / 1000000;
      plant_end = plant_start + 3600;
    }
    std::string host = ip4(from);
    auto [l, i] = tty(pts);
    w.record(kUserProcess, pid, l, i, user, host, t_us, from);
    ++sessions;
    open.push({t_us + dur_us, pid, pts});
  }
  w.flush();
  if (std::fflush(out) != 0 || (out != stdout && std::fclose(out) != 0)) {
    fmt::print(stderr, "{}: writing {}: {}\n", kTool, out_path, std::strerror(errno));
    return 1;
  }
  auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print(stderr, "{}: seed {}\n", kTool, seed);
  fmt::print(stderr, "{}: wrote {} records, {} bytes to {} in {:.2f} s ({:.0f} MB/s)\n", kTool,
             w.records(), w.written(), out_path == "-" ? "stdout" : out_path, secs,
             double(w.written()) / 1e6 / secs);
  fmt::print(stderr, "{}: time {} .. {} (UTC)\n", kTool, iso(first_us / 1000000),
             iso(t_us / 1000000));
  fmt::print(stderr, "{}: {} sessions, {} restarts, {} still open at the end\n", kTool, sessions,
             boots, open.size());
  if (plant) {
    if (!planted) {
      fmt::print(stderr, "{}: planted: not placed\n", kTool);
      return 1;
    }
    fmt::print(stderr, "{}: planted user planted from 198.51.100.77 from {} to {}\n", kTool,
               iso(plant_start), iso(plant_end));
    fmt::print(stderr, "{}: query time {}\n", kTool, iso(plant_start + 1800));
  }
  return 0;
}

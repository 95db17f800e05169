// gen-auth-log: a synthetic central auth.log (sshd and PAM lines of many
// hosts, as a syslog server collects them) for benchmarks, deterministic from
// --seed.
//
//   Nov 20 08:00:01 ws-lab3-17 sshd[40213]: Accepted publickey for jdoe from 10.3.7.20 port
//     51234 ssh2: ED25519 SHA256:...
//
// --hosts machines (ws-..., srv-...) each see ssh sessions: Accepted
// (publickey or password), the PAM session opening and systemd-logind's new
// session; at the end Received disconnect, Disconnected from user, the PAM
// close and the logind logout. Between them: failed passwords and invalid
// users from scanners ([preauth] lines), CRON's PAM sessions and sudo. Dates
// are year-less (BSD syslog); set the file's mtime to the last line's time.
//
// --plant: when the output reaches half of --size, host srv-planted gets its
// only session: user "planted" from 198.51.100.77, 30 minutes long; a query
// for srv-planted at its start + 15 minutes has exactly that answer.
//
// Mostly noise, as real ones are: about one login a second over all hosts
// (sshd's parser keeps the last 4096 sessions of a file; more logins than
// that within a session's life would lose its start).
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

constexpr std::string_view kTool = "gen-auth-log";

[[noreturn]] void usage_error(std::string_view msg) {
  fmt::print(stderr, "{}: {}\n", kTool, msg);
  fmt::print(stderr,
             "usage: {} [--seed N] [--size BYTES] [--out FILE] [--plant] [--hosts N]\n"
             "       [--start YYYY-MM-DDTHH:MM:SS] [--rate LINES_PER_SECOND]\n",
             kTool);
  std::exit(2);
}

struct Host {
  Text name;
  uint32_t next_session = 1;
};

struct Ending {  // a session's end lines, still to write
  int64_t at_us;
  uint32_t host, pid, from, user, session;
  uint16_t port;
  bool operator>(const Ending& o) const { return at_us != o.at_us ? at_us > o.at_us : pid > o.pid; }
};

constexpr std::string_view kUsers[] = {
    "jdoe",    "asmith", "mchen",   "root",   "deploy",  "backup", "ops",  "kpatel", "lgarcia",
    "tnguyen", "rjones", "ewilson", "svc-ci", "ansible", "mbrown", "hlee", "dkim",   "pwhite"};
constexpr uint32_t kUsersN = sizeof kUsers / sizeof kUsers[0];
constexpr uint32_t kPlantedFrom = (198u << 24) | (51u << 16) | (100u << 8) | 77u;

class Generator {
 public:
  Generator(uint64_t seed, uint32_t hosts, int64_t start, double rate)
      : rng_(seed), t_us_(start * 1000000), rate_(rate) {
    static constexpr std::string_view kLabs[] = {"lab1", "lab2", "lab3", "lib", "hr",
                                                 "eng",  "ops",  "db",   "web", "build"};
    for (uint32_t k = 0; k < hosts; ++k) {
      Host h;
      h.name.set(k % 5 == 0 ? fmt::format("srv-{}-{:02}", kLabs[k / 5 % 10], k / 50 + 1)
                            : fmt::format("ws-{}-{}", kLabs[k % 10], k / 10 + 1));
      h.next_session = 1 + rng_.below(900);
      hosts_.push_back(h);
    }
    Host p;
    p.name.set("srv-planted");
    hosts_.push_back(p);
    n_regular_ = hosts;
    first_us_ = t_us_;
  }

  void step(Out& o, bool plant_now) {
    double u = rng_.unit();
    t_us_ += int64_t(-std::log(1.0 - u) * 1e6 / rate_ * 2.2);
    while (!endings_.empty() && endings_.top().at_us <= t_us_) {
      Ending e = endings_.top();
      endings_.pop();
      end_session(o, e);
    }
    if (plant_now && !planted_) {
      planted_ = true;
      plant_start_s_ = t_us_ / 1000000;
      plant_end_s_ = plant_start_s_ + 1800;
      login(o, n_regular_, 4242, kPlantedFrom, 50505, kUsersN, 1800);
      return;
    }
    uint32_t roll = rng_.below(1000);
    uint32_t h = rng_.below(n_regular_);
    uint32_t pid = 1000 + rng_.below(4000000);
    if (roll < 60) {
      uint32_t from = (10u << 24) | (3u << 16) | (rng_.below(60) << 8) | (2 + rng_.below(250));
      double v = rng_.unit();
      int64_t dur = 1 + int64_t(-std::log(1.0 - v) * (rng_.below(10) == 0 ? 7200 : 240));
      login(o, h, pid, from, uint16_t(32768 + rng_.below(28000)), rng_.below(kUsersN), dur);
    } else if (roll < 760) {
      // A scanner guessing: invalid user, failed password, closed [preauth].
      static constexpr std::string_view kGuess[] = {"admin",  "test",     "oracle", "user",
                                                    "ubuntu", "postgres", "git",    "guest"};
      std::string_view g = kGuess[rng_.below(8)];
      Text ip = ip_text(uint32_t(rng_.next() >> 32) | 0x01000000u);
      uint16_t port = uint16_t(1024 + rng_.below(64000));
      header(o, h);
      o.put("sshd[");
      o.num(pid);
      o.put("]: Invalid user ");
      o.put(g);
      o.put(" from ");
      o.put(ip);
      o.put(" port ");
      o.num(port);
      o.put('\n');
      header(o, h);
      o.put("sshd[");
      o.num(pid);
      o.put("]: Failed password for invalid user ");
      o.put(g);
      o.put(" from ");
      o.put(ip);
      o.put(" port ");
      o.num(port);
      o.put(" ssh2\n");
      header(o, h);
      o.put("sshd[");
      o.num(pid);
      o.put("]: Connection closed by invalid user ");
      o.put(g);
      o.put(' ');
      o.put(ip);
      o.put(" port ");
      o.num(port);
      o.put(" [preauth]\n");
      lines_ += 3;
    } else if (roll < 940) {
      header(o, h);
      o.put("CRON[");
      o.num(pid);
      o.put("]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)\n");
      header(o, h);
      o.put("CRON[");
      o.num(pid);
      o.put("]: pam_unix(cron:session): session closed for user root\n");
      lines_ += 2;
    } else {
      std::string_view user = kUsers[rng_.below(8)];
      header(o, h);
      o.put("sudo[");
      o.num(pid);
      o.put("]:     ");
      o.put(user);
      o.put(" : TTY=pts/");
      o.num(rng_.below(8));
      o.put(" ; PWD=/home/");
      o.put(user);
      o.put(" ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx\n");
      header(o, h);
      o.put("sudo[");
      o.num(pid);
      o.put("]: pam_unix(sudo:session): session opened for user root(uid=0) by ");
      o.put(user);
      o.put("(uid=1000)\n");
      lines_ += 2;
    }
  }

  void drain(Out& o) {
    Ending e = endings_.top();
    endings_.pop();
    t_us_ = std::max(t_us_, e.at_us);
    end_session(o, e);
  }
  bool drained() const { return endings_.empty(); }

  uint64_t lines() const { return lines_; }
  uint64_t sessions() const { return sessions_; }
  int64_t first_epoch() const { return first_us_ / 1000000; }
  int64_t last_epoch() const { return last_s_; }
  bool planted() const { return planted_; }
  int64_t plant_start() const { return plant_start_s_; }
  int64_t plant_end() const { return plant_end_s_; }

 private:
  std::string_view user_name(uint32_t u) const { return u < kUsersN ? kUsers[u] : "planted"; }

  void login(Out& o, uint32_t h, uint32_t pid, uint32_t from, uint16_t port, uint32_t user,
             int64_t dur_s) {
    ++sessions_;
    Text ip = ip_text(from);
    std::string_view name = user_name(user);
    header(o, h);
    o.put("sshd[");
    o.num(pid);
    o.put("]: Accepted ");
    bool key = rng_.below(10) < 7;
    o.put(key ? "publickey for " : "password for ");
    o.put(name);
    o.put(" from ");
    o.put(ip);
    o.put(" port ");
    o.num(port);
    o.put(key ? " ssh2: ED25519 SHA256:Zk3nq0V1c4bT9mYl2oPq8rS7uVwXyZa1B2c3D4e5F6g\n" : " ssh2\n");
    header(o, h);
    o.put("sshd[");
    o.num(pid);
    o.put("]: pam_unix(sshd:session): session opened for user ");
    o.put(name);
    o.put("(uid=");
    o.num(user == 3 ? 0 : 1000 + user);
    o.put(") by (uid=0)\n");
    uint32_t session = hosts_[h].next_session++;
    header(o, h);
    o.put("systemd-logind[412]: New session ");
    o.num(session);
    o.put(" of user ");
    o.put(name);
    o.put(".\n");
    lines_ += 3;
    endings_.push(
        {t_us_ + dur_s * 1000000 + rng_.below(1000000), h, pid, from, user, session, port});
  }

  void end_session(Out& o, const Ending& e) {
    int64_t saved = t_us_;
    t_us_ = std::max(e.at_us, last_us_);
    Text ip = ip_text(e.from);
    std::string_view name = user_name(e.user);
    header(o, e.host);
    o.put("sshd[");
    o.num(e.pid);
    o.put("]: Received disconnect from ");
    o.put(ip);
    o.put(" port ");
    o.num(e.port);
    o.put(":11: disconnected by user\n");
    header(o, e.host);
    o.put("sshd[");
    o.num(e.pid);
    o.put("]: Disconnected from user ");
    o.put(name);
    o.put(' ');
    o.put(ip);
    o.put(" port ");
    o.num(e.port);
    o.put('\n');
    header(o, e.host);
    o.put("sshd[");
    o.num(e.pid);
    o.put("]: pam_unix(sshd:session): session closed for user ");
    o.put(name);
    o.put('\n');
    header(o, e.host);
    o.put("systemd-logind[412]: Session ");
    o.num(e.session);
    o.put(" logged out. Waiting for processes to exit.\n");
    lines_ += 4;
    t_us_ = std::max(saved, t_us_);
  }

  static void two(Out& o, int64_t v) {
    o.put(char('0' + v / 10));
    o.put(char('0' + v % 10));
  }

  // "Nov 20 08:00:01 " (remade once a second), then the host and a space.
  void header(Out& o, uint32_t h) {
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
      Out w{stamp_.data()};
      w.put(kMon[m - 1]);
      w.put(' ');
      if (d < 10) {
        w.put(' ');
        w.put(char('0' + d));
      } else {
        two(w, d);
      }
      w.put(' ');
      two(w, sec / 3600);
      w.put(':');
      two(w, sec / 60 % 60);
      w.put(':');
      two(w, sec % 60);
      w.put(' ');
      cached_s_ = s;
    }
    last_s_ = s;
    o.put({stamp_.data(), 16});
    o.put(hosts_[h].name);
    o.put(' ');
  }

  Rng rng_;
  int64_t t_us_, last_us_ = 0;
  double rate_;
  std::vector<Host> hosts_;
  uint32_t n_regular_ = 0;
  std::priority_queue<Ending, std::vector<Ending>, std::greater<Ending>> endings_;
  uint64_t lines_ = 0, sessions_ = 0;
  bool planted_ = false;
  int64_t plant_start_s_ = 0, plant_end_s_ = 0;
  int64_t first_us_ = 0, last_s_ = 0, cached_s_ = -1;
  std::array<char, 32> stamp_{};
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = 1, size = 1ULL << 30;
  uint32_t hosts = 500;
  double rate = 40;
  bool plant = false;
  std::string out_path = "-", start_text = "2026-11-20T08:00:00";
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
      plant = true;
    } else if (a == "--hosts") {
      number(hosts);
      if (hosts == 0 || hosts > 100000) usage_error("--hosts: 1 to 100000");
    } else if (a == "--rate") {
      rate = std::atof(std::string(value()).c_str());
      if (!(rate > 0)) usage_error("--rate: expected lines per second > 0");
    } else if (a == "--start") {
      start_text = value();
    } else if (a == "-h" || a == "--help") {
      fmt::print(
          "usage: {} [--seed N] [--size BYTES] [--out FILE] [--plant] [--hosts N]\n"
          "       [--start YYYY-MM-DDTHH:MM:SS] [--rate LINES_PER_SECOND]\n"
          "Writes --size bytes (K/M/G = KiB/MiB/GiB; default 1G) of a synthetic central\n"
          "auth.log, the same for the same options.\n",
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
  Generator gen(seed, hosts, start, rate);
  constexpr size_t kBuf = 4 << 20;
  constexpr size_t kSlack = 8192;
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
  while (size_now() < size) {
    gen.step(o, plant && size_now() >= size / 2);
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
  fmt::print(stderr, "{}: time {} .. {} (local time, written year-less)\n", kTool,
             iso(gen.first_epoch()), iso(gen.last_epoch()));
  fmt::print(stderr, "{}: {} ssh sessions on {} hosts\n", kTool, gen.sessions(), hosts);
  if (plant) {
    if (!gen.planted()) {
      fmt::print(stderr, "{}: planted: not placed (file too small)\n", kTool);
      return 1;
    }
    fmt::print(stderr,
               "{}: planted host srv-planted user planted from 198.51.100.77 from {} to {}\n",
               kTool, iso(gen.plant_start()), iso(gen.plant_end()));
    fmt::print(stderr, "{}: query time {}\n", kTool, iso(gen.plant_start() + 900));
  }
  return 0;
}

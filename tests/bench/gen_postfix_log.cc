// gen-postfix-log: a synthetic Postfix maillog (BSD syslog, year-less) of a
// university's mail server for benchmarks, deterministic from --seed (same
// seed and options: the same bytes).
//
//   Oct 24 15:40:10 mx1 postfix/submission/smtpd[1510]: 4C3F2A1B0D:
//   client=unknown[10.20.3.49]:51522,
//     sasl_method=PLAIN, sasl_username=rpatel
//
// Transactions start at exponential gaps averaging --rate a second and run
// concurrently, so the lines of different messages are mixed as in a real
// maillog (each line is scheduled at its own time; the file is in time
// order):
//
// - inbound mail from outside MTAs (~45%): smtpd connect, client=, cleanup
//   message-id, qmgr from=, disconnect, lmtp deliveries to the IMAP server
//   (a few to local), removed; some are greylisted or rejected after
//   connect instead (NOQUEUE);
// - authenticated submissions (~25%): submission/smtpd with sasl_method and
//   sasl_username from campus or home addresses, through the content filter
//   on 127.0.0.1:10024 ("queued as NEWID", the filter's reinjection on
//   smtpd from localhost), then out by smtp (sent, deferred and retried,
//   bounced with a non-delivery notification) or lmtp for local recipients;
// - NOQUEUE rejects (RBL, unknown recipient, relay denied, sender domain),
//   SASL authentication failures (password guessing), probes that connect
//   and go, mail from cron (pickup, local), and anvil/scache statistics.
//
// Queue IDs are 10 hex digits from a counter modulo 2^18 through a
// bijection, so an ID is reused every 262144 queue files (about half a day
// at the default rate), never while its message is still in the queue.
//
// --plant-msgid ID: at half of --size, --plant-user submits ID from
// --plant-client through the content filter (stderr gives the time of its
// client= line). No other message has that Message-ID.
//
// --queries FILE writes a batch with known answers: a TSV with header
// message_id, expect_client, expect_user; the planted message first, then
// --query-count - 1 submissions spread over the file (every Message-ID is
// unique).
//
// Output goes through a 4 MiB buffer with memcpy and fwrite; lines are
// written straight into it. Transactions live in a reused pool and the
// schedule is a heap of small entries, so nothing is allocated per line.
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

constexpr std::string_view kTool = "gen-postfix-log";

[[noreturn]] void usage_error(std::string_view msg) {
  fmt::print(stderr, "{}: {}\n", kTool, msg);
  fmt::print(stderr,
             "usage: {} [--seed N] [--size BYTES] [--out FILE] [--start YYYY-MM-DDTHH:MM:SS]\n"
             "       [--rate TRANSACTIONS_PER_SECOND] [--plant-msgid ID] [--plant-user USER]\n"
             "       [--plant-client IPV4] [--queries FILE] [--query-count N]\n",
             kTool);
  std::exit(2);
}

constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::string_view kFirst[] = {"a", "b", "c", "d", "e", "f", "g", "h", "j",
                                       "k", "l", "m", "n", "p", "r", "s", "t", "w"};
constexpr std::string_view kSurnames[] = {
    "obrien", "smith",  "jones",  "taylor", "brown",  "wilson", "evans",  "thomas", "roberts",
    "walker", "wright", "hughes", "green",  "hall",   "wood",   "murphy", "kelly",  "patel",
    "khan",   "novak",  "martin", "garcia", "muller", "rossi",  "dubois"};
constexpr std::string_view kDomains[] = {
    "example.net",          "example.com",         "mail.example.co.uk",     "uni-example.de",
    "research.example.edu", "lists.example.org",   "newsletter.example.com", "example.io",
    "partner.example.net",  "journals.example.com"};
constexpr std::string_view kMtaNames[] = {"mail",     "mx",      "smtp", "out",  "mta",
                                          "relay",    "mx01",    "mx02", "o1",   "bounce",
                                          "smtp-out", "mailout", "gw",   "edge", "mx-in"};
constexpr std::string_view kRejects[] = {
    "554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org; "
    "https://www.spamhaus.org/query/ip/{ip}",
    "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table",
    "454 4.7.1 <{rcpt}>: Relay access denied",
    "450 4.1.8 <{from}>: Sender address rejected: Domain not found",
    "450 4.7.1 <{rcpt}>: Recipient address rejected: Greylisted, see "
    "http://postgrey.schweikert.ch/help/example.org.html"};
constexpr std::string_view kDeferReasons[] = {
    "connect to {host}[{ip}]:25: Connection timed out",
    "host {host}[{ip}] said: 451 4.7.1 Please try again later (in reply to RCPT TO command)",
    "host {host}[{ip}] said: 421 4.7.0 Try again later, closing connection. (in reply to MAIL "
    "FROM command)"};
constexpr std::string_view kBounceReasons[] = {
    "host {host}[{ip}] said: 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown (in "
    "reply to RCPT TO command)",
    "host {host}[{ip}] said: 552 5.2.2 <{rcpt}>: Mailbox full (in reply to end of DATA command)"};

struct User {
  Text name;  // login (sasl_username)
  Text addr;  // envelope address local part
};

struct Mta {  // an outside mail server
  Text name;  // "unknown" for those without reverse DNS
  Text ip;
  uint32_t domain;
};

enum class Kind : uint8_t { inbound, submission, reject, saslfail, probe, cron };

// A transaction in progress: which kind, which step comes next, and what its
// lines name. Steps are written one at a time at their own times.
struct Txn {
  Kind kind;
  uint8_t step = 0;
  uint8_t nrcpt = 1, rcpt_done = 0;
  uint8_t retries = 0;      // deferred deliveries still to retry
  uint8_t bounce_rcpt = 0;  // 1 + the recipient that bounces, else 0
  bool planted = false, query = false;
  uint32_t qid1 = 0, qid2 = 0, qid3 = 0;  // queue ID counters
  uint32_t pid = 0, pid2 = 0, dpid = 0;
  uint32_t user = 0, mta = 0, port = 0, size = 0;
  uint32_t rcpt_user[5] = {};  // recipients: local users ...
  uint32_t rcpt_mta[5] = {};   // ... or outside, with their MTA
  uint8_t rcpt_local_mask = 0;
  uint64_t msgid = 0;  // message counter (unique)
  Text client;         // the client's address
  int64_t start_ms = 0;
};

struct Event {
  int64_t t_ms;
  uint64_t seq;
  uint32_t txn;
  bool operator>(const Event& o) const { return t_ms != o.t_ms ? t_ms > o.t_ms : seq > o.seq; }
};

struct Query {
  std::string message_id;
  Text client;
  Text user;
};

constexpr uint32_t kQidSpace = 1u << 18;

class Generator {
 public:
  Generator(uint64_t seed, int64_t start, double rate, uint32_t plant_client)
      : rng_(seed), now_ms_(start * 1000), first_ms_(start * 1000), rate_(rate) {
    for (uint32_t k = 0; k < 6000; ++k) {
      User u;
      std::string login = std::string(kFirst[rng_.below(std::size(kFirst))]) +
                          std::string(kSurnames[rng_.below(std::size(kSurnames))]);
      if (rng_.chance(0.5)) login += std::to_string(rng_.below(90) + 10);
      u.name.set(login);
      u.addr.set(login);
      users_.push_back(u);
    }
    for (uint32_t k = 0; k < 3000; ++k) {
      Mta m;
      m.domain = rng_.below(std::size(kDomains));
      uint32_t a;
      do {
        a = uint32_t(rng_.next() >> 32);
      } while ((a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 || (a >> 24) >= 224 ||
               (a >> 16) == ((192u << 8) | 168u));
      m.ip = ip_text(a);
      if (rng_.chance(0.2)) {
        m.name.set("unknown");
      } else {
        m.name.set(fmt::format("{}{}.{}", kMtaNames[rng_.below(std::size(kMtaNames))],
                               rng_.below(40), kDomains[m.domain]));
      }
      mtas_.push_back(m);
    }
    plant_client_ = plant_client;
    next_arrival_ms_ = now_ms_;
    next_stats_ms_ = now_ms_ + 600000;
    events_ = std::priority_queue<Event, std::vector<Event>, std::greater<>>(std::greater<>(), [] {
      std::vector<Event> v;
      v.reserve(1 << 16);
      return v;
    }());
  }

  // Writes the next line in time order.
  void step(Out& o) {
    while (events_.empty() || next_arrival_ms_ <= events_.top().t_ms) {
      start_txn(pick_kind(), next_arrival_ms_);
      next_arrival_ms_ += int64_t(-std::log(1.0 - rng_.unit()) * 1000.0 / rate_ + 0.5);
    }
    Event e = events_.top();
    if (next_stats_ms_ <= e.t_ms) {
      now_ms_ = std::max(now_ms_, next_stats_ms_);
      stats(o);
      next_stats_ms_ += 600000;
      return;
    }
    events_.pop();
    now_ms_ = e.t_ms;
    Txn& t = txns_[e.txn];
    int64_t delay = line(o, t);
    ++lines_;
    if (delay < 0) {
      free_.push_back(e.txn);
    } else {
      events_.push({now_ms_ + delay, seq_++, e.txn});
    }
  }

  // Starts the planted submission now (its first line comes next).
  void plant(std::string_view msgid, std::string_view user) {
    plant_msgid_ = msgid;
    plant_user_.set(user);
    uint32_t k = start_txn(Kind::submission, now_ms_);
    txns_[k].planted = true;
    txns_[k].client = ip_text(plant_client_);
    txns_[k].nrcpt = 1;
    txns_[k].rcpt_local_mask = 0;
    txns_[k].retries = 0;
    txns_[k].bounce_rcpt = 0;
  }

  void want_queries(uint64_t every_bytes, uint64_t count) {
    query_every_ = std::max<uint64_t>(every_bytes, 1);
    query_next_ = query_every_ / 2;
    query_count_ = count;
  }
  void set_written(uint64_t n) { written_ = n; }

  uint64_t lines() const { return lines_; }
  uint64_t messages() const { return msg_counter_; }
  uint64_t queue_files() const { return qid_counter_; }
  const std::array<uint64_t, 6>& kinds() const { return kind_count_; }
  uint64_t deferred() const { return deferred_; }
  uint64_t bounced() const { return bounced_; }
  int64_t first_epoch() const { return first_ms_ / 1000; }
  int64_t last_epoch() const { return now_ms_ / 1000; }
  int64_t plant_ms() const { return plant_ms_; }
  bool plant_done() const { return plant_ms_ >= 0; }
  const std::vector<Query>& queries() const { return queries_; }
  std::string_view plant_qid(int k) const { return {plant_qids_[k].data(), 10}; }

  char* base_ = nullptr;  // the output buffer's start (with written_: the bytes so far)

 private:
  Kind pick_kind() {
    uint32_t r = rng_.below(100);
    return r < 45   ? Kind::inbound
           : r < 70 ? Kind::submission
           : r < 82 ? Kind::reject
           : r < 91 ? Kind::saslfail
           : r < 98 ? Kind::probe
                    : Kind::cron;
  }

  uint32_t start_txn(Kind kind, int64_t at_ms) {
    uint32_t k;
    if (!free_.empty()) {
      k = free_.back();
      free_.pop_back();
    } else {
      k = uint32_t(txns_.size());
      txns_.emplace_back();
    }
    Txn& t = txns_[k];
    t = Txn{};
    t.kind = kind;
    t.start_ms = at_ms;
    t.pid = 1000 + rng_.below(60000);
    t.pid2 = 1000 + rng_.below(60000);
    t.dpid = 1000 + rng_.below(60000);
    t.port = 32768 + rng_.below(28000);
    t.size = uint32_t(std::exp(7.5 + 2.0 * rng_.unit() + 1.5 * rng_.unit()));
    t.mta = skewed(uint32_t(mtas_.size()));
    t.user = skewed(uint32_t(users_.size()));
    t.nrcpt = uint8_t(rng_.chance(0.8) ? 1 : 2 + rng_.below(4));
    for (uint32_t r = 0; r < t.nrcpt; ++r) {
      t.rcpt_user[r] = skewed(uint32_t(users_.size()));
      t.rcpt_mta[r] = rng_.below(uint32_t(mtas_.size()));
    }
    if (kind == Kind::submission) {
      // Campus addresses (wired, wifi, VPN) or home connections.
      if (rng_.chance(0.6)) {
        uint32_t ip = (10u << 24) | ((20u + rng_.below(4)) << 16) | (rng_.below(256) << 8) |
                      (2 + rng_.below(250));
        if (ip == plant_client_) ip ^= 1;
        t.client = ip_text(ip);
      } else {
        t.client = mtas_[rng_.below(uint32_t(mtas_.size()))].ip;
        // a home address: the MTA table's addresses stand in for the Internet
      }
      t.rcpt_local_mask = 0;
      for (uint32_t r = 0; r < t.nrcpt; ++r)
        if (rng_.chance(0.35)) t.rcpt_local_mask |= uint8_t(1u << r);
      uint32_t roll = rng_.below(100);
      if (roll < 4)
        t.retries = uint8_t(1 + rng_.below(2));
      else if (roll < 6)
        t.bounce_rcpt = uint8_t(1 + rng_.below(t.nrcpt));
      if (t.bounce_rcpt && (t.rcpt_local_mask & (1u << (t.bounce_rcpt - 1))))
        t.rcpt_local_mask &= uint8_t(~(1u << (t.bounce_rcpt - 1)));
    } else {
      t.client = mtas_[t.mta].ip;
    }
    ++kind_count_[size_t(kind)];
    events_.push({at_ms, seq_++, k});
    return k;
  }

  // [0, n), the low numbers far more often.
  uint32_t skewed(uint32_t n) {
    uint32_t a = rng_.below(n);
    return rng_.chance(0.6) ? rng_.below(a + 1) : a;
  }

  uint32_t new_qid() { return uint32_t(qid_counter_++ % kQidSpace); }

  static void qid(Out& o, uint32_t c) {
    // A bijection of the 18-bit counter into 40 bits: 10 upper-case hex digits.
    uint64_t v = (uint64_t(c) * 0x9E3779B97FULL + 0x3A5C1D2E4BULL) & 0xFFFFFFFFFFULL;
    v ^= 0x5A1B2C3D4EULL;
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (int k = 36; k >= 0; k -= 4) o.put(kHex[(v >> k) & 15]);
  }

  void stamp(Out& o) {
    int64_t s = now_ms_ / 1000;
    if (s != stamp_s_) {
      stamp_s_ = s;
      int y;
      unsigned m, d;
      int64_t days = s / 86400, sec = s % 86400;
      civil_from_days(days, y, m, d);
      Out t{stamp_.data()};
      t.put(kMonths[m - 1]);
      t.put(' ');
      t.put(d < 10 ? ' ' : char('0' + d / 10));
      t.put(char('0' + d % 10));
      t.put(' ');
      const int64_t hms[3] = {sec / 3600, sec / 60 % 60, sec % 60};
      for (int k = 0; k < 3; ++k) {
        t.put(char('0' + hms[k] / 10));
        t.put(char('0' + hms[k] % 10));
        t.put(k < 2 ? ':' : ' ');
      }
      t.put("mx1 postfix/");
      stamp_len_ = size_t(t.p - stamp_.data());
    }
    std::memcpy(o.p, stamp_.data(), stamp_len_);
    o.p += stamp_len_;
  }

  void prog(Out& o, std::string_view name, uint32_t pid) {
    stamp(o);
    o.put(name);
    o.put('[');
    o.num(pid);
    o.put("]: ");
  }

  void peer(Out& o, const Txn& t) {
    if (t.kind == Kind::submission || t.kind == Kind::saslfail) {
      o.put("unknown[");
    } else {
      o.put(mtas_[t.mta].name);
      o.put('[');
    }
    o.put(t.client);
    o.put(']');
  }

  void msgid(Out& o, const Txn& t) {
    o.put("message-id=<");
    if (t.planted) {
      o.put(plant_msgid_);
    } else if (t.kind == Kind::cron) {
      o.put("20261024.");
      qid(o, t.qid1);
      o.put('.');
      o.num(t.msgid);
      o.put("@mx1.campus.example.org");
    } else if (t.kind == Kind::submission) {
      o.num(t.msgid * 7919 + 100000000);
      o.put(".GA");
      o.num(t.msgid % 65536);
      o.put("@ws-");
      o.put(users_[t.user].name);
      o.put(".campus.example.org");
    } else {
      hex16(o, mix(t.msgid + 1));
      o.put('.');
      o.num(t.msgid);
      o.put('@');
      o.put(kDomains[mtas_[t.mta].domain]);
    }
    o.put(">\n");
  }

  static uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  static void hex16(Out& o, uint64_t v) {
    static constexpr char kHex[] = "0123456789abcdef";
    for (int k = 60; k >= 0; k -= 4) o.put(kHex[(v >> k) & 15]);
  }

  void local_addr(Out& o, uint32_t user) {
    o.put(users_[user].addr);
    o.put("@example.org");
  }
  void sender_addr(Out& o, const Txn& t) {
    if (t.kind == Kind::submission) {
      o.put(t.planted ? plant_user_ : users_[t.user].addr);
      o.put("@example.org");
    } else if (t.kind == Kind::cron) {
      o.put("root@mx1.campus.example.org");
    } else {
      o.put(users_[t.user % 800].addr);  // outside senders: names from the same pool
      o.put('@');
      o.put(kDomains[mtas_[t.mta].domain]);
    }
  }
  void rcpt_addr(Out& o, const Txn& t, uint32_t r) {
    if (t.kind != Kind::submission || (t.rcpt_local_mask & (1u << r))) {
      local_addr(o, t.rcpt_user[r]);
    } else {
      o.put(users_[(t.rcpt_user[r] * 7) % users_.size()].addr);
      o.put('@');
      o.put(kDomains[mtas_[t.rcpt_mta[r]].domain]);
    }
  }

  void delays(Out& o, int64_t total_ms) {
    o.put(", delay=");
    decimal(o, total_ms);
    o.put(", delays=");
    decimal(o, total_ms / 10);
    o.put("/0.01/");
    decimal(o, total_ms / 3);
    o.put('/');
    decimal(o, total_ms - total_ms / 10 - total_ms / 3);
  }
  static void decimal(Out& o, int64_t ms) {  // seconds with up to two decimals
    if (ms < 0) ms = 0;
    o.num(uint64_t(ms / 1000));
    uint32_t cs = uint32_t(ms % 1000 / 10);
    if (cs) {
      o.put('.');
      o.put(char('0' + cs / 10));
      if (cs % 10) o.put(char('0' + cs % 10));
    }
  }

  // Replaces {ip}, {rcpt}, {from}, {host} in a template.
  void fill(Out& o, std::string_view tmpl, const Txn& t, uint32_t r, const Mta* remote) {
    while (!tmpl.empty()) {
      size_t at = tmpl.find('{');
      if (at == std::string_view::npos) {
        o.put(tmpl);
        return;
      }
      o.put(tmpl.substr(0, at));
      size_t end = tmpl.find('}', at);
      std::string_view key = tmpl.substr(at + 1, end - at - 1);
      if (key == "ip") {
        o.put(remote ? remote->ip : t.client);
      } else if (key == "rcpt") {
        rcpt_addr(o, t, r);
      } else if (key == "from") {
        sender_addr(o, t);
      } else {
        o.put(remote ? remote->name : mtas_[t.mta].name);
      }
      tmpl.remove_prefix(end + 1);
    }
  }

  void maybe_query(const Txn& t, const Out& o) {
    if (t.planted || queries_.size() >= query_count_ ||
        written_ + size_t(o.p - base_) < query_next_)
      return;
    query_next_ += query_every_;
    char buf[160];
    Out b{buf};
    b.put('<');
    b.num(t.msgid * 7919 + 100000000);
    b.put(".GA");
    b.num(t.msgid % 65536);
    b.put("@ws-");
    b.put(users_[t.user].name);
    b.put(".campus.example.org");
    b.put('>');
    queries_.push_back({std::string(buf, size_t(b.p - buf)), t.client, users_[t.user].name});
  }

  // Writes the transaction's next line; the delay to its next, or -1 when
  // it is done.
  int64_t line(Out& o, Txn& t) {
    switch (t.kind) {
      case Kind::inbound:
        return inbound(o, t);
      case Kind::submission:
        return submission(o, t);
      case Kind::reject:
        return reject(o, t);
      case Kind::saslfail:
        return saslfail(o, t);
      case Kind::probe:
        return probe(o, t);
      default:
        return cron(o, t);
    }
  }

  int64_t ms(uint32_t lo, uint32_t spread) { return lo + rng_.below(spread); }

  int64_t inbound(Out& o, Txn& t) {
    switch (t.step++) {
      case 0:
        prog(o, "smtpd", t.pid);
        o.put("connect from ");
        peer(o, t);
        o.put('\n');
        return ms(200, 1500);
      case 1:
        t.qid1 = new_qid();
        t.msgid = msg_counter_++;
        prog(o, "smtpd", t.pid);
        qid(o, t.qid1);
        o.put(": client=");
        peer(o, t);
        o.put('\n');
        return ms(50, 600);
      case 2:
        prog(o, "cleanup", t.pid2);
        qid(o, t.qid1);
        o.put(": ");
        msgid(o, t);
        return ms(5, 200);
      case 3:
        prog(o, "qmgr", 1030);
        qid(o, t.qid1);
        o.put(": from=<");
        sender_addr(o, t);
        o.put(">, size=");
        o.num(t.size);
        o.put(", nrcpt=");
        o.num(t.nrcpt);
        o.put(" (queue active)\n");
        return ms(5, 300);
      case 4:
        prog(o, "smtpd", t.pid);
        o.put("disconnect from ");
        peer(o, t);
        o.put(" ehlo=1 mail=1 rcpt=");
        o.num(t.nrcpt);
        o.put(" data=1 quit=1 commands=");
        o.num(4u + t.nrcpt);
        o.put('\n');
        return ms(10, 900);
      case 5: {
        uint32_t r = t.rcpt_done++;
        if (rng_.chance(0.03)) {
          prog(o, "local", t.dpid);
          qid(o, t.qid1);
          o.put(": to=<");
          rcpt_addr(o, t, r);
          o.put(">, relay=local");
          delays(o, now_ms_ - t.start_ms);
          o.put(", dsn=2.0.0, status=sent (delivered to command: /usr/bin/procmail)\n");
        } else {
          prog(o, "lmtp", t.dpid);
          qid(o, t.qid1);
          o.put(": to=<");
          rcpt_addr(o, t, r);
          o.put(">, relay=imap1.campus.example.org[10.20.0.12]:24");
          delays(o, now_ms_ - t.start_ms);
          o.put(", dsn=2.0.0, status=sent (250 2.0.0 <");
          rcpt_addr(o, t, r);
          o.put("> Saved)\n");
        }
        if (t.rcpt_done < t.nrcpt) --t.step;
        return ms(5, 400);
      }
      default:
        prog(o, "qmgr", 1030);
        qid(o, t.qid1);
        o.put(": removed\n");
        return -1;
    }
  }

  int64_t submission(Out& o, Txn& t) {
    switch (t.step++) {
      case 0:
        prog(o, "submission/smtpd", t.pid);
        o.put("connect from ");
        peer(o, t);
        o.put('\n');
        return ms(300, 3000);
      case 1:
        t.qid1 = new_qid();
        t.msgid = msg_counter_++;
        if (t.planted) {
          plant_ms_ = now_ms_;
          Out q{plant_qids_[0].data()};
          qid(q, t.qid1);
        }
        prog(o, "submission/smtpd", t.pid);
        qid(o, t.qid1);
        o.put(": client=");
        peer(o, t);
        o.put(':');
        o.num(t.port);
        o.put(", sasl_method=");
        o.put(rng_.chance(0.7) ? std::string_view("PLAIN") : std::string_view("LOGIN"));
        o.put(", sasl_username=");
        o.put(t.planted ? plant_user_ : users_[t.user].name);
        o.put('\n');
        maybe_query(t, o);
        return ms(50, 500);
      case 2:
        prog(o, "cleanup", t.pid2);
        qid(o, t.qid1);
        o.put(": ");
        msgid(o, t);
        return ms(5, 200);
      case 3:
        prog(o, "qmgr", 1030);
        qid(o, t.qid1);
        o.put(": from=<");
        sender_addr(o, t);
        o.put(">, size=");
        o.num(t.size);
        o.put(", nrcpt=");
        o.num(t.nrcpt);
        o.put(" (queue active)\n");
        return ms(5, 200);
      case 4:
        prog(o, "submission/smtpd", t.pid);
        o.put("disconnect from ");
        peer(o, t);
        o.put(" ehlo=2 starttls=1 auth=1 mail=1 rcpt=");
        o.num(t.nrcpt);
        o.put(" data=1 quit=1 commands=");
        o.num(7u + t.nrcpt);
        o.put('\n');
        return ms(200, 2500);  // the content filter scans
      case 5:
        prog(o, "smtpd", t.pid2 + 3);
        o.put("connect from localhost[127.0.0.1]\n");
        return ms(1, 20);
      case 6:
        t.qid2 = new_qid();
        if (t.planted) {
          Out q{plant_qids_[1].data()};
          qid(q, t.qid2);
        }
        prog(o, "smtpd", t.pid2 + 3);
        qid(o, t.qid2);
        o.put(": client=localhost[127.0.0.1]\n");
        return ms(1, 20);
      case 7:
        prog(o, "cleanup", t.pid2);
        qid(o, t.qid2);
        o.put(": ");
        msgid(o, t);
        return ms(1, 20);
      case 8:
        prog(o, "qmgr", 1030);
        qid(o, t.qid2);
        o.put(": from=<");
        sender_addr(o, t);
        o.put(">, size=");
        o.num(t.size + 600);
        o.put(", nrcpt=");
        o.num(t.nrcpt);
        o.put(" (queue active)\n");
        return ms(1, 30);
      case 9: {
        uint32_t r = t.rcpt_done++;
        prog(o, "smtp", t.dpid);
        qid(o, t.qid1);
        o.put(": to=<");
        rcpt_addr(o, t, r);
        o.put(">, relay=127.0.0.1[127.0.0.1]:10024");
        delays(o, now_ms_ - t.start_ms);
        o.put(
            ", dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 "
            "Ok: queued as ");
        qid(o, t.qid2);
        o.put(")\n");
        if (t.rcpt_done < t.nrcpt) {
          --t.step;
          return ms(0, 5);
        }
        t.rcpt_done = 0;
        return ms(0, 10);
      }
      case 10:
        prog(o, "qmgr", 1030);
        qid(o, t.qid1);
        o.put(": removed\n");
        return ms(1, 30);
      case 11:
        prog(o, "smtpd", t.pid2 + 3);
        o.put("disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=");
        o.num(t.nrcpt);
        o.put(" data=1 quit=1 commands=");
        o.num(4u + t.nrcpt);
        o.put('\n');
        return ms(100, 1500);
      case 12: {  // the deliveries of the filtered message
        uint32_t r = t.rcpt_done;
        bool local = t.rcpt_local_mask & (1u << r);
        const Mta& remote = mtas_[t.rcpt_mta[r]];
        if (local) {
          prog(o, "lmtp", t.dpid + 1);
          qid(o, t.qid2);
          o.put(": to=<");
          rcpt_addr(o, t, r);
          o.put(">, relay=imap1.campus.example.org[10.20.0.12]:24");
          delays(o, now_ms_ - t.start_ms);
          o.put(", dsn=2.0.0, status=sent (250 2.0.0 <");
          rcpt_addr(o, t, r);
          o.put("> Saved)\n");
        } else {
          prog(o, "smtp", t.dpid + 1);
          qid(o, t.qid2);
          o.put(": to=<");
          rcpt_addr(o, t, r);
          o.put(">, relay=");
          o.put(remote.name.view() == "unknown" ? std::string_view("mx.") : std::string_view());
          if (remote.name.view() == "unknown")
            o.put(kDomains[remote.domain]);
          else
            o.put(remote.name);
          o.put('[');
          o.put(remote.ip);
          o.put("]:25");
          delays(o, now_ms_ - t.start_ms);
          if (t.retries && r == 0) {
            o.put(", dsn=4.4.1, status=deferred (");
            fill(o, kDeferReasons[rng_.below(std::size(kDeferReasons))], t, r, &remote);
            o.put(")\n");
            --t.retries;
            ++deferred_;
            --t.step;
            return ms(300000, 900000);  // the queue's retry
          }
          if (t.bounce_rcpt == r + 1) {
            o.put(", dsn=5.1.1, status=bounced (");
            fill(o, kBounceReasons[rng_.below(std::size(kBounceReasons))], t, r, &remote);
            o.put(")\n");
          } else {
            o.put(", dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ");
            hex16(o, mix(t.msgid ^ 0xabcdef) >> 24);
            o.p -= 6;
            o.put(")\n");
          }
        }
        if (++t.rcpt_done < t.nrcpt) {
          --t.step;
          return ms(5, 800);
        }
        if (t.bounce_rcpt) return ms(1, 50);
        t.step = 17;
        return ms(1, 50);
      }
      case 13:  // a non-delivery notification to the sender
        t.qid3 = new_qid();
        ++bounced_;
        prog(o, "bounce", t.pid2 + 7);
        qid(o, t.qid2);
        o.put(": sender non-delivery notification: ");
        qid(o, t.qid3);
        o.put('\n');
        return ms(0, 5);
      case 14:
        prog(o, "cleanup", t.pid2);
        qid(o, t.qid3);
        o.put(": message-id=<");
        o.put("20261024.");
        qid(o, t.qid3);
        o.put("@mx1.campus.example.org>\n");
        return ms(0, 5);
      case 15:
        prog(o, "qmgr", 1030);
        qid(o, t.qid3);
        o.put(": from=<>, size=");
        o.num(3000 + t.size / 10);
        o.put(", nrcpt=1 (queue active)\n");
        return ms(1, 100);
      case 16:
        prog(o, "lmtp", t.dpid + 2);
        qid(o, t.qid3);
        o.put(": to=<");
        sender_addr(o, t);
        o.put(">, relay=imap1.campus.example.org[10.20.0.12]:24");
        delays(o, 80);
        o.put(", dsn=2.0.0, status=sent (250 2.0.0 <");
        sender_addr(o, t);
        o.put("> Saved)\n");
        return ms(0, 20);
      case 17:
        if (t.bounce_rcpt) {  // the notification's removal, then the message's
          prog(o, "qmgr", 1030);
          qid(o, t.qid3);
          o.put(": removed\n");
          t.bounce_rcpt = 0;
          --t.step;
          return ms(0, 20);
        }
        prog(o, "qmgr", 1030);
        qid(o, t.qid2);
        o.put(": removed\n");
        return -1;
      default:
        return -1;
    }
  }

  int64_t reject(Out& o, Txn& t) {
    switch (t.step++) {
      case 0:
        prog(o, "smtpd", t.pid);
        o.put("connect from ");
        peer(o, t);
        o.put('\n');
        return ms(300, 4000);
      case 1: {
        prog(o, "smtpd", t.pid);
        o.put("NOQUEUE: reject: RCPT from ");
        peer(o, t);
        o.put(": ");
        uint32_t k = rng_.below(std::size(kRejects));
        fill(o, kRejects[k], t, 0, nullptr);
        o.put("; from=<");
        sender_addr(o, t);
        o.put("> to=<");
        local_addr(o, t.rcpt_user[0]);
        o.put("> proto=ESMTP helo=<");
        o.put(mtas_[t.mta].name.view() == "unknown" ? kDomains[mtas_[t.mta].domain]
                                                    : mtas_[t.mta].name.view());
        o.put(">\n");
        return ms(100, 2000);
      }
      default:
        prog(o, "smtpd", t.pid);
        o.put("disconnect from ");
        peer(o, t);
        o.put(" ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4\n");
        return -1;
    }
  }

  int64_t saslfail(Out& o, Txn& t) {
    switch (t.step++) {
      case 0:
        prog(o, "submission/smtpd", t.pid);
        o.put("connect from ");
        peer(o, t);
        o.put('\n');
        return ms(1000, 3000);
      case 1:
        prog(o, "submission/smtpd", t.pid);
        o.put("warning: ");
        peer(o, t);
        o.put(": SASL LOGIN authentication failed: UGFzc3dvcmQ6\n");
        if (t.rcpt_done++ < (t.nrcpt > 1 ? 2 : 0)) {  // some guess again
          --t.step;
          return ms(2000, 4000);
        }
        return ms(5, 500);
      case 2:
        if (rng_.chance(0.3)) {
          prog(o, "submission/smtpd", t.pid);
          o.put("lost connection after AUTH from ");
          peer(o, t);
          o.put('\n');
          return ms(1, 10);
        }
        [[fallthrough]];
      default:
        prog(o, "submission/smtpd", t.pid);
        o.put("disconnect from ");
        peer(o, t);
        o.put(" ehlo=1 auth=0/");
        o.num(t.rcpt_done);
        o.put(" commands=1/");
        o.num(1u + t.rcpt_done);
        o.put('\n');
        return -1;
    }
  }

  int64_t probe(Out& o, Txn& t) {
    switch (t.step++) {
      case 0:
        prog(o, "smtpd", t.pid);
        o.put("connect from ");
        peer(o, t);
        o.put('\n');
        return ms(100, 5000);
      case 1:
        prog(o, "smtpd", t.pid);
        o.put(rng_.chance(0.5) ? std::string_view("lost connection after CONNECT from ")
                               : std::string_view("lost connection after EHLO from "));
        peer(o, t);
        o.put('\n');
        return ms(1, 10);
      default:
        prog(o, "smtpd", t.pid);
        o.put("disconnect from ");
        peer(o, t);
        o.put(" ehlo=1 commands=1\n");
        return -1;
    }
  }

  int64_t cron(Out& o, Txn& t) {
    switch (t.step++) {
      case 0:
        t.qid1 = new_qid();
        t.msgid = msg_counter_++;
        prog(o, "pickup", 1031);
        qid(o, t.qid1);
        o.put(": uid=0 from=<root>\n");
        return ms(1, 50);
      case 1:
        prog(o, "cleanup", t.pid2);
        qid(o, t.qid1);
        o.put(": ");
        msgid(o, t);
        return ms(1, 50);
      case 2:
        prog(o, "qmgr", 1030);
        qid(o, t.qid1);
        o.put(": from=<root@mx1.campus.example.org>, size=");
        o.num(600 + t.size % 2000);
        o.put(", nrcpt=1 (queue active)\n");
        return ms(10, 400);
      case 3:
        prog(o, "local", t.dpid);
        qid(o, t.qid1);
        o.put(
            ": to=<root@mx1.campus.example.org>, orig_to=<root>, relay=local, delay=0.4, "
            "delays=0.2/0/0/0.2, dsn=2.0.0, status=sent (delivered to mailbox)\n");
        return ms(1, 20);
      default:
        prog(o, "qmgr", 1030);
        qid(o, t.qid1);
        o.put(": removed\n");
        return -1;
    }
  }

  void stats(Out& o) {
    const Mta& m = mtas_[rng_.below(uint32_t(mtas_.size()))];
    prog(o, "anvil", 1401);
    o.put("statistics: max connection rate ");
    o.num(1 + rng_.below(12));
    o.put("/60s for (smtp:");
    o.put(m.ip);
    o.put(") at ");
    int64_t keep = now_ms_;
    now_ms_ -= int64_t(rng_.below(600)) * 1000;
    {
      char* at = o.p;
      stamp(o);
      o.p = at + 15;  // just the date and time
    }
    now_ms_ = keep;
    stamp_s_ = -1;
    o.put('\n');
    prog(o, "anvil", 1401);
    o.put("statistics: max connection count ");
    o.num(1 + rng_.below(6));
    o.put(" for (submission:");
    o.put(mtas_[rng_.below(uint32_t(mtas_.size()))].ip);
    o.put(") at ");
    {
      char* at = o.p;
      stamp(o);
      o.p = at + 15;
    }
    o.put('\n');
    prog(o, "anvil", 1401);
    o.put("statistics: max cache size ");
    o.num(5 + rng_.below(60));
    o.put(" at ");
    {
      char* at = o.p;
      stamp(o);
      o.p = at + 15;
    }
    o.put('\n');
    prog(o, "scache", 1402);
    o.put("statistics: start interval ");
    {
      char* at = o.p;
      stamp(o);
      o.p = at + 15;
    }
    o.put('\n');
    prog(o, "scache", 1402);
    o.put("statistics: domain lookup hits=");
    o.num(rng_.below(40));
    o.put(" miss=");
    o.num(rng_.below(80));
    o.put(" success=");
    o.num(rng_.below(50));
    o.put("%\n");
    lines_ += 5;
  }

  Rng rng_;
  int64_t now_ms_;
  int64_t first_ms_;
  double rate_;
  int64_t next_arrival_ms_ = 0, next_stats_ms_ = 0;
  uint64_t seq_ = 0;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  std::vector<Txn> txns_;
  std::vector<uint32_t> free_;
  std::vector<User> users_;
  std::vector<Mta> mtas_;
  uint32_t plant_client_ = 0;
  std::string plant_msgid_;
  Text plant_user_;
  std::array<std::array<char, 48>, 2> plant_qids_{};
  int64_t plant_ms_ = -1;
  std::array<char, 64> stamp_{};
  size_t stamp_len_ = 0;
  int64_t stamp_s_ = -1;
  uint64_t lines_ = 0, msg_counter_ = 0, qid_counter_ = 0, deferred_ = 0, bounced_ = 0;
  std::array<uint64_t, 6> kind_count_{};
  uint64_t query_every_ = 1, query_next_ = 0, query_count_ = 0, written_ = 0;
  std::vector<Query> queries_;
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = 1, size = 1ULL << 30, query_count = 1000;
  double rate = 2.5;
  std::string out_path = "-", start_text = "2026-10-24T00:00:00", queries_path;
  std::string plant_msgid, plant_user = "rpatel", plant_client_text = "10.20.3.49";
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
    } else if (a == "--plant-msgid") {
      plant_msgid = value();
      if (!plant_msgid.empty() && plant_msgid.front() == '<') plant_msgid.erase(0, 1);
      if (!plant_msgid.empty() && plant_msgid.back() == '>') plant_msgid.pop_back();
      if (plant_msgid.empty() || plant_msgid.size() > 500 ||
          plant_msgid.find_first_of(" \t\n<>") != std::string::npos)
        usage_error("--plant-msgid: a Message-ID without spaces, up to 500 characters");
    } else if (a == "--plant-user") {
      plant_user = value();
      if (plant_user.empty() || plant_user.size() > 31 ||
          plant_user.find_first_of(" \t\n@") != std::string::npos)
        usage_error("--plant-user: a login name, up to 31 characters");
    } else if (a == "--plant-client") {
      plant_client_text = value();
    } else if (a == "--rate") {
      rate = std::atof(std::string(value()).c_str());
      if (!(rate > 0)) usage_error("--rate: expected transactions per second > 0");
    } else if (a == "--start") {
      start_text = value();
    } else if (a == "--queries") {
      queries_path = value();
    } else if (a == "--query-count") {
      number(query_count);
    } else if (a == "-h" || a == "--help") {
      fmt::print(
          "usage: {} [--seed N] [--size BYTES] [--out FILE] [--start YYYY-MM-DDTHH:MM:SS]\n"
          "       [--rate TRANSACTIONS_PER_SECOND] [--plant-msgid ID] [--plant-user USER]\n"
          "       [--plant-client IPV4] [--queries FILE] [--query-count N]\n"
          "Writes --size bytes (K/M/G = KiB/MiB/GiB; default 1G) of a synthetic Postfix\n"
          "maillog (year-less syslog, UTC), the same for the same options.\n",
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
  Generator gen(seed, start, rate, plant_ip);
  uint64_t planted_queries = plant_msgid.empty() ? 0 : 1;
  if (!queries_path.empty() && query_count > planted_queries)
    gen.want_queries(size / (query_count - planted_queries), query_count - planted_queries);

  constexpr size_t kBuf = 4 << 20;
  constexpr size_t kSlack = 16384;  // more than any one step (plus a planted Message-ID)
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
  bool planted = plant_msgid.empty();
  while (size_now() < size) {
    if (!planted && size_now() >= size / 2) {
      gen.plant(plant_msgid, plant_user);
      planted = true;
    }
    gen.step(o);
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
  const auto& k = gen.kinds();
  fmt::print(stderr,
             "{}: {} messages, {} queue files (IDs reused every {}); {} inbound, {} submissions "
             "({} deferred deliveries, {} bounced), {} rejects, {} SASL failures, {} probes, {} "
             "from cron\n",
             kTool, gen.messages(), gen.queue_files(), kQidSpace, k[0], k[1], gen.deferred(),
             gen.bounced(), k[2], k[3], k[4], k[5]);
  if (!plant_msgid.empty()) {
    if (!gen.plant_done()) {
      fmt::print(stderr, "{}: planted <{}>: not placed (file too small)\n", kTool, plant_msgid);
      return 1;
    }
    int64_t ms = gen.plant_ms();
    fmt::print(stderr, "{}: planted <{}> from {} user {} at {} (queue IDs {} then {})\n", kTool,
               plant_msgid, plant_client.view(), plant_user, iso(ms / 1000), gen.plant_qid(0),
               gen.plant_qid(1));
    fmt::print(stderr, "{}: query time {}\n", kTool, iso(ms / 1000));
  }
  if (!queries_path.empty()) {
    FILE* q = std::fopen(queries_path.c_str(), "wb");
    if (!q) {
      fmt::print(stderr, "{}: cannot create {}: {}\n", kTool, queries_path, std::strerror(errno));
      return 1;
    }
    fmt::print(q, "message_id\texpect_client\texpect_user\n");
    size_t n = gen.queries().size();
    if (!plant_msgid.empty()) {
      fmt::print(q, "<{}>\t{}\t{}\n", plant_msgid, plant_client.view(), plant_user);
      ++n;
    }
    for (const auto& r : gen.queries())
      fmt::print(q, "{}\t{}\t{}\n", r.message_id, r.client.view(), r.user.view());
    if (std::fclose(q) != 0) {
      fmt::print(stderr, "{}: writing {}: {}\n", kTool, queries_path, std::strerror(errno));
      return 1;
    }
    fmt::print(stderr, "{}: wrote {} queries to {}\n", kTool, n, queries_path);
  }
  return 0;
}

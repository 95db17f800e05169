#include "tracekit/mail_hop.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "tracekit/hop.h"
#include "tracekit/mail_headers.h"
#include "tracekit/text.h"
#include "tracekit/url.h"

namespace tracekit {

namespace {

using json = nlohmann::ordered_json;

constexpr MailTarget::Kind kKinds[] = {MailTarget::Kind::message_id, MailTarget::Kind::queue_id,
                                       MailTarget::Kind::sender,     MailTarget::Kind::recipient,
                                       MailTarget::Kind::client,     MailTarget::Kind::user};

// A queue ID that was reused: an arrival this long after the last event of
// the ID is another message (Postfix keeps a message at most 5 days).
constexpr Micros kReuseAfter = std::chrono::hours(24 * 7);
// Passes over the logs while a path continues under new IDs.
constexpr int kMaxPasses = 5;

std::string_view strip_angles(std::string_view s) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') s = s.substr(1, s.size() - 2);
  return s;
}

// Whether the list `list` (addresses separated by ',', ';' or spaces, each
// maybe in <>) holds `addr`, ignoring case.
bool list_has(std::string_view list, std::string_view addr) {
  while (!list.empty()) {
    size_t end = list.find_first_of(",; ");
    std::string_view item = strip_angles(list.substr(0, end));
    if (!item.empty() && iequals(item, addr)) return true;
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return false;
}

struct StoredEvent {
  MailAction action = MailAction::received;
  Instant time = kNoTime;
  uint8_t time_flags = 0;
  bool has_client = false, has_relay_ip = false, has_size = false;
  IpAddr client, relay_ip;
  uint16_t client_port = 0, relay_port = 0;
  uint64_t size = 0;
  uint32_t nrcpt = 0;
  uint32_t source = 0;
  EvidenceRef ref;
  std::string raw;
  ContentSpans content;  // the subject in raw
  std::string queue_id, message_id, client_name, helo, user, auth_method, from, to, orig_to, relay,
      status, detail, next_id, protocol, subject, service, device;
};

StoredEvent store_event(const MailEvent& ev, const ScanFile& f, uint32_t file_id,
                        const Line& line) {
  StoredEvent s;
  s.action = ev.action;
  s.time = ev.time;
  s.time_flags = ev.time_flags;
  s.has_client = ev.has_client;
  s.client = ev.client;
  s.client_port = ev.client_port;
  s.has_relay_ip = ev.has_relay_ip;
  s.relay_ip = ev.relay_ip;
  s.relay_port = ev.relay_port;
  s.has_size = ev.has_size;
  s.size = ev.size;
  s.nrcpt = ev.nrcpt;
  s.source = f.source;
  s.ref = EvidenceRef{file_id, ev.first_line ? ev.first_line : line.number,
                      ev.first_line ? ev.first_offset : line.offset};
  std::string_view base = ev.raw.empty() ? line.text : ev.raw;
  s.raw = std::string(base);
  if (!ev.subject.empty() && ev.subject.data() >= base.data() &&
      ev.subject.data() + ev.subject.size() <= base.data() + base.size())
    s.content.push_back({size_t(ev.subject.data() - base.data()), ev.subject.size()});
  s.queue_id = ev.queue_id;
  s.message_id = ev.message_id;
  s.client_name = ev.client_name;
  s.helo = ev.helo;
  s.user = ev.user;
  s.auth_method = ev.auth_method;
  s.from = ev.from;
  s.to = ev.to;
  s.orig_to = ev.orig_to;
  s.relay = ev.relay;
  s.status = ev.status;
  s.detail = ev.detail;
  s.next_id = ev.next_id;
  s.protocol = ev.protocol;
  s.subject = ev.subject;
  s.service = ev.service;
  s.device = ev.device;
  return s;
}

struct Delivery {
  uint32_t event;
  int32_t next = -1;  // the message it continues as, when queued under a new ID here
};

struct Message {
  uint32_t source = 0;
  std::string device, queue_id;
  Instant first = kNoTime, last = kNoTime, arrival = kNoTime;
  int32_t received = -1;  // the first event saying how it arrived
  bool has_client = false, has_size = false, completed = false, rejected = false;
  IpAddr client;
  uint16_t client_port = 0;
  uint64_t size = 0;
  uint32_t nrcpt = 0;
  std::string client_name, helo, user, auth_method, protocol, service, message_id, from, subject;
  std::vector<Delivery> deliveries;
  std::vector<uint32_t> events;
  int32_t prev = -1;  // the message it continues (a delivery here queued it as this one)
};

// The key of a queue ID on one server, written into `out` (reused by the
// per-line callers: no allocation once it has grown).
const std::string& key_into(std::string& out, uint32_t source, std::string_view device,
                            std::string_view qid) {
  out.clear();
  fmt::format_to(std::back_inserter(out), "{}\x1f{}\x1f{}", source, device, qid);
  return out;
}

std::string key_of(uint32_t source, std::string_view device, std::string_view qid) {
  std::string out;
  return key_into(out, source, device, qid);
}

void fill(std::string& to, const std::string& from) {
  if (to.empty()) to = from;
}

// Whether event `e` (a parser's MailEvent, or a StoredEvent kept from one)
// names what `t` asks about. A queue ID also matches a line that hands the
// message on under it ("queued as ID") when `next_too`.
template <class Event>
bool event_matches(const MailTarget& t, const Event& e, bool next_too = false) {
  switch (t.kind) {
    case MailTarget::Kind::message_id:
      return !e.message_id.empty() && strip_angles(e.message_id) == t.value;
    case MailTarget::Kind::queue_id:
      return e.queue_id == t.value || (next_too && e.next_id == t.value);
    case MailTarget::Kind::sender:
      return !e.from.empty() && iequals(strip_angles(e.from), t.value);
    case MailTarget::Kind::recipient:
      return list_has(e.to, t.value) || list_has(e.orig_to, t.value);
    case MailTarget::Kind::client:
      return e.has_client && e.client == t.ip;
    case MailTarget::Kind::user:
      return !e.user.empty() && iequals(e.user, t.value);
  }
  return false;
}

}  // namespace

struct MailHop::Store {
  explicit Store(ToolRun& run)
      : quiet(run.tool, run.diag.strict(), nullptr),
        scanner(run.diag, ScanSettings{run.zone, run.max_silence, {}}) {}
  Diagnostics quiet;
  Scanner scanner;  // the first pass: it reports the input's problems
  std::vector<StoredEvent> events;
  std::vector<Message> messages;
  std::vector<std::vector<int32_t>> roots;  // per query: the paths found (root messages)
  std::vector<uint32_t> sources;
  Coverage coverage;

  void build();
  void link();
  int32_t root_of(int32_t m) const {
    while (messages[m].prev >= 0) m = messages[m].prev;
    return m;
  }
  // Every message of the path from root `r`, in path order.
  std::vector<int32_t> path(int32_t r) const {
    std::vector<int32_t> out{r};
    for (size_t k = 0; k < out.size(); ++k)
      for (const auto& d : messages[out[k]].deliveries)
        if (d.next >= 0 && std::find(out.begin(), out.end(), d.next) == out.end())
          out.push_back(d.next);
    return out;
  }
};

void MailHop::Store::build() {
  std::sort(events.begin(), events.end(), [](const StoredEvent& a, const StoredEvent& b) {
    if (a.ref.file != b.ref.file) return a.ref.file < b.ref.file;
    return a.ref.line < b.ref.line;
  });
  events.erase(std::unique(events.begin(), events.end(),
                           [](const StoredEvent& a, const StoredEvent& b) {
                             return a.ref.file == b.ref.file && a.ref.line == b.ref.line;
                           }),
               events.end());
  std::unordered_map<std::string, int32_t> current;
  for (uint32_t i = 0; i < events.size(); ++i) {
    const StoredEvent& e = events[i];
    if (e.action == MailAction::connect || e.action == MailAction::disconnect) continue;
    int32_t m = -1;
    if (!e.queue_id.empty()) {
      std::string key = key_of(e.source, e.device, e.queue_id);
      auto it = current.find(key);
      if (it != current.end()) {
        const Message& cur = messages[it->second];
        bool starts = e.action == MailAction::received || e.action == MailAction::header ||
                      e.action == MailAction::sender;
        bool reused = starts && (cur.completed || (e.time != kNoTime && cur.last != kNoTime &&
                                                   e.time - cur.last > kReuseAfter));
        if (!reused) m = it->second;
      }
      if (m < 0) {
        m = int32_t(messages.size());
        messages.emplace_back();
        current[key] = m;
      }
    } else {
      m = int32_t(messages.size());  // a record of its own (a rejection, a Zeek row)
      messages.emplace_back();
    }
    Message& msg = messages[m];
    if (msg.events.empty()) {
      msg.source = e.source;
      msg.device = e.device;
      msg.queue_id = e.queue_id;
    }
    msg.events.push_back(i);
    if (e.time != kNoTime) {
      if (msg.first == kNoTime || e.time < msg.first) msg.first = e.time;
      if (msg.last == kNoTime || e.time > msg.last) msg.last = e.time;
    }
    bool arrival = e.action == MailAction::received || e.action == MailAction::rejected ||
                   e.action == MailAction::auth_failed;
    if (arrival) {
      if (msg.received < 0) {
        msg.received = int32_t(i);
        msg.arrival = e.time;
      }
      if (!msg.has_client && e.has_client) {
        msg.has_client = true;
        msg.client = e.client;
        msg.client_port = e.client_port;
      }
      fill(msg.client_name, e.client_name);
      fill(msg.helo, e.helo);
      fill(msg.user, e.user);
      fill(msg.auth_method, e.auth_method);
      fill(msg.protocol, e.protocol);
      fill(msg.service, e.service);
      if (e.action == MailAction::rejected) msg.rejected = true;
    }
    fill(msg.message_id, e.message_id);
    fill(msg.from, e.from);
    fill(msg.subject, e.subject);
    if (!msg.has_size && e.has_size) {
      msg.has_size = true;
      msg.size = e.size;
    }
    if (!msg.nrcpt) msg.nrcpt = e.nrcpt;
    if (e.action == MailAction::delivery) msg.deliveries.push_back({i});
    if (e.action == MailAction::completed) msg.completed = true;
    // A record of its own that names recipients (a rejection, a Zeek row).
    if (e.queue_id.empty() && !e.to.empty() && e.action != MailAction::delivery)
      msg.deliveries.push_back({i});
  }
  link();
}

void MailHop::Store::link() {
  std::unordered_map<std::string, std::vector<int32_t>> by_key;
  for (int32_t m = 0; m < int32_t(messages.size()); ++m)
    if (!messages[m].queue_id.empty())
      by_key[key_of(messages[m].source, messages[m].device, messages[m].queue_id)].push_back(m);
  for (int32_t m = 0; m < int32_t(messages.size()); ++m) {
    for (auto& d : messages[m].deliveries) {
      const StoredEvent& e = events[d.event];
      if (e.next_id.empty() || e.next_id == messages[m].queue_id) continue;
      auto it = by_key.find(key_of(messages[m].source, messages[m].device, e.next_id));
      if (it == by_key.end()) continue;
      // The message of that ID nearest the hand-over (IDs are reused).
      int32_t best = -1;
      Micros best_gap{0};
      for (int32_t n : it->second) {
        if (n == m || messages[n].first == kNoTime || e.time == kNoTime) continue;
        Micros gap =
            messages[n].first > e.time ? messages[n].first - e.time : e.time - messages[n].first;
        if (gap > std::chrono::hours(1)) continue;
        if (best < 0 || gap < best_gap) {
          best = n;
          best_gap = gap;
        }
      }
      // Every recipient handed to the filter continues as the one message.
      if (best >= 0 && (messages[best].prev < 0 || messages[best].prev == m) &&
          root_of(m) != best) {
        d.next = best;
        messages[best].prev = m;
      }
    }
  }
}

std::string_view mail_target_field(MailTarget::Kind k) {
  switch (k) {
    case MailTarget::Kind::message_id:
      return "message_id";
    case MailTarget::Kind::queue_id:
      return "queue_id";
    case MailTarget::Kind::sender:
      return "sender";
    case MailTarget::Kind::recipient:
      return "recipient";
    case MailTarget::Kind::client:
      return "client_ip";
    case MailTarget::Kind::user:
      return "user";
  }
  return "";
}

bool parse_mail_target(MailTarget::Kind kind, std::string_view text, MailTarget& out,
                       std::string& error) {
  out = MailTarget{};
  out.kind = kind;
  out.text = std::string(text);
  std::string_view v = strip_angles(text);
  if (v.empty()) {
    error = fmt::format("{}: empty", mail_target_field(kind));
    return false;
  }
  if (v.find_first_of(" \t\r\n") != std::string_view::npos) {
    error = fmt::format("{}: '{}' has spaces in it", mail_target_field(kind), out.text);
    return false;
  }
  if (kind == MailTarget::Kind::client && !parse_ip(v, out.ip)) {
    error = fmt::format("client_ip: '{}' is not an IP address", out.text);
    return false;
  }
  if ((kind == MailTarget::Kind::sender || kind == MailTarget::Kind::recipient) &&
      v.find('@') == std::string_view::npos) {
    error = fmt::format("{}: '{}' is not a mail address", mail_target_field(kind), out.text);
    return false;
  }
  out.value = std::string(v);
  return true;
}

MailQuery mail_query_from_args(MailTarget target, QueryWindow window) {
  MailQuery q;
  q.row = Row::object();
  put_window(q.row, window);
  q.row[std::string(mail_target_field(target.kind))] = target.text;
  q.target = std::move(target);
  q.window = window;
  return q;
}

bool mail_query_from_row(const Row& row, const date::time_zone* zone, MailQuery& out,
                         std::string& error) {
  out = MailQuery{};
  out.row = row;
  bool found = false;
  for (MailTarget::Kind k : kKinds) {
    std::string text = get_text(row, mail_target_field(k));
    if (text.empty()) continue;
    if (found) {
      error = "more than one of message_id, queue_id, sender, recipient, client_ip, user";
      return false;
    }
    if (!parse_mail_target(k, text, out.target, error)) return false;
    found = true;
  }
  if (!found) {
    error = "no message_id, queue_id, sender, recipient, client_ip or user field";
    return false;
  }
  return row_window(row, zone, out.window, error);
}

MailHop::MailHop(ToolRun& run, MailHopSettings settings)
    : run_(run), settings_(settings), store_(std::make_unique<Store>(run)) {}
MailHop::~MailHop() = default;

const Scanner& MailHop::scanner() const {
  return store_->scanner;
}

std::vector<std::string> MailHop::named_clients(size_t index) const {
  const Store& st = *store_;
  std::vector<std::string> out;
  for (int32_t r : st.roots[index])
    for (int32_t p : st.path(r)) {
      const Message& m = st.messages[p];
      bool named = false;
      for (uint32_t e : m.events)
        named = named || event_matches(queries_[index].target, st.events[e]);
      if (named) out.push_back(m.has_client ? to_string(m.client) : m.client_name);
    }
  return out;
}

std::vector<std::string> MailHop::devices() const {
  std::set<std::string> out;
  for (const auto& e : store_->events)
    if (!e.device.empty()) out.insert(e.device);
  return {out.begin(), out.end()};
}

bool MailHop::load(const std::vector<MailQuery>& queries) {
  queries_ = queries;
  Store& st = *store_;
  st.roots.assign(queries_.size(), {});

  // Pass 1: the lines naming what is asked. Their queue IDs are what pass 2
  // reads whole; a record without one is kept as it is.
  std::vector<std::string> needles;
  bool prefilter = true;
  for (const auto& q : queries_) {
    const MailTarget& t = q.target;
    if (t.kind == MailTarget::Kind::client && !t.ip.is_v4()) prefilter = false;
    std::string n = t.kind == MailTarget::Kind::client ? to_string(t.ip) : t.value;
    if (std::find(needles.begin(), needles.end(), n) == needles.end()) needles.push_back(n);
  }
  // Addresses and users are compared ignoring case: the prefilter is exact.
  for (const auto& q : queries_)
    if (q.target.kind == MailTarget::Kind::sender || q.target.kind == MailTarget::Kind::recipient ||
        q.target.kind == MailTarget::Kind::user)
      for (char c : q.target.value)
        if (c >= 'A' && c <= 'Z') prefilter = false;
  if (needles.size() > 16) prefilter = false;

  std::set<std::string> wanted;    // keys (source, device, queue ID) to read whole
  std::vector<std::string> fresh;  // IDs to read in the next pass
  auto want = [&](uint32_t source, std::string_view device, std::string_view qid) {
    if (qid.empty() || !wanted.insert(key_of(source, device, qid)).second) return;
    if (std::find(fresh.begin(), fresh.end(), qid) == fresh.end()) fresh.emplace_back(qid);
  };
  st.scanner = Scanner(run_.diag, ScanSettings{run_.zone, run_.max_silence,
                                               prefilter ? needles : std::vector<std::string>{}});
  EventSink<MailEvent> first = [&](const MailEvent& ev, const ScanFile& f, uint32_t file_id,
                                   const Line& line) {
    for (const auto& q : queries_) {
      if (!event_matches(q.target, ev, true)) continue;
      if (ev.queue_id.empty()) {
        if (ev.action != MailAction::connect && ev.action != MailAction::disconnect)
          st.events.push_back(store_event(ev, f, file_id, line));
      } else {
        want(f.source, ev.device, ev.queue_id);
        want(f.source, ev.device, ev.next_id);
      }
      break;
    }
  };
  for (uint32_t s = 0; s < run_.sources.size(); ++s)
    if (!st.scanner.scan<MailEvent>(run_.sources[s], s, first)) return false;

  // Later passes: every line of the IDs found, and the IDs their paths
  // continue (or came) under.
  std::set<std::string> read_keys;
  bool reported_again = false;
  for (int pass = 0; pass < kMaxPasses && !fresh.empty(); ++pass) {
    std::vector<std::string> ids = std::move(fresh);
    fresh.clear();
    std::set<std::string> reading(wanted.begin(), wanted.end());
    for (const auto& k : read_keys) reading.erase(k);
    bool pf = ids.size() <= Scanner::kMaxNeedles;
    Scanner scanner(
        st.quiet, ScanSettings{run_.zone, run_.max_silence, pf ? ids : std::vector<std::string>{}});
    std::string key;
    EventSink<MailEvent> keep = [&](const MailEvent& ev, const ScanFile& f, uint32_t file_id,
                                    const Line& line) {
      if (ev.queue_id.empty()) return;
      if (reading.count(key_into(key, f.source, ev.device, ev.queue_id))) {
        st.events.push_back(store_event(ev, f, file_id, line));
        want(f.source, ev.device, ev.next_id);
      } else if (!ev.next_id.empty() &&
                 reading.count(key_into(key, f.source, ev.device, ev.next_id))) {
        want(f.source, ev.device, ev.queue_id);  // the message it came from
      }
    };
    for (uint32_t s = 0; s < run_.sources.size(); ++s)
      if (!scanner.scan<MailEvent>(run_.sources[s], s, keep)) return false;
    // The first pass reported the inputs' damage to the user; a log that
    // fails only when read again (a pipe longer than what is kept of it) must
    // not fail quietly: the lines this pass looked for would be missing.
    if (st.quiet.had_error() && !run_.diag.had_error() && !reported_again) {
      run_.diag.error(
          "a log could not be read again for the lines of the queue IDs found (a pipe or FIFO "
          "longer than 8 MiB cannot be: save it to a file and name the file); the answer may "
          "miss part of a message's path");
      reported_again = true;
    }
    read_keys.insert(reading.begin(), reading.end());
  }
  st.build();
  st.sources = sources_read(st.scanner.files());
  st.coverage = build_coverage(st.scanner.files(), st.sources, run_.max_silence);

  // Which paths each query finds: a message of the path names what it asks,
  // and the path's time meets the window.
  std::vector<Micros> skew_of(run_.sources.size());
  for (uint32_t s = 0; s < run_.sources.size(); ++s)
    skew_of[s] = widen_skew(run_.skew, run_.sources, {s});
  for (size_t i = 0; i < queries_.size(); ++i) {
    const MailQuery& q = queries_[i];
    std::set<int32_t> roots;
    for (int32_t m = 0; m < int32_t(st.messages.size()); ++m) {
      const Message& msg = st.messages[m];
      bool named = false;
      for (uint32_t e : msg.events)
        if (event_matches(q.target, st.events[e])) named = true;
      if (!named) continue;
      int32_t r = st.root_of(m);
      Instant lo = kNoTime, hi = kNoTime;
      for (int32_t p : st.path(r)) {
        const Message& pm = st.messages[p];
        if (pm.first != kNoTime && (lo == kNoTime || pm.first < lo)) lo = pm.first;
        if (pm.last != kNoTime && (hi == kNoTime || pm.last > hi)) hi = pm.last;
      }
      Micros skew = msg.source < skew_of.size() ? skew_of[msg.source] : run_.skew;
      const QueryWindow& w = q.window;
      if (w.time != kNoTime && (hi < w.time - skew || lo > w.time + skew)) continue;
      if (w.from != kNoTime && hi < w.from) continue;
      if (w.to != kNoTime && lo >= w.to) continue;
      roots.insert(r);
    }
    st.roots[i].assign(roots.begin(), roots.end());
    std::sort(st.roots[i].begin(), st.roots[i].end(),
              [&](int32_t a, int32_t b) { return st.messages[a].first < st.messages[b].first; });
  }
  return true;
}

std::vector<Row> MailHop::answer(size_t index) const {
  const Store& st = *store_;
  const MailQuery& q = queries_[index];
  const auto& roots = st.roots[index];
  Micros skew = widen_skew(run_.skew, run_.sources, st.sources);
  std::string window;
  if (q.window.time != kNoTime && skew.count() > 0)
    window = fmt::format("matched within ±{} of the time asked", format_duration(skew));

  auto empty_row = [&](MatchKind kind, const std::string& note) {
    Row row = q.row;
    json hop = json::object();
    hop["match"] = std::string(match_name(kind));
    for (const char* f :
         {"queue_id", "message_id", "client", "user", "from", "to", "status", "time", "client_name",
          "helo", "port", "auth", "protocol", "size", "server", "path", "deliveries"})
      hop[f] = "";
    hop["note"] = note;
    hop["evidence"] = json::array();
    row["mail"] = std::move(hop);
    return row;
  };
  if (roots.empty()) {
    std::string why;
    MatchKind kind = no_candidate_in(st.coverage, q.window, skew, "mail", why);
    if (!window.empty()) why = why.empty() ? window : why + "; " + window;
    return {empty_row(kind, why)};
  }

  // Who sent it (a Message-ID, a queue ID): one client and user is exact,
  // more are candidates. Listings (a sender, a recipient, a client, a user)
  // are facts, each exact.
  bool who =
      q.target.kind == MailTarget::Kind::message_id || q.target.kind == MailTarget::Kind::queue_id;
  std::set<std::pair<std::string, std::string>> senders;
  for (int32_t r : roots) {
    const Message& m = st.messages[r];
    senders.insert({m.has_client ? to_string(m.client) : m.client_name, m.user});
  }
  MatchKind kind = who && senders.size() > 1 ? MatchKind::ambiguous : MatchKind::exact;

  std::vector<Row> rows;
  for (int32_t r : roots) {
    const Message& root = st.messages[r];
    std::vector<int32_t> path = st.path(r);
    Row row = q.row;
    json hop = json::object();
    hop["match"] = std::string(match_name(kind));
    hop["queue_id"] = root.queue_id;
    std::string message_id = root.message_id;
    for (int32_t p : path) fill(message_id, st.messages[p].message_id);
    hop["message_id"] = message_id;
    hop["client"] = root.has_client ? to_string(root.client) : "";
    hop["user"] = root.user;
    hop["from"] = root.from;
    // The final deliveries: those not continued under another ID.
    std::vector<std::string> to, status, deliveries;
    std::vector<uint32_t> evidence_events;
    std::vector<TimeNoteRef> time_refs;
    for (int32_t p : path) {
      const Message& m = st.messages[p];
      for (const auto& d : m.deliveries) {
        const StoredEvent& e = st.events[d.event];
        std::string rcpt(strip_angles(e.to));
        std::string line = fmt::format(
            "{} {}{}{}{}", format_rfc3339(e.time, e.time_flags & kHasFraction),
            rcpt.empty() ? std::string("-") : rcpt, e.relay.empty() ? "" : " relay=" + e.relay,
            e.status.empty() ? "" : " " + e.status,
            e.next_id.empty() ? "" : " queued as " + e.next_id);
        deliveries.push_back(line);
        if (d.next >= 0) continue;
        if (!rcpt.empty() && std::find(to.begin(), to.end(), rcpt) == to.end()) to.push_back(rcpt);
        std::string s = e.status.empty() && m.rejected ? "rejected" : e.status;
        if (!s.empty() && std::find(status.begin(), status.end(), s) == status.end())
          status.push_back(s);
      }
      if (m.rejected && m.deliveries.empty()) status.push_back("rejected");
      for (uint32_t e : m.events) {
        evidence_events.push_back(e);
        time_refs.push_back({st.events[e].ref, st.events[e].time_flags});
      }
    }
    auto join = [](const std::vector<std::string>& v, std::string_view sep) {
      std::string out;
      for (const auto& s : v) {
        if (!out.empty()) out += sep;
        out += s;
      }
      return out;
    };
    hop["to"] = join(to, ",");
    hop["status"] = join(status, ",");
    bool frac = false;
    for (uint32_t e : root.events) frac = frac || (st.events[e].time_flags & kHasFraction);
    Instant t = root.arrival != kNoTime ? root.arrival : root.first;
    hop["time"] = t == kNoTime ? "" : format_rfc3339(t, frac);
    hop["client_name"] = root.client_name;
    hop["helo"] = root.helo;
    hop["port"] = root.client_port ? std::to_string(root.client_port) : "";
    hop["auth"] = root.auth_method;
    hop["protocol"] = root.protocol;
    hop["size"] = root.has_size ? std::to_string(root.size) : "";
    std::vector<std::string> servers, ids;
    for (int32_t p : path) {
      const Message& m = st.messages[p];
      std::string server = m.device.empty() ? run_.sources[m.source].name : m.device;
      if (std::find(servers.begin(), servers.end(), server) == servers.end())
        servers.push_back(server);
      if (!m.queue_id.empty()) ids.push_back(m.queue_id);
    }
    hop["server"] = join(servers, ",");
    hop["path"] = join(ids, " -> ");
    hop["deliveries"] = join(deliveries, "; ");
    if (settings_.show_content) {
      std::string subject = root.subject;
      for (int32_t p : path) fill(subject, st.messages[p].subject);
      hop["subject"] = subject;
    }
    std::vector<std::string> notes;
    if (root.received < 0 && !root.rejected)
      notes.push_back(
          "no arrival in the logs for this queue ID (the lines before it were rotated away, or "
          "it was queued by another program): how it arrived is unknown");
    if (path.size() > 1)
      notes.push_back(fmt::format("handed on within the server under {} ID(s): {}", path.size() - 1,
                                  join(ids, " -> ")));
    if (root.user.empty() && root.received >= 0 && root.has_client)
      notes.push_back("no authenticated user: the client did not log in");
    if (kind == MatchKind::ambiguous)
      notes.push_back(fmt::format("{} messages from {} different clients or users", roots.size(),
                                  senders.size()));
    tracekit::add_time_notes(time_refs, st.scanner.files(), notes);
    if (!window.empty()) notes.push_back(window);
    hop["note"] = join_notes(notes);
    json evidence = json::array();
    for (uint32_t e : evidence_events) {
      const StoredEvent& ev = st.events[e];
      bool hide = !settings_.show_content && !ev.content.empty();
      json item =
          evidence_item(st.scanner.files(), ev.ref, hide ? redact(ev.raw, ev.content) : ev.raw);
      if (hide) item["redacted"] = "the subject (--show-content shows it)";
      evidence.push_back(std::move(item));
    }
    hop["evidence"] = std::move(evidence);
    row["mail"] = std::move(hop);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace tracekit

namespace tracekit {

using json = nlohmann::ordered_json;

// How far a Received line's date may be from our log's time for the same
// message: the server stamps the line as it takes the message, and logs it in
// the same second, but a message can wait in the queue before its last line.
constexpr Micros kHeaderSlack = std::chrono::minutes(2);

HeaderChecks plan_header_checks(const MailHeader& h, Micros skew, std::vector<MailQuery>& queries) {
  HeaderChecks plan;
  for (const auto& r : h.received) {
    int q = -1;
    if (r.date != kNoTime) {
      MailTarget t;
      std::string error;
      bool ok = !r.id.empty()
                    ? parse_mail_target(MailTarget::Kind::queue_id, r.id, t, error)
                    : !h.message_id.empty() &&
                          parse_mail_target(MailTarget::Kind::message_id, h.message_id, t, error);
      if (ok) {
        MailQuery mq = mail_query_from_args(
            std::move(t),
            QueryWindow{kNoTime, r.date - skew - kHeaderSlack, r.date + skew + kHeaderSlack});
        q = int(queries.size());
        queries.push_back(std::move(mq));
      }
    }
    plan.query_of.push_back(q);
  }
  return plan;
}

std::vector<Row> check_header(const MailHeader& h, const HeaderChecks& plan,
                              const std::vector<std::string>& ours_given, const MailHop& hop) {
  std::vector<std::string> ours = ours_given;
  for (auto& d : hop.devices()) ours.push_back(d);
  std::vector<Row> rows;
  for (size_t k = 0; k < h.received.size(); ++k) {
    const ReceivedLine& r = h.received[k];
    json head = json::object();
    head["index"] = std::to_string(r.index);
    head["line"] = std::to_string(r.line);
    head["by"] = r.by;
    head["from_ip"] = r.has_from_ip ? to_string(r.from_ip) : "";
    head["id"] = r.id;
    head["date"] = r.date != kNoTime ? format_rfc3339(r.date, false) : "";
    std::string check, note;
    std::vector<Row> found;
    int q = k < plan.query_of.size() ? plan.query_of[k] : -1;
    if (!is_our_host(r.by, ours)) {
      check = "not-ours";
      note = "added by a server that is not ours: our logs cannot check it";
    } else if (q < 0) {
      check = "not-checkable";
      note = r.date == kNoTime ? "its date cannot be read"
                               : "it names no queue ID and the header no Message-ID";
    } else {
      found = hop.answer(size_t(q));
      std::string m = get_text(found[0], "mail.match");
      std::string by = r.id.empty() ? "the header's Message-ID" : "queue ID " + r.id;
      if (m == "exact" || m == "ambiguous") {
        // The client of the message under that ID (not of its path's first).
        std::vector<std::string> clients;
        bool same = !r.has_from_ip;
        for (const auto& c : hop.named_clients(size_t(q))) {
          clients.push_back(c.empty() ? "an unknown client" : c);
          if (r.has_from_ip && c == to_string(r.from_ip)) same = true;
        }
        if (clients.empty()) clients.push_back("an unknown client");
        if (same) {
          check = "confirmed";
          note = fmt::format("our logs have the message under {} near that time{}", by,
                             r.has_from_ip ? ", from the address the line names" : "");
        } else {
          check = "contradicted";
          note = fmt::format(
              "our logs have the message under {} near that time, but from {}, not {} as the "
              "line claims: forgery suspected",
              by, clients.front(), to_string(r.from_ip));
        }
      } else if (m == "none") {
        check = "not-found";
        note = fmt::format(
            "our logs cover that time and have no message under {}: the line was not written by "
            "our server (forgery suspected), or the logs are incomplete",
            by);
        found.clear();
      } else {
        check = "not-checkable";
        note = fmt::format("our logs do not cover that time ({})", get_text(found[0], "mail.note"));
        found.clear();
      }
    }
    head["check"] = check;
    head["note"] = note;
    if (found.empty()) {
      Row row = Row::object();
      row["header"] = head;
      rows.push_back(std::move(row));
    }
    for (auto& f : found) {
      Row row = Row::object();
      row["header"] = head;
      row["mail"] = f["mail"];
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace tracekit

#include "tracekit/login.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "tracekit/hop.h"
#include "tracekit/text.h"

namespace tracekit {

namespace {

Micros distance(const LoginSessionRec& s, Instant at) {
  if (at < s.start) return s.start - at;
  if (at >= s.end) return at - s.end + Micros(1);
  return Micros(0);
}

std::string lower(std::string_view s) {
  std::string out(s);
  ascii_lower_in_place(out);
  return out;
}

bool is_login_key_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

}  // namespace

std::string_view login_end_kind_name(LoginSessionRec::EndKind k) {
  switch (k) {
    case LoginSessionRec::EndKind::logout:
      return "logout";
    case LoginSessionRec::EndKind::shutdown:
      return "the host shut down";
    case LoginSessionRec::EndKind::boot:
      return "the host booted again with no logout or shutdown logged (a crash or power loss?)";
    case LoginSessionRec::EndKind::stated:
      return "end stated by the record";
    case LoginSessionRec::EndKind::reused:
      return "no logout logged: the same session key began a new session then";
    case LoginSessionRec::EndKind::open:
      return "open";
  }
  return "?";
}

void login_host_key(std::string_view host, std::string& out) {
  // An address stays whole; a name is cut to its first label.
  IpAddr ip;
  if (parse_ip(host, ip)) {
    out = to_string(ip);
    return;
  }
  out.assign(host.substr(0, host.find('.')));
  ascii_lower_in_place(out);
}

std::string login_host_key(std::string_view host) {
  std::string out;
  login_host_key(host, out);
  return out;
}

std::string login_pairing_key(std::string_view host, const LoginEvent& ev) {
  std::string h = login_host_key(host);
  // Not the service: an end record may name another (Windows 4647 has no
  // logon type, a utmp DEAD_PROCESS no ssh marker) and must still pair.
  if (!ev.session_key.empty()) return fmt::format("{}|k|{}", h, ev.session_key);
  return fmt::format("{}|u|{}|{}|{}|{}", h, lower(ev.user), ev.service, ev.tty, ev.from);
}

bool login_pairing_key_on(std::string_view key, std::string_view host_key) {
  return key.size() > host_key.size() && key.starts_with(host_key) && key[host_key.size()] == '|';
}

bool login_address_comes_later(const LoginEvent& ev) {
  return ev.service == "radius" || ev.service == "openvpn" || ev.service == "strongswan";
}

bool parse_login_key(std::string_view text, LoginKey& out, std::string& error) {
  out = LoginKey{};
  if (text.empty()) {
    error = "empty key (expected a host name, an IP address or a MAC address)";
    return false;
  }
  if (parse_ip(text, out.ip)) {
    out.kind = LoginKey::Kind::ip;
    return true;
  }
  if (parse_mac(text, out.mac)) {
    out.kind = LoginKey::Kind::mac;
    return true;
  }
  for (char c : text)
    if (!is_login_key_host_char(c)) {
      error = fmt::format("'{}' is neither a host name, an IP address nor a MAC address", text);
      return false;
    }
  out.kind = LoginKey::Kind::host;
  out.text = std::string(text);
  return true;
}

namespace {

StoredLoginEvent stored(const LoginEvent& ev, uint32_t file_id, uint32_t source,
                        std::string_view host) {
  StoredLoginEvent s;
  s.action = ev.action;
  s.place = ev.place;
  s.time_flags = ev.time_flags;
  s.has_from_ip = ev.has_from_ip;
  s.has_assigned_ip = ev.has_assigned_ip;
  s.has_assigned_ip2 = ev.has_assigned_ip2;
  s.has_mac = ev.has_mac;
  s.open_end = ev.open_end;
  s.logon_type = ev.logon_type;
  s.time = ev.time;
  s.start = ev.start;
  s.from_ip = ev.from_ip;
  s.assigned_ip = ev.assigned_ip;
  s.assigned_ip2 = ev.assigned_ip2;
  s.mac = ev.mac;
  s.user = ev.user;
  s.domain = ev.domain;
  s.host = ev.host.empty() ? host : ev.host;
  s.from = ev.from;
  s.service = ev.service;
  s.tty = ev.tty;
  s.session_key = ev.session_key;
  s.method = ev.method;
  s.end_how = ev.end_how;
  s.raw = ev.raw;
  s.ref = EvidenceRef{file_id, ev.first_line, ev.first_offset};
  s.source = source;
  return s;
}

void fill(LoginSessionRec& s, const StoredLoginEvent& e) {
  if (s.user.empty()) s.user = e.user;
  if (s.domain.empty()) s.domain = e.domain;
  if (s.host.empty()) s.host = e.host;
  if (s.from.empty()) s.from = e.from;
  if (s.service.empty()) s.service = e.service;
  if (s.tty.empty()) s.tty = e.tty;
  if (s.place == LoginPlace::unknown) s.place = e.place;
  if (s.logon_type < 0) s.logon_type = e.logon_type;
  if (!s.has_from_ip && e.has_from_ip) {
    s.has_from_ip = true;
    s.from_ip = e.from_ip;
  }
  if (e.has_assigned_ip && !s.assigned_to(e.assigned_ip)) s.assigned.push_back(e.assigned_ip);
  if (e.has_assigned_ip2 && !s.assigned_to(e.assigned_ip2)) s.assigned.push_back(e.assigned_ip2);
  if (!s.has_mac && e.has_mac) {
    s.has_mac = true;
    s.mac = e.mac;
  }
}

std::string pairing_key_of(const StoredLoginEvent& e) {
  LoginEvent v;
  v.session_key = e.session_key;
  v.service = e.service;
  v.user = e.user;
  v.tty = e.tty;
  v.from = e.from;
  return login_pairing_key(e.host, v);
}

}  // namespace

bool LoginStore::wanted(const LoginSessionRec& s) const {
  if (windows_.empty()) return true;
  // (Either reading of a DST-ambiguous start or end.)
  // (A session with no login record began before its file: any time before its end.)
  Instant start = s.start_from_file ? kNoTime : s.start;
  FoldedSpan span{start, s.start_alt, s.end, s.end_alt};
  for (const auto& w : windows_)
    if (span.meets_in_some(w.from, w.to)) return true;
  return false;
}

void LoginStore::commit(Pending&& p) {
  if (!wanted(p.s)) {
    ++dropped_;
    return;
  }
  if (p.s.start == kNoTime) {  // its file's first time is not known yet: build() knows
    orphans_.push_back(std::move(p));
    return;
  }
  if (p.s.end <= p.s.start && p.s.end != kForever) p.s.end = p.s.start + std::chrono::seconds(1);
  for (auto& e : p.events) {
    events_.push_back(std::move(e));
    p.s.events.push_back(uint32_t(events_.size() - 1));
  }
  sessions_.push_back(std::move(p.s));
}

uint32_t LoginStore::open(StoredLoginEvent&& e, Instant start, std::string key, std::string host) {
  uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = uint32_t(open_.size());
    open_.emplace_back();
  }
  Pending& p = open_[slot];
  p = Pending{};
  fill(p.s, e);
  p.s.start = start;
  p.s.start_alt = other_reading(start, e.time_flags);
  p.s.source = e.source;
  p.events.push_back(std::move(e));
  p.key = std::move(key);
  p.host = std::move(host);
  open_by_key_[p.key] = slot;
  open_on_host_[p.host].push_back(slot);
  return slot;
}

void LoginStore::close(uint32_t slot) {
  Pending& p = open_[slot];
  open_by_key_.erase(p.key);
  auto& list = open_on_host_[p.host];
  list.erase(std::remove(list.begin(), list.end(), slot), list.end());
  commit(std::move(p));
  open_[slot] = Pending{};
  free_.push_back(slot);
}

void LoginStore::add(const LoginEvent& ev, uint32_t file_id, uint32_t source, std::string_view host,
                     Instant file_start) {
  if (ev.time == kNoTime) return;
  StoredLoginEvent e = stored(ev, file_id, source, host);
  // A session whose login came before its file: starts at the file's first
  // line (fixed up in build() when not known yet).
  auto from_file = [&](Pending& p) {
    p.s.start_from_file = true;
    p.s.start = (file_start == kNoTime || file_start > e.time) ? kNoTime : file_start;
  };
  switch (e.action) {
    case LoginAction::failed:
      events_.push_back(std::move(e));
      return;
    case LoginAction::login:
    case LoginAction::interim: {
      std::string key = pairing_key_of(e);
      auto it = open_by_key_.find(key);
      if (it != open_by_key_.end()) {
        Pending& p = open_[it->second];
        if (e.user.empty() || p.s.user.empty() || iequals(p.s.user, e.user)) {
          fill(p.s, e);
          p.events.push_back(std::move(e));
          return;
        }
        if (e.action == LoginAction::login) {
          p.s.end = e.time;
          p.s.end_alt = other_reading(e.time, e.time_flags);
          p.s.end_kind = LoginSessionRec::EndKind::reused;
          close(it->second);
        }
      }
      bool interim = e.action == LoginAction::interim;
      Instant start = e.time;
      if (interim && e.start != kNoTime) start = e.start;
      bool unknown_start = interim && e.start == kNoTime;
      std::string host_key = login_host_key(e.host);
      uint32_t slot = open(std::move(e), start, std::move(key), std::move(host_key));
      if (unknown_start) from_file(open_[slot]);
      return;
    }
    case LoginAction::logout: {
      std::string key = pairing_key_of(e);
      auto it = open_by_key_.find(key);
      if (it != open_by_key_.end()) {
        Pending& p = open_[it->second];
        fill(p.s, e);
        p.s.end = std::max(e.time, p.s.start);
        p.s.end_alt = other_reading(e.time, e.time_flags);
        p.s.end_kind = LoginSessionRec::EndKind::logout;
        p.events.push_back(std::move(e));
        close(it->second);
        return;
      }
      Pending p;
      fill(p.s, e);
      p.s.source = e.source;
      p.s.end = e.time;
      p.s.end_alt = other_reading(e.time, e.time_flags);
      p.s.end_kind = LoginSessionRec::EndKind::logout;
      if (e.start != kNoTime) {
        p.s.start = e.start;  // (from a session length: moves with the time)
        p.s.start_alt = other_reading(e.start, e.time_flags);
      } else {
        from_file(p);
        p.s.orphan_logout = true;
      }
      p.events.push_back(std::move(e));
      commit(std::move(p));
      return;
    }
    case LoginAction::session: {
      Pending p;
      fill(p.s, e);
      p.s.source = e.source;
      p.s.start = e.start != kNoTime ? e.start : e.time;
      p.s.end_how = e.end_how;
      if (e.open_end) {
        p.s.end = kForever;
        p.s.end_kind = LoginSessionRec::EndKind::open;
      } else {
        p.s.end = std::max(e.time, p.s.start);
        p.s.end_kind = LoginSessionRec::EndKind::stated;
      }
      // One set of flags for the record's two times: either may be the
      // ambiguous one.
      p.s.start_alt = other_reading(p.s.start, e.time_flags);
      p.s.end_alt = other_reading(p.s.end == kForever ? kNoTime : p.s.end, e.time_flags);
      p.events.push_back(std::move(e));
      commit(std::move(p));
      return;
    }
    case LoginAction::boot:
    case LoginAction::shutdown: {
      keep_down(StoredLoginEvent(e));
      std::vector<uint32_t> list = open_on_host_[login_host_key(e.host)];
      for (uint32_t slot : list) {
        Pending& p = open_[slot];
        p.s.end = std::max(e.time, p.s.start == kNoTime ? e.time : p.s.start);
        p.s.end_alt = other_reading(e.time, e.time_flags);
        p.s.end_kind = e.action == LoginAction::boot ? LoginSessionRec::EndKind::boot
                                                     : LoginSessionRec::EndKind::shutdown;
        p.events.push_back(e);
        close(slot);
      }
      return;
    }
  }
}

void LoginStore::build(const std::vector<Instant>& file_start, std::span<const FoldMark> later) {
  auto start_of_file = [&](const Pending& p) {
    const StoredLoginEvent& e = p.events.front();
    Instant t = e.ref.file < file_start.size() ? file_start[e.ref.file] : kNoTime;
    return (t == kNoTime || t > e.time) ? e.time : t;
  };
  for (uint32_t slot = 0; slot < open_.size(); ++slot) {
    Pending& p = open_[slot];
    if (p.events.empty()) continue;
    p.s.end = kForever;
    p.s.end_kind = LoginSessionRec::EndKind::open;
    commit(std::move(p));
  }
  std::vector<Pending> orphans = std::move(orphans_);
  orphans_.clear();
  for (auto& p : orphans) {
    p.s.start = start_of_file(p);
    commit(std::move(p));
  }
  open_.clear();
  free_.clear();
  open_by_key_.clear();
  open_on_host_.clear();
  bound_by_downs();
  settle_folds(later);
  std::stable_sort(
      sessions_.begin(), sessions_.end(),
      [](const LoginSessionRec& a, const LoginSessionRec& b) { return a.start < b.start; });
}

void LoginStore::note_down(const LoginEvent& ev, uint32_t file_id, uint32_t source,
                           std::string_view host) {
  if (ev.time == kNoTime) return;
  keep_down(stored(ev, file_id, source, host));
}

void LoginStore::keep_down(StoredLoginEvent&& e) {
  downs_.push_back({login_host_key(e.host), e.time, uint32_t(events_.size()),
                    e.action == LoginAction::shutdown});
  events_.push_back(std::move(e));
}

// A logout with no login whose host went down between its file's first
// line and the logout: the session began after that down, which ended
// every session before it. Not a logout written as a shutdown killed its
// session (within kShutdownTail after it): that session began before.
// Only such logouts: a session a boot or shutdown itself ended, or one
// whose start a record states, is not bounded this way.
void LoginStore::bound_by_downs() {
  constexpr Micros kShutdownTail = std::chrono::minutes(5);
  if (downs_.empty()) return;
  std::stable_sort(downs_.begin(), downs_.end(), [](const Down& a, const Down& b) {
    return a.host != b.host ? a.host < b.host : a.time < b.time;
  });
  for (auto& s : sessions_) {
    if (!s.orphan_logout || !s.start_from_file) continue;
    std::string host = login_host_key(s.host);
    // The last down of the host before the logout.
    auto it = std::lower_bound(downs_.begin(), downs_.end(), std::make_pair(host, s.end),
                               [](const Down& d, const std::pair<std::string, Instant>& k) {
                                 return d.host != k.first ? d.host < k.first : d.time < k.second;
                               });
    while (it != downs_.begin()) {
      const Down& d = *std::prev(it);
      if (d.host != host || d.time <= s.start) break;
      if (d.shutdown && s.end - d.time <= kShutdownTail) {
        --it;  // the logout of a session this shutdown killed: the one before
        continue;
      }
      s.start = d.time;
      s.start_alt = other_reading(d.time, events_[d.event].time_flags);
      s.start_from_file = false;
      s.start_after_down = d.event;
      s.events.insert(s.events.begin(), d.event);
      break;
    }
  }
}

// A start or end read the earlier way in a DST fold keeps its later reading
// unless a later line of its file, read the second way, rules it out.
void LoginStore::settle_folds(std::span<const FoldMark> later) {
  std::vector<FoldLine> folded;
  for (auto& e : events_)
    if (e.time_flags & kLocalAmbiguous)
      folded.push_back({e.time, e.ref.file, e.ref.line, &e.time_flags});
  if (folded.empty()) return;
  settle_fold_readings(folded, later);
  for (auto& s : sessions_) {
    if (s.start_alt == kNoTime && s.end_alt == kNoTime) continue;
    for (uint32_t id : s.events) {
      const StoredLoginEvent& e = events_[id];
      if (!(e.time_flags & kLocalReadingSettled)) continue;
      if (e.time == s.start) s.start_alt = kNoTime;
      if (e.time == s.end) s.end_alt = kNoTime;
    }
  }
}

bool login_session_matches(const LoginSessionRec& s, const LoginKey& key) {
  switch (key.kind) {
    case LoginKey::Kind::host:
      return login_host_key(s.host) == login_host_key(key.text);
    case LoginKey::Kind::ip:
      return s.assigned_to(key.ip) || (s.has_from_ip && s.from_ip == key.ip) ||
             (!s.host.empty() && login_host_key(s.host) == to_string(key.ip));
    case LoginKey::Kind::mac:
      return s.has_mac && s.mac == key.mac;
    case LoginKey::Kind::user:
      return iequals(s.user, key.text);
  }
  return false;
}

bool LoginStore::event_matches(const StoredLoginEvent& e, const LoginKey& key) const {
  switch (key.kind) {
    case LoginKey::Kind::host:
      return login_host_key(e.host) == login_host_key(key.text);
    case LoginKey::Kind::ip:
      return (e.has_assigned_ip && e.assigned_ip == key.ip) ||
             (e.has_assigned_ip2 && e.assigned_ip2 == key.ip) ||
             (e.has_from_ip && e.from_ip == key.ip);
    case LoginKey::Kind::mac:
      return e.has_mac && e.mac == key.mac;
    case LoginKey::Kind::user:
      return iequals(e.user, key.text);
  }
  return false;
}

std::vector<const LoginSessionRec*> LoginStore::find(const LoginKey& key) const {
  std::vector<const LoginSessionRec*> out;
  for (const auto& s : sessions_)
    if (login_session_matches(s, key)) out.push_back(&s);
  return out;
}

std::vector<uint32_t> LoginStore::failures(const LoginKey& key) const {
  std::vector<uint32_t> out;
  for (uint32_t id = 0; id < events_.size(); ++id)
    if (events_[id].action == LoginAction::failed && event_matches(events_[id], key))
      out.push_back(id);
  return out;
}

LoginAnswer match_logins(const std::vector<const LoginSessionRec*>& sessions, Instant t,
                         Micros skew, const Coverage& coverage) {
  LoginAnswer a;
  Instant lo = t - skew, hi = t + skew;
  // A start or end in a DST fold could be either reading: a session is a
  // candidate if one reading meets the window, and sure only if both do.
  std::vector<bool> sure;  // per candidate: some session of the user meets it in every reading
  for (const LoginSessionRec* s : sessions) {
    FoldedSpan span{s->start, s->start_alt, s->end, s->end_alt};
    if (!span.meets_in_some(lo, hi)) continue;
    bool is_sure = span.meets_in_every(lo, hi);
    auto it = std::find_if(a.candidates.begin(), a.candidates.end(),
                           [&](const auto& c) { return iequals(c.front()->user, s->user); });
    if (it == a.candidates.end()) {
      a.candidates.push_back({s});
      sure.push_back(is_sure);
    } else {
      if (is_sure) sure[size_t(it - a.candidates.begin())] = true;
      it->push_back(s);
      if (distance(*s, t) < distance(*it->front(), t)) std::swap(it->front(), it->back());
    }
  }
  // A session nothing ends lasts to the end of the records (then it is
  // open-ended): past them, its logout, and another user's login, could be
  // what is missing. The candidates stay shown, as a gap.
  if (!a.candidates.empty() && coverage.past_end(t))
    for (const auto& c : a.candidates)
      for (const LoginSessionRec* s : c)
        if (s->end_kind == LoginSessionRec::EndKind::open) {
          a.kind = MatchKind::gap;
          a.why = coverage.explain_gap(t, t) +
                  ": a session with no logout recorded may have ended, and another begun, in "
                  "that time";
          return a;
        }
  // A user is in doubt when none of their sessions is sure: then no answer
  // is exact, even one with that user alone.
  bool doubt = false;
  for (size_t i = 0; i < a.candidates.size(); ++i)
    if (!sure[i]) {
      doubt = true;
      std::string_view user = a.candidates[i].front()->user;
      if (!a.caveat.empty()) a.caveat += "; ";
      a.caveat += fold_doubt(fmt::format("{}'s session", user.empty() ? "the user" : user));
    }
  if (a.candidates.size() == 1 && !doubt) {
    a.kind = MatchKind::exact;
  } else if (!a.candidates.empty()) {
    a.kind = MatchKind::ambiguous;
  } else {
    a.kind = no_candidate(coverage, t, skew, Micros(0), "", "", a.why);
  }
  return a;
}

}  // namespace tracekit

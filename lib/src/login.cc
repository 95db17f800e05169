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
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
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

std::string login_host_key(std::string_view host) {
  // An address stays whole; a name is cut to its first label.
  IpAddr ip;
  if (parse_ip(host, ip)) return to_string(ip);
  return lower(host.substr(0, host.find('.')));
}

std::string login_pairing_key(std::string_view host, const LoginEvent& ev) {
  std::string h = login_host_key(host);
  // Not the service: an end record may name another (Windows 4647 has no
  // logon type, a utmp DEAD_PROCESS no ssh marker) and must still pair.
  if (!ev.session_key.empty()) return fmt::format("{}|k|{}", h, ev.session_key);
  return fmt::format("{}|u|{}|{}|{}|{}", h, lower(ev.user), ev.service, ev.tty, ev.from);
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

uint32_t LoginStore::add(const LoginEvent& ev, uint32_t file_id, uint32_t source,
                         std::string_view host) {
  StoredLoginEvent s;
  s.action = ev.action;
  s.place = ev.place;
  s.time_flags = ev.time_flags;
  s.has_from_ip = ev.has_from_ip;
  s.has_assigned_ip = ev.has_assigned_ip;
  s.has_mac = ev.has_mac;
  s.open_end = ev.open_end;
  s.logon_type = ev.logon_type;
  s.time = ev.time;
  s.start = ev.start;
  s.from_ip = ev.from_ip;
  s.assigned_ip = ev.assigned_ip;
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
  events_.push_back(std::move(s));
  return uint32_t(events_.size() - 1);
}

void LoginStore::build(const std::vector<Instant>& file_start) {
  sessions_.clear();
  std::unordered_map<std::string, uint32_t> open;  // pairing key -> session
  std::unordered_map<std::string, std::vector<uint32_t>> open_on_host;
  auto key_of = [](const StoredLoginEvent& e) {
    LoginEvent v;
    v.session_key = e.session_key;
    v.service = e.service;
    v.user = e.user;
    v.tty = e.tty;
    v.from = e.from;
    return login_pairing_key(e.host, v);
  };
  auto fill = [](LoginSessionRec& s, const StoredLoginEvent& e) {
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
    if (!s.has_assigned_ip && e.has_assigned_ip) {
      s.has_assigned_ip = true;
      s.assigned_ip = e.assigned_ip;
    }
    if (!s.has_mac && e.has_mac) {
      s.has_mac = true;
      s.mac = e.mac;
    }
  };
  auto begin = [&](uint32_t id, Instant start) {
    LoginSessionRec s;
    fill(s, events_[id]);
    s.start = start;
    s.source = events_[id].source;
    s.events.push_back(id);
    sessions_.push_back(std::move(s));
    return uint32_t(sessions_.size() - 1);
  };
  auto file_start_of = [&](const StoredLoginEvent& e) {
    Instant t = e.ref.file < file_start.size() ? file_start[e.ref.file] : kNoTime;
    return (t == kNoTime || t > e.time) ? e.time : t;
  };
  auto close_open = [&](const std::string& key) {
    auto it = open.find(key);
    if (it == open.end()) return;
    uint32_t idx = it->second;
    open.erase(it);
    auto& list = open_on_host[login_host_key(sessions_[idx].host)];
    list.erase(std::remove(list.begin(), list.end(), idx), list.end());
  };
  for (uint32_t id = 0; id < events_.size(); ++id) {
    const StoredLoginEvent& e = events_[id];
    if (e.time == kNoTime) continue;
    std::string host = login_host_key(e.host);
    switch (e.action) {
      case LoginAction::failed:
        break;
      case LoginAction::login:
      case LoginAction::interim: {
        std::string key = key_of(e);
        auto it = open.find(key);
        if (it != open.end()) {
          LoginSessionRec& s = sessions_[it->second];
          if (e.user.empty() || s.user.empty() || iequals(s.user, e.user)) {
            s.events.push_back(id);
            fill(s, e);
            break;
          }
          if (e.action == LoginAction::login) {
            s.end = e.time;
            s.end_kind = LoginSessionRec::EndKind::reused;
            close_open(key);
          }
        }
        Instant start = e.time;
        bool from_file = false;
        if (e.action == LoginAction::interim) {
          // An update of a session whose start the log does not hold.
          if (e.start != kNoTime) {
            start = e.start;
          } else {
            start = file_start_of(e);
            from_file = true;
          }
        }
        uint32_t idx = begin(id, start);
        sessions_[idx].start_from_file = from_file;
        open[key] = idx;
        open_on_host[host].push_back(idx);
        break;
      }
      case LoginAction::logout: {
        std::string key = key_of(e);
        auto it = open.find(key);
        if (it != open.end()) {
          LoginSessionRec& s = sessions_[it->second];
          s.events.push_back(id);
          fill(s, e);
          s.end = std::max(e.time, s.start);
          s.end_kind = LoginSessionRec::EndKind::logout;
          close_open(key);
          break;
        }
        bool from_file = e.start == kNoTime;
        uint32_t idx = begin(id, from_file ? file_start_of(e) : e.start);
        sessions_[idx].start_from_file = from_file;
        sessions_[idx].end = e.time;
        sessions_[idx].end_kind = LoginSessionRec::EndKind::logout;
        break;
      }
      case LoginAction::session: {
        Instant start = e.start != kNoTime ? e.start : e.time;
        uint32_t idx = begin(id, start);
        LoginSessionRec& s = sessions_[idx];
        s.end_how = e.end_how;
        if (e.open_end) {
          s.end = kForever;
          s.end_kind = LoginSessionRec::EndKind::open;
        } else {
          s.end = std::max(e.time, start);
          s.end_kind = LoginSessionRec::EndKind::stated;
        }
        break;
      }
      case LoginAction::boot:
      case LoginAction::shutdown: {
        auto& list = open_on_host[host];
        for (uint32_t idx : list) {
          LoginSessionRec& s = sessions_[idx];
          s.end = std::max(e.time, s.start);
          s.end_kind = e.action == LoginAction::boot ? LoginSessionRec::EndKind::boot
                                                     : LoginSessionRec::EndKind::shutdown;
          s.events.push_back(id);
        }
        for (auto it = open.begin(); it != open.end();)
          if (std::find(list.begin(), list.end(), it->second) != list.end())
            it = open.erase(it);
          else
            ++it;
        list.clear();
        break;
      }
    }
  }
  for (auto& s : sessions_)
    if (s.end <= s.start && s.end != kForever) s.end = s.start + std::chrono::seconds(1);
  std::stable_sort(
      sessions_.begin(), sessions_.end(),
      [](const LoginSessionRec& a, const LoginSessionRec& b) { return a.start < b.start; });
}

bool login_session_matches(const LoginSessionRec& s, const LoginKey& key) {
  switch (key.kind) {
    case LoginKey::Kind::host:
      return login_host_key(s.host) == login_host_key(key.text);
    case LoginKey::Kind::ip:
      return (s.has_assigned_ip && s.assigned_ip == key.ip) ||
             (s.has_from_ip && s.from_ip == key.ip) ||
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
  for (const LoginSessionRec* s : sessions) {
    if (!(s->start <= hi && s->end > lo)) continue;
    auto it = std::find_if(a.candidates.begin(), a.candidates.end(),
                           [&](const auto& c) { return iequals(c.front()->user, s->user); });
    if (it == a.candidates.end()) {
      a.candidates.push_back({s});
    } else {
      it->push_back(s);
      if (distance(*s, t) < distance(*it->front(), t)) std::swap(it->front(), it->back());
    }
  }
  if (a.candidates.size() == 1) {
    a.kind = MatchKind::exact;
  } else if (a.candidates.size() > 1) {
    a.kind = MatchKind::ambiguous;
  } else {
    a.kind = no_candidate(coverage, t, skew, Micros(0), "", "", a.why);
  }
  return a;
}

}  // namespace tracekit

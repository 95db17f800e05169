#include "tracekit/login_hop.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>
#include <unordered_map>
#include <unordered_set>

#include "tracekit/hop.h"
#include "tracekit/text.h"

namespace tracekit {

namespace {

using json = nlohmann::ordered_json;

// Login records are sparse: hours without a login are no gap in the log.
constexpr Micros kNoSilence = std::chrono::hours(24 * 365 * 100);

std::string_view place_name(LoginPlace p) {
  switch (p) {
    case LoginPlace::local:
      return "local";
    case LoginPlace::remote:
      return "remote";
    case LoginPlace::unknown:
      return "";
  }
  return "";
}

}  // namespace

bool login_query_from_args(std::string_view key, bool user, Instant time, LoginQuery& out,
                           std::string& error) {
  out = LoginQuery{};
  LoginKey k;
  if (user) {
    if (key.empty()) {
      error = "--user: empty login name";
      return false;
    }
    k.kind = LoginKey::Kind::user;
    k.text = std::string(key);
  } else if (!parse_login_key(key, k, error)) {
    return false;
  }
  out.keys.push_back(k);
  out.time = time;
  out.row = Row::object();
  if (time != kNoTime)
    out.row["time"] = format_rfc3339(time, time.time_since_epoch().count() % 1000000 != 0);
  const char* field = user                            ? "user"
                      : k.kind == LoginKey::Kind::ip  ? "ip"
                      : k.kind == LoginKey::Kind::mac ? "mac"
                                                      : "host";
  out.row[field] = std::string(key);
  return true;
}

bool login_query_from_row(Row given, const std::string& key_field, const date::time_zone* zone,
                          LoginQuery& out, std::string& error) {
  out = LoginQuery{};
  out.row = std::move(given);
  const Row& row = out.row;
  out.skipped = earlier_hop_failed(row, "login");
  if (out.skipped) {
    // No lease for the address: a session that was assigned it (a VPN pool
    // address) may still say who had it. Only when the DHCP hop alone
    // failed; a NAT or URL hop that found nothing leaves no address to ask.
    std::string lease = get_text(row, "lease.match");
    if (!key_field.empty() || (lease != "none" && lease != "gap") ||
        earlier_hop_failed(row, "lease"))
      return true;
    for (const char* f : {"nat.ip", "url.client", "mail.client", "ip"}) {
      std::string text = get_text(row, f);
      LoginKey k;
      std::string ignored;
      if (text.empty() || !parse_login_key(text, k, ignored)) continue;
      if (k.kind != LoginKey::Kind::ip) break;
      std::string time_error;
      if (!row_time(row, zone, out.time, time_error)) break;
      out.keys.push_back(k);
      out.assigned_only = true;
      out.skipped = false;
      break;
    }
    return true;
  }
  std::vector<std::string> fields;
  if (!key_field.empty()) {
    fields.push_back(key_field);
  } else {
    for (const char* f : {"lease.host", "lease.mac", "lease.ip"})
      if (get_field(row, f)) fields.push_back(f);
    if (fields.empty())
      for (const char* f : {"host", "mac", "ip"})
        if (get_field(row, f)) fields.push_back(f);
    for (const char* f : {"url.client", "mail.client"})
      if (fields.empty() && !get_text(row, f).empty()) fields.push_back(f);
  }
  if (fields.empty()) {
    error = "no host, mac or ip field to look up (name one with --key)";
    return false;
  }
  for (const auto& f : fields) {
    LoginKey k;
    std::string text = get_text(row, f);
    if (text.empty()) continue;
    if (f == "user" || f.ends_with(".user")) {
      k.kind = LoginKey::Kind::user;
      k.text = text;
    } else if (!parse_login_key(text, k, error)) {
      error = fmt::format("field {}: {}", f, error);
      return false;
    }
    // (A name from the address register is the site's, not a client's.)
    k.from_lease = f == "lease.host" && k.kind == LoginKey::Kind::host &&
                   get_text(row, "lease.server") != "register";
    out.keys.push_back(k);
  }
  if (out.keys.empty()) {
    error = fmt::format("field {} is empty", fields.front());
    return false;
  }
  return row_time(row, zone, out.time, error);
}

LoginHop::LoginHop(ToolRun& run, LoginHopSettings settings)
    : run_(run),
      settings_(std::move(settings)),
      scanner_(run.diag, ScanSettings{run.zone, kNoSilence, {}}) {}

bool LoginHop::load(const std::vector<LoginKey>& keys, std::vector<Span> windows) {
  // Widened by every source's skew: a session just outside a window may
  // still match once the skew is added.
  Micros skew = widen_skew(run_.skew, run_.sources, [&] {
    std::vector<uint32_t> all(run_.sources.size());
    for (uint32_t s = 0; s < all.size(); ++s) all[s] = s;
    return all;
  }());
  for (auto& w : windows) {
    if (w.from != kNoTime) w.from -= skew;
    if (w.to != kNoTime && w.to != kForever) w.to += skew;
  }
  store_.set_windows(std::move(windows));
  std::unordered_set<std::string> hosts, users;
  std::unordered_set<IpAddr, IpHash> ips;
  std::unordered_set<MacAddr, MacHash> macs;
  for (const auto& k : keys) {
    switch (k.kind) {
      case LoginKey::Kind::host:
        hosts.insert(login_host_key(k.text));
        break;
      case LoginKey::Kind::ip:
        ips.insert(k.ip);
        hosts.insert(to_string(k.ip));  // a host may be named by its address
        break;
      case LoginKey::Kind::mac:
        macs.insert(k.mac);
        break;
      case LoginKey::Kind::user: {
        std::string u = k.text;
        ascii_lower_in_place(u);
        users.insert(u);
        break;
      }
    }
  }
  // The sessions of matching events are followed to their ends: their
  // pairing keys, and their hosts' boots and shutdowns.
  std::unordered_set<std::string> sessions, session_hosts;
  std::string user_lower;
  // A RADIUS Start often lacks the address the NAS learns later (the
  // Framed-IP-Address comes with the Interim-Update or the Stop), and a VPN
  // server logs the peer before the addresses it gives it, one record each
  // (login_address_comes_later): looked up by one address, the session would
  // lose the records before it, and its start and the addresses shown would
  // depend on whether another query of the batch named one of them. The
  // records of a session that match nothing yet are held (logins and interim
  // updates; past kMaxHeldPerSession the first and the latest) until a later
  // record of the session matches (they go in first, in their order), or its
  // end or its host's restart comes.
  struct Held {
    LoginEvent ev;
    std::array<std::string, 10> text;
    uint32_t file_id = 0, source = 0;
    Instant file_start = kNoTime;
    std::string host;
  };
  // (A deque: a Held's views point into its own strings, so it never moves.)
  std::unordered_map<std::string, std::deque<Held>> held;
  constexpr size_t kMaxHeld = 100000, kMaxHeldPerSession = 16;
  auto hold = [&](std::string key, const LoginEvent& ev, uint32_t file_id, uint32_t source,
                  std::string_view host, Instant file_start) {
    auto it = held.find(key);
    if (it == held.end()) {
      if (held.size() >= kMaxHeld) return;
      it = held.try_emplace(std::move(key)).first;
    }
    // Past the limit the session keeps its first record (its start) and its
    // latest ones.
    if (it->second.size() >= kMaxHeldPerSession) it->second.erase(it->second.begin() + 1);
    Held& h = it->second.emplace_back();
    h.ev = ev;
    std::string_view* views[] = {&h.ev.user,    &h.ev.domain,     &h.ev.host,   &h.ev.from,
                                 &h.ev.service, &h.ev.tty,        &h.ev.method, &h.ev.end_how,
                                 &h.ev.raw,     &h.ev.session_key};
    for (size_t k = 0; k < h.text.size(); ++k) {
      h.text[k].assign(*views[k]);
      *views[k] = h.text[k];
    }
    h.file_id = file_id;
    h.source = source;
    h.file_start = file_start;
    h.host.assign(host);
  };
  scanner_ = Scanner(run_.diag, ScanSettings{run_.zone, kNoSilence, {}});
  EventSink<LoginEvent> keep = [&](const LoginEvent& ev, const ScanFile& f, uint32_t file_id,
                                   const Line&) {
    const SourceSpec& src = run_.sources[f.source];
    std::string_view host = !ev.host.empty()          ? ev.host
                            : !settings_.host.empty() ? std::string_view(settings_.host)
                                                      : std::string_view(src.host);
    std::string hk = login_host_key(host);
    bool direct = (!host.empty() && hosts.count(hk)) || (ev.has_from_ip && ips.count(ev.from_ip)) ||
                  (ev.has_assigned_ip && ips.count(ev.assigned_ip)) ||
                  (ev.has_assigned_ip2 && ips.count(ev.assigned_ip2)) ||
                  (ev.has_mac && macs.count(ev.mac));
    if (!direct && !users.empty() && !ev.user.empty()) {
      user_lower.assign(ev.user);
      ascii_lower_in_place(user_lower);
      direct = users.count(user_lower) > 0;
    }
    bool boot = ev.action == LoginAction::boot || ev.action == LoginAction::shutdown;
    if (boot && !held.empty()) {
      // The host went down: the sessions whose records are held ended (a
      // session key used again after it is another session's).
      std::erase_if(held, [&](const auto& h) { return login_pairing_key_on(h.first, hk); });
    }
    if (direct) {
      if (!boot) {
        std::string key = login_pairing_key(host, ev);
        if (auto h = held.find(key); h != held.end()) {
          // Its records held until now: in first.
          for (const Held& st : h->second)
            store_.add(st.ev, st.file_id, st.source, st.host, st.file_start);
          held.erase(h);
        }
        sessions.insert(std::move(key));
      }
      session_hosts.insert(hk);
    } else if (boot) {
      if (!session_hosts.count(hk)) {
        store_.note_down(ev, file_id, f.source, host);
        return;
      }
    } else {
      // The pairing key, made once: for the sessions kept and for the held Starts.
      bool later = !ips.empty() && !ev.session_key.empty() && login_address_comes_later(ev);
      std::string key = !sessions.empty() || later ? login_pairing_key(host, ev) : std::string();
      if (sessions.empty() || !sessions.count(key)) {
        if (later) {
          // (At most kMaxHeld sessions: those whose end was lost must not
          // grow without bound; past it a session only loses the evidence of
          // its first records: a RADIUS start still comes from its
          // Acct-Session-Time, a VPN's from the record naming the address,
          // moments later.)
          if (ev.action == LoginAction::login || ev.action == LoginAction::interim)
            hold(std::move(key), ev, file_id, f.source, host, f.first_time);
          else if (ev.action == LoginAction::logout)
            held.erase(key);
        }
        return;
      }
    }
    store_.add(ev, file_id, f.source, host, f.first_time);
  };
  for (uint32_t s = 0; s < run_.sources.size(); ++s)
    if (!scanner_.scan<LoginEvent>(run_.sources[s], s, keep)) return false;
  std::vector<Instant> file_start;
  for (const auto& f : scanner_.files()) file_start.push_back(f.first_time);
  store_.build(file_start, later_readings(scanner_.files()));
  login_sources_ = sources_read(scanner_.files());
  coverage_ = build_coverage(scanner_.files(), login_sources_, kNoSilence);
  // Host names that came from DHCP leases and name sessions here: whether
  // another client claimed the name too (read only when there is a session
  // the name would be trusted for).
  std::unordered_set<std::string> named;
  for (const auto& k : keys)
    if (k.from_lease) named.insert(login_host_key(k.text));
  std::vector<std::string> claimed;
  for (const auto& s : store_.sessions()) {
    auto it = named.find(login_host_key(s.host));
    if (it == named.end()) continue;
    claimed.push_back(*it);
    named.erase(it);
  }
  if (!claimed.empty()) {
    claims_ = std::make_unique<HostClaims>(run_);
    claims_->load(claimed);
  }
  return true;
}

std::vector<const LoginSessionRec*> LoginHop::find(const LoginQuery& q) const {
  std::vector<const LoginSessionRec*> out;
  for (const auto& s : store_.sessions())
    for (const auto& k : q.keys)
      if (login_session_matches(s, k)) {
        out.push_back(&s);
        break;
      }
  return out;
}

Row LoginHop::row_for(const LoginQuery& q, MatchKind kind,
                      const std::vector<const LoginSessionRec*>* c, Instant t,
                      const std::string& extra_note) const {
  Row row = answer_base(q);
  json hop = object_with_room(16);
  append_field(hop, "match", std::string(match_name(kind)));
  std::vector<std::string> notes;
  const LoginSessionRec* s = c ? c->front() : nullptr;
  if (!s) {
    for (const char* f :
         {"user", "host", "from", "service", "start", "end", "evidence", "place", "tty"})
      append_field(hop, f, "");
  } else {
    const auto& files = scanner_.files();
    append_field(hop, "user",
                 s->domain.empty() ? s->user : fmt::format("{}\\{}", s->domain, s->user));
    append_field(hop, "host", s->host.empty() ? run_.sources[s->source].name : s->host);
    std::string from = s->from;
    if (!s->assigned.empty()) {
      std::string given;
      for (const IpAddr& ip : s->assigned) given += (given.empty() ? "" : ", ") + to_string(ip);
      from = from.empty() ? given : fmt::format("{} (assigned {})", from, given);
    }
    if (s->has_mac) from += (from.empty() ? "" : " ") + fmt::format("mac {}", to_string(s->mac));
    append_field(hop, "from", from);
    append_field(hop, "service", s->service);
    bool frac = false;
    std::vector<TimeNoteRef> refs;
    json evidence = json::array();
    for (uint32_t id : s->events) {
      const StoredLoginEvent& e = store_.event(id);
      frac |= (e.time_flags & kHasFraction) != 0;
      refs.push_back({e.ref, e.time_flags});
      evidence.push_back(evidence_item(files, e.ref, e.raw));
    }
    append_field(hop, "start", format_rfc3339(s->start, frac));
    append_field(hop, "end", s->end == kForever ? "" : format_rfc3339(s->end, frac));
    append_field(hop, "evidence", std::move(evidence));
    append_field(hop, "place", std::string(place_name(s->place)));
    append_field(hop, "tty", s->tty);
    switch (s->end_kind) {
      case LoginSessionRec::EndKind::open:
        if (s->end_how == "gone - no logout")
          // (last's words when the session's process had gone by the
          // time it ran, with no logout recorded: ended, no one knows when.)
          notes.push_back(
              "end unknown: last says 'gone - no logout' (no logout recorded, and the session "
              "had ended when last ran); it may have ended before the time asked");
        else
          notes.push_back(
              "open-ended: no logout, shutdown or reboot in the records after the login");
        break;
      case LoginSessionRec::EndKind::logout:
        break;
      case LoginSessionRec::EndKind::stated:
        if (!s->end_how.empty()) notes.push_back(fmt::format("ended: {}", s->end_how));
        break;
      default:
        notes.push_back(fmt::format("ended: {}", login_end_kind_name(s->end_kind)));
    }
    if (s->start_from_file)
      notes.push_back(
          "no login record: the session began before its log, at the latest at the file's first "
          "line");
    if (s->start_after_down != LoginSessionRec::kNoEvent) {
      const StoredLoginEvent& d = store_.event(s->start_after_down);
      notes.push_back(fmt::format(
          "no login record: the session began after the host's {} at {}, which ended every "
          "session before it, and before its logout",
          d.action == LoginAction::shutdown ? "shutdown" : "boot", format_rfc3339(d.time)));
    }
    if (s->logon_type >= 0) notes.push_back(fmt::format("Windows logon type {}", s->logon_type));
    if (c->size() > 1)
      notes.push_back(fmt::format(
          "{} sessions of this user in the window; the one nearest the time asked is shown",
          c->size()));
    // (Unless the other reading of a DST-ambiguous start or end meets it:
    // the answer's caveat says so.)
    if (t != kNoTime && !FoldedSpan{s->start, s->start_alt, s->end, s->end_alt}.meets_in_some(t, t))
      notes.push_back("the session meets the skew window but not the time asked itself");
    add_time_notes(refs, files, notes);
  }
  if (!extra_note.empty()) notes.push_back(extra_note);
  append_field(hop, "note", join_notes(notes));
  row["login"] = std::move(hop);
  return row;
}

namespace {
// "WS-LAB1-07.example.org" -> "ws-lab1-07", as login records name hosts.
std::string short_lower(std::string_view h) {
  std::string s(h.substr(0, h.find('.')));
  ascii_lower_in_place(s);
  return s;
}
}  // namespace

std::vector<Row> LoginHop::answer(const LoginQuery& q) const {
  if (q.skipped) {
    Row row = answer_base(q);
    row["login"] = json{{"match", "skipped"}};
    return one_row(std::move(row));
  }
  if (q.assigned_only) return answer_assigned(q);
  // Whose records could have shown a session: the host's own sources when it
  // has some (another machine's wtmp cannot vouch for this one), else the
  // site-wide ones (RADIUS, a domain controller).
  std::vector<uint32_t> own, shared;
  for (uint32_t s : login_sources_) {
    const std::string& h = run_.sources[s].host.empty() ? settings_.host : run_.sources[s].host;
    if (h.empty()) {
      shared.push_back(s);
      continue;
    }
    for (const auto& k : q.keys)
      if (k.kind == LoginKey::Kind::host && short_lower(k.text) == short_lower(h)) {
        own.push_back(s);
        break;
      }
  }
  const std::vector<uint32_t>& relevant = own.empty() ? shared : own;
  const Coverage* coverage;
  {
    // (A map's entries stay where they are as others are added.)
    std::lock_guard<std::mutex> lock(coverage_mu_);
    auto cached = coverage_by_sources_.find(relevant);
    if (cached == coverage_by_sources_.end())
      cached = coverage_by_sources_
                   .emplace(relevant, build_coverage(scanner_.files(), relevant, kNoSilence))
                   .first;
    coverage = &cached->second;
  }
  Micros skew = widen_skew(run_.skew, run_.sources, login_sources_);
  LoginAnswer a = match_logins(find(q), q.time, skew, *coverage);
  std::string note;
  if (relevant.empty() && a.candidates.empty()) {
    std::string hosts;
    for (const auto& k : q.keys)
      if (k.kind == LoginKey::Kind::host) hosts += (hosts.empty() ? "" : ", ") + k.text;
    a.kind = MatchKind::gap;
    a.why = hosts.empty() ? "no site-wide login source (such as RADIUS) was read"
                          : fmt::format(
                                "no login records of {} were read (no source names it as "
                                "its host) and no site-wide login source (such as RADIUS)",
                                hosts);
  }
  if (skew.count() > 0)
    note = fmt::format("matched within ±{} of the time asked", format_duration(skew));
  if (a.kind == MatchKind::ambiguous)
    note = fmt::format("{} users within the window{}{}", a.candidates.size(),
                       note.empty() ? "" : "; ", note);
  if (a.kind == MatchKind::gap) note = a.why + (note.empty() ? "" : "; " + note);
  if (!a.caveat.empty()) note = a.caveat + (note.empty() ? "" : "; " + note);
  if (a.candidates.empty() && own.empty() && !relevant.empty()) {
    for (const auto& k : q.keys)
      if (k.kind == LoginKey::Kind::host) {
        note = fmt::format(
            "{} has no login records of its own (no source names it as its host): "
            "only the site-wide sources were asked{}{}",
            k.text, note.empty() ? "" : "; ", note);
        break;
      }
  }
  bool doubt = false;
  if (std::string why = name_in_doubt(q, a, doubt); !why.empty()) {
    if (doubt && a.kind == MatchKind::exact) a.kind = MatchKind::ambiguous;
    note = why + (note.empty() ? "" : "; " + note);
  }
  if (a.candidates.empty()) return one_row(row_for(q, a.kind, nullptr, q.time, note));
  std::vector<Row> rows;
  for (const auto& c : a.candidates) rows.push_back(row_for(q, a.kind, &c, q.time, note));
  return rows;
}

std::string LoginHop::name_in_doubt(const LoginQuery& q, const LoginAnswer& a, bool& doubt) const {
  if (!claims_ || q.time == kNoTime) return {};
  const LoginKey* name = nullptr;
  for (const auto& k : q.keys)
    if (k.from_lease) name = &k;
  if (!name) return {};
  // Only a candidate found by the name alone is in doubt: one found by the
  // lease's MAC or address is that client's, whatever it called itself.
  bool by_name = false;
  for (const auto& c : a.candidates)
    for (const LoginSessionRec* s : c) {
      if (!login_session_matches(*s, *name)) continue;
      bool by_client = false;
      for (const auto& k : q.keys)
        if (&k != name && k.kind != LoginKey::Kind::host && login_session_matches(*s, k))
          by_client = true;
      by_name |= !by_client;
    }
  if (!by_name) return {};
  MacAddr mac;
  IpAddr ip;
  bool has_mac = parse_mac(get_text(q.row, "lease.mac"), mac);
  bool has_ip = parse_ip(get_text(q.row, "lease.ip"), ip);
  Micros skew = widen_skew(run_.skew, run_.sources, login_sources_) + claims_->skew();
  Claimants others = claims_->others(name->text, has_mac ? &mac : nullptr, has_ip ? &ip : nullptr,
                                     q.time - skew, q.time + skew);
  doubt = !others.empty();
  std::string why = doubt ? claims_->describe(name->text, others) : std::string();
  if (!claims_->read_any())  // (said, but no doubt of its own: nothing says another claimed it)
    why += fmt::format(
        "{}the host name {} comes from a DHCP lease and no DHCP source was read to check that no "
        "other client claimed it at the time",
        why.empty() ? "" : "; ", name->text);
  return why;
}

std::vector<Row> LoginHop::answer_assigned(const LoginQuery& q) const {
  // Only sessions that were given the address count (a VPN pool address, a
  // RADIUS Framed-IP-Address), not sessions from it or on a host named by
  // it: those say who used a machine, not who held the address.
  std::vector<const LoginSessionRec*> found;
  for (const auto& s : store_.sessions())
    for (const auto& k : q.keys)
      if (k.kind == LoginKey::Kind::ip && s.assigned_to(k.ip)) {
        found.push_back(&s);
        break;
      }
  Micros skew = widen_skew(run_.skew, run_.sources, login_sources_);
  LoginAnswer a = match_logins(found, q.time, skew, coverage_);
  if (a.kind != MatchKind::exact && a.kind != MatchKind::ambiguous) {
    Row row = answer_base(q);
    row["login"] = json{{"match", "skipped"}};
    return one_row(std::move(row));
  }
  std::string note = fmt::format(
      "no DHCP lease for {}: the address was assigned to this session (a VPN or RADIUS "
      "session's address)",
      to_string(q.keys.front().ip));
  if (get_text(q.row, "lease.match") == "gap")
    note +=
        "; but the DHCP logs do not cover the time: a lease of the same address to another "
        "client is not ruled out";
  if (skew.count() > 0)
    note += fmt::format("; matched within ±{} of the time asked", format_duration(skew));
  if (a.kind == MatchKind::ambiguous)
    note = fmt::format("{} users within the window; {}", a.candidates.size(), note);
  std::vector<Row> rows;
  for (const auto& c : a.candidates) rows.push_back(row_for(q, a.kind, &c, q.time, note));
  return rows;
}

std::vector<Row> LoginHop::sessions(const LoginQuery& q, Instant from, Instant to) const {
  std::vector<Row> rows;
  for (const LoginSessionRec* s : find(q)) {
    if (from != kNoTime && s->end <= from) continue;
    if (to != kNoTime && s->start >= to) continue;
    std::vector<const LoginSessionRec*> one{s};
    rows.push_back(row_for(q, MatchKind::exact, &one, kNoTime, ""));
  }
  if (rows.empty()) {
    bool nothing = coverage_.spans.empty();
    rows.push_back(row_for(q, nothing ? MatchKind::gap : MatchKind::none, nullptr, kNoTime,
                           nothing ? "no login record was read" : ""));
  }
  return rows;
}

std::vector<Row> LoginHop::failures(const LoginQuery& q, Instant from, Instant to) const {
  std::vector<Row> rows;
  std::vector<uint32_t> ids;
  for (const auto& k : q.keys)
    for (uint32_t id : store_.failures(k))
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  for (uint32_t id : ids) {
    const StoredLoginEvent& e = store_.event(id);
    if (from != kNoTime && e.time < from) continue;
    if (to != kNoTime && e.time >= to) continue;
    Row row = answer_base(q);
    json hop = object_with_room(16);
    append_field(hop, "match", "failed");
    append_field(hop, "user", e.domain.empty() ? e.user : fmt::format("{}\\{}", e.domain, e.user));
    append_field(hop, "host", e.host);
    append_field(hop, "from", e.from);
    append_field(hop, "service", e.service);
    append_field(hop, "start", format_rfc3339(e.time, e.time_flags & kHasFraction));
    append_field(hop, "end", "");
    append_field(hop, "evidence", json::array({evidence_item(scanner_.files(), e.ref, e.raw)}));
    append_field(hop, "place", std::string(place_name(e.place)));
    append_field(hop, "tty", e.tty);
    std::vector<std::string> notes;
    if (!e.method.empty()) notes.push_back(fmt::format("method {}", e.method));
    std::vector<TimeNoteRef> refs{{e.ref, e.time_flags}};
    add_time_notes(refs, scanner_.files(), notes);
    append_field(hop, "note", join_notes(notes));
    row["login"] = std::move(hop);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace tracekit

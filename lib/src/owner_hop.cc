#include "tracekit/owner_hop.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "tracekit/hop.h"
#include "tracekit/lease.h"
#include "tracekit/text.h"

namespace tracekit {

namespace {

using json = nlohmann::ordered_json;

std::string prefix_text(const OwnerEntry& e) {
  return prefix_to_string(e.ip, e.prefix_len);
}

bool valid_at(const OwnerEntry& e, Instant t) {
  return !e.dated || (e.valid_from <= t && t < e.valid_to);
}

std::string validity(const OwnerEntry& e) {
  std::string from = e.valid_from == kNoTime ? "" : format_rfc3339(e.valid_from);
  std::string to = e.valid_to == kForever ? "" : format_rfc3339(e.valid_to);
  if (!from.empty() && !to.empty()) return fmt::format("valid {} to {}", from, to);
  if (!from.empty()) return fmt::format("valid from {}", from);
  return fmt::format("valid until {}", to);
}

// A name as people compare them: "Doe, Jane" and "jane  doe" are one name.
std::string comparable_name(std::string_view n) {
  std::string_view first = n, last;
  if (size_t comma = n.find(','); comma != std::string_view::npos) {
    last = trim(n.substr(0, comma));
    first = trim(n.substr(comma + 1));
  }
  std::string out;
  for (std::string_view part : {first, last}) {
    for (char c : part) {
      if (c == ' ' || c == '\t') {
        if (!out.empty() && out.back() != ' ') out += ' ';
        continue;
      }
      out += ascii_lower(c);
    }
    if (!out.empty() && out.back() != ' ') out += ' ';
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Two entries describe the same person when nothing both give differs: the
// login, the name (as comparable_name sees it), the e-mail address (any case),
// and the id when both come from the same source (ids of different sources,
// a uid and an employee number, are different numberings).
bool agree(const OwnerEntry& a, const OwnerEntry& b) {
  auto same = [](const std::string& x, const std::string& y) {
    return x.empty() || y.empty() || x == y;
  };
  return same(a.user, b.user) &&
         (a.name.empty() || b.name.empty() || comparable_name(a.name) == comparable_name(b.name)) &&
         (a.source != b.source || same(a.id, b.id)) &&
         (a.email.empty() || b.email.empty() || iequals(a.email, b.email));
}

const std::string& first_of(const std::vector<const OwnerEntry*>& g,
                            std::string OwnerEntry::*field) {
  for (const OwnerEntry* e : g)
    if (!(e->*field).empty()) return e->*field;
  return g.front()->*field;
}

}  // namespace

bool parse_owner_key(std::string_view text, OwnerKey& out, std::string& error) {
  out = OwnerKey{};
  if (text.empty()) {
    error = "empty key (expected a login name, an IP address or a MAC address)";
    return false;
  }
  if (parse_ip(text, out.ip)) {
    out.kind = OwnerKeyKind::ip;
    return true;
  }
  if (parse_mac(text, out.mac)) {
    out.kind = OwnerKeyKind::mac;
    return true;
  }
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      error = fmt::format(
          "'{}' is neither a login name (no spaces or control characters), an IP address nor a "
          "MAC address",
          text);
      return false;
    }
  out.kind = OwnerKeyKind::login;
  out.login = std::string(text);
  return true;
}

std::string normalise_login(std::string_view login, const DirectorySettings& s) {
  if (s.strip_domain) {
    size_t bs = login.rfind('\\');
    if (bs != std::string_view::npos) login.remove_prefix(bs + 1);
  }
  if (s.strip_realm) {
    size_t at = login.rfind('@');
    if (at != std::string_view::npos && at > 0) login = login.substr(0, at);
  }
  std::string out(login);
  if (s.fold_case) ascii_lower_in_place(out);
  return out;
}

bool owner_query_from_args(std::string_view key, Instant time, OwnerQuery& out,
                           std::string& error) {
  OwnerKey k;
  if (!parse_owner_key(key, k, error)) return false;
  k.field = k.kind == OwnerKeyKind::login ? "user" : k.kind == OwnerKeyKind::ip ? "ip" : "mac";
  out = OwnerQuery{};
  out.time = time;
  out.row = Row::object();
  if (time != kNoTime)
    out.row["time"] = format_rfc3339(time, time.time_since_epoch().count() % 1000000 != 0);
  out.row[k.field] = std::string(key);
  out.keys.push_back(std::move(k));
  return true;
}

bool owner_query_from_row(Row given, const std::string& key_field, const date::time_zone* zone,
                          OwnerQuery& out, std::string& error) {
  out = OwnerQuery{};
  out.row = std::move(given);
  const Row& row = out.row;
  out.skipped = earlier_hop_failed(row, "owner");
  if (out.skipped) return true;
  std::vector<std::string> fields;
  if (!key_field.empty()) {
    fields.push_back(key_field);
  } else if (get_field(row, "login.user")) {
    fields.push_back("login.user");
  } else if (!get_text(row, "url.user").empty()) {
    fields.push_back("url.user");  // a proxy's authenticated user
  } else if (!get_text(row, "mail.user").empty()) {
    fields.push_back("mail.user");  // a mail server's authenticated user
  } else if (get_field(row, "user")) {
    fields.push_back("user");
  } else {
    for (const char* f : {"lease.mac", "lease.ip"})
      if (get_field(row, f)) fields.push_back(f);
    if (fields.empty())
      for (const char* f : {"mac", "ip", "url.client", "mail.client"})
        if (get_field(row, f)) fields.push_back(f);
  }
  if (fields.empty()) {
    error =
        "no login.user, user, lease.mac, lease.ip, mac or ip field to look up (name one "
        "with --key)";
    return false;
  }
  for (const auto& f : fields) {
    OwnerKey k;
    if (!parse_owner_key(get_text(row, f), k, error)) {
      error = fmt::format("field {}: {}", f, error);
      return false;
    }
    k.field = f;
    out.keys.push_back(std::move(k));
  }
  std::string t = get_text(row, "time");
  if (!t.empty() && !parse_query_time(t, zone, out.time, error)) {
    error = fmt::format("field time: {}", error);
    return false;
  }
  return true;
}

OwnerHop::OwnerHop(ToolRun& run, std::vector<SourceSpec> directories, OwnerHopSettings settings)
    : run_(run),
      directories_(std::move(directories)),
      settings_(std::move(settings)),
      scanner_(run.diag, ScanSettings{run.zone, run.max_silence, {}}) {}

bool OwnerHop::load(const std::vector<OwnerQuery>& queries) {
  // The normalised logins asked about, per source (each has its own rules).
  std::vector<std::unordered_set<std::string>> users(directories_.size());
  std::vector<IpAddr> ips;
  std::unordered_set<MacAddr, MacHash> macs;
  for (const auto& q : queries) {
    if (q.skipped) continue;
    for (const auto& k : q.keys) {
      switch (k.kind) {
        case OwnerKeyKind::login:
          for (size_t s = 0; s < directories_.size(); ++s)
            users[s].insert(normalise_login(k.login, directories_[s].directory));
          break;
        case OwnerKeyKind::ip:
          ips.push_back(k.ip);
          break;
        case OwnerKeyKind::mac:
          macs.insert(k.mac);
          break;
      }
    }
  }
  for (uint32_t s = 0; s < directories_.size(); ++s) {
    const DirectorySettings& rules = directories_[s].directory;
    EventSink<OwnerEvent> keep = [&](const OwnerEvent& ev, const ScanFile&, uint32_t file_id,
                                     const Line& line) {
      ++records_read_;
      std::string user = normalise_login(ev.login, rules);
      bool wanted = false;
      switch (ev.kind) {
        case OwnerKeyKind::login:
          wanted = users[s].count(user) > 0;
          break;
        case OwnerKeyKind::ip:
          for (const auto& ip : ips) wanted |= prefix_contains(ev.ip, ev.prefix_len, ip);
          break;
        case OwnerKeyKind::mac:
          wanted = macs.count(ev.mac) > 0;
          break;
      }
      if (!wanted) return;
      OwnerEntry e;
      e.kind = ev.kind;
      e.login = std::string(ev.login);
      e.user = std::move(user);
      e.ip = ev.ip;
      e.prefix_len = ev.kind == OwnerKeyKind::ip ? ev.prefix_len : 128;
      e.mac = ev.mac;
      e.name = std::string(ev.name);
      e.email = std::string(ev.email);
      e.id = std::string(ev.id);
      e.unit = std::string(ev.unit);
      e.host = std::string(ev.host);
      e.valid_from = ev.valid_from;
      e.valid_to = ev.valid_to;
      e.dated = ev.dated;
      e.time_flags = ev.time_flags;
      for (const auto& [k, v] : ev.extra) e.extra.emplace_back(std::string(k), std::string(v));
      e.source = s;
      e.ref = EvidenceRef{file_id, ev.first_line ? ev.first_line : line.number,
                          ev.first_line ? ev.first_offset : line.offset};
      e.raw = std::string(ev.raw.empty() ? line.text : ev.raw);
      entries_.push_back(std::move(e));
    };
    if (!scanner_.scan<OwnerEvent>(directories_[s], s, keep)) return false;
  }
  // Named as a directory but read as another family's log: an error here.
  for (const auto& path : scanner_.passed_over())
    run_.diag.error(fmt::format(
        "{}: not a directory that tracekit recognises; name its format with --directory "
        "FORMAT:PATH",
        path));
  return true;
}

std::vector<const OwnerEntry*> OwnerHop::candidates(const OwnerKey& key) const {
  std::vector<const OwnerEntry*> out;
  for (const auto& e : entries_) {
    if (e.kind != key.kind) continue;
    switch (key.kind) {
      case OwnerKeyKind::login:
        if (e.user == normalise_login(key.login, directories_[e.source].directory))
          out.push_back(&e);
        break;
      case OwnerKeyKind::ip:
        if (prefix_contains(e.ip, e.prefix_len, key.ip)) out.push_back(&e);
        break;
      case OwnerKeyKind::mac:
        if (e.mac == key.mac) out.push_back(&e);
        break;
    }
  }
  return out;
}

bool OwnerHop::wants(std::string_view field) const {
  for (const auto& f : settings_.fields)
    if (f == "all" || iequals(f, field)) return true;
  return false;
}

Row OwnerHop::row_for(const OwnerQuery& q, MatchKind kind,
                      const std::vector<const OwnerEntry*>& group,
                      const std::vector<std::string>& notes) const {
  Row row = answer_base(q);
  json hop = json::object();
  hop["match"] = std::string(match_name(kind));
  bool all = wants("all");
  auto put = [&](const char* field, std::string value) { hop[field] = std::move(value); };
  if (group.empty()) {
    for (const char* f : {"user", "name"}) put(f, "");
    if (wants("email")) put("email", "");
    for (const char* f : {"id", "unit"}) put(f, "");
    for (const char* f : {"host", "valid_from", "valid_to", "source"})
      if (wants(f)) put(f, "");
    for (const auto& f : settings_.fields)
      if (f != "all" && f != "raw" && !hop.contains(f)) put(f.c_str(), "");
    put("evidence", "");
  } else {
    put("user", first_of(group, &OwnerEntry::user));
    put("name", first_of(group, &OwnerEntry::name));
    if (wants("email")) put("email", first_of(group, &OwnerEntry::email));
    put("id", first_of(group, &OwnerEntry::id));
    put("unit", first_of(group, &OwnerEntry::unit));
    if (wants("host")) put("host", first_of(group, &OwnerEntry::host));
    const OwnerEntry* dated = nullptr;
    for (const OwnerEntry* e : group)
      if (e->dated && !dated) dated = e;
    if (wants("valid_from"))
      put("valid_from",
          dated && dated->valid_from != kNoTime ? format_rfc3339(dated->valid_from) : "");
    if (wants("valid_to"))
      put("valid_to", dated && dated->valid_to != kForever ? format_rfc3339(dated->valid_to) : "");
    if (wants("source")) put("source", directories_[group.front()->source].name);
    // Carried-through columns: those asked for by name, or every one with
    // "all". A column named like an owner field comes as extra_NAME.
    for (const OwnerEntry* e : group)
      for (const auto& [k, v] : e->extra) {
        std::string name = k;
        for (std::string_view fixed : {"match", "user", "name", "email", "id", "unit", "host",
                                       "valid_from", "valid_to", "source", "evidence", "note"})
          if (iequals(k, fixed)) name = "extra_" + k;
        if (!all && !wants(name)) continue;
        for (const auto& f : settings_.fields)
          if (iequals(f, name)) name = f;
        if (!hop.contains(name) || hop[name].get_ref<const std::string&>().empty()) hop[name] = v;
      }
    for (const auto& f : settings_.fields)
      if (f != "all" && f != "raw" && !hop.contains(f)) put(f.c_str(), "");
    // The raw entry holds every column (e-mail, phone, ...): quoted only when
    // all fields, or "raw", are asked for; file, line and offset find it.
    bool raw = all || wants("raw");
    json evidence = json::array();
    for (const OwnerEntry* e : group)
      evidence.push_back(json{{"file", scanner_.files()[e->ref.file].info.path},
                              {"line", e->ref.line},
                              {"offset", e->ref.offset},
                              {"raw", raw ? e->raw : std::string()}});
    hop["evidence"] = std::move(evidence);
  }
  hop["note"] = fmt::format("{}", fmt::join(notes, "; "));
  row["owner"] = std::move(hop);
  return row;
}

std::vector<Row> OwnerHop::answer(const OwnerQuery& q) const {
  if (q.skipped) {
    Row row = answer_base(q);
    row["owner"] = json{{"match", "skipped"}};
    return one_row(std::move(row));
  }
  std::vector<std::string> notes;
  auto key_text = [](const OwnerKey& k) {
    return k.kind == OwnerKeyKind::login ? k.login
           : k.kind == OwnerKeyKind::ip  ? to_string(k.ip)
                                         : to_string(k.mac);
  };
  // The entries that answer for the time asked: dated ones valid then, and
  // undated ones (valid at any time, as far as the directory says). The
  // first key with such entries answers.
  std::vector<const OwnerEntry*> chosen;
  const OwnerKey* key = nullptr;
  const OwnerKey* known = nullptr;  // the first key with entries at all
  std::vector<const OwnerEntry*> known_entries;
  for (const auto& k : q.keys) {
    std::vector<const OwnerEntry*> found = candidates(k);
    if (found.empty()) continue;
    if (!known) {
      known = &k;
      known_entries = found;
    }
    for (const OwnerEntry* e : found)
      if (q.time == kNoTime || valid_at(*e, q.time)) chosen.push_back(e);
    if (!chosen.empty()) {
      key = &k;
      break;
    }
  }
  if (!key) {
    if (known) {
      std::vector<std::string> spans;
      for (const OwnerEntry* e : known_entries)
        spans.push_back(fmt::format("{} {}", e->name.empty() ? e->user : e->name, validity(*e)));
      notes.push_back(fmt::format("no entry valid at {}: {}{}", format_rfc3339(q.time),
                                  q.keys.size() > 1 ? known->field + " " : "",
                                  fmt::join(spans, ", ")));
      return one_row(row_for(q, MatchKind::none, {}, notes));
    }
    std::vector<std::string> tried;
    for (const auto& k : q.keys) tried.push_back(fmt::format("{} {}", k.field, key_text(k)));
    if (records_read_ == 0) {
      notes.push_back("no directory entry was read");
      return one_row(row_for(q, MatchKind::gap, {}, notes));
    }
    notes.push_back(fmt::format("no entry for {}", fmt::join(tried, " nor ")));
    return one_row(row_for(q, MatchKind::none, {}, notes));
  }
  if (key != &q.keys.front())
    notes.push_back(fmt::format("no entry for {} {}{}; found by {}", q.keys.front().field,
                                key_text(q.keys.front()),
                                known != key ? " valid at the time asked" : "", key->field));
  if (key->kind == OwnerKeyKind::ip) {
    // The most specific prefix answers: a workstation's own entry over its subnet's.
    uint8_t longest = 0;
    for (const OwnerEntry* e : chosen) longest = std::max(longest, e->prefix_len);
    std::erase_if(chosen, [&](const OwnerEntry* e) { return e->prefix_len != longest; });
  }

  // Entries that agree describe one person: one answer with all their evidence.
  std::vector<std::vector<const OwnerEntry*>> groups;
  for (const OwnerEntry* e : chosen) {
    bool placed = false;
    for (auto& g : groups)
      if (std::all_of(g.begin(), g.end(), [&](const OwnerEntry* o) { return agree(*o, *e); })) {
        g.push_back(e);
        placed = true;
        break;
      }
    if (!placed) groups.push_back({e});
  }
  MatchKind kind = groups.size() == 1 ? MatchKind::exact : MatchKind::ambiguous;
  if (kind == MatchKind::ambiguous) {
    size_t dated = 0, undated = 0;
    for (const OwnerEntry* e : chosen) (e->dated ? dated : undated) += 1;
    if (q.time == kNoTime && dated > 0)
      notes.push_back(
          fmt::format("{} owners over time and no time asked: give one to choose", groups.size()));
    else if (dated > 1)
      notes.push_back(
          fmt::format("{} entries disagree and are valid at the time asked", groups.size()));
    else
      notes.push_back(fmt::format("{} entries disagree", groups.size()));
  }
  std::vector<Row> rows;
  for (const auto& g : groups) {
    std::vector<std::string> n = notes;
    const OwnerEntry& e = *g.front();
    // The login as it was written before normalisation: the query's, or for
    // an address or device the register's.
    const std::string& original = key->kind == OwnerKeyKind::login ? key->login : e.login;
    if (!e.user.empty() && original != e.user)
      n.push_back(fmt::format("normalised from {}", original));
    if (key->kind == OwnerKeyKind::ip)
      n.push_back(
          fmt::format("{} entry {}", e.prefix_len == 128 ? "address" : "prefix", prefix_text(e)));
    bool any_undated = false;
    uint8_t flags = 0;
    std::vector<std::string> spans;
    for (const OwnerEntry* x : g) {
      if (!x->dated) any_undated = true;
      if (x->dated) {
        flags |= x->time_flags;
        std::string v = validity(*x);
        if (std::find(spans.begin(), spans.end(), v) == spans.end()) spans.push_back(v);
      }
    }
    if (any_undated) n.push_back("mapping undated");
    for (auto& s : spans) n.push_back(std::move(s));
    if (flags & kLocalAmbiguous) n.push_back("a validity date fell in a DST fold (read once)");
    if (flags & kLocalNonexistent)
      n.push_back("a validity date fell in a DST gap (read with the offset before it)");
    if (flags & kZoneAssumed)
      n.push_back(fmt::format("validity dates read in {} (no tz configured for {})",
                              zone_name(scanner_.files()[e.ref.file].zone),
                              directories_[e.source].name));
    rows.push_back(row_for(q, kind, g, n));
  }
  return rows;
}

bool setup_owner_run(const CommonOptions& o, const std::vector<std::string>& directory_args,
                     ToolRun& run, std::vector<SourceSpec>& directories) {
  // The shared checks (zone, skew, output) without setup_run's sources: a
  // directory needs no [[source]], and --directory is not --log.
  CommonOptions shared = o;
  shared.logs = {"--directory"};
  if (!setup_run(shared, run)) return false;
  run.sources.clear();
  std::vector<std::string> args = o.logs;
  args.insert(args.end(), directory_args.begin(), directory_args.end());
  if (!args.empty()) {
    for (const auto& a : args) {
      SourceSpec s;
      std::string error;
      if (!source_from_log_arg(a, s, error)) {
        run.diag.usage_error(fmt::format("--directory{}", error.substr(error.find(' '))));
        return false;
      }
      s.origin = "--directory";
      if (s.format != "auto") {
        const FormatInfo* f = find_format(s.format);
        if (f && f->family != Family::owner) {
          run.diag.usage_error(
              fmt::format("--directory {}: format '{}' is a {} format, not a directory", a,
                          s.format, family_name(f->family)));
          return false;
        }
      }
      directories.push_back(std::move(s));
    }
    return true;
  }
  std::string path = find_config(o.config);
  if (path.empty()) {
    run.diag.usage_error(
        "no directory to read: give --directory PATH or a sources file with a [directory] "
        "section (--config FILE)");
    return false;
  }
  SiteConfig cfg;
  std::string error;
  if (!load_config(path, cfg, error)) {
    run.diag.usage_error(error);
    return false;
  }
  run.config_path = path;
  directories = std::move(cfg.directories);
  if (directories.empty()) {
    run.diag.usage_error(fmt::format("{}: names no [directory]", path));
    return false;
  }
  return true;
}

}  // namespace tracekit

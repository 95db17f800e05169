#include "tracekit/url_hop.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_set>

#include "tracekit/hop.h"
#include "tracekit/text.h"
#include "tracekit/url.h"

namespace tracekit {

namespace {

using json = nlohmann::ordered_json;

constexpr UrlTarget::Kind kKinds[] = {UrlTarget::Kind::url, UrlTarget::Kind::prefix,
                                      UrlTarget::Kind::host, UrlTarget::Kind::server,
                                      UrlTarget::Kind::client};

// How a request met a query: fully, or only as far as its line tells.
enum class How : uint8_t {
  full,
  tunnel,     // a CONNECT (HTTPS): the proxy saw host and port, not the page
  path_only,  // the line names no host: matched on the path alone
};

struct Hit {
  uint32_t request;
  How how;
};

// An event's request target resolved against what else its line says.
struct Resolved {
  std::string_view scheme, host, path;
  uint16_t port = 0;
  bool tunnel = false;
};

Resolved resolve(const ProxyEvent& ev) {
  Resolved r;
  UrlParts p = split_url(ev.url);
  if (iequals(ev.method, "CONNECT") || p.authority) {
    r.tunnel = true;
    r.host = p.host;
    r.port = p.port ? p.port : 443;
    r.scheme = "https";
    return r;
  }
  if (!p.scheme.empty()) {
    r.scheme = p.scheme;
    r.host = p.host;
    r.port = p.port ? p.port : default_port(p.scheme);
    r.path = p.path.empty() ? std::string_view("/") : p.path;
    return r;
  }
  r.path = p.path;
  if (!ev.host.empty()) {
    UrlParts h = split_url(ev.host);  // "example.com:8080" (a Host header) or a bare name
    r.host = h.host.empty() ? ev.host : h.host;
    r.port = h.port ? h.port : ev.host_port;
  }
  if (!r.port && ev.has_server_ip) r.port = ev.server_port;
  r.scheme = r.port == 443 ? "https" : "http";
  if (!r.port && !r.host.empty()) r.port = 80;
  return r;
}

// The address an X-Forwarded-For value names last ("a, b" -> b), if any.
bool forwarded_client(std::string_view xff, IpAddr& out) {
  if (xff.empty()) return false;
  size_t comma = xff.rfind(',');
  std::string_view last = trim(comma == std::string_view::npos ? xff : xff.substr(comma + 1));
  if (parse_ip(last, out)) return true;
  // "[2001:db8::1]:443" or "192.0.2.1:443"
  UrlParts a = split_url(last);
  return a.authority && a.valid && parse_ip(a.host, out);
}

bool host_matches(const UrlTarget& t, std::string_view host) {
  if (iequals(host, t.host)) return true;
  if (!t.subdomains || host.size() <= t.host.size()) return false;
  return host[host.size() - t.host.size() - 1] == '.' &&
         iequals(host.substr(host.size() - t.host.size()), t.host);
}

// Whether request `ev` (resolved `r`, its client `client`) is one `t` asks
// about, and how far its line lets that be told.
bool target_matches(const UrlTarget& t, const ProxyEvent& ev, const Resolved& r, bool has_client,
                    const IpAddr& client, How& how) {
  how = How::full;
  switch (t.kind) {
    case UrlTarget::Kind::url:
    case UrlTarget::Kind::prefix: {
      if (r.host.empty()) {
        how = How::path_only;
      } else {
        if (!iequals(r.host, t.host)) return false;
        if (r.port && t.port && r.port != t.port) return false;
      }
      if (r.tunnel) {
        how = How::tunnel;
        return true;
      }
      std::string_view path = without_fragment(r.path);
      return t.kind == UrlTarget::Kind::url ? path == t.path : path.starts_with(t.path);
    }
    case UrlTarget::Kind::host:
      return !r.host.empty() && host_matches(t, r.host);
    case UrlTarget::Kind::server: {
      if (ev.has_server_ip && ev.server_ip == t.ip) return true;
      IpAddr h;
      return !r.host.empty() && parse_ip(r.host, h) && h == t.ip;
    }
    case UrlTarget::Kind::client:
      return (ev.has_client && ev.client == t.ip) || (has_client && client == t.ip);
  }
  return false;
}

// Letters, digits, '-', '.', '_' and ':' (an IPv6 address), not empty.
bool host_name_chars(std::string_view h) {
  if (h.empty()) return false;
  for (char c : h)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.' || c == '_' || c == ':'))
      return false;
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  ascii_lower_in_place(out);
  return out;
}

// The offsets of `part` within `base`, when it lies there.
void add_content(std::string_view base, std::string_view part, ContentSpans& out) {
  if (part.empty() || part.data() < base.data() ||
      part.data() + part.size() > base.data() + base.size())
    return;
  ContentRange c = url_content(part);
  if (c.length == 0) return;
  out.push_back({size_t(part.data() - base.data()) + c.offset, c.length});
}

}  // namespace

std::string_view url_target_field(UrlTarget::Kind k) {
  switch (k) {
    case UrlTarget::Kind::url:
      return "request_url";
    case UrlTarget::Kind::prefix:
      return "request_prefix";
    case UrlTarget::Kind::host:
      return "request_host";
    case UrlTarget::Kind::server:
      return "server_ip";
    case UrlTarget::Kind::client:
      return "client_ip";
  }
  return "";
}

bool parse_url_target(UrlTarget::Kind kind, std::string_view text, UrlTarget& out,
                      std::string& error) {
  out = UrlTarget{};
  out.kind = kind;
  out.text = std::string(text);
  text = trim(text);
  if (text.empty()) {
    error = fmt::format("{}: empty", url_target_field(kind));
    return false;
  }
  switch (kind) {
    case UrlTarget::Kind::url:
    case UrlTarget::Kind::prefix: {
      std::string with_scheme;
      if (text.find("://") == std::string_view::npos) {
        with_scheme = "http://" + std::string(text);
        text = with_scheme;
      }
      UrlParts p = split_url(text);
      if (!p.valid || p.host.empty() || p.authority || !host_name_chars(p.host) ||
          text.find_first_of(" \t") != std::string_view::npos) {
        error = fmt::format("'{}' is not a URL (scheme://host/path)", out.text);
        return false;
      }
      out.scheme = lower(p.scheme);
      out.host = lower(p.host);
      out.port = p.port ? p.port : default_port(out.scheme);
      std::string_view path = without_fragment(p.path);
      out.path = path.empty() ? "/" : std::string(path);
      return true;
    }
    case UrlTarget::Kind::host: {
      if (text.front() == '.') {
        out.subdomains = true;
        text.remove_prefix(1);
      }
      while (!text.empty() && text.back() == '.') text.remove_suffix(1);
      if (!host_name_chars(text)) {
        error = fmt::format("'{}' is not a host name", out.text);
        return false;
      }
      out.host = lower(text);
      return true;
    }
    case UrlTarget::Kind::server:
    case UrlTarget::Kind::client:
      if (!parse_ip(text, out.ip)) {
        error = fmt::format("{}: '{}' is not an IP address", url_target_field(kind), out.text);
        return false;
      }
      return true;
  }
  return false;
}

UrlQuery url_query_from_args(UrlTarget target, QueryWindow window) {
  UrlQuery q;
  q.row = Row::object();
  put_window(q.row, window);
  q.row[std::string(url_target_field(target.kind))] = target.text;
  q.target = std::move(target);
  q.window = window;
  return q;
}

bool url_query_from_row(const Row& row, const date::time_zone* zone, UrlQuery& out,
                        std::string& error) {
  out = UrlQuery{};
  out.row = row;
  bool found = false;
  for (UrlTarget::Kind k : kKinds) {
    std::string text = get_text(row, url_target_field(k));
    if (text.empty()) continue;
    if (found) {
      error = "more than one of request_url, request_prefix, request_host, server_ip, client_ip";
      return false;
    }
    if (!parse_url_target(k, text, out.target, error)) return false;
    found = true;
  }
  if (!found) {
    error = "no request_url, request_prefix, request_host, server_ip or client_ip field";
    return false;
  }
  return row_window(row, zone, out.window, error);
}

UrlHop::UrlHop(ToolRun& run, UrlHopSettings settings)
    : run_(run),
      settings_(settings),
      scanner_(run.diag, ScanSettings{run.zone, run.max_silence, {}}) {}

bool UrlHop::load(const std::vector<UrlQuery>& queries) {
  queries_ = queries;
  matches_.assign(queries_.size(), {});
  std::vector<std::vector<Hit>> hits(queries_.size());

  // Which queries a line can concern, by what it names: its host (url,
  // prefix and host queries), its path when it names no host, its server
  // and client addresses.
  std::unordered_map<std::string, std::vector<uint32_t>> by_host, by_path;
  std::unordered_map<IpAddr, std::vector<uint32_t>, IpHash> by_server, by_client;
  std::vector<uint32_t> subdomain_queries, prefix_queries;
  std::vector<std::string> needles;
  std::unordered_set<std::string> needle_set;
  bool prefilter = true;
  auto needle = [&](std::string n) {
    if (needle_set.insert(n).second) needles.push_back(std::move(n));
  };
  for (uint32_t i = 0; i < queries_.size(); ++i) {
    const UrlTarget& t = queries_[i].target;
    switch (t.kind) {
      case UrlTarget::Kind::url:
      case UrlTarget::Kind::prefix: {
        by_host[t.host].push_back(i);
        if (t.kind == UrlTarget::Kind::url)
          by_path[t.path].push_back(i);
        else
          prefix_queries.push_back(i);
        // A line naming no host is found by its path: only a path longer
        // than "/" makes a needle of it.
        std::string_view path = t.path;
        path = path.substr(0, path.find('?'));
        needle(t.host);
        if (path.size() > 1)
          needle(std::string(path));
        else
          prefilter = false;
        break;
      }
      case UrlTarget::Kind::host:
        (t.subdomains ? subdomain_queries : by_host[t.host]).push_back(i);
        needle(t.host);
        break;
      case UrlTarget::Kind::server:
      case UrlTarget::Kind::client:
        (t.kind == UrlTarget::Kind::server ? by_server : by_client)[t.ip].push_back(i);
        // Addresses are written in one form only when they are IPv4.
        if (t.ip.is_v4())
          needle(to_string(t.ip));
        else
          prefilter = false;
        break;
    }
  }
  if (needles.size() > 16) prefilter = false;
  scanner_ = Scanner(run_.diag, ScanSettings{run_.zone, run_.max_silence,
                                             prefilter ? needles : std::vector<std::string>{}});

  // The windows asked, widened by the skew of the source being read.
  std::vector<Micros> skew_of(run_.sources.size());
  for (uint32_t s = 0; s < run_.sources.size(); ++s)
    skew_of[s] = widen_skew(run_.skew, run_.sources, {s});

  std::string host_buf, path_buf;  // reused: no allocation per line
  std::vector<uint32_t> candidates;
  EventSink<ProxyEvent> keep = [&](const ProxyEvent& ev, const ScanFile& f, uint32_t file_id,
                                   const Line& line) {
    Resolved r = resolve(ev);
    IpAddr fwd;
    bool has_fwd = forwarded_client(ev.forwarded, fwd);
    IpAddr client = has_fwd ? fwd : ev.client;
    bool has_client = has_fwd || ev.has_client;

    candidates.clear();
    auto add = [&](const auto& map, const auto& key) {
      if (auto it = map.find(key); it != map.end())
        candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    };
    if (!r.host.empty()) {
      host_buf.assign(r.host);
      ascii_lower_in_place(host_buf);
      add(by_host, host_buf);
      candidates.insert(candidates.end(), subdomain_queries.begin(), subdomain_queries.end());
    } else if (!r.path.empty()) {
      path_buf.assign(without_fragment(r.path));
      add(by_path, path_buf);
      candidates.insert(candidates.end(), prefix_queries.begin(), prefix_queries.end());
    }
    if (!by_server.empty()) {
      if (ev.has_server_ip) add(by_server, ev.server_ip);
      IpAddr h;
      if (!r.host.empty() && parse_ip(r.host, h)) add(by_server, h);
    }
    if (!by_client.empty()) {
      if (ev.has_client) add(by_client, ev.client);
      if (has_fwd && !(ev.has_client && fwd == ev.client)) add(by_client, fwd);
    }
    if (candidates.empty()) return;
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

    Instant s = ev.start != kNoTime ? ev.start : ev.time;
    Instant e = ev.end != kNoTime ? ev.end : ev.time;
    if (s == kNoTime || e == kNoTime) return;
    Micros skew = f.source < skew_of.size() ? skew_of[f.source] : run_.skew;
    uint32_t kept = UINT32_MAX;
    for (uint32_t i : candidates) {
      const UrlQuery& q = queries_[i];
      const QueryWindow& w = q.window;
      Instant lo = w.time != kNoTime ? w.time - skew : w.from;
      Instant hi = w.time != kNoTime ? w.time + skew : w.to;
      if (lo != kNoTime && e < lo) continue;
      if (hi != kNoTime && (w.time != kNoTime ? s > hi : s >= hi)) continue;
      How how;
      if (!target_matches(q.target, ev, r, has_client, client, how)) continue;
      if (kept == UINT32_MAX) {
        kept = uint32_t(requests_.size());
        Request req;
        req.time = ev.time;
        req.start = s;
        req.end = e;
        req.time_flags = ev.time_flags;
        req.has_peer = ev.has_client;
        req.peer = ev.client;
        req.peer_text = ev.client_text;
        req.forwarded = ev.forwarded;
        req.user = ev.user;
        req.method = ev.method;
        req.target = ev.url;
        req.scheme = r.scheme;
        req.host = r.host;
        req.port = r.port;
        req.tunnel = r.tunnel;
        req.result = ev.result;
        req.status = ev.status;
        req.has_bytes = ev.has_bytes;
        req.bytes = ev.bytes;
        if (ev.has_server_ip) {
          req.has_server = true;
          req.server = ev.server_ip;
        }
        std::string_view base = ev.raw.empty() ? line.text : ev.raw;
        req.raw = std::string(base);
        add_content(base, ev.url, req.content);
        add_content(base, ev.referrer, req.content);
        req.ref = EvidenceRef{file_id, ev.first_line ? ev.first_line : line.number,
                              ev.first_line ? ev.first_offset : line.offset};
        req.source = f.source;
        requests_.push_back(std::move(req));
      }
      hits[i].push_back({kept, how});
    }
  };
  for (uint32_t s = 0; s < run_.sources.size(); ++s)
    if (!scanner_.scan<ProxyEvent>(run_.sources[s], s, keep)) return false;
  proxy_sources_ = sources_read(scanner_.files());
  coverage_ = build_coverage(scanner_.files(), proxy_sources_, run_.max_silence);

  hows_.assign(queries_.size(), {});
  for (size_t i = 0; i < hits.size(); ++i) {
    auto& h = hits[i];
    std::sort(h.begin(), h.end(), [&](const Hit& a, const Hit& b) {
      const Request &x = requests_[a.request], &y = requests_[b.request];
      if (x.time != y.time) return x.time < y.time;
      if (x.ref.file != y.ref.file) return x.ref.file < y.ref.file;
      return x.ref.line < y.ref.line;
    });
    for (const Hit& hit : h) {
      matches_[i].push_back(hit.request);
      hows_[i].push_back(uint8_t(hit.how));
    }
  }
  return true;
}

std::string UrlHop::client_of(const Request& r, std::string* note) const {
  IpAddr fwd;
  std::string peer = r.has_peer ? to_string(r.peer) : r.peer_text;
  if (forwarded_client(r.forwarded, fwd)) {
    if (note) {
      size_t comma = r.forwarded.rfind(',');
      *note = fmt::format(
          "client as named by X-Forwarded-For, the last address of \"{}\" (added by {}, which "
          "connected: trust it only if {} is your load balancer or proxy){}",
          r.forwarded, peer, peer,
          comma == std::string::npos
              ? ""
              : "; the addresses before it are as the client claimed, not followed");
    }
    return to_string(fwd);
  }
  if (note && !r.forwarded.empty())
    *note = fmt::format(
        "X-Forwarded-For \"{}\" names no address: the client is the peer that "
        "connected",
        r.forwarded);
  return peer;
}

Row UrlHop::row_for(const UrlQuery& q, MatchKind kind, const Request* r, uint8_t how_bits,
                    const std::string& extra_note) const {
  How how = How(how_bits);
  Row row = q.row;
  json hop = json::object();
  hop["match"] = std::string(match_name(kind));
  std::vector<std::string> notes;
  if (!r) {
    for (const char* f : {"client", "user", "method", "url", "status", "time", "start", "peer",
                          "forwarded", "server", "result", "bytes"})
      hop[f] = "";
    if (!extra_note.empty()) notes.push_back(extra_note);
    hop["note"] = join_notes(notes);
    hop["evidence"] = json::array();
    row["url"] = std::move(hop);
    return row;
  }
  std::string fwd_note;
  hop["client"] = client_of(*r, &fwd_note);
  hop["user"] = r->user;
  hop["method"] = r->method;
  if (settings_.show_content || r->tunnel || r->target.empty())
    hop["url"] = r->target;  // as logged (no target: a request line that was none)
  else if (!r->host.empty())
    hop["url"] = redacted_url(r->scheme, r->host, r->port, false);
  else
    hop["url"] = r->target.empty() ? "" : "/";
  hop["status"] = r->status ? std::to_string(r->status) : "";
  bool frac = r->time_flags & kHasFraction;
  hop["time"] = format_rfc3339(r->time, frac);
  hop["start"] = r->start != r->time ? format_rfc3339(r->start, frac) : "";
  hop["peer"] = r->has_peer ? to_string(r->peer) : r->peer_text;
  hop["forwarded"] = r->forwarded;
  hop["server"] = r->has_server ? to_string(r->server) : "";
  hop["result"] = r->result;
  hop["bytes"] = r->has_bytes ? std::to_string(r->bytes) : "";
  if (how == How::tunnel)
    notes.push_back(
        fmt::format("a CONNECT tunnel (HTTPS) to {}: the proxy saw the host and "
                    "port, not the page",
                    r->target));
  if (how == How::path_only)
    notes.push_back("the log names no host for this request: matched on the path alone");
  if (!fwd_note.empty()) notes.push_back(fwd_note);
  if (r->end != r->time && r->end != kNoTime)
    notes.push_back(fmt::format("the request ran until {}", format_rfc3339(r->end, frac)));
  TimeNoteRef ref{r->ref, r->time_flags};
  tracekit::add_time_notes({&ref, 1}, scanner_.files(), notes);
  if (!extra_note.empty()) notes.push_back(extra_note);
  hop["note"] = join_notes(notes);
  json evidence = json::array();
  bool hide = !settings_.show_content && !r->content.empty();
  json item = evidence_item(scanner_.files(), r->ref, hide ? redact(r->raw, r->content) : r->raw);
  if (hide) item["redacted"] = "paths and query strings (--show-content shows them)";
  evidence.push_back(std::move(item));
  hop["evidence"] = std::move(evidence);
  row["url"] = std::move(hop);
  return row;
}

std::vector<Row> UrlHop::answer(size_t index) const {
  const UrlQuery& q = queries_[index];
  const auto& found = matches_[index];
  Micros skew = widen_skew(run_.skew, run_.sources, proxy_sources_);
  std::string window;
  if (q.window.time != kNoTime && skew.count() > 0)
    window = fmt::format("matched within ±{} of the time asked", format_duration(skew));
  if (found.empty()) {
    std::string why;
    MatchKind kind = no_candidate_in(coverage_, q.window, skew, "proxy", why);
    if (!window.empty()) why = why.empty() ? window : why + "; " + window;
    return {row_for(q, kind, nullptr, 0, why)};
  }
  // Who fetched it: one client (and user) is exact, more are candidates.
  // What a client fetched: every request is a fact.
  std::set<std::pair<std::string, std::string>> who;
  for (uint32_t id : found) who.insert({client_of(requests_[id], nullptr), requests_[id].user});
  MatchKind kind = q.target.kind == UrlTarget::Kind::client || who.size() == 1
                       ? MatchKind::exact
                       : MatchKind::ambiguous;
  std::string note = window;
  if (kind == MatchKind::ambiguous)
    note = fmt::format("{} requests from {} clients{}{}", found.size(), who.size(),
                       note.empty() ? "" : "; ", note);
  if (std::string partial = partial_window_note(coverage_, q.window, "requests"); !partial.empty())
    note += (note.empty() ? "" : "; ") + partial;
  std::vector<Row> rows;
  for (size_t k = 0; k < found.size(); ++k)
    rows.push_back(row_for(q, kind, &requests_[found[k]], hows_[index][k], note));
  return rows;
}

}  // namespace tracekit

#include "parse_harness.h"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tracekit::test {

DhcpHarness::DhcpHarness(std::string_view fmt, std::string_view zone, int year, Instant mtime)
    : format(find_format(fmt)), local(find_zone(zone)) {
  if (!format) throw std::runtime_error("unknown format " + std::string(fmt));
  if (!local.zone()) throw std::runtime_error("unknown zone " + std::string(zone));
  file.path = "test.log";
  file.mtime = mtime;
  years.begin_file(year, mtime == kNoTime ? utc("2026-06-01T00:00:00Z") : mtime);
  ctx.file = &file;
  ctx.local = &local;
  ctx.year = &years;
}

std::vector<DhcpOutcome> DhcpHarness::run(std::string_view text) {
  std::vector<DhcpOutcome> out;
  auto parser = format->make_dhcp(ctx);
  if (!parser) throw std::runtime_error("format has no DHCP parser");
  auto keep = [&](LineResult r, const DhcpEvent& ev, uint64_t line_no, std::string_view raw) {
    DhcpOutcome o;
    o.status = r.status;
    o.reason = r.reason;
    o.line = ev.first_line ? ev.first_line : line_no;
    o.event = ev;
    o.host = std::string(ev.host);
    o.client_id = std::string(ev.client_id);
    o.server = std::string(ev.server);
    o.relay = std::string(ev.relay);
    o.raw = std::string(ev.raw.empty() ? raw : ev.raw);
    o.event.host = o.event.client_id = o.event.server = o.event.relay = o.event.raw = {};
    out.push_back(std::move(o));
  };
  uint64_t n = 0, offset = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view t = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    Line line;
    line.text = t;
    if (!line.text.empty() && line.text.back() == '\r') line.text.remove_suffix(1);
    line.number = ++n;
    line.offset = offset;
    DhcpEvent ev;
    LineResult r = parser->parse(line, ev);
    if (r.status != LineStatus::more) keep(r, ev, n, line.text);
    offset += t.size() + 1;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  DhcpEvent ev;
  LineResult r = parser->finish(ev);
  if (r.status == LineStatus::record || r.status == LineStatus::malformed) keep(r, ev, n, {});
  return out;
}

std::vector<DhcpOutcome> DhcpHarness::records(std::string_view text) {
  std::vector<DhcpOutcome> all = run(text), recs;
  for (auto& o : all)
    if (o.status == LineStatus::record) recs.push_back(std::move(o));
  return recs;
}

namespace {
void own(std::string_view& v, std::deque<std::string>& store) {
  if (v.empty()) return;
  store.emplace_back(v);
  v = store.back();
}
}  // namespace

void own_strings(NatEvent& ev, std::deque<std::string>& store) {
  own(ev.device, store);
  own(ev.session_id, store);
  own(ev.raw, store);
}

void own_strings(LoginEvent& ev, std::deque<std::string>& store) {
  for (auto* v : {&ev.user, &ev.domain, &ev.host, &ev.from, &ev.service, &ev.tty, &ev.session_key,
                  &ev.method, &ev.end_how, &ev.raw})
    own(*v, store);
}

void own_strings(OwnerEvent& ev, std::deque<std::string>& store) {
  for (auto* v : {&ev.login, &ev.name, &ev.email, &ev.id, &ev.unit, &ev.host, &ev.raw})
    own(*v, store);
  for (auto& [k, v] : ev.extra) {
    own(k, store);
    own(v, store);
  }
}

void own_strings(ProxyEvent& ev, std::deque<std::string>& store) {
  for (auto* v :
       {&ev.client_text, &ev.forwarded, &ev.user, &ev.method, &ev.url, &ev.host, &ev.result,
        &ev.hierarchy, &ev.referrer, &ev.user_agent, &ev.content_type, &ev.device, &ev.raw})
    own(*v, store);
}

void own_strings(MailEvent& ev, std::deque<std::string>& store) {
  for (auto* v : {&ev.queue_id, &ev.message_id, &ev.client_name, &ev.helo, &ev.user,
                  &ev.auth_method, &ev.from, &ev.to, &ev.orig_to, &ev.relay, &ev.status, &ev.detail,
                  &ev.next_id, &ev.protocol, &ev.subject, &ev.service, &ev.device, &ev.raw})
    own(*v, store);
}

template <class Event>
Harness<Event>::Harness(std::string_view fmt, std::string_view zone, int year, Instant mtime,
                        SourceSpec src)
    : format(find_format(fmt)), source(std::move(src)), local(find_zone(zone)) {
  if (!format) throw std::runtime_error("unknown format " + std::string(fmt));
  if (!local.zone()) throw std::runtime_error("unknown zone " + std::string(zone));
  file.path = "test.log";
  file.mtime = mtime;
  years.begin_file(year, mtime == kNoTime ? utc("2026-06-01T00:00:00Z") : mtime);
  ctx.file = &file;
  ctx.source = &source;
  ctx.local = &local;
  ctx.year = &years;
}

template <class Event>
std::vector<Outcome<Event>> Harness<Event>::run(std::string_view text) {
  std::vector<Outcome<Event>> out;
  ctx.head = text.substr(0, 64 * 1024);
  auto parser = make_parser<Event>(*format, ctx);
  if (!parser) throw std::runtime_error("format has no parser of this family");
  auto keep = [&](LineResult r, const Event& ev, uint64_t line_no, std::string_view raw) {
    Outcome<Event> o;
    o.status = r.status;
    o.reason = r.reason;
    o.line = ev.first_line ? ev.first_line : line_no;
    o.event = ev;
    o.raw = std::string(ev.raw.empty() ? raw : ev.raw);
    own_strings(o.event, o.store);
    out.push_back(std::move(o));
  };
  uint64_t n = 0, offset = 0;
  if (format->input == InputKind::records) {
    size_t size = format->record_size ? format->record_size(ctx.head) : 0;
    if (size == 0) throw std::runtime_error("no record layout fits");
    for (size_t pos = 0; pos < text.size(); pos += size) {
      Line line;
      line.text = text.substr(pos, size);
      line.truncated = line.text.size() < size;
      line.number = ++n;
      line.offset = pos;
      if (line.truncated) {
        keep(LineResult::malformed("partial record at the end of the file"), Event{}, n, {});
        break;
      }
      Event ev;
      LineResult r = parser->parse(line, ev);
      if (r.status != LineStatus::more) keep(r, ev, n, {});
    }
  } else {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      std::string_view t = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
      Line line;
      line.text = t;
      if (!line.text.empty() && line.text.back() == '\r') line.text.remove_suffix(1);
      line.number = ++n;
      line.offset = offset;
      Event ev;
      LineResult r = parser->parse(line, ev);
      if (r.status != LineStatus::more) keep(r, ev, n, line.text);
      offset += t.size() + 1;
      if (nl == std::string_view::npos) break;
      pos = nl + 1;
    }
  }
  Event ev;
  LineResult r = parser->finish(ev);
  if (r.status == LineStatus::record || r.status == LineStatus::malformed) keep(r, ev, n, {});
  return out;
}

template <class Event>
std::vector<Outcome<Event>> Harness<Event>::records(std::string_view text) {
  std::vector<Outcome<Event>> all = run(text), recs;
  for (auto& o : all)
    if (o.status == LineStatus::record) recs.push_back(std::move(o));
  return recs;
}

template struct Harness<NatEvent>;
template struct Harness<LoginEvent>;
template struct Harness<OwnerEvent>;
template struct Harness<ProxyEvent>;
template struct Harness<MailEvent>;

Instant utc(std::string_view s) {
  Instant t;
  std::string err;
  if (!parse_query_time(s, nullptr, t, err)) throw std::runtime_error(err);
  return t;
}

std::string sekoia_message(const std::string& json) {
  size_t k = json.find("\"message\": \"");
  if (k == std::string::npos) return "";
  std::string raw;
  for (size_t i = k + 12; i < json.size() && json[i] != '"'; ++i) {
    if (json[i] == '\\' && i + 1 < json.size()) {
      ++i;
      if (json[i] == 'n') {
        raw += '\n';
        continue;
      }
      if (json[i] == 't') {
        raw += '\t';
        continue;
      }
    }
    raw += json[i];
  }
  return raw;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string read_sample(std::string_view rel) {
  return read_file(std::filesystem::path(TRACEKIT_SOURCE_DIR) / rel);
}

std::filesystem::path corpus_path(std::string_view rel) {
  std::filesystem::path root = TRACEKIT_CORPUS_DIR;
  return rel.empty() ? root : root / rel;
}

std::optional<std::filesystem::path> find_corpus(std::string_view rel) {
  std::filesystem::path p = corpus_path(rel);
  if (std::filesystem::exists(p)) return p;
  WARN("corpus not found: " << p);
  return std::nullopt;
}

std::optional<std::string> read_corpus(std::string_view rel) {
  auto p = find_corpus(rel);
  if (!p) return std::nullopt;
  return read_file(*p);
}

namespace {
// The scratch directories made, removed at exit.
struct ScratchDirs {
  std::vector<std::filesystem::path> made;
  ~ScratchDirs() {
    for (const auto& d : made) {
      std::error_code ec;
      std::filesystem::remove_all(d, ec);
    }
  }
};
ScratchDirs& scratch_dirs() {
  static ScratchDirs dirs;
  return dirs;
}
}  // namespace

std::filesystem::path scratch_dir(std::string_view name) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("tracekit-" + std::string(name) + "-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto& made = scratch_dirs().made;
  if (std::find(made.begin(), made.end(), dir) == made.end()) made.push_back(dir);
  return dir;
}

SourceSpec source_file(std::string_view dir, const std::string& file, std::string_view format,
                       std::string_view text) {
  auto p = (scratch_dir(dir) / file).string();
  std::ofstream(p) << text;
  SourceSpec s;
  s.name = file;
  s.format = std::string(format);
  s.patterns.push_back(p);
  return s;
}

}  // namespace tracekit::test

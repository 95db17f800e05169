#include "fuzz_targets.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <type_traits>

#include "tracekit/codec.h"
#include "tracekit/config.h"
#include "tracekit/diag.h"
#include "tracekit/event_writer.h"
#include "tracekit/format.h"
#include "tracekit/input.h"
#include "tracekit/lease_hop.h"
#include "tracekit/login_hop.h"
#include "tracekit/mail_headers.h"
#include "tracekit/mail_hop.h"
#include "tracekit/nat_hop.h"
#include "tracekit/net.h"
#include "tracekit/owner_hop.h"
#include "tracekit/scan.h"
#include "tracekit/time.h"
#include "tracekit/timestamp.h"
#include "tracekit/url.h"
#include "tracekit/url_hop.h"

namespace tracekit::fuzz {
namespace {

// Output goes to /dev/null: the writers run (they read every field of every
// record, which is what finds a field pointing outside its line) without
// the cost of keeping it.
FILE* sink() {
  static FILE* f = std::fopen("/dev/null", "w");
  if (!f) std::abort();
  return f;
}

// A private folder for the targets that need their input as a file (the
// input layer, SQLite databases, the sources file), removed at exit.
const std::string& scratch_dir() {
  static std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/tracekit-fuzz-XXXXXX";
    if (!mkdtemp(templ.data())) std::abort();
    return templ;
  }();
  static const bool registered = [] {
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_dir(), ec);
    });
    return true;
  }();
  (void)registered;
  return dir;
}

std::string write_scratch(std::string_view name, std::string_view data) {
  std::string path = scratch_dir() + "/" + std::string(name);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) std::abort();
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) std::abort();
    done += size_t(n);
  }
  ::close(fd);
  return path;
}

// A fixed reference time for year inference: 2026-06-01T00:00:00Z.
constexpr Instant kReference = from_epoch_seconds(1780272000);

// Runs one format's parser of Event's family over `data` the way the scanner
// does: lines (or fixed-size records, or a database file), then finish().
// A second parser instance sees every line through parse_time, the path a
// prefiltered scan takes for lines it rules out.
template <class Event>
void run_parser(const FormatInfo& f, std::string_view data) {
  InputFile file;
  file.path = "fuzz.log";
  file.mtime = kReference;
  SourceSpec src;
  src.name = "fuzz";
  src.format = std::string(f.name);
  src.host = "ws-fuzz";
  LocalTimeConverter local(find_zone("Europe/London"));
  LocalTimeConverter local2(find_zone("Europe/London"));
  YearTracker years, years2;
  years.begin_file(0, kReference);
  years2.begin_file(0, kReference);
  ParseContext ctx;
  ctx.file = &file;
  ctx.source = &src;
  ctx.head = data.substr(0, LineReader::kBlockSize);
  ctx.local = &local;
  ctx.year = &years;
  ParseContext ctx2 = ctx;
  ctx2.local = &local2;
  ctx2.year = &years2;

  const char* why = "";
  (void)f.sniff(ctx.head, &why);

  ScanFile sf;
  sf.info = file;
  sf.format = &f;
  // TSV or JSON Lines by the input's length: both writers get exercised.
  EventWriter writer(f.family, data.size() % 2 ? OutputFormat::jsonl : OutputFormat::tsv, sink());

  if (f.input == InputKind::database) {
    file.path = write_scratch("fuzz.db", data);
    auto p = make_parser<Event>(f, ctx);
    if (!p) return;
    Event ev;
    LineResult r;
    for (int i = 0; i < 100000 && p->pull(ev, r); ++i) {
      if (r.status == LineStatus::record) writer.write(ev, sf);
      ev = Event{};
    }
    writer.finish();
    return;
  }

  auto p = make_parser<Event>(f, ctx);
  auto p2 = make_parser<Event>(f, ctx2);
  if (!p || !p2) return;
  auto feed = [&](const Line& line) {
    Event ev;
    const bool record = p->parse(line, ev).status == LineStatus::record;
    if (record) writer.write(ev, sf);
    Event ev2;
    (void)p2->parse_time(line, ev2);
    // The prefilter's session check must find the id the parser reads (a
    // teardown it missed would leave a translation open).
    if constexpr (std::is_same_v<Event, NatEvent>)
      if (f.session_of) {
        std::string_view id = f.session_of(line.text);
        if (record && !ev.session_id.empty() && id != ev.session_id) std::abort();
      }
  };
  uint64_t n = 0;
  if (f.input == InputKind::records) {
    size_t size = f.record_size ? f.record_size(ctx.head) : 0;
    if (size == 0) return;
    for (size_t pos = 0; pos + size <= data.size(); pos += size) {
      Line line;
      line.text = data.substr(pos, size);
      line.number = ++n;
      line.offset = pos;
      feed(line);
    }
  } else {
    size_t pos = 0;
    while (pos < data.size()) {
      size_t nl = data.find('\n', pos);
      std::string_view t = data.substr(pos, nl == data.npos ? data.npos : nl - pos);
      Line line;
      line.text = t;
      if (!line.text.empty() && line.text.back() == '\r') line.text.remove_suffix(1);
      line.number = ++n;
      line.offset = pos;
      feed(line);
      if (nl == data.npos) break;
      pos = nl + 1;
    }
  }
  Event ev;
  if (p->finish(ev).status == LineStatus::record) writer.write(ev, sf);
  Event ev2;
  (void)p2->finish(ev2);
  writer.finish();
}

void run_format(std::string_view name, std::string_view data) {
  const FormatInfo* f = find_format(name);
  if (!f) std::abort();
  switch (f->family) {
    case Family::dhcp:
      return run_parser<DhcpEvent>(*f, data);
    case Family::nat:
      return run_parser<NatEvent>(*f, data);
    case Family::login:
      return run_parser<LoginEvent>(*f, data);
    case Family::owner:
      return run_parser<OwnerEvent>(*f, data);
    case Family::proxy:
      return run_parser<ProxyEvent>(*f, data);
    case Family::smtp:
      return run_parser<MailEvent>(*f, data);
  }
}

// Calls fn on each line of `data` (at most `max` of them).
template <class Fn>
void each_line(std::string_view data, size_t max, Fn fn) {
  size_t pos = 0;
  for (size_t i = 0; i < max && pos <= data.size(); ++i) {
    size_t nl = data.find('\n', pos);
    fn(data.substr(pos, nl == data.npos ? data.npos : nl - pos));
    if (nl == data.npos) break;
    pos = nl + 1;
  }
}

// Every time parser, on each line; what parses is formatted back, in UTC and
// in a zone (out-of-range instants must be refused, not formatted wrongly).
void run_time(std::string_view, std::string_view data) {
  const date::time_zone* london = find_zone("Europe/London");
  InputFile file;
  file.path = "fuzz.log";
  SourceSpec src;
  LocalTimeConverter local(find_zone("America/New_York"));
  YearTracker years;
  years.begin_file(0, kReference);
  ParseContext ctx;
  ctx.file = &file;
  ctx.source = &src;
  ctx.local = &local;
  ctx.year = &years;
  auto show = [&](Instant t) {
    if (t == kNoTime || t == kForever) return;
    (void)format_rfc3339(t, true);
    (void)format_local(t, london);
  };
  each_line(data, 64, [&](std::string_view s) {
    Instant t = kNoTime;
    std::string error;
    if (parse_query_time(s, london, t, error)) show(t);
    if (parse_query_time(s, nullptr, t, error)) show(t);
    Micros d{};
    if (parse_duration(s, d)) (void)format_duration(d);
    uint8_t flags = 0;
    size_t consumed = 0;
    if (parse_iso_timestamp(s, ctx, t, flags, consumed)) show(t);
    if (parse_bsd_timestamp(s, ctx, t, flags)) show(t);
    if (parse_epoch_timestamp(s, t, flags)) show(t);
    SyslogHeader h;
    const char* why = "";
    if (parse_syslog_header(s, ctx, h, &why)) show(h.time);
    if (parse_rfc5322_date(s, t)) show(t);
  });
}

// Addresses, prefixes, ports, keys and URL or mail targets as the command
// lines take them.
void run_query(std::string_view, std::string_view data) {
  each_line(data, 64, [&](std::string_view s) {
    IpAddr ip;
    if (parse_ip(s, ip)) (void)to_string(ip);
    MacAddr mac;
    if (parse_mac(s, mac)) (void)to_string(mac);
    IpPrefix prefix;
    (void)parse_ip_prefix(s, prefix);
    uint16_t port = 0;
    std::string error;
    if (parse_address_port(s, ip, port, error)) (void)to_string(ip);
    uint8_t proto = 0;
    (void)parse_proto(s, proto);
    LeaseKey lk;
    (void)parse_lease_key(s, lk, error);
    LoginKey gk;
    (void)parse_login_key(s, gk, error);
    OwnerKey ok;
    (void)parse_owner_key(s, ok, error);
    for (auto k : {UrlTarget::Kind::url, UrlTarget::Kind::prefix, UrlTarget::Kind::host,
                   UrlTarget::Kind::server, UrlTarget::Kind::client}) {
      UrlTarget t;
      (void)parse_url_target(k, s, t, error);
    }
    for (auto k :
         {MailTarget::Kind::message_id, MailTarget::Kind::queue_id, MailTarget::Kind::sender,
          MailTarget::Kind::recipient, MailTarget::Kind::client, MailTarget::Kind::user}) {
      MailTarget t;
      (void)parse_mail_target(k, s, t, error);
    }
    UrlParts u = split_url(s);
    (void)redacted_url(u.scheme, u.host, u.port, u.authority);
  });
}

// Query records on stdin (TSV, CSV, JSON, Shadowserver, X-ARF), each row then
// read as every hop's query and written back in both codecs.
void run_rows(std::string_view, std::string_view data) {
  FILE* in = fmemopen(const_cast<char*>(data.data()), data.size(), "r");
  if (!in) {
    if (!data.empty()) std::abort();
    return;  // glibc refuses a zero-size buffer
  }
  const date::time_zone* zone = find_zone("Europe/London");
  {
    RowReader reader(in, "fuzz");
    RowWriter tsv(OutputFormat::tsv, sink());
    RowWriter jsonl(OutputFormat::jsonl, sink());
    Row row;
    std::string error;
    for (int i = 0; i < 10000 && reader.next(row, error); ++i) {
      error.clear();
      if (!row.is_object()) continue;
      tsv.write(row);
      jsonl.write(row);
      LeaseQuery lq;
      (void)lease_query_from_row(row, "", zone, true, lq, error);
      LoginQuery gq;
      (void)login_query_from_row(row, "", zone, gq, error);
      NatQuery nq;
      (void)nat_query_from_row(row, "", zone, nq, error);
      OwnerQuery oq;
      (void)owner_query_from_row(row, "", zone, oq, error);
      UrlQuery uq;
      (void)url_query_from_row(row, zone, uq, error);
      MailQuery mq;
      (void)mail_query_from_row(row, zone, mq, error);
      row = Row();
    }
    tsv.finish();
    jsonl.finish();
  }
  std::fclose(in);
  (void)tsv_unescape(data);
}

void run_mail_header(std::string_view, std::string_view data) {
  MailHeader h = parse_mail_header(data);
  std::vector<std::string> ours = {"mx1", ".campus.example.org"};
  for (const ReceivedLine& r : h.received) {
    (void)is_our_host(r.by, ours);
    if (r.has_from_ip) (void)to_string(r.from_ip);
  }
  if (h.date != kNoTime) (void)format_rfc3339(h.date);
}

// The sources file (TOML), as --config reads it.
void run_sources(std::string_view, std::string_view data) {
  std::string path = write_scratch("sources.toml", data);
  SiteConfig site;
  std::string error;
  (void)load_config(path, site, error);
}

// The input layer: plain, gzip (members, trailing garbage) and zstd by their
// magic bytes, read in small blocks with a short line limit so that blocks
// end inside lines and lines get truncated; then again as fixed-size records.
void run_input(std::string_view, std::string_view data) {
  std::string path = write_scratch("input.log", data);
  std::string error;
  {
    auto src = open_input(path, error);
    if (!src) return;
    LineReader reader(*src, 64, 256);
    (void)reader.head();
    Line line;
    uint64_t bytes = 0;
    while (reader.next(line)) {
      bytes += line.text.size();
      uint64_t offset = 0;
      (void)reader.window(offset);
    }
    (void)bytes;
    (void)src->error();
  }
  {
    auto src = open_input(path, error);
    if (!src) return;
    LineReader reader(*src, 64, 1024);
    Line line;
    while (reader.next_record(384, line)) {
    }
  }
}

// The scanner over a file: a NAT scan prefiltered for an address and port
// (the needle search in the read-ahead window, needles and sessions added by
// the sink as trace-nat does), then a DHCP scan that sniffs the format.
void run_scan(std::string_view, std::string_view data) {
  std::string path = write_scratch("scan.log", data);
  Diagnostics diag("fuzz", false, nullptr);
  {
    ScanSettings settings;
    settings.default_zone = find_zone("Europe/London");
    settings.needles = {"192.0.2.7"};
    settings.addr_ports = {{"192.0.2.7", 40123}};
    Scanner scanner(diag, settings);
    SourceSpec src;
    src.name = "fw";
    src.format = "cisco-asa";
    src.patterns = {path};
    src.tz = "Europe/London";
    EventSink<NatEvent> sink = [&](const NatEvent& ev, const ScanFile&, uint32_t, const Line&) {
      if (!ev.inside_ip.is_unset()) (void)scanner.add_needle(to_string(ev.inside_ip));
      if (!ev.session_id.empty()) (void)scanner.add_session(ev.session_id);
    };
    (void)scanner.scan<NatEvent>(src, 0, sink);
  }
  {
    Scanner scanner(diag, ScanSettings{});
    SourceSpec src;
    src.name = "dhcp";
    src.patterns = {path};
    src.tz = "Europe/London";
    EventSink<DhcpEvent> sink = [](const DhcpEvent&, const ScanFile&, uint32_t, const Line&) {};
    (void)scanner.scan<DhcpEvent>(src, 0, sink);
  }
}

std::vector<Target> make_targets() {
  std::vector<Target> out;
  for (const FormatInfo& f : format_table())
    out.push_back({std::string(f.name),
                   "the " + std::string(f.name) + " parser (" + std::string(family_name(f.family)) +
                       "), with its sniffer and the record writers",
                   run_format});
  out.push_back(
      {"time", "query times, durations, log timestamps, syslog headers, RFC 5322 dates", run_time});
  out.push_back(
      {"query", "addresses, ports, keys, URL and mail targets from the command line", run_query});
  out.push_back({"rows",
                 "query records (TSV, CSV, JSON, Shadowserver, X-ARF) and every hop's "
                 "query built from them",
                 run_rows});
  out.push_back({"mail-header", "pasted mail headers (trace-mail --headers)", run_mail_header});
  out.push_back({"sources", "the sources file (TOML)", run_sources});
  out.push_back({"input", "plain, gzip and zstd input, lines and records", run_input});
  out.push_back({"scan",
                 "the scanner: a prefiltered NAT scan following needles and sessions, "
                 "then a DHCP scan that sniffs the format",
                 run_scan});
  return out;
}

}  // namespace

const std::vector<Target>& targets() {
  static const std::vector<Target> all = make_targets();
  return all;
}

const Target* find_target(std::string_view name) {
  for (const Target& t : targets())
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace tracekit::fuzz

// Conformance of the proxy formats over the public sample corpus (see its
// README): every file of the proxy and web-access directories is sniffed and
// read as tracekit reads it, and the outcome is checked against the table
// below, whose counts were verified by reading the files. A file the table does
// not know fails the test, so a corpus update is looked at, not ignored.
// Test-suite wrappers are unwrapped first: wazuh's .ini files ("log N pass =
// LINE") and Sekoia's JSON samples (one raw message in .input.message). The
// other way round, no proxy sniffer may show any interest in the corpus's
// logs of other kinds (HAProxy, IIS, ELB, error logs, other families).
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "format_list.h"
#include "parse_harness.h"
#include "tracekit/diag.h"
#include "tracekit/input.h"
#include "tracekit/scan.h"

using namespace tracekit;
namespace fs = std::filesystem;

namespace {

constexpr const char* kDirs[] = {"proxy-squid-access", "web-apache-access",   "web-nginx-access",
                                 "web-zeek-http",      "web-lighttpd-access", "web-traefik"};

struct Expect {
  const char* format;  // what sniffing must pick, among all families
  uint64_t records;    // records read
  uint64_t malformed;  // malformed lines, each for `reason`
  const char* reason;  // the reason every malformed line gives
  const char* why;     // why those lines are malformed, or what else the file holds
};

constexpr const char* kCanonified =
    "zeek btest baseline: ts canonified to XXXXXXXXXX.XXXXXX, so no row has a time";

const std::map<std::string, Expect> kFiles = {
    {"proxy-squid-access/squid",
     {"squid", 4, 0, "", "fail2ban sample: '# failJSON' comment lines are foreign"}},
    {"proxy-squid-access/test-access.log", {"squid", 100, 0, "", ""}},
    {"web-apache-access/apache-badbots",
     {"clf", 4, 0, "", "fail2ban sample; one line with a vhost without port"}},
    {"web-apache-access/apache-combined.log", {"clf", 5, 0, "", "one IPv6 client"}},
    {"web-apache-access/apache2-logs.log",
     {"clf", 7, 0, "", "two Apache error-log lines in it are foreign"}},
    {"web-apache-access/apache_access.log",
     {"clf", 14, 1, "unterminated quoted field",
      "line 8's user agent lacks its closing quote (the line was cut short)"}},
    {"web-apache-access/log-samples__access.log",
     {"clf", 6593, 0, "", "12 requests are TLS/RDP bytes or empty: records without method"}},
    {"web-apache-access/logfile_shop_access_log.0",
     {"clf", 1000, 0, "", "nginx combined with X-Forwarded-For appended"}},
    {"web-lighttpd-access/lighttpd_access.log", {"clf", 19, 0, "", "lighttpd: %h %V %u"}},
    {"web-nginx-access/nginx-botsearch",
     {"clf", 8, 0, "", "fail2ban sample; nginx error-log lines in it are foreign"}},
    {"web-nginx-access/nginx_http-logs.log",
     {"clf", 8, 0, "", "one nginx error-log line in it is foreign"}},
    {"web-traefik/traefik-auth", {"clf", 6, 0, "", "fail2ban sample"}},
    {"web-traefik/traefik_clf.log", {"clf", 7, 0, "", "two empty lines"}},
    {"web-zeek-http/SCRANTON_http.log", {"zeek-http", 62, 0, "", "JSON, id_orig_h keys"}},
    {"web-zeek-http/UTICA-A_http.log", {"zeek-http", 1, 0, "", "JSON, id_orig_h keys"}},
    {"web-zeek-http/logfile_bro_http.log.0", {"zeek-http", 197, 0, "", "TSV"}},
    {"web-zeek-http/zeek__scripts.base.protocols.http.concurrent-range-requests__http.log",
     {"zeek-http", 0, 3, "timestamp not a number", kCanonified}},
    {"web-zeek-http/zeek__scripts.base.protocols.http.http-basic-auth-colon__http.log",
     {"zeek-http", 0, 1, "timestamp not a number", kCanonified}},
    {"web-zeek-http/zeek__scripts.base.protocols.http.http-connect-with-header__http.log",
     {"zeek-http", 0, 1, "timestamp not a number", kCanonified}},
    {"web-zeek-http/zeek__scripts.base.protocols.http.http-connect__http.log",
     {"zeek-http", 0, 1, "timestamp not a number", kCanonified}},
    {"web-zeek-http/zeek__scripts.base.protocols.http.http-methods__http.log",
     {"zeek-http", 0, 49, "timestamp not a number", kCanonified}},
    {"web-zeek-http/zeek__scripts.base.protocols.http.http-pipelining__http.log",
     {"zeek-http", 0, 5, "timestamp not a number", kCanonified}},
};

bool is_wrapper(const std::string& rel) {
  return rel.find("/sekoia-") != std::string::npos || rel.ends_with(".ini");
}

std::vector<std::string> corpus_files() {
  std::vector<std::string> rels;
  for (const char* dir : kDirs) {
    fs::path d = test::corpus_path(dir);
    if (!fs::is_directory(d)) continue;
    for (const auto& f : fs::recursive_directory_iterator(d))
      if (f.is_regular_file()) rels.push_back(fs::relative(f.path(), test::corpus_path()).string());
  }
  std::sort(rels.begin(), rels.end());
  return rels;
}

// The best format of any family for `text`'s head, as --detect picks it.
std::string sniff_any(std::string_view text) {
  SniffResult s = sniff_format(text.substr(0, 64 * 1024), nullptr);
  return s.format ? std::string(s.format->name) : "";
}

// The raw lines of a wazuh ruleset test: "log N pass = LINE" (and "fail").
std::string unwrap_ini(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("log ", 0) != 0) continue;
    size_t at = line.find(" = ");
    if (at == std::string::npos) continue;
    out += line.substr(at + 3);
    out += '\n';
  }
  return out;
}

}  // namespace

TEST_CASE("proxy corpus: every access log is recognised and read as expected", "[proxy][corpus]") {
  if (!test::find_corpus()) return;
  std::vector<std::string> rels = corpus_files();
  REQUIRE(!rels.empty());
  size_t read = 0;
  for (const auto& rel : rels) {
    if (is_wrapper(rel)) continue;
    INFO("corpus file " << rel);
    auto it = kFiles.find(rel);
    if (it == kFiles.end()) {
      FAIL("no expectation for " << rel << ": add it to kFiles in " << __FILE__);
      continue;
    }
    const Expect& e = it->second;

    // As the tools read it: the proxy family's best format, then every line.
    Diagnostics diag("corpus", false, nullptr);
    ScanSettings settings;
    settings.default_zone = find_zone("UTC");
    Scanner scanner(diag, settings);
    SourceSpec src;
    src.patterns.push_back(test::corpus_path(rel).string());
    src.name = rel;
    src.origin = "corpus";
    src.year = 2026;
    uint64_t records = 0;
    scanner.scan<ProxyEvent>(
        src, 0, [&](const ProxyEvent&, const ScanFile&, uint32_t, const Line&) { ++records; });
    REQUIRE(scanner.files().size() == 1);
    const ScanFile& f = scanner.files()[0];
    REQUIRE(f.format != nullptr);
    CHECK(std::string(f.format->name) == e.format);
    CHECK(f.complete);
    CHECK(f.records == e.records);
    CHECK(records == e.records);
    CHECK(f.malformed == e.malformed);
    CHECK(f.lines == f.records + f.skipped + f.foreign + f.malformed);

    // No format of another family outbids it (trace-cat --detect).
    std::string text = test::read_file(test::corpus_path(rel));
    CHECK(sniff_any(text) == e.format);

    // Every malformed line gives the reason stated.
    test::ProxyHarness h(e.format, "UTC", 2026);
    uint64_t malformed = 0;
    for (const auto& o : h.run(text)) {
      if (o.status != LineStatus::malformed) continue;
      INFO(o.raw);
      CHECK(o.reason == e.reason);
      ++malformed;
    }
    CHECK(malformed == e.malformed);
    std::printf(
        "corpus %-88s %-9s lines %5llu records %5llu skipped %3llu foreign %3llu malformed "
        "%2llu%s%s\n",
        rel.c_str(), f.format->name.data(), (unsigned long long)f.lines,
        (unsigned long long)f.records, (unsigned long long)f.skipped, (unsigned long long)f.foreign,
        (unsigned long long)f.malformed, *e.why ? ": " : "", e.why);
    ++read;
  }
  CHECK(read == kFiles.size());
}

TEST_CASE("proxy corpus: the lines of wazuh's ruleset tests", "[proxy][corpus]") {
  if (!test::find_corpus()) return;
  SECTION("squid_rules.ini: two native lines, a 400 and a 407") {
    auto text = test::read_corpus("proxy-squid-access/squid_rules.ini");
    if (!text) return;
    std::string lines = unwrap_ini(*text);
    CHECK(sniff_any(lines) == "squid");
    test::ProxyHarness h("squid", "UTC", 2026);
    auto r = h.records(lines);
    REQUIRE(r.size() == 2);
    CHECK(r[0].event.status == 400);
    CHECK(r[0].event.url == "ahmet");  // a request Squid could not parse, as it logged it
    CHECK(r[1].event.status == 407);
    CHECK(r[1].event.user == "oahmet");
    CHECK(r[1].time() == "2006-02-23T13:27:10.827Z");
  }
  SECTION("web_rules.ini: IIS, syslog-wrapped and vhost CLF lines") {
    auto text = test::read_corpus("web-apache-access/web_rules.ini");
    if (!text) return;
    std::string lines = unwrap_ini(*text);
    // 10 lines: 4 IIS W3C lines (foreign), 1 CLF line with a one-digit day
    // ("[1/Apr/2014:...]", malformed), 3 CLF lines behind a syslog header, 2
    // with a vhost:port prefix.
    CHECK(sniff_any(lines) == "clf");
    test::ProxyHarness h("clf", "UTC", 2026);
    size_t records = 0, foreign = 0, malformed = 0, devices = 0;
    for (const auto& o : h.run(lines)) {
      if (o.status == LineStatus::record) ++records;
      if (o.status == LineStatus::record && o.event.device == "web01") ++devices;
      if (o.status == LineStatus::foreign) ++foreign;
      if (o.status == LineStatus::malformed) {
        CHECK(o.reason == "bad time (expected dd/Mon/yyyy:HH:MM:SS +hhmm)");
        ++malformed;
      }
    }
    CHECK(records == 5);
    CHECK(devices == 3);
    CHECK(foreign == 4);
    CHECK(malformed == 1);
  }
}

TEST_CASE("proxy corpus: Sekoia's single-message samples", "[proxy][corpus]") {
  if (!test::find_corpus()) return;
  // What each sample's message is: a format and the outcome of its one line,
  // or "" for messages no proxy format reads (Apache and nginx error logs,
  // nginx's custom JSON log_format, which names its fields freely).
  struct Sample {
    const char* format;
    LineStatus status;
  };
  const std::map<std::string, Sample> kSamples = {
      {"access_combined.json", {"clf", LineStatus::record}},
      {"access_combined_2.json", {"clf", LineStatus::record}},
      {"access_extended.json", {"clf", LineStatus::record}},
      {"access_failure_1.json", {"clf", LineStatus::record}},
      {"access_failure_2.json", {"clf", LineStatus::record}},
      {"access_redirect.json", {"clf", LineStatus::record}},
      {"access_success.json", {"clf", LineStatus::record}},
      {"access_success_02.json", {"clf", LineStatus::record}},
      {"common_log_format.json", {"clf", LineStatus::record}},
      {"error.json", {"", LineStatus::foreign}},
      {"error_2.json", {"", LineStatus::foreign}},
      {"error_module.json", {"", LineStatus::foreign}},
      {"modsecurity.json", {"", LineStatus::foreign}},
      {"needs_striping.json", {"", LineStatus::foreign}},
      {"process_id.json", {"", LineStatus::foreign}},
      {"combined.json", {"clf", LineStatus::record}},
      {"combined_error.json", {"", LineStatus::foreign}},
      {"extended.json", {"clf", LineStatus::record}},
      {"extended_backslash.json", {"clf", LineStatus::record}},
      {"extended_emptybyte.json", {"clf", LineStatus::record}},
      {"json_OCSP_error_01.json", {"", LineStatus::foreign}},
      {"json_OCSP_error_02.json", {"", LineStatus::foreign}},
      {"json_combined_http_error.json", {"clf", LineStatus::record}},
      {"json_delete.json", {"", LineStatus::foreign}},
      {"json_get.json", {"", LineStatus::foreign}},
      {"json_get_failed_graylog.json", {"", LineStatus::foreign}},
      {"json_get_graylog.json", {"", LineStatus::foreign}},
      {"json_get_ip.json", {"", LineStatus::foreign}},
      {"json_post.json", {"clf", LineStatus::record}},
  };
  const Family proxy = Family::proxy;
  size_t seen = 0;
  for (const char* dir : {"web-apache-access/sekoia-apache", "web-nginx-access/sekoia-nginx"}) {
    fs::path p = test::corpus_path(dir);
    if (!fs::is_directory(p)) continue;
    for (const auto& f : fs::directory_iterator(p)) {
      std::string name = f.path().filename().string();
      INFO(dir << "/" << name);
      auto it = kSamples.find(name);
      if (it == kSamples.end()) {
        FAIL("no expectation for " << name);
        continue;
      }
      ++seen;
      auto j = nlohmann::json::parse(test::read_file(f.path()));
      std::string msg = j["input"]["message"].get<std::string>() + "\n";
      SniffResult s = sniff_format(msg, &proxy);
      std::string sniffed = s.format ? std::string(s.format->name) : "";
      CHECK(sniffed == it->second.format);
      // Whatever was sniffed, the clf parser's view of the line.
      test::ProxyHarness h("clf", "UTC", 2026);
      auto out = h.run(msg);
      REQUIRE(out.size() == 1);
      INFO(out[0].raw << " -> " << out[0].reason);
      CHECK(out[0].status == it->second.status);
      if (out[0].status == LineStatus::record) {
        CHECK(out[0].event.time != kNoTime);
        CHECK(!out[0].event.client_text.empty());
      }
    }
  }
  CHECK(seen == kSamples.size());
}

TEST_CASE("proxy formats claim no other log of the public corpus", "[proxy][corpus]") {
  auto root = test::find_corpus();
  if (!root) return;
  const FormatInfo* proxy[] = {&formats::squid_access_format(), &formats::clf_access_format(),
                               &formats::zeek_http_format()};
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(*root)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = fs::relative(entry.path(), *root).string();
    if (rel.ends_with(".md") || rel == "SOURCES.tsv") continue;
    bool ours = false;
    for (const char* dir : kDirs)
      if (rel.starts_with(std::string(dir) + "/")) ours = true;
    if (ours) continue;
    std::string error;
    auto bytes = open_input(entry.path().string(), error);
    if (!bytes) continue;
    LineReader reader(*bytes);
    std::string_view head = reader.head();
    ++files;
    for (const FormatInfo* f : proxy) {
      const char* why = "";
      int score = f->sniff(head, &why);
      INFO(rel << ": " << f->name << ": " << why);
      CHECK(score == 0);
    }
  }
  CHECK(files > 100);
}

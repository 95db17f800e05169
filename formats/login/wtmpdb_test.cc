#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "format_list.h"
#include "parse_harness.h"
#include "tracekit/diag.h"
#include "tracekit/scan.h"

#include <catch2/catch.hpp>

using namespace tracekit;

namespace {

// A scratch folder that is removed with everything in it.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("tracekit-wtmpdb-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  static int& counter() {
    static int n = 0;
    return n;
  }
};

// Writes a database with wtmpdb's own schema and the given SQL inserts.
void write_db(const std::filesystem::path& p, const std::string& inserts,
              const char* schema =
                  "CREATE TABLE IF NOT EXISTS wtmp(ID INTEGER PRIMARY KEY, "
                  "Type INTEGER, User TEXT NOT NULL, Login INTEGER, Logout "
                  "INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;") {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(p.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, (std::string(schema) + inserts).c_str(), nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

struct Pulled {
  LineStatus status;
  std::string reason;
  LoginEvent event;
  std::deque<std::string> store;  // `event` points into it
  Pulled() = default;
  Pulled(const Pulled&) = delete;
  Pulled(Pulled&&) = default;
  std::string time() const { return format_rfc3339(event.time, event.time_flags & kHasFraction); }
};

// Runs the wtmpdb parser over the database at `p` as the scanner does.
std::vector<Pulled> pull_all(const std::filesystem::path& p, std::string host = "") {
  InputFile file;
  file.path = p.string();
  SourceSpec source;
  source.host = std::move(host);
  LocalTimeConverter local(find_zone("UTC"));
  ParseContext ctx;
  ctx.file = &file;
  ctx.source = &source;
  ctx.local = &local;
  std::string head = test::read_file(p);
  ctx.head = head;
  auto parser = formats::wtmpdb_format().make_login(ctx);
  std::vector<Pulled> out;
  LoginEvent ev;
  LineResult r;
  while (parser->pull(ev, r)) {
    Pulled o;
    o.status = r.status;
    o.reason = r.reason;
    o.event = ev;
    test::own_strings(o.event, o.store);
    out.push_back(std::move(o));
    REQUIRE(out.size() < 1000);
  }
  return out;
}

// 2026-04-23T15:19:00Z in microseconds.
constexpr long long kT = 1776957540LL * 1000000;

std::string row(long long id, int type, const char* user, long long login, const char* logout,
                const char* tty, const char* host, const char* service) {
  return "INSERT INTO wtmp VALUES(" + std::to_string(id) + "," + std::to_string(type) + ",'" +
         user + "'," + std::to_string(login) + "," + logout + ",'" + tty + "','" + host + "','" +
         service + "');";
}

}  // namespace

TEST_CASE("wtmpdb: logins, logouts, boots and shutdowns", "[login][wtmpdb]") {
  TempDir dir;
  auto db = dir.path / "wtmp.db";
  std::string rows;
  rows += row(1, 1, "reboot", kT - 3600000000LL, std::to_string(kT + 7200000000LL).c_str(), "~",
              "6.1.0-18-amd64", "");
  rows += row(2, 3, "jdoe", kT + 123456, std::to_string(kT + 6132000000LL).c_str(), "pts/0",
              "192.0.2.10", "sshd");
  rows += row(3, 3, "asmith", kT + 60000000, "NULL", "pts/1", "2001:db8::7", "sshd");
  rows += row(4, 3, "root", kT + 120000000, "NULL", "tty1", "", "login");
  rows += row(5, 2, "runlevel", kT + 130000000, "NULL", "~", "", "");
  write_db(db, rows);

  auto all = pull_all(db, "ws-lab1-07");
  REQUIRE(all.size() == 7);
  CHECK(all[0].event.action == LoginAction::boot);
  CHECK(all[0].time() == "2026-04-23T14:19:00Z");
  CHECK(all[0].event.from.empty());
  CHECK(all[0].event.first_line == 1);
  CHECK(all[1].event.action == LoginAction::shutdown);
  CHECK(all[1].time() == "2026-04-23T17:19:00Z");
  CHECK(all[1].event.session_key == "1");

  const LoginEvent& in = all[2].event;
  CHECK(all[2].status == LineStatus::record);
  CHECK(in.action == LoginAction::login);
  CHECK(in.user == "jdoe");
  CHECK(in.tty == "pts/0");
  CHECK(in.from == "192.0.2.10");
  CHECK(in.has_from_ip);
  CHECK(to_string(in.from_ip) == "192.0.2.10");
  CHECK(in.service == "sshd");
  CHECK(in.place == LoginPlace::remote);
  CHECK(in.session_key == "2");
  CHECK(in.host == "ws-lab1-07");
  CHECK(in.first_line == 2);
  CHECK(all[2].time() == "2026-04-23T15:19:00.123456Z");
  CHECK(in.raw ==
        "ID=2 Type=3 User=jdoe Login=1776957540123456 Logout=1776963672000000 TTY=pts/0 "
        "RemoteHost=192.0.2.10 Service=sshd");
  const LoginEvent& outev = all[3].event;
  CHECK(outev.action == LoginAction::logout);
  CHECK(outev.session_key == "2");
  CHECK(outev.user == "jdoe");
  CHECK(outev.first_line == 2);
  CHECK(all[3].time() == "2026-04-23T17:01:12Z");

  CHECK(all[4].event.action == LoginAction::login);  // still logged in: no logout
  CHECK(to_string(all[4].event.from_ip) == "2001:db8::7");
  CHECK(all[5].event.action == LoginAction::login);
  CHECK(all[5].event.place == LoginPlace::local);
  CHECK(all[5].event.service == "login");
  CHECK(all[6].status == LineStatus::skip);
  CHECK(all[6].reason == "run level row");
  CHECK(all[6].time() == "2026-04-23T15:21:10Z");

  // Nothing was written beside the database.
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path)) ++files;
  CHECK(files == 1);
}

TEST_CASE("wtmpdb: rows that cannot be read", "[login][wtmpdb]") {
  TempDir dir;
  auto db = dir.path / "wtmp.db";
  // Not STRICT, as older wtmpdb wrote it: times may be text.
  write_db(db,
           "INSERT INTO wtmp VALUES(1,3,'jdoe',NULL,NULL,'pts/0','',''); "
           "INSERT INTO wtmp VALUES(2,3,'jdoe','1776957540000000',NULL,'pts/0','',''); "
           "INSERT INTO wtmp VALUES(3,3,'jdoe','soon',NULL,'pts/0','',''); "
           "INSERT INTO wtmp VALUES(4,9,'jdoe',1776957540000000,NULL,'pts/0','',''); "
           "INSERT INTO wtmp VALUES(5,3,'jdoe',1776957540000000,5,'pts/0','',''); "
           "INSERT INTO wtmp VALUES(6,3,'',1776957540000000,NULL,'pts/0','','');",
           "CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, Login "
           "INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT);");
  auto all = pull_all(db);
  REQUIRE(all.size() == 6);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason == "row without a Login time");
  CHECK(all[0].event.first_line == 1);
  CHECK(all[1].status == LineStatus::record);
  CHECK(all[1].time() == "2026-04-23T15:19:00Z");
  CHECK((all[1].event.time_flags & kHasFraction) == 0);
  CHECK(all[2].reason == "row without a Login time");
  CHECK(all[3].reason == "unknown Type (wtmpdb writes 0-3)");
  CHECK(all[4].reason == "impossible Logout time (before Login or after 2100)");
  CHECK(all[5].reason == "USER_PROCESS row without a User");
}

TEST_CASE("wtmpdb: not a wtmpdb database", "[login][wtmpdb]") {
  TempDir dir;
  auto db = dir.path / "other.db";
  write_db(db, "", "CREATE TABLE logins(who TEXT);");
  auto all = pull_all(db);
  REQUIRE(all.size() == 1);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason ==
        "no wtmp table with wtmpdb's columns (ID, Type, User, Login, Logout, TTY, RemoteHost, "
        "Service)");
  const char* why = "";
  CHECK(formats::wtmpdb_format().sniff(test::read_file(db), &why) == 0);
  CHECK(std::string(why) == "an SQLite database without a wtmp table");

  auto text = dir.path / "wtmp.db.txt";
  { std::ofstream(text) << "not a database\n"; }
  auto bad = pull_all(text);
  REQUIRE(bad.size() == 1);
  CHECK(bad[0].status == LineStatus::malformed);
}

TEST_CASE("wtmpdb: a -wal file beside the database is reported", "[login][wtmpdb]") {
  TempDir dir;
  auto db = dir.path / "wtmp.db";
  write_db(db, row(1, 3, "jdoe", kT, "NULL", "pts/0", "", ""));
  { std::ofstream(dir.path / "wtmp.db-wal") << "pending"; }
  auto all = pull_all(db);
  REQUIRE(all.size() == 2);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason.find("a -wal file beside the database") == 0);
  CHECK(all[1].status == LineStatus::record);
}

TEST_CASE("wtmpdb: sniff", "[login][wtmpdb]") {
  TempDir dir;
  auto db = dir.path / "wtmp.db";
  write_db(db, row(1, 3, "jdoe", kT, "NULL", "pts/0", "", ""));
  std::string head = test::read_file(db);
  const char* why = "";
  CHECK(formats::wtmpdb_format().sniff(head, &why) >= 90);
  CHECK(formats::wtmpdb_format().sniff("SQLite format 3", &why) == 0);
  CHECK(formats::utmp_format().sniff(head, &why) == 0);
  Family login = Family::login;
  auto s = sniff_format(head, &login);
  REQUIRE(s.format);
  CHECK(s.format->name == "wtmpdb");
}

TEST_CASE("wtmpdb: the testdata sample", "[login][wtmpdb]") {
  auto db = std::filesystem::path(TRACEKIT_SOURCE_DIR) / "testdata/login/wtmpdb/wtmp.db";
  auto all = pull_all(db, "ws-lab1-07");
  REQUIRE(all.size() == 14);
  size_t n[8] = {};
  for (const auto& o : all) {
    CHECK(o.status == LineStatus::record);
    ++n[size_t(o.event.action)];
  }
  CHECK(n[size_t(LoginAction::boot)] == 3);
  CHECK(n[size_t(LoginAction::shutdown)] == 1);
  CHECK(n[size_t(LoginAction::login)] == 6);
  CHECK(n[size_t(LoginAction::logout)] == 4);
  CHECK(all[6].event.user == "asmith");
  CHECK(to_string(all[6].event.from_ip) == "2001:db8:20:3::1a7");
  CHECK(all[8].event.service == "gdm-password");
  CHECK(all[8].event.place == LoginPlace::local);
  CHECK_FALSE(std::filesystem::exists(db.string() + "-journal"));
  CHECK_FALSE(std::filesystem::exists(db.string() + "-wal"));
}

TEST_CASE("wtmpdb: read by the scanner, sniffed, with evidence", "[login][wtmpdb]") {
  Diagnostics diag("test", false, nullptr);
  ScanSettings settings;
  settings.default_zone = find_zone("UTC");
  Scanner sc(diag, settings);
  SourceSpec src;
  src.patterns.push_back(std::string(TRACEKIT_SOURCE_DIR) + "/testdata/login/wtmpdb/wtmp.db");
  std::vector<std::string> seen;
  sc.scan<LoginEvent>(src, 0, [&](const LoginEvent& ev, const ScanFile&, uint32_t, const Line&) {
    seen.push_back(std::to_string(ev.first_line) + " " + std::string(login_action_name(ev.action)) +
                   " " + std::string(ev.raw));
  });
  REQUIRE(sc.files().size() == 1);
  const ScanFile& f = sc.files()[0];
  REQUIRE(f.format);
  CHECK(f.format->name == "wtmpdb");
  CHECK(f.records == 14);
  CHECK(f.malformed == 0);
  REQUIRE(seen.size() == 14);
  CHECK(seen[4] ==
        "3 login ID=3 Type=3 User=jdoe Login=1776957540123456 Logout=1776963672777000 TTY=pts/0 "
        "RemoteHost=192.0.2.10 Service=sshd");
  CHECK(seen[5].starts_with("3 logout ID=3 "));
}

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "format_list.h"
#include "parse_harness.h"
#include "tracekit/diag.h"
#include "tracekit/scan.h"

#include <catch2/catch.hpp>

// Records are written with designated initialisers naming only what they set.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace tracekit;
using tracekit::test::LoginHarness;

namespace {

// One struct utmp as glibc writes it: 384 bytes with 32-bit ut_tv, or 400
// bytes with 64-bit ut_session and ut_tv (s390x); in either byte order.
struct Rec {
  int type = 7;
  int pid = 1234;
  std::string line, id, user, host;
  int64_t sec = 0, usec = 0;
  std::array<uint8_t, 16> addr{};
};

void put(std::string& b, size_t off, uint64_t v, size_t n, bool be) {
  for (size_t i = 0; i < n; ++i) b[off + (be ? n - 1 - i : i)] = char(uint8_t(v >> (8 * i)));
}

std::string pack(const Rec& r, bool wide = false, bool be = false) {
  std::string b(wide ? 400 : 384, '\0');
  put(b, 0, uint16_t(r.type), 2, be);
  put(b, 4, uint32_t(r.pid), 4, be);
  std::memcpy(&b[8], r.line.data(), std::min<size_t>(r.line.size(), 32));
  std::memcpy(&b[40], r.id.data(), std::min<size_t>(r.id.size(), 4));
  std::memcpy(&b[44], r.user.data(), std::min<size_t>(r.user.size(), 32));
  std::memcpy(&b[76], r.host.data(), std::min<size_t>(r.host.size(), 256));
  size_t addr_off = wide ? 360 : 348;
  if (wide) {
    put(b, 344, uint64_t(r.sec), 8, be);
    put(b, 352, uint64_t(r.usec), 8, be);
  } else {
    put(b, 340, uint32_t(r.sec), 4, be);
    put(b, 344, uint32_t(r.usec), 4, be);
  }
  std::memcpy(&b[addr_off], r.addr.data(), 16);
  return b;
}

// 2026-04-23T15:19:00Z
constexpr int64_t kT = 1776957540;

std::array<uint8_t, 16> v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return {a, b, c, d};
}

std::string session_file(bool wide = false, bool be = false) {
  std::string f;
  f += pack({.type = 2,
             .pid = 0,
             .line = "~",
             .id = "~~",
             .user = "reboot",
             .host = "6.1.0-18-amd64",
             .sec = kT - 3600,
             .usec = 250000},
            wide, be);
  f += pack({.type = 1,
             .pid = 53,
             .line = "~",
             .id = "~~",
             .user = "runlevel",
             .host = "6.1.0-18-amd64",
             .sec = kT - 3590},
            wide, be);
  f +=
      pack({.type = 6, .pid = 700, .line = "tty1", .id = "tty1", .user = "LOGIN", .sec = kT - 3580},
           wide, be);
  f += pack({.type = 7,
             .pid = 4859,
             .line = "pts/0",
             .id = "ts/0",
             .user = "jdoe",
             .host = "192.0.2.10",
             .sec = kT,
             .usec = 123456,
             .addr = v4(192, 0, 2, 10)},
            wide, be);
  f += pack({.type = 7, .pid = 700, .line = "tty1", .id = "tty1", .user = "root", .sec = kT + 60},
            wide, be);
  f += pack({.type = 8, .pid = 4859, .line = "pts/0", .sec = kT + 6132}, wide, be);
  f += pack({.type = 1,
             .pid = 0,
             .line = "~",
             .id = "~~",
             .user = "shutdown",
             .host = "6.1.0-18-amd64",
             .sec = kT + 7200},
            wide, be);
  return f;
}

void check_session_file(std::vector<test::Outcome<LoginEvent>>& all) {
  REQUIRE(all.size() == 7);
  CHECK(all[0].status == LineStatus::record);
  CHECK(all[0].event.action == LoginAction::boot);
  CHECK(all[0].time() == "2026-04-23T14:19:00.250Z");
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[1].reason == "run level change");
  CHECK(all[1].time() == "2026-04-23T14:19:10Z");
  CHECK(all[2].status == LineStatus::skip);
  CHECK(all[2].reason == "LOGIN_PROCESS (a getty waiting for a login)");
  REQUIRE(all[3].status == LineStatus::record);
  const LoginEvent& in = all[3].event;
  CHECK(in.action == LoginAction::login);
  CHECK(in.user == "jdoe");
  CHECK(in.tty == "pts/0");
  CHECK(in.from == "192.0.2.10");
  CHECK(in.has_from_ip);
  CHECK(to_string(in.from_ip) == "192.0.2.10");
  CHECK(in.session_key == "pts/0");
  CHECK(in.place == LoginPlace::remote);
  CHECK(in.host == "ws-lab1-07");
  CHECK(all[3].time() == "2026-04-23T15:19:00.123456Z");
  CHECK((in.time_flags & kHasFraction) != 0);
  CHECK(in.raw ==
        "[7] [04859] [ts/0] [jdoe    ] [pts/0       ] [192.0.2.10          ] [192.0.2.10     ] "
        "[2026-04-23T15:19:00.123456Z]");
  CHECK(all[4].event.action == LoginAction::login);
  CHECK(all[4].event.place == LoginPlace::local);
  CHECK_FALSE(all[4].event.has_from_ip);
  CHECK((all[4].event.time_flags & kHasFraction) == 0);
  CHECK(all[5].event.action == LoginAction::logout);
  CHECK(all[5].event.session_key == "pts/0");
  CHECK(all[5].time() == "2026-04-23T17:01:12Z");
  CHECK(all[6].event.action == LoginAction::shutdown);
  CHECK(all[6].time() == "2026-04-23T17:19:00Z");
}

SourceSpec with_host(std::string host) {
  SourceSpec s;
  s.host = std::move(host);
  return s;
}

}  // namespace

TEST_CASE("utmp: x86_64 wtmp with boot, login, logout and shutdown", "[login][utmp]") {
  LoginHarness h("utmp", "UTC", 2026, kNoTime, with_host("ws-lab1-07"));
  std::string f = session_file();
  CHECK(formats::utmp_format().record_size(f) == 384);
  auto all = h.run(f);
  check_session_file(all);
}

TEST_CASE("utmp: big-endian 400-byte layout (s390x)", "[login][utmp]") {
  LoginHarness h("utmp", "UTC", 2026, kNoTime, with_host("ws-lab1-07"));
  std::string f = session_file(true, true);
  CHECK(formats::utmp_format().record_size(f) == 400);
  auto all = h.run(f);
  check_session_file(all);
}

TEST_CASE("utmp: big-endian 384-byte and little-endian 400-byte layouts", "[login][utmp]") {
  std::string be = session_file(false, true);
  CHECK(formats::utmp_format().record_size(be) == 384);
  LoginHarness h("utmp", "UTC", 2026, kNoTime, with_host("ws-lab1-07"));
  auto all = h.run(be);
  check_session_file(all);

  std::string le_wide = session_file(true, false);
  CHECK(formats::utmp_format().record_size(le_wide) == 400);
  LoginHarness h2("utmp", "UTC", 2026, kNoTime, with_host("ws-lab1-07"));
  auto all2 = h2.run(le_wide);
  check_session_file(all2);
}

TEST_CASE("utmp: IPv6 in ut_addr_v6 and in ut_host", "[login][utmp]") {
  Rec a{.type = 7, .line = "pts/3", .user = "jdoe", .host = "laptop.example.org", .sec = kT};
  a.addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};
  Rec b{.type = 7, .line = "pts/4", .user = "asmith", .host = "2001:db8::42", .sec = kT + 1};
  Rec c{.type = 7, .line = "pts/5", .user = "bob", .host = "gw.example.org", .sec = kT + 2};
  LoginHarness h("utmp");
  auto r = h.records(pack(a) + pack(b) + pack(c));
  REQUIRE(r.size() == 3);
  CHECK(r[0].event.from == "laptop.example.org");
  REQUIRE(r[0].event.has_from_ip);
  CHECK(to_string(r[0].event.from_ip) == "2001:db8::1");
  CHECK(r[0].event.place == LoginPlace::remote);
  REQUIRE(r[1].event.has_from_ip);
  CHECK(to_string(r[1].event.from_ip) == "2001:db8::42");
  CHECK_FALSE(r[2].event.has_from_ip);  // a name, no address
  CHECK(r[2].event.from == "gw.example.org");
  CHECK(r[2].event.host.empty());  // no `host` setting
}

TEST_CASE("utmp: places, X displays and services", "[login][utmp]") {
  std::string f;
  f += pack({.type = 7, .line = ":0", .id = ":0", .user = "jdoe", .sec = kT});
  f += pack({.type = 7, .line = "pts/1", .user = "jdoe", .host = ":0", .sec = kT});
  f += pack({.type = 7, .line = "pts/2", .user = "jdoe", .sec = kT});
  f += pack({.type = 7, .line = "console", .user = "root", .sec = kT});
  f += pack({.type = 7,
             .line = "ftpd5831",
             .user = "ftpuser",
             .host = "198.51.100.7",
             .sec = kT,
             .addr = v4(198, 51, 100, 7)});
  LoginHarness h("utmp");
  auto r = h.records(f);
  REQUIRE(r.size() == 5);
  CHECK(r[0].event.place == LoginPlace::local);
  CHECK(r[1].event.place == LoginPlace::local);  // a terminal on the local X display
  CHECK(r[2].event.place == LoginPlace::unknown);
  CHECK(r[3].event.place == LoginPlace::local);
  CHECK(r[4].event.place == LoginPlace::remote);
  CHECK(r[4].event.service == "ftp");
  CHECK(r[4].event.session_key == "ftpd5831");
}

TEST_CASE("utmp: btmp records are failed logins", "[login][utmp]") {
  std::string f;
  for (int i = 0; i < 3; ++i)
    f += pack({.type = 6,
               .pid = 16404,
               .line = "ssh:notty",
               .user = "admin",
               .host = "203.0.113.9",
               .sec = kT + i,
               .addr = v4(203, 0, 113, 9)});
  f += pack({.type = 7, .pid = 16405, .line = "tty2", .user = "jdoe", .sec = kT + 9});
  LoginHarness h("utmp");
  h.file.path = "/evidence/host1/btmp.1";
  auto r = h.records(f);
  REQUIRE(r.size() == 4);
  CHECK(r[0].event.action == LoginAction::failed);
  CHECK(r[0].event.user == "admin");
  CHECK(r[0].event.service == "sshd");
  CHECK(r[0].event.tty == "ssh:notty");
  CHECK(r[0].event.session_key.empty());
  CHECK(to_string(r[0].event.from_ip) == "203.0.113.9");
  CHECK(r[3].event.action == LoginAction::failed);
  CHECK(r[3].event.place == LoginPlace::local);

  LoginHarness w("utmp");
  w.file.path = "/evidence/host1/wtmp";
  auto all = w.run(f);
  REQUIRE(all.size() == 4);
  CHECK(all[0].status == LineStatus::skip);  // in wtmp, LOGIN_PROCESS is a getty
  CHECK(all[3].event.action == LoginAction::login);
}

TEST_CASE("utmp: corrupt record in the middle, partial last record", "[login][utmp]") {
  // Most records of the file are sound: a few corrupt ones do not hide the layout.
  std::string f = pack({.type = 7, .line = "tty1", .user = "alice", .sec = kT});
  f += pack({.type = 7, .line = "tty2", .user = "alice", .sec = kT});
  f += pack({.type = 7, .line = "tty3", .user = "alice", .sec = kT});
  std::string bad_type = pack({.type = 99, .sec = kT});
  std::string garbage = pack({.type = 7, .line = "pts/9", .user = "x\x01\x02y", .sec = kT});
  std::string bad_usec =
      pack({.type = 7, .line = "pts/9", .user = "carol", .sec = kT, .usec = 2000000});
  std::string no_time = pack({.type = 7, .line = "pts/9", .user = "dave"});
  f += bad_type + garbage + bad_usec + no_time;
  f += pack({.type = 7, .line = "pts/0", .user = "bob", .host = "10.0.0.5", .sec = kT + 60});
  f += std::string(50, '\x07');
  LoginHarness h("utmp");
  auto all = h.run(f);
  REQUIRE(all.size() == 9);
  CHECK(all[2].status == LineStatus::record);
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[3].reason == "corrupt record: ut_type is not 0-9");
  CHECK(all[4].reason == "corrupt record: control characters in ut_user");
  CHECK(all[5].reason == "corrupt record: microseconds not 0-999999");
  CHECK(all[6].reason == "record without a time (ut_tv is 0)");
  CHECK(all[7].status == LineStatus::record);
  CHECK(all[7].event.user == "bob");
  CHECK(to_string(all[7].event.from_ip) == "10.0.0.5");
  CHECK(all[8].status == LineStatus::malformed);
  CHECK(all[8].reason == "partial record at the end of the file");
}

TEST_CASE("utmp: clock changes, empty and init records are skipped with their time",
          "[login][utmp]") {
  std::string f;
  f += pack({.type = 0, .pid = 0});
  f += pack({.type = 4, .pid = 0, .line = "|", .user = "date", .sec = kT});
  f += pack({.type = 3, .pid = 0, .line = "}", .user = "date", .sec = kT + 300});
  f += pack({.type = 5, .pid = 1, .line = "", .id = "si", .sec = kT + 301});
  f += pack({.type = 8, .pid = 1, .line = "", .id = "si", .sec = kT + 302});
  f += pack({.type = 1, .pid = 0, .line = "~", .user = "reboot", .sec = kT + 303});
  LoginHarness h("utmp");
  auto all = h.run(f);
  REQUIRE(all.size() == 6);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[0].event.time == kNoTime);
  CHECK(all[1].reason == "system clock change (OLD_TIME/NEW_TIME)");
  CHECK(all[1].time() == "2026-04-23T15:19:00Z");
  CHECK(all[2].time() == "2026-04-23T15:24:00Z");
  CHECK(all[3].reason == "INIT_PROCESS");
  CHECK(all[4].reason == "DEAD_PROCESS without ut_line (no session)");
  CHECK(all[5].status == LineStatus::record);
  CHECK(all[5].event.action == LoginAction::boot);
}

TEST_CASE("utmp: sniff and layout detection", "[login][utmp]") {
  const char* why = "";
  auto& f = formats::utmp_format();
  CHECK(f.sniff(session_file(), &why) >= 90);
  CHECK(std::string(why).find("384 bytes, little-endian") != std::string::npos);
  CHECK(f.sniff(session_file(true, true), &why) >= 90);
  CHECK(std::string(why).find("s390x") != std::string::npos);
  CHECK(f.sniff("[7] [04859] [ts/0] [jdoe    ] [pts/0       ] [192.0.2.10          ] "
                "[192.0.2.10     ] [2026-04-23T15:19:00,123456+00:00]\n",
                &why) == 0);
  CHECK(f.sniff(std::string(384, '\0'), &why) == 0);  // nothing but EMPTY: no evidence
  CHECK(f.record_size(std::string(384, '\xa4')) == 0);
  CHECK(f.record_size(std::string(100, '\0')) == 0);
  Family login = Family::login;
  auto s = sniff_format(session_file(), &login);
  REQUIRE(s.format);
  CHECK(s.format->name == "utmp");
}

TEST_CASE("utmp: corpus", "[login][utmp][corpus]") {
  auto dir = test::find_corpus("login-utmp-binary");
  if (!dir) return;
  auto& fmt = formats::utmp_format();
  struct Expect {
    const char* file;
    size_t size, records, malformed, logins, logouts, boots, shutdowns, failed;
  };
  const Expect expect[] = {
      {"logs-srv__wtmp", 384, 58, 0, 28, 26, 3, 1, 0},
      {"log-samples__wtmp", 384, 501, 0, 251, 250, 0, 0, 0},
      {"btmp", 384, 6, 0, 0, 0, 0, 0, 6},
      {"plaso__wtmp.1", 384, 2, 1, 1, 1, 0, 0, 0},
      {"utmp", 384, 7, 0, 6, 0, 1, 0, 0},
      {"utmp_x86_64", 384, 3, 0, 0, 1, 1, 1, 0},
      {"utmp_s390", 400, 3, 0, 0, 1, 1, 1, 0},
      {"utmp_corrupted", 384, 2, 3, 2, 0, 0, 0, 0},
  };
  for (const auto& e : expect) {
    INFO(e.file);
    std::string bytes = test::read_file(*dir / e.file);
    REQUIRE(!bytes.empty());
    CHECK(fmt.record_size(bytes) == e.size);
    const char* why = "";
    CHECK(fmt.sniff(bytes, &why) >= 70);
    LoginHarness h("utmp", "UTC", 2026, kNoTime, with_host("srv1"));
    h.file.path = (*dir / e.file).string();
    auto all = h.run(bytes);
    size_t records = 0, malformed = 0, n[8] = {};
    for (const auto& o : all) {
      if (o.status == LineStatus::record) {
        ++records;
        ++n[size_t(o.event.action)];
        CHECK(o.event.time != kNoTime);
        CHECK(o.event.host == "srv1");
      }
      if (o.status == LineStatus::malformed) {
        ++malformed;
        CHECK((o.reason == "corrupt record: ut_type is not 0-9" ||
               o.reason == "partial record at the end of the file"));
      }
    }
    CHECK(records == e.records);
    CHECK(malformed == e.malformed);
    CHECK(n[size_t(LoginAction::login)] == e.logins);
    CHECK(n[size_t(LoginAction::logout)] == e.logouts);
    CHECK(n[size_t(LoginAction::boot)] == e.boots);
    CHECK(n[size_t(LoginAction::shutdown)] == e.shutdowns);
    CHECK(n[size_t(LoginAction::failed)] == e.failed);
  }

  // A fuzzer's garbage record fits no layout.
  std::string garbage = test::read_file(*dir / "github-1097");
  CHECK(fmt.record_size(garbage) == 0);
  const char* why = "";
  CHECK(fmt.sniff(garbage, &why) == 0);

  // Real fields of a real record.
  LoginHarness h("utmp");
  auto r = h.records(test::read_file(*dir / "logs-srv__wtmp"));
  REQUIRE(r.size() > 2);
  CHECK(r[1].event.user == "root");
  CHECK(r[1].event.tty == "pts/0");
  CHECK(to_string(r[1].event.from_ip) == "192.168.130.40");
  CHECK(r[1].time() == "2020-07-05T03:25:24.116273Z");
}

TEST_CASE("utmp: macOS utmpx and lastlog are not read as utmp", "[login][utmp][corpus]") {
  auto& fmt = formats::utmp_format();
  const char* why = "";
  if (auto mac = test::find_corpus("login-utmpx-mac/utmpx_mac")) {
    std::string bytes = test::read_file(*mac);
    CHECK(fmt.record_size(bytes) == 0);
    CHECK(fmt.sniff(bytes, &why) == 0);
    CHECK(std::string(why).find("no utmp record layout") == 0);
  }
  auto dir = test::find_corpus("login-lastlog-binary");
  if (!dir) return;
  for (const auto& entry : std::filesystem::directory_iterator(*dir)) {
    INFO(entry.path());
    std::string bytes = test::read_file(entry.path());
    CHECK(fmt.record_size(bytes.substr(0, 1 << 20)) == 0);
    CHECK(fmt.sniff(bytes.substr(0, 1 << 20), &why) == 0);
  }
}

TEST_CASE("utmp: the testdata samples", "[login][utmp]") {
  auto count = [](const std::vector<test::Outcome<LoginEvent>>& all, LoginAction a) {
    size_t n = 0;
    for (const auto& o : all) n += o.status == LineStatus::record && o.event.action == a;
    return n;
  };
  for (const char* name : {"testdata/login/utmp/wtmp", "testdata/login/utmp/wtmp.s390x"}) {
    INFO(name);
    LoginHarness h("utmp", "UTC", 2026, kNoTime, with_host("ws-lab1-07"));
    h.file.path = name;
    auto all = h.run(test::read_sample(name));
    REQUIRE(all.size() == 18);
    for (const auto& o : all) CHECK(o.status != LineStatus::malformed);
    CHECK(count(all, LoginAction::login) == 6);
    CHECK(count(all, LoginAction::logout) == 4);
    CHECK(count(all, LoginAction::boot) == 3);
    CHECK(count(all, LoginAction::shutdown) == 1);
    CHECK(all[6].event.user == "asmith");
    CHECK(to_string(all[6].event.from_ip) == "2001:db8:20:3::1a7");
    CHECK(all[14].event.from == "lab-gw.example.org");
    CHECK(to_string(all[14].event.from_ip) == "203.0.113.5");
    CHECK(all[15].reason == "system clock change (OLD_TIME/NEW_TIME)");
  }
  LoginHarness b("utmp");
  b.file.path = "testdata/login/utmp/btmp";
  auto failed = b.records(test::read_sample("testdata/login/utmp/btmp"));
  REQUIRE(failed.size() == 4);
  for (const auto& o : failed) CHECK(o.event.action == LoginAction::failed);
  CHECK(failed[2].event.user == "oracle");
  CHECK(failed[2].time() == "2026-04-23T03:12:09Z");
}

TEST_CASE("utmp: read by the scanner, sniffed, with evidence", "[login][utmp]") {
  // A copy with a partial last record, as a wtmp cut by a copy in progress.
  auto path = std::filesystem::temp_directory_path() /
              ("tracekit-utmp-scan-" + std::to_string(::getpid()) + "-wtmp");
  {
    std::string bytes = test::read_sample("testdata/login/utmp/wtmp") + std::string(100, '\0');
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
  }
  Diagnostics diag("test", false, nullptr);
  ScanSettings settings;
  settings.default_zone = find_zone("UTC");
  Scanner sc(diag, settings);
  SourceSpec src;
  src.patterns.push_back(path.string());
  src.host = "ws-lab1-07";
  std::vector<std::string> seen;
  sc.scan<LoginEvent>(src, 0, [&](const LoginEvent& ev, const ScanFile&, uint32_t, const Line&) {
    seen.push_back(std::to_string(ev.first_line) + " " + std::string(login_action_name(ev.action)) +
                   " " + std::string(ev.user) + " " + std::string(ev.host) + " " +
                   std::string(ev.raw.substr(0, 11)));
  });
  std::filesystem::remove(path);
  REQUIRE(sc.files().size() == 1);
  const ScanFile& f = sc.files()[0];
  REQUIRE(f.format);
  CHECK(f.format->name == "utmp");
  CHECK(f.records == 14);
  CHECK(f.malformed == 1);  // the partial record
  CHECK(f.lines == 19);
  REQUIRE(seen.size() == 14);
  CHECK(seen[0] == "1 boot  ws-lab1-07 [2] [00000]");
  CHECK(seen[3] == "6 login jdoe ws-lab1-07 [7] [04859]");
  CHECK(format_rfc3339(f.first_time) == "2026-04-23T07:00:01Z");
}

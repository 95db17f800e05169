#include <catch2/catch.hpp>
#include <filesystem>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::LoginHarness;

namespace {

std::string from_ip(const test::Outcome<LoginEvent>& o) {
  return o.event.has_from_ip ? to_string(o.event.from_ip) : "";
}
std::string assigned(const test::Outcome<LoginEvent>& o) {
  return o.event.has_assigned_ip ? to_string(o.event.assigned_ip) : "";
}

}  // namespace

TEST_CASE("fortigate-vpn: SSL VPN tunnel up and down pair by tunnelid", "[login][fortigate-vpn]") {
  LoginHarness h("fortigate-vpn", "UTC", 2026);
  auto all = h.run(
      "date=2026-04-23 time=16:14:05 devname=\"fgt-edge\" devid=\"FG100F0000000001\" "
      "tz=\"+0100\" logid=\"0101039424\" type=\"event\" subtype=\"vpn\" level=\"information\" "
      "vd=\"root\" logdesc=\"SSL VPN tunnel up\" action=\"tunnel-up\" tunneltype=\"ssl-tunnel\" "
      "tunnelid=1780285441 remip=198.51.100.23 tunnelip=10.212.134.200 user=\"jdoe\" "
      "group=\"vpn-users\" dst_host=\"N/A\" reason=\"N/A\" msg=\"SSL tunnel established\"\n"
      "date=2026-04-23 time=16:52:11 devname=\"fgt-edge\" devid=\"FG100F0000000001\" "
      "eventtime=1776959531000000000 tz=\"+0100\" logid=\"0101039425\" type=\"event\" "
      "subtype=\"vpn\" action=\"tunnel-down\" tunneltype=\"ssl-tunnel\" tunnelid=1780285441 "
      "remip=198.51.100.23 tunnelip=10.212.134.200 user=\"jdoe\" duration=2286\n");
  REQUIRE(all.size() == 2);
  REQUIRE(all[0].status == LineStatus::record);
  const LoginEvent& in = all[0].event;
  CHECK(in.action == LoginAction::login);
  CHECK(in.user == "jdoe");
  CHECK(from_ip(all[0]) == "198.51.100.23");
  CHECK(assigned(all[0]) == "10.212.134.200");
  CHECK(in.session_key == "1780285441");
  CHECK(in.host == "fgt-edge");
  CHECK(in.service == "sslvpn");
  CHECK(all[0].time() == "2026-04-23T15:14:05Z");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == LoginAction::logout);
  CHECK(all[1].event.session_key == "1780285441");
  CHECK(all[1].time() == "2026-04-23T15:52:11.000Z");  // eventtime: nanoseconds
  CHECK(format_rfc3339(all[1].event.start, false) == "2026-04-23T15:14:05Z");
}

TEST_CASE("fortigate-vpn: failures, IPsec, other logs", "[login][fortigate-vpn]") {
  LoginHarness h("fortigate-vpn", "UTC", 2026);
  auto all = h.run(
      "date=2024-10-14 time=13:46:40 eventtime=1728938800841267391 tz=\"-0700\" "
      "logid=\"1234567890\" type=\"event\" subtype=\"vpn\" level=\"alert\" vd=\"root\" "
      "logdesc=\"SSL VPN login fail\" action=\"ssl-login-fail\" tunneltype=\"ssl-web\" "
      "tunnelid=0 remip=192.168.0.1 user=\"N/A\" group=\"N/A\" "
      "reason=\"sslvpn_login_unknown_user\"\n"
      "date=2024-10-14 time=13:46:41 tz=\"-0700\" logid=\"1234567890\" type=\"event\" "
      "subtype=\"vpn\" action=\"ssl-login-fail\" tunneltype=\"ssl-web\" tunnelid=0 "
      "remip=192.168.0.1 user=\"sapservice\"\n"
      "<189>date=2026-04-23 time=16:25:31 devname=\"fgt\" devid=\"FG1\" logid=\"0101023101\" "
      "type=\"event\" subtype=\"vpn\" action=\"tunnel-up\" tunneltype=\"ipsec\" "
      "tunnelid=2193476321 remip=192.0.2.61 tunnelip=10.212.135.7 user=\"mlee\"\n"
      "date=2026-04-23 time=16:20:00 devid=\"FG1\" logid=\"0000000013\" type=\"traffic\" "
      "subtype=\"forward\" srcip=10.0.0.1 dstip=192.0.2.80 action=\"close\"\n"
      "date=2026-04-23 time=16:20:00 devid=\"FG1\" logid=\"0100032001\" type=\"event\" "
      "subtype=\"system\" action=\"login\" user=\"admin\"\n"
      "date=2026-04-23 time=16:20:00 devid=\"FG1\" logid=\"0101037141\" type=\"event\" "
      "subtype=\"vpn\" action=\"negotiate\" remip=192.0.2.61\n"
      "date=2026-04-23 time=16:20:00 devid=\"FG1\" type=\"event\" subtype=\"vpn\" "
      "action=\"tunnel-up\" tunnelid=5 remip=300.1.1.1\n"
      "date=2026-04-23 time=16:20:00 devid=\"FG1\" type=\"event\" subtype=\"vpn\" "
      "action=\"tunnel-up\" remip=192.0.2.1\n"
      "date=2026-04-23 time=16:20:00 devid=\"FG1\" type=\"event\" user=\"x\n"
      "hello world\n");
  REQUIRE(all.size() == 10);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].event.action == LoginAction::failed);
  CHECK(all[0].event.user.empty());  // "N/A"
  CHECK(from_ip(all[0]) == "192.168.0.1");
  CHECK(all[0].time() == "2024-10-14T20:46:40.841267Z");
  CHECK(all[1].event.user == "sapservice");
  CHECK(all[1].time() == "2024-10-14T20:46:41Z");
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.service == "ipsec");
  CHECK(assigned(all[2]) == "10.212.135.7");
  CHECK(all[3].status == LineStatus::foreign);
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[5].status == LineStatus::skip);
  CHECK(all[6].status == LineStatus::malformed);
  CHECK(all[6].reason == "VPN event: bad remip");
  CHECK(all[7].status == LineStatus::malformed);
  CHECK(all[7].reason == "tunnel-up without tunnelid");
  CHECK(all[8].status == LineStatus::malformed);
  CHECK(all[9].status == LineStatus::foreign);
}

TEST_CASE("fortigate-vpn: sniffing keeps traffic logs for fortigate", "[login][fortigate-vpn]") {
  std::string vpn = test::read_sample("testdata/login/fortigate-vpn/fortigate-vpn.log");
  std::string traffic = test::read_sample("testdata/nat/fortigate/fortigate.log");
  const char* why = "";
  CHECK(formats::fortigate_vpn_format().sniff(traffic, &why) == 0);
  auto s = sniff_format(traffic, nullptr);
  REQUIRE(s.format);
  CHECK(s.format->name == "fortigate");
  s = sniff_format(vpn, nullptr);
  REQUIRE(s.format);
  CHECK(s.format->name == "fortigate-vpn");
  LoginHarness h("fortigate-vpn", "UTC", 2026);
  size_t logins = 0, logouts = 0, failed = 0, foreign = 0, malformed = 0;
  for (const auto& o : h.run(vpn)) {
    foreign += o.status == LineStatus::foreign;
    malformed += o.status == LineStatus::malformed;
    if (o.status != LineStatus::record) continue;
    logins += o.event.action == LoginAction::login;
    logouts += o.event.action == LoginAction::logout;
    failed += o.event.action == LoginAction::failed;
  }
  CHECK(logins == 2);
  CHECK(logouts == 1);
  CHECK(failed == 1);
  CHECK(foreign == 0);
  CHECK(malformed == 0);
  // A syslog collector's file holds both: traffic logs go to fortigate, and
  // among the login formats fortigate-vpn reads the VPN events.
  std::string mixed = traffic + vpn;
  s = sniff_format(mixed, nullptr);
  REQUIRE(s.format);
  CHECK(s.format->name == "fortigate");
  const Family login = Family::login;
  s = sniff_format(mixed, &login);
  REQUIRE(s.format);
  CHECK(s.format->name == "fortigate-vpn");
}

TEST_CASE("fortigate-vpn: corpus", "[login][fortigate-vpn][corpus]") {
  auto text = test::read_corpus("login-vpn/fortinet-vpn-bf.log");
  if (!text) return;
  LoginHarness h("fortigate-vpn", "UTC", 2024);
  size_t failed = 0, named = 0;
  for (const auto& o : h.run(*text)) {
    INFO(o.raw);
    REQUIRE(o.status == LineStatus::record);
    failed += o.event.action == LoginAction::failed;
    named += !o.event.user.empty();
  }
  CHECK(failed == 9);
  CHECK(named == 5);  // four say user="N/A"
}

TEST_CASE("fortigate-vpn: tunnel statistics are interim records", "[login][fortigate-vpn]") {
  LoginHarness h("fortigate-vpn", "UTC", 2026);
  auto all = h.run(
      "date=2026-04-23 time=17:00:00 devname=\"fgt\" devid=\"FG1\" tz=\"+0000\" "
      "logid=\"0101039949\" type=\"event\" subtype=\"vpn\" action=\"tunnel-stats\" "
      "tunneltype=\"ssl-tunnel\" tunnelid=1995 remip=192.0.2.7 tunnelip=10.212.134.9 "
      "user=\"test\" nextstat=600 duration=600 sentbyte=1 rcvdbyte=2\n"
      "date=2026-04-23 time=17:00:00 devname=\"fgt\" devid=\"FG1\" logid=\"0101037141\" "
      "type=\"event\" subtype=\"vpn\" action=\"tunnel-stats\" remip=192.0.2.8 "
      "assignip=N/A tunnelip=N/A tunnelid=0 tunneltype=\"ipsec\" duration=102908570\n"
      "date=2026-04-23 time=17:00:00 devname=\"fgt\" devid=\"FG1\" logid=\"0101037141\" "
      "type=\"event\" subtype=\"vpn\" action=\"tunnel-stats\" remip=192.0.2.9 "
      "assignip=10.212.135.9 tunnelip=N/A tunnelid=77 tunneltype=\"ipsec\" duration=60\n");
  REQUIRE(all.size() == 3);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].event.action == LoginAction::interim);
  CHECK(assigned(all[0]) == "10.212.134.9");
  CHECK(format_rfc3339(all[0].event.start, false) == "2026-04-23T16:50:00Z");
  CHECK(all[1].status == LineStatus::skip);
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(assigned(all[2]) == "10.212.135.9");  // IPsec mode-config
}

TEST_CASE("fortigate-vpn: Sekoia's FortiGate samples", "[login][fortigate-vpn][corpus]") {
  auto dir = test::find_corpus("nat-fortigate/sekoia-fortigate");
  if (!dir) return;
  std::vector<std::filesystem::path> files;
  for (const auto& f : std::filesystem::directory_iterator(*dir)) files.push_back(f.path());
  std::sort(files.begin(), files.end());
  size_t failed = 0, interim = 0;
  for (const auto& f : files) {
    std::string msg = test::sekoia_message(test::read_file(f));
    LoginHarness h("fortigate-vpn", "UTC", 2026);
    auto out = h.run(msg);
    INFO(f.filename().string() << ": " << msg);
    REQUIRE(!out.empty());  // one sample holds two messages
    for (const auto& o : out) {
      CHECK(o.status != LineStatus::malformed);
      if (o.status != LineStatus::record) continue;
      failed += o.event.action == LoginAction::failed;
      interim += o.event.action == LoginAction::interim;
    }
  }
  CHECK(failed == 2);   // ssl-login-fail (one with remip="N/A")
  CHECK(interim == 1);  // SSL VPN statistics of tunnel 1995
}

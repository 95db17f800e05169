#include <catch2/catch.hpp>

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

struct Counts {
  size_t logins = 0, assigned = 0, logouts = 0, failed = 0, skipped = 0, foreign = 0, malformed = 0;
};
Counts count(const std::vector<test::Outcome<LoginEvent>>& all) {
  Counts c;
  for (const auto& o : all) {
    c.skipped += o.status == LineStatus::skip;
    c.foreign += o.status == LineStatus::foreign;
    c.malformed += o.status == LineStatus::malformed;
    if (o.status != LineStatus::record) continue;
    c.logins += o.event.action == LoginAction::login;
    c.assigned += o.event.action == LoginAction::login && o.event.has_assigned_ip;
    c.logouts += o.event.action == LoginAction::logout;
    c.failed += o.event.action == LoginAction::failed;
  }
  return c;
}

}  // namespace

TEST_CASE("strongswan: an EAP session with a virtual IP, syslog", "[login][strongswan]") {
  LoginHarness h("strongswan", "Europe/London", 2026);
  auto all = h.run(
      "Apr 23 16:12:01 vpn2 charon[2211]: 09[IKE] <7> 198.51.100.40 is initiating an IKE_SA\n"
      "Apr 23 16:12:02 vpn2 charon[2211]: 11[IKE] <rw-eap|7> EAP-MS-CHAPv2 username: 'jdoe'\n"
      "Apr 23 16:12:02 vpn2 charon[2211]: 11[IKE] <rw-eap|7> authentication of 'jdoe' with EAP "
      "successful\n"
      "Apr 23 16:12:02 vpn2 charon[2211]: 11[IKE] <rw-eap|7> IKE_SA rw-eap[7] established "
      "between 192.0.2.1[vpn.example.org]...198.51.100.40[192.168.1.20]\n"
      "Apr 23 16:12:02 vpn2 charon[2211]: 11[IKE] <rw-eap|7> assigning virtual IP 10.10.1.64 to "
      "peer 'jdoe'\n"
      "Apr 23 16:12:02 vpn2 charon[2211]: 11[IKE] <rw-eap|7> assigning virtual IP fd00:10::40 "
      "to peer 'jdoe'\n"
      "Apr 23 16:58:40 vpn2 charon[2211]: 15[IKE] <rw-eap|7> deleting IKE_SA rw-eap[7] between "
      "192.0.2.1[vpn.example.org]...198.51.100.40[192.168.1.20]\n"
      "Apr 23 16:58:40 vpn2 charon[2211]: 15[IKE] <rw-eap|7> IKE_SA deleted\n");
  REQUIRE(all.size() == 8);
  CHECK(all[0].status == LineStatus::skip);
  CHECK(all[1].status == LineStatus::skip);
  CHECK(all[2].status == LineStatus::skip);
  REQUIRE(all[3].status == LineStatus::record);
  const LoginEvent& in = all[3].event;
  CHECK(in.action == LoginAction::login);
  CHECK(in.user == "jdoe");  // the EAP identity, not the IKE one
  CHECK(from_ip(all[3]) == "198.51.100.40");
  CHECK(in.from == "198.51.100.40");
  CHECK(in.session_key == "7");
  CHECK(in.host == "vpn2");
  CHECK(in.service == "strongswan");
  CHECK(all[3].time() == "2026-04-23T15:12:02Z");
  REQUIRE(all[4].status == LineStatus::record);
  CHECK(assigned(all[4]) == "10.10.1.64");
  CHECK(all[4].event.user == "jdoe");
  CHECK(from_ip(all[4]) == "198.51.100.40");
  CHECK(all[4].event.from == "198.51.100.40");  // kept from the SA's earlier line
  CHECK(all[4].event.session_key == "7");
  CHECK(assigned(all[5]) == "fd00:10::40");
  REQUIRE(all[6].status == LineStatus::record);
  CHECK(all[6].event.action == LoginAction::logout);
  CHECK(all[6].event.session_key == "7");
  CHECK(all[6].event.user == "jdoe");
  CHECK(all[7].status == LineStatus::skip);
  CHECK(all[7].reason == "end of an IKE_SA already ended");
}

TEST_CASE("strongswan: RFC 5424, XAuth, and ends of SAs never established", "[login][strongswan]") {
  LoginHarness h("strongswan", "UTC", 2026);
  auto all = h.run(
      "<30>1 2026-04-23T17:05:00+01:00 vpn3 charon 3120 - [meta sequenceId=\"1\"] 05[IKE] <10> "
      "192.0.2.77 is initiating a Main Mode IKE_SA\n"
      "<30>1 2026-04-23T17:05:01+01:00 vpn3 charon 3120 - [meta sequenceId=\"2\"] 06[IKE] "
      "<xauth|10> XAuth authentication of 'mlee' successful\n"
      "<30>1 2026-04-23T17:05:01+01:00 vpn3 charon 3120 - [meta sequenceId=\"3\"] 06[IKE] "
      "<xauth|10> IKE_SA xauth[10] established between "
      "192.0.2.3[192.0.2.3]...192.0.2.77[192.0.2.77]\n"
      "<30>1 2026-04-23T17:06:30+01:00 vpn3 charon 3120 - [meta sequenceId=\"5\"] 07[IKE] "
      "<con1|62> XAuth authentication of 'lyb' failed\n"
      "<11>1 2026-04-23T17:06:30+01:00 vpn3 charon 3120 - [meta sequenceId=\"6\"] in "
      "openpam_dispatch(): all modules were unsuccessful for pam_sm_authenticate()\n"
      "<30>1 2026-04-23T17:06:31+01:00 vpn3 charon 3120 - [meta sequenceId=\"7\"] 06[IKE] "
      "<con1|62> received DELETE for IKE_SA con1[62]\n"
      "<30>1 2026-04-23T17:06:32+01:00 vpn3 charon 3120 - [meta sequenceId=\"8\"] 06[IKE] "
      "<con1|63> IKE_SA deleted\n"
      "<30>1 2026-04-23T17:06:33+01:00 vpn3 charon 3120 - [meta sequenceId=\"9\"] 07[JOB] "
      "<x|64> deleting half open IKE_SA with 203.0.113.9 after timeout\n");
  REQUIRE(all.size() == 8);
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.user == "mlee");
  CHECK(from_ip(all[2]) == "192.0.2.77");
  CHECK(all[2].time() == "2026-04-23T16:05:01Z");
  REQUIRE(all[3].status == LineStatus::record);
  CHECK(all[3].event.action == LoginAction::failed);
  CHECK(all[3].event.user == "lyb");
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "charon message without a thread tag");
  CHECK(all[5].status == LineStatus::skip);
  CHECK(all[5].reason == "end of an IKE_SA not seen established");
  CHECK(all[6].status == LineStatus::skip);
  CHECK(all[7].status == LineStatus::skip);
}

TEST_CASE("strongswan: EAP failures name the user of the SA", "[login][strongswan]") {
  LoginHarness h("strongswan", "UTC", 2026);
  auto all = h.run(
      "Feb 22 20:23:01 pfSense charon[32532]: 08[IKE] <1807> 116.178.2.170 is initiating an "
      "IKE_SA\n"
      "Feb 22 20:23:02 pfSense charon[32532]: 08[IKE] <con2|1807> EAP-MS-CHAPv2 username: "
      "'hll'\n"
      "Feb 22 20:23:03 pfSense charon[32532]: 08[IKE] <con2|1807> EAP-MS-CHAPv2 verification "
      "failed, retry (1)\n"
      "Feb 22 20:23:04 pfSense charon[32532]: 08[IKE] <con2|1808> EAP-MS-CHAPv2 verification "
      "failed, retry (1)\n"
      "Feb 22 20:23:05 pfSense charon[32532]: 08[IKE] <1809> EAP method EAP_MSCHAPV2 failed for "
      "peer 192.0.2.99\n"
      "Feb 22 20:23:06 pfSense charon[32532]: 08[IKE] <con2|1810> RADIUS authentication of "
      "'carol' failed\n"
      "Feb 22 20:23:07 pfSense charon[32532]: 08[IKE] <con2|1807> deleting IKE_SA con2[1807] "
      "between 116.178.2.180[vpn]...116.178.2.170[hll]\n");
  REQUIRE(all.size() == 7);
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.action == LoginAction::failed);
  CHECK(all[2].event.user == "hll");
  CHECK(from_ip(all[2]) == "116.178.2.170");
  CHECK(all[2].event.session_key == "1807");
  CHECK(all[3].status == LineStatus::skip);  // an SA never seen: no user, no peer
  REQUIRE(all[4].status == LineStatus::record);
  CHECK(from_ip(all[4]) == "192.0.2.99");
  REQUIRE(all[5].status == LineStatus::record);
  CHECK(all[5].event.user == "carol");
  // An SA that failed its authentication was never established: its deletion
  // ends no session.
  CHECK(all[6].status == LineStatus::skip);
  CHECK(all[6].reason == "end of an IKE_SA never established");
}

TEST_CASE("strongswan: a session with no end, charon's file log, year-less dates",
          "[login][strongswan]") {
  LoginHarness h("strongswan", "UTC", 0, test::utc("2027-02-01T00:00:00Z"));
  auto all = h.run(
      "Dec 31 23:50:00 13[IKE] <rw|9> IKE_SA rw[9] established between "
      "2001:db8::1[vpn]...2001:db8:40::9[2001:db8:40::9]\n"
      "Jan  1 00:10:00 13[IKE] <rw|9> assigning virtual IP 10.10.1.65 to peer 'asmith'\n");
  REQUIRE(all.size() == 2);
  REQUIRE(all[0].status == LineStatus::record);
  CHECK(all[0].event.user == "2001:db8:40::9");  // no EAP: the IKE identity
  CHECK(from_ip(all[0]) == "2001:db8:40::9");
  CHECK(all[0].event.host.empty());
  CHECK(all[0].time() == "2026-12-31T23:50:00Z");
  CHECK((all[0].event.time_flags & kYearInferred) != 0);
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].time() == "2027-01-01T00:10:00Z");
  CHECK(assigned(all[1]) == "10.10.1.65");
  CHECK(from_ip(all[1]) == "2001:db8:40::9");
}

TEST_CASE("strongswan: malformed and foreign lines", "[login][strongswan]") {
  LoginHarness h("strongswan", "UTC", 2026);
  auto all = h.run(
      "Apr 23 10:00:00 vpn charon[1]: 11[IKE] <rw|7> assigning virtual IP 10.10.1.999 to peer "
      "'x'\n"
      "Apr 23 10:00:00 vpn charon[1]: 11[IKE] assigning virtual IP 10.10.1.9 to peer 'x'\n"
      "Apr 23 10:00:00 vpn charon[1]: 11[IKE] <rw|7> IKE_SA rw[7] established between "
      "a[b]...c[d]\n"
      "Apr 23 10:00:00 vpn charon[1]: 11[IKE] <rw|x7> IKE_SA deleted\n"
      "Apr 23 10:00:00 vpn charon[1]: 11[IKE] <rw|7 IKE_SA deleted\n"
      "Apr 99 10:00:00 vpn charon[1]: 11[IKE] <rw|7> IKE_SA deleted\n"
      "Apr 23 10:00:00 vpn sshd[1]: Accepted password for root from 10.0.0.1 port 22 ssh2\n"
      "Apr 23 10:00:00 vpn charon[1]: 05[KNL] creating rekey job for CHILD_SA "
      "ESP/0x642cbe5a/222.82.208.190\n"
      "Apr 23 10:00:00 vpn charon[1]: 11[IKE] <rw|7> authentication of '\n");
  REQUIRE(all.size() == 9);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason == "virtual IP: bad address");
  CHECK(all[1].status == LineStatus::malformed);
  CHECK(all[1].reason == "virtual IP: no IKE_SA (expected <CONN|N>)");
  CHECK(all[2].status == LineStatus::malformed);
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[4].status == LineStatus::malformed);
  CHECK(all[5].status == LineStatus::malformed);
  CHECK(all[6].status == LineStatus::foreign);
  CHECK(all[7].status == LineStatus::skip);
  CHECK(all[8].status == LineStatus::skip);
}

TEST_CASE("strongswan: sniff", "[login][strongswan]") {
  const char* why = "";
  auto& f = formats::strongswan_format();
  CHECK(f.sniff("Apr 23 16:12:02 vpn2 charon[2211]: 11[IKE] <rw-eap|7> assigning virtual IP "
                "10.10.1.64 to peer 'jdoe'\n",
                &why) >= 80);
  CHECK(f.sniff("Apr 23 16:19:00 gw sshd[1]: Accepted password for root from 10.0.0.1 port 22 "
                "ssh2\n",
                &why) == 0);
  for (const char* file :
       {"testdata/login/strongswan/charon.log", "testdata/login/strongswan/charon-rfc5424.log"}) {
    INFO(file);
    auto s = sniff_format(test::read_sample(file), nullptr);
    REQUIRE(s.format);
    CHECK(s.format->name == "strongswan");
  }
}

TEST_CASE("strongswan: the testdata samples", "[login][strongswan]") {
  LoginHarness h("strongswan", "Europe/London", 2026);
  auto c = count(h.run(test::read_sample("testdata/login/strongswan/charon.log")));
  CHECK(c.logins == 5);  // two SAs established, three virtual IPs
  CHECK(c.assigned == 3);
  CHECK(c.logouts == 1);
  CHECK(c.failed == 1);
  CHECK(c.foreign == 1);
  CHECK(c.malformed == 0);
  LoginHarness r("strongswan", "Europe/London", 2026);
  c = count(r.run(test::read_sample("testdata/login/strongswan/charon-rfc5424.log")));
  CHECK(c.logins == 2);
  CHECK(c.assigned == 1);
  CHECK(c.logouts == 1);
  CHECK(c.failed == 1);
  CHECK(c.malformed == 0);
}

TEST_CASE("strongswan: corpus", "[login][strongswan][corpus]") {
  auto text = test::read_corpus("login-vpn/charon-ipsec-logs.log");
  if (!text) return;
  LoginHarness h("strongswan", "UTC", 2024);
  auto all = h.run(*text);
  for (const auto& o : all) {
    INFO(o.raw);
    CHECK(o.status != LineStatus::malformed);
    CHECK(o.status != LineStatus::foreign);
  }
  auto c = count(all);
  // No SA in this capture is established: every failure is read, nothing else.
  CHECK(c.logins == 0);
  CHECK(c.logouts == 0);
  // 9 EAP-MS-CHAPv2 verification failures (their SAs named the user) and 11
  // XAuth failures of 'lyb'; the 11 pfSense EAP failures name no user or peer
  // (their SA began before the capture) and are skipped.
  CHECK(c.failed == 20);
}

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::LoginHarness;

namespace {

std::string from_ip(const test::Outcome<LoginEvent>& o) {
  return o.event.has_from_ip ? to_string(o.event.from_ip) : "";
}

const char* kLogonXml =
    "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider "
    "Name=\"Microsoft-Windows-Security-Auditing\" "
    "Guid=\"{54849625-5478-4994-a5ba-3e3b0328c30d}\"/><EventID>4624</EventID><Version>2</"
    "Version><TimeCreated SystemTime=\"2026-04-23T15:19:00.1234567Z\"/><EventRecordID>88123</"
    "EventRecordID><Channel>Security</Channel><Computer>WS-LAB1-07.corp.example</"
    "Computer><Security/"
    "></System><EventData><Data Name=\"SubjectUserSid\">S-1-5-18</Data><Data "
    "Name=\"TargetUserName\">jdoe</Data><Data Name=\"TargetDomainName\">CORP</Data><Data "
    "Name=\"TargetLogonId\">0x2a41f7</Data><Data Name=\"LogonType\">10</Data><Data "
    "Name=\"LogonProcessName\">User32 </Data><Data "
    "Name=\"AuthenticationPackageName\">Negotiate</Data><Data "
    "Name=\"WorkstationName\">WS-LAB1-07</Data><Data Name=\"IpAddress\">2001:db8:20:3::1a7</"
    "Data><Data Name=\"IpPort\">0</Data></EventData></Event>\n";

}  // namespace

TEST_CASE("windows-security: XML logon and logoff pair by TargetLogonId",
          "[login][windows-security]") {
  LoginHarness h("windows-security", "UTC", 2026);
  std::string text = kLogonXml;
  // Event Viewer's XML view: one element per line.
  text +=
      "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\n"
      "  <System>\n"
      "    <Provider Name=\"Microsoft-Windows-Security-Auditing\" />\n"
      "    <EventID>4634</EventID>\n"
      "    <TimeCreated SystemTime=\"2026-04-23T16:02:11.5000000Z\" />\n"
      "    <Computer>WS-LAB1-07.corp.example</Computer>\n"
      "  </System>\n"
      "  <EventData>\n"
      "    <Data Name=\"TargetUserSid\">S-1-5-21-1-2-3-1107</Data>\n"
      "    <Data Name=\"TargetUserName\">jdoe</Data>\n"
      "    <Data Name=\"TargetDomainName\">CORP</Data>\n"
      "    <Data Name=\"TargetLogonId\">0x2a41f7</Data>\n"
      "    <Data Name=\"LogonType\">10</Data>\n"
      "  </EventData>\n"
      "</Event>\n";
  auto all = h.run(text);
  REQUIRE(all.size() == 2);
  REQUIRE(all[0].status == LineStatus::record);
  const LoginEvent& in = all[0].event;
  CHECK(in.action == LoginAction::login);
  CHECK(in.user == "jdoe");
  CHECK(in.domain == "CORP");
  CHECK(in.host == "WS-LAB1-07.corp.example");
  CHECK(in.session_key == "0x2a41f7");
  CHECK(in.logon_type == 10);
  CHECK(in.place == LoginPlace::remote);
  CHECK(in.service == "rdp");
  CHECK(in.method == "Negotiate");
  CHECK(in.from == "WS-LAB1-07");
  CHECK(from_ip(all[0]) == "2001:db8:20:3::1a7");
  CHECK(all[0].time() == "2026-04-23T15:19:00.123456Z");
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == LoginAction::logout);
  CHECK(all[1].event.session_key == "0x2a41f7");
  CHECK(all[1].event.user == "jdoe");
  CHECK(all[1].line == 2);
  CHECK(all[1].raw.ends_with("</Event>"));
  CHECK(all[1].time() == "2026-04-23T16:02:11.500Z");
}

TEST_CASE("windows-security: failed, user-initiated logoff, local and service logons",
          "[login][windows-security]") {
  LoginHarness h("windows-security", "UTC", 2026);
  auto all = h.run(
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>4625</"
      "EventID><TimeCreated SystemTime='2026-04-23T09:00:00.0000000Z'/><Computer>DC1</Computer></"
      "System><EventData><Data Name='TargetUserName'>administrator</Data><Data "
      "Name='TargetDomainName'>CORP</Data><Data Name='LogonType'>3</Data><Data "
      "Name='WorkstationName'>-</Data><Data Name='IpAddress'>203.0.113.66</Data><Data "
      "Name='IpPort'>51123</Data></EventData></Event>\n"
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>4624</"
      "EventID><TimeCreated SystemTime='2026-04-23T08:00:00Z'/><Computer>WS1</Computer></"
      "System><EventData><Data Name='TargetUserName'>mlopez</Data><Data "
      "Name='TargetLogonId'>0x51a0c</Data><Data Name='LogonType'>2</Data><Data "
      "Name='IpAddress'>127.0.0.1</Data><Data Name='WorkstationName'/></EventData></Event>\n"
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>4647</"
      "EventID><TimeCreated SystemTime='2026-04-23T12:00:00Z'/><Computer>WS1</Computer></"
      "System><EventData><Data Name='TargetUserName'>mlopez</Data><Data "
      "Name='TargetLogonId'>0x51a0c</Data></EventData></Event>\n"
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>4624</"
      "EventID><TimeCreated SystemTime='2026-04-23T08:00:01Z'/><Computer>WS1</Computer></"
      "System><EventData><Data Name='TargetUserName'>SYSTEM</Data><Data "
      "Name='TargetDomainName'>NT AUTHORITY</Data><Data Name='TargetLogonId'>0x3e7</Data><Data "
      "Name='LogonType'>5</Data><Data Name='IpAddress'>-</Data></EventData></Event>\n"
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>4672</"
      "EventID><TimeCreated SystemTime='2026-04-23T08:00:02Z'/></System></Event>\n");
  REQUIRE(all.size() == 5);
  CHECK(all[0].event.action == LoginAction::failed);
  CHECK(all[0].event.user == "administrator");
  CHECK(all[0].event.from == "203.0.113.66");
  CHECK(from_ip(all[0]) == "203.0.113.66");
  CHECK(all[0].event.session_key.empty());
  CHECK(all[0].event.place == LoginPlace::remote);
  CHECK(all[1].event.action == LoginAction::login);
  CHECK(all[1].event.place == LoginPlace::local);
  CHECK(all[1].event.service == "windows");
  CHECK(all[2].event.action == LoginAction::logout);
  CHECK(all[2].event.session_key == "0x51a0c");
  REQUIRE(all[3].status == LineStatus::record);  // SYSTEM, service logon: still a record
  CHECK(all[3].event.place == LoginPlace::unknown);
  CHECK(all[3].event.logon_type == 5);
  CHECK_FALSE(all[3].event.has_from_ip);
  CHECK(all[3].event.from.empty());
  CHECK(all[4].status == LineStatus::skip);
  CHECK(all[4].reason == "event that is not a logon or logoff");
}

TEST_CASE("windows-security: Winlogbeat, NXLog and Wazuh JSON lines", "[login][windows-security]") {
  LoginHarness h("windows-security", "America/New_York", 2026);
  auto r = h.records(
      "{\"@timestamp\":\"2026-04-23T15:19:00.123Z\",\"event\":{\"code\":\"4624\"},\"winlog\":{"
      "\"channel\":\"Security\",\"computer_name\":\"WS-LAB1-07.corp.example\",\"event_id\":4624,"
      "\"provider_name\":\"Microsoft-Windows-Security-Auditing\",\"event_data\":{"
      "\"TargetUserName\":\"jdoe\",\"TargetDomainName\":\"CORP\",\"LogonType\":\"10\","
      "\"IpAddress\":\"192.0.2.7\",\"IpPort\":\"40123\",\"TargetLogonId\":\"0x3e7aa\","
      "\"WorkstationName\":\"-\"}}}\n"
      "{\"EventTime\":\"2026-04-23 11:20:00\",\"Hostname\":\"WS2.corp.example\",\"EventID\":4634,"
      "\"SourceName\":\"Microsoft-Windows-Security-Auditing\",\"TargetUserName\":\"asmith\","
      "\"TargetDomainName\":\"CORP\",\"TargetLogonId\":\"0x99\",\"LogonType\":\"3\","
      "\"Message\":\"An account was logged off.\\r\\n\\r\\nSubject: {x}\"}\n"
      "{ \"win\": { \"eventdata\": { \"targetUserName\": \"toby\", \"targetLogonId\": "
      "\"0x1f6f29\", "
      "\"logonType\": \"3\", \"ipAddress\": \"10.1.2.3\" }, \"system\": { \"eventID\": \"4624\", "
      "\"systemTime\": \"2026-04-23T18:09:47.4367951Z\", \"computer\": \"apt29w1.example\", "
      "\"providerName\": \"Microsoft-Windows-Security-Auditing\" } } }\n");
  REQUIRE(r.size() == 3);
  CHECK(r[0].event.action == LoginAction::login);
  CHECK(r[0].event.host == "WS-LAB1-07.corp.example");
  CHECK(r[0].event.session_key == "0x3e7aa");
  CHECK(from_ip(r[0]) == "192.0.2.7");
  CHECK(r[0].event.from == "192.0.2.7");
  CHECK(r[0].time() == "2026-04-23T15:19:00.123Z");
  CHECK(r[1].event.action == LoginAction::logout);
  CHECK(r[1].event.host == "WS2.corp.example");
  CHECK(r[1].time() == "2026-04-23T15:20:00Z");  // NXLog EventTime: local (New York, EDT)
  CHECK(r[2].event.user == "toby");
  CHECK(r[2].event.host == "apt29w1.example");
  CHECK(r[2].event.logon_type == 3);
  CHECK(r[2].time() == "2026-04-23T18:09:47.436795Z");
}

TEST_CASE("windows-security: ConvertTo-Json of Get-WinEvent, pretty-printed array",
          "[login][windows-security]") {
  LoginHarness h("windows-security", "UTC", 2026);
  auto all = h.run(
      "[\n"
      "    {\n"
      "        \"Id\":  4624,\n"
      "        \"ProviderName\":  \"Microsoft-Windows-Security-Auditing\",\n"
      "        \"MachineName\":  \"WS-LAB1-07.corp.example\",\n"
      "        \"TimeCreated\":  \"\\/Date(1776957540123)\\/\",\n"
      "        \"Properties\":  [\n"
      "                           { \"Value\":  \"S-1-5-18\" }, { \"Value\":  \"WS-LAB1-07$\" },\n"
      "                           { \"Value\":  \"CORP\" }, { \"Value\":  \"0x3e7\" },\n"
      "                           { \"Value\":  \"S-1-5-21-1-2-3-1107\" },\n"
      "                           { \"Value\":  \"jdoe\" }, { \"Value\":  \"CORP\" },\n"
      "                           { \"Value\":  \"0x2a41f7\" }, { \"Value\":  10 },\n"
      "                           { \"Value\":  \"User32 \" }, { \"Value\":  \"Negotiate\" },\n"
      "                           { \"Value\":  \"WS-LAB1-07\" }, { \"Value\":  \"{0}\" },\n"
      "                           { \"Value\":  \"-\" }, { \"Value\":  \"-\" }, { \"Value\":  0 "
      "},\n"
      "                           { \"Value\":  \"0x1f4\" }, { \"Value\":  \"C:\\\\x.exe\" },\n"
      "                           { \"Value\":  \"192.0.2.7\" }, { \"Value\":  \"0\" }\n"
      "                       ],\n"
      "        \"Message\":  \"An account was successfully logged on.\\r\\n{\"\n"
      "    },\n"
      "    {\n"
      "        \"Id\":  4634,\n"
      "        \"MachineName\":  \"WS-LAB1-07.corp.example\",\n"
      "        \"TimeCreated\":  \"2026-04-23T17:02:11.5+01:00\",\n"
      "        \"Properties\":  [ { \"Value\":  \"S-1-5-21-1-2-3-1107\" }, { \"Value\":  \"jdoe\" "
      "}, { \"Value\":  \"CORP\" }, { \"Value\":  \"0x2a41f7\" }, { \"Value\":  10 } ]\n"
      "    }\n"
      "]\n");
  REQUIRE(all.size() == 4);
  CHECK(all[0].status == LineStatus::skip);
  REQUIRE(all[1].status == LineStatus::record);
  CHECK(all[1].event.action == LoginAction::login);
  CHECK(all[1].event.user == "jdoe");
  CHECK(all[1].event.session_key == "0x2a41f7");
  CHECK(all[1].event.logon_type == 10);
  CHECK(from_ip(all[1]) == "192.0.2.7");
  CHECK(all[1].event.host == "WS-LAB1-07.corp.example");
  CHECK(all[1].time() == "2026-04-23T15:19:00.123Z");
  CHECK(all[1].line == 2);
  REQUIRE(all[2].status == LineStatus::record);
  CHECK(all[2].event.action == LoginAction::logout);
  CHECK(all[2].event.session_key == "0x2a41f7");
  CHECK(all[2].time() == "2026-04-23T16:02:11.500Z");
  CHECK(all[3].status == LineStatus::skip);
}

TEST_CASE("windows-security: malformed input", "[login][windows-security]") {
  LoginHarness h("windows-security", "UTC", 2026);
  std::string two = std::string(kLogonXml);
  two.pop_back();
  two += two;
  auto all = h.run(two + "\n" +
                   "<Event><System><TimeCreated SystemTime='2026-04-23T08:00:00Z'/></System></"
                   "Event>\n"
                   "{\"winlog\":{\"event_id\":4624,\"event_data\":{\"TargetUserName\":\"x\"}}}\n"
                   "{\"winlog\": {\"event_id\": 4624,\n"
                   "Apr 23 10:00:00 gw sshd[1]: hello\n");
  REQUIRE(all.size() == 4);
  CHECK(all[0].status == LineStatus::malformed);
  CHECK(all[0].reason ==
        "several events on one line (only one record per line can be returned; split the export "
        "one event per line)");
  CHECK(all[1].status == LineStatus::malformed);
  CHECK(all[1].reason == "event without an EventID");
  CHECK(all[2].status == LineStatus::malformed);
  CHECK(all[2].reason == "logon event without a readable time");
  CHECK(all[3].status == LineStatus::malformed);  // swallowed by the open object, cut at the end
  CHECK(all[3].reason == "event cut short at the end of the file");
  CHECK(all[3].line == 4);
}

TEST_CASE("windows-security: sniff", "[login][windows-security]") {
  const char* why = "";
  auto& f = formats::windows_security_format();
  CHECK(f.sniff(kLogonXml, &why) >= 80);
  CHECK(f.sniff("{\"winlog\":{\"event_id\":4624,\"provider_name\":\"Microsoft-Windows-Security-"
                "Auditing\"}}\n",
                &why) >= 80);
  CHECK(f.sniff("Apr 23 16:19:00 gw sshd[1]: Accepted password for root from 10.0.0.1 port 22 "
                "ssh2\n",
                &why) == 0);
  CHECK(f.sniff("{\"ts\":1.0,\"uid\":\"C1\"}\n", &why) == 0);
}

namespace {
struct Counts {
  size_t logins = 0, logouts = 0, failed = 0, skipped = 0, malformed = 0;
};
Counts count(const std::vector<test::Outcome<LoginEvent>>& all) {
  Counts c;
  for (auto& o : all) {
    if (o.status == LineStatus::record) {
      c.logins += o.event.action == LoginAction::login;
      c.logouts += o.event.action == LoginAction::logout;
      c.failed += o.event.action == LoginAction::failed;
    }
    c.skipped += o.status == LineStatus::skip;
    c.malformed += o.status == LineStatus::malformed;
  }
  return c;
}
std::string ini_lines(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view l = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    size_t pass = l.find(" pass = ");
    if (l.starts_with("log ") && pass != std::string_view::npos) {
      out += l.substr(pass + 8);
      out += '\n';
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return out;
}
}  // namespace

TEST_CASE("windows-security: corpus", "[login][windows-security][corpus]") {
  {
    auto text = test::read_corpus("login-windows-security/windows-bf.log");
    if (!text) return;
    LoginHarness h("windows-security", "UTC", 2022);
    Counts c = count(h.run(*text));
    CHECK(c.failed == 6);  // five lines and a sixth without its newline
    CHECK(c.malformed == 0);
  }
  {
    auto text = test::read_corpus("login-windows-security/windows-logs.log");
    if (!text) return;
    LoginHarness h("windows-security", "UTC", 2022);
    auto r = h.records(*text);
    REQUIRE(r.size() == 1);
    CHECK(r[0].event.action == LoginAction::failed);
    CHECK(r[0].event.user == "testuser@mydomain.test");
    CHECK(r[0].event.logon_type == 8);
    CHECK(r[0].event.host == "exchange-1.mydomain.test");
    CHECK(r[0].time() == "2022-04-28T16:09:28.944354Z");
  }
  {
    auto text = test::read_corpus(
        "login-windows-security-json/"
        "covenant_sharpsc_query_dcerpc_smb_svcctl_2020-08-06012009.json");
    if (!text) return;
    LoginHarness h("windows-security", "America/New_York", 2020);
    auto all = h.run(*text);
    Counts c = count(all);
    CHECK(c.logins == 5);
    CHECK(c.logouts == 5);
    CHECK(c.malformed == 0);
    CHECK(c.logins + c.logouts + c.skipped == all.size());
  }
  {
    auto text = test::read_corpus("login-windows-security/win_event_channel.ini");
    if (!text) return;
    LoginHarness h("windows-security", "UTC", 2021);
    Counts c = count(h.run(ini_lines(*text)));
    CHECK(c.logins == 6);
    CHECK(c.malformed == 0);
  }
  {
    auto dir = test::find_corpus("login-windows-security/sekoia-windows");
    if (!dir) return;
    size_t logins = 0, logouts = 0, failed = 0, skipped = 0, malformed = 0;
    for (auto& e : std::filesystem::directory_iterator(*dir)) {
      auto j = nlohmann::json::parse(test::read_file(e.path()));
      LoginHarness h("windows-security", "UTC", 2020);
      auto all = h.run(j["input"]["message"].get<std::string>() + "\n");
      Counts c = count(all);
      for (auto& o : all)
        if (o.status == LineStatus::malformed) {
          // Two 4625 samples were cut down to a few fields, with no time.
          INFO(e.path().string());
          CHECK(o.reason == "logon event without a readable time");
        }
      logins += c.logins, logouts += c.logouts, failed += c.failed, skipped += c.skipped;
      malformed += c.malformed;
    }
    CHECK(logins == 2);
    CHECK(logouts == 2);
    CHECK(failed == 1);
    CHECK(malformed == 2);
    CHECK(skipped == 8);  // 4768, 4769, 5156 (2), 6272 (3), 6273
  }
}

TEST_CASE("windows-security: the testdata samples", "[login][windows-security]") {
  LoginHarness x("windows-security", "UTC", 2026);
  std::string sample = test::read_sample("testdata/login/windows-security/security.xml");
  auto any = sniff_format(sample, nullptr);  // among the formats of every family
  REQUIRE(any.format);
  CHECK(any.format->name == "windows-security");
  Counts c = count(x.run(sample));
  CHECK(c.malformed == 0);
  CHECK(c.logins == 3);
  CHECK(c.logouts == 2);
  CHECK(c.failed == 1);
  LoginHarness j("windows-security", "UTC", 2026);
  Counts d = count(j.run(test::read_sample("testdata/login/windows-security/winlogbeat.ndjson")));
  CHECK(d.malformed == 0);
  CHECK(d.logins == 2);
  CHECK(d.logouts == 2);
  CHECK(d.failed == 1);
}

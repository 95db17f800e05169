#include <catch2/catch.hpp>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::OwnerHarness;
using tracekit::test::utc;

namespace {

std::vector<std::string> extras(const test::Outcome<OwnerEvent>& o, std::string_view key) {
  std::vector<std::string> out;
  for (auto& [k, v] : o.event.extra)
    if (k == key) out.emplace_back(v);
  return out;
}

}  // namespace

TEST_CASE("ldif: entries, continuation lines, base64 values", "[owner][ldif]") {
  OwnerHarness h("ldif");
  auto all = h.run(
      "version: 1\n"
      "# people, example.org\n"
      "dn: ou=People,dc=example,dc=org\n"
      "objectClass: organizationalUnit\n"
      "ou: People\n"
      "\n"
      "dn: uid=jdoe,ou=People,dc=example,dc=org\n"
      "objectClass: inetOrgPerson\n"
      "uid: jdoe\n"
      "cn: Jane Doe\n"
      "displayName: Jane Doe\n"
      "mail: jane.doe@exa\n"
      " mple.org\n"
      "employeeNumber: E1001\n"
      "ou: Physics\n"
      "memberOf: cn=staff,ou=Groups,dc=example,dc=org\n"
      "memberOf: cn=physics,ou=Groups,\n"
      " dc=example,dc=org\n"
      "userPassword:: e1NTSEF9eHh4eA==\n"
      "\n"
      "dn:: dWlkPWptdWxsZXIsb3U9UGVvcGxlLGRjPWV4YW1wbGUsZGM9b3Jn\n"
      "uid: jmuller\n"
      "cn;lang-de:: SsO8cmdlbiBNw7xsbGVy\n"
      "# a comment inside the entry\n"
      "#  continued\n"
      "jpegPhoto:< file:///srv/photos/jmuller.jpg\n"
      "employeeNumber: E1002\n");
  REQUIRE(all.size() == 5);  // a blank line ending an entry is the entry's outcome
  CHECK(all[0].reason == "LDIF version line");
  CHECK(all[1].reason == "comment");
  CHECK(all[2].status == LineStatus::skip);
  CHECK(all[2].reason == "entry without a login attribute (not an account)");
  CHECK(all[2].line == 3);
  const auto& jd = all[3];
  REQUIRE(jd.status == LineStatus::record);
  CHECK(jd.line == 7);
  CHECK(jd.event.login == "jdoe");
  CHECK(jd.event.name == "Jane Doe");
  CHECK(jd.event.email == "jane.doe@example.org");
  CHECK(jd.event.id == "E1001");
  CHECK(jd.event.unit == "Physics");
  CHECK(extras(jd, "memberOf") ==
        std::vector<std::string>{"cn=staff,ou=Groups,dc=example,dc=org",
                                 "cn=physics,ou=Groups,dc=example,dc=org"});
  CHECK(extras(jd, "dn") == std::vector<std::string>{"uid=jdoe,ou=People,dc=example,dc=org"});
  CHECK(extras(jd, "cn") == std::vector<std::string>{"Jane Doe"});  // displayName won
  CHECK(extras(jd, "userPassword").empty());
  CHECK(extras(jd, "objectClass").empty());
  CHECK(jd.raw.rfind("dn: uid=jdoe,", 0) == 0);
  CHECK(jd.raw.find("\n dc=example,dc=org\n") != std::string::npos);
  const auto& jm = all[4];  // the last entry, completed at the end of the file
  REQUIRE(jm.status == LineStatus::record);
  CHECK(jm.line == 21);
  CHECK(jm.event.login == "jmuller");
  CHECK(jm.event.name == "Jürgen Müller");
  CHECK(jm.event.id == "E1002");
  CHECK(extras(jm, "dn") == std::vector<std::string>{"uid=jmuller,ou=People,dc=example,dc=org"});
  CHECK(extras(jm, "jpegPhoto").empty());
}

TEST_CASE("ldif: Active Directory exports and mapped validity", "[owner][ldif]") {
  SourceSpec src;
  src.directory.columns = {{"valid_from", "startDate"}, {"valid_to", "accountExpires2"}};
  OwnerHarness h("ldif", "UTC", 2026, kNoTime, src);
  auto r = h.records(
      "dn: CN=Jane Doe,OU=Staff,DC=corp,DC=example,DC=org\n"
      "sAMAccountName: JDoe\n"
      "cn: Jane Doe\n"
      "employeeID: 1001\n"
      "department: Physics\n"
      "startDate: 2024-09-01\n"
      "accountExpires2: 20260901000000Z\n");
  REQUIRE(r.size() == 1);
  CHECK(r[0].event.login == "JDoe");
  CHECK(r[0].event.name == "Jane Doe");
  CHECK(r[0].event.id == "1001");
  CHECK(r[0].event.unit == "Physics");
  CHECK(r[0].event.dated);
  CHECK(r[0].event.valid_from == utc("2024-09-01T00:00:00Z"));
  CHECK(r[0].event.valid_to == utc("2026-09-01T00:00:00Z"));
}

TEST_CASE("ldif: malformed entries and change records", "[owner][ldif]") {
  OwnerHarness h("ldif");
  auto all = h.run(
      "uid: stray\n"
      " stray continuation\n"
      "\n"
      "dn: uid=a,dc=example,dc=org\n"
      "uid:: !!!notbase64\n"
      "\n"
      "dn: uid=b,dc=example,dc=org\n"
      "no colon here\n"
      "\n"
      "dn: uid=c,dc=example,dc=org\n"
      "changetype: delete\n"
      "\n");
  REQUIRE(all.size() == 6);
  CHECK(all[0].reason == "attribute outside an entry (an entry starts with dn:)");
  CHECK(all[1].reason == "continuation line outside an entry");
  CHECK(all[3].status == LineStatus::malformed);
  CHECK(all[3].reason == "bad base64 value");
  CHECK(all[3].line == 4);
  CHECK(all[2].reason == "empty line");
  CHECK(all[4].reason == "attribute line without ':'");
  CHECK(all[4].line == 7);
  CHECK(all[5].reason == "change record");
}

TEST_CASE("ldif: sniffing", "[owner][ldif]") {
  const char* why = "";
  auto sniff = formats::ldif_format().sniff;
  CHECK(sniff("version: 1\n\ndn: uid=jdoe,dc=example,dc=org\nuid: jdoe\n", &why) == 90);
  CHECK(sniff("# comment\ndn: uid=jdoe,dc=example,dc=org\nuid: jdoe\n", &why) == 90);
  CHECK(sniff("login,name\njdoe,Jane\n", &why) == 0);
  CHECK(sniff("jdoe:x:1001:1001:Jane Doe:/home/jdoe:/bin/sh\n", &why) == 0);
}

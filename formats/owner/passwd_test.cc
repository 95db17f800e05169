#include <catch2/catch.hpp>

#include "format_list.h"
#include "parse_harness.h"

using namespace tracekit;
using tracekit::test::OwnerHarness;

namespace {

std::string extra(const test::Outcome<OwnerEvent>& o, std::string_view key) {
  for (auto& [k, v] : o.event.extra)
    if (k == key) return std::string(v);
  return "<none>";
}

}  // namespace

TEST_CASE("passwd: login, uid and the GECOS full name", "[owner][passwd]") {
  OwnerHarness h("passwd");
  auto all = h.run(
      "# copied from fs1 on 2026-04-01\n"
      "root:x:0:0:root:/root:/bin/bash\n"
      "jdoe:x:1001:1001:Jane Doe,Room 4.17,+44 20 7946 0017,,:/home/jdoe:/bin/bash\n"
      "jmuller:*:1002:100:Jürgen Müller:/home/jmuller:/usr/sbin/nologin\n"
      "svc-backup:x:998:998::/var/lib/backup:\n"
      "+@staff::::::\n"
      "\n");
  REQUIRE(all.size() == 7);
  CHECK(all[0].reason == "comment");
  const auto& jd = all[2];
  REQUIRE(jd.status == LineStatus::record);
  CHECK(jd.event.login == "jdoe");
  CHECK(jd.event.name == "Jane Doe");
  CHECK(jd.event.id == "1001");
  CHECK(jd.event.email.empty());
  CHECK_FALSE(jd.event.dated);
  CHECK(extra(jd, "room") == "Room 4.17");
  CHECK(extra(jd, "work_phone") == "+44 20 7946 0017");
  CHECK(extra(jd, "home_phone") == "<none>");
  CHECK(extra(jd, "gid") == "1001");
  CHECK(extra(jd, "home") == "/home/jdoe");
  CHECK(extra(jd, "shell") == "/bin/bash");
  CHECK(all[3].event.name == "Jürgen Müller");
  REQUIRE(all[4].status == LineStatus::record);
  CHECK(all[4].event.name.empty());
  CHECK(extra(all[4], "shell") == "<none>");
  CHECK(all[5].reason == "NIS compat line");
  CHECK(all[6].reason == "empty line");
}

TEST_CASE("passwd: malformed lines", "[owner][passwd]") {
  OwnerHarness h("passwd");
  auto all = h.run(
      "jdoe:x:1001:1001:Jane Doe:/home/jdoe\n"
      "jdoe:x:abc:1001:Jane Doe:/home/jdoe:/bin/sh\n"
      ":x:1:1::/:/bin/sh\n"
      "a:b:1:1:c:d:e:f\n");
  REQUIRE(all.size() == 4);
  CHECK(all[0].reason == "expected 7 colon-separated fields (login:pw:uid:gid:gecos:home:shell)");
  CHECK(all[1].reason == "uid is not a number");
  CHECK(all[2].reason == "empty login");
  CHECK(all[3].status == LineStatus::malformed);
}

TEST_CASE("passwd: sniffing", "[owner][passwd]") {
  const char* why = "";
  auto sniff = formats::passwd_format().sniff;
  CHECK(sniff("root:x:0:0:root:/root:/bin/bash\njdoe:x:1001:1001:Jane:/home/jdoe:/bin/sh\n",
              &why) == 90);
  CHECK(sniff("login,name\njdoe,Jane\n", &why) == 0);
  CHECK(sniff("dn: uid=jdoe,dc=example,dc=org\nuid: jdoe\n", &why) == 0);
}

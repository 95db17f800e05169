#include "tracekit/login_hop.h"

#include <catch2/catch.hpp>

#include "parse_harness.h"

using namespace tracekit;

namespace {

SourceSpec vpn_source(const std::string& file, const std::string& format, std::string_view text) {
  SourceSpec s = test::source_file("login-hop-test", file, format, text);
  s.tz = "UTC";
  s.year = 2026;
  return s;
}

// The login fields of the answer to `key` at `time`, the hop loaded with the
// keys of `batch` (the query's own key among them).
std::string answer(const SourceSpec& src, std::vector<std::string> batch, std::string_view key,
                   std::string_view time) {
  ToolRun run{"trace-login"};
  run.diag = Diagnostics("trace-login", false, nullptr);
  run.sources = {src};
  std::vector<LoginQuery> queries;
  std::vector<LoginKey> keys;
  LoginQuery asked;
  for (const auto& k : batch) {
    LoginQuery q;
    std::string err;
    REQUIRE(login_query_from_args(k, false, test::utc(time), q, err));
    keys.insert(keys.end(), q.keys.begin(), q.keys.end());
    if (k == key) asked = q;
  }
  REQUIRE(!asked.keys.empty());
  LoginHop hop(run, {});
  REQUIRE(hop.load(keys));
  std::vector<Row> rows = hop.answer(asked);
  REQUIRE(rows.size() == 1);
  std::string out;
  for (const char* f : {"login.match", "login.user", "login.from", "login.start", "login.end"})
    out += std::string(f) + "=" + get_text(rows[0], f) + "\n";
  // The evidence by file name (the scratch directory aside) and line.
  std::string evidence = get_text(rows[0], "login.evidence"), lines;
  for (size_t from = 0; from <= evidence.size();) {
    size_t comma = std::min(evidence.find(',', from), evidence.size());
    std::string_view ref(evidence.data() + from, comma - from);
    lines += (lines.empty() ? "" : ",") + std::string(ref.substr(ref.rfind('/') + 1));
    from = comma + 1;
  }
  return out + "login.evidence=" + lines + "\n";
}

// strongSwan: the peer authenticated, its IKE_SA, then one virtual IP per
// family, then its end.
constexpr std::string_view kCharon =
    "Apr 23 16:12:02 vpn2 charon[2211]: 11[IKE] <rw-eap|7> authentication of 'jdoe' with EAP "
    "successful\n"
    "Apr 23 16:12:02 vpn2 charon[2211]: 11[IKE] <rw-eap|7> IKE_SA rw-eap[7] established between "
    "192.0.2.1[vpn.example.org]...198.51.100.40[192.168.1.20]\n"
    "Apr 23 16:12:02 vpn2 charon[2211]: 11[IKE] <rw-eap|7> assigning virtual IP 10.10.1.64 to "
    "peer 'jdoe'\n"
    "Apr 23 16:12:02 vpn2 charon[2211]: 11[IKE] <rw-eap|7> assigning virtual IP fd00:10::40 to "
    "peer 'jdoe'\n"
    "Apr 23 16:58:40 vpn2 charon[2211]: 15[IKE] <rw-eap|7> deleting IKE_SA rw-eap[7] between "
    "192.0.2.1[vpn.example.org]...198.51.100.40[192.168.1.20]\n";

}  // namespace

TEST_CASE("login hop: a VPN session answers the same alone and in a batch, by either address",
          "[login]") {
  SourceSpec src = vpn_source("charon.log", "strongswan", kCharon);
  const char* t = "2026-04-23T16:30:00Z";
  std::string v6_alone = answer(src, {"fd00:10::40"}, "fd00:10::40", t);
  // Every record of the session, and both addresses it was given, whichever
  // address is asked and whatever else the batch asks.
  CHECK(v6_alone ==
        "login.match=exact\n"
        "login.user=jdoe\n"
        "login.from=198.51.100.40 (assigned 10.10.1.64, fd00:10::40)\n"
        "login.start=2026-04-23T16:12:02Z\n"
        "login.end=2026-04-23T16:58:40Z\n"
        "login.evidence=charon.log:2,charon.log:3,charon.log:4,charon.log:5\n");
  CHECK(answer(src, {"fd00:10::40", "10.10.1.64", "198.51.100.40"}, "fd00:10::40", t) == v6_alone);
  CHECK(answer(src, {"10.10.1.64"}, "10.10.1.64", t) == v6_alone);
  CHECK(answer(src, {"198.51.100.40"}, "198.51.100.40", t) == v6_alone);
}

TEST_CASE("login hop: OpenVPN's peer line before its pool line is the session's start", "[login]") {
  SourceSpec src = vpn_source(
      "openvpn.log", "openvpn",
      "2026-04-23 16:10:40 198.51.100.23:51234 [jdoe] Peer Connection Initiated with "
      "[AF_INET]198.51.100.23:51234\n"
      "2026-04-23 16:10:42 jdoe/198.51.100.23:51234 MULTI_sva: pool returned IPv4=10.8.0.6, "
      "IPv6=(Not enabled)\n"
      "2026-04-23 16:40:09 jdoe/198.51.100.23:51234 SIGTERM[soft,remote-exit] received, "
      "client-instance exiting\n");
  const char* t = "2026-04-23T16:20:00Z";
  std::string alone = answer(src, {"10.8.0.6"}, "10.8.0.6", t);
  CHECK(alone ==
        "login.match=exact\n"
        "login.user=jdoe\n"
        "login.from=198.51.100.23 (assigned 10.8.0.6)\n"
        "login.start=2026-04-23T16:10:40Z\n"
        "login.end=2026-04-23T16:40:09Z\n"
        "login.evidence=openvpn.log:1,openvpn.log:2,openvpn.log:3\n");
  CHECK(answer(src, {"10.8.0.6", "198.51.100.23"}, "10.8.0.6", t) == alone);
}

TEST_CASE("login hop: records held for a session do not outlive a restart of the server",
          "[login]") {
  // The same client instance name before and after the server restarted
  // (line 5): two sessions, the first with no end.
  SourceSpec src = vpn_source(
      "openvpn.log", "openvpn",
      "2026-04-23 08:00:01 OpenVPN 2.6.12 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [AEAD]\n"
      "2026-04-23 08:00:01 Initialization Sequence Completed\n"
      "2026-04-23 10:00:00 198.51.100.23:51234 [jdoe] Peer Connection Initiated with "
      "[AF_INET]198.51.100.23:51234\n"
      "2026-04-23 10:00:00 jdoe/198.51.100.23:51234 MULTI_sva: pool returned IPv4=10.8.0.9, "
      "IPv6=(Not enabled)\n"
      "2026-04-23 12:00:00 OpenVPN 2.6.12 x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [AEAD]\n"
      "2026-04-23 12:00:01 Initialization Sequence Completed\n"
      "2026-04-23 12:00:05 198.51.100.23:51234 [jdoe] Peer Connection Initiated with "
      "[AF_INET]198.51.100.23:51234\n"
      "2026-04-23 12:00:05 jdoe/198.51.100.23:51234 MULTI_sva: pool returned IPv4=10.8.0.6, "
      "IPv6=(Not enabled)\n"
      "2026-04-23 13:00:00 jdoe/198.51.100.23:51234 SIGTERM[soft,remote-exit] received, "
      "client-instance exiting\n");
  // 10.8.0.6 was given at 12:00:05: nobody held it at 11:00.
  CHECK_THAT(answer(src, {"10.8.0.6"}, "10.8.0.6", "2026-04-23T11:00:00Z"),
             Catch::StartsWith("login.match=none\n"));
  CHECK_THAT(answer(src, {"10.8.0.6", "10.8.0.9"}, "10.8.0.6", "2026-04-23T11:00:00Z"),
             Catch::StartsWith("login.match=none\n"));
  std::string after = answer(src, {"10.8.0.6"}, "10.8.0.6", "2026-04-23T12:30:00Z");
  CHECK(after ==
        "login.match=exact\n"
        "login.user=jdoe\n"
        "login.from=198.51.100.23 (assigned 10.8.0.6)\n"
        "login.start=2026-04-23T12:00:05Z\n"
        "login.end=2026-04-23T13:00:00Z\n"
        "login.evidence=openvpn.log:7,openvpn.log:8,openvpn.log:9\n");
  CHECK(answer(src, {"10.8.0.6", "10.8.0.9"}, "10.8.0.6", "2026-04-23T12:30:00Z") == after);
}

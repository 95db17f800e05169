#include "tracekit/scan.h"

#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "parse_harness.h"

using namespace tracekit;

namespace {

struct Result {
  std::vector<std::string> records;  // "line ip"
  std::vector<std::pair<std::string, std::string>> spans;
  uint64_t malformed = 0;
  std::vector<std::string> later;  // "line time" of lines read the later way in a fold
};

// Scans the dhcpd log at `path` (dates in 2026, in `zone`), prefiltered for
// `needles` when there are any, giving each record to `sink`; returns what
// the scanner saw of the file.
std::vector<ScanFile> scan_dhcp_file(const std::string& path, std::vector<std::string> needles,
                                     const char* zone, const DhcpSink& sink) {
  Diagnostics diag("test", false, nullptr);
  ScanSettings st;
  st.default_zone = find_zone(zone);
  st.needles = std::move(needles);
  Scanner sc(diag, st);
  SourceSpec src;
  src.patterns.push_back(path);
  src.year = 2026;
  sc.scan_dhcp(src, 0, sink);
  return sc.files();
}

Result scan(const std::string& path, std::vector<std::string> needles) {
  Result r;
  auto files = scan_dhcp_file(
      path, std::move(needles), "Europe/London",
      [&](const DhcpEvent& ev, const ScanFile&, uint32_t, const Line&) {
        if (to_string(ev.ip) == "10.0.0.7")
          r.records.push_back(std::to_string(ev.first_line) + " " + format_rfc3339(ev.time));
      });
  Coverage c = build_coverage(files, {0}, std::chrono::hours(1));
  for (auto& s : c.spans) r.spans.emplace_back(format_rfc3339(s.from), format_rfc3339(s.to));
  r.malformed = files.at(0).malformed;
  for (const FoldMark& m : files.at(0).later_readings)
    r.later.push_back(std::to_string(m.line) + " " + format_rfc3339(m.time));
  return r;
}

// Settings for the ASA test logs (UTC): prefiltered for 203.0.113.9 and
// the address and port pairs `asked` when `prefilter`.
ScanSettings asa_settings(bool prefilter, std::vector<std::pair<std::string, uint16_t>> asked) {
  ScanSettings st;
  st.default_zone = find_zone("UTC");
  if (prefilter) {
    st.needles = {"203.0.113.9"};
    st.addr_ports = std::move(asked);
  }
  return st;
}

SourceSpec asa_source(const std::filesystem::path& path) {
  SourceSpec src;
  src.patterns.push_back(path.string());
  src.format = "cisco-asa";
  return src;
}

}  // namespace

TEST_CASE("scan: the prefilter changes nothing but the work done", "[scan]") {
  // Busy hours with many lines a second, foreign lines, a quiet period, a
  // DST fold (2026-10-25 01:00-02:00 happens twice in London), and the key
  // near every kind of line.
  auto path = test::scratch_dir("scan") / "scan-test.log";
  {
    std::ofstream out(path);
    auto line = [&](const char* date, int sec, const std::string& msg) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s:%02d", date, sec);
      out << buf << " gw " << msg << "\n";
    };
    for (int s = 0; s < 60; ++s) {
      for (int k = 0; k < 5; ++k)
        line("Oct 24 23:00", s,
             "dhcpd[1]: DHCPACK on 10.0.1." + std::to_string(k) + " to 00:11:22:33:44:5" +
                 std::to_string(k) + " via eth0");
      line("Oct 24 23:00", s, "sshd[2]: Accepted publickey for root");
      if (s % 20 == 0)
        line("Oct 24 23:00", s, "dhcpd[1]: DHCPACK on 10.0.0.7 to 00:11:22:33:44:77 via eth0");
    }
    line("Oct 25 01:10", 0, "dhcpd[1]: DHCPACK on 10.0.0.8 to 00:11:22:33:44:88 via eth0");
    line("Oct 25 01:50", 0, "dhcpd[1]: DHCPACK on 10.0.0.8 to 00:11:22:33:44:88 via eth0");
    line("Oct 25 01:05", 0, "dhcpd[1]: DHCPACK on 10.0.0.7 to 00:11:22:33:44:77 via eth0");
    line("Oct 25 01:06", 0, "dhcpd[1]: Wrote 5 leases to leases file.");
    line("Oct 25 01:06", 0, "dhcpd[1]: Wrote 5 leases to leases file.");
    // Quiet from 01:06 GMT to 04:00 but for a malformed line at 02:30: its
    // time counts, whether the line is read whole or for its time only.
    line("Oct 25 02:30", 0, "dhcpd[1]: DHCPACK on 10.0.0.300 to 00:11:22:33:44:99 via eth0");
    for (int s = 0; s < 30; ++s)
      line("Oct 25 04:00", s, "dhcpd[1]: DHCPACK on 10.0.1.1 to 00:11:22:33:44:51 via eth0");
    line("Oct 25 04:01", 0, "sshd[2]: only sshd here");
    line("Oct 25 05:00", 0, "sshd[2]: only sshd here");
    line("Oct 25 05:30", 0,
         "dhcpd[1]: DHCPRELEASE of 10.0.0.7 from 00:11:22:33:44:77 via eth0 (found)");
  }
  Result full = scan(path.string(), {});
  Result fast = scan(path.string(), {"10.0.0.7"});
  CHECK(full.records.size() == 5);
  CHECK(fast.records == full.records);
  CHECK(fast.spans == full.spans);
  // The lines read the later way in the fold (those that settle the fold
  // readings of the records kept), records or not, the repeated line too.
  CHECK(full.later == std::vector<std::string>{"366 2026-10-25T01:05:00Z",
                                               "367 2026-10-25T01:06:00Z",
                                               "368 2026-10-25T01:06:00Z"});
  CHECK(fast.later == full.later);
  // Several needles, each tracked on its own: one on most lines, one on
  // none, the key (rare), and one that is a prefix of the key.
  Result multi = scan(path.string(), {"10.0.1.", "10.9.9.9", "10.0.0.7", "10.0.0."});
  CHECK(multi.records == full.records);
  CHECK(multi.spans == full.spans);
  Result none = scan(path.string(), {"10.9.9.9", "192.0.2.1"});
  CHECK(none.records.empty());
  CHECK(none.spans == full.spans);
  CHECK(full.malformed == 1);
  // Four quiet periods over an hour (sshd lines do not count for dhcpd).
  REQUIRE(full.spans.size() == 5);
  CHECK(full.spans[0] ==
        std::pair<std::string, std::string>("2026-10-24T22:00:00Z", "2026-10-24T22:00:59Z"));
  // 01:10 and 01:50 BST, then 01:05 and 01:06 GMT: the fold read in log order.
  CHECK(full.spans[1] ==
        std::pair<std::string, std::string>("2026-10-25T00:10:00Z", "2026-10-25T01:06:00Z"));
  CHECK(full.spans[2] ==
        std::pair<std::string, std::string>("2026-10-25T02:30:00Z", "2026-10-25T02:30:00Z"));
  CHECK(full.spans[3].first == "2026-10-25T04:00:00Z");
  CHECK(full.spans[4].first == "2026-10-25T05:30:00Z");
  CHECK(full.records.back() == "402 2026-10-25T05:30:00Z");
  std::filesystem::remove(path);
}

TEST_CASE("scan: many needles with a shared prefix pass exactly the lines that hold one",
          "[scan]") {
  // Eight or more needles sharing a prefix are compared by the byte after
  // it; a needle that is the prefix alone is compared with every hit.
  auto path = test::scratch_dir("scan") / "scan-buckets.log";
  std::vector<std::pair<uint64_t, std::string>> lines;  // (line number, text)
  {
    std::ofstream out(path);
    uint32_t x = 7;
    for (int i = 0; i < 3000; ++i) {
      x = x * 1103515245u + 12345u;
      std::string ip =
          "10.0." + std::to_string((x >> 8) % 4) + "." + std::to_string(1 + (x >> 12) % 60);
      std::string text = "Oct 24 10:" + std::string(i / 60 % 60 < 10 ? "0" : "") +
                         std::to_string(i / 60 % 60) + ":" + (i % 60 < 10 ? "0" : "") +
                         std::to_string(i % 60) + " gw dhcpd[1]: DHCPACK on " + ip +
                         " to 00:11:22:33:44:55 via eth0";
      out << text << "\n";
      lines.emplace_back(i + 1, text);
    }
  }
  auto records = [&](std::vector<std::string> needles) {
    std::vector<uint64_t> got;
    scan_dhcp_file(path.string(), std::move(needles), "UTC",
                   [&](const DhcpEvent&, const ScanFile&, uint32_t, const Line& l) {
                     got.push_back(l.number);
                   });
    return got;
  };
  auto holding = [&](const std::vector<std::string>& needles) {
    std::vector<uint64_t> want;
    for (const auto& [n, text] : lines)
      for (const auto& nd : needles)
        if (text.find(nd) != std::string::npos) {
          want.push_back(n);
          break;
        }
    return want;
  };
  std::vector<std::string> a = {"10.0.0.1",  "10.0.0.17", "10.0.1.5", "10.0.2.33", "10.0.3.",
                                "10.0.0.60", "10.0.1.59", "10.0.2.4", "10.0.3.9"};
  auto got_a = records(a);
  CHECK(got_a == holding(a));
  CHECK(got_a.size() > 750);  // "10.0.3." alone holds about a quarter
  CHECK(got_a.size() < 3000);
  auto b = a;
  b.push_back("10.0.");  // the prefix itself: every line
  CHECK(records(b).size() == 3000);
  std::vector<std::string> c = {"10.0.1.",   "10.0.1.5",  "10.0.1.50", "10.0.1.2",
                                "10.0.1.33", "10.0.1.44", "10.0.1.10", "10.0.1.1"};
  CHECK(records(c) == holding(c));
  std::vector<std::string> d = {"10.0.1.5",  "10.0.1.50", "10.0.1.2", "10.0.1.33",
                                "10.0.1.44", "10.0.1.10", "10.0.1.1", "10.0.1.9"};
  auto got_d = records(d);
  CHECK(got_d == holding(d));
  CHECK_FALSE(got_d.empty());
  std::filesystem::remove(path);
}

TEST_CASE("scan: an ASA file prefiltered for ADDR/PORT keeps every line about the pair", "[scan]") {
  auto path = test::scratch_dir("scan") / "scan-asa-test.log";
  {
    std::ofstream out(path);
    const char* h = "Apr 23 2026 16:19:0";
    int s = 0;
    auto line = [&](const std::string& msg) {
      out << h << (s++ % 10) << " fw01 : %ASA-" << msg << "\n";
    };
    for (int k = 0; k < 40; ++k) {
      std::string port = std::to_string(40120 + k % 8);
      std::string in = "10.0.0." + std::to_string(k % 5 + 1) + "/5123" + std::to_string(k % 10);
      line("6-305011: Built dynamic TCP translation from inside:" + in +
           " to outside:203.0.113.9/" + port);
      line("6-302013: Built outbound TCP connection " + std::to_string(100 + k) +
           " for outside:198.51.100.1/443 (198.51.100.1/443) to inside:" + in + " (203.0.113.9/" +
           port + ")");
      line(
          "4-106023: Deny tcp src outside:192.0.2.7/5555 dst outside:203.0.113.9/23 by "
          "access-group \"outside_in\" [0x0, 0x0]");
      line("6-305012: Teardown dynamic TCP translation from inside:" + in +
           " to outside:203.0.113.9/" + port + " duration 0:00:10");
      line("6-305011: Built dynamic TCP translation from inside:" + in +
           " to outside:203.0.113.90/40123");
    }
    // NAT without PAT: the address alone, at the line's end and before "duration".
    line("6-305009: Built dynamic translation from inside:10.0.0.8 to outside:203.0.113.9");
    line(
        "6-305010: Teardown dynamic translation from inside:10.0.0.8 to outside:203.0.113.9 "
        "duration 0:01:00");
  }
  auto run = [&](bool prefilter) {
    Diagnostics diag("test", false, nullptr);
    Scanner sc(diag, asa_settings(prefilter, {{"203.0.113.9", 40123}}));
    SourceSpec src = asa_source(path);
    std::vector<std::string> got;
    sc.scan<NatEvent>(src, 0, [&](const NatEvent& ev, const ScanFile&, uint32_t, const Line& l) {
      if (to_string(ev.public_ip) == "203.0.113.9" &&
          (ev.public_port == 40123 || ev.public_port == 0))
        got.push_back(std::to_string(l.number) + " " + format_rfc3339(ev.time));
    });
    return got;
  };
  auto full = run(false);
  auto fast = run(true);
  CHECK(full.size() == 5 * 3 + 2);  // 305011, 302013, 305012 for each of 5 uses; 305009/10
  CHECK(fast == full);
  std::filesystem::remove(path);
}

TEST_CASE("scan: many ports asked, and teardowns found by their session id", "[scan]") {
  auto path = test::scratch_dir("scan") / "scan-asa-many.log";
  {
    std::ofstream out(path);
    int s = 0;
    auto line = [&](const std::string& msg) {
      out << "Apr 23 2026 16:" << 10 + s / 60 % 40 << ":" << (s % 60 < 10 ? "0" : "") << s % 60
          << " fw01 : %ASA-" << msg << "\n";
      ++s;
    };
    for (int k = 0; k < 200; ++k) {
      std::string port = std::to_string(40000 + k % 50);  // each port used 4 times
      std::string in = "10.0.0." + std::to_string(k % 7 + 1) + "/" + std::to_string(51000 + k);
      std::string id = std::to_string(7000 + k);
      line("6-302013: Built outbound TCP connection " + id +
           " for outside:198.51.100.1/443 (198.51.100.1/443) to inside:" + in + " (203.0.113.9/" +
           port + ")");
      line("6-106023: Deny tcp src outside:192.0.2.7/" + port +
           " dst outside:203.0.113.99/23 by access-group \"outside_in\" [0x0, 0x0]");
      // The teardown names the inside host only.
      line("6-302014: Teardown TCP connection " + id + " for outside:198.51.100.1/443 to inside:" +
           in + " duration 0:00:05 bytes 100 TCP FINs");
      // Another public address with a port asked of 203.0.113.9.
      line("6-305011: Built dynamic TCP translation from inside:" + in +
           " to outside:203.0.113.7/" + port);
    }
  }
  std::vector<std::pair<std::string, uint16_t>> asked;
  for (int p = 40000; p < 40050; p += 2) asked.emplace_back("203.0.113.9", uint16_t(p));
  // Sharing "203.0.11" with it: one search for both, each compared past it.
  asked.emplace_back("203.0.114.1", uint16_t(40000));
  auto run = [&](bool prefilter) {
    Diagnostics diag("test", false, nullptr);
    Scanner sc(diag, asa_settings(prefilter, asked));
    SourceSpec src = asa_source(path);
    std::vector<std::string> got;
    std::set<std::string, std::less<>> kept;
    size_t parsed = 0;
    sc.scan<NatEvent>(src, 0, [&](const NatEvent& ev, const ScanFile&, uint32_t, const Line& l) {
      ++parsed;
      bool wanted = to_string(ev.public_ip) == "203.0.113.9" && ev.public_port % 2 == 0;
      if (wanted) {
        kept.emplace(ev.session_id);
        if (prefilter) CHECK(sc.add_session(ev.session_id));
      } else if (!kept.count(std::string(ev.session_id))) {
        return;
      }
      got.push_back(std::to_string(l.number));
    });
    // The prefilter passes the lines of the ports asked and their sessions'
    // teardowns, no more: not the other ports' (nor 203.0.113.99's).
    if (prefilter) CHECK(parsed == got.size());
    return got;
  };
  auto full = run(false);
  auto fast = run(true);
  CHECK(full.size() == 100 * 2);  // half the connections, built and torn down
  CHECK(fast == full);
  std::filesystem::remove(path);
}

TEST_CASE("scan: a session dropped at its teardown; another device's with its id still read",
          "[scan]") {
  auto path = test::scratch_dir("scan") / "scan-asa-drop.log";
  {
    std::ofstream out(path);
    int s = 0;
    auto line = [&](const char* device, const std::string& msg) {
      out << "Apr 23 2026 16:10:" << (s < 10 ? "0" : "") << s << " " << device << " : %ASA-" << msg
          << "\n";
      ++s;
    };
    auto built = [&](const char* device, const char* id, const char* in, const char* port) {
      line(device, std::string("6-302013: Built outbound TCP connection ") + id +
                       " for outside:198.51.100.1/443 (198.51.100.1/443) to inside:" + in +
                       " (203.0.113.9/" + port + ")");
    };
    auto teardown = [&](const char* device, const char* id, const char* in) {
      line(device, std::string("6-302014: Teardown TCP connection ") + id +
                       " for outside:198.51.100.1/443 to inside:" + in +
                       " duration 0:00:05 bytes 100 TCP FINs");
    };
    // Two firewalls logging to one file, their connection ids alike.
    built("fw01", "4711", "10.0.0.1/51000", "40000");  // line 1
    built("fw02", "4711", "10.0.0.2/52000", "40002");  // 2
    teardown("fw01", "4711", "10.0.0.1/51000");        // 3: fw01's ends
    teardown("fw01", "4711", "10.0.0.1/51000");        // 4: logged twice
    teardown("fw02", "4711", "10.0.0.2/52000");        // 5: fw02's still wanted
    teardown("fw02", "4711", "10.0.0.2/52000");        // 6: both over now
  }
  auto run = [&](bool prefilter) {
    Diagnostics diag("test", false, nullptr);
    Scanner sc(diag, asa_settings(prefilter, {{"203.0.113.9", 40000}, {"203.0.113.9", 40002}}));
    SourceSpec src = asa_source(path);
    std::vector<uint64_t> parsed, kept_lines;
    std::set<std::string, std::less<>> open;  // device and id, as the NAT hop keys them
    sc.scan<NatEvent>(src, 0, [&](const NatEvent& ev, const ScanFile&, uint32_t, const Line& l) {
      parsed.push_back(l.number);
      std::string key = std::string(ev.device) + " " + std::string(ev.session_id);
      if (to_string(ev.public_ip) == "203.0.113.9") {
        if (open.insert(key).second && prefilter) CHECK(sc.add_session(ev.session_id));
      } else if (!open.count(key)) {
        return;
      }
      kept_lines.push_back(l.number);
      if (ev.action == NatAction::close && open.erase(key) && prefilter)
        sc.drop_session(ev.session_id);
    });
    return std::pair{parsed, kept_lines};
  };
  auto [full_parsed, full_kept] = run(false);
  auto [fast_parsed, fast_kept] = run(true);
  CHECK(full_kept == std::vector<uint64_t>{1, 2, 3, 5});
  CHECK(fast_kept == full_kept);
  CHECK(full_parsed == std::vector<uint64_t>{1, 2, 3, 4, 5, 6});
  // Line 4 is still parsed (fw02's session has the id), line 6 no more.
  CHECK(fast_parsed == std::vector<uint64_t>{1, 2, 3, 4, 5});
  std::filesystem::remove(path);
}

TEST_CASE("SessionFilter counts each hash and finds it after deletions around it", "[scan]") {
  // Hashes that share their low bits crowd into runs of slots (wrapping at
  // the table's end), where a deletion must move the entries after it.
  std::mt19937_64 rng(7);
  for (int round = 0; round < 20; ++round) {
    SessionFilter f;
    std::multiset<uint64_t> ref;
    std::vector<uint64_t> pool;
    for (int k = 0; k < 300; ++k) {
      uint64_t low = round % 2 ? 1020 + rng() % 8 : rng() % 4096;  // (1024 slots at first)
      pool.push_back((uint64_t(1) << 63) | (rng() << 12 & ~(uint64_t(1) << 63)) | low);
    }
    for (int step = 0; step < 4000; ++step) {
      uint64_t h = pool[rng() % pool.size()];
      if (rng() % 3) {
        f.insert(h);
        ref.insert(h);
      } else {
        f.erase(h);
        if (auto it = ref.find(h); it != ref.end()) ref.erase(it);
      }
      if (step % 97 == 0)
        for (uint64_t q : pool) REQUIRE(f.contains(q) == (ref.count(q) > 0));
    }
    for (uint64_t q : pool) REQUIRE(f.contains(q) == (ref.count(q) > 0));
    REQUIRE(f.size() == std::set<uint64_t>(ref.begin(), ref.end()).size());
    REQUIRE(f.empty() == ref.empty());
  }
}

TEST_CASE("SessionFilter still finds what it holds after many sessions have left", "[scan]") {
  // Sessions come and go by the thousand in a batch, while those still open
  // grow the table (1024 slots at first, 4096 by the end): every hash held is
  // found across the growths and the deletions between them.
  std::mt19937_64 rng(11);
  SessionFilter f;
  std::set<uint64_t> held;
  for (int round = 0; round < 8; ++round) {
    std::vector<uint64_t> added;
    for (int k = 0; k < 700; ++k) {
      uint64_t h = rng() | (uint64_t(1) << 63);
      f.insert(h);
      held.insert(h);
      added.push_back(h);
    }
    for (size_t k = 0; k < 500; ++k) {
      f.erase(added[k]);
      held.erase(added[k]);
    }
    for (uint64_t h : added) REQUIRE(f.contains(h) == (held.count(h) > 0));
    for (uint64_t h : held) REQUIRE(f.contains(h));
  }
  REQUIRE(f.size() == held.size());
}

namespace {

// What a scan of `bytes` (written to a file named `name`) said and kept.
struct Said {
  std::vector<std::string> ips;  // of the records, in order
  std::string messages;          // stderr
  ScanFile file;
  bool had_error = false;
};

Said scan_bytes(const std::string& name, const std::string& bytes) {
  auto dir = test::scratch_dir("scan-hostile");
  auto path = dir / name;
  std::ofstream(path, std::ios::binary) << bytes;
  char* buf = nullptr;
  size_t len = 0;
  FILE* err = ::open_memstream(&buf, &len);
  Said s;
  {
    Diagnostics diag("test", false, err);
    ScanSettings st;
    st.default_zone = find_zone("UTC");
    Scanner sc(diag, st);
    SourceSpec src;
    src.patterns.push_back(path.string());
    src.format = "isc-dhcpd";
    src.year = 2026;
    sc.scan_dhcp(src, 0, [&](const DhcpEvent& ev, const ScanFile&, uint32_t, const Line&) {
      s.ips.push_back(to_string(ev.ip));
    });
    diag.finish();
    if (!sc.files().empty()) s.file = sc.files().back();
    s.had_error = diag.had_error();
  }
  std::fclose(err);
  s.messages.assign(buf, len);
  std::free(buf);
  std::filesystem::remove(path);
  return s;
}

std::string ack(const std::string& ip) {
  return "Oct 24 10:00:00 gw dhcpd[1]: DHCPACK on " + ip + " to 00:11:22:33:44:55 via eth0";
}

}  // namespace

TEST_CASE("scan: a line cut short by damage is reported, never a record", "[scan][hostile]") {
  // A gzip member flushed after "10.0.0.1" of 10.0.0.17, then cut: the last
  // line would parse, with another address.
  std::string text =
      ack("10.0.0.5") + "\n" + ack("10.0.0.17").substr(0, ack("10.0.0.17").find("17 ") + 1);
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string gz(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = (Bytef*)text.data();
  z.avail_in = uInt(text.size());
  z.next_out = (Bytef*)gz.data();
  z.avail_out = uInt(gz.size());
  deflate(&z, Z_SYNC_FLUSH);
  gz.resize(z.total_out);
  deflateEnd(&z);
  Said s = scan_bytes("cut.gz", gz);
  CHECK(s.ips == std::vector<std::string>{"10.0.0.5"});
  CHECK(s.file.malformed == 1);
  CHECK(s.messages.find(":2: last line before the damage (byte offset " +
                        std::to_string(ack("10.0.0.5").size() + 1) + ") cut short; not read") !=
        std::string::npos);
  CHECK(s.messages.find("truncated gzip data") != std::string::npos);
  CHECK(s.had_error);
}

TEST_CASE("scan: NUL bytes are reported; the line after them is read", "[scan][hostile]") {
  std::string text = ack("10.0.0.5") + "\n" + std::string(5000, '\0') + ack("10.0.0.6") + "\n" +
                     ack("10.0.0.7") + "\n";
  Said s = scan_bytes("nul.log", text);
  CHECK(s.ips == std::vector<std::string>{"10.0.0.5", "10.0.0.6", "10.0.0.7"});
  CHECK(s.file.nul_lines == 1);
  CHECK(s.messages.find("nul.log: binary data: 1 line holds NUL bytes, the first at line 2 "
                        "(byte offset " +
                        std::to_string(ack("10.0.0.5").size() + 1) + ")") != std::string::npos);
  CHECK_FALSE(s.had_error);
}

TEST_CASE("scan: an empty log and a log of another format are said so", "[scan][hostile]") {
  Said e = scan_bytes("empty.log", "");
  CHECK(e.ips.empty());
  CHECK(e.messages.find("empty.log: empty: no line to read") != std::string::npos);
  Said f = scan_bytes("other.log", "Oct 24 10:00:00 gw sshd[2]: Accepted publickey for root\n");
  CHECK(f.messages.find("other.log: none of its 1 line is of format 'isc-dhcpd'") !=
        std::string::npos);
}

TEST_CASE("scan: records whose line is not UTF-8 are kept and reported", "[scan][hostile]") {
  std::string bad =
      "Oct 24 10:00:00 gw dhcpd[1]: DHCPACK on 10.0.0.6 to 00:11:22:33:44:55 (ws-\xff\xfe) via "
      "eth0";
  std::string good =
      "Oct 24 10:00:00 gw dhcpd[1]: DHCPACK on 10.0.0.7 to 00:11:22:33:44:55 (caf\xc3\xa9) via "
      "eth0";
  // Overlong "/" and a surrogate are not UTF-8 either.
  std::string overlong =
      "Oct 24 10:00:00 gw dhcpd[1]: DHCPACK on 10.0.0.8 to 00:11:22:33:44:55 (a\xc0\xaf) via eth0";
  std::string surrogate =
      "Oct 24 10:00:00 gw dhcpd[1]: DHCPACK on 10.0.0.9 to 00:11:22:33:44:55 (\xed\xa0\x80) via "
      "eth0";
  Said s = scan_bytes("utf8.log", good + "\n" + bad + "\n" + overlong + "\n" + surrogate + "\n");
  CHECK(s.ips == std::vector<std::string>{"10.0.0.7", "10.0.0.6", "10.0.0.8", "10.0.0.9"});
  CHECK(s.messages.find("utf8.log: 3 lines read as records hold bytes that are not UTF-8, the "
                        "first at line 2 (byte offset " +
                        std::to_string(good.size() + 1 + bad.find('\xff')) +
                        "); kept as they are") != std::string::npos);
  CHECK_FALSE(s.had_error);
}

TEST_CASE("scan: a prefilter is used for a few needles, or many with a shared prefix", "[scan]") {
  std::vector<std::string> few = {"192.0.2.1", "198.51.100.7"};
  CHECK(Scanner::prefilter_pays(few));
  CHECK_FALSE(Scanner::prefilter_pays({}));
  std::vector<std::string> shared, spread;
  for (int i = 0; i < 40; ++i) {
    shared.push_back("203.0.113." + std::to_string(i));
    spread.push_back(std::to_string(i + 1) + ".0.2.1");
  }
  CHECK(Scanner::prefilter_pays(shared));
  CHECK_FALSE(Scanner::prefilter_pays(spread));
  for (int i = 40; i < 70; ++i) shared.push_back("203.0.113." + std::to_string(i));
  CHECK_FALSE(Scanner::prefilter_pays(shared));  // past kMaxNeedles
}

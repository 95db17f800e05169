// bench-dhcp-parse: full-parse throughput of the DHCP scanning path. Runs
// Scanner::scan_dhcp over each FILE (plain, .gz or .zst; format sniffed as the
// tools do) with a sink that only counts records, and prints per file
//
//   parse FILE: X MB/s, Y records/s, Z lines, RSS N MB
//
// MB = 10^6 bytes of decompressed input per second of wall time. The
// decompressed size is the end of the last record's line (the scanner does not
// report the bytes it read; lines after the last record are not counted). RSS
// is the process's peak so far (getrusage), so with several files it is the
// peak up to and including that file. A detail line with CPU time goes to
// stderr: on a shared machine MB per CPU-second is the steadier number.
#include <sys/resource.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "tracekit/config.h"
#include "tracekit/diag.h"
#include "tracekit/scan.h"
#include "tracekit/time.h"

using namespace tracekit;

namespace {

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto s = [](const timeval& tv) { return double(tv.tv_sec) + double(tv.tv_usec) / 1e6; };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

// CPU seconds of the calling thread alone (the parsing thread; the input's
// read-ahead or decompression runs on another).
double thread_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_THREAD, &ru);
  auto s = [](const timeval& tv) { return double(tv.tv_sec) + double(tv.tv_usec) / 1e6; };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_maxrss) * 1024.0 / 1e6;  // ru_maxrss is in KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  std::string tz = "UTC";
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--tz" && i + 1 < argc) {
      tz = argv[++i];
    } else if (a == "-h" || a == "--help") {
      fmt::print(
          "usage: bench-dhcp-parse [--tz ZONE] FILE...\n"
          "Parses every line of each FILE (plain, .gz, .zst) as the DHCP tools do, keeps\n"
          "nothing, and prints MB/s, records/s, lines and peak RSS. ZONE defaults to UTC.\n");
      return 0;
    } else {
      files.emplace_back(a);
    }
  }
  if (files.empty()) {
    fmt::print(stderr, "usage: bench-dhcp-parse [--tz ZONE] FILE...\n");
    return 2;
  }
  const date::time_zone* zone = find_zone(tz);
  if (!zone) {
    fmt::print(stderr, "bench-dhcp-parse: --tz: unknown time zone '{}'\n", tz);
    return 2;
  }

  int status = 0;
  for (const auto& path : files) {
    Diagnostics diag("bench-dhcp-parse");
    Scanner scanner(diag, ScanSettings{zone, std::chrono::hours(1), {}});
    SourceSpec src;
    std::string error;
    if (!source_from_log_arg(path, src, error)) {
      fmt::print(stderr, "bench-dhcp-parse: {}\n", error);
      status = 2;
      continue;
    }
    uint64_t records = 0, end_offset = 0;
    DhcpSink sink = [&](const DhcpEvent&, const ScanFile&, uint32_t, const Line& line) {
      ++records;
      end_offset = line.offset + line.text.size() + 1;
    };
    double cpu0 = cpu_seconds(), thread0 = thread_cpu_seconds();
    auto t0 = std::chrono::steady_clock::now();
    scanner.scan_dhcp(src, 0, sink);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = cpu_seconds() - cpu0, thread_cpu = thread_cpu_seconds() - thread0;
    diag.finish();

    uint64_t lines = 0, skipped = 0, foreign = 0, malformed = 0;
    bool complete = !scanner.files().empty();
    for (const auto& f : scanner.files()) {
      lines += f.lines;
      skipped += f.skipped;
      foreign += f.foreign;
      malformed += f.malformed;
      complete = complete && f.complete;
    }
    if (!complete || diag.had_error()) status = 1;
    double mb = double(end_offset) / 1e6;
    fmt::print("parse {}: {:.0f} MB/s, {:.0f} records/s, {} lines, RSS {:.0f} MB\n", path,
               mb / wall, double(records) / wall, lines, peak_rss_mb());
    fmt::print(stderr,
               "bench-dhcp-parse: {}: {} bytes, {:.3f} s wall, {:.3f} s cpu ({:.0f} MB/cpu-s), "
               "{:.3f} s cpu on the parsing thread ({:.0f} MB/cpu-s), {} records, {} skipped, "
               "{} foreign, {} malformed{}\n",
               path, end_offset, wall, cpu, cpu > 0 ? mb / cpu : 0.0, thread_cpu,
               thread_cpu > 0 ? mb / thread_cpu : 0.0, records, skipped, foreign, malformed,
               complete ? "" : ", NOT read to the end");
    std::fflush(stdout);
  }
  return status;
}

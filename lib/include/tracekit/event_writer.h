// trace-cat's output: every record a parser made of a log, one row each,
// streamed (TSV and JSON Lines are written as they come, without building a
// JSON object per row; the table collects its rows).
//
// DHCP columns: time, event, ip, mac, host, client_id, server, relay,
// lease_end, lease_time, format, evidence, note. `time` and `ip` make each row
// a valid query for trace-lease.
#pragma once

#include <cstdio>
#include <string>

#include "tracekit/codec.h"
#include "tracekit/records.h"
#include "tracekit/scan.h"

namespace tracekit {

class DhcpEventWriter {
 public:
  DhcpEventWriter(OutputFormat format, FILE* out);
  ~DhcpEventWriter();
  void write(const DhcpEvent& ev, const ScanFile& file);
  void finish();
  uint64_t rows() const { return rows_; }

 private:
  void flush();
  OutputFormat format_;
  FILE* out_;
  std::string buf_;
  std::string time_, ip_, mac_, lease_end_, lease_time_;  // per-row scratch, reused
  std::unique_ptr<RowWriter> table_;
  bool header_done_ = false;
  uint64_t rows_ = 0;
};

// Appends `s` as a JSON string literal (quoted). Control characters are
// escaped; bytes that are not UTF-8 become U+FFFD.
void append_json_string(std::string& out, std::string_view s);
// Short words for the TimeFlag bits ("dst-ambiguous,year-inferred").
std::string time_flag_words(uint8_t flags);

}  // namespace tracekit

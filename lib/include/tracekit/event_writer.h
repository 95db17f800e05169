// trace-cat's output: every record a parser made of a log, one row each,
// streamed (TSV and JSON Lines are written as they come, without building a
// JSON object per row; the table collects its rows).
//
// DHCP columns: time, event, ip, mac, host, client_id, server, relay,
// lease_end, lease_time; NAT: time, event, ip, port (the public address and
// port), proto, inside_ip, inside_port, dst_ip, dst_port, start, block_end,
// static, device, session; login: time, event, user, domain, host, from,
// from_ip, assigned_ip, mac, service, tty, place, session, method, logon_type,
// start, end_how; owner: kind, user, ip, mac, name, email, id, unit, host,
// valid_from, valid_to; proxy: time, event, client, client_port, forwarded,
// user, method, url, host, status, bytes, start, end (when not the time),
// result, server, hierarchy, referrer, user_agent, content_type; smtp: time,
// event, queue_id, message_id, client, client_port, client_name, helo, user,
// auth, from, to, orig_to, relay, relay_ip, status, detail, next_id, size,
// nrcpt, protocol, service, device (the subject is content: never shown). Then format, evidence,
// note. Each family's rows are valid queries for its tool (time and ip, host or user).
#pragma once

#include <cstdio>
#include <memory>
#include <span>
#include <string>

#include "tracekit/codec.h"
#include "tracekit/records.h"
#include "tracekit/scan.h"

namespace tracekit {

// Rows of one family's columns, streamed. Each row ends with format,
// evidence (FILE:LINE in TSV; {file, line, offset, raw} in JSON Lines) and
// note (the time flags).
class EventWriter {
 public:
  EventWriter(Family family, OutputFormat format, FILE* out);
  ~EventWriter();
  void write(const DhcpEvent& ev, const ScanFile& file);
  void write(const NatEvent& ev, const ScanFile& file);
  void write(const LoginEvent& ev, const ScanFile& file);
  void write(const OwnerEvent& ev, const ScanFile& file);
  void write(const ProxyEvent& ev, const ScanFile& file);
  void write(const MailEvent& ev, const ScanFile& file);
  void finish();
  uint64_t rows() const { return rows_; }

 private:
  void row(std::span<const std::string_view> fields, const EventBase& ev, const ScanFile& file);
  static constexpr size_t kScratch = 12;
  std::string& scratch(size_t k);  // k < kScratch; cleared, reused from row to row
  void flush();
  Family family_;
  std::span<const char* const> columns_;
  OutputFormat format_;
  FILE* out_;
  std::string buf_;
  std::vector<std::string> scratch_;
  std::unique_ptr<RowWriter> table_;
  bool header_done_ = false;
  uint64_t rows_ = 0;
};
using DhcpEventWriter = EventWriter;

// Appends `s` as a JSON string literal (quoted). Control characters are
// escaped; bytes that are not UTF-8 become U+FFFD.
void append_json_string(std::string& out, std::string_view s);
// Short words for the TimeFlag bits ("dst-ambiguous,year-inferred").
std::string time_flag_words(uint8_t flags);

}  // namespace tracekit

#include "tracekit/event_writer.h"

#include <fmt/format.h>

namespace tracekit {

namespace {

constexpr const char* kColumns[] = {"time",      "event",    "ip",    "mac",       "host",
                                    "client_id", "server",   "relay", "lease_end", "lease_time",
                                    "format",    "evidence", "note"};

// Length of a valid UTF-8 sequence at s[i], or 0.
size_t utf8_len(std::string_view s, size_t i) {
  unsigned char c = s[i];
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return 0;
  return n;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
      ++i;
    } else if (c < 0x20) {
      switch (c) {
        case '\n':
          out += "\\n";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\r':
          out += "\\r";
          break;
        default:
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", unsigned(c));
      }
      ++i;
    } else if (c < 0x80) {
      out += char(c);
      ++i;
    } else {
      size_t n = utf8_len(s, i);
      if (n == 0) {
        out += "\xef\xbf\xbd";
        ++i;
      } else {
        out.append(s.data() + i, n);
        i += n;
      }
    }
  }
  out += '"';
}

std::string time_flag_words(uint8_t flags) {
  std::string out;
  auto add = [&](const char* w) {
    if (!out.empty()) out += ',';
    out += w;
  };
  if (flags & kLocalAmbiguous) add("dst-ambiguous");
  if (flags & kLocalNonexistent) add("dst-nonexistent");
  if (flags & kYearInferred) add("year-inferred");
  if (flags & kZoneAssumed) add("zone-assumed");
  if (flags & kTimeLowerBound) add("time-lower-bound");
  return out;
}

DhcpEventWriter::DhcpEventWriter(OutputFormat format, FILE* out) : format_(format), out_(out) {
  if (format_ == OutputFormat::table) table_ = std::make_unique<RowWriter>(format_, out_);
  buf_.reserve(1 << 17);
}

DhcpEventWriter::~DhcpEventWriter() {
  finish();
}

void DhcpEventWriter::flush() {
  if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), out_);
  buf_.clear();
}

void DhcpEventWriter::write(const DhcpEvent& ev, const ScanFile& file) {
  ++rows_;
  bool frac = ev.time_flags & kHasFraction;
  // Fields in column order, as text, in buffers reused from row to row.
  for (auto* b : {&time_, &ip_, &mac_, &lease_end_, &lease_time_}) b->clear();
  if (ev.time != kNoTime) append_rfc3339(time_, ev.time, frac);
  if (!ev.ip.is_unset()) append_ip(ip_, ev.ip);
  if (ev.has_mac) append_mac(mac_, ev.mac);
  if (ev.lease_end != kNoTime) append_rfc3339(lease_end_, ev.lease_end, frac);
  if (ev.lease_time.count()) lease_time_ = format_duration(ev.lease_time);
  const std::string note = ev.time_flags ? time_flag_words(ev.time_flags) : std::string();
  const std::string &time = time_, &ip = ip_, &mac = mac_, &lease_end = lease_end_,
                    &lease_time = lease_time_;
  std::string_view action = dhcp_action_name(ev.action);
  std::string_view fields[] = {time,
                               action,
                               ip,
                               mac,
                               ev.host,
                               ev.client_id,
                               ev.server,
                               ev.relay,
                               lease_end,
                               lease_time,
                               file.format ? file.format->name : ""};
  if (format_ == OutputFormat::table) {
    Row row = Row::object();
    for (size_t k = 0; k < std::size(fields); ++k) row[kColumns[k]] = std::string(fields[k]);
    row["evidence"] = fmt::format("{}:{}", file.info.path, ev.first_line);
    row["note"] = note;
    table_->write(row);
    return;
  }
  if (format_ == OutputFormat::tsv) {
    if (!header_done_) {
      for (size_t k = 0; k < std::size(kColumns); ++k) {
        if (k) buf_ += '\t';
        buf_ += kColumns[k];
      }
      buf_ += '\n';
      header_done_ = true;
    }
    for (auto f : fields) {
      append_tsv_escaped(buf_, f);
      buf_ += '\t';
    }
    append_tsv_escaped(buf_, file.info.path);
    fmt::format_to(std::back_inserter(buf_), ":{}\t", ev.first_line);
    buf_ += note;
    buf_ += '\n';
  } else {
    buf_ += '{';
    for (size_t k = 0; k < std::size(fields); ++k) {
      if (k) buf_ += ',';
      append_json_string(buf_, kColumns[k]);
      buf_ += ':';
      append_json_string(buf_, fields[k]);
    }
    buf_ += ",\"evidence\":[{\"file\":";
    append_json_string(buf_, file.info.path);
    fmt::format_to(std::back_inserter(buf_), ",\"line\":{},\"offset\":{},\"raw\":", ev.first_line,
                   ev.first_offset);
    append_json_string(buf_, ev.raw);
    buf_ += "}],\"note\":";
    append_json_string(buf_, note);
    buf_ += "}\n";
  }
  if (buf_.size() > (1 << 16)) flush();
}

void DhcpEventWriter::finish() {
  if (table_) {
    table_->finish();
    return;
  }
  flush();
  std::fflush(out_);
}

}  // namespace tracekit

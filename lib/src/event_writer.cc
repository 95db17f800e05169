#include "tracekit/event_writer.h"

#include <fmt/format.h>

namespace tracekit {

namespace {

constexpr const char* kDhcpColumns[] = {"time",      "event",  "ip",    "mac",       "host",
                                        "client_id", "server", "relay", "lease_end", "lease_time"};
constexpr const char* kNatColumns[] = {"time",      "event",       "ip",     "port",     "proto",
                                       "inside_ip", "inside_port", "dst_ip", "dst_port", "start",
                                       "block_end", "static",      "device", "session"};
constexpr const char* kLoginColumns[] = {
    "time",    "event", "user",  "domain",  "host",   "from",       "from_ip", "assigned_ip", "mac",
    "service", "tty",   "place", "session", "method", "logon_type", "start",   "end_how"};
constexpr const char* kOwnerColumns[] = {"kind", "user", "ip",   "mac",        "name",    "email",
                                         "id",   "unit", "host", "valid_from", "valid_to"};
constexpr const char* kProxyColumns[] = {
    "time",   "event",     "client",   "client_port", "forwarded",   "user", "method",
    "url",    "host",      "status",   "bytes",       "start",       "end",  "result",
    "server", "hierarchy", "referrer", "user_agent",  "content_type"};
constexpr const char* kMailColumns[] = {
    "time",        "event", "queue_id", "message_id", "client", "client_port",
    "client_name", "helo",  "user",     "auth",       "from",   "to",
    "orig_to",     "relay", "relay_ip", "status",     "detail", "next_id",
    "size",        "nrcpt", "protocol", "service",    "device"};
constexpr const char* kTrailer[] = {"format", "evidence", "note"};

std::span<const char* const> columns_of(Family f) {
  switch (f) {
    case Family::nat:
      return kNatColumns;
    case Family::login:
      return kLoginColumns;
    case Family::owner:
      return kOwnerColumns;
    case Family::proxy:
      return kProxyColumns;
    case Family::smtp:
      return kMailColumns;
    default:
      return kDhcpColumns;
  }
}

void append_port(std::string& out, uint16_t port) {
  if (port) fmt::format_to(std::back_inserter(out), "{}", port);
}

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

EventWriter::EventWriter(Family family, OutputFormat format, FILE* out)
    : family_(family), columns_(columns_of(family)), format_(format), out_(out) {
  if (format_ == OutputFormat::table) table_ = std::make_unique<RowWriter>(format_, out_);
  buf_.reserve(1 << 17);
  scratch_.resize(kScratch);
}

EventWriter::~EventWriter() {
  finish();
}

void EventWriter::flush() {
  if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), out_);
  buf_.clear();
}

std::string& EventWriter::scratch(size_t k) {
  scratch_[k].clear();  // sized once: references to earlier ones stay valid
  return scratch_[k];
}

void EventWriter::row(std::span<const std::string_view> fields, const EventBase& ev,
                      const ScanFile& file) {
  ++rows_;
  const std::string note = ev.time_flags ? time_flag_words(ev.time_flags) : std::string();
  std::string_view format_name = file.format ? file.format->name : "";
  if (format_ == OutputFormat::table) {
    Row row = Row::object();
    for (size_t k = 0; k < fields.size(); ++k) row[columns_[k]] = std::string(fields[k]);
    row["format"] = std::string(format_name);
    row["evidence"] = fmt::format("{}:{}", file.info.path, ev.first_line);
    row["note"] = note;
    table_->write(row);
    return;
  }
  if (format_ == OutputFormat::tsv) {
    if (!header_done_) {
      for (const char* c : columns_) {
        buf_ += c;
        buf_ += '\t';
      }
      buf_ += "format\tevidence\tnote\n";
      header_done_ = true;
    }
    for (auto f : fields) {
      append_tsv_escaped(buf_, f);
      buf_ += '\t';
    }
    append_tsv_escaped(buf_, format_name);
    buf_ += '\t';
    append_tsv_escaped(buf_, file.info.path);
    fmt::format_to(std::back_inserter(buf_), ":{}\t", ev.first_line);
    buf_ += note;
    buf_ += '\n';
  } else {
    buf_ += '{';
    for (size_t k = 0; k < fields.size(); ++k) {
      append_json_string(buf_, columns_[k]);
      buf_ += ':';
      append_json_string(buf_, fields[k]);
      buf_ += ',';
    }
    buf_ += "\"format\":";
    append_json_string(buf_, format_name);
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

void EventWriter::write(const DhcpEvent& ev, const ScanFile& file) {
  bool frac = ev.time_flags & kHasFraction;
  std::string &time = scratch(0), &ip = scratch(1), &mac = scratch(2), &lease_end = scratch(3),
              &lease_time = scratch(4);
  if (ev.time != kNoTime) append_rfc3339(time, ev.time, frac);
  if (!ev.ip.is_unset()) append_ip(ip, ev.ip);
  if (ev.has_mac) append_mac(mac, ev.mac);
  if (ev.lease_end != kNoTime) append_rfc3339(lease_end, ev.lease_end, frac);
  if (ev.lease_time.count()) lease_time = format_duration(ev.lease_time);
  std::string_view fields[] = {time,     ev.host,   ev.client_id, ev.server,
                               ev.relay, lease_end, lease_time};
  std::string_view all[] = {fields[0], dhcp_action_name(ev.action),
                            ip,        mac,
                            fields[1], fields[2],
                            fields[3], fields[4],
                            fields[5], fields[6]};
  row(all, ev, file);
}

void EventWriter::write(const NatEvent& ev, const ScanFile& file) {
  bool frac = ev.time_flags & kHasFraction;
  std::string &time = scratch(0), &ip = scratch(1), &port = scratch(2), &inside = scratch(3),
              &inside_port = scratch(4), &dst = scratch(5), &dst_port = scratch(6),
              &start = scratch(7), &block_end = scratch(8);
  if (ev.time != kNoTime) append_rfc3339(time, ev.time, frac);
  if (!ev.public_ip.is_unset()) append_ip(ip, ev.public_ip);
  append_port(port, ev.public_port);
  if (!ev.inside_ip.is_unset()) append_ip(inside, ev.inside_ip);
  append_port(inside_port, ev.inside_port);
  if (!ev.dst_ip.is_unset()) append_ip(dst, ev.dst_ip);
  append_port(dst_port, ev.dst_port);
  if (ev.start != kNoTime) append_rfc3339(start, ev.start, frac);
  append_port(block_end, ev.block_end);
  std::string proto = ev.proto ? std::to_string(ev.proto) : std::string();
  std::string_view all[] = {time,        nat_action_name(ev.action),
                            ip,          port,
                            proto,       inside,
                            inside_port, dst,
                            dst_port,    start,
                            block_end,   ev.is_static ? "yes" : "",
                            ev.device,   ev.session_id};
  row(all, ev, file);
}

void EventWriter::write(const LoginEvent& ev, const ScanFile& file) {
  bool frac = ev.time_flags & kHasFraction;
  std::string &time = scratch(0), &from_ip = scratch(1), &assigned = scratch(2), &mac = scratch(3),
              &start = scratch(4), &logon_type = scratch(5);
  if (ev.time != kNoTime) append_rfc3339(time, ev.time, frac);
  if (ev.has_from_ip) append_ip(from_ip, ev.from_ip);
  if (ev.has_assigned_ip) append_ip(assigned, ev.assigned_ip);
  if (ev.has_assigned_ip2) {
    assigned += ',';
    append_ip(assigned, ev.assigned_ip2);
  }
  if (ev.has_mac) append_mac(mac, ev.mac);
  if (ev.start != kNoTime) append_rfc3339(start, ev.start, frac);
  if (ev.logon_type >= 0) logon_type = std::to_string(ev.logon_type);
  std::string_view place = ev.place == LoginPlace::local    ? "local"
                           : ev.place == LoginPlace::remote ? "remote"
                                                            : "";
  std::string_view all[] = {time,
                            login_action_name(ev.action),
                            ev.user,
                            ev.domain,
                            ev.host,
                            ev.from,
                            from_ip,
                            assigned,
                            mac,
                            ev.service,
                            ev.tty,
                            place,
                            ev.session_key,
                            ev.method,
                            logon_type,
                            start,
                            ev.open_end && ev.end_how.empty() ? "still open" : ev.end_how};
  row(all, ev, file);
}

void EventWriter::write(const OwnerEvent& ev, const ScanFile& file) {
  std::string &ip = scratch(0), &mac = scratch(1), &from = scratch(2), &to = scratch(3);
  if (ev.kind == OwnerKeyKind::ip) {
    append_ip(ip, ev.ip);
    unsigned len = ev.ip.is_v4() ? ev.prefix_len - 96u : ev.prefix_len;
    if (ev.prefix_len && len != (ev.ip.is_v4() ? 32u : 128u))
      fmt::format_to(std::back_inserter(ip), "/{}", len);
  }
  if (ev.kind == OwnerKeyKind::mac) append_mac(mac, ev.mac);
  if (ev.valid_from != kNoTime) append_rfc3339(from, ev.valid_from, false);
  if (ev.valid_to != kForever) append_rfc3339(to, ev.valid_to, false);
  std::string_view kind = ev.kind == OwnerKeyKind::ip    ? "ip"
                          : ev.kind == OwnerKeyKind::mac ? "mac"
                                                         : "login";
  std::string_view all[] = {kind,  ev.login, ip,      mac,  ev.name, ev.email,
                            ev.id, ev.unit,  ev.host, from, to};
  row(all, ev, file);
}

void EventWriter::write(const ProxyEvent& ev, const ScanFile& file) {
  bool frac = ev.time_flags & kHasFraction;
  std::string &time = scratch(0), &client = scratch(1), &client_port = scratch(2),
              &status = scratch(3), &bytes = scratch(4), &start = scratch(5), &end = scratch(6),
              &server = scratch(7);
  if (ev.time != kNoTime) append_rfc3339(time, ev.time, frac);
  if (ev.has_client)
    append_ip(client, ev.client);
  else
    client = ev.client_text;
  append_port(client_port, ev.client_port);
  append_port(status, ev.status);
  if (ev.has_bytes) fmt::format_to(std::back_inserter(bytes), "{}", ev.bytes);
  if (ev.start != kNoTime && ev.start != ev.time) append_rfc3339(start, ev.start, frac);
  if (ev.end != kNoTime && ev.end != ev.time) append_rfc3339(end, ev.end, frac);
  if (ev.has_server_ip) append_ip(server, ev.server_ip);
  std::string_view all[] = {time,         "request",   client,        client_port,    ev.forwarded,
                            ev.user,      ev.method,   ev.url,        ev.host,        status,
                            bytes,        start,       end,           ev.result,      server,
                            ev.hierarchy, ev.referrer, ev.user_agent, ev.content_type};
  row(all, ev, file);
}

void EventWriter::write(const MailEvent& ev, const ScanFile& file) {
  bool frac = ev.time_flags & kHasFraction;
  std::string &time = scratch(0), &client = scratch(1), &client_port = scratch(2),
              &relay_ip = scratch(3), &size = scratch(4), &nrcpt = scratch(5);
  if (ev.time != kNoTime) append_rfc3339(time, ev.time, frac);
  if (ev.has_client) append_ip(client, ev.client);
  append_port(client_port, ev.client_port);
  if (ev.has_relay_ip) append_ip(relay_ip, ev.relay_ip);
  if (ev.has_size) fmt::format_to(std::back_inserter(size), "{}", ev.size);
  if (ev.nrcpt) fmt::format_to(std::back_inserter(nrcpt), "{}", ev.nrcpt);
  std::string_view all[] = {time,           mail_action_name(ev.action),
                            ev.queue_id,    ev.message_id,
                            client,         client_port,
                            ev.client_name, ev.helo,
                            ev.user,        ev.auth_method,
                            ev.from,        ev.to,
                            ev.orig_to,     ev.relay,
                            relay_ip,       ev.status,
                            ev.detail,      ev.next_id,
                            size,           nrcpt,
                            ev.protocol,    ev.service,
                            ev.device};
  row(all, ev, file);
}

void EventWriter::finish() {
  if (table_) {
    table_->finish();
    return;
  }
  flush();
  std::fflush(out_);
}

}  // namespace tracekit

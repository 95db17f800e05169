// Zeek dhcp.log, as TSV (Zeek's ASCII writer) or as JSON lines.
//
//   1332008692.040000	Ce1Qqc1mlwC1CEm1ba,C4mlVZ12z34xG5G24	192.168.202.140	192.168.202.1
//   aa:00:04:00:0a:04	-	-	-	192.168.202.140	192.168.202.140	86400.000000	-
//   - DISCOVER,OFFER,REQUEST,ACK	2.020000
//   {"ts":1332008692.04,"uids":["Ce1Qqc1mlwC1CEm1ba"],"client_addr":"192.168.202.140","mac":"aa:00:04:00:0a:04","assigned_addr":"192.168.202.140","lease_time":86400.0,"msg_types":["DISCOVER","OFFER","REQUEST","ACK"]}
//
// One row per DHCP transaction (Zeek >= 2.6): ts (epoch seconds with fraction,
// UTC; the first message of the transaction), uids, client_addr, server_addr,
// mac, host_name, client_fqdn, domain, requested_addr, assigned_addr,
// lease_time (seconds), client_message, server_message, msg_types (the
// messages seen, in order), duration; sites add columns (circuit_id, ...).
// TSV: '#' lines carry the layout (#separator \x09, #set_separator ',',
// #empty_field (empty), #unset_field -, #path dhcp, #fields names the columns,
// #types); columns are found by name; zeek-cut output may have a bare header
// line ("ts<TAB>uids<TAB>...") or none (then the Zeek >= 2.6 column order is
// assumed); values escape bytes as \xHH. JSON: one flat object a line, absent
// keys are unset; ts may also be an ISO 8601 string (json_timestamps=
// JSON::TS_ISO8601) or integer milliseconds (TS_MILLIS). Rows are written when
// a transaction ends, so ts is not monotonic. Before Zeek 2.6 (Bro), dhcp.log
// logged ACKs only: ts, uid, id.orig_h, id.orig_p, id.resp_h, id.resp_p, mac,
// assigned_ip, lease_time, trans_id; such rows are read as ack of assigned_ip.
//
// Action: the last of ACK, NAK, RELEASE, DECLINE in msg_types decides: ACK with
// assigned_addr -> ack (lease_time from the row); ACK without assigned_addr
// (yiaddr 0: the answer to DHCPINFORM) -> inform; NAK -> nak (requested_addr,
// else client_addr); RELEASE -> release (client_addr); DECLINE -> decline
// (requested_addr). Without any of these: INFORM -> inform, REQUEST -> request,
// OFFER -> offer, DISCOVER -> discover. A row whose ts is not a number (test
// baselines canonify it to XXXXXXXXXX.XXXXXX) is malformed, "timestamp not a
// number", after its other fields have been read. Rows of a log whose #path is
// not dhcp are foreign.
#include <array>
#include <charconv>
#include <string>

#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"
#include "tracekit/zeek_log.h"

namespace tracekit::formats {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The fields a row gives, as raw (still escaped) text. Empty = unset.
struct RowFields {
  std::string_view ts, client_addr, server_addr, mac, host_name, client_fqdn, requested_addr,
      assigned_addr, lease_time, msg_types;
  bool ts_is_string = false;  // JSON "ts":"2012-..."
  bool has_msg_types = false;
  bool host_escaped = false, fqdn_escaped = false;
};

enum Field : int8_t {
  kTs,
  kClientAddr,
  kServerAddr,
  kMac,
  kHostName,
  kClientFqdn,
  kRequestedAddr,
  kAssignedAddr,
  kLeaseTime,
  kMsgTypes,
  kFields,
  kNone = -1
};

Field field_of(std::string_view name) {
  if (name == "ts") return kTs;
  if (name == "client_addr") return kClientAddr;
  if (name == "server_addr" || name == "id.resp_h") return kServerAddr;
  if (name == "mac") return kMac;
  if (name == "host_name") return kHostName;
  if (name == "client_fqdn") return kClientFqdn;
  if (name == "requested_addr") return kRequestedAddr;
  if (name == "assigned_addr" || name == "assigned_ip") return kAssignedAddr;
  if (name == "lease_time") return kLeaseTime;
  if (name == "msg_types") return kMsgTypes;
  return kNone;
}

std::string_view* slot(RowFields& r, Field f) {
  switch (f) {
    case kTs:
      return &r.ts;
    case kClientAddr:
      return &r.client_addr;
    case kServerAddr:
      return &r.server_addr;
    case kMac:
      return &r.mac;
    case kHostName:
      return &r.host_name;
    case kClientFqdn:
      return &r.client_fqdn;
    case kRequestedAddr:
      return &r.requested_addr;
    case kAssignedAddr:
      return &r.assigned_addr;
    case kLeaseTime:
      return &r.lease_time;
    case kMsgTypes:
      return &r.msg_types;
    default:
      return nullptr;
  }
}

// ---------------------------------------------------------------- JSON

// Reads one flat JSON object: string, number, literal and array values; nested
// objects are stepped over. Returns "" or a static reason.
const char* scan_json(std::string_view s, RowFields& r) {
  size_t i = 0;
  auto ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  };
  // Advances past a string whose opening quote is at i; sets `escaped`.
  auto string_end = [&](bool& escaped) {
    ++i;
    escaped = false;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\') escaped = true, ++i;
      ++i;
    }
    if (i >= s.size()) return false;
    ++i;
    return true;
  };
  ws();
  if (i >= s.size() || s[i] != '{') return "JSON: not an object";
  ++i;
  ws();
  if (i < s.size() && s[i] == '}') return "";
  while (true) {
    ws();
    if (i >= s.size() || s[i] != '"') return "JSON: expected a key";
    size_t kstart = i + 1;
    bool esc = false;
    if (!string_end(esc)) return "JSON: unterminated string";
    std::string_view key = s.substr(kstart, i - 1 - kstart);
    ws();
    if (i >= s.size() || s[i] != ':') return "JSON: expected ':'";
    ++i;
    ws();
    if (i >= s.size()) return "JSON: truncated object";
    std::string_view value;
    bool is_string = false;
    if (s[i] == '"') {
      size_t vstart = i + 1;
      if (!string_end(esc)) return "JSON: unterminated string";
      value = s.substr(vstart, i - 1 - vstart);
      is_string = true;
    } else if (s[i] == '[' || s[i] == '{') {
      size_t vstart = i + 1;
      int depth = 0;
      while (i < s.size()) {
        char c = s[i];
        if (c == '"') {
          bool e;
          if (!string_end(e)) return "JSON: unterminated string";
          continue;
        }
        if (c == '[' || c == '{') ++depth;
        if (c == ']' || c == '}') --depth;
        ++i;
        if (depth == 0) break;
      }
      if (depth != 0) return "JSON: unterminated array";
      value = s.substr(vstart, i - 1 - vstart);
    } else {
      size_t vstart = i;
      while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ' ') ++i;
      value = s.substr(vstart, i - vstart);
      if (value.empty()) return "JSON: expected a value";
      if (value == "null") value = {};
    }
    Field f = field_of(key);
    if (std::string_view* p = slot(r, f)) {
      *p = value;
      if (f == kTs) r.ts_is_string = is_string;
      if (f == kMsgTypes) r.has_msg_types = true;
      if (f == kHostName) r.host_escaped = esc && is_string;
      if (f == kClientFqdn) r.fqdn_escaped = esc && is_string;
    }
    ws();
    if (i < s.size() && s[i] == ',') {
      ++i;
      continue;
    }
    if (i < s.size() && s[i] == '}') return "";
    return "JSON: expected ',' or '}'";
  }
}

void put_utf8(uint32_t cp, char* buf, size_t cap, size_t& n) {
  char tmp[4];
  size_t k = 0;
  if (cp < 0x80) {
    tmp[k++] = char(cp);
  } else if (cp < 0x800) {
    tmp[k++] = char(0xC0 | (cp >> 6));
    tmp[k++] = char(0x80 | (cp & 0x3F));
  } else {
    tmp[k++] = char(0xE0 | (cp >> 12));
    tmp[k++] = char(0x80 | ((cp >> 6) & 0x3F));
    tmp[k++] = char(0x80 | (cp & 0x3F));
  }
  for (size_t j = 0; j < k && n < cap; ++j) buf[n++] = tmp[j];
}

// JSON string escapes -> bytes in buf (truncated at cap).
std::string_view unescape_json(std::string_view s, char* buf, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < s.size() && n < cap; ++i) {
    char c = s[i];
    if (c != '\\' || i + 1 >= s.size()) {
      buf[n++] = c;
      continue;
    }
    char e = s[++i];
    switch (e) {
      case 'b':
        buf[n++] = '\b';
        break;
      case 'f':
        buf[n++] = '\f';
        break;
      case 'n':
        buf[n++] = '\n';
        break;
      case 'r':
        buf[n++] = '\r';
        break;
      case 't':
        buf[n++] = '\t';
        break;
      case 'u': {
        uint32_t cp = 0;
        size_t j = 0;
        for (; j < 4 && i + 1 + j < s.size() && hex_value(s[i + 1 + j]) >= 0; ++j)
          cp = cp * 16 + uint32_t(hex_value(s[i + 1 + j]));
        if (j < 4) {
          buf[n++] = '?';
          break;
        }
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;  // surrogate halves: replaced
        put_utf8(cp, buf, cap, n);
        break;
      }
      default:
        buf[n++] = e;
        break;  // \" \\ \/
    }
  }
  return {buf, n};
}

// Zeek's ASCII escapes (\xHH) -> bytes in buf.
std::string_view unescape_tsv(std::string_view s, char* buf, size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < s.size() && n < cap; ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x' && hex_value(s[i + 2]) >= 0 &&
        hex_value(s[i + 3]) >= 0) {
      buf[n++] = char(hex_value(s[i + 2]) * 16 + hex_value(s[i + 3]));
      i += 3;
    } else {
      buf[n++] = s[i];
    }
  }
  return {buf, n};
}

// Later than any log time (year 9999), and far from overflowing microseconds.
constexpr int64_t kMaxSeconds = 253402300799;

// "86400.000000" -> microseconds; false if not a plain non-negative number.
bool read_seconds(std::string_view s, Micros& out) {
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  int64_t secs = 0;
  auto r = std::from_chars(whole.data(), whole.data() + whole.size(), secs);
  if (whole.empty() || r.ec != std::errc() || r.ptr != whole.data() + whole.size() || secs < 0 ||
      secs > kMaxSeconds)
    return false;
  int64_t us = 0;
  if (dot != std::string_view::npos) {
    int digits = 0;
    for (size_t i = dot + 1; i < s.size(); ++i) {
      if (!is_digit(s[i])) return false;
      if (digits < 6) us = us * 10 + (s[i] - '0'), ++digits;
    }
    for (; digits < 6; ++digits) us *= 10;
  }
  out = Micros(secs * 1000000 + us);
  return true;
}

constexpr std::array<std::string_view, 15> kDefaultLayout = {
    "ts",         "uids",           "client_addr",    "server_addr",    "mac",
    "host_name",  "client_fqdn",    "domain",         "requested_addr", "assigned_addr",
    "lease_time", "client_message", "server_message", "msg_types",      "duration"};

constexpr size_t kMaxColumns = 64;

class ZeekDhcpParser final : public DhcpParser {
 public:
  explicit ZeekDhcpParser(const ParseContext& ctx) : ctx_(ctx) {
    columns_.fill(kNone);
    for (size_t i = 0; i < kDefaultLayout.size(); ++i) columns_[i] = field_of(kDefaultLayout[i]);
  }

  LineResult parse(const Line& line, DhcpEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return LineResult::skip("empty line");
    out.clear();
    if (text[0] == '#') return read_directive(text);
    if (text[0] == '{') {
      RowFields r;
      if (const char* why = scan_json(text, r); *why) return LineResult::malformed(why);
      return build(r, true, out);
    }
    if (text.starts_with("ts") && text.size() > 2 && text[2] == header_.sep) {
      read_fields(text);  // zeek-cut's bare header line
      return LineResult::skip("column header");
    }
    if (!is_dhcp_) return LineResult::foreign("not a Zeek dhcp log (#path)");
    RowFields r;
    size_t col = 0;
    while (true) {
      size_t end = text.find(header_.sep);
      std::string_view v = text.substr(0, end);
      if (col < kMaxColumns) {
        Field f = columns_[col];
        if (std::string_view* p = slot(r, f)) {
          if (v == header_.unset || v == "-") v = {};
          if (v == header_.empty) v = {};
          *p = v;
          if (f == kMsgTypes) r.has_msg_types = true;
          if (f == kHostName) r.host_escaped = v.find('\\') != std::string_view::npos;
          if (f == kClientFqdn) r.fqdn_escaped = v.find('\\') != std::string_view::npos;
        }
      }
      ++col;
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
    if (col < 2) return LineResult::malformed("not a tab-separated row");
    return build(r, false, out);
  }

 private:
  LineResult read_directive(std::string_view text) {
    std::string_view value;
    switch (header_.read(text, value)) {
      case ZeekHeaderLine::path:
        is_dhcp_ = value == "dhcp";
        break;
      case ZeekHeaderLine::fields:
        read_fields(value);
        break;
      case ZeekHeaderLine::other:
        break;
    }
    return LineResult::skip("Zeek header line");
  }

  void read_fields(std::string_view names) {
    columns_.fill(kNone);
    size_t col = 0;
    while (col < kMaxColumns) {
      size_t end = names.find(header_.sep);
      columns_[col++] = field_of(names.substr(0, end));
      if (end == std::string_view::npos) break;
      names.remove_prefix(end + 1);
    }
  }

  LineResult build(const RowFields& r, bool json, DhcpEvent& out) {
    if (!r.mac.empty()) {
      out.has_mac = parse_mac(r.mac, out.mac);
      if (!out.has_mac) return LineResult::malformed("bad mac");
    }
    IpAddr client, requested, assigned, server;
    bool has_client = !r.client_addr.empty(), has_requested = !r.requested_addr.empty(),
         has_assigned = !r.assigned_addr.empty();
    if (has_client && !parse_ip(r.client_addr, client))
      return LineResult::malformed("bad client_addr");
    if (has_requested && !parse_ip(r.requested_addr, requested))
      return LineResult::malformed("bad requested_addr");
    if (has_assigned && !parse_ip(r.assigned_addr, assigned))
      return LineResult::malformed("bad assigned_addr");
    if (!r.server_addr.empty() && !parse_ip(r.server_addr, server))
      return LineResult::malformed("bad server_addr");
    out.server = r.server_addr;
    std::string_view host = r.host_name.empty() ? r.client_fqdn : r.host_name;
    bool escaped = r.host_name.empty() ? r.fqdn_escaped : r.host_escaped;
    if (escaped)
      host = json ? unescape_json(host, host_buf_.data(), host_buf_.size())
                  : unescape_tsv(host, host_buf_.data(), host_buf_.size());
    out.host = host;

    // The last message that settles the transaction decides.
    enum { kNoneSeen, kAck, kNak, kRelease, kDecline } last = kNoneSeen;
    bool inform = false, request = false, offer = false, discover = false;
    std::string_view types = r.msg_types;
    while (!types.empty()) {
      size_t comma = types.find(json ? ',' : header_.set_sep);
      std::string_view t = types.substr(0, comma);
      while (!t.empty() && (t.front() == ' ' || t.front() == '"')) t.remove_prefix(1);
      while (!t.empty() && (t.back() == ' ' || t.back() == '"')) t.remove_suffix(1);
      if (t == "ACK")
        last = kAck;
      else if (t == "NAK")
        last = kNak;
      else if (t == "RELEASE")
        last = kRelease;
      else if (t == "DECLINE")
        last = kDecline;
      else if (t == "INFORM")
        inform = true;
      else if (t == "REQUEST")
        request = true;
      else if (t == "OFFER")
        offer = true;
      else if (t == "DISCOVER")
        discover = true;
      if (comma == std::string_view::npos) break;
      types.remove_prefix(comma + 1);
    }
    if (!r.has_msg_types && has_assigned) last = kAck;  // Bro < 2.6 logged ACKs only

    auto first_of = [&](bool h1, const IpAddr& a1, bool h2, const IpAddr& a2) {
      if (h1)
        out.ip = a1;
      else if (h2)
        out.ip = a2;
    };
    if (last == kAck && has_assigned) {
      out.action = DhcpAction::ack;
      out.ip = assigned;
      if (!r.lease_time.empty() && !read_seconds(r.lease_time, out.lease_time))
        return LineResult::malformed("bad lease_time");
    } else if (last == kAck) {
      out.action = DhcpAction::inform;
      first_of(has_client, client, has_requested, requested);
    } else if (last == kNak) {
      out.action = DhcpAction::nak;
      first_of(has_requested, requested, has_client, client);
    } else if (last == kRelease) {
      out.action = DhcpAction::release;
      first_of(has_client, client, has_assigned, assigned);
      if (!has_client && !has_assigned) return LineResult::skip("RELEASE without an address");
    } else if (last == kDecline) {
      out.action = DhcpAction::decline;
      first_of(has_requested, requested, has_assigned, assigned);
    } else if (inform) {
      out.action = DhcpAction::inform;
      first_of(has_client, client, has_requested, requested);
    } else if (request) {
      out.action = DhcpAction::request;
      first_of(has_requested, requested, has_client, client);
    } else if (offer) {
      out.action = DhcpAction::offer;
      first_of(has_assigned, assigned, has_requested, requested);
    } else if (discover) {
      out.action = DhcpAction::discover;
      first_of(has_requested, requested, has_client, client);
    } else {
      return LineResult::skip("no DHCP message types");
    }

    // Read last, so that a row with a placeholder time still shows its fields.
    return read_ts(r, out);
  }

  LineResult read_ts(const RowFields& r, DhcpEvent& out) {
    if (r.ts.empty()) return LineResult::malformed("no timestamp");
    uint8_t flags = 0;
    if (r.ts_is_string) {
      size_t used = 0;
      if (!parse_iso_timestamp(r.ts, ctx_, out.time, flags, used) || used != r.ts.size()) {
        out.time = kNoTime;
        return LineResult::malformed("bad ISO 8601 timestamp");
      }
    } else if (r.ts.size() >= 13 && r.ts.find('.') == std::string_view::npos) {
      int64_t ms = 0;
      auto res = std::from_chars(r.ts.data(), r.ts.data() + r.ts.size(), ms);
      if (res.ec != std::errc() || res.ptr != r.ts.data() + r.ts.size() || ms < 0 ||
          ms / 1000 > kMaxSeconds)
        return LineResult::malformed("timestamp not a number");
      out.time = Instant(Micros(ms * 1000));
      flags |= kHasFraction;
    } else if (r.ts.substr(0, r.ts.find('.')).size() > 12 ||
               !parse_epoch_timestamp(r.ts, out.time, flags)) {
      out.time = kNoTime;
      return LineResult::malformed("timestamp not a number");
    }
    out.time_flags = flags;
    return LineResult::record();
  }

  const ParseContext& ctx_;
  ZeekLogHeader header_;  // separators and markers, from the '#' lines
  bool is_dhcp_ = true;
  std::array<Field, kMaxColumns> columns_;
  std::array<char, 512> host_buf_;
};

int sniff(std::string_view head, const char** why) {
  if (head.find("#path\tdhcp\n") != std::string_view::npos ||
      head.find("#path\tdhcp\r") != std::string_view::npos) {
    *why = "Zeek log header #path dhcp";
    return 95;
  }
  if (head.find("#path\t") != std::string_view::npos) {
    *why = "a Zeek log of another #path";
    return 0;
  }
  if (head.find("ts\tuids\tclient_addr\t") != std::string_view::npos) {
    *why = "Zeek dhcp.log column header (ts uids client_addr ...)";
    return 85;
  }
  size_t json = 0, dhcp = 0;
  for_each_head_line(head, 200, [&](std::string_view line) {
    if (line.empty() || line[0] != '{') return;
    ++json;
    if (line.find("\"msg_types\":") != std::string_view::npos ||
        (line.find("\"assigned_ip\":") != std::string_view::npos &&
         line.find("\"trans_id\":") != std::string_view::npos))
      ++dhcp;
  });
  if (dhcp > 0 && dhcp * 2 >= json) {
    *why = "JSON lines with Zeek dhcp.log keys (msg_types)";
    return 90;
  }
  *why = "no Zeek dhcp.log header or JSON rows";
  return 0;
}

std::unique_ptr<DhcpParser> make(const ParseContext& ctx) {
  return std::make_unique<ZeekDhcpParser>(ctx);
}

}  // namespace

const FormatInfo& zeek_dhcp_format() {
  static const FormatInfo info{.name = "zeek-dhcp",
                               .family = Family::dhcp,
                               .summary = "Zeek dhcp.log (TSV or JSON lines)",
                               .sniff = sniff,
                               .make_dhcp = make,
                               .snapshot = false};
  return info;
}

}  // namespace tracekit::formats

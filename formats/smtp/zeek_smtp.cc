// Zeek smtp.log, as TSV (Zeek's ASCII writer) or as JSON lines.
//
//   1776957540.123456	CHhAvVGS1DHFjwGM9	192.0.2.10	49152	198.51.100.25	25	1
//   ws1.example.org	alice@example.org	bob@example.net,carol@example.net	...
//   <1@example.org>	-	Status report	...	250 2.0.0 Ok: queued as 4D1E21A0B3C	...
//   {"ts":1776957540.123456,"uid":"C...","id.orig_h":"192.0.2.10","id.orig_p":49152,...}
//
// One row per SMTP transaction seen on the wire (Zeek's SMTP::Info): ts (epoch
// seconds with fraction, UTC; when the transaction began), uid, id.orig_h/p
// (the client), id.resp_h/p (the server), trans_depth, helo, mailfrom, rcptto
// (set), date, from, to, cc, reply_to, msg_id, in_reply_to, subject,
// x_originating_ip, first_received, second_received, last_reply (the last
// server reply of the transaction), path, user_agent, tls, fuids, is_webmail
// (Zeek >= 3). TSV: '#' lines carry the layout (#separator \x09,
// #set_separator ',', #empty_field (empty), #unset_field -, #path smtp,
// #fields); columns are found by name; zeek-cut output may have a bare header
// line ("ts<TAB>uid<TAB>...") or none (then Zeek's column order is assumed);
// values escape bytes as \xHH. JSON: one flat object a line, absent keys are
// unset, sets are arrays, ts may be an ISO 8601 string.
//
// Mapping: a row with neither mailfrom, rcptto nor msg_id saw no mail
// transaction (the session went into STARTTLS, or the client left) ->
// connect. A row whose last_reply is a 4xx or 5xx answer -> rejected: the
// server refused the transaction's last command, so nothing was queued.
// Otherwise -> received: client id.orig_h:orig_p, relay_ip:relay_port
// id.resp_h:resp_p (the server it was handed to), helo, from mailfrom, to
// rcptto as logged (a comma list), message_id msg_id, subject (content),
// detail last_reply, and queue_id the server's id when last_reply names it
// ("queued as X", Exim's "id=X", Sendmail's "X Message accepted for
// delivery"): with it the hop ties the wire to the server's own log. device is
// the server's address as text, service "zeek". A row whose ts is not a
// number (test baselines canonify it to XXXXXXXXXX.XXXXXX) is malformed,
// "timestamp not a number". Rows of a log whose #path is not smtp are foreign.
#include <array>
#include <charconv>
#include <string>

#include "format_list.h"
#include "tracekit/net.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"
#include "tracekit/zeek_log.h"

namespace tracekit::formats {

namespace {

enum Col : int8_t {
  kTs,
  kOrigH,
  kOrigP,
  kRespH,
  kRespP,
  kHelo,
  kMailfrom,
  kRcptto,
  kMsgId,
  kSubject,
  kLastReply,
  kPath,  // JSON "_path"
  kCols,
  kNone = -1
};

Col col_of(std::string_view name) {
  if (name == "ts") return kTs;
  if (name == "id.orig_h") return kOrigH;
  if (name == "id.orig_p") return kOrigP;
  if (name == "id.resp_h") return kRespH;
  if (name == "id.resp_p") return kRespP;
  if (name == "helo") return kHelo;
  if (name == "mailfrom") return kMailfrom;
  if (name == "rcptto") return kRcptto;
  if (name == "msg_id") return kMsgId;
  if (name == "subject") return kSubject;
  if (name == "last_reply") return kLastReply;
  if (name == "_path") return kPath;
  return kNone;
}

// Field values as raw text; empty = unset.
struct Row {
  std::array<std::string_view, kCols> v{};
  std::array<bool, kCols> escaped{};
  bool ts_is_string = false;
  bool rcpt_is_array = false;  // JSON: v[kRcptto] is the array's inside
};

constexpr std::array<std::string_view, 27> kDefaultLayout = {"ts",
                                                             "uid",
                                                             "id.orig_h",
                                                             "id.orig_p",
                                                             "id.resp_h",
                                                             "id.resp_p",
                                                             "trans_depth",
                                                             "helo",
                                                             "mailfrom",
                                                             "rcptto",
                                                             "date",
                                                             "from",
                                                             "to",
                                                             "cc",
                                                             "reply_to",
                                                             "msg_id",
                                                             "in_reply_to",
                                                             "subject",
                                                             "x_originating_ip",
                                                             "first_received",
                                                             "second_received",
                                                             "last_reply",
                                                             "path",
                                                             "user_agent",
                                                             "tls",
                                                             "fuids",
                                                             "is_webmail"};

// ---------------------------------------------------------------- JSON

// Reads one flat JSON object; nested objects and arrays are kept as their
// inside text. Returns "" or a static reason.
const char* scan_json(std::string_view s, Row& r) {
  size_t i = 0;
  auto ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  };
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
    bool is_string = false, is_array = false;
    esc = false;
    if (s[i] == '"') {
      size_t vstart = i + 1;
      if (!string_end(esc)) return "JSON: unterminated string";
      value = s.substr(vstart, i - 1 - vstart);
      is_string = true;
    } else if (s[i] == '[' || s[i] == '{') {
      is_array = s[i] == '[';
      size_t vstart = i + 1;
      int depth = 0;
      while (i < s.size()) {
        char c = s[i];
        if (c == '"') {
          bool e;
          if (!string_end(e)) return "JSON: unterminated string";
          esc = esc || e;
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
    Col c = col_of(key);
    if (c != kNone) {
      r.v[c] = value;
      r.escaped[c] = esc;
      if (c == kTs) r.ts_is_string = is_string;
      if (c == kRcptto) r.rcpt_is_array = is_array;
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

// Later than any log time (year 9999).
constexpr int64_t kMaxSeconds = 253402300799;

constexpr size_t kMaxColumns = 64;

// The 3-digit SMTP code a reply starts with, or 0.
int reply_code(std::string_view reply) {
  if (reply.size() < 3) return 0;
  for (int i = 0; i < 3; ++i)
    if (reply[i] < '0' || reply[i] > '9') return 0;
  if (reply.size() > 3 && reply[3] != ' ' && reply[3] != '-') return 0;
  return (reply[0] - '0') * 100 + (reply[1] - '0') * 10 + (reply[2] - '0');
}

bool id_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
         c == '_' || c == '.';
}

// The id the server gave the message, when its reply names it.
std::string_view queue_id_of(std::string_view reply) {
  auto token_at = [&](size_t b) {
    size_t e = b;
    while (e < reply.size() && id_char(reply[e])) ++e;
    std::string_view id = reply.substr(b, e - b);
    while (!id.empty() && id.back() == '.') id.remove_suffix(1);
    return id;
  };
  if (size_t p = reply.find("queued as "); p != std::string_view::npos) return token_at(p + 10);
  if (size_t p = reply.find(" id="); p != std::string_view::npos) return token_at(p + 4);
  if (size_t p = reply.find(" Message accepted for delivery"); p != std::string_view::npos) {
    std::string_view before = reply.substr(0, p);
    size_t sp = before.rfind(' ');
    if (sp != std::string_view::npos) return token_at(sp + 1);
  }
  return {};
}

class ZeekSmtpParser final : public MailParser {
 public:
  explicit ZeekSmtpParser(const ParseContext& ctx) : ctx_(ctx) {
    columns_.fill(kNone);
    for (size_t i = 0; i < kDefaultLayout.size(); ++i) columns_[i] = col_of(kDefaultLayout[i]);
  }

  LineResult parse(const Line& line, MailEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return LineResult::skip("empty line");
    out.clear();
    used_ = 0;
    if (text[0] == '#') return read_directive(text);
    if (text[0] == '{') {
      Row r;
      if (const char* why = scan_json(text, r); *why) return LineResult::malformed(why);
      if (!r.v[kPath].empty() && r.v[kPath] != "smtp")
        return LineResult::foreign("a Zeek log of another _path");
      return build(r, true, out);
    }
    if (text.starts_with("ts") && text.size() > 2 && text[2] == header_.sep) {
      read_fields(text);  // zeek-cut's bare header line
      return LineResult::skip("column header");
    }
    if (!is_smtp_) return LineResult::foreign("not a Zeek smtp log (#path)");
    Row r;
    size_t col = 0;
    while (true) {
      size_t end = text.find(header_.sep);
      std::string_view v = text.substr(0, end);
      if (col < kMaxColumns && columns_[col] != kNone) {
        if (header_.blank(v)) v = {};
        r.v[columns_[col]] = v;
        r.escaped[columns_[col]] = v.find('\\') != std::string_view::npos;
      }
      ++col;
      if (end == std::string_view::npos) break;
      text.remove_prefix(end + 1);
    }
    if (col < 6) return LineResult::malformed("truncated row");
    return build(r, false, out);
  }

 private:
  LineResult read_directive(std::string_view text) {
    std::string_view value;
    switch (header_.read(text, value)) {
      case ZeekHeaderLine::path:
        is_smtp_ = value == "smtp";
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
      columns_[col++] = col_of(names.substr(0, end));
      if (end == std::string_view::npos) break;
      names.remove_prefix(end + 1);
    }
  }

  // Escapes undone into the parser's buffer: JSON's \" \\ \uXXXX ..., or
  // Zeek's \xHH in TSV. For a JSON array, its strings joined with ','.
  std::string_view decode(std::string_view s, bool json, bool array) {
    size_t start = used_, cap = buf_.size();
    char* b = buf_.data();
    bool in_string = !array;
    for (size_t i = 0; i < s.size() && used_ < cap; ++i) {
      char c = s[i];
      if (array && !in_string) {
        if (c == '"') in_string = true;
        if (c == ',') b[used_++] = ',';
        continue;
      }
      if (json && array && c == '"') {
        in_string = false;
        continue;
      }
      if (c != '\\' || i + 1 >= s.size()) {
        b[used_++] = c;
        continue;
      }
      if (!json) {
        if (s[i + 1] == 'x' && i + 3 < s.size() && hex_value(s[i + 2]) >= 0 &&
            hex_value(s[i + 3]) >= 0) {
          b[used_++] = char(hex_value(s[i + 2]) * 16 + hex_value(s[i + 3]));
          i += 3;
        } else {
          b[used_++] = c;
        }
        continue;
      }
      char e = s[++i];
      switch (e) {
        case 'n':
          b[used_++] = '\n';
          break;
        case 'r':
          b[used_++] = '\r';
          break;
        case 't':
          b[used_++] = '\t';
          break;
        case 'b':
          b[used_++] = '\b';
          break;
        case 'f':
          b[used_++] = '\f';
          break;
        case 'u': {
          uint32_t cp = 0;
          size_t j = 0;
          for (; j < 4 && i + 1 + j < s.size() && hex_value(s[i + 1 + j]) >= 0; ++j)
            cp = cp * 16 + uint32_t(hex_value(s[i + 1 + j]));
          if (j < 4) {
            b[used_++] = '?';
            break;
          }
          i += 4;
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
          put_utf8(cp, b, cap, used_);
          break;
        }
        default:
          b[used_++] = e;
          break;
      }
    }
    return {b + start, used_ - start};
  }

  std::string_view text_of(const Row& r, Col c, bool json) {
    std::string_view v = r.v[c];
    bool array = json && c == kRcptto && r.rcpt_is_array;
    if (r.escaped[c] || array) return decode(v, json, array);
    return v;
  }

  static bool read_port(std::string_view s, uint16_t& port) {
    if (s.empty()) return true;
    return parse_number(s, port);
  }

  LineResult build(const Row& r, bool json, MailEvent& out) {
    out.service = "zeek";
    if (r.v[kOrigH].empty() || !parse_ip(r.v[kOrigH], out.client))
      return finish_ts(r, out, "bad id.orig_h");
    out.has_client = true;
    if (!read_port(r.v[kOrigP], out.client_port)) return finish_ts(r, out, "bad id.orig_p");
    if (!r.v[kRespH].empty()) {
      if (!parse_ip(r.v[kRespH], out.relay_ip)) return finish_ts(r, out, "bad id.resp_h");
      out.has_relay_ip = true;
      out.device = r.v[kRespH];
    }
    if (!read_port(r.v[kRespP], out.relay_port)) return finish_ts(r, out, "bad id.resp_p");
    out.helo = text_of(r, kHelo, json);
    std::string_view from = text_of(r, kMailfrom, json);
    if (from.size() >= 2 && from.front() == '<' && from.back() == '>')
      from = from.substr(1, from.size() - 2);
    out.from = from;
    out.to = text_of(r, kRcptto, json);
    out.message_id = text_of(r, kMsgId, json);
    out.subject = text_of(r, kSubject, json);
    out.detail = text_of(r, kLastReply, json);

    int code = reply_code(out.detail);
    if (r.v[kMailfrom].empty() && r.v[kRcptto].empty() && r.v[kMsgId].empty()) {
      out.action = MailAction::connect;
    } else if (code >= 400 && code < 600) {
      out.action = MailAction::rejected;
    } else {
      out.action = MailAction::received;
      out.queue_id = queue_id_of(out.detail);
    }
    return finish_ts(r, out, nullptr);
  }

  // Read last, so that a row with a placeholder time still shows its fields.
  LineResult finish_ts(const Row& r, MailEvent& out, const char* error) {
    LineResult ts = read_ts(r, out);
    if (error) return LineResult::malformed(error);
    return ts;
  }

  LineResult read_ts(const Row& r, MailEvent& out) {
    std::string_view ts = r.v[kTs];
    if (ts.empty()) return LineResult::malformed("no timestamp");
    uint8_t flags = 0;
    if (r.ts_is_string) {
      size_t used = 0;
      if (!parse_iso_timestamp(ts, ctx_, out.time, flags, used) || used != ts.size()) {
        out.time = kNoTime;
        return LineResult::malformed("bad ISO 8601 timestamp");
      }
    } else if (ts.size() >= 13 && ts.find('.') == std::string_view::npos) {
      int64_t ms = 0;
      auto res = std::from_chars(ts.data(), ts.data() + ts.size(), ms);
      if (res.ec != std::errc() || res.ptr != ts.data() + ts.size() || ms < 0 ||
          ms / 1000 > kMaxSeconds)
        return LineResult::malformed("timestamp not a number");
      out.time = Instant(Micros(ms * 1000));
      flags |= kHasFraction;
    } else if (ts.substr(0, ts.find('.')).size() > 12 ||
               !parse_epoch_timestamp(ts, out.time, flags)) {
      out.time = kNoTime;
      return LineResult::malformed("timestamp not a number");
    }
    out.time_flags = flags;
    return LineResult::record();
  }

  const ParseContext& ctx_;
  ZeekLogHeader header_;  // separators and markers, from the '#' lines
  bool is_smtp_ = true;
  std::array<Col, kMaxColumns> columns_;
  std::array<char, 8192> buf_;
  size_t used_ = 0;
};

int sniff(std::string_view head, const char** why) {
  if (head.find("#path\tsmtp\n") != std::string_view::npos ||
      head.find("#path\tsmtp\r") != std::string_view::npos) {
    *why = "Zeek log header #path smtp";
    return 95;
  }
  if (head.find("#path\t") != std::string_view::npos) {
    *why = "a Zeek log of another #path";
    return 0;
  }
  if (head.find("ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\thelo\t") !=
      std::string_view::npos) {
    *why = "Zeek smtp.log column header (ts uid id.orig_h ... helo)";
    return 85;
  }
  size_t json = 0, smtp = 0;
  for_each_head_line(head, 200, [&](std::string_view line) {
    if (line.empty() || line[0] != '{') return;
    ++json;
    if (line.find("\"_path\":\"smtp\"") != std::string_view::npos ||
        (line.find("\"id.orig_h\":") != std::string_view::npos &&
         line.find("\"last_reply\":") != std::string_view::npos &&
         (line.find("\"helo\":") != std::string_view::npos ||
          line.find("\"mailfrom\":") != std::string_view::npos)))
      ++smtp;
  });
  if (smtp > 0 && smtp * 2 >= json) {
    *why = "JSON lines with Zeek smtp.log keys (helo, mailfrom, last_reply)";
    return 90;
  }
  *why = "no Zeek smtp.log header or JSON rows";
  return 0;
}

std::unique_ptr<MailParser> make(const ParseContext& ctx) {
  return std::make_unique<ZeekSmtpParser>(ctx);
}

}  // namespace

const FormatInfo& zeek_smtp_format() {
  static const FormatInfo info{.name = "zeek-smtp",
                               .family = Family::smtp,
                               .summary = "Zeek smtp.log (TSV or JSON lines)",
                               .sniff = sniff,
                               .make_mail = make};
  return info;
}

}  // namespace tracekit::formats

// Zeek http.log, as TSV (Zeek's ASCII writer) or as JSON lines.
//
//   1776957540.123456	CHhAvVGS1DHFjwGM9	192.0.2.10	51234	198.51.100.7	80
//     1	GET	www.example.com	/index.html	-	1.1
//     Mozilla/5.0	-	0	5120	200	OK
//     -	-	(empty)	-	-	-
//     -	-	-	FakNcS1Jfe01uljb3	-	text/html
//   {"ts":1776957540.123456,"uid":"CHhAvVGS1DHFjwGM9","id.orig_h":"192.0.2.10",
//     "id.orig_p":51234,"id.resp_h":"198.51.100.7","id.resp_p":80,"method":"GET",
//     "host":"www.example.com","uri":"/index.html","status_code":200,
//     "response_body_len":5120,"resp_mime_types":["text/html"]}
//
// One row per HTTP request/response pair seen on the wire, written when the
// pair completes; ts (epoch seconds with fraction, UTC) is when the request
// began, so rows are not in time order and start = end = ts. Columns used:
// id.orig_h/id.orig_p (the client), id.resp_h/id.resp_p (the server), method,
// host (the Host header), uri (as sent: a path, an absolute URL through a
// proxy, host:port for CONNECT), referrer, user_agent, status_code, username
// (HTTP basic auth), response_body_len (bytes), resp_mime_types (the first is
// the content type) and proxied (headers that tell of a proxy, written
// "X-FORWARDED-FOR -> value": that value is `forwarded`). Views are as
// written: Zeek's \xHH escapes (TSV) or JSON escapes are left in place.
// TSV: '#' lines carry the layout (#separator, #set_separator, #empty_field
// "(empty)", #unset_field "-", #path, #fields); zeek-cut output may have a
// bare header line ("ts<TAB>uid<TAB>...") or none (then Zeek's default column
// order). JSON: one flat object a line; keys may be written id.orig_h or
// id_orig_h (Corelight, Security Onion); absent keys are unset; ts may also
// be an ISO 8601 string or integer milliseconds. A row whose ts is not a
// number (test baselines canonify it to XXXXXXXXXX.XXXXXX) is malformed,
// "timestamp not a number", after its other fields have been read. Rows of a
// log whose #path (or JSON _path / @stream) is not http are foreign.
#include <array>
#include <charconv>
#include <string>

#include "format_list.h"
#include "tracekit/flat_json.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"
#include "tracekit/zeek_log.h"

namespace tracekit::formats {

namespace {

enum Field : int8_t {
  kTs,
  kOrigH,
  kOrigP,
  kRespH,
  kRespP,
  kMethod,
  kHost,
  kUri,
  kReferrer,
  kUserAgent,
  kStatus,
  kUsername,
  kBodyLen,
  kMimeTypes,
  kProxied,
  kPath,
  kFieldCount,
  kNone = -1
};

Field field_of(std::string_view name) {
  // JSON writers that avoid dots in keys write id_orig_h.
  if (name.size() > 3 && name.starts_with("id_")) {
    if (name == "id_orig_h") return kOrigH;
    if (name == "id_orig_p") return kOrigP;
    if (name == "id_resp_h") return kRespH;
    if (name == "id_resp_p") return kRespP;
    return kNone;
  }
  if (name == "ts") return kTs;
  if (name == "id.orig_h") return kOrigH;
  if (name == "id.orig_p") return kOrigP;
  if (name == "id.resp_h") return kRespH;
  if (name == "id.resp_p") return kRespP;
  if (name == "method") return kMethod;
  if (name == "host") return kHost;
  if (name == "uri") return kUri;
  if (name == "referrer") return kReferrer;
  if (name == "user_agent") return kUserAgent;
  if (name == "status_code") return kStatus;
  if (name == "username") return kUsername;
  if (name == "response_body_len") return kBodyLen;
  if (name == "resp_mime_types") return kMimeTypes;
  if (name == "proxied") return kProxied;
  if (name == "_path" || name == "@stream") return kPath;
  return kNone;
}

// The fields a row gives, as written. Empty = unset.
struct Row {
  std::array<std::string_view, kFieldCount> v{};
  bool ts_is_string = false;
};

constexpr std::array<std::string_view, 30> kDefaultLayout = {"ts",
                                                             "uid",
                                                             "id.orig_h",
                                                             "id.orig_p",
                                                             "id.resp_h",
                                                             "id.resp_p",
                                                             "trans_depth",
                                                             "method",
                                                             "host",
                                                             "uri",
                                                             "referrer",
                                                             "version",
                                                             "user_agent",
                                                             "origin",
                                                             "request_body_len",
                                                             "response_body_len",
                                                             "status_code",
                                                             "status_msg",
                                                             "info_code",
                                                             "info_msg",
                                                             "tags",
                                                             "username",
                                                             "password",
                                                             "proxied",
                                                             "orig_fuids",
                                                             "orig_filenames",
                                                             "orig_mime_types",
                                                             "resp_fuids",
                                                             "resp_filenames",
                                                             "resp_mime_types"};

constexpr size_t kMaxColumns = 96;

// Later than any log time (year 9999), and far from overflowing microseconds.
constexpr int64_t kMaxSeconds = 253402300799;

constexpr std::string_view kXff = "X-FORWARDED-FOR -> ";

class ZeekHttpParser final : public ProxyParser {
 public:
  explicit ZeekHttpParser(const ParseContext& ctx) : ctx_(ctx) {
    columns_.fill(kNone);
    for (size_t i = 0; i < kDefaultLayout.size(); ++i) columns_[i] = field_of(kDefaultLayout[i]);
  }

  LineResult parse(const Line& line, ProxyEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    out.clear();
    if (text.empty()) return LineResult::skip("empty line");
    if (text[0] == '#') return read_directive(text);
    if (text[0] == '{') {
      Row r;
      const char* why = for_each_json_field(text, [&](const JsonField& f) {
        Field k = field_of(f.key);
        if (k == kNone || (!f.is_string && f.value == "null")) return;
        r.v[k] = f.value;
        if (k == kTs) r.ts_is_string = f.is_string;
      });
      if (why) return LineResult::malformed(why);
      if (!r.v[kPath].empty() && r.v[kPath] != "http")
        return LineResult::foreign("JSON row of a Zeek log that is not http (_path)");
      return build(r, true, out);
    }
    if (text.starts_with("ts") && text.size() > 2 && text[2] == header_.sep) {
      read_fields(text);  // zeek-cut's bare header line
      return LineResult::skip("column header");
    }
    if (!is_http_) return LineResult::foreign("not a Zeek http log (#path)");
    Row r;
    size_t col = 0;
    while (true) {
      size_t end = text.find(header_.sep);
      std::string_view v = text.substr(0, end);
      if (col < kMaxColumns && columns_[col] != kNone) {
        if (header_.blank(v)) v = {};
        r.v[columns_[col]] = v;
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
        is_http_ = value == "http";
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
      Field f = field_of(names.substr(0, end));
      columns_[col++] = f == kPath ? kNone : f;
      if (end == std::string_view::npos) break;
      names.remove_prefix(end + 1);
    }
  }

  // The first element of a set or vector: TSV "a,b" or JSON ["a","b"].
  std::string_view first_element(std::string_view v, bool json) const {
    if (!json) return v.substr(0, v.find(header_.set_sep));
    if (v.empty() || v[0] != '[') return v;
    v.remove_prefix(1);
    while (!v.empty() && v[0] == ' ') v.remove_prefix(1);
    if (v.empty() || v[0] != '"') return {};
    for (size_t i = 1; i < v.size(); ++i) {
      if (v[i] == '\\')
        ++i;
      else if (v[i] == '"')
        return v.substr(1, i - 1);
    }
    return {};
  }

  // The X-Forwarded-For value in `proxied`, if it holds one.
  std::string_view forwarded_of(std::string_view proxied, bool json) const {
    size_t at = proxied.find(kXff);
    if (at == std::string_view::npos) return {};
    std::string_view v = proxied.substr(at + kXff.size());
    if (json) {
      for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '\\')
          ++i;
        else if (v[i] == '"')
          return v.substr(0, i);
      }
      return {};
    }
    return v.substr(0, v.find(header_.set_sep));
  }

  LineResult build(const Row& r, bool json, ProxyEvent& out) {
    const auto& v = r.v;
    // The time first, so that a row with a bad field still counts for the
    // file's coverage; a bad time is reported after the other fields, so
    // that a row with a placeholder time still shows them.
    LineResult time = read_ts(r, out);
    if (v[kOrigH].empty()) return LineResult::malformed("no id.orig_h");
    out.client_text = v[kOrigH];
    if (!parse_ip(v[kOrigH], out.client)) return LineResult::malformed("bad id.orig_h");
    out.has_client = true;
    if (!v[kOrigP].empty() && !parse_number(v[kOrigP], out.client_port))
      return LineResult::malformed("bad id.orig_p");
    if (!v[kRespH].empty()) {
      if (!parse_ip(v[kRespH], out.server_ip)) return LineResult::malformed("bad id.resp_h");
      out.has_server_ip = true;
    }
    if (!v[kRespP].empty() && !parse_number(v[kRespP], out.server_port))
      return LineResult::malformed("bad id.resp_p");
    if (!v[kStatus].empty() && !parse_number(v[kStatus], out.status))
      return LineResult::malformed("bad status_code");
    if (!v[kBodyLen].empty()) {
      if (!parse_number(v[kBodyLen], out.bytes))
        return LineResult::malformed("bad response_body_len");
      out.has_bytes = true;
    }
    out.method = v[kMethod];
    out.host = v[kHost];
    out.url = v[kUri];
    out.referrer = v[kReferrer];
    out.user_agent = v[kUserAgent];
    out.user = v[kUsername];
    out.content_type = first_element(v[kMimeTypes], json);
    out.forwarded = forwarded_of(v[kProxied], json);
    return time;
  }

  LineResult read_ts(const Row& r, ProxyEvent& out) {
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
    out.start = out.end = out.time;
    return LineResult::record();
  }

  const ParseContext& ctx_;
  ZeekLogHeader header_;  // separators and markers, from the '#' lines
  bool is_http_ = true;
  std::array<Field, kMaxColumns> columns_;
};

bool has_key(std::string_view line, std::string_view quoted_key) {
  return line.find(quoted_key) != std::string_view::npos;
}

int sniff(std::string_view head, const char** why) {
  if (head.find("#path\thttp\n") != std::string_view::npos ||
      head.find("#path\thttp\r") != std::string_view::npos) {
    *why = "Zeek log header #path http";
    return 95;
  }
  if (head.find("#path\t") != std::string_view::npos) {
    *why = "a Zeek log of another #path";
    return 0;
  }
  bool header = false;
  for_each_head_line(head, 5, [&](std::string_view line) {
    if (line.starts_with("ts\t") && line.find("\tid.orig_h\t") != std::string_view::npos &&
        line.find("\tmethod\t") != std::string_view::npos &&
        line.find("\turi") != std::string_view::npos)
      header = true;
  });
  if (header) {
    *why = "Zeek http.log column header (ts ... id.orig_h ... method ... uri)";
    return 85;
  }
  size_t json = 0, http = 0;
  for_each_head_line(head, 200, [&](std::string_view line) {
    if (line.empty() || line[0] != '{') return;
    ++json;
    if (has_key(line, "\"uri\":") && has_key(line, "\"method\":") &&
        (has_key(line, "\"id.orig_h\":") || has_key(line, "\"id_orig_h\":")))
      ++http;
  });
  if (http > 0 && http * 2 >= json) {
    *why = "JSON lines with Zeek http.log keys (id.orig_h, method, uri)";
    return 90;
  }
  *why = "no Zeek http.log header or JSON rows";
  return 0;
}

std::unique_ptr<ProxyParser> make(const ParseContext& ctx) {
  return std::make_unique<ZeekHttpParser>(ctx);
}

}  // namespace

const FormatInfo& zeek_http_format() {
  static const FormatInfo info{.name = "zeek-http",
                               .family = Family::proxy,
                               .summary = "Zeek http.log (TSV or JSON lines)",
                               .sniff = sniff,
                               .make_proxy = make};
  return info;
}

}  // namespace tracekit::formats

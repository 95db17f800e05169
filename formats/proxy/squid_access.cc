// Squid's native access.log (logformat squid).
//
//   1776957540.123    845 192.0.2.10 TCP_MISS/200 5120 GET http://example.com/x
//     - HIER_DIRECT/198.51.100.7 text/html
//
// Fields, separated by one or more spaces (Squid pads the time on the right and
// the elapsed time on the left): %ts.%03tu the time the request ended (epoch
// seconds with milliseconds, UTC), %6tr elapsed milliseconds, %>a the client
// (a host name with log_fqdn), %Ss/%03>Hs result code and HTTP status (000 when
// no reply was sent), %<st bytes sent to the client, %rm method, %ru URL
// (host:port for CONNECT, "error:..." for requests Squid could not parse), %[un
// the user (ident or proxy login, URL-encoded: "john%20doe"; "-" when none),
// %Sh/%<a hierarchy code and the server or peer that answered ("-" or a name
// when none or not an address), %mt content type. Sites append fields to the
// logformat; they are ignored. Lines may come through syslog
// (access_log syslog:...): "Apr 23 16:19:00 proxy squid[123]: 1776957540.123 ..."
// gives the device; the time is still the epoch field's.
//
// The span: time = end = the logged time, start = time - elapsed.
#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The next field of a line whose fields are separated by runs of spaces.
std::string_view next_field(std::string_view& s) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  size_t start = i;
  while (i < s.size() && s[i] != ' ') ++i;
  std::string_view f = s.substr(start, i - start);
  s.remove_prefix(i);
  return f;
}

// Nine or more digits: the start of an epoch time (since 1973).
bool starts_with_epoch(std::string_view f) {
  size_t i = 0;
  while (i < f.size() && is_digit(f[i])) ++i;
  return i >= 9;
}

// "1776957540.123": Squid's %ts.%03tu (any fraction length, or none, is read).
bool looks_like_squid_time(std::string_view f) {
  size_t dot = f.find('.');
  size_t whole = dot == std::string_view::npos ? f.size() : dot;
  if (whole < 9 || whole > 10 || dot + 1 == f.size()) return false;
  for (size_t i = 0; i < f.size(); ++i)
    if (i != dot && !is_digit(f[i])) return false;
  return true;
}

// The native line's start ("TIME ELAPSED CLIENT CODE/STATUS"), for the sniffer.
bool looks_like_native(std::string_view s) {
  if (!looks_like_squid_time(next_field(s))) return false;
  std::string_view elapsed = next_field(s);
  int64_t ms = 0;
  if (!parse_number(elapsed, ms)) return false;
  if (next_field(s).empty()) return false;
  std::string_view code = next_field(s);
  size_t slash = code.rfind('/');
  return slash != std::string_view::npos && slash > 0 && code.size() - slash == 4 &&
         is_digit(code[slash + 1]) && is_digit(code[slash + 2]) && is_digit(code[slash + 3]);
}

std::string_view dash_empty(std::string_view v) {
  return v == "-" ? std::string_view() : v;
}

class SquidAccessParser final : public ProxyParser {
 public:
  explicit SquidAccessParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, ProxyEvent& out) override {
    std::string_view s = line.text;
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    out.clear();
    if (trim(s).empty()) return LineResult::skip("empty line");
    if (!starts_with_epoch(s)) {
      SyslogHeader h;
      const char* why = "";
      if (!parse_syslog_header(s, ctx_, h, &why))
        return LineResult::foreign("not a Squid access.log line");
      out.time = h.time;
      out.time_flags = h.time_flags;
      std::string_view msg = trim(h.message);
      if (!starts_with_epoch(msg))
        return LineResult::foreign("syslog line that is not a Squid access.log line");
      out.device = h.host;
      s = msg;
    }
    std::string_view ts = next_field(s);
    Instant t;
    uint8_t flags = 0;
    if (!looks_like_squid_time(ts) || !parse_epoch_timestamp(ts, t, flags))
      return LineResult::malformed("bad time (expected epoch seconds[.milliseconds])");
    out.time = out.end = t;
    out.time_flags = flags;

    std::string_view elapsed = next_field(s), client = next_field(s), code = next_field(s),
                     bytes = next_field(s), method = next_field(s), url = next_field(s),
                     user = next_field(s), hier = next_field(s), type = next_field(s);
    if (type.empty()) return LineResult::malformed("truncated line: fewer than 10 fields");

    int64_t ms = 0;
    if (!parse_number(elapsed, ms) || ms < 0 || !log_millis_ok(ms))
      return LineResult::malformed("bad elapsed time");
    out.start = t - Micros(ms * 1000);

    out.client_text = client;
    out.has_client = parse_ip(client, out.client);

    size_t slash = code.rfind('/');
    if (slash == std::string_view::npos || slash == 0)
      return LineResult::malformed("bad result code/status");
    out.result = code.substr(0, slash);
    if (!parse_number(code.substr(slash + 1), out.status) || out.status > 999)
      return LineResult::malformed("bad HTTP status");

    if (!parse_number(bytes, out.bytes)) return LineResult::malformed("bad byte count");
    out.has_bytes = true;

    out.method = method;
    out.url = url;
    out.user = dash_empty(user);
    out.hierarchy = hier;
    size_t hs = hier.find('/');
    if (hs != std::string_view::npos)
      out.has_server_ip = parse_ip(hier.substr(hs + 1), out.server_ip);
    out.content_type = dash_empty(type);
    return LineResult::record();
  }

  // Only the time, for lines the prefilter rules out. A native line's key is
  // its time field: a later line starting with the same bytes ended at the
  // same time. Lines through syslog are read whole.
  LineResult parse_time(const Line& line, ProxyEvent& out) override {
    std::string_view s = line.text;
    if (!starts_with_epoch(s)) return parse(line, out);
    out.clear();
    std::string_view ts = next_field(s);
    uint8_t flags = 0;
    if (!looks_like_squid_time(ts) || !parse_epoch_timestamp(ts, out.time, flags)) {
      out.time = kNoTime;
      return LineResult::malformed("bad time (expected epoch seconds[.milliseconds])");
    }
    out.time_flags = flags;
    // With the space after it, so that the key is the whole field.
    if (!s.empty() && ts.size() < 255) out.time_key = uint8_t(ts.size() + 1);
    return LineResult::skip("not examined beyond its time");
  }

 private:
  const ParseContext& ctx_;
};

int sniff(std::string_view head, const char** why) {
  size_t lines = 0, native = 0;
  for_each_head_line(head, 200, [&](std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || line[0] == '#') return;
    ++lines;
    if (looks_like_native(line)) {
      ++native;
      return;
    }
    // Through syslog: the native line follows the tag ("squid[123]: ").
    size_t tag = line.find("]: ");
    if (tag == std::string_view::npos)
      tag = line.find(": ");
    else
      tag += 1;
    if (tag != std::string_view::npos && tag < 80 && looks_like_native(line.substr(tag + 2)))
      ++native;
  });
  if (native > 0 && native * 2 >= lines) {
    *why = "Squid native access.log lines (epoch.millis elapsed client CODE/status ...)";
    return native == lines ? 95 : 80;
  }
  *why = "no Squid native access.log lines";
  return 0;
}

std::unique_ptr<ProxyParser> make(const ParseContext& ctx) {
  return std::make_unique<SquidAccessParser>(ctx);
}

}  // namespace

const FormatInfo& squid_access_format() {
  static const FormatInfo info{.name = "squid",
                               .family = Family::proxy,
                               .summary = "Squid native access.log (logformat squid)",
                               .sniff = sniff,
                               .make_proxy = make};
  return info;
}

}  // namespace tracekit::formats

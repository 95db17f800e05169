// NCSA common and combined access logs, as Apache httpd, nginx, lighttpd,
// Squid (logformat common/combined) and Traefik (CLF) write them.
//
//   www.example.org:443 203.0.113.5 - jdoe [23/Apr/2026:16:19:00 +0100] "GET /x?y=1 HTTP/1.1"
//     200 5120 "https://www.example.org/" "Mozilla/5.0 (X11)" "198.51.100.9, 10.0.0.2"
//
// Fields: [vhost[:port]] host ident user [time] "request" status bytes, then in
// the combined form "referer" "user-agent", then whatever a site appended.
//   - vhost: Apache's vhost_combined (%v:%p) and the like put the site first.
//     It is recognised when four or more words precede the time, the third is
//     "-" (the ident), and the first two are "-" or look like a host or an
//     address; then host/host_port are the site.
//   - host (%h, $remote_addr): the client's address, or its name when the
//     server resolves names (Apache HostnameLookups): client_text only.
//   - ident: servers write "-" (RFC 1413 lookups are off). lighttpd's default
//     format writes its virtual host (%V) there instead: a word other than "-"
//     that looks like a host or an address is read as host.
//   - user (%u, $remote_user): "-" when none; may hold spaces (everything up
//     to the time is the user).
//   - time: [dd/Mon/yyyy:HH:MM:SS +hhmm], local time with its offset, so exact
//     in UTC. Apache's %t is when the request arrived, nginx's $time_local when
//     it was logged (its end); a line does not say which server wrote it, so
//     start = end = time.
//   - request: "METHOD TARGET PROTOCOL" as received. Apache escapes '"' and
//     '\' with a backslash, nginx writes \x22; older servers wrote quotes raw,
//     so the request ends at the quote followed by a status. "-" (no request)
//     or bytes that are no request (TLS on a plain port, 400) leave method and
//     url empty; the line still names a client at a time.
//   - status: 3 digits, or "-" when none was sent (0). bytes: "-" is zero (%b).
//   - referer, user agent: the first two quoted fields after the bytes ("-" is
//     empty), bare words between them and the bytes skipped (lighttpd's
//     %I %O, ...).
//   - X-Forwarded-For: nginx setups often append "$http_x_forwarded_for" right
//     after the user agent. A quoted field there is read as forwarded when it
//     is "-" or starts with an address (or "unknown"); other appended fields
//     (durations, router names, TLS parameters) are ignored: a trailing number
//     is Apache %D microseconds, %T seconds or nginx $request_time seconds by
//     site choice, and which end of the request the time marks depends on the
//     server, so no duration is guessed from it.
// Lines may come through syslog ("Apr 23 16:19:00 web1 nginx: ..."): the
// syslog host is the device.
#include <cstring>

#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool read_digits(std::string_view s, size_t at, size_t n, int& v) {
  v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (!is_digit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  return true;
}

constexpr size_t kTimeLen = 26;  // "23/Apr/2026:16:19:00 +0100"

// The CLF time inside the brackets; false when it is not exactly that form.
bool parse_clf_time(std::string_view s, Instant& out) {
  if (s.size() != kTimeLen || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' ||
      s[17] != ':' || s[20] != ' ' || (s[21] != '+' && s[21] != '-'))
    return false;
  int d, y, hh, mi, ss, oh, om;
  unsigned mo = parse_month_abbrev(s.substr(3, 3));
  if (!read_digits(s, 0, 2, d) || mo == 0 || !read_digits(s, 7, 4, y) ||
      !read_digits(s, 12, 2, hh) || !read_digits(s, 15, 2, mi) || !read_digits(s, 18, 2, ss) ||
      !read_digits(s, 22, 2, oh) || !read_digits(s, 24, 2, om))
    return false;
  if (!valid_date(y, mo, unsigned(d)) || hh > 23 || mi > 59 || ss > 60 || oh > 23 || om > 59)
    return false;
  int64_t local =
      days_from_civil(y, mo, unsigned(d)) * 86400 + hh * 3600 + mi * 60 + std::min(ss, 59);
  int64_t offset = (int64_t(oh) * 3600 + om * 60) * (s[21] == '-' ? -1 : 1);
  out = from_epoch_seconds(local - offset);
  return true;
}

// Where the time's '[' is: the first " [" followed by a digit (or a '['
// and a digit at the start, a line that lost its first fields).
size_t find_time(std::string_view s) {
  if (s.size() > 1 && s[0] == '[' && is_digit(s[1])) return 0;
  size_t pos = 0;
  while ((pos = s.find(" [", pos)) != std::string_view::npos) {
    if (pos + 2 < s.size() && is_digit(s[pos + 2])) return pos + 1;
    pos += 2;
  }
  return std::string_view::npos;
}

// A word that can name a host: letters, digits, '.', '-', '_', ':' (an IPv6
// address, a port), '[' ']' (a bracketed IPv6 address).
bool host_like(std::string_view w) {
  if (w.empty() || w == "-") return false;
  for (char c : w)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' || c == '-' ||
          c == '_' || c == ':' || c == '[' || c == ']'))
      return false;
  return true;
}

bool is_status(std::string_view w) {
  return w == "-" || (w.size() == 3 && is_digit(w[0]) && is_digit(w[1]) && is_digit(w[2]));
}

// In `s` (after an opening quote at 0), the index of the quote closing the
// request: the first unescaped '"' followed by " STATUS" and a space or the
// line's end. npos if none.
size_t request_end(std::string_view s) {
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] != '"' || i + 1 >= s.size() || s[i + 1] != ' ') continue;
    size_t w = i + 2, e = w;
    while (e < s.size() && s[e] != ' ') ++e;
    if (is_status(s.substr(w, e - w))) return i;
  }
  return std::string_view::npos;
}

// The index of the quote closing a quoted field opened at 0: the first
// unescaped '"' followed by a space or the line's end. npos if none.
size_t quoted_end(std::string_view s) {
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
      continue;
    }
    if (s[i] == '"' && (i + 1 == s.size() || s[i + 1] == ' ')) return i;
  }
  return std::string_view::npos;
}

bool is_method_char(char c) {
  return (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
}

// "GET /x HTTP/1.1" -> method and target; both empty when the text is no
// request line.
void split_request(std::string_view r, std::string_view& method, std::string_view& url) {
  size_t sp = r.find(' ');
  if (sp == 0 || sp == std::string_view::npos || sp > 32) return;
  for (size_t i = 0; i < sp; ++i)
    if (!is_method_char(r[i])) return;
  std::string_view rest = r.substr(sp + 1);
  size_t last = rest.rfind(' ');
  if (last != std::string_view::npos && rest.substr(last + 1).starts_with("HTTP/"))
    rest = rest.substr(0, last);
  rest = trim(rest);
  if (rest.empty()) return;
  method = r.substr(0, sp);
  url = rest;
}

// An X-Forwarded-For value: addresses (perhaps with ports) separated by commas.
bool looks_forwarded(std::string_view v) {
  std::string_view first = trim(v.substr(0, v.find(',')));
  if (first == "unknown") return true;
  IpAddr a;
  if (parse_ip(first, a)) return true;
  // "198.51.100.9:40123", "[2001:db8::1]:40123"
  if (!first.empty() && first[0] == '[') {
    size_t close = first.find(']');
    return close != std::string_view::npos && parse_ip(first.substr(1, close - 1), a);
  }
  size_t colon = first.rfind(':');
  return colon != std::string_view::npos && parse_ip(first.substr(0, colon), a);
}

std::string_view dash_empty(std::string_view v) {
  return v == "-" ? std::string_view() : v;
}

bool starts_with_month(std::string_view s) {
  return s.size() > 4 && s[3] == ' ' && parse_month_abbrev(s.substr(0, 3)) != 0;
}

class ClfAccessParser final : public ProxyParser {
 public:
  explicit ClfAccessParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, ProxyEvent& out) override {
    std::string_view s = line.text;
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    out.clear();
    s = trim(s);
    if (s.empty()) return LineResult::skip("empty line");
    if (s[0] == '<' || starts_with_month(s)) {
      SyslogHeader h;
      const char* why = "";
      if (parse_syslog_header(s, ctx_, h, &why)) {
        out.time = h.time;
        out.time_flags = h.time_flags;
        out.device = h.host;
        s = trim(h.message);
      }
    }
    size_t open = find_time(s);
    if (open == std::string_view::npos)
      return LineResult::foreign("no [dd/Mon/yyyy:HH:MM:SS +zone] time: not an access log line");
    size_t close = s.find(']', open);
    if (close == std::string_view::npos)
      return LineResult::malformed("truncated line: time not closed");
    if (!read_time(s.substr(open + 1, close - open - 1), out))
      return LineResult::malformed("bad time (expected dd/Mon/yyyy:HH:MM:SS +hhmm)");
    out.start = out.end = out.time;
    if (const char* why = read_prefix(s.substr(0, open), out)) return LineResult::malformed(why);

    std::string_view rest = s.substr(close + 1);
    if (rest.size() < 2 || rest[0] != ' ' || rest[1] != '"')
      return LineResult::malformed("no quoted request after the time");
    rest.remove_prefix(1);
    size_t rq = request_end(rest);
    if (rq == std::string_view::npos)
      return LineResult::malformed("truncated line: no status after the request");
    split_request(rest.substr(1, rq - 1), out.method, out.url);
    rest.remove_prefix(rq + 2);

    std::string_view status = next_token(rest);
    if (status != "-" && !parse_number(status, out.status))
      return LineResult::malformed("bad status");
    std::string_view bytes = next_token(rest);
    if (bytes.empty()) return LineResult::malformed("truncated line: no byte count");
    if (bytes != "-" && !parse_number(bytes, out.bytes))
      return LineResult::malformed("bad byte count");
    out.has_bytes = true;
    return read_trailer(rest, out);
  }

  // Only the time, for lines the prefilter rules out (no time key: the time
  // is not at the line's start). Lines through syslog are read whole.
  LineResult parse_time(const Line& line, ProxyEvent& out) override {
    std::string_view s = trim(line.text);
    if (s.empty() || s[0] == '<' || starts_with_month(s)) return parse(line, out);
    out.clear();
    size_t open = find_time(s);
    if (open == std::string_view::npos)
      return LineResult::foreign("no [dd/Mon/yyyy:HH:MM:SS +zone] time: not an access log line");
    size_t close = s.find(']', open);
    if (close == std::string_view::npos)
      return LineResult::malformed("truncated line: time not closed");
    if (!read_time(s.substr(open + 1, close - open - 1), out))
      return LineResult::malformed("bad time (expected dd/Mon/yyyy:HH:MM:SS +hhmm)");
    return LineResult::skip("not examined beyond its time");
  }

 private:
  bool read_time(std::string_view t, ProxyEvent& out) {
    if (t.size() == kTimeLen && cache_valid_ && std::memcmp(t.data(), cache_text_, kTimeLen) == 0) {
      out.time = cache_time_;
    } else {
      if (!parse_clf_time(t, out.time)) {
        out.time = kNoTime;
        return false;
      }
      std::memcpy(cache_text_, t.data(), kTimeLen);
      cache_time_ = out.time;
      cache_valid_ = true;
    }
    out.time_flags = 0;
    return true;
  }

  // The words before the time: [vhost] host ident user.
  static const char* read_prefix(std::string_view p, ProxyEvent& out) {
    std::string_view words[4];
    size_t n = 0, user_at = 0;
    {
      std::string_view q = p;
      while (n < 4) {
        while (!q.empty() && q[0] == ' ') q.remove_prefix(1);
        if (q.empty()) break;
        size_t e = q.find(' ');
        words[n++] = q.substr(0, e);
        q.remove_prefix(e == std::string_view::npos ? q.size() : e);
      }
    }
    if (n < 2) return "too few fields before the time (expected host ident user)";
    bool vhost = n == 4 && words[2] == "-" && host_like(words[1]) &&
                 (words[0] == "-" || host_like(words[0]));
    std::string_view client = words[0], ident = words[1];
    user_at = 2;
    if (vhost) {
      read_vhost(words[0], out);
      client = words[1];
      ident = words[2];
      user_at = 3;
    } else if (host_like(ident)) {
      out.host = ident;  // lighttpd's %V
    }
    out.client_text = dash_empty(client);
    out.has_client = parse_ip(client, out.client);
    if (user_at < n) {
      std::string_view user = trim(p.substr(size_t(words[user_at].data() - p.data())));
      bool dashes = true;
      for (char c : user)
        if (c != '-' && c != ' ') dashes = false;
      if (!dashes && user != "\"\"") out.user = user;
    }
    return nullptr;
  }

  static void read_vhost(std::string_view v, ProxyEvent& out) {
    if (v == "-") return;
    size_t colon = v.rfind(':');
    if (colon != std::string_view::npos && colon > 0 &&
        (v.find(':') == colon || v[colon - 1] == ']') &&
        parse_number(v.substr(colon + 1), out.host_port)) {
      out.host = v.substr(0, colon);
      return;
    }
    out.host = v;
  }

  // After the bytes: referer, user agent, and perhaps X-Forwarded-For.
  static LineResult read_trailer(std::string_view rest, ProxyEvent& out) {
    int quoted = 0;
    bool after_agent = false;
    while (true) {
      while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
      if (rest.empty()) break;
      if (rest[0] != '"') {
        next_token(rest);
        after_agent = false;
        continue;
      }
      size_t q = quoted_end(rest);
      if (q == std::string_view::npos) return LineResult::malformed("unterminated quoted field");
      std::string_view v = rest.substr(1, q - 1);
      rest.remove_prefix(q + 1);
      if (quoted == 0) {
        out.referrer = dash_empty(v);
      } else if (quoted == 1) {
        out.user_agent = dash_empty(v);
        after_agent = true;
        ++quoted;
        continue;
      } else if (after_agent && (v == "-" || looks_forwarded(v))) {
        out.forwarded = dash_empty(v);
      }
      after_agent = false;
      ++quoted;
    }
    return LineResult::record();
  }

  const ParseContext& ctx_;
  char cache_text_[kTimeLen];
  Instant cache_time_ = kNoTime;
  bool cache_valid_ = false;
};

// A line with [dd/Mon/yyyy:HH:MM:SS +zone] "..." STATUS: an access log line.
bool looks_like_clf(std::string_view line) {
  size_t open = find_time(line);
  if (open == std::string_view::npos || open + kTimeLen + 2 >= line.size()) return false;
  Instant t;
  if (line[open + kTimeLen + 1] != ']' || !parse_clf_time(line.substr(open + 1, kTimeLen), t))
    return false;
  std::string_view rest = line.substr(open + kTimeLen + 2);
  if (rest.size() < 2 || rest[0] != ' ' || rest[1] != '"') return false;
  rest.remove_prefix(1);
  return request_end(rest) != std::string_view::npos;
}

int sniff(std::string_view head, const char** why) {
  size_t lines = 0, clf = 0;
  for_each_head_line(head, 200, [&](std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || line[0] == '#') return;
    ++lines;
    if (looks_like_clf(line)) ++clf;
  });
  if (clf > 0 && clf * 2 >= lines) {
    *why =
        "access log lines in common/combined log format ([dd/Mon/yyyy:HH:MM:SS +zone] \"request\" "
        "status)";
    return clf == lines ? 90 : 75;
  }
  *why = "no common/combined access log lines";
  return 0;
}

std::unique_ptr<ProxyParser> make(const ParseContext& ctx) {
  return std::make_unique<ClfAccessParser>(ctx);
}

}  // namespace

const FormatInfo& clf_access_format() {
  static const FormatInfo info{
      .name = "clf",
      .family = Family::proxy,
      .summary = "NCSA common/combined access log (Apache, nginx, lighttpd, Squid, Traefik)",
      .sniff = sniff,
      .make_proxy = make};
  return info;
}

}  // namespace tracekit::formats

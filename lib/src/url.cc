#include "tracekit/url.h"

#include <algorithm>
#include <charconv>

#include "tracekit/text.h"

namespace tracekit {

namespace {

bool scheme_char(char c, bool first) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (first) return alpha;
  return alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// Splits "host[:port]" (IPv6 in brackets) into `out`. False when the port
// is not a number.
bool split_authority(std::string_view a, UrlParts& out) {
  if (size_t at = a.rfind('@'); at != std::string_view::npos) a.remove_prefix(at + 1);
  std::string_view port;
  if (!a.empty() && a.front() == '[') {
    size_t close = a.find(']');
    if (close == std::string_view::npos) return false;
    out.host = a.substr(1, close - 1);
    std::string_view rest = a.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
    }
  } else {
    size_t colon = a.rfind(':');
    // More than one colon and no brackets: a bare IPv6 address, no port.
    if (colon != std::string_view::npos && a.find(':') == colon) {
      out.host = a.substr(0, colon);
      port = a.substr(colon + 1);
    } else {
      out.host = a;
    }
  }
  if (!port.empty()) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc() || p != port.data() + port.size() || v > 65535) return false;
    out.port = uint16_t(v);
  }
  return true;
}

}  // namespace

UrlParts split_url(std::string_view text) {
  UrlParts out;
  if (text.empty()) return out;
  if (text.front() == '/' || text.front() == '?' || text == "*") {
    out.path = text;
    return out;
  }
  size_t k = 0;
  while (k < text.size() && scheme_char(text[k], k == 0)) ++k;
  if (k > 0 && text.substr(k, 3) == "://") {
    out.scheme = text.substr(0, k);
    std::string_view rest = text.substr(k + 3);
    size_t end = rest.find_first_of("/?#");
    std::string_view auth = rest.substr(0, end);
    if (end != std::string_view::npos) out.path = rest.substr(end);
    if (!split_authority(auth, out) || out.host.empty()) out.valid = false;
    return out;
  }
  // host:port, the authority form (or a bare host).
  out.authority = true;
  if (!split_authority(text, out) || out.host.empty() ||
      text.find_first_of("/? ") != std::string_view::npos)
    out.valid = false;
  return out;
}

uint16_t default_port(std::string_view scheme) {
  if (iequals(scheme, "http") || iequals(scheme, "ws")) return 80;
  if (iequals(scheme, "https") || iequals(scheme, "wss")) return 443;
  if (iequals(scheme, "ftp")) return 21;
  return 0;
}

std::string_view without_fragment(std::string_view path) {
  return path.substr(0, path.find('#'));
}

std::string redacted_url(std::string_view scheme, std::string_view host, uint16_t port,
                         bool authority) {
  std::string out;
  if (host.empty()) return "/";
  if (!authority) {
    out.append(scheme.empty() ? std::string_view("http") : scheme);
    ascii_lower_in_place(out);
    out += "://";
  }
  bool v6 = host.find(':') != std::string_view::npos;
  if (v6) out += '[';
  size_t h = out.size();
  out.append(host);
  for (size_t i = h; i < out.size(); ++i) out[i] = ascii_lower(out[i]);
  if (v6) out += ']';
  if (port && (authority || port != default_port(scheme))) {
    out += ':';
    out += std::to_string(port);
  }
  if (!authority) out += '/';
  return out;
}

ContentRange url_content(std::string_view text) {
  UrlParts p = split_url(text);
  if (p.path.empty() || p.path == "/" || p.path == "*") return {};
  size_t at = size_t(p.path.data() - text.data());
  if (p.path.front() == '/') ++at;  // keep the "/"
  return {at, text.size() - at};
}

std::string redact(std::string_view raw, const ContentSpans& content) {
  ContentSpans sorted = content;
  std::sort(sorted.begin(), sorted.end(),
            [](const ContentRange& a, const ContentRange& b) { return a.offset < b.offset; });
  std::string out;
  size_t at = 0;
  for (const auto& c : sorted) {
    if (c.length == 0 || c.offset < at || c.offset + c.length > raw.size()) continue;
    out.append(raw.substr(at, c.offset - at));
    out.append(kRedacted);
    at = c.offset + c.length;
  }
  out.append(raw.substr(at));
  return out;
}

}  // namespace tracekit

// Request targets and URLs as proxies and web servers log them, and as
// investigators ask about them: split into scheme, host, port and path
// without copying, compared, and redacted (paths and query strings are
// content: the tools show scheme://host/ unless asked for the content).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tracekit {

// The parts of a URL or request target, as views into the text it was split
// from. Forms: "http://host[:port]/path?query" (absolute: a proxy's GET, a
// URL asked about), "host:port" (authority: CONNECT), "/path?query" (origin:
// a web server's request line), "*" (OPTIONS *).
struct UrlParts {
  std::string_view scheme;  // lower or upper case as written; empty: none written
  std::string_view host;    // as written, IPv6 without its brackets; empty: none
  uint16_t port = 0;        // as written; 0: none
  std::string_view path;    // from the first '/' or '?' after the host on; empty: none
  bool authority = false;   // the authority form (host:port, CONNECT)
  bool valid = true;        // false: a port that is not a number, an empty host after "//"
};
UrlParts split_url(std::string_view text);

// The port a scheme implies (http 80, https 443, ftp 21, ws 80, wss 443); 0
// for others.
uint16_t default_port(std::string_view scheme);

// The path with any "#fragment" cut off (a browser never sends it).
std::string_view without_fragment(std::string_view path);

// "scheme://host/" (host lowercased; a port other than the scheme's default
// kept; IPv6 in brackets): what the tools show of a URL unless asked for the
// content. An authority form shows as host:port; a target without a host
// as "/".
std::string redacted_url(std::string_view scheme, std::string_view host, uint16_t port,
                         bool authority);

// The range of `text` (offset, length) that is content: the path and query
// after the first '/' that follows the host (so "/" itself stays), or the
// query of a bare "?q". Length 0: nothing to hide.
struct ContentRange {
  size_t offset = 0, length = 0;
};
ContentRange url_content(std::string_view text);
using ContentSpans = std::vector<ContentRange>;

// `raw` with every range of `content` (sorted or not, not overlapping)
// replaced by kRedacted.
std::string redact(std::string_view raw, const ContentSpans& content);

// What replaces a content range in evidence shown without --show-content.
inline constexpr std::string_view kRedacted = "[redacted]";

}  // namespace tracekit

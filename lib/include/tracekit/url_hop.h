// The proxy hop as the tools use it (trace-url): read the site's proxy and
// web server access logs for the URLs, hosts, servers or clients asked about,
// and answer with the url.* fields of DESIGN.md (match, client, user, method,
// url, status, time, evidence) plus start (when the request began, as far as
// the line tells), peer (the address that connected), forwarded (the
// X-Forwarded-For value as logged), server, result, bytes and note.
//
// A request spans [start, end] (Squid logs a request when it ends, its
// elapsed time before); it matches a time of interest when that span meets
// the window asked: [T - skew, T + skew] with --around, [from, to) with
// --from/--to. url.client is the address the row's later hops follow: the
// client that connected, or, when the line carries an X-Forwarded-For value,
// its last address (the one the load balancer in front added; the ones
// before it are as the client claimed and are not followed).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "tracekit/cli.h"
#include "tracekit/codec.h"
#include "tracekit/hop.h"
#include "tracekit/scan.h"
#include "tracekit/url.h"

namespace tracekit {

struct UrlTarget {
  enum class Kind : uint8_t { url, prefix, host, server, client } kind = Kind::url;
  std::string text;  // as given
  // url and prefix: the parts, host lowercased, port the scheme's default
  // when none is written, path "/" when none ("#fragment" cut off).
  std::string scheme, host, path;
  uint16_t port = 0;
  bool subdomains = false;  // host: ".example.com" matches example.com and below
  IpAddr ip;                // server and client
};
std::string_view url_target_field(UrlTarget::Kind k);  // request_url, ..., client_ip

// Reads `text` as a target of kind `kind`. False with `error` when it cannot.
bool parse_url_target(UrlTarget::Kind kind, std::string_view text, UrlTarget& out,
                      std::string& error);

struct UrlQuery {
  Row row;  // the query as given; answers append the url hop to it
  UrlTarget target;
  QueryWindow window;  // a time (matched within the skew) or a window; none: any time
};

// A query of the command line: the row holds the target under its field
// (request_url, request_prefix, request_host, server_ip, client_ip) and the
// time (or from/to) in RFC 3339 UTC.
UrlQuery url_query_from_args(UrlTarget target, QueryWindow window);

// A query of a record read from stdin: one of the target fields above, and
// time (around) or from/to. False with `error` when it has none or cannot be
// read.
bool url_query_from_row(const Row& row, const date::time_zone* zone, UrlQuery& out,
                        std::string& error);

struct UrlHopSettings {
  bool show_content = false;  // --show-content: paths and query strings shown
};

class UrlHop {
 public:
  UrlHop(ToolRun& run, UrlHopSettings settings);

  // Reads the proxy sources once, keeping the requests that match a query.
  // False when --strict stopped the run.
  bool load(const std::vector<UrlQuery>& queries);

  // The rows of query `index` (its position in load()'s vector), one per
  // request, in time order; one row with match none or gap when there is no
  // request.
  std::vector<Row> answer(size_t index) const;

  const Scanner& scanner() const { return scanner_; }

  // A request kept for an answer (owned copies; the raw line as read).
  struct Request {
    Instant time = kNoTime, start = kNoTime, end = kNoTime;
    uint8_t time_flags = 0;
    bool has_peer = false, has_server = false, has_bytes = false, tunnel = false;
    IpAddr peer, server;
    uint16_t status = 0, port = 0;
    uint64_t bytes = 0;
    std::string peer_text, forwarded, user, method, target, scheme, host, result;
    std::string raw;
    ContentSpans content;  // where raw holds paths and query strings
    EvidenceRef ref;
    uint32_t source = 0;
  };

 private:
  // how: 0 the line told everything asked, 1 a CONNECT tunnel (host and port
  // only), 2 a line naming no host (matched on the path alone).
  Row row_for(const UrlQuery& q, MatchKind kind, const Request* r, uint8_t how,
              const std::string& extra_note) const;
  // The request's client as its later hops follow it (see above); `note`,
  // when given, says where it came from when not from the connection.
  std::string client_of(const Request& r, std::string* note) const;

  ToolRun& run_;
  UrlHopSettings settings_;
  Scanner scanner_;
  std::vector<UrlQuery> queries_;
  std::vector<Request> requests_;
  std::vector<std::vector<uint32_t>> matches_;  // per query: indexes into requests_
  std::vector<std::vector<uint8_t>> hows_;      // per query and match: row_for's `how`
  std::vector<uint32_t> proxy_sources_;
  Coverage coverage_;
};

}  // namespace tracekit

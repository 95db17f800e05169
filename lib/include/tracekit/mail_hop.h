// The mail hop as the tools use it (trace-mail): read the site's mail server
// logs for the messages asked about (by Message-ID, queue ID, sender,
// recipient, client address or authenticated user), rebuild each message's
// path on our servers, and answer with the mail.* fields of DESIGN.md
// (match, queue_id, message_id, client, user, from, to, status, time,
// evidence) plus how it arrived (client_name, helo, port, auth, protocol),
// its deliveries, the server, the ids it went under (path) and a note.
//
// A message is the events of one queue ID on one server between its arrival
// and its removal (queue IDs are reused, so an arrival after a removal, or
// long after the last event, starts a new message). A delivery that says the
// next hop queued it under a new ID on the same server ("queued as X": a
// content filter, a relay to itself) continues the path under that ID; the
// answer is the whole path, from the arrival the client made to the final
// deliveries.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tracekit/cli.h"
#include "tracekit/codec.h"
#include "tracekit/hop.h"
#include "tracekit/scan.h"

namespace tracekit {

struct MailTarget {
  enum class Kind : uint8_t { message_id, queue_id, sender, recipient, client, user };
  Kind kind = Kind::message_id;
  std::string text;   // as given
  std::string value;  // normalised: no angle brackets; addresses as given (compared ignoring case)
  IpAddr ip;          // client
};
std::string_view mail_target_field(MailTarget::Kind k);  // message_id, queue_id, sender, ...

bool parse_mail_target(MailTarget::Kind kind, std::string_view text, MailTarget& out,
                       std::string& error);

struct MailQuery {
  Row row;  // the query as given; answers append the mail hop to it
  MailTarget target;
  QueryWindow window;  // a time (matched within the skew) or a window; none: any time
};

MailQuery mail_query_from_args(MailTarget target, QueryWindow window);
// A record on stdin: one of the target fields, and time or from/to.
bool mail_query_from_row(const Row& row, const date::time_zone* zone, MailQuery& out,
                         std::string& error);

struct MailHopSettings {
  bool show_content = false;  // --show-content: subjects shown
};

class MailHop {
 public:
  MailHop(ToolRun& run, MailHopSettings settings);
  ~MailHop();

  // Reads the mail sources: once for the lines naming what is asked, then
  // for every line of the queue IDs found, and again while a path continues
  // under IDs not yet read. False when --strict stopped the run.
  bool load(const std::vector<MailQuery>& queries);

  // The rows of query `index`: one per message path, in time order; one row
  // with match none or gap when there is none.
  std::vector<Row> answer(size_t index) const;

  const Scanner& scanner() const;
  // The mail servers (device names) of the events kept.
  std::vector<std::string> devices() const;
  // The clients of the messages query `index` names itself (not their
  // paths' first messages): the address, else the name, else "".
  std::vector<std::string> named_clients(size_t index) const;

  struct Store;

 private:
  ToolRun& run_;
  MailHopSettings settings_;
  std::vector<MailQuery> queries_;
  std::unique_ptr<Store> store_;
};

}  // namespace tracekit

namespace tracekit {

struct MailHeader;

// Checking a pasted header against our logs (trace-mail --headers): each
// Received line whose "by" is one of our servers is looked up by its queue
// ID (else the header's Message-ID) near its date, and the client it names
// compared with the one our logs have.
struct HeaderChecks {
  // Per Received line: the query that checks it (-1: nothing to look it up
  // by).
  std::vector<int> query_of;
};

// Adds to `queries` the lookups the header's lines need: every line with a
// date is looked up (which servers are ours is decided after reading, with
// the names the logs give); `skew` widens the window around each date.
HeaderChecks plan_header_checks(const MailHeader& h, Micros skew, std::vector<MailQuery>& queries);

// One row per Received line, top first: header.index, header.line, header.by,
// header.from_ip, header.id, header.date, header.check (confirmed,
// contradicted, not-found, not-checkable, not-ours), header.note, then the
// mail hop's fields of the message found. `ours` as given to the plan, plus
// the servers the logs named.
std::vector<Row> check_header(const MailHeader& h, const HeaderChecks& plan,
                              const std::vector<std::string>& ours, const MailHop& hop);

}  // namespace tracekit

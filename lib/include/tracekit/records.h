// The record types every hop works with. A parser fills an *Event* (a view of
// one log line: string_views point into the line or the parser's own buffer
// and are valid until the parser's next call); the library keeps what a query
// needs as owned *records* with their evidence.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tracekit/net.h"
#include "tracekit/time.h"

namespace tracekit {

// Where a record came from: file (index into the run's file table), 1-based
// line, and byte offset of the line in the decompressed stream.
struct EvidenceRef {
  uint32_t file = 0;
  uint64_t line = 0;
  uint64_t offset = 0;
};

// ---------------------------------------------------------------- DHCP

enum class DhcpAction : uint8_t {
  discover,
  offer,
  request,
  ack,  // a lease granted or renewed (DHCPACK, Windows "Assign"/"Renew", Kea row)
  nak,
  release,  // the client gave the address back
  decline,
  inform,
  expire,  // the server let the lease lapse
  remove,  // the lease was deleted by an operator or the server (Kea lifetime 0, Windows delete)
  lease,   // a lease database entry with start and end (dhcpd.leases, Kea CSV)
};
std::string_view dhcp_action_name(DhcpAction a);

struct DhcpEvent {
  Instant time = kNoTime;       // when it happened (for `lease`: the lease's start)
  Instant lease_end = kNoTime;  // expiry when the source states it
  Micros lease_time{0};         // lease length when the source states it (0 = unknown)
  DhcpAction action = DhcpAction::ack;
  uint8_t time_flags = 0;  // TimeFlag bits
  bool has_mac = false;
  bool ends_lease = false;  // for `lease` entries: the entry records the lease's end
                            // (binding state free/released/expired), not an active lease
  IpAddr ip;
  MacAddr mac;
  std::string_view host;       // client hostname, if logged
  std::string_view client_id;  // DHCP client identifier / DUID, if logged
  std::string_view server;     // the DHCP server (syslog host), if known
  std::string_view relay;      // relay agent or interface ("via ...")
  // Set by a parser whose record spans several lines (dhcpd.leases): where the
  // record starts and its full text. Otherwise the driver uses the current line.
  uint64_t first_line = 0;
  uint64_t first_offset = 0;
  std::string_view raw;
  // Set by parse_time: the line's first time_key bytes alone fix its time, so
  // a later line that starts with the same bytes has the same time (a syslog
  // date: lines of one second share it). 0: no such key.
  uint8_t time_key = 0;

  void clear() { *this = DhcpEvent{}; }
};

// A lease as the library reconstructs it from events: [start, end).
struct Lease {
  IpAddr ip;
  MacAddr mac;
  bool has_mac = false;
  std::string host;
  std::string server;
  Instant start = kNoTime;
  Instant end = kForever;
  Instant last_ack = kNoTime;  // the last grant or renewal before the end
  enum class EndKind : uint8_t {
    stated,      // the source gave the expiry
    released,    // DHCPRELEASE / release event
    expired,     // an expiry event
    reassigned,  // the address went to another client
    declined,
    nak,
    removed,
    assumed,  // no end in the log: last grant + lease_time (a setting)
    open,     // nothing ends it before the log does: open-ended
  } end_kind = EndKind::open;
  Micros assumed_lease_time{0};
  uint8_t time_flags = 0;  // union of the flags of its events
  uint32_t source = 0;     // index of the source it was read from (first event)
  static constexpr uint32_t kNoEvent = UINT32_MAX;
  std::vector<uint32_t> events;   // the events folded into it (ids in the run's event store)
  uint32_t end_event = kNoEvent;  // the event that ended it, if one did
};
std::string_view lease_end_kind_name(Lease::EndKind k);

// ------------------------------------------------------- later hops (sketch)
// These fix the shape the other hops will fill so that one model serves all;
// their parsers arrive with their issues.

struct NatTranslation {  // (public ip, port, proto) -> inside ip, port over [start, end)
  IpAddr public_ip, inside_ip, dst_ip;
  uint16_t public_port = 0, inside_port = 0, dst_port = 0;
  uint16_t port_block_end = 0;  // CGNAT port block: [public_port, port_block_end]
  uint8_t proto = 0;            // IANA protocol number
  Instant start = kNoTime, end = kForever;
  std::string device;
  std::vector<EvidenceRef> events;
};

struct LoginSession {  // user on host over [start, end)
  std::string user, host, from, service;
  IpAddr ip;
  MacAddr mac;
  Instant start = kNoTime, end = kForever;
  bool open_ended = false;
  std::vector<EvidenceRef> events;
};

struct ProxyRequest {  // client fetched url, the request spanning [start, time]
  IpAddr client;
  std::string user, method, url;
  uint16_t status = 0;
  Instant start = kNoTime, time = kNoTime;
  EvidenceRef event;
};

struct MailMessage {  // a message's path through one server
  std::string queue_id, message_id, user, from;
  std::vector<std::string> to;
  IpAddr client;
  Instant time = kNoTime;
  std::vector<EvidenceRef> events;
};

struct OwnerEntry {  // a login (or address, or device) and its owner over [valid_from, valid_to)
  std::string login, name, email, id, unit;
  Instant valid_from = kNoTime, valid_to = kForever;
  EvidenceRef event;
};

}  // namespace tracekit

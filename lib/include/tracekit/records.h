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

// What every event carries, whatever its family. The scanner resets the
// evidence fields before each line; a parser sets time on every line that has
// one (also when it returns skip: the library uses it for the file's time
// coverage, which tells "no record" from "no log").
struct EventBase {
  Instant time = kNoTime;  // when it happened
  uint8_t time_flags = 0;  // TimeFlag bits
  // Set by a parser whose record spans several lines (dhcpd.leases, a RADIUS
  // detail block, a Windows event in XML): where the record starts and its
  // full text. Otherwise the scanner uses the current line.
  uint64_t first_line = 0;
  uint64_t first_offset = 0;
  std::string_view raw;
  // Set by parse_time: the line's first time_key bytes alone fix its time, so
  // a later line that starts with the same bytes has the same time (a syslog
  // date: lines of one second share it). 0: no such key.
  uint8_t time_key = 0;
};

// What a hop found for a query (DESIGN.md "match"): one candidate, several, none
// where the logs cover the time, none where they do not, or an earlier hop
// found nothing.
enum class MatchKind : uint8_t { exact, ambiguous, none, gap, skipped };
std::string_view match_name(MatchKind k);

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

struct DhcpEvent : EventBase {
  Instant lease_end = kNoTime;  // expiry when the source states it (time: when it happened;
                                // for `lease`: the lease's start)
  Micros lease_time{0};         // lease length when the source states it (0 = unknown)
  DhcpAction action = DhcpAction::ack;
  bool has_mac = false;
  bool ends_lease = false;  // for `lease` entries: the entry records the lease's end
                            // (binding state free/released/expired), not an active lease
  IpAddr ip;
  MacAddr mac;
  std::string_view host;       // client hostname, if logged
  std::string_view client_id;  // DHCP client identifier / DUID, if logged
  std::string_view server;     // the DHCP server (syslog host), if known
  std::string_view relay;      // relay agent or interface ("via ...")

  // Field by field: `*this = DhcpEvent{}` compiles to `rep stos`, whose
  // start-up cost showed in the full parse (one clear per line).
  void clear() {
    time = kNoTime;
    time_flags = 0;
    first_line = 0;
    first_offset = 0;
    raw = {};
    time_key = 0;
    lease_end = kNoTime;
    lease_time = Micros{0};
    action = DhcpAction::ack;
    has_mac = false;
    ends_lease = false;
    ip = IpAddr{};
    mac = MacAddr{};
    host = {};  // (one by one: a chained assignment reloads each view)
    client_id = {};
    server = {};
    relay = {};
  }
};
// A field added to DhcpEvent or EventBase must be reset by clear() above.
static_assert(sizeof(void*) != 8 || sizeof(DhcpEvent) == 168, "DhcpEvent changed: see clear()");

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
  // The other reading of a start or end given in a DST-ambiguous local time
  // (kNoTime: none). Between the two readings the lease may or may not be.
  Instant start_alt = kNoTime, end_alt = kNoTime;
  uint8_t time_flags = 0;  // union of the flags of its events
  uint32_t source = 0;     // index of the source it was read from (first event)
  static constexpr uint32_t kNoEvent = UINT32_MAX;
  std::vector<uint32_t> events;   // the events folded into it (ids in the run's event store)
  std::vector<uint32_t> names;    // those giving it a new host name (LeaseStore::names_of)
  uint32_t end_event = kNoEvent;  // the event that ended it, if one did
};
std::string_view lease_end_kind_name(Lease::EndKind k);

// ----------------------------------------------------------------- NAT

enum class NatAction : uint8_t {
  open,         // a translation or connection was built
  close,        // a translation or connection was torn down (start set when a duration says)
  session,      // one record for a whole session, written at its end (start and time)
  block_open,   // CGNAT: a port block was allocated to a subscriber
  block_close,  // CGNAT: a port block was released
};
std::string_view nat_action_name(NatAction a);

// One NAT log line. "inside" is the host behind the NAT (the subscriber),
// "public" its translated (mapped) address, "dst" the far end as the inside
// host addressed it. Ports are 0 when not logged; for ICMP they hold the ICMP
// id when the log gives one.
struct NatEvent : EventBase {
  NatAction action = NatAction::open;
  uint8_t proto = 0;        // IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6); 0: unknown
  bool is_static = false;   // a static translation (no idle timeout)
  bool connection = false;  // a connection record (ASA 302013) rather than a translation
  IpAddr inside_ip, public_ip, dst_ip;
  uint16_t inside_port = 0, public_port = 0, dst_port = 0;
  uint16_t block_end = 0;   // port blocks: the last port of the block (public_port is the first)
  Instant start = kNoTime;  // close/session: when it began, if the line says (or kNoTime)
  std::string_view device;  // the NAT device (syslog host, serial, device name)
  std::string_view session_id;  // pairs open with close when the log has one (ASA connection id)

  void clear() { *this = NatEvent{}; }
};

// ------------------------------------------------------------- logins

enum class LoginAction : uint8_t {
  login,     // a session began
  logout,    // a session ended
  failed,    // a failed attempt (an event, not a session)
  interim,   // a session is still going (RADIUS Interim-Update)
  session,   // one record for a whole session (`last` output): start and time (its end)
  boot,      // the host booted: every session open on it ended before
  shutdown,  // the host went down: every open session ends here
};
std::string_view login_action_name(LoginAction a);

enum class LoginPlace : uint8_t { unknown, local, remote };  // at the machine, or over the network

// One login record. `host` is the machine the session is on (a syslog host, a
// Windows computer name, the source's `host` setting for wtmp; for RADIUS the
// NAS); `from` is where the user came from as logged (remote host name or
// address); from_ip the same when it is an address; assigned_ip an address
// given to the session (RADIUS Framed-IP-Address, VPN), assigned_ip2 a
// second one the same record gives (the IPv6 address beside the IPv4 one).
struct LoginEvent : EventBase {
  LoginAction action = LoginAction::login;
  LoginPlace place = LoginPlace::unknown;
  bool has_from_ip = false, has_assigned_ip = false, has_assigned_ip2 = false, has_mac = false;
  IpAddr from_ip, assigned_ip, assigned_ip2;
  MacAddr mac;  // RADIUS Calling-Station-Id
  std::string_view user, domain, host, from;
  std::string_view service;      // sshd, login, gdm, imap, pop3, radius, rdp, ...
  std::string_view tty;          // utmp ut_line, "ssh:notty", ...
  std::string_view session_key;  // pairs login with logout: sshd pid, ut_line, TargetLogonId,
                                 // Acct-Session-Id, Dovecot session=
  std::string_view method;       // password, publickey, keyboard-interactive, ...
  int logon_type = -1;           // Windows LogonType (2 interactive, 3 network, 10 remote, ...)
  // logout/interim/session: when the session began, if the record says (RADIUS
  // Acct-Session-Time, a `last` line); kNoTime otherwise. A `session` whose
  // record says it had not ended ("still logged in") has time = start and
  // open_end set.
  Instant start = kNoTime;
  bool open_end = false;     // session: the record says it had not ended ("still logged in")
  std::string_view end_how;  // how it ended when the record says: "crash", "down", "gone"

  void clear() { *this = LoginEvent{}; }
};

// ------------------------------------------------------------- owners

enum class OwnerKeyKind : uint8_t { login, ip, mac };

// One entry of a directory or register: a login (or an address prefix, or a
// MAC) and who is responsible for it, over [valid_from, valid_to) when dated.
struct OwnerEvent : EventBase {
  OwnerKeyKind kind = OwnerKeyKind::login;
  std::string_view login;  // as written in the source (normalised by the hop)
  IpAddr ip;
  uint8_t prefix_len = 0;  // kind ip: the prefix length in IPv6 terms (v4: 96 + len)
  MacAddr mac;
  std::string_view name, email, id, unit, host;
  Instant valid_from = kNoTime, valid_to = kForever;
  bool dated = false;  // the source gives validity
  // Other columns, carried through: name and value views.
  std::vector<std::pair<std::string_view, std::string_view>> extra;

  void clear() { *this = OwnerEvent{}; }
};

// -------------------------------------------- proxies and web servers

// One request in a proxy's or a web server's access log. `time` is the time
// the line states (Squid: when the request ended; Apache %t: when it
// arrived; nginx $time_local: when it ended); [start, end] is the span the
// request took as far as the line tells (both = time when it gives no
// duration). `client` is the address that connected (Squid's client, %h,
// Zeek's id.orig_h); `forwarded` the X-Forwarded-For value as logged (a load
// balancer or reverse proxy in front names the real client there).
//
// url and referrer are views into the line as written (not unescaped): the
// tools find their path and query there to redact them. url is the request
// target as logged: an absolute URL (a proxy's GET), host:port (CONNECT), or
// a path ("/x?y", a web server's log; then `host` names the site when the
// line does: a virtual-host prefix, Zeek's host).
struct ProxyEvent : EventBase {
  Instant start = kNoTime, end = kNoTime;
  bool has_client = false;     // client holds an address (else client_text: a host name)
  bool has_server_ip = false;  // server_ip holds the upstream/server address
  IpAddr client, server_ip;
  uint16_t client_port = 0, server_port = 0;  // 0: not logged
  uint16_t status = 0;                        // HTTP status; 0: none logged ("-", Squid's 000)
  uint16_t host_port = 0;                     // the port of `host` when logged (vhost "x:443")
  uint64_t bytes = 0;                         // response size (Squid: to the client)
  bool has_bytes = false;
  std::string_view client_text;  // the client as logged (a name when HostnameLookups is on)
  std::string_view forwarded;    // X-Forwarded-For as logged ("a, b"), empty when not logged
  std::string_view user;         // authenticated user (Squid user/ident, %u, Zeek username)
  std::string_view method, url, host;
  std::string_view result;     // Squid result code ("TCP_MISS"), empty elsewhere
  std::string_view hierarchy;  // Squid hierarchy/peer ("HIER_DIRECT/93.184.216.34")
  std::string_view referrer, user_agent, content_type;
  std::string_view device;  // the proxy or server (syslog host) when the line names it

  void clear() { *this = ProxyEvent{}; }
};

// ------------------------------------------------------------- mail

enum class MailAction : uint8_t {
  connect,      // a client connected (Postfix "connect from"); no message yet
  received,     // a message was handed over: queue id, client, authenticated user (Postfix
                // smtpd/pickup client=, Exim <=, Sendmail from=, Exchange RECEIVE)
  header,       // the message's Message-ID (and, for Exim with T=, its subject) named
  sender,       // the envelope sender, size and recipient count (Postfix qmgr from=)
  delivery,     // a delivery attempt: recipient, relay, status (sent, deferred, bounced, ...)
  completed,    // the queue id is done (Postfix removed, Exim Completed)
  rejected,     // refused before it was queued (Postfix NOQUEUE reject, Exim rejected RCPT)
  auth_failed,  // an authentication attempt failed (SASL, Exim authenticator failed)
  disconnect,   // the client went away
};
std::string_view mail_action_name(MailAction a);

// One mail log record. `queue_id` is the server's id of the message (Postfix
// queue ID, Exim message id, Sendmail qid, Exchange InternalMessageId): ids
// are reused, so the hop groups by id and time. client is the host that
// handed the message over (for received, connect, rejected, auth_failed);
// relay the host a delivery went to. Views into the line or the parser's
// buffer, as with every event.
struct MailEvent : EventBase {
  MailAction action = MailAction::received;
  bool has_client = false, has_relay_ip = false, has_size = false;
  IpAddr client, relay_ip;
  uint16_t client_port = 0, relay_port = 0;
  uint64_t size = 0;
  uint32_t nrcpt = 0;
  std::string_view queue_id;
  std::string_view message_id;   // with its angle brackets as logged
  std::string_view client_name;  // the client's host name as logged ("unknown" kept)
  std::string_view helo;
  std::string_view user;         // the authenticated user (sasl_username, A=, AUTH=)
  std::string_view auth_method;  // sasl_method, Exim's authenticator name
  std::string_view from;         // envelope sender
  std::string_view to;           // recipient (one per delivery record)
  std::string_view orig_to;      // the recipient before aliasing, when logged
  std::string_view relay;        // relay as logged ("mx.example.net[198.51.100.25]:25", "local")
  std::string_view status;       // sent, deferred, bounced, expired, delivered, failed, ...
  std::string_view detail;       // the status's explanation as logged
  std::string_view next_id;      // "queued as NEWID": the id the message continues under
  std::string_view protocol;     // ESMTPSA, P=esmtpsa, ...
  std::string_view subject;      // content: Exim T= (shown only when asked)
  std::string_view service;      // postfix/smtpd, exim, sendmail, exchange, zeek
  std::string_view device;       // the mail server (syslog host, Exchange server)

  void clear() { *this = MailEvent{}; }
};

}  // namespace tracekit

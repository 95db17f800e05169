// Login sessions reconstructed from events, and the answer to "who was logged
// in on this host (or at this address, or with this MAC) at time T".
//
// A session is [login, logout). Events pair by host and session key (sshd pid,
// utmp line, Windows logon id, RADIUS session id) in log order; a second login
// record of a session already open (sshd's "Accepted" and pam's "session
// opened") joins it. A boot record ends every session open on its host (the
// machine went down before it: a crash), a shutdown ends them at the shutdown.
// A logout without a login starts where the record says (a session time) or
// at its file's first line. A login with no end is open-ended.
#pragma once

#include <algorithm>

#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "tracekit/lease.h"
#include "tracekit/records.h"
#include "tracekit/scan.h"

namespace tracekit {

struct StoredLoginEvent {
  LoginAction action = LoginAction::login;
  LoginPlace place = LoginPlace::unknown;
  uint8_t time_flags = 0;
  bool has_from_ip = false, has_assigned_ip = false, has_assigned_ip2 = false, has_mac = false,
       open_end = false;
  int logon_type = -1;
  Instant time = kNoTime, start = kNoTime;
  IpAddr from_ip, assigned_ip, assigned_ip2;
  MacAddr mac;
  std::string user, domain, host, from, service, tty, session_key, method, end_how, raw;
  EvidenceRef ref;
  uint32_t source = 0;
};

struct LoginSessionRec {
  std::string user, domain, host, from, service, tty;
  LoginPlace place = LoginPlace::unknown;
  int logon_type = -1;
  bool has_from_ip = false, has_mac = false;
  IpAddr from_ip;
  // Every address the session was given, in the order its records name
  // them (a dual-stack VPN client gets an IPv4 and an IPv6 address).
  std::vector<IpAddr> assigned;
  bool assigned_to(const IpAddr& ip) const {
    return std::find(assigned.begin(), assigned.end(), ip) != assigned.end();
  }
  MacAddr mac;
  Instant start = kNoTime, end = kForever;
  enum class EndKind : uint8_t {
    logout,    // a logout record
    shutdown,  // the host shut down
    boot,      // the host booted again without a logout or shutdown first (a crash?)
    stated,    // the record gives the end (a `last` line, a wtmpdb row)
    reused,    // no logout: the same session key (pid, tty) began a new session
    open,      // nothing ends it: open-ended
  } end_kind = EndKind::open;
  std::string end_how;           // what the record said ("crash", "down")
  bool start_from_file = false;  // no login record: starts at its file's first line
  // No login record, and its host went down (booted or shut down) after its
  // file's first line: it started after that, and start is that event's
  // time (start_after_down, an event of `events`). kNoEvent: not so.
  static constexpr uint32_t kNoEvent = UINT32_MAX;
  uint32_t start_after_down = kNoEvent;
  bool orphan_logout = false;  // made of a logout with no login (and no stated start)
  // The other reading of a start or end given in a DST-ambiguous local time
  // (kNoTime: none). Between the two readings the session may or may not be.
  Instant start_alt = kNoTime, end_alt = kNoTime;
  uint32_t source = 0;
  std::vector<uint32_t> events;  // the events folded into it
};
std::string_view login_end_kind_name(LoginSessionRec::EndKind k);

struct LoginKey {
  enum class Kind : uint8_t { host, ip, mac, user } kind = Kind::host;
  std::string text;  // host or user
  IpAddr ip;
  MacAddr mac;
  // A host name a DHCP lease gave (lease.host): the client's own claim,
  // checked against the other clients that claimed it (HostClaims).
  bool from_lease = false;
};
// A host name, an IP address or a MAC (for user keys, set kind yourself).
bool parse_login_key(std::string_view text, LoginKey& out, std::string& error);

// Events of one session share this: host (short, lower case) and session key,
// or host, user, service, tty and origin when the log has no key.
std::string login_pairing_key(std::string_view host, const LoginEvent& ev);
// Whether a pairing key is one of the host whose login_host_key is `host_key`.
bool login_pairing_key_on(std::string_view key, std::string_view host_key);
std::string login_host_key(std::string_view host);  // short name, lower case
// The same into `out`, whose memory is reused (for a key made per line).
void login_host_key(std::string_view host, std::string& out);
// Whether a session of ev's service may name the address it was given only
// in a later record than its first: RADIUS (Framed-IP-Address with the
// Interim-Update or Stop), OpenVPN (the pool or Learn line after "Peer
// Connection Initiated"), strongSwan (the virtual IP after IKE_SA
// established). Looked up by that address, such a session keeps its first
// record only if the record is held until the address comes.
bool login_address_comes_later(const LoginEvent& ev);

// Sessions are built as the events stream in: only the open ones and those
// kept are held, so memory follows the sessions that matter, not the log's
// length. With query windows set, a session that ends before every window
// (or begins after) is dropped when it closes.
class LoginStore {
 public:
  // Closed spans [from, to]; a session overlapping none is dropped. Not set:
  // every session is kept (listings without a range).
  void set_windows(std::vector<Span> windows) { windows_ = std::move(windows); }
  // `host` is used for events that name none (wtmp: the source's host);
  // `file_start` is the first time of the event's file (kNoTime: unknown yet).
  void add(const LoginEvent& ev, uint32_t file_id, uint32_t source, std::string_view host,
           Instant file_start = kNoTime);
  // A boot or shutdown of a host none of whose sessions is kept (yet): it
  // may still bound the start of a logout with no login found later.
  void note_down(const LoginEvent& ev, uint32_t file_id, uint32_t source, std::string_view host);
  // Ends the stream: sessions still open are open-ended. `file_start` gives
  // the files' first times for sessions whose login came before their file;
  // `later` the scan's lines read the later way in a DST fold (its files'
  // later_readings), which settle the events' fold readings.
  void build(const std::vector<Instant>& file_start, std::span<const FoldMark> later = {});

  const std::vector<LoginSessionRec>& sessions() const { return sessions_; }
  const StoredLoginEvent& event(uint32_t id) const { return events_[id]; }
  size_t event_count() const { return events_.size(); }
  size_t dropped_sessions() const { return dropped_; }
  // Sessions matching the key (host by short name, case-insensitive; ip by
  // assigned or from address; mac; user case-insensitive).
  std::vector<const LoginSessionRec*> find(const LoginKey& key) const;
  // Failed attempts matching the key.
  std::vector<uint32_t> failures(const LoginKey& key) const;

 private:
  struct Pending {
    LoginSessionRec s;
    std::vector<StoredLoginEvent> events;
    std::string key, host;
  };
  bool event_matches(const StoredLoginEvent& e, const LoginKey& key) const;
  bool wanted(const LoginSessionRec& s) const;
  uint32_t open(StoredLoginEvent&& e, Instant start, std::string key, std::string host);
  void close(uint32_t slot);
  void commit(Pending&& p);
  void settle_folds(std::span<const FoldMark> later);
  void bound_by_downs();
  void keep_down(StoredLoginEvent&& e);  // a boot or shutdown, for bound_by_downs
  struct Down {
    std::string host;  // short, lower case
    Instant time;
    uint32_t event;
    bool shutdown;
  };
  std::vector<Down> downs_;
  std::vector<StoredLoginEvent> events_;
  std::vector<LoginSessionRec> sessions_;
  std::vector<Span> windows_;
  std::vector<Pending> open_;
  std::vector<uint32_t> free_;
  std::vector<Pending> orphans_;  // logouts whose file's first time was unknown
  std::unordered_map<std::string, uint32_t> open_by_key_;
  std::unordered_map<std::string, std::vector<uint32_t>> open_on_host_;
  size_t dropped_ = 0;
};

bool login_session_matches(const LoginSessionRec& s, const LoginKey& key);

struct LoginAnswer {
  MatchKind kind = MatchKind::none;
  std::vector<std::vector<const LoginSessionRec*>> candidates;  // per user; [0] nearest t
  std::string why;
  // Not a gap: what the answer depends on that the logs do not show (a
  // candidate whose end is assumed across a silence in the log, or whose
  // start or end, a DST-ambiguous local time, decides whether it is one).
  std::string caveat;
};

// Candidates are sessions overlapping [t - skew, t + skew]; sessions of the
// same user count once. None and no coverage is a gap.
LoginAnswer match_logins(const std::vector<const LoginSessionRec*>& sessions, Instant t,
                         Micros skew, const Coverage& coverage);

}  // namespace tracekit

// OpenVPN 2.x server logs: who held a VPN pool address, and when.
//
//   2024-12-15 14:11:27 jdoe/198.51.100.23:51234 MULTI: primary virtual IP for
//   jdoe/198.51.100.23:51234: 10.8.0.6
//
// Three prefixes: OpenVPN's own --log file ("2024-12-15 14:11:27 ", 2.5+;
// "Mon Dec 15 14:11:27 2024 " before, both the server's local time, with
// " us=NNNNNN" after them at --verb 4 and up), or syslog with the program
// openvpn / openvpn-* / ovpn-* ("Apr 25 10:57:30 vpn ovpn-server[901]: ...",
// also with no host field, as some relays write it). A syslog message that
// starts with OpenVPN's own timestamp (a --log file forwarded by an agent) has
// it removed; the syslog time is kept.
//
// A server message about one client starts with that client's prefix: "CN/ADDR:PORT "
// once the client authenticated (CN: its certificate's common name or, with
// --username-as-common-name, its user name; it may hold spaces), "ADDR:PORT "
// before. ADDR:PORT is the client's real address (IPv6: "2001:db8::7:51234",
// the port after the last colon). The session key is "CN/ADDR:PORT": OpenVPN's
// own name of the client instance, unique while it lives.
//   CN/A:P MULTI_sva: pool returned IPv4=10.8.0.6, IPv6=2001:db8::1000 -> login (assigned)
//   CN/A:P MULTI: Learn: 10.8.0.6 -> CN/A:P                            -> login (assigned)
//   CN/A:P MULTI: primary virtual IP for CN/A:P: 10.8.0.6              -> login (assigned)
//   CN/A:P MULTI: primary virtual IPv6 for CN/A:P: 2001:db8::1000      -> login (assigned)
//   A:P [CN] Peer Connection Initiated with [AF_INET]A:P               -> login (no address)
//   CN/A:P SIGTERM[soft,remote-exit] received, client-instance exiting -> logout
//   CN/A:P SIGUSR1[soft,ping-restart] received, client-instance restarting -> logout
//   CN/A:P Connection reset, restarting [0]                               -> logout
//   CN/A:P Inactivity timeout (--ping-restart), restarting                -> logout
// Each address of a session is returned once (the pool line, the Learn line and
// the primary-virtual-IP line name the same one); a "Learn" of a route
// (iroute, "10.9.0.0/24") or of a MAC (tap mode) is no assignment. "[UNDEF]
// Peer Connection Initiated" is a peer not yet authenticated (skipped). The
// first end line of a session is its logout; the next ones ("Connection
// reset" is followed by "SIGUSR1 ... client-instance restarting") are skipped,
// as are the ends of connections that never authenticated (no CN).
//
// Failures (action failed, where the line names a user or the client's address):
// "TLS Auth Error: ...", "VERIFY ERROR: depth=N, error=..." (at depth 0 the
// certificate's CN is the user), "AUTH_FAILED" ("SENT CONTROL [CN]: 'AUTH_FAILED'"),
// "Incorrect password supplied for LDAP DN "DN"" (user: the DN) and "LDAP user
// "u" was not found" of openvpn-auth-ldap. Failures naming neither are skipped.
//
// The server's own end and start ("SIGTERM[hard,] received, process exiting",
// "SIGUSR1[hard,] ... process restarting", "Initialization Sequence Completed")
// end every session of the host (shutdown / boot): the clients must connect
// again. Caution: two OpenVPN instances logging to one syslog host are one host
// here. Every other OpenVPN line is skipped; only an OpenVPN line whose prefix
// or event cannot be read is malformed.
#include <algorithm>
#include <array>
#include <vector>

#include "format_list.h"
#include "tracekit/slot_table.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_weekday(std::string_view s) {
  static constexpr std::string_view kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (auto d : kDays)
    if (s == d) return true;
  return false;
}

bool read_padded(std::string_view s, int& v) {
  s = trim(s);
  return !s.empty() && parse_number(s, v);
}

// "2024-12-15 14:11:27 " (OpenVPN 2.5+): no zone, no fraction, a space at 19.
bool looks_iso(std::string_view s) {
  return s.size() >= 20 && digit(s[0]) && s[4] == '-' && s[7] == '-' && s[10] == ' ' &&
         s[13] == ':' && s[19] == ' ';
}

// "Mon Dec 15 14:11:27 2024 " (ctime, day padded with a space).
bool looks_ctime(std::string_view s) {
  return s.size() >= 25 && s[3] == ' ' && s[7] == ' ' && s[10] == ' ' && s[13] == ':' &&
         s[16] == ':' && s[19] == ' ' && s[24] == ' ' && is_weekday(s.substr(0, 3));
}

// "ADDR:PORT" (IPv4, or IPv6 with the port after its last colon, or "[ADDR]:PORT").
bool parse_addr_port(std::string_view s, IpAddr& ip) {
  size_t c = s.rfind(':');
  if (c == std::string_view::npos || c == 0 || c + 1 >= s.size() || s.size() - c - 1 > 5)
    return false;
  uint32_t port = 0;
  if (!parse_number(s.substr(c + 1), port) || port > 65535) return false;
  std::string_view a = s.substr(0, c);
  if (a.size() > 2 && a.front() == '[' && a.back() == ']') a = a.substr(1, a.size() - 2);
  return parse_ip(a, ip);
}

// "[AF_INET]ADDR:PORT" / "[AF_INET6]ADDR:PORT" / "ADDR:PORT" at the start of s.
bool parse_link_addr(std::string_view s, IpAddr& ip) {
  if (s.starts_with("[AF_INET]"))
    s.remove_prefix(9);
  else if (s.starts_with("[AF_INET6]"))
    s.remove_prefix(10);
  return parse_addr_port(s.substr(0, s.find(' ')), ip);
}

// What the message's client prefix says.
struct Client {
  bool present = false;
  std::string_view cn;    // empty: not authenticated yet
  std::string_view addr;  // "ADDR:PORT"
  std::string_view key;   // "CN/ADDR:PORT" as written (empty when the parser must compose it)
  IpAddr ip;
};

// "CN/ADDR:PORT" (the CN may hold '/' and spaces: the last '/' before a valid
// address is the one).
bool split_cn_addr(std::string_view s, Client& c) {
  size_t slash = s.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  if (!parse_addr_port(s.substr(slash + 1), c.ip)) return false;
  c.present = true;
  c.cn = s.substr(0, slash);
  c.addr = s.substr(slash + 1);
  c.key = s;
  return true;
}

// Splits the client prefix off msg; msg keeps the rest.
void split_client(std::string_view& msg, Client& c) {
  size_t sp = msg.find(' ');
  std::string_view tok = msg.substr(0, sp);
  std::string_view rest = sp == std::string_view::npos ? std::string_view() : msg.substr(sp + 1);
  if (parse_addr_port(tok, c.ip)) {
    c.present = true;
    c.addr = tok;
    msg = rest;
    return;
  }
  if (tok.find('/') != std::string_view::npos) {
    if (split_cn_addr(tok, c)) {
      msg = rest;
      return;
    }
    // "ADDR:PORT/CN" (seen in a hand-made sample of the public corpus).
    size_t slash = tok.find('/');
    if (slash + 1 < tok.size() && parse_addr_port(tok.substr(0, slash), c.ip)) {
      c.present = true;
      c.addr = tok.substr(0, slash);
      c.cn = tok.substr(slash + 1);
      msg = rest;
      return;
    }
  }
  // A CN with spaces: "DOE John/192.0.2.11:54254 ...". The prefix ends
  // before the message's first ": ".
  size_t limit = msg.find(": ");
  if (limit == std::string_view::npos) limit = msg.size();
  size_t slash = msg.find('/');
  while (slash != std::string_view::npos && slash < limit && slash > 0) {
    size_t end = msg.find(' ', slash);
    if (end == std::string_view::npos) end = msg.size();
    if (end > limit + 1) break;
    Client t;
    if (split_cn_addr(msg.substr(0, end), t)) {
      c = t;
      msg = end < msg.size() ? msg.substr(end + 1) : std::string_view();
      return;
    }
    slash = msg.find('/', slash + 1);
  }
}

bool program_is_openvpn(std::string_view p) {
  return p == "openvpn" || p.starts_with("openvpn-") || p.starts_with("openvpn@") ||
         p.starts_with("ovpn-") || p.starts_with("ovpn_");
}

class OpenvpnParser final : public LoginParser {
 public:
  explicit OpenvpnParser(const ParseContext& ctx) : ctx_(ctx) { key_.reserve(kKeyCap); }

  LineResult parse(const Line& line, LoginEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    out.clear();
    if (trim(text).empty()) return LineResult::skip("empty line");
    std::string_view msg;
    const char* why = nullptr;
    if (looks_iso(text) || looks_ctime(text)) {
      if (!own_time(text, msg, out, why)) return LineResult::malformed(why);
    } else {
      SyslogHeader h;
      why = "";
      if (!parse_syslog_header(text, ctx_, h, &why)) {
        return LineResult::malformed(
            "no timestamp (expected 'YYYY-MM-DD HH:MM:SS', a ctime date or a syslog header)");
      }
      out.time = h.time;
      out.time_flags = h.time_flags;
      std::string_view program = h.program;
      std::string_view host = h.host;
      if (program.empty() && host.ends_with(':')) {
        // "Apr 25 11:19:00 ovpn-server[13818]: ..." (no host field).
        program = host.substr(0, host.size() - 1);
        if (program.ends_with(']')) program = program.substr(0, program.find('['));
        host = {};
      }
      if (!program_is_openvpn(program)) return LineResult::foreign("not an OpenVPN line");
      out.host = host;
      msg = h.message;
      // A forwarded --log file: OpenVPN's own time after the syslog header.
      if (looks_iso(msg))
        msg.remove_prefix(20);
      else if (looks_ctime(msg))
        msg.remove_prefix(25);
      skip_usec(msg, nullptr);
    }
    msg = trim(msg);
    out.service = "openvpn";
    out.place = LoginPlace::remote;
    return parse_message(msg, out);
  }

 private:
  static constexpr size_t kKeyCap = 256;

  // What is known of one client instance (by the hash of its key).
  struct Slot {
    Instant since = kNoTime;
    bool open = false;
    uint8_t n_addrs = 0;
    std::array<IpAddr, 2> addrs;  // the addresses already returned for it
  };

  // "us=NNNNNN " after OpenVPN's own time (--verb 4+).
  static void skip_usec(std::string_view& msg, LoginEvent* out) {
    if (!msg.starts_with("us=")) return;
    size_t i = 3;
    while (i < msg.size() && digit(msg[i])) ++i;
    if (i == 3 || i > 9 || (i < msg.size() && msg[i] != ' ')) return;
    if (out) {
      int64_t us = 0;
      parse_number(msg.substr(3, i - 3), us);
      out->time += Micros(us);
      out->time_flags |= kHasFraction;
    }
    msg.remove_prefix(std::min(i + 1, msg.size()));
  }

  bool own_time(std::string_view text, std::string_view& msg, LoginEvent& out, const char*& why) {
    int y = 0, mo = 0, d = 0, hh = 0, mi = 0, ss = 0;
    size_t used = 0;
    if (text[4] == '-') {
      if (!parse_number(text.substr(0, 4), y) || !parse_number(text.substr(5, 2), mo) ||
          !parse_number(text.substr(8, 2), d) || !parse_number(text.substr(11, 2), hh) ||
          text[16] != ':' || !parse_number(text.substr(14, 2), mi) ||
          !parse_number(text.substr(17, 2), ss)) {
        why = "bad timestamp (expected 'YYYY-MM-DD HH:MM:SS')";
        return false;
      }
      used = 20;
    } else {
      mo = int(parse_month_abbrev(text.substr(4, 3)));
      if (mo == 0 || !read_padded(text.substr(8, 2), d) || !read_padded(text.substr(11, 2), hh) ||
          !parse_number(text.substr(14, 2), mi) || !parse_number(text.substr(17, 2), ss) ||
          !parse_number(text.substr(20, 4), y)) {
        why = "bad ctime timestamp (expected 'Mon Dec 15 14:10:00 2024')";
        return false;
      }
      used = 25;
    }
    if (!valid_date(y, unsigned(mo), unsigned(d)) || hh > 23 || mi > 59 || ss > 60) {
      why = "timestamp out of range";
      return false;
    }
    int64_t day = days_from_civil(y, unsigned(mo), unsigned(d));
    int64_t us = (int64_t(hh) * 3600 + mi * 60 + std::min(ss, 59)) * 1000000;
    if (!ctx_.local) {
      out.time = from_epoch_seconds(day * 86400) + Micros(us);
      out.time_flags = kZoneAssumed;
    } else {
      uint8_t flags = 0;
      out.time = ctx_.local->to_utc(day, us, flags);
      out.time_flags = flags | ctx_.zone_flags;
    }
    msg = text.substr(used);
    skip_usec(msg, &out);
    return true;
  }

  // The session key of a client with a CN: as written, or "CN/ADDR:PORT"
  // composed in key_ (valid until the next line).
  std::string_view session_key(const Client& c) {
    if (!c.key.empty()) return c.key;
    if (c.cn.size() + c.addr.size() + 1 > kKeyCap) return c.addr;
    key_.assign(c.cn);
    key_.push_back('/');
    key_.append(c.addr);
    return key_;
  }

  void set_client(const Client& c, LoginEvent& out) {
    out.user = c.cn;
    out.from = c.addr.substr(0, c.addr.rfind(':'));
    out.from_ip = c.ip;
    out.has_from_ip = true;
    out.session_key = session_key(c);
  }

  // A session's address (and a second one the same line gives: the pool's
  // IPv6 address): a login the first time one is named.
  LineResult assigned(const Client& c, const IpAddr& addr, LoginEvent& out,
                      const IpAddr* addr2 = nullptr) {
    set_client(c, out);
    Slot& s = slots_.take(hash_text(out.session_key));
    if (!s.open) {
      s = Slot{};
      s.open = true;
    }
    s.since = out.time;
    // (Each address once: the Learn and primary-virtual-IP lines repeat the
    // pool's.)
    const IpAddr* fresh[2] = {};
    size_t n = 0;
    for (const IpAddr* a : {&addr, addr2}) {
      if (!a || std::find(s.addrs.begin(), s.addrs.begin() + s.n_addrs, *a) !=
                    s.addrs.begin() + s.n_addrs)
        continue;
      if (s.n_addrs < s.addrs.size()) s.addrs[s.n_addrs++] = *a;
      fresh[n++] = a;
    }
    if (n == 0) return LineResult::skip("address already recorded for this session");
    out.action = LoginAction::login;
    out.assigned_ip = *fresh[0];
    out.has_assigned_ip = true;
    if (n == 2) {
      out.assigned_ip2 = *fresh[1];
      out.has_assigned_ip2 = true;
    }
    return LineResult::record();
  }

  LineResult authenticated(const Client& c, LoginEvent& out) {
    set_client(c, out);
    uint64_t k = hash_text(out.session_key);
    Slot& s = slots_.take(k);
    if (s.open) return LineResult::skip("session already recorded");
    s = Slot{};
    s.open = true;
    s.since = out.time;
    out.action = LoginAction::login;
    return LineResult::record();
  }

  LineResult ended(const Client& c, LoginEvent& out) {
    if (c.cn.empty() || c.cn == "UNDEF")
      return LineResult::skip("end of a connection that never authenticated");
    set_client(c, out);
    uint64_t k = hash_text(out.session_key);
    Slot* s = slots_.find(k);
    if (s && !s->open && out.time - s->since < std::chrono::seconds(60))
      return LineResult::skip("end of a session already ended");
    Slot& t = s ? *s : slots_.take(k);
    t = Slot{};
    t.since = out.time;
    out.action = LoginAction::logout;
    return LineResult::record();
  }

  LineResult failed(const Client& c, std::string_view user, LoginEvent& out) {
    if (c.present) {
      out.from = c.addr.substr(0, c.addr.rfind(':'));
      out.from_ip = c.ip;
      out.has_from_ip = true;
    }
    out.user = !user.empty() ? user : c.cn;
    if (out.user == "UNDEF") out.user = {};
    if (out.user.empty() && !out.has_from_ip)
      return LineResult::skip("authentication failure naming no user or client");
    out.action = LoginAction::failed;
    return LineResult::record();
  }

  LineResult parse_message(std::string_view msg, LoginEvent& out) {
    Client c;
    split_client(msg, c);

    if (msg.starts_with("MULTI: primary virtual IP")) {
      // "MULTI: primary virtual IP for CN/A:P: 10.8.0.6" (also "IPv6 for").
      std::string_view rest = msg.substr(25);
      if (rest.starts_with("v6")) rest.remove_prefix(2);
      if (!rest.starts_with(" for ")) return LineResult::skip("OpenVPN MULTI message");
      rest.remove_prefix(5);
      size_t colon = rest.rfind(": ");
      if (colon == std::string_view::npos)
        return LineResult::malformed("primary virtual IP: no address");
      Client named;
      if (!split_cn_addr(rest.substr(0, colon), named))
        return LineResult::malformed("primary virtual IP: bad client (expected CN/ADDR:PORT)");
      IpAddr addr;
      if (!parse_ip(trim(rest.substr(colon + 2)), addr))
        return LineResult::malformed("primary virtual IP: bad address");
      return assigned(named, addr, out);
    }
    if (msg.starts_with("MULTI_sva: pool returned ")) {
      // "MULTI_sva: pool returned IPv4=10.8.0.6, IPv6=(Not enabled)"
      if (c.cn.empty())
        return LineResult::malformed("pool address: no client (expected CN/ADDR:PORT first)");
      std::string_view rest = msg.substr(25);
      std::string_view v4, v6;
      while (!rest.empty()) {
        std::string_view item = trim(next_token(rest, ','));
        if (item.starts_with("IPv4=")) v4 = item.substr(5);
        if (item.starts_with("IPv6=")) v6 = item.substr(5);
      }
      IpAddr addr, addr6;
      bool have4 = parse_ip(v4, addr), have6 = parse_ip(v6, addr6);
      if (have4 && have6) return assigned(c, addr, out, &addr6);
      if (have4 || have6) return assigned(c, have4 ? addr : addr6, out);
      if ((v4.empty() || v4.starts_with("(")) && (v6.empty() || v6.starts_with("(")))
        return LineResult::skip("pool returned no address");
      return LineResult::malformed("pool address: bad address");
    }
    if (msg.starts_with("MULTI: Learn: ")) {
      // "MULTI: Learn: 10.8.0.6 -> CN/A:P"; routes and MACs are learned too.
      std::string_view rest = msg.substr(14);
      size_t arrow = rest.find(" -> ");
      if (arrow == std::string_view::npos) return LineResult::skip("OpenVPN MULTI message");
      std::string_view what = rest.substr(0, arrow);
      Client named;
      IpAddr addr;
      if (what.find('/') != std::string_view::npos || !parse_ip(what, addr))
        return LineResult::skip("learned route or MAC address (no assignment)");
      if (!split_cn_addr(trim(rest.substr(arrow + 4)), named))
        return LineResult::malformed("Learn: bad client (expected CN/ADDR:PORT)");
      return assigned(named, addr, out);
    }
    size_t pci = msg.find("Peer Connection Initiated with ");
    if (pci != std::string_view::npos) {
      std::string_view cn = c.cn;
      if (msg.starts_with('[')) {
        size_t close = msg.find("] ");
        if (close != std::string_view::npos && close < pci) cn = msg.substr(1, close - 1);
      }
      if (!c.present) {
        if (!parse_link_addr(msg.substr(pci + 31), c.ip))
          return LineResult::malformed("Peer Connection Initiated: bad client address");
        c.present = true;
        c.addr = msg.substr(pci + 31);
        c.addr = c.addr.substr(0, c.addr.find(' '));
        if (c.addr.starts_with("[AF_INET6]")) c.addr.remove_prefix(10);
        if (c.addr.starts_with("[AF_INET]")) c.addr.remove_prefix(9);
      }
      if (cn.empty() || cn == "UNDEF")
        return LineResult::skip("peer connected, not yet authenticated");
      if (cn != c.cn) {
        c.cn = cn;
        c.key = {};
      }
      return authenticated(c, out);
    }
    if (c.present && (msg.find("client-instance exiting") != std::string_view::npos ||
                      msg.find("client-instance restarting") != std::string_view::npos ||
                      msg.starts_with("Connection reset, restarting") ||
                      msg.starts_with("Inactivity timeout (")))
      return ended(c, out);

    if (msg.starts_with("TLS Auth Error:")) return failed(c, {}, out);
    if (msg.starts_with("VERIFY ERROR:")) {
      std::string_view user;
      if (msg.starts_with("VERIFY ERROR: depth=0,")) {
        size_t cn = msg.rfind("CN=");
        if (cn != std::string_view::npos) {
          user = msg.substr(cn + 3);
          user = user.substr(0, std::min(user.find(','), user.find('/')));
        }
      }
      return failed(c, user, out);
    }
    if (msg.find("AUTH_FAILED") != std::string_view::npos) {
      std::string_view user;
      if (msg.starts_with("SENT CONTROL [")) {
        size_t close = msg.find("]:");
        if (close != std::string_view::npos) user = msg.substr(14, close - 14);
      }
      return failed(c, user, out);
    }
    if (msg.starts_with("Incorrect password supplied for LDAP DN \"")) {
      std::string_view dn = msg.substr(41);
      size_t q = dn.find('"');
      if (q == std::string_view::npos)
        return LineResult::malformed("LDAP failure: unterminated DN");
      return failed(c, dn.substr(0, q), out);
    }
    if (msg.starts_with("LDAP user \"")) {
      std::string_view u = msg.substr(11);
      size_t q = u.find('"');
      if (q != std::string_view::npos && u.substr(q).starts_with("\" was not found"))
        return failed(c, u.substr(0, q), out);
    }

    if (!c.present) {
      bool exiting = msg.find("received, process exiting") != std::string_view::npos;
      bool restarting = msg.find("received, process restarting") != std::string_view::npos;
      if (exiting || restarting || msg.starts_with("Initialization Sequence Completed")) {
        // The server went down or came up: every client must connect again.
        slots_.clear();
        out.action = (exiting || restarting) ? LoginAction::shutdown : LoginAction::boot;
        return LineResult::record();
      }
    }
    return LineResult::skip("OpenVPN message without a login");
  }

  const ParseContext& ctx_;
  SlotTable<Slot> slots_;  // by hash_text(session key)
  std::string key_;
};

int sniff(std::string_view head, const char** why) {
  size_t strong = 0, tagged = 0, own = 0;
  for_each_head_line(head, 400, [&](std::string_view line) {
    // Log lines start with a time (or a syslog priority): prose about
    // OpenVPN (a README) is not its log.
    if (line.size() < 16 ||
        !(digit(line[0]) || line[0] == '<' || parse_month_abbrev(line.substr(0, 3)) != 0 ||
          is_weekday(line.substr(0, 3))))
      return;
    if (line.find("Peer Connection Initiated with ") != std::string_view::npos ||
        line.find(" MULTI: ") != std::string_view::npos ||
        line.find(" MULTI_sva: ") != std::string_view::npos ||
        line.find("client-instance ") != std::string_view::npos ||
        line.find("TLS Auth Error: ") != std::string_view::npos ||
        line.find("Initialization Sequence Completed") != std::string_view::npos ||
        line.find(" VERIFY OK: depth=") != std::string_view::npos ||
        line.find(" VERIFY ERROR: depth=") != std::string_view::npos ||
        line.find("TCP connection established with [AF_INET") != std::string_view::npos ||
        line.find("Incorrect password supplied for LDAP DN") != std::string_view::npos)
      ++strong;
    if (line.find(" ovpn-") != std::string_view::npos ||
        line.find(" openvpn[") != std::string_view::npos ||
        line.find(" openvpn: ") != std::string_view::npos)
      ++tagged;
    if ((looks_iso(line) || looks_ctime(line)) &&
        (line.find("[AF_INET") != std::string_view::npos ||
         line.find(" OpenVPN 2.") != std::string_view::npos))
      ++own;
  });
  if (strong > 0 && (tagged > 0 || own > 0)) {
    *why = "OpenVPN server lines (client instances, MULTI, TLS)";
    return 85;
  }
  if (strong > 0) {
    *why = "OpenVPN server messages";
    return 70;
  }
  if (tagged > 0 || own > 0) {
    *why = "OpenVPN lines, no client event in the first lines";
    return 50;
  }
  *why = "no OpenVPN lines in the first lines";
  return 0;
}

std::unique_ptr<LoginParser> make(const ParseContext& ctx) {
  return std::make_unique<OpenvpnParser>(ctx);
}

}  // namespace

const FormatInfo& openvpn_format() {
  static const FormatInfo info{
      .name = "openvpn",
      .family = Family::login,
      .summary = "OpenVPN 2.x server log (--log file or syslog): VPN pool addresses and sessions",
      .sniff = sniff,
      .make_login = make};
  return info;
}

}  // namespace tracekit::formats

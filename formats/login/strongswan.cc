// strongSwan charon (IKEv1/IKEv2) logs: who held a virtual IP of the pool.
//
//   Apr 23 16:19:02 vpn charon[2211]: 11[IKE] <rw-eap|7> assigning virtual IP 10.10.1.64 to
//   peer 'jdoe'
//
// Syslog (BSD, RFC 5424 as rsyslog forwards it, ISO) with the program charon,
// charon-systemd or ipsec (pfSense, journald); also charon's own file log
// ("Apr 23 16:19:02 11[IKE] ...", no host). Each message starts with the
// thread and the log group ("11[IKE]", "12[IKE1]" with a level) and, with
// ike_name, the IKE_SA it concerns: "<CONN|N>" ("<N>" before a connection is
// chosen). N is the IKE_SA's unique id while charon runs; it is the session
// key (the connection name is not known on the first lines of an SA).
//   <c|N> IKE_SA c[N] established between LOCAL[id]...REMOTE[id]  -> login (from: REMOTE)
//   <c|N> assigning virtual IP 10.10.1.64 to peer 'USER'          -> login (assigned)
//   <c|N> deleting IKE_SA c[N] between LOCAL[id]...REMOTE[id]     -> logout
//   <c|N> IKE_SA deleted / received DELETE for IKE_SA c[N]         -> logout (once established)
//   <c|N> EAP-MS-CHAPv2 verification failed, retry (1)             -> failed
//   <c|N> XAuth authentication of 'USER' failed                   -> failed
//   <c|N> RADIUS authentication of 'USER' failed, ...             -> failed
//   <N> EAP method EAP_MSCHAPV2 failed for peer ADDR               -> failed
// What the other lines of an SA say is kept for its later records (up to 4096
// SAs at once): the peer's address ("ADDR is initiating an IKE_SA", "... is
// initiating a Main Mode IKE_SA"), the user ("EAP-MS-CHAPv2 username: 'u'",
// "received EAP identity 'u'", "authentication of 'u' with EAP successful",
// "XAuth authentication of 'u' successful"). The user of an established SA
// is its EAP / XAuth identity when there was one, else the peer's IKE identity.
// A deletion of an SA never established (a failed authentication, a half-open
// SA) ends nothing and is skipped; the first end of an SA is its logout. Every
// other charon line is skipped.
#include <array>
#include <cstring>
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

bool upper_or_digit(char c) {
  return (c >= 'A' && c <= 'Z') || digit(c);
}

// "11[IKE]" / "12[IKE1]": a worker thread and log group.
bool is_thread_tag(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && digit(s[i])) ++i;
  if (i == 0 || i + 2 >= s.size() || s[i] != '[' || s.back() != ']') return false;
  for (size_t j = i + 1; j + 1 < s.size(); ++j)
    if (!upper_or_digit(s[j])) return false;
  return true;
}

bool program_is_charon(std::string_view p) {
  return p == "charon" || p == "charon-systemd" || p == "charon-cmd" || p == "ipsec" ||
         p == "strongswan";
}

// "'text'" at the start of s: the text (empty when not quoted).
std::string_view quoted(std::string_view s) {
  if (s.empty() || s[0] != '\'') return {};
  size_t q = s.find('\'', 1);
  return q == std::string_view::npos ? std::string_view() : s.substr(1, q - 1);
}

// "ADDR[id]" -> ADDR and id.
bool split_endpoint(std::string_view s, IpAddr& ip, std::string_view& id) {
  size_t open = s.find('[');
  if (open == std::string_view::npos || s.back() != ']') return false;
  id = s.substr(open + 1, s.size() - open - 2);
  return parse_ip(s.substr(0, open), ip);
}

class StrongswanParser final : public LoginParser {
 public:
  explicit StrongswanParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, LoginEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    out.clear();
    if (trim(text).empty()) return LineResult::skip("empty line");
    SyslogHeader h;
    const char* why = "";
    if (!parse_syslog_header(text, ctx_, h, &why)) return LineResult::malformed(why);
    out.time = h.time;
    out.time_flags = h.time_flags;
    std::string_view msg = h.message;
    if (is_thread_tag(h.host)) {
      // charon's file log: "Apr 23 16:19:02 11[IKE] <c|7> ...", no host.
      size_t after = size_t(h.host.data() - text.data()) + h.host.size();
      msg = after < text.size() ? text.substr(after + 1) : std::string_view();
    } else {
      if (!program_is_charon(h.program)) return LineResult::foreign("not a charon line");
      out.host = h.host;
      std::string_view tag = next_token(msg);
      if (!is_thread_tag(tag)) return LineResult::skip("charon message without a thread tag");
    }
    msg = trim(msg);
    out.service = "strongswan";
    out.place = LoginPlace::remote;
    return parse_message(msg, out);
  }

 private:
  static constexpr size_t kUserCap = 96;

  struct Slot {
    Instant since = kNoTime;
    bool established = false, ended = false, has_ip = false;
    IpAddr ip;
    uint8_t user_len = 0, key_len = 0, from_len = 0;
    char user[kUserCap];
    char key[12];
    char from[46];  // the peer's address as written (INET6_ADDRSTRLEN)
    std::string_view user_view() const { return {user, user_len}; }
    std::string_view key_view() const { return {key, key_len}; }
    std::string_view from_view() const { return {from, from_len}; }
  };

  Slot* find(uint32_t id) { return slots_.find(id); }

  // The SA's slot; a new one when none (or when `fresh`: an SA begins again).
  Slot& take(uint32_t id, std::string_view id_text, Instant t) {
    Slot* s = find(id);
    if (!s) {
      s = &slots_.take(id);
      s->key_len = uint8_t(std::min(id_text.size(), sizeof s->key));
      std::memcpy(s->key, id_text.data(), s->key_len);
    }
    s->since = t;
    return *s;
  }

  static void set_user(Slot& s, std::string_view u) {
    if (u.empty() || u.size() > kUserCap) return;
    s.user_len = uint8_t(u.size());
    std::memcpy(s.user, u.data(), u.size());
  }

  static void set_peer(Slot& s, const IpAddr& ip, std::string_view text) {
    s.has_ip = true;
    s.ip = ip;
    s.from_len = 0;
    if (text.size() > sizeof s.from) return;
    s.from_len = uint8_t(text.size());
    std::memcpy(s.from, text.data(), text.size());
  }

  static void fill(const Slot& s, LoginEvent& out) {
    out.session_key = s.key_view();
    if (out.user.empty()) out.user = s.user_view();
    if (out.from.empty()) out.from = s.from_view();
    if (!out.has_from_ip && s.has_ip) {
      out.has_from_ip = true;
      out.from_ip = s.ip;
    }
  }

  // "IKE_SA c[N] established between L[id]...R[id]" (also "deleting IKE_SA
  // c[N] between ..."): the remote end. False when the text is not that.
  static bool read_between(std::string_view rest, IpAddr& ip, std::string_view& addr,
                           std::string_view& id) {
    size_t dots = rest.find("...");
    if (dots == std::string_view::npos) return false;
    std::string_view remote = trim(rest.substr(dots + 3));
    remote = remote.substr(0, remote.find(' '));
    addr = remote.substr(0, remote.find('['));
    return split_endpoint(remote, ip, id);
  }

  // "c[N]" at the start of s: N.
  static bool read_sa_name(std::string_view s, std::string_view& n) {
    size_t open = s.find('[');
    size_t close = s.find(']');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open + 2)
      return false;
    n = s.substr(open + 1, close - open - 1);
    for (char c : n)
      if (!digit(c)) return false;
    return true;
  }

  LineResult end_sa(std::string_view n, bool certain, LoginEvent& out) {
    uint32_t id = 0;
    if (!parse_number(n, id)) return LineResult::malformed("IKE_SA end: bad unique id");
    Slot* s = find(id);
    if (s && s->ended) return LineResult::skip("end of an IKE_SA already ended");
    if (s && !s->established) {
      s->ended = true;
      return LineResult::skip("end of an IKE_SA never established");
    }
    if (!s && !certain) return LineResult::skip("end of an IKE_SA not seen established");
    Slot& t = take(id, n, out.time);
    t.ended = true;
    fill(t, out);
    out.action = LoginAction::logout;
    return LineResult::record();
  }

  LineResult failure(Slot* s, std::string_view user, LoginEvent& out) {
    out.user = user;
    if (s) fill(*s, out);
    if (out.user.empty() && !out.has_from_ip)
      return LineResult::skip("authentication failure naming no user or peer");
    out.action = LoginAction::failed;
    return LineResult::record();
  }

  LineResult parse_message(std::string_view msg, LoginEvent& out) {
    // "<conn|N>" / "<N>": the IKE_SA.
    std::string_view n;
    if (msg.starts_with('<')) {
      size_t close = msg.find('>');
      if (close == std::string_view::npos)
        return LineResult::malformed("unterminated IKE_SA name (expected <CONN|N>)");
      std::string_view sa = msg.substr(1, close - 1);
      size_t bar = sa.rfind('|');
      n = bar == std::string_view::npos ? sa : sa.substr(bar + 1);
      uint32_t id = 0;
      if (!parse_number(n, id)) return LineResult::malformed("bad IKE_SA unique id in <CONN|N>");
      msg = trim(msg.substr(close + 1));
    }
    uint32_t id = 0;
    bool has_id = !n.empty() && parse_number(n, id);

    if (msg.starts_with("IKE_SA ")) {
      std::string_view rest = msg.substr(7);
      size_t est = rest.find(" established between ");
      if (est != std::string_view::npos) {
        std::string_view name = rest.substr(0, est);
        std::string_view sa_n;
        if (!read_sa_name(name, sa_n) && !has_id)
          return LineResult::malformed("IKE_SA established: no unique id");
        if (!has_id) {
          n = sa_n;
          has_id = parse_number(n, id);
        }
        IpAddr ip;
        std::string_view addr, peer_id;
        if (!read_between(rest.substr(est + 21), ip, addr, peer_id))
          return LineResult::malformed(
              "IKE_SA established: bad endpoints (expected A[id]...B[id])");
        Slot& s = take(id, n, out.time);
        bool again = s.established && !s.ended;
        s.established = true;
        s.ended = false;
        set_peer(s, ip, addr);
        if (s.user_len == 0) set_user(s, peer_id);
        out.from = addr;
        fill(s, out);
        out.action = LoginAction::login;
        if (again) return LineResult::skip("IKE_SA already established");
        return LineResult::record();
      }
      if (rest == "deleted" || rest.starts_with("deleted")) {
        if (!has_id) return LineResult::skip("IKE_SA deleted, no IKE_SA named");
        return end_sa(n, false, out);
      }
      return LineResult::skip("IKE_SA message");
    }
    if (msg.starts_with("deleting IKE_SA ")) {
      std::string_view rest = msg.substr(16);
      std::string_view sa_n;
      if (rest.find(" between ") == std::string_view::npos || !read_sa_name(rest, sa_n))
        return LineResult::skip("deleting an IKE_SA not established");
      IpAddr ip;
      std::string_view addr, peer_id;
      if (read_between(rest, ip, addr, peer_id)) {
        out.from = addr;
        out.from_ip = ip;
        out.has_from_ip = true;
      }
      return end_sa(has_id ? n : sa_n, true, out);
    }
    if (msg.starts_with("received DELETE for IKE_SA ")) {
      std::string_view sa_n;
      if (!read_sa_name(msg.substr(27), sa_n)) return LineResult::skip("DELETE for an IKE_SA");
      return end_sa(has_id ? n : sa_n, false, out);
    }
    if (msg.starts_with("assigning virtual IP ")) {
      // "assigning virtual IP 10.10.1.64 to peer 'jdoe'"
      std::string_view rest = msg.substr(21);
      std::string_view addr_text = next_token(rest);
      IpAddr addr;
      if (!parse_ip(addr_text, addr)) return LineResult::malformed("virtual IP: bad address");
      if (!rest.starts_with("to peer ")) return LineResult::malformed("virtual IP: no peer");
      std::string_view user = quoted(rest.substr(8));
      if (!has_id) return LineResult::malformed("virtual IP: no IKE_SA (expected <CONN|N>)");
      Slot& s = take(id, n, out.time);
      set_user(s, user);
      out.user = user;
      fill(s, out);
      out.assigned_ip = addr;
      out.has_assigned_ip = true;
      out.action = LoginAction::login;
      return LineResult::record();
    }

    // What an SA's later records need.
    size_t init = msg.find(" is initiating a");
    if (init != std::string_view::npos && has_id) {
      IpAddr ip;
      if (parse_ip(msg.substr(0, init), ip))
        set_peer(take(id, n, out.time), ip, msg.substr(0, init));
      return LineResult::skip("peer initiating an IKE_SA");
    }
    std::string_view user;
    if (msg.starts_with("EAP-MS-CHAPv2 username: "))
      user = quoted(msg.substr(24));
    else if (msg.starts_with("received EAP identity "))
      user = quoted(msg.substr(22));
    if (!user.empty()) {
      if (has_id) set_user(take(id, n, out.time), user);
      return LineResult::skip("EAP identity (kept for the IKE_SA)");
    }

    Slot* s = has_id ? find(id) : nullptr;
    size_t auth = msg.find("authentication of '");
    if (auth != std::string_view::npos) {
      std::string_view who = quoted(msg.substr(auth + 18));
      size_t past = auth + 18 + who.size() + 2;
      if (who.empty() || past > msg.size()) return LineResult::skip("authentication message");
      std::string_view after = msg.substr(past);
      if (after.starts_with(" (myself)")) return LineResult::skip("own authentication");
      bool ok = after.ends_with(" successful") || after == " successful";
      if (ok) {
        if (has_id && (after.starts_with(" with EAP") || msg.starts_with("XAuth ")))
          set_user(take(id, n, out.time), who);
        return LineResult::skip("authentication succeeded (kept for the IKE_SA)");
      }
      if (after.find(" failed") != std::string_view::npos) return failure(s, who, out);
      return LineResult::skip("authentication message");
    }
    if (msg.starts_with("EAP-MS-CHAPv2 verification failed")) return failure(s, {}, out);
    if (msg.starts_with("EAP method ")) {
      size_t f = msg.find(" failed for peer ");
      if (f != std::string_view::npos) {
        IpAddr ip;
        if (parse_ip(trim(msg.substr(f + 17)), ip)) {
          out.from_ip = ip;
          out.has_from_ip = true;
          out.from = trim(msg.substr(f + 17));
        }
        return failure(s, {}, out);
      }
    }
    return LineResult::skip("charon message without a login");
  }

  const ParseContext& ctx_;
  SlotTable<Slot> slots_;  // by IKE_SA unique id
};

int sniff(std::string_view head, const char** why) {
  size_t charon = 0, events = 0;
  for_each_head_line(head, 400, [&](std::string_view line) {
    if (line.empty()) return;
    bool tagged = line.find(" charon[") != std::string_view::npos ||
                  line.find(" charon: ") != std::string_view::npos ||
                  line.find(" charon ") != std::string_view::npos ||
                  line.find(" charon-systemd[") != std::string_view::npos;
    bool thread = line.find("[IKE") != std::string_view::npos ||
                  line.find("[NET] ") != std::string_view::npos ||
                  line.find("[CFG] ") != std::string_view::npos ||
                  line.find("[ENC] ") != std::string_view::npos;
    if (tagged && thread) ++charon;
    if (thread && (line.find(" IKE_SA ") != std::string_view::npos ||
                   line.find("assigning virtual IP ") != std::string_view::npos ||
                   line.find("EAP-MS-CHAPv2 ") != std::string_view::npos))
      ++events;
  });
  if (charon > 0 && events > 0) {
    *why = "strongSwan charon lines with IKE_SA events";
    return 85;
  }
  if (charon > 0) {
    *why = "strongSwan charon lines";
    return 60;
  }
  if (events > 0) {
    *why = "charon file log lines";
    return 55;
  }
  *why = "no charon lines in the first lines";
  return 0;
}

std::unique_ptr<LoginParser> make(const ParseContext& ctx) {
  return std::make_unique<StrongswanParser>(ctx);
}

}  // namespace

const FormatInfo& strongswan_format() {
  static const FormatInfo info{
      .name = "strongswan",
      .family = Family::login,
      .summary = "strongSwan charon log (syslog or file): IKE_SAs, virtual IPs, EAP/XAuth users",
      .sniff = sniff,
      .make_login = make};
  return info;
}

}  // namespace tracekit::formats

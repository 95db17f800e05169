// OpenSSH sshd (and console login / display-manager PAM session) lines in a
// syslog file: auth.log, secure, messages.
//
//   Apr 23 16:19:00 ws-lab1-07 sshd[4370]: Accepted password for jdoe from 192.0.2.7 port 58303
//   ssh2
//
// The syslog header may be BSD, RFC 5424 or ISO (rsyslog); its host is the
// machine the session is on. Messages of sshd (also the "sshd-session" and
// "sshd-auth" processes of OpenSSH 9.8+) read here, from OpenSSH's auth.c and
// packet.c:
//   Accepted METHOD for USER from ADDR port N ssh2[: KEYTYPE FINGERPRINT]  -> login
//   Failed METHOD for [invalid user ]USER from ADDR port N ssh2            -> failed
//     (also inside rsyslog's "message repeated N times: [ ... ]": one record)
//   pam_unix(sshd:session): session opened for user USER[(uid=N)] by (uid=0)
//   (pam_unix) session opened for user USER by (uid=0)     (old PAM wording)
//   pam_unix(sshd:session): session closed for user USER                   -> logout
//   Disconnected from user USER ADDR port N                                -> logout
//   Received disconnect from ADDR[ port N]:11: TEXT / ADDR: 11: TEXT       -> logout*
//   Connection closed by [user USER ]ADDR[ port N] / Connection reset by ...-> logout*
//   Closing connection to ADDR[ port N]                                    -> logout*
//   Timeout, client not responding from [user USER ]ADDR[ port N]          -> logout*
// METHOD is password, publickey, keyboard-interactive/pam, gssapi-with-mic,
// hostbased (with "/submethod" as written). "Failed none" is the client's
// probe for the methods on offer, not an attempt, and is skipped; so are
// "Invalid user" (the "Failed ... invalid user" line that follows is the
// attempt), lines marked [preauth] and every other sshd or PAM message.
//
// Pairing: session_key is the sshd PID that logged "Accepted" (the monitor
// process, which lives as long as the connection). The session ends at the
// first end line of that PID after the login, and only that one is a logout
// (* lines marked above end a session only when the PID has an open login:
// before authentication they mean nothing). A modern sshd (OpenSSH 5+ with
// UsePAM, e.g. CentOS 7 in the corpus) logs "Accepted", the PAM session
// opening and closing all in the monitor's PID; OpenSSH 7.x+ adds "Received
// disconnect" and "Disconnected from user" before the PAM close. Old sshd
// (the sftp/scponly log in the corpus, "(pam_unix) session opened") opened the
// PAM session in the privilege-separated child, PID+1 or so, and ended with
// "Connection closed by ADDR" in the parent; a "User child is on pid N" line
// says the same. Such a child PID is mapped to its parent (a session opening
// for the same user within 60 s of the Accepted, at most 64 PIDs later), so
// its PAM close ends the parent's session under the parent's key. A PID that
// is used again later starts a new session. A PAM session opening with no
// Accepted line before it (the login was in an earlier file, or sshd logs
// no Accepted) is itself the login; a PAM close or "Disconnected from user"
// with no login seen is a logout all the same.
//
// Console and display-manager sessions (place local), from PAM:
//   login[812]: pam_unix(login:session): session opened for user root by LOGIN(uid=0)
//   gdm-password][2210]: pam_unix(gdm-password:session): session opened for user jdoe(uid=1000) by
//   (uid=0) lightdm: pam_unix(lightdm:session): session opened for user jdoe by (uid=0) login[812]:
//   FAILED LOGIN (1) on '/dev/tty1' FOR 'jdoe', Authentication failure -> failed
// Greeter sessions (gdm-launch-environment, lightdm-greeter) are the display
// manager's own user and skipped. systemd-logind's "System is rebooting." (or
// powering down, halting, shutting down) is a shutdown of its host, which
// ends every session there; the disconnect and PAM close lines its sessions
// write as they are killed are skipped as the tail of a session already
// ended. Lines of other programs (CRON, su, sudo, the rest
// of systemd-logind's, proftpd...) are foreign.
#include <array>
#include <cstring>
#include <vector>

#include "format_list.h"
#include "tracekit/slot_table.h"  // hash_text
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

enum class Program : uint8_t { other, sshd, login, gdm, gdm_greeter, lightdm, logind };

Program classify(std::string_view p) {
  if (p == "sshd" || p == "sshd-session" || p == "sshd-auth") return Program::sshd;
  if (p == "login") return Program::login;
  if (p == "lightdm") return Program::lightdm;
  if (p == "systemd-logind") return Program::logind;
  if (p.starts_with("gdm-")) {
    // "gdm-session-worker [pam/gdm-password]" is logged as "gdm-password]".
    if (p.starts_with("gdm-launch-environment") || p.starts_with("gdm-greeter"))
      return Program::gdm_greeter;
    return Program::gdm;
  }
  return Program::other;
}

// " from ADDR port N" at the end of `s` (before " ssh2..."): splits s into the
// part before " from " and the address. False when there is no " from ".
bool split_from(std::string_view s, std::string_view& before, std::string_view& addr) {
  size_t port = s.rfind(" port ");
  std::string_view head = port == std::string_view::npos ? s : s.substr(0, port);
  size_t from = head.rfind(" from ");
  if (from == std::string_view::npos) return false;
  before = head.substr(0, from);
  addr = head.substr(from + 6);
  return !addr.empty();
}

void set_from(LoginEvent& out, std::string_view addr) {
  out.from = addr;
  out.has_from_ip = parse_ip(addr, out.from_ip);
}

// "USER(uid=N)" or "USER" at the start of s, up to the next space.
std::string_view pam_user(std::string_view s) {
  std::string_view u = next_token(s);
  size_t paren = u.find("(uid=");
  if (paren != std::string_view::npos) u = u.substr(0, paren);
  return u;
}

class SshdParser final : public LoginParser {
 public:
  explicit SshdParser(const ParseContext& ctx) : ctx_(ctx) { slots_.reserve(kMaxSlots); }

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
    Program prog = classify(h.program);
    if (prog == Program::other) return LineResult::foreign("not an sshd or login line");
    out.host = h.host;
    std::string_view msg = h.message;
    while (!msg.empty() && msg.front() == ' ') msg.remove_prefix(1);
    while (!msg.empty() && msg.back() == ' ') msg.remove_suffix(1);
    if (prog == Program::sshd) return parse_sshd(h, msg, out);
    if (prog == Program::logind) {
      // The machine going down ends every session on it (its other
      // messages are another program's business).
      static constexpr std::string_view kDown[] = {"System is rebooting", "System is powering down",
                                                   "System is halting", "System is shutting down"};
      for (auto d : kDown)
        if (msg.starts_with(d)) {
          out.action = LoginAction::shutdown;
          host_down(hash_text(h.host), out.time);
          return LineResult::record();
        }
      return LineResult::foreign("not an sshd or login line");
    }
    return parse_local(h, prog, msg, out);
  }

 private:
  static constexpr size_t kMaxSlots = 4096;
  static constexpr size_t kUserCap = 64;

  // What is known of one sshd process: an open (or ended) login, or a child
  // that stands for its parent.
  struct Slot {
    uint64_t host = 0;
    uint32_t pid = 0;
    uint32_t parent = 0;  // a privilege-separated child: its parent's PID
    bool open = false;
    bool child_seen = false;  // the parent already has a child mapped to it
    bool down = false;        // ended by its host's shutdown: later end lines are its tail
    Instant since = kNoTime;
    uint8_t user_len = 0, key_len = 0, from_len = 0;
    char user[kUserCap];
    char key[12];
    char from[48];
    std::string_view user_view() const { return {user, user_len}; }
    std::string_view key_view() const { return {key, key_len}; }
    std::string_view from_view() const { return {from, from_len}; }
  };

  Slot* find(uint64_t host, uint32_t pid) {
    for (auto& s : slots_)
      if (s.pid == pid && s.host == host) return &s;
    return nullptr;
  }

  // The slot of the session a PID belongs to (itself or, for a child, its parent).
  Slot* session_of(uint64_t host, uint32_t pid) {
    Slot* s = find(host, pid);
    if (s && s->parent) return find(host, s->parent);
    return s;
  }

  Slot& take(uint64_t host, uint32_t pid) {
    if (Slot* s = find(host, pid)) return *s;
    if (slots_.size() < kMaxSlots) return slots_.emplace_back();
    // Full: reuse the slot idle longest (a session whose end was never logged).
    Slot* oldest = &slots_[0];
    for (auto& s : slots_)
      if (s.since < oldest->since) oldest = &s;
    return *oldest;
  }

  // The host goes down: its sessions end now, and the end lines sshd and PAM
  // write as the processes are killed belong to them, not to new sessions.
  void host_down(uint64_t host, Instant t) {
    for (auto& s : slots_)
      if (s.host == host && s.open) {
        s.open = false;
        s.down = true;
        s.since = t;
      }
  }

  static void copy_into(char* dst, size_t cap, uint8_t& len, std::string_view v) {
    len = uint8_t(std::min(v.size(), cap));
    if (len) std::memcpy(dst, v.data(), len);  // an empty view may have a null data()
  }

  void open_session(uint64_t host, uint32_t pid, std::string_view pid_text, std::string_view user,
                    std::string_view from, Instant t) {
    Slot& s = take(host, pid);
    s = Slot{};
    s.host = host;
    s.pid = pid;
    s.open = true;
    s.since = t;
    copy_into(s.user, kUserCap, s.user_len, user);
    copy_into(s.key, sizeof s.key, s.key_len, pid_text);
    if (from.size() <= sizeof s.from) copy_into(s.from, sizeof s.from, s.from_len, from);
  }

  // An end line (logout when a session of this PID is open). `certain`: the
  // line says a logged-in user's session ended even with no login seen.
  LineResult end_session(uint64_t host, uint32_t pid, std::string_view pid_text, bool certain,
                         LoginEvent& out, const char* not_open_reason) {
    Slot* s = session_of(host, pid);
    if (s && s->open) {
      s->open = false;
      s->since = out.time;
      out.action = LoginAction::logout;
      out.session_key = s->key_view();
      if (out.user.empty()) out.user = s->user_view();
      if (out.from.empty()) set_from(out, s->from_view());
      return LineResult::record();
    }
    // (Within minutes: systemd gives a service 90 s to stop. Later, the PID
    // is a new process's after the boot, its login line lost.)
    if (s && s->down && out.time - s->since < std::chrono::minutes(5))
      return LineResult::skip("end of a session its host's shutdown ended");
    // The end lines of one session come within a second or so; a later one
    // is another process that got the same PID (its login in an earlier file).
    if (s && (!certain || out.time - s->since < std::chrono::seconds(60)))
      return LineResult::skip("end of a session already ended");
    if (!certain) return LineResult::skip(not_open_reason);
    out.action = LoginAction::logout;
    out.session_key = pid_text;
    return LineResult::record();
  }

  LineResult parse_sshd(const SyslogHeader& h, std::string_view msg, LoginEvent& out) {
    out.service = "sshd";
    out.place = LoginPlace::remote;
    uint32_t pid = 0;
    bool has_pid = parse_number(h.pid, pid);
    uint64_t host = hash_text(h.host);

    if (msg.starts_with("message repeated ")) {
      // rsyslog: "message repeated 3 times: [ Failed password for root from ...]"
      size_t open = msg.find(": [");
      if (open == std::string_view::npos || msg.back() != ']')
        return LineResult::skip("repeated sshd message");
      msg = trim(msg.substr(open + 3, msg.size() - open - 4));
      if (!msg.starts_with("Failed ")) return LineResult::skip("repeated sshd message");
    }
    bool preauth = false;
    if (msg.ends_with("[preauth]")) {
      preauth = true;
      msg = trim(msg.substr(0, msg.size() - 9));
    }

    if (msg.starts_with("Accepted ") || msg.starts_with("Failed ")) {
      bool accepted = msg[0] == 'A';
      std::string_view rest = msg.substr(accepted ? 9 : 7);
      std::string_view method = next_token(rest);
      if (!rest.starts_with("for ")) return LineResult::skip("sshd key or module message");
      rest.remove_prefix(4);
      std::string_view user, addr;
      if (!split_from(rest, user, addr))
        return LineResult::skip("authentication without an address (PAM module message)");
      if (user.starts_with("invalid user ")) user.remove_prefix(13);
      if (user.starts_with("illegal user ")) user.remove_prefix(13);
      if (user.empty())
        return LineResult::malformed(accepted ? "Accepted: no user name" : "Failed: no user name");
      if (method == "none") return LineResult::skip("'none' method probe, not an attempt");
      out.user = user;
      out.method = method;
      set_from(out, addr);
      if (!has_pid)
        return LineResult::malformed(accepted ? "Accepted: no sshd PID in the syslog tag"
                                              : "Failed: no sshd PID in the syslog tag");
      out.session_key = h.pid;
      if (!accepted) {
        out.action = LoginAction::failed;
        return LineResult::record();
      }
      if (preauth) return LineResult::skip("sshd message before authentication");
      out.action = LoginAction::login;
      open_session(host, pid, h.pid, user, addr, out.time);
      return LineResult::record();
    }
    if (preauth) return LineResult::skip("sshd message before authentication");

    bool old_pam = msg.starts_with("(pam_unix) ");
    if (old_pam || msg.starts_with("pam_unix(sshd:session): ")) {
      std::string_view rest = msg.substr(old_pam ? 11 : 24);
      if (!has_pid) return LineResult::malformed("PAM session: no sshd PID in the syslog tag");
      if (rest.starts_with("session opened for user ")) {
        out.user = pam_user(rest.substr(24));
        return pam_opened(host, pid, h.pid, out);
      }
      if (rest.starts_with("session closed for user ")) {
        out.user = pam_user(rest.substr(24));
        return end_session(host, pid, h.pid, true, out, "");
      }
      return LineResult::skip("PAM message of sshd");
    }

    if (!has_pid) return LineResult::skip("sshd message without a PID");
    if (msg.starts_with("Disconnected from ")) {
      std::string_view rest = msg.substr(18);
      if (rest.starts_with("user ")) {
        rest.remove_prefix(5);
        // "USER ADDR port N": the user may hold spaces; the address is the
        // last word before " port ".
        size_t port = rest.rfind(" port ");
        std::string_view head = port == std::string_view::npos ? rest : rest.substr(0, port);
        size_t sp = head.rfind(' ');
        if (sp == std::string_view::npos)
          return LineResult::malformed("Disconnected from user: no address");
        out.user = head.substr(0, sp);
        set_from(out, head.substr(sp + 1));
        return end_session(host, pid, h.pid, true, out, "");
      }
      if (rest.starts_with("authenticating user ") || rest.starts_with("invalid user ") ||
          rest.starts_with("illegal user "))
        return LineResult::skip("disconnect before authentication");
      std::string_view addr = next_token(rest);
      set_from(out, addr);
      return end_session(host, pid, h.pid, false, out, "disconnect of a PID with no login");
    }
    static constexpr std::string_view kEnds[] = {
        "Received disconnect from ", "Connection closed by ", "Connection reset by ",
        "Closing connection to ", "Timeout, client not responding from "};
    std::string_view rest;
    bool end_line = false;
    for (auto e : kEnds)
      if (msg.starts_with(e)) {
        rest = msg.substr(e.size());
        end_line = true;
      }
    if (end_line) {
      if (rest.starts_with("authenticating user ") || rest.starts_with("invalid user ") ||
          rest.starts_with("illegal user "))
        return LineResult::skip("disconnect before authentication");
      if (rest.starts_with("user ")) {
        rest.remove_prefix(5);
        out.user = next_token(rest);
      }
      std::string_view addr = next_token(rest);
      if (!addr.empty() && addr.back() == ':') addr.remove_suffix(1);  // old "ADDR: 11: TEXT"
      set_from(out, addr);
      return end_session(host, pid, h.pid, false, out, "disconnect of a PID with no login");
    }
    if (msg.starts_with("User child is on pid ")) {
      uint32_t child = 0;
      Slot* parent = find(host, pid);
      if (parent && parent->open && parse_number(msg.substr(21), child) && child != pid) {
        Slot& c = take(host, child);
        c = Slot{};
        c.host = host;
        c.pid = child;
        c.parent = pid;
        c.since = out.time;
        parent->child_seen = true;
      }
      return LineResult::skip("sshd privilege-separated child");
    }
    return LineResult::skip("sshd message without a login");
  }

  LineResult pam_opened(uint64_t host, uint32_t pid, std::string_view pid_text, LoginEvent& out) {
    Slot* s = session_of(host, pid);
    if (s && s->open) return LineResult::skip("PAM session of a login already recorded");
    // A privilege-separated child of a recent login by the same user?
    Slot* parent = nullptr;
    for (auto& p : slots_) {
      if (p.host != host || !p.open || p.parent || p.child_seen || p.user_view() != out.user)
        continue;
      if (pid <= p.pid || pid - p.pid > 64) continue;
      if (out.time - p.since > std::chrono::seconds(60)) continue;
      if (!parent || p.since > parent->since) parent = &p;
    }
    if (parent) {
      parent->child_seen = true;
      uint32_t parent_pid = parent->pid;
      Slot& c = take(host, pid);
      c = Slot{};
      c.host = host;
      c.pid = pid;
      c.parent = parent_pid;
      c.since = out.time;
      return LineResult::skip(
          "PAM session of a login already recorded (privilege-separated child)");
    }
    out.action = LoginAction::login;
    out.session_key = pid_text;
    open_session(host, pid, pid_text, out.user, {}, out.time);
    return LineResult::record();
  }

  // login(1), gdm and lightdm: PAM session lines, place local.
  LineResult parse_local(const SyslogHeader& h, Program prog, std::string_view msg,
                         LoginEvent& out) {
    out.place = LoginPlace::local;
    out.service = prog == Program::login     ? std::string_view("login")
                  : prog == Program::lightdm ? std::string_view("lightdm")
                                             : std::string_view("gdm");
    if (prog == Program::gdm_greeter) return LineResult::skip("display manager greeter session");
    if (prog == Program::login && msg.starts_with("FAILED LOGIN ")) {
      // FAILED LOGIN (1) on '/dev/tty1' FOR 'jdoe', Authentication failure
      size_t on = msg.find(" on '");
      size_t f = msg.find(" FOR '");
      if (f == std::string_view::npos) return LineResult::malformed("FAILED LOGIN: no user");
      std::string_view user = msg.substr(f + 6);
      user = user.substr(0, user.find('\''));
      if (on != std::string_view::npos && on < f) {
        std::string_view tty = msg.substr(on + 5);
        tty = tty.substr(0, tty.find('\''));
        if (tty.starts_with("/dev/")) tty.remove_prefix(5);
        out.tty = tty;
      }
      out.user = user;
      out.action = LoginAction::failed;
      return LineResult::record();
    }
    // pam_unix(SERVICE:session): session opened|closed for user USER ...
    if (!msg.starts_with("pam_unix(")) return LineResult::skip("login or display manager message");
    size_t close = msg.find("): ");
    if (close == std::string_view::npos) return LineResult::skip("PAM message");
    std::string_view svc = msg.substr(9, close - 9);
    if (!svc.ends_with(":session")) return LineResult::skip("PAM authentication message");
    svc.remove_suffix(8);
    if (svc.ends_with("-greeter") || svc == "gdm-launch-environment")
      return LineResult::skip("display manager greeter session");
    std::string_view rest = msg.substr(close + 3);
    bool opened = rest.starts_with("session opened for user ");
    bool closed = rest.starts_with("session closed for user ");
    if (!opened && !closed) return LineResult::skip("PAM session message");
    out.user = pam_user(rest.substr(24));
    if (out.user.empty()) return LineResult::malformed("PAM session: no user name");
    out.session_key = h.pid;
    if (h.pid.empty()) {
      // lightdm writes no PID: the user is all that pairs its lines.
      out.session_key = out.user;
    }
    out.action = opened ? LoginAction::login : LoginAction::logout;
    return LineResult::record();
  }

  const ParseContext& ctx_;
  std::vector<Slot> slots_;
};

int sniff(std::string_view head, const char** why) {
  size_t logins = 0, sshd = 0, local = 0, syslog_lines = 0;
  for_each_head_line(head, 400, [&](std::string_view line) {
    if (line.empty()) return;
    size_t at = line.find(" sshd");
    if (at != std::string_view::npos &&
        (line.substr(at).starts_with(" sshd[") || line.substr(at).starts_with(" sshd-session[") ||
         line.substr(at).starts_with(" sshd: ") || line.substr(at).starts_with(" sshd "))) {
      ++sshd;
      if (line.find("Accepted ") != std::string_view::npos ||
          line.find("Failed password for ") != std::string_view::npos ||
          line.find("(sshd:session): session ") != std::string_view::npos ||
          line.find("Invalid user ") != std::string_view::npos)
        ++logins;
      return;
    }
    if (line.find("(login:session): session ") != std::string_view::npos ||
        line.find("(gdm-password:session): session ") != std::string_view::npos ||
        line.find("(lightdm:session): session ") != std::string_view::npos)
      ++local;
    else if (line.find("]: ") != std::string_view::npos)
      ++syslog_lines;
  });
  if (logins > 0) {
    *why = "sshd login lines (Accepted / Failed password / PAM sessions)";
    return 80;
  }
  if (sshd > 0) {
    *why = "sshd lines, no login in the first lines";
    return 55;
  }
  if (local > 0) {
    *why = "console or display-manager PAM session lines";
    return 50;
  }
  *why = "no sshd lines in the first lines";
  return 0;
}

std::unique_ptr<LoginParser> make(const ParseContext& ctx) {
  return std::make_unique<SshdParser>(ctx);
}

}  // namespace

const FormatInfo& sshd_format() {
  static const FormatInfo info{
      .name = "sshd",
      .family = Family::login,
      .summary =
          "OpenSSH sshd, console login and gdm/lightdm PAM sessions in syslog (auth.log, "
          "secure)",
      .sniff = sniff,
      .make_login = make};
  return info;
}

}  // namespace tracekit::formats

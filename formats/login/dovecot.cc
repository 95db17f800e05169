// Dovecot IMAP/POP3 logins, in syslog or in Dovecot's own log file.
//
//   Apr 23 16:19:00 mail dovecot: imap-login: Login: user=<jdoe>, method=PLAIN, rip=192.0.2.7,
//   lip=10.0.0.25, mpid=4102, TLS, session=<r4Xf2qgHqOrAAAAB>
//
// Each connection is first served by a login process (imap-login,
// pop3-login, submission-login, managesieve-login), which logs the
// successful login or why it gave up; then by the mail process of the
// user ("imap(jdoe)"), which logs how the session ended. Read here:
//   SVC-login: Login: user=<U>, method=M, rip=IP, lip=IP[, mpid=N][, TLS|secured][, session=<ID>]
//   -> login SVC-login: Aborted login|Disconnected|Login aborted... (auth failed, N attempts[ in S
//   secs])
//     ...: user=<U>, method=M, rip=IP, ...                                         -> failed
//   SVC(U)[<PID><ID>]: Logged out in=.. out=..    (2.3+; <PID><ID> since 2.3)    -> logout
//   SVC(U): Disconnected: Logged out ... / Disconnected for inactivity / Connection closed ...
//   IMAP(U): Disconnected: Logged out bytes=../..  (1.x: upper-case service)      -> logout
// Lines of the login processes with no attempt ("no auth attempts", "tried to
// use disallowed plaintext auth"), the auth processes' own failure details
// (pam(U,IP), sql(...): Password mismatch: the login process logs the same
// attempt) and every other Dovecot line are skipped; other programs' lines
// are foreign.
//
// Headers: daemontools multilog ("@4000000069ea38760a3a6880 imap-login: ...", TAI64N),
// syslog ("host dovecot: imap-login: ..." or "dovecot[pid]: ..."),
// Dovecot's log_path file ("Apr 23 16:19:00 imap-login: Info: Login: ...",
// also with an ISO date), and 1.x's "dovecot: 2011-03-03 18:36:18 Info: ...".
// The level ("Info: ") that the log file adds is dropped.
//
// Pairing: session_key is the session id Dovecot gives the connection
// (session=<ID>, 2.1+). 2.3 and later repeat it on the mail process's lines;
// 2.2 and older name only the user there. Such a logout takes the key of the
// user's one open session of that service on that host; with several open
// (mail clients keep a few connections each) the line does not say which one
// ended, and the logout is given no key. Sessions logged without an id (1.x)
// pair by nothing but the user.
#include <cstring>
#include <vector>

#include "format_list.h"
#include "tracekit/slot_table.h"  // hash_text
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

// The value of `key` ("rip=") in a ", "-separated field list: up to the next
// ',' (or, for "<...>" values, between the brackets). Empty when absent.
std::string_view field(std::string_view s, std::string_view key) {
  size_t at = 0;
  while (true) {
    at = s.find(key, at);
    if (at == std::string_view::npos) return {};
    if (at == 0 || s[at - 1] == ' ' || s[at - 1] == ',') break;
    at += key.size();
  }
  std::string_view v = s.substr(at + key.size());
  if (!v.empty() && v[0] == '<') {
    size_t close = v.find(">,");
    if (close == std::string_view::npos) close = v.rfind('>');
    if (close == std::string_view::npos) return v.substr(1);
    return v.substr(1, close - 1);
  }
  return v.substr(0, v.find(','));
}

// "imap-login" -> "imap"; "IMAP" -> "imap"; other names as they are.
std::string_view service_name(std::string_view s) {
  if (s.ends_with("-login")) s.remove_suffix(6);
  if (s == "IMAP" || s == "imap") return "imap";
  if (s == "POP3" || s == "pop3") return "pop3";
  if (s == "submission") return "submission";
  if (s == "managesieve") return "managesieve";
  return s;
}

bool is_level(std::string_view s) {
  return s == "Info" || s == "Warning" || s == "Error" || s == "Fatal" || s == "Debug" ||
         s == "Panic";
}

class DovecotParser final : public LoginParser {
 public:
  explicit DovecotParser(const ParseContext& ctx) : ctx_(ctx) { open_.reserve(kMaxOpen); }

  LineResult parse(const Line& line, LoginEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    out.clear();
    if (trim(text).empty()) return LineResult::skip("empty line");
    std::string_view host, msg;
    if (text.size() > 26 && text[0] == '@' && text[25] == ' ') {
      // daemontools multilog: "@" TAI64N label (16 hex digits of seconds
      // since 2^62 - 10, 8 of nanoseconds), then the message (no host).
      uint64_t secs = 0, nanos = 0;
      for (size_t i = 1; i < 25; ++i) {
        int v = hex_value(text[i]);
        if (v < 0) return LineResult::malformed("bad TAI64N timestamp");
        if (i <= 16)
          secs = secs * 16 + uint64_t(v);
        else
          nanos = nanos * 16 + uint64_t(v);
      }
      if (secs < (uint64_t(1) << 62) + 10 ||
          secs - (uint64_t(1) << 62) - 10 > uint64_t(kMaxLogSeconds) || nanos >= 1000000000)
        return LineResult::malformed("bad TAI64N timestamp");
      out.time = from_epoch_seconds(int64_t(secs - (uint64_t(1) << 62) - 10)) +
                 Micros(int64_t(nanos / 1000));
      out.time_flags = kHasFraction;
      msg = text.substr(26);
      if (msg.starts_with("dovecot: "))
        msg.remove_prefix(9);
      else if (msg.starts_with("dovecot-auth: "))
        return LineResult::skip("Dovecot auth process detail");
    } else if (text.starts_with("dovecot: ") && text.size() > 9 && text[9] >= '0' &&
               text[9] <= '9') {
      // 1.x log file: "dovecot: 2011-03-03 18:36:18 Info: imap-login: ..."
      size_t used = 0;
      std::string_view t = text.substr(9);
      if (!parse_iso_timestamp(t, ctx_, out.time, out.time_flags, used) || used >= t.size() ||
          t[used] != ' ') {
        out.time = kNoTime;  // (no time for the coverage from a date that is not one)
        return LineResult::malformed("bad Dovecot log timestamp");
      }
      msg = t.substr(used + 1);
    } else {
      SyslogHeader h;
      const char* why = "";
      if (!parse_syslog_header(text, ctx_, h, &why)) return LineResult::malformed(why);
      out.time = h.time;
      out.time_flags = h.time_flags;
      if (!h.host.empty() && h.host.back() == ':') {
        // Dovecot's own log file: no host; the "host" is the process tag.
        size_t start = size_t(h.host.data() - text.data());
        msg = text.substr(start);
      } else if (h.host.starts_with("Info") || h.host == "Warning:" || h.host == "Error:") {
        msg = text.substr(size_t(h.host.data() - text.data()));
      } else {
        if (h.program != "dovecot" && h.program != "dovecot-auth")
          return LineResult::foreign("not a Dovecot line");
        host = h.host;
        msg = h.message;
      }
    }
    return parse_message(host, msg, out);
  }

 private:
  static constexpr size_t kMaxOpen = 4096;

  struct Open {
    uint64_t host = 0, user = 0, service = 0;
    Instant since = kNoTime;
    uint8_t key_len = 0;
    char key[40];
    std::string_view key_view() const { return {key, key_len}; }
  };

  // "[Info: ]PROCESS: [Info: ]TEXT" -> process, text.
  static bool split_process(std::string_view msg, std::string_view& process,
                            std::string_view& rest) {
    size_t colon = msg.find(": ");
    if (colon == std::string_view::npos) return false;
    process = msg.substr(0, colon);
    rest = msg.substr(colon + 2);
    if (is_level(process)) return split_process(rest, process, rest);
    size_t lc = rest.find(": ");
    if (lc != std::string_view::npos && is_level(rest.substr(0, lc))) rest = rest.substr(lc + 2);
    return true;
  }

  LineResult parse_message(std::string_view host, std::string_view msg, LoginEvent& out) {
    std::string_view process, rest;
    if (!split_process(msg, process, rest)) return LineResult::skip("Dovecot message");
    out.host = host;
    out.place = LoginPlace::remote;
    if (process.ends_with("-login")) return parse_login_process(process, rest, out);
    if (process.starts_with("auth")) return LineResult::skip("Dovecot auth process detail");
    size_t paren = process.find('(');
    if (paren == std::string_view::npos || paren == 0)
      return LineResult::skip("Dovecot message without a login");
    std::string_view svc = process.substr(0, paren);
    std::string_view svc_name = service_name(svc);
    if (svc_name != "imap" && svc_name != "pop3" && svc_name != "submission" &&
        svc_name != "managesieve")
      return LineResult::skip("Dovecot message without a login");
    size_t close = process.find(')', paren);
    if (close == std::string_view::npos)
      return LineResult::malformed("mail process tag: no ')' after the user");
    out.user = process.substr(paren + 1, close - paren - 1);
    // 2.3+: "<PID><SESSION>" after the user.
    std::string_view ids = process.substr(close + 1);
    std::string_view session;
    if (ids.starts_with("<")) {
      size_t second = ids.find("><");
      if (second != std::string_view::npos && ids.back() == '>')
        session = ids.substr(second + 2, ids.size() - second - 3);
    }
    if (!(rest.starts_with("Logged out") || rest.starts_with("Disconnected") ||
          rest.starts_with("Connection closed") || rest.starts_with("Server shutting down")))
      return LineResult::skip("mail process message");
    out.service = svc_name;
    out.action = LoginAction::logout;
    uint64_t hh = hash_text(host), uh = hash_text(out.user), sh = hash_text(out.service);
    if (!session.empty()) {
      out.session_key = session;
      for (size_t i = 0; i < open_.size(); ++i)
        if (open_[i].key_view() == session) {
          erase(i);
          break;
        }
      return LineResult::record();
    }
    size_t found = open_.size(), n = 0;
    for (size_t i = 0; i < open_.size(); ++i) {
      const Open& o = open_[i];
      if (o.host == hh && o.user == uh && o.service == sh) {
        found = i;
        ++n;
      }
    }
    if (n == 1) {
      std::memcpy(key_, open_[found].key, open_[found].key_len);
      out.session_key = std::string_view(key_, open_[found].key_len);
      erase(found);
    }
    return LineResult::record();
  }

  void erase(size_t i) {
    open_[i] = open_.back();
    open_.pop_back();
  }

  LineResult parse_login_process(std::string_view process, std::string_view rest, LoginEvent& out) {
    out.service = service_name(process);
    // The field list follows the last ": " before "user=" or "rip=".
    size_t at = rest.find("user=<");
    if (at == std::string_view::npos) at = rest.find("rip=");
    if (at == std::string_view::npos) return LineResult::skip("login process message");
    std::string_view what = rest.substr(0, at);
    std::string_view fields = rest.substr(at);
    std::string_view rip = field(fields, "rip=");
    out.user = field(fields, "user=");
    out.method = field(fields, "method=");
    if (!rip.empty()) {
      out.from = rip;
      out.has_from_ip = parse_ip(rip, out.from_ip);
    }
    if (what.starts_with("Login: ")) {
      if (out.user.empty()) return LineResult::malformed("Login: no user=<...>");
      if (rip.empty()) return LineResult::malformed("Login: no rip=");
      if (!out.has_from_ip) return LineResult::malformed("Login: bad rip= address");
      out.action = LoginAction::login;
      std::string_view session = field(fields, "session=");
      out.session_key = session;
      if (!session.empty()) remember(out, session);
      return LineResult::record();
    }
    if (what.find("(auth failed") != std::string_view::npos) {
      out.action = LoginAction::failed;
      out.session_key = field(fields, "session=");
      return LineResult::record();
    }
    return LineResult::skip("login process gave up without a failed attempt");
  }

  void remember(const LoginEvent& ev, std::string_view session) {
    if (session.size() > sizeof(Open::key)) return;
    Open o;
    o.host = hash_text(ev.host);
    o.user = hash_text(ev.user);
    o.service = hash_text(ev.service);
    o.since = ev.time;
    o.key_len = uint8_t(session.size());
    if (!session.empty()) std::memcpy(o.key, session.data(), session.size());
    if (open_.size() == kMaxOpen) {
      size_t oldest = 0;
      for (size_t i = 1; i < open_.size(); ++i)
        if (open_[i].since < open_[oldest].since) oldest = i;
      erase(oldest);
    }
    open_.push_back(o);
  }

  const ParseContext& ctx_;
  std::vector<Open> open_;
  char key_[40];
};

int sniff(std::string_view head, const char** why) {
  size_t logins = 0, dovecot = 0;
  for_each_head_line(head, 400, [&](std::string_view line) {
    bool tagged = line.find(" dovecot: ") != std::string_view::npos ||
                  line.find(" dovecot[") != std::string_view::npos ||
                  line.find(" imap-login: ") != std::string_view::npos ||
                  line.find(" pop3-login: ") != std::string_view::npos ||
                  line.starts_with("dovecot: ");
    if (!tagged) return;
    ++dovecot;
    if (line.find("-login: ") != std::string_view::npos &&
        (line.find("rip=") != std::string_view::npos ||
         line.find("Login: user=<") != std::string_view::npos))
      ++logins;
  });
  if (logins > 0) {
    *why = "Dovecot login process lines (Login: user=<...>, rip=...)";
    return 85;
  }
  if (dovecot > 0) {
    *why = "Dovecot lines, no login in the first lines";
    return 50;
  }
  *why = "no Dovecot lines in the first lines";
  return 0;
}

std::unique_ptr<LoginParser> make(const ParseContext& ctx) {
  return std::make_unique<DovecotParser>(ctx);
}

}  // namespace

const FormatInfo& dovecot_format() {
  static const FormatInfo info{
      .name = "dovecot",
      .family = Family::login,
      .summary =
          "Dovecot IMAP/POP3 logins, failed logins and logouts (syslog or Dovecot's log "
          "file)",
      .sniff = sniff,
      .make_login = make};
  return info;
}

}  // namespace tracekit::formats

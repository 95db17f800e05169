// Postfix in a syslog file (maillog, mail.log), BSD or RFC 3339 dates:
//
//   Apr 23 16:19:00 mx1 postfix/smtpd[1234]: 4D1E21A0B3C: client=mail.example.org[192.0.2.7]
//   2026-04-23T16:19:00.123456+01:00 mx1 postfix/smtp[1240]: 4D1E21A0B3C: to=<ann@example.net>,
//   relay=mx.example.net[198.51.100.25]:25, delay=0.4, delays=0.1/0/0.2/0.1, dsn=2.0.0,
//   status=sent (250 2.0.0 Ok: queued as 5F2A31A0C11)
//
// The tag is the syslog_name and daemon: postfix/smtpd, postfix-out/smtp (a
// second instance), postfix/submission/smtpd (a master.cf service with its own
// syslog_name). The host is the mail server (device); the tag is the service.
// Queue ids are short (upper-case hex, "4D1E21A0B3C") or long
// (enable_long_queue_ids: 6+4 base-52 digits, 'z', the inode: "4XkTZD3H6Gz9vNx").
// Lines read here (QID is the queue id):
//   smtpd     connect from HOST[IP]                                          -> connect
//   smtpd     disconnect from HOST[IP] ehlo=1 mail=1 ...                     -> disconnect
//   smtpd     QID: client=HOST[IP][:PORT][, sasl_method=M, sasl_username=U]
//             [, sasl_sender=S][, orig_queue_id=Q, orig_client=HOST[IP]]     -> received
//   pickup    QID: uid=N from=<A>          (local submission; user "uid=N")  -> received
//   cleanup   QID: message-id=<ID>                                           -> header
//   qmgr      QID: from=<A>, size=N, nrcpt=N (queue active)                  -> sender
//   any       QID: to=<X>[, orig_to=<Y>], relay=R, ..., dsn=D, status=S (DETAIL)
//             (smtp, lmtp, local, virtual, pipe, error, discard, qmgr)       -> delivery
//   qmgr      QID: from=<A>, status=expired, returned to sender              -> delivery
//   bounce    QID: sender non-delivery notification: NEWID                   -> delivery
//             (status "notification", next_id NEWID; also "sender delivery
//             status", "sender delay" and "postmaster ..." notifications)
//   qmgr      QID: removed  (also postsuper's removal of a queue file)       -> completed
//   smtpd     NOQUEUE: reject: RCPT from HOST[IP]: 554 ...; from=<A> to=<B>
//             proto=ESMTP helo=<H>  (also QID: reject:, milter-reject:, and
//             postscreen's "from=<A>, to=<B>, proto=..., helo=<H>")          -> rejected
//   cleanup   QID: reject: header|body TEXT from HOST[IP]; from=<A> to=<B>
//             proto=ESMTP helo=<H>: 5.7.1 TEXT   (TEXT is message content:
//             only a Subject header's goes out, in `subject`)                -> rejected
//   smtpd     warning: HOST[IP][:PORT]: SASL M authentication failed: WHY
//             [, sasl_username=U]                                            -> auth_failed
// A delivery's next_id is the id in the last "queued as ID" of its detail
// (the content filter or next MTA that took it). Everything else Postfix writes
// (warnings, verbose traces, anvil statistics, postscreen, tlsproxy, dnsblog,
// master, scache, lost connections, reject_warning) is skipped with a reason;
// lines of other programs are foreign.
#include <cstring>

#include "format_list.h"
#include "tracekit/net.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// A Postfix queue id: short (6+ upper-case hex digits) or long (alphanumeric,
// 'z' after the 10 time digits).
bool is_queue_id(std::string_view s) {
  if (s.size() < 6 || s.size() > 24) return false;
  bool hex = true;
  for (char c : s) {
    if (!is_alnum(c)) return false;
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) hex = false;
  }
  return hex || (s.size() >= 12 && s[10] == 'z');
}

// "HOST[IP]" or "HOST[IP]:PORT" at the start of s; s is advanced past it.
// Postscreen writes "[IP]:PORT" with no host.
bool read_namaddr(std::string_view& s, MailEvent& out) {
  size_t open = s.find('[');
  if (open == std::string_view::npos) return false;
  size_t close = s.find(']', open);
  if (close == std::string_view::npos) return false;
  std::string_view name = s.substr(0, open);
  std::string_view addr = s.substr(open + 1, close - open - 1);
  if (addr.starts_with("IPv6:")) addr.remove_prefix(5);
  if (name.find(' ') != std::string_view::npos) return false;
  IpAddr ip;
  if (!parse_ip(addr, ip)) return false;
  out.client_name = name;
  out.client = ip;
  out.has_client = true;
  s.remove_prefix(close + 1);
  if (s.size() > 1 && s[0] == ':' && s[1] >= '0' && s[1] <= '9') {
    size_t i = 1;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    uint16_t port = 0;
    if (parse_number(s.substr(1, i - 1), port)) out.client_port = port;
    s.remove_prefix(i);
  }
  return true;
}

// A relay as logged: "mx.example.net[198.51.100.25]:25", "local", "none",
// "private/dovecot-lmtp".
void set_relay(std::string_view relay, MailEvent& out) {
  out.relay = relay;
  size_t open = relay.find('[');
  size_t close = relay.rfind(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return;
  std::string_view addr = relay.substr(open + 1, close - open - 1);
  if (addr.starts_with("IPv6:")) addr.remove_prefix(5);
  if (!parse_ip(addr, out.relay_ip)) return;
  out.has_relay_ip = true;
  std::string_view rest = relay.substr(close + 1);
  if (rest.size() > 1 && rest[0] == ':') parse_number(rest.substr(1), out.relay_port);
}

// The value of "key=" in a list of "key=value" items; a value in angle
// brackets is read to its '>' (and given with the brackets stripped), any other
// to the next space or comma. s is advanced past it.
std::string_view read_value(std::string_view& s) {
  std::string_view v;
  if (!s.empty() && s[0] == '<') {
    size_t close = s.find('>');
    if (close == std::string_view::npos) {
      v = s.substr(1);
      s = {};
      return v;
    }
    v = s.substr(1, close - 1);
    s.remove_prefix(close + 1);
  } else {
    size_t i = 0;
    while (i < s.size() && s[i] != ' ' && s[i] != ',') ++i;
    v = s.substr(0, i);
    s.remove_prefix(i);
  }
  while (!s.empty() && (s[0] == ' ' || s[0] == ',')) s.remove_prefix(1);
  return v;
}

// "from=<A> to=<B> proto=ESMTP helo=<H>" (smtpd) or the same with ", "
// between the items (postscreen).
void read_envelope(std::string_view s, MailEvent& out) {
  while (!s.empty()) {
    size_t eq = s.find('=');
    if (eq == std::string_view::npos) return;
    std::string_view key = s.substr(0, eq);
    s.remove_prefix(eq + 1);
    std::string_view v = read_value(s);
    if (key == "from")
      out.from = v;
    else if (key == "to")
      out.to = v;
    else if (key == "proto")
      out.protocol = v;
    else if (key == "helo")
      out.helo = v;
  }
}

// The id of the last "queued as ID" in a delivery's detail.
std::string_view queued_as(std::string_view detail) {
  size_t at = detail.rfind("queued as ");
  if (at == std::string_view::npos) return {};
  std::string_view id = detail.substr(at + 10);
  size_t i = 0;
  while (i < id.size() && is_alnum(id[i])) ++i;
  return id.substr(0, i);
}

class PostfixParser final : public MailParser {
 public:
  explicit PostfixParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, MailEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    out.clear();
    if (trim(text).empty()) return LineResult::skip("empty line");
    SyslogHeader h;
    const char* why = "";
    if (!parse_syslog_header(text, ctx_, h, &why)) return LineResult::malformed(why);
    out.time = h.time;
    out.time_flags = h.time_flags;
    if (!h.program.starts_with("postfix")) return LineResult::foreign("not a Postfix line");
    out.device = h.host;
    out.service = h.program;
    std::string_view daemon = h.program;
    size_t slash = daemon.rfind('/');
    if (slash == std::string_view::npos) return LineResult::skip("Postfix command message");
    daemon.remove_prefix(slash + 1);
    std::string_view msg = h.message;
    while (!msg.empty() && msg.back() == ' ') msg.remove_suffix(1);
    return parse_message(daemon, msg, out);
  }

  LineResult parse_time(const Line& line, MailEvent& out) override {
    SyslogHeader h;
    const char* why = "";
    out.clear();
    if (!parse_syslog_header(line.text, ctx_, h, &why)) {
      if (trim(line.text).empty()) return LineResult::skip("empty line");
      return LineResult::malformed(why);
    }
    out.time = h.time;
    out.time_flags = h.time_flags;
    if (!h.program.starts_with("postfix")) return LineResult::foreign("not a Postfix line");
    // A BSD date ("Apr 23 16:19:00 ") alone fixes the time: the lines of one
    // second need not be read again.
    std::string_view t = line.text;
    if (t.size() > 16 && t[3] == ' ' && t[15] == ' ') out.time_key = 15;
    return LineResult::skip("not examined beyond its time");
  }

 private:
  LineResult parse_message(std::string_view daemon, std::string_view msg, MailEvent& out) {
    // "QID: rest", "NOQUEUE: rest" or a message of the process itself.
    std::string_view rest = msg;
    std::string_view qid;
    size_t colon = msg.find(": ");
    if (colon != std::string_view::npos && colon <= 24) {
      std::string_view first = msg.substr(0, colon);
      if (first == "NOQUEUE") {
        rest = msg.substr(colon + 2);
        qid = first;
      } else if (is_queue_id(first)) {
        rest = msg.substr(colon + 2);
        qid = first;
        out.queue_id = first;
      }
    }
    if (qid.empty()) return parse_process(daemon, msg, out);
    bool noqueue = out.queue_id.empty();

    if (rest.starts_with("reject: ") || rest.starts_with("milter-reject: "))
      return parse_reject(rest.substr(rest[0] == 'r' ? 8 : 15), out);
    if (noqueue) {
      if (rest.starts_with("reject_warning: ") || rest.starts_with("milter-reject_warning: "))
        return LineResult::skip("reject_warning: logged, not enforced");
      if (rest.starts_with("client=")) return LineResult::skip("client= without a queue id");
      return LineResult::skip("Postfix NOQUEUE message");
    }
    if (daemon == "postscreen" || daemon == "anvil" || daemon == "scache" || daemon == "tlsproxy" ||
        daemon == "dnsblog" || daemon == "master")
      return LineResult::skip("Postfix service message");

    if (rest.starts_with("to=")) return parse_delivery(rest, out);
    if (rest.starts_with("client=")) return parse_client(rest.substr(7), out);
    if (rest.starts_with("message-id=")) {
      out.action = MailAction::header;
      out.message_id = rest.substr(11);
      return LineResult::record();
    }
    if (rest.starts_with("from=")) return parse_from(rest, out);
    if (rest == "removed") {
      out.action = MailAction::completed;
      return LineResult::record();
    }
    if (rest.starts_with("uid=")) {
      // pickup: "uid=N from=<A>"
      std::string_view s = rest;
      std::string_view uid = next_token(s);
      if (uid.size() <= 4) return LineResult::malformed("pickup: empty uid");
      out.action = MailAction::received;
      out.user = uid;
      if (s.starts_with("from=")) {
        s.remove_prefix(5);
        out.from = read_value(s);
      }
      return LineResult::record();
    }
    size_t note = rest.find(" notification: ");
    if (daemon == "bounce" && note != std::string_view::npos) {
      std::string_view id = rest.substr(note + 15);
      if (!is_queue_id(id)) return LineResult::malformed("notification: bad queue id");
      out.action = MailAction::delivery;
      out.status = "notification";
      out.detail = rest.substr(0, note + 13);
      out.next_id = id;
      return LineResult::record();
    }
    if (rest.starts_with("warning: ")) return LineResult::skip("Postfix warning about a message");
    return LineResult::skip("Postfix message without a record");
  }

  // Lines that name no queue id: connections, SASL failures, warnings.
  LineResult parse_process(std::string_view daemon, std::string_view msg, MailEvent& out) {
    if (daemon == "smtpd") {
      bool con = msg.starts_with("connect from ");
      bool dis = msg.starts_with("disconnect from ");
      if (con || dis) {
        std::string_view s = msg.substr(con ? 13 : 16);
        if (!read_namaddr(s, out))
          return LineResult::malformed(con ? "connect: no HOST[IP]" : "disconnect: no HOST[IP]");
        out.action = con ? MailAction::connect : MailAction::disconnect;
        return LineResult::record();
      }
      if (msg.starts_with("warning: ")) {
        std::string_view s = msg.substr(9);
        size_t sasl = s.find(": SASL ");
        if (sasl != std::string_view::npos && s.find(" authentication failed", sasl) != s.npos)
          return parse_sasl_failure(s, out);
        return LineResult::skip("smtpd warning");
      }
      return LineResult::skip("smtpd message without a record");
    }
    if (msg.starts_with("warning: ")) return LineResult::skip("Postfix warning");
    if (daemon == "anvil") return LineResult::skip("anvil statistics");
    if (daemon == "postscreen") return LineResult::skip("postscreen message");
    return LineResult::skip("Postfix message without a record");
  }

  // "HOST[IP][:PORT]: SASL M authentication failed: WHY[, sasl_username=U]"
  LineResult parse_sasl_failure(std::string_view s, MailEvent& out) {
    if (!read_namaddr(s, out)) return LineResult::malformed("SASL failure: no HOST[IP]");
    if (!s.starts_with(": SASL ")) return LineResult::malformed("SASL failure: no method");
    s.remove_prefix(7);
    out.auth_method = next_token(s);
    if (!s.starts_with("authentication failed"))
      return LineResult::skip("SASL message that is no failure");
    s.remove_prefix(21);
    if (s.starts_with(": ")) s.remove_prefix(2);
    if (s.starts_with(":")) s.remove_prefix(1);
    size_t user = s.rfind(", sasl_username=");
    if (user != std::string_view::npos) {
      out.user = s.substr(user + 16);
      s = s.substr(0, user);
    }
    out.detail = s;
    out.action = MailAction::auth_failed;
    return LineResult::record();
  }

  // "HOST[IP][:PORT][, sasl_method=M, sasl_username=U, ...]"
  LineResult parse_client(std::string_view s, MailEvent& out) {
    if (!read_namaddr(s, out)) return LineResult::malformed("client=: no HOST[IP]");
    out.action = MailAction::received;
    while (s.starts_with(", ")) {
      s.remove_prefix(2);
      size_t eq = s.find('=');
      if (eq == std::string_view::npos) break;
      std::string_view key = s.substr(0, eq);
      s.remove_prefix(eq + 1);
      size_t end = s.find(", ");
      std::string_view v = s.substr(0, end);
      s.remove_prefix(end == std::string_view::npos ? s.size() : end);
      if (key == "sasl_method")
        out.auth_method = v;
      else if (key == "sasl_username")
        out.user = v;
    }
    return LineResult::record();
  }

  // qmgr: "from=<A>, size=N, nrcpt=N (queue active)" or
  // "from=<A>, status=expired, returned to sender".
  LineResult parse_from(std::string_view rest, MailEvent& out) {
    std::string_view s = rest.substr(5);
    out.from = read_value(s);
    if (s.starts_with("status=")) {
      s.remove_prefix(7);
      out.action = MailAction::delivery;
      out.status = read_value(s);
      out.detail = s;
      return LineResult::record();
    }
    out.action = MailAction::sender;
    bool have_size = false;
    while (!s.empty()) {
      size_t eq = s.find('=');
      if (eq == std::string_view::npos || s.substr(0, eq).find(' ') != std::string_view::npos)
        break;
      std::string_view key = s.substr(0, eq);
      s.remove_prefix(eq + 1);
      std::string_view v = read_value(s);
      if (key == "size") {
        if (!parse_number(v, out.size)) return LineResult::malformed("from=: bad size");
        out.has_size = have_size = true;
      } else if (key == "nrcpt") {
        if (!parse_number(v, out.nrcpt)) return LineResult::malformed("from=: bad nrcpt");
      }
    }
    if (!have_size) return LineResult::malformed("from=: no size");
    return LineResult::record();
  }

  // "to=<X>, orig_to=<Y>, relay=R, delay=..., dsn=D, status=S (DETAIL)"
  LineResult parse_delivery(std::string_view rest, MailEvent& out) {
    out.action = MailAction::delivery;
    std::string_view s = rest;
    while (!s.empty()) {
      size_t eq = s.find('=');
      if (eq == std::string_view::npos) break;
      std::string_view key = s.substr(0, eq);
      s.remove_prefix(eq + 1);
      if (key == "status") {
        size_t i = 0;
        while (i < s.size() && s[i] != ' ' && s[i] != ',') ++i;
        out.status = s.substr(0, i);
        std::string_view d = trim(s.substr(i));
        if (d.starts_with("(")) {
          d.remove_prefix(1);
          if (d.ends_with(")")) d.remove_suffix(1);
        }
        out.detail = d;
        out.next_id = queued_as(d);
        break;
      }
      std::string_view v;
      if (!s.empty() && s[0] == '<') {
        v = read_value(s);
      } else {
        size_t end = s.find(", ");
        v = s.substr(0, end);
        s.remove_prefix(end == std::string_view::npos ? s.size() : end + 2);
      }
      if (key == "to")
        out.to = v;
      else if (key == "orig_to")
        out.orig_to = v;
      else if (key == "relay")
        set_relay(v, out);
    }
    if (out.status.empty()) return LineResult::malformed("to=: no status");
    return LineResult::record();
  }

  // After "reject: " or "milter-reject: ": "CMD from HOST[IP]: DETAIL; from=<A>
  // to=<B> proto=P helo=<H>", or cleanup's "header|body TEXT from HOST[IP];
  // from=<A> to=<B> proto=P helo=<H>: DETAIL".
  LineResult parse_reject(std::string_view s, MailEvent& out) {
    out.action = MailAction::rejected;
    if (s.starts_with("header ") || s.starts_with("body ")) {
      bool header = s[0] == 'h';
      std::string_view content = s.substr(header ? 7 : 5);
      size_t env = content.rfind("; from=<");
      if (env == std::string_view::npos) return LineResult::malformed("reject: header: no from=");
      std::string_view tail = content.substr(env + 2);
      content = content.substr(0, env);
      size_t from = content.rfind(" from ");
      if (from != std::string_view::npos) {
        std::string_view c = content.substr(from + 6);
        read_namaddr(c, out);  // "from local" for mail submitted on the host
        content = content.substr(0, from);
      }
      if (header && content.size() > 9 && iequals(content.substr(0, 9), "subject: "))
        out.subject = content.substr(9);
      // The explanation follows the helo's ">: ".
      size_t helo = tail.find(" helo=<");
      size_t why = tail.find(">: ", helo == std::string_view::npos ? 0 : helo);
      if (why != std::string_view::npos) {
        out.detail = tail.substr(why + 3);
        tail = tail.substr(0, why + 1);
      }
      read_envelope(tail, out);
      return LineResult::record();
    }
    std::string_view cmd = next_token(s);
    if (cmd.empty() || !s.starts_with("from ")) return LineResult::malformed("reject: no client");
    s.remove_prefix(5);
    if (!read_namaddr(s, out)) return LineResult::malformed("reject: no HOST[IP]");
    if (s.starts_with(":")) s.remove_prefix(1);
    s = trim(s);
    size_t env = s.rfind("; from=<");
    if (env == std::string_view::npos) env = s.rfind("; proto=");
    if (env == std::string_view::npos) env = s.rfind("; helo=<");
    if (env != std::string_view::npos) {
      read_envelope(s.substr(env + 2), out);
      s = s.substr(0, env);
    }
    out.detail = s;
    return LineResult::record();
  }

  const ParseContext& ctx_;
};

// A BSD or ISO date or a <PRI> first: not a line quoted inside another file
// (the rule-test .ini files of OSSEC and Wazuh).
bool starts_like_syslog(std::string_view line) {
  if (line.size() < 16) return false;
  char c = line[0];
  if (c == '<') return true;
  if (c >= '0' && c <= '9') return line[4] == '-';
  return c >= 'A' && c <= 'Z' && line[1] >= 'a' && line[1] <= 'z' && line[3] == ' ';
}

int sniff(std::string_view head, const char** why) {
  size_t postfix = 0, mail = 0, sendmail = 0, lines = 0;
  bool starts_with_syslog = false;
  for_each_head_line(head, 400, [&](std::string_view line) {
    if (line.empty() || line[0] == '#') return;  // fail2ban's annotations
    if (lines++ == 0) starts_with_syslog = starts_like_syslog(line);
    if (!starts_like_syslog(line)) return;
    size_t at = line.find(" postfix");
    if (at != std::string_view::npos) {
      std::string_view tag = line.substr(at + 1);
      size_t end = tag.find(": ");
      if (end == std::string_view::npos || tag.substr(0, end).find('[') == std::string_view::npos)
        return;
      ++postfix;
      if (line.find(": client=") != std::string_view::npos ||
          line.find(": to=<") != std::string_view::npos ||
          line.find(": from=<") != std::string_view::npos ||
          line.find(": message-id=") != std::string_view::npos ||
          line.find("connect from ") != std::string_view::npos ||
          line.find("NOQUEUE: ") != std::string_view::npos ||
          line.find(" authentication failed") != std::string_view::npos)
        ++mail;
      return;
    }
    // Sendmail's own transaction lines: a mixed maillog where Sendmail hands
    // mail to Postfix is left to the sendmail format.
    if ((line.find(" sendmail[") != std::string_view::npos ||
         line.find(" sm-mta[") != std::string_view::npos) &&
        (line.find(", class=") != std::string_view::npos ||
         line.find(", stat=") != std::string_view::npos ||
         line.find("ruleset=") != std::string_view::npos))
      ++sendmail;
  });
  if (postfix == 0) {
    *why = "no Postfix lines in the first lines";
    return 0;
  }
  if (!starts_with_syslog) {
    *why = "Postfix lines in a file that does not start with a syslog line";
    return 0;
  }
  if (sendmail > 0) {
    *why = "Postfix lines mixed with Sendmail transaction lines";
    return 50;
  }
  if (mail > 0) {
    *why = "Postfix syslog lines (client=, to=, from=, message-id=, connect, NOQUEUE)";
    return 85;
  }
  *why = "Postfix syslog lines, no message lines in the first lines";
  return 60;
}

std::unique_ptr<MailParser> make(const ParseContext& ctx) {
  return std::make_unique<PostfixParser>(ctx);
}

}  // namespace

const FormatInfo& postfix_format() {
  static const FormatInfo info{
      .name = "postfix",
      .family = Family::smtp,
      .summary = "Postfix in syslog (smtpd client=, cleanup, qmgr, smtp/local deliveries, rejects)",
      .sniff = sniff,
      .make_mail = make};
  return info;
}

}  // namespace tracekit::formats

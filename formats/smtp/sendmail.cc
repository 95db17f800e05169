// Sendmail in a syslog file (maillog), tagged sm-mta[PID] or sendmail[PID]
// (also sm-msp-queue and other "sm-" process names):
//
//   Apr 23 16:19:00 mx1 sm-mta[4321]: t3NGJ0aB012345: from=<jdoe@example.org>, size=1834,
//   class=0, nrcpts=1, msgid=<20260423.ABC@example.org>, proto=ESMTP, daemon=MTA,
//   relay=mail.example.org [192.0.2.7]
//
// The host is the mail server (device), the tag the service. Queue ids are
// 12+ letters and digits (date and time digits, a sequence, the PID).
// Lines read here (QID is the queue id):
//   QID: from=<A>, size=N, class=C, nrcpts=N, msgid=<ID>, proto=P, daemon=D,
//        relay=HOST [IP] | [IP] | USER@localhost                        -> received
//   QID: AUTH=server, relay=HOST [IP], authid=U, mech=M, bits=N          -> received
//   QID: to=<X>[,<Y>...], ctladdr=..., delay=..., xdelay=..., mailer=M, pri=N,
//        relay=HOST. [IP], dsn=D, stat=STAT                              -> delivery
//   [QID: ]ruleset=check_rcpt|check_mail|check_relay, arg1=A, [arg2=IP, ]
//        relay=HOST [IP][ (may be forged)], reject=CODE TEXT           -> rejected
//   QID: <X>... User unknown  (a recipient refused at RCPT TO)           -> rejected
//   QID: NEWQID: DSN: TEXT    (Sendmail queued a bounce as NEWQID)       -> delivery
// A received line's client is the [IP] of relay= and its client_name the host
// before it; "relay=USER@localhost" (no address) is a local submission whose
// user is USER. A delivery's status is the first word of stat= in lower case
// for Sent, Deferred and queued, with the rest as detail; any other stat= ("User
// unknown", "Service unavailable") is the final answer of a failed delivery:
// status "bounced" when dsn= is 5.x.x ("deferred" for 4.x.x), the whole stat=
// text as detail. next_id is the id the receiving MTA announced: "queued as ID"
// (Postfix, e.g. a local Postfix that Sendmail relays to) or "ID Message
// accepted for delivery" (Sendmail). A DSN line is a delivery with status
// "notification" whose next_id is the bounce's queue id, as for Postfix.
// Recipients of one delivery line ("to=<a>,<b>") stay in one `to` as logged.
// Some syslog daemons write "<mail.info>" between the date and the host; it is
// passed over. Everything else Sendmail writes is skipped with a reason; lines
// of other programs are foreign.
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

bool is_queue_id(std::string_view s) {
  if (s.size() < 12 || s.size() > 20) return false;
  for (char c : s)
    if (!is_alnum(c)) return false;
  return true;
}

bool is_sendmail(std::string_view p) {
  return p == "sendmail" || p.starts_with("sm-");
}

// "HOST [IP]", "[IP]", "HOST [IP] (may be forged)", "[IPv6:2001:db8::1]":
// name and address of a relay= value. False when there is no address.
bool split_relay(std::string_view v, std::string_view& name, IpAddr& ip) {
  size_t open = v.find('[');
  if (open == std::string_view::npos) return false;
  size_t close = v.find(']', open);
  if (close == std::string_view::npos) return false;
  std::string_view addr = v.substr(open + 1, close - open - 1);
  if (addr.size() > 5 && iequals(addr.substr(0, 5), "IPv6:")) addr.remove_prefix(5);
  if (!parse_ip(addr, ip)) return false;
  name = trim(v.substr(0, open));
  size_t at = name.rfind('@');  // "ident@host [ip]": the ident is no login
  if (at != std::string_view::npos) name.remove_prefix(at + 1);
  return true;
}

// The fields of a Sendmail line: "key=value, key=value". A value runs to the
// next ", " that starts another key=; relay= values hold spaces.
struct Fields {
  std::string_view rest;
  bool next(std::string_view& key, std::string_view& value) {
    while (rest.starts_with(" ")) rest.remove_prefix(1);
    if (rest.empty()) return false;
    size_t eq = rest.find('=');
    size_t sep = rest.find(", ");
    if (eq == std::string_view::npos || (sep != std::string_view::npos && sep < eq)) {
      // A bare word ("Milter: data"): a key with no value.
      key = rest.substr(0, sep);
      value = {};
      rest.remove_prefix(sep == std::string_view::npos ? rest.size() : sep + 2);
      return true;
    }
    key = rest.substr(0, eq);
    std::string_view after = rest.substr(eq + 1);
    // The value ends at the first ", " followed by "word=".
    size_t pos = 0;
    while (true) {
      size_t s = after.find(", ", pos);
      if (s == std::string_view::npos) {
        value = after;
        rest = {};
        return true;
      }
      size_t i = s + 2;
      while (i < after.size() && (is_alnum(after[i]) || after[i] == '_')) ++i;
      if (i > s + 2 && i < after.size() && after[i] == '=') {
        value = after.substr(0, s);
        rest = after.substr(s + 2);
        return true;
      }
      pos = s + 2;
    }
  }
};

std::string_view strip_angles(std::string_view v) {
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>' &&
      v.find('>') == v.size() - 1)  // one address, not "<a>,<b>"
    return v.substr(1, v.size() - 2);
  return v;
}

bool is_word(std::string_view w, std::string_view lower) {
  return iequals(w, lower);
}

// The next MTA's id for the message, from a stat= explanation.
std::string_view next_id_of(std::string_view detail) {
  size_t at = detail.rfind("queued as ");
  if (at != std::string_view::npos) {
    std::string_view id = detail.substr(at + 10);
    size_t i = 0;
    while (i < id.size() && is_alnum(id[i])) ++i;
    return id.substr(0, i);
  }
  size_t acc = detail.find(" Message accepted for delivery");
  if (acc != std::string_view::npos) {
    std::string_view id = detail.substr(0, acc);
    size_t sp = id.rfind(' ');
    if (sp != std::string_view::npos) id.remove_prefix(sp + 1);
    if (is_queue_id(id)) return id;
  }
  return {};
}

class SendmailParser final : public MailParser {
 public:
  explicit SendmailParser(const ParseContext& ctx) : ctx_(ctx) {}

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
    if (h.host.size() > 2 && h.host.front() == '<' && h.host.back() == '>' && h.program.empty())
      retag(h);
    if (!is_sendmail(h.program)) return LineResult::foreign("not a Sendmail line");
    out.device = h.host;
    out.service = h.program;
    std::string_view msg = h.message;
    while (!msg.empty() && msg.back() == ' ') msg.remove_suffix(1);
    return parse_message(msg, out);
  }

 private:
  // "<mail.info> HOST PROG[PID]: MSG": the facility came where the host goes.
  static void retag(SyslogHeader& h) {
    std::string_view s = h.message;
    h.host = next_token(s);
    size_t colon = s.find(": ");
    if (colon == std::string_view::npos) return;
    std::string_view tag = s.substr(0, colon);
    size_t open = tag.find('[');
    if (open != std::string_view::npos && tag.back() == ']') {
      h.pid = tag.substr(open + 1, tag.size() - open - 2);
      tag = tag.substr(0, open);
    }
    if (tag.find(' ') != std::string_view::npos) return;
    h.program = tag;
    h.message = s.substr(colon + 2);
  }

  LineResult parse_message(std::string_view msg, MailEvent& out) {
    std::string_view rest = msg;
    size_t colon = msg.find(": ");
    if (colon != std::string_view::npos && is_queue_id(msg.substr(0, colon))) {
      out.queue_id = msg.substr(0, colon);
      rest = msg.substr(colon + 2);
    }
    if (rest.starts_with("ruleset=")) return parse_ruleset(rest, out);
    if (out.queue_id.empty()) return LineResult::skip("Sendmail message without a queue id");
    if (rest.starts_with("from=")) return parse_from(rest, out);
    if (rest.starts_with("to=")) return parse_to(rest, out);
    if (rest.starts_with("AUTH=server, ")) return parse_auth(rest, out);
    if (rest.starts_with("<")) {
      // "<x@example.org>... User unknown"
      size_t dots = rest.find(">... ");
      if (dots == std::string_view::npos) return LineResult::skip("Sendmail recipient message");
      out.action = MailAction::rejected;
      out.to = rest.substr(1, dots - 1);
      out.detail = rest.substr(dots + 5);
      return LineResult::record();
    }
    size_t c2 = rest.find(": DSN: ");
    if (c2 != std::string_view::npos && is_queue_id(rest.substr(0, c2))) {
      out.action = MailAction::delivery;
      out.status = "notification";
      out.next_id = rest.substr(0, c2);
      out.detail = rest.substr(c2 + 7);
      return LineResult::record();
    }
    return LineResult::skip("Sendmail message without a record");
  }

  // "from=<A>, size=N, class=0, nrcpts=N, msgid=<ID>, proto=P, daemon=D, relay=R"
  LineResult parse_from(std::string_view rest, MailEvent& out) {
    out.action = MailAction::received;
    Fields f{rest};
    std::string_view key, v;
    while (f.next(key, v)) {
      if (key == "from") {
        out.from = strip_angles(v);
      } else if (key == "size") {
        if (!parse_number(v, out.size)) return LineResult::malformed("from=: bad size");
        out.has_size = true;
      } else if (key == "nrcpts") {
        if (!parse_number(v, out.nrcpt)) return LineResult::malformed("from=: bad nrcpts");
      } else if (key == "msgid") {
        out.message_id = v;
      } else if (key == "proto") {
        out.protocol = v;
      } else if (key == "relay") {
        std::string_view name;
        if (split_relay(v, name, out.client)) {
          out.has_client = true;
          out.client_name = name;
        } else if (v.ends_with("@localhost")) {
          out.user = v.substr(0, v.size() - 10);  // a local user's submission
        } else {
          out.client_name = v;
        }
      }
    }
    if (!out.has_size) return LineResult::malformed("from=: no size");
    return LineResult::record();
  }

  // "AUTH=server, relay=HOST [IP], authid=U, mech=M, bits=N"
  LineResult parse_auth(std::string_view rest, MailEvent& out) {
    out.action = MailAction::received;
    Fields f{rest};
    std::string_view key, v;
    while (f.next(key, v)) {
      if (key == "relay") {
        std::string_view name;
        if (split_relay(v, name, out.client)) {
          out.has_client = true;
          out.client_name = name;
        }
      } else if (key == "authid") {
        out.user = v;
      } else if (key == "mech") {
        out.auth_method = v;
      }
    }
    if (out.user.empty()) return LineResult::malformed("AUTH=server: no authid");
    return LineResult::record();
  }

  // "to=<X>, ctladdr=..., delay=..., mailer=M, pri=N, relay=R, dsn=D, stat=STAT"
  LineResult parse_to(std::string_view rest, MailEvent& out) {
    out.action = MailAction::delivery;
    Fields f{rest};
    std::string_view key, v, stat, dsn;
    bool has_stat = false;
    while (f.next(key, v)) {
      if (key == "to") {
        out.to = strip_angles(v);
      } else if (key == "orcpt") {
        out.orig_to = v;
      } else if (key == "relay") {
        out.relay = v;
        std::string_view name;
        if (split_relay(v, name, out.relay_ip)) out.has_relay_ip = true;
      } else if (key == "dsn") {
        dsn = v;
      } else if (key == "stat") {
        stat = v;
        has_stat = true;
      }
    }
    if (!has_stat || stat.empty()) return LineResult::malformed("to=: no stat=");
    std::string_view word = stat.substr(0, stat.find_first_of(" :("));
    if (is_word(word, "sent") || is_word(word, "deferred") || is_word(word, "queued")) {
      out.status = is_word(word, "sent")       ? std::string_view("sent")
                   : is_word(word, "deferred") ? std::string_view("deferred")
                                               : std::string_view("queued");
      std::string_view d = stat.substr(word.size());
      if (d.starts_with(":")) d.remove_prefix(1);
      d = trim(d);
      if (d.starts_with("(") && d.ends_with(")")) d = d.substr(1, d.size() - 2);
      out.detail = d;
    } else {
      if (dsn.starts_with("5."))
        out.status = "bounced";
      else if (dsn.starts_with("4."))
        out.status = "deferred";
      else {
        status_buf_.assign(word.begin(), word.end());
        ascii_lower_in_place(status_buf_);
        out.status = status_buf_;
      }
      out.detail = stat;
    }
    out.next_id = next_id_of(out.detail);
    return LineResult::record();
  }

  // "ruleset=check_rcpt, arg1=<B>, relay=HOST [IP], reject=550 5.7.1 ..."
  LineResult parse_ruleset(std::string_view rest, MailEvent& out) {
    Fields f{rest};
    std::string_view key, v, ruleset, arg1, reject;
    while (f.next(key, v)) {
      if (key == "ruleset") {
        ruleset = v;
      } else if (key == "arg1") {
        arg1 = v;
      } else if (key == "relay") {
        std::string_view name;
        if (split_relay(v, name, out.client)) {
          out.has_client = true;
          out.client_name = name;
        }
      } else if (key == "reject") {
        reject = v;
      }
    }
    if (reject.empty()) return LineResult::skip("ruleset without a reject (discard, quarantine)");
    out.action = MailAction::rejected;
    out.detail = reject;
    if (ruleset == "check_rcpt")
      out.to = strip_angles(arg1);
    else if (ruleset == "check_mail")
      out.from = strip_angles(arg1);
    if (!out.has_client && ruleset == "check_relay")
      return LineResult::malformed("ruleset=check_relay: no client address");
    return LineResult::record();
  }

  const ParseContext& ctx_;
  std::string status_buf_;
};

bool starts_like_syslog(std::string_view line) {
  if (line.size() < 16) return false;
  char c = line[0];
  if (c == '<') return true;
  if (c >= '0' && c <= '9') return line[4] == '-';
  return c >= 'A' && c <= 'Z' && line[1] >= 'a' && line[1] <= 'z' && line[3] == ' ';
}

int sniff(std::string_view head, const char** why) {
  size_t tagged = 0, mail = 0, lines = 0, syslog = 0;
  bool starts_with_syslog = false;
  for_each_head_line(head, 400, [&](std::string_view line) {
    if (line.empty() || line[0] == '#') return;  // fail2ban's annotations
    if (lines++ == 0) starts_with_syslog = starts_like_syslog(line);
    if (!starts_like_syslog(line)) return;
    ++syslog;
    size_t sm_at = line.find(" sm-");
    bool sm = line.find(" sendmail[") != std::string_view::npos ||
              (sm_at != std::string_view::npos && line.find('[', sm_at) < line.find(": ", sm_at));
    if (!sm) return;
    ++tagged;
    if (line.find(", class=") != std::string_view::npos ||
        line.find(", stat=") != std::string_view::npos ||
        line.find("ruleset=") != std::string_view::npos ||
        line.find("AUTH=server, ") != std::string_view::npos)
      ++mail;
  });
  if (tagged == 0 || !starts_with_syslog) {
    *why = "no Sendmail lines in the first lines";
    return 0;
  }
  if (mail == 1 && syslog > 4) {
    // fail2ban's multi-line test file quotes one among rsyncd's and smartd's.
    *why = "a single Sendmail line among other programs' lines";
    return 0;
  }
  if (mail > 0) {
    *why = "Sendmail transaction lines (from= class=, to= stat=, ruleset= reject=)";
    return 90;
  }
  *why = "sendmail/sm-mta syslog lines, no transaction in the first lines";
  return 40;
}

std::unique_ptr<MailParser> make(const ParseContext& ctx) {
  return std::make_unique<SendmailParser>(ctx);
}

}  // namespace

const FormatInfo& sendmail_format() {
  static const FormatInfo info{
      .name = "sendmail",
      .family = Family::smtp,
      .summary = "Sendmail in syslog (sm-mta/sendmail from=, to= stat=, AUTH=, ruleset rejects)",
      .sniff = sniff,
      .make_mail = make};
  return info;
}

}  // namespace tracekit::formats

// Exim's mainlog (also its rejectlog and paniclog, and the same lines sent to
// syslog).
//
//   2026-04-23 16:19:00 1wAbCd-000123-Ef <= jdoe@example.org H=(laptop) [192.0.2.7]:50312
//   I=[198.51.100.2]:587 P=esmtpsa X=TLS1.3:TLS_AES_256_GCM_SHA384:256 A=plain:jdoe S=1234
//   id=<a1@example.org> T="Quarterly report" for bob@example.net
//
// A line is "DATE [+hhmm] [[pid]] [MSGID] TEXT". DATE is local time with no
// zone (read in the source's zone), ".mmm" with log_selector +millisec, and a
// "+hhmm" after it with log_timezone. MSGID is 1wAbCd-000123-Ef (16
// characters, Exim up to 4.96) or 1wAbCd-00000000Xyz-AbCd (23, Exim 4.97+:
// a longer pid and sub-second part). Through syslog the line comes after a
// syslog header ("Apr 23 16:19:00 mx2 exim[1234]: ", Exim's own date present
// or not), or as "HOST exim[pid]: DATE ..." (journal export) or "DATE HOST
// exim[pid]: ..." (syslog-ng); device is then the syslog host, otherwise the
// source's host.
//
// Lines read (F= senders and addresses as logged; client = H=name (helo)
// [ip]:port, each part optional):
//   ID <= SENDER H=.. P=.. A=auth:user U=.. S=.. id=.. T="..." for ..  received
//     (SENDER "<>", a bounce, is kept as "<>"; user from A=, else U= when
//     P=local*; for: the first recipient in `to`, their count in nrcpt)
//   ID => / -> TO [(PARENT)] [<ORIG>] R= T= H=host [ip]:port .. C="..."  delivery
//     status sent (H= with an address) or delivered (a local transport: relay
//     is then its T= name)
//   ID *> ...  delivery, status suppressed (-N)
//   ID ** TO ...: TEXT   delivery, status bounced (permanent failure, a bounce
//     message is sent), expired when TEXT says "retry timeout exceeded"
//   ID == TO ... TEXT    delivery, status deferred
//   ID Completed         completed
//   [ID] H=.. F=<a> [temporarily] rejected RCPT <b>|MAIL|after DATA..: TEXT,
//   ID F=<a> H=.. rejected by local_scan(): TEXT, ID rejected from <a> H=..:
//   TEXT, SMTP protocol error in ..,
//   SMTP protocol synchronization error .., SMTP call from .. dropped: ..,
//   H=.. dropped by .. ACL, rejected EHLO/HELO from ..
//                                     rejected (client, from, to, detail)
//   NAME authenticator failed for CLIENT: 535 .. (set_id=USER)  auth_failed
//   SMTP connection from CLIENT [I=..] (TCP/IP connection count = N)  connect
//   SMTP connection from CLIENT .. closed by QUIT|lost|.., no MAIL in SMTP
//   connection from .., unexpected disconnection .. from .., SMTP command
//   timeout on connection from ..                                    disconnect
// next_id: the id the next hop gave, from a delivery's C= text: "id=MSGID"
// (an Exim next hop) or "queued as ID" (Postfix and others), whatever the host.
// Everything else with a date (queue runs, frozen, Warning:, sender verify,
// SA:/DKIM: lines, the paniclog's errors) is skipped. Lines starting with
// white space are continuations (rejectlog headers, a multi-line error): the
// first line carries the record, so they are skipped; so are the rejectlog's
// "Envelope-from:" and "X Header: ..." lines.
#include <cstring>

#include "format_list.h"
#include "tracekit/net.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

using sv = std::string_view;

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool alnum_run(sv s, size_t at, size_t n) {
  for (size_t i = at; i < at + n; ++i)
    if (!is_alnum(s[i])) return false;
  return true;
}

// The length of the Exim message id at the start of s (16 or 23), or 0.
size_t message_id_len(sv s) {
  if (s.size() >= 16 && s[6] == '-' && s[13] == '-' && alnum_run(s, 0, 6) && alnum_run(s, 7, 6) &&
      alnum_run(s, 14, 2) && (s.size() == 16 || !is_alnum(s[16])))
    return 16;
  if (s.size() >= 23 && s[6] == '-' && s[18] == '-' && alnum_run(s, 0, 6) && alnum_run(s, 7, 11) &&
      alnum_run(s, 19, 4) && (s.size() == 23 || !is_alnum(s[23])))
    return 23;
  return 0;
}

bool looks_like_date(sv s) {
  return s.size() >= 19 && is_digit(s[0]) && is_digit(s[3]) && s[4] == '-' && s[7] == '-' &&
         s[10] == ' ' && s[13] == ':';
}

// "DATE[.mmm][ +hhmm]" at the start of s; `used` gets its length.
bool parse_exim_date(sv s, const ParseContext& ctx, Instant& t, uint8_t& flags, size_t& used) {
  size_t end = 19;
  if (end < s.size() && s[end] == '.') {
    ++end;
    while (end < s.size() && is_digit(s[end])) ++end;
  }
  if (end + 6 <= s.size() && s[end] == ' ' && (s[end + 1] == '+' || s[end + 1] == '-') &&
      is_digit(s[end + 2]) && is_digit(s[end + 3]) && is_digit(s[end + 4]) &&
      is_digit(s[end + 5]) && (end + 6 == s.size() || s[end + 6] == ' ')) {
    // log_timezone: the offset follows a space, which parse_iso_timestamp
    // does not take; join them in a small buffer.
    char buf[48];
    if (end > 40) return false;
    std::memcpy(buf, s.data(), end);
    std::memcpy(buf + end, s.data() + end + 1, 5);
    size_t n = 0;
    if (!parse_iso_timestamp(sv(buf, end + 5), ctx, t, flags, n) || n != end + 5) return false;
    used = end + 6;
    return true;
  }
  size_t n = 0;
  if (!parse_iso_timestamp(s.substr(0, end), ctx, t, flags, n) || n != end) return false;
  used = end;
  return true;
}

void skip_spaces(sv& s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
}

// "[1234] " (log_selector +pid) at the start of s.
void skip_pid(sv& s) {
  if (s.size() < 3 || s[0] != '[' || !is_digit(s[1])) return;
  size_t i = 1;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i < s.size() && s[i] == ']') {
    s.remove_prefix(i + 1);
    skip_spaces(s);
  }
}

// "exim[123]:" / "exim4:" as a syslog tag.
bool is_exim_tag(sv tok) {
  return tok.size() > 5 && tok.starts_with("exim") && tok.back() == ':';
}

bool is_exim_program(sv p) {
  return p.starts_with("exim");
}

// One field at the start of s, up to a space outside a quoted value (KEY="..."
// with backslash escapes); s moves past it and the spaces after.
sv next_field(sv& s) {
  size_t i = 0;
  bool quoted = false;
  while (i < s.size()) {
    char c = s[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ' ') {
      break;
    }
    ++i;
  }
  if (i > s.size()) i = s.size();
  sv f = s.substr(0, i);
  s.remove_prefix(i);
  skip_spaces(s);
  return f;
}

// KEY= at the start of a field: letters and digits, then '='.
bool field_key(sv f, sv& key, sv& value) {
  size_t i = 0;
  while (i < f.size() && i < 12 && is_alnum(f[i])) ++i;
  if (i == 0 || i >= f.size() || f[i] != '=') return false;
  key = f.substr(0, i);
  value = f.substr(i + 1);
  return true;
}

sv unquote(sv v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  return v;
}

sv unbracket(sv v) {
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') return v.substr(1, v.size() - 2);
  return v;
}

// An envelope sender: "<>" (a bounce) is kept as logged, other brackets go.
sv sender_of(sv v) {
  return v == "<>" ? v : unbracket(v);
}

// "[ip]" or "[ip]:port" (a trailing ':' of the text after it allowed).
bool read_bracket_addr(sv f, IpAddr& ip, uint16_t& port) {
  if (f.size() < 3 || f[0] != '[') return false;
  size_t close = f.find(']');
  if (close == sv::npos || !parse_ip(f.substr(1, close - 1), ip)) return false;
  port = 0;
  sv rest = f.substr(close + 1);
  if (!rest.empty() && rest.back() == ':') rest.remove_suffix(1);
  if (rest.size() > 1 && (rest[0] == ':' || rest[0] == '.')) parse_number(rest.substr(1), port);
  return true;
}

// A host as Exim writes it after H= or "from": [NAME] [(HELO)] [IP]:PORT, each
// part optional but at least one. s moves past it.
struct Host {
  sv name, helo, text;
  bool has_ip = false;
  bool colon_end = false;  // "[ip]:port:": the explanation text follows
  IpAddr ip;
  uint16_t port = 0;
};

bool read_host(sv& s, Host& h) {
  const char* start = s.data();
  if (!s.empty() && s[0] != '(' && s[0] != '[') h.name = next_field(s);
  if (!s.empty() && s[0] == '(') {
    // The HELO name may hold spaces: it ends at ") [" or ") " at the end.
    size_t close = s.find(") [");
    if (close == sv::npos) close = s.find(')');
    if (close == sv::npos) return false;
    h.helo = s.substr(1, close - 1);
    s.remove_prefix(close + 1);
    skip_spaces(s);
  }
  if (!s.empty() && s[0] == '[') {
    sv save = s;
    sv f = next_field(s);
    if (read_bracket_addr(f, h.ip, h.port)) {
      h.has_ip = true;
      h.colon_end = f.back() == ':';
    } else {
      s = save;
    }
  }
  // "H=[ip]" alone has no name: a name in brackets is the address.
  h.text = sv(start, size_t(s.data() - start));
  while (!h.text.empty() && (h.text.back() == ' ' || h.text.back() == ':')) h.text.remove_suffix(1);
  return !h.name.empty() || !h.helo.empty() || h.has_ip;
}

void set_client(MailEvent& out, const Host& h) {
  out.client_name = h.name;
  out.helo = h.helo;
  if (h.has_ip) {
    out.has_client = true;
    out.client = h.ip;
    out.client_port = h.port;
  }
}

void set_relay(MailEvent& out, const Host& h) {
  out.relay = h.text;
  if (h.has_ip) {
    out.has_relay_ip = true;
    out.relay_ip = h.ip;
    out.relay_port = h.port;
  }
}

// The id a next hop named in its reply: "id=MSGID" or "queued as ID".
sv find_next_id(sv c) {
  for (size_t at = c.find("id="); at != sv::npos; at = c.find("id=", at + 3)) {
    if (at > 0 && is_alnum(c[at - 1])) continue;
    sv rest = c.substr(at + 3);
    size_t n = message_id_len(rest);
    if (n) return rest.substr(0, n);
  }
  size_t q = c.find("queued as ");
  if (q != sv::npos) {
    sv rest = c.substr(q + 10);
    size_t n = 0;
    while (n < rest.size() && (is_alnum(rest[n]) || rest[n] == '-' || rest[n] == '_' ||
                               rest[n] == '.' || rest[n] == '@'))
      ++n;
    while (n > 0 && rest[n - 1] == '.') --n;
    if (n) return rest.substr(0, n);
  }
  return {};
}

// Past KEY=VALUE fields (I=, Ci=, X=...) to the text after them; a field
// ending in ':' ends them.
sv skip_fields(sv s) {
  while (!s.empty()) {
    sv save = s;
    sv f = next_field(s);
    sv key, value;
    if (!field_key(f, key, value)) return save;
    if (value.size() > 1 && value.back() == ':' && value.front() != '"') return s;
  }
  return s;
}

// The rejectlog's copy of a refused message's envelope and headers:
// "Envelope-to: <b>", "P Received: ...", "I Message-ID: ..." (a flag
// character, a space, the header's name).
bool is_rejectlog_header(sv text) {
  if (text.starts_with("Envelope-from: ") || text.starts_with("Envelope-to: ")) return true;
  if (text.size() < 4 || text[1] != ' ' || text[0] == ' ') return false;
  sv rest = text.substr(2);
  sv name = next_field(rest);
  if (name.size() < 2 || name.back() != ':') return false;
  for (char c : name.substr(0, name.size() - 1))
    if (!is_alnum(c) && c != '-' && c != '_') return false;
  return true;
}

class EximParser final : public MailParser {
 public:
  explicit EximParser(const ParseContext& ctx) : ctx_(ctx) {
    if (ctx.source) host_ = ctx.source->host;
  }

  LineResult parse(const Line& line, MailEvent& out) override {
    sv text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    out.clear();
    if (text.empty() || trim(text).empty()) return LineResult::skip("empty line");
    if (text[0] == ' ' || text[0] == '\t') return LineResult::skip("continuation line");
    out.service = "exim";
    out.device = host_;
    sv body;
    if (looks_like_date(text)) {
      size_t used = 0;
      if (!parse_exim_date(text, ctx_, out.time, out.time_flags, used))
        return LineResult::malformed("bad timestamp");
      body = text.substr(used);
      skip_spaces(body);
      skip_pid(body);
      // syslog-ng's "DATE HOST exim[pid]: ...".
      sv probe = body;
      sv host = next_field(probe);
      sv tag = next_field(probe);
      if (!host.empty() && is_exim_tag(tag) && host.find('=') == sv::npos) {
        out.device = host;
        body = probe;
        if (!take_inner_date(body, out)) return LineResult::malformed("bad timestamp");
      }
    } else {
      // "HOST exim[pid]: DATE ..." (journal export).
      sv probe = text;
      sv host = next_field(probe);
      sv tag = next_field(probe);
      if (is_exim_tag(tag) && looks_like_date(probe)) {
        size_t used = 0;
        if (!parse_exim_date(probe, ctx_, out.time, out.time_flags, used))
          return LineResult::malformed("bad timestamp");
        out.device = host;
        body = probe.substr(used);
        skip_spaces(body);
        skip_pid(body);
      } else {
        SyslogHeader h;
        const char* why = "";
        if (!parse_syslog_header(text, ctx_, h, &why)) return no_date(text);
        out.time = h.time;
        out.time_flags = h.time_flags;
        if (!is_exim_program(h.program)) return LineResult::foreign("not an exim line");
        out.device = h.host;
        body = h.message;
        if (!take_inner_date(body, out)) return LineResult::malformed("bad timestamp");
      }
    }
    while (!body.empty() && body.back() == ' ') body.remove_suffix(1);
    if (body.empty()) return LineResult::malformed("no message after the date");
    return parse_body(body, out);
  }

  // Mainlog lines: the date alone. Other forms take the full parse.
  LineResult parse_time(const Line& line, MailEvent& out) override {
    sv text = line.text;
    if (!looks_like_date(text)) return parse(line, out);
    out.clear();
    size_t used = 0;
    if (!parse_exim_date(text, ctx_, out.time, out.time_flags, used))
      return LineResult::malformed("bad timestamp");
    sv probe = text.substr(used);
    skip_spaces(probe);
    skip_pid(probe);
    next_field(probe);
    if (is_exim_tag(next_field(probe))) return parse(line, out);
    out.time_key = uint8_t(used);  // "2026-04-23 16:19:00[.mmm][ +hhmm]"
    return LineResult::skip("not examined beyond its time");
  }

 private:
  // Exim's own date (and [pid]) after a syslog tag, when it wrote one: it
  // has the year and, with +millisec, the milliseconds, so it wins.
  bool take_inner_date(sv& body, MailEvent& out) {
    skip_spaces(body);
    skip_pid(body);
    if (!looks_like_date(body)) return true;
    size_t used = 0;
    uint8_t flags = 0;
    Instant t;
    if (!parse_exim_date(body, ctx_, t, flags, used)) return false;
    out.time = t;
    out.time_flags = flags;
    body.remove_prefix(used);
    skip_spaces(body);
    skip_pid(body);
    return true;
  }

  // A line without a date: rejectlog header lines, or not Exim's at all.
  static LineResult no_date(sv text) {
    if (text[0] == '#') return LineResult::malformed("no timestamp (a comment line)");
    if (text.starts_with("Envelope-from: ") || text.starts_with("Envelope-to: "))
      return LineResult::skip("rejectlog envelope line");
    if (is_rejectlog_header(text)) return LineResult::skip("rejectlog header line");
    return LineResult::malformed("no timestamp");
  }

  LineResult parse_body(sv body, MailEvent& out) {
    size_t idlen = message_id_len(body);
    if (idlen) {
      out.queue_id = body.substr(0, idlen);
      sv rest = body.substr(idlen);
      skip_spaces(rest);
      if (rest.size() == 2 || (rest.size() >= 3 && rest[2] == ' ')) {
        sv mark = rest.substr(0, 2);
        sv after = rest.substr(std::min<size_t>(3, rest.size()));
        if (mark == "<=") return parse_arrival(after, out);
        if (mark == "=>" || mark == "->" || mark == "*>" || mark == "**" || mark == "==")
          return parse_delivery(mark, after, out);
      }
      if (rest == "Completed" || rest.starts_with("Completed ")) {
        out.action = MailAction::completed;
        return LineResult::record();
      }
      if ((rest.starts_with("H=") || rest.starts_with("F=")) && rest.find(" rejected") != sv::npos)
        return parse_rejection(rest, out);
      if (rest.starts_with("rejected from ")) return parse_rejected_from(rest, out);
      out.queue_id = {};
      if (rest.starts_with("SMTP connection from ")) return parse_connection(rest.substr(21), out);
      return LineResult::skip("message status line");
    }
    if (body.starts_with("H=")) {
      if (body.find(" rejected ") != sv::npos || body.find(" dropped") != sv::npos)
        return parse_rejection(body, out);
      return LineResult::skip("host notice");
    }
    size_t af = body.find(" authenticator failed for ");
    if (af != sv::npos && body.substr(0, af).find(' ') == sv::npos)
      return parse_auth_failed(body.substr(0, af), body.substr(af + 26), out);
    if (body.starts_with("SMTP connection from ")) return parse_connection(body.substr(21), out);
    if (body.starts_with("SMTP call from ")) return parse_call(body.substr(15), out);
    if (body.starts_with("SMTP protocol error in ")) return parse_protocol_error(body, out);
    if (body.starts_with("SMTP protocol synchronization error")) return parse_sync_error(body, out);
    if (body.starts_with("rejected EHLO from ") || body.starts_with("rejected HELO from "))
      return parse_bad_helo(body, out);
    for (sv lead : {sv("no MAIL in SMTP connection from "),
                    sv("unexpected disconnection while reading SMTP command from "),
                    sv("SMTP command timeout on connection from "),
                    sv("SMTP command timeout on TLS connection from "),
                    sv("SMTP data timeout (message abandoned) on connection from "),
                    sv("SMTP incomplete message (no terminating dot) on connection from ")}) {
      if (body.starts_with(lead)) return parse_lost(lead, body.substr(lead.size()), out);
    }
    return LineResult::skip("notice without a message id");
  }

  // ID <= SENDER fields... [for RCPT ...]
  LineResult parse_arrival(sv s, MailEvent& out) {
    out.action = MailAction::received;
    sv sender = next_field(s);
    if (sender.empty()) return LineResult::malformed("arrival without a sender");
    out.from = sender_of(sender);
    sv local_user;
    while (!s.empty()) {
      if (s.starts_with("for ")) {
        s.remove_prefix(4);
        sv first = next_field(s);
        out.to = first;
        uint32_t n = 1;
        while (!s.empty()) {
          next_field(s);
          ++n;
        }
        out.nrcpt = n;
        break;
      }
      if (s.starts_with("H=")) {
        s.remove_prefix(2);
        Host h;
        if (!read_host(s, h)) return LineResult::malformed("arrival with an unreadable H=");
        set_client(out, h);
        continue;
      }
      sv f = next_field(s);
      sv key, value;
      if (!field_key(f, key, value)) continue;
      if (key == "P") {
        out.protocol = value;
      } else if (key == "A") {
        size_t colon = value.find(':');
        out.auth_method = value.substr(0, colon);
        if (colon != sv::npos) out.user = value.substr(colon + 1);
      } else if (key == "U") {
        local_user = value;
      } else if (key == "S") {
        out.has_size = parse_number(value, out.size);
      } else if (key == "id") {
        out.message_id = value;
      } else if (key == "T") {
        out.subject = unquote(value);
      }
    }
    if (out.auth_method.empty() && !local_user.empty() && out.protocol.starts_with("local"))
      out.user = local_user;
    return LineResult::record();
  }

  // ID => TO [(PARENT)] [<ORIG>] fields... [: TEXT]
  LineResult parse_delivery(sv mark, sv s, MailEvent& out) {
    out.action = MailAction::delivery;
    sv to = next_field(s);
    if (to.empty()) return LineResult::malformed("delivery without a recipient");
    sv detail;
    bool ends = false;
    if (to.size() > 1 && to.back() == ':') {
      to.remove_suffix(1);
      ends = true;
    }
    out.to = unbracket(to);
    sv parent, transport;
    while (!ends && !s.empty()) {
      if (s[0] == '(' || s[0] == '<') {
        sv f = next_field(s);
        if (f.size() > 1 && f.back() == ':') {
          f.remove_suffix(1);
          ends = true;
        }
        if (f[0] == '<')
          out.orig_to = unbracket(f);
        else if (f.size() >= 2 && f.back() == ')')
          parent = f.substr(1, f.size() - 2);
        continue;
      }
      if (s.starts_with("H=")) {
        s.remove_prefix(2);
        Host h;
        if (!read_host(s, h)) return LineResult::malformed("delivery with an unreadable H=");
        set_relay(out, h);
        if (h.colon_end) ends = true;  // "H=mx [ip]:25: TEXT"
        continue;
      }
      sv save = s;
      sv f = next_field(s);
      sv key, value;
      if (field_key(f, key, value)) {
        bool last = false;
        if (value.size() > 0 && value.back() == ':' && value.front() != '"') {
          value.remove_suffix(1);
          last = true;
        }
        if (key == "T")
          transport = value;
        else if (key == "C")
          detail = unquote(value);
        if (last) ends = true;
        continue;
      }
      // A bare flag ("K": CHUNKING was used, "*": a host that was tried last
      // time) is not an explanation.
      if (f.size() <= 2 && f.back() != ':') continue;
      // Not a field: the explanation ("defer (-53): retry time not reached"),
      // or "defer (-44) H=mx [ip]:25: SMTP error ...", which names the host.
      s = save;
      if (s.starts_with("defer (")) {
        size_t close = s.find(") H=");
        if (close != sv::npos) {
          sv rest = s.substr(close + 4);
          Host h;
          if (read_host(rest, h) && h.colon_end) {
            set_relay(out, h);
            s = rest;
          }
        }
      }
      break;
    }
    skip_spaces(s);
    // A success's explanation is its C= reply; a failure's the text at the end.
    if (!s.empty() && (detail.empty() || mark == "**" || mark == "==")) detail = s;
    if (out.orig_to.empty()) out.orig_to = parent;
    if (out.relay.empty()) out.relay = transport;
    if (mark == "=>" || mark == "->") {
      out.status = out.has_relay_ip ? "sent" : "delivered";
      out.next_id = find_next_id(detail);
    } else if (mark == "*>") {
      out.status = "suppressed";
    } else if (mark == "**") {
      out.status = detail.find("retry timeout exceeded") != sv::npos ? "expired" : "bounced";
    } else {
      out.status = "deferred";
    }
    out.detail = detail;
    return LineResult::record();
  }

  // [H=CLIENT] [F=<a>] ... [temporarily ]rejected WHAT: TEXT
  LineResult parse_rejection(sv s, MailEvent& out) {
    out.action = MailAction::rejected;
    while (!s.empty()) {
      if (s.starts_with("H=")) {
        s.remove_prefix(2);
        Host h;
        if (!read_host(s, h)) return LineResult::malformed("rejection with an unreadable H=");
        set_client(out, h);
        continue;
      }
      if (s.starts_with("rejected ") || s.starts_with("temporarily rejected ") ||
          s.starts_with("dropped"))
        break;
      sv f = next_field(s);
      sv key, value;
      if (field_key(f, key, value) && key == "F") out.from = sender_of(value);
    }
    if (s.empty()) return LineResult::malformed("rejection without its reason");
    sv what = s;
    size_t sp = what.find(' ', what.starts_with("temporarily ") ? 21 : 9);
    sv after = sp == sv::npos ? sv{} : what.substr(sp + 1);
    if (s.starts_with("rejected RCPT ") || s.starts_with("temporarily rejected RCPT ")) {
      sv rcpt = next_field(after);
      if (!rcpt.empty() && rcpt.back() == ':') rcpt.remove_suffix(1);
      out.to = unbracket(rcpt);
    } else if (s.starts_with("rejected MAIL ") || s.starts_with("temporarily rejected MAIL ")) {
      sv mail = next_field(after);
      if (!mail.empty() && mail.back() == ':') mail.remove_suffix(1);
      if (out.from.empty()) out.from = sender_of(mail);
    }
    out.detail = s;
    return LineResult::record();
  }

  // ID rejected from <a> [H=CLIENT]: TEXT (a message refused after it got an
  // id, e.g. over message_size_limit).
  LineResult parse_rejected_from(sv s, MailEvent& out) {
    out.action = MailAction::rejected;
    out.detail = s;
    sv rest = s.substr(14);
    sv from = next_field(rest);
    if (!from.empty() && from.back() == ':') from.remove_suffix(1);
    out.from = sender_of(from);
    if (rest.starts_with("H=")) {
      rest.remove_prefix(2);
      Host h;
      if (read_host(rest, h)) set_client(out, h);
    }
    return LineResult::record();
  }

  // NAME authenticator failed for CLIENT[ I=..][ Ci=..]: TEXT[ (set_id=USER)]
  LineResult parse_auth_failed(sv method, sv s, MailEvent& out) {
    out.action = MailAction::auth_failed;
    out.auth_method = method;
    Host h;
    if (!read_host(s, h)) return LineResult::malformed("authenticator failure without a client");
    set_client(out, h);
    out.detail = h.colon_end ? s : skip_fields(s);
    if (out.detail.empty())
      return LineResult::malformed("authenticator failure without its reason");
    size_t set_id = out.detail.rfind(" (set_id=");
    if (set_id != sv::npos && out.detail.back() == ')') {
      out.user = out.detail.substr(set_id + 9, out.detail.size() - set_id - 10);
      out.detail = out.detail.substr(0, set_id);
    }
    return LineResult::record();
  }

  // SMTP connection from CLIENT ... (TCP/IP connection count = N) | closed by .. | lost ..
  LineResult parse_connection(sv s, MailEvent& out) {
    Host h;
    if (!read_host(s, h)) return LineResult::malformed("connection line without a client");
    set_client(out, h);
    s = skip_fields(s);
    if (s.starts_with("(TCP/IP connection count") || s.empty()) {
      out.action = MailAction::connect;
      return LineResult::record();
    }
    if (s.starts_with("closed") || s.starts_with("lost") || s.starts_with("D=")) {
      out.action = MailAction::disconnect;
      out.detail = s;
      return LineResult::record();
    }
    if (s.starts_with("refused") || s.starts_with("rejected")) {
      out.action = MailAction::rejected;
      out.detail = s;
      return LineResult::record();
    }
    out.action = MailAction::disconnect;
    out.detail = s;
    return LineResult::record();
  }

  // SMTP call from CLIENT [fields] dropped: TEXT
  LineResult parse_call(sv s, MailEvent& out) {
    Host h;
    if (!read_host(s, h)) return LineResult::malformed("SMTP call line without a client");
    set_client(out, h);
    size_t d = s.find("dropped");
    if (d == sv::npos) return LineResult::skip("SMTP call notice");
    out.action = MailAction::rejected;
    out.detail = s.substr(d);
    return LineResult::record();
  }

  // SMTP protocol error in "CMD" H=CLIENT [fields] TEXT
  LineResult parse_protocol_error(sv body, MailEvent& out) {
    // The last H=: the command in quotes is the client's text and may hold one.
    size_t h_at = body.rfind(" H=");
    if (h_at == sv::npos) return LineResult::malformed("protocol error without a client");
    sv s = body.substr(h_at + 3);
    Host h;
    if (!read_host(s, h)) return LineResult::malformed("protocol error without a client");
    set_client(out, h);
    s = skip_fields(s);
    out.action = MailAction::rejected;
    out.detail = s.empty() ? body.substr(0, h_at) : s;
    return LineResult::record();
  }

  // SMTP protocol synchronization error (...): rejected [connection from|"CMD"] H=CLIENT ...
  LineResult parse_sync_error(sv body, MailEvent& out) {
    size_t h_at = body.find(" H=");
    if (h_at == sv::npos) return LineResult::malformed("synchronization error without a client");
    sv s = body.substr(h_at + 3);
    Host h;
    if (!read_host(s, h)) return LineResult::malformed("synchronization error without a client");
    set_client(out, h);
    out.action = MailAction::rejected;
    size_t colon = body.find("): ");
    out.detail =
        colon != sv::npos && colon < h_at ? body.substr(0, colon + 1) : body.substr(0, h_at);
    return LineResult::record();
  }

  // rejected EHLO from [ip]: syntactically invalid argument(s): TEXT
  LineResult parse_bad_helo(sv body, MailEvent& out) {
    sv s = body.substr(19);
    Host h;
    if (!read_host(s, h)) return LineResult::malformed("rejected HELO without a client");
    set_client(out, h);
    out.action = MailAction::rejected;
    out.detail = body;
    return LineResult::record();
  }

  // LEAD CLIENT [fields] [D=..] [C=..]: the client went away.
  LineResult parse_lost(sv lead, sv s, MailEvent& out) {
    Host h;
    if (!read_host(s, h)) return LineResult::malformed("disconnection without a client");
    set_client(out, h);
    out.action = MailAction::disconnect;
    lead.remove_suffix(lead.ends_with(" from ") ? 6 : 0);
    out.detail = lead;
    return LineResult::record();
  }

  const ParseContext& ctx_;
  sv host_;
};

// 3: a line tagged exim[pid]: in syslog; 2: a line only Exim writes; 1: an
// Exim date with other text; 0: neither.
int sniff_line(sv line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  sv body;
  if (looks_like_date(line)) {
    size_t end = 19;
    while (end < line.size() && line[end] != ' ') ++end;
    body = line.substr(std::min(end + 1, line.size()));
    if (body.size() > 5 && (body[0] == '+' || body[0] == '-') && is_digit(body[1]))
      body.remove_prefix(std::min<size_t>(6, body.size()));
    skip_pid(body);
    sv probe = body;
    next_field(probe);
    if (is_exim_tag(next_field(probe))) return 3;
  } else {
    size_t at = line.find(" exim");
    if (at == sv::npos || at > 64) return 0;
    sv tag = line.substr(at + 1);
    sv t = next_field(tag);
    if (!is_exim_tag(t)) return 0;
    return 3;
  }
  size_t idlen = message_id_len(body);
  if (idlen) {
    sv rest = body.substr(idlen);
    if (rest.starts_with(" <= ") || rest.starts_with(" => ") || rest.starts_with(" -> ") ||
        rest.starts_with(" ** ") || rest.starts_with(" == ") || rest.starts_with(" *> ") ||
        rest == " Completed" || rest.starts_with(" Message is frozen") || rest.starts_with(" H=") ||
        rest.starts_with(" F=") || rest.starts_with(" SMTP "))
      return 2;
    return 1;
  }
  if (body.starts_with("H=") || body.starts_with("SMTP connection from ") ||
      body.starts_with("SMTP call from ") || body.starts_with("SMTP protocol ") ||
      body.starts_with("Start queue run: ") || body.starts_with("End queue run: ") ||
      body.starts_with("no MAIL in SMTP connection from ") ||
      body.find(" authenticator failed for ") != sv::npos)
    return 2;
  return 1;
}

int sniff(std::string_view head, const char** why) {
  size_t strong = 0, dated = 0, lines = 0, tagged = 0;
  for_each_head_line(head, 400, [&](sv line) {
    if (line.empty() || line[0] == '#' || line[0] == ' ' || line[0] == '\t') return;
    if (is_rejectlog_header(line)) return;
    ++lines;
    int k = sniff_line(line);
    if (k >= 2) ++strong;
    if (k == 3) ++tagged;
    if (k >= 1) ++dated;
  });
  if (strong >= 2 && strong * 3 >= lines) {
    *why = tagged * 2 > strong
               ? "Exim lines through syslog (exim[pid]: tag)"
               : "Exim mainlog lines (message ids with <= => ** Completed, H=, authenticator "
                 "failed)";
    return 85;
  }
  if (tagged >= 2) {
    *why = "exim[pid]: lines among other programs' syslog lines";
    return 60;
  }
  if (strong >= 1 && dated * 2 >= lines) {
    *why = "an Exim line among Exim-dated lines";
    return 50;
  }
  *why = "no Exim mainlog line";
  return 0;
}

std::unique_ptr<MailParser> make(const ParseContext& ctx) {
  return std::make_unique<EximParser>(ctx);
}

}  // namespace

const FormatInfo& exim_format() {
  static const FormatInfo info{
      .name = "exim",
      .family = Family::smtp,
      .summary = "Exim mainlog, rejectlog and paniclog (also through syslog)",
      .sniff = sniff,
      .make_mail = make};
  return info;
}

}  // namespace tracekit::formats

// Microsoft Exchange message tracking logs (MSGTRK*.LOG, MSGTRKMS*.LOG, ...):
// CSV, one event of one message a line, under a W3C-style header.
//
//   #Software: Microsoft Exchange Server
//   #Log-type: Message Tracking Log
//   #Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,...
//   2026-04-23T15:19:00.123Z,192.0.2.10,ws1.example.org,198.51.100.5,MBX1,08DE...;...;0,
//   MBX1\Client Frontend MBX1,SMTP,RECEIVE,72057594037927937,<a@example.org>,...
//
// date-time is ISO 8601 UTC. Columns are found by name from #Fields: Exchange
// 2010 writes date-time ... message-id,recipient-address,... (26 columns),
// 2013 and later add network-message-id after message-id and transport-
// traffic-type, log-id, schema-version at the end. Files without #Fields
// (extracts) are read in the 2013+ order when a row has 28 columns or more,
// else in the 2010 order. Fields holding commas are quoted, quotes doubled
// (RFC 4180). recipient-address and recipient-status are ';'-separated lists:
// one line is one event of the message, so `to` holds the list as logged.
//
// The server that writes the log is the local one: server-hostname for
// RECEIVE and DELIVER (the receiving side), client-hostname for SEND (the
// sending side; server-ip/server-hostname then name the next hop). Exchange
// logs its own name there in short form, so both name the same `device`.
//
// Mapping (event-id):
//   RECEIVE -> received: queue_id internal-message-id, message_id, size
//     total-bytes, nrcpt recipient-count, to recipient-address, protocol the
//     source (SMTP, STOREDRIVER). The client is original-client-ip when logged:
//     behind the Front End Transport proxy the Transport service's client-ip is
//     the proxy itself, and for STOREDRIVER (a mailbox user submitting through
//     Outlook, OWA, EWS) client-ip is the mailbox server while original-client-
//     ip is the address the user connected from. client_name is then custom-
//     data's S:ProxiedClientHostname when logged; otherwise client-ip and
//     client-hostname. The tracking log names no authenticated account
//     (sender-address is a header address and may be Send As), so user stays
//     empty.
//   SEND, SENDEXTERNAL -> delivery "sent": relay server-hostname, relay_ip
//     server-ip; detail the remote's answer (source-context) or
//     recipient-status; next_id the remote's id in that answer
//     ("[InternalId=N," of another Exchange, "queued as X", "id=X").
//   DELIVER -> "delivered", FAIL -> "failed", DEFER -> "deferred", DSN ->
//     "notification", DROP -> "dropped", BADMAIL -> "badmail"; detail
//     recipient-status.
//   TRANSFER (recipients moved to a forked copy: content conversion, recipient
//     limits, agents) -> delivery "transferred" with queue_id the original
//     (reference) and next_id the fork (internal-message-id), so that the
//     message is followed into the fork.
//   Every other event (SUBMIT, NOTIFYMAPI, AGENTINFO, HA*, EXPAND, RESOLVE,
//     REDIRECT, RESUBMIT, POISONMESSAGE, DUPLICATE*, ...) -> skip: they record
//     no hand-over, no delivery and no change of id.
// `from` is return-path (the MAIL FROM address) when logged, else
// sender-address; "<>" (the null sender) gives an empty from. message-subject
// goes to `subject` only. Header lines are skipped; the rows of a file whose
// #Log-type is another Exchange log (SMTP protocol logs share the header) are
// foreign.
#include <array>
#include <charconv>

#include "format_list.h"
#include "tracekit/net.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

enum Col : int8_t {
  kDateTime,
  kClientIp,
  kClientHostname,
  kServerIp,
  kServerHostname,
  kSourceContext,
  kConnectorId,
  kSource,
  kEventId,
  kInternalMessageId,
  kMessageId,
  kRecipientAddress,
  kRecipientStatus,
  kTotalBytes,
  kRecipientCount,
  kReference,
  kMessageSubject,
  kSenderAddress,
  kReturnPath,
  kOriginalClientIp,
  kCustomData,
  kCols,
  kNone = -1
};

Col col_of(std::string_view name) {
  name = trim(name);
  if (name == "date-time") return kDateTime;
  if (name == "client-ip") return kClientIp;
  if (name == "client-hostname") return kClientHostname;
  if (name == "server-ip") return kServerIp;
  if (name == "server-hostname") return kServerHostname;
  if (name == "source-context") return kSourceContext;
  if (name == "connector-id") return kConnectorId;
  if (name == "source") return kSource;
  if (name == "event-id") return kEventId;
  if (name == "internal-message-id") return kInternalMessageId;
  if (name == "message-id") return kMessageId;
  if (name == "recipient-address") return kRecipientAddress;
  if (name == "recipient-status") return kRecipientStatus;
  if (name == "total-bytes") return kTotalBytes;
  if (name == "recipient-count") return kRecipientCount;
  if (name == "reference") return kReference;
  if (name == "message-subject") return kMessageSubject;
  if (name == "sender-address") return kSenderAddress;
  if (name == "return-path") return kReturnPath;
  if (name == "original-client-ip") return kOriginalClientIp;
  if (name == "custom-data") return kCustomData;
  return kNone;
}

constexpr std::array<std::string_view, 26> kLayout2010 = {
    "date-time",          "client-ip",           "client-hostname", "server-ip",
    "server-hostname",    "source-context",      "connector-id",    "source",
    "event-id",           "internal-message-id", "message-id",      "recipient-address",
    "recipient-status",   "total-bytes",         "recipient-count", "related-recipient-address",
    "reference",          "message-subject",     "sender-address",  "return-path",
    "message-info",       "directionality",      "tenant-id",       "original-client-ip",
    "original-server-ip", "custom-data"};

constexpr std::array<std::string_view, 30> kLayout2013 = {"date-time",
                                                          "client-ip",
                                                          "client-hostname",
                                                          "server-ip",
                                                          "server-hostname",
                                                          "source-context",
                                                          "connector-id",
                                                          "source",
                                                          "event-id",
                                                          "internal-message-id",
                                                          "message-id",
                                                          "network-message-id",
                                                          "recipient-address",
                                                          "recipient-status",
                                                          "total-bytes",
                                                          "recipient-count",
                                                          "related-recipient-address",
                                                          "reference",
                                                          "message-subject",
                                                          "sender-address",
                                                          "return-path",
                                                          "message-info",
                                                          "directionality",
                                                          "tenant-id",
                                                          "original-client-ip",
                                                          "original-server-ip",
                                                          "custom-data",
                                                          "transport-traffic-type",
                                                          "log-id",
                                                          "schema-version"};

constexpr size_t kMaxFields = 64;

struct Field {
  std::string_view text;
  bool doubled = false;  // quoted with "" inside: needs unquoting
};

// Splits one CSV row; quotes removed, "" left doubled (flagged). Returns the
// number of fields, 0 for an unterminated quote.
size_t split_csv(std::string_view s, std::array<Field, kMaxFields>& f) {
  size_t n = 0, i = 0;
  while (n < kMaxFields) {
    if (i < s.size() && s[i] == '"') {
      size_t b = i + 1, e = b;
      bool doubled = false;
      for (;;) {
        while (e < s.size() && s[e] != '"') ++e;
        if (e >= s.size()) return 0;
        if (e + 1 < s.size() && s[e + 1] == '"') {
          e += 2;
          doubled = true;
          continue;
        }
        break;
      }
      f[n++] = {s.substr(b, e - b), doubled};
      i = e + 1;
      while (i < s.size() && s[i] != ',') ++i;
    } else {
      size_t e = i;
      while (e < s.size() && s[e] != ',') ++e;
      f[n++] = {s.substr(i, e - i), false};
      i = e;
    }
    if (i >= s.size()) break;
    ++i;
  }
  return n;
}

// "<a@example.org>" -> "a@example.org"; "<>" -> "".
std::string_view strip_angles(std::string_view s) {
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') return s.substr(1, s.size() - 2);
  return s;
}

// The id a remote server gave the message in its answer to DATA, if any.
std::string_view remote_id(std::string_view answer) {
  auto token_after = [&](std::string_view key) -> std::string_view {
    size_t p = answer.find(key);
    if (p == std::string_view::npos) return {};
    size_t b = p + key.size(), e = b;
    while (e < answer.size() && answer[e] != ' ' && answer[e] != ',' && answer[e] != ']' &&
           answer[e] != ';' && answer[e] != ')')
      ++e;
    return answer.substr(b, e - b);
  };
  if (auto id = token_after("InternalId="); !id.empty()) return id;
  if (auto id = token_after("queued as "); !id.empty()) return id;
  return token_after(" id=");
}

class ExchangeMsgtrackParser final : public MailParser {
 public:
  explicit ExchangeMsgtrackParser(const ParseContext& ctx) : ctx_(ctx) { cols_.fill(kNone); }

  LineResult parse(const Line& line, MailEvent& out) override {
    std::string_view text = line.text;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return LineResult::skip("empty line");
    out.clear();
    if (text[0] == '#') return read_header(text);
    if (!is_tracking_) return LineResult::foreign("not a message tracking log (#Log-type)");
    size_t n = split_csv(text, fields_);
    if (n == 0) return LineResult::malformed("unterminated quoted field");
    if (!has_layout_) use_default_layout(n);
    used_ = 0;
    std::array<std::string_view, kCols> v{};
    for (size_t i = 0; i < n && i < kMaxFields; ++i) {
      Col c = cols_[i];
      if (c == kNone) continue;
      v[c] = fields_[i].doubled ? unquote(fields_[i].text) : fields_[i].text;
    }
    size_t used = 0;
    uint8_t flags = 0;
    if (!parse_iso_timestamp(v[kDateTime], ctx_, out.time, flags, used) ||
        used != v[kDateTime].size()) {
      out.time = kNoTime;
      return LineResult::malformed("bad date-time");
    }
    out.time_flags = flags;
    if (n <= size_t(event_col_)) return LineResult::malformed("truncated row: no event-id column");
    return build(v, out);
  }

 private:
  LineResult read_header(std::string_view text) {
    if (text.starts_with("#Fields:")) {
      read_fields(text.substr(8));
    } else if (text.starts_with("#Log-type:")) {
      is_tracking_ = trim(text.substr(10)) == "Message Tracking Log";
    }
    return LineResult::skip("header line");
  }

  void read_fields(std::string_view names) {
    cols_.fill(kNone);
    size_t i = 0;
    while (i < kMaxFields) {
      std::string_view name = next_token(names, ',');
      Col c = col_of(name);
      cols_[i] = c;
      if (c == kEventId) event_col_ = int(i);
      ++i;
      if (names.empty()) break;
    }
    has_layout_ = true;
  }

  void use_default_layout(size_t n) {
    cols_.fill(kNone);
    auto apply = [&](const auto& layout) {
      for (size_t i = 0; i < layout.size(); ++i) {
        cols_[i] = col_of(layout[i]);
        if (cols_[i] == kEventId) event_col_ = int(i);
      }
    };
    if (n >= 28)
      apply(kLayout2013);
    else
      apply(kLayout2010);
  }

  // A quoted field's text with "" made ", in the parser's buffer.
  std::string_view unquote(std::string_view s) {
    size_t start = used_;
    for (size_t i = 0; i < s.size() && used_ < buf_.size(); ++i) {
      buf_[used_++] = s[i];
      if (s[i] == '"' && i + 1 < s.size() && s[i + 1] == '"') ++i;
    }
    return {buf_.data() + start, used_ - start};
  }

  static void put_delivery(const std::array<std::string_view, kCols>& v, std::string_view status,
                           MailEvent& out) {
    out.action = MailAction::delivery;
    out.status = status;
    out.to = v[kRecipientAddress];
    out.detail = v[kRecipientStatus];
  }

  LineResult build(const std::array<std::string_view, kCols>& v, MailEvent& out) {
    std::string_view event = v[kEventId];
    if (event.empty()) return LineResult::malformed("empty event-id");
    out.service = "exchange";
    out.queue_id = v[kInternalMessageId];
    out.message_id = v[kMessageId];
    out.subject = v[kMessageSubject];
    out.from = strip_angles(v[kReturnPath].empty() ? v[kSenderAddress] : v[kReturnPath]);
    out.device = v[kServerHostname];
    if (!v[kTotalBytes].empty()) {
      if (!parse_number(v[kTotalBytes], out.size)) return LineResult::malformed("bad total-bytes");
      out.has_size = true;
    }
    if (!v[kRecipientCount].empty() && !parse_number(v[kRecipientCount], out.nrcpt))
      return LineResult::malformed("bad recipient-count");

    if (event == "RECEIVE") {
      out.action = MailAction::received;
      out.protocol = v[kSource];
      out.to = v[kRecipientAddress];
      if (!v[kOriginalClientIp].empty() && parse_ip(v[kOriginalClientIp], out.client)) {
        out.has_client = true;
        out.client_name = custom_value(v[kCustomData], "S:ProxiedClientHostname=");
      } else if (!v[kClientIp].empty()) {
        if (!parse_ip(v[kClientIp], out.client)) return LineResult::malformed("bad client-ip");
        out.has_client = true;
        out.client_name = v[kClientHostname];
      } else {
        out.client_name = v[kClientHostname];
      }
      return LineResult::record();
    }
    if (event == "SEND" || event == "SENDEXTERNAL") {
      put_delivery(v, "sent", out);
      out.device = v[kClientHostname];
      out.relay = v[kServerHostname];
      if (!v[kServerIp].empty()) {
        if (!parse_ip(v[kServerIp], out.relay_ip)) return LineResult::malformed("bad server-ip");
        out.has_relay_ip = true;
      }
      // 2013+ write the remote's answer there (";250 2.6.0 ...;ClientSubmitTime:");
      // 2010 the SMTP session id, which explains nothing.
      std::string_view answer = v[kSourceContext];
      if (answer.starts_with(';')) answer.remove_prefix(1);
      if (size_t p = answer.find(";ClientSubmitTime:"); p != std::string_view::npos)
        answer = answer.substr(0, p);
      if (answer.size() >= 4 && answer[0] >= '2' && answer[0] <= '5' && answer[3] == ' ') {
        out.detail = answer;
        out.next_id = remote_id(answer);
      }
      return LineResult::record();
    }
    if (event == "DELIVER") return put_delivery(v, "delivered", out), LineResult::record();
    if (event == "FAIL") return put_delivery(v, "failed", out), LineResult::record();
    if (event == "DEFER") return put_delivery(v, "deferred", out), LineResult::record();
    if (event == "DSN") return put_delivery(v, "notification", out), LineResult::record();
    if (event == "DROP") return put_delivery(v, "dropped", out), LineResult::record();
    if (event == "BADMAIL") return put_delivery(v, "badmail", out), LineResult::record();
    if (event == "TRANSFER") {
      put_delivery(v, "transferred", out);
      if (v[kReference].empty()) return LineResult::skip("TRANSFER without the original's id");
      out.queue_id = v[kReference];
      out.next_id = v[kInternalMessageId];
      return LineResult::record();
    }
    for (char c : event)
      if (!((c >= 'A' && c <= 'Z') || c == '_'))
        return LineResult::malformed("event-id not an upper-case word");
    return LineResult::skip("event records no hand-over, delivery or new id");
  }

  // The value of "KEY=" in custom-data's ';'-separated list.
  static std::string_view custom_value(std::string_view data, std::string_view key) {
    size_t p = data.find(key);
    if (p == std::string_view::npos) return {};
    std::string_view rest = data.substr(p + key.size());
    return rest.substr(0, rest.find(';'));
  }

  const ParseContext& ctx_;
  bool is_tracking_ = true;
  bool has_layout_ = false;
  int event_col_ = 8;
  std::array<Col, kMaxFields> cols_;
  std::array<Field, kMaxFields> fields_;
  std::array<char, 16384> buf_;
  size_t used_ = 0;
};

bool looks_like_row(std::string_view line) {
  // "2026-04-23T15:19:00.123Z," then a CSV row with an event-id column.
  if (line.size() < 25 || line[4] != '-' || line[10] != 'T' || line[23] != 'Z' || line[24] != ',')
    return false;
  static constexpr std::string_view kEvents[] = {
      ",RECEIVE,", ",SEND,",      ",DELIVER,",    ",SUBMIT,",    ",FAIL,",         ",DEFER,",
      ",DSN,",     ",HAREDIRECT", ",NOTIFYMAPI,", ",AGENTINFO,", ",SENDEXTERNAL,", ",TRANSFER,"};
  for (auto e : kEvents) {
    size_t p = line.find(e);
    if (p == std::string_view::npos) continue;
    // The source column comes right before event-id.
    std::string_view before = line.substr(0, p);
    size_t q = before.rfind(',');
    std::string_view source = q == std::string_view::npos ? before : before.substr(q + 1);
    if (source == "SMTP" || source == "STOREDRIVER" || source == "AGENT" || source == "ROUTING" ||
        source == "DSN" || source == "QUEUE" || source == "PICKUP" || source == "GATEWAY" ||
        source == "ADMIN" || source == "MAILBOXRULE" || source == "APPROVAL" ||
        source == "MEETINGMESSAGEPROCESSOR" || source == "ORAR" || source == "SAFETYNET")
      return true;
  }
  return false;
}

int sniff(std::string_view head, const char** why) {
  if (head.find("#Log-type: Message Tracking Log") != std::string_view::npos) {
    *why = "Exchange header #Log-type: Message Tracking Log";
    return 95;
  }
  if (head.find("#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,"
                "source-context,connector-id,source,event-id,") != std::string_view::npos) {
    *why = "Exchange message tracking #Fields";
    return 90;
  }
  size_t lines = 0, rows = 0;
  for_each_head_line(head, 50, [&](std::string_view line) {
    if (line.empty()) return;
    ++lines;
    if (looks_like_row(line)) ++rows;
  });
  if (rows > 0 && rows * 2 >= lines) {
    *why = "CSV rows with an ISO date-time and a tracking source,event-id pair";
    return 80;
  }
  *why = "no message tracking header or rows";
  return 0;
}

std::unique_ptr<MailParser> make(const ParseContext& ctx) {
  return std::make_unique<ExchangeMsgtrackParser>(ctx);
}

}  // namespace

const FormatInfo& exchange_msgtrack_format() {
  static const FormatInfo info{.name = "exchange-msgtrack",
                               .family = Family::smtp,
                               .summary = "Microsoft Exchange message tracking log (MSGTRK*.LOG)",
                               .sniff = sniff,
                               .make_mail = make};
  return info;
}

}  // namespace tracekit::formats

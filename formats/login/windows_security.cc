// Windows Security log logon and logoff events, exported as XML or JSON.
//
//   <Event
//   xmlns="http://schemas.microsoft.com/win/2004/08/events/event"><System>...<EventID>4624</EventID>...
//     <TimeCreated
//     SystemTime="2026-04-23T15:19:00.1234567Z"/>...<Computer>WS-LAB1-07.corp.example</Computer>
//     </System><EventData><Data Name="TargetUserName">jdoe</Data>...</EventData></Event>
//
// Events read: 4624 (an account logged on) -> login, 4634 (logged off) and
// 4647 (user-initiated logoff) -> logout, 4625 (failed to log on) -> failed;
// every other event (4672, 4648, Sysmon, firewall...) is skipped. Fields, named
// as in the event schema: TargetUserName (user), TargetDomainName (domain),
// WorkstationName (from, when not "-"), IpAddress (from_ip; "-" means none; from
// when there is no workstation name), LogonType (logon_type; place local for 2
// interactive, 7 unlock and 11 cached interactive, remote for 3 network, 8
// network cleartext, 10 remote interactive and 12 cached remote interactive,
// unknown for 4 batch, 5 service and 9 new credentials; service "rdp" for 10
// and 12, else "windows"), AuthenticationPackageName (method), TargetLogonId
// (session_key: a 4624 and the 4634/4647 of the same session carry the same
// id; ids are unique only between reboots of one computer, so it pairs
// together with host). The computer (System/Computer) is the host.
// Logons of SYSTEM, of machine accounts (names ending in '$'), and service
// logons (LogonType 5) are returned like any other: they are sessions on the
// machine too, and the login hop may filter them when it asks who sat there.
//
// Exports read:
// - XML: wevtutil qe Security /f:xml, Get-WinEvent's ToXml(), Event Viewer's
//   "Copy details" (XML view, one element per line, "- " fold markers). An
//   event may span lines (it is returned when </Event> arrives, with
//   first_line and raw covering it); <Events> wrappers are skipped. Values
//   are kept as written (XML entities are not decoded).
// - JSON, one object per line or pretty-printed over many lines (also as
//   the elements of one top-level array): Winlogbeat/Elastic
//   (winlog.event_id, winlog.computer_name, winlog.event_data.*,
//   @timestamp), NXLog im_msvistalog (EventID, Hostname, EventTime in the
//   agent's local time, fields at the top level), Wazuh eventchannel
//   (win.system.eventID, systemTime, win.eventdata.targetUserName), and
//   PowerShell's Get-WinEvent | ConvertTo-Json (Id, MachineName,
//   TimeCreated "/Date(ms)/" or ISO, and the event data as the positional
//   Properties array, read with the 4624/4625/4634/4647 templates). Keys are
//   found at any depth and matched without regard to case. String values
//   are kept as written (JSON escapes are not decoded).
// Time: System/TimeCreated SystemTime (UTC); in JSON systemTime, TimeCreated,
// else NXLog's EventTime (local, zone-less), else @timestamp.
//
// Several whole events on one line (wevtutil's output has no line breaks
// between events, ConvertTo-Json -Compress puts an array on one line) cannot
// be returned: a parser gives one record per line. Such a line is malformed
// with a reason saying so (split the export one event per line).
#include <cstring>
#include <string>

#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

// The fields of one event, views into the event's text.
struct Fields {
  std::string_view event_id, computer, system_time, local_time, stamp_time, ms_date;
  std::string_view user, domain, workstation, ip, logon_type, logon_id, package;
  bool system_time_is_utc = true;
};

bool is_dash(std::string_view v) {
  return v.empty() || v == "-";
}

// ------------------------------------------------------------------ XML

// The text between <tag ...> and </tag> after `from`; empty when absent.
std::string_view xml_element(std::string_view s, std::string_view open_tag,
                             std::string_view close_tag) {
  size_t at = s.find(open_tag);
  if (at == std::string_view::npos) return {};
  size_t gt = s.find('>', at);
  if (gt == std::string_view::npos || s[gt - 1] == '/') return {};
  size_t end = s.find(close_tag, gt);
  if (end == std::string_view::npos) return {};
  return s.substr(gt + 1, end - gt - 1);
}

// The value of attribute `name` ("SystemTime=") in the tag starting at `at`.
std::string_view xml_attr(std::string_view s, size_t at, std::string_view name) {
  size_t gt = s.find('>', at);
  std::string_view tag = s.substr(at, gt == std::string_view::npos ? s.npos : gt - at);
  size_t a = tag.find(name);
  if (a == std::string_view::npos || a + name.size() >= tag.size()) return {};
  char q = tag[a + name.size()];
  if (q != '"' && q != '\'') return {};
  size_t end = tag.find(q, a + name.size() + 1);
  if (end == std::string_view::npos) return {};
  return tag.substr(a + name.size() + 1, end - a - name.size() - 1);
}

void xml_fields(std::string_view ev, Fields& f) {
  f.event_id = trim(xml_element(ev, "<EventID", "</EventID>"));
  f.computer = trim(xml_element(ev, "<Computer", "</Computer>"));
  size_t tc = ev.find("<TimeCreated");
  if (tc != std::string_view::npos) f.system_time = xml_attr(ev, tc, "SystemTime=");
  size_t pos = 0;
  while (true) {
    size_t d = ev.find("<Data", pos);
    if (d == std::string_view::npos) break;
    pos = d + 5;
    std::string_view name = xml_attr(ev, d, "Name=");
    size_t gt = ev.find('>', d);
    if (gt == std::string_view::npos) break;
    std::string_view value;
    if (ev[gt - 1] != '/') {
      size_t end = ev.find("</Data>", gt);
      if (end == std::string_view::npos) break;
      value = ev.substr(gt + 1, end - gt - 1);
      pos = end + 7;
    }
    if (name == "TargetUserName")
      f.user = value;
    else if (name == "TargetDomainName")
      f.domain = value;
    else if (name == "WorkstationName")
      f.workstation = value;
    else if (name == "IpAddress")
      f.ip = value;
    else if (name == "LogonType")
      f.logon_type = value;
    else if (name == "TargetLogonId")
      f.logon_id = value;
    else if (name == "AuthenticationPackageName")
      f.package = value;
  }
}

// ----------------------------------------------------------------- JSON

// Walks one JSON value and gives every scalar with its key (the innermost
// object key) to the fields; the elements of a "Properties" array of objects
// (ConvertTo-Json) go by index. Returns false on text that is not JSON.
class JsonFields {
 public:
  explicit JsonFields(Fields& f) : f_(f) {}

  bool run(std::string_view s) {
    s_ = s;
    i_ = 0;
    skip_ws();
    if (!value({}, 0)) return false;
    apply_properties();
    return true;
  }

 private:
  static constexpr size_t kMaxProps = 24;

  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }

  bool string(std::string_view& out) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    size_t b = ++i_;
    while (i_ < s_.size() && s_[i_] != '"') i_ += s_[i_] == '\\' ? 2 : 1;
    if (i_ >= s_.size()) return false;
    out = s_.substr(b, i_ - b);
    ++i_;
    return true;
  }

  bool value(std::string_view key, int depth) {
    if (depth > 32 || i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '{') {
      ++i_;
      skip_ws();
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return true;
      }
      while (true) {
        skip_ws();
        std::string_view k;
        if (!string(k)) return false;
        skip_ws();
        if (i_ >= s_.size() || s_[i_] != ':') return false;
        ++i_;
        skip_ws();
        if (!value(k, depth + 1)) return false;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == '}') {
          ++i_;
          return true;
        }
        return false;
      }
    }
    if (c == '[') {
      ++i_;
      bool props = key == "Properties";
      size_t index = 0;
      skip_ws();
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return true;
      }
      while (true) {
        skip_ws();
        if (props) prop_index_ = int(index);
        if (!value(key, depth + 1)) return false;
        prop_index_ = -1;
        ++index;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == ']') {
          ++i_;
          return true;
        }
        return false;
      }
    }
    std::string_view v;
    if (c == '"') {
      if (!string(v)) return false;
    } else {
      size_t b = i_;
      while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' && s_[i_] != ' ' &&
             s_[i_] != '\n' && s_[i_] != '\r' && s_[i_] != '\t')
        ++i_;
      v = s_.substr(b, i_ - b);
      if (v.empty()) return false;
      if (v == "null") v = {};
    }
    scalar(key, v);
    return true;
  }

  void scalar(std::string_view key, std::string_view v) {
    if (prop_index_ >= 0) {
      if (key == "Value" && size_t(prop_index_) < kMaxProps) props_[prop_index_] = v;
      if (size_t(prop_index_) + 1 > nprops_) nprops_ = size_t(prop_index_) + 1;
      return;
    }
    auto is = [&](std::string_view k) { return iequals(key, k); };
    if (key == "@timestamp") {
      f_.stamp_time = v;
      return;
    }
    switch (key.empty() ? 0 : key[0] | 0x20) {
      case 'e':
        if (is("event_id") || is("EventID"))
          f_.event_id = v;
        else if (is("EventTime"))
          f_.local_time = v;
        break;
      case 'i':
        if (key == "Id" && f_.event_id.empty())
          id_ = v;
        else if (is("IpAddress"))
          f_.ip = v;
        break;
      case 'c':
        if (is("computer_name") || is("Computer"))
          f_.computer = v;
        else if (is("code") && code_.empty())
          code_ = v;
        break;
      case 'h':
        if (is("Hostname") && host_.empty()) host_ = v;
        break;
      case 'm':
        if (is("MachineName")) f_.computer = v;
        break;
      case 's':
        if (is("systemTime")) f_.system_time = v;
        break;
      case 't':
        if (is("TargetUserName"))
          f_.user = v;
        else if (is("TargetDomainName"))
          f_.domain = v;
        else if (is("TargetLogonId"))
          f_.logon_id = v;
        else if (is("TimeCreated")) {
          if (v.find("Date(") != std::string_view::npos)
            f_.ms_date = v;
          else
            f_.system_time = v;
        }
        break;
      case 'w':
        if (is("WorkstationName")) f_.workstation = v;
        break;
      case 'l':
        if (is("LogonType")) f_.logon_type = v;
        break;
      case 'a':
        if (is("AuthenticationPackageName")) f_.package = v;
        break;
      default:
        break;
    }
  }

  // ConvertTo-Json of Get-WinEvent: the event data only by position, in
  // the order of the event's template.
  void apply_properties() {
    if (f_.event_id.empty()) f_.event_id = !id_.empty() ? id_ : code_;
    if (f_.computer.empty()) f_.computer = host_;
    if (nprops_ == 0 || !f_.user.empty()) return;
    auto p = [&](size_t i) {
      return i < nprops_ && i < kMaxProps ? props_[i] : std::string_view();
    };
    if (f_.event_id == "4624") {
      f_.user = p(5), f_.domain = p(6), f_.logon_id = p(7), f_.logon_type = p(8);
      f_.package = p(10), f_.workstation = p(11), f_.ip = p(18);
    } else if (f_.event_id == "4625") {
      f_.user = p(5), f_.domain = p(6), f_.logon_type = p(10), f_.package = p(12);
      f_.workstation = p(13), f_.ip = p(19);
    } else if (f_.event_id == "4634") {
      f_.user = p(1), f_.domain = p(2), f_.logon_id = p(3), f_.logon_type = p(4);
    } else if (f_.event_id == "4647") {
      f_.user = p(1), f_.domain = p(2), f_.logon_id = p(3);
    }
  }

  Fields& f_;
  std::string_view s_;
  size_t i_ = 0;
  int prop_index_ = -1;
  std::string_view props_[kMaxProps];
  size_t nprops_ = 0;
  std::string_view id_, code_, host_;
};

// ---------------------------------------------------------------- parser

size_t count_of(std::string_view s, std::string_view what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string_view::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

class WindowsSecurityParser final : public LoginParser {
 public:
  explicit WindowsSecurityParser(const ParseContext& ctx) : ctx_(ctx) { buf_.reserve(8192); }

  LineResult parse(const Line& line, LoginEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (mode_ == Mode::xml) {
      append(text);
      if (text.find("</Event>") == std::string_view::npos) return LineResult::more();
      return finish_event(out);
    }
    if (mode_ == Mode::json) {
      append(text);
      if (!scan_json(text)) return LineResult::more();
      return finish_event(out);
    }
    out.clear();
    std::string_view t = trim(text);
    if (t.starts_with("- ")) t = trim(t.substr(2));  // Event Viewer's fold marker
    if (t.empty()) return LineResult::skip("empty line");
    if (t.starts_with("<?xml") || t == "<Events>" || t == "</Events>" || t.starts_with("<Events "))
      return LineResult::skip("XML wrapper");
    size_t ev = t.find("<Event");
    if (ev != std::string_view::npos &&
        (t.substr(ev).starts_with("<Event>") || t.substr(ev).starts_with("<Event "))) {
      if (count_of(t, "</Event>") > 1)
        return LineResult::malformed(
            "several events on one line (only one record per line can be returned; split the "
            "export one event per line)");
      start(line, text, Mode::xml);
      if (text.find("</Event>") == std::string_view::npos) return LineResult::more();
      return finish_event(out);
    }
    if (t == "[" || t == "]" || t == "," || t == "],") return LineResult::skip("JSON array");
    if (t[0] == '{' || t[0] == '[') {
      depth_ = 0;
      in_string_ = escape_ = false;
      array_top_ = false;
      start(line, text, Mode::json);
      // A line that opens a top-level array and its first object: the
      // object starts after the '['.
      if (t[0] == '[') array_top_ = true;
      if (!scan_json(text)) return LineResult::more();
      return finish_event(out);
    }
    return LineResult::malformed("not a Windows event (expected <Event ...> XML or a JSON object)");
  }

  LineResult finish(LoginEvent& out) override {
    if (mode_ == Mode::none) return LineResult::skip("");
    out.clear();
    mode_ = Mode::none;
    out.first_line = first_line_;
    out.first_offset = first_offset_;
    std::swap(buf_, done_);
    out.raw = done_;
    return LineResult::malformed("event cut short at the end of the file");
  }

 private:
  enum class Mode : uint8_t { none, xml, json };

  void start(const Line& line, std::string_view text, Mode m) {
    mode_ = m;
    first_line_ = line.number;
    first_offset_ = line.offset;
    buf_.assign(text);
    ends_ = 0;
  }
  void append(std::string_view text) {
    buf_.push_back('\n');
    buf_.append(text);
  }

  // Braces across lines; true when the object (or, in a top-level array,
  // one element object) is complete. Counts completions to catch several.
  bool scan_json(std::string_view text) {
    bool done = false;
    for (char c : text) {
      if (in_string_) {
        if (escape_)
          escape_ = false;
        else if (c == '\\')
          escape_ = true;
        else if (c == '"')
          in_string_ = false;
        continue;
      }
      if (c == '"')
        in_string_ = true;
      else if (c == '{' || c == '[')
        ++depth_;
      else if (c == '}' || c == ']') {
        --depth_;
        int base = array_top_ ? 1 : 0;
        if (depth_ == base && c == '}') {
          done = true;
          ++ends_;
        }
        if (depth_ <= 0) array_top_ = false;
      }
    }
    return done;
  }

  LineResult finish_event(LoginEvent& out) {
    out.clear();
    Mode m = mode_;
    mode_ = Mode::none;
    std::swap(buf_, done_);
    out.first_line = first_line_;
    out.first_offset = first_offset_;
    out.raw = done_;
    Fields f;
    std::string_view ev = done_;
    if (m == Mode::xml) {
      size_t b = ev.find("<Event");
      size_t e = ev.rfind("</Event>");
      ev = ev.substr(b, e - b + 8);
      xml_fields(ev, f);
    } else {
      if (ends_ > 1)
        return LineResult::malformed(
            "several events on one line (only one record per line can be returned; split the "
            "export one event per line)");
      size_t b = ev.find('{');
      size_t e = ev.rfind('}');
      ev = ev.substr(b, e - b + 1);
      JsonFields j(f);
      if (!j.run(ev)) return LineResult::malformed("bad JSON in event");
    }
    return read_event(f, out);
  }

  bool set_time(const Fields& f, LoginEvent& out) {
    size_t used = 0;
    uint8_t flags = 0;
    if (!f.system_time.empty()) {
      if (!parse_iso_timestamp(f.system_time, ctx_, out.time, flags, used)) return false;
      out.time_flags = flags;
      return true;
    }
    if (!f.ms_date.empty()) {
      // "\/Date(1776957540123)\/"
      size_t b = f.ms_date.find('(');
      size_t e = f.ms_date.find(')');
      int64_t ms = 0;
      if (b == std::string_view::npos || e == std::string_view::npos ||
          !parse_number(f.ms_date.substr(b + 1, e - b - 1), ms) || !log_millis_ok(ms))
        return false;
      out.time = from_epoch_seconds(0) + Micros(ms * 1000);
      out.time_flags = kHasFraction;
      return true;
    }
    if (!f.local_time.empty()) {
      // NXLog's EventTime: the agent's local time, no zone.
      if (!parse_iso_timestamp(f.local_time, ctx_, out.time, flags, used)) return false;
      out.time_flags = flags;
      return true;
    }
    if (!f.stamp_time.empty()) {
      if (!parse_iso_timestamp(f.stamp_time, ctx_, out.time, flags, used)) return false;
      out.time_flags = flags;
      return true;
    }
    return false;
  }

  LineResult read_event(const Fields& f, LoginEvent& out) {
    bool timed = set_time(f, out);
    int id = 0;
    if (f.event_id.empty() || !parse_number(f.event_id, id))
      return LineResult::malformed("event without an EventID");
    if (id != 4624 && id != 4625 && id != 4634 && id != 4647)
      return timed ? LineResult::skip("event that is not a logon or logoff")
                   : LineResult::skip("event that is not a logon or logoff (no time)");
    if (!timed) return LineResult::malformed("logon event without a readable time");
    out.action = id == 4624   ? LoginAction::login
                 : id == 4625 ? LoginAction::failed
                              : LoginAction::logout;
    out.host = f.computer;
    out.user = f.user;
    out.domain = is_dash(f.domain) ? std::string_view() : f.domain;
    out.session_key = f.logon_id;
    out.method = is_dash(f.package) ? std::string_view() : f.package;
    if (!is_dash(f.ip)) {
      out.has_from_ip = parse_ip(f.ip, out.from_ip);
      out.from = f.ip;
    }
    if (!is_dash(f.workstation)) out.from = f.workstation;
    if (!f.logon_type.empty()) {
      int lt = -1;
      if (!parse_number(f.logon_type, lt)) return LineResult::malformed("bad LogonType");
      out.logon_type = lt;
      switch (lt) {
        case 2:
        case 7:
        case 11:
          out.place = LoginPlace::local;
          break;
        case 3:
        case 8:
        case 10:
        case 12:
          out.place = LoginPlace::remote;
          break;
        default:
          break;
      }
    }
    out.service = out.logon_type == 10 || out.logon_type == 12 ? std::string_view("rdp")
                                                               : std::string_view("windows");
    if (out.user.empty() && out.action != LoginAction::failed)
      return LineResult::malformed("logon event without TargetUserName");
    if (out.session_key.empty() && out.action != LoginAction::failed)
      return LineResult::malformed("logon event without TargetLogonId");
    return LineResult::record();
  }

  const ParseContext& ctx_;
  Mode mode_ = Mode::none;
  int depth_ = 0;
  bool in_string_ = false, escape_ = false, array_top_ = false;
  size_t ends_ = 0;
  uint64_t first_line_ = 0, first_offset_ = 0;
  std::string buf_, done_;
};

int sniff(std::string_view head, const char** why) {
  bool xml = head.find("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"") !=
                 std::string_view::npos ||
             head.find("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'") !=
                 std::string_view::npos;
  bool security = head.find("Microsoft-Windows-Security-Auditing") != std::string_view::npos;
  if (xml) {
    *why = security ? "Windows event XML from the Security log" : "Windows event XML";
    return security ? 90 : 70;
  }
  std::string_view t = trim(head.substr(0, std::min<size_t>(head.size(), 64)));
  while (!t.empty() && (t.front() == '\n' || t.front() == '\r' || t.front() == ' '))
    t.remove_prefix(1);
  bool json = !t.empty() && (t.front() == '{' || t.front() == '[');
  if (json) {
    bool winlog = head.find("\"winlog\"") != std::string_view::npos ||
                  head.find("\"EventID\"") != std::string_view::npos ||
                  head.find("\"eventID\"") != std::string_view::npos ||
                  (head.find("\"Id\"") != std::string_view::npos &&
                   head.find("\"MachineName\"") != std::string_view::npos);
    if (winlog && security) {
      *why = "Windows events as JSON (Winlogbeat, NXLog, Wazuh or ConvertTo-Json)";
      return 85;
    }
    if (winlog) {
      *why = "Windows events as JSON, no Security event in the first block";
      return 50;
    }
  }
  *why = "no Windows event XML or JSON";
  return 0;
}

std::unique_ptr<LoginParser> make(const ParseContext& ctx) {
  return std::make_unique<WindowsSecurityParser>(ctx);
}

}  // namespace

const FormatInfo& windows_security_format() {
  static const FormatInfo info{
      .name = "windows-security",
      .family = Family::login,
      .summary =
          "Windows Security logon/logoff events 4624/4625/4634/4647 as XML or JSON "
          "(wevtutil, Get-WinEvent, Winlogbeat, NXLog, Wazuh)",
      .sniff = sniff,
      .make_login = make};
  return info;
}

}  // namespace tracekit::formats

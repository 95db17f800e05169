// Binary utmp, wtmp and btmp files: glibc's struct utmp, one fixed-size
// record per entry (utmp(5)). As utmpdump shows one:
//
//   [7] [04859] [ts/0] [root    ] [pts/0       ] [192.168.130.40      ] [192.168.130.40 ]
//   [2020-07-05T03:25:24,116273+00:00]
//
// Fields: ut_type (short, 2 bytes of padding), ut_pid, ut_line[32] (the tty),
// ut_id[4], ut_user[32], ut_host[256], ut_exit, ut_session, ut_tv (seconds and
// microseconds, UTC), ut_addr_v6[4] (the remote address in network order: IPv4
// in the first word), 20 unused bytes. Strings are NUL-padded, not always
// NUL-terminated. Layouts:
//   384 bytes, 32-bit ut_session and ut_tv: x86_64, aarch64 and the other
//     64-bit ports that keep the 32-bit layout for compatibility, and every
//     32-bit port (i386, arm, ...), in the machine's byte order;
//   400 bytes, 64-bit ut_session and ut_tv (sec at 344, usec at 352, address
//     at 360): s390x (big-endian) and any 64-bit port without the
//     compatibility layout.
// Nothing in the file says which it is: the layout and byte order are found by
// validating the first records of the file (ut_type 0-9, a plausible pid,
// strings without control characters, microseconds below 1000000, a time for
// every entry but EMPTY) and taking the layout under which most records make
// sense; a corrupt record here and there does not change the verdict.
//
// Mapping: USER_PROCESS -> login (session_key = ut_line, which the matching
// DEAD_PROCESS repeats; ut_id is often empty there), DEAD_PROCESS -> logout,
// BOOT_TIME and "reboot" entries -> boot, RUN_LVL by "shutdown" -> shutdown.
// EMPTY, INIT_PROCESS, LOGIN_PROCESS, ACCOUNTING and other run levels carry no
// session and are skipped with their time. OLD_TIME/NEW_TIME mark a change of
// the system clock (the time before and after it); they are skipped, and their
// times kept for coverage like any other.
//
// btmp (failed logins, written by login(1) and sshd with LOGIN_PROCESS or
// USER_PROCESS) looks exactly like wtmp: a file whose name contains "btmp" is
// read as btmp, its records as failed attempts.
//
// Times: UTC seconds and microseconds; kHasFraction only when the microseconds
// are not 0 (several writers, ProFTPD for one, never fill them, so 0 cannot
// be told from "not recorded"). host: the source's `host` setting. The
// evidence text (raw) is the record in utmpdump's layout, with the time in RFC 3339.
#include <algorithm>

#include "format_list.h"
#include "tracekit/text.h"

namespace tracekit::formats {

namespace {

enum : int {
  kEmpty,
  kRunLvl,
  kBootTime,
  kNewTime,
  kOldTime,
  kInitProcess,
  kLoginProcess,
  kUserProcess,
  kDeadProcess,
  kAccounting
};

struct Layout {
  size_t size = 0;
  bool big_endian = false;
  bool wide = false;  // 64-bit ut_session and ut_tv
  const char* why = "";
};

constexpr Layout kLayouts[] = {
    {384, false, false, "utmp records (384 bytes, little-endian: x86_64, aarch64, i386, ...)"},
    {384, true, false, "utmp records (384 bytes, big-endian, 32-bit time)"},
    {400, true, true, "utmp records (400 bytes, big-endian, 64-bit time: s390x)"},
    {400, false, true, "utmp records (400 bytes, little-endian, 64-bit time)"},
};

constexpr size_t kLineOff = 8, kLineLen = 32, kIdOff = 40, kIdLen = 4, kUserOff = 44, kUserLen = 32,
                 kHostOff = 76, kHostLen = 256;
constexpr int64_t kMaxPid = 4194304;         // PID_MAX_LIMIT
constexpr int64_t kLatestTime = 4102444800;  // 2100-01-01: later is not a log time

uint64_t load(const char* p, size_t n, bool be) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    uint8_t b = uint8_t(p[be ? i : n - 1 - i]);
    v = (v << 8) | b;
  }
  return v;
}

struct Fields {
  int type = 0;
  int64_t pid = 0, sec = 0, usec = 0;
  std::string_view line, id, user, host;
  const uint8_t* addr = nullptr;
};

enum class Check : uint8_t { ok, type, pid, time, usec, no_time, line, user, host };

const char* check_reason(Check c) {
  switch (c) {
    case Check::ok:
      return "";
    case Check::type:
      return "corrupt record: ut_type is not 0-9";
    case Check::pid:
      return "corrupt record: ut_pid out of range";
    case Check::time:
      return "corrupt record: impossible time (before 1970 or after 2100)";
    case Check::usec:
      return "corrupt record: microseconds not 0-999999";
    case Check::no_time:
      return "record without a time (ut_tv is 0)";
    case Check::line:
      return "corrupt record: control characters in ut_line";
    case Check::user:
      return "corrupt record: control characters in ut_user";
    case Check::host:
      return "corrupt record: control characters in ut_host";
  }
  return "corrupt record";
}

// The text up to the first NUL; false when it holds control characters.
bool read_string(const char* p, size_t n, std::string_view& out) {
  size_t len = 0;
  while (len < n && p[len] != '\0') {
    unsigned char c = static_cast<unsigned char>(p[len]);
    if (c < 0x20 || c == 0x7f) return false;
    ++len;
  }
  out = {p, len};
  return true;
}

// Reads and validates the record at p (layout.size bytes).
Check read_record(const char* p, const Layout& l, Fields& f) {
  f.type = int(int16_t(load(p, 2, l.big_endian)));
  if (f.type < kEmpty || f.type > kAccounting) return Check::type;
  f.pid = int32_t(load(p + 4, 4, l.big_endian));
  if (f.pid < 0 || f.pid > kMaxPid) return Check::pid;
  if (l.wide) {
    f.sec = int64_t(load(p + 344, 8, l.big_endian));
    f.usec = int64_t(load(p + 352, 8, l.big_endian));
    f.addr = reinterpret_cast<const uint8_t*>(p + 360);
  } else {
    f.sec = int32_t(load(p + 340, 4, l.big_endian));
    f.usec = int32_t(load(p + 344, 4, l.big_endian));
    f.addr = reinterpret_cast<const uint8_t*>(p + 348);
  }
  if (f.sec < 0 || f.sec >= kLatestTime) return Check::time;
  if (f.usec < 0 || f.usec > 999999) return Check::usec;
  if (!read_string(p + kLineOff, kLineLen, f.line)) return Check::line;
  if (!read_string(p + kUserOff, kUserLen, f.user)) return Check::user;
  if (!read_string(p + kHostOff, kHostLen, f.host)) return Check::host;
  size_t id_len = 0;
  while (id_len < kIdLen && p[kIdOff + id_len] != '\0') ++id_len;
  f.id = {p + kIdOff, id_len};
  if (f.type != kEmpty && f.sec == 0) return Check::no_time;
  return Check::ok;
}

// The layout the first records of `head` fit best; null when none fits.
const Layout* detect_layout(std::string_view head) {
  const Layout* best = nullptr;
  size_t best_informative = 0;
  bool best_divides = false;
  for (const Layout& l : kLayouts) {
    size_t n = std::min<size_t>(head.size() / l.size, 64);
    size_t informative = 0, invalid = 0;
    for (size_t k = 0; k < n; ++k) {
      Fields f;
      Check c = read_record(head.data() + k * l.size, l, f);
      if (c != Check::ok)
        ++invalid;
      else if (f.type != kEmpty)
        ++informative;
    }
    // Corruption is tolerated, but most records must make sense.
    if (informative == 0 || invalid * 2 > n) continue;
    bool divides = head.size() % l.size == 0;
    if (!best || informative > best_informative ||
        (informative == best_informative && divides && !best_divides)) {
      best = &l;
      best_informative = informative;
      best_divides = divides;
    }
  }
  return best;
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

LoginPlace place_of(std::string_view line, std::string_view host) {
  if (!host.empty()) return host[0] == ':' ? LoginPlace::local : LoginPlace::remote;
  if (starts_with(line, "tty") || starts_with(line, ":") || line == "console" ||
      starts_with(line, "vc/"))
    return LoginPlace::local;
  return LoginPlace::unknown;
}

std::string_view service_of(std::string_view line) {
  if (starts_with(line, "ssh:")) return "sshd";
  if (starts_with(line, "ftp")) return "ftp";
  return {};
}

bool read_addr(const uint8_t* a, IpAddr& ip) {
  bool any = false, tail = false;
  for (int i = 0; i < 16; ++i) {
    any |= a[i] != 0;
    if (i >= 4) tail |= a[i] != 0;
  }
  if (!any) return false;
  if (!tail) {
    ip = IpAddr::from_v4(uint32_t(a[0]) << 24 | uint32_t(a[1]) << 16 | uint32_t(a[2]) << 8 | a[3]);
  } else {
    std::copy(a, a + 16, ip.bytes.begin());
  }
  return true;
}

void append_field(std::string& out, std::string_view s, size_t width) {
  out += '[';
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  if (s.size() < width) out.append(width - s.size(), ' ');
  out += "] ";
}

void append_number(std::string& out, int64_t v, int width) {
  char digits[24];
  int n = 0;
  uint64_t u = v < 0 ? uint64_t(-v) : uint64_t(v);
  do {
    digits[n++] = char('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) out += '-';
  for (int i = n; i < width; ++i) out += '0';
  while (n) out += digits[--n];
}

class UtmpParser final : public LoginParser {
 public:
  explicit UtmpParser(const ParseContext& ctx) : layout_(detect_layout(ctx.head)) {
    if (ctx.source) host_ = ctx.source->host;
    if (ctx.file) {
      std::string_view path = ctx.file->path;
      std::string_view name = path.substr(path.find_last_of('/') + 1);
      btmp_ = name.find("btmp") != std::string_view::npos;
    }
    raw_.reserve(512);
  }

  LineResult parse(const Line& line, LoginEvent& out) override {
    out.clear();
    if (!layout_) return LineResult::malformed("no utmp record layout fits this file");
    if (line.text.size() < layout_->size)
      return LineResult::malformed("partial record at the end of the file");
    Fields f;
    Check c = read_record(line.text.data(), *layout_, f);
    if (c != Check::ok) return LineResult::malformed(check_reason(c));
    if (f.sec != 0) {
      out.time = from_epoch_seconds(f.sec) + Micros(f.usec);
      out.time_flags = f.usec != 0 ? kHasFraction : 0;
    }
    out.host = host_;
    switch (f.type) {
      case kUserProcess:
      case kLoginProcess:
        if (btmp_) {
          if (f.user.empty()) return LineResult::malformed("btmp record without ut_user");
          out.action = LoginAction::failed;
          fill_session(f, out);
          out.session_key = {};
          return record(f, out);
        }
        if (f.type == kLoginProcess)
          return LineResult::skip("LOGIN_PROCESS (a getty waiting for a login)");
        if (f.user.empty()) return LineResult::malformed("USER_PROCESS record without ut_user");
        out.action = LoginAction::login;
        fill_session(f, out);
        return record(f, out);
      case kDeadProcess:
        if (btmp_) return LineResult::skip("DEAD_PROCESS in btmp");
        if (f.line.empty()) return LineResult::skip("DEAD_PROCESS without ut_line (no session)");
        out.action = LoginAction::logout;
        fill_session(f, out);
        return record(f, out);
      case kBootTime:
        out.action = LoginAction::boot;
        return record(f, out);
      case kRunLvl:
        if (f.user == "shutdown") {
          out.action = LoginAction::shutdown;
          return record(f, out);
        }
        if (f.user == "reboot") {
          out.action = LoginAction::boot;
          return record(f, out);
        }
        return LineResult::skip("run level change");
      case kNewTime:
      case kOldTime:
        return LineResult::skip("system clock change (OLD_TIME/NEW_TIME)");
      case kInitProcess:
        return LineResult::skip("INIT_PROCESS");
      case kAccounting:
        return LineResult::skip("ACCOUNTING");
      default:
        return LineResult::skip("EMPTY record");
    }
  }

 private:
  static void fill_session(const Fields& f, LoginEvent& out) {
    out.user = f.user;
    out.tty = f.line;
    out.from = f.host;
    out.session_key = f.line;
    out.service = service_of(f.line);
    out.place = place_of(f.line, f.host);
    out.has_from_ip = read_addr(f.addr, out.from_ip) || parse_ip(f.host, out.from_ip);
  }

  // The record as utmpdump prints it, for evidence.
  LineResult record(const Fields& f, LoginEvent& out) {
    raw_.clear();
    raw_ += '[';
    append_number(raw_, f.type, 1);
    raw_ += "] [";
    append_number(raw_, f.pid, 5);
    raw_ += "] ";
    append_field(raw_, f.id, 4);
    append_field(raw_, f.user, 8);
    append_field(raw_, f.line, 12);
    append_field(raw_, f.host, 20);
    size_t before = raw_.size();
    raw_ += '[';
    IpAddr ip;
    if (read_addr(f.addr, ip))
      append_ip(raw_, ip);
    else
      raw_ += "0.0.0.0";
    if (raw_.size() - before < 16) raw_.append(16 - (raw_.size() - before), ' ');
    raw_ += "] [";
    append_rfc3339(raw_, from_epoch_seconds(f.sec) + Micros(f.usec), f.usec != 0);
    raw_ += ']';
    out.raw = raw_;
    return LineResult::record();
  }

  const Layout* layout_;
  std::string_view host_;
  bool btmp_ = false;
  std::string raw_;
};

size_t record_size(std::string_view head) {
  const Layout* l = detect_layout(head);
  return l ? l->size : 0;
}

int sniff(std::string_view head, const char** why) {
  const Layout* l = detect_layout(head);
  if (!l) {
    *why = "no utmp record layout (384 or 400 bytes, either byte order) fits the first records";
    return 0;
  }
  *why = l->why;
  // One record that happens to validate is weaker evidence than several.
  size_t n = std::min<size_t>(head.size() / l->size, 64), good = 0;
  for (size_t k = 0; k < n; ++k) {
    Fields f;
    if (read_record(head.data() + k * l->size, *l, f) == Check::ok && f.type != kEmpty) ++good;
  }
  return good >= 3 ? 90 : 70;
}

std::unique_ptr<LoginParser> make(const ParseContext& ctx) {
  return std::make_unique<UtmpParser>(ctx);
}

}  // namespace

const FormatInfo& utmp_format() {
  static const FormatInfo info{
      .name = "utmp",
      .family = Family::login,
      .summary =
          "binary utmp/wtmp/btmp records (glibc struct utmp, 384 or 400 bytes, either "
          "byte order)",
      .sniff = sniff,
      .make_login = make,
      .input = InputKind::records,
      .record_size = record_size};
  return info;
}

}  // namespace tracekit::formats

// wtmpdb: the SQLite database that replaces wtmp on newer distributions
// (/var/lib/wtmpdb/wtmp.db, written by pam_wtmpdb and `wtmpdb boot`/`shutdown`).
// One table, one row per session:
//
//   CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL,
//     Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT
//   42|3|jdoe|1776957540123456|1776963672000000|pts/0|192.0.2.10|sshd
//
// Type: 0 EMPTY, 1 BOOT_TIME, 2 RUNLEVEL, 3 USER_PROCESS (wtmpdb's own numbers,
// not utmp's). Login and Logout are microseconds since the epoch (UTC);
// Logout is NULL while the session is open (or when the machine crashed). A
// boot row (User "reboot", TTY "~", RemoteHost the kernel) gets the shutdown
// time as its Logout. Older databases are not STRICT: times may be stored as
// text.
//
// Each row gives its login (boot) at Login and, when Logout is set, its logout
// (shutdown) on the next pull; both carry the row's ID as session_key (a row
// is one session) and as first_line (evidence). RUNLEVEL and EMPTY rows are
// skipped with their time. The evidence text is the row as stored.
//
// The file is opened read-only and immutable (SQLite URI immutable=1): nothing
// is written beside it (no -journal, -wal or -shm) and no lock is taken. An
// immutable open does not read a -wal file: when one is beside the database
// with content, the changes it holds are not read, and that is reported.
#include <sqlite3.h>

#include <filesystem>
#include <system_error>

#include "format_list.h"
#include "tracekit/text.h"

namespace tracekit::formats {

namespace {

constexpr int kEmpty = 0, kBootTime = 1, kRunLevel = 2, kUserProcess = 3;
constexpr int64_t kLatestUs = 4102444800LL * 1000000;  // 2100-01-01

// "file:" URI for a path: everything but unreserved characters and '/' is
// percent-encoded.
std::string file_uri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file:";
  for (char c : path) {
    unsigned char u = static_cast<unsigned char>(c);
    bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      uri += c;
    } else {
      uri += '%';
      uri += kHex[u >> 4];
      uri += kHex[u & 15];
    }
  }
  uri += "?mode=ro&immutable=1";
  return uri;
}

bool nonempty_file(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  return !ec && size > 0;
}

std::string_view text_column(sqlite3_stmt* st, int col) {
  const unsigned char* p = sqlite3_column_text(st, col);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p), size_t(sqlite3_column_bytes(st, col))};
}

// An INTEGER column, or a TEXT one holding a number (databases that are not
// STRICT); false for NULL and anything else.
bool int_column(sqlite3_stmt* st, int col, int64_t& v) {
  switch (sqlite3_column_type(st, col)) {
    case SQLITE_INTEGER:
      v = sqlite3_column_int64(st, col);
      return true;
    case SQLITE_TEXT:
      return parse_number(text_column(st, col), v);
    default:
      return false;
  }
}

bool starts_with(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

LoginPlace place_of(std::string_view tty, std::string_view host, std::string_view service) {
  if (!host.empty()) return host[0] == ':' ? LoginPlace::local : LoginPlace::remote;
  if (service == "sshd") return LoginPlace::remote;
  if (starts_with(tty, "tty") || starts_with(tty, ":") || tty == "console")
    return LoginPlace::local;
  return LoginPlace::unknown;
}

class WtmpdbParser final : public LoginParser {
 public:
  explicit WtmpdbParser(const ParseContext& ctx) {
    if (ctx.source) host_ = ctx.source->host;
    // Taken now: the caller's InputFile need not outlive this call.
    if (ctx.file) {
      path_ = ctx.file->path;
      stdin_ = ctx.file->is_stdin || path_ == "-";
      compressed_ = ctx.file->compression != Compression::none;
    }
    raw_.reserve(256);
  }
  ~WtmpdbParser() override {
    sqlite3_finalize(stmt_);
    sqlite3_close(db_);
  }

  LineResult parse(const Line&, LoginEvent& out) override {
    out.clear();
    return LineResult::malformed("wtmpdb is a database: it is read with pull(), not by lines");
  }

  bool pull(LoginEvent& out, LineResult& result) override {
    if (state_ == State::start) {
      state_ = State::rows;
      if (const char* why = open()) {
        state_ = State::done;
        out.clear();
        result = LineResult::malformed(why);
        return true;
      }
      if (wal_) {
        out.clear();
        result = LineResult::malformed(
            "a -wal file beside the database holds changes that were not read (the database "
            "is opened read-only and immutable)");
        return true;
      }
    }
    if (state_ == State::done) return false;
    if (pending_end_) {
      pending_end_ = false;
      out.clear();
      fill(out);
      out.action = row_type_ == kBootTime ? LoginAction::shutdown : LoginAction::logout;
      set_time(out, logout_us_);
      result = LineResult::record();
      return true;
    }
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_DONE) {
      state_ = State::done;
      return false;
    }
    out.clear();
    if (rc != SQLITE_ROW) {
      state_ = State::done;
      out.first_line = uint64_t(row_id_ + 1);
      result = LineResult::malformed("the database could not be read past this row (damaged?)");
      return true;
    }
    result = read_row(out);
    return true;
  }

 private:
  enum class State : uint8_t { start, rows, done };

  // Null when the table is ready to read; otherwise why not.
  const char* open() {
    if (stdin_) return "a wtmpdb database cannot be read from standard input";
    if (path_.empty()) return "no database file to open";
    if (compressed_)
      return "a compressed wtmpdb database cannot be read in place: decompress a copy";
    wal_ = nonempty_file(path_ + "-wal");
    if (sqlite3_open_v2(file_uri(path_).c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
                        nullptr) != SQLITE_OK)
      return "the database cannot be opened";
    if (sqlite3_prepare_v2(db_,
                           "SELECT ID, Type, User, Login, Logout, TTY, RemoteHost, Service "
                           "FROM wtmp ORDER BY ID",
                           -1, &stmt_, nullptr) != SQLITE_OK)
      return "no wtmp table with wtmpdb's columns (ID, Type, User, Login, Logout, TTY, "
             "RemoteHost, Service)";
    return nullptr;
  }

  void set_time(LoginEvent& out, int64_t us) {
    out.time = Instant(Micros(us));
    out.time_flags = us % 1000000 != 0 ? kHasFraction : 0;
  }

  // The row's fields, shared by its login and its logout.
  void fill(LoginEvent& out) {
    out.first_line = uint64_t(row_id_);
    out.raw = raw_;
    out.host = host_;
    out.user = user_;
    out.tty = tty_;
    out.from = from_;
    out.service = service_;
    out.session_key = key_;
    out.has_from_ip = has_from_ip_;
    out.from_ip = from_ip_;
    out.place = place_;
  }

  LineResult read_row(LoginEvent& out) {
    int64_t type = -1, logout = 0;
    row_id_ = sqlite3_column_int64(stmt_, 0);
    out.first_line = uint64_t(row_id_);
    if (!int_column(stmt_, 1, type)) type = -1;
    user_ = text_column(stmt_, 2);
    bool has_login = int_column(stmt_, 3, login_us_);
    bool has_logout = int_column(stmt_, 4, logout);
    tty_ = text_column(stmt_, 5);
    from_ = text_column(stmt_, 6);
    service_ = text_column(stmt_, 7);
    render();
    out.raw = raw_;
    if (!has_login) return LineResult::malformed("row without a Login time");
    if (login_us_ <= 0 || login_us_ >= kLatestUs)
      return LineResult::malformed("impossible Login time (before 1970 or after 2100)");
    if (sqlite3_column_type(stmt_, 4) != SQLITE_NULL && !has_logout)
      return LineResult::malformed("Logout is not a number");
    if (has_logout && (logout < login_us_ || logout >= kLatestUs))
      return LineResult::malformed("impossible Logout time (before Login or after 2100)");
    set_time(out, login_us_);
    row_type_ = int(type);
    switch (type) {
      case kUserProcess:
      case kBootTime:
        break;
      case kRunLevel:
        return LineResult::skip("run level row");
      case kEmpty:
        return LineResult::skip("EMPTY row");
      default:
        return LineResult::malformed("unknown Type (wtmpdb writes 0-3)");
    }
    int n = snprintf(key_buf_, sizeof key_buf_, "%lld", static_cast<long long>(row_id_));
    key_ = {key_buf_, size_t(n)};
    has_from_ip_ = parse_ip(from_, from_ip_);
    place_ = type == kBootTime ? LoginPlace::unknown : place_of(tty_, from_, service_);
    logout_us_ = logout;
    pending_end_ = has_logout;
    fill(out);
    set_time(out, login_us_);
    if (type == kBootTime) {
      // The kernel version is in RemoteHost: not a place anyone came from.
      out.from = {};
      out.has_from_ip = false;
      out.action = LoginAction::boot;
    } else {
      if (user_.empty()) return LineResult::malformed("USER_PROCESS row without a User");
      out.action = LoginAction::login;
    }
    return LineResult::record();
  }

  // The row as stored, for evidence.
  void render() {
    raw_.clear();
    for (int col = 0; col < 8; ++col) {
      if (col) raw_ += ' ';
      raw_ += sqlite3_column_name(stmt_, col);
      raw_ += '=';
      if (sqlite3_column_type(stmt_, col) == SQLITE_NULL)
        raw_ += "NULL";
      else
        raw_ += text_column(stmt_, col);
    }
  }

  std::string_view host_;
  std::string path_;
  bool stdin_ = false, compressed_ = false;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  State state_ = State::start;
  bool wal_ = false;
  bool pending_end_ = false;
  int row_type_ = 0;
  int64_t row_id_ = 0, login_us_ = 0, logout_us_ = 0;
  std::string_view user_, tty_, from_, service_, key_;
  bool has_from_ip_ = false;
  IpAddr from_ip_;
  LoginPlace place_ = LoginPlace::unknown;
  char key_buf_[24];
  std::string raw_;
};

int sniff(std::string_view head, const char** why) {
  if (!head.starts_with(std::string_view("SQLite format 3\0", 16))) {
    *why = "not an SQLite database";
    return 0;
  }
  if (head.find("CREATE TABLE wtmp") == std::string_view::npos &&
      head.find("CREATE TABLE IF NOT EXISTS wtmp") == std::string_view::npos) {
    *why = "an SQLite database without a wtmp table";
    return 0;
  }
  *why = "SQLite database with a wtmp table (wtmpdb)";
  return 95;
}

std::unique_ptr<LoginParser> make(const ParseContext& ctx) {
  return std::make_unique<WtmpdbParser>(ctx);
}

}  // namespace

const FormatInfo& wtmpdb_format() {
  static const FormatInfo info{.name = "wtmpdb",
                               .family = Family::login,
                               .summary = "wtmpdb SQLite login database (/var/lib/wtmpdb/wtmp.db)",
                               .sniff = sniff,
                               .make_login = make,
                               .input = InputKind::database};
  return info;
}

}  // namespace tracekit::formats

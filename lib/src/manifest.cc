#include "tracekit/manifest.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <date/tz.h>
#include <fmt/format.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "tracekit/scan.h"
#include "tracekit/time.h"

namespace tracekit {

namespace {

constexpr size_t kHashBlock = 1 << 20;

struct DigestDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using Digest = std::unique_ptr<EVP_MD_CTX, DigestDeleter>;

Digest new_sha256() {
  Digest ctx(EVP_MD_CTX_new());
  if (ctx && EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) ctx.reset();
  return ctx;
}

std::string finish_hex(EVP_MD_CTX* ctx) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx, md, &len) != 1) return {};
  std::string hex;
  hex.reserve(2 * len);
  for (unsigned int k = 0; k < len; ++k) fmt::format_to(std::back_inserter(hex), "{:02x}", md[k]);
  return hex;
}

std::string format_file_time(const struct timespec& ts) {
  std::string s = format_rfc3339(Instant(std::chrono::seconds(ts.tv_sec)));
  if (ts.tv_nsec != 0) {
    s.pop_back();  // the Z
    s += fmt::format(".{:09}Z", ts.tv_nsec);
  }
  return s;
}

// An fd closed on every way out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// The directory the date library reads zones from (its discover_tz_dir()).
std::string tz_dir() {
  std::error_code ec;
  for (const char* dir : {"/usr/share/zoneinfo/uclibc", "/usr/share/zoneinfo"})
    if (std::filesystem::is_directory(dir, ec)) return dir;
  return "unknown";
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  return ec ? path : abs.string();
}

// The file a --manifest path must not be: `what` names it for the message.
bool clashes(ToolRun& run, const std::string& path, std::string_view what) {
  if (!same_file(run.manifest_path, path)) return false;
  std::string input =
      path == "-" ? std::string("the standard input") : fmt::format("{} {}", what, path);
  run.diag.error(fmt::format("--manifest {}: is {}, an input of this run: not written over it",
                             run.manifest_path, input));
  run.manifest_path.clear();  // said once
  return true;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  Digest ctx = new_sha256();
  if (!ctx || EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1) return {};
  return finish_hex(ctx.get());
}

std::string shell_quote(std::string_view s) {
  // ASCII by hand: the C library's isalnum follows the locale.
  auto safe = [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && std::strchr("_@%+=:,./-", c) != nullptr);
  };
  bool plain = !s.empty(), control = false;
  for (unsigned char c : s) {
    if (!safe(c)) plain = false;
    if (c < 0x20 || c == 0x7f) control = true;
  }
  if (plain) return std::string(s);
  std::string out;
  if (!control) {
    out += '\'';
    for (char c : s) out += c == '\'' ? std::string_view("'\\''") : std::string_view(&c, 1);
    out += '\'';
    return out;
  }
  out += "$'";
  for (unsigned char c : s) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\'':
        out += "\\'";
        break;
      default:
        if (c < 0x20 || c == 0x7f)
          fmt::format_to(std::back_inserter(out), "\\x{:02x}", c);
        else
          out += char(c);
    }
  }
  out += '\'';
  return out;
}

namespace {

// `as_opened`: the file as the run opened it, or null.
InputFileInfo describe(const std::string& path, const InputFile* as_opened) {
  InputFileInfo info;
  info.path = path;
  if (path == "-") {
    info.absolute = "-";
    info.is_stdin = true;
    return info;
  }
  info.absolute = absolute_path(path);
  // Non-blocking: opening a FIFO for reading must not wait for a writer.
  int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  Fd f{::open(path.c_str(), flags | O_NOATIME)};
  if (f.fd < 0 && errno == EPERM) f.fd = ::open(path.c_str(), flags);  // not the file's owner
  if (f.fd < 0) {
    info.error = fmt::format("cannot open {}: {}", path, std::strerror(errno));
    return info;
  }
  struct stat before;
  if (::fstat(f.fd, &before) != 0) {
    info.error = fmt::format("cannot stat {}: {}", path, std::strerror(errno));
    return info;
  }
  if (!S_ISREG(before.st_mode)) {
    info.error = fmt::format("{} is not a regular file: not hashed", path);
    return info;
  }
  info.size = uint64_t(before.st_size);
  info.mtime = format_file_time(before.st_mtim);
  ::posix_fadvise(f.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  Digest ctx = new_sha256();
  if (!ctx) {
    info.error = "SHA-256 is not available from libcrypto";
    return info;
  }
  auto buf = std::make_unique<char[]>(kHashBlock);
  uint64_t total = 0;
  for (;;) {
    ssize_t n = ::read(f.fd, buf.get(), kHashBlock);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      info.error =
          fmt::format("{}: read error at offset {}: {}", path, total, std::strerror(errno));
      return info;
    }
    if (n == 0) break;
    if (EVP_DigestUpdate(ctx.get(), buf.get(), size_t(n)) != 1) {
      info.error = "SHA-256 failed in libcrypto";
      return info;
    }
    total += uint64_t(n);
  }
  struct stat after;
  if (::fstat(f.fd, &after) != 0 || after.st_size != before.st_size ||
      after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
      after.st_mtim.tv_nsec != before.st_mtim.tv_nsec || total != info.size) {
    info.error = fmt::format("{} changed while it was hashed", path);
    return info;
  }
  info.sha256 = finish_hex(ctx.get());
  if (info.sha256.empty()) info.error = "SHA-256 failed in libcrypto";
  if (as_opened && as_opened->mtime != kNoTime) {
    Instant mtime(Micros(int64_t(before.st_mtim.tv_sec) * 1000000 + before.st_mtim.tv_nsec / 1000));
    if (as_opened->size != info.size || as_opened->mtime != mtime)
      info.error = fmt::format(
          "{} changed after this run read it (then {} bytes, modified {}): the hash is of the "
          "file as it is now",
          path, as_opened->size, format_rfc3339(as_opened->mtime, true));
  }
  return info;
}

}  // namespace

InputFileInfo describe_input(const std::string& path) {
  return describe(path, nullptr);
}

std::vector<InputFileInfo> describe_inputs(const ToolRun& run) {
  std::vector<InputFileInfo> out;
  if (!run.config_path.empty()) out.push_back(describe(run.config_path, nullptr));
  for (const auto& f : run.inputs)
    if (f.path != run.config_path) out.push_back(describe(f.path, &f));
  return out;
}

bool same_file(const std::string& manifest, const std::string& path) {
  struct stat a, b;
  if (::stat(manifest.c_str(), &a) != 0) return false;
  if (path == "-")  // only a file can be written over: not a pipe, a terminal or /dev/null
    return ::fstat(0, &b) == 0 && S_ISREG(b.st_mode) && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
  return ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

void note_input(ToolRun& run, const InputFile& file) {
  for (const auto& f : run.inputs)
    if (f.path == file.path) return;
  run.inputs.push_back(file);
}

void note_input(ToolRun& run, std::string_view path) {
  InputFile f;
  f.path = path;
  f.is_stdin = path == "-";
  note_input(run, f);
}

void note_inputs(ToolRun& run, const Scanner& scanner) {
  for (const auto& f : scanner.files()) note_input(run, f.info);
  for (const auto& p : scanner.passed_over()) note_input(run, p);
}

bool check_manifest_path(ToolRun& run) {
  if (run.manifest_path.empty()) return true;
  // Said before the logs are read, not after a long run.
  std::error_code ec;
  std::filesystem::path m(run.manifest_path);
  std::filesystem::path dir = m.has_parent_path() ? m.parent_path() : std::filesystem::path(".");
  if (std::filesystem::is_directory(m, ec) || !std::filesystem::is_directory(dir, ec)) {
    run.diag.error(fmt::format("--manifest {}: {}", run.manifest_path,
                               std::filesystem::is_directory(m, ec)
                                   ? "is a directory (expected a file to write)"
                                   : "its directory does not exist"));
    run.manifest_path.clear();  // said once
    return false;
  }
  if (clashes(run, "-", "")) return false;
  if (!run.config_path.empty() && clashes(run, run.config_path, "the sources file")) return false;
  for (const auto& src : run.sources) {
    std::vector<std::string> paths;
    std::string error;
    if (!expand_log_paths(src.patterns, paths, error)) continue;  // said when the logs are read
    for (const auto& p : paths)
      if (clashes(run, p, "the log")) return false;
  }
  return true;
}

std::string format_manifest(const ToolRun& run, int status,
                            const std::vector<InputFileInfo>& inputs) {
  std::string out;
  auto line = [&](std::string_view key, std::string_view value) {
    fmt::format_to(std::back_inserter(out), "{}: {}\n", key, value);
  };
  std::string command;
  for (const auto& a : run.args) {
    if (!command.empty()) command += ' ';
    command += shell_quote(a);
  }
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  line("tracekit-manifest", "1");
  line("tool", run.tool);
  line("version", tracekit_version());
  line("command", command);
  line("started", format_rfc3339(std::chrono::floor<Micros>(run.started), true));
  line("finished",
       format_rfc3339(std::chrono::floor<Micros>(std::chrono::system_clock::now()), true));
  line("status", fmt::format("{}", status));
  const std::string zone_dir = tz_dir();
  line("tzdb", tzdb_version());
  line("tzdb-dir", zone_dir);
  line("tz", run.zone ? run.zone->name() : std::string("(none)"));
  line("cwd", ec ? std::string("unknown") : shell_quote(cwd.string()));
  line("inputs", fmt::format("{}", inputs.size()));
  for (const auto& in : inputs) {
    out += '\n';
    line("input", shell_quote(in.path));
    if (in.is_stdin) {
      line("note", "stdin, not hashed");
      continue;
    }
    line("absolute", shell_quote(in.absolute));
    if (!in.sha256.empty()) {
      line("size", fmt::format("{}", in.size));
      line("mtime", in.mtime);
      line("sha256", in.sha256);
    }
    if (!in.error.empty()) line("error", in.error);
  }
  return out;
}

int finish_run(ToolRun& run, bool answered) {
  run.finished = true;
  if (!run.manifest_path.empty()) {
    const int status = exit_status(run, answered);
    std::vector<InputFileInfo> inputs = describe_inputs(run);
    bool clash = !check_manifest_path(run);
    for (const auto& in : inputs)
      if (!clash && clashes(run, in.path, "the input")) clash = true;
    if (!clash) {
      std::string text = format_manifest(run, status, inputs);
      errno = 0;
      FILE* f = std::fopen(run.manifest_path.c_str(), "w");
      if (!f) {
        run.diag.error(fmt::format("--manifest: cannot write {}: {}", run.manifest_path,
                                   std::strerror(errno)));
      } else {
        bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
        ok = std::fflush(f) == 0 && ok;
        int saved = errno;
        ok = std::fclose(f) == 0 && ok;
        if (!ok)
          run.diag.error(fmt::format("--manifest: cannot write {}: {}", run.manifest_path,
                                     std::strerror(saved ? saved : errno)));
      }
    }
  }
  run.diag.finish();
  return exit_status(run, answered);
}

}  // namespace tracekit

#include "tracekit/input.h"

#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <fmt/format.h>
#include <algorithm>
#include <atomic>
#include <bit>
#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <vector>

#ifdef TRACEKIT_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "tracekit/search.h"  // kHaveAvx2

namespace tracekit {

namespace {

constexpr size_t kReadChunk = 1 << 20;

// A stream (stdin, a pipe, a FIFO, a terminal) as shared by every open of it
// in this process: it cannot be read twice, so what was read of it is kept
// (up to kStreamKeep) for the next open to read again. See open_input.
struct Stream {
  explicit Stream(int f) : fd(f) {}
  ~Stream() {
    if (fd >= 0) ::close(fd);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  std::mutex mu;
  int fd;
  std::string kept;   // the bytes read from fd, from its start, while whole
  bool whole = true;  // kept holds every byte read; else it is dropped
};

// Reads raw bytes of a file descriptor (or of a Stream), with a look-ahead
// buffer used for the magic-byte check.
class RawFile {
 public:
  explicit RawFile(int fd) : fd_(fd) {}
  explicit RawFile(std::shared_ptr<Stream> s) : stream_(std::move(s)) {}
  ~RawFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawFile(const RawFile&) = delete;
  RawFile& operator=(const RawFile&) = delete;

  // Returns bytes read, 0 at EOF, -1 on error (errno kept in err_).
  ssize_t read(char* dst, size_t cap) {
    if (pending_pos_ < pending_.size()) {
      size_t n = std::min(cap, pending_.size() - pending_pos_);
      std::memcpy(dst, pending_.data() + pending_pos_, n);
      pending_pos_ += n;
      offset_ += n;
      return ssize_t(n);
    }
    ssize_t n = read_source(dst, cap);
    if (n > 0) offset_ += uint64_t(n);
    return n;
  }
  // Peeks the first bytes (up to n) without consuming them.
  std::string_view peek(size_t n) {
    while (pending_.size() < n) {
      char buf[4096];
      ssize_t r = read_source(buf, std::min(sizeof buf, n - pending_.size()));
      if (r <= 0) break;
      pending_.append(buf, size_t(r));
    }
    return pending_;
  }
  uint64_t offset() const { return offset_; }
  int err() const { return err_; }
  int fd() const { return fd_; }  // -1 for a stream

 private:
  ssize_t read_source(char* dst, size_t cap) {
    if (stream_) return read_stream(dst, cap);
    for (;;) {
      ssize_t n = ::read(fd_, dst, cap);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) err_ = errno;
      return n;
    }
  }
  // What an earlier open read first, then the stream where it was left.
  ssize_t read_stream(char* dst, size_t cap) {
    Stream& s = *stream_;
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.whole && stream_pos_ < s.kept.size()) {
      size_t n = std::min(cap, s.kept.size() - stream_pos_);
      std::memcpy(dst, s.kept.data() + stream_pos_, n);
      stream_pos_ += n;
      return ssize_t(n);
    }
    ssize_t n;
    do n = ::read(s.fd, dst, cap);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      err_ = errno;
      return n;
    }
    if (s.whole && s.kept.size() + size_t(n) <= kStreamKeep) {
      s.kept.append(dst, size_t(n));
    } else if (s.whole) {
      s.whole = false;  // too much to keep: this open is its only reader
      std::string().swap(s.kept);
    }
    stream_pos_ += size_t(n);
    return n;
  }

  int fd_ = -1;
  std::shared_ptr<Stream> stream_;
  size_t stream_pos_ = 0;
  std::string pending_;
  size_t pending_pos_ = 0;
  uint64_t offset_ = 0;
  int err_ = 0;
};

// A file's modification time as stat gave it.
Instant mtime_of(const struct stat& st) {
  return Instant(Micros(int64_t(st.st_mtim.tv_sec) * 1000000 + st.st_mtim.tv_nsec / 1000));
}

// Files mapped into memory, for the SIGBUS handler: reading a page of a
// file that has shrunk since it was mapped (truncated by a log rotation's
// copytruncate, say) or whose page cannot be read raises SIGBUS. The handler
// puts zero pages over the rest of that mapping, so that the read goes on,
// and notes where. The reader sees it at its next block, or sooner at a
// newline found there before that is now a zero, and stops, saying why
// (PlainSource::map_damaged). A fault outside these ranges is not ours: the
// handler that was there before takes it.
struct MapSlot {
  std::atomic<bool> used{false};
  std::atomic<uintptr_t> begin{0}, end{0};
  std::atomic<uintptr_t> fault{UINTPTR_MAX};  // lowest address that faulted
};
constexpr size_t kMapSlots = 64;
MapSlot map_slots[kMapSlots];
struct sigaction bus_before;
size_t page_size = 4096;

void on_sigbus(int sig, siginfo_t* info, void* context) {
  const auto at = reinterpret_cast<uintptr_t>(info->si_addr);
  for (MapSlot& slot : map_slots) {
    if (info->si_code <= 0) break;  // sent by a process, not a fault
    uintptr_t b = slot.begin.load(std::memory_order_acquire);
    uintptr_t e = slot.end.load(std::memory_order_acquire);
    if (b > at || at >= e) continue;
    uintptr_t page = at & ~uintptr_t(page_size - 1);
    if (::mmap(reinterpret_cast<void*>(page), e - page, PROT_READ,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
      break;
    uintptr_t seen = slot.fault.load(std::memory_order_relaxed);
    while (page < seen && !slot.fault.compare_exchange_weak(seen, page)) {
    }
    return;  // the read is done again, and gives zeros
  }
  if ((bus_before.sa_flags & SA_SIGINFO) && bus_before.sa_sigaction) {
    bus_before.sa_sigaction(sig, info, context);
  } else if (bus_before.sa_handler != SIG_DFL && bus_before.sa_handler != SIG_IGN) {
    bus_before.sa_handler(sig);
  } else {
    // As if this handler were not there: a fault happens again on return,
    // a signal sent is sent again.
    ::sigaction(SIGBUS, &bus_before, nullptr);
    if (info->si_code <= 0) ::raise(SIGBUS);
  }
}

// A slot for a mapping, or -1. The handler is put in place first, unless it
// is there (a handler set since is kept as the one before).
int claim_map_slot() {
  {
    static std::mutex mu;
    std::lock_guard<std::mutex> lock(mu);
    page_size = size_t(::sysconf(_SC_PAGESIZE));
    struct sigaction now {};
    if (::sigaction(SIGBUS, nullptr, &now) != 0) return -1;
    if (!((now.sa_flags & SA_SIGINFO) && now.sa_sigaction == on_sigbus)) {
      struct sigaction sa {};
      sa.sa_sigaction = on_sigbus;
      sa.sa_flags = SA_SIGINFO;
      sigemptyset(&sa.sa_mask);
      bus_before = now;
      if (::sigaction(SIGBUS, &sa, nullptr) != 0) return -1;
    }
  }
  for (size_t k = 0; k < kMapSlots; ++k) {
    bool no = false;
    if (map_slots[k].used.compare_exchange_strong(no, true)) return int(k);
  }
  return -1;
}

class PlainSource final : public ByteSource {
 public:
  PlainSource(std::unique_ptr<RawFile> raw, InputFile f) : raw_(std::move(raw)) {
    file_ = std::move(f);
  }
  ~PlainSource() override {
    if (!map_) return;
    MapSlot& slot = map_slots[size_t(slot_)];
    slot.end.store(0, std::memory_order_release);
    slot.begin.store(0, std::memory_order_release);
    ::munmap(map_, reserved_);
    slot.fault.store(UINTPTR_MAX);
    slot.used.store(false);
  }

  // The file is mapped from its start, followed by zero pages: an address
  // range reserved for what a writer still appending adds while it is read,
  // and so that reading a few bytes past the end, as vector loads near it
  // may, finds zeros instead of a fault. (Read-only pages that are never
  // touched cost no memory.)
  const char* map() override {
    if (map_) return map_;
    struct stat st;
    int fd = raw_->fd();
    if (fd < 0 || file_.is_stdin || raw_->offset() != 0 || ::fstat(fd, &st) != 0 ||
        !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        uint64_t(st.st_size) > uint64_t(SIZE_MAX) - kGrowRoom - (size_t(1) << 32))
      return nullptr;
    int slot = claim_map_slot();
    if (slot < 0) return nullptr;
    size_t size = size_t(st.st_size);
    size_t reserved = round_up(size) + kGrowRoom;
    void* whole = ::mmap(nullptr, reserved + kHugeAlign, PROT_READ,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (whole == MAP_FAILED) {
      map_slots[slot].used.store(false);
      return nullptr;
    }
    // Aligned as the file's offsets are, to 2 MiB: a large folio of the page
    // cache then lies within one page table, and a fault maps it whole (the
    // 2 GB benchmark log: 19,000 faults instead of 33,000 on Linux 6.18).
    void* at = align_huge(whole, reserved);
    if (::mmap(at, round_up(size), PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
      ::munmap(at, reserved);
      map_slots[slot].used.store(false);
      return nullptr;
    }
    ::madvise(at, round_up(size), MADV_SEQUENTIAL);
    map_ = static_cast<char*>(at);
    reserved_ = reserved;
    size_ = size;
    known_size_.store(size);
    slot_ = slot;
    auto b = reinterpret_cast<uintptr_t>(map_);
    map_slots[slot].begin.store(b, std::memory_order_release);
    map_slots[slot].end.store(b + round_up(size), std::memory_order_release);
    return map_;
  }
  size_t map_next(size_t cap) override {
    if (handed_ == size_ && !grow()) return 0;
    size_t n = std::min(cap, size_ - handed_);
    handed_ += n;
    return n;
  }
  size_t map_confirm(uint64_t offset, size_t n) override {
    uintptr_t fault = map_slots[size_t(slot_)].fault.load(std::memory_order_acquire);
    if (fault == UINTPTR_MAX) return n;
    uint64_t good = fault - reinterpret_cast<uintptr_t>(map_);
    return offset >= good ? 0 : size_t(std::min<uint64_t>(n, good - offset));
  }
  bool map_damaged(uint64_t at, bool changed) override {
    if (!error_.empty()) return true;
    uintptr_t fault = map_slots[size_t(slot_)].fault.load(std::memory_order_acquire);
    struct stat st;
    const uint64_t was = known_size_.load();
    const bool shrank = ::fstat(raw_->fd(), &st) == 0 && uint64_t(st.st_size) < was;
    if (shrank)
      error_ = fmt::format(
          "{}: the file shrank while it was read (from {} to {} bytes: truncated, by a log "
          "rotation perhaps); read up to byte offset {}",
          file_.path, was, st.st_size, at);
    else if (fault != UINTPTR_MAX)
      error_ = fmt::format(
          "{}: read error at byte offset {}: its pages could not be read; read up to byte "
          "offset {}",
          file_.path, fault - reinterpret_cast<uintptr_t>(map_), at);
    else if (changed)
      error_ = fmt::format(
          "{}: the file was rewritten while it was read (its bytes changed); read up to byte "
          "offset {}",
          file_.path, at);
    return !error_.empty();
  }
  void map_release(uint64_t offset) override {
    size_t to = size_t(offset) & ~(page_size - 1);
    if (to < released_ + kReleaseStep) return;
    ::madvise(map_ + released_, to - released_, MADV_DONTNEED);
    released_ = to;
  }
  size_t read(char* dst, size_t cap) override {
    if (!error_.empty()) return 0;
    ssize_t n = raw_->read(dst, cap);
    if (n == 0 && last_ != '\n' && raw_->fd() >= 0) n = read_past_end(dst, cap);
    if (n < 0) {
      error_ = fmt::format("{}: read error at byte offset {}: {}", file_.path, raw_->offset(),
                           std::strerror(raw_->err()));
      return 0;
    }
    if (n > 0) last_ = dst[n - 1];
    return size_t(n);
  }
  bool read_ahead_pays() const override {
    struct stat st;
    return raw_->fd() >= 0 && ::fstat(raw_->fd(), &st) == 0 && S_ISREG(st.st_mode);
  }

 private:
  // Mapped, at the end of what was mapped: what the file gained since, as
  // read() would read it, is mapped too, over the reserved range. When it
  // has not grown and ends inside a line, that line is cut if the file
  // changed while it was read (as read_past_end).
  bool grow() {
    struct stat st;
    if (map_confirm(0, handed_) < handed_ || ::fstat(raw_->fd(), &st) != 0 || !S_ISREG(st.st_mode))
      return false;
    if (uint64_t(st.st_size) > size_) {
      size_t room = reserved_ - page_size;  // a zero page stays after the file
      // The rest of the last page mapped shows what was added to it (the
      // page is the file's, unchanged by this process); the pages after it
      // are mapped now.
      size_t from = round_up(size_);
      size_t to = std::max(from, std::min(round_up(size_t(st.st_size)), room));
      if (to > from && ::mmap(map_ + from, to - from, PROT_READ, MAP_PRIVATE | MAP_FIXED,
                              raw_->fd(), off_t(from)) == MAP_FAILED) {
        // (Zero pages again, so that the reserved range has no hole.)
        ::mmap(map_ + from, to - from, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        to = from;
      }
      map_slots[size_t(slot_)].end.store(reinterpret_cast<uintptr_t>(map_) + to,
                                         std::memory_order_release);
      size_t grown = std::min(size_t(st.st_size), to);
      if (grown > size_) {
        size_ = grown;
        known_size_.store(grown);
        return true;
      }
      warning_ = fmt::format(
          "{}: grew by more than {} MiB while it was read; read up to byte offset {}, "
          "not what was added after",
          file_.path, kGrowRoom >> 20, size_);
    }
    if (handed_ > 0 && map_[handed_ - 1] != '\n') cut_if_changed(st);
    return false;
  }

  // The file ended inside a line. A log appended to while read ends there
  // when the writer is between two writes of one line: if the file has grown
  // since, the rest is read (a few times at most: a busy writer is not
  // followed for ever); if it has not, or still ends inside a line, and it
  // changed while it was read, its last line is cut (cut_at_end).
  ssize_t read_past_end(char* dst, size_t cap) {
    struct stat st;
    if (::fstat(raw_->fd(), &st) != 0 || !S_ISREG(st.st_mode)) return 0;
    if (uint64_t(st.st_size) > raw_->offset() && extra_reads_ < kExtraReads) {
      ++extra_reads_;
      return raw_->read(dst, cap);
    }
    cut_if_changed(st);
    return 0;
  }
  // The file ends inside a line: if it changed since it was opened, a writer
  // is still at it and that line is cut short.
  void cut_if_changed(const struct stat& st) {
    if (uint64_t(st.st_size) != file_.size || mtime_of(st) != file_.mtime) cut_at_end_ = true;
  }
  static size_t round_up(size_t n) { return (n + page_size - 1) & ~(page_size - 1); }
  // The reserved range moved up to a multiple of kHugeAlign inside `whole`
  // (reserved + kHugeAlign bytes), the rest unmapped.
  static void* align_huge(void* whole, size_t reserved) {
    auto b = reinterpret_cast<uintptr_t>(whole);
    uintptr_t a = (b + kHugeAlign - 1) & ~uintptr_t(kHugeAlign - 1);
    if (a > b) ::munmap(whole, a - b);
    uintptr_t e = b + reserved + kHugeAlign;
    if (e > a + reserved) ::munmap(reinterpret_cast<void*>(a + reserved), e - (a + reserved));
    return reinterpret_cast<void*>(a);
  }
  static constexpr size_t kHugeAlign = size_t(2) << 20;
  static constexpr int kExtraReads = 8;
  static constexpr size_t kGrowRoom = size_t(1) << 30;
  static constexpr size_t kReleaseStep = size_t(1) << 20;
  std::unique_ptr<RawFile> raw_;
  char last_ = '\n';  // the last byte read (a newline before the first)
  int extra_reads_ = 0;
  char* map_ = nullptr;
  size_t reserved_ = 0;  // bytes of address space at map_
  size_t size_ = 0;      // bytes of the file mapped
  size_t handed_ = 0;    // bytes handed out by map_next
  size_t released_ = 0;  // bytes whose pages were let go
  // The largest size the file was seen to have (the read-ahead thread
  // maps more as it grows, the reading thread checks it has not shrunk).
  std::atomic<uint64_t> known_size_{0};
  int slot_ = -1;
};

// Shared shape of the compressed readers: refill input, inflate into the
// caller's buffer, detect truncation at EOF.
class CompressedSource : public ByteSource {
 protected:
  explicit CompressedSource(std::unique_ptr<RawFile> raw) : raw_(std::move(raw)) {
    in_.reset(new char[kReadChunk]);
  }
  // Makes sure at least `want` bytes of input are available (fewer only at
  // EOF); returns false when none are left or on error.
  bool refill(size_t want = 1) {
    while (in_len_ - in_pos_ < want && !in_eof_) {
      size_t left = in_len_ - in_pos_;
      if (in_pos_ > 0) {
        std::memmove(in_.get(), in_.get() + in_pos_, left);
        in_base_ += in_pos_;
        in_pos_ = 0;
        in_len_ = left;
      }
      ssize_t n = raw_->read(in_.get() + in_len_, kReadChunk - in_len_);
      if (n < 0) {
        error_ = fmt::format("{}: read error at byte offset {}: {}", file_.path, raw_->offset(),
                             std::strerror(raw_->err()));
        return false;
      }
      if (n == 0) in_eof_ = true;
      in_len_ += size_t(n);
    }
    return in_pos_ < in_len_;
  }
  uint64_t in_offset() const { return in_base_ + in_pos_; }
  void set_damaged(std::string_view what) {
    error_ = fmt::format("{}: {} at compressed byte offset {}; the data before it was read",
                         file_.path, what, in_offset());
  }
  // A member's or frame's checksum is checked at its end, after its data was
  // handed out: say which data it covers, so that no one takes it as sound.
  // (A frame small enough to be decoded in one go is checked before any of
  // it is handed out: then none of it was read.)
  void set_checksum_damaged(std::string_view what, std::string_view unit) {
    if (out_total_ == unit_start_out_)
      error_ = fmt::format(
          "{}: {} in the {} at compressed byte offset {}: none of its data was read (from "
          "decompressed byte offset {} on); the data before it was read",
          file_.path, what, unit, unit_start_in_, unit_start_out_);
    else
      error_ = fmt::format(
          "{}: {} in the {} at compressed byte offset {}: its data, from decompressed byte "
          "offset {} to {}, was read but may be wrong",
          file_.path, what, unit, unit_start_in_, unit_start_out_, out_total_);
  }

  uint64_t out_total_ = 0;       // decompressed bytes handed out
  uint64_t unit_start_out_ = 0;  // decompressed offset where the current member/frame starts
  uint64_t unit_start_in_ = 0;   // its compressed offset

  std::unique_ptr<RawFile> raw_;
  std::unique_ptr<char[]> in_;
  size_t in_pos_ = 0, in_len_ = 0;
  uint64_t in_base_ = 0;
  bool in_eof_ = false;
};

bool at_gzip_magic(const char* p, size_t n) {
  return n >= 2 && uint8_t(p[0]) == 0x1f && uint8_t(p[1]) == 0x8b;
}

// What one call of a gzip inflater came to.
struct InflateStep {
  size_t in_left = 0, out_left = 0;  // input not consumed, output space not filled
  bool member_end = false;           // the member's trailer was read
  bool checksum = false;             // the damage is a CRC or length mismatch
  std::string damage;                // non-empty: what is wrong with the data
};

// The gzip framing shared by the ISA-L and zlib readers: members one after
// another, trailing data after the last member (a warning), a file that ends
// inside a member (an error). `Inflater` is the codec, a template parameter
// (no virtual call): constructed ready for the first member, next_member()
// readies it for another, and inflate(in, in_len, out, out_len) inflates what
// it can and says how far it got and whether the member ended.
template <class Inflater>
class GzipSource final : public CompressedSource {
 public:
  GzipSource(std::unique_ptr<RawFile> raw, InputFile f) : CompressedSource(std::move(raw)) {
    file_ = std::move(f);
  }
  size_t read(char* dst, size_t cap) override {
    if (!error_.empty() || done_) return 0;
    size_t produced = 0;
    while (produced == 0) {
      if (!refill(in_member_ ? 1 : 2)) {
        if (!error_.empty()) return 0;
        if (in_member_) set_damaged("truncated gzip data (the file ends inside a member)");
        done_ = true;
        return 0;
      }
      if (!in_member_) {
        // Between members: another member, or padding / garbage to report.
        if (!at_gzip_magic(in_.get() + in_pos_, in_len_ - in_pos_)) {
          warning_ = fmt::format(
              "{}: {} bytes of trailing data after the last gzip member "
              "(at compressed byte offset {}) ignored",
              file_.path, in_len_ - in_pos_, in_offset());
          done_ = true;
          return 0;
        }
        inflater_.next_member();
        in_member_ = true;
        unit_start_out_ = out_total_;
        unit_start_in_ = in_offset();
      }
      size_t room = std::min<size_t>(cap, 1u << 30);
      InflateStep step = inflater_.inflate(in_.get() + in_pos_, in_len_ - in_pos_, dst, room);
      in_pos_ = in_len_ - step.in_left;
      produced = room - step.out_left;
      out_total_ += produced;
      if (!step.damage.empty()) {
        if (step.checksum)
          set_checksum_damaged(step.damage, "member");
        else
          set_damaged(step.damage);
        return produced;
      }
      if (step.member_end) in_member_ = false;
    }
    return produced;
  }

 private:
  Inflater inflater_;
  bool in_member_ = true;
  bool done_ = false;
};

#ifdef TRACEKIT_HAVE_ISAL
class IsalInflater {
 public:
  IsalInflater() { next_member(); }
  IsalInflater(const IsalInflater&) = delete;
  IsalInflater& operator=(const IsalInflater&) = delete;
  void next_member() {
    isal_inflate_init(&st_);
    st_.crc_flag = ISAL_GZIP;
  }
  InflateStep inflate(char* in, size_t in_len, char* out, size_t out_len) {
    st_.next_in = reinterpret_cast<uint8_t*>(in);
    st_.avail_in = uint32_t(in_len);
    st_.next_out = reinterpret_cast<uint8_t*>(out);
    st_.avail_out = uint32_t(out_len);
    int ret = isal_inflate(&st_);
    InflateStep step;
    step.in_left = st_.avail_in;
    step.out_left = st_.avail_out;
    if (ret < 0) {
      step.checksum = ret == ISAL_INCORRECT_CHECKSUM;
      step.damage = step.checksum ? "gzip checksum mismatch" : "corrupt gzip data";
    } else
      step.member_end = st_.block_state == ISAL_BLOCK_FINISH;
    return step;
  }

 private:
  inflate_state st_;
};
using IsalGzipSource = GzipSource<IsalInflater>;
#endif

class ZlibInflater {
 public:
  ZlibInflater() {
    std::memset(&z_, 0, sizeof z_);
    inflateInit2(&z_, 15 + 16);
  }
  ~ZlibInflater() { inflateEnd(&z_); }
  ZlibInflater(const ZlibInflater&) = delete;
  ZlibInflater& operator=(const ZlibInflater&) = delete;
  void next_member() { inflateReset(&z_); }
  InflateStep inflate(char* in, size_t in_len, char* out, size_t out_len) {
    z_.next_in = reinterpret_cast<Bytef*>(in);
    z_.avail_in = uInt(in_len);
    z_.next_out = reinterpret_cast<Bytef*>(out);
    z_.avail_out = uInt(out_len);
    int ret = ::inflate(&z_, Z_NO_FLUSH);
    InflateStep step;
    step.in_left = z_.avail_in;
    step.out_left = z_.avail_out;
    if (ret == Z_STREAM_END)
      step.member_end = true;
    else if (ret != Z_OK && ret != Z_BUF_ERROR) {
      // zlib says "incorrect data check" / "incorrect length check" for the
      // trailer ("incorrect header check" is a damaged header, not that).
      step.checksum =
          z_.msg && (std::strstr(z_.msg, "data check") || std::strstr(z_.msg, "length check"));
      step.damage = z_.msg ? fmt::format("corrupt gzip data ({})", z_.msg) : "corrupt gzip data";
    }
    return step;
  }

 private:
  z_stream z_;
};
using ZlibGzipSource = GzipSource<ZlibInflater>;

class ZstdSource final : public CompressedSource {
 public:
  ZstdSource(std::unique_ptr<RawFile> raw, InputFile f) : CompressedSource(std::move(raw)) {
    file_ = std::move(f);
    ds_ = ZSTD_createDStream();
    ZSTD_initDStream(ds_);
  }
  ~ZstdSource() override { ZSTD_freeDStream(ds_); }
  size_t read(char* dst, size_t cap) override {
    if (!error_.empty() || done_) return 0;
    ZSTD_outBuffer out{dst, cap, 0};
    for (;;) {
      bool have_input = refill();
      if (!error_.empty()) return out.pos;
      ZSTD_inBuffer in{in_.get(), have_input ? in_len_ : 0, have_input ? in_pos_ : 0};
      if (!have_input && last_ret_ == 0) {
        done_ = true;
        return out.pos;
      }
      size_t before = out.pos;
      size_t ret = ZSTD_decompressStream(ds_, &out, &in);
      if (have_input) in_pos_ = in.pos;
      out_total_ += out.pos - before;
      if (ZSTD_isError(ret)) {
        std::string what = fmt::format("corrupt zstd data ({})", ZSTD_getErrorName(ret));
        if (ZSTD_getErrorCode(ret) == ZSTD_error_checksum_wrong)
          set_checksum_damaged(what, "frame");
        else
          set_damaged(what);
        return out.pos;
      }
      if (ret == 0) {  // a frame ended: the next starts here
        unit_start_out_ = out_total_;
        unit_start_in_ = in_offset();
      }
      last_ret_ = ret;
      if (out.pos > 0) return out.pos;
      if (!have_input) {
        set_damaged("truncated zstd data (the file ends inside a frame)");
        done_ = true;
        return 0;
      }
    }
  }

 private:
  ZSTD_DStream* ds_;
  size_t last_ret_ = 0;
  bool done_ = false;
};

// Decompresses on a second thread, a few chunks ahead of the reader, so that
// inflating and parsing overlap. The bytes are the same; only the work moves.
class PrefetchSource final : public ByteSource {
 public:
  explicit PrefetchSource(std::unique_ptr<ByteSource> inner) : inner_(std::move(inner)) {
    file_ = inner_->file();
    worker_ = std::thread([this] { produce(); });
  }
  ~PrefetchSource() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }
  size_t read(char* dst, size_t cap) override {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !ready_.empty() || done_; });
    if (ready_.empty()) {
      error_ = inner_->error();
      warning_ = inner_->warning();
      cut_at_end_ = inner_->cut_at_end();
      return 0;
    }
    Chunk& c = ready_.front();
    size_t n = std::min(cap, c.data.size() - c.pos);
    std::memcpy(dst, c.data.data() + c.pos, n);
    c.pos += n;
    if (c.pos == c.data.size()) {
      ready_.pop_front();
      cv_.notify_all();
    }
    return n;
  }

 private:
  static constexpr size_t kChunk = 1 << 20;
  static constexpr size_t kAhead = 4;
  struct Chunk {
    std::vector<char> data;
    size_t pos = 0;
  };
  void produce() {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return ready_.size() < kAhead || stop_; });
        if (stop_) break;
      }
      Chunk c;
      c.data.resize(kChunk);
      size_t got = 0;
      while (got < kChunk) {
        size_t n = inner_->read(c.data.data() + got, kChunk - got);
        if (n == 0) break;
        got += n;
      }
      c.data.resize(got);
      std::lock_guard<std::mutex> lock(mu_);
      if (got > 0) ready_.push_back(std::move(c));
      if (got < kChunk) break;  // end of input, or an error (inner keeps it)
      cv_.notify_all();
    }
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
  std::unique_ptr<ByteSource> inner_;
  std::thread worker_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Chunk> ready_;
  bool done_ = false;
  bool stop_ = false;
};

std::string_view strip_compression_suffix(std::string_view p) {
  for (std::string_view suf : {".gz", ".zst", ".bz2", ".xz", ".Z"})
    if (p.size() > suf.size() && p.substr(p.size() - suf.size()) == suf)
      return p.substr(0, p.size() - suf.size());
  return p;
}

// (base, rank) so that sorting puts a rotated set oldest first.
struct RotationKey {
  std::string base;
  int kind;  // 0 numbered (.N), 1 dated (-YYYYMMDD), 2 current
  int64_t order;
  bool operator<(const RotationKey& o) const {
    return std::tie(base, kind, order) < std::tie(o.base, o.kind, o.order);
  }
};

RotationKey rotation_key(std::string_view path) {
  std::string_view p = strip_compression_suffix(path);
  size_t i = p.size();
  while (i > 0 && p[i - 1] >= '0' && p[i - 1] <= '9') --i;
  size_t digits = p.size() - i;
  if (digits > 0 && i > 0 && p[i - 1] == '.' && digits <= 4) {
    int64_t n = 0;
    for (char c : p.substr(i)) n = n * 10 + (c - '0');
    return {std::string(p.substr(0, i - 1)), 0, -n};
  }
  if ((digits == 8 || digits == 10) && i > 0 && p[i - 1] == '-') {
    int64_t n = 0;
    for (char c : p.substr(i)) n = n * 10 + (c - '0');
    return {std::string(p.substr(0, i - 1)), 1, n};
  }
  return {std::string(p), 2, 0};
}

}  // namespace

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::gzip:
      return "gzip";
    case Compression::zstd:
      return "zstd";
    default:
      return "none";
  }
}

bool gzip_uses_isal() {
#ifdef TRACEKIT_HAVE_ISAL
  return true;
#else
  return false;
#endif
}

// TRACEKIT_THREADS=1 keeps decompression (and the reads of plain files, see
// ReadAhead, and the NAT store's compaction) on the one thread: for machines
// where a second one is unwelcome and so that a test can show the output
// does not depend on it. Any other value (or none): the default, a second
// thread reading ahead.
bool one_thread() {
  static const bool one = [] {
    const char* env = std::getenv("TRACEKIT_THREADS");
    return env && std::string_view(env) == "1";
  }();
  return one;
}

static std::unique_ptr<ByteSource> prefetched(std::unique_ptr<ByteSource> inner) {
  if (one_thread()) return inner;
  return std::make_unique<PrefetchSource>(std::move(inner));
}

namespace {

// The streams opened in this process, by device and inode (so that "-" and
// /dev/stdin are one), kept open for the next open of the same stream.
std::mutex streams_mu;
std::map<std::pair<dev_t, ino_t>, std::shared_ptr<Stream>> streams;

// A stream opened before, or null; `error` set when it cannot be read again.
std::shared_ptr<Stream> stream_opened_before(const struct stat& st, const std::string& path,
                                             std::string& error) {
  std::lock_guard<std::mutex> lock(streams_mu);
  auto it = streams.find({st.st_dev, st.st_ino});
  if (it == streams.end()) return nullptr;
  std::lock_guard<std::mutex> lock_stream(it->second->mu);
  if (!it->second->whole) {
    error = fmt::format(
        "cannot read {} again: it is a pipe or FIFO, and more than {} MiB of it was read "
        "already; save it to a file and name the file",
        path == "-" ? std::string("the standard input") : path, kStreamKeep >> 20);
    return nullptr;
  }
  return it->second;
}

std::shared_ptr<Stream> stream_register(const struct stat& st, int fd) {
  auto s = std::make_shared<Stream>(fd);
  std::lock_guard<std::mutex> lock(streams_mu);
  streams[{st.st_dev, st.st_ino}] = s;
  return s;
}

}  // namespace

std::unique_ptr<ByteSource> open_input(const std::string& path, std::string& error) {
  error.clear();
  InputFile f;
  f.path = path;
  struct stat st;
  std::unique_ptr<RawFile> raw;
  if (path == "-") {
    f.is_stdin = true;
    if (::fstat(0, &st) != 0) {
      error = fmt::format("cannot read standard input: {}", std::strerror(errno));
      return nullptr;
    }
    if (S_ISDIR(st.st_mode)) {
      error = "cannot read standard input: it is a directory";
      return nullptr;
    }
    if (S_ISREG(st.st_mode)) {
      // Redirected from a file: every open reads it from where it started
      // (a dup shares the offset, which the last reader left at the end).
      static const off_t stdin_start = ::lseek(0, 0, SEEK_CUR);
      int fd = ::dup(0);
      if (fd < 0 || ::lseek(fd, std::max<off_t>(stdin_start, 0), SEEK_SET) < 0) {
        error = fmt::format("cannot read standard input: {}", std::strerror(errno));
        if (fd >= 0) ::close(fd);
        return nullptr;
      }
      raw = std::make_unique<RawFile>(fd);
      f.size = uint64_t(st.st_size);
    } else {
      std::shared_ptr<Stream> s = stream_opened_before(st, path, error);
      if (!s && !error.empty()) return nullptr;
      if (!s) {
        int fd = ::dup(0);
        if (fd < 0) {
          error = fmt::format("cannot read standard input: {}", std::strerror(errno));
          return nullptr;
        }
        s = stream_register(st, fd);
      }
      raw = std::make_unique<RawFile>(std::move(s));
    }
  } else {
    if (::stat(path.c_str(), &st) != 0) {
      error = fmt::format("cannot open {}: {}", path, std::strerror(errno));
      return nullptr;
    }
    if (S_ISDIR(st.st_mode)) {
      error = fmt::format("cannot read {}: it is a directory", path);
      return nullptr;
    }
    if (S_ISREG(st.st_mode)) {
      int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
      if (fd < 0 || ::fstat(fd, &st) != 0) {
        error = fmt::format("cannot open {}: {}", path, std::strerror(errno));
        if (fd >= 0) ::close(fd);
        return nullptr;
      }
      f.size = uint64_t(st.st_size);
      ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
      raw = std::make_unique<RawFile>(fd);
    } else {
      // A FIFO (opening it waits for a writer, as cat does), a socket, a
      // device: read as a stream; opened once, whatever the number of opens.
      std::shared_ptr<Stream> s = stream_opened_before(st, path, error);
      if (!s && !error.empty()) return nullptr;
      if (!s) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
          error = fmt::format("cannot open {}: {}", path, std::strerror(errno));
          return nullptr;
        }
        s = stream_register(st, fd);
      }
      raw = std::make_unique<RawFile>(std::move(s));
    }
  }
  f.mtime = mtime_of(st);
  std::string_view magic = raw->peek(4);
  if (raw->err()) {
    error = fmt::format("cannot read {}: {}", path, std::strerror(raw->err()));
    return nullptr;
  }
  if (magic.size() >= 2 && uint8_t(magic[0]) == 0x1f && uint8_t(magic[1]) == 0x8b) {
    f.compression = Compression::gzip;
#ifdef TRACEKIT_HAVE_ISAL
    return prefetched(std::make_unique<IsalGzipSource>(std::move(raw), std::move(f)));
#else
    return prefetched(std::make_unique<ZlibGzipSource>(std::move(raw), std::move(f)));
#endif
  }
  if (magic.size() >= 4 && uint8_t(magic[0]) == 0x28 && uint8_t(magic[1]) == 0xb5 &&
      uint8_t(magic[2]) == 0x2f && uint8_t(magic[3]) == 0xfd) {
    f.compression = Compression::zstd;
    return prefetched(std::make_unique<ZstdSource>(std::move(raw), std::move(f)));
  }
  return std::make_unique<PlainSource>(std::move(raw), std::move(f));
}

// Keeps the zlib reader compiled (and tested) when ISA-L is present.
std::unique_ptr<ByteSource> open_input_zlib_for_tests(const std::string& path, std::string& error);
std::unique_ptr<ByteSource> open_input_zlib_for_tests(const std::string& path, std::string& error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = fmt::format("cannot open {}: {}", path, std::strerror(errno));
    return nullptr;
  }
  InputFile f;
  f.path = path;
  f.compression = Compression::gzip;
  return std::make_unique<ZlibGzipSource>(std::make_unique<RawFile>(fd), std::move(f));
}

// The index of the first byte >= 0x80 in p[i, stop), or stop: 64 bytes at a
// time, then 8.
static size_t ascii_until(const unsigned char* p, size_t i, size_t stop) {
#if defined(__SSE2__)
  while (i + 64 <= stop) {
    __m128i v =
        _mm_or_si128(_mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)),
                                  _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16))),
                     _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 32)),
                                  _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 48))));
    if (_mm_movemask_epi8(v)) break;
    i += 64;
  }
#endif
  while (i + 8 <= stop) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w & 0x8080808080808080ull) break;
    i += 8;
  }
  while (i < stop && p[i] < 0x80) ++i;
  return i;
}

// Goes a few blocks ahead of the lines being parsed, on a second thread:
// reads a plain file into buffers that the LineReader then takes over whole
// (the kernel's copy into user memory runs beside the parsing, and no byte is
// copied twice; buffers go round, the reader handing back the one it is done
// with), or goes over a mapped file first (its pages come in here). Either
// way each block's newlines, NUL bytes and ASCII start are found here.
namespace {

// Sets bit k of `marks` where the line ending at newlines[k] (indexes from
// `base`) holds what `marker` finds, for the lines from the one starting at
// `from` (a line's start, at or before the first newline at or after it) to
// the last newline. Bits of lines before are left clear.
void mark_block(const LineMarker& marker, const char* base, const std::vector<uint32_t>& newlines,
                const char* from, std::vector<uint64_t>& marks, std::vector<const char*>& hits) {
  const size_t count = newlines.size();
  marks.assign((count + 63) / 64, 0);
  if (count == 0 || from > base + newlines.back()) return;
  hits.clear();
  marker.find(from, base + newlines.back() + 1, hits);
  size_t k = 0;  // the newline that ends the line of a hit
  for (const char* hit : hits) {
    while (k < count && base + newlines[k] < hit) ++k;
    if (k < count) marks[k >> 6] |= uint64_t(1) << (k & 63);
  }
}

}  // namespace

class ReadAhead {
 public:
  static constexpr size_t kNoNul = SIZE_MAX;
  struct Block {
    std::unique_ptr<char[]> data;  // read: the bytes at [front, front + size)
    size_t at = 0;                 // mapped: the bytes' offset in the file
    size_t size = 0;
    size_t first_nul = kNoNul;       // index in the bytes of the first NUL
    size_t ascii = 0;                // the bytes before this index are ASCII
    std::vector<uint32_t> newlines;  // indexes in the bytes of every newline
    // Mapped, with a marker: bit k set when the line ending at newline k is
    // marked (LineReader::marks_); marked: the block was looked at.
    std::vector<uint64_t> marks;
    bool marked = false;
    size_t line_at = 0;  // mapped: where the line the block begins in starts
    // Mapped, with a marker that keys lines, when the thread had the time:
    // the key of the line ending at newline k, for k >= 1 (LineReader::keys_).
    std::vector<uint64_t> keys;
    bool keyed = false;
  };
  // Buffers of `cap` bytes, blocks of up to `block` bytes put `front` bytes in.
  // Threaded: a thread of its own reads ahead; else take() reads each block
  // when it is asked for (TRACEKIT_THREADS=1), which still spares the reader
  // a search for each line's newline.
  ReadAhead(ByteSource& src, size_t cap, size_t front, size_t block, bool threaded)
      : src_(src), cap_(cap), front_(front), block_(block) {
    for (size_t k = 0; k < (threaded ? kSpare : 1); ++k) spare_.emplace_back(new char[cap]);
    if (threaded) worker_ = std::thread([this] { run(); });
  }
  // A mapped source (ByteSource::map gave `data`), in blocks of up to `block`.
  ReadAhead(ByteSource& src, const char* data, size_t block, bool threaded)
      : src_(src), cap_(0), front_(0), block_(block), mapped_(data) {
    if (threaded) worker_ = std::thread([this] { run(); });
  }
  ~ReadAhead() {
    if (!worker_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    worker_.join();
  }
  ReadAhead(const ReadAhead&) = delete;
  ReadAhead& operator=(const ReadAhead&) = delete;
  // The next block, or false at the end of the input (or after an error:
  // the source says which).
  bool take(Block& out) {
    if (!worker_.joinable() && !done_) {
      // Without the thread: the next block, read here.
      Block b;
      std::shared_ptr<const LineMarker> marker;
      {
        std::lock_guard<std::mutex> lock(mu_);
        marker = marker_;
        ready_for_reading(b);
      }
      produce(b, marker);
    }
    std::unique_lock<std::mutex> lock(mu_);
    // (Not while the thread keys it: that ends soon.)
    cv_.wait(lock, [&] { return ready_.empty() ? done_ : keying_ != &ready_.front(); });
    if (ready_.empty()) return false;
    out = std::move(ready_.front());
    ready_.pop_front();
    return true;
  }
  // A buffer of `size` bytes: one of its own (other sizes are freed); and
  // a newline index to fill again.
  void give_back(std::unique_ptr<char[]> buffer, size_t size, std::vector<uint32_t> newlines = {}) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (buffer && size == cap_) spare_.push_back(std::move(buffer));
      if (newlines.capacity()) spare_newlines_.push_back(std::move(newlines));
    }
    cv_.notify_all();
  }
  size_t buffer_size() const { return cap_; }
  // Mapped: the blocks not yet taken are marked by `marker` (those read
  // already, here).
  void set_marker(std::shared_ptr<const LineMarker> marker) {
    std::lock_guard<std::mutex> lock(mu_);
    marker_ = std::move(marker);
    std::vector<const char*> hits;
    for (Block& b : ready_)
      if (!b.marked && marker_) mark(b, *marker_, hits);
  }

 private:
  // Buffers besides the reader's own: two blocks read ahead at most.
  static constexpr size_t kSpare = 2;
  // Mapped: blocks indexed ahead at most. Eight: a batch's parsing thread and
  // this one each slow down in turn (the NAT store's compactions take a core
  // now and then); with three blocks between them each waited for the other,
  // about a tenth of the run. It costs a megabyte of the file mapped per
  // block. While it waits the thread keys the lines of all but the first.
  static constexpr size_t kMappedAhead = 8;
  void run() {
    std::vector<uint64_t> keys;
    for (;;) {
      Block b;
      std::shared_ptr<const LineMarker> marker;
      {
        std::unique_lock<std::mutex> lock(mu_);
        for (;;) {
          if (stop_) return;
          if (mapped_ ? ready_.size() < kMappedAhead : !spare_.empty()) break;
          // Ahead of the reader, with nothing to read: the time to key
          // the lines of the blocks waiting. Not the first, which the
          // reader takes next: it would wait for the keys.
          Block* todo = nullptr;
          if (mapped_ && marker_ && marker_->keys())
            for (size_t k = 1; k < ready_.size() && !todo; ++k)
              if (!ready_[k].keyed) todo = &ready_[k];
          if (!todo) {
            cv_.wait(lock);
            continue;
          }
          // (The reader takes blocks before it, not it, meanwhile: the
          // reference stays good; and nothing changes its bytes or newlines.)
          keying_ = todo;
          marker = marker_;
          lock.unlock();
          key_block(*todo, *marker, keys);
          lock.lock();
          todo->keys.swap(keys);
          todo->keyed = true;
          keying_ = nullptr;
          cv_.notify_all();
        }
        marker = marker_;
        ready_for_reading(b);
      }
      if (produce(b, marker)) return;
    }
  }
  // A buffer (read, not mapped) and a newline index for the next block
  // (with mu_ held).
  void ready_for_reading(Block& b) {
    if (!mapped_) {
      b.data = std::move(spare_.back());
      spare_.pop_back();
    }
    if (!spare_newlines_.empty()) {
      b.newlines = std::move(spare_newlines_.back());
      spare_newlines_.pop_back();
    }
  }
  // Reads (or maps) the next block into `b`, indexes and marks it, and puts
  // it in ready_. Returns whether the input ended there.
  bool produce(Block& b, const std::shared_ptr<const LineMarker>& marker) {
    bool end;
    if (mapped_) {
      b.at = mapped_at_;
      while (b.size < block_) {
        size_t n = src_.map_next(block_ - b.size);
        if (n == 0) break;
        b.size += n;
      }
      index(b, mapped_ + b.at);
      // Its bytes were read: those of a file that shrank meanwhile are not.
      size_t good = src_.map_confirm(b.at, b.size);
      end = b.size < block_ || good < b.size;
      if (good < b.size) {
        b.size = good;
        index(b, mapped_ + b.at);
      }
      b.line_at = line_at_;
      if (marker) mark(b, *marker, hits_);
      if (!b.newlines.empty()) line_at_ = b.at + b.newlines.back() + 1;
      mapped_at_ += b.size;
    } else {
      char* at = b.data.get() + front_;
      while (b.size < block_) {
        size_t n = src_.read(at + b.size, block_ - b.size);
        if (n == 0) break;
        b.size += n;
      }
      index(b, at);
      end = b.size < block_;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (mapped_ && !b.marked && marker_) mark(b, *marker_, hits_);  // (set meanwhile)
      if (b.size > 0)
        ready_.push_back(std::move(b));
      else if (!mapped_)
        spare_.push_back(std::move(b.data));
      done_ = end;
    }
    cv_.notify_all();
    return end;
  }
  // Mapped: the keys of the block's lines (that begin in it) into `keys`.
  void key_block(const Block& b, const LineMarker& marker, std::vector<uint64_t>& keys) const {
    const char* base = mapped_ + b.at;
    keys.assign(b.newlines.size(), 0);
    for (size_t k = 1; k < b.newlines.size(); ++k) {
      const char* from = base + b.newlines[k - 1] + 1;
      const char* to = base + b.newlines[k];
      if (to > from && to[-1] == '\r') --to;
      keys[k] = marker.key({from, size_t(to - from)});
    }
  }
  // Mapped: marks the lines of the block, from the one it begins in.
  void mark(Block& b, const LineMarker& marker, std::vector<const char*>& hits) const {
    mark_block(marker, mapped_ + b.at, b.newlines, mapped_ + b.line_at, b.marks, hits);
    b.marked = true;
  }
  // Finds the block's first NUL, ASCII start and newlines, its bytes at `at`.
  static void index(Block& b, const char* at) {
    b.first_nul = kNoNul;
    b.newlines.clear();
#if defined(__x86_64__) && defined(__GNUC__)
    if (kHaveAvx2) {
      index_avx2(b, at);
      return;
    }
#endif
    if (const void* z = std::memchr(at, 0, b.size))
      b.first_nul = size_t(static_cast<const char*>(z) - at);
    b.ascii = ascii_until(reinterpret_cast<const unsigned char*>(at), 0, b.size);
    for (const char *p = at, *e = at + b.size;
         (p = static_cast<const char*>(std::memchr(p, '\n', size_t(e - p)))); ++p)
      b.newlines.push_back(uint32_t(p - at));
  }
#if defined(__x86_64__) && defined(__GNUC__)
  // The same in one pass, 64 bytes at a time: a line's newline costs a bit
  // taken from a mask, not a call to memchr (lines of a log are short).
  __attribute__((target("avx2"))) static void index_avx2(Block& b, const char* at) {
    const __m256i nl = _mm256_set1_epi8('\n');
    const __m256i zero = _mm256_setzero_si256();
    constexpr size_t kNone = SIZE_MAX;
    size_t high = kNone, i = 0;
    // Sixty-four bytes a round (lines are longer than 32 bytes: most rounds
    // find one newline or none), the block's last bytes one by one.
    for (; i + 64 <= b.size; i += 64) {
      __m256i v0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at + i));
      __m256i v1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at + i + 32));
      __m256i z0 = _mm256_cmpeq_epi8(v0, zero), z1 = _mm256_cmpeq_epi8(v1, zero);
      uint64_t m = uint64_t(unsigned(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v0, nl)))) |
                   uint64_t(unsigned(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v1, nl)))) << 32;
      // (NUL and high bytes first: no vector is then kept across push_back.)
      if (_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(z0, v0), _mm256_or_si256(z1, v1)))) {
        uint64_t zm = uint64_t(unsigned(_mm256_movemask_epi8(z0))) |
                      uint64_t(unsigned(_mm256_movemask_epi8(z1))) << 32;
        uint64_t hm = uint64_t(unsigned(_mm256_movemask_epi8(v0))) |
                      uint64_t(unsigned(_mm256_movemask_epi8(v1))) << 32;
        if (zm && b.first_nul == kNoNul) b.first_nul = i + unsigned(std::countr_zero(zm));
        if (hm && high == kNone) high = i + unsigned(std::countr_zero(hm));
      }
      while (m) {
        b.newlines.push_back(uint32_t(i + unsigned(std::countr_zero(m))));
        m &= m - 1;
      }
    }
    for (; i < b.size; ++i) {
      char c = at[i];
      if (c == '\n') b.newlines.push_back(uint32_t(i));
      if (c == '\0' && b.first_nul == kNoNul) b.first_nul = i;
      if ((c & 0x80) && high == kNone) high = i;
    }
    b.ascii = high == kNone ? b.size : high;
  }
#endif
  ByteSource& src_;
  const size_t cap_, front_, block_;
  std::thread worker_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Block> ready_;
  std::vector<std::unique_ptr<char[]>> spare_;
  std::vector<std::vector<uint32_t>> spare_newlines_;
  bool done_ = false, stop_ = false;
  const Block* keying_ = nullptr;  // the block of ready_ the thread keys
  // The reading side's own (the thread's, or take()'s without it):
  size_t mapped_at_ = 0;  // mapped: the offset of the next block
  size_t line_at_ = 0;    // mapped: where the line the last block ended in starts
  std::vector<const char*> hits_;
  const char* const mapped_ = nullptr;  // the mapped file, or null: read
  std::shared_ptr<const LineMarker> marker_;
};

LineReader::LineReader(ByteSource& src, size_t block_size, size_t max_line, bool read_ahead,
                       bool map)
    : src_(src),
      block_size_(block_size),
      max_line_(max_line),
      // What is left of the buffer when a block is taken is shorter than a
      // line may be (next() cuts longer ones) and than a block (head()).
      front_(std::max(block_size, max_line)),
      may_read_ahead_(read_ahead),
      may_map_(map) {
  cap_ = front_ + block_size_ + 1;
  buf_.reset(new char[cap_]);
  data_ = buf_.get();
}

LineReader::~LineReader() = default;

bool LineReader::fill_ahead() {
  ReadAhead::Block b;
  if (!ahead_->take(b)) {
    // (A file that shrank after its last block was read shows here.)
    if (mapped_ && src_.map_damaged(begin_, false)) stop_mapped();
    eof_ = true;
    return false;
  }
  if (mapped_) {
    // The block follows the bytes before it in the file, and in memory;
    // unless the file has shrunk since (its bytes may be zeros now).
    if (src_.map_damaged(begin_, false)) {
      ahead_->give_back(nullptr, 0, std::move(b.newlines));
      stop_mapped();
      return false;
    }
    src_.map_release(begin_);
    end_ = b.at + b.size;
    block_at_ = b.at;
    std::swap(newlines_, b.newlines);
    newline_next_ = 0;
    marks_.swap(b.marks);
    marks_valid_ = b.marked;
    keys_.swap(b.keys);
    keys_valid_ = b.keyed;
    ahead_->give_back(nullptr, 0, std::move(b.newlines));
    if (nul_at_ == kNoNul && b.first_nul != ReadAhead::kNoNul) nul_at_ = b.at + b.first_nul;
    note_ascii(b.at, b.at + b.ascii);
    return true;
  }
  // The unread bytes go just before the block's, and the buffer they were
  // in goes back to be filled again. (Blocks read are never marked.)
  marks_valid_ = keys_valid_ = false;
  size_t left = end_ - begin_;
  uint64_t left_offset = base_offset_ + begin_;
  if (left > front_) {
    // (Not reached: next() cuts a line before it is longer than front_, and
    // head() stops at a block. Were it reached, the bytes would still be
    // read right: both parts copied into a buffer of their own.)
    std::unique_ptr<char[]> both(new char[left + b.size + 1]);
    std::memcpy(both.get(), buf_.get() + begin_, left);
    std::memcpy(both.get() + left, b.data.get() + front_, b.size);
    ahead_->give_back(std::move(b.data), ahead_->buffer_size());
    ahead_->give_back(std::move(buf_), cap_);
    buf_ = std::move(both);
    data_ = buf_.get();
    cap_ = left + b.size + 1;
    begin_ = 0;
    end_ = left + b.size;
    base_offset_ = left_offset;
    newlines_.clear();  // (find_newline searches the buffer itself then)
    newline_next_ = 0;
    if (nul_at_ == kNoNul && b.first_nul != ReadAhead::kNoNul)
      nul_at_ = left_offset + left + b.first_nul;
    return true;
  }
  char* to = b.data.get() + front_ - left;
  if (left) std::memcpy(to, buf_.get() + begin_, left);
  std::swap(buf_, b.data);
  data_ = buf_.get();
  std::swap(newlines_, b.newlines);
  ahead_->give_back(std::move(b.data), cap_, std::move(b.newlines));
  cap_ = ahead_->buffer_size();
  newline_next_ = 0;
  block_at_ = front_;
  begin_ = front_ - left;
  end_ = front_ + b.size;
  base_offset_ = left_offset - begin_;
  if (nul_at_ == kNoNul && b.first_nul != ReadAhead::kNoNul)
    nul_at_ = base_offset_ + front_ + b.first_nul;
  note_ascii(base_offset_ + front_, base_offset_ + front_ + b.ascii);
  return true;
}

const char* LineReader::find_newline(const char* start, size_t avail) {
  if (!ahead_ || newlines_.empty())
    return static_cast<const char*>(std::memchr(start, '\n', avail));
  // Bytes before the block (the start of a line carried over, or what
  // head() left unread) are searched; the block's newlines are known.
  size_t from = size_t(start - data_);
  if (from < block_at_) {
    size_t n = std::min(block_at_ - from, avail);
    if (const void* nl = std::memchr(start, '\n', n)) return static_cast<const char*>(nl);
    from = block_at_;
  }
  while (newline_next_ < newlines_.size() && block_at_ + newlines_[newline_next_] < from)
    ++newline_next_;
  if (newline_next_ == newlines_.size()) return nullptr;
  const char* nl = data_ + block_at_ + newlines_[newline_next_];
  if (nl >= start + avail) return nullptr;  // (a block cut short: not past end_)
  // Mapped, the bytes may have changed since they were indexed (a file
  // truncated in place reads as zeros): the newline must still be there.
  if (*nl != '\n') {
    map_changed_ = true;
    return nullptr;
  }
  return nl;
}

void LineReader::mark_lines(std::shared_ptr<const LineMarker> marker) {
  marker_ = std::move(marker);
  if (!ahead_ || !mapped_) return;
  ahead_->set_marker(marker_);
  // The block at hand, from the next line on.
  if (!marks_valid_ && marker_) {
    std::vector<const char*> hits;
    mark_block(*marker_, data_ + block_at_, newlines_, data_ + begin_, marks_, hits);
    marks_valid_ = true;
  }
}

void LineReader::stop_reading() {
  ahead_.reset();
  may_read_ahead_ = false;
  eof_ = true;
  begin_ = end_;
}

bool LineReader::fill() {
  if (eof_) return false;
  if (may_map_ || may_read_ahead_) {
    // Decided at the first read, when nothing of the source was taken yet.
    // (Newlines are listed as 32-bit indexes into a block.) A file is mapped
    // only with blocks indexed ahead (by the thread, or by take() itself
    // with TRACEKIT_THREADS=1): the newlines found are checked as lines are
    // handed out, which shows bytes changed under the reader (a file
    // truncated in place and written again).
    const bool ahead = may_read_ahead_ && block_size_ < UINT32_MAX;
    const char* map = may_map_ && ahead ? src_.map() : nullptr;
    may_map_ = may_read_ahead_ = false;
    if (map) {
      mapped_ = true;
      data_ = map;
      base_offset_ = begin_ = end_ = 0;
      ahead_ = std::make_unique<ReadAhead>(src_, map, block_size_, !one_thread());
      if (marker_) ahead_->set_marker(marker_);
    } else if (ahead && src_.read_ahead_pays()) {
      ahead_ = std::make_unique<ReadAhead>(src_, cap_, front_, block_size_, !one_thread());
    }
  }
  if (ahead_) return fill_ahead();
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    base_offset_ += begin_;
    end_ -= begin_;
    begin_ = 0;
  }
  size_t room = cap_ - 1 - end_;
  if (room == 0) return false;
  size_t n = src_.read(buf_.get() + end_, std::min(room, block_size_));
  if (n == 0) {
    eof_ = true;
    return false;
  }
  if (nul_at_ == kNoNul) {
    if (const void* z = std::memchr(buf_.get() + end_, 0, n))
      nul_at_ = base_offset_ + uint64_t(static_cast<const char*>(z) - buf_.get());
  }
  end_ += n;
  return true;
}

// The mapped file changed under the reader (ByteSource::map_damaged, with
// the error set): nothing from begin_ on is handed out.
void LineReader::stop_mapped() {
  ahead_.reset();
  end_ = begin_;
  eof_ = true;
  map_changed_ = false;
}

void LineReader::find_nul(uint64_t from) {
  size_t i = size_t(from - base_offset_);
  const void* z = i < end_ ? std::memchr(data_ + i, 0, end_ - i) : nullptr;
  nul_at_ = z ? base_offset_ + uint64_t(static_cast<const char*>(z) - data_) : kNoNul;
}

std::string_view LineReader::head() {
  if (end_ - begin_ < block_size_ && !eof_) {
    while (end_ - begin_ < std::min<size_t>(block_size_, 64 * 1024) && fill()) {
    }
  }
  return {data_ + begin_, end_ - begin_};
}

bool LineReader::next_slow(Line& out) {
  uint64_t nul_run = kNoNul;  // where a run of NULs before this line's text started
  for (;;) {
    if (nul_at_ < base_offset_ + begin_) find_nul(base_offset_ + begin_);
    if (!skipping_ && nul_at_ == base_offset_ + begin_) {
      // The line starts with NULs (what a crash leaves of preallocated
      // blocks, however long): they are passed over, a buffer at a time, so
      // that the line written after them is read.
      if (nul_run == kNoNul) nul_run = nul_at_;
      const char* p = data_ + begin_;
      const char* e = data_ + end_;
      while (p < e && *p == '\0') ++p;
      begin_ = size_t(p - data_);
      if (p < e) continue;  // the text after the run
      if (fill()) continue;
      // The input ends in the run: an empty line, so that it is counted.
    }
    const char* start = data_ + begin_;
    size_t avail = end_ - begin_;
    const char* nl = find_newline(start, avail);
    if (map_changed_) {
      src_.map_damaged(begin_, true);
      stop_mapped();
      continue;
    }
    if (skipping_) {
      // Discard the rest of an over-long line.
      if (!nl) {
        begin_ = end_;
        if (!fill()) {
          skipping_ = false;
          return false;
        }
        continue;
      }
      begin_ += size_t(nl - start) + 1;
      skipping_ = false;
      continue;
    }
    size_t len;
    bool truncated = false, cut = false;
    // A line longer than max_line_ is cut, whether or not its newline is in
    // the buffer yet: which lines are cut must not depend on how the bytes
    // came in (read sizes, blocks read ahead).
    if (nl && size_t(nl - start) <= max_line_) {
      len = size_t(nl - start);
    } else if (nl || avail > max_line_) {
      len = max_line_;
      truncated = true;
    } else if (!eof_ && fill()) {
      continue;
    } else if (end_ > begin_ || nul_run != kNoNul) {
      // The last line, without a newline: whole, unless the input stopped
      // inside it (damage, a read error, a writer still appending).
      start = data_ + begin_;
      len = end_ - begin_;
      cut = len > 0 && (!src_.error().empty() || src_.cut_at_end());
    } else {
      return false;
    }
    out.offset = base_offset_ + begin_;
    out.number = ++line_no_;
    out.truncated = truncated;
    out.cut = cut;
    out.nul = nul_run != kNoNul || nul_at_ < out.offset + len;
    out.nul_offset = nul_run != kNoNul ? nul_run : nul_at_;
    // Marked when its newline is one the thread found in a block it marked
    // (the line begun in the block before, the usual case here).
    out.mark = -1;
    out.keyed = false;  // (the usual line is keyed in next())
    out.key = 0;
    if (marks_valid_ && nl && !truncated && newline_next_ < newlines_.size() &&
        data_ + block_at_ + newlines_[newline_next_] == nl)
      out.mark = mark_at(newline_next_);
    size_t text_len = len;
    if (!truncated && text_len > 0 && start[text_len - 1] == '\r') --text_len;
    out.text = {start, text_len};
    line_begin_ = begin_;
    if (truncated && nl) {
      begin_ += size_t(nl - start) + 1;  // its rest is here: passed over
      consumed_total_ = base_offset_ + begin_;
    } else if (truncated) {
      begin_ = end_;
      skipping_ = true;
    } else {
      begin_ += nl ? len + 1 : len;
      consumed_total_ = base_offset_ + begin_;
    }
    return true;
  }
}

bool LineReader::next_record(size_t size, Line& out) {
  if (size == 0 || size > max_line_) return false;
  while (end_ - begin_ < size && fill()) {
  }
  size_t avail = end_ - begin_;
  if (avail == 0) return false;
  size_t len = std::min(avail, size);
  out.offset = base_offset_ + begin_;
  out.number = ++line_no_;
  out.truncated = len < size;
  out.cut = false;
  out.nul = false;  // NULs are part of binary records
  out.mark = -1;
  out.keyed = false;
  out.text = {data_ + begin_, len};
  line_begin_ = begin_;
  begin_ += len;
  consumed_total_ = base_offset_ + begin_;
  return true;
}

void LineReader::note_ascii(uint64_t from, uint64_t to) {
  // A block whose bytes before it are known to be ASCII (the blocks before
  // it were, up to their end) joins them: the line that crosses into it is
  // then known too, and not looked at again.
  if (ascii_to_ != from || ascii_from_ > from) ascii_from_ = from;
  ascii_to_ = to;
}

bool LineReader::look_for_ascii(std::string_view text) {
  const char* buf = data_;
  if (text.empty()) return true;
  auto at = reinterpret_cast<uintptr_t>(text.data()), start = reinterpret_cast<uintptr_t>(buf);
  if (at < start || at - start > end_ || end_ - (at - start) < text.size()) return false;
  uint64_t from = base_offset_ + (at - start);
  uint64_t to = from + text.size();
  if (from >= ascii_from_ && to <= ascii_to_) return true;
  // Look ahead up to the first byte >= 0x80 or 64 KiB past the text (a
  // prefiltered scan asks about few lines).
  const size_t end = std::min(end_, size_t(to - base_offset_) + (64 << 10));
  auto look = [&](size_t i, size_t stop) {
    size_t j = ascii_until(reinterpret_cast<const unsigned char*>(buf), i, stop);
    ascii_looked_at_ += j - i;
    return j;
  };
  if (from < ascii_from_ || from > ascii_to_) {
    // The text starts outside what is known: from its start, up to what is
    // known after it (a block's start, which it then joins), or anew.
    size_t stop = end;
    const bool joins = from < ascii_from_ && ascii_from_ - base_offset_ <= end;
    if (joins) stop = size_t(ascii_from_ - base_offset_);
    size_t i = look(size_t(from - base_offset_), stop);
    ascii_from_ = from;
    if (!joins || i < stop) {
      ascii_to_ = base_offset_ + i;
      return to <= ascii_to_;
    }
    if (to <= ascii_to_) return true;
  }
  // The text starts in what is known and ends past it: on from its end.
  ascii_to_ = base_offset_ + look(size_t(ascii_to_ - base_offset_), end);
  return to <= ascii_to_;
}

std::string_view LineReader::window(uint64_t& offset) const {
  offset = base_offset_ + line_begin_;
  const char* from = data_ + line_begin_;
  const char* last_nl = nullptr;
  if (end_ > begin_)
    last_nl = static_cast<const char*>(::memrchr(data_ + begin_, '\n', end_ - begin_));
  size_t len = last_nl ? size_t(last_nl - from) : (begin_ > line_begin_ ? begin_ - line_begin_ : 0);
  return {from, len};
}

bool expand_log_paths(const std::vector<std::string>& patterns, std::vector<std::string>& out,
                      std::string& error) {
  std::vector<std::string> paths;
  for (const auto& pat : patterns) {
    if (pat == "-" || pat.find_first_of("*?[") == std::string::npos) {
      paths.push_back(pat);
      continue;
    }
    glob_t g;
    int rc = ::glob(pat.c_str(), 0, nullptr, &g);
    if (rc == GLOB_NOMATCH) {
      error = fmt::format("{}: matches no file", pat);
      return false;
    }
    if (rc != 0) {
      error = fmt::format("{}: cannot expand pattern", pat);
      return false;
    }
    for (size_t k = 0; k < g.gl_pathc; ++k) paths.emplace_back(g.gl_pathv[k]);
    globfree(&g);
  }
  std::vector<std::pair<RotationKey, std::string>> keyed;
  for (auto& p : paths) keyed.emplace_back(rotation_key(p), std::move(p));
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  out.clear();
  for (auto& [k, p] : keyed)
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(std::move(p));
  return true;
}

}  // namespace tracekit

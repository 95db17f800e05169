// Reading logs: plain files, stdin, gzip and zstd (recognised by their magic
// bytes, never by name), in large blocks, as lines with their provenance.
// Inputs are opened read-only and never changed. A Line's text points into the
// reader's buffer and stays valid until the next call to next().
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tracekit/time.h"

namespace tracekit {

enum class Compression : uint8_t { none, gzip, zstd };
std::string_view compression_name(Compression c);

// One input as opened: what evidence and the manifest need to name it.
struct InputFile {
  std::string path;   // as given ("-" for stdin)
  uint64_t size = 0;  // bytes on disk (0 for stdin or a pipe)
  Instant mtime = kNoTime;
  Compression compression = Compression::none;
  bool is_stdin = false;
};

// A stream of decompressed bytes.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to `cap` bytes; returns 0 at the end or after an error.
  virtual size_t read(char* dst, size_t cap) = 0;
  // Non-empty after a read error or damaged data: says what and at which offset
  // of the file as stored (compressed offset for compressed files).
  const std::string& error() const { return error_; }
  // A note that is not an error (trailing garbage after the last gzip member).
  const std::string& warning() const { return warning_; }
  const InputFile& file() const { return file_; }
  // Whether the input ended without a newline while it was being written to
  // (a log appended to while read): its last bytes are a line cut short.
  bool cut_at_end() const { return cut_at_end_; }
  // Whether a LineReader gains by calling read() from a thread of its own,
  // ahead of the lines it hands out: a plain regular file (the kernel's copy
  // then runs beside the parsing). Not a stream, which may block, and not a
  // source that reads ahead itself (decompression).
  virtual bool read_ahead_pays() const { return false; }

  // Reading in place, without a copy: a plain regular file mapped into
  // memory, read-only. map() maps it and returns its first byte, or null when
  // it cannot be (not a named regular file, empty, bytes already read, the
  // mapping refused); then read() is the way, and only then.
  virtual const char* map() { return nullptr; }
  // Mapped: how many of the next bytes (up to `cap`, contiguous with those
  // handed out before) may now be read; 0 at the end. What the file gains
  // meanwhile is mapped too, as read() would read it. A file that shrinks
  // while mapped reads as zeros past a page that faulted: once the bytes were
  // read, map_confirm(offset, n) gives how many of them come before that.
  virtual size_t map_next(size_t /*cap*/) { return 0; }
  virtual size_t map_confirm(uint64_t /*offset*/, size_t n) { return n; }
  // Mapped: whether the file changed under the reader (a page of it faulted,
  // it is now shorter than it was, or, with `changed`, the reader saw its
  // bytes change); if so error() says so, and that it was read up to
  // `offset`. Asked before each block, and when a newline found before is
  // no longer there.
  virtual bool map_damaged(uint64_t /*offset*/, bool /*changed*/) { return false; }
  // Mapped: the bytes before `offset` will not be read again (their memory
  // pages may go; the file is not changed).
  virtual void map_release(uint64_t /*offset*/) {}

 protected:
  InputFile file_;
  std::string error_;
  std::string warning_;
  bool cut_at_end_ = false;
};

// Opens `path` ("-" = stdin) read-only. On failure returns null and a message
// ("cannot open dhcpd.log: Permission denied", "... is a directory").
// A stream (stdin, a pipe, a FIFO) can be read once only, but tools open an
// input more than once (a sniff, then the scan; trace-mail's passes): its
// first kStreamKeep bytes are kept, so that opening it again reads it again
// from its start; once more than that has been read, opening it again fails
// ("... can be read only once") instead of giving what is left. Standard
// input redirected from a file is reopened from where it started.
inline constexpr size_t kStreamKeep = size_t(8) << 20;
std::unique_ptr<ByteSource> open_input(const std::string& path, std::string& error);
// Whether the gzip reader uses ISA-L (else zlib).
bool gzip_uses_isal();
// Whether TRACEKIT_THREADS=1 asks for one thread in all: no decompression,
// read-ahead or NAT compaction thread (read once per process).
bool one_thread();

struct Line {
  std::string_view text;   // without the newline and a trailing CR
  uint64_t number = 0;     // 1-based
  uint64_t offset = 0;     // byte offset of the line in the decompressed stream
  bool truncated = false;  // longer than the reader's max_line: text is the start only
  // The input stopped inside this line: damaged compressed data follows it,
  // a read error, or a writer still appending (ByteSource::cut_at_end). Its
  // text is the part that was there; do not take it for a whole line.
  bool cut = false;
  // The line holds NUL bytes (binary data in a text log: a crash's
  // preallocated blocks, or a writer's damage). A run of them at its start is
  // left out of text and offset, so that a line written after them is read.
  bool nul = false;
  uint64_t nul_offset = 0;  // when nul: the stream offset of its first NUL byte
  // With a LineMarker (LineReader::mark_lines): 1 when the line holds what
  // it finds, 0 when not; -1 when not known (the caller looks for itself).
  int8_t mark = -1;
  // With a LineMarker that keys lines: keyed when the read-ahead thread had
  // the time to work out the line's key (LineMarker::key); else the caller
  // works it out itself, if it wants it.
  bool keyed = false;
  uint64_t key = 0;
};

// What the read-ahead thread looks for in each block besides its newlines,
// so that the thread handing out lines need not: a prefilter's needles.
class LineMarker {
 public:
  virtual ~LineMarker() = default;
  // Appends to `hits`, in increasing order, the places in [from, to) (whole
  // lines, the last ending in a newline) that make their line marked.
  // Called from the read-ahead thread: may change nothing shared.
  virtual void find(const char* from, const char* to, std::vector<const char*>& hits) const = 0;
  // Whether it also keys lines: key() of each line, worked out by the
  // read-ahead thread while it would otherwise wait for the reader (so never
  // at the cost of the lines handed out), for lines not handed out yet.
  virtual bool keys() const { return false; }
  // The key of a line's text (without its newline and a trailing CR).
  // Called from the read-ahead thread: may change nothing shared.
  virtual uint64_t key(std::string_view /*text*/) const { return 0; }
};

class ReadAhead;

class LineReader {
 public:
  static constexpr size_t kBlockSize = 1 << 20;
  static constexpr size_t kMaxLine = 1 << 20;

  // With `read_ahead`, a second thread goes a few blocks ahead of the lines
  // handed out, finding each block's newlines and NUL bytes: with `map`, a
  // source that can be (ByteSource::map) is then read in place, without a
  // copy, the thread going over it first; else a source that says it pays
  // (ByteSource::read_ahead_pays) is read by the thread into buffers the
  // reader takes over without a copy. With TRACEKIT_THREADS=1 there is no
  // thread: each block is read (or mapped) and gone over the same way when
  // the reader comes to it. The lines are the same in every way, unless the
  // file changes while it is read.
  // After the first line, only this reader may read `src`.
  explicit LineReader(ByteSource& src, size_t block_size = kBlockSize, size_t max_line = kMaxLine,
                      bool read_ahead = true, bool map = true);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  // The first block of the input, not consumed (for format sniffing).
  std::string_view head();
  // Each line handed out from now on comes with Line::mark set from
  // `marker`, where the thread reading ahead can look for it: a plain file
  // read in place. Blocks already read ahead, lines begun in the block
  // before and all other input give mark -1.
  void mark_lines(std::shared_ptr<const LineMarker> marker);
  [[gnu::always_inline]] bool next(Line& out) {
    // The usual line, inline: read ahead, its newline found by the thread in
    // the block at hand and still there, no NUL byte before it. Everything
    // else (a line begun in the block before, a line too long, NULs, the
    // end of a block or of the input) is next_slow()'s.
    if (!skipping_ && begin_ >= block_at_) {
      while (newline_next_ < newlines_.size() && block_at_ + newlines_[newline_next_] < begin_)
        ++newline_next_;
      if (newline_next_ < newlines_.size()) {
        size_t nl = block_at_ + newlines_[newline_next_];
        if (nl < end_ && nl - begin_ <= max_line_ && data_[nl] == '\n' &&
            nul_at_ > base_offset_ + nl) {
          size_t len = nl - begin_;
          const char* start = data_ + begin_;
          out.offset = base_offset_ + begin_;
          out.number = ++line_no_;
          out.truncated = out.cut = out.nul = false;
          out.nul_offset = nul_at_;
          out.mark = marks_valid_ ? mark_at(newline_next_) : int8_t(-1);
          // (Keyed from the newline before: the line must start there.)
          out.keyed = keys_valid_ && newline_next_ > 0 &&
                      block_at_ + newlines_[newline_next_ - 1] + 1 == begin_;
          out.key = out.keyed ? keys_[newline_next_] : 0;
          out.text = {start, len > 0 && start[len - 1] == '\r' ? len - 1 : len};
          line_begin_ = begin_;
          begin_ = nl + 1;
          consumed_total_ = base_offset_ + begin_;
          ++newline_next_;
          return true;
        }
      }
    }
    return next_slow(out);
  }
  // The next `size` bytes as one record (binary formats such as wtmp):
  // out.number is the record's 1-based index, out.offset its byte offset. A
  // short last record comes with truncated set. `size` must not exceed
  // kMaxLine. Do not mix with next().
  bool next_record(size_t size, Line& out);
  // The complete lines in the buffer from the start of the line next()
  // returned last, and the stream offset of its first byte: what a prefilter
  // may search ahead in. Valid until the next call to next().
  std::string_view window(uint64_t& offset) const;
  // Whether `text`, all or part of the line next() returned last, is all
  // ASCII (so valid UTF-8). False also when it is not known: text that is
  // not in the reader's buffer. Each byte of the buffer is looked at once.
  bool is_ascii(std::string_view text) {
    // Mostly known already, from the block the text is in.
    const uint64_t at =
        uint64_t(reinterpret_cast<uintptr_t>(text.data()) - reinterpret_cast<uintptr_t>(data_));
    if (at <= end_ && text.size() <= end_ - at) {
      const uint64_t from = base_offset_ + at;
      if (from >= ascii_from_ && from + text.size() <= ascii_to_) return true;
    }
    return look_for_ascii(text);
  }
  // How many bytes is_ascii looked at itself (not known from the blocks).
  uint64_t ascii_looked_at() const { return ascii_looked_at_; }
  // Ends the reading: a read-ahead thread stops (joined), and next() and
  // next_record() return nothing more. For a caller that has what it needs
  // (the head) and will ask the source more (error()) while it lives.
  void stop_reading();
  uint64_t bytes_read() const { return consumed_total_; }
  uint64_t lines_read() const { return line_no_; }

 private:
  bool next_slow(Line& out);
  bool fill();
  bool fill_ahead();
  void stop_mapped();
  // Moves nul_at_ to the first NUL at or after stream offset `from`.
  void find_nul(uint64_t from);

  ByteSource& src_;
  size_t block_size_, max_line_;
  // Read ahead, each block is put `front_` bytes into a buffer: room for
  // the start of a line that the block before ended in.
  size_t front_;
  std::unique_ptr<char[]> buf_;
  size_t cap_;
  // The bytes: buf_, or the mapped file (then base_offset_ is 0 and begin_,
  // end_ are offsets in the file).
  const char* data_;
  bool may_read_ahead_, may_map_, mapped_ = false;
  bool map_changed_ = false;  // mapped: an indexed newline is no longer there
  std::unique_ptr<ReadAhead> ahead_;
  // Read ahead: where the newlines of the block in buf_ are (indexes from
  // buf_[front_], found by the reading thread), and the first of them not
  // yet passed.
  std::vector<uint32_t> newlines_;
  size_t newline_next_ = 0;
  size_t block_at_ = 0;  // read ahead: where in data_ that block starts
  // Read ahead with a marker: bit k set when the line ending at newline k
  // of the block is marked (valid: the block was looked at).
  std::vector<uint64_t> marks_;
  bool marks_valid_ = false;
  int8_t mark_at(size_t k) const { return int8_t(marks_[k >> 6] >> (k & 63) & 1); }
  // With a marker that keys lines, when the thread keyed the block: the key
  // of the line ending at newline k (k >= 1).
  std::vector<uint64_t> keys_;
  bool keys_valid_ = false;
  std::shared_ptr<const LineMarker> marker_;
  const char* find_newline(const char* start, size_t avail);
  // Bytes [from, to) of the stream are ASCII.
  void note_ascii(uint64_t from, uint64_t to);
  bool look_for_ascii(std::string_view text);
  size_t begin_ = 0, end_ = 0;  // unread data is buf_[begin_, end_)
  size_t line_begin_ = 0;       // where the line returned last starts
  // Stream offset of buf_[0] (modulo 2^64: read ahead, buf_[0] may stand
  // before the stream's start; only base_offset_ + index is used).
  uint64_t base_offset_ = 0;
  uint64_t line_no_ = 0;
  uint64_t consumed_total_ = 0;
  bool eof_ = false;
  bool skipping_ = false;  // inside the rest of an over-long line
  // Stream offset of the first NUL byte in the buffer at or after the line
  // being read (kNoNul: none up to end_). Each block is searched once as it
  // is read, so that lines without NULs cost nothing more.
  static constexpr uint64_t kNoNul = UINT64_MAX;
  uint64_t nul_at_ = kNoNul;
  // Stream offsets: no byte >= 0x80 in [ascii_from_, ascii_to_).
  uint64_t ascii_from_ = 0, ascii_to_ = 0;
  uint64_t ascii_looked_at_ = 0;
};

// Expands globs and orders rotated sets oldest first: dhcpd.log.3.gz,
// dhcpd.log.2.gz, dhcpd.log.1, dhcpd.log (and -YYYYMMDD date suffixes by
// date). A pattern that matches nothing is an error; "-" stays as is.
bool expand_log_paths(const std::vector<std::string>& patterns, std::vector<std::string>& out,
                      std::string& error);

}  // namespace tracekit

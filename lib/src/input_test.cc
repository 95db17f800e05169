#include "tracekit/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

namespace tracekit {
std::unique_ptr<ByteSource> open_input_zlib_for_tests(const std::string& path, std::string& error);
}

using namespace tracekit;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/tracekit-input-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& bytes) {
    fs::path p = path / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
};

std::string gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = (Bytef*)data.data();
  z.avail_in = data.size();
  z.next_out = (Bytef*)out.data();
  z.avail_out = out.size();
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string zstd(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3));
  return out;
}

struct ReadAll {
  std::vector<std::string> lines;
  std::vector<uint64_t> offsets;
  std::string error, warning;
  Compression compression = Compression::none;
};

ReadAll read_all(std::unique_ptr<ByteSource> src, size_t block = LineReader::kBlockSize,
                 size_t max_line = LineReader::kMaxLine) {
  ReadAll r;
  REQUIRE(src);
  LineReader reader(*src, block, max_line);
  Line line;
  while (reader.next(line)) {
    r.lines.emplace_back(line.truncated ? "<truncated>" : std::string(line.text));
    r.offsets.push_back(line.offset);
  }
  r.error = src->error();
  r.warning = src->warning();
  r.compression = src->file().compression;
  return r;
}

ReadAll read_path(const std::string& p, size_t block = LineReader::kBlockSize,
                  size_t max_line = LineReader::kMaxLine) {
  std::string err;
  return read_all(open_input(p, err), block, max_line);
}

// A small generator of the same numbers on every run: rnd(n) in [0, n).
struct Rnd {
  uint32_t x;
  uint32_t operator()(uint32_t n) {
    x = x * 1103515245u + 12345u;
    return (x >> 8) % n;
  }
};

// A random line of letters, 1 in `long_odds` up to `long_len` bytes long,
// else up to `short_len`; 1 in `nul_odds` begins with a run of up to
// `nul_run` NULs.
std::string random_line(Rnd& rnd, uint32_t long_odds, uint32_t long_len, uint32_t short_len,
                        uint32_t nul_odds, uint32_t nul_run) {
  size_t len = rnd(long_odds) == 0 ? rnd(long_len) : rnd(short_len);
  std::string l;
  if (rnd(nul_odds) == 0) l.append(1 + rnd(nul_run), '\0');
  for (size_t k = 0; k < len; ++k) l += char('a' + rnd(26));
  return l;
}

std::string many_lines(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "line " + std::to_string(i) + " of a log\n";
  return s;
}

}  // namespace

TEST_CASE("input: plain text, CRLF, last line without newline", "[input]") {
  TempDir d;
  auto r = read_path(d.write("a.log", "one\r\ntwo\n\nthree"));
  CHECK(r.lines == std::vector<std::string>{"one", "two", "", "three"});
  CHECK(r.offsets == std::vector<uint64_t>{0, 5, 9, 10});
  CHECK(r.error.empty());
}

TEST_CASE("input: gzip and zstd by magic bytes, not by name", "[input]") {
  TempDir d;
  std::string text = many_lines(50000);
  auto g = read_path(d.write("plain-name.log", gzip(text)));
  CHECK(g.compression == Compression::gzip);
  CHECK(g.lines.size() == 50000);
  CHECK(g.lines[49999] == "line 49999 of a log");
  CHECK(g.error.empty());
  auto z = read_path(d.write("x.gz", zstd(text)));  // a misleading name
  CHECK(z.compression == Compression::zstd);
  CHECK(z.lines.size() == 50000);
  CHECK(z.error.empty());
  std::string err;
  auto zl = read_all(open_input_zlib_for_tests(d.write("y", gzip(text)), err));
  CHECK(zl.lines.size() == 50000);
}

TEST_CASE("input: concatenated gzip members are one stream", "[input]") {
  TempDir d;
  auto p = d.write("multi.gz", gzip("a\nb\n") + gzip("c\n") + gzip("d\n"));
  auto r = read_path(p);
  CHECK(r.lines == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(r.error.empty());
  std::string err;
  auto z = read_all(open_input_zlib_for_tests(p, err));
  CHECK(z.lines == std::vector<std::string>{"a", "b", "c", "d"});
}

TEST_CASE("input: truncated gzip keeps what came before and says where", "[input]") {
  TempDir d;
  std::string text = many_lines(20000);
  std::string gz = gzip(text);
  auto r = read_path(d.write("cut.gz", gz.substr(0, gz.size() / 2)));
  CHECK(!r.lines.empty());
  CHECK(r.lines.size() < 20000);
  CHECK(r.lines[0] == "line 0 of a log");
  CHECK(r.error.find("cut.gz: truncated gzip data") != std::string::npos);
  CHECK(r.error.find("at compressed byte offset") != std::string::npos);
}

TEST_CASE("input: corrupt gzip data is reported", "[input]") {
  TempDir d;
  std::string gz = gzip(many_lines(1000));
  for (size_t i = 40; i < 80; ++i) gz[i] = char(gz[i] ^ 0x5a);
  auto r = read_path(d.write("bad.gz", gz));
  CHECK(r.error.find("bad.gz: ") != std::string::npos);
  CHECK(r.error.find("gzip") != std::string::npos);
}

TEST_CASE("input: trailing garbage after gzip is a warning", "[input]") {
  TempDir d;
  auto r = read_path(d.write("pad.gz", gzip("a\n") + std::string(10, '\0')));
  CHECK(r.lines == std::vector<std::string>{"a"});
  CHECK(r.error.empty());
  CHECK(r.warning.find("10 bytes of trailing data") != std::string::npos);
}

TEST_CASE("input: truncated zstd keeps what came before", "[input]") {
  TempDir d;
  std::string text = many_lines(200000);
  std::string z = zstd(text);
  auto r = read_path(d.write("cut.zst", z.substr(0, z.size() / 2)));
  CHECK(!r.lines.empty());
  CHECK(r.lines.size() < 200000);
  CHECK(r.error.find("zstd") != std::string::npos);
}

TEST_CASE("input: a line longer than the limit is cut, the rest still read", "[input]") {
  TempDir d;
  std::string text = "short\n" + std::string(5000, 'x') + "\nafter\n";
  auto r = read_path(d.write("long.log", text), 1024, 1024);
  CHECK(r.lines == std::vector<std::string>{"short", "<truncated>", "after"});
  CHECK(r.offsets[2] == 6 + 5000 + 1);
}

TEST_CASE("input: lines spanning block boundaries", "[input]") {
  TempDir d;
  std::string text = many_lines(3000);
  auto r = read_path(d.write("blocks.log", text), 4096, 4096);
  REQUIRE(r.lines.size() == 3000);
  CHECK(r.lines[1234] == "line 1234 of a log");
}

TEST_CASE("input: is_ascii looks ahead once and is right for every line", "[input]") {
  // Lines of 0 to 199 bytes, some with one byte >= 0x80 at a varying place,
  // read through blocks of several sizes: every line as split by hand, and
  // is_ascii exactly when the text has no such byte; a view that is not in
  // the reader's buffer is "not known".
  std::string text;
  std::vector<std::string> want;
  uint32_t x = 12345;
  for (int i = 0; i < 700; ++i) {
    x = x * 1103515245u + 12345u;
    size_t len = (x >> 8) % 200;
    std::string l(len, 'a' + char(i % 26));
    if (len > 0 && (x >> 20) % 3 == 0) l[(x >> 4) % len] = char(0xC3 + (i % 2) * 0x3C);
    want.push_back(l);
    text += l + (i % 5 == 0 ? "\r\n" : "\n");
  }
  want.push_back("tail \xC3\xA9");
  text += want.back();
  TempDir d;
  std::string path = d.write("windows.log", text);
  for (size_t block : {size_t(61), size_t(64), size_t(100), size_t(4096), LineReader::kBlockSize}) {
    std::string err;
    auto src = open_input(path, err);
    REQUIRE(src);
    LineReader reader(*src, block, 4096);
    Line line;
    size_t k = 0;
    while (reader.next(line)) {
      REQUIRE(k < want.size());
      CHECK(line.text == want[k]);
      bool has_high = std::any_of(want[k].begin(), want[k].end(),
                                  [](char c) { return (uint8_t(c) & 0x80) != 0; });
      CHECK(reader.is_ascii(line.text) == !has_high);
      CHECK(reader.is_ascii(line.text) == !has_high);  // asked again: the same
      if (!line.text.empty()) CHECK_FALSE(reader.is_ascii(want[k]));
      ++k;
    }
    CHECK(k == want.size());
  }
}

TEST_CASE("input: is_ascii on an ASCII file looks again only at what came before a block",
          "[input]") {
  // Each block is looked at for bytes >= 0x80 as it comes in. Asked about
  // every line, the reader itself looks only at the bytes it had before the
  // first block (what head() read): lines crossing into a block join what is
  // known of it. It once looked again at the whole file, 64 KiB at a time.
  // (Read ahead, with the thread or with TRACEKIT_THREADS=1 without it, the
  // blocks are looked at as they are taken; read plainly, the reader looks at
  // each byte once.)
  std::string text;
  Rnd rnd{99};
  for (int i = 0; i < 20000; ++i) text += std::string(rnd(200), char('a' + rnd(26))) + "\n";
  TempDir d;
  std::string path = d.write("ascii.log", text);
  for (size_t block : {size_t(4096), size_t(65536)})
    for (auto [ahead, map] : {std::pair{false, false}, {true, false}, {true, true}}) {
      INFO("block " << block << ", read ahead " << ahead << ", mapped " << map);
      std::string err;
      auto src = open_input(path, err);
      REQUIRE(src);
      LineReader reader(*src, block, 4096, ahead, map);
      CHECK(!reader.head().empty());
      Line line;
      size_t lines = 0, ascii = 0;
      while (reader.next(line)) {
        ++lines;
        ascii += reader.is_ascii(line.text);
      }
      CHECK(lines == 20000);
      CHECK(ascii == lines);
      CHECK(reader.ascii_looked_at() <= text.size());  // each byte once at most
      if (ahead) CHECK(reader.ascii_looked_at() <= 2 * block);
    }
}

TEST_CASE("input: errors name the file", "[input]") {
  TempDir d;
  std::string err;
  CHECK_FALSE(open_input((d.path / "missing.log").string(), err));
  CHECK(err == "cannot open " + (d.path / "missing.log").string() + ": No such file or directory");
  CHECK_FALSE(open_input(d.path.string(), err));
  CHECK(err.find("it is a directory") != std::string::npos);
  auto r = read_path(d.write("empty.log", ""));
  CHECK(r.lines.empty());
  CHECK(r.error.empty());
}

TEST_CASE("input: rotated sets are read oldest first", "[input][rotation]") {
  TempDir d;
  for (const char* n : {"dhcpd.log", "dhcpd.log.1", "dhcpd.log.2.gz", "dhcpd.log.10.gz",
                        "dhcpd.log.3.zst", "other.log"})
    d.write(n, "x\n");
  std::vector<std::string> out;
  std::string err;
  REQUIRE(expand_log_paths({(d.path / "dhcpd.log*").string()}, out, err));
  std::vector<std::string> names;
  for (auto& p : out) names.push_back(fs::path(p).filename().string());
  CHECK(names == std::vector<std::string>{"dhcpd.log.10.gz", "dhcpd.log.3.zst", "dhcpd.log.2.gz",
                                          "dhcpd.log.1", "dhcpd.log"});
  REQUIRE(expand_log_paths({(d.path / "messages-2026*").string(), (d.path / "dhcpd.log").string()},
                           out, err) == false);
  CHECK(err.find("matches no file") != std::string::npos);
  for (const char* n : {"messages", "messages-20260412", "messages-20260405.gz"}) d.write(n, "x\n");
  REQUIRE(expand_log_paths({(d.path / "messages*").string()}, out, err));
  names.clear();
  for (auto& p : out) names.push_back(fs::path(p).filename().string());
  CHECK(names == std::vector<std::string>{"messages-20260405.gz", "messages-20260412", "messages"});
}

TEST_CASE("input: fixed-size records across block boundaries, short last record", "[input]") {
  TempDir d;
  std::string data;
  for (int i = 0; i < 1000; ++i) data += std::string(384, char('a' + i % 26));
  data += std::string(100, 'z');
  std::string p = d.write("wtmp", gzip(data));
  std::string err;
  auto src = open_input(p, err);
  REQUIRE(src);
  LineReader r(*src, 4096, 1024);
  REQUIRE(r.head().size() >= 384);
  Line rec;
  uint64_t n = 0;
  while (r.next_record(384, rec)) {
    ++n;
    CHECK(rec.number == n);
    CHECK(rec.offset == (n - 1) * 384);
    if (n <= 1000) {
      REQUIRE(rec.text.size() == 384);
      CHECK(!rec.truncated);
      CHECK(rec.text.find_first_not_of(char('a' + (n - 1) % 26)) == std::string_view::npos);
    } else {
      CHECK(rec.text.size() == 100);
      CHECK(rec.truncated);
    }
  }
  CHECK(n == 1001);
  CHECK_FALSE(r.next_record(2048, rec));  // larger than the reader's limit
}

namespace {

struct Seen {
  std::string text;
  uint64_t offset = 0;
  bool cut = false, nul = false;
  uint64_t nul_offset = 0;
};

std::vector<Seen> read_seen(ByteSource& src, size_t block = LineReader::kBlockSize) {
  std::vector<Seen> out;
  LineReader reader(src, block, block);
  Line line;
  while (reader.next(line))
    out.push_back({std::string(line.text), line.offset, line.cut, line.nul, line.nul_offset});
  return out;
}

// A gzip member cut right after "data": flushed there, never finished.
std::string gzip_cut_after(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 64, '\0');
  z.next_in = (Bytef*)data.data();
  z.avail_in = data.size();
  z.next_out = (Bytef*)out.data();
  z.avail_out = out.size();
  deflate(&z, Z_SYNC_FLUSH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

TEST_CASE("input: the line the damage cuts short is marked cut", "[input][hostile]") {
  TempDir d;
  std::string err;
  auto src = open_input(d.write("cut.gz", gzip_cut_after("one\ntwo\nDHCPACK on 10.0.0.1")), err);
  REQUIRE(src);
  auto seen = read_seen(*src);
  REQUIRE(seen.size() == 3);
  CHECK_FALSE(seen[1].cut);
  CHECK(seen[2].text == "DHCPACK on 10.0.0.1");
  CHECK(seen[2].cut);
  CHECK(src->error().find("truncated gzip data") != std::string::npos);
  // An intact file's last line without a newline is a whole line.
  auto plain = open_input(d.write("plain.log", "one\ntwo"), err);
  auto p = read_seen(*plain);
  REQUIRE(p.size() == 2);
  CHECK_FALSE(p[1].cut);
}

TEST_CASE("input: a file that grew while read ends in a cut line", "[input][hostile]") {
  TempDir d;
  std::string path = d.write("growing.log", "one\ntwo\nthr");
  std::string err;
  auto src = open_input(path, err);
  REQUIRE(src);
  std::ofstream(path, std::ios::app) << "ee\nfou";  // a writer between two writes
  auto seen = read_seen(*src);
  REQUIRE(seen.size() == 4);
  CHECK(seen[2].text == "three");
  CHECK_FALSE(seen[2].cut);
  CHECK(seen[3].text == "fou");
  CHECK(seen[3].cut);
  CHECK(src->cut_at_end());
}

TEST_CASE("input: NUL bytes are flagged; a line after a run of them is read", "[input][hostile]") {
  TempDir d;
  std::string text = "a\n" + std::string(3, '\0') + "b\nc" + std::string(1, '\0') + "d\ne\n";
  std::string err;
  auto src = open_input(d.write("nul.log", text), err);
  auto seen = read_seen(*src);
  REQUIRE(seen.size() == 4);
  CHECK_FALSE(seen[0].nul);
  CHECK(seen[1].text == "b");
  CHECK(seen[1].nul);
  CHECK(seen[1].offset == 5);  // the text's own offset, past the NULs
  CHECK(seen[1].nul_offset == 2);
  CHECK(seen[2].nul);
  CHECK(seen[2].text == std::string("c\0d", 3));
  CHECK(seen[2].nul_offset == 8);
  CHECK_FALSE(seen[3].nul);
  // Across block boundaries: every line with a NUL, and only those.
  std::string many;
  for (int i = 0; i < 3000; ++i)
    many += i % 7 == 3 ? "x" + std::string(1, '\0') + "y " + std::to_string(i) + "\n"
                       : "line " + std::to_string(i) + "\n";
  auto src2 = open_input(d.write("many.log", many), err);
  auto s2 = read_seen(*src2, 4096);
  REQUIRE(s2.size() == 3000);
  size_t flagged = 0;
  for (size_t i = 0; i < s2.size(); ++i) {
    CHECK(s2[i].nul == (i % 7 == 3));
    flagged += s2[i].nul;
  }
  CHECK(flagged == 3000 / 7 + (3000 % 7 > 3));
}

TEST_CASE("input: a checksum mismatch says which data it covers", "[input][hostile]") {
  TempDir d;
  std::string gz = gzip(many_lines(100));
  gz[gz.size() - 8] = char(gz[gz.size() - 8] ^ 1);  // the CRC-32
  auto r = read_path(d.write("crc.gz", gz));
  CHECK(r.lines.size() == 100);
  CHECK(r.error.find("crc.gz: gzip checksum mismatch in the member at compressed byte offset 0: "
                     "its data, from decompressed byte offset 0 to") != std::string::npos);
  CHECK(r.error.find("may be wrong") != std::string::npos);
  std::string err;
  auto zl = read_all(open_input_zlib_for_tests(d.write("crc2.gz", gz), err));
  CHECK(zl.error.find("may be wrong") != std::string::npos);
}

TEST_CASE("input: a FIFO is read once, and again from what was kept", "[input][hostile]") {
  TempDir d;
  std::string fifo = (d.path / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string text = many_lines(1000);
  std::thread writer([&] {
    int fd = ::open(fifo.c_str(), O_WRONLY);
    size_t done = 0;
    while (done < text.size()) {
      ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n <= 0) break;
      done += size_t(n);
    }
    ::close(fd);
  });
  std::string err;
  {
    auto sniff = open_input(fifo, err);  // reads its head only, as a sniff does
    REQUIRE(sniff);
    LineReader reader(*sniff);
    CHECK(reader.head().substr(0, 6) == "line 0");
  }
  for (int pass = 0; pass < 2; ++pass) {  // trace-mail reads its logs in passes
    auto r = read_all(open_input(fifo, err));
    REQUIRE(r.lines.size() == 1000);
    CHECK(r.lines[0] == "line 0 of a log");
    CHECK(r.lines[999] == "line 999 of a log");
  }
  writer.join();
}

TEST_CASE("input: a stream too big to keep cannot be read a second time", "[input][hostile]") {
  TempDir d;
  std::string fifo = (d.path / "big-fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string chunk = many_lines(10000);
  size_t total = 0;
  std::thread writer([&] {
    int fd = ::open(fifo.c_str(), O_WRONLY);
    while (total <= kStreamKeep) {
      ssize_t n = ::write(fd, chunk.data(), chunk.size());
      if (n <= 0) break;
      total += size_t(n);
    }
    ::close(fd);
  });
  std::string err;
  auto r = read_all(open_input(fifo, err));
  writer.join();
  CHECK(r.lines.size() > 10000);
  CHECK(r.error.empty());
  CHECK_FALSE(open_input(fifo, err));
  CHECK(err.find("cannot read " + fifo + " again: it is a pipe or FIFO") != std::string::npos);
}

TEST_CASE("input: stdin redirected from a file is read whole at every open", "[input][hostile]") {
  // A dup of fd 0 shares its offset: a second open used to start where the
  // first (a sniff) had stopped reading.
  TempDir d;
  std::string path = d.write("stdin.log", many_lines(100000));
  int saved = ::dup(0);
  int fd = ::open(path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  ::dup2(fd, 0);
  ::close(fd);
  std::string err;
  {
    auto sniff = open_input("-", err);
    REQUIRE(sniff);
    LineReader reader(*sniff);
    CHECK(reader.head().substr(0, 6) == "line 0");
  }
  for (int pass = 0; pass < 2; ++pass) {
    auto r = read_all(open_input("-", err));
    CHECK(r.lines.size() == 100000);
    CHECK(r.lines[0] == "line 0 of a log");
  }
  ::dup2(saved, 0);
  ::close(saved);
}

TEST_CASE("input: a run of NULs longer than a line limit is passed over", "[input][hostile]") {
  // A crash can leave megabytes of zeroed blocks before the next line.
  TempDir d;
  std::string text = "a\n" + std::string(10000, '\0') + "b\n" + std::string(5000, '\0');
  std::string err;
  auto src = open_input(d.write("hole.log", text), err);
  auto seen = read_seen(*src, 4096);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].text == "a");
  CHECK(seen[1].text == "b");
  CHECK(seen[1].nul);
  CHECK(seen[1].nul_offset == 2);
  CHECK(seen[1].offset == 10002);
  CHECK_FALSE(seen[1].cut);
  CHECK(seen[2].text.empty());  // the run the input ends in, counted
  CHECK(seen[2].nul);
  CHECK(seen[2].nul_offset == 10004);
}

TEST_CASE("input: reading ahead, mapped or read, gives the same lines", "[input]") {
  // Lines of every length up to past the line limit, runs of NULs at a
  // line's start and NULs inside lines, CRLF, bytes >= 0x80, and a last line
  // without a newline; read with and without the read-ahead thread through
  // several block sizes: every field of every line the same, and what
  // is_ascii and window() say about it (how far a window reaches depends on
  // how the bytes came in; where it starts does not).
  std::string text;
  Rnd rnd{2024};
  for (int i = 0; i < 3000; ++i) {
    std::string l = random_line(rnd, 10, 5000, 150, 50, 300);
    if (!l.empty() && rnd(20) == 0) l[rnd(uint32_t(l.size()))] = '\0';
    if (!l.empty() && rnd(20) == 0) l[rnd(uint32_t(l.size()))] = char(0xE9);
    text += l + (rnd(4) == 0 ? "\r\n" : "\n");
  }
  text += "the last line, without a newline";
  TempDir d;
  std::string path = d.write("ahead.log", text);
  struct Seen {
    std::string text;
    uint64_t number, offset, nul_offset;
    bool truncated, cut, nul, ascii;
    std::string window_head;
    uint64_t window_offset;
    bool operator==(const Seen&) const = default;
  };
  auto read = [&](size_t block, size_t max_line, bool ahead, bool map, bool& threaded) {
    std::string err;
    auto src = open_input(path, err);
    REQUIRE(src);
    LineReader reader(*src, block, max_line, ahead, map);
    // As the scanner does: the head first (it leaves lines unread before
    // the blocks read ahead, which must still be found).
    CHECK(!reader.head().empty());
    std::vector<Seen> out;
    Line line;
    threaded = false;
    while (reader.next(line)) {
      uint64_t w_off = 0;
      std::string_view w = reader.window(w_off);
      // (nul_offset means something only when nul is set.)
      out.push_back({std::string(line.text), line.number, line.offset,
                     line.nul ? line.nul_offset : 0, line.truncated, line.cut, line.nul,
                     reader.is_ascii(line.text),
                     std::string(w.substr(0, std::min<size_t>(40, line.text.size()))), w_off});
      if (out.size() == 100)  // a second thread in this process while reading
        threaded =
            std::distance(fs::directory_iterator("/proc/self/task"), fs::directory_iterator{}) > 1;
    }
    CHECK(src->error().empty());
    return out;
  };
  const char* threads = std::getenv("TRACEKIT_THREADS");
  const bool one_thread = threads && std::string_view(threads) == "1";
  for (size_t block : {size_t(61), size_t(4096), size_t(65536), LineReader::kBlockSize})
    for (size_t max_line : {size_t(256), size_t(8192)}) {
      INFO("block " << block << ", max_line " << max_line);
      // Read without a thread or a mapping, the reference; then read ahead,
      // mapped or not (a mapping without reading ahead is read, not mapped).
      bool threaded = false;
      auto b = read(block, max_line, false, false, threaded);
      CHECK_FALSE(threaded);
      CHECK(b.size() == 3001);
      for (auto [ahead, map] : {std::pair{true, false}, {true, true}, {false, true}}) {
        INFO("read ahead " << ahead << ", mapped " << map);
        auto a = read(block, max_line, ahead, map, threaded);
        REQUIRE(a.size() == b.size());
        for (size_t k = 0; k < a.size(); ++k) {
          INFO("line " << k + 1);
          if (!(a[k] == b[k])) {
            auto say = [](const Seen& v) {
              return fmt::format(
                  "{} bytes, line {} at {}, nul {} at {}, truncated {}, cut {}, "
                  "ascii {}, window at {} '{}'",
                  v.text.size(), v.number, v.offset, v.nul, v.nul_offset, v.truncated, v.cut,
                  v.ascii, v.window_offset, v.window_head);
            };
            FAIL("this way: " << say(a[k]) << "\nread plainly: " << say(b[k]));
          }
        }
        // (With small blocks the thread waits for the reader, so it is seen;
        // with large ones it may have read the whole file and ended.)
        if (block <= 4096) CHECK(threaded == (ahead && !one_thread));
        if (!ahead) CHECK_FALSE(threaded);
      }
    }
}

TEST_CASE("input: lines marked ahead are those that hold what the marker finds", "[input]") {
  // "KEY" in some lines: at a line's start and end, twice, cut by a block's
  // end, in lines longer than a block, after a run of NULs, before a CR;
  // "KE" and "EY" alone in others. Every line handed out with a mark (0 or
  // 1) must say whether its text holds "KEY"; read in place (each block
  // indexed ahead, by the thread or, with TRACEKIT_THREADS=1, as it is
  // taken), every whole line has one, whether the marker comes before the
  // first read or after the head (blocks read ahead already); otherwise none.
  struct Key final : LineMarker {
    void find(const char* from, const char* to, std::vector<const char*>& hits) const override {
      std::string_view t(from, size_t(to - from));
      for (size_t at = t.find("KEY"); at != std::string_view::npos; at = t.find("KEY", at + 1))
        hits.push_back(from + at);
    }
  };
  std::string text;
  Rnd rnd{77};
  for (int i = 0; i < 4000; ++i) {
    std::string l = random_line(rnd, 15, 9000, 120, 60, 100);
    for (const char* piece : {"KEY", "KE", "EY"})
      if (rnd(6) == 0) l.insert(rnd(uint32_t(l.size()) + 1), piece);
    text += l + (rnd(5) == 0 ? "\r\n" : "\n");
  }
  text += "KEY in the last line, without a newline";
  TempDir d;
  std::string path = d.write("marked.log", text);
  for (size_t block : {size_t(61), size_t(4096), size_t(65536), LineReader::kBlockSize})
    for (bool early : {true, false})
      for (bool map : {true, false}) {
        INFO("block " << block << ", marker " << (early ? "first" : "after the head") << ", mapped "
                      << map);
        std::string err;
        auto src = open_input(path, err);
        REQUIRE(src);
        LineReader reader(*src, block, 8192, true, map);
        if (early) reader.mark_lines(std::make_shared<Key>());
        CHECK(!reader.head().empty());
        if (!early) reader.mark_lines(std::make_shared<Key>());
        Line line;
        size_t lines = 0, marked = 0, with_key = 0, unmarked = 0;
        while (reader.next(line)) {
          ++lines;
          bool key = line.text.find("KEY") != std::string_view::npos;
          with_key += key;
          // Past what head() read (with small blocks, lines of blocks it
          // took before the last are found again without their index), a
          // whole line with a newline has a mark.
          if (line.mark < 0 && !line.truncated && line.offset > 65536 + block &&
              line.offset + line.text.size() < text.size() - 40)
            ++unmarked;
          if (line.mark < 0) continue;
          ++marked;
          INFO("line " << line.number << ": '" << line.text.substr(0, 60) << "'");
          CHECK(line.mark == int(key));
        }
        CHECK(lines == 4001);
        CHECK(with_key > 500);
        if (map) {
          CHECK(unmarked == 0);
          CHECK(marked > 3000);
        } else {
          CHECK(marked == 0);
        }
      }
}

TEST_CASE("input: lines keyed ahead carry their own text's key", "[input]") {
  // The thread keys lines while it waits for the reader: a reader that takes
  // its time (here, a pause every few lines) gets most lines keyed, one that
  // does not may get none. Either way a keyed line's key must be that of its
  // own text: not of the line before or after (a line begun in the block
  // before, CRLF, NULs, lines longer than max_line).
  struct Keys final : LineMarker {
    void find(const char*, const char*, std::vector<const char*>&) const override {}
    bool keys() const override { return true; }
    uint64_t key(std::string_view text) const override {
      return std::hash<std::string_view>{}(text) | 1;
    }
  };
  std::string text;
  Rnd rnd{91};
  for (int i = 0; i < 3000; ++i) {
    std::string l = random_line(rnd, 40, 12000, 150, 80, 50);
    text += l + (rnd(4) == 0 ? "\r\n" : "\n");
  }
  TempDir d;
  std::string path = d.write("keyed.log", text);
  const char* threads = std::getenv("TRACEKIT_THREADS");
  const bool one_thread = threads && std::string_view(threads) == "1";
  const Keys keys;
  for (size_t block : {size_t(61), size_t(4096), size_t(65536)})
    for (bool slow : {true, false})
      for (bool map : {true, false}) {
        INFO("block " << block << ", slow reader " << slow << ", mapped " << map);
        std::string err;
        auto src = open_input(path, err);
        REQUIRE(src);
        LineReader reader(*src, block, 8192, true, map);
        reader.mark_lines(std::make_shared<Keys>());
        Line line;
        size_t lines = 0, keyed = 0;
        while (reader.next(line)) {
          if (slow && ++lines % 8 == 0) std::this_thread::sleep_for(std::chrono::microseconds(50));
          if (!line.keyed) continue;
          ++keyed;
          INFO("line " << line.number);
          CHECK(line.key == keys.key(line.text));
        }
        if (!map || one_thread)
          CHECK(keyed == 0);
        else if (slow)  // (with blocks of 61 bytes, most lines cross a block's end)
          CHECK(keyed > (block < 4096 ? 50 : 500));
      }
}

TEST_CASE("input: a file that shrinks while mapped ends where it stops, and says so",
          "[input][hostile]") {
  // A log rotation that truncates the file in place (copytruncate) while it
  // is read: its pages past the new end can no longer be read (SIGBUS), and
  // what its last page holds past that end reads as zeros at once, under
  // blocks indexed already (by the other thread, or with TRACEKIT_THREADS=1
  // the block at hand). The reader must neither crash nor hand out zeros (or
  // a newer file's bytes) as lines. (Read with read(), not mapped, the bytes
  // are copies: what was read stays.)
  TempDir d;
  const std::string text = many_lines(200000);  // several MiB
  // Cut far ahead of the reader (1 MiB, page-aligned), or just after the
  // line read (inside the blocks indexed, inside a page); or cut to nothing
  // and written again (the rotated file's successor appended to it).
  for (size_t keep : {size_t(1) << 20, size_t(100), size_t(0)}) {
    INFO("cut to " << keep);
    std::string path = d.write("shrinks.log", text);
    std::string err;
    auto src = open_input(path, err);
    REQUIRE(src);
    LineReader reader(*src, 4096, 4096);
    Line line;
    REQUIRE(reader.next(line));
    CHECK(line.text == "line 0 of a log");
    REQUIRE(::truncate(path.c_str(), off_t(keep)) == 0);
    if (keep == 0) {
      std::string again;
      for (int k = 0; k < 4000; ++k) again += "new " + std::to_string(k) + "\n";
      std::ofstream(path, std::ios::app) << again;
    }
    uint64_t end = 0;
    bool clean = true;
    while (reader.next(line)) {
      end = line.offset + line.text.size();
      clean = clean && line.text == "line " + std::to_string(line.number - 1) + " of a log";
    }
    CHECK(clean);
    INFO(src->error());
    CHECK(src->error().find("shrinks.log") != std::string::npos);
    CHECK((src->error().find("shrank while it was read") != std::string::npos ||
           src->error().find("rewritten while it was read") != std::string::npos));
    if (keep >= 4096) CHECK(end <= keep);
  }
}

TEST_CASE("input: a file that grows while read is read to its new end", "[input][hostile]") {
  // The writer appends while the file is read, mapped or not: the rest of
  // its last line, within the last page and past it, then whole lines.
  // (The file is longer than the thread reads ahead, so that it has not
  // reached the end when the writer writes.)
  for (bool ahead : {false, true})
    for (bool page_end : {false, true}) {
      INFO("read ahead " << ahead << ", file ends at a page's end " << page_end);
      TempDir d;
      std::string first = many_lines(4000);
      if (page_end) first += std::string((4096 - (first.size() + 4) % 4096) % 4096, 'x') + "\n";
      first += "thr";
      CHECK((first.size() % 4096 == 0) == page_end);
      std::string path = d.write("growing.log", first);
      std::string err;
      auto src = open_input(path, err);
      REQUIRE(src);
      LineReader reader(*src, 4096, 1 << 16, ahead);
      Line line;
      REQUIRE(reader.next(line));  // the file is mapped, and read ahead, now
      std::string more = "ee" + std::string(9000, 'y') + "\n";
      for (int k = 0; k < 1000; ++k) more += "appended " + std::to_string(k) + "\n";
      more += "fou";
      std::ofstream(path, std::ios::app) << more;
      for (int k = 1; k < 4000; ++k) {
        REQUIRE(reader.next(line));
        CHECK(line.text == "line " + std::to_string(k) + " of a log");
      }
      if (page_end) REQUIRE(reader.next(line));  // the x's
      REQUIRE(reader.next(line));
      CHECK(line.text == "thr" + std::string("ee") + std::string(9000, 'y'));
      CHECK_FALSE(line.cut);
      for (int k = 0; k < 1000; ++k) {
        REQUIRE(reader.next(line));
        CHECK(line.text == "appended " + std::to_string(k));
      }
      REQUIRE(reader.next(line));
      CHECK(line.text == "fou");
      CHECK(line.cut);
      CHECK_FALSE(reader.next(line));
      CHECK(src->cut_at_end());
      CHECK(src->error().empty());
    }
}

TEST_CASE("input: a SIGBUS that is not a mapped file's goes to the handler before",
          "[input][hostile]") {
  // Mapping a file installs tracekit's handler; a SIGBUS sent to the
  // process (not a fault of a mapped file) reaches the handler that was
  // there before it, as it would have without the mapping.
  static volatile sig_atomic_t got = 0;
  struct sigaction mine {
  }, before{};
  mine.sa_handler = [](int) { got = got + 1; };
  sigemptyset(&mine.sa_mask);
  REQUIRE(::sigaction(SIGBUS, &mine, &before) == 0);
  TempDir d;
  std::string err;
  auto src = open_input(d.write("mapped.log", many_lines(10)), err);
  REQUIRE(src);
  {
    LineReader reader(*src);
    Line line;
    REQUIRE(reader.next(line));  // mapped: tracekit's handler is in place
  }
  struct sigaction now {};
  REQUIRE(::sigaction(SIGBUS, nullptr, &now) == 0);
  CHECK((now.sa_flags & SA_SIGINFO) != 0);  // tracekit's, not the test's
  ::raise(SIGBUS);
  CHECK(got == 1);
  ::raise(SIGBUS);
  CHECK(got == 2);
  // The default again (the next file mapped puts tracekit's handler back).
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(SIGBUS, &dfl, nullptr);
}

TEST_CASE("input: which lines are cut does not depend on the block size", "[input]") {
  // A line of max_line bytes is whole and one byte more is cut, whether its
  // newline came in the same read or a later one. (The limit counts every
  // byte before the newline, a CR too.)
  TempDir d;
  std::string text = std::string(256, 'a') + "\n" + std::string(257, 'b') + "\nafter\n" +
                     std::string(300, 'c') + "\n";
  std::string path = d.write("limit.log", text);
  for (size_t block : {size_t(7), size_t(61), size_t(256), size_t(300), size_t(4096)}) {
    INFO("block " << block);
    auto r = read_path(path, block, 256);
    CHECK(r.lines ==
          std::vector<std::string>{std::string(256, 'a'), "<truncated>", "after", "<truncated>"});
    CHECK(r.offsets == std::vector<uint64_t>{0, 257, 515, 521});
  }
}

TEST_CASE("input: a reader stopped after its head reads no further", "[input]") {
  // A database format takes only the head and reads the file itself; the
  // source's error() is asked afterwards. The read-ahead thread must be gone
  // by then, and no line comes after the stop.
  TempDir d;
  std::string path = d.write("big.log", many_lines(200000));
  std::string err;
  auto src = open_input(path, err);
  REQUIRE(src);
  LineReader reader(*src, 4096, 4096);
  CHECK(reader.head().starts_with("line 0 of a log\n"));
  reader.stop_reading();
  CHECK(std::distance(fs::directory_iterator("/proc/self/task"), fs::directory_iterator{}) == 1);
  Line line;
  CHECK_FALSE(reader.next(line));
  CHECK(src->error().empty());
}

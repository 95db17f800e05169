#include "tracekit/scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "tracekit/search.h"
#include "tracekit/time.h"

namespace tracekit {

namespace {

// The hash of a session id for Scanner::sessions_, asked of every line that
// names one once sessions are kept: ids are a few digits, hashed inline
// (std::hash is a call into the library that costs more than the line's
// other checks). The top bit is set by kSessionKeyed below, so that a hash
// is never 0 (an empty slot).
inline uint64_t session_hash(std::string_view id) {
  auto load = [](const char* q) {
    uint64_t w;
    std::memcpy(&w, q, 8);
    return w;
  };
  const char* p = id.data();
  const size_t n = id.size();
  uint64_t h = n * 0x9e3779b97f4a7c15;
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) h = (h ^ load(p + i)) * 0xbf58476d1ce4e5b9;
    h ^= load(p + n - 8);  // the last 8 bytes (overlapping the word before)
  } else {
    uint64_t w = 0;
    for (size_t i = 0; i < n; ++i) w |= uint64_t(uint8_t(p[i])) << (8 * i);
    h ^= w;
  }
  // splitmix64's finaliser
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9;
  h = (h ^ (h >> 27)) * 0x94d049bb133111eb;
  return h ^ (h >> 31);
}

// How many leading bytes all of `needles` share (0 for none).
size_t common_prefix(const std::vector<std::string>& needles) {
  if (needles.empty()) return 0;
  size_t lcp = needles[0].size();
  for (const auto& n : needles) {
    size_t i = 0;
    while (i < lcp && i < n.size() && n[i] == needles[0][i]) ++i;
    lcp = i;
  }
  return lcp;
}

// The decimal digits [d, end) begins with: how many (six standing for six
// or more) and, for fewer, their value. False when they run to `end`
// (the text ends before the number does). Eight bytes at once where there
// are eight (SWAR: a port after every hit of a batch's needles).
[[gnu::always_inline]] inline bool leading_digits(const char* d, const char* end, size_t& digits,
                                                  unsigned& value) {
  if constexpr (std::endian::native == std::endian::little) {
    if (end - d >= 8) {
      uint64_t t;
      std::memcpy(&t, d, 8);
      t ^= 0x3030303030303030;  // a digit's byte is now its value, 0 to 9
      // The high bit of each byte that is not a digit (> 9). A carry out of
      // a byte only reaches later ones, past the first that is not a digit.
      const uint64_t other = ((t + 0x7676767676767676) | t) & 0x8080808080808080;
      digits = other ? size_t(std::countr_zero(other)) >> 3 : 8;
      if (digits >= 6) {
        digits = 6;
        return true;
      }
      if (digits == 0) {
        value = 0;
        return true;
      }
      // The digits to the top bytes (zeros before them), then pairs, then
      // fours, as in parsing eight digits at once.
      t <<= 8 * (8 - digits);
      t = t * 10 + (t >> 8);
      t = (((t & 0x000000FF000000FF) * (100 + (1000000ULL << 32))) +
           (((t >> 16) & 0x000000FF000000FF) * (1 + (10000ULL << 32)))) >>
          32;
      value = unsigned(t);
      return true;
    }
  }
  const char* const stop = d + std::min<size_t>(6, size_t(end - d));
  const char* q = d;
  value = 0;
  for (unsigned v; q < stop && (v = unsigned(uint8_t(*q)) - '0') <= 9; ++q) value = value * 10 + v;
  digits = size_t(q - d);
  return !(q == end && digits < 6);
}

// A prefilter's needles as search units: needles sharing a prefix (a
// batch's public addresses, 203.0.113.5 and 203.0.113.20) are one unit, one
// pass for the prefix, then each needle compared where it is found, instead
// of one pass over the data per needle.
class NeedleSet {
 public:
  // Needles that share this many bytes or more are searched for as one.
  static constexpr size_t kMinPrefix = 4;
  // follows[k], when it asks anything: needle k counts only where what it
  // asks follows it (or the text searched ends first).
  NeedleSet(const std::vector<std::string>& needles, const std::vector<NeedleFollow>& follows)
      : needles_(needles), follows_(follows) {}
  // Whether needles were added since update() last ran.
  bool stale() const { return needles_.size() != covered_; }
  // Gives the needles added since the last call units: the needles there at
  // the start share one unit when they share a prefix of kMinPrefix bytes or
  // more; needles added later get a unit each.
  void update() {
    size_t first = covered_;
    if (first == 0) {
      units_.clear();
      size_t lcp = common_prefix(needles_);
      if (needles_.size() >= 2 && lcp >= kMinPrefix) {
        Unit g{needles_[0].substr(0, lcp), {}, {}, {}};
        for (size_t k = 0; k < needles_.size(); ++k) g.needles.push_back(k);
        if (g.needles.size() >= kBucketFrom) {
          g.by_next.resize(256);
          for (size_t k : g.needles) {
            if (needles_[k].size() == lcp)
              g.whole.push_back(k);
            else
              g.by_next[uint8_t(needles_[k][lcp])].push_back(k);
          }
        }
        units_.push_back(std::move(g));
        first = needles_.size();
      }
    }
    for (size_t k = first; k < needles_.size(); ++k) units_.push_back({needles_[k], {k}, {}, {}});
    covered_ = needles_.size();
    quick_.assign(needles_.size(), Quick{});
    for (const Unit& u : units_)
      for (size_t k : u.needles) quick_[k] = quick_for(k, u.search.size());
  }
  size_t units() const { return units_.size(); }
  // The first place in [p, end) where a needle of unit u is, with what it
  // asks to follow it; null if none.
  const char* find(const char* p, const char* end, size_t unit) const {
    const Unit& u = units_[unit];
#if defined(__x86_64__) && defined(__GNUC__)
    if (kHaveAvx2 && u.search.size() >= 2) return find_avx2(p, end, u);
#endif
    return find_from(p, end, u);
  }

 private:
  struct Unit {
    std::string search;           // what is searched for
    std::vector<size_t> needles;  // the needles it stands for (search is their prefix)
    // With two needles or more: those by the byte that follows the prefix in them
    // (256 lists), and those that are the prefix alone, so that a hit is
    // compared with the needles it may be and not with all of them.
    std::vector<std::vector<size_t>> by_next;
    std::vector<size_t> whole;
  };
  static constexpr size_t kBucketFrom = 2;
  // A needle's check for the usual hit, with room after it: the bytes past
  // its unit's prefix (up to 8) as one masked word, and a one-byte separator
  // before a port. Compares and a table lookup inline, no call: a batch's
  // prefix is in nearly every line.
  struct Quick {
    bool ok = false;    // the usual hit may take the quick check
    uint8_t tail = 0;   // bytes past the prefix
    char sep = 0;       // before the port
    uint64_t word = 0;  // the tail's bytes as read from memory, masked
    uint64_t mask = 0;
    const uint64_t* ports = nullptr;
  };
  Quick quick_for(size_t k, size_t searched) const {
    Quick q;
    const std::string& n = needles_[k];
    const NeedleFollow& f = follows_[k];
    if constexpr (std::endian::native != std::endian::little) return q;
    if (n.size() < searched || n.size() - searched > 8 || f.ports.empty() || f.sep.size() != 1)
      return q;
    q.tail = uint8_t(n.size() - searched);
    for (size_t i = 0; i < q.tail; ++i) {
      q.word |= uint64_t(uint8_t(n[searched + i])) << (8 * i);
      q.mask |= uint64_t(0xff) << (8 * i);
    }
    q.sep = f.sep[0];
    q.ports = f.ports.data();
    q.ok = true;
    return q;
  }
  // accept(), with the quick check where it applies: the needle's tail, the
  // separator and the port's digits all before `end`, with 8 bytes to spare
  // for the word loads.
  [[gnu::always_inline]] bool accept_usual(const char* hit, const char* end, size_t k,
                                           size_t searched) const {
    const Quick& q = quick_[k];
    if (!q.ok || end - hit < ptrdiff_t(searched + 8 + 1 + 8)) return accept(hit, end, k, searched);
    uint64_t w;
    std::memcpy(&w, hit + searched, 8);
    if ((w & q.mask) != q.word) return false;
    const char* after = hit + searched + q.tail;
    if (*after != q.sep) return accept(hit, end, k, searched);  // a literal may follow
    size_t digits;
    unsigned port;
    leading_digits(after + 1, end, digits, port);  // (8 bytes there: never the text's end)
    return digits > 0 && digits < 6 && port <= 65535 && (q.ports[port >> 6] >> (port & 63) & 1);
  }
  // Whether one of u's needles, with what it asks to follow it, is at `hit`
  // (where u.search is).
  [[gnu::always_inline]] bool accepts(const char* hit, const char* end, const Unit& u) const {
    const size_t s = u.search.size();
    if (!u.by_next.empty() && size_t(end - hit) > s) {
      for (size_t k : u.whole)
        if (accept_usual(hit, end, k, s)) return true;
      for (size_t k : u.by_next[uint8_t(hit[s])])
        if (accept_usual(hit, end, k, s)) return true;
      return false;
    }
    // (The text ends in the prefix: every needle may still be there.)
    for (size_t k : u.needles)
      if (accept_usual(hit, end, k, s)) return true;
    return false;
  }
  const char* find_from(const char* p, const char* end, const Unit& u) const {
    for (;;) {
      const char* hit = find_literal(p, end, u.search);
      if (!hit || accepts(hit, end, u)) return hit;
      p = hit + 1;
    }
  }
#if defined(__x86_64__) && defined(__GNUC__)
  // find_from with find_literal's AVX2 loop inline: a batch's prefix
  // ("203.0.113.") is in nearly every line, where most hits are not
  // accepted; each is then a bit of a mask already made, not another search
  // set up from the byte after it.
  __attribute__((target("avx2"))) const char* find_avx2(const char* p, const char* end,
                                                        const Unit& u) const {
    const char* hit =
        find_avx2_each(p, end, u.search, [&](const char* at) { return accepts(at, end, u); });
    return hit ? hit : find_from(p, end, u);
  }
#endif
  // Whether needle k, whose first bytes are at `hit`, is there whole with
  // what it asks to follow it (or the text ends first).
  // (Out of line: the usual hit takes accept_usual's quick check.)
  [[gnu::noinline]] bool accept(const char* hit, const char* end, size_t k, size_t searched) const {
    const std::string& n = needles_[k];
    size_t room = size_t(end - hit);
    if (n.size() > searched) {
      if (room < n.size()) return bytes_equal(hit, n.data(), room);
      if (!bytes_equal(hit + searched, n.data() + searched, n.size() - searched)) return false;
    }
    const NeedleFollow& f = follows_[k];
    if (!f.any()) return true;
    const char* after = hit + n.size();
    room = size_t(end - after);
    // The port first: where a needle has both, most hits have a port.
    if (!f.ports.empty() && bytes_equal(after, f.sep.data(), std::min(room, f.sep.size()))) {
      const char* d = after + f.sep.size();
      if (d >= end) return true;  // the text ends: the next search decides
      size_t digits;
      unsigned port;
      if (!leading_digits(d, end, digits, port)) return true;  // the text ends in them
      if (digits > 0 && digits < 6 && port <= 65535 && (f.ports[port >> 6] >> (port & 63) & 1))
        return true;
      // (What follows is the separator, which no literal begins with.)
      return false;
    }
    for (const auto& lit : f.literal)
      if (bytes_equal(after, lit.data(), std::min(room, lit.size()))) return true;
    return false;
  }
  const std::vector<std::string>& needles_;
  const std::vector<NeedleFollow>& follows_;
  std::vector<Unit> units_;
  std::vector<Quick> quick_;  // by needle
  size_t covered_ = 0;        // needles_ given a unit
};

// Finds where the prefilter's needles occur ahead of the reader, a block at a
// time, so that a line without any costs no search of its own. Each search
// unit keeps its own next hit: passing a hit of a common needle searches for
// that needle's next one only, not again for a rare one whose next hit (or
// none up to the window's end) is already known.
class HitTracker {
 public:
  HitTracker(const std::vector<std::string>& needles, const std::vector<NeedleFollow>& follows)
      : set_(needles, follows) {}
  // Whether the line the reader returned last holds a needle. Asked of
  // every line: the usual answer, from what earlier searches found, inline.
  [[gnu::always_inline]] bool line_has_hit(const LineReader& reader, const Line& line) {
    uint64_t line_end = line.offset + line.text.size();
    // Every unit's next hit is at or after this line, or none is before the
    // point searched to: nothing to search.
    if (!set_.stale() && earliest_ >= line.offset && line_end <= known_to_)
      return earliest_ < line_end;
    return search(reader, line);
  }

 private:
  [[gnu::noinline]] bool search(const LineReader& reader, const Line& line) {
    if (set_.stale()) {  // needles added: not searched yet
      set_.update();
      state_.assign(set_.units(), State{});
      known_to_ = 0;
    }
    uint64_t line_end = line.offset + line.text.size();
    if (earliest_ >= line.offset && line_end <= known_to_) return earliest_ < line_end;
    earliest_ = kNone;
    known_to_ = kNone;
    std::string_view w;
    uint64_t base = 0;
    bool have_window = false;
    for (size_t u = 0; u < state_.size(); ++u) {
      State& st = state_[u];
      if (st.next < line.offset || (st.next == kNone && st.searched_to < line_end)) {
        if (!have_window) {
          w = reader.window(base);
          have_window = true;
        }
        // The window starts at this line: search from there.
        const char* hit = set_.find(w.data(), w.data() + w.size(), u);
        st.next = hit ? base + uint64_t(hit - w.data()) : kNone;
        st.searched_to = base + w.size();
      }
      earliest_ = std::min(earliest_, st.next);
      if (st.next == kNone) known_to_ = std::min(known_to_, st.searched_to);
    }
    return earliest_ < line_end;
  }

  static constexpr uint64_t kNone = UINT64_MAX;
  struct State {
    uint64_t next = kNone;     // offset of the next hit at or after the line searched from
    uint64_t searched_to = 0;  // when next is kNone: no hit before here
  };
  NeedleSet set_;
  std::vector<State> state_;
  uint64_t earliest_ = 0;  // the nearest hit of any unit (kNone: none known)
  uint64_t known_to_ = 0;  // the least searched_to of units with no hit known
};

// A line's key for the read-ahead thread (LineMarker::key): the hash of the
// session it names, with the top bit set; 0 when it names none.
constexpr uint64_t kSessionKeyed = uint64_t(1) << 63;

// The same needles looked for by the thread reading ahead (LineMarker): a
// line it marks holds one. Its own copy of them, never changed. With the
// format's session_of, it keys lines with their session's hash too.
class NeedleMarker final : public LineMarker {
 public:
  NeedleMarker(std::vector<std::string> needles, std::vector<NeedleFollow> follows,
               std::string_view (*session_of)(std::string_view))
      : needles_(std::move(needles)),
        follows_(std::move(follows)),
        set_(needles_, follows_),
        session_of_(session_of) {
    set_.update();
  }
  void find(const char* from, const char* to, std::vector<const char*>& hits) const override {
    for (size_t u = 0; u < set_.units(); ++u)
      for (const char* p = from; (p = set_.find(p, to, u)); ++p) hits.push_back(p);
    if (set_.units() > 1) std::sort(hits.begin(), hits.end());
  }
  bool keys() const override { return session_of_ != nullptr; }
  uint64_t key(std::string_view text) const override {
    std::string_view id = session_of_(text);
    return id.empty() ? 0 : session_hash(id) | kSessionKeyed;
  }

 private:
  const std::vector<std::string> needles_;
  const std::vector<NeedleFollow> follows_;
  NeedleSet set_;
  std::string_view (*const session_of_)(std::string_view);
};

[[gnu::always_inline]] inline void note_time(ScanFile& f, Instant t, Micros max_silence) {
  if (t == kNoTime) return;
  if (f.first_time == kNoTime) {
    f.first_time = f.last_time = t;
    return;
  }
  if (t > f.last_time) {
    if (t - f.last_time > max_silence) f.silences.push_back({f.last_time, t});
    f.last_time = t;
  }
  if (t < f.first_time) f.first_time = t;
}

constexpr uint8_t kFoldLater = kLocalAmbiguous | kLocalLaterReading;

Instant now_utc() {
  return std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
}

// TRACEKIT_PREFILTER=0: no prefilter, every line parsed whole. Read once.
bool prefilter_allowed() {
  static const bool allowed = [] {
    const char* env = std::getenv("TRACEKIT_PREFILTER");
    return !(env && std::string_view(env) == "0");
  }();
  return allowed;
}

}  // namespace

Scanner::Scanner(Diagnostics& diag, ScanSettings settings)
    : diag_(&diag), settings_(std::move(settings)) {
  if (!prefilter_allowed()) {
    settings_.needles.clear();
    settings_.addr_ports.clear();
  }
}

std::vector<FoldMark> later_readings(const std::vector<ScanFile>& files) {
  std::vector<FoldMark> out;
  for (const auto& f : files)
    out.insert(out.end(), f.later_readings.begin(), f.later_readings.end());
  return out;
}

const FormatInfo* choose_format(const SourceSpec& src, Family family, std::string_view head,
                                std::string& why, std::string& error) {
  if (src.format != "auto" && !src.format.empty()) {
    const FormatInfo* f = find_format(src.format);
    if (!f) {
      error = fmt::format("unknown format '{}' (trace-cat --formats lists them)", src.format);
      return nullptr;
    }
    if (f->family != family) {
      error = fmt::format("format '{}' is a {} format; this tool reads {} logs", src.format,
                          family_name(f->family), family_name(family));
      return nullptr;
    }
    why = fmt::format("format forced ({})", src.origin);
    return f;
  }
  SniffResult r = sniff_format(head, &family);
  if (!r.format) {
    error =
        fmt::format("not a {} log that tracekit recognises; name its format with --log FORMAT:PATH",
                    family_name(family));
    return nullptr;
  }
  why = r.why;
  return r.format;
}

namespace {

// What an input that did not fit is, when that says more than "not a log":
// binary data (a NUL byte in its first block).
// The offset in `s` of its first byte that does not belong to valid UTF-8
// (overlong forms, surrogates and code points past U+10FFFF included), or
// npos. Eight ASCII bytes at a time: it runs on every record's line.
size_t invalid_utf8_at(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0, n = s.size();
  {
    // Most lines are ASCII: one branch for the whole line, the words OR-ed.
    uint64_t any = 0;
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
      uint64_t w;
      std::memcpy(&w, p + k, 8);
      any |= w;
    }
    for (; k < n; ++k) any |= p[k];
    if (!(any & 0x8080808080808080ull)) return std::string_view::npos;
  }
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (!(w & 0x8080808080808080ull)) {
        i += 8;
        continue;
      }
    }
    unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t least;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      least = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      least = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      least = 0x10000;
    } else {
      return i;
    }
    if (i + len > n) return i;
    uint32_t cp = c & (0x7Fu >> len);
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (cp < least || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string binary_note(std::string_view head) {
  size_t nul = head.find('\0');
  if (nul == std::string_view::npos) return {};
  return fmt::format(" (it holds binary data: a NUL byte at byte offset {})", nul);
}

}  // namespace

template <class Event>
bool Scanner::scan(const SourceSpec& src, uint32_t source, const EventSink<Event>& sink) {
  constexpr Family family = family_of<Event>();
  // A sources file names every hop's logs; each tool reads its own family's.
  if (src.origin != "--log" && src.format != "auto" && !src.format.empty()) {
    const FormatInfo* forced = find_format(src.format);
    if (forced && forced->family != family) return true;
  }
  std::vector<std::string> paths;
  std::string error;
  if (!expand_log_paths(src.patterns, paths, error)) {
    diag_->error(error);
    return true;
  }
  const Micros max_silence = src.max_silence.value_or(settings_.max_silence);
  for (const auto& path : paths) {
    auto bytes = open_input(path, error);
    if (!bytes) {
      diag_->error(error);
      continue;
    }
    LineReader reader(*bytes);
    std::string_view head = reader.head();
    ScanFile f;
    f.info = bytes->file();
    f.source = source;
    if (head.empty() && !bytes->error().empty()) {
      diag_->error(bytes->error());
      continue;
    }
    std::string why;
    f.format = choose_format(src, family, head, why, error);
    if (!f.format) {
      if (head.empty()) {
        // An empty file: nothing to read, nothing to claim; but an empty log
        // (cleared, or rotated into nothing) is worth a word.
        diag_->warning(fmt::format("{}: empty: no line to read", path));
        f.complete = true;
        files_.push_back(std::move(f));
        continue;
      }
      if (src.format == "auto" && src.origin != "--log" && sniff_format(head, nullptr).format) {
        passed_over_.push_back(path);  // another tool's log in a shared sources file
        continue;
      }
      if (settings_.any_family && src.format == "auto")
        error =
            "not a log of any format tracekit recognises (trace-cat --formats lists them); "
            "name its format with --log FORMAT:PATH";
      diag_->error(fmt::format("{}: {}{}", path, error, binary_note(head)));
      continue;
    }
    f.sniff_why = why;
    uint8_t zone_flags = 0;
    if (!src.tz.empty()) f.zone = find_zone(src.tz);
    if (!f.zone) f.zone = settings_.default_zone;
    if (!f.zone) {
      f.zone = machine_zone();
      f.zone_assumed = true;
      zone_flags = kZoneAssumed;
    }
    LocalTimeConverter local(f.zone);
    YearTracker years;
    years.begin_file(src.year, f.info.mtime == kNoTime ? now_utc() : f.info.mtime,
                     f.zone_assumed ? nullptr : f.zone);
    size_t record_size = 0;
    if (f.format->input == InputKind::records) {
      record_size = f.format->record_size ? f.format->record_size(head) : 0;
      if (record_size == 0 || record_size > LineReader::kMaxLine) {
        diag_->error(fmt::format("{}: no record layout of format '{}' fits this file", path,
                                 f.format->name));
        continue;
      }
    }
    // The file takes its place in the table first: the parser keeps a pointer
    // to its InputFile.
    uint32_t file_id = uint32_t(files_.size());
    files_.push_back(std::move(f));
    ScanFile& file = files_.back();
    ParseContext ctx;
    ctx.file = &file.info;
    ctx.local = &local;
    ctx.year = &years;
    ctx.zone_flags = zone_flags;
    ctx.source = &src;
    ctx.head = head;
    auto parser = make_parser<Event>(*file.format, ctx);
    if (!parser) {
      diag_->error(fmt::format("{}: format '{}' has no {} reader", path, file.format->name,
                               family_name(family)));
      files_.pop_back();
      continue;
    }
    Line line;
    Event ev;
    bool stop = false;
    // Strict mode must see every line whole.
    const bool prefilter = !settings_.needles.empty() && !diag_->strict();
    prefilter_off_ = false;
    file_needles_ = settings_.needles;
    file_follows_.assign(file_needles_.size(), {});
    file_session_of_ = file.format->session_of;
    if (!settings_.addr_ports.empty() && !file.format->addr_port_sep.empty()) {
      // Each address asked, where "/PORT" for a port asked, a space or the
      // line's end follows it; the needles added by earlier files (inside
      // hosts) as they are.
      file_needles_.clear();
      file_follows_.clear();
      for (const auto& [addr, port] : settings_.addr_ports) {
        auto at = std::find(file_needles_.begin(), file_needles_.end(), addr);
        if (at == file_needles_.end()) {
          file_needles_.push_back(addr);
          NeedleFollow f;
          f.literal = {" ", "\n", "\r"};
          f.sep = file.format->addr_port_sep;
          f.ports.assign(65536 / 64, 0);
          file_follows_.push_back(std::move(f));
          at = file_needles_.end() - 1;
        }
        auto& bits = file_follows_[size_t(at - file_needles_.begin())].ports;
        bits[port >> 6] |= uint64_t(1) << (port & 63);
      }
      for (const auto& n : settings_.needles) {
        if (std::find(file_needles_.begin(), file_needles_.end(), n) != file_needles_.end())
          continue;
        file_needles_.push_back(n);
        file_follows_.emplace_back();
      }
    }
    HitTracker hits(file_needles_, file_follows_);
    // The thread reading ahead looks for the needles there now; for lines it
    // did not look at, and once needles are added, the tracker does.
    const size_t marked_needles = file_needles_.size();
    if (prefilter && file.format->input == InputKind::lines)  // (records come unmarked)
      reader.mark_lines(
          std::make_shared<NeedleMarker>(file_needles_, file_follows_, file_session_of_));
    auto names_session = [&](const Line& l) {
      if (sessions_.empty() || !file_session_of_) return false;
      uint64_t h = l.key;  // (worked out ahead, when the thread had the time)
      if (!l.keyed) {
        std::string_view id = file_session_of_(l.text);
        if (id.empty()) return false;
        h = session_hash(id) | kSessionKeyed;
      } else if (!h) {
        return false;
      }
      return sessions_.contains(h);
    };
    // Lines read as records whose text is not UTF-8: they become evidence as
    // they are (their bytes kept), but someone must be told.
    uint64_t utf8_bad = 0, utf8_first_line = 0, utf8_first_offset = 0;
    char key[64];  // room for a relay header, a device date and host before the tag
    size_t key_len = 0;
    Instant key_later = kNoTime;  // the key's time when read the later way in a fold
    // Before each line (or record pulled, or the parser's last word): nothing
    // of the last one's time, flags, first line or text stays (a parser that
    // sets no flags leaves none).
    auto fresh_event = [&] {
      ev.time = kNoTime;
      ev.time_flags = 0;
      ev.first_line = 0;
      ev.raw = {};
    };
    // A line read the later way in a fold: noted, whatever becomes of it.
    // (Only where a store settles fold readings: leases and logins. A NAT,
    // proxy or mail log may write millions of lines in the fold's hour.)
    constexpr bool kFoldMarks = family == Family::dhcp || family == Family::login;
    auto note_later = [&](const Line& at) __attribute__((always_inline)) {
      if constexpr (kFoldMarks)
        if ((ev.time_flags & kFoldLater) == kFoldLater && ev.time != kNoTime) [[unlikely]]
          file.later_readings.push_back({file_id, at.number, ev.time});
    };
    // A record to the sink: inline where every line of a full parse goes.
    auto take_record = [&](const Line& at) __attribute__((always_inline)) {
      ++file.records;
      // (Binary records, wtmp's, are not text.)
      if (size_t bad = record_size || reader.is_ascii(at.text) ? std::string_view::npos
                                                               : invalid_utf8_at(at.text);
          bad != std::string_view::npos && utf8_bad++ == 0) {
        utf8_first_line = at.number;
        utf8_first_offset = at.offset + bad;
      }
      note_time(file, ev.time, max_silence);
      if (ev.first_line == 0) {
        ev.first_line = at.number;
        ev.first_offset = at.offset;
      }
      if (ev.raw.empty()) ev.raw = at.text;
      sink(ev, file, file_id, at);
    };
    auto handle = [&](LineResult r, const Line& at) {
      switch (r.status) {
        case LineStatus::record:
          take_record(at);
          break;
        case LineStatus::skip:
          ++file.skipped;
          note_time(file, ev.time, max_silence);
          break;
        case LineStatus::foreign:
          ++file.foreign;
          break;
        case LineStatus::malformed:
          ++file.malformed;
          // Its time, when read, still shows the log was written then (as
          // when the prefilter reads such a line for its time only).
          note_time(file, ev.time, max_silence);
          if (!diag_->malformed(path, ev.first_line ? ev.first_line : at.number, r.reason))
            stop = true;
          break;
        case LineStatus::more:
          break;
      }
    };
    if (f.format->input == InputKind::database) {
      // The parser reads the file itself; the stream was opened for sniffing
      // (and is read no further: the source's error() below is then its
      // own, not that of a thread still reading ahead).
      reader.stop_reading();
      LineResult r;
      Line at;
      for (;;) {
        fresh_event();
        if (!parser->pull(ev, r)) break;
        ++file.lines;
        at.number = ev.first_line;
        note_later(at);
        handle(r, at);
        if (stop) return false;
      }
    }
    auto next = [&](Line& l) {
      switch (file.format->input) {
        case InputKind::lines:
          return reader.next(l);
        case InputKind::records:
          return reader.next_record(record_size, l);
        case InputKind::database:
          return false;
      }
      return false;
    };
    while (!stop && next(line)) {
      ++file.lines;
      if (line.truncated && record_size) {
        ++file.malformed;
        if (!diag_->malformed(path, line.number, "partial record at the end of the file"))
          stop = true;
        continue;
      }
      if (line.nul && file.nul_lines++ == 0) {
        file.first_nul_line = line.number;
        file.first_nul_offset = line.nul_offset;
      }
      if (line.truncated || line.cut) {
        // Not a whole line: never read as a record (a field cut short would
        // read as another address or port).
        ++file.malformed;
        std::string why =
            line.truncated
                ? fmt::format("line longer than {} MiB at byte offset {}: skipped to its end",
                              LineReader::kMaxLine >> 20, line.offset)
            : bytes->error().empty()
                ? fmt::format(
                      "last line (byte offset {}) cut short: the file was being written while "
                      "it was read; not read",
                      line.offset)
                : fmt::format("last line before the damage (byte offset {}) cut short; not read",
                              line.offset);
        if (!diag_->malformed(path, line.number, why)) stop = true;
        continue;
      }
      fresh_event();
      // A line that cannot be about the keys asked for is read for its time
      // only (coverage); a header that cannot be read is still malformed, and
      // a multi-line record it completes is still kept.
      if (!prefilter || prefilter_off_ ||
          (line.mark >= 0 && file_needles_.size() == marked_needles
               ? line.mark == 1
               : hits.line_has_hit(reader, line)) ||
          names_session(line)) {
        LineResult r = parser->parse(line, ev);
        note_later(line);
        if (r.status == LineStatus::record)
          take_record(line);
        else
          handle(r, line);
        continue;
      }
      // Same time key as the last line timed: same time, nothing to learn.
      if (key_len && line.text.size() >= key_len && bytes_equal(line.text.data(), key, key_len)) {
        ++file.skipped;
        if (key_later != kNoTime) [[unlikely]]
          file.later_readings.push_back({file_id, line.number, key_later});
        continue;
      }
      ev.time_key = 0;
      LineResult r = parser->parse_time(line, ev);
      note_later(line);
      if (r.status == LineStatus::skip && ev.time != kNoTime && ev.time_key &&
          ev.time_key <= sizeof key && line.text.size() >= ev.time_key) {
        key_len = ev.time_key;
        std::memcpy(key, line.text.data(), key_len);
        key_later = kFoldMarks && (ev.time_flags & kFoldLater) == kFoldLater ? ev.time : kNoTime;
      }
      handle(r, line);
    }
    if (stop) return false;
    fresh_event();
    Line end_line;
    end_line.number = line.number;
    LineResult last = parser->finish(ev);
    note_later(end_line);
    if (last.status == LineStatus::record || last.status == LineStatus::malformed)
      handle(last, end_line);
    if (stop) return false;
    if (file.format->snapshot) {
      // A lease database is the state as of its last write: covered up to
      // then, and record times that jump are not quiet periods.
      file.silences.clear();
      if (file.first_time != kNoTime && file.info.mtime != kNoTime)
        file.last_time = std::max(file.last_time, file.info.mtime);
    }
    file.year_inferred = years.inferred() && years.first_year() != 0;
    file.first_year = years.first_year();
    if (!bytes->error().empty()) {
      file.error = bytes->error();
      diag_->error(file.error);
    } else {
      file.complete = true;
    }
    if (!bytes->warning().empty()) diag_->warning(bytes->warning());
    if (file.nul_lines)
      diag_->warning(fmt::format(
          "{}: binary data: {} line{} hold{} NUL bytes, the first at line {} (byte offset {}); "
          "text after a run of NULs at a line's start was read",
          path, file.nul_lines, file.nul_lines == 1 ? "" : "s", file.nul_lines == 1 ? "s" : "",
          file.first_nul_line, file.first_nul_offset));
    if (utf8_bad)
      diag_->warning(fmt::format(
          "{}: {} bytes that are not UTF-8, the first at line {} (byte offset {}); kept as "
          "they are",
          path,
          utf8_bad == 1 ? "1 line read as a record holds"
                        : fmt::format("{} lines read as records hold", utf8_bad),
          utf8_first_line, utf8_first_offset));
    if (file.format->input == InputKind::database) {
      // Its reader says what it found.
    } else if (file.lines == 0 && file.error.empty())
      diag_->warning(
          fmt::format("{}: empty: no {} to read", path, record_size ? "record" : "line"));
    else if (file.lines > 0 && file.lines == file.foreign)
      diag_->warning(fmt::format("{}: none of its {} line{} is of format '{}'", path, file.lines,
                                 file.lines == 1 ? "" : "s", file.format->name));
  }
  return true;
}

template bool Scanner::scan<DhcpEvent>(const SourceSpec&, uint32_t, const EventSink<DhcpEvent>&);
template bool Scanner::scan<NatEvent>(const SourceSpec&, uint32_t, const EventSink<NatEvent>&);
template bool Scanner::scan<LoginEvent>(const SourceSpec&, uint32_t, const EventSink<LoginEvent>&);
template bool Scanner::scan<OwnerEvent>(const SourceSpec&, uint32_t, const EventSink<OwnerEvent>&);
template bool Scanner::scan<ProxyEvent>(const SourceSpec&, uint32_t, const EventSink<ProxyEvent>&);
template bool Scanner::scan<MailEvent>(const SourceSpec&, uint32_t, const EventSink<MailEvent>&);

bool Scanner::prefilter_pays(const std::vector<std::string>& needles) {
  if (needles.empty() || needles.size() > kMaxNeedles) return false;
  return needles.size() <= 8 || common_prefix(needles) >= NeedleSet::kMinPrefix;
}

bool Scanner::add_needle(std::string_view needle) {
  if (settings_.needles.empty() || prefilter_off_) return false;
  if (std::find(settings_.needles.begin(), settings_.needles.end(), needle) !=
      settings_.needles.end())
    return true;
  if (settings_.needles.size() >= kMaxNeedles) {
    prefilter_off_ = true;  // for the rest of this file: parse every line
    return false;
  }
  settings_.needles.emplace_back(needle);
  file_needles_.emplace_back(needle);
  file_follows_.emplace_back();
  return true;
}

bool Scanner::add_session(std::string_view id) {
  if (settings_.needles.empty() || prefilter_off_ || !file_session_of_ || id.empty()) return false;
  sessions_.insert(session_hash(id) | kSessionKeyed);
  return true;
}

void Scanner::drop_session(std::string_view id) {
  if (!id.empty()) sessions_.erase(session_hash(id) | kSessionKeyed);
}

void SessionFilter::insert(uint64_t h) {
  if ((used_ + 1) * 2 > slots_.size()) {
    std::vector<uint64_t> old = std::move(slots_);
    std::vector<uint32_t> old_counts = std::move(counts_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), 0);
    counts_.assign(slots_.size(), 0);
    const size_t mask = slots_.size() - 1;
    for (size_t k = 0; k < old.size(); ++k) {
      if (!old[k]) continue;
      size_t i = old[k] & mask;
      while (slots_[i]) i = (i + 1) & mask;
      slots_[i] = old[k];
      counts_[i] = old_counts[k];
    }
  }
  const size_t mask = slots_.size() - 1;
  size_t i = h & mask;
  for (; slots_[i]; i = (i + 1) & mask)
    if (slots_[i] == h) {
      ++counts_[i];
      return;
    }
  slots_[i] = h;
  counts_[i] = 1;
  ++used_;
}

void SessionFilter::erase(uint64_t h) {
  if (used_ == 0) return;
  const size_t mask = slots_.size() - 1;
  size_t hole = h & mask;
  for (; slots_[hole] != h; hole = (hole + 1) & mask)
    if (!slots_[hole]) return;
  if (--counts_[hole] > 0) return;
  // Linear probing's deletion: each later entry of the run moves back into
  // the hole, unless its home lies after the hole and at or before itself
  // (cyclically): it could not be found from its home past the hole.
  for (size_t i = (hole + 1) & mask; slots_[i]; i = (i + 1) & mask) {
    const size_t home = slots_[i] & mask;
    const bool stays = hole <= i ? (hole < home && home <= i) : (hole < home || home <= i);
    if (stays) continue;
    slots_[hole] = slots_[i];
    counts_[hole] = counts_[i];
    hole = i;
  }
  slots_[hole] = 0;
  counts_[hole] = 0;
  --used_;
}

bool Coverage::covers(Instant from, Instant to) const {
  for (const auto& s : spans)
    if (s.from <= from && to <= s.to) return true;
  return false;
}

std::string Coverage::explain_gap(Instant from, Instant to) const {
  if (spans.empty()) return "no log line with a time was read";
  if (to < spans.front().from)
    return fmt::format("the logs start at {}", format_rfc3339(spans.front().from));
  if (from > spans.back().to)
    return fmt::format("the logs end at {}", format_rfc3339(spans.back().to));
  for (size_t k = 0; k + 1 < spans.size(); ++k) {
    Instant quiet_from = spans[k].to, quiet_to = spans[k + 1].from;
    if (from < quiet_to && to > quiet_from)
      return fmt::format("no log lines from {} to {}", format_rfc3339(quiet_from),
                         format_rfc3339(quiet_to));
  }
  if (from < spans.front().from)
    return fmt::format("the logs start at {}", format_rfc3339(spans.front().from));
  return fmt::format("the logs end at {}", format_rfc3339(spans.back().to));
}

Coverage build_coverage(const std::vector<ScanFile>& files, const std::vector<uint32_t>& sources,
                        Micros bridge) {
  std::vector<Span> spans;
  for (const auto& f : files) {
    if (std::find(sources.begin(), sources.end(), f.source) == sources.end()) continue;
    if (f.first_time == kNoTime) continue;
    Instant from = f.first_time;
    for (const auto& q : f.silences) {
      spans.push_back({from, q.from});
      from = q.to;
    }
    spans.push_back({from, f.last_time});
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.from < b.from; });
  Coverage c;
  for (const auto& s : spans) {
    if (!c.spans.empty() && s.from - c.spans.back().to <= bridge) {
      c.spans.back().to = std::max(c.spans.back().to, s.to);
    } else {
      c.spans.push_back(s);
    }
  }
  return c;
}

}  // namespace tracekit

// ISC dhcpd's lease database: dhcpd.leases (DHCPv4) and dhcpd6.leases (DHCPv6).
//
//   lease 10.20.3.44 {
//     starts 4 2026/04/23 15:19:00;
//     ends 4 2026/04/23 16:19:00;
//     cltt 4 2026/04/23 15:19:00;
//     binding state active;
//     next binding state free;
//     hardware ethernet 00:1b:21:3a:4f:07;
//     uid "\001\000\033!:O\007";
//     client-hostname "ws-lab1-07";
//   }
//
// The file is a database kept as a log: each grant, renewal, release or expiry
// appends the whole lease again (the last block for an address is the current
// one), and dhcpd rewrites the file now and then with one block per address.
// Each block is one record: action `lease`, time = starts (cltt when there is
// no starts), lease_end = ends, ends_lease from the binding state (see
// binding_ends_lease), mac = hardware ethernet, client_id = uid, host =
// client-hostname.
//
// dhcpd -6 writes IA blocks instead:
//   ia-na "\001\000\000\000\000\001\000\001\034\367\020\245\000'\"3+4" {
//     cltt 3 2016/01/06 14:50:34;
//     iaaddr 2001:db8:10::106 {
//       binding state active;
//       preferred-life 540;
//       max-life 864;
//       ends 3 2016/01/06 15:04:58;
//     }
//   }
// The string is the IAID (4 bytes) followed by the client's DUID. Each iaaddr
// is one record, returned at the iaaddr's closing brace (an IA may hold several
// addresses, and a parse call returns one record): time = cltt (v6 leases have
// no starts), lease_end = ends, lease_time = max-life when there is no ends,
// client_id = the DUID in colon hex, mac from a DUID-LLT/DUID-LL over Ethernet.
// Its raw text runs from the IA line to that closing brace. ia-pd / iaprefix
// blocks (delegated prefixes) are skipped: a prefix is not an address a query
// names, and DhcpEvent has no prefix length.
//
// Quirks: dates are UTC "W YYYY/MM/DD HH:MM:SS" (W, the weekday, is ignored),
// with `db-time-format local` "epoch SECONDS; # local-time comment" (seconds
// since the epoch, so UTC too), or "never". uid and the IAID+DUID are quoted
// strings with octal escapes ("\001") for unprintable bytes, or colon hex; both
// come out as colon hex so they compare with the same ids in other logs.
// `hardware ethernet 00:00:00:00:00:00` (sanitised files) counts as no MAC.
// Indentation is two spaces, a tab, or none. Statements for failover (tstp,
// tsfp, atsfp), DDNS and user variables (set ...), relay options and
// `on expiry { ... }` are ignored. Outside lease blocks, comments,
// authoring-byte-order, server-duid, `failover peer` state and the host, group
// and class declarations OMAPI writes are skipped. dhcpd writes one statement
// a line; several on a line are read too, but a line ends with the record it
// completes (text after a lease's closing brace on the same line is ignored).
#include <charconv>

#include "format_list.h"
#include "tracekit/text.h"
#include "tracekit/timestamp.h"

namespace tracekit::formats {

namespace {

// A lease block is a few hundred bytes; this much without a closing brace is a
// damaged file, not a lease.
constexpr size_t kMaxBlockBytes = 64 * 1024;
constexpr size_t kMaxIdBytes = 255;
constexpr int64_t kLastSecond = 253402300799;  // 9999-12-31T23:59:59Z

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Unlike text.h's trim, also drops '\r' and '\n' (a CRLF file's lines as the
// sniffer sees them).
std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view take_word(std::string_view& s) {
  s = trim(s);
  size_t i = 0;
  while (i < s.size() && !is_space(s[i])) ++i;
  std::string_view w = s.substr(0, i);
  s = trim(s.substr(i));
  return w;
}

// "4 2026/04/23 15:19:00", "epoch 1776957540" or "never" (then `never` is set
// and `out` is left alone).
bool parse_lease_date(std::string_view s, Instant& out, bool& never) {
  never = false;
  if (s == "never") {
    never = true;
    return true;
  }
  std::string_view first = take_word(s);
  if (first == "epoch") {
    int64_t secs = 0;
    if (!parse_number(s, secs) || secs < 0 || secs > kLastSecond) return false;
    out = from_epoch_seconds(secs);
    return true;
  }
  if (first.size() != 1 || first[0] < '0' || first[0] > '6') return false;
  // s = "2026/04/23 15:19:00"
  const char* p = s.data();
  const char* end = s.data() + s.size();
  int year = 0;
  unsigned month = 0, day = 0, hh = 0, mm = 0, ss = 0;
  auto field = [&](auto& v, char sep) {
    auto r = std::from_chars(p, end, v);
    if (r.ec != std::errc() || r.ptr == p) return false;
    p = r.ptr;
    if (sep == 0) return p == end;
    if (p == end || *p != sep) return false;
    ++p;
    return true;
  };
  if (!field(year, '/') || !field(month, '/') || !field(day, ' ') || !field(hh, ':') ||
      !field(mm, ':') || !field(ss, 0))
    return false;
  if (year < 1970 || year > 9999 || !valid_date(year, month, day) || hh > 23 || mm > 59 || ss > 60)
    return false;
  out = from_epoch_seconds(days_from_civil(year, month, day) * 86400 + hh * 3600 + mm * 60 + ss);
  return true;
}

bool is_octal(char c) {
  return c >= '0' && c <= '7';
}

// The body of a quoted string as dhcpd writes it: a backslash and three octal
// digits for an unprintable byte, a backslash before '"', '\\' and a few others.
// Calls put(byte) for each byte; false when the escapes are broken.
template <typename Put>
bool unescape_quoted(std::string_view v, Put put) {
  if (v.size() < 2 || v.front() != '"' || v.back() != '"') return false;
  v = v.substr(1, v.size() - 2);
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c != '\\') {
      if (!put(uint8_t(c))) return false;
      continue;
    }
    if (++i == v.size()) return false;
    if (is_octal(v[i])) {
      if (i + 2 >= v.size() || !is_octal(v[i + 1]) || !is_octal(v[i + 2])) return false;
      unsigned x =
          unsigned(v[i] - '0') * 64 + unsigned(v[i + 1] - '0') * 8 + unsigned(v[i + 2] - '0');
      if (x > 255 || !put(uint8_t(x))) return false;
      i += 2;
    } else if (!put(uint8_t(v[i]))) {
      return false;
    }
  }
  return true;
}

// A uid or IAID+DUID: quoted string, or hex octets (parse_hex_bytes).
bool decode_id(std::string_view v, uint8_t* buf, size_t cap, size_t& n) {
  n = 0;
  if (!v.empty() && v.front() == '"') {
    return unescape_quoted(v, [&](uint8_t b) {
      if (n == cap) return false;
      buf[n++] = b;
      return true;
    });
  }
  n = parse_hex_bytes(v, buf, cap);
  return n > 0;
}

void append_hex(std::string& out, const uint8_t* b, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    if (i) out.push_back(':');
    out.push_back(kDigits[b[i] >> 4]);
    out.push_back(kDigits[b[i] & 15]);
  }
}

// The binding states dhcpd writes (server/db.c, binding_state_names) and what
// each says about the lease's end. The library takes [starts, ends) as the
// period the client held the address in every state; ends_lease tells whether
// that period is over.
enum class Binding : uint8_t {
  none,       // not written (dhcpd before 3.0): taken as active
  active,     // bound to the client; ends = when the binding runs out unless renewed
  reserved,   // bound, failover RESERVED flag set: as active
  bootp,      // bound to a BOOTP client (these usually say ends never): as active
  free,       // back in the pool; the block keeps the last client's hardware and uid, and
              // [starts, ends) is that client's last binding, ends = its expiry or release
  backup,     // as free, in the pool the failover secondary may allocate from
  expired,    // the binding ran out (on the way to free); ends = the expiry
  released,   // the client gave the address back; ends = the release
  abandoned,  // the server found the address in use (ping, DHCPDECLINE) and withdrew it;
              // usually no client, starts = ends
  reset,      // an operator or the failover peer reset the lease; ends = the reset
  unknown,
};

Binding parse_binding(std::string_view s) {
  if (s == "active") return Binding::active;
  if (s == "free") return Binding::free;
  if (s == "backup") return Binding::backup;
  if (s == "expired") return Binding::expired;
  if (s == "released") return Binding::released;
  if (s == "abandoned") return Binding::abandoned;
  if (s == "reset") return Binding::reset;
  if (s == "reserved") return Binding::reserved;
  if (s == "bootp") return Binding::bootp;
  return Binding::unknown;
}

bool binding_ends_lease(Binding b) {
  return !(b == Binding::none || b == Binding::active || b == Binding::reserved ||
           b == Binding::bootp);
}

// One statement or block boundary of a line, outside quoted strings: the text
// before ';', '{' or '}', and which of them ended it (0: the end of the line).
struct Piece {
  std::string_view text;
  char end = 0;
};

bool next_piece(std::string_view& s, Piece& p) {
  s = trim(s);
  if (s.empty() || s.front() == '#') return false;
  bool quoted = false;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ';' || c == '{' || c == '}') {
      break;
    } else if (c == '#') {
      p = {trim(s.substr(0, i)), 0};
      s = {};
      return true;
    }
  }
  if (i >= s.size()) {
    p = {trim(s), 0};
    s = {};
    return true;
  }
  p = {trim(s.substr(0, i)), s[i]};
  s.remove_prefix(i + 1);
  return true;
}

bool is_ia_keyword(std::string_view w) {
  return w == "ia-na" || w == "ia_na" || w == "ia-ta" || w == "ia_ta" || w == "ia-pd" ||
         w == "ia_pd";
}

// A line that opens a lease or IA block: one inside an unclosed block means the
// earlier block was cut off.
bool opens_lease_block(std::string_view line) {
  line = trim(line);
  std::string_view rest = line;
  std::string_view w = take_word(rest);
  return (w == "lease" || is_ia_keyword(w)) && line.find('{') != std::string_view::npos;
}

class IscDhcpdLeasesParser final : public DhcpParser {
 public:
  LineResult parse(const Line& line, DhcpEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (kind_ != Kind::none) {
      if (opens_lease_block(text)) {
        LineResult cut = abandon_block(out, unclosed_reason());
        DhcpEvent lost;  // a one-line block would end here; its record is lost
        read_pieces(text, line, lost);
        return cut;
      }
      if (raw().size() + text.size() + 1 > kMaxBlockBytes)
        return abandon_block(out, "lease block longer than 64 KiB (not closed?)");
      raw().push_back('\n');
      raw().append(text);
    }
    return read_pieces(text, line, out);
  }

  LineResult finish(DhcpEvent& out) override {
    if (kind_ == Kind::none) return LineResult::skip("");
    return abandon_block(out, unclosed_reason());
  }

 private:
  enum class Kind : uint8_t { none, v4, ia, other };

  std::string& raw() { return raw_[cur_raw_]; }

  const char* unclosed_reason() const {
    return kind_ == Kind::other ? "declaration block not closed" : "lease block not closed";
  }

  LineResult read_pieces(std::string_view text, const Line& line, DhcpEvent& out) {
    const std::string_view full = text;
    LineResult result =
        kind_ == Kind::none ? LineResult::skip("comment or empty line") : LineResult::more();
    Piece p;
    while (next_piece(text, p)) {
      LineResult r = kind_ == Kind::none ? read_top_level(p, line, full) : read_in_block(p, out);
      if (r.status == LineStatus::record || r.status == LineStatus::malformed ||
          (r.status == LineStatus::skip && kind_ == Kind::none))
        return r;
      result = r;
    }
    return result;
  }

  void start_block(Kind kind, const Line& line, std::string_view text) {
    kind_ = kind;
    depth_ = 1;
    cur_raw_ ^= 1;  // the last record's raw stays valid while this block starts
    raw().assign(text);
    first_line_ = line.number;
    first_offset_ = line.offset;
    bad_ = nullptr;
    other_reason_ = nullptr;
    ip_ = IpAddr{};
    starts_ = ends_ = cltt_ = kNoTime;
    ends_never_ = false;
    binding_ = Binding::none;
    has_mac_ = false;
    mac_ = MacAddr{};
    client_id_.clear();
    host_.clear();
    has_host_ = false;
    prefix_delegation_ = false;
    in_addr_ = in_prefix_ = false;
    addresses_ = 0;
  }

  void bad(const char* why) {
    if (!bad_) bad_ = why;
  }

  LineResult read_top_level(const Piece& p, const Line& line, std::string_view full) {
    std::string_view s = p.text;
    std::string_view word = take_word(s);
    if (p.end == '{') {
      if (word == "lease") {
        start_block(Kind::v4, line, full);
        if (!parse_ipv4(s, ip_)) bad("lease: bad IPv4 address");
      } else if (is_ia_keyword(word)) {
        start_block(Kind::ia, line, full);
        prefix_delegation_ = word == "ia-pd" || word == "ia_pd";
        read_iaid_duid(s);
      } else {
        start_block(Kind::other, line, full);
        if (word == "failover")
          other_reason_ = "failover peer state";
        else if (word == "host")
          other_reason_ = "host declaration";
        else if (word == "group" || word == "subgroup")
          other_reason_ = "group declaration";
        else if (word == "class" || word == "subclass")
          other_reason_ = "class declaration";
      }
      return LineResult::more();
    }
    if (p.end == ';') {
      if (word == "authoring-byte-order") return LineResult::skip("authoring-byte-order");
      if (word == "server-duid") return LineResult::skip("server-duid");
      if (word == "subclass") return LineResult::skip("class declaration");
      return LineResult::malformed("statement outside a lease block");
    }
    if (p.end == '}') return LineResult::malformed("'}' outside a block");
    return LineResult::malformed("text outside a lease block");
  }

  void read_iaid_duid(std::string_view s) {
    uint8_t id[kMaxIdBytes];
    size_t n = 0;
    if (!decode_id(s, id, sizeof id, n) || n <= 4) {
      bad("IA: bad IAID and DUID");
      return;
    }
    append_hex(client_id_, id + 4, n - 4);  // the IAID is the first 4 bytes
    has_mac_ = mac_from_duid(id + 4, n - 4, mac_);
  }

  LineResult read_in_block(const Piece& p, DhcpEvent& out) {
    if (p.end == '{') {
      open_nested(p.text);
      return LineResult::more();
    }
    if (!p.text.empty()) {
      if (p.end == ';')
        read_statement(p.text);
      else
        bad("statement not ended by ';'");
    }
    if (p.end == '}') return close_brace(out);
    return LineResult::more();
  }

  void open_nested(std::string_view header) {
    if (kind_ == Kind::ia && depth_ == 1) {
      std::string_view s = header;
      std::string_view word = take_word(s);
      if (word == "iaaddr") {
        in_addr_ = true;
        addr_bad_ = nullptr;
        addr_binding_ = Binding::none;
        addr_ends_ = kNoTime;
        addr_ends_never_ = false;
        max_life_ = 0;
        if (!parse_ipv6(s, ip_)) addr_bad_ = "iaaddr: bad IPv6 address";
      } else if (word == "iaprefix") {
        in_prefix_ = true;
      }
    }
    ++depth_;
  }

  void read_date(std::string_view s, Instant& out, bool& never, const char* why) {
    if (!parse_lease_date(s, out, never)) bad(why);
  }

  void read_statement(std::string_view s) {
    std::string_view word = take_word(s);
    if (kind_ == Kind::v4 && depth_ == 1) {
      bool never = false;
      if (word == "starts") {
        read_date(s, starts_, never, "starts: bad date");
        if (never) bad("starts: bad date");
      } else if (word == "ends") {
        read_date(s, ends_, ends_never_, "ends: bad date");
      } else if (word == "cltt") {
        read_date(s, cltt_, never, "cltt: bad date");
      } else if (word == "binding") {
        if (take_word(s) != "state") return bad("binding state: bad statement");
        binding_ = parse_binding(s);
        if (binding_ == Binding::unknown) bad("binding state: unknown state");
      } else if (word == "abandoned") {  // dhcpd 2.x wrote this instead of a binding state
        if (binding_ == Binding::none) binding_ = Binding::abandoned;
      } else if (word == "hardware") {
        std::string_view type = take_word(s);
        if (type != "ethernet") return;  // token-ring, fddi, infiniband: no MAC-48
        if (!parse_mac(s, mac_)) return bad("hardware ethernet: bad MAC address");
        has_mac_ = !mac_.is_unset();
      } else if (word == "uid") {
        uint8_t id[kMaxIdBytes];
        size_t n = 0;
        if (!decode_id(s, id, sizeof id, n)) return bad("uid: bad client identifier");
        client_id_.clear();
        append_hex(client_id_, id, n);
      } else if (word == "client-hostname") {
        host_.clear();
        has_host_ = true;
        if (!unescape_quoted(s, [&](uint8_t b) {
              host_.push_back(char(b));
              return true;
            }))
          bad("client-hostname: bad quoted string");
      }
      return;
    }
    if (kind_ == Kind::ia && depth_ == 1) {
      bool never = false;
      if (word == "cltt") {
        read_date(s, cltt_, never, "cltt: bad date");
        if (never) bad("cltt: bad date");
      }
      return;
    }
    if (kind_ == Kind::ia && depth_ == 2 && in_addr_) {
      if (word == "binding") {
        if (take_word(s) != "state") {
          if (!addr_bad_) addr_bad_ = "binding state: bad statement";
          return;
        }
        addr_binding_ = parse_binding(s);
        if (addr_binding_ == Binding::unknown && !addr_bad_)
          addr_bad_ = "binding state: unknown state";
      } else if (word == "max-life") {
        if (!parse_number(s, max_life_) && !addr_bad_) addr_bad_ = "max-life: bad number";
      } else if (word == "ends") {
        if (!parse_lease_date(s, addr_ends_, addr_ends_never_) && !addr_bad_)
          addr_bad_ = "ends: bad date";
      }
    }
  }

  LineResult close_brace(DhcpEvent& out) {
    if (depth_ > 1) {
      --depth_;
      if (kind_ == Kind::ia && depth_ == 1) {
        if (in_addr_) {
          in_addr_ = false;
          ++addresses_;
          return make_v6_record(out);
        }
        in_prefix_ = false;
      }
      return LineResult::more();
    }
    Kind kind = kind_;
    kind_ = Kind::none;
    depth_ = 0;
    switch (kind) {
      case Kind::v4:
        return make_v4_record(out);
      case Kind::ia:
        if (addresses_ > 0) return LineResult::skip("end of an IA block");
        if (bad_) return fail(out, bad_);
        if (prefix_delegation_) {
          out.clear();
          out.time = cltt_;  // for the file's time coverage
          return LineResult::skip("IA_PD: delegated prefixes are not looked up");
        }
        return LineResult::skip("IA without addresses");
      case Kind::other:
        if (!other_reason_) return fail(out, "unknown declaration outside a lease block");
        return LineResult::skip(other_reason_);
      case Kind::none:
        break;
    }
    return LineResult::more();
  }

  void fill_common(DhcpEvent& out) {
    out.clear();
    out.action = DhcpAction::lease;
    out.ip = ip_;
    out.has_mac = has_mac_;
    out.mac = mac_;
    out.client_id = client_id_;
    if (has_host_) out.host = host_;
    out.first_line = first_line_;
    out.first_offset = first_offset_;
    out.raw = raw();
  }

  LineResult fail(DhcpEvent& out, const char* why) {
    out.clear();
    out.first_line = first_line_;
    out.first_offset = first_offset_;
    out.raw = raw();
    return LineResult::malformed(why);
  }

  LineResult abandon_block(DhcpEvent& out, const char* why) {
    kind_ = Kind::none;
    depth_ = 0;
    return fail(out, why);
  }

  LineResult make_v4_record(DhcpEvent& out) {
    if (bad_) return fail(out, bad_);
    Instant start = starts_ != kNoTime ? starts_ : cltt_;
    if (start == kNoTime) return LineResult::skip("lease without starts or cltt");
    bool ended = binding_ends_lease(binding_);
    bool has_end = ends_ != kNoTime && !ends_never_;
    // A pool lease that never had a client (backup or free, no ends, no hardware
    // or uid) says nothing about who held the address.
    if (ended && !has_end && !has_mac_ && client_id_.empty() && !has_host_) {
      out.clear();
      out.time = start;
      return LineResult::skip("pool lease never bound to a client");
    }
    fill_common(out);
    out.time = start;
    out.lease_end = has_end ? ends_ : kNoTime;
    out.ends_lease = ended;
    return LineResult::record();
  }

  LineResult make_v6_record(DhcpEvent& out) {
    if (bad_) return fail(out, bad_);
    if (addr_bad_) return fail(out, addr_bad_);
    bool has_end = addr_ends_ != kNoTime && !addr_ends_never_;
    Instant start = cltt_;
    if (start == kNoTime && has_end && max_life_ > 0)
      start = addr_ends_ - Micros(int64_t(max_life_) * 1000000);
    if (start == kNoTime) return LineResult::skip("IA address without cltt");
    fill_common(out);
    out.time = start;
    out.lease_end = has_end ? addr_ends_ : kNoTime;
    if (!has_end && max_life_ > 0 && max_life_ != 0xffffffffu)
      out.lease_time = Micros(int64_t(max_life_) * 1000000);
    out.ends_lease = binding_ends_lease(addr_binding_);
    return LineResult::record();
  }

  Kind kind_ = Kind::none;
  int depth_ = 0;  // braces open; 1 = in the body of the lease or IA
  std::string raw_[2];
  int cur_raw_ = 0;
  uint64_t first_line_ = 0, first_offset_ = 0;
  const char* bad_ = nullptr;           // first problem in the block
  const char* other_reason_ = nullptr;  // skip reason of a non-lease block
  IpAddr ip_;
  Instant starts_ = kNoTime, ends_ = kNoTime, cltt_ = kNoTime;
  bool ends_never_ = false;
  Binding binding_ = Binding::none;
  bool has_mac_ = false;
  MacAddr mac_;
  std::string client_id_;  // colon hex
  std::string host_;
  bool has_host_ = false;
  // DHCPv6
  bool prefix_delegation_ = false;
  bool in_addr_ = false, in_prefix_ = false;
  int addresses_ = 0;
  const char* addr_bad_ = nullptr;
  Binding addr_binding_ = Binding::none;
  Instant addr_ends_ = kNoTime;
  bool addr_ends_never_ = false;
  uint32_t max_life_ = 0;
};

int sniff(std::string_view head, const char** why) {
  if (head.find("# The format of this file is documented in the dhcpd.leases(5) manual page.") !=
      std::string_view::npos) {
    *why = "dhcpd.leases header comment";
    return 95;
  }
  int blocks = 0, v6_blocks = 0, statements = 0;
  for_each_head_line(head, 400, [&](std::string_view line) {
    std::string_view rest = line;
    std::string_view word = take_word(rest);
    if (word == "lease") {
      std::string_view ip = take_word(rest);
      IpAddr addr;
      if (parse_ipv4(ip, addr) && rest.starts_with("{")) ++blocks;
    } else if (is_ia_keyword(word) && !rest.empty() && rest.back() == '{' &&
               (rest.front() == '"' || hex_value(rest.front()) >= 0)) {
      ++v6_blocks;
    } else if (word == "starts" || word == "ends" || word == "cltt" || word == "binding" ||
               word == "iaaddr" || word == "iaprefix" || word == "authoring-byte-order" ||
               word == "server-duid") {
      ++statements;
    }
  });
  if (blocks + v6_blocks == 0) {
    *why = "no 'lease ADDRESS {' or 'ia-na' blocks";
    return 0;
  }
  if (statements == 0) {
    *why = "lease blocks without lease statements";
    return 50;
  }
  *why = v6_blocks > blocks ? "dhcpd6.leases IA blocks" : "dhcpd.leases lease blocks";
  return 90;
}

std::unique_ptr<DhcpParser> make(const ParseContext&) {
  return std::make_unique<IscDhcpdLeasesParser>();
}

}  // namespace

const FormatInfo& isc_dhcpd_leases_format() {
  static const FormatInfo info{.name = "isc-dhcpd-leases",
                               .family = Family::dhcp,
                               .summary = "ISC dhcpd lease database (dhcpd.leases, dhcpd6.leases)",
                               .sniff = sniff,
                               .make_dhcp = make,
                               .snapshot = true};
  return info;
}

}  // namespace tracekit::formats

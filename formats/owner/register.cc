// Static registers a site keeps by hand: which person is responsible for a
// fixed address (a single-owner workstation, a server, a lab's subnet) and for
// a registered device (a MAC on the wired network or eduroam). One file shape,
// two formats that differ in the key column:
//
//   # address-register: ADDRESS[/LEN]  HOST  LOGIN  FULL NAME  [key=value ...]
//   10.20.5.17      ws-office-17  jdoe    Jane Doe  unit=Physics id=E1001
//   10.20.6.0/24    -             lab6    Lab 6 Technicians  unit="Chemistry Labs"
//   2001:db8:20::17 ws-office-17  jdoe    Jane Doe  from=2026-01-01 to=2027-01-01
//
//   # device-register: MAC  HOST  LOGIN  FULL NAME  [key=value ...]
//   52:54:00:12:34:01  lt-jdoe  jdoe  Jane Doe  email=jane.doe@example.org
//
// Fields are separated by spaces or tabs. HOST and LOGIN are "-" when there is
// none; the full name is every word up to the first key=value (it may be
// empty). Attributes: unit, email, id, from and to (the entry is valid over
// [from, to): dates, midnight in the source's zone, or RFC 3339 times); any
// other key=value is carried through as `extra`. A value with spaces is
// written in double quotes. A line or a word starting with '#' starts a
// comment. An address with a prefix length covers its prefix (its host bits
// must be zero); without one it is a single address. Entries without from/to
// are undated. A CSV/TSV with an ip or mac column is read by the csv format.
#include "format_list.h"
#include "tracekit/date_field.h"
#include "tracekit/text.h"

namespace tracekit::formats {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// The next whitespace-separated word of `s` (advancing it); a word of the form
// key="..." runs to its closing quote.
std::string_view next_word(std::string_view& s) {
  size_t i = 0;
  while (i < s.size() && is_space(s[i])) ++i;
  s.remove_prefix(i);
  size_t j = 0;
  bool quoted = false;
  while (j < s.size() && (quoted || !is_space(s[j]))) {
    if (s[j] == '"') quoted = !quoted;
    ++j;
  }
  std::string_view w = s.substr(0, j);
  s.remove_prefix(j);
  return w;
}

// An address or prefix ("10.20.6.0/24"); prefix_len in IPv6 terms.
const char* parse_prefix(std::string_view text, IpAddr& ip, uint8_t& prefix_len) {
  std::string_view len = text;
  std::string_view addr = next_token(len, '/');
  bool has_len = addr.size() != text.size();
  if (!parse_ip(addr, ip)) return "not an IP address or prefix";
  unsigned max = ip.is_v4() ? 32 : 128;
  unsigned bits = max;
  if (has_len && (!parse_number(len, bits) || bits > max)) return "bad prefix length";
  prefix_len = uint8_t(ip.is_v4() ? 96 + bits : bits);
  for (unsigned b = prefix_len; b < 128; ++b)
    if (ip.bytes[b / 8] & (0x80 >> (b % 8))) return "prefix has bits set beyond its length";
  return nullptr;
}

class RegisterParser final : public OwnerParser {
 public:
  RegisterParser(const ParseContext& ctx, OwnerKeyKind kind) : ctx_(ctx), kind_(kind) {}

  LineResult parse(const Line& line, OwnerEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (line.number == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::string_view rest = text;
    std::string_view key = next_word(rest);
    if (key.empty()) return LineResult::skip("empty line");
    if (key.front() == '#') return LineResult::skip("comment");
    auto extra = std::move(out.extra);
    extra.clear();
    out.clear();
    out.extra = std::move(extra);
    out.kind = kind_;
    if (kind_ == OwnerKeyKind::ip) {
      if (const char* why = parse_prefix(key, out.ip, out.prefix_len))
        return LineResult::malformed(why);
    } else if (!parse_mac(key, out.mac)) {
      return LineResult::malformed("not a MAC address");
    }
    std::string_view host = next_word(rest);
    std::string_view login = next_word(rest);
    if (host.empty() || host.front() == '#' || login.empty() || login.front() == '#')
      return LineResult::malformed("expected KEY HOST LOGIN [NAME] (\"-\" for none)");
    if (host != "-") out.host = host;
    if (login != "-") out.login = login;
    const char* name_begin = nullptr;
    const char* name_end = nullptr;
    bool attrs = false;
    while (true) {
      std::string_view w = next_word(rest);
      if (w.empty() || w.front() == '#') break;
      size_t eq = w.find('=');
      if (eq == std::string_view::npos || eq == 0) {
        if (attrs) return LineResult::malformed("a name word after key=value attributes");
        if (!name_begin) name_begin = w.data();
        name_end = w.data() + w.size();
        continue;
      }
      attrs = true;
      std::string_view k = w.substr(0, eq), v = w.substr(eq + 1);
      if (!v.empty() && v.front() == '"') {
        if (v.size() < 2 || v.back() != '"') return LineResult::malformed("unclosed quote");
        v = v.substr(1, v.size() - 2);
      }
      if (k == "unit") {
        out.unit = v;
      } else if (k == "email") {
        out.email = v;
      } else if (k == "id") {
        out.id = v;
      } else if (k == "from" || k == "to") {
        uint8_t flags = 0;
        Instant& t = k == "from" ? out.valid_from : out.valid_to;
        if (!parse_date_or_time(v, ctx_, t, flags))
          return LineResult::malformed(
              "from/to is not a date or time (expected YYYY-MM-DD or RFC 3339)");
        out.time_flags |= flags;
        out.dated = true;
      } else {
        out.extra.emplace_back(k, v);
      }
    }
    if (name_begin) out.name = std::string_view(name_begin, size_t(name_end - name_begin));
    if (out.valid_from != kNoTime && out.valid_to <= out.valid_from)
      return LineResult::malformed("to is not after from");
    if (out.login.empty() && out.name.empty())
      return LineResult::malformed("entry names neither a login nor a person");
    return LineResult::record();
  }

 private:
  const ParseContext& ctx_;
  OwnerKeyKind kind_;
};

int sniff_kind(std::string_view head, const char** why, OwnerKeyKind kind) {
  int good = 0, bad = 0;
  for_each_head_line(head, 20, [&](std::string_view l) {
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    std::string_view rest = l;
    std::string_view key = next_word(rest);
    if (key.empty() || key.front() == '#') return;
    std::string_view host = next_word(rest), login = next_word(rest);
    IpAddr ip;
    uint8_t len;
    MacAddr mac;
    bool key_ok =
        kind == OwnerKeyKind::ip ? parse_prefix(key, ip, len) == nullptr : parse_mac(key, mac);
    // Access logs also start "ADDRESS - user": their "[date]" and quoted
    // request are no name words.
    bool words_ok = !host.empty() && !login.empty() && host.find(',') == std::string_view::npos;
    for (std::string_view w = next_word(rest); words_ok && !w.empty() && w.front() != '#';
         w = next_word(rest)) {
      size_t eq = w.find('=');
      bool attr = eq != std::string_view::npos && eq > 0;
      if (w.front() == '[' || (!attr && w.find('"') != std::string_view::npos)) words_ok = false;
    }
    if (key_ok && words_ok)
      ++good;
    else
      ++bad;
  });
  if (good == 0 || bad > 1) {
    *why = kind == OwnerKeyKind::ip ? "lines do not start with an address, host and login"
                                    : "lines do not start with a MAC, host and login";
    return 0;
  }
  *why = kind == OwnerKeyKind::ip ? "register lines: address, host, login, name"
                                  : "register lines: MAC, host, login, name";
  return bad == 0 && good >= 2 ? 60 : 40;
}

int sniff_address(std::string_view head, const char** why) {
  return sniff_kind(head, why, OwnerKeyKind::ip);
}
int sniff_device(std::string_view head, const char** why) {
  return sniff_kind(head, why, OwnerKeyKind::mac);
}

std::unique_ptr<OwnerParser> make_address(const ParseContext& ctx) {
  return std::make_unique<RegisterParser>(ctx, OwnerKeyKind::ip);
}
std::unique_ptr<OwnerParser> make_device(const ParseContext& ctx) {
  return std::make_unique<RegisterParser>(ctx, OwnerKeyKind::mac);
}

}  // namespace

const FormatInfo& address_register_format() {
  static const FormatInfo info{
      .name = "address-register",
      .family = Family::owner,
      .summary = "register of fixed addresses and prefixes: ADDRESS HOST LOGIN NAME [key=value]",
      .sniff = sniff_address,
      .make_owner = make_address,
      .snapshot = true};
  return info;
}

const FormatInfo& device_register_format() {
  static const FormatInfo info{.name = "device-register",
                               .family = Family::owner,
                               .summary = "register of devices: MAC HOST LOGIN NAME [key=value]",
                               .sniff = sniff_device,
                               .make_owner = make_device,
                               .snapshot = true};
  return info;
}

}  // namespace tracekit::formats

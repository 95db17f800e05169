// LDIF exports of a directory (RFC 2849; ldapsearch -LLL, slapcat, ldifde):
//
//   dn: uid=jdoe,ou=People,dc=example,dc=org
//   uid: jdoe
//   cn: Jane Doe
//   displayName:: SsO2cmcgTcO8bGxlcg==
//   mail: jane.doe@example.org
//   employeeNumber: E1001
//   ou: Physics
//   memberOf: cn=staff,ou=Groups,dc=example,dc=org
//
// One entry per block, blocks separated by blank lines; an entry spans lines,
// so its lines return `more` and the record comes with the blank line after
// it (or at the end of the file), with first_line at its dn. A line starting
// with one space continues the line before it (the space is dropped). "attr::"
// values are base64 (UTF-8 names, values with leading spaces); "attr:<" values
// are URLs and are not read. Attribute options ("cn;lang-de") are dropped from
// the name. Lines starting with '#' are comments (continued likewise);
// "version: 1" opens the file.
//
// Mapping (attribute names in any case; [directory.columns] overrides):
// login = uid, else sAMAccountName; name = displayName, else cn; email = mail;
// id = employeeNumber, else employeeID; unit = ou, else department. Other
// attributes, and the further values of multi-valued ones, are carried through
// as `extra` (dn first), except objectClass, passwords, photos and
// certificates, and values that are binary. An entry with no login (an
// organisational unit, a group) is skipped; change records other than "add"
// too. Entries are undated unless [directory.columns] names valid_from /
// valid_to attributes (dates, RFC 3339, or LDAP GeneralizedTime).
#include <array>

#include "format_list.h"
#include "tracekit/date_field.h"
#include "tracekit/text.h"

namespace tracekit::formats {

namespace {

constexpr size_t kMaxEntry = 1 << 20;
constexpr size_t kMaxAttrs = 512;

enum Field : uint8_t { kLogin, kName, kEmail, kId, kUnit, kValidFrom, kValidTo, kFieldCount };
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "login", "name", "email", "id", "unit", "valid_from", "valid_to"};
constexpr std::array<std::array<std::string_view, 2>, kFieldCount> kDefaults = {{
    {"uid", "samaccountname"},
    {"displayname", "cn"},
    {"mail", ""},
    {"employeenumber", "employeeid"},
    {"ou", "department"},
    {"", ""},
    {"", ""},
}};
constexpr std::string_view kNotCarried[] = {
    "objectclass", "userpassword", "unicodepwd",     "sambantpassword", "sambalmpassword",
    "jpegphoto",   "photo",        "thumbnailphoto", "usercertificate", "usersmimecertificate"};

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Appends the bytes of base64 text `s` to `out`; false when it is not base64.
bool decode_base64(std::string_view s, std::string& out) {
  uint32_t acc = 0;
  int bits = 0;
  size_t pad = 0;
  for (char c : s) {
    if (c == '=') {
      ++pad;
      continue;
    }
    if (pad) return false;  // data after padding
    int v = base64_value(c);
    if (v < 0) return false;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xff);
    }
  }
  return pad <= 2 && (s.size() % 4 == 0 || pad == 0);
}

bool is_binary(std::string_view v) {
  for (char c : v)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return true;
  return false;
}

// LDAP GeneralizedTime "20260901000000Z" (or with a fraction / offset):
// rewritten as RFC 3339 into `buf`.
bool generalized_to_rfc3339(std::string_view s, std::string& buf) {
  if (s.size() < 15) return false;
  for (size_t i = 0; i < 14; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  buf.assign(s.substr(0, 4));
  buf += '-';
  buf += s.substr(4, 2);
  buf += '-';
  buf += s.substr(6, 2);
  buf += 'T';
  buf += s.substr(8, 2);
  buf += ':';
  buf += s.substr(10, 2);
  buf += ':';
  buf += s.substr(12, 2);
  buf += s.substr(14);
  return true;
}

class LdifParser final : public OwnerParser {
 public:
  explicit LdifParser(const ParseContext& ctx) : ctx_(ctx) {
    if (ctx.source) settings_ = &ctx.source->directory;
  }

  LineResult parse(const Line& line, OwnerEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (line.number == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (in_entry_) {
      if (text.empty()) {
        in_entry_ = false;
        return read_entry(out);
      }
      if (raw_.size() + text.size() > kMaxEntry) {
        in_entry_ = false;
        out.first_line = first_line_;
        return LineResult::malformed("entry longer than 1 MiB");
      }
      raw_ += '\n';
      raw_ += text;
      return LineResult::more();
    }
    if (text.empty()) {
      in_comment_ = false;
      return LineResult::skip("empty line");
    }
    if (text.front() == '#') {
      in_comment_ = true;
      return LineResult::skip("comment");
    }
    if (text.front() == ' ') {
      if (in_comment_) return LineResult::skip("comment");
      return LineResult::malformed("continuation line outside an entry");
    }
    in_comment_ = false;
    if (starts_with_attr(text, "version")) return LineResult::skip("LDIF version line");
    if (!starts_with_attr(text, "dn"))
      return LineResult::malformed("attribute outside an entry (an entry starts with dn:)");
    in_entry_ = true;
    first_line_ = line.number;
    first_offset_ = line.offset;
    raw_.assign(text);
    return LineResult::more();
  }

  LineResult finish(OwnerEvent& out) override {
    if (!in_entry_) return LineResult::skip("");
    in_entry_ = false;
    return read_entry(out);
  }

 private:
  static bool starts_with_attr(std::string_view text, std::string_view name) {
    return text.size() > name.size() && iequals(text.substr(0, name.size()), name) &&
           text[name.size()] == ':';
  }

  struct Attr {
    std::string_view name, value;
  };

  // Unfolds raw_ into logical lines and decodes their values into attrs_.
  const char* decode_entry(size_t& count) {
    unfolded_.clear();
    unfolded_.reserve(raw_.size() + 1);
    lines_.clear();
    bool comment = false;
    std::string_view rest = raw_;
    bool more = true;
    while (more) {
      std::string_view l = next_token(rest, '\n');
      more = !rest.empty();
      if (!l.empty() && l.front() == ' ') {
        if (comment) continue;
        if (lines_.empty()) return "continuation line with nothing to continue";
        unfolded_ += l.substr(1);
        lines_.back().second += l.size() - 1;
        continue;
      }
      comment = !l.empty() && l.front() == '#';
      if (comment) continue;
      lines_.emplace_back(unfolded_.size(), l.size());
      unfolded_ += l;
    }
    decoded_.clear();
    decoded_.reserve(unfolded_.size() + 1);  // decoding never grows: views stay valid
    count = 0;
    for (auto [off, len] : lines_) {
      std::string_view l = std::string_view(unfolded_).substr(off, len);
      size_t colon = l.find(':');
      if (colon == std::string_view::npos || colon == 0) return "attribute line without ':'";
      if (count == kMaxAttrs) return "entry with more than 512 attribute values";
      std::string_view name = l.substr(0, colon);
      if (size_t semi = name.find(';'); semi != std::string_view::npos) name = name.substr(0, semi);
      std::string_view v = l.substr(colon + 1);
      if (!v.empty() && v.front() == '<') continue;  // a URL: not read
      if (!v.empty() && v.front() == ':') {
        v.remove_prefix(1);
        size_t start = decoded_.size();
        if (!decode_base64(trim(v), decoded_)) return "bad base64 value";
        v = std::string_view(decoded_).substr(start);
      } else {
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      }
      attrs_[count++] = Attr{name, v};
    }
    return nullptr;
  }

  // The first value of the attribute that holds `f`, and its index.
  int find(Field f, size_t count) const {
    const std::string* want = settings_ ? settings_->column_for(kFieldNames[f]) : nullptr;
    if (want) {
      for (size_t k = 0; k < count; ++k)
        if (iequals(attrs_[k].name, *want)) return int(k);
      return -1;
    }
    for (std::string_view d : kDefaults[f]) {
      if (d.empty()) break;
      for (size_t k = 0; k < count; ++k)
        if (iequals(attrs_[k].name, d)) return int(k);
    }
    return -1;
  }

  LineResult read_entry(OwnerEvent& out) {
    auto extra = std::move(out.extra);
    extra.clear();
    out.clear();
    out.extra = std::move(extra);
    out.first_line = first_line_;
    out.first_offset = first_offset_;
    out.raw = raw_;
    size_t count = 0;
    if (const char* why = decode_entry(count)) return LineResult::malformed(why);
    for (size_t k = 0; k < count; ++k)
      if (iequals(attrs_[k].name, "changetype") && !iequals(attrs_[k].value, "add"))
        return LineResult::skip("change record");
    std::array<int, kFieldCount> at;
    for (size_t f = 0; f < kFieldCount; ++f) at[f] = find(Field(f), count);
    if (at[kLogin] < 0 || attrs_[size_t(at[kLogin])].value.empty())
      return LineResult::skip("entry without a login attribute (not an account)");
    auto value = [&](Field f) {
      return at[f] < 0 ? std::string_view() : trim(attrs_[size_t(at[f])].value);
    };
    out.kind = OwnerKeyKind::login;
    out.login = value(kLogin);
    out.name = value(kName);
    out.email = value(kEmail);
    out.id = value(kId);
    out.unit = value(kUnit);
    for (Field f : {kValidFrom, kValidTo}) {
      std::string_view v = value(f);
      if (v.empty()) continue;
      uint8_t flags = 0;
      Instant& t = f == kValidFrom ? out.valid_from : out.valid_to;
      bool ok =
          parse_date_or_time(v, ctx_, t, flags) ||
          (generalized_to_rfc3339(v, time_buf_) && parse_date_or_time(time_buf_, ctx_, t, flags));
      if (!ok)
        return LineResult::malformed(f == kValidFrom ? "valid_from attribute is not a date or time"
                                                     : "valid_to attribute is not a date or time");
      out.time_flags |= flags;
      out.dated = true;
    }
    if (out.valid_from != kNoTime && out.valid_to <= out.valid_from)
      return LineResult::malformed("valid_to is not after valid_from");
    for (size_t k = 0; k < count; ++k) {
      bool mapped = false;
      for (int i : at) mapped |= i == int(k);
      const Attr& a = attrs_[k];
      if (mapped || a.value.empty() || is_binary(a.value)) continue;
      bool carried = true;
      for (std::string_view n : kNotCarried) carried &= !iequals(a.name, n);
      if (carried) out.extra.emplace_back(a.name, a.value);
    }
    return LineResult::record();
  }

  const ParseContext& ctx_;
  const DirectorySettings* settings_ = nullptr;
  bool in_entry_ = false, in_comment_ = false;
  uint64_t first_line_ = 0, first_offset_ = 0;
  std::string raw_, unfolded_, decoded_, time_buf_;
  std::vector<std::pair<size_t, size_t>> lines_;
  std::array<Attr, kMaxAttrs> attrs_;
};

int sniff(std::string_view head, const char** why) {
  int score = 0;
  bool attrs = false;
  for_each_head_line(head, 40, [&](std::string_view l) {
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.starts_with("\xEF\xBB\xBF")) l.remove_prefix(3);
    if (l.empty() || l.front() == '#' || l.front() == ' ') return true;
    if (l.starts_with("version: ") || l.starts_with("version:1")) return true;
    if (score == 0) {
      if (!(l.starts_with("dn: ") || l.starts_with("dn:: ") || l.starts_with("dn:"))) return false;
      score = 70;
      return true;
    }
    size_t colon = l.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      score = 0;
      return false;
    }
    attrs = true;
    return true;
  });
  if (score == 0 || !attrs) {
    *why = "no LDIF entry (dn: followed by attribute lines)";
    return 0;
  }
  *why = "LDIF entries (dn: and attribute lines)";
  return 90;
}

std::unique_ptr<OwnerParser> make(const ParseContext& ctx) {
  return std::make_unique<LdifParser>(ctx);
}

}  // namespace

const FormatInfo& ldif_format() {
  static const FormatInfo info{.name = "ldif",
                               .family = Family::owner,
                               .summary = "LDIF directory export (uid, cn, displayName, mail, ...)",
                               .sniff = sniff,
                               .make_owner = make,
                               .snapshot = true};
  return info;
}

}  // namespace tracekit::formats

// A directory exported as CSV or TSV with a header line: a student or staff
// record system's export, an HR extract, a spreadsheet saved as CSV.
//
//   login,name,email,employee_id,department,valid_from,valid_to
//   jdoe,"Doe, Jane",jane.doe@example.org,E1001,Physics,2024-09-01,2026-08-31
//
// The delimiter is the header's: a tab (TSV), else ';' when the header has more
// semicolons than commas (spreadsheets in many locales), else ','. Quoting is
// RFC 4180: a field that starts with '"' runs to the next lone '"', "" inside
// is one '"', and it may hold delimiters and newlines (a record then spans
// lines: `more` until the quote closes). A '"' inside an unquoted field is
// kept as it is. A UTF-8 byte order mark before the header is dropped; lines
// starting with '#' before the header are comments.
//
// Columns are found by name (ASCII case ignored): each field (login, name,
// email, id, unit, valid_from, valid_to, host, ip, mac) takes the column the
// source's [directory.columns] names, else the first column with one of the
// common names below. A file with an ip column is an address register (one
// entry per address or prefix), with a mac column a device register; otherwise
// a directory of logins. Other columns are carried through as `extra`. An
// export with no name column but given-name and surname columns (first_name,
// last_name, givenName, sn, ...) gets "Given Surname" as the name.
// valid_from / valid_to are dates (midnight in the source's zone) or date-times
// (RFC 3339, or local to the source's zone): the entry is valid over
// [valid_from, valid_to); a row with neither is undated.
#include <array>
#include <cstring>

#include "format_list.h"
#include "tracekit/date_field.h"
#include "tracekit/text.h"

namespace tracekit::formats {

namespace {

constexpr size_t kMaxFields = 256;
constexpr size_t kMaxRecord = 1 << 20;

enum Field : uint8_t {
  kLogin,
  kName,
  kEmail,
  kId,
  kUnit,
  kValidFrom,
  kValidTo,
  kHost,
  kIp,
  kMac,
  kFieldCount
};
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "login", "name", "email", "id", "unit", "valid_from", "valid_to", "host", "ip", "mac"};

// Common header names of each field, most specific first.
constexpr std::array<std::array<std::string_view, 12>, kFieldCount> kAliases = {{
    {"login", "username", "user_name", "user", "uid", "account", "account_name", "samaccountname",
     "userprincipalname", "upn", "logon", "loginname"},
    {"name", "full_name", "fullname", "full name", "display_name", "displayname", "cn",
     "common_name"},
    {"email", "e-mail", "mail", "email_address", "emailaddress", "e-mail address"},
    {"id", "employee_id", "employeeid", "employee_number", "employeenumber", "staff_id", "staffid",
     "student_id", "studentid", "person_id", "personid", "matriculation"},
    {"unit", "department", "dept", "ou", "faculty", "organisation", "organization", "division",
     "group"},
    {"valid_from", "validfrom", "valid from", "from", "start", "start_date", "begin"},
    {"valid_to", "validto", "valid to", "to", "until", "end", "end_date", "expires"},
    {"host", "hostname", "host_name", "device", "workstation"},
    {"ip", "ip_address", "ipaddress", "ip address", "ipv4", "ipv6", "prefix", "network"},
    {"mac", "mac_address", "macaddress", "mac address", "hwaddr"},
}};

constexpr std::string_view kGivenNames[] = {"given_name", "givenname",  "first_name",
                                            "firstname",  "first name", "forename"};
constexpr std::string_view kFamilyNames[] = {"surname",   "sn",          "last_name", "lastname",
                                             "last name", "family_name", "familyname"};

bool is_header_alias(std::string_view name, Field f) {
  for (std::string_view a : kAliases[f])
    if (!a.empty() && iequals(name, a)) return true;
  return false;
}

char pick_delimiter(std::string_view header) {
  size_t commas = 0, semis = 0;
  bool quoted = false;
  for (char c : header) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\t') return '\t';
    commas += c == ',';
    semis += c == ';';
  }
  return semis > commas ? ';' : ',';
}

// RFC 4180 field scanner state, carried from line to line of one record.
enum class QuoteState : uint8_t { field_start, unquoted, quoted, quote_in_quoted };

QuoteState advance(QuoteState s, std::string_view text, char delim) {
  for (char c : text) {
    switch (s) {
      case QuoteState::field_start:
        s = c == '"'     ? QuoteState::quoted
            : c == delim ? QuoteState::field_start
                         : QuoteState::unquoted;
        break;
      case QuoteState::unquoted:
        if (c == delim) s = QuoteState::field_start;
        break;
      case QuoteState::quoted:
        if (c == '"') s = QuoteState::quote_in_quoted;
        break;
      case QuoteState::quote_in_quoted:
        s = c == '"'     ? QuoteState::quoted
            : c == delim ? QuoteState::field_start
                         : QuoteState::unquoted;
        break;
    }
  }
  return s;
}

class DirectoryCsvParser final : public OwnerParser {
 public:
  explicit DirectoryCsvParser(const ParseContext& ctx) : ctx_(ctx) {
    if (ctx.source) settings_ = &ctx.source->directory;
  }

  LineResult parse(const Line& line, OwnerEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (pending_) {
      if (record_.size() + text.size() > kMaxRecord) {
        pending_ = false;
        out.first_line = first_line_;
        return LineResult::malformed("quoted field not closed within 1 MiB");
      }
      record_ += '\n';
      record_ += text;
      state_ = advance(state_, text, delim_);
      if (state_ == QuoteState::quoted) return LineResult::more();
      pending_ = false;
      out.first_line = first_line_;
      out.first_offset = first_offset_;
      out.raw = record_;
      return read_record(record_, out);
    }
    if (!have_header_) {
      if (line.number == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
      if (trim(text).empty()) return LineResult::skip("empty line");
      if (text.front() == '#') return LineResult::skip("comment before the header");
      return read_header(text);
    }
    if (trim(text).empty()) return LineResult::skip("empty line");
    state_ = advance(QuoteState::field_start, text, delim_);
    if (state_ == QuoteState::quoted) {
      pending_ = true;
      first_line_ = line.number;
      first_offset_ = line.offset;
      record_.assign(text);
      return LineResult::more();
    }
    return read_record(text, out);
  }

  LineResult finish(OwnerEvent& out) override {
    if (!pending_) return LineResult::skip("");
    pending_ = false;
    out.first_line = first_line_;
    out.first_offset = first_offset_;
    return LineResult::malformed("the file ends inside a quoted field");
  }

 private:
  // Splits a whole record into fields_ (values unquoted into values_).
  // Returns the count, or kMaxFields + 1 when there are more.
  size_t split(std::string_view text) {
    values_.clear();
    values_.reserve(text.size());
    size_t n = 0;
    size_t i = 0;
    std::array<std::pair<size_t, size_t>, kMaxFields> at;
    while (true) {
      if (n == kMaxFields) return kMaxFields + 1;
      size_t start = values_.size();
      if (i < text.size() && text[i] == '"') {
        ++i;
        while (i < text.size()) {
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              values_ += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          values_ += text[i++];
        }
        // Text after the closing quote (liberal: kept as part of the field).
        while (i < text.size() && text[i] != delim_) values_ += text[i++];
      } else {
        while (i < text.size() && text[i] != delim_) values_ += text[i++];
      }
      at[n++] = {start, values_.size() - start};
      if (i >= text.size()) break;
      ++i;  // the delimiter
    }
    for (size_t k = 0; k < n; ++k)
      fields_[k] = std::string_view(values_).substr(at[k].first, at[k].second);
    return n;
  }

  LineResult read_header(std::string_view text) {
    delim_ = pick_delimiter(text);
    size_t n = split(text);
    if (n > kMaxFields) return LineResult::malformed("header with more than 256 columns");
    if (advance(QuoteState::field_start, text, delim_) == QuoteState::quoted)
      return LineResult::malformed("header with an unclosed quote");
    names_.clear();
    for (size_t k = 0; k < n; ++k) names_.emplace_back(trim(fields_[k]));
    columns_ = n;
    index_.fill(-1);
    std::array<bool, kMaxFields> used{};
    // The sources file's mapping first, then the common names.
    for (size_t f = 0; f < kFieldCount; ++f) {
      const std::string* want = settings_ ? settings_->column_for(kFieldNames[f]) : nullptr;
      if (!want) continue;
      for (size_t k = 0; k < n; ++k)
        if (iequals(names_[k], *want)) {
          index_[f] = int(k);
          used[k] = true;
          break;
        }
      if (index_[f] < 0)
        return LineResult::malformed("header lacks a column that [directory.columns] names");
    }
    for (size_t f = 0; f < kFieldCount; ++f) {
      if (index_[f] >= 0) continue;
      for (std::string_view alias : kAliases[f]) {
        if (alias.empty() || index_[f] >= 0) break;
        for (size_t k = 0; k < n; ++k)
          if (!used[k] && iequals(names_[k], alias)) {
            index_[f] = int(k);
            used[k] = true;
            break;
          }
      }
    }
    // No full-name column: the name is put together from given name and
    // surname columns when the export splits it.
    given_ = family_ = -1;
    if (index_[kName] < 0) {
      for (size_t k = 0; k < n; ++k) {
        for (std::string_view a : kGivenNames)
          if (given_ < 0 && !used[k] && iequals(names_[k], a)) given_ = int(k);
        for (std::string_view a : kFamilyNames)
          if (family_ < 0 && !used[k] && iequals(names_[k], a)) family_ = int(k);
      }
    }
    kind_ = index_[kIp] >= 0    ? OwnerKeyKind::ip
            : index_[kMac] >= 0 ? OwnerKeyKind::mac
                                : OwnerKeyKind::login;
    if (kind_ == OwnerKeyKind::login && index_[kLogin] < 0)
      return LineResult::malformed(
          "header names no login, ip or mac column (name one in [directory.columns])");
    have_header_ = true;
    return LineResult::skip("header line");
  }

  std::string_view field(Field f) const {
    return index_[f] < 0 ? std::string_view() : trim(fields_[size_t(index_[f])]);
  }

  LineResult read_record(std::string_view text, OwnerEvent& out) {
    auto extra = std::move(out.extra);
    extra.clear();
    uint64_t first_line = out.first_line, first_offset = out.first_offset;
    std::string_view raw = out.raw;
    out.clear();
    out.extra = std::move(extra);
    out.first_line = first_line;
    out.first_offset = first_offset;
    out.raw = raw;
    size_t n = split(text);
    if (n != columns_) {
      // A repeated header (exports concatenated) is not a row.
      return LineResult::malformed("row has a different number of fields than the header");
    }
    bool header_again = true;
    for (size_t k = 0; k < n && header_again; ++k) header_again = trim(fields_[k]) == names_[k];
    if (header_again) return LineResult::skip("repeated header line");
    out.kind = kind_;
    out.login = field(kLogin);
    out.name = field(kName);
    if (given_ >= 0 || family_ >= 0) {
      std::string_view given = given_ < 0 ? std::string_view() : trim(fields_[size_t(given_)]);
      std::string_view family = family_ < 0 ? std::string_view() : trim(fields_[size_t(family_)]);
      name_.assign(given);
      if (!given.empty() && !family.empty()) name_ += ' ';
      name_ += family;
      out.name = name_;
    }
    out.email = field(kEmail);
    out.id = field(kId);
    out.unit = field(kUnit);
    out.host = field(kHost);
    switch (kind_) {
      case OwnerKeyKind::login:
        if (out.login.empty()) return LineResult::malformed("row without a login");
        break;
      case OwnerKeyKind::ip: {
        std::string_view a = field(kIp);
        std::string_view len = a;
        a = next_token(len, '/');
        if (!parse_ip(a, out.ip)) return LineResult::malformed("ip column: not an address");
        unsigned bits = out.ip.is_v4() ? 32 : 128;
        if (!len.empty() || a.size() != field(kIp).size()) {
          if (!parse_number(len, bits) || bits > (out.ip.is_v4() ? 32u : 128u))
            return LineResult::malformed("ip column: bad prefix length");
        }
        out.prefix_len = uint8_t(out.ip.is_v4() ? 96 + bits : bits);
        for (unsigned b = out.prefix_len; b < 128; ++b)
          if (out.ip.bytes[b / 8] & (0x80 >> (b % 8)))
            return LineResult::malformed("ip column: prefix has bits set beyond its length");
        break;
      }
      case OwnerKeyKind::mac:
        if (!parse_mac(field(kMac), out.mac))
          return LineResult::malformed("mac column: not a MAC address");
        break;
    }
    uint8_t flags = 0;
    std::string_view from = field(kValidFrom), to = field(kValidTo);
    if (!from.empty()) {
      if (!parse_date_or_time(from, ctx_, out.valid_from, flags))
        return LineResult::malformed(
            "valid_from is not a date or time (expected YYYY-MM-DD or RFC 3339)");
      out.time_flags |= flags;
      out.dated = true;
    }
    if (!to.empty()) {
      if (!parse_date_or_time(to, ctx_, out.valid_to, flags))
        return LineResult::malformed(
            "valid_to is not a date or time (expected YYYY-MM-DD or RFC 3339)");
      out.time_flags |= flags;
      out.dated = true;
    }
    if (out.valid_from != kNoTime && out.valid_to <= out.valid_from)
      return LineResult::malformed("valid_to is not after valid_from");
    for (size_t k = 0; k < n; ++k) {
      bool mapped = false;
      for (int i : index_) mapped |= i == int(k);
      std::string_view v = trim(fields_[k]);
      if (!mapped && !v.empty()) out.extra.emplace_back(names_[k], v);
    }
    return LineResult::record();
  }

  const ParseContext& ctx_;
  const DirectorySettings* settings_ = nullptr;
  bool have_header_ = false;
  char delim_ = ',';
  size_t columns_ = 0;
  std::vector<std::string> names_;
  std::array<int, kFieldCount> index_{};
  int given_ = -1, family_ = -1;  // given name and surname columns, when no name column
  std::string name_;
  OwnerKeyKind kind_ = OwnerKeyKind::login;
  std::array<std::string_view, kMaxFields> fields_;
  std::string values_;
  // A record whose quoted field spans lines.
  bool pending_ = false;
  QuoteState state_ = QuoteState::field_start;
  std::string record_;
  uint64_t first_line_ = 0, first_offset_ = 0;
};

int sniff(std::string_view head, const char** why) {
  std::string_view header;
  for_each_head_line(head, 20, [&](std::string_view l) {
    if (l.starts_with("\xEF\xBB\xBF")) l.remove_prefix(3);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (trim(l).empty() || l.front() == '#') return true;
    header = l;
    return false;
  });
  if (header.empty()) {
    *why = "no header line";
    return 0;
  }
  char delim = pick_delimiter(header);
  if (header.find(delim) == std::string_view::npos) {
    *why = "header has one column";
    return 0;
  }
  bool login = false, address = false, person = false;
  std::string_view rest = header;
  while (!rest.empty()) {
    std::string_view name = trim(next_token(rest, delim));
    if (name.size() >= 2 && name.front() == '"' && name.back() == '"')
      name = name.substr(1, name.size() - 2);
    if (name.empty() || name.size() > 64) {
      *why = "header has an empty or long column name";
      return 0;
    }
    for (char c : name)
      if (static_cast<unsigned char>(c) < 0x20 || c == '@' || c == ':') {
        *why = "header column names hold addresses or control bytes";
        return 0;
      }
    login |= is_header_alias(name, kLogin);
    address |= is_header_alias(name, kIp) || is_header_alias(name, kMac);
    person |= is_header_alias(name, kName) || is_header_alias(name, kEmail);
    for (std::string_view a : kFamilyNames) person |= iequals(name, a);
  }
  // A login and a person, or an address or MAC and whose it is.
  if (!(login && person) && !(address && (login || person))) {
    *why = "header names no login and name (or address and owner) columns";
    return 0;
  }
  *why = "CSV/TSV header with login and name (or address and owner) columns";
  return 55;
}

std::unique_ptr<OwnerParser> make(const ParseContext& ctx) {
  return std::make_unique<DirectoryCsvParser>(ctx);
}

}  // namespace

const FormatInfo& directory_csv_format() {
  static const FormatInfo info{
      .name = "csv",
      .family = Family::owner,
      .summary = "directory or register as CSV/TSV with a header (columns mapped by name)",
      .sniff = sniff,
      .make_owner = make,
      .snapshot = true};
  return info;
}

}  // namespace tracekit::formats

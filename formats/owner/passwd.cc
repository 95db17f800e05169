// /etc/passwd-style account files (a copy of a server's passwd, `getent
// passwd` output, an NIS map dump):
//
//   jdoe:x:1001:1001:Jane Doe,Room 4.17,+44 20 7946 0017,,:/home/jdoe:/bin/bash
//
// Seven colon-separated fields: login, password (x or *), uid, gid, GECOS,
// home, shell. The GECOS field is comma-separated: full name, room, work
// phone, home phone, other; the full name is its first field. Mapping: login,
// name = GECOS full name, id = uid; gid, room, phones, home and shell are
// carried through as `extra`. An '&' in the full name stands for the login
// with its first letter capitalised (BSD finger convention); it is kept as
// written. Lines starting with '#' are comments; NIS compat lines ("+", "-",
// "+@group") carry no account and are skipped. Entries are undated.
#include "format_list.h"
#include "tracekit/text.h"

namespace tracekit::formats {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Splits a passwd line into its seven fields; false unless there are exactly
// seven.
bool split_fields(std::string_view text, std::string_view (&f)[7]) {
  for (int k = 0; k < 6; ++k) {
    size_t colon = text.find(':');
    if (colon == std::string_view::npos) return false;
    f[k] = text.substr(0, colon);
    text.remove_prefix(colon + 1);
  }
  if (text.find(':') != std::string_view::npos) return false;
  f[6] = text;
  return true;
}

class PasswdParser final : public OwnerParser {
 public:
  LineResult parse(const Line& line, OwnerEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (trim(text).empty()) return LineResult::skip("empty line");
    if (text.front() == '#') return LineResult::skip("comment");
    if (text.front() == '+' || text.front() == '-') return LineResult::skip("NIS compat line");
    std::string_view f[7];
    if (!split_fields(text, f))
      return LineResult::malformed(
          "expected 7 colon-separated fields (login:pw:uid:gid:gecos:home:shell)");
    if (f[0].empty()) return LineResult::malformed("empty login");
    if (!all_digits(f[2])) return LineResult::malformed("uid is not a number");
    if (!f[3].empty() && !all_digits(f[3])) return LineResult::malformed("gid is not a number");
    auto extra = std::move(out.extra);
    extra.clear();
    out.clear();
    out.extra = std::move(extra);
    out.kind = OwnerKeyKind::login;
    out.login = f[0];
    out.id = f[2];
    std::string_view gecos = f[4];
    out.name = trim(next_token(gecos, ','));
    out.extra.emplace_back("gid", f[3]);
    static constexpr std::string_view kGecos[] = {"room", "work_phone", "home_phone", "other"};
    for (std::string_view key : kGecos) {
      if (gecos.empty()) break;
      std::string_view v = trim(next_token(gecos, ','));
      if (!v.empty()) out.extra.emplace_back(key, v);
    }
    if (!f[5].empty()) out.extra.emplace_back("home", f[5]);
    if (!f[6].empty()) out.extra.emplace_back("shell", f[6]);
    return LineResult::record();
  }
};

int sniff(std::string_view head, const char** why) {
  int good = 0, bad = 0;
  for_each_head_line(head, 20, [&](std::string_view l) {
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (trim(l).empty() || l.front() == '#' || l.front() == '+' || l.front() == '-') return;
    std::string_view f[7];
    if (split_fields(l, f) && !f[0].empty() && all_digits(f[2]) && all_digits(f[3]) &&
        f[0].find(' ') == std::string_view::npos)
      ++good;
    else
      ++bad;
  });
  // The last line of the block may be cut short.
  if (good == 0 || bad > 1) {
    *why = "lines are not login:pw:uid:gid:gecos:home:shell";
    return 0;
  }
  *why = "passwd lines (7 colon-separated fields, numeric uid and gid)";
  return good >= 2 && bad == 0 ? 90 : 60;
}

std::unique_ptr<OwnerParser> make(const ParseContext&) {
  return std::make_unique<PasswdParser>();
}

}  // namespace

const FormatInfo& passwd_format() {
  static const FormatInfo info{.name = "passwd",
                               .family = Family::owner,
                               .summary = "/etc/passwd-style accounts (login, uid, GECOS name)",
                               .sniff = sniff,
                               .make_owner = make,
                               .snapshot = true};
  return info;
}

}  // namespace tracekit::formats

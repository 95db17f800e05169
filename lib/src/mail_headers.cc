#include "tracekit/mail_headers.h"

#include <array>
#include <charconv>

#include "tracekit/input.h"
#include "tracekit/text.h"

namespace tracekit {

namespace {

// Decimal digits only: from_chars alone would take a sign ("-7014800" as an
// hour passed the range checks below and overflowed).
bool digits(std::string_view s, int& v) {
  if (s.empty() || s[0] < '0' || s[0] > '9') return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

// The value of the clause `word` ("from", "by", "with", "id", "for") of a
// Received line: the text after it up to the next clause or the ';'.
std::string clause(std::string_view r, std::string_view word) {
  static constexpr std::array<std::string_view, 6> kWords = {"from", "by", "via",
                                                             "with", "id", "for"};
  // Scan words outside parentheses.
  int depth = 0;
  size_t start = std::string_view::npos;
  for (size_t i = 0; i < r.size();) {
    char c = r[i];
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    if (depth == 0 && c == ';') break;
    bool at_word = depth == 0 && (i == 0 || r[i - 1] == ' ' || r[i - 1] == '\t');
    if (at_word) {
      size_t end = r.find_first_of(" \t", i);
      std::string_view w = r.substr(i, end == std::string_view::npos ? r.size() - i : end - i);
      bool is_clause = false;
      for (auto k : kWords) is_clause = is_clause || iequals(w, k);
      if (is_clause) {
        if (start != std::string_view::npos) return std::string(trim(r.substr(start, i - start)));
        if (iequals(w, word)) start = i + w.size();
      }
      if (end == std::string_view::npos) break;
      i = end + 1;
      continue;
    }
    ++i;
  }
  if (start == std::string_view::npos) return {};
  size_t semi = r.find(';', start);
  std::string_view rest =
      r.substr(start, semi == std::string_view::npos ? r.size() - start : semi - start);
  return std::string(trim(rest));
}

// The first "[address]" (or "[IPv6:address]") in `s`.
bool bracket_ip(std::string_view s, IpAddr& out) {
  for (size_t open = s.find('['); open != std::string_view::npos; open = s.find('[', open + 1)) {
    size_t close = s.find(']', open);
    if (close == std::string_view::npos) return false;
    std::string_view inside = s.substr(open + 1, close - open - 1);
    if (inside.size() > 5 && iequals(inside.substr(0, 5), "IPv6:")) inside.remove_prefix(5);
    if (parse_ip(inside, out)) return true;
  }
  return false;
}

}  // namespace

bool parse_rfc5322_date(std::string_view s, Instant& out) {
  s = trim(s);
  if (size_t paren = s.find('('); paren != std::string_view::npos) s = trim(s.substr(0, paren));
  if (size_t comma = s.find(','); comma != std::string_view::npos) s = trim(s.substr(comma + 1));
  std::string_view day = next_token(s), mon = next_token(s), year = next_token(s),
                   clock = next_token(s), zone = trim(next_token(s));
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  int d = 0, y = 0, m = 0;
  for (int k = 0; k < 12; ++k)
    if (iequals(mon, kMonths[k])) m = k + 1;
  if (!digits(day, d) || !digits(year, y) || m == 0 || d < 1 || d > 31) return false;
  if (year.size() == 2) y += y < 50 ? 2000 : 1900;
  int hh = 0, mm = 0, ss = 0;
  std::string_view h = clock.substr(0, clock.find(':'));
  std::string_view rest = clock.substr(h.size() + (h.size() < clock.size()));
  std::string_view mi = rest.substr(0, rest.find(':'));
  std::string_view se = mi.size() < rest.size() ? rest.substr(mi.size() + 1) : std::string_view();
  if (!digits(h, hh) || !digits(mi, mm) || (!se.empty() && !digits(se, ss)) || hh > 23 || mm > 59 ||
      ss > 60)
    return false;
  int offset_min = 0;
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    int hz = 0, mz = 0;
    if (!digits(zone.substr(1, 2), hz) || !digits(zone.substr(3, 2), mz)) return false;
    offset_min = (hz * 60 + mz) * (zone[0] == '-' ? -1 : 1);
  } else {
    struct Named {
      std::string_view name;
      int hours;
    };
    static constexpr Named kZones[] = {{"UT", 0},   {"UTC", 0},  {"GMT", 0},  {"Z", 0},
                                       {"EST", -5}, {"EDT", -4}, {"CST", -6}, {"CDT", -5},
                                       {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}};
    bool found = false;
    for (const auto& z : kZones)
      if (iequals(zone, z.name)) {
        offset_min = z.hours * 60;
        found = true;
      }
    if (!found) return false;  // a zone we cannot place is no time
  }
  if (y < 1 || y > 9999) return false;  // no mail was sent then; and its seconds would overflow
  int64_t days = days_from_civil(y, unsigned(m), unsigned(d));
  int64_t secs = days * 86400 + hh * 3600 + mm * 60 + std::min(ss, 59) - offset_min * 60;
  out = Instant(Micros(secs * 1000000));
  return true;
}

bool read_header_file(const std::string& path, std::string& text, std::string& error) {
  auto in = open_input(path, error);
  if (!in) return false;
  constexpr size_t kMax = 1 << 20;
  text.clear();
  char buf[65536];
  while (text.size() < kMax) {
    size_t n = in->read(buf, sizeof buf);
    if (n == 0) break;
    text.append(buf, std::min(n, kMax - text.size()));
  }
  if (!in->error().empty()) {
    error = in->error();
    return false;
  }
  return true;
}

bool is_our_host(std::string_view host, const std::vector<std::string>& ours) {
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty()) return false;
  std::string_view label = host.substr(0, host.find('.'));
  for (std::string_view o : ours) {
    if (o.empty()) continue;
    if (o.front() == '.') {
      if (host.size() > o.size() && iequals(host.substr(host.size() - o.size()), o)) return true;
      continue;
    }
    if (iequals(host, o)) return true;
    if (o.find('.') == std::string_view::npos && iequals(label, o)) return true;
  }
  return false;
}

MailHeader parse_mail_header(std::string_view text) {
  MailHeader h;
  struct Field {
    std::string name, value;
    uint64_t line;
  };
  std::vector<Field> fields;
  uint64_t n = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++n;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // A pasted header may start with a blank line or an mbox "From " line.
    if (line.empty()) {
      if (fields.empty()) continue;
      break;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !fields.empty()) {
      fields.back().value += ' ';
      fields.back().value += trim(line);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    fields.push_back(
        {std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))), n});
  }
  h.lines = n;
  for (const auto& f : fields) {
    if (iequals(f.name, "Message-ID")) {
      h.message_id = f.value;
    } else if (iequals(f.name, "Date")) {
      h.date_text = f.value;
      parse_rfc5322_date(f.value, h.date);
    } else if (iequals(f.name, "X-Originating-IP")) {
      std::string_view v = trim(f.value);
      if (v.size() >= 2 && v.front() == '[' && v.back() == ']') v = v.substr(1, v.size() - 2);
      h.x_originating_ip = std::string(v);
    } else if (iequals(f.name, "Received")) {
      ReceivedLine r;
      r.index = h.received.size() + 1;
      r.line = f.line;
      r.text = f.value;
      r.from = clause(f.value, "from");
      r.by = clause(f.value, "by");
      if (size_t sp = r.by.find_first_of(" \t("); sp != std::string::npos) r.by.resize(sp);
      r.with = clause(f.value, "with");
      if (size_t sp = r.with.find_first_of(" \t("); sp != std::string::npos) r.with.resize(sp);
      r.id = clause(f.value, "id");
      if (size_t sp = r.id.find_first_of(" \t(;"); sp != std::string::npos) r.id.resize(sp);
      r.for_addr = clause(f.value, "for");
      r.has_from_ip = bracket_ip(r.from, r.from_ip);
      if (size_t semi = f.value.rfind(';'); semi != std::string::npos) {
        r.date_text = std::string(trim(std::string_view(f.value).substr(semi + 1)));
        parse_rfc5322_date(r.date_text, r.date);
      }
      h.received.push_back(std::move(r));
    }
  }
  return h;
}

}  // namespace tracekit

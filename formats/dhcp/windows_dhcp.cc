// Windows DHCP Server audit logs (%windir%\System32\dhcp\DhcpSrvLog-Mon.log,
// DhcpV6SrvLog-Mon.log, one file per weekday, overwritten a week later).
//
//   10,04/23/26,16:19:00,Assign,10.0.0.5,ws1.corp.example,001122334455,,3096562285,0,,,,0x4D53465420352E30,MSFT
//   5.0,,,,0
//
// A file opens with a banner ("Microsoft DHCP Service Activity Log", the event
// ID table, a QResult legend) and a header line naming the columns:
//   ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name, TransactionID, QResult,
//   Probationtime, CorrelationID,Dhcid,VendorClass(Hex),VendorClass(ASCII),UserClass(Hex),
//   UserClass(ASCII),RelayAgentInformation,DnsRegError.
// Windows 2003/2008 write the first seven columns only, 2008 R2 stops at Dhcid;
// the DHCPv6 log has ID,Date,Time,Description,IPv6 Address,Host Name,Error Code,
// Duid Length,Duid Bytes(Hex),User Name,Dhcid,Subnet Prefix. Columns are found by
// their English header names; when a header is missing (rows only) or localised
// ("Kimlik,Tarih,Saat,..."), the positions above, which every version keeps, are
// used. Quirks: Date is MM/DD/YY in the server's local time (no zone; two-digit
// years are 20YY), so a time in a DST fold or gap is flagged; the MAC column is
// hex without separators ("001122334455"; 14 digits starting 01 for a hardware-
// type-prefixed client id; other lengths are kept as the client id, all zeros is
// "no MAC"); the DUID column of DHCPv6 rows gives the MAC for DUID-LL/-LLT;
// lines may end in CRLF; the header's last name ends with a '.'.
//
// Event IDs (DHCPv4), per Microsoft's table:
//   00/01/02 log started/stopped/paused          skip
//   10 new lease (Assign)                        ack
//   11 lease renewed (Renew)                     ack
//   12 lease released (Release)                  release
//   13 address found in use on the network       skip (conflict detection; no lease)
//   14 scope exhausted                           skip (no address given)
//   15 lease denied (NACK)                       nak
//   16 lease deleted                             remove
//   17 lease expired, DNS records not deleted    expire
//   18 lease expired, DNS records deleted        expire
//   20/21 BOOTP / dynamic BOOTP address leased   ack
//   22 BOOTP pool exhausted                      skip
//   23 BOOTP address deleted                     remove
//   24/25 IP address cleanup start/statistics    skip
//   30-36 DNS update, NAP, failover packet drop  skip
//   50+ rogue detection / authorisation          skip
// Event IDs (DHCPv6): 11000 Solicit -> discover; 11001 Advertise -> offer;
// 11002 Request -> ack (the server logs the address it bound; the log has no
// Reply event); 11003 Confirm -> request; 11004 Renew, 11005 Rebind -> ack;
// 11006 Decline -> decline; 11007 Release -> release; 11008 Information
// Request -> inform; 11016 client deleted -> remove; 11017 DNS record not
// deleted (expired lease), 11018 expired, 11019 expired and deleted -> expire;
// 11009 scope full, 11010-11013 log start/stop/pause/file, 11014 bad address,
// 11015 address in use, 11020-11021 cleanup, 11022-11029 DNS update and
// 11030-11032 stateless client records -> skip. Any other ID is skipped.
// A row of a lease event (ack, nak, release, decline, expire, remove) without an
// IP address is malformed; discover, offer, request and inform rows may have
// none (a stateless DHCPv6 Information Request names no address).
#include <charconv>
#include <cstdint>

#include "format_list.h"
#include "tracekit/text.h"

namespace tracekit::formats {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "0004A344..." (optionally "0x"-prefixed) -> bytes; 0 if not hex without
// separators. Colon hex is refused: a MAC column in that form is read by
// parse_mac and kept as the client id too (see read_mac_column).
size_t read_hex(std::string_view s, uint8_t* out, size_t cap) {
  if (s.starts_with("0x") || s.starts_with("0X")) s.remove_prefix(2);
  if (s.find(':') != std::string_view::npos) return 0;
  return parse_hex_bytes(s, out, cap);
}

// What an event ID means for leases: an action, or a reason to skip it.
struct EventMeaning {
  bool record = false;
  DhcpAction action = DhcpAction::ack;
  const char* skip_reason = "";
};

EventMeaning event_meaning(unsigned id) {
  auto rec = [](DhcpAction a) { return EventMeaning{true, a, ""}; };
  auto skip = [](const char* why) { return EventMeaning{false, DhcpAction::ack, why}; };
  switch (id) {
    case 0:
    case 1:
    case 2:
      return skip("audit log started, stopped or paused");
    case 10:
    case 11:
    case 20:
    case 21:
      return rec(DhcpAction::ack);
    case 12:
      return rec(DhcpAction::release);
    case 13:
      return skip("address found in use on the network (no lease)");
    case 14:
    case 22:
      return skip("address pool exhausted (no lease)");
    case 15:
      return rec(DhcpAction::nak);
    case 16:
    case 23:
      return rec(DhcpAction::remove);
    case 17:
    case 18:
      return rec(DhcpAction::expire);
    case 24:
    case 25:
      return skip("database cleanup");
    case 11000:
      return rec(DhcpAction::discover);
    case 11001:
      return rec(DhcpAction::offer);
    case 11002:
    case 11004:
    case 11005:
      return rec(DhcpAction::ack);
    case 11003:
      return rec(DhcpAction::request);
    case 11006:
      return rec(DhcpAction::decline);
    case 11007:
      return rec(DhcpAction::release);
    case 11008:
      return rec(DhcpAction::inform);
    case 11016:
      return rec(DhcpAction::remove);
    case 11017:
    case 11018:
    case 11019:
      return rec(DhcpAction::expire);
    case 11010:
    case 11011:
    case 11012:
    case 11013:
      return skip("audit log started, stopped or paused");
    case 11020:
    case 11021:
      return skip("database cleanup");
    default:
      break;
  }
  if ((id >= 30 && id <= 36) || (id >= 11022 && id <= 11029)) return skip("DNS update event");
  if (id >= 50 && id < 100) return skip("rogue detection or authorisation event");
  return skip("event that changes no lease");
}

enum Column { kId, kDate, kTime, kIp, kHost, kMac, kDuid, kColumns };

struct Layout {
  int col[kColumns];
};

constexpr Layout kV4Default = {{0, 1, 2, 4, 5, 6, -1}};
constexpr Layout kV6Default = {{0, 1, 2, 4, 5, -1, 8}};

constexpr size_t kMaxFields = 40;

// Splits on ',' into at most kMaxFields views; returns the count.
size_t split_fields(std::string_view s, std::string_view* f) {
  size_t n = 0;
  while (n < kMaxFields) {
    size_t comma = s.find(',');
    f[n++] = s.substr(0, comma);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return n;
}

// "1-2 digits" then `sep`; advances i.
bool read_num(std::string_view s, size_t& i, size_t max_digits, int& v) {
  size_t start = i;
  v = 0;
  while (i < s.size() && is_digit(s[i]) && i - start < max_digits) v = v * 10 + (s[i++] - '0');
  return i > start;
}

// "04/23/26" (also M/D/YY and MM/DD/YYYY) -> days since the epoch.
bool read_date(std::string_view s, int64_t& day) {
  size_t i = 0;
  int mo, d, y;
  if (!read_num(s, i, 2, mo) || i >= s.size() || s[i++] != '/' || !read_num(s, i, 2, d) ||
      i >= s.size() || s[i++] != '/')
    return false;
  size_t ystart = i;
  if (!read_num(s, i, 4, y) || i != s.size()) return false;
  if (i - ystart == 2)
    y += 2000;
  else if (i - ystart != 4)
    return false;
  if (!valid_date(y, unsigned(mo), unsigned(d))) return false;
  day = days_from_civil(y, unsigned(mo), unsigned(d));
  return true;
}

// "16:19:00" (also H:MM:SS) -> microseconds of the day.
bool read_time(std::string_view s, int64_t& us) {
  size_t i = 0;
  int hh, mi, ss;
  if (!read_num(s, i, 2, hh) || i >= s.size() || s[i++] != ':' || !read_num(s, i, 2, mi) ||
      i >= s.size() || s[i++] != ':' || !read_num(s, i, 2, ss) || i != s.size())
    return false;
  if (hh > 23 || mi > 59 || ss > 60) return false;
  us = (int64_t(hh) * 3600 + mi * 60 + std::min(ss, 59)) * 1000000;
  return true;
}

class WindowsDhcpParser final : public DhcpParser {
 public:
  explicit WindowsDhcpParser(const ParseContext& ctx) : ctx_(ctx) {}

  LineResult parse(const Line& line, DhcpEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    if (trim(text).empty()) return LineResult::skip("empty line");

    // A row starts with the event ID and a comma; banner lines ("00\tThe log
    // was started.", "QResult: ...") do not.
    size_t digits = 0;
    while (digits < text.size() && is_digit(text[digits])) ++digits;
    if (digits == 0 || digits >= text.size() || text[digits] != ',') {
      if (text.starts_with("ID,")) {
        read_header(text);
        return LineResult::skip("column header");
      }
      return LineResult::skip("banner line");
    }

    unsigned id = 0;
    std::from_chars(text.data(), text.data() + digits, id);
    EventMeaning meaning = event_meaning(id);
    if (!meaning.record) return LineResult::skip(meaning.skip_reason);

    std::string_view f[kMaxFields];
    size_t n = split_fields(text, f);
    const Layout& layout = id >= 11000 ? v6_ : v4_;
    auto field = [&](Column c) {
      int i = layout.col[c];
      return i >= 0 && size_t(i) < n ? trim(f[i]) : std::string_view();
    };
    if (layout.col[kIp] < 0 || size_t(layout.col[kIp]) >= n)
      return LineResult::malformed("too few columns");

    out.clear();
    out.action = meaning.action;
    int64_t day = 0, us = 0;
    if (!read_date(field(kDate), day)) return LineResult::malformed("bad date (expected MM/DD/YY)");
    if (!read_time(field(kTime), us)) return LineResult::malformed("bad time (expected HH:MM:SS)");
    std::string_view ip = field(kIp);
    bool lease_event =
        meaning.action != DhcpAction::discover && meaning.action != DhcpAction::offer &&
        meaning.action != DhcpAction::request && meaning.action != DhcpAction::inform;
    if (ip.empty() && lease_event)
      return LineResult::malformed("lease event without an IP address");
    if (!ip.empty() && !parse_ip(ip, out.ip)) return LineResult::malformed("bad IP address");
    out.host = field(kHost);
    if (layout.col[kMac] >= 0) read_mac_column(field(kMac), out);
    if (layout.col[kDuid] >= 0) read_duid_column(field(kDuid), out);

    if (!ctx_.local) return LineResult::malformed("no time zone for local times");
    uint8_t flags = 0;
    out.time = ctx_.local->to_utc(day, us, flags);
    out.time_flags = flags | ctx_.zone_flags;
    return LineResult::record();
  }

 private:
  void read_header(std::string_view text) {
    std::string_view f[kMaxFields];
    size_t n = split_fields(text, f);
    Layout l = kV4Default;
    bool v6 = false;
    bool any = false;
    for (size_t i = 0; i < n; ++i) {
      std::string_view name = trim(f[i]);
      if (!name.empty() && name.back() == '.') name.remove_suffix(1);
      name = trim(name);
      auto set = [&](Column c) {
        l.col[c] = int(i);
        any = true;
      };
      if (iequals(name, "ID"))
        set(kId);
      else if (iequals(name, "Date"))
        set(kDate);
      else if (iequals(name, "Time"))
        set(kTime);
      else if (iequals(name, "IP Address"))
        set(kIp);
      else if (iequals(name, "IPv6 Address"))
        set(kIp), v6 = true;
      else if (iequals(name, "Host Name"))
        set(kHost);
      else if (iequals(name, "MAC Address"))
        set(kMac);
      else if (iequals(name, "Duid Bytes(Hex)"))
        set(kDuid), v6 = true;
    }
    if (!any) return;
    if (v6) {
      if (l.col[kMac] == kV4Default.col[kMac]) l.col[kMac] = -1;  // no MAC column in v6 logs
      v6_ = l;
    } else {
      v4_ = l;
    }
  }

  static void read_mac_column(std::string_view s, DhcpEvent& out) {
    if (s.empty()) return;
    uint8_t b[64];
    size_t n = read_hex(s, b, sizeof b);
    if (n == 7 && b[0] == 1) {  // hardware type 1 (Ethernet) + MAC
      std::copy(b + 1, b + 7, out.mac.bytes.begin());
      out.has_mac = true;
    } else if (n == 6) {
      std::copy(b, b + 6, out.mac.bytes.begin());
      out.has_mac = !out.mac.is_unset();
    } else {
      out.has_mac = parse_mac(s, out.mac) && !out.mac.is_unset();
    }
    if (!out.has_mac || n != 6) out.client_id = s;
  }

  static void read_duid_column(std::string_view s, DhcpEvent& out) {
    if (s.empty()) return;
    out.client_id = s;
    uint8_t b[130];
    size_t n = read_hex(s, b, sizeof b);
    out.has_mac = mac_from_duid(b, n, out.mac);
  }

  const ParseContext& ctx_;
  Layout v4_ = kV4Default;
  Layout v6_ = kV6Default;
};

bool is_row(std::string_view line) {
  // "10,04/23/26,16:19:00,"
  size_t i = 0;
  while (i < line.size() && is_digit(line[i])) ++i;
  if (i == 0 || i > 5 || i >= line.size() || line[i] != ',') return false;
  std::string_view rest = line.substr(i + 1);
  size_t c1 = rest.find(',');
  if (c1 == std::string_view::npos) return false;
  size_t c2 = rest.find(',', c1 + 1);
  if (c2 == std::string_view::npos) return false;
  int64_t day, us;
  return read_date(rest.substr(0, c1), day) && read_time(rest.substr(c1 + 1, c2 - c1 - 1), us);
}

int sniff(std::string_view head, const char** why) {
  if (head.find("Microsoft DHCP Service Activity Log") != std::string_view::npos ||
      head.find("Microsoft DHCPv6 Service Activity Log") != std::string_view::npos) {
    *why = "Microsoft DHCP Service Activity Log banner";
    return 95;
  }
  // Up to 200 non-empty lines, however many empty ones stand between them.
  size_t rows = 0, lines = 0;
  bool header = false;
  for_each_head_line(head, SIZE_MAX, [&](std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (line.starts_with("ID,Date,Time,Description,")) {
      header = true;
      return false;
    }
    if (!line.empty()) {
      ++lines;
      if (is_row(line)) ++rows;
    }
    return lines < 200;
  });
  if (header) {
    *why = "DHCP audit log column header (ID,Date,Time,Description,...)";
    return 95;
  }
  if (rows >= 2 && rows * 2 >= lines) {
    *why = "rows of ID,MM/DD/YY,HH:MM:SS,... without the audit log banner";
    return 60;
  }
  *why = "no DHCP audit log banner, header or rows";
  return 0;
}

std::unique_ptr<DhcpParser> make(const ParseContext& ctx) {
  return std::make_unique<WindowsDhcpParser>(ctx);
}

}  // namespace

const FormatInfo& windows_dhcp_format() {
  static const FormatInfo info{
      .name = "windows-dhcp",
      .family = Family::dhcp,
      .summary = "Windows DHCP Server audit log (DhcpSrvLog-*.log, DhcpV6SrvLog-*.log)",
      .sniff = sniff,
      .make_dhcp = make,
      .snapshot = false};
  return info;
}

}  // namespace tracekit::formats

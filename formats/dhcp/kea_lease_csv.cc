// Kea's memfile lease files (kea-leases4.csv, kea-leases6.csv, and their .1,
// .2, .completed copies from lease file cleanup), and `kea-admin lease-dump`
// output, which has the same columns.
//
//   address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id
//   10.20.3.44,00:1b:21:3a:4f:07,01:00:1b:21:3a:4f:07,3600,1776961140,1,0,0,ws-lab1-07,0,,0
//
//   address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,prefix_len,fqdn_fwd,fqdn_rev,hostname,hwaddr,state,user_context,hwtype,hwaddr_source,pool_id
//   2001:db8:20::44,00:01:00:01:2f:8e:4a:10:00:1b:21:3a:4f:07,7200,1776964740,2,3600,0,1,128,0,0,ws-lab1-07,00:1b:21:3a:4f:07,0,,1,4,0
//
// The first line names the columns; Kea added columns over its versions (lease4:
// state, then user_context, then pool_id; lease6: hwaddr, state, user_context,
// hwtype and hwaddr_source, pool_id), so columns are found by name, and the
// header says whether the file is lease4 (hwaddr, client_id) or lease6 (duid).
// Kea appends one row per change of a lease: grant, renewal, decline,
// reclamation, deletion. A row holds the lease as it is after the change:
//   expire          cltt + valid_lifetime (seconds since the epoch, UTC)
//   valid_lifetime  0 marks the lease deleted (release, or lease4-del/6-del);
//                   4294967295 is an infinite lease
//   state           0 assigned; 1 declined (the address was found in use:
//                   hwaddr, client_id and hostname are wiped, cltt is the
//                   decline, valid_lifetime the probation period); 2
//                   expired-reclaimed (lapsed, kept for hold-reclaimed-time);
//                   recent Kea versions add 3 released (kept for lease affinity)
//                   and 4 registered (an address a DHCPv6 client registered)
// Mapping: time = expire - valid_lifetime (the client's last transaction),
// lease_end = expire, lease_time = valid_lifetime, action `lease` with
// ends_lease = false for states 0 and 4 and true for 2 and 3 (the row states
// that [time, lease_end) is over); state 1 is action `decline` at time;
// valid_lifetime 0 is action `remove`. A deletion row is a copy of the lease
// with only the lifetime set to 0, so its time is the lease's last
// transaction, not the deletion: the deletion happened at some unrecorded
// moment after it (and before the next row for the address).
//
// Quirks: Kea writes no quotes; commas (and any other escaped byte) in text
// columns are written "&#x2c" (no ';'), undone here. MACs, client ids and DUIDs
// are colon hex; a hwaddr that is not 6 bytes (InfiniBand) gives no MAC. For
// lease6 the MAC comes from the hwaddr column, else from a DUID-LLT/DUID-LL over
// Ethernet. Prefix delegations (lease_type 2) are skipped: a prefix is not an
// address. The last line may be cut off by a crash mid-write: it then has too
// few fields and is malformed.
#include <array>
#include <charconv>
#include <cstring>

#include "format_list.h"
#include "tracekit/text.h"

namespace tracekit::formats {

namespace {

constexpr size_t kMaxFields = 64;
constexpr uint32_t kInfiniteLifetime = 0xffffffffu;
// 9999-12-31T23:59:59Z plus an infinite lifetime: beyond it a number is not a time.
constexpr int64_t kMaxExpire = 253402300799 + kInfiniteLifetime;

enum Column : uint8_t {
  kAddress,
  kHwaddr,
  kClientId,
  kDuid,
  kValidLifetime,
  kExpire,
  kHostname,
  kState,
  kLeaseType,
  kColumnCount,
};
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "address", "hwaddr",   "client_id", "duid",      "valid_lifetime",
    "expire",  "hostname", "state",     "lease_type"};

class KeaLeaseCsvParser final : public DhcpParser {
 public:
  LineResult parse(const Line& line, DhcpEvent& out) override {
    std::string_view text = line.text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return LineResult::skip("empty line");
    if (text.starts_with("address,")) return read_header(text);
    if (!have_header_) return LineResult::malformed("row before the header line");
    size_t n = split(text);
    if (n != columns_) return LineResult::malformed("wrong number of fields for the header");
    return read_row(out);
  }

 private:
  // Splits at commas into fields_; returns the count (kMaxFields + 1 if more).
  size_t split(std::string_view text) {
    size_t n = 0;
    while (true) {
      if (n == kMaxFields) return kMaxFields + 1;
      const void* comma = std::memchr(text.data(), ',', text.size());
      if (!comma) {
        fields_[n++] = text;
        return n;
      }
      size_t at = size_t(static_cast<const char*>(comma) - text.data());
      fields_[n++] = text.substr(0, at);
      text.remove_prefix(at + 1);
    }
  }

  std::string_view field(Column c) const {
    return index_[c] < 0 ? std::string_view() : fields_[size_t(index_[c])];
  }

  LineResult read_header(std::string_view text) {
    have_header_ = false;
    size_t n = split(text);
    if (n > kMaxFields) return LineResult::malformed("header with too many columns");
    index_.fill(-1);
    for (size_t i = 0; i < n; ++i)
      for (size_t c = 0; c < kColumnCount; ++c)
        if (fields_[i] == kColumnNames[c]) {
          if (index_[c] >= 0) return LineResult::malformed("header names a column twice");
          index_[c] = int8_t(i);
        }
    v6_ = index_[kDuid] >= 0;
    if (index_[kAddress] < 0 || index_[kValidLifetime] < 0 || index_[kExpire] < 0 ||
        (v6_ ? index_[kLeaseType] < 0 : index_[kHwaddr] < 0))
      return LineResult::malformed("header lacks a lease4 or lease6 column");
    columns_ = n;
    have_header_ = true;
    return LineResult::skip("header line");
  }

  // Kea escapes bytes of text columns as "&#xHH".
  std::string_view unescape(std::string_view s, std::string& buf) {
    if (s.find("&#x") == std::string_view::npos) return s;
    buf.clear();
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '&' && i + 4 < s.size() && s[i + 1] == '#' && s[i + 2] == 'x' &&
          hex_value(s[i + 3]) >= 0 && hex_value(s[i + 4]) >= 0) {
        buf.push_back(char(hex_value(s[i + 3]) * 16 + hex_value(s[i + 4])));
        i += 4;
      } else {
        buf.push_back(s[i]);
      }
    }
    return buf;
  }

  LineResult read_row(DhcpEvent& out) {
    out.clear();
    if (!parse_ip(field(kAddress), out.ip) || out.ip.is_v4() == v6_)
      return LineResult::malformed(v6_ ? "lease6: bad address" : "lease4: bad address");
    uint32_t valid = 0;
    if (!parse_number(field(kValidLifetime), valid))
      return LineResult::malformed("bad valid_lifetime");
    int64_t expire = 0;
    if (!parse_number(field(kExpire), expire) || expire < 0 || expire > kMaxExpire)
      return LineResult::malformed("bad expire");
    if (int64_t(valid) > expire)
      return LineResult::malformed("expire before valid_lifetime: no last transaction time");
    uint32_t state = 0;
    if (!field(kState).empty() && !parse_number(field(kState), state))
      return LineResult::malformed("bad state");
    if (v6_) {
      unsigned type = 0;
      if (!parse_number(field(kLeaseType), type) || type > 2)
        return LineResult::malformed("bad lease_type");
      if (type == 2) {
        out.time = from_epoch_seconds(expire - int64_t(valid));  // for the file's time coverage
        return LineResult::skip("IA_PD: delegated prefixes are not looked up");
      }
    }
    std::string_view hw = field(kHwaddr);
    if (!hw.empty()) {
      out.has_mac = parse_mac(hw, out.mac);
      uint8_t bytes[32];
      if (!out.has_mac && parse_hex_bytes(hw, bytes, sizeof bytes) == 0)
        return LineResult::malformed("bad hwaddr");
    }
    out.client_id = field(v6_ ? kDuid : kClientId);
    if (v6_ && !out.has_mac) out.has_mac = mac_from_duid(out.client_id, out.mac);
    out.host = unescape(field(kHostname), host_);

    out.time = from_epoch_seconds(expire - int64_t(valid));
    if (valid == 0) {
      out.action = DhcpAction::remove;
      out.time_flags |= kTimeLowerBound;  // deleted some time after `time`
      return LineResult::record();
    }
    switch (state) {
      case 0:  // assigned
      case 4:  // registered (DHCPv6 address registration)
        out.action = DhcpAction::lease;
        break;
      case 1:  // declined: no client; lease_end would be the end of probation
        out.action = DhcpAction::decline;
        return LineResult::record();
      case 2:  // expired-reclaimed
      case 3:  // released, kept for lease affinity
        out.action = DhcpAction::lease;
        out.ends_lease = true;
        break;
      default:
        return LineResult::malformed("unknown lease state");
    }
    if (valid != kInfiniteLifetime) {  // else expire is cltt + 2^32-1 s: never
      out.lease_end = from_epoch_seconds(expire);
      out.lease_time = Micros(int64_t(valid) * 1000000);
    }
    return LineResult::record();
  }

  bool have_header_ = false;
  bool v6_ = false;
  size_t columns_ = 0;
  std::array<int8_t, kColumnCount> index_{};
  std::array<std::string_view, kMaxFields> fields_;
  std::string host_;
};

int sniff(std::string_view head, const char** why) {
  size_t nl = head.find('\n');
  std::string_view first = head.substr(0, nl);
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  bool v4 = first.starts_with("address,hwaddr,");
  bool v6 = first.starts_with("address,duid,");
  if (!v4 && !v6) {
    *why = "first line is not a Kea lease file header";
    return 0;
  }
  bool full = first.find(",valid_lifetime,") != std::string_view::npos &&
              first.find(",expire,") != std::string_view::npos;
  *why = v4 ? "Kea lease4 CSV header" : "Kea lease6 CSV header";
  return full ? 95 : 60;
}

std::unique_ptr<DhcpParser> make(const ParseContext&) {
  return std::make_unique<KeaLeaseCsvParser>();
}

}  // namespace

const FormatInfo& kea_lease_csv_format() {
  static const FormatInfo info{
      .name = "kea-lease-csv",
      .family = Family::dhcp,
      .summary = "Kea memfile lease file, lease4 or lease6 (kea-leases4.csv)",
      .sniff = sniff,
      .make_dhcp = make,
      .snapshot = true};
  return info;
}

}  // namespace tracekit::formats

// The format table: the one place that lists every parser.
#include "format_list.h"

#include <vector>

namespace tracekit {

std::span<const FormatInfo> format_table() {
  static const std::vector<FormatInfo> table = {
      formats::isc_dhcpd_syslog_format(), formats::isc_dhcpd_leases_format(),
      formats::kea_lease_csv_format(),    formats::dnsmasq_dhcp_format(),
      formats::windows_dhcp_format(),     formats::zeek_dhcp_format(),
  };
  return table;
}

}  // namespace tracekit

// The format table: the one place that lists every parser, grouped by family
// (each family's block is kept apart so that adding a format touches one).
#include "format_list.h"

#include <vector>

namespace tracekit {

std::span<const FormatInfo> format_table() {
  static const std::vector<FormatInfo> table = {
      // dhcp/
      formats::isc_dhcpd_syslog_format(),
      formats::isc_dhcpd_leases_format(),
      formats::kea_lease_csv_format(),
      formats::dnsmasq_dhcp_format(),
      formats::windows_dhcp_format(),
      formats::zeek_dhcp_format(),

      // nat/

      // login/
      formats::utmp_format(),
      formats::wtmpdb_format(),
      formats::utmpdump_format(),
      formats::last_format(),

      // owner/
  };
  return table;
}

}  // namespace tracekit

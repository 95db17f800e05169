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
      formats::conntrack_format(),
      formats::ulogd2_nfct_format(),
      formats::nfdump_format(),
      formats::cgnat_port_block_format(),
      formats::cisco_asa_format(),
      formats::juniper_srx_format(),
      formats::fortigate_format(),
      formats::paloalto_format(),

      // login/
      formats::sshd_format(),
      formats::dovecot_format(),
      formats::freeradius_detail_format(),
      formats::openvpn_format(),
      formats::strongswan_format(),
      formats::fortigate_vpn_format(),
      formats::windows_security_format(),
      formats::utmp_format(),
      formats::wtmpdb_format(),
      formats::utmpdump_format(),
      formats::last_format(),

      // owner/
      formats::directory_csv_format(),
      formats::passwd_format(),
      formats::ldif_format(),
      formats::address_register_format(),
      formats::device_register_format(),

      // proxy/
      formats::squid_access_format(),
      formats::clf_access_format(),
      formats::zeek_http_format(),

      // smtp/
      formats::postfix_format(),
      formats::sendmail_format(),
      formats::exim_format(),
      formats::exchange_msgtrack_format(),
      formats::zeek_smtp_format(),
  };
  return table;
}

}  // namespace tracekit

// Every format's table entry, one function per format file. Only registry.cc
// and the formats' own tests include this.
#pragma once

#include "tracekit/format.h"

namespace tracekit::formats {

// dhcp/
const FormatInfo& isc_dhcpd_syslog_format();
const FormatInfo& isc_dhcpd_leases_format();
const FormatInfo& kea_lease_csv_format();
const FormatInfo& dnsmasq_dhcp_format();
const FormatInfo& windows_dhcp_format();
const FormatInfo& zeek_dhcp_format();

// nat/
const FormatInfo& conntrack_format();
const FormatInfo& ulogd2_nfct_format();
const FormatInfo& nfdump_format();
const FormatInfo& cgnat_port_block_format();
const FormatInfo& cisco_asa_format();
const FormatInfo& juniper_srx_format();
const FormatInfo& fortigate_format();
const FormatInfo& paloalto_format();

// login/
const FormatInfo& sshd_format();
const FormatInfo& dovecot_format();
const FormatInfo& freeradius_detail_format();
const FormatInfo& openvpn_format();
const FormatInfo& strongswan_format();
const FormatInfo& fortigate_vpn_format();
const FormatInfo& windows_security_format();
const FormatInfo& utmp_format();
const FormatInfo& wtmpdb_format();
const FormatInfo& utmpdump_format();
const FormatInfo& last_format();

// owner/
const FormatInfo& directory_csv_format();
const FormatInfo& passwd_format();
const FormatInfo& ldif_format();
const FormatInfo& address_register_format();
const FormatInfo& device_register_format();

// proxy/
const FormatInfo& squid_access_format();
const FormatInfo& clf_access_format();
const FormatInfo& zeek_http_format();

// smtp/
const FormatInfo& postfix_format();
const FormatInfo& sendmail_format();
const FormatInfo& exim_format();
const FormatInfo& exchange_msgtrack_format();
const FormatInfo& zeek_smtp_format();

}  // namespace tracekit::formats

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

// login/
const FormatInfo& utmp_format();
const FormatInfo& wtmpdb_format();
const FormatInfo& utmpdump_format();
const FormatInfo& last_format();

// owner/

}  // namespace tracekit::formats

#!/usr/bin/env bash
# Rebuilds tests/fuzz/corpus/ (the seed inputs of every fuzz target) from the
# project's own samples in testdata/ and a few hand-written lines. Seeds are
# small (the first lines of each sample) so that the fuzzer mutates them
# quickly and the replay in CI stays fast. Run from anywhere; review the diff.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$root/tests/fuzz/corpus
td=$root/testdata
rm -rf "$out"
mkdir -p "$out"

# seed TARGET NAME FILE [LINES]: the first LINES (default 40) lines of FILE.
seed() {
  mkdir -p "$out/$1"
  head -n "${4:-40}" "$3" >"$out/$1/$2"
}
# bytes TARGET NAME FILE COUNT: the first COUNT bytes (binary formats).
bytes() {
  mkdir -p "$out/$1"
  head -c "$4" "$3" >"$out/$1/$2"
}

seed isc-dhcpd campus "$td/campus/dhcpd.log"
seed isc-dhcpd campus-1 "$td/campus/dhcpd.log.1"
seed isc-dhcpd-leases v4 "$td/dhcp/isc-dhcpd-leases/dhcpd.leases" 60
seed isc-dhcpd-leases v6 "$td/dhcp/isc-dhcpd-leases/dhcpd6.leases" 60
for f in kea-leases4.csv kea-leases4-1.0.csv kea-leases6.csv kea-leases6-1.0.csv; do
  seed kea-lease-csv "$f" "$td/dhcp/kea/$f"
done
seed dnsmasq log "$td/dhcp/dnsmasq/dnsmasq.log"
seed dnsmasq syslog "$td/dhcp/dnsmasq/syslog"
seed windows-dhcp v4 "$td/dhcp/windows-dhcp/DhcpSrvLog-Thu.log" 60
seed windows-dhcp v6 "$td/dhcp/windows-dhcp/DhcpV6SrvLog-Thu.log" 60
seed zeek-dhcp tsv "$td/dhcp/zeek/dhcp.log"
seed zeek-dhcp json "$td/dhcp/zeek/dhcp.json.log"

seed conntrack events "$td/nat/conntrack/conntrack-events.log"
seed ulogd2 syslogemu "$td/nat/ulogd2/ulogd-syslogemu.log"
seed ulogd2 json "$td/nat/ulogd2/ulogd.json"
seed nfdump csv "$td/nat/nfdump/nel.csv"
seed nfdump ndjson "$td/nat/nfdump/nel.ndjson"
seed cgnat-port-block iosxr "$td/nat/cgnat-port-block/iosxr-cgn.log"
seed cgnat-port-block junos "$td/nat/cgnat-port-block/junos-pba.log"
seed cisco-asa sample "$td/nat/cisco-asa/asa.log"
seed cisco-asa campus "$td/campus/asa.log"
seed juniper-srx structured "$td/nat/juniper-srx/srx-structured.log"
seed juniper-srx text "$td/nat/juniper-srx/srx-text.log"
seed fortigate sample "$td/nat/fortigate/fortigate.log"
seed paloalto sample "$td/nat/paloalto/pan-traffic.log"

seed sshd auth "$td/login/sshd/auth.log"
seed sshd campus "$td/campus/ws-lab1-07.auth.log"
seed dovecot mail "$td/login/dovecot/mail.log"
seed freeradius-detail detail "$td/login/freeradius-detail/detail-20260423" 80
seed freeradius-detail radius-log "$td/login/freeradius-detail/radius.log"
seed windows-security xml "$td/login/windows-security/security.xml" 80
seed windows-security winlogbeat "$td/login/windows-security/winlogbeat.ndjson" 10
bytes utmp wtmp "$td/login/utmp/wtmp" 2304
bytes utmp btmp "$td/login/utmp/btmp" 1536
bytes utmp s390x "$td/login/utmp/wtmp.s390x" 2400
mkdir -p "$out/wtmpdb" && cp "$td/login/wtmpdb/wtmp.db" "$out/wtmpdb/wtmp.db"
seed openvpn log "$td/login/openvpn/openvpn.log"
seed openvpn syslog "$td/login/openvpn/syslog"
seed openvpn ctime "$td/login/openvpn/ctime.log"
seed strongswan syslog "$td/login/strongswan/charon.log"
seed strongswan rfc5424 "$td/login/strongswan/charon-rfc5424.log"
seed fortigate-vpn sample "$td/login/fortigate-vpn/fortigate-vpn.log"
seed utmpdump wtmp "$td/login/utmpdump/wtmp.txt"
seed utmpdump btmp "$td/login/utmpdump/btmp.txt"
for f in last-F.txt last-Faxw.txt last-short.txt last-x-iso.txt lastb-F.txt; do
  seed last "$f" "$td/login/last/$f"
done

seed csv people "$td/owner/people.csv"
seed passwd passwd "$td/owner/passwd"
seed ldif people "$td/owner/people.ldif" 60
seed address-register fixed-ip "$td/owner/fixed-ip.txt"
seed device-register devices "$td/owner/devices.txt"

seed squid access "$td/proxy/squid-access.log"
seed squid campus "$td/campus/squid/access.log"
seed clf vhost "$td/proxy/apache-vhost-combined.log"
seed clf xff "$td/proxy/nginx-combined-xff.log"
seed zeek-http tsv "$td/proxy/zeek-http.log"
seed zeek-http json "$td/proxy/zeek-http.json"

seed postfix sample "$td/smtp/postfix/maillog"
seed postfix campus "$td/campus/mail/maillog"
seed sendmail sample "$td/smtp/sendmail/maillog"
seed exim mainlog "$td/smtp/exim/mainlog"
seed exim rejectlog "$td/smtp/exim/rejectlog"
seed exim syslog "$td/smtp/exim/syslog"
seed exchange-msgtrack sample "$td/smtp/exchange-msgtrack/MSGTRK2026042315-1.LOG"
seed zeek-smtp tsv "$td/smtp/zeek-smtp/smtp.log"
seed zeek-smtp json "$td/smtp/zeek-smtp/smtp.json"

mkdir -p "$out/time" "$out/query" "$out/rows" "$out/mail-header" "$out/sources" "$out/input"
cat >"$out/time/forms" <<'T'
2026-04-23T16:19:00+01:00
2026-04-23 16:19:00.123456 Europe/London
2026-03-29 01:30:00
2026-10-25 01:30:00
@1777000000.5
90s
1h30m
Apr 23 16:19:00
<134>1 2026-04-23T15:19:00.003Z fw1 dhcpd 123 - - DHCPACK on 10.0.0.5
<166>Apr 23 2026 16:19:00: %ASA-6-305011: Built dynamic TCP translation
Thu, 23 Apr 2026 16:19:00 +0100 (BST)
1777000000.123456
T
cat >"$out/query/forms" <<'T'
192.0.2.7:40123
[2001:db8::7]:443
2001:db8::/32
00:11:22:aa:bb:cc
ws-lab1-07
tcp
https://www.example.com:443/path?q=1#frag
.example.com
<abc@mx1.campus.example.org>
4Bv5fZ1x2Kz3
alice@campus.example.org
T
cp "$td"/queries/*.csv "$td"/queries/*.json "$td"/queries/*.jsonl "$out/rows/"
printf 'ip\tport\ttime\n192.0.2.7\t40123\t2026-10-24 10:00:30 +01:00\n' >"$out/rows/nat.tsv"
printf 'time\tip\nat\t10.0.0.5\n' >"$out/rows/bad-time.tsv"
cp "$td"/campus/mail/header-*.txt "$out/mail-header/"
cp "$td/campus/sources.toml" "$out/sources/campus.toml"
cp "$td/owner/sources.toml" "$out/sources/owner.toml"
head -n 20 "$td/campus/dhcpd.log" >"$out/input/plain"
printf 'a\r\nb\n\nlast line without newline' >"$out/input/crlf"
head -n 10 "$td/campus/dhcpd.log" | gzip -n >"$out/input/one.gz"
{ head -n 5 "$td/campus/dhcpd.log" | gzip -n; tail -n 5 "$td/campus/dhcpd.log" | gzip -n; } \
  >"$out/input/members.gz"
head -n 10 "$td/campus/dhcpd.log" | zstd -q -c >"$out/input/one.zst"
mkdir -p "$out/scan"
head -n 40 "$td/campus/asa.log" >"$out/scan/asa"
head -n 40 "$td/campus/asa.log" | gzip -n >"$out/scan/asa.gz"
head -n 20 "$td/campus/dhcpd.log" >"$out/scan/dhcpd"
echo "seeds: $(find "$out" -type f | wc -l) files, $(du -sk "$out" | cut -f1) KiB"

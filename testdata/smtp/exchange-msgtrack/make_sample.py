#!/usr/bin/env python3
"""Writes MSGTRK2026042315-1.LOG: a hand-made Exchange 2016 message tracking
log (documentation addresses and names only). Rows are given as field dicts so
that the columns cannot shift; run it from this folder."""
import csv, io

FIELDS = ("date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
          "connector-id,source,event-id,internal-message-id,message-id,network-message-id,"
          "recipient-address,recipient-status,total-bytes,recipient-count,"
          "related-recipient-address,reference,message-subject,sender-address,return-path,"
          "message-info,directionality,tenant-id,original-client-ip,original-server-ip,"
          "custom-data,transport-traffic-type,log-id,schema-version").split(",")

ROWS = [
    # Alice submits from OWA over IPv6: STOREDRIVER RECEIVE on the mailbox server.
    {"date-time": "2026-04-23T15:19:00.123Z", "client-ip": "198.51.100.5",
     "client-hostname": "MBX1.example.org", "server-ip": "198.51.100.5", "server-hostname": "MBX1",
     "source-context": "ClientSubmitTime:2026-04-23T15:18:59.900Z", "source": "STOREDRIVER",
     "event-id": "RECEIVE", "internal-message-id": "72057594037927937",
     "message-id": "<a1@example.org>", "network-message-id": "0b7099ea-cb95-4a1e-9d1b-08de5f139ac8",
     "recipient-address": "bob@example.net;carol@example.net", "total-bytes": "5120",
     "recipient-count": "2", "message-subject": 'Budget, Q2 "final"',
     "sender-address": "alice@example.org", "return-path": "alice@example.org",
     "directionality": "Originating", "original-client-ip": "2001:db8::42",
     "original-server-ip": "198.51.100.5", "transport-traffic-type": "Email",
     "schema-version": "15.01.2507.039"},
    {"date-time": "2026-04-23T15:19:00.200Z", "source": "AGENT", "event-id": "AGENTINFO",
     "internal-message-id": "72057594037927937", "message-id": "<a1@example.org>",
     "server-hostname": "MBX1", "sender-address": "alice@example.org",
     "custom-data": "S:CompCost=|ETR=0;S:DeliveryPriority=Normal"},
    # Sent on to the next hop; the remote Exchange names its own InternalId.
    {"date-time": "2026-04-23T15:19:01.500Z", "client-ip": "198.51.100.5",
     "client-hostname": "MBX1", "server-ip": "203.0.113.25",
     "server-hostname": "mx.example.net",
     "source-context": ";250 2.6.0 <a1@example.org> [InternalId=9513821300000, Hostname=MX.example.net] 5120 bytes in 0.101, Queued mail for delivery;ClientSubmitTime:",
     "connector-id": "Internet Send", "source": "SMTP", "event-id": "SEND",
     "internal-message-id": "72057594037927937", "message-id": "<a1@example.org>",
     "recipient-address": "bob@example.net", "recipient-status": "250 2.1.5 Recipient OK",
     "total-bytes": "5120", "recipient-count": "1", "message-subject": 'Budget, Q2 "final"',
     "sender-address": "alice@example.org", "return-path": "alice@example.org"},
    # The other recipient is deferred, then fails.
    {"date-time": "2026-04-23T15:19:02.000Z", "server-hostname": "MBX1", "source": "SMTP",
     "event-id": "DEFER", "internal-message-id": "72057594037927937",
     "message-id": "<a1@example.org>", "recipient-address": "carol@example.net",
     "recipient-status": "451 4.4.0 DNS query failed", "total-bytes": "5120",
     "recipient-count": "1", "sender-address": "alice@example.org",
     "return-path": "alice@example.org"},
    {"date-time": "2026-04-24T15:19:02.000Z", "server-hostname": "MBX1", "source": "SMTP",
     "event-id": "FAIL", "internal-message-id": "72057594037927937",
     "message-id": "<a1@example.org>", "recipient-address": "carol@example.net",
     "recipient-status": "550 4.4.7 QUEUE.Expired; message expired", "total-bytes": "5120",
     "recipient-count": "1", "sender-address": "alice@example.org",
     "return-path": "alice@example.org"},
    {"date-time": "2026-04-24T15:19:02.100Z", "server-hostname": "MBX1", "source": "DSN",
     "event-id": "DSN", "internal-message-id": "72057594037927950",
     "message-id": "<dsn1@MBX1.example.org>", "recipient-address": "alice@example.org",
     "recipient-status": "550 4.4.7 QUEUE.Expired; message expired", "total-bytes": "9000",
     "recipient-count": "1", "reference": "<a1@example.org>",
     "sender-address": "postmaster@example.org", "return-path": "<>"},
    # Mail from the Internet, proxied by the Front End Transport service.
    {"date-time": "2026-04-23T16:00:00.000Z", "client-ip": "198.51.100.5",
     "client-hostname": "MBX1.example.org", "server-ip": "198.51.100.5",
     "server-hostname": "MBX1", "source-context": "08DE1DB12C345BE5;2026-04-23T15:59:59.800Z;0",
     "connector-id": "MBX1\\Default MBX1", "source": "SMTP", "event-id": "RECEIVE",
     "internal-message-id": "72057594037927990", "message-id": "<b2@example.com>",
     "recipient-address": "alice@example.org;dave@example.org", "total-bytes": "20480",
     "recipient-count": "2", "message-subject": "Invoice",
     "sender-address": "billing@example.com", "return-path": "bounce+77@example.com",
     "original-client-ip": "203.0.113.77", "original-server-ip": "198.51.100.5",
     "custom-data": "S:ProxyHop1=MBX1.example.org(198.51.100.5);S:ProxiedClientIPAddress=203.0.113.77;S:ProxiedClientHostname=mail.example.com;S:DeliveryPriority=Normal"},
    {"date-time": "2026-04-23T16:00:00.400Z", "source": "ROUTING", "event-id": "TRANSFER",
     "server-hostname": "MBX1", "internal-message-id": "72057594037927991",
     "message-id": "<b2@example.com>", "recipient-address": "dave@example.org",
     "reference": "72057594037927990", "total-bytes": "20480", "recipient-count": "1",
     "sender-address": "billing@example.com", "return-path": "bounce+77@example.com"},
    {"date-time": "2026-04-23T16:00:01.000Z", "client-ip": "198.51.100.5",
     "client-hostname": "MBX1.example.org", "server-ip": "198.51.100.6",
     "server-hostname": "MBX1", "source": "STOREDRIVER", "event-id": "DELIVER",
     "internal-message-id": "72057594037927990", "message-id": "<b2@example.com>",
     "recipient-address": "alice@example.org", "recipient-status": "250 2.1.5 Recipient OK",
     "total-bytes": "20480", "recipient-count": "1", "message-subject": "Invoice",
     "sender-address": "billing@example.com", "return-path": "bounce+77@example.com"},
]

out = io.StringIO()
out.write("#Software: Microsoft Exchange Server\r\n#Version: 15.01.2507.039\r\n"
          "#Log-type: Message Tracking Log\r\n#Date: 2026-04-23T15:19:00.000Z\r\n"
          "#Fields: " + ",".join(FIELDS) + "\r\n")
w = csv.writer(out, lineterminator="\r\n")
for r in ROWS:
    w.writerow([r.get(f, "") for f in FIELDS])
open("MSGTRK2026042315-1.LOG", "w", newline="").write(out.getvalue())

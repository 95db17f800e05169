#!/usr/bin/env python3
"""Writes dhcp.log (Zeek TSV) and dhcp.json.log (Zeek JSON lines) from the
made-up transactions below. Run from this directory: python3 make_samples.py"""
import datetime as dt
import json


def ts(h, m, s, frac=0.0):
    return dt.datetime(2026, 4, 23, h, m, s, tzinfo=dt.timezone.utc).timestamp() + frac


NAMES = ['ts', 'uids', 'client_addr', 'server_addr', 'mac', 'host_name', 'client_fqdn',
         'domain', 'requested_addr', 'assigned_addr', 'lease_time', 'client_message',
         'server_message', 'msg_types', 'duration']
TYPES = ['time', 'set[string]', 'addr', 'addr', 'string', 'string', 'string', 'string',
         'addr', 'addr', 'interval', 'string', 'string', 'vector[string]', 'interval']

# One row per transaction, in the order Zeek writes them (when they end).
ROWS = [
    (ts(7, 2, 41, 0.118327), ['CwFs1c3Yh0cXzlZ4T1', 'CjV2oK1zGvtyFx1bha'], None, '10.20.0.1',
     'a4:bb:6d:3c:2f:10', 'ws-lab1-07', None, 'corp.example', '10.20.3.44', '10.20.3.44',
     43200.0, None, None, ['DISCOVER', 'OFFER', 'REQUEST', 'ACK'], 1.029664),
    (ts(8, 15, 0, 0.401220), ['C7ukRw2dqGvM4hJd3j'], '10.20.3.9', '10.20.0.1',
     '00:1b:21:0a:4f:02', 'printer-2', None, None, None, None, None, None, None,
     ['INFORM', 'ACK'], 0.001876),
    (ts(13, 2, 42, 0.009911), ['CqWb5X3fTmGm1sYkQb'], '10.20.3.44', '10.20.0.1',
     'a4:bb:6d:3c:2f:10', 'ws-lab1-07', None, None, None, '10.20.3.44', 43200.0, None, None,
     ['REQUEST', 'ACK'], 0.000734),
    (ts(15, 40, 10, 0.250007), ['C1qDPx4qVw5lbCYiZ9'], None, '10.20.0.1', '3c:22:fb:90:11:5a',
     None, None, None, '192.168.1.23', None, None, None, 'wrong network', ['REQUEST', 'NAK'],
     0.000512),
    (ts(16, 31, 9, 0.774410), ['CqWb5X3fTmGm1sYkQb'], '10.20.3.44', None, 'a4:bb:6d:3c:2f:10',
     'ws-lab1-07', None, None, None, None, None, None, None, ['RELEASE'], 0.0),
    (ts(16, 45, 0, 0.061102), ['CmTnY61MiRcaB0Ph0f'], None, '10.20.0.1', '3c:22:fb:90:11:5a',
     'jdoe-mbp', 'jdoe-mbp.corp.example', 'corp.example', '10.20.3.44', '10.20.3.44', 43200.0,
     None, None, ['DISCOVER', 'OFFER', 'REQUEST', 'ACK'], 1.012730),
    (ts(16, 50, 3, 0.5), ['Cx7oNe4GqzP2QhVw6c'], None, None, 'f0:18:98:aa:01:02', None, None,
     None, None, None, None, None, None, ['DISCOVER'], 0.0),
]


def tsv(v):
    if v is None:
        return '-'
    if isinstance(v, list):
        return ','.join(v) if v else '(empty)'
    if isinstance(v, float):
        return '%.6f' % v
    return v


with open('dhcp.log', 'w') as f:
    f.write('#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n')
    f.write('#path\tdhcp\n#open\t2026-04-23-07-00-00\n')
    f.write('#fields\t' + '\t'.join(NAMES) + '\n')
    f.write('#types\t' + '\t'.join(TYPES) + '\n')
    for row in ROWS:
        f.write('\t'.join(tsv(v) for v in row) + '\n')
    f.write('#close\t2026-04-24-00-00-00\n')

with open('dhcp.json.log', 'w') as f:
    for row in ROWS:
        obj = {k: v for k, v in zip(NAMES, row) if v is not None}
        f.write(json.dumps(obj, separators=(',', ':')) + '\n')

#!/usr/bin/env python3
"""A query's answer must not depend on the other queries it is asked with.

    python3 batch_alone.py BIN_DIR [--queries N] [--only NAME]

For each case below, a set of queries goes to a tool once as one batch on
standard input, then each query on its own, and the rows must be the same
field for field (compared by name: a row alone omits the columns of hops it
never reached). A batch and a single query take different paths through the
tools: one or a few addresses are prefiltered (other lines read for their
time only), many are not; a login batch keeps the sessions of every key,
one query those of its own. Differences found this way so far: a VPN
session's start and addresses (e1567ef), a malformed line's time in the
coverage (3d96595), the lines settling a DST fold (ba89a6b).

Queries come from the logs themselves: every key `trace-cat` finds in a
case's logs (addresses, MACs, host names; public address and port for NAT)
at each event's time and an hour, a minute and a second either side, a
seeded sample of them. Also the sample campus's queries through trace-ip,
and simulated sites (tests/sim) across the October DST change and across
New Year.

Exit status 0 when every case agrees, 1 when one differs (its rows shown),
2 when a tool cannot be run.
"""
import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.normpath(os.path.join(HERE, '..', '..', 'testdata'))

# (tool, zone, folder under testdata, logs[, queries]): keys and times from
# the logs; the campus's DHCP logs (a DST fold, a malformed line, rotated
# and compressed files) with more queries than the default.
LOG_CASES = [
    ('trace-login', 'Europe/London', 'login/openvpn', ['openvpn.log']),
    ('trace-login', 'Europe/London', 'login/openvpn', ['ctime.log']),
    ('trace-login', 'UTC', 'login/openvpn', ['restart.log'], 150),
    ('trace-login', 'Europe/London', 'login/freeradius-detail', ['detail-fold'], 150),
    ('trace-login', 'Europe/London', 'login/openvpn', ['syslog']),
    ('trace-login', 'Europe/London', 'login/strongswan', ['charon.log']),
    ('trace-login', 'Europe/London', 'login/strongswan', ['charon-rfc5424.log']),
    ('trace-login', 'Europe/London', 'login/freeradius-detail', ['detail-20260423']),
    ('trace-login', 'Europe/London', 'login/freeradius-detail', ['radius.log']),
    ('trace-login', 'Europe/London', 'login/fortigate-vpn', ['fortigate-vpn.log']),
    ('trace-login', 'Europe/London', 'login/sshd', ['auth.log']),
    ('trace-login', 'Europe/London', 'login/dovecot', ['mail.log']),
    ('trace-login', 'UTC', 'login/utmp', ['wtmp']),
    ('trace-login', 'UTC', 'login/last', ['last-F.txt']),
    ('trace-login', 'UTC', 'login/windows-security', ['security.xml']),
    ('trace-login', 'UTC', 'login/wtmpdb', ['wtmp.db']),
    ('trace-lease', 'Europe/London', 'campus', ['dhcpd.log', 'dhcpd.log.1', 'dhcpd.log.2.gz'], 400),
    ('trace-lease', 'Europe/London', 'dhcp/fold-iso', ['dhcpd.log'], 300),
    ('trace-lease', 'UTC', 'dhcp/dnsmasq', ['dnsmasq.log']),
    ('trace-lease', 'UTC', 'dhcp/inform', ['dhcpd.log']),
    ('trace-lease', 'UTC', 'dhcp/rename', ['dhcpd.log']),
    ('trace-lease', 'UTC', 'dhcp/kea', ['kea-leases4.csv']),
    ('trace-lease', 'UTC', 'dhcp/windows-dhcp', ['DhcpSrvLog-Thu.log']),
    ('trace-lease', 'UTC', 'dhcp/zeek', ['dhcp.log']),
    ('trace-nat', 'Europe/London', 'campus', ['asa.log']),
    ('trace-nat', 'UTC', 'nat/cgnat-port-block', ['junos-pba.log']),
    ('trace-nat', 'UTC', 'nat/conntrack', ['conntrack-events.log']),
    ('trace-nat', 'UTC', 'nat/fortigate', ['fortigate.log']),
    ('trace-nat', 'UTC', 'nat/paloalto', ['pan-traffic.log']),
]


def run(cmd, stdin_text=None, cwd=None, env=None):
    try:
        return subprocess.run(cmd, input=stdin_text, capture_output=True, text=True, cwd=cwd,
                              env=env)
    except OSError as e:
        print(f'cannot run {cmd[0]}: {e}')
        sys.exit(2)


def rows(cmd, text, cwd, env):
    """The rows of a tool's TSV answer, each as its non-empty fields."""
    r = run(cmd + ['-o', 'tsv'], text, cwd, env)
    out = r.stdout.splitlines()
    if not out:
        return [(('(exit status)', str(r.returncode)), ('(stderr)', r.stderr.strip()))]
    head = out[0].split('\t')
    return [tuple(sorted((k, v) for k, v in zip(head, line.split('\t')) if v)) for line in out[1:]]


def compare(name, cmd, head, lines, cwd, env):
    """Batch vs one at a time; returns the number of queries that differ."""
    batch = rows(cmd, '\n'.join([head] + lines) + '\n', cwd, env)
    alone = []
    for line in lines:
        alone.extend(rows(cmd, head + '\n' + line + '\n', cwd, env))
    bad = 0
    if len(batch) != len(alone):
        print(f'{name}: {len(batch)} rows in the batch, {len(alone)} asked one at a time')
        bad += 1
    for i, (a, b) in enumerate(zip(batch, alone)):
        if a == b:
            continue
        bad += 1
        if bad > 3:
            continue
        da, db = dict(a), dict(b)
        print(f'{name}: row {i + 1} differs (query {lines[min(i, len(lines) - 1)]!r}):')
        for k in sorted(set(da) | set(db)):
            if da.get(k) != db.get(k):
                print(f'  {k}\n    batch: {da.get(k)!r}\n    alone: {db.get(k)!r}')
    print(f'{name}: {len(lines)} queries, {"all the same" if not bad else f"{bad} differ"}')
    return bad


def log_case(tool, zone, folder, logs, n, env, scratch):
    cwd = os.path.join(TESTDATA, folder)
    # A sources file naming the logs with their zone and the year of their
    # year-less dates (the samples' narrative year): not the checkout's
    # mtime, which would move a fold night off the dates in a later year.
    config = os.path.join(scratch, f'{tool}-{folder.replace("/", "-")}-{logs[0]}.toml')
    with open(config, 'w') as f:
        paths = ', '.join('"' + os.path.join(cwd, l) + '"' for l in logs)
        f.write(f'[[source]]\nname = "sample"\nfiles = [{paths}]\ntz = "{zone}"\nyear = 2026\n')
    args = ['--tz', zone, '--config', config]
    cat = run(['trace-cat'] + args + ['-o', 'tsv'], cwd=cwd, env=env)
    lines = cat.stdout.splitlines()
    if cat.returncode != 0 or not lines:
        print(f'{folder}: trace-cat read nothing ({cat.stderr.strip()})')
        return 1
    head = lines[0].split('\t')
    events = [dict(zip(head, l.split('\t'))) for l in lines[1:]]
    keys, times = set(), set()
    for e in events:
        if tool == 'trace-lease':
            for k in ('ip', 'mac', 'host'):
                if e.get(k):
                    keys.add((k, e[k], ''))
        elif tool == 'trace-nat':
            if e.get('ip'):
                keys.add(('ip', e['ip'], e.get('port', '')))
                keys.add(('ip', e['ip'], ''))
        else:
            if e.get('host'):
                keys.add(('host', e['host'], ''))
            if e.get('from_ip'):
                keys.add(('ip', e['from_ip'], ''))
            for a in e.get('assigned_ip', '').split(','):
                if a:
                    keys.add(('ip', a, ''))
            if e.get('mac'):
                keys.add(('mac', e['mac'], ''))
        if e.get('time'):
            t = dt.datetime.fromisoformat(e['time'].replace('Z', '+00:00'))
            for d in (-3600, -60, -1, 0, 1, 60, 3600):
                times.add(t + dt.timedelta(seconds=d))
    queries = [(k, t.strftime('%Y-%m-%dT%H:%M:%SZ')) for k in sorted(keys) for t in sorted(times)]
    random.Random(f'{tool} {folder} {logs}').shuffle(queries)
    queries = queries[:n]
    if tool == 'trace-nat':
        qhead = 'time\tip\tport'
        qlines = [f'{t}\t{k[1]}\t{k[2]}' for k, t in queries]
    else:
        cols = ['ip', 'mac', 'host']
        qhead = 'time\t' + '\t'.join(cols)
        qlines = [t + '\t' + '\t'.join(k[1] if k[0] == c else '' for c in cols) for k, t in queries]
    return compare(f'{tool} {folder}/{",".join(logs)}', [tool] + args, qhead, qlines, cwd, env)


def query_file_case(name, cmd, cwd, path, n, env):
    with open(path) as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    body = lines[1:]
    random.Random(name).shuffle(body)
    return compare(name, cmd, lines[0], body[:n], cwd, env)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('bin_dir')
    ap.add_argument('--queries', type=int, default=40, help='queries per log case (default 40)')
    ap.add_argument('--only', help='run the cases whose name contains this')
    a = ap.parse_args()
    env = dict(os.environ, PATH=os.path.abspath(a.bin_dir) + os.pathsep + os.environ['PATH'],
               TZ='UTC', LC_ALL='C', HOME='/nonexistent')
    for var in ('TRACEKIT_TZ', 'TRACEKIT_CONFIG', 'TRACEKIT_PREFILTER'):
        env.pop(var, None)
    bad = 0
    with tempfile.TemporaryDirectory() as scratch:
        for tool, zone, folder, logs, *n in LOG_CASES:
            if a.only and a.only not in f'{tool} {folder}':
                continue
            bad += log_case(tool, zone, folder, logs, n[0] if n else a.queries, env, scratch)
    campus = os.path.join(TESTDATA, 'campus')
    if not a.only or 'campus' in a.only:
        bad += query_file_case('trace-ip campus', ['trace-ip', '--config', 'sources.toml'], campus,
                               os.path.join(campus, 'queries.tsv'), 100, env)
    if not a.only or 'sim' in a.only:
        # Across New Year (year-less syslog dates whose year rolls over).
        with tempfile.TemporaryDirectory() as site:
            gen = run([sys.executable, os.path.join(HERE, '..', 'sim', 'gen_site.py'), '--seed',
                       '1', '--out', site], env=env)
            if gen.returncode != 0:
                print(f'gen_site.py failed: {gen.stderr.strip()}')
                return 2
            bad += query_file_case('trace-ip sim site 1 (New Year)',
                                   ['trace-ip', '--config', 'sources.toml'], site,
                                   os.path.join(site, 'queries-ip.tsv'), 2 * a.queries, env)
        with tempfile.TemporaryDirectory() as site:
            gen = run([sys.executable, os.path.join(HERE, '..', 'sim', 'gen_site.py'), '--seed',
                       '3', '--period', 'dst', '--out', site], env=env)
            if gen.returncode != 0:
                print(f'gen_site.py failed: {gen.stderr.strip()}')
                return 2
            cfg = ['--config', 'sources.toml']
            bad += query_file_case('trace-ip sim site 3 (DST)', ['trace-ip'] + cfg, site,
                                   os.path.join(site, 'queries-ip.tsv'), 3 * a.queries, env)
            bad += query_file_case('trace-url sim site 3 (DST)', ['trace-url'] + cfg, site,
                                   os.path.join(site, 'queries-url.tsv'), a.queries, env)
            bad += query_file_case('trace-mail sim site 3 (DST)', ['trace-mail'] + cfg, site,
                                   os.path.join(site, 'queries-mail.tsv'), a.queries, env)
    print('batch_alone: ' + ('every answer the same alone and in a batch' if not bad else
                             f'{bad} answers differ'))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

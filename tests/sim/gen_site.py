#!/usr/bin/env python3
"""Generates a simulated site whose truth is known, for tracekit's accuracy test.

    python3 gen_site.py --seed 1 --out DIR [--period newyear|dst] [--scale N]

Writes into DIR the logs of an invented network (Europe/Berlin) over New Year
2026/27 or over the October 2027 DST change, a sources.toml naming them, the
truth (truth.jsonl: who was behind each connection, request and message) and
the queries with their expected answers (queries.jsonl, and queries-ip.tsv,
queries-url.tsv, queries-mail.tsv as the tools read them). See README.md.

Deterministic: everything comes from random.Random(seed), never the clock;
gzip is written with mtime 0 and no name, zstd as raw blocks (stdlib only), so
the same seed gives byte-identical files. File modification times are set too
(to each log's last line: the year of year-less dates is inferred from them).

How the expectations are made: the generator simulates what happened (the
truth), writes what each device logged (its own clock, lost lines, noise),
and then, for each candidate query, looks at what the logs show around the
time asked the way DESIGN.md says the tools must: half-open intervals, a
window of the query time +- the largest declared skew of the hop's sources, a
lease ending at release, reassignment or last grant + lease time, "gap" where
the logs do not cover the time or the lease time before it. A query is kept
only when its answer does not change with the window shrunk or widened by a
margin, and when that answer agrees with the truth (exact: the true person;
ambiguous: the true person among the candidates). Nothing here runs the tools.
"""
import argparse
import datetime as dt
import gzip
import io
import ipaddress
import json
import os
import random
import struct
import zoneinfo

ZONE = zoneinfo.ZoneInfo("Europe/Berlin")
SITE_TZ = "Europe/Berlin"

# Declared clock uncertainties (sources.toml) and the devices' real offsets.
NAT_OFFSET = 3          # fw1's clock is 3 s fast ...
NAT_SKEW = 4            # ... and sources.toml says skew = "4s"
DHCP_SKEW = 1
SLOW_WS = "ws-lab-06"   # this workstation's clock is 20 s fast ...
SLOW_WS_OFFSET = 20
# ws-lab-08's clock is 8 s slow and sources.toml does not say so: the login
# window (widened by the largest login skew, ws-lab-06's) still covers it.
CLOCK_OFFSETS = {SLOW_WS: SLOW_WS_OFFSET, "ws-lab-08": -8}
# The names two lab machines send dhcpd: a full domain name, capitals. The
# login records name them as their own hostname does.
DHCP_NAMES = {"ws-lab-03": "ws-lab-03.lab.example.org", "ws-lab-05": "WS-LAB-05"}
LOGIN_SKEW = 25         # ... and its source says skew = "25s" (every login match widens by it)
PROXY_SKEW = 1
MAIL_SKEW = 1
LEASE_TIME = 2 * 3600   # dhcpd.conf default-lease-time; clients renew at half
NAT_MAX_SILENCE = 3600
DHCP_MAX_SILENCE = 90 * 60
MARGIN = 60             # clear margin around the window for an "exact" query


def local(y, mo, d, h=0, mi=0, s=0):
    """Local wall time in the site's zone -> epoch seconds (UTC)."""
    return int(dt.datetime(y, mo, d, h, mi, s, tzinfo=ZONE).timestamp())


def lt(t):
    return dt.datetime.fromtimestamp(t, ZONE)


def rfc3339(t):
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def bsd(t):
    """Syslog BSD date, year-less, space-padded day: 'Jan  2 07:00:01'."""
    d = lt(t)
    return f"{d.strftime('%b')} {d.day:2d} {d.strftime('%H:%M:%S')}"


def asa_date(t):
    d = lt(t)
    return d.strftime("%b %d %Y %H:%M:%S")


# The period the site runs over. "newyear": year-less syslog dates across New
# Year. "dst": the last weekend of October 2027, when the clocks go back
# (31 October, 03:00 CEST -> 02:00 CET: local times 02:00-02:59 happen twice).
PERIODS = {
    "newyear": dict(days=[(2026, 12, 30), (2026, 12, 31), (2027, 1, 1), (2027, 1, 2)],
                    holiday=(2027, 1, 1), short=(2026, 12, 31), reuse="2027-01-01"),
    "dst": dict(days=[(2027, 10, 29), (2027, 10, 30), (2027, 10, 31), (2027, 11, 1)],
                holiday=(2027, 10, 31), short=(2027, 10, 30), reuse="2027-10-31"),
}


def set_period(name):
    """Sets the period's times (module globals: every part of the generator
    reads them)."""
    global PERIOD, DAYS, START, END, DHCP_LOST, NAT_LOG_END, HOLIDAY, SHORT_DAY, REUSE_DATE, \
        FOLD, YEAR, CGN_LOST, CGN_LOG_END
    PERIOD = name
    p = PERIODS[name]
    DAYS = p["days"]
    HOLIDAY, SHORT_DAY, REUSE_DATE = p["holiday"], p["short"], p["reuse"]
    YEAR = DAYS[0][0]                       # the year of the first year-less date
    START = local(*DAYS[0], 6, 0)           # the site's logs begin (DHCP, NAT, RADIUS)
    END = local(*DAYS[-1], 22, 0)           # everything stops
    # dhcpd lines of this period were lost (the syslog relay was down).
    DHCP_LOST = (local(*DAYS[-1], 11, 0), local(*DAYS[-1], 14, 0))
    # fw1's log ends here (the rest of the evening was never shipped).
    NAT_LOG_END = local(*DAYS[-1], 18, 30)
    # cgn-1's lines of this period were lost; its log ends before fw1's (so the
    # NAT logs together still end at fw1's end).
    CGN_LOST = (local(*DAYS[0], 14, 0), local(*DAYS[0], 16, 30))
    CGN_LOG_END = local(*DAYS[-1], 17, 0)
    # The repeated hour, in UTC (none in the New Year period).
    FOLD = (int(dt.datetime(2027, 10, 31, 0, 0, tzinfo=dt.timezone.utc).timestamp()),
            int(dt.datetime(2027, 10, 31, 2, 0, tzinfo=dt.timezone.utc).timestamp())) \
        if name == "dst" else (0, 0)


set_period("newyear")

PUBLIC_IPS = ["203.0.113.5", "203.0.113.6"]
# cgn-1: a carrier-grade NAT (Juniper MX, secured port block allocation) in
# front of the wireless network: each laptop gets a block of ports on one of
# these addresses while it is there, logged JSERVICES_NAT_PORT_BLOCK_ALLOC /
# _ACTIVE (every 10 minutes) / _RELEASE.
CGN_IPS = ["198.51.100.7", "198.51.100.8"]
CGN_FIRST_PORT = 1024
CGN_BLOCK = 512           # ports per block
CGN_BLOCKS_PER_IP = 4     # 1024-1535, 1536-2047, 2048-2559, 2560-3071
CGN_SKEW = 2              # declared; its clock is right (fw1's 4 s is the widest NAT skew)
CGN_INTERIM = 600         # pba-interim-logging-interval
CGN_MAX_SILENCE = 3600
PORT_BASE, PORT_COUNT = 20000, 400   # a small PAT pool, so ports are reused
ADMIN_IP = "10.30.0.30"
MON_IP = "10.30.9.20"
NAS_IP = "10.30.0.5"

FIRST = ["Anna", "Ben", "Carla", "David", "Elif", "Felix", "Greta", "Hugo", "Ines", "Jonas",
         "Katja", "Lars", "Mira", "Nils", "Olga", "Paul", "Rosa", "Sven", "Tara", "Uwe",
         "Vera", "Wim", "Xenia", "Yusuf", "Zoe", "Arne", "Bea", "Cem", "Dora", "Emil"]
LAST = ["Albers", "Brandt", "Cordes", "Dietz", "Eckert", "Frey", "Gross", "Haas", "Imhof",
        "Jung", "Kraus", "Lenz", "Mohr", "Naumann", "Ott", "Pohl", "Quast", "Roth", "Seidel",
        "Thiel", "Ulrich", "Vogt", "Wolf", "Zeller", "Arndt", "Busch", "Conrad", "Dahl"]


def date_epoch(s):
    y, m, d = map(int, s.split("-"))
    return local(y, m, d)


def valid(p, t):
    lo = date_epoch(p["valid_from"]) if p["valid_from"] else None
    hi = date_epoch(p["valid_to"]) if p["valid_to"] else None
    return (lo is None or lo <= t) and (hi is None or t < hi)


def mac_of(kind, n):
    return f"52:54:00:30:{kind:02x}:{n:02x}"


def overlaps(a0, a1, b0, b1):
    return a0 < b1 and b0 < a1


# ---------------------------------------------------------------------- writers
def write_file(path, data, mtime=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if path.endswith(".gz"):
        buf = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as g:
            g.write(data)
        data = buf.getvalue()
    elif path.endswith(".zst"):
        data = zstd_raw(data)
    with open(path, "wb") as f:
        f.write(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def lines_bytes(lines):
    return "".join(l + "\n" for l in lines).encode()


def zstd_raw(data):
    """A zstd frame of raw (stored) blocks: Python's standard library has no
    zstd compressor, and every decoder reads raw blocks (RFC 8878, 3.1.1.2)."""
    out = bytearray(struct.pack("<I", 0xFD2FB528))
    out.append(0x00)      # frame header descriptor: no content size, checksum or dictionary
    out.append(7 << 3)    # window descriptor: 2^(10+7) = 128 KiB, the largest block
    step = 128 * 1024
    chunks = [data[i:i + step] for i in range(0, len(data), step)] or [b""]
    for k, c in enumerate(chunks):
        hdr = (1 if k == len(chunks) - 1 else 0) | (0 << 1) | (len(c) << 3)  # raw block
        out += struct.pack("<I", hdr)[:3] + c
    return bytes(out)


def wtmp_record(kind, pid, line, ident, user, host, t, addr=""):
    """glibc x86_64 struct utmp, 384 bytes (see testdata/campus/make-wtmp.py)."""
    sec = int(t)
    usec = min(int(round((t - sec) * 1e6)), 999999)
    packed = ipaddress.ip_address(addr).packed if addr else b""
    rec = struct.pack("<hxxi32s4s32s256shhiii16s20x", kind, pid, line.encode(), ident.encode(),
                      user.encode(), host.encode(), 0, 0, 0, sec, usec, packed.ljust(16, b"\0"))
    assert len(rec) == 384
    return rec


# ------------------------------------------------------------------------ site
class Site:
    def __init__(self, seed, scale):
        self.rng = random.Random(seed)
        self.seed = seed
        self.scale = scale
        self.people = []
        self.hosts = {}          # name -> dict(kind, mac, ip(fixed), log: auth|wtmp|None)
        self.presences = []      # who used which host when (truth)
        self.sessions = {}       # host -> [dict(user, start, end, place, tty, from)] (truth)
        self.visits = []         # laptop visits (truth)
        self.dhcp_events = []    # dict(t, action, ip, mac, host) as they happened
        self.holding = {}        # ip -> [dict(mac, host, start, end)] real use of the address
        self.translations = []   # dict(inside_ip, inside_port, pub_ip, pub_port, start, end, ...)
        self.requests = []       # proxy requests (truth)
        self.messages = []       # mail submissions (truth)
        self.pid = 3000

    def next_pid(self):
        self.pid += self.rng.randint(3, 40)
        return self.pid

    # -------------------------------------------------------------- people
    def make_people(self):
        rng = self.rng
        names = [(f, l) for f in FIRST for l in LAST]
        rng.shuffle(names)
        used = set()
        for f, l in names:
            if len(self.people) >= 30 + 6 * (self.scale - 1):
                break
            login = (f[0] + l).lower()
            if login in used:
                continue
            used.add(login)
            n = len(self.people) + 1
            staff = n <= 10
            self.people.append(dict(
                id=("E" if staff else "S") + str(3000 + n), login=login, name=f"{f} {l}",
                email=f"{f.lower()}.{l.lower()}@example.org",
                unit=rng.choice(["Physics", "Computing", "History", "Mathematics", "Chemistry"]),
                valid_from="2020-09-01" if staff else "2025-10-01", valid_to=""))
        self.people.append(dict(id="E2999", login="itadmin", name="Ida Admin",
                                email="it@example.org", unit="IT Services", valid_from="",
                                valid_to=""))
        # Logins reused by another person: two long ago, and one on New Year's
        # Day (the old holder's row ends, the new holder's begins, on 1 January).
        for k, until in enumerate(["2024-03-31", "2025-07-31", REUSE_DATE]):
            p = self.people[12 + 3 * k]
            old = dict(p, id=f"X{9000 + k}", name=f"Former {p['name'].split()[1]}",
                       email=f"former{k}@example.org",
                       valid_from="2019-01-01" if k < 2 else "2025-10-01", valid_to=until)
            p["valid_from"] = until
            self.people.append(old)
        self.by_login = {}
        for p in self.people:
            self.by_login.setdefault(p["login"], []).append(p)
        self.students = [p["login"] for p in self.people[10:30 + 6 * (self.scale - 1)]]

    def person_at(self, login, t):
        key = login.split("@")[0].lower()
        rows = [p for p in self.by_login.get(key, []) if valid(p, t)]
        return rows[0] if len(rows) == 1 else None

    # --------------------------------------------------------------- hosts
    def make_hosts(self):
        n_lab = 8 * self.scale
        for i in range(1, n_lab + 1):
            name = f"ws-lab-{i:02d}"
            self.hosts[name] = dict(kind="lab", mac=mac_of(3, i), log="auth" if i % 2 else "wtmp")
        self.offices = []
        for k in range(4):
            name = f"ws-office-{11 + k}"
            owner = self.people[k]["login"]
            self.hosts[name] = dict(kind="office", mac="", ip=f"10.30.5.{11 + k}", log="auth",
                                    owner=owner, room=f"B{1 + k}.{10 + k}")
            self.offices.append(name)
        self.laptops = []
        for k in range(6 * self.scale):
            owner = self.people[4 + k]["login"] if k < 6 else self.rng.choice(self.students)
            name = f"lt-{owner}" if k < 6 else f"lt-{k:03d}"
            self.hosts[name] = dict(kind="laptop", mac=mac_of(8, k + 1), log=None, owner=owner)
            self.laptops.append(name)

    # ------------------------------------------------------------ schedules
    def day_window(self, day, h0, h1):
        y, m, d = day
        return local(y, m, d, h0), local(y, m, d, h1)

    def make_lab_sessions(self):
        rng = self.rng
        self.handovers = []   # (host, t_logout, t_login, new_user)
        for host, h in sorted(self.hosts.items()):
            if h["kind"] != "lab":
                continue
            sess = []
            for day in DAYS:
                t, close = self.day_window(day, 8, 20)
                t += rng.randint(0, 1800)
                while True:
                    dur = rng.randint(20 * 60, 150 * 60)
                    if t + dur > close:
                        break
                    who = rng.choice([s for s in self.students if self.person_at(s, t)])
                    sess.append(dict(user=who, start=t, end=t + dur, place="local", tty=":0",
                                     frm=""))
                    if rng.random() < 0.15:
                        gap = rng.randint(4, 12)      # the next user sits down at once
                        self.handovers.append((host, t + dur, t + dur + gap))
                    else:
                        gap = rng.randint(3 * 60, 40 * 60)
                    t = t + dur + gap
                # The administrator checks the machine over ssh now and then.
                if rng.random() < 0.4:
                    a0, a1 = self.day_window(day, 9, 18)
                    s0 = rng.randint(a0, a1)
                    sess.append(dict(user="itadmin", start=s0, end=s0 + rng.randint(300, 900),
                                     place="remote", tty="pts/0", frm=ADMIN_IP))
            sess.sort(key=lambda s: s["start"])
            self.sessions[host] = sess

    def make_office_sessions(self):
        rng = self.rng
        for host in self.offices:
            owner = self.hosts[host]["owner"]
            sess = []
            for day in DAYS:
                if day == HOLIDAY:
                    continue   # a holiday: the offices are empty
                a, _ = self.day_window(day, 8, 8)
                end_h = 13 if day == SHORT_DAY else 17
                _, b = self.day_window(day, end_h, end_h)
                s0 = a + rng.randint(0, 3600)
                sess.append(dict(user=owner, start=s0, end=b + rng.randint(0, 3600),
                                 place="local", tty=":0", frm=""))
            self.sessions[host] = sess

    def make_visits(self):
        rng = self.rng
        for k, host in enumerate(self.laptops):
            owner = self.hosts[host]["owner"]
            for day in DAYS:
                slots = []
                if k == 0 and day == DAYS[-1]:
                    # Arrives while dhcpd's lines are being lost: its lease is unknowable.
                    slots.append((local(*day, 12, 10), local(*day, 15, 40)))
                else:
                    a, b = self.day_window(day, 8, 18)
                    s0 = rng.randint(a, b - 3600)
                    slots.append((s0, s0 + rng.randint(3600, 4 * 3600)))
                    if rng.random() < 0.3:
                        s1 = slots[0][1] + rng.randint(1800, 3 * 3600)
                        if s1 + 3600 < self.day_window(day, 21, 21)[0]:
                            slots.append((s1, s1 + rng.randint(1800, 3 * 3600)))
                for s0, s1 in slots:
                    self.visits.append(dict(host=host, user=owner, start=s0, end=s1,
                                            release=rng.random() < 0.5, ip=None))
        self.visits.sort(key=lambda v: v["start"])

    # ------------------------------------------------------------------ DHCP
    def run_dhcp(self):
        """dhcpd's behaviour: a client gets back its previous address when free,
        else the lowest free one; an address is free when released or expired."""
        rng = self.rng
        pools = {"lab": [f"10.30.3.{10 + i}" for i in range(8 * self.scale + 4)],
                 "laptop": [f"10.30.8.{10 + i}" for i in range(8 * self.scale)]}
        state = {}        # ip -> dict(mac, host, expires, released)
        last_ip = {}      # mac -> ip
        actions = []      # (t, order, kind, host)
        for host, h in sorted(self.hosts.items()):
            if h["kind"] != "lab":
                continue
            boot = START + rng.randint(60, 1200)
            # Nightly update reboots (between 03:00 and 05:00), and two machines
            # rebooted at midday on 2 January, while dhcpd's lines were lost.
            reboots = []
            for day in DAYS[1:]:
                if rng.random() < 0.5:
                    a, b = self.day_window(day, 3, 5)
                    reboots.append(rng.randint(a, b))
            if host in ("ws-lab-01", "ws-lab-02"):
                r = local(*DAYS[-1], 12, 0) + (0 if host == "ws-lab-01" else 240)
                reboots.append(r)
                self.sessions[host] = [s for s in self.sessions[host]
                                       if not overlaps(s["start"], s["end"], r - 900, r + 900)]
            reboots.sort()
            h["reboots"] = reboots
            actions.append((boot, 0, "boot", host))
            for r in reboots:
                actions.append((r, 1, "release", host))
                actions.append((r + rng.randint(70, 110), 0, "boot", host))
        for v in self.visits:
            # The laptop associates (802.1X) and asks for an address a few seconds later.
            actions.append((v["start"] + rng.randint(2, 6), 0, "arrive", v))
            actions.append((v["end"], 1, "leave", v))
        actions.sort(key=lambda a: (a[0], a[1]))
        # Renewals are generated as the run goes: a client renews at half its lease.
        import heapq
        heap = [(a[0], a[1], i, a[2], a[3]) for i, a in enumerate(actions)]
        heapq.heapify(heap)
        seq = len(heap)
        current = {}   # host -> (ip, generation)
        gen = {}
        while heap:
            t, _, _, kind, who = heapq.heappop(heap)
            if t >= END:
                continue
            if kind in ("boot", "arrive"):
                host = who if kind == "boot" else who["host"]
                h = self.hosts[host]
                pool = pools["lab" if h["kind"] == "lab" else "laptop"]
                mac = h["mac"]

                def free(ip):
                    s = state.get(ip)
                    return s is None or s["released"] or s["expires"] <= t or s["mac"] == mac
                ip = last_ip.get(mac)
                if ip is None or not free(ip):
                    ip = next((x for x in pool if free(x)), None)
                if ip is None:
                    self.dhcp_events.append(dict(t=t, action="nofree", ip="", mac=mac, host=host))
                    continue
                self.grant(state, ip, mac, host, t, "new")
                last_ip[mac] = ip
                gen[host] = gen.get(host, 0) + 1
                current[host] = (ip, gen[host])
                if kind == "arrive":
                    who["ip"] = ip
                seq += 1
                heapq.heappush(heap, (t + LEASE_TIME // 2 + rng.randint(-30, 30), 2, seq, "renew",
                                      (host, gen[host])))
            elif kind == "renew":
                host, g = who
                if current.get(host, (None, -1))[1] != g:
                    continue   # the client released or left since
                ip = current[host][0]
                self.grant(state, ip, self.hosts[host]["mac"], host, t, "renew")
                seq += 1
                heapq.heappush(heap, (t + LEASE_TIME // 2 + rng.randint(-30, 30), 2, seq, "renew",
                                      (host, g)))
            elif kind in ("release", "leave"):
                host = who if kind == "release" else who["host"]
                if host not in current:
                    continue
                ip = current.pop(host)[0]
                mac = self.hosts[host]["mac"]
                self.end_holding(ip, t)
                if kind == "release" or who["release"]:
                    state[ip]["released"] = True
                    self.dhcp_events.append(dict(t=t, action="release", ip=ip, mac=mac,
                                                 host=host))
        for ip, hs in self.holding.items():
            for x in hs:
                if x["end"] is None:
                    x["end"] = END

    def grant(self, state, ip, mac, host, t, how):
        state[ip] = dict(mac=mac, host=host, expires=t + LEASE_TIME, released=False)
        self.dhcp_events.append(dict(t=t, action=how, ip=ip, mac=mac, host=host))
        hs = self.holding.setdefault(ip, [])
        if how == "new":
            hs.append(dict(mac=mac, host=host, start=t, end=None))

    def end_holding(self, ip, t):
        for x in self.holding.get(ip, []):
            if x["end"] is None:
                x["end"] = t

    def ip_of(self, host, t):
        h = self.hosts[host]
        if h["kind"] == "office":
            return h["ip"]
        for ip, hs in self.holding.items():
            for x in hs:
                if x["host"] == host and x["start"] <= t < x["end"]:
                    return ip
        return None

    # ------------------------------------------------------------- presence
    def make_presences(self):
        """Who sat at which machine when: the truth every query is checked against."""
        for host, sess in sorted(self.sessions.items()):
            for s in sess:
                if s["user"] == "itadmin":
                    continue    # the admin's ssh sessions make no traffic of their own here
                self.presences.append(dict(host=host, user=s["user"], start=s["start"],
                                           end=s["end"]))
        for v in self.visits:
            if v["ip"]:
                self.presences.append(dict(host=v["host"], user=v["user"], start=v["start"] + 10,
                                           end=v["end"]))
        self.presences.sort(key=lambda p: (p["start"], p["host"]))

    # ------------------------------------------------------------------- NAT
    def run_nat(self):
        rng = self.rng
        wanted = []   # (start, dur, inside_ip, host, user, kind)
        for p in self.presences:
            t = p["start"] + rng.randint(30, 600)
            while t < p["end"] - 30:
                ip = self.ip_of(p["host"], t)
                dur = rng.choice([rng.randint(3, 60), rng.randint(60, 900)])
                if ip and t + dur < p["end"] - 5 and self.ip_of(p["host"], t + dur) == ip:
                    wanted.append(dict(start=t, dur=dur, ip=ip, host=p["host"], user=p["user"],
                                       kind="user"))
                t += rng.randint(4 * 60, 30 * 60) // self.scale
        # The monitoring server, all day and night (and the lab machines' night
        # updates, made with nobody logged in).
        t = START + 120
        while t < END:
            wanted.append(dict(start=t, dur=rng.randint(2, 30), ip=MON_IP, host="mon-1", user=None,
                               kind="background"))
            t += rng.randint(6 * 60, 14 * 60)
        for host, h in sorted(self.hosts.items()):
            if h["kind"] != "lab":
                continue
            for day in DAYS[1:]:
                a, b = self.day_window(day, 2, 6)
                t0 = rng.randint(a, b)
                ip = self.ip_of(host, t0)
                if ip and self.ip_of(host, t0 + 120) == ip and not any(
                        s["start"] - 60 < t0 + 120 and t0 - 60 < s["end"]
                        for s in self.sessions[host]):
                    wanted.append(dict(start=t0, dur=rng.randint(20, 90), ip=ip, host=host,
                                       user=None, kind="update"))
        # The repeated hour of the DST change: night updates in both passes.
        if FOLD[0]:
            for host, h in sorted(self.hosts.items()):
                if h["kind"] != "lab":
                    continue
                for half in (0, 1):
                    t0 = rng.randint(FOLD[0] + 3600 * half + 60, FOLD[0] + 3600 * half + 3400)
                    ip = self.ip_of(host, t0)
                    if ip and self.ip_of(host, t0 + 120) == ip:
                        wanted.append(dict(start=t0, dur=rng.randint(20, 90), ip=ip, host=host,
                                           user=None, kind="update"))
        # Designed port reuse: a translation ends and the same public port goes
        # to another inside host one second later (inside fw1's skew window).
        self.reuse_pairs = []
        cands = [w for w in wanted if w["kind"] == "user" and w["dur"] >= 60]
        rng.shuffle(cands)
        for w in cands:
            if len(self.reuse_pairs) >= 6 * self.scale:
                break
            t = w["start"]
            others = [x for x in self.presences
                      if x["host"] != w["host"] and x["start"] + 60 < t - 120 and t + 120 < x["end"]
                      and self.ip_of(x["host"], t - 120) and
                      self.ip_of(x["host"], t - 120) == self.ip_of(x["host"], t)]
            if not others:
                continue
            x = rng.choice(others)
            prev = dict(start=t - rng.randint(30, 100), ip=self.ip_of(x["host"], t), host=x["host"],
                        user=x["user"], kind="user")
            prev["dur"] = t - prev["start"]   # ends in the very second the next one starts
            w["reuse_of"] = prev
            wanted.append(prev)
            self.reuse_pairs.append((prev, w))
        wanted.sort(key=lambda w: w["start"])
        # Allocation: a random free port of the pool, except the designed reuses.
        busy = {}   # (pub_ip, port) -> end
        forced = {}
        for w in wanted:
            if "reuse_of" in w:
                forced[id(w["reuse_of"])] = w
        for w in wanted:
            t = w["start"]
            if "pub" in w:
                pub, port = w["pub"]
            else:
                while True:
                    pub = rng.choice(PUBLIC_IPS)
                    port = PORT_BASE + rng.randrange(PORT_COUNT)
                    # Not within 30 s of its last use (keeps accidental reuse
                    # out of the skew window; the designed ones are above).
                    if busy.get((pub, port), 0) + 30 < t:
                        break
            if id(w) in forced:
                forced[id(w)]["pub"] = (pub, port)
            busy[(pub, port)] = max(busy.get((pub, port), 0), t + w["dur"])
            tr = dict(inside_ip=w["ip"], inside_port=rng.randint(49152, 65000), pub_ip=pub,
                      pub_port=port, start=t, end=t + w["dur"], host=w["host"], user=w["user"],
                      kind=w["kind"], dst=f"198.51.100.{rng.randint(20, 250)}",
                      dport=rng.choice([443, 443, 443, 80, 22, 993]), conn=rng.randint(10000, 999999),
                      with_conn=rng.random() < 0.3, reuse="reuse_of" in w)
            self.translations.append(tr)

    # ------------------------------------------------------------ proxy, mail
    WORDS = ["news", "wiki", "docs", "shop", "maps", "video", "forum", "blog", "status", "files"]

    def run_proxy_mail(self):
        rng = self.rng
        n = 0
        for p in self.presences:
            t = p["start"] + rng.randint(60, 900)
            while t < p["end"] - 60:
                ip = self.ip_of(p["host"], t)
                if ip:
                    n += 1
                    url = (f"http://{rng.choice(self.WORDS)}.example.{rng.choice(['com', 'net'])}"
                           f"/{rng.choice(self.WORDS)}/{self.seed}-{n}.html")
                    self.requests.append(dict(client=ip, host=p["host"], user=p["user"], url=url,
                                              end=t + rng.randint(0, 999) / 1000,
                                              elapsed=rng.randint(40, 1500), kind="user"))
                    if rng.random() < 0.1:
                        mid = f"<{lt(t).strftime('%Y%m%d%H%M%S')}.{n:05d}@{p['host']}.example.org>"
                        self.messages.append(dict(client=ip, host=p["host"], user=p["user"],
                                                  t=t + rng.randint(5, 40), msgid=mid, n=n))
                t += rng.randint(10 * 60, 50 * 60) // self.scale
        # Designed: the same page fetched by two clients a second apart.
        self.shared_urls = []
        users = [r for r in self.requests if r["kind"] == "user"]
        rng.shuffle(users)
        for r in users[:4 * self.scale]:
            others = [p for p in self.presences if p["host"] != r["host"] and
                      p["start"] + 120 < r["end"] < p["end"] - 120 and self.ip_of(p["host"], r["end"])]
            if not others:
                continue
            o = rng.choice(others)
            twin = dict(client=self.ip_of(o["host"], r["end"]), host=o["host"], user=o["user"],
                        url=r["url"], end=r["end"] + 0.4, elapsed=100, kind="twin")
            self.requests.append(twin)
            self.shared_urls.append((r, twin))
        # The admin station's package updates: the proxy is never silent for long.
        t = START + 300
        while t < END:
            self.requests.append(dict(client=ADMIN_IP, host="admin", user=None,
                                      url="http://deb.debian.org/debian/dists/bookworm/InRelease",
                                      end=t + 0.25, elapsed=60, kind="background"))
            t += rng.randint(15 * 60, 35 * 60)
        self.requests.sort(key=lambda r: r["end"])
        self.messages.sort(key=lambda m: m["t"])

    # ----------------------------------------------------------- handovers
    def add_handover_connections(self):
        """A connection made seconds after a quick change of user at a lab
        machine: closer than the login clocks' uncertainty (LOGIN_SKEW)."""
        for host, t_out, t_in in self.handovers:
            ip = self.ip_of(host, t_in)
            if not ip or self.ip_of(host, t_in + 70) != ip:
                continue
            new = next((s for s in self.sessions[host] if s["start"] == t_in), None)
            if new is None:
                continue
            port = PORT_BASE + PORT_COUNT + len(self.translations) % 200  # outside the pool
            self.translations.append(dict(
                inside_ip=ip, inside_port=self.rng.randint(49152, 65000), pub_ip=PUBLIC_IPS[0],
                pub_port=port, start=t_in + 3, end=t_in + 63, host=host, user=new["user"],
                kind="user", dst="198.51.100.99", dport=443, conn=self.rng.randint(10000, 999999),
                with_conn=False, reuse=False, handover=True))

    # ================================================================ logs
    # ----------------------------------------------------------------- CGNAT
    def in_fold(self, t):
        """Whether t's local time is one the DST change repeats (avoided in
        cgn-1's lines, whose stamps are local and zone-less)."""
        return bool(FOLD[0]) and FOLD[0] - 3600 <= t < FOLD[1] + 600

    def cgn_simulate(self, rng, forced):
        """Port blocks given to the laptops, from the visits: allocated when a
        laptop's first connection goes out, released when its last one
        closes. `forced`: {visit index: (alloc time, take the block released
        last)}."""
        reqs = []   # (t, order, kind, visit index, ip)
        for k, v in enumerate(self.visits):
            if not v["ip"]:
                continue
            a = v["start"] + rng.randint(30, 300)
            a = forced[k][0] if k in forced else a
            r = v["end"] - rng.randint(10, 120)
            ip = self.ip_of(v["host"], a)
            if not ip or self.ip_of(v["host"], r - 1) != ip or r <= a + 60 or \
                    self.in_fold(a) or self.in_fold(r):
                continue
            reqs.append((a, 1, "alloc", k, ip))
            reqs.append((r, 0, "release", k, ip))
        reqs.sort(key=lambda x: (x[0], x[1], x[3]))
        blocks = [(pub, CGN_FIRST_PORT + i * CGN_BLOCK) for pub in CGN_IPS
                  for i in range(CGN_BLOCKS_PER_IP)]
        free = list(blocks)
        last_released = None
        held = {}
        allocs = []
        for t, _, kind, k, ip in reqs:
            v = self.visits[k]
            if kind == "alloc":
                if not free:
                    continue
                if k in forced and forced[k][1] and last_released in free:
                    b = last_released
                else:
                    b = rng.choice(sorted(free))
                free.remove(b)
                al = dict(pub=b[0], first=b[1], last=b[1] + CGN_BLOCK - 1, inside=ip,
                          host=v["host"], user=v["user"], visit=k, start=t, end=None)
                held[k] = al
                allocs.append(al)
            elif k in held:
                al = held.pop(k)
                al["end"] = t
                b = (al["pub"], al["first"])
                free.append(b)
                last_released = b
        for al in held.values():
            al["end"] = END
        return allocs

    def run_cgnat(self):
        rng = random.Random(self.seed * 104729 + 3)   # its own: the rest of the site is unchanged
        seed2 = rng.random()
        allocs = self.cgn_simulate(random.Random(seed2), {})
        # One block released and given to another laptop one second later
        # (within the NAT skew window): the release of a laptop still there
        # (its lease and RADIUS session run on), and another laptop present
        # around it whose allocation is moved there.
        self.cgn_reuse = None
        for a in sorted(allocs, key=lambda x: x["end"]):
            r = a["end"]
            if r >= CGN_LOG_END - 3600 or r < START + 2 * 3600 or \
                    any(CGN_LOST[0] - 3600 <= x <= CGN_LOST[1] + 3600 for x in (r,)):
                continue
            for b in allocs:
                v = self.visits[b["visit"]]
                if b["host"] != a["host"] and b["start"] < r and v["start"] + 60 < r \
                        and v["end"] > r + 1800 and self.ip_of(b["host"], r + 1) == b["inside"] \
                        and not self.in_fold(r):
                    trial = self.cgn_simulate(random.Random(seed2), {b["visit"]: (r + 1, True)})
                    mine = [x for x in trial if x["visit"] == b["visit"]]
                    prev = [x for x in trial if x["visit"] == a["visit"] and x["end"] == r]
                    if mine and prev and (mine[0]["pub"], mine[0]["first"]) == \
                            (prev[0]["pub"], prev[0]["first"]) and mine[0]["start"] == r + 1:
                        allocs = trial
                        self.cgn_reuse = (prev[0], mine[0])
                        break
            if self.cgn_reuse:
                break
        if not self.cgn_reuse:
            allocs = self.cgn_simulate(random.Random(seed2), {})
        self.cgn_allocs = allocs

    def write_cgnat(self, out):
        rng = random.Random(self.seed * 104729 + 5)
        ev = []   # (time, order, text, event for the view or None)
        sset = "{cgn-sset}[jservices-nat]"

        def pic(t):
            return f"(FPC Slot 1, PIC Slot 0) {lt(t).strftime('%Y-%m-%d %H:%M:%S')}: {sset}: "

        for al in self.cgn_allocs:
            blk = f"{al['inside']} -> {al['pub']}:{al['first']}-{al['last']} " \
                  f"0x{rng.randrange(1 << 31):08x}"
            key = (al["pub"], al["first"], al["inside"])
            ev.append((al["start"], 1, pic(al["start"]) + "JSERVICES_NAT_PORT_BLOCK_ALLOC: " + blk,
                       ("open", key)))
            t = al["start"] + CGN_INTERIM
            while t < al["end"]:
                if not self.in_fold(t):
                    ev.append((t, 2, pic(t) + "JSERVICES_NAT_PORT_BLOCK_ACTIVE: " + blk,
                               ("open", key)))
                t += CGN_INTERIM
            ev.append((al["end"], 0, pic(al["end"]) + "JSERVICES_NAT_PORT_BLOCK_RELEASE: " + blk,
                       ("close", key)))
        # The monitoring server logs in every 15-25 minutes (the device's only
        # lines at night), and an operator commits a change now and then.
        t = START + rng.randint(0, 300)
        while t < END:
            if not self.in_fold(t):
                ev.append((t, 3, f"sshd[{rng.randint(2000, 30000)}]: Accepted publickey for nagios "
                                 f"from {MON_IP} port {rng.randint(32768, 60999)} ssh2", None))
                if rng.random() < 0.05:
                    ev.append((t + 40, 3, "mgd[4411]: UI_COMMIT: User 'ops' requested 'commit' "
                                          "operation (comment: none)", None))
            t += rng.randint(15 * 60, 25 * 60)
        ev = [x for x in ev if x[0] < CGN_LOG_END and not CGN_LOST[0] <= x[0] < CGN_LOST[1]]
        ev.sort(key=lambda x: (x[0], x[1]))
        # Coverage is what the NAT's own lines show (tracekit counts a format's
        # lines, not other programs' lines in the same syslog: a shared log
        # whose cron lines run on says nothing about a NAT that fell silent).
        self.cgn_cover_times = [x[0] for x in ev if x[3] is not None]
        # The view: translations as DESIGN.md and trace-nat(1) build them,
        # per mapping (public address, block, subscriber), in log order: an
        # allocation (or interim line) runs to the release, or to the next
        # allocation of the same mapping, or (none) to the end of time; a
        # release with no allocation before it starts at its file's first line.
        first_line = ev[0][0]
        self.cgn_last_line = ev[-1][0]
        groups = {}
        for t, _, _, e in ev:
            if e:
                groups.setdefault(e[1], []).append((e[0], t))
        self.cgn_logged = []
        for (pub, first, inside), evs in groups.items():
            cur = None
            for kind, t in evs:
                if kind == "open":
                    if cur is not None:
                        self.cgn_logged.append(dict(pub=pub, first=first, inside=inside,
                                                    start=cur, end=t))
                    cur = t
                else:
                    self.cgn_logged.append(dict(pub=pub, first=first, inside=inside,
                                                start=cur if cur is not None else first_line,
                                                end=t))
                    cur = None
            if cur is not None:
                # Open to the end of the logs (trace-nat(1); DESIGN.md's
                # sessions "end at the end of the log, open-ended"): past
                # its last line the log cannot say.
                self.cgn_logged.append(dict(pub=pub, first=first, inside=inside, start=cur,
                                            end=self.cgn_last_line + 1, open=True))
        text = [f"{bsd(t)} cgn-1 {txt}" for t, _, txt, _ in ev]
        write_file(os.path.join(out, "cgn", "cgn-1.log"), lines_bytes(text), mtime=ev[-1][0])

    def write_logs(self, out):
        rng = self.rng
        self.files = {}
        self.write_dhcp(out)
        self.write_nat(out)
        self.write_cgnat(out)
        self.write_logins(out)
        self.write_radius(out)
        self.write_squid(out)
        self.write_mail(out)
        self.write_directory(out)

    def write_dhcp(self, out):
        rng = self.rng
        lines = []   # (t, text, counts_for_coverage)
        pid = 811
        lines.append((START - 5, f"dhcp1 dhcpd[{pid}]: Internet Systems Consortium DHCP Server 4.4.3-P1", 1))
        lines.append((START - 5, f"dhcp1 dhcpd[{pid}]: Wrote 0 leases to leases file.", 1))
        lines.append((START - 4, f"dhcp1 dhcpd[{pid}]: Server starting service.", 1))
        for e in self.dhcp_events:
            relay = "10.30.8.1" if e["ip"].startswith("10.30.8.") or e["host"].startswith("lt-") \
                else "10.30.0.1"
            who = f"{e['mac']} ({DHCP_NAMES.get(e['host'], e['host'])})"
            t = e["t"]
            if e["action"] == "new":
                lines.append((t - 1, f"dhcp1 dhcpd[{pid}]: DHCPDISCOVER from {who} via {relay}", 1))
                lines.append((t - 1, f"dhcp1 dhcpd[{pid}]: DHCPOFFER on {e['ip']} to {who} via {relay}", 1))
                lines.append((t, f"dhcp1 dhcpd[{pid}]: DHCPREQUEST for {e['ip']} (10.30.0.2) from {who} via {relay}", 1))
                lines.append((t, f"dhcp1 dhcpd[{pid}]: DHCPACK on {e['ip']} to {who} via {relay}", 1))
            elif e["action"] == "renew":
                lines.append((t, f"dhcp1 dhcpd[{pid}]: DHCPREQUEST for {e['ip']} from {who} via {relay}", 1))
                lines.append((t, f"dhcp1 dhcpd[{pid}]: DHCPACK on {e['ip']} to {who} via {relay}", 1))
            elif e["action"] == "release":
                lines.append((t, f"dhcp1 dhcpd[{pid}]: DHCPRELEASE of {e['ip']} from {who} via {relay} (found)", 1))
            elif e["action"] == "nofree":
                lines.append((t, f"dhcp1 dhcpd[{pid}]: DHCPDISCOVER from {who} via 10.30.8.1: network 10.30.8.0/24: no free leases", 1))
        # Noise: the hourly lease-file write, and cron (another program: foreign).
        t = START + 3600
        while t < END:
            lines.append((t, f"dhcp1 dhcpd[{pid}]: Wrote {rng.randint(10, 30)} leases to leases file.", 1))
            lines.append((t + 17, f"dhcp1 CRON[{rng.randint(2000, 9000)}]: (root) CMD (run-parts /etc/cron.hourly)", 0))
            t += 3600
        # A damaged line (an address out of range): counted, reported, passed over.
        lines.append((START + 30 * 3600 + 7, f"dhcp1 dhcpd[{pid}]: DHCPACK on 10.30.3.300 to "
                      f"52:54:00:30:03:99 (ws-lab-99) via 10.30.0.1", 0))
        lines.sort(key=lambda x: x[0])
        kept = [x for x in lines if not (DHCP_LOST[0] <= x[0] < DHCP_LOST[1])]
        self.dhcp_cover_times = [x[0] for x in kept if x[2]]
        # Logged view of the leases: what the written lines show.
        self.dhcp_logged = [dict(e, host=DHCP_NAMES.get(e["host"], e["host"]))
                            for e in self.dhcp_events
                            if not (DHCP_LOST[0] <= e["t"] < DHCP_LOST[1]) and e["action"] != "nofree"]
        # Rotated daily at 06:25 (Debian's cron.daily): each file but the
        # first crosses midnight, and dhcpd.log.1 crosses New Year.
        cuts = [local(*d, 6, 25) for d in DAYS[1:]]
        names = ["dhcpd.log.3.zst", "dhcpd.log.2.gz", "dhcpd.log.1", "dhcpd.log"]
        bounds = [START - 3600] + cuts + [END + 3600]
        prev_tail = []
        for k, name in enumerate(names):
            part = [x for x in kept if bounds[k] <= x[0] < bounds[k + 1]]
            text = [f"{bsd(t)} {txt}" for t, txt, _ in part]
            # logrotate's copytruncate: lines written while the file was
            # copied are in both the rotated file and the new one.
            text, prev_tail = prev_tail + text, text[-3:]
            # mtime: when the file was last written (rotation time, or the end).
            write_file(os.path.join(out, "dhcp", name), lines_bytes(text),
                       mtime=min(bounds[k + 1], END))

    def write_nat(self, out):
        rng = self.rng
        ev = []   # (logged time, order, text)
        off = NAT_OFFSET
        ev.append((START - 60 + off, 0, "%ASA-6-199005: Startup begin"))
        self.nat_logged = []
        for tr in self.translations:
            a = f"inside:{tr['inside_ip']}/{tr['inside_port']}"
            b = f"outside:{tr['pub_ip']}/{tr['pub_port']}"
            s, e = tr["start"] + off, tr["end"] + off
            if s >= NAT_LOG_END:
                continue
            ev.append((s, 1, f"%ASA-6-305011: Built dynamic TCP translation from {a} to {b}"))
            if tr["with_conn"]:
                ev.append((s, 2, f"%ASA-6-302013: Built outbound TCP connection {tr['conn']} for "
                                 f"outside:{tr['dst']}/{tr['dport']} ({tr['dst']}/{tr['dport']}) to "
                                 f"{a} ({tr['pub_ip']}/{tr['pub_port']})"))
            d = tr["end"] - tr["start"]
            dur = f"{d // 3600}:{d // 60 % 60:02d}:{d % 60:02d}"
            logged_end = None
            if e < NAT_LOG_END:
                if tr["with_conn"]:
                    ev.append((e, 0, f"%ASA-6-302014: Teardown TCP connection {tr['conn']} for "
                                     f"outside:{tr['dst']}/{tr['dport']} to {a} duration {dur} "
                                     f"bytes {rng.randint(500, 900000)} TCP FINs"))
                ev.append((e, 1, f"%ASA-6-305012: Teardown dynamic TCP translation from {a} to {b} "
                                 f"duration {dur}"))
                logged_end = e
            self.nat_logged.append(dict(pub=(tr["pub_ip"], tr["pub_port"]), inside=tr["inside_ip"],
                                        start=s, end=logged_end if logged_end else s + 3600))
        t = START + rng.randint(60, 600)
        while t < END:
            ev.append((t, 3, f"%ASA-4-106023: Deny tcp src outside:203.0.113.{rng.randint(100, 200)}/"
                             f"{rng.randint(1024, 65000)} dst inside:10.30.3.{rng.randint(10, 30)}/445 "
                             f"by access-group \"outside_in\" [0x0, 0x0]"))
            t += rng.randint(5 * 60, 40 * 60)
        ev = [x for x in ev if x[0] < NAT_LOG_END]
        ev.sort(key=lambda x: (x[0], x[1]))
        self.nat_cover_times = [x[0] for x in ev]
        # Rotated at midnight, named by the day of rotation (logrotate's dateext).
        cuts = [local(*d) for d in DAYS[1:]]
        names = [f"asa.log-{y}{m:02d}{d:02d}" + (".gz" if k < 2 else "")
                 for k, (y, m, d) in enumerate(DAYS[1:])] + ["asa.log"]
        bounds = [START - 7200] + cuts + [END + 3600]
        prev_tail = []
        for k, name in enumerate(names):
            part = [f"{asa_date(t)} fw1 : {txt}" for t, _, txt in ev if bounds[k] <= t < bounds[k + 1]]
            part, prev_tail = prev_tail + part, part[-2:]   # copytruncate, as for dhcpd
            write_file(os.path.join(out, "fw", name), lines_bytes(part), mtime=min(bounds[k + 1], END))

    def write_logins(self, out):
        rng = self.rng
        self.login_view = {}    # host -> [dict(user, start, end)] as logged
        self.login_cover = {}   # host -> (first, last)
        for host, h in sorted(self.hosts.items()):
            if h["log"] is None:
                continue
            off = CLOCK_OFFSETS.get(host, 0)
            view = []
            first = START + rng.randint(60, 600)
            last = END - rng.randint(60, 600)
            sess = sorted(self.sessions.get(host, []), key=lambda s: s["start"])
            for s in sess:
                view.append(dict(user=s["user"], start=s["start"] + off, end=s["end"] + off))
            self.login_view[host] = view
            self.login_cover[host] = (first + off, last + off)
            if h["log"] == "auth":
                ls = []
                ls.append((first, f"sshd[{self.next_pid()}]: Failed password for invalid user admin from "
                                  f"198.51.100.{rng.randint(2, 250)} port {rng.randint(30000, 60000)} ssh2"))
                for s in sess:
                    if s["place"] == "local":
                        uid = 1000 + sum(map(ord, s["user"])) % 900
                        ls.append((s["start"], f"gdm-password]: pam_unix(gdm-password:session): session opened for user {s['user']}(uid={uid}) by (uid=0)"))
                        ls.append((s["end"], f"gdm-password]: pam_unix(gdm-password:session): session closed for user {s['user']}"))
                    else:
                        pid = self.next_pid()
                        port = rng.randint(40000, 60000)
                        ls.append((s["start"], f"sshd[{pid}]: Accepted publickey for {s['user']} from {s['frm']} port {port} ssh2: ED25519 SHA256:c2ltdWxhdGVkS2V5Rm9yVHJhY2VraXQwMDAwMDA"))
                        ls.append((s["start"], f"sshd[{pid}]: pam_unix(sshd:session): session opened for user {s['user']}(uid=1500) by (uid=0)"))
                        ls.append((s["end"], f"sshd[{pid}]: Received disconnect from {s['frm']} port {port}:11: disconnected by user"))
                        ls.append((s["end"], f"sshd[{pid}]: pam_unix(sshd:session): session closed for user {s['user']}"))
                # Noise: password guessing from outside, cron (foreign).
                for _ in range(rng.randint(3, 8)):
                    t = rng.randint(first + 60, last - 60)
                    pid = self.next_pid()
                    src = f"203.0.113.{rng.randint(100, 250)}"
                    ls.append((t, f"sshd[{pid}]: Invalid user oracle from {src} port 4{rng.randint(1000, 9999)}"))
                    ls.append((t + 2, f"sshd[{pid}]: Failed password for invalid user oracle from {src} port 4{rng.randint(1000, 9999)} ssh2"))
                    ls.append((t + 3, f"sshd[{pid}]: Connection closed by invalid user oracle {src} port 4{rng.randint(1000, 9999)} [preauth]"))
                    ls.append((t + 30, f"CRON[{self.next_pid()}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"))
                ls.append((last, f"sshd[{self.next_pid()}]: Failed password for invalid user test from "
                                 f"198.51.100.{rng.randint(2, 250)} port {rng.randint(30000, 60000)} ssh2"))
                ls.sort(key=lambda x: x[0])
                text = [f"{bsd(t + off)} {host} {txt}" for t, txt in ls]
                write_file(os.path.join(out, "hosts", host, "auth.log"), lines_bytes(text),
                           mtime=last + off)
            else:
                recs = []   # (t, record args)
                kernel = "6.1.0-28-amd64"
                recs.append((first, (2, 0, "~", "~~", "reboot", kernel)))
                recs.append((first + 5, (1, 53, "~", "~~", "runlevel", kernel)))
                for r in h.get("reboots", []):
                    recs.append((r - 20, (1, 0, "~", "~~", "shutdown", kernel)))
                    recs.append((r + 40, (2, 0, "~", "~~", "reboot", kernel)))
                    recs.append((r + 45, (1, 53, "~", "~~", "runlevel", kernel)))
                for s in sess:
                    pid = self.next_pid()
                    if s["place"] == "local":
                        recs.append((s["start"] + rng.randint(0, 999999) / 1e6,
                                     (7, pid, ":0", ":0", s["user"], ":0")))
                        recs.append((s["end"] + rng.randint(0, 999999) / 1e6,
                                     (8, pid, ":0", "", "", "")))
                    else:
                        recs.append((s["start"] + 0.25, (7, pid, "pts/0", "ts/0", s["user"], s["frm"],
                                                          s["frm"])))
                        recs.append((s["end"] + 0.5, (8, pid, "pts/0", "", "", "")))
                recs.append((last, (1, 0, "~", "~~", "shutdown", kernel)))
                recs.sort(key=lambda x: x[0])
                data = b"".join(wtmp_record(*(r[:6]), t + off, *(r[6:])) for t, r in recs)
                write_file(os.path.join(out, "hosts", host, "wtmp"), data, mtime=last + off)

    def write_radius(self, out):
        rng = self.rng
        blocks = []   # (t, [attribute lines])
        self.radius_view = []
        nas = [f"NAS-IP-Address = {NAS_IP}", 'NAS-Identifier = "wlc-1"']
        blocks.append((START + 60, ["Acct-Status-Type = Accounting-On"] + nas + ["Acct-Delay-Time = 0"]))
        for k, v in enumerate(self.visits):
            h = self.hosts[v["host"]]
            user = v["user"] + "@example.org"
            if v["host"] == self.laptops[1]:
                user = v["user"].capitalize() + "@Example.org"   # typed with capitals
            sid = f"5B{k:06X}"
            mac = h["mac"].upper().replace(":", "-")
            base = [f'User-Name = "{user}"'] + nas + [
                "NAS-Port = 1", "NAS-Port-Type = Wireless-802.11",
                'Called-Station-Id = "02-00-5E-30-08-01:eduroam"', f'Calling-Station-Id = "{mac}"']
            tail = [f'Acct-Session-Id = "{sid}"', "Acct-Authentic = RADIUS", "Acct-Delay-Time = 0"]
            blocks.append((v["start"], ["Acct-Status-Type = Start"] + base + tail))
            ipl = [f"Framed-IP-Address = {v['ip']}"] if v["ip"] else []
            t = v["start"] + 3600
            while t < v["end"]:
                blocks.append((t, ["Acct-Status-Type = Interim-Update"] + base + ipl + tail +
                               [f"Acct-Session-Time = {t - v['start']}"]))
                t += 3600
            blocks.append((v["end"], ["Acct-Status-Type = Stop"] + base + ipl + tail +
                           [f"Acct-Session-Time = {v['end'] - v['start']}",
                            "Acct-Terminate-Cause = " + rng.choice(["User-Request", "Lost-Carrier",
                                                                     "Idle-Timeout"])]))
            self.radius_view.append(dict(user=user, mac=h["mac"], ip=v["ip"], start=v["start"],
                                         end=v["end"], host=v["host"]))
        blocks.append((END - 30, ["Acct-Status-Type = Accounting-Off"] + nas + ["Acct-Delay-Time = 0"]))
        blocks.sort(key=lambda b: b[0])
        self.radius_cover = (blocks[0][0], blocks[-1][0])
        files = {}
        for t, attrs in blocks:
            d = lt(t)
            ev = d.strftime("%b %d %Y %H:%M:%S ") + d.tzname()
            written = t + rng.randint(0, 1)
            text = [lt(written).strftime("%a %b %d %H:%M:%S %Y")]
            text += ["\t" + a for a in attrs]
            text += [f'\tEvent-Timestamp = "{ev}"', f"\tTimestamp = {written}", ""]
            files.setdefault(d.strftime("%Y%m%d"), []).extend(text)
        for day, text in files.items():
            write_file(os.path.join(out, "radius", f"detail-{day}"), lines_bytes(text))

    def write_squid(self, out):
        rng = self.rng
        cut = local(*DAYS[2])
        parts = {"access.log.1": [], "access.log": []}
        for r in self.requests:
            srv = f"198.51.100.{rng.randint(30, 90)}"
            line = (f"{r['end']:.3f} {r['elapsed']:6d} {r['client']} TCP_MISS/200 {rng.randint(300, 90000)} "
                    f"GET {r['url']} - HIER_DIRECT/{srv} text/html")
            parts["access.log.1" if r["end"] < cut else "access.log"].append(line)
        for name, lines in parts.items():
            write_file(os.path.join(out, "proxy", name), lines_bytes(lines))

    def write_mail(self, out):
        rng = self.rng
        ls = [(START - 200, "mx1 postfix/master[1021]: daemon started -- version 3.7.11, configuration /etc/postfix")]
        used = set()

        def qid():
            while True:
                q = "".join(rng.choice("0123456789ABCDEF") for _ in range(11))
                if q not in used:
                    used.add(q)
                    return q
        for m in self.messages:
            q, q2 = qid(), qid()
            pid = self.next_pid()
            t = m["t"]
            ip = m["client"]
            frm = self.person_at(m["user"], t)["email"]
            ls += [(t, f"mx1 postfix/submission/smtpd[{pid}]: connect from unknown[{ip}]"),
                   (t + 1, f"mx1 postfix/submission/smtpd[{pid}]: {q}: client=unknown[{ip}]:{rng.randint(40000, 60000)}, sasl_method=PLAIN, sasl_username={m['user']}"),
                   (t + 1, f"mx1 postfix/cleanup[{pid + 2}]: {q}: message-id={m['msgid']}"),
                   (t + 1, f"mx1 postfix/qmgr[1030]: {q}: from=<{frm}>, size={rng.randint(900, 40000)}, nrcpt=1 (queue active)"),
                   (t + 1, f"mx1 postfix/submission/smtpd[{pid}]: disconnect from unknown[{ip}] ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8"),
                   (t + 2, f"mx1 postfix/smtp[{pid + 3}]: {q}: to=<someone{rng.randint(1, 99)}@example.net>, relay=mx.example.net[198.51.100.26]:25, delay=1.2, delays=0.1/0.01/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as {q2})"),
                   (t + 2, f"mx1 postfix/qmgr[1030]: {q}: removed")]
        # Noise: inbound newsletters, refused relays, anvil statistics.
        t = START + rng.randint(300, 1200)
        while t < END:
            q = qid()
            pid = self.next_pid()
            ls += [(t, f"mx1 postfix/smtpd[{pid}]: connect from mail.example.net[198.51.100.25]"),
                   (t + 1, f"mx1 postfix/smtpd[{pid}]: {q}: client=mail.example.net[198.51.100.25]"),
                   (t + 1, f"mx1 postfix/cleanup[{pid + 1}]: {q}: message-id=<news.{q}@mail.example.net>"),
                   (t + 1, f"mx1 postfix/qmgr[1030]: {q}: from=<news@example.net>, size=5120, nrcpt=1 (queue active)"),
                   (t + 2, f"mx1 postfix/lmtp[{pid + 2}]: {q}: to=<{self.people[rng.randrange(10)]['email']}>, relay=imap1.example.org[10.30.0.12]:24, delay=1.1, delays=0.1/0.01/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Saved)"),
                   (t + 2, f"mx1 postfix/qmgr[1030]: {q}: removed"),
                   (t + 40, f"mx1 postfix/anvil[1401]: statistics: max connection rate 1/60s for (smtp:198.51.100.25) at {bsd(t)}")]
            t += rng.randint(20 * 60, 70 * 60)
        ls.sort(key=lambda x: x[0])
        write_file(os.path.join(out, "mail", "maillog"), lines_bytes(f"{bsd(t)} {x}" for t, x in ls))

    def write_directory(self, out):
        rows = ["login,name,email,employee_id,department,valid_from,valid_to"]
        for p in sorted(self.people, key=lambda p: (p["login"], p["valid_from"])):
            name = f'"{p["name"]}"' if "," in p["name"] else p["name"]
            rows.append(f"{p['login']},{name},{p['email']},{p['id']},{p['unit']},"
                        f"{p['valid_from']},{p['valid_to']}")
        write_file(os.path.join(out, "people.csv"), lines_bytes(rows))
        reg = ["# Fixed addresses, kept by hand by IT Services.",
               "# ADDRESS  HOST  LOGIN  FULL NAME  [key=value ...]"]
        for host in self.offices:
            h = self.hosts[host]
            p = self.person_at(h["owner"], START)
            reg.append(f"{h['ip']}  {host}  {h['owner']}  {p['name']}  unit={p['unit']} id={p['id']} "
                       f"room={h['room']} from=2024-01-15")
        reg.append(f"{MON_IP}  mon-1  -  Monitoring  unit=\"IT Services\"")
        write_file(os.path.join(out, "fixed-ip.txt"), lines_bytes(reg))

    # ====================================================== what the logs show
    def build_views(self):
        # Leases, by DESIGN.md: a lease starts at a grant and ends at its
        # release, the grant of the address to another client, or lease_time
        # after the client's last grant, whichever comes first.
        self.lease_view = {}
        by_ip = {}
        for e in self.dhcp_logged:
            by_ip.setdefault(e["ip"], []).append(e)
        for ip, evs in by_ip.items():
            evs.sort(key=lambda e: e["t"])
            out, cur = [], None
            for e in evs:
                if cur and e["t"] >= cur["last"] + LEASE_TIME:
                    cur["end"] = cur["last"] + LEASE_TIME
                    out.append(cur)
                    cur = None
                if e["action"] in ("new", "renew"):
                    if cur and cur["mac"] != e["mac"]:
                        cur["end"] = e["t"]
                        out.append(cur)
                        cur = None
                    if cur is None:
                        cur = dict(mac=e["mac"], host=e["host"], start=e["t"], last=e["t"])
                    cur["last"] = e["t"]
                elif e["action"] == "release" and cur and cur["mac"] == e["mac"]:
                    cur["end"] = e["t"]
                    out.append(cur)
                    cur = None
            if cur:
                cur["end"] = cur["last"] + LEASE_TIME
                out.append(cur)
            self.lease_view[ip] = out
        self.nat_cover = spans(self.nat_cover_times, NAT_MAX_SILENCE)
        self.cgn_cover = spans(self.cgn_cover_times, CGN_MAX_SILENCE)
        self.dhcp_cover = spans(self.dhcp_cover_times, DHCP_MAX_SILENCE)
        self.nat_by_pub = {}
        for tr in self.nat_logged:
            self.nat_by_pub.setdefault(tr["pub"], []).append(tr)

    # Each hop: (kind, candidates) for a window of +-w around t.
    def nat_hop(self, pub, port, t, w):
        if pub in CGN_IPS:
            # A port block fits every port in it. The logs that must cover the
            # window (and the longest idle timeout before it) are cgn-1's:
            # fw1's say nothing of these addresses.
            c = sorted({tr["inside"] for tr in self.cgn_logged
                        if tr["pub"] == pub and tr["first"] <= port < tr["first"] + CGN_BLOCK
                        and tr["start"] <= t + w and tr["end"] > t - w})
            # A block with no release is open only as far as cgn-1's lines
            # go: in a silence or lost lines it may have been released and
            # given to another subscriber, and nothing would say so.
            covered = any(a <= t - w and t + w <= b for a, b in self.cgn_cover)
            if c and not covered and any(
                    tr.get("open") for tr in self.cgn_logged
                    if tr["pub"] == pub and tr["first"] <= port < tr["first"] + CGN_BLOCK
                    and tr["start"] <= t + w and tr["end"] > t - w):
                return "gap", []
            if c:
                return ("exact" if len(c) == 1 else "ambiguous"), c
            return no_candidate(self.cgn_cover, t, w, 3600), []
        c = sorted({tr["inside"] for tr in self.nat_by_pub.get((pub, port), [])
                    if tr["start"] <= t + w and tr["end"] > t - w})
        if c:
            return ("exact" if len(c) == 1 else "ambiguous"), c
        return no_candidate(self.nat_cover, t, w, 3600), []

    def lease_hop(self, ip, t, w):
        c = {}
        for l in self.lease_view.get(ip, []):
            if l["start"] <= t + w and l["end"] > t - w:
                c[l["mac"]] = (l["host"], l["mac"])
        if c:
            return ("exact" if len(c) == 1 else "ambiguous"), sorted(c.values())
        # No lease: the register of fixed addresses answers (whatever the DHCP
        # logs cover: these addresses are outside the pools).
        for host in self.offices:
            if self.hosts[host]["ip"] == ip:
                return "exact", [(host, "")]
        if ip == MON_IP:
            return "exact", [("mon-1", "")]
        return no_candidate(self.dhcp_cover, t, w, LEASE_TIME), []

    def login_hop(self, host, mac, ip, t, w):
        users = set()
        host = host.split(".")[0].lower()   # the lease's name, as login records name it
        if host in self.login_view:
            for s in self.login_view[host]:
                if s["start"] <= t + w and s["end"] > t - w:
                    users.add(s["user"].lower())
            cover = [self.login_cover[host]]
        else:
            cover = [self.radius_cover]
        for s in self.radius_view:
            if (s["mac"] == mac or (ip and s["ip"] == ip)) and s["start"] <= t + w and s["end"] > t - w:
                users.add(s["user"].lower())
        if users:
            return ("exact" if len(users) == 1 else "ambiguous"), sorted(users)
        return no_candidate(cover, t, w, 0), []

    def robust(self, fn, args, t, w, d):
        """The same answer with the window shrunk and widened by d: the
        expectation does not hang on how an edge is counted."""
        a = fn(*args, t, w)
        return a, a == fn(*args, t, max(w - d, 0)) == fn(*args, t, w + d)

    def chain(self, ip, port, t):
        """The rows trace-ip must give: [(verdict, limited_by, hops)], robust."""
        ok = True
        rows = []
        if ip in PUBLIC_IPS or ip in CGN_IPS:
            (kind, cands), r = self.robust(self.nat_hop, (ip, port), t, NAT_SKEW, 2)
            ok &= r
            if not cands:
                return [dict(verdict=kind, limited_by="nat")], ok
            branches = [(x, kind) for x in cands]
        else:
            branches = [(ip, None)]
        for inside, nat_kind in branches:
            (lk, leases), r = self.robust(self.lease_hop, (inside,), t, DHCP_SKEW, 1)
            ok &= r
            if not leases:
                rows.append(dict(verdict=lk, limited_by="lease", nat=nat_kind, ip=inside))
                continue
            for host, mac in leases:
                (gk, users), r = self.robust(self.login_hop, (host, mac, inside), t, LOGIN_SKEW, 5)
                ok &= r
                if not users:
                    rows.append(dict(verdict=gk, limited_by="login", ip=inside, host=host,
                                     nat=nat_kind, lease=lk))
                    continue
                for u in users:
                    p = self.person_at(u, t)
                    ok &= self.person_at(u, t - 3600) == p == self.person_at(u, t + 3600)
                    kinds = [k for k in (nat_kind, lk, gk) if k]
                    if p is None:
                        rows.append(dict(verdict="none", limited_by="owner", ip=inside, host=host,
                                         user=u))
                        continue
                    rows.append(dict(verdict="ambiguous" if "ambiguous" in kinds else "exact",
                                     limited_by=next((h for h, k in zip(("nat", "lease", "login"),
                                                                          (nat_kind, lk, gk))
                                                      if k == "ambiguous"), ""),
                                     ip=inside, host=host, user=u.split("@")[0], person=p["id"]))
        return rows, ok


def spans(times, max_silence):
    times = sorted(times)
    out = []
    if not times:
        return out
    a = prev = times[0]
    for t in times[1:]:
        if t - prev > max_silence:
            out.append((a, prev))
            a = t
        prev = t
    out.append((a, prev))
    return out


def no_candidate(cover, t, w, lookback):
    """DESIGN.md: "none" only where the logs could have shown a candidate:
    they cover the window, and, for a lease or a translation, the lease time
    or idle timeout before it (a grant or build logged there would still
    hold at the time asked; if that stretch of log is missing or silent,
    nobody can say that nobody held the address): "gap" otherwise."""
    lo = t - max(w, lookback)
    if not any(a <= lo and t + w <= b for a, b in cover):
        return "gap"
    return "none"


def aggregate(rows):
    """One verdict for a query's rows (one row per candidate chain)."""
    answered = [r for r in rows if r["verdict"] in ("exact", "ambiguous")]
    if len(rows) == 1:
        return rows[0]["verdict"]
    if answered:
        return "ambiguous"
    return "gap" if any(r["verdict"] == "gap" for r in rows) else "none"


def truth_of(site, host, user, t):
    p = site.person_at(user, t) if user else None
    return dict(host=host, login=user, person=p["id"] if p else None,
                name=p["name"] if p else None)


class Queries:
    def __init__(self, site):
        self.site = site
        self.rng = random.Random(site.seed * 7919 + 1)
        self.items = []
        self.dropped = {}

    def drop(self, why):
        self.dropped[why] = self.dropped.get(why, 0) + 1

    def check(self, rows, truth):
        """Whether the logs' answer is consistent with the truth; None when so."""
        v = aggregate(rows)
        if v == "exact":
            r = rows[0]
            if truth.get("person") is None:
                return "the logs name someone where nobody was"
            short = (r.get("host") or "").split(".")[0].lower()
            if (r.get("ip"), short, r.get("person")) != (truth["ip"], truth["host"],
                                                         truth["person"]):
                return "the logs name someone else"
        elif v == "ambiguous":
            if truth.get("person") and truth["person"] not in {r.get("person") for r in rows} \
                    and not any(r["verdict"] == "gap" for r in rows):
                return "the truth is not among the candidates"
        elif v == "none" and truth.get("person"):
            return "the logs find nobody where someone was"
        return None

    def add(self, tool, fields, rows, truth, category, extra_rows_ok=True):
        bad = self.check(rows, truth)
        if bad:
            self.drop(bad)
            return
        v = aggregate(rows)
        expect = dict(verdict=v, limited_by=rows[0].get("limited_by", "") if v != "exact" else "",
                      rows=sorted(rows, key=lambda r: json.dumps(r, sort_keys=True)))
        if v == "exact":
            r = rows[0]
            expect.update(ip=r["ip"], host=r["host"], login=r["user"], person=r["person"])
        if v == "ambiguous":
            expect["persons"] = sorted({r["person"] for r in rows if r.get("person")})
        self.items.append(dict(qid=f"q{len(self.items) + 1:04d}", tool=tool, input=fields,
                               expect=expect, truth=truth, category=category))

    def make(self):
        s, rng = self.site, self.rng
        trs = [tr for tr in s.translations if tr["kind"] != "background"]
        normal = [tr for tr in trs if not tr["reuse"] and not tr.get("handover")]
        rng.shuffle(normal)
        designed = [tr for tr in trs if tr["reuse"] or tr.get("handover")]
        # How many of each kind to keep (natural ones; the designed are all kept).
        budget = {"exact_lab": 70 * s.scale, "exact_office": 25 * s.scale,
                  "exact_laptop": 35 * s.scale}
        taken = {}
        for tr in designed + normal:
            dur = tr["end"] - tr["start"]
            t = tr["start"] + 2 if (tr["reuse"] or tr.get("handover")) else \
                tr["start"] + rng.randint(1, max(dur - 1, 1))
            rows, ok = s.chain(tr["pub_ip"], tr["pub_port"], t)
            if not ok:
                self.drop("an edge of a window (not robust)")
                continue
            designed_one = tr in designed
            cat = ("port_reuse" if tr["reuse"] else "login_handover" if tr.get("handover")
                   else category(s, rows, tr, t))
            if not designed_one:
                if taken.get(cat, 0) >= budget.get(cat, 25 * s.scale):
                    continue
                taken[cat] = taken.get(cat, 0) + 1
            truth = dict(truth_of(s, tr["host"], tr["user"], t), ip=tr["inside_ip"],
                         connection=dict(inside=f"{tr['inside_ip']}:{tr['inside_port']}",
                                         public=f"{tr['pub_ip']}:{tr['pub_port']}",
                                         start=rfc3339(tr["start"]), end=rfc3339(tr["end"])))
            self.add("ip", dict(time=rfc3339(t), ip=tr["pub_ip"], port=str(tr["pub_port"])), rows,
                     truth, cat)
        # Public ports nobody used around the time: none.
        n = 0
        while n < 10 * s.scale:
            t = rng.randint(START + 3 * 3600, NAT_LOG_END - 3600)
            pub, port = rng.choice(PUBLIC_IPS), PORT_BASE + rng.randrange(PORT_COUNT)
            if any(overlaps(tr["start"] - 1800, tr["end"] + 1800, t, t + 1)
                   for tr in s.nat_by_pub.get((pub, port), [])):
                continue
            rows, ok = s.chain(pub, port, t)
            if ok:
                n += 1
                self.add("ip", dict(time=rfc3339(t), ip=pub, port=str(port)), rows,
                         dict(person=None, ip=None, host=None), "nat_none")
        # Inside addresses (no NAT): who had this address then?
        pres = list(s.presences)
        rng.shuffle(pres)
        n = 0
        for p in pres:
            if n >= 50 * s.scale:
                break
            t = rng.randint(p["start"] + 60, p["end"] - 60)
            ip = s.ip_of(p["host"], t)
            if not ip:
                continue
            rows, ok = s.chain(ip, None, t)
            if not ok:
                self.drop("an edge of a window (not robust)")
                continue
            n += 1
            self.add("ip", dict(time=rfc3339(t), ip=ip, port=""), rows,
                     dict(truth_of(s, p["host"], p["user"], t), ip=ip),
                     "inside_" + category(s, rows, dict(host=p["host"]), t))
        # The repeated hour of the DST change: the lab machines' addresses, at
        # night (nobody logged in), in either pass of the hour.
        if FOLD[0]:
            labs = [h for h in sorted(s.hosts) if s.hosts[h]["kind"] == "lab"]
            for k in range(12 * s.scale):
                t = rng.randint(FOLD[0] + 60, FOLD[1] - 60)
                host = rng.choice(labs)
                ip = s.ip_of(host, t)
                if not ip:
                    continue
                rows, ok = s.chain(ip, None, t)
                if ok:
                    self.add("ip", dict(time=rfc3339(t), ip=ip, port=""), rows,
                             dict(truth_of(s, host, None, t), ip=ip),
                             "inside_" + category(s, rows, dict(host=host), t))
        nobody = dict(person=None, ip=None, host=None)
        # Laptops gone without a release: the lease runs on (a lease time from
        # the last grant), the RADIUS session has ended, nobody is behind it.
        n = 0
        for v in s.visits:
            if n >= 8 * s.scale or v["release"] or not v["ip"]:
                continue
            t = v["end"] + rng.randint(600, 1800)
            if s.ip_of(v["host"], t) or any(x["start"] <= t < x["end"]
                                            for x in s.holding.get(v["ip"], [])):
                continue
            rows, ok = s.chain(v["ip"], None, t)
            if ok:
                n += 1
                self.add("ip", dict(time=rfc3339(t), ip=v["ip"], port=""), rows,
                         dict(nobody, ip=v["ip"]), "inside_laptop_gone")
        # Offices in the evening: the register answers, nobody is logged in.
        for k in range(6 * s.scale):
            host = rng.choice(s.offices)
            t = local(*rng.choice(DAYS), 20, 0) + rng.randint(0, 3600)
            rows, ok = s.chain(s.hosts[host]["ip"], None, t)
            if ok and t < END:
                self.add("ip", dict(time=rfc3339(t), ip=s.hosts[host]["ip"], port=""), rows,
                         dict(nobody, ip=s.hosts[host]["ip"]), "inside_office_empty")
        # The monitoring server's own checks through the NAT: a register entry
        # with no login, and no login records: nobody is behind them.
        mon = [tr for tr in s.translations if tr["kind"] == "background" and tr["end"] - tr["start"] > 6
               and tr["end"] + NAT_OFFSET < NAT_LOG_END and tr["start"] > START + 3 * 3600]
        for tr in rng.sample(mon, min(len(mon), 5 * s.scale)):
            t = tr["start"] + 3
            rows, ok = s.chain(tr["pub_ip"], tr["pub_port"], t)
            if ok:
                self.add("ip", dict(time=rfc3339(t), ip=tr["pub_ip"], port=str(tr["pub_port"])),
                         rows, dict(nobody, ip=MON_IP), "nat_server")
        for k in range(5):
            t = rng.randint(START + 4 * 3600, DHCP_LOST[0] - 3600)
            rows, ok = s.chain("10.30.3.250", None, t)
            if ok:
                self.add("ip", dict(time=rfc3339(t), ip="10.30.3.250", port=""), rows,
                         dict(person=None, ip=None, host=None), "lease_none")
        self.make_url()
        self.make_mail()
        self.make_cgnat()

    def make_cgnat(self):
        """cgn-1's port blocks: a port of a block at a time asked, through the
        lease and RADIUS to the laptop's owner."""
        s = self.site
        rng = random.Random(s.seed * 7919 + 11)   # its own: the other queries are unchanged

        def truth_at(pub, port, t):
            for al in s.cgn_allocs:
                if al["pub"] == pub and al["first"] <= port <= al["last"] and \
                        al["start"] <= t < al["end"]:
                    v = s.visits[al["visit"]]
                    user = v["user"] if v["start"] <= t < v["end"] else None
                    return dict(truth_of(s, al["host"], user, t), ip=al["inside"],
                                block=f"{al['pub']}:{al['first']}-{al['last']}",
                                allocated=rfc3339(al["start"]),
                                released=rfc3339(al["end"]) if al["end"] < END else None)
            return dict(person=None, ip=None, host=None)

        def ask(pub, port, t, cat, want=None):
            rows, ok = s.chain(pub, port, t)
            if not ok:
                self.drop("an edge of a window (not robust)")
                return False
            if want and aggregate(rows) != want:
                return False
            n = len(self.items)
            self.add("ip", dict(time=rfc3339(t), ip=pub, port=str(port)), rows,
                     truth_at(pub, port, t), cat)
            return len(self.items) > n

        def seen_before(al):
            return any(x is not al and x["pub"] == al["pub"] and x["first"] == al["first"]
                       and x["end"] <= al["start"] for x in s.cgn_allocs)

        allocs = list(s.cgn_allocs)
        rng.shuffle(allocs)
        n = m = 0
        for al in allocs:
            lo, hi = al["start"] + 60, min(al["end"], CGN_LOG_END) - 60
            if hi <= lo:
                continue
            t = rng.randint(lo, hi)
            port = rng.randint(al["first"], al["last"])
            if al["end"] >= CGN_LOG_END and al["start"] < CGN_LOG_END - 600:
                # Still allocated when the log ends: no release, open-ended.
                end = s.cgn_last_line - 60
                if end > lo:
                    ask(al["pub"], port, rng.randint(max(lo, end - 3600), end), "cgnat_open_block")
                # After the log's end: the block was open-ended, the log says
                # nothing more (gap), whoever still holds it.
                ask(al["pub"], port, s.cgn_last_line + rng.randint(900, 1500),
                    "cgnat_open_block_after_log_end", "gap")
            elif seen_before(al) and m < 15 * s.scale:
                # The block was another laptop's earlier.
                m += ask(al["pub"], port, t, "cgnat_block_reused", "exact")
            elif n < 15 * s.scale:
                v, rows = t, None
                rows, ok = s.chain(al["pub"], port, t)
                if ok:
                    cat = category(s, rows, dict(host=al["host"]), t)
                if aggregate(rows) == "gap" and rows[0].get("limited_by") == "nat":
                    cat = "gap_lost"   # its allocation is in the lost lines
                n += ask(al["pub"], port, t, "cgnat_" + cat)
        # Given to another laptop one second after its release: within the
        # skew window, both are candidates.
        if s.cgn_reuse:
            a, b = s.cgn_reuse
            for k in range(3):
                ask(b["pub"], rng.randint(b["first"], b["last"]), b["start"], "cgnat_block_reuse")
        # A port outside every block, and a block nobody held, while the log
        # covers the time: none.
        n = 0
        while n < 6 * s.scale:
            t = rng.randint(START + 3 * 3600, CGN_LOG_END - 3600)
            pub = rng.choice(CGN_IPS)
            if rng.random() < 0.5:
                port = rng.randint(CGN_FIRST_PORT + CGN_BLOCK * CGN_BLOCKS_PER_IP, 65535)
                cat = "cgnat_none_outside_blocks"
            else:
                port = rng.randint(CGN_FIRST_PORT, CGN_FIRST_PORT + CGN_BLOCK * CGN_BLOCKS_PER_IP - 1)
                cat = "cgnat_none_free_block"
            if truth_at(pub, port, t)["person"] is not None:
                continue
            n += ask(pub, port, t, cat, "none")
        # In the lines cgn-1 lost (and the idle timeout after them): gap.
        n = 0
        for k in range(200):
            if n >= 5 * s.scale:
                break
            t = rng.randint(CGN_LOST[0] + 60, CGN_LOST[1] + 3000)
            pub = rng.choice(CGN_IPS)
            port = rng.randint(CGN_FIRST_PORT, CGN_FIRST_PORT + CGN_BLOCK * CGN_BLOCKS_PER_IP - 1)
            n += ask(pub, port, t, "cgnat_gap_lost", "gap")

    def make_url(self):
        s, rng = self.site, self.rng
        reqs = [r for r in s.requests if r["kind"] == "user"]
        rng.shuffle(reqs)
        firsts = [a for a, _ in s.shared_urls]
        for r in firsts + reqs[:40 * s.scale]:
            t = r["end"]
            cands = url_candidates(s, r["url"], t, PROXY_SKEW)
            if cands != url_candidates(s, r["url"], t, PROXY_SKEW - 0.5) or \
                    cands != url_candidates(s, r["url"], t, PROXY_SKEW + 0.5):
                self.drop("an edge of a window (not robust)")
                continue
            rows, ok = [], True
            for c in cands:
                rs, o = s.chain(c["client"], None, c["end"])
                ok &= o
                rows += rs
            if len(cands) > 1:
                # The proxy hop is the chain's first: its ambiguity comes first.
                for row in rows:
                    if row["verdict"] in ("exact", "ambiguous"):
                        row["verdict"], row["limited_by"] = "ambiguous", "url"
            if not ok:
                self.drop("an edge of a window (not robust)")
                continue
            truth = dict(truth_of(s, r["host"], r["user"], t), ip=r["client"])
            self.add("url", dict(request_url=r["url"], time=rfc3339ms(t)), rows, truth,
                     "url_two_clients" if len(cands) > 1 else "url")
        # Pages nobody fetched: while the proxy logged (none), after its log
        # ends (gap). Piped into trace-ip, the chain must say so too.
        nobody = dict(person=None, ip=None, host=None)
        for k in range(5):
            t = rng.randint(START + 3600, END - 3600)
            self.add("url", dict(request_url=f"http://never.example.com/{s.seed}/{k}.html",
                                 time=rfc3339(t)), [dict(verdict="none", limited_by="url")],
                     nobody, "url_none")
        for k in range(3):
            t = END + rng.randint(2 * 3600, 20 * 3600)
            self.add("url", dict(request_url=f"http://never.example.com/{s.seed}/late{k}.html",
                                 time=rfc3339(t)), [dict(verdict="gap", limited_by="url")],
                     nobody, "url_gap")

    def make_mail(self):
        s, rng = self.site, self.rng
        msgs = list(s.messages)
        rng.shuffle(msgs)
        for m in msgs[:30 * s.scale]:
            rows, ok = s.chain(m["client"], None, m["t"])
            rows2, ok2 = s.chain(m["client"], None, m["t"] + 2)
            if not (ok and ok2 and rows == rows2):
                self.drop("an edge of a window (not robust)")
                continue
            truth = dict(truth_of(s, m["host"], m["user"], m["t"]), ip=m["client"])
            self.add("mail", dict(message_id=m["msgid"], time=rfc3339(m["t"])), rows, truth, "mail")
        nobody = dict(person=None, ip=None, host=None)
        for k in range(4):
            t = rng.randint(START + 3600, END - 4 * 3600)
            self.add("mail", dict(message_id=f"<never.{s.seed}.{k}@example.org>", time=rfc3339(t)),
                     [dict(verdict="none", limited_by="mail")], nobody, "mail_none")
        for k in range(2):
            t = END + rng.randint(6 * 3600, 20 * 3600)
            self.add("mail", dict(message_id=f"<late.{s.seed}.{k}@example.org>", time=rfc3339(t)),
                     [dict(verdict="gap", limited_by="mail")], nobody, "mail_gap")


def rfc3339ms(t):
    d = dt.datetime.fromtimestamp(t, dt.timezone.utc)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def url_candidates(s, url, t, w):
    out = {}
    for r in s.requests:
        if r["url"] == url and r["end"] - r["elapsed"] / 1000 <= t + w and r["end"] >= t - w:
            out.setdefault(r["client"], r)
    return [out[k] for k in sorted(out)]


def category(s, rows, tr, t):
    if FOLD[0] - 600 <= t < FOLD[1] + 600:
        return "dst_fold_" + category_(s, rows, tr, t)
    return category_(s, rows, tr, t)


def category_(s, rows, tr, t):
    v = aggregate(rows)
    kind = s.hosts.get(tr["host"], {}).get("kind", "server")
    if v == "exact":
        return f"exact_{kind}"
    lim = rows[0].get("limited_by", "")
    if v == "gap" and lim == "lease" and DHCP_LOST[0] <= t < DHCP_LOST[1]:
        return "gap_dhcp_lost"
    if v == "gap" and lim == "lease" and DHCP_LOST[1] <= t < DHCP_LOST[1] + LEASE_TIME:
        return "gap_dhcp_lost_before"   # a grant in the lost lines could still hold
    if v == "gap" and lim == "nat":
        return "gap_nat_log_end"
    if v == "none" and lim == "login":
        return "none_nobody_logged_in"
    if v == "ambiguous":
        return f"ambiguous_{lim}"
    return f"{v}_{lim}"


SOURCES = '''# The simulated site (tests/sim/gen_site.py, seed {seed}): a firewall, a
# carrier-grade NAT in front of the wireless network, a DHCP server, lab and office workstations, a RADIUS server, a web proxy, a mail
# server, the HR directory and the register of fixed addresses. Local times
# are Europe/Berlin; period "{period}": {period_text}.

# fw1: Cisco ASA with its own (year-bearing) dates. Its clock is {nat_off} s fast.
[[source]]
name   = "fw1"
format = "cisco-asa"
files  = "fw/asa.log*"
tz     = "Europe/Berlin"
skew   = "{nat_skew}s"
tcp_timeout = "1h"
public = ["203.0.113.5", "203.0.113.6"]
max_silence = "1h"

# cgn-1: Juniper MX carrier-grade NAT in front of the wireless network, a port
# block per laptop (secured port block allocation, interim lines every 10
# minutes). BSD syslog header (year-less) and the services PIC's own stamp.
[[source]]
name   = "cgn-1"
format = "cgnat-port-block"
files  = "cgn/cgn-1.log*"
tz     = "Europe/Berlin"
year   = {year}
skew   = "{cgn_skew}s"
public = ["198.51.100.7", "198.51.100.8"]
max_silence = "1h"

# dhcp1: ISC dhcpd through syslog, year-less dates, rotated at 06:25 (each
# file crosses a midnight). No `year`: it is inferred from the files' mtimes.
[[source]]
name        = "dhcp1"
format      = "isc-dhcpd"
files       = "dhcp/dhcpd.log*"
tz          = "Europe/Berlin"
skew        = "{dhcp_skew}s"
lease_time  = "{lease}s"
max_silence = "90m"

# RADIUS accounting of the wireless controller wlc-1 (802.1X laptops).
[[source]]
name   = "radius1"
format = "freeradius-detail"
files  = "radius/detail-*"
tz     = "Europe/Berlin"

# Squid on proxy-1 (epoch times).
[[source]]
name        = "proxy-1"
format      = "squid"
files       = "proxy/access.log*"
skew        = "{proxy_skew}s"
max_silence = "2h"

# Postfix on mx1, one maillog for the whole period (year-less dates, first year {year}).
[[source]]
name        = "mx1"
format      = "postfix"
files       = "mail/maillog*"
tz          = "Europe/Berlin"
year        = {year}
host        = "mx1.example.org"
skew        = "{mail_skew}s"
max_silence = "3h"
'''


def write_sources(site, out):
    text = SOURCES.format(seed=site.seed, nat_off=NAT_OFFSET, nat_skew=NAT_SKEW,
                          dhcp_skew=DHCP_SKEW, lease=LEASE_TIME, proxy_skew=PROXY_SKEW,
                          mail_skew=MAIL_SKEW, year=YEAR, cgn_skew=CGN_SKEW, period=PERIOD,
                          period_text="30 Dec 2026 to 2 Jan 2027, across New Year"
                          if PERIOD == "newyear" else
                          "29 Oct to 1 Nov 2027, the clocks going back on 31 Oct")
    for host, h in sorted(site.hosts.items()):
        if h["log"] is None:
            continue
        fmt = "sshd" if h["log"] == "auth" else "utmp"
        f = "auth.log*" if h["log"] == "auth" else "wtmp*"
        text += f'\n[[source]]\nname   = "{host}"\nformat = "{fmt}"\nfiles  = "hosts/{host}/{f}"\n'
        text += f'host   = "{host}"\n'
        if fmt == "sshd":
            text += f'tz     = "Europe/Berlin"\nyear   = {YEAR}\n'
        if host == SLOW_WS:
            text += f'skew   = "{LOGIN_SKEW}s"   # its clock is {SLOW_WS_OFFSET} s fast\n'
    text += '''
[[directory]]
name   = "hr"
format = "csv"
files  = "people.csv"
tz     = "Europe/Berlin"
[directory.columns]
id   = "employee_id"
unit = "department"

[[directory]]
name   = "fixed addresses"
format = "address-register"
files  = "fixed-ip.txt"
tz     = "Europe/Berlin"
'''
    write_file(os.path.join(out, "sources.toml"), text.encode())


def generate(site, out):
    site.make_people()
    site.make_hosts()
    site.make_lab_sessions()
    site.make_office_sessions()
    site.make_visits()
    site.run_dhcp()
    site.make_presences()
    site.run_nat()
    site.add_handover_connections()
    site.run_cgnat()
    site.run_proxy_mail()
    site.write_logs(out)
    site.build_views()
    write_sources(site, out)
    q = Queries(site)
    q.make()
    truth = []
    for tr in site.translations:
        if tr["kind"] == "background":
            continue
        mid = tr["start"] + (tr["end"] - tr["start"]) // 2
        truth.append(dict(kind="connection", inside=f"{tr['inside_ip']}:{tr['inside_port']}",
                          public=f"{tr['pub_ip']}:{tr['pub_port']}", start=rfc3339(tr["start"]),
                          end=rfc3339(tr["end"]), **truth_of(site, tr["host"], tr["user"], mid)))
    for al in site.cgn_allocs:
        v = site.visits[al["visit"]]
        truth.append(dict(kind="port_block", inside=al["inside"],
                          public=f"{al['pub']}:{al['first']}-{al['last']}",
                          start=rfc3339(al["start"]), end=rfc3339(al["end"]),
                          **truth_of(site, al["host"], al["user"], al["start"])))
    for r in site.requests:
        if r["kind"] != "background":
            truth.append(dict(kind="request", url=r["url"], client=r["client"],
                              end=rfc3339ms(r["end"]), **truth_of(site, r["host"], r["user"], r["end"])))
    for m in site.messages:
        truth.append(dict(kind="message", message_id=m["msgid"], client=m["client"],
                          time=rfc3339(m["t"]), **truth_of(site, m["host"], m["user"], m["t"])))
    write_file(os.path.join(out, "truth.jsonl"),
               lines_bytes(json.dumps(x, sort_keys=True) for x in truth))
    write_file(os.path.join(out, "queries.jsonl"),
               lines_bytes(json.dumps(x, sort_keys=True) for x in q.items))
    heads = {"ip": ["qid", "time", "ip", "port"], "url": ["qid", "request_url", "time"],
             "mail": ["qid", "message_id", "time"]}
    for tool, cols in heads.items():
        rows = ["\t".join(cols)]
        for x in q.items:
            if x["tool"] == tool:
                rows.append("\t".join([x["qid"]] + [x["input"][c] for c in cols[1:]]))
        write_file(os.path.join(out, f"queries-{tool}.tsv"), lines_bytes(rows))
    cats = {}
    for x in q.items:
        cats[x["category"]] = cats.get(x["category"], 0) + 1
    summary = dict(seed=site.seed, scale=site.scale, period=PERIOD, queries=len(q.items),
                   categories=cats,
                   not_used=q.dropped)
    write_file(os.path.join(out, "summary.json"),
               (json.dumps(summary, sort_keys=True, indent=1) + "\n").encode())
    return summary


def main():
    ap = argparse.ArgumentParser(description="Generates a simulated site with its truth.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--scale", type=int, default=1,
                    help="multiplies machines, laptops, traffic and queries")
    ap.add_argument("--period", choices=sorted(PERIODS), default="newyear",
                    help="newyear: across New Year 2026/27; dst: the clocks going back in "
                         "October 2027")
    a = ap.parse_args()
    set_period(a.period)
    summary = generate(Site(a.seed, a.scale), a.out)
    print(json.dumps(summary, sort_keys=True))


if __name__ == "__main__":
    main()

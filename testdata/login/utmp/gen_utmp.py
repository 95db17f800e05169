#!/usr/bin/env python3
"""Writes the utmp samples of this folder: wtmp (glibc x86_64, 384-byte
little-endian records), wtmp.s390x (the same sessions in s390x's 400-byte
big-endian layout) and btmp (failed logins). Run it here: python3 gen_utmp.py"""
import calendar
import ipaddress
import struct

EMPTY, RUN_LVL, BOOT_TIME, NEW_TIME, OLD_TIME, INIT, LOGIN, USER, DEAD = range(9)


def t(s):  # "2026-04-23 07:00:01.250000" UTC -> (sec, usec)
    day, clock = s.split(" ")
    sec, _, frac = clock.partition(".")
    y, mo, d = map(int, day.split("-"))
    h, mi, se = map(int, sec.split(":"))
    return calendar.timegm((y, mo, d, h, mi, se)), int((frac or "0").ljust(6, "0"))


def addr(text):
    if not text:
        return b"\0" * 16
    ip = ipaddress.ip_address(text)
    return ip.packed.ljust(16, b"\0")


def record(kind, pid, line, ident, user, host, when, ip="", wide=False, be=False):
    sec, usec = t(when)
    e = ">" if be else "<"
    head = struct.pack(e + "hxxi32s4s32s256shh", kind, pid, line.encode(), ident.encode(),
                       user.encode(), host.encode(), 0, 0)
    if wide:
        tail = struct.pack(e + "qqq", 0, sec, usec) + addr(ip) + b"\0" * 24
    else:
        tail = struct.pack(e + "iii", 0, sec, usec) + addr(ip) + b"\0" * 20
    rec = head + tail
    assert len(rec) == (400 if wide else 384), len(rec)
    return rec


KERNEL = "6.1.0-18-amd64"
WTMP = [
    (BOOT_TIME, 0, "~", "~~", "reboot", KERNEL, "2026-04-23 07:00:01.250000", ""),
    (RUN_LVL, 53, "~", "~~", "runlevel", KERNEL, "2026-04-23 07:00:05.004211", ""),
    (LOGIN, 702, "tty1", "tty1", "LOGIN", "", "2026-04-23 07:00:06.118000", ""),
    (USER, 702, "tty1", "tty1", "root", "", "2026-04-23 07:58:40.500000", ""),
    (DEAD, 702, "tty1", "", "", "", "2026-04-23 08:10:00.000001", ""),
    (USER, 4859, "pts/0", "ts/0", "jdoe", "192.0.2.10", "2026-04-23 15:19:00.123456",
     "192.0.2.10"),
    (USER, 4977, "pts/1", "ts/1", "asmith", "2001:db8:20:3::1a7", "2026-04-23 15:40:00.654321",
     "2001:db8:20:3::1a7"),
    (USER, 5120, ":0", ":0", "jdoe", ":0", "2026-04-23 16:02:10.000500", ""),
    (DEAD, 4859, "pts/0", "", "", "", "2026-04-23 17:01:12.777000", ""),
    (DEAD, 4977, "pts/1", "", "", "", "2026-04-23 17:30:00.100000", ""),
    (RUN_LVL, 0, "~", "~~", "shutdown", KERNEL, "2026-04-23 18:00:00.500000", ""),
    (BOOT_TIME, 0, "~", "~~", "reboot", KERNEL, "2026-04-24 07:55:00.250000", ""),
    (USER, 1500, "pts/0", "ts/0", "bob", "198.51.100.23", "2026-04-24 08:05:00.300000",
     "198.51.100.23"),
    # No DEAD_PROCESS and no shutdown: the machine crashed.
    (BOOT_TIME, 0, "~", "~~", "reboot", KERNEL, "2026-04-24 09:12:00.250000", ""),
    (USER, 1622, "pts/0", "ts/0", "jdoe", "lab-gw.example.org", "2026-04-24 09:15:00.400000",
     "203.0.113.5"),
    (OLD_TIME, 0, "|", "", "date", "", "2026-04-24 10:00:00.000000", ""),
    (NEW_TIME, 0, "}", "", "date", "", "2026-04-24 10:00:03.000000", ""),
    (DEAD, 1622, "pts/0", "", "", "", "2026-04-24 11:00:00.900000", ""),
]
BTMP = [
    (LOGIN, 9001, "ssh:notty", "", "admin", "203.0.113.66", "2026-04-23 03:12:00", "203.0.113.66"),
    (LOGIN, 9001, "ssh:notty", "", "admin", "203.0.113.66", "2026-04-23 03:12:04", "203.0.113.66"),
    (LOGIN, 9003, "ssh:notty", "", "oracle", "203.0.113.66", "2026-04-23 03:12:09",
     "203.0.113.66"),
    (LOGIN, 702, "tty1", "tty1", "jdoe", "", "2026-04-23 07:58:31", ""),
]

with open("wtmp", "wb") as f:
    f.write(b"".join(record(*r) for r in WTMP))
with open("wtmp.s390x", "wb") as f:
    f.write(b"".join(record(*r, wide=True, be=True) for r in WTMP))
with open("btmp", "wb") as f:
    f.write(b"".join(record(*r) for r in BTMP))

#!/usr/bin/env python3
"""Writes ws-lab1-08.wtmp, the wtmp file of the shared lab workstation
ws-lab1-08 on Saturday 24 October 2026 (see README.md). Run it in this folder:

    python3 make-wtmp.py

The output is deterministic: the records below are the only input (no clock,
no randomness), so running it again gives a byte-identical file, and
`sha256sum ws-lab1-08.wtmp` does not change.

Record layout: glibc's struct utmp as written on x86_64 (and every 64-bit
Linux port that keeps the 32-bit compatibility layout), 384 bytes, little-endian:

    offset size  field
         0    2  ut_type      (short) record type, see below
         2    2  (padding)
         4    4  ut_pid       (int32) process id; for RUN_LVL the run level
                              character
         8   32  ut_line      tty name without /dev/ (":0", "pts/0", "~")
        40    4  ut_id        terminal suffix or inittab id
        44   32  ut_user      user name ("reboot", "shutdown", "runlevel" for
                              the pseudo-records)
        76  256  ut_host      remote host, display, or kernel release
       332    2  ut_exit.e_termination  (short)
       334    2  ut_exit.e_exit         (short)
       336    4  ut_session   (int32)
       340    4  ut_tv.tv_sec  (int32) seconds since the epoch, UTC
       344    4  ut_tv.tv_usec (int32) microseconds
       348   16  ut_addr_v6   remote address in network byte order (IPv4 in
                              the first 4 bytes, the rest zero)
       364   20  __glibc_reserved (zero)

Strings are NUL-padded to their field's size. Record types used: 1 RUN_LVL,
2 BOOT_TIME, 7 USER_PROCESS (a login), 8 DEAD_PROCESS (its logout: same
ut_line, empty user). The times in the table are UK local time (BST, UTC+01:00
on that day); the file holds UTC, as wtmp always does. `utmpdump ws-lab1-08.wtmp`
(util-linux) shows the records.
"""
import calendar
import ipaddress
import struct

EMPTY, RUN_LVL, BOOT_TIME, NEW_TIME, OLD_TIME, INIT, LOGIN, USER, DEAD = range(9)
BST = 3600  # UTC+01:00 on 24 October 2026
KERNEL = "6.1.0-26-amd64"


def utc(local):
    """'2026-10-24 08:03:21.400000' in BST -> (seconds, microseconds) UTC."""
    day, clock = local.split(" ")
    whole, _, frac = clock.partition(".")
    y, mo, d = map(int, day.split("-"))
    h, mi, s = map(int, whole.split(":"))
    return calendar.timegm((y, mo, d, h, mi, s)) - BST, int(frac.ljust(6, "0") or 0)


def record(kind, pid, line, ident, user, host, when, addr=""):
    sec, usec = utc(when)
    packed_addr = ipaddress.ip_address(addr).packed if addr else b""
    rec = struct.pack("<hxxi32s4s32s256shhiii16s20x", kind, pid, line.encode(), ident.encode(),
                      user.encode(), host.encode(), 0, 0, 0, sec, usec,
                      packed_addr.ljust(16, b"\0"))
    assert len(rec) == 384, len(rec)
    return rec


# (type, pid, line, id, user, host, local time, remote address)
RECORDS = [
    (BOOT_TIME, 0, "~", "~~", "reboot", KERNEL, "2026-10-24 08:03:21.402117"),
    (RUN_LVL, 53, "~", "~~", "runlevel", KERNEL, "2026-10-24 08:03:26.118530"),
    (USER, 1184, ":0", ":0", "cnguyen", ":0", "2026-10-24 08:20:05.300412"),
    # The lab technician installs updates over ssh while cnguyen is at the console.
    (USER, 1402, "pts/0", "ts/0", "kadams", "10.20.0.30", "2026-10-24 08:45:10.082771",
     "10.20.0.30"),
    (DEAD, 1402, "pts/0", "", "", "", "2026-10-24 08:52:37.640015"),
    (DEAD, 1184, ":0", "", "", "", "2026-10-24 09:31:44.519200"),
    (USER, 1733, ":0", ":0", "rpatel", ":0", "2026-10-24 09:40:12.007318"),
    (DEAD, 1733, ":0", "", "", "", "2026-10-24 11:18:30.250000"),
    (USER, 2046, ":0", ":0", "tobrien", ":0", "2026-10-24 11:25:40.911206"),
    (DEAD, 2046, ":0", "", "", "", "2026-10-24 12:41:02.377190"),
    # hkhan's session has no logout: the machine lost power at about 13:05
    # and wrote nothing more until it booted again.
    (USER, 2391, ":0", ":0", "hkhan", ":0", "2026-10-24 12:50:15.664083"),
    (BOOT_TIME, 0, "~", "~~", "reboot", KERNEL, "2026-10-24 13:31:50.215904"),
    (RUN_LVL, 53, "~", "~~", "runlevel", KERNEL, "2026-10-24 13:31:55.840127"),
    (USER, 1207, ":0", ":0", "cnguyen", ":0", "2026-10-24 13:40:30.048552"),
    # The technician checks the machine after the crash.
    (USER, 1650, "pts/0", "ts/0", "kadams", "10.20.0.30", "2026-10-24 14:20:00.731904",
     "10.20.0.30"),
    (DEAD, 1650, "pts/0", "", "", "", "2026-10-24 14:35:40.102338"),
    (DEAD, 1207, ":0", "", "", "", "2026-10-24 14:55:02.905127"),
    (USER, 2218, ":0", ":0", "rpatel", ":0", "2026-10-24 15:05:44.318840"),
    (DEAD, 2218, ":0", "", "", "", "2026-10-24 16:40:09.004477"),
    (USER, 2587, ":0", ":0", "tobrien", ":0", "2026-10-24 16:52:00.560019"),
    (DEAD, 2587, ":0", "", "", "", "2026-10-24 17:58:30.127660"),
    # The lab is closed: an orderly shutdown.
    (RUN_LVL, 0, "~", "~~", "shutdown", KERNEL, "2026-10-24 18:00:06.450388"),
]

with open("ws-lab1-08.wtmp", "wb") as f:
    f.write(b"".join(record(*r) for r in RECORDS))

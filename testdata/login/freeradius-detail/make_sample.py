#!/usr/bin/env python3
# Writes detail-20260423: one day of FreeRADIUS 3 detail accounting records of a
# made-up access point (see README.md). Run from this folder.
import datetime

ZONE = datetime.timezone(datetime.timedelta(hours=2))  # Europe/Berlin, CEST


def block(local, attrs):
    t = datetime.datetime(*local, tzinfo=ZONE)
    s = t.strftime("%a %b ") + ("%2d" % t.day) + t.strftime(" %H:%M:%S %Y") + "\n"
    for k, v in attrs:
        s += "\t%s = %s\n" % (k, v)
    return s + "\tTimestamp = %d\n\n" % int(t.timestamp())


def event_time(local):
    t = datetime.datetime(*local)
    return '"%s %2d %d %s CEST"' % (t.strftime("%b"), t.day, t.year, t.strftime("%H:%M:%S"))


NAS = [("NAS-IP-Address", "10.0.0.2"), ("NAS-Identifier", '"ap-lab1"'), ("NAS-Port", "2004"),
       ("NAS-Port-Type", "Wireless-802.11"),
       ("Called-Station-Id", '"02-00-5E-10-00-01:eduroam"')]


def session(status, t, user, mac, ip, sid, extra=()):
    attrs = [("Acct-Status-Type", status), ("User-Name", '"%s"' % user)] + NAS + [
        ("Calling-Station-Id", '"%s"' % mac), ("Framed-IP-Address", ip),
        ("Acct-Session-Id", '"%s"' % sid),
        ("Acct-Unique-Session-Id", '"%s"' % (sid.lower() + "9c2e")),
        ("Acct-Authentic", "RADIUS"), ("Event-Timestamp", event_time(t))] + list(extra)
    return block(t, attrs)


out = block((2026, 4, 23, 6, 58, 12),
            [("Acct-Status-Type", "Accounting-On"), ("NAS-IP-Address", "10.0.0.2"),
             ("NAS-Identifier", '"ap-lab1"'), ("Acct-Delay-Time", "0"),
             ("Event-Timestamp", event_time((2026, 4, 23, 6, 58, 12)))])
J = ("jdoe@example.org", "00-1B-2C-3D-4E-5F", "10.20.3.44", "5F2A0001")
A = ("asmith@example.org", "A4-5E-60-D1-22-3B", "10.20.3.51", "5F2A0002")
out += session("Start", (2026, 4, 23, 8, 1, 40), *J)
out += session("Start", (2026, 4, 23, 8, 5, 2), *A)
out += session("Interim-Update", (2026, 4, 23, 8, 11, 40), *J,
               [("Acct-Session-Time", "600"), ("Acct-Input-Octets", "1882213"),
                ("Acct-Output-Octets", "20188331")])
out += session("Interim-Update", (2026, 4, 23, 8, 15, 2), *A,
               [("Acct-Session-Time", "600"), ("Acct-Input-Octets", "5512"),
                ("Acct-Output-Octets", "90211")])
out += session("Stop", (2026, 4, 23, 8, 19, 30), *A,
               [("Acct-Session-Time", "868"), ("Acct-Terminate-Cause", "User-Request")])
out += session("Stop", (2026, 4, 23, 17, 2, 11), *J,
               [("Acct-Session-Time", "32431"), ("Acct-Terminate-Cause", "Idle-Timeout")])
with open("detail-20260423", "w") as f:
    f.write(out)

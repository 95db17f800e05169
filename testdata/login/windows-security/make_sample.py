#!/usr/bin/env python3
# Writes security.xml: made-up Security log events of workstation WS-LAB1-07 in the
# layout of `wevtutil qe Security /f:xml /e:Events`, one event per line (see README.md).
# Run from this folder.
NS = "http://schemas.microsoft.com/win/2004/08/events/event"
COMPUTER = "WS-LAB1-07.corp.example"
USER_SID = "S-1-5-21-1004336348-1177238915-682003330-1107"


def event(eid, time, data, record_id):
    fields = "".join('<Data Name="%s">%s</Data>' % (k, v) for k, v in data)
    return (
        '<Event xmlns="%s"><System><Provider Name="Microsoft-Windows-Security-Auditing" '
        'Guid="{54849625-5478-4994-a5ba-3e3b0328c30d}"/>'
        "<EventID>%d</EventID><Version>%d</Version><Level>0</Level><Task>%d</Task><Opcode>0</Opcode>"
        "<Keywords>0x%s</Keywords>"
        '<TimeCreated SystemTime="%s"/><EventRecordID>%d</EventRecordID><Correlation/>'
        '<Execution ProcessID="712" ThreadID="4120"/>'
        "<Channel>Security</Channel><Computer>%s</Computer><Security/></System>"
        "<EventData>%s</EventData></Event>"
    ) % (NS, eid, 2 if eid == 4624 else 0, 12544 if eid in (4624, 4625) else 12545,
         "8010000000000000" if eid == 4625 else "8020000000000000", time, record_id, COMPUTER,
         fields)


def logon(time, user, logon_id, logon_type, workstation, ip, port, record_id, package="Negotiate"):
    return event(4624, time, [
        ("SubjectUserSid", "S-1-5-18"), ("SubjectUserName", "WS-LAB1-07$"),
        ("SubjectDomainName", "CORP"), ("SubjectLogonId", "0x3e7"),
        ("TargetUserSid", USER_SID), ("TargetUserName", user), ("TargetDomainName", "CORP"),
        ("TargetLogonId", logon_id), ("LogonType", logon_type),
        ("LogonProcessName", "User32 " if logon_type in ("2", "10") else "NtLmSsp "),
        ("AuthenticationPackageName", package), ("WorkstationName", workstation),
        ("LogonGuid", "{00000000-0000-0000-0000-000000000000}"), ("TransmittedServices", "-"),
        ("LmPackageName", "-"), ("KeyLength", "0"), ("ProcessId", "0x1f4"),
        ("ProcessName", "C:\\Windows\\System32\\svchost.exe"), ("IpAddress", ip),
        ("IpPort", port)], record_id)


def logoff(eid, time, user, logon_id, logon_type, record_id):
    data = [("TargetUserSid", USER_SID), ("TargetUserName", user), ("TargetDomainName", "CORP"),
            ("TargetLogonId", logon_id)]
    if eid == 4634:
        data.append(("LogonType", logon_type))
    return event(eid, time, data, record_id)


failed = event(4625, "2026-04-23T14:58:03.0912345Z", [
    ("SubjectUserSid", "S-1-0-0"), ("SubjectUserName", "-"), ("SubjectDomainName", "-"),
    ("SubjectLogonId", "0x0"), ("TargetUserSid", "S-1-0-0"), ("TargetUserName", "administrator"),
    ("TargetDomainName", "CORP"), ("Status", "0xc000006d"), ("FailureReason", "%%2313"),
    ("SubStatus", "0xc000006a"), ("LogonType", "3"), ("LogonProcessName", "NtLmSsp "),
    ("AuthenticationPackageName", "NTLM"), ("WorkstationName", "KALI"),
    ("TransmittedServices", "-"), ("LmPackageName", "-"), ("KeyLength", "0"),
    ("ProcessId", "0x0"), ("ProcessName", "-"), ("IpAddress", "203.0.113.66"),
    ("IpPort", "51123")], 88140)

lines = [
    '<?xml version="1.0" encoding="UTF-8"?>', "<Events>",
    logon("2026-04-23T07:02:14.5518862Z", "mlopez", "0x51a0c", "2", "WS-LAB1-07", "127.0.0.1",
          "0", 88101),
    failed,
    logon("2026-04-23T15:19:00.1234567Z", "jdoe", "0x2a41f7", "10", "WS-LAB1-07", "192.0.2.7",
          "0", 88151),
    logon("2026-04-23T15:20:12.7000000Z", "asmith", "0x2a6c11", "3", "ASMITH-MBP",
          "2001:db8:20:3::1a7", "53810", 88160, "NTLM"),
    logoff(4634, "2026-04-23T15:48:30.0000000Z", "asmith", "0x2a6c11", "3", 88190),
    logoff(4647, "2026-04-23T16:05:51.2500000Z", "jdoe", "0x2a41f7", "10", 88230),
    "</Events>",
]
with open("security.xml", "w") as f:
    f.write("\n".join(lines) + "\n")

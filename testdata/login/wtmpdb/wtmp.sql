-- The sample wtmpdb database: sqlite3 wtmp.db < wtmp.sql (SQLite 3.40).
-- The schema is the one wtmpdb creates; the rows are invented (the sessions of
-- ../utmp/wtmp): times in microseconds since the epoch, UTC, April 2026.
CREATE TABLE wtmp(ID INTEGER PRIMARY KEY, Type INTEGER, User TEXT NOT NULL, Login INTEGER, Logout INTEGER, TTY TEXT, RemoteHost TEXT, Service TEXT) STRICT;
-- Type 1: boot (Logout = shutdown), 2: run level, 3: a user session.
INSERT INTO wtmp VALUES(1, 1, 'reboot', 1776927601250000, 1776967200500000, '~', '6.1.0-18-amd64', NULL);
INSERT INTO wtmp VALUES(2, 3, 'root', 1776931120500000, 1776931800000001, 'tty1', NULL, 'login');
INSERT INTO wtmp VALUES(3, 3, 'jdoe', 1776957540123456, 1776963672777000, 'pts/0', '192.0.2.10', 'sshd');
INSERT INTO wtmp VALUES(4, 3, 'asmith', 1776958800654321, 1776965400100000, 'pts/1', '2001:db8:20:3::1a7', 'sshd');
INSERT INTO wtmp VALUES(5, 3, 'jdoe', 1776960130000500, NULL, 'tty2', NULL, 'gdm-password');
-- The machine crashed during bob's session: no shutdown, no logout.
INSERT INTO wtmp VALUES(6, 1, 'reboot', 1777017300250000, NULL, '~', '6.1.0-18-amd64', NULL);
INSERT INTO wtmp VALUES(7, 3, 'bob', 1777017900300000, NULL, 'pts/0', '198.51.100.23', 'sshd');
INSERT INTO wtmp VALUES(8, 1, 'reboot', 1777021920250000, NULL, '~', '6.1.0-18-amd64', NULL);
INSERT INTO wtmp VALUES(9, 3, 'jdoe', 1777022100400000, 1777028400900000, 'pts/0', 'lab-gw.example.org', 'sshd');

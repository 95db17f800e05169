#!/usr/bin/env bash
# tracekit against lnav (Debian's lnav, headless: lnav -n -c CMD FILE) on the
# questions lnav can answer, on the same files in the same timing rounds: the
# lease of an IP (SQL over syslog_log), the NAT lines of a public IP/port
# (:filter-in; lnav has no format for the ASA's dates), the session on a host
# (SQL), the requests of a URL (:filter-in; no format for Squid's native log)
# and the client of a Message-ID (one SQL query with sub-queries). Writes its
# section of BENCHMARKS.md (at the end; the others are kept). See
# tests/bench/README.md.
#
#   bash tests/bench/run_lnav_benchmarks.sh [SIZE]   (default 256M per text log; K/M/G)
#
# Environment as run_chain_benchmarks.sh, whose data (bench-data/suite/) it
# shares: DIR_ROWS, WTMP_RECORDS, QUERIES, SEED, RUNS, JOBS, BENCH_DATA, OUT_MD.
set -euo pipefail
NAME=run_lnav_benchmarks
SUITE_SIZE=${1:-256M}
DIR_ROWS=${DIR_ROWS:-2000000}
WTMP_RECORDS=${WTMP_RECORDS:-1000000}
source "$(dirname "${BASH_SOURCE[0]}")/suite_lib.sh"
LOG=$SDATA/lnav-run.log
: >"$LOG"
MARK="# Benchmarks: lnav comparison"
need_tools cmake ninja hyperfine jq gzip zstd awk lscpu sha256sum lnav
LOAD_START=$(load)
START_TS=$(date -u +%Y-%m-%dT%H:%M:%SZ)

build gen-asa-syslog gen-dhcpd-syslog gen-auth-log gen-wtmp gen-squid-access gen-postfix-log \
  gen-directory-csv trace-lease trace-nat trace-login trace-url trace-mail
suite_data
suite_mtimes
S=$SDATA

# lnav keeps its configuration and sessions under $HOME/.lnav: an empty home
# of its own, so that the run depends on no one's settings and leaves them be.
LNAV_HOME=$S/lnav-home
rm -rf "$LNAV_HOME"
mkdir -p "$LNAV_HOME"
LNAV="env HOME=$LNAV_HOME lnav -n"
LNAV_VERSION=$(lnav -V | head -1)

# ---------------------------------------------------------------- questions
QTIME=$(sed -n 's/.*: query time \(\S*\)$/\1/p' "$S/asa-gen.txt")
INSIDE=$(sed -n 's/.* inside \([0-9.]*:[0-9]*\) .*/\1/p' "$S/asa-gen.txt" | head -1)
IIP=${INSIDE%:*}
IP=${PLANT_NAT%:*}
PORT=${PLANT_NAT#*:}
A_QTIME=$(sed -n 's/.*: query time \(\S*\)$/\1/p' "$S/auth-gen.txt")
U_QTIME=$(sed -n 's/.*: query time \(\S*\)$/\1/p' "$S/access-gen.txt")
sqltime() { date -u -d "$1" '+%Y-%m-%d %H:%M:%S'; }
re() { printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g'; }  # a literal as a regex

# (1) DHCP: the last DHCPACK of the inside IP at or before the query time.
LNAV_DHCP_SQL=";SELECT log_time, log_body FROM syslog_log WHERE log_body LIKE 'DHCPACK on $IIP %' AND log_time <= '$(sqltime "$QTIME")' ORDER BY log_time DESC LIMIT 1"
lnav_dhcp_cmd() { echo "$LNAV -c \"$LNAV_DHCP_SQL\" $S/dhcpd.log$1"; }
lease_cmd() { echo "$BIN/trace-lease --tz UTC --log $S/dhcpd.log$1 $IIP $QTIME -o tsv >/dev/null"; }
# (2) NAT: every line of the public IP/port (lnav reads the ASA log as text).
LNAV_NAT_CMD=":filter-in outside:$(re "$IP/$PORT")( |\$)"
lnav_nat_cmd() { echo "$LNAV -c '$LNAV_NAT_CMD' $S/asa.log$1"; }
nat_cmd() { echo "$BIN/trace-nat --tz UTC --log $S/asa.log$1 $PLANT_NAT $QTIME -o tsv >/dev/null"; }
# (3) Logins: the last Accepted on the host at or before the time.
LNAV_LOGIN_SQL=";SELECT log_time, log_hostname, log_body FROM syslog_log WHERE log_hostname = 'srv-planted' AND log_body LIKE 'Accepted %' AND log_time <= '$(sqltime "$A_QTIME")' ORDER BY log_time DESC LIMIT 1"
lnav_login_cmd() { echo "$LNAV -c \"$LNAV_LOGIN_SQL\" $S/auth.log$1"; }
login_cmd() { echo "$BIN/trace-login --tz UTC --log $S/auth.log$1 srv-planted $A_QTIME -o tsv >/dev/null"; }
# (4) URL: every line of the URL (lnav reads Squid's native log as text).
LNAV_URL_CMD=":filter-in $(re "$PLANT_URL")"
lnav_url_cmd() { echo "$LNAV -c '$LNAV_URL_CMD' $S/access.log$1"; }
url_cmd() { echo "$BIN/trace-url --log squid:$S/access.log$1 --url $PLANT_URL --around $U_QTIME --skew 30s -o tsv >/dev/null"; }
# (5) Mail: the client= line of the queue ID that the Message-ID's cleanup
# line names, the last one before it (queue IDs are reused).
MSGID_LIKE="%message-id=$PLANT_MSGID%"
LNAV_MAIL_SQL=";SELECT log_time, log_body FROM syslog_log WHERE log_body LIKE (SELECT substr(log_body, 1, 10) || ': client=%' FROM syslog_log WHERE log_body LIKE '$MSGID_LIKE' LIMIT 1) AND log_time <= (SELECT log_time FROM syslog_log WHERE log_body LIKE '$MSGID_LIKE' LIMIT 1) ORDER BY log_time DESC LIMIT 1"
lnav_mail_cmd() { echo "$LNAV -c \"$LNAV_MAIL_SQL\" $S/maillog$1"; }
printf '[[source]]\nname = "mx1"\nformat = "postfix"\nfiles = "maillog"\ntz = "UTC"\nyear = %s\n' "$YEAR" \
  >"$S/lnav-mail-sources.toml"
mail_cmd() { echo "$BIN/trace-mail --tz UTC --config $S/lnav-mail-sources.toml --message-id '$PLANT_MSGID' -o tsv >/dev/null"; }

# ---------------------------------------------------------------- answers
say "answers (checked before timing; lnav $LNAV_VERSION)"
declare -A ANS
check() {  # NAME COMMAND WANT: the command's output must contain WANT
  local out
  out=$(eval "${2% >/dev/null}" 2>>"$LOG") || true
  [[ $out == *"$3"* ]] || die "$1: the answer has no '$3': '$out'"
  ANS[$1]=$out
  echo "$1: $(echo "$out" | wc -l) lines of output, with '$3'" | tee -a "$LOG" >&2
}
for ext in "" .gz .zst; do
  check "lnav dhcp ${ext:-plain}" "$(lnav_dhcp_cmd "$ext")" "DHCPACK on $IIP to 0:16:3e:be:0:0 (ws-planted-1)"
  check "trace-lease ${ext:-plain}" "$(lease_cmd "$ext")" "exact	$IIP	00:16:3e:be:00:00"
done
check "lnav nat" "$(lnav_nat_cmd "")" "from inside:${INSIDE/:/\/} to outside:$IP/$PORT"
check "trace-nat" "$(nat_cmd "")" "exact	$IIP	${INSIDE#*:}"
check "lnav login" "$(lnav_login_cmd "")" "for planted from 198.51.100.77"
check "trace-login" "$(login_cmd "")" "exact	planted"
check "lnav url" "$(lnav_url_cmd "")" " $PLANT_URL_CLIENT TCP_"
check "trace-url" "$(url_cmd "")" "exact	$PLANT_URL_CLIENT"
check "lnav mail" "$(lnav_mail_cmd "")" ": client=unknown[10.20.3.49]:"
check "trace-mail" "$(mail_cmd)" "10.20.3.49	rpatel"
NAT_LINES=$(echo "${ANS[lnav nat]}" | grep -c 'outside:' || true)
URL_LINES=$(echo "${ANS[lnav url]}" | grep -c "$PLANT_URL" || true)
# And what lnav makes of the other inputs: no format for the ASA's dated
# syslog, Squid's native log nor a binary wtmp (read as text, or not at all).
lnav_format() { $LNAV -c ';SELECT format FROM lnav_file' "$1" 2>/dev/null | sed -n '2p' | tr -d ' ' | sed 's/^<NULL>$//'; }
declare -A FMT
for f in dhcpd.log asa.log auth.log access.log maillog wtmp directory.csv; do
  FMT[$f]=$(lnav_format "$S/$f")
  echo "lnav format of $f: ${FMT[$f]:-none}" | tee -a "$LOG" >&2
done

# ---------------------------------------------------------------- timing
HF_NAMES=() HF_CMDS=()
add() { HF_NAMES+=("$1"); HF_CMDS+=("$2"); }
for ext in "" .gz .zst; do
  add "lnav dhcp ${ext:-plain}" "$(lnav_dhcp_cmd "$ext") >/dev/null"
  add "trace-lease ${ext:-plain}" "$(lease_cmd "$ext")"
done
add "lnav nat" "$(lnav_nat_cmd "") >/dev/null"
add "trace-nat" "$(nat_cmd "")"
add "lnav login" "$(lnav_login_cmd "") >/dev/null"
add "trace-login" "$(login_cmd "")"
add "lnav url" "$(lnav_url_cmd "") >/dev/null"
add "trace-url" "$(url_cmd "")"
add "lnav mail" "$(lnav_mail_cmd "") >/dev/null"
add "trace-mail" "$(mail_cmd)"

say "warm-up round; peak RSS (/usr/bin/time -f %M)"
for k in "${!HF_NAMES[@]}"; do
  /usr/bin/time -f %M -o "$S/rss-lnav-$(echo "${HF_NAMES[$k]}" | tr ' ' _).txt" bash -c "${HF_CMDS[$k]}" \
    >/dev/null 2>&1 || true
done
run_rounds lnav
LOAD_END=$(load)

# ---------------------------------------------------------------- report
declare -A T C
for n in "${HF_NAMES[@]}"; do T[$n]=$(best lnav "$n"); C[$n]=$(cpu_of lnav "$n"); done
rss() { rss_mb "rss-lnav-$(echo "$1" | tr ' ' _).txt"; }
ratio() { calc "%.2f" "${T[$1]} / ${T[$2]}"; }
bytes() { stat -c %s "$S/$1"; }
# QUESTION FILE INPUT LNAV TRACEKIT: a table row of both and the ratio.
pair() {
  local b
  b=$(bytes "$2")
  echo "| $1 | $3 | $(s3 "${T[$4]}") s, $(calc "%.0f" "$b / 1e6 / ${T[$4]}") MB/s, $(s3 "${C[$4]}") CPU s, $(rss "$4") MB | $(s3 "${T[$5]}") s, $(calc "%.0f" "$b / 1e6 / ${T[$5]}") MB/s, $(s3 "${C[$5]}") CPU s, $(rss "$5") MB | $(ratio "$4" "$5") (rounds $(round_ratios lnav "$4" "$5")) |"
}
MACHINE=$(machine_line)  # before the report changes the tree
drop_section "$MARK"
cat >>"$OUT_MD" <<EOF
$MARK

Made by \`bash tests/bench/run_lnav_benchmarks.sh $SUITE_SIZE\` (RUNS=$RUNS; see tests/bench/README.md)
from $START_TS to $(date -u +%Y-%m-%dT%H:%M:%SZ). Regenerate rather than edit. \`bash tests/bench/run_all.sh\`
runs it with the rest of the suite.

Machine: $MACHINE, $LNAV_VERSION (Debian's \`lnav\` package).
Load average (1/5/15 min): $LOAD_START at the start, $LOAD_END at the end. **The machine is
shared**: the commands are interleaved (a warm-up round that also takes peak RSS, then $RUNS rounds
of one hyperfine run each); a command's wall time is its best round, its CPU time (user+sys) its
least; the widest spread of one command between rounds was $(spread lnav). MB/s is of
decompressed bytes (10^6) per wall second.

lnav is a log viewer: given files it detects their format, indexes every line (time, level,
host) and then filters, searches or runs SQL over the index. Headless (\`lnav -n -c CMD FILE\`,
with an empty \`\$HOME\` of its own) it prints the filtered view or the result of the query,
which is the nearest it comes to answering a tracekit question. The files are this site's
(run_chain_benchmarks.sh's, in $(r "$S")/, the same bytes): $(bytes dhcpd.log) bytes of dhcpd.log,
$(bytes asa.log) of asa.log, $(bytes auth.log) of auth.log, $(bytes access.log) of access.log,
$(bytes maillog) of maillog.

## What lnav answers

lnav detects these formats in the site's files: dhcpd.log ${FMT[dhcpd.log]:-none}, auth.log
${FMT[auth.log]:-none}, maillog ${FMT[maillog]:-none}; asa.log ${FMT[asa.log]:-none}, access.log
${FMT[access.log]:-none}, wtmp ${FMT[wtmp]:-none}, directory.csv ${FMT[directory.csv]:-none} (none: lnav
shows the file as plain text, with no time or fields, or nothing for a binary file).

| question | tracekit | lnav | what lnav gives |
|---|---|---|---|
| which device had IP X at time T (DHCP) | trace-lease | SQL over syslog_log | the last \`DHCPACK on X\` line at or before T: the MAC and name, not the lease's end, nor whether a RELEASE or another client's ACK ended it |
| who was behind public IP:port at T (NAT) | trace-nat | \`:filter-in\` | every line naming that public IP/port over the whole file ($NAT_LINES here, of every connection that was given the port); lnav does not read the ASA's dates (\`Nov 20 2026 08:00:01\`), so no time condition, and nothing pairs a translation with its teardown |
| who was logged in on host H at T | trace-login | SQL over syslog_log | the last \`Accepted\` line for H at or before T: not whether that session was still open at T, nor the other sessions open then; nothing for wtmp (binary) |
| which client fetched URL U around T | trace-url | \`:filter-in\` | every line with U over the whole file ($URL_LINES here: the planted request and two decoys at other times); Squid's native log has no lnav format, so no time condition |
| which client and user sent Message-ID M | trace-mail | one SQL query with two sub-queries | the \`client=\` line of the first queue ID the Message-ID's cleanup line names, the last one before it (IDs are reused); not the content filter's second queue ID nor the deliveries |
| who was behind IP:port at T, through NAT, lease, login and directory | trace-ip | no | lnav does not join one log's answer to the next log's question: it is the lookups above, one by hand after the other |
| whose is login L at T (directory) | trace-owner | no | a CSV directory is not a log; lnav shows it as text (a search, as grep) |

## Timings: lnav and tracekit on the same file, same rounds

| question | input | lnav: wall, MB/s, CPU, peak RSS | tracekit: wall, MB/s, CPU, peak RSS | lnav time / tracekit time |
|---|---|---|---|---|
$(pair "DHCP lease of $IIP" dhcpd.log plain "lnav dhcp plain" "trace-lease plain")
$(pair "DHCP lease of $IIP" dhcpd.log .gz "lnav dhcp .gz" "trace-lease .gz")
$(pair "DHCP lease of $IIP" dhcpd.log .zst "lnav dhcp .zst" "trace-lease .zst")
$(pair "NAT $PLANT_NAT (filter-in)" asa.log plain "lnav nat" "trace-nat")
$(pair "login on srv-planted" auth.log plain "lnav login" "trace-login")
$(pair "URL (filter-in)" access.log plain "lnav url" "trace-url")
$(pair "Message-ID" maillog plain "lnav mail" "trace-mail")

The commands (paths relative to the repository root; the lnav ones run with \`HOME=$(r "$LNAV_HOME")\`):

    $(r "$(lnav_dhcp_cmd "")")
    $(r "$(lease_cmd "")")
    $(r "$(lnav_nat_cmd "")")
    $(r "$(nat_cmd "")")
    $(r "$(lnav_login_cmd "")")
    $(r "$(login_cmd "")")
    $(r "$(lnav_url_cmd "")")
    $(r "$(url_cmd "")")
    $(r "$(lnav_mail_cmd "")")
    $(r "$(mail_cmd)")

lnav's answers, as printed (checked before timing):

\`\`\`
$(for n in "lnav dhcp plain" "lnav login" "lnav mail"; do echo "${ANS[$n]}" | sed 's/ *$//'; done)
$(echo "${ANS[lnav nat]}" | head -3)
... ($NAT_LINES lines in all)
$(echo "${ANS[lnav url]}")
\`\`\`
EOF
say "wrote the lnav section of $OUT_MD"

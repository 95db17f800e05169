#!/usr/bin/env bash
# The benchmarks of the tools the other scripts leave out: trace-ip through
# the whole chain (NAT, DHCP, logins, directory) on one generated site, a
# single query and a batch; trace-owner over a large directory export; and
# trace-cat, the full parse of each family's log (records/s from its --stats)
# on plain, .gz and .zst. Also what the older sections lack: trace-nat on .gz
# and trace-login on .gz and .zst, each against the zgrep/awk an admin would
# type. Writes its section of BENCHMARKS.md (at the end; the others are kept).
# See tests/bench/README.md.
#
#   bash tests/bench/run_chain_benchmarks.sh [SIZE]   (default 256M per text log; K/M/G)
#
# Environment: DIR_ROWS (2000000), WTMP_RECORDS (1000000), QUERIES (10000),
# SIM_SCALE (10: the simulated site of tests/sim at that --scale, its IP
# queries as a trace-ip batch with known answers; 0 leaves it out),
# SEED (42), RUNS (3), JOBS (ninja -j, 1), BENCH_DATA, OUT_MD. The data, in
# bench-data/suite/, is shared with run_lnav_benchmarks.sh and kept while its
# stamp (sizes, seed, generator binaries) matches.
set -euo pipefail
NAME=run_chain_benchmarks
SUITE_SIZE=${1:-256M}
DIR_ROWS=${DIR_ROWS:-2000000}
WTMP_RECORDS=${WTMP_RECORDS:-1000000}
SIM_SCALE=${SIM_SCALE:-10}
source "$(dirname "${BASH_SOURCE[0]}")/suite_lib.sh"
LOG=$SDATA/chain-run.log
: >"$LOG"
MARK="# Benchmarks: chain, directory and full parse (trace-ip, trace-owner, trace-cat)"
need_tools cmake ninja hyperfine jq gzip zstd zgrep awk lscpu sha256sum python3
LOAD_START=$(load)
START_TS=$(date -u +%Y-%m-%dT%H:%M:%SZ)

build gen-asa-syslog gen-dhcpd-syslog gen-auth-log gen-wtmp gen-squid-access gen-postfix-log \
  gen-directory-csv trace-ip trace-owner trace-cat trace-nat trace-login
suite_data
suite_mtimes
S=$SDATA

QTIME=$(sed -n 's/.*: query time \(\S*\)$/\1/p' "$S/asa-gen.txt")
INSIDE=$(sed -n 's/.* inside \([0-9.]*:[0-9]*\) .*/\1/p' "$S/asa-gen.txt" | head -1)
IP=${PLANT_NAT%:*}
PORT=${PLANT_NAT#*:}
bytes() { stat -c %s "$S/$1"; }
lines() { sed -n 's/.*wrote \([0-9]*\) \(lines\|rows\|records\).*/\1/p' "$S/$1-gen.txt"; }

# ---------------------------------------------------------------- sources
# The site's sources file, one per input kind (plain, .gz, .zst): the NAT
# with its public addresses, the DHCP server, the central auth.log, the
# planted workstation's auth.log and the directory. Zones are UTC, the
# year-less logs' year 2026.
for ext in "" .gz .zst; do
  cat >"$S/chain-sources$ext.toml" <<EOF
[[source]]
name   = "fw01"
format = "cisco-asa"
files  = "asa.log$ext"
tz     = "UTC"
public = ["203.0.113.0/24"]

[[source]]
name   = "dhcp1"
format = "isc-dhcpd"
files  = "dhcpd.log$ext"
tz     = "UTC"
year   = $YEAR

[[source]]
name   = "syslog"
format = "sshd"
files  = "auth.log$ext"
tz     = "UTC"
year   = $YEAR

[[source]]
name   = "ws-planted-1"
format = "sshd"
files  = "ws-planted-1.auth.log"
tz     = "UTC"
year   = $YEAR
host   = "ws-planted-1"

[[directory]]
name   = "hr"
format = "csv"
files  = "directory.csv"
tz     = "UTC"
EOF
done

TIP="$BIN/trace-ip"
ip_cmd() { echo "$TIP --config $S/chain-sources$1.toml $PLANT_NAT $QTIME -o tsv >/dev/null"; }
ip_batch_cmd() { echo "$TIP --config $S/chain-sources.toml -o tsv <$S/asa-queries.tsv >/dev/null 2>&1 || true"; }
OWNER_TIME=2026-11-20T12:00:00Z
TOWN="$BIN/trace-owner --directory csv:$S/directory.csv"
owner_cmd() { echo "$TOWN $PLANT_LOGIN $OWNER_TIME -o tsv >/dev/null"; }
owner_batch_cmd() { echo "$TOWN -o tsv <$S/owner-queries.tsv >/dev/null"; }
owner_pipe_cmd() { echo "grep '^$PLANT_LOGIN,' $S/directory.csv"; }

# The admin's lookups for the NAT and login queries (as in
# run_nat_benchmarks.sh: the last Built translation at or before the time; for
# the login, the last "Accepted" on the host at or before it, year tracked).
cat >"$S/last_xlate.awk" <<'AWK'
BEGIN { n = split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m, " ")
        for (i = 1; i <= n; i++) mon[m[i]] = i }
$NF == t && / Built dynamic / {
  k = sprintf("%04d%02d%02d%s", $3, mon[$1], $2, $4); gsub(":", "", k)
  if (k <= q) last = $0 }
END { if (last == "") exit 1; print last }
AWK
cat >"$S/last_accept.awk" <<'AWK'
BEGIN { n = split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m, " ")
        for (i = 1; i <= n; i++) mon[m[i]] = i; y = y0 }
{ mo = mon[$1]; if (pm && mo < pm) y++; pm = mo; split($3, t, ":")
  k = sprintf("%04d%02d%02d%02d%02d%02d", y, mo, $2, t[1], t[2], t[3])
  if ($4 == h && $6 == "Accepted" && k <= q) last = $0 }
END { if (last == "") exit 1; print last }
AWK
NQKEY=$(echo "$QTIME" | tr -d -- '-:TZ')
NAT="$BIN/trace-nat --tz UTC"
nat_cmd() { echo "$NAT --log $S/asa.log$1 $PLANT_NAT $QTIME -o tsv >/dev/null"; }
nat_pipe_cmd() { echo "zgrep -F 'to outside:$IP/$PORT' $S/asa.log$1 | awk -v t=outside:$IP/$PORT -v q=$NQKEY -f $S/last_xlate.awk"; }
A_QTIME=$(sed -n 's/.*: query time \(\S*\)$/\1/p' "$S/auth-gen.txt")
A_QKEY=$(echo "$A_QTIME" | tr -d -- '-:TZ')
A_Y0=$(sed -n 's/.*: time \([0-9]*\)-.*/\1/p' "$S/auth-gen.txt")
LOGIN="$BIN/trace-login --tz UTC"
login_cmd() { echo "$LOGIN --log $S/auth.log$1 srv-planted $A_QTIME -o tsv >/dev/null"; }
login_pipe_cmd() { echo "zgrep -F ' srv-planted sshd[' $S/auth.log$1 | awk -v h=srv-planted -v y0=$A_Y0 -v q=$A_QKEY -f $S/last_accept.awk"; }
login_zpipe_cmd() { echo "zstd -dc $S/auth.log.zst | grep -F ' srv-planted sshd[' | awk -v h=srv-planted -v y0=$A_Y0 -v q=$A_QKEY -f $S/last_accept.awk"; }

# trace-cat: every record of each family's log, on each input.
CAT_FILES=(dhcp:isc-dhcpd:dhcpd.log nat:cisco-asa:asa.log login:sshd:auth.log proxy:squid:access.log
           smtp:postfix:maillog)
cat_cmd() { echo "$BIN/trace-cat --tz UTC --log $1:$S/$2 -o tsv >/dev/null"; }

# ---------------------------------------------------------------- answers
say "answers (checked before timing)"
chain_row() {  # chain.match, nat inside, lease mac and host, login user, owner name and id
  paste <(tsv_col "$1" chain.match) <(tsv_col "$1" nat.ip) <(tsv_col "$1" lease.mac) \
    <(tsv_col "$1" lease.host) <(tsv_col "$1" login.user) <(tsv_col "$1" owner.name) <(tsv_col "$1" owner.id)
}
for ext in "" .gz .zst; do
  $TIP --config "$S/chain-sources$ext.toml" "$PLANT_NAT" "$QTIME" -o tsv >"$S/chain-answer$ext.tsv" 2>>"$LOG" || true
  chain_row "$S/chain-answer$ext.tsv" >"$S/chain-answer$ext.rows"
done
CHAIN_ANSWER=$(cat "$S/chain-answer.rows")
echo "trace-ip: $CHAIN_ANSWER" | tee -a "$LOG" >&2
WANT_CHAIN="exact	${INSIDE%:*}	00:16:3e:be:00:00	ws-planted-1	$PLANT_LOGIN	Pat Planted	P0000001"
[[ $CHAIN_ANSWER == "$WANT_CHAIN" ]] ||
  die "trace-ip did not answer the planted chain: wanted '$WANT_CHAIN', got '$CHAIN_ANSWER' (see $S/chain-answer.tsv)"
for ext in .gz .zst; do
  cmp -s "$S/chain-answer.rows" "$S/chain-answer$ext.rows" || die "trace-ip answers differ on $ext"
done
say "trace-ip batch answers ($QUERIES queries)"
$TIP --config "$S/chain-sources.toml" -o tsv <"$S/asa-queries.tsv" >"$S/chain-batch.tsv" 2>>"$LOG" || true
NQ=$(($(wc -l <"$S/asa-queries.tsv") - 1))
IPB_NAT_OK=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  $c["nat.match"] == "exact" && $c["nat.ip"] == $c["expect_ip"] && $c["nat.port"] == $c["expect_port"] { n++ }
  END { print n + 0 }' "$S/chain-batch.tsv")
IPB_ROWS=$(($(wc -l <"$S/chain-batch.tsv") - 1))
IPB_MATCH=$(tsv_counts "$S/chain-batch.tsv" chain.match)
IPB_LIMIT=$(tsv_counts "$S/chain-batch.tsv" chain.limited_by)
echo "trace-ip batch: NAT hop right $IPB_NAT_OK of $NQ; chain.match $IPB_MATCH; limited_by $IPB_LIMIT" | tee -a "$LOG" >&2
[[ $IPB_NAT_OK == "$NQ" ]] || die "trace-ip batch: the NAT hop is right for $IPB_NAT_OK of $NQ queries (see $S/chain-batch.tsv)"

$TOWN "$PLANT_LOGIN" "$OWNER_TIME" -o tsv >"$S/owner-answer.tsv"
OWNER_ANSWER=$(paste <(tsv_col "$S/owner-answer.tsv" owner.match) <(tsv_col "$S/owner-answer.tsv" owner.name) \
  <(tsv_col "$S/owner-answer.tsv" owner.id))
echo "trace-owner: $OWNER_ANSWER" | tee -a "$LOG" >&2
[[ $OWNER_ANSWER == "exact	Pat Planted	P0000001" ]] || die "trace-owner did not answer Pat Planted for $PLANT_LOGIN"
OWNER_PIPE=$(eval "$(owner_pipe_cmd)")
[[ $(echo "$OWNER_PIPE" | wc -l) == 2 ]] || die "grep did not find the two rows of $PLANT_LOGIN"
NOQ=$(($(wc -l <"$S/owner-queries.tsv") - 1))
$TOWN -o tsv <"$S/owner-queries.tsv" >"$S/owner-batch.tsv"
OWNB_OK=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  $c["owner.match"] == "exact" && $c["owner.id"] == $c["expect_id"] { n++ } END { print n + 0 }' "$S/owner-batch.tsv")
echo "trace-owner batch: $OWNB_OK of $NOQ exact with the expected id ($(tsv_counts "$S/owner-batch.tsv" owner.match))" | tee -a "$LOG" >&2
[[ $OWNB_OK == "$NOQ" ]] || die "trace-owner batch: $OWNB_OK of $NOQ right (see $S/owner-batch.tsv)"

# The simulated site of tests/sim (issue 3's generator of a whole network
# with its truth): accuracy.py generates it, asks every query and scores the
# answers; its IP queries are then timed as one trace-ip batch. Kept while
# its stamp matches.
SIM_DIR=$S/sim
SIM_SITE=$SIM_DIR/site-1-newyear
if ((SIM_SCALE > 0)); then
  sim_stamp="scale=$SIM_SCALE $(sha256sum "$ROOT/tests/sim/gen_site.py" | cut -c1-16)"
  if [[ -f $SIM_DIR/stamp && $(cat "$SIM_DIR/stamp") == "$sim_stamp" && -f $SIM_DIR/score.txt ]]; then
    say "reusing the simulated site in $SIM_DIR ($sim_stamp)"
  else
    rm -rf "$SIM_DIR"
    mkdir -p "$SIM_DIR"
    say "simulated site: tests/sim/accuracy.py --sites 1 --scale $SIM_SCALE (generates it, asks every query)"
    python3 "$ROOT/tests/sim/accuracy.py" "$BIN" --sites 1 --scale "$SIM_SCALE" --keep "$SIM_DIR" \
      >"$SIM_DIR/score.txt" 2>&1 || true
    echo "$sim_stamp" >"$SIM_DIR/stamp"
  fi
  SIM_SCORE=$(sed -n 's/^SCORE: //p' "$SIM_DIR/score.txt")
  SIM_WRONG=$(sed -n 's/^  \(wrong answer.*\|overconfident.*\|missed gap\): \(.*\)/\1: \2/p' "$SIM_DIR/score.txt" | paste -sd';' | sed 's/;/; /g')
  [[ -n $SIM_SCORE && -f $SIM_SITE/queries-ip.tsv ]] || die "accuracy.py gave no score (see $SIM_DIR/score.txt)"
  SIM_NQ=$(($(wc -l <"$SIM_SITE/queries-ip.tsv") - 1))
  SIM_BYTES=$(find "$SIM_SITE/fw" "$SIM_SITE/dhcp" "$SIM_SITE/hosts" "$SIM_SITE/radius" "$SIM_SITE/people.csv" \
    "$SIM_SITE/fixed-ip.txt" -type f -printf '%s\n' | awk '{ n += $1 } END { print n }')
  SIM_FILES=$(find "$SIM_SITE/fw" "$SIM_SITE/dhcp" "$SIM_SITE/hosts" "$SIM_SITE/radius" -type f | wc -l)
  echo "simulated site: $SIM_SCORE ($SIM_WRONG); $SIM_NQ IP queries" | tee -a "$LOG" >&2
fi
sim_cmd() { echo "$TIP --config $SIM_SITE/sources.toml -o tsv <$SIM_SITE/queries-ip.tsv >/dev/null 2>&1 || true"; }

for ext in "" .gz .zst; do
  $NAT --log "$S/asa.log$ext" "$PLANT_NAT" "$QTIME" -o tsv >"$S/nat-answer$ext.tsv" || true
  $LOGIN --log "$S/auth.log$ext" srv-planted "$A_QTIME" -o tsv >"$S/login-answer$ext.tsv" || true
done
nat_row() { paste <(tsv_col "$1" nat.match) <(tsv_col "$1" nat.ip) <(tsv_col "$1" nat.port) <(tsv_col "$1" nat.start) <(tsv_col "$1" nat.end) | head -1; }
login_row() { paste <(tsv_col "$1" login.match) <(tsv_col "$1" login.user) <(tsv_col "$1" login.from) <(tsv_col "$1" login.start) <(tsv_col "$1" login.end) | head -1; }
NAT_ANSWER=$(nat_row "$S/nat-answer.tsv")
[[ $(echo "$NAT_ANSWER" | cut -f1-3) == "exact	${INSIDE%:*}	${INSIDE#*:}" ]] || die "trace-nat: '$NAT_ANSWER'"
LOGIN_ANSWER=$(login_row "$S/login-answer.tsv")
[[ $(echo "$LOGIN_ANSWER" | cut -f1-3) == "exact	planted	198.51.100.77" ]] || die "trace-login: '$LOGIN_ANSWER'"
for ext in .gz .zst; do
  [[ $(nat_row "$S/nat-answer$ext.tsv") == "$NAT_ANSWER" ]] || die "trace-nat answers differ on $ext"
  [[ $(login_row "$S/login-answer$ext.tsv") == "$LOGIN_ANSWER" ]] || die "trace-login answers differ on $ext"
done
NAT_PIPE=$(eval "$(nat_pipe_cmd .gz)")
LOGIN_PIPE=$(eval "$(login_pipe_cmd .gz)")
[[ $NAT_PIPE == *"inside:${INSIDE/:/\/} "* ]] || die "the NAT pipeline found '$NAT_PIPE'"
[[ $LOGIN_PIPE == *"Accepted "*" for planted from 198.51.100.77 "* ]] || die "the login pipeline found '$LOGIN_PIPE'"

# ---------------------------------------------------------------- timing
HF_NAMES=("trace-ip plain" "trace-ip .gz" "trace-ip .zst" "trace-ip batch"
          "trace-owner" "trace-owner batch" "grep owner"
          "trace-nat .gz" "zgrep|awk nat .gz" "trace-login plain" "trace-login .gz" "trace-login .zst"
          "zgrep|awk login plain" "zgrep|awk login .gz" "zstd|grep|awk login .zst")
HF_CMDS=("$(ip_cmd "")" "$(ip_cmd .gz)" "$(ip_cmd .zst)" "$(ip_batch_cmd)"
         "$(owner_cmd)" "$(owner_batch_cmd)" "$(owner_pipe_cmd) >/dev/null"
         "$(nat_cmd .gz)" "$(nat_pipe_cmd .gz) >/dev/null" "$(login_cmd "")" "$(login_cmd .gz)" "$(login_cmd .zst)"
         "$(login_pipe_cmd "") >/dev/null" "$(login_pipe_cmd .gz) >/dev/null" "$(login_zpipe_cmd) >/dev/null")
for spec in "${CAT_FILES[@]}"; do
  IFS=: read -r fam fmt file <<<"$spec"
  for ext in "" .gz .zst; do
    HF_NAMES+=("trace-cat $fam ${ext:-plain}")
    HF_CMDS+=("$(cat_cmd "$fmt" "$file$ext")")
  done
done
HF_NAMES+=("trace-cat login wtmp" "trace-cat owner plain")
HF_CMDS+=("$(cat_cmd utmp wtmp)" "$(cat_cmd csv directory.csv)")
if ((SIM_SCALE > 0)); then HF_NAMES+=("trace-ip sim batch"); HF_CMDS+=("$(sim_cmd)"); fi

((${#HF_NAMES[@]} == ${#HF_CMDS[@]})) || die "${#HF_NAMES[@]} names for ${#HF_CMDS[@]} commands"
# Warm-up: peak RSS with /usr/bin/time, and trace-cat's record counts.
say "warm-up round; peak RSS (/usr/bin/time -f %M); trace-cat --stats"
for k in "${!HF_NAMES[@]}"; do
  n=${HF_NAMES[$k]}
  c=${HF_CMDS[$k]}
  tag=$(echo "$n" | tr ' |' '__')
  case $n in
    trace-cat*) c="${c% -o tsv >/dev/null} --stats -o tsv >/dev/null 2>$S/stats-$tag.txt" ;;
  esac
  /usr/bin/time -f %M -o "$S/rss-$tag.txt" bash -c "$c" >/dev/null 2>&1 || true
done
# trace-cat --stats: "FILE: FORMAT (...): N lines, N records, ...".
cat_records() { sed -n 's/.*: \([0-9]*\) lines, \([0-9]*\) records,.*/\2/p' "$S/stats-$1.txt" | head -1; }

run_rounds chain
LOAD_END=$(load)

# ---------------------------------------------------------------- report
declare -A T C
for n in "${HF_NAMES[@]}"; do T[$n]=$(best chain "$n"); C[$n]=$(cpu_of chain "$n"); done
rss() { rss_mb "rss-$(echo "$1" | tr ' |' '__').txt"; }
ratio() { calc "%.2f" "${T[$1]} / ${T[$2]}"; }
mbs() { calc "%.0f" "$1 / 1e6 / $2"; }  # BYTES SECONDS
# NAME LABEL BYTES LINES: a row of wall s, MB/s wall and CPU, lines/s, CPU s, RSS.
row() {
  echo "| $2 | $(s3 "${T[$1]}") | $(mbs "$3" "${T[$1]}") | $(mbs "$3" "${C[$1]}") | $(calc "%.0f" "$4 / ${T[$1]}") | $(s3 "${C[$1]}") | $(rss "$1") MB |"
}
ASA_B=$(bytes asa.log); DHCP_B=$(bytes dhcpd.log); AUTH_B=$(bytes auth.log)
CHAIN_B=$((ASA_B + DHCP_B + AUTH_B + $(bytes ws-planted-1.auth.log)))
CHAIN_L=$(($(lines asa) + $(lines dhcpd) + $(lines auth) + 6))
DIR_B=$(bytes directory.csv); DIR_L=$(lines directory)

SIM_SECTION=""
if ((SIM_SCALE > 0)); then
  SIM_SECTION=$(cat <<EOF
### The simulated site, with its truth

tests/sim's generator (issue 3: a site with fixed-IP offices, DHCP labs, wireless laptops on
RADIUS, a PAT firewall with port reuse, rotation, .gz and .zst, year-less logs across New Year,
a clock off, lost lines, noise) at \`--scale $SIM_SCALE\`, seed 1: $SIM_FILES log files, $SIM_BYTES bytes
on disk with the directory and register (some compressed). \`python3 tests/sim/accuracy.py
build-bench/bin --sites 1 --scale $SIM_SCALE\` asked every query and scored the answers against the
truth: **$SIM_SCORE** ($SIM_WRONG). Its $SIM_NQ IP queries, as one trace-ip batch:

| command | best wall s | queries/s | least CPU s | peak RSS |
|---|---:|---:|---:|---:|
| trace-ip, batch of $SIM_NQ over the simulated site | $(s3 "${T[trace-ip sim batch]}") | $(calc "%.0f" "$SIM_NQ / ${T[trace-ip sim batch]}") | $(s3 "${C[trace-ip sim batch]}") | $(rss "trace-ip sim batch") MB |

    $(r "$(sim_cmd)")

EOF
)
  SIM_SECTION+=$'\n'
fi
MACHINE=$(machine_line)  # before the report changes the tree
drop_section "$MARK"
cat >>"$OUT_MD" <<EOF
$MARK

Made by \`bash tests/bench/run_chain_benchmarks.sh $SUITE_SIZE\` (DIR_ROWS=$DIR_ROWS, WTMP_RECORDS=$WTMP_RECORDS,
RUNS=$RUNS; see tests/bench/README.md) from $START_TS to $(date -u +%Y-%m-%dT%H:%M:%SZ). Regenerate
rather than edit. \`bash tests/bench/run_all.sh\` runs it with the rest of the suite.

Machine: $MACHINE. Load average (1/5/15 min): $LOAD_START at the start, $LOAD_END at the end.
**The machine is shared**: as in the other sections, the commands are interleaved (a warm-up
round that also takes peak RSS, then $RUNS rounds of one hyperfine run each), a command's wall
time is its best round and its CPU time (user+sys, all its processes) its least; the widest
spread of one command between rounds was $(spread chain). MB/s is of decompressed bytes (10^6)
per second; lines/s counts the lines (or rows, or records) of the input.

## The site

One generated site, in $(r "$S")/, written so that one query runs through every hop
(the planted chain), the rest being haystack.$( ((SUITE_REUSED)) && echo " Reused from an earlier run (its stamp matched).")

| file | bytes | lines | made by |
|---|---:|---:|---|
| asa.log | $ASA_B | $(lines asa) | \`gen-asa-syslog --seed $SEED --size $SUITE_SIZE --plant $PLANT_NAT --queries asa-queries.tsv --query-count $QUERIES\` |
| dhcpd.log | $DHCP_B | $(lines dhcpd) | \`gen-dhcpd-syslog --seed $SEED --size $SUITE_SIZE --plant ${INSIDE%:*} --start (query time - 30 min)\` |
| auth.log | $AUTH_B | $(lines auth) | \`gen-auth-log --seed $SEED --size $SUITE_SIZE --plant --start (NAT start - 1 h)\`: $(grep ' ssh sessions on ' "$S/auth-gen.txt" | sed 's/^[a-z-]*: //') |
| ws-planted-1.auth.log | $(bytes ws-planted-1.auth.log) | 6 | the script: one ssh session of user $PLANT_LOGIN, 20 min either side of the query |
| access.log | $(bytes access.log) | $(lines access) | \`gen-squid-access --seed $SEED --size $SUITE_SIZE --plant $PLANT_URL\` |
| maillog | $(bytes maillog) | $(lines mail) | \`gen-postfix-log --seed $SEED --size $SUITE_SIZE --plant-msgid '$PLANT_MSGID'\` |
| wtmp | $(bytes wtmp) | $(lines wtmp) | \`gen-wtmp --seed $SEED --records $WTMP_RECORDS --plant\` |
| directory.csv | $DIR_B | $DIR_L | \`gen-directory-csv --seed $SEED --rows $DIR_ROWS --plant $PLANT_LOGIN --queries owner-queries.tsv --query-count $QUERIES\`: $(sed -n 's/^gen-directory-csv: \([0-9]* people.*\)/\1/p' "$S/directory-gen.txt") |

Each text log also as .gz (\`gzip -6 -k\`) and .zst (\`zstd -3 -k\`). The chain's sources file
($(r "$S")/chain-sources.toml, and .gz.toml, .zst.toml naming the compressed logs) names the
firewall with its public addresses 203.0.113.0/24, the DHCP server, the central auth.log, the
workstation's auth.log (\`host = "ws-planted-1"\`) and the directory, all in UTC.

## trace-ip: the whole chain

Answers, checked before timing (the script stops if one is wrong):

    trace-ip $PLANT_NAT $QTIME (chain.match, nat.ip, lease.mac, lease.host, login.user, owner.name, owner.id):
      $CHAIN_ANSWER   (the same on .gz and .zst)
    batch of $NQ queries (the NAT generator's, each with the inside host expected): NAT hop right for
      $IPB_NAT_OK of $NQ ($IPB_ROWS rows); chain.match: $IPB_MATCH; limited_by: $IPB_LIMIT

The batch's inside hosts are the NAT generator's (10.2.0.0/16), which the DHCP log (10.1.0.0/16)
never leased, and that log starts only half an hour before the planted query, less than a lease
time before any of these: the lease hop answers gap for each (a lease granted before the log
starts cannot be ruled out). So this batch measures the NAT hop and one lease lookup per query,
not four full hops; the single query does run through all four, and the simulated site below is
a batch in which every hop has something to find.

| command | best wall s | MB/s (wall) | MB/s (CPU) | lines/s | least CPU s | peak RSS |
|---|---:|---:|---:|---:|---:|---:|
$(row "trace-ip plain" "trace-ip, single query, plain logs" "$CHAIN_B" "$CHAIN_L")
$(row "trace-ip .gz" "trace-ip, single query, .gz logs" "$CHAIN_B" "$CHAIN_L")
$(row "trace-ip .zst" "trace-ip, single query, .zst logs" "$CHAIN_B" "$CHAIN_L")
$(row "trace-ip batch" "trace-ip, batch of $NQ, plain logs" "$CHAIN_B" "$CHAIN_L")

MB/s and lines/s are of the four logs the chain reads (asa.log, dhcpd.log, auth.log and the
workstation's, $CHAIN_B bytes); the directory is read too. Batch / single query: $(ratio "trace-ip batch" "trace-ip plain") x
(rounds $(round_ratios chain "trace-ip batch" "trace-ip plain")). No admin pipeline answers this question: it is the four
lookups below (NAT, lease, login, directory) done by hand, one after the other, each a
zgrep of the previous one's answer.

    $(r "$(ip_cmd "")")
    $(r "$(ip_batch_cmd)")

$SIM_SECTION
## trace-owner: the directory

    trace-owner $PLANT_LOGIN $OWNER_TIME: $OWNER_ANSWER
    grep '^$PLANT_LOGIN,': $(echo "$OWNER_PIPE" | tr '\n' '|' | sed 's/|$//; s/|/ | /g')
    batch of $NOQ (user, time, expect_id): $OWNB_OK of $NOQ exact with the expected employee id

| command | best wall s | MB/s (wall) | MB/s (CPU) | rows/s | least CPU s | peak RSS |
|---|---:|---:|---:|---:|---:|---:|
$(row "trace-owner" "trace-owner, single query" "$DIR_B" "$DIR_L")
$(row "trace-owner batch" "trace-owner, batch of $NOQ" "$DIR_B" "$DIR_L")
$(row "grep owner" "grep '^LOGIN,' (the admin's lookup)" "$DIR_B" "$DIR_L")

grep time / trace-owner time: $(ratio "grep owner" "trace-owner") (rounds $(round_ratios chain "grep owner" "trace-owner")). grep
answers less: it gives both rows of the reused login and leaves the dates to the reader; a
directory is rarely compressed, so only plain input is measured.

    $(r "$(owner_cmd)")
    $(r "$(owner_batch_cmd)")

## trace-cat: full parse of each family

\`trace-cat --tz UTC --log FORMAT:FILE -o tsv >/dev/null\`: every record of the file written as
TSV, so this is the parse plus the output, the upper bound of what a query over the same file
costs without a prefilter. records = what \`trace-cat --stats\` counted in the warm-up round.

| family (format) | input | best wall s | MB/s (wall) | MB/s (CPU) | records/s (wall) | records | least CPU s | peak RSS |
|---|---|---:|---:|---:|---:|---:|---:|---:|
EOF
for spec in "${CAT_FILES[@]}" login:utmp:wtmp owner:csv:directory.csv; do
  IFS=: read -r fam fmt file <<<"$spec"
  exts=("" .gz .zst)
  [[ $file == wtmp || $file == directory.csv ]] && exts=("")
  for ext in "${exts[@]}"; do
    n="trace-cat $fam ${ext:-plain}"
    [[ $file == wtmp ]] && n="trace-cat login wtmp"
    b=$(bytes "$file")
    recs=$(cat_records "$(echo "$n" | tr ' |' '__')")
    echo "| $fam ($fmt, $file) | ${ext:-plain} | $(s3 "${T[$n]}") | $(mbs "$b" "${T[$n]}") | $(mbs "$b" "${C[$n]}") | $(calc "%.0f" "${recs:-0} / ${T[$n]}") | ${recs:-?} | $(s3 "${C[$n]}") | $(rss "$n") MB |" >>"$OUT_MD"
  done
done

cat >>"$OUT_MD" <<EOF

## What the older sections leave out: trace-nat on .gz, trace-login on .gz and .zst

The NAT section measures plain and .zst, the login section plain only and no admin pipeline.
On this site's asa.log and central auth.log (a session of user planted on host srv-planted,
asked at $A_QTIME; trace-login answers $(echo "$LOGIN_ANSWER" | tr '\t' ' ')):

| command | best wall s | MB/s (wall) | MB/s (CPU) | lines/s | least CPU s | peak RSS |
|---|---:|---:|---:|---:|---:|---:|
$(row "trace-nat .gz" "trace-nat, single query, .gz" "$ASA_B" "$(lines asa)")
$(row "zgrep|awk nat .gz" "zgrep -F\|awk (last Built translation), .gz" "$ASA_B" "$(lines asa)")
$(row "trace-login plain" "trace-login, host + time, plain" "$AUTH_B" "$(lines auth)")
$(row "trace-login .gz" "trace-login, host + time, .gz" "$AUTH_B" "$(lines auth)")
$(row "trace-login .zst" "trace-login, host + time, .zst" "$AUTH_B" "$(lines auth)")
$(row "zgrep|awk login plain" "zgrep -F\|awk (last Accepted on the host), plain" "$AUTH_B" "$(lines auth)")
$(row "zgrep|awk login .gz" "zgrep -F\|awk, .gz" "$AUTH_B" "$(lines auth)")
$(row "zstd|grep|awk login .zst" "zstd -dc\|grep -F\|awk, .zst" "$AUTH_B" "$(lines auth)")

Pipeline time / tracekit time: NAT .gz $(ratio "zgrep|awk nat .gz" "trace-nat .gz"); login plain $(ratio "zgrep|awk login plain" "trace-login plain"),
.gz $(ratio "zgrep|awk login .gz" "trace-login .gz"), .zst $(ratio "zstd|grep|awk login .zst" "trace-login .zst"). The login pipeline answers less than trace-login:
the last \`Accepted\` line for the host at or before the time, not whether the session was still
open then, nor any other session open at the same time:

    $(r "$(login_pipe_cmd .gz)")

with last_accept.awk:

\`\`\`awk
$(cat "$S/last_accept.awk")
\`\`\`
EOF
say "wrote the chain, directory and full-parse section of $OUT_MD"

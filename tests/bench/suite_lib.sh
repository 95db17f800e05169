# Sourced by run_chain_benchmarks.sh and run_lnav_benchmarks.sh: the helpers
# the four older scripts each carry a copy of (timing rounds, best round,
# section replacement), and the data both new scripts read, generated once
# into $SDATA (bench-data/suite/) and reused while its stamp matches.
#
# The caller sets NAME (for messages and file prefixes), LOG, and before
# sourcing may set SIZE and the environment documented in tests/bench/README.md.
# shellcheck shell=bash

export LC_ALL=C TZ=UTC
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$ROOT/build-bench
# BENCH_BIN: programs built elsewhere, not built here (a check of the scripts).
BIN=${BENCH_BIN:-$BUILD/bin}
DATA=${BENCH_DATA:-$ROOT/bench-data}
SDATA=$DATA/suite
OUT_MD=${OUT_MD:-$ROOT/BENCHMARKS.md}
SEED=${SEED:-42}
RUNS=${RUNS:-3}
JOBS=${JOBS:-1}

mkdir -p "$SDATA"
say() { echo "== $*" | tee -a "$LOG" >&2; }
die() { echo "$NAME: $*" | tee -a "$LOG" >&2; exit 1; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
s3() { calc "%.3f" "$1"; }
verdict() { awk "BEGIN { print (($1) ? \"PASS\" : \"MISS\") }"; }
# GNU time's -o file may say "Command exited with non-zero status N" first.
rss_mb() { awk '/^[0-9]+$/ { v = $1 } END { printf "%.0f", v * 1024 / 1e6 }' "$SDATA/$1"; }
r() { echo "${1//$ROOT\//}"; }  # paths as printed: relative to the root
tsv_col() { awk -F'\t' -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print (k ? $k : "?") }' "$1"; }
# Counts of a TSV column's values: "3 exact, 1 gap".
tsv_counts() { tsv_col "$1" "$2" | sort | uniq -c | sort -rn | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $2 }'; }

need_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$NAME: $tool is not installed" >&2; exit 2; }
  done
  [[ -x /usr/bin/time ]] || { echo "$NAME: /usr/bin/time (GNU time) is not installed" >&2; exit 2; }
}

# The Release tree, as the other scripts build it (-j$JOBS, ccache if any).
build() {
  [[ -z ${BENCH_BIN:-} ]] || { say "not building: BENCH_BIN=$BENCH_BIN"; return 0; }
  say "build (Release, $BUILD, -j$JOBS): $*"
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" >>"$LOG" 2>&1
  ninja -C "$BUILD" -j"$JOBS" "$@" >>"$LOG" 2>&1 || die "the build failed (see $LOG)"
}

# ---------------------------------------------------------------- the data
# One site's logs, aligned so that a single trace-ip query runs through every
# hop: the NAT's planted translation (gen-asa-syslog) names inside host
# 10.2.254.77; the DHCP log (gen-dhcpd-syslog, starting half an hour before
# that query) leases it to ws-planted-1 for the whole file; that workstation's
# own auth.log (six lines written here) has user "planted" logged in then; the
# directory (gen-directory-csv) says "planted" is Pat Planted since 2024. The
# central auth.log (gen-auth-log), a Squid access.log, a Postfix maillog and a
# wtmp are the haystack the login hop and trace-cat read as well.
#
# Sizes: SUITE_SIZE for each text log (K/M/G), DIR_ROWS, WTMP_RECORDS. Every
# text log also gets .gz (gzip -6) and .zst (zstd -3) copies. Kept while
# $SDATA/suite.stamp matches the sizes, seed and generator binaries.
PLANT_NAT=203.0.113.20:40123
PLANT_URL=http://files.example.net/leak/dump.zip
PLANT_URL_CLIENT=10.20.254.77
PLANT_MSGID='<20261026101500.GA31337@ws-lab2-14.campus.example.org>'
PLANT_LOGIN=planted
YEAR=2026
QUERIES=${QUERIES:-10000}

suite_data() {
  local stamp
  stamp="seed=$SEED size=$SUITE_SIZE rows=$DIR_ROWS wtmp=$WTMP_RECORDS queries=$QUERIES $(cd "$BIN" &&
    sha256sum gen-asa-syslog gen-dhcpd-syslog gen-auth-log gen-wtmp gen-squid-access gen-postfix-log \
      gen-directory-csv | sha256sum | cut -c1-16)"
  local files=(asa.log dhcpd.log auth.log ws-planted-1.auth.log access.log maillog wtmp directory.csv)
  local ok=1 f
  for f in "${files[@]}"; do [[ -f $SDATA/$f ]] || ok=0; done
  for f in asa.log dhcpd.log auth.log access.log maillog; do
    [[ -f $SDATA/$f.gz && -f $SDATA/$f.zst ]] || ok=0
  done
  if [[ $ok == 1 && -f $SDATA/suite.stamp && $(cat "$SDATA/suite.stamp") == "$stamp" ]]; then
    say "reusing $SDATA ($stamp)"
    SUITE_REUSED=1
    return
  fi
  SUITE_REUSED=0
  rm -f "$SDATA/suite.stamp"
  say "generate the site's logs into $SDATA ($SUITE_SIZE each; $DIR_ROWS directory rows; $WTMP_RECORDS wtmp records)"
  "$BIN/gen-asa-syslog" --seed "$SEED" --size "$SUITE_SIZE" --plant "$PLANT_NAT" --out "$SDATA/asa.log" \
    --queries "$SDATA/asa-queries.tsv" --query-count "$QUERIES" 2>"$SDATA/asa-gen.txt"
  local qtime inside t0
  qtime=$(sed -n 's/.*: query time \(\S*\)$/\1/p' "$SDATA/asa-gen.txt")
  inside=$(sed -n 's/.* inside \([0-9.]*\):.*/\1/p' "$SDATA/asa-gen.txt" | head -1)
  [[ -n $qtime && -n $inside ]] || die "gen-asa-syslog named no planted translation (see $SDATA/asa-gen.txt)"
  # The DHCP log starts half an hour before the query: the planted lease is
  # renewed every 30 minutes from the first line on.
  t0=$(date -u -d "$qtime - 30 minutes" +%Y-%m-%dT%H:%M:%S)
  "$BIN/gen-dhcpd-syslog" --seed "$SEED" --size "$SUITE_SIZE" --plant "$inside" --start "$t0" \
    --out "$SDATA/dhcpd.log" 2>"$SDATA/dhcpd-gen.txt"
  # The central auth.log starts an hour before the NAT log.
  t0=$(date -u -d "$(sed -n 's/.*: time \(\S*\) \.\. .*/\1/p' "$SDATA/asa-gen.txt") - 1 hour" +%Y-%m-%dT%H:%M:%S)
  "$BIN/gen-auth-log" --seed "$SEED" --size "$SUITE_SIZE" --plant --start "$t0" --out "$SDATA/auth.log" \
    2>"$SDATA/auth-gen.txt"
  # The planted workstation's own auth.log: one ssh session of "planted",
  # from 20 minutes before the query to 20 minutes after (the lines are those
  # gen-auth-log writes for a session).
  local a b
  a=$(date -u -d "$qtime - 20 minutes" '+%b %e %H:%M:%S')
  b=$(date -u -d "$qtime + 20 minutes" '+%b %e %H:%M:%S')
  cat >"$SDATA/ws-planted-1.auth.log" <<EOF
$a ws-planted-1 sshd[4242]: Accepted password for $PLANT_LOGIN from 10.9.8.7 port 50505 ssh2
$a ws-planted-1 sshd[4242]: pam_unix(sshd:session): session opened for user $PLANT_LOGIN(uid=1018) by (uid=0)
$a ws-planted-1 systemd-logind[412]: New session 1 of user $PLANT_LOGIN.
$b ws-planted-1 sshd[4242]: Received disconnect from 10.9.8.7 port 50505:11: disconnected by user
$b ws-planted-1 sshd[4242]: Disconnected from user $PLANT_LOGIN 10.9.8.7 port 50505
$b ws-planted-1 sshd[4242]: pam_unix(sshd:session): session closed for user $PLANT_LOGIN
EOF
  "$BIN/gen-squid-access" --seed "$SEED" --size "$SUITE_SIZE" --plant "$PLANT_URL" \
    --plant-client "$PLANT_URL_CLIENT" --out "$SDATA/access.log" 2>"$SDATA/access-gen.txt"
  "$BIN/gen-postfix-log" --seed "$SEED" --size "$SUITE_SIZE" --plant-msgid "$PLANT_MSGID" \
    --out "$SDATA/maillog" 2>"$SDATA/mail-gen.txt"
  "$BIN/gen-wtmp" --seed "$SEED" --records "$WTMP_RECORDS" --plant --out "$SDATA/wtmp" 2>"$SDATA/wtmp-gen.txt"
  "$BIN/gen-directory-csv" --seed "$SEED" --rows "$DIR_ROWS" --plant "$PLANT_LOGIN" --out "$SDATA/directory.csv" \
    --queries "$SDATA/owner-queries.tsv" --query-count "$QUERIES" 2>"$SDATA/directory-gen.txt"
  cat "$SDATA"/*-gen.txt >>"$LOG"
  for f in asa.log dhcpd.log auth.log access.log maillog; do
    say "gzip -6 -k, zstd -3 -k: $f"
    gzip -6 -k -f "$SDATA/$f"
    zstd -3 -k -f -q "$SDATA/$f"
  done
  echo "$stamp" >"$SDATA/suite.stamp"
}

# Year-less syslog: every file's mtime is its last line's time (what syslog
# would leave), for the tools and for lnav, which infer the year from it.
# Done on every run: copying the data elsewhere may have changed them.
suite_mtimes() {
  local f last
  for f in dhcpd auth; do
    last=$(sed -n 's/.*: time \S* \.\. \(\S*\) .*/\1/p' "$SDATA/$f-gen.txt")
    touch -d "$last" "$SDATA/$f.log" "$SDATA/$f.log.gz" "$SDATA/$f.log.zst"
  done
  last=$(sed -n 's/.*: time \S* \.\. \(\S*\) .*/\1/p' "$SDATA/mail-gen.txt")
  touch -d "$last" "$SDATA/maillog" "$SDATA/maillog.gz" "$SDATA/maillog.zst"
  touch -d "$(sed -n 's/.*: query time \(\S*\)$/\1/p' "$SDATA/asa-gen.txt") + 1 hour" "$SDATA/ws-planted-1.auth.log"
}

# ---------------------------------------------------------------- timing
# As the other scripts do: a warm-up round is the caller's; then RUNS rounds,
# each one hyperfine run of every command (interleaved, so that commands
# compared in a ratio ran within seconds of each other). HF_NAMES and HF_CMDS
# are the caller's arrays; JSON in $SDATA/$PREFIX-hf-round-N.json.
run_rounds() {
  local prefix=$1 k n args=()
  ((${#HF_NAMES[@]} == ${#HF_CMDS[@]})) || die "run_rounds: ${#HF_NAMES[@]} names for ${#HF_CMDS[@]} commands"
  for k in "${!HF_NAMES[@]}"; do args+=(-n "${HF_NAMES[$k]}" "${HF_CMDS[$k]}"); done
  rm -f "$SDATA/$prefix"-hf-round-*.json
  for ((n = 1; n <= RUNS; n++)); do
    say "round $n of $RUNS (load $(load))"
    [[ -z ${HF_DEBUG:-} ]] || printf "%q " hyperfine "${args[@]}" >&2
    hyperfine --style basic --runs 1 -i --export-json "$SDATA/$prefix-hf-round-$n.json" "${args[@]}" 2>&1 |
      grep -E '^(Benchmark|  Time)' | tee -a "$LOG" >&2
  done
}
# A command's best round (wall) and least CPU (user+sys, all its processes).
best() { jq -rs --arg n "$2" '[.[].results[] | select(.command == $n) | .mean] | min' "$SDATA/$1"-hf-round-*.json; }
cpu_of() { jq -rs --arg n "$2" '[.[].results[] | select(.command == $n) | .user + .system] | min' "$SDATA/$1"-hf-round-*.json; }
# The ratio time(A) / time(B) within each round: "lowest-highest".
round_ratios() {
  local f
  for f in "$SDATA/$1"-hf-round-*.json; do
    jq -r --arg a "$2" --arg b "$3" \
      '([.results[] | select(.command == $a) | .mean][0]) / ([.results[] | select(.command == $b) | .mean][0])' "$f"
  done | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }'
}
spread() {
  jq -rs '[.[].results[]] | group_by(.command)
    | map({c: .[0].command, r: ((map(.mean) | max) / (map(.mean) | min))}) | max_by(.r)
    | "\(.r * 100 | round / 100)x (\(.c))"' "$SDATA/$1"-hf-round-*.json
}

# ---------------------------------------------------------------- the report
machine_line() {
  local compiler
  compiler=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
  echo "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 " GiB" }'),
$(uname -sr), $("$compiler" --version | head -1) (Release), gzip $(gzip --version | head -1 | cut -d' ' -f2), zstd $(zstd -V | sed -n 's/.* v\([0-9.]*\),.*/\1/p'),
$(grep --version | head -1), hyperfine $(hyperfine --version | cut -d' ' -f2); tree at commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
($(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l) uncommitted paths)"
}

# Removes the section from MARK to the next "# Benchmarks: " heading (or the
# end) and leaves the file ready for it to be appended: the others, before and
# after it, are kept, and it goes at the end (as the URL and mail scripts do).
# A "Notes on this run" subsection is part of the section and goes with it.
drop_section() {
  local mark=$1
  [[ -f $OUT_MD ]] || return 0
  awk -v mark="$mark" '$0 == mark { skip = 1; next } skip && /^# Benchmarks: / { skip = 0 } !skip' \
    "$OUT_MD" >"$OUT_MD.tmp"
  sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$OUT_MD.tmp"
  [[ -s $OUT_MD.tmp ]] && echo >>"$OUT_MD.tmp"
  mv "$OUT_MD.tmp" "$OUT_MD"
}

#!/usr/bin/env bash
# Hostile inputs: bounded memory. Builds the Release tree, then measures peak
# RSS and throughput of
#   (a) a log with a single 100 MB line between normal lines (plain and
#       .zst), read by trace-nat (one query) and trace-cat (every record);
#   (b) a 10 GiB Cisco ASA stream fed on stdin from gen-asa-syslog to
#       trace-nat --log cisco-asa:- (no 10 GiB file is written),
# and writes the "Hostile inputs: bounded memory" section of BENCHMARKS.md
# (the other sections are kept). Not a timed test: one run each.
#
#   bash tests/bench/run_hostile_benchmarks.sh [STREAM_SIZE [LINE_BYTES]]
#        (defaults 10G 100000000; K/M/G = KiB/MiB/GiB for the stream)
#
# Environment: SEED (42), PLANT (203.0.113.20:40123), JOBS (ninja -j, 1),
# BUILD_DIR (build-bench, configured Release when new; an existing build
# tree is used with its own build type, which the section names).
set -euo pipefail
export LC_ALL=C TZ=UTC

STREAM_SIZE=${1:-10G}
LINE_BYTES=${2:-100000000}
SEED=${SEED:-42}
PLANT=${PLANT:-203.0.113.20:40123}
JOBS=${JOBS:-1}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build-bench}
BIN=$BUILD/bin
DATA=$ROOT/bench-data
OUT_MD=$ROOT/BENCHMARKS.md
LOG=$DATA/hostile-run.log
MARK="# Benchmarks: hostile inputs, bounded memory"

for tool in cmake ninja zstd awk lscpu; do
  command -v "$tool" >/dev/null || { echo "run_hostile_benchmarks: $tool is not installed" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "run_hostile_benchmarks: /usr/bin/time (GNU time) is not installed" >&2; exit 2; }

mkdir -p "$DATA"
: >"$LOG"
say() { echo "== $*" | tee -a "$LOG" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START=$(load)
START_TS=$(date -u +%Y-%m-%dT%H:%M:%SZ)

say "build ($BUILD, -j$JOBS)"
if [[ ! -f $BUILD/CMakeCache.txt ]]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >>"$LOG" 2>&1
fi
ninja -C "$BUILD" -j"$JOBS" gen-asa-syslog trace-nat trace-cat >>"$LOG" 2>&1
BUILD_TYPE=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt")

calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# GNU time's -o file: "%e %U %S %M" on its last line (a failing command puts
# "Command exited with non-zero status N" before it).
read_time() { tail -1 "$1"; }
mb() { calc "%.0f" "$1 * 1024 / 1e6"; }  # KiB -> MB
r() { echo "${1//$ROOT\//}"; }

# ---------------------------------------------------------------- (a) long line
# Three ASA translations, the long line, three more: trace-nat is asked about
# one before and one after it.
F=$DATA/hostile-long-line.log
asa() {
  awk -v n="$1" -v first="$2" 'BEGIN {
    for (i = first; i < first + n; i++)
      printf "Oct 24 2026 08:00:%02d fw-core : %%ASA-6-305011: Built dynamic TCP translation from inside:10.20.0.%d/%d to outside:192.0.2.7/%d\n",
        i, i, 20000 + i, 30000 + i }'
}
say "make $F (a line of $LINE_BYTES bytes)"
{
  asa 3 0
  head -c "$LINE_BYTES" /dev/zero | tr '\0' 'A'
  echo
  asa 3 3
} >"$F"
zstd -q -f -3 "$F" -o "$F.zst"
BYTES=$(stat -c %s "$F")
ZBYTES=$(stat -c %s "$F.zst")
Q=$DATA/hostile-long-line-queries.tsv
printf 'ip\tport\ttime\n192.0.2.7\t30001\t2026-10-24T08:00:02Z\n192.0.2.7\t30005\t2026-10-24T08:00:06Z\n' >"$Q"

declare -A WALL CPU RSS ROWS
run_a() {  # NAME CMD...
  local name=$1
  shift
  say "$name"
  /usr/bin/time -f '%e %U %S %M' -o "$DATA/hostile-time.txt" "$@" >"$DATA/hostile-out.tsv" \
    2>"$DATA/hostile-err.txt" || true
  cat "$DATA/hostile-err.txt" >>"$LOG"
  read -r w u s m <<<"$(read_time "$DATA/hostile-time.txt")"
  WALL[$name]=$w
  CPU[$name]=$(calc "%.2f" "$u + $s")
  RSS[$name]=$(mb "$m")
  ROWS[$name]=$(awk -F'\t' 'NR > 1 && $4 == "exact" { n++ } END { print n + 0 }' "$DATA/hostile-out.tsv")
}
run_a "nat plain" "$BIN/trace-nat" --tz UTC --log "$F" -o tsv <"$Q"
NAT_ERR=$(r "$(head -1 "$DATA/hostile-err.txt")")
run_a "nat zst" "$BIN/trace-nat" --tz UTC --log "$F.zst" -o tsv <"$Q"
run_a "cat plain" "$BIN/trace-cat" --tz UTC --log "$F" -o tsv
ROWS[cat plain]=$(($(wc -l <"$DATA/hostile-out.tsv") - 1))
run_a "cat zst" "$BIN/trace-cat" --tz UTC --log "$F.zst" -o tsv
ROWS[cat zst]=$(($(wc -l <"$DATA/hostile-out.tsv") - 1))

# ---------------------------------------------------------------- (b) stream
GEN="$BIN/gen-asa-syslog --seed $SEED --size $STREAM_SIZE --plant $PLANT"
say "dry run of the generator ($STREAM_SIZE to /dev/null): the planted translation's query time"
/usr/bin/time -f '%e %U %S %M' -o "$DATA/hostile-gen.time" $GEN --out /dev/null 2>"$DATA/hostile-gen.txt"
tee -a "$LOG" <"$DATA/hostile-gen.txt" >&2
QTIME=$(sed -n 's/.*: query time \(\S*\)$/\1/p' "$DATA/hostile-gen.txt")
SBYTES=$(sed -n 's/.*lines, \([0-9]*\) bytes.*/\1/p' "$DATA/hostile-gen.txt")
SLINES=$(sed -n 's/.*wrote \([0-9]*\) lines.*/\1/p' "$DATA/hostile-gen.txt")
PLANT_LINE=$(grep ': planted ' "$DATA/hostile-gen.txt" | sed 's/^[a-z-]*: //')
read -r GEN_WALL _ _ _ <<<"$(read_time "$DATA/hostile-gen.time")"
say "$GEN --out - | trace-nat --log cisco-asa:- $PLANT $QTIME"
STREAM_START=$(date +%s.%N)
$GEN --out - 2>>"$LOG" |
  /usr/bin/time -f '%e %U %S %M' -o "$DATA/hostile-stream.time" \
    "$BIN/trace-nat" --tz UTC --log cisco-asa:- "$PLANT" "$QTIME" -o tsv \
    >"$DATA/hostile-stream.tsv" 2>>"$LOG" || true
STREAM_WALL=$(calc "%.2f" "$(date +%s.%N) - $STREAM_START")
read -r SW SU SS SM <<<"$(read_time "$DATA/hostile-stream.time")"
STREAM_ANSWER=$(awk -F'\t' 'NR == 2 { print $4, $5 ":" $6, $7, $8 }' "$DATA/hostile-stream.tsv")
say "answer: $STREAM_ANSWER; wall $STREAM_WALL s; trace-nat $SW s, CPU $SU+$SS s, $SM KiB"

LOAD_END=$(load)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l)
COMPILER=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
COMPILER="$("$COMPILER" --version | head -1)"
mbs() { calc "%.0f" "$1 / 1e6 / $2"; }
row_a() {  # NAME LABEL BYTES WHAT
  echo "| $2 | ${WALL[$1]} | ${CPU[$1]} | $(mbs "$3" "${WALL[$1]}") | ${RSS[$1]} MB | $4 |"
}

# This section is the one from MARK to the next "# Benchmarks: " heading (or
# the end); the others, before and after it, are kept, and it goes at the end.
if [[ -f $OUT_MD ]]; then
  awk -v mark="$MARK" '$0 == mark { skip = 1; next } skip && /^# Benchmarks: / { skip = 0 } !skip' \
    "$OUT_MD" >"$OUT_MD.tmp"
  sed -i -e :a -e '/^\n*$/{$d;N;ba' -e '}' "$OUT_MD.tmp"
  [[ -s $OUT_MD.tmp ]] && echo >>"$OUT_MD.tmp"
  mv "$OUT_MD.tmp" "$OUT_MD"
fi
cat >>"$OUT_MD" <<EOF
$MARK

Made by \`bash tests/bench/run_hostile_benchmarks.sh $STREAM_SIZE $LINE_BYTES\` (JOBS=$JOBS${BUILD_DIR:+, BUILD_DIR=$(r "$BUILD")}) from
$START_TS to $(date -u +%Y-%m-%dT%H:%M:%SZ). Regenerate rather than edit. One run of each
command (these are bounds on memory, not speed targets), timed by GNU time: wall and CPU
(user+sys) seconds, peak RSS (\`%M\`). MB = 10^6 bytes.

Machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 " GiB" }'),
$(uname -sr), $COMPILER ($BUILD_TYPE, $(r "$BUILD")), zstd $(zstd -V | sed -n 's/.* v\([0-9.]*\),.*/\1/p'); tree at commit $COMMIT
($DIRTY uncommitted paths). Load average (1/5/15 min): $LOAD_START at the start, $LOAD_END at the end.
**The machine is shared** (2 cores, other builds running): wall times are pessimistic.

## Hostile: a single line of $LINE_BYTES bytes

$(r "$F"): three ASA translations, one line of $LINE_BYTES bytes, three more ($BYTES bytes;
$(r "$F.zst"), \`zstd -3\`, $ZBYTES bytes). The line is skipped to its end and reported
(\`$NAT_ERR\`); the reader's buffer stays at its 2 MiB (a block and the longest line kept).
Two queries, one about a line before the long one, one after.

| command | wall s | CPU s | MB/s (wall) | peak RSS | result |
|---|---:|---:|---:|---:|---|
$(row_a "nat plain" "trace-nat, 2 queries, plain" "$BYTES" "${ROWS[nat plain]} of 2 exact")
$(row_a "nat zst" "trace-nat, 2 queries, .zst" "$BYTES" "${ROWS[nat zst]} of 2 exact")
$(row_a "cat plain" "trace-cat, every record, plain" "$BYTES" "${ROWS[cat plain]} records")
$(row_a "cat zst" "trace-cat, every record, .zst" "$BYTES" "${ROWS[cat zst]} records")

## Hostile: a $STREAM_SIZE stream on stdin

\`gen-asa-syslog --seed $SEED --size $STREAM_SIZE --plant $PLANT --out - | trace-nat --tz UTC --log cisco-asa:- $PLANT $QTIME -o tsv\`:
$SLINES lines, $SBYTES bytes, never on disk. The $PLANT_LINE. For comparison, the generator
alone (to /dev/null) took $GEN_WALL s ($(mbs "$SBYTES" "$GEN_WALL") MB/s); the pipeline's wall time is that of both
processes sharing the machine.

| | measured |
|---|---|
| answer | $STREAM_ANSWER |
| pipeline wall time | $STREAM_WALL s ($(mbs "$SBYTES" "$STREAM_WALL") MB/s) |
| trace-nat CPU time | $(calc "%.2f" "$SU + $SS") s ($(mbs "$SBYTES" "$(calc "%.4f" "$SU + $SS")") MB/s on CPU time) |
| trace-nat peak RSS | $(mb "$SM") MB |

Standard input is a stream: trace-nat reads it once, keeping only its first 8 MiB
(\`kStreamKeep\` in input.h) so that a second open (a sniff, a second pass) reads the same
bytes; the rest goes through the reader's fixed buffer.
EOF
say "wrote $(r "$OUT_MD")"

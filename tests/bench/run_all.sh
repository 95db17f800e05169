#!/usr/bin/env bash
# The whole benchmark suite in one command (issue 3): runs each benchmark
# script in turn, each rewriting its own section of BENCHMARKS.md, then writes
# the section that says how to rerun it and on what machine. See
# tests/bench/README.md.
#
#   bash tests/bench/run_all.sh                 # the issue's scale: 4 GiB of NAT log, 1 GiB of
#                                               # DHCP, 10 M auth.log lines and 10 M wtmp records,
#                                               # 2 GiB of access.log, 1 GiB of maillog, 1 GiB
#                                               # per log of the chain and lnav site; hours
#   bash tests/bench/run_all.sh --scale 0.25    # every size times 0.25
#   bash tests/bench/run_all.sh --quick         # 16-64 MiB each, RUNS=1: checks the scripts
#   bash tests/bench/run_all.sh --only chain,lnav   # some of: dhcp nat url mail chain lnav
#
# --quick writes bench-data/BENCHMARKS.quick.md with its data in
# bench-data/quick/, so the committed BENCHMARKS.md and the full-size data
# stay as they are. The whole run is under `nice -n 19` (the machine is
# shared) and builds with ninja -j1 (JOBS to change it). Environment: RUNS
# (3; 1 with --quick), SEED, JOBS, KEEP_DATA=1 (reuse data the older scripts
# made with the same options), OUT_MD, BENCH_DATA, SIM_SCALE (10; 1 with --quick).
set -euo pipefail
export LC_ALL=C TZ=UTC
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

# Everything at the lowest priority: other work on the machine goes first.
if [[ $(nice) -lt 19 && -z ${RUN_ALL_NICED:-} ]]; then
  RUN_ALL_NICED=1 exec nice -n 19 bash "$0" "$@"
fi

QUICK=0
SCALE=1
ONLY=dhcp,nat,url,mail,chain,lnav
while (($#)); do
  case $1 in
    --quick) QUICK=1 ;;
    --scale) SCALE=${2:?--scale needs a factor}; shift ;;
    --scale=*) SCALE=${1#--scale=} ;;
    --only) ONLY=${2:?--only needs a list}; shift ;;
    --only=*) ONLY=${1#--only=} ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_all: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
awk -v s="$SCALE" 'BEGIN { exit !(s > 0 && s <= 64) }' || { echo "run_all: --scale: a factor in (0, 64]" >&2; exit 2; }
for part in ${ONLY//,/ }; do
  case $part in dhcp | nat | url | mail | chain | lnav) ;; *) echo "run_all: --only: unknown part $part" >&2; exit 2 ;; esac
done
want() { [[ ,$ONLY, == *",$1,"* ]]; }

# Sizes in MiB at scale 1 (the issue's "several GB of NAT log, 1 GB of DHCP,
# millions of logins"); --quick is 1/64 of that with a floor of 16 MiB.
if ((QUICK)); then
  SCALE=0.015625
  export RUNS=${RUNS:-1} QUERIES=${QUERIES:-1000} SIM_SCALE=${SIM_SCALE:-1}
  export BENCH_DATA=${BENCH_DATA:-$ROOT/bench-data/quick}
  export OUT_MD=${OUT_MD:-$ROOT/bench-data/BENCHMARKS.quick.md}
fi
export OUT_MD=${OUT_MD:-$ROOT/BENCHMARKS.md}
export RUNS=${RUNS:-3} JOBS=${JOBS:-1}
mib() { awk -v b="$1" -v s="$SCALE" 'BEGIN { v = int(b * s); if (v < 16) v = 16; printf "%dM", v }'; }
count() { awk -v b="$1" -v s="$SCALE" -v f="$2" 'BEGIN { v = int(b * s); if (v < f) v = f; printf "%d", v }'; }
DHCP_SIZE=$(mib 1024)
NAT_SIZE=$(mib 4096)
AUTH_SIZE=$(mib 1024)
WTMP_RECORDS=$(count 10000000 100000)
URL_SIZE=$(mib 2048)
MAIL_SIZE=$(mib 1024)
SUITE_SIZE=$(mib 1024)
DIR_ROWS=$(count 5000000 100000)
SUITE_WTMP=$(count 1000000 100000)

DATA=${BENCH_DATA:-$ROOT/bench-data}
mkdir -p "$DATA" "$(dirname "$OUT_MD")"
LOG=$DATA/run-all.log
: >"$LOG"
say() { echo "== run_all: $*" | tee -a "$LOG" >&2; }
START_TS=$(date -u +%Y-%m-%dT%H:%M:%SZ)
say "scale $SCALE$( ((QUICK)) && echo ' (--quick)'), parts $ONLY, RUNS=$RUNS, JOBS=$JOBS, writing $OUT_MD"

# Each part: the command as it is run (and printed in the rerun section) and
# how long it took.
COMMANDS=()
step() {  # PART COMMAND...
  local part=$1 t0 t1
  shift
  want "$part" || return 0
  say "$part: $*"
  COMMANDS+=("$*")
  t0=$(date +%s)
  "$@"
  t1=$(date +%s)
  TOOK[$part]=$((t1 - t0))
  say "$part: done in $((t1 - t0)) s"
}
declare -A TOOK
cd "$ROOT"  # the commands below are relative to the root, as printed
# SKIP_NAT=1: the DHCP script would otherwise run the NAT one with its own sizes.
step dhcp env SKIP_NAT=1 bash tests/bench/run_benchmarks.sh "$DHCP_SIZE"
step nat bash tests/bench/run_nat_benchmarks.sh "$NAT_SIZE" "$AUTH_SIZE" "$WTMP_RECORDS"
step url bash tests/bench/run_url_benchmarks.sh "$URL_SIZE"
step mail bash tests/bench/run_mail_benchmarks.sh "$MAIL_SIZE"
step chain env DIR_ROWS="$DIR_ROWS" WTMP_RECORDS="$SUITE_WTMP" bash tests/bench/run_chain_benchmarks.sh "$SUITE_SIZE"
step lnav env DIR_ROWS="$DIR_ROWS" WTMP_RECORDS="$SUITE_WTMP" bash tests/bench/run_lnav_benchmarks.sh "$SUITE_SIZE"
END_TS=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# ---------------------------------------------------------------- rerun section
MARK="# Benchmarks: how to rerun, and the machine"
NAME=run_all
# shellcheck source=suite_lib.sh
source "$HERE/suite_lib.sh"
LOG=$DATA/run-all.log
pkgver() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo "not installed"; }
drop_section "$MARK"
{
  echo "$MARK"
  echo
  echo "Written by \`bash tests/bench/run_all.sh$( ((QUICK)) && echo ' --quick')$([[ $SCALE != 1 && $QUICK == 0 ]] && echo " --scale $SCALE")$([[ $ONLY != dhcp,nat,url,mail,chain,lnav ]] && echo " --only $ONLY")\`"
  echo "from $START_TS to $END_TS, after the sections it ran. Regenerate rather than edit."
  echo
  echo "## How to rerun"
  echo
  echo "From the repository root, on Debian 12 with the packages below:"
  echo
  echo "    apt-get install cmake ninja-build g++ libfmt-dev hyperfine jq gzip zstd lnav time"
  echo "    bash tests/bench/run_all.sh             # the full suite at the issue's scale (hours here)"
  echo "    bash tests/bench/run_all.sh --quick     # a check of the scripts (bench-data/BENCHMARKS.quick.md)"
  echo
  echo "(the library's own build dependencies are in README.md). run_all.sh runs under \`nice -n 19\`,"
  echo "builds build-bench/ (Release) with \`ninja -j1\` and ran, in this order (each writes its own"
  echo "section of $(r "$OUT_MD"); the data are in $(r "$DATA")/, about 25 GB at the full scale):"
  echo
  for c in "${COMMANDS[@]}"; do echo "    $c"; done
  echo
  echo "with RUNS=$RUNS JOBS=$JOBS$( ((QUICK)) && echo " QUERIES=$QUERIES BENCH_DATA=$(r "$DATA") OUT_MD=$(r "$OUT_MD")"). Time taken:"
  for p in dhcp nat url mail chain lnav; do
    [[ -n ${TOOK[$p]:-} ]] && echo "$p $((TOOK[$p] / 60)) min $((TOOK[$p] % 60)) s;"
  done | paste -sd' ' | sed 's/;$/./'
  echo
  echo "A section not in that list was not rerun: its numbers are from the run its own heading dates."
  echo
  echo "## The machine"
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| CPU | $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1); $(lscpu | sed -n 's/^Flags:.*\(avx2\).*/\1/p' | head -1)$(lscpu | grep -q 'avx512f' && echo ', avx512f') |"
  echo "| cores | $(nproc) (\`nproc\`); $(lscpu | sed -n 's/^Thread(s) per core:[[:space:]]*/threads per core /p' | head -1); caches: $(lscpu | sed -n 's/^L\([123][di]*\) cache:[[:space:]]*\(.*\)/L\1 \2/p' | paste -sd, | sed 's/,/, /g') |"
  echo "| memory | $(free -g | awk '/^Mem:/ { print $2 " GiB" }') |"
  echo "| kernel | $(uname -srm) |"
  echo "| system | $(. /etc/os-release && echo "$PRETTY_NAME") |"
  echo "| compiler | $("$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$ROOT/build-bench/CMakeCache.txt")" --version | head -1), CMAKE_BUILD_TYPE=Release |"
  echo "| gzip reader in tracekit | $(grep -q '^ISAL_FOUND:INTERNAL=1' "$ROOT/build-bench/CMakeCache.txt" && echo "ISA-L (libisal $(pkgver libisal2))" || echo zlib) |"
  echo "| packages (Debian versions) | gzip $(pkgver gzip), zstd $(pkgver zstd), grep $(pkgver grep), mawk $(pkgver mawk), hyperfine $(pkgver hyperfine), jq $(pkgver jq), lnav $(pkgver lnav), time $(pkgver time), libfmt $(pkgver libfmt9) |"
  echo "| tree | commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), $(git -C "$ROOT" status --porcelain 2>/dev/null | wc -l) uncommitted paths |"
  echo "| load average at the end (1/5/15 min) | $(load) |"
  echo
  echo "The machine is shared with other builds and tests: every section says how it coped"
  echo "(interleaved rounds, best round, CPU time beside wall time) and the spread it saw."
  echo
  echo "## What each section measures"
  echo
  echo "| tool | section | plain | .gz | .zst | MB/s and lines or records/s | peak RSS | admin's pipeline, same run | lnav, same run |"
  echo "|---|---|---|---|---|---|---|---|---|"
  echo "| trace-lease | DHCP; lnav | yes | yes | yes | yes (records/s: bench-dhcp-parse) | yes | zgrep\\|awk (plain, .gz) | SQL: last DHCPACK (plain, .gz, .zst) |"
  echo "| trace-nat | NAT; chain (.gz) | yes | yes (chain section) | yes | yes (lines/s) | yes | zgrep\\|awk (plain, .gz), zstd\\|grep\\|awk | :filter-in (lines only) |"
  echo "| trace-login | NAT and login; chain (.gz, .zst, pipeline) | yes (auth.log, wtmp) | yes (chain section) | yes (chain section) | yes | yes | zgrep\\|awk (chain section) | SQL: last Accepted |"
  echo "| trace-url | URL | yes | yes | yes | yes | yes | grep\\|awk, zgrep\\|awk, zstd\\|grep\\|awk | :filter-in (lines only) |"
  echo "| trace-mail | mail | yes | yes | yes | yes | yes | two greps (each input) | SQL with sub-queries |"
  echo "| trace-ip | chain (NAT section: NAT hop alone) | yes | yes | yes | yes (of the four logs) | yes | none (the four lookups by hand) | cannot (no joins) |"
  echo "| trace-owner | chain | yes | no (directories are rarely compressed) | no | yes (rows/s) | yes | grep | cannot (not a log) |"
  echo "| trace-cat | chain (every family); URL, mail (plain) | yes | yes | yes | yes (records/s from --stats) | yes | none (it is the parser's yardstick) | no |"
  echo
  echo "MB/s is always of decompressed bytes per wall second, beside the same per CPU second."
} >>"$OUT_MD"
say "wrote $OUT_MD (from $START_TS to $(date -u +%Y-%m-%dT%H:%M:%SZ))"

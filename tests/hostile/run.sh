#!/usr/bin/env bash
# Hostile inputs, end to end: each folder under cases/ holds `cmd`, a bash
# snippet that makes its damaged input in $SCRATCH at run time (100 MB lines,
# FIFOs, unreadable files and corrupt archives are not committed) and runs a
# tool on it, with the built tools first on PATH and testdata/ as the working
# directory. What it printed is compared with the case's `stdout`, `stderr`
# and `status`, those that exist. Optional, per case:
#   precheck  run first; exit 77 skips the case (what it needs is missing),
#             any other failure fails it
#   check     run after `cmd` with OUT set to the folder holding its stdout,
#             stderr and status and SCRATCH as for cmd: for outputs that vary
#             from run to run (a log appended to while read, a peak RSS), the
#             case asserts properties there instead; exit 0 passes
# UPDATE=1 rewrites the expected files that exist from the current output;
# review the diff before committing it. VERBOSE=1 shows what `check`s said.
#
#   run.sh BIN_DIR HOSTILE_DIR [CASE...]
set -u
bin=$(cd "$1" && pwd)
dir0=$(cd "$2" && pwd)
shift 2
testdata=$(cd "$dir0/../../testdata" && pwd)
export PATH="$bin:$PATH" TZ=UTC LC_ALL=C HOME=/nonexistent TESTDATA="$testdata" HOSTILE="$dir0"
unset TRACEKIT_TZ TRACEKIT_CONFIG
pass=0 fail=0 skip=0 failed=()
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for d in "$dir0"/cases/*/; do cases+=("$(basename "$d")"); done
fi
scratch=$(mktemp -d)
# Some cases make files nobody may read, or run a tool as another user:
# the scratch tree must be removable and reachable whatever they did.
chmod 755 "$scratch"
trap 'chmod -R u+rwX "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT
for name in "${cases[@]}"; do
  dir="$dir0/cases/$name"
  out="$scratch/$name"
  work="$out/scratch"
  mkdir -p "$work"
  chmod 755 "$out" "$work"
  if [ -f "$dir/precheck" ]; then
    (cd "$testdata" && SCRATCH="$work" bash "$dir/precheck" >"$out/precheck.log" 2>&1 </dev/null)
    rc=$?
    if [ $rc = 77 ]; then
      echo "--- $name: skipped ($(tail -1 "$out/precheck.log"))"
      skip=$((skip + 1))
      continue
    elif [ $rc != 0 ]; then
      echo "--- $name: precheck failed ($rc)"
      cat "$out/precheck.log"
      fail=$((fail + 1))
      failed+=("$name")
      continue
    fi
  fi
  (cd "$testdata" && SCRATCH="$work" bash "$dir/cmd" >"$out/stdout" 2>"$out/stderr" </dev/null)
  echo $? >"$out/status"
  if [ "${UPDATE:-0}" = 1 ]; then
    for f in stdout stderr status; do
      [ -f "$dir/$f" ] && cp "$out/$f" "$dir/"
    done
    echo "updated $name"
    continue
  fi
  ok=1
  for f in stdout stderr status; do
    [ -f "$dir/$f" ] || continue
    if ! diff -u "$dir/$f" "$out/$f" >"$out/$f.diff" 2>&1; then
      ok=0
      echo "--- $name: $f differs"
      head -40 "$out/$f.diff"
    fi
  done
  if [ -f "$dir/check" ]; then
    if ! (cd "$testdata" && OUT="$out" SCRATCH="$work" bash "$dir/check" >"$out/check.log" 2>&1 </dev/null); then
      ok=0
      echo "--- $name: check failed"
      head -40 "$out/check.log"
    elif [ "${VERBOSE:-0}" = 1 ]; then
      sed "s/^/$name: /" "$out/check.log"
    fi
  fi
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$name"); fi
  # A case's big inputs (100 MB and more) go as soon as it is done.
  chmod -R u+rwX "$work" 2>/dev/null
  rm -rf "$work"
done
[ "${UPDATE:-0}" = 1 ] && exit 0
echo "hostile: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }

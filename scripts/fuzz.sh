#!/usr/bin/env bash
# Fuzzes every target (or the named ones) with libFuzzer, each for SECONDS
# (default 60), starting from the committed seeds in tests/fuzz/corpus/.
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Builds build-fuzz (clang, ASan+UBSan, coverage instrumentation) when needed.
# New inputs the fuzzer finds go to build-fuzz/corpus/TARGET (not into the
# source tree: minimise them into the seeds only on purpose, with libFuzzer's
# -merge=1). A crash, leak, hang (-timeout 10 s per input) or an input needing
# more than 2 GiB stops that target: its input is left in
# build-fuzz/artifacts/TARGET/ and the script exits 1 at the end. Each
# target's line in the summary gives its executions.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}
command -v clang++ >/dev/null || { echo "fuzz.sh: needs clang (apt-get install clang)" >&2; exit 2; }
if [ ! -x "$build/bin/tracekit-fuzz" ] || [ "${REBUILD:-0}" = 1 ]; then
  CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTRACEKIT_SANITIZE=ON -DTRACEKIT_FUZZ=ON -DTRACEKIT_TESTS=OFF >/dev/null
  cmake --build "$build" -j "${JOBS:-2}" --target tracekit-fuzz
fi
fuzzer=$(cd "$build/bin" && pwd)/tracekit-fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(ls tests/fuzz/corpus)
fi
status=0
summary=()
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t
  artifacts=$build/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  log=$build/fuzz-$t.log
  rc=0
  TRACEKIT_FUZZ_TARGET=$t "$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -max_len=16384 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$corpus" "tests/fuzz/corpus/$t" >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  if [ $rc -ne 0 ]; then
    status=1
    summary+=("$(printf '%-20s FAILED (exit %d) after %s runs; see %s' "$t" "$rc" "${runs:-?}" "$log")")
  else
    summary+=("$(printf '%-20s %10s runs in %ss, %s, corpus %s inputs' "$t" "${runs:-?}" "$secs" \
      "${cov:-cov: ?}" "$(find "$corpus" -type f | wc -l)")")
  fi
  echo "${summary[-1]}"
done
echo
echo "fuzz.sh summary (clang $(clang++ --version | sed -n 's/.*version \([0-9.]*\).*/\1/p;q'), $secs s per target):"
printf '%s\n' "${summary[@]}"
exit $status

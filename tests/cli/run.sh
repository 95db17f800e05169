#!/usr/bin/env bash
# End-to-end CLI tests: each folder under cases/ holds `cmd` (a bash snippet,
# run from testdata/ with the built tools first on PATH) and the expected
# `stdout`, `stderr` and `status`. UPDATE=1 rewrites the expectations from the
# current output; review the diff before committing it. COMPARE names the
# files compared (default "stdout stderr status"): ctest's cli_full_read runs
# every case again with TRACEKIT_PREFILTER=0 (every log line parsed whole),
# where the answers must be the same but malformed lines the prefilter passed
# over are now counted on stderr.
#
#   run.sh BIN_DIR CLI_DIR [CASE...]
set -u
bin=$(cd "$1" && pwd)
cli=$(cd "$2" && pwd)
shift 2
testdata=$(cd "$cli/../../testdata" && pwd)
export PATH="$bin:$PATH" TZ=UTC LC_ALL=C HOME=/nonexistent
unset TRACEKIT_TZ TRACEKIT_CONFIG
pass=0 fail=0 failed=()
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for d in "$cli"/cases/*/; do cases+=("$(basename "$d")"); done
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for name in "${cases[@]}"; do
  dir="$cli/cases/$name"
  out="$scratch/$name"
  mkdir -p "$out"
  (cd "$testdata" && SCRATCH="$out" bash "$dir/cmd" >"$out/stdout" 2>"$out/stderr" </dev/null)
  echo $? >"$out/status"
  if [ "${UPDATE:-0}" = 1 ]; then
    cp "$out/stdout" "$out/stderr" "$out/status" "$dir/"
    echo "updated $name"
    continue
  fi
  ok=1
  for f in ${COMPARE:-stdout stderr status}; do
    if ! diff -u "$dir/$f" "$out/$f" >"$out/$f.diff" 2>&1; then
      ok=0
      echo "--- $name: $f differs"
      head -40 "$out/$f.diff"
    fi
  done
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$name"); fi
done
[ "${UPDATE:-0}" = 1 ] && exit 0
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ] || { echo "failed: ${failed[*]}"; exit 1; }

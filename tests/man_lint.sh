#!/usr/bin/env bash
# Lints the man pages: runs `mandoc -T lint -W warning` on every page in the
# directory given as $1 and fails on any message. Exit status: 0 clean, 1 a
# page has messages (or there is no page), 2 bad usage, 77 (skipped) when
# mandoc is not installed.
set -u

if [[ $# -ne 1 || ! -d $1 ]]; then
  echo "usage: man_lint.sh MAN_DIRECTORY" >&2
  exit 2
fi
if ! command -v mandoc >/dev/null 2>&1; then
  echo "man_lint: mandoc not installed, skipped"
  exit 77
fi

shopt -s nullglob
pages=("$1"/*.[1-9])
if [[ ${#pages[@]} -eq 0 ]]; then
  echo "man_lint: no man pages in $1" >&2
  exit 1
fi

status=0
for page in "${pages[@]}"; do
  out=$(mandoc -T lint -W warning "$page" 2>&1)
  rc=$?
  if [[ -n $out || $rc -ne 0 ]]; then
    [[ -n $out ]] && printf '%s\n' "$out"
    echo "man_lint: $page: not clean (mandoc exit status $rc)" >&2
    status=1
  fi
done
exit $status

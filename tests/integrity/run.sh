#!/usr/bin/env bash
# Evidence integrity (issue 10): every tool leaves its inputs exactly as they
# were, writes nothing beside them or in $TMPDIR, opens them read-only, and
# gives byte-identical output from run to run and whatever the number of
# threads. See README.md in this folder for what is checked and how it fails.
#
#   run.sh BIN_DIR SOURCE_DIR
#
# KEEP=1 keeps the scratch directory (its path is printed); TAMPER=1 touches
# one input while the commands run, to see the test fail as it should;
# COMMANDS=FILE runs other commands than ./commands.
set -euo pipefail

bin=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
here=$src/tests/integrity
export PATH="$bin:$PATH" TZ=UTC LC_ALL=C HOME=/nonexistent
# Under the sanitizer build: LeakSanitizer cannot run under ptrace (strace)
# and aborts, so leak checking is off for every run here (the same for all
# runs, so their outputs stay comparable); the other suites check leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
unset TRACEKIT_TZ TRACEKIT_CONFIG TRACEKIT_THREADS

work=$(mktemp -d "${TMPDIR:-/tmp}/tracekit-integrity.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
  echo "integrity: scratch kept in $work"
else
  trap 'rm -rf "$work"' EXIT
fi
IN=$work/in          # the evidence: testdata/ and the compressed copies
OUT=$work/out        # the one place a command may write (manifests)
TOOLTMP=$work/tmp    # the tools' TMPDIR: must still be empty at the end
mkdir -p "$OUT" "$TOOLTMP"

failures=()
fail() {
  failures+=("$1")
  echo "FAIL: $1"
}

# --- The evidence -----------------------------------------------------------

# cp -a keeps the mtimes: year-less dates fall back on them, so the answers
# are the same as over testdata/ itself.
cp -a "$src/testdata" "$IN"

# The campus again, its logs compressed and rotated as a site keeps them: the
# DHCP set mixes .gz, .zst and plain; the firewall's and the proxy's logs are
# split into a compressed older file and the current one. gzip -n: no name or
# time in the header.
make_campus_z() {
  local c=$IN/campus z=$IN/campus-z
  mkdir -p "$z/mail" "$z/radius/vpn-1" "$z/squid"
  cp -a "$c/sources.toml" "$c/people.csv" "$c/fixed-ip.txt" "$c/queries.tsv" "$c/dhcpd.log" \
    "$c/dhcpd.log.2.gz" "$z/"
  cp -a "$c"/mail/header-*.txt "$z/mail/"
  zstd -q "$c/dhcpd.log.1" -o "$z/dhcpd.log.1.zst"
  head -n 18 "$c/asa.log" | gzip -n -9 >"$z/asa.log.1.gz"
  tail -n +19 "$c/asa.log" >"$z/asa.log"
  gzip -n <"$c/ws-lab1-07.auth.log" >"$z/ws-lab1-07.auth.log.gz"
  zstd -q "$c/ws-lab1-08.wtmp" -o "$z/ws-lab1-08.wtmp.zst"
  gzip -n <"$c/radius/detail-20261024" >"$z/radius/detail-20261024.gz"
  zstd -q "$c/radius/vpn-1/detail-20261024" -o "$z/radius/vpn-1/detail-20261024.zst"
  head -n 6 "$c/squid/access.log" | zstd -q >"$z/squid/access.log.1.zst"
  tail -n +7 "$c/squid/access.log" >"$z/squid/access.log"
  gzip -n <"$c/mail/maillog" >"$z/mail/maillog.gz"
  # Rotated files keep their originals' mtimes, as logrotate's compression does.
  local f
  for f in dhcpd.log.1.zst asa.log.1.gz asa.log ws-lab1-07.auth.log.gz ws-lab1-08.wtmp.zst \
    radius/detail-20261024.gz radius/vpn-1/detail-20261024.zst squid/access.log.1.zst squid/access.log mail/maillog.gz; do
    touch -r "$c/asa.log" "$z/$f"
  done
}

# About 6 MiB of Cisco ASA translations (built and torn down, one a second
# from 08:00 BST): more than the decompression thread's 4 chunks of 1 MiB
# ahead, so that chunk and block boundaries fall inside lines and the reader
# waits on the thread and the thread on the reader.
make_big() {
  mkdir -p "$IN/big/gz" "$IN/big/zst"
  awk 'BEGIN {
    for (i = 0; i < 22000; i++) {
      t = 8 * 3600 + i; o = t + 30
      in_ip = sprintf("10.20.%d.%d", int(i / 250) % 200, i % 250 + 1)
      port = 1024 + i
      printf "Oct 24 2026 %02d:%02d:%02d fw-core : %%ASA-6-305011: Built dynamic TCP translation from inside:%s/%d to outside:192.0.2.7/%d\n", t / 3600, (t / 60) % 60, t % 60, in_ip, 50000 + i % 10000, port
      printf "Oct 24 2026 %02d:%02d:%02d fw-core : %%ASA-6-305012: Teardown dynamic TCP translation from inside:%s/%d to outside:192.0.2.7/%d duration 0:00:30\n", o / 3600, (o / 60) % 60, o % 60, in_ip, 50000 + i % 10000, port
    }
  }' >"$work/big.log"
  gzip -n <"$work/big.log" >"$IN/big/gz/asa.log.gz"
  zstd -q "$work/big.log" -o "$IN/big/zst/asa.log.zst"
  rm "$work/big.log"
}

make_campus_z
make_big

# --- Snapshots ----------------------------------------------------------------

# One line per path under DIR (DIR itself included), sorted: type, mode,
# owner, link count, inode, size, mtime and ctime (nanoseconds), then the
# SHA-256 of each regular file. The ctime catches a change whose mtime was
# put back; the inode a file replaced by another; a directory's mtime and
# ctime a file created and removed again (a temporary file that is gone).
snapshot() {
  (
    cd "$1"
    find . -printf '%p|%y|%m|%U:%G|%n|%i|%s|%T@|%C@|%l\n' | LC_ALL=C sort
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
  )
}

# Exit status 0 when the snapshots are the same; else prints what differs.
same_snapshot() {  # BEFORE AFTER
  diff -u "$1" "$2" | head -40
  cmp -s "$1" "$2"
}

# The comparison can fail: tamper with a small tree in each of the ways a
# tool could, and expect each to be seen (and an untouched tree not to be).
selfcheck() {
  local d=$work/selfcheck kind
  for kind in none touch rewrite chmod add transient; do
    rm -rf "$d"
    mkdir -p "$d/sub"
    printf 'line 1\n' >"$d/sub/log"
    printf 'other\n' >"$d/other"
    touch -d '2026-01-01 00:00:00Z' "$d/sub/log" "$d/other" "$d/sub" "$d"
    snapshot "$d" >"$work/self.before"
    case $kind in
      none) ;;
      touch) touch "$d/sub/log" ;;
      # Same size, and the mtime put back: only the hash and the ctime show it.
      rewrite)
        printf 'line 2\n' >"$d/sub/log"
        touch -d '2026-01-01 00:00:00Z' "$d/sub/log"
        ;;
      chmod) chmod g+w "$d/sub/log" ;;
      add) : >"$d/sub/log.tmp" ;;
      transient)
        : >"$d/sub/.tmp123"
        rm "$d/sub/.tmp123"
        ;;
    esac
    snapshot "$d" >"$work/self.after"
    if [ $kind = none ]; then
      same_snapshot "$work/self.before" "$work/self.after" >/dev/null ||
        fail "selfcheck: an untouched tree compares as changed"
    elif same_snapshot "$work/self.before" "$work/self.after" >/dev/null; then
      fail "selfcheck: the snapshot does not see a change ($kind)"
    fi
  done
  rm -rf "$d"
}
selfcheck

# --- Running the commands -----------------------------------------------------

have_strace=0
if command -v strace >/dev/null 2>&1 && strace -qq -o /dev/null true 2>/dev/null; then
  have_strace=1
else
  echo "integrity: strace not available (or not permitted): the open-mode checks are skipped"
fi
traces=$work/traces

names=()
snippets=()
while IFS= read -r line; do
  [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
  names+=("${line%%[[:space:]]*}")
  snippet=${line#*[[:space:]]}
  snippets+=("${snippet#"${snippet%%[![:space:]]*}"}")
done <"${COMMANDS:-$here/commands}"

# Runs every command once into RUN_DIR, with the extra environment given
# (KEY=VALUE...) and then, optionally, a command to run it under (taskset).
# TRACE=1 runs each under strace. $OUT is the same path on
# every run (emptied in between) so that command lines in manifests do not
# differ; what a command left there is kept as RUN_DIR/NAME.out/.
run_all() {  # RUN_DIR TRACE [KEY=VALUE...] [WRAPPER...]
  local dir=$1 trace=$2 k
  shift 2
  mkdir -p "$dir"
  for k in "${!names[@]}"; do
    local name=${names[$k]} pre=()
    rm -rf "$OUT"
    mkdir "$OUT"
    if [ "$trace" = 1 ]; then
      mkdir -p "$traces/$(basename "$dir")"
      # -ff: a file per process, so no line is split by another's; -y: paths
      # of descriptors (and of AT_FDCWD, which makes relative paths absolute).
      pre=(strace -qq -ff -y -o "$traces/$(basename "$dir")/$name"
        -e "trace=%file,fchmod,fchown,ftruncate,fallocate,fsetxattr,fremovexattr,clone,clone3")
    fi
    local status=0
    (cd "$IN" && env TMPDIR="$TOOLTMP" OUT="$OUT" "$@" "${pre[@]}" bash -c "${snippets[$k]}") \
      >"$dir/$name.stdout" 2>"$dir/$name.stderr" </dev/null || status=$?
    echo "$status" >"$dir/$name.status"
    if [ -n "$(ls -A "$OUT")" ]; then cp -a "$OUT" "$dir/$name.out"; fi
    if [ "${TAMPER:-0}" = 1 ] && [ "$k" = 0 ]; then touch "$IN/campus/asa.log"; fi
  done
}

snapshot "$IN" >"$work/before"
# a: default threads, b: the same again, c: TRACEKIT_THREADS=1 (no second
# thread). a and c run under strace when it is there. d: the default on one
# CPU (taskset), so that the reader and the decompression thread take turns
# instead of running side by side: other interleavings, the same bytes.
run_all "$work/a" $have_strace
run_all "$work/b" 0
run_all "$work/c" $have_strace TRACEKIT_THREADS=1
runs=3
if command -v taskset >/dev/null 2>&1 && taskset -c 0 true 2>/dev/null; then
  run_all "$work/d" 0 taskset -c 0
  runs=4
fi
snapshot "$IN" >"$work/after"

# --- Inputs unchanged, nothing written beside them or in $TMPDIR -------------

if ! same_snapshot "$work/before" "$work/after"; then
  fail "the evidence tree changed (hash, size, mtime, ctime, mode, inode or listing; diff above)"
fi
if [ -n "$(ls -A "$TOOLTMP")" ]; then
  ls -la "$TOOLTMP"
  fail "a tool left files in \$TMPDIR"
fi

# --- Read-only opens (strace) -------------------------------------------------

# Every file operation of every process a command started: a write-mode or
# creating open, or any call that changes a file (unlink, rename, chmod,
# utimensat...), is a failure unless its path is under $OUT or /dev/null.
# Paths come resolved by -y (a returned descriptor, or the directory of
# AT_FDCWD for a relative name); an input is named as such.
check_trace() {  # TRACE_DIR
  awk -v in_dir="$IN/" -v out_dir="$OUT/" '
    function resolved(line,    m, dir, path) {
      # the descriptor a successful open returned: its path
      if (match(line, /\) = [0-9]+<[^>]*>$/)) {
        m = substr(line, RSTART, RLENGTH); sub(/^\) = [0-9]+</, "", m); sub(/>$/, "", m)
        return m
      }
      # else the directory (AT_FDCWD or a descriptor) and the name
      dir = ""
      if (match(line, /^[a-z0-9_]+\([^<",]*<[^>]*>/)) {
        dir = substr(line, RSTART, RLENGTH); sub(/^[^<]*</, "", dir); sub(/>$/, "", dir)
      }
      if (match(line, /"[^"]*"/)) {
        path = substr(line, RSTART + 1, RLENGTH - 2)
        if (substr(path, 1, 1) == "/" || dir == "") return path
        return dir "/" path
      }
      return dir
    }
    # /dev/tty: bash opens it (read-write) to see whether it has a terminal.
    function allowed(p) {
      return index(p, out_dir) == 1 || p == "/dev/null" || p == "/dev/tty"
    }
    function report(what, line) {
      bad++
      printf "%s: %s\n    %s\n", FILENAME, what, line
    }
    {
      name = $0; sub(/\(.*/, "", name)
      if (name ~ /^(clone|clone3)$/) { if ($0 ~ /CLONE_THREAD/) threads++; next }
      if (name ~ /^(open|openat|openat2)$/) {
        p = resolved($0)
        writes = ($0 ~ /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/)
        if (index(p, in_dir) == 1 && !writes && $0 ~ /\) = [0-9]+</) reads++
        if (index(p, in_dir) == 1 && p ~ /\.so(\.[0-9]+)*$/) probes++
        if (writes && !allowed(p))
          report(index(p, in_dir) == 1 ? "opened for writing in the evidence tree" : "opened for writing outside $OUT", $0)
        next
      }
      if (name ~ /^(creat|unlink|unlinkat|rename|renameat|renameat2|mkdir|mkdirat|rmdir|link|linkat|symlink|symlinkat|chmod|fchmod|fchmodat|chown|fchown|lchown|fchownat|truncate|ftruncate|fallocate|utime|utimes|utimensat|futimesat|mknod|mknodat|setxattr|lsetxattr|fsetxattr|removexattr|lremovexattr|fremovexattr)$/) {
        p = resolved($0)
        if (!allowed(p)) report(index(p, in_dir) == 1 ? "a change in the evidence tree (" name ")" : "a change outside $OUT (" name ")", $0)
      }
    }
    END { printf "reads=%d threads=%d probes=%d bad=%d\n", reads, threads, probes, bad }
  ' "$1"/*
}

if [ $have_strace = 1 ]; then
  for run in a c; do
    check_trace "$traces/$run" >"$work/trace-$run.txt" || true
    summary=$(tail -n 1 "$work/trace-$run.txt")
    echo "integrity: strace, run $run: $summary"
    if [[ $summary != *" bad=0" ]]; then
      head -n 40 "$work/trace-$run.txt"
      fail "run $run: a write-mode open or a change to a file (strace)"
    fi
    # The check must have seen the inputs being read, or it proves nothing.
    [[ $summary == reads=0\ * ]] && fail "run $run: strace saw no input opened"
  done
  # The dynamic loader must not look for shared libraries in the evidence
  # tree: an empty RUNPATH entry (CMake's trailing ':' in a build RPATH) is
  # the current directory to ld.so, and a library planted among the logs
  # would be loaded.
  if [[ $(tail -n 1 "$work/trace-a.txt") != *" probes=0 "* ]]; then
    fail "the dynamic loader searched the evidence tree for shared libraries\
 ($(readelf -d "$bin/trace-ip" 2>/dev/null | grep -o 'runpath: \[.*\]' || echo 'RUNPATH unknown'))"
  fi
  # TRACEKIT_THREADS=1 means no second thread; by default the compressed logs
  # are inflated on one.
  [[ $(tail -n 1 "$work/trace-a.txt") == *" threads=0 "* ]] &&
    fail "run a: no decompression thread started for the compressed logs"
  [[ $(tail -n 1 "$work/trace-c.txt") == *" threads=0 "* ]] ||
    fail "run c: TRACEKIT_THREADS=1 still started a thread"
fi

# --- Determinism ----------------------------------------------------------------

# What may differ from run to run, masked before comparing: the wall-clock
# time of the run, in the manifest (started, finished) and in the report's
# run section (text and Markdown). Nothing else is masked: paths, mtimes,
# hashes, versions and the command line are the same on every run.
mask() {
  sed -E -e 's/^(started|finished): .*/\1: (masked)/' \
    -e 's/^(  time of run: +).*/\1(masked)/' \
    -e 's/^(- \*\*time of run\*\*: ).*/\1(masked)/' "$1"
}

compare_runs() {  # RUN1 RUN2 WHY
  local f rel n=0
  while IFS= read -r -d '' f; do
    rel=${f#"$1"/}
    if [ ! -e "$2/$rel" ]; then
      fail "$3: $rel only in one run"
    elif ! cmp -s <(mask "$f") <(mask "$2/$rel"); then
      diff -u <(mask "$f") <(mask "$2/$rel") | head -20 || true
      fail "$3: $rel differs"
    fi
    n=$((n + 1))
  done < <(find "$1" -type f -print0 | LC_ALL=C sort -z)
  while IFS= read -r -d '' f; do
    rel=${f#"$2"/}
    [ -e "$1/$rel" ] || fail "$3: $rel only in one run"
  done < <(find "$2" -type f -print0)
  echo "integrity: $3: $n outputs compared"
}

compare_runs "$work/a" "$work/b" "run to run"
compare_runs "$work/b" "$work/c" "TRACEKIT_THREADS=1 against the default"
[ $runs = 4 ] && compare_runs "$work/b" "$work/d" "the default on one CPU against two"

# The mask must match what it is meant for: the manifests do record the time.
if compgen -G "$work/a/*.out/*" >/dev/null; then
  grep -qs '^started: 20' "$work"/a/*.out/* ||
    fail "no manifest has a 'started:' line to mask (has the format changed?)"
fi

# A command that failed outright is not a proof of anything: each must have
# answered (0) or found nothing (1), and said something. A batch with a bad
# row in it (its name says so) ends in 2, the rest answered.
for k in "${!names[@]}"; do
  name=${names[$k]}
  st=$(cat "$work/a/$name.status")
  if [ "$st" != 0 ] && [ "$st" != 1 ] && ! { [ "$st" = 2 ] && [[ $name == *_bad_row ]]; }; then
    head -5 "$work/a/$name.stderr"
    fail "$name: exit status $st"
  fi
  [ -s "$work/a/$name.stdout" ] || fail "$name: no output"
done

echo "integrity: ${#names[@]} commands, $runs runs each"
if [ ${#failures[@]} -gt 0 ]; then
  echo "integrity: ${#failures[@]} failure(s)"
  exit 1
fi
echo "integrity: passed"

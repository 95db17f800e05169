#!/usr/bin/env bash
# `cmake --install` puts the tools, the library and the man pages under a
# prefix, and the installed tools run from there without LD_LIBRARY_PATH.
#   install_smoke.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/trace-lease bin/trace-cat bin/trace-ip share/man/man1/trace-lease.1 \
         share/man/man1/trace-cat.1 share/man/man1/trace-ip.1 \
         share/man/man5/tracekit-sources.5 share/man/man7/tracekit.7; do
  [ -e "$prefix/$f" ] || { echo "install_smoke: $f not installed"; exit 1; }
done
unset LD_LIBRARY_PATH
"$prefix/bin/trace-lease" --version
cd "$src/testdata/campus"
out=$("$prefix/bin/trace-lease" --config sources.toml 10.20.3.44 2026-10-24T09:00:00Z -o tsv | cut -f3,6 | tail -1)
[ "$out" = "$(printf 'exact\tws-lab1-07')" ] || { echo "install_smoke: unexpected answer: $out"; exit 1; }
out=$("$prefix/bin/trace-ip" --config sources.toml 192.0.2.7:40123 2026-10-24T09:00:30Z -o jsonl |
  grep -o '"chain":{"match":"[a-z]*"')
[ "$out" = '"chain":{"match":"exact"' ] || { echo "install_smoke: trace-ip: unexpected answer: $out"; exit 1; }
echo "install_smoke: ok"

#!/usr/bin/env bash
# Sets up a Debian 12 machine for tracekit, builds it, and then either runs the
# demo on the bundled sample campus or runs the whole test suite.
#
#   bash scripts/quickstart.sh demo   # install what is missing, build, trace a sample report
#   bash scripts/quickstart.sh test   # install, build, test; then the same under ASan+UBSan
#
# Environment: JOBS (default 2), BUILD_DIR (default build), SKIP_ASAN=1 to skip
# the sanitizer pass.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-demo}
jobs=${JOBS:-2}
build=${BUILD_DIR:-build}

packages=(
  cmake ninja-build g++ pkg-config git
  libcli11-dev libfmt-dev libzstd-dev zstd zlib1g-dev libisal-dev gzip
  libhowardhinnant-date-dev tzdata libtomlplusplus-dev nlohmann-json3-dev libsqlite3-dev
  libssl-dev
  catch2 mandoc
  python3  # tests/sim: the simulated site's generator and accuracy test
  strace   # tests/integrity: proves inputs are opened read-only
  time     # GNU time: peak RSS in the hostile-input tests and the benchmarks
)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "quickstart: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

configure_and_build() {  # dir, extra cmake args...
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs" ${TARGETS:+--target $TARGETS}
}

install_missing
case "$mode" in
  demo)
    TARGETS="trace-ip trace-nat trace-lease trace-login trace-owner trace-cat" \
      configure_and_build "$build" -DCMAKE_BUILD_TYPE=Release
    bin=$(cd "$build/bin" && pwd)
    echo
    echo "Who was behind 192.0.2.7 port 40123 at 10:00:30 UK time on 24 October 2026,"
    echo "on the sample campus? Firewall -> DHCP -> workstation logins -> HR directory,"
    echo "as the evidence report for the CSIRT:"
    echo "+ cd testdata/campus"
    echo "+ trace-ip --config sources.toml --report 192.0.2.7:40123 '2026-10-24 10:00:30 +01:00'"
    (cd testdata/campus &&
      "$bin/trace-ip" --config sources.toml --report 192.0.2.7:40123 '2026-10-24 10:00:30 +01:00')
    ;;
  test)
    configure_and_build "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRACEKIT_WERROR=ON
    (cd "$build" && ctest --output-on-failure -j "$jobs")
    if [ "${SKIP_ASAN:-0}" != 1 ]; then
      echo "quickstart: the same suite under AddressSanitizer and UndefinedBehaviorSanitizer"
      configure_and_build "$build-asan" -DCMAKE_BUILD_TYPE=Debug -DTRACEKIT_SANITIZE=ON \
        -DTRACEKIT_WERROR=ON
      (cd "$build-asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j "$jobs")
    fi
    ;;
  *)
    echo "usage: bash scripts/quickstart.sh demo|test" >&2
    exit 2
    ;;
esac

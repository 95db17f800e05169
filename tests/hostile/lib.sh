# Helpers the hostile cases source (". "$HOSTILE/lib.sh"): they make inputs
# in the current directory, deterministically (no random bytes: expected
# outputs must not change from run to run).

# asa_log N [FIRST]: N Cisco ASA "Built dynamic TCP translation" lines, one a
# second from 2026-10-24 08:00:00 (the device's clock, read in UTC with --tz
# UTC). Line k (from FIRST, default 0) maps inside 10.20.A.B/(20000+k%30000)
# to outside 192.0.2.7/(30000+k%30000): the public port is always the inside
# port plus 10000, so that a record cut short (a port missing digits) shows.
asa_log() {
  awk -v n="$1" -v first="${2:-0}" 'BEGIN {
    for (i = first; i < first + n; i++) {
      t = i + 8 * 3600; s = t % 60; m = int(t / 60) % 60; h = int(t / 3600) % 24; d = 24 + int(t / 86400)
      printf "Oct %02d 2026 %02d:%02d:%02d fw-core : %%ASA-6-305011: Built dynamic TCP translation from inside:10.20.%d.%d/%d to outside:192.0.2.7/%d\n",
        d, h, m, s, int(i / 250) % 250, i % 250, 20000 + i % 30000, 30000 + i % 30000
    }
  }'
}

# asa_time K: the UTC time of asa_log's line K (0-based), plus one second.
asa_time() {
  awk -v k="$1" 'BEGIN { t = k + 1 + 8 * 3600
    printf "2026-10-%02dT%02d:%02d:%02dZ", 24 + int(t / 86400), int(t / 3600) % 24, int(t / 60) % 60, t % 60 }'
}

# le16 N: N as two bytes, little-endian, for printf.
le16() { printf '\\x%02x\\x%02x' $(($1 & 255)) $((($1 >> 8) & 255)); }

# gzip_stored FILE: FILE as a gzip member of stored (uncompressed) deflate
# blocks, on stdout. Cut anywhere inside a block, it inflates to exactly the
# bytes before the cut, whichever inflater reads it: a deterministic
# truncation. The trailer's CRC is gzip's own (taken from gzip -c).
gzip_stored() {
  local f=$1 size off=0 n final
  size=$(stat -c %s "$f")
  printf '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03'
  while :; do
    n=$((size - off))
    ((n > 65535)) && n=65535
    final=0
    ((off + n >= size)) && final=1
    printf "\\x0$final$(le16 $n)$(le16 $((n ^ 65535)))"
    tail -c +$((off + 1)) "$f" | head -c $n
    off=$((off + n))
    ((final)) && break
  done
  gzip -n -c "$f" | tail -c 8
}

# as_nobody CMD...: runs CMD as user nobody when root (setpriv), else as is.
as_nobody() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
  else
    "$@"
  fi
}

#!/bin/sh
# bench/callgrind-ingest.sh — instructions per datagram of benchmark (a),
# counted by callgrind: repeatable on a busy machine, where the wall-clock
# ratio of bench/run.sh is not. User-space instructions only: the bare
# loop's cost is mostly the kernel's, so compare modes with each other and
# with an earlier build, and leave the ratio itself to run.sh on a quiet
# machine. The bare loop's few instructions (50–300 a datagram) depend on
# how many datagrams each wakeup finds, so they vary from run to run.
#
#   bench/callgrind-ingest.sh [BUILD_DIR] [MODE…]   (default: build/, all three modes)
#   CG_RATE=3000 CG_SECONDS=3                        the offered flood (valgrind keeps up)
#
# Prints "mode M received N instructions-per-datagram I" per mode: the
# instructions under the receive path (the GSource dispatch and the reader
# thread; run_baseline for the bare loop) over the datagrams received.
# Runs in a loopback-only network namespace (tests/isolated.sh).
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
[ $# -gt 0 ] && shift
modes=${*:-baseline transport messenger}
rate=${CG_RATE:-3000}
seconds=${CG_SECONDS:-3}

if [ "${LANCHAT_ISOLATED:-}" != 1 ]; then
  meson compile -C "$build" bench/bench-flood bench/bench-ingest >/dev/null
  exec "$src/tests/isolated.sh" "$0" "$build" $modes
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for mode in $modes; do
  line=$(valgrind --tool=callgrind --callgrind-out-file="$work/$mode.out" \
           "$build/bench/bench-ingest" --mode "$mode" --flooder "$build/bench/bench-flood" \
           --seconds "$seconds" --rate "$rate" 2>/dev/null)
  received=$(echo "$line" | awk '{ for (i = 1; i < NF; i++) if ($i == "received") print $(i + 1) }')
  callgrind_annotate --inclusive=yes "$work/$mode.out" 2>/dev/null |
    awk -v mode="$mode" -v n="$received" '
      /lan-udp-receiver.c:source_dispatch \[|lan-udp-receiver.c:reader_thread \[|bench-ingest.c:run_baseline \[/ {
        gsub(",", "", $1); total += $1 }
      END { printf "mode %s received %d instructions-per-datagram %.0f\n", mode, n, (n > 0 ? total / n : 0) }'
done

#!/bin/sh
# bench/run.sh — build a release build and run the benchmarks, each figure
# printed beside its target. Not part of the test suite's pass/fail: a
# figure that misses its target still exits 0; only a broken run does not.
#
#   bench/run.sh [BUILD_DIR]        (default: build-bench/ in the source tree)
#   BENCH_SECONDS=3 BENCH_ROUNDS=3  flood length and rounds per ingest mode
#   BENCH_PARTS="a b c d"           which benchmarks to run
#
# Everything that opens a socket runs in a loopback-only network namespace
# (tests/isolated.sh); the flooder refuses anything outside 127.0.0.0/8.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-bench}
seconds=${BENCH_SECONDS:-3}
rounds=${BENCH_ROUNDS:-3}
parts=${BENCH_PARTS:-a b c d}
part () { case " $parts " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# The ISOLATED variable alone proves nothing (it may be inherited): trust it
# only in a network namespace other than init's, or than the one the wrapper
# started from where init's cannot be read.
in_own_netns () {
  here=$(readlink /proc/self/ns/net 2>/dev/null) || return 1
  outer=$(readlink /proc/1/ns/net 2>/dev/null) || outer=${LANCHAT_OUTER_NETNS:-}
  [ -n "$outer" ] && [ "$here" != "$outer" ]
}
if [ "${LANCHAT_ISOLATED:-}" != 1 ] || ! in_own_netns; then
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$src" --buildtype=release -Dapp=disabled -Dtests=false >/dev/null
  fi
  meson compile -C "$build" bench/bench-flood bench/bench-ingest bench/bench-json bench/bench-memory >/dev/null
  # Re-run this script inside the namespace; 77 means none could be made.
  status=0
  "$src/tests/isolated.sh" "$0" "$build" || status=$?
  if [ "$status" = 77 ]; then
    echo "bench: skipped, cannot make a network namespace (unshare --net)" >&2
    exit 0
  fi
  # A figure that misses its target is not an error; a benchmark that breaks is.
  [ "$status" = 0 ] || echo "bench: a benchmark failed (status $status)" >&2
  exit "$status"
fi

bin=$build/bench
ncpu=$(nproc)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
# Receiver and flooder on different CPUs when there are two.
if [ "$ncpu" -ge 2 ]; then rx_cpu=0; tx_cpu=1; else rx_cpu=-1; tx_cpu=-1; fi

echo "Lanchat benchmarks — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: ${model:-unknown CPU}, nproc $ncpu, $(uname -sr)"
# Other work on the machine skews every figure: say how busy it was.
echo "load:    $(cut -d ' ' -f 1-3 /proc/loadavg) (1, 5, 15 min) at the start"
echo "build:   $build (release), $(cd "$src" && git describe --always --dirty 2>/dev/null || echo 'no git')"
echo

field () { # field NAME LINE → the value after NAME
  echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}
median () { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else print v[int((NR + 1) / 2)] }'; }
verdict () { # verdict VALUE OP TARGET
  if awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN { exit !((op == ">=" && v >= t) || (op == "<" && v < t)) }'; then
    echo "ok"
  else
    echo "MISSED"
  fi
}

if part a; then
echo "(a) core ingest: a flooder on loopback ($seconds s, as fast as it can, 16 source ports,"
echo "    100–200-byte ANSENTRY/BR_ABSENCE/RECVMSG datagrams), median of $rounds rounds"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# "-direct": LANCHAT_UDP_THREAD=0, the transport read on the main loop without
# its reader thread (receiver and thread share the one CPU of --cpu either way).
modes="baseline transport messenger transport-direct messenger-direct"
for mode in $modes; do
  : >"$work/$mode"
done
round=1
while [ "$round" -le "$rounds" ]; do
  # Interleaved, so drift in the machine's speed falls on every mode alike.
  for mode in $modes; do
    case "$mode" in
    *-direct) thread=0 ;;
    *) thread=1 ;;
    esac
    line=$(LANCHAT_UDP_THREAD=$thread "$bin/bench-ingest" --mode "${mode%-direct}" \
           --flooder "$bin/bench-flood" --seconds "$seconds" --cpu $rx_cpu --flooder-cpu $tx_cpu)
    echo "    round $round: ${mode}: $line"
    field rate "$line" >>"$work/$mode"
  done
  round=$((round + 1))
done
base=$(median <"$work/baseline")
transport=$(median <"$work/transport")
messenger=$(median <"$work/messenger")
transport_direct=$(median <"$work/transport-direct")
messenger_direct=$(median <"$work/messenger-direct")
ratio () { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ratio_t=$(ratio "$transport" "$base")
ratio_m=$(ratio "$messenger" "$base")
printf '    %-58s %9.0f /s\n' "bare recvmmsg loop (baseline)" "$base"
printf '    %-58s %9.0f /s   ratio %s   target >= 0.6   %s\n' \
  "decoded and logged (LanTransport + codec + LanPacketLog)" "$transport" "$ratio_t" "$(verdict "$ratio_t" ">=" 0.6)"
printf '    %-58s %9.0f /s   ratio %s   target >= 0.6   %s\n' \
  "decoded, handled and logged (LanMessenger, as the app)" "$messenger" "$ratio_m" "$(verdict "$ratio_m" ">=" 0.6)"
printf '    %-58s %9.0f /s   ratio %s   (no reader thread)\n' \
  "decoded and logged, read on the main loop" "$transport_direct" "$(ratio "$transport_direct" "$base")"
printf '    %-58s %9.0f /s   ratio %s   (no reader thread)\n' \
  "decoded, handled and logged, read on the main loop" "$messenger_direct" "$(ratio "$messenger_direct" "$base")"
echo

echo "    offered 100 000 datagrams/s for $seconds s (the issue's rate):"
for mode in transport messenger; do
  line=$("$bin/bench-ingest" --mode $mode --flooder "$bin/bench-flood" --seconds "$seconds" --rate 100000 \
         --cpu $rx_cpu --flooder-cpu $tx_cpu)
  sent=$(field sent "$line"); received=$(field received "$line"); lost=$(field dropped "$line")
  printf '    %-10s sent %8s  logged %8s  lost %6s (%s%%)\n' "$mode" "$sent" "$received" "$lost" \
    "$(awk -v l="$lost" -v s="$sent" 'BEGIN { printf "%.2f", (s > 0 ? 100 * l / s : 0) }')"
done
echo

fi

if part b; then
  echo "(b) the app under Xvfb: at the end (bench/app-bench.sh)"
  echo
fi

if part c; then
echo "(c) memory over the idle footprint (VmRSS), log filled with 100–200-byte datagrams"
for entries in 100000 1000000; do
  line=$("$bin/bench-memory" --entries $entries)
  delta=$(field delta "$line")
  mb=$(awk -v d="$delta" 'BEGIN { printf "%.1f", d / 1000000 }')
  if [ "$entries" = 100000 ]; then target=80; else target=600; fi
  printf '    %-9s entries: %7s MB   target < %3s MB   %s   (append %s/s, filter over all rows %s rows/s)\n' \
    "$entries" "$mb" "$target" "$(verdict "$mb" "<" "$target")" "$(field append-rate "$line")" "$(field filter-rate "$line")"
done

fi

if part d; then
echo
echo "(d) the JSON form of a log entry (listen, JSONL export) against the datagram's size:"
echo "    entry packets made of NUL bytes, every byte a section; flat us-per-kib = linear"
"$bin/bench-json" --rounds 5 | sed 's/^/    /'
fi

# (b) the app itself: a build of its own with the app enabled (this one has
# none), Xvfb, each GSK renderer in turn. Already in our namespace here.
if part b; then
  echo
  "$src/bench/app-bench.sh" "${BENCH_APP_BUILD:-$src/build-bench-app}"
fi

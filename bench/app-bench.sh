#!/bin/sh
# bench/app-bench.sh — benchmark (b): the GTK app itself under a flood.
#
#   bench/app-bench.sh [BUILD_DIR]     (default: build-bench-app/ in the source tree)
#   BENCH_APP_RATES=5000,10000,20000,25000,30000,40000  BENCH_APP_SECONDS=3
#   BENCH_APP_RENDERERS="cairo gl"   (GTK 4.8 calls its GL renderer "gl")
#
# Builds bench-app (the app with its log pane open and following) in a
# release build with the app enabled, then, in a loopback-only network
# namespace (tests/isolated.sh), under Xvfb and a private session bus, runs
# it per GSK renderer, a fresh app for each rate, against bench-flood. Prints
# each rate's sent/logged/kernel drops, frame-time percentiles and how long
# the backlog took to be logged after the flood (drain, at most 2 s), and the
# highest rate without kernel (or reader-queue) drops beside the targets:
# 30 000 pkt/s with a p95 frame time under 50 ms; then the frame times at
# 20 000 pkt/s. Like bench/run.sh it exits 0 whatever the figures; a
# renderer that cannot start is said so and skipped.
set -eu

src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-bench-app}
rates=${BENCH_APP_RATES:-5000,10000,20000,25000,30000,40000}
seconds=${BENCH_APP_SECONDS:-3}
renderers=${BENCH_APP_RENDERERS:-cairo gl}

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$src" --buildtype=release -Dapp=enabled -Dtests=false >/dev/null
fi
meson compile -C "$build" >/dev/null
meson compile -C "$build" bench/bench-app bench/bench-flood >/dev/null

# The ISOLATED variable alone proves nothing (it may be inherited): trust it
# only in a network namespace other than init's, or than the one the wrapper
# started from where init's cannot be read.
in_own_netns () {
  here=$(readlink /proc/self/ns/net 2>/dev/null) || return 1
  outer=$(readlink /proc/1/ns/net 2>/dev/null) || outer=${LANCHAT_OUTER_NETNS:-}
  [ -n "$outer" ] && [ "$here" != "$outer" ]
}
if [ "${LANCHAT_ISOLATED:-}" != 1 ] || ! in_own_netns; then
  status=0
  "$src/tests/isolated.sh" "$0" "$build" || status=$?
  if [ "$status" = 77 ]; then
    echo "bench (b): skipped, cannot make a network namespace (unshare --net)" >&2
  fi
  exit 0
fi

for tool in xvfb-run dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench (b): skipped, $tool is not installed"
    exit 0
  fi
done

field_of () { # field_of NAME LINE → the value after NAME
  echo "$2" | awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }'
}

ncpu=$(nproc)
# The flooder on a CPU of its own where there is one to spare; the app,
# Xvfb and the kernel share the rest.
if [ "$ncpu" -ge 2 ]; then flooder_cpu=$((ncpu - 1)); else flooder_cpu=-1; fi

echo "(b) the app under Xvfb: log pane open and following, bench-flood from 127.0.0.3 for $seconds s"
echo "    at each of $rates datagrams/s, each rate in a fresh app (empty log and history:"
echo "    the core's history grows with every presence packet and slows it down, so a long"
echo "    run would measure that too); frame time = interval between the window's frame-clock"
echo "    after-paint signals during the flood; kernel drops from /proc/net/udp"
for renderer in $renderers; do
  echo "  GSK_RENDERER=$renderer:"
  best=""; best_line=""; shown_renderer=""; at20k=""
  for rate in $(echo "$rates" | tr ',' ' '); do
    out=$(GSK_RENDERER=$renderer GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory \
          GTK_A11Y=none NO_AT_BRIDGE=1 \
          xvfb-run -a -s "-screen 0 1280x900x24 -nolisten tcp" \
          dbus-run-session -- "$build/bench/bench-app" --flooder "$build/bench/bench-flood" \
          --rates "$rate" --seconds "$seconds" --flooder-cpu "$flooder_cpu" 2>&1) || true
    if [ -z "$shown_renderer" ]; then
      shown_renderer=$(echo "$out" | sed -n 's/^renderer //p')
      echo "    drawn by ${shown_renderer:-?}"
    fi
    echo "$out" | grep -E 'bench-app:|Gsk-WARNING' | sed 's/^/    /'
    line=$(echo "$out" | grep '^rate ' || true)
    [ -n "$line" ] || continue
    echo "    $line"
    # Sustained: the flooder reached the rate, no kernel drops, 99 % logged
    # within the drain (at most 2 s after the flood; its time is "drain").
    [ "$rate" = 20000 ] && at20k=$line
    if echo "$line" | awk -v s="$seconds" '{ for (i = 1; i < NF; i++) v[$i] = $(i + 1) }
         END { exit !(v["kernel-drops"] == 0 && v["queue-drops"] == 0 && v["sent"] >= 0.95 * v["rate"] * s && v["logged"] >= 0.99 * v["sent"]) }'; then
      best=$rate; best_line=$line
    fi
  done
  if [ -n "$best" ]; then
    p50=$(field_of p50 "$best_line"); p95=$(field_of p95 "$best_line"); p99=$(field_of p99 "$best_line")
    echo "    highest sustained rate with no kernel drops: $best pkt/s; p50/p95/p99 frame time $p50/$p95/$p99 ms at that rate"
    printf '    %-44s %6s pkt/s   target >= 30000   %s\n' "highest rate, no kernel drops" "$best" \
      "$(awk -v v="$best" 'BEGIN { print (v >= 30000 ? "ok" : "MISSED") }')"
    printf '    %-44s %6s ms      target < 50       %s\n' "p95 frame time at that rate" "$p95" \
      "$(awk -v v="$p95" 'BEGIN { print (v < 50 ? "ok" : "MISSED") }')"
  else
    echo "    highest sustained rate with no kernel drops: none of $rates"
    printf '    %-44s %6s pkt/s   target >= 30000   MISSED\n' "highest rate, no kernel drops" "0"
  fi
  if [ -n "$at20k" ]; then
    printf '    %-44s %s/%s/%s ms (p50/p95/p99), kernel drops %s, queue drops %s\n' \
      "frame time at 20000 pkt/s" "$(field_of p50 "$at20k")" "$(field_of p95 "$at20k")" \
      "$(field_of p99 "$at20k")" "$(field_of kernel-drops "$at20k")" "$(field_of queue-drops "$at20k")"
  else
    echo "    frame time at 20000 pkt/s: not measured (20000 is not among $rates)"
  fi
done

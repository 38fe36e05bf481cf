#!/usr/bin/env bash
# Build the libFuzzer targets with clang, AddressSanitizer and UBSan in their
# own build directory, then run each one for a while on a copy of its seed
# corpus (the fuzzer adds what it finds to the copy, never to the sources).
#
# Usage: build-aux/fuzz.sh [SECONDS]
#   SECONDS given: every target runs that long (a developer's run).
#   Without it: the suite's fuzz step (build-aux/test.sh). The targets that
#   reach the engine's tables and the JSON form, fuzz-engine and
#   fuzz-log-json, run FUZZ_LONG_SECONDS, the others FUZZ_SECONDS.
#   FUZZ_LONG_SECONDS  fuzz-engine and fuzz-log-json, no SECONDS (default 60)
#   FUZZ_SECONDS     every other target, no SECONDS (default 8)
#   FUZZ_JOBS        targets run at once (default 2, one a core: the two long
#                    ones side by side, then the short ones two by two, so the
#                    step takes about FUZZ_LONG_SECONDS + 3 * FUZZ_SECONDS)
#   FUZZ_BUILD_DIR   build directory (default: build-fuzz in the source tree)
#   FUZZ_MAX_LEN     largest input the fuzzer tries (default 16384)
#   LANCHAT_MESON_OPTIONS  more options for meson setup (CI: -Dwerror=true)
#
# Prints one summary line a target, in a fixed order. Exits non-zero when the
# build fails or any target crashes, leaks, times out or trips a sanitizer;
# the end of its log is printed, the reproducer is left in
# FUZZ_BUILD_DIR/fuzz-work/TARGET/artifacts.
set -euo pipefail

number () {
  case "$2" in
    ''|*[!0-9]*) echo "usage: $0 [SECONDS] ($1 must be a number of seconds, not '$2')" >&2; exit 2 ;;
  esac
}

targets=(ipmsg ipmsg-dissect charset log-json engine dir-stream file-records)
long_targets=" engine log-json "
if [ $# -gt 0 ]; then
  number SECONDS "$1"
  long_seconds=$1
  short_seconds=$1
else
  long_seconds="${FUZZ_LONG_SECONDS:-60}"
  short_seconds="${FUZZ_SECONDS:-8}"
  number FUZZ_LONG_SECONDS "$long_seconds"
  number FUZZ_SECONDS "$short_seconds"
fi
jobs="${FUZZ_JOBS:-2}"
number FUZZ_JOBS "$jobs"
[ "$jobs" -gt 0 ] || jobs=1

srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${FUZZ_BUILD_DIR:-$srcdir/build-fuzz}"
max_len="${FUZZ_MAX_LEN:-16384}"

if ! command -v clang >/dev/null; then
  echo "fuzz.sh: clang is needed for libFuzzer" >&2
  exit 1
fi

if [ ! -f "$builddir/build.ninja" ]; then
  # The core library itself gets fuzzer-no-link instrumentation, or the
  # fuzzer would be blind to coverage inside the code under test.
  CC=clang meson setup "$builddir" "$srcdir" \
    -Dfuzzing=true -Dapp=disabled -Dtests=false \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link ${LANCHAT_MESON_OPTIONS:-}
fi

# Only the fuzz targets and what they link, so unrelated parts of the tree
# can't fail this run.
meson compile -C "$builddir" "${targets[@]/#/fuzz-}"

export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# GSlice caches would look like leaks (or hide them) to LeakSanitizer.
export G_SLICE=always-malloc
export G_DEBUG=fatal-criticals

seconds_of () {
  case "$long_targets" in
    *" $1 "*) echo "$long_seconds" ;;
    *) echo "$short_seconds" ;;
  esac
}

# One target, in the background: its exit status goes to WORK/status and its
# summary line to WORK/summary, so that targets running side by side neither
# mix their output nor hide a failure.
run_target () {
  local target=$1 seconds=$2
  local binary="$builddir/tests/fuzz/fuzz-$target"
  local work="$builddir/fuzz-work/$target"
  local status=0 runs speed cov

  # In a loopback-only network namespace, like every test: fuzz-engine runs
  # a whole engine (over the in-memory LAN, no socket, but an engine).
  "$srcdir/tests/isolated.sh" "$binary" \
    -max_total_time="$seconds" \
    -max_len="$max_len" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" \
    "$work/corpus" >"$work/log" 2>&1 || status=$?

  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -n 1)"
  cov="$(grep -o 'cov: [0-9]*' "$work/log" | tail -n 1 || true)"
  if [ "$status" -eq 77 ]; then
    echo "fuzz-$target: skipped, no network namespace could be made" >"$work/summary"
  elif [ "$status" -ne 0 ]; then
    echo "fuzz-$target: FAILED (exit $status), artifacts in $work/artifacts, log $work/log" >"$work/summary"
  else
    echo "fuzz-$target: ok, ${seconds}s, ${runs:-?} runs, ${speed:-?} exec/s, ${cov:-cov: ?}, corpus $(ls "$work/corpus" | wc -l)" >"$work/summary"
  fi
  echo "$status" >"$work/status"
}

# Background jobs of a script ignore Ctrl+C, and so would the fuzzers they
# start: on INT or TERM, stop each job and what it started, by process id.
stop_tree () {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    stop_tree "$child"
  done
  kill "$1" 2>/dev/null || true
}
stop_jobs () {
  local job
  for job in $(jobs -p); do
    stop_tree "$job"
  done
  exit 130
}
trap stop_jobs INT TERM

# The longest first, so the short ones fill the other core around them.
order=()
for target in "${targets[@]}"; do
  [ "$(seconds_of "$target")" -gt "$short_seconds" ] && order+=("$target")
done
for target in "${targets[@]}"; do
  [ "$(seconds_of "$target")" -gt "$short_seconds" ] || order+=("$target")
done

running=0
for target in "${order[@]}"; do
  work="$builddir/fuzz-work/$target"
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp "$srcdir/tests/fuzz/corpus/$target/"* "$work/corpus/"
  if [ "$running" -ge "$jobs" ]; then
    # Whichever ends first frees its core; its status is read from its file.
    wait -n || true
    running=$((running - 1))
  fi
  echo "=== fuzz-$target: $(seconds_of "$target")s, corpus $(ls "$work/corpus" | wc -l) seeds"
  run_target "$target" "$(seconds_of "$target")" &
  running=$((running + 1))
done
wait || true

failed=0
summary=()
for target in "${targets[@]}"; do
  work="$builddir/fuzz-work/$target"
  status="$(cat "$work/status" 2>/dev/null || echo lost)"
  if [ "$status" = lost ]; then
    echo "fuzz-$target: FAILED (no status: the run did not finish), log $work/log" >"$work/summary"
  fi
  if [ "$status" != 0 ] && [ "$status" != 77 ]; then
    failed=1
    echo "=== fuzz-$target failed; the end of $work/log:"
    tail -n 60 "$work/log" || true
  fi
  summary+=("$(cat "$work/summary")")
done

printf '%s\n' "${summary[@]}"
exit "$failed"

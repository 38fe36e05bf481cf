#!/usr/bin/env bash
# Build the libFuzzer targets with clang, AddressSanitizer and UBSan in their
# own build directory, then run each one for a while on a copy of its seed
# corpus (the fuzzer adds what it finds to the copy, never to the sources).
#
# Usage: build-aux/fuzz.sh [SECONDS]   seconds per target, default 60
#   FUZZ_BUILD_DIR   build directory (default: build-fuzz in the source tree)
#   FUZZ_MAX_LEN     largest input the fuzzer tries (default 16384)
#   LANCHAT_MESON_OPTIONS  more options for meson setup (CI: -Dwerror=true)
#
# Exits non-zero when the build fails or any target crashes, leaks, times out
# or trips a sanitizer; the reproducer is left in FUZZ_BUILD_DIR/fuzz-work.
set -euo pipefail

seconds="${1:-60}"
case "$seconds" in
  ''|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac

srcdir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
builddir="${FUZZ_BUILD_DIR:-$srcdir/build-fuzz}"
max_len="${FUZZ_MAX_LEN:-16384}"
targets=(ipmsg ipmsg-dissect charset log-json engine dir-stream file-records)

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

failed=0
summary=()
for target in "${targets[@]}"; do
  binary="$builddir/tests/fuzz/fuzz-$target"
  work="$builddir/fuzz-work/$target"
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp "$srcdir/tests/fuzz/corpus/$target/"* "$work/corpus/"

  echo "=== fuzz-$target: ${seconds}s, corpus $(ls "$work/corpus" | wc -l) seeds"
  status=0
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
    summary+=("fuzz-$target: skipped, no network namespace could be made")
  elif [ "$status" -ne 0 ]; then
    failed=1
    tail -n 60 "$work/log"
    summary+=("fuzz-$target: FAILED (exit $status), artifacts in $work/artifacts, log $work/log")
  else
    summary+=("fuzz-$target: ok, ${runs:-?} runs, ${speed:-?} exec/s, ${cov:-cov: ?}, corpus $(ls "$work/corpus" | wc -l)")
  fi
done

printf '%s\n' "${summary[@]}"
exit "$failed"

#!/bin/sh
# Quick start for developers: install what is missing, then build and run the
# whole test suite twice (plain, and under AddressSanitizer and UBSan), then a
# short fuzz run. Prints "N passed, N failed, N skipped" at the end.
#   FUZZ_SECONDS=12  seconds per fuzz target, five targets (0 skips fuzzing)
#   LANCHAT_MESON_OPTIONS="-Dwerror=true"  options for every build directory
#                    (CI sets this one: warnings are errors there, not by
#                    default, so a newer compiler doesn't break a user's build)
set -eu
cd "$(dirname "$0")/.."
start=$(date +%s)

sh build-aux/setup.sh --tests
# clang's runtime is named after clang, which only now is surely installed.
sh build-aux/setup.sh --tests

status=0
run_suite () {
  dir=$1
  kill_runs=$2
  shift 2
  if [ -d "$dir" ]; then
    [ -z "${LANCHAT_MESON_OPTIONS:-}" ] || meson configure "$dir" $LANCHAT_MESON_OPTIONS
  else
    meson setup "$dir" "$@" ${LANCHAT_MESON_OPTIONS:-}
  fi
  meson compile -C "$dir"
  KILL_RUNS=$kill_runs meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
}

# The SIGKILL test runs 20 times in a row in the plain build, fewer under the
# sanitizers, where it is there to catch memory errors rather than races.
run_suite build "${KILL_RUNS:-20}"
run_suite build-san "${KILL_RUNS_SAN:-3}" -Db_sanitize=address,undefined -Db_lundef=false

fuzz_seconds=${FUZZ_SECONDS:-12}
if [ "$fuzz_seconds" -gt 0 ]; then
  bash build-aux/fuzz.sh "$fuzz_seconds" || status=1
fi

python3 build-aux/summarize-tests.py build build-san || status=1
echo "test.sh: finished in $(( $(date +%s) - start )) s"
exit $status

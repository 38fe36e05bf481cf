#!/bin/sh
# Quick start for developers: install what is missing, then build and run the
# whole test suite twice (plain, and under AddressSanitizer and UBSan), then a
# short fuzz run. Prints "N passed, N failed, N skipped" at the end.
#   FUZZ_SECONDS=60  seconds per fuzz target (0 skips fuzzing)
set -eu
cd "$(dirname "$0")/.."
start=$(date +%s)

sh build-aux/setup.sh --tests
# clang's runtime is named after clang, which only now is surely installed.
sh build-aux/setup.sh --tests

status=0
run_suite () {
  dir=$1
  shift
  [ -d "$dir" ] || meson setup "$dir" "$@"
  meson compile -C "$dir"
  meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
}

run_suite build
run_suite build-san -Db_sanitize=address,undefined -Db_lundef=false

fuzz_seconds=${FUZZ_SECONDS:-60}
if [ "$fuzz_seconds" -gt 0 ]; then
  bash build-aux/fuzz.sh "$fuzz_seconds" || status=1
fi

python3 build-aux/summarize-tests.py build build-san || status=1
echo "test.sh: finished in $(( $(date +%s) - start )) s"
exit $status

#!/bin/sh
# Quick start for developers: install what is missing, then build and run the
# whole test suite (plain), again under AddressSanitizer and UBSan (all but the
# serial lab tests, two of them kept, and the ship suite), then a fuzz run.
# Prints "N passed, N failed, N skipped" at the end.
#   FUZZ_LONG_SECONDS=60  seconds for fuzz-engine and fuzz-log-json (the
#                    engine's tables and the JSON form)
#   FUZZ_SECONDS=5   seconds for each of the five other fuzz targets (0 skips
#                    fuzzing); two targets run at once (FUZZ_JOBS=2), so the
#                    step takes about FUZZ_LONG_SECONDS + 3 * FUZZ_SECONDS
#   SAN_ALL=1        the whole suite under the sanitizers too (default: not the
#                    lab tests that test protocol logic rather than memory, nor
#                    the ship suite, which checks files; see below)
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
  # shellcheck disable=SC2086 # a list of test names
  KILL_RUNS=$kill_runs meson test -C "$dir" --print-errorlogs --num-processes 2 ${SUITE_TESTS:-} || status=1
}

# The SIGKILL test runs 8 times in a row in the plain build, fewer under the
# sanitizers, where it is there to catch memory errors rather than races.
run_suite build "${KILL_RUNS:-8}"

# Under the sanitizers: every unit, loop and UI test (the engine over real
# sockets, files included, is the loop suite's: test-fetch feeds the fetch
# the same hostile names, climbing folder streams, lying sizes and stalls as
# lab-files-hostile's crafted peer, in-process), and of the lab (serial, and
# most of it protocol logic the plain pass already checks) the tests whose
# input is hostile and nowhere else under the sanitizers: dialects, an
# impostor. Nor the two locale tests: the window code they run is the other
# UI tests' (what they check, the translated text, is checked by the plain
# pass); nor the preferences, doctor and packet log windows' (28 s, 22 s and
# 30-35 s under the sanitizers; no network input reaches them that the engine
# and packet log tests do not feed the core under the sanitizers). That keeps
# .ci/run under 15 minutes on two cores (it varied 805-902 s with
# lab-files-hostile and the locale tests in: 40 s and 33 s of it, took 867 s
# with the first two windows in, and test.sh 834 s twice with the log window
# in); SAN_ALL=1 runs them all.
if [ "${SAN_ALL:-0}" != 1 ]; then
  [ -d build-san ] ||
    meson setup build-san -Db_sanitize=address,undefined -Db_lundef=false ${LANCHAT_MESON_OPTIONS:-}
  # --list builds first; the names are unique, so they select the tests.
  SUITE_TESTS=$(meson test -C build-san --list 2>/dev/null | awk -F ' / ' '
    NF == 2 && ($1 !~ /:(lab|ship|screenshots)$/ || $2 ~ /^(lab-dialects|lab-impostor)$/) &&
      $2 !~ /^(ui-locale-|ui-window-preferences$|ui-window-doctor$|ui-window-log$)/ { print $2 }')
  if [ -z "$SUITE_TESTS" ]; then
    echo "test.sh: build-san lists no tests" >&2
    status=1
  fi
fi
run_suite build-san "${KILL_RUNS_SAN:-2}" -Db_sanitize=address,undefined -Db_lundef=false
SUITE_TESTS=

# No argument: each target its own time (fuzz.sh's header).
fuzz_seconds=${FUZZ_SECONDS:-5}
if [ "$fuzz_seconds" -gt 0 ]; then
  FUZZ_SECONDS=$fuzz_seconds bash build-aux/fuzz.sh || status=1
fi

python3 build-aux/summarize-tests.py build build-san || status=1
echo "test.sh: finished in $(( $(date +%s) - start )) s"
exit $status

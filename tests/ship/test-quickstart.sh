#!/bin/sh
# The README's quick start, run the way a new user runs it: build-aux/run.sh
# (package step skipped: the suite's machine is set up already) under Xvfb,
# on a session bus of its own, in a network namespace with only loopback,
# with a new home directory and none of the variables the other tests set.
#
# Passes when the Lanchat window appears, a preference changed in one run
# (the log pane, toggled with Ctrl+L) is still there in the next, the app
# quits with Ctrl+Q, and nothing on its output is a GLib ERROR or CRITICAL.
# Then the same for `lanchat-cli --help` from the build tree.
#
#   test-quickstart.sh SOURCE_DIR BUILD_DIR
set -eu

src=$1
build=$2

# The ISOLATED variable alone proves nothing (it may be inherited): trust it
# only in a network namespace other than init's, or than the one the wrapper
# started from where init's cannot be read.
in_own_netns () {
  here=$(readlink /proc/self/ns/net 2>/dev/null) || return 1
  outer=$(readlink /proc/1/ns/net 2>/dev/null) || outer=${LANCHAT_OUTER_NETNS:-}
  [ -n "$outer" ] && [ "$here" != "$outer" ]
}
if [ "${LANCHAT_QUICKSTART_ISOLATED:-}" != 1 ] || ! in_own_netns; then
  if [ "$(id -u)" = 0 ]; then
    flags=--net
  else
    flags="--net --map-root-user"
  fi
  if ! unshare $flags true 2>/dev/null; then
    echo "SKIP: cannot make a network namespace (unshare --net)"
    exit 77
  fi
  for tool in xvfb-run dbus-run-session xdotool gsettings; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "SKIP: $tool is not installed"
      exit 77
    fi
  done
  PATH="$PATH:/usr/sbin:/sbin"
  LANCHAT_OUTER_NETNS=$(readlink /proc/self/ns/net)
  export PATH LANCHAT_OUTER_NETNS
  LANCHAT_QUICKSTART_ISOLATED=1 exec unshare $flags "$0" "$@"
fi

ip link set lo up

work=$(mktemp -d "${TMPDIR:-/tmp}/lanchat-quickstart.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A first start: nothing of the test environment, a home of its own.
unset GSETTINGS_BACKEND GSETTINGS_SCHEMA_DIR LANCHAT_LOCALEDIR G_DEBUG XDG_DATA_DIRS \
      XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME XDG_RUNTIME_DIR \
      DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY MESON_DEVENV
HOME=$work/home
mkdir -p "$HOME"
export HOME
export LANCHAT_NO_SETUP=1 LANCHAT_BUILD_DIR="$build"

# Under AddressSanitizer, GTK's GL renderer on llvmpipe (Xvfb has no GPU)
# takes minutes to draw the first frames; the plain build tests the default
# renderer, the sanitizer build the cairo one.
sanitize=$(meson introspect "$build" --buildoptions | python3 -c 'import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "b_sanitize"))')
if [ "$sanitize" != none ]; then
  GSK_RENDERER=cairo
  export GSK_RENDERER
  echo "# sanitizer build: GSK_RENDERER=cairo"
fi

failures=0
fail () {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# What a GLib program prints for g_error(), g_critical() and the fallback to
# a settings backend that forgets everything.
bad_output () {
  grep -E -e '-(ERROR|CRITICAL) \*\*' -e "Using the 'memory' GSettings backend" "$1"
}

# One start of the app on a fresh X server and session bus: waits for its
# window, runs the step given, then quits it with Ctrl+Q. The session part
# runs in a script of its own so xvfb-run and dbus-run-session can wrap it.
cat >"$work/session.sh" <<'EOF'
#!/bin/sh
set -u
out=$1
step=$2
"$LANCHAT_SRC/build-aux/run.sh" >"$out" 2>&1 &
app=$!

# Poll for the window up to a deadline (GTK's GL renderer on llvmpipe starts slowly).
window=""
deadline=$(( $(date +%s) + 90 ))
while [ -z "$window" ] && [ "$(date +%s)" -lt "$deadline" ]; do
  if ! kill -0 "$app" 2>/dev/null; then
    echo "the app exited before its window appeared"
    exit 1
  fi
  window=$(xdotool search --onlyvisible --name '^Lanchat$' 2>/dev/null | head -n 1)
  [ -n "$window" ] || sleep 0.2
done
if [ -z "$window" ]; then
  echo "no Lanchat window within 90 s"
  kill "$app" 2>/dev/null
  exit 1
fi
echo "window $window appeared"

schema_env="GSETTINGS_SCHEMA_DIR=$LANCHAT_BUILD_DIR/data"
get_log_visible () {
  env "$schema_env" gsettings get io.github.lanchat.Lanchat log-visible 2>/dev/null
}

xdotool windowfocus --sync "$window" 2>/dev/null || true
case $step in
  toggle-log)
    echo "log-visible before: $(get_log_visible)"
    xdotool key --clearmodifiers ctrl+l
    deadline=$(( $(date +%s) + 60 ))
    while [ "$(get_log_visible)" != true ] && [ "$(date +%s)" -lt "$deadline" ]; do
      sleep 0.1
    done
    echo "log-visible after Ctrl+L: $(get_log_visible)"
    ;;
  check-log)
    echo "log-visible at the second start: $(get_log_visible)"
    ;;
esac

xdotool key --clearmodifiers ctrl+q
deadline=$(( $(date +%s) + 30 ))
while kill -0 "$app" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
  sleep 0.1
done
if kill -0 "$app" 2>/dev/null; then
  echo "the app did not quit on Ctrl+Q"
  kill "$app"
  exit 1
fi
wait "$app"
echo "the app quit with status $?"
EOF
chmod +x "$work/session.sh"
export LANCHAT_SRC="$src"

run_session () {
  name=$1
  step=$2
  echo "# $name"
  status=0
  xvfb-run -a -s "-screen 0 1280x900x24 -nolisten tcp" \
    dbus-run-session -- "$work/session.sh" "$work/$name.out" "$step" >"$work/$name.session" 2>&1 ||
    status=$?
  sed 's/^/  | /' "$work/$name.session"
  echo "  run.sh printed:"
  sed 's/^/  | /' "$work/$name.out"
  [ "$status" -eq 0 ] || fail "$name: the session failed (status $status)"
  grep -q "^window " "$work/$name.session" || fail "$name: no Lanchat window"
  if bad_output "$work/$name.out" >/dev/null; then
    fail "$name: GLib errors or criticals on the app's output:"
    bad_output "$work/$name.out"
  fi
  grep -q "quit with status 0" "$work/$name.session" || fail "$name: the app did not exit cleanly"
}

run_session first-start toggle-log
grep -q "after Ctrl+L: true" "$work/first-start.session" ||
  fail "first-start: Ctrl+L did not turn on the log pane's setting"
run_session second-start check-log
grep -q "second start: true" "$work/second-start.session" ||
  fail "second-start: the setting changed in the first run was lost"

echo "# lanchat-cli --help from the build tree"
status=0
meson devenv -C "$build" lanchat-cli --help >"$work/cli.out" 2>&1 || status=$?
[ "$status" -eq 0 ] || fail "lanchat-cli --help exited with $status"
grep -q -- "--port" "$work/cli.out" || fail "lanchat-cli --help does not describe --port"
sed 's/^/  | /' "$work/cli.out" | head -n 15
if bad_output "$work/cli.out" >/dev/null; then
  fail "lanchat-cli --help printed GLib errors or criticals"
fi

# A build directory broken half way, then one set up without the app: run.sh
# sets each up again and builds the app. Without a display it says so and
# exits 1 once the build is done.
# run.sh's own logic, the same whatever the build: once, in the plain one.
# The broken one first, so that the tree is compiled once, not twice (its
# setup --wipe starts from nothing): for the second case the app is turned
# off again and its program deleted, so run.sh must enable and link it anew.
if [ "$sanitize" != none ]; then
  echo "# (run.sh on a build directory without the app: checked in the plain build)"
else
echo "# run.sh on a broken build directory, then on one without the app"
# Without debug information (what is checked is run.sh, not the compiler's
# output): a third less to compile; run.sh's setup --wipe keeps the options.
meson setup "$work/partial" "$src" -Dapp=disabled -Dtests=false -Ddebug=false -Doptimization=0 >/dev/null
for case in broken without-app; do
  if [ "$case" = broken ]; then
    rm "$work/partial/build.ninja"
  else
    meson configure "$work/partial" -Dapp=disabled >/dev/null
    rm -f "$work/partial/src/app/lanchat"
  fi
  status=0
  env LANCHAT_BUILD_DIR="$work/partial" "$src/build-aux/run.sh" >"$work/$case.out" 2>&1 || status=$?
  grep '^run.sh:' "$work/$case.out" | sed 's/^/  | /'
  [ "$status" -eq 1 ] || fail "$case: run.sh without a display exited $status, not 1"
  grep -q "there is no display" "$work/$case.out" || fail "$case: run.sh did not say there is no display"
  [ -x "$work/partial/src/app/lanchat" ] || fail "$case: run.sh did not build the app"
done
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "PASS: quick start"

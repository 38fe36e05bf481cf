#!/bin/bash
# Lab: the app reachable with its window closed. Lanchat runs under Xvfb with a session
# bus in host "app"; its window is closed with Ctrl+W (xdotool). It must keep running:
# `lanchat-cli send` from host "usr" is acknowledged (exit 0). Then Quit (app.quit over
# the session bus, what the main menu and Ctrl+Q do) ends it for real: `lanchat-cli
# listen` in a third host, "obs", sees its BR_EXIT.
set -u
source "$(dirname "$0")/lab.sh"

lab_init
lab_require_cli
: "${LANCHAT_APP:?LANCHAT_APP must name lanchat}"
for tool in xvfb-run Xvfb xauth dbus-run-session xdotool gapplication; do
	command -v "$tool" >/dev/null 2>&1 || lab_skip "$tool not installed"
done

APP=10.77.0.51
USR=10.77.0.52
OBS=10.77.0.53
lab_add_host app "$APP"
lab_add_host usr "$USR"
lab_add_host obs "$OBS"
fail=0

LAB_SPLIT_STDERR=1 lab_spawn obs "$LAB_DIR/listen.jsonl" "$LANCHAT_CLI" --nick lab-obs listen
listenpid=$LAB_PID

home="$LAB_DIR/home-app"
mkdir -p "$home/.config" "$home/.cache" "$home/.local/share"
# The session's bus and display, for xdotool and gapplication from outside it.
cat >"$LAB_DIR/app.sh" <<'SH'
printf '%s\n' "$DBUS_SESSION_BUS_ADDRESS" >"$SESSION_DIR/bus"
printf '%s\n%s\n' "$DISPLAY" "$XAUTHORITY" >"$SESSION_DIR/display"
exec "$LANCHAT_APP"
SH
lab_spawn app "$LAB_DIR/app.log" env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
	HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache" \
	XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home" SESSION_DIR="$LAB_DIR" \
	GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$GSETTINGS_SCHEMA_DIR" GSK_RENDERER=cairo \
	NO_AT_BRIDGE=1 LANG=C.UTF-8 LANCHAT_APP="$LANCHAT_APP" \
	xvfb-run -a -s "-nolisten tcp -screen 0 1280x800x24" dbus-run-session -- bash "$LAB_DIR/app.sh"
apppid=$LAB_PID
if ! lab_wait_for 30000 lab_udp_bound app; then
	lab_dump "$LAB_DIR/app.log"
	lab_fail "the app did not bind UDP 2425"
fi
lab_wait_for 5000 test -s "$LAB_DIR/display" || lab_fail "no display recorded"
display=$(sed -n 1p "$LAB_DIR/display")
xauthority=$(sed -n 2p "$LAB_DIR/display")
bus=$(cat "$LAB_DIR/bus")
x () { lab_exec app env DISPLAY="$display" XAUTHORITY="$xauthority" xdotool "$@"; }
visible_window () { x search --onlyvisible --name '^Lanchat$' >"$LAB_DIR/window" 2>/dev/null; }
no_visible_window () { ! visible_window; }

lab_wait_for 20000 visible_window || { lab_dump "$LAB_DIR/app.log"; lab_fail "no Lanchat window"; }
window=$(head -n1 "$LAB_DIR/window")
x windowfocus --sync "$window" key --clearmodifiers ctrl+w
if lab_wait_for 10000 no_visible_window; then
	echo "window closed"
else
	echo "  the window is still shown after Ctrl+W"
	fail=1
fi
if kill -0 "$apppid" 2>/dev/null && lab_udp_bound app; then
	echo "app still running with its window closed"
else
	echo "  the app quit when its window closed"
	fail=1
fi

lab_cli usr --nick lab-usr send --wait 15 "$APP" "while your window is closed" \
	>"$LAB_DIR/send.out" 2>"$LAB_DIR/send.err"
rc=$?
echo "send: exit $rc"
[ "$rc" = 0 ] || { echo "  send to the windowless app exited $rc (want 0)"; sed 's/^/  | /' "$LAB_DIR/send.err"; fail=1; }

lab_exec app env DBUS_SESSION_BUS_ADDRESS="$bus" gapplication action io.github.lanchat.Lanchat quit ||
	{ echo "  gapplication action quit failed"; fail=1; }
app_unbound () { ! lab_udp_bound app; }
if lab_wait_for 10000 app_unbound; then
	echo "app quit"
else
	echo "  the app is still bound after Quit"
	fail=1
fi
saw_exit () {
	python3 - "$LAB_DIR/listen.jsonl" "$APP" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        packet = json.loads(line)
    except ValueError:
        continue
    if packet.get("command") == "BR_EXIT" and str(packet.get("remote", "")).startswith(sys.argv[2] + ":"):
        sys.exit(0)
sys.exit(1)
PY
}
if lab_wait_for 5000 saw_exit; then
	echo "listen saw the app's BR_EXIT"
else
	echo "  no BR_EXIT from $APP in what listen printed"
	grep -c . "$LAB_DIR/listen.jsonl" | sed 's/^/  | packets: /'
	fail=1
fi

lab_stop "$listenpid" "$apppid"
[ "$fail" = 0 ] || { lab_dump "$LAB_DIR/app.log"; lab_fail "background"; }
echo "PASS"

#!/bin/bash
# Lab: interoperability with a real iptux (Debian's, under Xvfb) on another host.
# `lanchat-cli peers` (broadcast only) must list iptux with its nickname and user@host,
# and `lanchat-cli send <iptux-ip> hello` must be acknowledged (exit 0), also when the
# peer is named by its nickname. Skips (77) when iptux is not installed.
set -u
source "$(dirname "$0")/lab.sh"

NICK=labtux

lab_init
command -v iptux >/dev/null 2>&1 ||
	lab_skip "iptux is not installed (apt-get install iptux xvfb xauth dbus-x11)"
lab_require_cli

ME=10.77.0.31
TUX=10.77.0.33
lab_add_host me "$ME"
lab_add_host tux "$TUX"

t0=$(lab_now_ms)
lab_start_iptux tux "$NICK"
echo "iptux up and answering after $(($(lab_now_ms) - t0)) ms"

fail=0

# 1. Discovery by broadcast. iptux announces itself as user root (the login) on host "tux".
t0=$(lab_now_ms)
lab_cli me --nick lab-me --group lab peers --wait 5 --expect 1 \
	>"$LAB_DIR/peers.out" 2>"$LAB_DIR/peers.err"
rc=$?
echo "peers: exit $rc after $(($(lab_now_ms) - t0)) ms"
sed 's/^/  | /' "$LAB_DIR/peers.out"
if [ "$rc" != 0 ]; then
	echo "  lanchat-cli peers exited $rc (want 0: iptux found)"
	fail=1
fi
if ! awk -F'\t' -v n="$NICK" -v a="$TUX:2425" '
	$1 == n && $3 == a && $2 ~ /@tux$/ && $4 == "lab" { f = 1 } END { exit !f }' \
	"$LAB_DIR/peers.out"; then
	echo "  iptux ($NICK, user@tux, $TUX:2425, group lab) not listed"
	fail=1
fi

# 2. A checked message by address: iptux answers RECVMSG (to port 2425).
t0=$(lab_now_ms)
lab_cli me --nick lab-me send "$TUX" hello >"$LAB_DIR/send.out" 2>"$LAB_DIR/send.err"
rc=$?
echo "send $TUX hello: exit $rc after $(($(lab_now_ms) - t0)) ms: $(head -n1 "$LAB_DIR/send.out")"
if [ "$rc" != 0 ]; then
	echo "  lanchat-cli send exited $rc (want 0: acknowledged)"
	fail=1
elif ! grep -q '^delivered 1/1 ' "$LAB_DIR/send.out"; then
	echo "  no 'delivered 1/1' summary"
	fail=1
fi

# 3. The same, naming the peer by its nickname (found by broadcast within --wait).
t0=$(lab_now_ms)
lab_cli me --nick lab-me send --wait 5 "$NICK" "hello by nickname" \
	>"$LAB_DIR/send-nick.out" 2>"$LAB_DIR/send-nick.err"
rc=$?
echo "send $NICK ...: exit $rc after $(($(lab_now_ms) - t0)) ms: $(head -n1 "$LAB_DIR/send-nick.out")"
if [ "$rc" != 0 ]; then
	echo "  lanchat-cli send by nickname exited $rc (want 0)"
	fail=1
fi

if [ "$fail" != 0 ]; then
	lab_dump "$LAB_DIR/peers.err" "$LAB_DIR/send.out" "$LAB_DIR/send.err" \
		"$LAB_DIR/send-nick.out" "$LAB_DIR/send-nick.err" "$LAB_DIR/iptux-tux.log"
	lab_fail "iptux"
fi
echo "PASS: iptux"

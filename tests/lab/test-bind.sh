#!/bin/bash
# Lab: bound to one network, still hearing it, and the real source of what we send.
#
# Host a listens bound to its own address (--bind 10.77.0.51, the app's "Listen On"); host c
# listens on all addresses (0.0.0.0). A newcomer b (all addresses) runs `peers --expect 2`:
# its BR_ENTRY and, at its exit, its BR_EXIT go to the broadcast address 10.77.0.255 only
# (the lab has no default route), which a socket bound to 10.77.0.51 alone never gets.
#
#  1. b lists both a and c within 2 s (a heard the broadcast and answered);
#  2. a's `listen` JSON shows b's BR_ENTRY and BR_EXIT, and every packet a sent has a's own
#     address as its source ("local"), never 0.0.0.0;
#  3. c's packets out show c's real address too (the route's source, not the bind address);
#  4. a second lanchat-cli bound to 10.77.0.51 fails and names port 2425 (port in use).
set -u
source "$(dirname "$0")/lab.sh"

lab_init
lab_require_cli
lab_require_python

A=10.77.0.51
B=10.77.0.52
C=10.77.0.53
lab_add_host a "$A"
lab_add_host b "$B"
lab_add_host c "$C"

fail=0
logs=()

LAB_SPLIT_STDERR=1 lab_spawn a "$LAB_DIR/a.json" "$LANCHAT_CLI" --nick lab-a --group lab \
	--bind "$A" listen
apid=$LAB_PID
logs+=("$LAB_DIR/a.json.err")
LAB_SPLIT_STDERR=1 lab_spawn c "$LAB_DIR/c.json" "$LANCHAT_CLI" --nick lab-c --group lab listen
cpid=$LAB_PID
logs+=("$LAB_DIR/c.json.err")
for h in a c; do
	lab_wait_for 5000 lab_udp_bound "$h" || { lab_dump "${logs[@]}"; lab_fail "listen on $h did not bind"; }
done

# 4. first, while a holds the port: the same address again is refused, naming the port.
lab_cli a --nick lab-a2 --group lab --bind "$A" peers --wait 1 \
	>"$LAB_DIR/second.out" 2>"$LAB_DIR/second.err"
rc=$?
echo "second lanchat-cli bound to $A: exit $rc: $(head -n 1 "$LAB_DIR/second.err")"
if [ "$rc" = 0 ]; then
	echo "  a second messenger bound to $A:2425 beside the first (want an error)"
	fail=1
elif ! grep -q 2425 "$LAB_DIR/second.err"; then
	echo "  the error does not name port 2425"
	fail=1
fi

# 1. the newcomer.
lab_spawn_timed b "$LAB_DIR/b.out" "$LAB_DIR/b.time" \
	"$LANCHAT_CLI" --nick lab-b --group lab peers --expect 2 --wait 2
wait "$LAB_PID"
logs+=("$LAB_DIR/b.out.err")
read -r rc ms <"$LAB_DIR/b.time" || { rc='?'; ms='?'; }
echo "b: peers --expect 2: exit $rc after $ms ms"
sed 's/^/  | /' "$LAB_DIR/b.out"
[ "$rc" = 0 ] || { echo "  b did not list both a and c (exit $rc)"; fail=1; }
grep -q "$A:2425" "$LAB_DIR/b.out" || { echo "  b does not list lab-a ($A:2425)"; fail=1; }

# a hears b's BR_EXIT (a broadcast) once b is gone.
has_exit() {
	python3 - "$LAB_DIR/a.json" "$B" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("direction") == "in" and o.get("command") == "BR_EXIT" and o.get("remote") == sys.argv[2] + ":2425":
        sys.exit(0)
sys.exit(1)
PY
}
lab_wait_for 3000 has_exit || true
lab_stop "$apid" "$cpid"

# check_json FILE OWN-ADDRESS [want BR_ENTRY+BR_EXIT from B]
check_json() {
	python3 - "$@" <<'PY'
import json, sys
path, own, want = sys.argv[1], sys.argv[2], sys.argv[3:]
seen, out, bad = set(), 0, []
for line in open(path, encoding="utf-8"):
    if not line.strip():
        continue
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o["direction"] == "out":
        out += 1
        if o["local"] != own + ":2425":
            bad.append("%s to %s from %s" % (o.get("command"), o["remote"], o["local"]))
    elif o["remote"] == want[0] + ":2425" if want else False:
        seen.add(o.get("command"))
        print("  in: %s from %s to %s" % (o.get("command"), o["remote"], o["local"]))
ok = True
if out == 0:
    print("  %s: no packet out at all" % path); ok = False
for b in bad:
    print("  sent with the wrong source (want %s:2425): %s" % (own, b)); ok = False
print("  %d packets out, all from %s:2425" % (out, own) if not bad else "  %d packets out, %d from a wrong source" % (out, len(bad)))
for c in ("BR_ENTRY", "BR_EXIT") if want else ():
    if c not in seen:
        print("  %s from %s never arrived" % (c, want[0])); ok = False
sys.exit(0 if ok else 1)
PY
}

echo "a (bound to $A):"
check_json "$LAB_DIR/a.json" "$A" "$B" || fail=1
echo "c (bound to 0.0.0.0):"
check_json "$LAB_DIR/c.json" "$C" || fail=1

if [ "$fail" != 0 ]; then
	lab_dump "${logs[@]}" "$LAB_DIR/second.err"
	lab_fail "bind"
fi
echo "PASS: bind"

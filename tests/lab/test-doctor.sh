#!/bin/bash
# Lab: `lanchat-cli doctor`, "why can't I see someone?", on three cases.
#  1. A clean LAN (a bot answering): no problem, the bot answers the unicast entry on 2425,
#     eth0 and its broadcast address got answers; exit 0.
#  2. A host whose firewall (nftables, in its namespace) drops incoming UDP 2425: the
#     "only-ourselves" problem, with the ufw / firewalld / nftables commands for UDP and
#     TCP 2425; exit 1.
#  3. An address where nobody answers: the "address" problem; exit 1.
#  4. Two networks, the bot on one: which interface got answers. 5. The port taken by another
#     program: the "port" problem. 6. No route for 255.255.255.255 (the lab has no default
#     route) and an address on another subnet ("subnet").
set -u
source "$(dirname "$0")/lab.sh"

lab_init
lab_require_cli
lab_require_python

BOT=10.77.0.51
USR=10.77.0.52
FW=10.77.0.53
NOBODY=10.77.0.59
lab_add_host bot "$BOT"
lab_add_host usr "$USR"
lab_add_host fw "$FW"

fail=0

LAB_SPLIT_STDERR=1 lab_spawn bot "$LAB_DIR/bot.out" "$LANCHAT_CLI" --nick lab-bot bot
botpid=$LAB_PID
if ! lab_wait_for 5000 lab_udp_bound bot; then
	lab_dump "$LAB_DIR/bot.out" "$LAB_DIR/bot.out.err"
	lab_fail "the bot did not bind UDP 2425"
fi

lab_exec fw nft -f - <<'EOF' || lab_fail "nft in host fw"
table inet doctor {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 2425 drop
	}
}
EOF

# check FILE CHECK STATUS [TEXT]: FILE (doctor --json) has a finding CHECK with STATUS
# (and TEXT in its detail or advice).
check() {
	python3 - "$@" <<'EOF'
import json, sys
path, check, status = sys.argv[1:4]
text = sys.argv[4] if len(sys.argv) > 4 else ""
try:
    findings = json.load(open(path, encoding="utf-8"))
except ValueError as e:
    print("  %s: not one JSON array (%s)" % (path, e)); sys.exit(1)
for f in findings:
    if set(f) != {"check", "status", "detail", "advice"}:
        print("  %s: keys %s" % (path, sorted(f))); sys.exit(1)
    if f["status"] not in ("ok", "warning", "problem"):
        print("  %s: status %r" % (path, f["status"])); sys.exit(1)
    if f["status"] == "problem" and not f["advice"]:
        print("  %s: problem %s says nothing to do" % (path, f["check"])); sys.exit(1)
ok = any(f["check"] == check and f["status"] == status and
         text in f["detail"] + "\n" + (f["advice"] or "") for f in findings)
if not ok:
    print("  %s: no %s finding %s%s" % (path, status, check, " with " + repr(text) if text else ""))
sys.exit(0 if ok else 1)
EOF
}
no_problem() {
	python3 -c 'import json, sys; p = [f["check"] for f in json.load(open(sys.argv[1])) if f["status"] == "problem"]
if p: print("  problems:", p)
sys.exit(1 if p else 0)' "$1"
}
show() {
	sed 's/^/  | /' "$1"
}

# 1. Clean LAN.
lab_cli usr --nick lab-usr doctor --json --wait 3 "$BOT" >"$LAB_DIR/clean.json" 2>"$LAB_DIR/clean.err"
rc=$?
echo "doctor $BOT on a clean LAN: exit $rc"
lab_cli usr --nick lab-usr doctor --wait 2 "$BOT" >"$LAB_DIR/clean.txt" 2>&1
show "$LAB_DIR/clean.txt"
[ "$rc" = 0 ] || { echo "  exit $rc (want 0)"; fail=1; }
no_problem "$LAB_DIR/clean.json" || fail=1
check "$LAB_DIR/clean.json" address ok "$BOT answers an entry on port 2425" || fail=1
check "$LAB_DIR/clean.json" only-ourselves ok || fail=1
check "$LAB_DIR/clean.json" interface ok "broadcast 10.77.0.255" || fail=1
grep -q "^✓ address: $BOT answers" "$LAB_DIR/clean.txt" || { echo "  text: no ✓ address line"; fail=1; }

# 2. A firewall dropping incoming UDP 2425.
lab_cli fw --nick lab-fw doctor --json --wait 2 >"$LAB_DIR/fw.json" 2>"$LAB_DIR/fw.err"
rc=$?
echo "doctor behind a firewall dropping UDP 2425: exit $rc"
lab_cli fw --nick lab-fw doctor --wait 1 >"$LAB_DIR/fw.txt" 2>&1
show "$LAB_DIR/fw.txt"
[ "$rc" = 1 ] || { echo "  exit $rc (want 1)"; fail=1; }
check "$LAB_DIR/fw.json" only-ourselves problem || fail=1
check "$LAB_DIR/fw.json" only-ourselves problem "sudo ufw allow 2425/udp && sudo ufw allow 2425/tcp" || fail=1
check "$LAB_DIR/fw.json" only-ourselves problem "--add-port=2425/udp --add-port=2425/tcp" || fail=1
check "$LAB_DIR/fw.json" only-ourselves problem "udp dport 2425 accept && sudo nft add rule inet filter input tcp dport 2425 accept" || fail=1
grep -q "^✗ only-ourselves: " "$LAB_DIR/fw.txt" || { echo "  text: no ✗ only-ourselves line"; fail=1; }

# 3. An address where nobody answers (the bot is up, so the LAN itself is fine).
lab_cli usr --nick lab-usr doctor --json --wait 2 "$NOBODY" >"$LAB_DIR/nobody.json" 2>"$LAB_DIR/nobody.err"
rc=$?
echo "doctor $NOBODY (nobody there): exit $rc"
show "$LAB_DIR/nobody.json"
[ "$rc" = 1 ] || { echo "  exit $rc (want 1)"; fail=1; }
check "$LAB_DIR/nobody.json" address problem "$NOBODY did not answer the entry sent to port 2425" || fail=1
check "$LAB_DIR/nobody.json" only-ourselves ok || fail=1

# 4. Two networks, answers on one: host usr gains eth1 (10.88.0.1/24) to a host where
#    nothing runs; the doctor says which interface got answers and which did not.
lab_add_host quiet 10.77.0.54
ip -n "$(_lab_ns usr)" link add eth1 type veth peer name eth1 netns "$(_lab_ns quiet)" || lab_fail "eth1"
ip -n "$(_lab_ns usr)" addr add 10.88.0.1/24 broadcast 10.88.0.255 dev eth1
ip -n "$(_lab_ns quiet)" addr add 10.88.0.2/24 broadcast 10.88.0.255 dev eth1
ip -n "$(_lab_ns usr)" link set eth1 up
ip -n "$(_lab_ns quiet)" link set eth1 up
lab_cli usr --nick lab-usr doctor --json --wait 2 >"$LAB_DIR/nics.json" 2>"$LAB_DIR/nics.err"
rc=$?
echo "doctor with two networks, the bot on one: exit $rc"
show "$LAB_DIR/nics.json"
[ "$rc" = 0 ] || { echo "  exit $rc (want 0)"; fail=1; }
check "$LAB_DIR/nics.json" interface ok "eth0 (10.77.0.52/24), broadcast 10.77.0.255: answers from 1 host" || fail=1
check "$LAB_DIR/nics.json" interface warning "eth1 (10.88.0.1/24), broadcast 10.88.0.255: answers from 0 hosts" || fail=1

# 5. Port 2425 taken (by the bot itself, on its host): the start error, and how to find the holder.
lab_cli bot --nick lab-bot2 doctor --json --wait 1 >"$LAB_DIR/port.json" 2>"$LAB_DIR/port.err"
rc=$?
echo "doctor where port 2425 is taken: exit $rc"
[ "$rc" = 1 ] || { echo "  exit $rc (want 1)"; fail=1; }
check "$LAB_DIR/port.json" port problem "sudo ss -ulpn 'sport = :2425'" || fail=1

# 6. No default route here: 255.255.255.255 has none (a warning, with the route to add); and
#    a host on another subnet is reached only through extra targets.
check "$LAB_DIR/clean.json" broadcast-route warning "sudo ip route add 255.255.255.255/32 dev eth0" || fail=1
lab_cli usr --nick lab-usr doctor --json --wait 1 10.78.0.5 >"$LAB_DIR/subnet.json" 2>"$LAB_DIR/subnet.err"
rc=$?
echo "doctor 10.78.0.5 (another subnet): exit $rc"
[ "$rc" = 1 ] || { echo "  exit $rc (want 1)"; fail=1; }
check "$LAB_DIR/subnet.json" subnet problem "lanchat-cli --target 10.78.0.5" || fail=1

kill -0 "$botpid" 2>/dev/null || { echo "  the bot is no longer running"; fail=1; }
if [ "$fail" != 0 ]; then
	lab_dump "$LAB_DIR/clean.err" "$LAB_DIR/fw.err" "$LAB_DIR/nobody.err" "$LAB_DIR/port.err" \
		"$LAB_DIR/subnet.err" "$LAB_DIR/nics.err" "$LAB_DIR/bot.out.err"
	lab_fail "doctor"
fi
echo "PASS: doctor"

#!/bin/bash
# Lab: the CLI end to end. `lanchat-cli bot` on one host; from another host `peers` (and
# `peers --json`) lists the bot, `send --wait-reply` (by nickname and by address) is
# delivered and the bot's templated answer comes back. A second bot with --drop 0.3 must
# still get all of 20 messages through the sender's retries.
set -u
source "$(dirname "$0")/lab.sh"

lab_init
lab_require_cli

BOT=10.77.0.41
USR=10.77.0.42
LOSSY=10.77.0.43
lab_add_host bot "$BOT"
lab_add_host usr "$USR"
lab_add_host lossy "$LOSSY"

fail=0

LAB_SPLIT_STDERR=1 lab_spawn bot "$LAB_DIR/bot.out" "$LANCHAT_CLI" --nick lab-bot --group lab \
	bot --template 'echo [{text}] {length} bytes for {nickname}'
botpid=$LAB_PID
LAB_SPLIT_STDERR=1 lab_spawn lossy "$LAB_DIR/lossy.out" "$LANCHAT_CLI" --nick lab-lossy \
	--group lab bot --drop 0.3
lossypid=$LAB_PID
if ! { lab_wait_for 5000 lab_udp_bound bot && lab_wait_for 5000 lab_udp_bound lossy; }; then
	lab_dump "$LAB_DIR/bot.out" "$LAB_DIR/bot.out.err" "$LAB_DIR/lossy.out" "$LAB_DIR/lossy.out.err"
	lab_fail "a bot did not bind UDP 2425"
fi

# 1. peers lists the bot. (Not necessarily lab-lossy: --drop loses any packet that arrives,
#    BR_ENTRY included, and nobody resends a BR_ENTRY.)
t0=$(lab_now_ms)
lab_cli usr --nick lab-usr --group lab peers --wait 3 \
	>"$LAB_DIR/peers.out" 2>"$LAB_DIR/peers.err"
rc=$?
echo "peers: exit $rc after $(($(lab_now_ms) - t0)) ms"
sed 's/^/  | /' "$LAB_DIR/peers.out"
[ "$rc" = 0 ] || { echo "  peers exited $rc (want 0)"; fail=1; }
if ! awk -F'\t' -v a="$BOT:2425" '$1 == "lab-bot" && $3 == a && $2 ~ /@bot$/ && $4 == "lab" { f = 1 }
	END { exit !f }' "$LAB_DIR/peers.out"; then
	echo "  lab-bot ($BOT:2425, user@bot, group lab) not listed"
	fail=1
fi

# 1b. the same with --json: one object per line with the documented keys.
if command -v python3 >/dev/null 2>&1; then
	lab_cli usr --nick lab-usr --group lab peers --json --wait 3 \
		>"$LAB_DIR/peers-json.out" 2>"$LAB_DIR/peers-json.err"
	rc=$?
	[ "$rc" = 0 ] || { echo "  peers --json exited $rc (want 0)"; fail=1; }
	if ! python3 - "$LAB_DIR/peers-json.out" "$BOT" <<'EOF'; then
import json, sys
keys = {"nickname", "user", "host", "address", "port", "group", "away"}
ok = False
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.strip():
        continue
    try:
        o = json.loads(line)
    except ValueError as e:
        print("  peers --json: not JSON (%s): %r" % (e, line)); sys.exit(1)
    if not keys <= set(o):
        print("  peers --json: missing keys %s in %r" % (sorted(keys - set(o)), line)); sys.exit(1)
    if (o["nickname"] == "lab-bot" and o["address"] == sys.argv[2] and o["port"] == 2425
            and o["host"] == "bot" and o["group"] == "lab" and o["away"] is False):
        ok = True
if not ok:
    print("  peers --json: no {nickname: lab-bot, address: %s, port: 2425, host: bot, group: lab, away: false}" % sys.argv[2])
sys.exit(0 if ok else 1)
EOF
		sed 's/^/  | /' "$LAB_DIR/peers-json.out"
		fail=1
	fi
fi

# 2. send by nickname, wait for the answer. "ping from usr" is 13 bytes.
check_reply() { # FILE EXPECTED-REPLY
	if ! grep -qxF "reply: $2" "$1"; then
		echo "  want line 'reply: $2'"
		fail=1
	fi
	if ! grep -q '^delivered 1/1 ' "$1"; then
		echo "  want a 'delivered 1/1 ...' summary"
		fail=1
	fi
}
t0=$(lab_now_ms)
lab_cli usr --nick lab-usr send --wait 5 --wait-reply lab-bot "ping from usr" \
	>"$LAB_DIR/send1.out" 2>"$LAB_DIR/send1.err"
rc=$?
echo "send lab-bot (nickname) --wait-reply: exit $rc after $(($(lab_now_ms) - t0)) ms"
sed 's/^/  | /' "$LAB_DIR/send1.out"
[ "$rc" = 0 ] || { echo "  send exited $rc (want 0)"; fail=1; }
check_reply "$LAB_DIR/send1.out" "echo [ping from usr] 13 bytes for lab-usr"

# 3. send by address, non-ASCII text: {length} counts bytes (UTF-8: "héllo ✓" is 10).
t0=$(lab_now_ms)
lab_cli usr --nick lab-usr send --wait 5 --wait-reply "$BOT" "héllo ✓" \
	>"$LAB_DIR/send2.out" 2>"$LAB_DIR/send2.err"
rc=$?
echo "send $BOT (address) --wait-reply: exit $rc after $(($(lab_now_ms) - t0)) ms"
sed 's/^/  | /' "$LAB_DIR/send2.out"
[ "$rc" = 0 ] || { echo "  send exited $rc (want 0)"; fail=1; }
check_reply "$LAB_DIR/send2.out" "echo [héllo ✓] 10 bytes for lab-usr"

# 4. the lossy bot: 20 messages at once, all delivered through resends.
t0=$(lab_now_ms)
lab_cli usr --nick lab-usr --retry-budget 30000 send --count 20 "$LOSSY" "drop check" \
	>"$LAB_DIR/send3.out" 2>"$LAB_DIR/send3.err"
rc=$?
echo "send --count 20 to bot --drop 0.3: exit $rc after $(($(lab_now_ms) - t0)) ms: $(head -n1 "$LAB_DIR/send3.out")"
[ "$rc" = 0 ] || { echo "  send exited $rc (want 0)"; fail=1; }
grep -q '^delivered 20/20 ' "$LAB_DIR/send3.out" || { echo "  want 'delivered 20/20'"; fail=1; }
if ! awk '/^delivered /{ exit !($5 > 0) }' "$LAB_DIR/send3.out"; then
	echo "  no resends although the bot drops 30%: is --drop working?"
	fail=1
fi

for p in "$botpid" "$lossypid"; do
	kill -0 "$p" 2>/dev/null || { echo "  a bot (pid $p) is no longer running"; fail=1; }
done
if [ "$fail" != 0 ]; then
	lab_dump "$LAB_DIR/peers.err" "$LAB_DIR/send1.err" "$LAB_DIR/send2.err" "$LAB_DIR/send3.err" \
		"$LAB_DIR/bot.out" "$LAB_DIR/bot.out.err" "$LAB_DIR/lossy.out.err"
	lab_fail "cli"
fi
echo "PASS: cli"

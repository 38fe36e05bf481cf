#!/bin/bash
# Lab: reliable delivery under loss. Two hosts, each dropping 30% of the UDP port-2425
# packets it receives (nftables numgen): 30% loss in each direction, so a message and its
# ack both get through with probability 0.7^2 = 0.49. The sender sends 100 checked
# messages at once with the default retry budget (30 s); it must report 100/100 delivered
# and the receiver must show every one exactly once. Prints the sender's resend
# statistics and the packets dropped.
set -u
source "$(dirname "$0")/lab.sh"

COUNT=100
LOSS=30
TEXT="loss check"
# The sender gives each message this long (ms) before calling it failed: the default.
# With p = 0.49 a try and resends 0.5, 1, then every 2 s, a message gets ~16 tries in
# 30 s; all 100 arrive in all but about 1 run in 500.
BUDGET_MS=${LAB_LOSS_BUDGET_MS:-30000}

lab_init
lab_require_cli
lab_require_python

SND=10.77.0.21
RCV=10.77.0.22
lab_add_host snd "$SND"
lab_add_host rcv "$RCV"
lab_loss snd "$LOSS"
lab_loss rcv "$LOSS"

LAB_SPLIT_STDERR=1 lab_spawn rcv "$LAB_DIR/listen.jsonl" \
	"$LANCHAT_CLI" --nick lab-rcv listen --messages
listener=$LAB_PID
lab_wait_for 5000 lab_udp_bound rcv || {
	lab_dump "$LAB_DIR/listen.jsonl" "$LAB_DIR/listen.jsonl.err"
	lab_fail "listener on rcv did not bind UDP 2425"
}

t0=$(lab_now_ms)
lab_cli snd --nick lab-snd --retry-budget "$BUDGET_MS" \
	send --count "$COUNT" "$RCV" "$TEXT" >"$LAB_DIR/send.out" 2>"$LAB_DIR/send.err"
rc=$?
elapsed=$(($(lab_now_ms) - t0))

# Everything acknowledged has been shown already; stop the listener and read its output.
lab_stop "$listener"

fail=0
summary=$(grep -m1 '^delivered ' "$LAB_DIR/send.out")
printf 'send: exit %s after %s ms: %s\n' "$rc" "$elapsed" "${summary:-<no summary line>}"
if [ "$rc" != 0 ]; then
	echo "  lanchat-cli send exited $rc (want 0)"
	fail=1
fi
# delivered N/M resends total T avg A max X
read -r delivered total_resends avg_resends max_resends < <(
	awk '/^delivered /{ print $2, $5, $7, $9; exit }' "$LAB_DIR/send.out")
if [ "${delivered:-}" != "$COUNT/$COUNT" ]; then
	echo "  sender reports delivered ${delivered:-?}, want $COUNT/$COUNT"
	fail=1
fi
printf 'resends: total %s, avg %s, max %s per message (loss %s%% each way on both hosts)\n' \
	"${total_resends:-?}" "${avg_resends:-?}" "${max_resends:-?}" "$LOSS"
echo "dropped by nftables: snd $(lab_loss_stats snd); rcv $(lab_loss_stats rcv)"

# Each "TEXT i" exactly once at the receiver, nothing else.
if ! python3 - "$LAB_DIR/listen.jsonl" "$TEXT" "$COUNT" "$SND" <<'EOF'; then
import collections, json, sys
path, text, count, snd = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
seen = collections.Counter()
bad = []
with open(path, encoding="utf-8", errors="replace") as f:
    for n, line in enumerate(f, 1):
        line = line.strip()
        if not line:
            continue
        try:
            m = json.loads(line)
        except ValueError as e:
            bad.append("line %d not JSON (%s): %r" % (n, e, line[:200]))
            continue
        if not str(m.get("from", "")).startswith(snd + ":"):
            bad.append("line %d from %r, want %s" % (n, m.get("from"), snd))
        seen[m.get("text")] += 1
want = ["%s %d" % (text, i) for i in range(1, count + 1)]
missing = [t for t in want if seen[t] == 0]
dups = {t: c for t, c in seen.items() if c > 1}
extra = [t for t in seen if t not in want]
print("receiver: %d shown, %d distinct, %d missing, %d duplicated, %d unexpected"
      % (sum(seen.values()), len(seen), len(missing), len(dups), len(extra)))
for what, items in (("missing", missing), ("duplicated", list(dups.items())),
                    ("unexpected", extra), ("bad", bad)):
    for i in items[:10]:
        print("  %s: %r" % (what, i))
sys.exit(1 if (missing or dups or extra or bad) else 0)
EOF
	fail=1
fi

if [ "$fail" != 0 ]; then
	lab_dump "$LAB_DIR/send.out" "$LAB_DIR/send.err" "$LAB_DIR/listen.jsonl.err"
	lab_fail "loss"
fi
echo "PASS: loss"

#!/bin/bash
# Lab: queued messages go only to the person they were meant for (issue 15 item 1).
# usr (lanchat-cli --history) queues "my PIN is 4711" for alice@pc at 10.77.0.61 (alice's
# bot drops everything it hears, so the message is never acknowledged). Then, with alice
# still running but silent, a third host eve (10.77.0.63) announces itself as alice@pc:
# eve receives nothing, and usr says the message stays queued (no --follow-moves). Last,
# the real alice comes back at her address: she gets it, once, and eve still nothing.
set -u
source "$(dirname "$0")/lab.sh"

lab_init
lab_require_cli

ALICE=10.77.0.61
USR=10.77.0.62
EVE=10.77.0.63
lab_add_host alice "$ALICE"
lab_add_host usr "$USR"
lab_add_host eve "$EVE"
DB="$LAB_DIR/usr.db"
SECRET="my PIN is 4711"

fail=0

# 1. Queue it: usr is listening for alice when she starts; what it sends her is dropped.
LAB_SPLIT_STDERR=1 lab_spawn usr "$LAB_DIR/send.out" "$LANCHAT_CLI" --nick lab-usr --history "$DB" \
	--retry-budget 1500 send --wait 10 alice "$SECRET"
sendpid=$LAB_PID
lab_wait_for 5000 lab_udp_bound usr || lab_fail "usr did not bind UDP 2425"
LAB_SPLIT_STDERR=1 lab_spawn alice "$LAB_DIR/alice-bot.out" "$LANCHAT_CLI" --user alice --host pc \
	--nick alice bot --drop 1
alicepid=$LAB_PID
wait "$sendpid"
rc=$?
echo "send to alice (who drops everything): exit $rc"
sed 's/^/  | /' "$LAB_DIR/send.out" "$LAB_DIR/send.out.err"
grep -q '^delivered 0/1 ' "$LAB_DIR/send.out" || { echo "  want 'delivered 0/1' (queued)"; fail=1; }
grep -q 'goes out again' "$LAB_DIR/send.out" "$LAB_DIR/send.out.err" || { echo "  want the message queued for later"; fail=1; }

# 2. usr runs again with its history; eve claims alice@pc from another address.
LAB_SPLIT_STDERR=1 lab_spawn usr "$LAB_DIR/usr.out" "$LANCHAT_CLI" --nick lab-usr --history "$DB" listen
usrpid=$LAB_PID
lab_wait_for 5000 lab_udp_bound usr || lab_fail "usr did not bind UDP 2425 again"
LAB_SPLIT_STDERR=1 lab_spawn eve "$LAB_DIR/eve.out" "$LANCHAT_CLI" --user alice --host pc --nick alice \
	listen --messages
evepid=$LAB_PID
lab_wait_for 5000 lab_udp_bound eve || lab_fail "eve did not bind UDP 2425"
# The old address has 6 s to answer (LAN_IDENTITY_PROBE_MS); alice's bot drops the question.
lab_wait_for 10000 grep -q 'stays queued' "$LAB_DIR/usr.out.err"
echo "eve claims alice@pc from $EVE; usr says:"
sed 's/^/  | /' "$LAB_DIR/usr.out.err"
grep -q "is now at $EVE:2425 (was $ALICE:2425" "$LAB_DIR/usr.out.err" ||
	{ echo "  want usr to say the waiting message stays queued"; fail=1; }
if grep -qF "$SECRET" "$LAB_DIR/eve.out"; then
	echo "  eve (the impostor) received the queued message:"
	sed 's/^/  | /' "$LAB_DIR/eve.out"
	fail=1
fi
# 3. The real alice is back where she was confirmed: it goes to her, once.
lab_stop "$alicepid"
LAB_SPLIT_STDERR=1 lab_spawn alice "$LAB_DIR/alice.out" "$LANCHAT_CLI" --user alice --host pc --nick alice \
	listen --messages
alicepid=$LAB_PID
lab_wait_for 10000 grep -qF "$SECRET" "$LAB_DIR/alice.out"
echo "the real alice back at $ALICE:"
sed 's/^/  | /' "$LAB_DIR/alice.out"
n=$(grep -cF "$SECRET" "$LAB_DIR/alice.out")
[ "$n" = 1 ] || { echo "  want the message shown once to the real alice, got $n"; fail=1; }
grep -qF "$SECRET" "$LAB_DIR/eve.out" && { echo "  eve received it after all"; fail=1; }

lab_stop "$usrpid" "$evepid" "$alicepid"
if [ "$fail" != 0 ]; then
	lab_dump "$LAB_DIR/usr.out.err" "$LAB_DIR/eve.out" "$LAB_DIR/eve.out.err" "$LAB_DIR/alice.out.err"
	lab_fail "the impostor case failed"
fi
echo "PASS: impostor (it got nothing; the real alice got it once)"

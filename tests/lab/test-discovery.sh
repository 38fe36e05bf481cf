#!/bin/bash
# Lab: discovery by broadcast alone (no --target anywhere), three hosts a, b, c.
#
# 1. All at once: the three start `lanchat-cli peers --wait 2` together and stay online for
#    the whole 2 s; each must print the other two (not itself) within 2 s of its start.
#    Each output line is time-stamped inside its host as it is printed, so the discovery time
#    of a host is the time of its second line. (A `peers` that printed only at its exit would
#    show ~2000 ms here, and would lose whoever exited - BR_EXIT - just before it.)
# 2. Newcomer: for each host in turn, the other two are online (`lanchat-cli listen`) and it
#    runs `peers --expect 2 --wait 2`: it must know both within 2 s. Its time is the exit time.
#
# Prints every time measured (ms) and the slowest of each part.
set -u
source "$(dirname "$0")/lab.sh"

LIMIT_MS=2000

lab_init
lab_require_cli

declare -A IP=([a]=10.77.0.11 [b]=10.77.0.12 [c]=10.77.0.13)
HOSTS=(a b c)
for h in "${HOSTS[@]}"; do
	lab_add_host "$h" "${IP[$h]}"
done

fail=0
logs=()

# check_lists HOST FILE COLUMN-OFFSET: FILE lists the two others exactly as expected
# (nickname<TAB>user@host<TAB>ip:port<TAB>group, after COLUMN-OFFSET leading columns) and
# not HOST itself.
check_lists() {
	local h=$1 file=$2 off=$3 o
	for o in "${HOSTS[@]}"; do
		[ "$o" = "$h" ] && continue
		if ! awk -F'\t' -v k="$off" -v n="lab-$o" -v a="${IP[$o]}:2425" -v hn="$o" '
			$(k + 1) == n && $(k + 3) == a && $(k + 2) ~ ("@" hn "$") && $(k + 4) == "lab" { f = 1 }
			END { exit !f }' "$file"; then
			echo "  $h does not list lab-$o (user@$o, ${IP[$o]}:2425, group lab)"
			fail=1
		fi
	done
	if awk -F'\t' -v k="$off" -v a="${IP[$h]}:2425" '$(k + 3) == a { f = 1 } END { exit !f }' "$file"; then
		echo "  $h lists itself"
		fail=1
	fi
}

echo "part 1: a, b and c start 'peers --wait 2' at once"
ok1=1
declare -A PID
for h in "${HOSTS[@]}"; do
	lab_spawn_stamped "$h" "$LAB_DIR/all-$h.out" "$LAB_DIR/all-$h.time" \
		"$LANCHAT_CLI" --nick "lab-$h" --group lab peers --wait 2
	PID[$h]=$LAB_PID
	logs+=("$LAB_DIR/all-$h.out.err")
done
for h in "${HOSTS[@]}"; do
	wait "${PID[$h]}"
done
max1=0
for h in "${HOSTS[@]}"; do
	read -r rc ms <"$LAB_DIR/all-$h.time" || { rc='?'; ms='?'; }
	# the time of the line that completed the list of the two others
	found=$(awk -F'\t' -v self="${IP[$h]}:2425" '$4 != self && $4 != "" { n++; if (n == 2) { print $1; exit } }' \
		"$LAB_DIR/all-$h.out")
	printf '  %s: both others listed after %s ms (exit %s after %s ms)\n' "$h" "${found:-never}" "$rc" "$ms"
	sed 's/^/    | /' "$LAB_DIR/all-$h.out"
	[ "$rc" = 0 ] || { echo "  peers on $h exited $rc (want 0)"; fail=1; }
	check_lists "$h" "$LAB_DIR/all-$h.out" 1
	if [ -z "$found" ] || [ "$found" -gt "$LIMIT_MS" ]; then
		echo "  $h: the other two not both listed within $LIMIT_MS ms"
		fail=1
		ok1=0
	elif [ "$found" -gt "$max1" ]; then
		max1=$found
	fi
done

echo "part 2: a newcomer finds the two already online"
ok2=1
max2=0
for h in "${HOSTS[@]}"; do
	stayers=()
	for o in "${HOSTS[@]}"; do
		[ "$o" = "$h" ] && continue
		LAB_SPLIT_STDERR=1 lab_spawn "$o" "$LAB_DIR/online-$o-for-$h.log" \
			"$LANCHAT_CLI" --nick "lab-$o" --group lab listen
		stayers+=("$LAB_PID")
		logs+=("$LAB_DIR/online-$o-for-$h.log.err")
	done
	for o in "${HOSTS[@]}"; do
		[ "$o" = "$h" ] && continue
		lab_wait_for 5000 lab_udp_bound "$o" || { echo "  listen on $o did not bind"; fail=1; }
	done
	lab_spawn_timed "$h" "$LAB_DIR/new-$h.out" "$LAB_DIR/new-$h.time" \
		"$LANCHAT_CLI" --nick "lab-$h" --group lab peers --expect 2 --wait 2
	wait "$LAB_PID"
	logs+=("$LAB_DIR/new-$h.out.err")
	read -r rc ms <"$LAB_DIR/new-$h.time" || { rc='?'; ms='?'; }
	printf '  %s: exit %s after %s ms\n' "$h" "$rc" "$ms"
	sed 's/^/    | /' "$LAB_DIR/new-$h.out"
	if [ "$rc" != 0 ]; then
		echo "  peers --expect 2 on $h exited $rc (want 0)"
		fail=1
		ok2=0
	elif [ "$ms" -gt "$max2" ]; then
		max2=$ms
	fi
	[ "$ms" = '?' ] || [ "$ms" -le "$LIMIT_MS" ] || { echo "  $h took over $LIMIT_MS ms"; fail=1; ok2=0; }
	check_lists "$h" "$LAB_DIR/new-$h.out" 0
	lab_stop "${stayers[@]}"
done

if [ "$ok1" = 1 ]; then max1="$max1 ms"; else max1="over the limit on some host"; fi
if [ "$ok2" = 1 ]; then max2="$max2 ms"; else max2="over the limit on some host"; fi
printf 'discovery time (slowest host), all at once: %s; newcomer: %s (limit %s ms)\n' \
	"$max1" "$max2" "$LIMIT_MS"
if [ "$fail" != 0 ]; then
	lab_dump "${logs[@]}"
	lab_fail "discovery"
fi
echo "PASS: discovery"

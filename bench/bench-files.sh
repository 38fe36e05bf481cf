#!/bin/bash
# bench/bench-files.sh — a big file between two lanchat-clis in the lab, against a bare
# TCP copy of the same file between the same two namespaces in the same run.
#
#   sudo bench/bench-files.sh [LANCHAT_CLI]     (default: build/src/cli/lanchat-cli)
#   BENCH_FILES_MIB=2048   file size (default 2 GiB; 64 to try it out)
#   BENCH_FILES_ROUNDS=5   rounds (each: a bare copy and a Lanchat one, in turn first)
#   BENCH_FILES_WARMUP=1   one untimed pair of copies first (0: none)
#
# Two hosts of the namespace lab (tests/lab/lab.sh: veth pairs on a bridge with no uplink,
# 10.77.0.0/24; nothing leaves them): `send --file` on a, `receive --dir` on b. The bare
# copy is python3's socket.sendfile() on a into a recv_into() loop writing a file on b.
# Both times are those of the transfer itself (connect to the last byte written: the
# receiver's "seconds" for Lanchat, measured the same way for the copy); the ratio is
# Lanchat's throughput over the copy's in each round (target >= 0.8), summed up as the
# rounds' median. RSS: VmRSS of both lanchat-clis sampled every 50 ms; growth = the
# highest sample minus the one before the offer (target < 20 MB). The received file's
# sha256 must equal the source's. Also shown: when send exited and when receive printed
# its line (it reads the file back for the sha256 after the last byte: that time is not
# the transfer's). Needs root; not part of
# the test suite; exits 0 whatever the figures, 1 only when a run breaks.
set -u
src=$(cd "$(dirname "$0")/.." && pwd)
source "$src/tests/lab/lab.sh"
LANCHAT_CLI=${1:-${LANCHAT_CLI:-$src/build/src/cli/lanchat-cli}}

lab_init
lab_require_cli
lab_require_python
LANCHAT_CLI=$(realpath "$LANCHAT_CLI")
mib=${BENCH_FILES_MIB:-2048}
rounds=${BENCH_FILES_ROUNDS:-5}
A=10.77.0.81
B=10.77.0.82
lab_add_host a "$A"
lab_add_host b "$B"

need_kib=$((mib * 1024 * 3))
free_kib=$(df -Pk "$LAB_DIR" | awk 'NR == 2 { print $4 }')
[ "$free_kib" -gt "$need_kib" ] || lab_fail "$LAB_DIR: $((free_kib / 1024)) MiB free, $((need_kib / 1024)) needed"

lab_log "making a $mib MiB file"
head -c $((mib * 1048576)) /dev/urandom >"$LAB_DIR/big.bin" || lab_fail "cannot write $LAB_DIR/big.bin"
want=$(sha256sum <"$LAB_DIR/big.bin" | cut -d' ' -f1)

# rss_sampler PID OUT: "VmRSS-kB" lines every 50 ms while PID lives; bash builtins only
# (no process per sample to take CPU from the transfer being measured).
rss_sampler() {
	local fd k v rest
	exec {fd}<> <(:)
	while [ -r "/proc/$1/status" ]; do
		while read -r k v rest; do
			[ "$k" = VmRSS: ] && { printf '%s\n' "$v"; break; }
		done <"/proc/$1/status" 2>/dev/null
		read -rt 0.05 -u "$fd" rest || true
	done >"$2"
}

# rss_growth FILE BASE-LINES: max of FILE minus its sample number BASE-LINES (kB).
rss_growth() {
	awk -v base="$2" 'NR == base { b = $1 } $1 > m { m = $1 } END { if (b == "") b = m; print m - b }' "$1"
}

cat >"$LAB_DIR/bare-recv.py" <<'EOF'
import socket, sys, time
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("10.77.0.82", 5001))
srv.listen(1)
conn, _ = srv.accept()
start = time.monotonic()
buf = bytearray(256 * 1024)
view = memoryview(buf)
with open(sys.argv[1], "wb", buffering=0) as out:
    while True:
        n = conn.recv_into(buf)
        if n == 0:
            break
        out.write(view[:n])
print("%.6f" % (time.monotonic() - start))
EOF
cat >"$LAB_DIR/bare-send.py" <<'EOF'
import socket, sys
s = socket.create_connection(("10.77.0.82", 5001))
with open(sys.argv[1], "rb") as f:
    s.sendfile(f)
s.close()
EOF

bare_listening() {
	lab_exec b ss -Hltn "sport = :5001" | grep -q .
}

bare_copy() { # prints the receiver's seconds
	lab_spawn b "$LAB_DIR/bare-recv.out" python3 "$LAB_DIR/bare-recv.py" "$LAB_DIR/bare.bin"
	local pid=$LAB_PID
	lab_wait_for 5000 bare_listening || lab_fail "bare copy: the receiver did not listen"
	lab_exec a python3 "$LAB_DIR/bare-send.py" "$LAB_DIR/big.bin" || lab_fail "bare copy: the sender failed"
	wait "$pid" || lab_fail "bare copy: the receiver failed: $(cat "$LAB_DIR/bare-recv.out")"
	cat "$LAB_DIR/bare-recv.out"
	rm -f "$LAB_DIR/bare.bin"
}

lanchat_copy() { # ROUND: prints "seconds send-rss-kB receive-rss-kB send-wall-ms receive-line-ms"
	local round=$1 dest=$LAB_DIR/recv-$1
	LAB_SPLIT_STDERR=1 lab_spawn b "$LAB_DIR/recv-$round.out" "$LANCHAT_CLI" --nick bench-b receive \
		--dir "$dest" --wait 600
	local recvpid=$LAB_PID
	lab_wait_for 5000 lab_udp_bound b || lab_fail "receive did not bind UDP 2425"
	rss_sampler "$recvpid" "$LAB_DIR/rss-recv-$round" &
	local recvsampler=$!
	sleep 0.2
	local recvbase
	recvbase=$(wc -l <"$LAB_DIR/rss-recv-$round")
	local t0
	t0=$(lab_now_ms)
	LAB_SPLIT_STDERR=1 lab_spawn_timed a "$LAB_DIR/send-$round.out" "$LAB_DIR/send-$round.time" \
		"$LANCHAT_CLI" --nick bench-a send --timeout 60 "$B" --file "$LAB_DIR/big.bin"
	local sendpid=$LAB_PID
	# The timing shell's child is the CLI; its baseline is the sample when the offer went out.
	local clipid="" sendsampler="" sendbase=1
	lab_wait_for 5000 pgrep -P "$sendpid" >/dev/null && clipid=$(pgrep -P "$sendpid" | head -n1)
	: >"$LAB_DIR/rss-send-$round"
	if [ -n "$clipid" ]; then
		rss_sampler "$clipid" "$LAB_DIR/rss-send-$round" &
		sendsampler=$!
		lab_wait_for 10000 grep -q '^offered:' "$LAB_DIR/send-$round.out" &&
			sendbase=$(wc -l <"$LAB_DIR/rss-send-$round")
		[ "$sendbase" -ge 1 ] || sendbase=1
	fi
	lab_wait_for $((600 * 1000)) test -s "$LAB_DIR/send-$round.time" || lab_fail "send did not end in 600 s"
	local wall=$(($(lab_now_ms) - t0))
	read -r rc _ <"$LAB_DIR/send-$round.time"
	[ "$rc" = 0 ] || { lab_dump "$LAB_DIR/send-$round.out.err"; lab_fail "send exited $rc"; }
	lab_wait_for $((300 * 1000)) grep -q '"event"' "$LAB_DIR/recv-$round.out" || lab_fail "receive printed nothing"
	local line=$(($(lab_now_ms) - t0))
	lab_stop "$recvpid"
	wait "$recvsampler" $sendsampler 2>/dev/null
	python3 - "$LAB_DIR/recv-$round.out" "$want" <<'EOF' || lab_fail "Lanchat's copy differs or failed"
import json, sys
o = json.loads(open(sys.argv[1]).readline())
if o.get("event") != "saved" or o.get("sha256") != sys.argv[2]:
    print("bench: %s" % o, file=sys.stderr); sys.exit(1)
EOF
	local seconds
	seconds=$(python3 -c 'import json,sys; print("%.6f" % json.loads(open(sys.argv[1]).readline())["seconds"])' \
		"$LAB_DIR/recv-$round.out")
	echo "$seconds $(rss_growth "$LAB_DIR/rss-send-$round" "$sendbase") $(rss_growth "$LAB_DIR/rss-recv-$round" "$recvbase") $wall $line"
	rm -rf "$dest"
}

printf 'bench-files: %d MiB over veth between two lab namespaces, a -> b\n' "$mib"
# The first copy after the file is made runs at a fraction of the later ones' speed on this
# kind of machine (the bare one took 4-9 s where later rounds took 1.4-2), whichever copy it
# is: one untimed pair first (BENCH_FILES_WARMUP=0 skips it). Then the order alternates
# (odd rounds: bare first), and the summary is the median of each and their ratio.
if [ "${BENCH_FILES_WARMUP:-1}" = 1 ]; then
	bare_copy >/dev/null
	lanchat_copy 0 >/dev/null
fi
printf '%-6s %-22s %9s %9s %7s %14s %14s\n' round copy seconds MiB/s ratio "send RSS +MiB" "recv RSS +MiB"
results=()
for round in $(seq 1 "$rounds"); do
	if [ $((round % 2)) = 1 ]; then
		bare=$(bare_copy)
		read -r lc send_kb recv_kb wall line < <(lanchat_copy "$round")
	else
		read -r lc send_kb recv_kb wall line < <(lanchat_copy "$round")
		bare=$(bare_copy)
	fi
	results+=("$bare $lc")
	awk -v r="$round" -v mib="$mib" -v b="$bare" -v l="$lc" -v s="$send_kb" -v v="$recv_kb" -v w="$wall" -v n="$line" 'BEGIN {
		printf "%-6s %-22s %9.3f %9.1f %7s %14s %14s\n", r, "bare TCP (python3)", b, mib / b, "1.00", "-", "-"
		printf "%-6s %-22s %9.3f %9.1f %7.2f %14.1f %14.1f\n", r, "lanchat send/receive", l, mib / l, b / l, s / 1024, v / 1024
		printf "%-6s %-22s %9.3f   (send: start to exit, ms %d)\n", r, "", w / 1000, w
		printf "%-6s %-22s %9.3f   (receive: start to its saved line, ms %d; the sha256 is read back after the last byte)\n", r, "", n / 1000, n
	}'
done
# The copies' speed varies from round to round with the machine (on a VM, with how warm the
# memory the page cache takes is), and both copies of a round share its conditions: so the
# figure is the median of the rounds' own ratios, shown with their quartiles; the ratio of
# the two medians is printed too.
printf '%s\n' "${results[@]}" | python3 -c '
import statistics, sys
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
bare = statistics.median(b for b, _ in rows)
lc = statistics.median(l for _, l in rows)
ratios = sorted(b / l for b, l in rows)
q = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
mib = float(sys.argv[1])
print("median of %d rounds: bare %.3f s (%.0f MiB/s), lanchat %.3f s (%.0f MiB/s), ratio of medians %.2f"
      % (len(rows), bare, mib / bare, lc, mib / lc, bare / lc))
print("ratio per round: median %.2f, quartiles %.2f-%.2f, range %.2f-%.2f"
      % (statistics.median(ratios), q[0], q[2], ratios[0], ratios[-1]))' "$mib"
echo "targets: ratio >= 0.8, RSS growth < 20 MB; sha256 equal: yes"

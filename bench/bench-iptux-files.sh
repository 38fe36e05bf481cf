#!/bin/bash
# bench/bench-iptux-files.sh — the iptux anchor of the files benchmark (issue 12 item 7):
# the same file from a real iptux (Debian's 0.8.3, under Xvfb in a lab host, driven with
# xdotool) to lanchat-cli and back, timed, beside a bare TCP copy of it between the same
# two lab hosts in the same run.
#
#   sudo LANCHAT_CLI=build/src/cli/lanchat-cli bash bench/bench-iptux-files.sh
#   BENCH_IPTUX_MB=2048   the file's size in MiB (default 2048, as bench-files.sh)
#
# Figures (one line each, and one JSON object at the end):
#   bare      python sendfile() -> recv() into a file, 10.77.0.61 -> 10.77.0.63
#   iptux->lanchat   the transfer's own seconds as `receive` reports them ("seconds"),
#                    and the wall time from iptux's Send to receive's "saved" line
#                    (which includes the sha256 of the file)
#   lanchat->iptux   from iptux's Save to its file having every byte (stat every 20 ms)
# Each copy is checked with cmp. Everything runs in the lab's namespaces (tests/lab/lab.sh):
# nothing leaves 10.77.0.0/24. Not part of the test suite; exits 0 with figures, 77 when
# it cannot run (not root, no iptux), 1 when a copy failed or differs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../tests/lab/lab.sh"
source "$here/../tests/lab/iptux-ui.sh"

MB=${BENCH_IPTUX_MB:-2048}

lab_init
lab_require_cli
lab_require_python

ME=10.77.0.61
TUX=10.77.0.63
lab_add_host me "$ME"
lab_add_host tux "$TUX"

SRC="$LAB_DIR/src"
mkdir -p "$SRC" "$LAB_DIR/inbox" "$LAB_DIR/bare"
# Random bytes, written once: /dev/urandom is slow, so repeat a 16 MiB block of it
# (nothing on the path compresses).
head -c $((16 << 20)) /dev/urandom >"$LAB_DIR/block"
for _ in $(seq $((MB / 16))); do cat "$LAB_DIR/block"; done >"$SRC/anchor.bin"
head -c $(((MB % 16) << 20)) "$LAB_DIR/block" >>"$SRC/anchor.bin"
rm -f "$LAB_DIR/block"
# Every copy writes the file to the same disk: start each with no dirty pages left from
# the one before, or the first copy pays for writing back the source.
sync
SIZE=$(stat -c %s "$SRC/anchor.bin")

secs() { # START_MS END_MS
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1000 }'
}
rate() { # SECONDS
	awk -v s="$1" -v n="$SIZE" 'BEGIN { if (s > 0) printf "%.1f", n / 1048576 / s; else print "inf" }'
}

# 1. Bare TCP copy: the ceiling of this lab on this machine, in this run.
cat >"$LAB_DIR/bare.py" <<'EOF'
import os, socket, sys, time
mode = sys.argv[1]
if mode == "recv":
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", 2426)); s.listen(1)
    open(sys.argv[3], "w").close()
    c, _ = s.accept()
    t0 = time.monotonic()
    # splice(2) socket -> pipe -> file: the kernel moves the bytes, as a C copier would.
    fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    r, w = os.pipe()
    while True:
        n = os.splice(c.fileno(), w, 1 << 20)
        if not n:
            break
        while n:
            n -= os.splice(r, fd, n)
    os.close(fd)
    print("%.3f" % (time.monotonic() - t0))
else:
    c = socket.create_connection((sys.argv[2], 2426))
    with open(sys.argv[3], "rb") as f:
        c.sendfile(f)
    c.close()
EOF
bare_copy() { # prints the seconds
	rm -f "$LAB_DIR/bare.ready"
	lab_spawn me "$LAB_DIR/bare.out" python3 "$LAB_DIR/bare.py" recv "$LAB_DIR/bare/anchor.bin" "$LAB_DIR/bare.ready"
	local pid=$LAB_PID
	lab_wait_for 5000 test -e "$LAB_DIR/bare.ready" || lab_fail "bare receiver did not start"
	lab_exec tux python3 "$LAB_DIR/bare.py" send "$ME" "$SRC/anchor.bin" || lab_fail "bare copy failed"
	wait "$pid"
	cmp -s "$SRC/anchor.bin" "$LAB_DIR/bare/anchor.bin" || lab_fail "bare copy differs"
	rm -f "$LAB_DIR/bare/anchor.bin"
	sync
	cat "$LAB_DIR/bare.out"
}
# Run first and again last (the machine's load moves): the faster one is the ceiling.
bare_s=$(bare_copy)
[[ $bare_s =~ ^[0-9.]+$ ]] || lab_fail "bare copy: $bare_s"
printf 'bare copy:       %d MiB in %s s (%s MiB/s)\n' "$MB" "$bare_s" "$(rate "$bare_s")"

# 2. iptux -> Lanchat.
iptux_start tux labtux "$LAB_DIR/tux-save"
LAB_SPLIT_STDERR=1 lab_spawn me "$LAB_DIR/receive.out" "$LANCHAT_CLI" --nick lab-bench \
	--answer-delay 0 receive --dir "$LAB_DIR/inbox" --wait 600
receive_pid=$LAB_PID
iptux_open_chat "$ME" 15000 || lab_fail "iptux never listed Lanchat"
iptux_attach file "$SRC/anchor.bin" || lab_fail "iptux's chooser did not take the file"
saved_line() {
	grep -q '"event" *: *"saved"' "$LAB_DIR/receive.out" ||
		grep -q '"event" *: *"failed\|"event" *: *"refused' "$LAB_DIR/receive.out"
}
t0=$(lab_now_ms)
iptux_send
lab_wait_for 600000 saved_line || lab_fail "receive printed nothing within 600 s"
t1=$(lab_now_ms)
in_wall=$(secs "$t0" "$t1")
in_s=$(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    try: o = json.loads(l)
    except ValueError: continue
    if o.get("event") == "saved": print("%.3f" % o["seconds"]); break
else: sys.exit(1)' "$LAB_DIR/receive.out") || {
	lab_dump "$LAB_DIR/receive.out" "$LAB_DIR/receive.out.err"
	lab_fail "iptux -> lanchat: not saved"
}
cmp -s "$SRC/anchor.bin" "$LAB_DIR/inbox/anchor.bin" || lab_fail "iptux -> lanchat: the copy differs"
lab_stop "$receive_pid"
# A chat open while its pal announces itself again crashes iptux (see iptux-ui.sh).
iptux_close_chat || lab_fail "iptux's chat did not close"
rm -f "$LAB_DIR/inbox/anchor.bin"
sync
printf 'iptux->lanchat:  %d MiB in %s s (%s MiB/s); %s s from Send to "saved"\n' \
	"$MB" "$in_s" "$(rate "$in_s")" "$in_wall"

# 3. Lanchat -> iptux.
lab_spawn_timed me "$LAB_DIR/send.out" "$LAB_DIR/send.time" "$LANCHAT_CLI" --nick lab-bench \
	--answer-delay 0 send "$TUX" --file "$SRC/anchor.bin" --timeout 600
send_pid=$LAB_PID
got_all() { [ "$(stat -c %s "$LAB_DIR/tux-save/anchor.bin" 2>/dev/null)" = "$SIZE" ]; }
_bench_click_accept() {
	iptux_x xdotool mousemove --window "$IPTUX_CHAT" 885 77 click 1 2>/dev/null
	lab_wait_for 1500 _iptux_find '^Please select a folder to save files\.$'
}
lab_wait_for 15000 grep -q '^offered: ' "$LAB_DIR/send.out" || lab_fail "iptux did not acknowledge the offer"
iptux_open_chat "$ME" 15000 || lab_fail "no chat with Lanchat in iptux"
lab_wait_for 15000 _bench_click_accept || lab_fail "iptux listed no offer"
dialog=$IPTUX_WIN
t0=$(lab_now_ms)
iptux_x xdotool windowfocus --sync "$dialog" key alt+s 2>/dev/null
deadline=$((t0 + 600000))
until got_all; do
	[ "$(lab_now_ms)" -lt "$deadline" ] || lab_fail "lanchat -> iptux: not complete within 600 s"
	sleep 0.02
done
t1=$(lab_now_ms)
out_s=$(secs "$t0" "$t1")
cmp -s "$SRC/anchor.bin" "$LAB_DIR/tux-save/anchor.bin" || lab_fail "lanchat -> iptux: the copy differs"
printf 'lanchat->iptux:  %d MiB in %s s (%s MiB/s), from Save to the last byte\n' \
	"$MB" "$out_s" "$(rate "$out_s")"
lab_stop "$send_pid"

bare2_s=$(bare_copy)
[[ $bare2_s =~ ^[0-9.]+$ ]] || lab_fail "bare copy: $bare2_s"
best=$(awk -v a="$bare_s" -v b="$bare2_s" 'BEGIN { print (a < b ? a : b) }')
ratio() { awk -v a="$best" -v b="$1" 'BEGIN { printf "%.2f", a / b }'; }
printf 'bare copy again: %d MiB in %s s (%s MiB/s)\n' "$MB" "$bare2_s" "$(rate "$bare2_s")"
printf 'as a ratio of the faster bare copy (%s s): iptux->lanchat %s, lanchat->iptux %s\n' \
	"$best" "$(ratio "$in_s")" "$(ratio "$out_s")"
printf '{"bench":"iptux-files","mib":%d,"bare_s":%s,"bare_again_s":%s,"iptux_to_lanchat_s":%s,"iptux_to_lanchat_wall_s":%s,"lanchat_to_iptux_s":%s}\n' \
	"$MB" "$bare_s" "$bare2_s" "$in_s" "$in_wall" "$out_s"

#!/bin/bash
# Lab: files and folders between a real iptux (Debian's 0.8.3, under Xvfb, driven with
# xdotool) and lanchat-cli, both ways, contents compared by sha256.
#   1. iptux -> Lanchat: `receive --dir` runs; iptux attaches a file (Ctrl+S) and a folder
#      (Ctrl+D) in its chat with Lanchat and sends them; receive prints both "saved", and
#      every file on disk (the folder nested, names with ':' and UTF-8) has the source's
#      sha256.
#   2. Lanchat -> iptux: `send TUX --file F --file DIR`; iptux's Accept + Save (xdotool)
#      fetches both into its save folder with the source's sha256; send exits 0 (iptux
#      never sends RELEASEFILES: "done" is "everything was fetched").
# iptux 0.8.3 crashes (SIGSEGV) receiving a folder whose directories don't exist yet
# (upstream #472, AnalogFS::mkdir recursing): the folder's empty skeleton is made in its
# save folder first. TCP and UDP of port 2425 are captured in Lanchat's host (tshark) and
# shown on failure, as are screenshots of iptux's display. Skips (77) without iptux,
# xdotool, gapplication or tshark.
set -u
source "$(dirname "$0")/lab.sh"
source "$(dirname "$0")/iptux-ui.sh"

lab_init
lab_require_cli
lab_require_python
command -v tshark >/dev/null 2>&1 || lab_skip "tshark is not installed"
SHOTS=${LAB_SCREENSHOTS:-$LAB_DIR}

ME=10.77.0.51
TUX=10.77.0.53
ME_NICK=lab-files
lab_add_host me "$ME"
lab_add_host tux "$TUX"

# Sources. iptux's folder holds two subfolders with different first letters (its file
# chooser would complete a single one inline); names with ':' (doubled on the wire) and
# UTF-8; sizes over one TCP segment and over iptux's 8 KiB buffer.
TUX_SRC="$LAB_DIR/tux-src"
ME_SRC="$LAB_DIR/me-src"
make_tree() { # DIR FILE FOLDER
	mkdir -p "$1/$3/alpha/deeper" "$1/$3/beta"
	head -c 300000 /dev/urandom >"$1/$2"
	head -c 70000 /dev/urandom >"$1/$3/alpha/a.bin"
	printf 'deep %s\n' "$3" >"$1/$3/alpha/deeper/c.txt"
	printf 'unicode %s\n' "$3" >"$1/$3/beta/ünï ✓.txt"
	printf 'colon %s\n' "$3" >"$1/$3/time 12:30.txt"
}
make_tree "$TUX_SRC" tux-file.bin tux-folder
make_tree "$ME_SRC" me-file.bin me-folder
INBOX="$LAB_DIR/inbox"
mkdir -p "$INBOX"
TUX_SAVE="$LAB_DIR/tux-save"

# compare SRC DEST: every regular file under SRC is under DEST with the same sha256, and
# DEST holds nothing else (no .part, no "name (1)").
compare_trees() {
	python3 - "$1" "$2" <<'EOF'
import hashlib, os, sys
src, dest = sys.argv[1:]
def tree(top):
    out = {}
    for root, dirs, files in os.walk(top):
        for n in files:
            p = os.path.join(root, n)
            out[os.path.relpath(p, top)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out
a, b = tree(src), tree(dest)
if a != b:
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            print("    %s: source %s, received %s" % (k, (a.get(k) or "-")[:12], (b.get(k) or "-")[:12]))
    sys.exit(1)
EOF
}

# received_json OUT NAME SRC: receive's "saved" line for NAME carries the source's
# sha256 (a file) or the sha256 of every file under it (a folder).
received_json() {
	python3 - "$@" <<'EOF'
import hashlib, json, os, sys
out, name, src = sys.argv[1:]
def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()
lines = []
for l in open(out, encoding="utf-8", errors="replace"):
    try:
        lines.append(json.loads(l))
    except ValueError:
        pass
saved = [o for o in lines if o.get("name") == name and o.get("event") == "saved"]
if not saved:
    print("    no 'saved' line for %s; lines: %s" % (name, [(o.get("event"), o.get("name"), o.get("why")) for o in lines]))
    sys.exit(1)
o = saved[0]
if os.path.isdir(src):
    want = {}
    for root, dirs, files in os.walk(src):
        for n in files:
            p = os.path.join(root, n)
            want[os.path.relpath(p, src)] = sha(p)
    have = {f["path"]: f.get("sha256") for f in o.get("files", [])}
    if not o.get("directory") or have != want:
        print("    %s: JSON lists %s, want %s" % (name, sorted(have), sorted(want)))
        sys.exit(1)
elif o.get("directory") or o.get("sha256") != sha(src):
    print("    %s: JSON sha256 %s, source %s" % (name, o.get("sha256"), sha(src)))
    sys.exit(1)
EOF
}

has_saved() { # OUT NAME
	python3 - "$1" "$2" <<'EOF'
import json, sys
out, name = sys.argv[1:]
for line in open(out, encoding="utf-8", errors="replace"):
    try:
        o = json.loads(line)
    except ValueError:
        continue
    if o.get("event") == "saved" and o.get("name") == name:
        sys.exit(0)
sys.exit(1)
EOF
}

# What crossed port 2425 in Lanchat's host, for the report of a failure: each datagram and
# the start of each TCP stream's data in each direction.
capture_show() {
	tshark -r "$LAB_DIR/files.pcapng" -Y 'udp.payload or tcp.len > 0' -T fields \
		-e frame.time_relative -e ip.src -e ip.dst -e tcp.stream -e udp.payload -e tcp.payload \
		2>/dev/null | python3 -c '
import sys
seen = {}
for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    if len(f) < 6:
        continue
    t, src, dst, stream, udp, tcp = f[:6]
    if udp:
        print("  %7.3f udp %s -> %s %r" % (float(t), src, dst, bytes.fromhex(udp)[:300]))
        continue
    data = bytes.fromhex(tcp)
    key = (stream, src)
    n = seen.get(key, 0)
    seen[key] = n + len(data)
    if n < 400:
        print("  %7.3f tcp#%s %s -> %s @%d %r" % (float(t), stream, src, dst, n, data[:400 - n]))
for (stream, src), n in sorted(seen.items()):
    print("  tcp#%s from %s: %d bytes" % (stream, src, n))
'
}

fail=0
lab_spawn me "$LAB_DIR/tshark.log" tshark -i eth0 -f 'port 2425' -w "$LAB_DIR/files.pcapng"
capture_pid=$LAB_PID
lab_wait_for 5000 grep -q "Capturing on" "$LAB_DIR/tshark.log" || lab_log "tshark did not start"

t0=$(lab_now_ms)
iptux_start tux labtux "$TUX_SAVE"
echo "iptux up after $(($(lab_now_ms) - t0)) ms"

# 1. iptux -> Lanchat.
LAB_SPLIT_STDERR=1 lab_spawn me "$LAB_DIR/receive.out" "$LANCHAT_CLI" --nick "$ME_NICK" \
	--answer-delay 0 receive --dir "$INBOX" --wait 45
receive_pid=$LAB_PID
t0=$(lab_now_ms)
if ! iptux_open_chat "$ME" 15000; then
	echo "  iptux-to-lanchat: iptux never listed Lanchat ($ME): no chat window"
	fail=1
elif ! iptux_attach file "$TUX_SRC/tux-file.bin" || ! iptux_attach folder "$TUX_SRC/tux-folder/"; then
	echo "  iptux-to-lanchat: iptux's file chooser did not take the paths"
	iptux_shot iptux-files-attach
	fail=1
else
	iptux_send
	if lab_wait_for 20000 has_saved "$LAB_DIR/receive.out" tux-file.bin &&
		lab_wait_for 10000 has_saved "$LAB_DIR/receive.out" tux-folder; then
		echo "  iptux-to-lanchat: both saved after $(($(lab_now_ms) - t0)) ms"
	else
		echo "  iptux-to-lanchat: receive did not print both saved within 30 s"
		iptux_shot iptux-files-to-lanchat
		fail=1
	fi
	for name in tux-file.bin tux-folder; do
		received_json "$LAB_DIR/receive.out" "$name" "$TUX_SRC/$name" || fail=1
	done
	# On disk: exactly the sources, nothing left over.
	if compare_trees "$TUX_SRC" "$INBOX"; then
		echo "  iptux-to-lanchat: the inbox holds the sources, sha256 equal"
	else
		echo "  iptux-to-lanchat: the inbox differs from the sources"
		fail=1
	fi
fi
lab_stop "$receive_pid"
iptux_close_chat || echo "  (iptux's chat with Lanchat did not close)"

# 2. Lanchat -> iptux. The skeleton first (see above: iptux would crash otherwise).
(cd "$ME_SRC" && find me-folder -type d -exec mkdir -p "$TUX_SAVE/{}" \;)
t0=$(lab_now_ms)
lab_spawn_timed me "$LAB_DIR/send.out" "$LAB_DIR/send.time" "$LANCHAT_CLI" --nick "$ME_NICK" \
	--answer-delay 0 send "$TUX" --file "$ME_SRC/me-file.bin" --file "$ME_SRC/me-folder" --timeout 30
send_pid=$LAB_PID
# The chat is opened once the offer is acknowledged (see iptux_close_chat); it then lists it.
if ! lab_wait_for 15000 grep -q '^offered: ' "$LAB_DIR/send.out"; then
	echo "  lanchat-to-iptux: send printed no 'offered:' (iptux did not acknowledge the offer)"
	fail=1
elif ! iptux_open_chat "$ME" 15000; then
	echo "  lanchat-to-iptux: no chat window with Lanchat in iptux"
	fail=1
elif ! iptux_accept 15000; then
	echo "  lanchat-to-iptux: iptux listed no offer to accept within 15 s"
	iptux_shot iptux-files-no-offer
	fail=1
else
	got_all() { compare_trees "$ME_SRC" "$TUX_SAVE" >/dev/null; }
	if lab_wait_for 20000 got_all; then
		echo "  lanchat-to-iptux: iptux saved both after $(($(lab_now_ms) - t0)) ms, sha256 equal"
	else
		echo "  lanchat-to-iptux: iptux's save folder differs from the sources:"
		compare_trees "$ME_SRC" "$TUX_SAVE"
		iptux_shot iptux-files-to-iptux
		fail=1
	fi
fi
if lab_wait_for 20000 test -s "$LAB_DIR/send.time"; then
	read -r rc ms <"$LAB_DIR/send.time"
	echo "  lanchat-to-iptux: send exited $rc after $ms ms: $(tail -n1 "$LAB_DIR/send.out")"
	if [ "$rc" != 0 ]; then
		echo "    send must exit 0 once iptux fetched everything (iptux never releases)"
		fail=1
	fi
else
	echo "  lanchat-to-iptux: send still running 20 s after the checks above"
	fail=1
fi
lab_stop "$send_pid"
if ! kill -0 "$IPTUX_PID" 2>/dev/null; then
	echo "  iptux is no longer running (it crashed?)"
	fail=1
fi
lab_stop "$capture_pid"

if [ "$fail" != 0 ]; then
	echo "  what crossed port 2425 in Lanchat's host:"
	capture_show
	lab_dump "$LAB_DIR/receive.out" "$LAB_DIR/receive.out.err" "$LAB_DIR/send.out" \
		"$LAB_DIR/send.out.err" "$LAB_DIR/iptux-tux.log"
	lab_fail "iptux-files (screenshots in $SHOTS)"
fi
echo "PASS: iptux-files"

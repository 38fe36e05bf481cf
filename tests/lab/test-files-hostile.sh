#!/bin/bash
# Lab: a crafted hostile peer (file-peer.py offer) against `lanchat-cli receive --dir DIR`.
# The peer makes one offer per phase (the next once the last was released): plain files with
# hostile names ('/', '..', '.', absolute, '\', control characters, an escape sequence, DEL,
# reserved device names, too long, '~', a trailing dot or space, invalid UTF-8); good names
# ("C:drive.txt": no drive on Linux) that must not overwrite anything ("exists.txt" is
# already there, "link.txt" is a dangling symlink to a folder outside, "same.txt" twice);
# folder streams that climb out (a return-to-parent first or above the top, entries named
# "../x", "..", absolute, with a NUL or control characters, a top header naming another
# place); sizes that lie (more bytes, fewer, none, a folder stream that never ends); and stalls with the connection left open.
# Here: every case has exactly one JSON line from receive, a refused or failed one with a
# "why", a saved one with the right name and sha256; nothing exists outside DIR, nothing
# named "escaped*" anywhere, the existing file and the symlink are untouched, every offer
# was released, and receive exits 1 (things were refused) after its --wait. Then a receive
# stopped by SIGTERM during two stalled fetches prints both cancelled, with why, and releases.
set -u
source "$(dirname "$0")/lab.sh"

lab_init
lab_require_cli
lab_require_python

RECV=10.77.0.61
PEER=10.77.0.62
lab_add_host recv "$RECV"
lab_add_host peer "$PEER"

TOP=$LAB_DIR/recv
DIR=$TOP/dl
OUTSIDE=$LAB_DIR/outside
mkdir -p "$DIR" "$OUTSIDE"
printf 'original\n' >"$DIR/exists.txt"
ln -s "$OUTSIDE/target.txt" "$DIR/link.txt"

LAB_SPLIT_STDERR=1 lab_spawn_timed recv "$LAB_DIR/recv.out" "$LAB_DIR/recv.time" \
	"$LANCHAT_CLI" --nick lab-recv --group lab receive --dir "$DIR" --wait 6
recvpid=$LAB_PID
lab_wait_for 5000 lab_udp_bound recv || lab_fail "receive did not bind UDP 2425"

lab_spawn peer "$LAB_DIR/peer.out" python3 "$LAB_SRCDIR/file-peer.py" offer --lanchat "$RECV" \
	--outside "$OUTSIDE" --timeout 100 --phase-timeout 45 --stall-hold 60
peerpid=$LAB_PID

lab_wait_for 110000 _lab_gone "$peerpid"
wait "$peerpid"
peer_rc=$?
lab_wait_for 20000 test -s "$LAB_DIR/recv.time" || lab_stop "$recvpid"
echo "file-peer: exit $peer_rc; receive: $(cat "$LAB_DIR/recv.time" 2>/dev/null || echo 'did not exit')"

fail=0
[ "$peer_rc" = 0 ] || { echo "  file-peer exited $peer_rc: an offer was not released (want 0)"; fail=1; }
read -r recv_rc _ <"$LAB_DIR/recv.time" 2>/dev/null || recv_rc=none
[ "$recv_rc" = 1 ] || { echo "  receive exited $recv_rc (want 1: some files were refused)"; fail=1; }

if ! python3 - "$LAB_DIR/peer.out" "$LAB_DIR/recv.out" "$DIR" <<'EOF'; then
import json, os, sys
peer_out, recv_out, folder = sys.argv[1:]
cases = {}
served = {}
for line in open(peer_out, encoding="utf-8"):
    o = json.loads(line)
    if o["event"] == "offer":
        for c in o["cases"]:
            cases[(o["packet_no"], c["file_id"])] = c
    elif o["event"] == "served":
        served[o["case"]] = o
lines = {}
bad = 0
for line in open(recv_out, encoding="utf-8"):
    try:
        o = json.loads(line)
    except ValueError:
        print("  receive printed a line that is not JSON: %r" % line); bad += 1; continue
    lines.setdefault((o.get("packet_no"), o.get("file_id")), []).append(o)
real = os.path.realpath(folder)
for key, c in sorted(cases.items()):
    got = lines.pop(key, [])
    name = c["case"]
    if len(got) != 1:
        print("  %s (%r): %d lines from receive, want 1: %s" % (name, c["name"], len(got), got)); bad += 1
        continue
    o = got[0]
    ev = o["event"]
    if ev in ("refused", "failed", "cancelled"):
        if not o.get("why"):
            print("  %s: %s without a why: %s" % (name, ev, o)); bad += 1
        elif c["expect"] == "save":
            print("  %s: want it saved as %r, got %s: %s" % (name, c["saved_as"], ev, o["why"])); bad += 1
        else:
            print("  %-15s %-9s %s" % (name, ev, o["why"]))
        continue
    if ev != "saved":
        print("  %s: unknown event %r" % (name, ev)); bad += 1
        continue
    path = o.get("path") or ""
    if not os.path.realpath(path).startswith(real + os.sep):
        print("  %s: saved OUTSIDE the folder: %r" % (name, path)); bad += 1
        continue
    if c["expect"] == "refuse":
        print("  %s: saved as %r, want it refused" % (name, path)); bad += 1
        continue
    if c["expect"] == "save" and os.path.basename(path) != c["saved_as"]:
        print("  %s: saved as %r, want %r" % (name, os.path.basename(path), c["saved_as"])); bad += 1
    if c["directory"] and c.get("tree"):
        have = {f["path"]: f["sha256"] for f in o.get("files", [])}
        if have != c["tree"]:
            print("  %s: folder holds %s, want %s" % (name, have, c["tree"])); bad += 1
    elif not c["directory"] and c.get("saved_sha256") and o.get("sha256") != c["saved_sha256"]:
        print("  %s: sha256 %s, want %s (size %s, announced %s)" % (name, o.get("sha256"), c["saved_sha256"],
                                                                  o.get("size"), c["size"])); bad += 1
    if not os.path.lexists(path):
        print("  %s: %r is not there" % (name, path)); bad += 1
    print("  %-15s saved     %s" % (name, os.path.relpath(path, folder)))
for key, got in lines.items():
    print("  receive printed lines for no offered file %s: %s" % (key, got)); bad += 1
for name in ("stall", "dir-stall"):
    s = served.get(name)
    if s is None or not s["closed_by"].startswith("peer"):
        print("  %s: the receiver did not give up on the stalled connection: %s" % (name, s)); bad += 1
sys.exit(1 if bad else 0)
EOF
	fail=1
fi

# Nothing outside DIR, nothing named escaped* anywhere, nothing overwritten.
extra=$(find "$TOP" -mindepth 1 -maxdepth 1 ! -name dl)
[ -z "$extra" ] || { echo "  written beside the download folder: $extra"; fail=1; }
extra=$(find "$OUTSIDE" -mindepth 1)
[ -z "$extra" ] || { echo "  written into the folder outside: $extra"; fail=1; }
extra=$(find "$LAB_DIR" -name '*escaped*')
[ -z "$extra" ] || { echo "  an escaping name was written: $extra"; fail=1; }
[ "$(cat "$DIR/exists.txt")" = original ] || { echo "  exists.txt was overwritten"; fail=1; }
[ -L "$DIR/link.txt" ] && [ "$(readlink "$DIR/link.txt")" = "$OUTSIDE/target.txt" ] ||
	{ echo "  the symlink link.txt was replaced or changed"; fail=1; }
echo "download folder:"
(cd "$DIR" && find . -mindepth 1 | LC_ALL=C sort | sed 's/^/  | /')

# Stopped by SIGTERM in the middle of two stalled fetches: each ends with a "cancelled" line
# saying why, the offer is released, and receive exits 1.
LAB_SPLIT_STDERR=1 lab_spawn_timed recv "$LAB_DIR/term.out" "$LAB_DIR/term.time" \
	"$LANCHAT_CLI" --nick lab-recv --group lab receive --dir "$LAB_DIR/term"
termpid=$LAB_PID
lab_wait_for 5000 lab_udp_bound recv || lab_fail "receive did not bind UDP 2425 again"
lab_spawn peer "$LAB_DIR/term-peer.out" python3 "$LAB_SRCDIR/file-peer.py" offer --lanchat "$RECV" \
	--phases stall --phase-timeout 15 --timeout 20
termpeer=$LAB_PID
two_requests() { [ "$(grep -c '"event": "request"' "$LAB_DIR/term-peer.out")" = 2 ]; }
if lab_wait_for 10000 two_requests; then
	kill -TERM "$(pgrep -P "$termpid" | head -n1)"
	lab_wait_for 10000 test -s "$LAB_DIR/term.time" || lab_stop "$termpid"
	lab_wait_for 20000 _lab_gone "$termpeer"
	read -r rc _ <"$LAB_DIR/term.time" 2>/dev/null || rc=none
	n=$(grep -c '"event":"cancelled".*"why":"Cancelled: lanchat-cli was stopped"' "$LAB_DIR/term.out")
	echo "receive stopped by SIGTERM: exit $rc, $n cancelled lines, $(grep -c '"release"' "$LAB_DIR/term-peer.out") release"
	[ "$rc" = 1 ] && [ "$n" = 2 ] && grep -q '"event": "release"' "$LAB_DIR/term-peer.out" || {
		echo "  want exit 1, 2 cancelled lines with why, and a RELEASEFILES"
		lab_dump "$LAB_DIR/term.out" "$LAB_DIR/term.out.err" "$LAB_DIR/term-peer.out"
		fail=1
	}
else
	echo "  the stall offer was not fetched"
	lab_dump "$LAB_DIR/term.out" "$LAB_DIR/term.out.err" "$LAB_DIR/term-peer.out"
	fail=1
fi

if [ "$fail" != 0 ]; then
	lab_dump "$LAB_DIR/peer.out" "$LAB_DIR/recv.out" "$LAB_DIR/recv.out.err"
	lab_fail "files-hostile"
fi
echo "PASS: files-hostile"

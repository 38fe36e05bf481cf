#!/bin/bash
# Lab: what a capture shows of a chat between two hosts, read back by tshark.
#
# Host a runs `lanchat-cli listen --pcapng`, then `listen --pcap`; each time host b
# sends it a message (`lanchat-cli send`, acknowledged). In both files, tshark must
# see only the two hosts' real addresses as sources (never 0.0.0.0, the bind
# address), destinations that are those hosts or the lab's broadcast address,
# a's acknowledgement (RECVMSG) going from a to b, and in the pcapng a direction
# for every packet and the log's verdict as its comment.
set -u
source "$(dirname "$0")/lab.sh"

lab_init
lab_require_cli
lab_require_python
command -v tshark >/dev/null 2>&1 || lab_skip "tshark not installed"

A=10.77.0.61
B=10.77.0.62
lab_add_host a "$A"
lab_add_host b "$B"

fail=0

capture () { # capture FORMAT FILE
	local format=$1 file=$2 pid rc
	LAB_SPLIT_STDERR=1 lab_spawn a "$LAB_DIR/a-$format.json" "$LANCHAT_CLI" --nick lab-a \
		listen "--$format" "$file"
	pid=$LAB_PID
	lab_wait_for 5000 lab_udp_bound a || { lab_dump "$LAB_DIR/a-$format.json.err"; lab_fail "listen on a did not bind"; }
	lab_cli b --nick lab-b send "$A" "hello over $format" --wait 10 \
		>"$LAB_DIR/b-$format.out" 2>"$LAB_DIR/b-$format.err"
	rc=$?
	echo "b: send to a while a writes $format: exit $rc"
	[ "$rc" = 0 ] || { lab_dump "$LAB_DIR/b-$format.err"; fail=1; }
	lab_stop "$pid"
}

# check FILE PCAPNG: the addresses, the acknowledgement, and for pcapng the
# directions and comments.
check () {
	local file=$1 pcapng=$2
	tshark -r "$file" -T fields -E separator='|' \
		-e ip.src -e ip.dst -e udp.srcport -e udp.dstport -e frame.comment \
		-e frame.packet_flags_direction -e data.data \
		>"$file.fields" 2>"$file.tshark-err" || { cat "$file.tshark-err"; return 1; }
	python3 - "$file.fields" "$A" "$B" "$pcapng" <<'PY'
import sys
path, a, b, pcapng = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
hosts = {a, b}
ok = True
rows = [line.rstrip("\n").split("|") for line in open(path, encoding="utf-8", errors="replace") if line.strip()]
sources = set(r[0] for r in rows)
print("  %d packets; sources %s; destinations %s" % (len(rows), sorted(sources), sorted(set(r[1] for r in rows))))
if not rows:
    print("  no packet at all"); ok = False
for r in rows:
    src, dst = r[0], r[1]
    if src not in hosts:
        print("  a packet from %s (want %s or %s)" % (src, a, b)); ok = False; break
    if dst not in hosts and dst not in ("10.77.0.255", "255.255.255.255"):
        print("  a packet to %s" % dst); ok = False; break
# RECVMSG is command 0x21 = 33: "1:N:user:host:33:..." in the payload (hex).
acks = [r for r in rows if r[0] == a and r[1] == b and ":33:" in bytes.fromhex(r[6] or "").decode("latin-1")]
if not acks:
    print("  no acknowledgement from %s to %s" % (a, b)); ok = False
if pcapng:
    missing_dir = [r for r in rows if not r[5]]
    missing_comment = [r for r in rows if not r[4]]
    if missing_dir:
        print("  %d packets without a direction" % len(missing_dir)); ok = False
    if missing_comment:
        print("  %d packets without a verdict comment" % len(missing_comment)); ok = False
    if not any(r[4].startswith("ok") for r in rows):
        print("  no comment says the verdict ok"); ok = False
sys.exit(0 if ok else 1)
PY
}

capture pcapng "$LAB_DIR/a.pcapng"
capture pcap "$LAB_DIR/a.pcap"

echo "a.pcapng:"
check "$LAB_DIR/a.pcapng" 1 || fail=1
echo "a.pcap:"
check "$LAB_DIR/a.pcap" 0 || fail=1

[ "$fail" = 0 ] || lab_fail "capture"
echo "PASS: capture"

#!/bin/bash
# Lab: files and folders between two Lanchats (lanchat-cli send --file / receive --dir).
# (1) a file and a folder (nested, an empty file, non-ASCII and ':' in names) from a to b and
#     from b to a: send exits 0 once everything was fetched and released; receive prints
#     each with sha256 equal to the source's.
# (2) resume: a sends a 3 MiB file through an 8 Mbit/s throttle (tc); once b's .part holds
#     512 KiB the connection is killed mid-stream on a's side (`ss -K`, or where the kernel
#     can't, a RST from a's nftables: as when the sender's side drops it). The offer stays
#     open in a's send, so b's receive tries again from the end of its .part (GETFILEDATA
#     with an offset, lan_messenger_retry_transfer: what the engine offers, within one offer).
#     Here: saved once under its own name with the source's sha256 and "retries": 1, and a
#     sent fewer bytes after the break than the file holds (nftables counter).
# (2b) a sender killed (SIGKILL) mid-stream and started again makes a new offer of the same
#     file: b goes on from its .part (lan_messenger_resume_fetch), prints "resumed_from",
#     saves it once with the source's sha256, and exits 0.
# (2c) the same for a folder of five files, killed after the first: the restarted sender's
#     stream comes whole (GETDIRFILES has no offset); b reads past the complete files (same
#     inode and time), goes on with the one in progress, and saves the folder once.
# (3) an offer made to b (which only listens) fetched by a third host c with the right
#     packet number (and its neighbours), naming b's user@host, GETFILEDATA and GETDIRFILES:
#     not one byte; the same request from b's own address (once b's listen stopped) is served.
# (4) `bot --accept-files DIR` saves a file offered to it (sha256 equal) and still answers.
# (5) a peer that fetches everything but never sends RELEASEFILES (as iptux): send exits 0
#     2 s after the last byte.
set -u
source "$(dirname "$0")/lab.sh"

lab_init
lab_require_cli
lab_require_python
# The senders run in their source folders.
LANCHAT_CLI=$(realpath "$LANCHAT_CLI")

A=10.77.0.71
B=10.77.0.72
C=10.77.0.73
lab_add_host a "$A"
lab_add_host b "$B"
lab_add_host c "$C"

fail=0

# The sources: the same shapes on both sides, different bytes.
make_tree() { # DIR SEED
	local d=$1
	mkdir -p "$d/folder/sub/deeper"
	head -c 1048576 /dev/urandom >"$d/file.bin"
	head -c 200000 /dev/urandom >"$d/folder/sub/b.bin"
	printf 'alpha %s\n' "$2" >"$d/folder/a.txt"
	printf 'deep %s\n' "$2" >"$d/folder/sub/deeper/c.txt"
	: >"$d/folder/empty"
	printf 'unicode %s\n' "$2" >"$d/folder/ünï ✓.txt"
	printf 'colon %s\n' "$2" >"$d/folder/ratio 1:2.txt"
}
make_tree "$LAB_DIR/src-a" a
make_tree "$LAB_DIR/src-b" b

# check_received OUT SRC DEST: receive's JSON lines name file.bin and folder with the source's sums.
check_received() {
	python3 - "$@" <<'EOF'
import hashlib, json, os, sys
out, src, dest = sys.argv[1:]
def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()
saved = {}
bad = 0
for line in open(out, encoding="utf-8"):
    o = json.loads(line)
    if o["event"] != "saved":
        print("  receive: %s" % line.strip()); bad += 1; continue
    saved[o["name"]] = o
f = saved.get("file.bin")
if f is None or f["sha256"] != sha(os.path.join(src, "file.bin")) or f["directory"]:
    print("  file.bin: not saved with the source's sha256: %s" % f); bad += 1
elif os.path.dirname(f["path"]) != dest or sha(f["path"]) != f["sha256"]:
    print("  file.bin: saved at %r, not in %r or not what it says" % (f["path"], dest)); bad += 1
d = saved.get("folder")
want = {}
for root, dirs, files in os.walk(os.path.join(src, "folder")):
    for n in files:
        p = os.path.join(root, n)
        want[os.path.relpath(p, os.path.join(src, "folder"))] = sha(p)
if d is None or not d["directory"]:
    print("  folder: not saved: %s" % d); bad += 1
else:
    have = {x["path"]: x["sha256"] for x in d["files"]}
    if have != want:
        print("  folder: holds %s\n          want %s" % (sorted(have.items()), sorted(want.items()))); bad += 1
    if d["path"] != os.path.join(dest, "folder"):
        print("  folder: saved at %r" % d["path"]); bad += 1
    if d["size"] != sum(os.path.getsize(os.path.join(src, "folder", p)) for p in want):
        print("  folder: size %s" % d["size"]); bad += 1
sys.exit(1 if bad else 0)
EOF
}

# transfer FROM TO TO_IP
transfer() {
	local from=$1 to=$2 to_ip=$3
	local dest=$LAB_DIR/recv-$to
	LAB_SPLIT_STDERR=1 lab_spawn_timed "$to" "$LAB_DIR/recv-$to.out" "$LAB_DIR/recv-$to.time" \
		"$LANCHAT_CLI" --nick "lab-$to" --group lab receive --dir "$dest" --wait 3
	local recvpid=$LAB_PID
	lab_wait_for 5000 lab_udp_bound "$to" || lab_fail "receive in $to did not bind UDP 2425"
	local t0 rc
	t0=$(lab_now_ms)
	(cd "$LAB_DIR/src-$from" && lab_cli "$from" --nick "lab-$from" --group lab send --timeout 20 \
		"$to_ip" "files from $from" --file file.bin --file folder \
		>"$LAB_DIR/send-$from.out" 2>"$LAB_DIR/send-$from.err")
	rc=$?
	echo "send $from -> $to: exit $rc after $(($(lab_now_ms) - t0)) ms"
	sed 's/^/  | /' "$LAB_DIR/send-$from.out"
	[ "$rc" = 0 ] || { echo "  send exited $rc (want 0)"; sed 's/^/  ! /' "$LAB_DIR/send-$from.err"; fail=1; }
	lab_wait_for 15000 test -s "$LAB_DIR/recv-$to.time" || lab_stop "$recvpid"
	read -r rc _ <"$LAB_DIR/recv-$to.time" 2>/dev/null || rc=none
	[ "$rc" = 0 ] || { echo "  receive in $to exited $rc (want 0)"; fail=1; }
	check_received "$LAB_DIR/recv-$to.out" "$LAB_DIR/src-$from" "$dest" || {
		lab_dump "$LAB_DIR/recv-$to.out" "$LAB_DIR/recv-$to.out.err"
		fail=1
	}
}

# 1. both ways
transfer a b "$B"
transfer b a "$A"

# 2. resume after the connection broke mid-stream
if lab_exec a tc qdisc add dev eth0 root tbf rate 8mbit burst 16kb latency 200ms 2>"$LAB_DIR/tc.err"; then
	head -c 3145728 /dev/urandom >"$LAB_DIR/src-a/big.bin"
	# What a sends from port 2425; reset once the first connection is gone.
	lab_exec a nft -f - <<'EOF' || lab_fail "nft counter in a"
table inet filecount {
	counter served { }
	chain out {
		type filter hook output priority 0; policy accept;
		tcp sport 2425 counter name served
	}
	chain in {
		type filter hook input priority 0; policy accept;
	}
}
EOF
	served_bytes() {
		lab_exec a nft list counter inet filecount served |
			awk '/bytes/ { for (i = 1; i < NF; i++) if ($i == "bytes") print $(i + 1) }'
	}
	LAB_SPLIT_STDERR=1 lab_spawn_timed b "$LAB_DIR/resume.out" "$LAB_DIR/resume.time" \
		"$LANCHAT_CLI" --nick lab-b --group lab receive --dir "$LAB_DIR/resume" --wait 4
	recvpid=$LAB_PID
	lab_wait_for 5000 lab_udp_bound b || lab_fail "receive in b did not bind UDP 2425"
	LAB_SPLIT_STDERR=1 lab_spawn_timed a "$LAB_DIR/resume-send.out" "$LAB_DIR/resume-send.time" bash -c \
		'cd "$1" && exec "$2" --nick lab-a --group lab send --timeout 20 "$3" --file big.bin' \
		lab "$LAB_DIR/src-a" "$LANCHAT_CLI" "$B"
	sendpid=$LAB_PID
	part_big() {
		local s
		s=$(stat -c %s "$LAB_DIR/resume/big.bin.part" 2>/dev/null) || return 1
		[ "$s" -ge 524288 ]
	}
	if lab_wait_for 15000 part_big; then
		# The throttle stays: deleting the qdisc would drop the RST queued in it, and b
		# would wait for the stall timeout instead of trying again at once.
		lab_exec a ss -K state established sport = :2425 >/dev/null 2>&1
		if lab_exec a ss -Htn state established sport = :2425 | grep -q .; then
			# A kernel without sock_diag destroy: a RST from a's firewall to b instead,
			# taken away as soon as b's side is gone so that its next try gets through.
			lab_exec a nft add rule inet filecount in tcp dport 2425 reject with tcp reset
			b_gone() { ! lab_exec b ss -Htn state established dport = :2425 | grep -q .; }
			lab_wait_for 5000 b_gone || echo "  b's connection survived the reset"
			lab_exec a nft flush chain inet filecount in
		fi
		lab_exec a nft reset counter inet filecount served >/dev/null
		echo "resume: connection killed with $(stat -c %s "$LAB_DIR/resume/big.bin.part") bytes in big.bin.part"
		lab_wait_for 20000 test -s "$LAB_DIR/resume-send.time" || lab_stop "$sendpid"
		sent=$(served_bytes)
		lab_exec a tc qdisc del dev eth0 root
		read -r rc _ <"$LAB_DIR/resume-send.time" 2>/dev/null || rc=none
		echo "resume: send exit $rc, $sent bytes sent after the break (file: 3145728)"
		sed 's/^/  | /' "$LAB_DIR/resume-send.out"
		[ "$rc" = 0 ] || { echo "  send exited $rc (want 0)"; lab_dump "$LAB_DIR/resume-send.out.err"; fail=1; }
		[ "${sent:-0}" -lt $((3145728 - 262144)) ] ||
			{ echo "  the second try did not continue the .part ($sent bytes sent again)"; fail=1; }
		lab_wait_for 15000 test -s "$LAB_DIR/resume.time" || lab_stop "$recvpid"
		if ! python3 - "$LAB_DIR/resume.out" "$LAB_DIR/src-a/big.bin" "$LAB_DIR/resume" <<'EOF'; then
import hashlib, json, os, sys
out, src, dest = sys.argv[1:]
want = hashlib.sha256(open(src, "rb").read()).hexdigest()
lines = [json.loads(l) for l in open(out, encoding="utf-8")]
bad = 0
if (len(lines) != 1 or lines[0]["event"] != "saved" or lines[0]["sha256"] != want
        or lines[0]["path"] != os.path.join(dest, "big.bin") or lines[0]["retries"] != 1):
    print("  want one line: big.bin saved in %s, sha256 %s, retries 1; got %s" % (dest, want, lines)); bad += 1
left = sorted(os.listdir(dest))
if left != ["big.bin"]:
    print("  the download folder holds %s, want only big.bin" % left); bad += 1
sys.exit(1 if bad else 0)
EOF
			lab_dump "$LAB_DIR/resume.out" "$LAB_DIR/resume.out.err" "$LAB_DIR/resume-send.out.err"
			fail=1
		fi
	else
		echo "  big.bin.part never reached 512 KiB"
		lab_dump "$LAB_DIR/resume.out" "$LAB_DIR/resume.out.err" "$LAB_DIR/resume-send.out" \
			"$LAB_DIR/resume-send.out.err"
		fail=1
		lab_stop "$sendpid" "$recvpid"
		lab_exec a tc qdisc del dev eth0 root
	fi
else
	echo "  tc cannot throttle in the lab: $(cat "$LAB_DIR/tc.err")"
	fail=1
fi

# 2b. resume after the sender was killed mid-stream (SIGKILL) and started again: its new
# offer of the same file (same sender, name and size) goes on from b's .part
# (lan_messenger_resume_fetch; the fetch checks the .part's last 4 KiB first).
if lab_exec a tc qdisc add dev eth0 root tbf rate 8mbit burst 16kb latency 200ms 2>"$LAB_DIR/tc.err"; then
	head -c 3145728 /dev/urandom >"$LAB_DIR/src-a/big2.bin"
	LAB_SPLIT_STDERR=1 lab_spawn_timed b "$LAB_DIR/resume2.out" "$LAB_DIR/resume2.time" \
		"$LANCHAT_CLI" --nick lab-b --group lab receive --dir "$LAB_DIR/resume2" --wait 6
	recvpid=$LAB_PID
	lab_wait_for 5000 lab_udp_bound b || lab_fail "receive in b did not bind UDP 2425"
	LAB_SPLIT_STDERR=1 lab_spawn_timed a "$LAB_DIR/kill-send.out" "$LAB_DIR/kill-send.time" bash -c \
		'cd "$1" && exec "$2" --nick lab-a --group lab send --timeout 20 "$3" --file big2.bin' \
		lab "$LAB_DIR/src-a" "$LANCHAT_CLI" "$B"
	sendpid=$LAB_PID
	part_big2() {
		local s
		s=$(stat -c %s "$LAB_DIR/resume2/big2.bin.part" 2>/dev/null) || return 1
		[ "$s" -ge 524288 ]
	}
	failed_line() { grep -q '"event":"failed"' "$LAB_DIR/resume2.out"; }
	if lab_wait_for 15000 part_big2; then
		# The sender itself (the timer's child), killed as a crash or a power cut would.
		pkill -KILL -P "$sendpid"
		lab_wait_for 5000 test -s "$LAB_DIR/kill-send.time"
		echo "resume2: sender killed with $(stat -c %s "$LAB_DIR/resume2/big2.bin.part") bytes in big2.bin.part"
		# Started again once b has given up on the first offer, as a person would.
		lab_wait_for 10000 failed_line || echo "  b never said the first fetch failed"
		lab_exec a nft reset counter inet filecount served >/dev/null
		LAB_SPLIT_STDERR=1 lab_spawn_timed a "$LAB_DIR/resend.out" "$LAB_DIR/resend.time" bash -c \
			'cd "$1" && exec "$2" --nick lab-a --group lab send --timeout 20 "$3" --file big2.bin' \
			lab "$LAB_DIR/src-a" "$LANCHAT_CLI" "$B"
		sendpid=$LAB_PID
		lab_wait_for 20000 test -s "$LAB_DIR/resend.time" || lab_stop "$sendpid"
		sent=$(served_bytes)
		read -r rc _ <"$LAB_DIR/resend.time" 2>/dev/null || rc=none
		echo "resume2: the restarted send exit $rc, $sent bytes sent by it (file: 3145728)"
		[ "$rc" = 0 ] || { echo "  the restarted send exited $rc (want 0)"; lab_dump "$LAB_DIR/resend.out" "$LAB_DIR/resend.out.err"; fail=1; }
		[ "${sent:-0}" -lt $((3145728 - 262144)) ] ||
			{ echo "  the restarted send's offer did not continue the .part ($sent bytes sent again)"; fail=1; }
		lab_wait_for 15000 test -s "$LAB_DIR/resume2.time" || lab_stop "$recvpid"
		read -r rc _ <"$LAB_DIR/resume2.time" 2>/dev/null || rc=none
		[ "$rc" = 0 ] || { echo "  receive exited $rc (want 0: its one failure was made good)"; fail=1; }
		if ! python3 - "$LAB_DIR/resume2.out" "$LAB_DIR/src-a/big2.bin" "$LAB_DIR/resume2" <<'EOF'; then
import hashlib, json, os, sys
out, src, dest = sys.argv[1:]
want = hashlib.sha256(open(src, "rb").read()).hexdigest()
lines = [json.loads(l) for l in open(out, encoding="utf-8")]
bad = 0
events = [l["event"] for l in lines]
saved = [l for l in lines if l["event"] == "saved"]
if events != ["failed", "saved"]:
    print("  want a failed line (the killed sender), then a saved one; got %s" % lines); bad += 1
elif (saved[0]["sha256"] != want or saved[0]["path"] != os.path.join(dest, "big2.bin")
        or saved[0].get("resumed_from", 0) < 524288):
    print("  want big2.bin saved in %s, sha256 %s, resumed_from >= 524288; got %s" % (dest, want, saved[0])); bad += 1
left = sorted(os.listdir(dest))
if left != ["big2.bin"]:
    print("  the download folder holds %s, want only big2.bin" % left); bad += 1
sys.exit(1 if bad else 0)
EOF
			lab_dump "$LAB_DIR/resume2.out" "$LAB_DIR/resume2.out.err" "$LAB_DIR/resend.out.err"
			fail=1
		fi
	else
		echo "  big2.bin.part never reached 512 KiB"
		lab_dump "$LAB_DIR/resume2.out" "$LAB_DIR/resume2.out.err" "$LAB_DIR/kill-send.out.err"
		fail=1
		lab_stop "$sendpid" "$recvpid"
	fi
	lab_exec a tc qdisc del dev eth0 root
fi

# 2c. a folder, its sender killed (SIGKILL) after the first of its five files and started
# again: GETDIRFILES has no offset, so the new offer's stream comes whole, and b reads past
# the files its folder's .part holds complete instead of writing them again (same inode, the
# old time kept), goes on with the one in progress, and renames the folder into place.
if lab_exec a tc qdisc add dev eth0 root tbf rate 8mbit burst 16kb latency 200ms 2>"$LAB_DIR/tc.err"; then
	t3=$(lab_now_ms)
	mkdir -p "$LAB_DIR/src-a/kfolder"
	# Five: what the killed sender's socket still holds goes out after it died, and must not
	# be the whole rest of the folder.
	for f in 1 2 3 4 5; do head -c 1048576 /dev/urandom >"$LAB_DIR/src-a/kfolder/$f.bin"; done
	LAB_SPLIT_STDERR=1 lab_spawn_timed b "$LAB_DIR/resume3.out" "$LAB_DIR/resume3.time" \
		"$LANCHAT_CLI" --nick lab-b --group lab receive --dir "$LAB_DIR/resume3" --wait 2
	recvpid=$LAB_PID
	lab_wait_for 5000 lab_udp_bound b || lab_fail "receive in b did not bind UDP 2425"
	LAB_SPLIT_STDERR=1 lab_spawn_timed a "$LAB_DIR/kill3.out" "$LAB_DIR/kill3.time" bash -c \
		'cd "$1" && exec "$2" --nick lab-a --group lab send --timeout 20 "$3" --file kfolder' \
		lab "$LAB_DIR/src-a" "$LANCHAT_CLI" "$B"
	sendpid=$LAB_PID
	# One file complete and the next one begun (the order is the sender's).
	part_past_one() {
		local s
		s=$(du -sb --apparent-size "$LAB_DIR/resume3/kfolder.part" 2>/dev/null | cut -f1) || return 1
		[ "${s:-0}" -ge 1114112 ]
	}
	failed3() { grep -q '"event":"failed"' "$LAB_DIR/resume3.out"; }
	if lab_wait_for 15000 part_past_one; then
		pkill -KILL -P "$sendpid"
		lab_wait_for 5000 test -s "$LAB_DIR/kill3.time"
		lab_exec a tc qdisc del dev eth0 root
		lab_wait_for 10000 failed3 || echo "  b never said the first folder fetch failed"
		# The complete ones, back to 2001: a file written again would not keep that time.
		complete=$(cd "$LAB_DIR/resume3/kfolder.part" &&
			for f in *.bin; do [ "$(stat -c %s "$f")" = 1048576 ] && echo "$f"; done)
		for f in $complete; do touch -d @1000000000 "$LAB_DIR/resume3/kfolder.part/$f"; done
		inodes=$(cd "$LAB_DIR/resume3/kfolder.part" && for f in $complete; do stat -c '%n %i %Y' "$f"; done)
		echo "resume3: sender killed with $(du -sb --apparent-size "$LAB_DIR/resume3/kfolder.part" | cut -f1)" \
			"bytes in kfolder.part, complete:" $complete
		LAB_SPLIT_STDERR=1 lab_spawn_timed a "$LAB_DIR/resend3.out" "$LAB_DIR/resend3.time" bash -c \
			'cd "$1" && exec "$2" --nick lab-a --group lab send --timeout 20 "$3" --file kfolder' \
			lab "$LAB_DIR/src-a" "$LANCHAT_CLI" "$B"
		sendpid=$LAB_PID
		lab_wait_for 20000 test -s "$LAB_DIR/resend3.time" || lab_stop "$sendpid"
		read -r rc _ <"$LAB_DIR/resend3.time" 2>/dev/null || rc=none
		[ "$rc" = 0 ] || { echo "  the restarted folder send exited $rc (want 0)"; lab_dump "$LAB_DIR/resend3.out.err"; fail=1; }
		lab_wait_for 15000 test -s "$LAB_DIR/resume3.time" || lab_stop "$recvpid"
		read -r rc _ <"$LAB_DIR/resume3.time" 2>/dev/null || rc=none
		[ "$rc" = 0 ] || { echo "  receive exited $rc (want 0: its one failure was made good)"; fail=1; }
		echo "resume3: the folder resumed and saved, $(($(lab_now_ms) - t3)) ms for this case"
		after=$(cd "$LAB_DIR/resume3/kfolder" 2>/dev/null && for f in $complete; do stat -c '%n %i %Y' "$f"; done)
		if [ -z "$complete" ] || [ "$after" != "$inodes" ]; then
			echo "  the complete files were written again (or none was complete): before: $inodes; after: $after"
			fail=1
		fi
		if ! python3 - "$LAB_DIR/resume3.out" "$LAB_DIR/src-a/kfolder" "$LAB_DIR/resume3" <<'EOF'; then
import hashlib, json, os, sys
out, src, dest = sys.argv[1:]
lines = [json.loads(l) for l in open(out, encoding="utf-8")]
want = {n: hashlib.sha256(open(os.path.join(src, n), "rb").read()).hexdigest() for n in os.listdir(src)}
bad = 0
events = [l["event"] for l in lines]
if events != ["failed", "saved"]:
    print("  want a failed line (the killed sender), then a saved one; got %s" % lines); bad += 1
else:
    saved = lines[1]
    have = {f["path"]: f["sha256"] for f in saved.get("files", [])}
    if saved["path"] != os.path.join(dest, "kfolder") or have != want:
        print("  want kfolder saved in %s with %s; got %s" % (dest, want, saved)); bad += 1
left = sorted(os.listdir(dest))
if left != ["kfolder"]:
    print("  the download folder holds %s, want only kfolder" % left); bad += 1
sys.exit(1 if bad else 0)
EOF
			lab_dump "$LAB_DIR/resume3.out" "$LAB_DIR/resume3.out.err" "$LAB_DIR/resend3.out.err"
			fail=1
		fi
	else
		echo "  kfolder.part never got past its first file"
		lab_dump "$LAB_DIR/resume3.out" "$LAB_DIR/resume3.out.err" "$LAB_DIR/kill3.out.err"
		fail=1
		lab_stop "$sendpid" "$recvpid"
		lab_exec a tc qdisc del dev eth0 root
	fi
fi

# 3. a host the offer was not made to
LAB_SPLIT_STDERR=1 lab_spawn b "$LAB_DIR/listen-b.out" "$LANCHAT_CLI" --nick lab-b --user labb \
	--group lab listen --messages
listenpid=$LAB_PID
lab_wait_for 5000 lab_udp_bound b || lab_fail "listen in b did not bind UDP 2425"
lab_spawn_timed a "$LAB_DIR/offer3.out" "$LAB_DIR/offer3.time" bash -c \
	'cd "$1" && exec "$2" --nick lab-a --group lab send --timeout 10 "$3" --file file.bin --file folder' \
	lab "$LAB_DIR/src-a" "$LANCHAT_CLI" "$B"
sendpid=$LAB_PID
offer_line() { grep -m1 '"files"' "$LAB_DIR/listen-b.out"; }
if lab_wait_for 10000 offer_line >/dev/null; then
	read -r packet ids < <(offer_line | python3 -c '
import json, sys
o = json.loads(sys.stdin.readline())
print(o["packet_no"], ",".join(str(f["file_id"]) for f in o["files"]))')
	echo "offer to b: packet $packet, file ids $ids"
	lab_exec c python3 "$LAB_SRCDIR/file-peer.py" fetch --lanchat "$A" --packet-no "$packet" \
		--file-ids "0,$ids,$((${ids##*,} + 1))" --spread 1 --read-timeout 2 >"$LAB_DIR/intruder.out" 2>&1
	rc=$?
	echo "fetch from c (not offered): exit $rc, $(tail -n1 "$LAB_DIR/intruder.out")"
	[ "$rc" = 0 ] || { echo "  c was served bytes of an offer made to b"; lab_dump "$LAB_DIR/intruder.out"; fail=1; }
	# The control: b's own address gets the file (so the refusal above was about the host).
	lab_stop "$listenpid"
	lab_exec b python3 "$LAB_SRCDIR/file-peer.py" fetch --lanchat "$A" --packet-no "$packet" \
		--file-ids "${ids%%,*}" --read-timeout 3 --expect-served --user labb --host b \
		>"$LAB_DIR/control.out" 2>&1
	rc=$?
	echo "fetch from b (offered): exit $rc, $(tail -n1 "$LAB_DIR/control.out")"
	[ "$rc" = 0 ] || { echo "  b itself was not served its offer"; lab_dump "$LAB_DIR/control.out"; fail=1; }
	# Nobody fetches the folder or releases the offer: send gives up after --timeout.
	lab_wait_for 15000 test -s "$LAB_DIR/offer3.time"
	read -r rc ms <"$LAB_DIR/offer3.time" 2>/dev/null || rc=none
	echo "send to b that never releases: exit $rc after ${ms:-?} ms: $(cat "$LAB_DIR/offer3.out.err")"
	[ "$rc" = 1 ] && grep -q -- '--timeout' "$LAB_DIR/offer3.out.err" ||
		{ echo "  want exit 1 with why (--timeout) on stderr"; fail=1; }
else
	echo "  b's listen printed no offer"
	lab_dump "$LAB_DIR/listen-b.out" "$LAB_DIR/offer3.out" "$LAB_DIR/offer3.out.err"
	fail=1
fi
lab_stop "$sendpid" "$listenpid"

# 4. bot --accept-files: saves what is offered and still answers messages
LAB_SPLIT_STDERR=1 lab_spawn b "$LAB_DIR/bot-b.out" "$LANCHAT_CLI" --nick lab-bot --group lab \
	bot --template 'got {text}' --accept-files "$LAB_DIR/bot-b"
botpid=$LAB_PID
lab_wait_for 5000 lab_udp_bound b || lab_fail "bot in b did not bind UDP 2425"
(cd "$LAB_DIR/src-a" && lab_cli a --nick lab-a --group lab send --timeout 20 "$B" "for the bot" --file file.bin \
	>"$LAB_DIR/bot-send.out" 2>"$LAB_DIR/bot-send.err")
rc=$?
echo "send --file to bot --accept-files: exit $rc"
[ "$rc" = 0 ] || { echo "  send exited $rc (want 0)"; lab_dump "$LAB_DIR/bot-send.err"; fail=1; }
lab_cli a --nick lab-a --group lab send --wait 5 --wait-reply "$B" "ping" >"$LAB_DIR/bot-ping.out" 2>&1
grep -qxF 'reply: got ping' "$LAB_DIR/bot-ping.out" ||
	{ echo "  the bot did not answer while accepting files"; lab_dump "$LAB_DIR/bot-ping.out"; fail=1; }
want=$(sha256sum <"$LAB_DIR/src-a/file.bin" | cut -d' ' -f1)
grep -q "\"event\":\"saved\".*\"sha256\":\"$want\"" "$LAB_DIR/bot-b.out" ||
	{ echo "  the bot printed no saved line with the source's sha256"; lab_dump "$LAB_DIR/bot-b.out"; fail=1; }
lab_stop "$botpid"

# 5. a peer that fetches everything and never releases (as iptux): send exits 0 all the same
LAB_SPLIT_STDERR=1 lab_spawn b "$LAB_DIR/listen5.out" "$LANCHAT_CLI" --nick lab-b --user labb \
	--group lab listen --messages
listenpid=$LAB_PID
lab_wait_for 5000 lab_udp_bound b || lab_fail "listen in b did not bind UDP 2425"
lab_spawn_timed a "$LAB_DIR/offer5.out" "$LAB_DIR/offer5.time" bash -c \
	'cd "$1" && exec "$2" --nick lab-a --group lab send --timeout 20 "$3" --file file.bin --file folder' \
	lab "$LAB_DIR/src-a" "$LANCHAT_CLI" "$B"
offer5() { grep -m1 '"files"' "$LAB_DIR/listen5.out"; }
if lab_wait_for 10000 offer5 >/dev/null; then
	read -r packet ids < <(offer5 | python3 -c '
import json, sys
o = json.loads(sys.stdin.readline())
print(o["packet_no"], ",".join(str(f["file_id"]) for f in o["files"]))')
	lab_stop "$listenpid"
	lab_exec b python3 "$LAB_SRCDIR/file-peer.py" fetch --lanchat "$A" --packet-no "$packet" \
		--file-ids "$ids" --read-timeout 3 --expect-served --user labb --host b >"$LAB_DIR/fetch5.out" 2>&1
	lab_wait_for 10000 test -s "$LAB_DIR/offer5.time"
	read -r rc ms <"$LAB_DIR/offer5.time" 2>/dev/null || rc=none
	echo "send to a peer that never releases: exit $rc: $(tail -n1 "$LAB_DIR/offer5.out")"
	[ "$rc" = 0 ] && grep -q '^fetched: .* 2/2, no release$' "$LAB_DIR/offer5.out" ||
		{ echo "  want exit 0 and 'fetched: … 2/2, no release'"; lab_dump "$LAB_DIR/offer5.out.err" "$LAB_DIR/fetch5.out"; fail=1; }
else
	echo "  b's listen printed no offer"
	fail=1
fi
lab_stop "$listenpid"

if [ "$fail" != 0 ]; then
	lab_dump "$LAB_DIR/send-a.err" "$LAB_DIR/send-b.err"
	lab_fail "files"
fi
echo "PASS: files"

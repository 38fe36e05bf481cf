#!/bin/bash
# Lab: no reflection (issue 15 item 2). A lanchat-cli bot answers every message with one
# of its own (and resends it until it gives up). An attacker sends it SENDMSG|SENDCHECKOPT
# with a victim's address as the source (a raw socket inside the attacker's namespace: the
# spoofed packets exist only on the lab's bridge). The victim counts, with nft, the bytes
# that arrive for UDP 2425: they must be at most the bytes the attacker sent.
set -u
source "$(dirname "$0")/lab.sh"

lab_init
lab_require_cli
lab_require_python

BOT=10.77.0.71
ATTACKER=10.77.0.72
VICTIM=10.77.0.73
COUNT=5000
BUDGET_MS=3000
lab_add_host bot "$BOT"
lab_add_host attacker "$ATTACKER"
lab_add_host victim "$VICTIM"

lab_exec victim nft -f - <<EOF || lab_fail "nft in victim"
table inet reflection {
	chain in {
		type filter hook input priority 0; policy accept;
		udp dport $LAB_PORT counter
	}
}
EOF

victim_bytes() {
	lab_exec victim nft list table inet reflection |
		awk '/counter packets/ { for (i = 1; i <= NF; i++) if ($i == "bytes") print $(i + 1) }'
}

# The counter did not move for longer than the bot keeps resending one message (every gap
# between its tries is shorter): its last resend has gone.
QUIET_S=$((BUDGET_MS / 1000 + 1))
VICTIM_LAST=-1
victim_quiet() {
	local now
	now=$(victim_bytes)
	if [ "$now" = "$VICTIM_LAST" ]; then
		return 0
	fi
	VICTIM_LAST=$now
	sleep "$QUIET_S"
	return 1
}

# A long answer, as a bot might give: each one is larger than the message it answers.
LAB_SPLIT_STDERR=1 lab_spawn bot "$LAB_DIR/bot.out" "$LANCHAT_CLI" --nick lab-bot \
	--retry-budget "$BUDGET_MS" bot --template \
	"Thank you for your message of {length} bytes! This is the lab bot: it was received and will be processed."
botpid=$LAB_PID
lab_wait_for 5000 lab_udp_bound bot || lab_fail "bot did not bind UDP 2425"

# Prints the bytes it sent (whole IP packets, as nft counts them at the victim).
lab_exec attacker python3 - "$VICTIM" "$BOT" "$COUNT" >"$LAB_DIR/attacker.out" <<'EOPY' ||
import socket, struct, sys, time
src, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for a in (src, dst):
    if not a.startswith("10.77.0."):
        sys.exit("refusing %s: outside the lab" % a)
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)  # IP_HDRINCL
total = 0
for i in range(count):
    payload = b"1:%d:e:h:%d:hi\0" % (7000 + i, 0x20 | 0x100)  # SENDMSG|SENDCHECKOPT
    udp = struct.pack("!HHHH", 2425, 2425, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    s.sendto(ip + udp, (dst, 0))
    total += len(ip) + len(udp)
    if i % 50 == 49:
        time.sleep(0.005)  # a steady flood, not one burst the bot's socket buffer drops
print(total)
EOPY
	lab_fail "the attacker could not send"
sent=$(cat "$LAB_DIR/attacker.out")
lab_wait_for 60000 victim_quiet || lab_fail "the bot still sends to the victim"
got=$(victim_bytes)
answers=$(grep -c '' "$LAB_DIR/bot.out")
echo "attacker sent $sent bytes ($COUNT spoofed messages); the bot printed $answers lines;"
echo "the victim received $got bytes for UDP $LAB_PORT"
lab_stop "$botpid"
[ "$got" -gt 0 ] || { lab_dump "$LAB_DIR/bot.out.err"; lab_fail "nothing reached the victim: the attack did not happen"; }
if [ "$got" -gt "$sent" ]; then
	lab_dump "$LAB_DIR/bot.out.err"
	lab_fail "reflection: $got bytes at the victim > $sent bytes sent"
fi
echo "PASS: reflection ($got bytes at the victim <= $sent sent, $(awk -v g="$got" -v s="$sent" 'BEGIN { printf "%.2f", g / s }')x)"

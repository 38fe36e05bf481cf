#!/bin/bash
# Lab: crafted peers in the shapes of FeiQ (GBK, decorated version with its MAC, no UTF-8
# block, no option bits) and IP Messenger for Windows (CP932 legacy fields + UTF-8 block,
# CAPUTF8OPT; messages with and without UTF8OPT, one sealed) talk to `lanchat-cli listen
# --messages` whose name and group are in Han characters both charsets have.
# Each peer (dialect-peer.py) checks, reading as its client would: the ANSENTRY's names, a
# RECVMSG for each of its messages, and that replies sent with `lanchat-cli send` (by nickname,
# then by address) from a
# third host reads right in its charset (FeiQ: GBK, never UTF8OPT). Here: listen printed each
# peer's name and every text right, and the sealed one with "sealed": true.
set -u
source "$(dirname "$0")/lab.sh"

lab_init
lab_require_cli
lab_require_python

LC=10.77.0.51
FEIQ=10.77.0.52
IPM=10.77.0.53
REP=10.77.0.54
lab_add_host lc "$LC"
lab_add_host feiq "$FEIQ"
lab_add_host ipm "$IPM"
lab_add_host rep "$REP"

# 山本花子 / 開発部: written the same in GBK and in CP932.
NICK=山本花子
GROUP=開発部
fail=0

LAB_SPLIT_STDERR=1 lab_spawn lc "$LAB_DIR/listen.out" "$LANCHAT_CLI" --nick "$NICK" --group "$GROUP" \
	listen --messages
listenpid=$LAB_PID
if ! lab_wait_for 5000 lab_udp_bound lc; then
	lab_dump "$LAB_DIR/listen.out" "$LAB_DIR/listen.out.err"
	lab_fail "listen did not bind UDP 2425"
fi

lab_spawn feiq "$LAB_DIR/feiq.out" python3 "$LAB_SRCDIR/dialect-peer.py" feiq --lanchat "$LC" \
	--expect-nick "$NICK" --expect-group "$GROUP" --expect-reply "收到，谢谢" --replies 2 --timeout 40
feiqpid=$LAB_PID
lab_spawn ipm "$LAB_DIR/ipm.out" python3 "$LAB_SRCDIR/dialect-peer.py" ipmsg --lanchat "$LC" \
	--expect-nick "$NICK" --expect-group "$GROUP" --expect-reply "承知しました" --replies 2 --timeout 40
ipmpid=$LAB_PID
if ! { lab_wait_for 5000 lab_udp_bound feiq && lab_wait_for 5000 lab_udp_bound ipm; }; then
	lab_dump "$LAB_DIR/feiq.out" "$LAB_DIR/ipm.out"
	lab_fail "a crafted peer did not bind UDP 2425"
fi

# The replies, from a Lanchat that learns each peer's dialect from its ANSENTRY: by nickname,
# and by address, where non-ASCII text waits (up to 2 s) for the answer to the BR_ENTRY sent
# there first, so that FeiQ doesn't get UTF-8 it can't read.
for to in "飞秋用户:收到，谢谢" "山田太郎:承知しました" "$FEIQ:收到，谢谢" "$IPM:承知しました"; do
	lab_cli rep --nick 李四 --group 開発部 send --wait 10 "${to%%:*}" "${to#*:}" \
		>>"$LAB_DIR/send.out" 2>>"$LAB_DIR/send.err"
	rc=$?
	echo "send ${to%%:*} ${to#*:}: exit $rc"
	[ "$rc" = 0 ] || { echo "  send exited $rc (want 0)"; fail=1; }
done

for pair in "feiq:$feiqpid" "ipm:$ipmpid"; do
	wait "${pair#*:}"
	rc=$?
	echo "${pair%%:*} peer: exit $rc"
	sed 's/^/  | /' "$LAB_DIR/${pair%%:*}.out"
	[ "$rc" = 0 ] || fail=1
done

lab_stop "$listenpid"
if ! python3 - "$LAB_DIR/listen.out" "$FEIQ" "$IPM" <<'EOF'; then
import json, sys
want = {  # (address, text) -> (nickname, sealed)
    (sys.argv[2], "你好，我是飞秋"): ("飞秋用户", False),
    (sys.argv[3], "会議は三時です"): ("山田太郎", False),
    (sys.argv[3], "こんにちは"): ("山田太郎", False),
    (sys.argv[3], "封緘の秘密"): ("山田太郎", True),
}
seen = {}
for line in open(sys.argv[1], encoding="utf-8"):
    if not line.strip():
        continue
    o = json.loads(line)
    seen[(o["from"].rsplit(":", 1)[0], o["text"])] = (o["nickname"], o.get("sealed"))
ok = True
for key, value in want.items():
    if seen.get(key) != value:
        print("  listen: want %s from %s as %s sealed=%s, got %s" % (key[1], key[0], value[0], value[1],
                                                                    seen.get(key)))
        ok = False
sys.exit(0 if ok else 1)
EOF
	sed 's/^/  | /' "$LAB_DIR/listen.out"
	fail=1
fi

[ "$fail" = 0 ] || lab_fail "dialects"
echo "PASS"

#!/bin/bash
# `lanchat-cli --history FILE history`: one lanchat-cli receives two messages
# (one Chinese), then the history command finds them: all, per peer, by a
# two-character Chinese substring, as JSON; a missing file is an error and
# is not created.
#
# Runs inside tests/isolated.sh (loopback only). Env: LANCHAT_CLI. TAP output.
set -euo pipefail

cli=${LANCHAT_CLI:?LANCHAT_CLI must name lanchat-cli}
work=$(mktemp -d)
receiver=
cleanup () {
  [ "$BASHPID" = "$$" ] || return 0
  [ -n "$receiver" ] && kill "$receiver" 2>/dev/null && wait "$receiver" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "1..6"
n=0
check () {
  n=$((n + 1))
  if [ "$2" = "$3" ]; then echo "ok $n $1"; else echo "not ok $n $1: got '$2', wanted '$3'"; fail=1; fi
}
fail=0

(trap - EXIT; exec "$cli" --bind 127.0.0.3 --history "$work/receiver.db" --answer-delay 20 \
   listen --messages >"$work/received.jsonl" 2>"$work/receiver.err") &
receiver=$!
for text in "你好世界" "Hello World"; do
  "$cli" --bind 127.0.0.2 --user carol --host lab --wait 20 send 127.0.0.3 "$text" \
    >>"$work/send.out" 2>>"$work/send.err"
done
kill "$receiver"
wait "$receiver" || true
receiver=

check "all stored messages" "$("$cli" --history "$work/receiver.db" history | wc -l)" 2
check "by a two-character Chinese substring" \
  "$("$cli" --history "$work/receiver.db" history --search 世界 | grep -c 你好世界)" 1
check "by a Latin substring, any case" \
  "$("$cli" --history "$work/receiver.db" history --search 'orl HELLO' | grep -c 'Hello World')" 1
check "per peer, as JSON" \
  "$("$cli" --history "$work/receiver.db" history --peer carol@lab --search 好世 --json |
     python3 -c 'import json,sys; r=[json.loads(l) for l in sys.stdin]; print(len(r), r[0]["text"], r[0]["direction"], r[0]["identity"])')" \
  "1 你好世界 in carol@lab"
check "nobody else" "$("$cli" --history "$work/receiver.db" history --peer nobody@lab | wc -l)" 0
status=0
"$cli" --history "$work/missing.db" history 2>/dev/null || status=$?
check "a missing file: exit 1, not created" "$status $(test -e "$work/missing.db" && echo made || echo absent)" "1 absent"
exit $fail

#!/bin/bash
# Nothing acknowledged is lost: while one lanchat-cli sends checked messages,
# the receiving one is killed with SIGKILL at random moments and restarted on
# the same history file. Afterwards every message the sender saw acknowledged
# must be in the receiver's history exactly once.
#
# Runs inside tests/isolated.sh (loopback only). Env: LANCHAT_CLI, KILL_RUNS
# (default 20), KILL_MESSAGES (500), KILLS (kills per run, 4).
set -euo pipefail

cli=${LANCHAT_CLI:?LANCHAT_CLI must name lanchat-cli}
runs=${KILL_RUNS:-20}
messages=${KILL_MESSAGES:-500}
kills=${KILLS:-4}
work=$(mktemp -d)
receiver=
sender=
cleanup () {
  # A background job signalled before its exec would run this too.
  [ "$BASHPID" = "$$" ] || return 0
  [ -n "$receiver" ] && kill -9 "$receiver" 2>/dev/null || true
  [ -n "$sender" ] && kill -9 "$sender" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

count_sql () {
  python3 - "$1" "$2" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=5)
print(db.execute(sys.argv[2]).fetchone()[0])
PY
}

start_receiver () {
  # exec: $! is lanchat-cli itself, and no copy of this shell's EXIT trap runs.
  (trap - EXIT; exec "$cli" --bind 127.0.0.3 --history "$1/receiver.db" --answer-delay 20 \
     listen --messages >>"$1/received.jsonl" 2>>"$1/receiver.err") &
  receiver=$!
}

# A random pause of 0–$1 ms: when the kills land is what this test varies.
pause_ms () {
  local ms=$(( RANDOM % $1 ))
  sleep "$(printf '0.%03d' "$ms")"
}

total_in_flight=0
max_in_flight=0
n_kills=0
for run in $(seq 1 "$runs"); do
  dir="$work/$run"
  mkdir -p "$dir"
  start_receiver "$dir"
  (trap - EXIT; exec "$cli" --bind 127.0.0.2 --history "$dir/sender.db" --retry-budget 60000 \
     send --count "$messages" 127.0.0.3 "run $run message" >"$dir/send.out" 2>"$dir/send.err") &
  sender=$!

  for k in $(seq 1 "$kills"); do
    # The first kill lands while the burst is still arriving, later ones among the resends.
    if [ "$k" = 1 ]; then pause_ms 60; else pause_ms 700; fi
    delivered=0
    if [ -f "$dir/sender.db" ]; then
      delivered=$(count_sql "$dir/sender.db" "SELECT count(*) FROM messages WHERE direction = 1 AND state = 2" 2>/dev/null || echo 0)
    fi
    in_flight=$(( messages - delivered ))
    kill -9 "$receiver"
    wait "$receiver" 2>/dev/null || true
    n_kills=$(( n_kills + 1 ))
    total_in_flight=$(( total_in_flight + in_flight ))
    [ "$in_flight" -gt "$max_in_flight" ] && max_in_flight=$in_flight
    pause_ms 100
    start_receiver "$dir"
  done

  if ! wait "$sender"; then
    echo "run $run: the sender did not see every message acknowledged:" >&2
    cat "$dir/send.out" "$dir/send.err" >&2
    exit 1
  fi
  sender=
  kill "$receiver"
  wait "$receiver" 2>/dev/null || true
  receiver=

  python3 - "$dir/sender.db" "$dir/receiver.db" "$run" <<'PY'
import sqlite3, sys
sender = sqlite3.connect(sys.argv[1])
receiver = sqlite3.connect(sys.argv[2])
acked = [t for (t,) in sender.execute("SELECT text FROM messages WHERE direction = 1 AND state = 2")]
stored = {}
for (t,) in receiver.execute("SELECT text FROM messages WHERE direction = 0"):
    stored[t] = stored.get(t, 0) + 1
missing = [t for t in acked if stored.get(t, 0) == 0]
twice = [t for t, n in stored.items() if n > 1]
if missing or twice or not acked:
    print(f"run {sys.argv[3]}: {len(acked)} acknowledged, missing {missing[:5]}, stored twice {twice[:5]}",
          file=sys.stderr)
    sys.exit(1)
PY
  echo "run $run: $messages acknowledged, each stored once"
done

echo "kills: $n_kills, messages in flight at a kill: average $(( total_in_flight / n_kills )), most $max_in_flight"

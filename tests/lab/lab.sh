# shellcheck shell=bash
# Lanchat lab library: a private LAN made of network namespaces.
#
# Source it from a test script, then:
#
#   lab_init                      # skip (exit 77) unless we may make namespaces
#   lab_add_host a 10.77.0.11     # netns "<prefix>-a", veth to the bridge, 10.77.0.11/24
#   lab_exec a cmd ...            # run cmd inside host a (hostname "a")
#   lab_spawn a LOG cmd ...       # same, in the background, stdout+stderr to LOG; LAB_PID
#   lab_spawn_timed / lab_spawn_stamped   # the same, recording exit code and time (ms)
#   lab_stop PID...               # SIGTERM, SIGKILL after 2 s
#   lab_loss a 30                 # drop 30% of UDP port-2425 packets in and out of host a
#   lab_wait_for MS cmd ...       # poll cmd until it succeeds, at most MS milliseconds
#   lab_start_iptux c [NICK]      # Debian's iptux under Xvfb + a session bus in host c
#   lab_require_cli; lab_cli a args...   # lanchat-cli ($LANCHAT_CLI) in host a
#
# Topology: one namespace "<prefix>-br" holds a bridge "br0" and nothing else (no uplink,
# no address, no route); each host is a namespace with "eth0" (veth) whose peer is enslaved
# to br0. All addresses are in 10.77.0.0/24, broadcast 10.77.0.255. Hosts have no default
# route, so nothing can leave 10.77.0.0/24; the machine's own namespace is never touched
# (every link is created directly inside the lab namespaces).
#
# Teardown (installed as an EXIT trap by lab_init) kills every process still running in a
# lab namespace (by pid, from `ip netns pids`), then deletes the namespaces and the run's
# temporary directory (kept when the test failed or LAB_KEEP=1, for post-mortems).
# See README.md for the environment knobs (LAB_CAPTURE, LAB_LOSS_HOOK, ...).

LAB_SUBNET=10.77.0
LAB_PORT=2425
LAB_PREFIX=
LAB_DIR=
LAB_HOSTS=()
LAB_NAMESPACES=()
LAB_PID=
LAB_IPTUX_NICK=

lab_log() {
	printf '# %s\n' "$*" >&2
}

lab_skip() {
	printf 'SKIP: %s\n' "$*"
	exit 77
}

lab_fail() {
	printf 'FAIL: %s\n' "$*"
	exit 1
}

_lab_ns() {
	printf '%s-%s' "$LAB_PREFIX" "$1"
}

lab_init() {
	if [ "$(id -u)" != 0 ]; then
		lab_skip "lab tests need root (network namespaces)"
	fi
	local tool
	for tool in ip nft; do
		command -v "$tool" >/dev/null 2>&1 || lab_skip "$tool not installed"
	done

	# Unique per run: the shell's pid plus a random suffix, so a recycled pid whose
	# namespaces survived a killed run cannot clash.
	LAB_PREFIX="lc$$$(printf '%04x' $((RANDOM)))"
	# A UTF-8 locale, as a user would have: the tests pass non-ASCII text on command lines.
	export LC_ALL=C.UTF-8
	LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/lanchat-lab.XXXXXX") || lab_skip "mktemp failed"

	trap lab_teardown EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP

	local br
	br=$(_lab_ns br)
	if ! ip netns add "$br" 2>"$LAB_DIR/netns-add.err"; then
		lab_skip "cannot create a network namespace: $(cat "$LAB_DIR/netns-add.err")"
	fi
	LAB_NAMESPACES+=("$br")
	ip -n "$br" link set lo up
	ip -n "$br" link add br0 type bridge stp_state 0 forward_delay 0
	ip -n "$br" link set br0 up
	lab_log "lab $LAB_PREFIX in $LAB_DIR"
	# LAB_CAPTURE=1: record every UDP datagram crossing the bridge (passive, needs tcpdump)
	# to $LAB_DIR/lab.pcap; print it with `tcpdump -r lab.pcap -A`. The directory is kept.
	if [ "${LAB_CAPTURE:-0}" = 1 ] && command -v tcpdump >/dev/null 2>&1; then
		# A bridge that learns no addresses floods every frame, so br0 sees unicast too.
		ip -n "$br" link set br0 type bridge ageing_time 0
		ip netns exec "$br" tcpdump -i br0 --immediate-mode -U -s 0 -w "$LAB_DIR/lab.pcap" udp \
			>"$LAB_DIR/tcpdump.log" 2>&1 </dev/null &
		LAB_KEEP=1
		lab_wait_for 3000 grep -q listening "$LAB_DIR/tcpdump.log" || lab_log "tcpdump did not start"
	fi
}

# lab_add_host NAME IP
lab_add_host() {
	local name=$1 ip=$2
	local ns br
	[ "${#name}" -le 13 ] || lab_fail "lab_add_host: name $name too long (13 at most)"
	ns=$(_lab_ns "$name")
	br=$(_lab_ns br)
	case "$ip" in
	"$LAB_SUBNET".*) ;;
	*) lab_fail "lab_add_host $name: $ip is not in $LAB_SUBNET.0/24" ;;
	esac

	ip netns add "$ns" || lab_fail "ip netns add $ns"
	LAB_NAMESPACES+=("$ns")
	LAB_HOSTS+=("$name")
	# Quiet hosts: no IPv6 (no router solicitations, no DAD on the bridge).
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1 || true
	ip -n "$ns" link set lo up
	# Create the pair inside the bridge namespace and move one end straight into the host.
	ip -n "$br" link add "v-$name" type veth peer name eth0 netns "$ns" ||
		lab_fail "veth for $name"
	ip -n "$br" link set "v-$name" master br0
	ip -n "$br" link set "v-$name" up
	ip -n "$ns" addr add "$ip/24" broadcast "$LAB_SUBNET.255" dev eth0
	ip -n "$ns" link set eth0 up
	printf '%s\n' "$ip" >"$LAB_DIR/$name.ip"
}

# lab_ip NAME: the address given to host NAME
lab_ip() {
	cat "$LAB_DIR/$1.ip"
}

# _lab_in NAME cmd...: run cmd in host NAME's network namespace and in a UTS namespace
# of its own whose hostname is NAME, so that hosts differ by user@host as on a real LAN
# (IPMsg clients tell peers apart, or merge them, by user and host name).
_lab_in() {
	local name=$1
	shift
	[ -n "$LAB_PREFIX" ] || lab_fail "lab_init was not called"
	# shellcheck disable=SC2016 # expanded by the inner sh
	ip netns exec "$(_lab_ns "$name")" unshare --uts -- \
		/bin/sh -c 'hostname "$0" && exec "$@"' "$name" "$@"
}

# _lab_in_exec NAME cmd...: the same, replacing the calling (sub)shell, so that the pid of
# a background "(_lab_in_exec ...) &" is the pid of cmd itself (ip netns exec, unshare and
# sh all exec in turn).
_lab_in_exec() {
	local name=$1
	shift
	[ -n "$LAB_PREFIX" ] || lab_fail "lab_init was not called"
	# shellcheck disable=SC2016 # expanded by the inner sh
	exec ip netns exec "$(_lab_ns "$name")" unshare --uts -- \
		/bin/sh -c 'hostname "$0" && exec "$@"' "$name" "$@"
}

# lab_exec NAME cmd...
lab_exec() {
	_lab_in "$@"
}

# lab_spawn NAME LOGFILE cmd...: background job in host NAME; LAB_PID is cmd's own pid.
# stdout and stderr go to LOGFILE (stderr to LOGFILE.err when LAB_SPLIT_STDERR=1).
lab_spawn() {
	local name=$1 log=$2
	shift 2
	if [ "${LAB_SPLIT_STDERR:-0}" = 1 ]; then
		(_lab_in_exec "$name" "$@") >"$log" 2>"$log.err" </dev/null &
	else
		(_lab_in_exec "$name" "$@") >"$log" 2>&1 </dev/null &
	fi
	LAB_PID=$!
}

# lab_stop PID...: SIGTERM, then SIGKILL after 2 s; reaps.
lab_stop() {
	local pid
	for pid in "$@"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "$@"; do
		lab_wait_for 2000 _lab_gone "$pid" || kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

_lab_gone() {
	! kill -0 "$1" 2>/dev/null
}

# lab_loss NAME PERCENT [link|inet]: drop PERCENT% of the UDP packets of port 2425
# entering host NAME (nftables `numgen random mod 100 < PERCENT drop`, one draw per packet;
# a packet matches by destination port 2425, or by source port 2425 when its destination
# port is another). Outgoing packets are only counted: with the rule on both hosts every
# packet crosses exactly one draw, so the loss is PERCENT% in each direction, not twice that.
#   link (default; LAB_LOSS_HOOK overrides): netdev ingress + egress hooks on eth0 - a lossy
#        wire: the sender's sendto() succeeds and the packet just never arrives.
#   inet: inet input + output hooks - like a local firewall: a datagram dropped on output
#        makes sendto() fail with EPERM ("Operation not permitted") in the sender.
lab_loss() {
	local name=$1 pct=$2 hook=${3:-${LAB_LOSS_HOOK:-link}}
	local family in_hook out_hook
	case "$hook" in
	link)
		family=netdev
		in_hook='hook ingress device "eth0"'
		out_hook='hook egress device "eth0"'
		;;
	inet)
		family=inet
		in_hook='hook input'
		out_hook='hook output'
		;;
	*) lab_fail "lab_loss: unknown hook $hook (link or inet)" ;;
	esac
	local rules="udp dport $LAB_PORT numgen random mod 100 < $pct counter drop
		udp sport $LAB_PORT udp dport != $LAB_PORT numgen random mod 100 < $pct counter drop
		udp dport $LAB_PORT counter accept
		udp sport $LAB_PORT counter accept"
	lab_exec "$name" nft -f - <<EOF || lab_fail "nft in $name"
table $family lanchat_lab
delete table $family lanchat_lab
table $family lanchat_lab {
	chain in {
		type filter $in_hook priority 0; policy accept;
		$rules
	}
	chain out {
		type filter $out_hook priority 0; policy accept;
		udp dport $LAB_PORT counter accept
		udp sport $LAB_PORT counter accept
	}
}
EOF
}

# lab_loss_stats NAME: prints "in: dropped D passed P, out: dropped D passed P" (packets
# of port 2425 seen by the lab_loss rules of host NAME).
lab_loss_stats() {
	lab_exec "$1" nft list tables 2>/dev/null | awk '$3 == "lanchat_lab" { print $2 }' |
		while read -r family; do
			lab_exec "$1" nft list table "$family" lanchat_lab
		done | awk '
		/chain in / { c = "in" }
		/chain out / { c = "out" }
		/counter packets/ {
			for (i = 1; i <= NF; i++) if ($i == "packets") n = $(i + 1)
			if ($NF == "drop") d[c] += n; else p[c] += n
		}
		END { printf "in: dropped %d passed %d, out: dropped %d passed %d\n", d["in"], p["in"], d["out"], p["out"] }'
}

# lab_wait_for MS cmd...: run cmd every 50 ms until it succeeds; fail after MS ms.
lab_wait_for() {
	local ms=$1
	shift
	local deadline=$(($(lab_now_ms) + ms))
	while true; do
		"$@" && return 0
		[ "$(lab_now_ms)" -ge "$deadline" ] && return 1
		sleep 0.05
	done
}

lab_now_ms() {
	local t=${EPOCHREALTIME/./}
	printf '%s\n' $((t / 1000))
}

# lab_udp_bound NAME [PORT]: true when something in host NAME has bound UDP PORT.
lab_udp_bound() {
	local port=${2:-$LAB_PORT}
	lab_exec "$1" ss -Hlun "sport = :$port" 2>/dev/null | grep -q .
}

# lab_start_iptux NAME [NICK]: start Debian's iptux in host NAME (own HOME, nickname NICK,
# default "iptux-NAME", group "lab"), under Xvfb and a private session bus. Waits until it
# has bound UDP 2425, then (with python3, unless LAB_IPTUX_PROBE=0) checks that it answers a
# BR_ENTRY with an ANSENTRY. iptux answers to port 2425 of the sender's address whatever the
# source port, so the probe runs from a silent helper host "probe" (10.77.0.254, made on
# first use) with source port 2425; iptux then lists "probe" among its pals.
# Sets LAB_PID (the leader of the iptux process tree) and LAB_IPTUX_NICK (for the caller).
# Skips (77) when iptux or its helpers are missing.
lab_start_iptux() {
	local name=$1 nick=${2:-iptux-$1}
	local tool
	for tool in iptux xvfb-run Xvfb dbus-run-session xauth; do
		command -v "$tool" >/dev/null 2>&1 ||
			lab_skip "$tool not installed (apt-get install iptux xvfb xauth dbus-x11)"
	done
	local home="$LAB_DIR/home-$name"
	mkdir -p "$home/.iptux" "$home/.config" "$home/.cache" "$home/.local/share"
	# iptux 0.8 keeps its settings in ~/.iptux/config.json (one JSON object; keys as in
	# ProgramData::ReadProgData). Without one it starts with nick_name = the login name.
	printf '{\n  "nick_name" : "%s",\n  "belong_group" : "lab",\n  "archive_path" : "%s",\n  "open_chat" : false,\n  "record_log" : false,\n  "sound_support" : false,\n  "msgsnd_support" : false,\n  "transnd_support" : false\n}\n' \
		"$nick" "$home" >"$home/.iptux/config.json"
	# shellcheck disable=SC2034 # for the caller
	LAB_IPTUX_NICK=$nick
	lab_spawn "$name" "$LAB_DIR/iptux-$name.log" env -u DISPLAY -u WAYLAND_DISPLAY \
		-u DBUS_SESSION_BUS_ADDRESS \
		HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache" \
		XDG_DATA_HOME="$home/.local/share" XDG_RUNTIME_DIR="$home" \
		GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 LANG=C.UTF-8 \
		xvfb-run -a -s "-nolisten tcp -screen 0 1024x768x24" \
		dbus-run-session -- iptux
	local pid=$LAB_PID
	if ! lab_wait_for 20000 lab_udp_bound "$name"; then
		sed 's/^/# iptux: /' "$LAB_DIR/iptux-$name.log" >&2
		lab_fail "iptux in $name did not bind UDP $LAB_PORT within 20 s"
	fi
	if [ "${LAB_IPTUX_PROBE:-1}" = 1 ] && command -v python3 >/dev/null 2>&1; then
		[ -e "$LAB_DIR/probe.ip" ] || lab_add_host probe "$LAB_SUBNET.254"
		if ! lab_exec probe python3 "$LAB_SRCDIR/ipmsg-probe.py" entry \
			--to "$(lab_ip "$name")" --sport "$LAB_PORT" --timeout 5 \
			>"$LAB_DIR/iptux-$name.probe" 2>&1; then
			sed 's/^/# probe: /' "$LAB_DIR/iptux-$name.probe" >&2
			sed 's/^/# iptux: /' "$LAB_DIR/iptux-$name.log" >&2
			lab_fail "iptux in $name does not answer BR_ENTRY"
		fi
		lab_log "iptux in $name answers: $(grep -m1 'cmd=0x03' "$LAB_DIR/iptux-$name.probe")"
	fi
	LAB_PID=$pid
}

lab_teardown() {
	local rc=$?
	# Finish the teardown even if a second signal comes (meson's timeout, Ctrl-C again).
	trap - EXIT
	trap '' INT TERM HUP
	local ns pids pid
	# Everything still running in a lab namespace was started by this run.
	for ns in "${LAB_NAMESPACES[@]}"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# shellcheck disable=SC2086 # a list of pids
		[ -n "$pids" ] && kill -TERM $pids 2>/dev/null
	done
	for ns in "${LAB_NAMESPACES[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			lab_wait_for 2000 _lab_gone "$pid" || kill -KILL "$pid" 2>/dev/null
		done
	done
	wait 2>/dev/null
	for ns in "${LAB_NAMESPACES[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ -n "$LAB_DIR" ] && [ -d "$LAB_DIR" ]; then
		if [ "${LAB_KEEP:-0}" = 1 ] || { [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ "${LAB_KEEP_ON_FAIL:-1}" = 1 ]; }; then
			lab_log "kept $LAB_DIR"
		else
			rm -rf "$LAB_DIR"
		fi
	fi
	exit "$rc"
}

# Where this library and its helpers live.
LAB_SRCDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# lab_cli_path: $LANCHAT_CLI, or the usual build tree; empty when none.
lab_cli_path() {
	local c
	for c in "${LANCHAT_CLI:-}" "$LAB_SRCDIR/../../build/src/cli/lanchat-cli"; do
		if [ -n "$c" ] && [ -x "$c" ]; then
			printf '%s\n' "$c"
			return 0
		fi
	done
	return 1
}

# lab_require_cli: sets LANCHAT_CLI or skips.
lab_require_cli() {
	LANCHAT_CLI=$(lab_cli_path) || lab_skip "lanchat-cli not built (set LANCHAT_CLI)"
	export LANCHAT_CLI
}

# lab_require_python: the tests parse JSON with python3.
lab_require_python() {
	command -v python3 >/dev/null 2>&1 || lab_skip "python3 not installed"
}

# lab_cli NAME args...: lanchat-cli in host NAME, in the foreground.
lab_cli() {
	local name=$1
	shift
	lab_exec "$name" "$LANCHAT_CLI" "$@"
}

# lab_spawn_timed NAME LOG TIMEFILE cmd...: like lab_spawn (stderr to LOG.err), and when
# cmd ends, writes "EXIT-CODE ELAPSED-MS" to TIMEFILE (time measured inside the host, from
# just before cmd starts). LAB_PID is the pid of the timing shell.
lab_spawn_timed() {
	local name=$1 log=$2 timefile=$3
	shift 3
	# shellcheck disable=SC2016
	LAB_SPLIT_STDERR=1 lab_spawn "$name" "$log" bash -c \
		's=${EPOCHREALTIME/./}; "${@:2}"; rc=$?; e=${EPOCHREALTIME/./}
		 printf "%d %d\n" "$rc" $(((e - s) / 1000)) >"$1"; exit "$rc"' \
		lab-timer "$timefile" "$@"
}

# lab_spawn_stamped NAME LOG TIMEFILE cmd...: like lab_spawn_timed, but each line cmd
# prints goes to LOG as "MS<TAB>line", MS counted from just before cmd started (so a line
# printed as soon as something happened carries the time it happened).
lab_spawn_stamped() {
	local name=$1 log=$2 timefile=$3
	shift 3
	# shellcheck disable=SC2016
	LAB_SPLIT_STDERR=1 lab_spawn "$name" "$log" bash -c \
		's=${EPOCHREALTIME/./}
		 "${@:2}" | while IFS= read -r line; do
			n=${EPOCHREALTIME/./}; printf "%d\t%s\n" $(((n - s) / 1000)) "$line"
		 done
		 rc=${PIPESTATUS[0]}; e=${EPOCHREALTIME/./}
		 printf "%d %d\n" "$rc" $(((e - s) / 1000)) >"$1"; exit "$rc"' \
		lab-stamper "$timefile" "$@"
}

# lab_dump FILE...: show files (logs) on stderr with a "# name: " prefix, for failures.
lab_dump() {
	local f
	for f in "$@"; do
		[ -e "$f" ] || continue
		sed "s|^|# $(basename "$f"): |" "$f" >&2
	done
}

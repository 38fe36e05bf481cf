#!/bin/bash
# The screenshots in data/screenshots/, taken on a lab network (tests/lab/lab.sh):
# Lanchat (take-screenshots.c, the app in-process) in host "me" under Xvfb, and three
# people as lanchat-cli processes in hosts of their own: Mei Chen, 王芳 and 山田太郎.
# Everyone writes to us once; then a real exchange with one of them, in the language
# of the picture, ending with a file offer where `lanchat-cli send --file` exists
# (otherwise with a plain message: run this again once it does). Three runs: English
# (also the packet log with our message selected), Simplified Chinese, Japanese.
#
# The app and the script take turns through marker files (see take-screenshots.c).
# Needs root (namespaces), Xvfb, xauth and dbus-run-session; skips (77) without.
# The pictures go to data/screenshots/ of LANCHAT_SOURCE_ROOT, and a copy to
# LANCHAT_SHOTS_BUILD/screenshots/. Every packet stays inside the lab's namespaces.
set -u
source "$(dirname "$0")/../lab/lab.sh"

lab_init
lab_require_cli
: "${LANCHAT_SHOTS:?LANCHAT_SHOTS must name take-screenshots}"
: "${LANCHAT_SOURCE_ROOT:?LANCHAT_SOURCE_ROOT must name the source tree}"
for tool in xvfb-run Xvfb xauth dbus-run-session; do
	command -v "$tool" >/dev/null 2>&1 || lab_skip "$tool not installed"
done

ME=10.77.0.10
lab_add_host me "$ME"
lab_add_host mei 10.77.0.21
lab_add_host wang 10.77.0.22
lab_add_host yamada 10.77.0.23

# Who each person is: nickname, user, host name, group.
declare -A NICK=([mei]="Mei Chen" [wang]="王芳" [yamada]="山田太郎")
declare -A USER_OF=([mei]=mchen [wang]=wangfang [yamada]=yamada)
declare -A HOST_OF=([mei]=mei-laptop [wang]=wangfang-pc [yamada]=yamada-pc)
declare -A GROUP_OF=([mei]="Design" [wang]="市场部" [yamada]="営業部")
# What they say: first, in answer to our question, and last (with or without a file).
declare -A OPENING=(
	[mei]="Hi! Are you coming to the design review at three?"
	[wang]="下午好！三点的设计评审你参加吗？"
	[yamada]="お疲れさまです。3時のデザインレビューに参加されますか？"
)
declare -A REPLY=(
	[mei]="Room 2B, on the second floor."
	[wang]="二楼的2B会议室。"
	[yamada]="2階の2B会議室です。"
)
declare -A WITH_FILE=(
	[mei]="Here they are, the latest version."
	[wang]="发给你了，这是最新版。"
	[yamada]="こちらです。最新版です。"
)
declare -A WITHOUT_FILE=(
	[mei]="They are in the shared folder, under Design/Office."
	[wang]="在共享文件夹的“设计/办公室”里。"
	[yamada]="共有フォルダの「デザイン/オフィス」にあります。"
)

# `send --help` lists --file once lanchat-cli can offer files (--help opens no socket).
# The file each one offers, named in their language.
declare -A FILE_OF=([mei]="floor-plans.pdf" [wang]="办公室平面图.pdf" [yamada]="オフィス図面.pdf")
if lab_cli me --help 2>/dev/null | grep -q -- '--file'; then
	files=1
	mkdir -p "$LAB_DIR/files"
	for h in mei wang yamada; do
		# A plausible size for a PDF of floor plans; what is in it does not show.
		head -c 1843200 /dev/urandom >"$LAB_DIR/files/${FILE_OF[$h]}"
	done
	echo "# lanchat-cli offers files: the conversation ends with a file offer"
else
	files=0
	echo "# lanchat-cli send has no --file yet: the conversation ends with a plain message"
fi

# person HOST ARGS...: lanchat-cli as that person, in that host, with a history of
# their own (it keeps their instance id from one process to the next).
person_args() {
	local host=$1
	printf '%s\0' --nick "${NICK[$host]}" --user "${USER_OF[$host]}" --host "${HOST_OF[$host]}" \
		--group "${GROUP_OF[$host]}" --history "$LAB_DIR/$host.sqlite" --target "$ME"
}

person() {
	local host=$1
	shift
	local args=()
	mapfile -d '' args < <(person_args "$host")
	lab_cli "$host" "${args[@]}" "$@"
}

person_spawn() {
	local host=$1 log=$2
	shift 2
	local args=()
	mapfile -d '' args < <(person_args "$host")
	lab_spawn "$host" "$log" "$LANCHAT_CLI" "${args[@]}" "$@"
}

wait_bound() {
	lab_wait_for 10000 lab_udp_bound "$1" || lab_fail "lanchat-cli in $1 did not bind UDP 2425"
}

app_at() {
	[ -e "$LAB_DIR/app.$1" ] || ! kill -0 "$apppid" 2>/dev/null
}

wait_app() {
	if ! lab_wait_for "${2:-30000}" app_at "$1" || [ ! -e "$LAB_DIR/app.$1" ]; then
		lab_dump "$LAB_DIR/app-$lang.log"
		lab_fail "the app did not get to \"$1\" ($lang)"
	fi
}

# shoot LANG FOCUS NICKNAME GROUP USER HOST LINE1 LINE2 SHOT [LOGSHOT]
shoot() {
	lang=$1
	local focus=$2 nickname=$3 group=$4 user=$5 host=$6 line1=$7 line2=$8 shot=$9 logshot=${10:-}
	local locale=C.UTF-8 language=
	case "$lang" in
	zh_CN) locale=zh_CN.UTF-8 language=zh_CN ;;
	ja) locale=ja_JP.UTF-8 language=ja ;;
	esac
	local offer=
	[ "$files" = 1 ] && offer=${FILE_OF[$focus]}
	local home="$LAB_DIR/home-$lang"
	mkdir -p "$home/.config" "$home/.cache" "$LAB_DIR/run-$lang"
	rm -f "$LAB_DIR"/app.* "$LAB_DIR"/lab.*
	lab_spawn me "$LAB_DIR/app-$lang.log" env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
		HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache" \
		XDG_RUNTIME_DIR="$home" G_TEST_BUILDDIR="$LAB_DIR/run-$lang" \
		GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$GSETTINGS_SCHEMA_DIR" \
		GSK_RENDERER=cairo GTK_A11Y=none NO_AT_BRIDGE=1 G_DEBUG=fatal-criticals \
		LC_ALL="$locale" LANGUAGE="$language" PANGO_LANGUAGE="${language:-en}" \
		LANCHAT_LOCALEDIR="${LANCHAT_LOCALEDIR:-}" \
		SHOT_DIR="$LAB_DIR" SHOT_PEERS=3 SHOT_FOCUS="${NICK[$focus]}" \
		SHOT_NICKNAME="$nickname" SHOT_GROUP="$group" SHOT_USER="$user" SHOT_HOST="$host" \
		SHOT_LINE_1="$line1" SHOT_LINE_2="$line2" SHOT_NAME="$shot" SHOT_LOG="$logshot" \
		SHOT_OFFER="$offer" \
		xvfb-run -a -s "-nolisten tcp -screen 0 1280x900x24" dbus-run-session -- ${LANCHAT_SHOTS_WRAPPER:-} "$LANCHAT_SHOTS" --tap
	apppid=$LAB_PID
	wait_app started

	# Everyone writes to us once, then stays online: the one we talk to answers our
	# question (a bot), the others just listen.
	local h pids=()
	for h in mei wang yamada; do
		person "$h" send --wait 15 "$ME" "${OPENING[$h]}" >"$LAB_DIR/send-$h.out" 2>&1 ||
			{ lab_dump "$LAB_DIR/send-$h.out"; lab_fail "${NICK[$h]}'s first message was not delivered"; }
	done
	for h in mei wang yamada; do
		if [ "$h" = "$focus" ]; then
			person_spawn "$h" "$LAB_DIR/bot-$h.log" bot --template "${REPLY[$h]}"
			botpid=$LAB_PID
		else
			person_spawn "$h" "$LAB_DIR/listen-$h.log" listen --messages
			pids+=("$LAB_PID")
		fi
		wait_bound "$h"
	done
	touch "$LAB_DIR/lab.online"
	wait_app answered

	# Our second message goes to them listening (no automatic answer to it).
	lab_stop "$botpid"
	person_spawn "$focus" "$LAB_DIR/listen-$focus.log" listen --messages
	local focuspid=$LAB_PID
	wait_bound "$focus"
	touch "$LAB_DIR/lab.listening"
	wait_app asked

	# Their last message: the file we asked for, offered (and served while the
	# app runs), or where to find it.
	lab_stop "$focuspid"
	if [ "$files" = 1 ]; then
		person_spawn "$focus" "$LAB_DIR/offer-$focus.log" send "$ME" "${WITH_FILE[$focus]}" \
			--file "$LAB_DIR/files/${FILE_OF[$focus]}"
		focuspid=$LAB_PID
	else
		person "$focus" send --wait 15 "$ME" "${WITHOUT_FILE[$focus]}" >"$LAB_DIR/send-last.out" 2>&1 ||
			{ lab_dump "$LAB_DIR/send-last.out"; lab_fail "${NICK[$focus]}'s last message was not delivered"; }
		person_spawn "$focus" "$LAB_DIR/listen-$focus.log" listen --messages
		focuspid=$LAB_PID
	fi
	wait_bound "$focus"
	touch "$LAB_DIR/lab.offered"
	wait_app done 60000

	if ! lab_wait_for 20000 _lab_gone "$apppid"; then
		lab_stop "$apppid"
	fi
	wait "$apppid"
	local rc=$?
	lab_stop "$focuspid" "${pids[@]}"
	if [ "$rc" != 0 ]; then
		lab_dump "$LAB_DIR/app-$lang.log"
		lab_fail "take-screenshots ($lang) exited $rc"
	fi
	cp "$LAB_DIR/run-$lang/screenshots/"*.png "$LAB_DIR/shots/"
	echo "ok: $lang: $shot${logshot:+ $logshot}"
}

# LANCHAT_SHOTS_LANGS picks some of the runs ("en zh_CN ja" by default).
langs=" ${LANCHAT_SHOTS_LANGS:-en zh_CN ja} "
want() {
	case "$langs" in *" $1 "*) return 0 ;; esac
	return 1
}

mkdir -p "$LAB_DIR/shots"
want en && shoot en mei "Sam Taylor" "Design" sam sam-laptop \
	"Yes, I'll be there. Which room is it in?" \
	"Great. Could you send me the floor plans before we start?" \
	main-window.png log-pane.png
want zh_CN && shoot zh_CN wang "李明" "设计部" liming liming-pc \
	"参加。在哪个会议室？" \
	"好的。开会前能把平面图发给我吗？" \
	main-window-zh_CN.png
want ja && shoot ja yamada "佐藤花子" "デザイン部" sato sato-pc \
	"はい、参加します。どの会議室ですか？" \
	"ありがとうございます。始まる前に図面を送っていただけますか？" \
	main-window-ja.png

out="$LANCHAT_SOURCE_ROOT/data/screenshots"
mkdir -p "$out"
cp "$LAB_DIR/shots/"*.png "$out/"
if [ -n "${LANCHAT_SHOTS_BUILD:-}" ]; then
	mkdir -p "$LANCHAT_SHOTS_BUILD/screenshots"
	cp "$LAB_DIR/shots/"*.png "$LANCHAT_SHOTS_BUILD/screenshots/"
fi
ls "$LAB_DIR/shots" | sed "s|^|# wrote $out/|"
echo "PASS"

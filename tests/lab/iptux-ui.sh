# shellcheck shell=bash
# Driving a real iptux (Debian's 0.8.3, GTK 3) in a lab host with xdotool and gapplication.
# Source after lab.sh:
#
#   iptux_start HOST NICK SAVE_DIR   # iptux under Xvfb + a private session bus; IPTUX_PID
#   iptux_x cmd...                   # cmd in HOST with iptux's DISPLAY, XAUTHORITY and bus
#   iptux_wait_window REGEX MS       # poll for a window whose name matches; IPTUX_WIN
#   iptux_open_chat IP MS            # its chat with the pal at IP (fixed geometry); IPTUX_CHAT
#   iptux_attach file|folder PATH    # Ctrl+S / Ctrl+D, type PATH in the chooser, Return
#   iptux_send                       # Ctrl+Return in the chat: sends the attached files
#   iptux_close_chat                 # close the chat (before its pal restarts)
#   iptux_accept MS                  # Accept the offers listed in the chat, Save in SAVE_DIR
#   iptux_shot NAME                  # a screenshot of the display to $LAB_SCREENSHOTS/NAME.png
#
# There is no window manager: windows sit where GTK puts them and the keyboard goes where
# `xdotool windowfocus --sync` put it, so every step focuses its window first and waits for
# the window it expects by name (under load a dialog takes a while to map). The facts these
# recipes rest on (accelerators, dialog titles, iptux's receive pane) are in the notes
# "iptux-files.md" of wave 4; the source references are there.

IPTUX_HOST=
IPTUX_HOME=
IPTUX_PID=
IPTUX_WIN=
IPTUX_CHAT=
IPTUX_SAVE=
_IPTUX_DISPLAY=
_IPTUX_XAUTH=
_IPTUX_BUS=
IPTUX_APP_ID=io.github.iptux_src.iptux

# iptux_start HOST NICK SAVE_DIR: archive_path (the folder its save dialog preselects) is
# SAVE_DIR. Writes its display, X authority and session bus to $home/x11 for iptux_x.
iptux_start() {
	local host=$1 nick=$2 save=$3
	local tool
	for tool in iptux xvfb-run Xvfb dbus-run-session xauth xdotool gapplication; do
		command -v "$tool" >/dev/null 2>&1 ||
			lab_skip "$tool is not installed (build-aux/setup.sh installs the test packages)"
	done
	IPTUX_HOST=$host
	IPTUX_SAVE=$save
	IPTUX_HOME="$LAB_DIR/home-$host"
	mkdir -p "$IPTUX_HOME/.iptux" "$IPTUX_HOME/.config" "$IPTUX_HOME/.cache" \
		"$IPTUX_HOME/.local/share" "$save"
	printf '{\n  "nick_name" : "%s",\n  "belong_group" : "lab",\n  "archive_path" : "%s",\n  "open_chat" : false,\n  "open_transmission" : false,\n  "record_log" : false,\n  "sound_support" : false,\n  "msgsnd_support" : false,\n  "transnd_support" : false\n}\n' \
		"$nick" "$save" >"$IPTUX_HOME/.iptux/config.json"
	# iptux runs as its users run it: without meson's MALLOC_PERTURB_. With it, iptux
	# lists no offer from anyone: UdpData::RecvPalFile hands its thread a pointer into
	# a buffer freed before the thread reads it, and the poison shows.
	# shellcheck disable=SC2016 # expanded by the inner bash
	lab_spawn "$host" "$LAB_DIR/iptux-$host.log" env -u DISPLAY -u WAYLAND_DISPLAY \
		-u DBUS_SESSION_BUS_ADDRESS -u MALLOC_PERTURB_ \
		HOME="$IPTUX_HOME" XDG_CONFIG_HOME="$IPTUX_HOME/.config" \
		XDG_CACHE_HOME="$IPTUX_HOME/.cache" XDG_DATA_HOME="$IPTUX_HOME/.local/share" \
		XDG_RUNTIME_DIR="$IPTUX_HOME" GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 LANG=C.UTF-8 \
		xvfb-run -a -s "-nolisten tcp -screen 0 1024x768x24" \
		dbus-run-session -- bash -c 'printf "%s\n%s\n%s\n" "$DISPLAY" "$XAUTHORITY" \
			"$DBUS_SESSION_BUS_ADDRESS" >"$HOME/x11.tmp" && mv "$HOME/x11.tmp" "$HOME/x11" &&
			exec iptux'
	IPTUX_PID=$LAB_PID
	if ! lab_wait_for 20000 lab_udp_bound "$host"; then
		lab_dump "$LAB_DIR/iptux-$host.log"
		lab_fail "iptux in $host did not bind UDP $LAB_PORT within 20 s"
	fi
	lab_wait_for 5000 test -s "$IPTUX_HOME/x11" || lab_fail "xvfb-run wrote no display"
	_IPTUX_DISPLAY=$(sed -n 1p "$IPTUX_HOME/x11")
	_IPTUX_XAUTH=$(sed -n 2p "$IPTUX_HOME/x11")
	_IPTUX_BUS=$(sed -n 3p "$IPTUX_HOME/x11")
	# The main window is mapped a little after the sockets are bound.
	iptux_wait_window '^Iptux$' 10000 || lab_fail "iptux's main window did not appear"
}

# Through lab_exec, so the UTS hostname is the host's: the Xauthority cookie is per host.
iptux_x() {
	lab_exec "$IPTUX_HOST" env HOME="$IPTUX_HOME" DISPLAY="$_IPTUX_DISPLAY" \
		XAUTHORITY="$_IPTUX_XAUTH" DBUS_SESSION_BUS_ADDRESS="$_IPTUX_BUS" LANG=C.UTF-8 "$@"
}

_iptux_find() {
	IPTUX_WIN=$(iptux_x xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n1)
	[ -n "$IPTUX_WIN" ]
}

_iptux_gone() {
	! iptux_x xdotool search --onlyvisible --name "$1" 2>/dev/null | grep -q .
}

# iptux_wait_window REGEX MS: IPTUX_WIN = the first visible window whose name matches.
iptux_wait_window() {
	lab_wait_for "$2" _iptux_find "$1"
}

_iptux_chat_opened() {
	iptux_x gapplication action "$IPTUX_APP_ID" open-chat "'$1'" >/dev/null 2>&1
	lab_wait_for 1000 _iptux_find "^Talk with .* IP:$1\$"
}

# iptux_open_chat IP MS: app.open-chat does nothing until iptux lists the pal at IP, so ask
# again until the chat is there. The window gets a fixed place and size: iptux_accept
# clicks at a place inside it.
iptux_open_chat() {
	lab_wait_for "$2" _iptux_chat_opened "$1" || return 1
	IPTUX_CHAT=$IPTUX_WIN
	iptux_x xdotool windowmove --sync "$IPTUX_CHAT" 0 0 windowsize --sync "$IPTUX_CHAT" 900 600 \
		2>/dev/null
	return 0
}

# iptux_attach file|folder PATH: the chooser's location entry (Ctrl+L) takes the path.
# A folder path must end in '/' and hold no single subfolder: GTK completes inline to
# the only subfolder, and Return would then attach that one (see the notes).
iptux_attach() {
	local kind=$1 path=$2 key title try
	case "$kind" in
	file) key=ctrl+s title='^Choose enclosure files$' ;;
	folder) key=ctrl+d title='^Choose enclosure folders$' ;;
	*) lab_fail "iptux_attach: file or folder, not $kind" ;;
	esac
	for try in 1 2 3; do
		iptux_x xdotool windowfocus --sync "$IPTUX_CHAT" key "$key" 2>/dev/null
		if ! iptux_wait_window "$title" 8000; then
			lab_log "iptux_attach $kind: no chooser (try $try)"
			continue
		fi
		local dialog=$IPTUX_WIN
		iptux_x xdotool windowfocus --sync "$dialog" key ctrl+l 2>/dev/null
		# X delivers the keys in order: GTK shows and focuses the entry on Ctrl+L
		# before it reads the keys typed next.
		iptux_x xdotool windowfocus --sync "$dialog" key ctrl+a type --delay 15 "$path" 2>/dev/null
		iptux_x xdotool windowfocus --sync "$dialog" key Return 2>/dev/null
		lab_wait_for 5000 _iptux_gone "$title" && return 0
		lab_log "iptux_attach $kind: the chooser did not take $path (try $try)"
		iptux_x xdotool windowfocus --sync "$dialog" key Escape 2>/dev/null
		lab_wait_for 3000 _iptux_gone "$title"
	done
	return 1
}

# iptux_close_chat: Ctrl+W (app.window.close: the focused window), else its Close button.
# A chat must not be open while its pal announces itself again (a new lanchat-cli run):
# iptux refreshes the chat's pal info from its UDP thread, and GTK then crashed in
# gtk_text_layout_validate_yrange (seen in the lab).
iptux_close_chat() {
	[ -n "$IPTUX_CHAT" ] || return 0
	local name
	name=$(iptux_x xdotool getwindowname "$IPTUX_CHAT" 2>/dev/null) || { IPTUX_CHAT=; return 0; }
	iptux_x xdotool windowfocus --sync "$IPTUX_CHAT" key ctrl+w 2>/dev/null
	if ! lab_wait_for 3000 _iptux_gone "^$name\$"; then
		iptux_x xdotool mousemove --window "$IPTUX_CHAT" 575 581 click 1 2>/dev/null
		lab_wait_for 3000 _iptux_gone "^$name\$" || return 1
	fi
	IPTUX_CHAT=
}

iptux_send() {
	iptux_x xdotool windowfocus --sync "$IPTUX_CHAT" key ctrl+Return 2>/dev/null
}

_iptux_click_accept() {
	# The Accept button of the "Files to be received" pane: the pane keeps its width at
	# the window's right edge, the button is its first row (900x600 window, see above).
	iptux_x xdotool mousemove --window "$IPTUX_CHAT" 885 77 click 1 2>/dev/null
	lab_wait_for 1500 _iptux_find '^Please select a folder to save files\.$'
}

# iptux_accept MS: click Accept until the save dialog comes (the pane is drawn once the
# offer is listed), then _Save (Alt+S: the dialog has no default response, Return does
# nothing): iptux fetches every listed offer into its archive_path.
iptux_accept() {
	lab_wait_for "$1" _iptux_click_accept || return 1
	local dialog=$IPTUX_WIN
	iptux_x xdotool windowfocus --sync "$dialog" key alt+s 2>/dev/null
	lab_wait_for 5000 _iptux_gone '^Please select a folder to save files\.$'
}

iptux_shot() {
	local dir=${LAB_SCREENSHOTS:-$LAB_DIR}
	mkdir -p "$dir" && command -v import >/dev/null 2>&1 &&
		iptux_x import -window root "$dir/$1.png" 2>/dev/null && lab_log "screenshot $dir/$1.png"
}

#!/bin/sh
# `meson install` into a temporary DESTDIR, then check that everything a user
# or a distribution needs is in the installed tree, and that the installed
# lanchat-cli runs (`--help` only: it opens no socket).
#
# usage: test-install.sh BUILD_ROOT SOURCE_ROOT BINDIR DATADIR LOCALEDIR app|no-app
#   BINDIR, DATADIR, LOCALEDIR are the absolute install paths (prefix included).
set -eu

if [ "$#" -ne 6 ]; then
	echo "usage: $0 BUILD_ROOT SOURCE_ROOT BINDIR DATADIR LOCALEDIR app|no-app" >&2
	exit 2
fi
build_root=$1
source_root=$2
bindir=$3
datadir=$4
localedir=$5
app=$6

app_id=io.github.lanchat.Lanchat
meson=${MESON:-meson}

work=$(mktemp -d "${TMPDIR:-/tmp}/lanchat-install.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
dest=$work/dest

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() {
	echo "ok: $*"
}

# --no-rebuild: `meson test` has built everything already; a second ninja in
# the same build directory while other tests run could race it.
if ! "$meson" install -C "$build_root" --no-rebuild --destdir "$dest" >"$work/install.log" 2>&1; then
	sed 's/^/  | /' "$work/install.log"
	echo "FAIL: meson install -C $build_root --destdir $dest failed (log above)"
	exit 1
fi
ok "meson install --destdir"

# A regular, non-empty file at this installed path.
check_file() {
	if [ -f "$dest$1" ] && [ -s "$dest$1" ]; then
		ok "installed $1"
	else
		fail "meson install did not install $1"
	fi
}

check_exe() {
	if [ -f "$dest$1" ] && [ -x "$dest$1" ]; then
		ok "installed $1 (executable)"
	else
		fail "meson install did not install the executable $1"
	fi
}

# --- binaries ---------------------------------------------------------------
check_exe "$bindir/lanchat-cli"
if [ "$app" = app ]; then
	check_exe "$bindir/lanchat"
else
	echo "# the GTK app is not built in this build directory (no gtk4/libadwaita or -Dapp=disabled):"
	echo "# checking only what the CLI build installs"
fi

# --- desktop integration (built with the app only) --------------------------
if [ "$app" = app ]; then
	desktop=$datadir/applications/$app_id.desktop
	metainfo=$datadir/metainfo/$app_id.metainfo.xml
	schema=$datadir/glib-2.0/schemas/$app_id.gschema.xml
	icon=$datadir/icons/hicolor/scalable/apps/$app_id.svg
	symbolic=$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg
	service=$datadir/dbus-1/services/$app_id.service

	licence=$datadir/licenses/$app_id/COPYING

	for f in "$desktop" "$metainfo" "$schema" "$icon" "$symbolic" "$service" "$licence"; do
		check_file "$f"
	done

	# The licence installed is the tree's, and it is the GPL version 3 the
	# metainfo and meson.build declare (GPL-3.0-or-later).
	if [ -f "$dest$licence" ]; then
		if ! cmp -s "$dest$licence" "$source_root/COPYING"; then
			fail "$licence differs from COPYING"
		elif head -n 3 "$dest$licence" | grep -q 'GNU GENERAL PUBLIC LICENSE' &&
			head -n 3 "$dest$licence" | grep -q 'Version 3, 29 June 2007'; then
			ok "$licence is the GPL version 3"
		else
			fail "$licence does not start with the GNU GPL version 3 heading"
		fi
	fi

	# Merged files and configured files must have nothing left to substitute.
	for f in "$desktop" "$metainfo" "$service"; do
		if [ -f "$dest$f" ] && grep -n '@[A-Za-z_]*@' "$dest$f" >"$work/subst" 2>/dev/null; then
			fail "$f still has unsubstituted @variables@:"
			sed 's/^/  | /' "$work/subst"
		fi
	done

	if [ -f "$dest$desktop" ]; then
		exec_line=$(sed -n 's/^Exec=//p' "$dest$desktop" | head -n 1)
		exec_bin=${exec_line%% *}
		if [ "$exec_bin" = lanchat ] || [ "$exec_bin" = "$bindir/lanchat" ]; then
			ok "$desktop: Exec=$exec_line"
		else
			fail "$desktop: Exec=$exec_line does not start the installed lanchat"
		fi
	fi

	# D-Bus activation (DBusActivatable=true) starts exactly what this says.
	if [ -f "$dest$service" ]; then
		name=$(sed -n 's/^Name=//p' "$dest$service" | head -n 1)
		exec_line=$(sed -n 's/^Exec=//p' "$dest$service" | head -n 1)
		exec_bin=${exec_line%% *}
		[ "$name" = "$app_id" ] || fail "$service: Name=$name, want $app_id"
		if [ "$exec_bin" = "$bindir/lanchat" ]; then
			ok "$service: Exec=$exec_line"
		else
			fail "$service: Exec=$exec_line, want $bindir/lanchat (the installed binary)"
		fi
	fi

	# Post-install compiles the schemas on the target; make sure it would work.
	if [ -f "$dest$schema" ] && command -v glib-compile-schemas >/dev/null 2>&1; then
		if glib-compile-schemas --strict --dry-run "$dest$datadir/glib-2.0/schemas" >"$work/schemas.log" 2>&1; then
			ok "installed schemas compile (glib-compile-schemas --strict)"
		else
			sed 's/^/  | /' "$work/schemas.log"
			fail "installed schemas do not compile"
		fi
	fi
fi

# --- translations -------------------------------------------------------------
linguas=$(sed 's/#.*//' "$source_root/po/LINGUAS" | tr -s ' \t' '\n' | sed '/^$/d')
if [ -z "$linguas" ]; then
	echo "# po/LINGUAS lists no language: no .mo file to check"
fi
for lang in $linguas; do
	mo=$localedir/$lang/LC_MESSAGES/lanchat.mo
	check_file "$mo"
	if [ -s "$dest$mo" ] && command -v msgunfmt >/dev/null 2>&1; then
		if ! msgunfmt "$dest$mo" >/dev/null 2>"$work/msgunfmt.log"; then
			sed 's/^/  | /' "$work/msgunfmt.log"
			fail "$mo is not a valid message catalogue"
		fi
	fi
done

# --- the installed CLI runs ------------------------------------------------------
cli=$dest$bindir/lanchat-cli
if [ -x "$cli" ]; then
	run_help() {
		# --help prints and exits inside option parsing, before any socket exists.
		if command -v timeout >/dev/null 2>&1; then
			LANGUAGE='' timeout 30 "$cli" --help
		else
			LANGUAGE='' "$cli" --help
		fi
	}
	rc=0
	run_help >"$work/help.out" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		sed 's/^/  | /' "$work/help.out"
		fail "installed lanchat-cli --help exited $rc (want 0)"
	else
		missing=
		for word in peers send listen bot; do
			grep -qw "$word" "$work/help.out" || missing="$missing $word"
		done
		if [ -n "$missing" ]; then
			sed 's/^/  | /' "$work/help.out"
			fail "installed lanchat-cli --help does not mention:$missing"
		else
			ok "installed lanchat-cli --help exits 0 and names peers, send, listen, bot"
		fi
	fi
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures install check(s) failed; installed tree:"
	(cd "$dest" && find . \( -type f -o -type l \) | sort | sed 's/^\./  /')
	exit 1
fi
echo "all install checks passed"

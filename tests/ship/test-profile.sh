#!/bin/sh
# The development profile is a different app: a build set up with
# -Dprofile=development (in a temporary directory; only its data files are
# built) has the .Devel app id in config.h, its desktop file, metainfo, D-Bus
# service and settings schema (own id and path), its own data folder name and
# the devel style class switch on, while this build keeps the release's; and
# the two install nothing at the same path but the programs and translations
# (which a Flatpak keeps apart, each in its own /app).
#
# usage: test-profile.sh SOURCE_ROOT BUILD_ROOT
set -eu

if [ "$#" -ne 2 ]; then
	echo "usage: $0 SOURCE_ROOT BUILD_ROOT" >&2
	exit 2
fi
source_root=$1
build_root=$2
meson=${MESON:-meson}
release=io.github.lanchat.Lanchat
devel=$release.Devel

work=$(mktemp -d "${TMPDIR:-/tmp}/lanchat-profile.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() {
	echo "ok: $*"
}

if ! "$meson" setup "$work/devel" "$source_root" -Dprofile=development -Dtests=false \
	-Dapp=enabled >"$work/setup.log" 2>&1; then
	sed 's/^/  | /' "$work/setup.log"
	echo "FAIL: meson setup -Dprofile=development failed"
	exit 1
fi
# (The D-Bus service file is written at setup.)
if ! ninja -C "$work/devel" "data/$devel.desktop" "data/$devel.metainfo.xml" \
	data/gschemas.compiled >"$work/build.log" 2>&1; then
	sed 's/^/  | /' "$work/build.log"
	echo "FAIL: building the development profile's data files failed"
	exit 1
fi
ok "meson setup -Dprofile=development, data files built"

# config.h: what the C code sees.
check_config() {
	dir=$1 id=$2 dev=$3 data=$4
	grep -qx "#define APP_ID \"$id\"" "$dir/config.h" || fail "$dir/config.h: APP_ID is not \"$id\""
	grep -qx "#define DEVELOPMENT_PROFILE $dev" "$dir/config.h" ||
		fail "$dir/config.h: DEVELOPMENT_PROFILE is not $dev"
	grep -qx "#define DATA_DIR_NAME \"$data\"" "$dir/config.h" ||
		fail "$dir/config.h: DATA_DIR_NAME is not \"$data\""
}
check_config "$build_root" "$release" 0 lanchat
check_config "$work/devel" "$devel" 1 lanchat-devel
[ "$failures" = 0 ] && ok "config.h: $release (lanchat) here, $devel (lanchat-devel, devel style) there"

d=$work/devel/data
grep -qx "Icon=$devel" "$d/$devel.desktop" || fail "$devel.desktop: Icon= is not $devel"
grep -q "<id>$devel</id>" "$d/$devel.metainfo.xml" || fail "$devel.metainfo.xml: <id> is not $devel"
grep -q "<launchable type=\"desktop-id\">$devel.desktop</launchable>" "$d/$devel.metainfo.xml" ||
	fail "$devel.metainfo.xml: the launchable is not $devel.desktop"
grep -qx "Name=$devel" "$d/$devel.service" || fail "$devel.service: Name= is not $devel"
grep -q "<schema id=\"$devel\" path=\"/io/github/lanchat/Lanchat/Devel/\">" "$d/$devel.gschema.xml" ||
	fail "$devel.gschema.xml: not schema $devel at /io/github/lanchat/Lanchat/Devel/"
if command -v gsettings >/dev/null 2>&1; then
	schemas=$(gsettings --schemadir "$d" list-schemas 2>/dev/null | grep '^io\.github\.lanchat' || true)
	[ "$schemas" = "$devel" ] || fail "the development build compiles the schemas [$schemas], want $devel alone"
fi
[ "$failures" = 0 ] && ok "$devel: desktop file, metainfo, D-Bus service and schema (own path)"

# Installed paths: none shared but the programs and the translations.
installed() {
	"$meson" introspect --installed "$1" | python3 -c '
import json, sys
for dest in sorted(set(json.load(sys.stdin).values())):
    print(dest)'
}
if command -v python3 >/dev/null 2>&1; then
	installed "$build_root" >"$work/release.list"
	installed "$work/devel" >"$work/devel.list"
	sort "$work/release.list" "$work/devel.list" | uniq -d |
		grep -Ev '/bin/lanchat(-cli)?$|/locale/[^/]+/LC_MESSAGES/lanchat\.mo$' >"$work/shared" || true
	if [ -s "$work/shared" ]; then
		fail "the release and the development build both install:"
		sed 's/^/  | /' "$work/shared"
	else
		ok "the two profiles install no file at the same path but the programs and translations"
	fi
else
	echo "# python3 not found: the installed paths are not compared"
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures profile check(s) failed"
	exit 1
fi
echo "all profile checks passed"

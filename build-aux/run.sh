#!/bin/sh
# Quick start: install what is missing, build, and start Lanchat from the
# build tree (no install needed). Arguments go to the app.
#
#   ./build-aux/run.sh [LANCHAT-ARGUMENTS...]
#
#   LANCHAT_BUILD_DIR=DIR  build directory (default: build)
#   LANCHAT_NO_SETUP=1     skip the package check (a machine already set up;
#                          the quick-start test uses it)
#
# The app runs through `meson devenv`, which points it at the build tree's
# compiled settings schema, translations and icons (see meson.build). Its
# settings are kept like an installed app's (dconf), so a preference changed
# in one run is there in the next.
set -eu

caller_dir=$(pwd)
# A relative LANCHAT_BUILD_DIR means the caller's directory, not the tree's.
case ${LANCHAT_BUILD_DIR:-} in
  "" | /*) ;;
  *) LANCHAT_BUILD_DIR=$caller_dir/$LANCHAT_BUILD_DIR ;;
esac
cd "$(dirname "$0")/.."
build=${LANCHAT_BUILD_DIR:-build}

if [ "${LANCHAT_NO_SETUP:-}" != 1 ]; then
  sh build-aux/setup.sh
fi

# The value of the `app` option in an existing build directory, or nothing
# when the directory is not a usable meson build (never set up, set up half
# way, or by an incompatible meson).
app_option () {
  meson introspect "$build" --buildoptions 2>/dev/null |
    python3 -c 'import json, sys
for option in json.load(sys.stdin):
    if option["name"] == "app":
        print(option["value"])' 2>/dev/null || true
}

if [ ! -e "$build" ]; then
  meson setup "$build" -Dapp=enabled
elif [ ! -f "$build/build.ninja" ] || [ -z "$(app_option)" ]; then
  if [ -f "$build/meson-private/coredata.dat" ] || [ -z "$(ls -A "$build")" ]; then
    echo "run.sh: $build is not a complete build directory: setting it up again" >&2
    meson setup --wipe "$build" -Dapp=enabled 2>/dev/null || meson setup "$build" -Dapp=enabled
  else
    echo "run.sh: $build exists and is not a meson build directory; move it away or set LANCHAT_BUILD_DIR" >&2
    exit 1
  fi
elif [ "$(app_option)" != enabled ]; then
  echo "run.sh: $build was set up without the app (-Dapp=$(app_option)): enabling it" >&2
  meson configure "$build" -Dapp=enabled
fi

if ! meson compile -C "$build"; then
  # A build directory left behind by an older checkout or meson can fail to
  # regenerate; one fresh configuration is worth a try before giving up.
  echo "run.sh: the build failed; configuring $build again and retrying once" >&2
  meson setup --reconfigure "$build" -Dapp=enabled
  meson compile -C "$build"
fi

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run.sh: Lanchat is built, but there is no display to show it on (neither DISPLAY nor" >&2
  echo "WAYLAND_DISPLAY is set). Run this from a desktop session, or use the command line:" >&2
  echo "  $build/src/cli/lanchat-cli --help" >&2
  exit 1
fi

# meson devenv puts the build tree's data in front of XDG_DATA_DIRS; without
# the system's directories behind it, GTK would find no theme icons.
XDG_DATA_DIRS=${XDG_DATA_DIRS:-/usr/local/share:/usr/share}
export XDG_DATA_DIRS
exec meson devenv -C "$build" --workdir "$caller_dir" lanchat "$@"

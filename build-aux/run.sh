#!/bin/sh
# Quick start: install what is missing, build, and start Lanchat.
set -eu
cd "$(dirname "$0")/.."
sh build-aux/setup.sh
[ -d build ] || meson setup build
meson compile -C build
exec build/src/app/lanchat "$@"

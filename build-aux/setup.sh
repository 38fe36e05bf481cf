#!/bin/sh
# Install what Lanchat needs to build (and, with --tests, to test) on Debian 12
# or Ubuntu, as root or through sudo. Installs only what is missing.
set -eu

# dconf-gsettings-backend: without it GLib keeps settings in memory only, and
# a preference changed in one run of the app is gone in the next.
build_packages="meson ninja-build pkg-config gcc gettext libglib2.0-dev libgtk-4-dev
  libadwaita-1-dev libjson-glib-dev libsqlite3-dev libportal-gtk4-dev desktop-file-utils appstream
  dconf-gsettings-backend"
test_packages="clang xvfb xauth dbus dbus-x11 iproute2 nftables util-linux iptux
  fonts-cantarell fonts-noto-cjk tshark python3 locales xdotool imagemagick"

packages=$build_packages
if [ "${1:-}" = "--tests" ]; then
  packages="$packages $test_packages"
fi

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

# libFuzzer's and the sanitizers' runtime come with clang's own runtime
# package, whose name carries the clang version. Whether it is there is asked
# of clang itself, by linking a fuzz target: file names differ by
# architecture and by LLVM's runtime layout.
has_fuzzer_runtime () {
  command -v clang >/dev/null 2>&1 || return 1
  probe=$(mktemp -d)
  printf 'int LLVMFuzzerTestOneInput (const unsigned char *d, unsigned long n) { return 0; }\n' >"$probe/probe.c"
  clang -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" >/dev/null 2>&1
  found=$?
  rm -rf "$probe"
  return $found
}
if [ "${1:-}" = "--tests" ] && ! has_fuzzer_runtime; then
  missing="$missing clang-rt"
fi

if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  sudo="none"
fi

# The UI suite runs the app in Chinese and Japanese: those locales must exist.
ensure_locales () {
  [ "${1:-}" = "--tests" ] || return 0
  locale -a 2>/dev/null | grep -qi '^zh_CN.utf8$' && return 0
  [ "$sudo" = none ] && { echo "setup: zh_CN.UTF-8 is missing; the locale tests will fall back" >&2; return 0; }
  $sudo sed -i -E 's/^# *(zh_CN\.UTF-8 UTF-8|ja_JP\.UTF-8 UTF-8)/\1/' /etc/locale.gen
  $sudo locale-gen
}

if [ -z "$missing" ]; then
  ensure_locales "${1:-}"
  exit 0
fi

if [ "$sudo" = none ]; then
  echo "setup: these packages are missing and I am not root (no sudo):$missing" >&2
  exit 1
fi

echo "setup: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
list=""
for p in $missing; do
  if [ "$p" = clang-rt ]; then
    # Debian 12: libclang-rt-14-dev; newer releases also have a plain libclang-rt-dev.
    for candidate in libclang-rt-dev "libclang-rt-$(clang --version 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p' | head -n1)-dev" libclang-rt-14-dev; do
      if apt-cache show "$candidate" >/dev/null 2>&1; then
        list="$list $candidate"
        break
      fi
    done
  else
    list="$list $p"
  fi
done
# clang must be there before its runtime's name can be worked out above.
$sudo apt-get install -y -q --no-install-recommends $list
ensure_locales "${1:-}"

#!/bin/sh
# Run a UI test program the way the DESIGN asks: in a network namespace of
# its own with only loopback up (nothing it sends can leave the machine),
# under Xvfb, on a private session bus. Skips (77) where no namespace can
# be made.
#
#   run-ui-test.sh PROGRAM [ARGS...]
set -eu

# The ISOLATED variable alone proves nothing (it may be inherited): trust it
# only in a network namespace other than init's, or than the one the wrapper
# started from where init's cannot be read.
in_own_netns () {
  here=$(readlink /proc/self/ns/net 2>/dev/null) || return 1
  outer=$(readlink /proc/1/ns/net 2>/dev/null) || outer=${LANCHAT_OUTER_NETNS:-}
  [ -n "$outer" ] && [ "$here" != "$outer" ]
}
if [ "${LANCHAT_UI_ISOLATED:-}" != 1 ] || ! in_own_netns; then
  if [ "$(id -u)" = 0 ]; then
    flags=--net
  else
    flags="--net --map-root-user"
  fi
  if ! unshare $flags true 2>/dev/null; then
    echo "1..0 # SKIP cannot make a network namespace (unshare --net)"
    exit 77
  fi
  for tool in xvfb-run dbus-run-session; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "1..0 # SKIP $tool is not installed"
      exit 77
    fi
  done
  PATH="$PATH:/usr/sbin:/sbin"
  LANCHAT_OUTER_NETNS=$(readlink /proc/self/ns/net)
  export PATH LANCHAT_OUTER_NETNS
  LANCHAT_UI_ISOLATED=1 exec unshare $flags "$0" "$@"
fi

ip link set lo up

# A screen large enough for the default window size, at 24 bits so the
# screenshots have real colours.
exec xvfb-run -a -s "-screen 0 1280x900x24 -nolisten tcp" \
  dbus-run-session -- \
  env GSETTINGS_BACKEND=memory \
      GSK_RENDERER="${GSK_RENDERER:-cairo}" \
      G_DEBUG="${G_DEBUG:-fatal-criticals}" \
      GTK_A11Y="${GTK_A11Y:-none}" \
      NO_AT_BRIDGE=1 \
      "$@"

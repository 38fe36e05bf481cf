#!/bin/sh
# Run a UI test program the way the DESIGN asks: in a network namespace of
# its own with only loopback up (nothing it sends can leave the machine),
# under Xvfb, on a private session bus. Skips (77) where no namespace can
# be made.
#
#   run-ui-test.sh PROGRAM [ARGS...]
set -eu

if [ "${LANCHAT_UI_ISOLATED:-}" != 1 ]; then
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
  export PATH
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

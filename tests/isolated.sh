#!/bin/sh
# Run a command in a network namespace of its own with only loopback up, so
# nothing a test sends can leave this machine. Skips (77) where no namespace
# can be made.
set -eu
if [ "${LANCHAT_ISOLATED:-}" = 1 ]; then
  exec "$@"
fi
if [ "$(id -u)" = 0 ]; then
  flags=--net
else
  flags="--net --map-root-user"
fi
if ! unshare $flags true 2>/dev/null; then
  echo "1..0 # SKIP cannot make a network namespace (unshare --net)"
  exit 77
fi
PATH="$PATH:/usr/sbin:/sbin"
export PATH
exec unshare $flags sh -c 'ip link set lo up && LANCHAT_ISOLATED=1 exec "$@"' isolated "$@"

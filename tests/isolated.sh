#!/bin/sh
# Run a command in a network namespace of its own with only loopback up, so
# nothing a test sends can leave this machine. Skips (77) where no namespace
# can be made.
set -eu
# The ISOLATED variable alone proves nothing (it may be inherited): trust it
# only in a network namespace other than init's, or than the one the wrapper
# started from where init's cannot be read.
in_own_netns () {
  here=$(readlink /proc/self/ns/net 2>/dev/null) || return 1
  outer=$(readlink /proc/1/ns/net 2>/dev/null) || outer=${LANCHAT_OUTER_NETNS:-}
  [ -n "$outer" ] && [ "$here" != "$outer" ]
}
if [ "${LANCHAT_ISOLATED:-}" = 1 ] && in_own_netns; then
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
LANCHAT_OUTER_NETNS=$(readlink /proc/self/ns/net)
export PATH LANCHAT_OUTER_NETNS
exec unshare $flags sh -c 'ip link set lo up && LANCHAT_ISOLATED=1 exec "$@"' isolated "$@"

/* lan-targets.h — the user's extra targets: hosts, broadcast addresses, ranges, CIDR blocks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-wire.h"

G_BEGIN_DECLS

/* Parse one target spec ("10.1.2.3", "10.1.2.255", "10.1.2.10-50",
 * "10.1.0.0/22", each with an optional ":port") into LanEndpoints (default
 * port @port), appending to @out; fails past @max endpoints in all. */
gboolean lan_targets_parse (const char  *spec,
                            guint16      port,
                            GArray      *out,
                            guint        max,
                            GError     **error);
/* Whether @spec parses, alone, within the bound. */
gboolean lan_targets_check (const char  *spec,
                            GError     **error);

/* The user's extra targets, and one packet at a time paced out to them
 * (LAN_MESSENGER_TARGETS_PER_TICK every LAN_MESSENGER_TARGET_TICK_MS), so
 * that a /20 doesn't burst 4096 datagrams. */
#define LAN_TYPE_TARGETS (lan_targets_get_type ())
G_DECLARE_FINAL_TYPE (LanTargets, lan_targets, LAN, TARGETS, GObject)

/* Returns: (transfer full) */
LanTargets *lan_targets_new   (LanWire     *wire);
/* Adds what @spec names (see lan_targets_parse), at most LAN_MESSENGER_MAX_TARGETS in all. */
gboolean    lan_targets_add   (LanTargets  *self,
                               const char  *spec,
                               guint16      default_port,
                               GError     **error);
void        lan_targets_clear (LanTargets  *self);
/* Send @datagram to every target: at once, or @paced (superseding one still going out). */
void        lan_targets_send  (LanTargets  *self,
                               GBytes      *datagram,
                               gboolean     paced);
/* Drop what was still being paced out. */
void        lan_targets_stop  (LanTargets  *self);
/* Whether what went to the targets may have reached @from: it is one, or
 * is on its port in the block a broadcast-looking target stands for (its
 * trailing one bits, up to a /16: 10.1.2.255 is 10.1.2.0/24). */
gboolean    lan_targets_reach (LanTargets  *self,
                               LanEndpoint  from);

G_END_DECLS

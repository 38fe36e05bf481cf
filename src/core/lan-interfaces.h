/* lan-interfaces.h — the host's IPv4 interfaces and their broadcast addresses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lan-types.h"

G_BEGIN_DECLS

typedef struct {
  char    *name;       /* "eth0" */
  guint32  address;    /* host byte order */
  guint32  netmask;
  guint32  broadcast;  /* 0 when the interface has no broadcast address */
  gboolean loopback;
} LanInterface;

/* The IPv4 interfaces that are up, as LanInterface (free func set). Never NULL. */
/* Returns: (transfer full) */
GPtrArray *lan_interfaces_list             (void);
/* TRUE when @address is one of the host's own IPv4 addresses. */
gboolean   lan_interfaces_is_local_address (GPtrArray *interfaces,
                                            guint32    address);
/* TRUE when some non-loopback interface can broadcast. */
gboolean   lan_interfaces_can_broadcast    (GPtrArray *interfaces);
/* TRUE when the kernel has an IPv4 default route (/proc/net/route). */
gboolean   lan_interfaces_has_default_route (void);
void       lan_interface_free              (LanInterface *iface);

/* Where a broadcast from @local goes: the broadcast address (port
 * @local.port) of each interface it listens on, and 255.255.255.255 where
 * there is a route for it.
 * Returns: (transfer full) (element-type LanEndpoint) */
GArray    *lan_interfaces_broadcast_targets (GPtrArray  *interfaces,
                                             LanEndpoint local);

G_END_DECLS

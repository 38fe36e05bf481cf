/* lan-route-cache.h — which of our addresses the kernel sends from, per
 * destination, asked once and remembered until the network changes.
 *
 * A socket bound to 0.0.0.0 does not know its source address until the
 * kernel routes each datagram; the packet log must show the real one. The
 * cache is bounded (destinations come from the network) and knows nothing
 * of sockets: the lookup is a function, the kernel's by default.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The source address (host byte order) the kernel would use to reach
 * @destination, or 0 when there is no route. */
typedef guint32 (*LanRouteLookupFunc) (guint32  destination,
                                       gpointer user_data);

typedef struct _LanRouteCache LanRouteCache;

/* At most this many destinations are remembered; past it the cache starts
 * afresh, which costs one lookup per destination. */
#define LAN_ROUTE_CACHE_MAX 1024

/* @lookup NULL: the kernel's (lan_route_lookup_kernel()).
 * Returns: (transfer full) */
LanRouteCache *lan_route_cache_new        (LanRouteLookupFunc  lookup,
                                           gpointer            user_data);
void           lan_route_cache_free       (LanRouteCache      *self);
/* The source for @destination: for a broadcast address of one of
 * @interfaces (a GPtrArray of LanInterface, may be NULL), that interface's
 * address; otherwise the lookup's answer, remembered (a failure, 0, too). */
guint32        lan_route_cache_get_source (LanRouteCache      *self,
                                           GPtrArray          *interfaces,
                                           guint32             destination);
/* Forget everything: the routes may have changed. */
void           lan_route_cache_clear      (LanRouteCache      *self);
guint          lan_route_cache_get_size   (LanRouteCache      *self);

/* Asks the kernel: a UDP socket connect()ed to @destination (which sends
 * nothing) and getsockname(). 0 when there is no route. */
guint32        lan_route_lookup_kernel    (guint32             destination,
                                           gpointer            user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanRouteCache, lan_route_cache_free)

G_END_DECLS

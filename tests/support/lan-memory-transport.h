/* lan-memory-transport.h — an in-memory LAN for tests: a hub
 * (LanMemoryNetwork) and transports attached to it, one address each.
 *
 * A datagram sent to a member's address:port reaches that member; one sent
 * to 255.255.255.255 or to the hub's subnet broadcast reaches every member
 * bound on that port, the sender included (the kernel loops broadcasts
 * back); one sent to nobody is dropped. Delivery is asynchronous, in order,
 * from a source on the main context the network was made on, so handlers
 * are re-entered the way real sockets re-enter them. No socket is opened.
 *
 * Test hooks: datagrams injected "from" any address:port, what each member
 * sent (captured), drop rules (the next N, a fraction with a seeded GRand,
 * or a filter), and a member that is down.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-transport.h"

G_BEGIN_DECLS

#define LAN_TYPE_MEMORY_NETWORK (lan_memory_network_get_type ())
G_DECLARE_FINAL_TYPE (LanMemoryNetwork, lan_memory_network, LAN, MEMORY_NETWORK, GObject)

#define LAN_TYPE_MEMORY_TRANSPORT (lan_memory_transport_get_type ())
G_DECLARE_FINAL_TYPE (LanMemoryTransport, lan_memory_transport, LAN, MEMORY_TRANSPORT, LanTransport)

/* Return TRUE to drop the datagram from @from to @to. */
typedef gboolean (*LanMemoryFilterFunc) (LanEndpoint   from,
                                         LanEndpoint   to,
                                         const guint8 *data,
                                         gsize         len,
                                         gpointer      user_data);

/* One datagram a member sent, as it handed it over. */
typedef struct {
  LanEndpoint  to;
  GBytes      *bytes;
  gboolean     dropped;   /* by a drop rule, the filter, or because it was down */
} LanMemorySent;

/* A hub for @subnet ("10.77.0.0/24"; NULL: that one).
 * Returns: (transfer full) */
LanMemoryNetwork   *lan_memory_network_new           (const char          *subnet);
/* The subnet's broadcast address (10.77.0.255 for 10.77.0.0/24), host order. */
guint32             lan_memory_network_get_broadcast (LanMemoryNetwork    *self);
/* The same as "a.b.c.d" (a static buffer per network). Returns: (transfer none) */
const char         *lan_memory_network_get_broadcast_string (LanMemoryNetwork *self);
/* Deliver @data from @from to @to as if some host had sent it: spoofed
 * sources and crafted packets. It goes through the filter, not through any
 * member's drop rules. */
void                lan_memory_network_inject        (LanMemoryNetwork    *self,
                                                      LanEndpoint          from,
                                                      LanEndpoint          to,
                                                      const guint8        *data,
                                                      gsize                len);
/* @text and its terminating NUL, as IPMsg clients send it; @from and @to
 * are "10.77.0.9:2425" or "10.77.0.9" (port 2425). */
void                lan_memory_network_inject_text   (LanMemoryNetwork    *self,
                                                      const char          *from,
                                                      const char          *to,
                                                      const char          *text);
void                lan_memory_network_set_filter    (LanMemoryNetwork    *self,
                                                      LanMemoryFilterFunc  filter,
                                                      gpointer             user_data);
/* Datagrams queued and not delivered yet. */
guint               lan_memory_network_get_n_queued  (LanMemoryNetwork    *self);
/* Datagrams that reached nobody, or were dropped by a rule. */
guint64             lan_memory_network_get_n_dropped (LanMemoryNetwork    *self);
/* Deliver everything queued now and what that causes (up to 1000 rounds),
 * without waiting for the main loop; returns how many were handled. */
guint               lan_memory_network_flush         (LanMemoryNetwork    *self);

/* A member of @network at @address ("10.77.0.2"), not bound yet. Several
 * members may share an address: they are then processes on one host, and
 * compete for its ports.
 * Returns: (transfer full) */
LanMemoryTransport *lan_memory_transport_new         (LanMemoryNetwork    *network,
                                                      const char          *address);
guint32             lan_memory_transport_get_address (LanMemoryTransport  *self);
/* Returns: (transfer none) */
LanMemoryNetwork   *lan_memory_transport_get_network (LanMemoryTransport  *self);
/* Down: nothing reaches it and what it sends is lost (it still "sends"). */
void                lan_memory_transport_set_down    (LanMemoryTransport  *self,
                                                      gboolean             down);
/* Lose the next @count datagrams in @direction (IN: arriving, OUT: sent). */
void                lan_memory_transport_drop_next   (LanMemoryTransport  *self,
                                                      LanDirection         direction,
                                                      guint                count);
/* Lose this @fraction of the datagrams in @direction, drawn from a GRand
 * seeded with @seed, so a run can be repeated. */
void                lan_memory_transport_set_loss    (LanMemoryTransport  *self,
                                                      LanDirection         direction,
                                                      double               fraction,
                                                      guint32              seed);
guint               lan_memory_transport_get_n_sent  (LanMemoryTransport  *self);
/* The @index-th datagram it sent since the last clear.
 * Returns: (transfer none) */
const LanMemorySent *lan_memory_transport_get_sent   (LanMemoryTransport  *self,
                                                      guint                index);
void                lan_memory_transport_clear_sent  (LanMemoryTransport  *self);
/* The IPMsg packets it sent with command mode @mode (LAN_IPMSG_MODE), to
 * @to (NULL: to anyone), dropped ones included, oldest first.
 * Returns: (transfer full) (element-type LanIpmsgPacket) */
GPtrArray          *lan_memory_transport_find_sent   (LanMemoryTransport  *self,
                                                      guint32              mode,
                                                      const LanEndpoint   *to);
guint               lan_memory_transport_count_sent  (LanMemoryTransport  *self,
                                                      guint32              mode,
                                                      const LanEndpoint   *to);
/* Datagrams handed to its handler. */
guint64             lan_memory_transport_get_n_received (LanMemoryTransport *self);

/* "10.77.0.9:2425" or "10.77.0.9" (port 2425) into @out; FALSE if it isn't one. */
gboolean            lan_memory_parse_endpoint        (const char          *text,
                                                      LanEndpoint         *out);

G_END_DECLS

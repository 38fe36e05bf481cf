/* lan-udp-transport.h — the transport over a bound UDP socket, read in
 * batches with recvmmsg() by a reader thread (lan-udp-receiver.h), with the
 * address each datagram was sent to (IP_PKTINFO), the kernel's drop counter
 * (SO_RXQ_OVFL), and for what we send the source the kernel uses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-transport.h"

G_BEGIN_DECLS

#define LAN_TYPE_UDP_TRANSPORT (lan_udp_transport_get_type ())
G_DECLARE_FINAL_TYPE (LanUdpTransport, lan_udp_transport, LAN, UDP_TRANSPORT, LanTransport)

/* Not bound yet: no socket exists until lan_transport_bind().
 * Returns: (transfer full) */
LanUdpTransport *lan_udp_transport_new              (void);
/* Read by a thread of its own (the default, unless LANCHAT_UDP_THREAD=0)
 * or on the main loop. Takes effect at the next bind. */
void             lan_udp_transport_set_threaded     (LanUdpTransport *self,
                                                     gboolean         threaded);
gboolean         lan_udp_transport_get_threaded     (LanUdpTransport *self);
/* Of lan_transport_get_kernel_drops(), those the reader thread dropped
 * because its queue to the main loop was full (this socket only). */
guint64          lan_udp_transport_get_queue_drops  (LanUdpTransport *self);
/* Broadcasts that came in on another interface than the one we are bound
 * to: not ours, dropped (this socket only). */
guint64          lan_udp_transport_get_filtered     (LanUdpTransport *self);

G_END_DECLS

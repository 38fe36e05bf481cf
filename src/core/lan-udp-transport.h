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

G_END_DECLS

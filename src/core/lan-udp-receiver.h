/* lan-udp-receiver.h — reads the transport's UDP sockets and hands each
 * datagram to a function on one main context.
 *
 * Threaded (the default): a reader thread drains the sockets with
 * recvmmsg() into a bounded ring as soon as datagrams arrive, and a GSource
 * on the main context, woken by an eventfd, hands them on in slices of a
 * few milliseconds. Drawing or a busy handler then delays datagrams instead
 * of making the kernel drop them. Direct: the GSource reads the sockets
 * itself, as before the thread existed (LANCHAT_UDP_THREAD=0).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-transport.h"

G_BEGIN_DECLS

typedef struct _LanUdpReceiver LanUdpReceiver;

typedef struct {
  int      fd;
  /* Keep only datagrams that came in on this interface (IP_PKTINFO); 0 keeps all. */
  int      ifindex;
  /* The socket is bound to a broadcast address: all it gets is broadcast. */
  gboolean broadcast;
} LanUdpReceiverSocket;

/* Called on @context for every datagram kept; @datagram is valid during the call. */
typedef void (*LanUdpDeliverFunc) (const LanDatagram *datagram,
                                   gpointer           user_data);

/* Reads @sockets (@n_sockets of them; the fds stay the caller's, open until
 * lan_udp_receiver_free()). Datagrams come in as sent to @port. Kernel drops
 * start at @drops_before. @threaded FALSE: no reader thread.
 * Returns: (transfer full) */
LanUdpReceiver *lan_udp_receiver_new               (const LanUdpReceiverSocket *sockets,
                                                    guint                       n_sockets,
                                                    guint16                     port,
                                                    guint64                     drops_before,
                                                    gboolean                    threaded,
                                                    GMainContext               *context,
                                                    LanUdpDeliverFunc           deliver,
                                                    gpointer                    user_data);
/* Stops (joins) the thread and the GSource; nothing is delivered after it.
 * Safe from inside @deliver. */
void            lan_udp_receiver_free              (LanUdpReceiver             *self);
/* Datagrams the kernel dropped (SO_RXQ_OVFL, all sockets), from @drops_before on. */
guint64         lan_udp_receiver_get_kernel_drops  (LanUdpReceiver             *self);
/* Datagrams read but dropped because the ring to the main context was full. */
guint64         lan_udp_receiver_get_queue_drops   (LanUdpReceiver             *self);

/* TRUE unless LANCHAT_UDP_THREAD=0 is in the environment. */
gboolean        lan_udp_receiver_default_threaded  (void);

G_END_DECLS

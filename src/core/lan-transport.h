/* lan-transport.h — datagrams on the GLib main loop, over something that
 * can be replaced: a UDP socket (LanUdpTransport, what lan_transport_new()
 * makes) or, in tests and benchmarks, an in-memory LAN.
 *
 * Knows nothing of IPMsg: it moves datagrams and reports every one, in and
 * out, with its time, addresses and bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-types.h"

G_BEGIN_DECLS

typedef enum {
  LAN_DATAGRAM_TRUNCATED  = 1 << 0, /* larger than we read; the rest is gone */
  LAN_DATAGRAM_SEND_ERROR = 1 << 1, /* the kernel refused to send it; see error */
  LAN_DATAGRAM_BROADCAST  = 1 << 2, /* sent to, or received on, a broadcast address */
  /* Not a datagram: an IPMsg packet read or written on a TCP connection (a
   * GETFILEDATA / GETDIRFILES request); local and remote are the connection's. */
  LAN_DATAGRAM_TCP        = 1 << 3,
  /* With LAN_DATAGRAM_TCP: the summary row of one transfer, logged when it
   * ends. data/len repeat the request packet (so its command is the
   * request's); the log entry's detail says bytes, duration and result. */
  LAN_DATAGRAM_TRANSFER   = 1 << 4,
} LanDatagramFlags;

typedef struct {
  gint64            time_us;   /* g_get_real_time () */
  LanDirection      direction;
  LanDatagramFlags  flags;
  LanEndpoint       local;     /* for IN: the address it was sent to (may be a broadcast address) */
  LanEndpoint       remote;
  const guint8     *data;
  gsize             len;
  const char       *error;     /* with LAN_DATAGRAM_SEND_ERROR */
} LanDatagram;

typedef void (*LanDatagramFunc) (const LanDatagram *datagram,
                                 gpointer           user_data);

#define LAN_TYPE_TRANSPORT (lan_transport_get_type ())
G_DECLARE_DERIVABLE_TYPE (LanTransport, lan_transport, LAN, TRANSPORT, GObject)

/* What an implementation provides. Every one must report each datagram it
 * sends (and each failed send) and each one it receives with
 * lan_transport_report(), and must never report from inside bind() or close(). */
struct _LanTransportClass
{
  GObjectClass parent_class;

  gboolean     (*bind)             (LanTransport  *self,
                                    const char    *address,
                                    guint16        port,
                                    GError       **error);
  void         (*close)            (LanTransport  *self);
  gboolean     (*is_bound)         (LanTransport  *self);
  LanEndpoint  (*get_local)        (LanTransport  *self);
  gboolean     (*send)             (LanTransport  *self,
                                    LanEndpoint    to,
                                    const guint8  *data,
                                    gsize          len);
  /* Optional: 0 when not implemented. */
  guint64      (*get_kernel_drops) (LanTransport  *self);
  /* Optional: by default, the bound address unless it is 0.0.0.0. */
  GPtrArray   *(*dup_local_addresses) (LanTransport *self);

  gpointer padding[7];
};

/* A UDP transport (LanUdpTransport), not bound yet.
 * Returns: (transfer full) */
LanTransport *lan_transport_new               (void);
/* Bind to @address ("0.0.0.0" or NULL for all) and @port. A port in use is
 * G_IO_ERROR_ADDRESS_IN_USE with a message naming the port and what to do. */
gboolean      lan_transport_bind              (LanTransport     *self,
                                               const char       *address,
                                               guint16           port,
                                               GError          **error);
void          lan_transport_close             (LanTransport     *self);
gboolean      lan_transport_is_bound          (LanTransport     *self);
LanEndpoint   lan_transport_get_local         (LanTransport     *self);
/* Every datagram in and out goes to @func, sends that failed included, on
 * the main context that was the thread's default at bind. An outgoing
 * datagram's local address is the one the kernel sends it from (for a
 * socket bound to 0.0.0.0, the route's source for its destination). */
void          lan_transport_set_handler       (LanTransport     *self,
                                               LanDatagramFunc   func,
                                               gpointer          user_data);
/* Send one datagram. A failure is reported to the handler (SEND_ERROR) and
 * returns FALSE; it is never fatal. */
gboolean      lan_transport_send              (LanTransport     *self,
                                               LanEndpoint       to,
                                               const guint8     *data,
                                               gsize             len);
/* Datagrams lost before the handler saw them: dropped by the kernel because
 * our receive buffer was full (SO_RXQ_OVFL), or by the UDP transport's
 * queue from its reader thread to the main loop when that was full. */
guint64       lan_transport_get_kernel_drops  (LanTransport     *self);
/* Our own addresses as dotted quads ("10.77.0.11"), for showing the user
 * where we are: the bound address, or when bound to 0.0.0.0 the address of
 * every interface but loopback. Empty when not bound.
 * Returns: (transfer full) (element-type utf8) */
GPtrArray    *lan_transport_dup_local_addresses (LanTransport   *self);

/* For implementations only: hand @datagram to the handler, if there is one.
 * The handler may close or drop the last reference to anything but @self,
 * which the caller must keep alive across the call. */
void          lan_transport_report            (LanTransport      *self,
                                               const LanDatagram *datagram);

G_END_DECLS

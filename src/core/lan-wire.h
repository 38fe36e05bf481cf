/* lan-wire.h — datagrams in and out: transport, codec and packet log.
 *
 * Owns our identity in packet headers (user, host, legacy encoding), packet
 * numbering and the ring of our own recent packet numbers. Each incoming
 * datagram is parsed once, here, into a LanPacketContext that goes to the
 * handler registered for its command (a table indexed by LAN_IPMSG_MODE);
 * the datagram is logged with the verdict the handler left in it, then the
 * arrival it announced is emitted and its replies go out, in that order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-charset.h"
#include "lan-ipmsg.h"
#include "lan-message.h"
#include "lan-packet-log.h"
#include "lan-peer-list.h"
#include "lan-rate-limit.h"
#include "lan-transport.h"

G_BEGIN_DECLS

/* What one incoming datagram carries through its handler. Lives on the
 * stack of the receive path, for that datagram only. */
typedef struct {
  const LanDatagram    *datagram;
  const LanIpmsgPacket *packet;
  LanEndpoint           from;
  /* The listed sender (borrowed from the peer list), or NULL. A handler that
   * lists the sender sets it. */
  LanPeer              *peer;
  LanVerdict            verdict;
  char                 *detail;            /* owned; why the verdict */
  GPtrArray            *replies;           /* owned, made when needed */
  LanPeer              *arrived_peer;      /* owned */
  LanMessage           *arrived_message;   /* owned */
} LanPacketContext;

/* Send @datagram to @to once this packet is logged. */
void lan_packet_context_reply   (LanPacketContext *context,
                                 LanEndpoint       to,
                                 GBytes           *datagram);
/* Announce @message from @peer once this packet is logged, before any reply. */
void lan_packet_context_arrival (LanPacketContext *context,
                                 LanPeer          *peer,
                                 LanMessage       *message);
/* The verdict, and why (printf-style, may be NULL). */
void lan_packet_context_verdict (LanPacketContext *context,
                                 LanVerdict        verdict,
                                 const char       *format,
                                 ...) G_GNUC_PRINTF (3, 4);

typedef void (*LanWireHandler)  (LanPacketContext *context,
                                 gpointer          user_data);
typedef void (*LanArrivalFunc)  (LanPeer          *peer,
                                 LanMessage       *message,
                                 gpointer          user_data);
/* The interfaces were read again after a network change; @changed: whether
 * some non-loopback one is up changed. */
typedef void (*LanNetworkFunc)  (gboolean          changed,
                                 gpointer          user_data);

#define LAN_TYPE_WIRE (lan_wire_get_type ())
G_DECLARE_FINAL_TYPE (LanWire, lan_wire, LAN, WIRE, GObject)

/* Takes a reference to @transport and @peers (whose senders it looks up).
 * Returns: (transfer full) */
LanWire       *lan_wire_new               (LanTransport   *transport,
                                           LanPeerList    *peers);
/* The owner of @mode's packets. One handler per command; commands without
 * one are logged as not handled. */
void           lan_wire_set_handler       (LanWire        *self,
                                           guint8          mode,
                                           LanWireHandler  handler,
                                           gpointer        user_data);
/* Drops every handler registered with @user_data, so that the wire never calls
 * a part after the part is gone: each part calls it from its dispose. */
void           lan_wire_clear_handlers    (LanWire        *self,
                                           gpointer        user_data);
void           lan_wire_set_arrival_func  (LanWire        *self,
                                           LanArrivalFunc  func,
                                           gpointer        user_data);

gboolean       lan_wire_bind              (LanWire        *self,
                                           const char     *address,
                                           guint16         port,
                                           GError        **error);
void           lan_wire_close             (LanWire        *self);
/* Bound: packets can go out. */
gboolean       lan_wire_is_running        (LanWire        *self);
LanEndpoint    lan_wire_get_local         (LanWire        *self);

/* Returns: (transfer none) */
LanTransport  *lan_wire_get_transport     (LanWire        *self);
/* Returns: (transfer none) */
LanPacketLog  *lan_wire_get_log           (LanWire        *self);
/* The engine's counters, which the other parts count into.
 * Returns: (transfer none) */
LanMessengerStats *lan_wire_get_stats     (LanWire        *self);

void           lan_wire_set_identity      (LanWire        *self,
                                           const char     *user_name,
                                           const char     *host_name);
/* Returns: (transfer none) */
const char    *lan_wire_get_user_name     (LanWire        *self);
/* Returns: (transfer none) */
const char    *lan_wire_get_host_name     (LanWire        *self);
void           lan_wire_set_legacy        (LanWire        *self,
                                           LanLegacyEncoding legacy);
LanLegacyEncoding lan_wire_get_legacy     (LanWire        *self);
void           lan_wire_set_simulated_loss (LanWire       *self,
                                            double         loss);

/* Read the interfaces again; TRUE when whether some non-loopback one is up changed. */
gboolean       lan_wire_refresh_interfaces (LanWire       *self);
gboolean       lan_wire_get_network_available (LanWire    *self);
void           lan_wire_set_network_func  (LanWire        *self,
                                           LanNetworkFunc  func,
                                           gpointer        user_data);
/* Returns: (transfer none) (element-type LanInterface) */
GPtrArray     *lan_wire_get_interfaces    (LanWire        *self);

guint64        lan_wire_next_packet_no    (LanWire        *self);
/* Numbers continue above @packet_no (history: what we sent before a restart). */
void           lan_wire_skip_packet_no    (LanWire        *self,
                                           guint64         packet_no);
/* A packet from us with @command and @extra (already encoded).
 * Returns: (transfer full) */
GBytes        *lan_wire_build             (LanWire        *self,
                                           guint64         packet_no,
                                           guint32         command,
                                           const guint8   *extra,
                                           gsize           extra_len);
/* The same for one reader: the header's user and host in the charset the
 * rest of the datagram is in for @to (NULL: the broadcast form, UTF-8).
 * Returns: (transfer full) */
GBytes        *lan_wire_build_to          (LanWire          *self,
                                           const LanDialect *to,
                                           guint64           packet_no,
                                           guint32           command,
                                           const guint8     *extra,
                                           gsize             extra_len);
/* @peer's dialect (NULL: nobody known) with our legacy setting where its
 * entries proved none: what every encode and decode for it uses. */
LanDialect     lan_wire_peer_dialect      (LanWire        *self,
                                           LanPeer        *peer);
/* Send now; the log shows it with @verdict (LAN_VERDICT_OK or LAN_VERDICT_RESEND). */
void           lan_wire_send              (LanWire        *self,
                                           LanEndpoint     to,
                                           GBytes         *datagram,
                                           LanVerdict      verdict);
/* An automatic answer (ANSENTRY, RECVMSG, info, away) to @to: sent only if
 * @to's bucket holds its size (see lan-rate-limit.h). Returns whether sent. */
gboolean       lan_wire_send_reply        (LanWire        *self,
                                           LanEndpoint     to,
                                           GBytes         *datagram);
/* Returns: (transfer none) */
LanRateLimit  *lan_wire_get_rate_limit    (LanWire        *self);
/* A text field of @packet in valid UTF-8, by the packet's flags and what
 * @peer (may be NULL) is known to take.
 * Returns: (transfer full) */
char          *lan_wire_decode            (LanWire        *self,
                                           LanPeer        *peer,
                                           const LanIpmsgPacket *packet,
                                           const guint8   *data,
                                           gsize           len);
/* Section @index of @packet decoded ("" when absent).
 * Returns: (transfer full) */
char          *lan_wire_decode_section    (LanWire        *self,
                                           LanPeer        *peer,
                                           const LanIpmsgPacket *packet,
                                           guint           index);

G_END_DECLS

/* lan-messenger-private.h — state shared by lan-messenger*.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-history.h"
#include "lan-ipmsg.h"
#include "lan-messenger.h"
#include "lan-transport.h"

G_BEGIN_DECLS

#define LAN_MESSENGER_MAX_TARGETS        4096
#define LAN_MESSENGER_MAX_PENDING        4096
#define LAN_MESSENGER_MAX_ANSWERS        1024
#define LAN_MESSENGER_SEEN_WINDOW        4096
#define LAN_MESSENGER_OWN_WINDOW         1024
/* Extra targets go out this many at a time, so a /20 doesn't burst 4096 datagrams. */
#define LAN_MESSENGER_TARGETS_PER_TICK   64
#define LAN_MESSENGER_TARGET_TICK_MS     10

typedef struct _LanPending LanPending;
typedef struct _LanReply LanReply;

struct _LanMessenger
{
  GObject            parent_instance;

  LanTransport      *transport;
  LanPeerList       *peers;
  LanPacketLog      *log;
  GHashTable        *conversations;   /* peer key → LanConversation */
  LanConversation   *broadcast_conversation;
  GNetworkMonitor   *monitor;
  GPtrArray         *interfaces;      /* LanInterface */
  GArray            *targets;         /* LanEndpoint, the user's extra targets */

  char              *nickname;
  char              *group;
  char              *user_name;
  char              *host_name;
  char              *bind_address;
  char              *away_text;
  char              *error;
  guint              port;
  LanLegacyEncoding  legacy;
  guint              retry_initial_ms;
  guint              retry_max_interval_ms;
  guint              retry_budget_ms;
  guint              answer_delay_max_ms;
  double             simulated_loss;
  gboolean           away;
  gboolean           running;
  gboolean           network_available;

  guint64            next_packet_no;
  GHashTable        *pending;         /* packet-no (guint64*) → LanPending */
  GHashTable        *seen;            /* "ip:port" → set of packet-no (guint64*) */
  GQueue             seen_order;      /* LanSeen, oldest first; may name forgotten ones */
  GHashTable        *own_sent;        /* packet-no we sent recently (guint64*) */
  guint64            own_ring[LAN_MESSENGER_OWN_WINDOW];
  guint              own_ring_pos;
  GHashTable        *answers;         /* "ip:port" → GSource (delayed ANSENTRY) */

  /* Paced sending of one packet to the extra targets. */
  GBytes            *pace_packet;
  guint              pace_index;
  GSource           *pace_source;
  GSource           *network_source;
  GSource           *absence_source;

  /* Datagrams to send, and a message to announce, once the packet that
   * caused them is logged. */
  GPtrArray         *replies;
  LanPeer           *arrived_peer;
  LanMessage        *arrived_message;
  LanVerdict         out_verdict;
  const char        *out_detail;

  /* History and outbox (lan-messenger-history.c). */
  LanHistory        *history;
  char              *history_path;
  char              *history_error;
  guint              history_days;
  GHashTable        *outbox;          /* identity → GPtrArray of queued LanMessage */
  GHashTable        *sessions;        /* "ip:port" → gint64* time of its last BR_ENTRY */
  GHashTable        *saved_peers;     /* identity → what was last written of it */

  LanMessengerStats  stats;
};

/* lan-messenger.c */
void         lan_messenger_emit_message_received (LanMessenger *self,
                                                  LanPeer      *peer,
                                                  LanMessage   *message);

/* lan-messenger-wire.c */
void         lan_messenger_on_datagram      (const LanDatagram *datagram,
                                             gpointer        user_data);
void         lan_messenger_reply_free       (LanReply       *reply);
guint64      lan_messenger_next_packet_no   (LanMessenger   *self);
/* Build a packet from us with @command and @extra (already encoded). */
GBytes      *lan_messenger_build            (LanMessenger   *self,
                                             guint64         packet_no,
                                             guint32         command,
                                             const guint8   *extra,
                                             gsize           extra_len);
/* Send now, logging with @verdict (LAN_VERDICT_OK or LAN_VERDICT_RESEND). */
void         lan_messenger_send_raw         (LanMessenger   *self,
                                             LanEndpoint     to,
                                             GBytes         *datagram,
                                             LanVerdict      verdict);
/* Send after the packet being handled is logged. */
void         lan_messenger_queue_reply      (LanMessenger   *self,
                                             LanEndpoint     to,
                                             GBytes         *datagram);
char        *lan_messenger_decode           (LanMessenger   *self,
                                             LanPeer        *peer,
                                             const LanIpmsgPacket *packet,
                                             const guint8   *data,
                                             gsize           len);
/* A new peer named from the packet's header (not in the list). */
LanPeer     *lan_messenger_make_peer        (LanMessenger   *self,
                                             LanEndpoint     from,
                                             const LanIpmsgPacket *packet);
/* Add @peer to the list, making room if it is full. */
void         lan_messenger_add_peer         (LanMessenger   *self,
                                             LanPeer        *peer);
/* The listed peer at @from, added (named from the header) when there is none. */
LanPeer     *lan_messenger_ensure_peer      (LanMessenger   *self,
                                             LanEndpoint     from,
                                             const LanIpmsgPacket *packet);
/* Announce @message once the packet being handled is logged (before any reply goes out). */
void         lan_messenger_queue_arrival    (LanMessenger   *self,
                                             LanPeer        *peer,
                                             LanMessage     *message);
void         lan_messenger_emit_peer_gone   (LanMessenger   *self,
                                             LanPeer        *peer);

void         lan_messenger_set_history_error (LanMessenger  *self,
                                              const char    *error);
/* The conversation for @identity (created empty). */
LanConversation *lan_messenger_conversation_for (LanMessenger *self,
                                                 const char   *identity);
/* A peer's identity became known: its conversation under the old key follows it. */
void         lan_messenger_adopt_conversation (LanMessenger *self,
                                               LanPeer      *peer,
                                               const char   *old_identity);

/* lan-messenger-history.c */
void         lan_messenger_history_open     (LanMessenger   *self);
gboolean     lan_messenger_history_store    (LanMessenger   *self,
                                             const char     *identity,
                                             const char     *remote,
                                             LanMessage     *message);
gboolean     lan_messenger_history_is_repeat (LanMessenger  *self,
                                              const char    *remote,
                                              guint64        packet_no,
                                              const char    *text);
void         lan_messenger_history_session_started (LanMessenger *self,
                                                    const char   *remote);
void         lan_messenger_history_peer_seen (LanMessenger  *self,
                                              LanPeer       *peer);
gboolean     lan_messenger_outbox_enabled   (LanMessenger   *self);
void         lan_messenger_outbox_add       (LanMessenger   *self,
                                             const char     *identity,
                                             LanMessage     *message,
                                             const char     *why);
gboolean     lan_messenger_outbox_remove    (LanMessenger   *self,
                                             LanMessage     *message);
void         lan_messenger_outbox_flush     (LanMessenger   *self,
                                             LanPeer        *peer);

/* lan-messenger-presence.c */
void         lan_messenger_presence_start   (LanMessenger   *self);
void         lan_messenger_presence_stop    (LanMessenger   *self);
void         lan_messenger_broadcast_packet (LanMessenger   *self,
                                             GBytes         *datagram);
GBytes      *lan_messenger_build_entry      (LanMessenger   *self,
                                             guint32         mode);
LanVerdict   lan_messenger_handle_presence  (LanMessenger   *self,
                                             LanEndpoint     from,
                                             const LanIpmsgPacket *packet,
                                             char          **detail);

/* lan-messenger-send.c */
LanVerdict   lan_messenger_handle_sendmsg   (LanMessenger   *self,
                                             LanEndpoint     from,
                                             const LanIpmsgPacket *packet,
                                             char          **detail);
LanVerdict   lan_messenger_handle_recvmsg   (LanMessenger   *self,
                                             LanEndpoint     from,
                                             const LanIpmsgPacket *packet,
                                             char          **detail);
LanVerdict   lan_messenger_handle_readmsg   (LanMessenger   *self,
                                             LanEndpoint     from,
                                             const LanIpmsgPacket *packet,
                                             char          **detail);
void         lan_messenger_pending_free     (LanPending     *pending);
/* A peer (re)announced or left: its packet numbers start over. */
void         lan_messenger_forget_session   (LanMessenger   *self,
                                             const char     *peer_key);
void         lan_messenger_seen_clear       (LanMessenger   *self);
/* Stop resending everything: queue it in the outbox (@queue), or fail it. */
void         lan_messenger_end_all_pending  (LanMessenger   *self,
                                             const char     *why,
                                             gboolean        queue);
/* Send an outgoing message again to @peer, same packet-no, with RETRYOPT. */
void         lan_messenger_resend           (LanMessenger   *self,
                                             LanMessage     *message,
                                             LanPeer        *peer);
/* Stop resending @message; FALSE when it wasn't pending. */
gboolean     lan_messenger_stop_pending     (LanMessenger   *self,
                                             LanMessage     *message);

/* lan-targets.c */
/* Parse one target spec into endpoints (default port @port), appending to
 * @out; fails past @max endpoints in all. */
gboolean     lan_targets_parse              (const char     *spec,
                                             guint16         port,
                                             GArray         *out,
                                             guint           max,
                                             GError        **error);

G_END_DECLS

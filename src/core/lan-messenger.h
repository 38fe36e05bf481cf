/* lan-messenger.h — the IPMsg protocol engine, as the app and the CLI see it.
 *
 * A façade over its parts: LanWire (datagrams in and out), LanPresence
 * (entry, answer, absence, exit), LanInbox (incoming messages, duplicates),
 * LanSender (reliable send, acknowledgement matching), LanOutbox (messages
 * waiting for their person) and LanConversationStore (conversations and
 * history). Everything runs on the thread-default main context it was
 * started on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-charset.h"
#include "lan-conversation.h"
#include "lan-identity.h"
#include "lan-message.h"
#include "lan-packet-log.h"
#include "lan-peer-list.h"
#include "lan-peer.h"
#include "lan-transport.h"
#include "lan-types.h"

G_BEGIN_DECLS

#define LAN_TYPE_MESSENGER (lan_messenger_get_type ())
G_DECLARE_FINAL_TYPE (LanMessenger, lan_messenger, LAN, MESSENGER, GObject)

/*
 * Properties (read-write unless said; set them before start, or any time —
 * nickname, group, away and away-text are announced when they change while
 * running; port and bind-address take effect at the next start or
 * lan_messenger_restart()):
 *   "nickname", "group"        string
 *   "user-name", "host-name"   string  (default: g_get_user_name / g_get_host_name)
 *   "port"                     uint    (default 2425)
 *   "bind-address"             string  (NULL or "0.0.0.0": all)
 *   "legacy-encoding"          enum    LanLegacyEncoding
 *   "away", "away-text"        boolean, string (away replies with AUTORETOPT)
 *   "away-in-nickname"         boolean (while away, announce "nick[away text]" for clients
 *                                      that ignore ABSENCEOPT; default FALSE; announced at once)
 *   "retry-initial-ms"         uint    (first resend after this, doubling; default 500)
 *   "retry-budget-ms"          uint    (give up after this; default 30000)
 *   "answer-delay-max-ms"      uint    (upper bound of the ANSENTRY delay on a small LAN; default 1000)
 *   "retry-max-interval-ms"    uint    (the backoff stops doubling here; default 2000)
 *   "simulated-loss"           double  (drop this fraction of what arrives, for tests and `bot --drop`)
 *   "running"                  boolean read-only
 *   "listen-address"           string  read-only, "0.0.0.0:2425"
 *   "network-available"        boolean read-only: some non-loopback IPv4 interface is up
 *   "error"                    string  read-only: why it isn't running (port in use …), or NULL;
 *                                      the message of lan_messenger_get_error()
 *   "history-path"             string  SQLite file for conversations and the outbox (set
 *                                      before start; NULL: no history, no outbox)
 *   "history-days"             uint    keep messages this many days (0: for ever)
 *   "history-error"            string  read-only: what went wrong with the history, or NULL
 *   "transport"                LanTransport  construct-only: what it sends and receives
 *                                      over (NULL: a new UDP socket)
 *
 * Signals:
 *   "message-received" (LanPeer *peer, LanMessage *message)  a new message, shown once
 *   "peer-gone"        (LanPeer *peer)                       BR_EXIT; emitted before removal
 */
/* Returns: (transfer full) */
LanMessenger    *lan_messenger_new             (void);
/* An engine over @transport instead of a new UDP socket: for tests and benchmarks, over an
 * in-memory transport. Takes a reference to @transport.
 * Returns: (transfer full) */
LanMessenger    *lan_messenger_new_with_transport (LanTransport *transport);
/* Bind and announce. Port in use: G_IO_ERROR_ADDRESS_IN_USE naming the port. */
gboolean         lan_messenger_start           (LanMessenger  *self,
                                                GError       **error);
/* Apply "port" and "bind-address": stop if running, then start. */
gboolean         lan_messenger_restart         (LanMessenger  *self,
                                                GError       **error);
/* Why the last start failed, or NULL once one succeeded.
 * Returns: (nullable) (transfer none) */
const GError    *lan_messenger_get_error       (LanMessenger  *self);
/* Send BR_EXIT to every target and close the socket. */
void             lan_messenger_stop            (LanMessenger  *self);
gboolean         lan_messenger_get_running     (LanMessenger  *self);
/* Broadcast BR_ENTRY again (Refresh); who has not answered a few seconds
 * later is shown offline (LanPeer:online). */
void             lan_messenger_announce        (LanMessenger  *self);
/* Who is who: silent peers, the move question, the watching check.
 * Returns: (transfer none) */
LanIdentity     *lan_messenger_get_identity    (LanMessenger  *self);

/* Extra targets: "10.1.2.3", "10.1.2.255", "10.1.2.10-10.1.2.50",
 * "10.1.2.10-50", "10.1.0.0/22". At most 4096 addresses in all. */
gboolean         lan_messenger_add_target      (LanMessenger  *self,
                                                const char    *target,
                                                GError       **error);
void             lan_messenger_clear_targets   (LanMessenger  *self);

/* Returns: (transfer none) */
LanPeerList     *lan_messenger_get_peers       (LanMessenger  *self);
/* The peer at @address ("10.0.0.5" or "10.0.0.5:2425"): the listed one, or a
 * new one named by its address until it answers the BR_ENTRY sent to it now.
 * Lets a message go to a host that discovery hasn't reached (yet).
 * Returns: (transfer none) (nullable) */
LanPeer         *lan_messenger_get_peer_for_address (LanMessenger *self,
                                                     const char   *address,
                                                     GError      **error);
/* Our own addresses as dotted quads, for showing the user where we are
 * (see lan_transport_dup_local_addresses); empty when not running.
 * Returns: (transfer full) (element-type utf8) */
GPtrArray       *lan_messenger_dup_local_addresses (LanMessenger *self);
/* Returns: (transfer none) */
LanPacketLog    *lan_messenger_get_packet_log  (LanMessenger  *self);
/* The conversation with the peer at @peer_key (or with the identity
 * "user@host"), created empty when there is none yet. A peer whose address
 * changes keeps its conversation: conversations follow identities. Only so
 * many are kept in memory: hold a reference to keep one.
 * Returns: (transfer none) */
LanConversation *lan_messenger_get_conversation (LanMessenger *self,
                                                 const char   *peer_key);
/* Conversation of broadcast messages ("everyone").
 * Returns: (transfer none) */
LanConversation *lan_messenger_get_broadcast_conversation (LanMessenger *self);
/* Returns: (transfer none) */
const LanMessengerStats *lan_messenger_get_stats (LanMessenger *self);

/* The send calls return a new reference to the message (it is also in the
 * conversation), or NULL with @error. A text too long for one datagram:
 * G_IO_ERROR_MESSAGE_TOO_LARGE, nothing sent.
 * Returns: (transfer full) (nullable) */
LanMessage      *lan_messenger_send            (LanMessenger  *self,
                                                LanPeer       *peer,
                                                const char    *text,
                                                GError       **error);
/* Same message to several peers (MULTICASTOPT), one LanMessage each.
 * Returns: (transfer full) (element-type LanMessage) (nullable) */
GPtrArray       *lan_messenger_send_multicast  (LanMessenger  *self,
                                                LanPeer      **peers,
                                                guint          n_peers,
                                                const char    *text,
                                                GError       **error);
/* To everyone (BROADCASTOPT, no acknowledgement).
 * Returns: (transfer full) (nullable) */
LanMessage      *lan_messenger_send_broadcast  (LanMessenger  *self,
                                                const char    *text,
                                                GError       **error);
/* Send a failed message again, with a fresh budget. */
void             lan_messenger_retry           (LanMessenger  *self,
                                                LanMessage    *message);
/* Take a queued or sending message back: it ends failed ("Cancelled"). */
void             lan_messenger_cancel          (LanMessenger  *self,
                                                LanMessage    *message);
/* @key: a peer's key or identity. Forgets its messages, in memory and on disk. */
gboolean         lan_messenger_delete_conversation (LanMessenger *self,
                                                    const char   *key,
                                                    GError      **error);
gboolean         lan_messenger_clear_history   (LanMessenger  *self,
                                                GError       **error);
/* Parse @target as add_target would, without adding it anywhere. */
gboolean         lan_messenger_check_target    (const char    *target,
                                                GError       **error);
/* How @text would go to @peer (NULL: to everyone): its size once encoded,
 * the most that fits one datagram, and whether characters would be lost to
 * the legacy encoding. Returns TRUE when it fits. */
gboolean         lan_messenger_measure_text    (LanMessenger  *self,
                                                LanPeer       *peer,
                                                const char    *text,
                                                gsize         *out_bytes,
                                                gsize         *out_max,
                                                gboolean      *out_lossy);
/* Datagrams the kernel dropped because we read too slowly (SO_RXQ_OVFL). */
guint64          lan_messenger_get_kernel_drops (LanMessenger *self);
/* Longest text (in bytes once encoded) that fits one datagram to @peer. */
gsize            lan_messenger_max_text_bytes  (LanMessenger  *self,
                                                LanPeer       *peer);

G_END_DECLS

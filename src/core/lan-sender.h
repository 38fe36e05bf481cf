/* lan-sender.h — reliable send: backoff, pending sends, acknowledgement matching.
 *
 * A message to a peer goes out with SENDCHECKOPT and is sent again (the same
 * packet number, RETRYOPT) with a doubling, jittered interval until a RECVMSG
 * names its number from the address and port it went to, or the budget is
 * spent: then it fails, or with history waits in the outbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-conversation-store.h"
#include "lan-outbox.h"
#include "lan-presence.h"
#include "lan-wire.h"

G_BEGIN_DECLS

#define LAN_TYPE_SENDER (lan_sender_get_type ())
G_DECLARE_FINAL_TYPE (LanSender, lan_sender, LAN, SENDER, GObject)

/* Registers the RECVMSG handler.
 * Returns: (transfer full) */
LanSender  *lan_sender_new            (LanWire              *wire,
                                       LanPresence          *presence,
                                       LanConversationStore *store,
                                       LanOutbox            *outbox);
void        lan_sender_set_retry      (LanSender    *self,
                                       guint         initial_ms,
                                       guint         max_interval_ms,
                                       guint         budget_ms);

/* See lan_messenger_send(); @extra_options: MULTICASTOPT or 0.
 * Returns: (transfer full) (nullable) */
LanMessage *lan_sender_send           (LanSender    *self,
                                       LanPeer      *peer,
                                       const char   *text,
                                       guint32       extra_options,
                                       GError      **error);
/* An offer: @text and the records of @files (element-type LanIpmsgFile,
 * UTF-8 names; the message takes a reference) with FILEATTACHOPT, sent
 * and resent like lan_sender_send(). The records come from the suffix func.
 * Returns: (transfer full) (nullable) */
LanMessage *lan_sender_send_files     (LanSender    *self,
                                       LanPeer      *peer,
                                       const char   *text,
                                       GPtrArray    *files,
                                       GError      **error);
/* What follows the text's NUL in each datagram of @message (one with files)
 * to @peer, built when it goes out (again): NULL when its offer is no
 * longer open, and the message then fails.
 * Returns: (transfer full) (nullable) */
typedef GBytes *(*LanSenderSuffixFunc) (LanMessage *message,
                                        LanPeer    *peer,
                                        gpointer    user_data);
void        lan_sender_set_suffix_func (LanSender          *self,
                                        LanSenderSuffixFunc func,
                                        gpointer            user_data);
/* One message per peer, MULTICASTOPT.
 * Returns: (transfer full) (element-type LanMessage) (nullable) */
GPtrArray  *lan_sender_send_multicast (LanSender    *self,
                                       LanPeer     **peers,
                                       guint         n_peers,
                                       const char   *text,
                                       GError      **error);
/* Returns: (transfer full) (nullable) */
LanMessage *lan_sender_send_broadcast (LanSender    *self,
                                       const char   *text,
                                       GError      **error);
/* Send @message again to @peer, same packet number, with RETRYOPT and a fresh budget. */
void        lan_sender_resend         (LanSender    *self,
                                       LanMessage   *message,
                                       LanPeer      *peer);
/* What the outbox holds for @peer's identity goes out to it now, our entry
 * first, if @peer is where the person was confirmed (lan_outbox_get_confirmed),
 * at most LAN_OUTBOX_FLUSH_AT_ONCE waiting at a time (the rest follow the
 * acknowledgements). */
void        lan_sender_send_owed      (LanSender    *self,
                                       LanPeer      *peer);
/* See lan_messenger_retry() and lan_messenger_cancel(). */
void        lan_sender_retry          (LanSender    *self,
                                       LanMessage   *message);
void        lan_sender_cancel         (LanSender    *self,
                                       LanMessage   *message);
/* Stop resending @message; FALSE when it wasn't pending. */
gboolean    lan_sender_stop_pending   (LanSender    *self,
                                       LanMessage   *message);
/* Stop resending everything: queue it in the outbox (@queue), or fail it, saying @why. */
void        lan_sender_end_all        (LanSender    *self,
                                       const char   *why,
                                       gboolean      queue);
/* The message waiting for an acknowledgement of @packet_no.
 * Returns: (transfer none) (nullable) */
LanMessage *lan_sender_lookup         (LanSender    *self,
                                       guint64       packet_no);
/* The queued or pending message stored as @history_id (a LanFindLiveFunc).
 * Returns: (transfer none) (nullable) */
LanMessage *lan_sender_find_live      (gint64        history_id,
                                       guint64       packet_no,
                                       gpointer      sender);

gboolean    lan_sender_measure_text   (LanSender    *self,
                                       LanPeer      *peer,
                                       const char   *text,
                                       gsize        *out_bytes,
                                       gsize        *out_max,
                                       gboolean     *out_lossy);
gsize       lan_sender_max_text_bytes (LanSender    *self,
                                       LanPeer      *peer);

G_END_DECLS

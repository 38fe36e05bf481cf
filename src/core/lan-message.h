/* lan-message.h — one chat message, in or out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "lan-types.h"

G_BEGIN_DECLS

typedef enum {
  LAN_MESSAGE_RECEIVED,   /* in: shown and acknowledged */
  LAN_MESSAGE_SENDING,    /* out: waiting for RECVMSG, resending */
  LAN_MESSAGE_DELIVERED,  /* out: acknowledged by the peer's address */
  LAN_MESSAGE_READ,       /* out: sealed message opened (READMSG) */
  LAN_MESSAGE_FAILED,     /* out: no acknowledgement within the budget; can be retried */
  LAN_MESSAGE_QUEUED,     /* out: waiting for the peer to come back */
  LAN_MESSAGE_SENT,       /* out: broadcast or auto-reply, no acknowledgement expected */
} LanMessageState;

/* Files a message offers (SENDMSG|FILEATTACHOPT), as far as this side knows. */
typedef enum {
  LAN_OFFER_NONE,      /* no attachments */
  LAN_OFFER_OPEN,      /* offered; can be fetched */
  LAN_OFFER_DONE,      /* released after the files were fetched */
  LAN_OFFER_DECLINED,  /* released with nothing fetched, by either side */
  LAN_OFFER_EXPIRED,   /* ours: nobody released it in time; theirs: the sender no longer serves it */
  LAN_OFFER_WITHDRAWN, /* ours: we took it back */
} LanOfferState;

#define LAN_TYPE_MESSAGE (lan_message_get_type ())
G_DECLARE_FINAL_TYPE (LanMessage, lan_message, LAN, MESSAGE, GObject)

/* Properties (notify on change): "direction" (enum LanDirection), "text",
 * "time" (int64, real time µs), "packet-no" (uint64), "state" (enum
 * LanMessageState), "peer-key", "attempts" (uint, datagrams sent), "broadcast"
 * (boolean), "auto-reply" (boolean), "error" (string, why it failed),
 * "notice" (boolean: a line from Lanchat itself, e.g. "address changed";
 * direction is then meaningless), "round-trip" (int64 µs from its first
 * send to the acknowledgement, -1 while not acknowledged). */
LanDirection     lan_message_get_direction (LanMessage *self);
/* Returns: (transfer none) */
const char      *lan_message_get_text      (LanMessage *self);
gint64           lan_message_get_time      (LanMessage *self);
guint64          lan_message_get_packet_no (LanMessage *self);
LanMessageState  lan_message_get_state     (LanMessage *self);
/* Returns: (transfer none) */
const char      *lan_message_get_peer_key  (LanMessage *self);
guint            lan_message_get_attempts  (LanMessage *self);
gint64           lan_message_get_round_trip (LanMessage *self);
gboolean         lan_message_get_broadcast (LanMessage *self);
gboolean         lan_message_get_auto_reply (LanMessage *self);
/* "sealed": it came with SECRETOPT and is not opened yet: show that it is
 * there, not what it says. "encrypted": it came with ENCRYPTOPT; its text
 * is Lanchat's notice, not the ciphertext. */
gboolean         lan_message_get_sealed     (LanMessage *self);
gboolean         lan_message_get_encrypted  (LanMessage *self);
/* The user opened a sealed message: it is shown, and the sender is told
 * (READMSG). The app calls this. */
void             lan_message_open           (LanMessage *self);
/* Returns: (transfer none) (nullable) */
const char      *lan_message_get_error     (LanMessage *self);
gboolean         lan_message_get_notice    (LanMessage *self);
/* A notice's kind and arguments (lan-notice.h), NULL for one kept only as
 * text: the app renders it in the current language.
 * Returns: (transfer none) (nullable) */
const char      *lan_message_get_notice_kind (LanMessage *self);
/* Returns: (transfer none) (nullable) */
const char * const *lan_message_get_notice_args (LanMessage *self);
/* The attachment records it carries (element-type LanIpmsgFile, lan-ipmsg.h),
 * NULL for a message without files. (transfer none) (nullable) */
GPtrArray       *lan_message_get_files      (LanMessage *self);
/* "offer-state": LAN_OFFER_NONE unless the message has files. */
LanOfferState    lan_message_get_offer_state (LanMessage *self);
/* "open", "done", … (not translated). (transfer none) */
const char      *lan_offer_state_to_string  (LanOfferState state);

/* "sending", "delivered", … for logs and the CLI (not translated). */
/* Returns: (transfer none) */
const char      *lan_message_state_to_string (LanMessageState state);

/* The engine's side: the core's objects create and update these; the app
 * and the CLI only read them. */
/* Returns: (transfer full) */
LanMessage *lan_message_new            (LanDirection     direction,
                                        const char      *peer_key,
                                        const char      *text,
                                        gint64           time_us,
                                        guint64          packet_no);
void        lan_message_set_state      (LanMessage      *self,
                                        LanMessageState  state);
void        lan_message_set_packet_no  (LanMessage      *self,
                                        guint64          packet_no);
void        lan_message_set_attempts   (LanMessage      *self,
                                        guint            attempts);
void        lan_message_set_round_trip (LanMessage      *self,
                                        gint64           round_trip_us);
void        lan_message_set_broadcast  (LanMessage      *self,
                                        gboolean         broadcast);
void        lan_message_set_auto_reply (LanMessage      *self,
                                        gboolean         auto_reply);
void        lan_message_set_sealed     (LanMessage      *self,
                                        gboolean         sealed);
void        lan_message_set_encrypted  (LanMessage      *self,
                                        gboolean         encrypted);
void        lan_message_set_error      (LanMessage      *self,
                                        const char      *error);
/* Returns: (transfer full) */
LanMessage *lan_message_new_notice     (const char      *text,
                                        gint64           time_us);
void        lan_message_set_notice_kind (LanMessage         *self,
                                         const char         *kind,
                                         const char * const *args);
/* Takes a reference to @files (element-type LanIpmsgFile; NULL or empty: none)
 * and makes the offer LAN_OFFER_OPEN. */
void        lan_message_set_files      (LanMessage      *self,
                                        GPtrArray       *files);
void        lan_message_set_offer_state (LanMessage     *self,
                                         LanOfferState   state);
/* Its row in the history, 0 when not stored. */
gint64      lan_message_get_history_id (LanMessage      *self);
void        lan_message_set_history_id (LanMessage      *self,
                                        gint64           id);

G_END_DECLS

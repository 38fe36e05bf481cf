/* lan-person.h — someone you have a conversation with, online or not.
 *
 * A person is an identity ("user@host", or a peer's key until it says)
 * with the peer to write to: the one online now, or the last one known
 * (from this session or from history), to whom a message waits in the
 * outbox. LanPeople lists them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "lan-conversation.h"
#include "lan-peer.h"

G_BEGIN_DECLS

#define LAN_TYPE_PERSON (lan_person_get_type ())
G_DECLARE_FINAL_TYPE (LanPerson, lan_person, LAN, PERSON, GObject)

/* Properties (read-only, notify):
 *   "identity"          string   what its conversation follows
 *   "peer"              LanPeer  never NULL: the online peer, or the last one known
 *   "online"            boolean  the peer is in the peer list now
 *   "unread"            uint     unread messages of its conversation
 *   "last-message"      string   text of the newest message (nullable, raw: sanitize to show)
 *   "last-message-time" int64    its g_get_real_time (), 0 when none
 * The nickname and "last seen" are the peer's.
 */
/* Returns: (transfer none) */
const char *lan_person_get_identity          (LanPerson *self);
/* Returns: (transfer none) */
LanPeer    *lan_person_get_peer              (LanPerson *self);
gboolean    lan_person_get_online            (LanPerson *self);
guint       lan_person_get_unread            (LanPerson *self);
/* Returns: (transfer none) (nullable) */
const char *lan_person_get_last_message      (LanPerson *self);
gint64      lan_person_get_last_message_time (LanPerson *self);
/* The conversation while it is alive (the person keeps one with unread
 * messages alive).
 * Returns: (transfer none) (nullable) */
LanConversation *lan_person_get_conversation (LanPerson *self);

/* LanPeople's side. */
/* Returns: (transfer full) */
/* @identity: as history has it; while online, the peer's identity is taken. */
LanPerson  *lan_person_new                   (const char      *identity,
                                              LanPeer         *peer,
                                              gboolean         online);
void        lan_person_set_peer              (LanPerson       *self,
                                              LanPeer         *peer,
                                              gboolean         online);
/* What history says of the newest message, until its conversation is watched. */
void        lan_person_set_summary           (LanPerson       *self,
                                              const char      *text,
                                              gint64           time_us);
/* Follow @conversation's unread count and newest message. */
void        lan_person_watch                 (LanPerson       *self,
                                              LanConversation *conversation);

G_END_DECLS

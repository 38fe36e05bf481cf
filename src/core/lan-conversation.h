/* lan-conversation.h — one peer's messages, a GListModel of LanMessage, oldest first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-message.h"

G_BEGIN_DECLS

#define LAN_TYPE_CONVERSATION (lan_conversation_get_type ())
G_DECLARE_FINAL_TYPE (LanConversation, lan_conversation, LAN, CONVERSATION, GObject)

/* Properties: "peer-key" (string), "unread" (uint, notify). */
/* Returns: (transfer none) */
const char *lan_conversation_get_peer_key  (LanConversation *self);
guint       lan_conversation_get_unread    (LanConversation *self);
void        lan_conversation_mark_read     (LanConversation *self);

/* Engine side: the conversation store keeps these (and tests use them). */
/* Returns: (transfer full) */
LanConversation *lan_conversation_new    (const char      *peer_key);
/* Incoming messages count as unread unless @loaded (from history). */
void             lan_conversation_append (LanConversation *self,
                                          LanMessage      *message,
                                          gboolean         loaded);
void             lan_conversation_clear  (LanConversation *self);

G_END_DECLS

/* lan-conversation-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-bounds.h"
#include "lan-conversation.h"

G_BEGIN_DECLS

/* Returns: (transfer full) */
LanConversation *lan_conversation_new    (const char      *peer_key);
/* Incoming messages count as unread unless @loaded (from history). */
void             lan_conversation_append (LanConversation *self,
                                          LanMessage      *message,
                                          gboolean         loaded);
void             lan_conversation_clear  (LanConversation *self);

G_END_DECLS

/* lan-conversation-store.h — conversations by identity, and the history behind them.
 *
 * A conversation is keyed by its peer's identity ("user@host", or the
 * peer's key until it says), so it follows a peer whose address changes.
 * At most a fixed number are kept in memory, least recently used going
 * first; one asked for again is loaded from history. One that somebody
 * else still holds (the UI) stays alive, and the store finds it again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-conversation.h"
#include "lan-history.h"
#include "lan-peer.h"

G_BEGIN_DECLS

/* A message that is alive elsewhere (outbox, pending send) with this row
 * in the history, so that a reloaded conversation shows that very object. */
typedef LanMessage *(*LanFindLiveFunc) (gint64      history_id,
                                        guint64     packet_no,
                                        gpointer    user_data);
/* An outgoing message still owed to @identity, from history. */
typedef void        (*LanOwedFunc)     (const char *identity,
                                        LanMessage *message,
                                        gpointer    user_data);

#define LAN_TYPE_CONVERSATION_STORE (lan_conversation_store_get_type ())
G_DECLARE_FINAL_TYPE (LanConversationStore, lan_conversation_store, LAN, CONVERSATION_STORE, GObject)

/* Property "error" (GError, read-only, notify): what went wrong with the
 * history, or NULL. History that fails is closed; chat goes on without it. */

/* Keeps at most @max_conversations in memory (0: LAN_MESSENGER_MAX_CONVERSATIONS).
 * Returns: (transfer full) */
LanConversationStore *lan_conversation_store_new (guint max_conversations);
void         lan_conversation_store_set_find_live (LanConversationStore *self,
                                                   LanFindLiveFunc       func,
                                                   gpointer              user_data);

/* Open the history at @path unless one is open (NULL: none), and drop what
 * is older than @days (0: keep everything). Problems go to "error". */
void         lan_conversation_store_open_history (LanConversationStore *self,
                                                  const char           *path,
                                                  guint                 days);
/* Returns: (transfer none) (nullable) */
LanHistory  *lan_conversation_store_get_history  (LanConversationStore *self);
/* Returns: (transfer none) (nullable) */
const GError *lan_conversation_store_get_error   (LanConversationStore *self);
/* Calls @func for every outgoing message the history says is still owed. */
void         lan_conversation_store_load_owed    (LanConversationStore *self,
                                                  LanOwedFunc           func,
                                                  gpointer              user_data);
/* The largest packet number we ever sent (0 without history). */
guint64      lan_conversation_store_max_sent_packet_no (LanConversationStore *self);

/* The conversation with @identity, loaded from history or made empty.
 * Returns: (transfer none) */
LanConversation *lan_conversation_store_get      (LanConversationStore *self,
                                                  const char           *identity);
/* Only when it is in memory.
 * Returns: (transfer none) (nullable) */
LanConversation *lan_conversation_store_lookup   (LanConversationStore *self,
                                                  const char           *identity);
/* Returns: (transfer none) */
LanConversation *lan_conversation_store_get_broadcast (LanConversationStore *self);
/* Conversations the store holds in memory (not counting the broadcast one,
 * nor those kept alive only by others). */
guint        lan_conversation_store_get_n_conversations (LanConversationStore *self);

/* Append @message to @identity's conversation ("*": the broadcast one) and
 * write it to history (before anything acknowledges it); its later state
 * changes are written too. FALSE when it could not be written. */
gboolean     lan_conversation_store_add          (LanConversationStore *self,
                                                  const char           *identity,
                                                  const char           *remote,
                                                  LanMessage           *message);
/* An incoming message from @remote with @packet_no and @text stored since @since_us. */
gboolean     lan_conversation_store_is_repeat    (LanConversationStore *self,
                                                  const char           *remote,
                                                  guint64               packet_no,
                                                  const char           *text,
                                                  gint64                since_us);
/* @peer announced names: remember them, and say so when it moved. */
void         lan_conversation_store_peer_seen    (LanConversationStore *self,
                                                  LanPeer              *peer);
/* @peer was known as @old_identity: its conversation follows it. */
void         lan_conversation_store_adopt        (LanConversationStore *self,
                                                  LanPeer              *peer,
                                                  const char           *old_identity);
/* Nobody is at @identity any more: let its conversation go (unless held). */
void         lan_conversation_store_forget       (LanConversationStore *self,
                                                  const char           *identity);
gboolean     lan_conversation_store_delete       (LanConversationStore *self,
                                                  const char           *identity,
                                                  GError              **error);
gboolean     lan_conversation_store_clear        (LanConversationStore *self,
                                                  GError              **error);

G_END_DECLS

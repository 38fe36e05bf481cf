/* lan-outbox.h — messages waiting for their person to come back.
 *
 * Queued per identity with the address the person was confirmed at; taken
 * out, to be sent again, when that person announces itself there. Only with history: a queue that can't outlive a restart
 * would promise more than it keeps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-conversation-store.h"
#include "lan-message.h"

G_BEGIN_DECLS

/* The history at @path was opened (see lan_outbox_open). */
typedef void (*LanOutboxOpenedFunc) (const char *path,
                                     gpointer    user_data);

#define LAN_TYPE_OUTBOX (lan_outbox_get_type ())
G_DECLARE_FINAL_TYPE (LanOutbox, lan_outbox, LAN, OUTBOX, GObject)

/* Returns: (transfer full) */
LanOutbox  *lan_outbox_new         (LanConversationStore *store);
/* TRUE while there is a history to keep the queue in. */
gboolean    lan_outbox_get_enabled (LanOutbox            *self);
/* Open the store's history at @path (see lan_conversation_store_open_history)
 * unless it is open, and queue what it says is still owed. TRUE when it was
 * opened now. */
gboolean    lan_outbox_open        (LanOutbox            *self,
                                    const char           *path,
                                    guint                 days);
void        lan_outbox_set_opened_func (LanOutbox          *self,
                                        LanOutboxOpenedFunc func,
                                        gpointer            user_data);
/* Queue @message for @identity (once), saying @why (may be NULL). */
void        lan_outbox_add         (LanOutbox            *self,
                                    const char           *identity,
                                    LanMessage           *message,
                                    const char           *why);
/* FALSE when @message wasn't queued. */
gboolean    lan_outbox_remove      (LanOutbox            *self,
                                    LanMessage           *message);
/* At most @max of what is queued for @identity, oldest first, now out of
 * the queue.
 * Returns: (transfer full) (element-type LanMessage) (nullable) */
GPtrArray  *lan_outbox_take_some   (LanOutbox            *self,
                                    const char           *identity,
                                    guint                 max);
guint       lan_outbox_count       (LanOutbox            *self,
                                    const char           *identity);
/* The one address ("ip:port") @identity's queue may go to: where the person
 * was confirmed when the first waiting message was queued, or where the
 * user said they moved (lan_outbox_confirm).
 * Returns: (transfer none) (nullable) */
const char *lan_outbox_get_confirmed (LanOutbox          *self,
                                      const char         *identity);
/* The user confirmed that @identity is now at @key. */
void        lan_outbox_confirm     (LanOutbox            *self,
                                    const char           *identity,
                                    const char           *key);
void        lan_outbox_forget      (LanOutbox            *self,
                                    const char           *identity);
void        lan_outbox_clear       (LanOutbox            *self);
/* Forget @identity's conversation, on disk and here, and what it was owed. */
gboolean    lan_outbox_delete      (LanOutbox            *self,
                                    const char           *identity,
                                    GError              **error);
/* Forget every conversation and everything owed. */
gboolean    lan_outbox_clear_history (LanOutbox          *self,
                                      GError             **error);
/* The queued message stored as @history_id.
 * Returns: (transfer none) (nullable) */
LanMessage *lan_outbox_lookup      (LanOutbox            *self,
                                    gint64                history_id);

G_END_DECLS

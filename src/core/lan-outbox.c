/* lan-outbox.c — queued messages per person.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-outbox"

#include "config.h"

#include "lan-message.h"
#include "lan-outbox.h"

struct _LanOutbox
{
  GObject               parent_instance;

  LanConversationStore *store;
  GHashTable           *queues;     /* identity → GPtrArray of LanMessage */
};

G_DEFINE_FINAL_TYPE (LanOutbox, lan_outbox, G_TYPE_OBJECT)

static void
lan_outbox_finalize (GObject *object)
{
  LanOutbox *self = LAN_OUTBOX (object);

  g_clear_pointer (&self->queues, g_hash_table_unref);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (lan_outbox_parent_class)->finalize (object);
}

static void
lan_outbox_class_init (LanOutboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lan_outbox_finalize;
}

static void
lan_outbox_init (LanOutbox *self)
{
  self->queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
}

LanOutbox *
lan_outbox_new (LanConversationStore *store)
{
  LanOutbox *self = g_object_new (LAN_TYPE_OUTBOX, NULL);

  self->store = g_object_ref (store);
  return self;
}

gboolean
lan_outbox_get_enabled (LanOutbox *self)
{
  return lan_conversation_store_get_history (self->store) != NULL;
}

static void
add_owed (const char *identity,
          LanMessage *message,
          gpointer    user_data)
{
  /* "Sending" when we stopped: it goes out again with the rest of the queue. */
  lan_outbox_add (user_data, identity, message, lan_message_get_error (message));
}

gboolean
lan_outbox_open (LanOutbox  *self,
                 const char *path,
                 guint       days)
{
  if (lan_conversation_store_get_history (self->store) != NULL)
    return FALSE;
  lan_conversation_store_open_history (self->store, path, days);
  if (lan_conversation_store_get_history (self->store) == NULL)
    return FALSE;
  lan_conversation_store_load_owed (self->store, add_owed, self);
  return TRUE;
}

void
lan_outbox_add (LanOutbox  *self,
                const char *identity,
                LanMessage *message,
                const char *why)
{
  GPtrArray *queue = g_hash_table_lookup (self->queues, identity);

  if (queue == NULL)
    {
      queue = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->queues, g_strdup (identity), queue);
    }
  if (!g_ptr_array_find (queue, message, NULL))
    g_ptr_array_add (queue, g_object_ref (message));
  lan_message_set_error (message, why);
  lan_message_set_state (message, LAN_MESSAGE_QUEUED);
}

gboolean
lan_outbox_remove (LanOutbox  *self,
                   LanMessage *message)
{
  GHashTableIter iter;
  GPtrArray *queue;

  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &queue))
    if (g_ptr_array_remove (queue, message))
      return TRUE;
  return FALSE;
}

GPtrArray *
lan_outbox_take (LanOutbox  *self,
                 const char *identity)
{
  GPtrArray *queue = NULL;
  gpointer key = NULL;

  if (!g_hash_table_steal_extended (self->queues, identity, &key, (gpointer *) &queue))
    return NULL;
  g_free (key);
  return queue;
}

void
lan_outbox_forget (LanOutbox  *self,
                   const char *identity)
{
  g_hash_table_remove (self->queues, identity);
}

void
lan_outbox_clear (LanOutbox *self)
{
  g_hash_table_remove_all (self->queues);
}

gboolean
lan_outbox_delete (LanOutbox   *self,
                   const char  *identity,
                   GError     **error)
{
  if (!lan_conversation_store_delete (self->store, identity, error))
    return FALSE;
  lan_outbox_forget (self, identity);
  return TRUE;
}

gboolean
lan_outbox_clear_history (LanOutbox  *self,
                          GError    **error)
{
  if (!lan_conversation_store_clear (self->store, error))
    return FALSE;
  lan_outbox_clear (self);
  return TRUE;
}

LanMessage *
lan_outbox_lookup (LanOutbox *self,
                   gint64     history_id)
{
  GHashTableIter iter;
  GPtrArray *queue;

  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &queue))
    for (guint i = 0; i < queue->len; i++)
      if (lan_message_get_history_id (g_ptr_array_index (queue, i)) == history_id)
        return g_ptr_array_index (queue, i);
  return NULL;
}

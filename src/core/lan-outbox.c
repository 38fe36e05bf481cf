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
  GHashTable           *queues;     /* identity → Queue */
  LanOutboxOpenedFunc   opened;
  gpointer              opened_data;
};

/* What one person is owed, and the only address it may go to: where they
 * were last confirmed (an impostor's announcement names an identity, not
 * an address we trust). */
typedef struct {
  GPtrArray *messages;              /* LanMessage, oldest first */
  char      *confirmed;             /* "ip:port" */
} Queue;

static void
queue_free (Queue *queue)
{
  g_ptr_array_unref (queue->messages);
  g_free (queue->confirmed);
  g_free (queue);
}

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
                                        (GDestroyNotify) queue_free);
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
  if (self->opened != NULL)
    self->opened (path, self->opened_data);
  return TRUE;
}

void
lan_outbox_set_opened_func (LanOutbox           *self,
                            LanOutboxOpenedFunc  func,
                            gpointer             user_data)
{
  self->opened = func;
  self->opened_data = user_data;
}

void
lan_outbox_add (LanOutbox  *self,
                const char *identity,
                LanMessage *message,
                const char *why)
{
  Queue *queue = g_hash_table_lookup (self->queues, identity);

  if (queue == NULL)
    {
      queue = g_new0 (Queue, 1);
      queue->messages = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->queues, g_strdup (identity), queue);
    }
  if (!g_ptr_array_find (queue->messages, message, NULL))
    g_ptr_array_add (queue->messages, g_object_ref (message));
  /* It was sent (or meant) to where the person was then. */
  if (queue->confirmed == NULL || queue->messages->len == 1)
    {
      g_free (queue->confirmed);
      queue->confirmed = g_strdup (lan_message_get_peer_key (message));
    }
  lan_message_set_error (message, why);
  lan_message_set_state (message, LAN_MESSAGE_QUEUED);
}

gboolean
lan_outbox_remove (LanOutbox  *self,
                   LanMessage *message)
{
  GHashTableIter iter;
  Queue *queue;

  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &queue))
    if (g_ptr_array_remove (queue->messages, message))
      return TRUE;
  return FALSE;
}

GPtrArray *
lan_outbox_take_some (LanOutbox  *self,
                      const char *identity,
                      guint       max)
{
  Queue *queue = g_hash_table_lookup (self->queues, identity);
  GPtrArray *taken;
  guint n;

  if (queue == NULL || max == 0)
    return NULL;
  n = MIN (max, queue->messages->len);
  taken = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (taken, g_object_ref (g_ptr_array_index (queue->messages, i)));
  g_ptr_array_remove_range (queue->messages, 0, n);
  if (queue->messages->len == 0)
    g_hash_table_remove (self->queues, identity);
  return taken;
}

guint
lan_outbox_count (LanOutbox  *self,
                  const char *identity)
{
  Queue *queue = g_hash_table_lookup (self->queues, identity);

  return queue != NULL ? queue->messages->len : 0;
}

const char *
lan_outbox_get_confirmed (LanOutbox  *self,
                          const char *identity)
{
  Queue *queue = g_hash_table_lookup (self->queues, identity);

  return queue != NULL ? queue->confirmed : NULL;
}

void
lan_outbox_confirm (LanOutbox  *self,
                    const char *identity,
                    const char *key)
{
  Queue *queue = g_hash_table_lookup (self->queues, identity);

  if (queue == NULL)
    return;
  g_free (queue->confirmed);
  queue->confirmed = g_strdup (key);
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
  Queue *queue;

  g_hash_table_iter_init (&iter, self->queues);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &queue))
    for (guint i = 0; i < queue->messages->len; i++)
      if (lan_message_get_history_id (g_ptr_array_index (queue->messages, i)) == history_id)
        return g_ptr_array_index (queue->messages, i);
  return NULL;
}

/* lan-conversation-store.c — conversations in a bounded LRU, backed by history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-conversation-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-bounds.h"
#include "lan-conversation.h"
#include "lan-conversation-store.h"
#include "lan-history-dialect.h"
#include "lan-history-budget.h"
#include "lan-history-files.h"
#include "lan-message.h"
#include "lan-notice.h"

/* Held in memory, in LRU order. */
typedef struct {
  char            *identity;
  LanConversation *conversation;
  GList            link;         /* in self->lru; data = this */
} Held;

/* Let go by the store but still alive elsewhere; forgotten when it dies. */
typedef struct {
  LanConversationStore *store;
  char                 *identity;
  LanConversation      *conversation;  /* weak */
} Kept;

struct _LanConversationStore
{
  GObject          parent_instance;

  guint            max;
  GHashTable      *held;       /* identity → Held */
  GQueue           lru;        /* Held, least recently used first */
  GHashTable      *kept;       /* identity → Kept */
  LanConversation *broadcast;

  LanHistory      *history;
  GError          *error;
  GHashTable      *saved_peers;  /* identity → what was last written of it */
  LanHistoryBudget *budget;      /* what strangers may write */
  LanFindLiveFunc  find_live;
  gpointer         find_live_data;
};

enum {
  PROP_0,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (LanConversationStore, lan_conversation_store, G_TYPE_OBJECT)

/* Errors */

static void
set_error (LanConversationStore *self,
           GError               *error)   /* takes it */
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
history_failed (LanConversationStore *self,
                const GError         *error)
{
  /* Chat goes on without it; the app says so. */
  g_clear_object (&self->history);
  set_error (self, g_error_new (error->domain, error->code, _("History is off: %s"), error->message));
}

/* Messages */

static void
on_message_changed (LanMessage           *message,
                    GParamSpec           *pspec,
                    LanConversationStore *self)
{
  g_autoptr(GError) error = NULL;

  if (self->history == NULL || lan_message_get_history_id (message) == 0)
    return;
  if (!lan_history_set_state (self->history, lan_message_get_history_id (message),
                              lan_message_get_state (message), lan_message_get_error (message),
                              lan_message_get_sealed (message), &error))
    history_failed (self, error);
}

static void
follow_message (LanConversationStore *self,
                LanMessage           *message)
{
  g_autoptr(GError) error = NULL;
  if (!lan_history_files_follow (self->history, message, &error))
    history_failed (self, error);
  /* Opened: it stays open when the history is read again. */
  if (lan_message_get_sealed (message))
    g_signal_connect_object (message, "notify::sealed", G_CALLBACK (on_message_changed), self, 0);
  if (lan_message_get_direction (message) != LAN_DIRECTION_OUT || lan_message_get_notice (message))
    return;
  g_signal_connect_object (message, "notify::state", G_CALLBACK (on_message_changed), self, 0);
  g_signal_connect_object (message, "notify::error", G_CALLBACK (on_message_changed), self, 0);
}

static LanMessage *
message_from_history (LanConversationStore    *self,
                      const LanHistoryMessage *stored)
{
  LanMessage *message;

  if (stored->notice)
    message = lan_notice_from_json (stored->notice_json, stored->text, stored->time_us);
  else
    {
      message = lan_message_new (stored->direction, stored->remote, stored->text,
                                 stored->time_us, stored->packet_no);
      lan_message_set_broadcast (message, stored->broadcast);
      lan_message_set_auto_reply (message, stored->auto_reply);
      lan_message_set_sealed (message, stored->sealed);
      lan_message_set_error (message, stored->error);
      lan_message_set_state (message, stored->state);
      lan_message_set_attempts (message, stored->direction == LAN_DIRECTION_OUT ? 1 : 0);
    }
  lan_message_set_history_id (message, stored->id);
  follow_message (self, message);
  return message;
}

/* Conversations in memory */

static void
held_free (Held *held)
{
  g_free (held->identity);
  g_clear_object (&held->conversation);
  g_free (held);
}

static void kept_died (gpointer data, GObject *where_the_object_was);

static void
kept_free (Kept *kept)
{
  if (kept->conversation != NULL)
    g_object_weak_unref (G_OBJECT (kept->conversation), kept_died, kept);
  g_free (kept->identity);
  g_free (kept);
}

static void
kept_died (gpointer  data,
           GObject  *where_the_object_was)
{
  Kept *kept = data;

  kept->conversation = NULL;
  g_hash_table_remove (kept->store->kept, kept->identity);
}

/* Let @held go: it dies now unless somebody else holds it. */
static void
release (LanConversationStore *self,
         Held                 *held)
{
  g_autoptr(LanConversation) conversation = g_steal_pointer (&held->conversation);
  Kept *kept = g_new0 (Kept, 1);

  g_queue_unlink (&self->lru, &held->link);
  kept->store = self;
  kept->identity = g_strdup (held->identity);
  kept->conversation = conversation;
  g_object_weak_ref (G_OBJECT (conversation), kept_died, kept);
  g_hash_table_replace (self->kept, kept->identity, kept);
  /* Frees @held. */
  g_hash_table_remove (self->held, held->identity);
  /* The reference dropped on return may be the last: kept_died removes @kept then. */
}

static Held *
hold (LanConversationStore *self,
      const char           *identity,
      LanConversation      *conversation)   /* takes it */
{
  Held *held = g_new0 (Held, 1);

  held->identity = g_strdup (identity);
  held->conversation = conversation;
  held->link.data = held;
  g_hash_table_replace (self->held, held->identity, held);
  g_queue_push_tail_link (&self->lru, &held->link);

  while (self->lru.length > self->max)
    release (self, g_queue_peek_head (&self->lru));
  return held;
}

static void
touch (LanConversationStore *self,
       Held                 *held)
{
  g_queue_unlink (&self->lru, &held->link);
  g_queue_push_tail_link (&self->lru, &held->link);
}

static void
load (LanConversationStore *self,
      LanConversation      *conversation,
      const char           *identity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = NULL;

  if (self->history == NULL)
    return;
  stored = lan_history_load_conversation (self->history, identity, LAN_CONVERSATION_LOAD_LIMIT, &error);
  if (stored == NULL)
    {
      history_failed (self, error);
      return;
    }
  for (guint i = 0; i < stored->len; i++)
    {
      LanHistoryMessage *row = g_ptr_array_index (stored, i);
      LanMessage *live = NULL;
      g_autoptr(LanMessage) message = NULL;

      if (!row->notice && row->direction == LAN_DIRECTION_OUT && self->find_live != NULL)
        live = self->find_live (row->id, row->packet_no, self->find_live_data);
      message = live != NULL ? g_object_ref (live) : message_from_history (self, row);
      lan_conversation_append (conversation, message, TRUE);
    }
}

LanConversation *
lan_conversation_store_lookup (LanConversationStore *self,
                               const char           *identity)
{
  Held *held = g_hash_table_lookup (self->held, identity);
  Kept *kept;

  if (held != NULL)
    return held->conversation;
  kept = g_hash_table_lookup (self->kept, identity);
  return kept != NULL ? kept->conversation : NULL;
}

LanConversation *
lan_conversation_store_get (LanConversationStore *self,
                            const char           *identity)
{
  Held *held;
  Kept *kept;
  LanConversation *conversation;

  g_return_val_if_fail (LAN_IS_CONVERSATION_STORE (self), NULL);
  g_return_val_if_fail (identity != NULL, NULL);

  if (g_str_equal (identity, "*"))
    return self->broadcast;

  held = g_hash_table_lookup (self->held, identity);
  if (held != NULL)
    {
      touch (self, held);
      return held->conversation;
    }

  kept = g_hash_table_lookup (self->kept, identity);
  if (kept != NULL)
    {
      conversation = g_object_ref (kept->conversation);
      g_hash_table_remove (self->kept, identity);
    }
  else
    {
      conversation = lan_conversation_new (identity);
      load (self, conversation, identity);
    }
  return hold (self, identity, conversation)->conversation;
}

LanConversation *
lan_conversation_store_get_broadcast (LanConversationStore *self)
{
  return self->broadcast;
}

guint
lan_conversation_store_get_n_conversations (LanConversationStore *self)
{
  return self->lru.length;
}

void
lan_conversation_store_forget (LanConversationStore *self,
                               const char           *identity)
{
  Held *held = g_hash_table_lookup (self->held, identity);

  if (held != NULL)
    release (self, held);
}

void
lan_conversation_store_adopt (LanConversationStore *self,
                              LanPeer              *peer,
                              const char           *old_identity)
{
  const char *identity = lan_peer_get_identity (peer);
  LanConversation *old;
  Held *held;

  if (g_strcmp0 (old_identity, identity) == 0)
    return;
  old = lan_conversation_store_lookup (self, old_identity);
  if (old == NULL)
    return;

  /* With history, the identity may have a past on disk that isn't loaded. */
  if (lan_conversation_store_lookup (self, identity) != NULL || self->history != NULL)
    {
      g_autoptr(LanConversation) keep = g_object_ref (old);
      LanConversation *target = lan_conversation_store_get (self, identity);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (keep));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(LanMessage) message = g_list_model_get_item (G_LIST_MODEL (keep), i);

          lan_conversation_append (target, message, TRUE);
        }
      /* Whoever shows the old one sees it empty rather than stale. */
      lan_conversation_clear (keep);
      return;
    }

  /* The same object under its new name: whoever shows it keeps showing it. */
  held = g_hash_table_lookup (self->held, old_identity);
  if (held != NULL)
    {
      LanConversation *conversation = g_steal_pointer (&held->conversation);

      g_queue_unlink (&self->lru, &held->link);
      g_hash_table_remove (self->held, old_identity);
      hold (self, identity, conversation);
    }
  else
    {
      g_autoptr(LanConversation) conversation = g_object_ref (old);

      g_hash_table_remove (self->kept, old_identity);
      hold (self, identity, g_steal_pointer (&conversation));
    }
}

/* History */

/* Known people are never throttled: we wrote to them, or they are in the
 * peers table (they announced themselves, now or in an earlier session). */
static gboolean
is_known (LanConversationStore *self,
          const char           *identity)
{
  g_autoptr(LanHistoryPeer) saved = NULL;

  if (lan_history_budget_is_known (self->budget, identity) ||
      g_hash_table_contains (self->saved_peers, identity))
    return TRUE;
  /* A failed lookup only leaves them a stranger, within the budget. */
  saved = lan_history_lookup_peer (self->history, identity, NULL);
  return saved != NULL;
}

gboolean
lan_conversation_store_add (LanConversationStore *self,
                            const char           *identity,
                            const char           *remote,
                            LanMessage           *message)
{
  g_autoptr(GError) error = NULL;
  LanConversation *conversation = lan_conversation_store_get (self, identity);

  lan_conversation_append (conversation, message, FALSE);
  if (self->history == NULL)
    return FALSE;

  if (lan_message_get_notice (message))
    {
      g_autofree char *notice = lan_notice_to_json (message);

      if (!lan_history_add_notice (self->history, identity, lan_message_get_text (message),
                                   lan_message_get_time (message), notice, &error))
        {
          history_failed (self, error);
          return FALSE;
        }
      return TRUE;
    }

  if (lan_message_get_direction (message) == LAN_DIRECTION_OUT)
    lan_history_budget_mark_known (self->budget, identity);
  else if (!is_known (self, identity) &&
           !lan_history_budget_admit (self->budget, identity, strlen (lan_message_get_text (message)),
                                      g_get_monotonic_time ()))
    return FALSE;   /* a stranger over budget: shown, not kept, so not acknowledged */
  {
    gint64 id = lan_history_add_message (self->history, identity, remote, message, &error);

    if (id == 0)
      {
        history_failed (self, error);
        return FALSE;
      }
    lan_message_set_history_id (message, id);
  }
  follow_message (self, message);
  return TRUE;
}

gboolean
lan_conversation_store_is_repeat (LanConversationStore *self,
                                  const char           *remote,
                                  guint64               packet_no,
                                  const char           *text,
                                  gint64                since_us)
{
  g_autoptr(GError) error = NULL;
  gboolean repeat;

  if (self->history == NULL)
    return FALSE;
  repeat = lan_history_has_incoming (self->history, remote, packet_no, text, since_us, &error);
  if (error != NULL)
    history_failed (self, error);
  return repeat;
}

void
lan_conversation_store_peer_seen (LanConversationStore *self,
                                  LanPeer              *peer)
{
  g_autoptr(LanHistoryPeer) known = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  const char *identity = lan_peer_get_identity (peer);
  LanHistoryPeer now = { 0 };

  if (self->history == NULL || g_strcmp0 (identity, lan_peer_get_key (peer)) == 0)
    return;
  if (!lan_history_dialect_track (self->history, peer, &error))
    {
      history_failed (self, error);
      return;
    }

  /* Written only when something worth keeping changed: a peer flipping its
   * away state (or a flood pretending to) must not cost a disk write each time. */
  signature = g_strdup_printf ("%s\n%s", lan_peer_get_key (peer), lan_peer_get_nickname (peer));
  if (g_strcmp0 (g_hash_table_lookup (self->saved_peers, identity), signature) == 0)
    return;
  if (g_hash_table_size (self->saved_peers) >= LAN_MESSENGER_MAX_SAVED_PEERS)
    g_hash_table_remove_all (self->saved_peers);
  g_hash_table_replace (self->saved_peers, g_strdup (identity), g_steal_pointer (&signature));

  known = lan_history_lookup_peer (self->history, identity, &error);
  if (error != NULL)
    {
      history_failed (self, error);
      return;
    }
  if (known != NULL && known->address != NULL &&
      g_strcmp0 (known->address, lan_peer_get_key (peer)) != 0)
    {
      const char *args[] = { lan_peer_get_nickname (peer), lan_peer_get_key (peer), known->address, NULL };
      g_autoptr(LanMessage) notice = lan_notice_new (LAN_NOTICE_MOVED, args, g_get_real_time ());

      lan_conversation_store_add (self, identity, NULL, notice);
      if (self->history == NULL)
        return;
    }

  now.identity = (char *) identity;
  now.user = (char *) lan_peer_get_user (peer);
  now.host = (char *) lan_peer_get_host (peer);
  now.nickname = (char *) lan_peer_get_nickname (peer);
  now.address = (char *) lan_peer_get_key (peer);
  now.last_seen = lan_peer_get_last_seen (peer);
  if (!lan_history_save_peer (self->history, &now, &error))
    history_failed (self, error);
}

void
lan_conversation_store_open_history (LanConversationStore *self,
                                     const char           *path,
                                     guint                 days)
{
  g_autofree char *warning = NULL;
  g_autoptr(GError) error = NULL;

  if (self->history != NULL || path == NULL)
    return;
  self->history = lan_history_open_or_recover (path, &warning);
  set_error (self, warning != NULL ? g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, warning) : NULL);
  if (self->history != NULL && !lan_history_budget_load_known (self->budget, self->history, &error))
    history_failed (self, error);
  g_clear_error (&error);
  if (self->history != NULL && days > 0 && lan_history_prune (self->history, days, &error) < 0)
    history_failed (self, error);
}

LanHistory *
lan_conversation_store_get_history (LanConversationStore *self)
{
  return self->history;
}

const GError *
lan_conversation_store_get_error (LanConversationStore *self)
{
  return self->error;
}

void
lan_conversation_store_load_owed (LanConversationStore *self,
                                  LanOwedFunc           func,
                                  gpointer              user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) owed = NULL;

  if (self->history == NULL)
    return;
  owed = lan_history_load_outbox (self->history, &error);
  if (owed == NULL)
    {
      history_failed (self, error);
      return;
    }
  for (guint i = 0; i < owed->len; i++)
    {
      LanHistoryMessage *row = g_ptr_array_index (owed, i);
      LanConversation *conversation = lan_conversation_store_lookup (self, row->identity);
      g_autoptr(LanMessage) message = NULL;

      /* Already in a conversation in memory: that object is what is owed. */
      for (guint j = 0; conversation != NULL && j < g_list_model_get_n_items (G_LIST_MODEL (conversation)); j++)
        {
          g_autoptr(LanMessage) shown = g_list_model_get_item (G_LIST_MODEL (conversation), j);

          if (lan_message_get_history_id (shown) == row->id)
            {
              message = g_steal_pointer (&shown);
              break;
            }
        }
      if (message == NULL)
        message = message_from_history (self, row);
      func (row->identity, message, user_data);
    }
}

guint64
lan_conversation_store_max_sent_packet_no (LanConversationStore *self)
{
  g_autoptr(GError) error = NULL;
  guint64 packet_no;

  if (self->history == NULL)
    return 0;
  packet_no = lan_history_max_sent_packet_no (self->history, &error);
  if (error != NULL)
    history_failed (self, error);
  return packet_no;
}

gboolean
lan_conversation_store_delete (LanConversationStore  *self,
                               const char            *identity,
                               GError               **error)
{
  LanConversation *conversation;

  if (self->history != NULL && !lan_history_delete_conversation (self->history, identity, error))
    return FALSE;
  conversation = lan_conversation_store_lookup (self, identity);
  if (conversation != NULL)
    lan_conversation_clear (conversation);
  return TRUE;
}

gboolean
lan_conversation_store_clear (LanConversationStore  *self,
                              GError               **error)
{
  GHashTableIter iter;
  gpointer value;

  if (self->history != NULL && !lan_history_clear (self->history, error))
    return FALSE;
  g_hash_table_iter_init (&iter, self->held);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    lan_conversation_clear (((Held *) value)->conversation);
  g_hash_table_iter_init (&iter, self->kept);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    lan_conversation_clear (((Kept *) value)->conversation);
  lan_conversation_clear (self->broadcast);
  g_hash_table_remove_all (self->saved_peers);
  return TRUE;
}

/* Object */

static void
lan_conversation_store_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  LanConversationStore *self = LAN_CONVERSATION_STORE (object);

  switch (prop_id)
    {
    case PROP_ERROR: g_value_set_boxed (value, self->error); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
lan_conversation_store_finalize (GObject *object)
{
  LanConversationStore *self = LAN_CONVERSATION_STORE (object);

  /* The links live in the Held entries, which the table frees. */
  g_queue_init (&self->lru);
  g_clear_pointer (&self->held, g_hash_table_unref);
  g_clear_pointer (&self->kept, g_hash_table_unref);
  g_clear_pointer (&self->saved_peers, g_hash_table_unref);
  g_clear_pointer (&self->budget, lan_history_budget_free);
  g_clear_object (&self->broadcast);
  g_clear_object (&self->history);
  g_clear_error (&self->error);
  G_OBJECT_CLASS (lan_conversation_store_parent_class)->finalize (object);
}

static void
lan_conversation_store_class_init (LanConversationStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = lan_conversation_store_get_property;
  object_class->finalize = lan_conversation_store_finalize;

  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                               G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
lan_conversation_store_init (LanConversationStore *self)
{
  self->held = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) held_free);
  self->kept = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) kept_free);
  g_queue_init (&self->lru);
  self->saved_peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->budget = lan_history_budget_new ();
  self->broadcast = lan_conversation_new ("*");
}

LanConversationStore *
lan_conversation_store_new (guint max_conversations)
{
  LanConversationStore *self = g_object_new (LAN_TYPE_CONVERSATION_STORE, NULL);

  self->max = max_conversations > 0 ? max_conversations : LAN_MESSENGER_MAX_CONVERSATIONS;
  return self;
}

void
lan_conversation_store_set_find_live (LanConversationStore *self,
                                      LanFindLiveFunc       func,
                                      gpointer              user_data)
{
  self->find_live = func;
  self->find_live_data = user_data;
}

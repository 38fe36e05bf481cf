/* lan-messenger-history.c — what the engine writes down and what it owes:
 * the history store, peers' identities across addresses, and the outbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "lan-conversation-private.h"
#include "lan-message-private.h"
#include "lan-messenger-private.h"
#include "lan-peer-list-private.h"

/* Messages kept in memory per conversation when loading; the rest stay on disk. */
#define LOAD_LIMIT 500
/* Without a sender's BR_ENTRY to date its session, a repeat is looked for this far back. */
#define REPEAT_WINDOW_US ((gint64) G_USEC_PER_SEC * 3600)

static void
history_failed (LanMessenger *self,
                GError       *error)
{
  g_autofree char *text = g_strdup_printf (_("History is off: %s"), error->message);

  /* Chat goes on without it; the app says so. */
  g_clear_object (&self->history);
  lan_messenger_set_history_error (self, text);
}

static void
on_message_changed (LanMessage   *message,
                    GParamSpec   *pspec,
                    LanMessenger *self)
{
  g_autoptr(GError) error = NULL;

  if (self->history == NULL || lan_message_get_history_id (message) == 0)
    return;
  if (!lan_history_set_state (self->history, lan_message_get_history_id (message),
                              lan_message_get_state (message), lan_message_get_error (message),
                              &error))
    history_failed (self, error);
}

static void
follow_message (LanMessenger *self,
                LanMessage   *message)
{
  if (lan_message_get_direction (message) != LAN_DIRECTION_OUT)
    return;
  g_signal_connect_object (message, "notify::state", G_CALLBACK (on_message_changed), self, 0);
  g_signal_connect_object (message, "notify::error", G_CALLBACK (on_message_changed), self, 0);
}

gboolean
lan_messenger_history_store (LanMessenger *self,
                             const char   *identity,
                             const char   *remote,
                             LanMessage   *message)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (self->history == NULL)
    return FALSE;
  id = lan_history_add_message (self->history, identity, remote, message, &error);
  if (id == 0)
    {
      history_failed (self, error);
      return FALSE;
    }
  lan_message_set_history_id (message, id);
  follow_message (self, message);
  return TRUE;
}

gboolean
lan_messenger_history_is_repeat (LanMessenger *self,
                                 const char   *remote,
                                 guint64       packet_no,
                                 const char   *text)
{
  gpointer session_start;
  gint64 since;

  if (self->history == NULL)
    return FALSE;
  /* A sender's new session (its BR_ENTRY) may reuse packet numbers. */
  if (g_hash_table_lookup_extended (self->sessions, remote, NULL, &session_start))
    since = *(gint64 *) session_start;
  else
    since = g_get_real_time () - REPEAT_WINDOW_US;
  return lan_history_has_incoming (self->history, remote, packet_no, text, since);
}

void
lan_messenger_history_session_started (LanMessenger *self,
                                       const char   *remote)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_real_time ();
  /* Bounded like every table fed from the network: forgetting is safe, it only widens the window. */
  if (g_hash_table_size (self->sessions) >= LAN_PEER_LIST_DEFAULT_MAX)
    g_hash_table_remove_all (self->sessions);
  g_hash_table_replace (self->sessions, g_strdup (remote), start);
}

static void
add_notice (LanMessenger *self,
            LanPeer      *peer,
            const char   *text)
{
  g_autoptr(LanMessage) notice = lan_message_new_notice (text, g_get_real_time ());
  g_autoptr(GError) error = NULL;

  lan_conversation_append (lan_messenger_conversation_for (self, lan_peer_get_identity (peer)),
                           notice, FALSE);
  if (self->history != NULL &&
      !lan_history_add_notice (self->history, lan_peer_get_identity (peer), text,
                               lan_message_get_time (notice), &error))
    history_failed (self, error);
}

void
lan_messenger_history_peer_seen (LanMessenger *self,
                                 LanPeer      *peer)
{
  g_autoptr(LanHistoryPeer) known = NULL;
  g_autoptr(GError) error = NULL;
  LanHistoryPeer now = { 0 };

  g_autofree char *signature = NULL;

  if (self->history == NULL || g_strcmp0 (lan_peer_get_identity (peer), lan_peer_get_key (peer)) == 0)
    return;

  /* Written only when something worth keeping changed: a peer flipping its
   * away state (or a flood pretending to) must not cost a disk write each time. */
  signature = g_strdup_printf ("%s\n%s", lan_peer_get_key (peer), lan_peer_get_nickname (peer));
  if (g_strcmp0 (g_hash_table_lookup (self->saved_peers, lan_peer_get_identity (peer)), signature) == 0)
    return;
  if (g_hash_table_size (self->saved_peers) >= LAN_PEER_LIST_DEFAULT_MAX)
    g_hash_table_remove_all (self->saved_peers);
  g_hash_table_replace (self->saved_peers, g_strdup (lan_peer_get_identity (peer)),
                        g_steal_pointer (&signature));

  known = lan_history_lookup_peer (self->history, lan_peer_get_identity (peer));
  if (known != NULL && known->address != NULL &&
      g_strcmp0 (known->address, lan_peer_get_key (peer)) != 0)
    {
      g_autofree char *text = g_strdup_printf (_("%s is now at %s (was %s)"),
                                               lan_peer_get_nickname (peer),
                                               lan_peer_get_key (peer), known->address);

      add_notice (self, peer, text);
    }

  now.identity = (char *) lan_peer_get_identity (peer);
  now.user = (char *) lan_peer_get_user (peer);
  now.host = (char *) lan_peer_get_host (peer);
  now.nickname = (char *) lan_peer_get_nickname (peer);
  now.address = (char *) lan_peer_get_key (peer);
  now.last_seen = lan_peer_get_last_seen (peer);
  if (!lan_history_save_peer (self->history, &now, &error))
    history_failed (self, error);
}

static GPtrArray *
outbox_for (LanMessenger *self,
            const char   *identity)
{
  GPtrArray *queue = g_hash_table_lookup (self->outbox, identity);

  if (queue == NULL)
    {
      queue = g_ptr_array_new_with_free_func (g_object_unref);
      g_hash_table_insert (self->outbox, g_strdup (identity), queue);
    }
  return queue;
}

void
lan_messenger_outbox_add (LanMessenger *self,
                          const char   *identity,
                          LanMessage   *message,
                          const char   *why)
{
  GPtrArray *queue = outbox_for (self, identity);

  if (!g_ptr_array_find (queue, message, NULL))
    g_ptr_array_add (queue, g_object_ref (message));
  lan_message_set_error (message, why);
  lan_message_set_state (message, LAN_MESSAGE_QUEUED);
}

gboolean
lan_messenger_outbox_remove (LanMessenger *self,
                             LanMessage   *message)
{
  GHashTableIter iter;
  GPtrArray *queue;

  g_hash_table_iter_init (&iter, self->outbox);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &queue))
    if (g_ptr_array_remove (queue, message))
      return TRUE;
  return FALSE;
}

void
lan_messenger_outbox_flush (LanMessenger *self,
                            LanPeer      *peer)
{
  g_autoptr(GPtrArray) queue = NULL;
  gpointer key = NULL;

  if (!g_hash_table_steal_extended (self->outbox, lan_peer_get_identity (peer), &key, (gpointer *) &queue))
    return;
  g_free (key);
  for (guint i = 0; i < queue->len; i++)
    lan_messenger_resend (self, g_ptr_array_index (queue, i), peer);
}

static void
load_history (LanMessenger *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_object_unref);
  g_autoptr(GPtrArray) outbox = NULL;

  if (self->history_days > 0 && lan_history_prune (self->history, self->history_days, &error) < 0)
    {
      history_failed (self, error);
      return;
    }

  messages = lan_history_load_messages (self->history, LOAD_LIMIT, &error);
  if (messages == NULL)
    {
      history_failed (self, error);
      return;
    }
  for (guint i = 0; i < messages->len; i++)
    {
      LanHistoryMessage *stored = g_ptr_array_index (messages, i);
      LanMessage *message;

      if (stored->notice)
        message = lan_message_new_notice (stored->text, stored->time_us);
      else
        {
          message = lan_message_new (stored->direction, stored->remote, stored->text,
                                     stored->time_us, stored->packet_no);
          lan_message_set_broadcast (message, stored->broadcast);
          lan_message_set_auto_reply (message, stored->auto_reply);
          lan_message_set_error (message, stored->error);
          lan_message_set_state (message, stored->state);
          lan_message_set_attempts (message, stored->direction == LAN_DIRECTION_OUT ? 1 : 0);
        }
      lan_message_set_history_id (message, stored->id);
      follow_message (self, message);
      lan_conversation_append (lan_messenger_conversation_for (self, stored->identity), message, TRUE);
      g_hash_table_insert (by_id, &stored->id, message);
    }

  outbox = lan_history_load_outbox (self->history, &error);
  if (outbox == NULL)
    {
      history_failed (self, error);
      return;
    }
  for (guint i = 0; i < outbox->len; i++)
    {
      LanHistoryMessage *stored = g_ptr_array_index (outbox, i);
      LanMessage *message = g_hash_table_lookup (by_id, &stored->id);

      /* Older than what was loaded into the conversation: still owed. */
      if (message == NULL)
        {
          g_autoptr(LanMessage) owed = lan_message_new (LAN_DIRECTION_OUT, stored->remote, stored->text,
                                                        stored->time_us, stored->packet_no);

          lan_message_set_history_id (owed, stored->id);
          follow_message (self, owed);
          lan_messenger_outbox_add (self, stored->identity, owed, NULL);
          continue;
        }
      /* "Sending" when we stopped: it goes out again with the rest of the queue. */
      lan_messenger_outbox_add (self, stored->identity, message, lan_message_get_error (message));
    }

  self->next_packet_no = MAX (self->next_packet_no, lan_history_max_sent_packet_no (self->history) + 1);
}

void
lan_messenger_history_open (LanMessenger *self)
{
  g_autofree char *warning = NULL;

  if (self->history != NULL || self->history_path == NULL)
    return;
  self->history = lan_history_open_or_recover (self->history_path, &warning);
  lan_messenger_set_history_error (self, warning);
  if (self->history != NULL)
    load_history (self);
}

gboolean
lan_messenger_outbox_enabled (LanMessenger *self)
{
  return self->history != NULL;
}

void
lan_messenger_cancel (LanMessenger *self,
                      LanMessage   *message)
{
  g_return_if_fail (LAN_IS_MESSENGER (self));
  g_return_if_fail (LAN_IS_MESSAGE (message));

  if (lan_message_get_direction (message) != LAN_DIRECTION_OUT)
    return;
  if (lan_messenger_outbox_remove (self, message) || lan_messenger_stop_pending (self, message))
    {
      lan_message_set_error (message, _("Cancelled"));
      lan_message_set_state (message, LAN_MESSAGE_FAILED);
    }
}

gboolean
lan_messenger_delete_conversation (LanMessenger  *self,
                                   const char    *key,
                                   GError       **error)
{
  LanPeer *peer = lan_peer_list_lookup (self->peers, key);
  const char *identity = peer != NULL ? lan_peer_get_identity (peer) : key;
  LanConversation *conversation = g_hash_table_lookup (self->conversations, identity);
  g_autoptr(GPtrArray) queue = NULL;
  gpointer stolen_key = NULL;

  if (self->history != NULL && !lan_history_delete_conversation (self->history, identity, error))
    return FALSE;
  if (g_hash_table_steal_extended (self->outbox, identity, &stolen_key, (gpointer *) &queue))
    g_free (stolen_key);
  if (conversation != NULL)
    lan_conversation_clear (conversation);
  return TRUE;
}

gboolean
lan_messenger_clear_history (LanMessenger  *self,
                             GError       **error)
{
  GHashTableIter iter;
  LanConversation *conversation;

  if (self->history != NULL && !lan_history_clear (self->history, error))
    return FALSE;
  g_hash_table_remove_all (self->outbox);
  g_hash_table_iter_init (&iter, self->conversations);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &conversation))
    lan_conversation_clear (conversation);
  lan_conversation_clear (self->broadcast_conversation);
  return TRUE;
}

/* lan-peer-seen-pacer.c — see lan-peer-seen-pacer.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-peer-seen-pacer"

#include "config.h"

#include "lan-bounds.h"
#include "lan-peer-seen-pacer.h"

typedef struct {
  gint64   written_us;
  char    *key;       /* the address written */
  LanPeer *waiting;   /* (nullable): seen since, to be written */
} Recent;

struct _LanPeerSeenPacer
{
  LanConversationStore *store;
  GHashTable           *recent;   /* identity → Recent */
  guint                 timer_id;
};

static void
recent_free (Recent *recent)
{
  g_clear_object (&recent->waiting);
  g_free (recent->key);
  g_free (recent);
}

/* Writes what waited its time (all of it when @all), forgets who has been
 * quiet for a whole interval; TRUE while anyone is left. */
static gboolean
write_due (LanPeerSeenPacer *self,
           gboolean          all)
{
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->recent);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Recent *recent = value;
      gboolean old = now - recent->written_us >= (gint64) LAN_PEER_SEEN_PACE_MS * 1000;

      if (recent->waiting != NULL && (old || all))
        {
          g_free (recent->key);
          recent->key = g_strdup (lan_peer_get_key (recent->waiting));
          g_ptr_array_add (due, g_steal_pointer (&recent->waiting));
          recent->written_us = now;
        }
      else if (old)
        g_hash_table_iter_remove (&iter);
    }
  /* Outside the walk: a write can tell the conversation, and its handlers
   * may see the peer again. */
  for (guint i = 0; i < due->len; i++)
    lan_conversation_store_peer_seen (self->store, g_ptr_array_index (due, i));
  return g_hash_table_size (self->recent) > 0;
}

static gboolean
on_timer (gpointer data)
{
  LanPeerSeenPacer *self = data;

  if (write_due (self, FALSE))
    return G_SOURCE_CONTINUE;
  self->timer_id = 0;
  return G_SOURCE_REMOVE;
}

LanPeerSeenPacer *
lan_peer_seen_pacer_new (LanConversationStore *store)
{
  LanPeerSeenPacer *self = g_new0 (LanPeerSeenPacer, 1);

  self->store = g_object_ref (store);
  self->recent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) recent_free);
  return self;
}

void
lan_peer_seen_pacer_free (LanPeerSeenPacer *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  write_due (self, TRUE);
  g_hash_table_unref (self->recent);
  g_object_unref (self->store);
  g_free (self);
}

void
lan_peer_seen_pacer_seen (LanPeerSeenPacer *self,
                          LanPeer          *peer)
{
  const char *identity = lan_peer_get_identity (peer);
  Recent *recent = g_hash_table_lookup (self->recent, identity);
  gint64 now = g_get_monotonic_time ();

  /* A new address is written at once: it is news (the person moved, the
   * conversation says so) where new names are only churn. */
  if (recent != NULL && now - recent->written_us < (gint64) LAN_PEER_SEEN_PACE_MS * 1000 &&
      g_str_equal (recent->key, lan_peer_get_key (peer)))
    {
      g_set_object (&recent->waiting, peer);
      return;
    }
  if (recent == NULL && g_hash_table_size (self->recent) < LAN_PEER_SEEN_PACER_MAX)
    {
      recent = g_new0 (Recent, 1);
      g_hash_table_insert (self->recent, g_strdup (identity), recent);
      if (self->timer_id == 0)
        self->timer_id = g_timeout_add (LAN_PEER_SEEN_PACE_MS, on_timer, self);
    }
  if (recent != NULL)
    {
      g_clear_object (&recent->waiting);
      g_free (recent->key);
      recent->key = g_strdup (lan_peer_get_key (peer));
      recent->written_us = now;
    }
  lan_conversation_store_peer_seen (self->store, peer);
}

void
lan_peer_seen_pacer_forget (LanPeerSeenPacer *self,
                            const char       *identity)
{
  g_hash_table_remove (self->recent, identity);
}

guint
lan_peer_seen_pacer_get_size (LanPeerSeenPacer *self)
{
  return g_hash_table_size (self->recent);
}

/* lan-peer-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-peer-list"

#include "config.h"

#include "lan-peer-list.h"

#include "lan-peer.h"

struct _LanPeerList
{
  GObject     parent_instance;

  GPtrArray  *peers;   /* LanPeer, in order of arrival */
  GHashTable *by_key;  /* key → LanPeer (borrowed from peers) */
  GHashTable *by_endpoint; /* packed address:port → LanPeer, no string to build per packet */
  GHashTable *aliases;     /* packed address:port → LanPeer: its machine's other addresses */
  guint       max;
  guint       answered;        /* lan_peer_list_count_answered() at answered_us */
  gint64      answered_us;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanPeerList, lan_peer_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return LAN_TYPE_PEER;
}

static guint
get_n_items (GListModel *model)
{
  return LAN_PEER_LIST (model)->peers->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  LanPeerList *self = LAN_PEER_LIST (model);

  if (position >= self->peers->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->peers, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
lan_peer_list_finalize (GObject *object)
{
  LanPeerList *self = LAN_PEER_LIST (object);

  g_clear_pointer (&self->by_key, g_hash_table_unref);
  g_clear_pointer (&self->by_endpoint, g_hash_table_unref);
  g_clear_pointer (&self->aliases, g_hash_table_unref);
  g_clear_pointer (&self->peers, g_ptr_array_unref);
  G_OBJECT_CLASS (lan_peer_list_parent_class)->finalize (object);
}

static void
lan_peer_list_class_init (LanPeerListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lan_peer_list_finalize;
}

static void
lan_peer_list_init (LanPeerList *self)
{
  self->peers = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->by_endpoint = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->aliases = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->max = LAN_PEER_LIST_DEFAULT_MAX;
}

LanPeerList *
lan_peer_list_new (guint max_peers)
{
  LanPeerList *self = g_object_new (LAN_TYPE_PEER_LIST, NULL);

  if (max_peers > 0)
    self->max = max_peers;
  return self;
}

LanPeer *
lan_peer_list_lookup (LanPeerList *self,
                      const char  *key)
{
  g_return_val_if_fail (LAN_IS_PEER_LIST (self), NULL);

  return key != NULL ? g_hash_table_lookup (self->by_key, key) : NULL;
}

static gint64
pack (LanEndpoint endpoint)
{
  return ((gint64) endpoint.address << 16) | endpoint.port;
}

LanPeer *
lan_peer_list_lookup_endpoint (LanPeerList *self,
                               LanEndpoint  endpoint)
{
  gint64 key = pack (endpoint);
  LanPeer *peer;

  g_return_val_if_fail (LAN_IS_PEER_LIST (self), NULL);

  peer = g_hash_table_lookup (self->by_endpoint, &key);
  if (peer == NULL && g_hash_table_size (self->aliases) > 0)
    peer = g_hash_table_lookup (self->aliases, &key);
  return peer;
}

static gboolean
points_to (gpointer key,
           gpointer value,
           gpointer peer)
{
  return value == peer;
}

gboolean
lan_peer_list_add_alias (LanPeerList *self,
                         LanEndpoint  endpoint,
                         LanPeer     *peer)
{
  gint64 key = pack (endpoint);
  g_autofree char *text = lan_endpoint_to_string (endpoint);

  g_return_val_if_fail (LAN_IS_PEER_LIST (self), FALSE);

  /* As many as peers at most: aliases are made only from entries, and a
   * flood of them must not grow the table past what the list holds. */
  if (g_hash_table_lookup (self->by_endpoint, &key) != NULL ||
      g_hash_table_size (self->aliases) >= self->max)
    return FALSE;
  g_hash_table_replace (self->aliases, g_memdup2 (&key, sizeof key), peer);
  lan_peer_add_address (peer, text);
  return TRUE;
}

LanPeer *
lan_peer_list_find_identity (LanPeerList *self,
                             const char  *identity,
                             LanPeer     *except)
{
  g_return_val_if_fail (LAN_IS_PEER_LIST (self), NULL);

  /* The array itself, without a reference per item: it runs for each new peer. */
  for (guint i = 0; i < self->peers->len; i++)
    {
      LanPeer *peer = g_ptr_array_index (self->peers, i);

      if (peer != except && lan_peer_get_online (peer) && !lan_peer_get_distinct (peer) &&
          g_strcmp0 (lan_peer_get_identity (peer), identity) == 0)
        return peer;
    }
  return NULL;
}

guint
lan_peer_list_get_max (LanPeerList *self)
{
  return self->max;
}

guint
lan_peer_list_count_answered (LanPeerList *self,
                              gint64       now_us)
{
  if (self->answered_us != 0 && now_us - self->answered_us < G_USEC_PER_SEC)
    return self->answered;
  self->answered = 0;
  for (guint i = 0; i < self->peers->len; i++)
    {
      LanPeer *peer = g_ptr_array_index (self->peers, i);

      if (lan_peer_get_online (peer) && lan_peer_get_answered (peer))
        self->answered++;
    }
  self->answered_us = now_us;
  return self->answered;
}

static void
remove_index (LanPeerList *self,
              guint        index)
{
  LanPeer *peer = g_ptr_array_index (self->peers, index);
  gint64 key = pack (lan_peer_get_endpoint (peer));

  g_hash_table_remove (self->by_key, lan_peer_get_key (peer));
  g_hash_table_remove (self->by_endpoint, &key);
  if (g_hash_table_size (self->aliases) > 0)
    g_hash_table_foreach_remove (self->aliases, points_to, peer);
  g_ptr_array_remove_index (self->peers, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
}

LanPeer *
lan_peer_list_insert (LanPeerList *self,
                      LanPeer     *peer)
{
  LanPeer *evicted = NULL;

  g_return_val_if_fail (LAN_IS_PEER_LIST (self), NULL);
  g_return_val_if_fail (lan_peer_list_lookup (self, lan_peer_get_key (peer)) == NULL, NULL);

  if (self->peers->len >= self->max)
    {
      guint oldest = 0;

      for (guint i = 1; i < self->peers->len; i++)
        if (lan_peer_get_last_seen (g_ptr_array_index (self->peers, i)) <
            lan_peer_get_last_seen (g_ptr_array_index (self->peers, oldest)))
          oldest = i;
      evicted = g_object_ref (g_ptr_array_index (self->peers, oldest));
      remove_index (self, oldest);
    }

  g_ptr_array_add (self->peers, g_object_ref (peer));
  g_hash_table_insert (self->by_key, (gpointer) lan_peer_get_key (peer), peer);
  {
    gint64 key = pack (lan_peer_get_endpoint (peer));

    /* A peer of its own now, no longer another's address. */
    g_hash_table_remove (self->aliases, &key);
    g_hash_table_insert (self->by_endpoint, g_memdup2 (&key, sizeof key), peer);
  }
  g_list_model_items_changed (G_LIST_MODEL (self), self->peers->len - 1, 0, 1);
  return evicted;
}

char *
lan_peer_list_add (LanPeerList *self,
                   LanPeer     *peer)
{
  g_autoptr(LanPeer) evicted = lan_peer_list_insert (self, peer);

  return evicted != NULL ? g_strdup (lan_peer_get_key (evicted)) : NULL;
}

void
lan_peer_list_remove (LanPeerList *self,
                      LanPeer     *peer)
{
  guint index;

  if (g_ptr_array_find (self->peers, peer, &index))
    remove_index (self, index);
}

void
lan_peer_list_clear (LanPeerList *self)
{
  guint n = self->peers->len;

  if (n == 0)
    return;
  g_hash_table_remove_all (self->by_key);
  g_hash_table_remove_all (self->by_endpoint);
  g_hash_table_remove_all (self->aliases);
  g_ptr_array_set_size (self->peers, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

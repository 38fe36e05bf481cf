/* lan-people.c — everyone you have a conversation with, online or not.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-people"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lan-history.h"
#include "lan-ipmsg.h"
#include "lan-people.h"

struct _LanPeople
{
  GObject       parent_instance;

  LanMessenger *messenger;
  LanPeerList  *peers;
  GPtrArray    *items;        /* LanPerson, oldest first */
  GHashTable   *by_identity;  /* identity → LanPerson (borrowed from items) */
  GHashTable   *renamed;      /* LanPerson (borrowed) whose row shows an old name */
  guint         renamed_id;
};

static void lan_people_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (LanPeople, lan_people, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, lan_people_list_model_init))

/* GListModel */

static GType
lan_people_get_item_type (GListModel *model)
{
  return LAN_TYPE_PERSON;
}

static guint
lan_people_get_n_items (GListModel *model)
{
  return LAN_PEOPLE (model)->items->len;
}

static gpointer
lan_people_get_item (GListModel *model,
                     guint       position)
{
  LanPeople *self = LAN_PEOPLE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
lan_people_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = lan_people_get_item_type;
  iface->get_n_items = lan_people_get_n_items;
  iface->get_item = lan_people_get_item;
}

/* People */

static void
report_changed (LanPeople *self,
                LanPerson *person)
{
  guint position;

  if (g_ptr_array_find (self->items, person, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

static void
remove_person (LanPeople *self,
               guint      position)
{
  LanPerson *person = g_ptr_array_index (self->items, position);

  g_signal_handlers_disconnect_by_data (person, self);
  g_hash_table_remove (self->renamed, person);
  if (g_hash_table_lookup (self->by_identity, lan_person_get_identity (person)) == person)
    g_hash_table_remove (self->by_identity, lan_person_get_identity (person));
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/* Someone who floods us with made-up identities must not grow this for ever. */
static void
trim (LanPeople *self)
{
  guint offline = 0;

  for (guint i = 0; i < self->items->len; i++)
    if (!lan_person_get_online (g_ptr_array_index (self->items, i)))
      offline++;
  for (guint i = 0; offline > LAN_PEOPLE_MAX_OFFLINE && i < self->items->len;)
    {
      LanPerson *person = g_ptr_array_index (self->items, i);

      if (!lan_person_get_online (person) && lan_person_get_unread (person) == 0)
        {
          remove_person (self, i);
          offline--;
        }
      else
        i++;
    }
}

static gboolean
report_renamed (gpointer data)
{
  LanPeople *self = data;
  g_autoptr(GPtrArray) renamed = g_ptr_array_new_full (g_hash_table_size (self->renamed), g_object_unref);
  GHashTableIter iter;
  gpointer person;

  self->renamed_id = 0;
  /* Collected first: a handler of items-changed may rename someone again. */
  g_hash_table_iter_init (&iter, self->renamed);
  while (g_hash_table_iter_next (&iter, &person, NULL))
    g_ptr_array_add (renamed, g_object_ref (person));
  g_hash_table_remove_all (self->renamed);
  for (guint i = 0; i < renamed->len; i++)
    report_changed (self, g_ptr_array_index (renamed, i));
  return G_SOURCE_REMOVE;
}

/* A new name re-sorts the list and rebinds the person's row. A peer (or a
 * flood pretending to be one) can change its name with every packet, so
 * the change is reported once for all the packets handled in a row, still
 * before the next frame is laid out (its priority is above drawing's). */
static void
on_nickname_notify (LanPeople *self,
                    GParamSpec *pspec,
                    LanPeer    *peer)
{
  LanPerson *person = lan_people_lookup (self, lan_peer_get_identity (peer));

  if (person == NULL || lan_person_get_peer (person) != peer)
    return;
  g_hash_table_add (self->renamed, person);
  if (self->renamed_id == 0)
    self->renamed_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, report_renamed, self, NULL);
}

/* A peer that says its name late, or changes it, joins that name's past. */
static void
on_identity_notify (LanPeople  *self,
                    GParamSpec *pspec,
                    LanPerson  *person)
{
  const char *identity = lan_person_get_identity (person);
  LanPerson *other = g_hash_table_lookup (self->by_identity, identity);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->by_identity);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value == person)
      g_hash_table_iter_remove (&iter);

  /* Two machines online with one identity are two people. */
  if (other != NULL && other != person && lan_person_get_online (other))
    return;
  if (other != NULL && other != person)
    {
      g_autoptr(LanPerson) keep = g_object_ref (person);
      guint position;

      g_ptr_array_find (self->items, person, &position);
      remove_person (self, position);
      lan_person_set_peer (other, lan_person_get_peer (keep), lan_person_get_online (keep));
      report_changed (self, other);
      return;
    }
  g_hash_table_insert (self->by_identity, g_strdup (identity), person);
  report_changed (self, person);
}

static LanPerson *
add_person (LanPeople  *self,
            const char *identity,
            LanPeer    *peer,
            gboolean    online)
{
  LanPerson *person = lan_person_new (identity, peer, online);

  g_ptr_array_add (self->items, person);
  g_hash_table_insert (self->by_identity, g_strdup (lan_person_get_identity (person)), person);
  g_signal_connect_object (person, "notify::identity", G_CALLBACK (on_identity_notify), self,
                           G_CONNECT_SWAPPED);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  return person;
}

static void
follow_peer (LanPeople *self,
             LanPeer   *peer)
{
  g_signal_connect_object (peer, "notify::nickname", G_CALLBACK (on_nickname_notify), self,
                           G_CONNECT_SWAPPED);
}

static LanPerson *
peer_arrived (LanPeople *self,
              LanPeer   *peer,
              gboolean   online)
{
  LanPerson *person = lan_people_lookup (self, lan_peer_get_identity (peer));

  /* Two machines online with one identity are two people. */
  if (person != NULL && lan_person_get_online (person) && lan_person_get_peer (person) != peer &&
      lan_peer_list_lookup (self->peers, lan_peer_get_key (lan_person_get_peer (person))) != NULL)
    person = NULL;
  if (person == NULL)
    {
      person = add_person (self, NULL, peer, online);
      follow_peer (self, peer);
      trim (self);
      return person;
    }
  if (lan_person_get_peer (person) == peer && lan_person_get_online (person) == online)
    return person;
  if (lan_person_get_peer (person) != peer)
    follow_peer (self, peer);
  lan_person_set_peer (person, peer, online);
  report_changed (self, person);
  return person;
}

static void
on_peers_changed (LanPeople  *self,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GListModel *peers)
{
  if (removed > 0)
    for (guint i = 0; i < self->items->len; i++)
      {
        LanPerson *person = g_ptr_array_index (self->items, i);
        LanPeer *peer = lan_person_get_peer (person);

        /* Gone: still the person, with the peer to queue messages for. */
        if (lan_person_get_online (person) &&
            lan_peer_list_lookup (self->peers, lan_peer_get_key (peer)) != peer)
          {
            lan_person_set_peer (person, peer, FALSE);
            g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
          }
      }
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (peers, position + i);

      peer_arrived (self, peer, TRUE);
    }
}

static void
on_message_received (LanPeople    *self,
                     LanPeer      *peer,
                     LanMessage   *message,
                     LanMessenger *messenger)
{
  LanPerson *person;

  if (lan_message_get_broadcast (message))
    return;
  person = peer_arrived (self, peer,
                         lan_peer_list_lookup (self->peers, lan_peer_get_key (peer)) == peer);
  lan_people_get_conversation (self, person);
}

/* History */

static LanPeer *
peer_from_history (const char           *identity,
                   const LanHistoryPeer *known)
{
  const char *address = known != NULL && known->address != NULL ? known->address : identity;
  g_auto(GStrv) parts = g_strsplit (address, ":", 2);
  LanEndpoint endpoint = { 0, LAN_IPMSG_DEFAULT_PORT };
  LanPeer *peer;
  guint64 port;

  if (!lan_ipv4_parse (parts[0], &endpoint.address))
    endpoint.address = 0;
  if (parts[0] != NULL && parts[1] != NULL &&
      g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXUINT16, &port, NULL))
    endpoint.port = (guint16) port;
  peer = lan_peer_new (endpoint);
  if (known != NULL)
    {
      lan_peer_set_names (peer, known->nickname, known->user, known->host, NULL);
      lan_peer_set_last_seen (peer, known->last_seen);
    }
  return peer;
}

static void
load_history (LanPeople *self)
{
  g_autofree char *path = NULL;
  g_autoptr(LanHistory) history = NULL;
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GError) error = NULL;

  g_object_get (self->messenger, "history-path", &path, NULL);
  if (path == NULL)
    return;
  /* Problems with the file are the messenger's to tell; here they only
   * mean fewer people in the list. */
  history = lan_history_open (path, &error);
  if (history != NULL)
    newest = lan_history_load_messages (history, 1, &error);
  if (newest == NULL)
    {
      g_debug ("No past people from %s: %s", path, error->message);
      return;
    }
  for (guint i = 0; i < newest->len; i++)
    {
      LanHistoryMessage *row = g_ptr_array_index (newest, i);
      LanPerson *person = lan_people_lookup (self, row->identity);

      if (g_str_equal (row->identity, "*") || row->broadcast)
        continue;
      if (person == NULL)
        {
          g_autoptr(LanHistoryPeer) known = lan_history_lookup_peer (history, row->identity, NULL);
          g_autoptr(LanPeer) peer = peer_from_history (row->identity, known);

          person = add_person (self, row->identity, peer, FALSE);
        }
      lan_person_set_summary (person, row->sealed ? _("Sealed message") : row->text, row->time_us);
    }
  trim (self);
}

/* Public */

LanPerson *
lan_people_lookup (LanPeople  *self,
                   const char *identity_or_key)
{
  LanPerson *person;

  g_return_val_if_fail (LAN_IS_PEOPLE (self), NULL);
  g_return_val_if_fail (identity_or_key != NULL, NULL);

  person = g_hash_table_lookup (self->by_identity, identity_or_key);
  if (person != NULL)
    return person;
  for (guint i = 0; i < self->items->len; i++)
    {
      person = g_ptr_array_index (self->items, i);
      if (g_str_equal (lan_peer_get_key (lan_person_get_peer (person)), identity_or_key))
        return person;
    }
  return NULL;
}

LanConversation *
lan_people_get_conversation (LanPeople *self,
                             LanPerson *person)
{
  LanConversation *conversation;

  g_return_val_if_fail (LAN_IS_PEOPLE (self), NULL);
  g_return_val_if_fail (LAN_IS_PERSON (person), NULL);

  conversation = lan_person_get_conversation (person);
  if (conversation != NULL)
    return conversation;
  conversation = lan_messenger_get_conversation (self->messenger, lan_person_get_identity (person));
  lan_person_watch (person, conversation);
  return conversation;
}

/* Object */

static void
lan_people_dispose (GObject *object)
{
  LanPeople *self = LAN_PEOPLE (object);

  if (self->peers != NULL)
    g_signal_handlers_disconnect_by_data (self->peers, self);
  if (self->messenger != NULL)
    g_signal_handlers_disconnect_by_data (self->messenger, self);
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->items, i), self);
  g_clear_handle_id (&self->renamed_id, g_source_remove);
  g_clear_pointer (&self->renamed, g_hash_table_unref);
  g_clear_pointer (&self->by_identity, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->peers);
  g_clear_object (&self->messenger);
  G_OBJECT_CLASS (lan_people_parent_class)->dispose (object);
}

static void
lan_people_class_init (LanPeopleClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lan_people_dispose;
}

static void
lan_people_init (LanPeople *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_identity = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->renamed = g_hash_table_new (NULL, NULL);
}

LanPeople *
lan_people_new (LanMessenger *messenger)
{
  LanPeople *self;
  GListModel *peers;

  g_return_val_if_fail (LAN_IS_MESSENGER (messenger), NULL);

  self = g_object_new (LAN_TYPE_PEOPLE, NULL);
  self->messenger = g_object_ref (messenger);
  self->peers = g_object_ref (lan_messenger_get_peers (messenger));
  peers = G_LIST_MODEL (self->peers);

  load_history (self);
  on_peers_changed (self, 0, 0, g_list_model_get_n_items (peers), peers);
  g_signal_connect_object (peers, "items-changed", G_CALLBACK (on_peers_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (messenger, "message-received", G_CALLBACK (on_message_received), self,
                           G_CONNECT_SWAPPED);
  return self;
}

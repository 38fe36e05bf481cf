/* lan-offer-saved.c — where each fetched file was saved, into history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-offer-saved"

#include "config.h"

#include "lan-history-files.h"
#include "lan-offer-saved.h"

struct _LanOfferSaved
{
  LanMessenger *messenger;
  GListModel   *transfers;
  /* The fetches whose "state" we follow (references): all of this run's,
   * as one may end more than once (a retry that continues it). */
  GPtrArray    *followed;
};

/* Returns: (transfer none) (nullable): the offer @transfer fetches from, if
 * its conversation is still there. */
static LanMessage *
find_offer (LanOfferSaved   *self,
            LanFileTransfer *transfer)
{
  const char *peer_key = lan_file_transfer_get_peer_key (transfer);
  LanConversation *conversation;
  GListModel *messages;

  /* Not for a sender gone from the list: that would open a conversation
   * under its address instead of finding the one the offer is in. */
  if (lan_peer_list_lookup (lan_messenger_get_peers (self->messenger), peer_key) == NULL)
    return NULL;
  conversation = lan_messenger_get_conversation (self->messenger, peer_key);
  if (conversation == NULL)
    return NULL;
  messages = G_LIST_MODEL (conversation);
  /* The offer is most likely one of the latest. */
  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autoptr(LanMessage) message = g_list_model_get_item (messages, i - 1);

      if (lan_message_get_direction (message) == LAN_DIRECTION_IN &&
          lan_message_get_files (message) != NULL &&
          lan_message_get_packet_no (message) == lan_file_transfer_get_packet_no (transfer) &&
          g_strcmp0 (lan_message_get_peer_key (message), peer_key) == 0)
        return message;
    }
  return NULL;
}

static void
on_state_notify (LanFileTransfer *transfer,
                 GParamSpec      *pspec,
                 LanOfferSaved   *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GFile *file = lan_file_transfer_get_file (transfer);
  LanMessage *offer;

  if (lan_file_transfer_get_state (transfer) != LAN_TRANSFER_DONE || file == NULL)
    return;
  path = g_file_get_path (file);
  offer = path != NULL ? find_offer (self, transfer) : NULL;
  if (offer != NULL &&
      !lan_history_files_set_saved (offer, lan_file_transfer_get_file_id (transfer), path, &error))
    g_warning ("Where a file was saved is not kept: %s", error->message);
}

static void
on_transfers_changed (LanOfferSaved *self,
                      guint          position,
                      guint          removed,
                      guint          added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(LanFileTransfer) transfer = g_list_model_get_item (self->transfers, i);

      if (lan_file_transfer_get_kind (transfer) != LAN_TRANSFER_FETCH ||
          g_ptr_array_find (self->followed, transfer, NULL))
        continue;
      g_ptr_array_add (self->followed, g_object_ref (transfer));
      g_signal_connect (transfer, "notify::state", G_CALLBACK (on_state_notify), self);
      /* One that ended before we saw it. */
      on_state_notify (transfer, NULL, self);
    }
}

LanOfferSaved *
lan_offer_saved_new (LanMessenger *messenger)
{
  LanOfferSaved *self;

  g_return_val_if_fail (LAN_IS_MESSENGER (messenger), NULL);

  self = g_new0 (LanOfferSaved, 1);
  self->messenger = g_object_ref (messenger);
  self->transfers = g_object_ref (lan_messenger_get_transfers (messenger));
  self->followed = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect_swapped (self->transfers, "items-changed", G_CALLBACK (on_transfers_changed), self);
  on_transfers_changed (self, 0, 0, g_list_model_get_n_items (self->transfers));
  return self;
}

void
lan_offer_saved_free (LanOfferSaved *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->followed->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->followed, i), self);
  g_clear_pointer (&self->followed, g_ptr_array_unref);
  g_signal_handlers_disconnect_by_data (self->transfers, self);
  g_clear_object (&self->transfers);
  g_clear_object (&self->messenger);
  g_free (self);
}

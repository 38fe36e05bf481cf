/* lan-messenger-files.c — the façade's list of file transfers.
 *
 * The offers we serve (lan-messenger-offers.c) and the ones we fetch
 * (lan-messenger-fetch.c) both put their transfers here, so the app shows one
 * list and the CLI waits on one; a cancel goes to the side the transfer is of.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-messenger-files"

#include "config.h"

#include "lan-file-server.h"
#include "lan-messenger-files.h"
#include "lan-messenger-private.h"

static GListStore *
ensure_transfers (LanMessenger *self)
{
  if (self->transfers == NULL)
    self->transfers = g_list_store_new (LAN_TYPE_FILE_TRANSFER);
  return self->transfers;
}

/**
 * lan_messenger_get_transfers:
 *
 * Returns: (transfer none): a GListModel of LanFileTransfer
 */
GListModel *
lan_messenger_get_transfers (LanMessenger *self)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);

  return G_LIST_MODEL (ensure_transfers (self));
}

void
lan_messenger_add_transfer (LanMessenger    *self,
                            LanFileTransfer *transfer)
{
  g_return_if_fail (LAN_IS_MESSENGER (self));
  g_return_if_fail (LAN_IS_FILE_TRANSFER (transfer));

  g_list_store_append (ensure_transfers (self), transfer);
}

void
lan_messenger_cancel_transfer (LanMessenger    *self,
                               LanFileTransfer *transfer)
{
  g_return_if_fail (LAN_IS_MESSENGER (self));
  g_return_if_fail (LAN_IS_FILE_TRANSFER (transfer));

  if (lan_file_transfer_is_finished (transfer))
    return;
  /* A served one: its connection closes, the offer stays open (the peer
   * may ask for it again; withdrawing is lan_messenger_withdraw_files). */
  if (lan_file_transfer_get_kind (transfer) == LAN_TRANSFER_SERVE)
    {
      if (self->file_server != NULL)
        lan_file_server_cancel_transfer (self->file_server, transfer);
      return;
    }
  lan_messenger_fetch_cancel (self, transfer);
}

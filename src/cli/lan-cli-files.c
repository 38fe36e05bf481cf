/* lan-cli-files.c — files over TCP from the command line: `send --file`, `receive`,
 * `bot --accept-files`.
 *
 * send: the offer stays open until the peer has fetched every file and released
 * it (exit 0), or declined it, let it expire, or went quiet for --timeout
 * seconds (exit 1, why on stderr). iptux never releases (RELEASEFILES): once
 * every file was served whole, a release is waited for RELEASE_GRACE_S only. receive: every offer is accepted, each file
 * or folder fetched into the download folder and printed as one JSON line when
 * it ends (saved with its sha256, or refused / failed with why).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-cli-files"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-cli.h"
#include "lan-display-text.h"
#include "lan-ipmsg.h"
#include "lan-messenger-files.h"

#define DEFAULT_TIMEOUT_S 300.0
#define RELEASE_GRACE_S   2.0

/* send --file */

typedef struct {
  LanMessage *offer;
  char       *peer_key;
  GPtrArray  *transfers;  /* LanFileTransfer we watch (serving this offer) */
  gboolean    all_served;
} SendFiles;

static void
send_files_free (SendFiles *data)
{
  g_clear_object (&data->offer);
  g_free (data->peer_key);
  g_ptr_array_unref (data->transfers);
  g_free (data);
}

static double
send_timeout (LanCli *cli)
{
  return cli->timeout > 0 ? cli->timeout : DEFAULT_TIMEOUT_S;
}

static void
send_files_timed_out (LanCli *cli)
{
  g_printerr (_("lanchat-cli send: nothing moved to %s for %.0f s: gave up (--timeout)\n"),
              ((SendFiles *) cli->files_data)->peer_key, send_timeout (cli));
  lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
}

static gboolean
file_served (SendFiles *data,
             guint64    file_id)
{
  for (guint i = 0; i < data->transfers->len; i++)
    {
      LanFileTransfer *transfer = g_ptr_array_index (data->transfers, i);

      if (lan_file_transfer_get_file_id (transfer) == file_id &&
          lan_file_transfer_get_state (transfer) == LAN_TRANSFER_DONE)
        return TRUE;
    }
  return FALSE;
}

/* How many of the offer's files went out whole at least once. */
static guint
count_served (SendFiles *data,
              guint     *n_files)
{
  GPtrArray *files = lan_message_get_files (data->offer);
  guint served = 0;

  *n_files = files != NULL ? files->len : 0;
  for (guint i = 0; i < *n_files; i++)
    if (file_served (data, ((LanIpmsgFile *) g_ptr_array_index (files, i))->file_id))
      served++;
  return served;
}

static void
fetched_unreleased (LanCli *cli)
{
  SendFiles *data = cli->files_data;
  guint n;
  guint served = count_served (data, &n);

  g_print ("fetched: %s fetched %u/%u, no release\n", data->peer_key, served, n);
  lan_cli_finish (cli, LAN_CLI_EXIT_OK);
}

/* Released (done, or declined after some were fetched, as the engine counts it). */
static void
check_released (LanCli *cli)
{
  SendFiles *data = cli->files_data;
  guint n;
  guint served = count_served (data, &n);

  if (served == n)
    {
      g_print ("released: %s fetched %u/%u\n", data->peer_key, served, n);
      lan_cli_finish (cli, LAN_CLI_EXIT_OK);
      return;
    }
  if (served == 0)
    {
      g_printerr (_("lanchat-cli send: %s declined the offer\n"), data->peer_key);
      lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
      return;
    }
  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "lanchat-cli send: %s released the offer after fetching %u of %u file\n",
                           "lanchat-cli send: %s released the offer after fetching %u of %u files\n",
                           n),
              data->peer_key, served, n);
  lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
}

static void
on_offer_state (LanMessage *offer,
                GParamSpec *pspec,
                LanCli     *cli)
{
  SendFiles *data = cli->files_data;

  switch (lan_message_get_offer_state (offer))
    {
    case LAN_OFFER_DONE:
    case LAN_OFFER_DECLINED:
      check_released (cli);
      break;
    case LAN_OFFER_EXPIRED:
      g_printerr (_("lanchat-cli send: the offer to %s expired before it was fetched\n"), data->peer_key);
      lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
      break;
    case LAN_OFFER_WITHDRAWN:
      g_printerr (_("lanchat-cli send: the offer to %s was withdrawn\n"), data->peer_key);
      lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
      break;
    case LAN_OFFER_NONE:
    case LAN_OFFER_OPEN:
    default:
      break;
    }
}

static void
on_offer_message_state (LanMessage *offer,
                        GParamSpec *pspec,
                        LanCli     *cli)
{
  SendFiles *data = cli->files_data;

  if (lan_message_get_state (offer) == LAN_MESSAGE_DELIVERED)
    {
      GPtrArray *files = lan_message_get_files (offer);

      g_print ("offered: %u to %s, packet %" G_GUINT64_FORMAT "\n",
               files != NULL ? files->len : 0, data->peer_key, lan_message_get_packet_no (offer));
    }
  else if (lan_message_get_state (offer) == LAN_MESSAGE_QUEUED)
    /* With --history: it goes out when the peer is back, if that is before --timeout. */
    g_printerr (_("lanchat-cli send: %s is away: the offer waits in the outbox\n"), data->peer_key);
  else if (lan_message_get_state (offer) == LAN_MESSAGE_FAILED)
    {
      g_autofree char *why = lan_display_text (lan_message_get_error (offer), LAN_DISPLAY_TEXT_TERMINAL, 200);

      g_printerr (_("lanchat-cli send: the offer was not delivered to %s: %s\n"), data->peer_key,
                  lan_message_get_error (offer) != NULL ? why : _("no acknowledgement"));
      lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
    }
}

static void
on_served_progress (LanFileTransfer *transfer,
                    GParamSpec      *pspec,
                    LanCli          *cli)
{
  SendFiles *data = cli->files_data;

  /* Bytes moving: the peer is not idle, whatever the size. */
  if (!data->all_served)
    lan_cli_set_deadline (cli, send_timeout (cli), send_files_timed_out);
}

static void
on_served_state (LanFileTransfer *transfer,
                 GParamSpec      *pspec,
                 LanCli          *cli)
{
  LanTransferState state = lan_file_transfer_get_state (transfer);
  g_autofree char *name = lan_display_text (lan_file_transfer_get_name (transfer), LAN_DISPLAY_TEXT_TERMINAL, 200);
  double seconds = (lan_file_transfer_get_finished (transfer) - lan_file_transfer_get_started (transfer)) / 1e6;

  if (state == LAN_TRANSFER_DONE)
    {
      SendFiles *data = cli->files_data;
      guint n;

      g_print ("sent: %s %" G_GUINT64_FORMAT " bytes in %.3f s\n",
               name, lan_file_transfer_get_done (transfer), MAX (seconds, 0.0));
      if (!data->all_served && count_served (data, &n) == n)
        {
          /* Everything went out whole: a peer that never releases (iptux) is done too. */
          data->all_served = TRUE;
          lan_cli_set_deadline (cli, RELEASE_GRACE_S, fetched_unreleased);
        }
    }
  else if (state == LAN_TRANSFER_FAILED || state == LAN_TRANSFER_CANCELLED)
    {
      g_autofree char *why = lan_display_text (lan_file_transfer_get_error (transfer), LAN_DISPLAY_TEXT_TERMINAL, 200);
      /* Not inside the translatable text: xgettext can't read format macros. */
      g_autofree char *done = g_strdup_printf ("%" G_GUINT64_FORMAT, lan_file_transfer_get_done (transfer));

      /* Not the end: the peer may fetch it again (and resume). */
      g_printerr (_("lanchat-cli send: sending %s stopped after %s bytes: %s\n"),
                  name, done,
                  lan_file_transfer_get_error (transfer) != NULL ? why : lan_transfer_state_to_string (state));
    }
}

static void
on_transfers_changed (GListModel *transfers,
                      guint       position,
                      guint       removed,
                      guint       added,
                      LanCli     *cli)
{
  SendFiles *data = cli->files_data;

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(LanFileTransfer) transfer = g_list_model_get_item (transfers, i);

      if (lan_file_transfer_get_kind (transfer) != LAN_TRANSFER_SERVE ||
          lan_file_transfer_get_packet_no (transfer) != lan_message_get_packet_no (data->offer))
        continue;
      g_ptr_array_add (data->transfers, g_object_ref (transfer));
      g_signal_connect (transfer, "notify::state", G_CALLBACK (on_served_state), cli);
      g_signal_connect (transfer, "notify::done", G_CALLBACK (on_served_progress), cli);
      on_served_progress (transfer, NULL, cli);
    }
}

void
lan_cli_files_send (LanCli  *cli,
                    LanPeer *peer,
                    const char *text)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  GListModel *transfers = lan_messenger_get_transfers (cli->messenger);
  SendFiles *data;
  LanMessage *offer;

  for (guint i = 0; cli->files[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (cli->files[i]));
  offer = lan_messenger_send_files (cli->messenger, peer, text,
                                    (GFile * const *) files->pdata, files->len, &error);
  if (offer == NULL)
    {
      g_printerr ("lanchat-cli send: %s\n", error->message);
      lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
      return;
    }
  data = g_new0 (SendFiles, 1);
  data->offer = offer;
  data->peer_key = g_strdup (lan_peer_get_key (peer));
  data->transfers = g_ptr_array_new_with_free_func (g_object_unref);
  cli->files_data = data;
  g_signal_connect (offer, "notify::state", G_CALLBACK (on_offer_message_state), cli);
  g_signal_connect (offer, "notify::offer-state", G_CALLBACK (on_offer_state), cli);
  g_signal_connect (transfers, "items-changed", G_CALLBACK (on_transfers_changed), cli);
  lan_cli_set_deadline (cli, send_timeout (cli), send_files_timed_out);
  /* Delivered at once (acknowledged before we connected)? Then say so now. */
  on_offer_message_state (offer, NULL, cli);
}

void
lan_cli_files_send_cleanup (LanCli *cli)
{
  SendFiles *data = cli->files_data;

  if (data == NULL)
    return;
  g_signal_handlers_disconnect_by_data (data->offer, cli);
  g_signal_handlers_disconnect_by_data (lan_messenger_get_transfers (cli->messenger), cli);
  for (guint i = 0; i < data->transfers->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (data->transfers, i), cli);
  /* Interrupted, timed out or refused: nobody may fetch it after we are gone. */
  if (lan_message_get_offer_state (data->offer) == LAN_OFFER_OPEN)
    {
      lan_messenger_withdraw_files (cli->messenger, data->offer);
      /* Only a signal ends a send with the offer open, not all of it
       * fetched, and the status still 0. */
      if (cli->exit_code == LAN_CLI_EXIT_OK && !data->all_served)
        {
          g_printerr (_("lanchat-cli send: interrupted; the offer to %s was withdrawn\n"), data->peer_key);
          cli->exit_code = LAN_CLI_EXIT_FAILED;
        }
    }
  g_clear_pointer (&cli->files_data, send_files_free);
}

/* lan-cli-send.c — `lanchat-cli send`: find the peer, send, wait for the acknowledgements
 * (or, with --file, hand the offer to lan-cli-files.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-cli-send"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lan-cli.h"
#include "lan-display-text.h"

typedef struct {
  LanPeer   *peer;
  LanPeer   *announcing;  /* by address, non-ASCII text: waiting for its entry */
  guint      grace_source;
  GPtrArray *messages;
  guint      finished;
  gboolean   waiting_reply;
  char      *reply;      /* an answer can overtake the acknowledgement */
} SendData;

static const char *
peer_spec (LanCli *cli)
{
  return cli->args[0];
}

gboolean
lan_cli_send_check_args (LanCli  *cli,
                         GError **error)
{
  if (cli->files != NULL)
    {
      if (cli->n_args < 1 || cli->n_args > 2)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _("needs a peer, and may have a text: send PEER [TEXT] --file PATH"));
          return FALSE;
        }
      if (cli->count != 1 || cli->wait_reply)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _("--count and --wait-reply do not go with --file"));
          return FALSE;
        }
      if (cli->timeout < 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--timeout must not be negative"));
          return FALSE;
        }
      return TRUE;
    }
  if (cli->n_args != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("needs a peer and a text: send PEER TEXT"));
      return FALSE;
    }
  if (cli->count < 1 || cli->count > 10000)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--count must be between 1 and 10000"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_address (const char *spec)
{
  g_autofree char *address = g_strdup (spec);
  char *colon = strchr (address, ':');
  guint32 unused;

  if (colon != NULL)
    *colon = '\0';
  return lan_ipv4_parse (address, &unused);
}

static LanPeer *
find_peer (LanCli *cli)
{
  GListModel *peers = G_LIST_MODEL (lan_messenger_get_peers (cli->messenger));
  guint n = g_list_model_get_n_items (peers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (peers, i);

      if (g_strcmp0 (lan_peer_get_nickname (peer), peer_spec (cli)) == 0)
        return peer;
    }
  return NULL;
}

static void
no_reply (LanCli *cli)
{
  g_printerr (_("lanchat-cli send: no answer within %.0f s\n"), cli->wait >= 0 ? cli->wait : 30.0);
  lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
}

static void
report (LanCli   *cli,
        SendData *data)
{
  guint delivered = 0;
  guint total_resends = 0;
  guint max_resends = 0;

  for (guint i = 0; i < data->messages->len; i++)
    {
      LanMessage *message = g_ptr_array_index (data->messages, i);
      guint resends = lan_message_get_attempts (message) - 1;

      if (lan_message_get_state (message) == LAN_MESSAGE_DELIVERED)
        delivered++;
      else
        {
          g_autofree char *why = lan_display_text (lan_message_get_error (message), LAN_DISPLAY_TEXT_TERMINAL, 200);

          g_printerr (_("lanchat-cli send: “%s” was not delivered to %s: %s\n"),
                      lan_message_get_text (message), lan_peer_get_key (data->peer),
                      lan_message_get_error (message) != NULL ? why : _("no acknowledgement"));
        }
      total_resends += resends;
      max_resends = MAX (max_resends, resends);
    }
  g_print ("delivered %u/%u resends total %u avg %.2f max %u\n",
           delivered, data->messages->len, total_resends,
           data->messages->len > 0 ? (double) total_resends / data->messages->len : 0.0, max_resends);

  if (delivered < data->messages->len)
    lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
  else if (cli->wait_reply && data->reply != NULL)
    {
      g_autofree char *reply = lan_display_text (data->reply, LAN_DISPLAY_TEXT_TERMINAL, LAN_DISPLAY_TEXT_ALL);

      g_print ("reply: %s\n", reply);
      lan_cli_finish (cli, LAN_CLI_EXIT_OK);
    }
  else if (cli->wait_reply)
    {
      data->waiting_reply = TRUE;
      lan_cli_set_deadline (cli, cli->wait >= 0 ? cli->wait : 30.0, no_reply);
    }
  else
    lan_cli_finish (cli, LAN_CLI_EXIT_OK);
}

static void
on_state_changed (LanMessage *message,
                  GParamSpec *pspec,
                  LanCli     *cli)
{
  SendData *data = cli->command_data;
  LanMessageState state = lan_message_get_state (message);

  /* Queued (with --history) means not delivered now, though it will be later. */
  if (state != LAN_MESSAGE_DELIVERED && state != LAN_MESSAGE_FAILED && state != LAN_MESSAGE_QUEUED)
    return;
  g_signal_handlers_disconnect_by_func (message, on_state_changed, cli);
  if (++data->finished == data->messages->len)
    report (cli, data);
}

static void
on_message_received (LanMessenger *messenger,
                     LanPeer      *peer,
                     LanMessage   *message,
                     LanCli       *cli)
{
  SendData *data = cli->command_data;

  if (data->peer == NULL || data->reply != NULL ||
      g_strcmp0 (lan_peer_get_key (peer), lan_peer_get_key (data->peer)) != 0)
    return;
  data->reply = g_strdup (lan_message_get_text (message));
  if (data->waiting_reply)
    {
      g_autofree char *reply = lan_display_text (data->reply, LAN_DISPLAY_TEXT_TERMINAL, LAN_DISPLAY_TEXT_ALL);

      g_print ("reply: %s\n", reply);
      lan_cli_finish (cli, LAN_CLI_EXIT_OK);
    }
}

static void
send_all (LanCli  *cli,
          LanPeer *peer)
{
  SendData *data = cli->command_data;

  data->peer = g_object_ref (peer);
  g_signal_handlers_disconnect_by_data (lan_messenger_get_peers (cli->messenger), cli);
  /* From here on the retry budget decides, not the discovery deadline. */
  g_clear_handle_id (&cli->deadline_source, g_source_remove);
  if (cli->files != NULL)
    {
      lan_cli_files_send (cli, peer, cli->n_args > 1 ? cli->args[1] : NULL);
      return;
    }

  for (int i = 0; i < cli->count; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = cli->count > 1 ? g_strdup_printf ("%s %d", cli->args[1], i + 1)
                                             : g_strdup (cli->args[1]);
      LanMessage *message = lan_messenger_send (cli->messenger, peer, text, &error);

      if (message == NULL)
        {
          g_printerr ("lanchat-cli send: %s\n", error->message);
          lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
          return;
        }
      g_ptr_array_add (data->messages, message);
      g_signal_connect (message, "notify::state", G_CALLBACK (on_state_changed), cli);
    }
}

static void
on_peers_changed (GListModel *peers,
                  guint       position,
                  guint       removed,
                  guint       added,
                  LanCli     *cli)
{
  SendData *data = cli->command_data;
  LanPeer *peer;

  if (data->peer != NULL)
    return;
  peer = find_peer (cli);
  if (peer != NULL)
    send_all (cli, peer);
}

static void
not_found (LanCli *cli)
{
  g_printerr (_("lanchat-cli send: nobody answered as “%s” within %.0f s\n"),
              peer_spec (cli), cli->wait >= 0 ? cli->wait : 30.0);
  lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
}

/* How long a message by address waits for the peer's entry: its dialect
 * (GB18030 for FeiQ, CP932 for IP Messenger) is known only from that, and
 * UTF-8 sent before it is garbage to a legacy reader. */
#define ENTRY_GRACE_MS 2000

static void
stop_waiting_for_entry (LanCli *cli)
{
  SendData *data = cli->command_data;
  g_autoptr(LanPeer) peer = g_steal_pointer (&data->announcing);

  g_clear_handle_id (&data->grace_source, g_source_remove);
  if (peer != NULL)
    {
      g_signal_handlers_disconnect_by_data (peer, cli);
      send_all (cli, peer);
    }
}

static void
on_announcing_notify (LanPeer    *peer,
                      GParamSpec *pspec,
                      LanCli     *cli)
{
  if (lan_peer_get_dialect (peer)->entry_seen)
    stop_waiting_for_entry (cli);
}

static gboolean
on_entry_grace_over (gpointer user_data)
{
  LanCli *cli = user_data;
  SendData *data = cli->command_data;

  data->grace_source = 0;
  stop_waiting_for_entry (cli);
  return G_SOURCE_REMOVE;
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

/* The text and the names of what is offered: whatever goes into the packet. */
static gboolean
packet_is_ascii (LanCli *cli)
{
  if (cli->n_args > 1 && !is_ascii (cli->args[1]))
    return FALSE;
  for (guint i = 0; cli->files != NULL && cli->files[i] != NULL; i++)
    {
      g_autofree char *name = g_path_get_basename (cli->files[i]);

      if (!is_ascii (name))
        return FALSE;
    }
  return TRUE;
}

void
lan_cli_send_run (LanCli *cli)
{
  SendData *data = g_new0 (SendData, 1);
  LanPeer *peer;

  data->messages = g_ptr_array_new_with_free_func (g_object_unref);
  cli->command_data = data;
  g_signal_connect (cli->messenger, "message-received", G_CALLBACK (on_message_received), cli);

  if (is_address (peer_spec (cli)))
    {
      g_autoptr(GError) error = NULL;

      /* An address needs no discovery: the message goes there at once. */
      peer = lan_messenger_get_peer_for_address (cli->messenger, peer_spec (cli), &error);
      if (peer == NULL)
        {
          g_printerr ("lanchat-cli send: %s\n", error->message);
          lan_cli_finish (cli, LAN_CLI_EXIT_USAGE);
          return;
        }
      /* ASCII reads the same in every charset; other text waits (briefly)
       * for the entry that says which one the peer reads. */
      if (!packet_is_ascii (cli) && !lan_peer_get_dialect (peer)->entry_seen)
        {
          data->announcing = g_object_ref (peer);
          g_signal_connect (peer, "notify", G_CALLBACK (on_announcing_notify), cli);
          data->grace_source = g_timeout_add (ENTRY_GRACE_MS, on_entry_grace_over, cli);
          return;
        }
    }
  else
    peer = find_peer (cli);
  if (peer != NULL)
    {
      send_all (cli, peer);
      return;
    }
  g_signal_connect (lan_messenger_get_peers (cli->messenger), "items-changed",
                    G_CALLBACK (on_peers_changed), cli);
  lan_cli_set_deadline (cli, cli->wait >= 0 ? cli->wait : 30.0, not_found);
}

void
lan_cli_send_cleanup (LanCli *cli)
{
  SendData *data = cli->command_data;

  lan_cli_files_send_cleanup (cli);
  g_signal_handlers_disconnect_by_data (cli->messenger, cli);
  g_signal_handlers_disconnect_by_data (lan_messenger_get_peers (cli->messenger), cli);
  g_clear_handle_id (&data->grace_source, g_source_remove);
  if (data->announcing != NULL)
    g_signal_handlers_disconnect_by_data (data->announcing, cli);
  g_clear_object (&data->announcing);
  for (guint i = 0; i < data->messages->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (data->messages, i), cli);
  g_ptr_array_unref (data->messages);
  g_clear_object (&data->peer);
  g_free (data->reply);
  g_free (data);
  cli->command_data = NULL;
}

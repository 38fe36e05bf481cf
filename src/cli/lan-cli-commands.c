/* lan-cli-commands.c — peers, receive, listen and bot; and the table of commands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-cli-commands"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lan-cli.h"
#include "lan-ipmsg.h"
#include "lan-packet-export.h"
#include "lan-display-text.h"

static gboolean
no_args (LanCli  *cli,
         GError **error)
{
  if (cli->n_args > 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("unexpected argument “%s”"), cli->args[0]);
      return FALSE;
    }
  return TRUE;
}

/* peers */

static void
print_peer (LanCli  *cli,
            LanPeer *peer)
{
  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "nickname");
      json_builder_add_string_value (builder, lan_peer_get_nickname (peer));
      json_builder_set_member_name (builder, "user");
      json_builder_add_string_value (builder, lan_peer_get_user (peer));
      json_builder_set_member_name (builder, "host");
      json_builder_add_string_value (builder, lan_peer_get_host (peer));
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, lan_peer_get_address (peer));
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, lan_peer_get_port (peer));
      json_builder_set_member_name (builder, "group");
      json_builder_add_string_value (builder, lan_peer_get_group (peer));
      json_builder_set_member_name (builder, "away");
      json_builder_add_boolean_value (builder, lan_peer_get_away (peer));
      json_builder_end_object (builder);
      node = json_builder_get_root (builder);
      lan_cli_print_json (node);
    }
  else
    {
      /* Names come from the network: nothing in them may move the cursor or recolour the terminal. */
      g_autofree char *nickname = lan_display_text (lan_peer_get_nickname (peer), LAN_DISPLAY_TEXT_TERMINAL, 100);
      g_autofree char *user = lan_display_text (lan_peer_get_user (peer), LAN_DISPLAY_TEXT_TERMINAL, 100);
      g_autofree char *host = lan_display_text (lan_peer_get_host (peer), LAN_DISPLAY_TEXT_TERMINAL, 100);
      g_autofree char *group = lan_display_text (lan_peer_get_group (peer), LAN_DISPLAY_TEXT_TERMINAL, 100);

      g_print ("%s\t%s@%s\t%s\t%s\n", nickname, user, host, lan_peer_get_key (peer), group);
    }
}

static void
peers_done (LanCli *cli)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_peers (cli->messenger)));

  if (cli->expect > 0 && n < (guint) cli->expect)
    {
      g_printerr (_("lanchat-cli peers: found %u of the %d expected\n"), n, cli->expect);
      lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
      return;
    }
  lan_cli_finish (cli, LAN_CLI_EXIT_OK);
}

static void
on_peers_changed (GListModel *peers,
                  guint       position,
                  guint       removed,
                  guint       added,
                  LanCli     *cli)
{
  /* Each peer as soon as it answers: others may leave before this one's deadline. */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (peers, i);

      print_peer (cli, peer);
    }
  if (cli->expect > 0 && g_list_model_get_n_items (peers) >= (guint) cli->expect)
    peers_done (cli);
}

static void
peers_run (LanCli *cli)
{
  g_signal_connect (lan_messenger_get_peers (cli->messenger), "items-changed",
                    G_CALLBACK (on_peers_changed), cli);
  lan_cli_set_deadline (cli, cli->wait >= 0 ? cli->wait : 3.0, peers_done);
}

static void
peers_cleanup (LanCli *cli)
{
  g_signal_handlers_disconnect_by_data (lan_messenger_get_peers (cli->messenger), cli);
}

/* listen */

typedef struct {
  guint64          last_printed;
  GOutputStream   *pcap_stream;
  LanPacketWriter *pcap;
} ListenData;

static void
listen_data_free (ListenData *data)
{
  g_clear_object (&data->pcap);
  g_clear_object (&data->pcap_stream);
  g_free (data);
}

static void
pcap_failed (LanCli *cli,
             GError *error)
{
  ListenData *data = cli->command_data;

  g_printerr (_("lanchat-cli listen: cannot write %s: %s\n"),
              cli->pcap != NULL ? cli->pcap : cli->pcapng, error->message);
  g_clear_object (&data->pcap);
  if (cli->finished)
    /* Closing at exit: the status is all that is left to tell. */
    cli->exit_code = LAN_CLI_EXIT_FAILED;
  else
    lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
}

static void
on_log_changed (GListModel *log,
                guint       position,
                guint       removed,
                guint       added,
                LanCli     *cli)
{
  ListenData *data = cli->command_data;
  g_autoptr(GError) error = NULL;

  /* Rows only ever come in at the end; removals are the oldest going. */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (log, i);

      if (lan_packet_log_entry_get_number (entry) <= data->last_printed)
        continue;
      data->last_printed = lan_packet_log_entry_get_number (entry);
      if (data->pcap != NULL && !lan_packet_writer_write_entry (data->pcap, entry, NULL, &error))
        {
          pcap_failed (cli, error);
          g_clear_error (&error);
        }
      if (!cli->messages_only)
        {
          g_autoptr(JsonNode) node = lan_packet_log_entry_to_json (entry);

          lan_cli_print_json (node);
        }
    }
  /* Once a main-loop iteration: whoever reads the file live sees every packet. */
  if (added > 0 && data->pcap != NULL && !lan_packet_writer_flush (data->pcap, NULL, &error))
    pcap_failed (cli, error);
}

static gboolean
open_pcap (LanCli  *cli,
           GError **error)
{
  ListenData *data = cli->command_data;
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (cli->pcap != NULL ? cli->pcap : cli->pcapng);
  GFileOutputStream *stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);

  if (stream == NULL)
    return FALSE;
  data->pcap_stream = G_OUTPUT_STREAM (stream);
  data->pcap = lan_packet_writer_new (data->pcap_stream,
                                      cli->pcap != NULL ? LAN_PACKET_EXPORT_PCAP : LAN_PACKET_EXPORT_PCAPNG);
  /* The file header now: a capture with no packets is still a capture. */
  return lan_packet_writer_flush (data->pcap, NULL, error);
}

/* What an offer lists, as offered: names are the peer's, for display only. */
static void
add_files (JsonBuilder *builder,
           LanMessage  *message)
{
  GPtrArray *files = lan_message_get_files (message);

  json_builder_set_member_name (builder, "offer");
  json_builder_add_string_value (builder, lan_offer_state_to_string (lan_message_get_offer_state (message)));
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < files->len; i++)
    {
      LanIpmsgFile *file = g_ptr_array_index (files, i);
      g_autofree char *name = g_utf8_make_valid (file->name, -1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file_id");
      json_builder_add_int_value (builder, (gint64) file->file_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) file->size);
      json_builder_set_member_name (builder, "directory");
      json_builder_add_boolean_value (builder, (file->attr & 0xff) == LAN_IPMSG_FILE_DIR);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_message (LanCli     *cli,
               LanPeer    *peer,
               LanMessage *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, lan_message_get_peer_key (message));
  json_builder_set_member_name (builder, "nickname");
  json_builder_add_string_value (builder, lan_peer_get_nickname (peer));
  json_builder_set_member_name (builder, "packet_no");
  json_builder_add_int_value (builder, (gint64) lan_message_get_packet_no (message));
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, lan_message_get_text (message));
  json_builder_set_member_name (builder, "broadcast");
  json_builder_add_boolean_value (builder, lan_message_get_broadcast (message));
  json_builder_set_member_name (builder, "auto_reply");
  json_builder_add_boolean_value (builder, lan_message_get_auto_reply (message));
  /* Marked, not hidden: the one reading the terminal is the one it was sealed for. */
  json_builder_set_member_name (builder, "sealed");
  json_builder_add_boolean_value (builder, lan_message_get_sealed (message));
  if (lan_message_get_files (message) != NULL)
    add_files (builder, message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  lan_cli_print_json (node);
}

static void
on_listen_message (LanMessenger *messenger,
                   LanPeer      *peer,
                   LanMessage   *message,
                   LanCli       *cli)
{
  print_message (cli, peer, message);
}

static void
listen_run (LanCli *cli)
{
  g_autoptr(GError) error = NULL;

  if (cli->messages_only)
    g_signal_connect (cli->messenger, "message-received", G_CALLBACK (on_listen_message), cli);
  if (cli->messages_only && cli->pcap == NULL && cli->pcapng == NULL)
    return;

  cli->command_data = g_new0 (ListenData, 1);
  if ((cli->pcap != NULL || cli->pcapng != NULL) && !open_pcap (cli, &error))
    {
      pcap_failed (cli, error);
      return;
    }
  g_signal_connect (lan_messenger_get_packet_log (cli->messenger), "items-changed",
                    G_CALLBACK (on_log_changed), cli);
}

static void
listen_cleanup (LanCli *cli)
{
  g_signal_handlers_disconnect_by_data (cli->messenger, cli);
  if (cli->command_data != NULL)
    {
      LanPacketLog *log = lan_messenger_get_packet_log (cli->messenger);
      ListenData *data = cli->command_data;
      g_autoptr(GError) error = NULL;

      /* The goodbye we are about to send belongs in the output too. */
      lan_messenger_stop (cli->messenger);
      lan_packet_log_flush (log);
      g_signal_handlers_disconnect_by_data (log, cli);
      if (data->pcap != NULL &&
          (!lan_packet_writer_flush (data->pcap, NULL, &error) ||
           !g_output_stream_close (data->pcap_stream, NULL, &error)))
        pcap_failed (cli, error);
      g_clear_pointer (&cli->command_data, listen_data_free);
    }
}

/* receive */

static gboolean
receive_check_args (LanCli  *cli,
                    GError **error)
{
  if (!no_args (cli, error))
    return FALSE;
  if (cli->dir == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("needs a folder to save into: receive --dir DIR"));
      return FALSE;
    }
  return TRUE;
}

static void
start_accepting (LanCli     *cli,
                 const char *dir,
                 double      idle_s)
{
  g_autoptr(GError) error = NULL;

  if (!lan_cli_accept_files_start (cli, dir, idle_s, &error))
    {
      g_printerr (_("lanchat-cli: cannot save into %s: %s\n"), dir, error->message);
      lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
    }
}

static void
receive_run (LanCli *cli)
{
  start_accepting (cli, cli->dir, cli->wait);
}

static void
receive_cleanup (LanCli *cli)
{
  lan_cli_accept_files_stop (cli);
}

/* bot */

static char *
expand_template (const char *template,
                 LanPeer    *peer,
                 LanMessage *message)
{
  g_autofree char *length = g_strdup_printf ("%" G_GSIZE_FORMAT, strlen (lan_message_get_text (message)));
  GString *out = g_string_new (template);

  g_string_replace (out, "{length}", length, 0);
  g_string_replace (out, "{nickname}", lan_peer_get_nickname (peer), 0);
  /* Last, so a {…} inside the text isn't expanded. */
  g_string_replace (out, "{text}", lan_message_get_text (message), 0);
  return g_string_free (out, FALSE);
}

static void
on_bot_message (LanMessenger *messenger,
                LanPeer      *peer,
                LanMessage   *message,
                LanCli       *cli)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(LanMessage) sent = NULL;

  print_message (cli, peer, message);
  /* Never answer an automatic answer: two bots would talk forever. */
  if (lan_message_get_auto_reply (message) || lan_message_get_broadcast (message))
    return;

  answer = expand_template (cli->template != NULL ? cli->template : _("Your data was {length} bytes long"),
                            peer, message);
  sent = lan_messenger_send (messenger, peer, answer, &error);
  if (sent == NULL)
    g_printerr (_("lanchat-cli bot: cannot answer %s: %s\n"), lan_peer_get_key (peer), error->message);
}

static void
bot_run (LanCli *cli)
{
  g_signal_connect (cli->messenger, "message-received", G_CALLBACK (on_bot_message), cli);
  if (cli->accept_files != NULL)
    start_accepting (cli, cli->accept_files, -1);
}

static void
bot_cleanup (LanCli *cli)
{
  g_signal_handlers_disconnect_by_data (cli->messenger, cli);
  lan_cli_accept_files_stop (cli);
}

static const LanCliCommand commands[] = {
  { "peers", no_args, peers_run, peers_cleanup },
  { "send", lan_cli_send_check_args, lan_cli_send_run, lan_cli_send_cleanup },
  { "receive", receive_check_args, receive_run, receive_cleanup },
  { "listen", no_args, listen_run, listen_cleanup },
  { "bot", no_args, bot_run, bot_cleanup },
  { "doctor", lan_cli_doctor_check_args, lan_cli_doctor_run, NULL, TRUE },
  { "history", lan_cli_history_check_args, lan_cli_history_run, NULL, FALSE, TRUE },
};

const LanCliCommand *
lan_cli_find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

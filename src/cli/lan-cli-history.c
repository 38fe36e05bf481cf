/* lan-cli-history.c — `lanchat-cli --history FILE history`: stored
 * messages, for scripts and tests, with no engine and no socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-cli-history"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-cli.h"
#include "lan-display-text.h"
#include "lan-history-search.h"

gboolean
lan_cli_history_check_args (LanCli  *cli,
                            GError **error)
{
  if (cli->history == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--history FILE says which history to read"));
      return FALSE;
    }
  if (cli->n_args > 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("unexpected argument “%s”: use --peer and --search"), cli->args[0]);
      return FALSE;
    }
  return TRUE;
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format_iso8601 (time) : g_strdup ("?");
}

static void
print_json (const LanHistoryMessage *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *time = format_time (message->time_us);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, message->id);
  json_builder_set_member_name (builder, "identity");
  json_builder_add_string_value (builder, message->identity);
  json_builder_set_member_name (builder, "remote");
  json_builder_add_string_value (builder, message->remote);
  json_builder_set_member_name (builder, "direction");
  json_builder_add_string_value (builder, message->direction == LAN_DIRECTION_OUT ? "out" : "in");
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, time);
  json_builder_set_member_name (builder, "time_us");
  json_builder_add_int_value (builder, message->time_us);
  json_builder_set_member_name (builder, "packet_no");
  /* Unsigned 64 bits do not all fit a JSON number: the digits, as text. */
  {
    g_autofree char *packet_no = g_strdup_printf ("%" G_GUINT64_FORMAT, message->packet_no);

    json_builder_add_string_value (builder, packet_no);
  }
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, lan_message_state_to_string (message->state));
  json_builder_set_member_name (builder, "broadcast");
  json_builder_add_boolean_value (builder, message->broadcast);
  json_builder_set_member_name (builder, "auto_reply");
  json_builder_add_boolean_value (builder, message->auto_reply);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, message->text);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  lan_cli_print_json (node);
}

static void
print_text (const LanHistoryMessage *message)
{
  g_autofree char *time = format_time (message->time_us);
  g_autofree char *identity = lan_display_text (message->identity, LAN_DISPLAY_TEXT_TERMINAL, LAN_DISPLAY_TEXT_ALL);
  g_autofree char *text = lan_display_text (message->text, LAN_DISPLAY_TEXT_TERMINAL, LAN_DISPLAY_TEXT_ALL);

  g_print ("%s %s %s: %s\n", time, message->direction == LAN_DIRECTION_OUT ? "→" : "←", identity, text);
}

void
lan_cli_history_run (LanCli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanHistory) history = NULL;
  g_autoptr(GPtrArray) found = NULL;

  /* Reading must not make an empty history where none was. */
  if (!g_file_test (cli->history, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr (_("lanchat-cli history: no history at %s\n"), cli->history);
      lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
      return;
    }
  /* Opened once as the app would: an older file gets its search index. */
  history = lan_history_open (cli->history, &error);
  if (history != NULL)
    found = lan_history_search (cli->history, cli->peer, cli->search, 0, &error);
  if (found == NULL)
    {
      g_printerr ("lanchat-cli history: %s\n", error->message);
      lan_cli_finish (cli, LAN_CLI_EXIT_FAILED);
      return;
    }
  for (guint i = 0; i < found->len; i++)
    {
      if (cli->json)
        print_json (g_ptr_array_index (found, i));
      else
        print_text (g_ptr_array_index (found, i));
    }
  lan_cli_finish (cli, LAN_CLI_EXIT_OK);
}

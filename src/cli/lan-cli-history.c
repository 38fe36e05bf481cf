/* lan-cli-history.c — `lanchat-cli --history FILE history`: stored
 * messages, for scripts and tests, with no engine and no socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-cli-history"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-cli.h"
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
      g_autofree char *line = lan_history_format_message (g_ptr_array_index (found, i), cli->json);

      g_print ("%s\n", line);
    }
  lan_cli_finish (cli, LAN_CLI_EXIT_OK);
}

/* lan-cli-doctor.c — lanchat-cli doctor: why can't I see someone?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-cli-doctor"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-cli.h"
#include "lan-doctor.h"

gboolean
lan_cli_doctor_check_args (LanCli  *cli,
                           GError **error)
{
  if (cli->n_args > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("unexpected argument “%s”: give at most one address"), cli->args[1]);
      return FALSE;
    }
  return TRUE;
}

/* Returns: (transfer none): ✓, ! or ✗ */
static const char *
status_mark (LanDoctorStatus status)
{
  switch (status)
    {
    case LAN_DOCTOR_OK: return "✓";
    case LAN_DOCTOR_WARNING: return "!";
    case LAN_DOCTOR_PROBLEM:
    default: return "✗";
    }
}

static void
print_text (GListModel *findings)
{
  guint n = g_list_model_get_n_items (findings);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanDoctorFinding) finding = g_list_model_get_item (findings, i);
      const char *advice = lan_doctor_finding_get_advice (finding);

      g_print ("%s %s: %s\n", status_mark (lan_doctor_finding_get_status (finding)),
               lan_doctor_finding_get_check (finding), lan_doctor_finding_get_detail (finding));
      if (advice != NULL)
        {
          g_auto(GStrv) lines = g_strsplit (advice, "\n", -1);

          for (guint j = 0; lines[j] != NULL; j++)
            g_print ("    %s\n", lines[j]);
        }
    }
}

static void
print_json (GListModel *findings)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  guint n = g_list_model_get_n_items (findings);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanDoctorFinding) finding = g_list_model_get_item (findings, i);

      json_array_add_element (array, lan_doctor_finding_to_json (finding));
    }
  json_node_set_array (node, array);
  lan_cli_print_json (node);
}

static void
on_diagnosed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LanCli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) findings = lan_doctor_run_finish (LAN_MESSENGER (source), result, &error);

  if (findings == NULL)
    {
      g_printerr ("lanchat-cli doctor: %s\n", error->message);
      lan_cli_finish (cli, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT)
                           ? LAN_CLI_EXIT_USAGE : LAN_CLI_EXIT_FAILED);
      return;
    }
  if (cli->json)
    print_json (findings);
  else
    print_text (findings);
  lan_cli_finish (cli, lan_doctor_worst_status (findings) == LAN_DOCTOR_PROBLEM
                       ? LAN_CLI_EXIT_FAILED : LAN_CLI_EXIT_OK);
}

void
lan_cli_doctor_run (LanCli *cli)
{
  double wait = cli->wait >= 0 ? cli->wait : 3.0;

  lan_doctor_run_async (cli->messenger, cli->n_args > 0 ? cli->args[0] : NULL,
                        (guint) (wait * 1000), NULL, on_diagnosed, cli);
}

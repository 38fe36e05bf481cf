/* ui-window-fixture.c — what the test-window-*.c programs share; see
 * ui-window-fixture.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window"

#include "config.h"

#include "lan-packet-filter.h"
#include "ui-test-support.h"
#include "ui-window-fixture.h"

LanApplication *app;
LanMessenger *bob;
char *data_home;

void
window_fixture_set_up (int    *argc,
                       char ***argv)
{
  data_home = make_data_home ();
  gtk_test_init (argc, argv, NULL);

  configure_settings ("Alice", "Dev");
  app = start_app ();
}

int
window_fixture_run (void)
{
  int result = g_test_run ();

  finish (app, bob, data_home);
  app = NULL;
  bob = NULL;
  data_home = NULL;
  return result;
}

LanWindow *
get_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
      window = windows ? windows->data : NULL;
    }
  g_assert_true (LAN_IS_WINDOW (window));
  return LAN_WINDOW (window);
}

LanMessenger *
app_messenger (void)
{
  return lan_application_get_messenger (app);
}

void
ensure_bob (void)
{
  g_autoptr(GError) error = NULL;

  if (bob == NULL)
    bob = bob_new (BOB_NICKNAME, "QA");

  if (!lan_messenger_get_running (bob))
    {
      lan_messenger_start (bob, &error);
      g_assert_no_error (error);
    }

  wait_acquainted (app_messenger (), bob, BOB_NICKNAME, "bob");
}

LanPeer *
bob_as_seen_by_app (void)
{
  LanPeer *peer = lan_peer_list_lookup (lan_messenger_get_peers (app_messenger ()), BOB_KEY);

  g_assert_nonnull (peer);
  return peer;
}

gboolean
log_shows_sendmsg (gpointer data)
{
  LogWait *wait = data;
  GListModel *model = lan_log_pane_get_model (wait->pane);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (model, i);
      g_autofree char *remote = lan_endpoint_to_string (lan_packet_log_entry_get_remote (entry));

      if (lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN &&
          g_str_equal (remote, BOB_KEY) &&
          g_strcmp0 (lan_packet_log_entry_get_command_name (entry), "SENDMSG") == 0 &&
          lan_packet_log_entry_get_packet_no (entry) == wait->packet_no)
        return TRUE;
    }
  return FALSE;
}

gboolean
filter_done_with (gpointer data)
{
  CountWait *wait = data;
  GListModel *model = lan_log_pane_get_model (wait->pane);

  lan_packet_log_flush (lan_messenger_get_packet_log (app_messenger ()));
  return gtk_filter_list_model_get_pending (GTK_FILTER_LIST_MODEL (model)) == 0 &&
         g_list_model_get_n_items (model) == wait->expected;
}

/* Rows of the whole log @query matches, by the core's own matcher. */
guint
count_matching (const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanPacketFilter) filter = lan_packet_filter_new (query, NULL, NULL, &error);
  GListModel *log = G_LIST_MODEL (lan_messenger_get_packet_log (app_messenger ()));
  guint count = 0;

  g_assert_no_error (error);
  lan_packet_filter_set_peers (filter, lan_messenger_get_peers (app_messenger ()));
  lan_packet_log_flush (LAN_PACKET_LOG (log));
  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (log, i);

      if (lan_packet_filter_match (filter, entry))
        count++;
    }
  return count;
}

gboolean
log_has_verdict_from (gpointer data)
{
  GListModel *log = G_LIST_MODEL (lan_messenger_get_packet_log (app_messenger ()));

  for (guint i = g_list_model_get_n_items (log); i > 0; i--)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (log, i - 1);
      g_autofree char *remote = lan_endpoint_to_string (lan_packet_log_entry_get_remote (entry));

      if (lan_packet_log_entry_get_verdict (entry) == LAN_VERDICT_MALFORMED &&
          g_str_has_prefix (remote, data))
        return TRUE;
    }
  return FALSE;
}

/* A datagram the codec rejects, from an address that is no peer. */
void
send_garbage_from_mallory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GSocketAddress) from = g_inet_socket_address_new_from_string (MALLORY_ADDRESS, 0);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new_from_string (APP_ADDRESS, TEST_PORT);
  static const char garbage[] = "2:not ipmsg at all";

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, from, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_socket_send_to (socket, to, garbage, sizeof garbage - 1, NULL, &error), ==,
                   sizeof garbage - 1);
  g_assert_no_error (error);
  wait_until (log_has_verdict_from, (gpointer) MALLORY_ADDRESS ":", "mallory's malformed datagram in the log");
}

gboolean
log_pane_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (lan_window_get_log_pane (get_window ())));
}

LanLogPane *
show_log (void)
{
  LanWindow *window = get_window ();

  g_object_set (window, "log-visible", TRUE, NULL);
  wait_until (log_pane_mapped, NULL, "the log pane");
  return lan_window_get_log_pane (window);
}

gboolean
message_is_delivered (gpointer data)
{
  return lan_message_get_state (data) == LAN_MESSAGE_DELIVERED;
}

/* What the export and the counters need whatever ran before: a message
 * each way (SENDMSG out, RECVMSG in) since the log was last cleared. */
void
exchange_a_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) sent = lan_messenger_send (app_messenger (), bob_as_seen_by_app (),
                                                   "Counted and exported", &error);

  g_assert_no_error (error);
  wait_until (message_is_delivered, sent, "the message to be delivered");
}

guint
count_lines (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint count = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      count++;
  return count;
}

GtkWindow *
find_toplevel_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      /* Borrowed: GTK keeps its toplevels alive. */
      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

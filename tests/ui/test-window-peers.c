/* test-window-peers.c — the people in the sidebar, driven against a second engine.
 *
 * Bob in the sidebar (his nickname as text, never markup), his context
 * menu's "Show Packets", and deleting his conversation or all history.
 *
 * One of the test-window-*.c programs, each with an app, data folder and
 * bob of its own (ui-window-fixture.c); each case brings the state it
 * needs, so it also runs alone with -p.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-peers"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "lan-application.h"
#include "lan-ipmsg.h"
#include "lan-log-format.h"
#include "lan-log-pane.h"
#include "lan-message-row.h"
#include "lan-ipmsg-dissect.h"
#include "lan-packet-filter.h"
#include "lan-packet-inspector.h"
#include "lan-peer-row.h"
#include "lan-preferences-window.h"
#include "lan-window.h"

#include "ui-test-support.h"
#include "ui-window-fixture.h"

static gboolean
is_peer_row_label (GtkWidget *widget,
                   gpointer   data)
{
  return is_label_with_text (widget, data) &&
         gtk_widget_get_ancestor (widget, LAN_TYPE_PEER_ROW) != NULL;
}

static gboolean
sidebar_shows_bob (gpointer data)
{
  GtkWidget *list = lan_window_get_peer_list_view (get_window ());

  return find_widget (list, is_peer_row_label, (gpointer) BOB_NICKNAME) != NULL;
}

static void
test_markup_nickname_shown_verbatim (void)
{
  GtkWidget *label;
  PangoLayout *layout;

  ensure_bob ();
  wait_until (sidebar_shows_bob, NULL, "bob in the sidebar");

  label = find_widget (lan_window_get_peer_list_view (get_window ()),
                       is_peer_row_label, (gpointer) BOB_NICKNAME);
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
  /* What is laid out, i.e. drawn, is every character as sent. */
  layout = gtk_label_get_layout (GTK_LABEL (label));
  g_assert_cmpstr (pango_layout_get_text (layout), ==, BOB_NICKNAME);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, BOB_NICKNAME);

  g_assert_cmpstr (lan_window_get_page (get_window ()), ==, "conversation");
}

static gboolean
is_row_of_peer (GtkWidget *widget,
                gpointer   data)
{
  return LAN_IS_PEER_ROW (widget) && lan_peer_row_get_peer (LAN_PEER_ROW (widget)) == data;
}

/* The sidebar's "Show Packets" opens the log filtered to that peer. */
static void
test_log_show_peer_packets (void)
{
  LanWindow *window;
  LanLogPane *pane;
  GtkWidget *row;
  GtkWidget *menu;
  GMenuModel *menu_model;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *action = NULL;
  CountWait wait = { 0 };
  gboolean log_visible = TRUE;

  ensure_bob ();
  window = get_window ();
  g_object_set (window, "log-visible", FALSE, NULL);
  if (!log_has_verdict_from ((gpointer) MALLORY_ADDRESS ":"))
    send_garbage_from_mallory ();
  wait_until (sidebar_shows_bob, NULL, "bob in the sidebar");

  row = find_widget (lan_window_get_peer_list_view (window), is_row_of_peer, bob_as_seen_by_app ());
  g_assert_nonnull (row);
  lan_peer_row_popup_context_menu (LAN_PEER_ROW (row));
  menu = lan_peer_row_get_context_menu (LAN_PEER_ROW (row));
  g_assert_true (GTK_IS_POPOVER_MENU (menu));
  menu_model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu));
  g_assert_cmpint (g_menu_model_get_n_items (menu_model), ==, 4);
  {
    g_autofree char *doctor_action = NULL;
    g_autoptr(GVariant) doctor_target = NULL;

    g_assert_true (g_menu_model_get_item_attribute (menu_model, 2, G_MENU_ATTRIBUTE_ACTION, "s", &doctor_action));
    g_assert_cmpstr (doctor_action, ==, "win.doctor-peer");
    doctor_target = g_menu_model_get_item_attribute_value (menu_model, 2, G_MENU_ATTRIBUTE_TARGET,
                                                           G_VARIANT_TYPE_STRING);
    g_assert_cmpstr (g_variant_get_string (doctor_target, NULL), ==, BOB_ADDRESS);
  }
  {
    /* The fourth: the Encoding submenu, the peer's override. */
    GMenuModel *encodings = g_menu_model_get_item_link (menu_model, 3, G_MENU_LINK_SUBMENU);

    g_assert_nonnull (encodings);
    g_assert_cmpint (g_menu_model_get_n_items (encodings), ==, 4);
    g_object_unref (encodings);
    gtk_widget_activate_action (row, "row.encoding", "s", "gb18030");
    g_assert_cmpint (lan_peer_get_dialect_override (bob_as_seen_by_app ()), ==, LAN_DIALECT_FORCE_GB18030);
    gtk_widget_activate_action (row, "row.encoding", "s", "automatic");
    g_assert_cmpint (lan_peer_get_dialect_override (bob_as_seen_by_app ()), ==, LAN_DIALECT_AUTOMATIC);
  }
  {
    g_autofree char *delete_action = NULL;
    g_autoptr(GVariant) delete_target = NULL;

    g_assert_true (g_menu_model_get_item_attribute (menu_model, 1, G_MENU_ATTRIBUTE_ACTION, "s", &delete_action));
    g_assert_cmpstr (delete_action, ==, "win.delete-conversation");
    delete_target = g_menu_model_get_item_attribute_value (menu_model, 1, G_MENU_ATTRIBUTE_TARGET,
                                                           G_VARIANT_TYPE_STRING);
    g_assert_cmpstr (g_variant_get_string (delete_target, NULL), ==,
                     lan_peer_get_key (bob_as_seen_by_app ()));
  }
  g_assert_true (g_menu_model_get_item_attribute (menu_model, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  g_assert_cmpstr (action, ==, "win.show-peer-packets");
  target = g_menu_model_get_item_attribute_value (menu_model, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, BOB_ADDRESS);
  gtk_popover_popdown (GTK_POPOVER (menu));

  /* What the menu item does, from where it sits. */
  gtk_widget_activate_action_variant (row, action, target);

  g_object_get (window, "log-visible", &log_visible, NULL);
  g_assert_true (log_visible);
  pane = lan_window_get_log_pane (window);
  g_assert_cmpstr (lan_log_pane_get_filter_text (pane), ==, "peer:" BOB_ADDRESS);
  g_assert_null (lan_log_pane_get_filter_error (pane));
  wait.pane = pane;
  wait.expected = count_matching ("peer:" BOB_ADDRESS);
  wait_until (filter_done_with, &wait, "the log filtered to bob");
  /* Mallory's garbage is not bob's. */
  g_assert_cmpuint (wait.expected, <,
                    g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_packet_log (app_messenger ()))));
  g_assert_cmpuint (wait.expected, >, 0);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  /* Borrowed: GTK owns the list of toplevels. */
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
conversation_has_messages (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) > 0;
}

static gboolean
conversation_is_empty (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 0;
}

/* Delete Conversation asks first; Cancel keeps everything, Delete empties it. */
static void
test_delete_conversation (void)
{
  LanWindow *window;
  LanPeer *peer;
  LanConversation *conversation;
  g_autoptr(LanMessage) sent = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  ensure_bob ();
  window = get_window ();
  peer = bob_as_seen_by_app ();
  conversation = lan_messenger_get_conversation (app_messenger (), lan_peer_get_key (peer));
  sent = lan_messenger_send (app_messenger (), peer, "Soon to be forgotten", &error);
  g_assert_no_error (error);
  wait_until (conversation_has_messages, conversation, "a message in bob's conversation");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-conversation", "s", lan_peer_get_key (peer));
  wait_until (message_dialog_shown, NULL, "the delete confirmation");
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), >, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-conversation", "s", lan_peer_get_key (peer));
  wait_until (message_dialog_shown, NULL, "the delete confirmation");
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (conversation_is_empty, conversation, "bob's conversation emptied");
}

/* Clear History empties every conversation, Everyone's included. */
static void
test_clear_history (void)
{
  LanPeer *peer;
  LanConversation *conversation;
  LanConversation *everyone;
  g_autoptr(LanMessage) sent = NULL;
  g_autoptr(LanMessage) broadcast = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  ensure_bob ();
  get_window ();
  peer = bob_as_seen_by_app ();
  conversation = lan_messenger_get_conversation (app_messenger (), lan_peer_get_key (peer));
  everyone = lan_messenger_get_broadcast_conversation (app_messenger ());
  sent = lan_messenger_send (app_messenger (), peer, "Also soon forgotten", &error);
  g_assert_no_error (error);
  broadcast = lan_messenger_send_broadcast (app_messenger (), "Hello all", &error);
  g_assert_no_error (error);
  wait_until (conversation_has_messages, conversation, "a message in bob's conversation");

  g_action_group_activate_action (G_ACTION_GROUP (g_application_get_default ()), "clear-history", NULL);
  wait_until (message_dialog_shown, NULL, "the clear confirmation");
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "clear");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (conversation_is_empty, conversation, "bob's conversation emptied");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (everyone)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  window_fixture_set_up (&argc, &argv);

  g_test_add_func ("/ui/sidebar/markup-nickname", test_markup_nickname_shown_verbatim);
  g_test_add_func ("/ui/log/show-peer-packets", test_log_show_peer_packets);
  g_test_add_func ("/ui/history/delete-conversation", test_delete_conversation);
  g_test_add_func ("/ui/history/clear", test_clear_history);

  return window_fixture_run ();
}

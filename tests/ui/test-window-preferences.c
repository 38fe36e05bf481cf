/* test-window-preferences.c — the preferences, driven against a second engine.
 *
 * Preferences apply at once, and a bad target is refused with a message.
 *
 * One of the test-window-*.c programs, each with an app, data folder and
 * bob of its own (ui-window-fixture.c); each case brings the state it
 * needs, so it also runs alone with -p.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-preferences"

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
is_entry_row_titled (GtkWidget *widget,
                     gpointer   data)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
is_text_view (GtkWidget *widget,
              gpointer   data)
{
  return GTK_IS_TEXT_VIEW (widget);
}

static gboolean
is_apply_button (GtkWidget *widget,
                 gpointer   data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Apply") == 0;
}

static gboolean
is_visible_error_label (GtkWidget *widget,
                        gpointer   data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         gtk_widget_has_css_class (widget, "error") &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
bob_sees_nickname (gpointer data)
{
  LanPeer *peer = lan_peer_list_lookup (lan_messenger_get_peers (bob), APP_KEY);

  return peer != NULL && g_strcmp0 (lan_peer_get_nickname (peer), data) == 0;
}

/* Preferences apply at once: the nickname reaches the messenger and, by
 * its announcement, bob; an invalid target is refused with a message and
 * not stored. */
static void
test_preferences_apply (void)
{
  GSettings *settings = lan_application_get_settings (app);
  g_autofree char *nickname = NULL;
  g_auto(GStrv) targets = NULL;
  GtkWindow *preferences;
  GtkWidget *row, *targets_view, *apply;

  ensure_bob ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_preferences_window ();
  g_assert_nonnull (preferences);

  row = find_widget (GTK_WIDGET (preferences), is_entry_row_titled, (gpointer) "Nickname");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "Alice L.");
  g_signal_emit_by_name (row, "apply");

  nickname = g_settings_get_string (settings, "nickname");
  g_assert_cmpstr (nickname, ==, "Alice L.");
  g_clear_pointer (&nickname, g_free);
  g_object_get (app_messenger (), "nickname", &nickname, NULL);
  g_assert_cmpstr (nickname, ==, "Alice L.");
  wait_until (bob_sees_nickname, (gpointer) "Alice L.", "bob to see the new nickname");

  targets_view = find_widget (GTK_WIDGET (preferences), is_text_view, NULL);
  apply = find_widget (GTK_WIDGET (preferences), is_apply_button, NULL);
  g_assert_nonnull (targets_view);
  g_assert_nonnull (apply);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (targets_view)),
                            BOB_ADDRESS "\nnot-an-address", -1);
  /* "clicked" directly: activate() delays it for the pressed look. */
  g_signal_emit_by_name (apply, "clicked");
  g_assert_nonnull (find_widget (GTK_WIDGET (preferences), is_visible_error_label,
                                 (gpointer) "not-an-address"));
  targets = g_settings_get_strv (settings, "targets");
  g_assert_cmpuint (g_strv_length (targets), ==, 1);
  g_assert_cmpstr (targets[0], ==, BOB_ADDRESS);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "network");
  wait_frames (GTK_WIDGET (preferences));
  save_screenshot (GTK_WIDGET (preferences), "preferences-network.png");

  gtk_window_destroy (preferences);
  g_settings_set_string (settings, "nickname", "Alice");
  wait_until (bob_sees_nickname, (gpointer) "Alice", "bob to see the nickname again");
}

static gboolean
is_action_row_titled (GtkWidget *widget,
                      gpointer   data)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

/* "Keep running when the window is closed" is on by default, bound to its
 * key; "Run at login" beside it. Writes screenshots/preferences-background.png. */
static void
test_preferences_background (void)
{
  GSettings *settings = lan_application_get_settings (app);
  GtkWindow *preferences;
  GtkWidget *row, *toggle, *login;

  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_false (g_settings_get_boolean (settings, "run-at-login"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_preferences_window ();
  g_assert_nonnull (preferences);

  row = find_widget (GTK_WIDGET (preferences), is_action_row_titled,
                     (gpointer) "Keep Running When the Window Is Closed");
  g_assert_nonnull (row);
  toggle = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
  g_assert_true (GTK_IS_SWITCH (toggle));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));

  row = find_widget (GTK_WIDGET (preferences), is_action_row_titled, (gpointer) "Run at Login");
  g_assert_nonnull (row);
  login = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
  g_assert_true (GTK_IS_SWITCH (login));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (login)));

  /* Tall enough to show the group. */
  gtk_window_set_default_size (preferences, 640, 1000);
  wait_frames (GTK_WIDGET (preferences));
  save_screenshot (GTK_WIDGET (preferences), "preferences-background.png");
  gtk_window_destroy (preferences);
}

/* The away text can be written before going away: it is kept, not lost. */
static void
test_away_text_any_time (void)
{
  GSettings *settings = lan_application_get_settings (app);
  g_autofree char *away_text = NULL;
  GtkWindow *preferences;
  GtkWidget *row;

  g_settings_set_boolean (settings, "away", FALSE);
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_preferences_window ();
  g_assert_nonnull (preferences);
  row = find_widget (GTK_WIDGET (preferences), is_entry_row_titled, (gpointer) "Away Text");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_is_sensitive (row));
  gtk_editable_set_text (GTK_EDITABLE (row), "Back at two");
  g_signal_emit_by_name (row, "apply");
  away_text = g_settings_get_string (settings, "away-text");
  g_assert_cmpstr (away_text, ==, "Back at two");
  g_assert_false (g_settings_get_boolean (settings, "away"));
  gtk_window_destroy (preferences);
}

/* "Show away text in my name": off by default, and its switch sets the
 * key, which the app's messenger follows. */
static void
test_away_in_nickname_row (void)
{
  GSettings *settings = lan_application_get_settings (app);
  g_autoptr(GVariant) fallback = g_settings_get_default_value (settings, "away-in-nickname");
  gboolean in_nickname = TRUE;
  GtkWindow *preferences;
  GtkWidget *row;
  GtkWidget *toggle;

  g_assert_false (g_variant_get_boolean (fallback));
  g_settings_reset (settings, "away-in-nickname");
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_preferences_window ();
  g_assert_nonnull (preferences);
  row = find_widget (GTK_WIDGET (preferences), is_action_row_titled, (gpointer) "Show away text in my name");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "For IP Messenger and iptux users, who don't see away otherwise");
  toggle = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
  g_assert_true (GTK_IS_SWITCH (toggle));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (toggle)));
  g_object_get (app_messenger (), "away-in-nickname", &in_nickname, NULL);
  g_assert_false (in_nickname);

  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "away-in-nickname"));
  g_object_get (app_messenger (), "away-in-nickname", &in_nickname, NULL);
  g_assert_true (in_nickname);

  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "away-in-nickname"));
  g_object_get (app_messenger (), "away-in-nickname", &in_nickname, NULL);
  g_assert_false (in_nickname);
  gtk_window_destroy (preferences);
}

int
main (int   argc,
      char *argv[])
{
  window_fixture_set_up (&argc, &argv);

  g_test_add_func ("/ui/preferences/apply", test_preferences_apply);
  g_test_add_func ("/ui/preferences/background", test_preferences_background);
  g_test_add_func ("/ui/preferences/away-text-any-time", test_away_text_any_time);
  g_test_add_func ("/ui/preferences/away-in-nickname", test_away_in_nickname_row);

  return window_fixture_run ();
}

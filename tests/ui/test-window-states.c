/* test-window-states.c — the window's states, driven against a second engine.
 *
 * The window as it opens with nobody about, when its port is taken, its
 * shortcuts and About, and closing it (last: it takes the window away).
 *
 * One of the test-window-*.c programs, each with an app, data folder and
 * bob of its own (ui-window-fixture.c); each case brings the state it
 * needs, so it also runs alone with -p.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-states"

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

static void
test_window_opens (void)
{
  LanWindow *window;
  g_autofree char *listen = NULL;
  const char *page;

  wait_until (app_window_is_mapped, app, "the window to be mapped");
  window = get_window ();

  g_object_get (app_messenger (), "listen-address", &listen, NULL);
  g_assert_cmpstr (listen, ==, APP_ADDRESS ":2425");

  /* Nobody yet: a page that explains what to check, not an empty list. */
  page = lan_window_get_page (window);
  if (bob == NULL || !lan_messenger_get_running (bob))
    g_assert_true (g_str_equal (page, "empty") || g_str_equal (page, "no-network"));

  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "Everyone"));

  wait_frames (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "no-peers.png");
}

static gboolean
window_shows_label (gpointer data)
{
  return find_widget (GTK_WIDGET (get_window ()), is_label_with_text, data) != NULL;
}

static gboolean
has_accel (const char *action,
           const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  return accels != NULL && g_strv_contains ((const char * const *) accels, accel);
}

static gboolean
is_about_window (GtkWidget *widget,
                 gpointer   data)
{
  return ADW_IS_ABOUT_WINDOW (widget);
}

/* The shortcuts window is picked up from the resource path, the keys the
 * brief names are bound, and About opens. */
static void
test_shortcuts_and_about (void)
{
  LanWindow *window = get_window ();
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *about = NULL;

  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (has_accel ("win.show-log", "<Control>l"));
  g_assert_true (has_accel ("win.refresh", "<Control>r"));
  g_assert_true (has_accel ("win.focus-search", "<Control>f"));
  g_assert_true (has_accel ("app.preferences", "<Control>comma"));
  g_assert_true (has_accel ("app.quit", "<Control>q"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && about == NULL; i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      about = find_widget (toplevel, is_about_window, NULL);
    }
  g_assert_nonnull (about);
  gtk_window_destroy (GTK_WINDOW (about));
}

static gboolean
page_is (gpointer data)
{
  return g_str_equal (lan_window_get_page (get_window ()), data);
}

static gboolean
page_is_not (gpointer data)
{
  return !page_is (data);
}

static void
test_port_in_use (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) blocker = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *title = NULL;
  LanWindow *window = get_window ();

  /* Someone else takes our address and port while we are away. */
  lan_messenger_stop (app_messenger ());
  blocker = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                          G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new_from_string (APP_ADDRESS, TEST_PORT);
  g_assert_true (g_socket_bind (blocker, address, FALSE, &error));
  g_assert_no_error (error);

  g_assert_false (lan_application_restart_messenger (app));
  g_assert_error (lan_application_get_start_error (app), G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  wait_until (page_is, "port-in-use", "the port-in-use page");

  /* The page names the port and offers it for change. */
  title = g_strdup_printf ("Port %u Is Already in Use", TEST_PORT);
  wait_until (window_shows_label, title, title);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (lan_window_get_port_spin (window)), ==, TEST_PORT);
  wait_frames (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "port-in-use.png");

  /* The other program goes; Retry on the same port recovers. */
  g_socket_close (blocker, &error);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.retry-start", NULL);
  wait_until (messenger_is_running, app_messenger (), "the messenger to run again");
  wait_until (page_is_not, "port-in-use", "the port-in-use page to go");
  g_assert_null (lan_application_get_start_error (app));
}

static gboolean
is_content_stack (GtkWidget *widget,
                  gpointer   data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "empty") != NULL;
}

static gboolean
messenger_on_port (gpointer data)
{
  guint port = 0;

  g_object_get (app_messenger (), "port", &port, NULL);
  return lan_messenger_get_running (app_messenger ()) && port == GPOINTER_TO_UINT (data);
}

static gboolean
empty_page_names (gpointer data)
{
  GtkWidget *stack = find_widget (GTK_WIDGET (get_window ()), is_content_stack, NULL);
  GtkWidget *page = gtk_stack_get_child_by_name (GTK_STACK (stack), "empty");
  const char *description = adw_status_page_get_description (ADW_STATUS_PAGE (page));

  return description != NULL && strstr (description, data) != NULL;
}

/* Moved to another port, the empty page tells others that port, not 2425. */
static void
test_empty_page_names_real_port (void)
{
  GSettings *settings = lan_application_get_settings (app);
  const guint other = TEST_PORT + 7;
  g_autofree char *same_port = g_strdup_printf ("same port, %u.", other);
  g_autofree char *firewall = g_strdup_printf ("TCP port %u through", other);

  wait_until (messenger_is_running, app_messenger (), "the messenger to run");
  g_assert_false (empty_page_names (same_port));

  g_settings_set_uint (settings, "port", other);
  wait_until (messenger_on_port, GUINT_TO_POINTER (other), "the messenger on the other port");
  wait_until (empty_page_names, same_port, "the empty page to name the other port");
  g_assert_true (empty_page_names (firewall));
  g_assert_false (empty_page_names ("2425"));

  g_settings_set_uint (settings, "port", TEST_PORT);
  wait_until (messenger_on_port, GUINT_TO_POINTER (TEST_PORT), "the messenger back on its port");
  wait_until (empty_page_names, "same port, 2425.", "the empty page to name the port again");
}

/* Ctrl+Q (app.quit) skips the close request, yet the size is kept. */
static void
test_quit_saves_size (void)
{
  GSettings *settings = lan_application_get_settings (app);
  LanWindow *window = get_window ();

  gtk_window_set_default_size (GTK_WINDOW (window), 777, 555);
  g_settings_set_int (settings, "window-width", 1);
  g_settings_set_int (settings, "window-height", 1);

  g_assert_true (has_accel ("app.quit", "<Control>q"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 777);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 555);
}

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

/* Closing saves the size and tears the window down cleanly while the
 * messenger keeps running: the app, not the window, is on the network. */
static void
test_close_window (void)
{
  GSettings *settings = lan_application_get_settings (app);
  LanWindow *window = get_window ();

  g_settings_set_int (settings, "window-width", 1);
  gtk_window_close (GTK_WINDOW (window));
  wait_until (no_windows, NULL, "the window to close");

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), >, 1);
  g_assert_true (lan_messenger_get_running (app_messenger ()));
}

int
main (int   argc,
      char *argv[])
{
  window_fixture_set_up (&argc, &argv);

  g_test_add_func ("/ui/window/opens", test_window_opens);
  g_test_add_func ("/ui/window/port-in-use", test_port_in_use);
  g_test_add_func ("/ui/window/shortcuts-about", test_shortcuts_and_about);
  g_test_add_func ("/ui/window/empty-page-names-real-port", test_empty_page_names_real_port);
  g_test_add_func ("/ui/teardown/quit-saves-size", test_quit_saves_size);
  g_test_add_func ("/ui/teardown/close-window", test_close_window);

  return window_fixture_run ();
}

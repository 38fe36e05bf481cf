/* test-window-size.c — the device support the metainfo declares is true:
 * the main window, in its widest state (a conversation, the "No network
 * connection" banner shown and the packet log open), fits
 * a display whose shortest side is the metainfo's
 * <requires><display_length compare="ge">N</display_length>.
 *
 *   test-window-size --tap METAINFO
 *
 * Run by run-ui-test.sh: its own network namespace, Xvfb, a private bus.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-size"

#include "config.h"

#include <gtk/gtk.h>

#include "lan-application.h"
#include "lan-window.h"

#include "ui-test-support.h"

static LanApplication *app;
static const char *metainfo_path;

/* The N of <display_length compare="ge">N</display_length> in <requires>. */
static int
required_display_length (void)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *number = NULL;

  g_assert_true (g_file_get_contents (metainfo_path, &contents, NULL, &error));
  g_assert_no_error (error);
  regex = g_regex_new ("<requires>.*<display_length compare=\"ge\">([0-9]+)</display_length>.*</requires>",
                       G_REGEX_DOTALL, 0, &error);
  g_assert_no_error (error);
  if (!g_regex_match (regex, contents, 0, &match))
    {
      g_test_message ("%s declares no <requires><display_length compare=\"ge\">", metainfo_path);
      g_test_fail ();
      return 0;
    }
  number = g_match_info_fetch (match, 1);
  return (int) g_ascii_strtoll (number, NULL, 10);
}

static LanWindow *
get_window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  g_assert_nonnull (windows);
  g_assert_true (LAN_IS_WINDOW (windows->data));
  return LAN_WINDOW (windows->data);
}

static gboolean
banner_shown (gpointer data)
{
  return gtk_revealer_get_child_revealed (lan_window_get_network_banner (get_window ()));
}

static gboolean
log_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (lan_window_get_log_pane (get_window ())));
}

static void
test_fits (void)
{
  int length = required_display_length ();
  int min_width, min_height;
  GtkWidget *window;

  g_assert_cmpint (length, >, 0);
  wait_until (app_window_is_mapped, app, "the window to be mapped");
  window = GTK_WIDGET (get_window ());
  /* A conversation (Everyone's), with the banner whatever the network
   * monitor says here: its one-line text is the widest thing the window has. */
  lan_window_open_conversation (get_window (), "");
  gtk_revealer_set_reveal_child (lan_window_get_network_banner (get_window ()), TRUE);
  wait_until (banner_shown, NULL, "the no-network banner");
  g_object_set (window, "log-visible", TRUE, NULL);
  wait_until (log_mapped, NULL, "the packet log");
  wait_frames (window);

  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, min_width, &min_height, NULL, NULL, NULL);
  g_test_message ("smallest window %dx%d; the metainfo requires a display of at least %d",
                  min_width, min_height, length);
  /* The shortest side of the display holds the window either way round. */
  g_assert_cmpint (min_width, <=, length);
  g_assert_cmpint (min_height, <=, length);
  /* Asked for less, the window is no larger than its minimum. */
  g_assert_cmpint (gtk_widget_get_width (window), <=, length);
}

int
main (int   argc,
      char *argv[])
{
  char *data_home;
  int result;

  data_home = make_data_home ();
  gtk_test_init (&argc, &argv, NULL);
  if (argc != 2)
    {
      g_printerr ("usage: test-window-size [--tap] METAINFO\n");
      return 2;
    }
  metainfo_path = argv[1];
  configure_settings ("Alice", "Dev");
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    /* Far smaller than anything: the window takes its minimum size. */
    g_settings_set_int (settings, "window-width", 200);
    g_settings_set_int (settings, "window-height", 200);
  }
  app = start_app ();

  g_test_add_func ("/ship/window-size/fits-display-length", test_fits);
  result = g_test_run ();

  finish (app, NULL, data_home);
  return result;
}

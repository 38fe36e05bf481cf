/* test-window-history-banner.c — a banner that stays while messages are not being saved.
 *
 *   test-window-history-banner --tap no-folder
 *       XDG_DATA_HOME holds a file named "lanchat": the app can't make its
 *       data folder, so there is no history at all.
 *   test-window-history-banner --tap unopenable
 *       XDG_DATA_HOME/lanchat/history.sqlite is a folder: the history
 *       can't be opened, and the messenger says so ("history-error").
 *
 * Both as root and not: nothing here relies on permissions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-history-banner"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "lan-application.h"
#include "lan-window.h"

#include "ui-test-support.h"
#include "ui-window-fixture.h"

static const char *mode;

static gboolean
is_named_history_banner (GtkWidget *widget,
                         gpointer   data)
{
  return g_strcmp0 (gtk_widget_get_name (widget), "history_banner") == 0;
}

static GtkRevealer *
find_banner (void)
{
  GtkWidget *banner = find_widget (GTK_WIDGET (get_window ()), is_named_history_banner, NULL);

  g_assert_nonnull (banner);
  g_assert_true (GTK_IS_REVEALER (banner));
  return GTK_REVEALER (banner);
}

static gboolean
is_label (GtkWidget *widget,
          gpointer   data)
{
  return GTK_IS_LABEL (widget);
}

static gboolean
banner_shown (gpointer data)
{
  GtkRevealer *banner = find_banner ();

  return gtk_revealer_get_reveal_child (banner) && gtk_widget_get_mapped (GTK_WIDGET (banner)) &&
         gtk_revealer_get_child_revealed (banner);
}

static void
test_banner (void)
{
  GtkRevealer *banner;
  GtkLabel *label;
  const char *text;
  g_autofree char *history_error = NULL;
  g_autofree char *history_path = NULL;
  g_autofree char *lanchat_dir = g_build_filename (data_home, "lanchat", NULL);

  wait_until (banner_shown, NULL, "the history banner");
  banner = find_banner ();
  label = GTK_LABEL (find_widget (GTK_WIDGET (banner), is_label, NULL));
  g_assert_nonnull (label);
  text = gtk_label_get_text (label);
  g_test_message ("banner: %s", text);
  g_assert_true (g_str_has_prefix (text, "Messages are not being saved: "));

  g_object_get (app_messenger (), "history-error", &history_error, "history-path", &history_path, NULL);
  if (g_str_equal (mode, "no-folder"))
    {
      g_assert_null (history_path);
      /* Where, why, and what it means. */
      g_assert_nonnull (strstr (text, lanchat_dir));
      g_assert_nonnull (strstr (text, g_strerror (ENOTDIR)));
      g_assert_nonnull (strstr (text, "gone when Lanchat quits"));
    }
  else
    {
      g_assert_nonnull (history_error);
      g_assert_nonnull (strstr (text, "not confirmed"));
    }

  /* It stays: the window is still usable, and the banner is still there
   * after the conversations are switched. */
  lan_window_open_conversation (get_window (), "");
  wait_frames (GTK_WIDGET (get_window ()));
  g_assert_true (gtk_revealer_get_reveal_child (find_banner ()));

  {
    g_autofree char *name = g_strdup_printf ("history-banner-%s.png", mode);

    save_screenshot (GTK_WIDGET (get_window ()), name);
  }
}

/* The case of the other tests: a history that works, no banner. */
static void
test_no_banner_when_saved (void)
{
  g_autofree char *history_error = NULL;
  g_autofree char *history_path = NULL;

  wait_frames (GTK_WIDGET (get_window ()));
  g_object_get (app_messenger (), "history-error", &history_error, "history-path", &history_path, NULL);
  g_assert_nonnull (history_path);
  g_assert_null (history_error);
  g_assert_false (gtk_revealer_get_reveal_child (find_banner ()));
}

static void
break_data_home (const char *home)
{
  g_autofree char *lanchat = g_build_filename (home, "lanchat", NULL);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (mode, "no-folder"))
    {
      g_file_set_contents (lanchat, "not a folder\n", -1, &error);
      g_assert_no_error (error);
    }
  else if (g_str_equal (mode, "unopenable"))
    {
      g_autofree char *history = g_build_filename (lanchat, "history.sqlite", NULL);

      g_assert_cmpint (g_mkdir_with_parents (history, 0700), ==, 0);
    }
}

int
main (int argc, char **argv)
{
  /* The mode is the first argument that is no option. */
  mode = "saved";
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-')
      mode = argv[i];

  /* As window_fixture_set_up(), with the data folder broken before the app starts. */
  data_home = make_data_home ();
  break_data_home (data_home);
  gtk_test_init (&argc, &argv, NULL);
  configure_settings ("Alice", "Dev");
  app = start_app ();

  if (g_str_equal (mode, "saved"))
    g_test_add_func ("/ui/history-banner/saved", test_no_banner_when_saved);
  else
    g_test_add_func ("/ui/history-banner/not-saved", test_banner);

  return window_fixture_run ();
}

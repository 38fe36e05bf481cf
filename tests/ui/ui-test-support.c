/* ui-test-support.c — what the UI test programs share; see
 * ui-test-support.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-ui-test-support"

#include "config.h"

#include <glib/gstdio.h>

#include "lan-message-row.h"
#include "lan-preferences-window.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"
#include "ui-test-support.h"

/* Iterates the main context (lan_test_await) until @condition holds; fails
 * the test with @what after DEADLINE_S seconds. */
void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  if (!lan_test_await (condition, data, DEADLINE_S * 1000))
    {
      g_test_message ("timed out after %d s waiting for %s", DEADLINE_S, what);
      g_test_fail ();
      g_assert_not_reached ();
    }
}

static gboolean
count_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  guint *frames = data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
frames_done (gpointer data)
{
  return *(guint *) data >= 3;
}

/* Lets layout and drawing catch up with model changes. */
void
wait_frames (GtkWidget *widget)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame, &frames, NULL);

  gtk_widget_queue_draw (widget);
  wait_until (frames_done, &frames, "three frames");
  gtk_widget_remove_tick_callback (widget, id);
}

/* Writes @widget as drawn to screenshots/@name in the test's build dir. */
void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *path = NULL;
  GStatBuf info;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));

  directory = g_build_filename (g_test_get_dir (G_TEST_BUILT), "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (directory, 0755), ==, 0);
  path = g_build_filename (directory, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  /* A screenshot test asserts at least this: a picture was written. */
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_size, >, 0);
  g_test_message ("screenshot: %s", path);
}

/* The first widget under @root, itself included, for which @predicate
 * holds, depth first. */
GtkWidget *
find_widget (GtkWidget       *root,
             WidgetPredicate  predicate,
             gpointer         data)
{
  if (predicate (root, data))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, predicate, data);
      if (found != NULL)
        return found;
    }

  return NULL;
}

gboolean
is_label_with_text (GtkWidget *widget,
                    gpointer   data)
{
  return GTK_IS_LABEL (widget) &&
         gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

gboolean
is_row_of_message (GtkWidget *widget,
                   gpointer   data)
{
  return LAN_IS_MESSAGE_ROW (widget) &&
         lan_message_row_get_message (LAN_MESSAGE_ROW (widget)) == data;
}

GtkWindow *
find_preferences_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      /* Borrowed: GTK keeps its toplevels alive. */
      if (LAN_IS_PREFERENCES_WINDOW (window))
        return window;
    }
  return NULL;
}

LanMessage *
last_message (LanConversation *conversation)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (conversation));
  LanMessage *message;

  if (n == 0)
    return NULL;

  /* Borrowed: the conversation keeps its own reference. */
  message = g_list_model_get_item (G_LIST_MODEL (conversation), n - 1);
  g_object_unref (message);
  return message;
}

/* A Condition on a LanMessenger. */
gboolean
messenger_is_running (gpointer messenger)
{
  return lan_messenger_get_running (messenger);
}

/* A Condition on a LanApplication. */
gboolean
app_window_is_mapped (gpointer app)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  return windows != NULL && gtk_widget_get_mapped (windows->data);
}

/* The second engine, on BOB_ADDRESS with the app as its target; not
 * started. The messenger's own retry timings, not the factory's fast ones:
 * bob talks to a whole window, which answers at a window's pace. */
LanMessenger *
bob_new (const char *nickname,
         const char *group)
{
  const char *targets[] = { APP_ADDRESS, NULL };
  LanTestEngineOptions options = {
    .user_name = "bob",
    .host_name = "bobs-laptop",
    .nickname = nickname,
    .port = TEST_PORT,
    .retry_initial_ms = 500,
    .retry_budget_ms = 30000,
    .answer_delay_max_ms = 50,
    .no_start = TRUE,
    .targets = targets,
  };
  LanMessenger *bob = lan_test_engine_new_udp (BOB_ADDRESS, &options);

  g_object_set (bob, "group", group, NULL);
  return bob;
}

typedef struct {
  LanMessenger *app_messenger;
  LanMessenger *bob;
  const char   *bob_nickname;
} Acquaintance;

static gboolean
app_knows_bob (gpointer data)
{
  Acquaintance *acquaintance = data;
  LanPeer *peer = lan_peer_list_lookup (lan_messenger_get_peers (acquaintance->app_messenger), BOB_KEY);

  /* Known by its entry packet, with the nickname it announced. */
  return peer != NULL && g_strcmp0 (lan_peer_get_nickname (peer), acquaintance->bob_nickname) == 0;
}

static gboolean
bob_knows_app (gpointer data)
{
  Acquaintance *acquaintance = data;

  return lan_peer_list_lookup (lan_messenger_get_peers (acquaintance->bob), APP_KEY) != NULL;
}

/* Waits for the app's messenger to run and for it and bob to list each
 * other, bob by @bob_nickname; @bob_name is what the failures call him. */
void
wait_acquainted (LanMessenger *app_messenger,
                 LanMessenger *bob,
                 const char   *bob_nickname,
                 const char   *bob_name)
{
  Acquaintance acquaintance = { app_messenger, bob, bob_nickname };
  g_autofree char *app_lists_bob = g_strdup_printf ("the app to list %s", bob_name);
  g_autofree char *bob_lists_app = g_strdup_printf ("%s to list the app", bob_name);

  wait_until (messenger_is_running, app_messenger, "the app's messenger to run");
  wait_until (app_knows_bob, &acquaintance, app_lists_bob);
  wait_until (bob_knows_app, &acquaintance, bob_lists_app);
}

/* GSettings in memory and, set before GLib reads it, a history of our own
 * in XDG_DATA_HOME, empty at every run; in the build dir so a run that
 * bails out leaves nothing in /tmp. Returns the directory, for finish(). */
char *
make_data_home (void)
{
  char *data_home;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  data_home = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR")
                                                             : g_get_tmp_dir (),
                                "xdg-data-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (data_home));
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  return data_home;
}

/* The app's settings: on APP_ADDRESS with bob as its target. */
void
configure_settings (const char *nickname,
                    const char *group)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *targets[] = { BOB_ADDRESS, NULL };

  g_settings_set_string (settings, "nickname", nickname);
  g_settings_set_string (settings, "group", group);
  g_settings_set_string (settings, "bind-address", APP_ADDRESS);
  g_settings_set_uint (settings, "port", TEST_PORT);
  g_settings_set_strv (settings, "targets", targets);
  g_settings_set_int (settings, "window-width", 1240);
  g_settings_set_int (settings, "window-height", 820);
  /* No notification server on the test bus. */
  g_settings_set_boolean (settings, "notifications", FALSE);
}

/* Registers and activates the app, after configure_settings(). */
LanApplication *
start_app (void)
{
  g_autoptr(GError) error = NULL;
  LanApplication *app;

  /* Screenshots and checks see the end state, not a crossfade. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = lan_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  /* Known user and host names make the screenshots the same everywhere. */
  g_object_set (lan_application_get_messenger (app),
                "user-name", "alice", "host-name", "alice-desktop", NULL);
  g_application_activate (G_APPLICATION (app));
  return app;
}

/* After g_test_run(): stops bob (if any) and the app, takes both
 * references, removes and frees @data_home. */
void
finish (LanApplication *app,
        LanMessenger   *bob,
        char           *data_home)
{
  g_autoptr(GError) error = NULL;

  if (bob != NULL)
    lan_messenger_stop (bob);
  g_clear_object (&bob);
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  g_assert_true (lan_test_remove_tree (data_home, &error));
  g_assert_no_error (error);
  g_free (data_home);
}

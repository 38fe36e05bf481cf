/* test-window-folded.c — the narrow (folded) layout: a conversation left
 * with Back opens again, by click and by Enter, on the same person.
 *
 * One of the test-window-*.c programs (ui-window-fixture.c), except that its
 * window is narrow from the start: resizing a shown window under Xvfb can
 * snapshot a header bar before it has an allocation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-folded"

#include "config.h"

#include <gtk/gtk.h>

#include "lan-application.h"
#include "lan-person.h"
#include "lan-window.h"

#include "ui-test-support.h"
#include "ui-window-fixture.h"

#define BOB_IDENTITY "bob@bobs-laptop"

static gboolean
is_leaflet (GtkWidget *widget,
            gpointer   data)
{
  return ADW_IS_LEAFLET (widget);
}

static gboolean
is_content_stack (GtkWidget *widget,
                  gpointer   data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "empty") != NULL;
}

static AdwLeaflet *
get_leaflet (void)
{
  GtkWidget *leaflet = find_widget (GTK_WIDGET (get_window ()), is_leaflet, NULL);

  g_assert_nonnull (leaflet);
  return ADW_LEAFLET (leaflet);
}

static gboolean
leaflet_folded (gpointer data)
{
  return adw_leaflet_get_folded (get_leaflet ());
}

static gboolean
showing_content (gpointer data)
{
  GtkWidget *content = find_widget (GTK_WIDGET (get_window ()), is_content_stack, NULL);

  return adw_leaflet_get_visible_child (get_leaflet ()) == content;
}

static gboolean
showing_list (gpointer data)
{
  return !showing_content (NULL);
}

/* Returns: bob's row in the sidebar, or G_MAXUINT. */
static guint
bob_position (void)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (lan_window_get_peer_list_view (get_window ()))));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (LAN_IS_PERSON (item) && g_strcmp0 (lan_person_get_identity (LAN_PERSON (item)), BOB_IDENTITY) == 0)
        return i;
    }
  return G_MAXUINT;
}

static gboolean
bob_listed (gpointer data)
{
  return bob_position () != G_MAXUINT;
}

static void
assert_bobs_conversation (void)
{
  LanConversation *conversation = lan_window_get_conversation (get_window ());

  g_assert_nonnull (conversation);
  g_assert_cmpstr (lan_conversation_get_peer_key (conversation), ==, BOB_IDENTITY);
}

static void
back (void)
{
  gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.show-sidebar", NULL);
  wait_until (showing_list, NULL, "the list after Back");
}

static void
test_reopen_after_back (void)
{
  LanWindow *window;
  GtkSelectionModel *selection;
  guint position;

  wait_until (app_window_is_mapped, app, "the window to be mapped");
  window = get_window ();
  wait_until (leaflet_folded, NULL, "the folded layout");
  ensure_bob ();
  wait_until (bob_listed, NULL, "bob in the list");
  position = bob_position ();
  selection = gtk_list_view_get_model (GTK_LIST_VIEW (lan_window_get_peer_list_view (window)));

  /* Picked in the list: his conversation. */
  gtk_selection_model_select_item (selection, position, TRUE);
  wait_until (showing_content, NULL, "bob's conversation");
  assert_bobs_conversation ();

  /* Back, then the same row again by click: it opens again. */
  back ();
  g_assert_false (gtk_selection_model_is_selected (selection, position));
  gtk_selection_model_select_item (selection, position, TRUE);
  wait_until (showing_content, NULL, "bob's conversation after Back, by click");
  assert_bobs_conversation ();

  /* Back, then Enter on the same row. */
  back ();
  g_signal_emit_by_name (lan_window_get_peer_list_view (window), "activate", position);
  wait_until (showing_content, NULL, "bob's conversation after Back, by Enter");
  assert_bobs_conversation ();
}

int
main (int   argc,
      char *argv[])
{
  data_home = make_data_home ();
  gtk_test_init (&argc, &argv, NULL);
  configure_settings ("Alice", "Dev");
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    /* Narrow enough to fold, from the start. */
    g_settings_set_int (settings, "window-width", 360);
    g_settings_set_int (settings, "window-height", 640);
  }
  app = start_app ();

  g_test_add_func ("/window/folded/reopen-after-back", test_reopen_after_back);

  return window_fixture_run ();
}

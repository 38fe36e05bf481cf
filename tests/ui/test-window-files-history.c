/* test-window-files-history.c — after a restart, an offer's card knows
 * which of its files were saved.
 *
 * Bob offers three files; the app saves two of them over TCP (Save), one of
 * which is then deleted, and quits. The app started again on the same data
 * folder shows the card from history: Open, Show in Folder and the
 * thumbnail for the file still where it was saved, Save for the deleted
 * one and for the one never saved, no Decline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-files-history"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "lan-history-files.h"
#include "lan-ipmsg.h"
#include "lan-offer-card.h"
#include "lan-offer-file-row.h"
#include "lan-window.h"

#include "ui-test-support.h"
#include "ui-window-fixture.h"

/* ---- finding things ----------------------------------------------------- */

static gboolean
is_card_of_packet (GtkWidget *widget,
                   gpointer   data)
{
  LanMessage *offer;

  if (!LAN_IS_OFFER_CARD (widget))
    return FALSE;
  offer = lan_offer_card_get_offer (LAN_OFFER_CARD (widget));
  return lan_message_get_direction (offer) == LAN_DIRECTION_IN &&
         lan_message_get_packet_no (offer) == *(guint64 *) data;
}

static GtkWidget *
find_card (guint64 packet_no)
{
  return find_widget (lan_window_get_message_list_view (get_window ()), is_card_of_packet, &packet_no);
}

static gboolean
card_is_mapped (gpointer data)
{
  GtkWidget *card = find_card (*(guint64 *) data);

  return card != NULL && gtk_widget_get_mapped (card) && gtk_widget_get_height (card) > 0;
}

static gboolean
is_file_row_with_id (GtkWidget *widget,
                     gpointer   data)
{
  return LAN_IS_OFFER_FILE_ROW (widget) &&
         lan_offer_file_row_get_file_id (LAN_OFFER_FILE_ROW (widget)) == *(guint64 *) data;
}

static LanOfferFileRow *
find_row (guint64 packet_no,
          guint64 file_id)
{
  GtkWidget *card = find_card (packet_no);
  GtkWidget *row;

  g_assert_nonnull (card);
  row = find_widget (card, is_file_row_with_id, &file_id);
  g_assert_nonnull (row);
  return LAN_OFFER_FILE_ROW (row);
}

static gboolean
is_shown_button_labelled (GtkWidget *widget,
                          gpointer   data)
{
  if (!GTK_IS_BUTTON (widget) || !gtk_widget_get_mapped (widget))
    return FALSE;
  return g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0 ||
         g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

static GtkWidget *
shown_button (GtkWidget  *root,
              const char *label)
{
  return find_widget (root, is_shown_button_labelled, (gpointer) label);
}

static gboolean
is_mapped_label_with_text (GtkWidget *widget,
                           gpointer   data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), data) == 0;
}

static gboolean
app_has_offer (gpointer data)
{
  LanMessage *message = last_message (lan_messenger_get_conversation (app_messenger (), BOB_KEY));

  return message != NULL && lan_message_get_direction (message) == LAN_DIRECTION_IN &&
         lan_message_get_files (message) != NULL && g_strcmp0 (lan_message_get_text (message), data) == 0;
}

static gboolean
transfer_ended (gpointer transfer)
{
  return lan_file_transfer_is_finished (transfer);
}

static gboolean
row_has_thumbnail (gpointer row)
{
  return lan_offer_file_row_has_thumbnail (row);
}

static gboolean
is_null (gpointer pointer)
{
  return *(gpointer *) pointer == NULL;
}

static char *
download_folder (void)
{
  return g_build_filename (data_home, "Downloads", NULL);
}

/* Returns: (transfer full): a file of bob's to offer. */
static GFile *
bob_file (const char *name)
{
  g_autofree char *folder = g_build_filename (data_home, "bob-outbox", NULL);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  if (g_str_has_suffix (name, ".png"))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      guchar *pixels = g_malloc (32 * 24 * 4);

      memset (pixels, 0x80, 32 * 24 * 4);
      bytes = g_bytes_new_take (pixels, 32 * 24 * 4);
      texture = gdk_memory_texture_new (32, 24, GDK_MEMORY_R8G8B8A8, bytes, 32 * 4);
      g_assert_true (gdk_texture_save_to_png (texture, path));
    }
  else
    {
      g_assert_true (g_file_set_contents (path, name, -1, &error));
      g_assert_no_error (error);
    }
  return g_file_new_for_path (path);
}

/* Save on file @file_id of the offer; returns once it is fetched.
 * Returns: (transfer full): where it was saved. */
static char *
save (guint64 packet_no,
      guint64 file_id)
{
  LanOfferFileRow *row = find_row (packet_no, file_id);
  GtkWidget *button = shown_button (GTK_WIDGET (row), "_Save");
  LanFileTransfer *transfer;

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  transfer = lan_offer_file_row_get_transfer (row);
  g_assert_nonnull (transfer);
  wait_until (transfer_ended, transfer, "the fetch to end");
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  return g_file_get_path (lan_file_transfer_get_file (transfer));
}

static gboolean
quit_app (gpointer data)
{
  g_application_quit (data);
  return G_SOURCE_REMOVE;
}

/* The app quits the way it does when run (g_application_run() returns:
 * "shutdown", its messenger stopped, its name on the bus released), its
 * windows go, and it starts again on the same data folder and settings. */
static void
restart_app (void)
{
  LanApplication *old = app;
  GList *windows;

  g_idle_add (quit_app, app);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  g_object_add_weak_pointer (G_OBJECT (old), (gpointer *) &old);
  g_object_unref (app);
  app = NULL;
  wait_until (is_null, &old, "the old app to be finalized");

  app = start_app ();
  wait_until (app_window_is_mapped, app, "the window of the app started again");
  ensure_bob ();
}

/* ---- the case ----------------------------------------------------------- */

static void
test_saved_after_restart (void)
{
  g_autoptr(GFile) kept = bob_file ("kept.png");
  g_autoptr(GFile) moved = bob_file ("moved.txt");
  g_autoptr(GFile) later = bob_file ("later.txt");
  GFile *files[] = { kept, moved, later };
  g_autoptr(LanMessage) sent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kept_path = NULL;
  g_autofree char *moved_path = NULL;
  g_autofree char *saved_as = NULL;
  LanMessage *offer;
  guint64 packet_no;
  guint64 ids[3];
  LanOfferFileRow *row;
  GtkWidget *card;

  ensure_bob ();
  sent = lan_messenger_send_files (bob, lan_peer_list_lookup (lan_messenger_get_peers (bob), APP_KEY),
                                   "Three of them", files, G_N_ELEMENTS (files), &error);
  g_assert_no_error (error);
  wait_until (app_has_offer, (gpointer) "Three of them", "the app to receive bob's offer");
  offer = last_message (lan_messenger_get_conversation (app_messenger (), BOB_KEY));
  packet_no = lan_message_get_packet_no (offer);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = ((LanIpmsgFile *) g_ptr_array_index (lan_message_get_files (offer), i))->file_id;
  lan_window_open_conversation (get_window (), BOB_KEY);
  wait_until (card_is_mapped, &packet_no, "the offer's card");

  kept_path = save (packet_no, ids[0]);
  moved_path = save (packet_no, ids[1]);
  /* Noted for the offer as soon as each was done. */
  g_assert_cmpstr (lan_history_files_get_saved (offer, ids[0]), ==, kept_path);
  g_assert_cmpstr (lan_history_files_get_saved (offer, ids[1]), ==, moved_path);
  g_assert_null (lan_history_files_get_saved (offer, ids[2]));
  /* Moved away before the next start. */
  g_assert_cmpint (g_unlink (moved_path), ==, 0);
  offer = NULL;

  restart_app ();
  lan_window_open_conversation (get_window (), BOB_KEY);
  wait_until (card_is_mapped, &packet_no, "the offer's card, from history");
  card = find_card (packet_no);
  offer = lan_offer_card_get_offer (LAN_OFFER_CARD (card));
  g_assert_cmpint (lan_message_get_offer_state (offer), ==, LAN_OFFER_OPEN);
  wait_frames (GTK_WIDGET (get_window ()));

  /* Still where it was saved: Open and Show in Folder, where, and its thumbnail. */
  row = find_row (packet_no, ids[0]);
  g_assert_null (lan_offer_file_row_get_transfer (row));
  g_assert_true (lan_offer_file_row_is_saved (row));
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "_Open"));
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "Show in Folder"));
  g_assert_null (shown_button (GTK_WIDGET (row), "_Save"));
  g_assert_null (shown_button (GTK_WIDGET (row), "Save As…"));
  saved_as = g_strdup_printf ("Saved as %s", kept_path);
  g_assert_nonnull (find_widget (GTK_WIDGET (row), is_mapped_label_with_text, saved_as));
  wait_until (row_has_thumbnail, row, "the thumbnail of the picture saved before");

  /* Gone from there: Save again, nothing to open. */
  row = find_row (packet_no, ids[1]);
  g_assert_false (lan_offer_file_row_is_saved (row));
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "_Save"));
  g_assert_null (shown_button (GTK_WIDGET (row), "_Open"));

  /* Never saved: Save. */
  row = find_row (packet_no, ids[2]);
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "_Save"));
  g_assert_null (shown_button (GTK_WIDGET (row), "Show in Folder"));

  /* Part of it is saved: no Decline; Save All for the other two. */
  g_assert_null (shown_button (card, "_Decline"));
  g_assert_nonnull (shown_button (card, "Save _All"));
  save_screenshot (GTK_WIDGET (get_window ()), "offer-card-after-restart.png");
}

int
main (int   argc,
      char *argv[])
{
  window_fixture_set_up (&argc, &argv);
  {
    g_autofree char *folder = download_folder ();

    g_settings_set_string (lan_application_get_settings (app), "download-folder", folder);
  }

  g_test_add_func ("/window-files-history/saved-after-restart", test_saved_after_restart);

  return window_fixture_run ();
}

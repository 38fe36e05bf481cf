/* test-window-files.c — files in the window: offer cards, transfers, attachments.
 *
 * An incoming offer shows as a card with Save / Save All / Decline; a
 * transfer in progress as a progress bar with rate and time left and
 * Cancel; a saved file as Open and Show in Folder, and a saved picture as
 * a thumbnail; a failed fetch says why and offers Retry. Files pasted into
 * the composer (a file list, or a picture) show as removable chips. Writes
 * screenshots/offer-card.png, transfer-progress.png, received-picture.png
 * and attachments.png. Then the cases of test-window-files-attach.c
 * (drop, paste, notifications, and last a restart).
 *
 * Most offers here are messages put into bob's conversation by the test,
 * with LanFileTransfer objects it drives, so that each state is shown
 * exactly; Save and Decline still go through the app's messenger to bob.
 * Two cases go over TCP for real: a pasted file sent with Send and fetched
 * by bob, and a picture bob offers, saved with Save.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-files"

#include "config.h"

#include <string.h>
#include <time.h>
#include <utime.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "lan-composer-attach.h"
#include "lan-ipmsg.h"
#include "lan-message-row.h"
#include "lan-offer-card.h"
#include "lan-offer-file-row.h"
#include "lan-offer-format.h"
#include "lan-test-tmpdir.h"
#include "lan-window.h"

#include "test-window-files-attach.h"
#include "ui-files-support.h"
#include "ui-test-support.h"
#include "ui-window-fixture.h"

static char *cache_home;
static char *old_picture;
static guint64 next_packet_no = 900000;

/* ---- finding things ----------------------------------------------------- */

static gboolean
is_card_of (GtkWidget *widget,
            gpointer   data)
{
  return LAN_IS_OFFER_CARD (widget) && lan_offer_card_get_offer (LAN_OFFER_CARD (widget)) == data;
}

static gboolean
is_file_row_with_id (GtkWidget *widget,
                     gpointer   data)
{
  return LAN_IS_OFFER_FILE_ROW (widget) &&
         lan_offer_file_row_get_file_id (LAN_OFFER_FILE_ROW (widget)) == GPOINTER_TO_UINT (data);
}

static gboolean
is_shown_button_labelled (GtkWidget *widget,
                          gpointer   data)
{
  const char *label;

  if (!GTK_IS_BUTTON (widget) || !gtk_widget_get_mapped (widget))
    return FALSE;
  label = gtk_button_get_label (GTK_BUTTON (widget));
  return g_strcmp0 (label, data) == 0 || g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

static gboolean
is_mapped_progress_bar (GtkWidget *widget,
                        gpointer   data)
{
  return GTK_IS_PROGRESS_BAR (widget) && gtk_widget_get_mapped (widget);
}

static gboolean
is_mapped_label_containing (GtkWidget *widget,
                            gpointer   data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
is_mapped_picture (GtkWidget *widget,
                   gpointer   data)
{
  return GTK_IS_PICTURE (widget) && gtk_widget_get_mapped (widget) &&
         gtk_picture_get_paintable (GTK_PICTURE (widget)) != NULL;
}

static gboolean
is_button_for_action (GtkWidget *widget,
                      gpointer   data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static GtkWidget *
shown_button (GtkWidget  *root,
              const char *label)
{
  return find_widget (root, is_shown_button_labelled, (gpointer) label);
}

static GtkWidget *
find_card (LanMessage *offer)
{
  return find_widget (lan_window_get_message_list_view (get_window ()), is_card_of, offer);
}

static gboolean
card_is_mapped (gpointer offer)
{
  GtkWidget *card = find_card (offer);

  return card != NULL && gtk_widget_get_mapped (card) && gtk_widget_get_height (card) > 0;
}

static LanOfferFileRow *
find_file_row (LanMessage *offer,
               guint       file_id)
{
  GtkWidget *card = find_card (offer);

  g_assert_nonnull (card);
  return LAN_OFFER_FILE_ROW (find_widget (card, is_file_row_with_id, GUINT_TO_POINTER (file_id)));
}

/* ---- offers from bob, made here ----------------------------------------- */

static LanIpmsgFile *
file_record (guint64     file_id,
             const char *name,
             guint64     size,
             gboolean    folder)
{
  LanIpmsgFile *file = g_new0 (LanIpmsgFile, 1);

  file->file_id = file_id;
  file->name = g_strdup (name);
  file->size = size;
  file->mtime = 1764590000;
  file->attr = folder ? LAN_IPMSG_FILE_DIR : LAN_IPMSG_FILE_REGULAR;
  file->extras = g_new0 (char *, 1);
  return file;
}

/* An offer from bob in his conversation, shown. Returns: (transfer none) */
static LanMessage *
offer_from_bob (const char *text,
                ...)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_file_free);
  g_autoptr(LanMessage) message = NULL;
  const char *name;
  va_list args;
  guint id = 0;

  va_start (args, text);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      guint64 size = va_arg (args, guint64);

      /* "name/" stands for a folder called name. */
      g_autofree char *bare = g_strndup (name, strcspn (name, "/"));

      g_ptr_array_add (files, file_record (id++, bare, size, g_str_has_suffix (name, "/")));
    }
  va_end (args);

  ensure_bob ();
  lan_window_open_conversation (get_window (), BOB_KEY);
  message = lan_message_new (LAN_DIRECTION_IN, BOB_KEY, text, g_get_real_time (), next_packet_no++);
  lan_message_set_files (message, files);
  lan_conversation_append (bob_conversation (), message, FALSE);
  wait_until (card_is_mapped, message, "the offer's card to be shown");
  return message;
}

/* An offer of ours to bob, shown. Returns: (transfer none) */
static LanMessage *
offer_to_bob (const char *name,
              guint64     size)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_file_free);
  g_autoptr(LanMessage) message = NULL;

  ensure_bob ();
  lan_window_open_conversation (get_window (), BOB_KEY);
  g_ptr_array_add (files, file_record (0, name, size, FALSE));
  message = lan_message_new (LAN_DIRECTION_OUT, BOB_KEY, "", g_get_real_time (), next_packet_no++);
  lan_message_set_state (message, LAN_MESSAGE_DELIVERED);
  lan_message_set_files (message, files);
  lan_conversation_append (bob_conversation (), message, FALSE);
  wait_until (card_is_mapped, message, "the offer's card to be shown");
  return message;
}

static LanFileTransfer *
transfer_for (LanMessage *offer,
              guint       file_id,
              const char *name,
              guint64     size)
{
  return lan_file_transfer_new (LAN_TRANSFER_FETCH, BOB_KEY, lan_message_get_packet_no (offer),
                                file_id, name, FALSE, size, NULL);
}

static char *
download_folder (void)
{
  return g_build_filename (data_home, "Downloads", NULL);
}

/* ---- cases -------------------------------------------------------------- */

static void
test_offer_card (void)
{
  LanMessage *offer = offer_from_bob ("The photos from Friday, and the notes",
                                      "beach.png", (guint64) 2400000,
                                      "notes.txt", (guint64) 2048,
                                      "trip/", (guint64) 0,
                                      NULL);
  GtkWidget *card = find_card (offer);
  LanOfferFileRow *row = find_file_row (offer, 1);
  /* As GLib writes sizes (a no-break space before the unit). */
  g_autofree char *big = g_format_size (2400000);
  g_autofree char *small = g_format_size (2048);

  /* Each file with its size, and the words that came with them. */
  g_assert_nonnull (find_widget (card, is_label_with_text, "beach.png"));
  g_assert_nonnull (find_widget (card, is_label_with_text, big));
  g_assert_nonnull (find_widget (card, is_label_with_text, small));
  g_assert_nonnull (find_widget (card, is_label_with_text, "Folder"));
  g_assert_nonnull (find_widget (lan_window_get_message_list_view (get_window ()), is_label_with_text,
                                 "The photos from Friday, and the notes"));

  g_assert_nonnull (shown_button (GTK_WIDGET (row), "_Save"));
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "Save As…"));
  g_assert_nonnull (shown_button (card, "Save _All"));
  g_assert_nonnull (shown_button (card, "_Decline"));
  g_assert_null (shown_button (card, "_Open"));

  wait_frames (GTK_WIDGET (get_window ()));
  save_screenshot (GTK_WIDGET (get_window ()), "offer-card.png");
}

/* Ours: whether bob took it, and Withdraw while he has not. */
static void
test_outgoing_offer (void)
{
  LanMessage *offer = offer_to_bob ("minutes.odt", 30000);
  GtkWidget *card = find_card (offer);
  g_autofree char *waiting = g_strdup_printf ("Waiting for %s to save it", BOB_NICKNAME);
  g_autofree char *fetched = g_strdup_printf ("Fetched by %s", BOB_NICKNAME);
  g_autofree char *declined = g_strdup_printf ("Declined by %s", BOB_NICKNAME);

  /* The nickname as it is: "<b>" is text here, not markup. */
  g_assert_cmpstr (lan_offer_card_get_status_text (LAN_OFFER_CARD (card)), ==, waiting);
  g_assert_nonnull (shown_button (card, "_Withdraw"));
  g_assert_null (shown_button (card, "_Save"));
  g_assert_null (shown_button (card, "_Decline"));

  lan_message_set_offer_state (offer, LAN_OFFER_DONE);
  wait_frames (GTK_WIDGET (get_window ()));
  g_assert_cmpstr (lan_offer_card_get_status_text (LAN_OFFER_CARD (card)), ==, fetched);
  g_assert_null (shown_button (card, "_Withdraw"));

  lan_message_set_offer_state (offer, LAN_OFFER_DECLINED);
  g_assert_cmpstr (lan_offer_card_get_status_text (LAN_OFFER_CARD (card)), ==, declined);
  lan_message_set_offer_state (offer, LAN_OFFER_EXPIRED);
  g_assert_cmpstr (lan_offer_card_get_status_text (LAN_OFFER_CARD (card)), ==, "Expired: no longer offered");
}

static gboolean
offer_in_state (gpointer data)
{
  return lan_message_get_offer_state (data) != LAN_OFFER_OPEN;
}

static void
test_decline (void)
{
  LanMessage *offer = offer_from_bob ("", "setup.exe", (guint64) 1048576, NULL);
  GtkWidget *card = find_card (offer);
  GtkWidget *decline = shown_button (card, "_Decline");
  LanMessageRow *message_row = LAN_MESSAGE_ROW (gtk_widget_get_ancestor (card, LAN_TYPE_MESSAGE_ROW));

  g_assert_nonnull (message_row);
  /* No words came with it: no empty bubble above the card. */
  g_assert_null (find_widget (GTK_WIDGET (message_row), is_label_with_text, ""));
  /* One file: Save All would say nothing more than Save. */
  g_assert_null (shown_button (card, "Save _All"));

  g_signal_emit_by_name (decline, "clicked");
  wait_until (offer_in_state, offer, "the offer to be closed");
  g_assert_cmpint (lan_message_get_offer_state (offer), ==, LAN_OFFER_DECLINED);
  wait_frames (GTK_WIDGET (get_window ()));
  g_assert_cmpstr (lan_offer_card_get_status_text (LAN_OFFER_CARD (card)), ==, "Declined");
  g_assert_null (shown_button (card, "_Decline"));
  g_assert_null (shown_button (card, "_Save"));
}

static void
test_transfer_progress (void)
{
  LanMessage *offer = offer_from_bob ("", "video.mp4", (guint64) 50000000, NULL);
  LanOfferFileRow *row = find_file_row (offer, 0);
  g_autoptr(LanFileTransfer) transfer = transfer_for (offer, 0, "video.mp4", 50000000);
  gint64 start = g_get_monotonic_time ();
  g_autofree char *twelve = g_format_size (12000000);
  g_autofree char *fifty = g_format_size (50000000);
  g_autofree char *done_text = g_strdup_printf ("%s of %s", twelve, fifty);
  GtkWidget *progress;

  lan_offer_file_row_set_transfer (row, transfer);
  lan_file_transfer_set_state (transfer, LAN_TRANSFER_RUNNING, NULL);
  /* 4 MB a second for three seconds. */
  for (int i = 1; i <= 12; i++)
    lan_file_transfer_add_done (transfer, 1000000, start + i * G_USEC_PER_SEC / 4);
  lan_file_transfer_flush (transfer);
  wait_frames (GTK_WIDGET (get_window ()));

  progress = find_widget (GTK_WIDGET (row), is_mapped_progress_bar, NULL);
  g_assert_nonnull (progress);
  g_assert_cmpfloat_with_epsilon (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (progress)), 0.24, 0.001);
  g_assert_nonnull (find_widget (GTK_WIDGET (row), is_mapped_label_containing, done_text));
  g_assert_nonnull (find_widget (GTK_WIDGET (row), is_mapped_label_containing, "/s"));
  g_assert_nonnull (find_widget (GTK_WIDGET (row), is_mapped_label_containing, "left"));
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "_Cancel"));
  g_assert_null (shown_button (GTK_WIDGET (row), "_Save"));
  g_assert_null (shown_button (find_card (offer), "_Decline"));

  save_screenshot (GTK_WIDGET (get_window ()), "transfer-progress.png");

  /* Failed: why, in words, and Retry; no progress any more. */
  lan_file_transfer_set_state (transfer, LAN_TRANSFER_FAILED, "The sender stopped answering");
  wait_frames (GTK_WIDGET (get_window ()));
  g_assert_null (find_widget (GTK_WIDGET (row), is_mapped_progress_bar, NULL));
  g_assert_nonnull (find_widget (GTK_WIDGET (row), is_label_with_text, "Failed: The sender stopped answering"));
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "_Retry"));
  g_assert_null (shown_button (GTK_WIDGET (row), "_Cancel"));
}

/* A picture of our own making, as if it had come in. */
static GFile *
write_picture (const char *name)
{
  const int width = 320, height = 200;
  g_autofree guchar *pixels = g_malloc ((gsize) width * height * 4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *folder = download_folder ();
  g_autofree char *path = g_build_filename (folder, name, NULL);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + ((gsize) y * width + x) * 4;

        /* A sky over a sea over sand. */
        p[0] = y < 90 ? 120 + x / 8 : y < 150 ? 20 : 230;
        p[1] = y < 90 ? 180 : y < 150 ? 110 + y / 4 : 200;
        p[2] = y < 90 ? 250 : y < 150 ? 200 : 150;
        p[3] = 255;
      }
  bytes = g_bytes_new_take (g_steal_pointer (&pixels), (gsize) width * height * 4);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, (gsize) width * 4);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return g_file_new_for_path (path);
}

static gboolean
row_has_thumbnail (gpointer row)
{
  return lan_offer_file_row_has_thumbnail (row);
}

static void
test_received_picture (void)
{
  LanMessage *offer = offer_from_bob ("Look at this", "sunset.png", (guint64) 4096, NULL);
  LanOfferFileRow *row = find_file_row (offer, 0);
  g_autoptr(LanFileTransfer) transfer = transfer_for (offer, 0, "sunset.png", 4096);
  g_autoptr(GFile) file = write_picture ("sunset.png");
  g_autofree char *size = g_format_size (4096);
  g_autofree char *saved = g_strdup_printf ("Saved, %s", size);

  lan_offer_file_row_set_transfer (row, transfer);
  lan_file_transfer_set_state (transfer, LAN_TRANSFER_RUNNING, NULL);
  lan_file_transfer_add_done (transfer, 4096, g_get_monotonic_time ());
  lan_file_transfer_set_file (transfer, file);
  lan_file_transfer_set_state (transfer, LAN_TRANSFER_DONE, NULL);
  lan_message_set_offer_state (offer, LAN_OFFER_DONE);

  wait_until (row_has_thumbnail, row, "the picture's thumbnail");
  wait_frames (GTK_WIDGET (get_window ()));
  g_assert_nonnull (find_widget (GTK_WIDGET (row), is_mapped_picture, NULL));
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "_Open"));
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "Show in Folder"));
  g_assert_null (shown_button (GTK_WIDGET (row), "_Save"));
  g_assert_nonnull (find_widget (GTK_WIDGET (row), is_label_with_text, saved));

  save_screenshot (GTK_WIDGET (get_window ()), "received-picture.png");
}

static gboolean
row_transfer_ended (gpointer row)
{
  LanFileTransfer *transfer = lan_offer_file_row_get_transfer (row);

  return transfer != NULL && lan_file_transfer_is_finished (transfer);
}

/* Bob never offered this: the fetch is refused or finds nobody, and the
 * row says so in words, with Retry. */
static void
test_save_fails_in_words (void)
{
  LanMessage *offer = offer_from_bob ("", "data.bin", (guint64) 1000, NULL);
  LanOfferFileRow *row = find_file_row (offer, 0);
  GtkWidget *save = shown_button (GTK_WIDGET (row), "_Save");

  g_assert_nonnull (save);
  g_signal_emit_by_name (save, "clicked");
  g_assert_nonnull (lan_offer_file_row_get_transfer (row));
  wait_until (row_transfer_ended, row, "the fetch to end");
  wait_frames (GTK_WIDGET (get_window ()));
  g_assert_cmpint (lan_file_transfer_get_state (lan_offer_file_row_get_transfer (row)), ==, LAN_TRANSFER_FAILED);
  g_assert_nonnull (find_widget (GTK_WIDGET (row), is_mapped_label_containing, "Failed: "));
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "_Retry"));
  g_assert_null (shown_button (GTK_WIDGET (row), "_Open"));
}

static gboolean
is_remove_button (GtkWidget *widget,
                  gpointer   data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_str_has_prefix (gtk_widget_get_tooltip_text (widget) ? gtk_widget_get_tooltip_text (widget) : "",
                           "Remove ");
}

static void
test_attach_chips (void)
{
  LanWindow *window = get_window ();
  GtkTextView *composer = lan_window_get_composer (window);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (composer));
  g_autoptr(GFile) report = NULL;
  g_autoptr(GdkTexture) picture = NULL;
  g_autofree char *folder = download_folder ();
  g_autofree char *path = g_build_filename (folder, "report.pdf", NULL);
  g_autofree char *pasted_dir = g_build_filename (cache_home, "lanchat", "pasted", NULL);
  g_autoptr(GError) error = NULL;
  GdkFileList *list;
  GtkWidget *remove;
  GtkWidget *send;

  ensure_bob ();
  lan_window_open_conversation (window, BOB_KEY);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "%PDF-1.4\n", -1, &error));
  g_assert_no_error (error);
  report = g_file_new_for_path (path);

  /* Files copied in a file manager, pasted. */
  list = gdk_file_list_new_from_array (&report, 1);
  gdk_clipboard_set (clipboard, GDK_TYPE_FILE_LIST, list);
  g_boxed_free (GDK_TYPE_FILE_LIST, list);
  g_signal_emit_by_name (composer, "paste-clipboard");
  wait_until (chips_are, GUINT_TO_POINTER (1), "a chip for the pasted file");
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "report.pdf"));
  /* Nothing written, and still something to send. */
  send = find_widget (GTK_WIDGET (window), is_button_for_action, (gpointer) "win.send");
  g_assert_nonnull (send);
  g_assert_true (gtk_widget_get_sensitive (send));

  /* A screenshot pasted: saved as a PNG in the cache, and attached. */
  {
    g_autoptr(GFile) png = write_picture ("for-the-clipboard.png");

    picture = gdk_texture_new_from_file (png, &error);
    g_assert_no_error (error);
  }
  gdk_clipboard_set_texture (clipboard, picture);
  g_signal_emit_by_name (composer, "paste-clipboard");
  wait_until (chips_are, GUINT_TO_POINTER (2), "a chip for the pasted picture");
  g_assert_true (g_file_test (pasted_dir, G_FILE_TEST_IS_DIR));
  wait_frames (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "attachments.png");

  /* Taken away again. */
  remove = shown_button (GTK_WIDGET (window), "Remove report.pdf");
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  wait_until (chips_are, GUINT_TO_POINTER (1), "one chip left");
  g_assert_null (find_widget (GTK_WIDGET (window), is_label_with_text, "report.pdf"));

  /* Everyone gets no files: said so, and Send waits for a person. */
  lan_window_open_conversation (window, "");
  wait_frames (GTK_WIDGET (window));
  g_assert_nonnull (lan_window_get_composer_error (window));
  g_assert_nonnull (strstr (lan_window_get_composer_error (window), "one person at a time"));
  g_assert_false (gtk_widget_get_sensitive (send));
  lan_window_open_conversation (window, BOB_KEY);
  wait_frames (GTK_WIDGET (window));
  g_assert_null (lan_window_get_composer_error (window));
  g_assert_true (gtk_widget_get_sensitive (send));

  /* The picture's chip too: nothing left for the next case. */
  remove = find_widget (GTK_WIDGET (window), is_remove_button, NULL);
  g_assert_nonnull (remove);
  g_signal_emit_by_name (remove, "clicked");
  wait_until (chips_are, GUINT_TO_POINTER (0), "no chip left");
}

static gboolean
bob_conversation_has_offer (gpointer data)
{
  LanMessage *message = last_message (bob_conversation ());

  return message != NULL && lan_message_get_direction (message) == LAN_DIRECTION_IN &&
         lan_message_get_files (message) != NULL && g_strcmp0 (lan_message_get_text (message), data) == 0;
}

static gboolean
card_says (gpointer data)
{
  LanMessage *offer = last_message (bob_conversation ());
  GtkWidget *card = offer != NULL ? find_card (offer) : NULL;

  return card != NULL && g_strcmp0 (lan_offer_card_get_status_text (LAN_OFFER_CARD (card)), data) == 0;
}

/* Pasted, sent, fetched by bob over TCP: the card says who took it. */
static void
test_send_attached_file (void)
{
  LanWindow *window = get_window ();
  GtkTextView *composer = lan_window_get_composer (window);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (composer));
  g_autofree char *folder = download_folder ();
  g_autofree char *path = g_build_filename (folder, "agenda.txt", NULL);
  g_autofree char *bob_folder = g_build_filename (data_home, "bob-downloads", NULL);
  g_autofree char *fetched = g_strdup_printf ("Fetched by %s", BOB_NICKNAME);
  g_autofree char *waiting = g_strdup_printf ("Waiting for %s to save it", BOB_NICKNAME);
  g_autofree char *contents = NULL;
  g_autoptr(GFile) agenda = NULL;
  g_autoptr(GFile) into = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanFileTransfer) transfer = NULL;
  LanMessage *offer;
  LanMessage *received;
  GdkFileList *list;

  ensure_bob ();
  lan_window_open_conversation (window, BOB_KEY);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (bob_folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "1. Files\n2. Lunch\n", -1, &error));
  g_assert_no_error (error);
  agenda = g_file_new_for_path (path);
  g_assert_cmpuint (count_chips (), ==, 0);

  list = gdk_file_list_new_from_array (&agenda, 1);
  gdk_clipboard_set (clipboard, GDK_TYPE_FILE_LIST, list);
  g_boxed_free (GDK_TYPE_FILE_LIST, list);
  g_signal_emit_by_name (composer, "paste-clipboard");
  wait_until (chips_are, GUINT_TO_POINTER (1), "a chip for the agenda");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (composer), "The agenda", -1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);

  /* Sent: the chips and the text are gone, the offer is in the conversation. */
  g_assert_cmpuint (count_chips (), ==, 0);
  offer = last_message (bob_conversation ());
  g_assert_cmpint (lan_message_get_direction (offer), ==, LAN_DIRECTION_OUT);
  g_assert_nonnull (lan_message_get_files (offer));
  g_assert_cmpuint (lan_message_get_files (offer)->len, ==, 1);
  wait_until (card_is_mapped, offer, "the card of our offer");
  wait_until (card_says, waiting, "the card to wait for bob");

  wait_until (bob_has_offer, (gpointer) "The agenda", "bob to receive the offer");
  received = last_message (lan_messenger_get_conversation (bob, APP_KEY));
  into = g_file_new_for_path (bob_folder);
  transfer = lan_messenger_fetch_file (bob, received,
                                       ((LanIpmsgFile *) g_ptr_array_index (lan_message_get_files (received), 0))->file_id,
                                       into, NULL, &error);
  g_assert_no_error (error);
  wait_until (transfer_ended, transfer, "bob's fetch to end");
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  g_assert_true (g_file_load_contents (lan_file_transfer_get_file (transfer), NULL, &contents, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "1. Files\n2. Lunch\n");
  wait_until (card_says, fetched, "the card to say bob fetched it");
}

/* Bob offers a picture; Save fetches it over TCP into the download folder,
 * then Open and a thumbnail. */
static void
test_save_from_bob (void)
{
  g_autofree char *bob_folder = g_build_filename (data_home, "bob-outbox", NULL);
  g_autofree char *name = NULL;
  g_autoptr(GFile) picture = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) sent = NULL;
  LanMessage *offer;
  LanOfferFileRow *row;
  LanFileTransfer *transfer;
  GtkWidget *save;

  ensure_bob ();
  lan_window_open_conversation (get_window (), BOB_KEY);
  picture = write_picture ("harbour.png");
  g_assert_cmpint (g_mkdir_with_parents (bob_folder, 0700), ==, 0);
  source = g_file_new_build_filename (bob_folder, "harbour.png", NULL);
  g_assert_true (g_file_copy (picture, source, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  /* Not where it will be saved: the app must fetch its own copy. */
  g_assert_true (g_file_delete (picture, NULL, &error));
  g_assert_no_error (error);

  sent = lan_messenger_send_files (bob, lan_peer_list_lookup (lan_messenger_get_peers (bob), APP_KEY),
                                   "From the boat", &source, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sent);
  wait_until (bob_conversation_has_offer, (gpointer) "From the boat", "the app to receive bob's offer");
  offer = last_message (bob_conversation ());
  wait_until (card_is_mapped, offer, "the card of bob's offer");
  row = find_file_row (offer, ((LanIpmsgFile *) g_ptr_array_index (lan_message_get_files (offer), 0))->file_id);
  g_assert_nonnull (row);
  save = shown_button (GTK_WIDGET (row), "_Save");
  g_assert_nonnull (save);
  g_signal_emit_by_name (save, "clicked");
  transfer = lan_offer_file_row_get_transfer (row);
  g_assert_nonnull (transfer);
  wait_until (transfer_ended, transfer, "the fetch to end");
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  name = g_file_get_basename (lan_file_transfer_get_file (transfer));
  g_assert_cmpstr (name, ==, "harbour.png");
  wait_until (row_has_thumbnail, row, "the thumbnail of the saved picture");
  wait_frames (GTK_WIDGET (get_window ()));
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "_Open"));
  g_assert_nonnull (shown_button (GTK_WIDGET (row), "Show in Folder"));
}

/* The words the card, its rows and the notifications share. */
static void
test_format (void)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_file_free);
  g_autoptr(GPtrArray) folder = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_file_free);
  g_autoptr(GPtrArray) many = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_file_free);
  g_autoptr(LanFileTransfer) dir = lan_file_transfer_new (LAN_TRANSFER_FETCH, BOB_KEY, 1, 0, "trip", TRUE, 0, NULL);
  g_autoptr(LanFileTransfer) cancelled = lan_file_transfer_new (LAN_TRANSFER_FETCH, BOB_KEY, 1, 1, "a", FALSE, 10, NULL);
  g_autofree char *size = g_format_size (2048);
  g_autofree char *total = g_format_size (4 * 2048);
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  g_autofree char *shown = NULL;

  /* A control character in a name from the network is shown, not obeyed. */
  g_ptr_array_add (one, file_record (0, "re\x1bport.txt", 2048, FALSE));
  shown = lan_offer_format_summary (one);
  expected = g_strdup_printf ("re\u241bport.txt (%s)", size);
  g_assert_cmpstr (shown, ==, expected);
  g_clear_pointer (&shown, g_free);
  g_clear_pointer (&expected, g_free);

  g_ptr_array_add (folder, file_record (0, "trip", 0, TRUE));
  shown = lan_offer_format_summary (folder);
  g_assert_cmpstr (shown, ==, "trip (folder)");
  g_clear_pointer (&shown, g_free);

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *name = g_strdup_printf ("f%u.txt", i);

      g_ptr_array_add (many, file_record (i, name, 2048, FALSE));
    }
  shown = lan_offer_format_summary (many);
  expected = g_strdup_printf ("4 files, %s: f0.txt, f1.txt, f2.txt, …", total);
  g_assert_cmpstr (shown, ==, expected);
  g_clear_pointer (&shown, g_free);
  g_clear_pointer (&expected, g_free);

  g_assert_null (lan_offer_format_time_left (-1));
  text = lan_offer_format_time_left (1);
  g_assert_cmpstr (text, ==, "1 second left");
  g_clear_pointer (&text, g_free);
  text = lan_offer_format_time_left (150);
  g_assert_cmpstr (text, ==, "3 minutes left");
  g_clear_pointer (&text, g_free);
  text = lan_offer_format_time_left (2 * 3600 + 5 * 60);
  g_assert_cmpstr (text, ==, "2 h 05 min left");
  g_clear_pointer (&text, g_free);

  g_assert_true (lan_offer_name_is_image ("Sunset.JPEG"));
  g_assert_true (lan_offer_name_is_image ("a.webp"));
  g_assert_false (lan_offer_name_is_image (".png"));
  g_assert_false (lan_offer_name_is_image ("png"));
  g_assert_false (lan_offer_name_is_image ("notes.png.txt"));

  /* A folder has no size to go by: bytes and files so far. */
  lan_file_transfer_set_state (dir, LAN_TRANSFER_RUNNING, NULL);
  lan_file_transfer_add_done (dir, 2048, g_get_monotonic_time ());
  lan_file_transfer_add_file_done (dir);
  lan_file_transfer_flush (dir);
  text = lan_offer_format_transfer (dir);
  expected = g_strdup_printf ("%s, 1 file", size);
  g_assert_true (g_str_has_prefix (text, expected));
  g_clear_pointer (&text, g_free);

  lan_file_transfer_set_state (cancelled, LAN_TRANSFER_CANCELLED, "The sender cancelled\nit");
  text = lan_offer_format_transfer (cancelled);
  g_assert_cmpstr (text, ==, "Cancelled: The sender cancelled it");
}

/* A picture pasted two days ago, before the app starts. Returns: (transfer full) */
static char *
make_old_pasted_picture (void)
{
  g_autofree char *folder = g_build_filename (cache_home, "lanchat", "pasted", NULL);
  char *path = g_build_filename (folder, "Pasted picture 2026-01-01 10-00-00.png", NULL);
  g_autofree char *recent_picture = g_build_filename (folder, "Pasted picture recent.png", NULL);
  struct utimbuf times = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "not really a PNG", -1, NULL));
  times.actime = times.modtime = time (NULL) - 2 * 24 * 3600;
  g_assert_cmpint (g_utime (path, &times), ==, 0);
  /* And one of an hour ago, still offered perhaps. */
  g_assert_true (g_file_set_contents (recent_picture, "not a PNG either", -1, NULL));
  times.actime = times.modtime = time (NULL) - 3600;
  g_assert_cmpint (g_utime (recent_picture, &times), ==, 0);
  return path;
}

static gboolean
file_is_gone (gpointer path)
{
  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Offers last a day at most: pictures pasted before then are removed. */
static void
test_old_pasted_pictures_removed (void)
{
  g_autofree char *folder = g_path_get_dirname (old_picture);
  g_autofree char *recent_picture = g_build_filename (folder, "Pasted picture recent.png", NULL);

  wait_until (file_is_gone, old_picture, "the old pasted picture to be removed");
  g_assert_true (g_file_test (recent_picture, G_FILE_TEST_IS_REGULAR));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  cache_home = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : g_get_tmp_dir (),
                                 "xdg-cache-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (cache_home));
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);

  old_picture = make_old_pasted_picture ();
  window_files_attach_set_up ();
  window_fixture_set_up (&argc, &argv);
  {
    g_autofree char *folder = download_folder ();

    g_settings_set_string (lan_application_get_settings (app), "download-folder", folder);
  }

  g_test_add_func ("/window-files/format", test_format);
  g_test_add_func ("/window-files/offer-card", test_offer_card);
  g_test_add_func ("/window-files/decline", test_decline);
  g_test_add_func ("/window-files/outgoing-offer", test_outgoing_offer);
  g_test_add_func ("/window-files/transfer-progress", test_transfer_progress);
  g_test_add_func ("/window-files/received-picture", test_received_picture);
  g_test_add_func ("/window-files/save-fails-in-words", test_save_fails_in_words);
  g_test_add_func ("/window-files/attach-chips", test_attach_chips);
  g_test_add_func ("/window-files/old-pasted-pictures-removed", test_old_pasted_pictures_removed);
  g_test_add_func ("/window-files/send-attached-file", test_send_attached_file);
  g_test_add_func ("/window-files/save-from-bob", test_save_from_bob);
  window_files_attach_add_cases ();

  result = window_fixture_run ();
  window_files_attach_tear_down ();
  g_assert_true (lan_test_remove_tree (cache_home, &error));
  g_assert_no_error (error);
  g_free (cache_home);
  g_free (old_picture);
  return result;
}

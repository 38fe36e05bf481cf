/* test-window-log-files.c — the packet log's file choosers, driven as a
 * person would: Export with the Format chosen, the folder they open in,
 * and Record to File with its recording button and Stop.
 *
 * A program of its own because it shows GTK's file chooser dialog (there
 * is no portal on the test bus), which leaks in GTK 4.8 and
 * libcloudproviders what LeakSanitizer is told about in
 * lsan-file-chooser.supp; the other programs keep the strict list. It
 * runs with an empty home of its own, so the chooser has no big folder to
 * load and nothing is written to the real one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-log-files"

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "lan-log-pane.h"
#include "lan-packet-recorder.h"
#include "lan-test-tmpdir.h"
#include "lan-window.h"

#include "ui-test-support.h"
#include "ui-window-fixture.h"

static gboolean
file_chooser_gone (gpointer pane)
{
  return lan_log_pane_get_file_chooser (pane) == NULL;
}

static gboolean
path_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static gboolean is_label_starting_with (GtkWidget *widget,
                                        gpointer   data);

static gboolean
window_shows_label_starting_with (gpointer prefix)
{
  return find_widget (GTK_WIDGET (get_window ()), is_label_starting_with, prefix) != NULL;
}

static gboolean
is_dropdown_showing_none (GtkWidget *widget,
                          gpointer   data)
{
  GObject *item;

  if (!GTK_IS_DROP_DOWN (widget) || !gtk_widget_get_visible (widget))
    return FALSE;
  item = gtk_drop_down_get_selected_item (GTK_DROP_DOWN (widget));
  return GTK_IS_STRING_OBJECT (item) &&
         g_strcmp0 (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), "(None)") == 0;
}

typedef struct {
  GtkFileChooser *chooser;
  char           *expected;
} FolderWait;

static gboolean
chooser_in_folder (gpointer data)
{
  FolderWait *wait = data;
  g_autoptr(GFile) folder = gtk_file_chooser_get_current_folder (wait->chooser);
  g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

  return g_strcmp0 (path, wait->expected) == 0;
}

/* GTK's chooser checks the folder asynchronously before it is current. */
static void
assert_same_folder (GtkFileChooser *chooser,
                    GFile          *expected)
{
  g_autofree char *expected_path = g_file_get_path (expected);
  FolderWait wait = { chooser, expected_path };
  g_autofree char *what = g_strdup_printf ("the chooser to open in %s", expected_path);

  wait_until (chooser_in_folder, &wait, what);
}

/* The format drop-down: the chooser's filters, one per format. */
static void
choose_filter (GtkFileChooser *chooser,
               const char     *name)
{
  g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (chooser);

  for (guint i = 0; i < g_list_model_get_n_items (filters); i++)
    {
      g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

      if (g_strcmp0 (gtk_file_filter_get_name (filter), name) == 0)
        {
          gtk_file_chooser_set_filter (chooser, filter);
          return;
        }
    }
  g_error ("no filter named %s", name);
}

/* The dialog: opens in Documents or home (not the working directory), then
 * in the last folder used; the Format chosen wins over the default name's
 * extension; no drop-down stands at "(None)". */
static void
test_log_export_dialog (void)
{
  LanLogPane *pane;
  GtkFileChooserNative *chooser;
  GtkWindow *dialog;
  g_autoptr(LanTestTmpdir) directory = lan_test_tmpdir_new ("lanchat-export-dialog");
  g_autoptr(GFile) folder = g_file_new_for_path (lan_test_tmpdir_get_path (directory));
  g_autoptr(GFile) first_folder = NULL;
  g_autofree char *jsonl = lan_test_tmpdir_file (directory, "lanchat-packets.jsonl");
  g_autofree char *pcapng = lan_test_tmpdir_file (directory, "lanchat-packets.pcapng");
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *contents = NULL;
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  ensure_bob ();
  exchange_a_message ();
  pane = show_log ();

  gtk_widget_activate_action (GTK_WIDGET (pane), "log.export-all", NULL);
  chooser = lan_log_pane_get_file_chooser (pane);
  g_assert_nonnull (chooser);
  first_folder = documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR)
                 ? g_file_new_for_path (documents) : g_file_new_for_path (g_get_home_dir ());
  assert_same_folder (GTK_FILE_CHOOSER (chooser), first_folder);
  if (g_strcmp0 (cwd, g_get_home_dir ()) != 0 && g_strcmp0 (cwd, documents) != 0)
    {
      g_autoptr(GFile) folder_now = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path_now = g_file_get_path (folder_now);

      g_assert_cmpstr (path_now, !=, cwd);
    }
  {
    g_autofree char *name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));

    g_assert_cmpstr (name, ==, "lanchat-packets.pcapng");
  }

  /* Without a portal the native chooser is GTK's own dialog. */
  dialog = find_toplevel_of_type (GTK_TYPE_FILE_CHOOSER_DIALOG);
  if (dialog != NULL)
    {
      wait_frames (GTK_WIDGET (dialog));
      save_screenshot (GTK_WIDGET (dialog), "log-export-dialog.png");
      g_assert_null (find_widget (GTK_WIDGET (dialog), is_dropdown_showing_none, NULL));
    }

  /* JSON Lines chosen, the default name kept: JSON Lines, named so. */
  choose_filter (GTK_FILE_CHOOSER (chooser), "JSON Lines");
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
  assert_same_folder (GTK_FILE_CHOOSER (chooser), folder);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "lanchat-packets.pcapng");
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
  g_assert_null (lan_log_pane_get_file_chooser (pane));
  /* The toast says the export is done (the file is there from the start). */
  wait_until (window_shows_label_starting_with, (gpointer) "Exported ", "the export's toast");
  g_assert_true (path_exists (jsonl));
  g_assert_false (g_file_test (pcapng, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_get_contents (jsonl, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "{\"no\":"));
  g_assert_cmpuint (count_lines (jsonl), >, 0);

  /* Next time: the folder last used. */
  gtk_widget_activate_action (GTK_WIDGET (pane), "log.export-shown", NULL);
  chooser = lan_log_pane_get_file_chooser (pane);
  g_assert_nonnull (chooser);
  assert_same_folder (GTK_FILE_CHOOSER (chooser), folder);
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_CANCEL);
  wait_until (file_chooser_gone, pane, "the dialog to go");
}

static gboolean
recorder_has (gpointer data)
{
  LanPacketRecorder *recorder = lan_log_pane_get_recorder (lan_window_get_log_pane (get_window ()));

  return recorder != NULL && lan_packet_recorder_get_count (recorder) >= GPOINTER_TO_UINT (data);
}

static gboolean
recording_done (gpointer pane)
{
  return lan_log_pane_get_recorder (pane) == NULL;
}

static gboolean
is_label_starting_with (GtkWidget *widget,
                        gpointer   data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), data);
}

/* Record to File: the dialog's default name, a visible recording state
 * with its count, Stop, and a pcapng file with what came meanwhile. */
static void
test_log_record (void)
{
  LanLogPane *pane;
  GtkFileChooserNative *chooser;
  GtkWidget *window;
  GtkWidget *label;
  LanPacketRecorder *recorder;
  g_autoptr(LanTestTmpdir) directory = lan_test_tmpdir_new ("lanchat-record");
  g_autoptr(GFile) folder = g_file_new_for_path (lan_test_tmpdir_get_path (directory));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  gsize length = 0;
  guint64 count;

  ensure_bob ();
  pane = show_log ();
  window = GTK_WIDGET (get_window ());
  g_assert_null (lan_log_pane_get_recorder (pane));
  g_assert_null (find_widget (window, is_label_starting_with, (gpointer) "Recording"));

  gtk_widget_activate_action (GTK_WIDGET (pane), "log.record", NULL);
  chooser = lan_log_pane_get_file_chooser (pane);
  g_assert_nonnull (chooser);
  name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
  g_assert_true (g_str_has_prefix (name, "lanchat-capture-"));
  g_assert_true (g_str_has_suffix (name, ".pcapng"));
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL));
  assert_same_folder (GTK_FILE_CHOOSER (chooser), folder);
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);

  recorder = lan_log_pane_get_recorder (pane);
  g_assert_nonnull (recorder);
  g_assert_true (lan_packet_recorder_get_recording (recorder));
  g_assert_cmpint (lan_packet_recorder_get_format (recorder), ==, LAN_PACKET_EXPORT_PCAPNG);
  file = g_object_ref (lan_packet_recorder_get_file (recorder));
  path = g_file_get_path (file);
  g_assert_true (g_str_has_prefix (path, lan_test_tmpdir_get_path (directory)));
  /* One recording at a time: Record to File opens nothing meanwhile. */
  gtk_widget_activate_action (GTK_WIDGET (pane), "log.record", NULL);
  g_assert_null (lan_log_pane_get_file_chooser (pane));

  exchange_a_message ();
  wait_until (recorder_has, GUINT_TO_POINTER (2), "two packets recorded");
  wait_frames (window);
  label = find_widget (window, is_label_starting_with, (gpointer) "Recording · ");
  g_assert_nonnull (label);
  save_screenshot (window, "log-recording.png");

  gtk_widget_activate_action (GTK_WIDGET (pane), "log.record-stop", NULL);
  count = lan_packet_recorder_get_count (recorder);
  wait_until (recording_done, pane, "the recording to stop");
  wait_frames (window);
  g_assert_null (find_widget (window, is_label_starting_with, (gpointer) "Recording"));

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  /* A pcapng section header, then as many packet blocks as counted. */
  g_assert_cmpuint (length, >, 28);
  g_assert_cmpmem (contents, 4, "\x0a\x0d\x0d\x0a", 4);
  {
    guint packets = 0;

    for (gsize offset = 0; offset + 8 <= length;)
      {
        guint32 type, total;

        memcpy (&type, contents + offset, 4);
        memcpy (&total, contents + offset + 4, 4);
        type = GUINT32_FROM_LE (type);
        total = GUINT32_FROM_LE (total);
        g_assert_cmpuint (total, >=, 12);
        if (type == 6)
          packets++;
        offset += total;
        g_assert_cmpuint (offset, <=, length);
      }
    g_assert_cmpuint (packets, ==, count);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LanTestTmpdir) home = lan_test_tmpdir_new ("lanchat-home");

  /* Before GLib reads them (g_get_home_dir caches). */
  g_setenv ("HOME", lan_test_tmpdir_get_path (home), TRUE);
  g_setenv ("XDG_CONFIG_HOME", lan_test_tmpdir_get_path (home), TRUE);
  window_fixture_set_up (&argc, &argv);

  g_test_add_func ("/ui/log/export-dialog", test_log_export_dialog);
  g_test_add_func ("/ui/log/record", test_log_record);

  return window_fixture_run ();
}

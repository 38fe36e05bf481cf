/* test-window-log.c — the packet log, driven against a second engine.
 *
 * The log pane: showing, pausing and clearing it; its filter; the
 * inspector and its links; export; the counters.
 *
 * One of the test-window-*.c programs, each with an app, data folder and
 * bob of its own (ui-window-fixture.c); each case brings the state it
 * needs, so it also runs alone with -p.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-log"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include <adwaita.h>

#include "lan-application.h"
#include "lan-ipmsg.h"
#include "lan-log-cell.h"
#include "lan-log-format.h"
#include "lan-log-pane.h"
#include "lan-message-row.h"
#include "lan-ipmsg-dissect.h"
#include "lan-packet-filter.h"
#include "lan-packet-inspector.h"
#include "lan-peer-row.h"
#include "lan-preferences-window.h"
#include "lan-window.h"

#include "lan-test-await.h"
#include "ui-test-support.h"
#include "ui-window-fixture.h"

/* The confirmation Clear the Log asks for, answered with @response. */
static void
answer_clear (const char *response)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));

  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, response);
}

static gboolean
log_has_more_than (gpointer data)
{
  LanPacketLog *log = lan_messenger_get_packet_log (app_messenger ());

  return g_list_model_get_n_items (G_LIST_MODEL (log)) > GPOINTER_TO_UINT (data);
}

static void
test_log_pane (void)
{
  LanWindow *window;
  LanLogPane *pane;
  GListModel *model;
  LanPacketLog *log;
  LanPeer *app_as_seen_by_bob;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) sent = NULL;
  g_autofree char *details = NULL;
  guint shown, logged;
  gboolean selected = FALSE;
  LogWait log_wait = { 0 };

  ensure_bob ();
  window = get_window ();
  pane = lan_window_get_log_pane (window);
  log = lan_messenger_get_packet_log (app_messenger ());
  model = lan_log_pane_get_model (pane);

  /* A fresh SENDMSG near the end, to pick. */
  app_as_seen_by_bob = lan_peer_list_lookup (lan_messenger_get_peers (bob), APP_KEY);
  sent = lan_messenger_send (bob, app_as_seen_by_bob, "See you there!", &error);
  g_assert_no_error (error);
  log_wait.pane = pane;
  log_wait.packet_no = lan_message_get_packet_no (sent);
  wait_until (log_shows_sendmsg, &log_wait, "bob's SENDMSG in the log");
  g_clear_object (&sent);

  /* Ctrl+L's action shows it. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-log", NULL);
  wait_until (log_pane_mapped, NULL, "the log pane");
  wait_frames (GTK_WIDGET (window));
  g_assert_true (lan_log_pane_get_following (pane));

  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, g_list_model_get_n_items (G_LIST_MODEL (log)));

  /* Selecting a SENDMSG shows its fields and bytes. */
  for (guint i = g_list_model_get_n_items (model); i > 0 && !selected; i--)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (model, i - 1);

      if (g_strcmp0 (lan_packet_log_entry_get_command_name (entry), "SENDMSG") == 0 &&
          lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN)
        {
          lan_log_pane_select (pane, i - 1);
          selected = TRUE;
        }
    }
  g_assert_true (selected);
  details = lan_log_pane_dup_details (pane);
  g_assert_nonnull (strstr (details, "SENDMSG"));
  g_assert_nonnull (strstr (details, "Packet no."));
  g_assert_nonnull (strstr (details, "\n0000  31 "));

  /* Paused: the log goes on, the view holds still. */
  lan_log_pane_set_paused (pane, TRUE);
  shown = g_list_model_get_n_items (model);
  logged = g_list_model_get_n_items (G_LIST_MODEL (log));

  sent = lan_messenger_send (bob, app_as_seen_by_bob, "While you were paused", &error);
  g_assert_no_error (error);
  wait_until (log_has_more_than, GUINT_TO_POINTER (logged), "more log entries");
  lan_packet_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, shown);

  /* Resumed: everything is there, the new SENDMSG included. */
  lan_log_pane_set_paused (pane, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, g_list_model_get_n_items (G_LIST_MODEL (log)));
  log_wait.pane = pane;
  log_wait.packet_no = lan_message_get_packet_no (sent);
  wait_until (log_shows_sendmsg, &log_wait, "the new SENDMSG after resuming");

  /* Clear, once confirmed, empties the log itself. */
  gtk_widget_activate_action (GTK_WIDGET (pane), "log.clear", NULL);
  answer_clear ("clear");
  lan_packet_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-log", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pane)));
}

static void
type_filter (LanLogPane *pane,
             const char *text)
{
  /* As typed: the search entry applies it after its own short delay. */
  gtk_editable_set_text (GTK_EDITABLE (lan_log_pane_get_search_entry (pane)), text);
}

static void
type_more (LanLogPane *pane,
           const char *text)
{
  GtkEditable *entry = GTK_EDITABLE (lan_log_pane_get_search_entry (pane));
  int position = -1;

  gtk_editable_insert_text (entry, text, -1, &position);
}

static gboolean
filter_error_shown (gpointer data)
{
  return lan_log_pane_get_filter_error (data) != NULL;
}

static gboolean
filter_error_gone (gpointer data)
{
  return lan_log_pane_get_filter_error (data) == NULL;
}

typedef struct {
  LanLogPane *pane;
  const char *text;
} StatusWait;

static gboolean
status_says (gpointer data)
{
  StatusWait *wait = data;

  return strstr (lan_log_pane_get_status (wait->pane), wait->text) != NULL;
}

static void
test_log_filter (void)
{
  LanLogPane *pane;
  LanPeer *app_as_seen_by_bob;
  GListModel *model;
  GtkWidget *entry;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) sent = NULL;
  LogWait log_wait = { 0 };
  CountWait wait = { 0 };
  guint shown;

  ensure_bob ();
  pane = show_log ();
  model = lan_log_pane_get_model (pane);
  entry = lan_log_pane_get_search_entry (pane);
  lan_log_pane_set_filter_text (pane, "");

  send_garbage_from_mallory ();
  app_as_seen_by_bob = lan_peer_list_lookup (lan_messenger_get_peers (bob), APP_KEY);
  sent = lan_messenger_send (bob, app_as_seen_by_bob, "Filter me", &error);
  g_assert_no_error (error);
  log_wait.pane = pane;
  log_wait.packet_no = lan_message_get_packet_no (sent);
  wait_until (log_shows_sendmsg, &log_wait, "bob's SENDMSG in the log");

  /* Typed terms narrow the rows to what the core's matcher says. */
  wait.pane = pane;
  type_filter (pane, "verdict:malformed");
  wait.expected = count_matching ("verdict:malformed");
  g_assert_cmpuint (wait.expected, >=, 1);
  wait_until (filter_done_with, &wait, "the rows to narrow to malformed ones");
  g_assert_cmpuint (g_list_model_get_n_items (model), <,
                    g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_packet_log (app_messenger ()))));
  {
    g_autofree char *of = g_strdup_printf ("%u of ", wait.expected);
    StatusWait status = { pane, of };

    wait_until (status_says, &status, "the status to say how many rows match");
  }

  type_filter (pane, "cmd:SENDMSG dir:in");
  wait.expected = count_matching ("cmd:SENDMSG dir:in");
  g_assert_cmpuint (wait.expected, >=, 1);
  wait_until (filter_done_with, &wait, "the rows to narrow to incoming SENDMSGs");
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LanPacketLogEntry) row = g_list_model_get_item (model, i);

      g_assert_cmpstr (lan_packet_log_entry_get_command_name (row), ==, "SENDMSG");
      g_assert_cmpint (lan_packet_log_entry_get_direction (row), ==, LAN_DIRECTION_IN);
    }
  shown = g_list_model_get_n_items (model);

  /* A query that does not parse: said inline, the rows stay as they were. */
  type_more (pane, " prr:alice");
  wait_until (filter_error_shown, pane, "the filter's error");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_nonnull (strstr (lan_log_pane_get_filter_error (pane), "prr"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (entry));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, shown);
  wait_frames (GTK_WIDGET (get_window ()));
  save_screenshot (GTK_WIDGET (get_window ()), "log-filter-error.png");

  type_filter (pane, "");
  wait_until (filter_error_gone, pane, "the filter's error to go");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  wait.expected = g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_packet_log (app_messenger ())));
  wait_until (filter_done_with, &wait, "every row back");
}

typedef struct {
  guint64 packet_no;
  LanVerdict verdict;
  LanDirection direction;
  const char *command;
} RowWait;

static gboolean
log_has_row (gpointer data)
{
  RowWait *wait = data;
  LanPacketLog *log = lan_messenger_get_packet_log (app_messenger ());

  lan_packet_log_flush (log);
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (log)); i > 0; i--)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i - 1);

      if (lan_packet_log_entry_get_direction (entry) == wait->direction &&
          lan_packet_log_entry_get_verdict (entry) == wait->verdict &&
          g_strcmp0 (lan_packet_log_entry_get_command_name (entry), wait->command) == 0 &&
          lan_packet_log_entry_get_packet_no (entry) == wait->packet_no)
        return TRUE;
    }
  return FALSE;
}

/* The position in @model of the first row for which @want says so. */
static guint
find_row (GListModel *model,
          gboolean  (*want) (LanPacketLogEntry *entry, gpointer data),
          gpointer    data)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (model, i);

      if (want (entry, data))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static gboolean
is_our_sendmsg (LanPacketLogEntry *entry,
                gpointer           data)
{
  return lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_OUT &&
         g_strcmp0 (lan_packet_log_entry_get_command_name (entry), "SENDMSG") == 0 &&
         lan_packet_log_entry_get_packet_no (entry) == *(guint64 *) data;
}

static gboolean
is_their_recvmsg (LanPacketLogEntry *entry,
                  gpointer           data)
{
  g_autofree char *expected = g_strdup_printf ("%" G_GUINT64_FORMAT, *(guint64 *) data);

  return lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN &&
         g_strcmp0 (lan_packet_log_entry_get_command_name (entry), "RECVMSG") == 0 &&
         g_strcmp0 (lan_packet_log_entry_get_text (entry), expected) == 0;
}

/* The hex dump's runs for bytes [@first, @last], as the eye reads them:
 * per line, the hex digits then the characters. */
static GPtrArray *
expected_highlight (const guint8 *data,
                    gsize         first,
                    gsize         last)
{
  GPtrArray *runs = g_ptr_array_new_with_free_func (g_free);

  for (gsize line_start = first - first % 16; line_start <= last; line_start += 16)
    {
      gsize from = MAX (first, line_start);
      gsize to = MIN (last, line_start + 15);
      GString *hex = g_string_new (NULL);
      GString *ascii = g_string_new (NULL);

      for (gsize i = from; i <= to; i++)
        {
          if (i > from)
            g_string_append (hex, i % 16 == 8 ? "  " : " ");
          g_string_append_printf (hex, "%02x", data[i]);
          g_string_append_c (ascii, data[i] >= 0x20 && data[i] < 0x7f ? (char) data[i] : '.');
        }
      g_ptr_array_add (runs, g_string_free (hex, FALSE));
      g_ptr_array_add (runs, g_string_free (ascii, FALSE));
    }
  return runs;
}

/* The runs of text under the highlight tag, in buffer order. */
static GPtrArray *
tagged_runs (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "field");
  GPtrArray *runs = g_ptr_array_new_with_free_func (g_free);
  GtkTextIter start, end;

  g_assert_nonnull (tag);
  gtk_text_buffer_get_start_iter (buffer, &start);
  if (!gtk_text_iter_starts_tag (&start, tag) && !gtk_text_iter_forward_to_tag_toggle (&start, tag))
    return runs;
  while (TRUE)
    {
      end = start;
      gtk_text_iter_forward_to_tag_toggle (&end, tag);
      g_ptr_array_add (runs, gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
      start = end;
      if (!gtk_text_iter_forward_to_tag_toggle (&start, tag))
        break;
    }
  return runs;
}

static void
assert_highlight_is (LanPacketInspector *inspector,
                     const char         *key)
{
  LanPacketLogEntry *entry = lan_packet_inspector_get_entry (inspector);
  const guint8 *data = g_bytes_get_data (lan_packet_log_entry_get_bytes (entry), NULL);
  const LanIpmsgField *field = lan_ipmsg_dissect_lookup (lan_packet_inspector_get_fields (inspector), key);
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) tagged = NULL;

  g_assert_nonnull (field);
  g_assert_true (lan_packet_inspector_select_field (inspector, key));
  expected = expected_highlight (data, field->offset, field->offset + field->length - 1);
  tagged = tagged_runs (lan_packet_inspector_get_hex_view (inspector));
  g_assert_cmpuint (tagged->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (g_ptr_array_index (tagged, i), ==, g_ptr_array_index (expected, i));
}

static gboolean
is_column_view (GtkWidget *widget,
                gpointer   data)
{
  return GTK_IS_COLUMN_VIEW (widget);
}

static gboolean
is_selected_number (gpointer data)
{
  LanPacketInspector *inspector = lan_log_pane_get_inspector (lan_window_get_log_pane (get_window ()));
  LanPacketLogEntry *entry = lan_packet_inspector_get_entry (inspector);

  return entry != NULL && lan_packet_log_entry_get_number (entry) == *(guint64 *) data;
}

/* A message we send, resent once, then acknowledged: its fields, its bytes,
 * and the links between its sends and the acknowledgement. */
static void
test_log_inspector (void)
{
  LanLogPane *pane;
  LanPacketInspector *inspector;
  GListModel *model;
  GPtrArray *fields;
  const LanIpmsgField *flag;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) message = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *expected_ack = NULL;
  g_autofree char *text = NULL;
  RowWait resend = { 0 };
  CountWait wait = { 0 };
  guint64 packet_no, ack_number;
  guint position, ack_position;
  gboolean handled = FALSE;
  const char *links;
  GtkWidget *column_view;

  ensure_bob ();
  pane = show_log ();
  inspector = lan_log_pane_get_inspector (pane);
  model = lan_log_pane_get_model (pane);

  /* Bob misses the first copy. */
  g_object_set (bob, "simulated-loss", 1.0, NULL);
  g_object_set (app_messenger (), "retry-initial-ms", 200, NULL);
  message = lan_messenger_send (app_messenger (), bob_as_seen_by_app (), "Inspect me, please", &error);
  g_assert_no_error (error);
  packet_no = lan_message_get_packet_no (message);
  resend.packet_no = packet_no;
  resend.verdict = LAN_VERDICT_RESEND;
  resend.direction = LAN_DIRECTION_OUT;
  resend.command = "SENDMSG";
  wait_until (log_has_row, &resend, "a resend of the message");
  g_object_set (bob, "simulated-loss", 0.0, NULL);
  wait_until (message_is_delivered, message, "the message to be delivered");
  g_object_set (app_messenger (), "retry-initial-ms", 500, NULL);

  /* The conversation with bob, filtered as a developer would. */
  lan_log_pane_set_filter_text (pane, "peer:" BOB_ADDRESS " cmd:SENDMSG,RECVMSG");
  wait.pane = pane;
  wait.expected = count_matching ("peer:" BOB_ADDRESS " cmd:SENDMSG,RECVMSG");
  wait_until (filter_done_with, &wait, "the filtered rows");

  position = find_row (model, is_our_sendmsg, &packet_no);
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  lan_log_pane_select (pane, position);
  g_assert_nonnull (lan_packet_inspector_get_entry (inspector));

  /* Header fields, each flag by name. */
  fields = lan_packet_inspector_get_fields (inspector);
  g_assert_nonnull (fields);
  g_assert_nonnull (lan_ipmsg_dissect_lookup (fields, "version"));
  g_assert_nonnull (lan_ipmsg_dissect_lookup (fields, "user"));
  g_assert_nonnull (lan_ipmsg_dissect_lookup (fields, "host"));
  flag = lan_ipmsg_dissect_lookup (fields, "flag:SENDCHECKOPT");
  g_assert_nonnull (flag);
  g_assert_cmpstr (flag->name, ==, "SENDCHECKOPT");
  {
    g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, packet_no);
    g_assert_cmpstr (lan_ipmsg_dissect_lookup (fields, "packet-no")->value, ==, number);
  }
  g_assert_cmpstr (lan_ipmsg_dissect_lookup (fields, "section:0")->value, ==, "Inspect me, please");

  /* Selecting a field highlights exactly its bytes, hex and ASCII. */
  assert_highlight_is (inspector, "packet-no");
  assert_highlight_is (inspector, "section:0");
  assert_highlight_is (inspector, "header");

  /* Links: the resend, and bob's acknowledgement with the round trip. */
  ack_position = find_row (model, is_their_recvmsg, &packet_no);
  g_assert_cmpuint (ack_position, !=, GTK_INVALID_LIST_POSITION);
  {
    g_autoptr(LanPacketLogEntry) ack = g_list_model_get_item (model, ack_position);
    ack_number = lan_packet_log_entry_get_number (ack);
  }
  links = gtk_label_get_text (lan_packet_inspector_get_links_label (inspector));
  g_test_message ("links: %s", links);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (lan_packet_inspector_get_links_label (inspector))));
  expected_ack = g_strdup_printf ("Acknowledged by No. %" G_GUINT64_FORMAT, ack_number);
  g_assert_nonnull (strstr (links, expected_ack));
  g_assert_nonnull (strstr (links, "(Resend)"));
  g_assert_nonnull (strstr (links, "Round trip "));
  g_assert_nonnull (strstr (links, "from the first send"));

  assert_highlight_is (inspector, "section:0");
  {
    g_autofree char *of = g_strdup_printf ("%u of ", wait.expected);
    StatusWait status = { pane, of };

    wait_until (status_says, &status, "the status to say how many rows match");
  }
  /* Again, now that the inspector has its final size: the field in view. */
  wait_frames (GTK_WIDGET (get_window ()));
  g_assert_true (lan_packet_inspector_select_field (inspector, "section:0"));
  wait_frames (GTK_WIDGET (get_window ()));
  save_screenshot (GTK_WIDGET (get_window ()), "log-pane.png");

  /* Clicking the link selects the acknowledgement, which links back. */
  uri = g_strdup_printf ("packet:%" G_GUINT64_FORMAT, ack_number);
  g_signal_emit_by_name (lan_packet_inspector_get_links_label (inspector), "activate-link", uri, &handled);
  g_assert_true (handled);
  wait_until (is_selected_number, &ack_number, "the acknowledgement to be selected");
  column_view = find_widget (GTK_WIDGET (pane), is_column_view, NULL);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (column_view)))),
                    ==, ack_position);
  text = lan_log_pane_dup_details (pane);
  g_assert_nonnull (strstr (text, "RECVMSG"));
  g_assert_nonnull (strstr (text, "Sent as No. "));
  g_assert_nonnull (strstr (text, "Round trip "));
}

typedef struct {
  gboolean done;
  gboolean ok;
  guint64 written;
  guint64 skipped;
  GError *error;
} ExportWait;

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ExportWait *wait = user_data;

  wait->skipped = lan_log_pane_export_get_skipped (LAN_LOG_PANE (source), result);
  wait->ok = lan_log_pane_export_finish (LAN_LOG_PANE (source), result, &wait->written, &wait->error);
  wait->done = TRUE;
}

static gboolean
export_done (gpointer data)
{
  return ((ExportWait *) data)->done;
}

static guint64
export_to (LanLogPane            *pane,
           gboolean               shown_only,
           const char            *path,
           LanPacketExportFormat  format)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ExportWait wait = { 0 };

  lan_log_pane_export_async (pane, shown_only, file, format, NULL, on_exported, &wait);
  wait_until (export_done, &wait, "the export");
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  return wait.written;
}

static guint
count_pcap_records (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  gsize offset = 24;
  guint records = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, >=, 24);
  /* Little-endian microsecond pcap, raw IPv4. */
  g_assert_cmpint (memcmp (contents, "\xd4\xc3\xb2\xa1", 4), ==, 0);
  while (offset + 16 <= len)
    {
      guint32 captured;

      memcpy (&captured, contents + offset + 8, sizeof captured);
      captured = GUINT32_FROM_LE (captured);
      offset += 16 + captured;
      g_assert_cmpuint (offset, <=, len);
      records++;
    }
  g_assert_cmpuint (offset, ==, len);
  return records;
}

/* RFC 4180 records: line ends outside quotes. */
static guint
count_csv_records (const char *path)
{
  g_autofree char *contents = NULL;
  gboolean quoted = FALSE;
  guint records = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  for (const char *p = contents; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (!quoted && p[0] == '\r' && p[1] == '\n')
        records++;
    }
  g_assert_false (quoted);
  return records;
}

/* The rows shown, or all of the log, to pcap, JSON Lines and CSV. */
static void
test_log_export (void)
{
  LanLogPane *pane;
  GListModel *model;
  LanPacketLog *log;
  CountWait wait = { 0 };
  g_autofree char *directory = NULL;
  g_autofree char *pcap = NULL;
  g_autofree char *jsonl = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *all = NULL;
  g_autofree char *nowhere = NULL;
  g_autoptr(GFile) nowhere_file = NULL;
  ExportWait failed = { 0 };
  guint shown, total;

  ensure_bob ();
  pane = show_log ();
  model = lan_log_pane_get_model (pane);
  log = lan_messenger_get_packet_log (app_messenger ());
  /* Rows the filter shows, and one it hides. */
  exchange_a_message ();
  if (!log_has_verdict_from ((gpointer) MALLORY_ADDRESS ":"))
    send_garbage_from_mallory ();

  lan_log_pane_set_filter_text (pane, "cmd:SENDMSG,RECVMSG");
  wait.pane = pane;
  wait.expected = count_matching ("cmd:SENDMSG,RECVMSG");
  wait_until (filter_done_with, &wait, "the filtered rows");
  shown = g_list_model_get_n_items (model);
  g_assert_cmpuint (shown, >, 0);
  g_assert_cmpuint (shown, <, g_list_model_get_n_items (G_LIST_MODEL (log)));

  directory = g_dir_make_tmp ("lanchat-export-XXXXXX", NULL);
  g_assert_nonnull (directory);
  pcap = g_build_filename (directory, "shown.pcap", NULL);
  jsonl = g_build_filename (directory, "shown.jsonl", NULL);
  csv = g_build_filename (directory, "shown.csv", NULL);
  all = g_build_filename (directory, "all.jsonl", NULL);

  g_assert_cmpuint (export_to (pane, TRUE, pcap, LAN_PACKET_EXPORT_PCAP), ==, shown);
  g_assert_cmpuint (count_pcap_records (pcap), ==, shown);
  g_assert_cmpuint (export_to (pane, TRUE, jsonl, LAN_PACKET_EXPORT_JSON_LINES), ==, shown);
  g_assert_cmpuint (count_lines (jsonl), ==, shown);
  g_assert_cmpuint (export_to (pane, TRUE, csv, LAN_PACKET_EXPORT_CSV), ==, shown);
  g_assert_cmpuint (count_csv_records (csv), ==, shown + 1 /* the header */);

  /* Export all: the log, whatever the filter shows. */
  lan_packet_log_flush (log);
  total = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_assert_cmpuint (export_to (pane, FALSE, all, LAN_PACKET_EXPORT_JSON_LINES), ==, total);
  g_assert_cmpuint (count_lines (all), ==, total);

  /* A place that can't be written: an error, not a crash or a half file. */
  nowhere = g_build_filename (directory, "missing", "x.pcap", NULL);
  nowhere_file = g_file_new_for_path (nowhere);
  lan_log_pane_export_async (pane, TRUE, nowhere_file, LAN_PACKET_EXPORT_PCAP, NULL, on_exported, &failed);
  wait_until (export_done, &failed, "the failed export");
  g_assert_false (failed.ok);
  g_assert_nonnull (failed.error);
  g_clear_error (&failed.error);

  g_unlink (pcap);
  g_unlink (jsonl);
  g_unlink (csv);
  g_unlink (all);
  g_rmdir (directory);
  lan_log_pane_set_filter_text (pane, "");
}

static gboolean
is_label_with_text_anywhere (GtkWidget *widget,
                             gpointer   data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0;
}

/* The counters: in and out, per command, and what was dropped. */
static void
test_log_counters (void)
{
  LanLogPane *pane;
  GtkWidget *grid;
  GtkWidget *popover;
  const LanPacketCounters *counters;
  g_autofree char *packets_in = NULL;

  ensure_bob ();
  exchange_a_message ();
  pane = show_log ();
  lan_log_pane_show_counters (pane);
  grid = lan_log_pane_get_counters_grid (pane);
  counters = lan_packet_log_get_counters (lan_messenger_get_packet_log (app_messenger ()));

  for (guint i = 0; i < 6; i++)
    {
      static const char * const names[] = {
        "Packets", "Bytes", "Malformed", "Duplicates", "Resends", "Dropped from the log",
      };
      g_assert_nonnull (find_widget (grid, is_label_with_text_anywhere, (gpointer) names[i]));
    }
  g_assert_nonnull (find_widget (grid, is_label_with_text_anywhere, (gpointer) "Dropped by the system"));
  g_assert_nonnull (find_widget (grid, is_label_with_text_anywhere, (gpointer) "SENDMSG"));
  g_assert_nonnull (find_widget (grid, is_label_with_text_anywhere, (gpointer) "RECVMSG"));
  packets_in = g_strdup_printf ("%" G_GUINT64_FORMAT, counters->packets_in);
  g_assert_nonnull (find_widget (grid, is_label_with_text_anywhere, packets_in));

  popover = gtk_widget_get_ancestor (grid, GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  wait_frames (popover);
  save_screenshot (popover, "log-counters.png");
  gtk_popover_popdown (GTK_POPOVER (popover));
}

/* ---- layout, export dialog, recording, clearing ------------------------ */

static graphene_rect_t
table_bounds (LanLogPane *pane)
{
  GtkWidget *view = find_widget (GTK_WIDGET (pane), is_column_view, NULL);
  GtkWidget *scroller = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (scroller, GTK_WIDGET (pane), &bounds));
  return bounds;
}

/* The table's bounds once they no longer change from frame to frame: a
 * slow build (the sanitizers) may still be laying the window out. */
static graphene_rect_t
settled_table_bounds (LanLogPane *pane)
{
  graphene_rect_t last = table_bounds (pane);

  for (guint i = 0; i < 50; i++)
    {
      graphene_rect_t now;

      wait_frames (GTK_WIDGET (get_window ()));
      now = table_bounds (pane);
      if (graphene_rect_equal (&now, &last))
        return now;
      last = now;
    }
  g_error ("the log's layout never settled");
  return last;
}

static void
assert_same_bounds (const graphene_rect_t *a,
                    const graphene_rect_t *b,
                    const char            *what)
{
  g_test_message ("%s: %gx%g at %g,%g (was %gx%g at %g,%g)", what,
                  b->size.width, b->size.height, b->origin.x, b->origin.y,
                  a->size.width, a->size.height, a->origin.x, a->origin.y);
  g_assert_cmpfloat (a->origin.x, ==, b->origin.x);
  g_assert_cmpfloat (a->origin.y, ==, b->origin.y);
  g_assert_cmpfloat (a->size.width, ==, b->size.width);
  g_assert_cmpfloat (a->size.height, ==, b->size.height);
}

/* The table stays where it is when a packet is first selected and when the
 * filter has an error: run first, before any row was ever inspected. */
static void
test_log_layout_steady (void)
{
  LanLogPane *pane;
  GtkWidget *window;
  graphene_rect_t before, selected, error_shown;

  ensure_bob ();
  exchange_a_message ();
  pane = show_log ();
  window = GTK_WIDGET (get_window ());
  lan_packet_log_flush (lan_messenger_get_packet_log (app_messenger ()));
  wait_frames (window);
  g_assert_null (lan_packet_inspector_get_entry (lan_log_pane_get_inspector (pane)));
  before = settled_table_bounds (pane);
  save_screenshot (window, "log-layout-before.png");

  g_assert_cmpuint (g_list_model_get_n_items (lan_log_pane_get_model (pane)), >, 0);
  /* The last row, so the table keeps following as /ui/log/pane expects. */
  lan_log_pane_select (pane, g_list_model_get_n_items (lan_log_pane_get_model (pane)) - 1);
  g_assert_nonnull (lan_packet_inspector_get_entry (lan_log_pane_get_inspector (pane)));
  wait_frames (window);
  selected = settled_table_bounds (pane);
  save_screenshot (window, "log-layout-selected.png");
  assert_same_bounds (&before, &selected, "selected");

  type_filter (pane, "cmd:SENDMSG prr:alice");
  wait_until (filter_error_shown, pane, "the filter's error");
  wait_frames (window);
  error_shown = settled_table_bounds (pane);
  save_screenshot (window, "log-layout-filter-error.png");
  assert_same_bounds (&before, &error_shown, "filter error");

  type_filter (pane, "");
  wait_until (filter_error_gone, pane, "the filter's error to go");
  /* As /ui/log/pane expects to find it. */
  lan_log_pane_select (pane, GTK_INVALID_LIST_POSITION);
  g_assert_true (lan_log_pane_get_following (pane));
  g_object_set (get_window (), "log-visible", FALSE, NULL);
}

/* Clear the Log asks first; Cancel keeps every row. */
static void
test_log_clear_asks (void)
{
  LanLogPane *pane;
  LanPacketLog *log;
  AdwMessageDialog *dialog;
  guint n;

  ensure_bob ();
  exchange_a_message ();
  pane = show_log ();
  log = lan_messenger_get_packet_log (app_messenger ());
  lan_packet_log_flush (log);
  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_assert_cmpuint (n, >, 0);

  gtk_widget_activate_action (GTK_WIDGET (pane), "log.clear", NULL);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Clear the Packet Log?");
  wait_frames (GTK_WIDGET (dialog));
  save_screenshot (GTK_WIDGET (dialog), "log-clear-asks.png");
  lan_packet_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), >=, n);
  adw_message_dialog_response (dialog, "cancel");
  lan_test_drain ();
  lan_packet_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), >=, n);

  gtk_widget_activate_action (GTK_WIDGET (pane), "log.clear", NULL);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel_of_type (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "clear");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
}

static gboolean
is_cell_starting_with (GtkWidget *widget,
                       gpointer   data)
{
  return LAN_IS_LOG_CELL (widget) && g_str_has_prefix (lan_log_cell_get_text (LAN_LOG_CELL (widget)), data);
}

static gboolean
is_transfer_row (LanPacketLogEntry *entry,
                 gpointer           data)
{
  return (lan_packet_log_entry_get_flags (entry) & LAN_DATAGRAM_TRANSFER) != 0;
}

/* A TCP request and its transfer's summary, as the files engine logs
 * them: filtered by proto:tcp, the Info column says what they were. */
static void
test_log_tcp_rows (void)
{
  static const char request[] = "1:77:bob:bobs-laptop:96:6553f100:2:0:";
  LanLogPane *pane = show_log ();
  LanPacketLog *log = lan_messenger_get_packet_log (app_messenger ());
  g_autofree char *detail = lan_packet_log_transfer_detail (12897485, 1234567, "done", NULL);
  LanDatagram datagram = {
    .time_us = g_get_real_time (),
    .direction = LAN_DIRECTION_IN,
    .flags = LAN_DATAGRAM_TCP,
    .local = { 0x7f000002, 2425 },
    .remote = { 0x7f000003, 40123 },
    .data = (const guint8 *) request,
    .len = sizeof request - 1,
  };
  CountWait wait = { 0 };
  GtkWidget *column_view;
  guint position;

  lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, NULL);
  datagram.flags = LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER;
  lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, detail);
  lan_packet_log_flush (log);

  lan_log_pane_set_filter_text (pane, "proto:tcp");
  g_assert_null (lan_log_pane_get_filter_error (pane));
  wait.pane = pane;
  wait.expected = count_matching ("proto:tcp");
  g_assert_cmpuint (wait.expected, >=, 2);
  wait_until (filter_done_with, &wait, "the TCP rows");
  wait_frames (GTK_WIDGET (get_window ()));

  column_view = find_widget (GTK_WIDGET (pane), is_column_view, NULL);
  g_assert_nonnull (find_widget (column_view, is_cell_starting_with,
                                 (gpointer) "TCP transfer: 12.3\u00a0MiB in 1.2 s — done"));
  g_assert_nonnull (find_widget (column_view, is_cell_starting_with,
                                 (gpointer) "TCP: bob@bobs-laptop asks for file 2 of packet 1700000000"));

  position = find_row (lan_log_pane_get_model (pane), is_transfer_row, NULL);
  g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
  lan_log_pane_select (pane, position);
  g_assert_true (lan_packet_log_entry_get_transfer (lan_packet_inspector_get_entry (lan_log_pane_get_inspector (pane)),
                                                    NULL, NULL, NULL, NULL));
  wait_frames (GTK_WIDGET (get_window ()));
  save_screenshot (GTK_WIDGET (get_window ()), "log-tcp-rows.png");

  /* Exported as a capture: the request is a frame, the summary is left out and counted. */
  {
    g_autofree char *dir = g_dir_make_tmp ("lan-tcp-rows-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "tcp.pcap", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    ExportWait export = { 0 };

    lan_log_pane_export_async (pane, TRUE, file, LAN_PACKET_EXPORT_PCAP, NULL, on_exported, &export);
    wait_until (export_done, &export, "the export of the TCP rows");
    g_assert_no_error (export.error);
    g_assert_true (export.ok);
    g_assert_cmpuint (export.skipped, ==, count_matching ("proto:tcp") - count_matching ("proto:tcp \"TCP:\""));
    g_assert_cmpuint (export.skipped, >=, 1);
    g_assert_cmpuint (export.written + export.skipped, ==, wait.expected);
    g_assert_cmpuint (count_pcap_records (path), ==, export.written);
    g_assert_cmpint (g_remove (path), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
  }

  lan_log_pane_set_filter_text (pane, "");
}

int
main (int   argc,
      char *argv[])
{
  window_fixture_set_up (&argc, &argv);

  /* First: before any row was inspected. */
  g_test_add_func ("/ui/log/layout-steady", test_log_layout_steady);
  g_test_add_func ("/ui/log/pane", test_log_pane);
  g_test_add_func ("/ui/log/filter", test_log_filter);
  g_test_add_func ("/ui/log/inspector", test_log_inspector);
  g_test_add_func ("/ui/log/export", test_log_export);
  g_test_add_func ("/ui/log/tcp-rows", test_log_tcp_rows);
  g_test_add_func ("/ui/log/counters", test_log_counters);
  /* Last: it empties the log. */
  g_test_add_func ("/ui/log/clear-asks", test_log_clear_asks);

  return window_fixture_run ();
}

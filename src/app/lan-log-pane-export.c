/* lan-log-pane-export.c — LanLogPane's export: the file chooser behind
 * log.export-all and log.export-shown, and lan_log_pane_export_async().
 *
 * Export writes all of the log, or the rows shown, in slices on the main
 * loop (lan_packet_export_async) to a file replaced only once complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-log-pane-export"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lan-log-pane.h"
#include "lan-log-pane-export.h"

typedef struct {
  GListModel            *rows;
  GFile                 *file;
  LanPacketExportFormat  format;
  GOutputStream         *stream;
  guint64                written;
  guint64                skipped;
  gulong                 pending_handler;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  if (job->pending_handler != 0)
    g_signal_handler_disconnect (job->rows, job->pending_handler);
  g_clear_object (&job->rows);
  g_clear_object (&job->file);
  g_clear_object (&job->stream);
  g_free (job);
}

static void
on_export_closed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_export_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->skipped = lan_packet_export_get_skipped (result);
  if (!lan_packet_export_finish (result, &job->written, &error))
    {
      /* Closing a replacing stream after a failure would put a partial file
       * in place of the old one: cancel the close, which discards it. */
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      g_cancellable_cancel (abandon);
      g_output_stream_close (job->stream, abandon, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_output_stream_close_async (job->stream, G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                               on_export_closed, g_object_ref (task));
}

static void
on_export_file_replaced (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  job->stream = G_OUTPUT_STREAM (g_file_replace_finish (G_FILE (source), result, &error));
  if (job->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  lan_packet_export_async (job->rows, job->format, job->stream, g_task_get_cancellable (task),
                           on_export_written, g_object_ref (task));
}

static void
export_start (GTask *task)
{
  ExportJob *job = g_task_get_task_data (task);

  g_file_replace_async (job->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                        G_PRIORITY_DEFAULT, g_task_get_cancellable (task),
                        on_export_file_replaced, g_object_ref (task));
}

static void
on_export_pending_notify (GtkFilterListModel *filtered,
                          GParamSpec         *pspec,
                          gpointer            user_data)
{
  GTask *task = user_data;
  ExportJob *job = g_task_get_task_data (task);

  if (gtk_filter_list_model_get_pending (filtered) > 0)
    return;

  g_signal_handler_disconnect (filtered, job->pending_handler);
  job->pending_handler = 0;
  export_start (task);
  g_object_unref (task);
}

void
lan_log_pane_export_async (LanLogPane            *self,
                           gboolean               shown_only,
                           GFile                 *file,
                           LanPacketExportFormat  format,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  GtkFilterListModel *shown;
  ExportJob *job;

  g_return_if_fail (LAN_IS_LOG_PANE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, lan_log_pane_export_async);

  if (lan_log_pane_get_log (self) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("There is no packet log to export"));
      return;
    }

  job = g_new0 (ExportJob, 1);
  /* The model shown is the filter's (lan_log_pane_get_model). */
  shown = GTK_FILTER_LIST_MODEL (lan_log_pane_get_model (self));
  job->rows = g_object_ref (shown_only ? G_LIST_MODEL (shown) : G_LIST_MODEL (lan_log_pane_get_log (self)));
  job->file = g_object_ref (file);
  job->format = format;
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);

  /* The rows shown are only known once the filter has seen them all. */
  if (shown_only && gtk_filter_list_model_get_pending (shown) > 0)
    {
      job->pending_handler = g_signal_connect (shown, "notify::pending",
                                               G_CALLBACK (on_export_pending_notify),
                                               g_object_ref (task));
      return;
    }

  export_start (task);
}

gboolean
lan_log_pane_export_finish (LanLogPane    *self,
                            GAsyncResult  *result,
                            guint64       *n_written,
                            GError       **error)
{
  ExportJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (n_written != NULL)
    *n_written = job != NULL ? job->written : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

guint64
lan_log_pane_export_get_skipped (LanLogPane   *self,
                                 GAsyncResult *result)
{
  ExportJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  job = g_task_get_task_data (G_TASK (result));
  return job != NULL ? job->skipped : 0;
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  LanLogPane *self = LAN_LOG_PANE (source);
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;
  guint64 written = 0;

  if (!lan_log_pane_export_finish (self, result, &written, &error))
    {
      /* Translators: %s is a file name, then why the export failed */
      message = g_strdup_printf (_("Could not export to %s: %s"), name, error->message);
      lan_log_pane_show_toast (self, message);
      return;
    }

  {
    char number[24];

    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            /* Translators: a number of packets, then a file name */
                                            "Exported %s packet to %s",
                                            "Exported %s packets to %s", LAN_LOG_PANE_PLURAL_N (written)),
                               lan_log_pane_format_number (number, written), name);
  }
  {
    guint64 skipped = lan_log_pane_export_get_skipped (self, result);
    char number[24];
    g_autofree char *left_out = NULL;
    g_autofree char *both = NULL;

    if (skipped > 0)
      {
        left_out = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 /* Translators: after "Exported 12 packets to log.pcap"; a capture has no frame for a transfer's summary row */
                                                 "%s transfer summary left out: it is no packet",
                                                 "%s transfer summaries left out: they are no packets",
                                                 LAN_LOG_PANE_PLURAL_N (skipped)),
                                    lan_log_pane_format_number (number, skipped));
        /* Translators: "Exported 12 packets to log.pcap", then what was left out */
        both = g_strdup_printf (_("%s (%s)"), message, left_out);
        g_free (message);
        message = g_steal_pointer (&both);
      }
  }
  lan_log_pane_show_toast (self, message);
}

#define FORMAT_KEY "lan-export-format"

static const char *
format_label (LanPacketExportFormat format)
{
  switch (format)
    {
    case LAN_PACKET_EXPORT_PCAPNG: return _("pcapng (Wireshark, with verdicts)");
    case LAN_PACKET_EXPORT_PCAP: return _("pcap (Wireshark, tcpdump)");
    case LAN_PACKET_EXPORT_JSON_LINES: return _("JSON Lines");
    case LAN_PACKET_EXPORT_CSV: return _("CSV (spreadsheets)");
    default: g_return_val_if_reached (NULL);
    }
}

/* The format is the filter chosen: one drop-down that says what is
 * written, not a format choice beside a filter drop-down left at "(None)". */
void
lan_log_pane_add_format_filters (GtkFileChooser              *chooser,
                                 const LanPacketExportFormat *formats,
                                 guint                        n_formats)
{
  for (guint i = 0; i < n_formats; i++)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
      g_autofree char *pattern = g_strconcat ("*.", lan_packet_export_format_extension (formats[i]), NULL);

      gtk_file_filter_set_name (filter, format_label (formats[i]));
      gtk_file_filter_add_pattern (filter, pattern);
      g_object_set_data (G_OBJECT (filter), FORMAT_KEY, GINT_TO_POINTER (formats[i] + 1));
      gtk_file_chooser_add_filter (chooser, filter);
      if (i == 0)
        gtk_file_chooser_set_filter (chooser, filter);
    }
}

gboolean
lan_log_pane_get_chosen_format (GtkFileChooser        *chooser,
                                LanPacketExportFormat *format)
{
  GtkFileFilter *filter = gtk_file_chooser_get_filter (chooser);   /* (transfer none) */
  int stored = filter != NULL ? GPOINTER_TO_INT (g_object_get_data (G_OBJECT (filter), FORMAT_KEY)) : 0;

  if (stored == 0)
    return FALSE;
  *format = (LanPacketExportFormat) (stored - 1);
  return TRUE;
}

/* @file with the extension of @format: a known extension the name has is
 * replaced (the Format choice wins over the default name's ".pcap"), any
 * other name gets it added.
 * Returns: (transfer full) */
GFile *
lan_log_pane_file_with_extension (GFile                 *file,
                       LanPacketExportFormat  format)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  const char *extension = lan_packet_export_format_extension (format);
  g_autofree char *renamed = NULL;
  LanPacketExportFormat by_name;

  if (parent == NULL)
    return g_object_ref (file);
  if (lan_packet_export_format_from_filename (name, &by_name))
    {
      if (by_name == format && g_str_has_suffix (name, extension))
        return g_object_ref (file);
      *strrchr (name, '.') = '\0';
    }
  renamed = g_strdup_printf ("%s.%s", name, extension);
  return g_file_get_child (parent, renamed);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  LanLogPane *self = user_data;
  gboolean shown_only = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "shown-only"));
  g_autoptr(GFile) chosen = NULL;
  g_autoptr(GFile) file = NULL;
  LanPacketExportFormat format = LAN_PACKET_EXPORT_PCAPNG;

  lan_log_pane_set_file_chooser (self, NULL);
  if (response != GTK_RESPONSE_ACCEPT)
    goto out;

  chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (chosen == NULL)
    goto out;

  lan_log_pane_get_chosen_format (GTK_FILE_CHOOSER (dialog), &format);

  file = lan_log_pane_file_with_extension (chosen, format);
  lan_log_pane_remember_folder (self, file);
  lan_log_pane_export_async (self, shown_only, file, format, NULL,
                             on_export_done, g_object_ref (file));

out:
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
open_export_dialog (LanLogPane *self,
                    gboolean    shown_only)
{
  static const LanPacketExportFormat formats[] = {
    LAN_PACKET_EXPORT_PCAPNG, LAN_PACKET_EXPORT_PCAP, LAN_PACKET_EXPORT_JSON_LINES, LAN_PACKET_EXPORT_CSV,
  };
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GFile) folder = lan_log_pane_dup_dialog_folder (self);
  GtkFileChooserNative *dialog;

  if (lan_log_pane_get_file_chooser (self) != NULL)
    return;

  dialog = gtk_file_chooser_native_new (shown_only ? _("Export Shown Packets") : _("Export All Packets"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  lan_log_pane_add_format_filters (GTK_FILE_CHOOSER (dialog), formats, G_N_ELEMENTS (formats));
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "lanchat-packets.pcapng");
  g_object_set_data (G_OBJECT (dialog), "shown-only", GINT_TO_POINTER (shown_only));
  lan_log_pane_set_file_chooser (self, dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_all_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  open_export_dialog (LAN_LOG_PANE (widget), FALSE);
}

static void
export_shown_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  open_export_dialog (LAN_LOG_PANE (widget), TRUE);
}

void
lan_log_pane_export_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "log.export-all", NULL, export_all_action);
  gtk_widget_class_install_action (widget_class, "log.export-shown", NULL, export_shown_action);
}

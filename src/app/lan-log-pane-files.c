/* lan-log-pane-files.c — Record to File, the choosers' folder and Clear
 * the Log; see lan-log-pane-files.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-log-pane-files"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "lan-log-pane-export.h"
#include "lan-log-pane-files.h"

struct _LanLogPaneFiles
{
  LanLogPane           *pane;           /* owns us */
  GtkWidget            *record_button;
  GtkLabel             *record_label;
  LanPacketRecorder    *recorder;
  GFile                *last_folder;
  GtkFileChooserNative *chooser;
};

LanLogPaneFiles *
lan_log_pane_files_new (LanLogPane *pane,
                        GtkWidget  *record_button,
                        GtkLabel   *record_label)
{
  LanLogPaneFiles *self = g_new0 (LanLogPaneFiles, 1);

  self->pane = pane;
  self->record_button = record_button;
  self->record_label = record_label;
  return self;
}

static void
drop_recorder (LanLogPaneFiles *self)
{
  if (self->recorder == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->recorder, self);
  /* Not waiting for "stopped": the recorder finishes the file by itself. */
  lan_packet_recorder_stop (self->recorder);
  g_clear_object (&self->recorder);
}

void
lan_log_pane_files_free (LanLogPaneFiles *self)
{
  drop_recorder (self);
  g_clear_object (&self->last_folder);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_free (self);
}

/* ---- the choosers' folder ---------------------------------------------- */

GFile *
lan_log_pane_dup_dialog_folder (LanLogPane *pane)
{
  LanLogPaneFiles *self = _lan_log_pane_get_files (pane);
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (self->last_folder != NULL)
    return g_object_ref (self->last_folder);
  /* Never the process's working directory, which is wherever it was started. */
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    return g_file_new_for_path (documents);
  return g_file_new_for_path (g_get_home_dir ());
}

void
lan_log_pane_remember_folder (LanLogPane *pane,
                              GFile      *file)
{
  LanLogPaneFiles *self = _lan_log_pane_get_files (pane);
  g_autoptr(GFile) parent = g_file_get_parent (file);

  if (parent != NULL)
    g_set_object (&self->last_folder, parent);
}

void
lan_log_pane_set_file_chooser (LanLogPane           *pane,
                               GtkFileChooserNative *chooser)
{
  g_set_object (&_lan_log_pane_get_files (pane)->chooser, chooser);
}

GtkFileChooserNative *
lan_log_pane_get_file_chooser (LanLogPane *pane)
{
  return _lan_log_pane_get_files (pane)->chooser;
}

/* ---- Record to File ------------------------------------------------------ */

static void
update_record_label (LanLogPaneFiles *self)
{
  guint64 count = lan_packet_recorder_get_count (self->recorder);
  g_autofree char *name = g_file_get_basename (lan_packet_recorder_get_file (self->recorder));
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  char number[24];

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: the recording button; a number of packets */
                                       "Recording · %s packet",
                                       "Recording · %s packets", LAN_LOG_PANE_PLURAL_N (count)),
                          lan_log_pane_format_number (number, count));
  gtk_label_set_text (self->record_label, text);
  /* Translators: %s is a file name */
  tooltip = g_strdup_printf (_("Stop Recording to %s"), name);
  gtk_widget_set_tooltip_text (self->record_button, tooltip);
}

static void
set_recording_shown (LanLogPaneFiles *self,
                     gboolean         recording)
{
  gtk_widget_set_visible (self->record_button, recording);
  gtk_widget_action_set_enabled (GTK_WIDGET (self->pane), "log.record", !recording);
  gtk_widget_action_set_enabled (GTK_WIDGET (self->pane), "log.record-stop", recording);
}

static void
on_recorder_stopped (LanPacketRecorder *recorder,
                     const GError      *error,
                     gpointer           user_data)
{
  LanLogPaneFiles *self = user_data;
  g_autofree char *name = g_file_get_basename (lan_packet_recorder_get_file (recorder));
  g_autofree char *message = NULL;
  guint64 count = lan_packet_recorder_get_count (recorder);
  char number[24];

  if (error != NULL)
    /* Translators: %s is a file name, then why writing to it failed */
    message = g_strdup_printf (_("Recording to %s stopped: %s"), name, error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            /* Translators: a number of packets, then a file name */
                                            "Recorded %s packet to %s",
                                            "Recorded %s packets to %s", LAN_LOG_PANE_PLURAL_N (count)),
                               lan_log_pane_format_number (number, count), name);
  lan_log_pane_show_toast (self->pane, message);
  if (self->recorder == recorder)
    {
      g_signal_handlers_disconnect_by_data (recorder, self);
      g_clear_object (&self->recorder);
      set_recording_shown (self, FALSE);
    }
}

static void
on_recording_notify (LanPacketRecorder *recorder,
                     GParamSpec        *pspec,
                     gpointer           user_data)
{
  LanLogPaneFiles *self = user_data;

  /* Stopped: the button goes now, the toast when the file is closed. */
  if (!lan_packet_recorder_get_recording (recorder))
    set_recording_shown (self, FALSE);
}

gboolean
lan_log_pane_record_to (LanLogPane            *pane,
                        GFile                 *file,
                        LanPacketExportFormat  format,
                        GError               **error)
{
  LanLogPaneFiles *self;
  LanPacketLog *log;

  g_return_val_if_fail (LAN_IS_LOG_PANE (pane), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  self = _lan_log_pane_get_files (pane);
  log = lan_log_pane_get_log (pane);
  if (log == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There is no packet log to record"));
      return FALSE;
    }
  if (self->recorder != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, _("A recording is already going"));
      return FALSE;
    }

  self->recorder = lan_packet_recorder_new (log, file, format, error);
  if (self->recorder == NULL)
    return FALSE;
  g_signal_connect_swapped (self->recorder, "notify::count", G_CALLBACK (update_record_label), self);
  g_signal_connect (self->recorder, "notify::recording", G_CALLBACK (on_recording_notify), self);
  g_signal_connect (self->recorder, "stopped", G_CALLBACK (on_recorder_stopped), self);
  update_record_label (self);
  set_recording_shown (self, TRUE);
  return TRUE;
}

void
lan_log_pane_stop_recording (LanLogPane *pane)
{
  LanLogPaneFiles *self;

  g_return_if_fail (LAN_IS_LOG_PANE (pane));

  self = _lan_log_pane_get_files (pane);
  if (self->recorder != NULL)
    lan_packet_recorder_stop (self->recorder);
}

LanPacketRecorder *
lan_log_pane_get_recorder (LanLogPane *pane)
{
  g_return_val_if_fail (LAN_IS_LOG_PANE (pane), NULL);

  return _lan_log_pane_get_files (pane)->recorder;
}

static void
on_record_response (GtkNativeDialog *dialog,
                    int              response,
                    gpointer         user_data)
{
  LanLogPane *pane = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  LanPacketExportFormat format = LAN_PACKET_EXPORT_PCAPNG;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  lan_log_pane_set_file_chooser (pane, NULL);
  gtk_native_dialog_destroy (dialog);
  if (file == NULL)
    goto out;

  /* The filter chosen says the format, and the name follows it. */
  lan_log_pane_get_chosen_format (GTK_FILE_CHOOSER (dialog), &format);
  {
    GFile *named = lan_log_pane_file_with_extension (file, format);

    g_object_unref (file);
    file = named;
  }
  lan_log_pane_remember_folder (pane, file);
  if (!lan_log_pane_record_to (pane, file, format, &error))
    {
      g_autofree char *shown = g_file_get_basename (file);
      /* Translators: %s is a file name, then why it can't be written */
      g_autofree char *message = g_strdup_printf (_("Could not record to %s: %s"), shown, error->message);

      lan_log_pane_show_toast (pane, message);
    }

out:
  g_object_unref (dialog);
  g_object_unref (pane);
}

static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  LanLogPane *pane = LAN_LOG_PANE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("lanchat-capture-%s.pcapng", stamp);
  g_autoptr(GFile) folder = lan_log_pane_dup_dialog_folder (pane);
  /* Formats a capture tool reads while the file grows. */
  static const LanPacketExportFormat formats[] = { LAN_PACKET_EXPORT_PCAPNG, LAN_PACKET_EXPORT_PCAP };
  GtkFileChooserNative *dialog;

  if (lan_log_pane_get_file_chooser (pane) != NULL || lan_log_pane_get_recorder (pane) != NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Record Packets to File"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Record"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  lan_log_pane_add_format_filters (GTK_FILE_CHOOSER (dialog), formats, G_N_ELEMENTS (formats));
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (dialog), folder, NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  lan_log_pane_set_file_chooser (pane, dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (on_record_response), g_object_ref (pane));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
record_stop_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  lan_log_pane_stop_recording (LAN_LOG_PANE (widget));
}

/* ---- Clear the Log ------------------------------------------------------- */

static void
on_clear_response (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  LanLogPane *pane = user_data;

  if (g_strcmp0 (response, "clear") == 0 && lan_log_pane_get_log (pane) != NULL)
    lan_packet_log_clear (lan_log_pane_get_log (pane));
  g_object_unref (pane);
}

/* Clearing can't be undone (the log keeps no copy), so it asks first. */
static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  LanLogPane *pane = LAN_LOG_PANE (widget);
  LanPacketLog *log = lan_log_pane_get_log (pane);
  GtkRoot *root = gtk_widget_get_root (widget);
  guint64 n = log != NULL ? g_list_model_get_n_items (G_LIST_MODEL (log)) : 0;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  char number[24];

  if (log == NULL)
    return;
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: a number of packets */
                                       "The %s packet in the log is removed and the counters start over. "
                                       "This can't be undone; a recording to a file goes on.",
                                       "The %s packets in the log are removed and the counters start over. "
                                       "This can't be undone; a recording to a file goes on.",
                                       LAN_LOG_PANE_PLURAL_N (n)),
                          lan_log_pane_format_number (number, n));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Clear the Packet Log?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "clear", _("C_lear"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "clear", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_clear_response), g_object_ref (pane));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
lan_log_pane_files_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "log.record", NULL, record_action);
  gtk_widget_class_install_action (widget_class, "log.record-stop", NULL, record_stop_action);
  gtk_widget_class_install_action (widget_class, "log.clear", NULL, clear_action);
}

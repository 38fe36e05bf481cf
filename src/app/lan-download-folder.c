/* lan-download-folder.c — where saved files go, and its row in Preferences.
 *
 * The row chooses with GtkFileChooserNative, which goes through the file
 * chooser portal in a sandbox: Lanchat then needs no access to the disk
 * beyond the folder the person picked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-download-folder"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-download-folder.h"

struct _LanDownloadFolderRow
{
  AdwActionRow          parent_instance;

  GSettings            *settings;
  GtkFileChooserNative *chooser;
  GtkWidget            *reset_button;
};

G_DEFINE_FINAL_TYPE (LanDownloadFolderRow, lan_download_folder_row, ADW_TYPE_ACTION_ROW)

/**
 * lan_download_folder_get:
 *
 * Returns: (transfer full): the folder to save into
 */
GFile *
lan_download_folder_get (GSettings *settings)
{
  g_autofree char *path = g_settings_get_string (settings, "download-folder");
  const char *downloads;

  if (*path != '\0')
    return g_file_new_for_path (path);
  downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  return g_file_new_for_path (downloads != NULL ? downloads : g_get_home_dir ());
}

static void
update_row (LanDownloadFolderRow *self)
{
  g_autoptr(GFile) folder = lan_download_folder_get (self->settings);
  g_autofree char *shown = g_file_get_parse_name (folder);
  g_autofree char *path = g_settings_get_string (self->settings, "download-folder");
  g_autofree char *escaped = g_markup_escape_text (shown, -1);

  /* Row subtitles are markup; a folder's name is not. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), escaped);
  gtk_widget_set_visible (self->reset_button, *path != '\0');
}

static void
on_chooser_response (LanDownloadFolderRow *self,
                     int                   response)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "download-folder", path);
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
}

static void
on_choose_clicked (LanDownloadFolderRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GFile) folder = NULL;

  if (self->settings == NULL || self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_("Save Files To"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  folder = lan_download_folder_get (self->settings);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_reset_clicked (LanDownloadFolderRow *self)
{
  if (self->settings != NULL)
    g_settings_reset (self->settings, "download-folder");
}

void
lan_download_folder_row_set_settings (LanDownloadFolderRow *self,
                                      GSettings            *settings)
{
  g_return_if_fail (LAN_IS_DOWNLOAD_FOLDER_ROW (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  g_signal_connect_swapped (settings, "changed::download-folder", G_CALLBACK (update_row), self);
  update_row (self);
}

static void
lan_download_folder_row_dispose (GObject *object)
{
  LanDownloadFolderRow *self = LAN_DOWNLOAD_FOLDER_ROW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (lan_download_folder_row_parent_class)->dispose (object);
}

static void
lan_download_folder_row_class_init (LanDownloadFolderRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lan_download_folder_row_dispose;
}

static void
lan_download_folder_row_init (LanDownloadFolderRow *self)
{
  GtkWidget *choose = gtk_button_new_with_mnemonic (_("_Choose…"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("Save Files To"));
  gtk_widget_set_valign (choose, GTK_ALIGN_CENTER);
  g_signal_connect_swapped (choose, "clicked", G_CALLBACK (on_choose_clicked), self);

  self->reset_button = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  gtk_widget_set_valign (self->reset_button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (self->reset_button, FALSE);
  gtk_widget_set_tooltip_text (self->reset_button, _("Use the Downloads Folder"));
  gtk_widget_add_css_class (self->reset_button, "flat");
  g_signal_connect_swapped (self->reset_button, "clicked", G_CALLBACK (on_reset_clicked), self);

  adw_action_row_add_suffix (ADW_ACTION_ROW (self), self->reset_button);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), choose);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), choose);
}

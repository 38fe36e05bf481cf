/* lan-composer-attach.c — files waiting in the composer to be offered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-composer-attach"

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "lan-bounds.h"
#include "lan-composer-attach.h"
#include "lan-display-text.h"
#include "lan-offer-format.h"
#include "lan-window.h"

struct _LanComposerAttach
{
  /* Not references: the window owns these widgets and the composer. */
  GtkTextView              *view;
  GtkWidget                *drop_area;
  GtkDropTarget            *drop_target;
  /* Ours, inserted into the window's composer column: the chips in a
   * row that scrolls sideways when there are many. */
  GtkWidget                *scroller;
  GtkWidget                *chips;
  GPtrArray                *files;
  GtkFileChooserNative     *chooser;
  /* Cancelled at free: clipboard reads and picture writes that outlive us. */
  GCancellable             *cancellable;
  LanComposerAttachChanged  changed;
  gpointer                  user_data;
};

static void
show_problem (LanComposerAttach *self,
              const char        *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self->view), LAN_TYPE_WINDOW);

  if (window != NULL)
    lan_window_show_toast (LAN_WINDOW (window), message);
  else
    g_message ("%s", message);
}

static void
on_chip_remove_clicked (GtkButton         *button,
                        LanComposerAttach *self)
{
  GFile *file = g_object_get_data (G_OBJECT (button), "lan-attached-file");

  if (file != NULL)
    lan_composer_attach_remove (self, file);
}

static GtkWidget *
make_chip (LanComposerAttach *self,
           GFile             *file)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME ","
                                                 G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                 G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autofree char *basename = g_file_get_basename (file);
  gboolean folder = info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY;
  const char *display = info != NULL ? g_file_info_get_display_name (info) : basename;
  g_autofree char *name = lan_display_text (display, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  g_autofree char *remove = g_strdup_printf (_("Remove %s"), name);
  g_autoptr(GIcon) icon = lan_offer_dup_icon (name, folder);
  GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *button = gtk_button_new_from_icon_name ("window-close-symbolic");

  gtk_widget_add_css_class (chip, "attachment-chip");
  gtk_box_append (GTK_BOX (chip), gtk_image_new_from_gicon (icon));
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  if (info != NULL && !folder)
    {
      g_autofree char *size = g_format_size (g_file_info_get_size (info));
      g_autofree char *tooltip = g_strdup_printf ("%s (%s)", name, size);

      gtk_widget_set_tooltip_text (chip, tooltip);
    }
  else
    gtk_widget_set_tooltip_text (chip, name);
  gtk_box_append (GTK_BOX (chip), label);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  gtk_widget_set_tooltip_text (button, remove);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, remove, -1);
  g_object_set_data_full (G_OBJECT (button), "lan-attached-file", g_object_ref (file), g_object_unref);
  g_signal_connect (button, "clicked", G_CALLBACK (on_chip_remove_clicked), self);
  gtk_box_append (GTK_BOX (chip), button);
  return chip;
}

static void
rebuild_chips (LanComposerAttach *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->chips)) != NULL)
    gtk_box_remove (GTK_BOX (self->chips), child);
  for (guint i = 0; i < self->files->len; i++)
    gtk_box_append (GTK_BOX (self->chips), make_chip (self, g_ptr_array_index (self->files, i)));
  gtk_widget_set_visible (self->scroller, self->files->len > 0);
  if (self->changed != NULL)
    self->changed (self->user_data);
}

void
lan_composer_attach_add (LanComposerAttach *self,
                         GFile             *file)
{
  g_return_if_fail (G_IS_FILE (file));

  for (guint i = 0; i < self->files->len; i++)
    if (g_file_equal (g_ptr_array_index (self->files, i), file))
      return;
  g_ptr_array_add (self->files, g_object_ref (file));
  rebuild_chips (self);
}

void
lan_composer_attach_remove (LanComposerAttach *self,
                            GFile             *file)
{
  for (guint i = 0; i < self->files->len; i++)
    if (g_file_equal (g_ptr_array_index (self->files, i), file))
      {
        g_ptr_array_remove_index (self->files, i);
        rebuild_chips (self);
        return;
      }
}

void
lan_composer_attach_clear (LanComposerAttach *self)
{
  if (self->files->len == 0)
    return;
  g_ptr_array_set_size (self->files, 0);
  rebuild_chips (self);
}

GFile * const *
lan_composer_attach_get_files (LanComposerAttach *self,
                               guint             *out_n)
{
  *out_n = self->files->len;
  return (GFile * const *) self->files->pdata;
}

GtkWidget *
lan_composer_attach_get_chips (LanComposerAttach *self)
{
  return self->chips;
}

/* ---- the file chooser --------------------------------------------------- */

static void
on_chooser_response (LanComposerAttach *self,
                     int                response)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (self->chooser));

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          lan_composer_attach_add (self, file);
        }
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
}

void
lan_composer_attach_choose (LanComposerAttach *self,
                            gboolean           folder)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self->view));

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (folder ? _("Attach Folders") : _("Attach Files"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                                      : GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Attach"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ---- drop and paste ----------------------------------------------------- */

/* Files become attachments. A link dragged or copied from a browser comes
 * as a file list too (text/uri-list), of files with no path here: those go
 * into the text, as the text view would have put them. */
static void
add_file_list (LanComposerAttach *self,
               GdkFileList       *list)
{
  GSList *files = list != NULL ? gdk_file_list_get_files (list) : NULL;
  g_autoptr(GString) links = g_string_new (NULL);

  for (GSList *l = files; l != NULL; l = l->next)
    {
      g_autofree char *path = g_file_get_path (l->data);

      if (path != NULL)
        lan_composer_attach_add (self, l->data);
      else
        {
          g_autofree char *uri = g_file_get_uri (l->data);

          g_string_append_printf (links, "%s%s", links->len > 0 ? " " : "", uri);
        }
    }
  g_slist_free (files);
  if (links->len > 0)
    gtk_text_buffer_insert_at_cursor (gtk_text_view_get_buffer (self->view), links->str, -1);
}

static gboolean
on_drop (GtkDropTarget     *target,
         const GValue      *value,
         double             x,
         double             y,
         LanComposerAttach *self)
{
  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  add_file_list (self, g_value_get_boxed (value));
  gtk_widget_grab_focus (GTK_WIDGET (self->view));
  return TRUE;
}

/* Returns: (transfer full): where pasted pictures are written. */
static char *
dup_pasted_folder (void)
{
  return g_build_filename (g_get_user_cache_dir (), "lanchat", "pasted", NULL);
}

/* A pasted picture is served from the cache only while its offer is open,
 * and no offer outlives LAN_OFFER_LIFETIME_S: older ones can go. */
static void
clean_pasted_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  g_autofree char *directory = dup_pasted_folder ();
  g_autoptr(GFile) folder = g_file_new_for_path (directory);
  g_autoptr(GFileEnumerator) children = NULL;
  gint64 oldest = g_get_real_time () / G_USEC_PER_SEC - LAN_OFFER_LIFETIME_S;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, NULL);
  while (children != NULL &&
         g_file_enumerator_iterate (children, &info, &child, cancellable, NULL) && info != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
          (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) >= oldest)
        continue;
      if (!g_file_delete (child, cancellable, &error))
        g_debug ("pasted picture kept: %s", error->message);
    }
  g_task_return_boolean (task, TRUE);
}

static void
save_picture_in_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GdkTexture *texture = task_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H-%M-%S");
  g_autofree char *directory = dup_pasted_folder ();
  /* Translators: the file name of a pasted picture, %s is the date and time */
  g_autofree char *name = g_strdup_printf (_("Pasted picture %s.png"), stamp);
  g_autofree char *path = g_build_filename (directory, name, NULL);

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "%s: %s", directory, g_strerror (saved_errno));
      return;
    }
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, _("cannot write %s"), path);
      return;
    }
  g_task_return_pointer (task, g_file_new_for_path (path), g_object_unref);
}

static void
on_picture_saved (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LanComposerAttach *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (file == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The picture was not attached: %s"), error->message);

      show_problem (self, message);
      return;
    }
  lan_composer_attach_add (self, file);
}

void
lan_composer_attach_add_picture (LanComposerAttach *self,
                                 GdkTexture        *texture)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_picture_saved, self);

  g_return_if_fail (GDK_IS_TEXTURE (texture));

  /* Encoding a screen-sized PNG takes long enough to stall drawing. */
  g_task_set_task_data (task, g_object_ref (texture), g_object_unref);
  g_task_run_in_thread (task, save_picture_in_thread);
}

static void
on_pasted_files (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LanComposerAttach *self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (value == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Nothing was pasted: %s"), error->message);

      show_problem (self, message);
      return;
    }
  add_file_list (self, g_value_get_boxed (value));
}

static void
on_pasted_texture (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LanComposerAttach *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Nothing was pasted: %s"), error->message);

      show_problem (self, message);
      return;
    }
  lan_composer_attach_add_picture (self, texture);
}

/* Files and pictures become attachments; text stays the text view's. */
static void
on_paste_clipboard (GtkTextView       *view,
                    LanComposerAttach *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (view));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    {
      g_signal_stop_emission_by_name (view, "paste-clipboard");
      gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT,
                                      self->cancellable, on_pasted_files, self);
    }
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE) &&
           !gdk_content_formats_contain_gtype (formats, G_TYPE_STRING))
    {
      g_signal_stop_emission_by_name (view, "paste-clipboard");
      gdk_clipboard_read_texture_async (clipboard, self->cancellable, on_pasted_texture, self);
    }
}

LanComposerAttach *
lan_composer_attach_new (GtkTextView              *view,
                         GtkWidget                *drop_area,
                         GtkBox                   *chips_parent,
                         GtkWidget                *chips_after,
                         LanComposerAttachChanged  changed,
                         gpointer                  user_data)
{
  LanComposerAttach *self = g_new0 (LanComposerAttach, 1);

  self->view = view;
  self->drop_area = drop_area;
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->changed = changed;
  self->user_data = user_data;

  self->chips = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_add_css_class (self->chips, "attachment-chips");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chips), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Attached files"), -1);
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->chips);
  gtk_widget_set_visible (self->scroller, FALSE);
  gtk_box_insert_child_after (chips_parent, self->scroller, chips_after);

  self->drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  /* Before the text view's own target, which takes a file manager's drag
   * too (it offers text/plain as well) and would type the paths in. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->drop_target), GTK_PHASE_CAPTURE);
  g_signal_connect (self->drop_target, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (drop_area, GTK_EVENT_CONTROLLER (g_object_ref (self->drop_target)));

  g_signal_connect (view, "paste-clipboard", G_CALLBACK (on_paste_clipboard), self);

  {
    g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, NULL, NULL);

    g_task_run_in_thread (task, clean_pasted_in_thread);
  }
  return self;
}

/* Call while the window's widgets still exist, or after they went: both
 * leave nothing of ours connected. */
void
lan_composer_attach_free (LanComposerAttach *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_signal_handlers_disconnect_by_data (self->drop_target, self);
  g_clear_object (&self->drop_target);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_free (self);
}

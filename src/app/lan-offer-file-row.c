/* lan-offer-file-row.c — one file or folder of an offer, in its card.
 *
 * The row shows a LanFileTransfer and asks the messenger to fetch, cancel
 * or retry; it decides nothing about the protocol. Without a transfer in
 * this run, a file saved by an earlier one (history keeps where) is shown
 * saved while it is still there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-offer-file-row"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-application.h"
#include "lan-display-text.h"
#include "lan-download-folder.h"
#include "lan-history-files.h"
#include "lan-offer-file-row.h"
#include "lan-offer-format.h"
#include "lan-offer-open.h"
#include "lan-window.h"

/* Thumbnails are decoded at twice the size shown, for HiDPI screens. */
#define THUMBNAIL_WIDTH  240
#define THUMBNAIL_HEIGHT 180

struct _LanOfferFileRow
{
  GtkWidget             parent_instance;

  LanMessenger         *messenger;
  LanMessage           *offer;
  LanFileTransfer      *transfer;
  guint64               file_id;
  guint64               size;
  gboolean              is_folder;
  char                 *name;
  /* A problem of ours (a refused Save), shown until the next try. */
  char                 *problem;
  /* Saved by an earlier run, and still there when last looked. */
  GFile                *saved_earlier;
  GCancellable         *thumbnail_cancellable;
  gboolean              has_thumbnail;
  GtkFileChooserNative *chooser;

  GtkWidget            *icon;
  GtkWidget            *name_label;
  GtkWidget            *detail_label;
  GtkWidget            *progress;
  GtkWidget            *thumbnail;
  GtkWidget            *save_button;
  GtkWidget            *save_as_button;
  GtkWidget            *cancel_button;
  GtkWidget            *retry_button;
  GtkWidget            *open_button;
  GtkWidget            *show_button;
};

G_DEFINE_FINAL_TYPE (LanOfferFileRow, lan_offer_file_row, GTK_TYPE_WIDGET)

enum {
  SIGNAL_STATE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_incoming (LanOfferFileRow *self)
{
  return lan_message_get_direction (self->offer) == LAN_DIRECTION_IN;
}

static gboolean
offer_is_open (LanOfferFileRow *self)
{
  return lan_message_get_offer_state (self->offer) == LAN_OFFER_OPEN;
}

/* Returns: (transfer none) (nullable): where the file is, once fetched:
 * by its transfer in this run, else where history says it was saved. */
static GFile *
saved_file (LanOfferFileRow *self)
{
  if (self->transfer != NULL)
    return lan_file_transfer_get_state (self->transfer) == LAN_TRANSFER_DONE
           ? lan_file_transfer_get_file (self->transfer) : NULL;
  return self->saved_earlier;
}

static void
show_problem (LanOfferFileRow *self,
              const char      *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (LAN_IS_WINDOW (root))
    lan_window_show_toast (LAN_WINDOW (root), message);
  else
    g_message ("%s", message);
}

/* ---- thumbnail ---------------------------------------------------------- */

static void
load_thumbnail_in_thread (GTask        *task,
                          gpointer      source,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf = gdk_pixbuf_new_from_file_at_scale (task_data, THUMBNAIL_WIDTH * 2,
                                                         THUMBNAIL_HEIGHT * 2, TRUE, &error);

  if (pixbuf == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, pixbuf, g_object_unref);
}

static void
on_thumbnail_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  LanOfferFileRow *self;
  g_autoptr(GdkTexture) texture = NULL;

  if (pixbuf == NULL)
    {
      /* Not a picture after all (or no loader for it): the icon stays. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("no thumbnail: %s", error->message);
      return;
    }
  self = LAN_OFFER_FILE_ROW (source);
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  gtk_picture_set_paintable (GTK_PICTURE (self->thumbnail), GDK_PAINTABLE (texture));
  gtk_widget_set_visible (self->thumbnail, TRUE);
  self->has_thumbnail = TRUE;
}

static void
maybe_load_thumbnail (LanOfferFileRow *self)
{
  GFile *file = saved_file (self);
  g_autoptr(GTask) task = NULL;
  char *path;

  if (self->has_thumbnail || self->thumbnail_cancellable != NULL || self->is_folder ||
      file == NULL || !lan_offer_name_is_image (self->name))
    return;
  path = g_file_get_path (file);
  if (path == NULL)
    return;
  self->thumbnail_cancellable = g_cancellable_new ();
  /* Decoding a large picture would stall drawing: off the main loop. */
  task = g_task_new (self, self->thumbnail_cancellable, on_thumbnail_loaded, NULL);
  g_task_set_task_data (task, path, g_free);
  g_task_run_in_thread (task, load_thumbnail_in_thread);
}

/* ---- state -------------------------------------------------------------- */

static void
set_detail (LanOfferFileRow *self,
            const char      *text,
            gboolean         is_error)
{
  gtk_label_set_text (GTK_LABEL (self->detail_label), text);
  gtk_widget_set_tooltip_text (self->detail_label, is_error ? text : NULL);
  if (is_error)
    gtk_widget_add_css_class (self->detail_label, "error");
  else
    gtk_widget_remove_css_class (self->detail_label, "error");
}

static void
update_progress (LanOfferFileRow *self)
{
  guint64 size = lan_file_transfer_get_size (self->transfer);
  guint64 done = lan_file_transfer_get_done (self->transfer);

  /* A folder's size grows as its stream goes: no fraction to show. */
  if (self->is_folder || size == 0)
    gtk_progress_bar_pulse (GTK_PROGRESS_BAR (self->progress));
  else
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress), MIN (1.0, (double) done / size));
}

/* Where an earlier run saved it, if it is still there: looked at again on
 * each update without a transfer, as it may have been moved or deleted. */
static void
look_for_saved_earlier (LanOfferFileRow *self)
{
  const char *path = NULL;

  if (self->transfer == NULL && is_incoming (self))
    path = lan_history_files_get_saved (self->offer, self->file_id);
  if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *known = self->saved_earlier ? g_file_get_path (self->saved_earlier) : NULL;

      if (g_strcmp0 (known, path) != 0)
        {
          g_clear_object (&self->saved_earlier);
          self->saved_earlier = g_file_new_for_path (path);
        }
    }
  else
    g_clear_object (&self->saved_earlier);
}

/* Returns: (transfer full): "Saved as PATH", PATH as it may be shown. */
static char *
dup_saved_earlier_text (LanOfferFileRow *self)
{
  g_autofree char *path = g_file_get_path (self->saved_earlier);
  g_autofree char *readable = g_filename_display_name (path);
  g_autofree char *shown = lan_display_text (readable, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);

  /* Translators: %s is where the file was saved (a whole path) */
  return g_strdup_printf (_("Saved as %s"), shown);
}

void
lan_offer_file_row_update (LanOfferFileRow *self)
{
  LanTransferState state = self->transfer ? lan_file_transfer_get_state (self->transfer) : LAN_TRANSFER_WAITING;
  gboolean incoming = is_incoming (self);
  gboolean moving = self->transfer != NULL &&
                    (state == LAN_TRANSFER_WAITING || state == LAN_TRANSFER_RUNNING);
  gboolean ended_badly = self->transfer != NULL &&
                         (state == LAN_TRANSFER_FAILED || state == LAN_TRANSFER_CANCELLED);
  gboolean fetched;

  g_return_if_fail (LAN_IS_OFFER_FILE_ROW (self));

  look_for_saved_earlier (self);
  fetched = incoming && saved_file (self) != NULL;
  if (self->problem != NULL)
    set_detail (self, self->problem, TRUE);
  else if (self->transfer != NULL)
    {
      g_autofree char *text = lan_offer_format_transfer (self->transfer);

      set_detail (self, text, ended_badly);
    }
  else if (self->saved_earlier != NULL)
    {
      g_autofree char *text = dup_saved_earlier_text (self);

      set_detail (self, text, FALSE);
    }
  else
    {
      g_autofree char *size = g_format_size (self->size);

      set_detail (self, self->is_folder ? _("Folder") : size, FALSE);
    }

  gtk_widget_set_visible (self->progress, moving);
  if (moving)
    update_progress (self);

  gtk_widget_set_visible (self->save_button, lan_offer_file_row_can_save (self));
  gtk_widget_set_visible (self->save_as_button, lan_offer_file_row_can_save (self));
  /* What we serve ends when the peer stops or we withdraw the offer. */
  gtk_widget_set_visible (self->cancel_button, moving && incoming);
  /* The peer serves it only while the offer is open. */
  gtk_widget_set_visible (self->retry_button, incoming && ended_badly && offer_is_open (self));
  gtk_widget_set_visible (self->open_button, fetched);
  gtk_widget_set_visible (self->show_button, fetched);

  if (fetched)
    maybe_load_thumbnail (self);
}

static void
on_transfer_notify (LanOfferFileRow *self,
                    GParamSpec      *pspec)
{
  lan_offer_file_row_update (self);
  if (g_str_equal (pspec->name, "state"))
    g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

void
lan_offer_file_row_set_transfer (LanOfferFileRow *self,
                                 LanFileTransfer *transfer)
{
  g_return_if_fail (LAN_IS_OFFER_FILE_ROW (self));

  if (self->transfer == transfer)
    return;
  if (self->transfer != NULL)
    g_signal_handlers_disconnect_by_data (self->transfer, self);
  g_set_object (&self->transfer, transfer);
  if (transfer != NULL)
    g_signal_connect_swapped (transfer, "notify", G_CALLBACK (on_transfer_notify), self);
  g_clear_pointer (&self->problem, g_free);
  lan_offer_file_row_update (self);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0);
}

LanFileTransfer *
lan_offer_file_row_get_transfer (LanOfferFileRow *self)
{
  g_return_val_if_fail (LAN_IS_OFFER_FILE_ROW (self), NULL);
  return self->transfer;
}

guint64
lan_offer_file_row_get_file_id (LanOfferFileRow *self)
{
  g_return_val_if_fail (LAN_IS_OFFER_FILE_ROW (self), 0);
  return self->file_id;
}

gboolean
lan_offer_file_row_has_thumbnail (LanOfferFileRow *self)
{
  g_return_val_if_fail (LAN_IS_OFFER_FILE_ROW (self), FALSE);
  return self->has_thumbnail;
}

gboolean
lan_offer_file_row_can_save (LanOfferFileRow *self)
{
  g_return_val_if_fail (LAN_IS_OFFER_FILE_ROW (self), FALSE);
  /* A failed one is continued by Retry, which keeps what already came. */
  return is_incoming (self) && offer_is_open (self) && self->transfer == NULL &&
         self->saved_earlier == NULL;
}

gboolean
lan_offer_file_row_is_saved (LanOfferFileRow *self)
{
  g_return_val_if_fail (LAN_IS_OFFER_FILE_ROW (self), FALSE);
  return is_incoming (self) && saved_file (self) != NULL;
}

/* ---- what the buttons ask ----------------------------------------------- */

static void
fetch_into (LanOfferFileRow *self,
            GFile           *folder,
            const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanFileTransfer) transfer = lan_messenger_fetch_file (self->messenger, self->offer,
                                                                  self->file_id, folder, name, &error);

  if (transfer == NULL)
    {
      g_autofree char *why = lan_display_text (error->message, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);

      g_free (self->problem);
      /* Translators: %s says why a file cannot be saved */
      self->problem = g_strdup_printf (_("Not saved: %s"), why);
      lan_offer_file_row_update (self);
      return;
    }
  lan_offer_file_row_set_transfer (self, transfer);
}

void
lan_offer_file_row_save (LanOfferFileRow *self)
{
  GApplication *application = g_application_get_default ();
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (LAN_IS_OFFER_FILE_ROW (self));

  if (!lan_offer_file_row_can_save (self) || !LAN_IS_APPLICATION (application))
    return;
  folder = lan_download_folder_get (lan_application_get_settings (LAN_APPLICATION (application)));
  /* The Downloads folder may not exist yet on a fresh account. */
  if (!g_file_make_directory_with_parents (folder, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *shown = g_file_get_parse_name (folder);

      g_free (self->problem);
      /* Translators: the folder, then why it can't be made */
      self->problem = g_strdup_printf (_("Not saved: cannot create %s: %s"), shown, error->message);
      lan_offer_file_row_update (self);
      return;
    }
  fetch_into (self, folder, NULL);
}

static void
on_save_clicked (LanOfferFileRow *self)
{
  lan_offer_file_row_save (self);
}

static void
on_save_as_response (LanOfferFileRow *self,
                     int              response)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  if (file != NULL && lan_offer_file_row_can_save (self))
    {
      g_autoptr(GFile) folder = g_file_get_parent (file);
      g_autofree char *name = g_file_get_basename (file);

      if (folder != NULL)
        fetch_into (self, folder, name);
    }
}

static void
on_save_as_clicked (LanOfferFileRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;
  /* Native: the file chooser portal in a sandbox, which grants the place chosen. */
  self->chooser = gtk_file_chooser_native_new (self->is_folder ? _("Save Folder As") : _("Save File As"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), self->name);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_save_as_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_cancel_clicked (LanOfferFileRow *self)
{
  if (self->transfer != NULL)
    lan_messenger_cancel_transfer (self->messenger, self->transfer);
}

static void
on_retry_clicked (LanOfferFileRow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanFileTransfer) again = NULL;

  if (self->transfer == NULL)
    return;
  again = lan_messenger_retry_transfer (self->messenger, self->transfer, &error);
  if (again == NULL)
    {
      g_autofree char *why = lan_display_text (error->message, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      g_autofree char *message = g_strdup_printf (_("Cannot retry: %s"), why);

      show_problem (self, message);
      return;
    }
  lan_offer_file_row_set_transfer (self, again);
}

static void
open_file (LanOfferFileRow *self,
           gboolean         containing_folder)
{
  GFile *file = saved_file (self);

  if (file != NULL)
    lan_offer_open (GTK_WIDGET (self), file, containing_folder);
}

static void
on_open_clicked (LanOfferFileRow *self)
{
  open_file (self, FALSE);
}

static void
on_show_clicked (LanOfferFileRow *self)
{
  open_file (self, TRUE);
}

/* ---- construction ------------------------------------------------------- */

static GtkWidget *
add_button (LanOfferFileRow *self,
            GtkWidget       *box,
            const char      *label,
            const char      *icon_name,
            const char      *tooltip,
            GCallback        callback)
{
  GtkWidget *button = icon_name != NULL ? gtk_button_new_from_icon_name (icon_name)
                                        : gtk_button_new_with_mnemonic (label);

  if (icon_name != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_visible (button, FALSE);
  g_signal_connect_swapped (button, "clicked", callback, self);
  gtk_box_append (GTK_BOX (box), button);
  return button;
}

GtkWidget *
lan_offer_file_row_new (LanMessenger       *messenger,
                        LanMessage         *offer,
                        const LanIpmsgFile *file)
{
  LanOfferFileRow *self;
  g_autoptr(GIcon) icon = NULL;

  g_return_val_if_fail (LAN_IS_MESSENGER (messenger), NULL);
  g_return_val_if_fail (LAN_IS_MESSAGE (offer), NULL);
  g_return_val_if_fail (file != NULL, NULL);

  self = g_object_new (LAN_TYPE_OFFER_FILE_ROW, NULL);
  self->messenger = g_object_ref (messenger);
  self->offer = g_object_ref (offer);
  self->file_id = file->file_id;
  self->size = file->size;
  self->is_folder = lan_offer_file_is_folder (file);
  self->name = lan_offer_file_dup_name (file);

  icon = lan_offer_dup_icon (self->name, self->is_folder);
  gtk_image_set_from_gicon (GTK_IMAGE (self->icon), icon);
  gtk_label_set_text (GTK_LABEL (self->name_label), self->name);
  gtk_widget_set_tooltip_text (self->name_label, self->name);
  lan_offer_file_row_update (self);
  return GTK_WIDGET (self);
}

static void
lan_offer_file_row_dispose (GObject *object)
{
  LanOfferFileRow *self = LAN_OFFER_FILE_ROW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->transfer != NULL)
    g_signal_handlers_disconnect_by_data (self->transfer, self);
  g_clear_object (&self->transfer);
  g_clear_object (&self->saved_earlier);
  g_clear_object (&self->offer);
  g_clear_object (&self->messenger);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (lan_offer_file_row_parent_class)->dispose (object);
}

static void
lan_offer_file_row_finalize (GObject *object)
{
  LanOfferFileRow *self = LAN_OFFER_FILE_ROW (object);

  g_free (self->name);
  g_free (self->problem);

  G_OBJECT_CLASS (lan_offer_file_row_parent_class)->finalize (object);
}

static void
lan_offer_file_row_class_init (LanOfferFileRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = lan_offer_file_row_dispose;
  object_class->finalize = lan_offer_file_row_finalize;

  /**
   * LanOfferFileRow::state-changed:
   *
   * Its transfer was replaced, or changed state: the card's buttons follow.
   */
  signals[SIGNAL_STATE_CHANGED] = g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "offerfilerow");
}

static void
lan_offer_file_row_init (LanOfferFileRow *self)
{
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_widget_set_parent (outer, GTK_WIDGET (self));
  gtk_box_append (GTK_BOX (outer), line);

  self->icon = gtk_image_new ();
  gtk_image_set_icon_size (GTK_IMAGE (self->icon), GTK_ICON_SIZE_LARGE);
  gtk_widget_set_valign (self->icon, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (line), self->icon);

  gtk_widget_set_hexpand (texts, TRUE);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (line), texts);
  self->name_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->name_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->name_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->name_label), 40);
  gtk_widget_add_css_class (self->name_label, "heading");
  gtk_box_append (GTK_BOX (texts), self->name_label);
  self->detail_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->detail_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->detail_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->detail_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (self->detail_label), 44);
  gtk_widget_add_css_class (self->detail_label, "caption");
  gtk_widget_add_css_class (self->detail_label, "offer-detail");
  gtk_box_append (GTK_BOX (texts), self->detail_label);
  self->progress = gtk_progress_bar_new ();
  gtk_widget_set_visible (self->progress, FALSE);
  gtk_box_append (GTK_BOX (texts), self->progress);

  gtk_box_append (GTK_BOX (line), buttons);
  self->save_button = add_button (self, buttons, _("_Save"), NULL,
                                  _("Save in the download folder"), G_CALLBACK (on_save_clicked));
  self->save_as_button = add_button (self, buttons, NULL, "document-save-as-symbolic",
                                     _("Save As…"), G_CALLBACK (on_save_as_clicked));
  self->cancel_button = add_button (self, buttons, _("_Cancel"), NULL,
                                    _("Stop this transfer"), G_CALLBACK (on_cancel_clicked));
  self->retry_button = add_button (self, buttons, _("_Retry"), NULL,
                                   _("Continue from where it stopped"), G_CALLBACK (on_retry_clicked));
  self->open_button = add_button (self, buttons, _("_Open"), NULL,
                                  _("Open with its application"), G_CALLBACK (on_open_clicked));
  self->show_button = add_button (self, buttons, NULL, "folder-open-symbolic",
                                  _("Show in Folder"), G_CALLBACK (on_show_clicked));

  self->thumbnail = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (self->thumbnail), TRUE);
  gtk_picture_set_content_fit (GTK_PICTURE (self->thumbnail), GTK_CONTENT_FIT_CONTAIN);
  gtk_widget_set_size_request (self->thumbnail, THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT);
  gtk_widget_set_halign (self->thumbnail, GTK_ALIGN_START);
  gtk_widget_set_visible (self->thumbnail, FALSE);
  gtk_widget_add_css_class (self->thumbnail, "offer-thumbnail");
  gtk_box_append (GTK_BOX (outer), self->thumbnail);
}

/* lan-window-actions.c — the window's actions ("win.*").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-window-actions"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lan-doctor-dialog.h"
#include "lan-history-search.h"
#include "lan-multicast-dialog.h"
#include "lan-window-private.h"

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  lan_window_composer_send (LAN_WINDOW (widget)->composer);
}

static void
attach_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  lan_window_composer_choose_files (LAN_WINDOW (widget)->composer,
                                    g_str_equal (action_name, "win.attach-folder"));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  LanWindow *self = LAN_WINDOW (widget);

  if (!lan_messenger_get_running (self->messenger))
    {
      lan_application_restart_messenger (self->application);
      return;
    }

  lan_messenger_announce (self->messenger);
  lan_window_show_toast (self, _("Asked everyone on the network to answer"));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LanWindow *self = LAN_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* In a conversation: its messages; elsewhere: people. */
  if (focus != NULL && self->current_conversation != NULL &&
      gtk_widget_is_ancestor (focus, GTK_WIDGET (self->status.content_stack)) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->status.content_stack), "conversation") == 0)
    {
      lan_message_search_open (self->message_search,
                               lan_conversation_get_peer_key (self->current_conversation));
      return;
    }
  adw_leaflet_set_visible_child (self->leaflet,
                                 gtk_widget_get_parent (GTK_WIDGET (self->search_entry)));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
new_message_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LanWindow *self = LAN_WINDOW (widget);

  gtk_window_present (GTK_WINDOW (lan_multicast_dialog_new (GTK_WINDOW (self), self->messenger,
                                                            lan_application_get_people (self->application))));
}

static void
on_export_response (GtkNativeDialog *chooser,
                    int              response,
                    LanWindow       *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_autofree char *history = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  const char *identity = g_object_get_data (G_OBJECT (chooser), "identity");
  gint64 n;

  if (response != GTK_RESPONSE_ACCEPT || file == NULL)
    goto done;
  g_object_get (self->messenger, "history-path", &history, NULL);
  name = g_file_get_basename (file);
  if (history == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("History is off"));
  /* JSON by its name; text otherwise. */
  n = history == NULL ? -1 : lan_history_export (history, identity,
                                                 g_str_has_suffix (name, ".json") || g_str_has_suffix (name, ".jsonl"),
                                                 file, &error);
  if (n < 0)
    message = g_strdup_printf (_("Not exported: %s"), error->message);
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u message to %s",
                                            "Exported %u messages to %s", (gulong) n),
                               (guint) n, name);
  lan_window_show_toast (self, message);
done:
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_conversation_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  LanWindow *self = LAN_WINDOW (widget);
  const char *identity;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) text = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  g_autofree char *suggested = NULL;

  /* The conversation shown. */
  if (self->current_conversation == NULL)
    return;
  identity = lan_conversation_get_peer_key (self->current_conversation);
  suggested = g_strconcat (g_str_equal (identity, "*") ? _("Everyone") : identity, ".txt", NULL);
  chooser = gtk_file_chooser_native_new (_("Export Conversation"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_filter_set_name (text, _("Text"));
  gtk_file_filter_add_pattern (text, "*.txt");
  gtk_file_filter_set_name (json, _("JSON, one message a line"));
  gtk_file_filter_add_pattern (json, "*.json");
  gtk_file_filter_add_pattern (json, "*.jsonl");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), text);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), json);
  /* A file name from the network: no path in it. */
  g_strdelimit (suggested, "/\\", '_');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), suggested);
  g_object_set_data_full (G_OBJECT (chooser), "identity", g_strdup (identity), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
show_sidebar_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  LanWindow *self = LAN_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
retry_start_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  LanWindow *self = LAN_WINDOW (widget);
  guint port = (guint) gtk_spin_button_get_value_as_int (self->status.port_spin);

  /* A new port is applied through the setting, which restarts the
   * messenger; the same port is simply tried again. */
  if (g_str_equal (gtk_stack_get_visible_child_name (self->status.content_stack), "port-in-use") &&
      port != g_settings_get_uint (self->settings, "port"))
    g_settings_set_uint (self->settings, "port", port);
  else
    lan_application_restart_messenger (self->application);
}

/* The log, filtered to one peer: "Show Packets" on a person in the sidebar. */
static void
show_peer_packets_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  LanWindow *self = LAN_WINDOW (widget);
  const char *address = g_variant_get_string (parameter, NULL);
  g_autofree char *query = NULL;

  /* An address is one word; anything else would be read as more terms. */
  if (*address == '\0' || strpbrk (address, " \t\"") != NULL)
    return;
  query = g_strdup_printf ("peer:%s", address);

  g_object_set (self, "log-visible", TRUE, NULL);
  lan_log_pane_set_filter_text (self->log_pane, query);
}

typedef struct {
  LanWindow *window;
  char      *peer_key;
} DeleteRequest;

static void
delete_request_free (gpointer  data,
                     GClosure *closure)
{
  DeleteRequest *request = data;

  g_object_unref (request->window);
  g_free (request->peer_key);
  g_free (request);
}

static void
on_delete_conversation_response (AdwMessageDialog *dialog,
                                 const char       *response,
                                 DeleteRequest    *request)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "delete") != 0)
    return;
  if (!lan_messenger_delete_conversation (request->window->messenger, request->peer_key, &error))
    adw_toast_overlay_add_toast (request->window->toast_overlay, adw_toast_new (error->message));
}

static void
delete_conversation_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  LanWindow *self = LAN_WINDOW (widget);
  const char *peer_key = g_variant_get_string (parameter, NULL);
  /* By the person: someone offline is no longer at their key in the peer list. */
  LanPerson *person = lan_people_lookup (lan_application_get_people (self->application), peer_key);
  LanPeer *peer = person != NULL ? lan_person_get_peer (person) : NULL;
  DeleteRequest *request;
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Delete Conversation?"), NULL);
  /* Translators: %s is a nickname */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Every message with %s is deleted from this computer. "
                                    "This cannot be undone."),
                                  peer != NULL ? lan_peer_get_nickname (peer) : peer_key);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  request = g_new0 (DeleteRequest, 1);
  request->window = g_object_ref (self);
  request->peer_key = g_strdup (person != NULL ? lan_person_get_identity (person) : peer_key);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_conversation_response),
                         request, delete_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_lan_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "win.attach-files", NULL, attach_files_action);
  gtk_widget_class_install_action (widget_class, "win.attach-folder", NULL, attach_files_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.focus-search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "win.new-message", NULL, new_message_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.retry-start", NULL, retry_start_action);
  gtk_widget_class_install_property_action (widget_class, "win.show-log", "log-visible");
  gtk_widget_class_install_action (widget_class, "win.show-peer-packets", "s", show_peer_packets_action);
  gtk_widget_class_install_action (widget_class, "win.delete-conversation", "s", delete_conversation_action);
  lan_doctor_dialog_install_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "win.export-conversation", NULL, export_conversation_action);
}

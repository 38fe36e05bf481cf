/* test-window-files-attach.c — files dropped and pasted into a
 * conversation go out as an offer; offers that come in while the window is
 * in the background are notified; after a restart, an offer's card knows
 * which of its files were saved (the last case: it restarts the app).
 *
 * Drops go through the conversation's own GtkDropTarget (its "drop"
 * signal, with the GdkFileList a file manager gives); pastes through the
 * composer's "clipboard.paste" action (what Ctrl+V and the context menu
 * do), from the display's clipboard. Bob receives what Send offers over UDP
 * and fetches the pasted picture over TCP.
 *
 * Part of the test-window-files program, which runs these cases after its
 * own (see test-window-files-attach.h).
 *
 * Notifications: the program owns org.gtk.Notifications on its private
 * session bus before the app starts, so GLib's GNotification backend for
 * it is the "gtk" one and every notification the app sends arrives here as
 * an AddNotification call, with its title, body and default action.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-files-attach"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "lan-history-files.h"
#include "lan-ipmsg.h"
#include "lan-messenger-files.h"
#include "lan-offer-card.h"
#include "lan-offer-file-row.h"
#include "lan-offer-format.h"
#include "lan-window.h"

#include "test-window-files-attach.h"
#include "ui-files-support.h"
#include "ui-test-support.h"
#include "ui-window-fixture.h"

/* ---- a notification server of our own ----------------------------------- */

typedef struct {
  char     *id;
  char     *title;
  char     *body;
  char     *action;
  GVariant *target;
} Notification;

static GPtrArray *notifications;   /* Notification, as they came */
static GPtrArray *withdrawn;       /* char *: ids */
static gboolean server_ready;

static const char notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  "<method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='a{sv}' direction='in'/></method>"
  "<method name='RemoveNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
notification_free (Notification *notification)
{
  g_free (notification->id);
  g_free (notification->title);
  g_free (notification->body);
  g_free (notification->action);
  g_clear_pointer (&notification->target, g_variant_unref);
  g_free (notification);
}

static void
on_notifications_call (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *object_path,
                       const char            *interface_name,
                       const char            *method_name,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  const char *app_id = NULL;
  const char *id = NULL;

  if (g_str_equal (method_name, "AddNotification"))
    {
      g_autoptr(GVariant) dict = NULL;
      Notification *notification = g_new0 (Notification, 1);

      g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &dict);
      g_assert_cmpstr (app_id, ==, APP_ID);
      notification->id = g_strdup (id);
      g_variant_lookup (dict, "title", "s", &notification->title);
      g_variant_lookup (dict, "body", "s", &notification->body);
      g_variant_lookup (dict, "default-action", "s", &notification->action);
      notification->target = g_variant_lookup_value (dict, "default-action-target", NULL);
      g_ptr_array_add (notifications, notification);
    }
  else
    {
      g_variant_get (parameters, "(&s&s)", &app_id, &id);
      g_ptr_array_add (withdrawn, g_strdup (id));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  server_ready = TRUE;
}

static void
on_name_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  g_error ("could not own %s on the test bus", name);
}

static gboolean
is_true (gpointer flag)
{
  return *(gboolean *) flag;
}

/* Before the app starts: GLib picks the notification backend once. */
static void
serve_notifications (void)
{
  static const GDBusInterfaceVTable vtable = { on_notifications_call, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) notification_free);
  withdrawn = g_ptr_array_new_with_free_func (g_free);
  g_assert_cmpuint (g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0],
                                                       &vtable, NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                on_name_acquired, on_name_lost, NULL, NULL);
  wait_until (is_true, &server_ready, "org.gtk.Notifications on the test bus");
}

static void
on_pinged (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, NULL);

  *(gboolean *) user_data = TRUE;
}

/* Whatever the app sent the server before now has arrived: the bus keeps
 * one sender's messages in order, and this ping goes the same way. */
static void
flush_bus (void)
{
  GDBusConnection *bus = g_application_get_dbus_connection (G_APPLICATION (app));
  gboolean pinged = FALSE;

  g_dbus_connection_call (bus, "org.gtk.Notifications", "/org/gtk/Notifications",
                          "org.freedesktop.DBus.Peer", "Ping", NULL, NULL, G_DBUS_CALL_FLAGS_NONE,
                          -1, NULL, on_pinged, &pinged);
  wait_until (is_true, &pinged, "the ping through the bus");
}

/* ---- finding things ----------------------------------------------------- */

/* Returns: (transfer none) (nullable): the drop target for files on @widget. */
static GtkDropTarget *
file_drop_target_of (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller) &&
          gdk_content_formats_contain_gtype (gtk_drop_target_get_formats (GTK_DROP_TARGET (controller)),
                                             GDK_TYPE_FILE_LIST))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

/* Returns: (transfer none): the widget that takes files dropped on the composer. */
static GtkWidget *
find_drop_area (GtkDropTarget **out_target)
{
  for (GtkWidget *widget = GTK_WIDGET (lan_window_get_composer (get_window ()));
       widget != NULL;
       widget = gtk_widget_get_parent (widget))
    if ((*out_target = file_drop_target_of (widget)) != NULL)
      return widget;
  g_assert_not_reached ();
}

static gboolean
app_has_offer (gpointer data)
{
  LanMessage *message = last_message (bob_conversation ());

  return message != NULL && lan_message_get_direction (message) == LAN_DIRECTION_IN &&
         lan_message_get_files (message) != NULL && g_strcmp0 (lan_message_get_text (message), data) == 0;
}

/* Returns: (transfer none): file @index of bob's last offer from the app. */
static LanIpmsgFile *
bob_offered_file (guint index)
{
  LanMessage *message = last_message (lan_messenger_get_conversation (bob, APP_KEY));

  g_assert_cmpuint (lan_message_get_files (message)->len, >, index);
  return g_ptr_array_index (lan_message_get_files (message), index);
}

static char *
outbox_folder (void)
{
  return g_build_filename (data_home, "outbox", NULL);
}

/* Returns: (transfer full): a file of @contents in the outbox folder. */
static GFile *
outbox_file (const char *relative,
             const char *contents)
{
  g_autofree char *folder = outbox_folder ();
  g_autofree char *path = g_build_filename (folder, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
send_composed (const char *text)
{
  LanWindow *window = get_window ();

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (lan_window_get_composer (window)), text, -1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);
  g_assert_cmpuint (count_chips (), ==, 0);
}

/* ---- drop --------------------------------------------------------------- */

static gboolean
buffer_has_text (gpointer data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (lan_window_get_composer (get_window ()));
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strcmp0 (text, data) == 0;
}

/* Returns: (transfer none) (nullable): a drop target on @widget that takes text. */
static GtkDropTarget *
text_drop_target_of (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller) &&
          gdk_content_formats_contain_gtype (gtk_drop_target_get_formats (GTK_DROP_TARGET (controller)),
                                             G_TYPE_STRING))
        return GTK_DROP_TARGET (controller);
    }
  return NULL;
}

static gboolean
drop_on (GtkDropTarget *target,
         const GValue  *value)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (target, "drop", value, 20.0, 20.0, &handled);
  return handled;
}

/* A file and a folder dragged from a file manager onto the conversation:
 * two chips, and Send offers both, the folder as a folder. */
static void
test_drop_file_and_folder (void)
{
  LanWindow *window = get_window ();
  g_autoptr(GFile) notes = outbox_file ("notes.txt", "drop me\n");
  g_autoptr(GFile) photo = outbox_file ("photos/beach.png", "not really a PNG");
  g_autoptr(GFile) photos = g_file_get_parent (photo);
  /* A link dragged from a browser along with them: a file with no path. */
  g_autoptr(GFile) link = g_file_new_for_uri ("https://example.invalid/agenda");
  GFile *dragged[] = { notes, link, photos };
  GdkFileList *list = gdk_file_list_new_from_array (dragged, G_N_ELEMENTS (dragged));
  g_auto(GValue) files = G_VALUE_INIT;
  g_auto(GValue) text = G_VALUE_INIT;
  GtkDropTarget *target = NULL;
  GtkWidget *area;
  LanIpmsgFile *record;

  ensure_bob ();
  lan_window_open_conversation (window, BOB_KEY);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (lan_window_get_composer (window)), "", -1);
  wait_frames (GTK_WIDGET (window));
  area = find_drop_area (&target);
  /* The whole conversation takes a drop, its messages as well as the composer. */
  g_assert_true (gtk_widget_is_ancestor (lan_window_get_message_list_view (window), area));
  g_assert_true (gtk_drop_target_get_actions (target) & GDK_ACTION_COPY);
  /* Files dropped on the composer's text itself: its own drop target takes
   * a file manager's drag as text (the paths, typed in), so ours must see
   * the drop first, on the way down. */
  g_assert_nonnull (text_drop_target_of (GTK_WIDGET (lan_window_get_composer (window))));
  g_assert_cmpint (gtk_event_controller_get_propagation_phase (GTK_EVENT_CONTROLLER (target)), ==, GTK_PHASE_CAPTURE);
  g_assert_cmpuint (count_chips (), ==, 0);

  /* Text dragged from elsewhere is not the target's business. */
  g_value_init (&text, G_TYPE_STRING);
  g_value_set_string (&text, "just words");
  g_assert_false (drop_on (target, &text));
  g_assert_cmpuint (count_chips (), ==, 0);

  g_value_init (&files, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&files, list);
  g_assert_true (drop_on (target, &files));
  wait_until (chips_are, GUINT_TO_POINTER (2), "chips for the dropped file and folder");
  /* The link is text, where the text view would have put it. */
  g_assert_true (buffer_has_text ("https://example.invalid/agenda"));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "notes.txt"));
  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "photos"));
  /* Dropped again: already attached, no second chip. */
  g_assert_true (drop_on (target, &files));
  g_assert_cmpuint (count_chips (), ==, 2);
  /* Ready to type a word to go with them. */
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (lan_window_get_composer (window))));

  send_composed ("Dropped");
  wait_until (bob_has_offer, (gpointer) "Dropped", "bob to receive the dropped files");
  record = bob_offered_file (0);
  g_assert_cmpstr (record->name, ==, "notes.txt");
  g_assert_cmpuint (record->size, ==, strlen ("drop me\n"));
  g_assert_false (lan_offer_file_is_folder (record));
  record = bob_offered_file (1);
  g_assert_cmpstr (record->name, ==, "photos");
  g_assert_true (lan_offer_file_is_folder (record));
}

/* ---- paste -------------------------------------------------------------- */

/* Ctrl+V of files copied in a file manager: chips, not their names as text. */
static void
test_paste_files (void)
{
  LanWindow *window = get_window ();
  GtkWidget *composer = GTK_WIDGET (lan_window_get_composer (window));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (composer);
  g_autoptr(GFile) minutes = outbox_file ("minutes.txt", "1. Paste\n");
  GdkFileList *list = gdk_file_list_new_from_array (&minutes, 1);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (composer));

  ensure_bob ();
  lan_window_open_conversation (window, BOB_KEY);
  gtk_text_buffer_set_text (buffer, "", -1);

  /* Text pastes as text: the attachments leave it alone. */
  gdk_clipboard_set_text (clipboard, "words, not files");
  g_assert_true (gtk_widget_activate_action (composer, "clipboard.paste", NULL));
  wait_until (buffer_has_text, (gpointer) "words, not files", "the pasted text in the composer");
  g_assert_cmpuint (count_chips (), ==, 0);
  gtk_text_buffer_set_text (buffer, "", -1);

  gdk_clipboard_set (clipboard, GDK_TYPE_FILE_LIST, list);
  g_boxed_free (GDK_TYPE_FILE_LIST, list);
  g_assert_true (gtk_widget_activate_action (composer, "clipboard.paste", NULL));
  wait_until (chips_are, GUINT_TO_POINTER (1), "a chip for the pasted file");
  g_assert_true (buffer_has_text (""));

  send_composed ("Pasted file");
  wait_until (bob_has_offer, (gpointer) "Pasted file", "bob to receive the pasted file");
  g_assert_cmpstr (bob_offered_file (0)->name, ==, "minutes.txt");
}

/* A screenshot pasted goes out as a PNG of it, which bob can fetch and read. */
static void
test_paste_picture (void)
{
  LanWindow *window = get_window ();
  GtkWidget *composer = GTK_WIDGET (lan_window_get_composer (window));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (composer);
  const int width = 64, height = 48;
  g_autofree guchar *pixels = g_malloc0 ((gsize) width * height * 4);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) picture = NULL;
  g_autoptr(GdkTexture) fetched = NULL;
  g_autofree char *bob_folder = g_build_filename (data_home, "bob-downloads", NULL);
  g_autoptr(GFile) into = g_file_new_for_path (bob_folder);
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;
  LanIpmsgFile *record;

  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      pixels[i * 4] = 200;
      pixels[i * 4 + 2] = (guchar) i;
      pixels[i * 4 + 3] = 255;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&pixels), (gsize) width * height * 4);
  picture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, bytes, (gsize) width * 4);

  ensure_bob ();
  lan_window_open_conversation (window, BOB_KEY);
  gdk_clipboard_set_texture (clipboard, picture);
  g_assert_true (gtk_widget_activate_action (composer, "clipboard.paste", NULL));
  wait_until (chips_are, GUINT_TO_POINTER (1), "a chip for the pasted picture");

  send_composed ("A screenshot");
  wait_until (bob_has_offer, (gpointer) "A screenshot", "bob to receive the picture");
  record = bob_offered_file (0);
  g_assert_true (g_str_has_prefix (record->name, "Pasted picture "));
  g_assert_true (g_str_has_suffix (record->name, ".png"));
  g_assert_cmpuint (record->size, >, 0);

  g_assert_cmpint (g_mkdir_with_parents (bob_folder, 0700), ==, 0);
  transfer = lan_messenger_fetch_file (bob, last_message (lan_messenger_get_conversation (bob, APP_KEY)),
                                       record->file_id, into, NULL, &error);
  g_assert_no_error (error);
  wait_until (transfer_ended, transfer, "bob's fetch of the picture");
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  fetched = gdk_texture_new_from_file (lan_file_transfer_get_file (transfer), &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (fetched), ==, width);
  g_assert_cmpint (gdk_texture_get_height (fetched), ==, height);
}

/* ---- notifications ------------------------------------------------------ */

static gboolean
window_is_active (gpointer data)
{
  return gtk_window_is_active (GTK_WINDOW (get_window ())) == GPOINTER_TO_INT (data);
}

static gboolean
notifications_are (gpointer data)
{
  return notifications->len == GPOINTER_TO_UINT (data);
}

static gboolean
withdrawn_has (gpointer data)
{
  for (guint i = 0; i < withdrawn->len; i++)
    if (g_str_equal (g_ptr_array_index (withdrawn, i), data))
      return TRUE;
  return FALSE;
}

/* Bob offers @name with @text; returns once the app has it. */
static void
offer_from_bob (const char *name,
                const char *text)
{
  g_autoptr(GFile) file = outbox_file (name, "offered by bob\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) sent = NULL;

  sent = lan_messenger_send_files (bob, lan_peer_list_lookup (lan_messenger_get_peers (bob), APP_KEY),
                                   text, &file, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sent);
  wait_until (app_has_offer, (gpointer) text, "the app to receive bob's offer");
}

static gboolean
no_window (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

static gboolean
window_shows_bob (gpointer data)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  return windows != NULL && gtk_widget_get_mapped (windows->data) &&
         lan_window_get_conversation (windows->data) == bob_conversation ();
}

/* The window closed, Lanchat still running: the offer is notified, and the
 * notification opens a window on bob's conversation. */
static void
test_notify_offer_in_background (void)
{
  g_autofree char *size = g_format_size (strlen ("offered by bob\n"));
  g_autofree char *body = g_strdup_printf ("Offers report.odt (%s)\nFor Monday\u2026 <b>not</b> markup", size);
  Notification *notification;
  const char *action;

  ensure_bob ();
  g_settings_set_boolean (lan_application_get_settings (app), "notifications", TRUE);
  gtk_window_close (GTK_WINDOW (get_window ()));
  wait_until (no_window, NULL, "the window to be closed");

  offer_from_bob ("report.odt", "For Monday\u2026 <b>not</b> markup");
  wait_until (notifications_are, GUINT_TO_POINTER (1), "a notification of the offer");
  notification = g_ptr_array_index (notifications, 0);
  /* Who, and what: the files and the words, as text. */
  g_assert_cmpstr (notification->title, ==, BOB_NICKNAME);
  g_assert_cmpstr (notification->body, ==, body);
  g_assert_nonnull (notification->action);
  g_assert_true (g_str_has_prefix (notification->action, "app."));
  g_assert_nonnull (notification->target);
  g_assert_cmpstr (g_variant_get_string (notification->target, NULL), ==, BOB_KEY);

  /* Clicked: a window on the conversation with bob, and the notification goes. */
  action = notification->action + strlen ("app.");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), action));
  g_action_group_activate_action (G_ACTION_GROUP (app), action, notification->target);
  wait_until (window_shows_bob, NULL, "a window on the conversation with bob");
  wait_until (withdrawn_has, notification->id, "the notification to be withdrawn");
}

/* In front: the offer shows in the window, no notification on top. */
static void
test_no_notification_when_active (void)
{
  LanWindow *window = get_window ();
  guint before;

  ensure_bob ();
  g_settings_set_boolean (lan_application_get_settings (app), "notifications", TRUE);
  gtk_window_present (GTK_WINDOW (window));
  wait_until (window_is_active, GINT_TO_POINTER (TRUE), "the window to be in front");
  flush_bus ();
  before = notifications->len;

  offer_from_bob ("slides.pdf", "While you look");
  flush_bus ();
  g_assert_cmpuint (notifications->len, ==, before);

  /* The control: open but behind another program's window, it is notified. */
  {
    GtkWidget *elsewhere = gtk_window_new ();
    Notification *notification;

    gtk_window_set_title (GTK_WINDOW (elsewhere), "Another program");
    gtk_window_present (GTK_WINDOW (elsewhere));
    wait_until (window_is_active, GINT_TO_POINTER (FALSE), "the window to be in the background");
    offer_from_bob ("slides2.pdf", "While you were away");
    wait_until (notifications_are, GUINT_TO_POINTER (before + 1), "a notification of the offer");
    notification = g_ptr_array_index (notifications, before);
    g_assert_cmpstr (notification->title, ==, BOB_NICKNAME);
    g_assert_true (g_str_has_prefix (notification->body, "Offers slides2.pdf ("));
    g_assert_true (g_str_has_suffix (notification->body, ")\nWhile you were away"));
    gtk_window_destroy (GTK_WINDOW (elsewhere));
  }
  g_settings_set_boolean (lan_application_get_settings (app), "notifications", FALSE);
}

/* ---- after a restart --------------------------------------------------- */

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
row_has_thumbnail (gpointer row)
{
  return lan_offer_file_row_has_thumbnail (row);
}

static gboolean
is_null (gpointer pointer)
{
  return *(gpointer *) pointer == NULL;
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
      guchar *pixels = g_malloc (64 * 48 * 4);

      /* A dusk sky, for the screenshot. */
      for (int y = 0; y < 48; y++)
        for (int x = 0; x < 64; x++)
          {
            guchar *p = pixels + (y * 64 + x) * 4;

            p[0] = 40 + y * 4;
            p[1] = 60 + x;
            p[2] = 200 - y * 2;
            p[3] = 255;
          }
      bytes = g_bytes_new_take (pixels, 64 * 48 * 4);
      texture = gdk_memory_texture_new (64, 48, GDK_MEMORY_R8G8B8A8, bytes, 64 * 4);
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

/* Bob offers three files; the app saves two of them over TCP (Save), one of
 * which is then deleted, and quits. Started again on the same data folder,
 * it shows the card from history: Open, Show in Folder and the thumbnail
 * for the file still where it was saved, Save for the deleted one and for
 * the one never saved, no Decline. Last: it restarts the app. */
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

void
window_files_attach_set_up (void)
{
  serve_notifications ();
}

void
window_files_attach_add_cases (void)
{
  g_test_add_func ("/window-files-attach/drop-file-and-folder", test_drop_file_and_folder);
  g_test_add_func ("/window-files-attach/paste-files", test_paste_files);
  g_test_add_func ("/window-files-attach/paste-picture", test_paste_picture);
  g_test_add_func ("/window-files-attach/notify-offer-in-background", test_notify_offer_in_background);
  g_test_add_func ("/window-files-attach/no-notification-when-active", test_no_notification_when_active);
  /* It restarts the app: nothing may come after it. */
  g_test_add_func ("/window-files-attach/saved-after-restart", test_saved_after_restart);
}

void
window_files_attach_tear_down (void)
{
  g_clear_pointer (&notifications, g_ptr_array_unref);
  g_clear_pointer (&withdrawn, g_ptr_array_unref);
}

/* test-window.c — the app's window driven against a second engine.
 *
 * Runs under run-ui-test.sh: loopback-only network namespace, Xvfb, a
 * private session bus, GSETTINGS_BACKEND=memory. The app's messenger
 * listens on 127.0.0.2 and a second LanMessenger in this process ("bob")
 * on 127.0.0.3, each with the other as extra target, both on port 2425.
 *
 * The cases run in order (GTest groups them by path prefix, then in the
 * order added) and share the app, as a person would use it:
 * they each bring the state they need (ensure_bob) so one can also be run
 * alone with -p. No sleeps: the main context is iterated until a condition
 * holds, with a deadline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "lan-application.h"
#include "lan-ipmsg.h"
#include "lan-log-format.h"
#include "lan-log-pane.h"
#include "lan-message-row.h"
#include "lan-packet-fields.h"
#include "lan-packet-filter.h"
#include "lan-packet-inspector.h"
#include "lan-peer-row.h"
#include "lan-preferences-window.h"
#include "lan-window.h"

#include "ui-test-support.h"

/* A stranger who sends the app garbage. */
#define MALLORY_ADDRESS "127.0.0.4"
#define BOB_NICKNAME  "<b>bold</b> &amp;"

static LanApplication *app;
static LanMessenger *bob;
static char *data_home;

static LanWindow *
get_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));
      window = windows ? windows->data : NULL;
    }
  g_assert_true (LAN_IS_WINDOW (window));
  return LAN_WINDOW (window);
}

static LanMessenger *
app_messenger (void)
{
  return lan_application_get_messenger (app);
}

static LanMessageRow *
find_message_row (LanMessage *message)
{
  GtkWidget *list = lan_window_get_message_list_view (get_window ());

  return (LanMessageRow *) find_widget (list, is_row_of_message, message);
}

static void
ensure_bob (void)
{
  g_autoptr(GError) error = NULL;

  if (bob == NULL)
    bob = bob_new (BOB_NICKNAME, "QA");

  if (!lan_messenger_get_running (bob))
    {
      lan_messenger_start (bob, &error);
      g_assert_no_error (error);
    }

  wait_acquainted (app_messenger (), bob, BOB_NICKNAME, "bob");
}

static LanPeer *
bob_as_seen_by_app (void)
{
  LanPeer *peer = lan_peer_list_lookup (lan_messenger_get_peers (app_messenger ()), BOB_KEY);

  g_assert_nonnull (peer);
  return peer;
}

static void
set_composer_text (const char *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (lan_window_get_composer (get_window ()));

  gtk_text_buffer_set_text (buffer, text, -1);
}

static char *
dup_composer_text (void)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (lan_window_get_composer (get_window ()));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* ---- cases ---------------------------------------------------------- */

static void
test_window_opens (void)
{
  LanWindow *window;
  g_autofree char *listen = NULL;
  const char *page;

  wait_until (app_window_is_mapped, app, "the window to be mapped");
  window = get_window ();

  g_object_get (app_messenger (), "listen-address", &listen, NULL);
  g_assert_cmpstr (listen, ==, APP_ADDRESS ":2425");

  /* Nobody yet: a page that explains what to check, not an empty list. */
  page = lan_window_get_page (window);
  if (bob == NULL || !lan_messenger_get_running (bob))
    g_assert_true (g_str_equal (page, "empty") || g_str_equal (page, "no-network"));

  g_assert_nonnull (find_widget (GTK_WIDGET (window), is_label_with_text, "Everyone"));

  wait_frames (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "no-peers.png");
}

static gboolean
window_shows_label (gpointer data)
{
  return find_widget (GTK_WIDGET (get_window ()), is_label_with_text, data) != NULL;
}

static gboolean
has_accel (const char *action,
           const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  return accels != NULL && g_strv_contains ((const char * const *) accels, accel);
}

static gboolean
is_about_window (GtkWidget *widget,
                 gpointer   data)
{
  return ADW_IS_ABOUT_WINDOW (widget);
}

/* The shortcuts window is picked up from the resource path, the keys the
 * brief names are bound, and About opens. */
static void
test_shortcuts_and_about (void)
{
  LanWindow *window = get_window ();
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *about = NULL;

  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (has_accel ("win.show-log", "<Control>l"));
  g_assert_true (has_accel ("win.refresh", "<Control>r"));
  g_assert_true (has_accel ("win.focus-search", "<Control>f"));
  g_assert_true (has_accel ("app.preferences", "<Control>comma"));
  g_assert_true (has_accel ("app.quit", "<Control>q"));

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && about == NULL; i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      about = find_widget (toplevel, is_about_window, NULL);
    }
  g_assert_nonnull (about);
  gtk_window_destroy (GTK_WINDOW (about));
}

static gboolean
page_is (gpointer data)
{
  return g_str_equal (lan_window_get_page (get_window ()), data);
}

static gboolean
page_is_not (gpointer data)
{
  return !page_is (data);
}

static void
test_port_in_use (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) blocker = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *title = NULL;
  LanWindow *window = get_window ();

  /* Someone else takes our address and port while we are away. */
  lan_messenger_stop (app_messenger ());
  blocker = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                          G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new_from_string (APP_ADDRESS, TEST_PORT);
  g_assert_true (g_socket_bind (blocker, address, FALSE, &error));
  g_assert_no_error (error);

  g_assert_false (lan_application_restart_messenger (app));
  g_assert_error (lan_application_get_start_error (app), G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  wait_until (page_is, "port-in-use", "the port-in-use page");

  /* The page names the port and offers it for change. */
  title = g_strdup_printf ("Port %u Is Already in Use", TEST_PORT);
  wait_until (window_shows_label, title, title);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (lan_window_get_port_spin (window)), ==, TEST_PORT);
  wait_frames (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "port-in-use.png");

  /* The other program goes; Retry on the same port recovers. */
  g_socket_close (blocker, &error);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.retry-start", NULL);
  wait_until (messenger_is_running, app_messenger (), "the messenger to run again");
  wait_until (page_is_not, "port-in-use", "the port-in-use page to go");
  g_assert_null (lan_application_get_start_error (app));
}

static gboolean
is_peer_row_label (GtkWidget *widget,
                   gpointer   data)
{
  return is_label_with_text (widget, data) &&
         gtk_widget_get_ancestor (widget, LAN_TYPE_PEER_ROW) != NULL;
}

static gboolean
sidebar_shows_bob (gpointer data)
{
  GtkWidget *list = lan_window_get_peer_list_view (get_window ());

  return find_widget (list, is_peer_row_label, (gpointer) BOB_NICKNAME) != NULL;
}

static void
test_markup_nickname_shown_verbatim (void)
{
  GtkWidget *label;
  PangoLayout *layout;

  ensure_bob ();
  wait_until (sidebar_shows_bob, NULL, "bob in the sidebar");

  label = find_widget (lan_window_get_peer_list_view (get_window ()),
                       is_peer_row_label, (gpointer) BOB_NICKNAME);
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (label)));
  /* What is laid out, i.e. drawn, is every character as sent. */
  layout = gtk_label_get_layout (GTK_LABEL (label));
  g_assert_cmpstr (pango_layout_get_text (layout), ==, BOB_NICKNAME);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, BOB_NICKNAME);

  g_assert_cmpstr (lan_window_get_page (get_window ()), ==, "conversation");
}

typedef struct {
  LanMessage *message;
  LanMessageState state;
} StateWait;

static gboolean
message_in_state (gpointer data)
{
  StateWait *wait = data;

  if (g_test_verbose ())
    g_test_message ("message %s: %s (%s)", lan_message_get_text (wait->message),
                    lan_message_state_to_string (lan_message_get_state (wait->message)),
                    lan_message_get_error (wait->message));
  return lan_message_get_state (wait->message) == wait->state;
}

static gboolean
row_says (gpointer data)
{
  StateWait *wait = data;
  LanMessageRow *row = find_message_row (wait->message);

  return row != NULL && gtk_widget_get_mapped (GTK_WIDGET (row)) &&
         g_strcmp0 (lan_message_row_get_state_text (row), "Delivered") == 0;
}

static gboolean
bob_has_text (gpointer data)
{
  LanConversation *conversation = lan_messenger_get_conversation (bob, APP_KEY);
  LanMessage *message = last_message (conversation);

  return message != NULL && g_strcmp0 (lan_message_get_text (message), data) == 0;
}

static void
test_send_delivered (void)
{
  LanWindow *window;
  LanConversation *conversation;
  LanMessage *message;
  g_autofree char *left = NULL;
  g_autofree char *history = NULL;
  StateWait wait;
  guint before;

  ensure_bob ();
  window = get_window ();
  lan_window_open_conversation (window, BOB_KEY);
  conversation = lan_window_get_conversation (window);
  g_assert_true (conversation == lan_messenger_get_conversation (app_messenger (), BOB_KEY));
  before = g_list_model_get_n_items (G_LIST_MODEL (conversation));

  set_composer_text ("Hi! Lunch at noon? The café downstairs?");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);

  left = dup_composer_text ();
  g_assert_cmpstr (left, ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, before + 1);

  message = last_message (conversation);
  g_assert_cmpint (lan_message_get_direction (message), ==, LAN_DIRECTION_OUT);
  g_assert_cmpstr (lan_message_get_text (message), ==, "Hi! Lunch at noon? The café downstairs?");

  wait.message = message;
  wait.state = LAN_MESSAGE_DELIVERED;
  wait_until (message_in_state, &wait, "the message to be delivered");
  wait_until (row_says, &wait, "its bubble to say Delivered");
  wait_until (bob_has_text, (gpointer) "Hi! Lunch at noon? The café downstairs?", "bob to receive it");

  /* The app keeps its history where the person's data lives. */
  history = g_build_filename (data_home, "lanchat", "history.sqlite", NULL);
  g_assert_true (g_file_test (history, G_FILE_TEST_IS_REGULAR));
}

typedef struct {
  LanConversation *conversation;
  const char *text;
  LanMessage *found;
} TextWait;

static gboolean
conversation_has_text (gpointer data)
{
  TextWait *wait = data;
  LanMessage *message = last_message (wait->conversation);

  if (message != NULL && g_strcmp0 (lan_message_get_text (message), wait->text) == 0)
    wait->found = message;
  return wait->found != NULL;
}

typedef struct {
  LanLogPane *pane;
  guint64 packet_no;
} LogWait;

static gboolean
log_shows_sendmsg (gpointer data)
{
  LogWait *wait = data;
  GListModel *model = lan_log_pane_get_model (wait->pane);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (model, i);
      g_autofree char *remote = lan_endpoint_to_string (lan_packet_log_entry_get_remote (entry));

      if (lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN &&
          g_str_equal (remote, BOB_KEY) &&
          g_strcmp0 (lan_packet_log_entry_get_command_name (entry), "SENDMSG") == 0 &&
          lan_packet_log_entry_get_packet_no (entry) == wait->packet_no)
        return TRUE;
    }
  return FALSE;
}

static gboolean
row_of_found_exists (gpointer data)
{
  TextWait *wait = data;
  LanMessageRow *row = find_message_row (wait->found);

  return row != NULL && gtk_widget_get_mapped (GTK_WIDGET (row));
}

static void
test_receive_lands_in_conversation (void)
{
  LanWindow *window;
  LanPeer *app_as_seen_by_bob;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) sent = NULL;
  LanConversation *everyone;
  TextWait wait = { 0 };
  LogWait log_wait = { 0 };
  guint everyone_before;
  const char *text = "Sure. Meet at the door at 12:00.\nSecond line.";

  ensure_bob ();
  window = get_window ();

  /* Looking at Everyone while bob writes to us directly. */
  lan_window_open_conversation (window, "");
  everyone = lan_messenger_get_broadcast_conversation (app_messenger ());
  g_assert_true (lan_window_get_conversation (window) == everyone);
  everyone_before = g_list_model_get_n_items (G_LIST_MODEL (everyone));

  app_as_seen_by_bob = lan_peer_list_lookup (lan_messenger_get_peers (bob), APP_KEY);
  g_assert_nonnull (app_as_seen_by_bob);
  sent = lan_messenger_send (bob, app_as_seen_by_bob, text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sent);

  wait.conversation = lan_messenger_get_conversation (app_messenger (), BOB_KEY);
  wait.text = text;
  wait_until (conversation_has_text, &wait, "the message in bob's conversation");
  g_assert_cmpint (lan_message_get_direction (wait.found), ==, LAN_DIRECTION_IN);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (everyone)), ==, everyone_before);
  g_assert_cmpuint (lan_message_get_packet_no (wait.found), ==, lan_message_get_packet_no (sent));

  /* And in the packet log, with the same packet number. */
  log_wait.pane = lan_window_get_log_pane (window);
  log_wait.packet_no = lan_message_get_packet_no (sent);
  wait_until (log_shows_sendmsg, &log_wait, "the SENDMSG in the log pane");

  /* Opening the conversation shows it as a bubble. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-conversation",
                                  g_variant_new_string (BOB_KEY));
  g_assert_true (lan_window_get_conversation (window) == wait.conversation);
  wait_until (row_of_found_exists, &wait, "the received bubble");
}

static gboolean
bob_has_broadcast (gpointer data)
{
  LanMessage *message = last_message (lan_messenger_get_conversation (bob, APP_KEY));

  return message != NULL && lan_message_get_broadcast (message) &&
         g_strcmp0 (lan_message_get_text (message), data) == 0;
}

static void
test_broadcast_to_everyone (void)
{
  LanWindow *window;
  LanConversation *everyone;
  LanMessage *message;
  LanMessageRow *row;
  const char *text = "Cake in the kitchen, everyone!";

  ensure_bob ();
  window = get_window ();
  lan_window_open_conversation (window, "");
  everyone = lan_messenger_get_broadcast_conversation (app_messenger ());
  g_assert_true (lan_window_get_conversation (window) == everyone);

  set_composer_text (text);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);

  message = last_message (everyone);
  g_assert_nonnull (message);
  g_assert_cmpstr (lan_message_get_text (message), ==, text);
  g_assert_cmpint (lan_message_get_state (message), ==, LAN_MESSAGE_SENT);
  wait_until (bob_has_broadcast, (gpointer) text, "bob to receive the broadcast");

  wait_frames (GTK_WIDGET (window));
  row = find_message_row (message);
  g_assert_nonnull (row);
  g_assert_cmpstr (lan_message_row_get_state_text (row), ==, "Sent to everyone");
}

static GtkEventController *
find_key_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      /* Ours is the one in the capture phase; the text view's own bubbles. */
      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        return controller;
    }
  return NULL;
}

static gboolean
press_key (guint           keyval,
           GdkModifierType state)
{
  GtkEventController *controller = find_key_controller (GTK_WIDGET (lan_window_get_composer (get_window ())));
  gboolean handled = FALSE;

  g_assert_nonnull (controller);
  g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
  return handled;
}

/* Enter sends; Shift+Enter is left to the text view, which starts a line. */
static void
test_enter_sends (void)
{
  LanWindow *window;
  LanConversation *conversation;
  g_autofree char *left = NULL;
  StateWait wait;
  guint before;

  ensure_bob ();
  window = get_window ();
  lan_window_open_conversation (window, BOB_KEY);
  conversation = lan_window_get_conversation (window);
  before = g_list_model_get_n_items (G_LIST_MODEL (conversation));

  set_composer_text ("first line");
  g_assert_false (press_key (GDK_KEY_Return, GDK_SHIFT_MASK));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, before);

  g_assert_true (press_key (GDK_KEY_Return, 0));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, before + 1);
  g_assert_cmpstr (lan_message_get_text (last_message (conversation)), ==, "first line");
  left = dup_composer_text ();
  g_assert_cmpstr (left, ==, "");

  /* Nothing to send: Enter does nothing. */
  g_assert_true (press_key (GDK_KEY_KP_Enter, 0));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, before + 1);

  /* Settled before the next case changes the network under it. */
  wait.message = last_message (conversation);
  wait.state = LAN_MESSAGE_DELIVERED;
  wait_until (message_in_state, &wait, "the message to be delivered");
}

static void
test_too_long_not_sent (void)
{
  LanWindow *window;
  LanConversation *conversation;
  g_autofree char *text = NULL;
  g_autofree char *left = NULL;
  guint before;
  gsize max;

  ensure_bob ();
  window = get_window ();
  lan_window_open_conversation (window, BOB_KEY);
  conversation = lan_window_get_conversation (window);
  before = g_list_model_get_n_items (G_LIST_MODEL (conversation));

  max = lan_messenger_max_text_bytes (app_messenger (), bob_as_seen_by_app ());
  text = g_strnfill (max + 1, 'x');
  set_composer_text (text);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);

  /* Said, not sent, not cut. */
  g_assert_nonnull (lan_window_get_composer_error (window));
  g_assert_nonnull (strstr (lan_window_get_composer_error (window), "Too long"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, before);
  left = dup_composer_text ();
  g_assert_cmpstr (left, ==, text);

  set_composer_text ("");
  g_assert_null (lan_window_get_composer_error (window));
}

static gboolean
is_visible_button (GtkWidget *widget,
                   gpointer   data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         gtk_widget_has_css_class (widget, data);
}

typedef struct {
  LanMessage *message;
  const char *css_class;
} ButtonWait;

static gboolean
button_shown (gpointer data)
{
  ButtonWait *wait = data;
  LanMessageRow *row = find_message_row (wait->message);

  return row != NULL &&
         find_widget (GTK_WIDGET (row), is_visible_button, (gpointer) wait->css_class) != NULL;
}

static void
click_button_of (LanMessage *message,
                 const char *css_class)
{
  ButtonWait wait = { message, css_class };
  GtkWidget *button;

  wait_until (button_shown, &wait, css_class);
  button = find_widget (GTK_WIDGET (find_message_row (message)), is_visible_button, (gpointer) css_class);
  g_signal_emit_by_name (button, "clicked");
}

/* Bob hears nothing for a while; we give up quickly. With history on, the
 * messenger keeps the message in its outbox (queued) rather than failing. */
static LanMessage *
send_unheard (const char *text)
{
  LanConversation *conversation = lan_window_get_conversation (get_window ());
  StateWait wait;

  g_object_set (bob, "simulated-loss", 1.0, NULL);
  g_object_set (app_messenger (), "retry-initial-ms", 100, "retry-budget-ms", 600, NULL);

  set_composer_text (text);
  gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.send", NULL);
  wait.message = last_message (conversation);
  wait.state = LAN_MESSAGE_QUEUED;
  wait_until (message_in_state, &wait, "the message to be queued");
  return wait.message;
}

static void
hear_again (void)
{
  g_object_set (bob, "simulated-loss", 0.0, NULL);
  g_object_set (app_messenger (), "retry-initial-ms", 500, "retry-budget-ms", 30000, NULL);
}

static void
test_queued_then_retry (void)
{
  LanWindow *window;
  LanMessageRow *row;
  StateWait wait;
  ButtonWait buttons;

  ensure_bob ();
  window = get_window ();
  lan_window_open_conversation (window, BOB_KEY);

  wait.message = send_unheard ("Are you there?");
  buttons.message = wait.message;
  buttons.css_class = "retry-button";
  wait_until (button_shown, &buttons, "Retry on the queued bubble");
  buttons.css_class = "cancel-button";
  wait_until (button_shown, &buttons, "Cancel on the queued bubble");
  row = find_message_row (wait.message);
  g_assert_cmpstr (lan_message_row_get_state_text (row), ==, "Waiting for them to come back");
  wait_frames (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "queued-message.png");

  /* Bob is back; the person clicks Retry. */
  hear_again ();
  click_button_of (wait.message, "retry-button");
  wait.state = LAN_MESSAGE_DELIVERED;
  wait_until (message_in_state, &wait, "the retried message to be delivered");
  wait_until (row_says, &wait, "its bubble to say Delivered");
}

static void
test_cancel_then_retry (void)
{
  LanWindow *window;
  StateWait wait;

  ensure_bob ();
  window = get_window ();
  lan_window_open_conversation (window, BOB_KEY);

  /* Cancelled: it ends failed and can still be sent by hand. */
  wait.message = send_unheard ("Never mind");
  click_button_of (wait.message, "cancel-button");
  wait.state = LAN_MESSAGE_FAILED;
  wait_until (message_in_state, &wait, "the cancelled message to fail");
  g_assert_cmpstr (lan_message_row_get_state_text (find_message_row (wait.message)), ==, "Not delivered");

  hear_again ();
  click_button_of (wait.message, "retry-button");
  wait.state = LAN_MESSAGE_DELIVERED;
  wait_until (message_in_state, &wait, "the retried message to be delivered");
}

static gboolean
log_pane_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (lan_window_get_log_pane (get_window ())));
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

  /* Clear empties the log itself. */
  gtk_widget_activate_action (GTK_WIDGET (pane), "log.clear", NULL);
  lan_packet_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-log", NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (pane)));
}


/* ---- the log: filter, inspector, links, export, counters ------------ */

static LanLogPane *
show_log (void)
{
  LanWindow *window = get_window ();

  g_object_set (window, "log-visible", TRUE, NULL);
  wait_until (log_pane_mapped, NULL, "the log pane");
  return lan_window_get_log_pane (window);
}

typedef struct {
  LanLogPane *pane;
  guint expected;
} CountWait;

static gboolean
filter_done_with (gpointer data)
{
  CountWait *wait = data;
  GListModel *model = lan_log_pane_get_model (wait->pane);

  lan_packet_log_flush (lan_messenger_get_packet_log (app_messenger ()));
  return gtk_filter_list_model_get_pending (GTK_FILTER_LIST_MODEL (model)) == 0 &&
         g_list_model_get_n_items (model) == wait->expected;
}

/* Rows of the whole log @query matches, by the core's own matcher. */
static guint
count_matching (const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanPacketFilter) filter = lan_packet_filter_new (query, NULL, NULL, &error);
  GListModel *log = G_LIST_MODEL (lan_messenger_get_packet_log (app_messenger ()));
  guint count = 0;

  g_assert_no_error (error);
  lan_packet_filter_set_peers (filter, lan_messenger_get_peers (app_messenger ()));
  lan_packet_log_flush (LAN_PACKET_LOG (log));
  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (log, i);

      if (lan_packet_filter_match (filter, entry))
        count++;
    }
  return count;
}

static gboolean
log_has_verdict_from (gpointer data)
{
  GListModel *log = G_LIST_MODEL (lan_messenger_get_packet_log (app_messenger ()));

  for (guint i = g_list_model_get_n_items (log); i > 0; i--)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (log, i - 1);
      g_autofree char *remote = lan_endpoint_to_string (lan_packet_log_entry_get_remote (entry));

      if (lan_packet_log_entry_get_verdict (entry) == LAN_VERDICT_MALFORMED &&
          g_str_has_prefix (remote, data))
        return TRUE;
    }
  return FALSE;
}

/* A datagram the codec rejects, from an address that is no peer. */
static void
send_garbage_from_mallory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, &error);
  g_autoptr(GSocketAddress) from = g_inet_socket_address_new_from_string (MALLORY_ADDRESS, 0);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new_from_string (APP_ADDRESS, TEST_PORT);
  static const char garbage[] = "2:not ipmsg at all";

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, from, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_socket_send_to (socket, to, garbage, sizeof garbage - 1, NULL, &error), ==,
                   sizeof garbage - 1);
  g_assert_no_error (error);
  wait_until (log_has_verdict_from, (gpointer) MALLORY_ADDRESS ":", "mallory's malformed datagram in the log");
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

static gboolean
is_row_of_peer (GtkWidget *widget,
                gpointer   data)
{
  return LAN_IS_PEER_ROW (widget) && lan_peer_row_get_peer (LAN_PEER_ROW (widget)) == data;
}

/* The sidebar's "Show Packets" opens the log filtered to that peer. */
static void
test_log_show_peer_packets (void)
{
  LanWindow *window;
  LanLogPane *pane;
  GtkWidget *row;
  GtkWidget *menu;
  GMenuModel *menu_model;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *action = NULL;
  CountWait wait = { 0 };
  gboolean log_visible = TRUE;

  ensure_bob ();
  window = get_window ();
  g_object_set (window, "log-visible", FALSE, NULL);
  if (!log_has_verdict_from ((gpointer) MALLORY_ADDRESS ":"))
    send_garbage_from_mallory ();
  wait_until (sidebar_shows_bob, NULL, "bob in the sidebar");

  row = find_widget (lan_window_get_peer_list_view (window), is_row_of_peer, bob_as_seen_by_app ());
  g_assert_nonnull (row);
  lan_peer_row_popup_context_menu (LAN_PEER_ROW (row));
  menu = lan_peer_row_get_context_menu (LAN_PEER_ROW (row));
  g_assert_true (GTK_IS_POPOVER_MENU (menu));
  menu_model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu));
  g_assert_cmpint (g_menu_model_get_n_items (menu_model), ==, 2);
  {
    g_autofree char *delete_action = NULL;
    g_autoptr(GVariant) delete_target = NULL;

    g_assert_true (g_menu_model_get_item_attribute (menu_model, 1, G_MENU_ATTRIBUTE_ACTION, "s", &delete_action));
    g_assert_cmpstr (delete_action, ==, "win.delete-conversation");
    delete_target = g_menu_model_get_item_attribute_value (menu_model, 1, G_MENU_ATTRIBUTE_TARGET,
                                                           G_VARIANT_TYPE_STRING);
    g_assert_cmpstr (g_variant_get_string (delete_target, NULL), ==,
                     lan_peer_get_key (bob_as_seen_by_app ()));
  }
  g_assert_true (g_menu_model_get_item_attribute (menu_model, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  g_assert_cmpstr (action, ==, "win.show-peer-packets");
  target = g_menu_model_get_item_attribute_value (menu_model, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
  g_assert_cmpstr (g_variant_get_string (target, NULL), ==, BOB_ADDRESS);
  gtk_popover_popdown (GTK_POPOVER (menu));

  /* What the menu item does, from where it sits. */
  gtk_widget_activate_action_variant (row, action, target);

  g_object_get (window, "log-visible", &log_visible, NULL);
  g_assert_true (log_visible);
  pane = lan_window_get_log_pane (window);
  g_assert_cmpstr (lan_log_pane_get_filter_text (pane), ==, "peer:" BOB_ADDRESS);
  g_assert_null (lan_log_pane_get_filter_error (pane));
  wait.pane = pane;
  wait.expected = count_matching ("peer:" BOB_ADDRESS);
  wait_until (filter_done_with, &wait, "the log filtered to bob");
  /* Mallory's garbage is not bob's. */
  g_assert_cmpuint (wait.expected, <,
                    g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_packet_log (app_messenger ()))));
  g_assert_cmpuint (wait.expected, >, 0);
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
  const LanPacketField *field = lan_packet_fields_lookup (lan_packet_inspector_get_fields (inspector), key);
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
message_is_delivered (gpointer data)
{
  return lan_message_get_state (data) == LAN_MESSAGE_DELIVERED;
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
  const LanPacketField *flag;
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
  g_assert_nonnull (lan_packet_fields_lookup (fields, "version"));
  g_assert_nonnull (lan_packet_fields_lookup (fields, "user"));
  g_assert_nonnull (lan_packet_fields_lookup (fields, "host"));
  flag = lan_packet_fields_lookup (fields, "flag:SENDCHECKOPT");
  g_assert_nonnull (flag);
  g_assert_cmpstr (flag->name, ==, "SENDCHECKOPT");
  {
    g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, packet_no);
    g_assert_cmpstr (lan_packet_fields_lookup (fields, "packet-no")->value, ==, number);
  }
  g_assert_cmpstr (lan_packet_fields_lookup (fields, "section:0")->value, ==, "Inspect me, please");

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
  GError *error;
} ExportWait;

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ExportWait *wait = user_data;

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

static guint
count_lines (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint count = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      count++;
  return count;
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

static void
test_screenshot_main_window (void)
{
  LanWindow *window;

  ensure_bob ();
  window = get_window ();
  lan_window_open_conversation (window, BOB_KEY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lan_window_get_conversation (window))), >, 0);

  wait_frames (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "main-window.png");
}

static gboolean
is_entry_row_titled (GtkWidget *widget,
                     gpointer   data)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
is_text_view (GtkWidget *widget,
              gpointer   data)
{
  return GTK_IS_TEXT_VIEW (widget);
}

static gboolean
is_apply_button (GtkWidget *widget,
                 gpointer   data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Apply") == 0;
}

static gboolean
is_visible_error_label (GtkWidget *widget,
                        gpointer   data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
         gtk_widget_has_css_class (widget, "error") &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
bob_sees_nickname (gpointer data)
{
  LanPeer *peer = lan_peer_list_lookup (lan_messenger_get_peers (bob), APP_KEY);

  return peer != NULL && g_strcmp0 (lan_peer_get_nickname (peer), data) == 0;
}

/* Preferences apply at once: the nickname reaches the messenger and, by
 * its announcement, bob; an invalid target is refused with a message and
 * not stored. */
static void
test_preferences_apply (void)
{
  GSettings *settings = lan_application_get_settings (app);
  g_autofree char *nickname = NULL;
  g_auto(GStrv) targets = NULL;
  GtkWindow *preferences;
  GtkWidget *row, *targets_view, *apply;

  ensure_bob ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_preferences_window ();
  g_assert_nonnull (preferences);

  row = find_widget (GTK_WIDGET (preferences), is_entry_row_titled, (gpointer) "Nickname");
  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "Alice L.");
  g_signal_emit_by_name (row, "apply");

  nickname = g_settings_get_string (settings, "nickname");
  g_assert_cmpstr (nickname, ==, "Alice L.");
  g_clear_pointer (&nickname, g_free);
  g_object_get (app_messenger (), "nickname", &nickname, NULL);
  g_assert_cmpstr (nickname, ==, "Alice L.");
  wait_until (bob_sees_nickname, (gpointer) "Alice L.", "bob to see the new nickname");

  targets_view = find_widget (GTK_WIDGET (preferences), is_text_view, NULL);
  apply = find_widget (GTK_WIDGET (preferences), is_apply_button, NULL);
  g_assert_nonnull (targets_view);
  g_assert_nonnull (apply);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (targets_view)),
                            BOB_ADDRESS "\nnot-an-address", -1);
  /* "clicked" directly: activate() delays it for the pressed look. */
  g_signal_emit_by_name (apply, "clicked");
  g_assert_nonnull (find_widget (GTK_WIDGET (preferences), is_visible_error_label,
                                 (gpointer) "not-an-address"));
  targets = g_settings_get_strv (settings, "targets");
  g_assert_cmpuint (g_strv_length (targets), ==, 1);
  g_assert_cmpstr (targets[0], ==, BOB_ADDRESS);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "network");
  wait_frames (GTK_WIDGET (preferences));
  save_screenshot (GTK_WIDGET (preferences), "preferences-network.png");

  gtk_window_destroy (preferences);
  g_settings_set_string (settings, "nickname", "Alice");
  wait_until (bob_sees_nickname, (gpointer) "Alice", "bob to see the nickname again");
}

static gboolean
no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

/* Closing saves the size and tears the window down cleanly while the
 * messenger keeps running: the app, not the window, is on the network. */
static void
test_close_window (void)
{
  GSettings *settings = lan_application_get_settings (app);
  LanWindow *window = get_window ();

  g_settings_set_int (settings, "window-width", 1);
  gtk_window_close (GTK_WINDOW (window));
  wait_until (no_windows, NULL, "the window to close");

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), >, 1);
  g_assert_true (lan_messenger_get_running (app_messenger ()));
}

/* ---- setup ---------------------------------------------------------- */

static AdwMessageDialog *
find_message_dialog (void)
{
  /* Borrowed: GTK owns the list of toplevels. */
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
conversation_has_messages (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) > 0;
}

static gboolean
conversation_is_empty (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 0;
}

/* Delete Conversation asks first; Cancel keeps everything, Delete empties it. */
static void
test_delete_conversation (void)
{
  LanWindow *window;
  LanPeer *peer;
  LanConversation *conversation;
  g_autoptr(LanMessage) sent = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  ensure_bob ();
  window = get_window ();
  peer = bob_as_seen_by_app ();
  conversation = lan_messenger_get_conversation (app_messenger (), lan_peer_get_key (peer));
  sent = lan_messenger_send (app_messenger (), peer, "Soon to be forgotten", &error);
  g_assert_no_error (error);
  wait_until (conversation_has_messages, conversation, "a message in bob's conversation");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-conversation", "s", lan_peer_get_key (peer));
  wait_until (message_dialog_shown, NULL, "the delete confirmation");
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), >, 0);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-conversation", "s", lan_peer_get_key (peer));
  wait_until (message_dialog_shown, NULL, "the delete confirmation");
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (conversation_is_empty, conversation, "bob's conversation emptied");
}

/* Clear History empties every conversation, Everyone's included. */
static void
test_clear_history (void)
{
  LanPeer *peer;
  LanConversation *conversation;
  LanConversation *everyone;
  g_autoptr(LanMessage) sent = NULL;
  g_autoptr(LanMessage) broadcast = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  ensure_bob ();
  get_window ();
  peer = bob_as_seen_by_app ();
  conversation = lan_messenger_get_conversation (app_messenger (), lan_peer_get_key (peer));
  everyone = lan_messenger_get_broadcast_conversation (app_messenger ());
  sent = lan_messenger_send (app_messenger (), peer, "Also soon forgotten", &error);
  g_assert_no_error (error);
  broadcast = lan_messenger_send_broadcast (app_messenger (), "Hello all", &error);
  g_assert_no_error (error);
  wait_until (conversation_has_messages, conversation, "a message in bob's conversation");

  g_action_group_activate_action (G_ACTION_GROUP (g_application_get_default ()), "clear-history", NULL);
  wait_until (message_dialog_shown, NULL, "the clear confirmation");
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, "clear");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_until (conversation_is_empty, conversation, "bob's conversation emptied");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (everyone)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  data_home = make_data_home ();
  gtk_test_init (&argc, &argv, NULL);

  configure_settings ("Alice", "Dev");
  app = start_app ();

  g_test_add_func ("/ui/window/opens", test_window_opens);
  g_test_add_func ("/ui/window/port-in-use", test_port_in_use);
  g_test_add_func ("/ui/window/shortcuts-about", test_shortcuts_and_about);
  g_test_add_func ("/ui/sidebar/markup-nickname", test_markup_nickname_shown_verbatim);
  g_test_add_func ("/ui/conversation/send-delivered", test_send_delivered);
  g_test_add_func ("/ui/conversation/receive", test_receive_lands_in_conversation);
  g_test_add_func ("/ui/conversation/broadcast", test_broadcast_to_everyone);
  g_test_add_func ("/ui/conversation/enter-sends", test_enter_sends);
  g_test_add_func ("/ui/conversation/too-long", test_too_long_not_sent);
  g_test_add_func ("/ui/conversation/queued-retry", test_queued_then_retry);
  g_test_add_func ("/ui/conversation/cancel-retry", test_cancel_then_retry);
  g_test_add_func ("/ui/preferences/apply", test_preferences_apply);
  g_test_add_func ("/ui/screenshot/main-window", test_screenshot_main_window);
  g_test_add_func ("/ui/log/pane", test_log_pane);
  g_test_add_func ("/ui/log/filter", test_log_filter);
  g_test_add_func ("/ui/log/show-peer-packets", test_log_show_peer_packets);
  g_test_add_func ("/ui/log/inspector", test_log_inspector);
  g_test_add_func ("/ui/log/export", test_log_export);
  g_test_add_func ("/ui/log/counters", test_log_counters);
  g_test_add_func ("/ui/history/delete-conversation", test_delete_conversation);
  g_test_add_func ("/ui/history/clear", test_clear_history);
  g_test_add_func ("/ui/teardown/close-window", test_close_window);

  result = g_test_run ();

  finish (app, bob, data_home);

  return result;
}

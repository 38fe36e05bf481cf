/* test-window-conversation.c — a conversation, driven against a second engine.
 *
 * Sending (delivered, Enter, too long, queued, cancelled, retried),
 * receiving, broadcasting, and the screenshot of the main window.
 *
 * One of the test-window-*.c programs, each with an app, data folder and
 * bob of its own (ui-window-fixture.c); each case brings the state it
 * needs, so it also runs alone with -p.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-conversation"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "lan-application.h"
#include "lan-ipmsg.h"
#include "lan-log-format.h"
#include "lan-log-pane.h"
#include "lan-message-row.h"
#include "lan-ipmsg-dissect.h"
#include "lan-packet-filter.h"
#include "lan-packet-inspector.h"
#include "lan-peer-row.h"
#include "lan-preferences-window.h"
#include "lan-window.h"

#include "ui-test-support.h"
#include "ui-window-fixture.h"

static LanMessageRow *
find_message_row (LanMessage *message)
{
  GtkWidget *list = lan_window_get_message_list_view (get_window ());

  return (LanMessageRow *) find_widget (list, is_row_of_message, message);
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
conversation_has_messages (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) > 0;
}

static void
test_screenshot_main_window (void)
{
  LanWindow *window;
  LanConversation *conversation;

  ensure_bob ();
  window = get_window ();
  /* Run alone, there is nothing to show yet: a message of its own. */
  conversation = lan_messenger_get_conversation (app_messenger (), BOB_KEY);
  if (g_list_model_get_n_items (G_LIST_MODEL (conversation)) == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LanMessage) sent = lan_messenger_send (bob,
                                                       lan_peer_list_lookup (lan_messenger_get_peers (bob), APP_KEY),
                                                       "Lunch at noon?", &error);

      g_assert_no_error (error);
      wait_until (conversation_has_messages, conversation, "bob's message in his conversation");
    }
  lan_window_open_conversation (window, BOB_KEY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lan_window_get_conversation (window))), >, 0);

  wait_frames (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "main-window.png");
}

int
main (int   argc,
      char *argv[])
{
  window_fixture_set_up (&argc, &argv);

  g_test_add_func ("/ui/conversation/send-delivered", test_send_delivered);
  g_test_add_func ("/ui/conversation/receive", test_receive_lands_in_conversation);
  g_test_add_func ("/ui/conversation/broadcast", test_broadcast_to_everyone);
  g_test_add_func ("/ui/conversation/enter-sends", test_enter_sends);
  g_test_add_func ("/ui/conversation/too-long", test_too_long_not_sent);
  g_test_add_func ("/ui/conversation/queued-retry", test_queued_then_retry);
  g_test_add_func ("/ui/conversation/cancel-retry", test_cancel_then_retry);
  g_test_add_func ("/ui/screenshot/main-window", test_screenshot_main_window);

  return window_fixture_run ();
}

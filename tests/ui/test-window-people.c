/* test-window-people.c — known people: online first, then offline, with
 * what they said.
 *
 * The Carol case of issue 13: Carol (a second engine) sends the app two
 * messages and leaves (BR_EXIT). Her row stays, dimmed, with an unread
 * count of 2; selected, it shows her messages; written to, the message
 * waits in the outbox, visibly. Ctrl+F in a conversation searches its
 * history; across all conversations a Chinese substring finds her message
 * and opens it. Writes screenshots/sidebar-offline-people.png and
 * screenshots/search-result.png.
 *
 * One of the test-window-*.c programs (ui-window-fixture.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-people"

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "lan-application.h"
#include "lan-message-links.h"
#include "lan-message-row.h"
#include "lan-multicast-dialog.h"
#include "lan-message-search.h"
#include "lan-people.h"
#include "lan-peer-row.h"
#include "lan-window.h"

#include "ui-test-support.h"
#include "ui-window-fixture.h"

#define CAROL_ADDRESS  "127.0.0.5"
#define CAROL_KEY      CAROL_ADDRESS ":2425"
#define CAROL_IDENTITY "carol@carols-pc"
#define CAROL_FIRST    "你好世界! Are you there? It's Carol."
#define CAROL_SECOND   "Leaving now, read this later."

static LanMessenger *carol;

static gboolean
app_lists_carol (gpointer data)
{
  return lan_peer_list_lookup (lan_messenger_get_peers (app_messenger ()), CAROL_KEY) != NULL;
}

static gboolean
app_lost_carol (gpointer data)
{
  return !app_lists_carol (data);
}

static gboolean
carol_lists_app (gpointer data)
{
  return lan_peer_list_lookup (lan_messenger_get_peers (carol), APP_KEY) != NULL;
}

static gboolean
is_delivered (gpointer data)
{
  return lan_message_get_state (data) == LAN_MESSAGE_DELIVERED;
}

static gboolean
is_row_of_carol (GtkWidget *widget,
                 gpointer   data)
{
  LanPerson *person;

  if (!LAN_IS_PEER_ROW (widget))
    return FALSE;
  person = lan_peer_row_get_person (LAN_PEER_ROW (widget));
  return person != NULL && g_strcmp0 (lan_person_get_identity (person), CAROL_IDENTITY) == 0;
}

static gboolean
sidebar_shows_offline_carol (gpointer data)
{
  GtkWidget *row = find_widget (lan_window_get_peer_list_view (get_window ()), is_row_of_carol, NULL);

  return row != NULL && gtk_widget_has_css_class (row, "offline");
}

static gboolean
shows_message_text (gpointer data)
{
  return find_widget (lan_window_get_message_list_view (get_window ()), is_label_with_text, data) != NULL;
}

static guint
position_of (GListModel *model,
             gpointer    wanted)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (item == wanted)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static void
carol_sends_two_and_leaves (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) first = NULL;
  g_autoptr(LanMessage) second = NULL;
  LanPeer *app_for_carol;

  carol = lan_messenger_new ();
  g_object_set (carol,
                "nickname", "Carol",
                "user-name", "carol",
                "host-name", "carols-pc",
                "bind-address", CAROL_ADDRESS,
                "port", TEST_PORT,
                "answer-delay-max-ms", 50,
                NULL);
  g_assert_true (lan_messenger_add_target (carol, APP_ADDRESS, &error));
  g_assert_true (lan_messenger_start (carol, &error));
  g_assert_no_error (error);
  wait_until (messenger_is_running, app_messenger (), "the app's messenger to run");
  wait_until (app_lists_carol, NULL, "the app to list carol");
  wait_until (carol_lists_app, NULL, "carol to list the app");

  app_for_carol = lan_peer_list_lookup (lan_messenger_get_peers (carol), APP_KEY);
  first = lan_messenger_send (carol, app_for_carol, CAROL_FIRST, &error);
  g_assert_no_error (error);
  wait_until (is_delivered, first, "carol's first message acknowledged");
  second = lan_messenger_send (carol, app_for_carol, CAROL_SECOND, &error);
  g_assert_no_error (error);
  wait_until (is_delivered, second, "carol's second message acknowledged");

  /* BR_EXIT: the app drops her peer at once. */
  lan_messenger_stop (carol);
  wait_until (app_lost_carol, NULL, "the app to drop carol's peer");
}

static void
test_carol_leaves_her_messages_stay (void)
{
  LanWindow *window = get_window ();
  LanPeople *people = lan_application_get_people (app);
  LanPerson *person;
  GtkWidget *row;
  GtkSingleSelection *selection;
  GListModel *model;
  LanConversation *conversation;
  guint position = GTK_INVALID_LIST_POSITION;

  /* Someone else is shown, as when a message comes in unnoticed. */
  lan_window_open_conversation (window, "");
  carol_sends_two_and_leaves ();

  person = lan_people_lookup (people, CAROL_IDENTITY);
  g_assert_nonnull (person);
  g_assert_false (lan_person_get_online (person));
  g_assert_cmpuint (lan_person_get_unread (person), ==, 2);
  g_assert_cmpstr (lan_person_get_last_message (person), ==, CAROL_SECOND);

  wait_until (sidebar_shows_offline_carol, NULL, "carol's row, offline");
  row = find_widget (lan_window_get_peer_list_view (window), is_row_of_carol, NULL);
  g_assert_nonnull (find_widget (row, is_label_with_text, (gpointer) "2"));
  g_assert_nonnull (find_widget (row, is_label_with_text, (gpointer) "Carol"));
  /* The tooltip adds what the row leaves out, and repeats nothing. */
  g_assert_nonnull (lan_peer_row_get_tooltip (LAN_PEER_ROW (row)));
  g_assert_cmpstr (lan_peer_row_get_tooltip (LAN_PEER_ROW (row)), ==, "carol@carols-pc · " CAROL_ADDRESS);

  /* Online first: bob above her. */
  ensure_bob ();
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (lan_window_get_peer_list_view (window))));
  model = G_LIST_MODEL (selection);
  position = position_of (model, lan_people_lookup (people, BOB_KEY));
  g_assert_cmpuint (position, ==, 1);
  position = position_of (model, person);
  g_assert_cmpuint (position, ==, 2);
  wait_frames (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "sidebar-offline-people.png");

  /* Selected, her conversation shows both messages. */
  gtk_single_selection_set_selected (selection, position);
  conversation = lan_window_get_conversation (window);
  g_assert_true (conversation == lan_person_get_conversation (person));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);
  wait_until (shows_message_text, (gpointer) CAROL_FIRST, "carol's first message shown");
  wait_until (shows_message_text, (gpointer) CAROL_SECOND, "carol's second message shown");
}

/* Written to while she is away, the message waits, and says so. */
static void
test_write_to_offline_carol (void)
{
  LanWindow *window = get_window ();
  LanPerson *person;
  LanConversation *conversation;
  LanMessage *queued;

  if (carol == NULL)
    carol_sends_two_and_leaves ();
  person = lan_people_lookup (lan_application_get_people (app), CAROL_IDENTITY);
  g_assert_nonnull (person);
  lan_window_open_conversation (window, CAROL_IDENTITY);
  conversation = lan_window_get_conversation (window);
  g_assert_true (conversation == lan_person_get_conversation (person));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (lan_window_get_composer (window)),
                            "See you tomorrow", -1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL);
  queued = last_message (conversation);
  g_assert_nonnull (queued);
  g_assert_cmpstr (lan_message_get_text (queued), ==, "See you tomorrow");
  g_assert_cmpint (lan_message_get_direction (queued), ==, LAN_DIRECTION_OUT);
  g_assert_cmpint (lan_message_get_state (queued), ==, LAN_MESSAGE_QUEUED);
  wait_until (shows_message_text, (gpointer) "See you tomorrow", "the queued message shown");
}

static gboolean
is_message_search (GtkWidget *widget,
                   gpointer   data)
{
  return LAN_IS_MESSAGE_SEARCH (widget);
}

typedef struct {
  GtkListBox *results;
  GtkWidget  *root;
  const char *text;
} ResultWait;

static gboolean
has_result_row (gpointer data)
{
  ResultWait *wait = data;

  return gtk_list_box_get_row_at_index (wait->results, 0) != NULL;
}

static gboolean
shows_label (gpointer data)
{
  ResultWait *wait = data;

  return find_widget (wait->root, is_label_with_text, (gpointer) wait->text) != NULL;
}

static void
test_search_finds_chinese_substring (void)
{
  LanWindow *window = get_window ();
  LanMessageSearch *search;
  GtkListBox *results;
  GtkListBoxRow *row;
  ResultWait wait = { 0 };
  LanConversation *conversation;

  if (carol == NULL)
    carol_sends_two_and_leaves ();
  search = LAN_MESSAGE_SEARCH (find_widget (GTK_WIDGET (window), is_message_search, NULL));
  g_assert_nonnull (search);
  results = lan_message_search_get_results (search);

  /* Ctrl+F in a conversation searches that one: Everyone's has no such message. */
  lan_window_open_conversation (window, "");
  gtk_widget_grab_focus (GTK_WIDGET (lan_window_get_composer (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.focus-search", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), GTK_WIDGET (search)));
  gtk_editable_set_text (lan_message_search_get_entry (search), "世界");
  wait.results = results;
  wait.root = GTK_WIDGET (search);
  wait.text = "No messages found";
  wait_until (shows_label, &wait, "no result in Everyone's conversation");
  g_assert_null (gtk_list_box_get_row_at_index (results, 0));

  /* In all of them, a two-character substring finds Carol's message. */
  lan_message_search_open (search, NULL);
  wait_until (has_result_row, &wait, "a search result");
  g_assert_null (gtk_list_box_get_row_at_index (results, 1));
  row = gtk_list_box_get_row_at_index (results, 0);
  g_assert_true (GTK_IS_LABEL (gtk_list_box_row_get_child (row)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (row))), CAROL_FIRST));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (row))), "Carol: "));
  wait_frames (GTK_WIDGET (window));
  save_screenshot (GTK_WIDGET (window), "search-result.png");

  /* Activated: her conversation, with the message in view. */
  gtk_widget_activate (GTK_WIDGET (row));
  conversation = lan_window_get_conversation (window);
  g_assert_cmpstr (lan_conversation_get_peer_key (conversation), ==, CAROL_IDENTITY);
  wait_until (shows_message_text, (gpointer) CAROL_FIRST, "carol's message shown");
}

static gboolean
is_row_of_text (GtkWidget *widget,
                gpointer   data)
{
  return LAN_IS_MESSAGE_ROW (widget) && lan_message_row_get_message (LAN_MESSAGE_ROW (widget)) != NULL &&
         g_strcmp0 (lan_message_get_text (lan_message_row_get_message (LAN_MESSAGE_ROW (widget))), data) == 0;
}

/* Copy, Reply (a quote in the composer) and Details from a message's menu. */
static void
test_message_actions (void)
{
  LanWindow *window = get_window ();
  GtkWidget *row, *menu;
  GMenuModel *model;
  GdkContentProvider *content;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *action = NULL;
  g_autofree char *composed = NULL;
  g_autofree char *details = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  if (carol == NULL)
    carol_sends_two_and_leaves ();
  lan_window_open_conversation (window, CAROL_IDENTITY);
  wait_until (shows_message_text, (gpointer) CAROL_FIRST, "carol's message shown");
  row = find_widget (lan_window_get_message_list_view (window), is_row_of_text, (gpointer) CAROL_FIRST);
  g_assert_nonnull (row);

  lan_message_row_popup_menu (LAN_MESSAGE_ROW (row), 0, 0);
  menu = lan_message_row_get_menu (LAN_MESSAGE_ROW (row));
  g_assert_true (GTK_IS_POPOVER_MENU (menu));
  model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu));
  g_assert_cmpint (g_menu_model_get_n_items (model), ==, 3);
  g_assert_true (g_menu_model_get_item_attribute (model, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  g_assert_cmpstr (action, ==, "message.copy");
  gtk_popover_popdown (GTK_POPOVER (menu));

  gtk_widget_activate_action (row, "message.copy", NULL);
  content = gdk_clipboard_get_content (gtk_widget_get_clipboard (row));
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_value_get_string (&value), ==, CAROL_FIRST);

  buffer = gtk_text_view_get_buffer (lan_window_get_composer (window));
  gtk_text_buffer_set_text (buffer, "", -1);
  gtk_widget_activate_action (row, "message.reply", NULL);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  composed = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (composed, ==, "> " CAROL_FIRST "\n");
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (lan_window_get_composer (window))));
  gtk_text_buffer_set_text (buffer, "", -1);

  details = lan_message_row_describe (lan_message_row_get_message (LAN_MESSAGE_ROW (row)));
  g_assert_true (g_str_has_prefix (details, "Packet number: "));
  g_assert_nonnull (strstr (details, "Received: "));
}

/* Links are links; everything else stays text, markup included. */
static void
test_links_and_auto_replies (void)
{
  g_autofree char *markup = lan_message_links_markup ("see https://example.org/a?b=1&c=2. <b>");
  g_autoptr(LanMessage) auto_reply = lan_message_new (LAN_DIRECTION_OUT, BOB_KEY, "Away", g_get_real_time (), 7);
  GtkWidget *row = g_object_ref_sink (lan_message_row_new ());

  g_assert_cmpstr (markup, ==, "see <a href=\"https://example.org/a?b=1&amp;c=2\">https://example.org/a?b=1&amp;c=2</a>. &lt;b&gt;");
  g_assert_null (lan_message_links_markup ("<b>no link</b> & http:/ nothing"));
  g_clear_pointer (&markup, g_free);
  markup = lan_message_links_markup ("mailto:a@b.c");
  g_assert_cmpstr (markup, ==, "<a href=\"mailto:a@b.c\">mailto:a@b.c</a>");

  lan_message_set_auto_reply (auto_reply, TRUE);
  lan_message_set_state (auto_reply, LAN_MESSAGE_SENT);
  lan_message_row_bind (LAN_MESSAGE_ROW (row), auto_reply, NULL);
  g_assert_cmpstr (lan_message_row_get_state_text (LAN_MESSAGE_ROW (row)), ==, "Automatic reply");
  lan_message_row_unbind (LAN_MESSAGE_ROW (row));
  g_object_unref (row);
}

static gboolean
is_multicast_dialog (GtkWidget *widget,
                     gpointer   data)
{
  return LAN_IS_MULTICAST_DIALOG (widget);
}

typedef struct {
  LanMulticastDialog *dialog;
  LanPerson          *person;
} StatusWait;

static gboolean
shows_delivered (gpointer data)
{
  StatusWait *wait = data;

  return g_strcmp0 (lan_multicast_dialog_get_status (wait->dialog, wait->person), "Delivered") == 0;
}

static gboolean
person_online (gpointer data)
{
  return lan_person_get_online (data);
}

static LanMulticastDialog *
find_multicast_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      if (is_multicast_dialog (toplevel, NULL))
        return LAN_MULTICAST_DIALOG (toplevel);
    }
  return NULL;
}

/* Carol is back: one message to her and bob (MULTICASTOPT), each
 * acknowledgement shown for its person, each message in its conversation. */
static void
test_multicast_to_several (void)
{
  LanPeople *people = lan_application_get_people (app);
  g_autoptr(GError) error = NULL;
  LanMulticastDialog *dialog;
  LanPerson *carol_person, *bob_person;
  StatusWait wait = { 0 };
  LanMessage *last;

  if (carol == NULL)
    carol_sends_two_and_leaves ();
  ensure_bob ();
  carol_person = lan_people_lookup (people, CAROL_IDENTITY);
  g_assert_nonnull (carol_person);
  if (!lan_messenger_get_running (carol))
    {
      g_assert_true (lan_messenger_start (carol, &error));
      g_assert_no_error (error);
    }
  wait_until (person_online, carol_person, "carol online again");
  bob_person = lan_people_lookup (people, BOB_KEY);
  g_assert_nonnull (bob_person);

  gtk_widget_activate_action (GTK_WIDGET (get_window ()), "win.new-message", NULL);
  dialog = find_multicast_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (lan_multicast_dialog_choose (dialog, carol_person, TRUE));
  g_assert_true (lan_multicast_dialog_choose (dialog, bob_person, TRUE));
  gtk_editable_set_text (lan_multicast_dialog_get_entry (dialog), "Lunch at noon, both of you?");
  lan_multicast_dialog_send (dialog);

  wait.dialog = dialog;
  wait.person = carol_person;
  wait_until (shows_delivered, &wait, "carol's acknowledgement shown");
  wait.person = bob_person;
  wait_until (shows_delivered, &wait, "bob's acknowledgement shown");
  wait_frames (GTK_WIDGET (dialog));
  save_screenshot (GTK_WIDGET (dialog), "multicast.png");

  last = last_message (lan_people_get_conversation (people, carol_person));
  g_assert_cmpstr (lan_message_get_text (last), ==, "Lunch at noon, both of you?");
  g_assert_cmpint (lan_message_get_state (last), ==, LAN_MESSAGE_DELIVERED);
  last = last_message (lan_people_get_conversation (people, bob_person));
  g_assert_cmpstr (lan_message_get_text (last), ==, "Lunch at noon, both of you?");
  g_assert_cmpint (lan_message_get_state (last), ==, LAN_MESSAGE_DELIVERED);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
is_send_button (GtkWidget *widget,
                gpointer   data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "win.send") == 0;
}

/* Too long for one datagram: Send is off, and the composer says why. */
static void
test_send_disabled_when_too_long (void)
{
  LanWindow *window = get_window ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (lan_window_get_composer (window));
  GtkWidget *send = find_widget (GTK_WIDGET (window), is_send_button, NULL);
  g_autofree char *long_text = g_strnfill (40000, 'x');

  g_assert_nonnull (send);
  lan_window_open_conversation (window, "");
  gtk_text_buffer_set_text (buffer, "short", -1);
  g_assert_true (gtk_widget_is_sensitive (send));
  gtk_text_buffer_set_text (buffer, long_text, -1);
  g_assert_false (gtk_widget_is_sensitive (send));
  g_assert_nonnull (lan_window_get_composer_error (window));
  g_assert_nonnull (strstr (lan_window_get_composer_error (window), "Too long"));
  gtk_text_buffer_set_text (buffer, "", -1);
}

/* The log shown, the window still fits half of a 1280 px screen. */
static void
test_log_fits_half_a_screen (void)
{
  LanWindow *window = get_window ();
  int minimum = 0;

  g_object_set (window, "log-visible", TRUE, NULL);
  wait_frames (GTK_WIDGET (window));
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 640);
  g_object_set (window, "log-visible", FALSE, NULL);
}

/* A sent message's details tell how long the acknowledgement took, once
 * there is one (lan-sender sets it; here it is set by hand). */
static void
test_details_round_trip (void)
{
  g_autoptr(LanMessage) message = lan_message_new (LAN_DIRECTION_OUT, BOB_KEY, "hi", g_get_real_time (), 9);
  g_autofree char *waiting = NULL;
  g_autofree char *acked = NULL;

  waiting = lan_message_row_describe (message);
  g_assert_nonnull (strstr (waiting, "Tries: "));
  g_assert_null (strstr (waiting, "Round trip"));

  lan_message_set_attempts (message, 2);
  lan_message_set_round_trip (message, 12300);
  lan_message_set_state (message, LAN_MESSAGE_DELIVERED);
  acked = lan_message_row_describe (message);
  g_assert_nonnull (strstr (acked, "\nTries: 2\nRound trip: 12 ms\n"));
}

int
main (int    argc,
      char **argv)
{
  int result;

  window_fixture_set_up (&argc, &argv);
  g_test_add_func ("/window/people/carol-leaves-her-messages-stay", test_carol_leaves_her_messages_stay);
  g_test_add_func ("/window/people/write-to-offline-carol", test_write_to_offline_carol);
  g_test_add_func ("/window/people/search-finds-chinese-substring", test_search_finds_chinese_substring);
  g_test_add_func ("/window/messages/actions", test_message_actions);
  g_test_add_func ("/window/messages/links-and-auto-replies", test_links_and_auto_replies);
  g_test_add_func ("/window/messages/details-round-trip", test_details_round_trip);
  g_test_add_func ("/window/people/multicast-to-several", test_multicast_to_several);
  g_test_add_func ("/window/composer/send-disabled-when-too-long", test_send_disabled_when_too_long);
  g_test_add_func ("/window/log/fits-half-a-screen", test_log_fits_half_a_screen);
  result = window_fixture_run ();
  if (carol != NULL && lan_messenger_get_running (carol))
    lan_messenger_stop (carol);
  g_clear_object (&carol);
  return result;
}

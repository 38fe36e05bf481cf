/* test-window-messages.c — several messages of a conversation selected and copied.
 *
 * Ctrl+C, the "messages.copy-selected" action and the menu of a
 * right-click on a selected row all put "[time] name: text" lines on the
 * clipboard, oldest first, as the bubbles show them.
 *
 * One of the test-window-*.c programs, each with an app, data folder and
 * bob of its own (ui-window-fixture.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-window-messages"

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "lan-application.h"
#include "lan-message-row.h"
#include "lan-message-selection.h"
#include "lan-window.h"

#include "ui-test-support.h"
#include "ui-window-fixture.h"

static const char * const from_bob[] = {
  "First, from Bob",  /* Bob's nickname, BOB_NICKNAME, is markup: copied as text */
  "Second line one\nsecond line two",
  "Third \xe2\x80\xae" "txt.exe",  /* a RIGHT-TO-LEFT OVERRIDE: copied as shown, without it */
};

static gboolean
conversation_has_n (gpointer data)
{
  LanConversation *conversation = lan_messenger_get_conversation (app_messenger (), BOB_KEY);

  return conversation != NULL && g_list_model_get_n_items (G_LIST_MODEL (conversation)) >= GPOINTER_TO_UINT (data);
}

static gboolean
is_delivered (gpointer data)
{
  return lan_message_get_state (data) == LAN_MESSAGE_DELIVERED;
}

/* Bob's three messages to us, then ours to him: four rows. */
static void
exchange (void)
{
  LanPeer *app_as_seen_by_bob;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) reply = NULL;

  ensure_bob ();
  if (conversation_has_n (GUINT_TO_POINTER (4)))
    return;
  app_as_seen_by_bob = lan_peer_list_lookup (lan_messenger_get_peers (bob), APP_KEY);
  g_assert_nonnull (app_as_seen_by_bob);
  for (guint i = 0; i < G_N_ELEMENTS (from_bob); i++)
    {
      g_autoptr(LanMessage) sent = lan_messenger_send (bob, app_as_seen_by_bob, from_bob[i], &error);

      g_assert_no_error (error);
      wait_until (conversation_has_n, GUINT_TO_POINTER (i + 1), "bob's message in the conversation");
    }
  reply = lan_messenger_send (app_messenger (), bob_as_seen_by_app (), "Reply from Alice", &error);
  g_assert_no_error (error);
  wait_until (is_delivered, reply, "our reply delivered");
}

static GtkListView *
open_bob (void)
{
  LanWindow *window = get_window ();
  GtkListView *list = GTK_LIST_VIEW (lan_window_get_message_list_view (window));

  lan_window_open_conversation (window, BOB_KEY);
  wait_frames (GTK_WIDGET (window));
  gtk_selection_model_unselect_all (gtk_list_view_get_model (list));
  return list;
}

/* "[2024-05-01 10:05] " then @name (literal, nullable), ": " and @rest (a regex). */
static void
assert_line (const char *line,
             const char *name,
             const char *rest)
{
  g_autofree char *quoted = g_regex_escape_string (name, -1);
  g_autofree char *pattern = g_strdup_printf ("^\\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}\\] %s: %s$",
                                              quoted, rest);

  if (!g_regex_match_simple (pattern, line, 0, 0))
    g_error ("“%s” is not “[date time] %s”", line, rest);
}

static void
test_select_all_and_copy_text (void)
{
  GtkListView *list;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  exchange ();
  list = open_bob ();
  g_assert_null (lan_message_selection_get_text (list));

  /* Ctrl+A, as the list binds it. */
  gtk_widget_activate_action (GTK_WIDGET (list), "list.select-all", NULL);
  text = lan_message_selection_get_text (list);
  g_assert_nonnull (text);
  g_test_message ("%s", text);
  lines = g_strsplit (text, "\n", -1);
  /* Four messages, one of them on two lines, and the final line end. */
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  assert_line (lines[0], BOB_NICKNAME, "First, from Bob");
  assert_line (lines[1], BOB_NICKNAME, "Second line one");
  g_assert_cmpstr (lines[2], ==, "second line two");
  assert_line (lines[3], BOB_NICKNAME, "Third txt\\.exe");
  assert_line (lines[4], "Alice", "Reply from Alice");
  g_assert_cmpstr (lines[5], ==, "");
  g_assert_null (strstr (text, "\xe2\x80\xae"));

  /* Two in the middle: only they, in order. */
  gtk_selection_model_select_range (gtk_list_view_get_model (list), 1, 2, TRUE);
  g_clear_pointer (&text, g_free);
  text = lan_message_selection_get_text (list);
  g_assert_nonnull (strstr (text, BOB_NICKNAME ": Second line one\nsecond line two\n["));
  g_assert_true (g_str_has_suffix (text, BOB_NICKNAME ": Third txt.exe\n"));
  g_assert_null (strstr (text, "First"));
  g_assert_null (strstr (text, "Alice"));

  save_screenshot (GTK_WIDGET (get_window ()), "conversation-selection.png");

  /* Another conversation shown: nothing of this one stays selected. */
  lan_window_open_conversation (get_window (), "");
  wait_frames (GTK_WIDGET (get_window ()));
  g_assert_null (lan_message_selection_get_text (list));
}

typedef struct {
  char    *text;
  gboolean done;
} ClipboardRead;

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;
  g_autoptr(GError) error = NULL;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
clipboard_read (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static char *
clipboard_text (GtkWidget *widget)
{
  ClipboardRead read = { 0 };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, on_clipboard_text, &read);
  wait_until (clipboard_read, &read, "the clipboard's text");
  return read.text;
}

/* The list's own Ctrl+C, found among its controllers and run as GTK would. */
static gboolean
press_ctrl_c (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) ctrl_c = gtk_shortcut_trigger_parse_string ("<Control>c");

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), ctrl_c))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget, NULL);
        }
    }
  g_error ("no Ctrl+C on the message list");
  return FALSE;
}

static void
test_ctrl_c (void)
{
  GtkListView *list;
  GdkClipboard *clipboard;
  g_autofree char *copied = NULL;
  g_autofree char *expected = NULL;

  exchange ();
  list = open_bob ();
  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (list));
  gdk_clipboard_set_text (clipboard, "before");

  /* Nothing selected: Ctrl+C is not ours, and the clipboard stays. */
  g_assert_false (press_ctrl_c (GTK_WIDGET (list)));
  copied = clipboard_text (GTK_WIDGET (list));
  g_assert_cmpstr (copied, ==, "before");

  gtk_selection_model_select_range (gtk_list_view_get_model (list), 0, 2, TRUE);
  g_assert_true (press_ctrl_c (GTK_WIDGET (list)));
  g_clear_pointer (&copied, g_free);
  copied = clipboard_text (GTK_WIDGET (list));
  expected = lan_message_selection_get_text (list);
  g_assert_cmpstr (copied, ==, expected);
  g_assert_true (g_str_has_prefix (copied, "["));
  g_assert_nonnull (strstr (copied, "] " BOB_NICKNAME ": First, from Bob\n["));
}

static LanMessageRow *
row_at (GtkListView *list,
        guint        position)
{
  g_autoptr(LanMessage) message = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (list)), position);

  return (LanMessageRow *) find_widget (GTK_WIDGET (list), is_row_of_message, message);
}

static gboolean
menu_label_says (GtkWidget  *menu,
                 const char *label)
{
  GMenuModel *model = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (menu));
  g_autofree char *text = NULL;
  g_autofree char *action = NULL;

  g_assert_cmpint (g_menu_model_get_n_items (model), ==, 1);
  g_assert_true (g_menu_model_get_item_attribute (model, 0, G_MENU_ATTRIBUTE_LABEL, "s", &text));
  g_assert_true (g_menu_model_get_item_attribute (model, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  g_assert_cmpstr (action, ==, "messages.copy-selected");
  return g_strcmp0 (text, label) == 0;
}

static void
test_context_menu (void)
{
  GtkListView *list;
  LanMessageRow *first, *last;
  graphene_point_t in_first, in_last;
  GtkWidget *menu;
  g_autofree char *copied = NULL;
  g_autofree char *expected = NULL;

  exchange ();
  list = open_bob ();
  first = row_at (list, 0);
  last = row_at (list, 3);
  g_assert_nonnull (first);
  g_assert_nonnull (last);
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (first), GTK_WIDGET (list),
                                           &GRAPHENE_POINT_INIT (20, 10), &in_first));
  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (last), GTK_WIDGET (list),
                                           &GRAPHENE_POINT_INIT (20, 10), &in_last));

  /* One selected: the row's own menu (its Copy, Reply, Details) is the one. */
  gtk_selection_model_select_item (gtk_list_view_get_model (list), 0, TRUE);
  g_assert_false (lan_message_selection_popup_menu (list, in_first.x, in_first.y));

  /* Three selected, right-click on one of them: Copy 3 Messages. */
  gtk_selection_model_select_range (gtk_list_view_get_model (list), 0, 3, TRUE);
  g_assert_true (lan_message_selection_popup_menu (list, in_first.x, in_first.y));
  menu = lan_message_selection_get_menu (list);
  g_assert_nonnull (menu);
  g_assert_true (gtk_widget_get_visible (menu));
  g_assert_true (menu_label_says (menu, "_Copy 3 Messages"));
  wait_frames (GTK_WIDGET (get_window ()));
  /* The popover is a surface of its own: its picture apart. */
  save_screenshot (menu, "conversation-copy-menu.png");
  gtk_popover_popdown (GTK_POPOVER (menu));

  /* On a row that isn't selected: not about the selection. */
  g_assert_false (lan_message_selection_popup_menu (list, in_last.x, in_last.y));

  /* The menu's action copies the selection. */
  gtk_widget_activate_action (menu, "messages.copy-selected", NULL);
  copied = clipboard_text (GTK_WIDGET (list));
  expected = lan_message_selection_get_text (list);
  g_assert_cmpstr (copied, ==, expected);
  g_assert_null (strstr (copied, "Alice"));
}

int
main (int argc, char **argv)
{
  window_fixture_set_up (&argc, &argv);

  g_test_add_func ("/ui/messages/select-and-copy-text", test_select_all_and_copy_text);
  g_test_add_func ("/ui/messages/ctrl-c", test_ctrl_c);
  g_test_add_func ("/ui/messages/context-menu", test_context_menu);

  return window_fixture_run ();
}

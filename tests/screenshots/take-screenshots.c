/* take-screenshots.c — the app's side of the screenshots for the metainfo
 * and the README, taken on a lab network (take-screenshots.sh).
 *
 * The app runs in-process in host "me" of the lab, under Xvfb; its peers
 * are lanchat-cli processes in other hosts, driven by the script. The two
 * sides take turns through marker files in SHOT_DIR: the program writes
 * "app.<step>" when it has done a step, the script "lab.<step>". No sleeps:
 * every wait iterates the main context until its condition holds, with a
 * deadline (wait_until).
 *
 * Environment (set by the script):
 *   SHOT_DIR      the marker folder
 *   SHOT_PEERS    how many people the app must list before it starts
 *   SHOT_FOCUS    the nickname of the person whose conversation is shown
 *   SHOT_LINE_1   what we answer to their first message
 *   SHOT_LINE_2   what we ask them next
 *   SHOT_NAME     the file name of the conversation's screenshot
 *   SHOT_LOG      when set, the file name of the packet log's screenshot
 *   SHOT_OFFER    when set, their last message must offer this one file
 *   SHOT_NICKNAME, SHOT_GROUP, SHOT_USER, SHOT_HOST   who we are
 *   LC_ALL, LANGUAGE, LANCHAT_LOCALEDIR                in which language
 * The pictures go to $G_TEST_BUILDDIR/screenshots/ (save_screenshot).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-take-screenshots"

#include "config.h"

#include <gtk/gtk.h>
#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "lan-application.h"
#include "lan-ipmsg.h"
#include "lan-log-pane.h"
#include "lan-packet-inspector.h"
#include "lan-window.h"

#include "ui-test-support.h"

static LanApplication *app;
static char *data_home;

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run take-screenshots.sh", name);
  return value;
}

static LanMessenger *
messenger (void)
{
  return lan_application_get_messenger (app);
}

static LanWindow *
window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  g_assert_nonnull (windows);
  g_assert_true (LAN_IS_WINDOW (windows->data));
  return LAN_WINDOW (windows->data);
}

/* Marker files: ours say a step is done, the script's that it did its. */
static void
mark (const char *step)
{
  g_autofree char *name = g_strconcat ("app.", step, NULL);
  g_autofree char *path = g_build_filename (env ("SHOT_DIR"), name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_no_error (error);
}

static gboolean
lab_marked (gpointer data)
{
  g_autofree char *name = g_strconcat ("lab.", (const char *) data, NULL);
  g_autofree char *path = g_build_filename (env ("SHOT_DIR"), name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
wait_for_lab (const char *step)
{
  g_autofree char *what = g_strdup_printf ("the lab's step \"%s\"", step);

  wait_until (lab_marked, (gpointer) step, what);
}

static guint
online_peers (void)
{
  GListModel *peers = G_LIST_MODEL (lan_messenger_get_peers (messenger ()));
  guint online = 0;

  for (guint i = 0; i < g_list_model_get_n_items (peers); i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (peers, i);

      if (lan_peer_get_online (peer))
        online++;
    }
  return online;
}

static gboolean
everyone_online (gpointer data)
{
  return online_peers () >= GPOINTER_TO_UINT (data);
}

/* Returns: (transfer none) (nullable): the listed peer called @nickname. */
static LanPeer *
find_peer (const char *nickname)
{
  GListModel *peers = G_LIST_MODEL (lan_messenger_get_peers (messenger ()));

  for (guint i = 0; i < g_list_model_get_n_items (peers); i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (peers, i);

      /* Borrowed: the list keeps its peers. */
      if (g_strcmp0 (lan_peer_get_nickname (peer), nickname) == 0)
        return peer;
    }
  return NULL;
}

static gboolean
focus_online (gpointer data)
{
  LanPeer *peer = find_peer (data);

  return peer != NULL && lan_peer_get_online (peer);
}

typedef struct {
  LanConversation *conversation;
  guint incoming;
} IncomingWait;

static guint
count_incoming (LanConversation *conversation)
{
  GListModel *messages = G_LIST_MODEL (conversation);
  guint incoming = 0;

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(LanMessage) message = g_list_model_get_item (messages, i);

      if (lan_message_get_direction (message) == LAN_DIRECTION_IN && !lan_message_get_notice (message))
        incoming++;
    }
  return incoming;
}

static gboolean
has_incoming (gpointer data)
{
  IncomingWait *wait = data;

  return count_incoming (wait->conversation) >= wait->incoming;
}

static void
wait_for_incoming (LanConversation *conversation,
                   guint            incoming,
                   const char      *what)
{
  IncomingWait wait = { conversation, incoming };

  wait_until (has_incoming, &wait, what);
}

static void
set_composer_text (const char *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (lan_window_get_composer (window ()));

  gtk_text_buffer_set_text (buffer, text, -1);
}

/* Typed and sent as a person does: the composer and its Send action. */
static void
say (LanConversation *conversation,
     const char      *text)
{
  LanMessage *sent;

  set_composer_text (text);
  gtk_widget_activate_action (GTK_WIDGET (window ()), "win.send", NULL);
  sent = last_message (conversation);
  g_assert_nonnull (sent);
  g_assert_cmpint (lan_message_get_direction (sent), ==, LAN_DIRECTION_OUT);
  g_assert_cmpstr (lan_message_get_text (sent), ==, text);
}

static gboolean
message_delivered (gpointer data)
{
  return lan_message_get_state (data) == LAN_MESSAGE_DELIVERED;
}

/* Every message we sent is delivered: no "Sending…" in the picture. */
static void
wait_all_delivered (LanConversation *conversation)
{
  GListModel *messages = G_LIST_MODEL (conversation);

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(LanMessage) message = g_list_model_get_item (messages, i);

      if (lan_message_get_direction (message) == LAN_DIRECTION_OUT)
        wait_until (message_delivered, message, "our messages to be delivered");
    }
}

typedef struct {
  LanLogPane *pane;
  const char *remote;
} RowWait;

/* The position in the log pane's rows of our first SENDMSG to
 * @wait->remote, or GTK_INVALID_LIST_POSITION. */
static guint
find_our_sendmsg (RowWait *wait)
{
  GListModel *model = lan_log_pane_get_model (wait->pane);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (model, i);
      g_autofree char *remote = lan_endpoint_to_string (lan_packet_log_entry_get_remote (entry));

      if (lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_OUT &&
          g_str_equal (remote, wait->remote) &&
          g_strcmp0 (lan_packet_log_entry_get_command_name (entry), "SENDMSG") == 0)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static gboolean
row_listed (gpointer data)
{
  RowWait *wait = data;

  lan_packet_log_flush (lan_messenger_get_packet_log (messenger ()));
  return gtk_filter_list_model_get_pending (GTK_FILTER_LIST_MODEL (lan_log_pane_get_model (wait->pane))) == 0 &&
         find_our_sendmsg (wait) != GTK_INVALID_LIST_POSITION;
}

static gboolean
pane_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* The packet log under the conversation, filtered to the exchange with
 * @peer, our message selected with its text field picked out. */
static void
shoot_log (LanPeer    *peer,
           const char *name)
{
  LanLogPane *pane = lan_window_get_log_pane (window ());
  g_autofree char *address = NULL;
  g_autofree char *filter = NULL;
  RowWait wait = { pane, NULL };
  char *colon;

  g_assert_nonnull (peer);
  wait.remote = lan_peer_get_key (peer);
  address = g_strdup (wait.remote);
  colon = strrchr (address, ':');
  g_object_set (window (), "log-visible", TRUE, NULL);
  wait_until (pane_mapped, pane, "the log pane");
  if (colon != NULL)
    *colon = '\0';
  filter = g_strdup_printf ("peer:%s cmd:SENDMSG,RECVMSG", address);
  lan_log_pane_set_filter_text (pane, filter);
  wait_until (row_listed, &wait, "our SENDMSG in the filtered log");
  lan_log_pane_select (pane, find_our_sendmsg (&wait));
  wait_frames (GTK_WIDGET (window ()));
  g_assert_true (lan_packet_inspector_select_field (lan_log_pane_get_inspector (pane), "section:0"));
  wait_frames (GTK_WIDGET (window ()));
  save_screenshot (GTK_WIDGET (window ()), name);
}

/* The picture shows a file offer: @message carries the one file @name. */
static void
assert_offer (LanMessage *message,
              const char *name)
{
  GPtrArray *files;

  g_assert_nonnull (message);
  g_assert_cmpint (lan_message_get_direction (message), ==, LAN_DIRECTION_IN);
  files = lan_message_get_files (message);
  g_assert_nonnull (files);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (((LanIpmsgFile *) g_ptr_array_index (files, 0))->name, ==, name);
  g_assert_cmpint (lan_message_get_offer_state (message), !=, LAN_OFFER_NONE);
}

static void
test_conversation (void)
{
  guint peers = (guint) g_ascii_strtoull (env ("SHOT_PEERS"), NULL, 10);
  const char *focus = env ("SHOT_FOCUS");
  LanConversation *conversation;
  LanPeer *peer;

  wait_until (app_window_is_mapped, app, "the window to be mapped");
  wait_until (messenger_is_running, messenger (), "the app's messenger to run");
  mark ("started");

  /* Everyone has written to us once and is back online (a bot answering
   * for the one we talk to, the others listening). */
  wait_for_lab ("online");
  wait_until (everyone_online, GUINT_TO_POINTER (peers), "everyone online");
  peer = find_peer (focus);
  g_assert_nonnull (peer);
  conversation = g_object_ref (lan_messenger_get_conversation (messenger (), lan_peer_get_key (peer)));
  wait_for_incoming (conversation, 1, "their first message");

  lan_window_open_conversation (window (), lan_peer_get_key (peer));
  say (conversation, env ("SHOT_LINE_1"));
  wait_for_incoming (conversation, 2, "their answer");
  mark ("answered");

  /* Our second message, to them listening; then their last one (a file
   * offer, where lanchat-cli can make one). */
  wait_for_lab ("listening");
  wait_until (focus_online, (gpointer) focus, "them listening");
  say (conversation, env ("SHOT_LINE_2"));
  wait_until (message_delivered, last_message (conversation), "our second message to be delivered");
  mark ("asked");
  wait_for_lab ("offered");
  wait_for_incoming (conversation, 3, "their last message");
  wait_until (focus_online, (gpointer) focus, "them online");
  wait_all_delivered (conversation);
  if (g_getenv ("SHOT_OFFER") != NULL && *g_getenv ("SHOT_OFFER") != '\0')
    assert_offer (last_message (conversation), g_getenv ("SHOT_OFFER"));

  wait_frames (GTK_WIDGET (window ()));
  g_assert_cmpstr (lan_window_get_page (window ()), ==, "conversation");
  g_assert_false (gtk_revealer_get_reveal_child (lan_window_get_network_banner (window ())));
  save_screenshot (GTK_WIDGET (window ()), env ("SHOT_NAME"));

  if (g_getenv ("SHOT_LOG") != NULL && *g_getenv ("SHOT_LOG") != '\0')
    /* Looked up again: a person who went away and came back is a new LanPeer. */
    shoot_log (find_peer (focus), g_getenv ("SHOT_LOG"));

  mark ("done");
  g_object_unref (conversation);
}

/* Our own settings: a name a person has, no notification server to ask. */
static void
configure (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);

  g_settings_set_string (settings, "nickname", env ("SHOT_NICKNAME"));
  g_settings_set_string (settings, "group", env ("SHOT_GROUP"));
  g_settings_set_int (settings, "window-width", 1000);
  g_settings_set_int (settings, "window-height", 700);
  g_settings_set_boolean (settings, "notifications", FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *localedir = g_getenv ("LANCHAT_LOCALEDIR");
  int result;

  /* The script keeps our output in a file: a failure's last words too. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  data_home = make_data_home ();
  /* Not gtk_test_init(), which sets a locale of its own: the script's
   * LC_ALL and LANGUAGE choose the language of the pictures. */
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  configure ();

  /* The end state in the pictures, not a crossfade. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  app = lan_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_object_set (messenger (), "user-name", env ("SHOT_USER"), "host-name", env ("SHOT_HOST"), NULL);
  g_application_activate (G_APPLICATION (app));

  g_test_add_func ("/screenshots/conversation", test_conversation);
  result = g_test_run ();

  finish (app, NULL, data_home);
  return result;
}

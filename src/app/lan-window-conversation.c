/* lan-window-conversation.c — the conversation view's header and messages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-window-conversation"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-display-text.h"
#include "lan-message-row.h"
#include "lan-message-selection.h"
#include "lan-peer-row.h"
#include "lan-window-conversation.h"
#include "lan-window.h"

void
lan_window_conversation_update_header (const LanWindowConversationView *view,
                                       LanPeerList                     *peers,
                                       LanPeer                         *peer)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *placeholder = NULL;
  g_autofree char *empty = NULL;

  if (peer == NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (peers));

      title = g_strdup (_("Everyone"));
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "Broadcast to %u person; nobody confirms receiving it",
                                               "Broadcast to %u people; nobody confirms receiving it", n),
                                  n);
      placeholder = g_strdup (_("Message everyone"));
      empty = g_strdup (_("Messages written here go to everyone on the network at once."));
      adw_avatar_set_text (view->avatar, LAN_EVERYONE_AVATAR_KEY);
      adw_avatar_set_show_initials (view->avatar, FALSE);
      adw_avatar_set_icon_name (view->avatar, "system-users-symbolic");
    }
  else
    {
      g_autofree char *user = lan_display_text (lan_peer_get_user (peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      g_autofree char *host = lan_display_text (lan_peer_get_host (peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      g_autofree char *group = lan_display_text (lan_peer_get_group (peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      g_autofree char *endpoint = g_strdup_printf ("%s:%u", lan_peer_get_address (peer),
                                                   lan_peer_get_port (peer));
      GString *line = g_string_new (NULL);

      title = lan_display_text (lan_peer_get_nickname (peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
      g_string_append_printf (line, "%s@%s · %s", user, host, endpoint);
      if (*group != '\0')
        g_string_append_printf (line, " · %s", group);

      if (lan_peer_list_lookup (peers, lan_peer_get_key (peer)) != peer)
        {
          g_autofree char *seen = lan_peer_row_format_last_seen (lan_peer_get_last_seen (peer));

          /* Translators: after "Last seen 10:05" in the header of someone offline */
          g_string_append_printf (line, " · %s · %s", seen, _("messages wait until they are back"));
        }
      else if (lan_peer_get_away (peer))
        {
          g_autofree char *away_text = lan_display_text (lan_peer_get_away_text (peer), LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
          if (*away_text != '\0')
            /* Translators: %s is the peer's away message */
            g_string_append_printf (line, " · %s", away_text);
          else
            g_string_append_printf (line, " · %s", C_("status", "Away"));
        }

      subtitle = g_string_free (line, FALSE);
      /* Translators: composer placeholder, %s is a nickname */
      placeholder = g_strdup_printf (_("Message %s"), title);
      empty = g_strdup_printf (_("No messages with %s yet."), title);
      adw_avatar_set_icon_name (view->avatar, NULL);
      adw_avatar_set_show_initials (view->avatar, TRUE);
      adw_avatar_set_text (view->avatar, title);
    }

  gtk_label_set_text (view->title, title);
  gtk_label_set_text (view->subtitle, subtitle);
  /* Setting a tooltip, even the same one, asks the display server where
   * the pointer is: only when it changed. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (view->subtitle)), subtitle) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (view->subtitle), subtitle);
  gtk_label_set_text (view->composer_placeholder, placeholder);
  gtk_label_set_text (view->no_messages_label, empty);
}

void
lan_window_conversation_update_messages_page (const LanWindowConversationView *view,
                                              LanConversation                 *conversation)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (conversation)) == 0;

  gtk_stack_set_visible_child_name (view->messages_stack, empty ? "no-messages" : "messages");
}

/* What the rows need, kept as long as the factory that makes them. */
typedef struct {
  LanMessenger   *messenger;
  GtkNoSelection *selection;
} MessageList;

static void
message_list_free (MessageList *list)
{
  g_clear_object (&list->messenger);
  g_clear_object (&list->selection);
  g_free (list);
}

static void
on_retry (LanMessenger  *messenger,
          LanMessageRow *row)
{
  LanMessage *message = lan_message_row_get_message (row);

  if (message != NULL)
    lan_messenger_retry (messenger, message);
}

static void
on_cancel (LanMessenger  *messenger,
           LanMessageRow *row)
{
  LanMessage *message = lan_message_row_get_message (row);

  if (message != NULL)
    lan_messenger_cancel (messenger, message);
}

/* "> " before each line of the message, then the cursor below, to answer. */
static void
on_reply (LanMessageRow *row)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (row), LAN_TYPE_WINDOW);
  LanMessage *message = lan_message_row_get_message (row);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) quote = g_string_new (NULL);
  GtkTextView *composer;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (window == NULL || message == NULL)
    return;
  text = lan_display_text (lan_message_get_text (message), LAN_DISPLAY_TEXT_LINES, LAN_DISPLAY_TEXT_ALL);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (quote, "> %s\n", lines[i]);
  composer = lan_window_get_composer (LAN_WINDOW (window));
  buffer = gtk_text_view_get_buffer (composer);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_insert (buffer, &start, quote->str, -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_widget_grab_focus (GTK_WIDGET (composer));
}

static void
message_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               MessageList              *list)
{
  GtkWidget *row = lan_message_row_new ();

  lan_message_row_set_messenger (LAN_MESSAGE_ROW (row), list->messenger);
  g_signal_connect_object (row, "retry", G_CALLBACK (on_retry), list->messenger, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "cancel", G_CALLBACK (on_cancel), list->messenger, G_CONNECT_SWAPPED);
  g_signal_connect (row, "reply", G_CALLBACK (on_reply), NULL);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, row);
}

static void
message_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              MessageList              *list)
{
  LanMessage *message = gtk_list_item_get_item (item);
  LanConversation *everyone = lan_messenger_get_broadcast_conversation (list->messenger);
  const char *sender = NULL;

  /* Only the Everyone conversation mixes senders. */
  if (gtk_no_selection_get_model (list->selection) == G_LIST_MODEL (everyone) &&
      lan_message_get_direction (message) == LAN_DIRECTION_IN)
    {
      LanPeer *peer = lan_peer_list_lookup (lan_messenger_get_peers (list->messenger),
                                            lan_message_get_peer_key (message));
      sender = peer ? lan_peer_get_nickname (peer) : lan_message_get_peer_key (message);
    }

  lan_message_row_bind (LAN_MESSAGE_ROW (gtk_list_item_get_child (item)), message, sender);
}

static void
message_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                MessageList              *list)
{
  lan_message_row_unbind (LAN_MESSAGE_ROW (gtk_list_item_get_child (item)));
}

GtkNoSelection *
lan_window_conversation_set_up_list (GtkListView  *list_view,
                                     LanMessenger *messenger)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  g_autoptr(GtkMultiSelection) multi = NULL;
  GtkNoSelection *selection;
  MessageList *list;

  g_return_val_if_fail (GTK_IS_LIST_VIEW (list_view), NULL);
  g_return_val_if_fail (LAN_IS_MESSENGER (messenger), NULL);

  factory = gtk_signal_list_item_factory_new ();
  selection = gtk_no_selection_new (NULL);
  list = g_new0 (MessageList, 1);
  list->messenger = g_object_ref (messenger);
  list->selection = g_object_ref (selection);
  /* The factory lives as long as the view uses it; so does what it needs. */
  g_object_set_data_full (G_OBJECT (factory), "lan-message-list", list,
                          (GDestroyNotify) message_list_free);
  g_signal_connect (factory, "setup", G_CALLBACK (message_setup), list);
  g_signal_connect (factory, "bind", G_CALLBACK (message_bind), list);
  g_signal_connect (factory, "unbind", G_CALLBACK (message_unbind), list);
  gtk_list_view_set_factory (list_view, factory);
  /* The window swaps conversations in @selection; the view shows it through
   * a multiple selection, so that several messages can be copied. */
  multi = lan_message_selection_attach (list_view, G_LIST_MODEL (selection), messenger);
  gtk_list_view_set_model (list_view, GTK_SELECTION_MODEL (multi));
  return selection;
}

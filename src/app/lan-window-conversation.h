/* lan-window-conversation.h — the main window's conversation view: the
 * header above the messages (who, where, away or gone), the list of
 * messages, and the placeholders that name the person.
 *
 * Which conversation is shown is the window's state; these functions draw
 * it into the window's widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-messenger.h"

G_BEGIN_DECLS

/* The window's widgets of the view (none owned). */
typedef struct {
  AdwAvatar   *avatar;
  GtkLabel    *title;
  GtkLabel    *subtitle;
  GtkLabel    *composer_placeholder;
  GtkLabel    *no_messages_label;
  GtkStack    *messages_stack;
} LanWindowConversationView;

/* The header and placeholders for @peer's conversation, or Everyone's
 * when @peer is NULL.
 * @peers tells whether @peer is still on the network. */
void            lan_window_conversation_update_header        (const LanWindowConversationView *view,
                                                              LanPeerList                     *peers,
                                                              LanPeer                         *peer);
/* The messages, or the "no messages yet" label when @conversation is empty. */
void            lan_window_conversation_update_messages_page (const LanWindowConversationView *view,
                                                              LanConversation                 *conversation);
/* Gives @list_view its rows (retry and cancel go to @messenger), which can
 * be selected and copied (lan-message-selection.h).
 * Returns: (transfer full): the model of what @list_view shows; set its
 * model to the conversation to show. */
GtkNoSelection *lan_window_conversation_set_up_list          (GtkListView                     *list_view,
                                                              LanMessenger                    *messenger);

G_END_DECLS

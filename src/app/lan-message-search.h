/* lan-message-search.h — find stored messages, in this conversation or in all.
 *
 * A search bar above the conversation (Ctrl+F there): the words typed are
 * looked up in history (lan_history_search: substrings of any language),
 * in the shown conversation or, with "All conversations", in every one;
 * activating a result opens its conversation scrolled to that message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-messenger.h"

G_BEGIN_DECLS

#define LAN_TYPE_MESSAGE_SEARCH (lan_message_search_get_type ())
G_DECLARE_FINAL_TYPE (LanMessageSearch, lan_message_search, LAN, MESSAGE_SEARCH, GtkWidget)

void        lan_message_search_set_messenger (LanMessageSearch *self,
                                              LanMessenger     *messenger);
/* Show the bar and search the conversation with @identity ("*": Everyone;
 * NULL: all conversations). */
void        lan_message_search_open          (LanMessageSearch *self,
                                              const char       *identity);
/* Returns: (transfer none) */
GtkEditable *lan_message_search_get_entry    (LanMessageSearch *self);
/* Returns: (transfer none): one row per result, oldest first. */
GtkListBox *lan_message_search_get_results   (LanMessageSearch *self);

G_END_DECLS

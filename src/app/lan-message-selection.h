/* lan-message-selection.h — several messages of a conversation selected and copied.
 *
 * The conversation's list view selects rows (click, Ctrl+click,
 * Shift+click, Shift+arrows, Ctrl+A); Ctrl+C, the action
 * "messages.copy-selected" and, when a selected row is right-clicked with
 * more than one selected, a menu with Copy put "[time] name: text" lines
 * on the clipboard, oldest first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-messenger.h"

G_BEGIN_DECLS

/* Makes @list_view select rows of @messages (a list of LanMessage) and copy
 * them. Returns: (transfer full): the selection, which @list_view shows. */
GtkMultiSelection *lan_message_selection_attach   (GtkListView  *list_view,
                                                   GListModel   *messages,
                                                   LanMessenger *messenger);
/* The lines Copy puts on the clipboard for the rows of @list_view selected
 * now. Returns: (transfer full) (nullable): NULL when none is. */
char              *lan_message_selection_get_text (GtkListView  *list_view);
/* The menu for a right-click at @x, @y of @list_view: shown (TRUE) when
 * several rows are selected and the point is on one of them; otherwise
 * the row's own menu is the one to show. */
gboolean           lan_message_selection_popup_menu (GtkListView *list_view,
                                                     double       x,
                                                     double       y);
/* Returns: (transfer none) (nullable): that menu, once it was shown. */
GtkWidget         *lan_message_selection_get_menu (GtkListView  *list_view);
/* The line of one message, without a line end: "[2024-05-01 10:05] Bob: hi".
 * Returns: (transfer full) */
char              *lan_message_selection_format   (LanMessage   *message,
                                                   LanMessenger *messenger);

G_END_DECLS

/* lan-peer-row.h — one entry of the sidebar: a person, or "Everyone".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-conversation.h"
#include "lan-peer.h"
#include "lan-person.h"

G_BEGIN_DECLS

/* What Everyone's avatar takes its colour from, wherever it is drawn. */
#define LAN_EVERYONE_AVATAR_KEY "lanchat-everyone"

#define LAN_TYPE_PEER_ROW (lan_peer_row_get_type ())
G_DECLARE_FINAL_TYPE (LanPeerRow, lan_peer_row, LAN, PEER_ROW, GtkWidget)

/* Returns: (transfer floating): a new row. */
GtkWidget *lan_peer_row_new           (void);
/* Offline people are dimmed (CSS class "offline") and say when they were last seen. */
void       lan_peer_row_bind_person   (LanPeerRow      *self,
                                       LanPerson       *person,
                                       LanConversation *conversation);
void       lan_peer_row_bind_everyone (LanPeerRow      *self,
                                       LanConversation *conversation);
void       lan_peer_row_unbind        (LanPeerRow      *self);
/* Returns: (transfer none) (nullable): the bound person's peer; NULL for Everyone. */
LanPeer   *lan_peer_row_get_peer      (LanPeerRow      *self);
/* "Last seen 10:05", "Last seen 30/11/26", or "Offline" for 0.
 * Returns: (transfer full) */
char      *lan_peer_row_format_last_seen (gint64 time_us);
/* Returns: (transfer none) (nullable): the bound person; NULL for Everyone. */
LanPerson *lan_peer_row_get_person    (LanPeerRow      *self);
/* What the tooltip says (only what the row doesn't show), or NULL for none.
 * Returns: (transfer none) (nullable) */
const char *lan_peer_row_get_tooltip  (LanPeerRow      *self);
/* Its menu (right click, long press): "Show Packets". */
void       lan_peer_row_popup_context_menu (LanPeerRow *self);
/* Returns: (transfer none): the context menu popover. */
GtkWidget *lan_peer_row_get_context_menu   (LanPeerRow *self);

G_END_DECLS

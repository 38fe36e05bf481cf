/* lan-peer-row.h — one entry of the sidebar: a peer, or "Everyone".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-conversation.h"
#include "lan-peer.h"

G_BEGIN_DECLS

#define LAN_TYPE_PEER_ROW (lan_peer_row_get_type ())
G_DECLARE_FINAL_TYPE (LanPeerRow, lan_peer_row, LAN, PEER_ROW, GtkWidget)

/* Returns: (transfer floating): a new row. */
GtkWidget *lan_peer_row_new           (void);
void       lan_peer_row_bind_peer     (LanPeerRow      *self,
                                       LanPeer         *peer,
                                       LanConversation *conversation);
void       lan_peer_row_bind_everyone (LanPeerRow      *self,
                                       LanConversation *conversation);
void       lan_peer_row_unbind        (LanPeerRow      *self);
/* Returns: (transfer none) (nullable): the peer bound; NULL for Everyone. */
LanPeer   *lan_peer_row_get_peer      (LanPeerRow      *self);
/* Its menu (right click, long press): "Show Packets". */
void       lan_peer_row_popup_context_menu (LanPeerRow *self);
/* Returns: (transfer none): the context menu popover. */
GtkWidget *lan_peer_row_get_context_menu   (LanPeerRow *self);

G_END_DECLS

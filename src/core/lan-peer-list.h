/* lan-peer-list.h — the live list of peers, a GListModel of LanPeer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-peer.h"

G_BEGIN_DECLS

#define LAN_TYPE_PEER_LIST (lan_peer_list_get_type ())
G_DECLARE_FINAL_TYPE (LanPeerList, lan_peer_list, LAN, PEER_LIST, GObject)

/* Returns: (transfer none) (nullable) */
LanPeer *lan_peer_list_lookup     (LanPeerList *self,
                                   const char  *key);
/* Returns: (transfer none) (nullable) */
LanPeer *lan_peer_list_lookup_endpoint (LanPeerList *self,
                                        LanEndpoint  endpoint);
guint    lan_peer_list_get_max    (LanPeerList *self);

G_END_DECLS

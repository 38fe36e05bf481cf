/* lan-peer-list-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-peer-list.h"

G_BEGIN_DECLS

#define LAN_PEER_LIST_DEFAULT_MAX 4096

LanPeerList *lan_peer_list_new    (guint        max_peers);
/* Adds @peer (the list takes a reference). When the list is full the peer
 * heard from least recently goes first, so a flood of fake addresses cannot
 * grow it. Returns the evicted peer's key (caller frees), or NULL. */
char        *lan_peer_list_add    (LanPeerList *self,
                                   LanPeer     *peer);
void         lan_peer_list_remove (LanPeerList *self,
                                   LanPeer     *peer);
void         lan_peer_list_clear  (LanPeerList *self);

G_END_DECLS

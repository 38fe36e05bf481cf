/* lan-peer-list-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-bounds.h"
#include "lan-peer-list.h"

G_BEGIN_DECLS

/* Returns: (transfer full) */
LanPeerList *lan_peer_list_new    (guint        max_peers);
/* Adds @peer (the list takes a reference). When the list is full the peer
 * heard from least recently goes first, so a flood of fake addresses cannot
 * grow it.
 * Returns: (transfer full) (nullable): the evicted peer's key */
char        *lan_peer_list_add    (LanPeerList *self,
                                   LanPeer     *peer);
/* The same, returning the evicted peer itself, so its identity is known.
 * Returns: (transfer full) (nullable) */
LanPeer     *lan_peer_list_insert (LanPeerList *self,
                                   LanPeer     *peer);
void         lan_peer_list_remove (LanPeerList *self,
                                   LanPeer     *peer);
void         lan_peer_list_clear  (LanPeerList *self);

G_END_DECLS

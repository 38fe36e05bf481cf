/* lan-peer-list.h — the live list of peers, a GListModel of LanPeer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-bounds.h"

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
/* A listed, online peer other than @except whose identity is @identity
 * (and not told apart by its address).
 * Returns: (transfer none) (nullable) */
LanPeer *lan_peer_list_find_identity (LanPeerList *self,
                                      const char  *identity,
                                      LanPeer     *except);
guint    lan_peer_list_get_max    (LanPeerList *self);
/* The online peers that answered (lan_peer_get_answered), counted at most
 * once a second (@now_us, monotonic): an entry flood asks it per packet. */
guint    lan_peer_list_count_answered (LanPeerList *self,
                                       gint64       now_us);

/* The engine's side: the core's objects create and update these; the app
 * and the CLI only read them. */
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
/* @endpoint is @peer's machine too (another network card): packets from it
 * find @peer, and @peer's "addresses" name it. FALSE when a listed peer is
 * there, or the aliases are full. Dropped with @peer. */
gboolean     lan_peer_list_add_alias (LanPeerList *self,
                                      LanEndpoint  endpoint,
                                      LanPeer     *peer);
void         lan_peer_list_remove (LanPeerList *self,
                                   LanPeer     *peer);
void         lan_peer_list_clear  (LanPeerList *self);

G_END_DECLS

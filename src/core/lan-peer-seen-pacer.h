/* lan-peer-seen-pacer.h — what history keeps of a peer, written at most
 * once a second per person.
 *
 * Every entry packet tells the conversation store that its peer was seen:
 * the store writes the peer's names, address and dialect when they
 * changed. A peer that changes them with every packet (a flood pretending
 * to, or one alternating away and back with different capabilities) would
 * cost a history write, a disk transaction, per packet: thousands a second
 * on the main thread. The pacer writes a person at once when they were not
 * written in the last LAN_PEER_SEEN_PACE_MS or come from another address
 * (a move is news: the conversation tells it), and otherwise keeps only the
 * newest state, written by a timer one to two intervals later (or when the
 * pacer is freed).
 * Beyond LAN_PEER_SEEN_PACER_MAX people in pacing, newcomers are written
 * unpaced: each of them once, which the store's own bounds cover.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-conversation-store.h"

G_BEGIN_DECLS

typedef struct _LanPeerSeenPacer LanPeerSeenPacer;

/* Writes through @store (kept until freed).
 * Returns: (transfer full) */
LanPeerSeenPacer *lan_peer_seen_pacer_new    (LanConversationStore *store);
/* Writes what is still waiting, then frees. */
void              lan_peer_seen_pacer_free   (LanPeerSeenPacer     *self);
/* lan_conversation_store_peer_seen(), now or within LAN_PEER_SEEN_PACE_MS. */
void              lan_peer_seen_pacer_seen   (LanPeerSeenPacer     *self,
                                              LanPeer              *peer);
/* Drops what waits for @identity: its conversation was forgotten. */
void              lan_peer_seen_pacer_forget (LanPeerSeenPacer     *self,
                                              const char           *identity);
/* People written in the last LAN_PEER_SEEN_PACE_MS (waiting or not). */
guint             lan_peer_seen_pacer_get_size (LanPeerSeenPacer   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanPeerSeenPacer, lan_peer_seen_pacer_free)

G_END_DECLS

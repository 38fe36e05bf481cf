/* lan-peer-expiry.h — peers that announced themselves and never answered
 * are asked once, then removed if they stay silent.
 *
 * An entry flood from made-up addresses lists peers that will never send
 * anything again: marked offline they would still fill the list. A peer
 * listed from an entry (BR_ENTRY, BR_ABSENCE) and heard from only once is
 * asked by unicast BR_ENTRY once it has been quiet for the confirm time; a
 * real one answers (ANSENTRY), a made-up one is removed as if it had left,
 * its conversation forgotten as an evicted peer's. Peers that answered once
 * are never removed here (they go offline as before, lan-identity.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-presence.h"

G_BEGIN_DECLS

typedef struct _LanPeerExpiry LanPeerExpiry;

/* Watches @presence's peer list; asks through @wire.
 * Returns: (transfer full) */
LanPeerExpiry *lan_peer_expiry_new            (LanWire       *wire,
                                               LanPresence   *presence);
void           lan_peer_expiry_free           (LanPeerExpiry *self);
/* How long an unanswered peer stays quiet before it is asked, and how long
 * it then has to answer [LAN_PEER_CONFIRM_MS]. */
void           lan_peer_expiry_set_confirm_ms (LanPeerExpiry *self,
                                               guint          ms);
/* Peers removed so far. */
guint64        lan_peer_expiry_get_removed    (LanPeerExpiry *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanPeerExpiry, lan_peer_expiry_free)

G_END_DECLS

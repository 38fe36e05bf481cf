/* lan-peer-expiry.h — peers that announced themselves and never answered
 * are asked once, then removed if they stay silent.
 *
 * An entry flood from made-up addresses lists peers that will never send
 * anything again: marked offline they would still fill the list. A peer
 * listed from an entry (BR_ENTRY, BR_ABSENCE, an ANSENTRY nobody asked for)
 * and not known to answer is asked by unicast BR_ENTRY once it has been
 * quiet for the confirm time; a real one answers (ANSENTRY), a made-up one is removed as if it had left,
 * its conversation forgotten as an evicted peer's. Peers that answered once
 * are never removed here (they go offline as before, lan-identity.c); being
 * heard twice is no answer (a flood may repeat each made-up address), being
 * heard after we asked is.
 *
 * More than LAN_PEER_ASK_EACH_MAX of them at once is a flood: they are
 * asked by one broadcast entry (lan_presence_announce), which reaches every
 * real peer they could be, instead of one datagram to each made-up address.
 *
 * An ANSENTRY is an answer only to an entry of ours; one nobody asked for
 * (a spoofed flood's, from thousands of made-up addresses) lists a peer as
 * an announcement does, and it is asked and removed the same way. While the
 * list is full, such peers make room for a newcomer before anyone who
 * answered, so a flood can't push the real peers out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-peer-list.h"
#include "lan-presence.h"
#include "lan-targets.h"

G_BEGIN_DECLS

/* Unanswered peers asked one by one; more are asked by a broadcast. */
#define LAN_PEER_ASK_EACH_MAX 512

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

/* Whether an ANSENTRY from @from, from a peer not listed yet, answers our
 * broadcast entry of @announced_us (monotonic, 0 for none): it came within
 * LAN_PEER_CONFIRM_MS, on the port the entry went to, from where it went
 * (an interface's subnet, or a block of @targets: lan_targets_reach()).
 * iptux and IP Messenger answer so; a made-up address did not hear it. */
gboolean       lan_peer_expiry_answers_entry  (LanWire       *wire,
                                               LanTargets    *targets,
                                               LanEndpoint    from,
                                               gint64         announced_us);
/* @peer answered an entry of ours: never asked or removed here; also sets
 * LanPeer:answered. */
void           lan_peer_expiry_confirm        (LanPeer       *peer);
/* Whether @peer is known to answer (or never announced itself). */
gboolean       lan_peer_expiry_is_confirmed   (LanPeer       *peer);
/* When @peers is full: the peer that never answered and was heard from
 * least recently, to remove before a newcomer is listed; NULL when the
 * list has room or everyone in it answered.
 * Returns: (transfer none) (nullable) */
LanPeer       *lan_peer_expiry_pick_room      (LanPeerList   *peers);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanPeerExpiry, lan_peer_expiry_free)

G_END_DECLS

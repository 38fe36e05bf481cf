/* lan-identity.h — who is who: peers, persons, and where their messages may go.
 *
 * A peer is an endpoint that announced itself; a person is an identity
 * (user@host). This object decides what follows a person: their
 * conversation (adopted when they name themselves), the messages queued
 * for them (only to the address they were confirmed at; a move to a new
 * address after the old one went silent is a question for the user), and
 * whether a listed peer is still there (asked on Refresh and, while the
 * window is watched, now and then).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-conversation-store.h"
#include "lan-outbox.h"
#include "lan-peer-expiry.h"
#include "lan-presence.h"
#include "lan-sender.h"

G_BEGIN_DECLS

#define LAN_TYPE_IDENTITY (lan_identity_get_type ())
G_DECLARE_FINAL_TYPE (LanIdentity, lan_identity, LAN, IDENTITY, GObject)

/* Properties:
 *   "follow-moves" boolean  answer the move question "yes" without asking
 *                           (lanchat-cli --follow-moves) [FALSE]
 *   "watching"     boolean  someone looks at the peers (the app's window is
 *                           open): every "watch-s" seconds, the peers heard
 *                           from in none of them are asked (unicast BR_ENTRY,
 *                           LAN_IDENTITY_WATCH_ASK at most) and those that
 *                           don't answer go offline; no timer otherwise [FALSE]
 *   "watch-s"      uint     [LAN_IDENTITY_WATCH_S]
 *   "probe-ms"     uint     how long an asked peer has to answer before it
 *                           counts as gone [LAN_IDENTITY_PROBE_MS]
 * Signals:
 *   "move-question" (LanPeer *peer, const char *old_key, guint n_waiting):
 *       @peer announced the identity of a person whose @n_waiting queued
 *       messages were confirmed at @old_key, and @old_key did not answer
 *       when asked. Nothing goes to @peer until lan_identity_follow_move().
 */

/* Returns: (transfer full) */
LanIdentity *lan_identity_new          (LanWire              *wire,
                                        LanPresence          *presence,
                                        LanConversationStore *store,
                                        LanOutbox            *outbox,
                                        LanSender            *sender);
/* Announce ourselves (Refresh) and, LAN_IDENTITY_PROBE_MS later, mark the
 * listed peers that sent nothing since as offline. */
void         lan_identity_refresh      (LanIdentity          *self);
void         lan_identity_set_watching (LanIdentity          *self,
                                        gboolean              watching);
void         lan_identity_set_watch_s  (LanIdentity          *self,
                                        guint                 seconds);
void         lan_identity_set_follow_moves (LanIdentity      *self,
                                            gboolean          follow);
void         lan_identity_set_probe_ms (LanIdentity          *self,
                                        guint                 ms);
/* The user said @peer is the person its identity names: what waits for
 * that identity is confirmed at @peer's address and starts going out.
 * Returns how many messages were waiting. */
guint        lan_identity_follow_move  (LanIdentity          *self,
                                        LanPeer              *peer);

/* The presence hooks' side (see LanPresenceHooks). */
void         lan_identity_peer_named   (LanIdentity          *self,
                                        LanPeer              *peer,
                                        const char           *old_identity);
void         lan_identity_peer_back    (LanIdentity          *self,
                                        LanPeer              *peer);
void         lan_identity_peer_evicted (LanIdentity          *self,
                                        LanPeer              *peer);

/* Our instance id (hex): stable beside a history (in "<history>.instance"),
 * else for this process.
 * Returns: (transfer none) */
const char  *lan_identity_get_instance_id (LanIdentity       *self);
/* Who announced itself and never answered, removed (lan-peer-expiry.h).
 * Returns: (transfer none) */
LanPeerExpiry *lan_identity_get_expiry (LanIdentity      *self);
/* See lan_messenger_get_peer_for_address().
 * Returns: (transfer none) (nullable) */
LanPeer     *lan_identity_peer_for_address (LanIdentity      *self,
                                            const char       *address,
                                            guint16           default_port,
                                            GError          **error);
/* Sets @peer's "machine" from its entry @packet and the "LI:" value of
 * the entry's UTF-8 block (@instance, @instance_len bytes; NULL: none):
 * Lanchat's "LI:" or FeiQ's MAC. */
void         lan_identity_set_machine  (LanPeer              *peer,
                                        const LanIpmsgPacket *packet,
                                        const char           *instance,
                                        gsize                 instance_len);

/* TRUE when an entry just announced from @listed's address naming @user
 * and @host (lan_entry_claimed_names) is someone else: @listed had named
 * itself, and another user@host. */
gboolean     lan_identity_other_person (LanPeer              *listed,
                                        const char           *user,
                                        const char           *host);

G_END_DECLS

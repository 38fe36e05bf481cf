/* lan-presence.h — who is on the LAN: entry, answer, absence, exit, info.
 *
 * Announces us (to broadcast addresses, DIALUPOPT peers and the extra
 * targets, paced), answers BR_ENTRY after a random, rate-limited delay,
 * keeps the peer list from what peers announce. What others need to know about peers comes out through hooks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-peer-list.h"
#include "lan-wire.h"

G_BEGIN_DECLS

typedef struct {
  /* A BR_ENTRY from @key ("ip:port"): its packet numbers may start over. */
  void (*session_started) (const char *key, gpointer user_data);
  /* A BR_EXIT from @key. */
  void (*session_ended)   (const char *key, gpointer user_data);
  /* @peer was listed, or announced new names; @old_identity is what it was
   * known as before (its key when new). */
  void (*peer_named)      (LanPeer *peer, const char *old_identity, gpointer user_data);
  /* @peer announced itself: it is there to take what we owe it. */
  void (*peer_back)       (LanPeer *peer, gpointer user_data);
  /* @peer left (BR_EXIT); called before it is removed from the list. */
  void (*peer_gone)       (LanPeer *peer, gpointer user_data);
  /* @peer made room for another in a full list. */
  void (*peer_evicted)    (LanPeer *peer, gpointer user_data);
} LanPresenceHooks;

#define LAN_TYPE_PRESENCE (lan_presence_get_type ())
G_DECLARE_FINAL_TYPE (LanPresence, lan_presence, LAN, PRESENCE, GObject)

/* Registers the wire handlers for the presence commands.
 * Returns: (transfer full) */
LanPresence *lan_presence_new             (LanWire                *wire,
                                           LanPeerList            *peers);
void         lan_presence_set_hooks       (LanPresence            *self,
                                           const LanPresenceHooks *hooks,
                                           gpointer                user_data);

/* What we announce. A change while running is announced (BR_ABSENCE), once
 * per main-loop iteration however many change together. */
void         lan_presence_set_nickname    (LanPresence  *self,
                                           const char   *nickname);
void         lan_presence_set_group       (LanPresence  *self,
                                           const char   *group);
/* Our instance id (hex), sent as "LI:" in the UTF-8 block; NULL: none. */
void         lan_presence_set_instance_id (LanPresence  *self,
                                           const char   *instance_id);
void         lan_presence_set_away        (LanPresence  *self,
                                           gboolean      away,
                                           const char   *away_text);
/* Announce "nick[away text]" while away (IP Messenger's habit; off by default). */
void         lan_presence_set_away_in_nickname (LanPresence *self,
                                                gboolean     away_in_nickname);
gboolean     lan_presence_get_away        (LanPresence  *self);
/* Returns: (transfer none) (nullable) */
const char  *lan_presence_get_away_text   (LanPresence  *self);
void         lan_presence_set_answer_delay_max (LanPresence *self,
                                                guint        ms);

gboolean     lan_presence_add_target      (LanPresence  *self,
                                           const char   *spec,
                                           guint16       default_port,
                                           GError      **error);
void         lan_presence_clear_targets   (LanPresence  *self);

/* Returns: (transfer none) */
LanPeerList *lan_presence_get_peers       (LanPresence  *self);
/* Delayed answers waiting, by "ip:port" (for tests of the bound).
 * Returns: (transfer none) */
GHashTable  *lan_presence_get_answers     (LanPresence  *self);

/* Announce (NOOPERATION, then BR_ENTRY) once bound. */
void         lan_presence_start           (LanPresence  *self);
/* Say BR_EXIT everywhere, at once, and drop what was still to go out. */
void         lan_presence_stop            (LanPresence  *self);
void         lan_presence_announce        (LanPresence  *self);
/* To everyone: broadcast addresses, DIALUPOPT peers, extra targets (paced). */
void         lan_presence_broadcast       (LanPresence  *self,
                                           GBytes       *datagram);
/* Returns: (transfer full) */
GBytes      *lan_presence_build_entry     (LanPresence  *self,
                                           guint32       mode);

/* A new, unlisted peer named from @packet's header.
 * Returns: (transfer full) */
LanPeer     *lan_presence_make_peer       (LanPresence  *self,
                                           LanEndpoint   from,
                                           const LanIpmsgPacket *packet);
/* Lists the sender of @context (named from its header), asks it for its
 * entry, and sets context->peer.
 * Returns: (transfer none) */
LanPeer     *lan_presence_add_sender      (LanPresence      *self,
                                           LanPacketContext *context);
/* Takes @peer off the list, telling whoever cares (LanMessenger::peer-gone);
 * with @forget also its session and its conversation, as for an evicted
 * peer (lan-peer-expiry.h). */
void         lan_presence_remove          (LanPresence  *self,
                                           LanPeer      *peer,
                                           gboolean      forget);
/* The peer at @endpoint: the listed one, or a new one named by its address
 * that is sent our BR_ENTRY now.
 * Returns: (transfer none) */
LanPeer     *lan_presence_peer_at         (LanPresence  *self,
                                           LanEndpoint   endpoint);

G_END_DECLS

/* lan-peer.h — someone on the LAN who answered, as we last heard of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "lan-dialect.h"
#include "lan-types.h"

G_BEGIN_DECLS

#define LAN_TYPE_PEER (lan_peer_get_type ())
G_DECLARE_FINAL_TYPE (LanPeer, lan_peer, LAN, PEER, GObject)

/* Properties (all read-only from outside the core, all notify):
 *   "key"          string   "10.77.0.5:2425", where it is now
 *   "identity"     string   "user@host" (or the key until it says), what conversations follow;
 *                           "user@host (ip:port)" while another live machine has that user@host
 *   "nickname"     string   decoded, never NULL (falls back to user)
 *   "user", "host", "group"  string, decoded
 *   "address"      string   "10.77.0.5"
 *   "port"         uint
 *   "away"         boolean
 *   "away-text"    string   from SENDABSENCEINFO, may be NULL
 *   "version-text" string   from SENDINFO, may be NULL
 *   "capabilities" uint     option bits of its last entry packet
 *   "utf8"         boolean  it takes UTF-8 (CAPUTF8OPT or iptux's marker)
 *   "dialup"       boolean  wants entry packets by unicast (DIALUPOPT)
 *   "last-seen"    int64    g_get_real_time () of the last packet from it
 *   "dialect-override" uint LanDialectOverride the user chose for it
 *   "machine"      string   "LI:<hex>" (Lanchat's instance id) or "MAC:<mac>"
 *                           (FeiQ's), when its entry said; NULL otherwise
 *   "addresses"    strv     its other addresses ("ip:port") when it is one
 *                           machine on several networks (same machine), else empty
 *   "online"       boolean  FALSE once it failed to answer when asked (Refresh,
 *                           or the check while watching); TRUE again with its
 *                           next packet. A silent peer stays listed, shown gone.
 */
/* Returns: (transfer none) */
const char  *lan_peer_get_key          (LanPeer *self);
/* "user@host" once the peer has said both, else its key: what a conversation
 * follows when the peer's address changes. */
/* Returns: (transfer none) */
const char  *lan_peer_get_identity     (LanPeer *self);
/* Returns: (transfer none) */
const char  *lan_peer_get_nickname     (LanPeer *self);
/* Returns: (transfer none) */
const char  *lan_peer_get_user         (LanPeer *self);
/* Returns: (transfer none) */
const char  *lan_peer_get_host         (LanPeer *self);
/* Returns: (transfer none) */
const char  *lan_peer_get_group        (LanPeer *self);
/* Returns: (transfer none) */
const char  *lan_peer_get_address      (LanPeer *self);
guint16      lan_peer_get_port         (LanPeer *self);
LanEndpoint  lan_peer_get_endpoint     (LanPeer *self);
gboolean     lan_peer_get_away         (LanPeer *self);
/* Returns: (transfer none) (nullable) */
const char  *lan_peer_get_away_text    (LanPeer *self);
/* Returns: (transfer none) (nullable) */
const char  *lan_peer_get_version_text (LanPeer *self);
guint32      lan_peer_get_capabilities (LanPeer *self);
gboolean     lan_peer_get_utf8         (LanPeer *self);
gboolean     lan_peer_get_dialup       (LanPeer *self);
gint64       lan_peer_get_last_seen    (LanPeer *self);
/* What its entries taught (lan-dialect.h), override included. The legacy
 * encoding in it is the configured one only when the entry proved none:
 * the engine applies its setting (lan_wire_peer_dialect). (transfer none) */
const LanDialect  *lan_peer_get_dialect          (LanPeer *self);
LanDialectOverride lan_peer_get_dialect_override (LanPeer *self);
gboolean     lan_peer_get_online       (LanPeer *self);
/* TRUE once it was heard from again after its first packet, or its first
 * packet answered our entry: a flood of one-shot spoofed entries has none. */
gboolean     lan_peer_get_answered     (LanPeer *self);
/* Returns: (transfer none) (nullable) */
const char  *lan_peer_get_machine      (LanPeer *self);
/* Returns: (transfer none) (array zero-terminated=1): never NULL */
const char * const *lan_peer_get_addresses (LanPeer *self);
/* TRUE while its identity names its address too (see "identity"). */
gboolean     lan_peer_get_distinct     (LanPeer *self);

/* The engine's side: the core's objects create and update these; the app
 * and the CLI only read them. */
/* Returns: (transfer full) */
LanPeer *lan_peer_new              (LanEndpoint  endpoint);
/* Each setter notifies only when the value changes. */
void     lan_peer_set_names        (LanPeer     *self,
                                    const char  *nickname,
                                    const char  *user,
                                    const char  *host,
                                    const char  *group);
void     lan_peer_set_away         (LanPeer     *self,
                                    gboolean     away);
void     lan_peer_set_away_text    (LanPeer     *self,
                                    const char  *text);
void     lan_peer_set_version_text (LanPeer     *self,
                                    const char  *text);
void     lan_peer_set_capabilities (LanPeer     *self,
                                    guint32      capabilities);
void     lan_peer_set_utf8         (LanPeer     *self,
                                    gboolean     utf8);
/* Also sets "utf8" to what the dialect says. */
void     lan_peer_set_dialect      (LanPeer          *self,
                                    const LanDialect *dialect);
void     lan_peer_set_dialect_override (LanPeer            *self,
                                        LanDialectOverride  override);
/* Also sets it online. */
void     lan_peer_set_last_seen    (LanPeer     *self,
                                    gint64       time_us);
void     lan_peer_set_online       (LanPeer     *self,
                                    gboolean     online);
void     lan_peer_set_answered     (LanPeer     *self);
void     lan_peer_set_distinct     (LanPeer     *self,
                                    gboolean     distinct);
void     lan_peer_set_machine      (LanPeer     *self,
                                    const char  *machine);
/* Heard from @key too (another network card of the same machine). */
void     lan_peer_add_address      (LanPeer     *self,
                                    const char  *key);
/* TRUE when @command and @extra are what its last entry packet carried;
 * otherwise remembers them. Peers repeat their entry packets, and decoding
 * an unchanged one again is most of what a presence flood costs. */
gboolean lan_peer_entry_unchanged  (LanPeer     *self,
                                    guint32      command,
                                    GBytes      *extra);
/* Whether it announced itself (an entry packet came from it). */
gboolean lan_peer_get_announced    (LanPeer     *self);

G_END_DECLS

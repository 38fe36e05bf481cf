/* lan-peer-private.h — what the engine may change on a peer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-peer.h"

G_BEGIN_DECLS

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
void     lan_peer_set_last_seen    (LanPeer     *self,
                                    gint64       time_us);
/* TRUE when @command and @extra are what its last entry packet carried;
 * otherwise remembers them. Peers repeat their entry packets, and decoding
 * an unchanged one again is most of what a presence flood costs. */
gboolean lan_peer_entry_unchanged  (LanPeer     *self,
                                    guint32      command,
                                    GBytes      *extra);

G_END_DECLS

/* lan-history-dialect.h — each peer's dialect (what it reads and writes,
 * and the user's override) kept in history, and given back when the peer
 * is seen again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-history.h"
#include "lan-peer.h"

G_BEGIN_DECLS

gboolean  lan_history_save_dialect  (LanHistory  *self,
                                     const char  *identity,
                                     const char  *dialect,
                                     GError     **error);
/* What lan_dialect_to_string() wrote for @identity, or NULL (none, or
 * @error). (transfer full) (nullable) */
char     *lan_history_load_dialect  (LanHistory  *self,
                                     const char  *identity,
                                     GError     **error);
/* For a peer that has a name (user@host): the first time, give it back
 * what history knows (its override; a legacy charset its entries proved),
 * and save from then on whenever it changes (learned, or chosen in its
 * menu). Returns FALSE with @error when history failed. */
gboolean  lan_history_dialect_track (LanHistory  *self,
                                     LanPeer     *peer,
                                     GError     **error);

G_END_DECLS

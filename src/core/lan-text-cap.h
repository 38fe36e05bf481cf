/* lan-text-cap.h — text from the network cut to a size before it is kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Cuts @text (valid UTF-8, owned, may be NULL) to at most @max_bytes bytes,
 * at a character boundary, in place. */
void lan_text_cap (char  *text,
                   gsize  max_bytes);

/* The four names of a peer, each to LAN_PEER_MAX_NAME_BYTES (lan-bounds.h):
 * what bounds a listed peer by bytes as well as by count. */
void lan_text_cap_peer_names (char *nickname,
                              char *user,
                              char *host,
                              char *group);

/* The SHA-256 of @bytes (may be NULL: of nothing), for remembering a large
 * input only to tell whether it comes again.
 * Returns: (transfer full) */
GBytes *lan_text_cap_digest (GBytes *bytes);

G_END_DECLS

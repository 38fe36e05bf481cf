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

/* Announcements up to this many bytes are remembered as they are, longer
 * ones by their digest (lan_text_cap_digest). */
#define LAN_TEXT_CAP_KEEP_RAW 160

/* What to remember of @bytes (may be NULL: nothing) only to tell whether it
 * comes again: a copy when short, its SHA-256 when longer.
 * Returns: (transfer full) */
GBytes *lan_text_cap_digest (GBytes *bytes);

G_END_DECLS

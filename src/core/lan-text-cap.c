/* lan-text-cap.c — cutting network text to a size, on a character boundary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-text-cap"

#include "config.h"

#include <string.h>

#include "lan-bounds.h"
#include "lan-text-cap.h"

void
lan_text_cap (char  *text,
              gsize  max_bytes)
{
  char *end;

  if (text == NULL || strlen (text) <= max_bytes)
    return;
  /* Back to the start of the character the limit falls in. */
  end = g_utf8_find_prev_char (text, text + max_bytes + 1);
  *(end != NULL ? end : text) = '\0';
}

void
lan_text_cap_peer_names (char *nickname,
                         char *user,
                         char *host,
                         char *group)
{
  lan_text_cap (nickname, LAN_PEER_MAX_NAME_BYTES);
  lan_text_cap (user, LAN_PEER_MAX_NAME_BYTES);
  lan_text_cap (host, LAN_PEER_MAX_NAME_BYTES);
  lan_text_cap (group, LAN_PEER_MAX_NAME_BYTES);
}

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

GBytes *
lan_text_cap_digest (GBytes *bytes)
{
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize len = sizeof digest;
  gsize size = 0;
  const guint8 *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  /* Most announcements are this short: kept as they are, a repeat costs a
   * comparison, not a hash (entry packets are most of what a LAN sends);
   * only longer ones are worth the 32 bytes of a digest. The prefix byte
   * keeps a short announcement from ever equalling a digest. */
  if (size <= LAN_TEXT_CAP_KEEP_RAW)
    {
      g_autoptr(GByteArray) kept = g_byte_array_sized_new ((guint) size + 1);

      g_byte_array_append (kept, (const guint8 *) "r", 1);
      if (data != NULL)
        g_byte_array_append (kept, data, (guint) size);
      return g_byte_array_free_to_bytes (g_steal_pointer (&kept));
    }
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  if (data != NULL)
    g_checksum_update (checksum, data, (gssize) size);
  g_checksum_get_digest (checksum, digest, &len);
  return g_bytes_new (digest, len);
}

/* lan-packet-filter-match.c — one term tested against one log row.
 *
 * Cheap first: direction, protocol, verdict and addresses are fields of the row; the
 * command is read straight from the bytes; only words and names need the
 * decoded text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-packet-filter-match"

#include "config.h"

#include <string.h>

#include "lan-ipmsg.h"
#include "lan-packet-filter-term.h"
#include "lan-packet-log.h"

static gboolean
contains_ascii (const char *haystack,
                const char *needle)
{
  gsize needle_len = strlen (needle);
  char first = needle[0];

  if (haystack == NULL)
    return FALSE;
  if (needle_len == 0)
    return TRUE;
  for (const char *p = haystack; *p != '\0'; p++)
    if (g_ascii_tolower (*p) == first && g_ascii_strncasecmp (p, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
contains (LanPacketFilterTerm *term,
          const char          *haystack,
          const char          *needle)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;
  /* ASCII on both sides: compare bytes. Not an ASCII needle alone, which
   * folding can still find in "Straße" or "ﬁle". */
  if (term->ascii && lan_packet_filter_text_is_ascii (haystack))
    return contains_ascii (haystack, needle);
  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static gboolean
block_matches (GArray      *blocks,
               LanEndpoint  endpoint)
{
  for (guint i = 0; i < blocks->len; i++)
    {
      LanPacketFilterBlock *block = &g_array_index (blocks, LanPacketFilterBlock, i);

      if ((endpoint.address & block->mask) == block->address &&
          (block->port == 0 || block->port == endpoint.port))
        return TRUE;
    }
  return FALSE;
}

static gboolean
command_matches (LanPacketFilterTerm *term,
                 LanPacketLogEntry   *entry)
{
  GBytes *bytes = lan_packet_log_entry_get_bytes (entry);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  guint32 command;
  guint mode;

  if (lan_packet_log_entry_get_verdict (entry) == LAN_VERDICT_MALFORMED ||
      !lan_packet_peek_command (data, len, &command))
    return FALSE;
  mode = LAN_IPMSG_MODE (command);
  if (!(term->modes[mode / 8] & (1u << (mode % 8))))
    return FALSE;
  /* The bytes say so; the codec must agree, as the row shows what it parsed. */
  return lan_packet_log_entry_get_parsed (entry);
}

static gboolean
peer_matches (LanPeerList         *peers,
              LanPacketFilterTerm *term,
              LanPacketLogEntry   *entry)
{
  LanEndpoint remote = lan_packet_log_entry_get_remote (entry);
  gboolean in = lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN;
  LanPeer *peer = NULL;
  char address[16];
  const char *user = NULL, *host = NULL, *nickname = NULL;

  if (term->blocks != NULL && block_matches (term->blocks, remote))
    return TRUE;
  if (term->needles == NULL)
    return FALSE;

  if (peers != NULL)
    peer = lan_peer_list_lookup_endpoint (peers, remote);
  lan_ipv4_format (remote.address, address);
  /* What we send carries our own names: only incoming packets name the peer. */
  if (in && lan_packet_log_entry_get_parsed (entry))
    {
      user = lan_packet_log_entry_get_user (entry);
      host = lan_packet_log_entry_get_host (entry);
      /* An entry packet's first section is its sender's nickname. */
      if (lan_ipmsg_is_entry_mode (lan_packet_log_entry_get_command (entry)))
        nickname = lan_packet_log_entry_get_text (entry);
    }

  for (guint i = 0; i < term->needles->len; i++)
    {
      const char *needle = g_ptr_array_index (term->needles, i);

      if ((peer != NULL && (contains (term, lan_peer_get_nickname (peer), needle) ||
                            contains (term, lan_peer_get_user (peer), needle) ||
                            contains (term, lan_peer_get_host (peer), needle))) ||
          contains (term, user, needle) ||
          contains (term, host, needle) ||
          contains (term, nickname, needle) ||
          contains_ascii (address, needle))
        return TRUE;
    }
  return FALSE;
}

static gboolean
word_matches (LanPacketFilterTerm *term,
              LanPacketLogEntry   *entry)
{
  const char *needle = g_ptr_array_index (term->needles, 0);

  return contains (term, lan_packet_log_entry_get_info (entry), needle) ||
         contains (term, lan_packet_log_entry_get_text (entry), needle) ||
         contains (term, lan_packet_log_entry_get_detail (entry), needle);
}

gboolean
lan_packet_filter_term_matches (LanPacketFilterTerm *term,
                                LanPeerList         *peers,
                                LanPacketLogEntry   *entry)
{
  gboolean in = lan_packet_log_entry_get_direction (entry) == LAN_DIRECTION_IN;

  switch (term->key)
    {
    case LAN_PACKET_FILTER_KEY_DIR:
      return lan_packet_log_entry_get_direction (entry) == term->direction;
    case LAN_PACKET_FILTER_KEY_PROTO:
      return ((lan_packet_log_entry_get_flags (entry) & LAN_DATAGRAM_TCP) != 0) == term->tcp;
    case LAN_PACKET_FILTER_KEY_VERDICT:
      return (term->verdicts & (1u << lan_packet_log_entry_get_verdict (entry))) != 0;
    case LAN_PACKET_FILTER_KEY_FROM:
      return block_matches (term->blocks, in ? lan_packet_log_entry_get_remote (entry)
                                             : lan_packet_log_entry_get_local (entry));
    case LAN_PACKET_FILTER_KEY_TO:
      return block_matches (term->blocks, in ? lan_packet_log_entry_get_local (entry)
                                             : lan_packet_log_entry_get_remote (entry));
    case LAN_PACKET_FILTER_KEY_CMD:
      return command_matches (term, entry);
    case LAN_PACKET_FILTER_KEY_PEER:
      return peer_matches (peers, term, entry);
    case LAN_PACKET_FILTER_KEY_WORD:
    default:
      return word_matches (term, entry);
    }
}

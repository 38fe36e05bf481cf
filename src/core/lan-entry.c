/* lan-entry.c — our entry packet, per reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-entry"

#include "config.h"

#include <string.h>

#include "lan-entry.h"
#include "lan-identity.h"
#include "lan-text-cap.h"

/* IP Messenger users write "山田太郎[会議中]"; a long or multi-line away
 * text would make a nickname nobody can read in a list. */
#define AWAY_IN_NICKNAME_MAX_CHARS 24

char *
lan_entry_shown_nickname (const LanEntryInfo *info)
{
  g_autofree char *line = NULL;
  const char *text;
  char *newline;

  if (!info->away || !info->away_in_nickname)
    return g_strdup (info->nickname);

  text = info->away_text != NULL && *info->away_text != '\0' ? info->away_text : "away";
  line = g_strdup (text);
  if ((newline = strpbrk (line, "\r\n")) != NULL)
    *newline = '\0';
  if (g_utf8_strlen (line, -1) > AWAY_IN_NICKNAME_MAX_CHARS)
    {
      char *cut = g_utf8_substring (line, 0, AWAY_IN_NICKNAME_MAX_CHARS);

      g_free (line);
      line = g_strconcat (cut, "…", NULL);
      g_free (cut);
    }
  return g_strdup_printf ("%s[%s]", info->nickname, line);
}

GBytes *
lan_entry_build (LanWire            *wire,
                 const LanEntryInfo *info,
                 guint32             mode,
                 const LanDialect   *to)
{
  g_autoptr(GByteArray) extra = g_byte_array_new ();
  g_autoptr(GBytes) nickname = NULL;
  g_autoptr(GBytes) group = NULL;
  g_autofree char *nick = lan_entry_shown_nickname (info);
  LanDialect dialect;
  LanDialectEntryForm form;
  LanDialectText kind;
  guint32 options = LAN_IPMSG_CAPUTF8OPT | (info->away ? LAN_IPMSG_ABSENCEOPT : 0);

  if (to != NULL)
    {
      dialect = *to;
      lan_dialect_set_default_legacy (&dialect, lan_wire_get_legacy (wire));
    }
  else
    lan_dialect_init (&dialect, lan_wire_get_legacy (wire));
  form = lan_dialect_entry_form (to != NULL ? &dialect : NULL);
  kind = form.utf8_fields ? LAN_DIALECT_UTF8_TEXT : LAN_DIALECT_LEGACY_TEXT;

  /* Exit packets carry the same so that a client that missed our entry
   * still knows who left. */
  nickname = lan_dialect_encode (&dialect, kind, nick, NULL, NULL);
  group = lan_dialect_encode (&dialect, kind, info->group, NULL, NULL);
  g_byte_array_append (extra, g_bytes_get_data (nickname, NULL), (guint) g_bytes_get_size (nickname));
  g_byte_array_append (extra, (const guint8 *) "", 1);
  g_byte_array_append (extra, g_bytes_get_data (group, NULL), (guint) g_bytes_get_size (group));
  g_byte_array_append (extra, (const guint8 *) "", 1);
  if (form.utf8_block)
    {
      g_autofree char *plain = lan_ipmsg_build_utf8_block (lan_wire_get_user_name (wire),
                                                           lan_wire_get_host_name (wire), nick,
                                                           *info->group != '\0' ? info->group : NULL);
      /* "LI:" is a key other clients ignore: it tells two machines with one user@host apart. */
      g_autofree char *block = info->instance_id != NULL
                               ? g_strconcat (plain, "LI:", info->instance_id, "\n", NULL)
                               : g_strdup (plain);

      g_byte_array_append (extra, (const guint8 *) block, (guint) strlen (block));
      g_byte_array_append (extra, (const guint8 *) "", 1);
    }

  return lan_wire_build_to (wire, to != NULL ? &dialect : NULL, lan_wire_next_packet_no (wire),
                            mode | options, extra->data, extra->len);
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

gboolean
lan_entry_needs_copy (LanWire            *wire,
                      const LanEntryInfo *info,
                      const LanDialect   *to)
{
  g_autofree char *nick = NULL;
  LanDialect dialect = *to;
  LanDialectEntryForm form;

  /* ASCII reads the same in every charset: the broadcast's block alone
   * differs, and readers that don't want it ignore it. Undecorated, the
   * nickname is tested as it is, without a copy. */
  if (info->away && info->away_in_nickname)
    nick = lan_entry_shown_nickname (info);
  if (is_ascii (nick != NULL ? nick : info->nickname) && is_ascii (info->group) &&
      is_ascii (lan_wire_get_user_name (wire)) && is_ascii (lan_wire_get_host_name (wire)))
    return FALSE;
  lan_dialect_set_default_legacy (&dialect, lan_wire_get_legacy (wire));
  form = lan_dialect_entry_form (&dialect);
  return !form.utf8_fields || !form.utf8_block;
}

void
lan_entry_send_copies (LanWire            *wire,
                       LanPeerList        *peers,
                       const LanEntryInfo *info,
                       guint32             mode)
{
  guint n_peers = g_list_model_get_n_items (G_LIST_MODEL (peers));

  for (guint i = 0; i < n_peers; i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (G_LIST_MODEL (peers), i);
      g_autoptr(GBytes) copy = NULL;

      if (!lan_entry_needs_copy (wire, info, lan_peer_get_dialect (peer)))
        continue;
      copy = lan_entry_build (wire, info, mode, lan_peer_get_dialect (peer));
      lan_wire_send (wire, lan_peer_get_endpoint (peer), copy, LAN_VERDICT_OK);
    }
}

void
lan_entry_block_read (const LanIpmsgPacket *packet,
                      LanEntryBlock        *block)
{
  static const char keys[LAN_ENTRY_BLOCK_N_KEYS][3] = { "NN", "GN", "UN", "HN", "LI" };
  LanIpmsgScan scratch;
  const LanIpmsgScan *scan = lan_ipmsg_packet_get_scan (packet, &scratch);
  const guint8 *extra;
  LanIpmsgUtf8Line line;
  LanIpmsgSpan span;
  guint32 pos;

  memset (block, 0, sizeof *block);
  if (!lan_ipmsg_is_entry_mode (packet->command) || !scan->has_utf8_block || packet->extra == NULL)
    return;
  extra = g_bytes_get_data (packet->extra, NULL);
  /* The scan's offsets count from the datagram; the extra part starts at extra.offset. */
  span = (LanIpmsgSpan) { scan->utf8_block.offset - scan->extra.offset, scan->utf8_block.length };
  pos = span.offset;
  while (lan_ipmsg_scan_next_utf8_line (extra, span, &pos, &line))
    {
      const char *key = (const char *) extra + line.key.offset;

      /* Keys and values end at a NUL, as the copies of the parsed block do. */
      if (strnlen (key, line.key.length) != 2)
        continue;
      for (guint k = 0; k < LAN_ENTRY_BLOCK_N_KEYS; k++)
        if (block->value[k] == NULL && memcmp (key, keys[k], 2) == 0)
          {
            block->value[k] = (const char *) extra + line.value.offset;
            block->length[k] = strnlen (block->value[k], line.value.length);
          }
    }
}

/* The block's @key as valid UTF-8, or NULL. (transfer full) (nullable) */
static char *
block_text (const LanEntryBlock *block,
            LanEntryBlockKey     key)
{
  if (block->value[key] == NULL)
    return NULL;
  return g_utf8_make_valid (block->value[key], (gssize) block->length[key]);
}

/* @packet's header @field read by what the packet alone teaches
 * (lan_wire_decode); ASCII, read the same by every charset, needs no lesson.
 * (transfer full) */
static char *
header_text (LanWire              *wire,
             const LanIpmsgPacket *packet,
             const char           *field)
{
  if (is_ascii (field))
    return g_strdup (field);
  return lan_wire_decode (wire, NULL, packet, (const guint8 *) field, strlen (field));
}

LanPeer *
lan_entry_new_peer (LanWire              *wire,
                    LanEndpoint           from,
                    const LanIpmsgPacket *packet)
{
  LanPeer *peer = lan_peer_new (from);
  g_autofree char *user = header_text (wire, packet, packet->user);
  g_autofree char *host = header_text (wire, packet, packet->host);

  lan_text_cap_peer_names (NULL, user, host, NULL);
  lan_peer_set_names (peer, NULL, user, host, NULL);
  /* Heard once: an ANSENTRY is an answer only to an entry of ours (lan-presence.c). */
  lan_peer_set_last_seen (peer, g_get_real_time ());
  return peer;
}

void
lan_entry_claimed_names (LanWire              *wire,
                         const LanIpmsgPacket *packet,
                         const LanEntryBlock  *block,
                         char                **out_user,
                         char                **out_host)
{
  char *user = block_text (block, LAN_ENTRY_BLOCK_UN);
  char *host = block_text (block, LAN_ENTRY_BLOCK_HN);

  /* A peer not listed yet reads by what its own packet teaches. */
  if (user == NULL)
    user = header_text (wire, packet, packet->user);
  if (host == NULL)
    host = header_text (wire, packet, packet->host);
  lan_text_cap_peer_names (NULL, user, host, NULL);
  *out_user = user;
  *out_host = host;
}

void
lan_entry_learn (LanWire              *wire,
                 LanPeer              *peer,
                 const LanIpmsgPacket *packet,
                 const LanEntryBlock  *block)
{
  LanDialect dialect = *lan_peer_get_dialect (peer);
  /* The UTF-8 block wins over the legacy fields (it is what the sender
   * meant): those are decoded only where it has no line. */
  g_autofree char *nickname = block_text (block, LAN_ENTRY_BLOCK_NN);
  g_autofree char *group = block_text (block, LAN_ENTRY_BLOCK_GN);
  g_autofree char *user = block_text (block, LAN_ENTRY_BLOCK_UN);
  g_autofree char *host = block_text (block, LAN_ENTRY_BLOCK_HN);

  lan_peer_set_capabilities (peer, LAN_IPMSG_OPTIONS (packet->command));
  /* Every entry teaches: the marker against the bytes, CP932 by its NN:. */
  lan_dialect_learn (&dialect, packet);
  lan_peer_set_dialect (peer, &dialect);

  if (nickname == NULL && lan_ipmsg_packet_get_section (packet, 0) != NULL)
    nickname = lan_wire_decode_section (wire, peer, packet, 0);
  if (group == NULL && lan_ipmsg_packet_get_section (packet, 1) != NULL)
    group = lan_wire_decode_section (wire, peer, packet, 1);
  if (user == NULL)
    user = lan_wire_decode (wire, peer, packet, (const guint8 *) packet->user, strlen (packet->user));
  if (host == NULL)
    host = lan_wire_decode (wire, peer, packet, (const guint8 *) packet->host, strlen (packet->host));

  lan_text_cap_peer_names (nickname, user, host, group);
  lan_peer_set_names (peer, nickname, user, host, group != NULL ? group : "");
  lan_identity_set_machine (peer, packet, block->value[LAN_ENTRY_BLOCK_LI], block->length[LAN_ENTRY_BLOCK_LI]);
  /* iptux sets ABSENCEOPT on every packet: from it the bit says nothing. */
  lan_peer_set_away (peer, (packet->command & LAN_IPMSG_ABSENCEOPT) != 0 &&
                           !g_str_has_prefix (packet->version, "1_iptux"));
}

void
lan_entry_reply_text (LanWire          *wire,
                      LanPacketContext *context,
                      guint32           mode,
                      const char       *text)
{
  LanPeer *peer = context->peer;
  LanDialect dialect = lan_wire_peer_dialect (wire, peer);
  guint32 command = mode;
  g_autoptr(GBytes) encoded = lan_dialect_encode (&dialect, LAN_DIALECT_PEER_TEXT, text, &command, NULL);
  g_autoptr(GBytes) packet = NULL;

  packet = lan_wire_build_to (wire, peer != NULL ? &dialect : NULL, lan_wire_next_packet_no (wire), command,
                              g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded));
  lan_packet_context_reply (context, context->from, packet);
}

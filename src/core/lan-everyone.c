/* lan-everyone.c — text to Everyone.
 *
 * A broadcast has one charset for every reader, and there is none they all
 * read: GB18030 text makes iptux switch its charset for us to gb18030 (and
 * garbles everything after, both ways); UTF-8 without UTF8OPT is garbage to
 * FeiQ and to IP Messenger (broadcasts never carry UTF8OPT). So non-ASCII
 * text goes to each peer we know by unicast, in its dialect, still flagged
 * BROADCASTOPT (shown as a message to everyone, never acknowledged).
 * Peers we have not heard from don't get it: better than a wrong charset
 * for everyone we do know.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-everyone"

#include "config.h"

#include "lan-everyone.h"

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return TRUE;
}

static GBytes *
build (LanWire          *wire,
       const LanDialect *to,
       guint64           packet_no,
       const char       *text)
{
  guint32 command = LAN_IPMSG_SENDMSG | LAN_IPMSG_BROADCASTOPT;
  LanDialect dialect;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GByteArray) extra = g_byte_array_new ();

  if (to != NULL)
    dialect = *to;
  else
    lan_dialect_init (&dialect, lan_wire_get_legacy (wire));
  lan_dialect_set_default_legacy (&dialect, lan_wire_get_legacy (wire));
  body = lan_dialect_encode (&dialect, to != NULL ? LAN_DIALECT_PEER_TEXT : LAN_DIALECT_LEGACY_TEXT,
                             text, &command, NULL);
  g_byte_array_append (extra, g_bytes_get_data (body, NULL), (guint) g_bytes_get_size (body));
  g_byte_array_append (extra, (const guint8 *) "", 1);
  return lan_wire_build_to (wire, to != NULL ? &dialect : NULL, packet_no, command, extra->data, extra->len);
}

guint
lan_everyone_send (LanWire     *wire,
                   LanPresence *presence,
                   guint64      packet_no,
                   const char  *text)
{
  LanPeerList *peers = lan_presence_get_peers (presence);
  guint n_peers = g_list_model_get_n_items (G_LIST_MODEL (peers));

  if (is_ascii (text))
    {
      g_autoptr(GBytes) datagram = build (wire, NULL, packet_no, text);

      lan_presence_broadcast (presence, datagram);
      return 0;
    }

  for (guint i = 0; i < n_peers; i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (G_LIST_MODEL (peers), i);
      g_autoptr(GBytes) datagram = build (wire, lan_peer_get_dialect (peer), packet_no, text);

      lan_wire_send (wire, lan_peer_get_endpoint (peer), datagram, LAN_VERDICT_OK);
    }
  return n_peers;
}

/* lan-sender-text.c — how a message's text goes to a peer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-sender-text"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-dialect.h"
#include "lan-ipmsg.h"
#include "lan-sender-text.h"

gboolean
lan_sender_text_too_long (gsize    size,
                          gsize    max,
                          GError **error)
{
  if (size <= max)
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
               _("The message is too long: %zu bytes, but at most %zu fit in one datagram. "
                 "Split it into shorter messages."), size, max);
  return TRUE;
}

gsize
lan_sender_text_max_bytes (LanWire *wire)
{
  const char *user = lan_wire_get_user_name (wire);
  const char *host = lan_wire_get_host_name (wire);
  /* Header: "1:" + packet-no (20) + ':' + user + ':' + host + ':' + command (10) + ':',
   * then the body and its NUL. */
  gsize header = 2 + 20 + 1 + strlen (user != NULL ? user : "") * 4 + 1 +
                 strlen (host != NULL ? host : "") * 4 + 1 + 10 + 1 + 1;

  return header < LAN_IPMSG_SAFE_DATAGRAM ? LAN_IPMSG_SAFE_DATAGRAM - header : 0;
}

gboolean
lan_sender_text_measure (LanWire    *wire,
                         LanPeer    *peer,
                         const char *text,
                         gsize      *out_bytes,
                         gsize      *out_max,
                         gboolean   *out_lossy)
{
  /* The same rules as the sends below; to everyone, the largest copy
   * (lan-everyone.c): the UTF-8 one. */
  LanDialect dialect = lan_wire_peer_dialect (wire, peer);
  gboolean lossy = FALSE;
  g_autoptr(GBytes) encoded = lan_dialect_encode (&dialect, LAN_DIALECT_PEER_TEXT, text, NULL, &lossy);
  gsize max = lan_sender_text_max_bytes (wire);

  if (out_bytes != NULL)
    *out_bytes = g_bytes_get_size (encoded);
  if (out_max != NULL)
    *out_max = max;
  if (out_lossy != NULL)
    *out_lossy = lossy;
  return g_bytes_get_size (encoded) <= max;
}

GBytes *
lan_sender_text_encode (LanWire     *wire,
                        LanPeer     *peer,
                        const char  *text,
                        guint32     *command,
                        GError     **error)
{
  LanDialect dialect = lan_wire_peer_dialect (wire, peer);
  g_autoptr(GBytes) body = lan_dialect_encode (&dialect, LAN_DIALECT_PEER_TEXT, text, command, NULL);
  gsize max = lan_sender_text_max_bytes (wire);

  if (lan_sender_text_too_long (g_bytes_get_size (body), max, error))
    return NULL;
  return g_steal_pointer (&body);
}

GBytes *
lan_sender_text_with_terminator (GBytes *body)
{
  g_autoptr(GByteArray) extra = g_byte_array_sized_new ((guint) g_bytes_get_size (body) + 1);

  g_byte_array_append (extra, g_bytes_get_data (body, NULL), (guint) g_bytes_get_size (body));
  g_byte_array_append (extra, (const guint8 *) "", 1);
  return g_byte_array_free_to_bytes (g_steal_pointer (&extra));
}

GBytes *
lan_sender_text_build_extra (LanWire     *wire,
                             LanPeer     *peer,
                             LanMessage  *message,
                             GBytes      *suffix,
                             guint32     *command,
                             GError     **error)
{
  g_autoptr(GBytes) body = lan_sender_text_encode (wire, peer, lan_message_get_text (message), command, error);
  g_autoptr(GByteArray) extra = NULL;

  if (body == NULL)
    return NULL;
  if (lan_message_get_files (message) == NULL)
    return lan_sender_text_with_terminator (body);
  if (suffix == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("Its files are no longer offered"));
      return NULL;
    }
  if (lan_sender_text_too_long (g_bytes_get_size (body) + g_bytes_get_size (suffix),
                                lan_sender_text_max_bytes (wire), error))
    return NULL;
  *command |= LAN_IPMSG_FILEATTACHOPT;
  extra = g_bytes_unref_to_array (lan_sender_text_with_terminator (body));
  g_byte_array_append (extra, g_bytes_get_data (suffix, NULL), (guint) g_bytes_get_size (suffix));
  return g_byte_array_free_to_bytes (g_steal_pointer (&extra));
}

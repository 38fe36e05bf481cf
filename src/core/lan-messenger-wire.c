/* lan-messenger-wire.c — datagrams in and out: building our packets,
 * sending them, and the receive path that parses, checks and dispatches
 * every datagram and logs it with its verdict.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-interfaces.h"
#include "lan-messenger-private.h"
#include "lan-peer-list-private.h"
#include "lan-peer-private.h"

struct _LanReply
{
  LanEndpoint to;
  GBytes *datagram;
};

void
lan_messenger_reply_free (LanReply *reply)
{
  g_bytes_unref (reply->datagram);
  g_free (reply);
}

guint64
lan_messenger_next_packet_no (LanMessenger *self)
{
  guint64 packet_no = self->next_packet_no++;

  return packet_no;
}

static void
remember_own (LanMessenger *self,
              guint64       packet_no)
{
  guint64 *old = &self->own_ring[self->own_ring_pos];

  if (*old != 0)
    g_hash_table_remove (self->own_sent, old);
  *old = packet_no;
  g_hash_table_add (self->own_sent, g_memdup2 (&packet_no, sizeof packet_no));
  self->own_ring_pos = (self->own_ring_pos + 1) % LAN_MESSENGER_OWN_WINDOW;
}

GBytes *
lan_messenger_build (LanMessenger *self,
                     guint64       packet_no,
                     guint32       command,
                     const guint8 *extra,
                     gsize         extra_len)
{
  g_autoptr(LanIpmsgPacket) packet = NULL;
  g_autoptr(GBytes) user = NULL;
  g_autoptr(GBytes) host = NULL;
  g_autofree char *user_text = NULL;
  g_autofree char *host_text = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  /* The header can't carry ':' (the draft says ';' instead) nor NUL. */
  user_text = g_strdelimit (g_strdup (self->user_name != NULL ? self->user_name : "user"), ":", ';');
  host_text = g_strdelimit (g_strdup (self->host_name != NULL ? self->host_name : "host"), ":", ';');
  user = lan_charset_encode (user_text, TRUE, self->legacy, NULL);
  host = lan_charset_encode (host_text, TRUE, self->legacy, NULL);
  packet = lan_ipmsg_packet_new ("1", packet_no,
                                 g_bytes_get_data (user, NULL), g_bytes_get_data (host, NULL),
                                 command, extra, extra_len);
  bytes = lan_ipmsg_packet_to_bytes (packet, &error);
  /* Only ':' or NUL in a header field can fail, and both were removed above. */
  g_assert_no_error (error);
  /* Whatever we build we send: so our own broadcasts are known when they come back. */
  if (!g_hash_table_contains (self->own_sent, &packet_no))
    remember_own (self, packet_no);
  return bytes;
}

void
lan_messenger_send_raw (LanMessenger *self,
                        LanEndpoint   to,
                        GBytes       *datagram,
                        LanVerdict    verdict)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (datagram, &len);

  self->out_verdict = verdict;
  lan_transport_send (self->transport, to, data, len);
  self->out_verdict = LAN_VERDICT_OK;
}

void
lan_messenger_queue_reply (LanMessenger *self,
                           LanEndpoint   to,
                           GBytes       *datagram)
{
  LanReply *reply = g_new0 (LanReply, 1);

  reply->to = to;
  reply->datagram = g_bytes_ref (datagram);
  g_ptr_array_add (self->replies, reply);
}

char *
lan_messenger_decode (LanMessenger         *self,
                      LanPeer              *peer,
                      const LanIpmsgPacket *packet,
                      const guint8         *data,
                      gsize                 len)
{
  /* A peer that takes UTF-8 without announcing CAPUTF8OPT got there by iptux's marker. */
  gboolean marker = lan_ipmsg_packet_has_iptux_utf8_marker (packet) ||
                    (peer != NULL && lan_peer_get_utf8 (peer) &&
                     !(lan_peer_get_capabilities (peer) & LAN_IPMSG_CAPUTF8OPT));

  return lan_charset_decode (data != NULL ? data : (const guint8 *) "", len,
                             (packet->command & LAN_IPMSG_UTF8OPT) != 0, marker,
                             self->legacy, NULL, NULL);
}

static gboolean
is_from_us (LanMessenger *self,
            LanEndpoint   from)
{
  LanEndpoint local = lan_transport_get_local (self->transport);

  if (from.port != local.port)
    return FALSE;
  if (local.address != 0)
    return from.address == local.address;
  return lan_interfaces_is_local_address (self->interfaces, from.address);
}

static LanVerdict
handle_packet (LanMessenger         *self,
               const LanDatagram    *datagram,
               const LanIpmsgPacket *packet,
               char                **detail)
{
  LanPeer *peer;

  if (is_from_us (self, datagram->remote))
    {
      if (g_hash_table_contains (self->own_sent, &packet->packet_no))
        return LAN_VERDICT_OWN;
      self->stats.spoofed++;
      *detail = g_strdup_printf (_("claims to come from us, but we never sent packet %llu"),
                                 (unsigned long long) packet->packet_no);
      return LAN_VERDICT_SPOOFED;
    }

  peer = lan_peer_list_lookup_endpoint (self->peers, datagram->remote);
  if (peer != NULL)
    lan_peer_set_last_seen (peer, datagram->time_us);

  switch (LAN_IPMSG_MODE (packet->command))
    {
    case LAN_IPMSG_NOOPERATION:
      return LAN_VERDICT_OK;
    case LAN_IPMSG_SENDMSG:
      return lan_messenger_handle_sendmsg (self, datagram->remote, packet, detail);
    case LAN_IPMSG_RECVMSG:
      return lan_messenger_handle_recvmsg (self, datagram->remote, packet, detail);
    case LAN_IPMSG_READMSG:
    case LAN_IPMSG_ANSREADMSG:
      return lan_messenger_handle_readmsg (self, datagram->remote, packet, detail);
    case LAN_IPMSG_DELMSG:
      return LAN_VERDICT_OK;
    default:
      return lan_messenger_handle_presence (self, datagram->remote, packet, detail);
    }
}

static void
handle_incoming (LanMessenger      *self,
                 const LanDatagram *datagram)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = NULL;
  g_autofree char *detail = NULL;
  LanVerdict verdict;

  self->stats.received++;

  if (self->simulated_loss > 0.0 && g_random_double () < self->simulated_loss)
    {
      self->stats.rejected++;
      lan_packet_log_append (self->log, datagram, LAN_VERDICT_REJECTED,
                             _("dropped on purpose to simulate loss"));
      return;
    }

  if (datagram->flags & LAN_DATAGRAM_TRUNCATED)
    {
      lan_packet_log_append (self->log, datagram, LAN_VERDICT_TRUNCATED,
                             _("larger than 64 KiB: the rest was lost"));
      return;
    }

  packet = lan_ipmsg_packet_parse (datagram->data, datagram->len, &error);
  if (packet == NULL)
    {
      self->stats.malformed++;
      lan_packet_log_append (self->log, datagram, LAN_VERDICT_MALFORMED, error->message);
      return;
    }

  verdict = handle_packet (self, datagram, packet, &detail);
  lan_packet_log_append (self->log, datagram, verdict, detail);

  /* Shown (and, with history, stored) before its acknowledgement goes out. */
  if (self->arrived_message != NULL)
    {
      g_autoptr(LanPeer) peer = g_steal_pointer (&self->arrived_peer);
      g_autoptr(LanMessage) message = g_steal_pointer (&self->arrived_message);

      lan_messenger_emit_message_received (self, peer, message);
    }

  /* Answers go out after the packet that caused them, so the log reads in order. */
  /* Sending reports only an outgoing datagram, which queues nothing, so the
   * array is not touched while we walk it. */
  for (guint i = 0; i < self->replies->len; i++)
    {
      LanReply *reply = g_ptr_array_index (self->replies, i);

      lan_messenger_send_raw (self, reply->to, reply->datagram, LAN_VERDICT_OK);
    }
  g_ptr_array_set_size (self->replies, 0);
}

void
lan_messenger_on_datagram (const LanDatagram *datagram,
             gpointer           user_data)
{
  LanMessenger *self = user_data;

  if (datagram->direction == LAN_DIRECTION_IN)
    {
      handle_incoming (self, datagram);
      return;
    }

  self->stats.sent++;
  if (datagram->flags & LAN_DATAGRAM_SEND_ERROR)
    {
      self->stats.send_errors++;
      lan_packet_log_append (self->log, datagram, LAN_VERDICT_SEND_ERROR, datagram->error);
    }
  else
    lan_packet_log_append (self->log, datagram, self->out_verdict, self->out_detail);
}

void
lan_messenger_queue_arrival (LanMessenger *self,
                             LanPeer      *peer,
                             LanMessage   *message)
{
  g_set_object (&self->arrived_peer, peer);
  g_set_object (&self->arrived_message, message);
}


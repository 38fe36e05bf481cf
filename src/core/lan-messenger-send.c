/* lan-messenger-send.c — messages: reliable send, acknowledgement, duplicates, away replies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-conversation-private.h"
#include "lan-message-private.h"
#include "lan-messenger-private.h"
#include "lan-peer-private.h"

struct _LanPending
{
  LanMessenger *self;
  LanMessage   *message;
  LanEndpoint   to;
  guint64       packet_no;
  GBytes       *retry_datagram;   /* the same packet with RETRYOPT */
  gint64        started;          /* monotonic µs */
  gint64        last_sent;
  guint         interval_ms;
  GSource      *timer;
};

void
lan_messenger_pending_free (LanPending *pending)
{
  if (pending->timer != NULL)
    {
      g_source_destroy (pending->timer);
      g_source_unref (pending->timer);
    }
  g_clear_pointer (&pending->retry_datagram, g_bytes_unref);
  g_clear_object (&pending->message);
  g_free (pending);
}

static void
finish_pending (LanMessenger    *self,
                LanPending      *pending,
                LanMessageState  state,
                const char      *error)
{
  g_autoptr(LanMessage) message = g_object_ref (pending->message);

  g_hash_table_remove (self->pending, &pending->packet_no);
  lan_message_set_error (message, error);
  lan_message_set_state (message, state);
}

void
lan_messenger_end_all_pending (LanMessenger *self,
                               const char   *why,
                               gboolean      queue)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  LanPending *pending;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &pending))
    {
      LanPeer *peer = lan_peer_list_lookup_endpoint (self->peers, pending->to);

      g_ptr_array_add (messages, g_object_ref (pending->message));
      g_ptr_array_add (identities, peer != NULL ? g_strdup (lan_peer_get_identity (peer))
                                                : lan_endpoint_to_string (pending->to));
    }
  g_hash_table_remove_all (self->pending);

  /* Notify only once the table is consistent: handlers may send again. */
  for (guint i = 0; i < messages->len; i++)
    {
      LanMessage *message = g_ptr_array_index (messages, i);

      if (queue)
        lan_messenger_outbox_add (self, g_ptr_array_index (identities, i), message, why);
      else
        {
          lan_message_set_error (message, why);
          lan_message_set_state (message, LAN_MESSAGE_FAILED);
        }
    }
}

static void schedule_resend (LanPending *pending);

static gboolean
resend_due (gpointer user_data)
{
  LanPending *pending = user_data;
  LanMessenger *self = pending->self;
  gint64 now = g_get_monotonic_time ();
  gint64 elapsed_ms = (now - pending->started) / 1000;

  g_clear_pointer (&pending->timer, g_source_unref);

  if (elapsed_ms >= self->retry_budget_ms)
    {
      g_autofree char *why =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "No acknowledgement after %u try in %.0f s",
                                      "No acknowledgement after %u tries in %.0f s",
                                      lan_message_get_attempts (pending->message)),
                         lan_message_get_attempts (pending->message), elapsed_ms / 1000.0);

      if (lan_messenger_outbox_enabled (self))
        {
          g_autoptr(LanMessage) message = g_object_ref (pending->message);
          LanPeer *peer = lan_peer_list_lookup_endpoint (self->peers, pending->to);
          g_autofree char *key = lan_endpoint_to_string (pending->to);
          g_autofree char *queued = g_strdup_printf (_("%s; it goes out again when they come back"), why);

          g_hash_table_remove (self->pending, &pending->packet_no);
          lan_messenger_outbox_add (self, peer != NULL ? lan_peer_get_identity (peer) : key,
                                    message, queued);
        }
      else
        finish_pending (self, pending, LAN_MESSAGE_FAILED, why);
      return G_SOURCE_REMOVE;
    }

  self->stats.resends++;
  lan_message_set_attempts (pending->message, lan_message_get_attempts (pending->message) + 1);
  pending->last_sent = now;
  lan_messenger_send_raw (self, pending->to, pending->retry_datagram, LAN_VERDICT_RESEND);
  pending->interval_ms = MIN (pending->interval_ms * 2, self->retry_max_interval_ms);
  schedule_resend (pending);
  return G_SOURCE_REMOVE;
}

static void
schedule_resend (LanPending *pending)
{
  LanMessenger *self = pending->self;
  gint64 elapsed_ms = (g_get_monotonic_time () - pending->started) / 1000;
  gint64 left_ms = MAX ((gint64) self->retry_budget_ms - elapsed_ms, 0);
  /* ±10 % so that senders that lost the same burst don't retry in lockstep. */
  guint jitter = pending->interval_ms / 10;
  guint delay = pending->interval_ms - jitter + (jitter > 0 ? g_random_int_range (0, (gint32) (2 * jitter + 1)) : 0);

  pending->timer = g_timeout_source_new ((guint) MIN ((gint64) delay, left_ms));
  g_source_set_callback (pending->timer, resend_due, pending, NULL);
  g_source_set_static_name (pending->timer, "[lanchat] resend");
  g_source_attach (pending->timer, g_main_context_get_thread_default ());
}

static gboolean
peer_takes_utf8 (LanPeer *peer)
{
  /* A peer we haven't heard an entry from: assume a modern client. */
  return peer == NULL || lan_peer_get_utf8 (peer) || lan_peer_get_capabilities (peer) == 0;
}

static gboolean
too_long (gsize    size,
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

gboolean
lan_messenger_measure_text (LanMessenger *self,
                            LanPeer      *peer,
                            const char   *text,
                            gsize        *out_bytes,
                            gsize        *out_max,
                            gboolean     *out_lossy)
{
  /* The same rules as the sends below: broadcasts in the legacy encoding. */
  gboolean utf8 = peer != NULL && peer_takes_utf8 (peer);
  gboolean lossy = FALSE;
  g_autoptr(GBytes) encoded = lan_charset_encode (text, utf8, self->legacy, &lossy);
  gsize max = lan_messenger_max_text_bytes (self, peer);

  g_return_val_if_fail (LAN_IS_MESSENGER (self), FALSE);

  if (out_bytes != NULL)
    *out_bytes = g_bytes_get_size (encoded);
  if (out_max != NULL)
    *out_max = max;
  if (out_lossy != NULL)
    *out_lossy = lossy;
  return g_bytes_get_size (encoded) <= max;
}

static GBytes *
encode_body (LanMessenger *self,
             LanPeer      *peer,
             const char   *text,
             guint32      *command,
             GError      **error)
{
  gboolean utf8 = peer_takes_utf8 (peer);
  g_autoptr(GBytes) body = lan_charset_encode (text, utf8, self->legacy, NULL);
  gsize max = lan_messenger_max_text_bytes (self, peer);

  if (utf8 && (peer == NULL || !(lan_peer_get_utf8 (peer)) || (lan_peer_get_capabilities (peer) & LAN_IPMSG_CAPUTF8OPT)))
    *command |= LAN_IPMSG_UTF8OPT;

  if (too_long (g_bytes_get_size (body), max, error))
    return NULL;
  return g_steal_pointer (&body);
}

static GBytes *
with_terminator (GBytes *body)
{
  g_autoptr(GByteArray) extra = g_byte_array_sized_new ((guint) g_bytes_get_size (body) + 1);

  g_byte_array_append (extra, g_bytes_get_data (body, NULL), (guint) g_bytes_get_size (body));
  g_byte_array_append (extra, (const guint8 *) "", 1);
  return g_byte_array_free_to_bytes (g_steal_pointer (&extra));
}

static void
start_pending (LanMessenger *self,
               LanMessage   *message,
               LanEndpoint   to,
               GBytes       *datagram,
               GBytes       *retry_datagram)
{
  LanPending *pending = g_new0 (LanPending, 1);

  pending->self = self;
  pending->message = g_object_ref (message);
  pending->to = to;
  pending->packet_no = lan_message_get_packet_no (message);
  pending->retry_datagram = g_bytes_ref (retry_datagram);
  pending->started = g_get_monotonic_time ();
  pending->last_sent = pending->started;
  pending->interval_ms = self->retry_initial_ms;
  g_hash_table_replace (self->pending, &pending->packet_no, pending);

  lan_message_set_error (message, NULL);
  lan_message_set_state (message, LAN_MESSAGE_SENDING);
  lan_message_set_attempts (message, lan_message_get_attempts (message) + 1);
  lan_messenger_send_raw (self, to, datagram, datagram == retry_datagram ? LAN_VERDICT_RESEND : LAN_VERDICT_OK);
  if (g_hash_table_lookup (self->pending, &pending->packet_no) == pending)
    schedule_resend (pending);
}

static LanMessage *
send_checked (LanMessenger *self,
              LanPeer      *peer,
              const char   *text,
              guint32       extra_options,
              GError      **error)
{
  guint32 command = LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | extra_options;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) extra = NULL;
  g_autoptr(GBytes) datagram = NULL;
  g_autoptr(GBytes) retry = NULL;
  g_autoptr(LanMessage) message = NULL;
  guint64 packet_no;

  if (!self->running && !lan_messenger_outbox_enabled (self))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   _("Lanchat is not connected to the network"));
      return NULL;
    }
  if (g_hash_table_size (self->pending) >= LAN_MESSENGER_MAX_PENDING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("Too many messages are waiting for an acknowledgement; try again shortly"));
      return NULL;
    }

  body = encode_body (self, peer, text, &command, error);
  if (body == NULL)
    return NULL;
  extra = with_terminator (body);
  packet_no = lan_messenger_next_packet_no (self);
  datagram = lan_messenger_build (self, packet_no, command,
                                  g_bytes_get_data (extra, NULL), g_bytes_get_size (extra));
  retry = lan_messenger_build (self, packet_no, command | LAN_IPMSG_RETRYOPT,
                               g_bytes_get_data (extra, NULL), g_bytes_get_size (extra));

  message = lan_message_new (LAN_DIRECTION_OUT, lan_peer_get_key (peer), text,
                             g_get_real_time (), packet_no);
  lan_conversation_append (lan_messenger_conversation_for (self, lan_peer_get_identity (peer)),
                           message, FALSE);
  /* Written down before it goes out: whatever happens next, it isn't lost. */
  lan_messenger_history_store (self, lan_peer_get_identity (peer), lan_peer_get_key (peer), message);

  if (lan_peer_list_lookup (self->peers, lan_peer_get_key (peer)) != peer &&
      lan_messenger_outbox_enabled (self))
    {
      lan_messenger_outbox_add (self, lan_peer_get_identity (peer), message,
                                _("Not online; it goes out when they come back"));
      return g_steal_pointer (&message);
    }
  start_pending (self, message, lan_peer_get_endpoint (peer), datagram, retry);
  return g_steal_pointer (&message);
}

LanMessage *
lan_messenger_send (LanMessenger  *self,
                    LanPeer       *peer,
                    const char    *text,
                    GError       **error)
{
  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);
  g_return_val_if_fail (LAN_IS_PEER (peer), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  return send_checked (self, peer, text, 0, error);
}

GPtrArray *
lan_messenger_send_multicast (LanMessenger  *self,
                              LanPeer      **peers,
                              guint          n_peers,
                              const char    *text,
                              GError       **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);

  for (guint i = 0; i < n_peers; i++)
    {
      LanMessage *message = send_checked (self, peers[i], text, LAN_IPMSG_MULTICASTOPT, error);

      if (message == NULL)
        return NULL;
      g_ptr_array_add (messages, message);
    }
  return g_steal_pointer (&messages);
}

LanMessage *
lan_messenger_send_broadcast (LanMessenger  *self,
                              const char    *text,
                              GError       **error)
{
  guint32 command = LAN_IPMSG_SENDMSG | LAN_IPMSG_BROADCASTOPT;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) extra = NULL;
  g_autoptr(GBytes) datagram = NULL;
  LanMessage *message;
  guint64 packet_no;

  g_return_val_if_fail (LAN_IS_MESSENGER (self), NULL);

  if (!self->running)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   _("Lanchat is not connected to the network"));
      return NULL;
    }
  /* Broadcasts never carry UTF8OPT (ipmsg-notes): everyone reads them, in the legacy encoding. */
  body = lan_charset_encode (text, FALSE, self->legacy, NULL);
  if (too_long (g_bytes_get_size (body), lan_messenger_max_text_bytes (self, NULL), error))
    return NULL;
  extra = with_terminator (body);
  packet_no = lan_messenger_next_packet_no (self);
  datagram = lan_messenger_build (self, packet_no, command,
                                  g_bytes_get_data (extra, NULL), g_bytes_get_size (extra));
  message = lan_message_new (LAN_DIRECTION_OUT, "*", text, g_get_real_time (), packet_no);
  lan_message_set_broadcast (message, TRUE);
  lan_message_set_attempts (message, 1);
  lan_message_set_state (message, LAN_MESSAGE_SENT);
  lan_conversation_append (self->broadcast_conversation, message, FALSE);
  lan_messenger_history_store (self, "*", "*", message);
  lan_messenger_broadcast_packet (self, datagram);
  return message;
}

void
lan_messenger_resend (LanMessenger *self,
                      LanMessage   *message,
                      LanPeer      *peer)
{
  guint32 command = LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_RETRYOPT;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) extra = NULL;
  g_autoptr(GBytes) retry = NULL;
  g_autoptr(GError) error = NULL;

  /* The same packet-no again: if only our acknowledgement was lost, the peer
   * recognises the repeat and doesn't show the message twice. */
  body = encode_body (self, peer, lan_message_get_text (message), &command, &error);
  if (body == NULL)
    {
      lan_message_set_error (message, error->message);
      lan_message_set_state (message, LAN_MESSAGE_FAILED);
      return;
    }
  extra = with_terminator (body);
  retry = lan_messenger_build (self, lan_message_get_packet_no (message), command,
                               g_bytes_get_data (extra, NULL), g_bytes_get_size (extra));
  start_pending (self, message, lan_peer_get_endpoint (peer), retry, retry);
}

void
lan_messenger_retry (LanMessenger *self,
                     LanMessage   *message)
{
  LanPeer *peer;

  g_return_if_fail (LAN_IS_MESSENGER (self));
  g_return_if_fail (LAN_IS_MESSAGE (message));

  if (lan_message_get_direction (message) != LAN_DIRECTION_OUT ||
      (lan_message_get_state (message) != LAN_MESSAGE_FAILED &&
       lan_message_get_state (message) != LAN_MESSAGE_QUEUED))
    return;

  peer = lan_peer_list_lookup (self->peers, lan_message_get_peer_key (message));
  if (!self->running || peer == NULL)
    {
      lan_message_set_error (message, !self->running ? _("Lanchat is not connected to the network")
                                                     : _("This person is not online"));
      return;
    }
  lan_messenger_outbox_remove (self, message);
  lan_messenger_resend (self, message, peer);
}

gboolean
lan_messenger_stop_pending (LanMessenger *self,
                            LanMessage   *message)
{
  guint64 packet_no = lan_message_get_packet_no (message);
  LanPending *pending = g_hash_table_lookup (self->pending, &packet_no);

  if (pending == NULL || pending->message != message)
    return FALSE;
  g_hash_table_remove (self->pending, &packet_no);
  return TRUE;
}

gsize
lan_messenger_max_text_bytes (LanMessenger *self,
                              LanPeer      *peer)
{
  /* Header: "1:" + packet-no (20) + ':' + user + ':' + host + ':' + command (10) + ':',
   * then the body and its NUL. */
  gsize header = 2 + 20 + 1 + strlen (self->user_name != NULL ? self->user_name : "") * 4 + 1 +
                 strlen (self->host_name != NULL ? self->host_name : "") * 4 + 1 + 10 + 1 + 1;

  return header < LAN_IPMSG_SAFE_DATAGRAM ? LAN_IPMSG_SAFE_DATAGRAM - header : 0;
}

/* Duplicate window: the newest LAN_MESSENGER_SEEN_WINDOW (address, packet-no)
 * pairs, kept per address so that a sender's restart can start afresh: a
 * client that restarts within a second reuses packet numbers (they start
 * from the clock), and its new messages must not be taken for repeats. */
typedef struct {
  char    *key;
  guint64  packet_no;
} LanSeen;

static void
seen_free (LanSeen *seen)
{
  g_free (seen->key);
  g_free (seen);
}

void
lan_messenger_seen_clear (LanMessenger *self)
{
  g_queue_clear_full (&self->seen_order, (GDestroyNotify) seen_free);
  g_hash_table_remove_all (self->seen);
}

void
lan_messenger_forget_session (LanMessenger *self,
                              const char   *peer_key)
{
  g_hash_table_remove (self->seen, peer_key);
}

static gboolean
seen_before (LanMessenger *self,
             const char   *key,
             guint64       packet_no)
{
  GHashTable *numbers = g_hash_table_lookup (self->seen, key);
  LanSeen *entry;

  if (numbers != NULL && g_hash_table_contains (numbers, &packet_no))
    return TRUE;
  if (numbers == NULL)
    {
      numbers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g_hash_table_insert (self->seen, g_strdup (key), numbers);
    }
  g_hash_table_add (numbers, g_memdup2 (&packet_no, sizeof packet_no));

  entry = g_new (LanSeen, 1);
  entry->key = g_strdup (key);
  entry->packet_no = packet_no;
  g_queue_push_tail (&self->seen_order, entry);

  if (self->seen_order.length > LAN_MESSENGER_SEEN_WINDOW)
    {
      LanSeen *oldest = g_queue_pop_head (&self->seen_order);
      GHashTable *set = g_hash_table_lookup (self->seen, oldest->key);

      if (set != NULL)
        {
          g_hash_table_remove (set, &oldest->packet_no);
          if (g_hash_table_size (set) == 0)
            g_hash_table_remove (self->seen, oldest->key);
        }
      seen_free (oldest);
    }
  return FALSE;
}

static void
queue_ack (LanMessenger         *self,
           LanEndpoint           to,
           const LanIpmsgPacket *packet)
{
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, packet->packet_no);
  g_autoptr(GBytes) ack = lan_messenger_build (self, lan_messenger_next_packet_no (self),
                                               LAN_IPMSG_RECVMSG,
                                               (const guint8 *) number, strlen (number) + 1);

  lan_messenger_queue_reply (self, to, ack);
}

static void
queue_away_reply (LanMessenger *self,
                  LanPeer      *peer,
                  LanEndpoint   to)
{
  guint32 command = LAN_IPMSG_SENDMSG | LAN_IPMSG_AUTORETOPT;
  const char *text = self->away_text != NULL && *self->away_text != '\0'
                     ? self->away_text : _("I am away from my computer right now.");
  g_autoptr(GBytes) body = lan_charset_encode (text, peer_takes_utf8 (peer), self->legacy, NULL);
  g_autoptr(GBytes) extra = NULL;
  g_autoptr(GBytes) datagram = NULL;
  g_autoptr(LanMessage) message = NULL;
  guint64 packet_no = lan_messenger_next_packet_no (self);

  if (peer_takes_utf8 (peer) && (lan_peer_get_capabilities (peer) & LAN_IPMSG_CAPUTF8OPT))
    command |= LAN_IPMSG_UTF8OPT;
  extra = with_terminator (body);
  datagram = lan_messenger_build (self, packet_no, command,
                                  g_bytes_get_data (extra, NULL), g_bytes_get_size (extra));
  message = lan_message_new (LAN_DIRECTION_OUT, lan_peer_get_key (peer), text,
                             g_get_real_time (), packet_no);
  lan_message_set_auto_reply (message, TRUE);
  lan_message_set_attempts (message, 1);
  lan_message_set_state (message, LAN_MESSAGE_SENT);
  lan_conversation_append (lan_messenger_conversation_for (self, lan_peer_get_identity (peer)),
                           message, FALSE);
  lan_messenger_history_store (self, lan_peer_get_identity (peer), lan_peer_get_key (peer), message);
  lan_messenger_queue_reply (self, to, datagram);
}

LanVerdict
lan_messenger_handle_sendmsg (LanMessenger         *self,
                              LanEndpoint           from,
                              const LanIpmsgPacket *packet,
                              char                **detail)
{
  guint32 options = LAN_IPMSG_OPTIONS (packet->command);
  gboolean no_ack = (options & (LAN_IPMSG_BROADCASTOPT | LAN_IPMSG_AUTORETOPT)) != 0;
  g_autofree char *from_key = lan_endpoint_to_string (from);
  g_autoptr(LanPeer) transient = NULL;
  g_autoptr(LanMessage) message = NULL;
  g_autofree char *text = NULL;
  LanPeer *peer;
  GBytes *body;

  peer = lan_peer_list_lookup (self->peers, from_key);
  body = lan_ipmsg_packet_get_section (packet, 0);
  text = lan_messenger_decode (self, peer, packet,
                               body != NULL ? g_bytes_get_data (body, NULL) : NULL,
                               body != NULL ? g_bytes_get_size (body) : 0);

  /* A repeat in this session, or one we stored before a restart. */
  if (seen_before (self, from_key, packet->packet_no) ||
      lan_messenger_history_is_repeat (self, from_key, packet->packet_no, text))
    {
      self->stats.duplicates++;
      if ((options & LAN_IPMSG_SENDCHECKOPT) && !no_ack)
        queue_ack (self, from, packet);
      *detail = g_strdup_printf (_("repeat of packet %llu from %s: acknowledged again, not shown"),
                                 (unsigned long long) packet->packet_no, from_key);
      return LAN_VERDICT_DUPLICATE;
    }

  if (peer == NULL && !(options & LAN_IPMSG_NOADDLISTOPT))
    {
      g_autoptr(GBytes) entry = lan_messenger_build_entry (self, LAN_IPMSG_BR_ENTRY);

      peer = lan_messenger_ensure_peer (self, from, packet);
      /* It will answer with its nickname and group. */
      lan_messenger_queue_reply (self, from, entry);
    }
  else if (peer == NULL)
    {
      /* NOADDLISTOPT: show the message, keep the sender out of the list. */
      transient = lan_messenger_make_peer (self, from, packet);
      peer = transient;
    }

  message = lan_message_new (LAN_DIRECTION_IN, from_key, text, g_get_real_time (), packet->packet_no);
  lan_message_set_broadcast (message, (options & LAN_IPMSG_BROADCASTOPT) != 0);
  lan_message_set_auto_reply (message, (options & LAN_IPMSG_AUTORETOPT) != 0);
  lan_conversation_append (lan_messenger_conversation_for (self, lan_peer_get_identity (peer)),
                           message, FALSE);
  /* Committed before the acknowledgement below goes out: acknowledged means kept. */
  lan_messenger_history_store (self, lan_peer_get_identity (peer), from_key, message);
  lan_messenger_queue_arrival (self, peer, message);

  if ((options & LAN_IPMSG_SENDCHECKOPT) && !no_ack)
    queue_ack (self, from, packet);
  if (self->away && !(options & (LAN_IPMSG_AUTORETOPT | LAN_IPMSG_BROADCASTOPT)))
    queue_away_reply (self, peer, from);

  return LAN_VERDICT_OK;
}

static gboolean
parse_acked_number (const LanIpmsgPacket *packet,
                    guint64              *out)
{
  g_autofree char *text = lan_ipmsg_packet_dup_section (packet, 0);

  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, out, NULL);
}

LanVerdict
lan_messenger_handle_recvmsg (LanMessenger         *self,
                              LanEndpoint           from,
                              const LanIpmsgPacket *packet,
                              char                **detail)
{
  guint64 acked;
  LanPending *pending;
  g_autofree char *from_text = lan_endpoint_to_string (from);

  if (!parse_acked_number (packet, &acked))
    {
      self->stats.unmatched_replies++;
      *detail = g_strdup (_("acknowledgement without a packet number"));
      return LAN_VERDICT_UNMATCHED_REPLY;
    }

  pending = g_hash_table_lookup (self->pending, &acked);
  if (pending == NULL)
    {
      self->stats.unmatched_replies++;
      *detail = g_strdup_printf (_("acknowledges packet %llu, which is not waiting for one"),
                                 (unsigned long long) acked);
      return LAN_VERDICT_UNMATCHED_REPLY;
    }

  if (!lan_endpoint_equal (pending->to, from))
    {
      g_autofree char *to_text = lan_endpoint_to_string (pending->to);

      self->stats.wrong_address_replies++;
      *detail = g_strdup_printf (_("reply from %s names packet %llu, which was sent to %s"),
                                 from_text, (unsigned long long) acked, to_text);
      return LAN_VERDICT_WRONG_ADDRESS;
    }

  *detail = g_strdup_printf (_("acknowledges packet %llu after %u sends; %.1f ms after the last"),
                             (unsigned long long) acked, lan_message_get_attempts (pending->message),
                             (g_get_monotonic_time () - pending->last_sent) / 1000.0);
  finish_pending (self, pending, LAN_MESSAGE_DELIVERED, NULL);
  return LAN_VERDICT_OK;
}

LanVerdict
lan_messenger_handle_readmsg (LanMessenger         *self,
                              LanEndpoint           from,
                              const LanIpmsgPacket *packet,
                              char                **detail)
{
  /* Sealed messages are not sent yet; a READMSG names nothing we wait on. */
  guint64 number = 0;

  if (parse_acked_number (packet, &number))
    *detail = g_strdup_printf (_("read notice for packet %llu; we sent no sealed message"),
                               (unsigned long long) number);
  return LAN_VERDICT_UNMATCHED_REPLY;
}

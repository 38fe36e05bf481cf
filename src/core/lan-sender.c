/* lan-sender.c — reliable send and acknowledgement matching.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-sender"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-bounds.h"
#include "lan-everyone.h"
#include "lan-message.h"
#include "lan-rate-limit.h"
#include "lan-sender.h"
#include "lan-sender-text.h"

typedef struct {
  LanSender  *sender;
  LanMessage *message;
  LanEndpoint to;
  guint64     packet_no;
  GBytes     *retry_datagram;   /* the same packet with RETRYOPT */
  gint64      started;          /* monotonic µs */
  gint64      last_sent;
  guint       interval_ms;
  gsize       spent;            /* bytes sent, given back when acknowledged */
  GSource    *timer;
} Pending;

struct _LanSender
{
  GObject               parent_instance;

  LanWire              *wire;
  LanPresence          *presence;
  LanConversationStore *store;
  LanOutbox            *outbox;

  guint                 retry_initial_ms;
  guint                 retry_max_interval_ms;
  guint                 retry_budget_ms;

  GHashTable           *pending;    /* packet-no (guint64*) → Pending */
  GHashTable           *per_peer;   /* packed endpoint (gint64*) → pending count */

  LanSenderSuffixFunc   suffix_func;
  gpointer              suffix_data;
};

G_DEFINE_FINAL_TYPE (LanSender, lan_sender, G_TYPE_OBJECT)

static gint64
pack (LanEndpoint endpoint)
{
  return ((gint64) endpoint.address << 16) | endpoint.port;
}

static guint
count_for (LanSender   *self,
           LanEndpoint  to)
{
  gint64 key = pack (to);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->per_peer, &key));
}

static void
count_add (LanSender   *self,
           LanEndpoint  to,
           gint         delta)
{
  gint64 key = pack (to);
  guint count = count_for (self, to) + (guint) delta;

  if (count == 0)
    g_hash_table_remove (self->per_peer, &key);
  else
    g_hash_table_replace (self->per_peer, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (count));
}

static void
pending_free (Pending *pending)
{
  count_add (pending->sender, pending->to, -1);
  if (pending->timer != NULL)
    {
      g_source_destroy (pending->timer);
      g_source_unref (pending->timer);
    }
  g_clear_pointer (&pending->retry_datagram, g_bytes_unref);
  g_clear_object (&pending->message);
  g_free (pending);
}

static char *
identity_at (LanSender   *self,
             LanEndpoint  to)
{
  LanPeer *peer = lan_peer_list_lookup_endpoint (lan_presence_get_peers (self->presence), to);

  return peer != NULL ? g_strdup (lan_peer_get_identity (peer)) : lan_endpoint_to_string (to);
}

static void
finish_pending (LanSender       *self,
                Pending         *pending,
                LanMessageState  state,
                const char      *error)
{
  g_autoptr(LanMessage) message = g_object_ref (pending->message);

  g_hash_table_remove (self->pending, &pending->packet_no);
  lan_message_set_error (message, error);
  lan_message_set_state (message, state);
}

void
lan_sender_end_all (LanSender  *self,
                    const char *why,
                    gboolean    queue)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  Pending *pending;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &pending))
    {
      g_ptr_array_add (messages, g_object_ref (pending->message));
      g_ptr_array_add (identities, identity_at (self, pending->to));
    }
  g_hash_table_remove_all (self->pending);

  /* Notify only once the table is consistent: handlers may send again. */
  for (guint i = 0; i < messages->len; i++)
    {
      LanMessage *message = g_ptr_array_index (messages, i);

      if (queue)
        lan_outbox_add (self->outbox, g_ptr_array_index (identities, i), message, why);
      else
        {
          lan_message_set_error (message, why);
          lan_message_set_state (message, LAN_MESSAGE_FAILED);
        }
    }
}

static void schedule_resend (Pending *pending);

/* Sends spend the destination's budget (lan-rate-limit.h): what doesn't fit
 * waits for the next try. Returns whether it went out. */
static gboolean
send_paced (Pending    *pending,
            GBytes     *datagram,
            LanVerdict  verdict)
{
  LanWire *wire = pending->sender->wire;
  gsize len = g_bytes_get_size (datagram);

  if (!lan_rate_limit_spend (lan_wire_get_rate_limit (wire), pending->to, len, g_get_monotonic_time ()))
    return FALSE;
  pending->spent += len;
  lan_message_set_attempts (pending->message, lan_message_get_attempts (pending->message) + 1);
  pending->last_sent = g_get_monotonic_time ();
  lan_wire_send (wire, pending->to, datagram, verdict);
  return TRUE;
}

static gboolean
resend_due (gpointer user_data)
{
  Pending *pending = user_data;
  LanSender *self = pending->sender;
  gint64 now = g_get_monotonic_time ();
  gint64 elapsed_ms = (now - pending->started) / 1000;
  guint64 packet_no = pending->packet_no;

  g_clear_pointer (&pending->timer, g_source_unref);

  if (elapsed_ms >= self->retry_budget_ms)
    {
      guint attempts = lan_message_get_attempts (pending->message);
      g_autofree char *why =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "No acknowledgement after %u try in %.0f s",
                                      "No acknowledgement after %u tries in %.0f s",
                                      attempts),
                         attempts, elapsed_ms / 1000.0);

      if (lan_outbox_get_enabled (self->outbox))
        {
          g_autoptr(LanMessage) message = g_object_ref (pending->message);
          g_autofree char *identity = identity_at (self, pending->to);
          g_autofree char *queued = g_strdup_printf (_("%s; it goes out again when they come back"), why);

          g_hash_table_remove (self->pending, &pending->packet_no);
          lan_outbox_add (self->outbox, identity, message, queued);
        }
      else
        finish_pending (self, pending, LAN_MESSAGE_FAILED, why);
      return G_SOURCE_REMOVE;
    }

  if (send_paced (pending, pending->retry_datagram, LAN_VERDICT_RESEND))
    lan_wire_get_stats (self->wire)->resends++;
  /* Sending can settle the message (our own echo, a synchronous transport). */
  if (g_hash_table_lookup (self->pending, &packet_no) != pending)
    return G_SOURCE_REMOVE;
  pending->interval_ms = MIN (pending->interval_ms * 2, self->retry_max_interval_ms);
  schedule_resend (pending);
  return G_SOURCE_REMOVE;
}

static void
schedule_resend (Pending *pending)
{
  LanSender *self = pending->sender;
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

gsize
lan_sender_max_text_bytes (LanSender *self,
                           LanPeer   *peer)
{
  return lan_sender_text_max_bytes (self->wire);
}

gboolean
lan_sender_measure_text (LanSender  *self,
                         LanPeer    *peer,
                         const char *text,
                         gsize      *out_bytes,
                         gsize      *out_max,
                         gboolean   *out_lossy)
{
  return lan_sender_text_measure (self->wire, peer, text, out_bytes, out_max, out_lossy);
}

static void
start_pending (LanSender  *self,
               LanMessage *message,
               LanEndpoint to,
               GBytes     *datagram,
               GBytes     *retry_datagram)
{
  Pending *pending = g_new0 (Pending, 1);
  guint64 packet_no = lan_message_get_packet_no (message);

  pending->sender = self;
  pending->message = g_object_ref (message);
  pending->to = to;
  pending->packet_no = packet_no;
  pending->retry_datagram = g_bytes_ref (retry_datagram);
  pending->started = g_get_monotonic_time ();
  pending->last_sent = pending->started;
  pending->interval_ms = self->retry_initial_ms;
  count_add (self, to, 1);
  g_hash_table_replace (self->pending, &pending->packet_no, pending);

  lan_message_set_error (message, NULL);
  lan_message_set_round_trip (message, -1);
  lan_message_set_state (message, LAN_MESSAGE_SENDING);
  send_paced (pending, datagram, datagram == retry_datagram ? LAN_VERDICT_RESEND : LAN_VERDICT_OK);
  /* By key copy: if the send settled it, pending is freed. */
  if (g_hash_table_lookup (self->pending, &packet_no) == pending)
    schedule_resend (pending);
}

static GBytes *
build_extra (LanSender   *self,
             LanMessage  *message,
             LanPeer     *peer,
             guint32     *command,
             GError     **error)
{
  g_autoptr(GBytes) suffix = NULL;

  if (lan_message_get_files (message) != NULL && self->suffix_func != NULL)
    suffix = self->suffix_func (message, peer, self->suffix_data);
  return lan_sender_text_build_extra (self->wire, peer, message, suffix, command, error);
}

static LanMessage *
send_new (LanSender   *self,
          LanPeer     *peer,
          const char  *text,
          guint32      extra_options,
          GPtrArray   *files,
          GError     **error)
{
  guint32 command = LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | extra_options;
  LanPeerList *peers = lan_presence_get_peers (self->presence);
  g_autoptr(GBytes) extra = NULL;
  g_autoptr(GBytes) datagram = NULL;
  g_autoptr(GBytes) retry = NULL;
  g_autoptr(LanMessage) message = NULL;
  guint64 packet_no;
  LanDialect dialect;

  if (!lan_wire_is_running (self->wire) && !lan_outbox_get_enabled (self->outbox))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   _("Lanchat is not connected to the network"));
      return NULL;
    }
  if (g_hash_table_size (self->pending) >= LAN_MESSENGER_MAX_PENDING ||
      count_for (self, lan_peer_get_endpoint (peer)) >= LAN_MESSENGER_MAX_PENDING_PER_PEER)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                   _("Too many messages are waiting for an acknowledgement; try again shortly"));
      return NULL;
    }

  packet_no = lan_wire_next_packet_no (self->wire);
  message = lan_message_new (LAN_DIRECTION_OUT, lan_peer_get_key (peer), text,
                             g_get_real_time (), packet_no);
  if (files != NULL)
    lan_message_set_files (message, files);
  extra = build_extra (self, message, peer, &command, error);
  if (extra == NULL)
    return NULL;
  dialect = lan_wire_peer_dialect (self->wire, peer);
  datagram = lan_wire_build_to (self->wire, &dialect, packet_no, command,
                                g_bytes_get_data (extra, NULL), g_bytes_get_size (extra));
  retry = lan_wire_build_to (self->wire, &dialect, packet_no, command | LAN_IPMSG_RETRYOPT,
                             g_bytes_get_data (extra, NULL), g_bytes_get_size (extra));

  /* Written down before it goes out: whatever happens next, it isn't lost. */
  lan_conversation_store_add (self->store, lan_peer_get_identity (peer), lan_peer_get_key (peer), message);

  if (lan_peer_list_lookup (peers, lan_peer_get_key (peer)) != peer &&
      lan_outbox_get_enabled (self->outbox))
    {
      lan_outbox_add (self->outbox, lan_peer_get_identity (peer), message,
                      _("Not online; it goes out when they come back"));
      return g_steal_pointer (&message);
    }
  start_pending (self, message, lan_peer_get_endpoint (peer), datagram, retry);
  return g_steal_pointer (&message);
}

LanMessage *
lan_sender_send (LanSender   *self,
                 LanPeer     *peer,
                 const char  *text,
                 guint32      extra_options,
                 GError     **error)
{
  return send_new (self, peer, text, extra_options, NULL, error);
}

LanMessage *
lan_sender_send_files (LanSender   *self,
                       LanPeer     *peer,
                       const char  *text,
                       GPtrArray   *files,
                       GError     **error)
{
  g_return_val_if_fail (files != NULL && files->len > 0, NULL);

  return send_new (self, peer, text, 0, files, error);
}

void
lan_sender_set_suffix_func (LanSender           *self,
                            LanSenderSuffixFunc  func,
                            gpointer             user_data)
{
  self->suffix_func = func;
  self->suffix_data = user_data;
}

LanMessage *
lan_sender_send_broadcast (LanSender   *self,
                           const char  *text,
                           GError     **error)
{
  g_autoptr(GBytes) body = NULL;
  LanMessage *message;
  guint64 packet_no;
  LanDialect dialect;

  if (!lan_wire_is_running (self->wire))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   _("Lanchat is not connected to the network"));
      return NULL;
    }
  /* Measured as the largest copy lan_everyone_send may make: UTF-8. */
  dialect = lan_wire_peer_dialect (self->wire, NULL);
  body = lan_dialect_encode (&dialect, LAN_DIALECT_UTF8_TEXT, text, NULL, NULL);
  if (lan_sender_text_too_long (g_bytes_get_size (body), lan_sender_text_max_bytes (self->wire), error))
    return NULL;
  packet_no = lan_wire_next_packet_no (self->wire);
  message = lan_message_new (LAN_DIRECTION_OUT, "*", text, g_get_real_time (), packet_no);
  lan_message_set_broadcast (message, TRUE);
  lan_message_set_attempts (message, 1);
  lan_message_set_state (message, LAN_MESSAGE_SENT);
  lan_conversation_store_add (self->store, "*", "*", message);
  lan_everyone_send (self->wire, self->presence, packet_no, text);
  return message;
}

void
lan_sender_resend (LanSender  *self,
                   LanMessage *message,
                   LanPeer    *peer)
{
  guint32 command = LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_RETRYOPT;
  g_autoptr(GBytes) extra = NULL;
  g_autoptr(GBytes) retry = NULL;
  g_autoptr(GError) error = NULL;
  LanDialect dialect;

  /* The same packet-no again: if only our acknowledgement was lost, the peer
   * recognises the repeat and doesn't show the message twice. */
  extra = build_extra (self, message, peer, &command, &error);
  if (extra == NULL)
    {
      lan_message_set_error (message, error->message);
      lan_message_set_state (message, LAN_MESSAGE_FAILED);
      return;
    }
  dialect = lan_wire_peer_dialect (self->wire, peer);
  retry = lan_wire_build_to (self->wire, &dialect, lan_message_get_packet_no (message), command,
                             g_bytes_get_data (extra, NULL), g_bytes_get_size (extra));
  start_pending (self, message, lan_peer_get_endpoint (peer), retry, retry);
}

GPtrArray *
lan_sender_send_multicast (LanSender     *self,
                              LanPeer      **peers,
                              guint          n_peers,
                              const char    *text,
                              GError       **error)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n_peers; i++)
    {
      LanMessage *message = lan_sender_send (self, peers[i], text, LAN_IPMSG_MULTICASTOPT, error);

      if (message == NULL)
        return NULL;
      g_ptr_array_add (messages, message);
    }
  return g_steal_pointer (&messages);
}

void
lan_sender_retry (LanSender  *self,
                  LanMessage *message)
{
  gboolean running = lan_wire_is_running (self->wire);
  LanPeer *peer;

  if (lan_message_get_direction (message) != LAN_DIRECTION_OUT ||
      (lan_message_get_state (message) != LAN_MESSAGE_FAILED &&
       lan_message_get_state (message) != LAN_MESSAGE_QUEUED))
    return;

  peer = lan_peer_list_lookup (lan_presence_get_peers (self->presence), lan_message_get_peer_key (message));
  if (!running || peer == NULL)
    {
      lan_message_set_error (message, !running ? _("Lanchat is not connected to the network")
                                                     : _("This person is not online"));
      return;
    }
  lan_outbox_remove (self->outbox, message);
  lan_sender_resend (self, message, peer);
}

void
lan_sender_cancel (LanSender  *self,
                   LanMessage *message)
{
  if (lan_message_get_direction (message) != LAN_DIRECTION_OUT)
    return;
  if (lan_outbox_remove (self->outbox, message) || lan_sender_stop_pending (self, message))
    {
      lan_message_set_error (message, _("Cancelled"));
      lan_message_set_state (message, LAN_MESSAGE_FAILED);
    }
}

void
lan_sender_send_owed (LanSender *self,
                      LanPeer   *peer)
{
  const char *identity = lan_peer_get_identity (peer);
  guint waiting = count_for (self, lan_peer_get_endpoint (peer));
  g_autoptr(GPtrArray) owed = NULL;

  /* Only to where the person was confirmed (issue 15: whoever claims a name
   * gets nothing), a few at a time (the rest follow the acknowledgements). */
  if (g_strcmp0 (lan_outbox_get_confirmed (self->outbox, identity), lan_peer_get_key (peer)) != 0 ||
      waiting >= LAN_OUTBOX_FLUSH_AT_ONCE)
    return;
  owed = lan_outbox_take_some (self->outbox, identity, LAN_OUTBOX_FLUSH_AT_ONCE - waiting);
  /* Introduced first, or iptux files them under "mysterious". */
  if (owed != NULL && waiting == 0)
    {
      g_autoptr(GBytes) entry = lan_presence_build_entry (self->presence, LAN_IPMSG_ANSENTRY);

      lan_wire_send (self->wire, lan_peer_get_endpoint (peer), entry, LAN_VERDICT_OK);
    }
  for (guint i = 0; owed != NULL && i < owed->len; i++)
    lan_sender_resend (self, g_ptr_array_index (owed, i), peer);
}

gboolean
lan_sender_stop_pending (LanSender  *self,
                         LanMessage *message)
{
  guint64 packet_no = lan_message_get_packet_no (message);
  Pending *pending = g_hash_table_lookup (self->pending, &packet_no);

  if (pending == NULL || pending->message != message)
    return FALSE;
  g_hash_table_remove (self->pending, &packet_no);
  return TRUE;
}

LanMessage *
lan_sender_lookup (LanSender *self,
                   guint64    packet_no)
{
  Pending *pending = g_hash_table_lookup (self->pending, &packet_no);

  return pending != NULL ? pending->message : NULL;
}

LanMessage *
lan_sender_find_live (gint64   history_id,
                      guint64  packet_no,
                      gpointer sender)
{
  LanSender *self = sender;
  LanMessage *message = lan_outbox_lookup (self->outbox, history_id);

  if (message == NULL)
    message = lan_sender_lookup (self, packet_no);
  if (message != NULL && lan_message_get_history_id (message) != history_id)
    message = NULL;
  return message;
}

static gboolean
parse_acked_number (const LanIpmsgPacket *packet,
                    guint64              *out)
{
  g_autofree char *text = lan_ipmsg_packet_dup_section (packet, 0);

  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, out, NULL);
}

static void
handle_recvmsg (LanPacketContext *context,
                gpointer          user_data)
{
  LanSender *self = user_data;
  LanMessengerStats *stats = lan_wire_get_stats (self->wire);
  guint64 acked;
  Pending *pending;

  if (!parse_acked_number (context->packet, &acked))
    {
      stats->unmatched_replies++;
      lan_packet_context_verdict (context, LAN_VERDICT_UNMATCHED_REPLY,
                                  "%s", _("acknowledgement without a packet number"));
      return;
    }

  pending = g_hash_table_lookup (self->pending, &acked);
  if (pending == NULL)
    {
      stats->unmatched_replies++;
      lan_packet_context_verdict (context, LAN_VERDICT_UNMATCHED_REPLY,
                                  _("acknowledges packet %llu, which is not waiting for one"),
                                  (unsigned long long) acked);
      return;
    }

  /* The number alone is easy to guess: it must come from where it went, port included. */
  if (!lan_endpoint_equal (pending->to, context->from))
    {
      g_autofree char *from_text = lan_endpoint_to_string (context->from);
      g_autofree char *to_text = lan_endpoint_to_string (pending->to);

      stats->wrong_address_replies++;
      lan_packet_context_verdict (context, LAN_VERDICT_WRONG_ADDRESS,
                                  _("reply from %s names packet %llu, which was sent to %s"),
                                  from_text, (unsigned long long) acked, to_text);
      return;
    }

  lan_packet_context_verdict (context, LAN_VERDICT_OK,
                              _("acknowledges packet %llu after %u sends; %.1f ms after the last"),
                              (unsigned long long) acked, lan_message_get_attempts (pending->message),
                              (g_get_monotonic_time () - pending->last_sent) / 1000.0);
  lan_message_set_round_trip (pending->message, g_get_monotonic_time () - pending->started);
  lan_rate_limit_refund (lan_wire_get_rate_limit (self->wire), pending->to, pending->spent, g_get_monotonic_time ());
  finish_pending (self, pending, LAN_MESSAGE_DELIVERED, NULL);
  if (context->peer != NULL)
    lan_sender_send_owed (self, context->peer);
}

static void
lan_sender_dispose (GObject *object)
{
  LanSender *self = LAN_SENDER (object);

  if (self->wire != NULL)
    lan_wire_clear_handlers (self->wire, self);
  if (self->pending != NULL)
    g_hash_table_remove_all (self->pending);
  G_OBJECT_CLASS (lan_sender_parent_class)->dispose (object);
}

static void
lan_sender_finalize (GObject *object)
{
  LanSender *self = LAN_SENDER (object);

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->per_peer, g_hash_table_unref);
  g_clear_object (&self->wire);
  g_clear_object (&self->presence);
  g_clear_object (&self->store);
  g_clear_object (&self->outbox);
  G_OBJECT_CLASS (lan_sender_parent_class)->finalize (object);
}

static void
lan_sender_class_init (LanSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = lan_sender_dispose;
  object_class->finalize = lan_sender_finalize;
}

static void
lan_sender_init (LanSender *self)
{
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, (GDestroyNotify) pending_free);
  self->per_peer = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->retry_initial_ms = 500;
  self->retry_max_interval_ms = 2000;
  self->retry_budget_ms = 30000;
}

LanSender *
lan_sender_new (LanWire              *wire,
                LanPresence          *presence,
                LanConversationStore *store,
                LanOutbox            *outbox)
{
  LanSender *self = g_object_new (LAN_TYPE_SENDER, NULL);

  self->wire = g_object_ref (wire);
  self->presence = g_object_ref (presence);
  self->store = g_object_ref (store);
  self->outbox = g_object_ref (outbox);
  lan_wire_set_handler (wire, LAN_IPMSG_RECVMSG, handle_recvmsg, self);
  return self;
}

void
lan_sender_set_retry (LanSender *self,
                      guint      initial_ms,
                      guint      max_interval_ms,
                      guint      budget_ms)
{
  self->retry_initial_ms = initial_ms;
  self->retry_max_interval_ms = max_interval_ms;
  self->retry_budget_ms = budget_ms;
}

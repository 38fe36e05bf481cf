/* lan-wire.c — the receive path (parse once, dispatch by command, log,
 * announce, answer) and the send path (build, number, log with a verdict).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-wire"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-bounds.h"
#include "lan-interfaces.h"
#include "lan-peer.h"
#include "lan-random.h"
#include "lan-rate-limit.h"
#include "lan-wire.h"

typedef struct {
  LanWireHandler func;
  gpointer       user_data;
} Handler;

typedef struct {
  LanEndpoint to;
  GBytes     *datagram;
} Reply;

struct _LanWire
{
  GObject            parent_instance;

  LanTransport      *transport;
  LanPeerList       *peers;
  LanPacketLog      *log;
  GPtrArray         *interfaces;      /* LanInterface */
  gboolean           network_available;
  GNetworkMonitor   *monitor;
  GSource           *network_source;
  LanNetworkFunc     network_func;
  gpointer           network_data;
  Handler            handlers[256];
  LanArrivalFunc     arrival_func;
  gpointer           arrival_data;

  char              *user_name;
  char              *host_name;
  LanLegacyEncoding  legacy;
  double             simulated_loss;

  guint64            next_packet_no;
  GHashTable        *own_sent;        /* packet-no we sent recently (guint64*) */
  guint64            own_ring[LAN_MESSENGER_OWN_WINDOW];
  guint              own_ring_pos;
  LanRateLimit      *rate_limit;      /* what each source may get back */

  LanMessengerStats  stats;
};

G_DEFINE_FINAL_TYPE (LanWire, lan_wire, G_TYPE_OBJECT)

static void
reply_free (Reply *reply)
{
  g_bytes_unref (reply->datagram);
  g_free (reply);
}

void
lan_packet_context_reply (LanPacketContext *context,
                          LanEndpoint       to,
                          GBytes           *datagram)
{
  Reply *reply = g_new0 (Reply, 1);

  if (context->replies == NULL)
    context->replies = g_ptr_array_new_with_free_func ((GDestroyNotify) reply_free);
  reply->to = to;
  reply->datagram = g_bytes_ref (datagram);
  g_ptr_array_add (context->replies, reply);
}

void
lan_packet_context_arrival (LanPacketContext *context,
                            LanPeer          *peer,
                            LanMessage       *message)
{
  g_set_object (&context->arrived_peer, peer);
  g_set_object (&context->arrived_message, message);
}

void
lan_packet_context_verdict (LanPacketContext *context,
                            LanVerdict        verdict,
                            const char       *format,
                            ...)
{
  va_list args;

  context->verdict = verdict;
  g_clear_pointer (&context->detail, g_free);
  if (format == NULL)
    return;
  va_start (args, format);
  context->detail = g_strdup_vprintf (format, args);
  va_end (args);
}

static void
context_clear (LanPacketContext *context)
{
  g_clear_pointer (&context->detail, g_free);
  g_clear_pointer (&context->replies, g_ptr_array_unref);
  g_clear_object (&context->arrived_peer);
  g_clear_object (&context->arrived_message);
}

static gboolean
is_from_us (LanWire     *self,
            LanEndpoint  from)
{
  LanEndpoint local = lan_transport_get_local (self->transport);

  if (from.port != local.port)
    return FALSE;
  if (local.address != 0)
    return from.address == local.address;
  return lan_interfaces_is_local_address (self->interfaces, from.address);
}

static void
not_handled (LanPacketContext *context)
{
  guint32 mode = LAN_IPMSG_MODE (context->packet->command);
  const char *name = lan_ipmsg_command_name (context->packet->command);

  if (name != NULL)
    lan_packet_context_verdict (context, LAN_VERDICT_UNKNOWN_COMMAND, _("%s is not handled; ignored"), name);
  else
    lan_packet_context_verdict (context, LAN_VERDICT_UNKNOWN_COMMAND, _("unknown command 0x%02x; ignored"), mode);
}

static void
dispatch (LanWire          *self,
          LanPacketContext *context)
{
  const LanIpmsgPacket *packet = context->packet;
  Handler *handler;

  if (is_from_us (self, context->from))
    {
      if (g_hash_table_contains (self->own_sent, &packet->packet_no))
        {
          context->verdict = LAN_VERDICT_OWN;
          return;
        }
      self->stats.spoofed++;
      lan_packet_context_verdict (context, LAN_VERDICT_SPOOFED,
                                  _("claims to come from us, but we never sent packet %llu"),
                                  (unsigned long long) packet->packet_no);
      return;
    }

  context->peer = lan_peer_list_lookup_endpoint (self->peers, context->from);
  if (context->peer != NULL)
    lan_peer_set_last_seen (context->peer, context->datagram->time_us);

  handler = &self->handlers[LAN_IPMSG_MODE (packet->command)];
  if (handler->func != NULL)
    handler->func (context, handler->user_data);
  else
    not_handled (context);
}

static void
handle_incoming (LanWire           *self,
                 const LanDatagram *datagram)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = NULL;
  LanPacketContext context = { 0 };

  self->stats.received++;
  lan_rate_limit_earn (self->rate_limit, datagram->remote, datagram->len, g_get_monotonic_time ());

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

  /* The one parse of this datagram: every handler reads this packet. */
  packet = lan_ipmsg_packet_parse (datagram->data, datagram->len, &error);
  if (packet == NULL)
    {
      self->stats.malformed++;
      lan_packet_log_append (self->log, datagram, LAN_VERDICT_MALFORMED, error->message);
      return;
    }

  context.datagram = datagram;
  context.packet = packet;
  context.from = datagram->remote;
  context.verdict = LAN_VERDICT_OK;
  dispatch (self, &context);
  lan_packet_log_append_parsed (self->log, datagram, packet, context.verdict, context.detail);

  /* Shown (and, with history, stored) before its acknowledgement goes out. */
  if (context.arrived_message != NULL && self->arrival_func != NULL)
    self->arrival_func (context.arrived_peer, context.arrived_message, self->arrival_data);

  /* Answers go out after the packet that caused them, so the log reads in order. */
  for (guint i = 0; context.replies != NULL && i < context.replies->len; i++)
    {
      Reply *reply = g_ptr_array_index (context.replies, i);

      lan_wire_send_reply (self, reply->to, reply->datagram);
    }
  context_clear (&context);
}

static void
log_outgoing (LanWire           *self,
              const LanDatagram *datagram,
              LanVerdict         verdict)
{
  self->stats.sent++;
  if (datagram->flags & LAN_DATAGRAM_SEND_ERROR)
    {
      self->stats.send_errors++;
      lan_packet_log_append (self->log, datagram, LAN_VERDICT_SEND_ERROR, datagram->error);
    }
  else
    lan_packet_log_append (self->log, datagram, verdict, NULL);
}

static void
on_datagram (const LanDatagram *datagram,
             gpointer           user_data)
{
  LanWire *self = user_data;

  if (datagram->direction == LAN_DIRECTION_IN)
    handle_incoming (self, datagram);
  else
    log_outgoing (self, datagram, LAN_VERDICT_OK);
}

gboolean
lan_wire_send_reply (LanWire     *self,
                     LanEndpoint  to,
                     GBytes      *datagram)
{
  if (!lan_rate_limit_spend (self->rate_limit, to, g_bytes_get_size (datagram), g_get_monotonic_time ()))
    {
      g_debug ("answer to %08x not sent: it would send back more than came from there", to.address);
      return FALSE;
    }
  lan_wire_send (self, to, datagram, LAN_VERDICT_OK);
  return TRUE;
}

LanRateLimit *
lan_wire_get_rate_limit (LanWire *self)
{
  return self->rate_limit;
}

/* What one send carries to the transport's report of it. */
typedef struct {
  LanWire    *wire;
  LanVerdict  verdict;
} Send;

static void
on_sent (const LanDatagram *datagram,
         gpointer           user_data)
{
  Send *send = user_data;

  if (datagram->direction == LAN_DIRECTION_IN)
    handle_incoming (send->wire, datagram);
  else
    log_outgoing (send->wire, datagram, send->verdict);
}

void
lan_wire_send (LanWire     *self,
               LanEndpoint  to,
               GBytes      *datagram,
               LanVerdict   verdict)
{
  Send send = { self, verdict };
  gsize len;
  const guint8 *data = g_bytes_get_data (datagram, &len);

  /* The transport reports the datagram it sent (with its time, addresses and
   * any error) to its handler, synchronously: for this one send that handler
   * is told the verdict, through its user data rather than a field. */
  lan_transport_set_handler (self->transport, on_sent, &send);
  lan_transport_send (self->transport, to, data, len);
  lan_transport_set_handler (self->transport, on_datagram, self);
}

static gboolean
network_settled (gpointer user_data)
{
  LanWire *self = user_data;
  gboolean changed;

  g_clear_pointer (&self->network_source, g_source_unref);
  changed = lan_wire_refresh_interfaces (self);
  if (self->network_func != NULL)
    self->network_func (changed, self->network_data);
  return G_SOURCE_REMOVE;
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    LanWire         *self)
{
  /* Changes come in bursts (address, route, link): act once they settle. */
  if (self->network_source != NULL)
    {
      g_source_destroy (self->network_source);
      g_clear_pointer (&self->network_source, g_source_unref);
    }
  self->network_source = g_timeout_source_new (500);
  g_source_set_callback (self->network_source, network_settled, self, NULL);
  g_source_set_static_name (self->network_source, "[lanchat] network changed");
  g_source_attach (self->network_source, g_main_context_get_thread_default ());
}

void
lan_wire_set_network_func (LanWire        *self,
                           LanNetworkFunc  func,
                           gpointer        user_data)
{
  self->network_func = func;
  self->network_data = user_data;
}

gboolean
lan_wire_get_network_available (LanWire *self)
{
  return self->network_available;
}

static void
lan_wire_finalize (GObject *object)
{
  LanWire *self = LAN_WIRE (object);

  if (self->network_source != NULL)
    {
      g_source_destroy (self->network_source);
      g_clear_pointer (&self->network_source, g_source_unref);
    }
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);

  if (self->transport != NULL)
    lan_transport_set_handler (self->transport, NULL, NULL);
  g_clear_object (&self->transport);
  g_clear_object (&self->peers);
  g_clear_object (&self->log);
  g_clear_pointer (&self->interfaces, g_ptr_array_unref);
  g_clear_pointer (&self->own_sent, g_hash_table_unref);
  g_clear_pointer (&self->rate_limit, lan_rate_limit_free);
  g_free (self->user_name);
  g_free (self->host_name);
  G_OBJECT_CLASS (lan_wire_parent_class)->finalize (object);
}

static void
lan_wire_class_init (LanWireClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lan_wire_finalize;
}

static void
lan_wire_init (LanWire *self)
{
  self->log = lan_packet_log_new (LAN_PACKET_LOG_DEFAULT_CAPACITY);
  self->own_sent = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->interfaces = g_ptr_array_new ();
  self->rate_limit = lan_rate_limit_new ();
  self->legacy = LAN_LEGACY_GB18030;
  /* Like Windows IPMsg: start from the clock, so numbers keep rising across
   * restarts and peers that drop "old" packet numbers don't drop ours; plus
   * a random offset, so a forger who knows the time still can't guess them. */
  self->next_packet_no = (guint64) (g_get_real_time () / G_USEC_PER_SEC) +
                         lan_random_below (LAN_PACKET_NO_START_SPREAD);
}

LanWire *
lan_wire_new (LanTransport *transport,
              LanPeerList  *peers)
{
  LanWire *self;

  g_return_val_if_fail (LAN_IS_TRANSPORT (transport), NULL);
  g_return_val_if_fail (LAN_IS_PEER_LIST (peers), NULL);

  self = g_object_new (LAN_TYPE_WIRE, NULL);
  self->transport = g_object_ref (transport);
  self->peers = g_object_ref (peers);
  lan_transport_set_handler (self->transport, on_datagram, self);
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect (self->monitor, "network-changed", G_CALLBACK (on_network_changed), self);
  lan_wire_refresh_interfaces (self);
  return self;
}

void
lan_wire_set_handler (LanWire        *self,
                      guint8          mode,
                      LanWireHandler  handler,
                      gpointer        user_data)
{
  g_return_if_fail (LAN_IS_WIRE (self));
  g_return_if_fail (handler == NULL || self->handlers[mode].func == NULL);

  self->handlers[mode].func = handler;
  self->handlers[mode].user_data = user_data;
}

void
lan_wire_clear_handlers (LanWire *self, gpointer user_data)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->handlers); i++)
    self->handlers[i].func = self->handlers[i].user_data == user_data ? NULL : self->handlers[i].func;
}

void
lan_wire_set_arrival_func (LanWire        *self,
                           LanArrivalFunc  func,
                           gpointer        user_data)
{
  self->arrival_func = func;
  self->arrival_data = user_data;
}

gboolean
lan_wire_bind (LanWire     *self,
               const char  *address,
               guint16      port,
               GError     **error)
{
  return lan_transport_bind (self->transport, address, port, error);
}

void
lan_wire_close (LanWire *self)
{
  lan_transport_close (self->transport);
  lan_packet_log_flush (self->log);
}

gboolean
lan_wire_is_running (LanWire *self)
{
  return lan_transport_is_bound (self->transport);
}

LanEndpoint
lan_wire_get_local (LanWire *self)
{
  return lan_transport_get_local (self->transport);
}

LanTransport *
lan_wire_get_transport (LanWire *self)
{
  return self->transport;
}

LanPacketLog *
lan_wire_get_log (LanWire *self)
{
  return self->log;
}

LanMessengerStats *
lan_wire_get_stats (LanWire *self)
{
  return &self->stats;
}

void
lan_wire_set_identity (LanWire    *self,
                       const char *user_name,
                       const char *host_name)
{
  g_free (self->user_name);
  g_free (self->host_name);
  self->user_name = g_strdup (user_name);
  self->host_name = g_strdup (host_name);
}

const char *
lan_wire_get_user_name (LanWire *self)
{
  return self->user_name;
}

const char *
lan_wire_get_host_name (LanWire *self)
{
  return self->host_name;
}

void
lan_wire_set_legacy (LanWire           *self,
                     LanLegacyEncoding  legacy)
{
  self->legacy = legacy;
  lan_packet_log_set_legacy_encoding (self->log, legacy);
}

LanLegacyEncoding
lan_wire_get_legacy (LanWire *self)
{
  return self->legacy;
}

void
lan_wire_set_simulated_loss (LanWire *self,
                             double   loss)
{
  self->simulated_loss = loss;
}

gboolean
lan_wire_refresh_interfaces (LanWire *self)
{
  gboolean available = FALSE;

  g_clear_pointer (&self->interfaces, g_ptr_array_unref);
  self->interfaces = lan_interfaces_list ();

  for (guint i = 0; i < self->interfaces->len; i++)
    if (!((LanInterface *) g_ptr_array_index (self->interfaces, i))->loopback)
      available = TRUE;
  if (available == self->network_available)
    return FALSE;
  self->network_available = available;
  return TRUE;
}

GPtrArray *
lan_wire_get_interfaces (LanWire *self)
{
  return self->interfaces;
}

guint64
lan_wire_next_packet_no (LanWire *self)
{
  guint64 packet_no = self->next_packet_no;

  /* Monotonic (iptux drops numbers not above the last) but not +1: seeing
   * one number doesn't tell a forger the next. */
  self->next_packet_no += 1 + lan_random_below (LAN_PACKET_NO_MAX_STEP);
  return packet_no;
}

void
lan_wire_skip_packet_no (LanWire *self,
                         guint64  packet_no)
{
  self->next_packet_no = MAX (self->next_packet_no, packet_no + 1);
}

static void
remember_own (LanWire *self,
              guint64  packet_no)
{
  guint64 *old = &self->own_ring[self->own_ring_pos];

  if (*old != 0)
    g_hash_table_remove (self->own_sent, old);
  *old = packet_no;
  g_hash_table_add (self->own_sent, g_memdup2 (&packet_no, sizeof packet_no));
  self->own_ring_pos = (self->own_ring_pos + 1) % LAN_MESSENGER_OWN_WINDOW;
}

GBytes *
lan_wire_build (LanWire      *self,
                guint64       packet_no,
                guint32       command,
                const guint8 *extra,
                gsize         extra_len)
{
  return lan_wire_build_to (self, NULL, packet_no, command, extra, extra_len);
}

GBytes *
lan_wire_build_to (LanWire          *self,
                   const LanDialect *to,
                   guint64           packet_no,
                   guint32           command,
                   const guint8     *extra,
                   gsize             extra_len)
{
  g_autoptr(LanIpmsgPacket) packet = NULL;
  g_autoptr(GBytes) user = NULL;
  g_autoptr(GBytes) host = NULL;
  g_autofree char *user_text = NULL;
  g_autofree char *host_text = NULL;
  g_autoptr(GError) error = NULL;
  LanDialect dialect;
  LanDialectText kind;
  GBytes *bytes;

  /* The header is in the charset of the rest of the datagram: readers like
   * iptux decode a datagram whole (lan_dialect_entry_form). */
  if (to != NULL)
    {
      dialect = *to;
      lan_dialect_set_default_legacy (&dialect, self->legacy);
    }
  else
    lan_dialect_init (&dialect, self->legacy);
  kind = lan_dialect_entry_form (to != NULL ? &dialect : NULL).utf8_fields ? LAN_DIALECT_UTF8_TEXT
                                                                            : LAN_DIALECT_LEGACY_TEXT;

  /* The header can't carry ':' (the draft says ';' instead) nor NUL. */
  user_text = g_strdelimit (g_strdup (self->user_name != NULL ? self->user_name : "user"), ":", ';');
  host_text = g_strdelimit (g_strdup (self->host_name != NULL ? self->host_name : "host"), ":", ';');
  user = lan_dialect_encode (&dialect, kind, user_text, NULL, NULL);
  host = lan_dialect_encode (&dialect, kind, host_text, NULL, NULL);
  packet = lan_ipmsg_packet_new ("1", packet_no,
                                 g_bytes_get_data (user, NULL), g_bytes_get_data (host, NULL),
                                 command, extra, extra_len);
  bytes = lan_ipmsg_packet_to_bytes (packet, &error);
  /* Only ':' or NUL in a header field can fail: both were removed above,
   * and no legacy encoding writes either inside a character. */
  g_assert_no_error (error);
  /* Whatever we build we send: so our own broadcasts are known when they come back. */
  if (!g_hash_table_contains (self->own_sent, &packet_no))
    remember_own (self, packet_no);
  return bytes;
}

LanDialect
lan_wire_peer_dialect (LanWire *self,
                       LanPeer *peer)
{
  LanDialect dialect;

  if (peer == NULL)
    {
      lan_dialect_init (&dialect, self->legacy);
      return dialect;
    }
  dialect = *lan_peer_get_dialect (peer);
  lan_dialect_set_default_legacy (&dialect, self->legacy);
  return dialect;
}

char *
lan_wire_decode (LanWire              *self,
                 LanPeer              *peer,
                 const LanIpmsgPacket *packet,
                 const guint8         *data,
                 gsize                 len)
{
  /* A sender we don't list yet is read by what its own packet teaches. */
  LanDialect dialect = peer != NULL ? lan_wire_peer_dialect (self, peer)
                                    : lan_dialect_for_packet (packet, self->legacy);

  return lan_dialect_decode (&dialect, packet->command, LAN_DIALECT_PEER_TEXT, data, len, NULL, NULL);
}

char *
lan_wire_decode_section (LanWire              *self,
                         LanPeer              *peer,
                         const LanIpmsgPacket *packet,
                         guint                 index)
{
  GBytes *section = lan_ipmsg_packet_get_section (packet, index);

  if (section == NULL)
    return g_strdup ("");
  return lan_wire_decode (self, peer, packet, g_bytes_get_data (section, NULL),
                          g_bytes_get_size (section));
}

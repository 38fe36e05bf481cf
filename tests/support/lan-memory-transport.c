/* lan-memory-transport.c — the in-memory LAN: a queue of datagrams on the
 * hub, delivered from an idle source, and its members.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-memory-transport"

#include "config.h"

#include "lan-memory-transport.h"

#include <errno.h>
#include <string.h>

#include "lan-ipmsg.h"

#define LIMITED_BROADCAST 0xffffffffu
/* A flood that outruns the main loop is lost, as a kernel's buffer would lose it. */
#define MAX_QUEUED        (1u << 16)
#define FIRST_EPHEMERAL   32768
#define FLUSH_ROUNDS      1000

struct _LanMemoryNetwork
{
  GObject              parent_instance;

  guint32              subnet;
  guint32              netmask;
  char                 broadcast_text[16];
  GPtrArray           *members;     /* LanMemoryTransport, not owned: they own us */
  GQueue               queue;       /* Queued */
  GMainContext        *context;
  GSource             *source;
  LanMemoryFilterFunc  filter;
  gpointer             filter_data;
  guint64              dropped;
};

struct _LanMemoryTransport
{
  LanTransport       parent_instance;

  LanMemoryNetwork  *network;
  guint32            address;
  gboolean           bound;
  gboolean           wildcard;
  guint16            port;
  gboolean           down;
  guint              drop_next[2];
  double             loss[2];
  GRand             *loss_rand[2];
  GPtrArray         *sent;          /* LanMemorySent */
  guint64            received;
};

typedef struct {
  LanEndpoint  from;
  LanEndpoint  to;
  GBytes      *bytes;
} Queued;

G_DEFINE_FINAL_TYPE (LanMemoryNetwork, lan_memory_network, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (LanMemoryTransport, lan_memory_transport, LAN_TYPE_TRANSPORT)

static void
queued_free (Queued *queued)
{
  g_bytes_unref (queued->bytes);
  g_free (queued);
}

static void
sent_free (LanMemorySent *sent)
{
  g_bytes_unref (sent->bytes);
  g_free (sent);
}

gboolean
lan_memory_parse_endpoint (const char  *text,
                           LanEndpoint *out)
{
  g_auto(GStrv) parts = NULL;
  guint64 port = 2425;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, ":", 3);
  if (parts[0] == NULL || !lan_ipv4_parse (parts[0], &out->address))
    return FALSE;
  if (parts[1] != NULL &&
      (parts[2] != NULL || !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT16, &port, NULL)))
    return FALSE;
  out->port = (guint16) port;
  return TRUE;
}

/* The network */

static gboolean
is_broadcast (LanMemoryNetwork *self,
              guint32           address)
{
  return address == LIMITED_BROADCAST || address == (self->subnet | ~self->netmask);
}

static void
deliver_one (LanMemoryNetwork *self,
             Queued           *queued)
{
  g_autoptr(GPtrArray) recipients = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean broadcast = is_broadcast (self, queued->to.address);

  for (guint i = 0; i < self->members->len; i++)
    {
      LanMemoryTransport *member = g_ptr_array_index (self->members, i);

      if (!member->bound || member->port != queued->to.port)
        continue;
      if (broadcast || member->address == queued->to.address)
        g_ptr_array_add (recipients, g_object_ref (member));
    }
  if (recipients->len == 0)
    self->dropped++;

  for (guint i = 0; i < recipients->len; i++)
    {
      LanMemoryTransport *member = g_ptr_array_index (recipients, i);
      LanDatagram datagram = { 0 };

      /* An earlier recipient's handler may have closed this one. */
      if (!member->bound || member->port != queued->to.port || member->down)
        {
          self->dropped++;
          continue;
        }
      if (member->drop_next[LAN_DIRECTION_IN] > 0)
        {
          member->drop_next[LAN_DIRECTION_IN]--;
          self->dropped++;
          continue;
        }
      if (member->loss[LAN_DIRECTION_IN] > 0.0 &&
          g_rand_double (member->loss_rand[LAN_DIRECTION_IN]) < member->loss[LAN_DIRECTION_IN])
        {
          self->dropped++;
          continue;
        }

      datagram.time_us = g_get_real_time ();
      datagram.direction = LAN_DIRECTION_IN;
      datagram.local = queued->to;
      datagram.remote = queued->from;
      datagram.data = g_bytes_get_data (queued->bytes, &datagram.len);
      if (broadcast)
        datagram.flags |= LAN_DATAGRAM_BROADCAST;
      member->received++;
      lan_transport_report (LAN_TRANSPORT (member), &datagram);
    }
}

/* Delivers what was queued before it started, so two members answering each
 * other can't keep one dispatch going for ever. */
static guint
deliver_queued (LanMemoryNetwork *self)
{
  guint n = self->queue.length;

  for (guint i = 0; i < n && self->queue.length > 0; i++)
    {
      Queued *queued = g_queue_pop_head (&self->queue);

      deliver_one (self, queued);
      queued_free (queued);
    }
  return n;
}

static gboolean
on_deliver (gpointer user_data)
{
  LanMemoryNetwork *self = g_object_ref (user_data);
  gboolean more;

  /* A handler may drop the last reference to a member, and with it ours. */
  deliver_queued (self);
  more = self->queue.length > 0;
  if (!more)
    g_clear_pointer (&self->source, g_source_unref);
  g_object_unref (self);
  return more ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
enqueue (LanMemoryNetwork *self,
         LanEndpoint       from,
         LanEndpoint       to,
         const guint8     *data,
         gsize             len)
{
  Queued *queued;

  if (self->filter != NULL && self->filter (from, to, data, len, self->filter_data))
    {
      self->dropped++;
      return;
    }
  if (self->queue.length >= MAX_QUEUED)
    {
      self->dropped++;
      return;
    }

  queued = g_new0 (Queued, 1);
  queued->from = from;
  queued->to = to;
  queued->bytes = g_bytes_new (data, len);
  g_queue_push_tail (&self->queue, queued);

  if (self->source == NULL)
    {
      self->source = g_idle_source_new ();
      /* Where the UDP transport's socket source runs: below timers and redraws. */
      g_source_set_priority (self->source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (self->source, on_deliver, self, NULL);
      g_source_set_static_name (self->source, "[lanchat] memory network");
      g_source_attach (self->source, self->context);
    }
}

static void
lan_memory_network_finalize (GObject *object)
{
  LanMemoryNetwork *self = LAN_MEMORY_NETWORK (object);

  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  g_queue_clear_full (&self->queue, (GDestroyNotify) queued_free);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (lan_memory_network_parent_class)->finalize (object);
}

static void
lan_memory_network_class_init (LanMemoryNetworkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lan_memory_network_finalize;
}

static void
lan_memory_network_init (LanMemoryNetwork *self)
{
  self->members = g_ptr_array_new ();
  g_queue_init (&self->queue);
  self->context = g_main_context_ref_thread_default ();
}

LanMemoryNetwork *
lan_memory_network_new (const char *subnet)
{
  LanMemoryNetwork *self = g_object_new (LAN_TYPE_MEMORY_NETWORK, NULL);
  g_auto(GStrv) parts = g_strsplit (subnet != NULL ? subnet : "10.77.0.0/24", "/", 2);
  guint64 bits = 24;
  guint32 address = 0;

  if (!lan_ipv4_parse (parts[0], &address) ||
      (parts[1] != NULL && !g_ascii_string_to_unsigned (parts[1], 10, 1, 31, &bits, NULL)))
    g_error ("“%s” is not a subnet like 10.77.0.0/24", subnet);
  self->netmask = ~((1u << (32 - bits)) - 1);
  self->subnet = address & self->netmask;
  lan_ipv4_format (self->subnet | ~self->netmask, self->broadcast_text);
  return self;
}

guint32
lan_memory_network_get_broadcast (LanMemoryNetwork *self)
{
  return self->subnet | ~self->netmask;
}

const char *
lan_memory_network_get_broadcast_string (LanMemoryNetwork *self)
{
  return self->broadcast_text;
}

void
lan_memory_network_inject (LanMemoryNetwork *self,
                           LanEndpoint       from,
                           LanEndpoint       to,
                           const guint8     *data,
                           gsize             len)
{
  g_return_if_fail (LAN_IS_MEMORY_NETWORK (self));

  enqueue (self, from, to, data, len);
}

void
lan_memory_network_inject_text (LanMemoryNetwork *self,
                                const char       *from,
                                const char       *to,
                                const char       *text)
{
  LanEndpoint source, destination;

  g_return_if_fail (LAN_IS_MEMORY_NETWORK (self));
  if (!lan_memory_parse_endpoint (from, &source) || !lan_memory_parse_endpoint (to, &destination))
    g_error ("inject: “%s” → “%s” are not endpoints", from, to);

  enqueue (self, source, destination, (const guint8 *) text, strlen (text) + 1);
}

void
lan_memory_network_set_filter (LanMemoryNetwork    *self,
                               LanMemoryFilterFunc  filter,
                               gpointer             user_data)
{
  self->filter = filter;
  self->filter_data = user_data;
}

guint
lan_memory_network_get_n_queued (LanMemoryNetwork *self)
{
  return self->queue.length;
}

guint64
lan_memory_network_get_n_dropped (LanMemoryNetwork *self)
{
  return self->dropped;
}

guint
lan_memory_network_flush (LanMemoryNetwork *self)
{
  guint total = 0;
  guint n;

  g_object_ref (self);
  /* Bounded: two members that answer every datagram would never settle. */
  for (guint round = 0; round < FLUSH_ROUNDS && (n = deliver_queued (self)) > 0; round++)
    total += n;
  g_object_unref (self);
  return total;
}

/* The transport */

static void
memory_close (LanTransport *transport)
{
  LanMemoryTransport *self = LAN_MEMORY_TRANSPORT (transport);

  self->bound = FALSE;
  self->wildcard = FALSE;
  self->port = 0;
}

static gboolean
port_taken (LanMemoryTransport *self,
            guint16             port)
{
  for (guint i = 0; i < self->network->members->len; i++)
    {
      LanMemoryTransport *member = g_ptr_array_index (self->network->members, i);

      if (member != self && member->bound && member->port == port && member->address == self->address)
        return TRUE;
    }
  return FALSE;
}

/* The errors and messages of LanUdpTransport, so the engine's paths for
 * them can be tested here. */
static gboolean
memory_bind (LanTransport  *transport,
             const char    *address,
             guint16        port,
             GError       **error)
{
  LanMemoryTransport *self = LAN_MEMORY_TRANSPORT (transport);
  guint32 wanted = 0;

  memory_close (transport);

  if (address == NULL || *address == '\0')
    address = "0.0.0.0";
  if (!lan_ipv4_parse (address, &wanted))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IPv4 address to listen on", address);
      return FALSE;
    }
  if (wanted != 0 && wanted != self->address)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (EADDRNOTAVAIL),
                   "Cannot listen on %s port %u: %s", address, port, g_strerror (EADDRNOTAVAIL));
      return FALSE;
    }
  if (port == 0)
    {
      for (guint candidate = FIRST_EPHEMERAL; candidate <= G_MAXUINT16 && port == 0; candidate++)
        if (!port_taken (self, (guint16) candidate))
          port = (guint16) candidate;
    }
  if (port == 0 || port_taken (self, port))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                   "UDP port %u on %s is already in use, probably by another "
                   "IP messenger. Quit it, or choose another port.",
                   port, address);
      return FALSE;
    }

  self->bound = TRUE;
  self->wildcard = wanted == 0;
  self->port = port;
  return TRUE;
}

static gboolean
memory_is_bound (LanTransport *transport)
{
  return LAN_MEMORY_TRANSPORT (transport)->bound;
}

static LanEndpoint
memory_get_local (LanTransport *transport)
{
  LanMemoryTransport *self = LAN_MEMORY_TRANSPORT (transport);
  LanEndpoint local = { 0, 0 };

  if (self->bound)
    {
      local.address = self->wildcard ? 0 : self->address;
      local.port = self->port;
    }
  return local;
}

static gboolean
lose (LanMemoryTransport *self,
      LanDirection        direction)
{
  if (self->drop_next[direction] > 0)
    {
      self->drop_next[direction]--;
      return TRUE;
    }
  return self->loss[direction] > 0.0 &&
         g_rand_double (self->loss_rand[direction]) < self->loss[direction];
}

static gboolean
memory_send (LanTransport  *transport,
             LanEndpoint    to,
             const guint8  *data,
             gsize          len)
{
  LanMemoryTransport *self = LAN_MEMORY_TRANSPORT (transport);
  LanDatagram datagram = { 0 };

  datagram.time_us = g_get_real_time ();
  datagram.direction = LAN_DIRECTION_OUT;
  datagram.local = memory_get_local (transport);
  datagram.remote = to;
  datagram.data = data;
  datagram.len = len;
  if (is_broadcast (self->network, to.address))
    datagram.flags |= LAN_DATAGRAM_BROADCAST;

  if (!self->bound)
    {
      datagram.flags |= LAN_DATAGRAM_SEND_ERROR;
      datagram.error = "not connected to the network";
    }
  else
    {
      LanMemorySent *sent = g_new0 (LanMemorySent, 1);
      LanEndpoint from = { self->address, self->port };

      sent->to = to;
      sent->bytes = g_bytes_new (data, len);
      sent->dropped = self->down || lose (self, LAN_DIRECTION_OUT);
      g_ptr_array_add (self->sent, sent);
      if (sent->dropped)
        self->network->dropped++;
      else
        enqueue (self->network, from, to, data, len);
    }

  g_object_ref (self);
  lan_transport_report (transport, &datagram);
  g_object_unref (self);
  return (datagram.flags & LAN_DATAGRAM_SEND_ERROR) == 0;
}

static void
lan_memory_transport_dispose (GObject *object)
{
  LanMemoryTransport *self = LAN_MEMORY_TRANSPORT (object);

  memory_close (LAN_TRANSPORT (self));
  if (self->network != NULL)
    g_ptr_array_remove (self->network->members, self);
  g_clear_object (&self->network);
  G_OBJECT_CLASS (lan_memory_transport_parent_class)->dispose (object);
}

static void
lan_memory_transport_finalize (GObject *object)
{
  LanMemoryTransport *self = LAN_MEMORY_TRANSPORT (object);

  g_clear_pointer (&self->sent, g_ptr_array_unref);
  g_clear_pointer (&self->loss_rand[0], g_rand_free);
  g_clear_pointer (&self->loss_rand[1], g_rand_free);
  G_OBJECT_CLASS (lan_memory_transport_parent_class)->finalize (object);
}

static void
lan_memory_transport_class_init (LanMemoryTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  LanTransportClass *transport_class = LAN_TRANSPORT_CLASS (klass);

  object_class->dispose = lan_memory_transport_dispose;
  object_class->finalize = lan_memory_transport_finalize;
  transport_class->bind = memory_bind;
  transport_class->close = memory_close;
  transport_class->is_bound = memory_is_bound;
  transport_class->get_local = memory_get_local;
  transport_class->send = memory_send;
}

static void
lan_memory_transport_init (LanMemoryTransport *self)
{
  self->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) sent_free);
}

LanMemoryTransport *
lan_memory_transport_new (LanMemoryNetwork *network,
                          const char       *address)
{
  LanMemoryTransport *self;
  guint32 parsed;

  g_return_val_if_fail (LAN_IS_MEMORY_NETWORK (network), NULL);
  if (!lan_ipv4_parse (address, &parsed) || parsed == 0)
    g_error ("“%s” is not an address for a member of the network", address);

  self = g_object_new (LAN_TYPE_MEMORY_TRANSPORT, NULL);
  self->network = g_object_ref (network);
  self->address = parsed;
  g_ptr_array_add (network->members, self);
  return self;
}

guint32
lan_memory_transport_get_address (LanMemoryTransport *self)
{
  return self->address;
}

LanMemoryNetwork *
lan_memory_transport_get_network (LanMemoryTransport *self)
{
  return self->network;
}

void
lan_memory_transport_set_down (LanMemoryTransport *self,
                               gboolean            down)
{
  self->down = down;
}

void
lan_memory_transport_drop_next (LanMemoryTransport *self,
                                LanDirection        direction,
                                guint               count)
{
  self->drop_next[direction] = count;
}

void
lan_memory_transport_set_loss (LanMemoryTransport *self,
                               LanDirection        direction,
                               double              fraction,
                               guint32             seed)
{
  self->loss[direction] = fraction;
  g_clear_pointer (&self->loss_rand[direction], g_rand_free);
  self->loss_rand[direction] = g_rand_new_with_seed (seed);
}

guint
lan_memory_transport_get_n_sent (LanMemoryTransport *self)
{
  return self->sent->len;
}

const LanMemorySent *
lan_memory_transport_get_sent (LanMemoryTransport *self,
                               guint               index)
{
  g_return_val_if_fail (index < self->sent->len, NULL);

  return g_ptr_array_index (self->sent, index);
}

void
lan_memory_transport_clear_sent (LanMemoryTransport *self)
{
  g_ptr_array_set_size (self->sent, 0);
}

GPtrArray *
lan_memory_transport_find_sent (LanMemoryTransport *self,
                                guint32             mode,
                                const LanEndpoint  *to)
{
  GPtrArray *packets = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_packet_free);

  for (guint i = 0; i < self->sent->len; i++)
    {
      LanMemorySent *sent = g_ptr_array_index (self->sent, i);
      gsize len;
      const guint8 *data = g_bytes_get_data (sent->bytes, &len);
      LanIpmsgPacket *packet;

      if (to != NULL && !lan_endpoint_equal (*to, sent->to))
        continue;
      packet = lan_ipmsg_packet_parse (data, len, NULL);
      if (packet != NULL && LAN_IPMSG_MODE (packet->command) == mode)
        g_ptr_array_add (packets, packet);
      else if (packet != NULL)
        lan_ipmsg_packet_free (packet);
    }
  return packets;
}

guint
lan_memory_transport_count_sent (LanMemoryTransport *self,
                                 guint32             mode,
                                 const LanEndpoint  *to)
{
  g_autoptr(GPtrArray) packets = lan_memory_transport_find_sent (self, mode, to);

  return packets->len;
}

guint64
lan_memory_transport_get_n_received (LanMemoryTransport *self)
{
  return self->received;
}

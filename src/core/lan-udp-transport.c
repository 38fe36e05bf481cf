/* lan-udp-transport.c — the UDP sockets: bind, send, and the source
 * address of every datagram we send.
 *
 * GSocket creates and binds the sockets; LanUdpReceiver reads them (in a
 * thread of its own by default) and hands datagrams back on the context
 * we were bound on.
 *
 * Bound to one unicast address, the socket would never get broadcasts: the
 * kernel delivers those only to sockets bound to 0.0.0.0 or to the
 * broadcast address itself. Binding 0.0.0.0 and filtering would take the
 * port from every other address of the host (two messengers on two
 * networks, or the loop tests' engines on 127.0.0.2-4, could not coexist),
 * so we keep the unicast socket (it sends, and a port in use is still
 * found) and add receive-only sockets bound to the interface's broadcast
 * address and to 255.255.255.255, shared (SO_REUSEADDR) and filtered by
 * the interface the datagram came in on (IP_PKTINFO).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-udp-transport"

#include "config.h"

#include "lan-udp-transport.h"

#include "lan-interfaces.h"
#include "lan-route-cache.h"
#include "lan-udp-receiver.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#define RECEIVE_BUFFER    (8 * 1024 * 1024)

struct _LanUdpTransport
{
  LanTransport     parent_instance;

  gboolean         threaded;
  GSocket         *socket;
  /* Bound to one address: receive-only sockets for its interface's
   * broadcast address and for 255.255.255.255, which a socket bound to a
   * unicast address never gets. */
  GPtrArray       *broadcast_sockets;
  LanUdpReceiver  *receiver;
  LanEndpoint      local;
  /* Drops counted on sockets closed before this one: the kernel's count
   * starts again with each socket, ours goes on. */
  guint64          drops_before;

  /* Bound to 0.0.0.0: the source the kernel picks per destination. */
  LanRouteCache   *routes;
  GPtrArray       *interfaces;
  GNetworkMonitor *monitor;
  gulong           network_changed_id;
};

G_DEFINE_FINAL_TYPE (LanUdpTransport, lan_udp_transport, LAN_TYPE_TRANSPORT)

static void
report (LanUdpTransport   *self,
        const LanDatagram *datagram)
{
  lan_transport_report (LAN_TRANSPORT (self), datagram);
}

static void
on_datagram (const LanDatagram *datagram,
             gpointer           user_data)
{
  LanUdpTransport *self = user_data;

  /* The handler may close us or drop the last reference. */
  g_object_ref (self);
  report (self, datagram);
  g_object_unref (self);
}

static void
enlarge_receive_buffer (int fd)
{
  int size = RECEIVE_BUFFER;

  /* SO_RCVBUFFORCE passes rmem_max when we may; otherwise take what we get. */
  if (setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
    (void) setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

static guint32
inet_to_host (GInetAddress *inet)
{
  guint8 bytes[4];

  memcpy (bytes, g_inet_address_to_bytes (inet), 4);
  return ((guint32) bytes[0] << 24) | ((guint32) bytes[1] << 16) |
         ((guint32) bytes[2] << 8) | bytes[3];
}

/* (transfer full) (nullable): an IPv4 UDP socket with IP_PKTINFO and the drop counter. */
static GSocket *
new_socket (GError **error)
{
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                  G_SOCKET_PROTOCOL_UDP, error);
  int one = 1;
  int fd;

  if (socket == NULL)
    return NULL;
  g_socket_set_broadcast (socket, TRUE);
  fd = g_socket_get_fd (socket);
  (void) setsockopt (fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
  (void) setsockopt (fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
  enlarge_receive_buffer (fd);
  return socket;
}

/* A receive-only socket on @address:@port, shared with whoever else wants
 * that broadcast address (SO_REUSEADDR). (transfer full) (nullable) */
static GSocket *
new_broadcast_socket (guint32 address,
                      guint16 port)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GError) error = NULL;
  struct sockaddr_in addr = { .sin_family = AF_INET };

  socket = new_socket (&error);
  if (socket == NULL)
    {
      g_message ("no broadcast socket: %s", error->message);
      return NULL;
    }
  addr.sin_addr.s_addr = htonl (address);
  addr.sin_port = htons (port);
  sockaddr = g_socket_address_new_from_native (&addr, sizeof addr);
  if (!g_socket_bind (socket, sockaddr, TRUE, &error))
    {
      char text[16];

      /* Unicast still works; broadcasts from others will be missed. */
      g_message ("cannot listen for broadcasts to %s:%u: %s",
                 lan_ipv4_format (address, text), port, error->message);
      return NULL;
    }
  return g_steal_pointer (&socket);
}

static void
add_broadcast_sockets (LanUdpTransport *self,
                       GArray          *configs)
{
  g_autoptr(GPtrArray) interfaces = lan_interfaces_list ();
  LanInterface *iface = NULL;
  guint32 addresses[2];
  int ifindex;

  for (guint i = 0; i < interfaces->len && iface == NULL; i++)
    {
      LanInterface *candidate = g_ptr_array_index (interfaces, i);

      if (candidate->address == self->local.address)
        iface = candidate;
    }
  /* Loopback has no broadcast, and an address of no interface (bind would
   * have refused it) none either. */
  if (iface == NULL || iface->loopback)
    return;
  ifindex = (int) if_nametoindex (iface->name);
  if (ifindex == 0)
    return;

  addresses[0] = iface->broadcast;
  addresses[1] = 0xffffffffu;
  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      GSocket *socket;
      LanUdpReceiverSocket config = { 0 };

      if (addresses[i] == 0 || (i == 1 && addresses[0] == 0xffffffffu))
        continue;
      socket = new_broadcast_socket (addresses[i], self->local.port);
      if (socket == NULL)
        continue;
      g_ptr_array_add (self->broadcast_sockets, socket);
      config.fd = g_socket_get_fd (socket);
      config.ifindex = ifindex;
      config.broadcast = TRUE;
      g_array_append_val (configs, config);
    }
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    LanUdpTransport *self)
{
  /* Routes and addresses may have changed: ask the kernel again. */
  lan_route_cache_clear (self->routes);
  g_clear_pointer (&self->interfaces, g_ptr_array_unref);
  self->interfaces = lan_interfaces_list ();
}

static void udp_close (LanTransport *transport);

static gboolean
udp_bind (LanTransport  *transport,
          const char    *address,
          guint16        port,
          GError       **error)
{
  LanUdpTransport *self = LAN_UDP_TRANSPORT (transport);
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) configs = g_array_new (FALSE, TRUE, sizeof (LanUdpReceiverSocket));
  LanUdpReceiverSocket config = { 0 };

  udp_close (transport);

  if (address == NULL || *address == '\0')
    address = "0.0.0.0";
  inet = g_inet_address_new_from_string (address);
  if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV4)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IPv4 address to listen on"), address);
      return FALSE;
    }

  socket = new_socket (error);
  if (socket == NULL)
    return FALSE;

  sockaddr = g_inet_socket_address_new (inet, port);
  /* No SO_REUSEADDR: on UDP it would let two messengers share the port
   * silently, each getting half of the datagrams. */
  if (!g_socket_bind (socket, sockaddr, FALSE, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                     _("UDP port %u on %s is already in use, probably by another "
                       "IP messenger. Quit it, or choose another port."),
                     port, address);
      else
        g_set_error (error, local_error->domain, local_error->code,
                     _("Cannot listen on %s port %u: %s"),
                     address, port, local_error->message);
      return FALSE;
    }

  bound = g_socket_get_local_address (socket, NULL);
  if (bound == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot read the bound address"));
      return FALSE;
    }
  self->local.address = inet_to_host (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound)));
  self->local.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  self->socket = g_steal_pointer (&socket);
  config.fd = g_socket_get_fd (self->socket);
  g_array_append_val (configs, config);
  self->broadcast_sockets = g_ptr_array_new_with_free_func (g_object_unref);
  if (self->local.address != 0)
    add_broadcast_sockets (self, configs);
  else
    {
      self->routes = lan_route_cache_new (NULL, NULL);
      self->interfaces = lan_interfaces_list ();
      self->monitor = g_object_ref (g_network_monitor_get_default ());
      self->network_changed_id = g_signal_connect (self->monitor, "network-changed",
                                                   G_CALLBACK (on_network_changed), self);
    }

  self->receiver = lan_udp_receiver_new ((LanUdpReceiverSocket *) configs->data, configs->len,
                                         self->local.port, 0, self->threaded,
                                         g_main_context_get_thread_default (),
                                         on_datagram, self);
  return TRUE;
}

static void
udp_close (LanTransport *transport)
{
  LanUdpTransport *self = LAN_UDP_TRANSPORT (transport);

  if (self->receiver != NULL)
    {
      self->drops_before += lan_udp_receiver_get_kernel_drops (self->receiver) +
                            lan_udp_receiver_get_queue_drops (self->receiver);
      /* Joins the reader thread before its sockets close under it. */
      g_clear_pointer (&self->receiver, lan_udp_receiver_free);
    }
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_pointer (&self->broadcast_sockets, g_ptr_array_unref);
  g_clear_signal_handler (&self->network_changed_id, self->monitor);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->routes, lan_route_cache_free);
  g_clear_pointer (&self->interfaces, g_ptr_array_unref);
}

static gboolean
udp_is_bound (LanTransport *transport)
{
  return LAN_UDP_TRANSPORT (transport)->socket != NULL;
}

static LanEndpoint
udp_get_local (LanTransport *transport)
{
  return LAN_UDP_TRANSPORT (transport)->local;
}

static gboolean
udp_send (LanTransport  *transport,
          LanEndpoint    to,
          const guint8  *data,
          gsize          len)
{
  LanUdpTransport *self = LAN_UDP_TRANSPORT (transport);
  LanDatagram datagram = { 0 };
  struct sockaddr_in addr = { 0 };
  const char *error = NULL;

  datagram.time_us = g_get_real_time ();
  datagram.direction = LAN_DIRECTION_OUT;
  datagram.local = self->local;
  /* The address the kernel sends from, not the 0.0.0.0 we are bound to:
   * the packet log and its captures must show the wire. */
  if (datagram.local.address == 0 && self->routes != NULL)
    datagram.local.address = lan_route_cache_get_source (self->routes, self->interfaces, to.address);
  datagram.remote = to;
  datagram.data = data;
  datagram.len = len;
  if (to.address == 0xffffffffu)
    datagram.flags |= LAN_DATAGRAM_BROADCAST;
  for (guint i = 0; self->interfaces != NULL && i < self->interfaces->len; i++)
    if (((LanInterface *) g_ptr_array_index (self->interfaces, i))->broadcast == to.address)
      datagram.flags |= LAN_DATAGRAM_BROADCAST;

  if (self->socket == NULL)
    error = _("not connected to the network");
  else
    {
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl (to.address);
      addr.sin_port = htons (to.port);
      if (sendto (g_socket_get_fd (self->socket), data, len, MSG_DONTWAIT,
                  (struct sockaddr *) &addr, sizeof addr) < 0)
        error = g_strerror (errno);
    }

  if (error != NULL)
    {
      datagram.flags |= LAN_DATAGRAM_SEND_ERROR;
      datagram.error = error;
    }
  report (self, &datagram);

  return error == NULL;
}

static guint64
udp_get_kernel_drops (LanTransport *transport)
{
  LanUdpTransport *self = LAN_UDP_TRANSPORT (transport);

  if (self->receiver == NULL)
    return self->drops_before;
  return self->drops_before + lan_udp_receiver_get_kernel_drops (self->receiver) +
         lan_udp_receiver_get_queue_drops (self->receiver);
}

static GPtrArray *
udp_dup_local_addresses (LanTransport *transport)
{
  LanUdpTransport *self = LAN_UDP_TRANSPORT (transport);
  GPtrArray *result = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) interfaces = NULL;
  char text[16];

  if (self->socket == NULL)
    return result;
  if (self->local.address != 0)
    {
      g_ptr_array_add (result, g_strdup (lan_ipv4_format (self->local.address, text)));
      return result;
    }
  interfaces = lan_interfaces_list ();
  for (guint i = 0; i < interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (interfaces, i);

      if (!iface->loopback)
        g_ptr_array_add (result, g_strdup (lan_ipv4_format (iface->address, text)));
    }
  return result;
}

static void
lan_udp_transport_finalize (GObject *object)
{
  udp_close (LAN_TRANSPORT (object));
  G_OBJECT_CLASS (lan_udp_transport_parent_class)->finalize (object);
}

static void
lan_udp_transport_class_init (LanUdpTransportClass *klass)
{
  LanTransportClass *transport_class = LAN_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = lan_udp_transport_finalize;
  transport_class->bind = udp_bind;
  transport_class->close = udp_close;
  transport_class->is_bound = udp_is_bound;
  transport_class->get_local = udp_get_local;
  transport_class->send = udp_send;
  transport_class->get_kernel_drops = udp_get_kernel_drops;
  transport_class->dup_local_addresses = udp_dup_local_addresses;
}

static void
lan_udp_transport_init (LanUdpTransport *self)
{
  self->threaded = lan_udp_receiver_default_threaded ();
}

LanUdpTransport *
lan_udp_transport_new (void)
{
  return g_object_new (LAN_TYPE_UDP_TRANSPORT, NULL);
}

/* lan-udp-transport.c — one UDP socket, read in batches with recvmmsg().
 *
 * GSocket creates, binds and watches the socket; the reads themselves use
 * recvmmsg() on its fd because GLib's receive_messages() cannot return the
 * IP_PKTINFO (which address a datagram was sent to) or the SO_RXQ_OVFL drop
 * counter, and a packet log without those is blind to broadcasts and bursts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-udp-transport"

/* recvmmsg() */
#define _GNU_SOURCE

#include "config.h"

#include "lan-udp-transport.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

/* Larger than any UDP payload over IPv4: a datagram never arrives cut. */
#define DATAGRAM_BUFFER   65536
#define BATCH_SIZE        16
/* Read for at most this long per wakeup: long enough that a frame of the UI
 * between two wakeups doesn't cap the rate (a fixed count did, at about
 * 256 datagrams a frame), short enough that a flood can't starve the UI. */
#define READ_BUDGET_US 8000
#define RECEIVE_BUFFER    (8 * 1024 * 1024)
/* Parenthesised: it is multiplied by an index, and without them each
 * message's control area overlapped the next and the last overran the buffer. */
#define CONTROL_SIZE      (CMSG_SPACE (sizeof (struct in_pktinfo)) + CMSG_SPACE (sizeof (guint32)))

struct _LanUdpTransport
{
  LanTransport     parent_instance;

  GSocket         *socket;
  GSource         *source;
  GCancellable    *cancellable;
  LanEndpoint      local;
  guint64          kernel_drops;
  /* Drops counted on sockets closed before this one: the kernel's count
   * starts again with each socket, ours goes on. */
  guint64          drops_before;

  /* Receive buffers, allocated once at bind. */
  guint8          *buffers;
  guint8          *controls;
};

G_DEFINE_FINAL_TYPE (LanUdpTransport, lan_udp_transport, LAN_TYPE_TRANSPORT)

static void
report (LanUdpTransport   *self,
        const LanDatagram *datagram)
{
  lan_transport_report (LAN_TRANSPORT (self), datagram);
}

static void
read_control (struct msghdr *hdr,
              LanEndpoint   *local,
              guint64        drops_before,
              guint64       *drops)
{
  for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (hdr); cmsg != NULL; cmsg = CMSG_NXTHDR (hdr, cmsg))
    {
      if (cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_PKTINFO)
        {
          struct in_pktinfo info;

          memcpy (&info, CMSG_DATA (cmsg), sizeof info);
          local->address = ntohl (info.ipi_addr.s_addr);
        }
      else if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SO_RXQ_OVFL)
        {
          guint32 count;

          memcpy (&count, CMSG_DATA (cmsg), sizeof count);
          *drops = drops_before + count;
        }
    }
}

static gboolean
on_socket_readable (GSocket      *socket,
                    GIOCondition  condition,
                    gpointer      user_data)
{
  LanUdpTransport *self = user_data;
  int fd = g_socket_get_fd (socket);
  gint64 deadline = g_get_monotonic_time () + READ_BUDGET_US;

  /* The handler may close us; keep self alive through the loop. */
  g_object_ref (self);

  for (guint batch = 0; self->socket != NULL && (batch == 0 || g_get_monotonic_time () < deadline); batch++)
    {
      struct mmsghdr msgs[BATCH_SIZE];
      struct iovec iovs[BATCH_SIZE];
      struct sockaddr_in addrs[BATCH_SIZE];
      gint64 now;
      int n;

      memset (msgs, 0, sizeof msgs);
      for (guint i = 0; i < BATCH_SIZE; i++)
        {
          iovs[i].iov_base = self->buffers + (gsize) i * DATAGRAM_BUFFER;
          iovs[i].iov_len = DATAGRAM_BUFFER;
          msgs[i].msg_hdr.msg_iov = &iovs[i];
          msgs[i].msg_hdr.msg_iovlen = 1;
          msgs[i].msg_hdr.msg_name = &addrs[i];
          msgs[i].msg_hdr.msg_namelen = sizeof addrs[i];
          msgs[i].msg_hdr.msg_control = self->controls + (gsize) i * CONTROL_SIZE;
          msgs[i].msg_hdr.msg_controllen = CONTROL_SIZE;
        }

      n = recvmmsg (fd, msgs, BATCH_SIZE, MSG_DONTWAIT, NULL);
      if (n <= 0)
        break;

      now = g_get_real_time ();
      for (int i = 0; i < n && self->socket != NULL; i++)
        {
          LanDatagram datagram = { 0 };

          datagram.time_us = now;
          datagram.direction = LAN_DIRECTION_IN;
          datagram.local = self->local;
          datagram.remote.address = ntohl (addrs[i].sin_addr.s_addr);
          datagram.remote.port = ntohs (addrs[i].sin_port);
          datagram.data = iovs[i].iov_base;
          datagram.len = msgs[i].msg_len;
          if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC)
            datagram.flags |= LAN_DATAGRAM_TRUNCATED;
          read_control (&msgs[i].msg_hdr, &datagram.local, self->drops_before, &self->kernel_drops);
          if (datagram.local.address == 0xffffffffu)
            datagram.flags |= LAN_DATAGRAM_BROADCAST;
          report (self, &datagram);
        }

      if (n < BATCH_SIZE)
        break;
    }

  g_object_unref (self);
  return G_SOURCE_CONTINUE;
}

static void
enlarge_receive_buffer (int fd)
{
  int size = RECEIVE_BUFFER;

  /* SO_RCVBUFFORCE passes rmem_max when we may; otherwise take what we get. */
  if (setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
    (void) setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
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
  g_autoptr(GError) local_error = NULL;
  int one = 1;
  int fd;

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

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                         G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL)
    return FALSE;

  g_socket_set_broadcast (socket, TRUE);
  fd = g_socket_get_fd (socket);
  (void) setsockopt (fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
  (void) setsockopt (fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
  enlarge_receive_buffer (fd);

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

  {
    g_autoptr(GSocketAddress) bound = g_socket_get_local_address (socket, NULL);
    GInetAddress *bound_inet;
    guint8 bytes[4];

    if (bound == NULL)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot read the bound address"));
        return FALSE;
      }
    bound_inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound));
    memcpy (bytes, g_inet_address_to_bytes (bound_inet), 4);
    self->local.address = ((guint32) bytes[0] << 24) | ((guint32) bytes[1] << 16) |
                          ((guint32) bytes[2] << 8) | bytes[3];
    self->local.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  }

  self->drops_before = self->kernel_drops;
  self->buffers = g_malloc ((gsize) BATCH_SIZE * DATAGRAM_BUFFER);
  self->controls = g_malloc0 ((gsize) BATCH_SIZE * CONTROL_SIZE);
  self->cancellable = g_cancellable_new ();
  self->socket = g_steal_pointer (&socket);
  self->source = g_socket_create_source (self->socket, G_IO_IN, self->cancellable);
  g_source_set_callback (self->source, G_SOURCE_FUNC (on_socket_readable), self, NULL);
  g_source_set_static_name (self->source, "[lanchat] transport");
  /* Below drawing and input: under a flood the socket is always ready, and
   * at the default priority it would starve the window's redraws and the
   * packet log's once-an-iteration flush alike. */
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT_IDLE);
  g_source_attach (self->source, g_main_context_get_thread_default ());

  return TRUE;
}

static void
udp_close (LanTransport *transport)
{
  LanUdpTransport *self = LAN_UDP_TRANSPORT (transport);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->source != NULL)
    {
      g_source_destroy (self->source);
      g_clear_pointer (&self->source, g_source_unref);
    }
  g_clear_object (&self->cancellable);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);
  g_clear_object (&self->socket);
  g_clear_pointer (&self->buffers, g_free);
  g_clear_pointer (&self->controls, g_free);
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
  datagram.remote = to;
  datagram.data = data;
  datagram.len = len;
  if (to.address == 0xffffffffu)
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
  return LAN_UDP_TRANSPORT (transport)->kernel_drops;
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
}

static void
lan_udp_transport_init (LanUdpTransport *self)
{
}

LanUdpTransport *
lan_udp_transport_new (void)
{
  return g_object_new (LAN_TYPE_UDP_TRANSPORT, NULL);
}

/* lan-socket-address.c — see lan-socket-address.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-socket-address"

#include "config.h"

#include "lan-socket-address.h"

LanEndpoint
lan_socket_address_to_endpoint (GSocketAddress *address)
{
  LanEndpoint endpoint = { 0, 0 };
  GInetAddress *inet;
  const guint8 *bytes;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return endpoint;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  endpoint.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  if (g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV4)
    return endpoint;
  bytes = g_inet_address_to_bytes (inet);
  endpoint.address = ((guint32) bytes[0] << 24) | ((guint32) bytes[1] << 16) |
                     ((guint32) bytes[2] << 8) | bytes[3];
  return endpoint;
}

GSocketAddress *
lan_socket_address_new (LanEndpoint endpoint)
{
  guint8 bytes[4] = {
    endpoint.address >> 24, (endpoint.address >> 16) & 0xff, (endpoint.address >> 8) & 0xff, endpoint.address & 0xff,
  };
  g_autoptr(GInetAddress) address = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV4);

  return g_inet_socket_address_new (address, endpoint.port);
}

/* lan-route-cache.c — per-destination source addresses, asked of the
 * kernel once each and forgotten when the network changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-route-cache"

#include "config.h"

#include "lan-route-cache.h"

#include "lan-interfaces.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

struct _LanRouteCache
{
  LanRouteLookupFunc  lookup;
  gpointer            user_data;
  /* destination → source + 1, so that a remembered failure (0) is not
   * taken for a miss */
  GHashTable         *sources;
};

LanRouteCache *
lan_route_cache_new (LanRouteLookupFunc lookup,
                     gpointer           user_data)
{
  LanRouteCache *self = g_new0 (LanRouteCache, 1);

  self->lookup = lookup != NULL ? lookup : lan_route_lookup_kernel;
  self->user_data = user_data;
  self->sources = g_hash_table_new (g_direct_hash, g_direct_equal);
  return self;
}

void
lan_route_cache_free (LanRouteCache *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->sources);
  g_free (self);
}

guint32
lan_route_cache_get_source (LanRouteCache *self,
                            GPtrArray     *interfaces,
                            guint32        destination)
{
  gpointer stored;
  guint32 source;

  /* A directed broadcast leaves by the interface it belongs to: its address
   * is the source, whatever the routing table says about the others. */
  for (guint i = 0; interfaces != NULL && i < interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (interfaces, i);

      if (iface->broadcast != 0 && iface->broadcast == destination && !iface->loopback)
        return iface->address;
    }

  if (g_hash_table_lookup_extended (self->sources, GUINT_TO_POINTER (destination), NULL, &stored))
    return (guint32) (GPOINTER_TO_SIZE (stored) - 1);

  source = self->lookup (destination, self->user_data);
  if (g_hash_table_size (self->sources) >= LAN_ROUTE_CACHE_MAX)
    g_hash_table_remove_all (self->sources);
  g_hash_table_insert (self->sources, GUINT_TO_POINTER (destination),
                       GSIZE_TO_POINTER ((gsize) source + 1));
  return source;
}

void
lan_route_cache_clear (LanRouteCache *self)
{
  g_hash_table_remove_all (self->sources);
}

guint
lan_route_cache_get_size (LanRouteCache *self)
{
  return g_hash_table_size (self->sources);
}

guint32
lan_route_lookup_kernel (guint32  destination,
                         gpointer user_data)
{
  struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons (9) };
  struct sockaddr_in source = { 0 };
  socklen_t length = sizeof source;
  int one = 1;
  int fd;
  guint32 result = 0;

  fd = socket (AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
  if (fd < 0)
    return 0;
  /* Without it, connecting to a broadcast address is refused (EACCES). */
  (void) setsockopt (fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
  to.sin_addr.s_addr = htonl (destination);
  if (connect (fd, (struct sockaddr *) &to, sizeof to) == 0 &&
      getsockname (fd, (struct sockaddr *) &source, &length) == 0)
    result = ntohl (source.sin_addr.s_addr);
  close (fd);
  return result;
}

/* lan-interfaces.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-interfaces"

#include "config.h"

#include "lan-interfaces.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

void
lan_interface_free (LanInterface *iface)
{
  g_free (iface->name);
  g_free (iface);
}

GPtrArray *
lan_interfaces_list (void)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_interface_free);
  struct ifaddrs *addrs = NULL;

  /* No interfaces at all is a state the app must live with, not an error. */
  if (getifaddrs (&addrs) != 0)
    return result;

  for (struct ifaddrs *it = addrs; it != NULL; it = it->ifa_next)
    {
      LanInterface *iface;

      if (it->ifa_addr == NULL || it->ifa_addr->sa_family != AF_INET)
        continue;
      if (!(it->ifa_flags & IFF_UP))
        continue;

      iface = g_new0 (LanInterface, 1);
      iface->name = g_strdup (it->ifa_name);
      iface->address = ntohl (((struct sockaddr_in *) it->ifa_addr)->sin_addr.s_addr);
      if (it->ifa_netmask != NULL)
        iface->netmask = ntohl (((struct sockaddr_in *) it->ifa_netmask)->sin_addr.s_addr);
      iface->loopback = (it->ifa_flags & IFF_LOOPBACK) != 0;
      if ((it->ifa_flags & IFF_BROADCAST) && it->ifa_broadaddr != NULL)
        iface->broadcast = ntohl (((struct sockaddr_in *) it->ifa_broadaddr)->sin_addr.s_addr);
      g_ptr_array_add (result, iface);
    }

  freeifaddrs (addrs);
  return result;
}

gboolean
lan_interfaces_is_local_address (GPtrArray *interfaces,
                                 guint32    address)
{
  for (guint i = 0; i < interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (interfaces, i);

      if (iface->address == address)
        return TRUE;
    }
  return FALSE;
}

gboolean
lan_interfaces_can_broadcast (GPtrArray *interfaces)
{
  for (guint i = 0; i < interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (interfaces, i);

      if (!iface->loopback && iface->broadcast != 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
lan_interfaces_has_default_route (void)
{
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/net/route", &table, NULL, NULL))
    return TRUE; /* Can't tell: try, and let a failure be logged. */

  lines = g_strsplit (table, "\n", -1);
  /* Columns: Iface Destination Gateway Flags …; the first line is the header. */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (lines[i], " \t", -1);
      guint n = 0;
      const char *destination = NULL;

      for (guint j = 0; fields[j] != NULL; j++)
        if (*fields[j] != '\0' && ++n == 2)
          destination = fields[j];
      if (g_strcmp0 (destination, "00000000") == 0)
        return TRUE;
    }
  return FALSE;
}

/* The broadcast addresses of the interfaces we listen on, and 255.255.255.255
 * where there is a route for it. */
GArray *
lan_interfaces_broadcast_targets (GPtrArray   *interfaces,
                                  LanEndpoint  local)
{
  GArray *targets = g_array_new (FALSE, FALSE, sizeof (LanEndpoint));

  for (guint i = 0; i < interfaces->len; i++)
    {
      LanInterface *iface = g_ptr_array_index (interfaces, i);
      LanEndpoint endpoint = { iface->broadcast, local.port };
      gboolean duplicate = FALSE;

      if (iface->loopback || iface->broadcast == 0)
        continue;
      if (local.address != 0 && iface->address != local.address)
        continue;
      for (guint j = 0; j < targets->len; j++)
        if (g_array_index (targets, LanEndpoint, j).address == endpoint.address)
          duplicate = TRUE;
      if (!duplicate)
        g_array_append_val (targets, endpoint);
    }

  /* Without a default route the kernel has nowhere to send the limited
   * broadcast; the directed ones above reach the same hosts. */
  if (local.address == 0 && lan_interfaces_can_broadcast (interfaces) &&
      lan_interfaces_has_default_route ())
    {
      LanEndpoint all = { 0xffffffffu, local.port };

      g_array_append_val (targets, all);
    }
  return targets;
}

/* test-route-cache.c — the per-destination source cache, over a fake
 * lookup (no socket).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lan-interfaces.h"
#include "lan-route-cache.h"

typedef struct {
  guint calls;
  guint32 last;
} Fake;

/* 10.77.0.0/24 is reached from 10.77.0.11, everything else from 192.168.1.5,
 * and 203.0.113.0/24 not at all. */
static guint32
fake_lookup (guint32  destination,
             gpointer user_data)
{
  Fake *fake = user_data;

  fake->calls++;
  fake->last = destination;
  if ((destination >> 8) == 0x0a4d00)
    return 0x0a4d000b;
  if ((destination >> 8) == 0xcb0071)
    return 0;
  return 0xc0a80105;
}

static void
test_cached (void)
{
  Fake fake = { 0 };
  g_autoptr(LanRouteCache) cache = lan_route_cache_new (fake_lookup, &fake);

  g_assert_cmphex (lan_route_cache_get_source (cache, NULL, 0x0a4d000c), ==, 0x0a4d000b);
  g_assert_cmpuint (fake.calls, ==, 1);
  g_assert_cmphex (fake.last, ==, 0x0a4d000c);
  /* Asked again: remembered. */
  g_assert_cmphex (lan_route_cache_get_source (cache, NULL, 0x0a4d000c), ==, 0x0a4d000b);
  g_assert_cmpuint (fake.calls, ==, 1);
  g_assert_cmphex (lan_route_cache_get_source (cache, NULL, 0x08080808), ==, 0xc0a80105);
  g_assert_cmpuint (fake.calls, ==, 2);
  g_assert_cmpuint (lan_route_cache_get_size (cache), ==, 2);
}

static void
test_failure_remembered (void)
{
  Fake fake = { 0 };
  g_autoptr(LanRouteCache) cache = lan_route_cache_new (fake_lookup, &fake);

  /* No route: 0, and not asked again for every datagram. */
  g_assert_cmphex (lan_route_cache_get_source (cache, NULL, 0xcb007101), ==, 0);
  g_assert_cmphex (lan_route_cache_get_source (cache, NULL, 0xcb007101), ==, 0);
  g_assert_cmpuint (fake.calls, ==, 1);
}

static void
test_clear (void)
{
  Fake fake = { 0 };
  g_autoptr(LanRouteCache) cache = lan_route_cache_new (fake_lookup, &fake);

  lan_route_cache_get_source (cache, NULL, 0x0a4d000c);
  lan_route_cache_clear (cache);
  g_assert_cmpuint (lan_route_cache_get_size (cache), ==, 0);
  /* After a network change the kernel is asked afresh. */
  g_assert_cmphex (lan_route_cache_get_source (cache, NULL, 0x0a4d000c), ==, 0x0a4d000b);
  g_assert_cmpuint (fake.calls, ==, 2);
}

static void
test_bounded (void)
{
  Fake fake = { 0 };
  g_autoptr(LanRouteCache) cache = lan_route_cache_new (fake_lookup, &fake);

  for (guint32 i = 0; i < 3 * LAN_ROUTE_CACHE_MAX; i++)
    {
      lan_route_cache_get_source (cache, NULL, 0x0b000000 + i);
      g_assert_cmpuint (lan_route_cache_get_size (cache), <=, LAN_ROUTE_CACHE_MAX);
    }
  g_assert_cmpuint (fake.calls, ==, 3 * LAN_ROUTE_CACHE_MAX);
  g_assert_cmpuint (lan_route_cache_get_size (cache), >, 0);
}

static void
test_broadcast (void)
{
  Fake fake = { 0 };
  g_autoptr(LanRouteCache) cache = lan_route_cache_new (fake_lookup, &fake);
  g_autoptr(GPtrArray) interfaces = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_interface_free);
  LanInterface *lo = g_new0 (LanInterface, 1);
  LanInterface *eth = g_new0 (LanInterface, 1);
  LanInterface *wlan = g_new0 (LanInterface, 1);

  lo->name = g_strdup ("lo");
  lo->address = 0x7f000001;
  lo->netmask = 0xff000000;
  lo->loopback = TRUE;
  eth->name = g_strdup ("eth0");
  eth->address = 0x0a4d000b;
  eth->netmask = 0xffffff00;
  eth->broadcast = 0x0a4d00ff;
  wlan->name = g_strdup ("wlan0");
  wlan->address = 0xc0a80105;
  wlan->netmask = 0xffffff00;
  wlan->broadcast = 0xc0a801ff;
  g_ptr_array_add (interfaces, lo);
  g_ptr_array_add (interfaces, eth);
  g_ptr_array_add (interfaces, wlan);

  /* A directed broadcast: its interface's address, without a lookup (the
   * fake would have said 192.168.1.5 for 192.168.1.255 too, but for
   * 10.77.0.255 the right answer only comes from the interface list). */
  g_assert_cmphex (lan_route_cache_get_source (cache, interfaces, 0xc0a801ff), ==, 0xc0a80105);
  g_assert_cmphex (lan_route_cache_get_source (cache, interfaces, 0x0a4d00ff), ==, 0x0a4d000b);
  g_assert_cmpuint (fake.calls, ==, 0);
  /* The limited broadcast belongs to no interface: the route's source. */
  g_assert_cmphex (lan_route_cache_get_source (cache, interfaces, 0xffffffff), ==, 0xc0a80105);
  g_assert_cmpuint (fake.calls, ==, 1);
  g_assert_cmphex (fake.last, ==, 0xffffffff);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/route-cache/cached", test_cached);
  g_test_add_func ("/route-cache/failure-remembered", test_failure_remembered);
  g_test_add_func ("/route-cache/clear", test_clear);
  g_test_add_func ("/route-cache/bounded", test_bounded);
  g_test_add_func ("/route-cache/broadcast", test_broadcast);
  return g_test_run ();
}

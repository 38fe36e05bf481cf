/* test-targets.c — parsing the user's extra targets and IPv4 text. No sockets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-bounds.h"
#include "lan-targets.h"
#include "lan-types.h"
#include "lan-types.h"

#define PORT 2425

static GArray *
endpoints_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (LanEndpoint));
}

static void
assert_endpoint (GArray     *endpoints,
                 guint       index,
                 const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_cmpuint (index, <, endpoints->len);
  text = lan_endpoint_to_string (g_array_index (endpoints, LanEndpoint, index));
  g_assert_cmpstr (text, ==, expected);
}

/* Parses @spec alone and checks it gives @count consecutive addresses from @first to @last. */
static void
assert_block (const char *spec,
              guint       count,
              const char *first,
              const char *last)
{
  g_autoptr(GArray) endpoints = endpoints_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (lan_targets_parse (spec, PORT, endpoints, LAN_MESSENGER_MAX_TARGETS, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, count);
  assert_endpoint (endpoints, 0, first);
  assert_endpoint (endpoints, count - 1, last);
  for (guint i = 1; i < endpoints->len; i++)
    {
      LanEndpoint previous = g_array_index (endpoints, LanEndpoint, i - 1);
      LanEndpoint endpoint = g_array_index (endpoints, LanEndpoint, i);

      g_assert_cmpuint (endpoint.address, ==, previous.address + 1);
      g_assert_cmpuint (endpoint.port, ==, PORT);
    }
}

/* A refused spec must leave what was already parsed exactly as it was. */
static void
assert_refused (const char *spec,
                guint       max)
{
  g_autoptr(GArray) endpoints = endpoints_new ();
  g_autoptr(GError) error = NULL;
  LanEndpoint sentinel = { 0x0a000001, 1 };

  g_array_append_val (endpoints, sentinel);
  if (lan_targets_parse (spec, PORT, endpoints, max, &error))
    g_error ("“%s” was accepted", spec);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (endpoints->len, ==, 1);
  assert_endpoint (endpoints, 0, "10.0.0.1:1");
}

static void
test_single (void)
{
  g_autoptr(GArray) endpoints = endpoints_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (lan_targets_parse ("10.77.0.5", PORT, endpoints, 10, &error));
  g_assert_no_error (error);
  g_assert_true (lan_targets_parse ("10.77.0.6:2426", PORT, endpoints, 10, &error));
  g_assert_no_error (error);
  /* A broadcast address is a target like any other: it is how a remote subnet is reached. */
  g_assert_true (lan_targets_parse ("10.77.1.255", PORT, endpoints, 10, &error));
  g_assert_true (lan_targets_parse ("255.255.255.255", PORT, endpoints, 10, &error));
  /* Whatever the user pasted around it is not part of the target. */
  g_assert_true (lan_targets_parse ("  10.77.0.7:1\t", PORT, endpoints, 10, &error));
  g_assert_true (lan_targets_parse ("10.77.0.8:65535", PORT, endpoints, 10, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (endpoints->len, ==, 6);
  assert_endpoint (endpoints, 0, "10.77.0.5:2425");
  assert_endpoint (endpoints, 1, "10.77.0.6:2426");
  assert_endpoint (endpoints, 2, "10.77.1.255:2425");
  assert_endpoint (endpoints, 3, "255.255.255.255:2425");
  assert_endpoint (endpoints, 4, "10.77.0.7:1");
  assert_endpoint (endpoints, 5, "10.77.0.8:65535");
}

static void
test_range (void)
{
  assert_block ("10.0.0.10-10.0.0.50", 41, "10.0.0.10:2425", "10.0.0.50:2425");
  /* Across an octet boundary. */
  assert_block ("10.0.0.250-10.0.1.5", 12, "10.0.0.250:2425", "10.0.1.5:2425");
  assert_block ("10.0.0.7-10.0.0.7", 1, "10.0.0.7:2425", "10.0.0.7:2425");
  /* Short form: the end shares the first three octets. */
  assert_block ("10.1.2.10-50", 41, "10.1.2.10:2425", "10.1.2.50:2425");
  assert_block ("10.1.2.10-10", 1, "10.1.2.10:2425", "10.1.2.10:2425");
  assert_block ("10.1.2.0-255", 256, "10.1.2.0:2425", "10.1.2.255:2425");
  assert_block (" 10.1.2.1-3 ", 3, "10.1.2.1:2425", "10.1.2.3:2425");
}

static void
test_range_reversed (void)
{
  const char *reversed[] = { "10.0.0.9-10.0.0.1", "10.1.2.50-10", "10.0.1.0-10.0.0.255" };

  for (gsize i = 0; i < G_N_ELEMENTS (reversed); i++)
    {
      g_autoptr(GArray) endpoints = endpoints_new ();
      g_autoptr(GError) error = NULL;

      g_assert_false (lan_targets_parse (reversed[i], PORT, endpoints, LAN_MESSENGER_MAX_TARGETS, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      /* The message names the spec so the user sees which one was wrong. */
      g_assert_nonnull (strstr (error->message, reversed[i]));
      g_assert_cmpuint (endpoints->len, ==, 0);
    }
}

static void
test_cidr (void)
{
  /* A block is its hosts: no network, no broadcast address. */
  assert_block ("10.0.0.0/24", 254, "10.0.0.1:2425", "10.0.0.254:2425");
  /* Host bits in the spec are ignored. */
  assert_block ("10.0.0.77/24", 254, "10.0.0.1:2425", "10.0.0.254:2425");
  assert_block ("10.0.0.4/30", 2, "10.0.0.5:2425", "10.0.0.6:2425");
  /* A /31 is a point-to-point link (RFC 3021): both addresses are hosts. */
  assert_block ("10.0.0.4/31", 2, "10.0.0.4:2425", "10.0.0.5:2425");
  assert_block ("10.0.0.5/31", 2, "10.0.0.4:2425", "10.0.0.5:2425");
  assert_block ("10.0.0.9/32", 1, "10.0.0.9:2425", "10.0.0.9:2425");
  assert_block ("10.77.0.0/20", 4094, "10.77.0.1:2425", "10.77.15.254:2425");
}

static void
test_garbage (void)
{
  const char *garbage[] = {
    "", "   ", "10.0.0", "10.0.0.256", "a.b.c.d", "localhost", "::1",
    "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/-1", "10.0.0.1/24/8", "/24", "10.0.0.1/24:2425",
    "10.0.0.1:0", "10.0.0.1:70000", "10.0.0.1:", "10.0.0.1:-1", "10.0.0.1:80:80", ":2425",
    "10.0.0.1-", "-", "-10.0.0.1", "10.0.0.1-256", "10.0.0.1-x", "10.0.0.1-10.0.0.2-10.0.0.3",
    "10.0.0.1-10.0.0.5:2425", "10.0.0.1 10.0.0.2",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (garbage); i++)
    assert_refused (garbage[i], LAN_MESSENGER_MAX_TARGETS);

  {
    g_autoptr(GArray) endpoints = endpoints_new ();
    g_autoptr(GError) error = NULL;

    g_assert_false (lan_targets_parse (NULL, PORT, endpoints, LAN_MESSENGER_MAX_TARGETS, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_cmpuint (endpoints->len, ==, 0);
  }
}

static void
test_cap (void)
{
  g_autoptr(GArray) endpoints = endpoints_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (lan_targets_parse ("10.1.0.0/20", PORT, endpoints, LAN_MESSENGER_MAX_TARGETS, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, 4094);

  /* Six more would pass the cap: refused whole, not cut. */
  g_assert_false (lan_targets_parse ("10.2.0.0/29", PORT, endpoints, LAN_MESSENGER_MAX_TARGETS, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (endpoints->len, ==, 4094);

  /* The cap is inclusive: a /30's two hosts fill it exactly. */
  g_assert_true (lan_targets_parse ("10.2.0.0/30", PORT, endpoints, LAN_MESSENGER_MAX_TARGETS, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (endpoints->len, ==, LAN_MESSENGER_MAX_TARGETS);

  /* Full: not even one more host, nor another /30. */
  g_assert_false (lan_targets_parse ("10.3.0.1", PORT, endpoints, LAN_MESSENGER_MAX_TARGETS, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (lan_targets_parse ("10.3.0.0/30", PORT, endpoints, LAN_MESSENGER_MAX_TARGETS, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (endpoints->len, ==, LAN_MESSENGER_MAX_TARGETS);
  assert_endpoint (endpoints, LAN_MESSENGER_MAX_TARGETS - 1, "10.2.0.2:2425");

  /* The engine's single-address lookups use a cap of one. */
  assert_refused ("10.0.0.1-2", 2);
  {
    g_autoptr(GArray) one = endpoints_new ();

    g_assert_true (lan_targets_parse ("10.0.0.1", PORT, one, 1, &error));
    g_assert_no_error (error);
    g_assert_false (lan_targets_parse ("10.0.0.2", PORT, one, 1, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
    g_assert_cmpuint (one->len, ==, 1);
  }
}

static void
test_huge (void)
{
  /* These would be billions of endpoints: the count is checked before any is
   * made, so they fail at once (a loop would time the test out or run out of memory). */
  const char *huge[] = { "0.0.0.0/0", "10.0.0.0/1", "0.0.0.0-255.255.255.255", "10.0.0.0-10.255.255.255" };

  for (gsize i = 0; i < G_N_ELEMENTS (huge); i++)
    {
      g_autoptr(GArray) endpoints = endpoints_new ();
      g_autoptr(GError) error = NULL;

      g_assert_false (lan_targets_parse (huge[i], PORT, endpoints, LAN_MESSENGER_MAX_TARGETS, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_cmpuint (endpoints->len, ==, 0);
    }
}

static void
test_ipv4_parse (void)
{
  const struct {
    const char *text;
    guint32 address;
  } valid[] = {
    { "0.0.0.0", 0 },
    { "255.255.255.255", 0xffffffff },
    { "10.77.0.5", 0x0a4d0005 },
    { "127.0.0.2", 0x7f000002 },
    /* Leading zeros are read as decimal, never octal (unlike inet_aton,
     * which reads "010" as 8): what the user typed is what they get. */
    { "010.0.0.1", 0x0a000001 },
    { "001.002.003.004", 0x01020304 },
    { "000.000.000.000", 0 },
  };
  const char *invalid[] = {
    "", "1.2.3", "1.2.3.", "1.2.3.4.", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "999.0.0.1",
    /* Four digits are refused even when their value would fit. */
    "1.2.3.4444", "1.2.3.0004", "1.2.3.99999999999999999999",
    "1..2.3", ".1.2.3", " 1.2.3.4", "1.2.3.4 ", "+1.2.3.4", "-1.2.3.4", "1.2.3.-4",
    "0x1.2.3.4", "1.2.3.4\n", "1.2.3.4:80", "localhost", "::1", "1,2,3,4", "١.٢.٣.٤",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      guint32 address = 0xdeadbeef;

      g_assert_true (lan_ipv4_parse (valid[i].text, &address));
      g_assert_cmphex (address, ==, valid[i].address);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      guint32 address = 0xdeadbeef;

      if (lan_ipv4_parse (invalid[i], &address))
        g_error ("“%s” was read as an address", invalid[i]);
      /* A refused text leaves the output alone. */
      g_assert_cmphex (address, ==, 0xdeadbeef);
    }

  {
    guint32 address = 0xdeadbeef;

    g_assert_false (lan_ipv4_parse (NULL, &address));
    g_assert_cmphex (address, ==, 0xdeadbeef);
  }
}

static void
test_ipv4_format (void)
{
  /* The documented minimum: 16 bytes, exactly what the longest address needs. */
  g_autofree char *buf = g_malloc (16);

  g_assert_true (lan_ipv4_format (0xffffffff, buf) == buf);
  g_assert_cmpstr (buf, ==, "255.255.255.255");
  g_assert_cmpstr (lan_ipv4_format (0, buf), ==, "0.0.0.0");
  g_assert_cmpstr (lan_ipv4_format (0x0a4d0005, buf), ==, "10.77.0.5");

  /* Formatting and parsing are inverses. */
  for (guint i = 0; i < 1000; i++)
    {
      guint32 address = g_test_rand_int ();
      guint32 parsed = 0;

      g_assert_true (lan_ipv4_parse (lan_ipv4_format (address, buf), &parsed));
      g_assert_cmphex (parsed, ==, address);
    }
}

static void
test_endpoint_to_string (void)
{
  const struct {
    LanEndpoint endpoint;
    const char *text;
  } cases[] = {
    { { 0x0a4d0005, 2425 }, "10.77.0.5:2425" },
    { { 0, 0 }, "0.0.0.0:0" },
    { { 0xffffffff, 65535 }, "255.255.255.255:65535" },
    { { 0x7f000001, 1 }, "127.0.0.1:1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = lan_endpoint_to_string (cases[i].endpoint);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  g_assert_true (lan_endpoint_equal ((LanEndpoint) { 1, 2 }, (LanEndpoint) { 1, 2 }));
  g_assert_false (lan_endpoint_equal ((LanEndpoint) { 1, 2 }, (LanEndpoint) { 1, 3 }));
  g_assert_false (lan_endpoint_equal ((LanEndpoint) { 1, 2 }, (LanEndpoint) { 2, 2 }));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/targets/single", test_single);
  g_test_add_func ("/targets/range", test_range);
  g_test_add_func ("/targets/range-reversed", test_range_reversed);
  g_test_add_func ("/targets/cidr", test_cidr);
  g_test_add_func ("/targets/garbage", test_garbage);
  g_test_add_func ("/targets/cap", test_cap);
  g_test_add_func ("/targets/huge", test_huge);
  g_test_add_func ("/ipv4/parse", test_ipv4_parse);
  g_test_add_func ("/ipv4/format", test_ipv4_format);
  g_test_add_func ("/ipv4/endpoint-to-string", test_endpoint_to_string);

  return g_test_run ();
}

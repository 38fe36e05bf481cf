/* bench-flood-ack.c — how long a real peer waits for its acknowledgement
 * while strangers flood the engine, over the in-memory LAN of tests/support
 * (no socket is opened):
 *
 *   bench-flood-ack [ROUNDS [PER-ROUND]]   (100 rounds of 250 packets)
 *
 * For each flood (entry: BR_ENTRY from distinct addresses; spoofed:
 * SENDMSG|SENDCHECKOPT all from one "victim" address; messages: SENDMSG
 * from distinct strangers), each round injects PER-ROUND flood packets, then
 * bob sends alice one message, behind them in the same queue. Prints one
 * line per flood: "<flood> rounds R per-round P acked A p50 MS p95 MS max MS".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-flood-ack"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lan-ipmsg.h"
#include "lan-test-engine.h"

#define ALICE  "10.0.0.2"
#define BOB    "10.0.0.3"
#define VICTIM "10.0.0.66:2425"

typedef enum { FLOOD_ENTRY, FLOOD_SPOOFED, FLOOD_MESSAGES } Flood;

static const char *const flood_names[] = { "entry", "spoofed", "messages" };

static char *
stranger (guint i)
{
  return g_strdup_printf ("10.%u.%u.%u:2425", 1 + (i / 65536) % 200, (i / 256) % 256, i % 256);
}

static void
inject (LanMemoryNetwork *network,
        Flood             flood,
        guint             i)
{
  g_autofree char *from = flood == FLOOD_SPOOFED ? g_strdup (VICTIM) : stranger (i);
  g_autofree char *user = g_strdup_printf ("user%u", i);
  g_autoptr(GBytes) datagram = NULL;

  if (flood == FLOOD_ENTRY)
    datagram = lan_test_craft ("1", 1000 + i, user, "box", LAN_IPMSG_BR_ENTRY, "flood\0\0", 7);
  else
    datagram = lan_test_craft ("1", 1000 + i, user, "box", LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT,
                               "a message from a stranger", 26);
  lan_test_inject (network, from, ALICE, datagram);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
run (Flood flood,
     guint rounds,
     guint per_round)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.0.0.0/8");
  LanTestEngineOptions alice_options = { .user_name = "alice", .answer_delay_max_ms = 1000 };
  LanTestEngineOptions bob_options = { .user_name = "bob", .retry_initial_ms = 200, .retry_budget_ms = 30000 };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, BOB, &bob_options);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  LanPeer *peer = lan_test_engine_await_peer (bob, ALICE ":2425", 5000);

  if (peer == NULL)
    {
      fprintf (stderr, "bench-flood-ack: bob never saw alice\n");
      exit (1);
    }
  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LanMessage) message = NULL;
      gint64 start;

      for (guint i = 0; i < per_round; i++)
        inject (network, flood, round * per_round + i);
      start = g_get_monotonic_time ();
      message = lan_messenger_send (bob, peer, "a real message", &error);
      if (message == NULL)
        {
          fprintf (stderr, "bench-flood-ack: %s\n", error->message);
          exit (1);
        }
      if (lan_test_message_await_settled (message, 30000) &&
          lan_message_get_state (message) == LAN_MESSAGE_DELIVERED)
        {
          double ms = (double) (g_get_monotonic_time () - start) / 1000.0;

          g_array_append_val (latencies, ms);
        }
      /* What the memory transport keeps for tests is not the engine's. */
      lan_memory_transport_clear_sent (lan_test_engine_get_transport (alice));
      lan_memory_transport_clear_sent (lan_test_engine_get_transport (bob));
    }
  g_array_sort (latencies, compare_double);
  printf ("%s rounds %u per-round %u acked %u p50 %.1f p95 %.1f max %.1f\n",
          flood_names[flood], rounds, per_round, latencies->len,
          latencies->len > 0 ? g_array_index (latencies, double, latencies->len / 2) : -1.0,
          latencies->len > 0 ? g_array_index (latencies, double, (latencies->len * 95) / 100) : -1.0,
          latencies->len > 0 ? g_array_index (latencies, double, latencies->len - 1) : -1.0);
  lan_test_engine_stop (&bob);
  lan_test_engine_stop (&alice);
}

int
main (int   argc,
      char *argv[])
{
  guint rounds = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100;
  guint per_round = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 250;

  for (Flood flood = FLOOD_ENTRY; flood <= FLOOD_MESSAGES; flood++)
    run (flood, MAX (rounds, 1u), per_round);
  return 0;
}

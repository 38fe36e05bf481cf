/* test-engine-forgery.c — packet numbers a blind forger can't guess: a
 * random start from the CSPRNG, steps that rise but not by one, and spoofed
 * acknowledgements with the numbers the old clock scheme gave left unmatched.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-ipmsg.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"

#define ALICE  "10.77.0.2"
#define SILENT "10.77.0.9"

typedef struct {
  LanMemoryNetwork *network;
  LanMessenger     *alice;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  LanTestEngineOptions options = { .user_name = "alice" };

  fixture->network = lan_memory_network_new ("10.77.0.0/24");
  fixture->alice = lan_test_engine_new (fixture->network, ALICE, &options);
  /* Long enough that messages still wait while the forgeries come. */
  g_object_set (fixture->alice, "retry-initial-ms", 200u, "retry-budget-ms", 60000u, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  lan_test_engine_stop (&fixture->alice);
  g_clear_object (&fixture->network);
}

static LanMessage *
send_to_silent (Fixture    *fixture,
                const char *text)
{
  g_autoptr(GError) error = NULL;
  LanPeer *peer = lan_messenger_get_peer_for_address (fixture->alice, SILENT, &error);
  LanMessage *message;

  g_assert_no_error (error);
  message = lan_messenger_send (fixture->alice, peer, text, &error);
  g_assert_no_error (error);
  return message;
}

static void
test_numbers_rise_unpredictably (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(LanMemoryNetwork) other_network = lan_memory_network_new ("10.78.0.0/24");
  LanTestEngineOptions options = { .user_name = "twin" };
  g_autoptr(LanMessenger) twin = lan_test_engine_new (other_network, "10.78.0.2", &options);
  g_autoptr(LanMessage) first = send_to_silent (fixture, "0");
  g_autoptr(LanPeer) twin_peer = NULL;
  g_autoptr(LanMessage) twin_first = NULL;
  g_autoptr(GError) error = NULL;
  guint64 previous = lan_message_get_packet_no (first);
  guint64 clock = (guint64) (g_get_real_time () / G_USEC_PER_SEC);
  guint not_plus_one = 0;

  /* Two engines started in the same second don't start at the same number. */
  twin_peer = g_object_ref (lan_messenger_get_peer_for_address (twin, "10.78.0.9", &error));
  g_assert_no_error (error);
  twin_first = lan_messenger_send (twin, twin_peer, "0", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lan_message_get_packet_no (twin_first), !=, previous);

  /* Still near the clock (numbers keep rising across restarts) and below
   * 2^32 (iptux reads them into 32 bits). */
  g_assert_cmpuint (previous, >=, clock - 60);
  g_assert_cmpuint (previous, <, G_MAXUINT32);

  for (guint i = 1; i < 40; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);
      g_autoptr(LanMessage) message = send_to_silent (fixture, text);
      guint64 packet_no = lan_message_get_packet_no (message);

      /* Monotonic: iptux drops a number not above the last. */
      g_assert_cmpuint (packet_no, >, previous);
      if (packet_no - previous > 1)
        not_plus_one++;
      previous = packet_no;
    }
  /* Other packets (acks, announcements) take numbers in between too, but
   * here nothing else was sent: a step above one is the random step. With
   * steps 1..16, 39 steps all of one would be a 1 in 16^39 event. */
  g_assert_cmpuint (not_plus_one, >, 0);
  lan_test_engine_stop (&twin);
}

static gboolean
unmatched_reached (gpointer user_data)
{
  gpointer *args = user_data;
  const LanMessengerStats *stats = args[0];

  return stats->unmatched_replies >= GPOINTER_TO_UINT (args[1]);
}

static void
test_blind_acknowledgements_deliver_nothing (Fixture       *fixture,
                                             gconstpointer  data)
{
  g_autoptr(LanMessage) message = send_to_silent (fixture, "my PIN is 4711");
  const LanMessengerStats *stats = lan_messenger_get_stats (fixture->alice);
  guint64 clock = (guint64) (g_get_real_time () / G_USEC_PER_SEC);
  guint64 before = stats->unmatched_replies;
  gpointer args[2];
  guint forged = 0;

  /* A host that never saw the message, acknowledging it from the right
   * address and port with what a clock start would have used. */
  for (guint64 guess = clock - 8; guess <= clock + 8; guess++)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, guess);
      g_autoptr(GBytes) ack = lan_test_craft ("1", guess, "eve", "box", LAN_IPMSG_RECVMSG,
                                              number, strlen (number) + 1);

      lan_test_inject (fixture->network, SILENT ":2425", ALICE, ack);
      forged++;
    }
  args[0] = (gpointer) stats;
  args[1] = GUINT_TO_POINTER ((guint) (before + forged));
  g_assert_true (lan_test_await (unmatched_reached, args, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (stats->unmatched_replies, ==, before + forged);
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_SENDING);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/engine/forgery/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("numbers-rise-unpredictably", test_numbers_rise_unpredictably);
  ADD ("blind-acknowledgements-deliver-nothing", test_blind_acknowledgements_deliver_nothing);
#undef ADD

  return g_test_run ();
}

/* test-engine-sender.c — reliable send: resends with RETRYOPT, giving up
 * after the budget, and acknowledgements matched by number and address.
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
#define BOB    "10.77.0.3"
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
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  lan_memory_network_set_filter (fixture->network, NULL, NULL);
  lan_test_engine_stop (&fixture->alice);
  g_clear_object (&fixture->network);
}

static LanEndpoint
endpoint (const char *text)
{
  LanEndpoint result = { 0, 0 };

  g_assert_true (lan_memory_parse_endpoint (text, &result));
  return result;
}

static gboolean
drop_acknowledgements (LanEndpoint   from,
                       LanEndpoint   to,
                       const guint8 *data,
                       gsize         len,
                       gpointer      user_data)
{
  g_autoptr(LanIpmsgPacket) packet = lan_ipmsg_packet_parse (data, len, NULL);
  guint *dropped = user_data;

  if (packet == NULL || LAN_IPMSG_MODE (packet->command) != LAN_IPMSG_RECVMSG)
    return FALSE;
  (*dropped)++;
  return TRUE;
}

static void
test_every_ack_lost_then_fail_then_retry (Fixture       *fixture,
                                          gconstpointer  data)
{
  LanTestEngineOptions options = { .user_name = "bob" };
  g_autoptr(LanMessenger) bob = lan_test_engine_new (fixture->network, BOB, &options);
  g_autoptr(LanTestSignal) shown = lan_test_signal_watch (bob, "message-received");
  LanMemoryTransport *transport = lan_test_engine_get_transport (fixture->alice);
  LanEndpoint to_bob = endpoint (BOB ":2425");
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(GPtrArray) copies = NULL;
  g_autoptr(GError) error = NULL;
  guint dropped = 0;
  LanPeer *peer;

  g_object_set (fixture->alice, "retry-initial-ms", 10u, "retry-budget-ms", 300u, NULL);
  peer = lan_test_engine_await_peer (fixture->alice, BOB ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (peer);

  lan_memory_network_set_filter (fixture->network, drop_acknowledgements, &dropped);
  message = lan_messenger_send (fixture->alice, peer, "anyone?", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_SENDING);
  g_assert_true (lan_test_message_await_settled (message, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_FAILED);
  g_assert_cmpuint (lan_message_get_attempts (message), >=, 3);
  g_assert_nonnull (lan_message_get_error (message));

  /* Every copy had the same number, the resends said RETRYOPT; bob acked
   * each (all lost) and showed it once. */
  copies = lan_memory_transport_find_sent (transport, LAN_IPMSG_SENDMSG, &to_bob);
  g_assert_cmpuint (copies->len, ==, lan_message_get_attempts (message));
  for (guint i = 0; i < copies->len; i++)
    {
      LanIpmsgPacket *packet = g_ptr_array_index (copies, i);

      g_assert_cmpuint (packet->packet_no, ==, lan_message_get_packet_no (message));
      g_assert_true (packet->command & LAN_IPMSG_SENDCHECKOPT);
      if (i > 0)
        g_assert_true (packet->command & LAN_IPMSG_RETRYOPT);
      else
        g_assert_false (packet->command & LAN_IPMSG_RETRYOPT);
    }
  lan_test_drain ();
  g_assert_cmpuint (dropped, ==, copies->len);
  g_assert_cmpuint (lan_test_signal_count (shown), ==, 1);
  g_assert_cmpuint (lan_messenger_get_stats (bob)->duplicates, ==, copies->len - 1);
  g_assert_cmpuint (lan_messenger_get_stats (fixture->alice)->resends, ==, copies->len - 1);

  /* Retried once the way is clear: same number, delivered, still shown once. */
  lan_memory_network_set_filter (fixture->network, NULL, NULL);
  lan_messenger_retry (fixture->alice, message);
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_SENDING);
  g_assert_true (lan_test_message_await_settled (message, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_DELIVERED);
  g_assert_cmpuint (lan_test_signal_count (shown), ==, 1);

  lan_test_engine_stop (&bob);
}

static void
test_lossy_link_still_delivers (Fixture       *fixture,
                                gconstpointer  data)
{
  LanTestEngineOptions options = { .user_name = "bob" };
  g_autoptr(LanMessenger) bob = lan_test_engine_new (fixture->network, BOB, &options);
  g_autoptr(LanTestSignal) shown = lan_test_signal_watch (bob, "message-received");
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  LanPeer *peer = lan_test_engine_await_peer (fixture->alice, BOB ":2425", LAN_TEST_DEADLINE_MS);

  g_assert_nonnull (peer);
  g_object_set (fixture->alice, "retry-initial-ms", 5u, "retry-max-interval-ms", 20u,
                "retry-budget-ms", 4000u, NULL);
  /* A third of everything lost, both ways, the same every run. */
  lan_memory_transport_set_loss (lan_test_engine_get_transport (fixture->alice), LAN_DIRECTION_OUT, 0.33, 11);
  lan_memory_transport_set_loss (lan_test_engine_get_transport (bob), LAN_DIRECTION_OUT, 0.33, 12);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *text = g_strdup_printf ("message %u", i);
      g_autoptr(GError) error = NULL;

      g_ptr_array_add (messages, lan_messenger_send (fixture->alice, peer, text, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < messages->len; i++)
    {
      LanMessage *message = g_ptr_array_index (messages, i);

      g_assert_true (lan_test_message_await_settled (message, LAN_TEST_DEADLINE_MS));
      g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_DELIVERED);
    }
  /* Each shown exactly once, however many copies arrived. */
  g_assert_cmpuint (lan_test_signal_count (shown), ==, 20);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_conversation (bob, ALICE ":2425"))),
                    ==, 20);
  lan_test_engine_stop (&bob);
}

static void
inject_ack (Fixture    *fixture,
            const char *from,
            guint64     packet_no)
{
  g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, packet_no);
  g_autoptr(GBytes) ack = lan_test_craft ("1", 1, "eve", "box", LAN_IPMSG_RECVMSG, number, strlen (number) + 1);

  lan_test_inject (fixture->network, from, ALICE, ack);
}

typedef struct {
  const LanMessengerStats *stats;
  guint64                  wrong;
  guint64                  unmatched;
} StatsWait;

static gboolean
stats_reached (gpointer user_data)
{
  StatsWait *wait = user_data;

  return wait->stats->wrong_address_replies >= wait->wrong &&
         wait->stats->unmatched_replies >= wait->unmatched;
}

static gboolean
resent (gpointer user_data)
{
  return lan_message_get_attempts (user_data) >= 2;
}

static void
test_acknowledgement_matching (Fixture       *fixture,
                               gconstpointer  data)
{
  LanMemoryTransport *transport = lan_test_engine_get_transport (fixture->alice);
  LanEndpoint silent = endpoint (SILENT ":2425");
  StatsWait wait = { lan_messenger_get_stats (fixture->alice), 0, 0 };
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sent = NULL;
  guint64 packet_no;
  gint64 before_send, after_send, before_ack;
  LanPeer *peer;

  /* Long enough that it is still waiting while the wrong answers come. */
  g_object_set (fixture->alice, "retry-initial-ms", 200u, "retry-budget-ms", 60000u, NULL);
  peer = lan_messenger_get_peer_for_address (fixture->alice, SILENT, &error);
  g_assert_no_error (error);
  before_send = g_get_monotonic_time ();
  message = lan_messenger_send (fixture->alice, peer, "only for .9", &error);
  after_send = g_get_monotonic_time ();
  g_assert_no_error (error);
  sent = lan_memory_transport_find_sent (transport, LAN_IPMSG_SENDMSG, &silent);
  g_assert_cmpuint (sent->len, ==, 1);
  packet_no = ((LanIpmsgPacket *) g_ptr_array_index (sent, 0))->packet_no;
  g_assert_cmpuint (packet_no, ==, lan_message_get_packet_no (message));

  /* The right number from the wrong address. */
  inject_ack (fixture, "10.77.0.10:2425", packet_no);
  wait.wrong = 1;
  g_assert_true (lan_test_await (stats_reached, &wait, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_SENDING);

  /* The right address, the wrong port: another program on that host. */
  inject_ack (fixture, SILENT ":2426", packet_no);
  wait.wrong = 2;
  g_assert_true (lan_test_await (stats_reached, &wait, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_SENDING);

  /* The right address with a number nothing waits on. */
  inject_ack (fixture, SILENT ":2425", packet_no + 1000);
  wait.unmatched = 1;
  g_assert_true (lan_test_await (stats_reached, &wait, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_SENDING);
  g_assert_cmpint (lan_message_get_round_trip (message), ==, -1);

  /* The real one, after a resend. Its round trip runs from the first send
   * (not from the resend, nor from a wrong answer) to this acknowledgement. */
  g_assert_true (lan_test_await (resent, message, LAN_TEST_DEADLINE_MS));
  before_ack = g_get_monotonic_time ();
  inject_ack (fixture, SILENT ":2425", packet_no);
  g_assert_true (lan_test_message_await_settled (message, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_DELIVERED);
  g_assert_cmpint (lan_message_get_round_trip (message), >=, before_ack - after_send);
  g_assert_cmpint (lan_message_get_round_trip (message), <=, g_get_monotonic_time () - before_send);
  g_assert_cmpuint (wait.stats->wrong_address_replies, ==, 2);
  g_assert_cmpuint (wait.stats->unmatched_replies, ==, 1);

  /* Once delivered, the same acknowledgement again matches nothing. */
  inject_ack (fixture, SILENT ":2425", packet_no);
  wait.unmatched = 2;
  g_assert_true (lan_test_await (stats_reached, &wait, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_DELIVERED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/engine/sender/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("every-ack-lost-then-fail-then-retry", test_every_ack_lost_then_fail_then_retry);
  ADD ("lossy-link-still-delivers", test_lossy_link_still_delivers);
  ADD ("acknowledgement-matching", test_acknowledgement_matching);
#undef ADD

  return g_test_run ();
}

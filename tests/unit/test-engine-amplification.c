/* test-engine-amplification.c — no reflection: a flood of spoofed requests
 * from one "victim" address gets fewer bytes back at the victim than it
 * sent, the away reply goes out once a minute, and a real peer is still
 * acknowledged during a flood from other addresses. A bot's answers (our own
 * messages, with their resends) spend the same budget.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-bounds.h"
#include "lan-ipmsg.h"
#include "lan-rate-limit.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"

#define ALICE  "10.77.0.2"
#define BOB    "10.77.0.3"
#define VICTIM "10.77.0.66"

typedef struct {
  LanMemoryNetwork *network;
  LanMessenger     *alice;
  LanEndpoint       alice_at;
  LanEndpoint       victim;
  guint64           bytes_to_victim;
  guint64           datagrams_to_victim;
  gsize             first_answer;       /* size of the first datagram to the victim */
  guint             away_replies;
} Fixture;

static LanEndpoint
endpoint (const char *text)
{
  LanEndpoint result = { 0, 0 };

  g_assert_true (lan_memory_parse_endpoint (text, &result));
  return result;
}

/* Counts what reaches the victim; drops nothing. */
static gboolean
count_victim (LanEndpoint   from,
              LanEndpoint   to,
              const guint8 *data,
              gsize         len,
              gpointer      user_data)
{
  Fixture *fixture = user_data;

  if (to.address == fixture->victim.address && from.address == fixture->alice_at.address)
    {
      g_autoptr(LanIpmsgPacket) packet = lan_ipmsg_packet_parse (data, len, NULL);

      if (fixture->datagrams_to_victim == 0)
        fixture->first_answer = len;
      fixture->bytes_to_victim += len;
      fixture->datagrams_to_victim++;
      if (packet != NULL && (packet->command & LAN_IPMSG_AUTORETOPT))
        fixture->away_replies++;
    }
  return FALSE;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  /* Long names and a long away text: every answer is larger than a
   * minimal request, which is what makes reflection pay. */
  LanTestEngineOptions options = {
    .user_name = "alice-the-administrator",
    .host_name = "accounting-workstation-12",
    .nickname = "Alice from Accounting, second floor, east wing",
  };

  fixture->network = lan_memory_network_new ("10.77.0.0/24");
  fixture->alice = lan_test_engine_new (fixture->network, ALICE, &options);
  fixture->alice_at = endpoint (ALICE ":2425");
  fixture->victim = endpoint (VICTIM ":2425");
  lan_memory_network_set_filter (fixture->network, count_victim, fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  lan_memory_network_set_filter (fixture->network, NULL, NULL);
  lan_test_engine_stop (&fixture->alice);
  g_clear_object (&fixture->network);
}

/* The smallest request of each kind that asks for an answer, from @from. */
static gsize
inject_request (Fixture    *fixture,
                const char *from,
                guint       i)
{
  static const guint32 commands[] = {
    LAN_IPMSG_BR_ENTRY,
    LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT,
    LAN_IPMSG_GETABSENCEINFO,
    LAN_IPMSG_GETINFO,
  };
  g_autoptr(GBytes) request = lan_test_craft ("1", 1000 + i, "e", "h",
                                              commands[i % G_N_ELEMENTS (commands)], "", 1);
  gsize len = g_bytes_get_size (request);

  lan_test_inject (fixture->network, from, ALICE, request);
  return len;
}

static gboolean
network_idle (gpointer user_data)
{
  return lan_memory_network_get_n_queued (user_data) == 0;
}

static void
test_spoofed_flood_reflects_less (Fixture       *fixture,
                                  gconstpointer  data)
{
  guint64 bytes_in = 0;
  const guint n = 4000;
  gint64 started = g_get_monotonic_time ();
  guint64 seconds;

  g_object_set (fixture->alice, "away", TRUE,
                "away-text", "I am away until Monday. For anything urgent about invoices, "
                "purchase orders or the quarterly figures, call Bob on extension 4711 "
                "or write to the accounting team's shared mailbox; I will answer all "
                "messages when I am back. Thank you for your patience!",
                NULL);

  for (guint i = 0; i < n; i++)
    {
      bytes_in += inject_request (fixture, VICTIM ":2425", i);
      if (i % 100 == 99)
        lan_memory_network_flush (fixture->network);
    }
  g_assert_true (lan_test_await (network_idle, fixture->network, LAN_TEST_DEADLINE_MS));
  seconds = (guint64) ((g_get_monotonic_time () - started) / G_USEC_PER_SEC) + 1;

  g_test_message ("spoofed flood from one address: %" G_GUINT64_FORMAT " bytes in, %"
                  G_GUINT64_FORMAT " bytes (%" G_GUINT64_FORMAT " datagrams) at the victim, %.2fx",
                  bytes_in, fixture->bytes_to_victim, fixture->datagrams_to_victim,
                  (double) fixture->bytes_to_victim / (double) bytes_in);
  /* One answer is several times its request: unlimited, this flood would
   * reflect several times its bytes onto the victim. */
  g_assert_cmpuint (fixture->first_answer, >, 3 * 16);
  g_assert_cmpuint (fixture->datagrams_to_victim, >, 0);
  /* The bucket's promise (lan-bounds.h): half of what the source sent,
   * plus one burst, plus the steady refill for as long as the flood went on.
   * At full speed that is well under what the flood sent; on a machine
   * slow enough (sanitizers, load) for the refill to matter, it still is
   * the bound the design promises. */
  g_assert_cmpuint (fixture->bytes_to_victim, <=,
                    bytes_in * LAN_RATE_LIMIT_EARN_PERCENT / 100 + LAN_RATE_LIMIT_BURST_BYTES +
                    seconds * LAN_RATE_LIMIT_BYTES_PER_S);
  if (seconds == 1)
    g_assert_cmpuint (fixture->bytes_to_victim, <=, bytes_in);
  /* The away reply went once, not once per message. */
  g_assert_cmpuint (fixture->away_replies, ==, 1);
}

static void
on_state (LanMessage *message,
          GParamSpec *pspec,
          GArray     *latencies)
{
  gint64 sent = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (message), "sent-at"));

  if (lan_message_get_state (message) == LAN_MESSAGE_DELIVERED)
    {
      double ms = (double) (g_get_monotonic_time () - sent) / 1000.0;

      g_array_append_val (latencies, ms);
    }
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
test_real_peer_answered_during_flood (Fixture       *fixture,
                                      gconstpointer  data)
{
  /* Acknowledged is what is asserted, not how fast: a slow machine (ASan, a
   * loaded CI) must not turn the flood's queue into a give-up. */
  LanTestEngineOptions options = { .user_name = "bob", .retry_initial_ms = 200, .retry_budget_ms = 30000 };
  g_autoptr(LanMessenger) bob = lan_test_engine_new (fixture->network, BOB, &options);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  LanPeer *alice;

  alice = lan_test_engine_await_peer (bob, ALICE ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (alice);

  /* 40 messages, each behind 250 spoofed requests from 50 other addresses. */
  for (guint round = 0; round < 40; round++)
    {
      g_autofree char *text = g_strdup_printf ("real message %u", round);
      LanMessage *message;

      for (guint i = 0; i < 250; i++)
        {
          g_autofree char *from = g_strdup_printf ("10.77.0.%u:2425", 100 + (round * 250 + i) % 50);

          inject_request (fixture, from, round * 250 + i);
        }
      message = lan_messenger_send (bob, alice, text, &error);
      g_assert_no_error (error);
      g_object_set_data (G_OBJECT (message), "sent-at", GSIZE_TO_POINTER ((gsize) g_get_monotonic_time ()));
      g_signal_connect (message, "notify::state", G_CALLBACK (on_state), latencies);
      g_ptr_array_add (messages, message);
    }
  for (guint i = 0; i < messages->len; i++)
    {
      LanMessage *message = g_ptr_array_index (messages, i);

      g_assert_true (lan_test_message_await_settled (message, 40000));
      g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_DELIVERED);
      g_signal_handlers_disconnect_by_data (message, latencies);
    }
  g_array_sort (latencies, compare_double);
  g_test_message ("a real peer during a flood from 50 other addresses (in-memory LAN): "
                  "%u acknowledged, p50 %.1f ms, p95 %.1f ms",
                  latencies->len, g_array_index (latencies, double, latencies->len / 2),
                  g_array_index (latencies, double, (latencies->len * 95) / 100));
  lan_test_engine_stop (&bob);
}

static void
test_table_bounded_and_auto_reply_once_a_minute (void)
{
  g_autoptr(LanRateLimit) limit = lan_rate_limit_new ();
  LanEndpoint victim = { 0x0a4d0042, 2425 };
  gint64 now = 1000 * G_USEC_PER_SEC;

  for (guint32 i = 0; i < LAN_RATE_LIMIT_SOURCES + 100; i++)
    {
      LanEndpoint from = { 0x0b000000 + i, 2425 };

      lan_rate_limit_earn (limit, from, 20, now);
    }
  g_assert_cmpuint (lan_rate_limit_get_n_sources (limit), ==, LAN_RATE_LIMIT_SOURCES);

  /* A new source gets one burst, then only what it earns and the refill. */
  g_assert_true (lan_rate_limit_spend (limit, victim, LAN_RATE_LIMIT_BURST_BYTES, now));
  g_assert_false (lan_rate_limit_spend (limit, victim, 100, now));
  lan_rate_limit_earn (limit, victim, 200, now);
  g_assert_true (lan_rate_limit_spend (limit, victim, 100, now));
  g_assert_false (lan_rate_limit_spend (limit, victim, 1, now));
  g_assert_true (lan_rate_limit_spend (limit, victim, LAN_RATE_LIMIT_BYTES_PER_S, now + G_USEC_PER_SEC));
  g_assert_cmpuint (lan_rate_limit_get_refused (limit), ==, 2);

  g_assert_true (lan_rate_limit_auto_reply_due (limit, victim, now));
  g_assert_false (lan_rate_limit_auto_reply_due (limit, victim, now + 59 * G_USEC_PER_SEC));
  g_assert_true (lan_rate_limit_auto_reply_due (limit, victim, now + 61 * G_USEC_PER_SEC));
}

/* What lanchat-cli bot does: answer every message with one of our own. */
static void
on_message_answer (LanMessenger *messenger,
                   LanPeer      *peer,
                   LanMessage   *message,
                   GPtrArray    *sent)
{
  g_autoptr(GError) error = NULL;
  LanMessage *answer =
    lan_messenger_send (messenger, peer,
                        "Thank you for your message! This is the accounting bot: your data "
                        "was received and will be processed within two working days.", &error);

  if (answer != NULL)
    g_ptr_array_add (sent, answer);
}

static void
test_bot_answers_reflect_less (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) sent = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 bytes_in = 0;
  const guint n = 4000;

  g_signal_connect (fixture->alice, "message-received", G_CALLBACK (on_message_answer), sent);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GBytes) request = lan_test_craft ("1", 5000 + i, "e", "h",
                                                  LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT, "hi", 3);

      bytes_in += g_bytes_get_size (request);
      lan_test_inject (fixture->network, VICTIM ":2425", ALICE, request);
      if (i % 100 == 99)
        lan_memory_network_flush (fixture->network);
    }
  g_assert_true (lan_test_await (network_idle, fixture->network, LAN_TEST_DEADLINE_MS));
  /* The victim never acknowledges: every answer resends until it gives up. */
  for (guint i = 0; i < sent->len; i++)
    g_assert_true (lan_test_message_await_settled (g_ptr_array_index (sent, i), LAN_TEST_DEADLINE_MS));
  g_signal_handlers_disconnect_by_data (fixture->alice, sent);

  g_test_message ("spoofed messages to a bot: %" G_GUINT64_FORMAT " bytes in, %u answers, %"
                  G_GUINT64_FORMAT " bytes (%" G_GUINT64_FORMAT " datagrams) at the victim, %.2fx",
                  bytes_in, sent->len, fixture->bytes_to_victim, fixture->datagrams_to_victim,
                  (double) fixture->bytes_to_victim / (double) bytes_in);
  /* Each answer alone is larger than the message it answers. */
  g_assert_cmpuint (sent->len, >, 0);
  g_assert_cmpuint (fixture->datagrams_to_victim, >, 0);
  g_assert_cmpuint (fixture->bytes_to_victim, <=, bytes_in);
}

/* Our own messages leave a reserve for answers: a peer we resend to and that
 * restarts still gets our answer to its entry. */
static void
test_own_sends_leave_a_reserve (void)
{
  g_autoptr(LanRateLimit) limit = lan_rate_limit_new ();
  LanEndpoint peer = { 0x0a000005, 2425 };
  gint64 now = 1000 * G_USEC_PER_SEC;
  gsize own = LAN_RATE_LIMIT_BURST_BYTES - LAN_RATE_LIMIT_RESERVE_BYTES;

  g_assert_true (lan_rate_limit_spend_own (limit, peer, own, now));
  g_assert_false (lan_rate_limit_spend_own (limit, peer, 1, now));
  g_assert_true (lan_rate_limit_spend (limit, peer, LAN_RATE_LIMIT_RESERVE_BYTES, now));
  g_assert_false (lan_rate_limit_spend (limit, peer, 1, now));
  g_assert_cmpuint (lan_rate_limit_get_refused (limit), ==, 2);
}

static void
test_acknowledged_bytes_given_back (void)
{
  g_autoptr(LanRateLimit) limit = lan_rate_limit_new ();
  LanEndpoint peer = { 0x0a4d0043, 2425 };
  gint64 now = 1000 * G_USEC_PER_SEC;

  g_assert_true (lan_rate_limit_spend (limit, peer, LAN_RATE_LIMIT_BURST_BYTES, now));
  g_assert_false (lan_rate_limit_spend (limit, peer, 500, now));
  lan_rate_limit_refund (limit, peer, 500, now);
  g_assert_true (lan_rate_limit_spend (limit, peer, 500, now));
  /* Never beyond one burst. */
  lan_rate_limit_refund (limit, peer, 10 * LAN_RATE_LIMIT_BURST_BYTES, now);
  g_assert_false (lan_rate_limit_spend (limit, peer, LAN_RATE_LIMIT_BURST_BYTES + 1, now));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/engine/amplification/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("spoofed-flood-reflects-less", test_spoofed_flood_reflects_less);
  ADD ("real-peer-answered-during-flood", test_real_peer_answered_during_flood);
  ADD ("bot-answers-reflect-less", test_bot_answers_reflect_less);
#undef ADD
  g_test_add_func ("/engine/amplification/table-bounded-and-auto-reply-once-a-minute",
                   test_table_bounded_and_auto_reply_once_a_minute);
  g_test_add_func ("/engine/amplification/own-sends-leave-a-reserve", test_own_sends_leave_a_reserve);
  g_test_add_func ("/engine/amplification/acknowledged-bytes-given-back",
                   test_acknowledged_bytes_given_back);

  return g_test_run ();
}

/* test-engine-inbox.c — incoming messages: shown once, acknowledged every
 * time, the duplicate window per peer, legacy clients, away replies.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-ipmsg.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"

#define ALICE   "10.77.0.2"
#define MALLORY "10.77.0.9:2425"
#define TRUDY   "10.77.0.10:2425"

typedef struct {
  LanMemoryNetwork *network;
  LanMessenger     *alice;
  LanTestSignal    *received;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  LanTestEngineOptions options = { .user_name = "alice" };

  fixture->network = lan_memory_network_new ("10.77.0.0/24");
  fixture->alice = lan_test_engine_new (fixture->network, ALICE, &options);
  fixture->received = lan_test_signal_watch (fixture->alice, "message-received");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->received, lan_test_signal_free);
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

static void
inject_message (Fixture    *fixture,
                const char *from,
                guint64     packet_no,
                guint32     options,
                const char *text)
{
  /* Each address is its own person: two live machines with one user@host
   * are a case of their own (the dialects issue), not this file's. */
  const char *user = g_str_equal (from, TRUDY) ? "trudy" : "mallory";
  g_autoptr(GBytes) datagram = lan_test_craft ("1", packet_no, user, "box",
                                               LAN_IPMSG_SENDMSG | options, text, strlen (text) + 1);

  lan_test_inject (fixture->network, from, ALICE, datagram);
}

static guint
n_items (LanConversation *conversation)
{
  return g_list_model_get_n_items (G_LIST_MODEL (conversation));
}

/* The packet numbers of the acknowledgements alice sent to @to. */
static GPtrArray *
acks_to (Fixture    *fixture,
         const char *to)
{
  LanEndpoint destination = endpoint (to);
  g_autoptr(GPtrArray) packets = lan_memory_transport_find_sent (lan_test_engine_get_transport (fixture->alice),
                                                                 LAN_IPMSG_RECVMSG, &destination);
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < packets->len; i++)
    g_ptr_array_add (numbers, lan_ipmsg_packet_dup_section (g_ptr_array_index (packets, i), 0));
  return numbers;
}

static void
test_resend_shown_once_acked_twice (Fixture       *fixture,
                                    gconstpointer  data)
{
  const LanMessengerStats *stats = lan_messenger_get_stats (fixture->alice);
  g_autoptr(GPtrArray) acks = NULL;
  g_autoptr(LanMessage) shown = NULL;
  LanConversation *conversation;

  inject_message (fixture, MALLORY, 777, LAN_IPMSG_SENDCHECKOPT, "same text");
  g_assert_cmpuint (lan_test_signal_await (fixture->received, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  /* Our acknowledgement was lost, say: the resend says RETRYOPT, same number. */
  inject_message (fixture, MALLORY, 777, LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_RETRYOPT, "same text");
  lan_memory_network_flush (fixture->network);
  lan_test_drain ();

  acks = acks_to (fixture, MALLORY);
  g_assert_cmpuint (acks->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (acks, 0), ==, "777");
  g_assert_cmpstr (g_ptr_array_index (acks, 1), ==, "777");
  g_assert_cmpuint (lan_test_signal_count (fixture->received), ==, 1);
  g_assert_cmpuint (stats->duplicates, ==, 1);
  conversation = lan_messenger_get_conversation (fixture->alice, MALLORY);
  g_assert_cmpuint (n_items (conversation), ==, 1);
  shown = g_list_model_get_item (G_LIST_MODEL (conversation), 0);
  g_assert_cmpstr (lan_message_get_text (shown), ==, "same text");
  g_assert_cmpuint (lan_message_get_packet_no (shown), ==, 777);

  /* The same number from someone else is someone else's message. */
  inject_message (fixture, TRUDY, 777, LAN_IPMSG_SENDCHECKOPT, "same number, other peer");
  g_assert_cmpuint (lan_test_signal_await (fixture->received, 2, LAN_TEST_DEADLINE_MS), ==, 2);
  g_assert_cmpuint (stats->duplicates, ==, 1);
}

/* The window is per peer: however much one peer sends, another's recent
 * packet numbers are still known, and its resend still isn't shown twice. */
static void
test_window_is_per_peer (Fixture       *fixture,
                         gconstpointer  data)
{
  const LanMessengerStats *stats = lan_messenger_get_stats (fixture->alice);
  const guint flood = 5000;

  inject_message (fixture, MALLORY, 777, LAN_IPMSG_SENDCHECKOPT, "before the flood");
  g_assert_cmpuint (lan_test_signal_await (fixture->received, 1, LAN_TEST_DEADLINE_MS), ==, 1);

  for (guint i = 0; i < flood; i++)
    {
      g_autofree char *text = g_strdup_printf ("flood %u", i);

      inject_message (fixture, TRUDY, 10000 + i, 0, text);
      if (i % 512 == 511)
        lan_memory_network_flush (fixture->network);
    }
  lan_memory_network_flush (fixture->network);
  g_assert_cmpuint (lan_test_signal_count (fixture->received), ==, 1 + flood);

  inject_message (fixture, MALLORY, 777, LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_RETRYOPT, "before the flood");
  lan_memory_network_flush (fixture->network);
  lan_test_drain ();
  g_assert_cmpuint (lan_test_signal_count (fixture->received), ==, 1 + flood);
  g_assert_cmpuint (stats->duplicates, ==, 1);
  g_assert_cmpuint (n_items (lan_messenger_get_conversation (fixture->alice, MALLORY)), ==, 1);
}

/* Without SENDCHECKOPT (FeiQ, old clients) nothing is acknowledged; its
 * GB18030 text is read as such. */
static void
test_feiq_message (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *text = g_convert ("你好，世界", -1, "GB18030", "UTF-8", NULL, NULL, NULL);
  g_autoptr(GBytes) datagram = lan_test_craft ("1_lbt6_0#128#000C29D68D8F#0#0#0#4001#9", 1700000001,
                                               "feiq", "PC-01", LAN_IPMSG_SENDMSG, text, strlen (text) + 1);
  g_autoptr(GPtrArray) acks = NULL;
  g_autoptr(LanMessage) shown = NULL;
  const GValue *args;

  lan_test_inject (fixture->network, "10.77.0.21:2425", ALICE, datagram);
  g_assert_cmpuint (lan_test_signal_await (fixture->received, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  args = lan_test_signal_last_args (fixture->received, NULL);
  shown = g_value_dup_object (&args[1]);
  g_assert_cmpstr (lan_message_get_text (shown), ==, "你好，世界");
  lan_test_drain ();
  acks = acks_to (fixture, "10.77.0.21:2425");
  g_assert_cmpuint (acks->len, ==, 0);
}

static void
test_away_reply (Fixture       *fixture,
                 gconstpointer  data)
{
  LanEndpoint mallory = endpoint (MALLORY);
  g_autoptr(GPtrArray) replies = NULL;
  LanIpmsgPacket *reply;

  g_object_set (fixture->alice, "away", TRUE, "away-text", "at lunch", NULL);
  inject_message (fixture, MALLORY, 900, LAN_IPMSG_SENDCHECKOPT, "are you there?");
  g_assert_cmpuint (lan_test_signal_await (fixture->received, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  lan_test_drain ();
  replies = lan_memory_transport_find_sent (lan_test_engine_get_transport (fixture->alice),
                                            LAN_IPMSG_SENDMSG, &mallory);
  g_assert_cmpuint (replies->len, ==, 1);
  reply = g_ptr_array_index (replies, 0);
  g_assert_true (reply->command & LAN_IPMSG_AUTORETOPT);

  /* An automatic reply is never answered by another one. */
  inject_message (fixture, MALLORY, 901, LAN_IPMSG_AUTORETOPT, "I am away too");
  lan_memory_network_flush (fixture->network);
  lan_test_drain ();
  g_clear_pointer (&replies, g_ptr_array_unref);
  replies = lan_memory_transport_find_sent (lan_test_engine_get_transport (fixture->alice),
                                            LAN_IPMSG_SENDMSG, &mallory);
  g_assert_cmpuint (replies->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/engine/inbox/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("resend-shown-once-acked-twice", test_resend_shown_once_acked_twice);
  ADD ("feiq-message", test_feiq_message);
  ADD ("away-reply", test_away_reply);
  ADD ("duplicate-window-is-per-peer", test_window_is_per_peer);
#undef ADD

  return g_test_run ();
}

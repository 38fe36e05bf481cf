/* test-engine-outbox.c — messages to someone offline wait in the outbox
 * (with history in a temporary directory) and go out when they are back.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lan-bounds.h"
#include "lan-ipmsg.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define ALICE "10.77.0.2"
#define BOB   "10.77.0.3"

static guint
count_text (LanConversation *conversation,
            const char      *text)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (conversation));
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanMessage) message = g_list_model_get_item (G_LIST_MODEL (conversation), i);

      if (g_strcmp0 (lan_message_get_text (message), text) == 0)
        count++;
    }
  return count;
}

static void
test_queued_until_back (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-outbox");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, BOB, &bob_options);
  g_autoptr(LanPeer) bob_peer = NULL;
  g_autoptr(LanMessage) first = NULL;
  g_autoptr(LanMessage) owed = NULL;
  g_autoptr(LanTestSignal) shown = NULL;
  g_autoptr(GError) error = NULL;

  bob_peer = lan_test_engine_await_peer (alice, BOB ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (bob_peer);
  g_object_ref (bob_peer);
  first = lan_messenger_send (alice, bob_peer, "first", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_message_await_settled (first, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (first), ==, LAN_MESSAGE_DELIVERED);

  /* Bob leaves; what alice writes now waits for him, and nothing goes out. */
  lan_test_engine_stop (&bob);
  g_assert_null (lan_test_engine_find_peer (alice, BOB ":2425"));
  lan_memory_transport_clear_sent (lan_test_engine_get_transport (alice));
  owed = lan_messenger_send (alice, bob_peer, "while you were out", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_QUEUED, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_memory_transport_count_sent (lan_test_engine_get_transport (alice), LAN_IPMSG_SENDMSG, NULL),
                    ==, 0);

  /* He is back and announces himself: it goes out, and is shown once. */
  bob_options.no_start = TRUE;
  bob = lan_test_engine_new (network, BOB, &bob_options);
  shown = lan_test_signal_watch (bob, "message-received");
  g_assert_true (lan_messenger_start (bob, &error));
  g_assert_no_error (error);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_DELIVERED, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_test_signal_await (shown, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  lan_test_drain ();
  g_assert_cmpuint (lan_test_signal_count (shown), ==, 1);
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (bob, "alice@lab"), "while you were out"), ==, 1);
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "bob@lab"), "while you were out"), ==, 1);

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&bob);
}

static gboolean
eve_listed (gpointer user_data)
{
  LanPeer *peer = lan_test_engine_find_peer (user_data, BOB ":2425");

  return peer != NULL && g_strcmp0 (lan_peer_get_identity (peer), "eve@lab") == 0;
}

/* Queued for bob@lab, it must not go to someone else who turns up at his old address. */
static void
test_not_flushed_to_another_identity (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-outbox");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  LanTestEngineOptions eve_options = { .user_name = "eve" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, BOB, &bob_options);
  g_autoptr(LanMessenger) eve = NULL;
  g_autoptr(LanTestSignal) eve_shown = NULL;
  g_autoptr(LanPeer) bob_peer = NULL;
  g_autoptr(LanMessage) owed = NULL;
  g_autoptr(GError) error = NULL;

  bob_peer = lan_test_engine_await_peer (alice, BOB ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (bob_peer);
  g_object_ref (bob_peer);
  lan_test_engine_stop (&bob);
  owed = lan_messenger_send (alice, bob_peer, "for bob only", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_QUEUED, LAN_TEST_DEADLINE_MS));

  eve_options.no_start = TRUE;
  eve = lan_test_engine_new (network, BOB, &eve_options);
  eve_shown = lan_test_signal_watch (eve, "message-received");
  g_assert_true (lan_messenger_start (eve, &error));
  g_assert_no_error (error);
  g_assert_true (lan_test_await (eve_listed, alice, LAN_TEST_DEADLINE_MS));
  lan_test_drain ();
  g_assert_cmpstr (lan_peer_get_identity (lan_test_engine_find_peer (alice, BOB ":2425")), ==, "eve@lab");
  g_assert_cmpuint (lan_message_get_state (owed), ==, LAN_MESSAGE_QUEUED);
  g_assert_cmpuint (lan_test_signal_count (eve_shown), ==, 0);

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&eve);
}

static gboolean
drop_messages (LanEndpoint   from,
               LanEndpoint   to,
               const guint8 *data,
               gsize         len,
               gpointer      user_data)
{
  g_autoptr(LanIpmsgPacket) packet = NULL;

  if (!*(gboolean *) user_data)
    return FALSE;
  packet = lan_ipmsg_packet_parse (data, len, NULL);
  return packet != NULL && LAN_IPMSG_MODE (packet->command) == LAN_IPMSG_SENDMSG;
}

typedef struct {
  LanMessenger *engine;
  const char   *key;
  const char   *identity;
} Claim;

static gboolean
claimed (gpointer user_data)
{
  Claim *claim = user_data;
  LanPeer *peer = lan_test_engine_find_peer (claim->engine, claim->key);

  return peer != NULL && g_strcmp0 (lan_peer_get_identity (peer), claim->identity) == 0;
}

static gboolean
later (gpointer user_data)
{
  return g_get_monotonic_time () >= *(gint64 *) user_data;
}

/* Runs the engines for @ms: long enough for a question that would come. */
static void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  g_assert_true (lan_test_await (later, &until, ms + LAN_TEST_DEADLINE_MS));
}

/* Issue 15 item 1: bob@lab is there and answers at 10.77.0.3, but a message
 * to him is queued (lost on the way). Another machine announces bob@lab from
 * 10.77.0.9: it gets nothing, and nobody is asked whether Bob moved. */
static void
test_impostor_gets_nothing_while_real_answers (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-outbox");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, BOB, &bob_options);
  g_autoptr(LanMessenger) impostor = NULL;
  g_autoptr(LanTestSignal) impostor_shown = NULL;
  g_autoptr(LanTestSignal) question = lan_test_signal_watch (lan_messenger_get_identity (alice), "move-question");
  g_autoptr(LanMessage) owed = NULL;
  g_autoptr(GError) error = NULL;
  LanEndpoint impostor_at = { 0x0a4d0009u, 2425 };
  /* Two live machines with one name: the newcomer is told apart by its address. */
  Claim claim = { alice, "10.77.0.9:2425", "bob@lab (10.77.0.9:2425)" };
  gboolean dropping = TRUE;
  LanPeer *bob_peer;

  lan_identity_set_probe_ms (lan_messenger_get_identity (alice), 300);
  bob_peer = lan_test_engine_await_peer (alice, BOB ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (bob_peer);
  lan_memory_network_set_filter (network, drop_messages, &dropping);
  owed = lan_messenger_send (alice, bob_peer, "my PIN is 4711", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_QUEUED, LAN_TEST_DEADLINE_MS));
  dropping = FALSE;

  {
    LanTestEngineOptions impostor_options = { .user_name = "bob", .no_start = TRUE };

    impostor = lan_test_engine_new (network, "10.77.0.9", &impostor_options);
  }
  impostor_shown = lan_test_signal_watch (impostor, "message-received");
  lan_memory_transport_clear_sent (lan_test_engine_get_transport (alice));
  g_assert_true (lan_messenger_start (impostor, &error));
  g_assert_no_error (error);
  g_assert_true (lan_test_await (claimed, &claim, LAN_TEST_DEADLINE_MS));
  /* Past the time the old address had to answer (it did). */
  run_for (600);

  g_assert_cmpuint (lan_memory_transport_count_sent (lan_test_engine_get_transport (alice), LAN_IPMSG_SENDMSG,
                                                    &impostor_at), ==, 0);
  g_assert_cmpuint (lan_test_signal_count (impostor_shown), ==, 0);
  g_assert_cmpuint (lan_test_signal_count (question), ==, 0);
  g_assert_cmpuint (lan_message_get_state (owed), ==, LAN_MESSAGE_QUEUED);
  /* Bob answered when asked: the impostor stays someone else. */
  g_assert_true (claimed (&claim));
  g_assert_true (lan_peer_get_online (lan_test_engine_find_peer (alice, BOB ":2425")));

  lan_memory_network_set_filter (network, NULL, NULL);
  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&bob);
  lan_test_engine_stop (&impostor);
}

/* Issue 15 item 1: Bob left (10.77.0.3 silent) and bob@lab turns up at
 * 10.77.0.5. The waiting message goes nowhere until the user says so (the
 * move question); then it goes to the new address, once. */
static void
test_move_after_silence_needs_confirmation (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-outbox");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, BOB, &bob_options);
  LanIdentity *identity = lan_messenger_get_identity (alice);
  g_autoptr(LanTestSignal) question = lan_test_signal_watch (identity, "move-question");
  g_autoptr(LanTestSignal) shown = NULL;
  g_autoptr(LanPeer) bob_peer = NULL;
  g_autoptr(LanMessage) owed = NULL;
  g_autoptr(GError) error = NULL;
  const GValue *args;
  guint n_args = 0;
  LanPeer *moved;

  lan_identity_set_probe_ms (identity, 300);
  bob_peer = g_object_ref (lan_test_engine_await_peer (alice, BOB ":2425", LAN_TEST_DEADLINE_MS));
  lan_test_engine_stop (&bob);
  owed = lan_messenger_send (alice, bob_peer, "are you there?", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_QUEUED, LAN_TEST_DEADLINE_MS));

  bob_options.no_start = TRUE;
  bob = lan_test_engine_new (network, "10.77.0.5", &bob_options);
  shown = lan_test_signal_watch (bob, "message-received");
  g_assert_true (lan_messenger_start (bob, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lan_test_signal_await (question, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  args = lan_test_signal_last_args (question, &n_args);
  g_assert_cmpuint (n_args, ==, 3);
  moved = g_value_get_object (&args[0]);
  g_assert_cmpstr (lan_peer_get_key (moved), ==, "10.77.0.5:2425");
  g_assert_cmpstr (g_value_get_string (&args[1]), ==, BOB ":2425");
  g_assert_cmpuint (g_value_get_uint (&args[2]), ==, 1);
  /* Asked, not answered: nothing went out. */
  run_for (100);
  g_assert_cmpuint (lan_message_get_state (owed), ==, LAN_MESSAGE_QUEUED);
  g_assert_cmpuint (lan_test_signal_count (shown), ==, 0);

  g_assert_cmpuint (lan_identity_follow_move (identity, moved), ==, 1);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_DELIVERED, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_test_signal_await (shown, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  lan_test_drain ();
  g_assert_cmpuint (lan_test_signal_count (shown), ==, 1);
  g_assert_cmpuint (lan_test_signal_count (question), ==, 1);

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&bob);
}

/* The same with "follow-moves" (lanchat-cli --follow-moves): after the old
 * address's silence the messages follow by themselves, without a question. */
static void
test_follow_moves_after_silence (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-outbox");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, BOB, &bob_options);
  LanIdentity *identity = lan_messenger_get_identity (alice);
  g_autoptr(LanTestSignal) question = lan_test_signal_watch (identity, "move-question");
  g_autoptr(LanPeer) bob_peer = NULL;
  g_autoptr(LanMessage) owed = NULL;
  g_autoptr(GError) error = NULL;
  gint64 queued_at;

  lan_identity_set_probe_ms (identity, 300);
  g_object_set (identity, "follow-moves", TRUE, NULL);
  bob_peer = g_object_ref (lan_test_engine_await_peer (alice, BOB ":2425", LAN_TEST_DEADLINE_MS));
  lan_test_engine_stop (&bob);
  owed = lan_messenger_send (alice, bob_peer, "follow me", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_QUEUED, LAN_TEST_DEADLINE_MS));

  queued_at = g_get_monotonic_time ();
  bob = lan_test_engine_new (network, "10.77.0.5", &bob_options);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_DELIVERED, LAN_TEST_DEADLINE_MS));
  /* Not before the old address had its chance to answer. */
  g_assert_cmpint (g_get_monotonic_time () - queued_at, >=, 300 * 1000);
  g_assert_cmpuint (lan_test_signal_count (question), ==, 0);

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&bob);
}

static guint
distinct_numbers (GPtrArray *packets)
{
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < packets->len; i++)
    {
      const LanIpmsgPacket *packet = g_ptr_array_index (packets, i);

      g_hash_table_add (numbers, g_memdup2 (&packet->packet_no, sizeof (gint64)));
    }
  return g_hash_table_size (numbers);
}

/* Issue 15 item 1: one spoofed 14-byte announcement naming an identity with
 * many queued messages. From a new address it releases nothing (one question
 * to the old address at most); from the confirmed address itself (nobody is
 * there) at most LAN_OUTBOX_FLUSH_AT_ONCE messages go out; repeating it
 * releases no more while those wait. */
static void
test_spoofed_announcement_sends_nothing (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-outbox");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db,
                                         .retry_budget_ms = 60000, .retry_initial_ms = 1000 };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, BOB, &bob_options);
  LanMemoryTransport *transport = lan_test_engine_get_transport (alice);
  g_autoptr(LanPeer) bob_peer = NULL;
  g_autoptr(GPtrArray) owed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GBytes) spoof = lan_test_craft ("1", 1, "bob", "lab", LAN_IPMSG_BR_ENTRY, NULL, 0);
  g_autoptr(GPtrArray) to_victim = NULL;
  g_autoptr(GPtrArray) to_bob = NULL;
  LanEndpoint victim = { 0x0a4d0063u, 2425 };
  LanEndpoint bob_at = { 0x0a4d0003u, 2425 };
  guint n_owed = 200;
  guint n_queued = 0;

  lan_identity_set_probe_ms (lan_messenger_get_identity (alice), 300);
  bob_peer = g_object_ref (lan_test_engine_await_peer (alice, BOB ":2425", LAN_TEST_DEADLINE_MS));
  lan_test_engine_stop (&bob);
  for (guint i = 0; i < n_owed; i++)
    {
      g_autofree char *text = g_strdup_printf ("secret %u", i);
      g_autoptr(GError) error = NULL;
      LanMessage *message = lan_messenger_send (alice, bob_peer, text, &error);

      g_assert_no_error (error);
      g_ptr_array_add (owed, message);
    }
  lan_test_drain ();
  lan_memory_transport_clear_sent (transport);

  g_assert_cmpuint (g_bytes_get_size (spoof), ==, 14);
  lan_test_inject (network, "10.77.0.99:2425", ALICE, spoof);
  run_for (600);
  to_victim = lan_memory_transport_find_sent (transport, LAN_IPMSG_SENDMSG, &victim);
  g_assert_cmpuint (to_victim->len, ==, 0);
  /* The victim gets one answer to its "entry"; the old address one question. */
  g_assert_cmpuint (lan_memory_transport_get_n_sent (transport), <=, 2);

  /* Spoofed from the confirmed address: a few go out, no more on repeats. */
  lan_memory_transport_clear_sent (transport);
  for (guint i = 0; i < 5; i++)
    lan_test_inject (network, BOB ":2425", ALICE, spoof);
  run_for (200);
  to_bob = lan_memory_transport_find_sent (transport, LAN_IPMSG_SENDMSG, &bob_at);
  g_assert_cmpuint (to_bob->len, >=, 1);
  g_assert_cmpuint (distinct_numbers (to_bob), <=, LAN_OUTBOX_FLUSH_AT_ONCE);
  for (guint i = 0; i < owed->len; i++)
    if (lan_message_get_state (g_ptr_array_index (owed, i)) == LAN_MESSAGE_QUEUED)
      n_queued++;
  g_assert_cmpuint (n_queued, >=, n_owed - LAN_OUTBOX_FLUSH_AT_ONCE);

  lan_test_engine_stop (&alice);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/outbox/queued-until-back", test_queued_until_back);
  g_test_add_func ("/engine/outbox/not-flushed-to-another-identity", test_not_flushed_to_another_identity);
  g_test_add_func ("/engine/outbox/impostor-gets-nothing-while-real-answers",
                   test_impostor_gets_nothing_while_real_answers);
  g_test_add_func ("/engine/outbox/move-after-silence-needs-confirmation",
                   test_move_after_silence_needs_confirmation);
  g_test_add_func ("/engine/outbox/follow-moves-after-silence", test_follow_moves_after_silence);
  g_test_add_func ("/engine/outbox/spoofed-announcement-sends-nothing", test_spoofed_announcement_sends_nothing);
  return g_test_run ();
}

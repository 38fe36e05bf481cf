/* test-engine-outbox.c — messages to someone offline wait in the outbox
 * (with history in a temporary directory) and go out when they are back.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/outbox/queued-until-back", test_queued_until_back);
  g_test_add_func ("/engine/outbox/not-flushed-to-another-identity", test_not_flushed_to_another_identity);
  return g_test_run ();
}

/* test-engine-history-failure.c — nothing acknowledged is lost: when the
 * history can't be written, the message is shown, the failure is told
 * ("history-error"), and the sender gets no acknowledgement, for the first
 * copy or its resends; with history working, acknowledged as before.
 *
 * The history is made to fail the way a second program holding it does:
 * the write lock taken by another SQLite connection, so every write fails.
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>

#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define ALICE "10.77.0.2"
#define BOB   "10.77.0.3"

static gboolean
has_history_error (gpointer user_data)
{
  g_autofree char *error = NULL;

  g_object_get (user_data, "history-error", &error, NULL);
  return error != NULL;
}

static void
test_unwritable_history_not_acknowledged (void)
{
  g_autoptr(LanTestTmpdir) tmp = lan_test_tmpdir_new ("lanchat-history-failure");
  g_autofree char *alice_db = lan_test_tmpdir_file (tmp, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  /* Resending well past the second the failing write blocks for. */
  LanTestEngineOptions bob_options = { .user_name = "bob", .retry_budget_ms = 2500 };
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, BOB, &bob_options);
  g_autoptr(LanTestSignal) shown = lan_test_signal_watch (alice, "message-received");
  g_autoptr(LanMessage) kept = NULL;
  g_autoptr(LanMessage) lost = NULL;
  g_autoptr(GError) error = NULL;
  LanPeer *alice_peer;
  sqlite3 *db;

  alice_peer = lan_test_engine_await_peer (bob, ALICE ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (alice_peer);

  /* History working: acknowledged. */
  kept = lan_messenger_send (bob, alice_peer, "kept", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_message_await_settled (kept, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (kept), ==, LAN_MESSAGE_DELIVERED);
  g_assert_false (has_history_error (alice));

  /* Another program takes the file: every write now fails. */
  g_assert_cmpint (sqlite3_open (alice_db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE;", NULL, NULL, NULL),
                   ==, SQLITE_OK);

  lost = lan_messenger_send (bob, alice_peer, "would be lost", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_message_await_settled (lost, 10 * LAN_TEST_DEADLINE_MS));
  /* Told at once, shown, and not acknowledged: the sender knows. */
  g_assert_true (has_history_error (alice));
  g_assert_cmpuint (lan_test_signal_count (shown), ==, 2);
  g_assert_cmpuint (lan_message_get_state (lost), ==, LAN_MESSAGE_FAILED);
  g_assert_cmpuint (lan_message_get_attempts (lost), >, 1);

  sqlite3_exec (db, "ROLLBACK;", NULL, NULL, NULL);
  sqlite3_close (db);
  lan_test_engine_stop (&bob);
  lan_test_engine_stop (&alice);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/history-failure/unwritable-history-not-acknowledged",
                   test_unwritable_history_not_acknowledged);

  return g_test_run ();
}

/* test-engine-history-budget.c — a flood of strangers can't fill the disk:
 * history rows per stranger and for all strangers together are bounded per
 * minute, a message not kept is not acknowledged, and people we wrote to
 * are never throttled.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <string.h>

#include "lan-bounds.h"
#include "lan-ipmsg.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define ALICE "10.77.0.2"
#define BOB   "10.77.0.3"

static gint64
count_rows (const char *path,
            const char *where)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM messages WHERE %s", where);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 rows = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rows = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

static gboolean
network_idle (gpointer user_data)
{
  return lan_memory_network_get_n_queued (user_data) == 0;
}

/* @n messages with SENDCHECKOPT from each of @senders strangers at
 * 10.77.0.100 + i; returns how many acknowledgements came back. */
static guint
flood (LanMemoryNetwork *network,
       LanMessenger     *alice,
       guint             senders,
       guint             n)
{
  LanMemoryTransport *transport = lan_test_engine_get_transport (alice);
  guint before = lan_memory_transport_count_sent (transport, LAN_IPMSG_RECVMSG, NULL);

  for (guint round = 0; round < n; round++)
    for (guint i = 0; i < senders; i++)
      {
        g_autofree char *from = g_strdup_printf ("10.77.0.%u:2425", 100 + i);
        g_autofree char *user = g_strdup_printf ("stranger%u", i);
        g_autofree char *text = g_strdup_printf ("flood %u", round);
        g_autoptr(GBytes) message = lan_test_craft ("1", 1000 + round, user, "far",
                                                    LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT,
                                                    text, strlen (text) + 1);

        lan_test_inject (network, from, ALICE, message);
      }
  g_assert_true (lan_test_await (network_idle, network, LAN_TEST_DEADLINE_MS));
  return lan_memory_transport_count_sent (transport, LAN_IPMSG_RECVMSG, NULL) - before;
}

static void
test_strangers_bounded_known_never (void)
{
  g_autoptr(LanTestTmpdir) tmp = lan_test_tmpdir_new ("lanchat-history-budget");
  g_autofree char *alice_db = lan_test_tmpdir_file (tmp, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, BOB, &bob_options);
  g_autoptr(LanMessage) hello = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  LanPeer *bob_peer;
  LanPeer *alice_peer;
  guint acks;
  gint64 stranger_rows;

  /* Alice writes to Bob: Bob is known. */
  bob_peer = lan_test_engine_await_peer (alice, BOB ":2425", LAN_TEST_DEADLINE_MS);
  alice_peer = lan_test_engine_await_peer (bob, ALICE ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (bob_peer);
  g_assert_nonnull (alice_peer);
  hello = lan_messenger_send (alice, bob_peer, "hello Bob", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_message_await_settled (hello, LAN_TEST_DEADLINE_MS));

  /* 100 strangers, 8 messages each: 800 rows if nothing held them back. */
  acks = flood (network, alice, 100, 8);
  stranger_rows = count_rows (alice_db, "identity LIKE 'stranger%' AND direction = 0");
  g_test_message ("800 messages from 100 strangers: %" G_GINT64_FORMAT " rows stored, %u acknowledged",
                  stranger_rows, acks);
  g_assert_cmpint (stranger_rows, >, 0);
  g_assert_cmpint (stranger_rows, <=, LAN_HISTORY_STRANGERS_ROWS_PER_MIN);
  /* Acknowledged means kept. */
  g_assert_cmpuint (acks, ==, (guint) stranger_rows);

  /* Bob, right after the flood and over a stranger's per-minute rows: all kept. */
  for (guint i = 0; i < LAN_HISTORY_STRANGER_ROWS_PER_MIN + 10; i++)
    {
      g_autofree char *text = g_strdup_printf ("from a friend %u", i);
      LanMessage *message = lan_messenger_send (bob, alice_peer, text, &error);

      g_assert_no_error (error);
      g_ptr_array_add (messages, message);
    }
  for (guint i = 0; i < messages->len; i++)
    {
      LanMessage *message = g_ptr_array_index (messages, i);

      g_assert_true (lan_test_message_await_settled (message, LAN_TEST_DEADLINE_MS));
      g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_DELIVERED);
    }
  g_assert_cmpint (count_rows (alice_db, "text LIKE 'from a friend%'"), ==, LAN_HISTORY_STRANGER_ROWS_PER_MIN + 10);

  lan_test_engine_stop (&bob);
  lan_test_engine_stop (&alice);
}

static void
test_one_stranger_per_minute (void)
{
  g_autoptr(LanTestTmpdir) tmp = lan_test_tmpdir_new ("lanchat-history-budget");
  g_autofree char *alice_db = lan_test_tmpdir_file (tmp, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  guint acks;

  acks = flood (network, alice, 1, LAN_HISTORY_STRANGER_ROWS_PER_MIN + 15);
  g_assert_cmpuint (acks, ==, LAN_HISTORY_STRANGER_ROWS_PER_MIN);
  g_assert_cmpint (count_rows (alice_db, "direction = 0"), ==, LAN_HISTORY_STRANGER_ROWS_PER_MIN);
  lan_test_engine_stop (&alice);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/history-budget/strangers-bounded-known-never", test_strangers_bounded_known_never);
  g_test_add_func ("/engine/history-budget/one-stranger-per-minute", test_one_stranger_per_minute);

  return g_test_run ();
}

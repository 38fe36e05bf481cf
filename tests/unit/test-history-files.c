/* test-history-files.c — where the files offered to us were saved, kept in
 * history: back after a restart (any bytes a path may hold), replaced when
 * saved again, gone with the conversation, and the migration from schema 6.
 *
 * No socket is opened: the engine runs on the in-memory transport.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sqlite3.h>
#include <string.h>

#include "lan-history.h"
#include "lan-history-files.h"
#include "lan-ipmsg.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define ALICE   "10.77.0.2"
#define MALLORY "10.77.0.9:2425"

/* Not UTF-8: a path is what the file system holds. */
#define ODD_PATH "/home/alice/Downloads/caf\xe9.bin"

typedef struct {
  LanTestTmpdir    *dir;
  char             *db;
  LanMemoryNetwork *network;
  LanMessenger     *alice;
} Fixture;

static void
start (Fixture *fixture)
{
  LanTestEngineOptions options = { .user_name = "alice", .history_path = fixture->db };

  fixture->network = lan_memory_network_new ("10.77.0.0/24");
  fixture->alice = lan_test_engine_new (fixture->network, ALICE, &options);
}

static void
stop (Fixture *fixture)
{
  lan_test_engine_stop (&fixture->alice);
  g_clear_object (&fixture->network);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->dir = lan_test_tmpdir_new ("lanchat-history-files");
  fixture->db = lan_test_tmpdir_file (fixture->dir, "alice.db");
  start (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  stop (fixture);
  g_clear_pointer (&fixture->db, g_free);
  g_clear_pointer (&fixture->dir, lan_test_tmpdir_free);
}

/* An offer of "report.pdf" (0), "odd.bin" (1) and "never.txt" (2) from
 * mallory. Returns: (transfer full) */
static LanMessage *
receive_offer (Fixture *fixture,
               guint64  packet_no)
{
  static const char extra[] = "see\0" "0:report.pdf:400:5f000000:1:\a1:odd.bin:10:0:1:\a2:never.txt:1:0:1:\a";
  g_autoptr(GBytes) datagram = lan_test_craft ("1", packet_no, "mallory", "box",
                                               LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT |
                                               LAN_IPMSG_FILEATTACHOPT | LAN_IPMSG_UTF8OPT,
                                               extra, sizeof extra);
  g_autoptr(LanTestSignal) received = lan_test_signal_watch (fixture->alice, "message-received");
  guint n_args = 0;
  const GValue *args;

  lan_test_inject (fixture->network, MALLORY, ALICE, datagram);
  g_assert_cmpuint (lan_test_signal_await (received, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  args = lan_test_signal_last_args (received, &n_args);
  g_assert_cmpuint (n_args, ==, 2);
  g_assert_nonnull (lan_message_get_files (g_value_get_object (&args[1])));
  return g_value_dup_object (&args[1]);
}

/* Returns: (transfer full): message @index of mallory's conversation, as loaded. */
static LanMessage *
loaded_message (Fixture *fixture,
                guint    index)
{
  LanConversation *conversation = lan_messenger_get_conversation (fixture->alice, "mallory@box");

  g_assert_nonnull (conversation);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), >, index);
  return g_list_model_get_item (G_LIST_MODEL (conversation), index);
}

static gint64
count_rows (const char *db_path,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_saved_after_restart (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(LanMessage) offer = receive_offer (fixture, 30);
  g_autoptr(LanMessage) loaded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (lan_history_files_get_saved (offer, 0));
  g_assert_true (lan_history_files_set_saved (offer, 0, "/home/alice/Downloads/old.pdf", &error));
  g_assert_no_error (error);
  /* Saved again elsewhere (Save As after a deletion): the latest wins. */
  g_assert_true (lan_history_files_set_saved (offer, 0, "/home/alice/Downloads/report.pdf", &error));
  g_assert_no_error (error);
  g_assert_true (lan_history_files_set_saved (offer, 1, ODD_PATH, &error));
  g_assert_no_error (error);
  /* The same again writes nothing new. */
  g_assert_true (lan_history_files_set_saved (offer, 1, ODD_PATH, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lan_history_files_get_saved (offer, 0), ==, "/home/alice/Downloads/report.pdf");
  g_assert_cmpstr (lan_history_files_get_saved (offer, 1), ==, ODD_PATH);
  g_assert_null (lan_history_files_get_saved (offer, 2));
  g_clear_object (&offer);
  stop (fixture);
  g_assert_cmpint (count_rows (fixture->db, "SELECT COUNT(*) FROM saved_files"), ==, 2);

  start (fixture);
  loaded = loaded_message (fixture, 0);
  g_assert_nonnull (lan_message_get_files (loaded));
  g_assert_cmpint (lan_message_get_offer_state (loaded), ==, LAN_OFFER_OPEN);
  g_assert_cmpstr (lan_history_files_get_saved (loaded, 0), ==, "/home/alice/Downloads/report.pdf");
  g_assert_cmpstr (lan_history_files_get_saved (loaded, 1), ==, ODD_PATH);
  g_assert_null (lan_history_files_get_saved (loaded, 2));
}

/* Only the message's own files: another offer's ids are its own. */
static void
test_saved_per_message (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LanMessage) first = receive_offer (fixture, 40);
  g_autoptr(LanMessage) second = receive_offer (fixture, 41);
  g_autoptr(GError) error = NULL;

  g_assert_true (lan_history_files_set_saved (second, 0, "/srv/second.pdf", &error));
  g_assert_no_error (error);
  g_clear_object (&first);
  g_clear_object (&second);
  stop (fixture);

  start (fixture);
  first = loaded_message (fixture, 0);
  second = loaded_message (fixture, 1);
  g_assert_null (lan_history_files_get_saved (first, 0));
  g_assert_cmpstr (lan_history_files_get_saved (second, 0), ==, "/srv/second.pdf");
}

/* A deleted conversation takes its saved paths along. */
static void
test_forgotten_with_conversation (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(LanMessage) offer = receive_offer (fixture, 50);
  g_autoptr(GError) error = NULL;

  g_assert_true (lan_history_files_set_saved (offer, 2, "/tmp/never.txt", &error));
  g_assert_no_error (error);
  g_clear_object (&offer);
  g_assert_cmpint (count_rows (fixture->db, "SELECT COUNT(*) FROM saved_files"), ==, 1);
  g_assert_true (lan_messenger_delete_conversation (fixture->alice, "mallory@box", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->db, "SELECT COUNT(*) FROM saved_files"), ==, 0);
}

/* Without history, noted on the message only. */
static void
test_no_history (void)
{
  g_autoptr(LanMessage) message = lan_message_new (LAN_DIRECTION_IN, MALLORY, "", 1, 60);
  g_autoptr(GError) error = NULL;

  g_assert_true (lan_history_files_set_saved (message, 7, "/tmp/seven", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (lan_history_files_get_saved (message, 7), ==, "/tmp/seven");
  g_assert_null (lan_history_files_get_saved (message, 0));
}

/* A history of schema 6 (before saved paths) gains the table, and keeps its offers. */
static void
test_migration_from_6 (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(LanMessage) offer = receive_offer (fixture, 70);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_clear_object (&offer);
  stop (fixture);
  g_assert_cmpint (count_rows (fixture->db, "PRAGMA user_version"), ==, LAN_HISTORY_SCHEMA_VERSION);
  g_assert_cmpint (LAN_HISTORY_SCHEMA_VERSION, ==, 7);
  g_assert_cmpint (sqlite3_open (fixture->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER saved_files_forgotten; DROP TABLE saved_files;"
                                     "PRAGMA user_version = 6;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (count_rows (fixture->db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'saved_files'"), ==, 0);

  start (fixture);
  offer = loaded_message (fixture, 0);
  g_assert_cmpuint (lan_message_get_files (offer)->len, ==, 3);
  g_assert_null (lan_history_files_get_saved (offer, 0));
  g_assert_true (lan_history_files_set_saved (offer, 0, "/tmp/report.pdf", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->db, "PRAGMA user_version"), ==, 7);
  g_assert_cmpint (count_rows (fixture->db, "SELECT COUNT(*) FROM saved_files"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/history-files/saved-after-restart", test_saved_after_restart);
  ADD ("/history-files/saved-per-message", test_saved_per_message);
  ADD ("/history-files/forgotten-with-conversation", test_forgotten_with_conversation);
  ADD ("/history-files/migration-from-6", test_migration_from_6);
#undef ADD
  g_test_add_func ("/history-files/no-history", test_no_history);

  return g_test_run ();
}

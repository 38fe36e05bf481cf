/* test-history.c — the SQLite store, and surviving what can go wrong with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "lan-history.h"
#include "lan-message.h"
#include "lan-test-tmpdir.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
setup (Fixture *fixture, gconstpointer data)
{
  fixture->dir = g_dir_make_tmp ("lanchat-history-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  /* A folder that does not exist yet: open must make it. */
  fixture->path = g_build_filename (fixture->dir, "sub", "history.db", NULL);
}

static void
teardown (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lan_test_remove_tree (fixture->dir, &error));
  g_assert_no_error (error);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static LanMessage *
message (LanDirection direction, const char *text, guint64 packet_no, LanMessageState state)
{
  LanMessage *m = lan_message_new (direction, "10.0.0.5:2425", text, g_get_real_time (), packet_no);

  lan_message_set_state (m, state);
  return m;
}

static void
test_create_private (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanHistory) history = lan_history_open (fixture->path, &error);
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_nonnull (history);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_store_and_load (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  gint64 queued_id;

  {
    g_autoptr(LanHistory) history = lan_history_open (fixture->path, &error);
    g_autoptr(LanMessage) in = message (LAN_DIRECTION_IN, "hello 你好", 7, LAN_MESSAGE_RECEIVED);
    g_autoptr(LanMessage) out = message (LAN_DIRECTION_OUT, "reply", 1000, LAN_MESSAGE_SENDING);
    g_autoptr(LanMessage) queued = message (LAN_DIRECTION_OUT, "later", 1001, LAN_MESSAGE_QUEUED);
    gint64 out_id;

    g_assert_no_error (error);
    g_assert_cmpint (lan_history_add_message (history, "bob@box", "10.0.0.5:2425", in, &error), >, 0);
    out_id = lan_history_add_message (history, "bob@box", "10.0.0.5:2425", out, &error);
    g_assert_cmpint (out_id, >, 0);
    queued_id = lan_history_add_message (history, "bob@box", "10.0.0.5:2425", queued, &error);
    g_assert_true (lan_history_set_state (history, out_id, LAN_MESSAGE_DELIVERED, NULL, FALSE, &error));
    g_assert_true (lan_history_add_notice (history, "bob@box", "bob is now at …", g_get_real_time (), NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (lan_history_max_sent_packet_no (history, &error), ==, 1001);
    g_assert_no_error (error);
  }

  /* Reopened: everything is there, in order. */
  {
    g_autoptr(LanHistory) history = lan_history_open (fixture->path, &error);
    LanHistoryMessage *first, *notice;

    g_assert_no_error (error);
    loaded = lan_history_load_messages (history, 100, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (loaded->len, ==, 4);
    first = g_ptr_array_index (loaded, 0);
    g_assert_cmpstr (first->text, ==, "hello 你好");
    g_assert_cmpuint (first->packet_no, ==, 7);
    g_assert_cmpint (first->direction, ==, LAN_DIRECTION_IN);
    g_assert_cmpint (((LanHistoryMessage *) g_ptr_array_index (loaded, 1))->state, ==, LAN_MESSAGE_DELIVERED);
    notice = g_ptr_array_index (loaded, 3);
    g_assert_true (notice->notice);

    outbox = lan_history_load_outbox (history, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (outbox->len, ==, 1);
    g_assert_cmpint (((LanHistoryMessage *) g_ptr_array_index (outbox, 0))->id, ==, queued_id);

    g_assert_true (lan_history_has_incoming (history, "10.0.0.5:2425", 7, "hello 你好", 0, &error));
    g_assert_false (lan_history_has_incoming (history, "10.0.0.5:2425", 7, "other text", 0, &error));
    g_assert_false (lan_history_has_incoming (history, "10.0.0.6:2425", 7, "hello 你好", 0, &error));
    g_assert_false (lan_history_has_incoming (history, "10.0.0.5:2425", 7, "hello 你好",
                                              g_get_real_time () + G_USEC_PER_SEC, &error));
    g_assert_no_error (error);
  }
}

/* A sealed message is stored sealed, and opened (written back) stays open. */
static void
test_sealed_until_opened (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(LanHistory) history = lan_history_open (fixture->path, &error);
  g_autoptr(LanMessage) sealed = message (LAN_DIRECTION_IN, "for your eyes only", 7, LAN_MESSAGE_RECEIVED);
  g_autoptr(LanMessage) plain = message (LAN_DIRECTION_IN, "hello", 8, LAN_MESSAGE_RECEIVED);
  gint64 id;

  g_assert_no_error (error);
  lan_message_set_sealed (sealed, TRUE);
  id = lan_history_add_message (history, "bob@box", "10.0.0.5:2425", sealed, &error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (lan_history_add_message (history, "bob@box", "10.0.0.5:2425", plain, &error), >, 0);
  g_assert_no_error (error);
  loaded = lan_history_load_messages (history, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 2);
  g_assert_true (((LanHistoryMessage *) g_ptr_array_index (loaded, 0))->sealed);
  g_assert_false (((LanHistoryMessage *) g_ptr_array_index (loaded, 1))->sealed);
  g_clear_pointer (&loaded, g_ptr_array_unref);

  g_assert_true (lan_history_set_state (history, id, LAN_MESSAGE_RECEIVED, NULL, FALSE, &error));
  loaded = lan_history_load_messages (history, 100, &error);
  g_assert_no_error (error);
  g_assert_false (((LanHistoryMessage *) g_ptr_array_index (loaded, 0))->sealed);
}

static void
test_load_limit_per_conversation (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanHistory) history = lan_history_open (fixture->path, &error);
  g_autoptr(GPtrArray) loaded = NULL;

  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(LanMessage) m = message (LAN_DIRECTION_IN, "x", i, LAN_MESSAGE_RECEIVED);

      lan_history_add_message (history, i % 2 ? "a@h" : "b@h", "1.2.3.4:2425", m, &error);
    }
  loaded = lan_history_load_messages (history, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 10);
  /* The newest five of each. */
  g_assert_cmpuint (((LanHistoryMessage *) g_ptr_array_index (loaded, 4))->packet_no, ==, 29);
}

static void
test_peers_and_housekeeping (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanHistory) history = lan_history_open (fixture->path, &error);
  LanHistoryPeer peer = { "bob@box", "bob", "box", "Bob", "10.0.0.5:2425", 42 };
  g_autoptr(LanHistoryPeer) found = NULL;
  g_autoptr(LanMessage) old = lan_message_new (LAN_DIRECTION_IN, "x", "ancient", 1000, 1);
  g_autoptr(LanMessage) owed = lan_message_new (LAN_DIRECTION_OUT, "x", "owed", 1000, 2);
  g_autoptr(GPtrArray) left = NULL;

  g_assert_true (lan_history_save_peer (history, &peer, &error));
  peer.address = (char *) "10.0.0.9:2425";
  g_assert_true (lan_history_save_peer (history, &peer, &error));
  found = lan_history_lookup_peer (history, "bob@box", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->address, ==, "10.0.0.9:2425");
  g_assert_null (lan_history_lookup_peer (history, "nobody@nowhere", &error));
  g_assert_no_error (error);

  /* Pruning keeps what is still owed. */
  lan_message_set_state (owed, LAN_MESSAGE_QUEUED);
  lan_history_add_message (history, "bob@box", "x", old, &error);
  lan_history_add_message (history, "bob@box", "x", owed, &error);
  g_assert_cmpint (lan_history_prune (history, 1, &error), ==, 1);
  left = lan_history_load_messages (history, 100, &error);
  g_assert_cmpuint (left->len, ==, 1);

  g_assert_true (lan_history_delete_conversation (history, "bob@box", &error));
  g_clear_pointer (&left, g_ptr_array_unref);
  left = lan_history_load_messages (history, 100, &error);
  g_assert_cmpuint (left->len, ==, 0);
  g_assert_true (lan_history_clear (history, &error));
  g_assert_no_error (error);
}

static guint
count_broken (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "history.db.broken-"))
      n++;
  return n;
}

static void
test_corrupt_file_is_set_aside (Fixture *fixture, gconstpointer data)
{
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LanHistory) broken = NULL;
  g_autoptr(LanHistory) fresh = NULL;
  g_autofree char *warning = NULL;
  g_autoptr(LanMessage) m = message (LAN_DIRECTION_IN, "after", 1, LAN_MESSAGE_RECEIVED);
  char garbage[4096];

  for (gsize i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) (i * 131 + 7);
  g_mkdir_with_parents (sub, 0700);
  g_assert_true (g_file_set_contents (fixture->path, garbage, sizeof garbage, NULL));

  broken = lan_history_open (fixture->path, &error);
  g_assert_null (broken);
  g_assert_nonnull (error);

  fresh = lan_history_open_or_recover (fixture->path, &warning);
  g_assert_nonnull (fresh);
  g_assert_nonnull (warning);
  g_assert_cmpuint (count_broken (sub), ==, 1);
  g_assert_cmpint (lan_history_add_message (fresh, "a@b", "x", m, NULL), >, 0);
}

/* A downgrade then an upgrade must find the history where it was: the
 * older Lanchat refuses it with a clear message and leaves every byte. */
static void
test_newer_schema_is_left_untouched (Fixture *fixture, gconstpointer data)
{
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  g_autoptr(LanHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  GStatBuf st_before, st_after;
  sqlite3 *db;

  g_mkdir_with_parents (sub, 0700);
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); INSERT INTO future VALUES (42);"
                                 "PRAGMA user_version = 99;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (fixture->path, &before, &before_len, NULL));
  g_assert_cmpint (g_stat (fixture->path, &st_before), ==, 0);
  /* So that a write would show as a new modification time. */
  g_usleep (20 * 1000);

  history = lan_history_open (fixture->path, &error);
  g_assert_null (history);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  history = lan_history_open_or_recover (fixture->path, &warning);
  g_assert_null (history);
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (warning, "newer"));
  g_assert_cmpuint (count_broken (sub), ==, 0);

  g_assert_true (g_file_get_contents (fixture->path, &after, &after_len, NULL));
  g_assert_cmpint (g_stat (fixture->path, &st_after), ==, 0);
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_cmpint (st_after.st_mtim.tv_sec, ==, st_before.st_mtim.tv_sec);
  g_assert_cmpint (st_after.st_mtim.tv_nsec, ==, st_before.st_mtim.tv_nsec);
}

/* A history an older Lanchat left readable by others is made private. */
static void
test_existing_file_tightened (Fixture *fixture, gconstpointer data)
{
  g_autoptr(LanHistory) history = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  {
    g_autoptr(LanHistory) create = lan_history_open (fixture->path, NULL);
    g_assert_nonnull (create);
  }
  g_assert_cmpint (g_chmod (fixture->path, 0644), ==, 0);
  history = lan_history_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (history);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_locked_file_is_left_alone (Fixture *fixture, gconstpointer data)
{
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  g_autoptr(LanHistory) history = NULL;
  g_autofree char *warning = NULL;
  sqlite3 *db;

  {
    g_autoptr(LanHistory) create = lan_history_open (fixture->path, NULL);
    g_assert_nonnull (create);
  }
  /* Another program holds it: no history for now, and the file is not touched. */
  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;", NULL, NULL, NULL), ==, SQLITE_OK);

  history = lan_history_open_or_recover (fixture->path, &warning);
  g_assert_null (history);
  g_assert_nonnull (warning);
  g_assert_cmpuint (count_broken (sub), ==, 0);

  sqlite3_exec (db, "ROLLBACK;", NULL, NULL, NULL);
  sqlite3_close (db);
}

static void
test_unwritable_place (Fixture *fixture, gconstpointer data)
{
  g_autoptr(LanHistory) history = NULL;
  g_autofree char *warning = NULL;
  g_autofree char *file = g_build_filename (fixture->dir, "plain-file", NULL);
  g_autofree char *inside = g_build_filename (file, "history.db", NULL);

  /* A folder that can't be made, because a file stands in its place. */
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  history = lan_history_open_or_recover (inside, &warning);
  g_assert_null (history);
  g_assert_nonnull (warning);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add ("/history/" name, Fixture, NULL, setup, func, teardown)
  ADD ("create-private", test_create_private);
  ADD ("store-and-load", test_store_and_load);
  ADD ("load-limit-per-conversation", test_load_limit_per_conversation);
  ADD ("sealed-until-opened", test_sealed_until_opened);
  ADD ("peers-and-housekeeping", test_peers_and_housekeeping);
  ADD ("corrupt-file-is-set-aside", test_corrupt_file_is_set_aside);
  ADD ("newer-schema-is-left-untouched", test_newer_schema_is_left_untouched);
  ADD ("existing-file-tightened", test_existing_file_tightened);
  ADD ("locked-file-is-left-alone", test_locked_file_is_left_alone);
  ADD ("unwritable-place", test_unwritable_place);
#undef ADD

  return g_test_run ();
}

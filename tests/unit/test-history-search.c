/* test-history-search.c — full-text search over stored messages (FTS5,
 * trigram), substrings of Chinese and Japanese included. No network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "lan-history-search.h"
#include "lan-history.h"
#include "lan-test-tmpdir.h"

static gint64
add (LanHistory   *history,
     const char   *identity,
     LanDirection  direction,
     const char   *text,
     gint64        time_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) message = lan_message_new (direction, "10.77.0.5:2425", text, time_us, (guint64) time_us);
  gint64 id = lan_history_add_message (history, identity, "10.77.0.5:2425", message, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static guint
count (const char *path,
       const char *identity,
       const char *words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = lan_history_search (path, identity, words, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found != NULL ? found->len : G_MAXUINT;
}

static void
test_chinese_substring (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-history-search");
  g_autofree char *path = lan_test_tmpdir_file (dir, "history.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(LanHistory) history = lan_history_open (path, &error);
  g_autoptr(GPtrArray) found = NULL;
  LanHistoryMessage *hit;
  gint64 id;

  g_assert_no_error (error);
  id = add (history, "carol@lab", LAN_DIRECTION_IN, "你好世界", 1000);
  add (history, "carol@lab", LAN_DIRECTION_OUT, "Hello World", 2000);
  add (history, "bob@lab", LAN_DIRECTION_IN, "会議は三時からです", 3000);
  add (history, "bob@lab", LAN_DIRECTION_IN, "世界は広い", 4000);
  g_assert_true (lan_history_add_notice (history, "carol@lab", "世界 notice", 5000, NULL, &error));
  g_assert_no_error (error);

  /* Two characters: shorter than a trigram, found all the same. */
  found = lan_history_search (path, NULL, "世界", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  hit = g_ptr_array_index (found, 0);
  g_assert_cmpint (hit->id, ==, id);
  g_assert_cmpstr (hit->text, ==, "你好世界");
  g_assert_cmpstr (hit->identity, ==, "carol@lab");
  g_assert_cmpint (hit->direction, ==, LAN_DIRECTION_IN);
  g_assert_cmpstr (((LanHistoryMessage *) g_ptr_array_index (found, 1))->text, ==, "世界は広い");

  /* Per conversation; three characters and more through the index. */
  g_assert_cmpuint (count (path, "carol@lab", "世界"), ==, 1);
  g_assert_cmpuint (count (path, NULL, "好世界"), ==, 1);
  g_assert_cmpuint (count (path, NULL, "三時から"), ==, 1);
  g_assert_cmpuint (count (path, NULL, "時"), ==, 1);
  /* Case does not matter; inside a word does not either; every word must be there. */
  g_assert_cmpuint (count (path, NULL, "hello"), ==, 1);
  g_assert_cmpuint (count (path, NULL, "ORL"), ==, 1);
  g_assert_cmpuint (count (path, NULL, "hello 世界"), ==, 0);
  g_assert_cmpuint (count (path, NULL, "  world   he "), ==, 1);
  /* Query syntax is text here. */
  g_assert_cmpuint (count (path, NULL, "\"hello\" OR NEAR(x*"), ==, 0);
  g_assert_cmpuint (count (path, NULL, NULL), ==, 4);
  g_assert_cmpuint (count (path, "nobody@lab", NULL), ==, 0);

  /* Deleted conversations leave the index. */
  g_assert_true (lan_history_delete_conversation (history, "bob@lab", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count (path, NULL, "三時から"), ==, 0);
  g_assert_cmpuint (count (path, NULL, "世界"), ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = lan_history_search (path, NULL, NULL, 1, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((LanHistoryMessage *) g_ptr_array_index (found, 0))->text, ==, "Hello World");
}

/* A history from before the index (version 2) gets it, with its old rows in it. */
static void
test_backfill (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-history-search");
  g_autofree char *path = lan_test_tmpdir_file (dir, "history.db");
  g_autoptr(GError) error = NULL;
  LanHistory *history = lan_history_open (path, &error);
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  add (history, "carol@lab", LAN_DIRECTION_IN, "你好世界", 1000);
  g_object_unref (history);

  /* Back to how version 2 left it. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER messages_fts_insert; DROP TRIGGER messages_fts_delete;"
                                     "DROP TRIGGER messages_fts_update; DROP TABLE messages_fts;"
                                     "ALTER TABLE messages DROP COLUMN notice;"
                                     "ALTER TABLE messages DROP COLUMN sealed;"
                                     "ALTER TABLE messages DROP COLUMN files;"
                                     "ALTER TABLE messages DROP COLUMN offer_state;"
                                     "PRAGMA user_version = 2;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_null (lan_history_search (path, NULL, "你好世界", 0, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  history = lan_history_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count (path, NULL, "你好世界"), ==, 1);
  g_object_unref (history);
}

/* A conversation exported as text and as JSON lines, in order, nothing hidden. */
static void
test_export (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-history-search");
  g_autofree char *path = lan_test_tmpdir_file (dir, "history.db");
  g_autofree char *text_path = lan_test_tmpdir_file (dir, "carol.txt");
  g_autofree char *json_path = lan_test_tmpdir_file (dir, "carol.jsonl");
  g_autoptr(GFile) text_file = g_file_new_for_path (text_path);
  g_autoptr(GFile) json_file = g_file_new_for_path (json_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LanHistory) history = lan_history_open (path, &error);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_no_error (error);
  add (history, "carol@lab", LAN_DIRECTION_IN, "你好世界", 1000000);
  add (history, "carol@lab", LAN_DIRECTION_OUT, "two\nlines\u202e", 2000000);
  add (history, "bob@lab", LAN_DIRECTION_IN, "not carol's", 3000000);

  g_assert_cmpint (lan_history_export (path, "carol@lab", FALSE, text_file, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (text_path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_suffix (lines[0], " ← carol@lab: 你好世界"));
  g_assert_true (g_str_has_suffix (lines[1], " → carol@lab: two↵lines<U+202E>"));
  g_assert_cmpstr (lines[2], ==, "");
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&lines, g_strfreev);

  g_assert_cmpint (lan_history_export (path, "carol@lab", TRUE, json_file, &error), ==, 2);
  g_assert_true (g_file_get_contents (json_path, &contents, NULL, &error));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_true (json_parser_load_from_data (parser, lines[1], -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "text"), ==, "two\nlines\u202e");
  g_assert_cmpstr (json_object_get_string_member (object, "direction"), ==, "out");
  g_assert_cmpstr (json_object_get_string_member (object, "packet_no"), ==, "2000000");
  g_assert_cmpint (json_object_get_int_member (object, "time_us"), ==, 2000000);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/history-search/chinese-substring", test_chinese_substring);
  g_test_add_func ("/history-search/backfill", test_backfill);
  g_test_add_func ("/history-search/export", test_export);
  return g_test_run ();
}

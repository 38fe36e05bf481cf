/* test-notice.c — notices kept as kind + arguments: rendered when shown,
 * stored in the history and read back; old rows (text only) and kinds this
 * version does not know stay readable as they were stored.
 *
 * No socket is opened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "lan-history.h"
#include "lan-notice.h"

static const char * const moved_args[] = { "Bob", "10.0.0.7:2425", "10.0.0.5:2425", NULL };
#define MOVED_TEXT "Bob is now at 10.0.0.7:2425 (was 10.0.0.5:2425)"

static void
test_render (void)
{
  const char * const two[] = { "Bob", "10.0.0.7:2425", NULL };
  g_autofree char *text = lan_notice_render (LAN_NOTICE_MOVED, moved_args);
  g_autoptr(LanMessage) notice = lan_notice_new (LAN_NOTICE_MOVED, moved_args, 5);

  g_assert_cmpstr (text, ==, MOVED_TEXT);
  g_assert_null (lan_notice_render (LAN_NOTICE_MOVED, two));
  g_assert_null (lan_notice_render ("left-for-mars", moved_args));
  g_assert_null (lan_notice_render (NULL, NULL));

  g_assert_true (lan_message_get_notice (notice));
  g_assert_cmpstr (lan_message_get_text (notice), ==, MOVED_TEXT);
  g_assert_cmpstr (lan_message_get_notice_kind (notice), ==, "moved");
  g_assert_cmpstrv ((char **) lan_message_get_notice_args (notice), (char **) moved_args);
}

static void
test_json (void)
{
  g_autoptr(LanMessage) notice = lan_notice_new (LAN_NOTICE_MOVED, moved_args, 5);
  g_autoptr(LanMessage) plain = lan_message_new_notice ("written long ago", 5);
  g_autofree char *json = lan_notice_to_json (notice);
  const char *unreadable[] = {
    NULL,
    "",
    "not json",
    "[\"moved\"]",
    "{\"kind\":\"moved\"}",
    "{\"kind\":7,\"args\":[]}",
    "{\"kind\":\"moved\",\"args\":[\"Bob\",1,\"x\"]}",
    "{\"kind\":\"moved\",\"args\":[\"Bob\",\"x\"]}",
    "{\"kind\":\"left-for-mars\",\"args\":[\"Bob\",\"x\",\"y\"]}",
  };

  g_assert_nonnull (json);
  g_assert_null (lan_notice_to_json (plain));

  /* Read back: rendered again from the arguments, whatever text was kept. */
  {
    g_autoptr(LanMessage) back = lan_notice_from_json (json, "STALE TEXT", 9);

    g_assert_true (lan_message_get_notice (back));
    g_assert_cmpstr (lan_message_get_text (back), ==, MOVED_TEXT);
    g_assert_cmpstr (lan_message_get_notice_kind (back), ==, "moved");
    g_assert_cmpstrv ((char **) lan_message_get_notice_args (back), (char **) moved_args);
    g_assert_cmpint (lan_message_get_time (back), ==, 9);
  }

  /* Anything else: the stored text as it is. */
  for (guint i = 0; i < G_N_ELEMENTS (unreadable); i++)
    {
      g_autoptr(LanMessage) back = lan_notice_from_json (unreadable[i], "STALE TEXT", 9);

      g_assert_true (lan_message_get_notice (back));
      g_assert_cmpstr (lan_message_get_text (back), ==, "STALE TEXT");
      g_assert_null (lan_message_get_notice_kind (back));
    }
}

static void
test_history_keeps_kind (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("lanchat-notice-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(LanMessage) notice = lan_notice_new (LAN_NOTICE_MOVED, moved_args, 5);
  g_autofree char *json = lan_notice_to_json (notice);
  g_autoptr(GPtrArray) loaded = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "history.sqlite", NULL);
  {
    g_autoptr(LanHistory) history = lan_history_open (path, &error);

    g_assert_no_error (error);
    g_assert_true (lan_history_add_notice (history, "bob@box", "an old English line", 1, NULL, &error));
    g_assert_true (lan_history_add_notice (history, "bob@box", "rendered then", 2, json, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(LanHistory) history = lan_history_open (path, &error);
    LanHistoryMessage *old, *kept;

    g_assert_no_error (error);
    loaded = lan_history_load_conversation (history, "bob@box", 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (loaded->len, ==, 2);
    old = g_ptr_array_index (loaded, 0);
    kept = g_ptr_array_index (loaded, 1);
    g_assert_true (old->notice);
    g_assert_cmpstr (old->text, ==, "an old English line");
    g_assert_null (old->notice_json);
    g_assert_true (kept->notice);
    g_assert_cmpstr (kept->text, ==, "rendered then");
    g_assert_cmpstr (kept->notice_json, ==, json);
  }
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/notice/render", test_render);
  g_test_add_func ("/notice/json", test_json);
  g_test_add_func ("/notice/history-keeps-kind", test_history_keeps_kind);

  return g_test_run ();
}

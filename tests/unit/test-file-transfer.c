/* test-file-transfer.c — a transfer's rate, time left and notifications; a message's offer.
 *
 * Times are given, not read from the clock, so nothing here waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lan-file-transfer.h"
#include "lan-ipmsg.h"
#include "lan-message.h"

#define MS (G_USEC_PER_SEC / 1000)
#define MB (1000 * 1000)

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static LanFileTransfer *
new_fetch (guint64 size)
{
  return lan_file_transfer_new (LAN_TRANSFER_FETCH, "alice@host/10.0.0.1", 42, 7,
                                "film.mkv", FALSE, size, NULL);
}

static void
test_basics (void)
{
  g_autoptr(GFile) file = g_file_new_for_path ("/tmp/lan-test-film.mkv");
  g_autoptr(LanFileTransfer) t = lan_file_transfer_new (LAN_TRANSFER_SERVE, "bob", 9, 3, "dir", TRUE, 0, file);

  g_assert_cmpint (lan_file_transfer_get_kind (t), ==, LAN_TRANSFER_SERVE);
  g_assert_cmpint (lan_file_transfer_get_state (t), ==, LAN_TRANSFER_WAITING);
  g_assert_cmpstr (lan_file_transfer_get_peer_key (t), ==, "bob");
  g_assert_cmpuint (lan_file_transfer_get_packet_no (t), ==, 9);
  g_assert_cmpuint (lan_file_transfer_get_file_id (t), ==, 3);
  g_assert_true (lan_file_transfer_get_is_directory (t));
  g_assert_true (lan_file_transfer_get_file (t) == file);
  g_assert_false (lan_file_transfer_is_finished (t));
  g_assert_cmpint (lan_file_transfer_get_started (t), ==, 0);
  g_assert_cmpint (lan_file_transfer_get_seconds_left (t), ==, -1);

  lan_file_transfer_set_state (t, LAN_TRANSFER_RUNNING, NULL);
  g_assert_cmpint (lan_file_transfer_get_started (t), >, 0);
  g_assert_cmpint (lan_file_transfer_get_finished (t), ==, 0);
  lan_file_transfer_add_file_done (t);
  lan_file_transfer_add_file_done (t);
  g_assert_cmpuint (lan_file_transfer_get_files_done (t), ==, 2);
  /* A folder's size is what its stream has shown so far: no time left. */
  lan_file_transfer_set_size (t, 10 * MB);
  lan_file_transfer_add_done (t, MB, 10 * G_USEC_PER_SEC);
  lan_file_transfer_add_done (t, MB, 11 * G_USEC_PER_SEC);
  g_assert_cmpfloat (lan_file_transfer_get_rate (t), >, 0);
  g_assert_cmpint (lan_file_transfer_get_seconds_left (t), ==, -1);

  lan_file_transfer_set_state (t, LAN_TRANSFER_FAILED, "The peer went away");
  g_assert_true (lan_file_transfer_is_finished (t));
  g_assert_cmpstr (lan_file_transfer_get_error (t), ==, "The peer went away");
  g_assert_cmpint (lan_file_transfer_get_finished (t), >=, lan_file_transfer_get_started (t));
  g_assert_cmpfloat (lan_file_transfer_get_rate (t), ==, 0);

  g_assert_cmpstr (lan_transfer_state_to_string (LAN_TRANSFER_WAITING), ==, "waiting");
  g_assert_cmpstr (lan_transfer_state_to_string (LAN_TRANSFER_RUNNING), ==, "running");
  g_assert_cmpstr (lan_transfer_state_to_string (LAN_TRANSFER_DONE), ==, "done");
  g_assert_cmpstr (lan_transfer_state_to_string (LAN_TRANSFER_FAILED), ==, "failed");
  g_assert_cmpstr (lan_transfer_state_to_string (LAN_TRANSFER_CANCELLED), ==, "cancelled");
}

/* 1 MB every 100 ms: the rate settles at 10 MB/s and the time left follows. */
static void
test_rate_and_time_left (void)
{
  g_autoptr(LanFileTransfer) t = new_fetch (100 * MB);
  gint64 now = 50 * G_USEC_PER_SEC;

  lan_file_transfer_set_state (t, LAN_TRANSFER_RUNNING, NULL);
  g_assert_cmpint (lan_file_transfer_get_seconds_left (t), ==, -1);
  for (guint i = 0; i < 40; i++, now += 100 * MS)
    lan_file_transfer_add_done (t, MB, now);

  g_assert_cmpuint (lan_file_transfer_get_done (t), ==, 40 * MB);
  g_assert_cmpfloat_with_epsilon (lan_file_transfer_get_rate (t), 10.0 * MB, 0.05 * 10 * MB);
  /* 60 MB left at 10 MB/s. */
  g_assert_cmpint (lan_file_transfer_get_seconds_left (t), >=, 5);
  g_assert_cmpint (lan_file_transfer_get_seconds_left (t), <=, 7);

  /* The link slows to 1 MB/s: within a few seconds the rate says so. */
  for (guint i = 0; i < 50; i++, now += 100 * MS)
    lan_file_transfer_add_done (t, MB / 10, now);
  g_assert_cmpfloat (lan_file_transfer_get_rate (t), <, 2.0 * MB);
  g_assert_cmpfloat (lan_file_transfer_get_rate (t), >, 0.9 * MB);
  g_assert_cmpint (lan_file_transfer_get_seconds_left (t), >, 25);

  /* More bytes than announced (a lying peer): never a negative time left. */
  lan_file_transfer_add_done (t, 100 * MB, now);
  g_assert_cmpint (lan_file_transfer_get_seconds_left (t), ==, -1);

  /* A resume starts the count again, and the rate with it. */
  lan_file_transfer_reset_done (t, 20 * MB);
  g_assert_cmpuint (lan_file_transfer_get_done (t), ==, 20 * MB);
  g_assert_cmpfloat (lan_file_transfer_get_rate (t), ==, 0);
  g_assert_cmpint (lan_file_transfer_get_seconds_left (t), ==, -1);
}

static void
test_notify_throttled (void)
{
  g_autoptr(LanFileTransfer) t = new_fetch (1000 * MB);
  guint done_notes = 0, rate_notes = 0, state_notes = 0;
  gint64 now = 100 * G_USEC_PER_SEC;

  g_signal_connect (t, "notify::done", G_CALLBACK (count_notify), &done_notes);
  g_signal_connect (t, "notify::rate", G_CALLBACK (count_notify), &rate_notes);
  g_signal_connect (t, "notify::state", G_CALLBACK (count_notify), &state_notes);

  lan_file_transfer_set_state (t, LAN_TRANSFER_RUNNING, NULL);
  g_assert_cmpuint (state_notes, ==, 1);
  done_notes = rate_notes = 0;

  /* A chunk every millisecond for two seconds: 2000 chunks, about 20 notifications. */
  for (guint i = 0; i < 2000; i++, now += MS)
    lan_file_transfer_add_done (t, 64 * 1024, now);
  g_assert_cmpuint (done_notes, >=, 19);
  g_assert_cmpuint (done_notes, <=, 21);
  g_assert_cmpuint (rate_notes, ==, done_notes);
  g_assert_cmpuint (lan_file_transfer_get_done (t), ==, 2000 * 64 * 1024);

  /* What is pending goes out on flush, once; nothing pending, nothing out.
   * (The first call may notify, being 100 ms after the last one; the
   * second, at the same time, can't.) */
  lan_file_transfer_add_done (t, 1, now);
  lan_file_transfer_add_done (t, 1, now);
  done_notes = 0;
  lan_file_transfer_flush (t);
  g_assert_cmpuint (done_notes, ==, 1);
  lan_file_transfer_flush (t);
  g_assert_cmpuint (done_notes, ==, 1);

  /* The end is never throttled: the last bytes show with it. */
  lan_file_transfer_add_done (t, 1, now);
  g_assert_cmpuint (done_notes, ==, 1);
  done_notes = 0;
  lan_file_transfer_set_state (t, LAN_TRANSFER_DONE, NULL);
  g_assert_cmpuint (done_notes, ==, 1);
  g_assert_cmpuint (state_notes, ==, 2);
  /* The same state again is no change. */
  lan_file_transfer_set_state (t, LAN_TRANSFER_DONE, NULL);
  g_assert_cmpuint (state_notes, ==, 2);
}

static GPtrArray *
two_files (void)
{
  GPtrArray *files = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_file_free);

  for (guint i = 0; i < 2; i++)
    {
      LanIpmsgFile *file = g_new0 (LanIpmsgFile, 1);

      file->file_id = i;
      file->name = g_strdup_printf ("file %u.txt", i);
      file->size = 10 * (i + 1);
      file->attr = LAN_IPMSG_FILE_REGULAR;
      file->extras = g_new0 (char *, 1);
      g_ptr_array_add (files, file);
    }
  return files;
}

static void
test_message_offer (void)
{
  g_autoptr(LanMessage) message = lan_message_new (LAN_DIRECTION_IN, "alice", "", 1, 77);
  g_autoptr(GPtrArray) files = two_files ();
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  guint notes = 0;

  g_signal_connect (message, "notify::offer-state", G_CALLBACK (count_notify), &notes);
  g_assert_null (lan_message_get_files (message));
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_NONE);

  lan_message_set_files (message, files);
  g_assert_true (lan_message_get_files (message) == files);
  g_assert_cmpuint (lan_message_get_files (message)->len, ==, 2);
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_OPEN);
  g_assert_cmpuint (notes, ==, 1);

  lan_message_set_offer_state (message, LAN_OFFER_DONE);
  g_assert_cmpuint (notes, ==, 2);
  lan_message_set_offer_state (message, LAN_OFFER_DONE);
  g_assert_cmpuint (notes, ==, 2);
  g_assert_cmpstr (lan_offer_state_to_string (lan_message_get_offer_state (message)), ==, "done");

  /* An empty list is no offer. */
  lan_message_set_files (message, empty);
  g_assert_null (lan_message_get_files (message));
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_NONE);
  g_assert_cmpuint (notes, ==, 3);

  g_assert_cmpstr (lan_offer_state_to_string (LAN_OFFER_NONE), ==, "none");
  g_assert_cmpstr (lan_offer_state_to_string (LAN_OFFER_OPEN), ==, "open");
  g_assert_cmpstr (lan_offer_state_to_string (LAN_OFFER_DECLINED), ==, "declined");
  g_assert_cmpstr (lan_offer_state_to_string (LAN_OFFER_EXPIRED), ==, "expired");
  g_assert_cmpstr (lan_offer_state_to_string (LAN_OFFER_WITHDRAWN), ==, "withdrawn");
}

/* The message holds its own reference: the caller's list may go. */
static void
test_message_keeps_files (void)
{
  g_autoptr(LanMessage) message = lan_message_new (LAN_DIRECTION_OUT, "bob", "see attached", 1, 78);
  GPtrArray *files = two_files ();
  LanIpmsgFile *second;

  lan_message_set_files (message, files);
  g_ptr_array_unref (files);
  second = g_ptr_array_index (lan_message_get_files (message), 1);
  g_assert_cmpstr (second->name, ==, "file 1.txt");
  g_assert_cmpuint (second->size, ==, 20);
  lan_message_set_files (message, NULL);
  g_assert_null (lan_message_get_files (message));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/file-transfer/basics", test_basics);
  g_test_add_func ("/file-transfer/rate-and-time-left", test_rate_and_time_left);
  g_test_add_func ("/file-transfer/notify-throttled", test_notify_throttled);
  g_test_add_func ("/message/offer", test_message_offer);
  g_test_add_func ("/message/keeps-files", test_message_keeps_files);

  return g_test_run ();
}

/* test-file-write.c — lan_file_write_async(): a buffer written to a file
 * in pieces, in GIO's pool or on the calling thread: every byte in order,
 * at any length around the piece size; a full disk is G_IO_ERROR_NO_SPACE;
 * the stream is pending (a close fails) until the finish; a busy stream is
 * refused; the callback never runs inside the call. The pace: to the
 * calling thread after fast pool writes only, and a write that goes over
 * the budget there hands the rest to the pool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include "config.h"

#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "lan-bounds.h"
#include "lan-file-write.h"

typedef struct
{
  gboolean          done;
  gboolean          ok;
  GError           *error;
  LanFileWritePace *pace;
} Result;

/* The tests' data: NULL, every write in the pool; "inline", every write on
 * this thread (a pace that has seen the disk fast, with no budget: a busy
 * machine's slow write must not send these to the pool; inline-slow tests
 * the budget). */
static LanFileWritePace *
pace_for (gconstpointer     data,
          LanFileWritePace *pace)
{
  if (data == NULL)
    return NULL;
  *pace = (LanFileWritePace) { .inline_ok = TRUE, .budget_us = G_MAXINT64 };
  return pace;
}

static void
written (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->ok = lan_file_write_finish (G_OUTPUT_STREAM (source), result, r->pace, &r->error);
  r->done = TRUE;
}

static void
wait_for (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

static GOutputStream *
open_temp (char **path)
{
  int fd = g_file_open_tmp ("lanchat-write-XXXXXX", path, NULL);

  g_assert_cmpint (fd, >=, 0);
  return g_unix_output_stream_new (fd, TRUE);
}

static void
test_lengths (gconstpointer test_data)
{
  LanFileWritePace storage;
  LanFileWritePace *pace = pace_for (test_data, &storage);
  const gsize piece = LAN_FETCH_WRITE_BYTES;
  const gsize lengths[] = { 0, 1, piece - 1, piece, piece + 1, 3 * piece + 17, 4 * piece };
  gsize total = 0;
  g_autofree char *path = NULL;
  g_autoptr(GOutputStream) out = open_temp (&path);
  g_autofree guint8 *data = g_malloc (4 * piece);
  g_autofree char *contents = NULL;
  gsize len = 0;

  for (gsize i = 0; i < 4 * piece; i++)
    data[i] = (guint8) (i * 7 + i / 251);
  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      Result r = { .pace = pace };

      lan_file_write_async (out, data, lengths[i], pace, NULL, written, &r);
      g_assert_false (r.done);
      wait_for (&r);
      g_assert_no_error (r.error);
      g_assert_true (r.ok);
      total += lengths[i];
    }
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (len, ==, total);
  for (gsize i = 0, at = 0; i < G_N_ELEMENTS (lengths); at += lengths[i], i++)
    g_assert_cmpmem (contents + at, lengths[i], data, lengths[i]);
  if (pace != NULL)
    {
      /* Every byte on this thread, and the pace still inline. */
      g_assert_cmpuint (pace->inline_bytes, ==, total);
      g_assert_cmpuint (pace->pool_bytes, ==, 0);
      g_assert_true (pace->inline_ok);
    }
  g_unlink (path);
}

static void
test_disk_full (gconstpointer test_data)
{
  LanFileWritePace storage;
  LanFileWritePace *pace = pace_for (test_data, &storage);
  int fd = open ("/dev/full", O_WRONLY | O_CLOEXEC);
  g_autoptr(GOutputStream) out = NULL;
  g_autofree guint8 *data = g_malloc0 (2 * LAN_FETCH_WRITE_BYTES);
  Result r = { .pace = pace };

  if (fd < 0)
    {
      g_test_skip ("no /dev/full");
      return;
    }
  out = g_unix_output_stream_new (fd, TRUE);
  lan_file_write_async (out, data, 2 * LAN_FETCH_WRITE_BYTES, pace, NULL, written, &r);
  g_assert_false (r.done);
  wait_for (&r);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&r.error);
}

static void
test_pending (gconstpointer test_data)
{
  LanFileWritePace storage;
  LanFileWritePace *pace = pace_for (test_data, &storage);
  g_autofree char *path = NULL;
  g_autoptr(GOutputStream) out = open_temp (&path);
  g_autoptr(GError) error = NULL;
  guint8 data[16] = { 1, 2, 3 };
  Result first = { .pace = pace };
  Result second = { .pace = pace };

  lan_file_write_async (out, data, sizeof data, pace, NULL, written, &first);
  /* Until the finish, the stream is this write's: a close and another write fail. */
  g_assert_false (g_output_stream_close (out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  lan_file_write_async (out, data, sizeof data, pace, NULL, written, &second);
  wait_for (&second);
  g_assert_false (second.ok);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&second.error);
  wait_for (&first);
  g_assert_true (first.ok);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  g_unlink (path);
}

static void
test_cancelled (gconstpointer test_data)
{
  LanFileWritePace storage;
  LanFileWritePace *pace = pace_for (test_data, &storage);
  g_autofree char *path = NULL;
  g_autoptr(GOutputStream) out = open_temp (&path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree guint8 *data = g_malloc0 (4 * LAN_FETCH_WRITE_BYTES);
  GStatBuf st;
  Result r = { .pace = pace };

  g_cancellable_cancel (cancellable);
  lan_file_write_async (out, data, 4 * LAN_FETCH_WRITE_BYTES, pace, cancellable, written, &r);
  g_assert_false (r.done);
  wait_for (&r);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  /* Nothing written after the cancel: what is on disk stays a prefix. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
  g_unlink (path);
}

/* Two pool writes of at least a piece at the speed that counts: inline.
 * A slow or short one does not count; after an inline write that went
 * over its budget, it takes LAN_FETCH_INLINE_AFTER_SLOW fast ones. */
static void
test_pace_notes (void)
{
  const gsize buffer = LAN_FETCH_BUFFER_BYTES;
  /* What the buffer takes at exactly the least fast speed, and a bit more. */
  const gint64 edge = (gint64) ((double) buffer * G_USEC_PER_SEC / (LAN_FETCH_INLINE_MIN_MIB_S * 1048576.0));
  LanFileWritePace pace = { 0 };

  g_assert_cmpint (LAN_FETCH_INLINE_AFTER, ==, 2);
  lan_file_write_pace_note (&pace, buffer, edge);
  g_assert_false (pace.inline_ok);
  g_assert_cmpuint (pace.fast_streak, ==, 1);
  /* Too slow: the streak starts over. */
  lan_file_write_pace_note (&pace, buffer, edge + 100);
  g_assert_cmpuint (pace.fast_streak, ==, 0);
  lan_file_write_pace_note (&pace, buffer, 10);
  /* Shorter than a piece, however fast: neither counts nor breaks the streak. */
  lan_file_write_pace_note (&pace, LAN_FETCH_WRITE_BYTES - 1, 0);
  g_assert_false (pace.inline_ok);
  g_assert_cmpuint (pace.fast_streak, ==, 1);
  lan_file_write_pace_note (&pace, LAN_FETCH_WRITE_BYTES, 1);
  g_assert_true (pace.inline_ok);
  g_assert_cmpuint (pace.pool_bytes, ==, 3 * buffer + 2 * LAN_FETCH_WRITE_BYTES - 1);

  /* After a slow inline write (as write_inline leaves it). */
  pace = (LanFileWritePace) { .slow_inline = 1 };
  g_assert_cmpuint (lan_file_write_pace_needed (&pace), ==, LAN_FETCH_INLINE_AFTER_SLOW);
  for (guint i = 1; i < LAN_FETCH_INLINE_AFTER_SLOW; i++)
    {
      lan_file_write_pace_note (&pace, buffer, 1);
      g_assert_false (pace.inline_ok);
    }
  lan_file_write_pace_note (&pace, buffer, 1);
  g_assert_true (pace.inline_ok);

  /* Twice as many after each further one, up to the bound (no overflow). */
  pace = (LanFileWritePace) { .slow_inline = 3 };
  g_assert_cmpuint (lan_file_write_pace_needed (&pace), ==, 4 * LAN_FETCH_INLINE_AFTER_SLOW);
  for (guint i = 1; i < 4 * LAN_FETCH_INLINE_AFTER_SLOW; i++)
    lan_file_write_pace_note (&pace, buffer, 1);
  g_assert_false (pace.inline_ok);
  lan_file_write_pace_note (&pace, buffer, 1);
  g_assert_true (pace.inline_ok);
  pace = (LanFileWritePace) { .slow_inline = G_MAXUINT };
  g_assert_cmpuint (lan_file_write_pace_needed (&pace), ==, LAN_FETCH_INLINE_AFTER_MAX);
}

typedef struct
{
  int      fd;
  GString *got;
} SlowReader;

/* Reads a pipe a page at a time with a pause between: a disk slower than
 * the inline budget, whatever the machine (a piece cannot be written
 * faster than it drains). */
static gpointer
slow_reader (gpointer user_data)
{
  SlowReader *reader = user_data;
  char page[4096];
  gssize n;

  while ((n = read (reader->fd, page, sizeof page)) > 0)
    {
      g_string_append_len (reader->got, page, n);
      g_usleep (1000);
    }
  return NULL;
}

static void
test_inline_slow (void)
{
  const gsize len = 4 * LAN_FETCH_WRITE_BYTES + 5;
  LanFileWritePace pace = { .inline_ok = TRUE };
  g_autofree guint8 *data = g_malloc (len);
  g_autoptr(GOutputStream) out = NULL;
  SlowReader reader = { .got = g_string_new (NULL) };
  Result r = { .pace = &pace };
  GThread *thread;
  int fds[2];

  for (gsize i = 0; i < len; i++)
    data[i] = (guint8) (i * 13 + i / 4093);
  g_assert_cmpint (pipe (fds), ==, 0);
  /* A page of pipe: every piece waits for the reader. */
  g_assert_cmpint (fcntl (fds[1], F_SETPIPE_SZ, 4096), >=, 4096);
  reader.fd = fds[0];
  thread = g_thread_new ("slow-reader", slow_reader, &reader);
  out = g_unix_output_stream_new (fds[1], FALSE);

  lan_file_write_async (out, data, len, &pace, NULL, written, &r);
  /* The first piece here took 64 pages a millisecond apart: over the
   * budget, so the rest is the pool's, and so are the next writes. */
  g_assert_false (r.done);
  g_assert_false (pace.inline_ok);
  g_assert_cmpuint (pace.slow_inline, ==, 1);
  g_assert_cmpuint (pace.inline_bytes, ==, LAN_FETCH_WRITE_BYTES);
  wait_for (&r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpuint (pace.pool_bytes, ==, len - LAN_FETCH_WRITE_BYTES);
  /* That pool write was slow too: nothing towards going inline again. */
  g_assert_cmpuint (pace.fast_streak, ==, 0);
  g_assert_false (pace.inline_ok);
  close (fds[1]);
  g_thread_join (thread);
  close (fds[0]);
  g_assert_cmpmem (reader.got->str, reader.got->len, data, len);
  g_string_free (reader.got, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/file-write/lengths", NULL, test_lengths);
  g_test_add_data_func ("/file-write/lengths-inline", "inline", test_lengths);
  g_test_add_data_func ("/file-write/disk-full", NULL, test_disk_full);
  g_test_add_data_func ("/file-write/disk-full-inline", "inline", test_disk_full);
  g_test_add_data_func ("/file-write/pending", NULL, test_pending);
  g_test_add_data_func ("/file-write/pending-inline", "inline", test_pending);
  g_test_add_data_func ("/file-write/cancelled", NULL, test_cancelled);
  g_test_add_data_func ("/file-write/cancelled-inline", "inline", test_cancelled);
  g_test_add_func ("/file-write/pace-notes", test_pace_notes);
  g_test_add_func ("/file-write/inline-slow", test_inline_slow);
  return g_test_run ();
}

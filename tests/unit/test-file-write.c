/* test-file-write.c — lan_file_write_async(): a buffer written to a file
 * in pieces in GIO's pool: every byte in order, at any length around the
 * piece size; a full disk is G_IO_ERROR_NO_SPACE; the stream is pending
 * (a close fails) until the finish; a busy stream is refused.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "lan-bounds.h"
#include "lan-file-write.h"

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Result;

static void
written (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->ok = lan_file_write_finish (G_OUTPUT_STREAM (source), result, &r->error);
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
test_lengths (void)
{
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
      Result r = { 0 };

      lan_file_write_async (out, data, lengths[i], NULL, written, &r);
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
  g_unlink (path);
}

static void
test_disk_full (void)
{
  int fd = open ("/dev/full", O_WRONLY | O_CLOEXEC);
  g_autoptr(GOutputStream) out = NULL;
  g_autofree guint8 *data = g_malloc0 (2 * LAN_FETCH_WRITE_BYTES);
  Result r = { 0 };

  if (fd < 0)
    {
      g_test_skip ("no /dev/full");
      return;
    }
  out = g_unix_output_stream_new (fd, TRUE);
  lan_file_write_async (out, data, 2 * LAN_FETCH_WRITE_BYTES, NULL, written, &r);
  wait_for (&r);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&r.error);
}

static void
test_pending (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GOutputStream) out = open_temp (&path);
  g_autoptr(GError) error = NULL;
  guint8 data[16] = { 1, 2, 3 };
  Result first = { 0 };
  Result second = { 0 };

  lan_file_write_async (out, data, sizeof data, NULL, written, &first);
  /* Until the finish, the stream is this write's: a close and another write fail. */
  g_assert_false (g_output_stream_close (out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  lan_file_write_async (out, data, sizeof data, NULL, written, &second);
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
test_cancelled (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GOutputStream) out = open_temp (&path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree guint8 *data = g_malloc0 (4 * LAN_FETCH_WRITE_BYTES);
  GStatBuf st;
  Result r = { 0 };

  g_cancellable_cancel (cancellable);
  lan_file_write_async (out, data, 4 * LAN_FETCH_WRITE_BYTES, cancellable, written, &r);
  wait_for (&r);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  /* Nothing written after the cancel: what is on disk stays a prefix. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);
  g_unlink (path);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/file-write/lengths", test_lengths);
  g_test_add_func ("/file-write/disk-full", test_disk_full);
  g_test_add_func ("/file-write/pending", test_pending);
  g_test_add_func ("/file-write/cancelled", test_cancelled);
  return g_test_run ();
}

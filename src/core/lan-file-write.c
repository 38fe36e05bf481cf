/* lan-file-write.c — a buffer written to a file in GIO's pool, in pieces
 * (see the header).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-write"

#include "config.h"

#include "lan-file-write.h"

#include <errno.h>
#include <gio/gunixoutputstream.h>
#include <unistd.h>

#include "lan-bounds.h"

typedef struct
{
  const guint8 *data;
  gsize         len;
  int           fd;
} Piecewise;

static void
write_pieces (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Piecewise *job = task_data;
  gsize done = 0;

  while (done < job->len)
    {
      gssize n;

      if (g_task_return_error_if_cancelled (task))
        return;
      n = write (job->fd, job->data + done, MIN (job->len - done, (gsize) LAN_FETCH_WRITE_BYTES));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
          return;
        }
      if (n == 0)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", g_strerror (EIO));
          return;
        }
      done += (gsize) n;
    }
  g_task_return_boolean (task, TRUE);
}

void
lan_file_write_async (GOutputStream       *out,
                      const guint8        *data,
                      gsize                len,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  Piecewise *job;

  g_return_if_fail (G_IS_UNIX_OUTPUT_STREAM (out));

  task = g_task_new (out, cancellable, callback, user_data);
  g_task_set_source_tag (task, lan_file_write_async);
  if (!g_output_stream_set_pending (out, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  job = g_new (Piecewise, 1);
  job->data = data;
  job->len = len;
  job->fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (out));
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, write_pieces);
}

gboolean
lan_file_write_finish (GOutputStream  *out,
                       GAsyncResult   *result,
                       GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, out), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lan_file_write_async, FALSE);

  /* Not when set_pending refused: the stream is another operation's. */
  if (g_task_get_task_data (G_TASK (result)) != NULL)
    g_output_stream_clear_pending (out);
  return g_task_propagate_boolean (G_TASK (result), error);
}

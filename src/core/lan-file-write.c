/* lan-file-write.c — a buffer written to a file in pieces, in GIO's pool or
 * on the calling thread (see the header).
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
  gsize         done;
  int           fd;
  gsize         pool_len;     /* what the pool wrote, in pool_micros */
  gint64        pool_micros;
} Piecewise;

/* One write(2) of at most a piece; FALSE with @error when it failed. */
static gboolean
write_piece (Piecewise  *job,
             GError    **error)
{
  for (;;)
    {
      gssize n = write (job->fd, job->data + job->done, MIN (job->len - job->done, (gsize) LAN_FETCH_WRITE_BYTES));
      int saved = errno;

      if (n < 0 && saved == EINTR)
        continue;
      if (n < 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s", g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", g_strerror (EIO));
          return FALSE;
        }
      job->done += (gsize) n;
      return TRUE;
    }
}

static void
write_pieces (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Piecewise *job = task_data;
  gsize from = job->done;
  gint64 start = g_get_monotonic_time ();

  while (job->done < job->len)
    {
      GError *error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;
      if (!write_piece (job, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  job->pool_len = job->done - from;
  job->pool_micros = g_get_monotonic_time () - start;
  g_task_return_boolean (task, TRUE);
}

/* The pieces on this thread while they are fast: TRUE when the task has
 * returned (all written, cancelled or failed), FALSE when one went over the
 * budget (the pace is back in the pool) and the rest is the pool's. */
static gboolean
write_inline (GTask            *task,
              Piecewise        *job,
              LanFileWritePace *pace)
{
  gint64 budget = pace->budget_us > 0 ? pace->budget_us : LAN_FETCH_INLINE_BUDGET_US;
  gint64 start = g_get_monotonic_time ();
  gsize from = job->done;

  while (job->done < job->len)
    {
      GError *error = NULL;
      gint64 took;

      if (g_task_return_error_if_cancelled (task))
        break;
      if (!write_piece (job, &error))
        {
          g_task_return_error (task, error);
          break;
        }
      took = g_get_monotonic_time () - start;
      if (job->done < job->len && took > budget)
        {
          pace->inline_ok = FALSE;
          pace->fast_streak = 0;
          pace->slow_inline++;
          g_debug ("%" G_GSIZE_FORMAT " bytes took %" G_GINT64_FORMAT " µs on the main loop, over %" G_GINT64_FORMAT ": "
                   "the rest of the write and the next ones in the pool", job->done - from, took, budget);
          break;
        }
    }
  pace->inline_bytes += job->done - from;
  if (!pace->inline_ok)
    return FALSE;
  if (job->done == job->len)
    g_task_return_boolean (task, TRUE);
  return TRUE;
}

void
lan_file_write_pace_note (LanFileWritePace *pace,
                          gsize             len,
                          gint64            micros)
{
  /* Bytes a µs at the least speed that counts as fast. */
  const double min_bytes_per_us = LAN_FETCH_INLINE_MIN_MIB_S * 1048576.0 / G_USEC_PER_SEC;

  g_return_if_fail (pace != NULL);

  pace->pool_bytes += len;
  /* Shorter writes say more about the hop to the pool than about the disk. */
  if (len < LAN_FETCH_WRITE_BYTES)
    return;
  if ((double) MAX (micros, 0) * min_bytes_per_us > (double) len)
    {
      pace->fast_streak = 0;
      return;
    }
  pace->fast_streak++;
  if (!pace->inline_ok && pace->fast_streak >= lan_file_write_pace_needed (pace))
    pace->inline_ok = TRUE;
}

guint
lan_file_write_pace_needed (const LanFileWritePace *pace)
{
  guint needed = LAN_FETCH_INLINE_AFTER_SLOW;

  if (pace->slow_inline == 0)
    return LAN_FETCH_INLINE_AFTER;
  /* Twice as many after each slow one: a disk that is slow now and then
   * holds the main loop a few times a fetch, not once every few buffers. */
  for (guint i = 1; i < pace->slow_inline && needed < LAN_FETCH_INLINE_AFTER_MAX; i++)
    needed *= 2;
  return MIN (needed, LAN_FETCH_INLINE_AFTER_MAX);
}

void
lan_file_write_async (GOutputStream       *out,
                      const guint8        *data,
                      gsize                len,
                      LanFileWritePace    *pace,
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
  g_task_set_priority (task, LAN_FILE_IO_PRIORITY);
  if (!g_output_stream_set_pending (out, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  job = g_new0 (Piecewise, 1);
  job->data = data;
  job->len = len;
  job->fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (out));
  g_task_set_task_data (task, job, g_free);
  /* GTask calls back from the main context's next round, not from here. */
  if (pace != NULL && pace->inline_ok && write_inline (task, job, pace))
    return;
  g_task_run_in_thread (task, write_pieces);
}

gboolean
lan_file_write_finish (GOutputStream     *out,
                       GAsyncResult      *result,
                       LanFileWritePace  *pace,
                       GError           **error)
{
  Piecewise *job;

  g_return_val_if_fail (g_task_is_valid (result, out), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == lan_file_write_async, FALSE);

  job = g_task_get_task_data (G_TASK (result));
  /* Not when set_pending refused: the stream is another operation's. */
  if (job != NULL)
    g_output_stream_clear_pending (out);
  if (job != NULL && pace != NULL && job->pool_len > 0)
    lan_file_write_pace_note (pace, job->pool_len, job->pool_micros);
  return g_task_propagate_boolean (G_TASK (result), error);
}

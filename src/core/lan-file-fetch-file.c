/* lan-file-fetch-file.c — a file's bytes, from the connection to the .part.
 *
 * A file has two buffers of LAN_FETCH_BUFFER_BYTES: while one is written to
 * disk (in 256 KiB calls, from GIO's pool, or from the main loop while the
 * disk shows itself fast: see lan-file-write.h) the next is read from the
 * connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-fetch"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lan-bounds.h"
#include "lan-file-fetch-private.h"
#include "lan-file-write.h"

static guint8 *
file_buffer (LanFileFetch *self,
             int           index)
{
  return index == 0 ? self->buffer : self->spare;
}

/* Once nothing is read or written any more: done, or the failure that
 * waited for the bytes already read to reach the .part. */
static void
maybe_complete (LanFileFetch *self)
{
  g_autofree char *failure = NULL;

  if (!self->eof || self->reading >= 0 || self->writing >= 0 || self->filled >= 0)
    return;
  failure = g_steal_pointer (&self->failure);
  if (failure != NULL)
    lan_file_fetch_fail (self, "%s", failure);
  else
    lan_file_fetch_complete (self);
}

static void file_written (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

/* Writes the filled buffer if nothing is being written and no read is
 * still adding to it. */
static void
write_filled (LanFileFetch *self)
{
  if (self->writing >= 0 || self->filled < 0 || self->reading == self->filled || self->finished)
    return;
  self->writing = self->filled;
  self->filled = -1;
  self->writes++;
  lan_file_write_async (self->out, file_buffer (self, self->writing), self->lens[self->writing],
                        &self->pace, self->cancellable, file_written, g_object_ref (self));
}

static void
file_written (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LanFileFetch) self = user_data;
  int written;

  if (!lan_file_fetch_write_done (self, source, result))
    return;
  written = self->writing;
  self->writing = -1;
  self->moved += self->lens[written];
  lan_file_transfer_add_done (self->transfer, self->lens[written], g_get_monotonic_time ());
  /* The filled one first: then the read goes into the one just written. */
  write_filled (self);
  lan_file_fetch_file_read (self);
  maybe_complete (self);
}

static void
file_read_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LanFileFetch) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  gssize got = n;
  int index;

  if (self->finished)
    return;
  lan_file_fetch_clear_timer (self);
  index = self->reading;
  self->reading = -1;
  /* A resume's first bytes are checked before anything else (a sender
   * that starts over from 0 sends more than was asked for). */
  if (n > 0 && !lan_file_fetch_check_resumed (self, file_buffer (self, index) + self->read_offset, &n))
    return;
  /* A failure here waits (maybe_complete) for what was read before to be written. */
  if (got < 0)
    self->failure = lan_file_fetch_read_failure (self, error);
  else if (got == 0 && self->remaining > 0)
    {
      g_autofree char *got_text = g_strdup_printf ("%" G_GUINT64_FORMAT, self->request.size - self->remaining);
      g_autofree char *size_text = g_strdup_printf ("%" G_GUINT64_FORMAT, self->request.size);

      /* TRANSLATORS: both numbers are bytes */
      self->failure = g_strdup_printf (_("The sender closed the connection after %s of the %s bytes it announced; "
                                         "the partial file is kept to resume"), got_text, size_text);
    }
  else if ((guint64) n > self->remaining)
    {
      g_autofree char *size_text = g_strdup_printf ("%" G_GUINT64_FORMAT, self->request.size);

      self->failure = g_strdup_printf (_("The sender sent more than the %s bytes it announced"), size_text);
    }
  if (got <= 0 || (guint64) n > self->remaining)
    self->eof = TRUE;
  else if (n > 0)
    {
      self->remaining -= (guint64) n;
      self->lens[index] = self->read_offset + (gsize) n;
      self->filled = index;
    }
  /* What an ended read left filled is written too. */
  write_filled (self);
  lan_file_fetch_file_read (self);
  if (!self->finished)
    maybe_complete (self);
}

/* Read onto the end of the filled buffer while it has room, else into the
 * buffer that is neither written nor waiting, if there is one; once every
 * announced byte came, the read only waits (a short while) for the sender
 * to close, and fails the fetch if bytes come. */
void
lan_file_fetch_file_read (LanFileFetch *self)
{
  int index = 0;

  if (self->reading >= 0 || self->eof || self->finished)
    return;
  if (self->filled >= 0 && self->lens[self->filled] < LAN_FETCH_BUFFER_BYTES)
    index = self->filled;
  else
    {
      while (index < 2 && (index == self->writing || index == self->filled))
        index++;
      if (index == 2)
        return;
      self->lens[index] = 0;
    }
  self->read_offset = self->lens[index];
  self->reading = index;
  self->why = WHY_NONE;
  if (self->remaining == 0)
    lan_file_fetch_arm_timer (self, LAN_FETCH_CLOSE_GRACE_MS, WHY_GRACE);
  else
    lan_file_fetch_arm_timer (self, self->request.stall_ms, WHY_STALL);
  g_clear_object (&self->read_cancellable);
  self->read_cancellable = g_cancellable_new ();
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (self->connection)),
                             file_buffer (self, index) + self->read_offset,
                             LAN_FETCH_BUFFER_BYTES - self->read_offset, LAN_FILE_IO_PRIORITY,
                             self->read_cancellable, file_read_done, g_object_ref (self));
}

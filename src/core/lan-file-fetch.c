/* lan-file-fetch.c — one offered file or folder, fetched over TCP.
 *
 * A file's bytes go through two buffers (lan-file-fetch-file.c); a
 * folder's stream reads and writes in turn, through the parser
 * (lan-file-fetch-folder.c).
 * Files and folders are created with openat()/mkdirat() relative to the
 * download folder or a folder this fetch made itself, with O_NOFOLLOW, so
 * nothing a peer names can land outside it or through a link.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-fetch"

#include "config.h"

#include "lan-file-fetch.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "lan-bounds.h"
#include "lan-file-fetch-private.h"
#include "lan-socket-address.h"

G_DEFINE_FINAL_TYPE (LanFileFetch, lan_file_fetch, G_TYPE_OBJECT)

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static void
close_dirs (LanFileFetch *self)
{
  for (guint i = 0; self->dirs != NULL && i < self->dirs->len; i++)
    close (g_array_index (self->dirs, int, i));
  if (self->dirs != NULL)
    g_array_set_size (self->dirs, 0);
  close_fd (&self->top_fd);
}

void
lan_file_fetch_clear_timer (LanFileFetch *self)
{
  if (self->timer != NULL)
    g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

static gboolean
timer_fired (gpointer user_data)
{
  LanFileFetch *self = user_data;

  self->why = self->timer_why;
  g_clear_pointer (&self->timer, g_source_unref);
  /* A write in flight goes on: only the read or the connect waited too long. */
  g_cancellable_cancel (self->why == WHY_CONNECT ? self->cancellable : self->read_cancellable);
  return G_SOURCE_REMOVE;
}

void
lan_file_fetch_arm_timer (LanFileFetch *self,
                          guint         timeout_ms,
                          Why           why)
{
  lan_file_fetch_clear_timer (self);
  self->timer_why = why;
  self->timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->timer, timer_fired, self, NULL);
  g_source_attach (self->timer, g_main_context_get_thread_default ());
}

static void
log_summary (LanFileFetch *self)
{
  LanTransferState state = lan_file_transfer_get_state (self->transfer);
  const char *error = lan_file_transfer_get_error (self->transfer);
  g_autofree char *detail = NULL;
  LanDatagram datagram = {
    .time_us = g_get_real_time (),
    .direction = LAN_DIRECTION_IN,
    .flags = LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER,
    .local = self->local,
    .remote = self->remote,
  };

  if (self->packet != NULL)
    datagram.data = g_bytes_get_data (self->packet, &datagram.len);
  /* In the form the packet log reads back (bytes, duration, result, why). */
  detail = lan_packet_log_transfer_detail (self->moved, g_get_monotonic_time () - self->started_us,
                                           lan_transfer_state_to_string (state), error);
  lan_packet_log_append (lan_wire_get_log (self->wire), &datagram,
                         state == LAN_TRANSFER_DONE ? LAN_VERDICT_OK : LAN_VERDICT_REJECTED, detail);
}

void
lan_file_fetch_tell (LanFileFetch     *self,
                     LanTransferState  state,
                     const char       *error)
{
  lan_file_transfer_set_state (self->transfer, state, error);
  log_summary (self);
  if (self->done != NULL)
    self->done (self, self->done_data);
}

static void
release_buffers (LanFileFetch *self)
{
  if (self->finished && self->writes == 0)
    {
      g_clear_pointer (&self->buffer, g_free);
      g_clear_pointer (&self->spare, g_free);
    }
}

gboolean
lan_file_fetch_write_done (LanFileFetch *self,
                           GObject      *source,
                           GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;

  g_assert (self->writes > 0);
  self->writes--;
  release_buffers (self);
  if (!lan_file_write_finish (G_OUTPUT_STREAM (source), result, &self->pace, &error))
    {
      if (!self->finished)
        lan_file_fetch_fail_write (self, error);
      return FALSE;
    }
  return !self->finished;
}

/* The end, once: everything closed, the transfer told, the owner called
 * (for a folder whose stream was refused, once its partial tree is gone). */
static void
finish (LanFileFetch     *self,
        LanTransferState  state,
        const char       *error)
{
  G_GNUC_UNUSED g_autoptr(LanFileFetch) hold = g_object_ref (self);  /* the owner may drop it */
  gboolean remove_partial = self->request.is_directory && state == LAN_TRANSFER_FAILED && self->discard &&
                            self->top_fd >= 0 && self->done != NULL;

  if (self->finished)
    return;
  self->finished = TRUE;
  self->ended = state;
  lan_file_fetch_clear_timer (self);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->read_cancellable);
  if (self->out != NULL)
    g_output_stream_close (self->out, NULL, NULL);
  g_clear_object (&self->out);
  close_dirs (self);
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->parser, lan_dir_stream_parser_free);
  release_buffers (self);
  if (remove_partial)
    {
      lan_file_fetch_remove_partial (self, error);
      return;
    }
  close_fd (&self->folder_fd);
  lan_file_fetch_tell (self, state, error);
}

void
lan_file_fetch_fail (LanFileFetch *self,
                     const char   *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  finish (self, LAN_TRANSFER_FAILED, message);
}

void
lan_file_fetch_complete (LanFileFetch *self)
{
  g_autoptr(GError) error = NULL;

  lan_file_fetch_clear_timer (self);
  if (lan_file_fetch_prune_unlisted (self))
    return;  /* comes back here once done */
  if (self->out != NULL && !g_output_stream_close (self->out, NULL, &error))
    {
      lan_file_fetch_fail_write (self, error);
      return;
    }
  g_clear_object (&self->out);
  close_dirs (self);
  if (lan_file_fetch_rename_into_place (self))
    finish (self, LAN_TRANSFER_DONE, NULL);
}

char *
lan_file_fetch_read_failure (LanFileFetch *self,
                             GError       *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->why == WHY_STALL)
    return g_strdup_printf (_("The sender stopped sending (nothing for %u s)"), (self->request.stall_ms + 999) / 1000);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->why == WHY_GRACE)
    return NULL;
  return g_strdup_printf (_("The connection broke: %s"), error->message);
}

static void
fail_read (LanFileFetch *self,
           GError       *error)
{
  g_autofree char *why = lan_file_fetch_read_failure (self, error);

  if (why != NULL)
    lan_file_fetch_fail (self, "%s", why);
  else
    lan_file_fetch_complete (self);
}

static void
bytes_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LanFileFetch) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (self->finished)
    return;
  lan_file_fetch_clear_timer (self);
  if (n < 0)
    {
      fail_read (self, error);
      return;
    }
  self->buffered = (gsize) n;
  self->pos = 0;
  if (self->stream_ended && n == 0)
    lan_file_fetch_complete (self);
  else if (self->stream_ended)
    {
      self->discard = TRUE;
      lan_file_fetch_fail (self, _("The sender sent more after the folder's end"));
    }
  else if (n == 0)
    lan_file_fetch_fail (self, _("The sender closed the connection before the folder's end; "
                                 "the partial folder is kept to resume"));
  else
    lan_file_fetch_process_stream (self);
}

void
lan_file_fetch_read_more (LanFileFetch *self,
                          guint         timeout_ms,
                          Why           why)
{
  lan_file_fetch_arm_timer (self, timeout_ms, why);
  g_clear_object (&self->read_cancellable);
  self->read_cancellable = g_cancellable_new ();
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (self->connection)),
                             self->buffer, LAN_FETCH_BUFFER_BYTES, LAN_FILE_IO_PRIORITY,
                             self->read_cancellable, bytes_read, g_object_ref (self));
}

static void
request_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LanFileFetch) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!self->finished)
        fail_read (self, error);
      return;
    }
  if (self->finished)
    return;
  if (self->buffer == NULL)
    self->buffer = g_malloc (LAN_FETCH_BUFFER_BYTES);
  if (!self->request.is_directory)
    {
      if (self->spare == NULL)
        self->spare = g_malloc (LAN_FETCH_BUFFER_BYTES);
      lan_file_fetch_file_read (self);
    }
  else
    lan_file_fetch_read_more (self, self->request.stall_ms, WHY_STALL);
}

static void
connected (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LanFileFetch) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  GSocketConnection *connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  LanDatagram datagram = { .direction = LAN_DIRECTION_OUT, .flags = LAN_DATAGRAM_TCP };

  lan_file_fetch_clear_timer (self);
  if (self->finished)
    {
      g_clear_object (&connection);
      return;
    }
  if (connection == NULL)
    {
      g_autofree char *to = lan_endpoint_to_string (self->remote);

      if (self->why == WHY_CONNECT)
        lan_file_fetch_fail (self, _("The sender (%s) did not answer within %u s"), to, self->request.connect_timeout_ms / 1000);
      else
        lan_file_fetch_fail (self, _("Could not connect to the sender (%s): %s"), to, error->message);
      return;
    }
  self->connection = connection;
  local = g_socket_connection_get_local_address (connection, NULL);
  if (local != NULL)
    self->local = lan_socket_address_to_endpoint (local);
  lan_file_transfer_set_state (self->transfer, LAN_TRANSFER_RUNNING, NULL);
  datagram.time_us = g_get_real_time ();
  datagram.local = self->local;
  datagram.remote = self->remote;
  datagram.data = g_bytes_get_data (self->packet, &datagram.len);
  lan_packet_log_append (lan_wire_get_log (self->wire), &datagram, LAN_VERDICT_OK, NULL);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                   datagram.data, datagram.len, G_PRIORITY_DEFAULT, self->cancellable,
                                   request_sent, g_object_ref (self));
}

void
lan_file_fetch_request (LanFileFetch *self,
                        guint64       offset)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) remote = lan_socket_address_new (self->remote);
  g_autofree char *extra = NULL;

  self->remaining = self->request.size - offset;
  if (self->request.is_directory)
    {
      self->command = LAN_IPMSG_GETDIRFILES;
      extra = g_strdup_printf ("%" G_GINT64_MODIFIER "x:%" G_GINT64_MODIFIER "x",
                               self->request.offer_packet_no, self->request.file_id);
      g_clear_pointer (&self->parser, lan_dir_stream_parser_free);
      self->parser = lan_dir_stream_parser_new ();
      g_clear_pointer (&self->listed, g_array_unref);
      if (self->resuming)
        self->listed = g_array_new (FALSE, FALSE, sizeof (guint64));
    }
  else
    {
      self->command = LAN_IPMSG_GETFILEDATA;
      extra = g_strdup_printf ("%" G_GINT64_MODIFIER "x:%" G_GINT64_MODIFIER "x:%" G_GINT64_MODIFIER "x",
                               self->request.offer_packet_no, self->request.file_id, offset);
    }
  if (lan_dialect_wants_utf8_flag (&self->request.dialect))
    self->command |= LAN_IPMSG_UTF8OPT;
  g_clear_pointer (&self->packet, g_bytes_unref);
  self->packet = lan_wire_build_to (self->wire, &self->request.dialect, lan_wire_next_packet_no (self->wire),
                                    self->command, (const guint8 *) extra, strlen (extra) + 1);

  if (self->request.local.address != 0)
    {
      LanEndpoint any_port = { self->request.local.address, 0 };
      g_autoptr(GSocketAddress) local = lan_socket_address_new (any_port);

      g_socket_client_set_local_address (client, local);
    }
  lan_file_fetch_arm_timer (self, self->request.connect_timeout_ms, WHY_CONNECT);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (remote), self->cancellable,
                                 connected, g_object_ref (self));
}

void
lan_file_fetch_start (LanFileFetch     *self,
                      LanFileFetchDone  done,
                      gpointer          user_data)
{
  const char *resume = self->part_name;
  g_autofree char *resume_copy = g_strdup (resume);
  gint64 offset;

  g_return_if_fail (LAN_IS_FILE_FETCH (self));
  g_return_if_fail (self->started_us == 0);

  self->done = done;
  self->done_data = user_data;
  self->started_us = g_get_monotonic_time ();
  g_clear_pointer (&self->part_name, g_free);
  offset = lan_file_fetch_open_target (self, resume_copy);
  if (offset < 0)
    return;
  lan_file_transfer_reset_done (self->transfer, (guint64) offset);
  lan_file_fetch_request (self, (guint64) offset - self->check_len);
}

void
lan_file_fetch_cancel (LanFileFetch *self)
{
  g_return_if_fail (LAN_IS_FILE_FETCH (self));

  if (self->finished)
    return;
  self->why = WHY_CANCEL;
  finish (self, LAN_TRANSFER_CANCELLED, _("Cancelled"));
}

LanFileTransfer *
lan_file_fetch_get_transfer (LanFileFetch *self)
{
  g_return_val_if_fail (LAN_IS_FILE_FETCH (self), NULL);

  return self->transfer;
}

const char *
lan_file_fetch_get_part_name (LanFileFetch *self)
{
  g_return_val_if_fail (LAN_IS_FILE_FETCH (self), NULL);

  return self->part_name;
}

const LanFileFetchRequest *
lan_file_fetch_get_request (LanFileFetch *self)
{
  g_return_val_if_fail (LAN_IS_FILE_FETCH (self), NULL);

  return &self->request;
}

static void
lan_file_fetch_dispose (GObject *object)
{
  LanFileFetch *self = LAN_FILE_FETCH (object);

  /* Nobody is told any more; whatever runs ends cancelled. */
  self->done = NULL;
  if (self->started_us != 0 && !self->finished)
    finish (self, LAN_TRANSFER_CANCELLED, _("Cancelled"));
  lan_file_fetch_clear_timer (self);
  G_OBJECT_CLASS (lan_file_fetch_parent_class)->dispose (object);
}

static void
lan_file_fetch_finalize (GObject *object)
{
  LanFileFetch *self = LAN_FILE_FETCH (object);

  g_clear_object (&self->out);
  close_dirs (self);
  close_fd (&self->folder_fd);
  g_clear_pointer (&self->dirs, g_array_unref);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->buffer, g_free);
  g_clear_pointer (&self->spare, g_free);
  g_clear_pointer (&self->parser, lan_dir_stream_parser_free);
  g_clear_pointer (&self->listed, g_array_unref);
  g_clear_pointer (&self->packet, g_bytes_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->read_cancellable);
  g_clear_object (&self->wire);
  g_clear_object (&self->transfer);
  g_clear_object (&self->folder);
  g_free (self->name);
  g_free (self->final_name);
  g_free (self->part_name);
  g_free (self->failure);
  G_OBJECT_CLASS (lan_file_fetch_parent_class)->finalize (object);
}

static void
lan_file_fetch_class_init (LanFileFetchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lan_file_fetch_dispose;
  G_OBJECT_CLASS (klass)->finalize = lan_file_fetch_finalize;
}

static void
lan_file_fetch_init (LanFileFetch *self)
{
  self->folder_fd = -1;
  self->top_fd = -1;
  self->dirs = g_array_new (FALSE, FALSE, sizeof (int));
  self->cancellable = g_cancellable_new ();
  self->reading = self->writing = self->filled = -1;
}

/**
 * lan_file_fetch_new:
 *
 * Returns: (transfer full)
 */
LanFileFetch *
lan_file_fetch_new (LanWire                   *wire,
                    const LanFileFetchRequest *request,
                    LanFileTransfer           *transfer,
                    GFile                     *folder,
                    const char                *name,
                    const char                *part_name)
{
  LanFileFetch *self;

  g_return_val_if_fail (LAN_IS_WIRE (wire), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (LAN_IS_FILE_TRANSFER (transfer), NULL);
  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (LAN_TYPE_FILE_FETCH, NULL);
  self->wire = g_object_ref (wire);
  self->request = *request;
  self->transfer = g_object_ref (transfer);
  self->folder = g_object_ref (folder);
  self->name = g_strdup (name);
  self->part_name = g_strdup (part_name);
  self->remote = request->remote;
  self->local = request->local;
  self->local.port = 0;
  return self;
}

/* lan-file-serve-file.c — a file's bytes onto a served connection, from an
 * offset, for GETFILEDATA and for each file of a folder's stream.
 *
 * On Linux the bytes go with sendfile(2), page cache to socket, driven by
 * the socket's writability on the main loop: no copy through our buffer, no
 * thread-pool hop per chunk (a local file's read_async is a thread each
 * time), and at most SEND_BUDGET bytes per dispatch so that chat datagrams
 * and drawing still get their turn. Elsewhere, or where sendfile refuses
 * the file before its first byte, the file is read into the connection's
 * buffer and written from it, one chunk after the other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-serve-file"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#ifdef __linux__
#include <gio/gfiledescriptorbased.h>
#include <sys/sendfile.h>
#define HAVE_SENDFILE 1
#endif

#include "lan-bounds.h"
#include "lan-file-serve.h"

/* Transfers yield to chat datagrams and drawing. */
#define IO_PRIORITY G_PRIORITY_DEFAULT_IDLE
/* Bytes handed to the kernel per dispatch at most; it takes what fits in
 * the socket's buffer at a time, so this bounds the work of a dispatch. */
#define SEND_BUDGET (2 * 1024 * 1024)

static void pump (LanServeConn *conn);

void
lan_serve_file_clear (LanServeConn *conn)
{
  /* The watch holds a reference, so it is here only when its context
   * dropped it without a dispatch (then this runs from its destroy notify). */
  if (conn->writable != NULL)
    {
      g_source_destroy (conn->writable);
      g_clear_pointer (&conn->writable, g_source_unref);
    }
  g_clear_object (&conn->file_in);
}

static void
file_done (LanServeConn *conn)
{
  LanServeNext next = conn->after_file;

  g_input_stream_close (conn->file_in, NULL, NULL);
  g_clear_object (&conn->file_in);
  next (conn);
}

static void
file_shorter (LanServeConn *conn)
{
  lan_serve_conn_finish (conn, LAN_TRANSFER_FAILED,
                         _("The file is shorter than when it was offered: it was changed"));
}

/* ── read, then write ───────────────────────────────────────────────────── */

static void
file_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LanServeConn) conn = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (!lan_serve_conn_end (conn))
    return;
  if (n < 0)
    {
      lan_serve_conn_fail (conn, _("Reading the file failed"), error);
      return;
    }
  if (n == 0)
    {
      file_shorter (conn);
      return;
    }
  conn->file_offset += (guint64) n;
  conn->remaining -= (guint64) n;
  lan_serve_conn_write_buffer (conn, (gsize) n, pump);
}

static void
read_chunk (LanServeConn *conn)
{
  lan_serve_conn_begin (conn);
  g_input_stream_read_async (conn->file_in, conn->buffer,
                             (gsize) MIN (conn->remaining, (guint64) LAN_FILE_SERVE_BUFFER_BYTES),
                             IO_PRIORITY, conn->cancellable, file_read, conn);
}

/* ── sendfile ───────────────────────────────────────────────────────────── */

#ifdef HAVE_SENDFILE
static gboolean
can_sendfile (LanServeConn *conn)
{
  /* A 32-bit off_t can't name every offset of a large file. */
  return !conn->buffer_only && !conn->no_sendfile && sizeof (off_t) >= sizeof (guint64) &&
         G_IS_FILE_DESCRIPTOR_BASED (conn->file_in);
}

/* The watch ends: the operation it stood for has returned. */
static gboolean
unwatch (LanServeConn *conn)
{
  g_clear_pointer (&conn->writable, g_source_unref);
  return lan_serve_conn_end (conn);
}

static gboolean
socket_writable (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  LanServeConn *conn = user_data;
  int in_fd = g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (conn->file_in));
  int out_fd = g_socket_get_fd (socket);
  gsize sent = 0;
  gboolean eof = FALSE;
  int err = 0;

  /* Cancelled (the cancellable wakes the watch) or ended meanwhile. */
  if (conn->finished)
    {
      unwatch (conn);
      return G_SOURCE_REMOVE;
    }
  while (conn->remaining > 0 && sent < SEND_BUDGET)
    {
      off_t offset = (off_t) conn->file_offset;
      gssize n = sendfile (out_fd, in_fd, &offset, (size_t) MIN (conn->remaining, (guint64) (SEND_BUDGET - sent)));

      if (n > 0)
        {
          conn->file_offset += (guint64) n;
          conn->remaining -= (guint64) n;
          sent += (gsize) n;
        }
      else if (n == 0)
        {
          eof = TRUE;
          break;
        }
      else if (errno != EINTR)
        {
          err = errno;
          break;
        }
    }
  if (sent > 0)
    {
      conn->sendfile_sent = TRUE;
      /* Whoever the progress reaches may cancel. */
      lan_serve_conn_progress (conn, sent);
      if (conn->finished)
        {
          unwatch (conn);
          return G_SOURCE_REMOVE;
        }
    }
  /* The socket's buffer is full (wait until it drains) or the budget is spent. */
  if (err == EAGAIN || err == EWOULDBLOCK || (err == 0 && !eof && conn->remaining > 0))
    return G_SOURCE_CONTINUE;

  if (!unwatch (conn))
    return G_SOURCE_REMOVE;
  if (conn->remaining == 0)
    file_done (conn);
  else if (eof)
    file_shorter (conn);
  else if (!conn->sendfile_sent && (err == EINVAL || err == ENOSYS || err == EOPNOTSUPP))
    {
      /* Not a file sendfile reads (nothing went out; the stream is where it
       * was opened or sought): the bytes go through the buffer. */
      conn->no_sendfile = TRUE;
      pump (conn);
    }
  else
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, g_io_error_from_errno (err), g_strerror (err));

      lan_serve_conn_fail (conn, err == EIO ? _("Reading the file failed") : _("The connection broke"), error);
    }
  return G_SOURCE_REMOVE;
}

static void
watch_writable (LanServeConn *conn)
{
  GSocket *socket = g_socket_connection_get_socket (conn->connection);

  /* GSocket keeps its descriptor non-blocking: sendfile takes what fits. */
  lan_serve_conn_begin (conn);
  conn->writable = g_socket_create_source (socket, G_IO_OUT, conn->cancellable);
  g_source_set_priority (conn->writable, IO_PRIORITY);
  g_source_set_callback (conn->writable, G_SOURCE_FUNC (socket_writable), conn,
                         (GDestroyNotify) lan_serve_conn_unref);
  g_source_set_static_name (conn->writable, "[lanchat] file server sendfile");
  g_source_attach (conn->writable, g_main_context_get_thread_default ());
}
#endif

static void
pump (LanServeConn *conn)
{
  if (conn->remaining == 0)
    {
      file_done (conn);
      return;
    }
#ifdef HAVE_SENDFILE
  if (can_sendfile (conn))
    {
      watch_writable (conn);
      return;
    }
#endif
  read_chunk (conn);
}

/* ── opening ────────────────────────────────────────────────────────────── */

static void
file_opened (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(LanServeConn) conn = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInputStream) in = g_file_read_finish (G_FILE (source), result, &error);

  if (!lan_serve_conn_end (conn))
    return;
  if (in == NULL)
    {
      lan_serve_conn_fail (conn, _("The file can't be read"), error);
      return;
    }
  /* A local file's seek doesn't wait on anything. */
  if (conn->file_offset > 0 &&
      !g_seekable_seek (G_SEEKABLE (in), (goffset) conn->file_offset, G_SEEK_SET, conn->cancellable, &error))
    {
      lan_serve_conn_fail (conn, _("The file can't be read from the offset asked"), error);
      return;
    }
  conn->file_in = G_INPUT_STREAM (g_steal_pointer (&in));
  pump (conn);
}

void
lan_serve_conn_send_file (LanServeConn *conn,
                          GFile        *file,
                          guint64       offset,
                          guint64       size,
                          LanServeNext  next)
{
  conn->file_offset = offset;
  conn->remaining = size;
  conn->after_file = next;
  conn->no_sendfile = FALSE;
  conn->sendfile_sent = FALSE;
  if (file == NULL)
    {
      pump (conn);
      return;
    }
  lan_serve_conn_begin (conn);
  g_file_read_async (file, IO_PRIORITY, conn->cancellable, file_opened, conn);
}

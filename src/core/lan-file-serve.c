/* lan-file-serve.c — one connection of the file server once it is open: its
 * time-outs, its writes and its end (summary row, graceful close). A file's
 * bytes: lan-file-serve-file.c; a folder's stream: lan-file-serve-dir.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-serve"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-bounds.h"
#include "lan-file-serve.h"
#include "lan-file-server-private.h"

/* Draining after the last byte: long enough for the peer to read what the
 * kernel still holds, short enough that a peer that never closes costs little. */
#define DRAIN_MS 5000
/* ── the connection ─────────────────────────────────────────────────────── */

LanServeConn *
lan_serve_conn_ref (LanServeConn *conn)
{
  g_ref_count_inc (&conn->ref_count);
  return conn;
}

static void
destroy_deadline (LanServeConn *conn)
{
  if (conn->deadline != NULL)
    {
      g_source_destroy (conn->deadline);
      g_clear_pointer (&conn->deadline, g_source_unref);
    }
}

void
lan_serve_conn_unref (LanServeConn *conn)
{
  if (!g_ref_count_dec (&conn->ref_count))
    return;
  destroy_deadline (conn);
  lan_serve_dir_clear (conn);
  lan_serve_file_clear (conn);
  g_clear_object (&conn->transfer);
  g_clear_pointer (&conn->offer, lan_file_offer_unref);
  g_clear_pointer (&conn->packet, lan_ipmsg_packet_free);
  g_clear_pointer (&conn->request, g_bytes_unref);
  g_clear_object (&conn->cancellable);
  g_clear_object (&conn->connection);
  g_free (conn->buffer);
  g_free (conn);
}

/* Last thing a caller does with @conn: the server's reference goes. */
static void
close_now (LanServeConn *conn)
{
  conn->phase = LAN_SERVE_CLOSED;
  destroy_deadline (conn);
  /* A socket's close doesn't block (no linger): no need to go async. */
  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
  lan_serve_conn_detach (conn);
}

void
lan_serve_conn_detach (LanServeConn *conn)
{
  LanFileServer *server = conn->server;

  if (server == NULL)
    return;
  conn->server = NULL;
  g_ptr_array_remove_fast (server->conns, conn);
}

void
lan_serve_conn_begin (LanServeConn *conn)
{
  conn->pending++;
  lan_serve_conn_ref (conn);
}

static void drain (LanServeConn *conn);

gboolean
lan_serve_conn_end (LanServeConn *conn)
{
  g_assert (conn->pending > 0);
  conn->pending--;
  if (!conn->finished)
    return TRUE;
  /* Finished meanwhile: the stream can be closed once nothing uses it. */
  if (conn->pending == 0 && conn->phase == LAN_SERVE_DRAINING)
    drain (conn);
  else if (conn->pending == 0 && conn->phase != LAN_SERVE_CLOSED)
    close_now (conn);
  return FALSE;
}

static gboolean
deadline_due (gpointer user_data)
{
  LanServeConn *conn = user_data;

  if (conn->phase == LAN_SERVE_DRAINING)
    {
      /* The peer never closed: the pending read ends cancelled, then we close. */
      g_cancellable_cancel (conn->cancellable);
      return G_SOURCE_CONTINUE;
    }
  if (conn->phase == LAN_SERVE_SERVING)
    lan_serve_conn_finish (conn, LAN_TRANSFER_FAILED,
                           _("The peer stopped reading for a minute"));
  else if (conn->phase == LAN_SERVE_READING)
    lan_serve_request_timed_out (conn);
  return G_SOURCE_CONTINUE;
}

void
lan_serve_conn_arm_deadline (LanServeConn *conn,
                             guint         ms)
{
  if (conn->deadline == NULL)
    {
      conn->deadline = g_timeout_source_new (G_MAXINT);
      g_source_set_callback (conn->deadline, deadline_due, conn, NULL);
      g_source_set_static_name (conn->deadline, "[lanchat] file server deadline");
      g_source_attach (conn->deadline, g_main_context_get_thread_default ());
    }
  /* One source, moved forward: no new timer per chunk. */
  g_source_set_ready_time (conn->deadline, g_get_monotonic_time () + (gint64) ms * 1000);
}

void
lan_serve_conn_log (LanServeConn     *conn,
                    LanDatagramFlags  flags,
                    LanDirection      direction,
                    LanVerdict        verdict,
                    const char       *detail)
{
  LanPacketLog *log = lan_wire_get_log (conn->server->wire);
  LanDatagram datagram = {
    .time_us = g_get_real_time (),
    .direction = direction,
    .flags = LAN_DATAGRAM_TCP | flags,
    .local = conn->local,
    .remote = conn->remote,
    .data = conn->request != NULL ? g_bytes_get_data (conn->request, NULL) : NULL,
    .len = conn->request != NULL ? g_bytes_get_size (conn->request) : 0,
  };

  lan_packet_log_append_parsed (log, &datagram, conn->packet, verdict, detail);
}

static void
drain_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LanServeConn) conn = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  conn->pending--;
  if (n > 0)
    drain (conn);
  else
    close_now (conn);
}

/* Our side is shut; read (and drop) until the peer closes, so that no
 * unread byte of theirs turns our close into a reset that loses the end
 * of the data still in flight. */
static void
drain (LanServeConn *conn)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));

  conn->pending++;
  g_input_stream_read_async (in, conn->buffer, LAN_FILE_SERVE_BUFFER_BYTES, G_PRIORITY_DEFAULT,
                             conn->cancellable, drain_read, lan_serve_conn_ref (conn));
}

/* In the form the packet log reads back (bytes, duration, result, why). */
static char *
summary (LanServeConn     *conn,
         LanTransferState  state,
         const char       *why)
{
  return lan_packet_log_transfer_detail (conn->moved, g_get_monotonic_time () - conn->started_us,
                                         lan_transfer_state_to_string (state), why);
}

void
lan_serve_conn_finish (LanServeConn     *conn,
                       LanTransferState  state,
                       const char       *why)
{
  g_autoptr(LanServeConn) held = NULL;

  if (conn->finished)
    return;
  /* First: whoever the notifications below reach may stop or cancel. */
  conn->finished = TRUE;
  held = lan_serve_conn_ref (conn);
  if (conn->transfer != NULL)
    {
      g_autofree char *detail = summary (conn, state, why);

      lan_file_transfer_flush (conn->transfer);
      lan_file_transfer_set_state (conn->transfer, state, state == LAN_TRANSFER_DONE ? NULL : why);
      lan_serve_conn_log (conn, LAN_DATAGRAM_TRANSFER, LAN_DIRECTION_OUT,
                          state == LAN_TRANSFER_DONE ? LAN_VERDICT_OK : LAN_VERDICT_SEND_ERROR, detail);
    }
  /* Until closed it still counts against the bounds: a peer that never
   * closes can't pile up sockets. */
  if (state == LAN_TRANSFER_DONE && conn->phase != LAN_SERVE_CLOSED)
    {
      GSocket *socket = g_socket_connection_get_socket (conn->connection);

      conn->phase = LAN_SERVE_DRAINING;
      g_socket_shutdown (socket, FALSE, TRUE, NULL);
      lan_serve_conn_arm_deadline (conn, DRAIN_MS);
      if (conn->pending == 0)
        drain (conn);
      return;
    }
  g_cancellable_cancel (conn->cancellable);
  if (conn->pending == 0)
    close_now (conn);
}

void
lan_serve_conn_fail (LanServeConn *conn,
                     const char   *what,
                     const GError *error)
{
  g_autofree char *why = NULL;

  if (conn->finished)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      lan_serve_conn_finish (conn, LAN_TRANSFER_CANCELLED, _("Cancelled"));
      return;
    }
  why = g_strdup_printf ("%s: %s", what, error->message);
  lan_serve_conn_finish (conn, LAN_TRANSFER_FAILED, why);
}

void
lan_serve_conn_progress (LanServeConn *conn,
                         gsize         bytes)
{
  conn->moved += bytes;
  lan_serve_conn_arm_deadline (conn, LAN_FILE_SERVE_STALL_MS);
  if (conn->transfer != NULL)
    lan_file_transfer_add_done (conn->transfer, bytes, g_get_monotonic_time ());
}

/* ── writing ────────────────────────────────────────────────────────────── */

typedef struct {
  LanServeConn *conn;
  LanServeNext  next;
  gsize         len;
} WriteOp;

static void
write_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  WriteOp *op = user_data;
  g_autoptr(LanServeConn) conn = op->conn;
  LanServeNext next = op->next;
  gsize len = op->len;
  g_autoptr(GError) error = NULL;
  gboolean ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);

  g_free (op);
  if (!lan_serve_conn_end (conn))
    return;
  if (!ok)
    {
      lan_serve_conn_fail (conn, _("The connection broke"), error);
      return;
    }
  lan_serve_conn_progress (conn, len);
  next (conn);
}

void
lan_serve_conn_write_buffer (LanServeConn *conn,
                             gsize         len,
                             LanServeNext  next)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));
  WriteOp *op = g_new0 (WriteOp, 1);

  lan_serve_conn_begin (conn);
  op->conn = conn;
  op->next = next;
  op->len = len;
  g_output_stream_write_all_async (out, conn->buffer, len, G_PRIORITY_DEFAULT,
                                   conn->cancellable, write_done, op);
}

void
lan_serve_conn_write (LanServeConn *conn,
                      const guint8 *data,
                      gsize         len,
                      LanServeNext  next)
{
  g_assert (len <= LAN_FILE_SERVE_BUFFER_BYTES);
  memcpy (conn->buffer, data, len);
  lan_serve_conn_write_buffer (conn, len, next);
}


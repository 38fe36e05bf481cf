/* lan-file-serve.c — one connection of the file server once it is open: its
 * time-outs, its writes, a file's bytes, a folder's stream, and its end
 * (summary row, graceful close).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-serve"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-bounds.h"
#include "lan-dir-stream.h"
#include "lan-file-server-private.h"

/* Draining after the last byte: long enough for the peer to read what the
 * kernel still holds, short enough that a peer that never closes costs little. */
#define DRAIN_MS 5000
/* Transfers yield to chat datagrams and drawing. */
#define IO_PRIORITY G_PRIORITY_DEFAULT_IDLE

static void dir_clear (LanServeConn *conn);

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
  dir_clear (conn);
  g_clear_object (&conn->file_in);
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

static char *
summary (LanServeConn     *conn,
         LanTransferState  state,
         const char       *why)
{
  double seconds = (g_get_monotonic_time () - conn->started_us) / (double) G_USEC_PER_SEC;
  g_autofree char *size = g_format_size (conn->moved);
  g_autofree char *rate = g_format_size ((guint64) (seconds > 0 ? conn->moved / seconds : 0));

  return g_strdup_printf ("%s: %" G_GUINT64_FORMAT " bytes (%s) in %.2f s, %s/s%s%s",
                          lan_transfer_state_to_string (state), conn->moved, size, seconds, rate,
                          why != NULL ? ": " : "", why != NULL ? why : "");
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

static void
write_buffer (LanServeConn *conn,
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
  write_buffer (conn, len, next);
}

/* ── a file's bytes ─────────────────────────────────────────────────────── */

static void pump (LanServeConn *conn);

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
      lan_serve_conn_finish (conn, LAN_TRANSFER_FAILED,
                             _("The file is shorter than when it was offered: it was changed"));
      return;
    }
  conn->remaining -= (guint64) n;
  write_buffer (conn, (gsize) n, pump);
}

static void
pump (LanServeConn *conn)
{
  if (conn->remaining == 0)
    {
      LanServeNext next = conn->after_file;

      g_input_stream_close (conn->file_in, NULL, NULL);
      g_clear_object (&conn->file_in);
      next (conn);
      return;
    }
  lan_serve_conn_begin (conn);
  g_input_stream_read_async (conn->file_in, conn->buffer,
                             (gsize) MIN (conn->remaining, (guint64) LAN_FILE_SERVE_BUFFER_BYTES),
                             IO_PRIORITY, conn->cancellable, file_read, conn);
}

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
  if (file == NULL)
    {
      pump (conn);
      return;
    }
  lan_serve_conn_begin (conn);
  g_file_read_async (file, IO_PRIORITY, conn->cancellable, file_opened, conn);
}

/* ── a folder ───────────────────────────────────────────────────────────── */

/* As iptux writes a folder (SendFileData::SendDirFiles): the folder's own
 * header, then each entry (a file's header and bytes; a folder's header,
 * its entries and a return-to-parent "."), then the "." that leaves the
 * top. Symbolic links (and anything neither a file nor a folder) are
 * skipped, as is what can't be opened, before its header goes out. */
#define DIR_ATTRIBUTES "standard::name,standard::display-name,standard::type,standard::size," \
                       "standard::is-symlink,time::modified,time::changed"
#define DIR_BATCH 64
/* iptux's extension keys: IPMSG_FILE_MTIME, IPMSG_FILE_CREATETIME. */
#define EXTRA_MTIME  "14"
#define EXTRA_CTIME  "16"

typedef struct {
  GFileEnumerator *enumerator;
  GList           *infos;     /* GFileInfo, the batch not served yet */
  guint64          mtime;
  guint64          ctime;
} Level;

static void
level_free (Level *level)
{
  g_file_enumerator_close (level->enumerator, NULL, NULL);
  g_object_unref (level->enumerator);
  g_list_free_full (level->infos, g_object_unref);
  g_free (level);
}

static void
dir_clear (LanServeConn *conn)
{
  g_queue_clear_full (&conn->levels, (GDestroyNotify) level_free);
  if (conn->header != NULL)
    g_string_free (g_steal_pointer (&conn->header), TRUE);
}

static void next_entry (LanServeConn *conn);

/* One header into conn->header, the name in the peer's charset. FALSE
 * when it doesn't fit a header (the entry is skipped). */
static gboolean
add_header (LanServeConn *conn,
            const char   *name,
            guint64       size,
            guint32       attr,
            guint64       mtime,
            guint64       ctime)
{
  g_autoptr(GBytes) encoded = lan_dialect_encode (&conn->dialect, LAN_DIALECT_PEER_TEXT, name, NULL, NULL);
  g_autofree char *raw = g_strndup (g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded));
  g_autofree char *m = g_strdup_printf (EXTRA_MTIME "=%" G_GINT64_MODIFIER "x", mtime);
  g_autofree char *c = g_strdup_printf (EXTRA_CTIME "=%" G_GINT64_MODIFIER "x", ctime);
  const char *extras[] = { m, c, NULL };

  g_string_truncate (conn->header, 0);
  return lan_dir_stream_append_header (conn->header, raw, size, attr, extras);
}

static void
write_header (LanServeConn *conn,
              LanServeNext  next)
{
  lan_serve_conn_write (conn, (const guint8 *) conn->header->str, conn->header->len, next);
}

static void
dir_done (LanServeConn *conn)
{
  conn->offered->served = TRUE;
  lan_serve_conn_finish (conn, LAN_TRANSFER_DONE, NULL);
}

static void
dir_file_done (LanServeConn *conn)
{
  lan_file_transfer_add_file_done (conn->transfer);
  next_entry (conn);
}

static void
start_file_data (LanServeConn *conn)
{
  /* Its header went out; its bytes follow from the stream opened before. */
  lan_serve_conn_send_file (conn, NULL, 0, conn->remaining, dir_file_done);
}

typedef struct {
  LanServeConn *conn;
  GFileInfo    *info;
} EntryOp;

static void
entry_opened (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  EntryOp *op = user_data;
  g_autoptr(LanServeConn) conn = op->conn;
  g_autoptr(GFileInfo) info = op->info;
  g_autoptr(GFileInputStream) in = g_file_read_finish (G_FILE (source), result, NULL);
  guint64 size = (guint64) g_file_info_get_size (info);

  g_free (op);
  if (!lan_serve_conn_end (conn))
    return;
  if (in == NULL || !add_header (conn, g_file_info_get_display_name (info), size, LAN_IPMSG_FILE_REGULAR,
                                 g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED),
                                 g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_CHANGED)))
    {
      next_entry (conn);
      return;
    }
  conn->file_in = G_INPUT_STREAM (g_steal_pointer (&in));
  conn->remaining = size;
  conn->announced += size;
  lan_file_transfer_set_size (conn->transfer, conn->announced);
  write_header (conn, start_file_data);
}

static void
children_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  EntryOp *op = user_data;
  g_autoptr(LanServeConn) conn = op->conn;
  g_autoptr(GFileInfo) info = op->info;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileEnumerator) enumerator = g_file_enumerate_children_finish (G_FILE (source), result, &error);
  gboolean top = g_queue_is_empty (&conn->levels);
  Level *level;

  g_free (op);
  if (!lan_serve_conn_end (conn))
    return;
  if (enumerator == NULL)
    {
      /* The top folder must be there; a folder inside it is skipped. */
      if (top)
        lan_serve_conn_fail (conn, _("The folder can't be read"), error);
      else
        next_entry (conn);
      return;
    }
  level = g_new0 (Level, 1);
  level->enumerator = g_steal_pointer (&enumerator);
  level->mtime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  level->ctime = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_CHANGED);
  if (!add_header (conn, top ? conn->offered->name : g_file_info_get_display_name (info), 0,
                   LAN_IPMSG_FILE_DIR, level->mtime, level->ctime))
    {
      level_free (level);
      if (top)
        lan_serve_conn_finish (conn, LAN_TRANSFER_FAILED, _("The folder's name is too long"));
      else
        next_entry (conn);
      return;
    }
  g_queue_push_head (&conn->levels, level);
  write_header (conn, next_entry);
}

static void
list_children (LanServeConn *conn,
               GFile        *folder,
               GFileInfo    *info)
{
  EntryOp *op = g_new0 (EntryOp, 1);

  lan_serve_conn_begin (conn);
  op->conn = conn;
  op->info = g_object_ref (info);
  g_file_enumerate_children_async (folder, DIR_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                   IO_PRIORITY, conn->cancellable, children_listed, op);
}

static void
serve_info (LanServeConn *conn,
            Level        *level,
            GFileInfo    *info)   /* takes it */
{
  g_autoptr(GFileInfo) owned = info;
  g_autoptr(GFile) child = g_file_enumerator_get_child (level->enumerator, info);
  GFileType type = g_file_info_get_file_type (info);

  if (g_file_info_get_is_symlink (info) ||
      (type == G_FILE_TYPE_DIRECTORY && g_queue_get_length (&conn->levels) >= LAN_DIR_STREAM_MAX_DEPTH - 1) ||
      (type != G_FILE_TYPE_REGULAR && type != G_FILE_TYPE_DIRECTORY))
    {
      next_entry (conn);
      return;
    }
  if (type == G_FILE_TYPE_DIRECTORY)
    {
      list_children (conn, child, info);
      return;
    }
  {
    EntryOp *op = g_new0 (EntryOp, 1);

    lan_serve_conn_begin (conn);
    op->conn = conn;
    op->info = g_steal_pointer (&owned);
    g_file_read_async (child, IO_PRIORITY, conn->cancellable, entry_opened, op);
  }
}

static void
leave_level (LanServeConn *conn)
{
  Level *level = g_queue_pop_head (&conn->levels);
  gboolean fits = add_header (conn, ".", 0, LAN_IPMSG_FILE_RETPARENT, level->mtime, level->ctime);

  level_free (level);
  g_assert (fits);
  write_header (conn, g_queue_is_empty (&conn->levels) ? dir_done : next_entry);
}

static void
batch_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LanServeConn) conn = user_data;
  g_autoptr(GError) error = NULL;
  GList *infos = g_file_enumerator_next_files_finish (G_FILE_ENUMERATOR (source), result, &error);
  Level *level;

  if (!lan_serve_conn_end (conn))
    {
      g_list_free_full (infos, g_object_unref);
      return;
    }
  level = g_queue_peek_head (&conn->levels);
  /* A folder that can't be read further ends there (an empty list). */
  if (infos == NULL)
    {
      leave_level (conn);
      return;
    }
  level->infos = infos;
  next_entry (conn);
}

static void
next_entry (LanServeConn *conn)
{
  Level *level = g_queue_peek_head (&conn->levels);
  GFileInfo *info;

  if (level->infos == NULL)
    {
      lan_serve_conn_begin (conn);
      g_file_enumerator_next_files_async (level->enumerator, DIR_BATCH, IO_PRIORITY, conn->cancellable,
                                          batch_read, conn);
      return;
    }
  info = level->infos->data;
  level->infos = g_list_delete_link (level->infos, level->infos);
  serve_info (conn, level, info);
}

void
lan_serve_dir_start (LanServeConn *conn)
{
  g_autoptr(GFileInfo) info = g_file_info_new ();

  conn->header = g_string_new (NULL);
  g_file_info_set_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED, conn->offered->mtime);
  g_file_info_set_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_CHANGED, conn->offered->mtime);
  list_children (conn, conn->offered->file, info);
}

/* lan-file-serve-dir.c — a folder served (GETDIRFILES): its header stream,
 * each file's bytes after its header (lan-file-serve-file.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-serve-dir"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "lan-dir-stream.h"
#include "lan-file-serve.h"

/* Transfers yield to chat datagrams and drawing. */
#define IO_PRIORITY G_PRIORITY_DEFAULT_IDLE

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

void
lan_serve_dir_clear (LanServeConn *conn)
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

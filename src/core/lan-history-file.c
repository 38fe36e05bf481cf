/* lan-history-file.c — making the history file private, and leaving a
 * newer one alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-history-file"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lan-history-file.h"

gboolean
lan_history_file_prepare (const char  *path,
                          GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  /* Created here, not by SQLite, so that it is private from the first byte;
   * SQLite gives its -wal and -shm files the same mode. */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot open %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  /* One made by an older Lanchat may be 0644. Only the mode changes, not
   * the bytes or the modification time. */
  if (fchmod (fd, 0600) != 0)
    g_warning ("Cannot make %s private: %s", path, g_strerror (errno));
  close (fd);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *side = g_strconcat (path, i == 0 ? "-wal" : "-shm", NULL);

      if (g_chmod (side, 0600) != 0 && errno != ENOENT)
        g_warning ("Cannot make %s private: %s", side, g_strerror (errno));
    }
  return TRUE;
}

gboolean
lan_history_file_check_version (sqlite3  *db,
                                int       known,
                                GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = 0;
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  /* Anything else (not a database, locked) is for the migration to report
   * as it always has; only "newer" is decided here. */
  if (version > known)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The history was written by a newer Lanchat (schema %d; this one knows %d). "
                     "It was left as it is: open it with that version"),
                   version, known);
      return FALSE;
    }
  return TRUE;
}

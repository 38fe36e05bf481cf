/* lan-history-file.h — the history file before SQLite writes to it: made
 * private, and refused untouched when a newer Lanchat wrote it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Makes @path's folder (0700) and the file itself (0600) if missing, and
 * tightens an existing file (and its -wal and -shm) to 0600: messages are
 * nobody else's business. */
gboolean lan_history_file_prepare        (const char  *path,
                                          GError     **error);
/* Fails with G_IO_ERROR_NOT_SUPPORTED when @db (just opened) has a schema
 * above @known: a newer Lanchat's history, which this one must neither
 * migrate nor move aside. Reads only. */
gboolean lan_history_file_check_version  (sqlite3     *db,
                                          int          known,
                                          GError     **error);

G_END_DECLS

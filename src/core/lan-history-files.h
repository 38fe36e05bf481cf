/* lan-history-files.h — the files a message offers, where its offer
 * stands and where its files were saved, kept in history: after a restart
 * the conversation shows the offer card again (fetching it then may fail if
 * the sender forgot it), with Open for the files already saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-history.h"
#include "lan-message.h"

G_BEGIN_DECLS

/* The records in the attachment-list syntax (lan_ipmsg_append_file_record),
 * names in UTF-8; the offer state as LanOfferState. */
#define LAN_HISTORY_FILES_MIGRATION \
  "ALTER TABLE messages ADD COLUMN files TEXT;" \
  "ALTER TABLE messages ADD COLUMN offer_state INTEGER NOT NULL DEFAULT 0;"

/* Where each file of an offer made to us was saved: the absolute path as
 * the file system has it (bytes, not necessarily UTF-8). Gone with its
 * message. IF NOT EXISTS: a test may take a history back to an older
 * version number without dropping it. */
#define LAN_HISTORY_FILES_SAVED_MIGRATION \
  "CREATE TABLE IF NOT EXISTS saved_files (" \
  "  message INTEGER NOT NULL," \
  "  file_id INTEGER NOT NULL," \
  "  path BLOB NOT NULL," \
  "  PRIMARY KEY (message, file_id)) WITHOUT ROWID;" \
  "CREATE TRIGGER IF NOT EXISTS saved_files_forgotten AFTER DELETE ON messages BEGIN" \
  "  DELETE FROM saved_files WHERE message = old.id;" \
  "END;"

/* For a stored message (its history id set), from the conversation store
 * each time it follows one: a new message with files has them written; one
 * read from history gets its files and offer state back (an offer of ours
 * that was open is expired: nobody serves it after a restart). From then on
 * its offer state is kept as it changes, and where its files are saved
 * (lan_history_files_set_saved). With @self NULL, nothing. FALSE with
 * @error when history failed. */
gboolean    lan_history_files_follow    (LanHistory  *self,
                                         LanMessage  *message,
                                         GError     **error);
/* File @file_id of @message (an offer made to us) was saved at @path, an
 * absolute path: noted on @message, and in the history that follows it
 * (none: on @message only). FALSE with @error when history failed; it is
 * noted on @message all the same. */
gboolean    lan_history_files_set_saved (LanMessage  *message,
                                         guint64      file_id,
                                         const char  *path,
                                         GError     **error);
/* Where file @file_id of @message was saved, in this run or (from history)
 * an earlier one; the file may have gone since.
 * Returns: (transfer none) (nullable): an absolute path, in the file
 * system's encoding (show it through g_filename_display_name() and
 * lan_display_text()). */
const char *lan_history_files_get_saved (LanMessage  *message,
                                         guint64      file_id);

G_END_DECLS

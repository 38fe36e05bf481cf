/* lan-history-files.c — an offer's files and state in history.
 *
 * Where its files were saved is kept on the message itself (object data:
 * LanMessage knows nothing of files on disk), with the history that
 * follows it, so that whoever sees a fetch end can note it with the
 * message alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-history-files"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "lan-history-files.h"
#include "lan-ipmsg.h"

#define SAVED_KEY   "lan-history-files-saved"    /* GHashTable: file id (gint64 *) → path */
#define HISTORY_KEY "lan-history-files-history"  /* LanHistory, a reference */

static gboolean
failed (GError **error,
        int      rc)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Writing history failed: %s"), sqlite3_errstr (rc));
  return FALSE;
}

/* Run @sql on message @id with @text (may be NULL) and @state bound as ?1, ?2, ?3. */
static gboolean
write_row (LanHistory  *self,
           const char  *sql,
           gint64       id,
           const char  *text,
           int          state,
           GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (lan_history_get_db (self), sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return failed (error, rc);
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, state);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || failed (error, rc);
}

static void
offer_state_changed (LanMessage *message,
                     GParamSpec *pspec,
                     LanHistory *self)
{
  g_autoptr(GError) error = NULL;

  /* The store notices a failing history on its next write; here it can only be said. */
  if (!write_row (self, "UPDATE messages SET offer_state = ?3 WHERE id = ?1",
                  lan_message_get_history_id (message), NULL, lan_message_get_offer_state (message), &error))
    g_warning ("Could not keep the state of an offer: %s", error->message);
}

static gboolean
save_files (LanHistory  *self,
            LanMessage  *message,
            GError     **error)
{
  GPtrArray *files = lan_message_get_files (message);
  g_autoptr(GString) records = g_string_new (NULL);

  for (guint i = 0; i < files->len; i++)
    lan_ipmsg_append_file_record (records, g_ptr_array_index (files, i));
  return write_row (self, "UPDATE messages SET files = ?2, offer_state = ?3 WHERE id = ?1",
                    lan_message_get_history_id (message), records->str,
                    lan_message_get_offer_state (message), error);
}

/* Returns: (transfer none): @message's saved paths, made empty when missing. */
static GHashTable *
ensure_saved (LanMessage *message)
{
  GHashTable *saved = g_object_get_data (G_OBJECT (message), SAVED_KEY);

  if (saved == NULL)
    {
      saved = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (message), SAVED_KEY, saved, (GDestroyNotify) g_hash_table_unref);
    }
  return saved;
}

static void
note_saved (LanMessage *message,
            gint64      file_id,
            const char *path)
{
  g_hash_table_replace (ensure_saved (message), g_memdup2 (&file_id, sizeof file_id), g_strdup (path));
}

static gboolean
restore_saved (LanHistory  *self,
               LanMessage  *message,
               GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (lan_history_get_db (self),
                               "SELECT file_id, path FROM saved_files WHERE message = ?", -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return failed (error, rc);
  sqlite3_bind_int64 (stmt, 1, lan_message_get_history_id (message));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *path = sqlite3_column_blob (stmt, 1);
      int length = sqlite3_column_bytes (stmt, 1);
      g_autofree char *copy = g_strndup (path, length);

      /* Written by us; one that is not a whole absolute path is left out. */
      if (path != NULL && strlen (copy) == (gsize) length && g_path_is_absolute (copy))
        note_saved (message, sqlite3_column_int64 (stmt, 0), copy);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || failed (error, rc);
}

static gboolean
restore_files (LanHistory  *self,
               LanMessage  *message,
               GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) files = NULL;
  LanOfferState state = LAN_OFFER_NONE;
  int rc = sqlite3_prepare_v2 (lan_history_get_db (self),
                               "SELECT files, offer_state FROM messages WHERE id = ? AND files IS NOT NULL",
                               -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    return failed (error, rc);
  sqlite3_bind_int64 (stmt, 1, lan_message_get_history_id (message));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const guint8 *records = sqlite3_column_text (stmt, 0);

      /* Written by us; one that can't be read back is left out, not fatal. */
      files = lan_ipmsg_parse_file_list (records, strlen ((const char *) records), NULL);
      state = sqlite3_column_int (stmt, 1);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return failed (error, rc);
  if (files == NULL || files->len == 0)
    return TRUE;
  if (state == LAN_OFFER_OPEN && lan_message_get_direction (message) == LAN_DIRECTION_OUT)
    state = LAN_OFFER_EXPIRED;
  lan_message_set_files (message, files);
  if (state >= LAN_OFFER_OPEN && state <= LAN_OFFER_WITHDRAWN)
    lan_message_set_offer_state (message, state);
  return lan_message_get_direction (message) != LAN_DIRECTION_IN || restore_saved (self, message, error);
}

gboolean
lan_history_files_follow (LanHistory  *self,
                          LanMessage  *message,
                          GError     **error)
{
  g_return_val_if_fail (self == NULL || LAN_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (LAN_IS_MESSAGE (message), FALSE);

  if (self == NULL || lan_message_get_history_id (message) == 0 || lan_message_get_notice (message))
    return TRUE;
  if (lan_message_get_files (message) != NULL ? !save_files (self, message, error)
                                              : !restore_files (self, message, error))
    return FALSE;
  if (lan_message_get_files (message) != NULL)
    {
      g_signal_connect_data (message, "notify::offer-state", G_CALLBACK (offer_state_changed),
                             g_object_ref (self), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
      g_object_set_data_full (G_OBJECT (message), HISTORY_KEY, g_object_ref (self), g_object_unref);
    }
  return TRUE;
}

gboolean
lan_history_files_set_saved (LanMessage  *message,
                             guint64      file_id,
                             const char  *path,
                             GError     **error)
{
  LanHistory *history;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (LAN_IS_MESSAGE (message), FALSE);
  g_return_val_if_fail (path != NULL && g_path_is_absolute (path), FALSE);
  g_return_val_if_fail (file_id <= G_MAXINT64, FALSE);

  if (g_strcmp0 (lan_history_files_get_saved (message, file_id), path) == 0)
    return TRUE;
  note_saved (message, (gint64) file_id, path);

  history = g_object_get_data (G_OBJECT (message), HISTORY_KEY);
  if (history == NULL || lan_message_get_history_id (message) == 0)
    return TRUE;
  rc = sqlite3_prepare_v2 (lan_history_get_db (history),
                           "INSERT OR REPLACE INTO saved_files (message, file_id, path) VALUES (?1, ?2, ?3)",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return failed (error, rc);
  sqlite3_bind_int64 (stmt, 1, lan_message_get_history_id (message));
  sqlite3_bind_int64 (stmt, 2, (gint64) file_id);
  sqlite3_bind_blob (stmt, 3, path, strlen (path), SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || failed (error, rc);
}

const char *
lan_history_files_get_saved (LanMessage *message,
                             guint64     file_id)
{
  GHashTable *saved;
  gint64 key = (gint64) file_id;

  g_return_val_if_fail (LAN_IS_MESSAGE (message), NULL);

  saved = g_object_get_data (G_OBJECT (message), SAVED_KEY);
  return saved != NULL ? g_hash_table_lookup (saved, &key) : NULL;
}

/* lan-history-files.c — an offer's files and state in history.
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
  return TRUE;
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
    g_signal_connect_data (message, "notify::offer-state", G_CALLBACK (offer_state_changed),
                           g_object_ref (self), (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  return TRUE;
}

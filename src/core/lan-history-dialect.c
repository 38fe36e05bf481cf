/* lan-history-dialect.c — each peer's dialect in history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-history-dialect"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "lan-history-dialect.h"

/* On the peer: the text last saved for it (so an unchanged dialect costs
 * no write), and that it was given back what history knew. */
#define SAVED_KEY "lan-history-dialect-saved"

static gboolean
failed (GError     **error,
        LanHistory  *self,
        int          rc)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Writing history failed: %s"),
               sqlite3_errstr (rc));
  return FALSE;
}

gboolean
lan_history_save_dialect (LanHistory  *self,
                          const char  *identity,
                          const char  *dialect,
                          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (lan_history_get_db (self),
                           "INSERT INTO peers (identity, dialect) VALUES (?, ?)"
                           " ON CONFLICT (identity) DO UPDATE SET dialect = excluded.dialect",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return failed (error, self, rc);
  sqlite3_bind_text (stmt, 1, identity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, dialect, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return failed (error, self, rc);
  return TRUE;
}

char *
lan_history_load_dialect (LanHistory  *self,
                          const char  *identity,
                          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  char *dialect = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (lan_history_get_db (self), "SELECT dialect FROM peers WHERE identity = ?",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      failed (error, self, rc);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, identity, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    dialect = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    failed (error, self, rc);
  sqlite3_finalize (stmt);
  return dialect;
}

static gboolean
save_if_changed (LanHistory  *self,
                 LanPeer     *peer,
                 GError     **error)
{
  g_autofree char *text = lan_dialect_to_string (lan_peer_get_dialect (peer));

  if (g_strcmp0 (g_object_get_data (G_OBJECT (peer), SAVED_KEY), text) == 0)
    return TRUE;
  if (!lan_history_save_dialect (self, lan_peer_get_identity (peer), text, error))
    return FALSE;
  g_object_set_data_full (G_OBJECT (peer), SAVED_KEY, g_steal_pointer (&text), g_free);
  return TRUE;
}

static void
on_override_changed (LanPeer    *peer,
                     GParamSpec *pspec,
                     LanHistory *self)
{
  g_autoptr(GError) error = NULL;

  /* The user's choice: a failure here is told where history failures are,
   * at the next write that goes through the store. */
  if (!save_if_changed (self, peer, &error))
    g_warning ("%s", error->message);
}

gboolean
lan_history_dialect_track (LanHistory  *self,
                           LanPeer     *peer,
                           GError     **error)
{
  g_autofree char *stored = NULL;
  LanDialect dialect;
  LanDialect known;

  g_return_val_if_fail (LAN_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (LAN_IS_PEER (peer), FALSE);

  if (g_object_get_data (G_OBJECT (peer), SAVED_KEY) != NULL)
    return save_if_changed (self, peer, error);

  stored = lan_history_load_dialect (self, lan_peer_get_identity (peer), error);
  if (stored == NULL && error != NULL && *error != NULL)
    return FALSE;
  dialect = *lan_peer_get_dialect (peer);
  known = dialect;
  if (stored != NULL && lan_dialect_from_string (&known, stored))
    {
      /* What it wrote just now wins over what it wrote last time; the
       * user's choice stays until the user changes it. */
      if (dialect.override == LAN_DIALECT_AUTOMATIC)
        dialect.override = known.override;
      if (!dialect.legacy_proven && known.legacy_proven)
        {
          dialect.legacy = known.legacy;
          dialect.legacy_proven = TRUE;
        }
      lan_peer_set_dialect (peer, &dialect);
    }
  /* Marks it as given back; "" when history had nothing for it. */
  g_object_set_data_full (G_OBJECT (peer), SAVED_KEY,
                          stored != NULL ? g_steal_pointer (&stored) : g_strdup (""), g_free);
  g_signal_connect_object (peer, "notify::dialect-override", G_CALLBACK (on_override_changed), self, 0);
  return save_if_changed (self, peer, error);
}

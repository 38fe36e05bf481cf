/* lan-history.c — SQLite store for conversations and the outbox.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-history"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>

#include "lan-history-file.h"
#include "lan-history-files.h"
#include "lan-history-search.h"
#include "lan-history.h"

/* Every statement the engine runs per message is prepared once, with
 * SQLITE_PREPARE_PERSISTENT, and reset after each use. */
typedef enum {
  STMT_ADD_MESSAGE,
  STMT_SET_STATE,
  STMT_ADD_NOTICE,
  STMT_HAS_INCOMING,
  STMT_SAVE_PEER,
  STMT_LOOKUP_PEER,
  STMT_LOAD_CONVERSATION,
  STMT_DELETE_CONVERSATION,
  STMT_MAX_SENT,
  N_STMTS
} Statement;

#define MESSAGE_COLUMNS \
  "id, identity, remote, direction, text, time, packet_no, state, error, broadcast, auto_reply, notice, sealed"

static const char * const statement_sql[N_STMTS] = {
  [STMT_ADD_MESSAGE] =
    "INSERT INTO messages (identity, remote, direction, text, time, packet_no, state, error,"
    " broadcast, auto_reply, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  [STMT_SET_STATE] = "UPDATE messages SET state = ?, error = ?, sealed = ? WHERE id = ?",
  [STMT_ADD_NOTICE] =
    "INSERT INTO messages (identity, direction, text, time, packet_no, state, notice)"
    " VALUES (?, 2, ?, ?, 0, 0, ?)",
  [STMT_HAS_INCOMING] =
    "SELECT 1 FROM messages WHERE direction = 0 AND remote = ? AND packet_no = ?"
    " AND text = ? AND time >= ? LIMIT 1",
  [STMT_SAVE_PEER] =
    "INSERT INTO peers (identity, user, host, nickname, address, last_seen)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO UPDATE SET"
    " user = excluded.user, host = excluded.host, nickname = excluded.nickname,"
    " address = excluded.address, last_seen = excluded.last_seen",
  [STMT_LOOKUP_PEER] =
    "SELECT identity, user, host, nickname, address, last_seen FROM peers WHERE identity = ?",
  [STMT_LOAD_CONVERSATION] =
    "SELECT " MESSAGE_COLUMNS " FROM ("
    "  SELECT * FROM messages WHERE identity = ?1 ORDER BY time DESC, id DESC LIMIT ?2)"
    " ORDER BY time, id",
  [STMT_DELETE_CONVERSATION] = "DELETE FROM messages WHERE identity = ?",
  [STMT_MAX_SENT] = "SELECT MAX (packet_no) FROM messages WHERE direction = 1",
};

struct _LanHistory
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;
  sqlite3_stmt *statements[N_STMTS];
};

G_DEFINE_FINAL_TYPE (LanHistory, lan_history, G_TYPE_OBJECT)

/* Errors that mean the file itself is unusable (move it aside), as opposed
 * to in use or not writable (leave it alone). */
#define LAN_HISTORY_ERROR_BROKEN G_IO_ERROR_INVALID_DATA

static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE peers ("
  "  identity TEXT PRIMARY KEY,"
  "  user TEXT NOT NULL DEFAULT '',"
  "  host TEXT NOT NULL DEFAULT '',"
  "  nickname TEXT,"
  "  address TEXT,"
  "  last_seen INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE messages ("
  "  id INTEGER PRIMARY KEY,"
  "  identity TEXT NOT NULL,"
  "  remote TEXT,"
  "  direction INTEGER NOT NULL,"   /* 0 in, 1 out, 2 notice */
  "  text TEXT NOT NULL,"
  "  time INTEGER NOT NULL,"
  "  packet_no INTEGER NOT NULL,"
  "  state INTEGER NOT NULL,"
  "  error TEXT,"
  "  broadcast INTEGER NOT NULL DEFAULT 0,"
  "  auto_reply INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX messages_by_identity ON messages (identity, time);"
  "CREATE INDEX messages_incoming ON messages (remote, packet_no) WHERE direction = 0;"
  "CREATE INDEX messages_outbox ON messages (state) WHERE direction = 1;",
  /* 1 → 2: what each peer reads and writes (lan-history-dialect.c) */ "ALTER TABLE peers ADD COLUMN dialect TEXT;",
  /* 2 → 3 */ LAN_HISTORY_SEARCH_MIGRATION,
  /* 3 → 4: a notice's kind and arguments, JSON (lan-notice.c) */ "ALTER TABLE messages ADD COLUMN notice TEXT;",
  /* 4 → 5: a sealed message stays sealed until opened */ "ALTER TABLE messages ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;",
  /* 5 → 6: the files a message offers and its offer's state (lan-history-files.c) */ LAN_HISTORY_FILES_MIGRATION,
  /* 6 → 7: where the files offered to us were saved (lan-history-files.c) */ LAN_HISTORY_FILES_SAVED_MIGRATION,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == LAN_HISTORY_SCHEMA_VERSION);

static void
lan_history_finalize (GObject *object)
{
  LanHistory *self = LAN_HISTORY (object);

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->statements[i], sqlite3_finalize);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  G_OBJECT_CLASS (lan_history_parent_class)->finalize (object);
}

static void
lan_history_class_init (LanHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = lan_history_finalize;
}

static void
lan_history_init (LanHistory *self)
{
}

static void
set_sqlite_error (GError    **error,
                  sqlite3    *db,
                  int         code,
                  const char *what)
{
  int primary = code & 0xff;
  int domain_code;

  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
    domain_code = LAN_HISTORY_ERROR_BROKEN;
  else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    domain_code = G_IO_ERROR_BUSY;
  else if (primary == SQLITE_READONLY || primary == SQLITE_PERM || primary == SQLITE_CANTOPEN)
    domain_code = G_IO_ERROR_PERMISSION_DENIED;
  else if (primary == SQLITE_FULL)
    domain_code = G_IO_ERROR_NO_SPACE;
  else
    domain_code = G_IO_ERROR_FAILED;

  g_set_error (error, G_IO_ERROR, domain_code, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (code));
}

static gboolean
exec (LanHistory  *self,
      const char  *sql,
      GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, _("History database"));
      return FALSE;
    }
  return TRUE;
}

static sqlite3_stmt *
prepare (LanHistory  *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, _("History database"));
      return NULL;
    }
  return stmt;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The cached statement @which, ready to bind; give it back with release(). */
static sqlite3_stmt *
statement (LanHistory  *self,
           Statement    which,
           GError     **error)
{
  int rc;

  if (self->statements[which] != NULL)
    return self->statements[which];
  rc = sqlite3_prepare_v3 (self->db, statement_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                           &self->statements[which], NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, _("History database"));
      return NULL;
    }
  return self->statements[which];
}

static void
release (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

typedef sqlite3_stmt CachedStatement;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachedStatement, release)

static gboolean
step_done (LanHistory    *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, _("Writing history failed"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (LanHistory  *self,
         GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "PRAGMA user_version", error);
  int version;
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, _("Reading history failed"));
      return FALSE;
    }
  version = sqlite3_column_int (stmt, 0);

  if (version > LAN_HISTORY_SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, LAN_HISTORY_ERROR_BROKEN,
                   _("The history was written by a newer Lanchat (schema %d; this one knows %d)"),
                   version, LAN_HISTORY_SCHEMA_VERSION);
      return FALSE;
    }

  for (; version < LAN_HISTORY_SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d;", version + 1);

      if (!exec (self, "BEGIN IMMEDIATE;", error))
        return FALSE;
      if (!exec (self, migrations[version], error) || !exec (self, bump, error))
        {
          g_autoptr(GError) rollback_error = NULL;

          /* The migration's own error is what the caller needs; this one only matters to a developer. */
          if (!exec (self, "ROLLBACK;", &rollback_error))
            g_warning ("Undoing a failed history migration failed too: %s", rollback_error->message);
          return FALSE;
        }
      if (!exec (self, "COMMIT;", error))
        return FALSE;
    }
  return TRUE;
}

LanHistory *
lan_history_open (const char  *path,
                  GError     **error)
{
  g_autoptr(LanHistory) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (!lan_history_file_prepare (path, error))
    return NULL;

  self = g_object_new (LAN_TYPE_HISTORY, NULL);
  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, _("Cannot open the history"));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 1000);

  /* Before anything writes: a newer Lanchat's file is refused untouched. */
  if (!lan_history_file_check_version (self->db, LAN_HISTORY_SCHEMA_VERSION, error))
    return NULL;
  if (!exec (self, "PRAGMA journal_mode = WAL;", error) ||
      !exec (self, "PRAGMA synchronous = NORMAL;", error) ||
      !migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

LanHistory *
lan_history_open_or_recover (const char  *path,
                             char       **out_warning)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) fresh_error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *aside = NULL;
  LanHistory *history;

  history = lan_history_open (path, &error);
  if (history != NULL)
    return history;

  if (!g_error_matches (error, G_IO_ERROR, LAN_HISTORY_ERROR_BROKEN))
    {
      /* In use by another Lanchat, or not writable: leave it be and chat without. */
      if (out_warning != NULL)
        *out_warning = g_strdup_printf (_("History is off for now: %s"), error->message);
      return NULL;
    }

  now = g_date_time_new_now_local ();
  stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  aside = g_strdup_printf ("%s.broken-%s", path, stamp);
  if (g_rename (path, aside) != 0)
    {
      if (out_warning != NULL)
        *out_warning = g_strdup_printf (_("History is off: %s, and it could not be moved aside: %s"),
                                        error->message, g_strerror (errno));
      return NULL;
    }
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    /* A WAL of the broken file must not be replayed into the fresh one. */
    (void) g_unlink (wal);
    (void) g_unlink (shm);
  }

  history = lan_history_open (path, &fresh_error);
  if (out_warning != NULL)
    {
      if (history != NULL)
        *out_warning = g_strdup_printf (_("The history could not be read (%s). It was kept as %s "
                                          "and a new one started."), error->message, aside);
      else
        *out_warning = g_strdup_printf (_("History is off: %s"), fresh_error->message);
    }
  return history;
}

gint64
lan_history_add_message (LanHistory  *self,
                         const char  *identity,
                         const char  *remote,
                         LanMessage  *message,
                         GError     **error)
{
  g_autoptr(CachedStatement) stmt = statement (self, STMT_ADD_MESSAGE, error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, identity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, remote, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, lan_message_get_direction (message));
  sqlite3_bind_text (stmt, 4, lan_message_get_text (message), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, lan_message_get_time (message));
  sqlite3_bind_int64 (stmt, 6, (sqlite3_int64) lan_message_get_packet_no (message));
  sqlite3_bind_int (stmt, 7, lan_message_get_state (message));
  sqlite3_bind_text (stmt, 8, lan_message_get_error (message), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 9, lan_message_get_broadcast (message));
  sqlite3_bind_int (stmt, 10, lan_message_get_auto_reply (message));
  sqlite3_bind_int (stmt, 11, lan_message_get_sealed (message));
  if (!step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

gboolean
lan_history_set_state (LanHistory       *self,
                       gint64            id,
                       LanMessageState   state,
                       const char       *error_text,
                       gboolean          sealed,
                       GError          **error)
{
  g_autoptr(CachedStatement) stmt = statement (self, STMT_SET_STATE, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, state);
  sqlite3_bind_text (stmt, 2, error_text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, sealed);
  sqlite3_bind_int64 (stmt, 4, id);
  return step_done (self, stmt, error);
}

gboolean
lan_history_add_notice (LanHistory  *self,
                        const char  *identity,
                        const char  *text,
                        gint64       time_us,
                        const char  *notice,
                        GError     **error)
{
  g_autoptr(CachedStatement) stmt = statement (self, STMT_ADD_NOTICE, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, identity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, time_us);
  sqlite3_bind_text (stmt, 4, notice, -1, SQLITE_TRANSIENT);
  return step_done (self, stmt, error);
}

gboolean
lan_history_has_incoming (LanHistory  *self,
                          const char  *remote,
                          guint64      packet_no,
                          const char  *text,
                          gint64       since_us,
                          GError     **error)
{
  g_autoptr(CachedStatement) stmt = statement (self, STMT_HAS_INCOMING, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, remote, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, (sqlite3_int64) packet_no);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, since_us);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_sqlite_error (error, self->db, rc, _("Reading history failed"));
  return rc == SQLITE_ROW;
}

gboolean
lan_history_save_peer (LanHistory            *self,
                       const LanHistoryPeer  *peer,
                       GError               **error)
{
  g_autoptr(CachedStatement) stmt = statement (self, STMT_SAVE_PEER, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, peer->identity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, peer->user != NULL ? peer->user : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, peer->host != NULL ? peer->host : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, peer->nickname, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, peer->address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, peer->last_seen);
  return step_done (self, stmt, error);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

LanHistoryPeer *
lan_history_lookup_peer (LanHistory  *self,
                         const char  *identity,
                         GError     **error)
{
  g_autoptr(CachedStatement) stmt = statement (self, STMT_LOOKUP_PEER, error);
  LanHistoryPeer *peer;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, identity, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc != SQLITE_DONE)
        set_sqlite_error (error, self->db, rc, _("Reading history failed"));
      return NULL;
    }
  peer = g_new0 (LanHistoryPeer, 1);
  peer->identity = column_dup (stmt, 0);
  peer->user = column_dup (stmt, 1);
  peer->host = column_dup (stmt, 2);
  peer->nickname = column_dup (stmt, 3);
  peer->address = column_dup (stmt, 4);
  peer->last_seen = sqlite3_column_int64 (stmt, 5);
  return peer;
}

static GPtrArray *
read_rows (LanHistory    *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_history_message_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      LanHistoryMessage *message = g_new0 (LanHistoryMessage, 1);
      int direction = sqlite3_column_int (stmt, 3);

      message->id = sqlite3_column_int64 (stmt, 0);
      message->identity = column_dup (stmt, 1);
      message->remote = column_dup (stmt, 2);
      message->notice = direction == 2;
      message->direction = direction == 1 ? LAN_DIRECTION_OUT : LAN_DIRECTION_IN;
      message->text = column_dup (stmt, 4);
      message->time_us = sqlite3_column_int64 (stmt, 5);
      message->packet_no = (guint64) sqlite3_column_int64 (stmt, 6);
      message->state = (LanMessageState) CLAMP (sqlite3_column_int (stmt, 7), 0, LAN_MESSAGE_SENT);
      message->error = column_dup (stmt, 8);
      message->broadcast = sqlite3_column_int (stmt, 9) != 0;
      message->auto_reply = sqlite3_column_int (stmt, 10) != 0;
      message->notice_json = column_dup (stmt, 11);
      message->sealed = sqlite3_column_int (stmt, 12) != 0;
      if (message->text == NULL)
        message->text = g_strdup ("");
      g_ptr_array_add (result, message);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, _("Reading history failed"));
      return NULL;
    }
  return g_steal_pointer (&result);
}

/* Statements run once per session: not worth keeping prepared. */
static GPtrArray *
load (LanHistory  *self,
      const char  *sql,
      int          limit,
      GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return NULL;
  if (limit > 0)
    sqlite3_bind_int (stmt, 1, limit);
  return read_rows (self, stmt, error);
}

GPtrArray *
lan_history_load_messages (LanHistory  *self,
                           guint        limit,
                           GError     **error)
{
  return load (self,
               "SELECT " MESSAGE_COLUMNS " FROM ("
               "  SELECT *, ROW_NUMBER () OVER (PARTITION BY identity ORDER BY time DESC, id DESC) AS age"
               "  FROM messages)"
               " WHERE age <= ?1 ORDER BY identity, time, id",
               (int) MIN (limit, (guint) G_MAXINT), error);
}

GPtrArray *
lan_history_load_conversation (LanHistory  *self,
                               const char  *identity,
                               guint        limit,
                               GError     **error)
{
  g_autoptr(CachedStatement) stmt = statement (self, STMT_LOAD_CONVERSATION, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, identity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, (int) MIN (limit, (guint) G_MAXINT));
  return read_rows (self, stmt, error);
}

GPtrArray *
lan_history_load_outbox (LanHistory  *self,
                         GError     **error)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT " MESSAGE_COLUMNS " FROM messages WHERE direction = 1 AND state IN (%d, %d)"
                     " ORDER BY time, id", LAN_MESSAGE_QUEUED, LAN_MESSAGE_SENDING);

  return load (self, sql, 0, error);
}

gboolean
lan_history_delete_conversation (LanHistory  *self,
                                 const char  *identity,
                                 GError     **error)
{
  g_autoptr(CachedStatement) stmt = statement (self, STMT_DELETE_CONVERSATION, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, identity, -1, SQLITE_TRANSIENT);
  return step_done (self, stmt, error);
}

gboolean
lan_history_clear (LanHistory  *self,
                   GError     **error)
{
  return exec (self, "DELETE FROM messages; DELETE FROM peers;", error);
}

gint64
lan_history_prune (LanHistory  *self,
                   guint        days,
                   GError     **error)
{
  g_autofree char *sql =
    g_strdup_printf ("DELETE FROM messages WHERE time < ? AND NOT (direction = 1 AND state IN (%d, %d))",
                     LAN_MESSAGE_QUEUED, LAN_MESSAGE_SENDING);
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () - (gint64) days * 24 * 3600 * G_USEC_PER_SEC);
  if (!step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (self->db);
}

guint64
lan_history_max_sent_packet_no (LanHistory  *self,
                                GError     **error)
{
  g_autoptr(CachedStatement) stmt = statement (self, STMT_MAX_SENT, error);
  int rc;

  if (stmt == NULL)
    return 0;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, _("Reading history failed"));
      return 0;
    }
  return (guint64) sqlite3_column_int64 (stmt, 0);
}

sqlite3 *lan_history_get_db (LanHistory *self) { return self->db; }

GPtrArray *
lan_history_list_written_to (LanHistory  *self,
                             GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT DISTINCT identity FROM messages WHERE direction = 1", error);
  g_autoptr(GPtrArray) identities = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (identities, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, _("Reading history failed"));
      return NULL;
    }
  return g_steal_pointer (&identities);
}

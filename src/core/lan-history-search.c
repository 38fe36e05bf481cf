/* lan-history-search.c — full-text search over stored messages, and freeing
 * a stored message (here because lan-history.c is full).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-history-search"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "lan-display-text.h"
#include "lan-history-search.h"

/* FTS5 query syntax would read quotes, AND, NEAR, * … in what a person
 * typed: each word becomes one quoted phrase. */
static char *
quote_phrase (const char *word)
{
  GString *phrase = g_string_new ("\"");

  for (const char *p = word; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (phrase, '"');
      g_string_append_c (phrase, *p);
    }
  g_string_append_c (phrase, '"');
  return g_string_free (phrase, FALSE);
}

static gboolean
fail (GError     **error,
      sqlite3     *db,
      const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const unsigned char *text = sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static LanHistoryMessage *
read_row (sqlite3_stmt *stmt)
{
  LanHistoryMessage *message = g_new0 (LanHistoryMessage, 1);

  message->id = sqlite3_column_int64 (stmt, 0);
  message->identity = column_dup (stmt, 1);
  message->remote = column_dup (stmt, 2);
  message->direction = sqlite3_column_int (stmt, 3) == 1 ? LAN_DIRECTION_OUT : LAN_DIRECTION_IN;
  message->text = column_dup (stmt, 4);
  if (message->text == NULL)
    message->text = g_strdup ("");
  message->time_us = sqlite3_column_int64 (stmt, 5);
  message->packet_no = (guint64) sqlite3_column_int64 (stmt, 6);
  message->state = (LanMessageState) CLAMP (sqlite3_column_int (stmt, 7), 0, LAN_MESSAGE_SENT);
  message->error = column_dup (stmt, 8);
  message->broadcast = sqlite3_column_int (stmt, 9) != 0;
  message->auto_reply = sqlite3_column_int (stmt, 10) != 0;
  message->sealed = sqlite3_column_int (stmt, 11) != 0;
  return message;
}

GPtrArray *
lan_history_search (const char  *path,
                    const char  *identity,
                    const char  *words,
                    guint        limit,
                    GError     **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_history_message_free);
  g_auto(GStrv) split = NULL;
  g_autoptr(GPtrArray) short_words = g_ptr_array_new ();
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(GString) sql = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;
  int n = 1;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  split = g_regex_split_simple ("\\s+", words != NULL ? words : "", 0, 0);
  for (guint i = 0; split[i] != NULL; i++)
    {
      g_autofree char *phrase = NULL;

      if (*split[i] == '\0')
        continue;
      if (g_utf8_strlen (split[i], -1) < 3)
        {
          g_ptr_array_add (short_words, split[i]);
          continue;
        }
      phrase = quote_phrase (split[i]);
      g_string_append_printf (match, "%s%s", match->len > 0 ? " AND " : "", phrase);
    }

  sql = g_string_new ("SELECT id, identity, remote, direction, text, time, packet_no, state, error,"
                      " broadcast, auto_reply, sealed FROM messages WHERE direction != 2");
  if (identity != NULL)
    g_string_append_printf (sql, " AND identity = ?%d", n++);
  if (match->len > 0)
    g_string_append_printf (sql, " AND id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?%d)", n++);
  /* instr() is exact about case; lower() folds ASCII, which is what has case here. */
  for (guint i = 0; i < short_words->len; i++)
    g_string_append_printf (sql, " AND instr (lower (text), lower (?%d)) > 0", n++);
  g_string_append (sql, " ORDER BY time DESC, id DESC");
  if (limit > 0)
    g_string_append_printf (sql, " LIMIT %u", limit);

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      fail (error, db, _("Cannot open history"));
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 2000);
  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      fail (error, db, _("Cannot search history"));
      sqlite3_close_v2 (db);
      return NULL;
    }
  n = 1;
  if (identity != NULL)
    sqlite3_bind_text (stmt, n++, identity, -1, SQLITE_TRANSIENT);
  if (match->len > 0)
    sqlite3_bind_text (stmt, n++, match->str, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < short_words->len; i++)
    sqlite3_bind_text (stmt, n++, g_ptr_array_index (short_words, i), -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, read_row (stmt));
  if (rc != SQLITE_DONE)
    {
      fail (error, db, _("Cannot search history"));
      sqlite3_finalize (stmt);
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);
  /* Newest first was for the limit; oldest first reads like a conversation. */
  for (guint i = 0; i < result->len / 2; i++)
    {
      gpointer swap = result->pdata[i];

      result->pdata[i] = result->pdata[result->len - 1 - i];
      result->pdata[result->len - 1 - i] = swap;
    }
  return g_steal_pointer (&result);
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);

  return time != NULL ? g_date_time_format_iso8601 (time) : g_strdup ("?");
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

char *
lan_history_format_message (const LanHistoryMessage *message,
                            gboolean                 json)
{
  g_autofree char *time = format_time (message->time_us);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *packet_no = NULL;

  g_return_val_if_fail (message != NULL, NULL);

  if (!json)
    {
      g_autofree char *identity = lan_display_text (message->identity, LAN_DISPLAY_TEXT_TERMINAL, LAN_DISPLAY_TEXT_ALL);
      g_autofree char *text = lan_display_text (message->text, LAN_DISPLAY_TEXT_TERMINAL, LAN_DISPLAY_TEXT_ALL);

      return g_strdup_printf ("%s %s %s: %s", time, message->direction == LAN_DIRECTION_OUT ? "→" : "←",
                              identity, text);
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, message->id);
  add_member (builder, "identity", message->identity);
  add_member (builder, "remote", message->remote);
  add_member (builder, "direction", message->direction == LAN_DIRECTION_OUT ? "out" : "in");
  add_member (builder, "time", time);
  json_builder_set_member_name (builder, "time_us");
  json_builder_add_int_value (builder, message->time_us);
  /* Unsigned 64 bits do not all fit a JSON number: the digits, as text. */
  packet_no = g_strdup_printf ("%" G_GUINT64_FORMAT, message->packet_no);
  add_member (builder, "packet_no", packet_no);
  add_member (builder, "state", lan_message_state_to_string (message->state));
  json_builder_set_member_name (builder, "broadcast");
  json_builder_add_boolean_value (builder, message->broadcast);
  json_builder_set_member_name (builder, "auto_reply");
  json_builder_add_boolean_value (builder, message->auto_reply);
  add_member (builder, "text", message->text);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return json_to_string (node, FALSE);
}

gint64
lan_history_export (const char  *path,
                    const char  *identity,
                    gboolean     json,
                    GFile       *file,
                    GError     **error)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (path != NULL && identity != NULL, -1);
  g_return_val_if_fail (G_IS_FILE (file), -1);

  messages = lan_history_search (path, identity, NULL, 0, error);
  if (messages == NULL)
    return -1;
  for (guint i = 0; i < messages->len; i++)
    {
      g_autofree char *line = lan_history_format_message (g_ptr_array_index (messages, i), json);

      g_string_append (out, line);
      g_string_append_c (out, '\n');
    }
  if (!g_file_replace_contents (file, out->str, out->len, NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error))
    return -1;
  return messages->len;
}

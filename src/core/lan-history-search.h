/* lan-history-search.h — full-text search over stored messages.
 *
 * SQLite FTS5 with the trigram tokenizer (SQLite 3.34+; Debian 12 has
 * 3.40.1): it indexes every three characters, so it finds substrings in
 * text without spaces between words — Chinese and Japanese — as well as
 * inside Latin words, case-insensitively. A word shorter than three
 * characters (二字 words are most of Chinese) cannot use a trigram index,
 * and SQLite 3.40 answers such a MATCH or LIKE on the index with nothing,
 * so those words are looked for with instr() in the rows the longer ones
 * left (or in all of them).
 *
 * The index is an external-content table over `messages`, kept in step by
 * triggers; the migration fills it from the rows already there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-history.h"

G_BEGIN_DECLS

/* Appended to lan-history.c's migrations[]. */
#define LAN_HISTORY_SEARCH_MIGRATION \
  "CREATE VIRTUAL TABLE messages_fts USING fts5 (text, content = 'messages'," \
  " content_rowid = 'id', tokenize = 'trigram');" \
  "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN" \
  "  INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text); END;" \
  "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN" \
  "  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text); END;" \
  "CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN" \
  "  INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);" \
  "  INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text); END;" \
  "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');"

/* Messages (no notices) stored in the history file at @path, oldest first:
 * of @identity (NULL: every conversation, the broadcast one is "*"), that
 * contain every word of @words (split at white space; NULL or blank: all),
 * the newest @limit (0: all). The file is opened read-only for this: it
 * must exist (lan_history_open() makes and migrates it).
 * Returns: (transfer full) (element-type LanHistoryMessage) (nullable) */
GPtrArray *lan_history_search (const char  *path,
                               const char  *identity,
                               const char  *words,
                               guint        limit,
                               GError     **error);

/* One line for @message, no line end: "2026-12-01T10:05:00+01 ← carol@lab: text"
 * (text through lan_display_text TERMINAL, nothing hidden), or with @json
 * an object: id, identity, remote, direction ("in"/"out"), time (ISO 8601),
 * time_us, packet_no (digits, as text), state, broadcast, auto_reply, text.
 * Returns: (transfer full) */
char      *lan_history_format_message (const LanHistoryMessage *message,
                                       gboolean                 json);
/* Writes the conversation with @identity from the history at @path to
 * @file (replacing it), one line per message as lan_history_format_message().
 * The number of messages, or -1 with @error. */
gint64     lan_history_export         (const char  *path,
                                       const char  *identity,
                                       gboolean     json,
                                       GFile       *file,
                                       GError     **error);

G_END_DECLS

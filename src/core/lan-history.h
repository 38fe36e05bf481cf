/* lan-history.h — conversations and the outbox on SQLite.
 *
 * One file (WAL), readable by the user only, schema versioned with
 * migrations. Writes are synchronous on purpose: a received message must be
 * committed before its acknowledgement goes out, and a transaction in WAL
 * mode with synchronous=NORMAL costs tens of microseconds and survives the
 * process being killed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-message.h"

G_BEGIN_DECLS

#define LAN_HISTORY_SCHEMA_VERSION 7

#define LAN_TYPE_HISTORY (lan_history_get_type ())
G_DECLARE_FINAL_TYPE (LanHistory, lan_history, LAN, HISTORY, GObject)

/* A stored message, as loaded. */
typedef struct {
  gint64           id;
  char            *identity;   /* "user@host", or "address:port" for a peer that never said */
  char            *remote;     /* "address:port" at the time */
  LanDirection     direction;
  gboolean         notice;     /* a line from Lanchat itself ("address changed") */
  char            *text;
  gint64           time_us;
  guint64          packet_no;
  LanMessageState  state;
  char            *error;
  gboolean         broadcast;
  gboolean         auto_reply;
  char            *notice_json; /* a notice's kind and arguments (lan-notice.h), or NULL */
  gboolean         sealed;     /* came sealed (SECRETOPT) and not opened yet */
} LanHistoryMessage;

typedef struct {
  char   *identity;
  char   *user;
  char   *host;
  char   *nickname;
  char   *address;   /* last "address:port" */
  gint64  last_seen;
} LanHistoryPeer;

/* Open (creating it, and its folder, mode 0600) or fail. A file that is not
 * a database, a newer schema, or a locked file are errors.
 * Returns: (transfer full) (nullable) */
LanHistory *lan_history_open             (const char   *path,
                                          GError      **error);
/* Open @path; when it can't be used, move it aside ("….broken-TIME") and
 * start a fresh one; when that fails too, return NULL. @out_warning (may be
 * NULL) says what happened in words for a person, or stays NULL.
 * Returns: (transfer full) (nullable) */
LanHistory *lan_history_open_or_recover  (const char   *path,
                                          char        **out_warning);

/* Returns the row id, or 0 with @error. */
gint64      lan_history_add_message      (LanHistory   *self,
                                          const char   *identity,
                                          const char   *remote,
                                          LanMessage   *message,
                                          GError      **error);
gboolean    lan_history_set_state        (LanHistory   *self,
                                          gint64        id,
                                          LanMessageState state,
                                          const char   *error_text,
                                          gboolean      sealed,
                                          GError      **error);
/* @text as shown now (search, older readers); @notice, when not NULL, its
 * kind and arguments as lan_notice_to_json() writes them. */
gboolean    lan_history_add_notice       (LanHistory   *self,
                                          const char   *identity,
                                          const char   *text,
                                          gint64        time_us,
                                          const char   *notice,
                                          GError      **error);
/* TRUE when an incoming message from @remote with @packet_no and @text was
 * stored at or after @since_us: the sender's resend of something we already
 * have (our acknowledgement was lost, or we were restarted). FALSE with
 * @error when the question could not be asked. */
gboolean    lan_history_has_incoming     (LanHistory   *self,
                                          const char   *remote,
                                          guint64       packet_no,
                                          const char   *text,
                                          gint64        since_us,
                                          GError      **error);
gboolean    lan_history_save_peer        (LanHistory   *self,
                                          const LanHistoryPeer *peer,
                                          GError      **error);
/* NULL when unknown (@error unset) or on an error.
 * Returns: (transfer full) (nullable) */
LanHistoryPeer *lan_history_lookup_peer  (LanHistory   *self,
                                          const char   *identity,
                                          GError      **error);

/* The newest @limit messages of each conversation, oldest first; LanHistoryMessage.
 * Returns: (transfer full) (element-type LanHistoryMessage) (nullable) */
GPtrArray  *lan_history_load_messages    (LanHistory   *self,
                                          guint         limit,
                                          GError      **error);
/* The newest @limit messages with @identity, oldest first.
 * Returns: (transfer full) (element-type LanHistoryMessage) (nullable) */
GPtrArray  *lan_history_load_conversation (LanHistory  *self,
                                           const char  *identity,
                                           guint        limit,
                                           GError     **error);
/* Outgoing messages still waiting (queued, or sending when we stopped).
 * Returns: (transfer full) (element-type LanHistoryMessage) (nullable) */
GPtrArray  *lan_history_load_outbox      (LanHistory   *self,
                                          GError      **error);

gboolean    lan_history_delete_conversation (LanHistory *self,
                                             const char *identity,
                                             GError    **error);
gboolean    lan_history_clear            (LanHistory   *self,
                                          GError      **error);
/* Delete messages older than @days days (queued ones are kept). Returns how many, or -1. */
gint64      lan_history_prune            (LanHistory   *self,
                                          guint         days,
                                          GError      **error);

/* The largest packet-no we ever sent, so a restart continues above it; 0
 * when none (or with @error). */
guint64     lan_history_max_sent_packet_no (LanHistory  *self,
                                            GError     **error);

/* The connection, for the history code kept in files of its own
 * (lan-history-dialect.c). (transfer none) */
struct sqlite3 *lan_history_get_db       (LanHistory        *self);
/* The identities we ever sent a message to (known people, for the
 * history budget), or NULL with @error.
 * Returns: (transfer full) (element-type utf8) */
GPtrArray  *lan_history_list_written_to  (LanHistory   *self,
                                          GError      **error);

void        lan_history_message_free     (LanHistoryMessage *message);
void        lan_history_peer_free        (LanHistoryPeer    *peer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanHistoryPeer, lan_history_peer_free)

G_END_DECLS

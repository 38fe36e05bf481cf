/* lan-file-serve.h — one connection of the file server (lan-file-server.h),
 * inside the server only: lan-file-server.c reads its request,
 * lan-file-serve.c runs its life (time-outs, writes, the end),
 * lan-file-serve-file.c streams a file's bytes and lan-file-serve-dir.c a
 * folder's stream.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-dialect.h"
#include "lan-file-server.h"

G_BEGIN_DECLS

typedef enum {
  LAN_SERVE_READING,   /* waiting for the request */
  LAN_SERVE_SERVING,   /* bytes going out */
  LAN_SERVE_DRAINING,  /* done: our side shut, waiting for the peer to close */
  LAN_SERVE_CLOSED,
} LanServePhase;

typedef struct _LanServeConn LanServeConn;

/* What comes after a file's last byte: the next entry of a folder, or the end. */
typedef void (*LanServeNext) (LanServeConn *conn);

struct _LanServeConn
{
  grefcount          ref_count;
  LanFileServer     *server;       /* NULL once closed (or the server stopped) */
  GSocketConnection *connection;
  GCancellable      *cancellable;
  LanEndpoint        local;
  LanEndpoint        remote;
  LanServePhase      phase;
  gboolean           finished;     /* its transfer ended; closing */
  guint              pending;      /* async operations not returned yet */
  GSource           *deadline;     /* request, stall or drain time-out */

  guint8            *buffer;       /* LAN_FILE_SERVE_BUFFER_BYTES */
  gsize              request_len;
  GBytes            *request;      /* the request's bytes, for the summary row */
  LanIpmsgPacket    *packet;

  LanFileOffer      *offer;        /* a reference */
  LanOfferedFile    *offered;      /* borrowed from offer */
  LanFileTransfer   *transfer;
  LanDialect         dialect;      /* of the peer: how names go out */
  gint64             started_us;   /* monotonic */
  guint64            moved;        /* bytes written to the connection */

  /* The file being streamed. */
  GInputStream      *file_in;
  guint64            file_offset;  /* where the next byte comes from */
  guint64            remaining;
  LanServeNext       after_file;
  GSource           *writable;     /* sendfile(2): the socket can take more */
  gboolean           buffer_only;  /* never sendfile (the server's choice, for tests) */
  gboolean           no_sendfile;  /* it refused this file: read and write */
  gboolean           sendfile_sent; /* a byte of this file went out by sendfile */

  /* A folder: one enumerator per level, innermost first. */
  GQueue             levels;
  GString           *header;
  guint64            announced;    /* bytes of files announced in its headers */
};

/* Returns: (transfer full): @conn, one more reference. */
LanServeConn *lan_serve_conn_ref        (LanServeConn *conn);
void          lan_serve_conn_unref      (LanServeConn *conn);
/* An async operation on @conn starts / has returned; end returns FALSE
 * when the transfer was finished meanwhile (then do nothing more). */
void          lan_serve_conn_begin      (LanServeConn *conn);
gboolean      lan_serve_conn_end        (LanServeConn *conn);
/* The transfer ended: log its summary, close (gracefully when done). */
void          lan_serve_conn_finish     (LanServeConn     *conn,
                                         LanTransferState  state,
                                         const char       *why);
/* Out of the server's list (closed, or the server stops). */
void          lan_serve_conn_detach     (LanServeConn *conn);
/* @error ended it: cancelled or failed, in words. */
void          lan_serve_conn_fail       (LanServeConn *conn,
                                         const char   *what,
                                         const GError *error);
/* Stream @size bytes of @file from @offset, then call @next; @file NULL:
 * from conn->file_in, opened already. */
void          lan_serve_conn_send_file  (LanServeConn *conn,
                                         GFile        *file,
                                         guint64       offset,
                                         guint64       size,
                                         LanServeNext  next);
/* Write the first @len bytes of conn->buffer, then call @next. */
void          lan_serve_conn_write_buffer (LanServeConn *conn,
                                           gsize         len,
                                           LanServeNext  next);
/* Write @data (copied into the buffer: at most its size), then call @next. */
void          lan_serve_conn_write      (LanServeConn *conn,
                                         const guint8 *data,
                                         gsize         len,
                                         LanServeNext  next);
/* The time-out (of the phase it is in) falls @ms from now. */
void          lan_serve_conn_arm_deadline (LanServeConn *conn,
                                           guint         ms);
/* Progress moved: the stall time-out starts again. */
void          lan_serve_conn_progress   (LanServeConn *conn,
                                         gsize         bytes);

/* A log row of this connection (LAN_DATAGRAM_TCP | @flags) with its request's bytes. */
void          lan_serve_conn_log        (LanServeConn     *conn,
                                         LanDatagramFlags  flags,
                                         LanDirection      direction,
                                         LanVerdict        verdict,
                                         const char       *detail);
/* No whole request came in time (lan-file-server.c). */
void          lan_serve_request_timed_out (LanServeConn *conn);
/* Serve conn->offered, a folder, as GETDIRFILES asks. */
void          lan_serve_dir_start       (LanServeConn *conn);
/* What the file and the folder parts hold, let go (the connection's end). */
void          lan_serve_file_clear      (LanServeConn *conn);
void          lan_serve_dir_clear       (LanServeConn *conn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanServeConn, lan_serve_conn_unref)

G_END_DECLS

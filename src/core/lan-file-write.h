/* lan-file-write.h — a buffer written to a file in pieces, in GIO's pool or,
 * while the disk has shown itself fast, on the calling thread.
 *
 * Like g_output_stream_write_all_async() on a GUnixOutputStream, but the
 * buffer goes out with one write(2) per LAN_FETCH_WRITE_BYTES: on Linux 6.18
 * ext4 (large folios), buffered writes of 1 MiB a call ran at 0.5-3 GB/s, of
 * 4 MiB at 0.9-1.7, where the same bytes in 256 KiB calls ran at 4.7-5.1 GB/s
 * every time (bench/write-pieces.py), and a fetch's buffers are of
 * LAN_FETCH_BUFFER_BYTES. The stream is pending until the finish (so a close
 * meanwhile fails with G_IO_ERROR_PENDING, and the descriptor stays open for
 * the write, as with GIO's own asynchronous writes), and @callback always
 * runs from the main context (at LAN_FILE_IO_PRIORITY), never inside
 * lan_file_write_async().
 *
 * A LanFileWritePace (one a fetch) decides where the pieces are written. A
 * write into the page cache of a local disk takes ~0.1 ms a piece, and on a
 * small machine the hop to a pool thread and back costs more than that: in
 * six A/B runs of bench-files (2 GiB, 8-10 rounds, each round with the bare
 * copy and every build), the median ratio to the bare copy was 0.66-0.80
 * with every write in the pool, and 0.81-0.99 in the four with this pace
 * (a 2-vCPU VM). So the pace starts in the pool, which times each write;
 * after LAN_FETCH_INLINE_AFTER writes of at least a piece in a row at
 * LAN_FETCH_INLINE_MIN_MIB_S or more, the writes are made on the calling
 * thread (the main loop), at most LAN_FETCH_INLINE_BUDGET_US of a buffer:
 * once one has taken longer than that (a disk that fills its cache, a slow
 * or network mount), what is left of it goes to the pool, and so do the
 * next writes until LAN_FETCH_INLINE_AFTER_SLOW fast ones in a row, twice
 * as many after each further slow one (up to LAN_FETCH_INLINE_AFTER_MAX).
 * So the main loop is held for the budget plus one piece, a few times a
 * fetch at most. A buffered write of a piece usually waits only when the
 * kernel throttles a writer that dirties pages faster than the disk takes
 * them (a pause of 200 ms at most, as a rule), or on a VM whose memory the
 * host hands back slowly: on the one above, in a slow phase, such a piece
 * took 10-56 ms, 2-10 times a 2 GiB fetch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fetch's reads and writes call back at this priority, as the file
 * server's do and the UDP socket's: drawing comes first, and a fast fetch
 * whose bytes are always there does not hold the window's frames back. */
#define LAN_FILE_IO_PRIORITY G_PRIORITY_DEFAULT_IDLE

typedef struct
{
  gboolean inline_ok;      /* the next write is made on the calling thread */
  guint    fast_streak;    /* fast pool writes in a row */
  guint    slow_inline;    /* inline writes that went over the budget */
  guint64  inline_bytes;   /* written on the calling thread */
  guint64  pool_bytes;     /* written in the pool */
  gint64   budget_us;      /* of an inline write; 0: LAN_FETCH_INLINE_BUDGET_US */
} LanFileWritePace;

/* @pace may be NULL: every write in the pool. */
void     lan_file_write_async     (GOutputStream        *out,
                                   const guint8         *data,
                                   gsize                 len,
                                   LanFileWritePace     *pace,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
/* Call it first in @callback, with the write's @pace: it ends the stream's
 * pending state and tells the pace how long the pool took. */
gboolean lan_file_write_finish    (GOutputStream        *out,
                                   GAsyncResult         *result,
                                   LanFileWritePace     *pace,
                                   GError              **error);
/* What a pool write of @len bytes in @micros tells the pace (the finish
 * calls it; tests feed it times). */
void     lan_file_write_pace_note (LanFileWritePace     *pace,
                                   gsize                 len,
                                   gint64                micros);
/* How many fast pool writes in a row it takes now to go inline. */
guint    lan_file_write_pace_needed (const LanFileWritePace *pace);

G_END_DECLS

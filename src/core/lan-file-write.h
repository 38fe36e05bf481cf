/* lan-file-write.h — a buffer written to a file in GIO's pool, in pieces.
 *
 * Like g_output_stream_write_all_async() on a GUnixOutputStream, but the
 * task writes the buffer with one write(2) per LAN_FETCH_WRITE_BYTES: on
 * Linux 6.18 ext4 (large folios), buffered writes of 1 MiB a call ran at
 * 0.5-3 GB/s, of 4 MiB at 0.9-1.7, where the same bytes in 256 KiB calls
 * ran at 4.7-5.1 GB/s every time (bench/write-pieces.py), and a fetch's
 * buffers are of LAN_FETCH_BUFFER_BYTES. The stream is pending until the finish (so a
 * close meanwhile fails with G_IO_ERROR_PENDING, and the descriptor stays
 * open for the task, as with GIO's own asynchronous writes).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     lan_file_write_async  (GOutputStream        *out,
                                const guint8         *data,
                                gsize                 len,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data);
/* Call it first in @callback: it ends the stream's pending state. */
gboolean lan_file_write_finish (GOutputStream        *out,
                                GAsyncResult         *result,
                                GError              **error);

G_END_DECLS

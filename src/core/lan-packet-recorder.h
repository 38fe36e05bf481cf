/* lan-packet-recorder.h — continuous capture: every entry a packet log
 * gains, appended to a file as it is logged (Record to File, `lanchat-cli
 * listen --pcapng`).
 *
 * The file is written asynchronously on the main loop, in buffered writes
 * (at least every RECORDER_FLUSH_MS, or at 64 KiB), so logging never waits
 * for the disk. Only entries logged after the recorder was made are
 * written. A write that fails stops the recording: "recording" turns FALSE,
 * "stopped" is emitted with the error, and lan_packet_recorder_get_error()
 * keeps it. Entries the log evicts before the recorder saw them (a flood
 * larger than the log within one main-loop iteration) are counted in
 * "missed".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-packet-export.h"
#include "lan-packet-log.h"

G_BEGIN_DECLS

#define LAN_TYPE_PACKET_RECORDER (lan_packet_recorder_get_type ())
G_DECLARE_FINAL_TYPE (LanPacketRecorder, lan_packet_recorder, LAN, PACKET_RECORDER, GObject)

/* Properties: "log", "file", "format" (construct-only), "count" (uint64:
 * entries written), "missed" (uint64), "recording" (boolean).
 * Signal "stopped" (GError *error, NULL after lan_packet_recorder_stop):
 * the file is closed and complete; emitted once. */

/* Creates @file, private to the user since it holds every message seen,
 * or empties it in place when it exists (it is written while it grows, so
 * no temporary file is renamed over it), and starts recording @log into it in @format; NULL with
 * @error when the file can't be made.
 * Returns: (transfer full) (nullable) */
LanPacketRecorder *lan_packet_recorder_new        (LanPacketLog           *log,
                                                   GFile                  *file,
                                                   LanPacketExportFormat   format,
                                                   GError                **error);
/* Stops taking entries (those the log still holds pending are taken
 * first), writes what is buffered and closes the file; "stopped" follows.
 * Nothing happens once stopped. Dropping the last reference while
 * recording writes what is buffered and closes the file, blocking. */
void               lan_packet_recorder_stop       (LanPacketRecorder      *self);
gboolean           lan_packet_recorder_get_recording (LanPacketRecorder   *self);
guint64            lan_packet_recorder_get_count  (LanPacketRecorder      *self);
guint64            lan_packet_recorder_get_missed (LanPacketRecorder      *self);
/* Returns: (transfer none) */
GFile             *lan_packet_recorder_get_file   (LanPacketRecorder      *self);
LanPacketExportFormat lan_packet_recorder_get_format (LanPacketRecorder   *self);
/* Why the recording stopped by itself, or NULL.
 * Returns: (transfer none) (nullable) */
const GError      *lan_packet_recorder_get_error  (LanPacketRecorder      *self);

G_END_DECLS

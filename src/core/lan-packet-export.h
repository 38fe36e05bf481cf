/* lan-packet-export.h — the packet log written out: pcap, pcapng, JSON Lines, CSV.
 *
 * Works on any GListModel of LanPacketLogEntry (the log, or a filtered
 * view of it) and streams to a GOutputStream.
 *
 *   pcap        classic libpcap format, microsecond timestamps, LINKTYPE_RAW:
 *               each datagram as an IPv4 packet (header checksum set) with a
 *               UDP header (checksum set) and its exact payload bytes.
 *               Incoming: remote → local; outgoing: local → remote.
 *               A request packet of a TCP connection (LAN_DATAGRAM_TCP) is
 *               one TCP segment (PSH|ACK, checksum set) on the connection's
 *               ports; a transfer's summary row (LAN_DATAGRAM_TRANSFER) is
 *               no packet and is skipped (lan_packet_writer_get_skipped).
 *   pcapng      the same frames, with an interface per local address, each
 *               packet's direction (epb_flags) and a comment with its
 *               verdict and detail (see lan-packet-export-pcapng.h).
 *   JSON Lines  one lan_packet_log_entry_to_json() object a line, as
 *               `lanchat-cli listen` prints; every row, TCP ones included.
 *   CSV         RFC 4180 (quoted where needed, CRLF), a header row; text a
 *               spreadsheet would run as a formula (=, +, -, @ first) gets a
 *               leading ' so that it stays text. data_base64 holds the exact bytes;
 *               proto is "udp" or "tcp", transfer "true" on a transfer's summary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-packet-log.h"

G_BEGIN_DECLS

typedef enum {
  LAN_PACKET_EXPORT_PCAP,
  LAN_PACKET_EXPORT_JSON_LINES,
  LAN_PACKET_EXPORT_CSV,
  LAN_PACKET_EXPORT_PCAPNG,
  LAN_PACKET_EXPORT_N_FORMATS
} LanPacketExportFormat;

/* Returns: (transfer none): "pcap", "jsonl", "csv", "pcapng". */
const char *lan_packet_export_format_extension     (LanPacketExportFormat  format);
/* By the extension of @filename (.pcap, .pcapng, .jsonl/.json/.ndjson, .csv). */
gboolean    lan_packet_export_format_from_filename (const char            *filename,
                                                    LanPacketExportFormat *format);

/* A writer: the header (pcap file header, pcapng section header, CSV column names) goes out with
 * the first entry, or at flush when there was none, so an empty export is
 * still a valid file. Writes are buffered; flush sends them on. */
#define LAN_TYPE_PACKET_WRITER (lan_packet_writer_get_type ())
G_DECLARE_FINAL_TYPE (LanPacketWriter, lan_packet_writer, LAN, PACKET_WRITER, GObject)

/* Returns: (transfer full): a writer to @stream. */
LanPacketWriter *lan_packet_writer_new           (GOutputStream         *stream,
                                                  LanPacketExportFormat  format);
/* Evicted placeholder rows are skipped (TRUE, nothing written). */
gboolean         lan_packet_writer_write_entry   (LanPacketWriter       *self,
                                                  LanPacketLogEntry     *entry,
                                                  GCancellable          *cancellable,
                                                  GError               **error);
/* Write what is buffered and flush the stream. */
gboolean         lan_packet_writer_flush         (LanPacketWriter       *self,
                                                  GCancellable          *cancellable,
                                                  GError               **error);
/* For writing asynchronously: @entry (and the header, first) into the
 * buffer only, never to the stream; evicted rows are skipped. */
void             lan_packet_writer_encode_entry  (LanPacketWriter       *self,
                                                  LanPacketLogEntry     *entry);
/* The header, if it has not been taken yet. */
void             lan_packet_writer_encode_header (LanPacketWriter       *self);
/* Bytes encoded and not taken yet. */
gsize            lan_packet_writer_get_buffered  (LanPacketWriter       *self);
/* Takes what is encoded, for the caller to write (the writer's stream is
 * not used), or NULL when nothing is.
 * Returns: (transfer full) (nullable) */
GBytes          *lan_packet_writer_take_encoded  (LanPacketWriter       *self);
/* Entries written (evicted ones not counted). */
guint64          lan_packet_writer_get_count     (LanPacketWriter       *self);
/* Entries left out because the format has no place for them: transfer
 * summary rows in pcap and pcapng. */
guint64          lan_packet_writer_get_skipped   (LanPacketWriter       *self);

/* Export every entry of @entries, blocking. The stream is flushed, not closed. */
gboolean         lan_packet_export               (GListModel            *entries,
                                                  LanPacketExportFormat  format,
                                                  GOutputStream         *stream,
                                                  GCancellable          *cancellable,
                                                  GError               **error);
/* The same without blocking the main loop: a slice of rows per iteration,
 * written asynchronously. The rows exported are the ones @entries has when
 * called; rows it gains meanwhile are not, rows it loses are skipped.
 * Returns the number of rows written. */
void             lan_packet_export_async         (GListModel            *entries,
                                                  LanPacketExportFormat  format,
                                                  GOutputStream         *stream,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
gboolean         lan_packet_export_finish        (GAsyncResult          *result,
                                                  guint64               *n_written,
                                                  GError               **error);
/* Rows the export of @result left out (lan_packet_writer_get_skipped), once
 * it has finished. */
guint64          lan_packet_export_get_skipped   (GAsyncResult          *result);

G_END_DECLS

/* lan-packet-export-text.h — the text formats for lan-packet-export.c.
 *
 *   CSV         RFC 4180 (quoted where needed, CRLF), a header row; text a
 *               spreadsheet would run as a formula (=, +, -, @ first) gets a
 *               leading ' so that it stays text. data_base64 holds the exact bytes.
 *   JSON Lines  one lan_packet_log_entry_to_json() object a line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lan-packet-log.h"

G_BEGIN_DECLS

/* The CSV column names, CRLF-terminated, appended to @out. */
void lan_packet_export_csv_append_header (GByteArray        *out);
/* One row for @entry, CRLF-terminated, appended to @out. */
void lan_packet_export_csv_append_row    (GByteArray        *out,
                                          LanPacketLogEntry *entry);
/* @entry's JSON object and a newline, appended to @out. */
void lan_packet_export_json_append_line  (GByteArray        *out,
                                          LanPacketLogEntry *entry);

G_END_DECLS

/* lan-log-format.h — how the packet log puts things into words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-packet-log.h"

G_BEGIN_DECLS

/* The char * results are (transfer full); the const char * ones are
 * static strings, (transfer none). */
char       *lan_log_format_time         (gint64             time_us);
char       *lan_log_format_hex_dump     (const guint8      *data,
                                         gsize              len);
/* Where byte @index sits in that dump: its line, and the columns (characters
 * from the start of the line) of its first hex digit and of its character. */
void        lan_log_hex_dump_position   (gsize              index,
                                         gsize             *line,
                                         guint             *hex_column,
                                         guint             *ascii_column);
const char *lan_log_verdict_label       (LanVerdict         verdict);
const char *lan_log_verdict_css_class   (LanVerdict         verdict);
const char *lan_log_direction_label     (LanDirection       direction);
char       *lan_log_format_source       (LanPacketLogEntry *entry);
char       *lan_log_format_destination  (LanPacketLogEntry *entry);

G_END_DECLS

/* lan-packet-log-entry-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-packet-log.h"

G_BEGIN_DECLS

/* Takes a reference on @bytes (NULL: none) and copies @detail. */
LanPacketLogEntry *lan_packet_log_entry_new         (guint64       number,
                                                     gint64        time_us,
                                                     LanDirection  direction,
                                                     guint         flags,
                                                     LanEndpoint   local,
                                                     LanEndpoint   remote,
                                                     GBytes       *bytes,
                                                     LanVerdict    verdict,
                                                     const char   *detail,
                                                     int           legacy);
LanPacketLogEntry *lan_packet_log_entry_new_evicted (guint64       number);

/* The IPMsg command field of @data read without a full parse (for the
 * counters, which see every datagram). FALSE when there is no decimal
 * number in the 5th ':'-separated field. */
gboolean           lan_packet_peek_command          (const guint8 *data,
                                                     gsize         len,
                                                     guint32      *command);

G_END_DECLS

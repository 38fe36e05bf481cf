/* lan-packet-log-entry-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-packet-log.h"

G_BEGIN_DECLS

/* Takes a reference on @bytes (NULL: none) and copies @detail. Both
 * constructors are (transfer full). */
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

G_END_DECLS

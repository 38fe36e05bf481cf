/* lan-packet-log-filter.h — the packet log's search as a GtkFilter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-packet-filter.h"
#include "lan-peer-list.h"

G_BEGIN_DECLS

#define LAN_TYPE_PACKET_LOG_FILTER (lan_packet_log_filter_get_type ())
G_DECLARE_FINAL_TYPE (LanPacketLogFilter, lan_packet_log_filter, LAN, PACKET_LOG_FILTER, GtkFilter)

/* Returns: (transfer full): a filter that lets every row through. */
LanPacketLogFilter *lan_packet_log_filter_new       (void);
/* Parse @query and filter by it. On a parse error the filter stays as it
 * was, FALSE is returned with @error set and @error_start/@error_end (may
 * be NULL) at the characters at fault. */
gboolean            lan_packet_log_filter_set_query (LanPacketLogFilter *self,
                                                     const char         *query,
                                                     int                *error_start,
                                                     int                *error_end,
                                                     GError            **error);
gboolean            lan_packet_log_filter_is_empty  (LanPacketLogFilter *self);
/* Nicknames for peer:; the filter runs again when the list changes. */
void                lan_packet_log_filter_set_peers (LanPacketLogFilter *self,
                                                     LanPeerList        *peers);

G_END_DECLS

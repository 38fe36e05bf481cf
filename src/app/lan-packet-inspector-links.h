/* lan-packet-inspector-links.h — a message's sends and acknowledgement in words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lan-packet-links.h"

G_BEGIN_DECLS

/* "No. 123": a row of the log by its number. (transfer full) */
char *lan_packet_inspector_format_row_number (guint64               number);
/* Markup for the links label: every row links to "packet:N", except
 * @inspected_number's, which is shown in bold. (transfer full) */
char *lan_packet_inspector_format_links      (const LanPacketLinks *links,
                                              guint64               inspected_number);

G_END_DECLS

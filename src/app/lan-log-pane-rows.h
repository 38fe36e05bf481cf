/* lan-log-pane-rows.h — rows of the packet log table by packet number.
 *
 * Every model in the pane's chain (log, slice, filter, selection) holds
 * LanPacketLogEntry in packet-number order; these find a number's row and
 * bring a row into view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The packet number of row @position of @rows; 0 when there is none. */
guint64  lan_log_pane_rows_number_at   (GListModel    *rows,
                                        guint          position);
/* Where packet @number is in @rows (binary search). */
gboolean lan_log_pane_rows_find_number (GListModel    *rows,
                                        guint64        number,
                                        guint         *position);
/* Scrolls @column_view to row @position. */
void     lan_log_pane_rows_scroll_to   (GtkColumnView *column_view,
                                        guint          position);

G_END_DECLS

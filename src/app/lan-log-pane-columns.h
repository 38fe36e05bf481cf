/* lan-log-pane-columns.h — the packet log table's columns: their titles
 * and widths, and the cells that show a packet's fields with its verdict.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Appends the columns to @column_view, whose rows are LanPacketLogEntry. */
void lan_log_pane_columns_add (GtkColumnView *column_view);

G_END_DECLS

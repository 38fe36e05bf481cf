/* lan-log-cell.h — one cell of the packet log's table: a line of text
 * whose size does not depend on the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LAN_TYPE_LOG_CELL (lan_log_cell_get_type ())
G_DECLARE_FINAL_TYPE (LanLogCell, lan_log_cell, LAN, LOG_CELL, GtkWidget)

/* @width_chars: the width it asks for, in average characters; @xalign:
 * 0 left, 1 right. Text that does not fit is ellipsized at the end.
 * (transfer full) */
GtkWidget  *lan_log_cell_new      (int         width_chars,
                                   float       xalign);
/* Takes @text (valid UTF-8, one line); redraws, never resizes. */
void        lan_log_cell_take_text (LanLogCell *self,
                                    char       *text);
/* What it shows. (transfer none) */
const char *lan_log_cell_get_text  (LanLogCell *self);

G_END_DECLS

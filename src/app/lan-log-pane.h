/* lan-log-pane.h — the packet log as a table, with a details and bytes view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-packet-log.h"

G_BEGIN_DECLS

#define LAN_TYPE_LOG_PANE (lan_log_pane_get_type ())
G_DECLARE_FINAL_TYPE (LanLogPane, lan_log_pane, LAN, LOG_PANE, GtkWidget)

GtkWidget    *lan_log_pane_new           (void);
LanPacketLog *lan_log_pane_get_log       (LanLogPane   *self);
void          lan_log_pane_set_log       (LanLogPane   *self,
                                          LanPacketLog *log);
gboolean      lan_log_pane_get_paused    (LanLogPane   *self);
void          lan_log_pane_set_paused    (LanLogPane   *self,
                                          gboolean      paused);
gboolean      lan_log_pane_get_following (LanLogPane   *self);
/* The rows the table shows: all of the log, or the frozen part while paused. */
GListModel   *lan_log_pane_get_model     (LanLogPane   *self);
void          lan_log_pane_select        (LanLogPane   *self,
                                          guint         position);
/* The text of the details view, for tests. */
char         *lan_log_pane_dup_details   (LanLogPane   *self);

G_END_DECLS

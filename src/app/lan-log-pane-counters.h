/* lan-log-pane-counters.h — the packet log pane's counters popover:
 * packets, bytes and problems counted since the last reset, in and out,
 * by command.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-packet-log.h"

G_BEGIN_DECLS

typedef struct _LanLogPaneCounters LanLogPaneCounters;

/* Fills @grid, inside @popover, while the popover is shown.
 * Returns: (transfer full): the counters view. */
LanLogPaneCounters *lan_log_pane_counters_new              (GtkPopover         *popover,
                                                            GtkGrid            *grid);
void                lan_log_pane_counters_free             (LanLogPaneCounters *self);
/* @log: (nullable): whose counters to show. */
void                lan_log_pane_counters_set_log          (LanLogPaneCounters *self,
                                                            LanPacketLog       *log);
/* Datagrams the system dropped; "not known" until first set. */
void                lan_log_pane_counters_set_kernel_drops (LanLogPaneCounters *self,
                                                            guint64             drops);
/* The log's counters moved: shown again soon, if the popover is open. */
void                lan_log_pane_counters_changed          (LanLogPaneCounters *self);
/* Shown again now. */
void                lan_log_pane_counters_update           (LanLogPaneCounters *self);
/* Resets the log's counters and shows the zeros. */
void                lan_log_pane_counters_reset            (LanLogPaneCounters *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanLogPaneCounters, lan_log_pane_counters_free)

G_END_DECLS

/* lan-log-pane-private.h — LanLogPane's insides, for lan-log-pane.c and
 * lan-log-pane-filter.c only. The pane's other parts (columns, counters,
 * export) have headers of their own and are handed what they need.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-log-pane.h"
#include "lan-log-pane-counters.h"
#include "lan-log-pane-files.h"
#include "lan-packet-log-filter.h"
#include "lan-scroll-follower.h"

G_BEGIN_DECLS

struct _LanLogPane
{
  GtkWidget           parent_instance;

  LanPacketLog       *log;
  GtkSliceListModel  *slice;
  LanPacketLogFilter *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  guint64             kernel_drops;
  gboolean            kernel_drops_known;
  LanLogPaneCounters *counters;
  LanLogPaneFiles    *files;
  guint               links_timeout_id;
  guint               follow_button_idle_id;
  guint               status_timeout_id;

  /* While paused, the packet numbers [paused_first, paused_end) stay shown. */
  guint64             paused_first;
  guint64             paused_end;
  gboolean            paused;

  LanScrollFollower  *follower;

  GtkSearchEntry     *search_entry;
  GtkLabel           *status_label;
  GtkWidget          *follow_button;
  GtkStack           *status_stack;      /* "status" or "error": one line, never a jump */
  GtkLabel           *filter_error_label;
  GtkPopover         *counters_popover;
  GtkGrid            *counters_grid;
  GtkPaned           *paned;
  GtkScrolledWindow  *list_scroller;
  GtkColumnView      *column_view;
  LanPacketInspector *inspector;
  GtkWidget          *record_button;
  GtkLabel           *record_label;
  gboolean            inspector_sized;
};

/* lan-log-pane.c
 * Returns: (transfer none): the rows before filtering. */
GListModel *_lan_log_pane_unfiltered_rows      (LanLogPane     *self);

/* lan-log-pane-filter.c */
void        _lan_log_pane_filter_init          (LanLogPane     *self);
void        _lan_log_pane_apply_filter         (LanLogPane     *self);
void        _lan_log_pane_update_status        (LanLogPane     *self);
void        _lan_log_pane_queue_update_status  (LanLogPane     *self);

G_END_DECLS

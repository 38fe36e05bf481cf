/* lan-log-pane-private.h — LanLogPane's insides, shared by its source files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-log-pane.h"
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
  guint               counters_timeout_id;
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
  GtkRevealer        *filter_error_revealer;
  GtkLabel           *filter_error_label;
  GtkPopover         *counters_popover;
  GtkGrid            *counters_grid;
  GtkPaned           *paned;
  GtkScrolledWindow  *list_scroller;
  GtkColumnView      *column_view;
  LanPacketInspector *inspector;
  gboolean            inspector_sized;
};

#define PLURAL_N(count) ((gulong) MIN ((count), G_MAXULONG))

/* lan-log-pane.c */
GListModel *_lan_log_pane_unfiltered_rows      (LanLogPane     *self);
void        _lan_log_pane_show_toast           (LanLogPane     *self,
                                                const char     *message);

/* lan-log-pane-filter.c */
const char *_lan_log_pane_format_number        (char            buffer[24],
                                                guint64         number);
void        _lan_log_pane_filter_init          (LanLogPane     *self);
void        _lan_log_pane_apply_filter         (LanLogPane     *self);
void        _lan_log_pane_update_status        (LanLogPane     *self);
void        _lan_log_pane_queue_update_status  (LanLogPane     *self);

/* lan-log-pane-counters.c */
void        _lan_log_pane_counters_init        (LanLogPane     *self);
void        _lan_log_pane_class_counters_init  (GtkWidgetClass *widget_class);
void        _lan_log_pane_update_counters      (LanLogPane     *self);
void        _lan_log_pane_counters_changed     (LanLogPane     *self);

/* lan-log-pane-export.c */
void        _lan_log_pane_class_export_init    (GtkWidgetClass *widget_class);

/* lan-log-pane-columns.c */
void        _lan_log_pane_add_columns          (LanLogPane     *self);

G_END_DECLS

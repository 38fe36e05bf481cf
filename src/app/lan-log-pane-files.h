/* lan-log-pane-files.h — the packet log pane's files and second thoughts:
 * Record to File (log.record, log.record-stop, the recording button), the
 * folder file choosers open in, and Clear the Log asking first (log.clear).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-log-pane.h"

G_BEGIN_DECLS

typedef struct _LanLogPaneFiles LanLogPaneFiles;

/* @record_button shows while recording (its child has @record_label) and
 * stops it. Returns: (transfer full) */
LanLogPaneFiles *lan_log_pane_files_new             (LanLogPane      *pane,
                                                     GtkWidget       *record_button,
                                                     GtkLabel        *record_label);
/* Stops a recording still going (the file is finished). */
void             lan_log_pane_files_free            (LanLogPaneFiles *self);
/* Installs log.record, log.record-stop and log.clear on LanLogPane's class. */
void             lan_log_pane_files_install_actions (GtkWidgetClass  *widget_class);

/* lan-log-pane.c. Returns: (transfer none) */
LanLogPaneFiles *_lan_log_pane_get_files            (LanLogPane      *pane);

G_END_DECLS

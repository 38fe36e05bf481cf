/* lan-log-pane-export.h — the packet log pane's export actions.
 *
 * log.export-all and log.export-shown open a file chooser and write with
 * lan_log_pane_export_async() (lan-log-pane.h), which lives in
 * lan-log-pane-export.c too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-packet-export.h"

G_BEGIN_DECLS

/* Installs log.export-all and log.export-shown on LanLogPane's class. */
void lan_log_pane_export_install_actions (GtkWidgetClass *widget_class);

/* For the pane's choosers (export, record): a filter per format, the
 * first one chosen; the filter chosen says the format. */
void      lan_log_pane_add_format_filters  (GtkFileChooser              *chooser,
                                            const LanPacketExportFormat *formats,
                                            guint                        n_formats);
gboolean  lan_log_pane_get_chosen_format   (GtkFileChooser              *chooser,
                                            LanPacketExportFormat       *format);
/* @file with @format's extension: a known one in the name is replaced
 * (the format chosen wins), any other name gets it added.
 * Returns: (transfer full) */
GFile    *lan_log_pane_file_with_extension (GFile                       *file,
                                            LanPacketExportFormat        format);

G_END_DECLS

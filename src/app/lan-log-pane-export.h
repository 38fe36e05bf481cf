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

G_BEGIN_DECLS

/* Installs log.export-all and log.export-shown on LanLogPane's class. */
void lan_log_pane_export_install_actions (GtkWidgetClass *widget_class);

G_END_DECLS

/* lan-offer-open.h — Open and Show in Folder for a saved file.
 *
 * Through GtkFileLauncher where GTK has it (4.10: the portal in a
 * sandbox), else the default application for the URI and the file
 * manager's ShowItems (its folder, opened, when no file manager answers).
 * A failure is a toast in @widget's window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Open @file with its application, or (@containing_folder) show it in its folder. */
void lan_offer_open (GtkWidget *widget,
                     GFile     *file,
                     gboolean   containing_folder);

G_END_DECLS

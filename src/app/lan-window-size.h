/* lan-window-size.h — the main window's size, kept in GSettings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Before the window is shown: the size (and maximized state) last saved. */
void lan_window_size_restore (GtkWindow *window,
                              GSettings *settings);
/* The window's default size and maximized state, for the next start. */
void lan_window_size_save    (GtkWindow *window,
                              GSettings *settings);

G_END_DECLS

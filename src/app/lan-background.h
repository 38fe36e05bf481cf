/* lan-background.h — running with the window closed, and at login.
 *
 * Asked for through the Background portal (libportal, when built with it:
 * what a Flatpak must do, and what GNOME shows in its list of background
 * apps); without libportal, "Run at login" is an XDG autostart file, and
 * running in the background needs no one's leave.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Ask to keep running without a window, and to be started at login when
 * @autostart. @parent (nullable) is the window a portal dialog belongs to.
 * What the portal answers is only logged: Lanchat runs either way while
 * it can, and a refused autostart is the desktop's to show. */
void lan_background_request (GtkWindow *parent,
                             gboolean   autostart);

G_END_DECLS

/* lan-preferences-window.h — the settings a person can change.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define LAN_TYPE_PREFERENCES_WINDOW (lan_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (LanPreferencesWindow, lan_preferences_window, LAN, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Returns: (transfer floating): a new preferences window. */
GtkWidget *lan_preferences_window_new (GtkWindow *parent,
                                       GSettings *settings);

G_END_DECLS

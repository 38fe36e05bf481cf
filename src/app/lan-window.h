/* lan-window.h — the main window: people, the conversation, the packet log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-application.h"

G_BEGIN_DECLS

#define LAN_TYPE_WINDOW (lan_window_get_type ())
G_DECLARE_FINAL_TYPE (LanWindow, lan_window, LAN, WINDOW, AdwApplicationWindow)

LanWindow *lan_window_new               (LanApplication *application);
/* @peer_key: a peer's key, or "" for Everyone. */
void       lan_window_open_conversation (LanWindow      *self,
                                         const char     *peer_key);
void       lan_window_show_toast        (LanWindow      *self,
                                         const char     *message);

G_END_DECLS

/* lan-window.h — the main window: people, the conversation, the packet log.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-application.h"
#include "lan-log-pane.h"

G_BEGIN_DECLS

#define LAN_TYPE_WINDOW (lan_window_get_type ())
G_DECLARE_FINAL_TYPE (LanWindow, lan_window, LAN, WINDOW, AdwApplicationWindow)

/* Returns: (transfer full): a new window of @application. */
LanWindow *lan_window_new               (LanApplication *application);
/* @peer_key: a peer's key, or "" for Everyone. */
void       lan_window_open_conversation (LanWindow      *self,
                                         const char     *peer_key);
void       lan_window_show_toast        (LanWindow      *self,
                                         const char     *message);

/* For tests; every one returns (transfer none). */
GtkTextView     *lan_window_get_composer          (LanWindow *self);
/* (nullable): the composer's problem ("too long…") when one is shown. */
const char      *lan_window_get_composer_error    (LanWindow *self);
GtkLabel        *lan_window_get_composer_placeholder (LanWindow *self);
GtkSearchEntry  *lan_window_get_search_entry      (LanWindow *self);
GtkRevealer     *lan_window_get_network_banner    (LanWindow *self);
LanLogPane      *lan_window_get_log_pane          (LanWindow *self);
GtkWidget       *lan_window_get_peer_list_view    (LanWindow *self);
GtkWidget       *lan_window_get_message_list_view (LanWindow *self);
/* "conversation", "empty", "no-network", "port-in-use" or "start-failed". */
const char      *lan_window_get_page              (LanWindow *self);
/* (nullable): the conversation shown. */
LanConversation *lan_window_get_conversation      (LanWindow *self);
GtkSpinButton   *lan_window_get_port_spin         (LanWindow *self);

G_END_DECLS

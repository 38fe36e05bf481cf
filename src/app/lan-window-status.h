/* lan-window-status.h — what the main window says about the messenger
 * itself: the header bar's subtitle, the status pages (no one here, no
 * network, port in use, could not start), the network banner, and the
 * history banner (widget name "history_banner", after the network banner)
 * while messages are not being saved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-application.h"

G_BEGIN_DECLS

/* The window's widgets these functions write to (none owned). */
typedef struct {
  AdwWindowTitle *window_title;
  GtkStack       *content_stack;
  GtkRevealer    *network_banner;
  AdwStatusPage  *port_page;
  GtkSpinButton  *port_spin;
  AdwStatusPage  *start_failed_page;
} LanWindowStatus;

/* "nickname · your addresses · N peers", or "nickname · not listening". */
void lan_window_status_update_title (const LanWindowStatus *status,
                                     LanMessenger          *messenger);
/* Shows the page the state calls for in content_stack: "conversation",
 * "empty", "no-network", "port-in-use" or "start-failed".
 * @nothing_to_show: Everyone's conversation is shown, empty, and no peer
 * is known — the case for the "empty" and "no-network" pages. */
void lan_window_status_update_page  (const LanWindowStatus *status,
                                     LanApplication        *application,
                                     LanMessenger          *messenger,
                                     GSettings             *settings,
                                     gboolean               nothing_to_show);

G_END_DECLS

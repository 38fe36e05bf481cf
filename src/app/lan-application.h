/* lan-application.h — the app: one messenger, its settings, windows, notifications.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-messenger.h"

G_BEGIN_DECLS

#define LAN_TYPE_APPLICATION (lan_application_get_type ())
G_DECLARE_FINAL_TYPE (LanApplication, lan_application, LAN, APPLICATION, AdwApplication)

LanApplication *lan_application_new               (void);
LanMessenger   *lan_application_get_messenger     (LanApplication *self);
GSettings      *lan_application_get_settings      (LanApplication *self);
/* Why the messenger is not listening, or NULL when it is. */
const GError   *lan_application_get_start_error   (LanApplication *self);
/* Rebind with the current port and bind address and announce. */
gboolean        lan_application_restart_messenger (LanApplication *self);

G_END_DECLS

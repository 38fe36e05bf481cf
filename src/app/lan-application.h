/* lan-application.h — the app: one messenger, its settings, windows, notifications.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-messenger.h"
#include "lan-people.h"

G_BEGIN_DECLS

#define LAN_TYPE_APPLICATION (lan_application_get_type ())
G_DECLARE_FINAL_TYPE (LanApplication, lan_application, LAN, APPLICATION, AdwApplication)

/* Returns: (transfer full): the application. */
LanApplication *lan_application_new               (void);
/* Returns: (transfer none): the messenger the windows share. */
LanMessenger   *lan_application_get_messenger     (LanApplication *self);
/* Everyone with a conversation, online or not, for the windows' sidebars.
 * Returns: (transfer none) */
LanPeople      *lan_application_get_people        (LanApplication *self);
/* Returns: (transfer none): the app's settings. */
GSettings      *lan_application_get_settings      (LanApplication *self);
/* Returns: (transfer none) (nullable): why the messenger is not
 * listening, or NULL when it is. */
const GError   *lan_application_get_start_error   (LanApplication *self);
/* Rebind with the current port and bind address and announce. */
gboolean        lan_application_restart_messenger (LanApplication *self);

G_END_DECLS

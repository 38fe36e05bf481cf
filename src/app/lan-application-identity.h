/* lan-application-identity.h — the app's side of who is who: it watches
 * the peers while a window is open, and asks before waiting messages
 * follow a person to a new address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-messenger.h"

G_BEGIN_DECLS

/* Connects @application's windows and @messenger's move question. */
void lan_application_identity_setup (GtkApplication *application,
                                     LanMessenger   *messenger);

G_END_DECLS

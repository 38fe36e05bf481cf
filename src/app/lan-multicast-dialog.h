/* lan-multicast-dialog.h — one message to several people (MULTICASTOPT).
 *
 * A window listing the people online, each with a check box; Send sends
 * the text to those chosen, one acknowledged message each, and every row
 * then shows its own delivery ("Delivered", "Not delivered", …). Each
 * message is also in that person's conversation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-messenger.h"
#include "lan-people.h"

G_BEGIN_DECLS

#define LAN_TYPE_MULTICAST_DIALOG (lan_multicast_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LanMulticastDialog, lan_multicast_dialog, LAN, MULTICAST_DIALOG, AdwWindow)

/* Returns: (transfer floating): a new dialog, not shown yet. */
GtkWidget   *lan_multicast_dialog_new         (GtkWindow          *parent,
                                               LanMessenger       *messenger,
                                               LanPeople          *people);
/* Tick or untick @person (online people only). FALSE when not listed. */
gboolean     lan_multicast_dialog_choose      (LanMulticastDialog *self,
                                               LanPerson          *person,
                                               gboolean            chosen);
/* Returns: (transfer none) */
GtkEditable *lan_multicast_dialog_get_entry   (LanMulticastDialog *self);
/* What the Send button does. */
void         lan_multicast_dialog_send        (LanMulticastDialog *self);
/* Returns: (transfer none) (nullable): the delivery shown for @person
 * once sent ("Delivered", …), or NULL. */
const char  *lan_multicast_dialog_get_status  (LanMulticastDialog *self,
                                               LanPerson          *person);

G_END_DECLS

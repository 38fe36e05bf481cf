/* lan-message-row.h — one message as a bubble, with its time and delivery state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "lan-message.h"
#include "lan-messenger.h"

G_BEGIN_DECLS

#define LAN_TYPE_MESSAGE_ROW (lan_message_row_get_type ())
G_DECLARE_FINAL_TYPE (LanMessageRow, lan_message_row, LAN, MESSAGE_ROW, GtkWidget)

/* Returns: (transfer floating): a new row. */
GtkWidget  *lan_message_row_new         (void);
/* The messenger an offer card asks to fetch, decline or withdraw; without
 * one, a message's files are not shown. */
void        lan_message_row_set_messenger (LanMessageRow *self,
                                           LanMessenger  *messenger);
/* @sender_name: shown above the text (broadcast conversation), or NULL. */
void        lan_message_row_bind        (LanMessageRow *self,
                                         LanMessage    *message,
                                         const char    *sender_name);
void        lan_message_row_unbind      (LanMessageRow *self);
/* Returns: (transfer none) (nullable): the message bound. */
LanMessage *lan_message_row_get_message (LanMessageRow *self);
/* Returns: (transfer none): the words the row shows for its delivery
 * state ("Delivered", …). */
const char *lan_message_row_get_state_text (LanMessageRow *self);
/* Its menu: Copy, Reply, Details. */
void        lan_message_row_popup_menu  (LanMessageRow *self,
                                         double         x,
                                         double         y);
/* Returns: (transfer none) (nullable): the menu, once it was shown. */
GtkWidget  *lan_message_row_get_menu    (LanMessageRow *self);
/* Packet number, time, tries and state, one per line, for a person.
 * Returns: (transfer full) */
char       *lan_message_row_describe    (LanMessage    *message);

G_END_DECLS

/* lan-inbox.h — incoming messages: duplicates, store before acknowledging, away reply.
 *
 * A SENDMSG is shown once: a repeat (the same packet number from the same
 * address, in a bounded window kept per peer, or stored in history during
 * the sender's current session) is acknowledged again and not shown. A new
 * one is written to history before its RECVMSG goes out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-conversation-store.h"
#include "lan-presence.h"
#include "lan-wire.h"

G_BEGIN_DECLS

#define LAN_TYPE_INBOX (lan_inbox_get_type ())
G_DECLARE_FINAL_TYPE (LanInbox, lan_inbox, LAN, INBOX, GObject)

/* Registers the wire handlers for SENDMSG, READMSG, ANSREADMSG and DELMSG.
 * Returns: (transfer full) */
LanInbox *lan_inbox_new               (LanWire              *wire,
                                       LanPresence          *presence,
                                       LanConversationStore *store);
/* @key ("ip:port") sent BR_ENTRY: its packet numbers may start over. */
void      lan_inbox_session_started   (LanInbox   *self,
                                       const char *key);
/* @key left (BR_EXIT). */
void      lan_inbox_session_ended     (LanInbox   *self,
                                       const char *key);

G_END_DECLS

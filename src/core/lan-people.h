/* lan-people.h — everyone you have a conversation with, online or not.
 *
 * A GListModel of LanPerson: the peers online now, and the people of past
 * conversations (from history, and from this session: someone who sent a
 * message and left stays, with the message and its unread count). Built
 * on a running LanMessenger's public side; history is read once, on its
 * own connection, when the model is made. In no particular order: the
 * UI sorts (online first). A person whose sort keys change ("online", the
 * peer's nickname) is reported as items-changed (i, 1, 1).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-messenger.h"
#include "lan-person.h"

G_BEGIN_DECLS

/* Offline people with nothing unread are dropped, oldest first, beyond this. */
#define LAN_PEOPLE_MAX_OFFLINE 4096

#define LAN_TYPE_PEOPLE (lan_people_get_type ())
G_DECLARE_FINAL_TYPE (LanPeople, lan_people, LAN, PEOPLE, GObject)

/* The people of @messenger ("history-path" read now, when set).
 * Returns: (transfer full) */
LanPeople *lan_people_new              (LanMessenger *messenger);
/* By identity, or by the key of its peer.
 * Returns: (transfer none) (nullable) */
LanPerson *lan_people_lookup           (LanPeople    *self,
                                        const char   *identity_or_key);
/* @person's conversation, loaded when needed, and followed by @person.
 * Returns: (transfer none) */
LanConversation *lan_people_get_conversation (LanPeople *self,
                                              LanPerson *person);

G_END_DECLS

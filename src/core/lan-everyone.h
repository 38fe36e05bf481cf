/* lan-everyone.h — text to Everyone, so that no reader flips or garbles.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-presence.h"
#include "lan-wire.h"

G_BEGIN_DECLS

/* Send @text (UTF-8) to everyone with packet number @packet_no: one
 * broadcast when it is ASCII; else one unicast copy per listed peer in its
 * own dialect (see lan-everyone.c for why). Returns how many peers got a
 * copy of their own (0 for a broadcast). */
guint lan_everyone_send (LanWire     *wire,
                         LanPresence *presence,
                         guint64      packet_no,
                         const char  *text);

G_END_DECLS

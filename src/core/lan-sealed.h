/* lan-sealed.h — sealed (SECRETOPT) and encrypted (ENCRYPTOPT) messages
 * that arrive.
 *
 * A sealed message is kept sealed until the user opens it
 * (lan_message_open); then the sender is told with READMSG, flagged
 * READCHECKOPT when it asked for a confirmation, which its ANSREADMSG
 * gives. An encrypted message is shown as a notice, never as ciphertext,
 * and is not acknowledged: Lanchat announces no ENCRYPTOPT, and a RECVMSG
 * would tell the sender it was received when nobody can read it; without
 * one its client retries and then tells its user the message did not get
 * through, which is the truth that matters to them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-message.h"
#include "lan-wire.h"

G_BEGIN_DECLS

#define LAN_TYPE_SEALED (lan_sealed_get_type ())
G_DECLARE_FINAL_TYPE (LanSealed, lan_sealed, LAN, SEALED, GObject)

/* Takes ANSREADMSG on @wire. Returns: (transfer full) */
LanSealed *lan_sealed_new            (LanWire              *wire);
/* Whether a SENDMSG with @command may be acknowledged (RECVMSG). */
gboolean   lan_sealed_may_acknowledge (guint32              command);
/* The text to show for @packet, whose text decoded as @decoded.
 * (transfer full) */
char      *lan_sealed_shown_text     (const LanIpmsgPacket *packet,
                                      const char           *decoded);
/* @message arrived from @from as @packet: mark it sealed or encrypted, and
 * for a sealed one tell the sender once it is opened. */
void       lan_sealed_arrived        (LanSealed            *self,
                                      LanMessage           *message,
                                      LanEndpoint           from,
                                      const LanIpmsgPacket *packet);

G_END_DECLS

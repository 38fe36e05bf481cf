/* lan-message-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-message.h"

G_BEGIN_DECLS

/* Returns: (transfer full) */
LanMessage *lan_message_new            (LanDirection     direction,
                                        const char      *peer_key,
                                        const char      *text,
                                        gint64           time_us,
                                        guint64          packet_no);
void        lan_message_set_state      (LanMessage      *self,
                                        LanMessageState  state);
void        lan_message_set_packet_no  (LanMessage      *self,
                                        guint64          packet_no);
void        lan_message_set_attempts   (LanMessage      *self,
                                        guint            attempts);
void        lan_message_set_broadcast  (LanMessage      *self,
                                        gboolean         broadcast);
void        lan_message_set_auto_reply (LanMessage      *self,
                                        gboolean         auto_reply);
void        lan_message_set_error      (LanMessage      *self,
                                        const char      *error);
/* Returns: (transfer full) */
LanMessage *lan_message_new_notice     (const char      *text,
                                        gint64           time_us);
/* Its row in the history, 0 when not stored. */
gint64      lan_message_get_history_id (LanMessage      *self);
void        lan_message_set_history_id (LanMessage      *self,
                                        gint64           id);

G_END_DECLS

/* lan-history-files.h — the files a message offers, and where its offer
 * stands, kept in history: after a restart the conversation shows the offer
 * card again (fetching it then may fail if the sender forgot it).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-history.h"
#include "lan-message.h"

G_BEGIN_DECLS

/* The records in the attachment-list syntax (lan_ipmsg_append_file_record),
 * names in UTF-8; the offer state as LanOfferState. */
#define LAN_HISTORY_FILES_MIGRATION \
  "ALTER TABLE messages ADD COLUMN files TEXT;" \
  "ALTER TABLE messages ADD COLUMN offer_state INTEGER NOT NULL DEFAULT 0;"

/* For a stored message (its history id set), from the conversation store
 * each time it follows one: a new message with files has them written; one
 * read from history gets its files and offer state back (an offer of ours
 * that was open is expired: nobody serves it after a restart). From then on
 * its offer state is kept as it changes. With @self NULL, nothing. FALSE
 * with @error when history failed. */
gboolean lan_history_files_follow (LanHistory  *self,
                                   LanMessage  *message,
                                   GError     **error);

G_END_DECLS

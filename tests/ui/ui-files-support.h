/* ui-files-support.h — what the two halves of the test-window-files
 * program (test-window-files.c, test-window-files-attach.c) both ask of the
 * window and of bob.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-messenger.h"

G_BEGIN_DECLS

/* Returns: (transfer none): the app's conversation with bob. */
LanConversation *bob_conversation (void);
/* Bob's newest message is an offer whose text is @data (a string). */
gboolean         bob_has_offer    (gpointer data);
/* @transfer (a LanFileTransfer) is done, failed or cancelled. */
gboolean         transfer_ended   (gpointer transfer);
/* Files attached in the composer, as chips (0 when none are shown). */
guint            count_chips      (void);
/* count_chips() is GPOINTER_TO_UINT (@data). */
gboolean         chips_are        (gpointer data);

G_END_DECLS

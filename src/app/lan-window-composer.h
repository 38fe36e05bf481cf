/* lan-window-composer.h — writing and sending a message in the main window.
 *
 * Enter sends, Shift+Enter starts a new line. A text that does not fit one
 * datagram once encoded is refused with a message and left as it is; it
 * is never cut. Files attached (lan-composer-attach.h) go with the text
 * as an offer, to one person only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lan-messenger.h"
#include "lan-scroll-follower.h"

G_BEGIN_DECLS

typedef struct _LanWindowComposer LanWindowComposer;

/* @window gets the "win.send" action enabled and disabled, the error bell
 * and the toasts; @error_label shows what is wrong with the text;
 * @follower is set following when a message goes out.
 * Returns: (transfer full): the composer. */
LanWindowComposer *lan_window_composer_new           (GtkWidget         *window,
                                                      GtkTextView       *view,
                                                      GtkLabel          *placeholder,
                                                      GtkLabel          *error_label,
                                                      LanScrollFollower *follower);
void               lan_window_composer_free          (LanWindowComposer *self);
/* Where messages go: @conversation (NULL: nowhere yet); @peer's, or
 * everyone's when @peer is NULL, through @messenger. Checks the text again. */
void               lan_window_composer_set_target    (LanWindowComposer *self,
                                                      LanMessenger      *messenger,
                                                      LanConversation   *conversation,
                                                      LanPeer           *peer);
/* Checks the text again (the peer's encoding may have changed). */
void               lan_window_composer_update        (LanWindowComposer *self);
void               lan_window_composer_send          (LanWindowComposer *self);
/* Files… (@folder FALSE) or Folder… to attach, when writing to one person. */
void               lan_window_composer_choose_files  (LanWindowComposer *self,
                                                      gboolean           folder);
/* Returns: (transfer none) (nullable): the problem shown ("too long…"), if any. */
const char        *lan_window_composer_get_error     (LanWindowComposer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LanWindowComposer, lan_window_composer_free)

G_END_DECLS

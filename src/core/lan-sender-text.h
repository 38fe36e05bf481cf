/* lan-sender-text.h — how a message's text goes to a peer: encoded in its
 * dialect, measured against what fits one datagram, terminated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-message.h"
#include "lan-peer.h"
#include "lan-wire.h"

G_BEGIN_DECLS

/* The longest body (in bytes once encoded) that fits one datagram from us. */
gsize     lan_sender_text_max_bytes       (LanWire     *wire);
/* FALSE when @size fits @max; otherwise TRUE with G_IO_ERROR_MESSAGE_TOO_LARGE. */
gboolean  lan_sender_text_too_long        (gsize        size,
                                           gsize        max,
                                           GError     **error);
/* See lan_messenger_measure_text. */
gboolean  lan_sender_text_measure         (LanWire     *wire,
                                           LanPeer     *peer,
                                           const char  *text,
                                           gsize       *out_bytes,
                                           gsize       *out_max,
                                           gboolean    *out_lossy);
/* @text in @peer's dialect (UTF8OPT or'ed into @command when it takes it),
 * or NULL with @error when it doesn't fit.
 * Returns: (transfer full) (nullable) */
GBytes   *lan_sender_text_encode          (LanWire     *wire,
                                           LanPeer     *peer,
                                           const char  *text,
                                           guint32     *command,
                                           GError     **error);
/* @body and its NUL: a SENDMSG's extra part.
 * Returns: (transfer full) */
GBytes   *lan_sender_text_with_terminator (GBytes      *body);

/* @message's extra part for @peer: its text in the peer's dialect and the
 * NUL, then for a message with files @suffix (its records) with
 * FILEATTACHOPT or'ed into @command; NULL with @error when it doesn't fit
 * one datagram, or when @message has files and @suffix is NULL (its offer
 * is no longer open).
 * Returns: (transfer full) (nullable) */
GBytes   *lan_sender_text_build_extra     (LanWire     *wire,
                                           LanPeer     *peer,
                                           LanMessage  *message,
                                           GBytes      *suffix,
                                           guint32     *command,
                                           GError     **error);

G_END_DECLS

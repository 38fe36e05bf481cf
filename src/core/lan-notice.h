/* lan-notice.h — Lanchat's own lines in a conversation ("Bob is now at …"),
 * kept as a kind and its arguments so that they are shown in the language
 * of the moment, not the one they were written in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-message.h"

G_BEGIN_DECLS

/* Arguments: the nickname, the new "address:port", the old one. */
#define LAN_NOTICE_MOVED "moved"

/* The notice in the current language, or NULL for a kind this version does
 * not know or the wrong number of arguments.
 * Returns: (transfer full) (nullable) */
char       *lan_notice_render    (const char         *kind,
                                  const char * const *args);
/* A notice message of @kind (rendered now as its text).
 * Returns: (transfer full) */
LanMessage *lan_notice_new       (const char         *kind,
                                  const char * const *args,
                                  gint64              time_us);
/* {"kind": …, "args": […]} for the history, or NULL for a notice kept only
 * as text.
 * Returns: (transfer full) (nullable) */
char       *lan_notice_to_json   (LanMessage         *notice);
/* A stored notice back: from @json when it is one this version renders,
 * otherwise @text as it was stored (older rows, unknown kinds).
 * Returns: (transfer full) */
LanMessage *lan_notice_from_json (const char         *json,
                                  const char         *text,
                                  gint64              time_us);

G_END_DECLS

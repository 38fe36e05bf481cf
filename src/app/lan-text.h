/* lan-text.h — making untrusted text safe to show.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  LAN_TEXT_SINGLE_LINE = 0,
  LAN_TEXT_MULTI_LINE  = 1 << 0,
} LanTextFlags;

char *lan_text_sanitize_for_display (const char   *text,
                                     LanTextFlags  flags);
char *lan_text_ellipsize            (const char   *text,
                                     guint         max_chars);

G_END_DECLS

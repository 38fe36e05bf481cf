/* lan-visible-text.h — text from the network made safe to show on one line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @text is valid UTF-8. Control characters become their visible symbols
 * (U+2400…), newlines ↵, bidi controls <U+202E> so they can't reorder what
 * surrounds them, likewise C1 controls and U+2028/U+2029 so nothing breaks
 * the line; cut at @max_chars with an ellipsis. */
char *lan_text_make_visible (const char *text,
                             gsize       max_chars);

G_END_DECLS

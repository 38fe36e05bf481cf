/* lan-display-text.h — the one sanitizer for text from the network.
 *
 * Names, messages and error strings come from anyone on the LAN. Widgets
 * never parse markup, but the characters themselves can still mislead: bidi
 * overrides reorder what follows them ("exe.txt" shown for "txt.exe"),
 * control characters draw as nothing, move a terminal's cursor or break a
 * one-line cell. Every front (the app, the CLI, the packet log) shows such
 * text through lan_display_text(), in the mode of the place it goes.
 *
 * In every mode, characters that draw as nothing (zero-width space and
 * joiners, word joiner, BOM, soft hyphen, fillers, variation selectors, tags)
 * show by name (<U+200B>), so "ad\u200bmi\u200dn" can't pass for "admin";
 * except where they do a visible job: ZWJ/ZWNJ between two pictographs (emoji
 * sequences) or inside a word of a script that needs them (Arabic, Indic…),
 * a variation selector after an emoji, digit or other non-ASCII character,
 * and the tag letters of a 🏴 flag. Those stay, so emoji stay readable.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  /* A widget's one line (a name, a title, an error): line breaks and tabs
   * become spaces, bidi controls are removed, C0 controls show as their
   * Control Pictures (U+2400…), C1 controls as U+FFFD. */
  LAN_DISPLAY_TEXT_ONE_LINE,
  /* A widget's several lines (a message body): as ONE_LINE, but CR LF, lone
   * CR, NEL and U+2028/U+2029 become LF, and tabs stay. */
  LAN_DISPLAY_TEXT_LINES,
  /* A terminal or the packet log, where nothing may hide: LF shows as ↵,
   * C0 controls as their Control Pictures, and bidi controls, C1 controls
   * and U+2028/U+2029 by name (<U+202E>), so they can't reorder or break
   * what surrounds them. */
  LAN_DISPLAY_TEXT_TERMINAL,
} LanDisplayTextMode;

#define LAN_DISPLAY_TEXT_ALL G_MAXSIZE

char *lan_display_text            (const char         *text,
                                   LanDisplayTextMode  mode,
                                   gsize               max_chars);
/* Whether @c is a control, bidi control, line separator or invisible
 * character: what TERMINAL mode shows by name and JSON output escapes. */
gboolean lan_display_text_is_hidden (gunichar c);
char *lan_display_text_ellipsize  (const char         *text,
                                   guint               max_chars);

G_END_DECLS

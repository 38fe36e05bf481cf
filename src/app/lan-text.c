/* lan-text.c — making untrusted text safe to show.
 *
 * Names and messages come from anyone on the LAN. Labels never interpret
 * markup, but the characters themselves can still mislead: bidi overrides
 * reorder what follows them ("exe.txt" shown for "txt.exe"), and control
 * characters draw as nothing or break layout. Those are removed or made
 * visible here, before any widget sees the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lan-text.h"

#include <string.h>

static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202a && c <= 0x202e) ||  /* LRE, RLE, PDF, LRO, RLO */
         (c >= 0x2066 && c <= 0x2069) ||  /* LRI, RLI, FSI, PDI */
         c == 0x200e || c == 0x200f ||    /* LRM, RLM */
         c == 0x061c;                     /* ARABIC LETTER MARK */
}

static gboolean
is_line_break (gunichar c)
{
  return c == '\n' || c == 0x2028 || c == 0x2029 || c == 0x0085;
}

/**
 * lan_text_sanitize_for_display:
 * @text: (nullable): UTF-8 or not, from anywhere
 * @flags: whether line breaks are kept
 *
 * Returns valid UTF-8 with invalid bytes as U+FFFD, bidi controls removed,
 * C0 controls shown as their Control Pictures (U+2400…) and C1 controls as
 * U+FFFD. CR LF and lone CR become LF. Without %LAN_TEXT_MULTI_LINE every
 * line break and tab becomes a space, so a name stays on one line.
 *
 * Returns: (transfer full): never %NULL
 */
char *
lan_text_sanitize_for_display (const char   *text,
                               LanTextFlags  flags)
{
  g_autofree char *valid = NULL;
  gboolean multi_line = (flags & LAN_TEXT_MULTI_LINE) != 0;
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\r')
        {
          if (p[1] == '\n')
            continue;
          c = '\n';
        }

      if (is_line_break (c))
        g_string_append_c (out, multi_line ? '\n' : ' ');
      else if (c == '\t')
        g_string_append_c (out, multi_line ? '\t' : ' ');
      else if (is_bidi_control (c))
        continue;
      else if (c < 0x20)
        g_string_append_unichar (out, 0x2400 + c);
      else if (c == 0x7f)
        g_string_append_unichar (out, 0x2421);
      else if (c >= 0x80 && c <= 0x9f)
        g_string_append_unichar (out, 0xfffd);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * lan_text_ellipsize:
 * @text: valid UTF-8
 * @max_chars: at least 1
 *
 * Cuts @text to at most @max_chars characters, the last one "…" when cut.
 * For notification bodies, which have no ellipsizing of their own.
 *
 * Returns: (transfer full):
 */
char *
lan_text_ellipsize (const char *text,
                    guint       max_chars)
{
  const char *end;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (max_chars > 0, NULL);

  if ((guint) g_utf8_strlen (text, -1) <= max_chars)
    return g_strdup (text);

  end = g_utf8_offset_to_pointer (text, max_chars - 1);
  return g_strdup_printf ("%.*s…", (int) (end - text), text);
}

/* lan-visible-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lan-visible-text.h"

static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200e || c == 0x200f || c == 0x061c;
}

/* C1 controls have no visible symbol, and NEL (U+0085), LINE SEPARATOR and
 * PARAGRAPH SEPARATOR end a line in Pango just as '\n' does. */
static gboolean
is_hidden_break_or_control (gunichar c)
{
  return (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029;
}

char *
lan_text_make_visible (const char *text,
                       gsize       max_chars)
{
  GString *out = g_string_new (NULL);
  gsize count = 0;
  const char *p;

  for (p = text; *p != '\0' && count < max_chars; p = g_utf8_next_char (p), count++)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n')
        g_string_append (out, "\u21b5");
      else if (c < 0x20)
        g_string_append_unichar (out, 0x2400 + c);
      else if (c == 0x7f)
        g_string_append (out, "\u2421");
      else if (is_bidi_control (c) || is_hidden_break_or_control (c))
        g_string_append_printf (out, "<U+%04X>", c);
      else
        g_string_append_unichar (out, c);
    }
  if (*p != '\0')
    g_string_append (out, "\u2026");
  return g_string_free (out, FALSE);
}

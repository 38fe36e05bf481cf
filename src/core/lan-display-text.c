/* lan-display-text.c — the one sanitizer for text from the network.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-display-text"

#include "lan-display-text.h"

#include <string.h>

static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202a && c <= 0x202e) ||  /* LRE, RLE, PDF, LRO, RLO */
         (c >= 0x2066 && c <= 0x2069) ||  /* LRI, RLI, FSI, PDI */
         c == 0x200e || c == 0x200f ||    /* LRM, RLM */
         c == 0x061c;                     /* ARABIC LETTER MARK */
}

/* NEL (U+0085), LINE SEPARATOR and PARAGRAPH SEPARATOR end a line in Pango
 * just as '\n' does. */
static gboolean
is_line_break (gunichar c)
{
  return c == '\n' || c == 0x2028 || c == 0x2029 || c == 0x0085;
}

static gboolean
is_c1_control (gunichar c)
{
  return c >= 0x80 && c <= 0x9f;
}

static void
append_terminal (GString  *out,
                 gunichar  c)
{
  if (c == '\n')
    g_string_append (out, "\u21b5");
  else if (c < 0x20)
    g_string_append_unichar (out, 0x2400 + c);
  else if (c == 0x7f)
    g_string_append (out, "\u2421");
  else if (is_bidi_control (c) || is_c1_control (c) || c == 0x2028 || c == 0x2029)
    g_string_append_printf (out, "<U+%04X>", c);
  else
    g_string_append_unichar (out, c);
}

static void
append_widget (GString     *out,
               gunichar     c,
               const char  *next,
               gboolean     lines)
{
  if (c == '\r')
    {
      if (*next == '\n')
        return;
      c = '\n';
    }

  if (is_line_break (c))
    g_string_append_c (out, lines ? '\n' : ' ');
  else if (c == '\t')
    g_string_append_c (out, lines ? '\t' : ' ');
  else if (is_bidi_control (c))
    return;
  else if (c < 0x20)
    g_string_append_unichar (out, 0x2400 + c);
  else if (c == 0x7f)
    g_string_append_unichar (out, 0x2421);
  else if (is_c1_control (c))
    g_string_append_unichar (out, 0xfffd);
  else
    g_string_append_unichar (out, c);
}

/**
 * lan_display_text:
 * @text: (nullable): UTF-8 or not, from anywhere
 * @mode: where the text goes
 * @max_chars: keep at most this many characters of @text, then "…";
 *   %LAN_DISPLAY_TEXT_ALL for no limit
 *
 * Invalid bytes become U+FFFD first; then @text is made safe for @mode (see
 * #LanDisplayTextMode). With @max_chars, a replaced character counts as one
 * character of @text however long its visible form is.
 *
 * Returns: (transfer full): valid UTF-8, never %NULL
 */
char *
lan_display_text (const char         *text,
                  LanDisplayTextMode  mode,
                  gsize               max_chars)
{
  g_autofree char *valid = NULL;
  GString *out;
  gsize count = 0;
  const char *p;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));

  for (p = valid; *p != '\0' && count < max_chars; p = g_utf8_next_char (p), count++)
    {
      gunichar c = g_utf8_get_char (p);

      if (mode == LAN_DISPLAY_TEXT_TERMINAL)
        append_terminal (out, c);
      else
        append_widget (out, c, g_utf8_next_char (p), mode == LAN_DISPLAY_TEXT_LINES);
    }
  if (*p != '\0')
    g_string_append (out, "\u2026");
  return g_string_free (out, FALSE);
}

/**
 * lan_display_text_ellipsize:
 * @text: valid UTF-8
 * @max_chars: at least 1
 *
 * Cuts @text to at most @max_chars characters, the last one "…" when cut.
 * For notification bodies, which have no ellipsizing of their own.
 *
 * Returns: (transfer full):
 */
char *
lan_display_text_ellipsize (const char *text,
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

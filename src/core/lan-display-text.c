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

/* Characters that draw as nothing and are not line breaks or bidi
 * controls: "ad\u200bmi\u200dn" would read as "admin". */
static gboolean
is_invisible (gunichar c)
{
  return c == 0x00ad ||                    /* SOFT HYPHEN */
         c == 0x034f ||                    /* COMBINING GRAPHEME JOINER */
         c == 0x115f || c == 0x1160 ||     /* HANGUL CHOSEONG/JUNGSEONG FILLER */
         c == 0x17b4 || c == 0x17b5 ||     /* KHMER VOWEL INHERENT AQ/AA */
         (c >= 0x180b && c <= 0x180f) ||   /* MONGOLIAN selectors, VOWEL SEPARATOR */
         (c >= 0x200b && c <= 0x200d) ||   /* ZWSP, ZWNJ, ZWJ */
         (c >= 0x2060 && c <= 0x2064) ||   /* WORD JOINER, invisible operators */
         (c >= 0x206a && c <= 0x206f) ||   /* deprecated format characters */
         c == 0x3164 || c == 0xffa0 ||     /* HANGUL FILLER, HALFWIDTH HANGUL FILLER */
         (c >= 0xfe00 && c <= 0xfe0f) ||   /* VARIATION SELECTOR-1..16 */
         c == 0xfeff ||                    /* ZERO WIDTH NO-BREAK SPACE (BOM) */
         (c >= 0xfff9 && c <= 0xfffb) ||   /* interlinear annotation */
         (c >= 0x1d173 && c <= 0x1d17a) || /* musical format characters */
         (c >= 0xe0000 && c <= 0xe0fff);   /* tags, VARIATION SELECTOR-17..256 */
}

static gboolean
is_pictograph (gunichar c)
{
  return g_unichar_type (c) == G_UNICODE_OTHER_SYMBOL;
}

/* Scripts whose words need ZWJ/ZWNJ to be spelled right (Persian, the
 * Indic scripts, Sinhala…), where hiding them would garble real names. */
static gboolean
is_joining_script (GUnicodeScript script)
{
  switch (script)
    {
    case G_UNICODE_SCRIPT_ARABIC:
    case G_UNICODE_SCRIPT_SYRIAC:
    case G_UNICODE_SCRIPT_DEVANAGARI:
    case G_UNICODE_SCRIPT_BENGALI:
    case G_UNICODE_SCRIPT_GURMUKHI:
    case G_UNICODE_SCRIPT_GUJARATI:
    case G_UNICODE_SCRIPT_ORIYA:
    case G_UNICODE_SCRIPT_TAMIL:
    case G_UNICODE_SCRIPT_TELUGU:
    case G_UNICODE_SCRIPT_KANNADA:
    case G_UNICODE_SCRIPT_MALAYALAM:
    case G_UNICODE_SCRIPT_SINHALA:
    case G_UNICODE_SCRIPT_MONGOLIAN:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Whether invisible @c between @base (the last visible character before it,
 * 0 at the start) and @next (0 at the end) does a visible job: joining an
 * emoji sequence (👨‍👩‍👧, ❤️, 1️⃣, a subdivision flag) or a word of a joining
 * script. Everywhere else it could only hide something, so it is shown. */
static gboolean
is_meaningful_invisible (gunichar c,
                         gunichar base,
                         gunichar next)
{
  if (c == 0x200c || c == 0x200d)
    return (is_pictograph (base) && is_pictograph (next)) ||
           (base != 0 && next != 0 &&
            is_joining_script (g_unichar_get_script (base)) &&
            g_unichar_get_script (base) == g_unichar_get_script (next));
  if (c >= 0xfe00 && c <= 0xfe0f)
    return is_pictograph (base) || (base >= '0' && base <= '9') || base == '#' || base == '*' ||
           (base > 0x7f && !is_invisible (base));
  if (c >= 0xe0100 && c <= 0xe01ef)  /* ideographic variants */
    return g_unichar_get_script (base) == G_UNICODE_SCRIPT_HAN;
  if (c >= 0xe0020 && c <= 0xe007f)  /* the tag letters of 🏴 flags */
    return base == 0x1f3f4 || (base >= 0xe0020 && base <= 0xe007f);
  return FALSE;
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
  else if (is_bidi_control (c) || is_c1_control (c) || c == 0x2028 || c == 0x2029 ||
           is_invisible (c))
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
  else if (is_invisible (c))
    g_string_append_printf (out, "<U+%04X>", c);
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
  gunichar base = 0;
  const char *p;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));

  for (p = valid; *p != '\0' && count < max_chars; p = g_utf8_next_char (p), count++)
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (is_invisible (c) && is_meaningful_invisible (c, base, *next != '\0' ? g_utf8_get_char (next) : 0))
        {
          g_string_append_unichar (out, c);
          /* A tag letter continues its flag; the rest leave the base as it was. */
          if (c >= 0xe0020 && c <= 0xe007f)
            base = c;
          continue;
        }
      if (!is_invisible (c))
        base = c;

      if (mode == LAN_DISPLAY_TEXT_TERMINAL)
        append_terminal (out, c);
      else
        append_widget (out, c, next, mode == LAN_DISPLAY_TEXT_LINES);
    }
  if (*p != '\0')
    g_string_append (out, "\u2026");
  return g_string_free (out, FALSE);
}

/**
 * lan_display_text_is_hidden:
 * @c: a character
 *
 * Whether @c could hide or reorder text around it: a control (C0, DEL, C1),
 * a bidi control, a line or paragraph separator, or a character that draws
 * as nothing. The JSON outputs escape exactly these.
 *
 * Returns: %TRUE for those
 */
gboolean
lan_display_text_is_hidden (gunichar c)
{
  return c < 0x20 || c == 0x7f || is_c1_control (c) || is_bidi_control (c) ||
         c == 0x2028 || c == 0x2029 || is_invisible (c);
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

/* test-display-text.c — the one sanitizer for text from the network, in each
 * of its modes: a widget's line, a widget's lines, and a terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-display-text.h"

/* Copies into a buffer of exactly strlen + 1 bytes so a read past the NUL shows under ASan. */
static char *
visible_exact (const char *text,
               gsize       max_chars)
{
  g_autofree char *copy = g_memdup2 (text, strlen (text) + 1);
  char *visible = lan_display_text (copy, LAN_DISPLAY_TEXT_TERMINAL, max_chars);

  g_assert_true (g_utf8_validate (visible, -1, NULL));
  return visible;
}

static void
assert_visible (const char *text,
                gsize       max_chars,
                const char *expected)
{
  g_autofree char *visible = visible_exact (text, max_chars);

  g_assert_cmpstr (visible, ==, expected);
}

static void
test_plain (void)
{
  assert_visible ("", 100, "");
  assert_visible ("", 0, "");
  assert_visible ("hello, world", 100, "hello, world");
  /* Non-ASCII text that is not a control passes through untouched. */
  assert_visible ("张三: 你好 😀 ｱｲｳ é", 100, "张三: 你好 😀 ｱｲｳ é");
  /* A joiner is no control: emoji sequences must survive. */
  assert_visible ("👩\u200d💻", 100, "👩\u200d💻");
}

static void
test_controls (void)
{
  assert_visible ("a\nb", 100, "a\u21b5b");
  assert_visible ("a\r\nb", 100, "a\u240d\u21b5b");
  assert_visible ("\t", 100, "\u2409");
  assert_visible ("\x01", 100, "\u2401");
  assert_visible ("\x1b[31mred", 100, "\u241b[31mred");
  assert_visible ("\x1f", 100, "\u241f");
  assert_visible ("a\x7f" "b", 100, "a\u2421b");
  /* Space and tilde are the edges of printable ASCII and stay as they are. */
  assert_visible (" ~", 100, " ~");

  /* Every C0 control gets its own symbol, so none of them is left raw. */
  for (guint c = 1; c < 0x20; c++)
    {
      char text[2] = { (char) c, '\0' };
      g_autofree char *visible = visible_exact (text, 10);
      gunichar shown = g_utf8_get_char (visible);

      g_assert_cmpuint (g_utf8_strlen (visible, -1), ==, 1);
      g_assert_cmpuint (shown, ==, c == '\n' ? 0x21b5 : 0x2400 + c);
    }
}

static void
test_bidi (void)
{
  static const gunichar bidi[] = {
    0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
    0x2066, 0x2067, 0x2068, 0x2069,
    0x200e, 0x200f, 0x061c,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bidi); i++)
    {
      char utf8[8] = { 0 };
      g_autofree char *text = NULL;
      g_autofree char *expected = NULL;

      g_unichar_to_utf8 (bidi[i], utf8);
      text = g_strconcat ("abc", utf8, "def", NULL);
      expected = g_strdup_printf ("abc<U+%04X>def", bidi[i]);
      assert_visible (text, 100, expected);
    }

  /* The classic filename trick: it must read in logical order. */
  assert_visible ("invoice\u202egpj.exe", 100, "invoice<U+202E>gpj.exe");
  /* Neighbours of the ranges are ordinary characters. */
  assert_visible ("\u2065\u2010\u2027\u202f", 100, "\u2065\u2010\u2027\u202f");
}

static void
test_line_breaks (void)
{
  /* Pango breaks a line at these even without '\n', which would let a peer
   * put a second line into a one-line cell. */
  assert_visible ("a\u2028b", 100, "a<U+2028>b");
  assert_visible ("a\u2029b", 100, "a<U+2029>b");
  assert_visible ("a\xc2\x85" "b", 100, "a<U+0085>b");
  /* The rest of C1 has no visible symbol either. */
  assert_visible ("\xc2\x80\xc2\x9b\xc2\x9f", 100, "<U+0080><U+009B><U+009F>");
  /* The first character after C1 is ordinary text. */
  assert_visible ("\u00a0\u00e9", 100, "\u00a0\u00e9");
}

static void
test_truncation (void)
{
  /* Exactly @max_chars fits without an ellipsis; one more does not. */
  assert_visible ("abcde", 5, "abcde");
  assert_visible ("abcdef", 5, "abcde\u2026");
  assert_visible ("abcdef", 1, "a\u2026");
  assert_visible ("a", 0, "\u2026");
  assert_visible ("", 0, "");

  /* Counted in characters, not bytes. */
  assert_visible ("张三李四", 4, "张三李四");
  assert_visible ("张三李四王五", 4, "张三李四\u2026");
  assert_visible ("😀😀😀", 2, "😀😀\u2026");

  /* A replaced character counts as one input character, however long its visible form. */
  assert_visible ("\n\n\n", 2, "\u21b5\u21b5\u2026");
  assert_visible ("\u202e\u202e", 2, "<U+202E><U+202E>");
  assert_visible ("\u202e\u202ex", 2, "<U+202E><U+202E>\u2026");
}

static void
test_long (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *visible = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append (text, "张\n");
  visible = visible_exact (text->str, 200);
  g_assert_cmpuint (g_utf8_strlen (visible, -1), ==, 201);
  g_assert_true (g_str_has_suffix (visible, "\u21b5\u2026"));
}

/* Widget modes: what labels and message bubbles show. */

static void
check_sanitize (const char   *input,
                LanDisplayTextMode  mode,
                const char   *expected)
{
  g_autofree char *output = lan_display_text (input, mode, LAN_DISPLAY_TEXT_ALL);

  g_assert_cmpstr (output, ==, expected);
  g_assert_true (g_utf8_validate (output, -1, NULL));
}

static void
test_plain_text_unchanged (void)
{
  check_sanitize ("alice", LAN_DISPLAY_TEXT_ONE_LINE, "alice");
  check_sanitize ("你好，世界", LAN_DISPLAY_TEXT_ONE_LINE, "你好，世界");
  check_sanitize ("", LAN_DISPLAY_TEXT_ONE_LINE, "");
  check_sanitize (NULL, LAN_DISPLAY_TEXT_ONE_LINE, "");
}

/* Markup is not the sanitizer's business (labels never parse it), and the
 * characters must arrive exactly as sent. */
static void
test_markup_kept_as_characters (void)
{
  check_sanitize ("<b>bold</b> &amp;", LAN_DISPLAY_TEXT_ONE_LINE, "<b>bold</b> &amp;");
  check_sanitize ("<span foreground='red'>x</span>", LAN_DISPLAY_TEXT_LINES,
                  "<span foreground='red'>x</span>");
}

static void
test_bidi_controls_removed (void)
{
  /* "invoice\u202Efdp.exe" would show as "invoiceexe.pdf". */
  check_sanitize ("invoice\u202Efdp.exe", LAN_DISPLAY_TEXT_ONE_LINE, "invoicefdp.exe");
  check_sanitize ("a\u202Ab\u202Bc\u202Cd\u202De", LAN_DISPLAY_TEXT_ONE_LINE, "abcde");
  check_sanitize ("a\u2066b\u2067c\u2068d\u2069e", LAN_DISPLAY_TEXT_ONE_LINE, "abcde");
  check_sanitize ("a\u200Eb\u200Fc\u061Cd", LAN_DISPLAY_TEXT_ONE_LINE, "abcd");
}

static void
test_control_characters_visible (void)
{
  check_sanitize ("bell\a", LAN_DISPLAY_TEXT_ONE_LINE, "bell\u2407");
  check_sanitize ("esc\033[31mred", LAN_DISPLAY_TEXT_ONE_LINE, "esc\u241b[31mred");
  check_sanitize ("del\x7f", LAN_DISPLAY_TEXT_ONE_LINE, "del\u2421");
  check_sanitize ("c1\xc2\x85" "x\xc2\x9b" "x", LAN_DISPLAY_TEXT_LINES, "c1\nx\ufffdx");
}

static void
test_widget_line_breaks (void)
{
  check_sanitize ("one\ntwo\r\nthree\rfour", LAN_DISPLAY_TEXT_LINES, "one\ntwo\nthree\nfour");
  check_sanitize ("one\ntwo\r\nthree\tfour", LAN_DISPLAY_TEXT_ONE_LINE, "one two three four");
  check_sanitize ("a\u2028b\u2029c", LAN_DISPLAY_TEXT_ONE_LINE, "a b c");
  check_sanitize ("tab\there", LAN_DISPLAY_TEXT_LINES, "tab\there");
}

static void
test_invalid_utf8_replaced (void)
{
  check_sanitize ("ok\xff\xfe" "end", LAN_DISPLAY_TEXT_ONE_LINE, "ok\ufffd\ufffdend");
  check_sanitize ("\xc3", LAN_DISPLAY_TEXT_ONE_LINE, "\ufffd");
}

static void
test_ellipsize (void)
{
  g_autofree char *same = lan_display_text_ellipsize ("short", 10);
  g_autofree char *cut = lan_display_text_ellipsize ("abcdefghij", 5);
  g_autofree char *wide = lan_display_text_ellipsize ("你好世界你好", 3);

  g_assert_cmpstr (same, ==, "short");
  g_assert_cmpstr (cut, ==, "abcd…");
  g_assert_cmpstr (wide, ==, "你好…");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/display-text/terminal/plain", test_plain);
  g_test_add_func ("/display-text/terminal/controls", test_controls);
  g_test_add_func ("/display-text/terminal/bidi", test_bidi);
  g_test_add_func ("/display-text/terminal/line-breaks", test_line_breaks);
  g_test_add_func ("/display-text/terminal/truncation", test_truncation);
  g_test_add_func ("/display-text/terminal/long", test_long);
  g_test_add_func ("/display-text/widget/plain", test_plain_text_unchanged);
  g_test_add_func ("/display-text/widget/markup-kept", test_markup_kept_as_characters);
  g_test_add_func ("/display-text/widget/bidi-removed", test_bidi_controls_removed);
  g_test_add_func ("/display-text/widget/controls-visible", test_control_characters_visible);
  g_test_add_func ("/display-text/widget/line-breaks", test_widget_line_breaks);
  g_test_add_func ("/display-text/widget/invalid-utf8", test_invalid_utf8_replaced);
  g_test_add_func ("/display-text/ellipsize", test_ellipsize);

  return g_test_run ();
}

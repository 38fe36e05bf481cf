/* test-display-text.c — the one sanitizer for text from the network, in each
 * of its modes: a widget's line, a widget's lines, and a terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-display-text.h"
#include "lan-json-text.h"

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

static void
assert_widget (const char *text,
               const char *expected)
{
  g_autofree char *line = lan_display_text (text, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);
  g_autofree char *lines = lan_display_text (text, LAN_DISPLAY_TEXT_LINES, LAN_DISPLAY_TEXT_ALL);

  g_assert_cmpstr (line, ==, expected);
  g_assert_cmpstr (lines, ==, expected);
}

static void
test_invisible_shown (void)
{
  /* The case: a name that would read as "admin". */
  assert_visible ("ad\u200bmi\u200dn", LAN_DISPLAY_TEXT_ALL, "ad<U+200B>mi<U+200D>n");
  assert_widget ("ad\u200bmi\u200dn", "ad<U+200B>mi<U+200D>n");
  assert_visible ("\ufeffroot\u2060", LAN_DISPLAY_TEXT_ALL, "<U+FEFF>root<U+2060>");
  assert_visible ("ad\u00admin", LAN_DISPLAY_TEXT_ALL, "ad<U+00AD>min");
  assert_visible ("\u3164", LAN_DISPLAY_TEXT_ALL, "<U+3164>");
  assert_visible ("admin\ufe0f", LAN_DISPLAY_TEXT_ALL, "admin<U+FE0F>");
  assert_visible ("a\U000e0041", LAN_DISPLAY_TEXT_ALL, "a<U+E0041>");
  /* A joiner at either end joins nothing. */
  assert_visible ("\u200d\U0001f469", LAN_DISPLAY_TEXT_ALL, "<U+200D>\U0001f469");
  assert_widget ("\U0001f469\u200d", "\U0001f469<U+200D>");
  /* Counted as one character each, like any other replaced one. */
  assert_visible ("a\u200bbc", 2, "a<U+200B>\u2026");
}

static void
test_invisible_meaningful_kept (void)
{
  /* Emoji sequences: family (ZWJ), heart on fire (VS16 then ZWJ), keycap,
   * the flag of England (tags). */
  const char *family = "\U0001f468\u200d\U0001f469\u200d\U0001f467";
  const char *fire = "\u2764\ufe0f\u200d\U0001f525";
  const char *keycap = "1\ufe0f\u20e3";
  const char *england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f";
  /* Persian "mikhoram" with its ZWNJ. */
  const char *persian = "\u0645\u06cc\u200c\u062e\u0648\u0631\u0645";

  assert_visible (family, LAN_DISPLAY_TEXT_ALL, family);
  assert_visible (fire, LAN_DISPLAY_TEXT_ALL, fire);
  assert_visible (keycap, LAN_DISPLAY_TEXT_ALL, keycap);
  assert_visible (england, LAN_DISPLAY_TEXT_ALL, england);
  assert_visible (persian, LAN_DISPLAY_TEXT_ALL, persian);
  assert_widget (family, family);
  assert_widget (persian, persian);
  /* A Latin word gets no such pass. */
  assert_visible ("a\u200cb", LAN_DISPLAY_TEXT_ALL, "a<U+200C>b");
}

static void
test_json_escapes_hidden (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *nasty = "exe\u202etxt.\xc2\x85\xc2\x9b" "2J ad\u200bmin \U0001f468\u200d\U0001f469 \"q\"\\\n\x01";
  JsonObject *back;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "nickname");
  json_builder_add_string_value (builder, nasty);
  json_builder_set_member_name (builder, "packet_no");
  json_builder_add_int_value (builder, (gint64) G_MAXUINT64);
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, -1);
  json_builder_set_member_name (builder, "list");
  json_builder_begin_array (builder);
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_add_null_value (builder);
  json_builder_add_double_value (builder, 0.5);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  text = lan_json_to_display_string (node);

  g_assert_cmpstr (text, ==,
                   "{\"nickname\":\"exe\\u202etxt.\\u0085\\u009b2J ad\\u200bmin "
                   "\U0001f468\\u200d\U0001f469 \\\"q\\\"\\\\\\n\\u0001\","
                   "\"packet_no\":18446744073709551615,\"port\":-1,\"list\":[true,null,0.5]}");
  /* Lossless: a JSON reader gets the very string back. */
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  back = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (back, "nickname"), ==, nasty);
}

static void
test_json_packet_no_unsigned (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "packet_no");
  json_builder_add_int_value (builder, (gint64) (G_GUINT64_CONSTANT (1) << 63));
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  text = lan_json_to_display_string (node);
  g_assert_cmpstr (text, ==, "{\"packet_no\":9223372036854775808}");
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
  g_test_add_func ("/display-text/invisible-shown", test_invisible_shown);
  g_test_add_func ("/display-text/invisible-meaningful-kept", test_invisible_meaningful_kept);
  g_test_add_func ("/display-text/json/escapes-hidden", test_json_escapes_hidden);
  g_test_add_func ("/display-text/json/packet-no-unsigned", test_json_packet_no_unsigned);

  return g_test_run ();
}

/* test-helpers.c — the app's pure helpers: sanitizing, hex dumps, target parsing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib.h>

#include <gio/gio.h>

#include "lan-log-format.h"
#include "lan-messenger-settings.h"
#include "lan-text.h"

static void
check_sanitize (const char   *input,
                LanTextFlags  flags,
                const char   *expected)
{
  g_autofree char *output = lan_text_sanitize_for_display (input, flags);

  g_assert_cmpstr (output, ==, expected);
  g_assert_true (g_utf8_validate (output, -1, NULL));
}

static void
test_plain_text_unchanged (void)
{
  check_sanitize ("alice", LAN_TEXT_SINGLE_LINE, "alice");
  check_sanitize ("你好，世界", LAN_TEXT_SINGLE_LINE, "你好，世界");
  check_sanitize ("", LAN_TEXT_SINGLE_LINE, "");
  check_sanitize (NULL, LAN_TEXT_SINGLE_LINE, "");
}

/* Markup is not the sanitizer's business (labels never parse it), and the
 * characters must arrive exactly as sent. */
static void
test_markup_kept_as_characters (void)
{
  check_sanitize ("<b>bold</b> &amp;", LAN_TEXT_SINGLE_LINE, "<b>bold</b> &amp;");
  check_sanitize ("<span foreground='red'>x</span>", LAN_TEXT_MULTI_LINE,
                  "<span foreground='red'>x</span>");
}

static void
test_bidi_controls_removed (void)
{
  /* "invoice\u202Efdp.exe" would show as "invoiceexe.pdf". */
  check_sanitize ("invoice\u202Efdp.exe", LAN_TEXT_SINGLE_LINE, "invoicefdp.exe");
  check_sanitize ("a\u202Ab\u202Bc\u202Cd\u202De", LAN_TEXT_SINGLE_LINE, "abcde");
  check_sanitize ("a\u2066b\u2067c\u2068d\u2069e", LAN_TEXT_SINGLE_LINE, "abcde");
  check_sanitize ("a\u200Eb\u200Fc\u061Cd", LAN_TEXT_SINGLE_LINE, "abcd");
}

static void
test_control_characters_visible (void)
{
  check_sanitize ("bell\a", LAN_TEXT_SINGLE_LINE, "bell\u2407");
  check_sanitize ("esc\033[31mred", LAN_TEXT_SINGLE_LINE, "esc\u241b[31mred");
  check_sanitize ("del\x7f", LAN_TEXT_SINGLE_LINE, "del\u2421");
  check_sanitize ("c1\xc2\x85" "x\xc2\x9b" "x", LAN_TEXT_MULTI_LINE, "c1\nx\ufffdx");
}

static void
test_line_breaks (void)
{
  check_sanitize ("one\ntwo\r\nthree\rfour", LAN_TEXT_MULTI_LINE, "one\ntwo\nthree\nfour");
  check_sanitize ("one\ntwo\r\nthree\tfour", LAN_TEXT_SINGLE_LINE, "one two three four");
  check_sanitize ("a\u2028b\u2029c", LAN_TEXT_SINGLE_LINE, "a b c");
  check_sanitize ("tab\there", LAN_TEXT_MULTI_LINE, "tab\there");
}

static void
test_invalid_utf8_replaced (void)
{
  check_sanitize ("ok\xff\xfe" "end", LAN_TEXT_SINGLE_LINE, "ok\ufffd\ufffdend");
  check_sanitize ("\xc3", LAN_TEXT_SINGLE_LINE, "\ufffd");
}

static void
test_ellipsize (void)
{
  g_autofree char *same = lan_text_ellipsize ("short", 10);
  g_autofree char *cut = lan_text_ellipsize ("abcdefghij", 5);
  g_autofree char *wide = lan_text_ellipsize ("你好世界你好", 3);

  g_assert_cmpstr (same, ==, "short");
  g_assert_cmpstr (cut, ==, "abcd…");
  g_assert_cmpstr (wide, ==, "你好…");
}

static void
test_hex_dump (void)
{
  const guint8 data[] = "1:123:alice:box:32:hello\0\x01\xff";
  g_autofree char *dump = lan_log_format_hex_dump (data, sizeof data - 1);
  g_autofree char *empty = lan_log_format_hex_dump (NULL, 0);

  g_assert_cmpstr (dump, ==,
                   "0000  31 3a 31 32 33 3a 61 6c  69 63 65 3a 62 6f 78 3a  1:123:alice:box:\n"
                   "0010  33 32 3a 68 65 6c 6c 6f  00 01 ff                 32:hello...\n");
  g_assert_cmpstr (empty, ==, "");
}

/* What a person types into Preferences → Extra Targets. */
static void
test_parse_targets (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) targets = NULL;
  g_auto(GStrv) none = NULL;
  g_auto(GStrv) bad = NULL;

  targets = lan_messenger_settings_parse_targets (" 10.1.2.3,10.1.2.10-50\n\n 10.1.0.0/22 \n", &error);
  g_assert_no_error (error);
  g_assert_nonnull (targets);
  g_assert_cmpuint (g_strv_length (targets), ==, 3);
  g_assert_cmpstr (targets[0], ==, "10.1.2.3");
  g_assert_cmpstr (targets[1], ==, "10.1.2.10-50");
  g_assert_cmpstr (targets[2], ==, "10.1.0.0/22");

  none = lan_messenger_settings_parse_targets ("  \n , ", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  bad = lan_messenger_settings_parse_targets ("10.1.2.3\nprinter.local", &error);
  g_assert_null (bad);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "printer.local"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/sanitize/plain", test_plain_text_unchanged);
  g_test_add_func ("/text/sanitize/markup", test_markup_kept_as_characters);
  g_test_add_func ("/text/sanitize/bidi", test_bidi_controls_removed);
  g_test_add_func ("/text/sanitize/controls", test_control_characters_visible);
  g_test_add_func ("/text/sanitize/line-breaks", test_line_breaks);
  g_test_add_func ("/text/sanitize/invalid-utf8", test_invalid_utf8_replaced);
  g_test_add_func ("/text/ellipsize", test_ellipsize);
  g_test_add_func ("/text/hex-dump", test_hex_dump);
  g_test_add_func ("/settings/parse-targets", test_parse_targets);

  return g_test_run ();
}

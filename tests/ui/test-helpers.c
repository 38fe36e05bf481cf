/* test-helpers.c — the app's pure helpers: sanitizing, hex dumps, target
 * parsing. (The packet fields and links tests are unit tests now:
 * tests/unit/test-ipmsg-dissect.c and test-packet-links.c.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib.h>

#include <gio/gio.h>

#include "lan-log-format.h"
#include "lan-messenger-settings.h"

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

/* Every byte's two hex digits and its character are where the dump says. */
static void
test_hex_dump_positions (void)
{
  guint8 data[40];
  g_autofree char *dump = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guint8) ('A' + i);
  dump = lan_log_format_hex_dump (data, sizeof data);
  lines = g_strsplit (dump, "\n", -1);

  for (gsize i = 0; i < sizeof data; i++)
    {
      gsize line;
      guint hex, ascii;
      char expected[3];

      lan_log_hex_dump_position (i, &line, &hex, &ascii);
      g_snprintf (expected, sizeof expected, "%02x", data[i]);
      g_assert_cmpint (strncmp (lines[line] + hex, expected, 2), ==, 0);
      g_assert_cmpint (lines[line][ascii], ==, (char) data[i]);
    }
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

  g_test_add_func ("/text/hex-dump", test_hex_dump);
  g_test_add_func ("/text/hex-dump-positions", test_hex_dump_positions);
  g_test_add_func ("/settings/parse-targets", test_parse_targets);

  return g_test_run ();
}

/* test-ipmsg.c — the wire codec against real clients' packets and hostile bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-ipmsg.h"

/* Datagrams are copied into a buffer of exactly their size, so a read past
 * the end shows up under AddressSanitizer instead of hitting a terminator. */
static LanIpmsgPacket *
parse_exact (const char  *data,
             gsize        len,
             GError     **error)
{
  g_autofree guint8 *copy = len > 0 ? g_memdup2 (data, len) : NULL;

  return lan_ipmsg_packet_parse (copy, len, error);
}

/* A literal and its length, NULs included. */
#define BYTES(literal) (literal), sizeof (literal) - 1

#define PARSE_LITERAL(literal, error) parse_exact ((literal), sizeof (literal) - 1, (error))

static void
assert_section (const LanIpmsgPacket *packet,
                guint                 index,
                const char           *expected,
                gsize                 expected_len)
{
  GBytes *section = lan_ipmsg_packet_get_section (packet, index);
  gsize len = 0;
  const guint8 *data;

  g_assert_nonnull (section);
  data = g_bytes_get_data (section, &len);
  g_assert_cmpmem (data, len, expected, expected_len);
}

static GPtrArray *
parse_file_list_literal (const char  *list,
                         gsize        len,
                         GError     **error)
{
  g_autofree guint8 *copy = len > 0 ? g_memdup2 (list, len) : NULL;

  return lan_ipmsg_parse_file_list (copy, len, error);
}

static void
assert_parse_error (const char *data,
                    gsize       len,
                    int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = parse_exact (data, len, &error);

  g_assert_null (packet);
  g_assert_error (error, LAN_IPMSG_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_parse_basic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = PARSE_LITERAL ("1:1700000000:alice:pc-01:288:hello world", &error);

  g_assert_no_error (error);
  g_assert_nonnull (packet);
  g_assert_cmpstr (packet->version, ==, "1");
  g_assert_cmpuint (packet->packet_no, ==, 1700000000);
  g_assert_cmpstr (packet->user, ==, "alice");
  g_assert_cmpstr (packet->host, ==, "pc-01");
  g_assert_cmpuint (packet->command, ==, 288);
  g_assert_cmpuint (lan_ipmsg_packet_mode (packet), ==, LAN_IPMSG_SENDMSG);
  g_assert_cmpuint (lan_ipmsg_packet_options (packet), ==, LAN_IPMSG_SENDCHECKOPT);
  g_assert_cmpuint (packet->sections->len, ==, 1);
  assert_section (packet, 0, "hello world", 11);
}

static void
test_parse_no_extra (void)
{
  const char *variants[] = { "1:2:u:h:1", "1:2:u:h:1:" };

  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LanIpmsgPacket) packet = parse_exact (variants[i], strlen (variants[i]), &error);
      g_autofree char *section = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (packet->command, ==, LAN_IPMSG_BR_ENTRY);
      g_assert_cmpuint (g_bytes_get_size (packet->extra), ==, 0);
      g_assert_cmpuint (packet->sections->len, ==, 1);
      section = lan_ipmsg_packet_dup_section (packet, 0);
      g_assert_cmpstr (section, ==, "");
      g_assert_null (lan_ipmsg_packet_dup_section (packet, 1));
      g_assert_null (lan_ipmsg_packet_get_section (packet, 1));
    }
}

static void
test_parse_empty_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = PARSE_LITERAL ("1:0:::0:", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (packet->user, ==, "");
  g_assert_cmpstr (packet->host, ==, "");
  g_assert_cmpuint (packet->packet_no, ==, 0);
}

static void
test_parse_extra_colons_and_nuls (void)
{
  static const char datagram[] = "1:5:u:h:32:a:b::c\0d:e\0";
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = parse_exact (datagram, sizeof datagram - 1, &error);
  g_autofree char *first = NULL;

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (packet->extra, NULL), g_bytes_get_size (packet->extra),
                   "a:b::c\0d:e\0", 11);
  g_assert_cmpuint (packet->sections->len, ==, 3);
  assert_section (packet, 0, "a:b::c", 6);
  assert_section (packet, 1, "d:e", 3);
  assert_section (packet, 2, "", 0);
  first = lan_ipmsg_packet_dup_section (packet, 0);
  g_assert_cmpstr (first, ==, "a:b::c");
}

static void
test_parse_only_nuls_in_extra (void)
{
  static const char datagram[] = "1:5:u:h:32:\0\0";
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = parse_exact (datagram, sizeof datagram - 1, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (packet->sections->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_section (packet, i, "", 0);
}

static void
test_parse_versions_accepted (void)
{
  const char *versions[] = {
    "1", "1_iptux 0.8.3", "1_lbt6_0#128#0C9D92A1B2C3#0#0#0#4001#9", "1@x", "01", "1.0", "1 ",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *datagram = g_strdup_printf ("%s:1:u:h:0:", versions[i]);
      g_autoptr(LanIpmsgPacket) packet = parse_exact (datagram, strlen (datagram), &error);

      g_assert_no_error (error);
      g_assert_cmpstr (packet->version, ==, versions[i]);
    }
}

static void
test_hostile_bad_version (void)
{
  const char *versions[] = { "2", "10", "", "x1", "0", "11_iptux", " 1", "+1", "-1", "_1", "100000000000000000000001" };

  for (gsize i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      g_autofree char *datagram = g_strdup_printf ("%s:1:u:h:0:", versions[i]);

      assert_parse_error (datagram, strlen (datagram), LAN_IPMSG_ERROR_BAD_VERSION);
    }
}

static void
test_hostile_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = lan_ipmsg_packet_parse (NULL, 0, &error);

  g_assert_null (packet);
  g_assert_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_EMPTY);
  assert_parse_error ("x", 0, LAN_IPMSG_ERROR_EMPTY);
}

static void
test_hostile_no_separators (void)
{
  assert_parse_error ("hello", 5, LAN_IPMSG_ERROR_TOO_FEW_FIELDS);
  assert_parse_error ("1", 1, LAN_IPMSG_ERROR_TOO_FEW_FIELDS);
  assert_parse_error ("\xff\xfe", 2, LAN_IPMSG_ERROR_TOO_FEW_FIELDS);
}

static void
test_hostile_too_few_fields (void)
{
  const char *datagrams[] = { ":", "::", ":::", "1:2", "1:2:u", "1:2:u:h", "1:2:u:h\n32" };

  for (gsize i = 0; i < G_N_ELEMENTS (datagrams); i++)
    assert_parse_error (datagrams[i], strlen (datagrams[i]), LAN_IPMSG_ERROR_TOO_FEW_FIELDS);
}

static void
test_hostile_non_numeric (void)
{
  const char *datagrams[] = {
    "1:12x:u:h:32:", "1::u:h:32:", "1:+1:u:h:32:", "1: 1:u:h:32:", "1:1 :u:h:32:",
    "1:-1:u:h:32:", "1:0x10:u:h:32:", "1:\xef\xbc\x91:u:h:32:",
    "1:1:u:h:abc:", "1:1:u:h::", "1:1:u:h:32x:", "1:1:u:h:-32:", "1:1:u:h: 32:",
    "1:1:u:h:0x20:", "1:1:u:h:",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (datagrams); i++)
    assert_parse_error (datagrams[i], strlen (datagrams[i]), LAN_IPMSG_ERROR_BAD_NUMBER);
}

static void
test_hostile_overflow (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = NULL;

  assert_parse_error ("1:18446744073709551616:u:h:32:", 31, LAN_IPMSG_ERROR_BAD_NUMBER);
  assert_parse_error ("1:99999999999999999999:u:h:32:", 31, LAN_IPMSG_ERROR_BAD_NUMBER);
  assert_parse_error ("1:1:u:h:4294967296:", 19, LAN_IPMSG_ERROR_BAD_NUMBER);
  assert_parse_error ("1:1:u:h:99999999999999999999999:", 32, LAN_IPMSG_ERROR_BAD_NUMBER);

  packet = PARSE_LITERAL ("1:18446744073709551615:u:h:4294967295:", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (packet->packet_no, ==, G_MAXUINT64);
  g_assert_cmpuint (packet->command, ==, G_MAXUINT32);
  g_clear_pointer (&packet, lan_ipmsg_packet_free);

  /* Leading zeros don't overflow. */
  packet = PARSE_LITERAL ("1:000000000000000000000000000007:u:h:0000000000000032:", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (packet->packet_no, ==, 7);
  g_assert_cmpuint (packet->command, ==, 32);
}

static void
test_hostile_nul_in_header (void)
{
  static const char valid[] = "1:2:user:host:32:body";
  gsize header_len = strlen ("1:2:user:host:32");

  /* A NUL anywhere before the 5th ':' is refused, even where it replaces a ':'. */
  for (gsize i = 0; i <= header_len; i++)
    {
      g_autofree char *datagram = g_memdup2 (valid, sizeof valid - 1);

      datagram[i] = '\0';
      assert_parse_error (datagram, sizeof valid - 1, LAN_IPMSG_ERROR_NUL_IN_HEADER);
    }

  assert_parse_error ("\0", 1, LAN_IPMSG_ERROR_NUL_IN_HEADER);
  assert_parse_error ("1:2:u:h:32\0:x", 13, LAN_IPMSG_ERROR_NUL_IN_HEADER);
}

static void
test_hostile_error_messages (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = PARSE_LITERAL ("1:12x:u:h:32:", &error);
  g_autofree char *long_field = NULL;
  g_autofree char *datagram = NULL;

  g_assert_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_NUMBER);
  g_assert_nonnull (strstr (error->message, "packet-no field \"12x\""));
  g_clear_error (&error);

  packet = PARSE_LITERAL ("1:1:u:h:3\xff\x1b[31m\"\\:", &error);
  g_assert_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_NUMBER);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "command field \"3\\xff\\x1b[31m\\\"\\\\\""));
  g_clear_error (&error);

  packet = PARSE_LITERAL ("\xc3\x28:1:u:h:32:", &error);
  g_assert_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_VERSION);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "\\xc3("));
  g_clear_error (&error);

  packet = PARSE_LITERAL ("1:2:us\0er:h:32:", &error);
  g_assert_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_NUL_IN_HEADER);
  g_assert_nonnull (strstr (error->message, "offset 6"));
  g_assert_nonnull (strstr (error->message, "user"));
  g_clear_error (&error);

  /* A huge field is cut short in the message. */
  long_field = g_strnfill (10000, '9');
  datagram = g_strdup_printf ("1:%sz:u:h:32:", long_field);
  packet = parse_exact (datagram, strlen (datagram), &error);
  g_assert_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_NUMBER);
  g_assert_cmpuint (strlen (error->message), <, 200);
}

static void
test_hostile_too_large (void)
{
  g_autofree char *datagram = g_malloc (LAN_IPMSG_MAX_DATAGRAM + 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = NULL;
  static const char header[] = "1:7:u:h:32:";

  memset (datagram, 'a', LAN_IPMSG_MAX_DATAGRAM + 1);
  memcpy (datagram, header, sizeof header - 1);
  assert_parse_error (datagram, LAN_IPMSG_MAX_DATAGRAM + 1, LAN_IPMSG_ERROR_TOO_LARGE);

  /* Exactly the limit is still a datagram. */
  packet = parse_exact (datagram, LAN_IPMSG_MAX_DATAGRAM, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (packet->extra), ==, LAN_IPMSG_MAX_DATAGRAM - (sizeof header - 1));
}

/* Anything that parses must serialise and parse back to the same packet. */
static void
assert_reserialises (const LanIpmsgPacket *packet)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = lan_ipmsg_packet_to_bytes (packet, &error);
  g_autoptr(LanIpmsgPacket) again = NULL;
  g_autofree char *described = NULL;
  g_autoptr(GPtrArray) block = NULL;
  GBytes *files_section = NULL;

  g_assert_no_error (error);
  again = parse_exact (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->version, ==, packet->version);
  g_assert_cmpuint (again->packet_no, ==, packet->packet_no);
  g_assert_cmpstr (again->user, ==, packet->user);
  g_assert_cmpstr (again->host, ==, packet->host);
  g_assert_cmpuint (again->command, ==, packet->command);
  g_assert_true (g_bytes_equal (again->extra, packet->extra));
  g_assert_cmpuint (again->sections->len, ==, packet->sections->len);

  described = lan_ipmsg_describe_command (packet->command);
  g_assert_true (g_utf8_validate (described, -1, NULL));
  block = lan_ipmsg_packet_parse_utf8_block (packet);
  g_assert_nonnull (block);
  lan_ipmsg_packet_has_iptux_utf8_marker (packet);
  files_section = lan_ipmsg_packet_get_section (packet, 1);
  if (files_section != NULL)
    {
      g_autoptr(GPtrArray) files = lan_ipmsg_parse_file_list (g_bytes_get_data (files_section, NULL),
                                                              g_bytes_get_size (files_section),
                                                              NULL);
      (void) files;
    }
}

static void
test_hostile_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x1a2c4a7);
  g_autofree guint8 *buffer = g_malloc (LAN_IPMSG_MAX_DATAGRAM);
  static const char *prefixes[] = { "", "1:", "1:2:", "1:2:u:h:", "1:2:u:h:32:", "1:2:u:h:2097440:0\0" };
  guint parsed = 0;

  for (guint iteration = 0; iteration < 600; iteration++)
    {
      const char *prefix = prefixes[iteration % G_N_ELEMENTS (prefixes)];
      gsize prefix_len = iteration % G_N_ELEMENTS (prefixes) == 5 ? 18 : strlen (prefix);
      gsize len = iteration < 60 ? LAN_IPMSG_MAX_DATAGRAM
                                 : (gsize) g_rand_int_range (rand, 0, 4096);
      /* Some inputs only from the bytes the protocol cares about, so that
       * separators, NULs and digits come up often enough to get deep. */
      gboolean alphabet = g_rand_boolean (rand);
      static const char interesting[] = "0123456789:\0\a\n :x\xff";
      g_autoptr(GError) error = NULL;
      g_autoptr(LanIpmsgPacket) packet = NULL;

      len = MAX (len, prefix_len);
      memcpy (buffer, prefix, prefix_len);
      for (gsize i = prefix_len; i < len; i++)
        buffer[i] = alphabet ? (guint8) interesting[g_rand_int_range (rand, 0, sizeof interesting - 1)]
                             : (guint8) g_rand_int_range (rand, 0, 256);

      packet = lan_ipmsg_packet_parse (buffer, len, &error);
      if (packet != NULL)
        {
          g_assert_no_error (error);
          assert_reserialises (packet);
          parsed++;
        }
      else
        {
          g_assert_nonnull (error);
          g_assert_true (error->domain == LAN_IPMSG_ERROR);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
    }

  /* The structured prefixes must let some through, or the loop tested nothing deep. */
  g_assert_cmpuint (parsed, >, 0);
}

static void
test_hostile_mutations (void)
{
  static const char seed[] = "1_iptux 0.8.3:1:root:host:259:nick\0group\0icon-qq.png\0utf-8\0";
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (guint iteration = 0; iteration < 2000; iteration++)
    {
      g_autofree guint8 *datagram = g_memdup2 (seed, sizeof seed - 1);
      gsize len = sizeof seed - 1;
      g_autoptr(GError) error = NULL;
      g_autoptr(LanIpmsgPacket) packet = NULL;
      guint n_mutations = (guint) g_rand_int_range (rand, 1, 4);

      for (guint m = 0; m < n_mutations; m++)
        datagram[g_rand_int_range (rand, 0, (gint32) len)] = (guint8) g_rand_int_range (rand, 0, 256);
      len = (gsize) g_rand_int_range (rand, 0, (gint32) len + 1);

      packet = lan_ipmsg_packet_parse (datagram, len, &error);
      if (packet != NULL)
        assert_reserialises (packet);
      else
        g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_real_iptux_entry (void)
{
  static const char datagram[] = "1_iptux 0.8.3:1:root:host:259:nick\0group\0icon-qq.png\0utf-8\0";
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = parse_exact (datagram, sizeof datagram - 1, &error);
  g_autoptr(GPtrArray) block = NULL;
  g_autofree char *described = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (packet->version, ==, "1_iptux 0.8.3");
  g_assert_cmpuint (packet->packet_no, ==, 1);
  g_assert_cmpstr (packet->user, ==, "root");
  g_assert_cmpstr (packet->host, ==, "host");
  /* 259 = 0x103: ANSENTRY with ABSENCEOPT, which iptux always sets. */
  g_assert_cmpuint (lan_ipmsg_packet_mode (packet), ==, LAN_IPMSG_ANSENTRY);
  g_assert_cmpuint (lan_ipmsg_packet_options (packet), ==, LAN_IPMSG_ABSENCEOPT);
  g_assert_true (lan_ipmsg_is_entry_mode (packet->command));
  g_assert_cmpuint (packet->sections->len, ==, 5);
  assert_section (packet, 0, "nick", 4);
  assert_section (packet, 1, "group", 5);
  assert_section (packet, 2, "icon-qq.png", 11);
  assert_section (packet, 3, "utf-8", 5);
  assert_section (packet, 4, "", 0);
  g_assert_true (lan_ipmsg_packet_has_iptux_utf8_marker (packet));

  block = lan_ipmsg_packet_parse_utf8_block (packet);
  g_assert_cmpuint (block->len, ==, 0);

  described = lan_ipmsg_describe_command (packet->command);
  g_assert_cmpstr (described, ==, "ANSENTRY|ABSENCEOPT");

  assert_reserialises (packet);
}

static void
test_real_windows_entry (void)
{
  static const char datagram[] =
    "1:1700000123:yamada:YAMADA-PC:25165825:\x8e\x52\x93\x63\0\x8a\x4a\x94\xad\0"
    "\nUN:yamada\nHN:YAMADA-PC\nNN:\xe5\xb1\xb1\xe7\x94\xb0\nGN:\xe9\x96\x8b\xe7\x99\xba\n"
    "VS:20000000:4.00\nIP:192.168.1.5\n\0";
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = parse_exact (datagram, sizeof datagram - 1, &error);
  g_autoptr(GPtrArray) block = NULL;
  g_autofree char *described = NULL;

  g_assert_no_error (error);
  /* 25165825 = 0x1800001: BR_ENTRY | UTF8OPT | CAPUTF8OPT. */
  g_assert_cmpuint (lan_ipmsg_packet_mode (packet), ==, LAN_IPMSG_BR_ENTRY);
  described = lan_ipmsg_describe_command (packet->command);
  g_assert_cmpstr (described, ==, "BR_ENTRY|UTF8OPT|CAPUTF8OPT");
  g_assert_false (lan_ipmsg_packet_has_iptux_utf8_marker (packet));

  block = lan_ipmsg_packet_parse_utf8_block (packet);
  g_assert_cmpuint (block->len, ==, 6);
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "UN"), ==, "yamada");
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "HN"), ==, "YAMADA-PC");
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "NN"), ==, "山田");
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "GN"), ==, "開発");
  /* Unknown keys are kept, with any ':' in the value. */
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "VS"), ==, "20000000:4.00");
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "IP"), ==, "192.168.1.5");
  g_assert_null (lan_ipmsg_utf8_block_lookup (block, "XX"));
  g_assert_null (lan_ipmsg_utf8_block_lookup (NULL, "NN"));

  assert_reserialises (packet);
}

static void
test_real_feiq_version (void)
{
  static const char datagram[] = "1_lbt6_0#128#C85B76A1B2C3#0#0#0#4001#9:1700000456:zhang:ZHANG-PC:6291457:\xd5\xc5\xc8\xfd\0\xbf\xaa\xb7\xa2\0";
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = parse_exact (datagram, sizeof datagram - 1, &error);
  g_autofree char *described = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (packet->version, ==, "1_lbt6_0#128#C85B76A1B2C3#0#0#0#4001#9");
  g_assert_cmpstr (packet->user, ==, "zhang");
  /* 6291457 = 0x600001: BR_ENTRY | FILEATTACHOPT | ENCRYPTOPT. */
  described = lan_ipmsg_describe_command (packet->command);
  g_assert_cmpstr (described, ==, "BR_ENTRY|FILEATTACHOPT|ENCRYPTOPT");
  assert_section (packet, 0, "\xd5\xc5\xc8\xfd", 4);
  assert_section (packet, 1, "\xbf\xaa\xb7\xa2", 4);
  assert_reserialises (packet);
}

static void
test_real_recvmsg (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = PARSE_LITERAL ("1_iptux 0.8.3:5:root:host:33:1700000789", &error);
  g_autofree char *acked = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (lan_ipmsg_packet_mode (packet), ==, LAN_IPMSG_RECVMSG);
  acked = lan_ipmsg_packet_dup_section (packet, 0);
  g_assert_cmpstr (acked, ==, "1700000789");
}

static void
test_real_sendmsg_with_files (void)
{
  static const char datagram[] =
    "1:1700001000:alice:pc:2097440:see attached\0"
    "0:report::v2.pdf:1a2b:6553f100:1:\a1:photos:0:6553f101:2:14=1:\a";
  static const char undoubled[] = "0:report:v2.pdf:1a2b:6553f100:1:\a";
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = parse_exact (datagram, sizeof datagram - 1, &error);
  GBytes *section = NULL;
  g_autoptr(GPtrArray) files = NULL;
  LanIpmsgFile *file;

  g_assert_no_error (error);
  /* 2097440 = 0x200120: SENDMSG | SENDCHECKOPT | FILEATTACHOPT. */
  g_assert_cmpuint (lan_ipmsg_packet_mode (packet), ==, LAN_IPMSG_SENDMSG);
  g_assert_true (lan_ipmsg_packet_options (packet) & LAN_IPMSG_FILEATTACHOPT);
  assert_section (packet, 0, "see attached", 12);

  section = lan_ipmsg_packet_get_section (packet, 1);
  files = lan_ipmsg_parse_file_list (g_bytes_get_data (section, NULL), g_bytes_get_size (section), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 2);

  file = g_ptr_array_index (files, 0);
  g_assert_cmpuint (file->file_id, ==, 0);
  g_assert_cmpstr (file->name, ==, "report:v2.pdf");
  g_assert_cmpuint (file->size, ==, 0x1a2b);
  g_assert_cmpuint (file->mtime, ==, 0x6553f100);
  g_assert_cmpuint (file->attr, ==, LAN_IPMSG_FILE_REGULAR);

  file = g_ptr_array_index (files, 1);
  g_assert_cmpuint (file->file_id, ==, 1);
  g_assert_cmpstr (file->name, ==, "photos");
  g_assert_cmpuint (file->attr, ==, LAN_IPMSG_FILE_DIR);
  g_assert_cmpstrv (file->extras, ((const char * const[]) { "14=1", NULL }));
  g_clear_pointer (&files, g_ptr_array_unref);

  /* A single ':' ends the name, which is why senders double it. */
  files = parse_file_list_literal (undoubled, sizeof undoubled - 1, &error);
  g_assert_null (files);
  g_assert_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_FILE_LIST);
  g_assert_nonnull (strstr (error->message, "size"));
}

typedef struct {
  guint32 command;
  const char *description;
} CommandCase;

static void
test_roundtrip_commands (void)
{
  static const CommandCase cases[] = {
    { LAN_IPMSG_NOOPERATION, "NOOPERATION" },
    { LAN_IPMSG_BR_ENTRY | LAN_IPMSG_CAPUTF8OPT | LAN_IPMSG_FILEATTACHOPT, "BR_ENTRY|FILEATTACHOPT|CAPUTF8OPT" },
    { LAN_IPMSG_BR_EXIT, "BR_EXIT" },
    { LAN_IPMSG_ANSENTRY | LAN_IPMSG_ABSENCEOPT | LAN_IPMSG_DIALUPOPT, "ANSENTRY|ABSENCEOPT|DIALUPOPT" },
    { LAN_IPMSG_BR_ABSENCE | LAN_IPMSG_SERVEROPT, "BR_ABSENCE|SERVEROPT" },
    { LAN_IPMSG_BR_ISGETLIST, "BR_ISGETLIST" },
    { LAN_IPMSG_OKGETLIST, "OKGETLIST" },
    { LAN_IPMSG_GETLIST, "GETLIST" },
    { LAN_IPMSG_ANSLIST, "ANSLIST" },
    { LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_UTF8OPT, "SENDMSG|SENDCHECKOPT|UTF8OPT" },
    { LAN_IPMSG_RECVMSG, "RECVMSG" },
    { LAN_IPMSG_READMSG | LAN_IPMSG_READCHECKOPT, "READMSG|READCHECKOPT" },
    { LAN_IPMSG_DELMSG, "DELMSG" },
    { LAN_IPMSG_ANSREADMSG, "ANSREADMSG" },
    { LAN_IPMSG_GETINFO, "GETINFO" },
    { LAN_IPMSG_SENDINFO, "SENDINFO" },
    { LAN_IPMSG_GETABSENCEINFO, "GETABSENCEINFO" },
    { LAN_IPMSG_SENDABSENCEINFO | LAN_IPMSG_UTF8OPT, "SENDABSENCEINFO|UTF8OPT" },
    { LAN_IPMSG_GETFILEDATA, "GETFILEDATA" },
    { LAN_IPMSG_RELEASEFILES, "RELEASEFILES" },
    { LAN_IPMSG_GETDIRFILES, "GETDIRFILES" },
    { LAN_IPMSG_GETPUBKEY | LAN_IPMSG_ENCRYPTOPT, "GETPUBKEY|ENCRYPTOPT" },
    { LAN_IPMSG_ANSPUBKEY, "ANSPUBKEY" },
    { LAN_IPMSG_IPTUX_SENDMSG | LAN_IPMSG_SENDCHECKOPT, "IPTUX_SENDMSG|SENDCHECKOPT" },
    { LAN_IPMSG_IPTUX_SEND_SIGN, "IPTUX_SEND_SIGN" },
    { LAN_IPMSG_IPTUX_SENDSUBLAYER, "IPTUX_SENDSUBLAYER" },
    { LAN_IPMSG_IPTUX_SENDICON, "IPTUX_SENDICON" },
    { LAN_IPMSG_IPTUX_ASKSHARED | 0x80000000u, "IPTUX_ASKSHARED|0x80000000" },
  };
  static const char extra[] = "body: with colons\0second\0";

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LanIpmsgPacket) packet = lan_ipmsg_packet_new ("1_lanchat 0.1", 1700000000 + i,
                                                               "user name", "host.local",
                                                               cases[i].command,
                                                               (const guint8 *) extra, sizeof extra - 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = lan_ipmsg_packet_to_bytes (packet, &error);
      g_autoptr(LanIpmsgPacket) parsed = NULL;
      g_autofree char *described = lan_ipmsg_describe_command (cases[i].command);

      g_assert_no_error (error);
      parsed = parse_exact (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (parsed->version, ==, "1_lanchat 0.1");
      g_assert_cmpuint (parsed->packet_no, ==, 1700000000 + i);
      g_assert_cmpstr (parsed->user, ==, "user name");
      g_assert_cmpstr (parsed->host, ==, "host.local");
      g_assert_cmpuint (parsed->command, ==, cases[i].command);
      g_assert_true (g_bytes_equal (parsed->extra, packet->extra));
      g_assert_cmpuint (parsed->sections->len, ==, 3);
      assert_section (parsed, 0, "body: with colons", 17);
      assert_section (parsed, 1, "second", 6);
      assert_section (parsed, 2, "", 0);

      g_assert_nonnull (lan_ipmsg_command_name (cases[i].command));
      g_assert_cmpstr (described, ==, cases[i].description);
    }
}

static void
test_build_format (void)
{
  g_autoptr(LanIpmsgPacket) packet = lan_ipmsg_packet_new ("1", 42, "bob", "box", 288,
                                                           (const guint8 *) "hi\0", 3);
  g_autoptr(LanIpmsgPacket) empty = lan_ipmsg_packet_new ("1", 0, "", "", 0, NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = lan_ipmsg_packet_to_bytes (packet, &error);
  g_autoptr(GBytes) empty_bytes = NULL;

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "1:42:bob:box:288:hi\0", 20);
  g_assert_cmpuint (packet->sections->len, ==, 2);

  empty_bytes = lan_ipmsg_packet_to_bytes (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (empty_bytes, NULL), g_bytes_get_size (empty_bytes), "1:0:::0:", 8);
  g_assert_cmpuint (empty->sections->len, ==, 1);
}

static void
test_build_bad_field (void)
{
  const char *fields[][3] = {
    { "1:x", "u", "h" },
    { "1", "u:v", "h" },
    { "1", "u", "h:" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(LanIpmsgPacket) packet = lan_ipmsg_packet_new (fields[i][0], 1, fields[i][1], fields[i][2],
                                                               32, NULL, 0);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = lan_ipmsg_packet_to_bytes (packet, &error);

      g_assert_null (bytes);
      g_assert_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_FIELD);
    }
}

static void
test_utf8_block_parse (void)
{
  static const char datagram[] =
    "1:1:u:h:1:nick\0group\0\n\nUN:u\r\nno colon here\n:empty key\nNN:\nXK:x:y:z\nGN:g";
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = parse_exact (datagram, sizeof datagram - 1, &error);
  g_autoptr(GPtrArray) block = NULL;
  LanIpmsgUtf8Field *field;

  g_assert_no_error (error);
  block = lan_ipmsg_packet_parse_utf8_block (packet);
  g_assert_cmpuint (block->len, ==, 4);
  field = g_ptr_array_index (block, 0);
  g_assert_cmpstr (field->key, ==, "UN");
  g_assert_cmpstr (field->value, ==, "u");
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "NN"), ==, "");
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "XK"), ==, "x:y:z");
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "GN"), ==, "g");
}

static void
test_utf8_block_absent (void)
{
  const struct {
    const char *datagram;
    gsize len;
  } cases[] = {
    /* Not an entry packet. */
    { BYTES ("1:1:u:h:32:body\0files\0\nNN:x\n") },
    /* Block doesn't start with '\n'. */
    { BYTES ("1:1:u:h:1:nick\0group\0NN:x\n") },
    /* Too few sections. */
    { BYTES ("1:1:u:h:1:nick\0group") },
    { BYTES ("1:1:u:h:1:") },
    /* Empty block section. */
    { BYTES ("1:1:u:h:3:nick\0group\0") },
    /* The block is section 2, not a later one. */
    { BYTES ("1:1:u:h:3:nick\0group\0icon\0\nNN:x\n") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LanIpmsgPacket) packet = parse_exact (cases[i].datagram, cases[i].len, &error);
      g_autoptr(GPtrArray) block = NULL;

      g_assert_no_error (error);
      block = lan_ipmsg_packet_parse_utf8_block (packet);
      g_assert_nonnull (block);
      g_assert_cmpuint (block->len, ==, 0);
    }
}

static void
test_utf8_block_build (void)
{
  g_autofree char *full = lan_ipmsg_build_utf8_block ("user", "host", "张三", "开发");
  g_autofree char *partial = lan_ipmsg_build_utf8_block (NULL, "host", NULL, "g");
  g_autofree char *none = lan_ipmsg_build_utf8_block (NULL, NULL, NULL, NULL);
  g_autofree char *newline = lan_ipmsg_build_utf8_block (NULL, NULL, "two\nlines\r", NULL);
  g_autoptr(GString) extra = g_string_new ("张三");
  g_autoptr(LanIpmsgPacket) packet = NULL;
  g_autoptr(GPtrArray) block = NULL;

  g_assert_cmpstr (full, ==, "\nUN:user\nHN:host\nNN:张三\nGN:开发\n");
  g_assert_cmpstr (partial, ==, "\nHN:host\nGN:g\n");
  g_assert_cmpstr (none, ==, "\n");
  g_assert_cmpstr (newline, ==, "\nNN:two lines \n");

  g_string_append_len (extra, "\0开发\0", strlen ("开发") + 2);
  g_string_append (extra, full);
  g_string_append_c (extra, '\0');
  packet = lan_ipmsg_packet_new ("1", 1, "user", "host", LAN_IPMSG_BR_ENTRY | LAN_IPMSG_CAPUTF8OPT,
                                 (const guint8 *) extra->str, extra->len);
  block = lan_ipmsg_packet_parse_utf8_block (packet);
  g_assert_cmpuint (block->len, ==, 4);
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "UN"), ==, "user");
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "HN"), ==, "host");
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "NN"), ==, "张三");
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (block, "GN"), ==, "开发");
}

static void
test_iptux_marker (void)
{
  const struct {
    const char *datagram;
    gsize len;
    gboolean expected;
  } cases[] = {
    { BYTES ("1_iptux 0.8.3:1:root:host:1:nick\0group\0icon.png\0utf-8\0"), TRUE },
    { BYTES ("1_iptux 0.8.3:1:root:host:4:nick\0group\0utf-8"), TRUE },
    /* A group named "utf-8" is not the marker. */
    { BYTES ("1:1:root:host:1:nick\0utf-8\0"), FALSE },
    { BYTES ("1:1:root:host:1:nick\0group\0icon.png\0UTF-8\0"), FALSE },
    { BYTES ("1:1:root:host:1:nick\0group\0icon.png\0utf-8x\0"), FALSE },
    /* Only entry packets carry it. */
    { BYTES ("1:1:root:host:32:nick\0group\0icon.png\0utf-8\0"), FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LanIpmsgPacket) packet = parse_exact (cases[i].datagram, cases[i].len, &error);

      g_assert_no_error (error);
      g_assert_cmpint (lan_ipmsg_packet_has_iptux_utf8_marker (packet), ==, cases[i].expected);
    }
}

static void
test_file_list_basic (void)
{
  static const char list[] = "0:a.txt:10:65000000:1:\a1:dir:0:65000001:2:14=1:16=2,3:\a";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = parse_file_list_literal (list, sizeof list - 1, &error);
  LanIpmsgFile *file;

  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 2);

  file = g_ptr_array_index (files, 0);
  g_assert_cmpuint (file->file_id, ==, 0);
  g_assert_cmpstr (file->name, ==, "a.txt");
  g_assert_cmpuint (file->size, ==, 0x10);
  g_assert_cmpuint (file->mtime, ==, 0x65000000);
  g_assert_cmpuint (file->attr, ==, LAN_IPMSG_FILE_REGULAR);
  g_assert_nonnull (file->extras);
  g_assert_cmpuint (g_strv_length (file->extras), ==, 0);

  file = g_ptr_array_index (files, 1);
  g_assert_cmpuint (file->file_id, ==, 1);
  g_assert_cmpstr (file->name, ==, "dir");
  g_assert_cmpuint (file->attr & 0xff, ==, LAN_IPMSG_FILE_DIR);
  g_assert_cmpuint (g_strv_length (file->extras), ==, 2);
  g_assert_cmpstr (file->extras[0], ==, "14=1");
  g_assert_cmpstr (file->extras[1], ==, "16=2,3");
}

static void
test_file_list_colons (void)
{
  const struct {
    const char *list;
    const char *name;
  } cases[] = {
    { "0:a::b:1:2:1:", "a:b" },
    { "0:a:::1:2:1:", "a:" },
    { "0:::a:1:2:1:", ":a" },
    { "0::::1:2:1:", ":" },
    { "0:a::::b:1:2:1:", "a::b" },
    { "0:C::\\x::y.txt:1:2:1:\a", "C:\\x:y.txt" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) files = parse_file_list_literal (cases[i].list, strlen (cases[i].list), &error);
      LanIpmsgFile *file;

      g_assert_no_error (error);
      g_assert_cmpuint (files->len, ==, 1);
      file = g_ptr_array_index (files, 0);
      g_assert_cmpstr (file->name, ==, cases[i].name);
      g_assert_cmpuint (file->size, ==, 1);
      g_assert_cmpuint (file->mtime, ==, 2);
      g_assert_cmpuint (file->attr, ==, 1);
    }
}

static void
test_file_list_tolerated (void)
{
  const struct {
    const char *list;
    gsize len;
    guint n_files;
  } cases[] = {
    { BYTES (""), 0 },
    { BYTES ("\a"), 0 },
    { BYTES ("\0" "0:a:1:2:1:\a"), 1 },
    { BYTES (" 0:a:1:2:1:\a 1:b:1:2:1:\a"), 2 },
    /* Last record without its '\a', and without its trailing ':'. */
    { BYTES ("0:a:1:2:1:\a1:b:1:2:1"), 2 },
    /* Empty pieces carry nothing, so they cost nothing. */
    { BYTES ("0:a:1:2:1:\a\a\a1:b:1:2:1:\a"), 2 },
    { BYTES ("0:a:ABCDEF:abcdef:FF:\a"), 1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) files = parse_file_list_literal (cases[i].list, cases[i].len, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (files->len, ==, cases[i].n_files);
    }
}

/* iptux 0.8 writes "%u:%s:%llx:%x:%x:\a:" per record: every record after the
 * first starts with the ':' of the separator before it. */
static void
test_file_list_iptux_separator (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files =
    parse_file_list_literal (BYTES ("10000:a.txt:5:6565f0a1:1:\a:10001:dir:1a0:6565f0a2:2:\a:10003:f2:8:6b0ebfd9:2:\a"),
                             &error);
  LanIpmsgFile *file;

  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 3);
  file = g_ptr_array_index (files, 1);
  g_assert_cmpuint (file->file_id, ==, 10001);
  g_assert_cmpstr (file->name, ==, "dir");
  g_assert_cmpuint (file->size, ==, 0x1a0);
  g_assert_cmpuint (file->attr, ==, 2);
  file = g_ptr_array_index (files, 2);
  g_assert_cmpuint (file->file_id, ==, 10003);
  g_assert_cmpstr (file->name, ==, "f2");
}

static void
test_file_list_hostile (void)
{
  const struct {
    const char *list;
    gsize len;
  } cases[] = {
    { BYTES ("garbage") },
    { BYTES ("0") },
    { BYTES ("0:") },
    { BYTES ("0:name") },
    { BYTES ("0:name:") },
    { BYTES ("0:name:1") },
    { BYTES ("0:name:1:2") },
    { BYTES ("0:name:1:2:") },
    { BYTES ("x:name:1:2:1:") },
    { BYTES (":name:1:2:1:") },
    { BYTES ("-1:name:1:2:1:") },
    { BYTES ("18446744073709551616:name:1:2:1:") },
    { BYTES ("0:name:1g:2:1:") },
    { BYTES ("0:name:0x1:2:1:") },
    { BYTES ("0:name:10000000000000000:2:1:") },
    { BYTES ("0:name:1:2:100000000:") },
    { BYTES ("0:name::2:1:") },
    { BYTES ("0::1:2:1:") },
    { BYTES ("0:na\0me:1:2:1:") },
    { BYTES ("0:name:1:2:1:\a1:second") },
    { BYTES ("0:name:1:2:1:\a\xff\xfe") },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) files = parse_file_list_literal (cases[i].list, cases[i].len, &error);

      g_assert_null (files);
      g_assert_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_FILE_LIST);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

static void
test_file_list_roundtrip (void)
{
  static const char *names[] = { "plain.txt", "a:b", "a:", ":a", ":", "::", "a::::b", "名前.txt", "with space" };
  static const char *extras[] = { "14=1", "16=2,3", NULL };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      LanIpmsgFile file = {
        .file_id = i == 0 ? G_MAXUINT64 : i,
        .name = (char *) names[i],
        .size = i == 1 ? G_MAXUINT64 : i * 1000,
        .mtime = 0x6553f100 + i,
        .attr = i == 2 ? G_MAXUINT32 : (i % 2 ? LAN_IPMSG_FILE_DIR : LAN_IPMSG_FILE_REGULAR),
        .extras = (GStrv) (i % 3 == 0 ? extras : extras + 2),
      };

      lan_ipmsg_append_file_record (out, &file);
    }

  g_assert_cmpuint (out->str[out->len - 1], ==, '\a');
  files = parse_file_list_literal (out->str, out->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, G_N_ELEMENTS (names));

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      LanIpmsgFile *file = g_ptr_array_index (files, i);

      g_assert_cmpuint (file->file_id, ==, i == 0 ? G_MAXUINT64 : i);
      g_assert_cmpstr (file->name, ==, names[i]);
      g_assert_cmpuint (file->size, ==, i == 1 ? G_MAXUINT64 : i * 1000);
      g_assert_cmpuint (file->mtime, ==, 0x6553f100 + i);
      g_assert_cmpuint (file->attr, ==, i == 2 ? G_MAXUINT32 : (i % 2 ? LAN_IPMSG_FILE_DIR : LAN_IPMSG_FILE_REGULAR));
      g_assert_cmpuint (g_strv_length (file->extras), ==, i % 3 == 0 ? 2 : 0);
    }
}

static void
test_file_list_append_format (void)
{
  g_autoptr(GString) out = g_string_new ("body");
  LanIpmsgFile file = { .file_id = 3, .name = (char *) "x:y", .size = 0xabc, .mtime = 0x10, .attr = 1 };

  g_string_append_c (out, '\0');
  lan_ipmsg_append_file_record (out, &file);
  g_assert_cmpmem (out->str, out->len, "body\0" "3:x::y:abc:10:1:\a", 22);
}

static void
test_file_list_append_separator_in_name (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  LanIpmsgFile file = { .file_id = 1, .name = (char *) "bell\a.txt", .size = 1, .mtime = 2, .attr = 1 };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  /* '\a' can't be escaped; the record must still read back as one file. */
  lan_ipmsg_append_file_record (out, &file);
  files = parse_file_list_literal (out->str, out->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (((LanIpmsgFile *) g_ptr_array_index (files, 0))->name, ==, "bell?.txt");
}

static void
test_file_list_error_names_record (void)
{
  static const char list[] = "0:ok:1:2:1:\a1:bad:zz:2:1:\a";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = parse_file_list_literal (list, sizeof list - 1, &error);

  g_assert_null (files);
  g_assert_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_FILE_LIST);
  g_assert_nonnull (strstr (error->message, "record 2"));
  g_assert_nonnull (strstr (error->message, "\"1:bad:zz:2:1:\""));
  g_assert_nonnull (strstr (error->message, "size"));
}

static void
test_names_commands (void)
{
  g_assert_cmpstr (lan_ipmsg_command_name (LAN_IPMSG_SENDMSG | LAN_IPMSG_UTF8OPT), ==, "SENDMSG");
  g_assert_cmpstr (lan_ipmsg_command_name (0xfb), ==, "IPTUX_SENDMSG");
  g_assert_cmpstr (lan_ipmsg_command_name (0xff), ==, "IPTUX_ASKSHARED");
  g_assert_null (lan_ipmsg_command_name (0x7a));
  g_assert_null (lan_ipmsg_command_name (0x05));

  /* Every mode either has a name or reads as hex, never as garbage. */
  for (guint32 mode = 0; mode <= 0xff; mode++)
    {
      g_autofree char *described = lan_ipmsg_describe_command (mode | 0xffffff00u);
      const char *name = lan_ipmsg_command_name (mode);

      g_assert_true (g_str_is_ascii (described));
      if (name != NULL)
        g_assert_true (g_str_has_prefix (described, name));
      else
        g_assert_true (g_str_has_prefix (described, "0x"));
    }
}

static void
test_names_options (void)
{
  const struct {
    guint32 command;
    const char *options;
    const char *description;
  } cases[] = {
    { LAN_IPMSG_SENDMSG | 0x100 | LAN_IPMSG_UTF8OPT, "SENDCHECKOPT|UTF8OPT", "SENDMSG|SENDCHECKOPT|UTF8OPT" },
    { LAN_IPMSG_BR_ENTRY | 0x100 | LAN_IPMSG_UTF8OPT, "ABSENCEOPT|UTF8OPT", "BR_ENTRY|ABSENCEOPT|UTF8OPT" },
    { LAN_IPMSG_SENDMSG | 0x200, "SECRETOPT", "SENDMSG|SECRETOPT" },
    { LAN_IPMSG_GETINFO | 0x200, "SERVEROPT", "GETINFO|SERVEROPT" },
    { LAN_IPMSG_SENDMSG | 0x400, "BROADCASTOPT", "SENDMSG|BROADCASTOPT" },
    { LAN_IPMSG_BR_ENTRY | 0x400, "0x400", "BR_ENTRY|0x400" },
    { LAN_IPMSG_SENDMSG | 0x1bef00, /* every send option, and DIALUPOPT */
      "SENDCHECKOPT|SECRETOPT|BROADCASTOPT|MULTICASTOPT|AUTORETOPT|RETRYOPT|PASSWORDOPT|DIALUPOPT|"
      "NOLOGOPT|NOADDLISTOPT|READCHECKOPT",
      NULL },
    { LAN_IPMSG_SENDMSG | 0x01e00000, "FILEATTACHOPT|ENCRYPTOPT|UTF8OPT|CAPUTF8OPT", NULL },
    { LAN_IPMSG_SENDMSG | 0xc0000000, "0xc0000000", "SENDMSG|0xc0000000" },
    { LAN_IPMSG_SENDMSG | 0x80000100, "SENDCHECKOPT|0x80000000", NULL },
    { 0x7a, "", "0x7a" },
    { 0x7a | LAN_IPMSG_UTF8OPT, "UTF8OPT", "0x7a|UTF8OPT" },
    { 0, "", "NOOPERATION" },
    { LAN_IPMSG_SENDMSG, "", "SENDMSG" },
    { LAN_IPMSG_ANSENTRY | 0x1000, "0x1000", "ANSENTRY|0x1000" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *options = lan_ipmsg_describe_options (cases[i].command);
      g_autofree char *description = lan_ipmsg_describe_command (cases[i].command);

      g_assert_cmpstr (options, ==, cases[i].options);
      if (cases[i].description != NULL)
        g_assert_cmpstr (description, ==, cases[i].description);
    }
}

static void
test_is_entry_mode (void)
{
  g_assert_true (lan_ipmsg_is_entry_mode (LAN_IPMSG_BR_ENTRY));
  g_assert_true (lan_ipmsg_is_entry_mode (LAN_IPMSG_ANSENTRY | LAN_IPMSG_ABSENCEOPT));
  g_assert_true (lan_ipmsg_is_entry_mode (LAN_IPMSG_BR_ABSENCE | 0xffffff00u));
  g_assert_false (lan_ipmsg_is_entry_mode (LAN_IPMSG_BR_EXIT));
  g_assert_false (lan_ipmsg_is_entry_mode (LAN_IPMSG_SENDMSG));
  g_assert_false (lan_ipmsg_is_entry_mode (LAN_IPMSG_NOOPERATION));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ipmsg/parse/basic", test_parse_basic);
  g_test_add_func ("/ipmsg/parse/no-extra", test_parse_no_extra);
  g_test_add_func ("/ipmsg/parse/empty-fields", test_parse_empty_fields);
  g_test_add_func ("/ipmsg/parse/extra-colons-and-nuls", test_parse_extra_colons_and_nuls);
  g_test_add_func ("/ipmsg/parse/only-nuls-in-extra", test_parse_only_nuls_in_extra);
  g_test_add_func ("/ipmsg/parse/versions-accepted", test_parse_versions_accepted);
  g_test_add_func ("/ipmsg/parse/hostile/bad-version", test_hostile_bad_version);
  g_test_add_func ("/ipmsg/parse/hostile/empty", test_hostile_empty);
  g_test_add_func ("/ipmsg/parse/hostile/no-separators", test_hostile_no_separators);
  g_test_add_func ("/ipmsg/parse/hostile/too-few-fields", test_hostile_too_few_fields);
  g_test_add_func ("/ipmsg/parse/hostile/non-numeric", test_hostile_non_numeric);
  g_test_add_func ("/ipmsg/parse/hostile/overflow", test_hostile_overflow);
  g_test_add_func ("/ipmsg/parse/hostile/nul-in-header", test_hostile_nul_in_header);
  g_test_add_func ("/ipmsg/parse/hostile/error-messages", test_hostile_error_messages);
  g_test_add_func ("/ipmsg/parse/hostile/too-large", test_hostile_too_large);
  g_test_add_func ("/ipmsg/parse/hostile/random", test_hostile_random);
  g_test_add_func ("/ipmsg/parse/hostile/mutations", test_hostile_mutations);
  g_test_add_func ("/ipmsg/real/iptux-entry", test_real_iptux_entry);
  g_test_add_func ("/ipmsg/real/windows-entry", test_real_windows_entry);
  g_test_add_func ("/ipmsg/real/feiq-version", test_real_feiq_version);
  g_test_add_func ("/ipmsg/real/recvmsg", test_real_recvmsg);
  g_test_add_func ("/ipmsg/real/sendmsg-with-files", test_real_sendmsg_with_files);
  g_test_add_func ("/ipmsg/roundtrip/commands", test_roundtrip_commands);
  g_test_add_func ("/ipmsg/build/format", test_build_format);
  g_test_add_func ("/ipmsg/build/bad-field", test_build_bad_field);
  g_test_add_func ("/ipmsg/utf8-block/parse", test_utf8_block_parse);
  g_test_add_func ("/ipmsg/utf8-block/absent", test_utf8_block_absent);
  g_test_add_func ("/ipmsg/utf8-block/build", test_utf8_block_build);
  g_test_add_func ("/ipmsg/iptux-marker", test_iptux_marker);
  g_test_add_func ("/ipmsg/file-list/basic", test_file_list_basic);
  g_test_add_func ("/ipmsg/file-list/colons", test_file_list_colons);
  g_test_add_func ("/ipmsg/file-list/tolerated", test_file_list_tolerated);
  g_test_add_func ("/ipmsg/file-list/iptux-separator", test_file_list_iptux_separator);
  g_test_add_func ("/ipmsg/file-list/hostile", test_file_list_hostile);
  g_test_add_func ("/ipmsg/file-list/roundtrip", test_file_list_roundtrip);
  g_test_add_func ("/ipmsg/file-list/append-format", test_file_list_append_format);
  g_test_add_func ("/ipmsg/file-list/append-separator-in-name", test_file_list_append_separator_in_name);
  g_test_add_func ("/ipmsg/file-list/error-names-record", test_file_list_error_names_record);
  g_test_add_func ("/ipmsg/names/commands", test_names_commands);
  g_test_add_func ("/ipmsg/names/options", test_names_options);
  g_test_add_func ("/ipmsg/names/is-entry-mode", test_is_entry_mode);

  return g_test_run ();
}

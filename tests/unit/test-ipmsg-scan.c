/* test-ipmsg-scan.c — the one reader of the wire layout, on good and hostile bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "lan-ipmsg.h"
#include "lan-ipmsg-scan.h"

#define BYTES(literal) (const guint8 *) (literal), sizeof (literal) - 1

/* Every span of a scan lies inside the @len scanned bytes. */
static void
assert_span_inside (LanIpmsgSpan span,
                    gsize        len)
{
  g_assert_cmpuint (span.offset, <=, len);
  g_assert_cmpuint ((gsize) span.offset + span.length, <=, len);
}

static void
assert_scan_inside (const LanIpmsgScan *scan,
                    gsize               len)
{
  for (guint i = 0; i < scan->n_header_fields; i++)
    assert_span_inside (scan->header[i], len);
  assert_span_inside (scan->header_span, len);
  assert_span_inside (scan->version_number, len);
  assert_span_inside (scan->version_decoration, len);
  assert_span_inside (scan->version_mac, len);
  assert_span_inside (scan->extra, len);
  for (guint i = 0; i < MIN (scan->n_sections, LAN_IPMSG_SCAN_SECTIONS); i++)
    assert_span_inside (scan->sections[i], len);
  assert_span_inside (scan->utf8_block, len);
  assert_span_inside (scan->marker, len);
  assert_span_inside (scan->file_list, len);
  g_assert_cmpuint (scan->stop_offset, <=, len);
}

/* Copies into a buffer of exactly @len bytes, so an over-read shows under ASan. */
static void
scan_exact (const guint8 *data,
            gsize         len,
            LanIpmsgScan *scan)
{
  g_autofree guint8 *copy = len > 0 ? g_memdup2 (data, len) : NULL;

  lan_ipmsg_scan (copy, len, scan);
  assert_scan_inside (scan, len);
}

static void
assert_span (LanIpmsgSpan span,
             guint32      offset,
             guint32      length)
{
  g_assert_cmpuint (span.offset, ==, offset);
  g_assert_cmpuint (span.length, ==, length);
}

static void
test_header (void)
{
  static const char datagram[] = "1_iptux 0.8.3:123:alice:box:8388896:hello\0world";
  LanIpmsgScan scan;

  scan_exact (BYTES (datagram), &scan);
  g_assert_cmpint (scan.status, ==, LAN_IPMSG_SCAN_OK);
  g_assert_cmpuint (scan.n_header_fields, ==, 5);
  assert_span (scan.header[LAN_IPMSG_HEADER_VERSION], 0, 13);
  assert_span (scan.version_number, 0, 1);
  assert_span (scan.version_decoration, 1, 12);
  g_assert_cmpuint (scan.version_mac.length, ==, 0);
  assert_span (scan.header[LAN_IPMSG_HEADER_PACKET_NO], 14, 3);
  assert_span (scan.header[LAN_IPMSG_HEADER_USER], 18, 5);
  assert_span (scan.header[LAN_IPMSG_HEADER_HOST], 24, 3);
  assert_span (scan.header[LAN_IPMSG_HEADER_COMMAND], 28, 7);
  g_assert_true (scan.packet_no_valid);
  g_assert_cmpuint (scan.packet_no, ==, 123);
  g_assert_true (scan.command_valid);
  g_assert_cmpuint (scan.command, ==, 8388896);
  assert_span (scan.header_span, 0, 36);
  g_assert_true (scan.has_extra);
  assert_span (scan.extra, 36, sizeof datagram - 1 - 36);
  g_assert_cmpuint (scan.n_sections, ==, 2);
  assert_span (scan.sections[0], 36, 5);
  assert_span (scan.sections[1], 42, 5);
  g_assert_false (scan.has_utf8_block);
  g_assert_false (scan.has_marker);
  g_assert_false (scan.has_file_list);
}

static void
test_feiq_mac (void)
{
  static const char datagram[] = "1_lbt6_0#128#000C29D68D8F#0#0#0#4001#9:1:u:h:1:nick";
  static const char not_mac[] = "1_lbt6_0#128#00ZZ29D68D8F#0:1:u:h:1:";
  LanIpmsgScan scan;

  scan_exact (BYTES (datagram), &scan);
  g_assert_cmpint (scan.status, ==, LAN_IPMSG_SCAN_OK);
  assert_span (scan.version_mac, 13, 12);
  g_assert_cmpmem (datagram + scan.version_mac.offset, 12, "000C29D68D8F", 12);

  scan_exact (BYTES (not_mac), &scan);
  g_assert_cmpint (scan.status, ==, LAN_IPMSG_SCAN_OK);
  g_assert_cmpuint (scan.version_mac.length, ==, 0);
}

static void
test_entry_block_and_marker (void)
{
  static const char block[] = "1:5:bob:pc:3:Bob\0QA\0\nUN:bob\nNN:Bob \xe2\x9c\x93\r\n\nnokey\n:novalue\n\0";
  static const char iptux[] = "1_iptux:1:u:h:1:nick\0group\0icon.png\0utf-8\0";
  static const char not_entry[] = "1:1:u:h:32:text\0x\0utf-8\0";
  LanIpmsgScan scan;
  LanIpmsgUtf8Line line;
  guint32 pos;

  scan_exact (BYTES (block), &scan);
  g_assert_true (scan.has_utf8_block);
  assert_span (scan.utf8_block, 20, sizeof block - 1 - 20 - 1);
  pos = scan.utf8_block.offset;
  g_assert_true (lan_ipmsg_scan_next_utf8_line ((const guint8 *) block, scan.utf8_block, &pos, &line));
  assert_span (line.line, 21, 6);
  assert_span (line.key, 21, 2);
  assert_span (line.value, 24, 3);
  g_assert_true (lan_ipmsg_scan_next_utf8_line ((const guint8 *) block, scan.utf8_block, &pos, &line));
  /* The CR of a CRLF is not part of the value. */
  assert_span (line.line, 28, 10);
  assert_span (line.value, 31, 7);
  /* Empty lines, lines without ':' and lines that start with it have no key. */
  g_assert_false (lan_ipmsg_scan_next_utf8_line ((const guint8 *) block, scan.utf8_block, &pos, &line));

  scan_exact (BYTES (iptux), &scan);
  g_assert_true (scan.has_marker);
  g_assert_cmpuint (scan.marker_section, ==, 3);
  assert_span (scan.marker, 36, 5);
  g_assert_false (scan.has_utf8_block);

  /* Only entry packets carry either. */
  scan_exact (BYTES (not_entry), &scan);
  g_assert_false (scan.has_marker);
  g_assert_false (scan.has_utf8_block);
}

static void
test_file_records (void)
{
  static const char datagram[] = "1:7:a:b:2097440:hi\0" " 0:re::port.txt:4d2:65000000:1:14=abc::\a"
                                 "1:pics:0:65000000:2:\a\0";
  const guint8 *data = (const guint8 *) datagram;
  LanIpmsgScan scan;
  LanIpmsgFileRecord record;
  LanIpmsgSpan extra;
  guint32 pos, extra_pos;
  g_autoptr(GString) name = g_string_new (NULL);

  scan_exact (BYTES (datagram), &scan);
  g_assert_true (scan.has_file_list);
  pos = scan.file_list.offset;

  g_assert_true (lan_ipmsg_scan_next_file_record (data, scan.file_list, &pos, &record));
  g_assert_cmpint (record.status, ==, LAN_IPMSG_RECORD_OK);
  /* The blank before the record is not part of it. */
  assert_span (record.record, 20, strlen ("0:re::port.txt:4d2:65000000:1:14=abc::"));
  assert_span (record.id, 20, 1);
  g_assert_cmpuint (record.file_id, ==, 0);
  assert_span (record.name, 22, 12);
  lan_ipmsg_scan_append_name (name, data, record.name);
  g_assert_cmpstr (name->str, ==, "re:port.txt");
  g_assert_cmpuint (record.n_numbers, ==, 3);
  g_assert_cmpuint (record.values[LAN_IPMSG_RECORD_SIZE], ==, 0x4d2);
  g_assert_cmpuint (record.values[LAN_IPMSG_RECORD_MTIME], ==, 0x65000000);
  g_assert_cmpuint (record.values[LAN_IPMSG_RECORD_ATTR], ==, 1);
  extra_pos = record.extras.offset;
  g_assert_true (lan_ipmsg_scan_next_extra (data, record.extras, &extra_pos, &extra));
  g_assert_cmpmem (datagram + extra.offset, extra.length, "14=abc", 6);
  g_assert_false (lan_ipmsg_scan_next_extra (data, record.extras, &extra_pos, &extra));

  g_assert_true (lan_ipmsg_scan_next_file_record (data, scan.file_list, &pos, &record));
  g_assert_cmpint (record.status, ==, LAN_IPMSG_RECORD_OK);
  g_assert_cmpuint (record.file_id, ==, 1);
  g_assert_cmpuint (record.values[LAN_IPMSG_RECORD_ATTR], ==, LAN_IPMSG_FILE_DIR);
  g_assert_false (lan_ipmsg_scan_next_file_record (data, scan.file_list, &pos, &record));
}

static void
test_bad_records (void)
{
  static const struct {
    const char *record;
    LanIpmsgRecordStatus status;
  } cases[] = {
    { "12", LAN_IPMSG_RECORD_NO_ID },
    { "x:name:1:2:1:", LAN_IPMSG_RECORD_BAD_ID },
    { "99999999999999999999:name:1:2:1:", LAN_IPMSG_RECORD_BAD_ID },
    { "1:name", LAN_IPMSG_RECORD_NAME_UNENDED },
    { "1:name::", LAN_IPMSG_RECORD_NAME_UNENDED },
    { "1::1:2:1:", LAN_IPMSG_RECORD_EMPTY_NAME },
    { "1:::", LAN_IPMSG_RECORD_NAME_UNENDED },
    { "1:", LAN_IPMSG_RECORD_NAME_UNENDED },
    { "1:n:zz:2:1:", LAN_IPMSG_RECORD_BAD_SIZE },
    { "1:n:10000000000000000:2:1:", LAN_IPMSG_RECORD_BAD_SIZE },
    { "1:n:1:-2:1:", LAN_IPMSG_RECORD_BAD_MTIME },
    { "1:n:1:2:100000000:", LAN_IPMSG_RECORD_BAD_ATTR },
    { "1:n:1:2:", LAN_IPMSG_RECORD_MISSING_NUMBERS },
    { "1:n:1:2", LAN_IPMSG_RECORD_MISSING_NUMBERS },
    { "1:n:", LAN_IPMSG_RECORD_MISSING_NUMBERS },
    { "1:n:1::1:", LAN_IPMSG_RECORD_BAD_MTIME },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = strlen (cases[i].record);
      g_autofree guint8 *copy = g_memdup2 (cases[i].record, len);
      LanIpmsgSpan list = { 0, (guint32) len };
      LanIpmsgFileRecord record;
      guint32 pos = 0;

      g_assert_true (lan_ipmsg_scan_next_file_record (copy, list, &pos, &record));
      if (record.status != cases[i].status)
        g_error ("record “%s”: status %d, expected %d", cases[i].record, record.status, cases[i].status);
      assert_span_inside (record.record, len);
      assert_span_inside (record.id, len);
      assert_span_inside (record.name, len);
      assert_span_inside (record.extras, len);
      for (guint n = 0; n < record.n_numbers; n++)
        assert_span_inside (record.numbers[n], len);
    }

  {
    /* A NUL inside a record is the first thing wrong with it, though the rest still reads. */
    static const char with_nul[] = "1:a\0b:1:2:1:";
    LanIpmsgSpan list = { 0, sizeof with_nul - 1 };
    LanIpmsgFileRecord record;
    guint32 pos = 0;

    g_assert_true (lan_ipmsg_scan_next_file_record ((const guint8 *) with_nul, list, &pos, &record));
    g_assert_cmpint (record.status, ==, LAN_IPMSG_RECORD_NUL);
    g_assert_cmpuint (record.n_numbers, ==, 3);
  }
}

static void
test_hostile_headers (void)
{
  /* len -1: up to the terminator; stop -1: the whole datagram. */
  static const struct {
    const char *data;
    gssize len;
    LanIpmsgScanStatus status;
    guint n_fields;
    gint stop;
  } cases[] = {
    { "", -1, LAN_IPMSG_SCAN_EMPTY, 0, 0 },
    { "1", -1, LAN_IPMSG_SCAN_TOO_FEW_FIELDS, 0, 0 },
    { "1:2:u", -1, LAN_IPMSG_SCAN_TOO_FEW_FIELDS, 2, 4 },
    { "1:2:u:h", -1, LAN_IPMSG_SCAN_TOO_FEW_FIELDS, 3, 6 },
    { "1:2:us\0er:h:32:x", 16, LAN_IPMSG_SCAN_NUL_IN_HEADER, 2, 4 },
    { "\0\0\0\0", 4, LAN_IPMSG_SCAN_NUL_IN_HEADER, 0, 0 },
    { "::::", -1, LAN_IPMSG_SCAN_BAD_VERSION, 5, -1 },
    { "2:1:u:h:1:", -1, LAN_IPMSG_SCAN_BAD_VERSION, 5, -1 },
    { "10:1:u:h:1:", -1, LAN_IPMSG_SCAN_BAD_VERSION, 5, -1 },
    { "001:1:u:h:1:", -1, LAN_IPMSG_SCAN_OK, 5, -1 },
    { "1:18446744073709551616:u:h:1:", -1, LAN_IPMSG_SCAN_BAD_PACKET_NO, 5, -1 },
    { "1:18446744073709551615:u:h:1:", -1, LAN_IPMSG_SCAN_OK, 5, -1 },
    { "1:+1:u:h:1:", -1, LAN_IPMSG_SCAN_BAD_PACKET_NO, 5, -1 },
    { "1:1:u:h:4294967296:", -1, LAN_IPMSG_SCAN_BAD_COMMAND, 5, -1 },
    { "1:1:u:h:0x20:", -1, LAN_IPMSG_SCAN_BAD_COMMAND, 5, -1 },
    { "1:1:u:h:", -1, LAN_IPMSG_SCAN_BAD_COMMAND, 5, -1 },
    { "1:1:u:h:32", -1, LAN_IPMSG_SCAN_OK, 5, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      LanIpmsgScan scan;
      gsize len = cases[i].len >= 0 ? (gsize) cases[i].len : strlen (cases[i].data);

      scan_exact ((const guint8 *) cases[i].data, len, &scan);
      if (scan.status != cases[i].status)
        g_error ("case %u: status %d, expected %d", i, scan.status, cases[i].status);
      g_assert_cmpuint (scan.n_header_fields, ==, cases[i].n_fields);
      g_assert_cmpuint (scan.stop_offset, ==, cases[i].stop >= 0 ? (gsize) cases[i].stop : len);
    }

  {
    /* The NUL is where the codec says it is. */
    LanIpmsgScan scan;

    scan_exact (BYTES ("1:2:us\0er:h:32:x"), &scan);
    g_assert_cmpuint (scan.nul_offset, ==, 6);
  }
}

/* A whole datagram of NULs, and one of separators: bounded work, nothing outside. */
static void
test_floods (void)
{
  g_autofree guint8 *nuls = g_malloc0 (LAN_IPMSG_MAX_DATAGRAM);
  g_autofree guint8 *flood = g_malloc (LAN_IPMSG_MAX_DATAGRAM);
  g_autofree guint8 *too_big = g_malloc0 (LAN_IPMSG_MAX_DATAGRAM + 1);
  LanIpmsgScan scan;
  LanIpmsgSpan section;
  guint32 pos;
  guint32 walked = 0;

  lan_ipmsg_scan (nuls, LAN_IPMSG_MAX_DATAGRAM, &scan);
  assert_scan_inside (&scan, LAN_IPMSG_MAX_DATAGRAM);
  g_assert_cmpint (scan.status, ==, LAN_IPMSG_SCAN_NUL_IN_HEADER);
  g_assert_cmpuint (scan.n_sections, ==, 0);

  /* A valid header, then nothing but NULs: every one ends a section. */
  memcpy (nuls, "1:1:u:h:1:", 10);
  lan_ipmsg_scan (nuls, LAN_IPMSG_MAX_DATAGRAM, &scan);
  assert_scan_inside (&scan, LAN_IPMSG_MAX_DATAGRAM);
  g_assert_cmpint (scan.status, ==, LAN_IPMSG_SCAN_OK);
  g_assert_cmpuint (scan.n_sections, ==, LAN_IPMSG_MAX_DATAGRAM - 10 + 1);
  g_assert_true (lan_ipmsg_scan_get_section (&scan, LAN_IPMSG_SCAN_SECTIONS - 1, &section));
  g_assert_false (lan_ipmsg_scan_get_section (&scan, LAN_IPMSG_SCAN_SECTIONS, &section));
  pos = scan.extra.offset;
  while (lan_ipmsg_scan_next_section (nuls, scan.extra, &pos, &section))
    {
      assert_span_inside (section, LAN_IPMSG_MAX_DATAGRAM);
      g_assert_cmpuint (section.length, ==, 0);
      walked++;
    }
  g_assert_cmpuint (walked, ==, scan.n_sections);

  /* Colons and '\a' everywhere: the attachment reader walks them all. */
  memset (flood, ':', LAN_IPMSG_MAX_DATAGRAM);
  for (gsize i = 0; i < LAN_IPMSG_MAX_DATAGRAM; i += 7)
    flood[i] = '\a';
  memcpy (flood, "1:1:u:h:2097184:x", 17);
  flood[17] = '\0';
  lan_ipmsg_scan (flood, LAN_IPMSG_MAX_DATAGRAM, &scan);
  assert_scan_inside (&scan, LAN_IPMSG_MAX_DATAGRAM);
  g_assert_true (scan.has_file_list);
  {
    LanIpmsgFileRecord record;
    guint n = 0;

    pos = scan.file_list.offset;
    while (lan_ipmsg_scan_next_file_record (flood, scan.file_list, &pos, &record))
      {
        assert_span_inside (record.record, LAN_IPMSG_MAX_DATAGRAM);
        assert_span_inside (record.name, LAN_IPMSG_MAX_DATAGRAM);
        assert_span_inside (record.extras, LAN_IPMSG_MAX_DATAGRAM);
        g_assert_cmpint (record.status, !=, LAN_IPMSG_RECORD_OK);
        n++;
      }
    g_assert_cmpuint (n, >, 1000);
  }

  /* Over the limit nothing is read at all. */
  lan_ipmsg_scan (too_big, LAN_IPMSG_MAX_DATAGRAM + 1, &scan);
  g_assert_cmpint (scan.status, ==, LAN_IPMSG_SCAN_TOO_LARGE);
  g_assert_cmpuint (scan.n_header_fields, ==, 0);
}

/* Whatever random bytes hold, the scan agrees with the codec and stays inside. */
static void
test_random_agrees_with_codec (void)
{
  static const char alphabet[] = "1:20\0\n\a utf-8UN";
  GRand *rand = g_rand_new_with_seed (10);

  for (guint round = 0; round < 50000; round++)
    {
      guint8 data[48];
      gsize len = (gsize) g_rand_int_range (rand, 0, sizeof data + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(LanIpmsgPacket) packet = NULL;
      LanIpmsgScan scan;

      for (gsize i = 0; i < len; i++)
        data[i] = (guint8) alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      scan_exact (data, len, &scan);
      packet = lan_ipmsg_packet_parse (data, len, &error);
      g_assert_cmpint (packet != NULL, ==, scan.status == LAN_IPMSG_SCAN_OK);
      if (packet != NULL)
        {
          g_assert_cmpuint (packet->command, ==, scan.command);
          g_assert_cmpuint (packet->sections->len, ==, scan.n_sections);
          g_assert_cmpuint (g_bytes_get_size (packet->extra), ==, scan.extra.length);
        }
    }
  g_rand_free (rand);
}

/* The packet keeps its scan, and the accessors follow a later change of command. */
static void
test_packet_keeps_scan (void)
{
  static const char entry[] = "1:5:bob:pc:1:Bob\0QA\0\nNN:Bobby\n\0";
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = lan_ipmsg_packet_parse (BYTES (entry), &error);
  g_autoptr(LanIpmsgPacket) built = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  LanIpmsgScan scratch;
  const LanIpmsgScan *scan;

  g_assert_no_error (error);
  scan = lan_ipmsg_packet_get_scan (packet, &scratch);
  g_assert_true (scan == &packet->scan);
  g_assert_true (scan->has_utf8_block);
  fields = lan_ipmsg_packet_parse_utf8_block (packet);
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (fields, "NN"), ==, "Bobby");

  /* As a SENDMSG the same bytes carry no block. */
  packet->command = LAN_IPMSG_SENDMSG;
  scan = lan_ipmsg_packet_get_scan (packet, &scratch);
  g_assert_true (scan == &scratch);
  g_assert_false (scan->has_utf8_block);
  g_clear_pointer (&fields, g_ptr_array_unref);
  fields = lan_ipmsg_packet_parse_utf8_block (packet);
  g_assert_cmpuint (fields->len, ==, 0);

  /* A built packet's spans count from its extra part. */
  built = lan_ipmsg_packet_new ("1", 1, "u", "h", LAN_IPMSG_BR_ENTRY,
                                (const guint8 *) "n\0g\0\nUN:u\n", 10);
  scan = lan_ipmsg_packet_get_scan (built, &scratch);
  g_assert_true (scan->has_utf8_block);
  assert_span (scan->utf8_block, 4, 6);
  g_clear_pointer (&fields, g_ptr_array_unref);
  fields = lan_ipmsg_packet_parse_utf8_block (built);
  g_assert_cmpstr (lan_ipmsg_utf8_block_lookup (fields, "UN"), ==, "u");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ipmsg-scan/header", test_header);
  g_test_add_func ("/ipmsg-scan/feiq-mac", test_feiq_mac);
  g_test_add_func ("/ipmsg-scan/entry-block-and-marker", test_entry_block_and_marker);
  g_test_add_func ("/ipmsg-scan/file-records", test_file_records);
  g_test_add_func ("/ipmsg-scan/bad-records", test_bad_records);
  g_test_add_func ("/ipmsg-scan/hostile-headers", test_hostile_headers);
  g_test_add_func ("/ipmsg-scan/floods", test_floods);
  g_test_add_func ("/ipmsg-scan/random-agrees-with-codec", test_random_agrees_with_codec);
  g_test_add_func ("/ipmsg-scan/packet-keeps-scan", test_packet_keeps_scan);

  return g_test_run ();
}

/* test-helpers.c — the app's pure helpers: sanitizing, hex dumps, target
 * parsing, packet fields and links.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib.h>

#include <gio/gio.h>

#include "lan-ipmsg.h"
#include "lan-log-format.h"
#include "lan-messenger-settings.h"
#include "lan-packet-fields.h"
#include "lan-packet-links.h"

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

static const LanPacketField *
expect_field (GPtrArray  *fields,
              const char *key,
              gsize       offset,
              gsize       length,
              const char *value)
{
  const LanPacketField *field = lan_packet_fields_lookup (fields, key);

  if (field == NULL)
    g_error ("no field %s", key);
  g_assert_cmpuint (field->offset, ==, offset);
  g_assert_cmpuint (field->length, ==, length);
  if (value != NULL)
    g_assert_cmpstr (field->value, ==, value);
  return field;
}

#define SENDMSG_UTF8 "8388896" /* SENDMSG|SENDCHECKOPT|UTF8OPT */

static void
test_fields_sendmsg (void)
{
  static const char datagram[] = "1:123:alice:box:" SENDMSG_UTF8 ":hello\0";
  g_autoptr(GPtrArray) fields = lan_packet_fields_parse ((const guint8 *) datagram,
                                                         sizeof datagram - 1, LAN_LEGACY_GB18030);
  const LanPacketField *field;

  expect_field (fields, "header", 0, 24, "SENDMSG");
  expect_field (fields, "version", 0, 1, "1");
  expect_field (fields, "packet-no", 2, 3, "123");
  expect_field (fields, "user", 6, 5, "alice");
  expect_field (fields, "host", 12, 3, "box");
  field = expect_field (fields, "command", 16, 7, NULL);
  g_assert_nonnull (strstr (field->value, "SENDMSG|SENDCHECKOPT|UTF8OPT"));
  g_assert_cmpuint (field->depth, ==, 1);

  /* Each flag by name, a child of the command, spanning its digits. */
  field = expect_field (fields, "flag:SENDCHECKOPT", 16, 7, "0x00000100");
  g_assert_cmpstr (field->name, ==, "SENDCHECKOPT");
  g_assert_cmpuint (field->depth, ==, 2);
  field = expect_field (fields, "flag:UTF8OPT", 16, 7, "0x00800000");
  g_assert_cmpstr (field->name, ==, "UTF8OPT");
  expect_field (fields, "mode", 16, 7, "SENDMSG (0x20)");

  field = expect_field (fields, "section:0", 24, 5, "hello");
  g_assert_nonnull (strstr (field->name, "Message"));
  /* The NUL that ends the message leaves no empty section behind. */
  g_assert_null (lan_packet_fields_lookup (fields, "section:1"));
}

static void
test_fields_entry_utf8_block (void)
{
  static const char datagram[] = "1:5:bob:pc:3:Bob\0QA\0\nUN:bob\nNN:Bob \xe2\x9c\x93\r\n\0";
  gsize len = sizeof datagram - 1;
  g_autoptr(GPtrArray) fields = lan_packet_fields_parse ((const guint8 *) datagram, len,
                                                         LAN_LEGACY_GB18030);
  const char *block = memchr (datagram, '\n', len);
  gsize block_offset = (gsize) (block - datagram);
  const LanPacketField *field;

  expect_field (fields, "section:0", 13, 3, "Bob");
  expect_field (fields, "section:1", 17, 2, "QA");
  field = expect_field (fields, "section:2", block_offset, len - 1 - block_offset, NULL);
  g_assert_nonnull (strstr (field->name, "UTF-8"));
  /* Each key's line, the CR of a CRLF left out. */
  expect_field (fields, "utf8:UN", block_offset + 1, 6, "bob");
  field = expect_field (fields, "utf8:NN", block_offset + 8, 10, "Bob ✓");
  g_assert_cmpuint (field->depth, ==, 2);
}

static void
test_fields_attachments (void)
{
  /* SENDMSG|SENDCHECKOPT|FILEATTACHOPT: a body, then records ended by BEL. */
  static const char datagram[] = "1:7:a:b:2097440:hi\0" "0:re::port.txt:4d2:65000000:1:14=abc:\a"
                                 "1:pics:0:65000000:2:\a\0";
  gsize len = sizeof datagram - 1;
  g_autoptr(GPtrArray) fields = lan_packet_fields_parse ((const guint8 *) datagram, len,
                                                         LAN_LEGACY_GB18030);
  gsize records = strlen ("1:7:a:b:2097440:hi") + 1;
  const LanPacketField *field;

  expect_field (fields, "section:0", 16, 2, "hi");
  field = expect_field (fields, "file:1", records, strlen ("0:re::port.txt:4d2:65000000:1:14=abc:"), "re:port.txt");
  g_assert_cmpuint (field->depth, ==, 1);
  expect_field (fields, "file:1:id", records, 1, "0");
  /* "::" is a ':' in the name; the range is the bytes as sent. */
  expect_field (fields, "file:1:name", records + 2, strlen ("re::port.txt"), "re:port.txt");
  field = expect_field (fields, "file:1:size", records + 15, 3, NULL);
  g_assert_nonnull (strstr (field->value, "1234 bytes"));
  field = expect_field (fields, "file:1:attr", records + 28, 1, NULL);
  g_assert_nonnull (strstr (field->value, "regular file"));
  expect_field (fields, "file:1:extra:1", records + 30, 6, "14=abc");
  field = expect_field (fields, "file:2:attr", records + 38 + 18, 1, NULL);
  g_assert_nonnull (strstr (field->value, "folder"));
  expect_field (fields, "file:2:name", records + 38 + 2, 4, "pics");
}

/* What the codec rejects is still shown as far as it goes. */
static void
test_fields_malformed (void)
{
  static const char short_header[] = "1:abc:u";
  static const char nul_header[] = "1:2:us\0er:h:32:x";
  g_autoptr(GPtrArray) fields = lan_packet_fields_parse ((const guint8 *) short_header,
                                                         sizeof short_header - 1, LAN_LEGACY_GB18030);
  g_autoptr(GPtrArray) nul_fields = lan_packet_fields_parse ((const guint8 *) nul_header,
                                                             sizeof nul_header - 1, LAN_LEGACY_GB18030);
  g_autoptr(GPtrArray) empty = lan_packet_fields_parse (NULL, 0, LAN_LEGACY_GB18030);
  const LanPacketField *field;

  expect_field (fields, "version", 0, 1, "1");
  field = expect_field (fields, "packet-no", 2, 3, NULL);
  g_assert_nonnull (strstr (field->value, "not a number"));
  expect_field (fields, "rest", 6, 1, "u");
  g_assert_null (lan_packet_fields_lookup (fields, "command"));

  expect_field (nul_fields, "packet-no", 2, 1, "2");
  expect_field (nul_fields, "rest", 4, sizeof nul_header - 1 - 4, NULL);
  g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_header_peek (void)
{
  static const char recvmsg[] = "1:9:a:b:33:123\0";
  static const char sendmsg[] = "1:77:a:b:288:text";
  static const char bad[] = "1:x:a:b:33:1";
  LanPacketHeader header;

  g_assert_true (lan_packet_header_peek ((const guint8 *) recvmsg, sizeof recvmsg - 1, &header));
  g_assert_cmpuint (header.packet_no, ==, 9);
  g_assert_cmpuint (header.command, ==, LAN_IPMSG_RECVMSG);
  g_assert_true (header.has_section_number);
  g_assert_cmpuint (header.section_number, ==, 123);

  g_assert_true (lan_packet_header_peek ((const guint8 *) sendmsg, sizeof sendmsg - 1, &header));
  g_assert_cmpuint (header.packet_no, ==, 77);
  g_assert_false (header.has_section_number);

  g_assert_false (lan_packet_header_peek ((const guint8 *) bad, sizeof bad - 1, &header));
}

static void
append_datagram (LanPacketLog *log,
                 LanDirection  direction,
                 guint32       remote,
                 gint64        time_us,
                 const char   *text,
                 LanVerdict    verdict)
{
  LanDatagram datagram = {
    .time_us = time_us,
    .direction = direction,
    .local = { 0x7f000002, 2425 },
    .remote = { remote, 2425 },
    .data = (const guint8 *) text,
    .len = strlen (text),
  };

  lan_packet_log_append (log, &datagram, verdict, NULL);
}

/* A message sent, resent, acknowledged; another peer's noise around it. */
static void
test_links (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (100);
  g_autoptr(LanPacketLinks) from_send = NULL;
  g_autoptr(LanPacketLinks) from_ack = NULL;
  g_autoptr(LanPacketLinks) none = NULL;
  g_autoptr(LanPacketLinks) unanswered = NULL;
  const guint32 bob = 0x7f000003, carol = 0x7f000004;
  const LanPacketLink *link;

  append_datagram (log, LAN_DIRECTION_OUT, bob, 1000000, "1:500:a:h:288:hi", LAN_VERDICT_OK);          /* 0 */
  append_datagram (log, LAN_DIRECTION_IN, carol, 1100000, "1:500:c:h:33:500", LAN_VERDICT_WRONG_ADDRESS); /* 1 */
  append_datagram (log, LAN_DIRECTION_OUT, bob, 1500000, "1:500:a:h:288:hi", LAN_VERDICT_RESEND);      /* 2 */
  append_datagram (log, LAN_DIRECTION_OUT, carol, 1600000, "1:500:a:h:288:hi", LAN_VERDICT_OK);        /* 3 */
  append_datagram (log, LAN_DIRECTION_IN, bob, 1700000, "1:900:b:h:33:499", LAN_VERDICT_UNMATCHED_REPLY); /* 4 */
  append_datagram (log, LAN_DIRECTION_IN, bob, 1800000, "1:901:b:h:33:500\0", LAN_VERDICT_OK);         /* 5 */
  append_datagram (log, LAN_DIRECTION_IN, bob, 1900000, "1:902:b:h:3:bob", LAN_VERDICT_OK);            /* 6 */
  append_datagram (log, LAN_DIRECTION_OUT, bob, 2000000, "1:600:a:h:288:again", LAN_VERDICT_OK);       /* 7 */
  lan_packet_log_flush (log);

  from_send = lan_packet_links_find (G_LIST_MODEL (log), 0, 2000);
  g_assert_nonnull (from_send);
  g_assert_cmpuint (from_send->packet_no, ==, 500);
  g_assert_cmpuint (from_send->links->len, ==, 3);
  link = &g_array_index (from_send->links, LanPacketLink, 0);
  g_assert_cmpuint (link->number, ==, 1);
  g_assert_cmpint (link->kind, ==, LAN_PACKET_LINK_SEND);
  link = &g_array_index (from_send->links, LanPacketLink, 1);
  g_assert_cmpuint (link->number, ==, 3);
  g_assert_cmpint (link->verdict, ==, LAN_VERDICT_RESEND);
  link = &g_array_index (from_send->links, LanPacketLink, 2);
  g_assert_cmpuint (link->number, ==, 6);
  g_assert_cmpint (link->kind, ==, LAN_PACKET_LINK_ACK);
  g_assert_true (from_send->acknowledged);
  g_assert_cmpuint (from_send->sends, ==, 2);
  g_assert_cmpint (from_send->rtt_first_us, ==, 800000);
  g_assert_cmpint (from_send->rtt_last_us, ==, 300000);

  /* From the acknowledgement back: the same links. */
  from_ack = lan_packet_links_find (G_LIST_MODEL (log), 5, 2000);
  g_assert_nonnull (from_ack);
  g_assert_cmpuint (from_ack->links->len, ==, 3);
  g_assert_cmpint (from_ack->rtt_first_us, ==, 800000);

  /* The radius bounds the search: one row either side finds no partner. */
  none = lan_packet_links_find (G_LIST_MODEL (log), 0, 1);
  g_assert_null (none);
  /* Not a message, or a message alone. */
  g_assert_null (lan_packet_links_find (G_LIST_MODEL (log), 6, 2000));
  unanswered = lan_packet_links_find (G_LIST_MODEL (log), 7, 2000);
  g_assert_null (unanswered);
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
  g_test_add_func ("/packet/fields/sendmsg", test_fields_sendmsg);
  g_test_add_func ("/packet/fields/entry-utf8-block", test_fields_entry_utf8_block);
  g_test_add_func ("/packet/fields/attachments", test_fields_attachments);
  g_test_add_func ("/packet/fields/malformed", test_fields_malformed);
  g_test_add_func ("/packet/header-peek", test_header_peek);
  g_test_add_func ("/packet/links", test_links);
  g_test_add_func ("/settings/parse-targets", test_parse_targets);

  return g_test_run ();
}

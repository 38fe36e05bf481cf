/* test-ipmsg-dissect.c — the field tree an inspector shows, from the core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "lan-dialect.h"
#include "lan-ipmsg.h"
#include "lan-ipmsg-dissect.h"
#include "lan-packet-log.h"

/* The fields as the inspector shows them with the default setting. */
static GPtrArray *
dissect (const guint8 *data,
         gsize         len)
{
  LanDialect dialect;

  lan_dialect_init (&dialect, LAN_LEGACY_GB18030);
  return lan_ipmsg_dissect (data, len, &dialect);
}

static const LanIpmsgField *
expect_field (GPtrArray  *fields,
              const char *key,
              gsize       offset,
              gsize       length,
              const char *value)
{
  const LanIpmsgField *field = lan_ipmsg_dissect_lookup (fields, key);

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
  g_autoptr(GPtrArray) fields = dissect ((const guint8 *) datagram, sizeof datagram - 1);
  const LanIpmsgField *field;

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
  g_assert_null (lan_ipmsg_dissect_lookup (fields, "section:1"));
}

static void
test_fields_entry_utf8_block (void)
{
  static const char datagram[] = "1:5:bob:pc:3:Bob\0QA\0\nUN:bob\nNN:Bob \xe2\x9c\x93\r\n\0";
  gsize len = sizeof datagram - 1;
  g_autoptr(GPtrArray) fields = dissect ((const guint8 *) datagram, len);
  const char *block = memchr (datagram, '\n', len);
  gsize block_offset = (gsize) (block - datagram);
  const LanIpmsgField *field;

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
  g_autoptr(GPtrArray) fields = dissect ((const guint8 *) datagram, len);
  gsize records = strlen ("1:7:a:b:2097440:hi") + 1;
  const LanIpmsgField *field;

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
  g_autoptr(GPtrArray) fields = dissect ((const guint8 *) short_header,
                                                         sizeof short_header - 1);
  g_autoptr(GPtrArray) nul_fields = dissect ((const guint8 *) nul_header,
                                                             sizeof nul_header - 1);
  g_autoptr(GPtrArray) empty = dissect (NULL, 0);
  const LanIpmsgField *field;

  expect_field (fields, "version", 0, 1, "1");
  field = expect_field (fields, "packet-no", 2, 3, NULL);
  g_assert_nonnull (strstr (field->value, "not a number"));
  expect_field (fields, "rest", 6, 1, "u");
  g_assert_null (lan_ipmsg_dissect_lookup (fields, "command"));

  expect_field (nul_fields, "packet-no", 2, 1, "2");
  expect_field (nul_fields, "rest", 4, sizeof nul_header - 1 - 4, NULL);
  g_assert_cmpuint (empty->len, ==, 0);
}

/* The Info column (the log entry) and the dissector (the inspector's
 * fields) read the same bytes the same way: GB18030 and CP932 legacy text,
 * an iptux marker over UTF-8 and over GB18030, a UTF8OPT message. */
static void
test_same_text_as_log (void)
{
  static const struct {
    const char *data;
    gsize len;
    LanLegacyEncoding legacy;
    const char *user;
    const char *text;
  } cases[] = {
#define CASE(literal, legacy, user, text) { literal, sizeof literal - 1, legacy, user, text }
    /* FeiQ: GB18030 throughout, no flags. */
    CASE ("1_lbt6_0#128#000C29D68D8F#0:7:\xd5\xc5\xc8\xfd:pc:32:\xc4\xe3\xba\xc3\0",
          LAN_LEGACY_GB18030, "张三", "你好"),
    /* A CP932 entry whose block proves CP932, read under the GB18030 setting. */
    CASE ("1:8:yamada:pc:1:\x8e\x52\x93\x63\0\0\nNN:\xe5\xb1\xb1\xe7\x94\xb0\n\0",
          LAN_LEGACY_GB18030, "yamada", "山田"),
    /* A CP932 message under the CP932 setting. */
    CASE ("1:9:\x8e\x52\x93\x63:pc:32:\x8e\x52\x93\x63\0", LAN_LEGACY_CP932, "山田", "山田"),
    /* iptux's marker over UTF-8 fields… */
    CASE ("1_iptux 0.8.3:3:\xe5\xbc\xa0:pc:257:\xe5\xbc\xa0\0g\0icon\0utf-8\0",
          LAN_LEGACY_GB18030, "张", "张"),
    /* …and over GB18030 ones, as iptux writes them with preference_encode gb18030. */
    CASE ("1_iptux 0.8.3:4:\xd5\xc5\xc8\xfd:pc:257:\xd5\xc5\xc8\xfd\0g\0icon\0utf-8\0",
          LAN_LEGACY_GB18030, "张三", "张三"),
    /* UTF8OPT. */
    CASE ("1:5:bob:pc:8388896:\xe2\x9c\x93 ok\0", LAN_LEGACY_CP932, "bob", "✓ ok"),
#undef CASE
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LanPacketLog) log = lan_packet_log_new (4);
      g_autoptr(LanPacketLogEntry) entry = NULL;
      g_autoptr(GPtrArray) fields = NULL;
      LanDatagram datagram = {
        .direction = LAN_DIRECTION_IN,
        .data = (const guint8 *) cases[i].data,
        .len = cases[i].len,
      };
      LanDialect dialect;

      lan_packet_log_set_legacy_encoding (log, cases[i].legacy);
      lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, NULL);
      lan_packet_log_flush (log);
      entry = g_list_model_get_item (G_LIST_MODEL (log), 0);
      lan_dialect_init (&dialect, cases[i].legacy);
      fields = lan_ipmsg_dissect (datagram.data, datagram.len, &dialect);

      g_assert_true (lan_packet_log_entry_get_parsed (entry));
      g_assert_cmpstr (lan_packet_log_entry_get_user (entry), ==, cases[i].user);
      g_assert_cmpstr (lan_packet_log_entry_get_text (entry), ==, cases[i].text);
      g_assert_cmpstr (lan_ipmsg_dissect_lookup (fields, "user")->value, ==, cases[i].user);
      g_assert_cmpstr (lan_ipmsg_dissect_lookup (fields, "section:0")->value, ==, cases[i].text);
    }
}

/* Decorated versions have parts; FeiQ's names the machine. */
static void
test_fields_version (void)
{
  static const char datagram[] = "1_lbt6_0#128#000C29D68D8F#0:1:u:h:1:n\0";
  g_autoptr(GPtrArray) fields = dissect ((const guint8 *) datagram, sizeof datagram - 1);

  expect_field (fields, "version", 0, 27, NULL);
  expect_field (fields, "version:number", 0, 1, "1");
  expect_field (fields, "version:decoration", 1, 26, "_lbt6_0#128#000C29D68D8F#0");
  expect_field (fields, "version:mac", 13, 12, "000C29D68D8F");
}

/* What the codec never reads whole still stays inside the datagram. */
static void
test_fields_hostile (void)
{
  g_autofree guint8 *nuls = g_malloc0 (LAN_IPMSG_MAX_DATAGRAM);
  g_autoptr(GPtrArray) fields = NULL;

  memcpy (nuls, "1:1:u:h:1:", 10);
  fields = dissect (nuls, LAN_IPMSG_MAX_DATAGRAM);
  for (guint i = 0; i < fields->len; i++)
    {
      const LanIpmsgField *field = g_ptr_array_index (fields, i);

      g_assert_cmpuint (field->offset + field->length, <=, LAN_IPMSG_MAX_DATAGRAM);
      g_assert_true (g_utf8_validate (field->value, -1, NULL));
    }
  g_assert_nonnull (lan_ipmsg_dissect_lookup (fields, "section:0"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/packet/fields/sendmsg", test_fields_sendmsg);
  g_test_add_func ("/packet/fields/entry-utf8-block", test_fields_entry_utf8_block);
  g_test_add_func ("/packet/fields/attachments", test_fields_attachments);
  g_test_add_func ("/packet/fields/malformed", test_fields_malformed);
  g_test_add_func ("/packet/fields/version", test_fields_version);
  g_test_add_func ("/packet/fields/hostile", test_fields_hostile);
  g_test_add_func ("/packet/fields/same-text-as-log", test_same_text_as_log);

  return g_test_run ();
}

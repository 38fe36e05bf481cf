/* test-dialect.c — the one charset policy: what a peer reads and writes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "lan-dialect.h"
#include "lan-ipmsg.h"

#define BYTES(literal) (const guint8 *) (literal), sizeof (literal) - 1

/* 张三 in GB18030 and in UTF-8; 山田 in CP932 and in UTF-8. */
#define ZHANG_GB   "\xd5\xc5\xc8\xfd"
#define ZHANG_UTF8 "\xe5\xbc\xa0\xe4\xb8\x89"
#define YAMADA_SJIS "\x8e\x52\x93\x63"
#define YAMADA_UTF8 "\xe5\xb1\xb1\xe7\x94\xb0"

static LanIpmsgPacket *
parse (const guint8 *data,
       gsize         len)
{
  g_autoptr(GError) error = NULL;
  LanIpmsgPacket *packet = lan_ipmsg_packet_parse (data, len, &error);

  g_assert_no_error (error);
  return packet;
}

static char *
decode (const LanDialect *dialect,
        guint32           command,
        const char       *bytes,
        LanDecodedAs     *used)
{
  return lan_dialect_decode (dialect, command, LAN_DIALECT_PEER_TEXT, (const guint8 *) bytes,
                             strlen (bytes), used, NULL);
}

static void
test_decode_order (void)
{
  LanDialect dialect;
  LanDecodedAs used;
  g_autofree char *flagged = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *legacy = NULL;
  g_autofree char *flagged_bad = NULL;
  g_autofree char *block = NULL;

  lan_dialect_init (&dialect, LAN_LEGACY_GB18030);

  flagged = decode (&dialect, LAN_IPMSG_SENDMSG | LAN_IPMSG_UTF8OPT, ZHANG_UTF8, &used);
  g_assert_cmpstr (flagged, ==, "张三");
  g_assert_cmpint (used, ==, LAN_DECODED_UTF8_FLAG);

  valid = decode (&dialect, LAN_IPMSG_SENDMSG, ZHANG_UTF8, &used);
  g_assert_cmpstr (valid, ==, "张三");
  g_assert_cmpint (used, ==, LAN_DECODED_UTF8_VALID);

  legacy = decode (&dialect, LAN_IPMSG_SENDMSG, ZHANG_GB, &used);
  g_assert_cmpstr (legacy, ==, "张三");
  g_assert_cmpint (used, ==, LAN_DECODED_LEGACY);

  /* The flag wins over the bytes: what it promised and broke shows as U+FFFD. */
  flagged_bad = decode (&dialect, LAN_IPMSG_SENDMSG | LAN_IPMSG_UTF8OPT, ZHANG_GB, &used);
  g_assert_nonnull (strstr (flagged_bad, "\xef\xbf\xbd"));
  g_assert_cmpint (used, ==, LAN_DECODED_UTF8_FLAG);

  /* The UTF-8 block is UTF-8 whatever the peer's legacy encoding. */
  block = lan_dialect_decode (&dialect, LAN_IPMSG_BR_ENTRY, LAN_DIALECT_UTF8_TEXT,
                              (const guint8 *) ZHANG_GB, 4, &used, NULL);
  g_assert_cmpint (used, ==, LAN_DECODED_UTF8_ALWAYS);
  g_assert_true (g_utf8_validate (block, -1, NULL));
  g_assert_cmpstr (block, !=, "张三");
}

/* iptux's marker is believed over UTF-8 text only (ipmsg-notes: it writes
 * the marker with GB18030 fields too). */
static void
test_marker_checked (void)
{
  g_autoptr(LanIpmsgPacket) honest = parse (BYTES ("1_iptux 0.8.3:1:" ZHANG_UTF8 ":pc:1:" ZHANG_UTF8 "\0grp\0icon\0utf-8\0"));
  g_autoptr(LanIpmsgPacket) liar = parse (BYTES ("1_iptux 0.8.3:1:" ZHANG_GB ":pc:1:" ZHANG_GB "\0grp\0icon\0utf-8\0"));
  LanDialect dialect;
  LanDecodedAs used;
  g_autofree char *nick = NULL;
  g_autofree char *gb = NULL;

  dialect = lan_dialect_for_packet (honest, LAN_LEGACY_GB18030);
  g_assert_true (dialect.entry_seen);
  g_assert_true (dialect.utf8_marker);
  g_assert_true (lan_dialect_takes_utf8 (&dialect));
  g_assert_false (lan_dialect_wants_utf8_flag (&dialect));
  nick = decode (&dialect, honest->command, ZHANG_UTF8, &used);
  g_assert_cmpstr (nick, ==, "张三");
  g_assert_cmpint (used, ==, LAN_DECODED_UTF8_MARKER);

  dialect = lan_dialect_for_packet (liar, LAN_LEGACY_GB18030);
  g_assert_true (dialect.entry_seen);
  g_assert_false (dialect.utf8_marker);
  g_assert_false (lan_dialect_takes_utf8 (&dialect));
  gb = decode (&dialect, liar->command, ZHANG_GB, &used);
  g_assert_cmpstr (gb, ==, "张三");
  g_assert_cmpint (used, ==, LAN_DECODED_LEGACY);
}

/* A CP932 nickname that reads as the block's NN: under CP932 proves the
 * peer's encoding, whatever the configured one. */
static void
test_legacy_learned (void)
{
  g_autoptr(LanIpmsgPacket) cp932 = parse (BYTES ("1:1:yamada:pc:1:" YAMADA_SJIS "\0\0\nUN:yamada\nNN:" YAMADA_UTF8 "\n\0"));
  g_autoptr(LanIpmsgPacket) mismatch = parse (BYTES ("1:1:yamada:pc:1:" YAMADA_SJIS "\0\0\nNN:Taro\n\0"));
  g_autoptr(LanIpmsgPacket) gb = parse (BYTES ("1:1:zhang:pc:1:" ZHANG_GB "\0\0\nNN:" ZHANG_UTF8 "\n\0"));
  LanDialect dialect;
  g_autofree char *name = NULL;

  dialect = lan_dialect_for_packet (cp932, LAN_LEGACY_GB18030);
  g_assert_cmpint (dialect.legacy, ==, LAN_LEGACY_CP932);
  name = decode (&dialect, cp932->command, YAMADA_SJIS, NULL);
  g_assert_cmpstr (name, ==, "山田");

  dialect = lan_dialect_for_packet (mismatch, LAN_LEGACY_GB18030);
  g_assert_cmpint (dialect.legacy, ==, LAN_LEGACY_GB18030);

  dialect = lan_dialect_for_packet (gb, LAN_LEGACY_CP932);
  g_assert_cmpint (dialect.legacy, ==, LAN_LEGACY_GB18030);

  /* Only entry packets teach. */
  {
    g_autoptr(LanIpmsgPacket) message = parse (BYTES ("1:1:u:pc:288:" YAMADA_SJIS "\0"));

    dialect = lan_dialect_for_packet (message, LAN_LEGACY_GB18030);
    g_assert_false (dialect.entry_seen);
    g_assert_cmpint (dialect.legacy, ==, LAN_LEGACY_GB18030);
  }
}

static void
assert_encoded (const LanDialect *dialect,
                LanDialectText    text,
                const char       *utf8,
                const char       *expected,
                guint32           expected_flag)
{
  guint32 command = LAN_IPMSG_SENDMSG;
  g_autoptr(GBytes) bytes = lan_dialect_encode (dialect, text, utf8, &command, NULL);

  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, strlen (expected));
  g_assert_cmpuint (command & LAN_IPMSG_UTF8OPT, ==, expected_flag);
}

static void
test_encode (void)
{
  g_autoptr(LanIpmsgPacket) modern = parse (BYTES ("1:1:u:h:16777217:n\0g\0"));  /* BR_ENTRY|CAPUTF8OPT */
  g_autoptr(LanIpmsgPacket) g2ipmsg = parse (BYTES ("1:1:u:h:8388609:n\0g\0"));  /* BR_ENTRY|UTF8OPT */
  g_autoptr(LanIpmsgPacket) iptux = parse (BYTES ("1_iptux:1:u:h:257:n\0g\0i\0utf-8\0"));
  g_autoptr(LanIpmsgPacket) feiq = parse (BYTES ("1_lbt6_0#128#000C29D68D8F#0:1:u:h:1:n\0g\0"));
  LanDialect unknown, dialect;

  lan_dialect_init (&unknown, LAN_LEGACY_GB18030);
  /* Nothing known yet: a modern client is assumed. */
  assert_encoded (&unknown, LAN_DIALECT_PEER_TEXT, "张三", ZHANG_UTF8, LAN_IPMSG_UTF8OPT);
  /* What everyone must read is legacy, never flagged; the block is UTF-8, never flagged. */
  assert_encoded (&unknown, LAN_DIALECT_LEGACY_TEXT, "张三", ZHANG_GB, 0);
  assert_encoded (&unknown, LAN_DIALECT_UTF8_TEXT, "张三", ZHANG_UTF8, 0);

  dialect = lan_dialect_for_packet (modern, LAN_LEGACY_GB18030);
  assert_encoded (&dialect, LAN_DIALECT_PEER_TEXT, "张三", ZHANG_UTF8, LAN_IPMSG_UTF8OPT);
  dialect = lan_dialect_for_packet (g2ipmsg, LAN_LEGACY_GB18030);
  assert_encoded (&dialect, LAN_DIALECT_PEER_TEXT, "张三", ZHANG_UTF8, LAN_IPMSG_UTF8OPT);
  dialect = lan_dialect_for_packet (iptux, LAN_LEGACY_GB18030);
  assert_encoded (&dialect, LAN_DIALECT_PEER_TEXT, "张三", ZHANG_UTF8, 0);
  /* FeiQ announced no bits at all: a legacy peer. */
  dialect = lan_dialect_for_packet (feiq, LAN_LEGACY_GB18030);
  g_assert_false (lan_dialect_takes_utf8 (&dialect));
  assert_encoded (&dialect, LAN_DIALECT_PEER_TEXT, "张三", ZHANG_GB, 0);
  dialect.legacy = LAN_LEGACY_CP932;
  assert_encoded (&dialect, LAN_DIALECT_PEER_TEXT, "山田", YAMADA_SJIS, 0);

  {
    /* No command to flag: the text alone. */
    g_autoptr(GBytes) bytes = lan_dialect_encode (&unknown, LAN_DIALECT_PEER_TEXT, "x", NULL, NULL);
    g_assert_cmpuint (g_bytes_get_size (bytes), ==, 1);
  }
}

/* A peer's dialect follows its latest entry. */
static void
test_learn_updates (void)
{
  g_autoptr(LanIpmsgPacket) modern = parse (BYTES ("1:1:u:h:16777217:n\0g\0"));
  g_autoptr(LanIpmsgPacket) plain = parse (BYTES ("1:2:u:h:1:n\0g\0"));
  LanDialect dialect;

  lan_dialect_init (&dialect, LAN_LEGACY_CP932);
  lan_dialect_learn (&dialect, modern);
  g_assert_cmpuint (dialect.capabilities, ==, LAN_IPMSG_CAPUTF8OPT);
  g_assert_true (lan_dialect_takes_utf8 (&dialect));
  lan_dialect_learn (&dialect, plain);
  g_assert_cmpuint (dialect.capabilities, ==, 0);
  g_assert_false (lan_dialect_takes_utf8 (&dialect));
  g_assert_cmpint (dialect.legacy, ==, LAN_LEGACY_CP932);
}

/* What history keeps reads back the same; text it can't read changes nothing. */
static void
test_to_from_string (void)
{
  LanDialect dialect;
  LanDialect back;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;

  lan_dialect_init (&dialect, LAN_LEGACY_GB18030);
  dialect.entry_seen = TRUE;
  dialect.capabilities = LAN_IPMSG_CAPUTF8OPT | LAN_IPMSG_FILEATTACHOPT;
  dialect.legacy = LAN_LEGACY_CP932;
  dialect.legacy_proven = TRUE;
  dialect.override = LAN_DIALECT_FORCE_GB18030;
  text = lan_dialect_to_string (&dialect);

  lan_dialect_init (&back, LAN_LEGACY_GB18030);
  g_assert_true (lan_dialect_from_string (&back, text));
  again = lan_dialect_to_string (&back);
  g_assert_cmpstr (again, ==, text);
  g_assert_cmpint (back.override, ==, LAN_DIALECT_FORCE_GB18030);
  g_assert_cmpint (back.legacy, ==, LAN_LEGACY_CP932);
  g_assert_true (back.legacy_proven);

  g_assert_false (lan_dialect_from_string (&back, "override=sideways"));
  g_assert_false (lan_dialect_from_string (&back, "entry=1"));
  g_assert_false (lan_dialect_from_string (&back, NULL));
  g_assert_cmpint (back.override, ==, LAN_DIALECT_FORCE_GB18030);
}

/* The form of our entry per reader, and the override over what was learned. */
static void
test_entry_form (void)
{
  LanDialect dialect;
  LanDialectEntryForm form = lan_dialect_entry_form (NULL);

  g_assert_true (form.utf8_fields && form.utf8_block);

  lan_dialect_init (&dialect, LAN_LEGACY_GB18030);
  form = lan_dialect_entry_form (&dialect);
  g_assert_true (form.utf8_fields && form.utf8_block);

  /* An entry with no bits (FeiQ): GB18030 whole, no block. */
  dialect.entry_seen = TRUE;
  g_assert_false (lan_dialect_takes_utf8 (&dialect));
  form = lan_dialect_entry_form (&dialect);
  g_assert_false (form.utf8_fields || form.utf8_block);

  /* IP Messenger: CP932 fields and the block. */
  dialect.capabilities = LAN_IPMSG_CAPUTF8OPT;
  dialect.legacy = LAN_LEGACY_CP932;
  dialect.legacy_proven = TRUE;
  form = lan_dialect_entry_form (&dialect);
  g_assert_false (form.utf8_fields);
  g_assert_true (form.utf8_block);

  /* The user says UTF-8: everything UTF-8. */
  dialect.override = LAN_DIALECT_FORCE_UTF8;
  form = lan_dialect_entry_form (&dialect);
  g_assert_true (form.utf8_fields && form.utf8_block);
  g_assert_cmpint (lan_dialect_get_effective (&dialect), ==, LAN_DIALECT_FORCE_UTF8);

  /* Our setting fills in only where the entry proved nothing. */
  lan_dialect_set_default_legacy (&dialect, LAN_LEGACY_GB18030);
  g_assert_cmpint (dialect.legacy, ==, LAN_LEGACY_CP932);
  dialect.legacy_proven = FALSE;
  lan_dialect_set_default_legacy (&dialect, LAN_LEGACY_GB18030);
  g_assert_cmpint (dialect.legacy, ==, LAN_LEGACY_GB18030);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dialect/decode-order", test_decode_order);
  g_test_add_func ("/dialect/marker-checked", test_marker_checked);
  g_test_add_func ("/dialect/legacy-learned", test_legacy_learned);
  g_test_add_func ("/dialect/encode", test_encode);
  g_test_add_func ("/dialect/learn-updates", test_learn_updates);
  g_test_add_func ("/dialect/to-from-string", test_to_from_string);
  g_test_add_func ("/dialect/entry-form", test_entry_form);

  return g_test_run ();
}

/* test-charset.c — decoding peers' text, including bytes no encoding can read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-charset.h"

#define BYTES(literal) (literal), sizeof (literal) - 1
#define FFFD "\357\277\275"

/* Copies into a buffer of exactly @len bytes so over-reads show under ASan. */
static char *
decode_exact (const char        *data,
              gsize              len,
              gboolean           flag,
              gboolean           marker,
              LanLegacyEncoding  legacy,
              LanDecodedAs      *used,
              gboolean          *lossy)
{
  g_autofree guint8 *copy = len > 0 ? g_memdup2 (data, len) : NULL;

  return lan_charset_decode (copy, len, flag, marker, legacy, used, lossy);
}

static char *
decode_with_exact (const char        *data,
                   gsize              len,
                   gboolean           as_utf8,
                   LanLegacyEncoding  legacy,
                   gboolean          *lossy)
{
  g_autofree guint8 *copy = len > 0 ? g_memdup2 (data, len) : NULL;

  return lan_charset_decode_with (copy, len, as_utf8, legacy, lossy);
}

static void
test_legacy_names (void)
{
  const struct {
    const char *name;
    LanLegacyEncoding encoding;
  } accepted[] = {
    { "gb18030", LAN_LEGACY_GB18030 },
    { "GB18030", LAN_LEGACY_GB18030 },
    { "GBK", LAN_LEGACY_GB18030 },
    { "gb2312", LAN_LEGACY_GB18030 },
    { "cp936", LAN_LEGACY_GB18030 },
    { "cp932", LAN_LEGACY_CP932 },
    { "CP932", LAN_LEGACY_CP932 },
    { "shift_jis", LAN_LEGACY_CP932 },
    { "Shift-JIS", LAN_LEGACY_CP932 },
    { "SJIS", LAN_LEGACY_CP932 },
    { "windows-31j", LAN_LEGACY_CP932 },
  };
  const char *refused[] = { "", "utf-8", "latin1", "gb", "cp93", "gb18030 ", "big5" };
  LanLegacyEncoding encoding;

  g_assert_cmpstr (lan_legacy_encoding_to_string (LAN_LEGACY_GB18030), ==, "GB18030");
  g_assert_cmpstr (lan_legacy_encoding_to_string (LAN_LEGACY_CP932), ==, "CP932");

  for (gsize i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      encoding = accepted[i].encoding == LAN_LEGACY_CP932 ? LAN_LEGACY_GB18030 : LAN_LEGACY_CP932;
      g_assert_true (lan_legacy_encoding_from_string (accepted[i].name, &encoding));
      g_assert_cmpint (encoding, ==, accepted[i].encoding);
    }

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    g_assert_false (lan_legacy_encoding_from_string (refused[i], &encoding));
  g_assert_false (lan_legacy_encoding_from_string (NULL, &encoding));

  /* Each name reads back as itself. */
  g_assert_true (lan_legacy_encoding_from_string (lan_legacy_encoding_to_string (LAN_LEGACY_CP932), &encoding));
  g_assert_cmpint (encoding, ==, LAN_LEGACY_CP932);
}

static void
test_decode_order (void)
{
  static const char utf8[] = "张三";
  static const char gb18030[] = "\xd5\xc5\xc8\xfd";
  LanDecodedAs used;
  gboolean lossy = TRUE;
  g_autofree char *by_flag = decode_exact (BYTES (utf8), TRUE, FALSE, LAN_LEGACY_GB18030, &used, &lossy);

  g_assert_cmpstr (by_flag, ==, "张三");
  g_assert_cmpint (used, ==, LAN_DECODED_UTF8_FLAG);
  g_assert_false (lossy);

  {
    g_autofree char *by_marker = decode_exact (BYTES (utf8), FALSE, TRUE, LAN_LEGACY_GB18030, &used, &lossy);

    g_assert_cmpstr (by_marker, ==, "张三");
    g_assert_cmpint (used, ==, LAN_DECODED_UTF8_MARKER);
    g_assert_false (lossy);
  }

  {
    g_autofree char *by_validity = decode_exact (BYTES (utf8), FALSE, FALSE, LAN_LEGACY_GB18030, &used, &lossy);

    g_assert_cmpstr (by_validity, ==, "张三");
    g_assert_cmpint (used, ==, LAN_DECODED_UTF8_VALID);
    g_assert_false (lossy);
  }

  {
    g_autofree char *by_legacy = decode_exact (BYTES (gb18030), FALSE, FALSE, LAN_LEGACY_GB18030, &used, &lossy);

    g_assert_cmpstr (by_legacy, ==, "张三");
    g_assert_cmpint (used, ==, LAN_DECODED_LEGACY);
    g_assert_false (lossy);
  }

  {
    /* The flag wins even when the bytes say otherwise: it is the sender's word. */
    g_autofree char *flag_on_legacy = decode_exact (BYTES (gb18030), TRUE, FALSE, LAN_LEGACY_GB18030, &used, &lossy);

    g_assert_cmpint (used, ==, LAN_DECODED_UTF8_FLAG);
    g_assert_true (lossy);
    g_assert_cmpstr (flag_on_legacy, ==, FFFD FFFD FFFD FFFD);
  }

  {
    g_autofree char *no_outs = decode_exact (BYTES ("plain"), FALSE, FALSE, LAN_LEGACY_CP932, NULL, NULL);

    g_assert_cmpstr (no_outs, ==, "plain");
  }
}

static void
test_decode_empty (void)
{
  LanDecodedAs used;
  gboolean lossy = TRUE;
  g_autofree char *empty = lan_charset_decode (NULL, 0, FALSE, FALSE, LAN_LEGACY_GB18030, &used, &lossy);
  g_autofree char *empty_legacy = lan_charset_decode_with (NULL, 0, FALSE, LAN_LEGACY_CP932, &lossy);

  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpint (used, ==, LAN_DECODED_UTF8_VALID);
  g_assert_cmpstr (empty_legacy, ==, "");
  g_assert_false (lossy);
}

static void
test_decode_gb18030 (void)
{
  const struct {
    const char *bytes;
    const char *text;
  } cases[] = {
    { "\xd5\xc5\xc8\xfd", "张三" },
    { "\xc4\xe3\xba\xc3, world", "你好, world" },
    /* A four-byte sequence: GBK lacks it, GB18030 has it. */
    { "\x81\x30\x81\x30", "\xc2\x80" },
    { "\x95\x32\x82\x36", "\xf0\xa0\x80\x80" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean lossy = TRUE;
      LanDecodedAs used;
      g_autofree char *text = decode_exact (cases[i].bytes, strlen (cases[i].bytes), FALSE, FALSE,
                                            LAN_LEGACY_GB18030, &used, &lossy);

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_false (lossy);
    }
}

static void
test_decode_cp932 (void)
{
  LanDecodedAs used;
  gboolean lossy = TRUE;
  g_autofree char *name = decode_exact (BYTES ("\x8e\x52\x93\x63"), FALSE, FALSE, LAN_LEGACY_CP932, &used, &lossy);
  g_autofree char *kana = NULL;

  g_assert_cmpstr (name, ==, "山田");
  g_assert_cmpint (used, ==, LAN_DECODED_LEGACY);
  g_assert_false (lossy);

  /* Half-width katakana are single bytes in CP932. */
  kana = decode_with_exact (BYTES ("\xb1\xb2\xb3"), FALSE, LAN_LEGACY_CP932, &lossy);
  g_assert_cmpstr (kana, ==, "ｱｲｳ");
  g_assert_false (lossy);
}

static void
assert_valid_c_string (const char *text,
                       gsize       expected_fffd)
{
  gsize count = 0;

  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; (p = strstr (p, FFFD)) != NULL; p += 3)
    count++;
  g_assert_cmpuint (count, ==, expected_fffd);
}

static void
test_hostile_invalid_utf8 (void)
{
  const struct {
    const char *bytes;
    gsize len;
    const char *text;
  } cases[] = {
    { BYTES ("\xff") , FFFD },
    { BYTES ("a\xc3") , "a" FFFD },
    { BYTES ("\xc3(b") , FFFD "(b" },
    { BYTES ("\xe4\xb8") , FFFD FFFD },
    { BYTES ("\xed\xa0\x80") , FFFD FFFD FFFD },       /* a surrogate */
    { BYTES ("\xc0\xaf") , FFFD FFFD },                /* overlong '/' */
    { BYTES ("\xf4\x90\x80\x80") , FFFD FFFD FFFD FFFD }, /* beyond U+10FFFF */
    { BYTES ("\x80\x80ok") , FFFD FFFD "ok" },
    { BYTES ("ok\xe5\xb1\xb1\xff\xe7\x94\xb0") , "ok山" FFFD "田" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean lossy = FALSE;
      g_autofree char *text = decode_with_exact ((const char *) cases[i].bytes, cases[i].len, TRUE,
                                                 LAN_LEGACY_GB18030, &lossy);
      g_autofree char *flagged = decode_exact ((const char *) cases[i].bytes, cases[i].len, TRUE, FALSE,
                                               LAN_LEGACY_CP932, NULL, NULL);

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpstr (flagged, ==, cases[i].text);
      g_assert_true (lossy);
      g_assert_true (g_utf8_validate (text, -1, NULL));
    }
}

static void
test_hostile_truncated_gb18030 (void)
{
  const struct {
    const char *bytes;
    gsize len;
    const char *text;
  } cases[] = {
    /* "张三" cut after its third byte. */
    { BYTES ("\xd5\xc5\xc8"), "张" FFFD },
    { BYTES ("\xd5"), FFFD },
    /* A four-byte sequence cut short: the bytes after the lead are ASCII digits, kept. */
    { BYTES ("\x81\x30\x81"), FFFD "0" FFFD },
    { BYTES ("\x81\x30"), FFFD "0" },
    /* Not a GB18030 byte at all, in the middle of text. */
    { BYTES ("\xd5\xc5\xff\xc8\xfd"), "张" FFFD "三" },
    { BYTES ("\x80"), FFFD },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean lossy = FALSE;
      LanDecodedAs used;
      g_autofree char *text = decode_exact ((const char *) cases[i].bytes, cases[i].len, FALSE, FALSE,
                                            LAN_LEGACY_GB18030, &used, &lossy);

      g_assert_cmpint (used, ==, LAN_DECODED_LEGACY);
      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_true (lossy);
    }
}

static void
test_hostile_truncated_cp932 (void)
{
  gboolean lossy = FALSE;
  g_autofree char *cut = decode_with_exact (BYTES ("\x8e\x52\x93"), FALSE, LAN_LEGACY_CP932, &lossy);
  g_autofree char *bad_trail = NULL;

  g_assert_cmpstr (cut, ==, "山" FFFD);
  g_assert_true (lossy);

  lossy = FALSE;
  bad_trail = decode_with_exact (BYTES ("\x81\x20x"), FALSE, LAN_LEGACY_CP932, &lossy);
  assert_valid_c_string (bad_trail, 1);
  g_assert_true (g_str_has_suffix (bad_trail, " x"));
  g_assert_true (lossy);
}

static void
test_hostile_nuls (void)
{
  static const char utf8[] = "before\0after";
  static const char gb18030[] = "\xd5\xc5\0\xc8\xfd";
  LanDecodedAs used;
  gboolean lossy = FALSE;
  g_autofree char *text = decode_exact (BYTES (utf8), FALSE, FALSE, LAN_LEGACY_GB18030, &used, &lossy);
  g_autofree char *legacy = NULL;
  g_autofree char *only_nuls = NULL;

  /* NULs don't make UTF-8 text look like a legacy encoding, and don't hide what follows. */
  g_assert_cmpstr (text, ==, "before" FFFD "after");
  g_assert_cmpint (used, ==, LAN_DECODED_UTF8_VALID);
  g_assert_true (lossy);

  lossy = FALSE;
  legacy = decode_exact (BYTES (gb18030), FALSE, FALSE, LAN_LEGACY_GB18030, &used, &lossy);
  g_assert_cmpstr (legacy, ==, "张" FFFD "三");
  g_assert_cmpint (used, ==, LAN_DECODED_LEGACY);
  g_assert_true (lossy);

  lossy = FALSE;
  only_nuls = decode_with_exact (BYTES ("\0\0\0"), FALSE, LAN_LEGACY_CP932, &lossy);
  g_assert_cmpstr (only_nuls, ==, FFFD FFFD FFFD);
  g_assert_true (lossy);
}

static void
test_hostile_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240101);
  g_autofree guint8 *buffer = g_malloc (65536);

  for (guint iteration = 0; iteration < 300; iteration++)
    {
      gsize len = iteration < 8 ? 65536 : (gsize) g_rand_int_range (rand, 0, 2048);
      /* High bytes only half the time, so that legacy lead/trail pairs and
       * near-valid UTF-8 both come up. */
      gboolean high = g_rand_boolean (rand);

      for (gsize i = 0; i < len; i++)
        buffer[i] = high ? (guint8) g_rand_int_range (rand, 0x80, 0x100) : (guint8) g_rand_int_range (rand, 0, 0x100);

      for (guint rule = 0; rule < 4; rule++)
        {
          gboolean lossy = FALSE;
          LanDecodedAs used;
          g_autofree char *text = NULL;
          g_autoptr(GBytes) encoded = NULL;

          if (rule < 2)
            text = lan_charset_decode (buffer, len, FALSE, FALSE, rule, &used, &lossy);
          else
            text = lan_charset_decode_with (buffer, len, rule == 3, LAN_LEGACY_CP932, &lossy);

          g_assert_true (g_utf8_validate (text, -1, NULL));
          /* Every input byte is accounted for: no more than one U+FFFD or
           * one character per byte, and nothing hidden behind a NUL. */
          g_assert_cmpuint (g_utf8_strlen (text, -1), <=, len);
          if (memchr (buffer, '\0', len) != NULL)
            g_assert_true (lossy);

          encoded = lan_charset_encode (text, rule % 2 == 1, rule % 2, NULL);
          g_assert_nonnull (encoded);
        }
    }
}

static void
test_encode_utf8 (void)
{
  gboolean lossy = TRUE;
  g_autoptr(GBytes) bytes = lan_charset_encode ("张三 😀", TRUE, LAN_LEGACY_CP932, &lossy);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpmem (data, len, "张三 😀", strlen ("张三 😀"));
  g_assert_cmpint (data[len], ==, '\0');
  g_assert_false (lossy);
}

static void
test_encode_legacy (void)
{
  const struct {
    const char *text;
    LanLegacyEncoding legacy;
    const char *bytes;
    gboolean lossy;
  } cases[] = {
    { "张三", LAN_LEGACY_GB18030, "\xd5\xc5\xc8\xfd", FALSE },
    { "山田", LAN_LEGACY_CP932, "\x8e\x52\x93\x63", FALSE },
    { "plain", LAN_LEGACY_CP932, "plain", FALSE },
    { "", LAN_LEGACY_GB18030, "", FALSE },
    /* GB18030 covers all of Unicode, emoji included. */
    { "😀", LAN_LEGACY_GB18030, "\x94\x39\xfc\x36", FALSE },
    /* CP932 lacks them. */
    { "a😀b", LAN_LEGACY_CP932, "a?b", TRUE },
    { "山😀田😀", LAN_LEGACY_CP932, "\x8e\x52?\x93\x63?", TRUE },
    /* Simplified 张 isn't in CP932 either. */
    { "张", LAN_LEGACY_CP932, "?", TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean lossy = !cases[i].lossy;
      g_autoptr(GBytes) bytes = lan_charset_encode (cases[i].text, FALSE, cases[i].legacy, &lossy);
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);

      g_assert_cmpmem (data, len, cases[i].bytes, strlen (cases[i].bytes));
      g_assert_cmpint (lossy, ==, cases[i].lossy);
      if (len > 0)
        g_assert_cmpint (data[len], ==, '\0');
    }
}

static void
test_encode_invalid_input (void)
{
  gboolean lossy = FALSE;
  g_autoptr(GBytes) utf8 = lan_charset_encode ("a\xff" "b", TRUE, LAN_LEGACY_GB18030, &lossy);
  g_autoptr(GBytes) legacy = NULL;

  g_assert_cmpmem (g_bytes_get_data (utf8, NULL), g_bytes_get_size (utf8), "a" FFFD "b", 5);
  g_assert_true (lossy);

  lossy = FALSE;
  legacy = lan_charset_encode ("a\xff" "b", FALSE, LAN_LEGACY_CP932, &lossy);
  g_assert_cmpmem (g_bytes_get_data (legacy, NULL), g_bytes_get_size (legacy), "a?b", 3);
  g_assert_true (lossy);
}

static void
test_roundtrip (void)
{
  const char *texts[] = { "hello", "张三: 你好\n第二行", "山田さん、こんにちは", "ｱｲｳ", "€ 100" };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      for (LanLegacyEncoding legacy = LAN_LEGACY_GB18030; legacy <= LAN_LEGACY_CP932; legacy++)
        {
          gboolean lossy = FALSE;
          gboolean decode_lossy = TRUE;
          g_autoptr(GBytes) bytes = lan_charset_encode (texts[i], FALSE, legacy, &lossy);
          g_autofree char *text = NULL;

          if (lossy)
            continue;

          text = lan_charset_decode_with (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                          FALSE, legacy, &decode_lossy);
          g_assert_cmpstr (text, ==, texts[i]);
          g_assert_false (decode_lossy);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/charset/legacy-names", test_legacy_names);
  g_test_add_func ("/charset/decode/order", test_decode_order);
  g_test_add_func ("/charset/decode/empty", test_decode_empty);
  g_test_add_func ("/charset/decode/gb18030", test_decode_gb18030);
  g_test_add_func ("/charset/decode/cp932", test_decode_cp932);
  g_test_add_func ("/charset/decode/hostile/invalid-utf8", test_hostile_invalid_utf8);
  g_test_add_func ("/charset/decode/hostile/truncated-gb18030", test_hostile_truncated_gb18030);
  g_test_add_func ("/charset/decode/hostile/truncated-cp932", test_hostile_truncated_cp932);
  g_test_add_func ("/charset/decode/hostile/nuls", test_hostile_nuls);
  g_test_add_func ("/charset/decode/hostile/random", test_hostile_random);
  g_test_add_func ("/charset/encode/utf8", test_encode_utf8);
  g_test_add_func ("/charset/encode/legacy", test_encode_legacy);
  g_test_add_func ("/charset/encode/invalid-input", test_encode_invalid_input);
  g_test_add_func ("/charset/roundtrip", test_roundtrip);

  return g_test_run ();
}

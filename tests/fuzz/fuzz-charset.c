/* fuzz-charset.c — libFuzzer target for decoding and encoding peers' text.
 *
 * The first byte picks the rule (flag, marker, legacy encoding), the rest
 * is the text, so the fuzzer can steer into each converter.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "lan-charset.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_text (const char *text,
            gsize       input_len)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  /* Each character or U+FFFD comes from at least one input byte, so
   * nothing was invented and nothing hides behind an early NUL. */
  g_assert_true ((gsize) g_utf8_strlen (text, -1) <= input_len);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint8 selector;
  const guint8 *text_bytes;
  gsize text_len;
  LanLegacyEncoding legacy;
  gboolean lossy = FALSE;
  LanDecodedAs used;
  g_autofree char *decoded = NULL;
  g_autofree char *strict = NULL;
  g_autoptr(GBytes) as_legacy = NULL;
  g_autoptr(GBytes) as_utf8 = NULL;

  if (size == 0)
    return 0;

  selector = data[0];
  text_bytes = data + 1;
  text_len = size - 1;
  legacy = (selector & 1) ? LAN_LEGACY_CP932 : LAN_LEGACY_GB18030;

  decoded = lan_charset_decode (text_bytes, text_len, (selector & 2) != 0, (selector & 4) != 0,
                                legacy, &used, &lossy);
  check_text (decoded, text_len);
  g_assert_true (used <= LAN_DECODED_LEGACY);
  if (text_len > 0 && memchr (text_bytes, '\0', text_len) != NULL)
    g_assert_true (lossy);

  strict = lan_charset_decode_with (text_bytes, text_len, (selector & 8) != 0, legacy, NULL);
  check_text (strict, text_len);

  as_legacy = lan_charset_encode (decoded, FALSE, legacy, &lossy);
  g_assert_true (as_legacy != NULL);

  /* UTF-8 out of valid UTF-8 is the identity. */
  as_utf8 = lan_charset_encode (decoded, TRUE, legacy, &lossy);
  g_assert_true (!lossy);
  g_assert_true (g_bytes_get_size (as_utf8) == strlen (decoded));
  g_assert_true (decoded[0] == '\0' ||
                 memcmp (g_bytes_get_data (as_utf8, NULL), decoded, strlen (decoded)) == 0);

  /* The encoder must take arbitrary (even invalid) C strings too. */
  if (text_len > 0 && memchr (text_bytes, '\0', text_len) == NULL)
    {
      g_autofree char *raw = g_strndup ((const char *) text_bytes, text_len);
      g_autoptr(GBytes) raw_encoded = lan_charset_encode (raw, (selector & 16) != 0, legacy, NULL);

      g_assert_true (raw_encoded != NULL);
    }

  return 0;
}

/* lan-charset.c — decoding and encoding a peer's text.
 *
 * Each call opens its own converter: a shared GIConv would need a lock
 * (iconv descriptors carry state), and opening one costs little next to a
 * datagram's trip through the main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-charset"

#include "config.h"

#include <errno.h>
#include <string.h>

#include "lan-charset.h"

#define REPLACEMENT_CHARACTER "\357\277\275" /* U+FFFD in UTF-8 */

typedef struct {
  const char *name;
  LanLegacyEncoding encoding;
} EncodingAlias;

/* GB18030 is a superset of GBK and GB2312, so peers announcing either are
 * read with it; likewise CP932 extends Shift_JIS with the Windows extras
 * that Japanese IP Messenger users actually type. */
static const EncodingAlias encoding_aliases[] = {
  { "GB18030", LAN_LEGACY_GB18030 },
  { "GBK", LAN_LEGACY_GB18030 },
  { "GB2312", LAN_LEGACY_GB18030 },
  { "CP936", LAN_LEGACY_GB18030 },
  { "MS936", LAN_LEGACY_GB18030 },
  { "windows-936", LAN_LEGACY_GB18030 },
  { "EUC-CN", LAN_LEGACY_GB18030 },
  { "CP932", LAN_LEGACY_CP932 },
  { "MS932", LAN_LEGACY_CP932 },
  { "windows-31j", LAN_LEGACY_CP932 },
  { "Shift_JIS", LAN_LEGACY_CP932 },
  { "Shift-JIS", LAN_LEGACY_CP932 },
  { "SJIS", LAN_LEGACY_CP932 },
  { "MS_Kanji", LAN_LEGACY_CP932 },
};

const char *
lan_legacy_encoding_to_string (LanLegacyEncoding encoding)
{
  switch (encoding)
    {
    case LAN_LEGACY_GB18030:
      return "GB18030";
    case LAN_LEGACY_CP932:
      return "CP932";
    default:
      g_return_val_if_reached ("GB18030");
    }
}

gboolean
lan_legacy_encoding_from_string (const char        *name,
                                 LanLegacyEncoding *out_encoding)
{
  if (name == NULL)
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (encoding_aliases); i++)
    {
      if (g_ascii_strcasecmp (name, encoding_aliases[i].name) == 0)
        {
          if (out_encoding != NULL)
            *out_encoding = encoding_aliases[i].encoding;
          return TRUE;
        }
    }

  return FALSE;
}

/* NULs are not text, but they must not make UTF-8 text look like a legacy
 * encoding either: they are judged separately (and replaced) later. */
static gboolean
is_utf8_apart_from_nuls (const guint8 *data,
                         gsize         len)
{
  gsize pos = 0;

  while (pos < len)
    {
      const char *end = NULL;

      if (g_utf8_validate_len ((const char *) data + pos, len - pos, &end))
        return TRUE;

      pos = (gsize) ((const guint8 *) end - data);
      if (data[pos] != '\0')
        return FALSE;
      pos++;
    }

  return TRUE;
}

/* Like g_utf8_make_valid(), one U+FFFD per offending byte, so a reader
 * can tell how much was lost; NULs count as offending because a C string
 * would otherwise end there and hide the rest. */
static void
append_utf8_lossy (GString      *out,
                   const guint8 *data,
                   gsize         len,
                   gboolean     *lossy)
{
  while (len > 0)
    {
      const char *end = NULL;
      gsize valid_len;

      if (g_utf8_validate_len ((const char *) data, len, &end))
        {
          g_string_append_len (out, (const char *) data, len);
          return;
        }

      valid_len = (gsize) ((const guint8 *) end - data);
      g_string_append_len (out, (const char *) data, valid_len);
      g_string_append (out, REPLACEMENT_CHARACTER);
      *lossy = TRUE;
      data += valid_len + 1;
      len -= valid_len + 1;
    }
}

/* Without a converter (a stripped-down gconv install) ASCII is still
 * readable, and everything else is marked rather than guessed. */
static void
append_ascii_lossy (GString      *out,
                    const guint8 *data,
                    gsize         len,
                    gboolean     *lossy)
{
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] != '\0' && data[i] < 0x80)
        {
          g_string_append_c (out, (char) data[i]);
        }
      else
        {
          g_string_append (out, REPLACEMENT_CHARACTER);
          *lossy = TRUE;
        }
    }
}

static void
append_legacy_chunk (GString      *out,
                     GIConv        converter,
                     const guint8 *data,
                     gsize         len,
                     gboolean     *lossy)
{
  char buffer[4096];
  char *in = (char *) data;
  gsize in_left = len;

  while (in_left > 0)
    {
      char *out_pos = buffer;
      gsize out_left = sizeof buffer;
      gsize result = g_iconv (converter, &in, &in_left, &out_pos, &out_left);
      int saved_errno = errno;

      g_string_append_len (out, buffer, (gssize) (out_pos - buffer));

      if (result != (gsize) -1)
        continue;

      if (saved_errno == E2BIG && out_pos != buffer)
        continue;

      /* EILSEQ (a byte the encoding doesn't have), EINVAL (a sequence cut
       * off at the end) or anything unexpected: skip one byte, so the loop
       * always advances, and resynchronise on the next. */
      g_string_append (out, REPLACEMENT_CHARACTER);
      *lossy = TRUE;
      in++;
      in_left--;
      g_iconv (converter, NULL, NULL, NULL, NULL);
    }
}

static void
append_legacy_lossy (GString           *out,
                     const guint8      *data,
                     gsize              len,
                     LanLegacyEncoding  legacy,
                     gboolean          *lossy)
{
  GIConv converter = g_iconv_open ("UTF-8", lan_legacy_encoding_to_string (legacy));
  gsize pos = 0;

  if (converter == (GIConv) -1)
    {
      g_debug ("No converter from %s to UTF-8; showing ASCII only",
               lan_legacy_encoding_to_string (legacy));
      append_ascii_lossy (out, data, len, lossy);
      return;
    }

  while (pos < len)
    {
      const guint8 *nul = memchr (data + pos, '\0', len - pos);
      gsize chunk_len = nul != NULL ? (gsize) (nul - (data + pos)) : len - pos;

      append_legacy_chunk (out, converter, data + pos, chunk_len, lossy);
      pos += chunk_len;

      if (pos < len)
        {
          g_string_append (out, REPLACEMENT_CHARACTER);
          *lossy = TRUE;
          pos++;
          g_iconv (converter, NULL, NULL, NULL, NULL);
        }
    }

  g_iconv_close (converter);
}

char *
lan_charset_decode_with (const guint8      *data,
                         gsize              len,
                         gboolean           as_utf8,
                         LanLegacyEncoding  legacy,
                         gboolean          *out_lossy)
{
  GString *out;
  gboolean lossy = FALSE;

  g_return_val_if_fail (data != NULL || len == 0, g_strdup (""));

  out = g_string_sized_new (len + 1);

  if (as_utf8)
    append_utf8_lossy (out, data, len, &lossy);
  else
    append_legacy_lossy (out, data, len, legacy, &lossy);

  /* The contract is valid UTF-8 with nothing hidden behind a NUL; make
   * sure of it even if a converter misbehaves on hostile input. */
  if (!as_utf8 && !g_utf8_validate_len (out->str, out->len, NULL))
    {
      g_autoptr(GString) raw = g_steal_pointer (&out);

      out = g_string_sized_new (raw->len + 1);
      append_utf8_lossy (out, (const guint8 *) raw->str, raw->len, &lossy);
    }

  if (out_lossy != NULL)
    *out_lossy = lossy;

  return g_string_free (out, FALSE);
}

char *
lan_charset_decode (const guint8      *data,
                    gsize              len,
                    gboolean           packet_utf8_flag,
                    gboolean           peer_utf8_marker,
                    LanLegacyEncoding  legacy,
                    LanDecodedAs      *out_used,
                    gboolean          *out_lossy)
{
  LanDecodedAs used;

  g_return_val_if_fail (data != NULL || len == 0, g_strdup (""));

  if (packet_utf8_flag)
    used = LAN_DECODED_UTF8_FLAG;
  else if (peer_utf8_marker)
    used = LAN_DECODED_UTF8_MARKER;
  else if (is_utf8_apart_from_nuls (data, len))
    used = LAN_DECODED_UTF8_VALID;
  else
    used = LAN_DECODED_LEGACY;

  if (out_used != NULL)
    *out_used = used;

  return lan_charset_decode_with (data, len, used != LAN_DECODED_LEGACY, legacy, out_lossy);
}

/* Last resort when no converter exists at all: ASCII passes, the rest is '?'. */
static char *
encode_ascii_lossy (const char *text,
                    gsize      *out_len)
{
  GString *out = g_string_sized_new (strlen (text) + 1);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_c (out, ((guchar) *p < 0x80) ? *p : '?');

  *out_len = out->len;
  return g_string_free (out, FALSE);
}

GBytes *
lan_charset_encode (const char        *text,
                    gboolean           as_utf8,
                    LanLegacyEncoding  legacy,
                    gboolean          *out_lossy)
{
  g_autofree char *repaired = NULL;
  const char *source = text;
  const char *charset;
  gboolean lossy = FALSE;
  char *encoded;
  gsize encoded_len = 0;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      repaired = g_utf8_make_valid (text, -1);
      source = repaired;
      lossy = TRUE;
    }

  if (as_utf8)
    {
      encoded_len = strlen (source);
      encoded = g_strndup (source, encoded_len);
    }
  else
    {
      charset = lan_legacy_encoding_to_string (legacy);
      encoded = g_convert (source, -1, charset, "UTF-8", NULL, &encoded_len, &error);
      if (encoded == NULL)
        {
          g_clear_error (&error);
          lossy = TRUE;
          encoded = g_convert_with_fallback (source, -1, charset, "UTF-8", "?",
                                             NULL, &encoded_len, &error);
        }
      if (encoded == NULL)
        {
          g_debug ("Cannot encode text as %s: %s", charset, error->message);
          encoded = encode_ascii_lossy (source, &encoded_len);
        }
    }

  if (out_lossy != NULL)
    *out_lossy = lossy;

  return g_bytes_new_take (encoded, encoded_len);
}

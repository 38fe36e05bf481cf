/* lan-charset.h — decoding and encoding a peer's text.
 *
 * IPMsg has no single encoding: UTF-8 between capable clients, the sender's
 * locale (GB18030, CP932) otherwise. The order of the guess is the one in
 * ipmsg-notes.md: the packet's UTF8OPT flag, iptux's "utf-8" marker on the
 * peer, bytes that are valid UTF-8, then the configured legacy encoding.
 * Which of these applies to a peer and a field is lan-dialect.h's decision;
 * this file only converts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  LAN_LEGACY_GB18030,
  LAN_LEGACY_CP932,
} LanLegacyEncoding;

/* What the decoder ended up using. */
typedef enum {
  LAN_DECODED_UTF8_FLAG,    /* the packet said UTF8OPT */
  LAN_DECODED_UTF8_MARKER,  /* the peer is iptux with its utf-8 marker */
  LAN_DECODED_UTF8_VALID,   /* no flag, but the bytes were valid UTF-8 */
  LAN_DECODED_LEGACY,       /* the configured legacy encoding */
  LAN_DECODED_UTF8_ALWAYS,  /* text that is UTF-8 by definition (the draft-14 block) */
} LanDecodedAs;

/* "GB18030" / "CP932", iconv names. (transfer none) */
const char *lan_legacy_encoding_to_string   (LanLegacyEncoding  encoding);
/* Accepts "gb18030", "GBK", "cp932", "shift_jis", … (case-insensitive).
 * Returns FALSE for anything else. */
gboolean    lan_legacy_encoding_from_string (const char        *name,
                                             LanLegacyEncoding *out_encoding);

/* Decode @len bytes (may contain anything, including NULs) into valid UTF-8.
 * Never fails: undecodable bytes become U+FFFD. @out_lossy is set when any
 * replacement was made; @out_used says which rule applied. Both may be NULL.
 * (transfer full) */
char       *lan_charset_decode              (const guint8      *data,
                                             gsize              len,
                                             gboolean           packet_utf8_flag,
                                             gboolean           peer_utf8_marker,
                                             LanLegacyEncoding  legacy,
                                             LanDecodedAs      *out_used,
                                             gboolean          *out_lossy);
/* Decode strictly with one rule (UTF-8 if @as_utf8, else @legacy), replacing
 * bad bytes with U+FFFD. (transfer full) */
char       *lan_charset_decode_with         (const guint8      *data,
                                             gsize              len,
                                             gboolean           as_utf8,
                                             LanLegacyEncoding  legacy,
                                             gboolean          *out_lossy);
/* Encode UTF-8 @text for a peer: UTF-8 when @as_utf8 (the peer can take it:
 * CAPUTF8OPT or iptux marker), else @legacy; characters the legacy encoding
 * lacks become '?'. The result is not NUL-terminated in its length; the
 * returned buffer is, for convenience. @out_lossy as above. (transfer full) */
GBytes     *lan_charset_encode              (const char        *text,
                                             gboolean           as_utf8,
                                             LanLegacyEncoding  legacy,
                                             gboolean          *out_lossy);

G_END_DECLS

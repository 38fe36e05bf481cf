/* lan-dialect.c — which charset a peer reads and writes: the one policy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-dialect"

#include "config.h"

#include <string.h>

#include "lan-dialect.h"

/* Peers that read UTF-8: announced it, or (g2ipmsg) flagged an entry with it. */
#define UTF8_CAPABILITIES (LAN_IPMSG_CAPUTF8OPT | LAN_IPMSG_UTF8OPT)

void
lan_dialect_init (LanDialect        *self,
                  LanLegacyEncoding  legacy)
{
  g_return_if_fail (self != NULL);

  memset (self, 0, sizeof *self);
  self->legacy = legacy;
}

/* An extra-part span of @scan as a pointer, @extra being where the scan's
 * extra.offset is. */
static const guint8 *
extra_bytes (const guint8       *extra,
             const LanIpmsgScan *scan,
             LanIpmsgSpan        span)
{
  return extra + (span.offset - scan->extra.offset);
}

static gboolean
is_utf8 (const guint8 *data,
         gsize         len)
{
  return g_utf8_validate_len ((const char *) data, len, NULL);
}

/* No NUL and nothing above 0x7F. */
static gboolean
is_ascii (const guint8 *data,
          gsize         len)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] == 0 || data[i] >= 0x80)
      return FALSE;
  return TRUE;
}

static const LanLegacyEncoding candidates[] = { LAN_LEGACY_GB18030, LAN_LEGACY_CP932 };

/* ipmsg-notes: a CP932 peer is recognisable from its entry, its legacy
 * nickname reading under CP932 as its UTF-8 block's NN:. GB18030 reads
 * most byte pairs as something, so only an exact match counts, and only
 * when one encoding alone matches. */
static void
learn_legacy (LanDialect         *self,
              const guint8       *extra,
              const LanIpmsgScan *scan)
{
  LanIpmsgSpan nickname;
  LanIpmsgUtf8Line line;
  const guint8 *nick_bytes;
  const guint8 *block_bytes;
  LanIpmsgSpan block;
  guint32 pos;
  gboolean found = FALSE;
  guint matches = 0;
  LanLegacyEncoding proven = self->legacy;

  if (!scan->has_utf8_block || !lan_ipmsg_scan_get_section (scan, 0, &nickname))
    return;
  nick_bytes = extra_bytes (extra, scan, nickname);
  if (nickname.length == 0 || is_utf8 (nick_bytes, nickname.length))
    return;

  /* The line iterator reads offsets of the buffer it is given: hand it the
   * block alone, starting at 0. */
  block_bytes = extra_bytes (extra, scan, scan->utf8_block);
  block = (LanIpmsgSpan) { 0, scan->utf8_block.length };
  pos = 0;
  while (!found && lan_ipmsg_scan_next_utf8_line (block_bytes, block, &pos, &line))
    found = line.key.length == 2 && memcmp (block_bytes + line.key.offset, "NN", 2) == 0;
  if (!found)
    return;

  for (gsize i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      gboolean lossy = FALSE;
      g_autofree char *text = lan_charset_decode_with (nick_bytes, nickname.length, FALSE,
                                                       candidates[i], &lossy);

      if (!lossy && strlen (text) == line.value.length &&
          memcmp (text, block_bytes + line.value.offset, line.value.length) == 0)
        {
          proven = candidates[i];
          matches++;
        }
    }

  if (matches == 1)
    {
      self->legacy = proven;
      self->legacy_proven = TRUE;
    }
}

static void
learn (LanDialect         *self,
       guint32             command,
       const guint8       *user,
       gsize               user_len,
       const guint8       *host,
       gsize               host_len,
       const guint8       *extra,
       const LanIpmsgScan *scan)
{
  gboolean text_is_utf8;
  LanIpmsgSpan section;

  if (!lan_ipmsg_is_entry_mode (command))
    return;

  self->entry_seen = TRUE;
  self->capabilities = LAN_IPMSG_OPTIONS (command);

  /* iptux writes its marker even when its fields are GB18030: believe it
   * only over text that is UTF-8. */
  text_is_utf8 = is_utf8 (user, user_len) && is_utf8 (host, host_len);
  for (guint i = 0; text_is_utf8 && i < 2; i++)
    {
      if (lan_ipmsg_scan_get_section (scan, i, &section))
        text_is_utf8 = is_utf8 (extra_bytes (extra, scan, section), section.length);
    }
  self->utf8_marker = scan->has_marker && text_is_utf8;

  learn_legacy (self, extra, scan);
}

void
lan_dialect_learn (LanDialect           *self,
                   const LanIpmsgPacket *packet)
{
  LanIpmsgScan scratch;
  const LanIpmsgScan *scan;
  const guint8 *extra;

  g_return_if_fail (self != NULL);
  g_return_if_fail (packet != NULL);

  scan = lan_ipmsg_packet_get_scan (packet, &scratch);
  extra = packet->extra != NULL ? g_bytes_get_data (packet->extra, NULL) : NULL;
  learn (self, packet->command,
         (const guint8 *) packet->user, strlen (packet->user),
         (const guint8 *) packet->host, strlen (packet->host),
         extra != NULL ? extra : (const guint8 *) "", scan);
}

void
lan_dialect_learn_scan (LanDialect         *self,
                        const guint8       *data,
                        const LanIpmsgScan *scan)
{
  LanIpmsgSpan user, host;

  g_return_if_fail (self != NULL);
  g_return_if_fail (scan != NULL);

  if (scan->n_header_fields < LAN_IPMSG_N_HEADER_FIELDS || !scan->command_valid)
    return;

  user = scan->header[LAN_IPMSG_HEADER_USER];
  host = scan->header[LAN_IPMSG_HEADER_HOST];
  learn (self, scan->command, data + user.offset, user.length, data + host.offset, host.length,
         data + scan->extra.offset, scan);
}

LanDialect
lan_dialect_for_packet (const LanIpmsgPacket *packet,
                        LanLegacyEncoding     legacy)
{
  LanDialect dialect;

  lan_dialect_init (&dialect, legacy);
  if (packet != NULL)
    lan_dialect_learn (&dialect, packet);
  return dialect;
}

void
lan_dialect_set_default_legacy (LanDialect        *self,
                                LanLegacyEncoding  legacy)
{
  g_return_if_fail (self != NULL);

  if (!self->legacy_proven)
    self->legacy = legacy;
}

static LanLegacyEncoding
effective_legacy (const LanDialect *self)
{
  switch (self->override)
    {
    case LAN_DIALECT_FORCE_GB18030:
      return LAN_LEGACY_GB18030;
    case LAN_DIALECT_FORCE_CP932:
      return LAN_LEGACY_CP932;
    case LAN_DIALECT_AUTOMATIC:
    case LAN_DIALECT_FORCE_UTF8:
    default:
      return self->legacy;
    }
}

static gboolean
learned_takes_utf8 (const LanDialect *self)
{
  /* A peer we have no entry from: assume a modern client. FeiQ and old
   * clients that announce no bits at all did send an entry, and that entry
   * makes them legacy peers (capabilities 0 is not "unknown"). */
  return !self->entry_seen || (self->capabilities & UTF8_CAPABILITIES) != 0 || self->utf8_marker;
}

gboolean
lan_dialect_takes_utf8 (const LanDialect *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  if (self->override != LAN_DIALECT_AUTOMATIC)
    return self->override == LAN_DIALECT_FORCE_UTF8;
  return learned_takes_utf8 (self);
}

gboolean
lan_dialect_wants_utf8_flag (const LanDialect *self)
{
  g_return_val_if_fail (self != NULL, TRUE);

  if (self->override != LAN_DIALECT_AUTOMATIC)
    return self->override == LAN_DIALECT_FORCE_UTF8;
  /* iptux reads UTF-8 but neither sends nor expects the flag. */
  return !self->entry_seen || (self->capabilities & UTF8_CAPABILITIES) != 0;
}

LanDialectOverride
lan_dialect_get_effective (const LanDialect *self)
{
  g_return_val_if_fail (self != NULL, LAN_DIALECT_FORCE_UTF8);

  if (self->override != LAN_DIALECT_AUTOMATIC)
    return self->override;
  if (learned_takes_utf8 (self))
    return LAN_DIALECT_FORCE_UTF8;
  return self->legacy == LAN_LEGACY_CP932 ? LAN_DIALECT_FORCE_CP932 : LAN_DIALECT_FORCE_GB18030;
}

/* Our entry packet, per reader (lab facts, iptux 0.8.3):
 * - iptux reads a whole datagram in one charset (valid UTF-8, else the
 *   first of gb18030, utf-16 that takes it). Our UTF-8 block after GB18030
 *   fields is rarely valid GB18030 as a whole (a UTF-8 lead byte before the
 *   block's '\n' or a NUL is a GB18030 lead byte without its trail), so the
 *   mix falls to utf-16. Hence: to whoever may be iptux, either everything
 *   UTF-8, or everything GB18030 with no block at all.
 * - The broadcast is heard by readers we don't know: everything UTF-8 with
 *   the block. iptux shows it right; IP Messenger reads the block (it wins
 *   over the legacy fields); FeiQ and GB18030 iptux get their own copy by
 *   unicast in GB18030 once we know them (lan-presence).
 * - CP932 peers are IP Messenger for Windows: CP932 fields and the block,
 *   its own form.
 * Seen in the lab (tests/lab/test-iptux-chinese.sh), not in ipmsg-notes.md:
 * - iptux set to "preference_encode": "gb18030" still reads an all-UTF-8
 *   entry as UTF-8 (its pal tooltip: "System coding: utf-8", "Nickname:
 *   张三@开发组"), and the GB18030 copy sent after it does not change that;
 *   it still shows our GB18030 messages right (a message that isn't UTF-8
 *   is decoded by its fallback list).
 * - In that mode iptux's own ANSENTRY is GB18030 as a whole datagram (its
 *   header is ASCII), under the "utf-8" marker.
 * - iptux shows a peer's group only in its tooltip, as "nickname@group";
 *   peers that are not iptux are listed as "Compatibility: Microsoft". */
LanDialectEntryForm
lan_dialect_entry_form (const LanDialect *to)
{
  LanDialectEntryForm form = { TRUE, TRUE };

  if (to == NULL)
    return form;
  switch (lan_dialect_get_effective (to))
    {
    case LAN_DIALECT_FORCE_GB18030:
      form.utf8_fields = FALSE;
      form.utf8_block = FALSE;
      break;
    case LAN_DIALECT_FORCE_CP932:
      form.utf8_fields = FALSE;
      break;
    case LAN_DIALECT_FORCE_UTF8:
      /* A proven CP932 peer that also takes UTF-8 gets its own form. */
      if (to->override == LAN_DIALECT_AUTOMATIC && to->legacy_proven && to->legacy == LAN_LEGACY_CP932)
        form.utf8_fields = FALSE;
      break;
    case LAN_DIALECT_AUTOMATIC:
    default:
      break;
    }
  return form;
}

static const char * const override_names[] = { "automatic", "utf-8", "gb18030", "cp932" };

const char *
lan_dialect_override_to_string (LanDialectOverride override)
{
  if ((guint) override >= G_N_ELEMENTS (override_names))
    return override_names[0];
  return override_names[override];
}

gboolean
lan_dialect_override_from_string (const char         *name,
                                  LanDialectOverride *out_override)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (override_names); i++)
    if (g_ascii_strcasecmp (name, override_names[i]) == 0)
      {
        *out_override = (LanDialectOverride) i;
        return TRUE;
      }
  return FALSE;
}

char *
lan_dialect_to_string (const LanDialect *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_strdup_printf ("entry=%d;caps=%u;marker=%d;legacy=%s;proven=%d;override=%s",
                          self->entry_seen ? 1 : 0, self->capabilities, self->utf8_marker ? 1 : 0,
                          self->legacy == LAN_LEGACY_CP932 ? "cp932" : "gb18030",
                          self->legacy_proven ? 1 : 0,
                          lan_dialect_override_to_string (self->override));
}

gboolean
lan_dialect_from_string (LanDialect *self,
                         const char *text)
{
  g_auto(GStrv) parts = NULL;
  LanDialect parsed;
  guint seen = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  lan_dialect_init (&parsed, self->legacy);
  parts = g_strsplit (text, ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *value = strchr (parts[i], '=');
      guint64 number = 0;

      if (value == NULL)
        return FALSE;
      value++;
      if (g_str_has_prefix (parts[i], "override="))
        {
          if (!lan_dialect_override_from_string (value, &parsed.override))
            return FALSE;
        }
      else if (g_str_has_prefix (parts[i], "legacy="))
        {
          if (!lan_legacy_encoding_from_string (value, &parsed.legacy))
            return FALSE;
        }
      else if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &number, NULL))
        {
          if (g_str_has_prefix (parts[i], "entry="))
            parsed.entry_seen = number != 0;
          else if (g_str_has_prefix (parts[i], "caps="))
            parsed.capabilities = (guint32) number;
          else if (g_str_has_prefix (parts[i], "marker="))
            parsed.utf8_marker = number != 0;
          else if (g_str_has_prefix (parts[i], "proven="))
            parsed.legacy_proven = number != 0;
          else
            continue;
        }
      else
        return FALSE;
      seen++;
    }
  if (seen < 6)
    return FALSE;
  *self = parsed;
  return TRUE;
}

char *
lan_dialect_decode (const LanDialect *self,
                    guint32           command,
                    LanDialectText    text,
                    const guint8     *data,
                    gsize             len,
                    LanDecodedAs     *out_used,
                    gboolean         *out_lossy)
{
  LanDecodedAs used;
  char *decoded;

  g_return_val_if_fail (self != NULL, g_strdup (""));
  g_return_val_if_fail (data != NULL || len == 0, g_strdup (""));

  if (data == NULL)
    data = (const guint8 *) "";

  /* ASCII reads the same in every charset and as UTF-8: most names and
   * announcements are, and they need no converter. Only a forced legacy
   * charset reads it through the converter (CP932's 0x5C). */
  if (is_ascii (data, len) &&
      (text == LAN_DIALECT_UTF8_TEXT || self->override == LAN_DIALECT_AUTOMATIC ||
       self->override == LAN_DIALECT_FORCE_UTF8 || (command & LAN_IPMSG_UTF8OPT)))
    {
      if (out_used != NULL)
        *out_used = text == LAN_DIALECT_UTF8_TEXT ? LAN_DECODED_UTF8_ALWAYS :
                    self->override != LAN_DIALECT_AUTOMATIC && !(command & LAN_IPMSG_UTF8OPT) ? LAN_DECODED_UTF8_VALID :
                    (command & LAN_IPMSG_UTF8OPT) ? LAN_DECODED_UTF8_FLAG :
                    self->utf8_marker ? LAN_DECODED_UTF8_MARKER : LAN_DECODED_UTF8_VALID;
      if (out_lossy != NULL)
        *out_lossy = FALSE;
      return g_strndup ((const char *) data, len);
    }

  if (text == LAN_DIALECT_UTF8_TEXT)
    {
      if (out_used != NULL)
        *out_used = LAN_DECODED_UTF8_ALWAYS;
      return lan_charset_decode_with (data, len, TRUE, self->legacy, out_lossy);
    }

  /* The user said what this peer writes: only the packet's own flag wins. */
  if (self->override != LAN_DIALECT_AUTOMATIC && !(command & LAN_IPMSG_UTF8OPT))
    {
      gboolean as_utf8 = self->override == LAN_DIALECT_FORCE_UTF8;

      if (out_used != NULL)
        *out_used = as_utf8 ? LAN_DECODED_UTF8_VALID : LAN_DECODED_LEGACY;
      return lan_charset_decode_with (data, len, as_utf8, effective_legacy (self), out_lossy);
    }

  /* The marker is checked against these very bytes: over valid UTF-8 it
   * agrees with the bytes, over anything else it is not believed. */
  decoded = lan_charset_decode (data, len, (command & LAN_IPMSG_UTF8OPT) != 0, FALSE,
                                self->legacy, &used, out_lossy);
  if (used == LAN_DECODED_UTF8_VALID && self->utf8_marker)
    used = LAN_DECODED_UTF8_MARKER;
  if (out_used != NULL)
    *out_used = used;
  return decoded;
}

GBytes *
lan_dialect_encode (const LanDialect *self,
                    LanDialectText    text,
                    const char       *utf8_text,
                    guint32          *inout_command,
                    gboolean         *out_lossy)
{
  gboolean as_utf8;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (utf8_text != NULL, NULL);

  switch (text)
    {
    case LAN_DIALECT_UTF8_TEXT:
      as_utf8 = TRUE;
      break;
    case LAN_DIALECT_LEGACY_TEXT:
      as_utf8 = FALSE;
      break;
    case LAN_DIALECT_PEER_TEXT:
    default:
      as_utf8 = lan_dialect_takes_utf8 (self);
      if (as_utf8 && lan_dialect_wants_utf8_flag (self) && inout_command != NULL)
        *inout_command |= LAN_IPMSG_UTF8OPT;
      break;
    }

  return lan_charset_encode (utf8_text, as_utf8, effective_legacy (self), out_lossy);
}

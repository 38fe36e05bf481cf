/* lan-ipmsg.c — the IPMsg wire codec: packets from a scan, and back to bytes.
 *
 * Reading is lan-ipmsg-scan.c's job; this file turns a scan into a
 * LanIpmsgPacket and keeps the scan in it, so the accessors below (UTF-8
 * block, iptux marker, sections) read what the one pass found instead of
 * reading the bytes again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-ipmsg"

#include "config.h"

#include <string.h>

#include "lan-ipmsg.h"
#include "lan-ipmsg-private.h"

/* Error messages quote offending fields; a 64 KiB field would drown a log line. */
#define QUOTE_MAX_BYTES 48

G_DEFINE_QUARK (lan-ipmsg-error-quark, lan_ipmsg_error)

/* Messages end up in logs and in the UI, so a hostile field must not smuggle
 * raw bytes (invalid UTF-8, terminal escapes, NULs) into them. */
char *
lan_ipmsg_quote_bytes (const guint8 *data,
                       gsize         len)
{
  GString *out = g_string_sized_new (MIN (len, QUOTE_MAX_BYTES) + 8);
  gsize shown = MIN (len, QUOTE_MAX_BYTES);

  g_string_append_c (out, '"');
  for (gsize i = 0; i < shown; i++)
    {
      guint8 c = data[i];

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c >= 0x20 && c < 0x7f)
        g_string_append_c (out, (char) c);
      else
        g_string_append_printf (out, "\\x%02x", c);
    }
  g_string_append_c (out, '"');
  if (shown < len)
    g_string_append_printf (out, "… (%" G_GSIZE_FORMAT " bytes)", len);

  return g_string_free (out, FALSE);
}


static const char * const header_names[LAN_IPMSG_N_HEADER_FIELDS] = {
  "version", "packet-no", "user", "host", "command",
};

static gboolean
scan_error (const LanIpmsgScan  *scan,
            const guint8        *data,
            gsize                len,
            GError             **error)
{
  g_autofree char *quoted = NULL;
  LanIpmsgSpan field;

  switch (scan->status)
    {
    case LAN_IPMSG_SCAN_OK:
      return TRUE;

    case LAN_IPMSG_SCAN_EMPTY:
      g_set_error_literal (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_EMPTY, "empty datagram");
      return FALSE;

    case LAN_IPMSG_SCAN_TOO_LARGE:
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_TOO_LARGE,
                   "datagram of %" G_GSIZE_FORMAT " bytes is larger than %d bytes",
                   len, LAN_IPMSG_MAX_DATAGRAM);
      return FALSE;

    case LAN_IPMSG_SCAN_NUL_IN_HEADER:
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_NUL_IN_HEADER,
                   "NUL byte at offset %u in the %s field of the header",
                   scan->nul_offset, header_names[MIN (scan->n_header_fields, LAN_IPMSG_N_HEADER_FIELDS - 1)]);
      return FALSE;

    case LAN_IPMSG_SCAN_TOO_FEW_FIELDS:
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_TOO_FEW_FIELDS,
                   "header has %u of the %d ':'-separated fields "
                   "(version:packet-no:user:host:command)",
                   scan->n_header_fields + 1, LAN_IPMSG_N_HEADER_FIELDS);
      return FALSE;

    case LAN_IPMSG_SCAN_BAD_VERSION:
      field = scan->header[LAN_IPMSG_HEADER_VERSION];
      quoted = lan_ipmsg_quote_bytes (data + field.offset, field.length);
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_VERSION,
                   "version field %s does not start with protocol version 1", quoted);
      return FALSE;

    case LAN_IPMSG_SCAN_BAD_PACKET_NO:
      field = scan->header[LAN_IPMSG_HEADER_PACKET_NO];
      quoted = lan_ipmsg_quote_bytes (data + field.offset, field.length);
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_NUMBER,
                   "packet-no field %s is not a decimal number that fits 64 bits", quoted);
      return FALSE;

    case LAN_IPMSG_SCAN_BAD_COMMAND:
      field = scan->header[LAN_IPMSG_HEADER_COMMAND];
      quoted = lan_ipmsg_quote_bytes (data + field.offset, field.length);
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_NUMBER,
                   "command field %s is not a decimal number that fits 32 bits", quoted);
      return FALSE;

    default:
      g_return_val_if_reached (FALSE);
    }
}

/* The scan's extra-part spans count from its extra.offset, which is where
 * packet->extra begins. */
static inline LanIpmsgSpan
in_extra (const LanIpmsgScan *scan,
          LanIpmsgSpan        span)
{
  return (LanIpmsgSpan) { span.offset - scan->extra.offset, span.length };
}

static GPtrArray *
split_sections (GBytes             *extra,
                const LanIpmsgScan *scan)
{
  GPtrArray *sections = g_ptr_array_new_full (scan->n_sections, (GDestroyNotify) g_bytes_unref);
  const guint8 *data = g_bytes_get_data (extra, NULL);
  LanIpmsgSpan whole = { 0, scan->extra.length };
  LanIpmsgSpan section;
  guint32 pos = 0;

  /* The scan kept the first few; only a packet with more is walked again. */
  if (scan->n_sections <= LAN_IPMSG_SCAN_SECTIONS)
    {
      for (guint i = 0; i < scan->n_sections; i++)
        {
          section = in_extra (scan, scan->sections[i]);
          g_ptr_array_add (sections, g_bytes_new_from_bytes (extra, section.offset, section.length));
        }
      return sections;
    }

  while (lan_ipmsg_scan_next_section (data != NULL ? data : (const guint8 *) "", whole, &pos, &section))
    g_ptr_array_add (sections, g_bytes_new_from_bytes (extra, section.offset, section.length));
  return sections;
}

static LanIpmsgPacket *
packet_new_take_extra (char               *version,
                       guint64             packet_no,
                       char               *user,
                       char               *host,
                       guint32             command,
                       GBytes             *extra,
                       const LanIpmsgScan *scan)
{
  LanIpmsgPacket *packet = g_new0 (LanIpmsgPacket, 1);

  packet->version = version;
  packet->packet_no = packet_no;
  packet->user = user;
  packet->host = host;
  packet->command = command;
  packet->extra = extra;
  packet->scan = *scan;
  packet->scan.command = command;
  packet->sections = split_sections (extra, scan);

  return packet;
}

static char *
dup_span (const guint8 *data,
          LanIpmsgSpan  span)
{
  return g_strndup ((const char *) data + span.offset, span.length);
}

/**
 * lan_ipmsg_packet_parse:
 *
 * Returns: (transfer full) (nullable):
 */
LanIpmsgPacket *
lan_ipmsg_packet_parse (const guint8  *data,
                        gsize          len,
                        GError       **error)
{
  LanIpmsgScan scan;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  lan_ipmsg_scan (data, len, &scan);
  if (!scan_error (&scan, data, len, error))
    return NULL;

  return packet_new_take_extra (dup_span (data, scan.header[LAN_IPMSG_HEADER_VERSION]),
                                scan.packet_no,
                                dup_span (data, scan.header[LAN_IPMSG_HEADER_USER]),
                                dup_span (data, scan.header[LAN_IPMSG_HEADER_HOST]),
                                scan.command,
                                g_bytes_new (data + scan.extra.offset, scan.extra.length),
                                &scan);
}

/**
 * lan_ipmsg_packet_new:
 *
 * Returns: (transfer full):
 */
LanIpmsgPacket *
lan_ipmsg_packet_new (const char   *version,
                      guint64       packet_no,
                      const char   *user,
                      const char   *host,
                      guint32       command,
                      const guint8 *extra,
                      gsize         extra_len)
{
  LanIpmsgScan scan = { 0 };

  g_return_val_if_fail (version != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (extra != NULL || extra_len == 0, NULL);
  g_return_val_if_fail (extra_len <= G_MAXUINT32, NULL);

  /* Nothing to read in a header we were handed as strings: only the extra
   * part has a layout worth keeping. */
  lan_ipmsg_scan_extra (extra, 0, extra_len, command, &scan);
  return packet_new_take_extra (g_strdup (version),
                                packet_no,
                                g_strdup (user),
                                g_strdup (host),
                                command,
                                g_bytes_new (extra, extra_len),
                                &scan);
}

void
lan_ipmsg_packet_free (LanIpmsgPacket *packet)
{
  if (packet == NULL)
    return;

  g_free (packet->version);
  g_free (packet->user);
  g_free (packet->host);
  g_clear_pointer (&packet->extra, g_bytes_unref);
  g_clear_pointer (&packet->sections, g_ptr_array_unref);
  g_free (packet);
}

static gboolean
check_header_field (const char  *name,
                    const char  *value,
                    GError     **error)
{
  if (value == NULL)
    {
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_FIELD,
                   "%s field is missing", name);
      return FALSE;
    }

  if (strchr (value, ':') != NULL)
    {
      g_autofree char *quoted = lan_ipmsg_quote_bytes ((const guint8 *) value, strlen (value));

      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_FIELD,
                   "%s field %s contains ':', which would split the header", name, quoted);
      return FALSE;
    }

  return TRUE;
}

/**
 * lan_ipmsg_packet_to_bytes:
 *
 * Returns: (transfer full) (nullable):
 */
GBytes *
lan_ipmsg_packet_to_bytes (const LanIpmsgPacket  *packet,
                           GError               **error)
{
  GString *out;
  gsize extra_len = 0;
  const guint8 *extra = NULL;

  g_return_val_if_fail (packet != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A C string cannot hold a NUL, so a ':' is the only byte that can break
   * the header here. */
  if (!check_header_field ("version", packet->version, error) ||
      !check_header_field ("user", packet->user, error) ||
      !check_header_field ("host", packet->host, error))
    return NULL;

  if (packet->extra != NULL)
    extra = g_bytes_get_data (packet->extra, &extra_len);

  out = g_string_sized_new (strlen (packet->version) + strlen (packet->user) +
                            strlen (packet->host) + 40 + extra_len);
  g_string_append_printf (out, "%s:%" G_GUINT64_FORMAT ":%s:%s:%u:",
                          packet->version, packet->packet_no,
                          packet->user, packet->host, packet->command);
  if (extra_len > 0)
    g_string_append_len (out, (const char *) extra, extra_len);

  return g_string_free_to_bytes (out);
}

/**
 * lan_ipmsg_packet_get_section:
 *
 * Returns: (transfer none) (nullable):
 */
GBytes *
lan_ipmsg_packet_get_section (const LanIpmsgPacket *packet,
                              guint                 index)
{
  g_return_val_if_fail (packet != NULL, NULL);

  if (packet->sections == NULL || index >= packet->sections->len)
    return NULL;

  return g_ptr_array_index (packet->sections, index);
}

/**
 * lan_ipmsg_packet_dup_section:
 *
 * Returns: (transfer full) (nullable):
 */
char *
lan_ipmsg_packet_dup_section (const LanIpmsgPacket *packet,
                              guint                 index)
{
  GBytes *section = lan_ipmsg_packet_get_section (packet, index);
  gsize len = 0;
  const char *data;

  if (section == NULL)
    return NULL;

  data = g_bytes_get_data (section, &len);
  return g_strndup (data != NULL ? data : "", len);
}

/**
 * lan_ipmsg_packet_get_scan:
 *
 * Returns: (transfer none):
 */
const LanIpmsgScan *
lan_ipmsg_packet_get_scan (const LanIpmsgPacket *packet,
                           LanIpmsgScan         *scratch)
{
  gsize len = 0;
  const guint8 *extra;

  g_return_val_if_fail (packet != NULL, NULL);
  g_return_val_if_fail (scratch != NULL, NULL);

  if (packet->scan.command == packet->command)
    return &packet->scan;

  /* Someone changed the command after the scan, and with it what the
   * sections mean: read the extra part again under the new one. */
  extra = packet->extra != NULL ? g_bytes_get_data (packet->extra, &len) : NULL;
  memset (scratch, 0, sizeof *scratch);
  lan_ipmsg_scan_extra (extra, 0, len, packet->command, scratch);
  scratch->command = packet->command;
  return scratch;
}

void
lan_ipmsg_utf8_field_free (LanIpmsgUtf8Field *field)
{
  if (field == NULL)
    return;

  g_free (field->key);
  g_free (field->value);
  g_free (field);
}

/**
 * lan_ipmsg_packet_parse_utf8_block:
 *
 * Returns: (transfer full) (element-type LanIpmsgUtf8Field):
 */
GPtrArray *
lan_ipmsg_packet_parse_utf8_block (const LanIpmsgPacket *packet)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_utf8_field_free);
  LanIpmsgScan scratch;
  const LanIpmsgScan *scan;
  const guint8 *extra;
  LanIpmsgUtf8Line line;
  LanIpmsgSpan block;
  guint32 pos;

  g_return_val_if_fail (packet != NULL, fields);

  scan = lan_ipmsg_packet_get_scan (packet, &scratch);
  if (!lan_ipmsg_is_entry_mode (packet->command) || !scan->has_utf8_block)
    return fields;

  extra = g_bytes_get_data (packet->extra, NULL);
  block = in_extra (scan, scan->utf8_block);
  pos = block.offset;
  while (lan_ipmsg_scan_next_utf8_line (extra, block, &pos, &line))
    {
      LanIpmsgUtf8Field *field = g_new0 (LanIpmsgUtf8Field, 1);

      field->key = dup_span (extra, line.key);
      field->value = dup_span (extra, line.value);
      g_ptr_array_add (fields, field);
    }

  return fields;
}

/**
 * lan_ipmsg_utf8_block_lookup:
 *
 * Returns: (transfer none) (nullable):
 */
const char *
lan_ipmsg_utf8_block_lookup (GPtrArray  *fields,
                             const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  if (fields == NULL)
    return NULL;

  for (guint i = 0; i < fields->len; i++)
    {
      const LanIpmsgUtf8Field *field = g_ptr_array_index (fields, i);

      if (g_strcmp0 (field->key, key) == 0)
        return field->value;
    }

  return NULL;
}

static void
append_utf8_block_line (GString    *out,
                        const char *key,
                        const char *value)
{
  if (value == NULL)
    return;

  g_string_append (out, key);
  g_string_append_c (out, ':');
  /* A line break inside a value would end the line and start a bogus key. */
  for (const char *p = value; *p != '\0'; p++)
    g_string_append_c (out, (*p == '\n' || *p == '\r') ? ' ' : *p);
  g_string_append_c (out, '\n');
}

/**
 * lan_ipmsg_build_utf8_block:
 *
 * Returns: (transfer full):
 */
char *
lan_ipmsg_build_utf8_block (const char *user,
                            const char *host,
                            const char *nickname,
                            const char *group)
{
  GString *out = g_string_new ("\n");

  append_utf8_block_line (out, "UN", user);
  append_utf8_block_line (out, "HN", host);
  append_utf8_block_line (out, "NN", nickname);
  append_utf8_block_line (out, "GN", group);

  return g_string_free (out, FALSE);
}

gboolean
lan_ipmsg_packet_has_iptux_utf8_marker (const LanIpmsgPacket *packet)
{
  LanIpmsgScan scratch;

  g_return_val_if_fail (packet != NULL, FALSE);

  return lan_ipmsg_is_entry_mode (packet->command) &&
         lan_ipmsg_packet_get_scan (packet, &scratch)->has_marker;
}

/* lan-ipmsg-scan.c — one pass over a datagram that keeps where everything is.
 *
 * Everything here works on a (pointer, length) pair: datagrams are not
 * NUL-terminated and may carry NULs in their extra part, so nothing below
 * relies on a terminator. Offsets fit 32 bits because the codec never
 * reads more than LAN_IPMSG_MAX_DATAGRAM bytes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-ipmsg-scan"

#include "config.h"

#include <string.h>

#include "lan-ipmsg.h"
#include "lan-ipmsg-scan.h"

#define FILE_RECORD_SEPARATOR '\a'
#define MARKER "utf-8"
/* FeiQ: "1_lbt6_0#128#000C29D68D8F#0#0#0#4001#9": the MAC is the 3rd '#' field. */
#define FEIQ_MAC_FIELD 2
#define FEIQ_MAC_DIGITS 12

static inline LanIpmsgSpan
span_make (gsize offset,
           gsize length)
{
  return (LanIpmsgSpan) { (guint32) offset, (guint32) length };
}

gboolean
lan_ipmsg_scan_number (const guint8 *data,
                       LanIpmsgSpan  span,
                       guint         base,
                       guint64       max,
                       guint64      *out_value)
{
  const guint8 *digits = data + span.offset;
  guint64 value = 0;

  /* strtoull() would accept leading blanks, a sign and a "0x" prefix, and
   * needs a terminator; the wire format allows none of that. */
  if (span.length == 0)
    return FALSE;

  for (guint32 i = 0; i < span.length; i++)
    {
      int digit = base == 16 ? g_ascii_xdigit_value (digits[i])
                             : g_ascii_digit_value (digits[i]);

      if (digit < 0 || value > (max - (guint64) digit) / base)
        return FALSE;
      value = value * base + (guint64) digit;
    }

  *out_value = value;
  return TRUE;
}

/* Only the leading integer counts: clients decorate the rest. Leading zeros
 * still read as 1. */
static void
scan_version (const guint8 *data,
              LanIpmsgScan *scan)
{
  LanIpmsgSpan field = scan->header[LAN_IPMSG_HEADER_VERSION];
  const guint8 *p = data + field.offset;
  guint32 digits = 0;
  guint32 zeros = 0;

  while (zeros < field.length && p[zeros] == '0')
    zeros++;
  while (digits < field.length && g_ascii_isdigit (p[digits]))
    digits++;

  scan->version_number = span_make (field.offset, digits);
  scan->version_decoration = span_make (field.offset + digits, field.length - digits);
  scan->version_mac = span_make (field.offset + field.length, 0);

  if (digits != zeros + 1 || p[zeros] != '1')
    {
      if (scan->status == LAN_IPMSG_SCAN_OK)
        scan->status = LAN_IPMSG_SCAN_BAD_VERSION;
    }

  /* FeiQ's decoration names the machine: an identity hint worth showing. */
  if (scan->version_decoration.length > 0 && p[digits] == '_')
    {
      const guint8 *end = p + field.length;
      const guint8 *piece = p + digits;
      guint index = 0;

      while (piece < end)
        {
          const guint8 *hash = memchr (piece, '#', (gsize) (end - piece));
          gsize piece_len = hash != NULL ? (gsize) (hash - piece) : (gsize) (end - piece);

          if (index == FEIQ_MAC_FIELD)
            {
              gboolean hex = piece_len == FEIQ_MAC_DIGITS;

              for (gsize i = 0; hex && i < piece_len; i++)
                hex = g_ascii_isxdigit (piece[i]);
              if (hex)
                scan->version_mac = span_make ((gsize) (piece - data), piece_len);
              break;
            }
          if (hash == NULL)
            break;
          piece = hash + 1;
          index++;
        }
    }
}

void
lan_ipmsg_scan_header (const guint8 *data,
                       gsize         len,
                       LanIpmsgScan *scan)
{
  gsize start = 0;

  g_return_if_fail (scan != NULL);

  memset (scan, 0, sizeof *scan);
  scan->status = LAN_IPMSG_SCAN_OK;

  if (data == NULL || len == 0)
    {
      scan->status = LAN_IPMSG_SCAN_EMPTY;
      return;
    }
  if (len > LAN_IPMSG_MAX_DATAGRAM)
    {
      scan->status = LAN_IPMSG_SCAN_TOO_LARGE;
      return;
    }

  scan->stop_offset = (guint32) len;
  /* A field at a time with memchr (every datagram comes through here): the
   * next ':', then whether a NUL comes before it. */
  while (scan->n_header_fields < LAN_IPMSG_N_HEADER_FIELDS)
    {
      const guint8 *colon = memchr (data + start, ':', len - start);
      gsize end = colon != NULL ? (gsize) (colon - data) : len;
      const guint8 *nul = memchr (data + start, '\0', end - start);

      if (nul != NULL)
        {
          scan->status = LAN_IPMSG_SCAN_NUL_IN_HEADER;
          scan->nul_offset = (guint32) (nul - data);
          scan->stop_offset = (guint32) start;
          break;
        }
      if (colon == NULL)
        break;
      scan->header[scan->n_header_fields++] = span_make (start, end - start);
      start = end + 1;
    }

  if (scan->n_header_fields == LAN_IPMSG_N_HEADER_FIELDS)
    {
      scan->has_extra = TRUE;
      scan->extra = span_make (start, len - start);
    }
  else if (scan->status == LAN_IPMSG_SCAN_OK &&
           scan->n_header_fields == LAN_IPMSG_N_HEADER_FIELDS - 1)
    {
      /* "1:2:user:host:32" with no trailing ':' is a packet without extra;
       * some senders of empty packets leave the last separator out. */
      scan->header[scan->n_header_fields++] = span_make (start, len - start);
      scan->extra = span_make (len, 0);
    }
  else if (scan->status == LAN_IPMSG_SCAN_OK)
    {
      scan->status = LAN_IPMSG_SCAN_TOO_FEW_FIELDS;
      scan->stop_offset = (guint32) start;
    }

  scan->header_span = span_make (0, scan->n_header_fields == LAN_IPMSG_N_HEADER_FIELDS
                                    ? MAX (scan->extra.offset, lan_ipmsg_span_end (scan->header[4]))
                                    : scan->stop_offset);

  if (scan->n_header_fields > LAN_IPMSG_HEADER_VERSION)
    scan_version (data, scan);
  if (scan->n_header_fields > LAN_IPMSG_HEADER_PACKET_NO)
    {
      scan->packet_no_valid = lan_ipmsg_scan_number (data, scan->header[LAN_IPMSG_HEADER_PACKET_NO],
                                                     10, G_MAXUINT64, &scan->packet_no);
      if (!scan->packet_no_valid && scan->status == LAN_IPMSG_SCAN_OK)
        scan->status = LAN_IPMSG_SCAN_BAD_PACKET_NO;
    }
  if (scan->n_header_fields > LAN_IPMSG_HEADER_COMMAND)
    {
      guint64 command = 0;

      scan->command_valid = lan_ipmsg_scan_number (data, scan->header[LAN_IPMSG_HEADER_COMMAND],
                                                   10, G_MAXUINT32, &command);
      scan->command = (guint32) command;
      if (!scan->command_valid && scan->status == LAN_IPMSG_SCAN_OK)
        scan->status = LAN_IPMSG_SCAN_BAD_COMMAND;
    }
}

gboolean
lan_ipmsg_scan_next_section (const guint8 *data,
                             LanIpmsgSpan  extra,
                             guint32      *pos,
                             LanIpmsgSpan *out_section)
{
  guint32 end = lan_ipmsg_span_end (extra);
  const guint8 *nul;

  /* *pos one past the end means the last section has been handed out; a
   * trailing NUL leaves one empty section at the very end. */
  if (*pos > end)
    return FALSE;

  nul = memchr (data + *pos, '\0', end - *pos);
  if (nul == NULL)
    {
      *out_section = span_make (*pos, end - *pos);
      *pos = end + 1;
      return TRUE;
    }

  *out_section = span_make (*pos, (gsize) (nul - (data + *pos)));
  *pos = (guint32) (nul - data) + 1;
  return TRUE;
}

static gboolean
span_equals (const guint8 *data,
             LanIpmsgSpan  span,
             const char   *text)
{
  gsize len = strlen (text);

  return span.length == len && memcmp (data + span.offset, text, len) == 0;
}

void
lan_ipmsg_scan_extra (const guint8 *data,
                      gsize         offset,
                      gsize         len,
                      guint32       command,
                      LanIpmsgScan *scan)
{
  gboolean entry = lan_ipmsg_is_entry_mode (command);
  gboolean files = LAN_IPMSG_MODE (command) == LAN_IPMSG_SENDMSG &&
                   (command & LAN_IPMSG_FILEATTACHOPT) != 0;
  LanIpmsgSpan section;
  guint32 pos = (guint32) offset;

  g_return_if_fail (scan != NULL);
  g_return_if_fail (data != NULL || len == 0);
  g_return_if_fail (offset + len <= G_MAXUINT32);

  scan->extra = span_make (offset, len);
  scan->n_sections = 0;
  scan->has_utf8_block = FALSE;
  scan->has_marker = FALSE;
  scan->has_file_list = FALSE;

  if (data == NULL)
    data = (const guint8 *) "";

  while (lan_ipmsg_scan_next_section (data, scan->extra, &pos, &section))
    {
      guint32 index = scan->n_sections++;

      if (index < LAN_IPMSG_SCAN_SECTIONS)
        scan->sections[index] = section;

      if (entry && index == 2 && section.length > 0 && data[section.offset] == '\n')
        {
          scan->has_utf8_block = TRUE;
          scan->utf8_block = section;
        }
      if (entry && index >= 2 && !scan->has_marker && span_equals (data, section, MARKER))
        {
          scan->has_marker = TRUE;
          scan->marker_section = index;
          scan->marker = section;
        }
      if (files && index == 1)
        {
          scan->has_file_list = TRUE;
          scan->file_list = section;
        }
    }
}

void
lan_ipmsg_scan (const guint8 *data,
                gsize         len,
                LanIpmsgScan *scan)
{
  lan_ipmsg_scan_header (data, len, scan);

  /* Sections are worth showing even under a command that doesn't read;
   * what they mean (block, marker, attachments) needs the command. */
  if (scan->n_header_fields == LAN_IPMSG_N_HEADER_FIELDS)
    lan_ipmsg_scan_extra (data, scan->extra.offset, scan->extra.length,
                          scan->command_valid ? scan->command : 0, scan);
}

gboolean
lan_ipmsg_scan_get_section (const LanIpmsgScan *scan,
                            guint               index,
                            LanIpmsgSpan       *out_span)
{
  g_return_val_if_fail (scan != NULL, FALSE);

  if (index >= scan->n_sections || index >= LAN_IPMSG_SCAN_SECTIONS)
    return FALSE;
  if (out_span != NULL)
    *out_span = scan->sections[index];
  return TRUE;
}

gboolean
lan_ipmsg_scan_next_utf8_line (const guint8     *data,
                               LanIpmsgSpan      block,
                               guint32          *pos,
                               LanIpmsgUtf8Line *out_line)
{
  guint32 end = lan_ipmsg_span_end (block);

  /* The block's first byte is the '\n' that marks it as one. */
  if (*pos == block.offset)
    (*pos)++;

  while (*pos < end)
    {
      const guint8 *line = data + *pos;
      const guint8 *newline = memchr (line, '\n', end - *pos);
      gsize line_len = newline != NULL ? (gsize) (newline - line) : end - *pos;
      gsize line_offset = *pos;
      const guint8 *colon;

      *pos += (guint32) line_len + 1;

      /* Tolerate CRLF from senders that build the block with Windows line ends. */
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;

      colon = memchr (line, ':', line_len);
      if (colon == NULL || colon == line)
        continue;

      out_line->line = span_make (line_offset, line_len);
      out_line->key = span_make (line_offset, (gsize) (colon - line));
      out_line->value = span_make (line_offset + (gsize) (colon - line) + 1,
                                   line_len - (gsize) (colon - line) - 1);
      return TRUE;
    }

  return FALSE;
}

static void
record_problem (LanIpmsgFileRecord   *record,
                LanIpmsgRecordStatus  status)
{
  if (record->status == LAN_IPMSG_RECORD_OK)
    record->status = status;
}

/* One `fileID:name:size:mtime:attr[:ext=val…]:` record in @record->record. */
static void
scan_file_record (const guint8       *data,
                  LanIpmsgFileRecord *record)
{
  static const LanIpmsgRecordStatus bad_number[] = {
    LAN_IPMSG_RECORD_BAD_SIZE, LAN_IPMSG_RECORD_BAD_MTIME, LAN_IPMSG_RECORD_BAD_ATTR,
  };
  const guint8 *bytes = data + record->record.offset;
  gsize len = record->record.length;
  gsize base = record->record.offset;
  const guint8 *colon;
  gsize pos;

  if (memchr (bytes, '\0', len) != NULL)
    record_problem (record, LAN_IPMSG_RECORD_NUL);

  colon = memchr (bytes, ':', len);
  if (colon == NULL)
    {
      record_problem (record, LAN_IPMSG_RECORD_NO_ID);
      return;
    }
  record->has_id = TRUE;
  record->id = span_make (base, (gsize) (colon - bytes));
  record->id_valid = lan_ipmsg_scan_number (data, record->id, 10, G_MAXUINT64, &record->file_id);
  if (!record->id_valid)
    record_problem (record, LAN_IPMSG_RECORD_BAD_ID);

  /* Pairs of ':' are taken greedily as a literal ':', so "a:::" is the
   * name "a:" followed by the separator. */
  record->has_name = TRUE;
  pos = (gsize) (colon - bytes) + 1;
  record->name.offset = (guint32) (base + pos);
  while (pos < len)
    {
      if (bytes[pos] == ':')
        {
          if (pos + 1 < len && bytes[pos + 1] == ':')
            {
              pos += 2;
              continue;
            }
          record->name_ended = TRUE;
          break;
        }
      pos++;
    }
  record->name.length = (guint32) (base + pos - record->name.offset);

  if (!record->name_ended)
    {
      record_problem (record, LAN_IPMSG_RECORD_NAME_UNENDED);
      return;
    }
  if (record->name.length == 0)
    record_problem (record, LAN_IPMSG_RECORD_EMPTY_NAME);
  pos++;

  while (pos < len && record->n_numbers < G_N_ELEMENTS (record->numbers))
    {
      const guint8 *field = bytes + pos;
      const guint8 *end = memchr (field, ':', len - pos);
      gsize field_len = end != NULL ? (gsize) (end - field) : len - pos;
      guint n = record->n_numbers++;
      guint64 max = n == LAN_IPMSG_RECORD_ATTR ? G_MAXUINT32 : G_MAXUINT64;

      record->numbers[n] = span_make (base + pos, field_len);
      record->number_valid[n] = lan_ipmsg_scan_number (data, record->numbers[n], 16, max,
                                                       &record->values[n]);
      if (!record->number_valid[n])
        record_problem (record, bad_number[n]);
      pos += field_len + 1;
    }

  if (record->n_numbers < G_N_ELEMENTS (record->numbers))
    record_problem (record, LAN_IPMSG_RECORD_MISSING_NUMBERS);

  pos = MIN (pos, len);
  record->extras = span_make (base + pos, len - pos);
}

gboolean
lan_ipmsg_scan_next_file_record (const guint8       *data,
                                 LanIpmsgSpan        list,
                                 guint32            *pos,
                                 LanIpmsgFileRecord *out_record)
{
  guint32 end = lan_ipmsg_span_end (list);

  while (*pos < end)
    {
      const guint8 *separator = memchr (data + *pos, FILE_RECORD_SEPARATOR, end - *pos);
      guint32 piece = *pos;
      guint32 piece_end = separator != NULL ? (guint32) (separator - data) : end;

      *pos = piece_end + 1;

      /* Some senders put a NUL or a space between the body and the first
       * record, or between records. */
      while (piece < piece_end && (data[piece] == '\0' || data[piece] == ' '))
        piece++;
      /* iptux separates records with ":\a:", so every record after its
       * first starts with the ':' left over from the separator. */
      if (piece < piece_end && data[piece] == ':' && piece > list.offset &&
          data[piece - 1] == FILE_RECORD_SEPARATOR)
        piece++;
      /* The last record ends in '\a', which leaves an empty piece behind it. */
      if (piece == piece_end)
        continue;

      memset (out_record, 0, sizeof *out_record);
      out_record->record = span_make (piece, piece_end - piece);
      scan_file_record (data, out_record);
      return TRUE;
    }

  return FALSE;
}

gboolean
lan_ipmsg_scan_next_extra (const guint8 *data,
                           LanIpmsgSpan  extras,
                           guint32      *pos,
                           LanIpmsgSpan *out_extra)
{
  guint32 end = lan_ipmsg_span_end (extras);

  while (*pos < end)
    {
      const guint8 *colon = memchr (data + *pos, ':', end - *pos);
      guint32 field_end = colon != NULL ? (guint32) (colon - data) : end;
      guint32 start = *pos;

      *pos = field_end + 1;
      if (field_end > start)
        {
          *out_extra = span_make (start, field_end - start);
          return TRUE;
        }
    }

  return FALSE;
}

void
lan_ipmsg_scan_append_name (GString      *out,
                            const guint8 *data,
                            LanIpmsgSpan  name)
{
  const guint8 *bytes = data + name.offset;

  for (guint32 i = 0; i < name.length; i++)
    {
      g_string_append_c (out, (char) bytes[i]);
      if (bytes[i] == ':' && i + 1 < name.length && bytes[i + 1] == ':')
        i++;
    }
}

/* lan-ipmsg.c — the IPMsg wire codec.
 *
 * Everything here works on a (pointer, length) pair: datagrams are not
 * NUL-terminated and may carry NULs in their extra part, so no function
 * below may rely on a terminator in its input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-ipmsg.h"

#define N_HEADER_FIELDS 5
#define FILE_RECORD_SEPARATOR '\a'
/* Error messages quote offending fields; a 64 KiB field would drown a log line. */
#define QUOTE_MAX_BYTES 48

G_DEFINE_QUARK (lan-ipmsg-error-quark, lan_ipmsg_error)

/* Messages end up in logs and in the UI, so a hostile field must not smuggle
 * raw bytes (invalid UTF-8, terminal escapes, NULs) into them. */
static char *
quote_bytes (const guint8 *data,
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

/* strtoull() would accept leading blanks, a sign and a "0x" prefix, and
 * needs a terminator; the wire format allows none of that. */
static gboolean
parse_unsigned (const guint8 *data,
                gsize         len,
                guint         base,
                guint64       max,
                guint64      *out_value)
{
  guint64 value = 0;

  if (len == 0)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      int digit = base == 16 ? g_ascii_xdigit_value (data[i])
                             : g_ascii_digit_value (data[i]);

      if (digit < 0)
        return FALSE;
      if (value > (max - (guint64) digit) / base)
        return FALSE;
      value = value * base + (guint64) digit;
    }

  *out_value = value;
  return TRUE;
}

static gboolean
version_is_supported (const guint8 *data,
                      gsize         len)
{
  gsize i = 0;

  /* Only the leading integer counts: clients decorate the rest
   * ("1_iptux 0.8.3", "1_lbt6_0#128#…"). Leading zeros still read as 1. */
  while (i < len && data[i] == '0')
    i++;
  if (i >= len || data[i] != '1')
    return FALSE;
  i++;

  return i >= len || !g_ascii_isdigit (data[i]);
}

static GPtrArray *
split_sections (GBytes *extra)
{
  GPtrArray *sections = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (extra, &len);
  gsize start = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\0')
        {
          g_ptr_array_add (sections, g_bytes_new_from_bytes (extra, start, i - start));
          start = i + 1;
        }
    }
  g_ptr_array_add (sections, g_bytes_new_from_bytes (extra, start, len - start));

  return sections;
}

static LanIpmsgPacket *
packet_new_take_extra (char    *version,
                       guint64  packet_no,
                       char    *user,
                       char    *host,
                       guint32  command,
                       GBytes  *extra)
{
  LanIpmsgPacket *packet = g_new0 (LanIpmsgPacket, 1);

  packet->version = version;
  packet->packet_no = packet_no;
  packet->user = user;
  packet->host = host;
  packet->command = command;
  packet->extra = extra;
  packet->sections = split_sections (extra);

  return packet;
}

LanIpmsgPacket *
lan_ipmsg_packet_parse (const guint8  *data,
                        gsize          len,
                        GError       **error)
{
  static const char * const field_names[N_HEADER_FIELDS] = {
    "version", "packet-no", "user", "host", "command",
  };
  gsize field_start[N_HEADER_FIELDS];
  gsize field_len[N_HEADER_FIELDS];
  gsize n_fields = 0;
  gsize extra_start = len;
  gsize start = 0;
  guint64 packet_no = 0;
  guint64 command = 0;
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len == 0)
    {
      g_set_error_literal (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_EMPTY,
                           "empty datagram");
      return NULL;
    }

  if (len > LAN_IPMSG_MAX_DATAGRAM)
    {
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_TOO_LARGE,
                   "datagram of %" G_GSIZE_FORMAT " bytes is larger than %d bytes",
                   len, LAN_IPMSG_MAX_DATAGRAM);
      return NULL;
    }

  for (gsize i = 0; i < len && n_fields < N_HEADER_FIELDS; i++)
    {
      if (data[i] == '\0')
        {
          g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_NUL_IN_HEADER,
                       "NUL byte at offset %" G_GSIZE_FORMAT " in the %s field of the header",
                       i, field_names[n_fields]);
          return NULL;
        }
      if (data[i] == ':')
        {
          field_start[n_fields] = start;
          field_len[n_fields] = i - start;
          n_fields++;
          start = i + 1;
          if (n_fields == N_HEADER_FIELDS)
            extra_start = i + 1;
        }
    }

  /* "1:2:user:host:32" with no trailing ':' is a packet without extra;
   * some senders of empty packets leave the last separator out. */
  if (n_fields == N_HEADER_FIELDS - 1)
    {
      field_start[n_fields] = start;
      field_len[n_fields] = len - start;
      n_fields++;
      extra_start = len;
    }

  if (n_fields < N_HEADER_FIELDS)
    {
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_TOO_FEW_FIELDS,
                   "header has %" G_GSIZE_FORMAT " of the %d ':'-separated fields "
                   "(version:packet-no:user:host:command)",
                   n_fields + 1, N_HEADER_FIELDS);
      return NULL;
    }

  if (!version_is_supported (data + field_start[0], field_len[0]))
    {
      quoted = quote_bytes (data + field_start[0], field_len[0]);
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_VERSION,
                   "version field %s does not start with protocol version 1", quoted);
      return NULL;
    }

  if (!parse_unsigned (data + field_start[1], field_len[1], 10, G_MAXUINT64, &packet_no))
    {
      quoted = quote_bytes (data + field_start[1], field_len[1]);
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_NUMBER,
                   "packet-no field %s is not a decimal number that fits 64 bits", quoted);
      return NULL;
    }

  if (!parse_unsigned (data + field_start[4], field_len[4], 10, G_MAXUINT32, &command))
    {
      quoted = quote_bytes (data + field_start[4], field_len[4]);
      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_NUMBER,
                   "command field %s is not a decimal number that fits 32 bits", quoted);
      return NULL;
    }

  return packet_new_take_extra (g_strndup ((const char *) data + field_start[0], field_len[0]),
                                packet_no,
                                g_strndup ((const char *) data + field_start[2], field_len[2]),
                                g_strndup ((const char *) data + field_start[3], field_len[3]),
                                (guint32) command,
                                g_bytes_new (data + extra_start, len - extra_start));
}

LanIpmsgPacket *
lan_ipmsg_packet_new (const char   *version,
                      guint64       packet_no,
                      const char   *user,
                      const char   *host,
                      guint32       command,
                      const guint8 *extra,
                      gsize         extra_len)
{
  g_return_val_if_fail (version != NULL, NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (extra != NULL || extra_len == 0, NULL);

  return packet_new_take_extra (g_strdup (version),
                                packet_no,
                                g_strdup (user),
                                g_strdup (host),
                                command,
                                g_bytes_new (extra, extra_len));
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
      g_autofree char *quoted = quote_bytes ((const guint8 *) value, strlen (value));

      g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_FIELD,
                   "%s field %s contains ':', which would split the header", name, quoted);
      return FALSE;
    }

  return TRUE;
}

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

GBytes *
lan_ipmsg_packet_get_section (const LanIpmsgPacket *packet,
                              guint                 index)
{
  g_return_val_if_fail (packet != NULL, NULL);

  if (packet->sections == NULL || index >= packet->sections->len)
    return NULL;

  return g_ptr_array_index (packet->sections, index);
}

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

gboolean
lan_ipmsg_is_entry_mode (guint32 command)
{
  switch (LAN_IPMSG_MODE (command))
    {
    case LAN_IPMSG_BR_ENTRY:
    case LAN_IPMSG_ANSENTRY:
    case LAN_IPMSG_BR_ABSENCE:
      return TRUE;
    default:
      return FALSE;
    }
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

GPtrArray *
lan_ipmsg_packet_parse_utf8_block (const LanIpmsgPacket *packet)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_utf8_field_free);
  GBytes *block = NULL;
  const char *data;
  gsize len = 0;
  gsize line_start;

  g_return_val_if_fail (packet != NULL, fields);

  if (!lan_ipmsg_is_entry_mode (packet->command))
    return fields;

  block = lan_ipmsg_packet_get_section (packet, 2);
  if (block == NULL)
    return fields;

  data = g_bytes_get_data (block, &len);
  if (len == 0 || data[0] != '\n')
    return fields;

  line_start = 1;
  while (line_start < len)
    {
      const char *line = data + line_start;
      const char *newline = memchr (line, '\n', len - line_start);
      gsize line_len = newline != NULL ? (gsize) (newline - line) : len - line_start;
      const char *colon;

      line_start += line_len + 1;

      /* Tolerate CRLF from senders that build the block with Windows line ends. */
      if (line_len > 0 && line[line_len - 1] == '\r')
        line_len--;

      colon = memchr (line, ':', line_len);
      if (colon != NULL && colon != line)
        {
          LanIpmsgUtf8Field *field = g_new0 (LanIpmsgUtf8Field, 1);

          field->key = g_strndup (line, (gsize) (colon - line));
          field->value = g_strndup (colon + 1, line_len - (gsize) (colon - line) - 1);
          g_ptr_array_add (fields, field);
        }
    }

  return fields;
}

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
  g_return_val_if_fail (packet != NULL, FALSE);

  if (!lan_ipmsg_is_entry_mode (packet->command) || packet->sections == NULL)
    return FALSE;

  for (guint i = 2; i < packet->sections->len; i++)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (g_ptr_array_index (packet->sections, i), &len);

      if (len == strlen ("utf-8") && memcmp (data, "utf-8", len) == 0)
        return TRUE;
    }

  return FALSE;
}

void
lan_ipmsg_file_free (LanIpmsgFile *file)
{
  if (file == NULL)
    return;

  g_free (file->name);
  g_strfreev (file->extras);
  g_free (file);
}

static gboolean
file_list_error (GError      **error,
                 guint         record_index,
                 const guint8 *record,
                 gsize         record_len,
                 const char   *reason)
{
  g_autofree char *quoted = quote_bytes (record, record_len);

  g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_FILE_LIST,
               "attachment record %u %s: %s", record_index + 1, quoted, reason);
  return FALSE;
}

/* Reads one `fileID:name:size:mtime:attr[:ext=val…]:` record. */
static LanIpmsgFile *
parse_file_record (const guint8  *record,
                   gsize          len,
                   guint          record_index,
                   GError       **error)
{
  g_autoptr(LanIpmsgFile) file = g_new0 (LanIpmsgFile, 1);
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GPtrArray) extras = g_ptr_array_new_with_free_func (g_free);
  const guint8 *colon;
  gsize pos;
  gsize numbers_seen = 0;
  gboolean name_ended = FALSE;

  if (memchr (record, '\0', len) != NULL)
    {
      file_list_error (error, record_index, record, len, "NUL byte inside the record");
      return NULL;
    }

  colon = memchr (record, ':', len);
  if (colon == NULL)
    {
      file_list_error (error, record_index, record, len, "no ':' after the file ID");
      return NULL;
    }
  if (!parse_unsigned (record, (gsize) (colon - record), 10, G_MAXUINT64, &file->file_id))
    {
      file_list_error (error, record_index, record, len, "file ID is not a decimal number");
      return NULL;
    }

  /* Pairs of ':' are taken greedily as a literal ':', so "a:::" is the
   * name "a:" followed by the separator. */
  pos = (gsize) (colon - record) + 1;
  while (pos < len)
    {
      if (record[pos] == ':')
        {
          if (pos + 1 < len && record[pos + 1] == ':')
            {
              g_string_append_c (name, ':');
              pos += 2;
              continue;
            }
          pos++;
          name_ended = TRUE;
          break;
        }
      g_string_append_c (name, (char) record[pos]);
      pos++;
    }

  if (!name_ended)
    {
      file_list_error (error, record_index, record, len, "the file name is not followed by ':'");
      return NULL;
    }
  if (name->len == 0)
    {
      file_list_error (error, record_index, record, len, "empty file name");
      return NULL;
    }

  while (pos < len)
    {
      const guint8 *field = record + pos;
      const guint8 *end = memchr (field, ':', len - pos);
      gsize field_len = end != NULL ? (gsize) (end - field) : len - pos;
      guint64 value = 0;

      pos += field_len + 1;

      if (numbers_seen < 3)
        {
          static const char * const reasons[] = {
            "size is not a hexadecimal number that fits 64 bits",
            "mtime is not a hexadecimal number that fits 64 bits",
            "attribute is not a hexadecimal number that fits 32 bits",
          };
          guint64 max = numbers_seen == 2 ? G_MAXUINT32 : G_MAXUINT64;

          if (!parse_unsigned (field, field_len, 16, max, &value))
            {
              file_list_error (error, record_index, record, len, reasons[numbers_seen]);
              return NULL;
            }
          if (numbers_seen == 0)
            file->size = value;
          else if (numbers_seen == 1)
            file->mtime = value;
          else
            file->attr = (guint32) value;
          numbers_seen++;
        }
      else if (field_len > 0)
        {
          /* Extended attributes are kept raw: their meaning is the file
           * transfer's business, and dropping them would lose information. */
          g_ptr_array_add (extras, g_strndup ((const char *) field, field_len));
        }
    }

  if (numbers_seen < 3)
    {
      file_list_error (error, record_index, record, len,
                       "missing size, mtime or attribute field");
      return NULL;
    }

  g_ptr_array_add (extras, NULL);
  file->extras = (GStrv) g_ptr_array_free (g_steal_pointer (&extras), FALSE);
  file->name = g_string_free (g_steal_pointer (&name), FALSE);

  return g_steal_pointer (&file);
}

GPtrArray *
lan_ipmsg_parse_file_list (const guint8  *data,
                           gsize          len,
                           GError       **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_file_free);
  gsize pos = 0;
  guint record_index = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  while (pos < len)
    {
      const guint8 *piece = data + pos;
      const guint8 *end = memchr (piece, FILE_RECORD_SEPARATOR, len - pos);
      gsize piece_len = end != NULL ? (gsize) (end - piece) : len - pos;
      LanIpmsgFile *file;

      pos += piece_len + 1;

      /* Some senders put a NUL or a space between the body and the first
       * record, or between records. */
      while (piece_len > 0 && (piece[0] == '\0' || piece[0] == ' '))
        {
          piece++;
          piece_len--;
        }

      /* The last record ends in '\a', which leaves an empty piece behind it. */
      if (piece_len == 0)
        continue;

      file = parse_file_record (piece, piece_len, record_index, error);
      if (file == NULL)
        return NULL;

      g_ptr_array_add (files, file);
      record_index++;
    }

  return g_steal_pointer (&files);
}

void
lan_ipmsg_append_file_record (GString            *out,
                              const LanIpmsgFile *file)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (file != NULL);
  g_return_if_fail (file->name != NULL);

  g_string_append_printf (out, "%" G_GUINT64_FORMAT ":", file->file_id);
  for (const char *p = file->name; *p != '\0'; p++)
    {
      /* '\a' has no escape and would cut the record in two for every
       * receiver, so a name holding one goes out with a visible stand-in. */
      if (*p == FILE_RECORD_SEPARATOR)
        {
          g_string_append_c (out, '?');
          continue;
        }
      if (*p == ':')
        g_string_append_c (out, ':');
      g_string_append_c (out, *p);
    }
  g_string_append_printf (out, ":%" G_GINT64_MODIFIER "x:%" G_GINT64_MODIFIER "x:%x:",
                          file->size, file->mtime, file->attr);
  if (file->extras != NULL)
    {
      for (guint i = 0; file->extras[i] != NULL; i++)
        {
          if (file->extras[i][0] == '\0')
            continue;
          g_string_append (out, file->extras[i]);
          g_string_append_c (out, ':');
        }
    }
  g_string_append_c (out, FILE_RECORD_SEPARATOR);
}

typedef struct {
  guint32 bit;
  const char *name;
} OptionName;

/* Bits that mean the same thing under every command. */
static const OptionName common_options[] = {
  { LAN_IPMSG_DIALUPOPT, "DIALUPOPT" },
  { LAN_IPMSG_FILEATTACHOPT, "FILEATTACHOPT" },
  { LAN_IPMSG_ENCRYPTOPT, "ENCRYPTOPT" },
  { LAN_IPMSG_UTF8OPT, "UTF8OPT" },
  { LAN_IPMSG_CAPUTF8OPT, "CAPUTF8OPT" },
};

static const OptionName entry_options[] = {
  { LAN_IPMSG_ABSENCEOPT, "ABSENCEOPT" },
  { LAN_IPMSG_SERVEROPT, "SERVEROPT" },
};

static const OptionName send_options[] = {
  { LAN_IPMSG_SENDCHECKOPT, "SENDCHECKOPT" },
  { LAN_IPMSG_SECRETOPT, "SECRETOPT" },
  { LAN_IPMSG_BROADCASTOPT, "BROADCASTOPT" },
  { LAN_IPMSG_MULTICASTOPT, "MULTICASTOPT" },
  { LAN_IPMSG_AUTORETOPT, "AUTORETOPT" },
  { LAN_IPMSG_RETRYOPT, "RETRYOPT" },
  { LAN_IPMSG_PASSWORDOPT, "PASSWORDOPT" },
  { LAN_IPMSG_NOLOGOPT, "NOLOGOPT" },
  { LAN_IPMSG_NOADDLISTOPT, "NOADDLISTOPT" },
  { LAN_IPMSG_READCHECKOPT, "READCHECKOPT" },
};

const char *
lan_ipmsg_command_name (guint32 command)
{
  switch (LAN_IPMSG_MODE (command))
    {
    case LAN_IPMSG_NOOPERATION: return "NOOPERATION";
    case LAN_IPMSG_BR_ENTRY: return "BR_ENTRY";
    case LAN_IPMSG_BR_EXIT: return "BR_EXIT";
    case LAN_IPMSG_ANSENTRY: return "ANSENTRY";
    case LAN_IPMSG_BR_ABSENCE: return "BR_ABSENCE";
    case LAN_IPMSG_BR_ISGETLIST: return "BR_ISGETLIST";
    case LAN_IPMSG_OKGETLIST: return "OKGETLIST";
    case LAN_IPMSG_GETLIST: return "GETLIST";
    case LAN_IPMSG_ANSLIST: return "ANSLIST";
    case LAN_IPMSG_SENDMSG: return "SENDMSG";
    case LAN_IPMSG_RECVMSG: return "RECVMSG";
    case LAN_IPMSG_READMSG: return "READMSG";
    case LAN_IPMSG_DELMSG: return "DELMSG";
    case LAN_IPMSG_ANSREADMSG: return "ANSREADMSG";
    case LAN_IPMSG_GETINFO: return "GETINFO";
    case LAN_IPMSG_SENDINFO: return "SENDINFO";
    case LAN_IPMSG_GETABSENCEINFO: return "GETABSENCEINFO";
    case LAN_IPMSG_SENDABSENCEINFO: return "SENDABSENCEINFO";
    case LAN_IPMSG_GETFILEDATA: return "GETFILEDATA";
    case LAN_IPMSG_RELEASEFILES: return "RELEASEFILES";
    case LAN_IPMSG_GETDIRFILES: return "GETDIRFILES";
    case LAN_IPMSG_GETPUBKEY: return "GETPUBKEY";
    case LAN_IPMSG_ANSPUBKEY: return "ANSPUBKEY";
    case LAN_IPMSG_IPTUX_SENDMSG: return "IPTUX_SENDMSG";
    case LAN_IPMSG_IPTUX_SEND_SIGN: return "IPTUX_SEND_SIGN";
    case LAN_IPMSG_IPTUX_SENDSUBLAYER: return "IPTUX_SENDSUBLAYER";
    case LAN_IPMSG_IPTUX_SENDICON: return "IPTUX_SENDICON";
    case LAN_IPMSG_IPTUX_ASKSHARED: return "IPTUX_ASKSHARED";
    default: return NULL;
    }
}

/* Commands about a message read their low option bits as SENDMSG's:
 * READMSG echoes READCHECKOPT, and iptux's own SENDMSG copies the official one. */
static gboolean
mode_uses_send_options (guint32 command)
{
  switch (LAN_IPMSG_MODE (command))
    {
    case LAN_IPMSG_SENDMSG:
    case LAN_IPMSG_RECVMSG:
    case LAN_IPMSG_READMSG:
    case LAN_IPMSG_DELMSG:
    case LAN_IPMSG_ANSREADMSG:
    case LAN_IPMSG_IPTUX_SENDMSG:
      return TRUE;
    default:
      return FALSE;
    }
}

static const char *
option_name (const OptionName *names,
             gsize             n_names,
             guint32           bit)
{
  for (gsize i = 0; i < n_names; i++)
    {
      if (names[i].bit == bit)
        return names[i].name;
    }

  return NULL;
}

char *
lan_ipmsg_describe_options (guint32 command)
{
  GString *out = g_string_new (NULL);
  guint32 options = LAN_IPMSG_OPTIONS (command);
  guint32 unknown = 0;
  gboolean send_mode = mode_uses_send_options (command);

  for (guint shift = 8; shift < 32; shift++)
    {
      guint32 bit = 1u << shift;
      const char *name;

      if ((options & bit) == 0)
        continue;

      if (send_mode)
        name = option_name (send_options, G_N_ELEMENTS (send_options), bit);
      else
        name = option_name (entry_options, G_N_ELEMENTS (entry_options), bit);
      if (name == NULL)
        name = option_name (common_options, G_N_ELEMENTS (common_options), bit);

      if (name == NULL)
        {
          unknown |= bit;
          continue;
        }

      if (out->len > 0)
        g_string_append_c (out, '|');
      g_string_append (out, name);
    }

  /* Unknown bits (iptux's 0x80000000 and 0x40000000, newer official ones)
   * stay visible as one hex value rather than vanish from the log. */
  if (unknown != 0)
    {
      if (out->len > 0)
        g_string_append_c (out, '|');
      g_string_append_printf (out, "0x%x", unknown);
    }

  return g_string_free (out, FALSE);
}

char *
lan_ipmsg_describe_command (guint32 command)
{
  const char *name = lan_ipmsg_command_name (command);
  g_autofree char *options = lan_ipmsg_describe_options (command);
  GString *out = g_string_new (NULL);

  if (name != NULL)
    g_string_append (out, name);
  else
    g_string_append_printf (out, "0x%x", LAN_IPMSG_MODE (command));

  if (options[0] != '\0')
    {
      g_string_append_c (out, '|');
      g_string_append (out, options);
    }

  return g_string_free (out, FALSE);
}

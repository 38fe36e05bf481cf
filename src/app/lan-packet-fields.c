/* lan-packet-fields.c — a datagram cut into named fields, each with its bytes.
 *
 * The layout is the codec's (lan-ipmsg.c): five header fields separated by
 * ':', then the extra part, split at NUL bytes into sections; the UTF-8
 * block is the third section of an entry packet when it starts with '\n';
 * attachment records are the second section of a SENDMSG|FILEATTACHOPT,
 * ended by '\a', with "::" standing for a ':' in a file name. The codec
 * keeps values, this file keeps where they are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "lan-ipmsg.h"
#include "lan-packet-fields.h"
#include "lan-display-text.h"

#define N_HEADER_FIELDS 5
#define FILE_RECORD_SEPARATOR '\a'
/* A field's value is one row of a list: a long message is cut. */
#define MAX_VALUE_CHARS 160

void
lan_packet_field_free (LanPacketField *field)
{
  if (field == NULL)
    return;

  g_free (field->key);
  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

static LanPacketField *
add_field (GPtrArray  *fields,
           guint       depth,
           const char *key,
           const char *name,
           char       *value,
           gsize       offset,
           gsize       length)
{
  LanPacketField *field = g_new0 (LanPacketField, 1);

  field->key = g_strdup (key);
  field->name = g_strdup (name);
  field->value = value != NULL ? value : g_strdup ("");
  field->offset = offset;
  field->length = length;
  field->depth = depth;
  g_ptr_array_add (fields, field);
  return field;
}

/* Already decoded text, made fit for one row. */
static char *
visible_text (const char *text)
{
  g_autofree char *safe = lan_display_text (text, LAN_DISPLAY_TEXT_ONE_LINE, LAN_DISPLAY_TEXT_ALL);

  return lan_display_text_ellipsize (safe, MAX_VALUE_CHARS);
}

/* Bytes that are meant to be ASCII (numbers, the version): shown as they are,
 * anything else replaced. */
static char *
visible_bytes (const guint8 *data,
               gsize         len)
{
  g_autofree char *valid = g_utf8_make_valid ((const char *) data, (gssize) len);

  return visible_text (valid);
}

static char *
decoded_text (const guint8      *data,
              gsize              len,
              gboolean           utf8_flag,
              LanLegacyEncoding  legacy)
{
  g_autofree char *text = lan_charset_decode (len > 0 ? data : (const guint8 *) "", len,
                                              utf8_flag, FALSE, legacy, NULL, NULL);

  return visible_text (text);
}

static char *
not_a_number (const guint8 *data,
              gsize         len)
{
  g_autofree char *raw = visible_bytes (data, len);

  /* Translators: a field that should be a number and is not */
  return g_strdup_printf (_("%s (not a number)"), raw);
}

static gboolean
parse_number (const guint8 *data,
              gsize         len,
              guint         base,
              guint64       max,
              guint64      *out)
{
  guint64 value = 0;

  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int digit = base == 16 ? g_ascii_xdigit_value (data[i]) : g_ascii_digit_value (data[i]);

      if (digit < 0 || value > (max - (guint64) digit) / base)
        return FALSE;
      value = value * base + (guint64) digit;
    }
  *out = value;
  return TRUE;
}

typedef struct {
  gsize    start[N_HEADER_FIELDS];
  gsize    len[N_HEADER_FIELDS];
  guint    n_fields;
  gsize    extra_start;  /* == the datagram's length when there is no extra part */
  gsize    unread;       /* where the bytes the header split could not place begin */
} HeaderSplit;

/* As lan_ipmsg_packet_parse(): a NUL ends the header early; a last field
 * without its ':' still counts. */
static void
split_header (const guint8 *data,
              gsize         len,
              HeaderSplit  *split)
{
  gsize start = 0;
  gboolean nul = FALSE;

  memset (split, 0, sizeof *split);
  split->extra_start = len;

  for (gsize i = 0; i < len && split->n_fields < N_HEADER_FIELDS; i++)
    {
      if (data[i] == '\0')
        {
          nul = TRUE;
          break;
        }
      if (data[i] == ':')
        {
          split->start[split->n_fields] = start;
          split->len[split->n_fields] = i - start;
          split->n_fields++;
          start = i + 1;
          if (split->n_fields == N_HEADER_FIELDS)
            split->extra_start = i + 1;
        }
    }

  if (!nul && split->n_fields == N_HEADER_FIELDS - 1)
    {
      split->start[split->n_fields] = start;
      split->len[split->n_fields] = len - start;
      split->n_fields++;
    }

  split->unread = split->n_fields == N_HEADER_FIELDS ? len : start;
}

gboolean
lan_packet_header_peek (const guint8    *data,
                        gsize            len,
                        LanPacketHeader *header)
{
  HeaderSplit split;
  guint64 command = 0;
  const guint8 *extra;
  const guint8 *end;

  g_return_val_if_fail (header != NULL, FALSE);

  memset (header, 0, sizeof *header);
  if (data == NULL || len == 0)
    return FALSE;

  split_header (data, len, &split);
  if (split.n_fields < N_HEADER_FIELDS ||
      !parse_number (data + split.start[1], split.len[1], 10, G_MAXUINT64, &header->packet_no) ||
      !parse_number (data + split.start[4], split.len[4], 10, G_MAXUINT32, &command))
    return FALSE;
  header->command = (guint32) command;

  extra = data + split.extra_start;
  end = memchr (extra, '\0', len - split.extra_start);
  header->has_section_number = parse_number (extra, end != NULL ? (gsize) (end - extra)
                                                                 : len - split.extra_start,
                                             10, G_MAXUINT64, &header->section_number);
  return TRUE;
}

static void
add_command_fields (GPtrArray    *fields,
                    const guint8 *data,
                    gsize         offset,
                    gsize         length,
                    gboolean      parsed,
                    guint32       command)
{
  guint32 mode = LAN_IPMSG_MODE (command);
  const char *mode_name;
  g_autofree char *described = NULL;

  if (!parsed)
    {
      add_field (fields, 1, "command", _("Command"), not_a_number (data + offset, length),
                 offset, length);
      return;
    }

  described = lan_ipmsg_describe_command (command);
  add_field (fields, 1, "command", _("Command"),
             g_strdup_printf ("%s (0x%08x)", described, command), offset, length);

  mode_name = lan_ipmsg_command_name (command);
  add_field (fields, 2, "mode", _("Mode"),
             mode_name != NULL ? g_strdup_printf ("%s (0x%02x)", mode_name, mode)
                               /* Translators: a command mode that Lanchat does not know */
                               : g_strdup_printf (_("0x%02x (unknown)"), mode),
             offset, length);

  /* Flags are bits of the number, so each spans the whole field. */
  for (guint shift = 8; shift < 32; shift++)
    {
      guint32 bit = 1u << shift;
      g_autofree char *name = NULL;
      g_autofree char *key = NULL;

      if ((command & bit) == 0)
        continue;

      name = lan_ipmsg_describe_options (mode | bit);
      key = g_strconcat ("flag:", name, NULL);
      add_field (fields, 2, key,
                 g_str_has_prefix (name, "0x") ? _("Unknown flag") : name,
                 g_strdup_printf ("0x%08x", bit), offset, length);
    }
}

static const char *
utf8_key_name (const char *key)
{
  if (g_str_equal (key, "UN"))
    return _("User name");
  if (g_str_equal (key, "HN"))
    return _("Host name");
  if (g_str_equal (key, "NN"))
    return _("Nickname");
  if (g_str_equal (key, "GN"))
    return _("Group");
  return NULL;
}

static void
add_utf8_block_fields (GPtrArray    *fields,
                       const guint8 *data,
                       gsize         offset,
                       gsize         length)
{
  gsize pos = offset + 1; /* past the leading '\n' */
  gsize end = offset + length;

  while (pos < end)
    {
      const guint8 *line = data + pos;
      const guint8 *newline = memchr (line, '\n', end - pos);
      gsize line_len = newline != NULL ? (gsize) (newline - line) : end - pos;
      gsize shown_len = line_len;
      const guint8 *colon;

      if (shown_len > 0 && line[shown_len - 1] == '\r')
        shown_len--;

      colon = memchr (line, ':', shown_len);
      if (colon != NULL && colon != line)
        {
          g_autofree char *key = g_strndup ((const char *) line, (gsize) (colon - line));
          g_autofree char *field_key = NULL;
          g_autofree char *safe_key = visible_bytes (line, (gsize) (colon - line));
          const char *name = utf8_key_name (key);

          field_key = g_strconcat ("utf8:", safe_key, NULL);
          add_field (fields, 2, field_key, name != NULL ? name : safe_key,
                     visible_bytes (colon + 1, shown_len - (gsize) (colon - line) - 1),
                     pos, shown_len);
        }

      pos += line_len + 1;
    }
}

static char *
describe_file_type (guint32 attr)
{
  const char *type;

  switch (attr & 0xff)
    {
    case LAN_IPMSG_FILE_REGULAR:   type = _("regular file"); break;
    case LAN_IPMSG_FILE_DIR:       type = _("folder"); break;
    case LAN_IPMSG_FILE_RETPARENT: type = _("back to the parent folder"); break;
    default:                       type = _("unknown type"); break;
    }
  return g_strdup_printf ("%s (0x%x)", type, attr);
}

/* One `fileID:name:size:mtime:attr[:ext=val…]:` record at [start, start + len). */
static void
add_file_record (GPtrArray    *fields,
                 const guint8 *data,
                 gsize         start,
                 gsize         len,
                 guint         index,
                 gboolean      utf8_flag,
                 LanLegacyEncoding legacy)
{
  static const char * const number_keys[] = { "size", "mtime", "attr" };
  g_autofree char *group_key = g_strdup_printf ("file:%u", index);
  g_autofree char *group_name = g_strdup_printf (_("Attachment %u"), index);
  LanPacketField *group;
  const guint8 *record = data + start;
  const guint8 *colon;
  gsize pos, name_start;
  guint numbers = 0;
  guint extras = 0;
  gboolean name_ended = FALSE;
  g_autoptr(GString) name = g_string_new (NULL);

  group = add_field (fields, 1, group_key, group_name, NULL, start, len);

  colon = memchr (record, ':', len);
  if (colon == NULL)
    {
      g_free (group->value);
      group->value = g_strdup (_("unreadable: no ':' after the file ID"));
      return;
    }

  {
    g_autofree char *key = g_strconcat (group_key, ":id", NULL);
    guint64 id;

    add_field (fields, 2, key, _("File ID"),
               parse_number (record, (gsize) (colon - record), 10, G_MAXUINT64, &id)
               ? g_strdup_printf ("%" G_GUINT64_FORMAT, id)
               : not_a_number (record, (gsize) (colon - record)),
               start, (gsize) (colon - record));
  }

  pos = (gsize) (colon - record) + 1;
  name_start = pos;
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
          name_ended = TRUE;
          break;
        }
      g_string_append_c (name, (char) record[pos]);
      pos++;
    }

  {
    g_autofree char *key = g_strconcat (group_key, ":name", NULL);
    char *value = decoded_text ((const guint8 *) name->str, name->len, utf8_flag, legacy);

    g_free (group->value);
    group->value = g_strdup (value);
    add_field (fields, 2, key, _("Name"), value, start + name_start, pos - name_start);
  }

  if (!name_ended)
    return;
  pos++;

  while (pos < len)
    {
      const guint8 *field = record + pos;
      const guint8 *end = memchr (field, ':', len - pos);
      gsize field_len = end != NULL ? (gsize) (end - field) : len - pos;
      guint64 value = 0;

      if (numbers < G_N_ELEMENTS (number_keys))
        {
          g_autofree char *key = g_strdup_printf ("%s:%s", group_key, number_keys[numbers]);
          gboolean ok = parse_number (field, field_len, 16,
                                      numbers == 2 ? G_MAXUINT32 : G_MAXUINT64, &value);
          char *text;
          const char *label;

          if (!ok)
            {
              g_autofree char *raw = visible_bytes (field, field_len);
              /* Translators: an attachment field that should be a hex number */
              text = g_strdup_printf (_("%s (not a hexadecimal number)"), raw);
            }
          else if (numbers == 0)
            text = g_format_size_full (value, G_FORMAT_SIZE_LONG_FORMAT);
          else if (numbers == 1)
            {
              /* Up to the year 9999, as GDateTime goes. */
              g_autoptr(GDateTime) time = value <= G_GUINT64_CONSTANT (253402300799)
                                          ? g_date_time_new_from_unix_local ((gint64) value) : NULL;

              text = time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S")
                                  : g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", value);
            }
          else
            text = describe_file_type ((guint32) value);

          label = numbers == 0 ? _("Size") : numbers == 1 ? _("Modified") : _("Attribute");
          add_field (fields, 2, key, label, text, start + pos, field_len);
          numbers++;
        }
      else if (field_len > 0)
        {
          g_autofree char *key = g_strdup_printf ("%s:extra:%u", group_key, ++extras);

          add_field (fields, 2, key, _("Extended attribute"),
                     visible_bytes (field, field_len), start + pos, field_len);
        }

      pos += field_len + 1;
    }
}

static void
add_file_list_fields (GPtrArray        *fields,
                      const guint8     *data,
                      gsize             offset,
                      gsize             length,
                      gboolean          utf8_flag,
                      LanLegacyEncoding legacy)
{
  gsize pos = offset;
  gsize end = offset + length;
  guint index = 0;

  while (pos < end)
    {
      gsize piece = pos;
      const guint8 *separator = memchr (data + pos, FILE_RECORD_SEPARATOR, end - pos);
      gsize piece_end = separator != NULL ? (gsize) (separator - data) : end;

      pos = piece_end + 1;

      /* Some senders put a NUL or a space before a record. */
      while (piece < piece_end && (data[piece] == '\0' || data[piece] == ' '))
        piece++;
      if (piece == piece_end)
        continue;

      add_file_record (fields, data, piece, piece_end - piece, ++index, utf8_flag, legacy);
    }
}

/* What a section holds, by the command that carries it; NULL when it has
 * no meaning of its own. */
static const char *
section_role (gboolean      parsed,
              guint32       command,
              guint         index,
              const guint8 *data,
              gsize         len)
{
  if (!parsed)
    return NULL;

  switch (LAN_IPMSG_MODE (command))
    {
    case LAN_IPMSG_SENDMSG:
    case LAN_IPMSG_IPTUX_SENDMSG:
      if (index == 0)
        return _("Message");
      if (index == 1 && (command & LAN_IPMSG_FILEATTACHOPT))
        return _("Attachments");
      return NULL;

    case LAN_IPMSG_RECVMSG:
    case LAN_IPMSG_READMSG:
    case LAN_IPMSG_DELMSG:
    case LAN_IPMSG_ANSREADMSG:
      return index == 0 ? _("Packet no. it answers") : NULL;

    case LAN_IPMSG_BR_ENTRY:
    case LAN_IPMSG_ANSENTRY:
    case LAN_IPMSG_BR_ABSENCE:
    case LAN_IPMSG_BR_EXIT:
      if (index == 0)
        return _("Nickname");
      if (index == 1)
        return _("Group");
      if (index == 2 && len > 0 && data[0] == '\n')
        return _("UTF-8 block");
      if (len == strlen ("utf-8") && memcmp (data, "utf-8", len) == 0)
        return _("iptux UTF-8 marker");
      return NULL;

    case LAN_IPMSG_SENDINFO:
      return index == 0 ? _("Version") : NULL;

    case LAN_IPMSG_SENDABSENCEINFO:
      return index == 0 ? _("Away message") : NULL;

    default:
      return NULL;
    }
}

/**
 * lan_packet_fields_parse:
 *
 * Returns: (transfer full) (element-type LanPacketField):
 */
GPtrArray *
lan_packet_fields_parse (const guint8      *data,
                         gsize              len,
                         LanLegacyEncoding  legacy)
{
  static const char * const header_keys[N_HEADER_FIELDS] = {
    "version", "packet-no", "user", "host", "command",
  };
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_packet_field_free);
  HeaderSplit split;
  guint64 command = 0;
  gboolean command_parsed = FALSE;
  gboolean utf8_flag = FALSE;
  gsize header_len;
  LanPacketField *header;

  if (data == NULL || len == 0)
    return fields;

  split_header (data, len, &split);
  if (split.n_fields == N_HEADER_FIELDS)
    {
      command_parsed = parse_number (data + split.start[4], split.len[4], 10, G_MAXUINT32, &command);
      utf8_flag = command_parsed && (command & LAN_IPMSG_UTF8OPT) != 0;
    }

  header_len = split.n_fields == N_HEADER_FIELDS ? split.extra_start : split.unread;
  header = add_field (fields, 0, "header", _("Header"), NULL, 0, header_len);

  for (guint i = 0; i < split.n_fields; i++)
    {
      const guint8 *field = data + split.start[i];
      gsize field_len = split.len[i];
      guint64 number;

      switch (i)
        {
        case 0:
          add_field (fields, 1, header_keys[i], _("Version"),
                     visible_bytes (field, field_len), split.start[i], field_len);
          break;
        case 1:
          add_field (fields, 1, header_keys[i], _("Packet no."),
                     parse_number (field, field_len, 10, G_MAXUINT64, &number)
                     ? g_strdup_printf ("%" G_GUINT64_FORMAT, number)
                     : not_a_number (field, field_len),
                     split.start[i], field_len);
          break;
        case 2:
          add_field (fields, 1, header_keys[i], _("User"),
                     decoded_text (field, field_len, utf8_flag, legacy), split.start[i], field_len);
          break;
        case 3:
          add_field (fields, 1, header_keys[i], _("Host"),
                     decoded_text (field, field_len, utf8_flag, legacy), split.start[i], field_len);
          break;
        case 4:
          add_command_fields (fields, data, split.start[i], field_len, command_parsed, (guint32) command);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (split.n_fields == N_HEADER_FIELDS && command_parsed)
    {
      const char *name = lan_ipmsg_command_name ((guint32) command);

      g_free (header->value);
      header->value = g_strdup (name != NULL ? name : "");
    }

  if (split.unread < len)
    {
      add_field (fields, 0, "rest", _("Unreadable bytes"),
                 visible_bytes (data + split.unread, len - split.unread),
                 split.unread, len - split.unread);
      return fields;
    }

  if (split.extra_start < len)
    {
      gsize start = split.extra_start;
      guint index = 0;

      for (gsize i = split.extra_start; i <= len; i++)
        {
          gsize section_len;
          const char *role;
          g_autofree char *key = NULL;
          g_autofree char *name = NULL;

          if (i < len && data[i] != '\0')
            continue;

          section_len = i - start;
          /* The NUL that ends the last section leaves nothing behind it. */
          if (i == len && section_len == 0 && index > 0)
            break;

          role = section_role (command_parsed, (guint32) command, index, data + start, section_len);
          key = g_strdup_printf ("section:%u", index);
          if (role != NULL)
            /* Translators: a NUL-separated part of a packet: its number and what it holds */
            name = g_strdup_printf (_("Section %u · %s"), index, role);
          else
            name = g_strdup_printf (_("Section %u"), index);

          add_field (fields, 0, key, name,
                     decoded_text (data + start, section_len, utf8_flag, legacy),
                     start, section_len);

          if (command_parsed && lan_ipmsg_is_entry_mode ((guint32) command) &&
              index == 2 && section_len > 0 && data[start] == '\n')
            add_utf8_block_fields (fields, data, start, section_len);
          else if (command_parsed && index == 1 &&
                   LAN_IPMSG_MODE (command) == LAN_IPMSG_SENDMSG &&
                   (command & LAN_IPMSG_FILEATTACHOPT))
            add_file_list_fields (fields, data, start, section_len, utf8_flag, legacy);

          start = i + 1;
          index++;
        }
    }

  return fields;
}

/**
 * lan_packet_fields_lookup:
 *
 * Returns: (transfer none) (nullable):
 */
const LanPacketField *
lan_packet_fields_lookup (GPtrArray  *fields,
                          const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const LanPacketField *field = g_ptr_array_index (fields, i);

      if (g_str_equal (field->key, key))
        return field;
    }
  return NULL;
}

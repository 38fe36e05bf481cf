/* lan-ipmsg-dissect.c — a datagram cut into named fields, each with its bytes.
 *
 * Where things are comes from the scan (lan-ipmsg-scan.c), which text they
 * hold from the dialect (lan-dialect.c); this file only names them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-ipmsg-dissect"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-display-text.h"
#include "lan-ipmsg-dissect.h"

/* A field's value is one row of a list: a long message is cut. */
#define MAX_VALUE_CHARS 160

void
lan_ipmsg_field_free (LanIpmsgField *field)
{
  if (field == NULL)
    return;

  g_free (field->key);
  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

/* What every part below needs: the bytes, their scan, how to read text. */
typedef struct {
  GPtrArray          *fields;
  const guint8       *data;
  gsize               len;
  const LanIpmsgScan *scan;
  LanDialect          dialect;
  guint32             command;   /* 0 when the header's command doesn't read */
} Dissection;

static LanIpmsgField *
add_field (GPtrArray  *fields,
           guint       depth,
           const char *key,
           const char *name,
           char       *value,
           gsize       offset,
           gsize       length)
{
  LanIpmsgField *field = g_new0 (LanIpmsgField, 1);

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
not_a_number (const guint8 *data,
              gsize         len)
{
  g_autofree char *raw = visible_bytes (data, len);

  /* Translators: a field that should be a number and is not */
  return g_strdup_printf (_("%s (not a number)"), raw);
}


static char *
decoded_text (Dissection     *d,
              LanDialectText  kind,
              LanIpmsgSpan    span)
{
  g_autofree char *text = lan_dialect_decode (&d->dialect, d->command, kind,
                                              d->data + span.offset, span.length, NULL, NULL);

  return visible_text (text);
}

static char *
span_bytes (Dissection   *d,
            LanIpmsgSpan  span)
{
  return visible_bytes (d->data + span.offset, span.length);
}

static LanIpmsgField *
add_span (Dissection   *d,
          guint         depth,
          const char   *key,
          const char   *name,
          char         *value,
          LanIpmsgSpan  span)
{
  return add_field (d->fields, depth, key, name, value, span.offset, span.length);
}

static void
add_version_fields (Dissection *d)
{
  const LanIpmsgScan *scan = d->scan;
  LanIpmsgSpan version = scan->header[LAN_IPMSG_HEADER_VERSION];

  add_span (d, 1, "version", _("Version"), span_bytes (d, version), version);
  /* Only a decorated version has parts worth naming. */
  if (scan->version_decoration.length == 0)
    return;
  add_span (d, 2, "version:number", _("Protocol version"),
            span_bytes (d, scan->version_number), scan->version_number);
  add_span (d, 2, "version:decoration", _("Client"),
            span_bytes (d, scan->version_decoration), scan->version_decoration);
  if (scan->version_mac.length > 0)
    /* Translators: FeiQ puts the sender's network card address in its version field */
    add_span (d, 3, "version:mac", _("MAC address"),
              span_bytes (d, scan->version_mac), scan->version_mac);
}

static char *
number_or_not (Dissection   *d,
               LanIpmsgSpan  span,
               gboolean      valid,
               guint64       value)
{
  if (valid)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  return not_a_number (d->data + span.offset, span.length);
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
add_utf8_block_fields (Dissection *d)
{
  LanIpmsgUtf8Line line;
  guint32 pos = d->scan->utf8_block.offset;

  while (lan_ipmsg_scan_next_utf8_line (d->data, d->scan->utf8_block, &pos, &line))
    {
      g_autofree char *key = g_strndup ((const char *) d->data + line.key.offset, line.key.length);
      g_autofree char *safe_key = span_bytes (d, line.key);
      g_autofree char *field_key = g_strconcat ("utf8:", safe_key, NULL);
      const char *name = utf8_key_name (key);

      add_span (d, 2, field_key, name != NULL ? name : safe_key,
                decoded_text (d, LAN_DIALECT_UTF8_TEXT, line.value), line.line);
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

static char *
describe_number (Dissection               *d,
                 const LanIpmsgFileRecord *record,
                 guint                     n)
{
  guint64 value = record->values[n];

  if (!record->number_valid[n])
    {
      g_autofree char *raw = span_bytes (d, record->numbers[n]);
      /* Translators: an attachment field that should be a hex number */
      return g_strdup_printf (_("%s (not a hexadecimal number)"), raw);
    }
  if (n == LAN_IPMSG_RECORD_SIZE)
    return g_format_size_full (value, G_FORMAT_SIZE_LONG_FORMAT);
  if (n == LAN_IPMSG_RECORD_MTIME)
    {
      /* Up to the year 9999, as GDateTime goes. */
      g_autoptr(GDateTime) time = value <= G_GUINT64_CONSTANT (253402300799)
                                  ? g_date_time_new_from_unix_local ((gint64) value) : NULL;

      return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S")
                          : g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", value);
    }
  return describe_file_type ((guint32) value);
}

static void
add_file_record (Dissection               *d,
                 const LanIpmsgFileRecord *record,
                 guint                     index)
{
  static const char * const number_keys[] = { "size", "mtime", "attr" };
  g_autofree char *group_key = g_strdup_printf ("file:%u", index);
  g_autofree char *group_name = g_strdup_printf (_("Attachment %u"), index);
  g_autofree char *id_key = g_strconcat (group_key, ":id", NULL);
  g_autofree char *name_key = g_strconcat (group_key, ":name", NULL);
  g_autoptr(GString) name = g_string_new (NULL);
  LanIpmsgField *group;
  LanIpmsgSpan extra;
  LanIpmsgSpan unescaped;
  guint32 pos;
  guint extras = 0;

  group = add_span (d, 1, group_key, group_name, NULL, record->record);
  if (!record->has_id)
    {
      g_free (group->value);
      group->value = g_strdup (_("unreadable: no ':' after the file ID"));
      return;
    }

  add_span (d, 2, id_key, _("File ID"),
            number_or_not (d, record->id, record->id_valid, record->file_id), record->id);

  /* "::" is a ':' in the name: decode the name, but show where it was sent. */
  lan_ipmsg_scan_append_name (name, d->data, record->name);
  unescaped = (LanIpmsgSpan) { 0, (guint32) name->len };
  {
    g_autofree char *text = lan_dialect_decode (&d->dialect, d->command, LAN_DIALECT_PEER_TEXT,
                                                (const guint8 *) name->str, unescaped.length,
                                                NULL, NULL);
    char *value = visible_text (text);

    g_free (group->value);
    group->value = g_strdup (value);
    add_span (d, 2, name_key, _("Name"), value, record->name);
  }
  if (!record->name_ended)
    return;

  for (guint n = 0; n < record->n_numbers; n++)
    {
      g_autofree char *key = g_strdup_printf ("%s:%s", group_key, number_keys[n]);
      const char *label = n == LAN_IPMSG_RECORD_SIZE ? _("Size")
                          : n == LAN_IPMSG_RECORD_MTIME ? _("Modified") : _("Attribute");

      add_span (d, 2, key, label, describe_number (d, record, n), record->numbers[n]);
    }

  pos = record->extras.offset;
  while (lan_ipmsg_scan_next_extra (d->data, record->extras, &pos, &extra))
    {
      g_autofree char *key = g_strdup_printf ("%s:extra:%u", group_key, ++extras);

      add_span (d, 2, key, _("Extended attribute"), span_bytes (d, extra), extra);
    }
}

static void
add_file_list_fields (Dissection *d)
{
  LanIpmsgFileRecord record;
  guint32 pos = d->scan->file_list.offset;
  guint index = 0;

  while (lan_ipmsg_scan_next_file_record (d->data, d->scan->file_list, &pos, &record))
    add_file_record (d, &record, ++index);
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


static void
add_sections (Dissection *d)
{
  const LanIpmsgScan *scan = d->scan;
  gboolean parsed = scan->command_valid;
  LanIpmsgSpan section;
  guint32 pos = scan->extra.offset;
  guint index = 0;

  while (lan_ipmsg_scan_next_section (d->data, scan->extra, &pos, &section))
    {
      g_autofree char *key = NULL;
      g_autofree char *name = NULL;
      const char *role;

      /* The NUL that ends the last section leaves nothing behind it. */
      if (index > 0 && section.length == 0 && section.offset == lan_ipmsg_span_end (scan->extra))
        break;

      role = section_role (parsed, d->command, index, d->data + section.offset, section.length);
      key = g_strdup_printf ("section:%u", index);
      if (role != NULL)
        /* Translators: a NUL-separated part of a packet: its number and what it holds */
        name = g_strdup_printf (_("Section %u · %s"), index, role);
      else
        name = g_strdup_printf (_("Section %u"), index);

      add_span (d, 0, key, name, decoded_text (d, LAN_DIALECT_PEER_TEXT, section), section);

      if (scan->has_utf8_block && section.offset == scan->utf8_block.offset && index == 2)
        add_utf8_block_fields (d);
      else if (scan->has_file_list && index == 1)
        add_file_list_fields (d);

      index++;
    }
}

/**
 * lan_ipmsg_dissect:
 *
 * Returns: (transfer full) (element-type LanIpmsgField):
 */
GPtrArray *
lan_ipmsg_dissect (const guint8     *data,
                   gsize             len,
                   const LanDialect *dialect)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_field_free);
  LanIpmsgScan scan;
  Dissection d = { fields, data, len, &scan, { 0 }, 0 };
  LanIpmsgField *header;
  gboolean complete;

  if (data == NULL || len == 0)
    return fields;

  lan_ipmsg_scan (data, len, &scan);
  /* A datagram over the limit is no datagram we read: its bytes are "rest". */
  if (scan.status == LAN_IPMSG_SCAN_TOO_LARGE)
    {
      add_field (fields, 0, "rest", _("Unreadable bytes"), visible_bytes (data, MIN (len, 64)), 0, len);
      return fields;
    }

  complete = scan.n_header_fields == LAN_IPMSG_N_HEADER_FIELDS;
  if (dialect != NULL)
    d.dialect = *dialect;
  else
    lan_dialect_init (&d.dialect, LAN_LEGACY_GB18030);
  lan_dialect_learn_scan (&d.dialect, data, &scan);
  d.command = complete && scan.command_valid ? scan.command : 0;

  header = add_span (&d, 0, "header", _("Header"), NULL, scan.header_span);
  if (scan.n_header_fields > LAN_IPMSG_HEADER_VERSION)
    add_version_fields (&d);
  if (scan.n_header_fields > LAN_IPMSG_HEADER_PACKET_NO)
    add_span (&d, 1, "packet-no", _("Packet no."),
              number_or_not (&d, scan.header[LAN_IPMSG_HEADER_PACKET_NO], scan.packet_no_valid, scan.packet_no),
              scan.header[LAN_IPMSG_HEADER_PACKET_NO]);
  if (scan.n_header_fields > LAN_IPMSG_HEADER_USER)
    add_span (&d, 1, "user", _("User"),
              decoded_text (&d, LAN_DIALECT_PEER_TEXT, scan.header[LAN_IPMSG_HEADER_USER]),
              scan.header[LAN_IPMSG_HEADER_USER]);
  if (scan.n_header_fields > LAN_IPMSG_HEADER_HOST)
    add_span (&d, 1, "host", _("Host"),
              decoded_text (&d, LAN_DIALECT_PEER_TEXT, scan.header[LAN_IPMSG_HEADER_HOST]),
              scan.header[LAN_IPMSG_HEADER_HOST]);
  if (complete)
    {
      LanIpmsgSpan command = scan.header[LAN_IPMSG_HEADER_COMMAND];
      const char *name = lan_ipmsg_command_name (scan.command);

      add_command_fields (fields, data, command.offset, command.length, scan.command_valid, scan.command);
      if (scan.command_valid)
        {
          g_free (header->value);
          header->value = g_strdup (name != NULL ? name : "");
        }
    }

  if (scan.stop_offset < len)
    {
      gsize rest = scan.stop_offset;

      add_field (fields, 0, "rest", _("Unreadable bytes"),
                 visible_bytes (data + rest, len - rest), rest, len - rest);
      return fields;
    }

  if (scan.extra.offset < len)
    add_sections (&d);

  return fields;
}

/**
 * lan_ipmsg_dissect_lookup:
 *
 * Returns: (transfer none) (nullable):
 */
const LanIpmsgField *
lan_ipmsg_dissect_lookup (GPtrArray  *fields,
                          const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const LanIpmsgField *field = g_ptr_array_index (fields, i);

      if (g_str_equal (field->key, key))
        return field;
    }
  return NULL;
}

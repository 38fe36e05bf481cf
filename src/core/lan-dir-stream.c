/* lan-dir-stream.c — the GETDIRFILES stream: push parser and header writer.
 *
 * What the clients write (iptux 0.8.x, SendFileData::SendDirFiles):
 * `%.4x:name:%.9jx:%lx:14=%jx:16=%jx:` — a 4-digit hex header size, the
 * name as is (iptux does not double ':'), the size zero-padded to 9 hex
 * digits (0 for a folder), the attribute, then the mtime (IPMSG_FILE_MTIME,
 * 0x14) and creation time (0x16) as hex extras. Every folder, the top one
 * included, is closed by a `0000:.:0:3:…:` return-to-parent entry, so the
 * stream ends with the return out of the folder that was asked for. iptux's
 * reader skips the data of an entry of another type (it writes it to
 * /dev/null), and so does this parser.
 *
 * The final return-to-parent (out of the top folder) is reported as
 * LAN_DIR_EVENT_END, not as a LEAVE followed by END: every LEAVE is matched
 * by an ENTER below the top, and the top is left only once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-dir-stream"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "lan-dir-stream.h"
#include "lan-ipmsg.h"

/* A header size has at most this many hex digits; "0000ffff" is still a
 * size a reader can take, a longer run of digits is noise. */
#define MAX_SIZE_DIGITS 8
/* The shortest fields after the size's ':' that can be right: ":0:1:". */
#define MIN_FIELDS 5

typedef enum {
  STATE_HEADER,    /* collecting a header */
  STATE_DATA,      /* giving a regular file's contents */
  STATE_SKIP,      /* dropping the data of an entry of another type */
  STATE_END,
  STATE_ERROR,
} ParserState;

struct _LanDirStreamParser {
  ParserState  state;
  GByteArray  *header;        /* bytes of the header being read */
  gsize        header_size;   /* announced size; 0 until its ':' is seen */
  guint64      remaining;     /* of the current file (DATA) or skipped entry */
  guint64      offset;        /* bytes of the stream consumed so far */
  guint64      header_offset; /* where the header being read started */
  guint        depth;         /* folders open */
  guint        entries;
  LanDirEntry *entry;
};

G_DEFINE_QUARK (lan-dir-stream-error-quark, lan_dir_stream_error)

void
lan_dir_entry_free (LanDirEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->name);
  g_strfreev (entry->extras);
  g_free (entry);
}

/**
 * lan_dir_stream_parser_new:
 *
 * Returns: (transfer full):
 */
LanDirStreamParser *
lan_dir_stream_parser_new (void)
{
  LanDirStreamParser *parser = g_new0 (LanDirStreamParser, 1);

  parser->state = STATE_HEADER;
  parser->header = g_byte_array_new ();
  return parser;
}

void
lan_dir_stream_parser_free (LanDirStreamParser *parser)
{
  if (parser == NULL)
    return;

  g_byte_array_unref (parser->header);
  lan_dir_entry_free (parser->entry);
  g_free (parser);
}

/**
 * lan_dir_stream_parser_get_entry:
 *
 * Returns: (transfer none) (nullable):
 */
const LanDirEntry *
lan_dir_stream_parser_get_entry (LanDirStreamParser *parser)
{
  g_return_val_if_fail (parser != NULL, NULL);
  return parser->entry;
}

guint
lan_dir_stream_parser_get_depth (LanDirStreamParser *parser)
{
  g_return_val_if_fail (parser != NULL, 0);
  return parser->depth;
}

guint64
lan_dir_stream_parser_get_remaining (LanDirStreamParser *parser)
{
  g_return_val_if_fail (parser != NULL, 0);
  return parser->state == STATE_DATA ? parser->remaining : 0;
}

guint
lan_dir_stream_parser_get_entries (LanDirStreamParser *parser)
{
  g_return_val_if_fail (parser != NULL, 0);
  return parser->entries;
}

/* Puts the parser in error for good; the message names the entry and the
 * stream offset its header started at, so a log line points at the bytes. */
G_GNUC_PRINTF (3, 4)
static LanDirEvent
fail (LanDirStreamParser *parser,
      GError            **error,
      const char         *format,
      ...)
{
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);

  parser->state = STATE_ERROR;
  g_set_error (error, LAN_DIR_STREAM_ERROR, LAN_DIR_STREAM_ERROR_BAD_HEADER,
               _("Folder entry %u (at byte %llu): %s"),
               parser->entries + 1, (unsigned long long) parser->header_offset, why);
  return LAN_DIR_EVENT_ERROR;
}

static LanDirEvent
fail_code (LanDirStreamParser *parser,
           GError            **error,
           LanDirStreamError   code,
           const char         *message)
{
  parser->state = STATE_ERROR;
  g_set_error (error, LAN_DIR_STREAM_ERROR, code,
               _("Folder entry %u (at byte %llu): %s"),
               parser->entries + 1, (unsigned long long) parser->header_offset, message);
  return LAN_DIR_EVENT_ERROR;
}

static int
hex_value (guint8 c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* A hex field from @p up to the next ':' (which must be before @end);
 * FALSE when empty, not hex or over @max. Leading zeros are fine: iptux
 * pads sizes to 9 digits. */
static gboolean
read_hex_field (const guint8 **p,
                const guint8  *end,
                guint64        max,
                guint64       *value)
{
  const guint8 *q = *p;
  guint64 v = 0;

  if (q >= end || *q == ':')
    return FALSE;
  for (; q < end && *q != ':'; q++)
    {
      int digit = hex_value (*q);

      if (digit < 0 || v > (max - (guint64) digit) / 16)
        return FALSE;
      v = v * 16 + (guint64) digit;
    }
  if (q >= end)
    return FALSE;
  *p = q + 1;
  *value = v;
  return TRUE;
}

/* The header's fields after its size: `name:size:attr[:ext=val…]:`, which
 * must end exactly at the header's end. A size that lies shows up here: too
 * small cuts a field short, too large swallows data that is not `key=val:`. */
static LanDirEvent
parse_fields (LanDirStreamParser *parser,
              const guint8       *p,
              const guint8       *end,
              GError            **error)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GPtrArray) extras = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(LanDirEntry) entry = NULL;
  guint64 size = 0, attr = 0;

  if (memchr (p, '\0', (gsize) (end - p)) != NULL)
    return fail (parser, error, "%s", _("the header holds a NUL byte"));
  if (end[-1] != ':')
    return fail (parser, error, "%s",
                 _("the header does not end with ':' where its size says (the size is wrong)"));

  /* "::" is a ':' of the name; a lone ':' ends it. */
  for (;;)
    {
      if (p >= end)
        return fail (parser, error, "%s", _("the name is not followed by ':'"));
      if (*p == ':')
        {
          if (p + 1 < end && p[1] == ':')
            {
              g_string_append_c (name, ':');
              p += 2;
              continue;
            }
          p++;
          break;
        }
      g_string_append_c (name, (char) *p);
      p++;
    }

  /* Sizes become file offsets, which are signed 64-bit. */
  if (!read_hex_field (&p, end, G_MAXINT64, &size))
    return fail (parser, error, "%s",
                 _("the size is not a hexadecimal number below 2^63"));
  if (!read_hex_field (&p, end, G_MAXUINT32, &attr))
    return fail (parser, error, "%s",
                 _("the attribute is missing or not a hexadecimal number that fits 32 bits"));

  while (p < end)
    {
      const guint8 *colon = memchr (p, ':', (gsize) (end - p));
      g_autofree char *extra = NULL;

      /* end[-1] is ':', so there is always one. */
      g_assert (colon != NULL);
      if (colon == p)
        {
          p++;
          continue;
        }
      extra = g_strndup ((const char *) p, (gsize) (colon - p));
      if (strchr (extra, '=') == NULL)
        return fail (parser, error, "%s",
                     _("an extra field is not key=value (the header size is wrong)"));
      g_ptr_array_add (extras, g_steal_pointer (&extra));
      p = colon + 1;
    }
  g_ptr_array_add (extras, NULL);

  entry = g_new0 (LanDirEntry, 1);
  entry->name = g_string_free (g_steal_pointer (&name), FALSE);
  entry->size = size;
  entry->attr = (guint32) attr;
  entry->extras = (GStrv) g_ptr_array_free (g_steal_pointer (&extras), FALSE);

  lan_dir_entry_free (parser->entry);
  parser->entry = g_steal_pointer (&entry);
  return LAN_DIR_EVENT_NEED_MORE;
}

/* What the complete header in parser->header means for the folder walk. */
static LanDirEvent
take_entry (LanDirStreamParser *parser,
            GError            **error)
{
  LanDirEntry *entry = parser->entry;
  guint type = entry->attr & 0xff;

  if (parser->entries >= LAN_DIR_STREAM_MAX_ENTRIES)
    return fail_code (parser, error, LAN_DIR_STREAM_ERROR_TOO_MANY,
                      _("the folder has more entries than Lanchat takes"));
  if (parser->depth == 0 && type != LAN_IPMSG_FILE_DIR)
    {
      if (type == LAN_IPMSG_FILE_RETPARENT)
        return fail_code (parser, error, LAN_DIR_STREAM_ERROR_CLIMB,
                          _("a return to the parent above the folder asked for"));
      return fail (parser, error, "%s", _("the stream does not start with a folder"));
    }

  if (type == LAN_IPMSG_FILE_DIR && parser->depth >= LAN_DIR_STREAM_MAX_DEPTH)
    return fail_code (parser, error, LAN_DIR_STREAM_ERROR_TOO_DEEP,
                      _("the folders are nested deeper than Lanchat takes"));

  parser->entries++;
  parser->state = STATE_HEADER;

  switch (type)
    {
    case LAN_IPMSG_FILE_DIR:
      parser->depth++;
      entry->depth = parser->depth;
      return LAN_DIR_EVENT_ENTER;

    case LAN_IPMSG_FILE_RETPARENT:
      entry->depth = parser->depth;
      parser->depth--;
      if (parser->depth == 0)
        {
          parser->state = STATE_END;
          return LAN_DIR_EVENT_END;
        }
      return LAN_DIR_EVENT_LEAVE;

    case LAN_IPMSG_FILE_REGULAR:
      entry->depth = parser->depth + 1;
      parser->remaining = entry->size;
      parser->state = STATE_DATA;
      return LAN_DIR_EVENT_FILE;

    default:
      entry->depth = parser->depth + 1;
      parser->remaining = entry->size;
      if (parser->remaining > 0)
        parser->state = STATE_SKIP;
      return LAN_DIR_EVENT_OTHER;
    }
}

/* Reads the header size once its ':' has arrived; 0 = not yet. */
static LanDirEvent
read_header_size (LanDirStreamParser *parser,
                  GError            **error)
{
  const guint8 *data = parser->header->data;
  guint len = parser->header->len;
  guint64 size = 0;

  for (guint i = 0; i < len; i++)
    {
      int digit;

      if (data[i] == ':')
        {
          if (i == 0)
            return fail (parser, error, "%s", _("the header size is empty"));
          if (size > LAN_DIR_STREAM_MAX_HEADER)
            return fail (parser, error, _("the header size 0x%llx is over 0x%x"),
                         (unsigned long long) size, LAN_DIR_STREAM_MAX_HEADER);
          if (size < (guint64) i + 1 + MIN_FIELDS)
            return fail (parser, error, _("the header size 0x%llx is too small for a header"),
                         (unsigned long long) size);
          parser->header_size = (gsize) size;
          return LAN_DIR_EVENT_NEED_MORE;
        }
      digit = hex_value (data[i]);
      if (digit < 0)
        return fail (parser, error, "%s", _("the header size is not a hexadecimal number"));
      if (i >= MAX_SIZE_DIGITS)
        return fail (parser, error, "%s", _("the header size has too many digits"));
      size = size * 16 + (guint64) digit;
    }
  return LAN_DIR_EVENT_NEED_MORE;
}

static LanDirEvent
feed_header (LanDirStreamParser *parser,
             const guint8       *data,
             gsize               len,
             gsize              *consumed,
             GError            **error)
{
  gsize used = 0;
  LanDirEvent event;

  if (parser->header->len == 0)
    parser->header_offset = parser->offset;

  while (parser->header_size == 0 && used < len)
    {
      g_byte_array_append (parser->header, data + used, 1);
      used++;
      if (data[used - 1] == ':' || hex_value (data[used - 1]) < 0 ||
          parser->header->len > MAX_SIZE_DIGITS)
        {
          event = read_header_size (parser, error);
          if (event == LAN_DIR_EVENT_ERROR)
            {
              *consumed = used;
              return event;
            }
        }
    }

  if (parser->header_size > 0 && used < len)
    {
      gsize want = parser->header_size - parser->header->len;
      gsize take = MIN (want, len - used);

      g_byte_array_append (parser->header, data + used, (guint) take);
      used += take;
    }

  *consumed = used;
  if (parser->header_size == 0 || parser->header->len < parser->header_size)
    return LAN_DIR_EVENT_NEED_MORE;

  {
    const guint8 *start = parser->header->data;
    const guint8 *fields = memchr (start, ':', parser->header->len);

    event = parse_fields (parser, fields + 1, start + parser->header->len, error);
  }
  g_byte_array_set_size (parser->header, 0);
  parser->header_size = 0;
  if (event == LAN_DIR_EVENT_ERROR)
    return event;
  return take_entry (parser, error);
}

LanDirEvent
lan_dir_stream_parser_feed (LanDirStreamParser *parser,
                            const guint8       *data,
                            gsize               len,
                            gsize              *consumed,
                            GError            **error)
{
  LanDirEvent event = LAN_DIR_EVENT_NEED_MORE;
  gsize used = 0;

  g_return_val_if_fail (parser != NULL, LAN_DIR_EVENT_ERROR);
  g_return_val_if_fail (data != NULL || len == 0, LAN_DIR_EVENT_ERROR);
  g_return_val_if_fail (consumed != NULL, LAN_DIR_EVENT_ERROR);
  g_return_val_if_fail (error == NULL || *error == NULL, LAN_DIR_EVENT_ERROR);

  *consumed = 0;
  switch (parser->state)
    {
    case STATE_ERROR:
      g_set_error_literal (error, LAN_DIR_STREAM_ERROR, LAN_DIR_STREAM_ERROR_BAD_HEADER,
                           _("The folder stream already failed"));
      return LAN_DIR_EVENT_ERROR;

    case STATE_END:
      if (len == 0)
        return LAN_DIR_EVENT_END;
      parser->state = STATE_ERROR;
      g_set_error (error, LAN_DIR_STREAM_ERROR, LAN_DIR_STREAM_ERROR_TRAILING,
                   _("%zu bytes or more after the end of the folder stream"), len);
      return LAN_DIR_EVENT_ERROR;

    case STATE_DATA:
      if (parser->remaining == 0)
        {
          parser->state = STATE_HEADER;
          return LAN_DIR_EVENT_FILE_END;
        }
      if (len == 0)
        return LAN_DIR_EVENT_NEED_MORE;
      used = (gsize) MIN ((guint64) len, parser->remaining);
      parser->remaining -= used;
      event = LAN_DIR_EVENT_DATA;
      break;

    case STATE_SKIP:
      used = (gsize) MIN ((guint64) len, parser->remaining);
      parser->remaining -= used;
      parser->offset += used;
      if (parser->remaining > 0)
        {
          *consumed = used;
          return LAN_DIR_EVENT_NEED_MORE;
        }
      /* NEED_MORE means every byte was used: go on with the next header. */
      parser->state = STATE_HEADER;
      event = feed_header (parser, data + used, len - used, consumed, error);
      parser->offset += *consumed;
      *consumed += used;
      return event;

    case STATE_HEADER:
    default:
      event = feed_header (parser, data, len, &used, error);
      break;
    }

  parser->offset += used;
  *consumed = used;
  return event;
}

/**
 * lan_dir_stream_append_header:
 *
 * Writes `hhhh:name:size:attr:extras…:`, with ':' in the name doubled as
 * the notes say (iptux does not double, so a name with ':' reads wrong
 * there either way). An extra must not hold ':'.
 */
gboolean
lan_dir_stream_append_header (GString            *out,
                              const char         *name,
                              guint64             size,
                              guint32             attr,
                              const char * const *extras)
{
  g_autoptr(GString) header = g_string_new ("0000:");
  char digits[5];

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == ':')
        g_string_append_c (header, ':');
      g_string_append_c (header, *p);
    }
  g_string_append_printf (header, ":%" G_GINT64_MODIFIER "x:%x:", size, attr);
  for (guint i = 0; extras != NULL && extras[i] != NULL; i++)
    {
      g_return_val_if_fail (strchr (extras[i], ':') == NULL, FALSE);
      if (extras[i][0] == '\0')
        continue;
      g_string_append (header, extras[i]);
      g_string_append_c (header, ':');
      if (header->len > LAN_DIR_STREAM_MAX_HEADER)
        return FALSE;
    }
  if (header->len > LAN_DIR_STREAM_MAX_HEADER)
    return FALSE;

  g_snprintf (digits, sizeof digits, "%04x", (guint) header->len);
  memcpy (header->str, digits, 4);
  g_string_append_len (out, header->str, (gssize) header->len);
  return TRUE;
}

/* lan-ipmsg-files.c — attachment records: `fileID:name:size:mtime:attr[:ext=val…]:\a`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-ipmsg-files"

#include "config.h"

#include <string.h>

#include "lan-ipmsg.h"
#include "lan-ipmsg-private.h"

#define FILE_RECORD_SEPARATOR '\a'

static char *
dup_span (const guint8 *data,
          LanIpmsgSpan  span)
{
  return g_strndup ((const char *) data + span.offset, span.length);
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

static const char *
record_problem_text (LanIpmsgRecordStatus status)
{
  switch (status)
    {
    case LAN_IPMSG_RECORD_NUL: return "NUL byte inside the record";
    case LAN_IPMSG_RECORD_NO_ID: return "no ':' after the file ID";
    case LAN_IPMSG_RECORD_BAD_ID: return "file ID is not a decimal number";
    case LAN_IPMSG_RECORD_NAME_UNENDED: return "the file name is not followed by ':'";
    case LAN_IPMSG_RECORD_EMPTY_NAME: return "empty file name";
    case LAN_IPMSG_RECORD_BAD_SIZE: return "size is not a hexadecimal number that fits 64 bits";
    case LAN_IPMSG_RECORD_BAD_MTIME: return "mtime is not a hexadecimal number that fits 64 bits";
    case LAN_IPMSG_RECORD_BAD_ATTR: return "attribute is not a hexadecimal number that fits 32 bits";
    case LAN_IPMSG_RECORD_MISSING_NUMBERS: return "missing size, mtime or attribute field";
    case LAN_IPMSG_RECORD_OK:
    default: return "unreadable";
    }
}

static LanIpmsgFile *
file_from_record (const guint8             *data,
                  const LanIpmsgFileRecord *record)
{
  LanIpmsgFile *file = g_new0 (LanIpmsgFile, 1);
  GString *name = g_string_sized_new (record->name.length + 1);
  GPtrArray *extras = g_ptr_array_new ();
  LanIpmsgSpan extra;
  guint32 pos = record->extras.offset;

  file->file_id = record->file_id;
  lan_ipmsg_scan_append_name (name, data, record->name);
  file->name = g_string_free (name, FALSE);
  file->size = record->values[LAN_IPMSG_RECORD_SIZE];
  file->mtime = record->values[LAN_IPMSG_RECORD_MTIME];
  file->attr = (guint32) record->values[LAN_IPMSG_RECORD_ATTR];
  /* Extended attributes are kept raw: their meaning is the file transfer's
   * business, and dropping them would lose information. */
  while (lan_ipmsg_scan_next_extra (data, record->extras, &pos, &extra))
    g_ptr_array_add (extras, dup_span (data, extra));
  g_ptr_array_add (extras, NULL);
  file->extras = (GStrv) g_ptr_array_free (extras, FALSE);

  return file;
}

/**
 * lan_ipmsg_parse_file_list:
 *
 * Returns: (transfer full) (nullable) (element-type LanIpmsgFile):
 */
GPtrArray *
lan_ipmsg_parse_file_list (const guint8  *data,
                           gsize          len,
                           GError       **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_file_free);
  LanIpmsgSpan list = { 0, (guint32) len };
  LanIpmsgFileRecord record;
  guint32 pos = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (len <= G_MAXUINT32, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    return g_steal_pointer (&files);

  while (lan_ipmsg_scan_next_file_record (data, list, &pos, &record))
    {
      if (record.status != LAN_IPMSG_RECORD_OK)
        {
          g_autofree char *quoted = lan_ipmsg_quote_bytes (data + record.record.offset, record.record.length);

          g_set_error (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_FILE_LIST,
                       "attachment record %u %s: %s", files->len + 1, quoted,
                       record_problem_text (record.status));
          return NULL;
        }
      g_ptr_array_add (files, file_from_record (data, &record));
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

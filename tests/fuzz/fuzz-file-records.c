/* fuzz-file-records.c — libFuzzer target for attachment records.
 *
 * What lan_ipmsg_parse_file_list() accepts, lan_ipmsg_append_file_record()
 * writes back so that it parses to the same files: a name with ':' or an
 * extra survives the trip, and no record bleeds into the next.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "lan-ipmsg.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree guint8 *copy = size > 0 ? g_memdup2 (data, size) : NULL;

  files = lan_ipmsg_parse_file_list (copy, size, &error);
  if (files == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_error_matches (error, LAN_IPMSG_ERROR, LAN_IPMSG_ERROR_BAD_FILE_LIST));
      return 0;
    }
  g_assert_null (error);

  for (guint i = 0; i < files->len; i++)
    {
      const LanIpmsgFile *file = g_ptr_array_index (files, i);

      g_assert_nonnull (file->name);
      g_assert_true (file->name[0] != '\0');
      g_assert_nonnull (file->extras);
      lan_ipmsg_append_file_record (out, file);
    }

  again = lan_ipmsg_parse_file_list ((const guint8 *) out->str, out->len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_true (again->len == files->len);
  for (guint i = 0; i < files->len; i++)
    {
      const LanIpmsgFile *a = g_ptr_array_index (files, i);
      const LanIpmsgFile *b = g_ptr_array_index (again, i);

      g_assert_true (a->file_id == b->file_id);
      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_true (a->size == b->size);
      g_assert_true (a->mtime == b->mtime);
      g_assert_true (a->attr == b->attr);
      g_assert_true (g_strv_equal ((const char * const *) a->extras, (const char * const *) b->extras));
    }
  return 0;
}

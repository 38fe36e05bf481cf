/* lan-cli-hash.c — sha256 of what `receive` saved, in a thread, read back
 * once the last byte is written (from the page cache: it was just written);
 * lan-cli-sha256.c makes that read-back take a fraction of the transfer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-cli-hash"

#include "config.h"

#include <glib/gi18n.h>

#include "lan-cli-hash.h"
#include "lan-cli-sha256.h"

#define HASH_BUFFER_BYTES (1024 * 1024)

void
lan_cli_hashed_free (LanCliHashed *hashed)
{
  g_free (hashed->path);
  g_free (hashed->type);
  g_free (hashed->sha256);
  g_free (hashed);
}

static LanCliHashed *
hash_file (GFile        *file,
           const char   *path,
           GCancellable *cancellable,
           GError      **error)
{
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  LanCliSha256 sum;
  g_autofree guint8 *buffer = NULL;
  LanCliHashed *hashed;
  guint64 size = 0;
  gssize n;

  if (in == NULL)
    return NULL;
  lan_cli_sha256_init (&sum, FALSE);
  buffer = g_malloc (HASH_BUFFER_BYTES);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, HASH_BUFFER_BYTES, cancellable, error)) > 0)
    {
      lan_cli_sha256_update (&sum, buffer, (gsize) n);
      size += (guint64) n;
    }
  hashed = g_new0 (LanCliHashed, 1);
  hashed->sha256 = lan_cli_sha256_finish (&sum);
  if (n < 0)
    {
      lan_cli_hashed_free (hashed);
      return NULL;
    }
  hashed->path = g_strdup (path);
  hashed->type = g_strdup ("file");
  hashed->size = size;
  return hashed;
}

static gboolean
hash_tree (GFile        *dir,
           const char   *prefix,
           GPtrArray    *out,
           GCancellable *cancellable,
           GError      **error)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, error);
  GFileInfo *info;
  GFile *child;

  if (children == NULL)
    return FALSE;
  while (g_file_enumerator_iterate (children, &info, &child, cancellable, error) && info != NULL)
    {
      g_autofree char *path = prefix != NULL ? g_build_filename (prefix, g_file_info_get_name (info), NULL)
                                             : g_strdup (g_file_info_get_name (info));
      GFileType type = g_file_info_get_file_type (info);
      LanCliHashed *hashed;

      if (type == G_FILE_TYPE_DIRECTORY)
        {
          if (!hash_tree (child, path, out, cancellable, error))
            return FALSE;
          continue;
        }
      if (type == G_FILE_TYPE_REGULAR)
        {
          hashed = hash_file (child, path, cancellable, error);
          if (hashed == NULL)
            return FALSE;
        }
      else
        {
          /* The engine never makes these; if one is there, the JSON says so. */
          hashed = g_new0 (LanCliHashed, 1);
          hashed->path = g_steal_pointer (&path);
          hashed->type = g_strdup (type == G_FILE_TYPE_SYMBOLIC_LINK ? "symlink" : "special");
        }
      g_ptr_array_add (out, hashed);
    }
  return error == NULL || *error == NULL;
}

static int
compare_hashed (gconstpointer a,
                gconstpointer b)
{
  const LanCliHashed *x = *(const LanCliHashed * const *) a;
  const LanCliHashed *y = *(const LanCliHashed * const *) b;

  return g_strcmp0 (x->path, y->path);
}

void
lan_cli_hash_job_free (LanCliHashJob *job)
{
  g_clear_object (&job->file);
  g_free (job);
}

void
lan_cli_hash_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  LanCliHashJob *job = task_data;
  GFile *file = job->file;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) lan_cli_hashed_free);
  GError *error = NULL;

  if (file == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", _("the transfer names no file"));
      return;
    }
  if (job->directory)
    {
      if (!hash_tree (file, NULL, out, cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_sort (out, compare_hashed);
    }
  else
    {
      LanCliHashed *hashed = hash_file (file, NULL, cancellable, &error);

      if (hashed == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      g_ptr_array_add (out, hashed);
    }
  g_task_return_pointer (task, g_steal_pointer (&out), (GDestroyNotify) g_ptr_array_unref);
}


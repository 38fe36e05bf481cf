/* lan-test-tmpdir.c — temporary directories for tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-tmpdir"

#include "config.h"

#include "lan-test-tmpdir.h"

#include <errno.h>
#include <glib/gstdio.h>

struct _LanTestTmpdir
{
  char *path;
};

LanTestTmpdir *
lan_test_tmpdir_new (const char *prefix)
{
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", prefix != NULL ? prefix : "lanchat-test");
  g_autoptr(GError) error = NULL;
  LanTestTmpdir *self = g_new0 (LanTestTmpdir, 1);

  self->path = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  return self;
}

const char *
lan_test_tmpdir_get_path (LanTestTmpdir *self)
{
  return self->path;
}

char *
lan_test_tmpdir_file (LanTestTmpdir *self,
                      const char    *name)
{
  return g_build_filename (self->path, name, NULL);
}

gboolean
lan_test_remove_tree (const char  *path,
                      GError     **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, error);
      const char *name;

      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (!lan_test_remove_tree (child, error))
            return FALSE;
        }
    }
  if (g_remove (path) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot remove %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

void
lan_test_tmpdir_free (LanTestTmpdir *self)
{
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;
  if (!lan_test_remove_tree (self->path, &error))
    g_warning ("Temporary directory left behind: %s", error->message);
  g_free (self->path);
  g_free (self);
}

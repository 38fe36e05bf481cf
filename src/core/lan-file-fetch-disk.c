/* lan-file-fetch-disk.c — where a fetch writes: the target file or folder
 * (a new one, or the .part of an earlier try), a file's resume check, and
 * the rename when complete. A folder stream's entries are
 * lan-file-fetch-folder.c's.
 *
 * Everything is opened relative to the download folder's descriptor or to
 * one of a folder this fetch (or the earlier try it resumes) created, with
 * O_NOFOLLOW, and created with O_EXCL: a name from the peer is one
 * component that lan_file_name_check() accepted, never a path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-fetch-disk"

/* renameat2() */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <gio/gunixoutputstream.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lan-bounds.h"
#include "lan-display-text.h"
#include "lan-file-fetch-private.h"
#include "lan-file-name.h"

static char *
shown (const char *name)
{
  return lan_display_text (name, LAN_DISPLAY_TEXT_ONE_LINE, 120);
}

void
lan_file_fetch_fail_errno (LanFileFetch *self,
                           const char   *what,
                           const char   *name,
                           int           saved_errno)
{
  g_autofree char *quoted = shown (name);

  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    lan_file_fetch_fail (self, _("The disk is full: could not %s “%s”"), what, quoted);
  else
    lan_file_fetch_fail (self, _("Could not %s “%s”: %s"), what, quoted, g_strerror (saved_errno));
}

void
lan_file_fetch_fail_write (LanFileFetch *self,
                           GError       *error)
{
  g_autofree char *quoted = shown (self->part_name);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    {
      if (self->request.is_directory)
        lan_file_fetch_fail (self, _("The disk is full: the partial folder “%s” is kept to resume"), quoted);
      else
        lan_file_fetch_fail (self, _("The disk is full: the partial file “%s” is kept to resume"), quoted);
    }
  else
    lan_file_fetch_fail (self, _("Could not write “%s”: %s"), quoted, error->message);
}

/* Moves "<final>.part" to "<final>", or to the next free "name (n)" when
 * something took that name meanwhile: never over an existing file. */
gboolean
lan_file_fetch_rename_into_place (LanFileFetch *self)
{
  for (guint tries = 0; tries < 8; tries++)
    {
      g_autoptr(GFile) other = NULL;
      g_autoptr(GError) error = NULL;
      int saved;

      if (renameat2 (self->folder_fd, self->part_name, self->folder_fd, self->final_name, RENAME_NOREPLACE) == 0)
        {
          g_autoptr(GFile) final = g_file_get_child (self->folder, self->final_name);

          lan_file_transfer_set_file (self->transfer, final);
          return TRUE;
        }
      saved = errno;
      /* A file system without RENAME_NOREPLACE: check, then rename. */
      if ((saved == EINVAL || saved == ENOSYS || saved == ENOTSUP) &&
          faccessat (self->folder_fd, self->final_name, F_OK, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT)
        {
          if (renameat (self->folder_fd, self->part_name, self->folder_fd, self->final_name) == 0)
            {
              g_autoptr(GFile) final = g_file_get_child (self->folder, self->final_name);

              lan_file_transfer_set_file (self->transfer, final);
              return TRUE;
            }
          saved = errno;
        }
      else if (saved == EINVAL || saved == ENOSYS || saved == ENOTSUP)
        saved = EEXIST;
      if (saved != EEXIST)
        {
          lan_file_fetch_fail_errno (self, _("rename"), self->part_name, saved);
          return FALSE;
        }
      other = lan_file_name_unique (self->folder, self->name, NULL, &error);
      if (other == NULL)
        {
          lan_file_fetch_fail (self, "%s", error->message);
          return FALSE;
        }
      g_free (self->final_name);
      self->final_name = g_file_get_basename (other);
    }
  lan_file_fetch_fail (self, _("Could not find a free name for “%s”"), self->name);
  return FALSE;
}

/* The first bytes of a resumed fetch repeat the .part's last ones: drop
 * them if they do. If not, the sender is not sending from where we asked
 * (iptux always starts at 0), or the file changed: start over from 0, once.
 * FALSE when it started over (or failed); otherwise *@n is what is left
 * to write of @data. */
gboolean
lan_file_fetch_check_resumed (LanFileFetch *self,
                              guint8       *data,
                              gssize       *n)
{
  gsize take = MIN ((gsize) *n, self->check_len - self->check_pos);

  if (take == 0)
    return TRUE;
  if (memcmp (data, self->check + self->check_pos, take) == 0)
    {
      self->check_pos += take;
      self->remaining -= take;
      memmove (data, data + take, (gsize) *n - take);
      *n -= (gssize) take;
      return TRUE;
    }
  g_debug ("the resumed bytes differ from the .part's end: fetching from the start");
  self->check_len = self->check_pos = 0;
  if (self->restarted || ftruncate (g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (self->out)), 0) != 0 ||
      lseek (g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (self->out)), 0, SEEK_SET) != 0)
    {
      lan_file_fetch_fail (self, "%s", _("The sender does not resume where the partial file ends"));
      return FALSE;
    }
  self->restarted = TRUE;
  g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
  lan_file_transfer_reset_done (self->transfer, 0);
  lan_file_fetch_request (self, 0);
  return FALSE;
}

/* Where the bytes go: the .part to resume, or a new one under a free name.
 * Returns the offset to ask for, or -1 after failing. */
gint64
lan_file_fetch_open_target (LanFileFetch *self,
                            const char   *resume)
{
  g_autofree char *path = g_file_get_path (self->folder);
  g_autoptr(GFile) unique = NULL;
  g_autoptr(GFile) final = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;
  int fd;

  self->folder_fd = path != NULL ? open (path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  if (self->folder_fd < 0)
    {
      lan_file_fetch_fail_errno (self, _("open the folder"), path != NULL ? path : "?", path != NULL ? errno : ENOENT);
      return -1;
    }
  if (resume != NULL && self->request.is_directory)
    {
      int reopened = lan_file_fetch_reopen_folder (self, resume);

      if (reopened != 0)
        return reopened > 0 ? 0 : -1;
      /* Gone: start afresh. */
    }
  else if (resume != NULL)
    {
      g_autofree char *stem = g_strndup (resume, strlen (resume) - MIN (strlen (resume), strlen (PART_SUFFIX)));

      fd = openat (self->folder_fd, resume, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
      if (fd >= 0 && (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)))
        {
          close (fd);
          fd = -1;
          errno = EINVAL;
        }
      if (fd >= 0)
        {
          guint64 offset = (guint64) st.st_size;

          /* A .part longer than the file is not this file's beginning. */
          if (offset > self->request.size)
            {
              if (ftruncate (fd, 0) != 0)
                {
                  int saved = errno;

                  close (fd);
                  lan_file_fetch_fail_errno (self, _("empty"), resume, saved);
                  return -1;
                }
              offset = 0;
            }
          self->check_len = (gsize) MIN (offset, LAN_FETCH_RESUME_CHECK_BYTES);
          if (self->check_len > 0 &&
              pread (fd, self->check, self->check_len, (off_t) (offset - self->check_len)) != (gssize) self->check_len)
            self->check_len = 0;
          lseek (fd, 0, SEEK_END);
          self->part_name = g_strdup (resume);
          self->final_name = g_steal_pointer (&stem);
          self->out = g_unix_output_stream_new (fd, TRUE);
          final = g_file_get_child (self->folder, self->final_name);
          lan_file_transfer_set_file (self->transfer, final);
          return (gint64) offset;
        }
      if (errno != ENOENT)
        {
          lan_file_fetch_fail_errno (self, _("open"), resume, errno);
          return -1;
        }
      /* Gone: start afresh. */
    }
  unique = lan_file_name_unique (self->folder, self->name, PART_SUFFIX, &error);
  if (unique == NULL)
    {
      lan_file_fetch_fail (self, "%s", error->message);
      return -1;
    }
  self->final_name = g_file_get_basename (unique);
  self->part_name = g_strconcat (self->final_name, PART_SUFFIX, NULL);
  if (self->request.is_directory)
    {
      if (mkdirat (self->folder_fd, self->part_name, 0700) != 0 ||
          (self->top_fd = openat (self->folder_fd, self->part_name,
                                  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        {
          lan_file_fetch_fail_errno (self, _("create the folder"), self->part_name, errno);
          return -1;
        }
    }
  else
    {
      fd = openat (self->folder_fd, self->part_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          lan_file_fetch_fail_errno (self, _("create"), self->part_name, errno);
          return -1;
        }
      self->out = g_unix_output_stream_new (fd, TRUE);
    }
  lan_file_transfer_set_file (self->transfer, unique);
  return 0;
}

/* lan-file-fetch-disk.c — what a fetch writes: the target file or folder,
 * the entries of a folder stream, the rename when complete, and removing a
 * folder that failed.
 *
 * Everything is opened relative to the download folder's descriptor or to
 * one of a folder this fetch created, with O_NOFOLLOW, and created with
 * O_EXCL (files) or in a folder that is new: a name from the peer is one
 * component that lan_file_name_check() accepted, never a path.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-fetch-disk"

/* renameat2() */
#define _GNU_SOURCE

#include "config.h"

#include <dirent.h>
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

typedef struct {
  int   folder_fd;
  char *name;
} Removal;

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
        lan_file_fetch_fail (self, "%s", _("The disk is full: the folder is incomplete"));
      else
        lan_file_fetch_fail (self, _("The disk is full: the partial file “%s” is kept to resume"), quoted);
    }
  else
    lan_file_fetch_fail (self, _("Could not write “%s”: %s"), quoted, error->message);
}

/* Removes @name (in @parent) and what is inside it, following no link: a
 * folder fetch that failed leaves nothing, as it can't be resumed. Its
 * depth is the folder stream's, which the parser bounds. */
static void
remove_tree (int         parent,
             const char *name)
{
  int fd = openat (parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  gboolean removed_some = TRUE;
  DIR *dir;

  if (fd < 0)
    {
      unlinkat (parent, name, 0);
      return;
    }
  dir = fdopendir (fd);
  if (dir == NULL)
    {
      close (fd);
      return;
    }
  /* Again until a pass finds nothing: entries removed while reading may hide others. */
  while (removed_some)
    {
      struct dirent *child;

      removed_some = FALSE;
      rewinddir (dir);
      while ((child = readdir (dir)) != NULL)
        {
          struct stat st;

          if (strcmp (child->d_name, ".") == 0 || strcmp (child->d_name, "..") == 0)
            continue;
          if (fstatat (dirfd (dir), child->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue;
          if (S_ISDIR (st.st_mode))
            remove_tree (dirfd (dir), child->d_name);
          else
            unlinkat (dirfd (dir), child->d_name, 0);
          removed_some = TRUE;
        }
    }
  closedir (dir);
  unlinkat (parent, name, AT_REMOVEDIR);
}

static void
removal_free (Removal *removal)
{
  close (removal->folder_fd);
  g_free (removal->name);
  g_free (removal);
}

static void
remove_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Removal *removal = task_data;

  remove_tree (removal->folder_fd, removal->name);
  g_task_return_boolean (task, TRUE);
}

static void
removed (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  LanFileFetch *self = LAN_FILE_FETCH (source);
  char *error = user_data;

  lan_file_fetch_tell (self, self->ended, error);
  g_free (error);
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

static int
current_dir (LanFileFetch *self)
{
  return self->dirs->len > 0 ? g_array_index (self->dirs, int, self->dirs->len - 1) : self->top_fd;
}

/* The entry's name in UTF-8, if it may be created; otherwise the fetch fails. */
static char *
entry_name (LanFileFetch      *self,
            const LanDirEntry *entry)
{
  g_autofree char *name = lan_dialect_decode (&self->request.dialect, self->command, LAN_DIALECT_PEER_TEXT,
                                              (const guint8 *) entry->name, strlen (entry->name), NULL, NULL);
  g_autoptr(GError) error = NULL;

  if (!lan_file_name_check (name, &error))
    {
      lan_file_fetch_fail (self, _("Refused an entry of the folder: %s"), error->message);
      return NULL;
    }
  return g_steal_pointer (&name);
}

static gboolean
enter_dir (LanFileFetch      *self,
           const LanDirEntry *entry)
{
  g_autofree char *name = NULL;
  int fd;

  if (entry->depth <= 1)
    return TRUE;  /* the top: ours already, under the name the user chose */
  name = entry_name (self, entry);
  if (name == NULL)
    return FALSE;
  if (mkdirat (current_dir (self), name, 0700) != 0 && errno != EEXIST)
    {
      lan_file_fetch_fail_errno (self, _("create the folder"), name, errno);
      return FALSE;
    }
  fd = openat (current_dir (self), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      lan_file_fetch_fail_errno (self, _("open the folder"), name, errno);
      return FALSE;
    }
  g_array_append_val (self->dirs, fd);
  return TRUE;
}

static gboolean
start_file (LanFileFetch      *self,
            const LanDirEntry *entry)
{
  g_autofree char *name = NULL;
  int fd;

  if (entry->depth <= 1)
    {
      lan_file_fetch_fail (self, _("The sender sent a file where the folder should begin"));
      return FALSE;
    }
  name = entry_name (self, entry);
  if (name == NULL)
    return FALSE;
  /* O_EXCL: the folder is new, so a name that exists came twice in the stream. */
  fd = openat (current_dir (self), name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      lan_file_fetch_fail_errno (self, _("create"), name, errno);
      return FALSE;
    }
  self->out = g_unix_output_stream_new (fd, TRUE);
  self->announced += entry->size;
  lan_file_transfer_set_size (self->transfer, self->announced);
  return TRUE;
}

static void
stream_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LanFileFetch) self = user_data;
  g_autoptr(GError) error = NULL;

  lan_file_fetch_write_ended (self);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!self->finished)
        lan_file_fetch_fail_write (self, error);
      return;
    }
  if (self->finished)
    return;
  self->moved += self->pending;
  self->pos += self->pending;
  lan_file_transfer_add_done (self->transfer, self->pending, g_get_monotonic_time ());
  lan_file_fetch_process_stream (self);
}

/* Hands the buffered bytes to the parser and acts on what it says, until it
 * wants more (read), has data (write, then come back here) or is done. */
void
lan_file_fetch_process_stream (LanFileFetch *self)
{
  while (!self->finished)
    {
      g_autoptr(GError) error = NULL;
      gsize consumed = 0;
      LanDirEvent event = lan_dir_stream_parser_feed (self->parser, self->buffer + self->pos,
                                                      self->buffered - self->pos, &consumed, &error);
      const LanDirEntry *entry = lan_dir_stream_parser_get_entry (self->parser);

      switch (event)
        {
        case LAN_DIR_EVENT_NEED_MORE:
          lan_file_fetch_read_more (self, self->request.stall_ms, WHY_STALL);
          return;
        case LAN_DIR_EVENT_DATA:
          self->pending = consumed;
          self->writes++;
          g_output_stream_write_all_async (self->out, self->buffer + self->pos, consumed, G_PRIORITY_DEFAULT,
                                           self->cancellable, stream_written, g_object_ref (self));
          return;
        case LAN_DIR_EVENT_ENTER:
          if (!enter_dir (self, entry))
            return;
          break;
        case LAN_DIR_EVENT_FILE:
          if (!start_file (self, entry))
            return;
          break;
        case LAN_DIR_EVENT_FILE_END:
          if (self->out != NULL && !g_output_stream_close (self->out, NULL, &error))
            {
              lan_file_fetch_fail_write (self, error);
              return;
            }
          g_clear_object (&self->out);
          lan_file_transfer_add_file_done (self->transfer);
          break;
        case LAN_DIR_EVENT_LEAVE:
          if (self->dirs->len > 0)
            {
              close (g_array_index (self->dirs, int, self->dirs->len - 1));
              g_array_set_size (self->dirs, self->dirs->len - 1);
            }
          break;
        case LAN_DIR_EVENT_OTHER:
          break;
        case LAN_DIR_EVENT_END:
          self->stream_ended = TRUE;
          if (self->pos + consumed < self->buffered)
            lan_file_fetch_fail (self, _("The sender sent more after the folder's end"));
          else
            lan_file_fetch_read_more (self, LAN_FETCH_CLOSE_GRACE_MS, WHY_GRACE);
          return;
        case LAN_DIR_EVENT_ERROR:
        default:
          lan_file_fetch_fail (self, _("The folder stream is unreadable: %s"), error != NULL ? error->message : "?");
          return;
        }
      self->pos += consumed;
    }
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
  if (resume != NULL && !self->request.is_directory)
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

/* Removes the folder's "<name>.part" off the main loop; the transfer is
 * told how it ended (@error) once it is gone. */
void
lan_file_fetch_remove_partial (LanFileFetch *self,
                               const char   *error)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, removed, g_strdup (error));
  Removal *removal = g_new0 (Removal, 1);

  removal->folder_fd = self->folder_fd;
  removal->name = g_strdup (self->part_name);
  self->folder_fd = -1;
  g_task_set_task_data (task, removal, (GDestroyNotify) removal_free);
  g_task_run_in_thread (task, remove_in_thread);
}

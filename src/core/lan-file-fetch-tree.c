/* lan-file-fetch-tree.c — a folder fetch's "<name>.part" on disk, off the
 * main loop: removed whole (a stream we refused), or pruned to what a
 * resumed stream named (lan-file-fetch-folder.c notes the names). Nothing
 * here follows a link.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-fetch-folder"

#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lan-file-fetch-private.h"

typedef struct {
  int   folder_fd;
  char *name;
} Removal;

/* Removes @name (in @parent) and what is inside it, following no link: a
 * folder whose stream was refused leaves nothing. Its depth is the folder
 * stream's, which the parser bounds. */
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


/* A resumed pass: @name, in the folder being filled, is the sender's (see
 * lan_file_fetch_prune_unlisted()), noted by lan-file-fetch-folder.c. Kept as a 64-bit FNV-1a of the
 * folder's inode and the name (the names inside our own .part, which
 * nobody else writes to): 8 bytes an entry, 8 MB at the parser's
 * LAN_DIR_STREAM_MAX_ENTRIES. Two that collide keep an entry the sender
 * no longer sends; they never remove one it sends. 0: not known. */
guint64
lan_file_fetch_listed_key (int         dir_fd,
                           const char *name)
{
  struct stat st;
  guint64 hash = G_GUINT64_CONSTANT (14695981039346656037);
  guint64 ino;

  if (fstat (dir_fd, &st) != 0)
    return 0;
  ino = (guint64) st.st_ino;
  for (guint i = 0; i < sizeof ino; i++)
    hash = (hash ^ ((ino >> (8 * i)) & 0xff)) * G_GUINT64_CONSTANT (1099511628211);
  hash = (hash ^ '/') * G_GUINT64_CONSTANT (1099511628211);
  for (const char *c = name; *c != '\0'; c++)
    hash = (hash ^ (guint8) *c) * G_GUINT64_CONSTANT (1099511628211);
  return hash != 0 ? hash : 1;
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

typedef struct {
  int     top_fd;
  GArray *listed;   /* of guint64, sorted */
  guint   removed;
} Prune;

static void
prune_free (Prune *prune)
{
  if (prune->top_fd >= 0)
    close (prune->top_fd);
  g_array_unref (prune->listed);
  g_free (prune);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return x < y ? -1 : x > y;
}

static gboolean
was_listed (Prune   *prune,
            guint64  key)
{
  return key == 0 || bsearch (&key, prune->listed->data, prune->listed->len, sizeof key, compare_keys) != NULL;
}

/* Removes what @dir_fd holds that the stream did not name, and goes into
 * the folders it did (as deep as the stream went: the parser bounds it).
 * Takes @dir_fd. */
static void
prune_dir (Prune *prune,
           int    dir_fd)
{
  DIR *dir = fdopendir (dir_fd);
  g_autoptr(GPtrArray) unlisted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  struct dirent *child;

  if (dir == NULL)
    {
      close (dir_fd);
      return;
    }
  while ((child = readdir (dir)) != NULL)
    {
      struct stat st;

      if (strcmp (child->d_name, ".") == 0 || strcmp (child->d_name, "..") == 0)
        continue;
      if (!was_listed (prune, lan_file_fetch_listed_key (dirfd (dir), child->d_name)))
        g_ptr_array_add (unlisted, g_strdup (child->d_name));
      else if (fstatat (dirfd (dir), child->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR (st.st_mode))
        g_ptr_array_add (folders, g_strdup (child->d_name));
    }
  /* Not while reading: a removal may hide entries from readdir(). */
  for (guint i = 0; i < unlisted->len; i++, prune->removed++)
    remove_tree (dirfd (dir), g_ptr_array_index (unlisted, i));
  for (guint i = 0; i < folders->len; i++)
    {
      int fd = openat (dirfd (dir), g_ptr_array_index (folders, i), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

      if (fd >= 0)
        prune_dir (prune, fd);
    }
  closedir (dir);
}

static void
prune_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Prune *prune = task_data;

  g_array_sort (prune->listed, compare_keys);
  prune_dir (prune, prune->top_fd);  /* which takes it */
  prune->top_fd = -1;
  g_task_return_boolean (task, TRUE);
}

static void
pruned (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  LanFileFetch *self = LAN_FILE_FETCH (source);
  Prune *prune = g_task_get_task_data (G_TASK (result));

  if (prune->removed > 0)
    g_debug ("removed %u entries of the partial folder that the sender no longer sends", prune->removed);
  if (!self->finished)
    lan_file_fetch_complete (self);
}

/* A resumed folder's stream ended: what its .part holds that this pass's
 * stream did not name goes (off the main loop), then the fetch completes.
 * FALSE when there is nothing to do (not a resumed pass). */
gboolean
lan_file_fetch_prune_unlisted (LanFileFetch *self)
{
  g_autoptr(GTask) task = NULL;
  Prune *prune;
  int fd;

  if (self->listed == NULL || self->top_fd < 0)
    return FALSE;
  fd = dup (self->top_fd);
  if (fd < 0)
    return FALSE;
  prune = g_new0 (Prune, 1);
  prune->top_fd = fd;
  prune->listed = g_steal_pointer (&self->listed);
  task = g_task_new (self, NULL, pruned, NULL);
  g_task_set_task_data (task, prune, (GDestroyNotify) prune_free);
  g_task_run_in_thread (task, prune_in_thread);
  return TRUE;
}

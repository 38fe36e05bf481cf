/* lan-file-fetch-folder.c — a folder stream (GETDIRFILES) written into the
 * folder's "<name>.part", and resumed there.
 *
 * GETDIRFILES has no offset: a retry asks for the whole stream again. A
 * folder that broke is kept as its .part (as a file's .part is), and the
 * next try walks the stream against it: a file already there (same path in
 * our own .part folder, which nobody else writes to) is read past in the
 * stream, not written again, once its last LAN_FETCH_RESUME_CHECK_BYTES
 * matched what is on disk; the one that was in progress goes on from its
 * end after the same check. A file whose check fails is emptied and the
 * folder asked for once more (it is fetched whole that time); a second
 * mismatch fails the fetch. Only a stream we refused (a bad name, a climb,
 * an unreadable header, bytes after the end) removes the partial folder:
 * asking again would get the same refused stream.
 *
 * What the .part holds that a resumed stream did not name (the sender
 * removed it since the earlier try) is removed before the folder is
 * renamed into place, so the folder saved is the one sent: each entry
 * named is noted here, the walks are lan-file-fetch-tree.c's.
 *
 * A name that comes twice in one stream is refused on the first try
 * (O_EXCL); on a resumed one it is checked against the first copy like a
 * file of the earlier try, so it can only end up as one file inside our
 * .part, never anywhere else.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-fetch-folder"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lan-bounds.h"
#include "lan-dialect.h"
#include "lan-file-fetch-private.h"
#include "lan-file-name.h"
#include "lan-file-write.h"

/* Opens the .part folder an earlier try left (@resume) to go on in it.
 * 1: resumed; 0: it is gone (start afresh); -1: failed (something else
 * is there, e.g. a link: not followed). */
int
lan_file_fetch_reopen_folder (LanFileFetch *self,
                              const char   *resume)
{
  gsize stem = strlen (resume) - MIN (strlen (resume), strlen (PART_SUFFIX));
  g_autoptr(GFile) final = NULL;

  self->top_fd = openat (self->folder_fd, resume, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (self->top_fd < 0)
    {
      if (errno == ENOENT)
        return 0;
      lan_file_fetch_fail_errno (self, _("open the folder"), resume, errno);
      return -1;
    }
  self->resuming = TRUE;
  self->part_name = g_strdup (resume);
  self->final_name = g_strndup (resume, stem);
  final = g_file_get_child (self->folder, self->final_name);
  lan_file_transfer_set_file (self->transfer, final);
  return 1;
}

static int
current_dir (LanFileFetch *self)
{
  return self->dirs->len > 0 ? g_array_index (self->dirs, int, self->dirs->len - 1) : self->top_fd;
}

static void
note_listed (LanFileFetch *self,
             const char   *name)
{
  guint64 key;

  if (self->listed != NULL && (key = lan_file_fetch_listed_key (current_dir (self), name)) != 0)
    g_array_append_val (self->listed, key);
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
      self->discard = TRUE;
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
  note_listed (self, name);
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

/* A file an earlier try left in the .part (@fd): how much of it is there
 * and its last bytes, which the stream must repeat before it goes on. */
static gboolean
known_part (LanFileFetch *self,
            int           fd,
            guint64       size,
            const char   *name)
{
  struct stat st;

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      lan_file_fetch_fail_errno (self, _("create"), name, EEXIST);
      return FALSE;
    }
  self->have = (guint64) st.st_size;
  /* Longer than the file: not this file's beginning. */
  if (self->have > size)
    {
      if (ftruncate (fd, 0) != 0)
        {
          lan_file_fetch_fail_errno (self, _("empty"), name, errno);
          return FALSE;
        }
      self->have = 0;
    }
  self->check_len = (gsize) MIN (self->have, LAN_FETCH_RESUME_CHECK_BYTES);
  if ((self->check_len > 0 &&
       pread (fd, self->check, self->check_len, (off_t) (self->have - self->check_len)) != (gssize) self->check_len) ||
      lseek (fd, 0, SEEK_END) < 0)
    {
      lan_file_fetch_fail_errno (self, _("read"), name, errno != 0 ? errno : EIO);
      return FALSE;
    }
  return TRUE;
}

static gboolean
start_file (LanFileFetch      *self,
            const LanDirEntry *entry)
{
  g_autofree char *name = NULL;
  int fd = -1;

  if (entry->depth <= 1)
    {
      self->discard = TRUE;
      lan_file_fetch_fail (self, _("The sender sent a file where the folder should begin"));
      return FALSE;
    }
  name = entry_name (self, entry);
  if (name == NULL)
    return FALSE;
  note_listed (self, name);
  self->have = self->file_pos = 0;
  self->check_len = 0;
  if (self->resuming)
    {
      fd = openat (current_dir (self), name, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
      if (fd >= 0 && !known_part (self, fd, entry->size, name))
        {
          close (fd);
          return FALSE;
        }
      if (fd < 0 && errno != ENOENT)
        {
          lan_file_fetch_fail_errno (self, _("open"), name, errno);
          return FALSE;
        }
    }
  /* O_EXCL: in a new folder, a name that exists came twice in the stream. */
  if (fd < 0)
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

/* The current file's bytes on disk are not the sender's: emptied, and the
 * whole folder asked for again, once; after that the fetch fails (the
 * file stays empty, so a retry writes it afresh). */
static void
start_over (LanFileFetch *self)
{
  int fd = g_unix_output_stream_get_fd (G_UNIX_OUTPUT_STREAM (self->out));

  g_debug ("a file of the partial folder differs from the sender's: asking for the folder again");
  if (ftruncate (fd, 0) != 0)
    {
      lan_file_fetch_fail_errno (self, _("empty a file in"), self->part_name, errno);
      return;
    }
  if (self->restarted)
    {
      lan_file_fetch_fail (self, "%s", _("The sender's files differ from the partial folder's each time: "
                                         "they change while they are sent"));
      return;
    }
  self->restarted = TRUE;
  g_output_stream_close (self->out, NULL, NULL);
  g_clear_object (&self->out);
  for (guint i = 0; i < self->dirs->len; i++)
    close (g_array_index (self->dirs, int, i));
  g_array_set_size (self->dirs, 0);
  g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
  self->announced = 0;
  self->files_ended = 0;
  self->buffered = self->pos = 0;
  lan_file_transfer_reset_done (self->transfer, 0);
  lan_file_transfer_set_size (self->transfer, 0);
  lan_file_fetch_request (self, 0);
}

/* Of the @len bytes of the current file's data at @data, those that the
 * file on disk already has: read past, the last LAN_FETCH_RESUME_CHECK_BYTES
 * of them compared first. How many they are, or -1 when they differ (the
 * fetch starts over or fails). */
static gssize
take_known (LanFileFetch *self,
            const guint8 *data,
            gsize         len)
{
  guint64 check_from = self->have - self->check_len;
  gsize taken = 0;

  if (self->file_pos < check_from)
    taken = (gsize) MIN ((guint64) len, check_from - self->file_pos);
  if (taken < len && self->file_pos + taken < self->have)
    {
      gsize at = (gsize) (self->file_pos + taken - check_from);
      gsize n = (gsize) MIN ((guint64) (len - taken), self->have - (self->file_pos + taken));

      if (memcmp (data + taken, self->check + at, n) != 0)
        {
          start_over (self);
          return -1;
        }
      taken += n;
    }
  self->file_pos += taken;
  return (gssize) taken;
}

static void
stream_written (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LanFileFetch) self = user_data;

  if (!lan_file_fetch_write_done (self, source, result))
    return;
  self->moved += self->pending;
  self->pos += self->pending;
  lan_file_transfer_add_done (self->transfer, self->pending, g_get_monotonic_time ());
  lan_file_fetch_process_stream (self);
}

/* The current file's data: what the file already has is read past, the
 * rest written (then back to lan_file_fetch_process_stream). FALSE when it
 * waits for the write or the fetch started over or failed. */
static gboolean
take_data (LanFileFetch *self,
           gsize        *consumed)
{
  gssize known = take_known (self, self->buffer + self->pos, *consumed);

  if (known < 0)
    return FALSE;
  if (known > 0)
    {
      self->pos += (gsize) known;
      *consumed -= (gsize) known;
      lan_file_transfer_add_done (self->transfer, (guint64) known, g_get_monotonic_time ());
    }
  if (*consumed == 0)
    return TRUE;
  self->file_pos += *consumed;
  self->pending = *consumed;
  self->writes++;
  lan_file_write_async (self->out, self->buffer + self->pos, *consumed, &self->pace, self->cancellable,
                        stream_written, g_object_ref (self));
  return FALSE;
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
          if (!take_data (self, &consumed))
            return;
          break;
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
          /* A pass after a restart ends some files again: they count once. */
          if (++self->files_ended > self->files_told)
            {
              self->files_told++;
              lan_file_transfer_add_file_done (self->transfer);
            }
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
            {
              self->discard = TRUE;
              lan_file_fetch_fail (self, _("The sender sent more after the folder's end"));
            }
          else
            lan_file_fetch_read_more (self, LAN_FETCH_CLOSE_GRACE_MS, WHY_GRACE);
          return;
        case LAN_DIR_EVENT_ERROR:
        default:
          self->discard = TRUE;
          lan_file_fetch_fail (self, _("The folder stream is unreadable: %s"), error != NULL ? error->message : "?");
          return;
        }
      self->pos += consumed;
    }
}

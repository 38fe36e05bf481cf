/* lan-file-fetch.c — one offered file or folder, fetched over TCP.
 *
 * Reads and writes alternate: one buffer (LAN_FETCH_BUFFER_BYTES) is read
 * from the connection, then written to disk (a GUnixOutputStream on a
 * regular file writes from GIO's pool, off the main loop), then the next is
 * read. Files and folders are created with openat()/mkdirat() relative to
 * the download folder or a folder this fetch made itself, with O_EXCL and
 * O_NOFOLLOW, so nothing a peer names can land outside it or through a link.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-file-fetch"

/* renameat2() */
#define _GNU_SOURCE

#include "config.h"

#include "lan-file-fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <gio/gunixoutputstream.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lan-bounds.h"
#include "lan-dir-stream.h"
#include "lan-display-text.h"
#include "lan-file-name.h"

#define PART_SUFFIX ".part"

typedef enum {
  WHY_NONE,
  WHY_STALL,    /* the sender sent nothing for stall_ms */
  WHY_CONNECT,  /* the connect took longer than connect_timeout_ms */
  WHY_GRACE,    /* every byte arrived and the sender kept the connection open */
  WHY_CANCEL,   /* lan_file_fetch_cancel() */
} Why;

struct _LanFileFetch
{
  GObject              parent_instance;

  LanWire             *wire;
  LanFileFetchRequest  request;
  LanFileTransfer     *transfer;
  GFile               *folder;
  char                *name;          /* what the user saves it as */
  char                *final_name;    /* name, or "name (1)" …: where it goes when complete */
  char                *part_name;     /* final_name + ".part" */
  LanFileFetchDone     done;
  gpointer             done_data;

  GCancellable        *cancellable;
  GSocketConnection   *connection;
  LanEndpoint          local;
  LanEndpoint          remote;
  GBytes              *packet;        /* the request */
  guint32              command;       /* its command: its UTF8OPT says how a folder's names come */
  guint8              *buffer;
  gsize                buffered;      /* bytes in buffer */
  gsize                pos;           /* of them, how far handled */
  gsize                pending;       /* bytes being written */
  GSource             *timer;
  Why                  timer_why;
  Why                  why;

  int                  folder_fd;     /* the download folder */
  int                  top_fd;        /* a folder fetch's own "<name>.part" */
  GArray              *dirs;          /* fds of the sub-folders entered, outermost first */
  GOutputStream       *out;           /* the file being written */
  guint64              remaining;     /* a file: announced bytes still to come */
  guint64              announced;     /* a folder: bytes its headers announced so far */
  LanDirStreamParser  *parser;
  gint64               started_us;
  guint64              moved;         /* bytes of data written by this fetch */
  gboolean             stream_ended;  /* a folder's: only the connection's end may follow */
  gboolean             finished;
};

G_DEFINE_FINAL_TYPE (LanFileFetch, lan_file_fetch, G_TYPE_OBJECT)

static void read_more (LanFileFetch *self, guint timeout_ms, Why why);
static void process_stream (LanFileFetch *self);

static void
close_fd (int *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

static void
close_dirs (LanFileFetch *self)
{
  for (guint i = 0; self->dirs != NULL && i < self->dirs->len; i++)
    close (g_array_index (self->dirs, int, i));
  if (self->dirs != NULL)
    g_array_set_size (self->dirs, 0);
  close_fd (&self->top_fd);
}

static void
clear_timer (LanFileFetch *self)
{
  if (self->timer != NULL)
    g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

static gboolean
timer_fired (gpointer user_data)
{
  LanFileFetch *self = user_data;

  self->why = self->timer_why;
  g_clear_pointer (&self->timer, g_source_unref);
  g_cancellable_cancel (self->cancellable);
  return G_SOURCE_REMOVE;
}

static void
arm_timer (LanFileFetch *self,
           guint         timeout_ms,
           Why           why)
{
  clear_timer (self);
  self->timer_why = why;
  self->timer = g_timeout_source_new (timeout_ms);
  g_source_set_callback (self->timer, timer_fired, self, NULL);
  g_source_attach (self->timer, g_main_context_get_thread_default ());
}

static void
log_summary (LanFileFetch *self)
{
  LanTransferState state = lan_file_transfer_get_state (self->transfer);
  const char *error = lan_file_transfer_get_error (self->transfer);
  double seconds = (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC;
  g_autofree char *detail = NULL;
  LanDatagram datagram = {
    .time_us = g_get_real_time (),
    .direction = LAN_DIRECTION_IN,
    .flags = LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER,
    .local = self->local,
    .remote = self->remote,
  };

  if (self->packet != NULL)
    datagram.data = g_bytes_get_data (self->packet, &datagram.len);
  detail = g_strdup_printf (_("%" G_GUINT64_FORMAT " bytes in %.2f s: %s%s%s"), self->moved, seconds,
                            lan_transfer_state_to_string (state), error != NULL ? ": " : "",
                            error != NULL ? error : "");
  lan_packet_log_append (lan_wire_get_log (self->wire), &datagram,
                         state == LAN_TRANSFER_DONE ? LAN_VERDICT_OK : LAN_VERDICT_REJECTED, detail);
}

/* The end, once: everything closed, the transfer told, the owner called. */
static void
finish (LanFileFetch     *self,
        LanTransferState  state,
        const char       *error)
{
  g_autoptr(LanFileFetch) hold = g_object_ref (self);

  if (self->finished)
    return;
  self->finished = TRUE;
  clear_timer (self);
  g_cancellable_cancel (self->cancellable);
  if (self->out != NULL)
    g_output_stream_close (self->out, NULL, NULL);
  g_clear_object (&self->out);
  close_dirs (self);
  close_fd (&self->folder_fd);
  if (self->connection != NULL)
    g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->buffer, g_free);
  g_clear_pointer (&self->parser, lan_dir_stream_parser_free);
  lan_file_transfer_set_state (self->transfer, state, error);
  log_summary (self);
  if (self->done != NULL)
    self->done (self, self->done_data);
}

static void
fail (LanFileFetch *self,
      const char   *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
fail (LanFileFetch *self,
      const char   *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  finish (self, LAN_TRANSFER_FAILED, message);
}

static char *
shown (const char *name)
{
  return lan_display_text (name, LAN_DISPLAY_TEXT_ONE_LINE, 120);
}

static void
fail_errno (LanFileFetch *self,
            const char   *what,
            const char   *name,
            int           saved_errno)
{
  g_autofree char *quoted = shown (name);

  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    fail (self, _("The disk is full: could not %s “%s”"), what, quoted);
  else
    fail (self, _("Could not %s “%s”: %s"), what, quoted, g_strerror (saved_errno));
}

static void
fail_write (LanFileFetch *self,
            GError       *error)
{
  g_autofree char *quoted = shown (self->part_name);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    fail (self, self->request.is_directory
                ? _("The disk is full: the folder is incomplete")
                : _("The disk is full: the partial file “%s” is kept to resume"), quoted);
  else
    fail (self, _("Could not write “%s”: %s"), quoted, error->message);
}

/* Moves "<final>.part" to "<final>", or to the next free "name (n)" when
 * something took that name meanwhile: never over an existing file. */
static gboolean
rename_into_place (LanFileFetch *self)
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
          fail_errno (self, _("rename"), self->part_name, saved);
          return FALSE;
        }
      other = lan_file_name_unique (self->folder, self->name, NULL, &error);
      if (other == NULL)
        {
          fail (self, "%s", error->message);
          return FALSE;
        }
      g_free (self->final_name);
      self->final_name = g_file_get_basename (other);
    }
  fail (self, _("Could not find a free name for “%s”"), self->name);
  return FALSE;
}

static void
complete (LanFileFetch *self)
{
  g_autoptr(GError) error = NULL;

  clear_timer (self);
  if (self->out != NULL && !g_output_stream_close (self->out, NULL, &error))
    {
      fail_write (self, error);
      return;
    }
  g_clear_object (&self->out);
  close_dirs (self);
  if (rename_into_place (self))
    finish (self, LAN_TRANSFER_DONE, NULL);
}

/* A read ended in an error: which of ours, or the connection's. */
static void
fail_read (LanFileFetch *self,
           GError       *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->why == WHY_STALL)
    fail (self, _("The sender stopped sending (nothing for %u s)"), (self->request.stall_ms + 999) / 1000);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->why == WHY_GRACE)
    complete (self);
  else
    fail (self, _("The connection broke: %s"), error->message);
}

static void
file_written (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LanFileFetch) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!self->finished)
        fail_write (self, error);
      return;
    }
  if (self->finished)
    return;
  self->moved += self->buffered;
  self->remaining -= self->buffered;
  lan_file_transfer_add_done (self->transfer, self->buffered, g_get_monotonic_time ());
  if (self->remaining == 0)
    read_more (self, LAN_FETCH_CLOSE_GRACE_MS, WHY_GRACE);
  else
    read_more (self, self->request.stall_ms, WHY_STALL);
}

static void
file_bytes (LanFileFetch *self)
{
  if (self->buffered == 0 && self->remaining == 0)
    complete (self);
  else if (self->buffered == 0)
    fail (self, _("The sender closed the connection after %" G_GUINT64_FORMAT " of the %" G_GUINT64_FORMAT
                  " bytes it announced; the partial file is kept to resume"),
          self->request.size - self->remaining, self->request.size);
  else if (self->buffered > self->remaining)
    fail (self, _("The sender sent more than the %" G_GUINT64_FORMAT " bytes it announced"), self->request.size);
  else
    g_output_stream_write_all_async (self->out, self->buffer, self->buffered, G_PRIORITY_DEFAULT,
                                     self->cancellable, file_written, g_object_ref (self));
}

static void
bytes_read (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(LanFileFetch) self = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (self->finished)
    return;
  clear_timer (self);
  if (n < 0)
    {
      fail_read (self, error);
      return;
    }
  self->buffered = (gsize) n;
  self->pos = 0;
  if (!self->request.is_directory)
    file_bytes (self);
  else if (self->stream_ended && n == 0)
    complete (self);
  else if (self->stream_ended)
    fail (self, _("The sender sent more after the folder's end"));
  else if (n == 0)
    fail (self, _("The sender closed the connection before the folder's end"));
  else
    process_stream (self);
}

static void
read_more (LanFileFetch *self,
           guint         timeout_ms,
           Why           why)
{
  arm_timer (self, timeout_ms, why);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (self->connection)),
                             self->buffer, LAN_FETCH_BUFFER_BYTES, G_PRIORITY_DEFAULT,
                             self->cancellable, bytes_read, g_object_ref (self));
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
      fail (self, _("Refused an entry of the folder: %s"), error->message);
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
      fail_errno (self, _("create the folder"), name, errno);
      return FALSE;
    }
  fd = openat (current_dir (self), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      fail_errno (self, _("open the folder"), name, errno);
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
      fail (self, _("The sender sent a file where the folder should begin"));
      return FALSE;
    }
  name = entry_name (self, entry);
  if (name == NULL)
    return FALSE;
  /* O_EXCL: the folder is new, so a name that exists came twice in the stream. */
  fd = openat (current_dir (self), name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      fail_errno (self, _("create"), name, errno);
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

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!self->finished)
        fail_write (self, error);
      return;
    }
  if (self->finished)
    return;
  self->moved += self->pending;
  self->pos += self->pending;
  lan_file_transfer_add_done (self->transfer, self->pending, g_get_monotonic_time ());
  process_stream (self);
}

/* Hands the buffered bytes to the parser and acts on what it says, until it
 * wants more (read), has data (write, then come back here) or is done. */
static void
process_stream (LanFileFetch *self)
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
          read_more (self, self->request.stall_ms, WHY_STALL);
          return;
        case LAN_DIR_EVENT_DATA:
          self->pending = consumed;
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
              fail_write (self, error);
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
            fail (self, _("The sender sent more after the folder's end"));
          else
            read_more (self, LAN_FETCH_CLOSE_GRACE_MS, WHY_GRACE);
          return;
        case LAN_DIR_EVENT_ERROR:
        default:
          fail (self, _("The folder stream is unreadable: %s"), error != NULL ? error->message : "?");
          return;
        }
      self->pos += consumed;
    }
}

static void
request_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(LanFileFetch) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!self->finished)
        fail_read (self, error);
      return;
    }
  if (self->finished)
    return;
  self->buffer = g_malloc (LAN_FETCH_BUFFER_BYTES);
  if (!self->request.is_directory && self->remaining == 0)
    read_more (self, LAN_FETCH_CLOSE_GRACE_MS, WHY_GRACE);
  else
    read_more (self, self->request.stall_ms, WHY_STALL);
}

static LanEndpoint
endpoint_of (GSocketAddress *address)
{
  LanEndpoint endpoint = { 0, 0 };
  guint32 be = 0;

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return endpoint;
  memcpy (&be, g_inet_address_to_bytes (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address))), 4);
  endpoint.address = GUINT32_FROM_BE (be);
  endpoint.port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  return endpoint;
}

static GSocketAddress *
address_of (LanEndpoint endpoint)
{
  guint32 be = GUINT32_TO_BE (endpoint.address);
  g_autoptr(GInetAddress) address = g_inet_address_new_from_bytes ((const guint8 *) &be, G_SOCKET_FAMILY_IPV4);

  return g_inet_socket_address_new (address, endpoint.port);
}

static void
connected (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LanFileFetch) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  GSocketConnection *connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  LanDatagram datagram = { .direction = LAN_DIRECTION_OUT, .flags = LAN_DATAGRAM_TCP };

  clear_timer (self);
  if (self->finished)
    {
      g_clear_object (&connection);
      return;
    }
  if (connection == NULL)
    {
      g_autofree char *to = lan_endpoint_to_string (self->remote);

      if (self->why == WHY_CONNECT)
        fail (self, _("The sender (%s) did not answer within %u s"), to, self->request.connect_timeout_ms / 1000);
      else
        fail (self, _("Could not connect to the sender (%s): %s"), to, error->message);
      return;
    }
  self->connection = connection;
  local = g_socket_connection_get_local_address (connection, NULL);
  if (local != NULL)
    self->local = endpoint_of (local);
  lan_file_transfer_set_state (self->transfer, LAN_TRANSFER_RUNNING, NULL);
  datagram.time_us = g_get_real_time ();
  datagram.local = self->local;
  datagram.remote = self->remote;
  datagram.data = g_bytes_get_data (self->packet, &datagram.len);
  lan_packet_log_append (lan_wire_get_log (self->wire), &datagram, LAN_VERDICT_OK, NULL);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                   datagram.data, datagram.len, G_PRIORITY_DEFAULT, self->cancellable,
                                   request_sent, g_object_ref (self));
}

/* Where the bytes go: the .part to resume, or a new one under a free name.
 * Returns the offset to ask for, or -1 after failing. */
static gint64
open_target (LanFileFetch *self,
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
      fail_errno (self, _("open the folder"), path != NULL ? path : "?", path != NULL ? errno : ENOENT);
      return -1;
    }
  if (resume != NULL && !self->request.is_directory)
    {
      g_autofree char *stem = g_strndup (resume, strlen (resume) - MIN (strlen (resume), strlen (PART_SUFFIX)));

      fd = openat (self->folder_fd, resume, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
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
          if (offset > self->request.size && ftruncate (fd, 0) == 0)
            offset = 0;
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
          fail_errno (self, _("open"), resume, errno);
          return -1;
        }
      /* Gone: start afresh. */
    }
  unique = lan_file_name_unique (self->folder, self->name, PART_SUFFIX, &error);
  if (unique == NULL)
    {
      fail (self, "%s", error->message);
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
          fail_errno (self, _("create the folder"), self->part_name, errno);
          return -1;
        }
    }
  else
    {
      fd = openat (self->folder_fd, self->part_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
      if (fd < 0)
        {
          fail_errno (self, _("create"), self->part_name, errno);
          return -1;
        }
      self->out = g_unix_output_stream_new (fd, TRUE);
    }
  lan_file_transfer_set_file (self->transfer, unique);
  return 0;
}

void
lan_file_fetch_start (LanFileFetch     *self,
                      LanFileFetchDone  done,
                      gpointer          user_data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) remote = address_of (self->remote);
  g_autofree char *extra = NULL;
  const char *resume = self->part_name;
  g_autofree char *resume_copy = g_strdup (resume);
  gint64 offset;

  g_return_if_fail (LAN_IS_FILE_FETCH (self));
  g_return_if_fail (self->started_us == 0);

  self->done = done;
  self->done_data = user_data;
  self->started_us = g_get_monotonic_time ();
  g_clear_pointer (&self->part_name, g_free);
  offset = open_target (self, resume_copy);
  if (offset < 0)
    return;
  self->remaining = self->request.size - (guint64) offset;
  lan_file_transfer_reset_done (self->transfer, (guint64) offset);

  if (self->request.is_directory)
    {
      self->command = LAN_IPMSG_GETDIRFILES;
      extra = g_strdup_printf ("%" G_GINT64_MODIFIER "x:%" G_GINT64_MODIFIER "x",
                               self->request.offer_packet_no, self->request.file_id);
      self->parser = lan_dir_stream_parser_new ();
    }
  else
    {
      self->command = LAN_IPMSG_GETFILEDATA;
      extra = g_strdup_printf ("%" G_GINT64_MODIFIER "x:%" G_GINT64_MODIFIER "x:%" G_GINT64_MODIFIER "x",
                               self->request.offer_packet_no, self->request.file_id, (guint64) offset);
    }
  if (lan_dialect_wants_utf8_flag (&self->request.dialect))
    self->command |= LAN_IPMSG_UTF8OPT;
  self->packet = lan_wire_build_to (self->wire, &self->request.dialect, lan_wire_next_packet_no (self->wire),
                                    self->command, (const guint8 *) extra, strlen (extra) + 1);

  if (self->request.local.address != 0)
    {
      LanEndpoint any_port = { self->request.local.address, 0 };
      g_autoptr(GSocketAddress) local = address_of (any_port);

      g_socket_client_set_local_address (client, local);
    }
  arm_timer (self, self->request.connect_timeout_ms, WHY_CONNECT);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (remote), self->cancellable,
                                 connected, g_object_ref (self));
}

void
lan_file_fetch_cancel (LanFileFetch *self)
{
  g_return_if_fail (LAN_IS_FILE_FETCH (self));

  if (self->finished)
    return;
  self->why = WHY_CANCEL;
  finish (self, LAN_TRANSFER_CANCELLED, _("Cancelled"));
}

LanFileTransfer *
lan_file_fetch_get_transfer (LanFileFetch *self)
{
  g_return_val_if_fail (LAN_IS_FILE_FETCH (self), NULL);

  return self->transfer;
}

const char *
lan_file_fetch_get_part_name (LanFileFetch *self)
{
  g_return_val_if_fail (LAN_IS_FILE_FETCH (self), NULL);

  return self->request.is_directory ? NULL : self->part_name;
}

const LanFileFetchRequest *
lan_file_fetch_get_request (LanFileFetch *self)
{
  g_return_val_if_fail (LAN_IS_FILE_FETCH (self), NULL);

  return &self->request;
}

static void
lan_file_fetch_dispose (GObject *object)
{
  LanFileFetch *self = LAN_FILE_FETCH (object);

  /* Nobody is told any more; whatever runs ends cancelled. */
  self->done = NULL;
  if (self->started_us != 0 && !self->finished)
    finish (self, LAN_TRANSFER_CANCELLED, _("Cancelled"));
  clear_timer (self);
  G_OBJECT_CLASS (lan_file_fetch_parent_class)->dispose (object);
}

static void
lan_file_fetch_finalize (GObject *object)
{
  LanFileFetch *self = LAN_FILE_FETCH (object);

  g_clear_object (&self->out);
  close_dirs (self);
  close_fd (&self->folder_fd);
  g_clear_pointer (&self->dirs, g_array_unref);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->buffer, g_free);
  g_clear_pointer (&self->parser, lan_dir_stream_parser_free);
  g_clear_pointer (&self->packet, g_bytes_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->wire);
  g_clear_object (&self->transfer);
  g_clear_object (&self->folder);
  g_free (self->name);
  g_free (self->final_name);
  g_free (self->part_name);
  G_OBJECT_CLASS (lan_file_fetch_parent_class)->finalize (object);
}

static void
lan_file_fetch_class_init (LanFileFetchClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = lan_file_fetch_dispose;
  G_OBJECT_CLASS (klass)->finalize = lan_file_fetch_finalize;
}

static void
lan_file_fetch_init (LanFileFetch *self)
{
  self->folder_fd = -1;
  self->top_fd = -1;
  self->dirs = g_array_new (FALSE, FALSE, sizeof (int));
  self->cancellable = g_cancellable_new ();
}

/**
 * lan_file_fetch_new:
 *
 * Returns: (transfer full)
 */
LanFileFetch *
lan_file_fetch_new (LanWire                   *wire,
                    const LanFileFetchRequest *request,
                    LanFileTransfer           *transfer,
                    GFile                     *folder,
                    const char                *name,
                    const char                *part_name)
{
  LanFileFetch *self;

  g_return_val_if_fail (LAN_IS_WIRE (wire), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (LAN_IS_FILE_TRANSFER (transfer), NULL);
  g_return_val_if_fail (G_IS_FILE (folder), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (LAN_TYPE_FILE_FETCH, NULL);
  self->wire = g_object_ref (wire);
  self->request = *request;
  self->transfer = g_object_ref (transfer);
  self->folder = g_object_ref (folder);
  self->name = g_strdup (name);
  self->part_name = g_strdup (part_name);
  self->remote = request->remote;
  self->local = request->local;
  self->local.port = 0;
  return self;
}

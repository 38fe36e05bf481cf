/* lan-file-fetch-private.h — a LanFileFetch's fields, shared by
 * lan-file-fetch.c (the connection, the file's bytes),
 * lan-file-fetch-disk.c (what is written where),
 * lan-file-fetch-folder.c (a folder stream's entries) and
 * lan-file-fetch-tree.c (a folder's .part removed or pruned).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-bounds.h"
#include "lan-dir-stream.h"
#include "lan-file-fetch.h"
#include "lan-file-write.h"

G_BEGIN_DECLS

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
  GCancellable        *read_cancellable; /* the read in flight: what the timers cancel */
  guint8              *buffer;
  /* A file's two buffers (0: buffer, 1: spare), so that one is read while
   * the other is written: which one is being read, written, or is filled
   * and waits to be written (-1: none), how many bytes each holds, and
   * where in its buffer the read in flight began (reads append to the
   * filled buffer while a write lasts, so that writes are of whole buffers
   * rather than of whatever one read returned). */
  guint8              *spare;
  int                  reading;
  int                  writing;
  int                  filled;
  gsize                lens[2];
  gsize                read_offset;
  gboolean             eof;           /* a file: nothing more is read (closed, grace over, or failed) */
  /* A resume: the last bytes of the .part, which the sender must send
   * again first (LAN_FETCH_RESUME_CHECK_BYTES), how many of them came, and
   * that the fetch started over from 0 once already. */
  guint8               check[LAN_FETCH_RESUME_CHECK_BYTES];
  gsize                check_len;
  gsize                check_pos;
  gboolean             restarted;
  guint                writes;        /* writes in flight, which use the buffers */
  LanFileWritePace     pace;          /* where they are made: the pool, or the main loop while the disk is fast */
  char                *failure;       /* a file: why it fails once the writes in flight are done */
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
  guint64              remaining;     /* a file: announced bytes still to read */
  guint64              announced;     /* a folder: bytes its headers announced so far */
  LanDirStreamParser  *parser;
  gint64               started_us;
  guint64              moved;         /* bytes of data written by this fetch */
  gboolean             stream_ended;  /* a folder's: only the connection's end may follow */
  /* A folder: its .part was there from an earlier try (files in it may be
   * complete already); the stream was refused (the partial folder goes).
   * The current file: the bytes it had on disk, and how far the stream's
   * data for it came. Files ended in this pass, and how many the transfer
   * was told of (a pass after a restart repeats some). */
  gboolean             resuming;
  GArray              *listed;        /* a resumed pass: what its stream named (lan_file_fetch_prune_unlisted) */
  gboolean             discard;
  guint64              have;
  guint64              file_pos;
  guint                files_ended;
  guint                files_told;
  gboolean             finished;
  LanTransferState     ended;         /* what finish() was told */
};

/* lan-file-fetch.c */
void     lan_file_fetch_fail             (LanFileFetch     *self,
                                          const char       *format,
                                          ...) G_GNUC_PRINTF (2, 3);
void     lan_file_fetch_fail_errno       (LanFileFetch     *self,
                                          const char       *what,
                                          const char       *name,
                                          int               saved_errno);
void     lan_file_fetch_fail_write       (LanFileFetch     *self,
                                          GError           *error);
/* Tell the transfer and the owner how it ended (after finish). */
void     lan_file_fetch_tell             (LanFileFetch     *self,
                                          LanTransferState  state,
                                          const char       *error);
void     lan_file_fetch_read_more        (LanFileFetch     *self,
                                          guint             timeout_ms,
                                          Why               why);
/* A write ended (call first in its callback, with its arguments): its
 * finish, a failed write failing the fetch; once the fetch is finished and
 * no write uses them, the buffers go, so an ended fetch costs little. TRUE
 * when the fetch goes on. */
gboolean lan_file_fetch_write_done       (LanFileFetch     *self,
                                          GObject          *source,
                                          GAsyncResult     *result);
/* Ask for the bytes from @offset (a file) or the folder: connect, send the request. */
void     lan_file_fetch_request          (LanFileFetch     *self,
                                          guint64           offset);
/* Every byte arrived: close, rename into place, done. */
void     lan_file_fetch_complete         (LanFileFetch     *self);
/* The stall, grace or connect timer: armed anew, or cleared. */
void     lan_file_fetch_arm_timer        (LanFileFetch     *self,
                                          guint             timeout_ms,
                                          Why               why);
void     lan_file_fetch_clear_timer      (LanFileFetch     *self);
/* Why a read that ended in @error failed the fetch: which of ours, or the
 * connection's; NULL when it only ended the wait for the sender to close. */
char    *lan_file_fetch_read_failure     (LanFileFetch     *self,
                                          GError           *error);

/* lan-file-fetch-file.c */
/* Read the file's bytes while a buffer is free (the connection is open and
 * the request sent): they go to the .part as buffers fill. */
void     lan_file_fetch_file_read        (LanFileFetch     *self);

/* lan-file-fetch-disk.c */
/* Open the .part to resume (@resume) or create a new one; the offset to
 * ask for, or -1 after failing. */
gint64   lan_file_fetch_open_target      (LanFileFetch     *self,
                                          const char       *resume);
gboolean lan_file_fetch_rename_into_place (LanFileFetch    *self);
gboolean lan_file_fetch_check_resumed    (LanFileFetch     *self,
                                          guint8           *data,
                                          gssize           *n);

/* lan-file-fetch-folder.c */
/* Go on in the folder's .part @resume: 1, or 0 when it is gone, -1 after failing. */
int      lan_file_fetch_reopen_folder    (LanFileFetch     *self,
                                          const char       *resume);
void     lan_file_fetch_process_stream   (LanFileFetch     *self);

/* lan-file-fetch-tree.c */
void     lan_file_fetch_remove_partial   (LanFileFetch     *self,
                                          const char       *error);
/* The key under which @name in @dir_fd is noted as named by a resumed
 * pass's stream; 0 when it can't be told. */
guint64  lan_file_fetch_listed_key       (int               dir_fd,
                                          const char       *name);
/* A resumed pass's stream ended: remove what the .part holds that it did not
 * name, then complete (TRUE); FALSE: not a resumed pass, nothing to do. */
gboolean lan_file_fetch_prune_unlisted   (LanFileFetch     *self);

G_END_DECLS

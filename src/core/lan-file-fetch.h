/* lan-file-fetch.h — fetching one offered file or folder over TCP.
 *
 * One LanFileFetch connects to the sender, sends one IPMsg packet
 * (GETFILEDATA with an offset, or GETDIRFILES) and writes what comes back
 * into a folder, on the main loop with GIO async streams, with a bounded
 * buffer. A file is written to "<name>.part" and renamed (never over an
 * existing file) once exactly its announced size arrived; a folder is
 * written as "<name>.part" and renamed when its stream ends. Every name from
 * the stream passes lan_file_name_check(); everything is created relative
 * to a folder we made, without following links. A resume asks again for
 * the .part's last LAN_FETCH_RESUME_CHECK_BYTES and checks them; a sender
 * that sends from elsewhere (iptux ignores the offset) is asked once more
 * from byte 0. A folder that broke or was cancelled is kept as its .part
 * too; a resume asks for the whole stream again (GETDIRFILES has no
 * offset) and reads past the files the .part holds already, after the
 * same check of their last bytes. A folder whose stream was refused (a bad
 * name, a climb, an unreadable header) is removed. Progress and the result go
 * to the LanFileTransfer it was given; the packet log gets the request and,
 * when it ends, a summary row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-dialect.h"
#include "lan-file-transfer.h"
#include "lan-ipmsg.h"
#include "lan-types.h"
#include "lan-wire.h"

G_BEGIN_DECLS

typedef struct {
  LanEndpoint  local;               /* connect from this address (0: the kernel's choice), port ignored */
  LanEndpoint  remote;              /* the sender: its IP and UDP port number */
  LanDialect   dialect;             /* the sender's, for the request and the names in a folder */
  guint64      offer_packet_no;     /* the offer's */
  guint64      file_id;
  gboolean     is_directory;
  guint64      size;                /* announced (a file's; ignored for a folder) */
  guint        stall_ms;            /* no byte for this long: failed */
  guint        connect_timeout_ms;
} LanFileFetchRequest;

#define LAN_TYPE_FILE_FETCH (lan_file_fetch_get_type ())
G_DECLARE_FINAL_TYPE (LanFileFetch, lan_file_fetch, LAN, FILE_FETCH, GObject)

typedef void (*LanFileFetchDone) (LanFileFetch *fetch,
                                  gpointer      user_data);

/* A fetch of @request into @folder as @name (checked by the caller with
 * lan_file_name_check()); @part_name: the ".part" (a file, or a folder's)
 * left by an earlier try of the same file or folder, to go on in (NULL:
 * start afresh under a new unique name). Takes references to @wire (which numbers and builds the
 * request and logs it), @transfer and @folder.
 * Returns: (transfer full) */
LanFileFetch    *lan_file_fetch_new           (LanWire                   *wire,
                                               const LanFileFetchRequest *request,
                                               LanFileTransfer           *transfer,
                                               GFile                     *folder,
                                               const char                *name,
                                               const char                *part_name);
/* Start; @done is called once when the transfer has ended (its state says
 * how), on the thread-default main context. */
void             lan_file_fetch_start         (LanFileFetch     *self,
                                               LanFileFetchDone  done,
                                               gpointer          user_data);
/* Stop it: the transfer ends CANCELLED (the .part is kept, a folder's too). */
void             lan_file_fetch_cancel        (LanFileFetch     *self);
/* Returns: (transfer none) */
LanFileTransfer *lan_file_fetch_get_transfer  (LanFileFetch     *self);
/* The .part a retry resumes from, once chosen (a file's or a folder's).
 * Returns: (transfer none) (nullable) */
const char      *lan_file_fetch_get_part_name (LanFileFetch     *self);
/* Returns: (transfer none) */
const LanFileFetchRequest *lan_file_fetch_get_request (LanFileFetch *self);

G_END_DECLS

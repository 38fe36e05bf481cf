/* lan-file-transfer.h — one file or folder going over TCP, in or out.
 *
 * The engine creates these (lan-file-fetch for offers we fetch, lan-file-server
 * for offers of ours that a peer fetches) and updates them on the main loop;
 * the app and the CLI only read them and call cancel/retry through the
 * messenger (lan-messenger-files.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  LAN_TRANSFER_FETCH,  /* a file offered to us, coming in */
  LAN_TRANSFER_SERVE,  /* a file we offered, going out to the peer that fetches it */
} LanTransferKind;

typedef enum {
  LAN_TRANSFER_WAITING,   /* created, not connected yet (or queued behind a limit) */
  LAN_TRANSFER_RUNNING,   /* bytes are moving */
  LAN_TRANSFER_DONE,      /* every byte announced arrived (fetch) or went out (serve) */
  LAN_TRANSFER_FAILED,    /* see lan_file_transfer_get_error(); a fetch can be retried (resumes) */
  LAN_TRANSFER_CANCELLED, /* cancelled by us or by the peer */
} LanTransferState;

#define LAN_TYPE_FILE_TRANSFER (lan_file_transfer_get_type ())
G_DECLARE_FINAL_TYPE (LanFileTransfer, lan_file_transfer, LAN, FILE_TRANSFER, GObject)

/* Properties (read-only, notify on change): "kind", "state", "peer-key",
 * "packet-no" (the offer's), "file-id", "name" (UTF-8, for display),
 * "is-directory", "size" (bytes announced; for a folder the bytes seen so far
 * in its stream), "done" (bytes moved; notified at most ~10 times a second),
 * "files-done" (files finished, for a folder), "rate" (bytes/s, smoothed),
 * "seconds-left" (-1 when unknown), "error" (nullable), "file" (GFile: where
 * a fetch writes, or what is served). */

LanTransferKind  lan_file_transfer_get_kind         (LanFileTransfer *self);
LanTransferState lan_file_transfer_get_state        (LanFileTransfer *self);
/* (transfer none) */
const char      *lan_file_transfer_get_peer_key     (LanFileTransfer *self);
guint64          lan_file_transfer_get_packet_no    (LanFileTransfer *self);
guint64          lan_file_transfer_get_file_id      (LanFileTransfer *self);
/* (transfer none) */
const char      *lan_file_transfer_get_name         (LanFileTransfer *self);
gboolean         lan_file_transfer_get_is_directory (LanFileTransfer *self);
guint64          lan_file_transfer_get_size         (LanFileTransfer *self);
guint64          lan_file_transfer_get_done         (LanFileTransfer *self);
guint            lan_file_transfer_get_files_done   (LanFileTransfer *self);
double           lan_file_transfer_get_rate         (LanFileTransfer *self);
gint64           lan_file_transfer_get_seconds_left (LanFileTransfer *self);
/* Why it failed or was cancelled, in words for a person. (transfer none) (nullable) */
const char      *lan_file_transfer_get_error        (LanFileTransfer *self);
/* (transfer none) (nullable) */
GFile           *lan_file_transfer_get_file         (LanFileTransfer *self);
gint64           lan_file_transfer_get_started      (LanFileTransfer *self); /* g_get_monotonic_time, 0 before */
gint64           lan_file_transfer_get_finished     (LanFileTransfer *self); /* 0 while not ended */
gboolean         lan_file_transfer_is_finished      (LanFileTransfer *self); /* DONE, FAILED or CANCELLED */
/* "waiting", "running", "done", "failed", "cancelled" (not translated). (transfer none) */
const char      *lan_transfer_state_to_string       (LanTransferState state);

/* The engine's side. */
/* (transfer full) */
LanFileTransfer *lan_file_transfer_new          (LanTransferKind   kind,
                                                 const char       *peer_key,
                                                 guint64           packet_no,
                                                 guint64           file_id,
                                                 const char       *name,
                                                 gboolean          is_directory,
                                                 guint64           size,
                                                 GFile            *file);
void             lan_file_transfer_set_state    (LanFileTransfer  *self,
                                                 LanTransferState  state,
                                                 const char       *error);
void             lan_file_transfer_set_size     (LanFileTransfer  *self,
                                                 guint64           size);
/* Count @bytes more moved at @now_us (monotonic); updates rate and time left. */
void             lan_file_transfer_add_done     (LanFileTransfer  *self,
                                                 guint64           bytes,
                                                 gint64            now_us);
/* Start again from @done bytes (a resumed fetch). */
void             lan_file_transfer_reset_done   (LanFileTransfer  *self,
                                                 guint64           done);
void             lan_file_transfer_add_file_done (LanFileTransfer *self);
void             lan_file_transfer_set_file     (LanFileTransfer  *self,
                                                 GFile            *file);
/* Emit the pending "done"/"rate"/"seconds-left" notifications now. */
void             lan_file_transfer_flush        (LanFileTransfer  *self);

G_END_DECLS

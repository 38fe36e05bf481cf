/* lan-messenger-files.h — files and folders over TCP, as the app and the CLI see it.
 *
 * Offers are messages (SENDMSG|FILEATTACHOPT) whose lan_message_get_files()
 * lists the records. Ours are served (lan-file-server) only to the peer they
 * were offered to, until it sends RELEASEFILES, we withdraw them, or they
 * expire; theirs are fetched (lan-file-fetch) into a folder we choose, with
 * progress in a LanFileTransfer, resumable from a `.part` file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-file-transfer.h"
#include "lan-messenger.h"

G_BEGIN_DECLS

/* Offer @files (regular files or folders; at least one) to @peer with
 * @text (may be NULL or ""). The message is sent like lan_messenger_send()
 * (acknowledged, retried, queued in the outbox while @peer is away) and
 * its offer stays open (served) until released, withdrawn or expired.
 * A file that can't be read, or more than LAN_MAX_OFFER_FILES, fails with
 * G_IO_ERROR naming it. Returns: (transfer full) (nullable) */
LanMessage      *lan_messenger_send_files       (LanMessenger  *self,
                                                 LanPeer       *peer,
                                                 const char    *text,
                                                 GFile * const *files,
                                                 guint          n_files,
                                                 GError       **error);
/* Stop serving an offer of ours (LAN_OFFER_WITHDRAWN); transfers of it running end cancelled. */
void             lan_messenger_withdraw_files   (LanMessenger  *self,
                                                 LanMessage    *offer);
/* Fetch file @file_id of @offer (an incoming message with files) into
 * @folder. @name: the name to save as (NULL: the offered name, made safe;
 * "name (1).ext" when it exists). A folder is fetched whole (GETDIRFILES).
 * The data goes to "<name>.part" and is renamed when complete; a failed or
 * cancelled fetch keeps the .part and lan_messenger_retry_transfer() resumes
 * it. A name that is not safe fails here with G_IO_ERROR_INVALID_FILENAME
 * saying why. Returns: (transfer full) (nullable): also in the transfers list. */
LanFileTransfer *lan_messenger_fetch_file       (LanMessenger  *self,
                                                 LanMessage    *offer,
                                                 guint64        file_id,
                                                 GFile         *folder,
                                                 const char    *name,
                                                 GError       **error);
/* We want none of @offer (or no more of it): RELEASEFILES to its sender,
 * running fetches of it cancelled; LAN_OFFER_DECLINED when nothing was
 * fetched, LAN_OFFER_DONE otherwise. */
void             lan_messenger_release_files    (LanMessenger  *self,
                                                 LanMessage    *offer);
/* End @transfer cancelled if it runs. A fetch keeps its .part (retry
 * resumes it); a transfer we serve closes its connection and the offer
 * stays open, so the peer may ask for the file again. */
void             lan_messenger_cancel_transfer  (LanMessenger    *self,
                                                 LanFileTransfer *transfer);
/* Fetch a failed or cancelled one again, from where its .part ends.
 * Returns: (transfer full) (nullable): the transfer that continues it. */
LanFileTransfer *lan_messenger_retry_transfer   (LanMessenger    *self,
                                                 LanFileTransfer *transfer,
                                                 GError         **error);
/* Continue @earlier (a failed or cancelled fetch of a file or a folder) from
 * its .part with file @file_id of @offer: the same file offered again, e.g.
 * by a sender that was restarted (same sender, same name and size; a file's
 * fetch checks the .part's last bytes before it appends, and starts over if
 * they differ; a folder's stream is asked for again and the files its .part
 * holds are read past, each checked the same way).
 * Returns: (transfer full) (nullable): the transfer that continues it. */
LanFileTransfer *lan_messenger_resume_fetch     (LanMessenger    *self,
                                                 LanMessage      *offer,
                                                 guint64          file_id,
                                                 LanFileTransfer *earlier,
                                                 GError         **error);
/* Every transfer of this run, both kinds, oldest first.
 * Returns: (transfer none) (element-type LanFileTransfer) */
GListModel      *lan_messenger_get_transfers    (LanMessenger  *self);

G_END_DECLS

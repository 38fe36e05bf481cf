/* lan-file-server.h — the TCP side of our offers: GETFILEDATA and GETDIRFILES.
 *
 * Listens on the UDP socket's own address and port (IPMsg uses one port
 * number for both). Each connection sends one IPMsg packet (at most
 * LAN_FILE_SERVE_MAX_REQUEST bytes, within LAN_FILE_SERVE_REQUEST_MS),
 * which is logged like a datagram (LAN_DATAGRAM_TCP); a request for a file
 * of an open offer (lan-file-offer.h), from the address it was offered to,
 * is answered with the file's bytes from the offset asked (GETFILEDATA,
 * extra `packetID:fileID:offset` in hex) or with the folder's header stream
 * (GETDIRFILES, `packetID:fileID`, lan-dir-stream.h; symbolic links are
 * skipped); anything else is closed with a log row saying why (verdict
 * rejected). Every transfer is a LanFileTransfer (LAN_TRANSFER_SERVE) and
 * ends with a summary row (LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER).
 * All on the main loop with async streams (a file's bytes by sendfile(2)
 * where there is one, lan-file-serve-file.c); memory per connection is one
 * buffer whatever the file's size.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lan-file-offer.h"
#include "lan-file-transfer.h"
#include "lan-peer-list.h"
#include "lan-wire.h"

G_BEGIN_DECLS

/* A transfer began: the messenger lists it (lan_messenger_add_transfer). */
typedef void (*LanFileServerTransferFunc) (LanFileTransfer *transfer,
                                           gpointer         user_data);

#define LAN_TYPE_FILE_SERVER (lan_file_server_get_type ())
G_DECLARE_FINAL_TYPE (LanFileServer, lan_file_server, LAN, FILE_SERVER, GObject)

/* Takes references to @wire (its log, stats and local endpoint), @peers
 * (whose dialects name the files) and @offers.
 * Returns: (transfer full) */
LanFileServer *lan_file_server_new               (LanWire        *wire,
                                                  LanPeerList    *peers,
                                                  LanFileOffers  *offers);
void           lan_file_server_set_transfer_func (LanFileServer  *self,
                                                  LanFileServerTransferFunc func,
                                                  gpointer        user_data);
/* Listen on the wire's local endpoint (it must be bound). On failure the
 * error is also kept (lan_file_server_get_error) for those who offer later. */
gboolean       lan_file_server_start             (LanFileServer  *self,
                                                  GError        **error);
/* Stop listening; transfers running end cancelled. */
void           lan_file_server_stop              (LanFileServer  *self);
gboolean       lan_file_server_is_listening      (LanFileServer  *self);
/* Why the last start failed, NULL when it didn't. (transfer none) (nullable) */
const GError  *lan_file_server_get_error         (LanFileServer  *self);
/* Transfers of @packet_no's offer running now end cancelled, saying @why. */
void           lan_file_server_cancel_offer      (LanFileServer  *self,
                                                  guint64         packet_no,
                                                  const char     *why);
/* @transfer (one of ours, LAN_TRANSFER_SERVE), if it runs, ends cancelled:
 * its connection closes, its summary row says "cancelled", the offer stays
 * open (the peer may ask again). FALSE when no running transfer is @transfer. */
gboolean       lan_file_server_cancel_transfer   (LanFileServer   *self,
                                                  LanFileTransfer *transfer);
/* For tests: FALSE serves every file through the connection's buffer (read,
 * then write), as where sendfile(2) is missing or refuses the file. */
void           lan_file_server_set_sendfile      (LanFileServer   *self,
                                                  gboolean         use);
/* Connections open now (reading a request or serving). */
guint          lan_file_server_get_n_connections (LanFileServer  *self);

G_END_DECLS

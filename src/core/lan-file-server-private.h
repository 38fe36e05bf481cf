/* lan-file-server-private.h — the server's fields, for lan-file-server.c (the
 * listener, the request) and lan-file-serve.c (a connection's life, which
 * takes itself out of the server's list).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-file-server.h"

G_BEGIN_DECLS

struct _LanFileServer
{
  GObject          parent_instance;

  LanWire         *wire;
  LanPeerList     *peers;
  LanFileOffers   *offers;
  LanFileServerTransferFunc transfer_func;
  gpointer         transfer_data;

  GSocketService  *service;
  GError          *error;
  GPtrArray       *conns;         /* LanServeConn (a reference each) */
  gboolean         no_sendfile;   /* for tests: every byte through the buffer */
};

G_END_DECLS

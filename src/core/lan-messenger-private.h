/* lan-messenger-private.h — the façade's fields, for lan-messenger.c and
 * the loop tests that look inside (tests/loop/test-loop.c reads "answers").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-bounds.h"
#include "lan-conversation-store.h"
#include "lan-file-offer.h"
#include "lan-file-server.h"
#include "lan-file-transfer.h"
#include "lan-identity.h"
#include "lan-inbox.h"
#include "lan-messenger.h"
#include "lan-outbox.h"
#include "lan-presence.h"
#include "lan-sender.h"
#include "lan-wire.h"

G_BEGIN_DECLS

struct _LanMessenger
{
  GObject               parent_instance;

  /* Borrowed from the presence (its delayed answers by "ip:port"), so that
   * tests/loop can check their bound; prefer lan_presence_get_answers(). */
  GHashTable           *answers;

  LanTransport         *transport;      /* only until constructed: then the wire's */
  LanPeerList          *peers;
  LanWire              *wire;
  LanPresence          *presence;
  LanConversationStore *store;
  LanOutbox            *outbox;
  LanInbox             *inbox;
  LanSender            *sender;
  LanIdentity          *identity;
  /* Every LanFileTransfer of this run, both kinds (lan-messenger-files.c). */
  GListStore           *transfers;
  /* The fetches of offers made to us, running, waiting and ended (lan-messenger-fetch.c). */
  struct _LanMessengerFetches *fetches;
  /* Our offers of files and the TCP server of them (lan-messenger-offers.c);
   * @offering: the files of the offer being sent, until it is registered. */
  LanFileOffers        *offers;
  LanFileServer        *file_server;
  GPtrArray            *offering;

  /* Property values, as set; each is handed to the part that uses it. */
  char                 *nickname;
  char                 *group;
  char                 *user_name;
  char                 *host_name;
  char                 *bind_address;
  char                 *away_text;
  char                 *history_path;
  guint                 port;
  guint                 retry_initial_ms;
  guint                 retry_max_interval_ms;
  guint                 retry_budget_ms;
  guint                 answer_delay_max_ms;
  guint                 history_days;
  LanLegacyEncoding     legacy;
  double                simulated_loss;
  gboolean              away;
  gboolean              away_in_nickname;
  gboolean              running;

  GError               *error;          /* why the last start failed */
};

/* Append @transfer to the list lan_messenger_get_transfers() returns. */
void lan_messenger_add_transfer (LanMessenger    *self,
                                 LanFileTransfer *transfer);

/* lan-messenger-fetch.c: end every fetch (on stop), free them (finalize). */
void lan_messenger_fetch_stop (LanMessenger *self);
void lan_messenger_fetch_free (LanMessenger *self);
/* lan-messenger-fetch.c: @transfer, if it is a fetch of ours running, ends cancelled. */
void lan_messenger_fetch_cancel (LanMessenger    *self,
                                 LanFileTransfer *transfer);
/* For tests: how long a sender may send nothing before a fetch fails, and
 * how long a connect may take (0: the defaults of lan-bounds.h). */
void lan_messenger_set_fetch_timeouts (LanMessenger *self,
                                       guint         stall_ms,
                                       guint         connect_timeout_ms);
/* Our offers and their server (lan-messenger-offers.c): made with the
 * messenger, listening while it runs, gone before the parts they use. */
void lan_messenger_offers_init  (LanMessenger *self);
void lan_messenger_offers_start (LanMessenger *self);
void lan_messenger_offers_stop  (LanMessenger *self);
void lan_messenger_offers_clear (LanMessenger *self);

G_END_DECLS

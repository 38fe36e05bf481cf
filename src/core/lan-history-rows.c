/* lan-history-rows.c — freeing what the history hands out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-history-rows"

#include "config.h"

#include "lan-history.h"

void
lan_history_message_free (LanHistoryMessage *message)
{
  g_free (message->identity);
  g_free (message->remote);
  g_free (message->text);
  g_free (message->error);
  g_free (message->notice_json);
  g_free (message);
}

void
lan_history_peer_free (LanHistoryPeer *peer)
{
  g_free (peer->identity);
  g_free (peer->user);
  g_free (peer->host);
  g_free (peer->nickname);
  g_free (peer->address);
  g_free (peer);
}

/* test-engine-wire.c — the wire's handler table: a part that goes away
 * takes its handlers with it, so the wire never calls into a freed part and
 * a new part can take the same commands.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lan-conversation-store.h"
#include "lan-inbox.h"
#include "lan-memory-transport.h"
#include "lan-outbox.h"
#include "lan-presence.h"
#include "lan-sealed.h"
#include "lan-sender.h"
#include "lan-wire.h"

/* lan_wire_set_handler refuses (a critical, fatal in tests) to take a
 * command that still has a handler: so building each part a second time
 * on the same wire fails unless the first one unregistered at dispose. */
static void
test_parts_unregister_at_dispose (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanMemoryTransport) transport = lan_memory_transport_new (network, "10.77.0.8");
  g_autoptr(LanPeerList) peers = lan_peer_list_new (8);
  g_autoptr(LanWire) wire = lan_wire_new (LAN_TRANSPORT (transport), peers);
  g_autoptr(LanConversationStore) store = lan_conversation_store_new (8);
  g_autoptr(LanOutbox) outbox = lan_outbox_new (store);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(LanPresence) presence = lan_presence_new (wire, peers);
      g_autoptr(LanInbox) inbox = lan_inbox_new (wire, presence, store);
      g_autoptr(LanSender) sender = lan_sender_new (wire, presence, store, outbox);
      g_autoptr(LanSealed) sealed = NULL;

      g_assert_nonnull (inbox);
      g_assert_nonnull (sender);
      g_clear_object (&inbox);
      /* The inbox's own sealed part let ANSREADMSG go with it. */
      sealed = lan_sealed_new (wire);
      g_assert_nonnull (sealed);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/wire/parts-unregister-at-dispose", test_parts_unregister_at_dispose);
  return g_test_run ();
}

/* test-engine-identity.c — conversations follow identities (user@host):
 * across a change of address, and without growing under a flood of
 * identities that come and go.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-ipmsg.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define ALICE "10.77.0.2"

static void
test_new_address_keeps_conversation (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-identity");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions bob_options = { .user_name = "bob", .nickname = "Bob" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, "10.77.0.3", &bob_options);
  g_autoptr(LanMessage) hello = NULL;
  g_autoptr(LanMessage) last = NULL;
  g_autoptr(GError) error = NULL;
  LanConversation *before, *after;
  LanPeer *peer;
  guint n;

  peer = lan_test_engine_await_peer (alice, "10.77.0.3:2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (peer);
  hello = lan_messenger_send (alice, peer, "hello", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_message_await_settled (hello, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (hello), ==, LAN_MESSAGE_DELIVERED);
  before = lan_messenger_get_conversation (alice, "10.77.0.3:2425");
  g_assert_true (before == lan_messenger_get_conversation (alice, "bob@lab"));
  lan_test_engine_stop (&bob);

  /* Same user and host, another address (DHCP gave it a new one). */
  bob = lan_test_engine_new (network, "10.77.0.5", &bob_options);
  g_assert_nonnull (lan_test_engine_await_peer (alice, "10.77.0.5:2425", LAN_TEST_DEADLINE_MS));
  lan_test_drain ();
  after = lan_messenger_get_conversation (alice, "10.77.0.5:2425");
  g_assert_true (before == after);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (after)), >=, 2);

  /* What was said stays, and a notice says where they are now. */
  {
    g_autoptr(LanMessage) first = g_list_model_get_item (G_LIST_MODEL (after), 0);

    g_assert_cmpstr (lan_message_get_text (first), ==, "hello");
  }
  n = g_list_model_get_n_items (G_LIST_MODEL (after));
  last = g_list_model_get_item (G_LIST_MODEL (after), n - 1);
  g_assert_true (lan_message_get_notice (last));
  g_assert_nonnull (strstr (lan_message_get_text (last), "10.77.0.5"));

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&bob);
}

/* A peer that first writes from an address and only then says who it is:
 * what it wrote moves to its identity's conversation. */
static void
test_conversation_adopted_on_entry (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions alice_options = { .user_name = "alice" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanTestSignal) shown = lan_test_signal_watch (alice, "message-received");
  g_autoptr(GBytes) message = lan_test_craft ("1", 50, "", "", LAN_IPMSG_SENDMSG | LAN_IPMSG_NOADDLISTOPT,
                                              "anonymous so far", 17);
  g_autoptr(GBytes) entry = lan_test_craft ("1", 51, "dave", "dhost", LAN_IPMSG_BR_ENTRY,
                                            "Dave\0\0", 6);
  LanConversation *by_identity;

  lan_test_inject (network, "10.77.0.7:2425", ALICE, message);
  g_assert_cmpuint (lan_test_signal_await (shown, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  lan_test_inject (network, "10.77.0.7:2425", ALICE, entry);
  g_assert_nonnull (lan_test_engine_await_peer (alice, "10.77.0.7:2425", LAN_TEST_DEADLINE_MS));
  by_identity = lan_messenger_get_conversation (alice, "dave@dhost");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (by_identity)), ==, 1);
  g_assert_true (by_identity == lan_messenger_get_conversation (alice, "10.77.0.7:2425"));

  lan_test_engine_stop (&alice);
}

typedef struct {
  LanMessenger *engine;
  guint         alive;
  guint         made;
} ConversationCount;

static void
conversation_finalized (gpointer  user_data,
                        GObject  *where_it_was)
{
  ConversationCount *count = user_data;

  count->alive--;
}

/* Each conversation that a message makes is watched until it is freed. */
static void
on_message (LanMessenger      *engine,
            LanPeer           *peer,
            LanMessage        *message,
            ConversationCount *count)
{
  LanConversation *conversation = lan_messenger_get_conversation (engine, lan_peer_get_key (peer));

  if (g_object_get_data (G_OBJECT (conversation), "counted") != NULL)
    return;
  g_object_set_data (G_OBJECT (conversation), "counted", GUINT_TO_POINTER (1));
  g_object_weak_ref (G_OBJECT (conversation), conversation_finalized, count);
  count->alive++;
  count->made++;
}

/* A flood of identities, each from an address of its own and each with a
 * message, more than the peer table holds: peers are evicted, and their
 * conversations (nobody holds them, there is no history to keep) must go
 * with them, or memory grows without bound. */
static void
test_conversations_bounded_under_identity_flood (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions alice_options = { .user_name = "alice" };
  LanMessenger *alice = lan_test_engine_new (network, ALICE, &alice_options);
  guint max = lan_peer_list_get_max (lan_messenger_get_peers (alice));
  guint flood = max + 1000;
  ConversationCount count = { alice, 0, 0 };

  g_signal_connect (alice, "message-received", G_CALLBACK (on_message), &count);
  for (guint i = 0; i < flood; i++)
    {
      g_autofree char *user = g_strdup_printf ("user%u", i);
      g_autofree char *host = g_strdup_printf ("host%u", i);
      g_autoptr(GBytes) datagram = lan_test_craft ("1", 1, user, host, LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT,
                                                   "hi", 3);
      LanEndpoint from = { 0x0a590000u + i, 2425 };
      LanEndpoint to = { 0x0a4d0002u, 2425 };
      gsize len;
      const guint8 *bytes = g_bytes_get_data (datagram, &len);

      lan_memory_network_inject (network, from, to, bytes, len);
      if (i % 1024 == 1023)
        lan_memory_network_flush (network);
    }
  lan_memory_network_flush (network);
  lan_test_drain ();

  g_assert_cmpuint (count.made, ==, flood);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_peers (alice))), <=, max);
  /* Bounded like the peer table: at most one conversation per listed peer. */
  g_assert_cmpuint (count.alive, <=, max);

  g_signal_handlers_disconnect_by_func (alice, on_message, &count);
  lan_messenger_stop (alice);
  g_object_unref (alice);
  lan_test_drain ();
  g_assert_cmpuint (count.alive, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/identity/new-address-keeps-conversation", test_new_address_keeps_conversation);
  g_test_add_func ("/engine/identity/conversation-adopted-on-entry", test_conversation_adopted_on_entry);
  g_test_add_func ("/engine/identity/conversations-bounded-under-identity-flood",
                   test_conversations_bounded_under_identity_flood);
  return g_test_run ();
}

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
  /* Kept as what happened, so it can be shown in another language later. */
  g_assert_cmpstr (lan_message_get_notice_kind (last), ==, "moved");
  g_assert_cmpuint (g_strv_length ((char **) lan_message_get_notice_args (last)), ==, 3);
  g_assert_cmpstr (lan_message_get_notice_args (last)[1], ==, "10.77.0.5:2425");

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

static guint
count_text (LanConversation *conversation,
            const char      *text)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (conversation));
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanMessage) message = g_list_model_get_item (G_LIST_MODEL (conversation), i);

      if (g_strcmp0 (lan_message_get_text (message), text) == 0)
        count++;
    }
  return count;
}

typedef struct {
  LanMessenger *engine;
  const char   *key;
  const char   *identity;
} Claim;

static gboolean
claimed (gpointer user_data)
{
  Claim *claim = user_data;
  LanPeer *peer = lan_test_engine_find_peer (claim->engine, claim->key);

  return peer != NULL && g_strcmp0 (lan_peer_get_identity (peer), claim->identity) == 0;
}

/* Issue 11 item 6: Bob (10.77.0.3) crashes without BR_EXIT, Carol starts on
 * his address. Carol is a new peer with an empty conversation; Bob's row is
 * gone and what was said to him stays in his conversation. */
static void
test_new_person_on_known_address (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions alice_options = { .user_name = "alice" };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  LanTestEngineOptions carol_options = { .user_name = "carol" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, "10.77.0.3", &bob_options);
  g_autoptr(LanMessenger) carol = NULL;
  g_autoptr(LanTestSignal) gone = lan_test_signal_watch (alice, "peer-gone");
  g_autoptr(LanMessage) hello = NULL;
  g_autoptr(LanPeer) bob_peer = NULL;
  g_autoptr(GError) error = NULL;
  Claim carol_claim = { alice, "10.77.0.3:2425", "carol@lab" };
  LanPeer *now;

  bob_peer = g_object_ref (lan_test_engine_await_peer (alice, "10.77.0.3:2425", LAN_TEST_DEADLINE_MS));
  hello = lan_messenger_send (alice, bob_peer, "hello bob", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_message_await_settled (hello, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (hello), ==, LAN_MESSAGE_DELIVERED);

  /* A crash: its BR_EXIT never leaves the machine. */
  lan_memory_transport_set_down (lan_test_engine_get_transport (bob), TRUE);
  lan_test_engine_stop (&bob);
  g_assert_nonnull (lan_test_engine_find_peer (alice, "10.77.0.3:2425"));
  g_assert_cmpuint (lan_test_signal_count (gone), ==, 0);

  carol = lan_test_engine_new (network, "10.77.0.3", &carol_options);
  g_assert_true (lan_test_await (claimed, &carol_claim, LAN_TEST_DEADLINE_MS));
  now = lan_test_engine_find_peer (alice, "10.77.0.3:2425");
  g_assert_true (now != bob_peer);
  g_assert_cmpstr (lan_peer_get_identity (bob_peer), ==, "bob@lab");
  g_assert_cmpuint (lan_test_signal_count (gone), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_peers (alice))), ==, 1);
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "carol@lab"), "hello bob"), ==, 0);
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "bob@lab"), "hello bob"), ==, 1);
  g_assert_true (lan_messenger_get_conversation (alice, "10.77.0.3:2425") ==
                 lan_messenger_get_conversation (alice, "carol@lab"));

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&carol);
}

/* Issue 11 item 6: several people announcing from one address (a terminal
 * server, one after the other) each keep their own conversation. */
static void
test_several_people_one_address (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions alice_options = { .user_name = "alice" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanTestSignal) shown = lan_test_signal_watch (alice, "message-received");
  const char *users[] = { "xena", "yuri", "xena" };
  Claim claim = { alice, "10.77.0.9:2425", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *host = g_strdup_printf ("%s-pc", users[i]);
      g_autofree char *identity = g_strdup_printf ("%s@%s", users[i], host);
      g_autofree char *text = g_strdup_printf ("from %s, %u", users[i], i);
      g_autoptr(GBytes) entry = lan_test_craft ("1", 100 + 2 * i, users[i], host, LAN_IPMSG_BR_ENTRY,
                                                users[i], strlen (users[i]) + 1);
      g_autoptr(GBytes) message = lan_test_craft ("1", 101 + 2 * i, users[i], host,
                                                  LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT,
                                                  text, strlen (text) + 1);

      lan_test_inject (network, "10.77.0.9:2425", ALICE, entry);
      claim.identity = identity;
      g_assert_true (lan_test_await (claimed, &claim, LAN_TEST_DEADLINE_MS));
      lan_test_inject (network, "10.77.0.9:2425", ALICE, message);
      g_assert_cmpuint (lan_test_signal_await (shown, i + 1, LAN_TEST_DEADLINE_MS), ==, i + 1);
    }

  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "xena@xena-pc"), "from xena, 0"), ==, 1);
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "xena@xena-pc"), "from xena, 2"), ==, 1);
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "xena@xena-pc"), "from yuri, 1"), ==, 0);
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "yuri@yuri-pc"), "from yuri, 1"), ==, 1);
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "yuri@yuri-pc"), "from xena, 0"), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_peers (alice))), ==, 1);

  lan_test_engine_stop (&alice);
}

/* Issue 11 item 8: a peer that vanished without BR_EXIT is shown offline
 * after a Refresh it doesn't answer; one that answers stays online; the
 * vanished one is online again with its next packet. */
static void
test_silent_peer_gone_after_refresh (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions alice_options = { .user_name = "alice" };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  LanTestEngineOptions carol_options = { .user_name = "carol" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, "10.77.0.3", &bob_options);
  g_autoptr(LanMessenger) carol = lan_test_engine_new (network, "10.77.0.4", &carol_options);
  LanIdentity *identity = lan_messenger_get_identity (alice);
  LanPeer *bob_peer, *carol_peer;

  bob_peer = lan_test_engine_await_peer (alice, "10.77.0.3:2425", LAN_TEST_DEADLINE_MS);
  carol_peer = lan_test_engine_await_peer (alice, "10.77.0.4:2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (bob_peer);
  g_assert_nonnull (carol_peer);
  lan_test_drain ();
  g_assert_true (lan_peer_get_online (bob_peer));

  /* Pulled cable: nothing in, nothing out, no BR_EXIT. */
  lan_memory_transport_set_down (lan_test_engine_get_transport (bob), TRUE);
  lan_identity_set_probe_ms (identity, 300);
  lan_messenger_announce (alice);
  g_assert_true (lan_test_await_boolean (bob_peer, "online", FALSE, LAN_TEST_DEADLINE_MS));
  g_assert_true (lan_peer_get_online (carol_peer));
  /* Offline is shown, not forgotten: the row stays. */
  g_assert_true (lan_test_engine_find_peer (alice, "10.77.0.3:2425") == bob_peer);

  lan_memory_transport_set_down (lan_test_engine_get_transport (bob), FALSE);
  lan_messenger_announce (bob);
  g_assert_true (lan_test_await_boolean (bob_peer, "online", TRUE, LAN_TEST_DEADLINE_MS));

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&bob);
  lan_test_engine_stop (&carol);
}

/* The quiet check while a window is open (no Refresh): a peer quiet for a
 * whole interval is asked by unicast, nobody by broadcast; one that doesn't
 * answer is shown offline, one that answers stays online. */
static void
test_watching_marks_silent_peer (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions alice_options = { .user_name = "alice" };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  LanTestEngineOptions carol_options = { .user_name = "carol" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, "10.77.0.3", &bob_options);
  g_autoptr(LanMessenger) carol = lan_test_engine_new (network, "10.77.0.4", &carol_options);
  LanIdentity *identity = lan_messenger_get_identity (alice);
  LanMemoryTransport *transport = lan_test_engine_get_transport (alice);
  LanEndpoint broadcast = { lan_memory_network_get_broadcast (network), 2425 };
  LanEndpoint bob_at = { 0x0a4d0003u, 2425 };
  LanPeer *bob_peer, *carol_peer;

  bob_peer = lan_test_engine_await_peer (alice, "10.77.0.3:2425", LAN_TEST_DEADLINE_MS);
  carol_peer = lan_test_engine_await_peer (alice, "10.77.0.4:2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (bob_peer);
  g_assert_nonnull (carol_peer);
  lan_test_drain ();

  lan_memory_transport_set_down (lan_test_engine_get_transport (bob), TRUE);
  lan_memory_transport_clear_sent (transport);
  lan_identity_set_probe_ms (identity, 300);
  lan_identity_set_watch_s (identity, 1);
  lan_identity_set_watching (identity, TRUE);
  g_assert_true (lan_test_await_boolean (bob_peer, "online", FALSE, LAN_TEST_DEADLINE_MS));
  g_assert_true (lan_peer_get_online (carol_peer));
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_BR_ENTRY, &bob_at), >=, 1);
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_BR_ENTRY, &broadcast), ==, 0);
  lan_identity_set_watching (identity, FALSE);

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&bob);
  lan_test_engine_stop (&carol);
}

/* Issue 11 item 9: a peer restarted (numbering from 1 again) and its
 * BR_ENTRY was lost: its new packet 1 is shown, not swallowed as a repeat;
 * a true repeat (same number, same text) still is. */
static void
test_restarted_peer_message_shown (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions alice_options = { .user_name = "alice" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanTestSignal) shown = lan_test_signal_watch (alice, "message-received");
  g_autoptr(GBytes) entry = lan_test_craft ("1", 1, "dave", "dhost", LAN_IPMSG_BR_ENTRY, "Dave\0\0", 6);
  g_autoptr(GBytes) first = lan_test_craft ("1", 2, "dave", "dhost", LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT,
                                            "before the crash", 17);
  g_autoptr(GBytes) again = lan_test_craft ("1", 2, "dave", "dhost", LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT,
                                            "after the restart", 18);
  LanTransport *transport = LAN_TRANSPORT (lan_test_engine_get_transport (alice));
  LanEndpoint dave = { 0x0a4d0007u, 2425 };

  lan_test_inject (network, "10.77.0.7:2425", ALICE, entry);
  g_assert_nonnull (lan_test_engine_await_peer (alice, "10.77.0.7:2425", LAN_TEST_DEADLINE_MS));
  lan_test_inject (network, "10.77.0.7:2425", ALICE, first);
  g_assert_cmpuint (lan_test_signal_await (shown, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  /* Restarted; its BR_ENTRY lost; the same number for another text. */
  lan_test_inject (network, "10.77.0.7:2425", ALICE, again);
  g_assert_cmpuint (lan_test_signal_await (shown, 2, LAN_TEST_DEADLINE_MS), ==, 2);
  /* Its resend of that one (our acknowledgement was lost) is a repeat. */
  lan_test_inject (network, "10.77.0.7:2425", ALICE, again);
  lan_memory_network_flush (network);
  lan_test_drain ();
  g_assert_cmpuint (lan_test_signal_count (shown), ==, 2);
  /* Each of the three was acknowledged. */
  g_assert_cmpuint (lan_memory_transport_count_sent (LAN_MEMORY_TRANSPORT (transport), LAN_IPMSG_RECVMSG, &dave), ==, 3);
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "dave@dhost"), "after the restart"), ==, 1);
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "dave@dhost"), "before the crash"), ==, 1);

  lan_test_engine_stop (&alice);
}

/* Issue 11 item 10: a returning peer hears our entry before any message
 * that waited for it (iptux files messages from strangers under
 * "mysterious"), in the order the datagrams were sent. */
static void
test_entry_before_queued_message (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-identity");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, "10.77.0.3", &bob_options);
  LanMemoryTransport *transport = lan_test_engine_get_transport (alice);
  LanEndpoint bob_at = { 0x0a4d0003u, 2425 };
  g_autoptr(LanPeer) bob_peer = NULL;
  g_autoptr(LanMessage) owed = NULL;
  g_autoptr(GError) error = NULL;
  gint first_entry = -1, first_message = -1;

  bob_peer = g_object_ref (lan_test_engine_await_peer (alice, "10.77.0.3:2425", LAN_TEST_DEADLINE_MS));
  lan_test_engine_stop (&bob);
  owed = lan_messenger_send (alice, bob_peer, "waited for you", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_QUEUED, LAN_TEST_DEADLINE_MS));
  lan_memory_transport_clear_sent (transport);

  bob = lan_test_engine_new (network, "10.77.0.3", &bob_options);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_DELIVERED, LAN_TEST_DEADLINE_MS));

  for (guint i = 0; i < lan_memory_transport_get_n_sent (transport); i++)
    {
      const LanMemorySent *sent = lan_memory_transport_get_sent (transport, i);
      g_autoptr(LanIpmsgPacket) packet = NULL;
      guint32 mode;

      if (!lan_endpoint_equal (sent->to, bob_at))
        continue;
      packet = lan_ipmsg_packet_parse (g_bytes_get_data (sent->bytes, NULL), g_bytes_get_size (sent->bytes), NULL);
      g_assert_nonnull (packet);
      mode = LAN_IPMSG_MODE (packet->command);
      if (first_entry < 0 && (mode == LAN_IPMSG_ANSENTRY || mode == LAN_IPMSG_BR_ENTRY))
        first_entry = (gint) i;
      if (first_message < 0 && mode == LAN_IPMSG_SENDMSG)
        first_message = (gint) i;
    }
  g_assert_cmpint (first_message, >=, 0);
  g_assert_cmpint (first_entry, >=, 0);
  g_assert_cmpint (first_entry, <, first_message);

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&bob);
}

static guint
count_notices (LanConversation *conversation)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (conversation));
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanMessage) message = g_list_model_get_item (G_LIST_MODEL (conversation), i);

      if (lan_message_get_notice (message))
        count++;
    }
  return count;
}

static gboolean
later (gpointer user_data)
{
  return g_get_monotonic_time () >= *(gint64 *) user_data;
}

static gboolean
nicknamed_pi_two (gpointer peer)
{
  return g_strcmp0 (lan_peer_get_nickname (peer), "Pi Two") == 0;
}

/* Issue 11 item 6: two live machines with one login and host name (cloned
 * images, pi@raspberrypi) are two peers with two conversations, still after
 * both answered the question, and no "is now at … (was …)" notices. */
static void
test_cloned_identity_two_machines (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-identity");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions pi_options = { .user_name = "pi", .host_name = "raspberrypi" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) first = lan_test_engine_new (network, "10.77.0.3", &pi_options);
  g_autoptr(LanMessenger) second = NULL;
  g_autoptr(LanTestSignal) shown = lan_test_signal_watch (alice, "message-received");
  g_autoptr(LanMessage) from_first = NULL;
  g_autoptr(LanMessage) from_second = NULL;
  g_autoptr(GError) error = NULL;
  Claim second_claim = { alice, "10.77.0.4:2425", "pi@raspberrypi (10.77.0.4:2425)" };
  LanConversation *one, *two;
  LanPeer *alice_at_first, *alice_at_second;
  gint64 until;

  lan_identity_set_probe_ms (lan_messenger_get_identity (alice), 300);
  g_assert_nonnull (lan_test_engine_await_peer (alice, "10.77.0.3:2425", LAN_TEST_DEADLINE_MS));
  second = lan_test_engine_new (network, "10.77.0.4", &pi_options);
  g_assert_true (lan_test_await (claimed, &second_claim, LAN_TEST_DEADLINE_MS));

  alice_at_first = lan_test_engine_await_peer (first, ALICE ":2425", LAN_TEST_DEADLINE_MS);
  alice_at_second = lan_test_engine_await_peer (second, ALICE ":2425", LAN_TEST_DEADLINE_MS);
  from_first = lan_messenger_send (first, alice_at_first, "from the first pi", &error);
  g_assert_no_error (error);
  g_assert_nonnull (from_first);
  from_second = lan_messenger_send (second, alice_at_second, "from the second pi", &error);
  g_assert_no_error (error);
  g_assert_nonnull (from_second);
  g_assert_cmpuint (lan_test_signal_await (shown, 2, LAN_TEST_DEADLINE_MS), ==, 2);

  /* Past the question to the first one: it answered, so they stay two. */
  until = g_get_monotonic_time () + 600 * 1000;
  g_assert_true (lan_test_await (later, &until, LAN_TEST_DEADLINE_MS));
  g_assert_true (claimed (&second_claim));
  one = lan_messenger_get_conversation (alice, "10.77.0.3:2425");
  two = lan_messenger_get_conversation (alice, "10.77.0.4:2425");
  g_assert_true (one != two);
  g_assert_true (one == lan_messenger_get_conversation (alice, "pi@raspberrypi"));
  g_assert_cmpuint (count_text (one, "from the first pi"), ==, 1);
  g_assert_cmpuint (count_text (one, "from the second pi"), ==, 0);
  g_assert_cmpuint (count_text (two, "from the second pi"), ==, 1);
  g_assert_cmpuint (count_text (two, "from the first pi"), ==, 0);
  g_assert_cmpuint (count_notices (one), ==, 0);
  g_assert_cmpuint (count_notices (two), ==, 0);
  g_assert_true (lan_peer_get_online (lan_test_engine_find_peer (alice, "10.77.0.3:2425")));
  g_assert_true (lan_peer_get_online (lan_test_engine_find_peer (alice, "10.77.0.4:2425")));

  /* A new nickname from the second one: the same row, still told apart. */
  {
    LanPeer *row = lan_test_engine_find_peer (alice, "10.77.0.4:2425");
    Claim renamed = { alice, "10.77.0.4:2425", "pi@raspberrypi (10.77.0.4:2425)" };

    g_object_set (second, "nickname", "Pi Two", NULL);
    g_assert_true (lan_test_await (nicknamed_pi_two, row, LAN_TEST_DEADLINE_MS));
    g_assert_true (lan_test_engine_find_peer (alice, "10.77.0.4:2425") == row);
    g_assert_true (claimed (&renamed));
  }

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&first);
  lan_test_engine_stop (&second);
}

/* A known user@host at a new address while the old one is still listed
 * (it crashed: no BR_EXIT): apart at first, then, once the old address
 * failed to answer, the same person, with the conversation that was. */
static void
test_crashed_peer_moved_is_same_person (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions alice_options = { .user_name = "alice" };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, "10.77.0.3", &bob_options);
  g_autoptr(LanMessage) hello = NULL;
  g_autoptr(GError) error = NULL;
  Claim moved = { alice, "10.77.0.5:2425", "bob@lab" };
  LanPeer *old;

  lan_identity_set_probe_ms (lan_messenger_get_identity (alice), 300);
  old = lan_test_engine_await_peer (alice, "10.77.0.3:2425", LAN_TEST_DEADLINE_MS);
  hello = lan_messenger_send (alice, old, "before the crash", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_message_await_settled (hello, LAN_TEST_DEADLINE_MS));
  lan_memory_transport_set_down (lan_test_engine_get_transport (bob), TRUE);
  lan_test_engine_stop (&bob);

  bob = lan_test_engine_new (network, "10.77.0.5", &bob_options);
  g_assert_nonnull (lan_test_engine_await_peer (alice, "10.77.0.5:2425", LAN_TEST_DEADLINE_MS));
  g_assert_true (lan_peer_get_distinct (lan_test_engine_find_peer (alice, "10.77.0.5:2425")));
  g_assert_true (lan_test_await (claimed, &moved, LAN_TEST_DEADLINE_MS));
  g_assert_false (lan_peer_get_online (old));
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "10.77.0.5:2425"), "before the crash"), ==, 1);

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&bob);
}

/* The "LI:" line of the UTF-8 block in the entries @engine sent, or NULL. */
static char *
sent_instance (LanMessenger *engine)
{
  g_autoptr(GPtrArray) entries = lan_memory_transport_find_sent (lan_test_engine_get_transport (engine),
                                                                 LAN_IPMSG_BR_ENTRY, NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      g_autoptr(GPtrArray) block = lan_ipmsg_packet_parse_utf8_block (g_ptr_array_index (entries, i));
      const char *value = lan_ipmsg_utf8_block_lookup (block, "LI");

      if (value != NULL)
        return g_strdup (value);
    }
  return NULL;
}

/* Lanchat names its machine in its entry with a random instance id, kept
 * beside the history (the same after a restart), and per process without
 * one; a listener reads it as the peer's "machine". */
static void
test_instance_id_stable_with_history (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-identity");
  g_autofree char *bob_db = lan_test_tmpdir_file (dir, "bob.db");
  LanTestEngineOptions alice_options = { .user_name = "alice" };
  LanTestEngineOptions bob_options = { .user_name = "bob", .history_path = bob_db };
  LanTestEngineOptions carol_options = { .user_name = "carol" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, "10.77.0.3", &bob_options);
  g_autoptr(LanMessenger) carol = lan_test_engine_new (network, "10.77.0.4", &carol_options);
  g_autofree char *first = sent_instance (bob);
  g_autofree char *second = NULL;
  g_autofree char *carol_first = sent_instance (carol);
  g_autofree char *carol_second = NULL;
  g_autofree char *machine = NULL;
  LanPeer *peer;

  g_assert_nonnull (first);
  g_assert_cmpuint (strlen (first), ==, 32);
  g_assert_cmpstr (first, ==, lan_identity_get_instance_id (lan_messenger_get_identity (bob)));
  peer = lan_test_engine_await_peer (alice, "10.77.0.3:2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (peer);
  machine = g_strconcat ("LI:", first, NULL);
  g_assert_cmpstr (lan_peer_get_machine (peer), ==, machine);

  lan_test_engine_stop (&bob);
  lan_test_engine_stop (&carol);
  bob = lan_test_engine_new (network, "10.77.0.3", &bob_options);
  carol = lan_test_engine_new (network, "10.77.0.4", &carol_options);
  second = sent_instance (bob);
  carol_second = sent_instance (carol);
  g_assert_cmpstr (first, ==, second);
  g_assert_nonnull (carol_second);
  g_assert_cmpstr (carol_first, !=, carol_second);
  g_assert_cmpstr (first, !=, carol_second);

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&bob);
  lan_test_engine_stop (&carol);
}

/* Issue 11 item 7: one machine on two networks (the same instance id, or
 * FeiQ's MAC, from two addresses) is one row, its other address in the
 * row's "addresses"; what it writes from either lands in one conversation. */
static void
check_two_cards (const char *version,
                 const char *block,
                 gsize       block_len)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions alice_options = { .user_name = "alice" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanTestSignal) shown = lan_test_signal_watch (alice, "message-received");
  g_autoptr(GBytes) entry = lan_test_craft (version, 10, "eric", "twocards", LAN_IPMSG_BR_ENTRY, block, block_len);
  g_autoptr(GBytes) again = lan_test_craft (version, 11, "eric", "twocards", LAN_IPMSG_BR_ENTRY, block, block_len);
  g_autoptr(GBytes) message = lan_test_craft (version, 12, "eric", "twocards",
                                              LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT, "via the wifi", 13);
  LanPeer *peer;
  const char * const *addresses;

  lan_test_inject (network, "10.77.0.3:2425", ALICE, entry);
  peer = lan_test_engine_await_peer (alice, "10.77.0.3:2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (peer);
  g_assert_nonnull (lan_peer_get_machine (peer));
  lan_test_inject (network, "10.77.0.13:2425", ALICE, again);
  lan_memory_network_flush (network);
  lan_test_drain ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_peers (alice))), ==, 1);
  g_assert_null (lan_test_engine_find_peer (alice, "10.77.0.13:2425"));
  addresses = lan_peer_get_addresses (peer);
  g_assert_cmpuint (g_strv_length ((char **) addresses), ==, 1);
  g_assert_cmpstr (addresses[0], ==, "10.77.0.13:2425");
  g_assert_cmpstr (lan_peer_get_identity (peer), ==, "eric@twocards");

  lan_test_inject (network, "10.77.0.13:2425", ALICE, message);
  g_assert_cmpuint (lan_test_signal_await (shown, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  g_assert_cmpuint (count_text (lan_messenger_get_conversation (alice, "10.77.0.3:2425"), "via the wifi"), ==, 1);

  lan_test_engine_stop (&alice);
}

static void
test_two_cards_one_row_instance_id (void)
{
  static const char block[] = "Eric\0\0\nUN:eric\nHN:twocards\nNN:Eric\nLI:0123456789abcdef0123456789abcdef\n";

  check_two_cards ("1", block, sizeof block);
}

static void
test_two_cards_one_row_feiq_mac (void)
{
  static const char block[] = "Eric\0";

  check_two_cards ("1_lbt6_0#128#000C29D68D8F#0#0#0#4001#9", block, sizeof block);
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
  g_test_add_func ("/engine/identity/new-person-on-known-address", test_new_person_on_known_address);
  g_test_add_func ("/engine/identity/several-people-one-address", test_several_people_one_address);
  g_test_add_func ("/engine/identity/cloned-identity-two-machines", test_cloned_identity_two_machines);
  g_test_add_func ("/engine/identity/crashed-peer-moved-is-same-person", test_crashed_peer_moved_is_same_person);
  g_test_add_func ("/engine/identity/instance-id-stable-with-history", test_instance_id_stable_with_history);
  g_test_add_func ("/engine/identity/two-cards-one-row-instance-id", test_two_cards_one_row_instance_id);
  g_test_add_func ("/engine/identity/two-cards-one-row-feiq-mac", test_two_cards_one_row_feiq_mac);
  g_test_add_func ("/engine/identity/silent-peer-gone-after-refresh", test_silent_peer_gone_after_refresh);
  g_test_add_func ("/engine/identity/watching-marks-silent-peer", test_watching_marks_silent_peer);
  g_test_add_func ("/engine/identity/restarted-peer-message-shown", test_restarted_peer_message_shown);
  g_test_add_func ("/engine/identity/entry-before-queued-message", test_entry_before_queued_message);
  return g_test_run ();
}

/* test-engine-spoofed-answers.c — a flood of spoofed ANSENTRY (issue 15
 * item 7), on the in-memory LAN: an answer nobody asked for is an
 * announcement to ask, not an answer, so the made-up peers leave again and
 * never push out, slow down or hide the real ones; what iptux sends in
 * answer to our entry still counts as an answer.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-bounds.h"
#include "lan-identity.h"
#include "lan-ipmsg.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"

#define ALICE "10.77.0.2"
#define BOB   "10.77.0.3"
#define CAROL "10.77.0.4"
#define DAVE  "10.77.0.5"

static LanEndpoint
endpoint (const char *text)
{
  LanEndpoint result = { 0, 0 };

  g_assert_true (lan_memory_parse_endpoint (text, &result));
  return result;
}

static guint
n_peers (LanMessenger *engine)
{
  return g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_peers (engine)));
}

/* An ANSENTRY as iptux 0.8.3 sends it, for a made-up person of its own. */
static GBytes *
craft_answer (guint i)
{
  g_autofree char *user = g_strdup_printf ("user%u", i);
  g_autofree char *host = g_strdup_printf ("pc-%u", i);
  g_autofree char *extra = g_strdup_printf ("Person %u%cstaff%cicon-tux.png%cutf-8%c", i, 0, 0, 0, 0);
  gsize extra_len = strlen (extra) + strlen ("staff") + strlen ("icon-tux.png") + strlen ("utf-8") + 4;

  return lan_test_craft ("1_iptux 0.8.3", 1000 + i, user, host,
                         LAN_IPMSG_ANSENTRY | LAN_IPMSG_ABSENCEOPT, extra, extra_len);
}

/* The @i-th made-up source: most outside the subnet, some inside it on
 * ports nobody listens on; each its own address:port and person. */
static LanEndpoint
fake_source (guint i)
{
  if (i % 8 == 7)
    return (LanEndpoint) { 0x0a4d0000u + 100 + (i / 8) % 100, (guint16) (3000 + i / 8) };
  return (LanEndpoint) { 0x0a580000u + i, 2425 };
}

/* Spoofed ANSENTRYs from fake_source (@first) to fake_source (@last - 1)
 * (only those alice still lists, when @listed is given), in rounds as a
 * flood arrives, so that the table fills while it comes; returns their bytes. */
static guint64
inject_answers (LanMemoryNetwork *network,
                guint             first,
                guint             last,
                LanPeerList      *listed)
{
  guint64 bytes_in = 0;

  for (guint i = first; i < last; i++)
    {
      LanEndpoint from = fake_source (i);
      g_autoptr(GBytes) answer = NULL;
      const guint8 *bytes;
      gsize len;

      if (listed != NULL && lan_peer_list_lookup_endpoint (listed, from) == NULL)
        continue;
      answer = craft_answer (i);
      bytes = g_bytes_get_data (answer, &len);
      lan_memory_network_inject (network, from, endpoint (ALICE ":2425"), bytes, len);
      bytes_in += len;
      if (i % 512 == 511)
        lan_memory_network_flush (network);
    }
  lan_memory_network_flush (network);
  return bytes_in;
}

static gboolean
is_fake (LanEndpoint to)
{
  return (to.address & 0xffff0000u) == 0x0a580000u ||
         (to.address >= 0x0a4d0000u + 100 && to.address < 0x0a4d0000u + 200 && to.port >= 3000);
}

/* Bytes @transport sent to made-up sources. */
static guint64
bytes_to_fakes (LanMemoryTransport *transport)
{
  guint64 total = 0;

  for (guint i = 0; i < lan_memory_transport_get_n_sent (transport); i++)
    {
      const LanMemorySent *sent = lan_memory_transport_get_sent (transport, i);

      if (is_fake (sent->to))
        total += g_bytes_get_size (sent->bytes);
    }
  return total;
}

typedef struct {
  LanMessenger *engine;
  guint         n;
} PeersWait;

static gboolean
peers_at_most (gpointer user_data)
{
  PeersWait *wait = user_data;

  return n_peers (wait->engine) <= wait->n;
}

static gboolean
both_answered (gpointer user_data)
{
  LanPeer **peers = user_data;

  return lan_peer_expiry_is_confirmed (peers[0]) && lan_peer_expiry_is_confirmed (peers[1]);
}

static gboolean
fakes_listed (LanMessenger *engine)
{
  LanPeerList *peers = lan_messenger_get_peers (engine);

  for (guint i = 0; i < n_peers (engine); i++)
    {
      g_autoptr(LanPeer) peer = g_list_model_get_item (G_LIST_MODEL (peers), i);

      if (is_fake (lan_peer_get_endpoint (peer)))
        return TRUE;
    }
  return FALSE;
}

/* Thousands of spoofed ANSENTRY, each from an address and person of its
 * own, more than the peer table holds: the real peers stay listed and
 * found, the table within its bound, the answer delay that of the real
 * peers, the made-up sources get fewer bytes than they sent, and after the
 * confirm time they are gone. */
static void
test_flood_of_spoofed_answers (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions alice_options = { .user_name = "alice", .nickname = "Alice", .answer_delay_max_ms = 1000 };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  LanTestEngineOptions carol_options = { .user_name = "carol" };
  LanTestEngineOptions dave_options = { .user_name = "dave" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, BOB, &bob_options);
  g_autoptr(LanMessenger) carol = lan_test_engine_new (network, CAROL, &carol_options);
  g_autoptr(LanMessenger) dave = NULL;
  LanMemoryTransport *transport = lan_test_engine_get_transport (alice);
  LanPeerList *peers = lan_messenger_get_peers (alice);
  LanPeerExpiry *expiry = lan_identity_get_expiry (lan_messenger_get_identity (alice));
  guint max = lan_peer_list_get_max (peers);
  guint fakes = max + 1000;
  guint64 bytes_in = 0, bytes_out;
  guint64 removed_before;
  PeersWait only_real = { alice, 3 };
  LanPeer *seen;
  LanPeer *bob_peer, *carol_peer;

  bob_peer = lan_test_engine_await_peer (alice, BOB ":2425", LAN_TEST_DEADLINE_MS);
  carol_peer = lan_test_engine_await_peer (alice, CAROL ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (bob_peer);
  g_assert_nonnull (carol_peer);
  g_object_add_weak_pointer (G_OBJECT (bob_peer), (gpointer *) &bob_peer);
  g_object_add_weak_pointer (G_OBJECT (carol_peer), (gpointer *) &carol_peer);

  /* They announced themselves when they started: asked, they answer, and
   * are known to be real, as every peer is that has been around a while. */
  lan_peer_expiry_set_confirm_ms (expiry, 100);
  g_assert_true (lan_test_await (both_answered, (LanPeer *[]) { bob_peer, carol_peer }, LAN_TEST_DEADLINE_MS));

  /* Nobody is asked while the flood comes in, however slow the build. */
  lan_peer_expiry_set_confirm_ms (expiry, 600000);
  lan_memory_transport_clear_sent (transport);
  removed_before = lan_peer_expiry_get_removed (expiry);
  bytes_in += inject_answers (network, 0, fakes, NULL);
  lan_test_drain ();

  /* The table within its bound, the real peers still in it. */
  g_assert_cmpuint (n_peers (alice), <=, max);
  g_assert_cmpuint (n_peers (alice), >, max / 2);
  /* The very peers of before, never pushed out (then listed anew when they spoke). */
  g_assert_true (lan_test_engine_find_peer (alice, BOB ":2425") == bob_peer);
  g_assert_true (lan_test_engine_find_peer (alice, CAROL ":2425") == carol_peer);
  g_assert_nonnull (bob_peer);
  g_assert_nonnull (carol_peer);
  /* None of them answered anything of ours: the answer delay stays that of
   * the real peers (lan-presence.c), not its 4 s maximum. */
  g_assert_cmpuint (lan_peer_list_count_answered (peers, g_get_monotonic_time () + 2 * G_USEC_PER_SEC), <=, 2);
  g_assert_false (lan_peer_get_answered (lan_peer_list_lookup_endpoint (peers, fake_source (fakes - 1))));
  /* Not one answer went back to an answer (the real peers may ask alice). */
  for (guint i = 0; i < fakes; i++)
    {
      LanEndpoint to = fake_source (i);

      g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_ANSENTRY, &to), ==, 0);
    }

  /* A scan finds alice and the real peers at once: a newcomer announces
   * itself, everyone answers within its delay. */
  dave = lan_test_engine_new (network, DAVE, &dave_options);
  g_assert_nonnull (lan_test_engine_await_peer (dave, ALICE ":2425", 2000));
  g_assert_nonnull (lan_test_engine_await_peer (dave, BOB ":2425", 2000));
  g_assert_nonnull (lan_test_engine_await_peer (dave, CAROL ":2425", 2000));
  /* Dave announced himself: alice lists him, and asks him (below) as any newcomer. */
  seen = lan_test_engine_await_peer (alice, DAVE ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (seen);
  g_object_add_weak_pointer (G_OBJECT (seen), (gpointer *) &seen);

  /* Alice looks who is there (a refresh): the real ones answer, and are
   * known to answer from then on. */
  lan_identity_refresh (lan_messenger_get_identity (alice));
  g_assert_true (lan_test_await (both_answered, (LanPeer *[]) { bob_peer, seen }, LAN_TEST_DEADLINE_MS));
  g_assert_true (lan_test_await (both_answered, (LanPeer *[]) { carol_peer, seen }, LAN_TEST_DEADLINE_MS));

  /* And again, as a flood repeats its addresses (heard twice is no answer),
   * then goes on with new ones, which need room. */
  bytes_in += inject_answers (network, 0, fakes, peers);
  bytes_in += inject_answers (network, fakes, fakes + 1000, NULL);
  lan_test_drain ();
  /* Heard twice, they pass for answering peers (LanPeer:answered), but not
   * for peers known to answer: the made-up ones make room for each other. */
  g_assert_cmpuint (n_peers (alice), <=, max);
  g_assert_true (lan_test_engine_find_peer (alice, BOB ":2425") == bob_peer);
  g_assert_true (lan_test_engine_find_peer (alice, CAROL ":2425") == carol_peer);
  g_assert_true (lan_test_engine_find_peer (alice, DAVE ":2425") == seen);
  g_assert_nonnull (bob_peer);
  g_assert_nonnull (carol_peer);
  g_assert_nonnull (seen);
  g_assert_true (lan_peer_get_answered (lan_peer_list_lookup_endpoint (peers, fake_source (fakes - 1))));
  g_assert_false (lan_peer_expiry_is_confirmed (lan_peer_list_lookup_endpoint (peers, fake_source (fakes - 1))));
  g_assert_nonnull (lan_peer_list_lookup_endpoint (peers, fake_source (fakes + 999)));

  /* After the confirm time: asked once, silent, removed. */
  lan_peer_expiry_set_confirm_ms (expiry, 300);
  g_assert_true (lan_test_await (peers_at_most, &only_real, 20000));
  g_assert_false (fakes_listed (alice));
  g_assert_cmpuint (n_peers (alice), ==, 3);
  g_assert_nonnull (lan_test_engine_find_peer (alice, BOB ":2425"));
  g_assert_nonnull (lan_test_engine_find_peer (alice, CAROL ":2425"));
  g_assert_nonnull (lan_test_engine_find_peer (alice, DAVE ":2425"));
  g_assert_cmpuint (lan_peer_expiry_get_removed (expiry) - removed_before, >, max / 2);
  /* More than LAN_PEER_ASK_EACH_MAX: asked by a broadcast, which real peers
   * hear; each made-up source got at most one question back. */
  g_assert_cmpuint (fakes, >, LAN_PEER_ASK_EACH_MAX);
  for (guint i = 0; i < fakes; i += 97)
    {
      LanEndpoint to = fake_source (i);

      g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_BR_ENTRY, &to), <=, 1);
    }

  /* The made-up sources, the victims of a spoofed flood, got back fewer
   * bytes than were sent in their name. */
  bytes_out = bytes_to_fakes (transport);
  g_test_message ("%u spoofed answers, %" G_GUINT64_FORMAT " bytes; %" G_GUINT64_FORMAT
                  " bytes back to their sources (%.2f per byte)",
                  fakes, bytes_in, bytes_out, (double) bytes_out / (double) bytes_in);
  g_assert_cmpuint (bytes_out, <=, bytes_in);

  g_assert_true (lan_test_engine_find_peer (alice, BOB ":2425") == bob_peer);
  g_assert_nonnull (bob_peer);
  g_clear_weak_pointer (&bob_peer);
  g_clear_weak_pointer (&carol_peer);
  g_clear_weak_pointer (&seen);
  lan_test_engine_stop (&dave);
  lan_test_engine_stop (&carol);
  lan_test_engine_stop (&bob);
  lan_test_engine_stop (&alice);
}

/* iptux answers our entry with ANSENTRY, and says nothing more until
 * something changes: that is an answer, it is never asked again, and it
 * stays. The same ANSENTRY from an address our entry never went to is
 * asked whether anyone is there. */
static void
test_answer_to_our_entry_counts (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions options = { .user_name = "alice" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &options);
  LanMemoryTransport *transport = lan_test_engine_get_transport (alice);
  LanPeerExpiry *expiry = lan_identity_get_expiry (lan_messenger_get_identity (alice));
  g_autoptr(GBytes) answer = craft_answer (1);
  g_autoptr(GBytes) stray = craft_answer (2);
  LanEndpoint iptux = endpoint ("10.77.0.20:2425");
  LanEndpoint elsewhere = { 0x0a580001u, 2425 };
  gsize len, stray_len;
  const guint8 *bytes = g_bytes_get_data (answer, &len);
  const guint8 *stray_bytes = g_bytes_get_data (stray, &stray_len);
  LanPeer *peer;
  PeersWait only_iptux = { alice, 1 };

  lan_peer_expiry_set_confirm_ms (expiry, 200);
  /* Our entry went to the subnet's broadcast when alice started. */
  lan_memory_network_inject (network, iptux, endpoint (ALICE ":2425"), bytes, len);
  lan_memory_network_inject (network, elsewhere, endpoint (ALICE ":2425"), stray_bytes, stray_len);
  lan_memory_network_flush (network);
  peer = lan_test_engine_await_peer (alice, "10.77.0.20:2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (peer);
  g_assert_true (lan_peer_get_answered (peer));
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "Person 1");
  g_assert_false (lan_peer_get_answered (lan_peer_list_lookup_endpoint (lan_messenger_get_peers (alice), elsewhere)));

  /* The stray one is asked and goes; iptux, quiet all along, stays unasked. */
  g_assert_true (lan_test_await (peers_at_most, &only_iptux, LAN_TEST_DEADLINE_MS));
  g_assert_nonnull (lan_test_engine_find_peer (alice, "10.77.0.20:2425"));
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_BR_ENTRY, &elsewhere), ==, 1);
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_BR_ENTRY, &iptux), ==, 0);
  lan_test_engine_stop (&alice);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/spoofed-answers/flood", test_flood_of_spoofed_answers);
  g_test_add_func ("/engine/spoofed-answers/answer-to-our-entry-counts", test_answer_to_our_entry_counts);

  return g_test_run ();
}

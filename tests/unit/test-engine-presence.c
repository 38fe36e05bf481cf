/* test-engine-presence.c — entry, answer, exit and the peer table's bound,
 * with engines and crafted clients (iptux, FeiQ) on the in-memory LAN.
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

#define ALICE   "10.77.0.2"
#define BOB     "10.77.0.3"
#define MALLORY "10.77.0.9:2425"

typedef struct {
  LanMemoryNetwork *network;
  LanMessenger     *alice;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  LanTestEngineOptions options = { .user_name = "alice", .nickname = "Alice" };

  fixture->network = lan_memory_network_new ("10.77.0.0/24");
  fixture->alice = lan_test_engine_new (fixture->network, ALICE, &options);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  lan_test_engine_stop (&fixture->alice);
  g_clear_object (&fixture->network);
}

static guint
n_peers (LanMessenger *engine)
{
  return g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_peers (engine)));
}

static void
inject_entry (Fixture    *fixture,
              const char *from,
              guint32     mode,
              const char *user,
              const char *nickname)
{
  g_autofree char *extra = g_strdup_printf ("%s%cgroup%c", nickname, 0, 0);
  g_autoptr(GBytes) datagram = lan_test_craft ("1", 100, user, "box", mode,
                                               extra, strlen (nickname) + strlen ("group") + 2);

  lan_test_inject (fixture->network, from, ALICE, datagram);
}

typedef struct {
  LanMemoryTransport *transport;
  guint32             mode;
  LanEndpoint         to;
  guint               want;
} SentWait;

static gboolean
sent_enough (gpointer user_data)
{
  SentWait *wait = user_data;

  return lan_memory_transport_count_sent (wait->transport, wait->mode, &wait->to) >= wait->want;
}

static LanEndpoint
endpoint (const char *text)
{
  LanEndpoint result = { 0, 0 };

  g_assert_true (lan_memory_parse_endpoint (text, &result));
  return result;
}

static void
test_two_engines_find_each_other (Fixture       *fixture,
                                  gconstpointer  data)
{
  LanTestEngineOptions options = { .user_name = "bob", .nickname = "Bob 你好" };
  g_autoptr(LanMessenger) bob = lan_test_engine_new (fixture->network, BOB, &options);
  LanPeer *seen_by_alice = lan_test_engine_await_peer (fixture->alice, BOB ":2425", LAN_TEST_DEADLINE_MS);
  LanPeer *seen_by_bob = lan_test_engine_await_peer (bob, ALICE ":2425", LAN_TEST_DEADLINE_MS);

  g_assert_nonnull (seen_by_alice);
  g_assert_nonnull (seen_by_bob);
  g_assert_cmpstr (lan_peer_get_nickname (seen_by_alice), ==, "Bob 你好");
  g_assert_cmpstr (lan_peer_get_identity (seen_by_alice), ==, "bob@lab");
  g_assert_true (lan_peer_get_utf8 (seen_by_alice));
  g_assert_cmpstr (lan_peer_get_nickname (seen_by_bob), ==, "Alice");
  /* Each hears its own broadcast back and knows it for its own: not a peer. */
  g_assert_cmpuint (n_peers (fixture->alice), ==, 1);
  g_assert_cmpuint (n_peers (bob), ==, 1);
  g_assert_cmpuint (lan_messenger_get_stats (fixture->alice)->spoofed, ==, 0);

  lan_test_engine_stop (&bob);
}

static void
test_entry_is_listed_and_answered (Fixture       *fixture,
                                   gconstpointer  data)
{
  LanMemoryTransport *transport = lan_test_engine_get_transport (fixture->alice);
  SentWait answered = { transport, LAN_IPMSG_ANSENTRY, endpoint (MALLORY), 1 };
  LanPeer *peer;

  inject_entry (fixture, MALLORY, LAN_IPMSG_BR_ENTRY, "mallory", "Mal");
  peer = lan_test_engine_await_peer (fixture->alice, MALLORY, LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (peer);
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "Mal");
  g_assert_cmpstr (lan_peer_get_group (peer), ==, "group");
  g_assert_cmpstr (lan_peer_get_identity (peer), ==, "mallory@box");

  g_assert_true (lan_test_await (sent_enough, &answered, LAN_TEST_DEADLINE_MS));
  /* An answer (ANSENTRY) is not answered again, and one entry gets one answer. */
  inject_entry (fixture, MALLORY, LAN_IPMSG_ANSENTRY, "mallory", "Mal");
  lan_memory_network_flush (lan_memory_transport_get_network (transport));
  lan_test_drain ();
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_ANSENTRY, &answered.to), ==, 1);
  g_assert_cmpuint (n_peers (fixture->alice), ==, 1);
}

static void
test_exit_removes_and_signals (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(LanTestSignal) gone = lan_test_signal_watch (fixture->alice, "peer-gone");
  LanTestEngineOptions options = { .user_name = "bob" };
  g_autoptr(LanMessenger) bob = lan_test_engine_new (fixture->network, BOB, &options);
  const GValue *args;
  guint n_args;

  inject_entry (fixture, MALLORY, LAN_IPMSG_BR_ENTRY, "mallory", "Mal");
  g_assert_nonnull (lan_test_engine_await_peer (fixture->alice, MALLORY, LAN_TEST_DEADLINE_MS));
  g_assert_nonnull (lan_test_engine_await_peer (fixture->alice, BOB ":2425", LAN_TEST_DEADLINE_MS));

  inject_entry (fixture, MALLORY, LAN_IPMSG_BR_EXIT, "mallory", "Mal");
  g_assert_cmpuint (lan_test_signal_await (gone, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  args = lan_test_signal_last_args (gone, &n_args);
  g_assert_cmpuint (n_args, ==, 1);
  g_assert_cmpstr (lan_peer_get_key (g_value_get_object (&args[0])), ==, MALLORY);
  g_assert_null (lan_test_engine_find_peer (fixture->alice, MALLORY));

  /* An engine that stops says so (BR_EXIT) to everyone. */
  lan_test_engine_stop (&bob);
  g_assert_cmpuint (lan_test_signal_await (gone, 2, LAN_TEST_DEADLINE_MS), ==, 2);
  g_assert_null (lan_test_engine_find_peer (fixture->alice, BOB ":2425"));
  g_assert_cmpuint (n_peers (fixture->alice), ==, 0);

  /* An exit from someone never listed: nothing to say. */
  inject_entry (fixture, "10.77.0.10:2425", LAN_IPMSG_BR_EXIT, "nobody", "Nobody");
  lan_memory_network_flush (fixture->network);
  g_assert_cmpuint (lan_test_signal_count (gone), ==, 2);
}

static void
test_flood_of_entries_is_bounded (Fixture       *fixture,
                                  gconstpointer  data)
{
  LanMemoryTransport *transport = lan_test_engine_get_transport (fixture->alice);
  const LanMessengerStats *stats = lan_messenger_get_stats (fixture->alice);
  guint max = lan_peer_list_get_max (lan_messenger_get_peers (fixture->alice));
  guint64 before = stats->received;
  guint sent = max + 500;
  g_autoptr(GBytes) entry = lan_test_craft ("1", 5, "f", "h", LAN_IPMSG_BR_ENTRY, "flood\0\0", 7);
  LanTestEngineOptions options = { .user_name = "bob" };
  g_autoptr(LanMessenger) bob = NULL;
  guint answers;

  /* Every one from an address of its own, outside the subnet: spoofed sources. */
  for (guint i = 0; i < sent; i++)
    {
      LanEndpoint from = { 0x0a580000u + i, 2425 };
      LanEndpoint to = { 0x0a4d0002u, 2425 };
      gsize len;
      const guint8 *bytes = g_bytes_get_data (entry, &len);

      lan_memory_network_inject (fixture->network, from, to, bytes, len);
    }
  lan_memory_network_flush (fixture->network);
  lan_test_drain ();

  /* Its own announcements may come back in between. */
  g_assert_cmpuint (stats->received - before, >=, sent);
  g_assert_cmpuint (n_peers (fixture->alice), <=, max);
  g_assert_cmpuint (n_peers (fixture->alice), >, 0);
  /* No source gets more back than it sent: one answer per entry at most. */
  answers = lan_memory_transport_count_sent (transport, LAN_IPMSG_ANSENTRY, NULL);
  g_assert_cmpuint (answers, <=, sent);

  /* And someone real who comes now is still listed. */
  bob = lan_test_engine_new (fixture->network, BOB, &options);
  g_assert_nonnull (lan_test_engine_await_peer (fixture->alice, BOB ":2425", LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (n_peers (fixture->alice), <=, max);
  lan_test_engine_stop (&bob);
}

static gboolean
answered_enough (gpointer user_data)
{
  LanMemoryTransport *transport = user_data;

  return lan_memory_transport_count_sent (transport, LAN_IPMSG_ANSENTRY, NULL) >= LAN_MESSENGER_MAX_ANSWERS;
}

/* Issue 15 item 7: after 4 000 spoofed one-shot entries, the answer delay
 * is that of the peers that answered (none), not its 4 s maximum. */
static void
test_entry_flood_keeps_discovery (Fixture       *fixture,
                                  gconstpointer  data)
{
  LanTestEngineOptions carol_options = { .user_name = "carol", .answer_delay_max_ms = 1000 };
  g_autoptr(LanMessenger) carol = lan_test_engine_new (fixture->network, "10.77.0.20", &carol_options);
  LanMemoryTransport *transport = lan_test_engine_get_transport (carol);
  g_autoptr(GBytes) entry = lan_test_craft ("1", 5, "f", "h", LAN_IPMSG_BR_ENTRY, "flood\0\0", 7);
  LanEndpoint to = endpoint ("10.77.0.20:2425");
  gsize len;
  const guint8 *bytes = g_bytes_get_data (entry, &len);

  for (guint i = 0; i < 4000; i++)
    {
      LanEndpoint from = { 0x0a580000u + i, 2425 };

      lan_memory_network_inject (fixture->network, from, to, bytes, len);
    }
  lan_memory_network_flush (fixture->network);
  /* The answers it took on (as many as it holds) have gone out. */
  g_assert_true (lan_test_await (answered_enough, transport, 10000));

  /* Each newcomer finds carol within 2 s; at a 4 s delay, eight of them
   * would all be that quick once in 256 runs. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *address = g_strdup_printf ("10.77.0.%u", 30 + i);
      g_autofree char *user = g_strdup_printf ("newcomer%u", i);
      LanTestEngineOptions options = { .user_name = user };
      g_autoptr(LanMessenger) newcomer = lan_test_engine_new (fixture->network, address, &options);

      g_assert_nonnull (lan_test_engine_await_peer (newcomer, "10.77.0.20:2425", 2000));
      lan_test_engine_stop (&newcomer);
    }
  lan_test_engine_stop (&carol);
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

/* Issue 15 item 7: spoofed one-shot announcements that never answer are
 * asked once, then removed, not only shown offline: the list holds the
 * real peers again, and nobody made up keeps the answer delay up. Real
 * peers that announced once are asked too, and stay when they answer. */
static void
test_unanswered_announcements_expire (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(LanTestSignal) gone = lan_test_signal_watch (fixture->alice, "peer-gone");
  LanMemoryTransport *transport = lan_test_engine_get_transport (fixture->alice);
  LanPeerExpiry *expiry = lan_identity_get_expiry (lan_messenger_get_identity (fixture->alice));
  LanTestEngineOptions options = { .user_name = "bob" };
  g_autoptr(LanMessenger) bob = NULL;
  g_autoptr(GBytes) entry = lan_test_craft ("1", 5, "f", "h", LAN_IPMSG_BR_ENTRY, "flood\0\0", 7);
  SentWait asked = { transport, LAN_IPMSG_BR_ENTRY, endpoint ("10.77.0.40:2425"), 1 };
  PeersWait only_real = { fixture->alice, 2 };
  const guint fakes = 300;
  gsize len;
  const guint8 *bytes = g_bytes_get_data (entry, &len);

  /* Nobody is asked while the flood is counted, however slow the build. */
  lan_peer_expiry_set_confirm_ms (expiry, 600000);
  bob = lan_test_engine_new (fixture->network, BOB, &options);
  g_assert_nonnull (lan_test_engine_await_peer (fixture->alice, BOB ":2425", LAN_TEST_DEADLINE_MS));
  for (guint i = 0; i < fakes; i++)
    {
      LanEndpoint from = { 0x0a580000u + i, 2425 };

      lan_memory_network_inject (fixture->network, from, endpoint (ALICE ":2425"), bytes, len);
    }
  /* And a real newcomer that announces itself once and then says nothing. */
  inject_entry (fixture, "10.77.0.40:2425", LAN_IPMSG_BR_ENTRY, "quiet", "Quiet");
  lan_memory_network_flush (fixture->network);
  lan_test_drain ();
  g_assert_cmpuint (n_peers (fixture->alice), ==, fakes + 2);
  lan_peer_expiry_set_confirm_ms (expiry, 500);

  /* Asked once it has been quiet, it answers. */
  g_assert_true (lan_test_await (sent_enough, &asked, LAN_TEST_DEADLINE_MS));
  inject_entry (fixture, "10.77.0.40:2425", LAN_IPMSG_ANSENTRY, "quiet", "Quiet");
  lan_memory_network_flush (fixture->network);

  g_assert_true (lan_test_await (peers_at_most, &only_real, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (n_peers (fixture->alice), ==, 2);
  g_assert_nonnull (lan_test_engine_find_peer (fixture->alice, BOB ":2425"));
  g_assert_nonnull (lan_test_engine_find_peer (fixture->alice, "10.77.0.40:2425"));
  g_assert_cmpuint (lan_peer_expiry_get_removed (expiry), ==, fakes);
  /* Gone as if they had left, each asked exactly once before (the first
   * one more: all claim one name, and it was asked whether it is still
   * there when the second came, lan-identity.c). */
  g_assert_cmpuint (lan_test_signal_count (gone), ==, fakes);
  for (guint i = 1; i < fakes; i += 37)
    {
      LanEndpoint to = { 0x0a580000u + i, 2425 };

      g_assert_null (lan_peer_list_lookup_endpoint (lan_messenger_get_peers (fixture->alice), to));
      g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_BR_ENTRY, &to), ==, 1);
    }
  /* Whoever answered is not asked again. */
  g_assert_cmpuint (lan_memory_transport_count_sent (transport, LAN_IPMSG_BR_ENTRY, &asked.to), ==, 1);
  lan_test_engine_stop (&bob);
}

/* iptux 0.8.3: a decorated version, UTF-8 without any flag but its marker
 * (icon name, then "utf-8"), and ABSENCEOPT on every packet. */
static void
test_iptux_entry (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char extra[] = "Bob 你好\0开发\0icon-tux.png\0utf-8\0";
  g_autoptr(GBytes) entry = lan_test_craft ("1_iptux 0.8.3", 1, "bob", "bobs-pc",
                                            LAN_IPMSG_BR_ENTRY | LAN_IPMSG_ABSENCEOPT,
                                            extra, sizeof extra - 1);
  LanPeer *peer;

  lan_test_inject (fixture->network, "10.77.0.20:2425", ALICE, entry);
  peer = lan_test_engine_await_peer (fixture->alice, "10.77.0.20:2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (peer);
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "Bob 你好");
  g_assert_cmpstr (lan_peer_get_group (peer), ==, "开发");
  g_assert_true (lan_peer_get_utf8 (peer));
  g_assert_false (lan_peer_get_away (peer));
}

/* FeiQ: the MAC in the version, GB18030 fields and no option bits at all. */
static void
test_feiq_entry (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *nickname = g_convert ("飞秋用户", -1, "GB18030", "UTF-8", NULL, NULL, NULL);
  g_autofree char *group = g_convert ("研发部", -1, "GB18030", "UTF-8", NULL, NULL, NULL);
  g_autofree char *extra = g_strdup_printf ("%s%c%s%c", nickname, 0, group, 0);
  g_autoptr(GBytes) entry = lan_test_craft ("1_lbt6_0#128#000C29D68D8F#0#0#0#4001#9", 1700000000,
                                            "feiq", "PC-01", LAN_IPMSG_BR_ENTRY,
                                            extra, strlen (nickname) + strlen (group) + 2);
  LanPeer *peer;

  lan_test_inject (fixture->network, "10.77.0.21:2425", ALICE, entry);
  peer = lan_test_engine_await_peer (fixture->alice, "10.77.0.21:2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (peer);
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "飞秋用户");
  g_assert_cmpstr (lan_peer_get_group (peer), ==, "研发部");
  g_assert_cmpstr (lan_peer_get_identity (peer), ==, "feiq@PC-01");
  g_assert_false (lan_peer_get_utf8 (peer));
  g_assert_cmpuint (lan_peer_get_capabilities (peer), ==, 0);
}

static guint
count_absences (LanMemoryTransport *transport)
{
  return lan_memory_transport_count_sent (transport, LAN_IPMSG_BR_ABSENCE, NULL);
}

static gboolean
absence_sent (gpointer user_data)
{
  SentWait *wait = user_data;

  return count_absences (wait->transport) >= wait->want;
}

static gboolean
has_bytes (GBytes     *bytes,
           const char *needle)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* The nickname of the last BR_ABSENCE sent, as its legacy field and as
 * its UTF-8 block's NN:, and whether it says away. */
static void
assert_last_absence_nickname (LanMemoryTransport *transport,
                              const char         *nickname,
                              gboolean            away)
{
  g_autoptr(GPtrArray) sent = lan_memory_transport_find_sent (transport, LAN_IPMSG_BR_ABSENCE, NULL);
  LanIpmsgPacket *last;
  GBytes *field;
  g_autofree char *block_key = g_strdup_printf ("NN:%s\n", nickname);
  gsize len;
  const char *data;

  g_assert_cmpuint (sent->len, >, 0);
  last = g_ptr_array_index (sent, sent->len - 1);
  g_assert_cmpint ((last->command & LAN_IPMSG_ABSENCEOPT) != 0, ==, away);
  field = g_ptr_array_index (last->sections, 0);
  data = g_bytes_get_data (field, &len);
  g_assert_cmpmem (data, len, nickname, strlen (nickname));
  g_assert_true (has_bytes (last->extra, block_key));
}

/* The "away-in-nickname" property: off by default; on, while away, every
 * BR_ABSENCE says "nick[text]" (for clients that ignore ABSENCEOPT), and
 * it is announced at once, not only at the next change of away. */
static void
test_away_in_nickname (Fixture       *fixture,
                       gconstpointer  data)
{
  LanMemoryTransport *transport = lan_test_engine_get_transport (fixture->alice);
  g_autoptr(LanTestSignal) notified = lan_test_signal_watch (fixture->alice, "notify::away-in-nickname");
  SentWait wait = { transport, LAN_IPMSG_BR_ABSENCE, { 0, 0 }, 0 };
  gboolean on = TRUE;

  g_object_get (fixture->alice, "away-in-nickname", &on, NULL);
  g_assert_false (on);

  wait.want = count_absences (transport) + 1;
  g_object_set (fixture->alice, "away", TRUE, "away-text", "In a meeting", NULL);
  g_assert_true (lan_test_await (absence_sent, &wait, LAN_TEST_DEADLINE_MS));
  assert_last_absence_nickname (transport, "Alice", TRUE);

  wait.want = count_absences (transport) + 1;
  g_object_set (fixture->alice, "away-in-nickname", TRUE, NULL);
  g_assert_cmpuint (lan_test_signal_count (notified), ==, 1);
  g_object_get (fixture->alice, "away-in-nickname", &on, NULL);
  g_assert_true (on);
  g_assert_true (lan_test_await (absence_sent, &wait, LAN_TEST_DEADLINE_MS));
  assert_last_absence_nickname (transport, "Alice[In a meeting]", TRUE);

  /* Setting the same value again is no change and no notification. */
  g_object_set (fixture->alice, "away-in-nickname", TRUE, NULL);
  g_assert_cmpuint (lan_test_signal_count (notified), ==, 1);

  /* Back: the plain nickname again. */
  wait.want = count_absences (transport) + 1;
  g_object_set (fixture->alice, "away", FALSE, NULL);
  g_assert_true (lan_test_await (absence_sent, &wait, LAN_TEST_DEADLINE_MS));
  assert_last_absence_nickname (transport, "Alice", FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/engine/presence/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("two-engines-find-each-other", test_two_engines_find_each_other);
  ADD ("entry-listed-and-answered", test_entry_is_listed_and_answered);
  ADD ("exit-removes-and-signals", test_exit_removes_and_signals);
  ADD ("flood-of-entries-is-bounded", test_flood_of_entries_is_bounded);
  ADD ("entry-flood-keeps-discovery", test_entry_flood_keeps_discovery);
  ADD ("unanswered-announcements-expire", test_unanswered_announcements_expire);
  ADD ("iptux-entry", test_iptux_entry);
  ADD ("feiq-entry", test_feiq_entry);
  ADD ("away-in-nickname", test_away_in_nickname);
#undef ADD

  return g_test_run ();
}

/* test-peer-seen-pacer.c — a peer that changes its names with every packet
 * costs history a write a second, not one a packet; the newest names are
 * still what history keeps.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-peer-seen-pacer"

#include "config.h"

#include "lan-bounds.h"
#include "lan-conversation-store.h"
#include "lan-peer-seen-pacer.h"
#include "lan-test-tmpdir.h"

typedef struct {
  LanTestTmpdir        *dir;
  LanConversationStore *store;
  LanPeerSeenPacer     *pacer;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;

  fixture->dir = lan_test_tmpdir_new ("peer-seen-pacer");
  path = lan_test_tmpdir_file (fixture->dir, "history.sqlite");
  fixture->store = lan_conversation_store_new (LAN_MESSENGER_MAX_CONVERSATIONS);
  lan_conversation_store_open_history (fixture->store, path, 0);
  g_assert_nonnull (lan_conversation_store_get_history (fixture->store));
  fixture->pacer = lan_peer_seen_pacer_new (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->pacer, lan_peer_seen_pacer_free);
  g_clear_object (&fixture->store);
  lan_test_tmpdir_free (fixture->dir);
}

static LanPeer *
peer_at (const char *address)
{
  LanEndpoint endpoint = { 0, 2425 };

  g_assert_true (lan_ipv4_parse (address, &endpoint.address));
  return lan_peer_new (endpoint);
}

/* (transfer full) (nullable): the nickname history keeps for @identity. */
static char *
saved_nickname (Fixture    *fixture,
                const char *identity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanHistoryPeer) known =
    lan_history_lookup_peer (lan_conversation_store_get_history (fixture->store), identity, &error);

  g_assert_no_error (error);
  return known != NULL ? g_strdup (known->nickname) : NULL;
}

static void
rename_and_see (Fixture    *fixture,
                LanPeer    *peer,
                const char *nickname)
{
  lan_peer_set_names (peer, nickname, "alice", "pc", "");
  lan_peer_seen_pacer_seen (fixture->pacer, peer);
}

static gboolean
on_deadline (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until history keeps @want for alice@pc (or @want is NULL and the
 * pacer has let everyone go), or 10 s pass. */
static gboolean
wait_for (Fixture    *fixture,
          const char *want)
{
  gboolean late = FALSE;
  guint deadline = g_timeout_add_seconds (10, on_deadline, &late);

  while (!late)
    {
      g_autofree char *saved = saved_nickname (fixture, "alice@pc");

      if (want != NULL ? g_strcmp0 (saved, want) == 0 : lan_peer_seen_pacer_get_size (fixture->pacer) == 0)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  if (!late)
    g_source_remove (deadline);
  return !late;
}

/* 500 renames in a row: the first is written at once, the others wait, and
 * only the newest of them is written, by the pacer's timer. */
static void
test_renames_are_paced (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(LanPeer) peer = peer_at ("10.77.0.5");
  g_autofree char *first = NULL;
  g_autofree char *during = NULL;

  rename_and_see (fixture, peer, "Alice");
  first = saved_nickname (fixture, "alice@pc");
  g_assert_cmpstr (first, ==, "Alice");

  for (guint i = 1; i <= 500; i++)
    {
      g_autofree char *nickname = g_strdup_printf ("Alice %u", i);

      rename_and_see (fixture, peer, nickname);
    }
  during = saved_nickname (fixture, "alice@pc");
  g_assert_cmpstr (during, ==, "Alice");
  g_assert_cmpuint (lan_peer_seen_pacer_get_size (fixture->pacer), ==, 1);

  g_assert_true (wait_for (fixture, "Alice 500"));
  /* Quiet for an interval: let go of, so the next change is written at once. */
  g_assert_true (wait_for (fixture, NULL));
  rename_and_see (fixture, peer, "Alice again");
  g_clear_pointer (&first, g_free);
  first = saved_nickname (fixture, "alice@pc");
  g_assert_cmpstr (first, ==, "Alice again");
}

/* A new address is not churn: written at once, with the newest names. */
static void
test_move_is_written_at_once (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(LanPeer) peer = peer_at ("10.77.0.5");
  g_autoptr(LanPeer) moved = peer_at ("10.77.0.6");
  g_autoptr(LanHistoryPeer) known = NULL;

  rename_and_see (fixture, peer, "Alice");
  rename_and_see (fixture, peer, "Alice, busy");
  rename_and_see (fixture, moved, "Alice, moved");
  known = lan_history_lookup_peer (lan_conversation_store_get_history (fixture->store), "alice@pc", NULL);
  g_assert_nonnull (known);
  g_assert_cmpstr (known->address, ==, "10.77.0.6:2425");
  g_assert_cmpstr (known->nickname, ==, "Alice, moved");
}

/* What still waits when the pacer goes (the app quits) is written then. */
static void
test_free_writes_what_waits (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(LanPeer) peer = peer_at ("10.77.0.5");
  g_autofree char *saved = NULL;

  rename_and_see (fixture, peer, "Alice");
  rename_and_see (fixture, peer, "Alice, last words");
  g_clear_pointer (&fixture->pacer, lan_peer_seen_pacer_free);
  saved = saved_nickname (fixture, "alice@pc");
  g_assert_cmpstr (saved, ==, "Alice, last words");
}

/* A forgotten person's waiting state is dropped, not written later. */
static void
test_forget_drops_what_waits (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(LanPeer) peer = peer_at ("10.77.0.5");
  g_autofree char *saved = NULL;

  rename_and_see (fixture, peer, "Alice");
  rename_and_see (fixture, peer, "Alice, evicted");
  lan_peer_seen_pacer_forget (fixture->pacer, "alice@pc");
  g_assert_cmpuint (lan_peer_seen_pacer_get_size (fixture->pacer), ==, 0);
  g_clear_pointer (&fixture->pacer, lan_peer_seen_pacer_free);
  saved = saved_nickname (fixture, "alice@pc");
  g_assert_cmpstr (saved, ==, "Alice");
}

/* More people than the pacer keeps: it holds no more than its bound, and
 * those beyond it are written unpaced, at once. */
static void
test_bounded (Fixture       *fixture,
              gconstpointer  data)
{
  const guint n = LAN_PEER_SEEN_PACER_MAX + 16;
  LanHistory *history = lan_conversation_store_get_history (fixture->store);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *address = g_strdup_printf ("10.%u.%u.%u", 77 + i / 65536, (i / 256) % 256, i % 256);
      g_autofree char *user = g_strdup_printf ("user%u", i);
      g_autoptr(LanPeer) peer = peer_at (address);

      lan_peer_set_names (peer, user, user, "flood", "");
      lan_peer_seen_pacer_seen (fixture->pacer, peer);
    }
  g_assert_cmpuint (lan_peer_seen_pacer_get_size (fixture->pacer), ==, LAN_PEER_SEEN_PACER_MAX);
  for (guint i = n - 16; i < n; i++)
    {
      g_autofree char *identity = g_strdup_printf ("user%u@flood", i);
      g_autoptr(LanHistoryPeer) known = lan_history_lookup_peer (history, identity, NULL);

      g_assert_nonnull (known);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/peer-seen-pacer/renames-are-paced", Fixture, NULL,
              fixture_set_up, test_renames_are_paced, fixture_tear_down);
  g_test_add ("/peer-seen-pacer/move-is-written-at-once", Fixture, NULL,
              fixture_set_up, test_move_is_written_at_once, fixture_tear_down);
  g_test_add ("/peer-seen-pacer/free-writes-what-waits", Fixture, NULL,
              fixture_set_up, test_free_writes_what_waits, fixture_tear_down);
  g_test_add ("/peer-seen-pacer/forget-drops-what-waits", Fixture, NULL,
              fixture_set_up, test_forget_drops_what_waits, fixture_tear_down);
  g_test_add ("/peer-seen-pacer/bounded", Fixture, NULL,
              fixture_set_up, test_bounded, fixture_tear_down);
  return g_test_run ();
}

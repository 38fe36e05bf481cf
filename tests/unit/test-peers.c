/* test-peers.c — peers, the peer list, conversations and messages as models.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "lan-conversation.h"
#include "lan-ipmsg.h"
#include "lan-message.h"
#include "lan-peer-list.h"
#include "lan-peer.h"

/* Records every items-changed and checks, inside the handler, that the model
 * already answers for what it announced: a view reads it right there. */
typedef struct {
  guint n;
  guint emissions;
  guint last_position;
  guint last_removed;
  guint last_added;
} ModelWatch;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  ModelWatch *watch)
{
  g_assert_cmpuint (position + removed, <=, watch->n);
  watch->n = watch->n - removed + added;
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, watch->n);
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_nonnull (item);
    }
  watch->emissions++;
  watch->last_position = position;
  watch->last_removed = removed;
  watch->last_added = added;
}

static void
watch_model (GListModel *model,
             ModelWatch *watch)
{
  watch->n = g_list_model_get_n_items (model);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), watch);
}

static void
assert_last_change (ModelWatch *watch,
                    guint       emissions,
                    guint       position,
                    guint       removed,
                    guint       added)
{
  g_assert_cmpuint (watch->emissions, ==, emissions);
  g_assert_cmpuint (watch->last_position, ==, position);
  g_assert_cmpuint (watch->last_removed, ==, removed);
  g_assert_cmpuint (watch->last_added, ==, added);
}

/* Counts notify per property name. */
static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           GHashTable *counts)
{
  const char *name = g_param_spec_get_name (pspec);

  g_hash_table_insert (counts, (gpointer) name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
}

static GHashTable *
watch_notify (gpointer object)
{
  GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);

  g_signal_connect (object, "notify", G_CALLBACK (on_notify), counts);
  return counts;
}

static guint
notified (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static guint
notified_total (GHashTable *counts)
{
  GHashTableIter iter;
  gpointer value;
  guint total = 0;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += GPOINTER_TO_UINT (value);
  return total;
}

static LanPeer *
peer_new (guint32 host_byte,
          gint64  last_seen)
{
  LanPeer *peer = lan_peer_new ((LanEndpoint) { 0x0a4d0000 | host_byte, 2425 });

  lan_peer_set_last_seen (peer, last_seen);
  return peer;
}

static void
test_peer_new (void)
{
  g_autoptr(LanPeer) peer = lan_peer_new ((LanEndpoint) { 0x0a4d0005, 2425 });
  LanEndpoint endpoint = lan_peer_get_endpoint (peer);

  g_assert_cmpstr (lan_peer_get_key (peer), ==, "10.77.0.5:2425");
  g_assert_cmpstr (lan_peer_get_address (peer), ==, "10.77.0.5");
  g_assert_cmpuint (lan_peer_get_port (peer), ==, 2425);
  g_assert_cmphex (endpoint.address, ==, 0x0a4d0005);
  g_assert_cmpuint (endpoint.port, ==, 2425);
  /* Before anything is heard the names are empty but never NULL, and the
   * nickname still shows something a person can tell apart. */
  g_assert_cmpstr (lan_peer_get_user (peer), ==, "");
  g_assert_cmpstr (lan_peer_get_host (peer), ==, "");
  g_assert_cmpstr (lan_peer_get_group (peer), ==, "");
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "10.77.0.5");
  /* Until it says who it is, where it is stands for who. */
  g_assert_cmpstr (lan_peer_get_identity (peer), ==, "10.77.0.5:2425");
  g_assert_null (lan_peer_get_away_text (peer));
  g_assert_null (lan_peer_get_version_text (peer));
  g_assert_false (lan_peer_get_away (peer));
  g_assert_false (lan_peer_get_utf8 (peer));
  g_assert_false (lan_peer_get_dialup (peer));

  {
    g_autofree char *nickname = NULL;
    g_autofree char *key = NULL;
    guint port = 0;

    g_object_get (peer, "nickname", &nickname, "key", &key, "port", &port, NULL);
    g_assert_cmpstr (nickname, ==, "10.77.0.5");
    g_assert_cmpstr (key, ==, "10.77.0.5:2425");
    g_assert_cmpuint (port, ==, 2425);
  }
}

static void
test_peer_names (void)
{
  g_autoptr(LanPeer) peer = lan_peer_new ((LanEndpoint) { 0x0a4d0005, 2425 });
  g_autoptr(GHashTable) counts = watch_notify (peer);

  /* No nickname: it falls back to the user, and says so. */
  lan_peer_set_names (peer, NULL, "alice", "box", "lab");
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "alice");
  g_assert_cmpuint (notified (counts, "nickname"), ==, 1);
  g_assert_cmpuint (notified (counts, "user"), ==, 1);
  g_assert_cmpuint (notified (counts, "host"), ==, 1);
  g_assert_cmpuint (notified (counts, "group"), ==, 1);
  g_assert_cmpstr (lan_peer_get_identity (peer), ==, "alice@box");
  g_assert_cmpuint (notified (counts, "identity"), ==, 1);

  /* The same packet again (every BR_ENTRY repeats them): no notify at all. */
  g_hash_table_remove_all (counts);
  lan_peer_set_names (peer, NULL, "alice", "box", "lab");
  lan_peer_set_names (peer, "", "alice", "box", "lab");
  g_assert_cmpuint (notified_total (counts), ==, 0);

  /* Only the user changes, nickname unset: the shown nickname changes with it. */
  lan_peer_set_names (peer, NULL, "alice2", "box", "lab");
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "alice2");
  g_assert_cmpuint (notified (counts, "nickname"), ==, 1);
  g_assert_cmpuint (notified (counts, "user"), ==, 1);
  g_assert_cmpuint (notified (counts, "identity"), ==, 1);
  g_assert_cmpuint (notified_total (counts), ==, 3);

  /* NULL user, host, group keep what we have. */
  g_hash_table_remove_all (counts);
  lan_peer_set_names (peer, NULL, NULL, NULL, NULL);
  g_assert_cmpstr (lan_peer_get_user (peer), ==, "alice2");
  g_assert_cmpstr (lan_peer_get_host (peer), ==, "box");
  g_assert_cmpstr (lan_peer_get_group (peer), ==, "lab");
  g_assert_cmpuint (notified_total (counts), ==, 0);

  /* A real nickname wins over the user; once, however many fields change. */
  lan_peer_set_names (peer, "Alice", "alice2", "box2", "lab");
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "Alice");
  g_assert_cmpuint (notified (counts, "nickname"), ==, 1);
  g_assert_cmpuint (notified (counts, "host"), ==, 1);
  g_assert_cmpuint (notified (counts, "identity"), ==, 1);
  g_assert_cmpuint (notified_total (counts), ==, 3);

  /* With a nickname set, a new user does not change what is shown. */
  g_hash_table_remove_all (counts);
  lan_peer_set_names (peer, "Alice", "bob", "box2", "lab");
  g_assert_cmpuint (notified (counts, "nickname"), ==, 0);
  g_assert_cmpuint (notified (counts, "user"), ==, 1);

  /* Clearing the nickname falls back to the user. */
  g_hash_table_remove_all (counts);
  lan_peer_set_names (peer, "", "bob", "box2", "lab");
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "bob");
  g_assert_cmpuint (notified (counts, "nickname"), ==, 1);
  g_assert_cmpuint (notified_total (counts), ==, 1);

  /* A nickname equal to the fallback it replaces shows the same text: the
   * "nickname" property did not change, so nothing may be notified. */
  g_hash_table_remove_all (counts);
  lan_peer_set_names (peer, "bob", "bob", "box2", "lab");
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "bob");
  lan_peer_set_names (peer, NULL, "bob", "box2", "lab");
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "bob");
  g_assert_cmpuint (notified_total (counts), ==, 0);

  /* With no user either, the address is the last resort. */
  g_hash_table_remove_all (counts);
  lan_peer_set_names (peer, NULL, "", NULL, NULL);
  g_assert_cmpstr (lan_peer_get_nickname (peer), ==, "10.77.0.5");
  g_assert_cmpuint (notified (counts, "nickname"), ==, 1);
  g_assert_cmpuint (notified (counts, "user"), ==, 1);
}

static void
test_peer_setters (void)
{
  g_autoptr(LanPeer) peer = lan_peer_new ((LanEndpoint) { 0x0a4d0005, 2425 });
  g_autoptr(GHashTable) counts = watch_notify (peer);

  lan_peer_set_away (peer, 2);  /* any true value is TRUE */
  lan_peer_set_away (peer, TRUE);
  g_assert_true (lan_peer_get_away (peer));
  g_assert_cmpuint (notified (counts, "away"), ==, 1);

  lan_peer_set_away_text (peer, "lunch");
  lan_peer_set_away_text (peer, "lunch");
  g_assert_cmpstr (lan_peer_get_away_text (peer), ==, "lunch");
  lan_peer_set_away_text (peer, NULL);
  g_assert_null (lan_peer_get_away_text (peer));
  g_assert_cmpuint (notified (counts, "away-text"), ==, 2);

  lan_peer_set_version_text (peer, "iptux 0.8.3");
  lan_peer_set_version_text (peer, "iptux 0.8.3");
  g_assert_cmpuint (notified (counts, "version-text"), ==, 1);

  lan_peer_set_utf8 (peer, TRUE);
  lan_peer_set_utf8 (peer, 5);
  g_assert_true (lan_peer_get_utf8 (peer));
  g_assert_cmpuint (notified (counts, "utf8"), ==, 1);

  /* "dialup" is derived from the capabilities and notifies with them, only when it flips. */
  lan_peer_set_capabilities (peer, LAN_IPMSG_CAPUTF8OPT);
  g_assert_cmpuint (notified (counts, "capabilities"), ==, 1);
  g_assert_cmpuint (notified (counts, "dialup"), ==, 0);
  lan_peer_set_capabilities (peer, LAN_IPMSG_CAPUTF8OPT | LAN_IPMSG_DIALUPOPT);
  g_assert_true (lan_peer_get_dialup (peer));
  g_assert_cmpuint (notified (counts, "capabilities"), ==, 2);
  g_assert_cmpuint (notified (counts, "dialup"), ==, 1);
  lan_peer_set_capabilities (peer, LAN_IPMSG_CAPUTF8OPT | LAN_IPMSG_DIALUPOPT);
  lan_peer_set_capabilities (peer, LAN_IPMSG_DIALUPOPT);
  g_assert_cmpuint (notified (counts, "capabilities"), ==, 3);
  g_assert_cmpuint (notified (counts, "dialup"), ==, 1);
  g_assert_cmphex (lan_peer_get_capabilities (peer), ==, LAN_IPMSG_DIALUPOPT);

  /* Changes with every packet; deliberately not notified. */
  g_hash_table_remove_all (counts);
  lan_peer_set_last_seen (peer, 12345);
  g_assert_cmpint (lan_peer_get_last_seen (peer), ==, 12345);
  g_assert_cmpuint (notified_total (counts), ==, 0);
}

static void
test_list_add_remove (void)
{
  g_autoptr(LanPeerList) list = lan_peer_list_new (10);
  g_autoptr(LanPeer) a = peer_new (1, 100);
  g_autoptr(LanPeer) b = peer_new (2, 100);
  g_autoptr(LanPeer) c = peer_new (3, 100);
  g_autoptr(LanPeer) stranger = peer_new (9, 100);
  ModelWatch watch = { 0 };

  watch_model (G_LIST_MODEL (list), &watch);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == LAN_TYPE_PEER);
  g_assert_cmpuint (lan_peer_list_get_max (list), ==, 10);

  g_assert_null (lan_peer_list_add (list, a));
  assert_last_change (&watch, 1, 0, 0, 1);
  g_assert_null (lan_peer_list_add (list, b));
  assert_last_change (&watch, 2, 1, 0, 1);
  g_assert_null (lan_peer_list_add (list, c));
  assert_last_change (&watch, 3, 2, 0, 1);

  g_assert_true (lan_peer_list_lookup (list, "10.77.0.2:2425") == b);
  g_assert_true (lan_peer_list_lookup_endpoint (list, (LanEndpoint) { 0x0a4d0003, 2425 }) == c);
  /* Same address, other port: another peer. */
  g_assert_null (lan_peer_list_lookup_endpoint (list, (LanEndpoint) { 0x0a4d0003, 2426 }));
  g_assert_null (lan_peer_list_lookup (list, "10.77.0.9:2425"));
  g_assert_null (lan_peer_list_lookup (list, NULL));

  {
    g_autoptr(LanPeer) second = g_list_model_get_item (G_LIST_MODEL (list), 1);

    g_assert_true (second == b);
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 3));
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), G_MAXUINT));
  }

  lan_peer_list_remove (list, b);
  assert_last_change (&watch, 4, 1, 1, 0);
  g_assert_null (lan_peer_list_lookup (list, "10.77.0.2:2425"));
  {
    g_autoptr(LanPeer) second = g_list_model_get_item (G_LIST_MODEL (list), 1);

    g_assert_true (second == c);
  }

  /* Removing what is not there is a no-op, not a signal. */
  lan_peer_list_remove (list, b);
  lan_peer_list_remove (list, stranger);
  g_assert_cmpuint (watch.emissions, ==, 4);

  lan_peer_list_clear (list);
  assert_last_change (&watch, 5, 0, 2, 0);
  g_assert_null (lan_peer_list_lookup (list, "10.77.0.1:2425"));
  lan_peer_list_clear (list);
  g_assert_cmpuint (watch.emissions, ==, 5);

  /* After a clear the same peers can come back. */
  g_assert_null (lan_peer_list_add (list, b));
  assert_last_change (&watch, 6, 0, 0, 1);
  g_assert_true (lan_peer_list_lookup (list, "10.77.0.2:2425") == b);
}

static void
test_list_holds_reference (void)
{
  g_autoptr(LanPeerList) list = lan_peer_list_new (0);
  LanPeer *peer = peer_new (1, 100);

  g_assert_cmpuint (lan_peer_list_get_max (list), ==, LAN_PEER_LIST_DEFAULT_MAX);
  g_assert_null (lan_peer_list_add (list, peer));
  g_object_unref (peer);
  /* The list's own reference keeps it, and its key, alive for lookups. */
  peer = lan_peer_list_lookup (list, "10.77.0.1:2425");
  g_assert_nonnull (peer);
  g_assert_cmpstr (lan_peer_get_key (peer), ==, "10.77.0.1:2425");
  /* Removing the last reference must not leave a dangling key in the index. */
  lan_peer_list_remove (list, peer);
  g_assert_null (lan_peer_list_lookup (list, "10.77.0.1:2425"));
}

static void
test_list_cap (void)
{
  g_autoptr(LanPeerList) list = lan_peer_list_new (3);
  g_autoptr(LanPeer) a = peer_new (1, 300);
  g_autoptr(LanPeer) b = peer_new (2, 100);
  g_autoptr(LanPeer) c = peer_new (3, 200);
  g_autoptr(LanPeer) d = peer_new (4, 400);
  g_autoptr(LanPeer) e = peer_new (5, 500);
  g_autoptr(LanPeer) f = peer_new (6, 600);
  g_autofree char *evicted = NULL;
  ModelWatch watch = { 0 };

  watch_model (G_LIST_MODEL (list), &watch);
  g_assert_null (lan_peer_list_add (list, a));
  g_assert_null (lan_peer_list_add (list, b));
  g_assert_null (lan_peer_list_add (list, c));

  /* Full: b, heard from least recently though not the first to arrive, goes. */
  evicted = lan_peer_list_add (list, d);
  g_assert_cmpstr (evicted, ==, "10.77.0.2:2425");
  g_assert_cmpuint (watch.emissions, ==, 5);
  assert_last_change (&watch, 5, 2, 0, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_null (lan_peer_list_lookup (list, "10.77.0.2:2425"));
  g_assert_true (lan_peer_list_lookup (list, "10.77.0.4:2425") == d);

  /* Hearing from a peer again saves it: c is now the stalest. */
  g_clear_pointer (&evicted, g_free);
  lan_peer_set_last_seen (a, 50);
  lan_peer_set_last_seen (a, 700);
  evicted = lan_peer_list_add (list, e);
  g_assert_cmpstr (evicted, ==, "10.77.0.3:2425");

  /* On a tie the earlier arrival goes. */
  g_clear_pointer (&evicted, g_free);
  lan_peer_set_last_seen (a, 1000);
  lan_peer_set_last_seen (d, 1000);
  lan_peer_set_last_seen (e, 1000);
  evicted = lan_peer_list_add (list, f);
  g_assert_cmpstr (evicted, ==, "10.77.0.1:2425");

  {
    g_autoptr(LanPeer) first = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_autoptr(LanPeer) last = g_list_model_get_item (G_LIST_MODEL (list), 2);

    g_assert_true (first == d);
    g_assert_true (last == f);
  }
}

static void
test_list_flood (void)
{
  g_autoptr(LanPeerList) list = lan_peer_list_new (16);
  ModelWatch watch = { 0 };
  guint evictions = 0;

  watch_model (G_LIST_MODEL (list), &watch);
  /* A flood of fake addresses cannot grow the list past its cap. */
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(LanPeer) peer = lan_peer_new ((LanEndpoint) { 0x0a000000 + i, 2425 });
      g_autofree char *evicted = NULL;

      lan_peer_set_last_seen (peer, i + 1);
      evicted = lan_peer_list_add (list, peer);
      if (evicted != NULL)
        {
          g_autoptr(LanPeer) gone = lan_peer_new ((LanEndpoint) { 0x0a000000 + evictions, 2425 });

          /* Oldest first, in order. */
          g_assert_cmpstr (evicted, ==, lan_peer_get_key (gone));
          evictions++;
        }
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), <=, 16);
    }
  g_assert_cmpuint (evictions, ==, 1000 - 16);
  g_assert_cmpuint (watch.n, ==, 16);
}

static void
test_conversation (void)
{
  g_autoptr(LanConversation) conversation = lan_conversation_new ("10.77.0.5:2425");
  g_autoptr(GHashTable) counts = watch_notify (conversation);
  ModelWatch watch = { 0 };
  const LanDirection directions[] = {
    LAN_DIRECTION_OUT, LAN_DIRECTION_IN, LAN_DIRECTION_IN, LAN_DIRECTION_OUT, LAN_DIRECTION_IN,
  };

  watch_model (G_LIST_MODEL (conversation), &watch);
  g_assert_cmpstr (lan_conversation_get_peer_key (conversation), ==, "10.77.0.5:2425");
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (conversation)) == LAN_TYPE_MESSAGE);
  g_assert_cmpuint (lan_conversation_get_unread (conversation), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (directions); i++)
    {
      g_autofree char *text = g_strdup_printf ("message %u", i);
      g_autoptr(LanMessage) message = lan_message_new (directions[i], "10.77.0.5:2425", text, i + 1, i + 1);

      lan_conversation_append (conversation, message, FALSE);
      assert_last_change (&watch, i + 1, i, 0, 1);
    }

  /* Only what came in is unread: our own messages are not news to us. */
  g_assert_cmpuint (lan_conversation_get_unread (conversation), ==, 3);
  g_assert_cmpuint (notified (counts, "unread"), ==, 3);

  {
    g_autoptr(LanMessage) first = g_list_model_get_item (G_LIST_MODEL (conversation), 0);
    g_autoptr(LanMessage) last = g_list_model_get_item (G_LIST_MODEL (conversation), 4);

    g_assert_cmpstr (lan_message_get_text (first), ==, "message 0");
    g_assert_cmpstr (lan_message_get_text (last), ==, "message 4");
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (conversation), 5));
  }

  lan_conversation_mark_read (conversation);
  g_assert_cmpuint (lan_conversation_get_unread (conversation), ==, 0);
  g_assert_cmpuint (notified (counts, "unread"), ==, 4);
  lan_conversation_mark_read (conversation);
  g_assert_cmpuint (notified (counts, "unread"), ==, 4);

  /* Marking read is not removing: the history stays. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 5);

  {
    g_autoptr(LanMessage) outgoing = lan_message_new (LAN_DIRECTION_OUT, "10.77.0.5:2425", "out", 9, 9);

    lan_conversation_append (conversation, outgoing, FALSE);
    g_assert_cmpuint (lan_conversation_get_unread (conversation), ==, 0);
    g_assert_cmpuint (notified (counts, "unread"), ==, 4);
  }
}

static void
test_conversation_loaded (void)
{
  g_autoptr(LanConversation) conversation = lan_conversation_new ("alice@box");
  g_autoptr(LanMessage) old = lan_message_new (LAN_DIRECTION_IN, "alice@box", "from history", 1, 1);
  g_autoptr(LanMessage) notice = lan_message_new_notice ("address changed", 2);
  g_autoptr(LanMessage) fresh = lan_message_new (LAN_DIRECTION_IN, "alice@box", "new", 3, 3);
  ModelWatch watch = { 0 };

  watch_model (G_LIST_MODEL (conversation), &watch);

  /* Read last session already; and Lanchat's own notices are not messages to answer. */
  lan_conversation_append (conversation, old, TRUE);
  lan_conversation_append (conversation, notice, FALSE);
  g_assert_true (lan_message_get_notice (notice));
  g_assert_cmpuint (lan_conversation_get_unread (conversation), ==, 0);
  lan_conversation_append (conversation, fresh, FALSE);
  g_assert_cmpuint (lan_conversation_get_unread (conversation), ==, 1);
  g_assert_cmpuint (watch.n, ==, 3);

  lan_conversation_clear (conversation);
  assert_last_change (&watch, 4, 0, 3, 0);
  g_assert_cmpuint (lan_conversation_get_unread (conversation), ==, 0);
  lan_conversation_clear (conversation);
  g_assert_cmpuint (watch.emissions, ==, 4);
}

static void
test_conversation_cap (void)
{
  g_autoptr(LanConversation) conversation = lan_conversation_new ("10.77.0.5:2425");
  ModelWatch watch = { 0 };

  watch_model (G_LIST_MODEL (conversation), &watch);
  for (guint i = 0; i < LAN_CONVERSATION_MAX_MESSAGES + 2; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);
      g_autoptr(LanMessage) message = lan_message_new (LAN_DIRECTION_OUT, "10.77.0.5:2425", text, i, i);

      lan_conversation_append (conversation, message, FALSE);
    }

  /* The oldest go, each as its own removal at the front. */
  g_assert_cmpuint (watch.n, ==, LAN_CONVERSATION_MAX_MESSAGES);
  g_assert_cmpuint (watch.emissions, ==, LAN_CONVERSATION_MAX_MESSAGES + 2 + 2);
  {
    g_autoptr(LanMessage) first = g_list_model_get_item (G_LIST_MODEL (conversation), 0);

    g_assert_cmpstr (lan_message_get_text (first), ==, "2");
  }
}

static void
test_message (void)
{
  g_autoptr(LanMessage) in = lan_message_new (LAN_DIRECTION_IN, "10.77.0.5:2425", "hi", 1000, 42);
  g_autoptr(LanMessage) out = lan_message_new (LAN_DIRECTION_OUT, "10.77.0.5:2425", NULL, 2000, 43);
  g_autoptr(GHashTable) counts = watch_notify (out);

  g_assert_cmpint (lan_message_get_state (in), ==, LAN_MESSAGE_RECEIVED);
  g_assert_cmpint (lan_message_get_direction (in), ==, LAN_DIRECTION_IN);
  g_assert_cmpstr (lan_message_get_text (in), ==, "hi");
  g_assert_cmpint (lan_message_get_time (in), ==, 1000);
  g_assert_cmpuint (lan_message_get_packet_no (in), ==, 42);
  g_assert_cmpstr (lan_message_get_peer_key (in), ==, "10.77.0.5:2425");

  /* A message without text still has a string to show. */
  g_assert_cmpstr (lan_message_get_text (out), ==, "");
  g_assert_cmpint (lan_message_get_state (out), ==, LAN_MESSAGE_SENDING);

  lan_message_set_state (out, LAN_MESSAGE_DELIVERED);
  lan_message_set_state (out, LAN_MESSAGE_DELIVERED);
  g_assert_cmpuint (notified (counts, "state"), ==, 1);
  lan_message_set_attempts (out, 3);
  lan_message_set_attempts (out, 3);
  g_assert_cmpuint (notified (counts, "attempts"), ==, 1);
  lan_message_set_packet_no (out, 44);
  g_assert_cmpuint (notified (counts, "packet-no"), ==, 1);
  lan_message_set_broadcast (out, 7);
  lan_message_set_broadcast (out, TRUE);
  g_assert_cmpuint (notified (counts, "broadcast"), ==, 1);
  lan_message_set_auto_reply (out, TRUE);
  lan_message_set_auto_reply (out, TRUE);
  g_assert_cmpuint (notified (counts, "auto-reply"), ==, 1);
  lan_message_set_error (out, "timed out");
  lan_message_set_error (out, "timed out");
  lan_message_set_error (out, NULL);
  g_assert_null (lan_message_get_error (out));
  g_assert_cmpuint (notified (counts, "error"), ==, 2);
}

static void
test_message_states (void)
{
  const struct {
    LanMessageState state;
    const char *name;
  } states[] = {
    { LAN_MESSAGE_RECEIVED, "received" },
    { LAN_MESSAGE_SENDING, "sending" },
    { LAN_MESSAGE_DELIVERED, "delivered" },
    { LAN_MESSAGE_READ, "read" },
    { LAN_MESSAGE_FAILED, "failed" },
    { LAN_MESSAGE_QUEUED, "queued" },
    { LAN_MESSAGE_SENT, "sent" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
    g_assert_cmpstr (lan_message_state_to_string (states[i].state), ==, states[i].name);

  /* Values from a damaged history row must not read past the table. */
  g_assert_cmpstr (lan_message_state_to_string (LAN_MESSAGE_SENT + 1), ==, "unknown");
  g_assert_cmpstr (lan_message_state_to_string ((LanMessageState) -1), ==, "unknown");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/peer/new", test_peer_new);
  g_test_add_func ("/peer/names", test_peer_names);
  g_test_add_func ("/peer/setters", test_peer_setters);
  g_test_add_func ("/peer-list/add-remove", test_list_add_remove);
  g_test_add_func ("/peer-list/holds-reference", test_list_holds_reference);
  g_test_add_func ("/peer-list/cap", test_list_cap);
  g_test_add_func ("/peer-list/flood", test_list_flood);
  g_test_add_func ("/conversation/unread", test_conversation);
  g_test_add_func ("/conversation/loaded", test_conversation_loaded);
  g_test_add_func ("/conversation/cap", test_conversation_cap);
  g_test_add_func ("/message/properties", test_message);
  g_test_add_func ("/message/states", test_message_states);

  return g_test_run ();
}

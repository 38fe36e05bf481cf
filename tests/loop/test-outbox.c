/* test-outbox.c — history across restarts: the outbox, identities that move.
 *
 * Engines on 127.0.0.x inside a loopback-only namespace (tests/isolated.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-messenger.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define DEADLINE_MS 5000

static LanMessenger *
engine (const char *address,
        const char *user,
        const char *history,
        const char *target)
{
  const char *targets[] = { target, NULL };
  LanTestEngineOptions options = {
    .user_name = user,
    .host_name = "lab",
    .nickname = user,
    .history_path = history,
    .answer_delay_max_ms = 20,
    .retry_initial_ms = 50,
    .retry_budget_ms = 400,
    .targets = targets,
  };

  return lan_test_engine_new_udp (address, &options);
}

static void
stop (LanMessenger **messenger)
{
  lan_test_engine_stop (messenger);
}

static LanPeer *
find (LanMessenger *messenger,
      const char   *key)
{
  return lan_test_engine_find_peer (messenger, key);
}

typedef struct {
  LanMessenger *messenger;
  const char   *key;
} FindWait;

static gboolean
peer_listed (gpointer data)
{
  FindWait *wait = data;

  return find (wait->messenger, wait->key) != NULL;
}

static gboolean
delivered (gpointer data)
{
  return lan_message_get_state (data) == LAN_MESSAGE_DELIVERED;
}

static gboolean
queued (gpointer data)
{
  return lan_message_get_state (data) == LAN_MESSAGE_QUEUED;
}

static guint
count_text (LanConversation *conversation,
            const char      *text)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (conversation));
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanMessage) m = g_list_model_get_item (G_LIST_MODEL (conversation), i);

      if (g_strcmp0 (lan_message_get_text (m), text) == 0)
        count++;
    }
  return count;
}

typedef struct {
  LanConversation *conversation;
  const char      *text;
} TextWait;

static gboolean
text_arrived (gpointer data)
{
  TextWait *wait = data;

  return count_text (wait->conversation, wait->text) > 0;
}

static void
test_outbox_across_restart (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-outbox");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  g_autofree char *bob_db = lan_test_tmpdir_file (dir, "bob.db");
  LanMessenger *alice = engine ("127.0.0.2", "alice", alice_db, "127.0.0.3");
  LanMessenger *bob = engine ("127.0.0.3", "bob", bob_db, "127.0.0.2");
  FindWait alice_sees_bob = { alice, "127.0.0.3:2425" };
  g_autoptr(LanPeer) bob_peer = NULL;
  g_autoptr(LanMessage) first = NULL;
  g_autoptr(LanMessage) owed = NULL;
  g_autoptr(GError) error = NULL;
  TextWait arrived;

  g_assert_true (lan_test_await (peer_listed, &alice_sees_bob, DEADLINE_MS));
  bob_peer = g_object_ref (find (alice, "127.0.0.3:2425"));
  first = lan_messenger_send (alice, bob_peer, "first", &error);
  g_assert_true (lan_test_await (delivered, first, DEADLINE_MS));

  /* Bob leaves; what alice writes now waits for him. */
  stop (&bob);
  owed = lan_messenger_send (alice, bob_peer, "while you were out", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (queued, owed, DEADLINE_MS));

  /* Alice restarts: the outbox comes back from her history. */
  stop (&alice);
  g_clear_object (&owed);
  alice = engine ("127.0.0.2", "alice", alice_db, "127.0.0.3");
  {
    LanConversation *conversation = lan_messenger_get_conversation (alice, "bob@lab");
    guint n = g_list_model_get_n_items (G_LIST_MODEL (conversation));

    g_assert_cmpuint (n, ==, 2);
    owed = g_list_model_get_item (G_LIST_MODEL (conversation), 1);
    g_assert_cmpstr (lan_message_get_text (owed), ==, "while you were out");
    g_assert_cmpuint (lan_message_get_state (owed), ==, LAN_MESSAGE_QUEUED);
  }

  /* Bob comes back and announces himself: it goes out, once. */
  bob = engine ("127.0.0.3", "bob", bob_db, "127.0.0.2");
  g_assert_true (lan_test_await (delivered, owed, DEADLINE_MS));
  arrived.conversation = lan_messenger_get_conversation (bob, "alice@lab");
  arrived.text = "while you were out";
  g_assert_true (lan_test_await (text_arrived, &arrived, DEADLINE_MS));
  g_assert_cmpuint (count_text (arrived.conversation, "while you were out"), ==, 1);
  g_assert_cmpuint (count_text (arrived.conversation, "first"), ==, 1);

  stop (&alice);
  stop (&bob);
}

static void
test_identity_follows_address (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-identity");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanMessenger *alice = engine ("127.0.0.2", "alice", alice_db, "127.0.0.3");
  LanMessenger *bob;
  LanConversation *before, *after;
  FindWait sees_old = { NULL, "127.0.0.3:2425" };
  FindWait sees_new = { NULL, "127.0.0.5:2425" };
  g_autoptr(LanMessage) hello = NULL;
  g_autoptr(LanMessage) last = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  g_assert_true (lan_messenger_add_target (alice, "127.0.0.5", NULL));
  bob = engine ("127.0.0.3", "bob", NULL, "127.0.0.2");
  sees_old.messenger = alice;
  g_assert_true (lan_test_await (peer_listed, &sees_old, DEADLINE_MS));
  hello = lan_messenger_send (alice, find (alice, "127.0.0.3:2425"), "hello", &error);
  g_assert_true (lan_test_await (delivered, hello, DEADLINE_MS));
  before = lan_messenger_get_conversation (alice, "127.0.0.3:2425");
  stop (&bob);

  /* Same user and host, another address (DHCP gave it a new one). */
  bob = engine ("127.0.0.5", "bob", NULL, "127.0.0.2");
  sees_new.messenger = alice;
  g_assert_true (lan_test_await (peer_listed, &sees_new, DEADLINE_MS));
  after = lan_messenger_get_conversation (alice, "127.0.0.5:2425");
  g_assert_true (before == after);

  n = g_list_model_get_n_items (G_LIST_MODEL (after));
  last = g_list_model_get_item (G_LIST_MODEL (after), n - 1);
  g_assert_true (lan_message_get_notice (last));
  g_assert_nonnull (strstr (lan_message_get_text (last), "127.0.0.5"));

  stop (&alice);
  stop (&bob);
}

static void
test_pending_at_stop_is_kept (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-stop");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanMessenger *alice = engine ("127.0.0.2", "alice", alice_db, "127.0.0.9");
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) waiting = NULL;
  g_autoptr(LanMessage) again = NULL;
  LanPeer *nobody;

  /* Nobody answers at .9: the message is still being resent when we quit. */
  g_object_set (alice, "retry-budget-ms", 60000u, NULL);
  nobody = lan_messenger_get_peer_for_address (alice, "127.0.0.9", &error);
  waiting = lan_messenger_send (alice, nobody, "still owed", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lan_message_get_state (waiting), ==, LAN_MESSAGE_SENDING);
  stop (&alice);
  g_assert_cmpuint (lan_message_get_state (waiting), ==, LAN_MESSAGE_QUEUED);

  alice = engine ("127.0.0.2", "alice", alice_db, "127.0.0.9");
  {
    LanConversation *conversation = lan_messenger_get_conversation (alice, "127.0.0.9:2425");

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 1);
    again = g_list_model_get_item (G_LIST_MODEL (conversation), 0);
  }
  g_assert_cmpstr (lan_message_get_text (again), ==, "still owed");
  g_assert_cmpuint (lan_message_get_state (again), ==, LAN_MESSAGE_QUEUED);

  stop (&alice);
}

/* The outbox must outlive everything else that happens meanwhile: here a
 * third person writes to alice (she acknowledges) while bob is away. */
static void
test_outbox_survives_traffic (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-traffic");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanMessenger *alice = engine ("127.0.0.2", "alice", alice_db, "127.0.0.3");
  LanMessenger *bob = engine ("127.0.0.3", "bob", NULL, "127.0.0.2");
  LanMessenger *carol = engine ("127.0.0.4", "carol", NULL, "127.0.0.2");
  FindWait alice_sees_bob = { alice, "127.0.0.3:2425" };
  FindWait carol_sees_alice = { carol, "127.0.0.2:2425" };
  g_autoptr(LanPeer) bob_peer = NULL;
  g_autoptr(LanMessage) owed = NULL;
  g_autoptr(LanMessage) chatter = NULL;
  g_autoptr(GError) error = NULL;
  TextWait arrived;

  g_assert_true (lan_messenger_add_target (alice, "127.0.0.4", NULL));
  g_assert_true (lan_test_await (peer_listed, &alice_sees_bob, DEADLINE_MS));
  g_assert_true (lan_test_await (peer_listed, &carol_sees_alice, DEADLINE_MS));
  bob_peer = g_object_ref (find (alice, "127.0.0.3:2425"));

  stop (&bob);
  owed = lan_messenger_send (alice, bob_peer, "kept for bob", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (queued, owed, DEADLINE_MS));

  chatter = lan_messenger_send (carol, find (carol, "127.0.0.2:2425"), "meanwhile", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (delivered, chatter, DEADLINE_MS));

  bob = engine ("127.0.0.3", "bob", NULL, "127.0.0.2");
  g_assert_true (lan_test_await (delivered, owed, DEADLINE_MS));
  arrived.conversation = lan_messenger_get_conversation (bob, "alice@lab");
  arrived.text = "kept for bob";
  g_assert_true (lan_test_await (text_arrived, &arrived, DEADLINE_MS));

  stop (&alice);
  stop (&bob);
  stop (&carol);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/outbox/across-restart", test_outbox_across_restart);
  g_test_add_func ("/outbox/identity-follows-address", test_identity_follows_address);
  g_test_add_func ("/outbox/pending-at-stop-is-kept", test_pending_at_stop_is_kept);
  g_test_add_func ("/outbox/survives-traffic", test_outbox_survives_traffic);
  return g_test_run ();
}

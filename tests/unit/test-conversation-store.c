/* test-conversation-store.c — conversations by identity: their lifetime
 * under a flood of distinct senders, and coming back from history.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-conversation-store"

#include "config.h"

#include "lan-bounds.h"
#include "lan-conversation-store.h"
#include "lan-message.h"
#include "lan-test-tmpdir.h"

static void
add_incoming (LanConversationStore *store,
              const char           *identity,
              guint64               packet_no,
              const char           *text)
{
  g_autoptr(LanMessage) message = lan_message_new (LAN_DIRECTION_IN, identity, text,
                                                   g_get_real_time (), packet_no);

  lan_conversation_store_add (store, identity, "10.77.0.9:2425", message);
}

/* 80 times as many distinct identities as the cap, each with one message,
 * as a flood of strangers would make them: the store never holds more than
 * its cap, and the conversations it let go are freed. (The memory after
 * 300 000 senders is measured by bench/bench-flood-memory, not here.) */
static void
test_flood_of_identities (void)
{
  g_autoptr(LanConversationStore) store = lan_conversation_store_new (LAN_MESSENGER_MAX_CONVERSATIONS);
  const guint flood = 80 * LAN_MESSENGER_MAX_CONVERSATIONS;
  guint most = 0;
  LanConversation *first;
  gpointer first_weak;

  first = lan_conversation_store_get (store, "stranger0@flood");
  first_weak = first;
  g_object_add_weak_pointer (G_OBJECT (first), &first_weak);

  for (guint i = 0; i < flood; i++)
    {
      g_autofree char *identity = g_strdup_printf ("stranger%u@flood", i);

      add_incoming (store, identity, i + 1, "hello");
      most = MAX (most, lan_conversation_store_get_n_conversations (store));
    }

  g_test_message ("most conversations in memory at once: %u (cap %u)", most,
                  LAN_MESSENGER_MAX_CONVERSATIONS);
  g_assert_cmpuint (most, <=, LAN_MESSENGER_MAX_CONVERSATIONS);
  /* Nobody held the first one: it went with the flood. */
  g_assert_null (first_weak);
}

/* A conversation someone holds (the window showing it) outlives the
 * flood, and asking for it again gives the same object. */
static void
test_held_conversation_survives (void)
{
  g_autoptr(LanConversationStore) store = lan_conversation_store_new (LAN_MESSENGER_MAX_CONVERSATIONS);
  g_autoptr(LanConversation) held = NULL;

  add_incoming (store, "alice@pc", 1, "are you there?");
  held = g_object_ref (lan_conversation_store_get (store, "alice@pc"));

  for (guint i = 0; i < 4 * LAN_MESSENGER_MAX_CONVERSATIONS; i++)
    {
      g_autofree char *identity = g_strdup_printf ("stranger%u@flood", i);

      add_incoming (store, identity, i + 1, "hello");
    }

  g_assert_true (lan_conversation_store_get (store, "alice@pc") == held);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (held)), ==, 1);
}

/* One let go from memory comes back from history with its messages. */
static void
test_evicted_conversation_reloads (void)
{
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("conversation-store");
  g_autofree char *path = lan_test_tmpdir_file (dir, "history.sqlite");
  g_autoptr(LanConversationStore) store = lan_conversation_store_new (LAN_MESSENGER_MAX_CONVERSATIONS);
  LanConversation *again;
  LanMessage *message;

  lan_conversation_store_open_history (store, path, 0);
  g_assert_no_error (lan_conversation_store_get_error (store));

  add_incoming (store, "carol@laptop", 7, "see you tomorrow");
  for (guint i = 0; i < 2 * LAN_MESSENGER_MAX_CONVERSATIONS; i++)
    {
      g_autofree char *identity = g_strdup_printf ("stranger%u@flood", i);

      add_incoming (store, identity, i + 1, "hello");
    }
  g_assert_null (lan_conversation_store_lookup (store, "carol@laptop"));

  again = lan_conversation_store_get (store, "carol@laptop");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  message = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpstr (lan_message_get_text (message), ==, "see you tomorrow");
  g_object_unref (message);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/conversation-store/flood-of-identities", test_flood_of_identities);
  g_test_add_func ("/conversation-store/held-survives", test_held_conversation_survives);
  g_test_add_func ("/conversation-store/evicted-reloads", test_evicted_conversation_reloads);

  return g_test_run ();
}

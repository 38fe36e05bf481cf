/* test-engine-people.c — LanPeople: everyone with a conversation, online
 * or not, over the in-memory LAN (no socket, no namespace).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lan-ipmsg.h"
#include "lan-people.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define ALICE "10.77.0.2"
#define CAROL "10.77.0.5"

static gboolean
person_is_offline (gpointer data)
{
  return !lan_person_get_online (data);
}

/* Carol writes twice and leaves: she stays, offline, with both unread. */
static void
test_sender_who_left_stays (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-people");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions carol_options = { .user_name = "carol", .nickname = "Carol" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) carol = lan_test_engine_new (network, CAROL, &carol_options);
  g_autoptr(LanPeople) people = lan_people_new (alice);
  g_autoptr(LanMessage) first = NULL;
  g_autoptr(LanMessage) second = NULL;
  g_autoptr(GError) error = NULL;
  LanPeer *alice_for_carol;
  LanPerson *person;

  g_assert_nonnull (lan_test_engine_await_peer (alice, CAROL ":2425", LAN_TEST_DEADLINE_MS));
  alice_for_carol = lan_test_engine_await_peer (carol, ALICE ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (alice_for_carol);
  person = lan_people_lookup (people, "carol@lab");
  g_assert_nonnull (person);
  g_assert_true (person == lan_people_lookup (people, CAROL ":2425"));
  g_assert_true (lan_person_get_online (person));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (people)), ==, 1);

  first = lan_messenger_send (carol, alice_for_carol, "one", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_message_await_settled (first, LAN_TEST_DEADLINE_MS));
  second = lan_messenger_send (carol, alice_for_carol, "two", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_message_await_settled (second, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (second), ==, LAN_MESSAGE_DELIVERED);

  lan_test_engine_stop (&carol);
  g_assert_true (lan_test_await (person_is_offline, person, LAN_TEST_DEADLINE_MS));
  g_assert_true (person == lan_people_lookup (people, "carol@lab"));
  g_assert_cmpuint (lan_person_get_unread (person), ==, 2);
  g_assert_cmpstr (lan_person_get_last_message (person), ==, "two");
  g_assert_cmpstr (lan_peer_get_nickname (lan_person_get_peer (person)), ==, "Carol");
  g_assert_nonnull (lan_person_get_conversation (person));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lan_person_get_conversation (person))), ==, 2);

  /* Read, and she comes back: the same person, online again, under her new peer. */
  lan_conversation_mark_read (lan_person_get_conversation (person));
  g_assert_cmpuint (lan_person_get_unread (person), ==, 0);
  carol = lan_test_engine_new (network, CAROL, &carol_options);
  g_assert_true (lan_test_await_boolean (person, "online", TRUE, LAN_TEST_DEADLINE_MS));
  g_assert_true (lan_person_get_peer (person) == lan_test_engine_find_peer (alice, CAROL ":2425"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (people)), ==, 1);

  lan_test_engine_stop (&carol);
  lan_test_engine_stop (&alice);
}

/* After a restart, the people of past conversations are there, offline. */
static void
test_people_from_history (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-people");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions carol_options = { .user_name = "carol", .nickname = "Carol" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) carol = lan_test_engine_new (network, CAROL, &carol_options);
  g_autoptr(LanPeople) people = NULL;
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanMessage) queued = NULL;
  g_autoptr(GError) error = NULL;
  LanPeer *alice_for_carol;
  LanPerson *person;

  alice_for_carol = lan_test_engine_await_peer (carol, ALICE ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (alice_for_carol);
  g_assert_nonnull (lan_test_engine_await_peer (alice, CAROL ":2425", LAN_TEST_DEADLINE_MS));
  message = lan_messenger_send (carol, alice_for_carol, "你好世界", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_message_await_settled (message, LAN_TEST_DEADLINE_MS));
  lan_test_engine_stop (&carol);
  lan_test_engine_stop (&alice);

  alice = lan_test_engine_new (network, ALICE, &alice_options);
  people = lan_people_new (alice);
  person = lan_people_lookup (people, "carol@lab");
  g_assert_nonnull (person);
  g_assert_false (lan_person_get_online (person));
  g_assert_cmpstr (lan_person_get_last_message (person), ==, "你好世界");
  g_assert_cmpstr (lan_peer_get_nickname (lan_person_get_peer (person)), ==, "Carol");
  g_assert_cmpstr (lan_peer_get_key (lan_person_get_peer (person)), ==, CAROL ":2425");
  g_assert_cmpint (lan_peer_get_last_seen (lan_person_get_peer (person)), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (people)), ==, 1);

  /* Written to, offline: it waits in the outbox, in her conversation. */
  queued = lan_messenger_send (alice, lan_person_get_peer (person), "later", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lan_message_get_state (queued), ==, LAN_MESSAGE_QUEUED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (lan_people_get_conversation (people, person))), ==, 2);
  g_assert_cmpstr (lan_person_get_last_message (person), ==, "later");

  lan_test_engine_stop (&alice);
}

static gboolean
pal_has_summary (gpointer people)
{
  LanPerson *person = lan_people_lookup (people, "pal@box");

  return person != NULL && lan_person_get_last_message (person) != NULL;
}

/* A sealed message is not read out in the list of people: neither as it
 * arrives nor after a restart, when the list comes from the history. */
static void
test_sealed_summary (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-people");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  static const char entry_extra[] = "Pal\0lab\0";
  static const char sealed_extra[] = "for your eyes only";
  g_autoptr(GBytes) entry = lan_test_craft ("1", 10, "pal", "box", LAN_IPMSG_BR_ENTRY | LAN_IPMSG_CAPUTF8OPT,
                                            entry_extra, sizeof entry_extra - 1);
  g_autoptr(GBytes) sealed = lan_test_craft ("1", 11, "pal", "box",
                                             LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_SECRETOPT |
                                             LAN_IPMSG_UTF8OPT, sealed_extra, sizeof sealed_extra - 1);
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanPeople) people = lan_people_new (alice);
  LanPerson *person;

  lan_test_inject (network, CAROL ":2425", ALICE, entry);
  g_assert_nonnull (lan_test_engine_await_peer (alice, CAROL ":2425", LAN_TEST_DEADLINE_MS));
  lan_test_inject (network, CAROL ":2425", ALICE, sealed);
  g_assert_true (lan_test_await (pal_has_summary, people, LAN_TEST_DEADLINE_MS));
  person = lan_people_lookup (people, "pal@box");
  g_assert_cmpstr (lan_person_get_last_message (person), ==, "Sealed message");
  g_clear_object (&people);
  lan_test_engine_stop (&alice);

  alice = lan_test_engine_new (network, ALICE, &alice_options);
  people = lan_people_new (alice);
  person = lan_people_lookup (people, "pal@box");
  g_assert_nonnull (person);
  g_assert_cmpstr (lan_person_get_last_message (person), ==, "Sealed message");
  g_clear_object (&people);
  lan_test_engine_stop (&alice);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/people/sender-who-left-stays", test_sender_who_left_stays);
  g_test_add_func ("/engine/people/from-history", test_people_from_history);
  g_test_add_func ("/engine/people/sealed-summary", test_sealed_summary);
  return g_test_run ();
}

/* test-engine-bounds.c — what a flood of large packets can pin: peers are
 * bounded by bytes (each name cut), conversations in memory by bytes.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-bounds.h"
#include "lan-ipmsg.h"
#include "lan-peer.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-text-cap.h"

#define ALICE "10.77.0.2"

static gboolean
network_idle (gpointer user_data)
{
  return lan_memory_network_get_n_queued (user_data) == 0;
}

/* @n bytes of "é" (two bytes each) and one "x" when @n is odd: cuts must
 * fall on a character boundary. */
static char *
large_text (gsize n)
{
  GString *text = g_string_sized_new (n + 1);

  while (text->len + 2 <= n)
    g_string_append (text, "\u00e9");
  if (text->len < n)
    g_string_append_c (text, 'x');
  return g_string_free (text, FALSE);
}

static void
test_peer_names_cut (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions options = { .user_name = "alice" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &options);
  /* Four names of 15 KB: one datagram of 60 KB. */
  g_autofree char *big = large_text (15000);
  g_autoptr(GByteArray) extra = g_byte_array_new ();
  LanPeer *peer;

  /* Nickname, NUL, group, NUL. */
  g_byte_array_append (extra, (const guint8 *) big, (guint) strlen (big) + 1);
  g_byte_array_append (extra, (const guint8 *) big, (guint) strlen (big) + 1);
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *from = g_strdup_printf ("10.77.0.%u:2425", 100 + i);
      g_autoptr(GBytes) entry = lan_test_craft ("1", 1 + i, big, big,
                                                LAN_IPMSG_BR_ENTRY | LAN_IPMSG_UTF8OPT | LAN_IPMSG_CAPUTF8OPT,
                                                extra->data, extra->len);

      lan_test_inject (network, from, ALICE, entry);
    }
  g_assert_true (lan_test_await (network_idle, network, LAN_TEST_DEADLINE_MS));

  peer = lan_test_engine_await_peer (alice, "10.77.0.149:2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (peer);
  g_assert_cmpuint (strlen (lan_peer_get_nickname (peer)), ==, LAN_PEER_MAX_NAME_BYTES);
  g_assert_cmpuint (strlen (lan_peer_get_group (peer)), ==, LAN_PEER_MAX_NAME_BYTES);
  g_assert_cmpuint (strlen (lan_peer_get_user (peer)), ==, LAN_PEER_MAX_NAME_BYTES);
  g_assert_cmpuint (strlen (lan_peer_get_host (peer)), ==, LAN_PEER_MAX_NAME_BYTES);
  g_assert_true (g_utf8_validate (lan_peer_get_nickname (peer), -1, NULL));
  lan_test_engine_stop (&alice);
}

static void
test_text_cap_boundary (void)
{
  g_autofree char *odd = g_strdup ("a\u00e9\u00e9");   /* 1 + 2 + 2 bytes */
  g_autofree char *short_text = g_strdup ("abc");

  lan_text_cap (odd, 4);
  g_assert_cmpstr (odd, ==, "a\u00e9");
  lan_text_cap (short_text, 3);
  g_assert_cmpstr (short_text, ==, "abc");
  lan_text_cap (NULL, 3);
}

static void
test_conversation_bounded_by_bytes (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  LanTestEngineOptions options = { .user_name = "alice" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &options);
  g_autofree char *big = large_text (60000);
  LanConversation *conversation;
  gsize bytes = 0;
  guint n;

  /* 100 messages of 60 KB from one sender: 6 MB if nothing went. */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GBytes) message = lan_test_craft ("1", 5000 + i, "big", "sender",
                                                  LAN_IPMSG_SENDMSG | LAN_IPMSG_UTF8OPT,
                                                  big, strlen (big) + 1);

      lan_test_inject (network, "10.77.0.77:2425", ALICE, message);
      if (i % 10 == 9)
        lan_memory_network_flush (network);
    }
  g_assert_true (lan_test_await (network_idle, network, LAN_TEST_DEADLINE_MS));

  conversation = lan_messenger_get_conversation (alice, "10.77.0.77:2425");
  g_assert_nonnull (conversation);
  n = g_list_model_get_n_items (G_LIST_MODEL (conversation));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanMessage) message = g_list_model_get_item (G_LIST_MODEL (conversation), i);

      bytes += strlen (lan_message_get_text (message));
    }
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (n, <, 100);
  g_assert_cmpuint (bytes, <=, LAN_CONVERSATION_MAX_BYTES);
  /* The newest stay. */
  {
    g_autoptr(LanMessage) last = g_list_model_get_item (G_LIST_MODEL (conversation), n - 1);

    g_assert_cmpuint (lan_message_get_packet_no (last), ==, 5099);
  }
  lan_test_engine_stop (&alice);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/bounds/peer-names-cut", test_peer_names_cut);
  g_test_add_func ("/engine/bounds/text-cap-boundary", test_text_cap_boundary);
  g_test_add_func ("/engine/bounds/conversation-bounded-by-bytes", test_conversation_bounded_by_bytes);

  return g_test_run ();
}

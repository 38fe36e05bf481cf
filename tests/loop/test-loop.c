/* test-loop.c — several engines over 127.0.0.x, and raw sockets playing
 * other clients (silent, hostile, or acknowledging from the wrong address).
 *
 * Runs inside a loopback-only network namespace (tests/isolated.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <arpa/inet.h>
#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lan-ipmsg.h"
#include "lan-messenger-private.h"
#include "lan-peer-list.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"

#define PORT 2425
#define DEADLINE_MS 5000

typedef struct {
  LanMessenger *engines[3];
  guint         received[3];
} Fixture;

static const char * const addresses[] = { "127.0.0.2", "127.0.0.3", "127.0.0.4" };
static const char * const nicknames[] = { "alice", "bob", "carol" };

static void
on_received (LanMessenger *engine,
             LanPeer      *peer,
             LanMessage   *message,
             guint        *counter)
{
  (*counter)++;
}

static LanMessenger *
make_engine (guint index)
{
  const char *targets[G_N_ELEMENTS (addresses)] = { NULL };
  LanTestEngineOptions options = {
    .user_name = nicknames[index],
    .nickname = nicknames[index],
    .port = PORT,
    .answer_delay_max_ms = 50,
    .retry_initial_ms = 100,
    .retry_budget_ms = 3000,
    .targets = targets,
  };
  guint n = 0;

  for (guint j = 0; j < G_N_ELEMENTS (addresses); j++)
    if (j != index)
      targets[n++] = addresses[j];
  return lan_test_engine_new_udp (addresses[index], &options);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  for (guint i = 0; i < 3; i++)
    {
      fixture->engines[i] = make_engine (i);
      g_signal_connect (fixture->engines[i], "message-received",
                        G_CALLBACK (on_received), &fixture->received[i]);
    }
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  for (guint i = 0; i < 3; i++)
    g_clear_object (&fixture->engines[i]);
  /* Let the last BR_EXITs drain so the next test starts clean. */
  lan_test_drain ();
}

static guint
n_peers (LanMessenger *engine)
{
  return g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_peers (engine)));
}

static gboolean
all_found (gpointer data)
{
  Fixture *fixture = data;

  for (guint i = 0; i < 3; i++)
    if (n_peers (fixture->engines[i]) != 2)
      return FALSE;
  return TRUE;
}

static LanPeer *
peer_at (LanMessenger *engine,
         const char   *address)
{
  g_autofree char *key = g_strdup_printf ("%s:%d", address, PORT);

  return lan_peer_list_lookup (lan_messenger_get_peers (engine), key);
}

/* A raw UDP socket on 127.0.0.x:PORT playing another client. */
static int
raw_socket (const char *address,
            guint16     port)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port) };
  struct timeval timeout = { .tv_sec = 0, .tv_usec = 20000 };
  int fd = socket (AF_INET, SOCK_DGRAM, 0);

  g_assert_cmpint (fd, >=, 0);
  inet_pton (AF_INET, address, &addr.sin_addr);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &addr, sizeof addr), ==, 0);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return fd;
}

static void
raw_send (int         fd,
          const char *to,
          const void *data,
          gsize       len)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (PORT) };

  inet_pton (AF_INET, to, &addr.sin_addr);
  g_assert_cmpint (sendto (fd, data, len, 0, (struct sockaddr *) &addr, sizeof addr), ==, (gssize) len);
}

static void
raw_send_text (int         fd,
               const char *to,
               const char *text)
{
  raw_send (fd, to, text, strlen (text) + 1);
}

typedef struct {
  int        fd;
  guint32    mode;
  GPtrArray *packets; /* LanIpmsgPacket with that mode */
  guint      want;
} RawWait;

/* Drains the socket (while the engines run) and keeps packets of one mode. */
static gboolean
raw_has_packet (gpointer data)
{
  RawWait *wait = data;
  guint8 buffer[65536];
  gssize n;

  while ((n = recv (wait->fd, buffer, sizeof buffer, MSG_DONTWAIT)) > 0)
    {
      LanIpmsgPacket *packet = lan_ipmsg_packet_parse (buffer, (gsize) n, NULL);

      if (packet != NULL && LAN_IPMSG_MODE (packet->command) == wait->mode)
        g_ptr_array_add (wait->packets, packet);
      else if (packet != NULL)
        lan_ipmsg_packet_free (packet);
    }
  return wait->packets->len >= MAX (wait->want, 1u);
}

static gboolean
wrong_address_counted (gpointer engine)
{
  return lan_messenger_get_stats (engine)->wrong_address_replies > 0;
}

static gboolean
unmatched_counted (gpointer engine)
{
  return lan_messenger_get_stats (engine)->unmatched_replies > 0;
}

typedef struct {
  const LanMessengerStats *stats;
  guint64                  want;
} ReceivedWait;

static gboolean
received_reached (gpointer data)
{
  ReceivedWait *wait = data;

  return wait->stats->received >= wait->want;
}

static void
test_discovery (Fixture       *fixture,
                gconstpointer  data)
{
  LanPeer *bob;

  g_assert_true (lan_test_await (all_found, fixture, DEADLINE_MS));
  bob = peer_at (fixture->engines[0], addresses[1]);
  g_assert_nonnull (bob);
  g_assert_cmpstr (lan_peer_get_nickname (bob), ==, "bob");
  g_assert_true (lan_peer_get_utf8 (bob));
}

static gboolean
message_settled (gpointer data)
{
  LanMessageState state = lan_message_get_state (data);

  return state == LAN_MESSAGE_DELIVERED || state == LAN_MESSAGE_FAILED;
}

typedef struct {
  guint *counter;
  guint  want;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *wait = data;

  return *wait->counter >= wait->want;
}

static void
test_delivery (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  LanConversation *conversation;
  g_autoptr(LanMessage) received = NULL;
  CountWait count = { &fixture->received[1], 1 };

  g_assert_true (lan_test_await (all_found, fixture, DEADLINE_MS));
  message = lan_messenger_send (fixture->engines[0], peer_at (fixture->engines[0], addresses[1]),
                                "héllo 你好", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (message_settled, message, DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_DELIVERED);
  g_assert_true (lan_test_await (count_reached, &count, DEADLINE_MS));

  conversation = lan_messenger_get_conversation (fixture->engines[1], "127.0.0.2:2425");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 1);
  received = g_list_model_get_item (G_LIST_MODEL (conversation), 0);
  g_assert_cmpstr (lan_message_get_text (received), ==, "héllo 你好");
  g_assert_cmpuint (fixture->received[2], ==, 0);
}

static void
test_duplicate (Fixture       *fixture,
                gconstpointer  data)
{
  int fd = raw_socket ("127.0.0.5", PORT);
  g_autofree char *datagram = g_strdup_printf ("1:777:mallory:box:%u:same text",
                                               LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT);
  RawWait acks = { fd, LAN_IPMSG_RECVMSG, g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_packet_free) };
  LanConversation *conversation;

  raw_send_text (fd, addresses[1], datagram);
  g_assert_true (lan_test_await (raw_has_packet, &acks, DEADLINE_MS));
  /* The resend: acknowledged again, not shown again. */
  raw_send_text (fd, addresses[1], datagram);
  acks.want = 2;
  g_assert_true (lan_test_await (raw_has_packet, &acks, DEADLINE_MS));

  for (guint i = 0; i < acks.packets->len; i++)
    {
      g_autofree char *number = lan_ipmsg_packet_dup_section (g_ptr_array_index (acks.packets, i), 0);

      g_assert_cmpstr (number, ==, "777");
    }
  conversation = lan_messenger_get_conversation (fixture->engines[1], "127.0.0.5:2425");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 1);
  g_assert_cmpuint (fixture->received[1], ==, 1);
  g_assert_cmpuint (lan_messenger_get_stats (fixture->engines[1])->duplicates, ==, 1);

  g_ptr_array_unref (acks.packets);
  close (fd);
}

static void
test_wrong_address_reply (Fixture       *fixture,
                          gconstpointer  data)
{
  int silent = raw_socket ("127.0.0.5", PORT);
  int impostor = raw_socket ("127.0.0.6", PORT);
  RawWait sent = { silent, LAN_IPMSG_SENDMSG, g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_packet_free) };
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) message = NULL;
  LanPeer *peer;
  g_autofree char *ack = NULL;
  guint64 packet_no;

  peer = lan_messenger_get_peer_for_address (fixture->engines[0], "127.0.0.5", &error);
  g_assert_no_error (error);
  message = lan_messenger_send (fixture->engines[0], peer, "only for .5", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (raw_has_packet, &sent, DEADLINE_MS));
  packet_no = ((LanIpmsgPacket *) g_ptr_array_index (sent.packets, 0))->packet_no;
  g_assert_cmpuint (packet_no, ==, lan_message_get_packet_no (message));

  /* The right packet-no from the wrong address must not count. */
  ack = g_strdup_printf ("1:1:eve:box:%u:%" G_GUINT64_FORMAT, LAN_IPMSG_RECVMSG, packet_no);
  raw_send_text (impostor, addresses[0], ack);
  g_assert_true (lan_test_await (wrong_address_counted, fixture->engines[0], DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_SENDING);

  /* A reply naming nothing we wait on is counted too. */
  g_free (ack);
  ack = g_strdup_printf ("1:2:eve:box:%u:%" G_GUINT64_FORMAT, LAN_IPMSG_RECVMSG, packet_no + 1000);
  raw_send_text (silent, addresses[0], ack);
  g_assert_true (lan_test_await (unmatched_counted, fixture->engines[0], DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_SENDING);

  /* The real acknowledgement does. */
  g_free (ack);
  ack = g_strdup_printf ("1:3:victim:box:%u:%" G_GUINT64_FORMAT, LAN_IPMSG_RECVMSG, packet_no);
  raw_send_text (silent, addresses[0], ack);
  g_assert_true (lan_test_await (message_settled, message, DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_DELIVERED);

  g_ptr_array_unref (sent.packets);
  close (silent);
  close (impostor);
}

static void
test_retry_and_fail (Fixture       *fixture,
                     gconstpointer  data)
{
  int silent = raw_socket ("127.0.0.5", PORT);
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) message = NULL;
  LanPeer *peer;
  RawWait sent = { silent, LAN_IPMSG_SENDMSG, g_ptr_array_new_with_free_func ((GDestroyNotify) lan_ipmsg_packet_free) };
  g_autofree char *ack = NULL;

  g_object_set (fixture->engines[0], "retry-budget-ms", 1000u, NULL);
  peer = lan_messenger_get_peer_for_address (fixture->engines[0], "127.0.0.5", &error);
  message = lan_messenger_send (fixture->engines[0], peer, "anyone?", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (message_settled, message, DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_FAILED);
  g_assert_cmpuint (lan_message_get_attempts (message), >=, 3);
  g_assert_nonnull (lan_message_get_error (message));

  /* Every copy carried the same packet-no; the resends said so with RETRYOPT. */
  g_assert_true (lan_test_await (raw_has_packet, &sent, DEADLINE_MS));
  for (guint i = 0; i < sent.packets->len; i++)
    {
      LanIpmsgPacket *packet = g_ptr_array_index (sent.packets, i);

      g_assert_cmpuint (packet->packet_no, ==, lan_message_get_packet_no (message));
      if (i > 0)
        g_assert_true (packet->command & LAN_IPMSG_RETRYOPT);
    }

  /* Retry: same packet-no again, and this time an acknowledgement comes. */
  lan_messenger_retry (fixture->engines[0], message);
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_SENDING);
  ack = g_strdup_printf ("1:9:x:y:%u:%" G_GUINT64_FORMAT, LAN_IPMSG_RECVMSG, lan_message_get_packet_no (message));
  raw_send_text (silent, addresses[0], ack);
  g_assert_true (lan_test_await (message_settled, message, DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_DELIVERED);

  g_ptr_array_unref (sent.packets);
  close (silent);
}

static gboolean
carol_gone (gpointer data)
{
  Fixture *fixture = data;

  return peer_at (fixture->engines[0], addresses[2]) == NULL &&
         peer_at (fixture->engines[1], addresses[2]) == NULL;
}

static void
test_quit (Fixture       *fixture,
           gconstpointer  data)
{
  g_assert_true (lan_test_await (all_found, fixture, DEADLINE_MS));
  lan_messenger_stop (fixture->engines[2]);
  g_assert_true (lan_test_await (carol_gone, fixture, DEADLINE_MS));
  g_assert_cmpuint (n_peers (fixture->engines[0]), ==, 1);
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  int fd = raw_socket ("127.0.0.5", PORT);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  static const char * const hostile[] = {
    "", ":", "1", "1:2:3:4", "2:1:u:h:32:text", "1:x:u:h:32:t", "1:1:u:h:99999999999:t",
    "1:18446744073709551616:u:h:32:t", "1:1:u:h:33:", "1:1:u:h:33:not-a-number",
    "1:1:u:h:3:\xff\xfe\x80\x81", "1:1:<b>u</b>:h:1:\xe2\x80\xae" "evil\x1b[31m",
  };
  const LanMessengerStats *stats = lan_messenger_get_stats (fixture->engines[0]);
  guint64 before;
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  CountWait count = { &fixture->received[1], 1 };

  g_assert_true (lan_test_await (all_found, fixture, DEADLINE_MS));
  before = stats->received;
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    raw_send (fd, addresses[0], hostile[i], strlen (hostile[i]));
  for (guint i = 0; i < 200; i++)
    {
      guint8 noise[1500];
      gsize len = (gsize) g_rand_int_range (rand, 1, sizeof noise);

      for (gsize j = 0; j < len; j++)
        noise[j] = (guint8) g_rand_int_range (rand, 0, 256);
      raw_send (fd, addresses[0], noise, len);
    }
  {
    ReceivedWait wait = { stats, before + G_N_ELEMENTS (hostile) + 200 };

    g_assert_true (lan_test_await (received_reached, &wait, DEADLINE_MS));
  }
  g_assert_cmpuint (stats->malformed, >=, 200);

  /* The rest goes on as before. */
  message = lan_messenger_send (fixture->engines[0], peer_at (fixture->engines[0], addresses[1]),
                                "still here", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (message_settled, message, DEADLINE_MS));
  g_assert_cmpuint (lan_message_get_state (message), ==, LAN_MESSAGE_DELIVERED);
  g_assert_true (lan_test_await (count_reached, &count, DEADLINE_MS));
  close (fd);
}

static void
test_flood_is_bounded (Fixture       *fixture,
                       gconstpointer  data)
{
  LanPeerList *peers = lan_messenger_get_peers (fixture->engines[0]);
  const LanMessengerStats *stats = lan_messenger_get_stats (fixture->engines[0]);
  guint64 before = stats->received;
  guint sent = 0;
  g_autofree char *entry = g_strdup_printf ("1:5:f:h:%u:flood", LAN_IPMSG_BR_ENTRY);

  /* No answer may fall due while the flood goes on, however slowly it is
   * read (under the sanitizers, on a loaded machine): the table of delayed
   * answers must fill up and refuse the rest. */
  g_object_set (fixture->engines[0], "answer-delay-max-ms", 60000u, NULL);

  /* Each socket is a new source port: a new fake peer. */
  for (guint i = 0; i < LAN_PEER_LIST_DEFAULT_MAX + 500; i++)
    {
      int fd = raw_socket ("127.0.0.7", 0);

      raw_send_text (fd, addresses[0], entry);
      close (fd);
      sent++;
      if (i % 64 == 0)
        lan_test_drain ();
    }
  {
    ReceivedWait wait = { stats, before + sent };

    g_assert_true (lan_test_await (received_reached, &wait, DEADLINE_MS));
  }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (peers)), <=, LAN_PEER_LIST_DEFAULT_MAX);
  g_assert_cmpuint (g_hash_table_size (fixture->engines[0]->answers), <=, LAN_MESSENGER_MAX_ANSWERS);
  g_assert_cmpuint (stats->rejected, >, 0);
}

/* A window whose frames follow each other with no gap (here: a source
 * above the receiver's priority, always ready, 20 ms a dispatch, as a GL
 * frame on a software rasterizer can be) must not starve the receiver: a
 * source below a ready one is never even prepared, so it is the reader
 * thread that raises it once the ring is an eighth full. Without that,
 * none of these datagrams would be handed on while the frames go on. */
static gboolean
slow_frame (gpointer data)
{
  g_usleep (20000);
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
test_busy_window_loses_nothing (Fixture       *fixture,
                                gconstpointer  data)
{
  const LanMessengerStats *stats = lan_messenger_get_stats (fixture->engines[0]);
  g_autofree char *reply = g_strdup_printf ("1:6:f:h:%u:4242", LAN_IPMSG_RECVMSG);
  /* More than the ring's "behind" mark (an eighth of 65 536 records). */
  const guint sent = 12000;
  guint64 before = stats->received;
  guint frames = 0;
  GSource *frame = g_idle_source_new ();
  int fd = raw_socket ("127.0.0.7", 0);

  /* Where the engines run (the fixture's context, not the global one). */
  g_source_set_priority (frame, G_PRIORITY_HIGH_IDLE + 20);
  g_source_set_callback (frame, slow_frame, &frames, NULL);
  g_source_attach (frame, g_main_context_get_thread_default ());
  /* The window is drawing before the flood begins. */
  while (frames == 0)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < sent; i++)
    {
      raw_send_text (fd, addresses[0], reply);
      /* Not faster than the reader thread drains the socket's buffer. */
      if (i % 500 == 499)
        g_usleep (2000);
    }
  {
    /* The last sixty-fourth of the ring may wait for a gap between frames. */
    ReceivedWait wait = { stats, before + sent - 65536 / 64 };

    g_assert_true (lan_test_await (received_reached, &wait, 30000));
    g_test_message ("handed on %" G_GUINT64_FORMAT " of %u while the window was busy, %u frames",
                    stats->received - before, sent, frames);
  }
  g_source_destroy (frame);
  g_source_unref (frame);
  {
    ReceivedWait wait = { stats, before + sent };

    g_assert_true (lan_test_await (received_reached, &wait, DEADLINE_MS));
  }
  g_assert_cmpuint (lan_messenger_get_kernel_drops (fixture->engines[0]), ==, 0);
  close (fd);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/loop/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("discovery", test_discovery);
  ADD ("delivery", test_delivery);
  ADD ("duplicate-acked-twice-shown-once", test_duplicate);
  ADD ("reply-from-wrong-address", test_wrong_address_reply);
  ADD ("retry-then-fail-then-retry", test_retry_and_fail);
  ADD ("quit", test_quit);
  ADD ("garbage", test_garbage);
  ADD ("flood-is-bounded", test_flood_is_bounded);
  ADD ("busy-window-loses-nothing", test_busy_window_loses_nothing);
#undef ADD

  return g_test_run ();
}

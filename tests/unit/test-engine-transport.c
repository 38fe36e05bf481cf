/* test-engine-transport.c — the in-memory LAN the engine tests run on, and
 * the rest of tests/support: what a real LAN would do, it must do too.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "lan-memory-transport.h"
#include "lan-test-await.h"
#include "lan-test-tmpdir.h"

typedef struct {
  GPtrArray *in;    /* Seen */
  guint      out;
  guint      send_errors;
} Recorder;

typedef struct {
  LanEndpoint       local;
  LanEndpoint       remote;
  LanDatagramFlags  flags;
  char             *text;
} Seen;

static void
seen_free (Seen *seen)
{
  g_free (seen->text);
  g_free (seen);
}

static void
record (const LanDatagram *datagram,
        gpointer           user_data)
{
  Recorder *recorder = user_data;

  if (datagram->direction == LAN_DIRECTION_OUT)
    {
      recorder->out++;
      if (datagram->flags & LAN_DATAGRAM_SEND_ERROR)
        recorder->send_errors++;
      return;
    }
  {
    Seen *seen = g_new0 (Seen, 1);

    seen->local = datagram->local;
    seen->remote = datagram->remote;
    seen->flags = datagram->flags;
    seen->text = g_strndup ((const char *) datagram->data, datagram->len);
    g_ptr_array_add (recorder->in, seen);
  }
}

static void
recorder_init (Recorder     *recorder,
               LanTransport *transport)
{
  recorder->in = g_ptr_array_new_with_free_func ((GDestroyNotify) seen_free);
  recorder->out = 0;
  recorder->send_errors = 0;
  lan_transport_set_handler (transport, record, recorder);
}

static LanEndpoint
endpoint (const char *text)
{
  LanEndpoint result = { 0, 0 };

  g_assert_true (lan_memory_parse_endpoint (text, &result));
  return result;
}

static void
send_text (LanMemoryTransport *transport,
           const char         *to,
           const char         *text)
{
  g_assert_true (lan_transport_send (LAN_TRANSPORT (transport), endpoint (to),
                                     (const guint8 *) text, strlen (text)));
}

static gboolean
has_at_least (gpointer user_data)
{
  gpointer *args = user_data;

  return ((Recorder *) args[0])->in->len >= GPOINTER_TO_UINT (args[1]);
}

static gboolean
await_in (Recorder *recorder,
          guint     count)
{
  gpointer args[2] = { recorder, GUINT_TO_POINTER (count) };

  return lan_test_await (has_at_least, args, LAN_TEST_DEADLINE_MS);
}

static void
bind_ok (LanMemoryTransport *transport,
         const char         *address,
         guint16             port)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (lan_transport_bind (LAN_TRANSPORT (transport), address, port, &error));
  g_assert_no_error (error);
}

static void
test_unicast_is_asynchronous_and_in_order (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanMemoryTransport) alice = lan_memory_transport_new (network, "10.77.0.2");
  g_autoptr(LanMemoryTransport) bob = lan_memory_transport_new (network, "10.77.0.3");
  Recorder at_alice, at_bob;
  Seen *first, *second;

  recorder_init (&at_alice, LAN_TRANSPORT (alice));
  recorder_init (&at_bob, LAN_TRANSPORT (bob));
  bind_ok (alice, "10.77.0.2", 2425);
  bind_ok (bob, NULL, 2425);
  g_assert_true (lan_transport_is_bound (LAN_TRANSPORT (bob)));
  g_assert_cmpuint (lan_transport_get_local (LAN_TRANSPORT (alice)).address, ==, 0x0a4d0002);
  g_assert_cmpuint (lan_transport_get_local (LAN_TRANSPORT (bob)).address, ==, 0);

  send_text (alice, "10.77.0.3:2425", "one");
  send_text (alice, "10.77.0.3:2425", "two");
  /* Reported out at once, delivered only from the main loop. */
  g_assert_cmpuint (at_alice.out, ==, 2);
  g_assert_cmpuint (at_bob.in->len, ==, 0);
  g_assert_cmpuint (lan_memory_network_get_n_queued (network), ==, 2);

  g_assert_true (await_in (&at_bob, 2));
  first = g_ptr_array_index (at_bob.in, 0);
  second = g_ptr_array_index (at_bob.in, 1);
  g_assert_cmpstr (first->text, ==, "one");
  g_assert_cmpstr (second->text, ==, "two");
  g_assert_true (lan_endpoint_equal (first->remote, endpoint ("10.77.0.2:2425")));
  /* A socket bound to all addresses still learns where it was sent (IP_PKTINFO). */
  g_assert_true (lan_endpoint_equal (first->local, endpoint ("10.77.0.3:2425")));
  g_assert_false (first->flags & LAN_DATAGRAM_BROADCAST);
  g_assert_cmpuint (at_alice.in->len, ==, 0);
  g_assert_cmpuint (lan_memory_transport_get_n_received (bob), ==, 2);
  g_assert_cmpuint (lan_memory_transport_get_n_sent (alice), ==, 2);
  g_assert_true (lan_endpoint_equal (lan_memory_transport_get_sent (alice, 1)->to,
                                     endpoint ("10.77.0.3:2425")));

  /* Wrong port, or nobody there: gone. */
  send_text (alice, "10.77.0.3:2426", "lost");
  send_text (alice, "10.77.0.9:2425", "lost");
  g_assert_cmpuint (lan_memory_network_flush (network), ==, 2);
  g_assert_cmpuint (at_bob.in->len, ==, 2);
  g_assert_cmpuint (lan_memory_network_get_n_dropped (network), ==, 2);

  g_ptr_array_unref (at_alice.in);
  g_ptr_array_unref (at_bob.in);
}

static void
test_broadcast_reaches_everyone_on_the_port (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanMemoryTransport) alice = lan_memory_transport_new (network, "10.77.0.2");
  g_autoptr(LanMemoryTransport) bob = lan_memory_transport_new (network, "10.77.0.3");
  g_autoptr(LanMemoryTransport) carol = lan_memory_transport_new (network, "10.77.0.4");
  Recorder at_alice, at_bob, at_carol;
  Seen *seen;

  recorder_init (&at_alice, LAN_TRANSPORT (alice));
  recorder_init (&at_bob, LAN_TRANSPORT (bob));
  recorder_init (&at_carol, LAN_TRANSPORT (carol));
  bind_ok (alice, "10.77.0.2", 2425);
  bind_ok (bob, "10.77.0.3", 2425);
  bind_ok (carol, "10.77.0.4", 2426);
  g_assert_cmpstr (lan_memory_network_get_broadcast_string (network), ==, "10.77.0.255");
  g_assert_cmpuint (lan_memory_network_get_broadcast (network), ==, 0x0a4d00ff);

  send_text (alice, "10.77.0.255:2425", "subnet");
  send_text (alice, "255.255.255.255:2425", "limited");
  lan_memory_network_flush (network);

  /* The sender hears its own, as the kernel loops broadcasts back; carol is on another port. */
  g_assert_cmpuint (at_alice.in->len, ==, 2);
  g_assert_cmpuint (at_bob.in->len, ==, 2);
  g_assert_cmpuint (at_carol.in->len, ==, 0);
  seen = g_ptr_array_index (at_bob.in, 0);
  g_assert_true (seen->flags & LAN_DATAGRAM_BROADCAST);
  g_assert_true (lan_endpoint_equal (seen->local, endpoint ("10.77.0.255:2425")));
  g_assert_true (lan_endpoint_equal (seen->remote, endpoint ("10.77.0.2:2425")));
  seen = g_ptr_array_index (at_bob.in, 1);
  g_assert_true (lan_endpoint_equal (seen->local, endpoint ("255.255.255.255:2425")));
  g_assert_true (seen->flags & LAN_DATAGRAM_BROADCAST);

  g_ptr_array_unref (at_alice.in);
  g_ptr_array_unref (at_bob.in);
  g_ptr_array_unref (at_carol.in);
}

static void
test_bind_errors_match_udp (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new (NULL);
  g_autoptr(LanMemoryTransport) first = lan_memory_transport_new (network, "10.77.0.2");
  g_autoptr(LanMemoryTransport) second = lan_memory_transport_new (network, "10.77.0.2");
  g_autoptr(LanMemoryTransport) other = lan_memory_transport_new (network, "10.77.0.3");
  g_autoptr(GError) error = NULL;
  Recorder recorder;

  bind_ok (first, "10.77.0.2", 2425);
  /* Two processes on one host compete for its ports, wildcard or not. */
  g_assert_false (lan_transport_bind (LAN_TRANSPORT (second), "10.77.0.2", 2425, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_nonnull (strstr (error->message, "2425"));
  g_clear_error (&error);
  g_assert_false (lan_transport_bind (LAN_TRANSPORT (second), NULL, 2425, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_clear_error (&error);
  g_assert_false (lan_transport_is_bound (LAN_TRANSPORT (second)));

  /* Another host's address is not ours to bind (EADDRNOTAVAIL). */
  g_assert_false (lan_transport_bind (LAN_TRANSPORT (second), "10.77.0.3", 2425, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (lan_transport_bind (LAN_TRANSPORT (second), "fe80::1", 2425, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Port 0: some free port, as the kernel would choose. */
  bind_ok (second, "10.77.0.2", 0);
  g_assert_cmpuint (lan_transport_get_local (LAN_TRANSPORT (second)).port, !=, 0);
  g_assert_cmpuint (lan_transport_get_local (LAN_TRANSPORT (second)).port, !=, 2425);

  /* Closed, it can't send: reported as a send error, not fatal. */
  recorder_init (&recorder, LAN_TRANSPORT (other));
  g_assert_false (lan_transport_send (LAN_TRANSPORT (other), endpoint ("10.77.0.2:2425"),
                                      (const guint8 *) "x", 1));
  g_assert_cmpuint (recorder.out, ==, 1);
  g_assert_cmpuint (recorder.send_errors, ==, 1);
  lan_transport_close (LAN_TRANSPORT (first));
  bind_ok (other, NULL, 2425);
  g_assert_cmpuint (lan_transport_get_kernel_drops (LAN_TRANSPORT (other)), ==, 0);
  g_ptr_array_unref (recorder.in);
}

typedef struct {
  guint dropped;
} FilterState;

static gboolean
drop_starting_with_x (LanEndpoint   from,
                      LanEndpoint   to,
                      const guint8 *data,
                      gsize         len,
                      gpointer      user_data)
{
  FilterState *state = user_data;

  if (len > 0 && data[0] == 'x')
    {
      state->dropped++;
      return TRUE;
    }
  return FALSE;
}

static void
test_hooks (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanMemoryTransport) alice = lan_memory_transport_new (network, "10.77.0.2");
  g_autoptr(LanMemoryTransport) bob = lan_memory_transport_new (network, "10.77.0.3");
  FilterState state = { 0 };
  Recorder at_bob;
  Seen *seen;
  guint received;

  recorder_init (&at_bob, LAN_TRANSPORT (bob));
  bind_ok (alice, "10.77.0.2", 2425);
  bind_ok (bob, "10.77.0.3", 2425);

  /* Injected: from anywhere, NUL included as IPMsg clients send it. */
  lan_memory_network_inject_text (network, "192.0.2.1:9", "10.77.0.3", "spoof");
  lan_memory_network_flush (network);
  g_assert_cmpuint (at_bob.in->len, ==, 1);
  seen = g_ptr_array_index (at_bob.in, 0);
  g_assert_true (lan_endpoint_equal (seen->remote, endpoint ("192.0.2.1:9")));
  g_assert_cmpmem (seen->text, 6, "spoof", 6);

  /* The next two are lost on the way out, then the next one on the way in. */
  lan_memory_transport_drop_next (alice, LAN_DIRECTION_OUT, 2);
  lan_memory_transport_drop_next (bob, LAN_DIRECTION_IN, 1);
  send_text (alice, "10.77.0.3", "a");
  send_text (alice, "10.77.0.3", "b");
  send_text (alice, "10.77.0.3", "c");
  send_text (alice, "10.77.0.3", "d");
  lan_memory_network_flush (network);
  g_assert_cmpuint (at_bob.in->len, ==, 2);
  g_assert_cmpstr (((Seen *) g_ptr_array_index (at_bob.in, 1))->text, ==, "d");
  g_assert_true (lan_memory_transport_get_sent (alice, 0)->dropped);
  g_assert_false (lan_memory_transport_get_sent (alice, 2)->dropped);

  /* A filter sees everything, injected datagrams too. */
  lan_memory_network_set_filter (network, drop_starting_with_x, &state);
  send_text (alice, "10.77.0.3", "x-files");
  lan_memory_network_inject_text (network, "10.77.0.9", "10.77.0.3", "xylophone");
  send_text (alice, "10.77.0.3", "e");
  lan_memory_network_flush (network);
  g_assert_cmpuint (state.dropped, ==, 2);
  g_assert_cmpuint (at_bob.in->len, ==, 3);
  lan_memory_network_set_filter (network, NULL, NULL);

  /* Down: nothing in, nothing out. */
  lan_memory_transport_set_down (bob, TRUE);
  send_text (alice, "10.77.0.3", "f");
  lan_memory_network_flush (network);
  g_assert_cmpuint (at_bob.in->len, ==, 3);
  lan_memory_transport_set_down (bob, FALSE);

  /* A seeded loss is the same every run, and about the fraction asked. */
  lan_memory_transport_set_loss (alice, LAN_DIRECTION_OUT, 0.5, 7);
  received = at_bob.in->len;
  for (guint i = 0; i < 400; i++)
    send_text (alice, "10.77.0.3", "g");
  lan_memory_network_flush (network);
  received = at_bob.in->len - received;
  g_assert_cmpuint (received, >, 120);
  g_assert_cmpuint (received, <, 280);
  lan_memory_transport_set_loss (alice, LAN_DIRECTION_OUT, 0.0, 7);

  lan_memory_transport_clear_sent (alice);
  g_assert_cmpuint (lan_memory_transport_get_n_sent (alice), ==, 0);
  g_ptr_array_unref (at_bob.in);
}

static void
test_seeded_loss_repeats (void)
{
  guint counts[2] = { 0, 0 };

  for (guint run = 0; run < 2; run++)
    {
      g_autoptr(LanMemoryNetwork) network = lan_memory_network_new (NULL);
      g_autoptr(LanMemoryTransport) alice = lan_memory_transport_new (network, "10.77.0.2");

      bind_ok (alice, NULL, 2425);
      lan_memory_transport_set_loss (alice, LAN_DIRECTION_OUT, 0.3, 1234);
      for (guint i = 0; i < 100; i++)
        send_text (alice, "10.77.0.3", "h");
      for (guint i = 0; i < 100; i++)
        counts[run] += lan_memory_transport_get_sent (alice, i)->dropped ? 1 : 0;
    }
  g_assert_cmpuint (counts[0], ==, counts[1]);
  g_assert_cmpuint (counts[0], >, 0);
}

/* A handler that drops the last reference to its own transport while the
 * network is delivering must not take the network down with it. */
static void
drop_self (const LanDatagram *datagram,
           gpointer           user_data)
{
  LanMemoryTransport **self = user_data;

  if (datagram->direction == LAN_DIRECTION_IN)
    g_clear_object (self);
}

static void
test_handler_may_drop_everything (void)
{
  LanMemoryNetwork *network = lan_memory_network_new (NULL);
  LanMemoryTransport *alice = lan_memory_transport_new (network, "10.77.0.2");
  LanMemoryTransport *bob = lan_memory_transport_new (network, "10.77.0.3");

  bind_ok (alice, NULL, 2425);
  bind_ok (bob, NULL, 2425);
  lan_transport_set_handler (LAN_TRANSPORT (bob), drop_self, &bob);
  send_text (alice, "10.77.0.255", "bye");
  send_text (alice, "10.77.0.3", "again");
  g_object_unref (network);
  g_clear_object (&alice);
  lan_test_drain ();
  g_assert_null (bob);
}

static gboolean
disable_and_activate (gpointer user_data)
{
  g_simple_action_set_enabled (user_data, FALSE);
  g_simple_action_set_enabled (user_data, TRUE);
  g_action_activate (user_data, NULL);
  g_simple_action_set_enabled (user_data, FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
third_call (gpointer user_data)
{
  return ++*(guint *) user_data == 3;
}

static void
test_await_and_tmpdir (void)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new ("poke", NULL);
  g_autoptr(LanTestSignal) activations = lan_test_signal_watch (action, "activate");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-support");
  g_autofree char *nested = lan_test_tmpdir_file (dir, "a/b");
  g_autofree char *file = g_build_filename (nested, "c.txt", NULL);
  g_autofree char *path = g_strdup (lan_test_tmpdir_get_path (dir));
  g_autoptr(GError) error = NULL;
  guint calls = 0;

  /* A condition that never holds gives up; one that holds later is waited
   * for: asked again and again until it does, not given up on before. */
  g_assert_false (lan_test_await_pointer ((gpointer *) &error, 50));
  g_assert_true (lan_test_await (third_call, &calls, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (calls, ==, 3);

  /* Waits see what the main loop does meanwhile. */
  g_idle_add (disable_and_activate, action);
  g_assert_cmpuint (lan_test_signal_await (activations, 1, LAN_TEST_DEADLINE_MS), ==, 1);
  g_assert_true (lan_test_await_boolean (action, "enabled", FALSE, LAN_TEST_DEADLINE_MS));
  g_assert_cmpuint (lan_test_signal_count (activations), ==, 1);
  g_idle_add (disable_and_activate, action);
  g_simple_action_set_enabled (action, TRUE);
  g_assert_cmpuint (lan_test_await_signal (action, "activate", LAN_TEST_DEADLINE_MS), ==, 1);
  g_assert_cmpuint (lan_test_signal_count (activations), ==, 2);

  g_assert_cmpint (g_mkdir_with_parents (nested, 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "x", 1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&dir, lan_test_tmpdir_free);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (lan_test_remove_tree (path, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/memory-transport/unicast", test_unicast_is_asynchronous_and_in_order);
  g_test_add_func ("/memory-transport/broadcast", test_broadcast_reaches_everyone_on_the_port);
  g_test_add_func ("/memory-transport/bind-errors", test_bind_errors_match_udp);
  g_test_add_func ("/memory-transport/hooks", test_hooks);
  g_test_add_func ("/memory-transport/seeded-loss-repeats", test_seeded_loss_repeats);
  g_test_add_func ("/memory-transport/handler-drops-everything", test_handler_may_drop_everything);
  g_test_add_func ("/support/await-and-tmpdir", test_await_and_tmpdir);
  return g_test_run ();
}

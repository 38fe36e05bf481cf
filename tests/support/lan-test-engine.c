/* lan-test-engine.c — the engine factory of the tests.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "lan-test-engine"

#include "config.h"

#include "lan-test-engine.h"

#include <string.h>

#include "lan-test-await.h"

#define TRANSPORT_KEY "lan-test-memory-transport"

static void
configure (LanMessenger               *engine,
           const char                 *address,
           const LanTestEngineOptions *options,
           const char                 *broadcast)
{
  const char *user = options->user_name != NULL ? options->user_name : "test";
  g_autoptr(GError) error = NULL;

  g_object_set (engine,
                "bind-address", address,
                "port", (guint) (options->port != 0 ? options->port : LAN_TEST_PORT),
                "user-name", user,
                "host-name", options->host_name != NULL ? options->host_name : "lab",
                "nickname", options->nickname != NULL ? options->nickname : user,
                "history-path", options->history_path,
                "retry-initial-ms", options->retry_initial_ms != 0 ? options->retry_initial_ms : 20u,
                "retry-budget-ms", options->retry_budget_ms != 0 ? options->retry_budget_ms : 400u,
                "answer-delay-max-ms", options->answer_delay_max_ms,
                NULL);
  if (broadcast != NULL && !options->no_broadcast_target)
    {
      g_assert_true (lan_messenger_add_target (engine, broadcast, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; options->targets != NULL && options->targets[i] != NULL; i++)
    {
      g_assert_true (lan_messenger_add_target (engine, options->targets[i], &error));
      g_assert_no_error (error);
    }
  if (!options->no_start)
    {
      g_assert_true (lan_messenger_start (engine, &error));
      g_assert_no_error (error);
    }
}

LanMessenger *
lan_test_engine_new (LanMemoryNetwork           *network,
                     const char                 *address,
                     const LanTestEngineOptions *options)
{
  static const LanTestEngineOptions defaults = { 0 };
  g_autoptr(LanMemoryTransport) transport = lan_memory_transport_new (network, address);
  LanMessenger *engine = lan_messenger_new_with_transport (LAN_TRANSPORT (transport));

  g_object_set_data_full (G_OBJECT (engine), TRANSPORT_KEY, g_object_ref (transport), g_object_unref);
  configure (engine, address, options != NULL ? options : &defaults,
             lan_memory_network_get_broadcast_string (network));
  return engine;
}

/* Real sockets only where nothing can leave the machine: a wrapper said so
 * (tests/isolated.sh, tests/ui/run-ui-test.sh) and the network namespace is
 * really another one than init's (or, where that cannot be read, than the
 * one the wrapper started from). */
static void
assert_isolated (void)
{
  g_autofree char *here = g_file_read_link ("/proc/self/ns/net", NULL);
  g_autofree char *init = g_file_read_link ("/proc/1/ns/net", NULL);
  const char *outer = init != NULL ? init : g_getenv ("LANCHAT_OUTER_NETNS");

  g_assert_true (g_strcmp0 (g_getenv ("LANCHAT_ISOLATED"), "1") == 0 ||
                 g_strcmp0 (g_getenv ("LANCHAT_UI_ISOLATED"), "1") == 0);
  g_assert_nonnull (here);
  g_assert_nonnull (outer);
  g_assert_cmpstr (here, !=, outer);
}

LanMessenger *
lan_test_engine_new_udp (const char                 *address,
                         const LanTestEngineOptions *options)
{
  static const LanTestEngineOptions defaults = { 0 };
  LanMessenger *engine;

  assert_isolated ();
  engine = lan_messenger_new ();

  configure (engine, address, options != NULL ? options : &defaults, NULL);
  return engine;
}

LanMemoryTransport *
lan_test_engine_get_transport (LanMessenger *engine)
{
  LanMemoryTransport *transport = g_object_get_data (G_OBJECT (engine), TRANSPORT_KEY);

  g_assert_nonnull (transport);
  return transport;
}

char *
lan_test_engine_dup_key (LanMessenger *engine)
{
  LanMemoryTransport *transport = lan_test_engine_get_transport (engine);
  LanEndpoint endpoint = lan_transport_get_local (LAN_TRANSPORT (transport));

  endpoint.address = lan_memory_transport_get_address (transport);
  return lan_endpoint_to_string (endpoint);
}

LanPeer *
lan_test_engine_find_peer (LanMessenger *engine,
                           const char   *key)
{
  return lan_peer_list_lookup (lan_messenger_get_peers (engine), key);
}

typedef struct {
  LanMessenger *engine;
  const char   *key;
} PeerWait;

static gboolean
peer_listed (gpointer user_data)
{
  PeerWait *wait = user_data;

  return lan_test_engine_find_peer (wait->engine, wait->key) != NULL;
}

LanPeer *
lan_test_engine_await_peer (LanMessenger *engine,
                            const char   *key,
                            guint         timeout_ms)
{
  PeerWait wait = { engine, key };

  lan_test_await (peer_listed, &wait, timeout_ms);
  return lan_test_engine_find_peer (engine, key);
}

static gboolean
message_settled (gpointer user_data)
{
  LanMessageState state = lan_message_get_state (user_data);

  return state == LAN_MESSAGE_DELIVERED || state == LAN_MESSAGE_FAILED;
}

gboolean
lan_test_message_await_settled (LanMessage *message,
                                guint       timeout_ms)
{
  return lan_test_await (message_settled, message, timeout_ms);
}

GBytes *
lan_test_craft (const char *version,
                guint64     packet_no,
                const char *user,
                const char *host,
                guint32     command,
                const void *extra,
                gsize       extra_len)
{
  g_autofree char *header = g_strdup_printf ("%s:%" G_GUINT64_FORMAT ":%s:%s:%u:",
                                             version, packet_no, user, host, command);
  GByteArray *bytes = g_byte_array_new ();

  g_byte_array_append (bytes, (const guint8 *) header, (guint) strlen (header));
  if (extra_len > 0)
    g_byte_array_append (bytes, extra, (guint) extra_len);
  return g_byte_array_free_to_bytes (bytes);
}

void
lan_test_inject (LanMemoryNetwork *network,
                 const char       *from,
                 const char       *to,
                 GBytes           *datagram)
{
  LanEndpoint source, destination;
  gsize len;
  const guint8 *data = g_bytes_get_data (datagram, &len);

  g_assert_true (lan_memory_parse_endpoint (from, &source));
  g_assert_true (lan_memory_parse_endpoint (to, &destination));
  lan_memory_network_inject (network, source, destination, data, len);
}

void
lan_test_engine_stop (LanMessenger **engine)
{
  if (*engine != NULL)
    lan_messenger_stop (*engine);
  g_clear_object (engine);
  lan_test_drain ();
}

char *
lan_test_to_charset (const char *utf8,
                     const char *charset)
{
  g_autoptr(GError) error = NULL;
  char *converted = g_convert (utf8, -1, charset, "UTF-8", NULL, NULL, &error);

  g_assert_no_error (error);
  return converted;
}

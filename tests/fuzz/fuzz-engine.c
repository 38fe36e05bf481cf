/* fuzz-engine.c — libFuzzer target for a whole engine: a sequence of
 * datagrams, from a few sources, into a LanMessenger over the in-memory LAN
 * of tests/support. No socket is opened.
 *
 * Input: records of
 *   1 byte   how: bits 0-1 the source (two peers, a peer's second port, and
 *            our own address, spoofed), bit 2 to the subnet broadcast instead
 *            of to us, bit 3 run the main loop after it, bit 4 send a message
 *            to that source afterwards (so that acknowledgements have
 *            something to match), bit 5 toggle away, bit 6 from a
 *            stranger instead (10.77.0.64 + N for record N: the
 *            peer list, rate limiter and duplicate windows fill and evict),
 *            bit 7 of the first record only: with a history, in a temporary
 *            file (the conversation store's writes and reads)
 *   2 bytes  length, big-endian
 *   n bytes  the datagram (cut short at the end of the input)
 * Each input gets a fresh engine, which must neither crash nor leak.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "lan-memory-transport.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define ENGINE_ADDRESS 0x0a4d0002u  /* 10.77.0.2 */
#define MAX_RECORDS    64

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const LanEndpoint sources[] = {
  { 0x0a4d0009u, 2425 },        /* 10.77.0.9:2425 */
  { 0x0a4d000au, 2425 },        /* 10.77.0.10:2425 */
  { 0x0a4d0009u, 2426 },        /* the first one's other port */
  { ENGINE_ADDRESS, 2425 },     /* ourselves, spoofed */
};

static void
run_loop (LanMemoryNetwork *network)
{
  /* Bounded: the engine's own timers (resends) would go on for ever. */
  for (guint i = 0; i < 8 && (lan_memory_network_flush (network) > 0 ||
                              g_main_context_iteration (NULL, FALSE)); i++)
    ;
}

static void
send_to (LanMessenger *engine,
         LanEndpoint   source)
{
  g_autofree char *key = lan_endpoint_to_string (source);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  LanPeer *peer = lan_peer_list_lookup (lan_messenger_get_peers (engine), key);

  if (peer == NULL)
    return;
  message = lan_messenger_send (engine, peer, "fuzz", &error);
  /* Refused (too many waiting, say) is an answer too; either way it mustn't crash. */
  g_assert_true ((message == NULL) != (error == NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) tmp = NULL;
  g_autofree char *history = NULL;
  LanTestEngineOptions options = {
    .user_name = "fuzz",
    .retry_initial_ms = 1,
    .retry_budget_ms = 1,
  };
  LanMessenger *engine;
  LanEndpoint to_us = { ENGINE_ADDRESS, 2425 };
  LanEndpoint to_all = { lan_memory_network_get_broadcast (network), 2425 };
  gsize offset = 0;
  gboolean away = FALSE;

  if (size > 0 && (data[0] & 128))
    {
      tmp = lan_test_tmpdir_new ("fuzz-engine");
      history = lan_test_tmpdir_file (tmp, "history.db");
      options.history_path = history;
    }
  engine = lan_test_engine_new (network, "10.77.0.2", &options);

  for (guint records = 0; records < MAX_RECORDS && offset + 3 <= size; records++)
    {
      guint8 how = data[offset];
      gsize len = ((gsize) data[offset + 1] << 8) | data[offset + 2];
      LanEndpoint source = sources[how & 3];

      if (how & 64)
        {
          source.address = 0x0a4d0040u + records;   /* 10.77.0.64 + N */
          source.port = 2425;
        }

      offset += 3;
      len = MIN (len, size - offset);
      lan_memory_network_inject (network, source, (how & 4) ? to_all : to_us, data + offset, len);
      offset += len;

      if (how & 8)
        run_loop (network);
      if (how & 16)
        {
          run_loop (network);
          send_to (engine, source);
        }
      if (how & 32)
        {
          away = !away;
          g_object_set (engine, "away", away, NULL);
        }
    }
  run_loop (network);

  lan_test_engine_stop (&engine);
  lan_test_drain ();
  return 0;
}

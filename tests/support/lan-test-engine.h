/* lan-test-engine.h — an engine for tests: a LanMessenger over a memory
 * transport on a given network and address, with fast timings, started.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lan-memory-transport.h"
#include "lan-messenger.h"

G_BEGIN_DECLS

#define LAN_TEST_PORT 2425

/* Zero (or NULL) everywhere means the default in brackets. */
typedef struct {
  const char *user_name;            /* ["test"] */
  const char *host_name;            /* ["lab"] */
  const char *nickname;             /* [user_name] */
  const char *history_path;         /* [none: no history, no outbox] */
  guint16     port;                 /* [LAN_TEST_PORT] */
  guint       retry_initial_ms;     /* [20] */
  guint       retry_budget_ms;      /* [400] */
  guint       answer_delay_max_ms;  /* [0: answer at once] */
  gboolean    no_broadcast_target;  /* [FALSE: the subnet broadcast is an extra target,
                                     * which is how engines find each other here] */
  gboolean    no_start;             /* [FALSE: started] */
  const char * const *targets;      /* [none] more extra targets, NULL-terminated */
} LanTestEngineOptions;

/* An engine at @address on @network (@options may be NULL). Aborts the
 * test when it can't start.
 * Returns: (transfer full) */
LanMessenger       *lan_test_engine_new           (LanMemoryNetwork           *network,
                                                   const char                 *address,
                                                   const LanTestEngineOptions *options);
/* The same over a real UDP socket, for the loop tests (in a namespace of
 * their own): no memory network, so no broadcast target, only @options'
 * targets.
 * Returns: (transfer full) */
LanMessenger       *lan_test_engine_new_udp       (const char                 *address,
                                                   const LanTestEngineOptions *options);
/* The memory transport under an engine made by lan_test_engine_new().
 * Returns: (transfer none) */
LanMemoryTransport *lan_test_engine_get_transport (LanMessenger               *engine);
/* "10.77.0.2:2425" for @engine's bound address. Returns: (transfer full) */
char               *lan_test_engine_dup_key       (LanMessenger               *engine);
/* The listed peer at @key ("10.77.0.3:2425"), or NULL. Returns: (transfer none) (nullable) */
LanPeer            *lan_test_engine_find_peer     (LanMessenger               *engine,
                                                   const char                 *key);
/* Until @engine lists a peer at @key; returns it, or NULL after the deadline.
 * Returns: (transfer none) (nullable) */
LanPeer            *lan_test_engine_await_peer    (LanMessenger               *engine,
                                                   const char                 *key,
                                                   guint                       timeout_ms);
/* Until @message is delivered or failed; returns whether it settled in time. */
gboolean            lan_test_message_await_settled (LanMessage                *message,
                                                    guint                      timeout_ms);
/* A datagram in IPMsg's shape, "version:packet-no:user:host:command:" then
 * @extra_len bytes of @extra as they are (NULs included: the sections),
 * for playing other clients (iptux, FeiQ) or hostile ones.
 * Returns: (transfer full) */
GBytes             *lan_test_craft                (const char                 *version,
                                                   guint64                     packet_no,
                                                   const char                 *user,
                                                   const char                 *host,
                                                   guint32                     command,
                                                   const void                 *extra,
                                                   gsize                       extra_len);
/* Injects @datagram from @from to @to ("10.77.0.9:2425" or "10.77.0.9"). */
void                lan_test_inject               (LanMemoryNetwork           *network,
                                                   const char                 *from,
                                                   const char                 *to,
                                                   GBytes                     *datagram);
/* @utf8 converted to @charset ("GB18030", "CP932", …), asserting it converts.
 * Returns: (transfer full) */
char               *lan_test_to_charset           (const char                 *utf8,
                                                   const char                 *charset);
/* Stops @engine, drops it (*@engine becomes NULL) and runs what is left. */
void                lan_test_engine_stop          (LanMessenger              **engine);

G_END_DECLS

/* bench-flood-memory.c — what floods of strangers cost an engine, over the
 * in-memory LAN of tests/support (no socket is opened):
 *
 *   bench-flood-memory PHASE [N [LOG]]    LOG: the packet log's capacity
 *                                         (default its default, 100 000 entries)
 *
 *   bench-flood-memory senders [N]        N messages (300 000), each from its
 *                                         own address and user@host
 *   bench-flood-memory announcements [N]  N BR_ENTRY (5 000) of ~60 KB names,
 *                                         each from its own address
 *   bench-flood-memory history [N]        N messages (100 000) from strangers
 *                                         into a history in a temporary folder
 *
 * The packet log alone takes up to its byte budget (51 MB of payload at
 * 100 000 entries) under any flood; a smaller LOG shows what the engine's
 * own tables cost.
 *
 * Prints one line: "<phase> N log L rss-before B rss-after B rss-trimmed B
 * peers P" (rss-trimmed: after malloc_trim, without the free heap) and, for
 * history, "rows R file-bytes B" (the database with its -wal).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <malloc.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "bench-common.h"
#include "lan-ipmsg.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define ALICE "10.0.0.2"

/* The i-th stranger: 10.(1 + i / 65536 % 200).(i / 256 % 256).(i % 256),
 * never ALICE. */
static char *
stranger (guint i)
{
  return g_strdup_printf ("10.%u.%u.%u:2425", 1 + (i / 65536) % 200, (i / 256) % 256, i % 256);
}

static void
drain (LanMemoryNetwork *network,
       LanMessenger     *engine)
{
  while (lan_memory_network_get_n_queued (network) > 0)
    lan_memory_network_flush (network);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  /* The memory transport keeps what it sent for tests to look at: that is
   * the bench's memory, not the engine's. */
  lan_memory_transport_clear_sent (lan_test_engine_get_transport (engine));
}

static GBytes *
craft_message (guint i)
{
  g_autofree char *user = g_strdup_printf ("user%u", i);
  g_autofree char *host = g_strdup_printf ("host%u", i);
  g_autofree char *text = g_strdup_printf ("message %u from a stranger, with some words in it", i);

  return lan_test_craft ("1", 1000 + i, user, host,
                         LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_UTF8OPT,
                         text, strlen (text) + 1);
}

static GBytes *
craft_announcement (guint i, const char *big)
{
  g_autoptr(GByteArray) extra = g_byte_array_new ();
  g_autofree char *user = g_strdup_printf ("%.*s%u", 15000, big, i);

  g_byte_array_append (extra, (const guint8 *) big, 15000);
  g_byte_array_append (extra, (const guint8 *) "", 1);
  g_byte_array_append (extra, (const guint8 *) big, 15000);
  g_byte_array_append (extra, (const guint8 *) "", 1);
  return lan_test_craft ("1", 1000 + i, user, user,
                         LAN_IPMSG_BR_ENTRY | LAN_IPMSG_UTF8OPT | LAN_IPMSG_CAPUTF8OPT,
                         extra->data, extra->len);
}

static gint64
history_rows (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 rows = -1;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM messages", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    rows = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *phase = argc > 1 ? argv[1] : "senders";
  gboolean history = g_str_equal (phase, "history");
  gboolean announcements = g_str_equal (phase, "announcements");
  guint n = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10)
                     : announcements ? 5000 : history ? 100000 : 300000;
  g_autoptr(LanTestTmpdir) tmp = lan_test_tmpdir_new ("bench-flood-memory");
  g_autofree char *db = lan_test_tmpdir_file (tmp, "history.db");
  g_autofree char *big = g_strnfill (15000, 'N');
  LanTestEngineOptions options = { .user_name = "alice", .history_path = history ? db : NULL };
  g_autoptr(LanMemoryNetwork) network = NULL;
  g_autoptr(LanMessenger) alice = NULL;
  guint log = argc > 3 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 0;
  gsize before, after, trimmed;

  if (!history && !announcements && !g_str_equal (phase, "senders"))
    {
      fprintf (stderr, "usage: bench-flood-memory senders|announcements|history [N]\n");
      return 2;
    }

  network = lan_memory_network_new ("10.0.0.0/8");
  alice = lan_test_engine_new (network, ALICE, &options);
  if (log > 0)
    lan_packet_log_set_capacity (lan_messenger_get_packet_log (alice), log);
  drain (network, alice);
  before = bench_rss ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *from = stranger (i);
      g_autoptr(GBytes) datagram = announcements ? craft_announcement (i, big) : craft_message (i);

      lan_test_inject (network, from, ALICE, datagram);
      /* Few at a time: what waits in the memory LAN's queue is the bench's memory. */
      if (i % (announcements ? 10 : 500) == 0)
        drain (network, alice);
    }
  drain (network, alice);
  after = bench_rss ();
  /* What the heap holds free (glibc keeps freed 60 KB blocks in the heap):
   * the rest is what the engine really keeps. */
  malloc_trim (0);
  trimmed = bench_rss ();

  printf ("%s %u log %u rss-before %" G_GSIZE_FORMAT " rss-after %" G_GSIZE_FORMAT
          " rss-trimmed %" G_GSIZE_FORMAT " peers %u",
          phase, n, lan_packet_log_get_capacity (lan_messenger_get_packet_log (alice)), before, after, trimmed, g_list_model_get_n_items (G_LIST_MODEL (lan_messenger_get_peers (alice))));
  lan_test_engine_stop (&alice);
  if (history)
    {
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);

      printf (" rows %" G_GINT64_FORMAT " file-bytes %" G_GINT64_FORMAT,
              history_rows (db), file_size (db) + file_size (wal));
    }
  printf ("\n");
  return 0;
}

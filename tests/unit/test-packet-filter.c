/* test-packet-filter.c — search queries: parsing, errors with positions, matching.
 *
 * Rows are made up in memory; nothing here opens a socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-ipmsg.h"
#include "lan-packet-filter.h"
#include "lan-packet-log.h"
#include "lan-peer-list.h"
#include "lan-peer.h"

#define ADDR(a, b, c, d) (((guint32) (a) << 24) | ((guint32) (b) << 16) | ((guint32) (c) << 8) | (guint32) (d))
#define LOCAL     ((LanEndpoint) { ADDR (10, 77, 0, 1), 2425 })
#define ALICE     ((LanEndpoint) { ADDR (10, 77, 0, 5), 2425 })
#define BOB       ((LanEndpoint) { ADDR (10, 77, 0, 6), 2425 })
#define STRANGER  ((LanEndpoint) { ADDR (10, 77, 1, 9), 40000 })
#define BROADCAST ((LanEndpoint) { ADDR (255, 255, 255, 255), 2425 })

/* The rows every matching test runs against; numbers are 1-based. */
static LanPacketLog *
make_log (void)
{
  static const struct {
    LanDirection direction;
    LanEndpoint  local;
    LanEndpoint  remote;
    const char  *data;
    LanVerdict   verdict;
    const char  *detail;
  } rows[] = {
    /* 1 */ { LAN_DIRECTION_IN, LOCAL, ALICE, "1:100:alice:pc-a:8388896:Hello World from Alice", LAN_VERDICT_OK, NULL },
    /* 2 */ { LAN_DIRECTION_OUT, LOCAL, ALICE, "1:200:me:here:8388641:100", LAN_VERDICT_OK, NULL },
    /* 3 */ { LAN_DIRECTION_IN, LOCAL, STRANGER, "garbage without colons", LAN_VERDICT_MALFORMED, "header has 1 of the 5 fields" },
    /* 4 */ { LAN_DIRECTION_IN, BROADCAST, BOB, "1:300:bob:pc-b:8388609:Bobby\0staff", LAN_VERDICT_OK, NULL },
    /* 5 */ { LAN_DIRECTION_IN, LOCAL, ALICE, "1:100:alice:pc-a:8388896:Hello World from Alice", LAN_VERDICT_DUPLICATE, "a repeat of packet 100" },
    /* 6 */ { LAN_DIRECTION_OUT, LOCAL, BOB, "1:201:me:here:8388896:Grüße, Straße", LAN_VERDICT_RESEND, NULL },
    /* 7 */ { LAN_DIRECTION_IN, LOCAL, STRANGER, "1:9:x:y:122:unknown", LAN_VERDICT_UNKNOWN_COMMAND, NULL },
    /* 8 */ { LAN_DIRECTION_IN, LOCAL, STRANGER, "2:9:x:y:32:version two", LAN_VERDICT_MALFORMED, "bad version" },
  };
  LanPacketLog *log = lan_packet_log_new (100);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      LanDatagram datagram = {
        .time_us = 1700000000000000 + i,
        .direction = rows[i].direction,
        .local = rows[i].local,
        .remote = rows[i].remote,
        .data = (const guint8 *) rows[i].data,
        /* Row 4 carries a NUL between nickname and group. */
        .len = i == 3 ? strlen (rows[i].data) + 6 : strlen (rows[i].data),
      };

      lan_packet_log_append (log, &datagram, rows[i].verdict, rows[i].detail);
    }
  lan_packet_log_flush (log);
  return log;
}

/* "1,4,5": the numbers of the rows @query matches. */
static char *
matching (LanPacketLog *log,
          LanPeerList  *peers,
          const char   *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LanPacketFilter) filter = lan_packet_filter_new (query, NULL, NULL, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (filter);
  lan_packet_filter_set_peers (filter, peers);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (lan_packet_filter_match (filter, entry))
        g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, out->len > 0 ? "," : "",
                                lan_packet_log_entry_get_number (entry));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_matches(log, peers, query, expected) \
  G_STMT_START { \
    g_autofree char *got_ = matching ((log), (peers), (query)); \
    if (g_strcmp0 (got_, (expected)) != 0) \
      g_error ("query “%s” matched “%s”, expected “%s”", (query), got_, (expected)); \
  } G_STMT_END

static void
test_empty (void)
{
  g_autoptr(LanPacketLog) log = make_log ();
  const char *blank[] = { NULL, "", "   ", "\t \n", "\"\"", "dir:in,out" };

  for (guint i = 0; i < G_N_ELEMENTS (blank); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(LanPacketFilter) filter = lan_packet_filter_new (blank[i], NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_true (lan_packet_filter_is_empty (filter));
      assert_matches (log, NULL, blank[i], "1,2,3,4,5,6,7,8");
    }
}

static void
test_direction_and_verdict (void)
{
  g_autoptr(LanPacketLog) log = make_log ();

  assert_matches (log, NULL, "dir:in", "1,3,4,5,7,8");
  assert_matches (log, NULL, "dir:out", "2,6");
  assert_matches (log, NULL, "DIR:OUT", "2,6");
  assert_matches (log, NULL, "verdict:malformed", "3,8");
  assert_matches (log, NULL, "verdict:duplicate,resend", "5,6");
  assert_matches (log, NULL, "verdict:Unknown-Command", "7");
  assert_matches (log, NULL, "-verdict:ok", "3,5,6,7,8");
  assert_matches (log, NULL, "dir:in -verdict:malformed", "1,4,5,7");
}

static void
test_addresses (void)
{
  g_autoptr(LanPacketLog) log = make_log ();

  /* from: is the remote for incoming rows, our address for outgoing ones. */
  assert_matches (log, NULL, "from:10.77.0.5", "1,5");
  assert_matches (log, NULL, "from:10.77.0.0/24", "1,2,4,5,6");
  assert_matches (log, NULL, "from:10.77.0.0/16", "1,2,3,4,5,6,7,8");
  assert_matches (log, NULL, "from:10.77.1.9:40000", "3,7,8");
  assert_matches (log, NULL, "from:10.77.1.9:2425", "");
  assert_matches (log, NULL, "from:0.0.0.0/0", "1,2,3,4,5,6,7,8");
  assert_matches (log, NULL, "to:10.77.0.5", "2");
  assert_matches (log, NULL, "to:255.255.255.255", "4");
  assert_matches (log, NULL, "to:10.77.0.1", "1,3,5,7,8");
  assert_matches (log, NULL, "from:10.77.0.5,10.77.0.6", "1,4,5");
  assert_matches (log, NULL, "-from:10.77.0.0/24", "3,7,8");
}

static void
test_command (void)
{
  g_autoptr(LanPacketLog) log = make_log ();

  assert_matches (log, NULL, "cmd:SENDMSG", "1,5,6");
  assert_matches (log, NULL, "cmd:sendmsg", "1,5,6");
  assert_matches (log, NULL, "cmd:IPMSG_SENDMSG", "1,5,6");
  assert_matches (log, NULL, "cmd:32", "1,5,6");
  assert_matches (log, NULL, "cmd:0x20", "1,5,6");
  assert_matches (log, NULL, "cmd:RECVMSG,BR_ENTRY", "2,4");
  /* An unknown mode is named as the row shows it. */
  assert_matches (log, NULL, "cmd:0x7a", "7");
  /* Row 8 says 32 in its bytes, but the codec refused it: no command. */
  assert_matches (log, NULL, "-cmd:SENDMSG", "2,3,4,7,8");
}

static void
test_peer (void)
{
  g_autoptr(LanPacketLog) log = make_log ();
  g_autoptr(LanPeerList) peers = lan_peer_list_new (16);
  g_autoptr(LanPeer) alice = lan_peer_new (ALICE);

  lan_peer_set_names (alice, "Wonderland", "alice", "pc-a", NULL);
  g_free (lan_peer_list_add (peers, alice));

  /* The user and host in each packet, and an entry packet's nickname. */
  assert_matches (log, NULL, "peer:alice", "1,5");
  assert_matches (log, NULL, "peer:PC-B", "4");
  assert_matches (log, NULL, "peer:bobby", "4");
  /* By address: the remote, in either direction. */
  assert_matches (log, NULL, "peer:10.77.0.5", "1,2,5");
  assert_matches (log, NULL, "peer:10.77.0.6:2425", "4,6");
  assert_matches (log, NULL, "peer:10.77.1", "3,7,8");
  /* An outgoing packet carries our names, not the peer's. */
  assert_matches (log, NULL, "peer:me", "");
  assert_matches (log, NULL, "peer:here", "");
  /* The peer list names the remote in both directions. */
  assert_matches (log, NULL, "peer:wonder", "");
  assert_matches (log, peers, "peer:wonder", "1,2,5");
  assert_matches (log, peers, "peer:alice", "1,2,5");
  assert_matches (log, peers, "peer:wonder,bobby", "1,2,4,5");
}

static void
test_words (void)
{
  g_autoptr(LanPacketLog) log = make_log ();

  assert_matches (log, NULL, "hello", "1,5");
  assert_matches (log, NULL, "HELLO world", "1,5");
  assert_matches (log, NULL, "\"world from\"", "1,5");
  assert_matches (log, NULL, "\"from world\"", "");
  assert_matches (log, NULL, "-hello", "2,3,4,6,7,8");
  assert_matches (log, NULL, "-\"hello world\"", "2,3,4,6,7,8");
  /* The verdict detail, and the parse error of a malformed row. */
  assert_matches (log, NULL, "repeat", "5");
  assert_matches (log, NULL, "fields", "3");
  /* Unicode: folded on both sides. */
  assert_matches (log, NULL, "GRÜSSE", "6");
  assert_matches (log, NULL, "straße", "6");
  assert_matches (log, NULL, "STRASSE", "6");
  /* A colon after something that isn't a key is part of the word. */
  assert_matches (log, NULL, "\"pc-a:\"", "");
  assert_matches (log, NULL, "10:30", "");
  /* Quotes keep a key-like word a word; \" inside quotes is a quote. */
  assert_matches (log, NULL, "\"peer:alice\"", "");
  assert_matches (log, NULL, "\"say \\\"hi\\\"\"", "");
  /* Everything together. */
  assert_matches (log, NULL, "dir:in cmd:SENDMSG from:10.77.0.0/24 -verdict:duplicate hello", "1");
}

static void
test_errors (void)
{
  static const struct {
    const char *query;
    int code;
    int start;
    int end;
  } cases[] = {
    { "prr:alice", LAN_PACKET_FILTER_ERROR_UNKNOWN_KEY, 0, 4 },
    { "hello http://x", LAN_PACKET_FILTER_ERROR_UNKNOWN_KEY, 6, 11 },
    /* Positions count characters, not bytes. */
    { "größe prr:x", LAN_PACKET_FILTER_ERROR_UNKNOWN_KEY, 6, 10 },
    { "-nope:1", LAN_PACKET_FILTER_ERROR_UNKNOWN_KEY, 1, 6 },
    { "cmd:", LAN_PACKET_FILTER_ERROR_EMPTY_VALUE, 0, 4 },
    { "dir:in cmd: x", LAN_PACKET_FILTER_ERROR_EMPTY_VALUE, 7, 11 },
    { "cmd:SENDMSG,", LAN_PACKET_FILTER_ERROR_EMPTY_VALUE, 12, 13 },
    { "cmd:,SENDMSG", LAN_PACKET_FILTER_ERROR_EMPTY_VALUE, 4, 5 },
    { "peer:\"\"", LAN_PACKET_FILTER_ERROR_EMPTY_VALUE, 5, 7 },
    { "dir:sideways", LAN_PACKET_FILTER_ERROR_BAD_VALUE, 4, 12 },
    { "verdict:fine", LAN_PACKET_FILTER_ERROR_BAD_VALUE, 8, 12 },
    { "cmd:SENDMSG,NOPE", LAN_PACKET_FILTER_ERROR_BAD_VALUE, 12, 16 },
    { "cmd:256", LAN_PACKET_FILTER_ERROR_BAD_VALUE, 4, 7 },
    { "cmd:0x", LAN_PACKET_FILTER_ERROR_BAD_VALUE, 4, 6 },
    { "from:10.77.0.0/33", LAN_PACKET_FILTER_ERROR_BAD_VALUE, 5, 17 },
    { "from:10.77.0", LAN_PACKET_FILTER_ERROR_BAD_VALUE, 5, 12 },
    { "to:10.77.0.5:0", LAN_PACKET_FILTER_ERROR_BAD_VALUE, 3, 14 },
    { "to:alice", LAN_PACKET_FILTER_ERROR_BAD_VALUE, 3, 8 },
    { "hello \"world", LAN_PACKET_FILTER_ERROR_UNTERMINATED_QUOTE, 6, 12 },
    { "peer:\"a b", LAN_PACKET_FILTER_ERROR_UNTERMINATED_QUOTE, 5, 9 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      int start = -1, end = -1;
      g_autoptr(LanPacketFilter) filter = lan_packet_filter_new (cases[i].query, &start, &end, &error);
      g_autofree char *where = g_strdup_printf ("At character %d:", cases[i].start + 1);

      g_test_message ("%s → %s", cases[i].query, error != NULL ? error->message : "(no error)");
      g_assert_null (filter);
      g_assert_error (error, LAN_PACKET_FILTER_ERROR, cases[i].code);
      g_assert_cmpint (start, ==, cases[i].start);
      g_assert_cmpint (end, ==, cases[i].end);
      g_assert_true (g_str_has_prefix (error->message, where));
    }

  /* The positions are optional. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (lan_packet_filter_new ("x:1", NULL, NULL, &error));
    g_assert_error (error, LAN_PACKET_FILTER_ERROR, LAN_PACKET_FILTER_ERROR_UNKNOWN_KEY);
    g_assert_null (lan_packet_filter_new ("x:1", NULL, NULL, NULL));
  }

  /* Invalid UTF-8 is repaired, not refused. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(LanPacketFilter) filter = lan_packet_filter_new ("ab\xff" "cd", NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (g_utf8_validate (lan_packet_filter_get_query (filter), -1, NULL));
  }
}

static void
test_evicted (void)
{
  g_autoptr(LanPacketLogEntry) evicted = lan_packet_log_entry_new_evicted (3);
  g_autoptr(LanPacketFilter) any = lan_packet_filter_new ("", NULL, NULL, NULL);
  g_autoptr(LanPacketFilter) negated = lan_packet_filter_new ("-cmd:SENDMSG", NULL, NULL, NULL);

  /* A placeholder stays visible only where nothing is filtered. */
  g_assert_true (lan_packet_filter_match (any, evicted));
  g_assert_false (lan_packet_filter_match (negated, evicted));
}

static LanPacketFilterChange
compare (const char *old_query,
         const char *new_query)
{
  g_autoptr(LanPacketFilter) old_filter = lan_packet_filter_new (old_query, NULL, NULL, NULL);
  g_autoptr(LanPacketFilter) new_filter = lan_packet_filter_new (new_query, NULL, NULL, NULL);

  return lan_packet_filter_compare (old_filter, new_filter);
}

static void
test_compare (void)
{
  g_assert_cmpint (compare ("", ""), ==, LAN_PACKET_FILTER_SAME);
  g_assert_cmpint (compare ("dir:in  hello", "HELLO dir:in"), ==, LAN_PACKET_FILTER_SAME);
  g_assert_cmpint (compare ("", "dir:in"), ==, LAN_PACKET_FILTER_MORE_STRICT);
  g_assert_cmpint (compare ("dir:in", ""), ==, LAN_PACKET_FILTER_LESS_STRICT);
  g_assert_cmpint (compare ("hel", "hello"), ==, LAN_PACKET_FILTER_MORE_STRICT);
  g_assert_cmpint (compare ("hello", "hel"), ==, LAN_PACKET_FILTER_LESS_STRICT);
  g_assert_cmpint (compare ("-hello", "-hel"), ==, LAN_PACKET_FILTER_MORE_STRICT);
  g_assert_cmpint (compare ("peer:ali", "peer:alice"), ==, LAN_PACKET_FILTER_MORE_STRICT);
  g_assert_cmpint (compare ("dir:in hello", "dir:in hello cmd:SENDMSG"), ==, LAN_PACKET_FILTER_MORE_STRICT);
  g_assert_cmpint (compare ("dir:in", "dir:out"), ==, LAN_PACKET_FILTER_DIFFERENT);
  g_assert_cmpint (compare ("cmd:SENDMSG", "cmd:RECVMSG"), ==, LAN_PACKET_FILTER_DIFFERENT);
  g_assert_cmpint (compare ("hello", "-hello"), ==, LAN_PACKET_FILTER_DIFFERENT);
}

static void
test_many_rows (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (50000);
  g_autoptr(LanPacketFilter) filter = lan_packet_filter_new ("dir:in cmd:SENDMSG -verdict:duplicate needle",
                                                             NULL, NULL, NULL);
  guint matched = 0;

  for (guint i = 0; i < 50000; i++)
    {
      g_autofree char *data = g_strdup_printf ("1:%u:user%u:host:%u:message %u%s", i, i % 50,
                                               i % 2 == 0 ? 32 : 33, i, i % 1000 == 0 ? " needle" : "");
      LanDatagram datagram = {
        .time_us = 1700000000000000 + i,
        .direction = i % 3 == 0 ? LAN_DIRECTION_OUT : LAN_DIRECTION_IN,
        .local = LOCAL,
        .remote = ALICE,
        .data = (const guint8 *) data,
        .len = strlen (data),
      };

      lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, NULL);
    }
  lan_packet_log_flush (log);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      matched += lan_packet_filter_match (filter, entry);
    }
  /* Every 1000th has the needle; all are even (SENDMSG); 0 mod 3 went out. */
  g_assert_cmpuint (matched, ==, 33);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/packet-filter/empty", test_empty);
  g_test_add_func ("/packet-filter/direction-and-verdict", test_direction_and_verdict);
  g_test_add_func ("/packet-filter/addresses", test_addresses);
  g_test_add_func ("/packet-filter/command", test_command);
  g_test_add_func ("/packet-filter/peer", test_peer);
  g_test_add_func ("/packet-filter/words", test_words);
  g_test_add_func ("/packet-filter/errors", test_errors);
  g_test_add_func ("/packet-filter/evicted", test_evicted);
  g_test_add_func ("/packet-filter/compare", test_compare);
  g_test_add_func ("/packet-filter/many-rows", test_many_rows);

  return g_test_run ();
}

/* test-packet-counters.c — the packet log's counters and its compact storage:
 * the command read without a parse, the byte budget, cut details.
 *
 * Datagrams are made up in memory; nothing here opens a socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-ipmsg.h"
#include "lan-packet-log.h"

#define LOCAL  ((LanEndpoint) { 0x0a4d0001, 2425 })
#define REMOTE ((LanEndpoint) { 0x0a4d0005, 2425 })

static void
append (LanPacketLog *log,
        LanDirection  direction,
        const char   *text,
        LanVerdict    verdict)
{
  LanDatagram datagram = {
    .time_us = 1700000000000000,
    .direction = direction,
    .local = LOCAL,
    .remote = REMOTE,
    .data = (const guint8 *) text,
    .len = strlen (text),
  };

  lan_packet_log_append (log, &datagram, verdict, NULL);
}

static void
on_counters_changed (LanPacketLog *log,
                     guint        *emitted)
{
  (*emitted)++;
}

static void
test_counters (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  const LanPacketCounters *counters = lan_packet_log_get_counters (log);
  guint emitted = 0;

  g_signal_connect (log, "counters-changed", G_CALLBACK (on_counters_changed), &emitted);

  append (log, LAN_DIRECTION_IN, "1:1:a:b:32:hi", LAN_VERDICT_OK);                 /* 13 bytes */
  append (log, LAN_DIRECTION_IN, "1:1:a:b:8388640:hi", LAN_VERDICT_DUPLICATE);     /* 18, SENDMSG|UTF8OPT */
  append (log, LAN_DIRECTION_OUT, "1:2:me:h:33:1", LAN_VERDICT_OK);                /* 13 */
  append (log, LAN_DIRECTION_OUT, "1:3:me:h:288:again", LAN_VERDICT_RESEND);       /* 18 */
  append (log, LAN_DIRECTION_IN, "rubbish", LAN_VERDICT_MALFORMED);                /* 7 */
  /* Looks like a command, but the codec said no: counted in no command. */
  append (log, LAN_DIRECTION_IN, "9:1:a:b:1:", LAN_VERDICT_MALFORMED);             /* 10 */
  append (log, LAN_DIRECTION_IN, "1:1:a:b:122", LAN_VERDICT_UNKNOWN_COMMAND);      /* 11 */

  g_assert_cmpuint (counters->packets_in, ==, 5);
  g_assert_cmpuint (counters->packets_out, ==, 2);
  g_assert_cmpuint (counters->bytes_in, ==, 13 + 18 + 7 + 10 + 11);
  g_assert_cmpuint (counters->bytes_out, ==, 13 + 18);
  g_assert_cmpuint (counters->malformed, ==, 2);
  g_assert_cmpuint (counters->duplicates, ==, 1);
  g_assert_cmpuint (counters->resends, ==, 1);
  g_assert_cmpuint (counters->verdicts[LAN_VERDICT_OK], ==, 2);
  g_assert_cmpuint (counters->verdicts[LAN_VERDICT_MALFORMED], ==, 2);
  g_assert_cmpuint (counters->verdicts[LAN_VERDICT_UNKNOWN_COMMAND], ==, 1);
  g_assert_cmpuint (counters->commands_in[LAN_IPMSG_SENDMSG], ==, 2);
  g_assert_cmpuint (counters->commands_in[LAN_IPMSG_BR_ENTRY], ==, 0);
  g_assert_cmpuint (counters->commands_in[0x7a], ==, 1);
  g_assert_cmpuint (counters->commands_out[LAN_IPMSG_RECVMSG], ==, 1);
  g_assert_cmpuint (counters->commands_out[LAN_IPMSG_SENDMSG], ==, 1);

  /* Seven appends, one signal, once the main loop turns. */
  g_assert_cmpuint (emitted, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (emitted, ==, 1);

  /* Evicted entries stay counted: 20 more into a ring of 10. */
  for (guint i = 0; i < 20; i++)
    append (log, LAN_DIRECTION_IN, "1:1:a:b:3:", LAN_VERDICT_OK);
  lan_packet_log_flush (log);
  g_assert_cmpuint (emitted, ==, 2);
  g_assert_cmpuint (counters->packets_in, ==, 25);
  g_assert_cmpuint (counters->commands_in[LAN_IPMSG_ANSENTRY], ==, 20);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 17);

  lan_packet_log_reset_counters (log);
  g_assert_cmpuint (counters->packets_in, ==, 0);
  lan_packet_log_flush (log);
  g_assert_cmpuint (emitted, ==, 3);

  append (log, LAN_DIRECTION_IN, "1:1:a:b:3:", LAN_VERDICT_OK);
  /* Clearing starts over, counters too, and says so at once. */
  lan_packet_log_clear (log);
  g_assert_cmpuint (emitted, ==, 4);
  g_assert_cmpuint (counters->packets_in, ==, 0);
  g_assert_cmpuint (counters->commands_in[LAN_IPMSG_ANSENTRY], ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (emitted, ==, 4);
}

static void
test_peek_command (void)
{
  static const struct {
    const char *data;
    gboolean ok;
    guint32 command;
  } cases[] = {
    { "1:2:u:h:32", TRUE, 32 },
    { "1:2:u:h:32:", TRUE, 32 },
    { "1:2:u:h:32:a:b:c", TRUE, 32 },
    { "1:2:u:h:4294967295:", TRUE, G_MAXUINT32 },
    { "1:2:u:h:4294967296:", FALSE, 0 },
    { "1:2:u:h::", FALSE, 0 },
    { "1:2:u:h:", FALSE, 0 },
    { "1:2:u:h:3x:", FALSE, 0 },
    { "1:2:u:h: 3:", FALSE, 0 },
    { "1:2:u:h:-3:", FALSE, 0 },
    { "1:2:u:h:+3:", FALSE, 0 },
    { "1:2:u:h", FALSE, 0 },
    { "", FALSE, 0 },
    { "::::7", TRUE, 7 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize len = strlen (cases[i].data);
      /* An exact-size copy, so reading past the end shows under ASan. */
      g_autofree guint8 *copy = g_memdup2 (cases[i].data, MAX (len, 1));
      guint32 command = 0;

      g_assert_cmpint (lan_packet_peek_command (copy, len, &command), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpuint (command, ==, cases[i].command);
    }
}

/* Whatever the codec reads, the peek reads the same; where the peek
 * finds nothing, the codec refuses too. */
static void
test_peek_agrees_with_codec (void)
{
  static const char alphabet[] = "1:2:30x\0 -";
  GRand *rand = g_rand_new_with_seed (2425);

  for (guint round = 0; round < 200000; round++)
    {
      guint8 data[24];
      gsize len = (gsize) g_rand_int_range (rand, 0, sizeof data + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(LanIpmsgPacket) packet = NULL;
      guint32 command = 0;
      gboolean peeked;

      for (gsize i = 0; i < len; i++)
        data[i] = (guint8) alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      packet = lan_ipmsg_packet_parse (data, len, &error);
      peeked = lan_packet_peek_command (data, len, &command);
      if (packet != NULL)
        {
          g_assert_true (peeked);
          g_assert_cmpuint (command, ==, packet->command);
        }
      if (!peeked)
        g_assert_null (packet);
    }
  g_rand_free (rand);
}

/* Big datagrams are bounded by bytes, not by count. */
static void
test_byte_budget (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (2000);
  gsize budget = lan_packet_log_get_byte_budget (2000);
  g_autofree guint8 *big = g_malloc (65536);
  guint n;

  g_assert_cmpuint (budget, ==, 64 * 1024 * 1024);
  g_assert_cmpuint (lan_packet_log_get_byte_budget (LAN_PACKET_LOG_MAX_CAPACITY), ==, 512000000);

  for (guint i = 0; i < 1300; i++)
    {
      LanDatagram datagram = {
        .time_us = 1700000000000000 + i,
        .direction = LAN_DIRECTION_IN,
        .local = LOCAL,
        .remote = REMOTE,
        .data = big,
        .len = 65536,
      };

      memset (big, (int) (i & 0xff), 65536);
      lan_packet_log_append (log, &datagram, LAN_VERDICT_MALFORMED, NULL);
    }
  lan_packet_log_flush (log);

  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_assert_cmpuint (n, <=, budget / 65536);
  g_assert_cmpuint (n, >=, budget / 65536 - 8);
  g_assert_cmpuint (lan_packet_log_get_dropped (log) + n, ==, 1300);
  /* What is left is the newest, intact. */
  for (guint i = 0; i < n; i += n - 1)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      guint64 number = lan_packet_log_entry_get_number (entry);
      GBytes *bytes = lan_packet_log_entry_get_bytes (entry);
      const guint8 *data = g_bytes_get_data (bytes, NULL);

      g_assert_cmpuint (number, ==, 1300 - n + 1 + i);
      g_assert_cmpuint (g_bytes_get_size (bytes), ==, 65536);
      g_assert_cmpuint (data[0], ==, (number - 1) & 0xff);
      g_assert_cmpuint (data[65535], ==, (number - 1) & 0xff);
    }

  /* A smaller capacity, a smaller budget: shrinking evicts for both. */
  lan_packet_log_set_capacity (log, 100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 100);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 1200);
}

/* Many small entries through a small ring: storage is reused, entries stay right. */
static void
test_ring_turns (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (333);

  for (guint i = 1; i <= 100000; i++)
    {
      g_autofree char *text = g_strdup_printf ("1:%u:user:host:32:%s", i, i % 7 == 0 ? "" : "some text");
      LanDatagram datagram = {
        .time_us = i, .direction = LAN_DIRECTION_IN, .local = LOCAL, .remote = REMOTE,
        .data = (const guint8 *) text, .len = strlen (text),
      };

      lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, i % 3 == 0 ? "a detail" : NULL);
      if (i % 997 == 0)
        lan_packet_log_flush (log);
    }
  lan_packet_log_flush (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 333);
  for (guint i = 0; i < 333; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      guint64 number = lan_packet_log_entry_get_number (entry);

      g_assert_cmpuint (number, ==, 100000 - 333 + 1 + i);
      g_assert_cmpuint (lan_packet_log_entry_get_packet_no (entry), ==, number);
      g_assert_cmpstr (lan_packet_log_entry_get_detail (entry), ==, number % 3 == 0 ? "a detail" : NULL);
      g_assert_cmpstr (lan_packet_log_entry_get_text (entry), ==, number % 7 == 0 ? "" : "some text");
    }
}

static void
test_cut (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  g_autoptr(GString) detail = g_string_new ("x");
  g_autofree guint8 *huge = g_malloc0 (70000);
  LanDatagram datagram = {
    .time_us = 1, .direction = LAN_DIRECTION_IN, .local = LOCAL, .remote = REMOTE,
    .data = huge, .len = 70000,
  };
  g_autoptr(LanPacketLogEntry) entry = NULL;
  const char *stored;

  /* "x" then "é"s: the 1024-byte limit falls inside a character. */
  for (guint i = 0; i < 1000; i++)
    g_string_append (detail, "é");
  lan_packet_log_append (log, &datagram, LAN_VERDICT_TRUNCATED, detail->str);
  lan_packet_log_flush (log);

  entry = g_list_model_get_item (G_LIST_MODEL (log), 0);
  stored = lan_packet_log_entry_get_detail (entry);
  g_assert_true (g_utf8_validate (stored, -1, NULL));
  g_assert_cmpuint (strlen (stored), ==, 1023);
  g_assert_true (strncmp (stored, detail->str, 1023) == 0);
  /* No UDP datagram is larger than 64 KiB: the rest is cut and flagged. */
  g_assert_cmpuint (g_bytes_get_size (lan_packet_log_entry_get_bytes (entry)), ==, LAN_IPMSG_MAX_DATAGRAM);
  g_assert_true (lan_packet_log_entry_get_flags (entry) & LAN_DATAGRAM_TRUNCATED);
  /* The counters saw what arrived. */
  g_assert_cmpuint (lan_packet_log_get_counters (log)->bytes_in, ==, 70000);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

/* A burst larger than the ring, before any view saw it, still tells of its drops. */
static void
test_dropped_notified (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  guint notified = 0;

  g_signal_connect (log, "notify::dropped", G_CALLBACK (on_notify), &notified);
  for (guint i = 0; i < 25; i++)
    append (log, LAN_DIRECTION_IN, "1:1:a:b:3:", LAN_VERDICT_OK);
  lan_packet_log_flush (log);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 15);
  g_assert_cmpuint (notified, ==, 1);
  lan_packet_log_flush (log);
  g_assert_cmpuint (notified, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/packet-counters/counters", test_counters);
  g_test_add_func ("/packet-counters/peek-command", test_peek_command);
  g_test_add_func ("/packet-counters/peek-agrees-with-codec", test_peek_agrees_with_codec);
  g_test_add_func ("/packet-counters/store/byte-budget", test_byte_budget);
  g_test_add_func ("/packet-counters/store/ring-turns", test_ring_turns);
  g_test_add_func ("/packet-counters/store/cut", test_cut);
  g_test_add_func ("/packet-counters/dropped-notified", test_dropped_notified);

  return g_test_run ();
}

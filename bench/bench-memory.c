/* bench-memory.c — what a full packet log costs in memory, and how fast it
 * fills and filters.
 *
 *   bench-memory --entries N
 *
 * Makes a log of capacity N, notes the resident set size (VmRSS), appends N
 * realistic datagrams (100–200 bytes, the verdicts and details a busy LAN
 * gives), shows a screenful of rows as a view would, and notes it again.
 * Then runs a filter over every row. Prints one line:
 * "entries N idle-rss B rss B delta B append-rate R filter-rate R matched M".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-common.h"
#include "lan-packet-filter.h"
#include "lan-packet-log.h"

int
main (int   argc,
      char *argv[])
{
  int entries = 100000;
  GOptionEntry options[] = {
    { "entries", 0, 0, G_OPTION_ARG_INT, &entries, "Log capacity and entries appended", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— memory of a full packet log");
  g_autoptr(GError) error = NULL;
  g_autoptr(LanPacketLog) log = NULL;
  g_autoptr(LanPacketFilter) filter = NULL;
  gsize idle, full;
  double start, append_seconds, filter_seconds;
  guint matched = 0;
  guint n;
  char buf[256];

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      entries < 1 || entries > LAN_PACKET_LOG_MAX_CAPACITY)
    {
      g_printerr ("bench-memory: --entries 1…%d\n", LAN_PACKET_LOG_MAX_CAPACITY);
      return 2;
    }

  log = lan_packet_log_new ((guint) entries);
  /* Types registered, one row made and gone: what an idle app already has. */
  {
    LanDatagram datagram = { .data = (const guint8 *) "1:1:u:h:1:", .len = 10 };
    g_autoptr(LanPacketLogEntry) entry = NULL;

    lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, NULL);
    lan_packet_log_flush (log);
    entry = g_list_model_get_item (G_LIST_MODEL (log), 0);
    (void) lan_packet_log_entry_get_info (entry);
    lan_packet_log_clear (log);
  }
  idle = bench_rss ();

  start = bench_now ();
  for (guint64 i = 1; i <= (guint64) entries; i++)
    {
      LanDatagram datagram = {
        .time_us = 1700000000000000 + (gint64) i * 10,
        .direction = i % 3 == 0 ? LAN_DIRECTION_OUT : LAN_DIRECTION_IN,
        .local = { 0x0a4d0001, 2425 },
        .remote = { 0x0a4d0000 | (guint32) (i % 200 + 2), 2425 },
        .data = (const guint8 *) buf,
      };
      LanVerdict verdict = LAN_VERDICT_OK;
      const char *detail = NULL;

      datagram.len = bench_format_message (buf, i);
      /* A few of what makes a log worth reading, with their words. */
      if (i % 100 == 0)
        {
          verdict = LAN_VERDICT_DUPLICATE;
          detail = "a repeat of a message already shown; acknowledged again";
        }
      else if (i % 250 == 0)
        {
          verdict = LAN_VERDICT_MALFORMED;
          detail = "command field \"3x\" is not a decimal number that fits 32 bits";
          buf[40] = 'x';
        }
      lan_packet_log_append (log, &datagram, verdict, detail);
    }
  lan_packet_log_flush (log);
  append_seconds = bench_now () - start;

  /* A view shows a screenful: those rows exist, the rest don't. */
  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  for (guint i = n > 50 ? n - 50 : 0; i < n; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      (void) lan_packet_log_entry_get_info (entry);
    }
  full = bench_rss ();

  filter = lan_packet_filter_new ("dir:in cmd:SENDMSG -verdict:duplicate build", NULL, NULL, &error);
  g_assert_no_error (error);
  start = bench_now ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      matched += lan_packet_filter_match (filter, entry);
    }
  filter_seconds = bench_now () - start;

  printf ("entries %u idle-rss %" G_GSIZE_FORMAT " rss %" G_GSIZE_FORMAT " delta %" G_GSIZE_FORMAT
          " append-rate %.0f filter-rate %.0f matched %u\n",
          n, idle, full, full > idle ? full - idle : 0,
          (double) entries / append_seconds, (double) n / filter_seconds, matched);
  return 0;
}

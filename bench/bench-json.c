/* bench-json.c — the JSON form of a log entry (what `lanchat-cli listen`
 * prints and the JSONL export writes) against the size of the datagram.
 *
 *   bench-json [--rounds N]
 *
 * For entry packets whose extra part is all NUL bytes (every byte a new
 * section: the worst case a peer can send) of 1, 4, 16 and 64 KiB, and a
 * realistic 150-byte one, times lan_packet_log_entry_to_json plus its
 * serialisation, best of N rounds. Prints one line per size:
 * "bytes B sections S seconds T us-per-kib U". A linear form keeps U flat
 * from 1 to 64 KiB; a quadratic one grows it 64-fold.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-json"

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "bench-common.h"
#include "lan-ipmsg.h"
#include "lan-packet-log.h"

static double
time_to_json (const guint8 *data,
              gsize         len,
              int           rounds,
              guint        *out_sections)
{
  double best = G_MAXDOUBLE;

  for (int round = 0; round < rounds; round++)
    {
      g_autoptr(LanPacketLog) log = lan_packet_log_new (16);
      g_autoptr(LanPacketLogEntry) entry = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;
      LanDatagram datagram = { .direction = LAN_DIRECTION_IN, .data = data, .len = len };
      double start;

      lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, NULL);
      lan_packet_log_flush (log);
      entry = g_list_model_get_item (G_LIST_MODEL (log), 0);

      start = bench_now ();
      node = lan_packet_log_entry_to_json (entry);
      text = json_to_string (node, FALSE);
      best = MIN (best, bench_now () - start);

      if (out_sections != NULL)
        {
          JsonObject *object = json_node_get_object (node);

          *out_sections = json_object_has_member (object, "sections")
                          ? json_array_get_length (json_object_get_array_member (object, "sections"))
                          : 0;
        }
    }
  return best;
}

static void
report (const guint8 *data,
        gsize         len,
        int           rounds)
{
  guint sections = 0;
  double seconds = time_to_json (data, len, rounds, &sections);

  printf ("bytes %zu sections %u seconds %.6f us-per-kib %.1f\n",
          len, sections, seconds, seconds * 1e6 / ((double) len / 1024.0));
}

int
main (int   argc,
      char *argv[])
{
  int rounds = 5;
  GOptionEntry options[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Rounds per size (best is kept)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the JSON form of a log entry");
  g_autoptr(GError) error = NULL;
  static const gsize sizes[] = { 1024, 4096, 16384, 65507 };
  const char *header = "1:1:flood:host:1:";
  const char *typical = "1_iptux 0.8.3:4:root:tux:259:labtux\0lab\0icon-tux.png\0utf-8\0"
                        "hello there, this is a typical entry packet of about 150 bytes, "
                        "nickname and group and a marker";

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || rounds < 1)
    {
      g_printerr ("bench-json: --rounds N (N ≥ 1)\n");
      return 2;
    }

  report ((const guint8 *) typical, 150, rounds);
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree guint8 *data = g_malloc0 (sizes[i]);

      memcpy (data, header, strlen (header));
      report (data, sizes[i], rounds);
    }
  return 0;
}

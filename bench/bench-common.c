/* bench-common.c — realistic datagrams, pinning, clock and RSS for the benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE

#include "config.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "bench-common.h"

/* Appends @text and, with @nul, the NUL that ends an IPMsg section. */
static void
put (GByteArray *out,
     const char *text,
     gboolean    nul)
{
  g_byte_array_append (out, (const guint8 *) text, (guint) strlen (text) + (nul ? 1 : 0));
}

GPtrArray *
bench_make_datagrams (guint sender)
{
  GPtrArray *datagrams = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < 8; i++)
    {
      GByteArray *out = g_byte_array_new ();
      guint packet_no = 1000 + sender * 100 + i;
      g_autofree char *header = NULL;
      g_autofree char *nickname = NULL;
      g_autofree char *block = NULL;

      switch (i % 4)
        {
        case 0:
        case 1:
          /* ANSENTRY with the draft-14 UTF-8 block, as IP Messenger sends it. */
          header = g_strdup_printf ("1_lbt6_0#128#0019D2AB%04X#0#0#0#4001#9:%u:user%u:host-%u.office:%u:",
                                    sender, packet_no, sender, sender,
                                    0x03 | 0x00800000 | 0x01000000 | 0x00200000);
          nickname = g_strdup_printf ("Nickname %u", sender);
          block = g_strdup_printf ("\nUN:user%u\nHN:host-%u.office\nNN:Nickname %u\nGN:Engineering\n",
                                   sender, sender, sender);
          put (out, header, FALSE);
          put (out, nickname, TRUE);
          put (out, "Engineering", TRUE);
          put (out, block, TRUE);
          break;
        case 2:
          /* BR_ABSENCE: away, with an away text. */
          header = g_strdup_printf ("1:%u:user%u:host-%u.office:%u:", packet_no, sender, sender,
                                    0x04 | 0x100 | 0x00800000);
          nickname = g_strdup_printf ("Nickname %u [lunch, back at two]", sender);
          put (out, header, FALSE);
          put (out, nickname, TRUE);
          put (out, "Engineering", TRUE);
          break;
        default:
          /* RECVMSG for a packet we never sent: an unmatched reply. */
          header = g_strdup_printf ("1_iptux 0.8.3#1#0011223344%02x#4001:%u:user%u:host-%u.office:%u:",
                                    sender & 0xff, packet_no, sender, sender, 0x21 | 0x00800000);
          nickname = g_strdup_printf ("%u", 424242 + i);
          put (out, header, FALSE);
          put (out, nickname, TRUE);
          break;
        }
      g_ptr_array_add (datagrams, g_byte_array_free_to_bytes (out));
    }
  return datagrams;
}

gsize
bench_format_message (char    *buf,
                      guint64  number)
{
  static const char * const texts[] = {
    "Are we still on for the review at three? I moved it to room 4.",
    "ok",
    "Build 4711 is green again, the flaky test was the clock one.",
    "会议改到下午三点，在四号会议室。",
    "Please send me the logs from yesterday's run when you get a chance, thanks!",
    "lunch?",
  };
  const char *text = texts[number % G_N_ELEMENTS (texts)];
  int len;

  /* SENDMSG|SENDCHECKOPT|UTF8OPT with iptux's version string: 100–200 bytes. */
  len = g_snprintf (buf, 256, "1_iptux 0.8.3#1#001122334455#4001:%" G_GUINT64_FORMAT
                    ":user%u:workstation-%u.office:%u:%s",
                    number, (guint) (number % 97), (guint) (number % 97), 0x20 | 0x100 | 0x00800000, text);
  return (gsize) len + 1; /* the trailing NUL is sent too */
}

void
bench_pin_cpu (int cpu)
{
  cpu_set_t set;

  if (cpu < 0)
    return;
  CPU_ZERO (&set);
  CPU_SET (cpu, &set);
  /* Best effort: a machine with one CPU just runs both on it. */
  (void) sched_setaffinity (0, sizeof set, &set);
}

double
bench_now (void)
{
  return (double) g_get_monotonic_time () / G_USEC_PER_SEC;
}

gsize
bench_rss (void)
{
  g_autofree char *status = NULL;
  const char *line;
  guint64 kb = 0;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "\nVmRSS:");
  if (line != NULL)
    kb = g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
  return (gsize) kb * 1024;
}

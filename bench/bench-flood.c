/* bench-flood.c — send realistic IPMsg datagrams as fast as the kernel takes
 * them (or at a set rate), from several source ports, with sendmmsg().
 *
 *   bench-flood --to 127.0.0.2:2425 --from 127.0.0.3 --seconds 3 [--rate N] [--cpu N]
 *
 * Prints "sent N seconds S" on stdout when done. Loopback only: refuses any
 * destination outside 127.0.0.0/8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench-common.h"

#define SENDERS 16
#define BATCH   64

static gboolean
parse_endpoint (const char         *text,
                struct sockaddr_in *addr)
{
  g_autofree char *copy = g_strdup (text);
  char *colon = strrchr (copy, ':');
  guint64 port = 0;

  memset (addr, 0, sizeof *addr);
  addr->sin_family = AF_INET;
  if (colon != NULL)
    {
      *colon = '\0';
      if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
        return FALSE;
    }
  addr->sin_port = htons ((guint16) port);
  return inet_pton (AF_INET, copy, &addr->sin_addr) == 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *to_text = NULL;
  g_autofree char *from_text = NULL;
  double seconds = 3.0;
  int rate = 0;
  int cpu = -1;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, "Destination ADDRESS:PORT (127.0.0.0/8)", "ADDR" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, "Source address (127.0.0.0/8)", "ADDR" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "How long to send", "S" },
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, "Datagrams a second (0: as fast as possible)", "N" },
    { "cpu", 0, 0, G_OPTION_ARG_INT, &cpu, "Run on this CPU", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— flood a LAN chat port with IPMsg datagrams");
  g_autoptr(GError) error = NULL;
  struct sockaddr_in to, from;
  int fds[SENDERS];
  GPtrArray *pool[SENDERS];
  struct mmsghdr msgs[BATCH];
  struct iovec iovs[BATCH];
  guint64 sent = 0;
  guint next = 0;
  double start, end, now;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-flood: %s\n", error->message);
      return 2;
    }
  if (to_text == NULL || !parse_endpoint (to_text, &to) || to.sin_port == 0 ||
      from_text == NULL || !parse_endpoint (from_text, &from))
    {
      g_printerr ("bench-flood: --to ADDRESS:PORT and --from ADDRESS are needed\n");
      return 2;
    }
  /* The benchmark floods; it does so only where nothing leaves the machine. */
  if ((ntohl (to.sin_addr.s_addr) >> 24) != 127 || (ntohl (from.sin_addr.s_addr) >> 24) != 127)
    {
      g_printerr ("bench-flood: only loopback addresses (127.0.0.0/8) are allowed\n");
      return 2;
    }

  bench_pin_cpu (cpu);

  for (guint s = 0; s < SENDERS; s++)
    {
      fds[s] = socket (AF_INET, SOCK_DGRAM, IPPROTO_UDP);
      from.sin_port = 0;
      if (fds[s] < 0 || bind (fds[s], (struct sockaddr *) &from, sizeof from) != 0)
        {
          g_printerr ("bench-flood: cannot bind %s: %s\n", from_text, g_strerror (errno));
          return 1;
        }
      pool[s] = bench_make_datagrams (s);
    }

  start = bench_now ();
  end = start + seconds;
  for (now = start; now < end; now = bench_now ())
    {
      guint sender = next % SENDERS;
      GPtrArray *datagrams = pool[sender];
      int n;

      memset (msgs, 0, sizeof msgs);
      for (guint i = 0; i < BATCH; i++)
        {
          GBytes *bytes = g_ptr_array_index (datagrams, (next + i) % datagrams->len);
          gsize len;

          iovs[i].iov_base = (void *) g_bytes_get_data (bytes, &len);
          iovs[i].iov_len = len;
          msgs[i].msg_hdr.msg_iov = &iovs[i];
          msgs[i].msg_hdr.msg_iovlen = 1;
          msgs[i].msg_hdr.msg_name = &to;
          msgs[i].msg_hdr.msg_namelen = sizeof to;
        }
      n = sendmmsg (fds[sender], msgs, BATCH, 0);
      if (n < 0)
        {
          if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
            continue;
          g_printerr ("bench-flood: sendmmsg: %s\n", g_strerror (errno));
          return 1;
        }
      sent += (guint64) n;
      next++;

      if (rate > 0)
        {
          /* Keep to the schedule: batch k is due at start + k·BATCH/rate. */
          double due = start + (double) sent / rate;
          double ahead = due - bench_now ();

          if (ahead > 0)
            g_usleep ((gulong) (ahead * G_USEC_PER_SEC));
        }
    }
  end = bench_now ();

  for (guint s = 0; s < SENDERS; s++)
    {
      close (fds[s]);
      g_ptr_array_unref (pool[s]);
    }
  printf ("sent %" G_GUINT64_FORMAT " seconds %.3f\n", sent, end - start);
  return 0;
}

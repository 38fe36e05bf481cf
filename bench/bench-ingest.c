/* bench-ingest.c — datagrams a second taken in from a flood on loopback.
 *
 *   bench-ingest --mode baseline|transport|messenger --flooder PATH
 *                [--seconds S] [--rate N] [--cpu N] [--flooder-cpu N]
 *
 * Binds 127.0.0.2:2425, starts the flooder at it from 127.0.0.3, and counts
 * what it gets through until the flood is over and drained:
 *
 *   baseline   a bare poll()+recvmmsg() loop, batches of 64, with the same
 *              socket options as LanTransport: the most this machine delivers
 *   transport  LanTransport + lan_ipmsg_packet_parse + LanPacketLog on the
 *              GLib main loop: decoded and logged, no protocol
 *   messenger  LanMessenger, exactly as the app runs it: decoded, handled
 *              (presence, replies, verdicts) and logged
 *
 * Prints one line: "mode M received N seconds S rate R sent N dropped N".
 * The rate counts from the end of the first wakeup to the last datagram,
 * so start-up costs don't count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-common.h"
#include "lan-ipmsg.h"
#include "lan-messenger.h"
#include "lan-packet-log.h"
#include "lan-transport.h"

#define RECEIVER      "127.0.0.2"
#define SENDER        "127.0.0.3"
#define PORT          2425
/* The flood is over when nothing came for this long after the flooder quit. */
#define DRAINED_AFTER 0.3
#define BATCH         64

typedef struct {
  /* Progress, sampled once per wakeup or main-loop iteration. */
  guint64 count;
  guint64 first_count;
  double  first_time;
  double  last_time;
  gboolean started;

  const char *flooder_path;
  double  seconds;
  int     rate;
  int     flooder_cpu;
  GPid    flooder;
  int     flooder_out;
  gboolean flooder_done;
  double  flooder_done_time;
  guint64 sent;
  guint64 kernel_drops;

  GMainLoop *loop;
} Run;

static void
progress (Run     *run,
          guint64  count)
{
  double now;

  if (count == run->count)
    return;
  now = bench_now ();
  if (!run->started)
    {
      /* Measure from the end of the first wakeup: what came before is start-up. */
      run->started = TRUE;
      run->first_count = count;
      run->first_time = now;
    }
  run->count = count;
  run->last_time = now;
}

static void
reap_flooder (Run *run)
{
  char buf[256];
  ssize_t n;
  int status;

  if (run->flooder_done || waitpid (run->flooder, &status, WNOHANG) != run->flooder)
    return;
  run->flooder_done = TRUE;
  run->flooder_done_time = bench_now ();
  n = read (run->flooder_out, buf, sizeof buf - 1);
  if (n > 0)
    {
      buf[n] = '\0';
      if (g_str_has_prefix (buf, "sent "))
        run->sent = g_ascii_strtoull (buf + 5, NULL, 10);
    }
  close (run->flooder_out);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      g_printerr ("bench-ingest: the flooder failed\n");
      exit (1);
    }
}

static gboolean
drained (Run *run)
{
  double now = bench_now ();

  return run->flooder_done && now - MAX (run->last_time, run->flooder_done_time) > DRAINED_AFTER;
}

/* Once we are bound, so that no datagram of the flood finds the port closed. */
static void
start_flooder (Run *run)
{
  g_autofree char *seconds_text = g_strdup_printf ("%g", run->seconds);
  g_autofree char *rate_text = g_strdup_printf ("%d", run->rate);
  g_autofree char *cpu_text = g_strdup_printf ("%d", run->flooder_cpu);
  const char *argv[] = {
    run->flooder_path, "--to", RECEIVER ":2425", "--from", SENDER, "--seconds", seconds_text,
    "--rate", rate_text, "--cpu", cpu_text, NULL
  };
  g_autoptr(GError) error = NULL;

  if (!g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                 &run->flooder, NULL, &run->flooder_out, NULL, &error))
    {
      g_printerr ("bench-ingest: cannot start %s: %s\n", run->flooder_path, error->message);
      exit (1);
    }
}

/* baseline */

static int
open_socket (void)
{
  struct sockaddr_in addr = { 0 };
  int fd = socket (AF_INET, SOCK_DGRAM, IPPROTO_UDP);
  int one = 1;
  int size = 8 * 1024 * 1024;

  /* What LanTransport sets, so the two differ only in what happens after recvmmsg. */
  (void) setsockopt (fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
  (void) setsockopt (fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
  if (setsockopt (fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
    (void) setsockopt (fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  addr.sin_family = AF_INET;
  addr.sin_port = htons (PORT);
  inet_pton (AF_INET, RECEIVER, &addr.sin_addr);
  if (bind (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    {
      g_printerr ("bench-ingest: cannot bind %s:%d: %s\n", RECEIVER, PORT, g_strerror (errno));
      exit (1);
    }
  return fd;
}

static void
run_baseline (Run *run)
{
  int fd = open_socket ();
  static guint8 buffers[BATCH][2048];
  static guint8 controls[BATCH][64];
  struct mmsghdr msgs[BATCH];
  struct iovec iovs[BATCH];
  struct sockaddr_in addrs[BATCH];
  guint64 count = 0;

  start_flooder (run);

  while (!drained (run))
    {
      struct pollfd pfd = { fd, POLLIN, 0 };

      reap_flooder (run);
      if (poll (&pfd, 1, 50) <= 0)
        continue;
      for (;;)
        {
          int n;

          memset (msgs, 0, sizeof msgs);
          for (guint i = 0; i < BATCH; i++)
            {
              iovs[i].iov_base = buffers[i];
              iovs[i].iov_len = sizeof buffers[i];
              msgs[i].msg_hdr.msg_iov = &iovs[i];
              msgs[i].msg_hdr.msg_iovlen = 1;
              msgs[i].msg_hdr.msg_name = &addrs[i];
              msgs[i].msg_hdr.msg_namelen = sizeof addrs[i];
              msgs[i].msg_hdr.msg_control = controls[i];
              msgs[i].msg_hdr.msg_controllen = sizeof controls[i];
            }
          n = recvmmsg (fd, msgs, BATCH, MSG_DONTWAIT, NULL);
          if (n <= 0)
            break;
          count += (guint64) n;
          for (struct cmsghdr *cmsg = CMSG_FIRSTHDR (&msgs[n - 1].msg_hdr); cmsg != NULL;
               cmsg = CMSG_NXTHDR (&msgs[n - 1].msg_hdr, cmsg))
            if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SO_RXQ_OVFL)
              {
                guint32 drops;

                memcpy (&drops, CMSG_DATA (cmsg), sizeof drops);
                run->kernel_drops = drops;
              }
          if (n < BATCH)
            break;
        }
      progress (run, count);
    }
  close (fd);
}

/* transport: the core's socket and log, a parse per datagram */

typedef struct {
  LanPacketLog *log;
} TransportRun;

static void
on_datagram (const LanDatagram *datagram,
             gpointer           user_data)
{
  TransportRun *transport_run = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = lan_ipmsg_packet_parse (datagram->data, datagram->len, &error);

  if (packet == NULL)
    lan_packet_log_append (transport_run->log, datagram, LAN_VERDICT_MALFORMED, error->message);
  else
    lan_packet_log_append (transport_run->log, datagram, LAN_VERDICT_OK, NULL);
}

static void
on_counters_changed (LanPacketLog *log,
                     Run          *run)
{
  progress (run, lan_packet_log_get_counters (log)->packets_in);
}

static gboolean
on_tick (gpointer user_data)
{
  Run *run = user_data;

  reap_flooder (run);
  if (drained (run))
    {
      g_main_loop_quit (run->loop);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
run_transport (Run *run)
{
  g_autoptr(LanTransport) transport = lan_transport_new ();
  g_autoptr(LanPacketLog) log = lan_packet_log_new (LAN_PACKET_LOG_DEFAULT_CAPACITY);
  g_autoptr(GError) error = NULL;
  TransportRun transport_run = { log };

  if (!lan_transport_bind (transport, RECEIVER, PORT, &error))
    {
      g_printerr ("bench-ingest: %s\n", error->message);
      exit (1);
    }
  lan_transport_set_handler (transport, on_datagram, &transport_run);
  start_flooder (run);
  g_signal_connect (log, "counters-changed", G_CALLBACK (on_counters_changed), run);
  g_timeout_add (50, on_tick, run);
  g_main_loop_run (run->loop);
  run->kernel_drops = lan_transport_get_kernel_drops (transport);
  lan_transport_close (transport);
}

static void
run_messenger (Run *run)
{
  g_autoptr(LanMessenger) messenger = lan_messenger_new ();
  g_autoptr(GError) error = NULL;
  LanPacketLog *log;

  g_object_set (messenger,
                "bind-address", RECEIVER,
                "port", (guint) PORT,
                "nickname", "bench",
                NULL);
  if (!lan_messenger_start (messenger, &error))
    {
      g_printerr ("bench-ingest: %s\n", error->message);
      exit (1);
    }
  log = lan_messenger_get_packet_log (messenger);
  start_flooder (run);
  g_signal_connect (log, "counters-changed", G_CALLBACK (on_counters_changed), run);
  g_timeout_add (50, on_tick, run);
  g_main_loop_run (run->loop);
  g_signal_handlers_disconnect_by_data (log, run);
  run->kernel_drops = lan_messenger_get_kernel_drops (messenger);
  lan_messenger_stop (messenger);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *mode = NULL;
  g_autofree char *flooder = NULL;
  double seconds = 3.0;
  int rate = 0;
  int cpu = -1;
  int flooder_cpu = -1;
  GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode, "baseline, transport or messenger", "MODE" },
    { "flooder", 0, 0, G_OPTION_ARG_FILENAME, &flooder, "The bench-flood program", "PATH" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "How long the flood lasts", "S" },
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, "Datagrams a second offered (0: as fast as it can)", "N" },
    { "cpu", 0, 0, G_OPTION_ARG_INT, &cpu, "Run the receiver on this CPU", "N" },
    { "flooder-cpu", 0, 0, G_OPTION_ARG_INT, &flooder_cpu, "Run the flooder on this CPU", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— measure datagrams taken in a second");
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  double elapsed;
  double rate_measured;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("bench-ingest: %s\n", error->message);
      return 2;
    }
  if (mode == NULL || flooder == NULL ||
      !(g_str_equal (mode, "baseline") || g_str_equal (mode, "transport") || g_str_equal (mode, "messenger")))
    {
      g_printerr ("bench-ingest: --mode baseline|transport|messenger and --flooder PATH are needed\n");
      return 2;
    }

  bench_pin_cpu (cpu);
  run.loop = g_main_loop_new (NULL, FALSE);

  run.flooder_path = flooder;
  run.seconds = seconds;
  run.rate = rate;
  run.flooder_cpu = flooder_cpu;
  if (g_str_equal (mode, "baseline"))
    run_baseline (&run);
  else if (g_str_equal (mode, "transport"))
    run_transport (&run);
  else
    run_messenger (&run);
  g_main_loop_unref (run.loop);

  elapsed = run.last_time - run.first_time;
  rate_measured = elapsed > 0 ? (double) (run.count - run.first_count) / elapsed : 0;
  printf ("mode %s received %" G_GUINT64_FORMAT " seconds %.3f rate %.0f sent %" G_GUINT64_FORMAT
          " dropped %" G_GUINT64_FORMAT " kernel-drops %" G_GUINT64_FORMAT "\n",
          mode, run.count, elapsed, rate_measured, run.sent,
          run.sent > run.count ? run.sent - run.count : 0, run.kernel_drops);
  return 0;
}

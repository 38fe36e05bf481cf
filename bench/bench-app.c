/* bench-app.c — the GTK app under a flood: packets a second it keeps up
 * with, and how long its frames take meanwhile.
 *
 *   bench-app --flooder PATH [--rates 5000,10000,20000,30000,40000]
 *             [--seconds S] [--flooder-cpu N] [--log following|paused|hidden]
 *
 * Runs the real app (LanApplication, its window, the packet log pane open
 * and following) on 127.0.0.2:2425 — in a loopback-only network namespace,
 * under Xvfb: bench/run.sh sees to both — and floods it from 127.0.0.3 with
 * bench-flood at each rate in turn for S seconds. For each rate it reports
 * the datagrams sent and logged, the kernel's drops on the app's socket, and
 * the frame times: the intervals between the window's frame clock
 * "after-paint" signals while the flood lasts (p50/p95/p99/max).
 *
 * The kernel's drop count is the "drops" column of /proc/net/udp for the
 * app's socket: the same sk_drops counter SO_RXQ_OVFL reports to the
 * transport, read after the drain; lan_messenger_get_kernel_drops() (what
 * the log pane shows as "dropped by the system") is printed beside it, and
 * can lag, since the transport learns of drops with the next datagram.
 *
 * A rate is sustained when the flooder reached it, the kernel dropped
 * nothing and the app had logged 99 % of it by the end of the drain: at most
 * DRAIN_MAX_SECONDS after the flood, the time it took printed as "drain". Last
 * line: "highest sustained rate with no kernel drops: N pkt/s; p50/p95/p99
 * frame time A/B/C ms at that rate (renderer R)", R being the GSK renderer
 * that drew, which is not always the one GSK_RENDERER asked for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"
#include "lan-application.h"
#include "lan-window.h"

#define APP_ADDRESS     "127.0.0.2"
#define FLOOD_ADDRESS   "127.0.0.3"
#define APP_PORT        2425
/* After the flooder quits, what is still queued (in the socket, the reader
 * thread's ring, the log's pending rows) may take this long to be logged. */
#define DRAIN_MAX_SECONDS 2.0
#define DEADLINE_S      60

static LanApplication *app;
static GArray *frame_times;      /* gint64 µs, while recording */
static gboolean recording;

typedef gboolean (*Condition) (gpointer data);

static gboolean
on_deadline (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (Condition   condition,
            gpointer    data,
            double      seconds)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add ((guint) (seconds * 1000), on_deadline, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return !expired;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
run_for (double seconds)
{
  wait_until (never, NULL, seconds);
}

static LanWindow *
get_window (void)
{
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  return windows != NULL && LAN_IS_WINDOW (windows->data) ? windows->data : NULL;
}

static gboolean
window_ready (gpointer data)
{
  LanWindow *window = get_window ();

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) &&
         lan_messenger_get_running (lan_application_get_messenger (app)) &&
         (!g_settings_get_boolean (lan_application_get_settings (app), "log-visible") ||
          gtk_widget_get_mapped (GTK_WIDGET (lan_window_get_log_pane (window))));
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (recording)
    g_array_append_val (frame_times, now);
}

/* Drops the kernel counted on the UDP socket bound to @address:@port. */
static guint64
read_socket_drops (const char *address,
                   guint       port)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *wanted = NULL;
  guint32 ip = 0;

  if (!lan_ipv4_parse (address, &ip) ||
      !g_file_get_contents ("/proc/net/udp", &contents, NULL, NULL))
    return 0;

  /* The kernel prints the address as the hex of its in-memory (network
   * order) bytes read as a little-endian word. */
  wanted = g_strdup_printf ("%08X:%04X", GUINT32_SWAP_LE_BE (ip), port);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) columns = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      g_autoptr(GPtrArray) fields = g_ptr_array_new ();

      for (guint c = 0; columns[c] != NULL; c++)
        if (columns[c][0] != '\0')
          g_ptr_array_add (fields, columns[c]);
      if (fields->len >= 13 && g_str_equal (g_ptr_array_index (fields, 1), wanted))
        return g_ascii_strtoull (g_ptr_array_index (fields, fields->len - 1), NULL, 10);
    }
  return 0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint index;

  if (sorted->len == 0)
    return 0;
  index = (guint) MIN ((double) sorted->len - 1, p / 100.0 * sorted->len);
  return g_array_index (sorted, double, index);
}

typedef struct {
  int      rate;
  guint64  sent;
  guint64  logged;
  guint64  drops;
  guint64  app_drops;
  guint    frames;
  double   p50, p95, p99, max;
  double   seconds;
  double   drain_ms;
} Step;

typedef struct {
  LanPacketLog *log;
  guint64       want;
} LoggedWait;

static gboolean
all_logged (gpointer data)
{
  LoggedWait *wait = data;

  lan_packet_log_flush (wait->log);
  return lan_packet_log_get_counters (wait->log)->packets_in >= wait->want;
}

static gboolean
subprocess_done (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_flooder_exited (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
run_step (const char *flooder,
          int         rate,
          double      seconds,
          int         flooder_cpu,
          Step       *step)
{
  LanMessenger *messenger = lan_application_get_messenger (app);
  LanPacketLog *log = lan_messenger_get_packet_log (messenger);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GInputStream) out = NULL;
  g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *rate_text = g_strdup_printf ("%d", rate);
  g_autofree char *seconds_text = g_strdup_printf ("%.1f", seconds);
  g_autofree char *cpu_text = g_strdup_printf ("%d", flooder_cpu);
  g_autofree char *to = g_strdup_printf ("%s:%u", APP_ADDRESS, APP_PORT);
  char buffer[256] = { 0 };
  gsize got = 0;
  gboolean exited = FALSE;
  guint64 drops_before, in_before, app_drops_before;
  const char *sent_text;
  LoggedWait wait;
  gint64 drain_start;

  lan_packet_log_flush (log);
  drops_before = read_socket_drops (APP_ADDRESS, APP_PORT);
  app_drops_before = lan_messenger_get_kernel_drops (messenger);
  in_before = lan_packet_log_get_counters (log)->packets_in;

  g_array_set_size (frame_times, 0);
  recording = TRUE;
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                              flooder, "--to", to, "--from", FLOOD_ADDRESS,
                              "--seconds", seconds_text, "--rate", rate_text,
                              "--cpu", cpu_text, NULL);
  if (process == NULL)
    {
      g_printerr ("bench-app: cannot start %s: %s\n", flooder, error->message);
      return FALSE;
    }
  g_subprocess_wait_async (process, NULL, on_flooder_exited, &exited);
  if (!wait_until (subprocess_done, &exited, seconds + DEADLINE_S))
    {
      g_printerr ("bench-app: the flooder did not finish\n");
      g_subprocess_force_exit (process);
      return FALSE;
    }
  recording = FALSE;

  out = g_object_ref (g_subprocess_get_stdout_pipe (process));
  g_input_stream_read_all (out, buffer, sizeof buffer - 1, &got, NULL, NULL);
  sent_text = strstr (buffer, "sent ");
  step->sent = sent_text != NULL ? g_ascii_strtoull (sent_text + 5, NULL, 10) : 0;

  drain_start = g_get_monotonic_time ();
  wait.log = log;
  wait.want = in_before + step->sent;
  wait_until (all_logged, &wait, DRAIN_MAX_SECONDS);
  step->drain_ms = (g_get_monotonic_time () - drain_start) / 1000.0;
  lan_packet_log_flush (log);

  step->rate = rate;
  step->logged = lan_packet_log_get_counters (log)->packets_in - in_before;
  step->drops = read_socket_drops (APP_ADDRESS, APP_PORT) - drops_before;
  step->app_drops = lan_messenger_get_kernel_drops (messenger) - app_drops_before;
  step->seconds = seconds;

  for (guint i = 1; i < frame_times->len; i++)
    {
      double ms = (g_array_index (frame_times, gint64, i) - g_array_index (frame_times, gint64, i - 1)) / 1000.0;
      g_array_append_val (intervals, ms);
    }
  g_array_sort (intervals, compare_double);
  step->frames = frame_times->len;
  step->p50 = percentile (intervals, 50);
  step->p95 = percentile (intervals, 95);
  step->p99 = percentile (intervals, 99);
  step->max = intervals->len > 0 ? g_array_index (intervals, double, intervals->len - 1) : 0;
  return TRUE;
}

static void
configure_settings (const char *log_mode)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  const char *no_targets[] = { NULL };

  g_settings_set_string (settings, "nickname", "Bench");
  g_settings_set_string (settings, "bind-address", APP_ADDRESS);
  g_settings_set_uint (settings, "port", APP_PORT);
  g_settings_set_strv (settings, "targets", no_targets);
  g_settings_set_int (settings, "window-width", 1240);
  g_settings_set_int (settings, "window-height", 820);
  g_settings_set_boolean (settings, "notifications", FALSE);
  g_settings_set_boolean (settings, "log-visible", !g_str_equal (log_mode, "hidden"));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *flooder = NULL;
  g_autofree char *rates_text = NULL;
  g_autofree char *log_option = NULL;
  const char *log_mode;
  g_autofree char *data_home = NULL;
  double seconds = 3.0;
  int flooder_cpu = -1;
  GOptionEntry entries[] = {
    { "flooder", 0, 0, G_OPTION_ARG_FILENAME, &flooder, "The bench-flood program", "PATH" },
    { "rates", 0, 0, G_OPTION_ARG_STRING, &rates_text, "Datagrams a second to try, in order (5000,10000,…)", "LIST" },
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "How long each rate lasts", "S" },
    { "flooder-cpu", 0, 0, G_OPTION_ARG_INT, &flooder_cpu, "Run the flooder on this CPU", "N" },
    { "log", 0, 0, G_OPTION_ARG_STRING, &log_option, "The log pane: following (default), paused or hidden", "MODE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the app's frame times under a flood");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) rates = NULL;
  const char *renderer;
  Step best = { 0 };
  LanWindow *window;
  GdkFrameClock *clock;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || flooder == NULL)
    {
      g_printerr ("bench-app: %s\n", error != NULL ? error->message : "--flooder PATH is needed");
      return 2;
    }
  rates = g_strsplit (rates_text != NULL ? rates_text : "5000,10000,20000,30000,40000", ",", -1);
  log_mode = log_option != NULL ? log_option : "following";
  if (!g_str_equal (log_mode, "following") && !g_str_equal (log_mode, "paused") &&
      !g_str_equal (log_mode, "hidden"))
    {
      g_printerr ("bench-app: --log is following, paused or hidden\n");
      return 2;
    }

  /* A settings store and a history of our own, gone when we are. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  data_home = g_dir_make_tmp ("lanchat-bench-XXXXXX", &error);
  if (data_home == NULL)
    {
      g_printerr ("bench-app: %s\n", error->message);
      return 1;
    }
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_init ();
  configure_settings (log_mode);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = lan_application_new ();
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("bench-app: %s\n", error->message);
      return 1;
    }
  g_application_activate (G_APPLICATION (app));
  if (!wait_until (window_ready, NULL, DEADLINE_S))
    {
      g_printerr ("bench-app: the window or its messenger did not come up\n");
      return 1;
    }
  window = get_window ();
  run_for (1.0);
  /* What drew, which is not always what GSK_RENDERER asked for. */
  renderer = G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window)));
  printf ("renderer %s\n", renderer);
  if (!lan_log_pane_get_following (lan_window_get_log_pane (window)))
    g_printerr ("bench-app: warning: the log pane is not following\n");

  /* For comparison: the same app with its log frozen, or closed. */
  if (g_str_equal (log_mode, "paused"))
    lan_log_pane_set_paused (lan_window_get_log_pane (window), TRUE);
  else if (g_str_equal (log_mode, "following") &&
           !lan_log_pane_get_following (lan_window_get_log_pane (window)))
    g_printerr ("bench-app: warning: the log pane is not following\n");
  frame_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);

  for (guint i = 0; rates[i] != NULL; i++)
    {
      int rate = atoi (rates[i]);
      Step step = { 0 };
      guint64 queue_drops;

      if (rate <= 0 || !run_step (flooder, rate, seconds, flooder_cpu, &step))
        continue;
      /* What the app counted beyond the kernel's own: the datagrams its
       * reader thread read but had no room for in its queue to the main loop. */
      queue_drops = step.app_drops > step.drops ? step.app_drops - step.drops : 0;

      printf ("rate %d sent %" G_GUINT64_FORMAT " logged %" G_GUINT64_FORMAT
              " kernel-drops %" G_GUINT64_FORMAT " queue-drops %" G_GUINT64_FORMAT
              " (app saw %" G_GUINT64_FORMAT ")"
              " frames %u p50 %.1f p95 %.1f p99 %.1f max %.1f drain %.0f ms\n",
              step.rate, step.sent, step.logged, step.drops, queue_drops, step.app_drops, step.frames,
              step.p50, step.p95, step.p99, step.max, step.drain_ms);
      fflush (stdout);
      /* Sustained: the flooder reached the rate, the kernel dropped
       * nothing, nor the reader thread's queue, and the app had read and logged it all by the end of the
       * drain (a backlog still in the socket buffer is not keeping up). */
      if (step.drops == 0 && queue_drops == 0 && step.sent >= 0.95 * step.rate * step.seconds &&
          step.logged >= 0.99 * step.sent && step.rate > best.rate)
        best = step;
    }

  if (best.rate > 0)
    printf ("highest sustained rate with no kernel drops: %d pkt/s; p50/p95/p99 frame time "
            "%.1f/%.1f/%.1f ms at that rate (renderer %s)\n",
            best.rate, best.p50, best.p95, best.p99, renderer);
  else
    printf ("highest sustained rate with no kernel drops: none of the rates tried (renderer %s)\n",
            renderer);

  gtk_window_destroy (GTK_WINDOW (window));
  g_application_quit (G_APPLICATION (app));
  g_clear_object (&app);
  g_array_unref (frame_times);
  remove_tree (data_home);
  return 0;
}

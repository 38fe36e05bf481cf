/* loop-wait.h — waiting on the main context, for the loop tests.
 *
 * No sleeps: the main context is iterated until the condition holds or the
 * deadline passes, so engines keep running while a test waits.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

static gboolean
loop_wait_keep_ticking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterate until @check (@data) holds or @timeout_ms pass; returns whether it held. */
static inline gboolean
wait_for (gboolean (*check) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  /* Wakes the loop now and then to look at raw sockets and the clock. */
  GSource *tick = g_timeout_source_new (5);
  gboolean done;

  g_source_set_callback (tick, loop_wait_keep_ticking, NULL, NULL);
  g_source_attach (tick, NULL);
  while (!(done = check (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);
  return done;
}

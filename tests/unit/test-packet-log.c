/* test-packet-log.c — the packet log ring, its coalesced model, and decoded entries.
 *
 * Datagrams are made up in memory; nothing here opens a socket.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lan-charset.h"
#include "lan-ipmsg.h"
#include "lan-packet-log.h"

#define BYTES(literal) (const guint8 *) (literal), sizeof (literal) - 1

/* 2023-11-14T22:13:20.123456Z: a time with microseconds, so JSON shows them. */
#define SOME_TIME G_GINT64_CONSTANT (1700000000123456)
#define LOCAL  ((LanEndpoint) { 0x0a4d0001, 2425 })
#define REMOTE ((LanEndpoint) { 0x0a4d0005, 2425 })

static LanDatagram
datagram_make (const guint8 *data,
               gsize         len)
{
  return (LanDatagram) {
    .time_us = SOME_TIME,
    .direction = LAN_DIRECTION_IN,
    .flags = 0,
    .local = LOCAL,
    .remote = REMOTE,
    .data = data,
    .len = len,
  };
}

/* A valid packet whose packet-no is @number, so every row says which append it came from. */
static void
append_numbered (LanPacketLog *log,
                 guint64       number)
{
  g_autofree char *text = g_strdup_printf ("1:%" G_GUINT64_FORMAT ":user:host:32:text %" G_GUINT64_FORMAT,
                                           number, number);
  LanDatagram datagram = datagram_make ((const guint8 *) text, strlen (text));

  lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, NULL);
}

static void
iterate_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static LanPacketLogEntry *
get_entry (LanPacketLog *log,
           guint         position)
{
  return g_list_model_get_item (G_LIST_MODEL (log), position);
}

static guint64
number_at (LanPacketLog *log,
           guint         position)
{
  g_autoptr(LanPacketLogEntry) entry = get_entry (log, position);

  g_assert_nonnull (entry);
  return lan_packet_log_entry_get_number (entry);
}

/* Watches items-changed. Inside every emission the model must already be in
 * the state it announces: n_items agrees with the running count, and every
 * row in it is a real entry (not an evicted placeholder) in number order. */
typedef struct {
  guint n;
  guint emissions;
  guint removals;
  guint additions;
  guint dropped_notifies;
  guint total_notifies;
} ModelWatch;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  ModelWatch *watch)
{
  guint n = g_list_model_get_n_items (model);

  g_assert_cmpuint (position + removed, <=, watch->n);
  watch->n = watch->n - removed + added;
  g_assert_cmpuint (n, ==, watch->n);
  watch->emissions++;
  if (removed > 0)
    watch->removals++;
  if (added > 0)
    watch->additions++;

  if (n > 0)
    {
      g_autoptr(LanPacketLogEntry) first = g_list_model_get_item (model, 0);
      g_autoptr(LanPacketLogEntry) last = g_list_model_get_item (model, n - 1);

      g_assert_cmpuint (lan_packet_log_entry_get_number (last) - lan_packet_log_entry_get_number (first), ==, n - 1);
      /* Inside a signal the announced rows are all real, none a placeholder. */
      g_assert_false (lan_packet_log_entry_get_evicted (first));
      g_assert_false (lan_packet_log_entry_get_evicted (last));
      g_assert_cmpint (lan_packet_log_entry_get_time (first), ==, SOME_TIME);
      g_assert_cmpint (lan_packet_log_entry_get_time (last), ==, SOME_TIME);
      /* Tests that log parsable packets number them by their append. */
      if (lan_packet_log_entry_get_parsed (first))
        g_assert_cmpuint (lan_packet_log_entry_get_packet_no (first), ==, lan_packet_log_entry_get_number (first));
      if (lan_packet_log_entry_get_parsed (last))
        g_assert_cmpuint (lan_packet_log_entry_get_packet_no (last), ==, lan_packet_log_entry_get_number (last));
    }
  g_assert_null (g_list_model_get_item (model, n));
}

static void
on_notify_dropped (GObject    *object,
                   GParamSpec *pspec,
                   ModelWatch *watch)
{
  watch->dropped_notifies++;
}

static void
on_notify_total (GObject    *object,
                 GParamSpec *pspec,
                 ModelWatch *watch)
{
  watch->total_notifies++;
}

static void
watch_log (LanPacketLog *log,
           ModelWatch   *watch)
{
  *watch = (ModelWatch) { .n = g_list_model_get_n_items (G_LIST_MODEL (log)) };
  g_signal_connect (log, "items-changed", G_CALLBACK (on_items_changed), watch);
  g_signal_connect (log, "notify::dropped", G_CALLBACK (on_notify_dropped), watch);
  g_signal_connect (log, "notify::total", G_CALLBACK (on_notify_total), watch);
}

/* Checks the whole view: @n rows numbered @first… and their payloads match. */
static void
assert_view (LanPacketLog *log,
             guint         n,
             guint64       first)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = get_entry (log, i);

      g_assert_cmpuint (lan_packet_log_entry_get_number (entry), ==, first + i);
      g_assert_cmpuint (lan_packet_log_entry_get_packet_no (entry), ==, first + i);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), n));
}

static void
test_numbering (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (0);
  ModelWatch watch;

  watch_log (log, &watch);
  g_assert_cmpuint (lan_packet_log_get_capacity (log), ==, LAN_PACKET_LOG_DEFAULT_CAPACITY);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (log)) == LAN_TYPE_PACKET_LOG_ENTRY);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), 0));

  for (guint64 i = 1; i <= 5; i++)
    append_numbered (log, i);
  lan_packet_log_flush (log);

  g_assert_cmpuint (lan_packet_log_get_total (log), ==, 5);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 0);
  g_assert_cmpuint (watch.total_notifies, ==, 1);
  assert_view (log, 5, 1);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), G_MAXUINT));
}

static void
test_coalesced (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (100000);
  ModelWatch watch;

  watch_log (log, &watch);

  /* A burst of appends is not a burst of signals: the view hears nothing yet. */
  for (guint64 i = 1; i <= 1000; i++)
    append_numbered (log, i);
  g_assert_cmpuint (watch.emissions, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_cmpuint (lan_packet_log_get_total (log), ==, 1000);

  /* One main-loop iteration: one emission for all of them. */
  g_assert_true (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (watch.emissions, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 1000);
  iterate_main_context ();
  g_assert_cmpuint (watch.emissions, ==, 1);
  g_assert_false (g_main_context_pending (NULL));

  /* An explicit flush does the same and leaves nothing for the loop. */
  for (guint64 i = 1001; i <= 2000; i++)
    append_numbered (log, i);
  lan_packet_log_flush (log);
  g_assert_cmpuint (watch.emissions, ==, 2);
  g_assert_false (g_main_context_pending (NULL));
  iterate_main_context ();
  g_assert_cmpuint (watch.emissions, ==, 2);

  /* Nothing pending: flushing is a no-op, not an empty signal. */
  lan_packet_log_flush (log);
  g_assert_cmpuint (watch.emissions, ==, 2);
  assert_view (log, 2000, 1);
}

static void
test_coalesced_wrapping (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (100);
  ModelWatch watch;

  watch_log (log, &watch);
  for (guint64 i = 1; i <= 1000; i++)
    append_numbered (log, i);
  iterate_main_context ();
  /* Nothing was shown yet, so nothing to remove: a single addition. */
  g_assert_cmpuint (watch.emissions, ==, 1);
  g_assert_cmpuint (watch.additions, ==, 1);
  assert_view (log, 100, 901);

  /* A full wrap while shown: the pair, a removal then an addition. */
  for (guint64 i = 1001; i <= 2000; i++)
    append_numbered (log, i);
  iterate_main_context ();
  g_assert_cmpuint (watch.emissions, ==, 3);
  g_assert_cmpuint (watch.removals, ==, 1);
  g_assert_cmpuint (watch.additions, ==, 2);
  assert_view (log, 100, 1901);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 1900);
}

static void
test_capacity_eviction (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  ModelWatch watch;

  watch_log (log, &watch);
  for (guint64 i = 1; i <= 25; i++)
    append_numbered (log, i);
  lan_packet_log_flush (log);

  g_assert_cmpuint (lan_packet_log_get_total (log), ==, 25);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 15);
  assert_view (log, 10, 16);
  g_assert_cmpuint (number_at (log, 9), ==, 25);
  /* Entries went before any view saw them; a label bound to "dropped" must still hear of it. */
  g_assert_cmpuint (watch.dropped_notifies, ==, 1);

  {
    guint64 dropped = 0;
    guint64 total = 0;
    guint capacity = 0;

    g_object_get (log, "dropped", &dropped, "total", &total, "capacity", &capacity, NULL);
    g_assert_cmpuint (dropped, ==, 15);
    g_assert_cmpuint (total, ==, 25);
    g_assert_cmpuint (capacity, ==, 10);
  }

  /* Evictions one at a time while shown. */
  for (guint64 i = 26; i <= 28; i++)
    {
      append_numbered (log, i);
      lan_packet_log_flush (log);
    }
  assert_view (log, 10, 19);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 18);
  g_assert_cmpuint (watch.dropped_notifies, ==, 4);
}

static void
test_clear (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  ModelWatch watch;

  watch_log (log, &watch);
  for (guint64 i = 1; i <= 25; i++)
    append_numbered (log, i);
  lan_packet_log_flush (log);

  lan_packet_log_clear (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_cmpuint (watch.n, ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), 0));
  /* Cleared is not dropped: the user asked for it. */
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 15);
  g_assert_cmpuint (lan_packet_log_get_total (log), ==, 25);

  /* Numbers are never reused: a row exported before the clear stays unambiguous. */
  append_numbered (log, 26);
  lan_packet_log_flush (log);
  assert_view (log, 1, 26);

  /* Refilling and wrapping after a clear counts only real evictions. */
  for (guint64 i = 27; i <= 40; i++)
    append_numbered (log, i);
  lan_packet_log_flush (log);
  assert_view (log, 10, 31);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 15 + 5);

  /* Clearing with unflushed appends drops them with the rest, and no idle flush fires later. */
  append_numbered (log, 41);
  lan_packet_log_clear (log);
  iterate_main_context ();
  g_assert_cmpuint (watch.n, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);

  /* Clearing an empty log says nothing. */
  {
    guint emissions = watch.emissions;

    lan_packet_log_clear (log);
    g_assert_cmpuint (watch.emissions, ==, emissions);
  }
}

static void
test_set_capacity (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  ModelWatch watch;

  watch_log (log, &watch);
  for (guint64 i = 1; i <= 25; i++)
    append_numbered (log, i);
  lan_packet_log_flush (log);
  assert_view (log, 10, 16);

  /* Shrink: the newest stay, the others count as dropped. */
  lan_packet_log_set_capacity (log, 4);
  g_assert_cmpuint (lan_packet_log_get_capacity (log), ==, 4);
  assert_view (log, 4, 22);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 15 + 6);

  /* Grow: nothing comes back, nothing more is dropped, and there is room again. */
  lan_packet_log_set_capacity (log, 20);
  assert_view (log, 4, 22);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 21);
  for (guint64 i = 26; i <= 35; i++)
    append_numbered (log, i);
  lan_packet_log_flush (log);
  assert_view (log, 14, 22);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 21);
  for (guint64 i = 36; i <= 45; i++)
    append_numbered (log, i);
  lan_packet_log_flush (log);
  assert_view (log, 20, 26);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 25);

  /* Resizing with appends not yet flushed keeps them too. */
  for (guint64 i = 46; i <= 50; i++)
    append_numbered (log, i);
  lan_packet_log_set_capacity (log, 3);
  assert_view (log, 3, 48);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 47);

  /* Out-of-range capacities are clamped, not refused. */
  lan_packet_log_set_capacity (log, 0);
  g_assert_cmpuint (lan_packet_log_get_capacity (log), ==, 1);
  assert_view (log, 1, 50);
  lan_packet_log_set_capacity (log, G_MAXUINT);
  g_assert_cmpuint (lan_packet_log_get_capacity (log), ==, LAN_PACKET_LOG_MAX_CAPACITY);
  assert_view (log, 1, 50);
  g_object_set (log, "capacity", 2, NULL);
  g_assert_cmpuint (lan_packet_log_get_capacity (log), ==, 2);
  append_numbered (log, 51);
  append_numbered (log, 52);
  lan_packet_log_flush (log);
  assert_view (log, 2, 51);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 50);

  /* After a clear, resizing must not resurrect or count what was cleared. */
  lan_packet_log_clear (log);
  lan_packet_log_set_capacity (log, 1);
  lan_packet_log_set_capacity (log, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
  g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, 50);
  append_numbered (log, 53);
  lan_packet_log_flush (log);
  assert_view (log, 1, 53);
}

static void
test_stale_window (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  ModelWatch watch;

  watch_log (log, &watch);
  for (guint64 i = 1; i <= 10; i++)
    append_numbered (log, i);
  lan_packet_log_flush (log);
  assert_view (log, 10, 1);

  /* More than the capacity between two flushes: every row the view knows of is gone. */
  for (guint64 i = 11; i <= 25; i++)
    append_numbered (log, i);

  /* The view still sees the rows last announced, and asking for them must
   * give an answer for that row, not a crash and not some other row. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = get_entry (log, i);
      g_autoptr(JsonNode) json = NULL;

      g_assert_nonnull (entry);
      g_assert_cmpuint (lan_packet_log_entry_get_number (entry), ==, 1 + i);
      g_assert_true (lan_packet_log_entry_get_evicted (entry));
      g_assert_cmpuint (g_bytes_get_size (lan_packet_log_entry_get_bytes (entry)), ==, 0);
      g_assert_false (lan_packet_log_entry_get_parsed (entry));
      g_assert_nonnull (lan_packet_log_entry_get_detail (entry));
      g_assert_cmpstr (lan_packet_log_entry_get_info (entry), ==, lan_packet_log_entry_get_detail (entry));
      g_assert_nonnull (lan_packet_log_entry_get_command_name (entry));
      g_assert_cmpstr (lan_packet_log_entry_get_flags_text (entry), ==, "");
      g_assert_null (lan_packet_log_entry_get_user (entry));
      json = lan_packet_log_entry_to_json (entry);
      g_assert_nonnull (json);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), 10));

  lan_packet_log_flush (log);
  assert_view (log, 10, 16);

  /* Partly stale: the evicted head is placeholders, the rest real rows. */
  for (guint64 i = 26; i <= 28; i++)
    append_numbered (log, i);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = get_entry (log, i);

      g_assert_cmpuint (lan_packet_log_entry_get_number (entry), ==, 16 + i);
      g_assert_cmpint (lan_packet_log_entry_get_evicted (entry), ==, i < 3);
      g_assert_cmpint (lan_packet_log_entry_get_parsed (entry), ==, i >= 3);
    }
  iterate_main_context ();
  assert_view (log, 10, 19);
}

/* Drives the log through a long random sequence and checks it against a
 * plain list of the numbers it should hold; the watch checks every signal. */
static void
test_model_random (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (50);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint capacity = 50;
  guint64 total = 0;
  guint64 dropped = 0;
  ModelWatch watch;

  watch_log (log, &watch);
  for (guint step = 0; step < 1000; step++)
    {
      guint action = g_rand_int_range (rand, 0, 100);

      if (action < 70)
        {
          guint burst = g_rand_int_range (rand, 1, 60);

          for (guint i = 0; i < burst; i++)
            {
              append_numbered (log, ++total);
              g_array_append_val (expected, total);
              if (expected->len > capacity)
                {
                  g_array_remove_index (expected, 0);
                  dropped++;
                }
            }
        }
      else if (action < 85)
        iterate_main_context ();
      else if (action < 93)
        lan_packet_log_flush (log);
      else if (action < 98)
        {
          guint wanted = g_rand_int_range (rand, 1, 200);

          /* The same capacity is a no-op, flush included; the check below wants it flushed. */
          if (wanted == capacity)
            lan_packet_log_flush (log);
          capacity = wanted;
          lan_packet_log_set_capacity (log, capacity);
          while (expected->len > capacity)
            {
              g_array_remove_index (expected, 0);
              dropped++;
            }
        }
      else
        {
          lan_packet_log_clear (log);
          g_array_set_size (expected, 0);
        }

      g_assert_cmpuint (lan_packet_log_get_dropped (log), ==, dropped);
      g_assert_cmpuint (lan_packet_log_get_total (log), ==, total);
      if (action >= 70)
        {
          /* Everything is flushed here: the view is exactly the expected list. */
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, expected->len);
          if (expected->len > 0)
            assert_view (log, expected->len, g_array_index (expected, guint64, 0));
        }
    }
}

static void
test_entry_valid (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  /* SENDMSG | SENDCHECKOPT | UTF8OPT, a body with a tab, a newline, an escape and a bidi override. */
  char bytes[] = "1:42:alice:box:8388896:hi\tthere\nline2 \x1b[31m \u202eevil\0extra";
  LanDatagram datagram = datagram_make ((const guint8 *) bytes, sizeof bytes - 1);
  g_autoptr(LanPacketLogEntry) entry = NULL;

  datagram.flags = LAN_DATAGRAM_BROADCAST;
  lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, NULL);
  /* The log keeps a copy: the transport reuses its buffer for the next datagram. */
  memset (bytes, 'x', sizeof bytes - 1);
  lan_packet_log_flush (log);

  entry = get_entry (log, 0);
  g_assert_true (lan_packet_log_entry_get_parsed (entry));
  g_assert_cmpuint (lan_packet_log_entry_get_number (entry), ==, 1);
  g_assert_cmpint (lan_packet_log_entry_get_time (entry), ==, SOME_TIME);
  g_assert_cmpint (lan_packet_log_entry_get_direction (entry), ==, LAN_DIRECTION_IN);
  g_assert_true (lan_endpoint_equal (lan_packet_log_entry_get_local (entry), LOCAL));
  g_assert_true (lan_endpoint_equal (lan_packet_log_entry_get_remote (entry), REMOTE));
  g_assert_cmpint (lan_packet_log_entry_get_flags (entry), ==, LAN_DATAGRAM_BROADCAST);
  g_assert_cmpint (lan_packet_log_entry_get_verdict (entry), ==, LAN_VERDICT_OK);
  g_assert_null (lan_packet_log_entry_get_detail (entry));
  g_assert_cmpuint (lan_packet_log_entry_get_packet_no (entry), ==, 42);
  g_assert_cmphex (lan_packet_log_entry_get_command (entry), ==,
                   LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_UTF8OPT);
  g_assert_cmpstr (lan_packet_log_entry_get_command_name (entry), ==, "SENDMSG");
  g_assert_cmpstr (lan_packet_log_entry_get_flags_text (entry), ==, "SENDCHECKOPT|UTF8OPT");
  g_assert_cmpstr (lan_packet_log_entry_get_user (entry), ==, "alice");
  g_assert_cmpstr (lan_packet_log_entry_get_host (entry), ==, "box");
  /* The body in full, as the peer wrote it. */
  g_assert_cmpstr (lan_packet_log_entry_get_text (entry), ==, "hi\tthere\nline2 \x1b[31m \u202eevil");
  /* One line, nothing that could reorder or break it; the second section is not in it. */
  g_assert_cmpstr (lan_packet_log_entry_get_info (entry), ==,
                   "alice@box hi\u2409there\u21b5line2 \u241b[31m <U+202E>evil");
  {
    GBytes *kept = lan_packet_log_entry_get_bytes (entry);

    g_assert_cmpmem (g_bytes_get_data (kept, NULL), g_bytes_get_size (kept),
                     "1:42:alice:box:8388896:hi\tthere\nline2 \x1b[31m \u202eevil\0extra",
                     sizeof bytes - 1);
  }
}

static void
test_entry_unknown_command (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  /* 0x7a with iptux's unknown high bit: both stay visible as hex. */
  LanDatagram datagram = datagram_make (BYTES ("1:7:u:h:2147483770:"));
  g_autoptr(LanPacketLogEntry) entry = NULL;

  lan_packet_log_append (log, &datagram, LAN_VERDICT_UNKNOWN_COMMAND, "no handler");
  lan_packet_log_flush (log);
  entry = get_entry (log, 0);
  g_assert_true (lan_packet_log_entry_get_parsed (entry));
  g_assert_cmpstr (lan_packet_log_entry_get_command_name (entry), ==, "0x7a");
  g_assert_cmpstr (lan_packet_log_entry_get_flags_text (entry), ==, "0x80000000");
  g_assert_cmpstr (lan_packet_log_entry_get_detail (entry), ==, "no handler");
  g_assert_cmpstr (lan_packet_log_entry_get_info (entry), ==, "u@h ");
}

static void
test_entry_malformed (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  const struct {
    const char *bytes;
    gsize len;
    const char *error_part;
  } cases[] = {
    { "hello", 5, "fields" },
    { "2:1:u:h:32:", 11, "version" },
    { "1:x:u:h:32:", 11, "packet-no" },
    { "1:1:u\0:h:32:", 12, "NUL" },
    { "\xff\xfe\n\x1b", 4, "fields" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      LanDatagram datagram = datagram_make ((const guint8 *) cases[i].bytes, cases[i].len);
      g_autoptr(LanPacketLogEntry) entry = NULL;
      const char *info;

      lan_packet_log_append (log, &datagram, LAN_VERDICT_MALFORMED, NULL);
      lan_packet_log_flush (log);
      entry = get_entry (log, g_list_model_get_n_items (G_LIST_MODEL (log)) - 1);

      g_assert_false (lan_packet_log_entry_get_parsed (entry));
      g_assert_cmpuint (lan_packet_log_entry_get_command (entry), ==, 0);
      g_assert_cmpuint (lan_packet_log_entry_get_packet_no (entry), ==, 0);
      g_assert_cmpstr (lan_packet_log_entry_get_command_name (entry), ==, "\u2014");
      g_assert_cmpstr (lan_packet_log_entry_get_flags_text (entry), ==, "");
      g_assert_null (lan_packet_log_entry_get_user (entry));
      g_assert_null (lan_packet_log_entry_get_host (entry));
      g_assert_null (lan_packet_log_entry_get_text (entry));
      g_assert_false (lan_packet_log_entry_get_evicted (entry));
      g_assert_cmpint (lan_packet_log_entry_get_verdict (entry), ==, LAN_VERDICT_MALFORMED);

      /* The Info column says what the codec objected to, on one valid line. */
      info = lan_packet_log_entry_get_info (entry);
      g_assert_true (g_utf8_validate (info, -1, NULL));
      g_assert_null (strchr (info, '\n'));
      if (strstr (info, cases[i].error_part) == NULL)
        g_error ("case %" G_GSIZE_FORMAT ": info “%s” does not mention “%s”", i, info, cases[i].error_part);
    }

  {
    /* The codec's reason for an empty datagram, not a placeholder's. */
    LanDatagram empty = datagram_make (NULL, 0);
    g_autoptr(LanPacketLogEntry) entry = NULL;

    lan_packet_log_append (log, &empty, LAN_VERDICT_MALFORMED, NULL);
    lan_packet_log_flush (log);
    entry = get_entry (log, g_list_model_get_n_items (G_LIST_MODEL (log)) - 1);
    g_assert_false (lan_packet_log_entry_get_parsed (entry));
    g_assert_nonnull (strstr (lan_packet_log_entry_get_info (entry), "empty"));
  }
}

static void
test_entry_legacy (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  /* 张三 on host "pc" says 你好, all GB18030, no UTF8OPT: how FeiQ talks. */
  LanDatagram gb = datagram_make (BYTES ("1:7:\xd5\xc5\xc8\xfd:pc:32:\xc4\xe3\xba\xc3"));
  /* 山田 in CP932. */
  LanDatagram sjis = datagram_make (BYTES ("1:8:\x8e\x52\x93\x63:pc:32:"));

  lan_packet_log_set_legacy_encoding (log, LAN_LEGACY_GB18030);
  lan_packet_log_append (log, &gb, LAN_VERDICT_OK, NULL);
  lan_packet_log_flush (log);
  {
    g_autoptr(LanPacketLogEntry) entry = get_entry (log, 0);

    g_assert_cmpstr (lan_packet_log_entry_get_user (entry), ==, "张三");
    g_assert_cmpstr (lan_packet_log_entry_get_host (entry), ==, "pc");
    g_assert_cmpstr (lan_packet_log_entry_get_info (entry), ==, "张三@pc 你好");
  }

  /* Rows are decoded when asked for, so a change of setting applies to rows already logged. */
  lan_packet_log_set_legacy_encoding (log, LAN_LEGACY_CP932);
  lan_packet_log_append (log, &sjis, LAN_VERDICT_OK, NULL);
  lan_packet_log_flush (log);
  {
    g_autoptr(LanPacketLogEntry) entry = get_entry (log, 1);
    g_autoptr(LanPacketLogEntry) again = get_entry (log, 0);

    g_assert_cmpstr (lan_packet_log_entry_get_user (entry), ==, "山田");
    g_assert_cmpstr (lan_packet_log_entry_get_user (again), !=, "张三");
    g_assert_true (g_utf8_validate (lan_packet_log_entry_get_user (again), -1, NULL));
  }
}

static JsonObject *
json_object_for (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static void
test_json_valid (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  LanDatagram datagram = datagram_make (BYTES ("1:42:alice:box:8388896:hi\0second"));
  const char *fields[] = {
    "no", "time", "direction", "local", "remote", "length", "command", "flags",
    "packet_no", "user", "host", "sections", "verdict", "detail",
  };
  g_autoptr(LanPacketLogEntry) entry = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonArray *sections;

  datagram.direction = LAN_DIRECTION_OUT;
  datagram.flags = LAN_DATAGRAM_TRUNCATED;
  lan_packet_log_append (log, &datagram, LAN_VERDICT_TRUNCATED, NULL);
  lan_packet_log_flush (log);
  entry = get_entry (log, 0);
  node = lan_packet_log_entry_to_json (entry);
  object = json_object_for (node);

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!json_object_has_member (object, fields[i]))
      g_error ("JSON lacks “%s”", fields[i]);
  g_assert_false (json_object_has_member (object, "raw_base64"));

  g_assert_cmpint (json_object_get_int_member (object, "no"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "time"), ==, "2023-11-14T22:13:20.123456Z");
  g_assert_cmpstr (json_object_get_string_member (object, "direction"), ==, "out");
  g_assert_cmpstr (json_object_get_string_member (object, "local"), ==, "10.77.0.1:2425");
  g_assert_cmpstr (json_object_get_string_member (object, "remote"), ==, "10.77.0.5:2425");
  g_assert_cmpint (json_object_get_int_member (object, "length"), ==, datagram.len);
  g_assert_true (json_object_get_boolean_member (object, "truncated"));
  g_assert_cmpstr (json_object_get_string_member (object, "command"), ==, "SENDMSG");
  g_assert_cmpstr (json_object_get_string_member (object, "flags"), ==, "SENDCHECKOPT|UTF8OPT");
  g_assert_cmpint (json_object_get_int_member (object, "packet_no"), ==, 42);
  g_assert_cmpstr (json_object_get_string_member (object, "user"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (object, "host"), ==, "box");
  g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==, "truncated");
  g_assert_true (json_node_is_null (json_object_get_member (object, "detail")));
  sections = json_object_get_array_member (object, "sections");
  g_assert_cmpuint (json_array_get_length (sections), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (sections, 0), ==, "hi");
  g_assert_cmpstr (json_array_get_string_element (sections, 1), ==, "second");

  /* It serializes: what `lanchat-cli listen` prints is this. */
  text = json_to_string (node, FALSE);
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

static void
test_json_malformed (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  static const guint8 bytes[] = { 'h', 'i', 0xff, 0x00, 0x80 };
  LanDatagram datagram = datagram_make (bytes, sizeof bytes);
  g_autofree char *base64 = g_base64_encode (bytes, sizeof bytes);
  g_autoptr(LanPacketLogEntry) entry = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  lan_packet_log_append (log, &datagram, LAN_VERDICT_MALFORMED, NULL);
  lan_packet_log_flush (log);
  entry = get_entry (log, 0);
  node = lan_packet_log_entry_to_json (entry);
  object = json_object_for (node);

  /* The bytes are all there is, so they go out whole and unmangled. */
  g_assert_cmpstr (json_object_get_string_member (object, "raw_base64"), ==, base64);
  g_assert_true (json_node_is_null (json_object_get_member (object, "command")));
  g_assert_cmpstr (json_object_get_string_member (object, "flags"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (object, "verdict"), ==, "malformed");
  g_assert_cmpint (json_object_get_int_member (object, "length"), ==, sizeof bytes);
  g_assert_false (json_object_has_member (object, "truncated"));
  g_assert_false (json_object_has_member (object, "packet_no"));
  g_assert_false (json_object_has_member (object, "sections"));
  /* With no detail of our own, the parse error explains the verdict. */
  g_assert_cmpstr (json_object_get_string_member (object, "detail"), ==, lan_packet_log_entry_get_info (entry));
  g_assert_cmpstr (json_object_get_string_member (object, "direction"), ==, "in");

  text = json_to_string (node, FALSE);
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

static void
test_json_detail (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  LanDatagram datagram = datagram_make (BYTES ("garbage"));
  g_autoptr(LanPacketLogEntry) entry = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* Our own detail wins over the parse error. */
  lan_packet_log_append (log, &datagram, LAN_VERDICT_SPOOFED, "claims to be 10.77.0.1");
  lan_packet_log_flush (log);
  entry = get_entry (log, 0);
  node = lan_packet_log_entry_to_json (entry);
  g_assert_cmpstr (json_object_get_string_member (json_object_for (node), "detail"), ==, "claims to be 10.77.0.1");
  g_assert_cmpstr (json_object_get_string_member (json_object_for (node), "verdict"), ==, "spoofed");
}

static void
test_entry_send_error (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  LanDatagram datagram = datagram_make (BYTES ("1:1:u:h:1:"));
  g_autoptr(LanPacketLogEntry) entry = NULL;

  datagram.direction = LAN_DIRECTION_OUT;
  datagram.flags = LAN_DATAGRAM_SEND_ERROR;
  lan_packet_log_append (log, &datagram, LAN_VERDICT_SEND_ERROR, "Network is unreachable");
  lan_packet_log_flush (log);
  entry = get_entry (log, 0);

  g_assert_false (lan_packet_log_entry_get_evicted (entry));
  g_assert_cmpint (lan_packet_log_entry_get_direction (entry), ==, LAN_DIRECTION_OUT);
  g_assert_cmpstr (lan_packet_log_entry_get_command_name (entry), ==, "BR_ENTRY");
  g_assert_cmpint (lan_packet_log_entry_get_flags (entry), ==, LAN_DATAGRAM_SEND_ERROR);
  g_assert_cmpint (lan_packet_log_entry_get_verdict (entry), ==, LAN_VERDICT_SEND_ERROR);
  g_assert_cmpstr (lan_packet_log_entry_get_detail (entry), ==, "Network is unreachable");
}

static void
test_entry_evicted (void)
{
  g_autoptr(LanPacketLogEntry) evicted = lan_packet_log_entry_new_evicted (5);
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpuint (lan_packet_log_entry_get_number (evicted), ==, 5);
  g_assert_true (lan_packet_log_entry_get_evicted (evicted));
  g_assert_false (lan_packet_log_entry_get_parsed (evicted));
  g_assert_null (lan_packet_log_entry_get_text (evicted));
  g_assert_nonnull (lan_packet_log_entry_get_detail (evicted));
  g_assert_cmpstr (lan_packet_log_entry_get_info (evicted), ==, lan_packet_log_entry_get_detail (evicted));
  node = lan_packet_log_entry_to_json (evicted);
  g_assert_cmpint (json_object_get_int_member (json_object_for (node), "no"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_object_for (node), "raw_base64"), ==, "");
}

static void
on_counters_changed (LanPacketLog *log,
                     guint        *changes)
{
  (*changes)++;
}

static void
test_counters (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  LanDatagram in = datagram_make (BYTES ("1:1:u:h:32:hi"));
  /* RECVMSG | UTF8OPT: counted by mode, options aside. */
  LanDatagram out = datagram_make (BYTES ("1:2:u:h:8388641:1"));
  LanDatagram bad = datagram_make (BYTES ("1:3:u:h:garbage"));
  const LanPacketCounters *counters = lan_packet_log_get_counters (log);
  guint64 commands_in = 0;
  guint changes = 0;

  g_signal_connect (log, "counters-changed", G_CALLBACK (on_counters_changed), &changes);
  out.direction = LAN_DIRECTION_OUT;

  lan_packet_log_append (log, &in, LAN_VERDICT_OK, NULL);
  lan_packet_log_append (log, &in, LAN_VERDICT_DUPLICATE, NULL);
  lan_packet_log_append (log, &out, LAN_VERDICT_OK, NULL);
  lan_packet_log_append (log, &out, LAN_VERDICT_RESEND, NULL);
  lan_packet_log_append (log, &bad, LAN_VERDICT_MALFORMED, NULL);
  /* Counted at once, announced with the next flush, like the rows. */
  g_assert_cmpuint (changes, ==, 0);
  g_assert_cmpuint (counters->packets_in, ==, 3);
  iterate_main_context ();
  g_assert_cmpuint (changes, ==, 1);

  g_assert_cmpuint (counters->packets_out, ==, 2);
  g_assert_cmpuint (counters->bytes_in, ==, 2 * in.len + bad.len);
  g_assert_cmpuint (counters->bytes_out, ==, 2 * out.len);
  g_assert_cmpuint (counters->malformed, ==, 1);
  g_assert_cmpuint (counters->duplicates, ==, 1);
  g_assert_cmpuint (counters->resends, ==, 1);
  g_assert_cmpuint (counters->verdicts[LAN_VERDICT_OK], ==, 2);
  g_assert_cmpuint (counters->verdicts[LAN_VERDICT_DUPLICATE], ==, 1);
  g_assert_cmpuint (counters->verdicts[LAN_VERDICT_RESEND], ==, 1);
  g_assert_cmpuint (counters->verdicts[LAN_VERDICT_MALFORMED], ==, 1);
  g_assert_cmpuint (counters->commands_in[LAN_IPMSG_SENDMSG], ==, 2);
  g_assert_cmpuint (counters->commands_out[LAN_IPMSG_RECVMSG], ==, 2);
  /* The malformed one counts in no command. */
  for (guint i = 0; i < G_N_ELEMENTS (counters->commands_in); i++)
    commands_in += counters->commands_in[i];
  g_assert_cmpuint (commands_in, ==, 2);

  /* Everything ever appended, evicted entries included. */
  for (guint i = 0; i < 20; i++)
    lan_packet_log_append (log, &in, LAN_VERDICT_OK, NULL);
  lan_packet_log_flush (log);
  g_assert_cmpuint (counters->packets_in, ==, 23);
  g_assert_cmpuint (changes, ==, 2);

  lan_packet_log_reset_counters (log);
  g_assert_cmpuint (counters->packets_in, ==, 0);
  g_assert_cmpuint (counters->commands_in[LAN_IPMSG_SENDMSG], ==, 0);
  iterate_main_context ();
  g_assert_cmpuint (changes, ==, 3);

  lan_packet_log_append (log, &out, LAN_VERDICT_OK, NULL);
  lan_packet_log_clear (log);
  g_assert_cmpuint (counters->packets_out, ==, 0);
  g_assert_cmpuint (changes, ==, 4);
  iterate_main_context ();
  g_assert_cmpuint (changes, ==, 4);
}

/* Copies into a buffer of exactly @len bytes so an over-read shows under ASan. */
static gboolean
peek_exact (const char *text,
            guint32    *command)
{
  gsize len = strlen (text);
  g_autofree guint8 *copy = len > 0 ? g_memdup2 (text, len) : NULL;

  return lan_packet_peek_command (copy, len, command);
}

static void
test_peek_command (void)
{
  const struct {
    const char *text;
    guint32 command;
  } valid[] = {
    { "1:2:u:h:32", 32 },
    { "1:2:u:h:32:body:with:colons", 32 },
    { "1:2:u:h:0032:", 32 },
    { "1:2:u:h:4294967295:", G_MAXUINT32 },
    { "1_lbt6:2:u:h:8388641:", 8388641 },
  };
  const char *invalid[] = {
    "", "1", "1:2:u:h", "1:2:u:h:", "1:2:u:h::32", "1:2:u:h:4294967296:", "1:2:u:h:3a:",
    "1:2:u:h:-1:", "1:2:u:h: 32:", ":::::",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      guint32 command = 0;

      g_assert_true (peek_exact (valid[i].text, &command));
      g_assert_cmpuint (command, ==, valid[i].command);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      guint32 command = 0;

      if (peek_exact (invalid[i], &command))
        g_error ("“%s” gave command %u", invalid[i], command);
    }
}

static void
test_byte_budget (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (0);
  gsize budget = lan_packet_log_get_byte_budget (LAN_PACKET_LOG_DEFAULT_CAPACITY);
  guint n_big = (guint) (budget / LAN_IPMSG_MAX_DATAGRAM) + 100;
  g_autofree guint8 *big = g_malloc (LAN_IPMSG_MAX_DATAGRAM + 100);
  LanDatagram datagram = datagram_make (big, LAN_IPMSG_MAX_DATAGRAM);
  ModelWatch watch;
  guint n;

  /* A log small in entries still has room for a few hundred full-size datagrams. */
  g_assert_cmpuint (lan_packet_log_get_byte_budget (1), >=, 256 * LAN_IPMSG_MAX_DATAGRAM);
  g_assert_cmpuint (lan_packet_log_get_byte_budget (LAN_PACKET_LOG_MAX_CAPACITY), >=,
                    lan_packet_log_get_byte_budget (1));

  watch_log (log, &watch);
  /* Far fewer entries than the capacity, but more bytes than the budget. */
  g_assert_cmpuint (n_big, <, LAN_PACKET_LOG_DEFAULT_CAPACITY);
  for (guint i = 1; i <= n_big; i++)
    {
      memset (big, (int) (i & 0xff), LAN_IPMSG_MAX_DATAGRAM);
      lan_packet_log_append (log, &datagram, LAN_VERDICT_MALFORMED, NULL);
    }
  lan_packet_log_flush (log);

  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_assert_cmpuint (n, <, n_big);
  g_assert_cmpuint ((gsize) n * LAN_IPMSG_MAX_DATAGRAM, <=, budget);
  g_assert_cmpuint (lan_packet_log_get_dropped (log) + n, ==, n_big);
  g_assert_cmpuint (watch.dropped_notifies, ==, 1);
  {
    /* The oldest went, the newest stayed, each with its own bytes. */
    g_autoptr(LanPacketLogEntry) first = get_entry (log, 0);
    g_autoptr(LanPacketLogEntry) last = get_entry (log, n - 1);
    guint64 first_number = lan_packet_log_entry_get_number (first);
    gsize len;
    const guint8 *data = g_bytes_get_data (lan_packet_log_entry_get_bytes (first), &len);

    g_assert_cmpuint (first_number, ==, lan_packet_log_get_dropped (log) + 1);
    g_assert_cmpuint (lan_packet_log_entry_get_number (last), ==, n_big);
    g_assert_cmpuint (len, ==, LAN_IPMSG_MAX_DATAGRAM);
    g_assert_cmpuint (data[0], ==, first_number & 0xff);
    g_assert_cmpuint (data[len - 1], ==, first_number & 0xff);
  }

  /* Whoever claims a datagram larger than UDP allows is cut and marked, not trusted. */
  datagram.len = LAN_IPMSG_MAX_DATAGRAM + 100;
  lan_packet_log_append (log, &datagram, LAN_VERDICT_MALFORMED, NULL);
  lan_packet_log_flush (log);
  {
    g_autoptr(LanPacketLogEntry) entry = get_entry (log, g_list_model_get_n_items (G_LIST_MODEL (log)) - 1);

    g_assert_cmpuint (g_bytes_get_size (lan_packet_log_entry_get_bytes (entry)), ==, LAN_IPMSG_MAX_DATAGRAM);
    g_assert_true (lan_packet_log_entry_get_flags (entry) & LAN_DATAGRAM_TRUNCATED);
  }
}

static void
test_long_detail (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  LanDatagram datagram = datagram_make (BYTES ("1:1:u:h:32:"));
  g_autoptr(GString) detail = g_string_new ("x");
  g_autoptr(LanPacketLogEntry) entry = NULL;
  const char *kept;

  /* A detail quoting a peer can be long and end in the middle of a character. */
  for (guint i = 0; i < 2000; i++)
    g_string_append (detail, "张");
  lan_packet_log_append (log, &datagram, LAN_VERDICT_REJECTED, detail->str);
  lan_packet_log_flush (log);
  entry = get_entry (log, 0);
  kept = lan_packet_log_entry_get_detail (entry);
  g_assert_true (g_utf8_validate (kept, -1, NULL));
  g_assert_cmpuint (strlen (kept), <, detail->len);
  g_assert_cmpuint (strlen (kept), >, 100);
  g_assert_true (g_str_has_prefix (detail->str, kept));
}

static void
test_verdicts (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (LanVerdict verdict = 0; verdict < LAN_VERDICT_N; verdict++)
    {
      const char *name = lan_verdict_to_string (verdict);

      g_assert_nonnull (name);
      g_assert_cmpstr (name, !=, "unknown");
      /* Machine names: filters and JSON consumers match them literally. */
      for (const char *p = name; *p != '\0'; p++)
        g_assert_true (g_ascii_islower (*p) || *p == '-');
      if (!g_hash_table_add (seen, (gpointer) name))
        g_error ("verdict %d has the name “%s” of another", verdict, name);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, LAN_VERDICT_N);
  g_assert_cmpstr (lan_verdict_to_string (LAN_VERDICT_OK), ==, "ok");
  g_assert_cmpstr (lan_verdict_to_string (LAN_VERDICT_MALFORMED), ==, "malformed");
  g_assert_cmpstr (lan_verdict_to_string (LAN_VERDICT_N), ==, "unknown");
  g_assert_cmpstr (lan_verdict_to_string ((LanVerdict) -1), ==, "unknown");
}

/* An incoming datagram the engine has parsed: logged and counted from the
 * packet, shown the same as one logged from its bytes alone. */
static void
test_append_parsed (void)
{
  g_autoptr(LanPacketLog) log = lan_packet_log_new (10);
  /* The command field says 33 (RECVMSG) but the packet we hand in says
   * SENDMSG: the counters believe the packet, so the bytes were not read. */
  LanDatagram datagram = datagram_make (BYTES ("1:9:\xd5\xc5\xc8\xfd:pc:33:\xc4\xe3\xba\xc3"));
  LanDatagram malformed = datagram_make (BYTES ("1:x:u:h:32:"));
  g_autoptr(GError) error = NULL;
  g_autoptr(LanIpmsgPacket) packet = lan_ipmsg_packet_parse (datagram.data, datagram.len, &error);
  const LanPacketCounters *counters = lan_packet_log_get_counters (log);

  g_assert_no_error (error);
  packet->command = LAN_IPMSG_SENDMSG;
  lan_packet_log_append_parsed (log, &datagram, packet, LAN_VERDICT_OK, NULL);
  lan_packet_log_append_parsed (log, &malformed, NULL, LAN_VERDICT_MALFORMED, "bad packet-no");
  lan_packet_log_append (log, &datagram, LAN_VERDICT_OK, NULL);
  lan_packet_log_flush (log);

  g_assert_cmpuint (counters->packets_in, ==, 3);
  g_assert_cmpuint (counters->malformed, ==, 1);
  g_assert_cmpuint (counters->commands_in[LAN_IPMSG_SENDMSG], ==, 1);
  g_assert_cmpuint (counters->commands_in[LAN_IPMSG_RECVMSG], ==, 1);
  {
    g_autoptr(LanPacketLogEntry) parsed = get_entry (log, 0);
    g_autoptr(LanPacketLogEntry) bad = get_entry (log, 1);
    g_autoptr(LanPacketLogEntry) plain = get_entry (log, 2);

    g_assert_cmpstr (lan_packet_log_entry_get_info (parsed), ==, "张三@pc 你好");
    g_assert_cmpstr (lan_packet_log_entry_get_info (parsed), ==, lan_packet_log_entry_get_info (plain));
    g_assert_cmpstr (lan_packet_log_entry_get_detail (bad), ==, "bad packet-no");
    g_assert_false (lan_packet_log_entry_get_parsed (bad));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/packet-log/numbering", test_numbering);
  g_test_add_func ("/packet-log/coalesced", test_coalesced);
  g_test_add_func ("/packet-log/coalesced-wrapping", test_coalesced_wrapping);
  g_test_add_func ("/packet-log/capacity-eviction", test_capacity_eviction);
  g_test_add_func ("/packet-log/clear", test_clear);
  g_test_add_func ("/packet-log/set-capacity", test_set_capacity);
  g_test_add_func ("/packet-log/stale-window", test_stale_window);
  g_test_add_func ("/packet-log/model-random", test_model_random);
  g_test_add_func ("/packet-log/entry/valid", test_entry_valid);
  g_test_add_func ("/packet-log/entry/unknown-command", test_entry_unknown_command);
  g_test_add_func ("/packet-log/entry/malformed", test_entry_malformed);
  g_test_add_func ("/packet-log/entry/legacy", test_entry_legacy);
  g_test_add_func ("/packet-log/entry/send-error", test_entry_send_error);
  g_test_add_func ("/packet-log/entry/evicted", test_entry_evicted);
  g_test_add_func ("/packet-log/json/valid", test_json_valid);
  g_test_add_func ("/packet-log/json/malformed", test_json_malformed);
  g_test_add_func ("/packet-log/json/detail", test_json_detail);
  g_test_add_func ("/packet-log/counters", test_counters);
  g_test_add_func ("/packet-log/peek-command", test_peek_command);
  g_test_add_func ("/packet-log/byte-budget", test_byte_budget);
  g_test_add_func ("/packet-log/long-detail", test_long_detail);
  g_test_add_func ("/packet-log/verdicts", test_verdicts);
  g_test_add_func ("/packet-log/append-parsed", test_append_parsed);

  return g_test_run ();
}

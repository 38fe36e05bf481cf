/* test-fetch.c — fetching offers made to us over TCP, from a scripted sender.
 *
 * One engine (bob, 127.0.0.3) and a sender that is this test: a UDP socket
 * on 127.0.0.2:2425 that makes the offer and a GSocketService on the same
 * address and port that answers each request with the bytes a test chose,
 * hostile ones included. Inside a loopback-only namespace (tests/isolated.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* unshare() */
#define _GNU_SOURCE

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lan-bounds.h"
#include "lan-dir-stream.h"
#include "lan-ipmsg.h"
#include "lan-messenger-files.h"
#include "lan-messenger-private.h"
#include "lan-packet-log.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define SENDER     "127.0.0.2"
/* More senders, for the limit on fetches in all. */
static const char * const others[] = { "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7" };
#define BOB        "127.0.0.3"
#define OFFER_NO   0x1234
#define DEADLINE_MS 10000

typedef struct {
  LanTestTmpdir  *tmp;
  GFile          *downloads;
  LanMessenger   *bob;
  LanTestSignal  *received;
  GSocket        *udp;
  GSocket        *other_udp[G_N_ELEMENTS (others)];
  guint           offers;
  GSocketService *service;
  GPtrArray      *replies;    /* GBytes: the n-th connection gets the n-th (the last one after) */
  gboolean        hold;       /* keep connections open after the reply */
  GPtrArray      *requests;   /* char *: each request's extra part */
  GPtrArray      *held;       /* GSocketConnection */
  guint           connections;
} Fixture;

typedef struct {
  Fixture           *fixture;
  GSocketConnection *connection;
  guint8             buffer[2048];
  gsize              len;
} Peer;

static GSocketAddress *
address (const char *ip)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (ip);

  return g_inet_socket_address_new (inet, LAN_TEST_PORT);
}

static void
reply_written (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Peer *peer = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  if (peer->fixture->hold)
    g_ptr_array_add (peer->fixture->held, g_object_ref (peer->connection));
  else
    g_io_stream_close (G_IO_STREAM (peer->connection), NULL, NULL);
  g_object_unref (peer->connection);
  g_free (peer);
}

static void
request_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Peer *peer = user_data;
  Fixture *fixture = peer->fixture;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);
  const char *extra;
  GBytes *reply;

  if (n > 0)
    peer->len += (gsize) n;
  /* A request is one packet ending in a NUL. */
  if (n > 0 && memchr (peer->buffer, '\0', peer->len) == NULL && peer->len < sizeof peer->buffer - 1)
    {
      g_input_stream_read_async (G_INPUT_STREAM (source), peer->buffer + peer->len,
                                 sizeof peer->buffer - 1 - peer->len, G_PRIORITY_DEFAULT, NULL,
                                 request_read, peer);
      return;
    }
  peer->buffer[peer->len] = '\0';
  extra = (const char *) peer->buffer;
  for (guint colons = 0; colons < 5 && extra != NULL; colons++)
    extra = strchr (extra, ':') != NULL ? strchr (extra, ':') + 1 : NULL;
  g_ptr_array_add (fixture->requests, g_strdup (extra != NULL ? extra : ""));
  reply = g_ptr_array_index (fixture->replies, MIN (fixture->connections, fixture->replies->len - 1));
  fixture->connections++;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (peer->connection)),
                                   g_bytes_get_data (reply, NULL), g_bytes_get_size (reply),
                                   G_PRIORITY_DEFAULT, NULL, reply_written, peer);
}

static gboolean
incoming (GSocketService    *service,
          GSocketConnection *connection,
          GObject           *source,
          gpointer           user_data)
{
  Peer *peer = g_new0 (Peer, 1);

  peer->fixture = user_data;
  peer->connection = g_object_ref (connection);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (connection)), peer->buffer,
                             sizeof peer->buffer - 1, G_PRIORITY_DEFAULT, NULL, request_read, peer);
  return TRUE;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char *targets[] = { SENDER, NULL };
  LanTestEngineOptions options = {
    .user_name = "bob",
    .answer_delay_max_ms = 20,
    .targets = targets,
  };
  g_autoptr(GSocketAddress) here = address (SENDER);
  g_autoptr(GError) error = NULL;
  g_autofree char *downloads = NULL;

  fixture->tmp = lan_test_tmpdir_new ("lanchat-fetch");
  downloads = lan_test_tmpdir_file (fixture->tmp, "dl");
  g_assert_cmpint (g_mkdir (downloads, 0700), ==, 0);
  fixture->downloads = g_file_new_for_path (downloads);
  fixture->replies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  fixture->requests = g_ptr_array_new_with_free_func (g_free);
  fixture->held = g_ptr_array_new_with_free_func (g_object_unref);

  fixture->udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (fixture->udp, here, TRUE, &error));
  g_assert_no_error (error);
  fixture->service = g_socket_service_new ();
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (fixture->service), here,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr(GSocketAddress) there = address (others[i]);

      fixture->other_udp[i] = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, &error);
      g_assert_no_error (error);
      g_assert_true (g_socket_bind (fixture->other_udp[i], there, TRUE, &error));
      g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (fixture->service), there,
                                                    G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                    NULL, NULL, &error));
      g_assert_no_error (error);
    }
  g_signal_connect (fixture->service, "incoming", G_CALLBACK (incoming), fixture);
  g_socket_service_start (fixture->service);

  fixture->bob = lan_test_engine_new_udp (BOB, &options);
  fixture->received = lan_test_signal_watch (fixture->bob, "message-received");
  /* Generous, for a busy machine; the stall test sets its own. */
  lan_messenger_set_fetch_timeouts (fixture->bob, 5000, 5000);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->received, lan_test_signal_free);
  lan_test_engine_stop (&fixture->bob);
  g_socket_service_stop (fixture->service);
  g_socket_listener_close (G_SOCKET_LISTENER (fixture->service));
  g_clear_object (&fixture->service);
  g_clear_object (&fixture->udp);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_clear_object (&fixture->other_udp[i]);
  g_clear_pointer (&fixture->held, g_ptr_array_unref);
  g_clear_pointer (&fixture->requests, g_ptr_array_unref);
  g_clear_pointer (&fixture->replies, g_ptr_array_unref);
  g_clear_object (&fixture->downloads);
  lan_test_drain ();
  g_clear_pointer (&fixture->tmp, lan_test_tmpdir_free);
}

static void
add_reply (Fixture    *fixture,
           const void *data,
           gsize       len)
{
  g_ptr_array_add (fixture->replies, g_bytes_new (data, len));
}

/* @udp offers @records (already in the record syntax) to bob in packet
 * @packet_no; returns the message bob shows. */
static LanMessage *
offer_numbered (Fixture    *fixture,
                GSocket    *udp,
                guint64     packet_no,
                const char *records)
{
  g_autoptr(GByteArray) extra = g_byte_array_new ();
  g_autoptr(GBytes) datagram = NULL;
  g_autoptr(GSocketAddress) bob = address (BOB);
  g_autoptr(GError) error = NULL;
  const GValue *args;
  guint n_args = 0;

  g_byte_array_append (extra, (const guint8 *) "files\0", 6);
  g_byte_array_append (extra, (const guint8 *) records, strlen (records) + 1);
  datagram = lan_test_craft ("1", packet_no, "alice", "box",
                             LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_FILEATTACHOPT | LAN_IPMSG_UTF8OPT,
                             extra->data, extra->len);
  g_assert_cmpint (g_socket_send_to (udp, bob, g_bytes_get_data (datagram, NULL),
                                     g_bytes_get_size (datagram), NULL, &error), >, 0);
  g_assert_no_error (error);
  fixture->offers++;
  g_assert_cmpuint (lan_test_signal_await (fixture->received, fixture->offers, DEADLINE_MS), ==, fixture->offers);
  args = lan_test_signal_last_args (fixture->received, &n_args);
  g_assert_cmpuint (n_args, ==, 2);
  g_assert_nonnull (lan_message_get_files (g_value_get_object (&args[1])));
  return g_value_dup_object (&args[1]);
}

static LanMessage *
offer_from (Fixture    *fixture,
            GSocket    *udp,
            const char *records)
{
  return offer_numbered (fixture, udp, OFFER_NO, records);
}

static LanMessage *
offer (Fixture    *fixture,
       const char *records)
{
  return offer_from (fixture, fixture->udp, records);
}

static gboolean
finished (gpointer data)
{
  return lan_file_transfer_is_finished (data);
}

static LanFileTransfer *
fetch (Fixture    *fixture,
       LanMessage *message,
       guint64     file_id)
{
  g_autoptr(GError) error = NULL;
  LanFileTransfer *transfer = lan_messenger_fetch_file (fixture->bob, message, file_id, fixture->downloads,
                                                        NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (transfer);
  g_assert_cmpint (lan_file_transfer_get_kind (transfer), ==, LAN_TRANSFER_FETCH);
  g_assert_true (lan_test_await (finished, transfer, DEADLINE_MS));
  return transfer;
}

static void
collect_tree (GFile      *dir,
              const char *prefix,
              GPtrArray  *out)
{
  g_autoptr(GFileEnumerator) children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                                                   G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  GFileInfo *info;

  g_assert_nonnull (children);
  while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFileInfo) owned = info;
      gboolean is_dir = g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY;
      g_autofree char *path = g_strdup_printf ("%s%s%s", prefix, g_file_info_get_name (info), is_dir ? "/" : "");

      g_assert_cmpint (g_file_info_get_file_type (info), !=, G_FILE_TYPE_SYMBOLIC_LINK);
      if (is_dir)
        {
          g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));

          collect_tree (child, path, out);
        }
      g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every path under the test's folder (not only the downloads): "dl/", "dl/a.txt", … sorted, one a line. */
static char *
tree (Fixture *fixture)
{
  g_autoptr(GFile) top = g_file_new_for_path (lan_test_tmpdir_get_path (fixture->tmp));
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  collect_tree (top, "", paths);
  g_ptr_array_sort (paths, compare_strings);
  g_ptr_array_add (paths, NULL);
  return g_strjoinv ("\n", (char **) paths->pdata);
}

static char *
contents (Fixture    *fixture,
          const char *name)
{
  g_autoptr(GFile) file = g_file_resolve_relative_path (fixture->downloads, name);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_assert_true (g_file_load_contents (file, NULL, &data, NULL, NULL, &error));
  g_assert_no_error (error);
  return data;
}

static void
write_file (const char *dir,
            const char *name,
            const char *data)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, -1, NULL));
}

/* The newest log row of bob's with @mode and exactly @flags of TCP and TRANSFER. */
static LanPacketLogEntry *
log_row (Fixture          *fixture,
         LanDatagramFlags  flags,
         guint32           mode)
{
  LanDatagramFlags kind = LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER;
  LanPacketLog *log = lan_messenger_get_packet_log (fixture->bob);
  guint n;

  lan_packet_log_flush (log);
  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  for (guint i = n; i > 0; i--)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i - 1);

      if ((lan_packet_log_entry_get_flags (entry) & kind) == flags &&
          LAN_IPMSG_MODE (lan_packet_log_entry_get_command (entry)) == mode)
        return g_steal_pointer (&entry);
    }
  return NULL;
}

static void
assert_failed (LanFileTransfer *transfer,
               const char      *why)
{
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_FAILED);
  g_assert_nonnull (lan_file_transfer_get_error (transfer));
  g_test_message ("failed as it should: %s", lan_file_transfer_get_error (transfer));
  if (strstr (lan_file_transfer_get_error (transfer), why) == NULL)
    g_error ("“%s” does not say “%s”", lan_file_transfer_get_error (transfer), why);
}

static void
test_file (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autoptr(LanPacketLogEntry) request = NULL;
  g_autoptr(LanPacketLogEntry) summary = NULL;
  g_autoptr(LanPacketLogEntry) release = NULL;
  g_autofree char *text = NULL;
  g_autofree char *listing = NULL;

  add_reply (fixture, "hello world", 11);
  message = offer (fixture, "0:hello.txt:b:5f000000:1:\a");
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_OPEN);
  transfer = fetch (fixture, message, 0);
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  g_assert_cmpuint (lan_file_transfer_get_done (transfer), ==, 11);
  g_assert_cmpuint (fixture->requests->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->requests, 0), ==, "1234:0:0");
  text = contents (fixture, "hello.txt");
  g_assert_cmpstr (text, ==, "hello world");
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/hello.txt");

  /* The request and the summary in the log; then, as it was the only
   * file, the offer is released (decimal packet number) and done. */
  request = log_row (fixture, LAN_DATAGRAM_TCP, LAN_IPMSG_GETFILEDATA);
  g_assert_nonnull (request);
  g_assert_cmpint (lan_packet_log_entry_get_direction (request), ==, LAN_DIRECTION_OUT);
  summary = log_row (fixture, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, LAN_IPMSG_GETFILEDATA);
  g_assert_nonnull (summary);
  g_assert_nonnull (strstr (lan_packet_log_entry_get_detail (summary), "11 bytes"));
  g_assert_nonnull (strstr (lan_packet_log_entry_get_detail (summary), "done"));
  release = log_row (fixture, 0, LAN_IPMSG_RELEASEFILES);
  g_assert_nonnull (release);
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_DONE);
}

/* (transfer full): @size bytes of xorshift, so that a byte out of place shows. */
static char *
xorshift_bytes (gsize size)
{
  char *bytes = g_malloc (size);
  guint32 x = 2463534242u;

  for (gsize i = 0; i < size; i++)
    {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      bytes[i] = (char) (x >> 24);
    }
  return bytes;
}

static void
assert_saved_as (Fixture    *fixture,
                 const char *name,
                 const char *bytes,
                 gsize       size)
{
  g_autoptr(GFile) file = g_file_resolve_relative_path (fixture->downloads, name);
  g_autofree char *saved = NULL;
  gsize saved_len = 0;

  g_assert_true (g_file_load_contents (file, NULL, &saved, &saved_len, NULL, NULL));
  g_assert_cmpuint (saved_len, ==, size);
  g_assert_true (memcmp (saved, bytes, size) == 0);
}

/* An offer of one file @name of @size pattern bytes (*@bytes), which the
 * fake sender sends when asked. */
static LanMessage *
offer_pattern (Fixture    *fixture,
               const char *name,
               gsize       size,
               char      **bytes)
{
  g_autofree char *records = g_strdup_printf ("0:%s:%" G_GSIZE_MODIFIER "x:5f000000:1:\a", name, size);

  *bytes = xorshift_bytes (size);
  add_reply (fixture, *bytes, size);
  return offer (fixture, records);
}

/* Several buffers' worth: every byte must land where it belongs, and only
 * once, however the reads and writes of the two buffers interleave. */
static void
test_file_bigger_than_buffers (Fixture       *fixture,
                               gconstpointer  data)
{
  const gsize size = 5 * LAN_FETCH_BUFFER_BYTES + 123;
  g_autofree char *bytes = NULL;
  g_autoptr(LanMessage) message = offer_pattern (fixture, "big.bin", size, &bytes);
  g_autoptr(LanFileTransfer) transfer = NULL;

  transfer = fetch (fixture, message, 0);
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  g_assert_cmpuint (lan_file_transfer_get_done (transfer), ==, size);
  assert_saved_as (fixture, "big.bin", bytes, size);
}

typedef struct {
  GMutex   lock;
  GCond    cond;
  guint    running;
  gboolean release;
} PoolHold;

static void
hold_pool_thread (GTask        *task,
                  gpointer      source,
                  gpointer      data,
                  GCancellable *cancellable)
{
  PoolHold *hold = data;

  g_mutex_lock (&hold->lock);
  hold->running++;
  g_cond_broadcast (&hold->cond);
  while (!hold->release)
    g_cond_wait (&hold->cond, &hold->lock);
  hold->running--;
  g_cond_broadcast (&hold->cond);
  g_mutex_unlock (&hold->lock);
  g_task_return_boolean (task, TRUE);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* A slow disk: GIO's pool, where a file's writes run, held busy (all ten of
 * its threads) while the file comes, so that the reads go on into the
 * buffer that waits for the disk, appending to it. Every byte must still be
 * where it belongs. (A wrong append offset fails this: checked.) */
static void
test_file_slow_disk (Fixture       *fixture,
                     gconstpointer  data)
{
  const gsize size = 3 * LAN_FETCH_BUFFER_BYTES + 321;
  g_autofree char *bytes = NULL;
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;
  PoolHold hold = { 0 };
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_mutex_init (&hold.lock);
  g_cond_init (&hold.cond);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      g_task_set_task_data (task, &hold, NULL);
      g_task_run_in_thread (task, hold_pool_thread);
    }
  g_mutex_lock (&hold.lock);
  while (hold.running < 10 && g_cond_wait_until (&hold.cond, &hold.lock, deadline))
    ;
  g_mutex_unlock (&hold.lock);

  message = offer_pattern (fixture, "slow.bin", size, &bytes);
  transfer = lan_messenger_fetch_file (fixture->bob, message, 0, fixture->downloads, NULL, &error);
  g_assert_no_error (error);
  /* Time for the reads to come while the first write waits for a thread
   * (not a condition to wait for: the bytes must come out right either way). */
  lan_test_await (never, NULL, 300);

  g_mutex_lock (&hold.lock);
  hold.release = TRUE;
  g_cond_broadcast (&hold.cond);
  while (hold.running > 0)
    g_cond_wait (&hold.cond, &hold.lock);
  g_mutex_unlock (&hold.lock);
  g_mutex_clear (&hold.lock);
  g_cond_clear (&hold.cond);

  g_assert_true (lan_test_await (finished, transfer, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  g_assert_cmpuint (lan_file_transfer_get_done (transfer), ==, size);
  assert_saved_as (fixture, "slow.bin", bytes, size);
}

static void
test_no_overwrite (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autofree char *old = NULL;
  g_autofree char *text = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *existing = g_build_filename (lan_test_tmpdir_get_path (fixture->tmp), "dl", "hello.txt", NULL);
  g_autofree char *saved_as = NULL;

  g_assert_true (g_file_set_contents (existing, "mine", -1, NULL));
  add_reply (fixture, "hello world", 11);
  message = offer (fixture, "0:hello.txt:b:5f000000:1:\a");
  transfer = fetch (fixture, message, 0);
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  old = contents (fixture, "hello.txt");
  g_assert_cmpstr (old, ==, "mine");
  text = contents (fixture, "hello (1).txt");
  g_assert_cmpstr (text, ==, "hello world");
  saved_as = g_file_get_basename (lan_file_transfer_get_file (transfer));
  g_assert_cmpstr (saved_as, ==, "hello (1).txt");
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/hello (1).txt\ndl/hello.txt");
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *part = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *text = NULL;

  add_reply (fixture, "hello", 5);
  /* The .part's last bytes (here all five) are asked for again and checked. */
  add_reply (fixture, "hello world", 11);
  message = offer (fixture, "0:hello.txt:b:5f000000:1:\a");
  first = fetch (fixture, message, 0);
  assert_failed (first, "after 5 of the 11 bytes");
  part = contents (fixture, "hello.txt.part");
  g_assert_cmpstr (part, ==, "hello");
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/hello.txt.part");
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_OPEN);

  second = lan_messenger_retry_transfer (fixture->bob, first, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (second), ==, LAN_TRANSFER_DONE);
  g_assert_cmpstr (g_ptr_array_index (fixture->requests, 1), ==, "1234:0:0");
  g_assert_cmpuint (lan_file_transfer_get_done (second), ==, 11);
  text = contents (fixture, "hello.txt");
  g_assert_cmpstr (text, ==, "hello world");
  g_clear_pointer (&listing, g_free);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/hello.txt");
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_DONE);
}

#define CHECKED_SIZE 10000
#define CHECKED_CUT  6000

static char *
checked_bytes (void)
{
  char *data = g_malloc (CHECKED_SIZE + 1);

  for (guint i = 0; i < CHECKED_SIZE; i++)
    data[i] = (char) ('a' + (i * 7 + i / 26) % 26);
  data[CHECKED_SIZE] = '\0';
  return data;
}

/* A resume from 6000 of 10000 bytes asks from 6000 - 4096 and checks those
 * bytes. A sender that sends from there is resumed; one that starts at 0
 * (as iptux does, whatever it is asked) is asked again from 0, and the
 * file is whole either way. */
static void
test_resume_checked (Fixture       *fixture,
                     gconstpointer  data)
{
  gboolean ignores_offset = data != NULL;
  g_autofree char *bytes = checked_bytes ();
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *records = g_strdup_printf ("0:text.txt:%x:5f000000:1:\a", CHECKED_SIZE);

  add_reply (fixture, bytes, CHECKED_CUT);
  if (ignores_offset)
    add_reply (fixture, bytes, CHECKED_SIZE);
  else
    add_reply (fixture, bytes + CHECKED_CUT - LAN_FETCH_RESUME_CHECK_BYTES,
               CHECKED_SIZE - CHECKED_CUT + LAN_FETCH_RESUME_CHECK_BYTES);
  message = offer (fixture, records);
  first = fetch (fixture, message, 0);
  assert_failed (first, "after 6000 of the 10000 bytes");
  second = lan_messenger_retry_transfer (fixture->bob, first, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (second), ==, LAN_TRANSFER_DONE);
  g_assert_cmpstr (g_ptr_array_index (fixture->requests, 1), ==, "1234:0:770");
  if (ignores_offset)
    {
      g_assert_cmpuint (fixture->requests->len, ==, 3);
      g_assert_cmpstr (g_ptr_array_index (fixture->requests, 2), ==, "1234:0:0");
    }
  else
    g_assert_cmpuint (fixture->requests->len, ==, 2);
  g_assert_cmpuint (lan_file_transfer_get_done (second), ==, CHECKED_SIZE);
  text = contents (fixture, "text.txt");
  g_assert_cmpstr (text, ==, bytes);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/text.txt");
}

static void
test_lying_sizes (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) more = NULL;
  g_autoptr(LanFileTransfer) none = NULL;
  g_autofree char *listing = NULL;

  add_reply (fixture, "0123456789", 10);
  add_reply (fixture, "", 0);
  message = offer (fixture, "0:more.bin:5:5f000000:1:\a1:none.bin:b:5f000000:1:\a");
  more = fetch (fixture, message, 0);
  assert_failed (more, "more than the 5 bytes");
  none = fetch (fixture, message, 1);
  assert_failed (none, "after 0 of the 11 bytes");
  listing = tree (fixture);
  /* Nothing under the final names; the parts kept for a retry hold no more than announced. */
  g_assert_cmpstr (listing, ==, "dl/\ndl/more.bin.part\ndl/none.bin.part");
}

static void
test_stall (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) transfer = NULL;

  lan_messenger_set_fetch_timeouts (fixture->bob, 400, 5000);
  fixture->hold = TRUE;
  add_reply (fixture, "abc", 3);
  message = offer (fixture, "0:slow.bin:64:5f000000:1:\a");
  transfer = fetch (fixture, message, 0);
  assert_failed (transfer, "stopped sending");
  g_assert_cmpuint (lan_file_transfer_get_done (transfer), ==, 3);
}

static void
test_offer_name_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autofree char *listing = NULL;

  add_reply (fixture, "x", 1);
  message = offer (fixture, "0:../evil:1:5f000000:1:\a");
  transfer = lan_messenger_fetch_file (fixture->bob, message, 0, fixture->downloads, NULL, &error);
  g_assert_null (transfer);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME);
  g_clear_error (&error);
  /* Saved under another name of the user's choosing, it goes. */
  transfer = lan_messenger_fetch_file (fixture->bob, message, 0, fixture->downloads, "good", &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (finished, transfer, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/good");
}

/* A header of the folder stream, from raw name bytes (which may hold anything). */
static void
header (GString    *out,
        const char *name,
        gsize       name_len,
        guint64     size,
        guint       attr)
{
  g_autofree char *rest = g_strdup_printf (":%" G_GINT64_MODIFIER "x:%x:", size, attr);

  g_string_append_printf (out, "%04x:", (guint) (5 + name_len + strlen (rest)));
  g_string_append_len (out, name, (gssize) name_len);
  g_string_append (out, rest);
}

static void
enter (GString    *out,
       const char *name)
{
  header (out, name, strlen (name), 0, LAN_IPMSG_FILE_DIR);
}

static void
file (GString    *out,
      const char *name,
      const char *data)
{
  header (out, name, strlen (name), strlen (data), LAN_IPMSG_FILE_REGULAR);
  g_string_append (out, data);
}

static void
leave (GString *out)
{
  header (out, ".", 1, 0, LAN_IPMSG_FILE_RETPARENT);
}

static LanFileTransfer *
fetch_folder (Fixture *fixture,
              GString *stream)
{
  g_autoptr(LanMessage) message = NULL;

  add_reply (fixture, stream->str, stream->len);
  message = offer (fixture, "0:pics:0:5f000000:2:\a");
  return fetch (fixture, message, 0);
}

static void
test_folder (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(LanPacketLogEntry) request = NULL;

  enter (stream, "pics");
  file (stream, "a.txt", "abc");
  enter (stream, "sub");
  file (stream, "b.txt", "0123456789");
  file (stream, "empty", "");
  /* As iptux on Linux sends it ("::" is one ':'): saved under that name. */
  file (stream, "x::y.txt", "colon");
  leave (stream);
  leave (stream);
  transfer = fetch_folder (fixture, stream);
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  g_assert_cmpstr (g_ptr_array_index (fixture->requests, 0), ==, "1234:0");
  g_assert_cmpuint (lan_file_transfer_get_files_done (transfer), ==, 4);
  g_assert_cmpuint (lan_file_transfer_get_done (transfer), ==, 18);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics/\ndl/pics/a.txt\ndl/pics/sub/\ndl/pics/sub/b.txt\ndl/pics/sub/empty\n"
                                "dl/pics/sub/x:y.txt");
  a = contents (fixture, "pics/a.txt");
  g_assert_cmpstr (a, ==, "abc");
  b = contents (fixture, "pics/sub/b.txt");
  g_assert_cmpstr (b, ==, "0123456789");
  request = log_row (fixture, LAN_DATAGRAM_TCP, LAN_IPMSG_GETDIRFILES);
  g_assert_nonnull (request);
}

typedef struct {
  const char *name;
  gsize       len;     /* 0: strlen */
  const char *why;
} Hostile;

static void
test_folder_hostile_name (Fixture       *fixture,
                          gconstpointer  data)
{
  const Hostile *hostile = data;
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autofree char *listing = NULL;

  enter (stream, "pics");
  header (stream, hostile->name, hostile->len != 0 ? hostile->len : strlen (hostile->name), 3,
          LAN_IPMSG_FILE_REGULAR);
  g_string_append (stream, "bad");
  leave (stream);
  transfer = fetch_folder (fixture, stream);
  assert_failed (transfer, hostile->why);
  /* Nothing: the partial folder, which can't be resumed, is gone too. */
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/");
}

/* Return-to-parent entries that would climb above the folder asked for:
 * before it began (@data NULL), or after it ended. */
static void
test_folder_climb (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autofree char *listing = NULL;

  if (data == NULL)
    leave (stream);
  enter (stream, "pics");
  leave (stream);
  leave (stream);
  file (stream, "evil", "bad");
  transfer = fetch_folder (fixture, stream);
  assert_failed (transfer, data == NULL ? "unreadable" : "after the folder's end");
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/");
}

static void
test_folder_too_deep (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autofree char *listing = NULL;

  enter (stream, "pics");
  for (guint i = 0; i < LAN_DIR_STREAM_MAX_DEPTH + 5; i++)
    enter (stream, "d");
  transfer = fetch_folder (fixture, stream);
  assert_failed (transfer, "unreadable");
  /* The folders made before the bound was hit are removed again. */
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/");
}

static void
test_folder_lying_size (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *a = NULL;

  enter (stream, "pics");
  file (stream, "first.txt", "kept until the end");
  enter (stream, "sub");
  header (stream, "a.txt", 5, 100, LAN_IPMSG_FILE_REGULAR);
  g_string_append (stream, "only ten b");
  transfer = fetch_folder (fixture, stream);
  assert_failed (transfer, "before the folder's end");
  /* Broken, not refused: kept under the folder's .part name to resume, as a file's .part is. */
  g_assert_nonnull (strstr (lan_file_transfer_get_error (transfer), "kept to resume"));
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics.part/\ndl/pics.part/first.txt\ndl/pics.part/sub/\ndl/pics.part/sub/a.txt");
  a = contents (fixture, "pics.part/sub/a.txt");
  g_assert_cmpstr (a, ==, "only ten b");
}

static gboolean
some_done (gpointer data)
{
  return lan_file_transfer_get_done (data) > 0;
}

/* Stopped and freed while a folder comes: it ends cancelled, and its
 * partial tree is kept to resume, as a file's .part is. */
static void
test_folder_engine_gone (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;

  enter (stream, "pics");
  header (stream, "a.txt", 5, 100, LAN_IPMSG_FILE_REGULAR);
  g_string_append (stream, "only ten b");
  fixture->hold = TRUE;
  add_reply (fixture, stream->str, stream->len);
  message = offer (fixture, "0:pics:0:5f000000:2:\a");
  transfer = lan_messenger_fetch_file (fixture->bob, message, 0, fixture->downloads, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (transfer);
  g_assert_true (lan_test_await (some_done, transfer, DEADLINE_MS));
  lan_test_engine_stop (&fixture->bob);
  g_assert_true (lan_test_await (finished, transfer, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_CANCELLED);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics.part/\ndl/pics.part/a.txt");
}

/* @len letters, different for each @seed. */
static char *
pattern (gsize len,
         guint seed)
{
  char *data = g_malloc (len + 1);

  for (gsize i = 0; i < len; i++)
    data[i] = (char) ('a' + (i * (seed * 2 + 5) + i / 26 + seed) % 26);
  data[len] = '\0';
  return data;
}

#define A_LEN 5000
#define B_LEN 9000
#define C_LEN 6000
#define C_CUT 3000

/* pics/{a.txt, sub/b.txt, c.txt}, their bytes made from @a_seed,
 * @b_seed, 3; *@cut: where a stream broken in the middle of c.txt (the
 * third file) ends. */
static GString *
three_files_seeded (guint  a_seed,
                    guint  b_seed,
                    gsize *cut)
{
  GString *stream = g_string_new (NULL);
  g_autofree char *a = pattern (A_LEN, a_seed);
  g_autofree char *b = pattern (B_LEN, b_seed);
  g_autofree char *c = pattern (C_LEN, 3);

  enter (stream, "pics");
  file (stream, "a.txt", a);
  enter (stream, "sub");
  file (stream, "b.txt", b);
  leave (stream);
  header (stream, "c.txt", 5, C_LEN, LAN_IPMSG_FILE_REGULAR);
  g_string_append_len (stream, c, C_CUT);
  *cut = stream->len;
  g_string_append (stream, c + C_CUT);
  leave (stream);
  return stream;
}

static GString *
three_files (gsize *cut)
{
  return three_files_seeded (1, 2, cut);
}

static void
assert_three_files (Fixture    *fixture,
                    const char *folder)
{
  static const struct { const char *name; gsize len; guint seed; } want[] = {
    { "a.txt", A_LEN, 1 }, { "sub/b.txt", B_LEN, 2 }, { "c.txt", C_LEN, 3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_autofree char *path = g_build_filename (folder, want[i].name, NULL);
      g_autofree char *have = contents (fixture, path);
      g_autofree char *expected = pattern (want[i].len, want[i].seed);

      g_assert_cmpstr (have, ==, expected);
    }
}

static void
stat_in (Fixture    *fixture,
         const char *name,
         struct stat *st)
{
  g_autofree char *path = g_build_filename (lan_test_tmpdir_get_path (fixture->tmp), "dl", name, NULL);

  g_assert_cmpint (stat (path, st), ==, 0);
}

/* Back to 2001: a file written again (by a write or as a new file) would
 * not keep this time. */
static void
age (Fixture    *fixture,
     const char *name)
{
  g_autofree char *path = g_build_filename (lan_test_tmpdir_get_path (fixture->tmp), "dl", name, NULL);
  const struct timespec times[2] = { { 1000000000, 0 }, { 1000000000, 0 } };

  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
}

/* A folder stream broken in its third file, then asked for again: the
 * whole stream comes (GETDIRFILES has no offset); the two complete files
 * are read past, not written (same inode, the old time kept), the third
 * goes on from its end, and only then is the folder renamed into place. */
static void
test_folder_resume (Fixture       *fixture,
                    gconstpointer  data)
{
  gsize cut = 0;
  g_autoptr(GString) stream = three_files (&cut);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(LanPacketLogEntry) summary = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *part_c = NULL;
  g_autofree char *written = g_strdup_printf ("%u bytes in", C_LEN - C_CUT);
  struct stat a_before, b_before, c_before, a_after, b_after, c_after;

  add_reply (fixture, stream->str, cut);
  add_reply (fixture, stream->str, stream->len);
  message = offer (fixture, "0:pics:4e20:5f000000:2:\a");
  first = fetch (fixture, message, 0);
  assert_failed (first, "before the folder's end");
  g_assert_cmpuint (lan_file_transfer_get_files_done (first), ==, 2);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics.part/\ndl/pics.part/a.txt\ndl/pics.part/c.txt\n"
                                "dl/pics.part/sub/\ndl/pics.part/sub/b.txt");
  part_c = contents (fixture, "pics.part/c.txt");
  g_assert_cmpuint (strlen (part_c), ==, C_CUT);
  age (fixture, "pics.part/a.txt");
  age (fixture, "pics.part/sub/b.txt");
  stat_in (fixture, "pics.part/a.txt", &a_before);
  stat_in (fixture, "pics.part/sub/b.txt", &b_before);
  stat_in (fixture, "pics.part/c.txt", &c_before);

  second = lan_messenger_retry_transfer (fixture->bob, first, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (second), ==, LAN_TRANSFER_DONE);
  g_assert_cmpuint (fixture->requests->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->requests, 1), ==, "1234:0");
  g_assert_cmpuint (lan_file_transfer_get_files_done (second), ==, 3);
  g_assert_cmpuint (lan_file_transfer_get_done (second), ==, A_LEN + B_LEN + C_LEN);
  g_assert_cmpuint (lan_file_transfer_get_size (second), ==, A_LEN + B_LEN + C_LEN);
  g_clear_pointer (&listing, g_free);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics/\ndl/pics/a.txt\ndl/pics/c.txt\ndl/pics/sub/\ndl/pics/sub/b.txt");
  assert_three_files (fixture, "pics");
  stat_in (fixture, "pics/a.txt", &a_after);
  stat_in (fixture, "pics/sub/b.txt", &b_after);
  stat_in (fixture, "pics/c.txt", &c_after);
  g_assert_cmpuint (a_after.st_ino, ==, a_before.st_ino);
  g_assert_cmpint (a_after.st_mtime, ==, 1000000000);
  g_assert_cmpuint (b_after.st_ino, ==, b_before.st_ino);
  g_assert_cmpint (b_after.st_mtime, ==, 1000000000);
  g_assert_cmpuint (c_after.st_ino, ==, c_before.st_ino);
  /* Only the rest of c.txt was written by the second try. */
  summary = log_row (fixture, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, LAN_IPMSG_GETDIRFILES);
  g_assert_nonnull (summary);
  g_assert_true (g_str_has_prefix (lan_packet_log_entry_get_detail (summary), written));
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_DONE);
}

/* The sender removed sub/ (and b.txt in it) between the two tries: the
 * resumed stream names only a.txt and c.txt, and the folder saved holds
 * only those (what the earlier try wrote and the stream no longer names
 * goes before the rename), a.txt still the one the first try wrote. */
static void
test_folder_resume_prunes (Fixture       *fixture,
                           gconstpointer  data)
{
  gsize cut = 0;
  g_autoptr(GString) stream = three_files (&cut);
  g_autoptr(GString) again = g_string_new (NULL);
  g_autofree char *a = pattern (A_LEN, 1);
  g_autofree char *c = pattern (C_LEN, 3);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *have_a = NULL;
  g_autofree char *have_c = NULL;
  struct stat a_before, a_after;

  enter (again, "pics");
  file (again, "a.txt", a);
  file (again, "c.txt", c);
  leave (again);
  add_reply (fixture, stream->str, cut);
  add_reply (fixture, again->str, again->len);
  message = offer (fixture, "0:pics:4e20:5f000000:2:\a");
  first = fetch (fixture, message, 0);
  assert_failed (first, "before the folder's end");
  stat_in (fixture, "pics.part/a.txt", &a_before);

  second = lan_messenger_retry_transfer (fixture->bob, first, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (second), ==, LAN_TRANSFER_DONE);
  g_assert_cmpuint (lan_file_transfer_get_files_done (second), ==, 2);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics/\ndl/pics/a.txt\ndl/pics/c.txt");
  have_a = contents (fixture, "pics/a.txt");
  have_c = contents (fixture, "pics/c.txt");
  g_assert_cmpstr (have_a, ==, a);
  g_assert_cmpstr (have_c, ==, c);
  stat_in (fixture, "pics/a.txt", &a_after);
  g_assert_cmpuint (a_after.st_ino, ==, a_before.st_ino);
}

/* A sender killed and started again offers the folder anew (another
 * packet number): lan_messenger_resume_fetch goes on in the .part the
 * earlier offer's fetch left, as for a file; a folder of another name or
 * size is not taken for it. */
static void
test_folder_resume_new_offer (Fixture       *fixture,
                              gconstpointer  data)
{
  gsize cut = 0;
  g_autoptr(GString) stream = three_files (&cut);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanMessage) again = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(LanFileTransfer) refused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  struct stat a_before, a_after;

  add_reply (fixture, stream->str, cut);
  add_reply (fixture, stream->str, stream->len);
  message = offer (fixture, "0:pics:4e20:5f000000:2:\a");
  first = fetch (fixture, message, 0);
  assert_failed (first, "before the folder's end");
  age (fixture, "pics.part/a.txt");
  stat_in (fixture, "pics.part/a.txt", &a_before);

  again = offer_numbered (fixture, fixture->udp, OFFER_NO + 1,
                          "0:other:4e20:5f000000:2:\a1:pics:4e21:5f000000:2:\a2:pics:4e20:5f000000:2:\a");
  refused = lan_messenger_resume_fetch (fixture->bob, again, 0, first, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (refused);
  g_clear_error (&error);
  refused = lan_messenger_resume_fetch (fixture->bob, again, 1, first, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (refused);
  g_clear_error (&error);

  second = lan_messenger_resume_fetch (fixture->bob, again, 2, first, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (second), ==, LAN_TRANSFER_DONE);
  g_assert_cmpuint (fixture->requests->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->requests, 1), ==, "1235:2");
  assert_three_files (fixture, "pics");
  stat_in (fixture, "pics/a.txt", &a_after);
  g_assert_cmpuint (a_after.st_ino, ==, a_before.st_ino);
  g_assert_cmpint (a_after.st_mtime, ==, 1000000000);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics/\ndl/pics/a.txt\ndl/pics/c.txt\ndl/pics/sub/\ndl/pics/sub/b.txt");
}

/* A file of the partial folder is not what the sender sends (its end
 * differs): emptied, the folder asked for once more and written whole;
 * every file counted once. */
static void
test_folder_resume_changed (Fixture       *fixture,
                            gconstpointer  data)
{
  gsize cut = 0;
  g_autoptr(GString) stream = three_files (&cut);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a_path = g_build_filename (lan_test_tmpdir_get_path (fixture->tmp), "dl", "pics.part", "a.txt", NULL);
  g_autofree char *listing = NULL;
  FILE *a;

  add_reply (fixture, stream->str, cut);
  add_reply (fixture, stream->str, stream->len);
  message = offer (fixture, "0:pics:4e20:5f000000:2:\a");
  first = fetch (fixture, message, 0);
  assert_failed (first, "before the folder's end");
  a = fopen (a_path, "r+b");
  g_assert_nonnull (a);
  g_assert_cmpint (fseek (a, A_LEN - 10, SEEK_SET), ==, 0);
  g_assert_cmpint (fputc ('#', a), ==, '#');
  g_assert_cmpint (fclose (a), ==, 0);

  second = lan_messenger_retry_transfer (fixture->bob, first, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (second), ==, LAN_TRANSFER_DONE);
  g_assert_cmpuint (fixture->requests->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->requests, 2), ==, "1234:0");
  g_assert_cmpuint (lan_file_transfer_get_files_done (second), ==, 3);
  g_assert_cmpuint (lan_file_transfer_get_done (second), ==, A_LEN + B_LEN + C_LEN);
  assert_three_files (fixture, "pics");
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics/\ndl/pics/a.txt\ndl/pics/c.txt\ndl/pics/sub/\ndl/pics/sub/b.txt");
}

/* The sender's files change each time they are sent: after one start
 * over the fetch fails, saying so, and keeps the partial folder. */
static void
test_folder_resume_changing (Fixture       *fixture,
                             gconstpointer  data)
{
  gsize cut = 0;
  g_autoptr(GString) stream = three_files (&cut);
  g_autoptr(GString) other_a = three_files_seeded (7, 2, &cut);
  g_autoptr(GString) other_b = three_files_seeded (7, 8, &cut);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;

  add_reply (fixture, stream->str, cut);
  add_reply (fixture, other_a->str, other_a->len);
  add_reply (fixture, other_b->str, other_b->len);
  message = offer (fixture, "0:pics:4e20:5f000000:2:\a");
  first = fetch (fixture, message, 0);
  assert_failed (first, "before the folder's end");
  second = lan_messenger_retry_transfer (fixture->bob, first, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  assert_failed (second, "change while they are sent");
  g_assert_cmpuint (fixture->requests->len, ==, 3);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics.part/\ndl/pics.part/a.txt\ndl/pics.part/c.txt\n"
                                "dl/pics.part/sub/\ndl/pics.part/sub/b.txt");
}

/* The folder's temporary name is someone else's: a folder "pics.part" of
 * the user's is neither written into nor taken for ours (the fetch goes to
 * "pics (1).part"); when "pics (1)" is taken before the retry ends, the
 * folder is renamed to a free name, never over anything. */
static void
test_folder_part_taken (Fixture       *fixture,
                        gconstpointer  data)
{
  gsize cut = 0;
  g_autoptr(GString) stream = three_files (&cut);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dl = g_file_get_path (fixture->downloads);
  g_autofree char *users_part = g_build_filename (dl, "pics.part", NULL);
  g_autofree char *users_final = g_build_filename (dl, "pics (1)", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *saved_as = NULL;

  g_assert_cmpint (g_mkdir (users_part, 0700), ==, 0);
  write_file (users_part, "a.txt", "the user's");
  add_reply (fixture, stream->str, cut);
  add_reply (fixture, stream->str, stream->len);
  message = offer (fixture, "0:pics:4e20:5f000000:2:\a");
  first = fetch (fixture, message, 0);
  assert_failed (first, "before the folder's end");
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics (1).part/\ndl/pics (1).part/a.txt\ndl/pics (1).part/c.txt\n"
                                "dl/pics (1).part/sub/\ndl/pics (1).part/sub/b.txt\ndl/pics.part/\ndl/pics.part/a.txt");
  g_assert_cmpint (g_mkdir (users_final, 0700), ==, 0);

  second = lan_messenger_retry_transfer (fixture->bob, first, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (second), ==, LAN_TRANSFER_DONE);
  saved_as = g_file_get_basename (lan_file_transfer_get_file (second));
  g_assert_cmpstr (saved_as, ==, "pics");
  assert_three_files (fixture, "pics");
  mine = contents (fixture, "pics.part/a.txt");
  g_assert_cmpstr (mine, ==, "the user's");
  g_clear_pointer (&listing, g_free);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics (1)/\ndl/pics.part/\ndl/pics.part/a.txt\n"
                                "dl/pics/\ndl/pics/a.txt\ndl/pics/c.txt\ndl/pics/sub/\ndl/pics/sub/b.txt");
}

static gboolean
one_held (gpointer data)
{
  Fixture *fixture = data;

  return fixture->held->len >= 1;
}

static gboolean
cut_written (gpointer data)
{
  return lan_file_transfer_get_done (data) == A_LEN + B_LEN + C_CUT;
}

/* Cancelled midway: the partial folder is kept as its .part, as a file's
 * is, and a retry goes on in it. */
static void
test_folder_cancel (Fixture       *fixture,
                    gconstpointer  data)
{
  gsize cut = 0;
  g_autoptr(GString) stream = three_files (&cut);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  struct stat a_before, a_after;

  fixture->hold = TRUE;
  add_reply (fixture, stream->str, cut);
  add_reply (fixture, stream->str, stream->len);
  message = offer (fixture, "0:pics:4e20:5f000000:2:\a");
  first = lan_messenger_fetch_file (fixture->bob, message, 0, fixture->downloads, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (one_held, fixture, DEADLINE_MS));
  fixture->hold = FALSE;
  g_assert_true (lan_test_await (cut_written, first, DEADLINE_MS));
  lan_messenger_cancel_transfer (fixture->bob, first);
  g_assert_cmpint (lan_file_transfer_get_state (first), ==, LAN_TRANSFER_CANCELLED);
  lan_test_drain ();
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics.part/\ndl/pics.part/a.txt\ndl/pics.part/c.txt\n"
                                "dl/pics.part/sub/\ndl/pics.part/sub/b.txt");
  age (fixture, "pics.part/a.txt");
  stat_in (fixture, "pics.part/a.txt", &a_before);

  second = lan_messenger_retry_transfer (fixture->bob, first, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (second), ==, LAN_TRANSFER_DONE);
  assert_three_files (fixture, "pics");
  stat_in (fixture, "pics/a.txt", &a_after);
  g_assert_cmpuint (a_after.st_ino, ==, a_before.st_ino);
  g_assert_cmpint (a_after.st_mtime, ==, 1000000000);
  g_clear_pointer (&listing, g_free);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics/\ndl/pics/a.txt\ndl/pics/c.txt\ndl/pics/sub/\ndl/pics/sub/b.txt");
}

typedef struct {
  LanFileTransfer *file;
  LanFileTransfer *folder;
  gsize            cut;
} Declined;

static gboolean
both_written (gpointer data)
{
  Declined *declined = data;

  return cut_written (declined->folder) && lan_file_transfer_get_done (declined->file) == declined->cut;
}

/* Declined while a file and a folder come: both end cancelled, and the
 * folder keeps its .part exactly as the file does. */
static void
test_folder_decline (Fixture       *fixture,
                     gconstpointer  data)
{
  gsize cut = 0;
  g_autoptr(GString) stream = three_files (&cut);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *part = NULL;
  g_autoptr(LanFileTransfer) file = NULL;
  g_autoptr(LanFileTransfer) folder = NULL;
  Declined declined = { NULL, NULL, cut };

  /* Every connection gets the broken stream: the file's bytes are the stream's. */
  fixture->hold = TRUE;
  add_reply (fixture, stream->str, cut);
  message = offer (fixture, "0:f.bin:10000:5f000000:1:\a1:pics:4e20:5f000000:2:\a");
  file = lan_messenger_fetch_file (fixture->bob, message, 0, fixture->downloads, NULL, &error);
  g_assert_no_error (error);
  folder = lan_messenger_fetch_file (fixture->bob, message, 1, fixture->downloads, NULL, &error);
  g_assert_no_error (error);
  declined.file = file;
  declined.folder = folder;
  g_assert_true (lan_test_await (both_written, &declined, DEADLINE_MS));
  lan_messenger_release_files (fixture->bob, message);
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_DECLINED);
  g_assert_cmpint (lan_file_transfer_get_state (file), ==, LAN_TRANSFER_CANCELLED);
  g_assert_cmpint (lan_file_transfer_get_state (folder), ==, LAN_TRANSFER_CANCELLED);
  lan_test_drain ();
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/f.bin.part\ndl/pics.part/\ndl/pics.part/a.txt\ndl/pics.part/c.txt\n"
                                "dl/pics.part/sub/\ndl/pics.part/sub/b.txt");
  part = contents (fixture, "f.bin.part");
  g_assert_cmpuint (strlen (part), ==, cut);
}

/* A .part replaced by a link before the retry: not followed, nothing
 * written where it points; the retry fails saying so. */
static void
test_folder_part_link (Fixture       *fixture,
                       gconstpointer  data)
{
  gsize cut = 0;
  g_autoptr(GString) stream = three_files (&cut);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *outside = lan_test_tmpdir_file (fixture->tmp, "outside");
  g_autofree char *part = g_build_filename (lan_test_tmpdir_get_path (fixture->tmp), "dl", "pics.part", NULL);
  g_autofree char *moved = g_build_filename (outside, "moved", NULL);
  g_autofree char *listing = NULL;
  g_autofree char *target = NULL;
  g_autofree char *c = NULL;

  add_reply (fixture, stream->str, cut);
  add_reply (fixture, stream->str, stream->len);
  message = offer (fixture, "0:pics:4e20:5f000000:2:\a");
  first = fetch (fixture, message, 0);
  assert_failed (first, "before the folder's end");
  g_assert_cmpint (g_mkdir (outside, 0700), ==, 0);
  g_assert_cmpint (g_rename (part, moved), ==, 0);
  g_assert_cmpint (symlink (moved, part), ==, 0);

  second = lan_messenger_retry_transfer (fixture->bob, first, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  assert_failed (second, "pics.part");
  g_assert_cmpuint (fixture->requests->len, ==, 1);
  target = g_file_read_link (part, NULL);
  g_assert_cmpstr (target, ==, moved);
  g_assert_cmpint (g_unlink (part), ==, 0);
  /* Where it pointed, the first try's files as they were, nothing more. */
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\noutside/\noutside/moved/\noutside/moved/a.txt\n"
                                "outside/moved/c.txt\noutside/moved/sub/\noutside/moved/sub/b.txt");
  c = contents (fixture, "../outside/moved/c.txt");
  g_assert_cmpuint (strlen (c), ==, C_CUT);
}

static gboolean
four_running (gpointer data)
{
  GListModel *transfers = data;
  guint running = 0;

  for (guint i = 0; i < g_list_model_get_n_items (transfers); i++)
    {
      g_autoptr(LanFileTransfer) transfer = g_list_model_get_item (transfers, i);

      running += lan_file_transfer_get_state (transfer) == LAN_TRANSFER_RUNNING;
    }
  return running == LAN_FETCH_MAX_PER_PEER;
}

static void
test_limit_per_peer (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GString) records = g_string_new (NULL);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(GPtrArray) transfers = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *all = lan_messenger_get_transfers (fixture->bob);
  g_autoptr(LanPacketLogEntry) release = NULL;
  guint waiting = 0;

  lan_messenger_set_fetch_timeouts (fixture->bob, 60000, 5000);
  fixture->hold = TRUE;
  add_reply (fixture, "x", 1);
  for (guint i = 0; i < LAN_FETCH_MAX_PER_PEER + 2; i++)
    g_string_append_printf (records, "%u:f%u:64:5f000000:1:\a", i, i);
  message = offer (fixture, records->str);
  for (guint i = 0; i < LAN_FETCH_MAX_PER_PEER + 2; i++)
    {
      g_autoptr(GError) error = NULL;
      LanFileTransfer *transfer = lan_messenger_fetch_file (fixture->bob, message, i, fixture->downloads,
                                                            NULL, &error);

      g_assert_no_error (error);
      g_ptr_array_add (transfers, transfer);
    }
  g_assert_true (lan_test_await (four_running, all, DEADLINE_MS));
  for (guint i = 0; i < transfers->len; i++)
    waiting += lan_file_transfer_get_state (g_ptr_array_index (transfers, i)) == LAN_TRANSFER_WAITING;
  g_assert_cmpuint (waiting, ==, 2);
  g_assert_cmpuint (fixture->connections, <=, LAN_FETCH_MAX_PER_PEER);

  /* One ends: the next one starts. */
  lan_messenger_cancel_transfer (fixture->bob, g_ptr_array_index (transfers, 0));
  g_assert_cmpint (lan_file_transfer_get_state (g_ptr_array_index (transfers, 0)), ==, LAN_TRANSFER_CANCELLED);
  g_assert_true (lan_test_await (four_running, all, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (g_ptr_array_index (transfers, 4)), ==, LAN_TRANSFER_RUNNING);
  g_assert_cmpint (lan_file_transfer_get_state (g_ptr_array_index (transfers, 5)), ==, LAN_TRANSFER_WAITING);

  /* Declined with nothing fetched: every one ends, the sender is told. */
  lan_messenger_release_files (fixture->bob, message);
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_DECLINED);
  for (guint i = 0; i < transfers->len; i++)
    g_assert_cmpint (lan_file_transfer_get_state (g_ptr_array_index (transfers, i)), ==, LAN_TRANSFER_CANCELLED);
  release = log_row (fixture, 0, LAN_IPMSG_RELEASEFILES);
  g_assert_nonnull (release);
}

static gboolean
sixteen_running (gpointer data)
{
  GListModel *transfers = data;
  guint running = 0;

  for (guint i = 0; i < g_list_model_get_n_items (transfers); i++)
    {
      g_autoptr(LanFileTransfer) transfer = g_list_model_get_item (transfers, i);

      running += lan_file_transfer_get_state (transfer) == LAN_TRANSFER_RUNNING;
    }
  return running == LAN_FETCH_MAX_TOTAL;
}

/* Five senders, four files each: sixteen run, the others wait. */
static void
test_limit_total (Fixture       *fixture,
                  gconstpointer  data)
{
  GListModel *all = lan_messenger_get_transfers (fixture->bob);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  const char *records = "0:a:64:0:1:\a1:b:64:0:1:\a2:c:64:0:1:\a3:d:64:0:1:\a";
  guint waiting = 0;

  G_STATIC_ASSERT (LAN_FETCH_MAX_PER_PEER * (G_N_ELEMENTS (others) + 1) > LAN_FETCH_MAX_TOTAL);
  lan_messenger_set_fetch_timeouts (fixture->bob, 60000, 5000);
  fixture->hold = TRUE;
  add_reply (fixture, "x", 1);
  g_ptr_array_add (messages, offer (fixture, records));
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    g_ptr_array_add (messages, offer_from (fixture, fixture->other_udp[i], records));
  for (guint m = 0; m < messages->len; m++)
    for (guint64 id = 0; id < LAN_FETCH_MAX_PER_PEER; id++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(LanFileTransfer) transfer = NULL;
        g_autofree char *folder_name = g_strdup_printf ("%u", m);
        g_autoptr(GFile) folder = g_file_get_child (fixture->downloads, folder_name);

        g_file_make_directory (folder, NULL, NULL);
        transfer = lan_messenger_fetch_file (fixture->bob, g_ptr_array_index (messages, m), id, folder,
                                             NULL, &error);
        g_assert_no_error (error);
      }
  g_assert_true (lan_test_await (sixteen_running, all, DEADLINE_MS));
  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(LanFileTransfer) transfer = g_list_model_get_item (all, i);

      waiting += lan_file_transfer_get_state (transfer) == LAN_TRANSFER_WAITING;
    }
  g_assert_cmpuint (waiting, ==, LAN_FETCH_MAX_PER_PEER * messages->len - LAN_FETCH_MAX_TOTAL);
  g_assert_cmpuint (fixture->connections, <=, LAN_FETCH_MAX_TOTAL);
}

/* Offsets past 4 GiB: a resume of a 5 GiB file asks for the rest in 64 bits. */
static void
test_resume_past_4gib (Fixture       *fixture,
                       gconstpointer  data)
{
  const guint64 size = G_GUINT64_CONSTANT (0x140000010);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *part = g_build_filename (lan_test_tmpdir_get_path (fixture->tmp), "dl", "big.bin.part", NULL);
  g_autofree char *final = g_build_filename (lan_test_tmpdir_get_path (fixture->tmp), "dl", "big.bin", NULL);
  g_autofree char *listing = NULL;
  char tail[17] = { 0 };
  GStatBuf st;
  FILE *in;
  g_autofree char *rest = g_malloc0 (LAN_FETCH_RESUME_CHECK_BYTES + 16);


  /* The sparse .part ends in zeros: those come again, then the rest. */
  memcpy (rest + LAN_FETCH_RESUME_CHECK_BYTES, "0123456789abcdef", 16);
  add_reply (fixture, "", 0);
  add_reply (fixture, rest, LAN_FETCH_RESUME_CHECK_BYTES + 16);
  message = offer (fixture, "0:big.bin:140000010:5f000000:1:\a");
  first = fetch (fixture, message, 0);
  assert_failed (first, "after 0 of the 5368709136 bytes");
  g_assert_cmpint (truncate (part, (off_t) (size - 16)), ==, 0);  /* sparse: no disk used */

  second = lan_messenger_retry_transfer (fixture->bob, first, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (second), ==, LAN_TRANSFER_DONE);
  g_assert_cmpstr (g_ptr_array_index (fixture->requests, 1), ==, "1234:0:13ffff000");
  g_assert_cmpuint (lan_file_transfer_get_done (second), ==, size);
  g_assert_cmpint (g_stat (final, &st), ==, 0);
  g_assert_cmpuint ((guint64) st.st_size, ==, size);
  in = fopen (final, "rb");
  g_assert_nonnull (in);
  g_assert_cmpint (fseeko (in, (off_t) (size - 16), SEEK_SET), ==, 0);
  g_assert_cmpuint (fread (tail, 1, 16, in), ==, 16);
  fclose (in);
  g_assert_cmpstr (tail, ==, "0123456789abcdef");
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/big.bin");
}

/* A link where the file would go is not followed, nor replaced. */
static void
test_symlink_not_followed (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autofree char *outside = lan_test_tmpdir_file (fixture->tmp, "outside");
  g_autofree char *link = g_build_filename (lan_test_tmpdir_get_path (fixture->tmp), "dl", "hello.txt", NULL);
  g_autofree char *target = NULL;
  g_autofree char *text = NULL;
  g_autofree char *saved_as = NULL;

  g_assert_cmpint (symlink (outside, link), ==, 0);
  add_reply (fixture, "hello world", 11);
  message = offer (fixture, "0:hello.txt:b:5f000000:1:\a");
  transfer = fetch (fixture, message, 0);
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  g_assert_false (g_file_test (outside, G_FILE_TEST_EXISTS));
  target = g_file_read_link (link, NULL);
  g_assert_cmpstr (target, ==, outside);
  saved_as = g_file_get_basename (lan_file_transfer_get_file (transfer));
  g_assert_cmpstr (saved_as, ==, "hello (1).txt");
  text = contents (fixture, "hello (1).txt");
  g_assert_cmpstr (text, ==, "hello world");
  g_assert_cmpint (g_unlink (link), ==, 0);
}

/* Whether this process has a mount namespace of its own (made in main()
 * before any thread), where a small tmpfs can stand in for a full disk. */
static gboolean own_mounts;

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autofree char *dl = g_file_get_path (fixture->downloads);
  g_autofree char *part = g_build_filename (dl, "big.bin.part", NULL);
  g_autofree char *final = g_build_filename (dl, "big.bin", NULL);
  g_autofree char *bytes = g_strnfill (1024 * 1024, 'z');
  GStatBuf st;

  if (!own_mounts || mount ("tmpfs", dl, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0700") != 0)
    {
      g_test_skip ("no mount namespace of our own for a small tmpfs");
      return;
    }
  add_reply (fixture, bytes, 1024 * 1024);
  message = offer (fixture, "0:big.bin:100000:5f000000:1:\a");
  transfer = fetch (fixture, message, 0);
  assert_failed (transfer, "The disk is full");
  g_assert_nonnull (strstr (lan_file_transfer_get_error (transfer), "kept to resume"));
  g_assert_cmpint (g_stat (part, &st), ==, 0);
  g_assert_cmpuint ((guint64) st.st_size, <, 1024 * 1024);
  g_assert_false (g_file_test (final, G_FILE_TEST_EXISTS));
  g_assert_cmpint (umount2 (dl, MNT_DETACH), ==, 0);
}

static gboolean
offer_done (gpointer data)
{
  return lan_message_get_offer_state (data) == LAN_OFFER_DONE;
}

/* Lanchat to Lanchat: a file and a folder offered by one engine, fetched
 * by the other, released; both sides see the offer done. */
static void
test_between_engines (void)
{
  g_autoptr(LanTestTmpdir) tmp = lan_test_tmpdir_new ("lanchat-fetch-e2e");
  g_autofree char *src = lan_test_tmpdir_file (tmp, "src");
  g_autofree char *photos = g_build_filename (src, "photos", NULL);
  g_autofree char *sub = g_build_filename (photos, "子目录", NULL);
  g_autofree char *dl = lan_test_tmpdir_file (tmp, "dl");
  g_autofree char *report_path = g_build_filename (src, "报告 1.txt", NULL);
  g_autoptr(GFile) report = g_file_new_for_path (report_path);
  g_autoptr(GFile) folder = g_file_new_for_path (photos);
  g_autoptr(GFile) downloads = g_file_new_for_path (dl);
  GFile *files[] = { report, folder };
  const char *to_bob[] = { BOB, NULL };
  const char *to_alice[] = { SENDER, NULL };
  LanTestEngineOptions alice_options = { .user_name = "alice", .answer_delay_max_ms = 20, .targets = to_bob };
  LanTestEngineOptions bob_options = { .user_name = "bob", .answer_delay_max_ms = 20, .targets = to_alice };
  LanMessenger *alice = NULL;
  LanMessenger *bob = NULL;
  g_autoptr(LanTestSignal) received = NULL;
  g_autoptr(LanPeer) bob_peer = NULL;
  g_autoptr(LanMessage) sent = NULL;
  g_autoptr(LanMessage) offered = NULL;
  g_autoptr(LanFileTransfer) first = NULL;
  g_autoptr(LanFileTransfer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *b = NULL;
  g_autofree char *a_path = g_build_filename (dl, "photos", "a.bin", NULL);
  g_autofree char *b_path = g_build_filename (dl, "photos", "子目录", "b.txt", NULL);
  g_autofree char *report_copy = g_build_filename (dl, "报告 1.txt", NULL);
  g_autofree char *a = NULL;
  gsize a_len = 0;
  guint n_args = 0;
  const GValue *args;
  GPtrArray *records;

  g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (dl, 0700), ==, 0);
  write_file (src, "报告 1.txt", "the report");
  write_file (photos, "a.bin", "0123456789abcdef");
  write_file (sub, "b.txt", "inner");

  alice = lan_test_engine_new_udp (SENDER, &alice_options);
  bob = lan_test_engine_new_udp (BOB, &bob_options);
  received = lan_test_signal_watch (bob, "message-received");
  bob_peer = lan_test_engine_await_peer (alice, BOB ":2425", DEADLINE_MS);
  g_assert_nonnull (bob_peer);
  g_object_ref (bob_peer);
  sent = lan_messenger_send_files (alice, bob_peer, "", files, G_N_ELEMENTS (files), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lan_test_signal_await (received, 1, DEADLINE_MS), ==, 1);
  args = lan_test_signal_last_args (received, &n_args);
  offered = g_value_dup_object (&args[1]);
  records = lan_message_get_files (offered);
  g_assert_nonnull (records);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (((LanIpmsgFile *) g_ptr_array_index (records, 0))->name, ==, "报告 1.txt");
  g_assert_cmpstr (((LanIpmsgFile *) g_ptr_array_index (records, 1))->name, ==, "photos");

  first = lan_messenger_fetch_file (bob, offered, ((LanIpmsgFile *) g_ptr_array_index (records, 0))->file_id,
                                    downloads, NULL, &error);
  g_assert_no_error (error);
  second = lan_messenger_fetch_file (bob, offered, ((LanIpmsgFile *) g_ptr_array_index (records, 1))->file_id,
                                     downloads, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await (finished, first, DEADLINE_MS));
  g_assert_true (lan_test_await (finished, second, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (first), ==, LAN_TRANSFER_DONE);
  g_assert_cmpint (lan_file_transfer_get_state (second), ==, LAN_TRANSFER_DONE);
  g_assert_cmpuint (lan_file_transfer_get_files_done (second), ==, 2);
  g_assert_true (g_file_get_contents (report_copy, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "the report");
  g_assert_true (g_file_get_contents (a_path, &a, &a_len, NULL));
  g_assert_cmpmem (a, a_len, "0123456789abcdef", 16);
  g_assert_true (g_file_get_contents (b_path, &b, NULL, NULL));
  g_assert_cmpstr (b, ==, "inner");

  /* Everything fetched: released, and the sender hears it. */
  g_assert_cmpint (lan_message_get_offer_state (offered), ==, LAN_OFFER_DONE);
  g_assert_true (lan_test_await (offer_done, sent, DEADLINE_MS));

  g_clear_object (&first);
  g_clear_object (&second);
  lan_test_engine_stop (&bob);
  lan_test_engine_stop (&alice);
  lan_test_drain ();
}

static const Hostile hostile_names[] = {
  { "../evil", 0, "Refused" },
  { "a/b", 0, "Refused" },
  { "/tmp/evil", 0, "Refused" },
  { "..", 0, "Refused" },
  { "a\\b", 0, "Refused" },
  { "a\001b", 0, "Refused" },
  { "CON", 0, "Refused" },
  { "nul.txt", 0, "Refused" },
  { "a\0b", 3, "unreadable" },
};

int
main (int   argc,
      char *argv[])
{
  g_autofree char *long_name = g_strnfill (300, 'x');
  Hostile too_long = { long_name, 0, "Refused" };

  /* First, while there is one thread: a private mount namespace, whose
   * mounts reach nobody else. */
  own_mounts = unshare (CLONE_NEWNS) == 0 && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/fetch/file", test_file, NULL);
  ADD ("/fetch/file-bigger-than-buffers", test_file_bigger_than_buffers, NULL);
  ADD ("/fetch/file-slow-disk", test_file_slow_disk, NULL);
  ADD ("/fetch/no-overwrite", test_no_overwrite, NULL);
  ADD ("/fetch/resume", test_resume, NULL);
  ADD ("/fetch/resume-checked", test_resume_checked, NULL);
  ADD ("/fetch/resume-sender-ignores-offset", test_resume_checked, "ignores");
  ADD ("/fetch/lying-sizes", test_lying_sizes, NULL);
  ADD ("/fetch/stall", test_stall, NULL);
  ADD ("/fetch/offer-name-refused", test_offer_name_refused, NULL);
  ADD ("/fetch/folder", test_folder, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_names); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fetch/folder-hostile/%u", i);

      ADD (path, test_folder_hostile_name, &hostile_names[i]);
    }
  ADD ("/fetch/folder-hostile/too-long", test_folder_hostile_name, &too_long);
  ADD ("/fetch/folder-climb/before", test_folder_climb, NULL);
  ADD ("/fetch/folder-climb/after", test_folder_climb, "after");
  ADD ("/fetch/folder-too-deep", test_folder_too_deep, NULL);
  ADD ("/fetch/folder-lying-size", test_folder_lying_size, NULL);
  ADD ("/fetch/folder-engine-gone", test_folder_engine_gone, NULL);
  ADD ("/fetch/folder-resume", test_folder_resume, NULL);
  ADD ("/fetch/folder-resume-changed", test_folder_resume_changed, NULL);
  ADD ("/fetch/folder-resume-prunes", test_folder_resume_prunes, NULL);
  ADD ("/fetch/folder-resume-new-offer", test_folder_resume_new_offer, NULL);
  ADD ("/fetch/folder-resume-changing", test_folder_resume_changing, NULL);
  ADD ("/fetch/folder-part-taken", test_folder_part_taken, NULL);
  ADD ("/fetch/folder-cancel", test_folder_cancel, NULL);
  ADD ("/fetch/folder-decline", test_folder_decline, NULL);
  ADD ("/fetch/folder-part-link", test_folder_part_link, NULL);
  ADD ("/fetch/limit-per-peer", test_limit_per_peer, NULL);
  ADD ("/fetch/limit-total", test_limit_total, NULL);
  ADD ("/fetch/resume-past-4gib", test_resume_past_4gib, NULL);
  ADD ("/fetch/symlink-not-followed", test_symlink_not_followed, NULL);
  ADD ("/fetch/disk-full", test_disk_full, NULL);
  g_test_add_func ("/fetch/between-engines", test_between_engines);
#undef ADD

  return g_test_run ();
}

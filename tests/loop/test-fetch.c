/* test-fetch.c — fetching offers made to us over TCP, from a scripted sender.
 *
 * One engine (bob, 127.0.0.3) and a sender that is this test: a UDP socket
 * on 127.0.0.2:2425 that makes the offer and a GSocketService on the same
 * address and port that answers each request with the bytes a test chose,
 * hostile ones included. Inside a loopback-only namespace (tests/isolated.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

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
#define BOB        "127.0.0.3"
#define OFFER_NO   0x1234
#define DEADLINE_MS 10000

typedef struct {
  LanTestTmpdir  *tmp;
  GFile          *downloads;
  LanMessenger   *bob;
  LanTestSignal  *received;
  GSocket        *udp;
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
  g_signal_connect (fixture->service, "incoming", G_CALLBACK (incoming), fixture);
  g_socket_service_start (fixture->service);

  fixture->bob = lan_test_engine_new_udp (BOB, &options);
  fixture->received = lan_test_signal_watch (fixture->bob, "message-received");
  lan_messenger_set_fetch_timeouts (fixture->bob, 400, 2000);
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

/* The sender offers @records (already in the record syntax) to bob; returns the message bob shows. */
static LanMessage *
offer (Fixture    *fixture,
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
  datagram = lan_test_craft ("1", OFFER_NO, "alice", "box",
                             LAN_IPMSG_SENDMSG | LAN_IPMSG_SENDCHECKOPT | LAN_IPMSG_FILEATTACHOPT | LAN_IPMSG_UTF8OPT,
                             extra->data, extra->len);
  g_assert_cmpint (g_socket_send_to (fixture->udp, bob, g_bytes_get_data (datagram, NULL),
                                     g_bytes_get_size (datagram), NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (lan_test_signal_await (fixture->received, 1, DEADLINE_MS), ==, 1);
  args = lan_test_signal_last_args (fixture->received, &n_args);
  g_assert_cmpuint (n_args, ==, 2);
  g_assert_nonnull (lan_message_get_files (g_value_get_object (&args[1])));
  return g_value_dup_object (&args[1]);
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
  add_reply (fixture, " world", 6);
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
  g_assert_cmpstr (g_ptr_array_index (fixture->requests, 1), ==, "1234:0:5");
  g_assert_cmpuint (lan_file_transfer_get_done (second), ==, 11);
  text = contents (fixture, "hello.txt");
  g_assert_cmpstr (text, ==, "hello world");
  g_clear_pointer (&listing, g_free);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/hello.txt");
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_DONE);
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
  leave (stream);
  leave (stream);
  transfer = fetch_folder (fixture, stream);
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_DONE);
  g_assert_cmpstr (g_ptr_array_index (fixture->requests, 0), ==, "1234:0");
  g_assert_cmpuint (lan_file_transfer_get_files_done (transfer), ==, 3);
  g_assert_cmpuint (lan_file_transfer_get_done (transfer), ==, 13);
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics/\ndl/pics/a.txt\ndl/pics/sub/\ndl/pics/sub/b.txt\ndl/pics/sub/empty");
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
  /* Nothing but the partial folder, and nothing in it. */
  listing = tree (fixture);
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics.part/");
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
  g_assert_cmpstr (listing, ==, "dl/\ndl/pics.part/");
}

static void
test_folder_too_deep (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(LanFileTransfer) transfer = NULL;
  g_autofree char *listing = NULL;
  g_auto(GStrv) lines = NULL;

  enter (stream, "pics");
  for (guint i = 0; i < LAN_DIR_STREAM_MAX_DEPTH + 5; i++)
    enter (stream, "d");
  transfer = fetch_folder (fixture, stream);
  assert_failed (transfer, "unreadable");
  listing = tree (fixture);
  lines = g_strsplit (listing, "\n", -1);
  /* Nested no deeper than the bound, all inside the partial folder. */
  g_assert_cmpuint (g_strv_length (lines), <=, LAN_DIR_STREAM_MAX_DEPTH + 1);
  for (guint i = 1; lines[i] != NULL; i++)
    g_assert_true (g_str_has_prefix (lines[i], "dl/pics.part/"));
}

static void
test_folder_lying_size (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(LanFileTransfer) transfer = NULL;

  enter (stream, "pics");
  header (stream, "a.txt", 5, 100, LAN_IPMSG_FILE_REGULAR);
  g_string_append (stream, "only ten b");
  transfer = fetch_folder (fixture, stream);
  assert_failed (transfer, "before the folder's end");
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

  lan_messenger_set_fetch_timeouts (fixture->bob, 60000, 2000);
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

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/fetch/file", test_file, NULL);
  ADD ("/fetch/no-overwrite", test_no_overwrite, NULL);
  ADD ("/fetch/resume", test_resume, NULL);
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
  ADD ("/fetch/limit-per-peer", test_limit_per_peer, NULL);
#undef ADD

  return g_test_run ();
}

/* test-files-serve.c — our offers served over TCP, as a fetcher sees them.
 *
 * Alice (127.0.0.2) offers files and folders to bob (127.0.0.3, a real
 * engine, so that the offer is acknowledged); the test then fetches them
 * with a plain socket from bob's address, and from others, the way iptux
 * and IP Messenger do: one IPMsg packet, then read to the end.
 *
 * Engines on 127.0.0.x inside a loopback-only namespace (tests/isolated.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#include "lan-bounds.h"
#include "lan-dir-stream.h"
#include "lan-ipmsg.h"
#include "lan-messenger-files.h"
#include "lan-messenger-private.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define DEADLINE_MS 10000

typedef struct {
  LanTestTmpdir *dir;
  LanMessenger  *alice;
  LanMessenger  *bob;
  LanPeer       *bob_peer;  /* alice's entry for bob */
} Fixture;

static LanMessenger *
engine (const char *address,
        const char *user,
        const char *target)
{
  const char *targets[] = { target, NULL };
  LanTestEngineOptions options = {
    .user_name = user,
    .host_name = "lab",
    .nickname = user,
    .answer_delay_max_ms = 20,
    .retry_initial_ms = 50,
    .retry_budget_ms = 2000,
    .targets = targets,
  };

  return lan_test_engine_new_udp (address, &options);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = lan_test_tmpdir_new ("lanchat-serve");
  f->alice = engine ("127.0.0.2", "alice", "127.0.0.3");
  f->bob = engine ("127.0.0.3", "bob", "127.0.0.2");
  f->bob_peer = lan_test_engine_await_peer (f->alice, "127.0.0.3:2425", DEADLINE_MS);
  g_assert_nonnull (f->bob_peer);
  g_object_ref (f->bob_peer);
  g_assert_true (lan_file_server_is_listening (f->alice->file_server));
}

/* As where sendfile(2) is missing: every byte through the server's buffer. */
static void
fixture_set_up_buffered (Fixture       *f,
                         gconstpointer  data)
{
  fixture_set_up (f, data);
  lan_file_server_set_sendfile (f->alice->file_server, FALSE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->bob_peer);
  lan_test_engine_stop (&f->bob);
  lan_test_engine_stop (&f->alice);
  lan_test_tmpdir_free (f->dir);
}

/* ── a fetcher in a thread (the engine serves on this thread's loop) ────── */

typedef struct {
  char       *from;       /* local address to connect from */
  GBytes     *request;
  GByteArray *received;
  char       *error;
  gboolean    keep_open;  /* hand the connection over instead of closing it */
  GSocketConnection *kept;
  gint        done;
  /* With pause_after > 0: stop reading after that many bytes until resumed. */
  gsize       pause_after;
  GMutex      lock;
  GCond       cond;
  gboolean    paused;
  gboolean    resume;
} Fetch;

static gpointer
fetch_thread (gpointer data)
{
  Fetch *fetch = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GInetAddress) from = g_inet_address_new_from_string (fetch->from);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (from, 0);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  guint8 buffer[65536];

  g_socket_client_set_local_address (client, local);
  g_socket_client_set_timeout (client, 20);
  connection = g_socket_client_connect_to_host (client, "127.0.0.2:2425", 0, NULL, &error);
  if (connection == NULL ||
      !g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                  g_bytes_get_data (fetch->request, NULL), g_bytes_get_size (fetch->request),
                                  NULL, NULL, &error))
    goto out;
  for (;;)
    {
      gssize n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                      buffer, sizeof buffer, NULL, &error);

      if (n <= 0)
        break;
      g_byte_array_append (fetch->received, buffer, (guint) n);
      if (fetch->pause_after > 0 && fetch->received->len >= fetch->pause_after)
        {
          fetch->pause_after = 0;
          g_mutex_lock (&fetch->lock);
          fetch->paused = TRUE;
          while (!fetch->resume)
            g_cond_wait (&fetch->cond, &fetch->lock);
          g_mutex_unlock (&fetch->lock);
        }
    }
out:
  if (error != NULL)
    fetch->error = g_strdup (error->message);
  if (fetch->keep_open)
    fetch->kept = g_steal_pointer (&connection);
  g_atomic_int_set (&fetch->done, 1);
  return NULL;
}

static gboolean
fetch_done (gpointer data)
{
  return g_atomic_int_get (&((Fetch *) data)->done) != 0;
}

/* What @from gets for @request (whole, NUL included or not); *@error:
 * how the connection broke, if it did (NULL: that is a failure). */
static GBytes *
fetch_raw_full (const char  *from,
                GBytes      *request,
                char       **error)
{
  Fetch fetch = { g_strdup (from), request, g_byte_array_new (), NULL, FALSE, NULL, 0, 0 };
  GThread *thread = g_thread_new ("fetch", fetch_thread, &fetch);

  g_assert_true (lan_test_await (fetch_done, &fetch, 3 * DEADLINE_MS));
  g_thread_join (thread);
  if (error != NULL)
    *error = fetch.error;
  else
    g_assert_null (fetch.error);
  g_free (fetch.from);
  return g_byte_array_free_to_bytes (fetch.received);
}

static GBytes *
fetch_raw (const char *from,
           GBytes     *request)
{
  return fetch_raw_full (from, request, NULL);
}

static GBytes *
request (guint32     command,
         const char *extra,
         gboolean    with_nul)
{
  return lan_test_craft ("1_iptux 0.8.3", 42, "bob", "lab", command, extra, strlen (extra) + (with_nul ? 1 : 0));
}

static GBytes *
fetch_file (const char *from,
            guint64     packet_no,
            guint64     file_id,
            guint64     offset,
            gboolean    with_nul)
{
  g_autofree char *extra = g_strdup_printf ("%" G_GINT64_MODIFIER "x:%" G_GINT64_MODIFIER "x:%"
                                            G_GINT64_MODIFIER "x", packet_no, file_id, offset);
  g_autoptr(GBytes) req = request (LAN_IPMSG_GETFILEDATA, extra, with_nul);

  return fetch_raw (from, req);
}

/* ── helpers ────────────────────────────────────────────────────────────── */

static GBytes *
random_bytes (gsize size)
{
  guint8 *data = g_malloc (size);
  GRand *rand = g_rand_new_with_seed ((guint32) size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  return g_bytes_new_take (data, size);
}

static GFile *
write_file (const char *path,
            GBytes     *contents)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (contents, NULL),
                                      (gssize) g_bytes_get_size (contents), &error));
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static int
truncate_file (const char *path,
               gsize       size)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, NULL);

  if (out == NULL || !g_seekable_truncate (G_SEEKABLE (out), (goffset) size, NULL, NULL))
    return -1;
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL) ? 0 : -1;
}

static gboolean
delivered (gpointer data)
{
  return lan_message_get_state (data) == LAN_MESSAGE_DELIVERED;
}

static LanMessage *
offer (Fixture *f,
       GFile  **files,
       guint    n_files)
{
  g_autoptr(GError) error = NULL;
  LanMessage *message = lan_messenger_send_files (f->alice, f->bob_peer, "for you", files, n_files, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_OPEN);
  g_assert_true (lan_test_await (delivered, message, DEADLINE_MS));
  return message;
}

typedef struct {
  LanMessenger *messenger;
  LanVerdict    verdict;
  const char   *detail;    /* a part of it */
  guint         flags;
  guint64       after;     /* log rows numbered above this only */
} RowWait;

/* @want is found in @detail; a '*' in it stands for any text. */
static gboolean
detail_matches (const char *detail,
                const char *want)
{
  g_autofree char *pattern = g_strconcat ("*", want, "*", NULL);

  return g_pattern_match_simple (pattern, detail);
}

static gboolean
row_logged (gpointer data)
{
  RowWait *wait = data;
  LanPacketLog *log = lan_messenger_get_packet_log (wait->messenger);
  guint n;

  lan_packet_log_flush (log);
  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LanPacketLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      const char *detail = lan_packet_log_entry_get_detail (entry);

      if (lan_packet_log_entry_get_number (entry) > wait->after &&
          (lan_packet_log_entry_get_flags (entry) & wait->flags) == wait->flags &&
          lan_packet_log_entry_get_verdict (entry) == wait->verdict &&
          detail != NULL && detail_matches (detail, wait->detail))
        return TRUE;
    }
  return FALSE;
}

static guint64
log_total (LanMessenger *messenger)
{
  return lan_packet_log_get_total (lan_messenger_get_packet_log (messenger));
}

static void
assert_row (LanMessenger *messenger,
            guint64       after,
            guint         flags,
            LanVerdict    verdict,
            const char   *detail)
{
  RowWait wait = { messenger, verdict, detail, flags, after };

  if (!lan_test_await (row_logged, &wait, DEADLINE_MS))
    g_error ("no log row with verdict %s and “%s”", lan_verdict_to_string (verdict), detail);
}

static guint
count_transfers (LanMessenger     *messenger,
                 LanTransferState  state)
{
  GListModel *transfers = lan_messenger_get_transfers (messenger);
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (transfers); i++)
    {
      g_autoptr(LanFileTransfer) t = g_list_model_get_item (transfers, i);

      if (lan_file_transfer_get_kind (t) == LAN_TRANSFER_SERVE && lan_file_transfer_get_state (t) == state)
        count++;
    }
  return count;
}

typedef struct {
  LanMessenger     *messenger;
  LanTransferState  state;
  guint             count;
} TransferWait;

static gboolean
transfers_reached (gpointer data)
{
  TransferWait *wait = data;

  return count_transfers (wait->messenger, wait->state) >= wait->count;
}

static void
send_release (const char *from,
              guint64     packet_no)
{
  g_autofree char *extra = g_strdup_printf ("%" G_GUINT64_FORMAT, packet_no);
  g_autoptr(GBytes) datagram = lan_test_craft ("1", 77, "bob", "lab", LAN_IPMSG_RELEASEFILES, extra,
                                               strlen (extra) + 1);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) local = g_inet_address_new_from_string (from);
  g_autoptr(GSocketAddress) bind_to = g_inet_socket_address_new (local, 0);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new_from_string ("127.0.0.2", 2425);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (socket);
  g_assert_true (g_socket_bind (socket, bind_to, TRUE, &error));
  g_assert_cmpint (g_socket_send_to (socket, to, g_bytes_get_data (datagram, NULL),
                                     g_bytes_get_size (datagram), NULL, &error), ==,
                   (gssize) g_bytes_get_size (datagram));
  g_assert_no_error (error);
}

static gboolean
offer_state_is (LanMessage    *message,
                LanOfferState  state)
{
  return lan_message_get_offer_state (message) == state;
}

static gboolean
offer_ended (gpointer data)
{
  return lan_message_get_offer_state (data) != LAN_OFFER_OPEN;
}

/* ── tests ──────────────────────────────────────────────────────────────── */

static void
test_serve_file (Fixture       *f,
                 gconstpointer  data)
{
  /* Larger than the server's buffer, and not a multiple of it. */
  g_autoptr(GBytes) contents = random_bytes (3 * 256 * 1024 + 12345);
  g_autofree char *path = lan_test_tmpdir_file (f->dir, "report: final.bin");
  g_autoptr(GFile) file = write_file (path, contents);
  g_autoptr(LanMessage) message = offer (f, &file, 1);
  guint64 packet_no = lan_message_get_packet_no (message);
  GPtrArray *records = lan_message_get_files (message);
  const LanIpmsgFile *record;
  g_autoptr(GBytes) whole = NULL;
  g_autoptr(GBytes) tail = NULL;
  g_autoptr(GBytes) tail_expected = NULL;
  TransferWait two_done = { f->alice, LAN_TRANSFER_DONE, 2 };
  guint64 before = log_total (f->alice);

  g_assert_nonnull (records);
  g_assert_cmpuint (records->len, ==, 1);
  record = g_ptr_array_index (records, 0);
  g_assert_cmpstr (record->name, ==, "report: final.bin");
  g_assert_cmpuint (record->size, ==, g_bytes_get_size (contents));
  g_assert_cmpuint (record->attr & 0xff, ==, LAN_IPMSG_FILE_REGULAR);

  /* From the start, as iptux asks (packet and NUL). */
  whole = fetch_file ("127.0.0.3", packet_no, record->file_id, 0, TRUE);
  g_assert_true (g_bytes_equal (whole, contents));
  /* Resumed from an offset, the request without a NUL. */
  tail = fetch_file ("127.0.0.3", packet_no, record->file_id, 500001, FALSE);
  tail_expected = g_bytes_new_from_bytes (contents, 500001, g_bytes_get_size (contents) - 500001);
  g_assert_true (g_bytes_equal (tail, tail_expected));

  g_assert_true (lan_test_await (transfers_reached, &two_done, DEADLINE_MS));
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_OK, "from byte 0");
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_OK, "from byte 500001");
  assert_row (f->alice, before, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, LAN_VERDICT_OK, "798777 bytes in * ms, done");
  assert_row (f->alice, before, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, LAN_VERDICT_OK, "298776 bytes in * ms, done");
  g_assert_cmpint (lan_message_get_offer_state (message), ==, LAN_OFFER_OPEN);
}

/* Past 4 GiB: the size in the record and the offset in the request are
 * 64-bit. A sparse file: only its last bytes are real. */
static void
test_serve_large_offset (Fixture       *f,
                         gconstpointer  data)
{
  const guint64 hole = G_GUINT64_CONSTANT (5) << 30;
  g_autoptr(GBytes) end = random_bytes (100 * 1024);
  g_autofree char *path = lan_test_tmpdir_file (f->dir, "huge.img");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = g_file_create (file, G_FILE_CREATE_NONE, NULL, NULL);
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(GBytes) got = NULL;
  const LanIpmsgFile *record;

  g_assert_nonnull (out);
  g_assert_true (g_seekable_seek (G_SEEKABLE (out), (goffset) hole, G_SEEK_SET, NULL, NULL));
  g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (out), g_bytes_get_data (end, NULL),
                                            g_bytes_get_size (end), NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL));

  message = offer (f, &file, 1);
  record = g_ptr_array_index (lan_message_get_files (message), 0);
  g_assert_cmpuint (record->size, ==, hole + g_bytes_get_size (end));
  got = fetch_file ("127.0.0.3", lan_message_get_packet_no (message), 0, hole, FALSE);
  g_assert_true (g_bytes_equal (got, end));
}

static void
test_serve_empty_file (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autofree char *path = lan_test_tmpdir_file (f->dir, "empty");
  g_autoptr(GFile) file = write_file (path, empty);
  g_autoptr(LanMessage) message = offer (f, &file, 1);
  g_autoptr(GBytes) got = fetch_file ("127.0.0.3", lan_message_get_packet_no (message), 0, 0, TRUE);

  g_assert_cmpuint (g_bytes_get_size (got), ==, 0);
  /* Served to its end (nothing): released, the offer is done. */
  send_release ("127.0.0.3", lan_message_get_packet_no (message));
  g_assert_true (lan_test_await (offer_ended, message, DEADLINE_MS));
  g_assert_true (offer_state_is (message, LAN_OFFER_DONE));
}

/* Folder trees as "path\tsize\tcontents-checksum" lines, sorted. */
static void
walk_local (GString    *out,
            const char *path,
            const char *relative)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_string_append_printf (out, "%s/\n", relative);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *child_relative = g_strdup_printf ("%s/%s", relative, name);

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        walk_local (out, child, child_relative);
      else
        {
          g_autofree char *contents = NULL;
          gsize len;
          g_autofree char *sum = NULL;

          g_assert_true (g_file_get_contents (child, &contents, &len, NULL));
          sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
          g_string_append_printf (out, "%s\t%zu\t%s\n", child_relative, len, sum);
        }
    }
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static char *
sort_text (GString *text)
{
  g_auto(GStrv) lines = g_strsplit (text->str, "\n", -1);

  qsort (lines, g_strv_length (lines), sizeof (char *), compare_strings);
  return g_strjoinv ("\n", lines);
}

/* The stream, read with the codec, as the same lines. */
static char *
walk_stream (GBytes *stream)
{
  g_autoptr(LanDirStreamParser) parser = lan_dir_stream_parser_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GChecksum) sum = NULL;
  const guint8 *data = g_bytes_get_data (stream, NULL);
  gsize len = g_bytes_get_size (stream);
  gsize at = 0;
  guint64 file_size = 0;
  g_autofree char *file_path = NULL;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gsize used = 0;
      LanDirEvent event = lan_dir_stream_parser_feed (parser, data + at, len - at, &used, &error);
      const LanDirEntry *entry = lan_dir_stream_parser_get_entry (parser);

      g_assert_no_error (error);
      switch (event)
        {
        case LAN_DIR_EVENT_ENTER:
          g_ptr_array_add (path, g_strdup (entry->name));
          {
            g_autofree char *joined = NULL;

            g_ptr_array_add (path, NULL);
            joined = g_strjoinv ("/", (char **) path->pdata);
            g_ptr_array_remove_index (path, path->len - 1);
            g_string_append_printf (out, "%s/\n", joined);
          }
          break;
        case LAN_DIR_EVENT_FILE:
          g_ptr_array_add (path, g_strdup (entry->name));
          g_ptr_array_add (path, NULL);
          g_free (file_path);
          file_path = g_strjoinv ("/", (char **) path->pdata);
          g_ptr_array_remove_index (path, path->len - 1);
          g_ptr_array_remove_index (path, path->len - 1);
          file_size = entry->size;
          g_clear_pointer (&sum, g_checksum_free);
          sum = g_checksum_new (G_CHECKSUM_SHA256);
          break;
        case LAN_DIR_EVENT_DATA:
          g_checksum_update (sum, data + at, used);
          break;
        case LAN_DIR_EVENT_FILE_END:
          g_string_append_printf (out, "%s\t%" G_GUINT64_FORMAT "\t%s\n", file_path, file_size,
                                  g_checksum_get_string (sum));
          break;
        case LAN_DIR_EVENT_LEAVE:
          g_assert_cmpuint (path->len, >, 0);
          g_ptr_array_remove_index (path, path->len - 1);
          break;
        case LAN_DIR_EVENT_END:
          g_assert_cmpuint (at + used, ==, len);
          return sort_text (out);
        case LAN_DIR_EVENT_NEED_MORE:
          g_error ("the stream ended early, after %zu of %zu bytes", at + used, len);
          break;
        case LAN_DIR_EVENT_OTHER:
        case LAN_DIR_EVENT_ERROR:
        default:
          g_error ("unexpected folder stream event %d", event);
        }
      at += used;
    }
}

static void
make_tree (const char *top,
           gsize       big)
{
  g_autofree char *sub = g_build_filename (top, "sub", NULL);
  g_autofree char *deeper = g_build_filename (sub, "deeper: still", NULL);
  g_autofree char *empty = g_build_filename (top, "empty", NULL);
  g_autofree char *a = g_build_filename (top, "a.txt", NULL);
  g_autofree char *b = g_build_filename (sub, "b.bin", NULL);
  g_autofree char *c = g_build_filename (deeper, "c", NULL);
  g_autofree char *z = g_build_filename (sub, "zero", NULL);
  g_autofree char *link = g_build_filename (top, "link-to-a", NULL);
  g_autofree char *dirlink = g_build_filename (sub, "up", NULL);
  g_autoptr(GBytes) b_contents = random_bytes (big);
  g_autoptr(GBytes) no_bytes = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("hello\n", 6);
  g_autoptr(GBytes) c_contents = random_bytes (4097);
  g_autoptr(GFile) fa = NULL, fb = NULL, fc = NULL, fz = NULL;

  g_assert_cmpint (g_mkdir_with_parents (deeper, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (empty, 0700), ==, 0);
  fa = write_file (a, text);
  fb = write_file (b, b_contents);
  fc = write_file (c, c_contents);
  fz = write_file (z, no_bytes);
  /* Links are not followed: neither the file nor the loop back up is sent. */
  g_assert_cmpint (symlink (a, link), ==, 0);
  g_assert_cmpint (symlink (top, dirlink), ==, 0);
}

static void
test_serve_folder (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *top = lan_test_tmpdir_file (f->dir, "folder");
  g_autoptr(GFile) folder = NULL;
  g_autoptr(LanMessage) message = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *expected_sorted = NULL;
  g_autofree char *got_sorted = NULL;
  g_autofree char *extra = NULL;
  g_autoptr(GBytes) req = NULL;
  g_autoptr(GBytes) stream = NULL;
  const LanIpmsgFile *record;
  TransferWait one_done = { f->alice, LAN_TRANSFER_DONE, 1 };
  guint64 before = log_total (f->alice);

  make_tree (top, 700 * 1024 + 3);
  folder = g_file_new_for_path (top);
  message = offer (f, &folder, 1);
  record = g_ptr_array_index (lan_message_get_files (message), 0);
  g_assert_cmpuint (record->attr & 0xff, ==, LAN_IPMSG_FILE_DIR);
  /* A folder announces the bytes of its files (iptux fetches none announced
   * as 0 bytes); the links are not counted, as they are not sent. */
  g_assert_cmpuint (record->size, ==, 6 + 700 * 1024 + 3 + 4097);

  /* iptux's form: packetID:fileID:0. */
  extra = g_strdup_printf ("%" G_GINT64_MODIFIER "x:%" G_GINT64_MODIFIER "x:0",
                           lan_message_get_packet_no (message), record->file_id);
  req = request (LAN_IPMSG_GETDIRFILES, extra, TRUE);
  stream = fetch_raw ("127.0.0.3", req);
  g_assert_cmpuint (g_bytes_get_size (stream), >, 700 * 1024);

  walk_local (expected, top, "folder");
  expected_sorted = sort_text (expected);
  got_sorted = walk_stream (stream);
  g_assert_cmpstr (got_sorted, ==, expected_sorted);
  g_assert_null (strstr (got_sorted, "link-to-a"));
  g_assert_null (strstr (got_sorted, "/up"));

  g_assert_true (lan_test_await (transfers_reached, &one_done, DEADLINE_MS));
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_OK, "serves the folder");
  assert_row (f->alice, before, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, LAN_VERDICT_OK, "ms, done");

  /* A folder isn't fetched as a file. */
  {
    g_autoptr(GBytes) none = fetch_file ("127.0.0.3", lan_message_get_packet_no (message), record->file_id, 0, TRUE);

    g_assert_cmpuint (g_bytes_get_size (none), ==, 0);
    assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_REJECTED, "is a folder");
  }
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) contents = random_bytes (5000);
  g_autofree char *path = lan_test_tmpdir_file (f->dir, "secret");
  g_autoptr(GFile) file = write_file (path, contents);
  g_autoptr(LanMessage) message = offer (f, &file, 1);
  guint64 packet_no = lan_message_get_packet_no (message);
  guint64 before = log_total (f->alice);
  g_autoptr(GBytes) other_host = NULL;
  g_autoptr(GBytes) unknown_packet = NULL;
  g_autoptr(GBytes) unknown_file = NULL;
  g_autoptr(GBytes) past_end = NULL;
  g_autoptr(GBytes) garbage = NULL;
  g_autoptr(GBytes) still = NULL;

  /* Another host, with the right numbers: nothing. */
  other_host = fetch_file ("127.0.0.4", packet_no, 0, 0, TRUE);
  g_assert_cmpuint (g_bytes_get_size (other_host), ==, 0);
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_REJECTED, "was made to 127.0.0.3, not to 127.0.0.4");

  unknown_packet = fetch_file ("127.0.0.3", packet_no + 1, 0, 0, TRUE);
  g_assert_cmpuint (g_bytes_get_size (unknown_packet), ==, 0);
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_REJECTED, "no open offer has packet number");

  unknown_file = fetch_file ("127.0.0.3", packet_no, 7, 0, TRUE);
  g_assert_cmpuint (g_bytes_get_size (unknown_file), ==, 0);
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_REJECTED, "has no file 7");

  past_end = fetch_file ("127.0.0.3", packet_no, 0, 5001, TRUE);
  g_assert_cmpuint (g_bytes_get_size (past_end), ==, 0);
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_REJECTED, "past the end");

  {
    g_autoptr(GBytes) req = request (LAN_IPMSG_GETFILEDATA, "zz:0:0", TRUE);

    garbage = fetch_raw ("127.0.0.3", req);
    g_assert_cmpuint (g_bytes_get_size (garbage), ==, 0);
    assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_MALFORMED, "not packetID:fileID:offset");
  }
  {
    g_autoptr(GBytes) req = request (LAN_IPMSG_SENDMSG, "hello", TRUE);
    g_autoptr(GBytes) nothing = fetch_raw ("127.0.0.3", req);

    g_assert_cmpuint (g_bytes_get_size (nothing), ==, 0);
    assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_REJECTED, "not a request for a file");
  }

  /* None of that touched the offer. */
  still = fetch_file ("127.0.0.3", packet_no, 0, 0, TRUE);
  g_assert_true (g_bytes_equal (still, contents));
  g_assert_cmpuint (lan_wire_get_stats (f->alice->wire)->rejected, >=, 6);
}

static void
test_release (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) contents = random_bytes (1000);
  g_autofree char *path = lan_test_tmpdir_file (f->dir, "one");
  g_autofree char *path2 = lan_test_tmpdir_file (f->dir, "two");
  g_autoptr(GFile) file = write_file (path, contents);
  g_autoptr(GFile) file2 = write_file (path2, contents);
  GFile *both[] = { file, file2 };
  g_autoptr(LanMessage) fetched = offer (f, both, 2);
  g_autoptr(LanMessage) untouched = offer (f, &file, 1);
  guint64 before = log_total (f->alice);
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GBytes) got2 = NULL;
  g_autoptr(GBytes) after = NULL;

  got = fetch_file ("127.0.0.3", lan_message_get_packet_no (fetched), 0, 0, TRUE);
  g_assert_true (g_bytes_equal (got, contents));
  /* Half of it only: the second file from an offset doesn't count as whole. */
  got2 = fetch_file ("127.0.0.3", lan_message_get_packet_no (fetched), 1, 0, TRUE);
  g_assert_true (g_bytes_equal (got2, contents));

  /* From another host: ignored. */
  send_release ("127.0.0.4", lan_message_get_packet_no (fetched));
  assert_row (f->alice, before, 0, LAN_VERDICT_WRONG_ADDRESS, "which was made to 127.0.0.3");
  g_assert_true (offer_state_is (fetched, LAN_OFFER_OPEN));
  g_assert_cmpuint (lan_file_offers_get_n_open (f->alice->offers), ==, 2);

  /* From bob's address (any port): done, and no longer served. */
  send_release ("127.0.0.3", lan_message_get_packet_no (fetched));
  g_assert_true (lan_test_await (offer_ended, fetched, DEADLINE_MS));
  g_assert_true (offer_state_is (fetched, LAN_OFFER_DONE));
  after = fetch_file ("127.0.0.3", lan_message_get_packet_no (fetched), 0, 0, TRUE);
  g_assert_cmpuint (g_bytes_get_size (after), ==, 0);

  /* Released without a fetch: declined. */
  send_release ("127.0.0.3", lan_message_get_packet_no (untouched));
  g_assert_true (lan_test_await (offer_ended, untouched, DEADLINE_MS));
  g_assert_true (offer_state_is (untouched, LAN_OFFER_DECLINED));
  g_assert_cmpuint (lan_file_offers_get_n_open (f->alice->offers), ==, 0);
}

static void
test_withdraw (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) contents = random_bytes (100);
  g_autofree char *path = lan_test_tmpdir_file (f->dir, "taken back");
  g_autoptr(GFile) file = write_file (path, contents);
  g_autoptr(LanMessage) message = offer (f, &file, 1);
  guint64 before = log_total (f->alice);
  g_autoptr(GBytes) got = NULL;

  lan_messenger_withdraw_files (f->alice, message);
  g_assert_true (offer_state_is (message, LAN_OFFER_WITHDRAWN));
  got = fetch_file ("127.0.0.3", lan_message_get_packet_no (message), 0, 0, TRUE);
  g_assert_cmpuint (g_bytes_get_size (got), ==, 0);
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_REJECTED, "no open offer");
}

static void
test_refuse_unreadable (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = lan_test_tmpdir_file (f->dir, "not there");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) message = lan_messenger_send_files (f->alice, f->bob_peer, NULL, &file, 1, &error);

  g_assert_null (message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "not there"));
  g_assert_cmpuint (lan_file_offers_get_n_open (f->alice->offers), ==, 0);
}

/* ── bounds (lan-bounds.h) ─────────────────────────────────────────────── */

static GSocketConnection *
connect_from (const char *from)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (from);
  g_autoptr(GSocketAddress) local = g_inet_socket_address_new (address, 0);
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_local_address (client, local);
  /* The kernel completes it from the backlog: no need for the loop to run. */
  connection = g_socket_client_connect_to_host (client, "127.0.0.2:2425", 0, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

typedef struct {
  LanFileServer *server;
  guint          n;
} CountWait;

static gboolean
connections_are (gpointer data)
{
  CountWait *wait = data;

  return lan_file_server_get_n_connections (wait->server) == wait->n;
}

static void
await_connections (Fixture *f,
                   guint    n)
{
  CountWait wait = { f->alice->file_server, n };

  if (!lan_test_await (connections_are, &wait, DEADLINE_MS))
    g_error ("%u connections open, not %u", lan_file_server_get_n_connections (f->alice->file_server), n);
}

/* LAN_FILE_SERVE_MAX_PER_PEER, then LAN_FILE_SERVE_MAX_CONNECTIONS: one past
 * each is closed at once with a row that says so; the others are kept. */
static void
test_connection_bounds (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketConnection) extra_peer = NULL;
  g_autoptr(GSocketConnection) extra_total = NULL;
  guint64 before = log_total (f->alice);
  guint8 byte;

  /* One at a time: the listen backlog is short, and the loop accepts. */
  for (guint i = 0; i < LAN_FILE_SERVE_MAX_PER_PEER; i++)
    {
      g_ptr_array_add (open, connect_from ("127.0.0.3"));
      await_connections (f, i + 1);
    }
  extra_peer = connect_from ("127.0.0.3");
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_REJECTED, "connections from 127.0.0.3 are open already");
  g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (extra_peer)), &byte, 1,
                                        NULL, NULL), ==, 0);
  await_connections (f, LAN_FILE_SERVE_MAX_PER_PEER);

  for (guint i = LAN_FILE_SERVE_MAX_PER_PEER; i < LAN_FILE_SERVE_MAX_CONNECTIONS; i++)
    {
      g_autofree char *from = g_strdup_printf ("127.0.1.%u", i);

      g_ptr_array_add (open, connect_from (from));
      await_connections (f, i + 1);
    }
  extra_total = connect_from ("127.0.2.1");
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_REJECTED, "32 connections are open already");
  g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (extra_total)), &byte, 1,
                                        NULL, NULL), ==, 0);

  /* Closed without a request: each gets its row, and the room is free again. */
  g_ptr_array_set_size (open, 0);
  await_connections (f, 0);
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_REJECTED, "closed without a request");
}

/* After the last byte the server waits for the fetcher to close (so that
 * nothing in flight is lost to a reset); meanwhile the connection counts
 * against the bounds. */
static void
test_drain_counts (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) contents = random_bytes (100000);
  g_autofree char *path = lan_test_tmpdir_file (f->dir, "kept");
  g_autoptr(GFile) file = write_file (path, contents);
  g_autoptr(LanMessage) message = offer (f, &file, 1);
  g_autofree char *extra = g_strdup_printf ("%" G_GINT64_MODIFIER "x:0:0", lan_message_get_packet_no (message));
  g_autoptr(GBytes) req = request (LAN_IPMSG_GETFILEDATA, extra, TRUE);
  Fetch fetch = { g_strdup ("127.0.0.3"), req, g_byte_array_new (), NULL, TRUE, NULL, 0, 0 };
  GThread *thread = g_thread_new ("fetch", fetch_thread, &fetch);
  TransferWait one_done = { f->alice, LAN_TRANSFER_DONE, 1 };

  g_assert_true (lan_test_await (fetch_done, &fetch, DEADLINE_MS));
  g_thread_join (thread);
  g_assert_null (fetch.error);
  g_assert_cmpuint (fetch.received->len, ==, g_bytes_get_size (contents));
  g_assert_true (lan_test_await (transfers_reached, &one_done, DEADLINE_MS));
  lan_test_drain ();
  g_assert_cmpuint (lan_file_server_get_n_connections (f->alice->file_server), ==, 1);
  g_clear_object (&fetch.kept);
  await_connections (f, 0);
  g_byte_array_unref (fetch.received);
  g_free (fetch.from);
}

static gboolean
fetch_paused (gpointer data)
{
  Fetch *fetch = data;
  gboolean paused;

  g_mutex_lock (&fetch->lock);
  paused = fetch->paused;
  g_mutex_unlock (&fetch->lock);
  return paused;
}

static gboolean
transfer_ended (gpointer data)
{
  return lan_file_transfer_is_finished (data);
}

typedef enum {
  END_WITHDRAW,  /* the offer is withdrawn */
  END_STOP,      /* the messenger stops */
  END_CANCEL,    /* the transfer alone is cancelled */
} EndBy;

/* A transfer running when the offer is withdrawn, the messenger stops or
 * the transfer is cancelled: it ends cancelled, the fetcher gets less than
 * all. A cancel leaves the offer as it was: asked again, it is served. */
static void
test_cancel_running (Fixture       *f,
                     gconstpointer  data)
{
  EndBy end_by = GPOINTER_TO_INT (data);
  const gsize size = 64 * 1024 * 1024;
  g_autofree char *path = lan_test_tmpdir_file (f->dir, "big");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(LanMessage) message = NULL;
  g_autofree char *extra = NULL;
  g_autoptr(GBytes) req = NULL;
  Fetch fetch = { g_strdup ("127.0.0.3"), NULL, g_byte_array_new (), NULL, FALSE, NULL, 0, 1 };
  GThread *thread;
  g_autoptr(LanFileTransfer) transfer = NULL;
  guint64 before = log_total (f->alice);

  /* Zeros without writing them (sparse): more than the sockets buffer. */
  g_assert_cmpint (truncate_file (path, size), ==, 0);
  message = offer (f, &file, 1);
  extra = g_strdup_printf ("%" G_GINT64_MODIFIER "x:0:0", lan_message_get_packet_no (message));
  req = request (LAN_IPMSG_GETFILEDATA, extra, TRUE);
  fetch.request = req;
  g_mutex_init (&fetch.lock);
  g_cond_init (&fetch.cond);
  thread = g_thread_new ("fetch", fetch_thread, &fetch);
  g_assert_true (lan_test_await (fetch_paused, &fetch, DEADLINE_MS));
  g_assert_cmpuint (g_list_model_get_n_items (lan_messenger_get_transfers (f->alice)), ==, 1);
  transfer = g_list_model_get_item (lan_messenger_get_transfers (f->alice), 0);
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_RUNNING);

  if (end_by == END_STOP)
    lan_messenger_stop (f->alice);
  else if (end_by == END_WITHDRAW)
    lan_messenger_withdraw_files (f->alice, message);
  else
    lan_messenger_cancel_transfer (f->alice, transfer);
  g_assert_true (lan_test_await (transfer_ended, transfer, DEADLINE_MS));
  g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_CANCELLED);
  g_assert_cmpint (lan_message_get_offer_state (message), ==,
                   end_by == END_WITHDRAW ? LAN_OFFER_WITHDRAWN : LAN_OFFER_OPEN);
  assert_row (f->alice, before, LAN_DATAGRAM_TCP | LAN_DATAGRAM_TRANSFER, LAN_VERDICT_SEND_ERROR,
              end_by == END_STOP ? "ms, cancelled: " : end_by == END_WITHDRAW ? "withdrawn" : "ms, cancelled: Cancelled");

  g_mutex_lock (&fetch.lock);
  fetch.resume = TRUE;
  g_cond_signal (&fetch.cond);
  g_mutex_unlock (&fetch.lock);
  g_assert_true (lan_test_await (fetch_done, &fetch, DEADLINE_MS));
  g_thread_join (thread);
  /* Cut short: a reset or an early end, never the whole file. */
  g_assert_cmpuint (fetch.received->len, <, size);
  g_assert_cmpuint (lan_file_server_get_n_connections (f->alice->file_server), ==, 0);
  if (end_by == END_CANCEL)
    {
      /* Its last bytes, asked again (a resume): the offer still serves. */
      g_autoptr(GBytes) tail = fetch_file ("127.0.0.3", lan_message_get_packet_no (message), 0, size - 1000, TRUE);
      TransferWait one_done = { f->alice, LAN_TRANSFER_DONE, 1 };

      g_assert_cmpuint (g_bytes_get_size (tail), ==, 1000);
      g_assert_true (lan_test_await (transfers_reached, &one_done, DEADLINE_MS));
      g_assert_cmpint (lan_file_transfer_get_state (transfer), ==, LAN_TRANSFER_CANCELLED);
    }
  g_free (fetch.error);
  g_byte_array_unref (fetch.received);
  g_free (fetch.from);
  g_mutex_clear (&fetch.lock);
  g_cond_clear (&fetch.cond);
}

/* LAN_FILE_SERVE_MAX_REQUEST: no complete request in 8 KiB is dropped. */
/* A peer an offer went to may ask for it again and again: each request is
 * a transfer, and the ended ones kept in the list are bounded. */
static void
test_served_kept (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) contents = random_bytes (16);
  g_autofree char *path = lan_test_tmpdir_file (f->dir, "small.bin");
  g_autoptr(GFile) file = write_file (path, contents);
  g_autoptr(LanMessage) message = offer (f, &file, 1);
  TransferWait all_done = { f->alice, LAN_TRANSFER_DONE, LAN_FILE_SERVE_KEPT_TRANSFERS };

  for (guint i = 0; i < LAN_FILE_SERVE_KEPT_TRANSFERS + 20; i++)
    {
      /* From its end: nothing to send, the cheapest request there is. */
      g_autoptr(GBytes) got = fetch_file ("127.0.0.3", lan_message_get_packet_no (message), 0,
                                          g_bytes_get_size (contents), TRUE);

      g_assert_cmpuint (g_bytes_get_size (got), ==, 0);
    }
  g_assert_true (lan_test_await (transfers_reached, &all_done, DEADLINE_MS));
  g_assert_cmpuint (count_transfers (f->alice, LAN_TRANSFER_DONE), <=, LAN_FILE_SERVE_KEPT_TRANSFERS);
}

static void
test_request_too_large (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("1:1:bob:lab:");
  g_autoptr(GBytes) req = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autofree char *error = NULL;
  guint64 before = log_total (f->alice);

  while (text->len <= LAN_FILE_SERVE_MAX_REQUEST + 100)
    g_string_append_c (text, 'x');
  req = g_bytes_new (text->str, text->len);
  /* The write may break: the server stops reading past the bound. */
  got = fetch_raw_full ("127.0.0.3", req, &error);
  g_assert_cmpuint (g_bytes_get_size (got), ==, 0);
  assert_row (f->alice, before, LAN_DATAGRAM_TCP, LAN_VERDICT_MALFORMED, "no complete request in 8192 bytes");
  await_connections (f, 0);
}

/* LAN_FILE_SERVE_REQUEST_MS: a connection that says nothing is closed. */
static void
test_request_time_out (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GSocketConnection) silent = connect_from ("127.0.0.3");
  guint64 before = log_total (f->alice);
  gint64 start = g_get_monotonic_time ();
  RowWait wait = { f->alice, LAN_VERDICT_REJECTED, "no complete request within 10 s", LAN_DATAGRAM_TCP, before };

  await_connections (f, 1);
  g_assert_true (lan_test_await (row_logged, &wait, LAN_FILE_SERVE_REQUEST_MS + DEADLINE_MS));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, (LAN_FILE_SERVE_REQUEST_MS - 500) * 1000);
  await_connections (f, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/serve/file", Fixture, NULL, fixture_set_up, test_serve_file, fixture_tear_down);
  g_test_add ("/serve/large-offset", Fixture, NULL, fixture_set_up, test_serve_large_offset, fixture_tear_down);
  g_test_add ("/serve/empty-file", Fixture, NULL, fixture_set_up, test_serve_empty_file, fixture_tear_down);
  g_test_add ("/serve/folder", Fixture, NULL, fixture_set_up, test_serve_folder, fixture_tear_down);
  g_test_add ("/serve/file-buffered", Fixture, NULL, fixture_set_up_buffered, test_serve_file, fixture_tear_down);
  g_test_add ("/serve/folder-buffered", Fixture, NULL, fixture_set_up_buffered, test_serve_folder, fixture_tear_down);
  g_test_add ("/serve/refusals", Fixture, NULL, fixture_set_up, test_refusals, fixture_tear_down);
  g_test_add ("/serve/release", Fixture, NULL, fixture_set_up, test_release, fixture_tear_down);
  g_test_add ("/serve/withdraw", Fixture, NULL, fixture_set_up, test_withdraw, fixture_tear_down);
  g_test_add ("/serve/unreadable", Fixture, NULL, fixture_set_up, test_refuse_unreadable, fixture_tear_down);
  g_test_add ("/serve/connection-bounds", Fixture, NULL, fixture_set_up, test_connection_bounds, fixture_tear_down);
  g_test_add ("/serve/withdraw-running", Fixture, GINT_TO_POINTER (END_WITHDRAW), fixture_set_up, test_cancel_running,
              fixture_tear_down);
  g_test_add ("/serve/stop-running", Fixture, GINT_TO_POINTER (END_STOP), fixture_set_up, test_cancel_running,
              fixture_tear_down);
  g_test_add ("/serve/cancel-running", Fixture, GINT_TO_POINTER (END_CANCEL), fixture_set_up, test_cancel_running,
              fixture_tear_down);
  g_test_add ("/serve/drain-counts", Fixture, NULL, fixture_set_up, test_drain_counts, fixture_tear_down);
  g_test_add ("/serve/request-too-large", Fixture, NULL, fixture_set_up, test_request_too_large, fixture_tear_down);
  g_test_add ("/serve/served-kept", Fixture, NULL, fixture_set_up, test_served_kept, fixture_tear_down);
  g_test_add ("/serve/request-time-out", Fixture, NULL, fixture_set_up, test_request_time_out, fixture_tear_down);
  return g_test_run ();
}

/* test-engine-offers.c — offers of files as datagrams, over the in-memory LAN:
 * the records in each peer's charset, in resends and from the outbox, and
 * RELEASEFILES from the right address only. The TCP side is in
 * tests/loop/test-files-serve.c.
 *
 * No socket is opened: it runs without a network namespace.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <sys/stat.h>

#include "lan-ipmsg.h"
#include "lan-messenger-files.h"
#include "lan-test-await.h"
#include "lan-test-engine.h"
#include "lan-test-tmpdir.h"

#define ALICE "10.77.0.2"
#define BOB   "10.77.0.3"
#define FEIQ  "10.77.0.6:2425"
#define UTF8  "10.77.0.8:2425"
#define EVE   "10.77.0.9:2425"
#define NAME  "报告: 第一.txt"

typedef struct {
  LanMemoryNetwork *network;
  LanTestTmpdir    *dir;
  LanMessenger     *alice;
  GFile            *file;
} Fixture;

static void
inject (Fixture    *f,
        const char *from,
        GBytes     *datagram)
{
  lan_test_inject (f->network, from, ALICE, datagram);
  lan_memory_network_flush (f->network);
  lan_test_drain ();
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  LanTestEngineOptions options = { .user_name = "alice" };
  g_autofree char *path = NULL;
  g_autofree char *feiq_nick = g_convert ("王五", -1, "GBK", "UTF-8", NULL, NULL, NULL);
  g_autoptr(GByteArray) extra = g_byte_array_new ();
  g_autoptr(GBytes) feiq_entry = NULL;
  g_autoptr(GBytes) utf8_entry = NULL;

  f->network = lan_memory_network_new ("10.77.0.0/24");
  f->dir = lan_test_tmpdir_new ("lanchat-engine-offers");
  f->alice = lan_test_engine_new (f->network, ALICE, &options);
  path = lan_test_tmpdir_file (f->dir, NAME);
  g_assert_true (g_file_set_contents (path, "0123456789", 10, NULL));
  f->file = g_file_new_for_path (path);

  /* FeiQ: GBK, no option bits. */
  g_byte_array_append (extra, (const guint8 *) feiq_nick, (guint) strlen (feiq_nick) + 1);
  g_byte_array_append (extra, (const guint8 *) "", 1);
  feiq_entry = lan_test_craft ("1_lbt6_0#128#000C29D68D8F#0#0#0#4001#9", 10, "wang", "pc", LAN_IPMSG_BR_ENTRY,
                               extra->data, extra->len);
  inject (f, FEIQ, feiq_entry);
  utf8_entry = lan_test_craft ("1", 10, "zhao", "pc",
                               LAN_IPMSG_BR_ENTRY | LAN_IPMSG_CAPUTF8OPT | LAN_IPMSG_UTF8OPT |
                               LAN_IPMSG_FILEATTACHOPT, "zhao\0\0", 6);
  inject (f, UTF8, utf8_entry);
  g_assert_nonnull (lan_test_engine_find_peer (f->alice, FEIQ));
  g_assert_nonnull (lan_test_engine_find_peer (f->alice, UTF8));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  lan_test_engine_stop (&f->alice);
  g_clear_object (&f->file);
  lan_test_tmpdir_free (f->dir);
  g_clear_object (&f->network);
}

static LanEndpoint
endpoint (const char *text)
{
  LanEndpoint result = { 0, 0 };

  g_assert_true (lan_memory_parse_endpoint (text, &result));
  return result;
}

static LanMessage *
offer_to (Fixture    *f,
          const char *key)
{
  g_autoptr(GError) error = NULL;
  LanPeer *peer = lan_test_engine_find_peer (f->alice, key);
  LanMessage *message;

  g_assert_nonnull (peer);
  message = lan_messenger_send_files (f->alice, peer, "文件", &f->file, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);
  lan_memory_network_flush (f->network);
  return message;
}

/* The records of the SENDMSG datagrams alice sent to @to, the last one
 * (with RETRYOPT when @retry). */
static LanIpmsgPacket *
sent_offer (Fixture    *f,
            const char *to,
            gboolean    retry)
{
  LanEndpoint destination = endpoint (to);
  g_autoptr(GPtrArray) sent = lan_memory_transport_find_sent (lan_test_engine_get_transport (f->alice),
                                                              LAN_IPMSG_SENDMSG, &destination);
  gint found = -1;

  for (guint i = 0; i < sent->len; i++)
    {
      const LanIpmsgPacket *packet = g_ptr_array_index (sent, i);

      if (!!(packet->command & LAN_IPMSG_RETRYOPT) == !!retry)
        found = (gint) i;
    }
  g_assert_cmpint (found, >=, 0);
  return g_ptr_array_steal_index (sent, (guint) found);
}

static GPtrArray *
records_of (const LanIpmsgPacket *packet)
{
  GBytes *section = lan_ipmsg_packet_get_section (packet, 1);
  g_autoptr(GError) error = NULL;
  GPtrArray *records;
  gsize len;
  const guint8 *data;

  g_assert_nonnull (section);
  data = g_bytes_get_data (section, &len);
  records = lan_ipmsg_parse_file_list (data, len, &error);
  g_assert_no_error (error);
  return records;
}

static void
test_names_in_dialect (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(LanMessage) to_feiq = offer_to (f, FEIQ);
  g_autoptr(LanMessage) to_utf8 = offer_to (f, UTF8);
  g_autoptr(LanIpmsgPacket) feiq_packet = sent_offer (f, FEIQ, FALSE);
  g_autoptr(LanIpmsgPacket) utf8_packet = sent_offer (f, UTF8, FALSE);
  g_autoptr(GPtrArray) feiq_records = records_of (feiq_packet);
  g_autoptr(GPtrArray) utf8_records = records_of (utf8_packet);
  g_autofree char *gbk_name = g_convert (NAME, -1, "GBK", "UTF-8", NULL, NULL, NULL);
  const LanIpmsgFile *ours = g_ptr_array_index (lan_message_get_files (to_feiq), 0);
  const LanIpmsgFile *record;

  /* The message keeps the name as the user sees it. */
  g_assert_cmpstr (ours->name, ==, NAME);
  g_assert_cmpint (lan_message_get_offer_state (to_feiq), ==, LAN_OFFER_OPEN);

  g_assert_cmpuint (feiq_packet->command & 0xff, ==, LAN_IPMSG_SENDMSG);
  g_assert_true (feiq_packet->command & LAN_IPMSG_FILEATTACHOPT);
  g_assert_true (feiq_packet->command & LAN_IPMSG_SENDCHECKOPT);
  g_assert_false (feiq_packet->command & LAN_IPMSG_UTF8OPT);
  g_assert_cmpuint (feiq_records->len, ==, 1);
  record = g_ptr_array_index (feiq_records, 0);
  g_assert_nonnull (gbk_name);
  g_assert_cmpstr (record->name, ==, gbk_name);
  g_assert_cmpuint (record->size, ==, 10);
  g_assert_cmpuint (record->attr & 0xff, ==, LAN_IPMSG_FILE_REGULAR);
  g_assert_cmpuint (record->file_id, ==, ours->file_id);

  g_assert_true (utf8_packet->command & LAN_IPMSG_UTF8OPT);
  g_assert_true (utf8_packet->command & LAN_IPMSG_FILEATTACHOPT);
  record = g_ptr_array_index (utf8_records, 0);
  g_assert_cmpstr (record->name, ==, NAME);
}

typedef struct {
  LanMemoryTransport *transport;
  LanEndpoint         to;
  guint               n;
} SentWait;

static gboolean
sent_twice (gpointer data)
{
  SentWait *wait = data;

  return lan_memory_transport_count_sent (wait->transport, LAN_IPMSG_SENDMSG, &wait->to) >= wait->n;
}

/* The peer never acknowledges: every resend carries the records too. */
static void
test_resends_carry_records (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(LanMessage) message = offer_to (f, UTF8);
  LanEndpoint to = endpoint (UTF8);
  g_autoptr(LanIpmsgPacket) retry = NULL;
  g_autoptr(GPtrArray) records = NULL;

  SentWait wait = { lan_test_engine_get_transport (f->alice), to, 2 };

  g_assert_true (lan_test_await (sent_twice, &wait, LAN_TEST_DEADLINE_MS));
  retry = sent_offer (f, UTF8, TRUE);
  g_assert_true (retry->command & LAN_IPMSG_FILEATTACHOPT);
  g_assert_cmpuint (retry->packet_no, ==, lan_message_get_packet_no (message));
  records = records_of (retry);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (((LanIpmsgFile *) g_ptr_array_index (records, 0))->name, ==, NAME);
}

static LanVerdict
last_verdict (Fixture *f)
{
  LanPacketLog *log = lan_messenger_get_packet_log (f->alice);
  g_autoptr(LanPacketLogEntry) entry = NULL;

  lan_packet_log_flush (log);
  entry = g_list_model_get_item (G_LIST_MODEL (log), g_list_model_get_n_items (G_LIST_MODEL (log)) - 1);
  g_assert_cmpuint (lan_packet_log_entry_get_command (entry) & 0xff, ==, LAN_IPMSG_RELEASEFILES);
  return lan_packet_log_entry_get_verdict (entry);
}

static void
release (Fixture    *f,
         const char *from,
         const char *extra)
{
  g_autoptr(GBytes) datagram = lan_test_craft ("1", 99, "zhao", "pc", LAN_IPMSG_RELEASEFILES, extra,
                                               strlen (extra) + 1);

  inject (f, from, datagram);
}

static void
test_release (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(LanMessage) decimal = offer_to (f, UTF8);
  g_autoptr(LanMessage) hex = offer_to (f, UTF8);
  g_autofree char *decimal_text = g_strdup_printf ("%" G_GUINT64_FORMAT, lan_message_get_packet_no (decimal));
  g_autofree char *hex_text = NULL;
  guint64 as_decimal;

  /* From another address: refused, the offer stays. */
  release (f, EVE, decimal_text);
  g_assert_cmpint (last_verdict (f), ==, LAN_VERDICT_WRONG_ADDRESS);
  g_assert_cmpint (lan_message_get_offer_state (decimal), ==, LAN_OFFER_OPEN);
  /* From the same host on another port (IP Messenger may answer from any): taken. */
  release (f, "10.77.0.8:40000", decimal_text);
  g_assert_cmpint (last_verdict (f), ==, LAN_VERDICT_OK);
  g_assert_cmpint (lan_message_get_offer_state (decimal), ==, LAN_OFFER_DECLINED);

  /* In hexadecimal, when its decimal reading names no offer. */
  hex_text = g_strdup_printf ("%" G_GINT64_MODIFIER "x", lan_message_get_packet_no (hex));
  g_assert_false (g_ascii_string_to_unsigned (hex_text, 10, 0, G_MAXUINT64, &as_decimal, NULL) &&
                  as_decimal == lan_message_get_packet_no (hex));
  release (f, UTF8, hex_text);
  g_assert_cmpint (lan_message_get_offer_state (hex), ==, LAN_OFFER_DECLINED);

  /* Nothing open any more. */
  release (f, UTF8, decimal_text);
  g_assert_cmpint (last_verdict (f), ==, LAN_VERDICT_UNMATCHED_REPLY);
  release (f, UTF8, "not a number");
  g_assert_cmpint (last_verdict (f), ==, LAN_VERDICT_UNMATCHED_REPLY);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  LanPeer *peer = lan_test_engine_find_peer (f->alice, UTF8);
  g_autofree char *folder_path = lan_test_tmpdir_file (f->dir, "fifo");
  g_autoptr(GFile) fifo = g_file_new_for_path (folder_path);
  g_autoptr(GPtrArray) many = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(LanMessage) message = NULL;

  message = lan_messenger_send_files (f->alice, peer, "x", NULL, 0, &error);
  g_assert_null (message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  for (guint i = 0; i <= 100; i++)
    g_ptr_array_add (many, f->file);
  message = lan_messenger_send_files (f->alice, peer, "x", (GFile **) many->pdata, many->len, &error);
  g_assert_null (message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_cmpint (mkfifo (folder_path, 0600), ==, 0);
  message = lan_messenger_send_files (f->alice, peer, "x", &fifo, 1, &error);
  g_assert_null (message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE);
  g_assert_nonnull (strstr (error->message, "fifo"));
}

/* Offered while bob is away: queued, and sent with its records (and served
 * to where he is) once he is back. */
static void
test_queued_offer (void)
{
  g_autoptr(LanMemoryNetwork) network = lan_memory_network_new ("10.77.0.0/24");
  g_autoptr(LanTestTmpdir) dir = lan_test_tmpdir_new ("lanchat-engine-offers");
  g_autofree char *alice_db = lan_test_tmpdir_file (dir, "alice.db");
  g_autofree char *path = lan_test_tmpdir_file (dir, "later.txt");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  LanTestEngineOptions alice_options = { .user_name = "alice", .history_path = alice_db };
  LanTestEngineOptions bob_options = { .user_name = "bob" };
  g_autoptr(LanMessenger) alice = lan_test_engine_new (network, ALICE, &alice_options);
  g_autoptr(LanMessenger) bob = lan_test_engine_new (network, BOB, &bob_options);
  g_autoptr(LanPeer) bob_peer = NULL;
  g_autoptr(LanMessage) owed = NULL;
  g_autoptr(LanMessage) taken_back = NULL;
  g_autoptr(GError) error = NULL;
  LanEndpoint to = endpoint (BOB ":2425");
  g_autoptr(GPtrArray) sent = NULL;
  const LanIpmsgPacket *packet;

  g_assert_true (g_file_set_contents (path, "later", 5, NULL));
  bob_peer = lan_test_engine_await_peer (alice, BOB ":2425", LAN_TEST_DEADLINE_MS);
  g_assert_nonnull (bob_peer);
  g_object_ref (bob_peer);
  lan_test_engine_stop (&bob);
  lan_memory_transport_clear_sent (lan_test_engine_get_transport (alice));

  owed = lan_messenger_send_files (alice, bob_peer, "when you are back", &file, 1, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_QUEUED, LAN_TEST_DEADLINE_MS));
  g_assert_cmpint (lan_message_get_offer_state (owed), ==, LAN_OFFER_OPEN);
  /* A second one, withdrawn while it waits: it never goes out. */
  taken_back = lan_messenger_send_files (alice, bob_peer, "never mind", &file, 1, &error);
  g_assert_no_error (error);
  g_assert_true (lan_test_await_uint (taken_back, "state", LAN_MESSAGE_QUEUED, LAN_TEST_DEADLINE_MS));
  lan_messenger_withdraw_files (alice, taken_back);
  g_assert_cmpint (lan_message_get_offer_state (taken_back), ==, LAN_OFFER_WITHDRAWN);
  g_assert_cmpuint (lan_memory_transport_count_sent (lan_test_engine_get_transport (alice), LAN_IPMSG_SENDMSG, &to),
                    ==, 0);

  bob_options.no_start = TRUE;
  bob = lan_test_engine_new (network, BOB, &bob_options);
  g_assert_true (lan_messenger_start (bob, &error));
  g_assert_no_error (error);
  g_assert_true (lan_test_await_uint (owed, "state", LAN_MESSAGE_DELIVERED, LAN_TEST_DEADLINE_MS));
  g_assert_true (lan_test_await_uint (taken_back, "state", LAN_MESSAGE_FAILED, LAN_TEST_DEADLINE_MS));
  g_assert_cmpstr (lan_message_get_error (taken_back), ==, "Its files are no longer offered");
  sent = lan_memory_transport_find_sent (lan_test_engine_get_transport (alice), LAN_IPMSG_SENDMSG, &to);
  g_assert_cmpuint (sent->len, >=, 1);
  for (guint i = 0; i < sent->len; i++)
    g_assert_cmpuint (((LanIpmsgPacket *) g_ptr_array_index (sent, i))->packet_no, !=,
                      lan_message_get_packet_no (taken_back));
  packet = g_ptr_array_index (sent, 0);
  g_assert_true (packet->command & LAN_IPMSG_FILEATTACHOPT);
  {
    g_autoptr(GPtrArray) records = records_of (packet);

    g_assert_cmpuint (records->len, ==, 1);
    g_assert_cmpstr (((LanIpmsgFile *) g_ptr_array_index (records, 0))->name, ==, "later.txt");
  }
  g_assert_cmpint (lan_message_get_offer_state (owed), ==, LAN_OFFER_OPEN);

  lan_test_engine_stop (&alice);
  lan_test_engine_stop (&bob);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/engine-offers/names-in-dialect", Fixture, NULL, fixture_setup, test_names_in_dialect,
              fixture_teardown);
  g_test_add ("/engine-offers/resends-carry-records", Fixture, NULL, fixture_setup, test_resends_carry_records,
              fixture_teardown);
  g_test_add ("/engine-offers/release", Fixture, NULL, fixture_setup, test_release, fixture_teardown);
  g_test_add ("/engine-offers/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  g_test_add_func ("/engine-offers/queued", test_queued_offer);
  return g_test_run ();
}
